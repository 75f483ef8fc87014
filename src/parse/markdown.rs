//! The Markdown parser: GFM footnotes (`[^label]` and `[^label]: text`) and notes numbered by
//! hand, read with pulldown-cmark's offset iterator so that every span points into the file.
//!
//! References and definitions pair as on GitHub: labels compare case-insensitively, the first
//! of two definitions of a label wins (the second is kept in the model, so `duplicate-note-number`
//! reports it; pandoc would keep the last), and a `[^label]` inside code is not a reference. A
//! `[^label]` that no definition matches stays literal text for GitHub; it is kept as a marker,
//! so that `orphan-marker` reports it. Front matter (YAML `---` or TOML `+++`) is skipped.
//! In a document written for kramdown (front matter, `{: …}` lines), text after an inline
//! HTML tag line is read as Markdown too, as kramdown reads it (see `reread_html_paragraph`).

use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use regex::Regex;

use crate::model::{Document, Link, MappedText, Marker, MarkerKind, Note};
use crate::parse::blocks::{self, Block, TextBlock};
use crate::source::{SourceFile, Span};

/// Parses a Markdown file into posts.
#[must_use]
pub fn parse(source: &SourceFile) -> Document {
    Document {
        posts: read_blocks(&source.text).finish(),
        anchors: Vec::new(),
        file_links: Vec::new(),
    }
}

/// The pulldown-cmark options notelint reads Markdown with: GitHub's.
fn options() -> Options {
    Options::ENABLE_FOOTNOTES
        | Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS
}

/// A footnote definition being read.
#[derive(Debug)]
struct OpenNote {
    label: String,
    range: Range<usize>,
    block: TextBlock,
    /// Whether text other than a read reference put a `[` into the note (see
    /// [`Reader::brackets`]).
    brackets: bool,
}

#[derive(Debug, Default)]
struct Reader<'a> {
    text: &'a str,
    /// Where each block goes as it ends: no list of blocks is kept.
    blocks: blocks::Assembler,
    /// The block of running text being read, if any.
    block: Option<TextBlock>,
    heading: bool,
    note: Option<OpenNote>,
    /// Inside a code block or front matter: text is skipped.
    skip: usize,
    /// Open ordered lists: the number of the next item.
    lists: Vec<Option<u64>>,
    /// Open links: destination and where the link starts.
    links: Vec<(String, usize)>,
    /// Whether text other than a reference pulldown-cmark read put a `[` into the running
    /// block: only then can the block write a `[^label]` that it left literal, and
    /// [`find_literal_references`] has anything to look for.
    brackets: bool,
    /// Where the innermost block-level element opened last ends in the file: the room the
    /// first piece of a line reserves (see [`Reader::push_piece`]).
    block_end: usize,
}

/// Reads a Markdown text into blocks, assembled into posts as they end.
fn read_blocks(text: &str) -> blocks::Assembler {
    let mut r = Reader {
        text,
        ..Reader::default()
    };
    let kramdown = kramdown_dialect(text);
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        if kramdown && r.skip == 0 && matches!(event, Event::Start(Tag::HtmlBlock)) {
            r.reread_html_paragraph(range.clone());
        }
        r.event(event, range);
    }
    r.flush();
    if let Some(note) = r.note.take() {
        r.close_note(note);
    }
    r.blocks
}

