use foldhash::{HashMap, HashMapExt};

use super::{declare_rule, Context, Rule, RuleInfo};
use crate::cite::{note_label, same_work, source_label};
use crate::diagnostic::{Edit, Finding, Fix};
use crate::identity::WorkKey;
use crate::model::{CitationKind, Document, Marker, Post, Resolution, Source};
use crate::parse::Format;
use crate::short_form::{replacing, shared_by_another, Markup};
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Flags an "Ibid." whose chain depends on an order the text does not follow:
    /// - the marker of its note comes in the text before the marker of the note it leans on,
    ///   so the reader meets the Ibid. before its source;
    /// - with `--base REV` or `--base-file OLD`, the Ibid. (paired with its earlier version by
    ///   the sentence its marker ends) now resolves to a different source than before.
    ///
    /// In the second case `notelint fix --unsafe-fixes` (with the same `--base` or
    /// `--base-file`) replaces the Ibid. by the short form of the source it resolved to
    /// before, when the post cites that work in exactly one source before the note (the help
    /// gives it). The first case has no fix: only the writer knows which source was meant.
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

/// The place of the first marker of each label, by label.
fn first_markers(post: &Post) -> super::FirstByLabel<'_> {
    let mut first = super::FirstByLabel::with_labels(post.markers.len());
    for (i, m) in post.markers.iter().enumerate() {
        first.first_or_insert(m.label.as_str().into(), i);
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
        let marker = |label: &str| first.get(label).and_then(|i| cx.post.markers.get(i));
        let (Some(mine), Some(theirs)) = (marker(note.label.as_str()), marker(prev_label)) else {
            continue;
        };
        if mine.span.start >= theirs.span.start {
            continue;
        }
        let line = cx.source.line_of(theirs.span.start);
        // No fix: whether the Ibid. means the note it leans on (and only its marker is out of
        // place) or the source cited before its marker in the text, only the writer knows.
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

fn index_sentences(document: &Document, text: &str, html: bool) -> SentenceIndex {
    let mut index: SentenceIndex = HashMap::new();
    for (pi, post) in document.posts.iter().enumerate() {
        let first = first_markers(post);
        let mut markers: Vec<&Marker> = post
            .markers
            .iter()
            .enumerate()
            .filter(|&(i, m)| first.get(&m.label) == Some(i))
            .map(|(_, m)| m)
            .collect();
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
            if let Some(key) = sentence_key(text, m.span, html) {
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
    let html = cx.format == Format::Html;
    let before = index_sentences(old, old_text, html);
    let now = index_sentences(cx.document, &cx.source.text, html);
    let mut intended = Intended::default();
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
        let before = cx.post.sources.partition_point(|s| s.note < ni);
        let repair = intended
            .source(cx.post, old_source, ni)
            .filter(|s| !shared_by_another(&cx.post.sources[..before], s))
            .and_then(|s| replacing(&cx.source.text, c, s, Markup::of(cx.format)));
        let mut finding = Finding::new(
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
        .note(note.label.clone());
        finding = match repair {
            // Unsafe: the writer may have meant the Ibid. to follow the inserted note.
            Some((span, short)) => finding
                .help(format!(
                    "if note {} still means {}, cite it by its short form: {short}",
                    note.label,
                    source_label(old_source)
                ))
                .fix(Fix::unsafe_(vec![Edit::new(span, short)])),
            None => finding.help(format!(
                "if note {} still means {}, cite it by that short form",
                note.label,
                source_label(old_source)
            )),
        };
        out.push(finding);
    }
}

/// The most sources of a post [`Intended::source`] compares with a work: the worst case is
/// this many comparisons per finding.
const MAX_SOURCES: usize = 500;

/// The work keys of a post's sources, found on first use (only findings need them).
#[derive(Default)]
struct Intended {
    keys: Vec<WorkKey>,
}

impl Intended {
    /// The source of `post` that is the same work as `old` (a source of the earlier version)
    /// among those cited before note `ni`, when exactly one is: the source an Ibid. of note
    /// `ni` meant. `None` when there is none, several, or more sources before the note than
    /// [`MAX_SOURCES`].
    fn source<'p>(&mut self, post: &'p Post, old: &Source, ni: usize) -> Option<&'p Source> {
        // Sources are added in the order of the notes that first cite them.
        let before = post.sources.partition_point(|s| s.note < ni);
        if before > MAX_SOURCES {
            return None;
        }
        let have = self.keys.len();
        if let Some(more) = post.sources.get(have..before) {
            self.keys
                .extend(more.iter().map(|s| WorkKey::of(&s.fields)));
        }
        let old_key = WorkKey::of(&old.fields);
        let mut found = None;
        for (s, key) in post.sources.iter().zip(&self.keys).take(before) {
            if s.full && (key.same_work(&old_key) || s.text == old.text) {
                if found.is_some() {
                    return None;
                }
                found = Some(s);
            }
        }
        found
    }
}

/// The words of the sentence a marker ends, as a key that survives renumbering and moves.
/// In HTML the tags are left out: a marker's `<sup><a href="#fn3" id="r3">` holds its number.
fn sentence_key(text: &str, marker: Span, html: bool) -> Option<String> {
    let mut lo = marker.start.saturating_sub(400);
    while !text.is_char_boundary(lo) {
        lo += 1;
    }
    let window = text.get(lo..marker.start)?;
    let untagged;
    let mut s = if html {
        untagged = without_tags(window);
        untagged.as_str()
    } else {
        window
    };
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
    let cut = sentence_start(s);
    let words: Vec<String> = s[cut..]
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    (words.len() >= 3).then(|| words.join(" "))
}

/// Where the last sentence of `s` starts: after the last `.`, `?`, `!` (closing quotes
/// allowed) or `]` that white space follows, or after the last blank line. A single line
/// break is no boundary: a sentence re-wrapped between two versions keeps its key.
fn sentence_start(s: &str) -> usize {
    let b = s.as_bytes();
    let mut i = b.len();
    while i > 0 {
        i -= 1;
        if !b[i].is_ascii_whitespace() {
            continue;
        }
        // White space at `i`: what ends before it?
        let before = &s[..i];
        let unquoted = before.trim_end_matches(['”', '’', '"']);
        if unquoted.ends_with(['.', '?', '!']) || before.ends_with(']') {
            return i + 1;
        }
        if b[i] == b'\n' {
            let line = before.trim_end_matches([' ', '\t', '\r']);
            if line.ends_with('\n') {
                return i + 1;
            }
        }
    }
    0
}

/// `text` without its HTML tags (from `<` to the next `>`); a tag cut at the start of the
/// window is left out up to its `>`.
fn without_tags(text: &str) -> String {
    let start = match (text.find('<'), text.find('>')) {
        (Some(lt), Some(gt)) if gt < lt => gt + 1,
        (None, Some(gt)) => gt + 1,
        _ => 0,
    };
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text[start..].chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
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

    /// The fixes the rule offers on `text` (read as `format`) against its earlier version
    /// `old`: each as the text it writes in place of what.
    fn fixes(old: &str, text: &str, format: Format) -> Vec<String> {
        let name = match format {
            Format::Text => "t.txt",
            Format::Markdown => "t.md",
            Format::Html => "t.html",
        };
        let base = crate::base::Base::parse("old", name, old.as_bytes(), format);
        let inputs = crate::rules::Inputs {
            base: Some(std::sync::Arc::new(base)),
            ..Default::default()
        };
        let source = crate::source::SourceFile::new(name, text);
        let document = crate::analyse::parse(&source, format);
        let labels = crate::rules::notes_unrecognized::FileLabels::default();
        let mut out = Vec::new();
        for post in &document.posts {
            let cx = Context::new(&source, &document, post, &inputs, format, &labels);
            let mut findings = Vec::new();
            IbidReordered.check(&cx, &mut findings);
            for f in findings {
                let Some(fix) = f.fix else {
                    out.push("no fix".to_string());
                    continue;
                };
                assert!(!fix.safe, "an Ibid. repair is unsafe");
                for e in fix.edits {
                    out.push(format!("{} -> {}", &text[e.span.range()], e.replacement));
                }
            }
        }
        out
    }

    const OLD: &str = "Cranes came in 1950.[1] They were sold in 1995.[2]\n\n[1] Ana Moe, “Harbour Cranes,” Port Review, May 6, 2021.\n[2] Ibid., 14.\n";
    const NEW: &str = "Cranes came in 1950.[1] Gulls nest on them.[2] They were sold in 1995.[3]\n\n[1] Ana Moe, “Harbour Cranes,” Port Review, May 6, 2021.\n[2] Bo Lee, “Gulls,” Tern Press, 2019.\n[3] Ibid., 14.\n";

    #[test]
    fn an_ibid_that_now_leans_on_an_inserted_note_is_rewritten_to_its_old_source() {
        assert_eq!(
            fixes(OLD, NEW, Format::Text),
            vec!["Ibid., 14. -> Moe, “Harbour Cranes,” 14."]
        );
    }

    #[test]
    fn no_fix_when_the_work_is_gone_or_its_short_form_could_name_another() {
        // The post no longer cites Moe at all.
        let gone = NEW.replace(
            "Ana Moe, “Harbour Cranes,” Port Review",
            "Eva Holm, “Ferries,” Port Review",
        );
        assert_eq!(fixes(OLD, &gone, Format::Text), vec!["no fix"]);
        // Another source's title starts with the same words: its short form could name either.
        let twice = "Cranes came in 1950.[1] Gulls nest on them.[2] They were sold in 1995.[3]\n\n[1] Ana Moe, “Harbour Cranes,” Port Review, May 6, 2021.\n[2] Ana Moe, “Harbour Cranes: Second Thoughts,” Port Review, June 1, 2022.\n[3] Ibid., 14.\n";
        let old = "Cranes came in 1950.[1] They were sold in 1995.[2]\n\n[1] Ana Moe, “Harbour Cranes,” Port Review, May 6, 2021.\n[2] Ibid., 14.\n";
        assert!(
            fixes(old, twice, Format::Text)
                .iter()
                .all(|f| f == "no fix"),
            "{:?}",
            fixes(old, twice, Format::Text)
        );
    }

    #[test]
    fn marker_before_its_antecedent_has_no_fix() {
        let text = "Gulls nest on them.[2] Cranes came in 1950.[1]\n\n[1] Ana Moe, “Harbour Cranes,” Port Review, May 6, 2021.\n[2] Ibid.\n";
        assert_eq!(fixes(text, text, Format::Text), vec!["no fix"]);
    }

    #[test]
    fn renumbered_html_markers_pair_by_their_sentence_not_their_ids() {
        let old = "<p>The light was first lit in 1859.<sup><a href=\"#fn1\" id=\"r1\">[1]</a></sup> Its keepers logged every ship.<sup><a href=\"#fn2\" id=\"r2\">[2]</a></sup></p>\n<p id=\"fn1\">[1] Jon Berg, <em>The Keeper’s Log</em> (Bergen: Fjord &amp; Sea Press, 2015), 33.</p>\n<p id=\"fn2\">[2] Ibid., 41.</p>\n";
        let new = "<p>The light was first lit in 1859.<sup><a href=\"#fn1\" id=\"r1\">[1]</a></sup> Storms closed it for a winter.<sup><a href=\"#fn2\" id=\"r2\">[2]</a></sup> Its keepers logged every ship.<sup><a href=\"#fn3\" id=\"r3\">[3]</a></sup></p>\n<p id=\"fn1\">[1] Jon Berg, <em>The Keeper’s Log</em> (Bergen: Fjord &amp; Sea Press, 2015), 33.</p>\n<p id=\"fn2\">[2] Mia Sund, “The Storm,” <em>Archive Notes</em>, 2018, 7.</p>\n<p id=\"fn3\">[3] Ibid., 41.</p>\n";
        assert_eq!(
            fixes(old, new, Format::Html),
            vec!["Ibid., 41. -> Berg, <em>The Keeper’s Log</em>, 41."]
        );
        assert_eq!(without_tags("a\">x <b>y</b>"), "x y");
    }

    #[test]
    fn sentence_keys_skip_markers_and_punctuation() {
        let text = "First one. The cranes were sold.[3][4] Next.";
        let at = text.find("[4]").expect("marker");
        assert_eq!(
            sentence_key(text, Span::new(at, at + 3), false).as_deref(),
            Some("the cranes were sold")
        );
        assert_eq!(sentence_key("Hi.[1]", Span::new(3, 6), false), None);
        // A sentence re-wrapped over two lines keeps its key; a blank line or a full stop
        // at a line's end still starts a sentence.
        for text in [
            "First one. The cranes\nwere sold.[3]",
            "First one.\nThe cranes were sold.[3]",
            "Heading words here\n\nThe cranes were\n  sold.[3]",
            "He said “no.” The cranes were sold.[3]",
        ] {
            let at = text.find("[3]").expect("marker");
            assert_eq!(
                sentence_key(text, Span::new(at, at + 3), false).as_deref(),
                Some("the cranes were sold"),
                "{text:?}"
            );
        }
    }
}
