use super::{declare_rule, Context, Rule, RuleInfo};
use crate::diagnostic::Finding;

declare_rule! {
    /// ## What it does
    /// Flags a numbered notes list with a number missing: notes 1, 2, 4 lack note 3. The
    /// report sits on the first note after the gap.
    ///
    /// ## Why is this bad?
    /// A gap means a note was deleted without renumbering, or lost when the page was pasted;
    /// the marker for the missing number now leads nowhere, or to the wrong note.
    ///
    /// ## Example
    /// ```text
    /// [1] Hawk, The Hidden Gulag, 2012.
    /// [2] Kim, “Escape Routes,” 2020.
    /// [4] Lee, “Border Crossings,” 2021.
    /// ```
    ///
    /// ## Use instead
    /// Restore the missing note, or renumber the list and its markers.
    pub struct NumberingGap {
        id: "numbering-gap",
        severity: Error,
        summary: "notes numbered 1..N with a number missing",
        reads_notes: true,
    }
}

impl Rule for NumberingGap {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        // A Markdown label (`[^4]:`) is a name, however numeric: renderers number the
        // footnotes by first use, so a "gap" in the labels is never seen by the reader.
        let numbered = |n: &&crate::model::Note| !cx.source.slice(n.label_span).starts_with("[^");
        // The numbers in ascending order, each once.
        let mut numbers: Vec<u32> = cx
            .post
            .notes
            .iter()
            .filter(numbered)
            .filter_map(|n| n.number)
            .collect();
        numbers.sort_unstable();
        numbers.dedup();
        // Numbers running 1, 2, 3, … with none left out: no gap, the usual case.
        if numbers.iter().zip(1..).all(|(&n, want)| n == want) {
            return;
        }
        // The first note (in file order) of each number, so that many gaps stay linear.
        let mut first_of: foldhash::HashMap<u32, &crate::model::Note> =
            foldhash::HashMap::default();
        for note in cx.post.notes.iter().filter(numbered) {
            if let Some(n) = note.number {
                first_of.entry(n).or_insert(note);
            }
        }
        let mut expected = 1;
        for &n in &numbers {
            if n > expected {
                // The first note (in file order) numbered after the gap carries the report.
                let Some(&after) = first_of.get(&n) else {
                    continue;
                };
                let missing = if n - expected == 1 {
                    format!("note {expected} is missing")
                } else {
                    format!("notes {expected}–{} are missing", n - 1)
                };
                out.push(
                    Finding::new(after.label_span, format!("{missing} before note {n}"))
                        .label("gap before this note")
                        .help("restore the missing note, or renumber the notes and their markers")
                        .note(after.label.clone()),
                );
            }
            expected = n + 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::NumberingGap;
    use crate::rules::test_support::check_text;

    #[test]
    fn flags_single_and_multiple_gaps() {
        let text = "A.[1][2][4][7]\n\n[1] One.\n[2] Two.\n[4] Four.\n[7] Seven.\n";
        assert_eq!(
            check_text(&NumberingGap, text),
            vec![
                "5:1 note 3 is missing before note 4",
                "6:1 notes 5–6 are missing before note 7"
            ]
        );
    }

    #[test]
    fn passes_a_full_list() {
        assert!(check_text(&NumberingGap, "A.[1][2]\n\n[1] One.\n[2] Two.\n").is_empty());
    }

    #[test]
    fn markdown_labels_may_skip_numbers() {
        let text = "A.[^1] B.[^2229]\n\n[^1]: One.\n[^2229]: RFC 2229.\n";
        assert!(crate::rules::test_support::check_markdown(&NumberingGap, text).is_empty());
    }
}
