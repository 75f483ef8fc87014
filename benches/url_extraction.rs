//! Times URL extraction alone on 10 MB single lines of URL-like junk, one per shape that could
//! make a careless scanner slow: `cargo bench --bench url_extraction`.
//!
//! Extraction must stay linear in the text; each shape should take well under a second in a
//! release build.

use std::time::Instant;

use notelint::model::{MappedText, UrlOwner};
use notelint::parse::urls::extract;

const SIZE: usize = 10 * 1024 * 1024;

/// `piece` repeated to `SIZE` bytes, after `head`.
fn line(head: &str, piece: &str) -> String {
    let mut s = String::with_capacity(SIZE + head.len());
    s.push_str(head);
    while s.len() < SIZE {
        s.push_str(piece);
    }
    s
}

fn main() {
    let shapes = [
        ("one long URL of schemes", line("", "https://")),
        ("URLs glued end to end", line("", "2024,https://a.org/x")),
        (
            "a URL split after every segment",
            line("https://a.org/x", "- y/z"),
        ),
        ("URLs split by a URL each", line("", "https://a.org/x- ")),
        ("empty schemes", line("", "x https:// ")),
        ("near-miss schemes", line("", "htps:/ http// hhttp")),
        ("www inside hosts", line("", "www.")),
        ("doi prefixes", line("", "doi: 10. ")),
        ("unbalanced closing brackets", line("https://a.org/", ")")),
        ("open brackets", line("https://a.org/", "((")),
        ("trailing dots", line("https://a.org/", ".")),
        ("ellipses", line("https://a.org/", "…")),
        ("letters with no scheme", line("", "h")),
        ("non-ASCII path", line("https://a.org/", "Wpływ%20")),
    ];
    let mut worst = 0.0_f64;
    for (name, text) in shapes {
        let text = MappedText::contiguous(text, 0);
        let started = Instant::now();
        let mut urls = Vec::new();
        extract(&text, UrlOwner::Body(0), &mut urls);
        let seconds = started.elapsed().as_secs_f64();
        worst = worst.max(seconds);
        println!(
            "{name:<34} {:>5.1} MB {:>9} URLs {seconds:>8.3} s",
            text.text.len() as f64 / 1_048_576.0,
            urls.len()
        );
    }
    println!("slowest: {worst:.3} s");
}
