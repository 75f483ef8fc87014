//! Blocks of marked-up text, and posts assembled from them: shared by the Markdown and HTML
//! parsers.
//!
//! A markup parser reduces its file to a list of [`Block`]s: headings, blocks of running text
//! split into lines, notes that the markup defines outright, and post boundaries. [`assemble`]
//! reads them with the line rules of the plain-text parser ([`classify`]): a `[N]` line
//! starts a note, an `N.` line or a numbered list item does under a notes heading, a
//! bibliography heading starts a bibliography, and a notes list that starts again at 1 after
//! some text begins a new post.

use crate::model::{AnchorLink, BibEntry, Link, MappedText, Marker, Note, Post};
use crate::normalize;
use crate::parse::markers;
use crate::parse::posts::{Posts, State};
use crate::parse::text::{classify, continues, LineKind};
use crate::source::Span;

/// One block of a marked-up file.
#[derive(Debug)]
pub(crate) enum Block {
    Heading(TextBlock),
    Text(TextBlock),
    /// A note the markup defines (a Markdown footnote definition, an item of an HTML footnotes
    /// list), with the markers and links inside it.
    Note {
        note: Note,
        markers: Vec<Marker>,
        links: Vec<Link>,
    },
    /// The start of a new post (an HTML `<article>`), at this file offset.
    PostBreak(usize),
}

/// A heading, paragraph, list item or other block of running text.
#[derive(Debug, Default)]
pub(crate) struct TextBlock {
    /// The text, one entry per line.
    pub lines: Vec<MappedText>,
    /// The number and the span of the number of an ordered list item.
    pub item: Option<(u32, Span)>,
    /// Markers the markup makes explicit (`[^label]`, `<a href="#fn3">`).
    pub markers: Vec<Marker>,
    /// Where no marker is looked for in the text: code, and the text of explicit markers.
    pub opaque: Vec<Span>,
    pub links: Vec<Link>,
    /// The block's element id (HTML), which a note takes when the block is one.
    pub id: Option<String>,
    /// Back-links to markers (HTML), which a note takes when the block is one.
    pub backlinks: Vec<AnchorLink>,
}

impl TextBlock {
    /// Where the block starts in the file.
    fn start(&self) -> usize {
        self.lines
            .iter()
            .find(|l| !l.text.is_empty())
            .map_or(0, |l| l.file_offset(0))
    }

    fn is_blank(&self) -> bool {
        self.lines
            .iter()
            .all(|l| normalize::trim(&l.text).is_empty())
            && self.markers.is_empty()
    }

    /// The lines joined with line breaks, taken out of the block: the first line becomes the
    /// joined text when its map allows (see [`MappedText::into_slice`]), with no copy.
    fn take_joined(&mut self) -> MappedText {
        let mut out: Option<MappedText> = None;
        for line in std::mem::take(&mut self.lines) {
            let len = line.text.len();
            match out.as_mut() {
                None => out = Some(line.into_slice(0, len)),
                Some(o) => {
                    if !o.text.is_empty() {
                        o.push_synthetic("\n");
                    }
                    push_mapped(o, &line, 0, len);
                }
            }
        }
        out.unwrap_or_default()
    }

    /// The lines joined with line breaks.
    fn joined(&self) -> MappedText {
        let mut out = MappedText::default();
        for line in &self.lines {
            if !out.text.is_empty() {
                out.push_synthetic("\n");
            }
            push_mapped(&mut out, line, 0, line.text.len());
        }
        out
    }
}

/// A set of spans that answers "does one of them contain this span?" and "does this span
/// contain one of them?" in logarithmic time, so that checking every marker of a block
/// against every code span and explicit marker of the block stays O(n log n) rather than
/// quadratic (a paragraph of a million `[^1]`).
#[derive(Debug, Default)]
pub(crate) struct SpanIndex {
    /// Sorted by start.
    spans: Vec<Span>,
    /// The largest end among `spans[..=i]`.
    max_end_before: Vec<usize>,
    /// The smallest end among `spans[i..]`.
    min_end_after: Vec<usize>,
}

