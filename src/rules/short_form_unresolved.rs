use super::{declare_rule, Context, Rule, RuleInfo};
use crate::cite::match_words;
use crate::diagnostic::Finding;
use crate::model::{CitationKind, Resolution};

declare_rule! {
    /// ## What it does
    /// Flags a short form (`Moe, “Cranes,” 4.`, `“Seeking Shells…”`, `Moe, 8.`) that matches no
    /// earlier full citation in the post, nor an entry of the post's bibliography.
    ///
    /// ## Why is this bad?
    /// A short form abbreviates a citation the reader has already seen in full. When none
    /// came before, the full citation was deleted, moved below, or the short form names the
    /// work differently, and the reader cannot find the source.
    ///
    /// ## Example
    /// ```text
    /// [1] Moe, “Harbour Cranes,” 4.
    /// ```
    ///
    /// ## Use instead
    /// ```text
    /// [1] Ana Moe, “Harbour Cranes,” Port Review, May 6, 2021, 4.
    /// ```
    pub struct ShortFormUnresolved {
        id: "short-form-unresolved",
        severity: Warning,
        summary: "a short form that matches no earlier full citation in the post",
        reads_notes: true,
    }
}

impl Rule for ShortFormUnresolved {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let unmatched = |c: &crate::model::Citation| {
            c.kind == CitationKind::Short && c.resolution == Resolution::Unmatched
        };
        if !cx
            .post
            .notes
            .iter()
            .any(|n| n.citations.iter().any(unmatched))
        {
            return; // every short form found its full citation
        }
        let entries: Vec<Vec<String>> = cx
            .post
            .bibliography
            .iter()
            .map(|e| match_words(&e.text.text))
            .collect();
        for note in &cx.post.notes {
            for c in &note.citations {
                if c.kind != CitationKind::Short || c.resolution != Resolution::Unmatched {
                    continue;
                }
                // With a bibliography, Chicago style allows short forms from the first note on.
                let words = match_words(&c.text);
                let in_bibliography = entries.iter().any(|e| {
                    let hits = words.iter().filter(|w| e.contains(w)).count();
                    !words.is_empty() && hits * 5 >= words.len() * 4
                });
                if in_bibliography {
                    continue;
                }
                out.push(
                    Finding::new(
                        c.span,
                        format!(
                            "short form in note {} matches no earlier full citation in this post",
                            note.label
                        ),
                    )
                    .label("abbreviates what?")
                    .help("give the source in full where it is first cited")
                    .note(note.label.clone()),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ShortFormUnresolved;
    use crate::rules::test_support::check_text;

    #[test]
    fn flags_a_short_form_without_its_full_citation() {
        let text = "A.[1] B.[2] C.[3]\n\n[1] Ana Moe, “Harbour Cranes,” Port Review, May 6, 2021.\n[2] Moe, “Harbour Cranes,” 4.\n[3] Lee, “Gulls of the Sound,” 8.\n";
        assert_eq!(
            check_text(&ShortFormUnresolved, text),
            vec!["5:5 short form in note 3 matches no earlier full citation in this post"]
        );
    }

    #[test]
    fn a_bibliography_entry_resolves_it() {
        let text = "A.[1]\n\nBibliography\nLee, Bo. “Gulls of the Sound.” Tern Press, 2019.\n\n[1] Lee, “Gulls of the Sound,” 8.\n";
        assert!(check_text(&ShortFormUnresolved, text).is_empty());
    }
}
