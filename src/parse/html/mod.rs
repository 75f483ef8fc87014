//! The HTML parser: blog pages and archives, read with the html5gum tokenizer, whose tokens
//! carry byte spans into the file.
//!
//! The footnote markups of common publishers are recognised:
//! - pandoc: `<a href="#fn3" class="footnote-ref" id="fnref3">` and `<section class="footnotes">`;
//! - GitHub and micromark: `href="#user-content-fn-3"`, `data-footnote-ref`, `data-footnotes`;
//! - markdown-it and Ghost: `<sup class="footnote-ref">`, `<li class="footnote-item">`;
//! - Substack: `<a class="footnote-anchor">` and `<div class="footnote">`;
//! - WordPress plugins and hand-written notes: `<sup><a href="#fn3">[3]</a></sup>` with
//!   `<p id="fn3">[3] …`;
//! - Texinfo: `<a class="footnote" href="#FOOT1">` and a notes segment with one
//!   `<h5><a id="FOOT1" href="#DOCF1">(1)</a></h5>` heading over each note;
//! - Project Gutenberg: `<a href="#Footnote_A_1" class="fnanchor">[A]</a>` and a
//!   `<div class="footnote">` whose first, empty `<a id="Footnote_A_1">` names the note;
//! - scraped text: `[3]` in paragraphs and a notes list at the end, read as in plain text.
//!
//! Every `<article>` starts a post. Script, style, templates and comments are skipped. Element
//! ids are kept as anchors, so that the links between markers and notes can be checked.
//!
//! `reader` walks the tokens with a stack of open elements, `tags` says what each element
//! is, `notes` builds markers and notes from their elements, and `decode` maps decoded
//! text back to where it is written.

mod decode;
mod notes;
mod reader;
mod tags;

use foldhash::HashMap;

use crate::model::Document;
use crate::parse::blocks;
use crate::source::SourceFile;

