//! The reader: walks the tokens of an HTML file with a stack of open elements and turns the
//! page into [`Block`]s (headings, running text, notes, post breaks) and [`Anchor`]s (element
//! ids). What each element is comes from [`tags::role`]; markers and notes are gathered by
//! [`super::notes`].

use html5gum::{DefaultEmitter, Token, Tokenizer};

use crate::model::{Anchor, FileLink, Link, MappedText};
use crate::normalize;
use crate::parse::blocks::{Block, TextBlock};
use crate::source::Span;

use super::decode::{decode_map, Piece};
use super::notes::{fragment_link, OpenMarker, OpenNote};
use super::tags::{self, Attrs, Open, Role, MAX_CLOSE_SEARCH, VOID};

/// What the reader gathers from an HTML text.
pub(super) struct Read {
    pub(super) blocks: Vec<Block>,
    /// The ids of its elements, sorted by id and then by position.
    pub(super) anchors: Vec<Anchor>,
    /// Its note links into other files, in file order.
    pub(super) file_links: Vec<FileLink>,
}

/// Reads an HTML text into blocks, the ids of its elements and its note links to other files.
pub(super) fn read_blocks(text: &str) -> Read {
    let mut emitter = DefaultEmitter::<usize>::new_with_span();
    emitter.naively_switch_states(true);
    let mut r = Reader {
        text,
        ..Reader::default()
    };
    for token in Tokenizer::new_with_emitter(text, emitter).flatten() {
        match token {
            Token::StartTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                let span = Span::new(tag.span.start, tag.span.end);
                let attrs = tags::read_attrs(text, &tag.attributes, span);
                r.start(name, attrs, span, tag.self_closing);
            }
            Token::EndTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                r.end(&name, Span::new(tag.span.start, tag.span.end));
            }
            Token::String(s) => {
                let span = Span::new(s.span.start, s.span.end);
                r.string(&String::from_utf8_lossy(&s.value), span);
            }
            Token::Comment(_) | Token::Doctype(_) | Token::Error(_) => {}
        }
    }
    while let Some(open) = r.stack.pop() {
        r.close(&open, text.len());
    }
    r.flush();
    let mut anchors = r.anchors;
    anchors.sort_by(|a, b| a.id.cmp(&b.id).then(a.span.start.cmp(&b.span.start)));
    Read {
        blocks: r.blocks,
        anchors,
        file_links: r.file_links,
    }
}

#[derive(Debug, Default)]
struct Reader<'a> {
    text: &'a str,
    blocks: Vec<Block>,
    anchors: Vec<Anchor>,
    file_links: Vec<FileLink>,
    stack: Vec<Open>,
    /// How many skipped elements (scripts, styles, …) are open: their content is not read.
    skipped: usize,
    block: Option<TextBlock>,
    heading: bool,
    note: Option<OpenNote>,
    marker: Option<OpenMarker>,
    /// Inside a back-link or a note's label link: text is left out of the note.
    hidden: usize,
    /// An open `href` link: destination, its span, and where the link starts.
    link: Option<(String, Span, usize)>,
    /// Notes seen in the open notes list, and the numbers of open ordered lists.
    notes_in_list: u32,
    lists: Vec<u32>,
    /// The id of the innermost open `<sup>`, which a marker inside it takes.
    sup_id: Option<String>,
    /// An open label link of a note: where it starts, and its text.
    note_label: Option<(usize, String)>,
    /// Open `<pre>`/`<code>` elements, and where the outermost starts.
    code_depth: usize,
    code_start: usize,
}

