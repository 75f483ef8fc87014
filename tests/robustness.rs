//! Bad input never panics: truncated, shuffled and random-byte variants of every fixture go
//! through every parser and every rule.

use std::path::{Path, PathBuf};

use notelint::engine::{check_bytes, Inputs, Settings};
use notelint::model::Format;

/// A small deterministic generator, so failures reproduce.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next()).unwrap_or(0) % n.max(1)
    }
}

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
