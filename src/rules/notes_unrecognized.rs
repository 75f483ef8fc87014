use foldhash::{HashSet, HashSetExt};
use std::borrow::Cow;
use std::cell::OnceCell;
use std::sync::LazyLock;

use super::{declare_rule, Context, Rule, RuleInfo};
use crate::diagnostic::{plural, Finding};
use crate::model::{Document, MarkerKind, Note, Post};
use crate::source::SourceFile;

declare_rule! {
    /// ## What it does
    /// Says, once per post, that notelint did not recognise the post's notes: too few of the
    /// markers it found meet a note, or too few of the notes meet a marker, or there are
    /// markers but no notes list (or a notes list but no markers). The rules that read markers
    /// and notes (orphans, duplicates, order, gaps, Ibid. chains, short forms, the
    /// bibliography cross-check) then stay silent for that post.
    ///
    /// A post's notes are recognised when it has both markers and notes, at least half of
    /// its distinct marker labels have a note, and at least half of its notes have a marker.
    /// Markdown footnotes (`[^label]`, `[^label]: …`) are recognised by their syntax instead,
    /// as renderers pair them by label: every undefined reference and unused definition is
    /// then reported, unless the post also holds bracketed numbers that call for the guess, or
    /// includes text from other files (mdBook `{{#include}}`, Hugo shortcodes, Liquid
    /// `{% include %}`), where the other half may be.
    /// A post with no markers and no notes has nothing to check; one with at most two
    /// bracketed numbers and no notes (an array index, a year) is skipped without a word, and
    /// so is an endnotes file whose notes link back to markers in other files, or carry the
    /// element ids that markers in other files link to (an EPUB's `endnotes.xhtml`).
    ///
    /// ## Why is this bad?
    /// It is not a defect of the post: it means the post writes its notes in a way notelint
    /// does not read (a markup it does not know, numbers in brackets that are not notes at
    /// all). Reporting every unpaired number as an orphan would bury the editor in false
    /// errors; one remark says what was seen instead.
    ///
    /// ## Example
    /// ```text
    /// The array holds a[0], a[1] and a[2]; see [4] and [5].
    /// ```
    /// "5 bracketed numbers, no notes list found".
    ///
    /// ## Use instead
    /// Nothing to fix in the post. If its notes are real, write them in a form notelint reads
    /// (`[1] …` lines under a Notes heading, Markdown `[^1]:` definitions, HTML links to
    /// note ids), or tell us about the markup.
    pub struct NotesUnrecognized {
        id: "notes-unrecognized",
        severity: Info,
        summary: "a post whose markers and notes do not pair up enough to be checked",
    }
}

impl Rule for NotesUnrecognized {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let seen = cx.pairing;
        // A recognised post, or one with nothing worth a remark.
        if seen.recognised() || seen.quiet() {
            return;
        }
        // An endnotes file whose notes link back to markers in other files (an EPUB's
        // `endnotes.xhtml`), or are link targets (element ids) without a back-link: its
        // markers are elsewhere, as they should be.
        let elsewhere = cx
            .post
            .notes
            .iter()
            .filter(|n| n.id.is_some() || n.backlinks.iter().any(|b| b.target.contains('#')))
            .count();
        if seen.marker_labels == 0 && 2 * elsewhere >= seen.notes {
            return;
        }
        let post = cx.post;
        let span = post
            .markers
            .first()
            .map(|m| m.span)
            .into_iter()
            .chain(post.notes.first().map(|n| n.label_span))
            .min_by_key(|s| s.start)
            .unwrap_or(post.span);
        out.push(
            Finding::new(span, format!("notes not recognised: {}", seen.describe(post)))
                .label("the note checks are skipped for this post")
                .help("nothing to fix if these are not notes; `notelint explain notes-unrecognized` lists the forms notelint reads"),
        );
    }
}

/// How a post's markers and notes pair up.
///
/// Two readings meet here. Bracketed numbers, superscripts and numbered lists are notes by a
/// guess, trusted only when enough of them pair (the counts below). GFM footnotes
/// (`[^label]` and `[^label]: text`) are notes by their syntax: renderers pair them exactly
/// by label, so a post that uses them is read by [`Pairing::syntax`] whatever the share of
/// pairs, unless something the syntax cannot see may hold the other half (see
/// [`gfm_trusted`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pairing {
    /// Distinct marker labels (case-insensitive, as GFM compares them).
    pub marker_labels: usize,
    pub notes: usize,
    /// Distinct marker labels that have a note.
    pub paired_labels: usize,
    /// Notes that a marker refers to.
    pub paired_notes: usize,
    /// The post's GFM footnotes pair by syntax, across the whole file, and what else it has
    /// (bracketed numbers, superscripts) is too little to call for the guess.
    pub syntax: bool,
    /// Every marker of the post is a GFM footnote reference (`[^label]`).
    pub all_footnote_markers: bool,
    /// Every note of the post is a GFM footnote definition (`[^label]:`).
    pub all_gfm_notes: bool,
}

