use super::{declare_rule, Context, Rule, RuleInfo};
use crate::diagnostic::Finding;
use crate::model::MarkerKind;

declare_rule! {
    /// ## What it does
    /// Flags a marker whose first use in the text comes before the first use of a smaller
    /// number: the text reads `[1] … [3] … [2]`. Only numbered markers are compared; a marker
    /// used again later (`see [2]`) does not count, only its first use.
    ///
    /// ## Why is this bad?
    /// Numbered notes are numbered in reading order. When the order breaks, a paragraph was
    /// moved or a note inserted without renumbering, and any "Ibid." that leans on the note
    /// before it may now point at the wrong source.
    ///
    /// ## Example
    /// ```text
    /// First claim.[1] Moved paragraph.[3] Second claim.[2]
    /// ```
    ///
    /// ## Use instead
    /// Renumber the markers and notes in reading order:
    /// ```text
    /// First claim.[1] Moved paragraph.[2] Second claim.[3]
    /// ```
    pub struct OutOfOrderMarker {
        id: "out-of-order-marker",
        severity: Error,
        summary: "a marker whose first use comes before that of a smaller number",
        reads_notes: true,
    }
}

impl Rule for OutOfOrderMarker {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let mut seen = foldhash::HashSet::default();
        let first_uses: Vec<_> = cx
            .post
            .markers
            .iter()
            // A Markdown label (`[^2]`) is a name, however numeric: renderers number the
            // footnotes by first use, so the reader never sees the author's order.
            .filter(|m| m.kind != MarkerKind::Footnote)
            .filter_map(|m| Some((m.number?, m)))
            .filter(|(n, _)| seen.insert(*n))
            .collect();
        // The smallest number whose first use comes at or after each position.
        let mut later_min = vec![u32::MAX; first_uses.len() + 1];
        for i in (0..first_uses.len()).rev() {
            later_min[i] = later_min[i + 1].min(first_uses[i].0);
        }
        // Each number's first use, looked up rather than searched for (quadratic otherwise).
        let first_use: foldhash::HashMap<u32, (usize, &crate::model::Marker)> = first_uses
            .iter()
            .enumerate()
            .map(|(i, &(n, m))| (n, (i, m)))
            .collect();
        for (i, &(n, marker)) in first_uses.iter().enumerate() {
            let smaller = later_min[i + 1];
            if smaller >= n {
                continue;
            }
            let Some(&(at, late)) = first_use.get(&smaller) else {
                continue;
            };
            if at <= i {
                continue;
            }
            let line = cx.source.line_of(late.span.start);
            out.push(
                Finding::new(
                    marker.span,
                    format!("marker [{n}] is used before marker [{smaller}] (first used on line {line})"),
                )
                .label("out of order")
                .help("renumber the markers and notes in reading order")
                .note(marker.label.clone()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::OutOfOrderMarker;
    use crate::rules::test_support::check_text;

    #[test]
    fn flags_the_marker_that_came_too_early() {
        let text = "A.[1] B.[3] C.[2] D.[2]\n\n[1] One.\n[2] Two.\n[3] Three.\n";
        assert_eq!(
            check_text(&OutOfOrderMarker, text),
            vec!["1:9 marker [3] is used before marker [2] (first used on line 1)"]
        );
    }

    #[test]
    fn later_reuse_is_fine() {
        let text = "A.[1] B.[2] C.[1] D.[3]\n\n[1] One.\n[2] Two.\n[3] Three.\n";
        assert!(check_text(&OutOfOrderMarker, text).is_empty());
    }

    #[test]
    fn markdown_labels_are_names_not_reading_order() {
        let text = "A.[^2] B.[^1]\n\n[^1]: One.\n[^2]: Two.\n";
        assert!(crate::rules::test_support::check_markdown(&OutOfOrderMarker, text).is_empty());
    }
}
