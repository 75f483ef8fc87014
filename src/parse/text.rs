//! The plain-text parser: posts scraped or pasted as text.
//!
//! A page is read line by line. A line starting with `[N]` starts note N (after a `Notes`,
//! `Endnotes` or `Footnotes` heading, `N.` and `N ` do too); the lines after it belong to it
//! while they read as its continuation. Project Gutenberg's `[Footnote N: …]` is note N up to
//! its closing bracket, and the licence boilerplate of a Gutenberg file (before its `*** START
//! OF` line, after its `*** END OF` line, and the bracketed "small print") is not read. A notes list that starts again at 1 after some text
//! begins a new post. A line that is only `Bibliography`, `References`, `Works Cited`, `Sources`
//! or `Further Reading` starts a bibliography, whose entries are split at blank lines and at
//! lines that start a new entry.

use crate::model::{BibEntry, CitationFields, Document, MappedText, Note};
use crate::normalize::is_space;
use crate::parse::markers;
use crate::parse::posts::{PostBuilder, Posts, State};
use crate::source::{Line, SourceFile, Span};

/// Parses a plain-text file into posts.
#[must_use]
/// Whether the text writes `GUTENBERG`, `Gutenberg` or `SMALL PRINT`: one pass over the file
/// for the capital `G` the first two start with and the capital `L` the third has three bytes
/// in (both rare in prose, unlike the `S` of sentence openings), rather than one search per
/// word.
fn names_gutenberg(text: &[u8]) -> bool {
    memchr::memchr2_iter(b'G', b'L', text).any(|i| {
        if text[i] == b'G' {
            let rest = &text[i..];
            rest.starts_with(b"GUTENBERG") || rest.starts_with(b"Gutenberg")
        } else {
            i >= 3 && text[i - 3..].starts_with(b"SMALL PRINT")
        }
    })
}

pub fn parse(source: &SourceFile) -> Document {
    let mut parser = Parser::default();
    let text = &source.text;
    // Only a Project Gutenberg file has boilerplate to skip: one search over the file spares
    // every other file a look at each line.
    let gutenberg = names_gutenberg(text.as_bytes());
    // A Gutenberg header ends at its `*** START OF` line: read from there, when there is one
    // near the start.
    let mut skip_to = 0;
    for line in source.lines().take(if gutenberg { 1000 } else { 0 }) {
        if boilerplate(line.text) == Boilerplate::Start {
            skip_to = line.end();
            break;
        }
    }
    let mut small_print = false;
    for line in source.lines() {
        if line.start < skip_to {
            continue;
        }
        let kind = if gutenberg {
            boilerplate(line.text)
        } else {
            Boilerplate::No
        };
        match kind {
            Boilerplate::ToEnd => break,
            Boilerplate::SmallPrint => small_print = true,
            Boilerplate::SmallPrintEnd => {
                small_print = false;
                continue;
            }
            Boilerplate::Start | Boilerplate::No => {}
        }
        if small_print {
            continue;
        }
        parser.line(line);
    }
    Document {
        posts: parser.p.finish(),
        anchors: Vec::new(),
        file_links: Vec::new(),
    }
}

/// What a line is, structurally.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LineKind {
    Blank,
    /// A `[N]` note line: the number, the label's byte range in the line, where the text starts.
    BracketNote {
        number: u32,
        label: (usize, usize),
        text_at: usize,
    },
    /// An `N.` or `N ` line, a note only under a notes heading.
    NumberedLine {
        number: u32,
        label: (usize, usize),
        text_at: usize,
        /// Written `N.` or `N)` rather than a bare `N `.
        dotted: bool,
    },
    NotesHeading,
    BibliographyHeading,
    Text,
}

/// Classifies one line.
/// `s` without leading white space: `s.trim_start_matches(is_space)`, with ASCII bytes told
/// at once and characters decoded only from the first non-ASCII one.
fn trim_start_space(s: &str) -> &str {
    for (i, &b) in s.as_bytes().iter().enumerate() {
        if !b.is_ascii() {
            return s[i..].trim_start_matches(is_space);
        }
        if !matches!(b, b'\t'..=b'\r' | b' ') {
            return &s[i..];
        }
    }
    ""
}

