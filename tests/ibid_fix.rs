//! The Ibid. repair of `notelint fix --unsafe-fixes`: notes inserted into Ibid. chains broke
//! them (fixtures/fix/ibid-inserted.txt, its earlier version ibid-inserted.base.txt); each
//! broken Ibid. is rewritten to the short form of the source it meant, which the resolver
//! reads back as that source, and nothing is left to report. Run on copies in temporary folders.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

mod common;

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/fix")
        .join(name);
    std::fs::read_to_string(path).expect("fixture")
}

fn notelint(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("notelint").expect("binary");
    cmd.current_dir(dir).env("NO_COLOR", "1");
    cmd
}

/// A temporary folder holding the post (`post.txt`) and its earlier version (`old.txt`).
fn copies() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let post = dir.path().join("post.txt");
    std::fs::write(&post, fixture("ibid-inserted.txt")).expect("write post");
    std::fs::write(
        dir.path().join("old.txt"),
        fixture("ibid-inserted.base.txt"),
    )
    .expect("write old");
    (dir, post)
}

fn stdout(cmd: &mut Command) -> String {
    let out = cmd.output().expect("run");
    String::from_utf8(out.stdout).expect("utf-8")
}

const BASE: [&str; 2] = ["--base-file", "old.txt"];

#[test]
fn unsafe_fixes_rewrite_each_broken_ibid_to_the_intended_short_form_and_check_is_clean() {
    let (dir, post) = copies();
    notelint(dir.path())
        .args(["fix", "--no-config", "--unsafe-fixes"])
        .args(BASE)
        .arg("post.txt")
        .assert()
        .success();
    let fixed = std::fs::read_to_string(&post).expect("read");
    assert_eq!(fixed, fixture("ibid-inserted.fixed.txt"));
    assert!(
        fixed.contains("[5] Lind, “Tides and Trade,” 250.\n"),
        "{fixed}"
    );
    assert!(fixed.contains("[8] Moe, “Concrete Quays.”\n"), "{fixed}");
    assert!(
        fixed.contains("[9] Moe, “Concrete Quays,” 14.\n"),
        "{fixed}"
    );

    // Each short form resolves to the source the Ibid. meant.
    let notes = stdout(notelint(dir.path()).args(["notes", "--no-config", "post.txt"]));
    for line in [
        "5  short  → Lind, “Tides and Trade” (note 1), 250",
        "8  short  → Moe, “Concrete Quays” (note 6)",
        "9  short  → Moe, “Concrete Quays” (note 6), 14",
    ] {
        assert!(notes.contains(line), "{line} in\n{notes}");
    }

    // Clean, with the earlier version and without.
    for base in [&BASE[..], &[]] {
        let out = notelint(dir.path())
            .args(["check", "--no-config", "--format", "concise"])
            .args(base)
            .arg("post.txt")
            .output()
            .expect("run");
        let report = String::from_utf8(out.stdout).expect("utf-8");
        assert_eq!(out.status.code(), Some(0), "{report}");
        assert!(report.starts_with("no problems"), "{report}");
    }

    // Idempotence: nothing left to fix.
    notelint(dir.path())
        .args(["fix", "--no-config", "--unsafe-fixes", "--diff"])
        .args(BASE)
        .arg("post.txt")
        .assert()
        .code(0)
        .stdout("");
}

#[test]
fn without_the_earlier_version_only_the_pages_tell_and_that_ibid_is_repaired() {
    let (dir, post) = copies();
    let diff = stdout(notelint(dir.path()).args([
        "fix",
        "--no-config",
        "--unsafe-fixes",
        "--diff",
        "post.txt",
    ]));
    let changed: Vec<&str> = diff
        .lines()
        .filter(|l| l.starts_with(['-', '+']) && !l.starts_with("---") && !l.starts_with("+++"))
        .collect();
    assert_eq!(
        changed,
        ["-[5] Ibid., 250.", "+[5] Lind, “Tides and Trade,” 250."],
        "{diff}"
    );
    assert_eq!(
        std::fs::read_to_string(&post).expect("read"),
        fixture("ibid-inserted.txt"),
        "--diff changes nothing"
    );
}

#[test]
fn without_unsafe_fixes_the_ibid_notes_are_left_and_the_report_says_what_would_fix_them() {
    let (dir, post) = copies();
    let report = stdout(
        notelint(dir.path())
            .args(["fix", "--no-config", "--format", "concise"])
            .args(BASE)
            .arg("post.txt"),
    );
    assert_eq!(
        std::fs::read_to_string(&post).expect("read"),
        fixture("ibid-inserted.txt")
    );
    assert!(report.contains("warning[ibid-reordered]"), "{report}");
    assert!(
        report.contains("4 findings fixable with `notelint fix --unsafe-fixes`"),
        "{report}"
    );
    notelint(dir.path())
        .args(["fix", "--no-config", "--diff"])
        .args(BASE)
        .arg("post.txt")
        .assert()
        .code(0)
        .stdout("");
}

#[test]
fn json_marks_the_ibid_repairs_unsafe_and_names_the_short_form() {
    let (dir, _post) = copies();
    let json = stdout(
        notelint(dir.path())
            .args(["check", "--no-config", "--format", "json"])
            .args(BASE)
            .arg("post.txt"),
    );
    let report: serde_json::Value = serde_json::from_str(&json).expect("json");
    let diagnostics = report["diagnostics"].as_array().expect("diagnostics");
    let ibid: Vec<&serde_json::Value> = diagnostics
        .iter()
        .filter(|d| d["rule"].as_str().is_some_and(|r| r.starts_with("ibid-")))
        .collect();
    assert_eq!(ibid.len(), 4, "{json}");
    for d in ibid {
        assert_eq!(d["fix"]["safe"], false, "{d}");
        let replacement = d["fix"]["edits"][0]["replacement"].as_str().expect("edit");
        let help = d["help"].as_str().expect("help");
        assert!(help.ends_with(replacement), "{help} / {replacement}");
    }
    // Not marked `[*]` (safe fixes only) in the human output.
    let human = stdout(
        notelint(dir.path())
            .args(["check", "--no-config"])
            .args(BASE)
            .arg("post.txt"),
    );
    assert!(!human.contains("[*]"), "{human}");
}

