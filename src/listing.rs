//! The `notelint notes` listing: every note of every post with its citations, what each
//! resolves to, its locator and its bibliography entry, then the entries and the notes that
//! cite each, as text for editors or as JSON.

use std::io::{self, Write};

use serde::Serialize;

use crate::cite::{note_label, short_label, source_label};
use crate::model::{Citation, CitationKind, Document, Post, Resolution};
use crate::source::SourceFile;

/// The version of the JSON listing; bumped on any incompatible change.
pub const NOTES_JSON_VERSION: u32 = 1;

/// One parsed file to list.
pub struct Listed<'a> {
    pub source: &'a SourceFile,
    pub document: &'a Document,
}

/// Writes the human listing of `files`.
///
/// # Errors
/// Any error writing to `out`.
pub fn write_human(files: &[Listed<'_>], out: &mut dyn Write) -> io::Result<()> {
    for file in files {
        for post in &file.document.posts {
            let start = file.source.line_of(post.span.start);
            let end = file
                .source
                .line_of(post.span.end.saturating_sub(1).max(post.span.start));
            writeln!(
                out,
                "{}: post {} (lines {start}–{end}), {} notes, {} sources",
                file.source.path,
                post.index,
                post.notes.len(),
                post.sources.len()
            )?;
            for note in &post.notes {
                if note.citations.is_empty() {
                    writeln!(out, "  {:>5}  -      (no citation)", note.label)?;
                }
                for (i, c) in note.citations.iter().enumerate() {
                    let label = if i == 0 { note.label.as_str() } else { "" };
                    writeln!(
                        out,
                        "  {label:>5}  {:<5}  {}",
                        kind_name(c.kind),
                        describe(file.source, post, c)
                    )?;
                }
            }
            if !post.bibliography.is_empty() {
                writeln!(out, "  bibliography:")?;
                for (i, entry) in post.bibliography.iter().enumerate() {
                    writeln!(
                        out,
                        "  {:>5}  {}  {}",
                        file.source.line_of(entry.span.start),
                        short_label(&entry.fields, &entry.text.text),
                        cited_by(post, i)
                    )?;
                }
            }
            writeln!(out)?;
        }
    }
    Ok(())
}

fn kind_name(kind: CitationKind) -> &'static str {
    match kind {
        CitationKind::Full => "full",
        CitationKind::Short => "short",
        CitationKind::Ibid => "ibid",
    }
}

/// `← notes 54, 60 (by title)`, or `(cited by no note)`.
fn cited_by(post: &Post, entry: usize) -> String {
    let mut labels = Vec::new();
    let mut evidence = Vec::new();
    for (si, source) in post.sources.iter().enumerate() {
        let Some(m) = source.entry.filter(|m| m.entry == entry) else {
            continue;
        };
        if !evidence.contains(&m.by.name()) {
            evidence.push(m.by.name());
        }
        for note in &post.notes {
            if note.citations.iter().any(|c| c.source == Some(si))
                && !labels.contains(&note.label.as_str())
            {
                labels.push(note.label.as_str());
            }
        }
    }
    if labels.is_empty() {
        return "(cited by no note)".to_string();
    }
    let noun = if labels.len() == 1 { "note" } else { "notes" };
    format!(
        "← {noun} {} (by {})",
        labels.join(", "),
        evidence.join(", ")
    )
}

/// `see also → Betts, “Survival Migration” (note 54) [bibliography line 469], 362`.
fn describe(file: &SourceFile, post: &Post, c: &Citation) -> String {
    let mut s = String::new();
    if let Some(signal) = &c.signal {
        s.push_str(signal);
        s.push(' ');
    }
    let source = c.source.and_then(|i| post.sources.get(i));
    match (c.resolution, source) {
        (Resolution::NoAntecedent, _) | (_, None) => s.push_str("? (nothing to refer to)"),
        (resolution, Some(src)) => {
            if c.kind != CitationKind::Full {
                s.push_str("→ ");
            }
            s.push_str(&source_label(src));
            s.push_str(&format!(" (note {})", note_label(post, src.note)));
            match resolution {
                Resolution::Repeat => s.push_str(" [given in full again]"),
                Resolution::Unmatched => s.push_str(" [no earlier full citation]"),
                Resolution::PreviousNote { sources, .. } if sources > 1 => {
                    s.push_str(&format!(" [previous note cites {sources} sources]"));
                }
                _ => {}
            }
            match src.entry.and_then(|m| post.bibliography.get(m.entry)) {
                Some(entry) => s.push_str(&format!(
                    " [bibliography line {}, by {}]",
                    file.line_of(entry.span.start),
                    src.entry.map_or("", |m| m.by.name())
                )),
                None if src.full && !post.bibliography.is_empty() => {
                    s.push_str(" [not in the bibliography]");
                }
                None => {}
            }
        }
    }
    if let Some(loc) = &c.fields.locator {
        s.push_str(", ");
        s.push_str(&loc.text);
    }
    s
}

