//! The files of one run and the element ids each holds, so that a note link into another file
//! (`endnotes.xhtml#note-3`, `chapter-1.xhtml#noteref-3`) can be checked against that file
//! when it is linted in the same run.
//!
//! The pipeline builds the index after loading and before linting, from the ids the parsers
//! put in the model; rules read it through [`crate::rules::Inputs`] and never touch the file
//! system. It holds ids only, not texts. A link resolves only to a file of the run: a file
//! outside it is unknown, and its links stay unchecked.

use std::collections::HashMap;
use std::sync::Arc;

use crate::model::{Document, FileLinkKind};

/// The ids of every HTML file of a run, keyed by the file's normalised path.
#[derive(Debug, Default)]
pub struct RunFiles {
    files: HashMap<String, FileIds>,
}

/// The element ids of one file, sorted and without repeats, and where its markers into
/// other files lead.
#[derive(Debug, Default)]
pub struct FileIds {
    ids: Vec<Box<str>>,
    /// `(marker id, file linked to, id linked to)` of each marker link into another file that
    /// has an id of its own, sorted by marker id; the file as a normalised path.
    markers: Vec<(Box<str>, Box<str>, Box<str>)>,
}

impl FileIds {
    /// The ids of a parsed file.
    #[must_use]
    pub fn of(path: &str, document: &Document) -> Self {
        // The anchors are sorted by id already.
        let mut ids: Vec<Box<str>> = Vec::with_capacity(document.anchors.len());
        for anchor in &document.anchors {
            if ids.last().is_none_or(|last| **last != *anchor.id) {
                ids.push(anchor.id.as_str().into());
            }
        }
        let mut markers: Vec<(Box<str>, Box<str>, Box<str>)> = document
            .file_links
            .iter()
            .filter(|l| l.kind == FileLinkKind::Marker)
            .filter_map(|l| {
                let (file, fragment) = l.href.split_once('#')?;
                Some((
                    l.id.as_deref()?.into(),
                    target_path(path, file)?.into(),
                    fragment_id(fragment).into(),
                ))
            })
            .collect();
        markers.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        Self { ids, markers }
    }

    /// Where the marker with this id links, when it is a marker link into another file:
    /// `(file, id)`, the file as a normalised path.
    #[must_use]
    pub fn marker(&self, id: &str) -> Option<(&str, &str)> {
        let i = self.markers.partition_point(|m| *m.0 < *id);
        self.markers
            .get(i)
            .filter(|m| *m.0 == *id)
            .map(|m| (&*m.1, &*m.2))
    }

    /// Whether an element of the file has this id.
    #[must_use]
    pub fn has(&self, id: &str) -> bool {
        self.ids.binary_search_by(|i| (**i).cmp(id)).is_ok()
    }
}

impl RunFiles {
    /// Adds a parsed file under its path as reported (`text/chapter-1.xhtml`).
    pub fn add(&mut self, path: &str, document: &Document) {
        self.insert(path, FileIds::of(path, document));
    }

    /// Adds the ids of the file at `path` (as reported).
    pub fn insert(&mut self, path: &str, ids: FileIds) {
        self.files.insert(normalise(path), ids);
    }

    /// How many files the run holds.
    #[must_use]
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether the run holds no file.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The file that `href_path` (the part of an `href` before `#`, percent-encoded as
    /// written) names from the file at `from`, when it is one of the run's.
    #[must_use]
    pub fn resolve(&self, from: &str, href_path: &str) -> Option<&FileIds> {
        self.files.get(&target_path(from, href_path)?)
    }
}

/// The normalised path of the file that `href_path` (the part of an `href` before `#`,
/// percent-encoded as written) names from the file at `from`; `None` for an absolute path or
/// a URL, which name no file relative to this one.
#[must_use]
pub fn target_path(from: &str, href_path: &str) -> Option<String> {
    if href_path.is_empty() || href_path.starts_with('/') || href_path.contains(':') {
        return None;
    }
    let path = href_path.split('?').next().unwrap_or(href_path);
    let decoded = percent_decode(path)?;
    let dir = normalise(from);
    let dir = dir.rsplit_once('/').map_or("", |(d, _)| d);
    if dir.is_empty() {
        Some(normalise(&decoded))
    } else {
        Some(normalise(&format!("{dir}/{decoded}")))
    }
}

/// What a rule needs to check links into other files: the run's index and where this file is.
#[derive(Debug, Clone)]
pub struct RunView {
    pub files: Arc<RunFiles>,
    /// This file's path as reported.
    pub path: String,
}

impl RunView {
    /// This file's path, normalised as the index keys it.
    #[must_use]
    pub fn key(&self) -> String {
        normalise(&self.path)
    }

