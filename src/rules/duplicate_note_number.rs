use super::notes_unrecognized::{is_gfm_note, lower};
use super::{declare_rule, Context, Rule, RuleInfo};
use crate::diagnostic::Finding;

declare_rule! {
    /// ## What it does
    /// Flags a note whose number (or label) is already taken by an earlier note in the post.
    ///
    /// ## Why is this bad?
    /// A marker can lead to only one note; the reader lands on the first and never sees the
    /// second. Duplicates usually come from merging drafts or pasting a note twice.
    ///
    /// ## Example
    /// ```text
    /// [3] Hawk, The Hidden Gulag, 2012.
    /// [3] Kim, “Escape Routes,” 2020.
    /// ```
    ///
    /// ## Use instead
    /// Renumber the notes so that each number is used once, and fix the markers to match.
    pub struct DuplicateNoteNumber {
        id: "duplicate-note-number",
        severity: Error,
        summary: "two notes with the same number in one post",
        reads_notes: true,
    }
}

impl Rule for DuplicateNoteNumber {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let notes = &cx.post.notes;
        // The first note of each lower-cased label: one look-up per note, not a scan of all
        // earlier notes (quadratic on long notes lists).
        // A Markdown `[^1]:` and a hand-written `[1]` are two notations, not one number twice.
        let mut first_of = [
            super::FirstByLabel::with_labels(notes.len()),
            super::FirstByLabel::with_labels(notes.len()),
        ];
        for (i, note) in notes.iter().enumerate() {
            let gfm = usize::from(is_gfm_note(cx.source, note));
            let first = first_of[gfm].first_or_insert(lower(&note.label), i);
            if first == i {
                continue;
            }
            let first = &notes[first];
            let line = cx.source.line_of(first.span.start);
            out.push(
                Finding::new(
                    note.label_span,
                    format!("note {} is already defined on line {line}", note.label),
                )
                .label("duplicate")
                .help("renumber the notes so that each number is used once")
                .note(note.label.clone()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::DuplicateNoteNumber;
    use crate::rules::test_support::{check_markdown, check_text};

    #[test]
    fn flags_the_second_note() {
        let found = check_text(
            &DuplicateNoteNumber,
            "A.[1] B.[2]\n\n[1] One.\n[2] Two.\n[2] Deux.\n",
        );
        assert_eq!(found, vec!["5:1 note 2 is already defined on line 4"]);
    }

    #[test]
    fn a_markdown_label_and_a_written_number_are_two_notes() {
        let text = "A.[1] B.[^1]\n\n[1]- One.\n\n[^1]: Footnote one.\n";
        assert!(check_markdown(&DuplicateNoteNumber, text).is_empty());
    }

    #[test]
    fn passes_distinct_numbers() {
        assert!(check_text(&DuplicateNoteNumber, "A.[1] B.[2]\n\n[1] One.\n[2] Two.\n").is_empty());
    }
}