#[derive(Serialize)]
struct JsonListing<'a> {
    version: u32,
    files: Vec<JsonFile<'a>>,
}

#[derive(Serialize)]
struct JsonFile<'a> {
    path: &'a str,
    posts: Vec<JsonPost<'a>>,
}

#[derive(Serialize)]
struct JsonPost<'a> {
    index: usize,
    notes: Vec<JsonNote<'a>>,
    sources: Vec<JsonSource<'a>>,
    bibliography: Vec<JsonEntry<'a>>,
}

#[derive(Serialize)]
struct JsonEntry<'a> {
    index: usize,
    line: usize,
    label: String,
    #[serde(flatten)]
    fields: &'a crate::model::CitationFields,
}

#[derive(Serialize)]
struct JsonNote<'a> {
    label: &'a str,
    line: usize,
    citations: Vec<JsonCitation<'a>>,
}

#[derive(Serialize)]
struct JsonCitation<'a> {
    kind: CitationKind,
    text: &'a str,
    signal: Option<&'a str>,
    resolution: Resolution,
    /// Index into the post's `sources`.
    source: Option<usize>,
    /// The note that first cites the source.
    source_note: Option<&'a str>,
    source_label: Option<String>,
    locator: Option<&'a crate::model::Locator>,
}

#[derive(Serialize)]
struct JsonSource<'a> {
    index: usize,
    note: &'a str,
    label: String,
    full: bool,
    /// The source's bibliography entry, when the post has one that matches.
    entry: Option<crate::model::EntryMatch>,
    #[serde(flatten)]
    fields: &'a crate::model::CitationFields,
}

/// Writes the JSON listing of `files`.
///
/// # Errors
/// Any error writing to `out`.
pub fn write_json(files: &[Listed<'_>], out: &mut dyn Write) -> io::Result<()> {
    let listing = JsonListing {
        version: NOTES_JSON_VERSION,
        files: files.iter().map(json_file).collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &listing)?;
    writeln!(out)
}

fn json_file<'a>(file: &Listed<'a>) -> JsonFile<'a> {
    JsonFile {
        path: &file.source.path,
        posts: file
            .document
            .posts
            .iter()
            .map(|post| JsonPost {
                index: post.index,
                notes: post
                    .notes
                    .iter()
                    .map(|note| JsonNote {
                        label: &note.label,
                        line: file.source.line_of(note.span.start),
                        citations: note
                            .citations
                            .iter()
                            .map(|c| {
                                let src = c.source.and_then(|i| post.sources.get(i));
                                JsonCitation {
                                    kind: c.kind,
                                    text: &c.text,
                                    signal: c.signal.as_deref(),
                                    resolution: c.resolution,
                                    source: c.source,
                                    source_note: src.map(|s| note_label(post, s.note)),
                                    source_label: src.map(source_label),
                                    locator: c.fields.locator.as_ref(),
                                }
                            })
                            .collect(),
                    })
                    .collect(),
                sources: post
                    .sources
                    .iter()
                    .enumerate()
                    .map(|(index, s)| JsonSource {
                        index,
                        note: note_label(post, s.note),
                        label: source_label(s),
                        full: s.full,
                        entry: s.entry,
                        fields: &s.fields,
                    })
                    .collect(),
                bibliography: post
                    .bibliography
                    .iter()
                    .enumerate()
                    .map(|(index, e)| JsonEntry {
                        index,
                        line: file.source.line_of(e.span.start),
                        label: short_label(&e.fields, &e.text.text),
                        fields: &e.fields,
                    })
                    .collect(),
            })
            .collect(),
    }
}
