//! `notelint fix --renumber`: the five forms of one post with paragraphs moved, renumbered in
//! temporary folders; posts it must leave alone; an Ibid. that renumbering moves.

use std::collections::BTreeMap;
use std::path::Path;

use assert_cmd::Command;

const FORMS: [&str; 5] = [
    "post.txt",
    "post-numbered.md",
    "post-footnotes.md",
    "post-pandoc.html",
    "post-wordpress.html",
];

/// Rules that report a numbering or order problem.
const NUMBERING_RULES: [&str; 7] = [
    "out-of-order-marker",
    "numbering-gap",
    "duplicate-note-number",
    "orphan-marker",
    "orphan-note",
    "broken-footnote-link",
    "ibid-reordered",
];

fn notelint(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("notelint").expect("binary");
    cmd.current_dir(dir).env("NO_COLOR", "1");
    cmd
}

fn fixtures() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/renumber")
}

/// The rule ids `check` reports for `file`.
fn rules(dir: &Path, file: &str) -> Vec<String> {
    let out = notelint(dir)
        .args(["check", "--no-config", "--format", "json", file])
        .output()
        .expect("run");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["rule"].as_str().expect("rule").to_string())
        .collect()
}

/// The multiset of the notes' texts without their labels: each note's citations, as
/// `notelint notes` reads them.
fn note_texts(dir: &Path, file: &str) -> BTreeMap<String, usize> {
    let out = notelint(dir)
        .args(["notes", "--no-config", "--format", "json", file])
        .output()
        .expect("run");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let mut texts = BTreeMap::new();
    for post in json["files"][0]["posts"].as_array().expect("posts") {
        for note in post["notes"].as_array().expect("notes") {
            let text: Vec<&str> = note["citations"]
                .as_array()
                .expect("citations")
                .iter()
                .map(|c| c["text"].as_str().expect("text"))
                .collect();
            *texts.entry(text.join(" | ")).or_insert(0) += 1;
        }
    }
    texts
}

/// Every `href="#…"` of an HTML file has its `id`, and every id is given once.
fn anchors_pair(html: &str) -> Result<(), String> {
    let ids: Vec<&str> = html
        .match_indices(" id=\"")
        .map(|(at, m)| {
            let rest = &html[at + m.len()..];
            &rest[..rest.find('"').unwrap_or(0)]
        })
        .collect();
    let mut seen = std::collections::HashSet::new();
    for id in &ids {
        if !seen.insert(*id) {
            return Err(format!("id {id} given twice"));
        }
    }
    for (at, m) in html.match_indices("href=\"#") {
        let rest = &html[at + m.len()..];
        let target = &rest[..rest.find('"').unwrap_or(0)];
        if !seen.contains(target) {
            return Err(format!("href #{target} has no id"));
        }
    }
    Ok(())
}

#[test]
fn the_five_forms_are_renumbered_with_their_notes_and_anchors_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    for form in FORMS {
        std::fs::copy(fixtures().join(form), dir.path().join(form)).expect("copy");
    }
    let before: Vec<_> = FORMS.iter().map(|f| note_texts(dir.path(), f)).collect();
    let out = notelint(dir.path())
        .args(["fix", "--no-config", "--renumber"])
        .args(FORMS)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8(out.stderr).expect("utf-8");
    assert!(
        err.contains("post-footnotes.md uses [^label] footnotes, numbered when rendered: nothing to renumber"),
        "{err}"
    );
    for (form, before) in FORMS.iter().zip(&before) {
        let found = rules(dir.path(), form);
        assert!(
            !found.iter().any(|r| NUMBERING_RULES.contains(&r.as_str())),
            "{form}: {found:?}"
        );
        assert_eq!(&note_texts(dir.path(), form), before, "{form}");
        let text = std::fs::read_to_string(dir.path().join(form)).expect("read");
        if form.ends_with(".html") {
            anchors_pair(&text).unwrap_or_else(|e| panic!("{form}: {e}"));
        }
        let expected = if *form == "post-footnotes.md" {
            fixtures().join(form)
        } else {
            fixtures().join("fixed").join(form)
        };
        assert_eq!(
            text,
            std::fs::read_to_string(expected).expect("expected"),
            "{form}"
        );
    }
    // A second run has nothing to do.
    notelint(dir.path())
        .args(["fix", "--no-config", "--renumber", "--diff"])
        .args(FORMS)
        .assert()
        .code(0)
        .stdout("");
}

