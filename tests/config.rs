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

/// A repository laid out beside a file it must never touch: `outside/.bashrc` next to
/// `repo/` holding the configuration and a post.
fn repo_beside_a_precious_file(config: &str) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let precious = dir.path().join("outside/.bashrc");
    std::fs::create_dir_all(precious.parent().expect("parent")).expect("mkdir");
    std::fs::write(&precious, "export PATH=$HOME/bin:$PATH\n").expect("write");
    let repo = dir.path().join("repo");
    std::fs::create_dir(&repo).expect("mkdir");
    std::fs::write(repo.join("notelint.toml"), config).expect("write");
    std::fs::write(repo.join("post.txt"), "Text.[1]\n\n[1] A.\n").expect("write");
    (dir, repo, precious)
}

#[test]
fn a_cache_path_outside_the_repository_is_a_config_error_and_nothing_is_written() {
    let config = "[links]\ncache = \"../outside/.bashrc\"\n";
    let (_dir, repo, precious) = repo_beside_a_precious_file(config);
    for args in [
        &["links", "post.txt"][..],
        &["check", "--check-links", "post.txt"],
    ] {
        let out = notelint(&repo).args(args).output().expect("run");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        // The report wraps at 100 columns.
        assert!(
            stderr.contains(
                "cache must be a path inside the folder holding the configuration: `../outside/.bashrc` climbs"
            ),
            "{stderr}"
        );
        assert!(
            stderr
                .contains(" 2 │ cache = \"../outside/.bashrc\"\n   · ──────────────┬─────────────"),
            "{stderr}"
        );
        assert!(stderr.contains("notelint.toml:2:1]"), "{stderr}");
        assert_eq!(
            std::fs::read_to_string(&precious).expect("read"),
            "export PATH=$HOME/bin:$PATH\n"
        );
    }
    // The user may still name any path on the command line; the configuration's bad key
    // is then not read at all with --no-config.
    let chosen = precious.with_file_name("links-cache.json");
    let out = notelint(&repo)
        .args(["links", "post.txt", "--no-config", "--cache"])
        .arg(&chosen)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(chosen.is_file());
}

#[test]
fn allow_private_in_the_configuration_is_refused_and_nothing_is_requested() {
    // A listener on 127.0.0.1 that counts connections.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.set_nonblocking(true).expect("nonblocking");
    let port = listener.local_addr().expect("addr").port();
    let (_dir, repo, _) = repo_beside_a_precious_file("[links]\nallow-private = true\n");
    std::fs::write(
        repo.join("post.txt"),
        format!("Text.[1]\n\n[1] http://127.0.0.1:{port}/ and http://169.254.169.254/.\n"),
    )
    .expect("write");
    let out = notelint(&repo)
        .args(["links", "post.txt", "--no-cache"])
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    // The report wraps at 100 columns.
    assert!(
        stderr.contains(
            "allow-private can only be given on the command line (--allow-private): a repository's"
        ) && stderr.contains("configuration may not widen what the link checker requests"),
        "{stderr}"
    );
    assert!(stderr.contains(" 2 │ allow-private = true"), "{stderr}");
    assert!(stderr.contains("   · ──────────┬─────────"), "{stderr}");
    assert!(listener.accept().is_err(), "a request was sent");
}

#[test]
fn globs_outside_the_repository_are_config_errors() {
    let (_dir, repo, _) = repo_beside_a_precious_file("include = [\"../outside/**\"]\n");
    let out = notelint(&repo).arg("check").output().expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("include globs are relative to the folder holding the configuration"),
        "{stderr}"
    );
    assert!(stderr.contains("notelint.toml:1:12]"), "{stderr}");
}
