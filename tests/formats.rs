//! Markdown and HTML through the same model: footnote pairing as GitHub does it, one post in
//! five forms with the same findings, and malformed HTML that must not panic.

use std::collections::BTreeSet;
use std::path::Path;

use assert_cmd::Command;
use notelint::engine::{check_bytes, Inputs, Settings};
use notelint::parse::Format;
use notelint::source::SourceFile;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `REFERENCE -> LINE` for every marker, pairing it with the first note of its label.
fn pairs(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("fixture");
    let source = SourceFile::new(path.display().to_string(), text);
    let document = notelint::analyse::parse(&source, Format::Markdown);
    let notes: Vec<_> = document.posts.iter().flat_map(|p| &p.notes).collect();
    let mut out = String::new();
    for marker in document.posts.iter().flat_map(|p| &p.markers) {
        let target = notes
            .iter()
            .filter(|n| n.label.eq_ignore_ascii_case(&marker.label))
            .min_by_key(|n| n.span.start)
            .map_or_else(
                || "none".to_string(),
                |n| source.line_of(n.span.start).to_string(),
            );
        out.push_str(&format!("{} -> {target}\n", source.slice(marker.span)));
    }
    out
}

#[test]
fn markdown_footnotes_pair_as_on_github() {
    let dir = root().join("fixtures/markdown");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures/markdown")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "pairs"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 10, "pairing cases: {}", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let expected = std::fs::read_to_string(case).expect("pairs");
        let actual = pairs(&case.with_extension("md"));
        if actual != expected {
            failures.push(format!(
                "{}:\nexpected:\n{expected}actual:\n{actual}",
                case.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `(rule, note)` of every finding of a file, and the text each span covers.
fn findings(rel: &str) -> Vec<(String, String, String)> {
    let out = Command::cargo_bin("notelint")
        .expect("binary")
        .current_dir(root())
        .args(["check", "--format", "json", rel])
        .output()
        .expect("run notelint");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    let text = std::fs::read_to_string(root().join(rel)).expect("fixture");
    v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            let offset = usize::try_from(d["offset"].as_u64().unwrap_or(0)).unwrap_or(0);
            let length = usize::try_from(d["length"].as_u64().unwrap_or(0)).unwrap_or(0);
            (
                d["rule"].as_str().unwrap_or("").to_string(),
                d["note"].as_str().unwrap_or("").to_string(),
                text.get(offset..offset + length).unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn one_post_in_five_forms_gives_the_same_findings() {
    let forms = [
        "fixtures/same-post/post.txt",
        "fixtures/same-post/post-footnotes.md",
        "fixtures/same-post/post-numbered.md",
        "fixtures/same-post/post-pandoc.html",
        "fixtures/same-post/post-wordpress.html",
    ];
    let expected: BTreeSet<(String, String)> = [
        ("orphan-marker", "6"),
        ("ibid-no-antecedent", "1"),
        ("duplicate-note-number", "3"),
        ("orphan-note", "5"),
        ("url-whitespace", "2"),
    ]
    .iter()
    .map(|(r, n)| ((*r).to_string(), (*n).to_string()))
    .collect();
    for form in forms {
        let found = findings(form);
        // Links between ids are an HTML-only layer, checked below.
        let shared: BTreeSet<_> = found
            .iter()
            .filter(|(rule, _, _)| rule != "broken-footnote-link")
            .map(|(rule, note, _)| (rule.clone(), note.clone()))
            .collect();
        assert_eq!(shared, expected, "{form}");
        for (rule, _, covered) in &found {
            match rule.as_str() {
                "orphan-marker" => assert!(covered.contains('6'), "{form}: {covered}"),
                "duplicate-note-number" => assert!(covered.contains('3'), "{form}: {covered}"),
                "orphan-note" => assert!(covered.contains('5'), "{form}: {covered}"),
                "ibid-no-antecedent" => assert!(covered.starts_with("Ibid"), "{form}: {covered}"),
                "url-whitespace" => assert!(
                    covered.starts_with("https://coastal-review") && covered.ends_with("records/"),
                    "{form}: {covered}"
                ),
                _ => {}
            }
        }
        if form.ends_with(".html") {
            let links: Vec<_> = found
                .iter()
                .filter(|f| f.0 == "broken-footnote-link")
                .collect();
            assert!(links.iter().any(|f| f.2 == "fn6"), "{form}: {links:?}");
        }
    }
}

#[test]
fn a_txt_file_holding_html_is_read_as_html() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("page.txt");
    std::fs::write(
        &path,
        "<!DOCTYPE html><p>A.<sup><a href=\"#fn1\">[1]</a></sup></p><p id=\"fn-1\">[1] One.</p>",
    )
    .expect("write");
    let out = Command::cargo_bin("notelint")
        .expect("binary")
        .args(["check", "--format", "concise"])
        .arg(&path)
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("broken-footnote-link"), "{stdout}");
}

fn check_html(bytes: Vec<u8>) -> notelint::report::FileReport {
    check_bytes(
        "t.html",
        bytes,
        Format::Html,
        &Settings::default(),
        &Inputs::default(),
    )
}

#[test]
fn malformed_html_never_panics() {
    let cases = [
        "<p>Unclosed <b>bold <i>italic<sup><a href=\"#fn1\">[1]".to_string(),
        "<div>".repeat(10_000) + "A.[1]" + &"</span>".repeat(100) + "<p>[1] One.",
        "</div></p></li></ol>".repeat(1000),
        "<li id=\"fn1\"><li id=\"fn2\"><section class=\"footnotes\"><ol><li><li><p><p>".repeat(500),
        "<a href=\"#fn1\"><a href=\"#fn2\"><sup><sup>".repeat(2000),
        "<p>&amp;&#x41;&#65;&bogus;&&amp &ldquo;[1]&rdquo;\r\n</p><p>[1] x&nbsp;y</p>".to_string(),
        "<script>".to_string() + &"<p>[1]</p>".repeat(100),
        "<!-- unclosed comment <p>[1]".to_string(),
        "<p id=\"fn1\" id=\"fn2\" class=\"footnote footnote\">[1]".to_string(),
    ];
    for case in cases {
        let _ = check_html(case.into_bytes());
    }
    let deep = check_html(("<div>".repeat(10_000) + "A.[1]\n<p>[1] One.</p>").into_bytes());
    assert_eq!(deep.posts.len(), 1);
}

#[test]
fn a_large_html_page_is_read_whole() {
    // A megabyte of posts in scraped-page markup: enough to cross every buffer boundary.
    let mut page = String::from("<html><body>");
    let mut posts = 0;
    while page.len() < 1_000_000 {
        page.push_str(&format!(
            "<article><p>Claim one.<sup><a href=\"#fn{posts}\">[1]</a></sup> Claim two.[2]</p>"
        ));
        page.push_str(&format!("<p id=\"fn{posts}\">[1] Kim, &ldquo;Title,&rdquo; 2020, <a href=\"https://x.org/a\">x.org</a>.</p>"));
        page.push_str("<p>[2] Ibid., 4.</p></article>\n");
        posts += 1;
    }
    let report = check_html(page.into_bytes());
    assert_eq!(report.posts.len(), posts);
    assert!(
        report.diagnostics.is_empty(),
        "{:?}",
        report.diagnostics.first()
    );
}

#[test]
fn a_twenty_megabyte_page_with_pathological_markup_is_read_whole() {
    // Scraped archives reach tens of megabytes. Among ordinary posts sit the shapes that break
    // parsers: deep unclosed nesting, a huge attribute, a long run of text with no space,
    // entity soup, stray closing tags, and a comment left open at the end of the file.
    let mut page = String::with_capacity(21_000_000);
    page.push_str("<!DOCTYPE html><html><body>");
    let prose = "The survey counted the nests along the marsh edge twice, in spring and in late \
                 summer, and the second count ran lower. "
        .repeat(8);
    let mut posts = 0;
    while page.len() < 20_000_000 {
        page.push_str(&format!(
            "<article><h2>Post {posts}</h2><p>{prose}Claim one.<sup><a href=\"#fn{posts}\">[1]</a>\
             </sup> Claim two.[2]</p>"
        ));
        match posts % 400 {
            0 => page.push_str(&"<div><span>".repeat(2_000)),
            100 => page.push_str(&format!(
                "<p title=\"{}\">A long attribute.</p>",
                "x".repeat(200_000)
            )),
            200 => page.push_str(&format!("<p>{}</p>", "a".repeat(200_000))),
            300 => {
                page.push_str(&"&amp;&#x41;&#65;&bogus;&&ldquo;</b></i></sup></li>".repeat(2_000))
            }
            _ => {}
        }
        page.push_str(&format!(
            "<p id=\"fn{posts}\">[1] Kim, &ldquo;Title,&rdquo; 2020.</p><p>[2] Ibid., 4.</p>\
             </article>\n"
        ));
        posts += 1;
    }
    page.push_str("<!-- left open <article><p>[1]</p>");
    let source = SourceFile::new("archive.html", page);
    let started = std::time::Instant::now();
    let document = notelint::analyse::parse(&source, Format::Html);
    let took = started.elapsed();
    assert_eq!(document.posts.len(), posts);
    for post in [&document.posts[0], &document.posts[posts - 1]] {
        assert_eq!(post.markers.len(), 2, "post {}", post.index);
        assert_eq!(post.notes.len(), 2, "post {}", post.index);
    }
    eprintln!(
        "{} bytes, {posts} posts, parsed in {took:?}",
        source.text.len()
    );
}
