//! Renumbering a post's notes in order of first reference: the planner behind
//! `notelint fix --renumber`.
//!
//! From the document model and the file's text it plans edits, or says why it will not: the
//! markers' digits are replaced, each note's block (the note, its back-links and the end of
//! its element) is moved whole into the place of the note that stood where it now belongs,
//! and the `id`/`href` pairs of HTML notes and their back-links are renamed together. Notes
//! no marker refers to are kept, after the referenced ones, marked by an HTML comment where
//! the format can hide one.
//!
//! A wrong renumbering is far worse than none: the planner refuses whenever the model does
//! not give the mapping with confidence (two notes with one number, a marker without a note,
//! a range of markers, notes that refer to other notes by number, a list split by text, an
//! id whose number cannot be told apart). It is pure: no I/O, no printing.
//!
//! Time: linear in the post's text, plus `O(k log k)` to sort `k` edits and look anchors up.

use std::fmt::Write as _;
use std::ops::Range;
use std::sync::LazyLock;

use foldhash::{HashMap, HashMapExt, HashSet};
use regex::Regex;

use super::short_form::{replacing, Markup};
use crate::diagnostic::Edit;
use crate::model::{CitationKind, Document, Marker, MarkerKind, Note, Post, Resolution};
use crate::parse::Format;
use crate::rules::notes_unrecognized::{is_gfm_note, Pairing};
use crate::source::{SourceFile, Span};

/// The comment that marks a note no marker refers to (HTML and Markdown). Written after the
/// note's block, on its line, and moved with it.
pub const UNREFERENCED_COMMENT: &str = "<!-- notelint: not referenced in the text -->";

/// What may be done beyond safe renumbering.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Rewrite an `Ibid.` that renumbering moves away from its source to the source's short
    /// form (without it, such a post is not renumbered).
    pub unsafe_fixes: bool,
}

/// What the planner decided for one post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// No numbered markers or notes.
    Empty,
    /// The post uses GFM `[^label]` footnotes, which the renderer numbers.
    Footnotes,
    /// The post's notes were not recognised (`notes-unrecognized`): never touched.
    Unrecognized,
    /// Already numbered in order of first reference.
    InOrder,
    /// The edits that renumber the post, and what the editor should know about them.
    Renumbered {
        /// Edits of the decoded text, sorted, not overlapping.
        edits: Vec<Edit>,
        /// How many notes got another number or place.
        moved: usize,
        remarks: Vec<String>,
    },
    /// Not renumbered, and why (naming the note).
    Refused(String),
}

/// A note that refers to another note by its number: `see note 3`, `n. 12`, `supra note 4`,
/// `[3]`. Renumbering would leave the number pointing at another note.
static NOTE_REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:\b(?:notes?|nn?\.|fn\.?|footnotes?)\s*\d{1,4}\b)|\[\d{1,4}\]|\[\^[^\]]+\]")
        .expect("valid regex")
});

/// Plans the renumbering of `post` of `document`, read from `source` in `format`.
#[must_use]
pub fn plan(
    source: &SourceFile,
    document: &Document,
    post: &Post,
    format: Format,
    options: Options,
) -> Outcome {
    if post.markers.is_empty() && post.notes.is_empty() {
        return Outcome::Empty;
    }
    if post.markers.iter().any(|m| m.kind == MarkerKind::Footnote)
        || post.notes.iter().any(|n| is_gfm_note(source, n))
    {
        return Outcome::Footnotes;
    }
    // A post already numbered in order needs nothing, however its notes are laid out: say
    // nothing about it rather than why it could not have been renumbered.
    if numbered_in_order(post) {
        return Outcome::InOrder;
    }
    if !Pairing::of(post, document, source).recognised() {
        return Outcome::Unrecognized;
    }
    match Planner::new(source, document, post, format, options).run() {
        Ok(outcome) => outcome,
        Err(why) => Outcome::Refused(why),
    }
}

/// Whether the post's numbered notes are `1, 2, …, n` in list order and its markers refer to
/// them for the first time in that order, every marker to an existing note: what renumbering
/// would produce, so there is nothing to do.
fn numbered_in_order(post: &Post) -> bool {
    let numbered =
        |n: Option<u32>, k: usize| n.is_some_and(|n| usize::try_from(n).ok() == Some(k + 1));
    if !post
        .notes
        .iter()
        .enumerate()
        .all(|(k, n)| numbered(n.number, k))
    {
        return false;
    }
    // Markers may repeat an earlier number; a new one must be the next.
    let mut seen = 0usize;
    post.markers
        .iter()
        .all(|m| match m.number.and_then(|n| usize::try_from(n).ok()) {
            Some(n) if n >= 1 && n <= seen => true,
            Some(n) if n == seen + 1 && n <= post.notes.len() => {
                seen = n;
                true
            }
            _ => false,
        })
        && seen == post.notes.len()
}