#[test]
fn the_diff_of_the_plain_text_form_shows_the_moved_notes() {
    let out = notelint(&fixtures())
        .args(["fix", "--no-config", "--renumber", "--diff", "post.txt"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1), "a file would change");
    let diff = String::from_utf8(out.stdout).expect("utf-8");
    assert!(diff.contains("-[3] Ibid., 41.\n"), "{diff}");
    assert!(diff.contains("+[5] Ibid., 41.\n"), "{diff}");
    assert!(
        diff.contains(
            "+A storm in 1953 broke the new lantern,[6] as the museum label recalls.[2]\n"
        ),
        "{diff}"
    );
}

fn run_on(text: &str, name: &str, args: &[&str]) -> (String, String, Option<i32>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(name);
    std::fs::write(&path, text).expect("write");
    let out = notelint(dir.path())
        .args(["fix", "--no-config", "--renumber"])
        .args(args)
        .arg(name)
        .output()
        .expect("run");
    (
        std::fs::read_to_string(&path).expect("read"),
        String::from_utf8(out.stderr).expect("utf-8"),
        out.status.code(),
    )
}

#[test]
fn a_post_whose_notes_are_not_recognised_is_never_touched() {
    // Numbers in the text and a list that hardly pairs with them.
    let text = "Figures 7 and 9.[7] Rooms [9] and [12].\n\n[1] Ann Lee, Bees (Oslo: Elv, 1977), 3.\n[2] Bo Moe, Ants (Oslo: Elv, 1980), 4.\n[3] Cy Dahl, Wasps (Oslo: Elv, 1981), 5.\n";
    let (after, err, _) = run_on(text, "post.txt", &[]);
    assert_eq!(after, text);
    assert!(
        err.contains("1 post not renumbered: notes not recognised"),
        "{err}"
    );
}

#[test]
fn an_ambiguous_numbering_is_refused_in_one_line() {
    let text = "A.[2] B.[1] C.[3]\n\n[1] Ann Lee, Bees (Oslo: Elv, 1977), 3.\n[1] Bo Moe, Ants (Oslo: Elv, 1980), 4.\n[2] Cy Dahl, Wasps (Oslo: Elv, 1981), 5.\n[3] Di Holm, Moths (Oslo: Elv, 1982), 6.\n";
    let (after, err, _) = run_on(text, "post.txt", &[]);
    assert_eq!(after, text);
    assert!(
        err.contains("post.txt: post 1: not renumbered: two notes are numbered 1"),
        "{err}"
    );
}

/// The paragraph citing Lee was moved between Moe and the Ibid. of Moe.
const IBID_MOVED: &str = "# Cranes\n\nCranes came in 1950.[1] Gulls nest on them.[3] They were sold in 1995.[2]\n\n## Notes\n\n[1] Ana Moe, “Harbour Cranes,” *Port Review*, May 6, 2021, 4.  \n[2] Ibid., 9.  \n[3] Bo Lee, *Gulls of the North Sea Coast* (Oslo: Tern Press, 2019), 2.\n";

#[test]
fn an_ibid_moved_from_its_source_is_refused_without_unsafe_fixes() {
    let (after, err, _) = run_on(IBID_MOVED, "post.md", &[]);
    assert_eq!(after, IBID_MOVED);
    assert!(
        err.contains("post.md: post 1: not renumbered: note 2 (new 3) is an Ibid."),
        "{err}"
    );
}

