//! The binary's contract: exit codes, inputs, the JSON report, rules and explain.

use assert_cmd::Command;
use predicates::prelude::*;

fn notelint() -> Command {
    let mut cmd = Command::cargo_bin("notelint").expect("binary");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1");
    cmd
}

fn json(args: &[&str]) -> serde_json::Value {
    let out = notelint().args(args).output().expect("run");
    serde_json::from_slice(&out.stdout).expect("JSON report")
}

#[test]
fn clean_file_exits_zero_and_findings_exit_one() {
    notelint()
        .args(["check", "fixtures/text/clean-post.txt"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "no problems in 1 file (1 post, 3 notes)",
        ));
    notelint()
        .args(["check", "fixtures/text/orphan-marker.txt"])
        .assert()
        .code(1);
}

#[test]
fn warnings_fail_only_when_denied() {
    let file = "fixtures/text/duplicate-consecutive-note.txt";
    notelint().args(["check", file]).assert().code(0);
    notelint()
        .args(["check", "--deny", "warnings", file])
        .assert()
        .code(1);
}

#[test]
fn json_report_has_the_versioned_shape() {
    let v = json(&[
        "check",
        "--format",
        "json",
        "fixtures/text/multi-post-page.txt",
    ]);
    assert_eq!(v["version"], 1);
    let posts = v["files"][0]["posts"].as_array().expect("posts");
    let counts: Vec<_> = posts
        .iter()
        .map(|p| (p["notes"].as_u64(), p["markers"].as_u64()))
        .collect();
    assert_eq!(
        counts,
        vec![(Some(4), Some(4)), (Some(2), Some(2)), (Some(2), Some(2))]
    );
    assert_eq!(posts[1]["bibliography_entries"], 2);
    assert_eq!(v["summary"]["posts"], 3);

    let v = json(&[
        "check",
        "--format",
        "json",
        "fixtures/text/orphan-marker.txt",
    ]);
    let d = &v["diagnostics"][0];
    assert_eq!(d["rule"], "orphan-marker");
    assert_eq!(d["severity"], "error");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(4), Some(48))
    );
    assert_eq!(
        (d["end_line"].as_u64(), d["end_column"].as_u64()),
        (Some(4), Some(51))
    );
    assert_eq!(d["length"], 3);
    assert_eq!(d["note"], "3");
    assert_eq!(d["post"], 1);
    assert!(d["help"].as_str().is_some_and(|h| h.contains("[3]")));
}

#[test]
fn deny_takes_the_words_of_the_configuration_and_says_when_it_alone_fails_the_run() {
    let file = "fixtures/text/duplicate-consecutive-note.txt";
    for word in ["warning", "warnings", "warn", "info"] {
        notelint()
            .args(["check", "--deny", word, file])
            .assert()
            .code(1)
            .stderr(predicate::str::contains(
                "no errors; the run fails because of --deny",
            ));
    }
    notelint()
        .args(["check", "--deny", "error", file])
        .assert()
        .code(0)
        .stderr("");
    // Errors fail the run anyway: no word about --deny.
    notelint()
        .args([
            "check",
            "--deny",
            "warnings",
            "fixtures/text/orphan-marker.txt",
        ])
        .assert()
        .code(1)
        .stderr("");
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("notelint.toml"), "deny = \"warning\"\n").expect("write");
    notelint()
        .args(["check", "--config"])
        .arg(dir.path().join("notelint.toml"))
        .arg(file)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "fails because of deny = \"warnings\" in the configuration",
        ));
}

#[test]
fn nothing_checked_is_not_success() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("src")).expect("mkdir");
    std::fs::write(dir.path().join("src/main.rs"), "fn main() {}\n").expect("write");
    let shown = dir.path().display().to_string();
    // A folder holding no post at all: exit 2, saying where.
    notelint()
        .args(["check"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "no files to check under {shown}"
        )))
        .stderr(predicate::str::contains("nothing was checked"));
    // Beside a real post, the empty folder is named and the run goes on.
    notelint()
        .args(["check", "fixtures/text/clean-post.txt"])
        .arg(dir.path())
        .assert()
        .code(0)
        .stderr(predicate::str::contains(format!(
            "no files to check under {shown}"
        )));
    // Every post excluded by the configuration.
    std::fs::write(dir.path().join("a.md"), "Text.[^1]\n\n[^1]: A note.\n").expect("write");
    std::fs::write(dir.path().join("notelint.toml"), "exclude = [\"*.md\"]\n").expect("write");
    // Files excluded on purpose were found: said, but no failure (a pre-commit hook may hand
    // over only excluded drafts).
    notelint()
        .current_dir(dir.path())
        .args(["check", "."])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("no files to check under ."))
        .stderr(predicate::str::contains(
            "the configuration excludes every file found (1)",
        ));
    // Files of a known kind that hold no post: checked, and said so.
    let prose = tempfile::tempdir().expect("tempdir");
    std::fs::write(prose.path().join("readme.md"), "# Readme\n\nJust text.\n").expect("write");
    notelint()
        .arg("check")
        .arg(prose.path())
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "none of the 1 file checked holds a post with notes or markers",
        ));
    for command in ["links", "notes"] {
        notelint()
            .args([command])
            .arg(dir.path().join("src"))
            .assert()
            .code(2)
            .stderr(predicate::str::contains("no files to check under"));
    }
}

