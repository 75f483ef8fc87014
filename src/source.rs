//! Source files as read from disk or standard input, and the byte spans that point into them.
//!
//! Every element of the document model carries a [`Span`]; a [`SourceFile`] turns a span into
//! 1-based line and column numbers (columns count Unicode scalar values) when a diagnostic needs
//! them, so parsing never pays for positions it does not report.

use std::ops::Range;

/// A byte range `start..end` in the original file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    #[must_use]
    pub const fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    #[must_use]
    pub const fn len(self) -> usize {
        self.end - self.start
    }

    #[must_use]
    pub const fn is_empty(self) -> bool {
        self.end <= self.start
    }

    /// The same span moved `by` bytes to the right.
    #[must_use]
    pub const fn shift(self, by: usize) -> Self {
        Self::new(self.start + by, self.end + by)
    }

    #[must_use]
    pub const fn range(self) -> Range<usize> {
        self.start..self.end
    }

    /// Whether `other` lies wholly inside this span.
    #[must_use]
    pub const fn contains(self, other: Self) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

impl From<Range<usize>> for Span {
    fn from(r: Range<usize>) -> Self {
        Self::new(r.start, r.end)
    }
}

/// A 1-based line and column; the column counts Unicode scalar values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// The text of one input file with an index of its line starts.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as given on the command line or found by the walker (`-` for standard input).
    pub path: String,
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    #[must_use]
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let mut line_starts = Vec::with_capacity(text.len() / 64 + 1);
        line_starts.push(0);
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        Self {
            path: path.into(),
            text,
            line_starts,
        }
    }

    /// Number of lines (a final line without a newline counts; an empty file has one line).
    #[must_use]
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The 1-based line holding `offset`.
    #[must_use]
    pub fn line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= offset).max(1)
    }

    /// The 1-based line and column of `offset`; an offset inside a multi-byte character counts as
    /// that character.
    #[must_use]
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = offset.min(self.text.len());
        let line = self.line_of(offset);
        let start = self.line_starts[line - 1];
        let column = self.text.as_bytes()[start..offset]
            .iter()
            .filter(|&&b| (b as i8) >= -0x40) // count bytes that start a UTF-8 scalar
            .count()
            + 1;
        LineCol { line, column }
    }

    /// The byte offset where 1-based `line` starts.
    #[must_use]
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len())
    }

    /// The text of `span`.
    #[must_use]
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.range()).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_scalar_values() {
        let src = SourceFile::new("t", "ab\n“é” [1]\nx");
        let at = src.text.find("[1]").unwrap();
        assert_eq!(src.line_col(at), LineCol { line: 2, column: 5 });
        assert_eq!(src.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(src.line_col(src.text.len()), LineCol { line: 3, column: 2 });
        assert_eq!(src.line_count(), 3);
    }

    #[test]
    fn empty_file_has_one_line() {
        let src = SourceFile::new("t", "");
        assert_eq!(src.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(src.line_count(), 1);
    }
}