/// `s` without trailing white space: `s.trim_end_matches(is_space)`, as [`trim_start_space`].
fn trim_end_space(s: &str) -> &str {
    for (i, &b) in s.as_bytes().iter().enumerate().rev() {
        if !b.is_ascii() {
            // The bytes after `i` are ASCII: `i + 1` is a character boundary.
            return s[..=i].trim_end_matches(is_space);
        }
        if !matches!(b, b'\t'..=b'\r' | b' ') {
            return &s[..=i];
        }
    }
    ""
}

/// `crate::normalize::trim(s)`, as [`trim_start_space`].
fn trim_space(s: &str) -> &str {
    trim_end_space(trim_start_space(s))
}

pub(crate) fn classify(line: &str) -> LineKind {
    classify_marked(line).0
}

/// [`classify`], and whether the line opens a Project Gutenberg `[Footnote N: …`: one look at
/// the line tells both.
fn classify_marked(line: &str) -> (LineKind, bool) {
    let trimmed = trim_start_space(line);
    let content = trim_end_space(trimmed);
    if content.is_empty() {
        return (LineKind::Blank, false);
    }
    let bytes = trimmed.as_bytes();
    if matches!(bytes[0], b'n' | b'<') && crate::suppress::is_directive_line(trimmed) {
        // A suppression comment belongs to no note or paragraph.
        return (LineKind::Blank, false);
    }
    let indent = line.len() - trimmed.len();
    if bytes[0] == b'[' {
        if let Some(kind) = gutenberg_footnote(trimmed, indent) {
            return (kind, true);
        }
        if let Some(kind) = bracket_note(line, trimmed, indent) {
            return (kind, false);
        }
    } else if bytes[0].is_ascii_digit() {
        let digits = count_digits(bytes);
        let mut label_len = digits;
        if matches!(bytes.get(digits), Some(b'.' | b')')) {
            label_len += 1;
        }
        let after = &trimmed[label_len..];
        if digits <= 3 && after.starts_with(is_space) {
            let text = trim_start_space(after);
            if !text.is_empty() {
                return (
                    LineKind::NumberedLine {
                        number: read_digits(&bytes[..digits]),
                        label: (indent, indent + label_len),
                        text_at: line.len() - text.len(),
                        dotted: label_len > digits,
                    },
                    false,
                );
            }
        }
    }
    // `content` is `trim_space(trimmed)`: the line without white space at either end.
    let head = content.trim_end_matches(':');
    if head.len() <= 16 {
        if ["notes", "endnotes", "footnotes"]
            .iter()
            .any(|h| head.eq_ignore_ascii_case(h))
        {
            return (LineKind::NotesHeading, false);
        }
        if is_bibliography_heading(&head.to_ascii_lowercase()) {
            return (LineKind::BibliographyHeading, false);
        }
    }
    (LineKind::Text, false)
}

/// The `[N]` note that `trimmed` (the line `line` less its indent of `indent` bytes, starting
/// with `[`) opens, if it opens one.
fn bracket_note(line: &str, trimmed: &str, indent: usize) -> Option<LineKind> {
    let bytes = trimmed.as_bytes();
    let digits = count_digits(&bytes[1..]);
    if !(1..=5).contains(&digits) || bytes.get(1 + digits) != Some(&b']') {
        return None;
    }
    let after = &trimmed[digits + 2..];
    // `[1]- Per EIP-196.`: a dash between the label and the note.
    let dashed = dash_len(after.as_bytes())
        .map(|n| &after[n..])
        .filter(|rest| !trim_start_space(rest).is_empty());
    // A note's text after a space (the usual form), after a dash, or nothing after the label.
    let note = dashed.is_some()
        || after.is_empty()
        || after.starts_with(is_space)
        // `[3]Allegheny College, …`: a citation pasted against its label (a comma soon
        // after tells it from a sentence that starts with a marker).
        // Only at the start of a line: an indented `[238]Coquedicot, …` opens a line of
        // verse with its marker. Emphasis may open the note (`[314]_Ras_--Terme, …`).
        || (indent == 0
            && after
                .trim_start_matches(['_', '*'])
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || matches!(c, '“' | '"'))
            && after.chars().take(80).any(|c| c == ','));
    if !note {
        return None;
    }
    let after = dashed.unwrap_or(after);
    Some(LineKind::BracketNote {
        number: read_digits(&bytes[1..=digits]),
        label: (indent, indent + digits + 2),
        text_at: line.len() - trim_start_space(after).len(),
    })
}

