use super::{declare_rule, Context, Rule, RuleInfo};
use crate::cite::note_label;
use crate::diagnostic::Finding;
use crate::model::{CitationKind, Resolution};

declare_rule! {
    /// ## What it does
    /// Flags an "Ibid." with nothing to refer to: in the first note of a post, or right after
    /// a note that cites no source (commentary only, or empty).
    ///
    /// ## Why is this bad?
    /// "Ibid." means "the source of the previous note". Without one, the reader cannot tell
    /// what is cited; usually the note that held the source was deleted or moved away.
    ///
    /// ## Example
    /// ```text
    /// [1] Ibid., 4.
    /// ```
    ///
    /// ## Use instead
    /// ```text
    /// [1] Ana Moe, “Harbour Cranes,” Port Review, May 6, 2021, 4.
    /// ```
    pub struct IbidNoAntecedent {
        id: "ibid-no-antecedent",
        severity: Error,
        summary: "an \"Ibid.\" in the first note, or after a note that cites nothing",
        reads_notes: true,
    }
}

impl Rule for IbidNoAntecedent {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (ni, note) in cx.post.notes.iter().enumerate() {
            for c in &note.citations {
                if c.kind != CitationKind::Ibid || c.resolution != Resolution::NoAntecedent {
                    continue;
                }
                let message = match ni.checked_sub(1) {
                    None => format!(
                        "“Ibid.” in note {}, the first note of the post, has no source to refer to",
                        note.label
                    ),
                    // A note with numbers, a link or a title in it may well cite something in
                    // a style not read here (a legal citation: `13 Harv. J.L. 521`).
                    Some(prev) if might_cite(&cx.post.notes[prev].text.text) => continue,
                    // An Ibid. after an Ibid.: the first of the chain carries the finding.
                    Some(prev)
                        if cx.post.notes[prev]
                            .citations
                            .iter()
                            .any(|c| c.kind == CitationKind::Ibid) =>
                    {
                        continue
                    }
                    Some(prev) => format!(
                        "“Ibid.” in note {} follows note {}, which cites no source",
                        note.label,
                        note_label(cx.post, prev)
                    ),
                };
                out.push(
                    Finding::new(c.span, message)
                        .label("refers to nothing")
                        .help("cite the source in full, or by its short form if cited earlier")
                        .note(note.label.clone()),
                );
            }
        }
    }
}

/// Whether a note's text may hold a citation notelint did not read: a number other than a
/// year (a volume, a page), a link, or a quoted or emphasised title.
fn might_cite(text: &str) -> bool {
    // A year alone (`before 1960`) is commentary's too; a volume or page is not.
    let not_a_year = |d: &str| !(d.len() == 4 && matches!(d.as_bytes()[0], b'1' | b'2'));
    text.split(|c: char| !c.is_ascii_digit())
        .any(|d| !d.is_empty() && not_a_year(d))
        || text.contains("://")
        || text.contains(['“', '"', '*', '_', '‘'])
}

#[cfg(test)]
mod tests {
    use super::IbidNoAntecedent;
    use crate::rules::test_support::check_text;

    #[test]
    fn first_note_and_after_commentary() {
        let text = "A.[1] B.[2] C.[3]\n\n[1] Ibid.\n[2] The harbour records were moved twice before the war.\n[3] Ibid., 4.\n";
        assert_eq!(
            check_text(&IbidNoAntecedent, text),
            vec![
                "3:5 “Ibid.” in note 1, the first note of the post, has no source to refer to",
                "5:5 “Ibid.” in note 3 follows note 2, which cites no source",
            ]
        );
    }

    #[test]
    fn chained_and_inner_ibids_pass() {
        let text = "A.[1] B.[2]\n\n[1] Ana Moe, “Cranes,” Port Review, 2021, p. 3; see also Ibid, p. 9.\n[2] Ibid.\n";
        assert!(check_text(&IbidNoAntecedent, text).is_empty());
    }

    #[test]
    fn an_unread_legal_citation_before_id_is_given_the_benefit_of_the_doubt() {
        let text = "A.[1] B.[2]\n\n[1] Smith, 13 Harv. J.L. & Tech. 521 (2000).\n[2] Id. at 524.\n";
        assert!(check_text(&IbidNoAntecedent, text).is_empty());
    }

    #[test]
    fn a_chain_of_ids_is_reported_once_at_its_start() {
        let text = "A.[1] B.[2] C.[3]\n\n[1] The records were lost.\n[2] Id.\n[3] Id.\n";
        assert_eq!(
            check_text(&IbidNoAntecedent, text),
            vec!["4:5 “Ibid.” in note 2 follows note 1, which cites no source"]
        );
    }
}
