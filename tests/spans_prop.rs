//! Every diagnostic points at a valid place: property tests over generated documents, and a
//! quick "fuzz smoke" over random mutations of the fixtures, in every input format.
//!
//! Documents are strings of note-ish tokens (markers, note definitions, HTML footnote markup,
//! Ibid., URLs, entities, suppression comments, headings) mixed with the characters that
//! break byte arithmetic: multi-byte spaces and letters, emoji, `\r` and `\r\n`. For each,
//! the library runs as the binary does (decode, parse, lint, suppress, render) and every
//! diagnostic's span must lie in the text on character boundaries, with line and column
//! matching the span. The checks live in `tests/support/spans.rs`, shared with the fuzz
//! targets under `fuzz/`.
//!
//! Runs are reproducible: the seed is fixed unless `PROPTEST_RNG_SEED` is set, and
//! `PROPTEST_CASES` raises the number of cases for a longer search.

mod common;
#[path = "support/spans.rs"]
mod spans;

use common::Lcg;

use notelint::parse::Format;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

/// Tokens a document is built from. Spaces and line breaks are tokens too, so that markers
/// land at line starts, inside words and after multi-byte characters alike.
const TOKENS: &[&str] = &[
    // Markers and notes in the plain-text and Markdown styles.
    "[1]",
    "[2]",
    "[12]",
    "[^1]",
    "[^2]",
    "[^note]",
    "[^2]: text",
    "[^1]: Ibid., 5.\n",
    "\n[1] ",
    "\n1. ",
    "¹",
    "²³",
    // HTML footnote markup.
    "<sup><a href=\"#fn3\">3</a></sup>",
    "<sup id=\"fnref1\"><a href=\"#fn1\">1</a></sup>",
    "<li id=\"fn3\">",
    "<li id=\"fn1\"><p>",
    "</p></li>",
    "<ol>",
    "</ol>",
    "<p>",
    "</p>",
    "<a href=\"#fnref3\">↩</a>",
    "<a href=\"https://example.org/x\">",
    "<a href=\"https://example.org/a&amp;b\">",
    "</a>",
    "<section class=\"footnotes\">",
    "</section>",
    "<article>",
    "</article>",
    "<hr>",
    "<br>",
    // Citations.
    "Ibid.",
    "Ibid., 12.",
    "ibid",
    "Id. at 4",
    "Smith, John. “A Title.” Journal 3 (2020): 1–10.",
    "See also Doe, Book (Press, 2019), 44.",
    "Doe, Book, 45.",
    "pp. 3-5",
    "; ",
    "(2020)",
    // URLs, whole and broken.
    "https://example.org/a b",
    "https://example.org/path/",
    "http://x.y/(a)",
    "www.example.com",
    "doi:10.1000/xyz",
    "htps://bad.example",
    "https://example.org/cut…",
    // Characters wider than a byte, and line endings.
    "\u{a0}",
    "\u{2009}",
    "\u{3000}",
    "\u{200b}",
    "—",
    "é",
    "😀",
    "\u{feff}",
    "\r",
    "\r\n",
    "\n",
    "\n\n",
    " ",
    "\t",
    // Entities.
    "&amp;",
    "&nbsp;",
    "&#160;",
    "&lt;",
    "&#x1F600;",
    // Suppression comments, with ASCII and multi-byte separators.
    "<!-- notelint-disable orphan-marker -->",
    "<!-- notelint-disable-next-line orphan-marker -->",
    "<!-- notelint-enable orphan-marker -->",
    "<!-- notelint-disable-next-line orphan-note, empty-note -->",
    "<!-- notelint-disable\u{a0}orphan-marker -->",
    "<!-- notelint-disable orphan-marker,\u{3000}orphan-note -->",
    "<!--\u{a0}notelint-disable-next-line\u{2009}orphan-marker\u{a0}-->",
    "\nnotelint-disable-next-line orphan-note\n",
    // Headings and structure.
    "Notes",
    "\nNotes\n",
    "# Notes\n",
    "## Bibliography\n",
    "\nBibliography\n",
    "\nReferences\n",
    "<h2>Notes</h2>",
    "<h2>Bibliography</h2>",
    "\n---\n",
    "`code [1]`",
    "`",
    "`xhttps://example.org/c`",
    "\n```\n",
    "> ",
    "* ",
    "word",
    "Some prose.",
];

