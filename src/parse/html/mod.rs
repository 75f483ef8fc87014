//! The HTML parser: blog pages and archives, read with the html5gum tokenizer, whose tokens
//! carry byte spans into the file.
//!
//! The footnote markups of common publishers are recognised:
//! - pandoc: `<a href="#fn3" class="footnote-ref" id="fnref3">` and `<section class="footnotes">`;
//! - GitHub and micromark: `href="#user-content-fn-3"`, `data-footnote-ref`, `data-footnotes`;
//! - markdown-it and Ghost: `<sup class="footnote-ref">`, `<li class="footnote-item">`;
//! - Substack: `<a class="footnote-anchor">` and `<div class="footnote">`;
//! - WordPress plugins and hand-written notes: `<sup><a href="#fn3">[3]</a></sup>` with
//!   `<p id="fn3">[3] …`;
//! - scraped text: `[3]` in paragraphs and a notes list at the end, read as in plain text.
//!
//! Every `<article>` starts a post. Script, style, templates and comments are skipped. Element
//! ids are kept as anchors, so that the links between markers and notes can be checked.

use std::collections::HashMap;
use std::sync::LazyLock;

use html5gum::{DefaultEmitter, Token, Tokenizer};
use regex::Regex;

use crate::model::{
    Anchor, AnchorLink, Document, Format, Link, MappedText, Marker, MarkerKind, Note,
};
use crate::normalize;
use crate::parse::blocks::{self, Block, TextBlock};
use crate::parse::text::{classify, LineKind};
use crate::source::{SourceFile, Span};

/// Parses an HTML file into posts.
#[must_use]
pub fn parse(source: &SourceFile) -> Document {
    let (blocks, anchors) = read_blocks(&source.text);
    let mut posts = blocks::assemble(blocks);
    // A marker takes the label of the note its link points at: GitHub numbers its markers
    // but names its notes after their labels.
    let labels: HashMap<String, (String, Option<u32>)> = posts
        .iter()
        .flat_map(|p| p.notes.iter())
        .filter_map(|n| Some((n.id.clone()?, (n.label.clone(), n.number))))
        .collect();
    for marker in posts.iter_mut().flat_map(|p| p.markers.iter_mut()) {
        let found = marker.target.as_ref().and_then(|t| labels.get(&t.target));
        if let Some((label, number)) = found {
            marker.label.clone_from(label);
            marker.number = *number;
        }
    }
    Document {
        format: Format::Html,
        posts,
        anchors,
    }
}

/// Elements whose content is not text of the page.
const SKIPPED: &[&str] = &[
    "script", "style", "template", "noscript", "head", "title", "svg", "math", "textarea",
];

/// Elements that never have content.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Elements that start and end a block of text.
const BLOCK: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "html",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "td",
    "th",
    "tr",
    "ul",
];

/// How deep the open-element stack is searched for the element an end tag closes.
const MAX_CLOSE_SEARCH: usize = 512;

/// An id that names a note: `fn3`, `fn:3`, `footnote-3`, `user-content-fn-3`, `note3`, `en3`.
static NOTE_ID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(user-content-)?(fn|footnote|note|endnote|en|ftn)[-_:]?(\d+|[-_:].+)$")
        .expect("valid regex")
});

fn note_id(id: &str) -> bool {
    NOTE_ID.is_match(id) && !id.contains("ref") && !id.contains("anchor")
}

fn has_class(classes: &str, name: &str) -> bool {
    classes
        .split_ascii_whitespace()
        .any(|c| c.eq_ignore_ascii_case(name))
}

/// The attributes notelint reads, with the spans of their values.
#[derive(Debug, Default)]
struct Attrs {
    id: Option<(String, Span)>,
    href: Option<(String, Span)>,
    class: String,
    /// `data-footnote-ref`, `role="doc-noteref"`.
    noteref: bool,
    /// `data-footnote-backref`, `role="doc-backlink"`.
    backref: bool,
    /// `data-footnotes`, `role="doc-endnotes"`.
    notes: bool,
    start: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Plain,
    Skipped,
    Block,
    Heading,
    /// A list of notes (`<section class="footnotes">`).
    NotesList,
    /// One note (`<li id="fn3">`, `<div class="footnote">`).
    Note,
    /// A marker's link.
    Marker,
    /// A note's link back to its marker.
    Backlink,
    /// A note's label link (Substack's `<a class="footnote-number">`).
    NoteLabel,
    /// A link elsewhere.
    Link,
    Article,
    OrderedList,
    ListItem,
}

