//! Runs over several files: note links between the files of one run (an EPUB's chapters and
//! its endnotes file) are checked against the file linked to; a file alone is not.

use assert_cmd::Command;

const BOOK: &str = "fixtures/realworld/epub-book/text";

fn check(args: &[&str]) -> serde_json::Value {
    let output = Command::cargo_bin("notelint")
        .expect("binary")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["check", "--no-config", "--format", "json"])
        .args(args)
        .output()
        .expect("run notelint");
    serde_json::from_slice(&output.stdout).expect("json report")
}

/// `(file name, message)` of each `broken-footnote-link` finding.
fn broken_links(report: &serde_json::Value) -> Vec<(String, String)> {
    report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["rule"] == "broken-footnote-link")
        .map(|d| {
            let path = d["path"].as_str().unwrap_or_default();
            let name = path.rsplit('/').next().unwrap_or_default().to_string();
            (name, d["message"].as_str().unwrap_or_default().to_string())
        })
        .collect()
}

#[test]
fn a_folder_run_checks_links_between_its_files() {
    let report = check(&[BOOK]);
    assert_eq!(
        broken_links(&report),
        vec![
            (
                "chapter-1.xhtml".to_string(),
                "marker links to endnotes.xhtml#note-3, but endnotes.xhtml has no element with that id"
                    .to_string()
            ),
            (
                "endnotes.xhtml".to_string(),
                "note 5 links back to chapter-2.xhtml#noteref-5, but chapter-2.xhtml has no element with that id"
                    .to_string()
            ),
            (
                "endnotes.xhtml".to_string(),
                "note 7 links back to chapter-2.xhtml#noteref-4, but that marker links to another note"
                    .to_string()
            ),
        ]
    );
}

#[test]
fn the_same_files_linted_alone_get_no_cross_file_finding() {
    for name in ["chapter-1.xhtml", "chapter-2.xhtml", "endnotes.xhtml"] {
        let report = check(&[&format!("{BOOK}/{name}")]);
        assert!(broken_links(&report).is_empty(), "{name}: {report}");
    }
}

#[test]
fn a_link_resolves_relative_to_the_linking_file_whatever_the_path_given() {
    // The same book named through `./` and `..`: links still find their files.
    let report = check(&[
        "./fixtures/realworld/epub-book/text/chapter-2.xhtml",
        "fixtures/realworld/epub-book/../epub-book/text/endnotes.xhtml",
    ]);
    let found = broken_links(&report);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].1.starts_with("note 5 links back"), "{found:?}");
    assert!(found[1].1.starts_with("note 7 links back"), "{found:?}");
}

#[test]
fn back_links_that_all_miss_one_file_are_one_finding() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("chapter-1.xhtml"),
        "<html><body><p>Text.<a href=\"endnotes.xhtml#note-1\" id=\"noteref-1\" epub:type=\"noteref\">1</a></p></body></html>\n",
    )
    .expect("write");
    let notes: String = (1..=4)
        .map(|n| format!("<li id=\"note-{n}\" epub:type=\"endnote\"><p>Note {n}. <a href=\"chapter-1.xhtml#noteref-{}\">↩</a></p></li>\n", n + 10))
        .collect();
    std::fs::write(
        dir.path().join("endnotes.xhtml"),
        format!("<html><body><section epub:type=\"endnotes\"><ol>\n{notes}</ol></section></body></html>\n"),
    )
    .expect("write");
    std::fs::write(
        dir.path().join("a-readme.md"),
        "Plain notes.[^1]\n\n[^1]: One.\n",
    )
    .expect("write");
    let report = check(&[dir.path().to_str().expect("utf-8 path")]);
    // Every file is reported, in path order, whichever waited for the others' ids.
    let files: Vec<_> = report["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| {
            f["path"]
                .as_str()
                .unwrap_or_default()
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    assert_eq!(files, ["a-readme.md", "chapter-1.xhtml", "endnotes.xhtml"]);
    assert_eq!(
        broken_links(&report),
        vec![(
            "endnotes.xhtml".to_string(),
            "4 back-links (notes 1 to 4) point to ids chapter-1.xhtml does not have, such as #noteref-11"
                .to_string()
        )]
    );
}
