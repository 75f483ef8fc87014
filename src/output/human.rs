//! Human output: a miette report per diagnostic (source snippet, a label at the span, the rule
//! id and the help), then the summary line and any notes on the run.

use std::fmt;
use std::io::{self, Write};

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

use super::{Emitter, Report};
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::SourceFile;

/// The `human` format.
#[derive(Debug)]
pub struct Human {
    /// Use ANSI colours.
    pub color: bool,
    /// The width to wrap messages at.
    pub width: usize,
}

impl Default for Human {
    fn default() -> Self {
        Self {
            color: false,
            width: 100,
        }
    }
}

impl Emitter for Human {
    fn emit(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let theme = if self.color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_width(self.width)
            .with_links(false);
        let mut buf = String::new();
        for file in &report.files {
            for d in &file.diagnostics {
                buf.clear();
                let shown = Shown {
                    d,
                    source: file.source.as_deref().filter(|_| d.post.is_some()),
                };
                handler
                    .render_report(&mut buf, &shown)
                    .map_err(|e| io::Error::other(e.to_string()))?;
                out.write_all(buf.as_bytes())?;
                writeln!(out)?;
            }
        }
        writeln!(out, "{}", report.summary().line())?;
        for note in &report.notes {
            writeln!(out, "note: {note}")?;
        }
        Ok(())
    }
}

/// A diagnostic as miette sees it.
struct Shown<'a> {
    d: &'a Diagnostic,
    source: Option<&'a SourceFile>,
}

impl fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.d.message)
    }
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.d.rule)?;
        if self.source.is_none() && self.d.post.is_some() {
            write!(
                f,
                "{}:{}:{}: ",
                self.d.path, self.d.start.line, self.d.start.column
            )?;
        }
        f.write_str(&self.d.message)
    }
}

impl std::error::Error for Shown<'_> {}

impl miette::Diagnostic for Shown<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.d
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.source?;
        let span = SourceSpan::new(self.d.span.start.into(), self.d.span.len());
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(self.d.label.clone(), span),
        )))
    }
}

/// Lines longer than this many bytes are cropped around the span in snippets.
const LONG_LINE: usize = 240;
/// How many bytes of context a cropped line keeps on each side of the span.
const CROP_CONTEXT: usize = 80;

impl SourceCode for SourceFile {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let text = self.text.as_str();
        let inner = text.read_span(span, context_lines_before, context_lines_after)?;
        if context_lines_before == 0 && context_lines_after == 0 {
            // miette reads the span alone for the `path:line:col` header and would count the
            // column in bytes: give it the column in Unicode scalar values, as every other
            // format reports it.
            let at = self.line_col(span.offset());
            return Ok(Box::new(MietteSpanContents::new_named(
                self.path.clone(),
                inner.data(),
                *inner.span(),
                at.line - 1,
                at.column - 1,
                inner.line_count(),
            )));
        }
        let long = inner
            .data()
            .split(|&b| b == b'\n')
            .any(|line| line.len() > LONG_LINE);
        if !long {
            return Ok(Box::new(MietteSpanContents::new_named(
                self.path.clone(),
                inner.data(),
                *inner.span(),
                inner.line(),
                inner.column(),
                inner.line_count(),
            )));
        }
        // Scraped pages hold paragraphs thousands of characters long: show only the part of
        // the span's line around the span, so the snippet stays readable.
        let start = span.offset().min(text.len());
        let end = (start + span.len()).min(text.len());
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
        let mut from = start.saturating_sub(CROP_CONTEXT).max(line_start);
        while !text.is_char_boundary(from) {
            from -= 1;
        }
        let mut to = (end + CROP_CONTEXT).min(line_end);
        while !text.is_char_boundary(to) {
            to += 1;
        }
        let at = self.line_col(from);
        Ok(Box::new(MietteSpanContents::new_named(
            self.path.clone(),
            &text.as_bytes()[from..to],
            SourceSpan::new(from.into(), to - from),
            at.line - 1,
            at.column - 1,
            1,
        )))
    }
}
