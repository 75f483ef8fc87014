//! `--changed-since REV` in a temporary git repository: old debt stays quiet, new defects show,
//! wherever the lines moved.

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

The light was lit in 1850.[1] It failed in 1851.[4] The keepers stayed.[2]

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
        "stayed.[2]\n",
        "stayed.[2]\nA second keeper came in 1860.[2] He left in 1862.[3] And 1863.[9]\n",
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

/// A repository holding `files` committed, then changed to `changed`; the concise report of
/// `--changed-since HEAD` and of a full run.
fn since_head(files: &[(&str, &str)], changed: &[(&str, &str)]) -> (String, String) {
    let repo = tempfile::tempdir().expect("tempdir");
    let dir = repo.path();
    for (name, text) in files {
        std::fs::write(dir.join(name), text).expect("write");
    }
    git(dir, &["init", "-q"]);
    git(dir, &["add", "."]);
    git(dir, &["commit", "-q", "-m", "old"]);
    for (name, text) in changed {
        std::fs::write(dir.join(name), text).expect("write");
    }
    let (since, _) = concise(dir, &["--changed-since", "HEAD", "."]);
    let (all, _) = concise(dir, &["."]);
    (since, all)
}

const GFM: &str = "\
# Gulls

Gulls nest on the roofs.[^a] They came in 1990.[^b]

[^a]: Bo Lee, *Gulls* (Tern Press, 2019), 12.
[^b]: Lee, *Gulls*, 40.
";

#[test]
fn a_deleted_note_makes_its_unchanged_marker_an_orphan() {
    let (since, all) = since_head(
        &[("gulls.md", GFM)],
        &[("gulls.md", &GFM.replace("[^b]: Lee, *Gulls*, 40.\n", ""))],
    );
    assert!(all.contains("orphan-marker"), "{all}");
    // The marker's line did not change; the defect is new all the same.
    assert!(
        since.starts_with("gulls.md:3:48: error[orphan-marker] marker [^b] has no note b"),
        "{since}"
    );
}

const OLD_DEBT: &str = "\
Harbour Lights

The light was lit in 1850.[1] It failed in 1851.[2] The keepers left.[3] Again.[9]

The second keeper came in 1860.[4]

[1] Anna Vik, Lights (Oslo: Elv, 1977), 12.
[2] Ola Berg, Keepers (Bergen: Fjord, 1981), 40.
[3] Vik, Lights, 14.
[4] Berg, Keepers, 41.
";

#[test]
fn an_old_fault_below_an_insertion_stays_quiet() {
    let inserted = OLD_DEBT.replace(
        "Harbour Lights\n\n",
        "Harbour Lights\n\nA new first paragraph,\nover two lines.[1]\n\n",
    );
    let (since, all) = since_head(&[("lights.txt", OLD_DEBT)], &[("lights.txt", &inserted)]);
    // The old orphan marker [9] moved down two lines: still reported by a full run only.
    assert!(
        all.contains("lights.txt:6:80: error[orphan-marker] marker [9]"),
        "{all}"
    );
    assert_eq!(since, "no problems in 1 file (1 post, 4 notes)\n");
}

#[test]
fn a_moved_paragraph_brings_no_old_fault_and_shows_its_new_ones() {
    // The paragraph with the old orphan [9] goes below the next one: [9] is old debt, but
    // marker [4] now comes before [1], which is new.
    let moved = OLD_DEBT.replace(
        "The light was lit in 1850.[1] It failed in 1851.[2] The keepers left.[3] Again.[9]\n\nThe second keeper came in 1860.[4]\n",
        "The second keeper came in 1860.[4]\n\nThe light was lit in 1850.[1] It failed in 1851.[2] The keepers left.[3] Again.[9]\n",
    );
    let (since, all) = since_head(&[("lights.txt", OLD_DEBT)], &[("lights.txt", &moved)]);
    assert!(all.contains("error[orphan-marker] marker [9]"), "{all}");
    assert!(!since.contains("marker [9]"), "{since}");
    assert!(
        since.contains("error[out-of-order-marker] marker [4]"),
        "{since}"
    );
}