struct Planner<'a> {
    text: &'a str,
    document: &'a Document,
    post: &'a Post,
    format: Format,
    options: Options,
}

/// Where a note's block lies: the note, its back-links and the end of its element.
struct Block {
    span: Range<usize>,
}

impl<'a> Planner<'a> {
    fn new(
        source: &'a SourceFile,
        document: &'a Document,
        post: &'a Post,
        format: Format,
        options: Options,
    ) -> Self {
        Self {
            text: &source.text,
            document,
            post,
            format,
            options,
        }
    }

    fn run(&self) -> Result<Outcome, String> {
        let post = self.post;
        let notes = &post.notes;
        if notes.is_empty() {
            let m = &post.markers[0];
            return Err(format!("marker [{}] has no note", m.label));
        }
        // Each number names one note.
        let mut by_number: HashMap<u32, usize> = HashMap::with_capacity(notes.len());
        for (i, note) in notes.iter().enumerate() {
            let Some(n) = note.number else {
                return Err(format!("note “{}” has no number", note.label));
            };
            if by_number.insert(n, i).is_some() {
                return Err(format!("two notes are numbered {n}"));
            }
        }
        // Each marker refers to one note, by number.
        let mut marker_note = Vec::with_capacity(post.markers.len());
        for m in &post.markers {
            let Some(n) = m.number else {
                return Err(format!("marker [{}] is not a number", m.label));
            };
            let Some(&i) = by_number.get(&n) else {
                return Err(format!("marker [{n}] has no note"));
            };
            if let (Some(target), Some(id)) = (&m.target, &notes[i].id) {
                if &target.target != id {
                    return Err(format!(
                        "marker [{n}] links to #{}, not to note {n}'s id {id}",
                        target.target
                    ));
                }
            }
            marker_note.push(i);
        }
        // Notes that refer to other notes by number.
        for note in notes {
            if let Some(m) = NOTE_REFERENCE.find(&note.text.text) {
                return Err(format!(
                    "note {} refers to a note by number (“{}”)",
                    note.label,
                    m.as_str()
                ));
            }
        }
        // The new order: referenced notes by first reference, then the others as they stand.
        let mut order: Vec<usize> = Vec::with_capacity(notes.len());
        let mut placed = vec![false; notes.len()];
        for &i in &marker_note {
            if !placed[i] {
                placed[i] = true;
                order.push(i);
            }
        }
        order.extend((0..notes.len()).filter(|&i| !placed[i]));
        let mut new_number = vec![0u32; notes.len()];
        for (k, &i) in order.iter().enumerate() {
            new_number[i] = u32::try_from(k + 1).map_err(|_| "too many notes".to_string())?;
        }
        let blocks = self.blocks()?;
        let mut remarks = Vec::new();
        // Ids: each note's and each marker's, renamed with its number.
        let renames = self.id_renames(&marker_note, &new_number)?;
        // Body edits: marker digits, marker hrefs, marker ids.
        let mut body: Vec<Edit> = Vec::new();
        for (m, &i) in post.markers.iter().zip(&marker_note) {
            let old = notes[i].number.unwrap_or(0);
            body.push(self.marker_digits(m, old, new_number[i])?);
            if let Some(target) = &m.target {
                if let Some(new_id) = renames.get(target.target.as_str()) {
                    body.push(self.href_edit(target.span, &target.target, new_id)?);
                }
            }
            if let Some(id) = &m.id {
                if let Some(new_id) = renames.get(id.as_str()) {
                    body.push(self.anchor_edit(id, new_id)?);
                }
            }
        }
        let body = dedupe(body)?;
        for e in &body {
            if blocks
                .iter()
                .any(|b| e.span.start < b.span.end && b.span.start < e.span.end)
            {
                return Err("a marker stands inside the notes list".to_string());
            }
        }
        // Ibid. notes whose source would no longer precede them.
        let mut ibid_edits: Vec<Vec<Edit>> = vec![Vec::new(); notes.len()];
        for (k, &i) in order.iter().enumerate() {
            let before = k.checked_sub(1).map(|p| order[p]);
            for c in &notes[i].citations {
                if c.kind != CitationKind::Ibid {
                    continue;
                }
                let leans_on = match c.resolution {
                    Resolution::PreviousNote { note, .. } => Some(note),
                    Resolution::NoAntecedent => None,
                    _ => continue,
                };
                if before == leans_on {
                    continue;
                }
                let label = &notes[i].label;
                let new = new_number[i];
                let src = c.source.and_then(|s| post.sources.get(s));
                if !self.options.unsafe_fixes {
                    return Err(format!(
                        "note {label} (new {new}) is an Ibid. that would no longer follow its source; \
                         --unsafe-fixes rewrites it to the source's short form"
                    ));
                }
                let Some(src) = src else {
                    return Err(format!(
                        "note {label} is an Ibid. with no source to name in its place"
                    ));
                };
                let Some((span, short)) = replacing(self.text, c, src, Markup::of(self.format))
                else {
                    return Err(format!(
                        "note {label} is an Ibid. notelint cannot rewrite to a short form (its source has no title, or a comment follows it)"
                    ));
                };
                ibid_edits[i].push(Edit::new(span, short.clone()));
                remarks.push(format!(
                    "note {new}: Ibid. rewritten as “{short}” (it would no longer follow its source)"
                ));
            }
        }
        // Each note's block rebuilt with its new number, ids and back-links.
        let mut rebuilt = Vec::with_capacity(notes.len());
        for (i, note) in notes.iter().enumerate() {
            let old = note.number.unwrap_or(0);
            let block = &blocks[i];
            let mut edits = self.note_edits(note, old, new_number[i], &renames)?;
            edits.append(&mut ibid_edits[i]);
            let edits = dedupe(edits)?;
            for e in &edits {
                if e.span.start < block.span.start || e.span.end > block.span.end {
                    return Err(format!(
                        "note {}: its label, id or back-link lies outside the note",
                        note.label
                    ));
                }
            }
            let mut out = String::with_capacity(block.span.len() + 16);
            let mut at = block.span.start;
            for e in &edits {
                out.push_str(&self.text[at..e.span.start]);
                out.push_str(&e.replacement);
                at = e.span.end;
            }
            out.push_str(&self.text[at..block.span.end]);
            let unreferenced = !placed[i];
            let mut out = out
                .strip_suffix(UNREFERENCED_COMMENT)
                .map_or(out.as_str(), |s| s.strip_suffix(' ').unwrap_or(s))
                .to_string();
            if unreferenced {
                if self.format == Format::Text {
                    remarks.push(format!(
                        "note {} (now {}) is not referenced: kept at the end (plain text can hold no hidden comment)",
                        note.label, new_number[i]
                    ));
                } else {
                    out.push(' ');
                    out.push_str(UNREFERENCED_COMMENT);
                    remarks.push(format!(
                        "note {} (now {}) is not referenced: kept at the end with a comment",
                        note.label, new_number[i]
                    ));
                }
            }
            rebuilt.push(out);
        }
        // Slot k (the place of the k-th note in the file) takes the note now numbered k + 1.
        let mut edits = body
            .into_iter()
            .filter(|e| self.text.get(e.span.range()) != Some(e.replacement.as_str()))
            .collect::<Vec<_>>();
        let mut moved = 0;
        for (k, &i) in order.iter().enumerate() {
            let slot = &blocks[k].span;
            let replacement = std::mem::take(&mut rebuilt[i]);
            if i != k || notes[i].number != Some(new_number[i]) {
                moved += 1;
            }
            if self.text.get(slot.clone()) != Some(replacement.as_str()) {
                edits.push(Edit::new(Span::new(slot.start, slot.end), replacement));
            }
        }
        if edits.is_empty() {
            return Ok(Outcome::InOrder);
        }
        edits.sort_by_key(|e| (e.span.start, e.span.end));
        if edits.windows(2).any(|w| w[0].span.end > w[1].span.start) {
            return Err("its markers and notes overlap".to_string());
        }
        Ok(Outcome::Renumbered {
            edits,
            moved,
            remarks,
        })
    }

