//! Runs the binary on every fixture that has an expected output beside it
//! (`fixtures/**/NAME.EXT` with `NAME.expected`) and compares the human report byte for byte.
//!
//! To add a fixture, create it with an empty `NAME.expected` beside it, then
//! `NOTELINT_BLESS=1 cargo test --test fixtures` writes (or rewrites) the expected files.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn fixtures_with_expectations(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("fixtures folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            fixtures_with_expectations(&path, out);
        } else if path
            .extension()
            .is_some_and(|e| e != "expected" && e != "args")
            && path.with_extension("expected").exists()
        {
            out.push(path);
        }
    }
}

/// The command a fixture runs with: extra arguments may sit in `NAME.args`, one per line.
fn run(fixture: &Path) -> String {
    let rel = fixture
        .strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(fixture);
    let mut cmd = Command::cargo_bin("notelint").expect("binary");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .arg("check");
    if let Ok(args) = std::fs::read_to_string(fixture.with_extension("args")) {
        cmd.args(args.lines().filter(|l| !l.trim().is_empty()));
    }
    let output = cmd.arg(rel).output().expect("run notelint");
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&format!("[exit {}]\n", output.status.code().unwrap_or(-1)));
    text
}

#[test]
fn every_fixture_matches_its_expected_output() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut fixtures = Vec::new();
    fixtures_with_expectations(&root, &mut fixtures);
    assert!(!fixtures.is_empty(), "no fixtures found");
    let bless = std::env::var_os("NOTELINT_BLESS").is_some();
    let mut failures = Vec::new();
    for fixture in &fixtures {
        let actual = run(fixture);
        let expected_path = fixture.with_extension("expected");
        if bless {
            std::fs::write(&expected_path, &actual).expect("write expected");
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if actual != expected {
            failures.push(format!(
                "--- {}\n+++ actual\n{actual}",
                expected_path.display()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures differ (NOTELINT_BLESS=1 rewrites them):\n{}",
        failures.len(),
        fixtures.len(),
        failures.join("\n")
    );
}