#[test]
fn with_unsafe_fixes_the_moved_ibid_becomes_a_short_form_that_resolves() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("post.md");
    std::fs::write(&path, IBID_MOVED).expect("write");
    notelint(dir.path())
        .args([
            "fix",
            "--no-config",
            "--renumber",
            "--unsafe-fixes",
            "post.md",
        ])
        .assert()
        .success();
    let after = std::fs::read_to_string(&path).expect("read");
    assert_eq!(
        after,
        "# Cranes\n\nCranes came in 1950.[1] Gulls nest on them.[2] They were sold in 1995.[3]\n\n## Notes\n\n[1] Ana Moe, “Harbour Cranes,” *Port Review*, May 6, 2021, 4.  \n[2] Bo Lee, *Gulls of the North Sea Coast* (Oslo: Tern Press, 2019), 2.  \n[3] Moe, “Harbour Cranes,” 9.\n"
    );
    let found = rules(dir.path(), "post.md");
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn check_fix_renumber_reports_what_remains() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = "B.[2] A.[1]\n\n[1] Ann Lee, Bees (Oslo: Elv, 1977), 3.\n[2] Cy Dahl, Wasps (Oslo: Elv, 1981), 5.\n[3] Di Holm, Moths (Oslo: Elv, 1982), 6.\n";
    std::fs::write(dir.path().join("post.txt"), text).expect("write");
    let out = notelint(dir.path())
        .args([
            "check",
            "--fix",
            "--renumber",
            "--no-config",
            "--format",
            "concise",
            "post.txt",
        ])
        .output()
        .expect("run");
    let report = String::from_utf8(out.stdout).expect("utf-8");
    assert!(report.contains("orphan-note"), "{report}");
    assert!(!report.contains("out-of-order-marker"), "{report}");
    assert_eq!(out.status.code(), Some(1), "the unreferenced note remains");
    let after = std::fs::read_to_string(dir.path().join("post.txt")).expect("read");
    assert_eq!(
        after,
        "B.[1] A.[2]\n\n[1] Cy Dahl, Wasps (Oslo: Elv, 1981), 5.\n[2] Ann Lee, Bees (Oslo: Elv, 1977), 3.\n[3] Di Holm, Moths (Oslo: Elv, 1982), 6.\n"
    );
}

#[test]
fn crlf_a_bom_and_non_breaking_spaces_survive_renumbering() {
    let text = "\u{feff}B.[2] A.[1]\r\n\r\n[1] Ann Lee, Bees (Oslo:\u{a0}Elv, 1977), 3.\r\n[2] Cy Dahl, Wasps (Oslo: Elv, 1981), 5.\r\n";
    let (after, _, code) = run_on(text, "post.txt", &[]);
    assert_eq!(code, Some(0));
    assert_eq!(
        after,
        "\u{feff}B.[1] A.[2]\r\n\r\n[1] Cy Dahl, Wasps (Oslo: Elv, 1981), 5.\r\n[2] Ann Lee, Bees (Oslo:\u{a0}Elv, 1977), 3.\r\n"
    );
}

#[test]
fn an_unreferenced_html_note_gets_a_comment_that_moves_with_it() {
    let text = "<p>B.<sup><a href=\"#fn3\" id=\"ref3\">[3]</a></sup> A.<sup><a href=\"#fn1\" id=\"ref1\">[1]</a></sup></p>\n<p id=\"fn1\">[1] Ann Lee, <em>Bees</em> (Oslo: Elv, 1977), 3. <a href=\"#ref1\">↩</a></p>\n<p id=\"fn2\">[2] Bo Moe, <em>Ants</em> (Oslo: Elv, 1980), 4.</p>\n<p id=\"fn3\">[3] Cy Dahl, <em>Wasps</em> (Oslo: Elv, 1981), 5. <a href=\"#ref3\">↩</a></p>\n";
    let (after, err, _) = run_on(text, "post.html", &[]);
    assert_eq!(
        after,
        "<p>B.<sup><a href=\"#fn1\" id=\"ref1\">[1]</a></sup> A.<sup><a href=\"#fn2\" id=\"ref2\">[2]</a></sup></p>\n<p id=\"fn1\">[1] Cy Dahl, <em>Wasps</em> (Oslo: Elv, 1981), 5. <a href=\"#ref1\">↩</a></p>\n<p id=\"fn2\">[2] Ann Lee, <em>Bees</em> (Oslo: Elv, 1977), 3. <a href=\"#ref2\">↩</a></p>\n<p id=\"fn3\">[3] Bo Moe, <em>Ants</em> (Oslo: Elv, 1980), 4.</p> <!-- notelint: not referenced in the text -->\n"
    );
    assert!(err.contains("note 2 (now 3) is not referenced"), "{err}");
    anchors_pair(&after).expect("anchors pair");
    // Run again: nothing changes, the comment is not added twice.
    let (again, _, _) = run_on(&after, "post.html", &[]);
    assert_eq!(again, after);
}
