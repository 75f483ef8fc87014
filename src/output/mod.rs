//! Output formats: each writes a run's files one by one, in order, as they are linted, then
//! the summary; a finished [`Report`] is written the same way.
//!
//! An output holds no file after writing it, so a run's memory does not grow with its
//! input: the JSON output keeps the diagnostics it writes after the file list in a spool
//! (memory up to a bound, then a temporary file).

mod concise;
mod github;
mod human;
mod json;
mod sarif;
mod spool;
mod statistics;

use std::io::{self, Write};

use crate::report::FileReport;
pub use crate::report::{Report, Summary};

pub use concise::Concise;
pub use github::{escape_data, escape_property, Github};
pub use human::Human;
pub use json::Json;
pub use sarif::{Sarif, FINGERPRINT_KEY, SARIF_SCHEMA};
pub use statistics::Statistics;

/// The end of the plain-text outputs: the summary line, then each note on the run.
fn write_summary(summary: &Summary, notes: &[String], out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{}", summary.line())?;
    if let Some(fixable) = summary.fixable_line() {
        writeln!(out, "{fixable}")?;
    }
    for note in notes {
        writeln!(out, "note: {note}")?;
    }
    Ok(())
}

/// A plain-text post linted with the default rules, for the output formats' tests.
#[cfg(test)]
fn lint_text(path: &str, text: &str) -> FileReport {
    crate::engine::check_bytes(
        path,
        text.as_bytes().to_vec(),
        crate::parse::Format::Text,
        &crate::engine::Settings::default(),
        &crate::engine::Inputs::default(),
    )
}

/// An output that writes nothing: the run's exit code and its other reports (the audit's CSV
/// of `notelint links`) are all that is wanted.
#[derive(Debug, Default)]
pub struct Nothing;

impl Emitter for Nothing {
    fn start<'a>(&'a self, _out: &mut dyn Write) -> io::Result<Box<dyn Stream + 'a>> {
        Ok(Box::new(Nothing))
    }
}

impl Stream for Nothing {
    fn file(&mut self, _file: &FileReport, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }

    fn finish(
        self: Box<Self>,
        _summary: &Summary,
        _notes: &[String],
        _out: &mut dyn Write,
    ) -> io::Result<()> {
        Ok(())
    }
}

/// One output being written: the files in order, then the end.
pub trait Stream {
    /// Writes one file's part of the output.
    ///
    /// # Errors
    /// Any error writing to `out`.
    fn file(&mut self, file: &FileReport, out: &mut dyn Write) -> io::Result<()>;

    /// Writes what follows the last file: the summary and the notes on the run (by default
    /// as the plain-text outputs end).
    ///
    /// # Errors
    /// Any error writing to `out`.
    fn finish(
        self: Box<Self>,
        summary: &Summary,
        notes: &[String],
        out: &mut dyn Write,
    ) -> io::Result<()> {
        write_summary(summary, notes, out)
    }
}

/// Writes a report in one output format.
pub trait Emitter {
    /// Writes what comes before the first file, and returns the stream that writes the rest.
    ///
    /// # Errors
    /// Any error writing to `out`.
    fn start<'a>(&'a self, out: &mut dyn Write) -> io::Result<Box<dyn Stream + 'a>>;

    /// Writes a finished `report` to `out`.
    ///
    /// # Errors
    /// Any error writing to `out`.
    fn emit(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let mut stream = self.start(out)?;
        for file in &report.files {
            stream.file(file, out)?;
        }
        stream.finish(&report.summary(), &report.notes, out)
    }
}

/// Serialises `value` as pretty JSON nested `depth` levels deep (two spaces a level), as
/// `serde_json::to_writer_pretty` writes it inside a larger document: lines after the first
/// are indented. JSON strings hold no raw line break, so every one is the printer's own.
fn write_nested<T: serde::Serialize + ?Sized>(
    out: &mut dyn Write,
    value: &T,
    depth: usize,
) -> io::Result<()> {
    let text = serde_json::to_vec_pretty(value)?;
    if depth == 0 {
        return out.write_all(&text);
    }
    // The indented text is made whole and written at once: one call for the value, not
    // three for each of its lines.
    let indent = 2 * depth;
    let mut nested = Vec::with_capacity(text.len() + text.len() / 4);
    let mut start = 0;
    for at in memchr::memchr_iter(b'\n', &text) {
        nested.extend_from_slice(&text[start..=at]);
        nested.resize(nested.len() + indent, b' ');
        start = at + 1;
    }
    nested.extend_from_slice(&text[start..]);
    out.write_all(&nested)
}
