//! The document model: what every format parser produces and every rule reads.
//!
//! Plain data only. A file is a [`Document`] of one or more [`Post`]s; a post holds the markers
//! found in its body, its notes and its bibliography entries, each with its exact [`Span`] in
//! the original file. Nothing here knows about rules or output.

use crate::source::Span;

/// One parsed file.
#[derive(Debug, Clone)]
pub struct Document {
    pub posts: Vec<Post>,
    /// Every element id of an HTML file, sorted by id and then by position (empty for other
    /// formats).
    pub anchors: Vec<Anchor>,
    /// The note links of an HTML file into other files, in file order (empty for other
    /// formats): checked when those files are linted in the same run.
    pub file_links: Vec<FileLink>,
}

/// A note link into another file: a marker's `href="endnotes.xhtml#note-3"` or an endnote's
/// back-link `href="chapter-1.xhtml#noteref-3"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileLink {
    pub kind: FileLinkKind,
    /// The `href` value, entities decoded: a relative path, `#`, and an id.
    pub href: String,
    /// The `href` value as written.
    pub span: Span,
    /// A marker's own element id (or that of the `<sup>` it sits in), which its note's
    /// back-link goes to.
    pub id: Option<String>,
}

/// What a [`FileLink`] links from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileLinkKind {
    /// A marker in the text, to its note.
    Marker,
    /// A note, back to its marker.
    Backlink,
}

/// An HTML element id, where the `id="…"` attribute stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    pub id: String,
    /// The attribute's value as written.
    pub span: Span,
}

/// A link to an element id: a marker's `href="#fn3"` or a note's back-link to its marker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnchorLink {
    /// The id linked to, without the `#`.
    pub target: String,
    /// The `href` value as written.
    pub span: Span,
}

/// A link whose destination markup gives apart from its text: Markdown `[text](url)` and
/// `<url>`, HTML `href`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The destination, as it should be read.
    pub url: String,
    /// The destination as written.
    pub span: Span,
    /// The whole link, text included.
    pub element: Span,
}

/// One post of a page: its body, markers, notes and bibliography.
#[derive(Debug, Clone, Default)]
pub struct Post {
    /// 1-based position of the post in its file.
    pub index: usize,
    /// From the start of the post's body to the end of its last note or entry.
    pub span: Span,
    /// The post's running text, where markers are found, in file order.
    pub body: Vec<MappedText>,
    /// Every marker in the body, in file order.
    pub markers: Vec<Marker>,
    /// The notes list, in file order.
    pub notes: Vec<Note>,
    /// The span of the bibliography heading line, when the post has one.
    pub bibliography_heading: Option<Span>,
    /// Bibliography entries, in file order.
    pub bibliography: Vec<BibEntry>,
    /// Every URL in the post's notes, bibliography and body, in file order.
    pub urls: Vec<UrlRef>,
    /// The works the post's notes cite, in order of first citation; each [`Citation`] points
    /// here by index.
    pub sources: Vec<Source>,
    /// Links with a URL destination (Markdown and HTML), in file order; their URLs are merged
    /// into [`Post::urls`].
    pub links: Vec<Link>,
    /// Pairs of bibliography entries that give the same work, `(earlier, later)`, found when
    /// the bibliography is matched.
    pub duplicate_entries: Vec<(usize, usize)>,
}

/// How a marker is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MarkerKind {
    /// `[12]`, or one number of `[12, 13]` or `[12–14]`.
    Bracket,
    /// Unicode superscript digits after a word: `China.¹²`.
    Superscript,
    /// A Markdown footnote reference `[^label]`.
    Footnote,
    /// An HTML link to a note (`<a href="#fn12">`).
    Anchor,
}

/// A reference in the running text to a note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    /// The note label referred to (`"12"`, or a Markdown label such as `"smith-2019"`).
    pub label: String,
    /// The label as a number, when it is one.
    pub number: Option<u32>,
    pub kind: MarkerKind,
    pub span: Span,
    /// The element id an HTML marker links to (`href="#fn3"`).
    pub target: Option<AnchorLink>,
    /// The marker's own element id, which the note links back to.
    pub id: Option<String>,
}

/// One entry of a post's notes list.
#[derive(Debug, Clone)]
pub struct Note {
    /// `"12"` for `[12]` or `12.`; a Markdown label otherwise.
    pub label: String,
    pub number: Option<u32>,
    /// The whole note, label included, up to the end of its last line of text.
    pub span: Span,
    /// The label as written (`[12]`, `12.`, `[^12]:`).
    pub label_span: Span,
    /// The note's text after the label, with its map back into the file.
    pub text: MappedText,
    /// The citations in the note, in order; filled after parsing by the citation resolver.
    pub citations: Vec<Citation>,
    /// The note's element id in HTML (`fn3`), which markers link to.
    pub id: Option<String>,
    /// The note's back-links to its markers (HTML).
    pub backlinks: Vec<AnchorLink>,
}

