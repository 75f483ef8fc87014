//! Source files as read from disk or standard input, and the byte spans that point into them.
//!
//! Every element of the document model carries a [`Span`]; a [`SourceFile`] turns a span into
//! 1-based line and column numbers (columns count Unicode scalar values) when a diagnostic needs
//! them, so parsing never pays for positions it does not report.

use std::ops::Range;
use std::sync::OnceLock;

use crate::decode::{Decoded, OffsetMap};

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

/// One line of the file, without its line break.
#[derive(Debug, Clone, Copy)]
pub struct Line<'a> {
    pub start: usize,
    pub text: &'a str,
}

impl Line<'_> {
    /// Where the line's text ends (before its line break).
    #[must_use]
    pub const fn end(&self) -> usize {
        self.start + self.text.len()
    }
}

/// The lines of `text` with their byte offsets. `\n`, `\r\n` and a lone `\r` (old Mac files)
/// each end a line.
pub fn lines(text: &str) -> impl Iterator<Item = Line<'_>> {
    let mut start = 0;
    std::iter::from_fn(move || {
        if start > text.len() || (start == text.len() && start != 0) {
            return None;
        }
        let rest = text.get(start..)?;
        let bytes = rest.as_bytes();
        let (len, next) = match memchr::memchr2(b'\n', b'\r', bytes) {
            Some(i) if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') => (i, start + i + 2),
            Some(i) => (i, start + i + 1),
            None => (rest.len(), text.len() + 1),
        };
        let line = Line {
            start,
            text: &rest[..len],
        };
        start = next;
        Some(line)
    })
}

/// The lines of a [`SourceFile`], from its index of line starts: see [`SourceFile::lines`].
#[derive(Debug, Clone)]
pub struct IndexedLines<'a> {
    text: &'a str,
    starts: &'a [usize],
    /// The index in `starts` of the next line.
    next: usize,
}

impl<'a> Iterator for IndexedLines<'a> {
    type Item = Line<'a>;

    fn next(&mut self) -> Option<Line<'a>> {
        let &start = self.starts.get(self.next)?;
        self.next += 1;
        let bytes = self.text.as_bytes();
        let end = match self.starts.get(self.next) {
            // The next line starts after `\r\n`, `\n` or a lone `\r`.
            Some(&next) if next >= 2 && bytes[next - 1] == b'\n' && bytes[next - 2] == b'\r' => {
                next - 2
            }
            Some(&next) => next - 1,
            // A line break at the very end starts no line of its own (an empty file still
            // has one, empty, line).
            None if start == self.text.len() && start != 0 => return None,
            None => self.text.len(),
        };
        Some(Line {
            start,
            text: self.text.get(start..end).unwrap_or(""),
        })
    }
}

/// Where a diagnostic lies: its span in the text, the same bytes in the file as read, and the
/// line and column of each end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    pub span: Span,
    pub bytes: Span,
    pub start: LineCol,
    pub end: LineCol,
}

/// The text of one input file with an index of its line starts.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as given on the command line or found by the walker (`-` for standard input).
    pub path: String,
    pub text: String,
    /// Where the text's bytes lie in the file as read (identity for UTF-8 files).
    map: OffsetMap,
    line_starts: Vec<usize>,
    /// Column checkpoints inside long lines, built on first use; see [`Self::line_col`].
    checkpoints: OnceLock<Vec<Checkpoint>>,
}

/// The column count at a byte offset inside a long line, so that finding a column never
/// counts more than [`CHECKPOINT_STRIDE`] bytes however long the line is.
#[derive(Debug, Clone, Copy)]
struct Checkpoint {
    offset: usize,
    /// Scalar values between the line start and `offset`.
    scalars: usize,
}

/// Bytes between two checkpoints; lines shorter than this have none.
const CHECKPOINT_STRIDE: usize = 256;

/// Counts the bytes of `bytes` that start a UTF-8 scalar value.
fn count_scalars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

