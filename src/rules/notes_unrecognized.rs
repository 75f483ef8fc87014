use std::collections::HashSet;

use super::{declare_rule, Context, Rule, RuleInfo};
use crate::diagnostic::{plural, Finding};
use crate::model::{MarkerKind, Post};

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
    /// A post with no markers and no notes has nothing to check; one with at most two
    /// bracketed numbers and no notes (an array index, a year) is skipped without a word, and
    /// so is an endnotes file whose notes link back to markers in other files (an EPUB's
    /// `endnotes.xhtml`).
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
        // `endnotes.xhtml`): its markers are elsewhere, as they should be.
        let elsewhere = cx
            .post
            .notes
            .iter()
            .filter(|n| n.backlinks.iter().any(|b| b.target.contains('#')))
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pairing {
    /// Distinct marker labels (case-insensitive, as GFM compares them).
    pub marker_labels: usize,
    pub notes: usize,
    /// Distinct marker labels that have a note.
    pub paired_labels: usize,
    /// Notes that a marker refers to.
    pub paired_notes: usize,
}

impl Pairing {
    /// Counts the pairs of `post`, in time linear in its markers and notes.
    #[must_use]
    pub fn of(post: &Post) -> Self {
        let markers: HashSet<String> = post
            .markers
            .iter()
            .map(|m| m.label.to_ascii_lowercase())
            .collect();
        let notes: HashSet<String> = post
            .notes
            .iter()
            .map(|n| n.label.to_ascii_lowercase())
            .collect();
        Self {
            marker_labels: markers.len(),
            notes: post.notes.len(),
            paired_labels: markers.intersection(&notes).count(),
            paired_notes: post
                .notes
                .iter()
                .filter(|n| markers.contains(&n.label.to_ascii_lowercase()))
                .count(),
        }
    }

    /// Whether the note rules may run: nothing to pair, or most markers and most notes pair.
    #[must_use]
    pub const fn recognised(&self) -> bool {
        if self.marker_labels == 0 && self.notes == 0 {
            return true;
        }
        self.marker_labels > 0
            && self.notes > 0
            && 2 * self.paired_labels >= self.marker_labels
            && 2 * self.paired_notes >= self.notes
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
    use super::super::test_support::check_text;
    use super::*;

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
}