/// The most posts a file may have for its GFM footnotes to be paired by syntax: labels are
/// global to a Markdown file, so a post's markers are looked up among every post's notes;
/// the bound keeps that linear in the file.
pub(crate) const MAX_SYNTAX_POSTS: usize = 16;

/// Whether `note` is written as a GFM footnote definition (`[^label]:`).
#[must_use]
pub fn is_gfm_note(source: &SourceFile, note: &Note) -> bool {
    source.slice(note.label_span).starts_with("[^")
}

/// Whether the GFM footnotes of `post` can be paired by their syntax: the file is not split
/// into more posts than [`MAX_SYNTAX_POSTS`], and the post does not include text from other
/// files, where its definitions or references may stand (mdBook `{{#include …}}`, Hugo
/// shortcodes `{{< … >}}` and `{{% … %}}`, Liquid `{% include … %}`), nor HTML that kramdown
/// reads as Markdown (`markdown="1"`). Reads the post's share
/// of the file (the first post from the start, each up to where the next one starts, the last
/// to the end), so that all posts together read the file once.
fn gfm_trusted(post: &Post, document: &Document, source: &SourceFile) -> bool {
    if document.posts.len() > MAX_SYNTAX_POSTS {
        return false;
    }
    let start = if post.index <= 1 { 0 } else { post.span.start };
    let end = document
        .posts
        .get(post.index)
        .map_or(source.text.len(), |next| next.span.start);
    let text = source.text.get(start..end.max(start)).unwrap_or("");
    // Includes and shortcodes all open with `{`: one pass finds each `{`, and only the text
    // after it is compared.
    let include = memchr::memchr_iter(b'{', text.as_bytes()).any(|at| {
        let after = &text[at..];
        [
            "{{#include",
            "{{<",
            "{{%",
            "{% include",
            "{%include",
            "{%- include",
        ]
        .iter()
        .any(|p| after.starts_with(p))
    });
    // kramdown reads the content of an HTML element marked `markdown="1"` as Markdown,
    // which notelint keeps raw.
    let kramdown = || {
        MARKDOWN_ATTRIBUTE.find_iter(text.as_bytes()).any(|at| {
            matches!(
                text.as_bytes().get(at + MARKDOWN_ATTRIBUTE.needle().len()),
                Some(b'"' | b'\'')
            )
        })
    };
    !(include || kramdown())
}

/// The attribute kramdown reads (see [`gfm_trusted`]), searched for with a finder built once.
static MARKDOWN_ATTRIBUTE: LazyLock<memchr::memmem::Finder<'static>> =
    LazyLock::new(|| memchr::memmem::Finder::new(" markdown="));

/// Counts of one set of markers against one set of notes: distinct marker labels, notes,
/// labels with a note, notes with a marker.
fn count<'a>(
    markers: impl Iterator<Item = &'a str> + Clone,
    notes: impl Iterator<Item = &'a str> + Clone,
) -> (usize, usize, usize, usize) {
    if let Some(counts) = count_numbers(markers.clone(), notes.clone()) {
        return counts;
    }
    let markers: HashSet<Cow<'a, str>> = markers.map(lower).collect();
    // Each note's label lower-cased once: counted against the markers, then kept.
    // Sized at once (growing a set hashes its keys again).
    let mut labels: HashSet<Cow<'a, str>> = HashSet::with_capacity(notes.size_hint().0);
    let (mut total, mut paired) = (0, 0);
    for n in notes {
        total += 1;
        let label = lower(n);
        if markers.contains(&label) {
            paired += 1;
        }
        labels.insert(label);
    }
    (
        markers.len(),
        total,
        markers.intersection(&labels).count(),
        paired,
    )
}