impl SourceFile {
    /// A file whose bytes are `text`.
    #[must_use]
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        Self::with_map(path.into(), text.into(), OffsetMap::identity())
    }

    /// A file read as `decoded`: spans point into the decoded text, and [`Self::locate`] maps
    /// them back to the file's bytes.
    #[must_use]
    pub fn decoded(path: impl Into<String>, decoded: Decoded) -> Self {
        Self::with_map(path.into(), decoded.text, decoded.map)
    }

    fn with_map(path: String, text: String, map: OffsetMap) -> Self {
        let bytes = text.as_bytes();
        let mut line_starts = Vec::with_capacity(bytes.len() / 64 + 1);
        line_starts.push(0);
        // A line ends at LF, CRLF, or a lone CR (old Mac files). Most files hold no CR: one
        // search for it spares them the costlier search for either byte.
        if memchr::memchr(b'\r', bytes).is_none() {
            line_starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
        } else {
            line_starts.extend(
                memchr::memchr2_iter(b'\n', b'\r', bytes)
                    .filter(|&i| bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n'))
                    .map(|i| i + 1),
            );
        }
        Self {
            path,
            text,
            map,
            line_starts,
            checkpoints: OnceLock::new(),
        }
    }

    /// Checks a span from the parsers and rules and locates it: clamped to the text and moved
    /// out to character boundaries, with its bytes in the file as read and its line and column.
    /// Every diagnostic's position comes from here; a span that needed mending is a bug, which
    /// debug builds (and so the tests) report by panicking.
    #[must_use]
    pub fn locate(&self, span: Span) -> Location {
        debug_assert!(
            self.is_valid(span),
            "span {span:?} of {} is out of bounds or not on character boundaries",
            self.path
        );
        let text = &self.text;
        let mut start = span.start.min(text.len());
        let mut end = span.end.clamp(start, text.len());
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        while !text.is_char_boundary(end) {
            end += 1;
        }
        let span = Span::new(start, end);
        Location {
            span,
            bytes: Span::new(self.map.to_input(start), self.map.to_input(end)),
            start: self.line_col(start),
            end: self.line_col(end),
        }
    }

    /// Whether byte offsets in the text are byte offsets in the file as read (a valid UTF-8
    /// file), so that an edit of the text is the same edit of the file.
    #[must_use]
    pub fn edits_map_exactly(&self) -> bool {
        self.map.is_identity()
    }

    /// Whether `span` lies in the text, on character boundaries, and does not run backwards.
    #[must_use]
    pub fn is_valid(&self, span: Span) -> bool {
        span.start <= span.end
            && span.end <= self.text.len()
            && self.text.is_char_boundary(span.start)
            && self.text.is_char_boundary(span.end)
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
        let line_start = self.line_starts[line - 1];
        let (from, before) = if offset - line_start < CHECKPOINT_STRIDE {
            (line_start, 0)
        } else {
            let checkpoints = self.checkpoints.get_or_init(|| self.build_checkpoints());
            let i = checkpoints.partition_point(|c| c.offset <= offset);
            match i.checked_sub(1).map(|i| checkpoints[i]) {
                Some(c) if c.offset >= line_start => (c.offset, c.scalars),
                _ => (line_start, 0),
            }
        };
        let column = before + count_scalars(&self.text.as_bytes()[from..offset]) + 1;
        LineCol { line, column }
    }

    /// One checkpoint every [`CHECKPOINT_STRIDE`] bytes of every line longer than that.
    fn build_checkpoints(&self) -> Vec<Checkpoint> {
        let bytes = self.text.as_bytes();
        let mut out = Vec::new();
        for (i, &start) in self.line_starts.iter().enumerate() {
            let end = self.line_starts.get(i + 1).copied().unwrap_or(bytes.len());
            let mut scalars = 0;
            let mut at = start;
            while end - at > CHECKPOINT_STRIDE {
                scalars += count_scalars(&bytes[at..at + CHECKPOINT_STRIDE]);
                at += CHECKPOINT_STRIDE;
                out.push(Checkpoint {
                    offset: at,
                    scalars,
                });
            }
        }
        out
    }

    /// The byte offset where 1-based `line` starts.
    #[must_use]
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len())
    }

    /// The lines of the text, as [`lines`] gives them, read off the index of line starts
    /// built with the file rather than searched for a second time.
    #[must_use]
    pub fn lines(&self) -> IndexedLines<'_> {
        IndexedLines {
            text: &self.text,
            starts: &self.line_starts,
            next: 0,
        }
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
    fn indexed_lines_match_the_searched_ones() {
        let pieces = ["a", "", "\n", "\r", "\r\n", "é", " ", "\n\n", "\r\r"];
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        for len in 0..400 {
            let mut text = String::new();
            for _ in 0..(len % 12) {
                crate::xorshift(&mut state);
                text.push_str(pieces[(state % pieces.len() as u64) as usize]);
            }
            let src = SourceFile::new("t", text.as_str());
            let indexed: Vec<_> = src.lines().map(|l| (l.start, l.text)).collect();
            let searched: Vec<_> = lines(&text).map(|l| (l.start, l.text)).collect();
            assert_eq!(indexed, searched, "{text:?}");
        }
    }

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
    fn columns_in_long_lines_match_a_plain_count() {
        let line: String = "é“x”/".repeat(5_000);
        let src = SourceFile::new("t", format!("short\n{line}\n{line}"));
        let second = src.line_start(3);
        for offset in [
            second,
            second + 4096,
            second + 4097,
            second + 9999,
            src.text.len(),
        ] {
            let offset = (0..4)
                .map(|d| offset - d)
                .find(|&o| src.text.is_char_boundary(o))
                .unwrap();
            let expected = src.text[second..offset].chars().count() + 1;
            assert_eq!(
                src.line_col(offset),
                LineCol {
                    line: 3,
                    column: expected
                }
            );
        }
        let mid = src.line_start(2) + 8192;
        let expected = src.text[src.line_start(2)..mid].chars().count() + 1;
        assert_eq!(src.line_col(mid).column, expected);
    }

    #[test]
    fn a_lone_cr_ends_a_line_and_crlf_is_one_break() {
        let src = SourceFile::new("t", "a\rb\r\nc\n\rd");
        assert_eq!(src.line_count(), 5);
        let d = src.text.find('d').unwrap();
        assert_eq!(src.line_col(d), LineCol { line: 5, column: 1 });
        let c = src.text.find('c').unwrap();
        assert_eq!(src.line_col(c), LineCol { line: 3, column: 1 });
    }

    #[test]
    fn locate_maps_decoded_text_to_the_file_bytes() {
        let input = b"x\xff [1]".to_vec();
        let src = SourceFile::decoded("t", crate::decode::decode(input.clone()));
        let at = src.text.find("[1]").unwrap();
        let loc = src.locate(Span::new(at, at + 3));
        assert_eq!(&input[loc.bytes.range()], b"[1]");
        assert_eq!(loc.start, LineCol { line: 1, column: 4 });
    }

    #[test]
    fn empty_file_has_one_line() {
        let src = SourceFile::new("t", "");
        assert_eq!(src.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(src.line_count(), 1);
    }
}