#[derive(Debug)]
struct Open {
    name: String,
    role: Role,
}

/// A marker whose link is open.
#[derive(Debug)]
struct OpenMarker {
    start: usize,
    target: Option<AnchorLink>,
    id: Option<String>,
    text: String,
    /// Where the link's visible text stands.
    text_span: Option<Span>,
}

/// A note whose element is open.
#[derive(Debug)]
struct OpenNote {
    start: usize,
    id: Option<(String, Span)>,
    label: Option<(String, Span)>,
    ordinal: u32,
    block: TextBlock,
}

#[derive(Debug, Default)]
struct Reader<'a> {
    text: &'a str,
    blocks: Vec<Block>,
    anchors: Vec<Anchor>,
    stack: Vec<Open>,
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
}

/// Reads an HTML text into blocks and the ids of its elements.
fn read_blocks(text: &str) -> (Vec<Block>, Vec<Anchor>) {
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
                let attrs = r.attrs(&tag.attributes, span);
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
    (r.blocks, anchors)
}

impl Reader<'_> {
    fn attrs(
        &self,
        attributes: &std::collections::BTreeMap<
            html5gum::HtmlString,
            html5gum::Spanned<html5gum::HtmlString, usize>,
        >,
        tag: Span,
    ) -> Attrs {
        let mut a = Attrs::default();
        for (name, value) in attributes {
            let v = String::from_utf8_lossy(&value.value).into_owned();
            let value_span = || {
                let s = Span::new(value.span.start.max(tag.start), value.span.end.min(tag.end));
                match self
                    .text
                    .get(s.range())
                    .and_then(|raw| raw.find(v.as_str()))
                {
                    Some(i) if !v.is_empty() => Span::new(s.start + i, s.start + i + v.len()),
                    _ => s,
                }
            };
            match &name.0[..] {
                b"id" => a.id = Some((v.clone(), value_span())),
                b"href" => a.href = Some((v.clone(), value_span())),
                b"class" => a.class = v,
                b"data-footnote-ref" => a.noteref = true,
                b"data-footnote-backref" => a.backref = true,
                b"data-footnotes" => a.notes = true,
                b"role" => match v.as_str() {
                    "doc-noteref" => a.noteref = true,
                    "doc-backlink" => a.backref = true,
                    "doc-endnotes" | "doc-footnotes" => a.notes = true,
                    _ => {}
                },
                b"start" => a.start = v.trim().parse().ok(),
                _ => {}
            }
        }
        a
    }

    fn in_notes_list(&self) -> bool {
        self.stack.iter().rev().any(|o| o.role == Role::NotesList)
    }

    fn role(&self, name: &str, a: &Attrs) -> Role {
        if SKIPPED.contains(&name) {
            return Role::Skipped;
        }
        let fragment = a.href.as_ref().and_then(|(h, _)| h.strip_prefix('#'));
        match name {
            "a" if self.note.is_some() => {
                if has_class(&a.class, "footnote-number") {
                    return Role::NoteLabel;
                }
                match fragment {
                    Some(f) if a.backref || !note_id(f) => Role::Backlink,
                    Some(_) => Role::Marker,
                    None if a.href.is_some() => Role::Link,
                    None => Role::Plain,
                }
            }
            "a" => {
                let Some(f) = fragment else {
                    return if a.href.is_some() {
                        Role::Link
                    } else {
                        Role::Plain
                    };
                };
                let marked = a.noteref
                    || has_class(&a.class, "footnote-ref")
                    || has_class(&a.class, "footnote-anchor")
                    || has_class(&a.class, "footnote-link")
                    || self.stack.last().is_some_and(|o| o.name == "sup");
                if marked || note_id(f) || f.starts_with("footnote-") {
                    Role::Marker
                } else {
                    Role::Plain
                }
            }
            "article" => Role::Article,
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => Role::Heading,
            _ if self.note.is_none()
                && (a.notes
                    || has_class(&a.class, "footnotes")
                    || has_class(&a.class, "footnotes-list")
                    || has_class(&a.class, "endnotes")) =>
            {
                Role::NotesList
            }
            "li" if self.note.is_none() && self.in_notes_list() => Role::Note,
            _ if self.note.is_none()
                && (has_class(&a.class, "footnote")
                    || a.id.as_ref().is_some_and(|(id, _)| note_id(id))) =>
            {
                Role::Note
            }
            "ol" if self.note.is_none() => Role::OrderedList,
            "li" if self.note.is_none() => Role::ListItem,
            _ if BLOCK.contains(&name) => Role::Block,
            _ => Role::Plain,
        }
    }

    fn start(&mut self, name: String, a: Attrs, span: Span, self_closing: bool) {
        if let Some((id, id_span)) = &a.id {
            if self.skipped == 0 {
                self.anchors.push(Anchor {
                    id: id.clone(),
                    span: *id_span,
                });
            }
        }
        if self.skipped > 0 {
            if !VOID.contains(&name.as_str()) && !self_closing {
                self.stack.push(Open {
                    name,
                    role: Role::Plain,
                });
            }
            return;
        }
        if name == "br" {
            self.new_line();
            return;
        }
        if name == "sup" {
            self.sup_id = a.id.as_ref().map(|(id, _)| id.clone());
        }
        // A new paragraph or list item closes an open paragraph (or item), as HTML does.
        if matches!(
            name.as_str(),
            "p" | "li" | "div" | "ul" | "ol" | "section" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
        ) && self.stack.last().is_some_and(|o| o.name == "p")
        {
            if let Some(open) = self.stack.pop() {
                self.close(&open, span.start);
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
                            self.close(&open, span.start);
                        }
                    }
                }
            }
        }
        let role = self.role(&name, &a);
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
                self.note = Some(OpenNote {
                    start: span.start,
                    id: a.id.clone(),
                    label: None,
                    ordinal: self.notes_in_list,
                    block: TextBlock {
                        lines: vec![MappedText::default()],
                        ..TextBlock::default()
                    },
                });
            }
            Role::OrderedList => {
                self.flush();
                self.lists.push(a.start.unwrap_or(1));
            }
            Role::ListItem => {
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
            Role::Marker => {
                let id =
                    a.id.as_ref()
                        .map(|(id, _)| id.clone())
                        .or_else(|| self.sup_id.clone());
                self.marker = Some(OpenMarker {
                    start: span.start,
                    target: a.href.as_ref().map(|(h, s)| AnchorLink {
                        target: h.trim_start_matches('#').to_string(),
                        span: Span::new(s.start + usize::from(h.starts_with('#')), s.end),
                    }),
                    id,
                    text: String::new(),
                    text_span: None,
                });
            }
            Role::Backlink => {
                if let (Some(note), Some((h, s))) = (self.note.as_mut(), a.href.as_ref()) {
                    note.block.backlinks.push(AnchorLink {
                        target: h.trim_start_matches('#').to_string(),
                        span: Span::new(s.start + usize::from(h.starts_with('#')), s.end),
                    });
                }
                self.hidden += 1;
            }
            Role::NoteLabel => {
                if let (Some(note), Some((h, s))) = (self.note.as_mut(), a.href.as_ref()) {
                    note.block.backlinks.push(AnchorLink {
                        target: h.trim_start_matches('#').to_string(),
                        span: Span::new(s.start + usize::from(h.starts_with('#')), s.end),
                    });
                    if note.id.is_none() {
                        note.id = a.id.clone();
                    }
                }
                self.note_label = Some((span.start, String::new()));
                self.hidden += 1;
            }
            Role::Link => {
                if let Some((h, s)) = &a.href {
                    self.link = Some((h.clone(), *s, span.start));
                }
            }
            Role::Plain => {}
        }
        if !VOID.contains(&name.as_str()) && !self_closing {
            self.stack.push(Open { name, role });
        } else if role == Role::Skipped {
            self.skipped -= 1;
        }
    }

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
                    self.close_note(note, end);
                }
            }
            Role::Marker => {
                if let Some(m) = self.marker.take() {
                    self.close_marker(m, end);
                }
            }
            Role::Backlink => self.hidden = self.hidden.saturating_sub(1),
            Role::NoteLabel => {
                self.hidden = self.hidden.saturating_sub(1);
                if let (Some((start, text)), Some(note)) =
                    (self.note_label.take(), self.note.as_mut())
                {
                    let label = text.trim().trim_matches(['[', ']']).to_string();
                    if !label.is_empty() && note.label.is_none() {
                        note.label = Some((label, Span::new(start, end)));
                    }
                }
            }
            Role::Link => {
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
            Role::Plain => {
                if open.name == "sup" {
                    self.sup_id = None;
                }
            }
        }
    }

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

    fn string(&mut self, value: &str, span: Span) {
        if self.skipped > 0 {
            return;
        }
        if let Some(m) = self.marker.as_mut() {
            m.text.push_str(value);
            if !value.trim().is_empty() {
                let raw = self.text.get(span.range()).unwrap_or("");
                let trimmed = raw.trim();
                let start = span.start + (raw.len() - raw.trim_start().len());
                let end = start + trimmed.len();
                m.text_span = Some(
                    m.text_span
                        .map_or(Span::new(start, end), |s| Span::new(s.start, end)),
                );
            }
        }
        if let Some((_, label)) = self.note_label.as_mut() {
            label.push_str(value);
        }
        if self.hidden > 0 {
            return;
        }
        let raw = self.text.get(span.range()).unwrap_or("");
        // A line break in the source starts a line, as in plain text: scraped pages keep one
        // note a line inside a single paragraph.
        for piece in decode_map(value, raw, span.start) {
            match piece {
                Piece::Break => self.new_line(),
                Piece::Text(range, at) => {
                    let line = {
                        let block = self.current();
                        if block.lines.is_empty() {
                            block.lines.push(MappedText::default());
                        }
                        let last = block.lines.len() - 1;
                        &mut block.lines[last]
                    };
                    let mut piece = &value[range];
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
        }
    }

    fn close_marker(&mut self, m: OpenMarker, end: usize) {
        let element = Span::new(m.start, end);
        // Diagnostics point at what the reader sees: `[3]`, or the element when it shows nothing.
        let span = m.text_span.unwrap_or(element);
        let digits: String = m.text.chars().filter(char::is_ascii_digit).collect();
        let label = if digits.is_empty() {
            m.target
                .as_ref()
                .map_or_else(String::new, |t| id_label(&t.target))
        } else {
            digits
        };
        if label.is_empty() {
            return;
        }
        let block = self.current();
        block.opaque.push(element);
        block.markers.push(Marker {
            number: label.parse().ok().filter(|&n| n > 0),
            label,
            kind: MarkerKind::Anchor,
            span,
            target: m.target,
            id: m.id,
        });
    }

    fn close_note(&mut self, open: OpenNote, end: usize) {
        let OpenNote {
            start,
            id,
            label,
            ordinal,
            mut block,
        } = open;
        self.heading = false;
        block.lines.retain(|l| !normalize::trim(&l.text).is_empty());
        // The label as written at the start of the note (`[3]`, `3.`), if there is one.
        let mut written = None;
        let mut skip = 0;
        if let Some(first) = block.lines.first() {
            match classify(&first.text) {
                LineKind::BracketNote {
                    number,
                    label,
                    text_at,
                }
                | LineKind::NumberedLine {
                    number,
                    label,
                    text_at,
                    dotted: true,
                } => {
                    written = Some((number.to_string(), first.span(label.0, label.1)));
                    skip = text_at;
                }
                _ => {}
            }
        }
        let (label, label_span) = match (label, written) {
            (Some(l), _) => l,
            (None, Some(w)) => w,
            (None, None) => {
                let from_id = id
                    .as_ref()
                    .map(|(i, _)| id_label(i))
                    .filter(|l| l.parse::<u32>().is_ok());
                let span = id.as_ref().map_or(Span::new(start, start), |(_, s)| *s);
                (from_id.unwrap_or_else(|| ordinal.to_string()), span)
            }
        };
        let mut text = MappedText::default();
        for (i, line) in block.lines.iter().enumerate() {
            let from = if i == 0 { skip.min(line.text.len()) } else { 0 };
            let piece = &line.text[from..];
            let trimmed = normalize::trim(piece);
            if trimmed.is_empty() {
                continue;
            }
            if !text.text.is_empty() {
                text.push_synthetic("\n");
            }
            let at = trimmed.as_ptr() as usize - line.text.as_ptr() as usize;
            blocks::push_mapped(&mut text, line, at, at + trimmed.len());
        }
        let text_end = if text.text.is_empty() {
            label_span.end
        } else {
            text.full_span().end
        };
        let note_start = label_span.start.min(start);
        let number = label.parse().ok().filter(|&n: &u32| n > 0);
        self.blocks.push(Block::Note {
            note: Note {
                label,
                number,
                span: Span::new(
                    note_start,
                    text_end.max(label_span.end).min(end.max(note_start)),
                ),
                label_span,
                text,
                citations: Vec::new(),
                id: id.map(|(i, _)| i),
                backlinks: block.backlinks,
            },
            markers: block.markers,
            links: block.links,
        });
    }
}

/// The label a note id carries: `fn3` → `3`, `user-content-fn-smith` → `smith`.
fn id_label(id: &str) -> String {
    let lower = id.to_ascii_lowercase();
    let rest = lower.strip_prefix("user-content-").unwrap_or(&lower);
    let rest = ["footnote", "endnote", "note", "ftn", "fn", "en"]
        .iter()
        .find_map(|p| rest.strip_prefix(p))
        .unwrap_or(rest);
    let offset = id.len() - rest.len();
    let rest = rest.trim_start_matches(['-', '_', ':']);
    let skip = id.len() - offset - rest.len();
    id[offset + skip..].to_string()
}

/// A piece of a decoded text token: a range of the decoded text and the file offset it maps
/// to, or a line break of the source.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(std::ops::Range<usize>, usize),
    Break,
}

