//! Bad input never panics: truncated, shuffled and random-byte variants of every fixture go
//! through every parser and every rule.

use std::path::{Path, PathBuf};

mod common;

use common::Lcg;
use notelint::engine::{check_bytes, Inputs, Settings};
use notelint::parse::Format;

fn fixture_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("fixtures").flatten() {
        let path = entry.path();
        if path.is_dir() {
            fixture_files(&path, out);
        } else if path.extension().is_some_and(|e| {
            ["txt", "md", "markdown", "html", "htm"]
                .iter()
                .any(|x| e == *x)
        }) {
            out.push(path);
        }
    }
}

fn variants(bytes: &[u8], rng: &mut Lcg) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    // Truncations, including inside multi-byte characters.
    for _ in 0..8 {
        out.push(bytes[..rng.below(bytes.len() + 1)].to_vec());
    }
    // Shuffled lines.
    let mut lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
    for i in (1..lines.len()).rev() {
        lines.swap(i, rng.below(i + 1));
    }
    out.push(lines.join(&b'\n'));
    // Random bytes written over the text, and pure noise.
    let mut flipped = bytes.to_vec();
    for _ in 0..flipped.len() / 16 + 1 {
        if flipped.is_empty() {
            break;
        }
        let at = rng.below(flipped.len());
        flipped[at] = u8::try_from(rng.below(256)).unwrap_or(0);
    }
    out.push(flipped);
    out.push(
        (0..512)
            .map(|_| u8::try_from(rng.below(256)).unwrap_or(0) | 1)
            .collect(),
    );
    out
}

#[test]
fn mangled_fixtures_never_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut files = Vec::new();
    fixture_files(&root, &mut files);
    files.sort();
    assert!(!files.is_empty());
    let settings = Settings::default();
    let mut rng = Lcg(0x5eed);
    let mut runs = 0;
    for file in &files {
        let bytes = std::fs::read(file).expect("read fixture");
        for variant in variants(&bytes, &mut rng) {
            for format in [Format::Text, Format::Markdown, Format::Html] {
                let _ = check_bytes("v", variant.clone(), format, &settings, &Inputs::default());
                runs += 1;
            }
        }
    }
    assert!(runs >= files.len() * 3);
}

#[test]
fn pathological_inputs_never_panic() {
    let settings = Settings::default();
    let huge_line = "word[1] ".repeat(200_000) + "\n[1] " + &"x".repeat(1_000_000);
    let cases: Vec<Vec<u8>> = vec![
        Vec::new(),
        b"\n\n\n".to_vec(),
        huge_line.into_bytes(),
        "[".repeat(100_000).into_bytes(),
        "[1]\n".repeat(50_000).into_bytes(),
        "¹²³⁴⁵⁶⁷⁸⁹⁰".repeat(10_000).into_bytes(),
        "<div>".repeat(10_000).into_bytes(),
        vec![0xff; 4096],
        b"\r\r\r\n\r".to_vec(),
    ];
    for bytes in cases {
        for format in [Format::Text, Format::Markdown, Format::Html] {
            let _ = check_bytes("p", bytes.clone(), format, &settings, &Inputs::default());
        }
    }
}

/// Runs the binary on `bytes` saved as `name`, in `format` output, and returns stdout; fails
/// on a panic or an exit code other than 0 (clean) or 1 (findings).
fn run_binary(name: &str, bytes: &[u8], format: &str) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("write input");
    let output = assert_cmd::Command::cargo_bin("notelint")
        .expect("binary")
        .env("NO_COLOR", "1")
        .args(["check", "--format", format])
        .arg(&path)
        .output()
        .expect("run notelint");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        matches!(output.status.code(), Some(0 | 1)) && !stderr.contains("panicked"),
        "{name} ({format}): {:?}\n{stderr}",
        output.status
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The text each diagnostic's byte span covers in `bytes`, by rule.
fn diagnostic_texts(json: &str, bytes: &[u8]) -> Vec<(String, String)> {
    let v: serde_json::Value = serde_json::from_str(json).expect("json output");
    v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            let at = usize::try_from(d["offset"].as_u64().expect("offset")).unwrap_or(0);
            let len = usize::try_from(d["length"].as_u64().expect("length")).unwrap_or(0);
            let text = bytes
                .get(at..at + len)
                .and_then(|b| std::str::from_utf8(b).ok())
                .unwrap_or("<span not on character boundaries>");
            (
                d["rule"].as_str().unwrap_or("").to_string(),
                text.to_string(),
            )
        })
        .collect()
}

