use super::{bibliography_reads_as_citations, declare_rule, Context, Rule, RuleInfo};
use foldhash::{HashMap, HashMapExt};

use crate::cite::short_label;
use crate::diagnostic::Finding;
use crate::identity::{url_key, UrlKey};
use crate::model::CitationKind;

declare_rule! {
    /// ## What it does
    /// Flags a bibliography entry that no note of its post cites. A post with a bibliography
    /// but no notes keeps a reading list and is left alone.
    ///
    /// ## Why is this bad?
    /// An entry nobody cites is usually left over from a note that was cut, or it names its
    /// work so differently from the note that readers cannot tell the two are one source.
    ///
    /// ## Example
    /// ```text
    /// Bibliography
    /// Lund, Sofia. “Electric City.” Ljus, 2009.
    /// Moe, Ana. “Harbour Cranes.” Port Review, May 6, 2021.
    ///
    /// [1] Ana Moe, “Harbour Cranes,” Port Review, May 6, 2021.
    /// ```
    ///
    /// ## Use instead
    /// ```text
    /// Bibliography
    /// Moe, Ana. “Harbour Cranes.” Port Review, May 6, 2021.
    ///
    /// [1] Ana Moe, “Harbour Cranes,” Port Review, May 6, 2021.
    /// ```
    pub struct UncitedBibliographyEntry {
        id: "uncited-bibliography-entry",
        severity: Warning,
        summary: "a bibliography entry that no note cites",
        reads_notes: true,
    }
}

impl Rule for UncitedBibliographyEntry {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let post = cx.post;
        // A post without notes keeps a reading list, not a bibliography of its notes.
        if post.bibliography.is_empty() || post.notes.is_empty() {
            return;
        }
        // A list of links or contents under a `References` heading.
        if !bibliography_reads_as_citations(post) {
            return;
        }
        let mut cited = vec![false; post.bibliography.len()];
        for m in post.sources.iter().filter_map(|s| s.entry) {
            if let Some(c) = cited.get_mut(m.entry) {
                *c = true;
            }
        }
        // A full citation giving an entry's URL cites it, even when the citation was taken for
        // an earlier work of the same title (two years of one annual report).
        let mut by_url: HashMap<UrlKey, Vec<usize>> = HashMap::new();
        for (i, entry) in post.bibliography.iter().enumerate() {
            for key in entry.fields.urls.iter().filter_map(|u| url_key(u)) {
                by_url.entry(key).or_default().push(i);
            }
        }
        let full = post
            .notes
            .iter()
            .flat_map(|n| &n.citations)
            .filter(|c| c.kind == CitationKind::Full);
        for key in full.flat_map(|c| c.fields.urls.iter().filter_map(|u| url_key(u))) {
            if let Some([i]) = by_url.get(&key).map(Vec::as_slice) {
                cited[*i] = true;
            }
        }
        // A copy of a cited entry is duplicate-bibliography-entry's to report.
        for &(a, b) in &post.duplicate_entries {
            if cited[a] || cited[b] {
                cited[a] = true;
                cited[b] = true;
            }
        }
        for (entry, _) in post
            .bibliography
            .iter()
            .zip(&cited)
            .filter(|(_, &cited)| !cited)
        {
            out.push(
                Finding::new(
                    entry.span,
                    format!(
                        "bibliography entry {} is cited by no note",
                        short_label(&entry.fields, &entry.text.text)
                    ),
                )
                .label("cited by no note")
                .help("cite it in a note, or remove it from the bibliography"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::UncitedBibliographyEntry;
    use crate::rules::test_support::check_text;

    #[test]
    fn flags_an_entry_no_note_cites() {
        let text = "A.[1]\n\nBibliography\nLund, Sofia. 2009. Electric City. Stockholm: Ljus.\n\nMoe, Ana. “Harbour Cranes.” Port Review, May 6, 2021.\n\n[1] Ana Moe, “Harbour Cranes,” Port Review, May 6, 2021.\n";
        assert_eq!(
            check_text(&UncitedBibliographyEntry, text),
            vec!["4:1 bibliography entry Lund, “Electric City” is cited by no note"]
        );
    }
}
