//! What an HTML element is to notelint: the attributes it reads, and the [`Role`] an element
//! plays (a block, a note, a marker's link, …), decided from its name, its attributes and
//! the elements it sits in. The footnote markups this recognises are listed in the parent
//! module.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use html5gum::{HtmlString, Spanned};
use regex::Regex;

use crate::model::FileLinkKind;
use crate::source::Span;

/// Elements whose content is not text of the page.
pub(super) const SKIPPED: &[&str] = &[
    "script", "style", "template", "noscript", "head", "title", "svg", "math", "textarea",
];

/// Elements that never have content.
pub(super) const VOID: &[&str] = &[
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
pub(super) const MAX_CLOSE_SEARCH: usize = 512;

/// An id that names a note: `fn3`, `fn:3`, `footnote-3`, `user-content-fn-3`, `note3`, `en3`,
/// Texinfo's `FOOT3`.
static NOTE_ID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^((user-content-)?(fn|footnote|note|endnote|en|ftn)[-_:]?(\d+|[-_:].+)|foot\d+)$",
    )
    .expect("valid regex")
});

/// Whether `id` names a note (and not a marker: `fnref3`, `footnote-anchor-3`).
pub(super) fn note_id(id: &str) -> bool {
    NOTE_ID.is_match(id) && !id.contains("ref") && !id.contains("anchor")
}

/// Whether the `class` attribute `classes` holds `name`.
fn has_class(classes: &str, name: &str) -> bool {
    classes
        .split_ascii_whitespace()
        .any(|c| c.eq_ignore_ascii_case(name))
}

/// The attributes notelint reads, with the spans of their values.
#[derive(Debug, Default)]
pub(super) struct Attrs {
    pub(super) id: Option<(String, Span)>,
    /// `name="…"`, which on an `<a>` is a link target as an id is (older pages use it).
    pub(super) name: Option<(String, Span)>,
    pub(super) href: Option<(String, Span)>,
    pub(super) class: String,
    /// `data-footnote-ref`, `role="doc-noteref"`.
    pub(super) noteref: bool,
    /// `data-footnote-backref`, `role="doc-backlink"`.
    pub(super) backref: bool,
    /// `data-footnotes`, `role="doc-endnotes"`.
    pub(super) notes: bool,
    /// `epub:type="footnote"`, `type="footnote"`: the element is one note.
    pub(super) note: bool,
    pub(super) start: Option<u32>,
}

/// What an element is to the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
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

/// An element on the stack of open elements.
#[derive(Debug)]
pub(super) struct Open {
    pub(super) name: String,
    pub(super) role: Role,
}

