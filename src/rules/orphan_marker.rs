use super::{declare_rule, Context, Rule, RuleInfo};
use crate::diagnostic::Finding;

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
        let labels: std::collections::HashSet<String> = cx
            .post
            .notes
            .iter()
            .map(|n| n.label.to_ascii_lowercase())
            .collect();
        for marker in &cx.post.markers {
            if labels.contains(&marker.label.to_ascii_lowercase()) {
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
    use crate::rules::test_support::check_text;

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
}