#[test]
fn multi_byte_space_before_a_marker_does_not_panic() {
    for (name, bytes) in [
        ("t.txt", b"a\xc2\xa0[1]\n".to_vec()),
        ("t.txt", "a\u{2009}[1] b\u{3000}[2]\n".as_bytes().to_vec()),
        ("t.html", b"<p>Claim&nbsp;[1]</p>\n".to_vec()),
        ("t.html", "<p>Claim\u{a0}[1]</p>\n".as_bytes().to_vec()),
        ("t.md", "Claim\u{a0}[1] and\u{a0}[^2]\n".as_bytes().to_vec()),
    ] {
        let _ = run_binary(name, &bytes, "human");
        let json = run_binary(name, &bytes, "json");
        for (rule, text) in diagnostic_texts(&json, &bytes) {
            if rule == "orphan-marker" {
                assert!(text.starts_with('['), "{name}: {text:?}");
            }
        }
    }
}

#[test]
fn suppression_rules_split_by_a_no_break_space_do_not_panic() {
    let text = format!("<!-- notelint-enable a\u{a0}b -->{}\n", "x".repeat(212));
    for name in ["t.html", "t.txt", "t.md"] {
        let human = run_binary(name, text.as_bytes(), "human");
        assert!(human.contains("unknown rule `b`"), "{human}");
        let json = run_binary(name, text.as_bytes(), "json");
        let named: Vec<_> = diagnostic_texts(&json, text.as_bytes())
            .into_iter()
            .filter(|(rule, _)| rule == "unused-suppression")
            .map(|(_, text)| text)
            .collect();
        assert_eq!(named, ["a", "b"], "{name}");
    }
}

/// A full citation, so a note is not flagged for anything but the pairing under test.
const NOTE: &str = "Anna Vik, River Works (Oslo: Elv, 1977), 3.";

#[test]
fn html_entities_do_not_shift_marker_spans() {
    // An entity before 79 em dashes and a superscript marker put the marker's span inside a
    // dash (a panic in the human report); `A &amp; B.[1]` named the marker `; B`.
    let dashes = format!(
        "<p>&amp;{}x\u{b2} Two.\u{b3}</p>\n<h2>Notes</h2>\n<p>3. {NOTE}</p>\n",
        "\u{2014}".repeat(79)
    );
    let _ = run_binary("t.html", dashes.as_bytes(), "human");
    let json = run_binary("t.html", dashes.as_bytes(), "json");
    let found = diagnostic_texts(&json, dashes.as_bytes());
    assert_eq!(
        found[0],
        ("orphan-marker".to_string(), "\u{b2}".to_string())
    );
    for entity in [
        "&amp;",
        "&amp",
        "&nbsp;",
        "&#8212;",
        "&#x2014;",
        "&copy",
        "&notit;",
        "&bogus;",
        "&",
        "&#128;",
        "&NotEqualTilde;",
    ] {
        let text = format!(
            "<p>A {entity} B.[1] C{entity}{entity}.[2]</p>\n<p>D&eacute;j&agrave; {entity}\u{2014}[3]</p>\n\
             <p>E.[4] F.[5] G.[6]</p>\n<h2>Notes</h2>\n<p>[4] {NOTE}</p>\n<p>[5] {NOTE}</p>\n<p>[6] {NOTE}</p>\n"
        );
        let human = run_binary("t.html", text.as_bytes(), "human");
        assert!(
            human.contains("marker [1] has no note 1"),
            "{entity}: {human}"
        );
        let json = run_binary("t.html", text.as_bytes(), "json");
        let markers: Vec<_> = diagnostic_texts(&json, text.as_bytes())
            .into_iter()
            .filter(|(rule, _)| rule == "orphan-marker")
            .map(|(_, text)| text)
            .collect();
        assert_eq!(markers, ["[1]", "[2]", "[3]"], "{entity}");
    }
}