    /// Each note's block: from the start of the note to the end of its element (HTML) or of
    /// its line, with the unreferenced-note comment after it. Refuses a list split by text.
    fn blocks(&self) -> Result<Vec<Block>, String> {
        let notes = &self.post.notes;
        let mut blocks: Vec<Block> = Vec::with_capacity(notes.len());
        for (i, note) in notes.iter().enumerate() {
            let start = note.span.start;
            let limit = notes
                .get(i + 1)
                .map_or(self.text.len(), |n| n.span.start)
                .max(note.span.end);
            let mut end = match self.element_end(note, limit) {
                Some(end) => end,
                // The end of the line, without what ends it as a line: trailing spaces and a
                // backslash (Markdown's hard line breaks) belong to the place in the list,
                // not to the note (the last note of a list usually has none).
                None => {
                    let line = &self.text[note.span.end..line_end(self.text, note.span.end)];
                    let mut kept = line.trim_end_matches([' ', '\t']);
                    if self.format == Format::Markdown {
                        kept = kept.strip_suffix('\\').unwrap_or(kept);
                    }
                    (note.span.end + kept.len()).min(limit)
                }
            };
            let after = &self.text[end..limit];
            let comment = format!(" {UNREFERENCED_COMMENT}");
            if after.starts_with(&comment) {
                end += comment.len();
            }
            if let Some(prev) = blocks.last() {
                let gap = &self.text[prev.span.end..start];
                if !self.is_separator(gap) {
                    return Err(format!(
                        "notes {} and {} are not in one list",
                        notes[i - 1].label,
                        note.label
                    ));
                }
            }
            blocks.push(Block { span: start..end });
        }
        Ok(blocks)
    }