/// Parses an HTML file into posts.
#[must_use]
pub fn parse(source: &SourceFile) -> Document {
    let read = reader::read_blocks(&source.text);
    let mut posts = blocks::assemble(read.blocks);
    // A chapter whose markers all link to an endnotes file has no notes and no marker of its
    // own: one empty post holds its file links, so that they are checked in a run with that
    // file.
    if let (true, Some(first), Some(last)) = (
        posts.is_empty(),
        read.file_links.first(),
        read.file_links.last(),
    ) {
        posts.push(crate::model::Post {
            index: 1,
            span: crate::source::Span::new(first.span.start, last.span.end),
            ..crate::model::Post::default()
        });
    }
    // A marker takes the label of the note its link points at: GitHub numbers its markers
    // but names its notes after their labels.
    let labels: HashMap<String, (String, Option<u32>)> = posts
        .iter()
        .flat_map(|p| p.notes.iter())
        .filter_map(|n| Some((n.id.clone()?, (n.label.clone(), n.number))))
        .collect();
    for marker in posts.iter_mut().flat_map(|p| p.markers.iter_mut()) {
        let found = marker.target.as_ref().and_then(|t| labels.get(&t.target));
        if let Some((label, number)) = found {
            marker.label.clone_from(label);
            marker.number = *number;
        }
    }
    Document {
        posts,
        anchors: read.anchors,
        file_links: read.file_links,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Document {
        crate::analyse::parse(&SourceFile::new("t.html", text), crate::parse::Format::Html)
    }

    #[test]
    fn note_links_into_other_files_are_kept() {
        use crate::model::FileLinkKind::{Backlink, Marker};
        let doc = parse_str(concat!(
            "<p>A.<a href=\"endnotes.xhtml#note-1\" epub:type=\"noteref\">1</a>",
            " B.<sup><a href=\"notes.html#fn2\">2</a></sup>",
            " See <a href=\"chapter-2.xhtml#section-3\">the next chapter</a>",
            " and <a href=\"https://example.org/notes#note-4\">this</a>.</p>\n",
            "<ol><li id=\"note-5\" epub:type=\"endnote\"><p>Five. <a href=\"chapter-1.xhtml#noteref-5\">↩</a>",
            " <a href=\"chapter-3.xhtml#chapter-3\">Chapter 3</a></p></li></ol>\n",
        ));
        let links: Vec<_> = doc
            .file_links
            .iter()
            .map(|l| (l.kind, l.href.as_str()))
            .collect();
        assert_eq!(
            links,
            vec![
                (Marker, "endnotes.xhtml#note-1"),
                (Marker, "notes.html#fn2"),
                (Backlink, "chapter-1.xhtml#noteref-5"),
            ]
        );
    }

    #[test]
    fn a_chapter_whose_markers_all_link_elsewhere_is_one_empty_post() {
        let doc = parse_str(
            "<p>A.<a href=\"endnotes.xhtml#note-1\" id=\"noteref-1\" epub:type=\"noteref\">1</a></p>\n",
        );
        assert_eq!(doc.posts.len(), 1);
        assert!(doc.posts[0].markers.is_empty() && doc.posts[0].notes.is_empty());
        assert!(parse_str("<p>No notes here.</p>\n").posts.is_empty());
    }

    #[test]
    fn pandoc_footnotes() {
        let text = r##"<p>Claim.<a href="#fn1" class="footnote-ref" id="fnref1" role="doc-noteref"><sup>1</sup></a></p>
<section class="footnotes" role="doc-endnotes"><hr /><ol>
<li id="fn1"><p>Smith, <em>Title</em>, 2019.<a href="#fnref1" class="footnote-back" role="doc-backlink">↩︎</a></p></li>
</ol></section>"##;
        let doc = parse_str(text);
        let post = &doc.posts[0];
        assert_eq!(post.markers.len(), 1);
        assert_eq!(post.markers[0].label, "1");
        assert_eq!(
            post.markers[0]
                .target
                .as_ref()
                .map(|t| &text[t.span.range()]),
            Some("fn1")
        );
        assert_eq!(post.notes.len(), 1);
        assert_eq!(post.notes[0].text.text, "Smith, Title, 2019.");
        assert_eq!(&text[post.notes[0].text.span(0, 6).range()], "Smith,");
        assert_eq!(post.notes[0].backlinks[0].target, "fnref1");
        assert!(doc.anchors.iter().any(|a| a.id == "fn1"));
    }

    #[test]
    fn hand_written_notes_and_entities() {
        let text = "<p>A &amp; B.<sup><a href=\"#fn3\" id=\"ref3\">[3]</a></sup></p>\n<p id=\"fn3\">[3] Kim &ldquo;X&rdquo; 2020. <a href=\"#ref3\">↩</a></p>";
        let doc = parse_str(text);
        let post = &doc.posts[0];
        assert_eq!(post.markers.len(), 1);
        assert_eq!(&text[post.notes[0].label_span.range()], "[3]");
        assert_eq!(post.notes[0].text.text, "Kim “X” 2020.");
        assert_eq!(&text[post.notes[0].text.span(0, 3).range()], "Kim");
        assert_eq!(post.body[0].text, "A & B.[3]");
    }

    #[test]
    fn articles_are_posts_and_scripts_are_skipped() {
        let text = "<article><p>A.[1]</p><script>x = '[2]';</script><p>[1] One.</p></article><!-- [5] --><article><p>B.[1]</p><p>[1] Uno.</p></article>";
        let doc = parse_str(text);
        assert_eq!(doc.posts.len(), 2);
        assert_eq!(doc.posts[0].markers.len(), 1);
        assert_eq!(doc.posts[1].notes[0].text.text, "Uno.");
    }

    /// Every marker's span slices `text` to exactly `[N]`.
    fn marker_texts(text: &str) -> Vec<String> {
        let doc = parse_str(text);
        doc.posts
            .iter()
            .flat_map(|p| &p.markers)
            .map(|m| text.get(m.span.range()).unwrap_or("<bad span>").to_string())
            .collect()
    }

    #[test]
    fn spans_after_entities_point_at_the_source() {
        // Text after `&amp;` was mapped one entity's length off: the marker read `; B`.
        for entity in [
            "&amp;",
            "&amp",
            "&lt;",
            "&gt",
            "&nbsp;",
            "&nbsp",
            "&ldquo;",
            "&#8220;",
            "&#x201C;",
            "&#X201c;",
            "&#169",
            "&#xA9",
            "&copy",
            "&notit;",
            "&notin;",
            "&NotEqualTilde;",
            "&fjlig;",
            "&bogus;",
            "&",
            "& ",
            "&#;",
            "&#x;",
            "&#0;",
            "&#128;",
            "&#1114112;",
            "&amp;amp;",
            "&#38;",
            "&#59;",
            "&#51;3",
            "&AMP;",
            "&;",
        ] {
            for text in [
                format!("<p>A {entity} B.[1]</p>"),
                format!("<p>A{entity}B.[1] C {entity}{entity}[2]{entity}</p>"),
                format!("<p>X{entity}[1]</p><p>[1] N {entity} x.</p>"),
                format!("<p>\u{2014}{entity}\u{2014}\u{2014}[1]\r\n{entity}\u{e9}[2]</p>"),
            ] {
                let found = marker_texts(&text);
                assert!(!found.is_empty(), "{text}");
                for m in found {
                    assert!(m == "[1]" || m == "[2]", "{text}: {m:?}");
                }
            }
        }
    }

    #[test]
    fn note_text_after_entities_maps_back() {
        let text = "<p>A.[1]</p><p>[1] Kim &amp; Lee &ldquo;T&rdquo;, 2020.</p>";
        let doc = parse_str(text);
        let note = &doc.posts[0].notes[0];
        assert_eq!(note.text.text, "Kim & Lee “T”, 2020.");
        let at = note.text.text.find("2020").expect("year");
        assert_eq!(&text[note.text.span(at, at + 4).range()], "2020");
        let at = note.text.text.find("Lee").expect("name");
        assert_eq!(&text[note.text.span(at, at + 3).range()], "Lee");
    }

    #[test]
    fn source_line_breaks_split_lines_whatever_the_line_ending() {
        // One note a line inside one paragraph, with CRLF, lone CR and an entity.
        for br in ["\n", "\r\n", "\r"] {
            let text = format!("<p>A.[1] B.[2]</p><p>[1] One &amp; x.{br}[2] Two.</p>");
            let doc = parse_str(&text);
            let notes: Vec<_> = doc.posts[0]
                .notes
                .iter()
                .map(|n| n.text.text.as_str())
                .collect();
            assert_eq!(notes, ["One & x.", "Two."], "{br:?}");
        }
    }

    #[test]
    fn a_named_anchor_is_a_link_target() {
        let doc = parse_str(
            "<p>Claim.<a href=\"#fn01\">1</a></p>\n<p class=\"fn\"><a href=\"#ft01\">1</a><a name=\"fn01\"></a> A note.</p>\n<a id=\"x\" name=\"x\"></a>",
        );
        assert!(doc.anchors.iter().any(|a| a.id == "fn01"));
        assert_eq!(doc.anchors.iter().filter(|a| a.id == "x").count(), 1);
    }

    #[test]
    fn texinfo_notes_each_under_a_heading() {
        // makeinfo 6 writes `name` where makeinfo 7 writes `id`, and `<h3>` for `<h5>`.
        let doc = parse_str(concat!(
            "<p>One<a name=\"DOCF1\" href=\"#FOOT1\"><sup>1</sup></a> two",
            "<a name=\"DOCF2\" href=\"#FOOT2\"><sup>2</sup></a>.</p>\n",
            "<div class=\"footnote\"><hr><h4>Footnotes</h4>\n",
            "<h3><a name=\"FOOT1\" href=\"#DOCF1\">(1)</a></h3><p>First note.</p>\n",
            "<h3><a name=\"FOOT2\" href=\"#DOCF2\">(2)</a></h3><p>Second note.</p>\n",
            "</div>\n",
        ));
        let post = &doc.posts[0];
        let labels: Vec<_> = post.markers.iter().map(|m| m.label.as_str()).collect();
        assert_eq!(labels, ["1", "2"]);
        let notes: Vec<_> = post
            .notes
            .iter()
            .map(|n| (n.label.as_str(), n.text.text.trim()))
            .collect();
        assert_eq!(notes, [("1", "First note."), ("2", "Second note.")]);
    }
}
