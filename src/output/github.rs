//! GitHub Actions workflow commands: one `::error`, `::warning` or `::notice` line per
//! diagnostic, which GitHub shows as an annotation on the line in the pull request.

use std::io::{self, Write};

use super::{Emitter, Stream, Summary};
use crate::diagnostic::Severity;
use crate::report::FileReport;

/// The `github` format.
#[derive(Debug, Default)]
pub struct Github;

impl Emitter for Github {
    fn start<'a>(&'a self, _out: &mut dyn Write) -> io::Result<Box<dyn Stream + 'a>> {
        Ok(Box::new(Github))
    }
}

impl Stream for Github {
    fn file(&mut self, file: &FileReport, out: &mut dyn Write) -> io::Result<()> {
        for d in &file.diagnostics {
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let mut message = d.message.clone();
            if let Some(help) = &d.help {
                message.push_str("\nhelp: ");
                message.push_str(help);
            }
            writeln!(
                out,
                "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                escape_property(&d.path),
                d.start.line,
                d.start.column,
                d.end.line,
                d.end.column,
                escape_property(d.rule),
                escape_data(&message),
            )?;
        }
        Ok(())
    }

    fn finish(
        self: Box<Self>,
        summary: &Summary,
        _notes: &[String],
        out: &mut dyn Write,
    ) -> io::Result<()> {
        writeln!(out, "{}", summary.line())
    }
}

/// Escapes a command's message: `%`, CR and LF.
#[must_use]
pub fn escape_data(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            _ => out.push(c),
        }
    }
    out
}

/// Escapes a command property's value: as a message, and `:` and `,` too.
#[must_use]
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_github_requires() {
        assert_eq!(escape_data("50% a\r\nb: c, d"), "50%25 a%0D%0Ab: c, d");
        assert_eq!(escape_property("dir,x/a:b%.md\n"), "dir%2Cx/a%3Ab%25.md%0A");
    }
}
