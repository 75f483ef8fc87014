use super::{declare_rule, Context, Rule, RuleInfo};
use crate::cite::{note_label, source_label};
use crate::diagnostic::Finding;
use crate::model::{CitationKind, Resolution};

declare_rule! {
    /// ## What it does
    /// Flags an "Ibid." whose previous note cites more than one source.
    ///
    /// ## Why is this bad?
    /// "Ibid." stands for a single source. After a note citing several, the reader has to
    /// guess which one is meant, and editors moving notes cannot check the chain.
    ///
    /// ## Example
    /// ```text
    /// [4] Moe, “Cranes,” 3; Lee, “Gulls,” 9.
    /// [5] Ibid., 12.
    /// ```
    ///
    /// ## Use instead
    /// ```text
    /// [4] Moe, “Cranes,” 3; Lee, “Gulls,” 9.
    /// [5] Lee, “Gulls,” 12.
    /// ```
    pub struct IbidAmbiguous {
        id: "ibid-ambiguous",
        severity: Warning,
        summary: "an \"Ibid.\" after a note that cites more than one source",
        reads_notes: true,
    }
}

impl Rule for IbidAmbiguous {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for note in &cx.post.notes {
            for c in &note.citations {
                let Resolution::PreviousNote {
                    note: prev,
                    sources,
                } = c.resolution
                else {
                    continue;
                };
                if c.kind != CitationKind::Ibid || sources < 2 {
                    continue;
                }
                let Some(previous) = cx.post.notes.get(prev) else {
                    continue;
                };
                let mut named: Vec<usize> = Vec::new();
                for s in previous
                    .citations
                    .iter()
                    .filter(|c| !crate::cite::is_explanatory(c))
                    .filter_map(|c| c.source)
                {
                    if !named.contains(&s) {
                        named.push(s);
                    }
                }
                let names: Vec<String> = named
                    .iter()
                    .filter_map(|&s| cx.post.sources.get(s))
                    .map(source_label)
                    .collect();
                out.push(
                    Finding::new(
                        c.span,
                        format!(
                            "“{}” in note {} is ambiguous: note {} cites {sources} sources ({})",
                            ibid_word(&c.text),
                            note.label,
                            note_label(cx.post, prev),
                            names.join("; ")
                        ),
                    )
                    .label("which source?")
                    .help(format!(
                        "replace “{}” with the short form of the source meant",
                        ibid_word(&c.text)
                    ))
                    .note(note.label.clone()),
                );
            }
        }
    }
}

/// The word as the note writes it, for messages: `Id.` in Bluebook notes, else `Ibid.`.
fn ibid_word(text: &str) -> &'static str {
    let id = text
        .trim_start()
        .as_bytes()
        .get(..2)
        .is_some_and(|w| w.eq_ignore_ascii_case(b"id"));
    if id {
        "Id."
    } else {
        "Ibid."
    }
}

#[cfg(test)]
mod tests {
    use super::IbidAmbiguous;
    use crate::rules::test_support::check_text;

    #[test]
    fn ibid_after_two_sources() {
        let text = "A.[1] B.[2] C.[3]\n\n[1] Ana Moe, “Cranes,” Port Review, 2021; Bo Lee, “Gulls,” Tern Press, 2019.\n[2] Ibid., 12.\n[3] Ibid.\n";
        assert_eq!(
            check_text(&IbidAmbiguous, text),
            vec!["4:5 “Ibid.” in note 2 is ambiguous: note 1 cites 2 sources (Moe, “Cranes”; Lee, “Gulls”)"]
        );
    }

    #[test]
    fn id_after_an_id_see_note_names_id() {
        let text = "A.[1] B.[2] C.[3]\n\n[1] Ana Moe, Harbour Law, 12 Port L. Rev. 40, 44 (2001).\n[2] Id. See Bo Lee, Gull Law, 9 Tern L.J. 7, 8 (1999).\n[3] Id. at 9.\n";
        assert_eq!(
            check_text(&IbidAmbiguous, text),
            vec!["5:5 “Id.” in note 3 is ambiguous: note 2 cites 2 sources (Moe, “Harbour Law”; Lee, “Gull Law”)"]
        );
    }

    #[test]
    fn the_authority_an_id_source_cites_is_not_a_second_source() {
        let text = "A.[1] B.[2] C.[3]\n\n[1] Ana Moe, Harbour Law, 12 Port L. Rev. 40, 44 (2001).\n[2] Id., citing Bo Lee, Gull Law, 9 Tern L.J. 7, 8 (1999).\n[3] Id. at 45.\n";
        assert!(check_text(&IbidAmbiguous, text).is_empty());
    }
}
