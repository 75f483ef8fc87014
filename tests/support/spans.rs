//! The span contract, checked from outside the library: every diagnostic's span lies inside
//! the decoded text, on character boundaries, and its line and column agree with the span.
//!
//! Shared by `tests/spans_prop.rs` and the fuzz targets under `fuzz/` (which include this file
//! by path), so that a fuzzer crash and a failing property report the same thing. Each check
//! panics with the offending diagnostic and the text around it.

#![allow(dead_code)]

use notelint::diagnostic::Diagnostic;
use notelint::engine::{self, Inputs, Settings};
use notelint::output::{Concise, Emitter, Github, Human, Json, Report, Sarif};
use notelint::parse::Format;
use notelint::report::FileReport;
use notelint::source::Span;

/// The 1-based line and column at each byte offset of `text` that starts a character, and at
/// its end; `None` inside a multi-byte character. Lines break at `\n`, `\r\n` or a lone `\r`,
/// and columns count Unicode scalar values, as the documentation of `SourceFile` promises.
#[must_use]
pub fn positions(text: &str) -> Vec<Option<(usize, usize)>> {
    let mut out = vec![None; text.len() + 1];
    let (mut line, mut column) = (1, 1);
    for (i, c) in text.char_indices() {
        out[i] = Some((line, column));
        let lone_cr = c == '\r' && text.as_bytes().get(i + 1) != Some(&b'\n');
        if c == '\n' || lone_cr {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
    }
    out[text.len()] = Some((line, column));
    out
}

/// A few characters either side of `at`, escaped, for failure messages.
fn around(text: &str, at: usize) -> String {
    let from = at.saturating_sub(24).min(text.len());
    let to = (at + 24).min(text.len());
    let bytes = &text.as_bytes()[from..to];
    format!("{:?}", String::from_utf8_lossy(bytes))
}

/// Panics unless `span` lies inside `text` on character boundaries.
pub fn assert_span(text: &str, span: Span, what: &str) {
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "{what}: span {}..{} out of bounds (text is {} bytes) near {}",
        span.start,
        span.end,
        text.len(),
        around(text, span.start),
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what}: span {}..{} not on character boundaries near {}",
        span.start,
        span.end,
        around(text, span.start),
    );
}

/// Panics unless every diagnostic's span is valid in `text` and its `start`/`end` positions
/// are the line and column of the span's ends.
pub fn assert_diagnostics(text: &str, diagnostics: &[Diagnostic]) {
    let table = positions(text);
    for d in diagnostics {
        let what = format!("{} ({})", d.rule, d.message);
        assert_span(text, d.span, &what);
        assert!(
            d.start.line >= 1 && d.start.column >= 1 && d.end.line >= 1 && d.end.column >= 1,
            "{what}: position {:?}..{:?} is not 1-based",
            d.start,
            d.end,
        );
        assert!(
            d.start <= d.end,
            "{what}: start {:?} after end {:?}",
            d.start,
            d.end
        );
        assert_eq!(
            table[d.span.start],
            Some((d.start.line, d.start.column)),
            "{what}: start position disagrees with span {}..{} near {}",
            d.span.start,
            d.span.end,
            around(text, d.span.start),
        );
        assert_eq!(
            table[d.span.end],
            Some((d.end.line, d.end.column)),
            "{what}: end position disagrees with span {}..{} near {}",
            d.span.start,
            d.span.end,
            around(text, d.span.end),
        );
    }
}

/// Settings with every rule on, the default ones and the opt-in ones alike.
#[must_use]
pub fn all_rules() -> Settings {
    let ids: Vec<&str> = notelint::rules::RULES.iter().map(|r| r.info().id).collect();
    Settings::only(&ids)
}

/// Runs `bytes` through what the binary does with a file of `format` (a `.txt` file that is
/// really an HTML page is read as HTML), checks every diagnostic's span with the default
/// settings and with every rule on, and renders the report in every output format. Returns
/// the number of diagnostics with the default settings.
pub fn check_input(bytes: &[u8], format: Format, all: &Settings) -> usize {
    let format = if format == Format::Text && notelint::parse::looks_like_html(bytes) {
        Format::Html
    } else {
        format
    };
    let path = match format {
        Format::Text => "input.txt",
        Format::Markdown => "input.md",
        Format::Html => "input.html",
    };
    let inputs = Inputs::default();
    let report = match engine::parse_bytes(path, bytes.to_vec(), format) {
        Ok(parsed) => {
            let text = parsed.source.text.clone();
            let every = engine::lint(&parsed.source, &parsed.document, format, all, &inputs);
            assert_diagnostics(&text, &every);
            let report = engine::lint_parsed(parsed, &Settings::default(), &inputs);
            assert_diagnostics(&text, &report.diagnostics);
            if let Some(source) = &report.source {
                assert_eq!(source.text, text, "the report keeps the decoded text");
            }
            report
        }
        // Not text: the report only names the file.
        Err(report) => {
            assert_diagnostics("", &report.diagnostics);
            report
        }
    };
    let count = report.diagnostics.len();
    render(report);
    count
}

/// Writes `report` in every output format; the JSON and SARIF outputs must be valid JSON.
pub fn render(report: FileReport) {
    let report = Report {
        files: vec![report],
        notes: Vec::new(),
    };
    let mut out = Vec::new();
    Human::default()
        .emit(&report, &mut out)
        .expect("human output");
    Concise.emit(&report, &mut out).expect("concise output");
    Github.emit(&report, &mut out).expect("github output");
    for emitter in [&Json as &dyn Emitter, &Sarif] {
        out.clear();
        emitter.emit(&report, &mut out).expect("JSON output");
        if let Err(e) = serde_json::from_slice::<serde_json::Value>(&out) {
            panic!("output is not valid JSON: {e}");
        }
    }
}