/// Reads the attributes of a start tag whose span is `tag` in `text`.
pub(super) fn read_attrs(
    text: &str,
    attributes: &BTreeMap<HtmlString, Spanned<HtmlString, usize>>,
    tag: Span,
) -> Attrs {
    let mut a = Attrs::default();
    for (name, value) in attributes {
        let v = String::from_utf8_lossy(&value.value).into_owned();
        // The span of the value as written, looked for inside the span the tokenizer gives.
        let value_span = || {
            let s = Span::new(value.span.start.max(tag.start), value.span.end.min(tag.end));
            match text.get(s.range()).and_then(|raw| raw.find(v.as_str())) {
                Some(i) if !v.is_empty() => Span::new(s.start + i, s.start + i + v.len()),
                _ => s,
            }
        };
        match &name.0[..] {
            b"id" => a.id = Some((v.clone(), value_span())),
            b"name" => a.name = Some((v.clone(), value_span())),
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
            // EPUB's semantics (`epub:type="noteref"`, `"endnote"`, `"endnotes"`) and the
            // `type="footnote"` of some exporters.
            b"epub:type" | b"type" => {
                for word in v.split_whitespace() {
                    match word {
                        "noteref" => a.noteref = true,
                        "backlink" => a.backref = true,
                        "footnote" | "endnote" | "rearnote" | "note" => a.note = true,
                        "footnotes" | "endnotes" | "rearnotes" => a.notes = true,
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    a
}

/// The role of an element named `name`: `in_note` says whether a note is open, and `stack`
/// holds the open elements it sits in.
pub(super) fn role(name: &str, a: &Attrs, in_note: bool, stack: &[Open]) -> Role {
    if SKIPPED.contains(&name) {
        return Role::Skipped;
    }
    // Page numbers of a digitised book (`<span class="pagenum">[12]</span>`) are no prose.
    if ["pagenum", "pageno", "page-number"]
        .iter()
        .any(|c| has_class(&a.class, c))
    {
        return Role::Skipped;
    }
    match name {
        "a" => link_role(a, in_note, stack.last().is_some_and(|o| o.name == "sup")),
        "article" => Role::Article,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => Role::Heading,
        _ if !in_note
            && (a.notes
                || has_class(&a.class, "footnotes")
                || has_class(&a.class, "footnotes-list")
                || has_class(&a.class, "endnotes")) =>
        {
            Role::NotesList
        }
        "li" if !in_note && in_notes_list(stack) => Role::Note,
        // `<sup class="footnote">` holds a marker, not a note.
        _ if !in_note
            && name != "sup"
            && (a.note
                || has_class(&a.class, "footnote")
                // `<p class="fn">` of some digitised books (its `<a class="fn">` is a link).
                || (name != "a" && has_class(&a.class, "fn"))
                // Texinfo 7's notes, each under a heading (see the reader).
                || has_class(&a.class, "footnotes-segment")
                || a.id.as_ref().is_some_and(|(id, _)| note_id(id))) =>
        {
            Role::Note
        }
        "ol" if !in_note => Role::OrderedList,
        "li" if !in_note => Role::ListItem,
        _ if BLOCK.contains(&name) => Role::Block,
        _ => Role::Plain,
    }
}

/// The role of an `<a>`: inside a note, a link to a note is a marker and any other link to
/// the page goes back to a marker; elsewhere, a link to the page is a marker when its class,
/// its `<sup>` or its target says so.
fn link_role(a: &Attrs, in_note: bool, in_sup: bool) -> Role {
    let fragment = a.href.as_ref().and_then(|(h, _)| h.strip_prefix('#'));
    if in_note {
        if has_class(&a.class, "footnote-number") {
            return Role::NoteLabel;
        }
        return match fragment {
            Some(f) if a.backref || !note_id(f) => Role::Backlink,
            Some(_) => Role::Marker,
            // A back-link to a marker in another file (`chapter-1.xhtml#noteref-3`).
            None if a.backref && a.href.as_ref().is_some_and(|(h, _)| h.contains('#')) => {
                Role::Backlink
            }
            None if a.href.is_some() => Role::Link,
            None => Role::Plain,
        };
    }
    let Some(f) = fragment else {
        return if a.href.is_some() {
            Role::Link
        } else {
            Role::Plain
        };
    };
    // Texinfo's `<a class="footnote" href="#FOOT1"><sup>1</sup></a>` is one by its target;
    // Gutenberg's note labels `<a href="#citation1" class="footnote">[1]</a>` are not.
    let marked = a.noteref
        || has_class(&a.class, "footnote-ref")
        || has_class(&a.class, "footnote-anchor")
        || has_class(&a.class, "footnote-link")
        || in_sup;
    if marked || note_id(f) || f.starts_with("footnote-") {
        Role::Marker
    } else {
        Role::Plain
    }
}

/// What a link into another file is, when it is a note link: inside a note, a back-link
/// (marked as one, or to a marker's id such as `chapter-1.xhtml#noteref-3`); elsewhere, a
/// marker (marked as a note reference, or in a `<sup>` to a note's id such as
/// `endnotes.xhtml#note-3`). Other links between files (a cross-reference to a chapter) are
/// none of notelint's business. `None` as well for a link into the page itself or to a URL.
pub(super) fn file_link_kind(a: &Attrs, in_note: bool, in_sup: bool) -> Option<FileLinkKind> {
    let (href, _) = a.href.as_ref()?;
    let (path, fragment) = href.split_once('#')?;
    // `https://…`, `mailto:…`: another site, not a file of the run.
    if path.is_empty() || fragment.is_empty() || path.contains(':') {
        return None;
    }
    if in_note {
        let to_marker = ["noteref", "fnref"]
            .iter()
            .any(|p| fragment.to_ascii_lowercase().starts_with(p));
        (a.backref || to_marker).then_some(FileLinkKind::Backlink)
    } else {
        let marked =
            a.noteref || ((in_sup || has_class(&a.class, "footnote-ref")) && note_id(fragment));
        marked.then_some(FileLinkKind::Marker)
    }
}

/// Whether an `<li>` outside a note is an item of a notes list: its list is the notes list
/// (`<ol class="footnotes-list">`) or sits right in it (`<section class="footnotes"><ol>`).
/// A list further down (a list quoted inside a note read from its text) is a list.
fn in_notes_list(stack: &[Open]) -> bool {
    match stack {
        [.., o] if o.role == Role::NotesList => true,
        [.., parent, list] if matches!(list.name.as_str(), "ol" | "ul") => {
            parent.role == Role::NotesList
        }
        _ => false,
    }
}