impl Reader<'_> {
    /// The block that text goes to: the open note's, or the running one (opened on demand).
    fn current(&mut self) -> &mut TextBlock {
        if let Some(note) = self.note.as_mut() {
            return &mut note.block;
        }
        self.block.get_or_insert_with(|| TextBlock {
            lines: vec![MappedText::default()],
            ..TextBlock::default()
        })
    }

    fn line(&mut self) -> &mut MappedText {
        let block = self.current();
        if block.lines.is_empty() {
            block.lines.push(MappedText::default());
        }
        let last = block.lines.len() - 1;
        &mut block.lines[last]
    }

    fn new_line(&mut self) {
        let block = self.current();
        if block.lines.last().is_some_and(|l| !l.text.is_empty()) {
            block.lines.push(MappedText::default());
        }
    }

    /// Ends the running block, if any.
    fn flush(&mut self) {
        if self.note.is_some() {
            self.new_line();
            return;
        }
        let brackets = std::mem::take(&mut self.brackets);
        if let Some(mut block) = self.block.take() {
            block.lines.retain(|l| !l.text.is_empty());
            if brackets || always_scan() {
                find_literal_references(&mut block);
            }
            if self.heading {
                self.blocks.add(Block::Heading(block));
            } else {
                self.blocks.add(Block::Text(block));
            }
        }
        self.heading = false;
    }

    /// Notes that a `[` went into the current block (see [`Reader::brackets`]).
    fn mark_brackets(&mut self) {
        match self.note.as_mut() {
            Some(note) => note.brackets = true,
            None => self.brackets = true,
        }
    }

    /// Appends `piece`, which stands in the file at `at`, to the current line. The first
    /// piece of a line reserves room for the rest of the block it is in (up to
    /// [`LINE_HINT`] bytes), so that the line's text is not grown again and again.
    fn push_piece(&mut self, piece: &str, at: usize) {
        let room = self.block_end.saturating_sub(at).min(LINE_HINT);
        let line = self.line();
        if line.text.capacity() == 0 && *line == MappedText::default() {
            let mut first = String::with_capacity(room.max(piece.len()));
            first.push_str(piece);
            // The map `push` builds for the first piece of a line: one segment, at `at`.
            *line = MappedText::contiguous(first, at);
        } else {
            line.push(piece, at);
        }
    }

    fn push_text(&mut self, s: &str, range: &Range<usize>) {
        if memchr::memchr(b'[', s.as_bytes()).is_some() {
            self.mark_brackets();
        }
        // Text that stands in the file as it is maps exactly; text the parser changed (a
        // code span's line break read as a space, an entity, an escape) maps piece by piece.
        let Some(raw) = self.text.get(range.clone()) else {
            self.push_piece(s, range.start);
            return;
        };
        // Text borrowed from the file at its own range is the same text: no comparison.
        if std::ptr::eq(raw.as_ptr(), s.as_ptr()) && raw.len() == s.len() || raw == s {
            self.push_piece(s, range.start);
        } else if let Some(i) = raw.find(s) {
            self.push_piece(s, range.start + i);
        } else {
            for (piece, at) in aligned_pieces(s, raw) {
                self.push_piece(piece, range.start + at);
            }
        }
    }

    /// Reads one parser event: skipped text is dropped, tags open and close blocks, and
    /// inline events add text, markers and links to the current block.
    fn event(&mut self, event: Event<'_>, range: Range<usize>) {
        if self.skip > 0 {
            if matches!(
                event,
                Event::End(TagEnd::CodeBlock | TagEnd::MetadataBlock(_))
            ) {
                self.skip -= 1;
            }
            return;
        }
        match event {
            Event::Start(tag) => self.start_tag(tag, range),
            Event::End(tag) => self.end_tag(tag, &range),
            Event::Text(s) => self.push_text(&s, &range),
            Event::Code(s) | Event::InlineMath(s) | Event::DisplayMath(s) => {
                self.push_text(&s, &range);
                self.current().opaque.push(Span::from(range));
            }
            Event::SoftBreak | Event::HardBreak => self.new_line(),
            Event::FootnoteReference(label) => self.footnote_reference(&label, range),
            _ => {}
        }
    }

    fn start_tag(&mut self, tag: Tag<'_>, range: Range<usize>) {
        if matches!(
            tag,
            Tag::Paragraph
                | Tag::Heading { .. }
                | Tag::Item
                | Tag::TableCell
                | Tag::FootnoteDefinition(_)
        ) {
            self.block_end = range.end;
        }
        match tag {
            Tag::MetadataBlock(_) => self.skip += 1,
            Tag::CodeBlock(_) if self.note.is_some() => {
                // A note may be a code block (citation data, a listing): not empty, but not
                // prose to read citations from either. It stands as `(code)` in the text.
                self.new_line();
                self.line().push_synthetic("(code)");
                self.skip += 1;
            }
            Tag::CodeBlock(_) => {
                // A code block's text is no prose.
                self.flush();
                self.skip += 1;
            }
            Tag::Heading { .. } => {
                self.flush();
                self.heading = true;
            }
            Tag::Paragraph => self.paragraph_break(),
            Tag::List(start) => {
                self.flush();
                self.lists.push(start);
            }
            Tag::Item => self.start_item(range.start),
            Tag::TableCell => {
                let line = self.line();
                if !line.text.is_empty() {
                    line.push_synthetic(" | ");
                }
            }
            Tag::FootnoteDefinition(label) => {
                self.flush();
                if let Some(note) = self.note.take() {
                    self.close_note(note);
                }
                self.note = Some(OpenNote {
                    label: label.into_string(),
                    range,
                    block: TextBlock::default(),
                    brackets: false,
                });
            }
            Tag::Link { dest_url, .. } => {
                self.links.push((dest_url.to_string(), range.start));
            }
            _ => {}
        }
    }

    fn end_tag(&mut self, tag: TagEnd, range: &Range<usize>) {
        match tag {
            TagEnd::Heading(_) | TagEnd::Item | TagEnd::BlockQuote(_) | TagEnd::HtmlBlock => {
                self.flush();
            }
            TagEnd::Paragraph | TagEnd::TableRow | TagEnd::TableHead => self.paragraph_break(),
            TagEnd::List(_) => {
                self.flush();
                self.lists.pop();
            }
            TagEnd::FootnoteDefinition => {
                if let Some(note) = self.note.take() {
                    self.close_note(note);
                }
            }
            TagEnd::Link => {
                if let Some((dest, start)) = self.links.pop() {
                    // `[[1]](#fn1)` is a marker, linked to its note; a bracketed number that
                    // links elsewhere (`[[1]](https://…)`, `[[1]](#)`) is a reference of
                    // another kind, or an example.
                    let to_note = dest.len() > 1 && dest.starts_with('#');
                    if !to_note {
                        self.current().opaque.push(Span::new(start, range.end));
                    }
                    if let Some(link) = self.link(&dest, start, range.end) {
                        self.current().links.push(link);
                    }
                }
            }
            _ => {}
        }
    }

    /// The start or end of a paragraph or table row: a new line inside a list item or a note
    /// (whose paragraphs all belong to it), the end of the block elsewhere.
    fn paragraph_break(&mut self) {
        let in_item = self.block.as_ref().is_some_and(|b| b.item.is_some());
        if in_item || self.note.is_some() {
            self.new_line();
        } else {
            self.flush();
        }
    }

    /// A list item starts a block of its own, numbered when its list is ordered; inside a
    /// note it only starts a line.
    fn start_item(&mut self, start: usize) {
        if self.note.is_some() {
            self.new_line();
            return;
        }
        self.flush();
        let number = match self.lists.last_mut() {
            Some(Some(n)) => {
                let this = *n;
                *n += 1;
                u32::try_from(this).ok()
            }
            _ => None,
        };
        let item = number.map(|n| (n, self.item_number_span(start)));
        self.block = Some(TextBlock {
            lines: vec![MappedText::default()],
            item,
            ..TextBlock::default()
        });
    }

    /// A `[^label]` that a definition matches: its text stays in the line (so that the
    /// line reads as written) but is opaque to the bracket scan, and it is a marker.
    fn footnote_reference(&mut self, label: &str, range: Range<usize>) {
        let span = Span::from(range.clone());
        let written = self.text.get(range.clone()).unwrap_or("");
        // A reference written `[^label]` with no other `[` in it holds no `[^label]` that
        // could be left literal: any found in it would lie inside this marker.
        let plain = written.len() > 2
            && written.starts_with("[^")
            && written.ends_with(']')
            && !written.as_bytes()[1..].contains(&b'[');
        if !plain {
            self.mark_brackets();
        }
        self.push_piece(written, range.start);
        let block = self.current();
        block.opaque.push(span);
        block.markers.push(footnote_marker(label, span));
    }

    /// Reads again, as Markdown, the text of a raw HTML block that kramdown would read as a
    /// paragraph: one opened by a span-level tag on a line of its own (`<br>`, `<img …>`),
    /// then lines of text without a blank line between. CommonMark keeps the whole block raw,
    /// but kramdown renders the markers and footnote definitions in it, so a document written
    /// for kramdown has them. The text is read from its first line that does not open with a
    /// tag; an HTML block found inside it is not read again, so each byte is read at most
    /// twice.
    fn reread_html_paragraph(&mut self, range: Range<usize>) {
        let Some(block) = self.text.get(range.clone()) else {
            return;
        };
        if !opens_with_span_tag(block) {
            return;
        }
        let mut at = 0;
        for line in block.split_inclusive('\n') {
            if !line.trim_start().starts_with('<') {
                break;
            }
            at += line.len();
        }
        let Some(rest) = block.get(at..).filter(|r| !r.trim().is_empty()) else {
            return;
        };
        let base = range.start + at;
        self.flush();
        for (event, inner) in Parser::new_ext(rest, options()).into_offset_iter() {
            self.event(event, base + inner.start..base + inner.end);
        }
        self.flush();
        if let Some(note) = self.note.take() {
            self.close_note(note);
        }
        self.skip = 0;
    }

    /// The span of an ordered list item's number (`3.` or `3)`), which starts the item.
    fn item_number_span(&self, start: usize) -> Span {
        let rest = self.text.get(start..).unwrap_or("");
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let len = digits + usize::from(matches!(rest.as_bytes().get(digits), Some(b'.' | b')')));
        Span::new(start, start + len)
    }

    /// A link whose destination is a web address, with the span of the destination.
    fn link(&self, dest: &str, start: usize, end: usize) -> Option<Link> {
        let lower = dest.get(..8).unwrap_or(dest).to_ascii_lowercase();
        if !(lower.starts_with("http://")
            || lower.starts_with("https://")
            || lower.starts_with("www."))
        {
            return None;
        }
        let raw = self.text.get(start..end)?;
        let span = match raw.rfind(dest) {
            Some(i) => Span::new(start + i, start + i + dest.len()),
            None => Span::new(start, end),
        };
        Some(Link {
            url: dest.to_string(),
            span,
            element: Span::new(start, end),
        })
    }

    fn close_note(&mut self, open: OpenNote) {
        let OpenNote {
            label,
            range,
            mut block,
            brackets,
        } = open;
        // Empty lines need no removing: the literal-reference scan finds nothing in them and
        // the note's text skips them.
        if brackets || always_scan() {
            find_literal_references(&mut block);
        }
        let raw = self.text.get(range.clone()).unwrap_or("");
        let label_len = crate::identity::find_ascii(raw, b"]:").map_or(0, |i| i + 2);
        let label_span = Span::new(range.start, range.start + label_len);
        let text = blocks::take_note_text(std::mem::take(&mut block.lines));
        let end = if text.text.is_empty() {
            label_span.end
        } else {
            text.full_span().end.max(label_span.end)
        };
        let number = numeric_label(&label);
        self.blocks.note(
            Note {
                label,
                number,
                span: Span::new(range.start, end),
                label_span,
                text,
                citations: Vec::new(),
                id: None,
                backlinks: Vec::new(),
            },
            block.markers,
            block.links,
        );
    }
}