/// Maps a text token whose decoded `value` stands in the file as `raw` at `at`: literal text
/// maps byte for byte, each character reference maps to where it is written (the characters
/// it decodes to all point at its `&`), and each line break of the source (`\n`, `\r\n` or a
/// lone `\r`, which the tokenizer turns into `\n`) is a [`Piece::Break`].
///
/// Linear in `raw`: literal runs are compared once, and each reference is decoded with the
/// text up to the next `&`, `<` or line break, so no byte is decoded twice.
fn decode_map(value: &str, raw: &str, at: usize) -> Vec<Piece> {
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    let rb = raw.as_bytes();
    let vb = value.as_bytes();
    while j < value.len() {
        match rb.get(i) {
            None => {
                // More decoded text than the source holds: it maps to the token's end.
                out.push(Piece::Text(j..value.len(), at + raw.len()));
                return out;
            }
            Some(b'&') => {
                if let Some((consumed, produced)) = reference_at(raw, i, &value[j..]) {
                    out.push(Piece::Text(j..j + produced, at + i));
                    i += consumed;
                    j += produced;
                } else if vb[j] == b'&' {
                    // Not a reference: a literal `&`.
                    out.push(Piece::Text(j..j + 1, at + i));
                    i += 1;
                    j += 1;
                } else {
                    break;
                }
            }
            Some(b'\r') if vb[j] == b'\n' => {
                out.push(Piece::Break);
                i += if rb.get(i + 1) == Some(&b'\n') { 2 } else { 1 };
                j += 1;
            }
            Some(b'\n') if vb[j] == b'\n' => {
                out.push(Piece::Break);
                i += 1;
                j += 1;
            }
            Some(_) => {
                // The longest literal run: equal bytes up to the next `&` or line break.
                let start = (i, j);
                while let (Some(&r), Some(&v)) = (rb.get(i), vb.get(j)) {
                    if r != v || matches!(r, b'&' | b'\r' | b'\n') {
                        break;
                    }
                    i += 1;
                    j += 1;
                }
                // Stop on character boundaries of both texts.
                while !(value.is_char_boundary(j) && raw.is_char_boundary(i)) && j > start.1 {
                    i -= 1;
                    j -= 1;
                }
                if j == start.1 {
                    break;
                }
                out.push(Piece::Text(start.1..j, at + start.0));
            }
        }
    }
    if j < value.len() {
        // The texts part ways in a way no rule above explains: the rest maps to where the
        // source was left.
        out.push(Piece::Text(j..value.len(), at + i.min(raw.len())));
    }
    out
}

