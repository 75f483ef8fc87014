//! Helpers shared by the integration tests.

use std::path::Path;
use std::process::Command;

/// Runs `git ARGS` in `dir` with a fixed identity, failing the test if git fails.
pub fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=notelint",
            "-c",
            "user.email=notelint@example.org",
        ])
        .args(args)
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {out:?}");
}