impl SpanIndex {
    pub(crate) fn new(spans: impl IntoIterator<Item = Span>) -> Self {
        let mut spans: Vec<Span> = spans.into_iter().collect();
        spans.sort_unstable();
        let mut max_end_before = Vec::with_capacity(spans.len());
        let mut max = 0;
        for s in &spans {
            max = max.max(s.end);
            max_end_before.push(max);
        }
        let mut min_end_after = vec![usize::MAX; spans.len()];
        let mut min = usize::MAX;
        for (i, s) in spans.iter().enumerate().rev() {
            min = min.min(s.end);
            min_end_after[i] = min;
        }
        Self {
            spans,
            max_end_before,
            min_end_after,
        }
    }

    /// Whether some span of the set contains `span`.
    pub(crate) fn any_contains(&self, span: Span) -> bool {
        let n = self.spans.partition_point(|s| s.start <= span.start);
        n > 0 && self.max_end_before[n - 1] >= span.end
    }

    /// Whether `span` contains some span of the set.
    pub(crate) fn any_inside(&self, span: Span) -> bool {
        let i = self.spans.partition_point(|s| s.start < span.start);
        self.min_end_after
            .get(i)
            .is_some_and(|&end| end <= span.end)
    }
}

/// Appends `items` to `to`: moves the vector itself when `to` is empty (no copy, no freeing).
fn append_moved<T>(to: &mut Vec<T>, items: Vec<T>) {
    if to.is_empty() {
        *to = items;
    } else {
        to.extend(items);
    }
}

/// Appends `text[from..to]` of a mapped text, keeping its map.
pub(crate) fn push_mapped(out: &mut MappedText, text: &MappedText, from: usize, to: usize) {
    out.push_slice_of(text, from, to);
}

/// A mapped text trimmed of white space, moved rather than copied when nothing is trimmed.
fn into_trimmed(text: MappedText) -> MappedText {
    let trimmed = normalize::trim(&text.text);
    let at = trimmed.as_ptr() as usize - text.text.as_ptr() as usize;
    let end = at + trimmed.len();
    text.into_slice(at, end)
}

/// The part `from..to` of a mapped text, trimmed of white space.
fn slice_trimmed(text: &MappedText, from: usize, to: usize) -> MappedText {
    let piece = &text.text[from..to];
    let trimmed = normalize::trim(piece);
    let at = from + (trimmed.as_ptr() as usize - piece.as_ptr() as usize);
    let mut out = MappedText::default();
    push_mapped(&mut out, text, at, at + trimmed.len());
    out
}

/// Turns a file's blocks into its posts.
pub(crate) fn assemble(blocks: Vec<Block>) -> Vec<Post> {
    let mut a = Assembler::default();
    for block in blocks {
        a.add(block);
    }
    a.finish()
}

/// Assembles posts from blocks given one at a time, in the order of the file: what
/// [`assemble`] does, for a reader that hands each block on as it ends rather than keeping
/// them all (a block's meaning never depends on the blocks after it).
#[derive(Debug, Default)]
pub(crate) struct Assembler {
    p: Posts,
}

impl Assembler {
    /// Reads the next block of the file.
    pub(crate) fn add(&mut self, block: Block) {
        match block {
            Block::Heading(b) => self.heading(b),
            Block::Text(b) => self.text(b),
            Block::Note {
                note,
                markers,
                links,
            } => self.note(note, markers, links),
            Block::PostBreak(at) => self.p.post_break(at),
        }
    }

    /// Reads a note the markup defines, with the markers and links inside it: what
    /// [`Assembler::add`] does with a [`Block::Note`], without building the block.
    pub(crate) fn note(&mut self, note: Note, markers: Vec<Marker>, links: Vec<Link>) {
        // Markdown footnote labels are global to the file: a definition never starts a post.
        self.start_note(None);
        let target = self.p.target();
        append_moved(&mut target.markers, markers);
        append_moved(&mut target.links, links);
        self.p.current.end = self.p.current.end.max(note.span.end);
        self.p.current.notes.push(note);
    }

    /// The posts of the blocks read.
    pub(crate) fn finish(self) -> Vec<Post> {
        self.p.finish()
    }
}

impl Assembler {
    /// Enters the notes list for a note numbered `number`: a list starting again at 1 after
    /// some text with markers begins a new post.
    fn start_note(&mut self, number: Option<u32>) {
        self.p
            .enter_notes(|after| number == Some(1) && after.has_text && !after.markers.is_empty());
        self.p.current.has_text = true;
    }