    /// The end of the HTML element a note starts with (`<li id="fn3">` … `</li>`), found
    /// before `limit`; `None` outside HTML or when the note does not start with a tag.
    fn element_end(&self, note: &Note, limit: usize) -> Option<usize> {
        if self.format != Format::Html {
            return None;
        }
        let text = &self.text[..limit];
        let rest = text.get(note.span.start..)?;
        let name: String = rest
            .strip_prefix('<')?
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() {
            return None;
        }
        let bytes = text.as_bytes();
        let open_end = note.span.start + rest.find('>')? + 1;
        let mut depth = 0usize;
        let mut at = open_end;
        while let Some(off) = memchr::memchr(b'<', &bytes[at..]) {
            let lt = at + off;
            let after = &text[lt + 1..];
            let closing = after.strip_prefix('/');
            let tag = closing.unwrap_or(after);
            let matches = tag.len() >= name.len()
                && tag.as_bytes()[..name.len()].eq_ignore_ascii_case(name.as_bytes())
                && tag
                    .as_bytes()
                    .get(name.len())
                    .is_some_and(|b| matches!(b, b'>' | b' ' | b'\t' | b'\n' | b'\r' | b'/'));
            if matches {
                if closing.is_some() {
                    if depth == 0 {
                        return Some(lt + 1 + after.find('>')? + 1);
                    }
                    depth -= 1;
                } else {
                    depth += 1;
                }
            }
            at = lt + 1;
        }
        None
    }

    /// Whether the text between two notes' blocks leaves them one list: white space, and in
    /// HTML tags, comments and `&nbsp;`; in Markdown, comments.
    fn is_separator(&self, gap: &str) -> bool {
        let mut rest = gap;
        loop {
            rest = rest.trim_start_matches(|c: char| c.is_whitespace());
            if rest.is_empty() {
                return true;
            }
            if let Some(after) = rest.strip_prefix("<!--") {
                match after.find("-->") {
                    Some(end) => rest = &after[end + 3..],
                    None => return false,
                }
            } else if self.format == Format::Html && rest.starts_with('<') {
                match rest.find('>') {
                    Some(end) => rest = &rest[end + 1..],
                    None => return false,
                }
            } else if self.format == Format::Html && rest.starts_with("&nbsp;") {
                rest = &rest["&nbsp;".len()..];
            } else {
                return false;
            }
        }
    }