/// The length of the `- `, `– ` or `— ` that `b` starts with, if any.
fn dash_len(b: &[u8]) -> Option<usize> {
    match b {
        [b'-', b' ', ..] => Some(2),
        // `–` (U+2013) and `—` (U+2014).
        [0xE2, 0x80, 0x93 | 0x94, b' ', ..] => Some(4),
        _ => None,
    }
}

/// The number written by one to five ASCII digits (no overflow: at most 99,999).
fn read_digits(digits: &[u8]) -> u32 {
    digits.iter().fold(0, |n, &d| n * 10 + u32::from(d - b'0'))
}

/// `[Footnote 12: text…`, Project Gutenberg's note: note 12, its text after the colon.
fn gutenberg_footnote(trimmed: &str, indent: usize) -> Option<LineKind> {
    let rest = trimmed.strip_prefix("[Footnote ")?;
    let digits = count_digits(rest.as_bytes());
    if !(1..=5).contains(&digits) || rest.as_bytes().get(digits) != Some(&b':') {
        return None;
    }
    let number = rest[..digits].parse().ok()?;
    let label_end = "[Footnote ".len() + digits + 1;
    let after = &trimmed[label_end..];
    Some(LineKind::BracketNote {
        number,
        label: (indent, indent + label_end),
        text_at: indent + label_end + (after.len() - trim_start_space(after).len()),
    })
}

/// Where a line stands in a Project Gutenberg file's licence boilerplate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Boilerplate {
    /// Not boilerplate.
    No,
    /// The first line of boilerplate running to the end of the file.
    ToEnd,
    /// The first or a middle line of the small print.
    SmallPrint,
    /// The last line of the small print.
    SmallPrintEnd,
    /// The `*** START OF …` line: everything before it was the header.
    Start,
}

fn boilerplate(line: &str) -> Boilerplate {
    // Most lines of a Gutenberg file name none of the three: one search for their rare
    // capitals, rather than a substring search for each.
    if !names_gutenberg(line.as_bytes()) {
        return Boilerplate::No;
    }
    let upper = line.to_ascii_uppercase();
    let t = trim_start_space(&upper);
    if t.starts_with("*** END OF TH")
        || t.starts_with("***END OF TH")
        || t.starts_with("END OF THE PROJECT GUTENBERG")
        || t.starts_with("END OF PROJECT GUTENBERG")
    {
        Boilerplate::ToEnd
    } else if t.starts_with("*** START OF TH") || t.starts_with("***START OF TH") {
        Boilerplate::Start
    } else if upper.contains("END*THE SMALL PRINT") || upper.contains("END THE SMALL PRINT") {
        Boilerplate::SmallPrintEnd
    } else if upper.contains("THE SMALL PRINT!") {
        Boilerplate::SmallPrint
    } else {
        Boilerplate::No
    }
}

/// Whether a lower-cased heading names a bibliography.
pub(crate) fn is_bibliography_heading(lower: &str) -> bool {
    matches!(
        lower,
        "bibliography" | "references" | "works cited" | "sources" | "further reading"
    )
}

fn count_digits(bytes: &[u8]) -> usize {
    bytes.iter().take_while(|b| b.is_ascii_digit()).count()
}

/// Whether `line`, directly below `prev` with no blank line between, continues the same note or
/// bibliography entry rather than starting something new.
///
/// Scraped pages wrap long notes (mostly their URLs) onto the next line, and put page furniture
/// such as `0 Comments` right after the last note; a continuation is indented, starts with a URL,
/// a lower-case letter or punctuation, or follows a line that stops mid-sentence.
pub(crate) fn continues(prev: &str, line: &str) -> bool {
    if line.starts_with(is_space) {
        return true;
    }
    let Some(first) = line.chars().next() else {
        return false;
    };
    if first.is_lowercase() || ")]}.,;:/–—-".contains(first) || starts_with_url(line) {
        return true;
    }
    let prev = trim_space(prev);
    let Some(last) = prev.chars().last() else {
        return false;
    };
    if ",;:-–—(/&".contains(last) {
        return true;
    }
    if last.is_alphanumeric() {
        // A line ending in a URL is finished; one ending in a word is mid-sentence.
        let last_token = prev.rsplit(is_space).next().unwrap_or(prev);
        return !(last_token.contains("://") || last_token.starts_with("www."));
    }
    false
}

fn starts_with_url(s: &str) -> bool {
    let lower = s.get(..8).unwrap_or(s).to_ascii_lowercase();
    lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("ftp://")
        || lower.starts_with("www.")
        || lower.starts_with("doi:")
}

