use super::{declare_rule, Context, Rule, RuleInfo};
use crate::diagnostic::Finding;
use crate::normalize;

declare_rule! {
    /// ## What it does
    /// Flags a note that has a number but no text.
    ///
    /// ## Why is this bad?
    /// The marker promises a source and the note delivers none. Empty notes are placeholders
    /// left in a draft, or text lost when a page was copied.
    ///
    /// ## Example
    /// ```text
    /// [1] Hawk, The Hidden Gulag, 2012.
    /// [2]
    /// ```
    ///
    /// ## Use instead
    /// Write the citation, or remove the note and its marker.
    pub struct EmptyNote {
        id: "empty-note",
        severity: Error,
        summary: "a note with no text",
        reads_notes: true,
    }
}

impl Rule for EmptyNote {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for note in &cx.post.notes {
            // A note opening with a printable ASCII character is not empty: no trimming.
            let text = &note.text.text;
            if text.as_bytes().first().is_some_and(u8::is_ascii_graphic)
                || !normalize::trim(text).is_empty()
            {
                continue;
            }
            out.push(
                Finding::new(note.label_span, format!("note {} is empty", note.label))
                    .label("no text")
                    .help("write the citation, or remove the note and its marker")
                    .note(note.label.clone()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::EmptyNote;
    use crate::rules::test_support::check_text;

    #[test]
    fn flags_empty_notes() {
        let text = "A.[1][2]\n\n[1]\u{a0}\n[2] Two.\n";
        assert_eq!(check_text(&EmptyNote, text), vec!["3:1 note 1 is empty"]);
    }

    #[test]
    fn passes_notes_with_text() {
        assert!(check_text(&EmptyNote, "A.[1]\n\n[1] One.\n").is_empty());
    }
}