    fn heading(&mut self, block: TextBlock) {
        let joined = block.joined();
        let at = block.start();
        match classify(&joined.text) {
            LineKind::NotesHeading => {
                self.p.end_notes(at);
                self.p.state = State::Body;
                let target = self.p.target();
                target.numbered_notes = true;
                target.has_text = true;
            }
            LineKind::BibliographyHeading => {
                self.p.end_notes(at);
                self.p.state = State::Bibliography;
                let target = self.p.target();
                target.has_text = true;
                target.bibliography_heading = Some(joined.full_span());
            }
            _ => {
                self.p.end_notes(at);
                self.p.state = State::Body;
                self.body(block);
            }
        }
    }

    /// Whether numbered lines (`3.`, list items) are notes here: under a notes heading.
    fn numbered_notes(&self) -> bool {
        self.p
            .after
            .as_ref()
            .unwrap_or(&self.p.current)
            .numbered_notes
    }

    /// A block of running text: a note when it is a numbered list item under a notes
    /// heading, notes and body text when some of its lines start notes, and otherwise body
    /// text, a bibliography entry or a heading written as a paragraph.
    fn text(&mut self, mut block: TextBlock) {
        if block.is_blank() {
            return;
        }
        let numbered = self.numbered_notes();
        if let Some((number, label_span)) = block.item {
            if numbered && self.p.state != State::Bibliography {
                let text = into_trimmed(block.take_joined());
                self.note_from(block, number, label_span, text);
                return;
            }
        }
        let kinds: Vec<LineKind> = block.lines.iter().map(|l| classify(&l.text)).collect();
        let starts_note = kinds.iter().any(|k| note_start(k, numbered).is_some());
        // A label alone in its paragraph (`<p>[14]</p>`) has its text in the block after it
        // (a verse quotation), as in plain text.
        let label_alone = self.p.state == State::Notes
            && self
                .p
                .current
                .notes
                .last()
                .is_some_and(|n| n.text.text.is_empty());
        if label_alone && !starts_note && block.item.is_none() {
            for line in &block.lines {
                self.continue_note(line);
            }
            let current = &mut self.p.current;
            current.markers.append(&mut block.markers);
            current.links.append(&mut block.links);
            return;
        }
        if starts_note {
            self.notes_in_text(block, &kinds, numbered);
        } else {
            self.text_without_notes(block, kinds.first());
        }
    }

    /// A block none of whose lines starts a note; `first` is the kind of its first line.
    fn text_without_notes(&mut self, block: TextBlock, first: Option<&LineKind>) {
        match first {
            // An item of a numbered list (a table of contents' "Endnotes") is no heading.
            Some(LineKind::NotesHeading | LineKind::BibliographyHeading)
                if block.lines.len() == 1 && block.item.is_none() =>
            {
                self.heading(block);
            }
            _ => {
                self.p.end_notes(block.start());
                // A paragraph with explicit markers is prose, even under a heading such as
                // `Sources`: the bibliography is over.
                if self.p.state == State::Bibliography && !block.markers.is_empty() {
                    self.p.state = State::Body;
                }
                if self.p.state == State::Bibliography {
                    self.entries(&block);
                } else {
                    self.body(block);
                }
            }
        }
    }

    /// A block some of whose lines start notes (`kinds` gives each line's kind): each such
    /// line starts a note, the lines after it continue that note, and the lines before the
    /// first note are body text. The block's id and back-links go to its first note.
    fn notes_in_text(&mut self, mut block: TextBlock, kinds: &[LineKind], numbered: bool) {
        let lines = std::mem::take(&mut block.lines);
        let mut id = block.id.take();
        let mut backlinks = std::mem::take(&mut block.backlinks);
        let mut note_open = false;
        let mut body_lines = Vec::new();
        // A label that the markup made a marker (`<a href="#Footnote_238">[238]</a>` opening
        // a line of verse) starts no note.
        let explicit = SpanIndex::new(block.markers.iter().map(|m| m.span));
        for (line, kind) in lines.into_iter().zip(kinds) {
            // A sentence wrapped onto a line that starts with its marker (`…asked for
            // money` / `[1] and got it.`) goes on; it starts no note.
            let mid_sentence = !note_open
                && body_lines.last().is_some_and(|prev: &MappedText| {
                    continues(&prev.text, &line.text) && ends_mid_sentence(&prev.text)
                });
            let start = note_start(kind, numbered)
                .filter(|_| !mid_sentence)
                .filter(|(_, label, _)| !explicit.any_contains(line.span(label.0, label.1)));
            let Some((number, label, text_at)) = start else {
                if note_open {
                    self.continue_note(&line);
                } else {
                    body_lines.push(line);
                }
                continue;
            };
            self.body_lines(&mut body_lines);
            let label_span = line.span(label.0, label.1);
            let text = slice_trimmed(&line, text_at, line.text.len());
            let holder = TextBlock {
                id: id.take(),
                backlinks: std::mem::take(&mut backlinks),
                ..TextBlock::default()
            };
            self.note_from(holder, number, label_span, text);
            note_open = true;
        }
        // What the markup made explicit in the block belongs to the post whatever the lines are.
        let target = self.p.target();
        target.markers.append(&mut block.markers);
        target.links.append(&mut block.links);
        self.body_lines(&mut body_lines);
    }

