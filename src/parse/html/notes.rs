//! Markers and notes as the HTML reader gathers them: a marker's link or a note's element is
//! open while its content is read, and becomes a [`Marker`] or a [`Block::Note`] when it
//! closes.

use crate::model::{AnchorLink, MappedText, Marker, MarkerKind, Note};
use crate::normalize;
use crate::parse::blocks::{self, Block, TextBlock};
use crate::parse::text::{classify, LineKind};
use crate::source::Span;

use super::tags::{note_id, Attrs};

/// A marker whose link is open.
#[derive(Debug)]
pub(super) struct OpenMarker {
    start: usize,
    target: Option<AnchorLink>,
    id: Option<String>,
    text: String,
    /// Where the link's visible text stands.
    text_span: Option<Span>,
}

impl OpenMarker {
    /// A marker whose link, with attributes `a`, starts at `start`. Without an id of its own,
    /// it takes the id of the `<sup>` it sits in, `sup_id`.
    pub(super) fn new(a: &Attrs, start: usize, sup_id: Option<&String>) -> Self {
        let id =
            a.id.as_ref()
                .map(|(id, _)| id.clone())
                .or_else(|| sup_id.cloned());
        Self {
            start,
            target: a.href.as_ref().map(|(h, s)| fragment_link(h, *s)),
            id,
            text: String::new(),
            text_span: None,
        }
    }

    /// Adds a text token of the link: `value` decoded, `raw` as written at `span`.
    pub(super) fn push_text(&mut self, value: &str, raw: &str, span: Span) {
        self.text.push_str(value);
        if !value.trim().is_empty() {
            let trimmed = raw.trim();
            let start = span.start + (raw.len() - raw.trim_start().len());
            let end = start + trimmed.len();
            self.text_span = Some(
                self.text_span
                    .map_or(Span::new(start, end), |s| Span::new(s.start, end)),
            );
        }
    }

    /// The marker, with the span of its element, when its link ends at `end`; `None` when
    /// neither its text nor its target gives a label.
    pub(super) fn finish(self, end: usize) -> Option<(Span, Marker)> {
        let element = Span::new(self.start, end);
        // Diagnostics point at what the reader sees: `[3]`, or the element when it shows nothing.
        let span = self.text_span.unwrap_or(element);
        let digits: String = self.text.chars().filter(char::is_ascii_digit).collect();
        // `<a href="#Footnote_11">34 (<i>n</i>).</a>`: a page reference to note 11 (an
        // errata list, an index), not a marker. A marker shows its note's number, or only a
        // number (GitHub numbers its markers 1, 2, … whatever the note's name).
        let target_number = self.target.as_ref().map(|t| id_label(&t.target));
        if !digits.is_empty()
            && self.text.chars().any(char::is_alphabetic)
            && target_number.is_some_and(|n| {
                n.parse::<u32>().is_ok()
                    && n.trim_start_matches('0') != digits.trim_start_matches('0')
            })
        {
            return None;
        }
        let label = if digits.is_empty() {
            self.target
                .as_ref()
                .map_or_else(String::new, |t| id_label(&t.target))
        } else {
            digits
        };
        if label.is_empty() {
            return None;
        }
        let marker = Marker {
            number: label.parse().ok().filter(|&n| n > 0),
            label,
            kind: MarkerKind::Anchor,
            span,
            target: self.target,
            id: self.id,
        };
        Some((element, marker))
    }
}

/// A note whose element is open.
#[derive(Debug)]
pub(super) struct OpenNote {
    start: usize,
    /// The element's id, with its span.
    pub(super) id: Option<(String, Span)>,
    /// The label a label link gave (Substack's `<a class="footnote-number">`).
    pub(super) label: Option<(String, Span)>,
    /// The note's place in its notes list, its label when nothing else gives one.
    ordinal: u32,
    /// Started by a label heading inside a notes segment (Texinfo), not by an element of its own.
    pub(super) from_heading: bool,
    pub(super) block: TextBlock,
}