/// The character reference at byte `i` of `raw` (which holds `&` there), if `value` starts
/// with what it decodes to: the bytes it takes in `raw` and the bytes it gives in `value`.
///
/// The tokenizer decodes the reference together with the literal text after it, up to the
/// next `&`, `<` or line break (a reference never reaches past them); of the decoded text,
/// the literal tail is the longest suffix that the source ends with too, leaving one or two
/// characters (one for a numeric reference) to the reference itself. A named reference never
/// ends in the character it decodes to, so the longest such tail is the right one.
fn reference_at(raw: &str, i: usize, value: &str) -> Option<(usize, usize)> {
    let rest = raw.get(i..)?;
    let chunk_len = rest
        .bytes()
        .skip(1)
        .position(|b| matches!(b, b'&' | b'<' | b'\r' | b'\n'))
        .map_or(rest.len(), |p| p + 1);
    let chunk = &rest[..chunk_len];
    let decoded = decode_chunk(chunk);
    if decoded == chunk || !value.starts_with(decoded.as_str()) {
        return None;
    }
    let numeric = chunk.starts_with("&#");
    // Smallest `c` first: the longest literal tail.
    for (c, _) in chunk.char_indices().skip(1).chain([(chunk.len(), ' ')]) {
        let tail = &chunk[c..];
        let Some(head) = decoded.strip_suffix(tail) else {
            continue;
        };
        let chars = head.chars().count();
        if chars == 1 || (chars == 2 && !numeric) {
            return Some((c, head.len()));
        }
    }
    None
}

