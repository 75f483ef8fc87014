use super::{declare_rule, Context, Rule, RuleInfo};
use crate::cite::{note_label, source_label};
use crate::diagnostic::Finding;
use crate::model::{CitationKind, Post, Resolution};

declare_rule! {
    /// ## What it does
    /// Reports a source given in full again after its first full citation in the post. A
    /// note repeating the note right before it word for word is left to
    /// `duplicate-consecutive-note`. Only in a post that abbreviates somewhere (an Ibid. or
    /// Id., or a short form of a full citation): a post that gives every reference in full
    /// follows another convention. A legal citation's work is its volume, reporter and first
    /// page (`471 U.S. 539`); another year's edition of a report is another work.
    ///
    /// ## Why is this bad?
    /// Citation styles give a source in full once and abbreviate it afterwards; a second full
    /// citation makes the notes longer and hides that the source was already cited.
    ///
    /// ## Example
    /// ```text
    /// [2] Ana Moe, “Harbour Cranes,” Port Review, May 6, 2021.
    /// [5] Ana Moe, “Harbour Cranes,” Port Review, May 6, 2021, 9.
    /// ```
    ///
    /// ## Use instead
    /// ```text
    /// [5] Moe, “Harbour Cranes,” 9.
    /// ```
    pub struct RepeatedFullCitation {
        id: "repeated-full-citation",
        severity: Info,
        summary: "a source given in full again after its first full citation (use the short form)",
        reads_notes: true,
    }
}

impl Rule for RepeatedFullCitation {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        if !abbreviates(cx.post) {
            return;
        }
        // One finding per source, at its first repeat, naming the others: a source given in
        // full five times is one habit to fix, not five findings.
        let mut repeats: Vec<(usize, Finding, Vec<usize>)> = Vec::new();
        for (ni, note) in cx.post.notes.iter().enumerate() {
            // Compared only for a note that gives a source in full again: most do not.
            let repeats_previous = || {
                ni.checked_sub(1)
                    .and_then(|p| cx.post.notes.get(p))
                    .is_some_and(|p| super::notes_fold_eq(&p.text.text, &note.text.text))
            };
            let mut repeats_checked = false;
            for c in &note.citations {
                if c.kind != CitationKind::Full || c.resolution != Resolution::Repeat {
                    continue;
                }
                if !repeats_checked {
                    if repeats_previous() {
                        break;
                    }
                    repeats_checked = true;
                }
                // A bare link has no short form to give instead.
                if c.fields.title.is_none() && c.fields.authors.is_empty() {
                    continue;
                }
                let Some((index, source)) = c
                    .source
                    .and_then(|s| cx.post.sources.get(s).map(|source| (s, source)))
                else {
                    continue;
                };
                if let Some((_, _, lines)) = repeats.iter_mut().find(|(s, _, _)| *s == index) {
                    lines.push(cx.source.line_of(c.span.start));
                    continue;
                }
                let label = source_label(source);
                repeats.push((
                    index,
                    Finding::new(
                        c.span,
                        format!(
                            "note {} gives {label} in full again; note {} gave it in full first",
                            note.label,
                            note_label(cx.post, source.note)
                        ),
                    )
                    .label("cited in full before")
                    .help(format!("cite it by its short form: {label}"))
                    .note(note.label.clone()),
                    Vec::new(),
                ));
            }
        }
        for (_, mut finding, lines) in repeats {
            finding.message.push_str(&super::also_on_lines(&lines));
            out.push(finding);
        }
    }
}

/// Whether the post abbreviates citations anywhere: an Ibid. (or Id.) that refers to a source,
/// or a short form that abbreviates an earlier full citation. A post that never does (a list
/// of labelled links, an old report that gives every reference in full) has no short form to
/// compare a repeat with: giving a source in full again is its convention, not a slip.
fn abbreviates(post: &Post) -> bool {
    post.notes
        .iter()
        .flat_map(|n| &n.citations)
        .any(|c| match c.kind {
            CitationKind::Ibid => c.source.is_some(),
            // A short form matching only another short form is a repeated label, not an
            // abbreviation of a full citation.
            CitationKind::Short => {
                c.resolution == Resolution::Abbreviated
                    && c.source
                        .and_then(|s| post.sources.get(s))
                        .is_some_and(|s| s.full)
            }
            CitationKind::Full => false,
        })
}

#[cfg(test)]
mod tests {
    use super::RepeatedFullCitation;
    use crate::rules::test_support::check_text;

    #[test]
    fn second_full_citation_is_reported_once() {
        let text = "A.[1] B.[2] C.[3] D.[4] E.[5]\n\n[1] Ana Moe, “Harbour Cranes,” Port Review, May 6, 2021.\n[2] Bo Lee, “Gulls,” Tern Press, 2019.\n[3] Ana Moe, “Harbour Cranes,” Port Review, May 6, 2021, 9.\n[4] Ana Moe, “Harbour Cranes,” Port Review, May 6, 2021, 9.\n[5] Lee, “Gulls,” 3.\n";
        assert_eq!(
            check_text(&RepeatedFullCitation, text),
            vec!["5:5 note 3 gives Moe, “Harbour Cranes” in full again; note 1 gave it in full first"]
        );
    }

    #[test]
    fn one_source_repeated_often_is_one_finding() {
        let text = "A.[1] B.[2] C.[3] D.[4] E.[5]\n\n[1] Ana Moe, “Harbour Cranes,” Port Review, May 6, 2021.\n[2] Moe, “Harbour Cranes,” 4.\n[3] Ana Moe, “Harbour Cranes,” Port Review, May 6, 2021, 9.\n[4] Bo Lee, “Gulls,” Tern Press, 2019.\n[5] Ana Moe, “Harbour Cranes,” Port Review, May 6, 2021, 12.\n";
        assert_eq!(
            check_text(&RepeatedFullCitation, text),
            vec!["5:5 note 3 gives Moe, “Harbour Cranes” in full again; note 1 gave it in full first (the same on line 7)"]
        );
    }

    #[test]
    fn a_later_edition_of_a_report_is_no_repeat() {
        let text = "A.[1] B.[2] C.[3] D.[4]\n\n[1] Port Board, “Annual Report,” Port Papers, 2023.\n[2] Port Board, “Annual Report,” 4.\n[3] Port Board, “Annual Report,” Port Papers, 2024.\n[4] Ibid., 7.\n";
        assert!(check_text(&RepeatedFullCitation, text).is_empty());
    }

    #[test]
    fn posts_that_never_abbreviate_are_left_alone() {
        let text = "A.[1] B.[2] C.[3]\n\n[1] Ana Moe, “Harbour Cranes,” Port Review, May 6, 2021.\n[2] Bo Lee, “Gulls,” Tern Press, 2019.\n[3] Ana Moe, “Harbour Cranes,” Port Review, May 6, 2021, 9.\n";
        assert!(check_text(&RepeatedFullCitation, text).is_empty());
    }

    #[test]
    fn bare_links_have_no_short_form() {
        let text = "A.[1] B.[2]\n\n[1] https://docs.example.org/guide#one\n[2] https://docs.example.org/guide#two\n";
        assert!(check_text(&RepeatedFullCitation, text).is_empty());
    }
}
