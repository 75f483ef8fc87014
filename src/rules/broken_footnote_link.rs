use std::collections::HashSet;

use super::{declare_rule, Context, Rule, RuleInfo};
use crate::diagnostic::Finding;
use crate::model::{Anchor, AnchorLink, Marker};

declare_rule! {
    /// ## What it does
    /// In HTML, flags a marker whose link (`href="#fn3"`) points at no element with that id, a
    /// note whose back-link points at no element, and an id that a footnote link points at but
    /// that more than one element carries.
    ///
    /// ## Why is this bad?
    /// The reader clicks the marker and the page does not move, or jumps to the wrong place.
    /// It usually means the notes were renumbered or pasted without their ids.
    ///
    /// ## Example
    /// ```html
    /// <p>The camps held thousands.<sup><a href="#fn3">[3]</a></sup></p>
    /// <p id="fn-3">[3] Hawk, The Hidden Gulag, 2012.</p>
    /// ```
    ///
    /// ## Use instead
    /// Make the link and the id agree:
    /// ```html
    /// <p id="fn3">[3] Hawk, The Hidden Gulag, 2012.</p>
    /// ```
    pub struct BrokenFootnoteLink {
        id: "broken-footnote-link",
        severity: Error,
        summary: "an HTML footnote link whose target id is missing or not unique",
    }
}

impl Rule for BrokenFootnoteLink {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let anchors = &cx.document.anchors;
        // The anchors are sorted by id: those of one id are a run found by binary search.
        let with_id = |id: &str| -> &[Anchor] {
            let start = anchors.partition_point(|a| a.id.as_str() < id);
            let len = anchors[start..].partition_point(|a| a.id == id);
            &anchors[start..start + len]
        };
        let mut reported = HashSet::new();
        // A post whose notes were not recognised (an EPUB chapter whose notes live in another
        // file) gets one finding for all its note links that lead nowhere, not one each; its
        // "back-links" may be other links inside notes, so they are left alone.
        let recognised = cx.pairing.recognised();
        let mut nowhere: Vec<(&Marker, &AnchorLink)> = Vec::new();
        for marker in &cx.post.markers {
            // Only HTML markers link anywhere.
            let Some(target) = &marker.target else {
                continue;
            };
            match with_id(&target.target) {
                [] if !recognised => nowhere.push((marker, target)),
                [] => out.push(
                    Finding::new(
                        target.span,
                        format!(
                            "marker [{}] links to #{}, but no element has that id",
                            marker.label, target.target
                        ),
                    )
                    .label("no such id")
                    .help(format!(
                        "give note {} the id \"{}\", or point the link at the note's id",
                        marker.label, target.target
                    ))
                    .note(marker.label.clone()),
                ),
                [_] => {}
                [_, second, ..] => {
                    if reported.insert(target.target.as_str()) {
                        out.push(duplicate(second, &target.target, &marker.label));
                    }
                }
            }
        }
        if let Some(finding) = all_lead_nowhere(&nowhere) {
            out.push(finding);
        }
        if !recognised {
            return;
        }
        for note in &cx.post.notes {
            // A back-link into another file (`chapter-1.xhtml#noteref-3`) is not checked here.
            for back in note.backlinks.iter().filter(|b| !b.target.contains('#')) {
                match with_id(&back.target) {
                    [] => out.push(
                        Finding::new(
                            back.span,
                            format!(
                                "note {} links back to #{}, but no element has that id",
                                note.label, back.target
                            ),
                        )
                        .label("no such id")
                        .help(format!(
                            "give the marker of note {} the id \"{}\", or fix the back-link",
                            note.label, back.target
                        ))
                        .note(note.label.clone()),
                    ),
                    [_] => {}
                    [_, second, ..] => {
                        if reported.insert(back.target.as_str()) {
                            out.push(duplicate(second, &back.target, &note.label));
                        }
                    }
                }
            }
        }
    }
}

/// One finding for the note links of an unrecognised post that lead nowhere.
fn all_lead_nowhere(nowhere: &[(&Marker, &AnchorLink)]) -> Option<Finding> {
    let (first, target) = nowhere.first()?;
    if nowhere.len() == 1 {
        return Some(
            Finding::new(
                target.span,
                format!(
                    "marker [{}] links to #{}, but no element has that id",
                    first.label, target.target
                ),
            )
            .label("no such id")
            .help("point the link at the note's id, in the file that holds the note")
            .note(first.label.clone()),
        );
    }
    let last = nowhere.last().map_or(first, |(m, _)| m);
    Some(
        Finding::new(
            target.span,
            format!(
                "{} note links (markers [{}] to [{}]) point to ids this file does not have, such as #{}",
                nowhere.len(),
                first.label,
                last.label,
                target.target
            ),
        )
        .label("no such id here")
        .help("if the notes are in another file, link to it (`endnotes.xhtml#note-1`); otherwise add the notes")
        .note(first.label.clone()),
    )
}

fn duplicate(second: &Anchor, id: &str, label: &str) -> Finding {
    Finding::new(
        second.span,
        format!("id \"{id}\" is used more than once; footnote links go to the first"),
    )
    .label("duplicate id")
    .help("give each note and marker an id of its own")
    .note(label.to_string())
}

#[cfg(test)]
mod tests {
    use super::BrokenFootnoteLink;
    use crate::rules::test_support::check_html;

    #[test]
    fn flags_missing_targets_backlinks_and_duplicate_ids() {
        let html = concat!(
            "<p>A.<sup><a href=\"#fn1\" id=\"r1\">[1]</a></sup> B.<sup><a href=\"#fn2\" id=\"r2\">[2]</a></sup></p>\n",
            "<p id=\"fn-1\">[1] One. <a href=\"#r1\">↩</a></p>\n",
            "<p id=\"fn2\">[2] Two. <a href=\"#ref2\">↩</a></p>\n",
            "<p id=\"fn2\">[2] Again.</p>\n",
        );
        assert_eq!(
            check_html(&BrokenFootnoteLink, html),
            vec![
                "1:21 marker [1] links to #fn1, but no element has that id",
                "4:8 id \"fn2\" is used more than once; footnote links go to the first",
                "3:32 note 2 links back to #ref2, but no element has that id",
            ]
        );
    }

    #[test]
    fn passes_matching_links() {
        let html = "<p>A.<sup><a href=\"#fn1\" id=\"r1\">[1]</a></sup></p>\n<p id=\"fn1\">[1] One. <a href=\"#r1\">↩</a></p>\n";
        assert!(check_html(&BrokenFootnoteLink, html).is_empty());
    }

    #[test]
    fn an_unrecognised_post_gets_one_finding_for_all_its_dead_links() {
        let html = "<p>A.<a href=\"#note-1\" id=\"noteref-1\">1</a> B.<a href=\"#note-2\" id=\"noteref-2\">2</a> C.<a href=\"#note-3\" id=\"noteref-3\">3</a></p>\n";
        assert_eq!(
            check_html(&BrokenFootnoteLink, html),
            vec!["1:16 3 note links (markers [1] to [3]) point to ids this file does not have, such as #note-1"]
        );
    }
}