/// What the tokenizer makes of `chunk` as text of an element.
fn decode_chunk(chunk: &str) -> String {
    let mut out = String::new();
    for token in Tokenizer::new(chunk).flatten() {
        if let Token::String(s) = token {
            out.push_str(&String::from_utf8_lossy(&s.value));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Document {
        crate::parse::parse(&SourceFile::new("t.html", text), Format::Html)
    }

    #[test]
    fn pandoc_footnotes() {
        let text = r##"<p>Claim.<a href="#fn1" class="footnote-ref" id="fnref1" role="doc-noteref"><sup>1</sup></a></p>
<section class="footnotes" role="doc-endnotes"><hr /><ol>
<li id="fn1"><p>Smith, <em>Title</em>, 2019.<a href="#fnref1" class="footnote-back" role="doc-backlink">↩︎</a></p></li>
</ol></section>"##;
        let doc = parse_str(text);
        let post = &doc.posts[0];
        assert_eq!(post.markers.len(), 1);
        assert_eq!(post.markers[0].label, "1");
        assert_eq!(
            post.markers[0]
                .target
                .as_ref()
                .map(|t| &text[t.span.range()]),
            Some("fn1")
        );
        assert_eq!(post.notes.len(), 1);
        assert_eq!(post.notes[0].text.text, "Smith, Title, 2019.");
        assert_eq!(&text[post.notes[0].text.span(0, 6).range()], "Smith,");
        assert_eq!(post.notes[0].backlinks[0].target, "fnref1");
        assert!(doc.anchors.iter().any(|a| a.id == "fn1"));
    }

    #[test]
    fn hand_written_notes_and_entities() {
        let text = "<p>A &amp; B.<sup><a href=\"#fn3\" id=\"ref3\">[3]</a></sup></p>\n<p id=\"fn3\">[3] Kim &ldquo;X&rdquo; 2020. <a href=\"#ref3\">↩</a></p>";
        let doc = parse_str(text);
        let post = &doc.posts[0];
        assert_eq!(post.markers.len(), 1);
        assert_eq!(&text[post.notes[0].label_span.range()], "[3]");
        assert_eq!(post.notes[0].text.text, "Kim “X” 2020.");
        assert_eq!(&text[post.notes[0].text.span(0, 3).range()], "Kim");
        assert_eq!(post.body[0].text, "A & B.[3]");
    }

    #[test]
    fn articles_are_posts_and_scripts_are_skipped() {
        let text = "<article><p>A.[1]</p><script>x = '[2]';</script><p>[1] One.</p></article><!-- [5] --><article><p>B.[1]</p><p>[1] Uno.</p></article>";
        let doc = parse_str(text);
        assert_eq!(doc.posts.len(), 2);
        assert_eq!(doc.posts[0].markers.len(), 1);
        assert_eq!(doc.posts[1].notes[0].text.text, "Uno.");
    }

    /// Every marker's span slices `text` to exactly `[N]`.
    fn marker_texts(text: &str) -> Vec<String> {
        let doc = parse_str(text);
        doc.posts
            .iter()
            .flat_map(|p| &p.markers)
            .map(|m| text.get(m.span.range()).unwrap_or("<bad span>").to_string())
            .collect()
    }

    #[test]
    fn spans_after_entities_point_at_the_source() {
        // Text after `&amp;` was mapped one entity's length off: the marker read `; B`.
        for entity in [
            "&amp;",
            "&amp",
            "&lt;",
            "&gt",
            "&nbsp;",
            "&nbsp",
            "&ldquo;",
            "&#8220;",
            "&#x201C;",
            "&#X201c;",
            "&#169",
            "&#xA9",
            "&copy",
            "&notit;",
            "&notin;",
            "&NotEqualTilde;",
            "&fjlig;",
            "&bogus;",
            "&",
            "& ",
            "&#;",
            "&#x;",
            "&#0;",
            "&#128;",
            "&#1114112;",
            "&amp;amp;",
            "&#38;",
            "&#59;",
            "&#51;3",
            "&AMP;",
            "&;",
        ] {
            for text in [
                format!("<p>A {entity} B.[1]</p>"),
                format!("<p>A{entity}B.[1] C {entity}{entity}[2]{entity}</p>"),
                format!("<p>X{entity}[1]</p><p>[1] N {entity} x.</p>"),
                format!("<p>\u{2014}{entity}\u{2014}\u{2014}[1]\r\n{entity}\u{e9}[2]</p>"),
            ] {
                let found = marker_texts(&text);
                assert!(!found.is_empty(), "{text}");
                for m in found {
                    assert!(m == "[1]" || m == "[2]", "{text}: {m:?}");
                }
            }
        }
    }

    #[test]
    fn note_text_after_entities_maps_back() {
        let text = "<p>A.[1]</p><p>[1] Kim &amp; Lee &ldquo;T&rdquo;, 2020.</p>";
        let doc = parse_str(text);
        let note = &doc.posts[0].notes[0];
        assert_eq!(note.text.text, "Kim & Lee “T”, 2020.");
        let at = note.text.text.find("2020").expect("year");
        assert_eq!(&text[note.text.span(at, at + 4).range()], "2020");
        let at = note.text.text.find("Lee").expect("name");
        assert_eq!(&text[note.text.span(at, at + 3).range()], "Lee");
    }

    #[test]
    fn source_line_breaks_split_lines_whatever_the_line_ending() {
        // One note a line inside one paragraph, with CRLF, lone CR and an entity.
        for br in ["\n", "\r\n", "\r"] {
            let text = format!("<p>A.[1] B.[2]</p><p>[1] One &amp; x.{br}[2] Two.</p>");
            let doc = parse_str(&text);
            let notes: Vec<_> = doc.posts[0]
                .notes
                .iter()
                .map(|n| n.text.text.as_str())
                .collect();
            assert_eq!(notes, ["One & x.", "Two."], "{br:?}");
        }
    }

    #[test]
    fn decode_map_pieces() {
        assert_eq!(
            decode_map("A & B", "A &amp; B", 10),
            vec![
                Piece::Text(0..2, 10),
                Piece::Text(2..3, 12),
                Piece::Text(3..5, 17)
            ]
        );
        assert_eq!(
            decode_map("a\nb", "a\r\nb", 0),
            vec![Piece::Text(0..1, 0), Piece::Break, Piece::Text(2..3, 3)]
        );
    }

    #[test]
    fn id_labels() {
        assert_eq!(id_label("fn3"), "3");
        assert_eq!(id_label("user-content-fn-Smith"), "Smith");
        assert_eq!(id_label("footnote-12"), "12");
    }
}