    /// The file of the run `href_path` names from this file.
    #[must_use]
    pub fn resolve(&self, href_path: &str) -> Option<&FileIds> {
        self.files.resolve(&self.path, href_path)
    }
}

/// A path with `\` read as `/`, and `.`, empty and `..` steps resolved as far as the path
/// itself allows (`a/./b/../c` → `a/c`; a leading `..` stays). Paths are compared as text:
/// no file is read, so a symbolic link is another path.
#[must_use]
pub fn normalise(path: &str) -> String {
    let path = path.replace('\\', "/");
    let absolute = path.starts_with('/');
    let mut steps: Vec<&str> = Vec::new();
    for step in path.split('/') {
        match step {
            "" | "." => {}
            ".." => {
                if steps.last().is_some_and(|s| *s != "..") {
                    steps.pop();
                } else if !absolute {
                    steps.push("..");
                }
            }
            _ => steps.push(step),
        }
    }
    let joined = steps.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

/// `%20` and the like decoded; `None` when the result is not UTF-8 (no file of the run can
/// have that name as reported).
fn percent_decode(s: &str) -> Option<String> {
    if !s.contains('%') {
        return Some(s.to_string());
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                let value = hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0);
                out.push(u8::try_from(value).unwrap_or(b'%'));
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// An id as a link's fragment names it: percent-decoded, as browsers do.
#[must_use]
pub fn fragment_id(fragment: &str) -> String {
    percent_decode(fragment).unwrap_or_else(|| fragment.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn run(files: &[(&str, &str)]) -> RunFiles {
        let mut r = RunFiles::default();
        for (path, html) in files {
            let doc =
                crate::analyse::parse(&SourceFile::new(*path, *html), crate::parse::Format::Html);
            r.add(path, &doc);
        }
        r
    }

    #[test]
    fn markers_into_other_files_are_indexed_by_their_id() {
        let r = run(&[
            (
                "text/chapter.xhtml",
                "<p>A.<a href=\"endnotes.xhtml#note-1\" id=\"noteref-1\" epub:type=\"noteref\">1</a> B.<sup id=\"r2\"><a href=\"../notes%20file.xhtml#note-2\">2</a></sup></p>",
            ),
            ("text/endnotes.xhtml", "<p id=\"note-1\">y</p>"),
        ]);
        let chapter = r.resolve("text/endnotes.xhtml", "chapter.xhtml");
        assert_eq!(
            chapter.and_then(|f| f.marker("noteref-1")),
            Some(("text/endnotes.xhtml", "note-1"))
        );
        assert_eq!(
            chapter.and_then(|f| f.marker("r2")),
            Some(("notes file.xhtml", "note-2"))
        );
        assert_eq!(chapter.and_then(|f| f.marker("noteref-2")), None);
    }

    #[test]
    fn paths_are_normalised() {
        assert_eq!(normalise("./a/./b/../c.xhtml"), "a/c.xhtml");
        assert_eq!(normalise("../x/../../y"), "../../y");
        assert_eq!(normalise("/a/../../b"), "/b");
        assert_eq!(normalise("a\\b"), "a/b");
    }

    #[test]
    fn links_resolve_relative_to_the_linking_file() {
        let r = run(&[
            ("book/text/chapter 1.xhtml", "<p id=\"noteref-1\">x</p>"),
            ("book/text/endnotes.xhtml", "<p id=\"note-1\">y</p>"),
        ]);
        let from = "book/text/endnotes.xhtml";
        assert!(r
            .resolve(from, "chapter%201.xhtml")
            .is_some_and(|f| f.has("noteref-1")));
        assert!(r
            .resolve(from, "./../text/chapter%201.xhtml")
            .is_some_and(|f| !f.has("noteref-2")));
        assert!(r
            .resolve("./book/text/chapter 1.xhtml", "endnotes.xhtml")
            .is_some());
        // Not in the run, or not a file.
        assert!(r.resolve(from, "chapter-2.xhtml").is_none());
        assert!(r
            .resolve(from, "https://example.com/endnotes.xhtml")
            .is_none());
        assert!(r.resolve(from, "/book/text/endnotes.xhtml").is_none());
        assert!(r.resolve(from, "%ff.xhtml").is_none());
    }
}