    /// The new ids of the notes' and markers' element ids whose number can be read: the
    /// digits equal to the note's number, once in the id. An id without them keeps its name;
    /// an id with them twice, or one that renaming would give to two elements, is refused.
    fn id_renames(
        &self,
        marker_note: &[usize],
        new_number: &[u32],
    ) -> Result<HashMap<&'a str, String>, String> {
        let notes = &self.post.notes;
        let mut renames: HashMap<&'a str, String> = HashMap::new();
        let mut add = |id: &'a str, old: u32, new: u32, what: &str| -> Result<(), String> {
            let Some(renamed) = renumber_id(id, old, new)? else {
                return Ok(());
            };
            match renames.get(id) {
                Some(prev) if prev != &renamed => Err(format!(
                    "{what}: id {id} would be renamed both {prev} and {renamed}"
                )),
                _ => {
                    renames.insert(id, renamed);
                    Ok(())
                }
            }
        };
        for (i, note) in notes.iter().enumerate() {
            if let Some(id) = &note.id {
                let old = note.number.unwrap_or(0);
                add(id, old, new_number[i], &format!("note {}", note.label))
                    .map_err(|e| format!("{e} (its number is unclear)"))?;
            }
        }
        for (m, &i) in self.post.markers.iter().zip(marker_note) {
            if let Some(id) = &m.id {
                let old = notes[i].number.unwrap_or(0);
                add(id, old, new_number[i], &format!("marker [{old}]"))?;
            }
        }
        // Back-links go to the post's markers: one to anything else cannot be followed.
        let marker_ids: HashSet<&str> = self
            .post
            .markers
            .iter()
            .filter_map(|m| m.id.as_deref())
            .collect();
        for note in notes {
            for b in &note.backlinks {
                if !marker_ids.contains(b.target.as_str()) {
                    return Err(format!(
                        "note {} links back to #{}, which is none of the post's markers",
                        note.label, b.target
                    ));
                }
            }
        }
        // No two elements may end with one id.
        let mut finals: HashMap<&str, usize> = HashMap::with_capacity(self.document.anchors.len());
        for a in &self.document.anchors {
            let id = renames
                .get(a.id.as_str())
                .map_or(a.id.as_str(), String::as_str);
            *finals.entry(id).or_insert(0) += 1;
        }
        for new_id in renames.values() {
            if finals.get(new_id.as_str()).copied().unwrap_or(0) > 1 {
                return Err(format!(
                    "renaming would give the id {new_id} to two elements"
                ));
            }
        }
        for id in renames.keys() {
            if self.anchor(id)?.is_none() {
                return Err(format!("no element has the id {id}"));
            }
        }
        Ok(renames)
    }

    /// The span of the one `id="…"` value that gives `id`; an error when two elements have it.
    fn anchor(&self, id: &str) -> Result<Option<Span>, String> {
        let anchors = &self.document.anchors;
        let from = anchors.partition_point(|a| a.id.as_str() < id);
        let to = anchors.partition_point(|a| a.id.as_str() <= id);
        match &anchors[from..to] {
            [] => Ok(None),
            [one] => Ok(Some(one.span)),
            _ => Err(format!("the id {id} is used more than once")),
        }
    }

    fn anchor_edit(&self, id: &str, new_id: &str) -> Result<Edit, String> {
        match self.anchor(id)? {
            Some(span) if self.text.get(span.range()) == Some(id) => Ok(Edit::new(span, new_id)),
            _ => Err(format!("the id {id} is not written as it reads")),
        }
    }

    /// The edit of an `href="#fn3"` value: the id at its end renamed.
    fn href_edit(&self, span: Span, id: &str, new_id: &str) -> Result<Edit, String> {
        let written = self.text.get(span.range()).unwrap_or("");
        if written != id && !written.ends_with(&format!("#{id}")) {
            return Err(format!("the link {written} is not written as #{id}"));
        }
        Ok(Edit::new(Span::new(span.end - id.len(), span.end), new_id))
    }

    /// The edit of a marker's visible number.
    fn marker_digits(&self, m: &Marker, old: u32, new: u32) -> Result<Edit, String> {
        let written = self.text.get(m.span.range()).unwrap_or("");
        if m.kind == MarkerKind::Superscript {
            return if superscript_value(written) == Some(old) {
                Ok(Edit::new(m.span, superscript(new)))
            } else {
                Err(format!("marker {written} is not the number {old}"))
            };
        }
        let runs: Vec<Range<usize>> = digit_runs(written)
            .into_iter()
            .filter(|r| written[r.clone()].parse::<u32>() == Ok(old))
            .collect();
        let [run] = runs.as_slice() else {
            return Err(format!(
                "marker {written} does not show its number {old} once"
            ));
        };
        let (s, e) = (m.span.start + run.start, m.span.start + run.end);
        // `[12–14]`: the number is one end of a range, which renumbering may not keep whole.
        let dash = |c: char| matches!(c, '-' | '–' | '—');
        let before = self.text[..s].trim_end_matches(' ');
        let after = self.text[e..].trim_start_matches(' ');
        let range_before = before.strip_suffix(dash).is_some_and(|b| {
            b.trim_end_matches(' ')
                .ends_with(|c: char| c.is_ascii_digit())
        });
        let range_after = after.strip_prefix(dash).is_some_and(|a| {
            a.trim_start_matches(' ')
                .starts_with(|c: char| c.is_ascii_digit())
        });
        if range_before || range_after {
            return Err(format!("marker [{old}] is part of a range of notes"));
        }
        Ok(Edit::new(Span::new(s, e), new.to_string()))
    }

    /// The edits inside a note: its label's digits, its id, its back-links' targets and the
    /// number a back-link shows.
    fn note_edits(
        &self,
        note: &Note,
        old: u32,
        new: u32,
        renames: &HashMap<&str, String>,
    ) -> Result<Vec<Edit>, String> {
        let mut edits = Vec::new();
        let label = self.text.get(note.label_span.range()).unwrap_or("");
        // A pandoc note's label is its id, renamed below; the number it shows is its place
        // in the `<ol>`, which moving the block sets.
        let runs = if note.id.as_deref() == Some(label) {
            Vec::new()
        } else {
            digit_runs(label)
        };
        match runs.as_slice() {
            [] => {}
            [run] if label[run.clone()].parse::<u32>() == Ok(old) => edits.push(Edit::new(
                Span::new(
                    note.label_span.start + run.start,
                    note.label_span.start + run.end,
                ),
                new.to_string(),
            )),
            _ => {
                return Err(format!(
                    "note {}: its label {label} does not show its number once",
                    note.label
                ))
            }
        }
        if let Some(id) = &note.id {
            if let Some(new_id) = renames.get(id.as_str()) {
                edits.push(self.anchor_edit(id, new_id)?);
            }
        }
        for b in &note.backlinks {
            if let Some(new_id) = renames.get(b.target.as_str()) {
                edits.push(self.href_edit(b.span, &b.target, new_id)?);
            }
            // The back-link's text: `↩ 3` shows the note's number.
            let shown = self.link_text(b.span.end);
            let runs = visible_digit_runs(self.text, shown.clone());
            if runs.is_empty() {
                continue;
            }
            let all_old = runs
                .iter()
                .all(|r| self.text[r.clone()].parse::<u32>() == Ok(old));
            if note.backlinks.len() > 1 || runs.len() > 1 || !all_old {
                return Err(format!(
                    "note {}: a back-link shows a number notelint cannot map",
                    note.label
                ));
            }
            for r in runs {
                edits.push(Edit::new(Span::new(r.start, r.end), new.to_string()));
            }
        }
        Ok(edits)
    }

    /// The content of the `<a …>` element whose `href` value ends at `href_end`, up to its
    /// `</a>`: empty when it cannot be found on the way.
    fn link_text(&self, href_end: usize) -> Range<usize> {
        let rest = &self.text[href_end..];
        let Some(gt) = rest.find('>') else {
            return href_end..href_end;
        };
        let start = href_end + gt + 1;
        let after = &self.text[start..];
        let close = after
            .char_indices()
            .find(|&(i, _)| {
                after.as_bytes()[i] == b'<'
                    && after
                        .get(i..i + 4)
                        .is_some_and(|t| t.eq_ignore_ascii_case("</a>"))
            })
            .map_or(0, |(i, _)| i);
        start..start + close
    }
}

