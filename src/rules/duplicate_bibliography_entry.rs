use super::{declare_rule, Context, Rule, RuleInfo};
use crate::cite::short_label;
use crate::diagnostic::Finding;

declare_rule! {
    /// ## What it does
    /// Flags a bibliography entry that gives the same work as an earlier entry of the post:
    /// the same title, with no year, URL or first author that disagrees.
    ///
    /// ## Why is this bad?
    /// Two entries for one work make the bibliography longer than the list of sources, and
    /// when they drift apart readers cannot tell which one is right.
    ///
    /// ## Example
    /// ```text
    /// Moe, Ana. “Harbour Cranes.” Port Review, 2021.
    /// Lund, Sofia. 2009. Electric City. Stockholm: Ljus.
    /// Moe, Ana. 2021. “Harbour Cranes.” Port Review.
    /// ```
    ///
    /// ## Use instead
    /// ```text
    /// Moe, Ana. “Harbour Cranes.” Port Review, 2021.
    /// Lund, Sofia. 2009. Electric City. Stockholm: Ljus.
    /// ```
    pub struct DuplicateBibliographyEntry {
        id: "duplicate-bibliography-entry",
        severity: Warning,
        summary: "two bibliography entries for the same source",
    }
}

impl Rule for DuplicateBibliographyEntry {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for &(first, again) in &cx.post.duplicate_entries {
            let (Some(a), Some(b)) = (
                cx.post.bibliography.get(first),
                cx.post.bibliography.get(again),
            ) else {
                continue;
            };
            out.push(
                Finding::new(
                    b.span,
                    format!(
                        "bibliography entry {} repeats the entry on line {}",
                        short_label(&b.fields, &b.text.text),
                        cx.source.line_of(a.span.start)
                    ),
                )
                .label("given twice")
                .help("keep one entry for the work and remove the other"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::DuplicateBibliographyEntry;
    use crate::rules::test_support::check_text;

    #[test]
    fn flags_the_second_entry_of_a_work() {
        let text = "A.[1]\n\nBibliography\nMoe, Ana. “Harbour Cranes.” Port Review, 2021.\n\nMoe, Ana. 2021. “Harbour Cranes.” Port Review.\n\n[1] Ana Moe, “Harbour Cranes,” Port Review, 2021.\n";
        assert_eq!(
            check_text(&DuplicateBibliographyEntry, text),
            vec!["6:1 bibliography entry Moe, “Harbour Cranes” repeats the entry on line 4"]
        );
    }

    #[test]
    fn two_years_of_one_report_are_two_works() {
        let text = "A.[1]\n\nBibliography\n“Harbour Report”, Board, 2023, https://example.org/r\n\n“Harbour Report”, Board, 2024, https://example.org/r\n\n[1] “Harbour Report”, Board, 2024, https://example.org/r\n";
        assert!(check_text(&DuplicateBibliographyEntry, text).is_empty());
    }
}
