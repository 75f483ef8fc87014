use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use super::{declare_rule, Context, Rule, RuleInfo};
use crate::diagnostic::Finding;
use crate::model::{Anchor, AnchorLink, FileLink, FileLinkKind, Marker, Note};
use crate::run_files::{self, FileIds, RunView};

declare_rule! {
    /// ## What it does
    /// In HTML, flags a marker whose link (`href="#fn3"`) points at no element with that id, a
    /// note whose back-link points at no element, and an id that a footnote link points at but
    /// that more than one element carries.
    ///
    /// When several files are linted in one run (the chapters and the endnotes file of an
    /// EPUB), a marker's link into another file of the run (`endnotes.xhtml#note-3`) and a
    /// note's back-link (`chapter-1.xhtml#noteref-3`) are checked against that file's ids, and
    /// a back-link that lands on the marker of another note is flagged; a link to a file
    /// outside the run is not checked.
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
        if let Some(run) = &cx.inputs.run {
            other_files(cx, run, out);
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

/// Why a link into another file of the run fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Miss {
    /// The file has no element with the id linked to.
    NoSuchId,
    /// A note's back-link lands on a marker that links to another note of this file.
    OtherNotesMarker,
}

/// The note links of this post into other files of the run that fail: the file lacks the id,
/// or a back-link lands on a marker of another note. One finding per kind of failure and file
/// linked to, since links that all miss one file have one cause (the markers moved to another
/// chapter, the notes renumbered).
///
/// Linear in the post's file links (a hash lookup and binary searches each).
fn other_files(cx: &Context<'_>, run: &RunView, out: &mut Vec<Finding>) {
    let links = post_file_links(cx);
    if links.is_empty() {
        return;
    }
    let here = run.key();
    // (kind, failure, file linked to) → the links that fail so, in file order of their first.
    let mut groups: Vec<(Miss, Vec<&FileLink>)> = Vec::new();
    let mut group_of: HashMap<(FileLinkKind, Miss, *const FileIds), usize> = HashMap::new();
    for link in links {
        let Some((path, fragment)) = link.href.split_once('#') else {
            continue;
        };
        let Some(file) = run.resolve(path) else {
            continue;
        };
        let id = run_files::fragment_id(fragment);
        let miss = if !file.has(&id) {
            Miss::NoSuchId
        } else if link.kind == FileLinkKind::Backlink
            && lands_on_other_note(cx, file, &id, &here, link)
        {
            Miss::OtherNotesMarker
        } else {
            continue;
        };
        let at = *group_of
            .entry((link.kind, miss, std::ptr::from_ref(file)))
            .or_insert_with(|| {
                groups.push((miss, Vec::new()));
                groups.len() - 1
            });
        groups[at].1.push(link);
    }
    for (miss, group) in &groups {
        let finding = match miss {
            Miss::NoSuchId => missing_in_file(cx, group),
            Miss::OtherNotesMarker => other_notes_markers(cx, group),
        };
        out.extend(finding);
    }
}

/// Whether the back-link `link`, to the element `id` of `file`, lands on a marker that links
/// to another note of this file (`here`) that exists: following the back-link leads the
/// reader to the wrong place. Quiet when the note has no id or the marker links elsewhere.
fn lands_on_other_note(
    cx: &Context<'_>,
    file: &FileIds,
    id: &str,
    here: &str,
    link: &FileLink,
) -> bool {
    let Some((to_file, to_id)) = file.marker(id) else {
        return false;
    };
    let Some(note_id) = note_at(cx, link.span.start).and_then(|n| n.id.as_deref()) else {
        return false;
    };
    let anchors = &cx.document.anchors;
    let exists = {
        let i = anchors.partition_point(|a| a.id.as_str() < to_id);
        anchors.get(i).is_some_and(|a| a.id == to_id)
    };
    to_file == here && to_id != note_id && exists
}

/// The file links that belong to this post: from its start (the file's start for the first
/// post) up to the start of the next post.
fn post_file_links<'a>(cx: &Context<'a>) -> &'a [FileLink] {
    let links = &cx.document.file_links;
    let posts = &cx.document.posts;
    let position = cx.post.index.saturating_sub(1);
    let from = if position == 0 { 0 } else { cx.post.span.start };
    let to = posts.get(position + 1).map_or(usize::MAX, |p| p.span.start);
    let start = links.partition_point(|l| l.span.start < from);
    let end = links.partition_point(|l| l.span.start < to).max(start);
    &links[start..end]
}

/// The note that holds a back-link at `at`: the last note starting before it.
fn note_at<'a>(cx: &Context<'a>, at: usize) -> Option<&'a Note> {
    let notes = &cx.post.notes;
    let i = notes
        .partition_point(|n| n.span.start <= at)
        .checked_sub(1)?;
    notes.get(i)
}

/// The label of the note that holds a back-link at `at`.
fn note_label_at(cx: &Context<'_>, at: usize) -> Option<String> {
    note_at(cx, at).map(|n| n.label.clone())
}

/// `" (notes 360 to 363)"` for back-links of several notes, when their labels are known.
fn notes_range(cx: &Context<'_>, group: &[&FileLink]) -> String {
    let first = group.first().and_then(|l| note_label_at(cx, l.span.start));
    let last = group.last().and_then(|l| note_label_at(cx, l.span.start));
    match (first, last) {
        (Some(a), Some(b)) => format!(" (notes {a} to {b})"),
        _ => String::new(),
    }
}