#[cfg(test)]
thread_local! {
    /// Set by a test: every block is scanned for literal references, as before the scan was
    /// skipped for blocks without a `[`.
    static ALWAYS_SCAN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether every block is scanned for literal references (a test's reference run).
#[cfg(test)]
fn always_scan() -> bool {
    ALWAYS_SCAN.with(std::cell::Cell::get)
}

/// Whether every block is scanned for literal references: never outside tests.
#[cfg(not(test))]
fn always_scan() -> bool {
    false
}

/// The most bytes the first piece of a line reserves for the line (see
/// [`Reader::push_piece`]), so that a block of many lines reserves no more than this per line.
const LINE_HINT: usize = 4096;

/// The label as a number, when it is one (`[^3]`, not `[^3a]`).
fn numeric_label(label: &str) -> Option<u32> {
    if label.is_empty() || label.len() > 5 || !label.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // At most five digits: no overflow.
    let n = label
        .bytes()
        .fold(0u32, |n, b| n * 10 + u32::from(b - b'0'));
    (n > 0).then_some(n)
}

fn footnote_marker(label: &str, span: Span) -> Marker {
    Marker {
        label: label.to_string(),
        number: numeric_label(label),
        kind: MarkerKind::Footnote,
        span,
        target: None,
        id: None,
    }
}

/// Whether the document shows that it is written for kramdown (Jekyll), which reads a
/// paragraph opened by an inline HTML tag as Markdown: front matter, or a kramdown attribute
/// line (`{: .class}`, `{:toc}`).
fn kramdown_dialect(text: &str) -> bool {
    static IAL: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?m)^[ \t]{0,3}\{:").expect("valid regex"));
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.starts_with("---\n")
        || text.starts_with("---\r\n")
        || text.starts_with("+++\n")
        || text.starts_with("+++\r\n")
        || IAL.is_match(text)
}

/// Whether an HTML block opens with a span-level tag (`<br>`, `<img …>`, `<a …>`, `<span>`):
/// kramdown reads such a block as a paragraph, where block-level tags (`<div>`, `<table>`)
/// and comments keep their content raw.
fn opens_with_span_tag(block: &str) -> bool {
    const SPAN_TAGS: [&str; 16] = [
        "br", "img", "a", "span", "em", "strong", "b", "i", "u", "sup", "sub", "small", "code",
        "kbd", "abbr", "mark",
    ];
    let Some(rest) = block.trim_start().strip_prefix('<') else {
        return false;
    };
    let name_len = rest.bytes().take_while(u8::is_ascii_alphanumeric).count();
    let name = rest[..name_len].to_ascii_lowercase();
    let after = rest.as_bytes().get(name_len).copied();
    SPAN_TAGS.contains(&name.as_str()) && matches!(after, Some(b'>' | b' ' | b'/' | b'\t'))
}

/// `[^label]` written in the text that pulldown-cmark left literal, because no definition
/// matches it: kept as a marker so that `orphan-marker` sees it. A `[^label]:` that opens a
/// line is a definition pulldown-cmark did not accept (in a table cell, a heading): not a
/// reference either. In mid-line (`the protocol[^oidc]: …`) it is a reference followed by a
/// colon. One between two `$` of its line is read as math, not a reference.
fn find_literal_references(block: &mut TextBlock) {
    // Most blocks write no `[^`: nothing to index or scan.
    if !block.lines.iter().any(|l| has_reference(&l.text)) {
        return;
    }
    let mut found = Vec::new();
    // Most `[^label]` a block writes are the references pulldown-cmark read: their spans are
    // markers already, hidden at once. The span indexes, and the math spans of a line, are
    // built only for a candidate that is none of them.
    let mut known: Vec<Span> = block.markers.iter().map(|m| m.span).collect();
    known.sort_unstable();
    let mut indexes: Option<(blocks::SpanIndex, blocks::SpanIndex)> = None;
    for line in block.lines.iter().filter(|l| has_reference(&l.text)) {
        let mut math: Option<Vec<Range<usize>>> = None;
        let mut next_math = 0;
        let first = line.text.len() - line.text.trim_start().len();
        for (whole, label) in literal_references(&line.text) {
            if whole.start == first && line.text[whole.end..].starts_with(':') {
                continue;
            }
            let span = line.span(whole.start, whole.end);
            if known.binary_search(&span).is_ok() {
                continue;
            }
            // Matches and math spans both go left to right: one pass over each.
            let math = math.get_or_insert_with(|| math_spans(&line.text));
            while math.get(next_math).is_some_and(|m| m.end <= whole.start) {
                next_math += 1;
            }
            if math
                .get(next_math)
                .is_some_and(|m| m.start < whole.start && whole.end <= m.end)
            {
                continue;
            }
            let (containers, markers) = indexes.get_or_insert_with(|| {
                (
                    blocks::SpanIndex::new(
                        block
                            .opaque
                            .iter()
                            .copied()
                            .chain(block.markers.iter().map(|m| m.span)),
                    ),
                    blocks::SpanIndex::new(block.markers.iter().map(|m| m.span)),
                )
            });
            let hidden = containers.any_contains(span) || markers.any_inside(span);
            if !hidden {
                found.push(footnote_marker(label, span));
            }
        }
    }
    block.markers.extend(found);
}

/// Whether `text` writes `[^`.
fn has_reference(text: &str) -> bool {
    find_reference_open(text.as_bytes(), 0).is_some()
}

/// The first `[^` in `b` at or after `from`: a search for `[` (rarer in prose than `^`),
/// cheaper on the short texts of lines than a substring search.
fn find_reference_open(b: &[u8], from: usize) -> Option<usize> {
    memchr::memchr_iter(b'[', b.get(from..)?)
        .map(|i| from + i)
        .find(|&i| b.get(i + 1) == Some(&b'^'))
}

/// The `[^label]` references written in `line`, left to right, each with its label: one to
/// 100 characters, none of them white space or a bracket. A hand scan instead of a regex, whose
/// bounded repetition of a Unicode class took longer to build than most files take to read.
/// Linear: a failed candidate is abandoned after at most 101 characters.
fn literal_references(line: &str) -> impl Iterator<Item = (Range<usize>, &str)> + '_ {
    let mut from = 0;
    std::iter::from_fn(move || {
        while let Some(start) = find_reference_open(line.as_bytes(), from) {
            let label_start = start + 2;
            from = start + 1;
            let mut chars = 0;
            for (i, c) in line.get(label_start..)?.char_indices() {
                if c == ']' {
                    if chars > 0 {
                        let end = label_start + i + 1;
                        from = end;
                        return Some((
                            start..end,
                            line.get(label_start..label_start + i).unwrap_or(""),
                        ));
                    }
                    break;
                }
                chars += 1;
                if c == '[' || c.is_whitespace() || chars > 100 {
                    break;
                }
            }
        }
        None
    })
}

/// The `$…$` spans of a line read as TeX math the way pandoc and GitHub read them: the opening
/// `$` is followed by a non-space, the closing one follows a non-space and is not followed by
/// a digit, so that prices (`$77.1 billion … $45.6`) are no math. Linear in the line.
fn math_spans(line: &str) -> Vec<Range<usize>> {
    let bytes = line.as_bytes();
    let mut spans = Vec::new();
    let mut open: Option<usize> = None;
    for (i, &b) in bytes.iter().enumerate() {
        if b != b'$' {
            continue;
        }
        let next = bytes.get(i + 1).copied();
        match open {
            None => {
                if next.is_some_and(|n| !n.is_ascii_whitespace() && n != b'$') {
                    open = Some(i);
                }
            }
            Some(start) => {
                let prev = bytes.get(i.wrapping_sub(1)).copied();
                let closes = i > start + 1
                    && prev.is_some_and(|p| !p.is_ascii_whitespace())
                    && !next.is_some_and(|n| n.is_ascii_digit());
                if closes {
                    spans.push(start..i + 1);
                    open = None;
                }
            }
        }
    }
    spans
}

/// Splits `text` (what the parser made of `raw`) into pieces that stand in `raw` as they are,
/// each with its offset there. Characters of `raw` that `text` dropped (a backtick, a
/// backslash, the rest of an entity) are skipped; a line break read as a space maps to the
/// break. What cannot be matched maps to where the match stopped. Linear in both.
fn aligned_pieces<'t>(text: &'t str, raw: &str) -> Vec<(&'t str, usize)> {
    let raw_bytes = raw.as_bytes();
    let mut pieces: Vec<(&'t str, usize)> = Vec::new();
    let mut r = 0;
    let mut piece_start: Option<(usize, usize)> = None;
    for (t, c) in text.char_indices() {
        let mut found = None;
        while r < raw.len() {
            let rc = raw[r..].chars().next().unwrap_or(' ');
            if rc == c || (c == ' ' && matches!(rc, '\n' | '\r')) {
                found = Some(r);
                break;
            }
            r += rc.len_utf8();
        }
        let Some(at) = found else {
            // The rest of the text is not in `raw`: it maps to where `raw` ends.
            if let Some((ts, rs)) = piece_start.take() {
                pieces.push((&text[ts..t], rs));
            }
            pieces.push((&text[t..], raw.len()));
            return pieces;
        };
        let contiguous = piece_start.is_some_and(|(ts, rs)| rs + (t - ts) == at);
        if !contiguous {
            if let Some((ts, rs)) = piece_start {
                pieces.push((&text[ts..t], rs));
            }
            piece_start = Some((t, at));
        }
        // A CRLF read as one space counts both bytes.
        r = at + c.len_utf8();
        if c == ' ' && raw_bytes.get(at) == Some(&b'\r') && raw_bytes.get(at + 1) == Some(&b'\n') {
            r += 1;
        }
    }
    if let Some((ts, rs)) = piece_start {
        pieces.push((&text[ts..], rs));
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_references_match_the_regex_they_replace() {
        let regex = Regex::new(r"\[\^([^\]\s\[]{1,100})\]").expect("valid regex");
        let long = format!("[^{}] [^{}]", "a".repeat(100), "b".repeat(101));
        for line in [
            "a [^1] b [^note] [^] [^ x] [^[^2]] [^é😀]",
            "[^a[^b] [^c]]: [^d\u{a0}e] [^f\u{2003}] [^^] [^[^]",
            long.as_str(),
            "[^x",
            "",
        ] {
            let want: Vec<(Range<usize>, &str)> = regex
                .captures_iter(line)
                .filter_map(|c| Some((c.get(0)?.range(), c.get(1)?.as_str())))
                .collect();
            let got: Vec<(Range<usize>, &str)> = literal_references(line).collect();
            assert_eq!(got, want, "{line}");
        }
    }

    fn parse_str(text: &str) -> Document {
        parse(&SourceFile::new("t.md", text))
    }

    #[test]
    fn skipping_blocks_without_brackets_finds_the_same_markers() {
        // Pieces that make references defined, undefined, escaped, in code, in math, in
        // links, as entities and split across lines; a xorshift picks and joins them.
        const PIECES: [&str; 24] = [
            "Text.",
            "[^1]",
            "[^a]",
            "[^zz]",
            "\\[^1]",
            "`[^a]`",
            "$x[^1]$",
            "&#91;^a]",
            "[^a\\[^b]",
            "[[^1]](#fn1)",
            "[x](https://e.org/[^1])",
            "[^",
            "a]",
            "\n",
            "\n\n",
            "\n\n[^1]: Note one. [^zz]\n",
            "\n\n[^a]: Note a.\n",
            " ",
            "- ",
            "1. ",
            "| a [^1] | b |\n| - | - |\n",
            "# H [^a]\n",
            "<br>\n",
            "[^1]:",
        ];
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        for round in 0..400 {
            let mut text = String::new();
            if round % 3 == 0 {
                text.push_str("---\nt: x\n---\n");
            }
            for _ in 0..(8 + round % 24) {
                crate::xorshift(&mut state);
                text.push_str(PIECES[(state % PIECES.len() as u64) as usize]);
            }
            let markers = |always: bool| {
                ALWAYS_SCAN.with(|a| a.set(always));
                let doc = parse_str(&text);
                ALWAYS_SCAN.with(|a| a.set(false));
                doc.posts
                    .iter()
                    .flat_map(|p| p.markers.iter().map(|m| (m.span, m.label.clone())))
                    .collect::<Vec<_>>()
            };
            assert_eq!(markers(false), markers(true), "{text:?}");
        }
    }

    #[test]
    fn footnotes_pair_with_spans_into_the_file() {
        let text = "Claim.[^a] More.[^2]\n\n[^a]: Smith, 2019.\n[^2]: Jones,\n    continued.\n";
        let doc = parse_str(text);
        let post = &doc.posts[0];
        let markers: Vec<_> = post.markers.iter().map(|m| &text[m.span.range()]).collect();
        assert_eq!(markers, ["[^a]", "[^2]"]);
        assert_eq!(post.notes.len(), 2);
        assert_eq!(&text[post.notes[0].label_span.range()], "[^a]:");
        assert_eq!(post.notes[0].text.text, "Smith, 2019.");
        assert_eq!(post.notes[1].number, Some(2));
        assert_eq!(&text[post.notes[1].text.span(0, 6).range()], "Jones,");
    }

    #[test]
    fn code_is_not_a_reference_and_undefined_ones_are_kept() {
        let text = "Use `[^a]` and [^b] here.[1]\n\n```\n[^c]\n```\n\n[1] Note.\n";
        let doc = parse_str(text);
        let labels: Vec<_> = doc.posts[0]
            .markers
            .iter()
            .map(|m| m.label.as_str())
            .collect();
        assert_eq!(labels, ["b", "1"]);
    }

    #[test]
    fn hand_numbered_notes_under_a_heading() {
        let text =
            "---\ntitle: x [1]\n---\nText.[1] More.[2]\n\n## Notes\n\n1. First.\n2. Second.\n";
        let doc = parse_str(text);
        let post = &doc.posts[0];
        assert_eq!(post.markers.len(), 2);
        let notes: Vec<_> = post
            .notes
            .iter()
            .map(|n| (&text[n.label_span.range()], n.text.text.as_str()))
            .collect();
        assert_eq!(notes, [("1.", "First."), ("2.", "Second.")]);
    }

    #[test]
    fn link_destinations_are_links() {
        let text = "A.[^1]\n\n[^1]: See [the report](https://x.org/r) and <https://y.org>.\n";
        let doc = parse_str(text);
        let urls: Vec<_> = doc.posts[0]
            .links
            .iter()
            .map(|l| &text[l.span.range()])
            .collect();
        assert_eq!(urls, ["https://x.org/r", "https://y.org"]);
    }

    #[test]
    fn adjacent_references_keep_the_first_marker() {
        // `[^4][^6]` with no space between was reported to lose `[^4]`; the same for markers
        // numbered by hand, and for a first reference that no definition matches.
        let text = "One.[^4][^6] Two.[^9][^6] Three.[4][6]\n\n| Cell[^4][^6] |\n| - |\n\n\
                    [^4]: Four.\n\n[^6]: Six.\n";
        let doc = parse_str(text);
        let markers: Vec<_> = doc
            .posts
            .iter()
            .flat_map(|p| &p.markers)
            .map(|m| (&text[m.span.range()], m.number))
            .collect();
        assert_eq!(
            markers,
            [
                ("[^4]", Some(4)),
                ("[^6]", Some(6)),
                ("[^9]", Some(9)),
                ("[^6]", Some(6)),
                ("[4]", Some(4)),
                ("[6]", Some(6)),
                ("[^4]", Some(4)),
                ("[^6]", Some(6)),
            ]
        );
    }

    #[test]
    fn a_code_span_with_a_line_break_maps_to_its_own_bytes() {
        let text = "`xhttp://a.b/n\n` and [^c]\n\n[^c]: A.\n";
        let pieces = super::aligned_pieces("xhttp://a.b/n ", "`xhttp://a.b/n\n`");
        assert_eq!(pieces, vec![("xhttp://a.b/n ", 1)]);
        let crlf = super::aligned_pieces("a b", "`a\r\nb`");
        assert_eq!(crlf, vec![("a ", 1), ("b", 4)]);
        let doc = parse_str(text);
        assert_eq!(doc.posts[0].notes.len(), 1);
    }

    #[test]
    fn a_note_that_is_a_code_block_is_not_empty() {
        let doc = parse_str("A.[^1]\n\n[^1]:\n    ```json\n    {\"title\": \"Sketch\"}\n    ```\n");
        let note = &doc.posts[0].notes[0];
        assert_eq!(note.text.text, "(code)");
    }

    #[test]
    fn a_bracketed_number_linking_elsewhere_is_no_marker() {
        let doc = parse_str("A [[1]](https://a.org/x) and [[2]](#) and [[3]](#fn3).\n\n[3] C.\n");
        let labels: Vec<_> = doc.posts[0]
            .markers
            .iter()
            .map(|m| m.label.as_str())
            .collect();
        assert_eq!(labels, ["3"]);
    }

    fn marker_labels(text: &str) -> Vec<String> {
        parse_str(text)
            .posts
            .iter()
            .flat_map(|p| &p.markers)
            .map(|m| m.label.clone())
            .collect()
    }

    #[test]
    fn a_reference_followed_by_a_colon_in_mid_line_is_a_reference() {
        // `the protocol[^oidc]:` was skipped as if it were a definition.
        let text = "The protocol[^oidc]: see below.\n[^x]: not a reference\n";
        assert_eq!(marker_labels(text), ["oidc"]);
    }

    #[test]
    fn a_reference_in_math_is_none_but_prices_are_no_math() {
        assert_eq!(marker_labels("Let $a[^2]$ be.\n"), Vec::<String>::new());
        assert_eq!(
            marker_labels("It cost $77 billion.[^3] Up from $45 in 2001.\n"),
            ["3"]
        );
    }

    #[test]
    fn kramdown_reads_a_paragraph_after_an_inline_tag() {
        // With front matter, the text after `<br>` holds a definition kramdown renders.
        let body = "Claim.[^a]\n\n<br>\nMore.[^b]\n[^a]: The source.\n";
        let doc = parse_str(&format!("---\ntitle: t\n---\n{body}"));
        let post = &doc.posts[0];
        let labels: Vec<_> = post.markers.iter().map(|m| m.label.as_str()).collect();
        assert_eq!(labels, ["a", "b"]);
        assert_eq!(post.notes.len(), 1);
        assert_eq!(post.notes[0].text.text, "The source.");
        // Without a sign of kramdown, the block is raw HTML, as on GitHub.
        let doc = parse_str(body);
        assert!(doc.posts[0].notes.is_empty());
        // A block-level tag keeps its content raw for kramdown too.
        let doc = parse_str("{: .x}\nClaim.[^a]\n\n<div>\n[^a]: The source.\n</div>\n");
        assert!(doc.posts[0].notes.is_empty());
    }
}