/// `id` with the digits that give `old` replaced by `new`: `None` when the id does not show
/// the number; an error when it shows it more than once.
fn renumber_id(id: &str, old: u32, new: u32) -> Result<Option<String>, String> {
    if old == new {
        return Ok(None);
    }
    let runs: Vec<Range<usize>> = digit_runs(id)
        .into_iter()
        .filter(|r| id[r.clone()].parse::<u32>() == Ok(old))
        .collect();
    match runs.as_slice() {
        [] => Ok(None),
        [run] => {
            let mut out = String::with_capacity(id.len() + 2);
            out.push_str(&id[..run.start]);
            let _ = write!(out, "{new}");
            out.push_str(&id[run.end..]);
            Ok(Some(out))
        }
        _ => Err(format!("id {id} shows the number {old} more than once")),
    }
}

/// The ranges of ASCII digit runs in `s`.
fn digit_runs(s: &str) -> Vec<Range<usize>> {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            out.push(start..i);
        } else {
            i += 1;
        }
    }
    out
}

/// The digit runs of `text[range]` a reader sees: not inside tags or entities (`&#8617;`).
/// Ranges are in `text`.
fn visible_digit_runs(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = range.start;
    while i < range.end {
        match bytes[i] {
            b'<' => {
                i = memchr::memchr(b'>', &bytes[i..range.end]).map_or(range.end, |o| i + o + 1);
            }
            b'&' => {
                let end = bytes[i..range.end.min(i + 12)]
                    .iter()
                    .position(|&b| b == b';');
                i = end.map_or(i + 1, |o| i + o + 1);
            }
            b if b.is_ascii_digit() => {
                let start = i;
                while i < range.end && bytes[i].is_ascii_digit() {
                    i += 1;
                }
                out.push(start..i);
            }
            _ => i += 1,
        }
    }
    out
}

const SUPERSCRIPTS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];

fn superscript(n: u32) -> String {
    n.to_string()
        .bytes()
        .map(|b| SUPERSCRIPTS[usize::from(b - b'0')])
        .collect()
}

fn superscript_value(s: &str) -> Option<u32> {
    let mut n: u32 = 0;
    let mut any = false;
    for c in s.chars() {
        let d = SUPERSCRIPTS.iter().position(|&x| x == c)?;
        n = n.checked_mul(10)?.checked_add(u32::try_from(d).ok()?)?;
        any = true;
    }
    any.then_some(n)
}

/// The end of the line holding `at`, before its line break.
fn line_end(text: &str, at: usize) -> usize {
    memchr::memchr2(b'\n', b'\r', &text.as_bytes()[at..]).map_or(text.len(), |o| at + o)
}

