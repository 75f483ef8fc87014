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
        // Markers first used in ascending order, the usual case: nothing is out of order.
        if first_uses_ascend(&cx.post.markers) {
            return;
        }
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

/// Whether the numbers of `markers` (footnote labels left out) are first used in ascending
/// order, each first use greater than every one before it, as checked against a bit set
/// indexed by number. A number past the set's end is not known to be seen, and answers
/// `false`, which sends the rule to its full reading.
fn first_uses_ascend(markers: &[crate::model::Marker]) -> bool {
    let bound = markers.len().saturating_mul(4).saturating_add(64);
    let mut seen = vec![0u64; bound.div_ceil(64)];
    let mut last = None;
    for m in markers.iter().filter(|m| m.kind != MarkerKind::Footnote) {
        let Some(n) = m.number else { continue };
        let Some((word, bit)) = usize::try_from(n)
            .ok()
            .filter(|&n| n < bound)
            .map(|n| (n / 64, 1u64 << (n % 64)))
        else {
            return false;
        };
        if seen[word] & bit != 0 {
            continue;
        }
        if last.is_some_and(|last| n < last) {
            return false;
        }
        seen[word] |= bit;
        last = Some(n);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::OutOfOrderMarker;
    use crate::rules::test_support::check_text;

    /// The first uses of the numbered markers, as the rule's full reading finds them.
    fn first_uses(markers: &[crate::model::Marker]) -> Vec<u32> {
        let mut seen = foldhash::HashSet::default();
        markers
            .iter()
            .filter(|m| m.kind != crate::model::MarkerKind::Footnote)
            .filter_map(|m| m.number)
            .filter(|n| seen.insert(*n))
            .collect()
    }

    #[test]
    fn ascending_first_uses_are_told_as_the_full_reading_tells_them() {
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..5_000 {
            let len = usize::try_from(crate::xorshift(&mut state) % 12).unwrap_or(0);
            let markers: Vec<crate::model::Marker> = (0..len)
                .map(|_| {
                    let r = crate::xorshift(&mut state);
                    let number = match r % 10 {
                        0 => None,
                        1 => Some(u32::try_from(r % 500).unwrap_or(0)),
                        _ => Some(u32::try_from(r % 9).unwrap_or(0)),
                    };
                    crate::model::Marker {
                        label: String::new(),
                        number,
                        kind: if r % 7 == 0 {
                            crate::model::MarkerKind::Footnote
                        } else {
                            crate::model::MarkerKind::Bracket
                        },
                        span: crate::source::Span::default(),
                        target: None,
                        id: None,
                    }
                })
                .collect();
            let uses = first_uses(&markers);
            let ascend = uses.windows(2).all(|w| w[0] < w[1]);
            let small = uses.iter().all(|&n| (n as usize) < 4 * markers.len() + 64);
            let fast = super::first_uses_ascend(&markers);
            // `true` only when the uses ascend; `false` for ascending uses only past the bit set.
            assert!(!fast || ascend, "{uses:?}");
            assert!(fast || !ascend || !small, "{uses:?}");
        }
    }

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