    /// Reads the gathered `lines`, if any, as body text, and empties them.
    fn body_lines(&mut self, lines: &mut Vec<MappedText>) {
        if !lines.is_empty() {
            self.body(TextBlock {
                lines: std::mem::take(lines),
                ..TextBlock::default()
            });
        }
    }

    fn note_from(&mut self, mut block: TextBlock, number: u32, label_span: Span, text: MappedText) {
        self.start_note(Some(number));
        let end = if text.text.is_empty() {
            label_span.end
        } else {
            text.full_span().end.max(label_span.end)
        };
        let note = Note {
            label: number.to_string(),
            number: Some(number),
            span: Span::new(label_span.start, end),
            label_span,
            text,
            citations: Vec::new(),
            id: block.id.take(),
            backlinks: std::mem::take(&mut block.backlinks),
        };
        let current = &mut self.p.current;
        current.end = current.end.max(end);
        current.markers.append(&mut block.markers);
        current.links.append(&mut block.links);
        current.notes.push(note);
    }

    fn continue_note(&mut self, line: &MappedText) {
        let text = normalize::trim(&line.text);
        if text.is_empty() {
            return;
        }
        let at = text.as_ptr() as usize - line.text.as_ptr() as usize;
        if let Some(note) = self.p.current.notes.last_mut() {
            note.text.push_synthetic("\n");
            push_mapped(&mut note.text, line, at, at + text.len());
            note.span.end = note.span.end.max(line.span(at, at + text.len()).end);
            self.p.current.end = self.p.current.end.max(note.span.end);
        }
    }

    /// Bibliography entries: a block's lines form one entry, split where a line does not
    /// continue the one before it.
    fn entries(&mut self, block: &TextBlock) {
        let target = self.p.target();
        target.has_text = true;
        target.links.extend(block.links.iter().cloned());
        let mut prev: Option<&str> = None;
        for line in &block.lines {
            let text = slice_trimmed(line, 0, line.text.len());
            if text.text.is_empty() {
                continue;
            }
            let span = text.full_span();
            target.end = target.end.max(span.end);
            match target.bibliography.last_mut() {
                Some(entry) if prev.is_some_and(|p| continues(p, &line.text)) => {
                    entry.text.push_synthetic("\n");
                    push_mapped(&mut entry.text, &text, 0, text.text.len());
                    entry.span.end = span.end;
                }
                _ => target.bibliography.push(BibEntry {
                    span,
                    text,
                    fields: crate::model::CitationFields::default(),
                }),
            }
            prev = Some(&line.text);
        }
    }

    fn body(&mut self, mut block: TextBlock) {
        let target = self.p.target();
        target.has_text = true;
        // `Notes:` over a bullet list or prose introduces no notes list: numbered items after
        // running text are a list again.
        target.numbered_notes = false;
        let mut found = Vec::new();
        // What hides a marker found in the text, indexed only once one is found: most
        // blocks have none.
        let mut hiding: Option<SpanIndex> = None;
        let mut local = Vec::new();
        for line in &block.lines {
            markers::scan_brackets_and_superscripts(&line.text, 0, &mut local);
            for mut m in local.drain(..) {
                m.span = line.span(m.span.start, m.span.end);
                let hiding = hiding.get_or_insert_with(|| {
                    SpanIndex::new(
                        block
                            .opaque
                            .iter()
                            .copied()
                            .chain(block.markers.iter().map(|m| m.span)),
                    )
                });
                if !hiding.any_contains(m.span) {
                    found.push(m);
                }
            }
        }
        target.markers.append(&mut found);
        target.markers.append(&mut block.markers);
        target.links.append(&mut block.links);
        let joined = block.take_joined();
        if let Some(end) = (!joined.text.is_empty()).then(|| joined.full_span().end) {
            target.end = target.end.max(end);
        }
        target.body.push(joined);
    }
}

