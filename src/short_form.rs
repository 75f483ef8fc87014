//! The short form of a cited work (`Lind, “Harbour Records,” 4.`), written in the markup of
//! the file it goes into: what replaces an `Ibid.` that no longer follows its source.
//!
//! The short form names the first author's surname and the first words of the title, quoted
//! or in italics as the full citation wrote it, then the locator of the citation it replaces.
//! It is built from the source the citation resolver found, so that the resolver matches it
//! back to the same source (the unit tests below check that).

use crate::model::{Citation, Source};
use crate::parse::Format;
use crate::source::Span;

/// The markup a short form is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Markup {
    /// Plain text: an italic title is written plain.
    Text,
    /// Markdown: italics as `*…*`.
    Markdown,
    /// HTML: italics as `<em>…</em>`, `&`, `<` and `>` escaped.
    Html,
}

impl Markup {
    /// The markup of a file read in `format`.
    #[must_use]
    pub const fn of(format: Format) -> Self {
        match format {
            Format::Text => Self::Text,
            Format::Markdown => Self::Markdown,
            Format::Html => Self::Html,
        }
    }
}

/// What replaces the citation `c` of `text` (an `Ibid.` with its locator, as written) by the
/// short form of `source` with the same locator: the span of the citation without the white
/// space after it, and the short form, closed by a period when the citation was. `None` when
/// `source` has no short form (see [`short_form`]), or when the citation holds more than the
/// Ibid. and its locator (a comment after them would be lost).
#[must_use]
pub fn replacing(
    text: &str,
    c: &Citation,
    source: &Source,
    markup: Markup,
) -> Option<(Span, String)> {
    let written = text.get(c.span.range())?.trim_end();
    let close = if written.ends_with('.') { "." } else { "" };
    let locator = c.fields.locator.as_ref().map(|l| l.text.as_str());
    let core = written.strip_suffix('.').unwrap_or(written).trim_end();
    let only_ibid = match locator.map(str::trim) {
        Some(l) => !l.is_empty() && core.ends_with(l),
        None => core.split_whitespace().count() == 1,
    };
    if !only_ibid {
        return None;
    }
    let short = short_form(source, locator, markup, close)?;
    Some((Span::new(c.span.start, c.span.start + written.len()), short))
}

/// The most sources [`shared_by_another`] compares: the worst case is this many comparisons
/// per short form written.
pub const MAX_COMPARED: usize = 500;

/// Whether the short form of `chosen` might be read as that of another source of `sources`
/// (those cited before the place it goes): another title that starts with the same short
/// title, as `Harbour Cranes: Second Thoughts` does for `Harbour Cranes`. Also `true` when
/// there are more than [`MAX_COMPARED`] sources to compare, as a writer would not check that
/// many either.
#[must_use]
pub fn shared_by_another(sources: &[Source], chosen: &Source) -> bool {
    let Some(title) = chosen.fields.title.as_deref() else {
        return true;
    };
    if sources.len() > MAX_COMPARED {
        return true;
    }
    let short = short_title(title).to_lowercase();
    sources.iter().any(|s| {
        !std::ptr::eq(s, chosen)
            && s.text != chosen.text
            && s.fields
                .title
                .as_deref()
                .is_some_and(|t| t.trim().to_lowercase().starts_with(&short))
    })
}

/// The most words of a title a short form keeps (Chicago's "no more than four").
const SHORT_TITLE_WORDS: usize = 4;

/// Words a shortened title does not end on.
const WEAK_ENDINGS: &[&str] = &[
    "a", "an", "and", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with",
];

/// The short form of `source` with `locator` (as written, `41` or `pp. 3–5`), closed by
/// `close` (the punctuation that ended the citation replaced, `.` or nothing). `None` when
/// the source has no title to shorten: a surname alone may name several works.
#[must_use]
pub fn short_form(
    source: &Source,
    locator: Option<&str>,
    markup: Markup,
    close: &str,
) -> Option<String> {
    let title = source.fields.title.as_deref()?.trim();
    if title.is_empty() {
        return None;
    }
    let short = short_title(title);
    let author = source
        .fields
        .authors
        .first()
        .map(|a| crate::cite::surname(a).trim())
        .filter(|a| !a.is_empty());
    let quoted = is_quoted(&source.text, title);
    let mut out = String::new();
    if let Some(author) = author {
        out.push_str(&escape(author, markup));
        out.push_str(", ");
    }
    let locator = locator.map(str::trim).filter(|l| !l.is_empty());
    if quoted {
        // American usage, as the full citations write it: the comma or period goes inside
        // the closing quotation mark.
        let inside = if locator.is_some() { "," } else { close };
        out.push('“');
        out.push_str(&escape(&short, markup));
        out.push_str(inside);
        out.push('”');
        if let Some(l) = locator {
            out.push(' ');
            out.push_str(&escape(l, markup));
            out.push_str(close);
        }
        return Some(out);
    }
    let (open_i, close_i) = match markup {
        Markup::Text => ("", ""),
        Markup::Markdown => ("*", "*"),
        Markup::Html => ("<em>", "</em>"),
    };
    out.push_str(open_i);
    out.push_str(&escape(&short, markup));
    out.push_str(close_i);
    if let Some(l) = locator {
        out.push_str(", ");
        out.push_str(&escape(l, markup));
    }
    out.push_str(close);
    Some(out)
}