/// [`count`] when every label is a note number written with no leading zero (so that two
/// labels are the same text exactly when they are the same number) and no number is large for
/// how many labels there are: the labels are counted in two bit sets, with no hashing. `None`
/// when some label is not such a number. The bit sets hold at most `4 * labels + 64` bits, so
/// the count stays linear in the labels.
fn count_numbers<'a>(
    markers: impl Iterator<Item = &'a str>,
    notes: impl Iterator<Item = &'a str>,
) -> Option<(usize, usize, usize, usize)> {
    let limit = 4 * (markers.size_hint().1? + notes.size_hint().1?) + 64;
    let number = |label: &str| super::plain_number(label).filter(|&n| n < limit);
    let words = limit.div_ceil(64);
    let mut marked = vec![0u64; words];
    let mut marker_labels = 0;
    for m in markers {
        let n = number(m)?;
        let bit = 1u64 << (n % 64);
        marker_labels += usize::from(marked[n / 64] & bit == 0);
        marked[n / 64] |= bit;
    }
    let mut noted = vec![0u64; words];
    let (mut total, mut paired) = (0, 0);
    for note in notes {
        let n = number(note)?;
        let bit = 1u64 << (n % 64);
        total += 1;
        paired += usize::from(marked[n / 64] & bit != 0);
        noted[n / 64] |= bit;
    }
    let both = marked
        .iter()
        .zip(&noted)
        .map(|(m, n)| (m & n).count_ones() as usize)
        .sum();
    Some((marker_labels, total, both, paired))
}

impl Pairing {
    /// Counts the pairs of `post`, in time linear in its markers and notes.
    #[must_use]
    pub fn of(post: &Post, document: &Document, source: &SourceFile) -> Self {
        let (marker_labels, notes, paired_labels, paired_notes) = count(
            post.markers.iter().map(|m| m.label.as_str()),
            post.notes.iter().map(|n| n.label.as_str()),
        );
        let gfm_markers = post.markers.iter().any(|m| m.kind == MarkerKind::Footnote);
        let gfm_notes = post.notes.iter().any(|n| is_gfm_note(source, n));
        // What is left once the GFM footnotes are set apart, paired among itself: nothing,
        // notes written by hand that no bracketed number refers to (a `[^1]` does not reach
        // a `[1]` line), a couple of stray numbers (km², a[1]), or notes that pair by the
        // guess. Counted only for a post with GFM footnotes: without, no syntax pairs it.
        let syntax = (gfm_markers || gfm_notes)
            && {
                let guessed = Self::from_counts(count(
                    post.markers
                        .iter()
                        .filter(|m| m.kind != MarkerKind::Footnote)
                        .map(|m| m.label.as_str()),
                    post.notes
                        .iter()
                        .filter(|n| !is_gfm_note(source, n))
                        .map(|n| n.label.as_str()),
                ));
                guessed.marker_labels == 0 || guessed.quiet() || guessed.guessed()
            }
            && gfm_trusted(post, document, source);
        Self {
            marker_labels,
            notes,
            paired_labels,
            paired_notes,
            syntax,
            all_footnote_markers: post.markers.iter().all(|m| m.kind == MarkerKind::Footnote),
            all_gfm_notes: post.notes.iter().all(|n| is_gfm_note(source, n)),
        }
    }

    const fn from_counts(
        (marker_labels, notes, paired_labels, paired_notes): (usize, usize, usize, usize),
    ) -> Self {
        Self {
            marker_labels,
            notes,
            paired_labels,
            paired_notes,
            syntax: false,
            all_footnote_markers: false,
            all_gfm_notes: false,
        }
    }

    /// Whether the note rules may run: the post's notes are recognised by the guess or by
    /// the GFM syntax.
    #[must_use]
    pub const fn recognised(&self) -> bool {
        self.syntax || self.guessed()
    }

    /// Whether the markers and notes are recognised by the guess: nothing to pair, or most
    /// markers and most notes pair. When only [`Pairing::syntax`] holds, the rules that pair
    /// markers with notes read the GFM footnotes alone.
    #[must_use]
    pub const fn guessed(&self) -> bool {
        if self.marker_labels == 0 && self.notes == 0 {
            return true;
        }
        self.marker_labels > 0
            && self.notes > 0
            && 2 * self.paired_labels >= self.marker_labels
            && 2 * self.paired_notes >= self.notes
    }

    /// Whether every note of the post is sure to have a marker, by the counts alone: its
    /// label is among the post's marker labels, and when the post pairs by syntax every one of
    /// those is a `[^label]` (which the file's footnote references hold).
    #[must_use]
    pub const fn every_note_referred(&self) -> bool {
        self.paired_notes == self.notes && (!self.syntax || self.all_footnote_markers)
    }

    /// Whether every marker of the post is sure to have a note, by the counts alone: its label
    /// is among the post's note labels, and when the post pairs by syntax every one of those
    /// is a `[^label]:` (which the file's footnote definitions hold).
    #[must_use]
    pub const fn every_marker_defined(&self) -> bool {
        self.paired_labels == self.marker_labels && (!self.syntax || self.all_gfm_notes)
    }