impl OpenNote {
    /// A note whose element, with id `id`, starts at `start`, the `ordinal`th of its list.
    pub(super) fn new(id: Option<(String, Span)>, start: usize, ordinal: u32) -> Self {
        Self {
            start,
            id,
            label: None,
            ordinal,
            from_heading: false,
            block: TextBlock {
                lines: vec![MappedText::default()],
                ..TextBlock::default()
            },
        }
    }

    /// The note, when its element ends at `end`. Its label is, by preference, the one its
    /// label link gave, the one written at its start (`[3]`, `3.`), the number in its id,
    /// and its place in the list.
    pub(super) fn finish(self, end: usize) -> Block {
        let OpenNote {
            start,
            id,
            label,
            ordinal,
            from_heading: _,
            mut block,
        } = self;
        block.lines.retain(|l| !normalize::trim(&l.text).is_empty());
        let (written, skip) = match block.lines.first().and_then(written_label) {
            Some((written, text_at)) => (Some(written), text_at),
            None => (None, 0),
        };
        let (label, label_span) = match (label, written) {
            (Some(l), _) => l,
            (None, Some(w)) => w,
            (None, None) => label_from_id(id.as_ref(), start, ordinal),
        };
        let text = blocks::note_text(&block.lines, skip);
        let text_end = if text.text.is_empty() {
            label_span.end
        } else {
            text.full_span().end
        };
        let note_start = label_span.start.min(start);
        let number = label.parse().ok().filter(|&n: &u32| n > 0);
        Block::Note {
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
        }
    }
}

/// The label written at the start of a note's first line (`[3]`, `3.`), with its span, and
/// where the text after it starts.
fn written_label(first: &MappedText) -> Option<((String, Span), usize)> {
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
        } => Some(((number.to_string(), first.span(label.0, label.1)), text_at)),
        _ => None,
    }
}

/// The label of a note that shows none: the number in its id, the name in a note id
/// (Project Gutenberg's `Footnote_A_1` → `A_1`, whose letters restart in every chapter), or
/// else its place in the list, spanning its id (or the empty span where the note starts).
fn label_from_id(id: Option<&(String, Span)>, start: usize, ordinal: u32) -> (String, Span) {
    let from_id = id.and_then(|(i, _)| {
        let label = id_label(i);
        match label.parse::<u32>() {
            // `fn01` is note 1.
            Ok(n) => Some(n.to_string()),
            Err(_) => (note_id(i) && gutenberg_label(&label)).then_some(label),
        }
    });
    let span = id.map_or(Span::new(start, start), |(_, s)| *s);
    (from_id.unwrap_or_else(|| ordinal.to_string()), span)
}

/// Whether an id's label is Project Gutenberg's letter or number and its count (`A_1`, `12_3`).
fn gutenberg_label(label: &str) -> bool {
    label.split_once('_').is_some_and(|(l, n)| {
        !l.is_empty()
            && l.len() <= 3
            && l.bytes().all(|b| b.is_ascii_alphanumeric())
            && !n.is_empty()
            && n.bytes().all(|b| b.is_ascii_digit())
    })
}

/// The link an `href="#fn3"` makes: to `fn3`, spanning the value past its `#`.
pub(super) fn fragment_link(href: &str, span: Span) -> AnchorLink {
    AnchorLink {
        target: href.trim_start_matches('#').to_string(),
        span: Span::new(span.start + usize::from(href.starts_with('#')), span.end),
    }
}

/// The label a note id carries: `fn3` → `3`, `user-content-fn-smith` → `smith`.
pub(super) fn id_label(id: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_labels() {
        assert_eq!(id_label("fn3"), "3");
        assert_eq!(id_label("user-content-fn-Smith"), "Smith");
        assert_eq!(id_label("footnote-12"), "12");
    }
}
