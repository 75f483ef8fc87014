//! Format parsers: each turns a source file into the same [`Document`] model.
//!
//! [`FORMATS`] is the one table of input formats: a format's name, file extensions, how to
//! recognise its bytes, how it writes suppression comments and its reader. Adding a format is
//! a reader file in this folder, a variant of [`Format`] and a line in the table.

pub(crate) mod blocks;
pub mod html;
pub mod markdown;
pub(crate) mod markers;
pub(crate) mod posts;
pub mod text;
pub mod urls;

use crate::model::Document;
use crate::source::SourceFile;
pub use crate::suppress::SuppressionSyntax;

/// The input formats notelint reads; [`FORMATS`] says how.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Plain text: notes as `[1] …` lines, the form scraped pages take.
    Text,
    /// Markdown (CommonMark with GFM footnotes).
    Markdown,
    /// HTML.
    Html,
}

/// One input format: how files in it are recognised and read.
#[derive(Debug)]
pub struct FormatSpec {
    pub format: Format,
    /// The name in reports and on the command line.
    pub name: &'static str,
    /// File name extensions (lower case, without the dot) walked into folders as this format.
    pub extensions: &'static [&'static str],
    /// Whether bytes of unknown format (standard input, a `.txt` file) are in this format.
    pub sniff: Option<fn(&[u8]) -> bool>,
    pub suppressions: SuppressionSyntax,
    /// The reader: source text to posts, markers and notes.
    pub read: fn(&SourceFile) -> Document,
}

/// Every input format. Sniffing tries them in this order.
pub static FORMATS: &[FormatSpec] = &[
    FormatSpec {
        format: Format::Html,
        name: "html",
        extensions: &["html", "htm", "xhtml", "xht"],
        sniff: Some(looks_like_html),
        suppressions: SuppressionSyntax::Comments,
        read: html::parse,
    },
    FormatSpec {
        format: Format::Markdown,
        name: "markdown",
        extensions: &["md", "markdown"],
        sniff: Some(looks_like_markdown),
        suppressions: SuppressionSyntax::Comments,
        read: markdown::parse,
    },
    FormatSpec {
        format: Format::Text,
        name: "text",
        extensions: &["txt"],
        sniff: None,
        suppressions: SuppressionSyntax::CommentsAndBareLines,
        read: text::parse,
    },
];

impl Format {
    /// This format's entry in [`FORMATS`].
    #[must_use]
    pub fn spec(self) -> &'static FormatSpec {
        FORMATS
            .iter()
            .find(|f| f.format == self)
            .unwrap_or(&FORMATS[0])
    }

    /// The format implied by a file name's extension, if notelint reads that kind of file.
    #[must_use]
    pub fn from_path(path: &str) -> Option<Self> {
        let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
        FORMATS
            .iter()
            .find(|f| f.extensions.contains(&ext.as_str()))
            .map(|f| f.format)
    }

    #[must_use]
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// The format whose sniffer recognises `bytes`, if any.
    #[must_use]
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        FORMATS
            .iter()
            .find(|f| f.sniff.is_some_and(|sniff| sniff(bytes)))
            .map(|f| f.format)
    }
}

/// The extensions walked into folders, for messages: ".html, .htm, … or .txt".
#[must_use]
pub fn extensions_in_words() -> String {
    let all: Vec<String> = FORMATS
        .iter()
        .flat_map(|f| f.extensions)
        .map(|e| format!(".{e}"))
        .collect();
    match all.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// Reads `source` as `format`: posts, markers, notes and bibliography entries with their
/// spans, nothing resolved yet.
#[must_use]
pub fn read(source: &SourceFile, format: Format) -> Document {
    (format.spec().read)(source)
}

/// Whether a file starts (after white space and a byte-order mark) with a doctype or an
/// `<html>` tag.
#[must_use]
pub fn looks_like_html(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let head = &head[start..];
    let lower: Vec<u8> = head.iter().take(15).map(u8::to_ascii_lowercase).collect();
    lower.starts_with(b"<!doctype html") || lower.starts_with(b"<html")
}

/// Whether bytes of unknown format are Markdown: front matter at the start (`---` or `+++`
/// lines), or a footnote definition (`[^label]:`) at the start of a line. Plain text rarely
/// has either; ordinary Markdown without footnotes reads the same as text anyway.
#[must_use]
pub fn looks_like_markdown(bytes: &[u8]) -> bool {
    let head = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    for fence in [&b"---"[..], b"+++"] {
        if let Some(rest) = head.strip_prefix(fence) {
            if rest.starts_with(b"\n") || rest.starts_with(b"\r\n") {
                let closing = [b"\n".as_slice(), fence, b"\n"].concat();
                let closing_crlf = [b"\n".as_slice(), fence, b"\r\n"].concat();
                if memchr::memmem::find(rest, &closing).is_some()
                    || memchr::memmem::find(rest, &closing_crlf).is_some()
                {
                    return true;
                }
            }
        }
    }
    memchr::memmem::find_iter(bytes, b"[^").any(|at| {
        let line_start = at == 0 || bytes[at - 1] == b'\n';
        line_start
            && bytes[at + 2..]
                .iter()
                .take(100)
                .position(|&b| b == b']' || b == b'\n')
                .is_some_and(|end| {
                    end > 0 && bytes[at + 2 + end] == b']' && bytes.get(at + 3 + end) == Some(&b':')
                })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_recognised_by_their_bytes() {
        assert_eq!(Format::sniff(b"<!DOCTYPE html><p>x"), Some(Format::Html));
        assert_eq!(
            Format::sniff(b"---\ntitle: A\n---\nText.[^1]"),
            Some(Format::Markdown)
        );
        assert_eq!(
            Format::sniff(b"Text.[^1]\n\n[^1]: A note.\n"),
            Some(Format::Markdown)
        );
        assert_eq!(Format::sniff(b"Text.[1]\n\n[1] A note.\n"), None);
        assert_eq!(Format::sniff(b"---\nno closing fence"), None);
        assert_eq!(Format::sniff(b"a [^] b\n[^x] no colon"), None);
    }

    #[test]
    fn every_format_is_in_the_table_once() {
        for format in [Format::Text, Format::Markdown, Format::Html] {
            assert_eq!(FORMATS.iter().filter(|f| f.format == format).count(), 1);
            assert_eq!(format.spec().format, format);
            for ext in format.spec().extensions {
                assert_eq!(Format::from_path(&format!("a.{ext}")), Some(format));
            }
        }
    }

    #[test]
    fn format_from_extension() {
        assert_eq!(Format::from_path("a/b.MD"), Some(Format::Markdown));
        assert_eq!(Format::from_path("x.htm"), Some(Format::Html));
        assert_eq!(Format::from_path("x.rs"), None);
        assert_eq!(Format::from_path("README"), None);
    }
}