/// How a citation names its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CitationKind {
    /// The source in full: author or title with a publisher, date or URL.
    Full,
    /// An abbreviation of an earlier full citation: `Kim, “Escape Routes,” 4.`
    Short,
    /// `Ibid.` and its variants: the source of the previous note or citation.
    Ibid,
}

/// What a citation was resolved to, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Resolution {
    /// A full citation giving its source for the first time.
    First,
    /// A full citation of a source already given in full in an earlier note.
    Repeat,
    /// A short form that matches an earlier full citation.
    Abbreviated,
    /// A short form that matches no earlier full citation (a source is made for it, so that
    /// an Ibid. after it still resolves).
    Unmatched,
    /// An Ibid. after another citation in the same note, referring to that citation.
    SameNote,
    /// An Ibid. leaning on the previous note (at this index of [`Post::notes`]), which cites
    /// `sources` distinct sources.
    PreviousNote { note: usize, sources: usize },
    /// An Ibid. with nothing before it to refer to.
    NoAntecedent,
}

/// One citation inside a note: `See also Kim, “Escape Routes,” NK News, 2020, 4`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    pub kind: CitationKind,
    /// The citation without its signal and any commentary before it.
    pub span: Span,
    /// The citation's text, as `span` covers it.
    pub text: String,
    /// `See`, `See also`, `Cf.` and the like, as written.
    pub signal: Option<String>,
    pub fields: CitationFields,
    pub resolution: Resolution,
    /// The index in [`Post::sources`] of the work cited, when known.
    pub source: Option<usize>,
}

/// The parts of a citation, as far as they can be told apart. Also used on bibliography
/// entries.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct CitationFields {
    /// Authors as written (`Kim, Ellen`, `Ellen Kim`, an organisation).
    pub authors: Vec<String>,
    pub title: Option<String>,
    /// The journal, site, publisher or other work that holds the cited one.
    pub container: Option<String>,
    pub year: Option<u16>,
    pub urls: Vec<String>,
    /// Where in the work: `p. 4`, `pp. 3–5`, `8, 10, 13`.
    pub locator: Option<Locator>,
    /// The pages the work itself occupies, as a journal article's `361–82`.
    pub extent: Option<PageRange>,
}

/// A pinpoint inside a work.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Locator {
    /// As written: `pp. 34-38, pp. 276-285`.
    pub text: String,
    pub pages: Vec<PageRange>,
}

/// An inclusive range of page numbers (one page when `first == last`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PageRange {
    pub first: u32,
    pub last: u32,
    /// As written: `361–82`.
    pub text: String,
}

impl PageRange {
    /// Whether `other` lies wholly inside this range.
    #[must_use]
    pub const fn holds(&self, other: &Self) -> bool {
        self.first <= other.first && other.last <= self.last
    }
}

/// A work cited in a post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The index in [`Post::notes`] of the note that first cites it.
    pub note: usize,
    /// The fields of its first full citation (or of the short form, when none came first).
    pub fields: CitationFields,
    /// The text of that citation.
    pub text: String,
    /// Whether a full citation gives it (not only an unmatched short form).
    pub full: bool,
    /// The post's bibliography entry for it; filled after citations are resolved, by the
    /// bibliography matcher.
    pub entry: Option<EntryMatch>,
    /// The year its citation gives, as [`crate::cite::publication_year`] reads it from
    /// [`Source::text`]. Read, once, only in a post with a bibliography (compared with the
    /// entries' years); `None` in any other post.
    pub year: Option<u16>,
    /// What identifies its work, as [`crate::identity::WorkKey::of`] reads its fields: kept
    /// by the resolver in a post with a bibliography, and taken by the bibliography matcher
    /// (which compares the same keys); `None` otherwise and afterwards.
    pub key: Option<crate::identity::WorkKey>,
    /// Its citation's text with the URLs blanked out, when reading it gave that: kept by the
    /// resolver in a post with a bibliography, and read by the bibliography matcher (an entry
    /// that repeats the citation word for word has this text); `None` otherwise and afterwards.
    pub plain: Option<String>,
}

/// A source's bibliography entry and the evidence that ties them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct EntryMatch {
    /// The index in [`Post::bibliography`].
    pub entry: usize,
    pub by: MatchEvidence,
}

/// What ties a source to its bibliography entry, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MatchEvidence {
    /// The same URL, once normalised.
    Url,
    /// The same title, allowing for quote styles, shortening and small slips.
    Title,
    /// The same document symbol or bill number (`S/2020/840`, `H.R.757`).
    Identifier,
    /// The same first author's surname and year.
    AuthorYear,
}

