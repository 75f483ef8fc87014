//! A run writes each file as soon as every earlier one is written: the output of a run of
//! many files, linted in parallel and finishing out of order, is still valid and in the
//! order of the paths, in every format that streams.

use std::io::Read;
use std::path::Path;
use std::process::Stdio;

use assert_cmd::Command;
use serde_json::Value;

fn notelint() -> Command {
    let mut cmd = Command::cargo_bin("notelint").expect("binary");
    cmd.env("NO_COLOR", "1");
    cmd
}

/// Forty files, more than a run holds at once; the large ones take longer to lint, so
/// later files finish first. Every third file has an orphan marker.
fn many_files() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for i in 0..40 {
        let mut text = String::new();
        let posts = if i % 7 == 0 { 400 } else { 1 };
        for _ in 0..posts {
            text.push_str("A claim.[1] Another.[2]\n\n[1] Ann Lee, Bees (Oslo: Elv, 1977), 3.\n");
            if i % 3 != 0 {
                text.push_str("[2] Ibid., 4.\n");
            }
            text.push_str("\n---\n\n");
        }
        std::fs::write(dir.path().join(format!("post-{i:02}.txt")), text).expect("write");
    }
    dir
}

fn output(dir: &Path, format: &str, extra: &[&str]) -> (Option<i32>, String) {
    let out = notelint()
        .args(["check", "--no-config", "--format", format])
        .arg(dir)
        .args(extra)
        .output()
        .expect("run");
    (
        out.status.code(),
        String::from_utf8(out.stdout).expect("UTF-8"),
    )
}

fn is_sorted(paths: &[String]) -> bool {
    paths.windows(2).all(|w| w[0] <= w[1])
}

#[test]
fn json_of_a_many_file_run_is_valid_and_in_order() {
    let dir = many_files();
    // A path that cannot be read sorts among the files and is reported in its place.
    let missing = dir.path().join("post-20x-missing.txt");
    let missing = missing.to_str().expect("UTF-8 path");
    let (_, text) = output(dir.path(), "json", &[missing]);
    let report: Value = serde_json::from_str(&text).expect("valid JSON");
    let files: Vec<String> = report["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| f["path"].as_str().expect("path").to_string())
        .collect();
    assert_eq!(files.len(), 41);
    assert!(is_sorted(&files), "{files:?}");
    assert!(files[21].ends_with("post-20x-missing.txt"), "{files:?}");
    let diagnostics = report["diagnostics"].as_array().expect("diagnostics");
    let paths: Vec<String> = diagnostics
        .iter()
        .map(|d| d["path"].as_str().expect("path").to_string())
        .collect();
    assert!(is_sorted(&paths), "{paths:?}");
    // Files 0, 3, …, 39 have an orphan a post: 400 posts in files 0 and 21, one in the 12
    // others.
    let orphans = diagnostics
        .iter()
        .filter(|d| d["rule"] == "orphan-marker")
        .count();
    assert_eq!(orphans, 2 * 400 + 12);
    let summary = &report["summary"];
    assert_eq!(summary["files"], 41);
    let counted: u64 = ["errors", "warnings", "infos"]
        .iter()
        .map(|k| summary[k].as_u64().expect("count"))
        .sum();
    assert_eq!(counted, diagnostics.len() as u64);
}

#[test]
fn sarif_of_a_many_file_run_is_valid_and_in_order() {
    let dir = many_files();
    let (code, text) = output(dir.path(), "sarif", &[]);
    assert_eq!(code, Some(1));
    let log: Value = serde_json::from_str(&text).expect("valid JSON");
    let run = &log["runs"][0];
    assert!(run["tool"]["driver"]["rules"]
        .as_array()
        .is_some_and(|r| !r.is_empty()));
    let uris: Vec<String> = run["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .expect("uri")
                .to_string()
        })
        .collect();
    assert_eq!(uris.len(), 2 * 400 + 12);
    assert!(is_sorted(&uris), "{uris:?}");
}

#[test]
fn every_streaming_format_lists_the_files_in_order() {
    let dir = many_files();
    for format in ["concise", "github", "human"] {
        let (code, text) = output(dir.path(), format, &[]);
        assert_eq!(code, Some(1), "{format}");
        let named: Vec<String> = text
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .filter(|w| w.starts_with("post-"))
            .map(str::to_string)
            .collect();
        assert!(!named.is_empty(), "{format}");
        assert!(is_sorted(&named), "{format}: {named:?}");
        let last = text.lines().rfind(|l| !l.is_empty()).expect("summary");
        assert!(
            last.ends_with("812 errors in 40 files (2434 posts, 4056 notes)"),
            "{format}: {last}"
        );
    }
}

#[test]
fn findings_after_the_reader_has_gone_still_fail_the_run() {
    // Only the last file has a finding; the reader stops after the first bytes.
    let dir = tempfile::tempdir().expect("tempdir");
    for i in 0..30 {
        let text = if i == 29 {
            "A.[1] B.[2]\n\n[1] One.\n"
        } else {
            "A.[1]\n\n[1] One.\n"
        };
        std::fs::write(dir.path().join(format!("p{i:02}.txt")), text).expect("write");
    }
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("notelint"))
        .args(["check", "--no-config", "--format", "json"])
        .arg(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let mut first = [0u8; 10];
    child
        .stdout
        .take()
        .expect("stdout")
        .read_exact(&mut first)
        .expect("read");
    assert_eq!(child.wait().expect("wait").code(), Some(1));
}
