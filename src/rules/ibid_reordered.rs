use foldhash::{HashMap, HashMapExt};

use super::{declare_rule, Context, Rule, RuleInfo};
use crate::cite::{note_label, same_work, source_label};
use crate::diagnostic::Finding;
use crate::model::{CitationKind, Document, Marker, Post, Resolution};
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Flags an "Ibid." whose chain depends on an order the text does not follow:
    /// - the marker of its note comes in the text before the marker of the note it leans on,
    ///   so the reader meets the Ibid. before its source;
    /// - with `--base REV` or `--base-file OLD`, the Ibid. (paired with its earlier version by
    ///   the sentence its marker ends) now resolves to a different source than before.
    ///
    /// ## Why is this bad?
    /// Moving a paragraph moves its markers but not the meaning of the "Ibid." notes after
    /// them: each silently points at whatever note now comes before it.
    ///
    /// ## Example
    /// A paragraph citing Lee was moved before the sentence whose note was an Ibid. of Moe:
    /// ```text
    /// Cranes came in 1950.[1] Gulls nest on them.[2] They were sold in 1995.[3]
    ///
    /// [1] Ana Moe, “Harbour Cranes,” Port Review, May 6, 2021.
    /// [2] Bo Lee, “Gulls,” Tern Press, 2019.
    /// [3] Ibid.
    /// ```
    ///
    /// ## Use instead
    /// ```text
    /// [3] Moe, “Harbour Cranes.”
    /// ```
    pub struct IbidReordered {
        id: "ibid-reordered",
        severity: Warning,
        summary: "an \"Ibid.\" chain that the text's order (or the change under review) broke",
        reads_notes: true,
    }
}

impl Rule for IbidReordered {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        marker_before_its_antecedent(cx, out);
        if let Some(base) = &cx.inputs.base {
            resolves_differently(cx, &base.document, &base.source.text, &base.label, out);
        }
    }
}

/// The first marker of each label, by label.
fn first_markers(post: &Post) -> HashMap<&str, &Marker> {
    let mut first = HashMap::with_capacity(post.markers.len());
    for m in &post.markers {
        first.entry(m.label.as_str()).or_insert(m);
    }
    first
}

fn marker_before_its_antecedent(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let first = first_markers(cx.post);
    for note in &cx.post.notes {
        let Some(c) = note.citations.first() else {
            continue;
        };
        let Resolution::PreviousNote { note: prev, .. } = c.resolution else {
            continue;
        };
        let prev_label = note_label(cx.post, prev);
        let (Some(mine), Some(theirs)) = (first.get(note.label.as_str()), first.get(prev_label))
        else {
            continue;
        };
        if mine.span.start >= theirs.span.start {
            continue;
        }
        let line = cx.source.line_of(theirs.span.start);
        out.push(
            Finding::new(
                mine.span,
                format!(
                    "note {} is an Ibid. of note {prev_label}, but its marker comes first in the text (note {prev_label} is marked on line {line})",
                    note.label
                ),
            )
            .label("Ibid. read before its source")
            .help("cite the source by its short form here, or restore the order of the notes")
            .note(note.label.clone()),
        );
    }
}

/// Where each marker's sentence stands in a document: for the `k`-th marker ending the same
/// sentence, the post index and note index.
type SentenceIndex = HashMap<String, Vec<(usize, usize)>>;

fn index_sentences(document: &Document, text: &str) -> SentenceIndex {
    let mut index: SentenceIndex = HashMap::new();
    for (pi, post) in document.posts.iter().enumerate() {
        let first = first_markers(post);
        let mut markers: Vec<&&Marker> = first.values().collect();
        markers.sort_by_key(|m| m.span.start);
        // The first note of each lower-cased label: a look-up per marker keeps this linear.
        let mut note_of: HashMap<String, usize> = HashMap::new();
        for (ni, n) in post.notes.iter().enumerate() {
            note_of.entry(n.label.to_ascii_lowercase()).or_insert(ni);
        }
        for m in markers {
            let Some(&ni) = note_of.get(&m.label.to_ascii_lowercase()) else {
                continue;
            };
            if let Some(key) = sentence_key(text, m.span) {
                index.entry(key).or_default().push((pi, ni));
            }
        }
    }
    index
}

