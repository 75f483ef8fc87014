//! Format parsers: each turns a source file into the same [`Document`] model.

pub(crate) mod markers;
pub mod text;
pub mod urls;

use crate::model::{Document, Format};
use crate::source::SourceFile;

/// Parses `source` as `format`.
#[must_use]
pub fn parse(source: &SourceFile, format: Format) -> Document {
    let mut document = match format {
        // Markdown and HTML read as text until their own parsers land.
        Format::Text | Format::Markdown | Format::Html => text::parse(source),
    };
    document.format = format;
    for post in &mut document.posts {
        urls::extract_post_urls(post);
        crate::cite::resolve_post(post);
        crate::bib::match_post(post);
    }
    document
}
