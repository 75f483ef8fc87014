use super::notes_unrecognized::{is_gfm_note, lower};
use super::{declare_rule, Context, Rule, RuleInfo};
use crate::diagnostic::Finding;

declare_rule! {
    /// ## What it does
    /// Flags a note that no marker in the post's text refers to.
    ///
    /// ## Why is this bad?
    /// A note nobody can reach is either a leftover from a cut paragraph, or the sign that a
    /// marker was lost (often a superscript pasted as a plain digit). Either way the reader
    /// cannot tell which claim it supports. (A post with notes but no markers at all is not
    /// read as notes: `notes-unrecognized` says so once.)
    ///
    /// ## Example
    /// ```text
    /// The camps held thousands.[1]
    ///
    /// [1] Hawk, The Hidden Gulag, 2012.
    /// [2] Kim, “Escape Routes,” 2020.
    /// ```
    ///
    /// ## Use instead
    /// Cite the note where it belongs (`Few escaped.[2]`), or delete it.
    pub struct OrphanNote {
        id: "orphan-note",
        severity: Error,
        summary: "a note that no marker in the post refers to",
        reads_notes: true,
    }
}

impl Rule for OrphanNote {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let post = cx.post;
        // Most posts: every note's label is a marker's (see `Pairing::every_note_referred`).
        if cx.pairing.every_note_referred() {
            return;
        }
        // Labels compare case-insensitively: a set of the lower-cased marker labels keeps the
        // check linear in notes plus markers.
        // Built on first use: a post whose notes all pair by GFM syntax needs none.
        let mut cited: Option<foldhash::HashSet<std::borrow::Cow<'_, str>>> = None;
        // A `[^label]:` is referred to by a `[^label]` anywhere in the file, whatever else
        // the post holds; other notes pair with the post's markers, and only when the guess
        // recognised them.
        let referred = cx.pairing.syntax.then(|| cx.labels.markers(cx.document));
        let guessed = cx.pairing.guessed();
        for note in &post.notes {
            let label = lower(&note.label);
            let label = label.as_ref();
            let paired = match referred {
                Some(referred) if is_gfm_note(cx.source, note) => referred.contains(label),
                _ => {
                    !guessed
                        || cited
                            .get_or_insert_with(|| {
                                post.markers.iter().map(|m| lower(&m.label)).collect()
                            })
                            .contains(label)
                }
            };
            if paired {
                continue;
            }
            out.push(
                Finding::new(
                    note.label_span,
                    format!("note {} is not referred to by any marker", note.label),
                )
                .label("unused note")
                .help(format!(
                    "add a marker [{}] where the note belongs, or delete the note",
                    note.label
                ))
                .note(note.label.clone()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::OrphanNote;
    use crate::rules::test_support::{check_markdown, check_text};

    #[test]
    fn flags_unreferenced_notes() {
        let found = check_text(&OrphanNote, "A.[1]\n\n[1] One.\n[2] Two.\n");
        assert_eq!(found, vec!["4:1 note 2 is not referred to by any marker"]);
    }

    #[test]
    fn passes_when_every_note_is_cited() {
        assert!(check_text(&OrphanNote, "A.[1] B.[2]\n\n[1] One.\n[2] Two.\n").is_empty());
    }

    #[test]
    fn unused_gfm_definitions_among_paired_ones() {
        let text = "A.[^a]\n\n[^a]: A.\n[^b]: B.\n[^c]: C.\n";
        let found = check_markdown(&OrphanNote, text);
        assert_eq!(
            found,
            vec![
                "4:1 note b is not referred to by any marker",
                "5:1 note c is not referred to by any marker"
            ]
        );
    }

    #[test]
    fn a_superscript_unit_does_not_refer_to_a_gfm_definition() {
        let text = "Cost $3/month² here.[^a]\n\n[^a]: A.\n\n[^2]: Two.\n";
        let found = check_markdown(&OrphanNote, text);
        assert_eq!(found, vec!["5:1 note 2 is not referred to by any marker"]);
    }
}
