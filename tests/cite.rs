//! The citation engine through the binary: `notelint notes` and `check --base REV`.

mod common;

use std::path::Path;

use assert_cmd::Command;
use common::git;

fn notelint(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("notelint").expect("binary");
    cmd.current_dir(dir).env("NO_COLOR", "1");
    cmd
}

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `notelint check --format concise ARGS` in `dir` and returns the rule and line of each
/// diagnostic.
fn check_concise(dir: &Path, args: &[&str]) -> Vec<(String, String)> {
    let out = notelint(dir)
        .args(["check", "--format", "concise"])
        .args(args)
        .output()
        .expect("run");
    rules_and_lines(&out.stdout)
}

/// The rule and line of every concise diagnostic line.
fn rules_and_lines(stdout: &[u8]) -> Vec<(String, String)> {
    String::from_utf8_lossy(stdout)
        .lines()
        .filter_map(|l| {
            let (_, rest) = l.split_once(": ")?;
            let rule = rest.split_once('[')?.1.split_once(']')?.0;
            let at = l.split(':').nth(1)?;
            Some((rule.to_string(), at.to_string()))
        })
        .collect()
}

#[test]
fn base_revision_flags_exactly_the_ibids_whose_source_changed() {
    let repo = tempfile::tempdir().expect("temp dir");
    let old = std::fs::read(manifest_dir().join("fixtures/cite/base/moved-paragraph.txt"))
        .expect("old fixture");
    let new =
        std::fs::read(manifest_dir().join("fixtures/cite/moved-paragraph.txt")).expect("fixture");
    std::fs::create_dir(repo.path().join("posts")).expect("mkdir");
    let post = repo.path().join("posts/cranes.txt");
    std::fs::write(&post, old).expect("write");
    git(repo.path(), &["init", "-q"]);
    git(repo.path(), &["add", "."]);
    git(repo.path(), &["commit", "-q", "-m", "old"]);
    std::fs::write(&post, new).expect("write");

    let out = notelint(repo.path())
        .args(["check", "--format", "concise", "--base", "HEAD", "posts"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(
        rules_and_lines(&out.stdout),
        vec![
            ("ibid-reordered".to_string(), "14".to_string()),
            ("ibid-reordered".to_string(), "15".to_string()),
        ]
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("in HEAD it resolved to Moe"));

    // Unchanged against the working tree's own revision once committed.
    git(repo.path(), &["commit", "-q", "-am", "new"]);
    assert!(check_concise(repo.path(), &["--base", "HEAD", "posts/cranes.txt"]).is_empty());

    // A file added since the base revision has nothing to compare with.
    std::fs::write(repo.path().join("posts/new.txt"), b"A.[1]\n\n[1] Ibid.\n").expect("write");
    assert_eq!(
        check_concise(repo.path(), &["--base", "HEAD", "posts/new.txt"]),
        vec![("ibid-no-antecedent".to_string(), "3".to_string())]
    );
}

#[test]
fn base_errors_are_usage_errors() {
    let dir = manifest_dir();
    notelint(dir)
        .args([
            "check",
            "--base-file",
            "fixtures/cite/no-such-file.txt",
            "fixtures/cite/moved-paragraph.txt",
        ])
        .assert()
        .code(2);
    notelint(dir)
        .args([
            "check",
            "--base-file",
            "fixtures/cite/base/moved-paragraph.txt",
            "fixtures/cite",
        ])
        .assert()
        .code(2);
    let not_a_repo = tempfile::tempdir().expect("temp dir");
    std::fs::write(not_a_repo.path().join("a.txt"), b"A.[1]\n\n[1] Kim.\n").expect("write");
    notelint(not_a_repo.path())
        .args(["check", "--base", "no-such-rev", "a.txt"])
        .assert()
        .code(2);
}

#[test]
fn notes_lists_each_citation_and_its_source() {
    let out = notelint(manifest_dir())
        .args(["notes", "fixtures/cite/ibid-chain-ok.txt"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    for line in [
        "fixtures/cite/ibid-chain-ok.txt: post 1 (lines 1–13), 7 notes, 3 sources",
        "      1  full   Harbour Board, “Annual report of the board” (note 1), p. 9",
        "         ibid   see also → Harbour Board, “Annual report of the board” (note 1), p. 12",
        "      2  short  → Moe, “Harbour Cranes of the North” (note 1), 3",
        "      4  ibid   → Moe, “Harbour Cranes of the North” (note 1)",
        "      7  ibid   → Lind, “Tides and Trade” (note 6), 250, 252",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
}

#[test]
fn notes_show_each_source_s_bibliography_entry() {
    let out = notelint(manifest_dir())
        .args(["notes", "fixtures/bib/uncited-bibliography-entry.txt"])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    for line in [
        "      2  full   Lee, “Gulls of the Sound” (note 2) [bibliography line 8, by title]",
        "  bibliography:",
        "      4  “Rebuilding the Quays”  ← note 1 (by title)",
        "      6  Gull Society, “Annual Count - Gull Society”  (cited by no note)",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
    let out = notelint(manifest_dir())
        .args([
            "notes",
            "--format",
            "json",
            "fixtures/bib/missing-from-bibliography.txt",
        ])
        .output()
        .expect("run");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let post = &json["files"][0]["posts"][0];
    assert_eq!(post["sources"][0]["entry"]["entry"], 1);
    assert_eq!(post["sources"][0]["entry"]["by"], "title");
    assert_eq!(post["sources"][2]["entry"], serde_json::Value::Null);
    assert_eq!(post["bibliography"][0]["line"], 4);
}

#[test]
fn notes_json_gives_the_same_as_data() {
    let out = notelint(manifest_dir())
        .args([
            "notes",
            "--format",
            "json",
            "fixtures/cite/ibid-antecedents.txt",
        ])
        .output()
        .expect("run");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["version"], 1);
    let post = &v["files"][0]["posts"][0];
    let note = |i: usize| &post["notes"][i]["citations"];
    assert_eq!(note(0)[0]["kind"], "ibid");
    assert_eq!(note(0)[0]["resolution"]["kind"], "no-antecedent");
    assert_eq!(note(1).as_array().map(Vec::len), Some(0));
    assert_eq!(note(3)[1]["source_label"], "Moe, “Harbour Birds”");
    assert_eq!(note(4)[0]["resolution"]["sources"], 2);
    assert_eq!(note(4)[0]["locator"]["pages"][0]["first"], 14);
    assert_eq!(note(5)[0]["resolution"]["kind"], "unmatched");
    assert_eq!(post["sources"][0]["title"], "Gulls of the Sound");
    assert_eq!(post["sources"][0]["container"], "Bergen: Tern Press");
}
