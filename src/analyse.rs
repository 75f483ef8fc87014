//! The analysis stage, after a format's reader: the URLs each post cites, each note's
//! citations and what they resolve to, and how the notes match the bibliography. Readers only
//! find posts, markers and notes; everything that interprets their text happens here.

use crate::model::Document;
use crate::parse::{self, Format};
use crate::source::SourceFile;

/// Reads `source` as `format` and analyses it: the document the rules see.
#[must_use]
pub fn parse(source: &SourceFile, format: Format) -> Document {
    let mut document = parse::read(source, format);
    analyse(&mut document);
    document
}

/// Analyses each post of a read document.
pub fn analyse(document: &mut Document) {
    for post in &mut document.posts {
        parse::urls::extract_post_urls(post);
        crate::cite::resolve_post(post);
        crate::bib::match_post(post);
    }
}