/// The number, label range and text start of a line that starts a note: a `[N]` line, or
/// an `N.` line where numbered lines are notes.
fn note_start(kind: &LineKind, numbered: bool) -> Option<(u32, (usize, usize), usize)> {
    match *kind {
        LineKind::BracketNote {
            number,
            label,
            text_at,
        } => Some((number, label, text_at)),
        LineKind::NumberedLine {
            number,
            label,
            text_at,
            dotted: true,
        } if numbered => Some((number, label, text_at)),
        _ => None,
    }
}

/// A note's text, as [`note_text`] reads it from `skip` 0, taken out of `lines`: the first
/// line becomes the text when its map allows (see [`MappedText::into_slice`]), with no copy.
pub(crate) fn take_note_text(lines: Vec<MappedText>) -> MappedText {
    let mut text: Option<MappedText> = None;
    for line in lines {
        let trimmed = normalize::trim(&line.text);
        if trimmed.is_empty() {
            continue;
        }
        let at = trimmed.as_ptr() as usize - line.text.as_ptr() as usize;
        let end = at + trimmed.len();
        match text.as_mut() {
            None => text = Some(line.into_slice(at, end)),
            Some(t) => {
                t.push_synthetic("\n");
                push_mapped(t, &line, at, end);
            }
        }
    }
    text.unwrap_or_default()
}

/// A note's text: its lines trimmed and joined with line breaks, the first line from `skip`
/// (past its written label).
pub(crate) fn note_text(lines: &[MappedText], skip: usize) -> MappedText {
    let mut text = MappedText::default();
    for (i, line) in lines.iter().enumerate() {
        let from = if i == 0 { skip.min(line.text.len()) } else { 0 };
        let trimmed = normalize::trim(&line.text[from..]);
        if trimmed.is_empty() {
            continue;
        }
        if !text.text.is_empty() {
            text.push_synthetic("\n");
        }
        let at = trimmed.as_ptr() as usize - line.text.as_ptr() as usize;
        push_mapped(&mut text, line, at, at + trimmed.len());
    }
    text
}

/// Whether a line of running text stops mid-sentence: it ends in a word, not in sentence
/// punctuation.
fn ends_mid_sentence(line: &str) -> bool {
    normalize::trim(line)
        .chars()
        .last()
        .is_some_and(|c| c.is_alphabetic() || c == ',')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn note_text_skips_empty_lines_as_removing_them_first_did() {
        let line = |t: &str, at: usize| {
            let mut m = MappedText::default();
            if !t.is_empty() {
                m.push(t, at);
            }
            m
        };
        let cases = [
            vec![line("a note", 4), line("", 0)],
            vec![
                line("", 0),
                line("  first ", 2),
                line("", 0),
                line("second", 20),
            ],
            vec![line("", 0), line("", 0)],
            vec![],
        ];
        for lines in cases {
            let mut kept = lines.clone();
            kept.retain(|l| !l.text.is_empty());
            assert_eq!(take_note_text(lines), take_note_text(kept));
        }
    }

    #[test]
    fn append_moved_appends_as_extend_does() {
        for (to, items) in [
            (vec![], vec![1, 2]),
            (vec![0], vec![1, 2]),
            (vec![0], vec![]),
            (vec![], vec![]),
        ] {
            let mut extended = to.clone();
            extended.extend(items.clone());
            let mut moved = to;
            append_moved(&mut moved, items);
            assert_eq!(moved, extended);
        }
    }

    #[test]
    fn span_index_answers_like_a_scan() {
        let spans = [
            Span::new(5, 9),
            Span::new(0, 2),
            Span::new(6, 7),
            Span::new(20, 30),
        ];
        let index = SpanIndex::new(spans);
        for start in 0..32 {
            for end in start..33 {
                let q = Span::new(start, end);
                assert_eq!(
                    index.any_contains(q),
                    spans.iter().any(|s| s.contains(q)),
                    "{q:?}"
                );
                assert_eq!(
                    index.any_inside(q),
                    spans.iter().any(|s| q.contains(*s)),
                    "{q:?}"
                );
            }
        }
        assert!(!SpanIndex::default().any_contains(Span::new(0, 0)));
    }
}