impl Reader<'_> {
    /// A start tag.
    fn start(&mut self, name: String, a: Attrs, span: Span, self_closing: bool) {
        if let Some((id, id_span)) = &a.id {
            self.anchors.push(Anchor {
                id: id.clone(),
                span: *id_span,
            });
        }
        // Browsers follow `#x` to `<a name="x">` too; one that repeats the element's id is
        // the same target, not a second one.
        if let Some((target, target_span)) = a.name.as_ref().filter(|_| name == "a") {
            if a.id.as_ref().is_none_or(|(id, _)| id != target) {
                self.anchors.push(Anchor {
                    id: target.clone(),
                    span: *target_span,
                });
            }
        }
        if self.skipped > 0 {
            // Inside skipped content only the nesting is followed, so that its end is found
            // (its ids are still link targets: a page number's anchor, say).
            self.push_open(name, Role::Plain, self_closing);
            return;
        }
        if name == "br" {
            self.new_line();
            return;
        }
        if name == "sup" {
            self.sup_id = a.id.as_ref().map(|(id, _)| id.clone());
        }
        if matches!(name.as_str(), "pre" | "code") && !self_closing {
            self.open_code(span.start);
        }
        self.close_implied(&name, span.start);
        if name == "a" {
            let in_sup = self.stack.last().is_some_and(|o| o.name == "sup");
            if let (Some(kind), Some((href, href_span))) = (
                tags::file_link_kind(&a, self.note.is_some(), in_sup),
                a.href.as_ref(),
            ) {
                let id = match &a.id {
                    Some((id, _)) => Some(id.clone()),
                    None if in_sup => self.sup_id.clone(),
                    None => None,
                };
                self.file_links.push(FileLink {
                    kind,
                    href: href.clone(),
                    span: *href_span,
                    id,
                });
            }
        }
        if name == "a" && self.is_note_heading_label(&a) {
            self.start_heading_note(&a, span.start);
            self.open(Role::NoteLabel, &a, span);
            self.push_open(name, Role::NoteLabel, self_closing);
            return;
        }
        if name == "a" {
            self.note_takes_anchor(&a);
        }
        let role = tags::role(&name, &a, self.note.is_some(), &self.stack);
        self.open(role, &a, span);
        self.push_open(name, role, self_closing);
    }

    /// A note element without an id takes the id (or name) of an `<a>` that comes before
    /// any of its text: Project Gutenberg writes `<div class="footnote"><p><a
    /// id="Footnote_A_1"></a><a href="#FNanchor_A_1">[A]</a> …`, other pages
    /// `<p class="fn"><a href="#ft3">3</a><a name="fn3"></a> …`, and the markers link to that
    /// anchor.
    fn note_takes_anchor(&mut self, a: &Attrs) {
        let Some(note) = self.note.as_mut() else {
            return;
        };
        // A note holds at most one empty line until its text starts.
        if note.id.is_none() && note.block.lines.iter().all(|l| l.text.trim().is_empty()) {
            note.id = a.id.clone().or_else(|| a.name.clone());
        }
    }

    /// Whether a link with attributes `a` is the label of one note in a notes segment that
    /// holds many: Texinfo's `<div class="footnote">` with `<h5><a id="FOOT1"
    /// href="#DOCF1">(1)</a></h5><p>…</p>` for every note, or a `<div class="footnote">` of
    /// paragraphs that each start with `<a id="note1" href="#tag1">1.</a>`. Such a link has an
    /// id (or name) and links back to the marker, inside a heading of the open note or at the
    /// start of one of its paragraphs. Looks at most eight elements up the stack.
    fn is_note_heading_label(&self, a: &Attrs) -> bool {
        let Some(note) = self.note.as_ref() else {
            return false;
        };
        let Some(id) = a.id.as_ref().or(a.name.as_ref()) else {
            return false;
        };
        if !a.href.as_ref().is_some_and(|(h, _)| h.starts_with('#')) {
            return false;
        }
        let in_heading = self
            .stack
            .iter()
            .rev()
            .take(8)
            .take_while(|o| o.role != Role::Note)
            .any(|o| o.role == Role::Heading);
        let starts_paragraph = self.stack.last().is_some_and(|o| o.name == "p")
            && note.block.lines.last().is_none_or(|l| l.text.is_empty())
            && (note.from_heading || note.id.is_none())
            && tags::note_id(&id.0);
        in_heading || starts_paragraph
    }

    /// Starts the note that a label heading's link, with attributes `a` at `at`, opens: the
    /// note before it ends there. The segment's own element, without an id, holds only its
    /// "Footnotes" heading and is no note.
    fn start_heading_note(&mut self, a: &Attrs, at: usize) {
        if let Some(open) = self.note.take() {
            if open.from_heading || open.id.is_some() {
                self.blocks.push(open.finish(at));
            }
        }
        self.notes_in_list += 1;
        let id = a.id.clone().or_else(|| a.name.clone());
        let mut note = OpenNote::new(id, at, self.notes_in_list);
        note.from_heading = true;
        self.note = Some(note);
    }

    /// Puts an element that was opened on the stack, unless it can have no content.
    fn push_open(&mut self, name: String, role: Role, self_closing: bool) {
        if !VOID.contains(&name.as_str()) && !self_closing {
            self.stack.push(Open { name, role });
        } else if role == Role::Skipped {
            self.skipped -= 1;
        }
    }

    /// Closes what the start of an element named `name` at `at` closes, as HTML does: an open
    /// paragraph before a block, and the open list item (with all it holds) before an item.
    fn close_implied(&mut self, name: &str, at: usize) {
        if matches!(
            name,
            "p" | "li" | "div" | "ul" | "ol" | "section" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
        ) && self.stack.last().is_some_and(|o| o.name == "p")
        {
            if let Some(open) = self.stack.pop() {
                self.close(&open, at);
            }
        }
        if name == "li" {
            if let Some(i) = self
                .stack
                .iter()
                .rposition(|o| matches!(o.name.as_str(), "li" | "ol" | "ul"))
            {
                if self.stack[i].name == "li" {
                    while self.stack.len() > i {
                        if let Some(open) = self.stack.pop() {
                            self.close(&open, at);
                        }
                    }
                }
            }
        }
    }

    /// Starts what an element with this role, attributes `a` and start tag at `span` opens.
    fn open(&mut self, role: Role, a: &Attrs, span: Span) {
        match role {
            Role::Skipped => self.skipped += 1,
            Role::Article => {
                self.flush();
                self.blocks.push(Block::PostBreak(span.start));
            }
            Role::Block => self.flush(),
            Role::Heading => {
                self.flush();
                self.heading = true;
            }
            Role::NotesList => {
                self.flush();
                self.notes_in_list = 0;
            }
            Role::Note => {
                self.flush();
                self.notes_in_list += 1;
                self.note = Some(OpenNote::new(a.id.clone(), span.start, self.notes_in_list));
            }
            Role::OrderedList => {
                self.flush();
                self.lists.push(a.start.unwrap_or(1));
            }
            Role::ListItem => self.open_list_item(span),
            Role::Marker => {
                self.marker = Some(OpenMarker::new(a, span.start, self.sup_id.as_ref()));
            }
            Role::Backlink => {
                if let (Some(note), Some((h, s))) = (self.note.as_mut(), a.href.as_ref()) {
                    note.block.backlinks.push(fragment_link(h, *s));
                }
                self.hidden += 1;
            }
            Role::NoteLabel => self.open_note_label(a, span.start),
            Role::Link => {
                if let Some((h, s)) = &a.href {
                    self.link = Some((h.clone(), *s, span.start));
                }
            }
            Role::Plain => {}
        }
    }

    /// A list item outside a note starts a block, numbered when its list is ordered; the
    /// number's span is the item's start tag.
    fn open_list_item(&mut self, span: Span) {
        self.flush();
        let number = if self.stack.last().is_some_and(|o| o.name == "ol") {
            self.lists.last_mut().map(|n| {
                let this = *n;
                *n = n.saturating_add(1);
                this
            })
        } else {
            None
        };
        self.block = Some(TextBlock {
            lines: vec![MappedText::default()],
            item: number.map(|n| (n, span)),
            ..TextBlock::default()
        });
    }

    /// A note's label link links back to the marker, may give the note its id, and its text
    /// is the note's label rather than part of its text.
    fn open_note_label(&mut self, a: &Attrs, start: usize) {
        if let (Some(note), Some((h, s))) = (self.note.as_mut(), a.href.as_ref()) {
            note.block.backlinks.push(fragment_link(h, *s));
            if note.id.is_none() {
                note.id = a.id.clone();
            }
        }
        self.note_label = Some((start, String::new()));
        self.hidden += 1;
    }

    /// An end tag: closes the innermost open element of that name and every element inside
    /// it. An end tag that matches no element open within [`MAX_CLOSE_SEARCH`] is ignored, so
    /// that stray end tags cost no more than that each.
    fn end(&mut self, name: &str, span: Span) {
        if name == "br" {
            self.new_line();
            return;
        }
        let floor = self.stack.len().saturating_sub(MAX_CLOSE_SEARCH);
        let Some(i) = self.stack[floor..]
            .iter()
            .rposition(|o| o.name == name)
            .map(|i| i + floor)
        else {
            return;
        };
        while self.stack.len() > i {
            if let Some(open) = self.stack.pop() {
                let at = if self.stack.len() == i {
                    span.end
                } else {
                    span.start
                };
                self.close(&open, at);
            }
        }
    }

    /// Ends an element; `end` is where its end tag ends.
    fn close(&mut self, open: &Open, end: usize) {
        if self.skipped == 0 && matches!(open.name.as_str(), "pre" | "code") {
            self.close_code(end);
        }
        match open.role {
            Role::Skipped => self.skipped = self.skipped.saturating_sub(1),
            _ if self.skipped > 0 => {}
            Role::Block | Role::Heading | Role::ListItem | Role::Article => self.flush(),
            Role::OrderedList => {
                self.flush();
                self.lists.pop();
            }
            Role::NotesList => self.flush(),
            Role::Note => {
                if let Some(note) = self.note.take() {
                    self.heading = false;
                    self.blocks.push(note.finish(end));
                }
            }
            Role::Marker => {
                if let Some((element, marker)) = self.marker.take().and_then(|m| m.finish(end)) {
                    let block = self.current();
                    block.opaque.push(element);
                    block.markers.push(marker);
                }
            }
            Role::Backlink => self.hidden = self.hidden.saturating_sub(1),
            Role::NoteLabel => self.close_note_label(end),
            Role::Link => self.close_link(end),
            Role::Plain => {
                if open.name == "sup" {
                    self.sup_id = None;
                }
            }
        }
    }

    /// Opens a `<pre>` or `<code>` element starting at `at`.
    fn open_code(&mut self, at: usize) {
        if self.code_depth == 0 {
            self.code_start = at;
        }
        self.code_depth += 1;
    }

    /// Closes a `<pre>` or `<code>` element at `end`: once the outermost closes, what it
    /// held is code, where no marker is looked for (`a[4]`, `b[1] * b[2]`).
    fn close_code(&mut self, end: usize) {
        self.code_depth = self.code_depth.saturating_sub(1);
        if self.code_depth == 0 {
            let span = Span::new(self.code_start, end);
            self.current().opaque.push(span);
        }
    }

    /// A note's label link gives the note its label (`[3]` read as `3`), unless it has one.
    fn close_note_label(&mut self, end: usize) {
        self.hidden = self.hidden.saturating_sub(1);
        if let (Some((start, text)), Some(note)) = (self.note_label.take(), self.note.as_mut()) {
            let label = text
                .trim()
                .trim_end_matches('.')
                .trim_matches(['[', ']', '(', ')'])
                .to_string();
            if !label.is_empty() && note.label.is_none() {
                note.label = Some((label, Span::new(start, end)));
            }
        }
    }

    /// A link to a web address is kept; other links (`mailto:`, relative) are not.
    fn close_link(&mut self, end: usize) {
        if let Some((url, span, start)) = self.link.take() {
            let lower = url.get(..8).unwrap_or(&url).to_ascii_lowercase();
            if lower.starts_with("http://") || lower.starts_with("https://") {
                let link = Link {
                    url,
                    span,
                    element: Span::new(start, end),
                };
                self.current().links.push(link);
            }
        }
    }

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

    fn new_line(&mut self) {
        let block = self.current();
        if block.lines.last().is_none_or(|l| !l.text.is_empty()) {
            block.lines.push(MappedText::default());
        }
    }

    /// Ends the running block, if any; inside a note, a block only starts a line of it.
    fn flush(&mut self) {
        if self.note.is_some() {
            self.new_line();
            return;
        }
        if let Some(mut block) = self.block.take() {
            block.lines.retain(|l| !normalize::trim(&l.text).is_empty());
            if !block.lines.is_empty() || !block.markers.is_empty() {
                if self.heading {
                    self.blocks.push(Block::Heading(block));
                } else {
                    self.blocks.push(Block::Text(block));
                }
            }
        }
        self.heading = false;
    }

    /// A text token: `value` decoded, written at `span`.
    fn string(&mut self, value: &str, span: Span) {
        if self.skipped > 0 {
            return;
        }
        let raw = self.text.get(span.range()).unwrap_or("");
        if let Some(m) = self.marker.as_mut() {
            m.push_text(value, raw, span);
        }
        if let Some((_, label)) = self.note_label.as_mut() {
            label.push_str(value);
        }
        if self.hidden > 0 {
            return;
        }
        // A line break in the source starts a line, as in plain text: scraped pages keep one
        // note a line inside a single paragraph.
        for piece in decode_map(value, raw, span.start) {
            match piece {
                Piece::Break => self.new_line(),
                Piece::Text(range, at) => self.push_piece(&value[range], at),
            }
        }
    }

    /// Adds `piece`, written at `at`, to the current line.
    fn push_piece(&mut self, piece: &str, at: usize) {
        let block = self.current();
        if block.lines.is_empty() {
            block.lines.push(MappedText::default());
        }
        let last = block.lines.len() - 1;
        let line = &mut block.lines[last];
        let mut piece = piece;
        let mut at = at;
        if line.text.is_empty() {
            // Leading white space of a line is not part of it.
            let trimmed = piece.trim_start();
            at += piece.len() - trimmed.len();
            piece = trimmed;
        }
        if !piece.is_empty() {
            line.push(piece, at);
        }
    }
}