    /// An unrecognised post not worth a remark: a couple of bracketed numbers and no notes.
    #[must_use]
    pub const fn quiet(&self) -> bool {
        self.notes == 0 && self.marker_labels <= 2
    }

    /// What was seen, in words: "42 bracketed numbers, no notes list found".
    fn describe(&self, post: &Post) -> String {
        let markers = describe_markers(post, self.marker_labels);
        match (self.marker_labels, self.notes) {
            (_, 0) => format!("{markers}, no notes list found"),
            (0, n) => format!("{}, but no markers in the text", plural(n, "note")),
            (_, n) => format!(
                "{markers} and {}, of which only {} pair",
                plural(n, "note"),
                self.paired_notes.min(self.paired_labels)
            ),
        }
    }
}

/// A note or marker label lower-cased, as labels compare; borrowed when it has no capital.
pub(crate) fn lower(label: &str) -> Cow<'_, str> {
    if label.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(label.to_ascii_lowercase())
    } else {
        Cow::Borrowed(label)
    }
}

/// The file's GFM footnote labels, gathered on first use and shared by every post and rule
/// of the file, so that each is gathered once per file rather than once per post. Labels are
/// borrowed from the document unless lower-casing changes them.
#[derive(Debug, Default)]
pub struct FileLabels<'a> {
    notes: OnceCell<HashSet<Cow<'a, str>>>,
    markers: OnceCell<HashSet<Cow<'a, str>>>,
}

impl<'a> FileLabels<'a> {
    /// See [`gfm_note_labels`].
    pub(crate) fn notes(
        &self,
        document: &'a Document,
        source: &SourceFile,
    ) -> &HashSet<Cow<'a, str>> {
        self.notes.get_or_init(|| gfm_note_labels(document, source))
    }

    /// See [`gfm_marker_labels`].
    pub(crate) fn markers(&self, document: &'a Document) -> &HashSet<Cow<'a, str>> {
        self.markers.get_or_init(|| gfm_marker_labels(document))
    }
}

/// The lower-cased labels of the file's GFM footnote definitions: what a `[^label]` of a post
/// paired by syntax may refer to. Only called for such posts, of which a file has at most
/// [`MAX_SYNTAX_POSTS`], so that the rules stay linear in the file.
pub(crate) fn gfm_note_labels<'a>(
    document: &'a Document,
    source: &SourceFile,
) -> HashSet<Cow<'a, str>> {
    document
        .posts
        .iter()
        .flat_map(|p| &p.notes)
        .filter(|n| is_gfm_note(source, n))
        .map(|n| lower(&n.label))
        .collect()
}

/// The lower-cased labels of the file's GFM footnote references (`[^label]`), which a
/// definition of a post paired by syntax needs one of. Bounded as [`gfm_note_labels`].
pub(crate) fn gfm_marker_labels(document: &Document) -> HashSet<Cow<'_, str>> {
    document
        .posts
        .iter()
        .flat_map(|p| &p.markers)
        .filter(|m| m.kind == MarkerKind::Footnote)
        .map(|m| lower(&m.label))
        .collect()
}

