//! `--changed-since REV` in a temporary git repository: old debt stays quiet, new defects show.

mod common;

use std::path::Path;

use assert_cmd::Command;
use common::git;

fn concise(dir: &Path, args: &[&str]) -> (String, i32) {
    let out = Command::cargo_bin("notelint")
        .expect("binary")
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(["check", "--no-config", "--format", "concise"])
        .args(args)
        .output()
        .expect("run");
    (
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
        out.status.code().unwrap_or(-1),
    )
}

const OLD: &str = "\
Harbour Lights

The light was lit in 1850.[1] It failed in 1851.[4]

[1] Anna Vik, Lights (Oslo: Elv, 1977), 12.
[2] Ola Berg, Keepers (Bergen: Fjord, 1981), 40.
[3] Vik, Lights, 14.
";

#[test]
fn only_the_new_defect_is_reported() {
    let repo = tempfile::tempdir().expect("tempdir");
    let dir = repo.path();
    std::fs::create_dir(dir.join("posts")).expect("mkdir");
    std::fs::write(dir.join("posts/lights.txt"), OLD).expect("write");
    std::fs::write(
        dir.join("posts/untouched.txt"),
        "Old debt.[1] More.[2]\n\n[1] A, 2020.\n",
    )
    .expect("write");
    git(dir, &["init", "-q"]);
    git(dir, &["add", "."]);
    git(dir, &["commit", "-q", "-m", "old"]);

    // A new paragraph with an orphan marker; the old orphan marker [4] is still there.
    let new = OLD.replace(
        "[4]\n",
        "[4]\nA second keeper came in 1860.[2] He left in 1862.[3] And 1863.[9]\n",
    );
    std::fs::write(dir.join("posts/lights.txt"), new).expect("write");
    // A file that is new since the revision counts as changed throughout.
    std::fs::write(
        dir.join("posts/new.txt"),
        "Fresh.[1] Again.[2]\n\n[1] Ola Berg, Keepers (Bergen: Fjord, 1981), 40.\n",
    )
    .expect("write");

    let (all, _) = concise(dir, &["posts"]);
    assert_eq!(all.matches("orphan-marker").count(), 4, "{all}");

    let (out, code) = concise(dir, &["--changed-since", "HEAD", "posts"]);
    assert_eq!(
        out,
        "posts/lights.txt:4:63: error[orphan-marker] marker [9] has no note 9 in this post\n\
         posts/new.txt:1:17: error[orphan-marker] marker [2] has no note 2 in this post\n\
         2 errors in 3 files (3 posts, 5 notes)\n"
    );
    assert_eq!(code, 1);

    // Once committed, nothing has changed since HEAD.
    git(dir, &["add", "."]);
    git(dir, &["commit", "-q", "-m", "new"]);
    let (out, code) = concise(dir, &["--changed-since", "HEAD", "posts"]);
    assert_eq!(
        (out.as_str(), code),
        ("no problems in 3 files (3 posts, 5 notes)\n", 0)
    );

    let (out, code) = concise(dir, &["--changed-since", "no-such-rev", "posts"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("no-such-rev"), "{out}");
}
