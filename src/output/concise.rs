//! One line per diagnostic, `path:line:col: severity[rule] message`, for grep and editors.

use std::io::{self, Write};

use super::{Emitter, Stream};
use crate::report::FileReport;

/// The `concise` format.
#[derive(Debug, Default)]
pub struct Concise;

impl Emitter for Concise {
    fn start<'a>(&'a self, _out: &mut dyn Write) -> io::Result<Box<dyn Stream + 'a>> {
        Ok(Box::new(Concise))
    }
}

impl Stream for Concise {
    fn file(&mut self, file: &FileReport, out: &mut dyn Write) -> io::Result<()> {
        for d in &file.diagnostics {
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
        Ok(())
    }
}