fn resolves_differently(
    cx: &Context<'_>,
    old: &Document,
    old_text: &str,
    base_label: &str,
    out: &mut Vec<Finding>,
) {
    let before = index_sentences(old, old_text);
    let now = index_sentences(cx.document, &cx.source.text);
    let Some(post_index) = cx
        .document
        .posts
        .iter()
        .position(|p| p.index == cx.post.index)
    else {
        return;
    };
    for entries in now.iter().flat_map(|(key, list)| {
        list.iter()
            .enumerate()
            .map(move |(k, &(pi, ni))| (key, k, pi, ni))
    }) {
        let (key, k, pi, ni) = entries;
        if pi != post_index {
            continue;
        }
        let Some(&(old_pi, old_ni)) = before.get(key).and_then(|l| l.get(k)) else {
            continue;
        };
        let Some(note) = cx.post.notes.get(ni) else {
            continue;
        };
        let Some(c) = note
            .citations
            .first()
            .filter(|c| c.kind == CitationKind::Ibid)
        else {
            continue;
        };
        let Some(new_source) = c.source.and_then(|s| cx.post.sources.get(s)) else {
            continue;
        };
        let Some(old_post) = old.posts.get(old_pi) else {
            continue;
        };
        let Some(old_source) = old_post
            .notes
            .get(old_ni)
            .and_then(|n| n.citations.first())
            .and_then(|c| c.source)
            .and_then(|s| old_post.sources.get(s))
        else {
            continue;
        };
        if same_work(&old_source.fields, &new_source.fields) || old_source.text == new_source.text {
            continue;
        }
        out.push(
            Finding::new(
                c.span,
                format!(
                    "Ibid. in note {} now resolves to {} (note {}); in {base_label} it resolved to {} (note {})",
                    note.label,
                    source_label(new_source),
                    note_label(cx.post, new_source.note),
                    source_label(old_source),
                    note_label(old_post, old_source.note),
                ),
            )
            .label("points elsewhere since the change")
            .help(format!(
                "if note {} still means {}, cite it by that short form",
                note.label,
                source_label(old_source)
            ))
            .note(note.label.clone()),
        );
    }
}

/// The words of the sentence a marker ends, as a key that survives renumbering and moves.
fn sentence_key(text: &str, marker: Span) -> Option<String> {
    let mut lo = marker.start.saturating_sub(400);
    while !text.is_char_boundary(lo) {
        lo += 1;
    }
    let mut s = text.get(lo..marker.start)?;
    // Step back over the punctuation and the other markers right before this one.
    loop {
        let t = s.trim_end_matches(|c: char| {
            c.is_whitespace()
                || ".,;:!?\"”’)".contains(c)
                || ('⁰'..='⁹').contains(&c)
                || "¹²³".contains(c)
        });
        match t
            .strip_suffix(']')
            .and_then(|t| t.rfind('[').map(|i| &t[..i]))
        {
            Some(rest) => s = rest,
            None => {
                s = t;
                break;
            }
        }
    }
    let cut = [". ", "? ", "! ", ".” ", "\n", "] "]
        .iter()
        .filter_map(|p| s.rfind(p).map(|i| i + p.len()))
        .max()
        .unwrap_or(0);
    let words: Vec<String> = s[cut..]
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    (words.len() >= 3).then(|| words.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::check_text;

    #[test]
    fn ibid_marked_before_its_source() {
        let text = "Gulls nest on them.[2] Cranes came in 1950.[1]\n\n[1] Ana Moe, “Harbour Cranes,” Port Review, May 6, 2021.\n[2] Ibid.\n";
        assert_eq!(
            check_text(&IbidReordered, text),
            vec!["1:20 note 2 is an Ibid. of note 1, but its marker comes first in the text (note 1 is marked on line 1)"]
        );
        let text = "Cranes came in 1950.[1] Gulls nest on them.[2]\n\n[1] Ana Moe, “Harbour Cranes,” Port Review, May 6, 2021.\n[2] Ibid.\n";
        assert!(check_text(&IbidReordered, text).is_empty());
    }

    #[test]
    fn sentence_keys_skip_markers_and_punctuation() {
        let text = "First one. The cranes were sold.[3][4] Next.";
        let at = text.find("[4]").expect("marker");
        assert_eq!(
            sentence_key(text, Span::new(at, at + 3)).as_deref(),
            Some("the cranes were sold")
        );
        assert_eq!(sentence_key("Hi.[1]", Span::new(3, 6)), None);
    }
}