#[test]
fn markdown_and_html_short_forms_keep_the_titles_italics() {
    let cases = [
        (
            "post.md",
            "# Vik\n\nThe lighthouse was first lit in 1859.[1] Its keepers logged every passing ship.[2]\n\n[1] Jon Berg, *The Keeper’s Log* (Bergen: Fjord Press, 2015), 33.  \n[2] Ibid., 41.\n",
            "# Vik\n\nThe lighthouse was first lit in 1859.[1] Storms closed it for a winter.[2] Its keepers logged every passing ship.[3]\n\n[1] Jon Berg, *The Keeper’s Log* (Bergen: Fjord Press, 2015), 33.  \n[2] Mia Sund, “The Storm,” Archive Notes, 2018, 7.  \n[3] Ibid., 41.\n",
            "[3] Berg, *The Keeper’s Log*, 41.\n",
        ),
        (
            "post.html",
            "<p>The lighthouse was first lit in 1859.<sup><a href=\"#fn1\" id=\"r1\">[1]</a></sup> Its keepers logged every passing ship.<sup><a href=\"#fn2\" id=\"r2\">[2]</a></sup></p>\n<p id=\"fn1\">[1] Jon Berg, <em>The Keeper’s Log</em> (Bergen: Fjord &amp; Sea Press, 2015), 33.</p>\n<p id=\"fn2\">[2] Ibid., 41.</p>\n",
            "<p>The lighthouse was first lit in 1859.<sup><a href=\"#fn1\" id=\"r1\">[1]</a></sup> Storms closed it for a winter.<sup><a href=\"#fn2\" id=\"r2\">[2]</a></sup> Its keepers logged every passing ship.<sup><a href=\"#fn3\" id=\"r3\">[3]</a></sup></p>\n<p id=\"fn1\">[1] Jon Berg, <em>The Keeper’s Log</em> (Bergen: Fjord &amp; Sea Press, 2015), 33.</p>\n<p id=\"fn2\">[2] Mia Sund, “The Storm,” <em>Archive Notes</em>, 2018, 7.</p>\n<p id=\"fn3\">[3] Ibid., 41.</p>\n",
            "<p id=\"fn3\">[3] Berg, <em>The Keeper’s Log</em>, 41.</p>\n",
        ),
    ];
    for (name, old, new, repaired) in cases {
        let dir = tempfile::tempdir().expect("tempdir");
        let old_name = format!("old-{name}");
        std::fs::write(dir.path().join(&old_name), old).expect("write old");
        let path = dir.path().join(name);
        std::fs::write(&path, new).expect("write post");
        notelint(dir.path())
            .args([
                "fix",
                "--no-config",
                "--unsafe-fixes",
                "--base-file",
                &old_name,
                name,
            ])
            .assert()
            .success();
        let fixed = std::fs::read_to_string(&path).expect("read");
        assert!(fixed.ends_with(repaired), "{fixed}");
        assert_eq!(
            fixed.len() - repaired.len(),
            new.len() - new.lines().last().map_or(0, |l| l.len() + 1),
            "{name}: only the Ibid. note changed"
        );
        let out = notelint(dir.path())
            .args([
                "check",
                "--no-config",
                "--format",
                "concise",
                "--base-file",
                &old_name,
                name,
            ])
            .output()
            .expect("run");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
}

#[test]
fn no_fix_when_the_post_no_longer_cites_the_intended_work() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("old.txt"),
        fixture("ibid-inserted.base.txt"),
    )
    .expect("old");
    // The Moe article is gone: its Ibid. notes now lean on Lee, and nothing names Moe.
    let text = fixture("ibid-inserted.txt").replace(
        "[6] Ana Moe, “Concrete Quays,” Port Review, May 6, 2021.",
        "[6] Eva Holm, “Breakwaters,” Port Review, May 6, 2021.",
    );
    std::fs::write(dir.path().join("post.txt"), &text).expect("post");
    let diff = stdout(
        notelint(dir.path())
            .args(["fix", "--no-config", "--unsafe-fixes", "--diff"])
            .args(BASE)
            .arg("post.txt"),
    );
    assert!(!diff.contains("Moe"), "{diff}");
    assert!(!diff.contains("-[8]") && !diff.contains("-[9]"), "{diff}");
}

#[test]
fn base_rev_finds_the_earlier_version_in_git_for_fix_as_for_check() {
    let dir = tempfile::tempdir().expect("tempdir");
    let post = dir.path().join("post.txt");
    std::fs::write(&post, fixture("ibid-inserted.base.txt")).expect("write old");
    common::git(dir.path(), &["init", "-q"]);
    common::git(dir.path(), &["add", "post.txt"]);
    common::git(dir.path(), &["commit", "-q", "-m", "before the insertions"]);
    std::fs::write(&post, fixture("ibid-inserted.txt")).expect("write post");
    notelint(dir.path())
        .args([
            "fix",
            "--no-config",
            "--unsafe-fixes",
            "--base",
            "HEAD",
            "post.txt",
        ])
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(&post).expect("read"),
        fixture("ibid-inserted.fixed.txt")
    );
    notelint(dir.path())
        .args(["check", "--no-config", "--base", "HEAD", "post.txt"])
        .assert()
        .code(0);
}