impl PostBuilder {
    fn add_body(&mut self, line: Line<'_>) {
        self.has_text = true;
        self.end = line.end();
        markers::scan_brackets_and_superscripts(line.text, line.start, &mut self.markers);
        match self.body.last_mut() {
            Some(block) if self.body_open => extend_text(block, line.text, line.start),
            _ => self
                .body
                .push(MappedText::contiguous(line.text, line.start)),
        }
        self.body_open = true;
    }

    fn add_entry_line(&mut self, line: Line<'_>, prev: Option<&str>) {
        self.has_text = true;
        self.end = line.end();
        let text = trim_space(line.text);
        let at = line.start + (text.as_ptr() as usize - line.text.as_ptr() as usize);
        let joined = self.entry_open && prev.is_some_and(|p| continues(p, line.text));
        if let (true, Some(entry)) = (joined, self.bibliography.last_mut()) {
            extend_text(&mut entry.text, text, at);
            entry.span.end = at + text.len();
        } else {
            self.bibliography.push(BibEntry {
                span: Span::new(at, at + text.len()),
                text: MappedText::contiguous(text, at),
                fields: CitationFields::default(),
            });
        }
        self.entry_open = true;
    }

    fn add_note(&mut self, line: Line<'_>, number: u32, label: (usize, usize), text_at: usize) {
        if self.notes.is_empty() {
            // About one note per marker: room for them at once rather than by doubling (a
            // note is large to move). Bounded, as a guess.
            self.notes.reserve(self.markers.len().min(1024));
        }
        self.has_text = true;
        self.end = line.end();
        let text = trim_space(&line.text[text_at..]);
        let text_start = line.start + text_at;
        self.notes.push(Note {
            label: number.to_string(),
            number: Some(number),
            span: Span::new(line.start + label.0, text_start + text.len()),
            label_span: Span::new(line.start + label.0, line.start + label.1),
            text: MappedText::contiguous(text, text_start),
            citations: Vec::new(),
            id: None,
            backlinks: Vec::new(),
        });
    }

    fn continue_note(&mut self, line: Line<'_>) {
        self.end = line.end();
        let text = trim_space(line.text);
        if text.is_empty() {
            return;
        }
        let at = line.start + (text.as_ptr() as usize - line.text.as_ptr() as usize);
        if let Some(note) = self.notes.last_mut() {
            if note.text.text.is_empty() {
                note.text = MappedText::contiguous(text, at);
            } else {
                extend_text(&mut note.text, text, at);
            }
            note.span.end = at + text.len();
        }
    }
}

/// `line` without the `]` that closes a Gutenberg footnote, and whether it had one.
fn closing_bracket(line: Line<'_>) -> (bool, Line<'_>) {
    let trimmed = trim_end_space(line.text);
    match trimmed.strip_suffix(']') {
        Some(inner) => (
            true,
            Line {
                start: line.start,
                text: inner,
            },
        ),
        None => (false, line),
    }
}

/// Appends a continuation line to a note's or entry's text, joined by the line break it had.
fn extend_text(text: &mut MappedText, piece: &str, at: usize) {
    // One allocation for the break and the piece, rather than one for each.
    text.text.reserve(1 + piece.len());
    text.push_synthetic("\n");
    text.push(piece, at);
}

#[derive(Debug, Default)]
struct Parser<'a> {
    p: Posts,
    blank_since_note: bool,
    prev: Option<&'a str>,
    /// A Gutenberg `[Footnote N: …` whose closing bracket has not come yet: its lines are
    /// the note's, whatever they look like.
    open_footnote: bool,
    /// Reading the paragraph that holds the text of a note whose label stood alone.
    absorbing: bool,
}

impl<'a> Parser<'a> {
    fn line(&mut self, line: Line<'a>) {
        if self.open_footnote && !trim_space(line.text).is_empty() {
            let (closed, line) = closing_bracket(line);
            self.open_footnote = !closed;
            self.p.current.continue_note(line);
            self.prev = Some(line.text);
            return;
        }
        self.open_footnote = false;
        let (kind, footnote) = classify_marked(line.text);
        if footnote {
            let (closed, inner) = closing_bracket(line);
            self.open_footnote = !closed;
            return self.line_of_kind(inner, classify(inner.text));
        }
        self.line_of_kind(line, kind);
    }