impl MatchEvidence {
    /// How the evidence is named in listings.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Url => "url",
            Self::Title => "title",
            Self::Identifier => "identifier",
            Self::AuthorYear => "author and year",
        }
    }
}

/// One entry of a bibliography, kept as written.
#[derive(Debug, Clone, Default)]
pub struct BibEntry {
    pub span: Span,
    pub text: MappedText,
    /// The entry read as a citation; filled after parsing by the bibliography matcher.
    pub fields: CitationFields,
}

/// Where a URL stands in a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "index")]
pub enum UrlOwner {
    /// In the note at this index of [`Post::notes`].
    Note(usize),
    /// In the entry at this index of [`Post::bibliography`].
    Bibliography(usize),
    /// In the block at this index of [`Post::body`].
    Body(usize),
}

/// A URL found in a post, as extracted from the prose around it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlRef {
    /// The URL as it should be read: trailing punctuation removed, pieces broken by white
    /// space joined when the break clearly falls inside the URL.
    pub url: String,
    /// Where the URL stands in the file, from its first to its last character.
    pub span: Span,
    pub owner: UrlOwner,
    /// The byte range of the URL as written (breaks included) in its owner's text: the
    /// [`MappedText`] of its note, bibliography entry or body block.
    pub text_range: std::ops::Range<usize>,
    /// The white space that splits the URL as written, one file span per break; `url` is the
    /// URL with these removed. Empty for a URL written in one piece.
    pub breaks: Vec<Span>,
    /// Whether the URL is glued to the text before it without a space (`2024,https://…`).
    pub glued: bool,
    /// The ellipsis (`…` or `...`) the URL ended in, left out of `url`: a sign it was cut short.
    pub ellipsis: Option<Span>,
}

/// Text taken from a file, with the map from each byte of the text back to the file.
///
/// Plain-text parsers take text as it stands, so one segment maps it all; Markdown and HTML
/// parsers drop markup, so their text is stitched from several segments.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MappedText {
    pub text: String,
    /// `(text_offset, file_offset)` at the start of each contiguous piece, ascending.
    segments: Vec<(usize, usize)>,
}

impl MappedText {
    /// Text that stands in the file unchanged, starting at `file_offset`.
    #[must_use]
    pub fn contiguous(text: impl Into<String>, file_offset: usize) -> Self {
        Self {
            text: text.into(),
            segments: vec![(0, file_offset)],
        }
    }

    /// Appends `piece`, which stands in the file at `file_offset`.
    pub fn push(&mut self, piece: &str, file_offset: usize) {
        let at = self.text.len();
        let continues = self
            .segments
            .last()
            .is_some_and(|&(t, f)| f + (at - t) == file_offset);
        if !continues {
            self.segments.push((at, file_offset));
        }
        self.text.push_str(piece);
    }

    /// Appends `src.text[from..to]` with its map: one `push` per piece of `src` it covers.
    pub fn push_slice_of(&mut self, src: &Self, from: usize, to: usize) {
        let to = to.min(src.text.len());
        // The piece holding `from` is the last one starting at or before it (none: bytes
        // before the first piece map to themselves, as in `file_offset`).
        let mut next = src.segments.partition_point(|&(t, _)| t <= from);
        let mut at = from;
        while at < to {
            let (t, f) = match next.checked_sub(1).and_then(|i| src.segments.get(i)) {
                Some(&piece) => piece,
                None => (0, 0),
            };
            let end = src
                .segments
                .get(next)
                .map_or(src.text.len(), |&(start, _)| start)
                .min(to);
            if end > at {
                if let Some(piece) = src.text.get(at..end) {
                    self.push(piece, f + (at - t));
                }
                at = end;
            }
            next += 1;
        }
    }

    /// `self.text[from..to]` as a text of its own, with its map: what `push_slice_of` would
    /// build into an empty text. When that is the whole text and its map is already the one
    /// `push_slice_of` builds (it starts at 0, has no empty piece and no piece continuing the
    /// one before it), `self` is that text and is returned as it is, with no copy.
    #[must_use]
    pub fn into_slice(self, from: usize, to: usize) -> Self {
        let whole = from == 0 && to >= self.text.len();
        if whole && self.is_minimal() {
            return self;
        }
        let mut out = Self::default();
        out.push_slice_of(&self, from, to);
        out
    }

    /// Whether the map is the one `push` builds for the text's pieces: one entry per
    /// non-empty piece, starting at 0, none continuing the piece before it. O(pieces).
    fn is_minimal(&self) -> bool {
        if self.text.is_empty() {
            return self.segments.is_empty();
        }
        if self.segments.first().is_none_or(|&(t, _)| t != 0) {
            return false;
        }
        self.segments.windows(2).all(|w| {
            let ((t0, f0), (t1, f1)) = (w[0], w[1]);
            t1 > t0 && f0 + (t1 - t0) != f1
        }) && self
            .segments
            .last()
            .is_some_and(|&(t, _)| t < self.text.len())
    }

