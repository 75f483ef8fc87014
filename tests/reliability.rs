//! One file's problem never loses another file's output: panics, sizes, encodings, pipes.

use std::io::Read;
use std::process::Stdio;

use assert_cmd::Command;

fn notelint() -> Command {
    let mut cmd = Command::cargo_bin("notelint").expect("binary");
    cmd.env("NO_COLOR", "1");
    cmd
}

fn json_of(cmd: &mut Command) -> (Option<i32>, serde_json::Value) {
    let out = cmd.output().expect("run");
    let value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "JSON report ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    (out.status.code(), value)
}

fn rules_of(report: &serde_json::Value) -> Vec<(String, String)> {
    report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["path"]
                    .as_str()
                    .unwrap_or("")
                    .rsplit('/')
                    .next()
                    .unwrap_or("")
                    .to_string(),
                d["rule"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// Each file has one orphan marker.
fn three_posts() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for name in ["a.txt", "boom.txt", "c.txt"] {
        std::fs::write(
            dir.path().join(name),
            "A claim.[1] Another.[2]\n\n[1] A note.\n",
        )
        .expect("write");
    }
    dir
}

#[test]
fn a_panic_in_one_file_keeps_every_other_files_findings() {
    let dir = three_posts();
    let (code, report) = json_of(
        notelint()
            .env("NOTELINT_DEBUG_PANIC_ON", "boom")
            .args(["check", "--format", "json"])
            .arg(dir.path()),
    );
    assert_eq!(code, Some(2), "an internal error exits 2");
    let rules = rules_of(&report);
    assert!(
        rules.contains(&("a.txt".into(), "orphan-marker".into())),
        "{rules:?}"
    );
    assert!(
        rules.contains(&("c.txt".into(), "orphan-marker".into())),
        "{rules:?}"
    );
    assert!(
        rules.contains(&("boom.txt".into(), "internal-error".into())),
        "{rules:?}"
    );
    let internal = &report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["rule"] == "internal-error")
        .expect("internal error")["message"];
    let message = internal.as_str().expect("message");
    assert!(
        message.contains("boom.txt") && message.contains("report"),
        "{message}"
    );
}

#[test]
fn a_panic_while_checking_links_is_isolated_too() {
    let dir = three_posts();
    let (code, report) = json_of(
        notelint()
            .env("NOTELINT_DEBUG_PANIC_ON", "boom")
            .args(["links", "--no-cache", "--no-progress", "--format", "json"])
            .arg(dir.path()),
    );
    assert_eq!(code, Some(2));
    let rules = rules_of(&report);
    assert_eq!(rules, vec![("boom.txt".into(), "internal-error".into())]);
}

#[test]
fn findings_decide_the_exit_code_when_the_reader_stops_early() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut text = String::new();
    for i in 1..=999 {
        text.push_str(&format!("Claim {i}.[{i}]\n"));
    }
    text.push('\n');
    // Notes for three markers in four: the rest are orphans.
    for i in 1..=600 {
        text.push_str(&format!(
            "[{i}] Anna Vik, River Works (Oslo: Elv, 1977), {i}.\n"
        ));
    }
    std::fs::write(dir.path().join("many.txt"), text).expect("write");
    let bin = assert_cmd::cargo::cargo_bin("notelint");
    let mut child = std::process::Command::new(bin)
        .env("NO_COLOR", "1")
        .args(["check", "--format", "concise"])
        .arg(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    // Read a few bytes, as `head -c 10` does, then close the pipe.
    let mut first = [0u8; 10];
    child
        .stdout
        .take()
        .expect("stdout")
        .read_exact(&mut first)
        .expect("read");
    let status = child.wait().expect("wait");
    assert_eq!(
        status.code(),
        Some(1),
        "findings fail the run under `| head`"
    );
}

