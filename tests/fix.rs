//! `notelint fix`: fixes applied in place or shown as a diff, in temporary folders.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

const POST: &str = "A.[1] B.[2] C.[3]\n\n[1] Report, 2019. https://a.org/wp- content/uploads/x.pdf\n[2] Kim, BBC, 2023,https://a.org/x\n[3] CNBC, https://a.org/x.html?msockid=05e7.\n";
const FIXED: &str = "A.[1] B.[2] C.[3]\n\n[1] Report, 2019. https://a.org/wp-content/uploads/x.pdf\n[2] Kim, BBC, 2023, https://a.org/x\n[3] CNBC, https://a.org/x.html.\n";

fn notelint(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("notelint").expect("binary");
    cmd.current_dir(dir).env("NO_COLOR", "1");
    cmd
}

fn post_in(dir: &tempfile::TempDir, text: &str) -> PathBuf {
    let path = dir.path().join("post.txt");
    std::fs::write(&path, text).expect("write post");
    path
}

#[test]
fn diff_prints_the_fixes_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = post_in(&dir, POST);
    let out = notelint(dir.path())
        .args(["fix", "--no-config", "--diff", "post.txt"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1), "a file would change");
    let diff = String::from_utf8(out.stdout).expect("utf-8");
    assert!(
        diff.starts_with("--- a/post.txt\n+++ b/post.txt\n"),
        "{diff}"
    );
    assert!(
        diff.contains("+[2] Kim, BBC, 2023, https://a.org/x\n"),
        "{diff}"
    );
    assert_eq!(std::fs::read_to_string(&path).expect("read"), POST);
}

#[test]
fn fix_then_check_shows_none_of_the_fixed_findings_and_a_second_fix_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = post_in(&dir, POST);
    notelint(dir.path())
        .args(["fix", "--no-config", "post.txt"])
        .assert()
        .success();
    assert_eq!(std::fs::read_to_string(&path).expect("read"), FIXED);
    let out = notelint(dir.path())
        .args(["check", "--no-config", "--format", "concise", "post.txt"])
        .output()
        .expect("run");
    let report = String::from_utf8(out.stdout).expect("utf-8");
    assert!(!report.contains("url-"), "{report}");
    // Idempotence: nothing left to fix.
    notelint(dir.path())
        .args(["fix", "--no-config", "--diff", "post.txt"])
        .assert()
        .code(0)
        .stdout("");
}

#[test]
fn check_fix_applies_the_fixes_and_reports_what_remains() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = post_in(&dir, &format!("{POST}[4] An orphan note.\n"));
    let out = notelint(dir.path())
        .args([
            "check",
            "--fix",
            "--no-config",
            "--format",
            "concise",
            "post.txt",
        ])
        .output()
        .expect("run");
    let report = String::from_utf8(out.stdout).expect("utf-8");
    assert!(report.contains("orphan-note"), "{report}");
    assert!(!report.contains("url-"), "{report}");
    assert_eq!(out.status.code(), Some(1), "the orphan note remains");
    assert!(std::fs::read_to_string(&path)
        .expect("read")
        .starts_with(FIXED));
}

#[test]
fn crlf_a_bom_and_non_breaking_spaces_are_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = format!(
        "\u{feff}{}",
        POST.replace('\n', "\r\n")
            .replace("[3] CNBC,", "[3] CNBC,\u{a0}")
    );
    let path = post_in(&dir, &text);
    notelint(dir.path())
        .args(["fix", "--no-config", "post.txt"])
        .assert()
        .success();
    let expected = format!(
        "\u{feff}{}",
        FIXED
            .replace('\n', "\r\n")
            .replace("[3] CNBC,", "[3] CNBC,\u{a0}")
    );
    assert_eq!(std::fs::read_to_string(&path).expect("read"), expected);
}

#[cfg(unix)]
#[test]
fn a_read_only_file_is_reported_and_left_alone() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = post_in(&dir, POST);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    let out = notelint(dir.path())
        .args(["fix", "--no-config", "post.txt"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).expect("utf-8");
    assert!(
        err.contains("post.txt is read-only: 3 findings left unfixed"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&path).expect("read"), POST);
}

#[cfg(unix)]
#[test]
fn a_fixed_file_keeps_its_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = post_in(&dir, POST);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    notelint(dir.path())
        .args(["fix", "--no-config", "post.txt"])
        .assert()
        .success();
    let mode = std::fs::metadata(&path).expect("stat").permissions().mode();
    assert_eq!(mode & 0o777, 0o640);
}

#[test]
fn a_file_without_fixes_is_not_rewritten() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = post_in(&dir, "A.[1]\n\n[1] Kim, 2023, https://a.org/x\n");
    let old = std::fs::File::open(&path).expect("open");
    let past = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    old.set_modified(past).expect("set mtime");
    drop(old);
    notelint(dir.path())
        .args(["fix", "--no-config", "post.txt"])
        .assert()
        .success();
    let mtime = std::fs::metadata(&path)
        .expect("stat")
        .modified()
        .expect("mtime");
    assert_eq!(mtime, past);
}

#[test]
fn the_copied_notes_fixture_diff_matches_its_expected_file() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = notelint(root)
        .args([
            "fix",
            "--no-config",
            "--diff",
            "fixtures/fix/copied-notes.txt",
        ])
        .output()
        .expect("run");
    let expected =
        std::fs::read_to_string(root.join("fixtures/fix/copied-notes.diff")).expect("expected");
    assert_eq!(String::from_utf8(out.stdout).expect("utf-8"), expected);
}

#[test]
fn a_broken_href_is_joined_with_the_copy_its_link_shows() {
    let dir = tempfile::tempdir().expect("tempdir");
    let html = "<html><body><p>Ports.<sup><a href=\"#fn1\" id=\"ref1\">[1]</a></sup></p>\n<p id=\"fn1\">[1] Ana Moe, <a href=\"https://a.org/2019/ ports/\">https://a.org/2019/ ports/</a> <a href=\"#ref1\">↩</a></p>\n</body></html>\n";
    let path = dir.path().join("post.html");
    std::fs::write(&path, html).expect("write post");
    notelint(dir.path())
        .args(["fix", "--no-config", "post.html"])
        .assert()
        .success();
    let fixed = std::fs::read_to_string(&path).expect("read");
    assert!(
        fixed.contains("<a href=\"https://a.org/2019/ports/\">https://a.org/2019/ports/</a>"),
        "{fixed}"
    );
}
