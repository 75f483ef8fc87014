use super::notes_unrecognized::lower;
use super::{declare_rule, Context, Rule, RuleInfo};
use crate::diagnostic::Finding;
use crate::model::MarkerKind;

declare_rule! {
    /// ## What it does
    /// Flags a marker in the text whose number has no note in the post's notes list.
    ///
    /// ## Why is this bad?
    /// The reader follows the marker and finds nothing: the source behind the claim is lost.
    /// It usually means a note was deleted, or the notes list was cut short when pasting.
    ///
    /// ## Example
    /// ```text
    /// The camps held thousands.[1] Few escaped.[2]
    ///
    /// [1] Hawk, The Hidden Gulag, 2012.
    /// ```
    ///
    /// ## Use instead
    /// Add the missing note, or remove the marker:
    /// ```text
    /// [2] Kim, “Escape Routes,” 2020.
    /// ```
    pub struct OrphanMarker {
        id: "orphan-marker",
        severity: Error,
        summary: "a marker whose number has no note in the post",
        reads_notes: true,
    }
}

impl Rule for OrphanMarker {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        // Most posts: every marker's label is a note's (see `Pairing::every_marker_defined`).
        if cx.pairing.every_marker_defined() {
            return;
        }
        // Built on first use: a post whose markers all pair by GFM syntax needs none.
        let mut labels: Option<foldhash::HashSet<std::borrow::Cow<'_, str>>> = None;
        // A `[^label]` pairs by syntax with a `[^label]:` anywhere in the file; other markers
        // pair with the post's notes, and only when the guess recognised them.
        let defined = cx
            .pairing
            .syntax
            .then(|| cx.labels.notes(cx.document, cx.source));
        let guessed = cx.pairing.guessed();
        for marker in &cx.post.markers {
            let label = lower(&marker.label);
            let label = label.as_ref();
            let paired = match defined {
                Some(defined) if marker.kind == MarkerKind::Footnote => defined.contains(label),
                _ => {
                    !guessed
                        || labels
                            .get_or_insert_with(|| {
                                cx.post.notes.iter().map(|n| lower(&n.label)).collect()
                            })
                            .contains(label)
                }
            };
            if paired {
                continue;
            }
            let written = cx.source.slice(marker.span);
            out.push(
                Finding::new(
                    marker.span,
                    format!("marker {written} has no note {} in this post", marker.label),
                )
                .label("no such note")
                .help(format!(
                    "add note [{}] to the notes list, or remove the marker",
                    marker.label
                ))
                .note(marker.label.clone()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::OrphanMarker;
    use crate::rules::test_support::{check_markdown, check_text};

    #[test]
    fn flags_markers_without_notes() {
        let found = check_text(&OrphanMarker, "A.[1] B.[2] C.[2]\n\n[1] Note.\n");
        assert_eq!(
            found,
            vec![
                "1:9 marker [2] has no note 2 in this post",
                "1:15 marker [2] has no note 2 in this post"
            ]
        );
    }

    #[test]
    fn passes_when_every_marker_has_a_note() {
        assert!(check_text(&OrphanMarker, "A.[1]\n\n[1] Note.\n").is_empty());
    }

    #[test]
    fn an_undefined_gfm_reference_in_a_post_without_notes() {
        let found = check_markdown(&OrphanMarker, "Voted on[^bcw] in May.\n");
        assert_eq!(
            found,
            vec!["1:9 marker [^bcw] has no note bcw in this post"]
        );
    }

    #[test]
    fn a_gfm_reference_does_not_reach_a_note_written_by_hand() {
        let found = check_markdown(&OrphanMarker, "Claim.[^1]\n\n[1] - A note.\n");
        assert_eq!(found, vec!["1:7 marker [^1] has no note 1 in this post"]);
    }

    #[test]
    fn a_gfm_definition_in_another_post_of_the_file_pairs() {
        // The numbered notes list starting again at 1 begins a second post; GFM labels are
        // global to the file.
        let text = "One.[^x] Two.[1]\n\n## Notes\n\n1. First.\n\n[^x]: Ex.\n\n\
                    Later text.[^x] And.[1]\n\n## Notes\n\n1. Again.\n";
        let source = crate::source::SourceFile::new("t.md", text);
        let document = crate::analyse::parse(&source, crate::parse::Format::Markdown);
        assert_eq!(document.posts.len(), 2);
        assert!(check_markdown(&OrphanMarker, text).is_empty());
    }

    #[test]
    fn stray_numbers_beside_gfm_footnotes_are_not_reported() {
        let found = check_markdown(&OrphanMarker, "Area 3 km², a[2].[^a] B.[^b]\n\n[^a]: A.\n");
        assert_eq!(found, vec!["1:25 marker [^b] has no note b in this post"]);
    }
}