#[test]
fn a_file_over_the_size_cap_is_skipped_with_a_warning() {
    let dir = three_posts();
    std::fs::write(dir.path().join("big.txt"), "x".repeat(5000)).expect("write");
    let (code, report) = json_of(
        notelint()
            .args(["check", "--format", "json", "--max-file-size", "4KiB"])
            .arg(dir.path()),
    );
    assert_eq!(code, Some(1));
    let rules = rules_of(&report);
    assert!(
        rules.contains(&("big.txt".into(), "file-too-large".into())),
        "{rules:?}"
    );
    assert_eq!(rules.iter().filter(|r| r.1 == "orphan-marker").count(), 3);
    notelint()
        .args(["check", "--max-file-size", "lots"])
        .arg(dir.path())
        .assert()
        .code(2);
}

#[test]
fn utf16_files_with_a_bom_are_decoded_and_spans_name_their_bytes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = "Café claim.[1] Other.[2]\r\n\r\n[1] A note.\r\n";
    let mut bytes = vec![0xff, 0xfe];
    for u in text.encode_utf16() {
        bytes.extend(u.to_le_bytes());
    }
    let path = dir.path().join("windows.txt");
    std::fs::write(&path, &bytes).expect("write");
    let (code, report) = json_of(notelint().args(["check", "--format", "json"]).arg(&path));
    assert_eq!(code, Some(1));
    let d = &report["diagnostics"][0];
    assert_eq!(d["rule"], "orphan-marker");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(1), Some(22))
    );
    let offset = usize::try_from(d["offset"].as_u64().expect("offset")).expect("usize");
    let length = usize::try_from(d["length"].as_u64().expect("length")).expect("usize");
    let expected: Vec<u8> = "[2]".encode_utf16().flat_map(u16::to_le_bytes).collect();
    assert_eq!(&bytes[offset..offset + length], &expected[..]);
}

#[test]
fn spans_after_invalid_utf8_name_the_original_bytes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bytes = b"Caf\xe9 \xff\xfe claim.[1] Other.[2]\n\n[1] A note.\n".to_vec();
    let path = dir.path().join("latin1.txt");
    std::fs::write(&path, &bytes).expect("write");
    let (_, report) = json_of(notelint().args(["check", "--format", "json"]).arg(&path));
    let orphan = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["rule"] == "orphan-marker")
        .expect("orphan marker");
    let offset = usize::try_from(orphan["offset"].as_u64().expect("offset")).expect("usize");
    assert_eq!(&bytes[offset..offset + 3], b"[2]");
}

#[test]
fn lone_cr_line_endings_are_line_breaks() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("mac.txt");
    std::fs::write(&path, "A claim.[1]\r\rNotes\r\r[1] A note.\r").expect("write");
    let (code, report) = json_of(notelint().args(["check", "--format", "json"]).arg(&path));
    assert_eq!(code, Some(0), "{report}");
    assert_eq!(report["files"][0]["posts"][0]["notes"], 1);
}

#[test]
fn notes_shares_the_load_path_binary_files_are_skipped() {
    let dir = three_posts();
    std::fs::write(dir.path().join("image.txt"), b"\x89PNG\r\n\x1a\n\0\0\0").expect("write");
    let out = notelint()
        .args(["notes", "--no-config", "--format", "json"])
        .arg(dir.path())
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("image.txt looks like a binary file; skipped"),
        "{stderr}"
    );
    let listing = String::from_utf8_lossy(&out.stdout);
    assert!(!listing.contains("image.txt"), "{listing}");
    assert!(listing.contains("a.txt"), "{listing}");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn notes_honours_the_configurations_exclude() {
    let dir = three_posts();
    std::fs::write(dir.path().join("notelint.toml"), "exclude = [\"c.txt\"]\n").expect("write");
    let out = notelint()
        .current_dir(dir.path())
        .args(["notes", "--format", "json", "."])
        .output()
        .expect("run");
    let listing = String::from_utf8_lossy(&out.stdout);
    assert!(
        listing.contains("a.txt") && !listing.contains("c.txt"),
        "{listing}"
    );
}
