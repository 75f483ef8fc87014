//! Format parsers: each turns a source file into the same [`Document`] model.

pub(crate) mod blocks;
pub mod html;
pub mod markdown;
pub(crate) mod markers;
pub(crate) mod posts;
pub mod text;
pub mod urls;

use crate::model::{Document, Format};
use crate::source::SourceFile;

/// Parses `source` as `format`.
#[must_use]
pub fn parse(source: &SourceFile, format: Format) -> Document {
    let mut document = match format {
        Format::Text => text::parse(source),
        Format::Markdown => markdown::parse(source),
        Format::Html => html::parse(source),
    };
    document.format = format;
    for post in &mut document.posts {
        urls::extract_post_urls(post);
        crate::cite::resolve_post(post);
        crate::bib::match_post(post);
    }
    document
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