    fn line_of_kind(&mut self, line: Line<'a>, kind: LineKind) {
        match kind {
            LineKind::Blank => {
                self.blank_since_note = true;
                self.absorbing = false;
                let target = self.p.target();
                target.body_open = false;
                target.entry_open = false;
            }
            LineKind::BracketNote {
                number,
                label,
                text_at,
            } => self.note(line, number, label, text_at),
            LineKind::NumberedLine {
                number,
                label,
                text_at,
                dotted,
            } if self.accepts_numbered(number, dotted) => self.note(line, number, label, text_at),
            LineKind::NotesHeading if self.p.state != State::Notes || self.blank_since_note => {
                self.p.end_notes(line.start);
                self.p.state = State::Body;
                let target = self.p.target();
                target.numbered_notes = true;
                target.has_text = true;
                target.body_open = false;
            }
            LineKind::BibliographyHeading => {
                self.p.end_notes(line.start);
                self.p.state = State::Bibliography;
                // About one entry per note: room for them at once (an entry is large to move).
                let expected = self.p.current.notes.len().min(1024);
                let target = self.p.target();
                target.bibliography.reserve(expected);
                target.has_text = true;
                target.bibliography_heading = Some(Span::new(line.start, line.end()));
                target.body_open = false;
                target.entry_open = false;
            }
            _ => self.text(line),
        }
        if kind != LineKind::Blank {
            self.prev = Some(line.text);
        }
    }

    /// Whether an `N.` line starts a note: only under a notes heading, and only with a number
    /// that fits the list (so a wrapped `2019. https://…` does not). A bare `N ` must continue
    /// the list exactly, so that `2 Comments` after the notes is not taken for a note.
    fn accepts_numbered(&self, number: u32, dotted: bool) -> bool {
        let builder = match (&self.p.after, self.p.state) {
            (Some(after), _) => after,
            (None, _) => &self.p.current,
        };
        if !builder.numbered_notes {
            return false;
        }
        let last = if self.p.state == State::Notes {
            self.p
                .current
                .notes
                .last()
                .and_then(|n| n.number)
                .unwrap_or(0)
        } else {
            0
        };
        if dotted {
            number >= 1 && number <= last + 3
        } else {
            number == last + 1
        }
    }

    fn note(&mut self, line: Line<'a>, number: u32, label: (usize, usize), text_at: usize) {
        // The list starting again after some text begins a new post.
        self.p.enter_notes(|after| number == 1 && after.has_text);
        self.blank_since_note = false;
        self.p.current.add_note(line, number, label, text_at);
    }