/// One token: a fixed one, or a marker, note or HTML footnote with a generated number.
fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop::sample::select(TOKENS).prop_map(str::to_string),
        1 => (1u32..40).prop_map(|n| format!("[{n}]")),
        1 => (1u32..40).prop_map(|n| format!("\n[{n}] Note {n}.")),
        1 => (1u32..40).prop_map(|n| format!("[^{n}]")),
        1 => (1u32..40).prop_map(|n| format!("\n[^{n}]: Note {n}.\n")),
        1 => (1u32..40).prop_map(|n| format!("<sup><a href=\"#fn{n}\">{n}</a></sup>")),
        1 => (1u32..40).prop_map(|n| format!("<li id=\"fn{n}\">Note {n}. <a href=\"#fnref{n}\">↩</a></li>")),
    ]
}

/// A document: up to 80 tokens in a row.
fn document() -> impl Strategy<Value = String> {
    prop::collection::vec(token(), 0..80).prop_map(|tokens| tokens.concat())
}

/// 256 cases and a fixed seed, unless the environment asks for others.
fn config() -> Config {
    let mut config = Config::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = 256;
    }
    if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
        config.rng_seed = RngSeed::Fixed(0x5eed_5a4e);
    }
    // Failures are reported with their shrunk input; nothing is written into the tree.
    config.failure_persistence = None;
    config
}

fn check(doc: &str, format: Format) {
    spans::check_input(doc.as_bytes(), format, &spans::all_rules());
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn text_spans_are_valid(doc in document()) {
        check(&doc, Format::Text);
    }

    #[test]
    fn markdown_spans_are_valid(doc in document()) {
        check(&doc, Format::Markdown);
    }

    #[test]
    fn html_spans_are_valid(doc in document()) {
        check(&doc, Format::Html);
    }
}

/// One random edit of `bytes`: a byte overwritten, a token inserted, a range deleted or
/// repeated, or the end cut off (possibly inside a multi-byte character).
fn mutate(bytes: &mut Vec<u8>, rng: &mut Lcg) {
    let at = rng.below(bytes.len() + 1);
    match rng.below(5) {
        0 if !bytes.is_empty() => {
            let at = at.min(bytes.len() - 1);
            bytes[at] = u8::try_from(rng.below(256)).unwrap_or(b'x');
        }
        1 | 2 => {
            let token = TOKENS[rng.below(TOKENS.len())].as_bytes();
            bytes.splice(at..at, token.iter().copied());
        }
        3 => {
            let end = (at + rng.below(64)).min(bytes.len());
            if rng.below(2) == 0 {
                bytes.drain(at..end);
            } else {
                let copy = bytes[at..end].to_vec();
                bytes.splice(at..at, copy);
            }
        }
        _ => bytes.truncate(at),
    }
}

/// The fixture notes of every format, with their format.
fn fixtures() -> Vec<(Vec<u8>, Format)> {
    fn walk(dir: &std::path::Path, out: &mut Vec<(std::path::PathBuf, Format)>) {
        for entry in std::fs::read_dir(dir).expect("fixtures folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if let Some(format) = path.to_str().and_then(Format::from_path) {
                out.push((path, format));
            }
        }
    }
    let mut paths = Vec::new();
    walk(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"),
        &mut paths,
    );
    paths.sort_by(|a, b| a.0.cmp(&b.0));
    paths
        .into_iter()
        .map(|(path, format)| (std::fs::read(&path).expect("read fixture"), format))
        .collect()
}

/// Runs a few thousand mutants of the fixtures, each read in its own format and one other,
/// through the same checks as the properties. Returns the number of runs.
fn fuzz_smoke() -> usize {
    let fixtures = fixtures();
    assert!(fixtures.len() > 50, "fixtures found: {}", fixtures.len());
    let all = spans::all_rules();
    let formats = [Format::Text, Format::Markdown, Format::Html];
    let mut rng = Lcg(0xf022);
    let mut runs = 0;
    for (bytes, format) in &fixtures {
        for _ in 0..12 {
            let mut mutant = bytes.clone();
            for _ in 0..=rng.below(4) {
                mutate(&mut mutant, &mut rng);
            }
            let other = formats[rng.below(formats.len())];
            for format in [*format, other] {
                runs += 1;
                let run = std::panic::catch_unwind(|| spans::check_input(&mutant, format, &all));
                assert!(
                    run.is_ok(),
                    "{format:?} input {:?}",
                    String::from_utf8_lossy(&mutant)
                );
            }
        }
    }
    assert!(runs >= 2000, "{runs} runs");
    runs
}

/// A quick stand-in for the fuzzers in `fuzz/` on every test run.
#[test]
fn fuzz_smoke_mutated_fixtures_have_valid_spans() {
    let runs = fuzz_smoke();
    eprintln!("{runs} runs");
}
