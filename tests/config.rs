//! `notelint.toml` through the binary: discovery, rule levels, overrides, excludes, mistakes,
//! and command-line flags winning over the file.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/config")
}

fn notelint(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("notelint").expect("binary");
    cmd.current_dir(dir).env("NO_COLOR", "1");
    cmd
}

fn concise(dir: &Path, args: &[&str]) -> (String, i32) {
    let out = notelint(dir)
        .args(["check", "--format", "concise"])
        .args(args)
        .output()
        .expect("run");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn config_repo_gives_exactly_the_expected_diagnostics() {
    let (stdout, code) = concise(&repo(), &[]);
    // numbering-gap is off, duplicate-consecutive-note is an error, orphan-note is off under
    // archive/, and drafts/ is excluded.
    assert_eq!(
        stdout,
        "\
archive/mill.txt:3:49: error[orphan-marker] marker [3] has no note 3 in this post
posts/weir.txt:6:1: error[duplicate-consecutive-note] note 2 repeats note 1 word for word
posts/weir.txt:8:1: error[orphan-note] note 5 is not referred to by any marker
3 errors in 2 files (2 posts, 6 notes)
"
    );
    assert_eq!(code, 1);
}

#[test]
fn config_is_found_in_a_parent_folder_and_globs_stay_relative_to_it() {
    let (stdout, _) = concise(&repo().join("archive"), &["."]);
    assert_eq!(
        stdout,
        "mill.txt:3:49: error[orphan-marker] marker [3] has no note 3 in this post\n\
         1 error in 1 file (1 post, 2 notes)\n"
    );
}

#[test]
fn command_line_flags_override_the_file() {
    let (stdout, _) = concise(
        &repo(),
        &[
            "--rule",
            "numbering-gap=warning",
            "--rule",
            "orphan-note=off",
            "posts",
        ],
    );
    assert!(stdout.contains("warning[numbering-gap]"), "{stdout}");
    assert!(!stdout.contains("orphan-note"), "{stdout}");
    // `--no-config` restores the defaults: the draft is checked, the duplicate is a warning.
    let (stdout, _) = concise(&repo(), &["--no-config"]);
    assert!(stdout.contains("drafts/draft.txt"), "{stdout}");
    assert!(
        stdout.contains("warning[duplicate-consecutive-note]"),
        "{stdout}"
    );
    // A named file under an excluded folder is still excluded.
    let (stdout, code) = concise(&repo(), &["drafts/draft.txt"]);
    assert_eq!(
        (stdout.as_str(), code),
        ("no problems in 0 files (0 posts, 0 notes)\n", 0)
    );
}

#[test]
fn unknown_key_fails_with_exit_two_and_a_span_at_the_key() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("notelint.toml"),
        "[rules]\nempty-note = \"off\"\n\n[links]\ntimeuot = 30\n",
    )
    .expect("write");
    std::fs::write(dir.path().join("post.txt"), "Text.[1]\n\n[1] A.\n").expect("write");
    let out = notelint(dir.path()).arg("check").output().expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(out.stdout.is_empty());
    assert!(stderr.contains("unknown field `timeuot`"), "{stderr}");
    // The report points at line 5, column 1, and underlines the seven letters of the key.
    assert!(stderr.contains("notelint.toml:5:1]"), "{stderr}");
    assert!(stderr.contains(" 5 │ timeuot = 30"), "{stderr}");
    assert!(stderr.contains("\n   · ───┬───\n"), "{stderr}");

    // `--config` names another file; a bad level points at the value.
    let other = dir.path().join("other.toml");
    std::fs::write(&other, "[rules]\norphan-note = \"loud\"\n").expect("write");
    let out = notelint(dir.path())
        .args(["check", "--config"])
        .arg(&other)
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("unknown level `loud`"), "{stderr}");
    assert!(stderr.contains(":2:15]"), "{stderr}");
}