/// "42 bracketed numbers", "3 footnote references", "5 markers".
fn describe_markers(post: &Post, n: usize) -> String {
    let kind = post.markers.first().map(|m| m.kind);
    let same = post.markers.iter().all(|m| Some(m.kind) == kind);
    let word = match kind {
        Some(MarkerKind::Bracket) if same => "bracketed number",
        Some(MarkerKind::Superscript) if same => "superscript number",
        Some(MarkerKind::Footnote) if same => "footnote reference",
        Some(MarkerKind::Anchor) if same => "note link",
        _ => "marker",
    };
    plural(n, word)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{check_html, check_markdown, check_text};
    use super::*;

    #[test]
    fn numbered_labels_count_as_the_hashed_count_does() {
        let hashed = |m: &[&'static str], n: &[&'static str]| {
            // A label that is no number sends `count` to the hash sets.
            let m: Vec<&str> = m.iter().copied().chain(["x"]).collect();
            let n: Vec<&str> = n.iter().copied().chain(["y"]).collect();
            let (ml, nt, pl, pn) = count(m.iter().copied(), n.iter().copied());
            (ml - 1, nt - 1, pl, pn)
        };
        let cases: [(&[&str], &[&str]); 5] = [
            (&["1", "2", "2", "3"], &["1", "2", "4", "4"]),
            (&[], &["1"]),
            (&["0", "10", "01"], &["1", "10", "0"]),
            (&["70", "130"], &["130", "5"]),
            (&["999999999"], &["999999999"]),
        ];
        for (m, n) in cases {
            let numbers = count(m.iter().copied(), n.iter().copied());
            assert_eq!(numbers, hashed(m, n), "{m:?} {n:?}");
        }
        assert_eq!(
            count_numbers(["1", "2", "2"].into_iter(), ["2", "3"].into_iter()),
            Some((2, 2, 1, 1))
        );
        assert_eq!(count_numbers(["01"].into_iter(), ["1"].into_iter()), None);
        assert_eq!(count_numbers(["500"].into_iter(), ["1"].into_iter()), None);
    }

    fn rendered(text: &str) -> Vec<String> {
        check_text(&NotesUnrecognized, text)
    }

    #[test]
    fn stray_numbers_without_notes_are_reported_once() {
        let text = "Array a[0], a[1], a[2] and [4], then [5].\n";
        let found = rendered(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].contains("bracketed numbers, no notes list found"),
            "{found:?}"
        );
    }

    #[test]
    fn an_endnotes_page_whose_notes_are_link_targets_says_nothing() {
        // EPUB endnotes without back-links: the chapters link to the notes' ids.
        let page = "<section epub:type=\"endnotes\"><ol>\n\
                    <li id=\"note-1\" epub:type=\"endnote\"><p>First.</p></li>\n\
                    <li id=\"note-2\" epub:type=\"endnote\"><p>Second.</p></li>\n\
                    </ol></section>\n";
        assert!(check_html(&NotesUnrecognized, page).is_empty());
        // Notes without ids or markers, in plain text, still get the remark.
        assert_eq!(rendered("Notes\n\n[1] First.\n[2] Second.\n").len(), 1);
    }

    #[test]
    fn a_couple_of_numbers_and_no_notes_say_nothing() {
        assert!(rendered("Released in [2019] and [2020].\n").is_empty());
    }

    #[test]
    fn a_post_whose_markers_and_notes_pair_is_recognised() {
        let text = "One.[1] Two.[2] Three.[3]\n\n[1] A.\n[2] B.\n[4] D.\n";
        assert!(rendered(text).is_empty());
    }

    #[test]
    fn half_paired_is_the_threshold() {
        // Two of four marker labels have notes, and two of three notes have markers.
        let text = "A.[1] B.[2] C.[5] D.[6]\n\n[1] A.\n[2] B.\n[3] C.\n";
        assert!(rendered(text).is_empty());
        // One of four.
        let text = "A.[1] B.[7] C.[5] D.[6]\n\n[1] A.\n[2] B.\n[3] C.\n";
        let found = rendered(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("4 bracketed numbers and 3 notes, of which only 1 pair"));
    }

    fn pairing(text: &str) -> Pairing {
        let source = SourceFile::new("t.md", text);
        let document = crate::analyse::parse(&source, crate::parse::Format::Markdown);
        Pairing::of(&document.posts[0], &document, &source)
    }

    #[test]
    fn gfm_footnotes_are_recognised_by_their_syntax() {
        // Two references and six definitions, four of them unused: too few pairs for the
        // guess, but GFM pairs them by label, so the unused ones are orphans to report.
        let text = "A.[^a] B.[^b]\n\n[^a]: A.\n[^b]: B.\n[^c]: C.\n[^d]: D.\n[^e]: E.\n[^f]: F.\n";
        let seen = pairing(text);
        assert!(
            !seen.guessed() && seen.syntax && seen.recognised(),
            "{seen:?}"
        );
        assert!(check_markdown(&NotesUnrecognized, text).is_empty());
        // A reference and no definition at all.
        assert!(pairing("Claim.[^1]\n").syntax);
    }

    #[test]
    fn stray_numbers_beside_gfm_footnotes_leave_the_syntax_reading() {
        // Units (km²) are a couple of stray numbers; five bracketed numbers with no notes
        // of their own call for the guess.
        assert!(pairing("Area 3 km² and 4 m².[^a]\n\n[^a]: A.\n[^b]: B.\n[^c]: C.\n").syntax);
        let text = "a[1] a[2] a[3] a[4] a[5].[^a]\n\n[^a]: A.\n[^b]: B.\n[^c]: C.\n";
        assert!(!pairing(text).syntax);
    }

    #[test]
    fn included_text_may_hold_the_other_half() {
        for include in [
            "{{#include notes.md}}",
            "{{< footnotes >}}",
            "{{% notes %}}",
            "{% include notes.md %}",
            "<div markdown=\"1\">\n\n[^1]: Inside.\n\n</div>",
        ] {
            let text = format!("Claim.[^1]\n\n{include}\n");
            assert!(!pairing(&text).syntax, "{include}");
        }
    }
}