/// Sorts edits and drops repeats of one edit (a pandoc note's label is its id); two edits of
/// the same bytes with different text, or overlapping ones, are refused.
fn dedupe(mut edits: Vec<Edit>) -> Result<Vec<Edit>, String> {
    edits.sort_by(|a, b| {
        (a.span.start, a.span.end, &a.replacement).cmp(&(b.span.start, b.span.end, &b.replacement))
    });
    edits.dedup();
    if edits.windows(2).any(|w| w[0].span.end > w[1].span.start) {
        return Err("two of its edits would overlap".to_string());
    }
    Ok(edits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Fix;

    /// Renumbers the first post of `text`: the new text, or the planner's outcome when it
    /// made no edits.
    fn renumber(text: &str, format: Format, unsafe_fixes: bool) -> Result<String, Outcome> {
        let source = SourceFile::new("t", text);
        let doc = crate::analyse::parse(&source, format);
        let outcome = plan(
            &source,
            &doc,
            &doc.posts[0],
            format,
            Options { unsafe_fixes },
        );
        match outcome {
            Outcome::Renumbered { edits, .. } => {
                let fix = Fix::safe(edits);
                let applied = crate::fix::apply(text.as_bytes(), &[&fix]);
                assert_eq!(applied.applied, 1);
                Ok(String::from_utf8(applied.bytes).expect("utf-8"))
            }
            other => Err(other),
        }
    }

    #[test]
    fn a_post_in_order_is_left_alone_silently_even_when_its_notes_are_not_one_list() {
        // Notes after the paragraph that cites them, as old books print them: nothing to do,
        // and nothing to refuse either.
        let text = "Bees swarm.[1]\n\n[1] Ann Lee, Bees (Oslo: Elv, 1977), 3.\n\nAnts march.[2] Bees again.[1]\n\n[2] Bo Moe, Ants (Oslo: Elv, 1980), 4.\n";
        assert_eq!(renumber(text, Format::Text, false), Err(Outcome::InOrder));
    }

    fn fixture(path: &str) -> String {
        std::fs::read_to_string(format!(
            "{}/fixtures/renumber/{path}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .expect("fixture")
    }

    #[test]
    fn the_shuffled_forms_are_renumbered_into_their_fixed_forms() {
        for (name, format) in [
            ("post.txt", Format::Text),
            ("post-numbered.md", Format::Markdown),
            ("post-pandoc.html", Format::Html),
            ("post-wordpress.html", Format::Html),
        ] {
            let fixed =
                renumber(&fixture(name), format, false).unwrap_or_else(|o| panic!("{name}: {o:?}"));
            assert_eq!(fixed, fixture(&format!("fixed/{name}")), "{name}");
            // Renumbered, the post is in order.
            assert_eq!(
                renumber(&fixed, format, false),
                Err(Outcome::InOrder),
                "{name}"
            );
        }
    }

    #[test]
    fn gfm_footnotes_are_left_to_the_renderer() {
        let text = fixture("post-footnotes.md");
        assert_eq!(
            renumber(&text, Format::Markdown, false),
            Err(Outcome::Footnotes)
        );
    }

    #[test]
    fn ambiguous_numberings_are_refused() {
        let refused = |text: &str| match renumber(text, Format::Text, true) {
            Err(Outcome::Refused(why)) => why,
            other => panic!("not refused: {other:?}"),
        };
        let two = "A.[2] B.[1]\n\n[1] Ann Lee, Bees (Oslo: Elv, 1977), 3.\n[1] Bo Moe, Ants (Oslo: Elv, 1980), 4.\n[2] Cy Dahl, Wasps (Oslo: Elv, 1981), 5.\n";
        assert!(refused(two).contains("two notes are numbered 1"));
        let missing = "A.[3] B.[1] C.[2] D.[4]\n\n[1] Ann Lee, Bees (Oslo: Elv, 1977), 3.\n[2] Bo Moe, Ants (Oslo: Elv, 1980), 4.\n[3] Cy Dahl, Wasps (Oslo: Elv, 1981), 5.\n";
        assert!(refused(missing).contains("marker [4] has no note"));
        let split = "A.[2] B.[1]\n\n[1] Ann Lee, Bees (Oslo: Elv, 1977), 3.\n\nMore prose here.\n\n[2] Cy Dahl, Wasps (Oslo: Elv, 1981), 5.\n";
        assert!(
            refused(split).contains("not in one list"),
            "{}",
            refused(split)
        );
        let cross = "A.[2] B.[1]\n\n[1] Ann Lee, Bees (Oslo: Elv, 1977), 3.\n[2] Lee, Bees, 4; see note 1.\n";
        assert!(refused(cross).contains("refers to a note by number"));
        let range = "A.[3] B.[1–2]\n\n[1] Ann Lee, Bees (Oslo: Elv, 1977), 3.\n[2] Bo Moe, Ants (Oslo: Elv, 1980), 4.\n[3] Cy Dahl, Wasps (Oslo: Elv, 1981), 5.\n";
        assert!(refused(range).contains("range"), "{}", refused(range));
    }

    #[test]
    fn unreferenced_notes_go_to_the_end_with_a_comment_where_one_can_hide() {
        let text = "# T\n\nA.[3] B.[1]\n\n[1] Ann Lee, *Bees* (Oslo: Elv, 1977), 3.\n[2] Bo Moe, *Ants* (Oslo: Elv, 1980), 4.\n[3] Cy Dahl, *Wasps* (Oslo: Elv, 1981), 5.\n";
        let fixed = renumber(text, Format::Markdown, false).expect("renumbered");
        assert_eq!(
            fixed,
            format!("# T\n\nA.[1] B.[2]\n\n[1] Cy Dahl, *Wasps* (Oslo: Elv, 1981), 5.\n[2] Ann Lee, *Bees* (Oslo: Elv, 1977), 3.\n[3] Bo Moe, *Ants* (Oslo: Elv, 1980), 4. {UNREFERENCED_COMMENT}\n")
        );
        assert_eq!(
            renumber(&fixed, Format::Markdown, false),
            Err(Outcome::InOrder)
        );
        let plain = text.replace('*', "").replace("# T\n\n", "");
        let fixed = renumber(&plain, Format::Text, false).expect("renumbered");
        assert!(
            fixed.ends_with("[3] Bo Moe, Ants (Oslo: Elv, 1980), 4.\n"),
            "{fixed}"
        );
    }

    #[test]
    fn an_ibid_moved_from_its_source_is_refused_or_rewritten_to_a_short_form() {
        // The paragraph citing Lee moved between Moe and the Ibid. of Moe.
        let text = "Cranes.[1] Kept.[3] Sold.[2]\n\n[1] Ana Moe, “Harbour Cranes,” Port Review, May 6, 2021, 4.\n[2] Ibid., 9.\n[3] Bo Lee, “Gulls,” Tern Press, 2019, 2.\n";
        match renumber(text, Format::Text, false) {
            Err(Outcome::Refused(why)) => assert!(why.contains("Ibid."), "{why}"),
            other => panic!("{other:?}"),
        }
        // Ibid. in note 1 has no antecedent today: it cannot be rewritten.
        let orphan_ibid = "Cranes.[2] Kept.[3] Sold.[1]\n\n[1] Ibid., 9.\n[2] Ana Moe, “Harbour Cranes,” Port Review, May 6, 2021, 4.\n[3] Bo Lee, “Gulls,” Tern Press, 2019, 2.\n";
        assert!(matches!(
            renumber(orphan_ibid, Format::Text, true),
            Err(Outcome::Refused(_))
        ));
        let fixed = renumber(text, Format::Text, true).expect("rewritten");
        assert_eq!(
            fixed,
            "Cranes.[1] Kept.[2] Sold.[3]\n\n[1] Ana Moe, “Harbour Cranes,” Port Review, May 6, 2021, 4.\n[2] Bo Lee, “Gulls,” Tern Press, 2019, 2.\n[3] Moe, “Harbour Cranes,” 9.\n"
        );
    }

    #[test]
    fn markdown_hard_breaks_stay_in_their_place_in_the_list() {
        let text = "# T\n\nB.[2] A.[1]\n\n[1] Ann Lee, *Bees* (Oslo: Elv, 1977), 3.  \n[2] Cy Dahl, *Wasps* (Oslo: Elv, 1981), 5.\n";
        assert_eq!(
            renumber(text, Format::Markdown, false).expect("renumbered"),
            "# T\n\nB.[1] A.[2]\n\n[1] Cy Dahl, *Wasps* (Oslo: Elv, 1981), 5.  \n[2] Ann Lee, *Bees* (Oslo: Elv, 1977), 3.\n"
        );
    }

    #[test]
    fn superscript_markers_are_rewritten_in_superscript() {
        assert_eq!(superscript(12), "¹²");
        assert_eq!(superscript_value("¹²"), Some(12));
        assert_eq!(superscript_value("1"), None);
    }

    #[test]
    fn ids_are_renamed_at_their_number_only() {
        assert_eq!(renumber_id("fn3", 3, 1), Ok(Some("fn1".into())));
        assert_eq!(renumber_id("fnref5-2", 5, 2), Ok(Some("fnref2-2".into())));
        assert_eq!(renumber_id("note-a", 5, 2), Ok(None));
        assert!(renumber_id("n3-3", 3, 1).is_err());
        // A note that keeps its number keeps its ids, however they read.
        assert_eq!(renumber_id("fnref2-2", 2, 2), Ok(None));
    }
}