    /// Appends text that does not stand in the file (a separator between pieces); it maps to
    /// the file position right after the previous piece.
    pub fn push_synthetic(&mut self, piece: &str) {
        let at = self.text.len();
        let file = self.file_offset(at);
        self.text.push_str(piece);
        self.segments.push((at, file));
        let end = self.text.len();
        self.segments.push((end, file));
    }

    /// The file offset of byte `at` of the text.
    #[must_use]
    pub fn file_offset(&self, at: usize) -> usize {
        let i = self.segments.partition_point(|&(t, _)| t <= at);
        match i.checked_sub(1).and_then(|i| self.segments.get(i)) {
            Some(&(t, f)) => f + (at - t),
            None => at,
        }
    }

    /// The byte of the text that stands at `file_offset` in the file, if any piece covers it.
    ///
    /// Scans the pieces: O(pieces) per call. Its one caller asks once per link of a post, so
    /// a post whose text is stitched from many pieces and holds many links costs their
    /// product; ordinary pages have a handful of pieces per link.
    #[must_use]
    pub fn text_offset(&self, file_offset: usize) -> Option<usize> {
        self.segments.iter().enumerate().find_map(|(i, &(t, f))| {
            let end = self
                .segments
                .get(i + 1)
                .map_or(self.text.len(), |&(next, _)| next);
            (f <= file_offset && file_offset < f + (end - t)).then(|| t + (file_offset - f))
        })
    }

    /// The file span of the text range `start..end`.
    #[must_use]
    pub fn span(&self, start: usize, end: usize) -> Span {
        let s = self.file_offset(start);
        let e = if end > start {
            self.file_offset(end - 1) + 1
        } else {
            s
        };
        Span::new(s, e.max(s))
    }

    /// The file span of the whole text.
    #[must_use]
    pub fn full_span(&self) -> Span {
        self.span(0, self.text.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn into_slice_is_the_copy_push_slice_of_makes() {
        let mut texts = vec![MappedText::default(), MappedText::contiguous("abc", 7)];
        let mut stitched = MappedText::default();
        stitched.push("ab", 3);
        stitched.push("cd", 5);
        stitched.push("ef", 20);
        texts.push(stitched.clone());
        stitched.push_synthetic("\n");
        stitched.push("gh", 30);
        texts.push(stitched.clone());
        let mut empty_piece = MappedText::default();
        empty_piece.push("", 4);
        texts.push(empty_piece.clone());
        empty_piece.push("ab", 9);
        texts.push(empty_piece);
        for text in texts {
            for (from, to) in [
                (0, text.text.len()),
                (1.min(text.text.len()), text.text.len()),
            ] {
                let mut copy = MappedText::default();
                copy.push_slice_of(&text, from, to);
                assert_eq!(
                    text.clone().into_slice(from, to),
                    copy,
                    "{text:?} {from}..{to}"
                );
            }
        }
    }

    #[test]
    fn push_slice_of_keeps_every_bytes_file_offset() {
        let mut src = MappedText::default();
        src.push("ab é", 10);
        src.push("cd", 14 + "é".len());
        src.push_synthetic(" ");
        src.push("xyz", 40);
        src.push("", 50);
        src.push("w", 60);
        let bounds: Vec<usize> = (0..=src.text.len())
            .filter(|&i| src.text.is_char_boundary(i))
            .collect();
        for &from in &bounds {
            for &to in bounds.iter().filter(|&&to| to >= from) {
                let mut out = MappedText::contiguous("q", 0);
                out.push_slice_of(&src, from, to);
                assert_eq!(&out.text[1..], &src.text[from..to]);
                for k in 0..to - from {
                    assert_eq!(
                        out.file_offset(1 + k),
                        src.file_offset(from + k),
                        "{from}..{to} byte {k}"
                    );
                }
            }
        }
    }

    #[test]
    fn mapped_text_maps_stitched_pieces() {
        let mut m = MappedText::default();
        m.push("Smith, ", 10);
        m.push("Title", 30);
        assert_eq!(m.text, "Smith, Title");
        assert_eq!(m.file_offset(0), 10);
        assert_eq!(m.file_offset(7), 30);
        assert_eq!(m.span(7, 12), Span::new(30, 35));
        assert_eq!(m.span(0, 5), Span::new(10, 15));
    }

    #[test]
    fn contiguous_pieces_share_a_segment() {
        let mut m = MappedText::contiguous("ab", 5);
        m.push("cd", 7);
        assert_eq!(m.segments.len(), 1);
        assert_eq!(m.full_span(), Span::new(5, 9));
    }
}