#[test]
fn lone_carriage_returns_end_lines() {
    // An old Mac file (`\r` line endings) was read as one line: its notes were not notes.
    for (name, text) in [
        ("t.txt", "Claim.[1] More.[2]\r\r[1] One.\r[2] Two.\r"),
        ("t.md", "Claim.[1] More.[2]\r\r[1] One.\r[2] Two.\r"),
        ("t.md", "Claim.[^1] More.[^2]\r\r[^1]: One.\r[^2]: Two.\r"),
        (
            "t.html",
            "<p>Claim.[1] More.[2]</p>\r<p>[1] One.\r[2] Two.</p>\r",
        ),
    ] {
        let json = run_binary(name, text.as_bytes(), "json");
        let v: serde_json::Value = serde_json::from_str(&json).expect("json");
        assert_eq!(v["summary"]["notes"], 2, "{name}: {text:?}\n{json}");
        let orphans = diagnostic_texts(&json, text.as_bytes())
            .into_iter()
            .filter(|(rule, _)| rule.starts_with("orphan"))
            .count();
        assert_eq!(orphans, 0, "{name}: {text:?}\n{json}");
    }
}

/// Inputs that once took quadratic time: each is sized so that the old code needed minutes
/// in a debug build, while a linear pass takes a second or two. Nothing is timed here (the
/// figures are in `scripts/bench-pathological.sh`); a return to quadratic time shows as a test
/// that hangs.
#[test]
fn inputs_that_were_quadratic_finish() {
    let settings = Settings::default();
    let notes = 20_000;
    let mut many_notes = String::new();
    for i in 1..=notes {
        many_notes.push_str(&format!("Claim number {i} is made here.[{i}]\n\n"));
    }
    many_notes.push_str("Notes\n\n");
    for i in 1..=notes {
        many_notes.push_str(&format!(
            "[{i}] Author {i}, \u{201c}Title {i},\u{201d} Publisher, 2020, https://example.org/{i}.\n"
        ));
    }
    let mut ibids = String::new();
    for i in 1..=notes {
        ibids.push_str(&format!("Text.[{i}]\n"));
    }
    ibids.push_str(
        "\nNotes\n\n[1] Ellen Kim, \u{201c}Escape Routes,\u{201d} NK News, 2020, p. 1.\n",
    );
    for i in 2..=notes {
        ibids.push_str(&format!("[{i}] Ibid., p. {i}.\n"));
    }
    let mut html = String::from("<!DOCTYPE html><html><body>\n");
    for i in 1..=notes {
        html.push_str(&format!(
            "<p>Claim {i}.<sup id=\"fnref{i}\"><a href=\"#fn{i}\">{i}</a></sup></p>\n"
        ));
    }
    html.push_str("<ol>\n");
    for i in 1..=notes {
        html.push_str(&format!(
            "<li id=\"fn{i}\">Author {i}, <a href=\"https://example.org/{i}\">x</a>. <a href=\"#fnref{i}\">\u{21a9}</a></li>\n"
        ));
    }
    html.push_str("</ol></body></html>\n");
    let cases = [
        (format!("x{}\n", "[1]".repeat(100_000)), Format::Text, 0),
        (many_notes, Format::Text, notes),
        (
            format!("{}\n\n[^1]: note\n", "[^1]".repeat(100_000)),
            Format::Markdown,
            1,
        ),
        (ibids, Format::Text, notes),
        (html, Format::Html, notes),
    ];
    for (text, format, expected_notes) in cases {
        let report = check_bytes(
            "p",
            text.into_bytes(),
            format,
            &settings,
            &Inputs::default(),
        );
        assert_eq!(report.note_count(), expected_notes, "{format:?}");
    }
}
