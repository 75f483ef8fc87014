//! One line per diagnostic, `path:line:col: severity[rule] message`, for grep and editors.

use std::io::{self, Write};

use super::{Emitter, Report};

/// The `concise` format.
#[derive(Debug, Default)]
pub struct Concise;

impl Emitter for Concise {
    fn emit(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        for d in report.diagnostics() {
            writeln!(
                out,
                "{}:{}:{}: {}[{}] {}",
                d.path,
                d.start.line,
                d.start.column,
                d.severity.name(),
                d.rule,
                d.message
            )?;
        }
        writeln!(out, "{}", report.summary().line())?;
        for note in &report.notes {
            writeln!(out, "note: {note}")?;
        }
        Ok(())
    }
}
