use super::{bibliography_reads_as_citations, declare_rule, Context, Rule, RuleInfo};
use crate::cite::source_label;
use crate::diagnostic::Finding;
use crate::model::CitationKind;

declare_rule! {
    /// ## What it does
    /// In a post that has a bibliography, flags a source cited in full in the notes that has
    /// no bibliography entry: none with the same URL, a similar title, the same document
    /// symbol, or the same first author and year.
    ///
    /// ## Why is this bad?
    /// Readers use the bibliography to see every work a post relies on. A source added to the
    /// notes but never to the bibliography is missing from that list; often the entry was
    /// forgotten when the note was written.
    ///
    /// ## Example
    /// ```text
    /// Bibliography
    /// Moe, Ana. “Harbour Cranes.” Port Review, May 6, 2021.
    ///
    /// [1] Ana Moe, “Harbour Cranes,” Port Review, May 6, 2021.
    /// [2] Sofia Lund, “Electric City,” Ljus, 2009.
    /// ```
    ///
    /// ## Use instead
    /// ```text
    /// Bibliography
    /// Lund, Sofia. “Electric City.” Ljus, 2009.
    /// Moe, Ana. “Harbour Cranes.” Port Review, May 6, 2021.
    /// ```
    pub struct MissingFromBibliography {
        id: "missing-from-bibliography",
        severity: Warning,
        summary: "a source cited in the notes that has no bibliography entry",
        reads_notes: true,
    }
}

impl Rule for MissingFromBibliography {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let post = cx.post;
        // Without a bibliography there is nothing to be missing from.
        if post.bibliography.is_empty() {
            return;
        }
        // A list of links or contents under a `References` heading is no bibliography.
        if !bibliography_reads_as_citations(post) {
            return;
        }
        for (si, source) in post.sources.iter().enumerate() {
            // A source known only from a short form is short-form-unresolved's to report.
            if !source.full || source.entry.is_some() {
                continue;
            }
            let Some(note) = post.notes.get(source.note) else {
                continue;
            };
            let Some(citation) = note
                .citations
                .iter()
                .find(|c| c.source == Some(si) && c.kind == CitationKind::Full)
            else {
                continue;
            };
            out.push(
                Finding::new(
                    citation.span,
                    format!(
                        "note {} cites {} but the bibliography has no entry for it",
                        note.label,
                        source_label(source)
                    ),
                )
                .label("not in the bibliography")
                .help("add an entry for this source to the bibliography, or make the entry's title or URL match the note")
                .note(note.label.clone()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::MissingFromBibliography;
    use crate::rules::test_support::check_text;

    #[test]
    fn flags_a_full_citation_without_an_entry() {
        let text = "A.[1] B.[2]\n\nBibliography\nMoe, Ana. “Harbour Cranes.” Port Review, May 6, 2021.\n\n[1] Ana Moe, “Harbour Cranes,” Port Review, May 6, 2021.\n[2] Sofia Lund, “Electric City,” Ljus, 2009.\n";
        assert_eq!(
            check_text(&MissingFromBibliography, text),
            vec!["7:5 note 2 cites Lund, “Electric City” but the bibliography has no entry for it"]
        );
    }

    #[test]
    fn quiet_without_a_bibliography() {
        let text = "A.[1]\n\n[1] Sofia Lund, “Electric City,” Ljus, 2009.\n";
        assert!(check_text(&MissingFromBibliography, text).is_empty());
    }
}