#[test]
fn stdin_is_sniffed_for_markdown_and_html_unless_its_format_is_given() {
    for (text, format) in [
        ("Text.[^1] More.\n\n[^1]: A note.\n", "markdown"),
        (
            "---\ntitle: A post\n---\nText.[1]\n\n[1] A, 2020.\n",
            "markdown",
        ),
        (
            "<!doctype html><p>Text.<sup><a href=\"#fn1\">1</a></sup></p>\n",
            "html",
        ),
        ("Text.[1]\n\n[1] A, 2020.\n", "text"),
    ] {
        let out = notelint()
            .args(["check", "--format", "json", "-"])
            .write_stdin(text)
            .output()
            .expect("run");
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        assert_eq!(report["files"][0]["format"], format, "{text}");
    }
    let out = notelint()
        .args(["check", "--format", "json", "--stdin-format", "text", "-"])
        .write_stdin("Text.[^1] More.\n\n[^1]: A note.\n")
        .output()
        .expect("run");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(report["files"][0]["format"], "text");
}

#[test]
fn stdin_is_read_with_a_dash() {
    notelint()
        .args(["check", "--format", "concise", "-"])
        .write_stdin("Text.[1][2]\n\n[1] A, 2020.\n")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("-:1:9: error[orphan-marker]"));
}

#[test]
fn bad_files_are_reported_and_the_run_goes_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("binary.txt"), [0u8, 159, 146, 150]).expect("write");
    std::fs::write(
        dir.path().join("latin1.txt"),
        b"A.[1]\n\n[1] Caf\xe9, 2020.\n",
    )
    .expect("write");
    std::fs::write(dir.path().join("empty.txt"), b"").expect("write");
    std::fs::write(dir.path().join("ignored.rs"), b"[1]").expect("write");
    let missing = dir.path().join("missing.txt");
    let out = notelint()
        .args(["check", "--format", "concise"])
        .arg(dir.path())
        .arg(&missing)
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{stdout}");
    assert!(stdout.contains("warning[binary-file]"), "{stdout}");
    assert!(stdout.contains("warning[invalid-utf8]"), "{stdout}");
    assert!(stdout.contains("error[io-error]"), "{stdout}");
    assert!(stdout.contains("in 4 files (1 post, 1 note)"), "{stdout}");
}

#[test]
fn directories_are_walked_in_a_stable_order_honouring_gitignore() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join(".gitignore"), "drafts/\n").expect("write");
    std::fs::create_dir(dir.path().join("drafts")).expect("mkdir");
    std::fs::write(dir.path().join("drafts/x.txt"), "A.[9] B.[8]\n\n[8] N.\n").expect("write");
    std::fs::write(dir.path().join("b.md"), "B.[2] C.[3]\n\n[3] N.\n").expect("write");
    std::fs::write(dir.path().join("a.txt"), "A.[1] B.[3]\n\n[3] N.\n").expect("write");
    let out = notelint()
        .args(["check", "--format", "concise", "."])
        .current_dir(dir.path())
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<_> = stdout.lines().collect();
    assert!(lines[0].starts_with("a.txt:1:3:"), "{stdout}");
    let b = lines
        .iter()
        .position(|l| l.starts_with("b.md:"))
        .expect("b.md");
    assert!(
        lines[..b].iter().all(|l| l.starts_with("a.txt:")),
        "{stdout}"
    );
    assert!(lines[b].starts_with("b.md:1:3:"), "{stdout}");
    assert!(!stdout.contains("drafts"), "{stdout}");
}

#[test]
fn rules_lists_every_rule_and_explain_prints_docs() {
    notelint()
        .arg("rules")
        .assert()
        .success()
        .stdout(predicate::str::contains("orphan-marker").and(predicate::str::contains("error")));
    notelint()
        .args(["explain", "numbering-gap"])
        .assert()
        .success()
        .stdout(predicate::str::contains("## Why is this bad?"));
    notelint()
        .args(["explain", "no-such-rule"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown rule"));
    for written in ["orphan_marker", "orphan-markr", "Orphan-Marker"] {
        notelint()
            .args(["explain", written])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("did you mean `orphan-marker`?"));
    }
}

#[test]
fn usage_errors_exit_two() {
    notelint()
        .args(["check", "--format", "nope"])
        .assert()
        .code(2);
}