/// One finding for back-links that land on markers of other notes in one file.
fn other_notes_markers(cx: &Context<'_>, group: &[&FileLink]) -> Option<Finding> {
    let first = group.first()?;
    let (file, fragment) = first.href.split_once('#')?;
    let label = note_label_at(cx, first.span.start);
    let finding = match (&label, group.len()) {
        (Some(label), 1) => Finding::new(
            first.span,
            format!(
                "note {label} links back to {}, but that marker links to another note",
                first.href
            ),
        )
        .help(format!(
            "point the back-link at the marker of note {label}, or the marker at this note"
        )),
        _ => Finding::new(
            first.span,
            format!(
                "{} back-links{} go to markers in {file} that link to other notes, such as #{fragment}",
                group.len(),
                notes_range(cx, group)
            ),
        )
        .help("point each back-link at the marker of its own note"),
    };
    let finding = finding.label("marker of another note");
    Some(match label {
        Some(label) => finding.note(label),
        None => finding,
    })
}

/// One finding for links of one kind that all miss one file.
fn missing_in_file(cx: &Context<'_>, group: &[&FileLink]) -> Option<Finding> {
    let first = group.first()?;
    let (file, fragment) = first.href.split_once('#')?;
    let label = match first.kind {
        FileLinkKind::Backlink => note_label_at(cx, first.span.start),
        FileLinkKind::Marker => None,
    };
    let finding = if group.len() == 1 {
        match (first.kind, &label) {
            (FileLinkKind::Backlink, Some(label)) => Finding::new(
                first.span,
                format!(
                    "note {label} links back to {}, but {file} has no element with that id",
                    first.href
                ),
            )
            .help(format!(
                "give the marker of note {label} in {file} the id \"{fragment}\", or point the back-link at the file that holds the marker"
            )),
            (FileLinkKind::Backlink, None) => Finding::new(
                first.span,
                format!(
                    "a back-link goes to {}, but {file} has no element with that id",
                    first.href
                ),
            )
            .help("point the back-link at the file that holds the marker"),
            (FileLinkKind::Marker, _) => Finding::new(
                first.span,
                format!(
                    "marker links to {}, but {file} has no element with that id",
                    first.href
                ),
            )
            .help(format!(
                "give the note in {file} the id \"{fragment}\", or point the link at the note's id"
            )),
        }
    } else {
        let (what, fix) = match first.kind {
            FileLinkKind::Backlink => (
                format!("{} back-links{}", group.len(), notes_range(cx, group)),
                "if the markers are in another file, point the back-links at it; otherwise give the markers these ids",
            ),
            FileLinkKind::Marker => (
                format!("{} note links", group.len()),
                "if the notes are in another file, point the links at it; otherwise give the notes these ids",
            ),
        };
        Finding::new(
            first.span,
            format!("{what} point to ids {file} does not have, such as #{fragment}"),
        )
        .help(fix)
    };
    let finding = finding.label(format!("no such id in {file}"));
    Some(match label {
        Some(label) => finding.note(label),
        None => finding,
    })
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
    use crate::rules::test_support::{check_html, check_html_in_run};

    const CHAPTER: &str = concat!(
        "<p>A.<a href=\"endnotes.xhtml#note-1\" id=\"noteref-1\" epub:type=\"noteref\">1</a>",
        " B.<a href=\"endnotes.xhtml#note-2\" id=\"noteref-2\" epub:type=\"noteref\">2</a>",
        " C.<a href=\"other.xhtml#note-7\" id=\"noteref-7\" epub:type=\"noteref\">7</a></p>\n",
    );
    const ENDNOTES: &str = concat!(
        "<ol>\n",
        "<li id=\"note-1\" epub:type=\"endnote\"><p>One. <a href=\"text/chapter.xhtml#noteref-1\" epub:type=\"backlink\">↩</a></p></li>\n",
        "<li id=\"note-3\" epub:type=\"endnote\"><p>Three. <a href=\"text/chapter.xhtml#noteref-3\" epub:type=\"backlink\">↩</a></p></li>\n",
        "<li id=\"note-4\" epub:type=\"endnote\"><p>Four. <a href=\"text/other.xhtml#noteref-4\" epub:type=\"backlink\">↩</a></p></li>\n",
        "</ol>\n",
    );

    #[test]
    fn links_into_another_file_of_the_run_are_checked_against_its_ids() {
        let files = [
            ("book/text/chapter.xhtml", CHAPTER),
            ("book/endnotes.xhtml", ENDNOTES),
        ];
        // `endnotes.xhtml` from `book/text/` is not `book/endnotes.xhtml`: not in the run.
        assert!(
            check_html_in_run(&BrokenFootnoteLink, &files, "book/text/chapter.xhtml").is_empty()
        );
        assert_eq!(
            check_html_in_run(&BrokenFootnoteLink, &files, "book/endnotes.xhtml"),
            vec!["3:56 note 3 links back to text/chapter.xhtml#noteref-3, but text/chapter.xhtml has no element with that id"]
        );
        let flat = [("chapter.xhtml", CHAPTER), ("endnotes.xhtml", ENDNOTES)];
        assert_eq!(
            check_html_in_run(&BrokenFootnoteLink, &flat, "chapter.xhtml"),
            vec!["1:90 marker links to endnotes.xhtml#note-2, but endnotes.xhtml has no element with that id"]
        );
    }

    #[test]
    fn links_into_another_file_are_not_checked_outside_a_run() {
        assert!(check_html(&BrokenFootnoteLink, CHAPTER).is_empty());
        assert!(check_html(&BrokenFootnoteLink, ENDNOTES).is_empty());
    }

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