    fn text(&mut self, line: Line<'a>) {
        if self.p.state == State::Notes {
            // A label alone on its line (`[85]`), its text in the paragraph below.
            let label_alone = self
                .p
                .current
                .notes
                .last()
                .is_some_and(|n| n.text.text.is_empty());
            if label_alone || self.absorbing {
                self.blank_since_note = false;
                self.absorbing = true;
                self.p.current.continue_note(line);
                return;
            }
            if !self.blank_since_note && self.prev.is_some_and(|p| continues(p, line.text)) {
                self.p.current.continue_note(line);
                return;
            }
            self.p.end_notes(line.start);
        }
        let prev = self.prev;
        let in_bibliography = self.p.state == State::Bibliography;
        let target = self.p.target();
        if in_bibliography {
            target.add_entry_line(line, prev);
        } else {
            // Running text after a notes heading (notes in a form not read here, such as
            // lettered `[B]` notes): numbered lines further on are a list again, not notes.
            target.numbered_notes = false;
            target.add_body(line);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::lines;

    /// [`classify`] as it was before it read the line once: the reference it must match.
    fn classify_reference(line: &str) -> LineKind {
        let trimmed = trim_start_space(line);
        if trim_end_space(trimmed).is_empty() {
            return LineKind::Blank;
        }
        if matches!(trimmed.as_bytes()[0], b'n' | b'<')
            && crate::suppress::is_directive_line(trimmed)
        {
            return LineKind::Blank;
        }
        let indent = line.len() - trimmed.len();
        let bytes = trimmed.as_bytes();
        if let Some(kind) = gutenberg_footnote(trimmed, indent) {
            return kind;
        }
        if bytes[0] == b'[' {
            let digits = count_digits(&bytes[1..]);
            if (1..=5).contains(&digits) && bytes.get(1 + digits) == Some(&b']') {
                let after = &trimmed[digits + 2..];
                let glued = indent == 0
                    && after
                        .trim_start_matches(['_', '*'])
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_uppercase() || matches!(c, '“' | '"'))
                    && after.chars().take(80).any(|c| c == ',');
                let dashed = ["- ", "– ", "— "]
                    .iter()
                    .find_map(|d| after.strip_prefix(d))
                    .filter(|rest| !trim_start_space(rest).is_empty());
                let after = dashed.unwrap_or(after);
                if after.is_empty() || after.starts_with(is_space) || glued || dashed.is_some() {
                    if let Ok(number) = trimmed[1..=digits].parse() {
                        let text_at = line.len() - trim_start_space(after).len();
                        return LineKind::BracketNote {
                            number,
                            label: (indent, indent + digits + 2),
                            text_at,
                        };
                    }
                }
            }
        } else if bytes[0].is_ascii_digit() {
            let digits = count_digits(bytes);
            let mut label_len = digits;
            if matches!(bytes.get(digits), Some(b'.' | b')')) {
                label_len += 1;
            }
            let after = &trimmed[label_len..];
            if digits <= 3 && after.starts_with(is_space) {
                let text = trim_start_space(after);
                if let Ok(number) = trimmed[..digits].parse() {
                    if !text.is_empty() {
                        return LineKind::NumberedLine {
                            number,
                            label: (indent, indent + label_len),
                            text_at: line.len() - text.len(),
                            dotted: label_len > digits,
                        };
                    }
                }
            }
        }
        let head = trim_space(trimmed).trim_end_matches(':');
        if head.len() <= 16 {
            let lower = head.to_ascii_lowercase();
            if matches!(lower.as_str(), "notes" | "endnotes" | "footnotes") {
                return LineKind::NotesHeading;
            }
            if is_bibliography_heading(&lower) {
                return LineKind::BibliographyHeading;
            }
        }
        LineKind::Text
    }

    #[test]
    fn classify_matches_the_reference() {
        let pieces = [
            "[",
            "]",
            "1",
            "23",
            "99999",
            "123456",
            " ",
            "\u{a0}",
            "\t",
            "-",
            "– ",
            "— ",
            "- ",
            "_",
            "*",
            "Smith",
            "sic",
            ",",
            ".",
            ")",
            ":",
            "“",
            "\"",
            "é",
            "[Footnote ",
            "Notes",
            "ENDNOTES",
            "works cited",
            "Sources",
            "notelint-disable",
            "<!-- notelint-enable -->",
            "x",
        ];
        let mut state: u64 = 0x0F1E_2D3C_4B5A_6978;
        for len in 0..20_000 {
            let mut line = String::new();
            for _ in 0..(len % 9) {
                crate::xorshift(&mut state);
                line.push_str(pieces[(state % pieces.len() as u64) as usize]);
            }
            assert_eq!(classify(&line), classify_reference(&line), "{line:?}");
            let (kind, footnote) = classify_marked(&line);
            assert_eq!(kind, classify(&line));
            assert_eq!(
                footnote,
                gutenberg_footnote(trim_start_space(&line), 0).is_some(),
                "{line:?}"
            );
        }
    }

    #[test]
    fn space_trims_match_is_space() {
        let mut samples: Vec<String> = (0u8..128)
            .map(|b| format!("{0}{0}a{0}b{0}", b as char))
            .collect();
        samples.extend(
            [
                "",
                " ",
                "\u{a0} x\u{2003}",
                "\u{200b}é \u{feff}",
                "é",
                " \u{85}x\u{85} ",
            ]
            .map(String::from),
        );
        for s in &samples {
            assert_eq!(trim_start_space(s), s.trim_start_matches(is_space), "{s:?}");
            assert_eq!(trim_end_space(s), s.trim_end_matches(is_space), "{s:?}");
            assert_eq!(trim_space(s), crate::normalize::trim(s), "{s:?}");
        }
    }

    #[test]
    fn names_gutenberg_finds_each_word_anywhere() {
        for (text, want) in [
            ("The Project GUTENBERG eBook", true),
            ("Gutenberg", true),
            ("x SMALL PRINT!", true),
            ("SMALL PRINT", true),
            ("LL SMALL PRINT", true),
            ("L SMALL PRIN", false),
            ("SMALL PRIN", false),
            ("Gutenber, GUTENBER, Small print, SS GG", false),
            ("", false),
        ] {
            assert_eq!(names_gutenberg(text.as_bytes()), want, "{text}");
        }
    }
    use crate::model::Post;

    fn parse_str(text: &str) -> Document {
        parse(&SourceFile::new("t.txt", text))
    }

    fn note_texts(post: &Post) -> Vec<(String, String)> {
        post.notes
            .iter()
            .map(|n| (n.label.clone(), n.text.text.clone()))
            .collect()
    }

    #[test]
    fn lines_keep_offsets_and_strip_crlf() {
        let v: Vec<_> = lines("a\r\nbc\n\nd").map(|l| (l.start, l.text)).collect();
        assert_eq!(v, vec![(0, "a"), (3, "bc"), (6, ""), (7, "d")]);
        assert_eq!(lines("").count(), 1);
        assert_eq!(lines("x\n").count(), 1);
        assert_eq!(lines("x\r\n").count(), 1);
    }

    #[test]
    fn lone_carriage_returns_end_lines() {
        // Old Mac files end lines with `\r` alone: they were read as one long line.
        let v: Vec<_> = lines("a\rbc\r\rd\r\ne\r")
            .map(|l| (l.start, l.text))
            .collect();
        assert_eq!(v, vec![(0, "a"), (2, "bc"), (5, ""), (6, "d"), (9, "e")]);
        let text = "Claim.[1] More.[2]\r\r[1] One.\r[2] Two.\r";
        let doc = parse_str(text);
        let post = &doc.posts[0];
        assert_eq!(
            note_texts(post),
            vec![("1".into(), "One.".into()), ("2".into(), "Two.".into())]
        );
        assert_eq!(&text[post.notes[1].span.range()], "[2] Two.");
        assert_eq!(post.markers.len(), 2);
    }

    #[test]
    fn classify_note_lines() {
        assert!(matches!(
            classify("  [12] Smith"),
            LineKind::BracketNote {
                number: 12,
                label: (2, 6),
                text_at: 7
            }
        ));
        assert!(matches!(
            classify("[3]"),
            LineKind::BracketNote { number: 3, .. }
        ));
        assert_eq!(classify("[3]Smith"), LineKind::Text);
        assert!(matches!(
            classify("[314]_Ras_--Terme de Mer, a flat boat."),
            LineKind::BracketNote { number: 314, .. }
        ));
        assert_eq!(
            classify("    [238]Coquedicot, dans son verre!"),
            LineKind::Text
        );
        assert!(matches!(
            classify("[4]- Per the spec."),
            LineKind::BracketNote {
                number: 4,
                label: (0, 3),
                text_at: 5
            }
        ));
        assert_eq!(classify("[4]-[5] range"), LineKind::Text);
        assert_eq!(classify("[sic] x"), LineKind::Text);
        assert_eq!(classify("\u{a0} "), LineKind::Blank);
        assert_eq!(
            classify("notelint-disable-next-line url-glued"),
            LineKind::Blank
        );
        assert_eq!(classify("notelint-disabled by default"), LineKind::Text);
        assert_eq!(classify("Works Cited"), LineKind::BibliographyHeading);
        assert_eq!(classify("ENDNOTES:"), LineKind::NotesHeading);
        assert!(matches!(
            classify("4. Smith"),
            LineKind::NumberedLine { number: 4, .. }
        ));
        assert!(matches!(
            classify("4 Smith"),
            LineKind::NumberedLine { number: 4, .. }
        ));
    }

    #[test]
    fn wrapped_note_takes_its_url_but_not_page_furniture() {
        let doc =
            parse_str("Text.[1]\n\n[1] Kim, “Title”, CSIS, 2024,\nhttps://x.org/a\n0 Comments\n");
        assert_eq!(doc.posts.len(), 1);
        assert_eq!(
            note_texts(&doc.posts[0]),
            vec![(
                "1".into(),
                "Kim, “Title”, CSIS, 2024,\nhttps://x.org/a".into()
            )]
        );
    }

    #[test]
    fn notes_restarting_at_one_begin_a_new_post() {
        let doc =
            parse_str("A.[1] B.[2]\n[1] One.\n[2] Two.\n0 Comments\nSecond post.[1]\n\n[1] Uno.\n");
        assert_eq!(doc.posts.len(), 2);
        assert_eq!(doc.posts[0].notes.len(), 2);
        assert_eq!(doc.posts[1].notes.len(), 1);
        assert_eq!(doc.posts[1].markers.len(), 1);
        assert_eq!(
            doc.posts[1].span.start,
            "A.[1] B.[2]\n[1] One.\n[2] Two.\n".len()
        );
    }

    #[test]
    fn adjacent_duplicate_first_note_stays_in_the_post() {
        let doc = parse_str("A.[1]\n[1] One.\n[1] Again.\n");
        assert_eq!(doc.posts.len(), 1);
        assert_eq!(doc.posts[0].notes.len(), 2);
    }

    #[test]
    fn bibliography_entries_split_at_blank_lines_and_new_entries() {
        let doc = parse_str(
            "Body.[1]\nBibliography\nA, “X.” https://a.org/x\nB, “Y.” 2020.\n\u{a0}\nC, “Z.”\n\n[1] A, “X.”\n",
        );
        let post = &doc.posts[0];
        let entries: Vec<_> = post
            .bibliography
            .iter()
            .map(|b| b.text.text.as_str())
            .collect();
        assert_eq!(
            entries,
            vec!["A, “X.” https://a.org/x", "B, “Y.” 2020.", "C, “Z.”"]
        );
        assert!(post.bibliography_heading.is_some());
        assert_eq!(post.notes.len(), 1);
    }

    #[test]
    fn numbered_notes_under_a_heading() {
        let doc = parse_str("Text.¹ More.²\n\nNotes\n1. First.\n2. Second\n   wrapped.\n");
        let post = &doc.posts[0];
        assert_eq!(post.markers.len(), 2);
        assert_eq!(
            note_texts(post),
            vec![
                ("1".into(), "First.".into()),
                ("2".into(), "Second\nwrapped.".into())
            ]
        );
    }

    #[test]
    fn numbered_lines_without_a_heading_are_text() {
        let doc = parse_str("1. Step one.[1]\n\n[1] Note.\n");
        assert_eq!(doc.posts[0].notes.len(), 1);
    }

    #[test]
    fn note_spans_point_into_the_file() {
        let text = "x[2]\n\n  [2]\u{a0}Smith, 2020.\n";
        let doc = parse_str(text);
        let note = &doc.posts[0].notes[0];
        assert_eq!(&text[note.label_span.range()], "[2]");
        assert_eq!(&text[note.span.range()], "[2]\u{a0}Smith, 2020.");
        assert_eq!(&text[note.text.full_span().range()], "Smith, 2020.");
    }

    #[test]
    fn empty_and_odd_inputs() {
        assert!(parse_str("").posts.is_empty());
        assert!(parse_str("\n\n\n").posts.is_empty());
        assert_eq!(parse_str("[1]").posts[0].notes.len(), 1);
    }

    #[test]
    fn gutenberg_footnotes_and_boilerplate() {
        let text = "Header of the etext.\n*** START OF THE PROJECT GUTENBERG EBOOK X ***\n\n\
                    The canoe was made of birch.[1] It was light.[2]\n\n\
                    [Footnote 1: See the report of Lieutenant Smith,\n\
                    Washington, 1880. Another sentence.]\n\n\
                    More text.\n\n    [Footnote 2: Bollaert: Researches.]\n\n\
                    *** END OF THE PROJECT GUTENBERG EBOOK X ***\n[1] Michael Hart and the Foundation\n";
        let doc = parse(&SourceFile::new("t.txt", text));
        let post = &doc.posts[0];
        let labels: Vec<_> = post.notes.iter().map(|n| n.label.as_str()).collect();
        assert_eq!(labels, ["1", "2"]);
        assert_eq!(
            post.notes[0].text.text,
            "See the report of Lieutenant Smith,\nWashington, 1880. Another sentence."
        );
        assert_eq!(post.notes[1].text.text, "Bollaert: Researches.");
        assert_eq!(&text[post.notes[0].label_span.range()], "[Footnote 1:");
        assert_eq!(post.markers.len(), 2);
    }

    #[test]
    fn a_note_glued_to_its_label_is_a_note() {
        assert!(matches!(
            classify("[3]Allegheny College, Annual Report, 1901."),
            LineKind::BracketNote { number: 3, .. }
        ));
        assert_eq!(classify("[3]rd place"), LineKind::Text);
    }

    #[test]
    fn a_label_alone_takes_the_paragraph_below() {
        let doc = parse(&SourceFile::new(
            "t.txt",
            "A letter.[85]\n\n[85]\n\nHAMBURGH, June 12, 1801.\nDear friend.\n",
        ));
        let note = &doc.posts[0].notes[0];
        assert_eq!(note.text.text, "HAMBURGH, June 12, 1801.\nDear friend.");
    }
}
