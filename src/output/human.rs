//! Human output: a miette report per diagnostic (source snippet, a label at the span, the rule
//! id and the help), grouped under a heading per post in files holding several, then the
//! summary line and any notes on the run.

use std::fmt;
use std::io::{self, Write};

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

use super::{Emitter, Stream};
use crate::diagnostic::{Diagnostic, Severity};
use crate::report::FileReport;
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
    fn start<'a>(&'a self, _out: &mut dyn Write) -> io::Result<Box<dyn Stream + 'a>> {
        let theme = if self.color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        // Messages and help are never wrapped: a wrapped URL, quoted note or joined address
        // would look as broken as the fault it reports, and could not be copied whole.
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_width(self.width)
            .with_wrap_lines(false)
            .with_links(false);
        Ok(Box::new(HumanStream {
            handler,
            buf: String::new(),
            color: self.color,
        }))
    }
}

/// The human output being written.
struct HumanStream {
    handler: GraphicalReportHandler,
    buf: String,
    color: bool,
}

impl HumanStream {
    /// The line that opens the findings of one post of a file holding several.
    fn post_heading(&self, file: &FileReport, post: usize, out: &mut dyn Write) -> io::Result<()> {
        let Some(p) = file.posts.iter().find(|p| p.index == post) else {
            return Ok(());
        };
        let title = if p.title.is_empty() {
            String::new()
        } else {
            format!(": {}", p.title)
        };
        let heading = format!(
            "── {} · post {post} of {}{title} (lines {}–{})",
            file.path,
            file.posts.len(),
            p.start_line,
            p.end_line
        );
        if self.color {
            writeln!(out, "\x1b[1m{heading}\x1b[0m\n")
        } else {
            writeln!(out, "{heading}\n")
        }
    }
}

impl Stream for HumanStream {
    fn file(&mut self, file: &FileReport, out: &mut dyn Write) -> io::Result<()> {
        let mut post = None;
        for d in &file.diagnostics {
            if file.posts.len() > 1 && d.post.is_some() && d.post != post {
                post = d.post;
                if let Some(index) = post {
                    self.post_heading(file, index, out)?;
                }
            }
            self.buf.clear();
            let shown = Shown {
                d,
                source: file.source.as_deref().filter(|_| d.post.is_some()),
            };
            self.handler
                .render_report(&mut self.buf, &shown)
                .map_err(|e| io::Error::other(e.to_string()))?;
            out.write_all(self.buf.as_bytes())?;
            writeln!(out)?;
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
        // `[*]`: `notelint fix` repairs it (ruff's mark).
        if self.d.fix.as_ref().is_some_and(|f| f.safe) {
            f.write_str("[*] ")?;
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
        let source = self.source?;
        let (start, end) = char_aligned(&source.text, self.d.span.start, self.d.span.end);
        let span = SourceSpan::new(start.into(), end - start);
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(self.d.label.clone(), span),
        )))
    }
}

/// The span `start..end` widened to character boundaries of `text` and kept inside it, so
/// that a span that splits a character is shown rather than panicking the renderer.
fn char_aligned(text: &str, start: usize, end: usize) -> (usize, usize) {
    let mut start = start.min(text.len());
    let mut end = end.clamp(start, text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    while !text.is_char_boundary(end) {
        end += 1;
    }
    (start, end)
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
        // Byte searches: a span that is not on character boundaries must not panic here.
        let bytes = text.as_bytes();
        let (start, end) = char_aligned(text, span.offset(), span.offset() + span.len());
        let line_start = memchr::memrchr(b'\n', &bytes[..start]).map_or(0, |i| i + 1);
        let line_end = memchr::memchr(b'\n', &bytes[end..]).map_or(text.len(), |i| end + i);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_inside_characters_are_widened() {
        let text = "a\u{a0}b\u{2014}";
        assert_eq!(char_aligned(text, 2, 2), (1, 3));
        assert_eq!(char_aligned(text, 5, 6), (4, 7));
        assert_eq!(char_aligned(text, 50, 60), (7, 7));
    }

    #[test]
    fn a_span_inside_a_character_of_a_long_line_does_not_panic() {
        // A suppression's rule name after a no-break space, on a line long enough to be
        // cropped, was sliced inside the space.
        let text = format!("<!-- x a\u{a0}b -->{}\n", "\u{2014}".repeat(300));
        let source = SourceFile::new("t.html", text.as_str());
        for (start, end) in [(9, 11), (8, 9), (30, 31), (31, 34)] {
            let span = SourceSpan::new(start.into(), end - start);
            for context in [0, 1] {
                let read = source.read_span(&span, context, context);
                assert!(read.is_ok());
            }
        }
    }
}