/// The title without its subtitle, cut to its first [`SHORT_TITLE_WORDS`] words, not ending
/// on an article or preposition, without trailing punctuation.
#[must_use]
pub fn short_title(title: &str) -> String {
    let main = title
        .split_once(": ")
        .map_or(title, |(m, _)| m)
        .trim()
        .trim_end_matches(['…', '.', ',', ';', ':']);
    let mut words: Vec<&str> = main.split_whitespace().collect();
    if words.len() > SHORT_TITLE_WORDS {
        words.truncate(SHORT_TITLE_WORDS);
        while words.len() > 1
            && words
                .last()
                .is_some_and(|w| WEAK_ENDINGS.contains(&w.to_lowercase().as_str()))
        {
            words.pop();
        }
    }
    words
        .join(" ")
        .trim_end_matches([',', ';', ':'])
        .to_string()
}

/// Whether the full citation puts the title in quotation marks (an article, a chapter)
/// rather than in italics (a book, a journal).
fn is_quoted(citation: &str, title: &str) -> bool {
    citation.find(title).is_some_and(|at| {
        citation[..at]
            .chars()
            .next_back()
            .is_some_and(|c| matches!(c, '“' | '"' | '‘' | '\'' | '«' | '„'))
    })
}

fn escape(s: &str, markup: Markup) -> String {
    if markup != Markup::Html {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CitationKind, Resolution};
    use crate::parse::Format;
    use crate::source::SourceFile;

    fn source(full: &str) -> Source {
        let text = format!("A.[1]\n\n[1] {full}\n");
        let doc = crate::analyse::parse(&SourceFile::new("t.txt", text), Format::Text);
        doc.posts[0].sources[0].clone()
    }

    /// Whether the resolver reads `short` (in note 3, after an unrelated note 2) as a short
    /// form of the source of note 1.
    fn resolves(full: &str, short: &str, format: Format) -> bool {
        let (text, name) = match format {
            Format::Text => (
                format!("A.[1] B.[2] C.[3]\n\n[1] {full}\n[2] Mia Sund, “The Storm,” Archive Notes, 2018, 7.\n[3] {short}\n"),
                "t.txt",
            ),
            Format::Markdown => (
                format!("# T\n\nA.[1] B.[2] C.[3]\n\n[1] {full}  \n[2] Mia Sund, “The Storm,” *Archive Notes*, 2018, 7.  \n[3] {short}\n"),
                "t.md",
            ),
            Format::Html => (
                format!("<p>A.<sup><a href=\"#fn1\" id=\"r1\">[1]</a></sup> B.<sup><a href=\"#fn2\" id=\"r2\">[2]</a></sup> C.<sup><a href=\"#fn3\" id=\"r3\">[3]</a></sup></p>\n<p id=\"fn1\">[1] {full}</p>\n<p id=\"fn2\">[2] Mia Sund, “The Storm,” <em>Archive Notes</em>, 2018, 7.</p>\n<p id=\"fn3\">[3] {short}</p>\n"),
                "t.html",
            ),
        };
        let doc = crate::analyse::parse(&SourceFile::new(name, text), format);
        let post = &doc.posts[0];
        let c = &post.notes[2].citations[0];
        c.kind == CitationKind::Short
            && c.resolution == Resolution::Abbreviated
            && c.source.and_then(|s| post.sources.get(s)).map(|s| s.note) == Some(0)
    }

    #[test]
    fn a_quoted_title_keeps_its_quotes_and_the_comma_goes_inside() {
        let full = "Anna Lind, “Harbour Records,” Coastal Review, May 3, 2019, 4.";
        let s = short_form(&source(full), Some("4"), Markup::Text, ".").expect("short form");
        assert_eq!(s, "Lind, “Harbour Records,” 4.");
        assert!(resolves(full, &s, Format::Text), "{s}");
        let bare = short_form(&source(full), None, Markup::Text, ".").expect("short form");
        assert_eq!(bare, "Lind, “Harbour Records.”");
        assert!(resolves(full, &bare, Format::Text), "{bare}");
    }

    #[test]
    fn a_book_title_goes_in_italics_in_markdown_and_html() {
        let full = "Jon Berg, The Keeper’s Log (Bergen: Fjord Press, 2015), 33.";
        let src = source(full);
        assert_eq!(
            short_form(&src, Some("41"), Markup::Markdown, ".").as_deref(),
            Some("Berg, *The Keeper’s Log*, 41.")
        );
        assert_eq!(
            short_form(&src, Some("41"), Markup::Html, ".").as_deref(),
            Some("Berg, <em>The Keeper’s Log</em>, 41.")
        );
        assert_eq!(
            short_form(&src, Some("41"), Markup::Text, ".").as_deref(),
            Some("Berg, The Keeper’s Log, 41.")
        );
        let md_full = "Jon Berg, *The Keeper’s Log* (Bergen: Fjord Press, 2015), 33.";
        assert!(resolves(
            md_full,
            "Berg, *The Keeper’s Log*, 41.",
            Format::Markdown
        ));
        let html_full = "Jon Berg, <em>The Keeper’s Log</em> (Bergen: Fjord Press, 2015), 33.";
        assert!(resolves(
            html_full,
            "Berg, <em>The Keeper’s Log</em>, 41.",
            Format::Html
        ));
    }

    #[test]
    fn a_long_title_is_cut_to_its_first_words_and_still_resolves() {
        assert_eq!(
            short_title("Electric Light on the Coast of Norway: A History"),
            "Electric Light"
        );
        assert_eq!(short_title("The Storm of 1953"), "The Storm of 1953");
        assert_eq!(
            short_title("Harbour Records and the Keepers Who Wrote Them"),
            "Harbour Records"
        );
        let full = "Eva Holm, “Electric Light on the Coast of Norway,” Northern History, 2020, 12.";
        let s = short_form(&source(full), Some("13"), Markup::Text, ".").expect("short form");
        assert_eq!(s, "Holm, “Electric Light,” 13.");
        assert!(resolves(full, &s, Format::Text), "{s}");
    }

    #[test]
    fn a_source_without_a_title_has_no_short_form() {
        let src = Source {
            note: 0,
            fields: crate::model::CitationFields {
                authors: vec!["Berg, Jon".into()],
                ..Default::default()
            },
            text: "Berg, Jon, 2015.".into(),
            full: true,
            entry: None,
            year: None,
            key: None,
            plain: None,
        };
        assert_eq!(short_form(&src, Some("4"), Markup::Text, "."), None);
    }

    #[test]
    fn an_ibid_is_replaced_with_its_locator_but_never_with_a_comment_after_it() {
        let full = "Anna Lind, “Harbour Records,” Coastal Review, May 3, 2019, 4.";
        let text = format!("A.[1] B.[2] C.[3] D.[4]\n\n[1] {full}\n[2] Ibid., 7.\n[3] Ibid.\n[4] Ibid., 9; compare Moe, “Cranes,” Port Review, 2021.\n");
        let doc = crate::analyse::parse(&SourceFile::new("t.txt", text.clone()), Format::Text);
        let post = &doc.posts[0];
        let src = &post.sources[0];
        let edit = |n: usize| {
            replacing(&text, &post.notes[n].citations[0], src, Markup::Text)
                .map(|(span, short)| format!("{} -> {short}", &text[span.range()]))
        };
        assert_eq!(
            edit(1).as_deref(),
            Some("Ibid., 7. -> Lind, “Harbour Records,” 7.")
        );
        assert_eq!(
            edit(2).as_deref(),
            Some("Ibid. -> Lind, “Harbour Records.”")
        );
        assert_eq!(
            edit(3).as_deref(),
            Some("Ibid., 9 -> Lind, “Harbour Records,” 9")
        );
        let mut commented = post.notes[1].citations[0].clone();
        commented.span.end = text.find("\n[3]").expect("note 3");
        commented.span.start = text.find("Ibid., 7").expect("note 2");
        let text = text.replace("Ibid., 7.\n", "Ibid., 7. Torn.\n");
        commented.span.end += " Torn.".len();
        assert_eq!(replacing(&text, &commented, src, Markup::Text), None);
    }

    #[test]
    fn html_special_characters_are_escaped() {
        let full = "Ana Moe, Ships & Harbours (Oslo: Elv, 1977), 3.";
        let s = short_form(&source(full), Some("5"), Markup::Html, ".");
        assert_eq!(s.as_deref(), Some("Moe, <em>Ships &amp; Harbours</em>, 5."));
    }
}
