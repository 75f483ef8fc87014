//! Reading a bibliography entry: note-style entries read as citations, bibliography-style
//! ones (`Surname, Given. Year. Title. Place: Publisher.`) sentence by sentence.

use super::authors::split_authors;
use super::dates::{
    publication_year_of_plain, publication_year_read, FULL_DATE, LEADING_YEAR, YEAR,
};
use std::borrow::Cow;
use std::ops::Range;

use super::fields::{
    clean, find_urls, is_not_container, mask, quoted_title, read_citation_known, FoundUrls,
};
use crate::model::CitationFields;

/// Reads a bibliography entry into the fields of a citation.
///
/// Entries come in two shapes: note style with commas (`Ann Lee, “Title,” Review, 2021.`),
/// which [`super::parse_citation`] reads, and bibliography style with periods, where authors (in
/// inverted or normal order, or an organisation), a year (`2012.`, `(2025, January 27).`,
/// `n.d.`), the title (quoted or not) and the container each end with a period. An entry with
/// no author starts with its title.
#[must_use]
pub fn parse_entry(text: &str) -> CitationFields {
    parse_entry_known(text, None, |_| None)
}

/// [`parse_entry`], sparing what is known already. `urls`, when given, are the URLs of
/// `text` as [`crate::parse::urls::extract`] reads them (the text range and the URL of each,
/// in order). `read` is asked for a citation read from the entry's text as trimmed (of white
/// space, as [`crate::normalize::trim`] does): when it gives one (as a note of the post may
/// hold the entry's text word for word), its fields (as [`super::parse_citation`] read them
/// from that text), its [`super::publication_year`] and, when reading it gave that, the text
/// with its URLs blanked out (all of them in the fields, in order) are taken instead of
/// reading the text again.
#[must_use]
pub fn parse_entry_known<'a>(
    text: &str,
    urls: Option<&[(Range<usize>, &str)]>,
    read: impl FnOnce(&str) -> Option<(&'a CitationFields, Option<u16>, Option<&'a str>)>,
) -> CitationFields {
    // Trimmed of all white space: reading it as a citation trims nothing more, so the text
    // with its URLs blanked out that the reading gives is this text's.
    let whole = text;
    let text = crate::normalize::trim(text);
    // Read only when the text's URLs are to be found: an entry that repeats a citation has
    // them in the citation's reading.
    let known = || urls.and_then(|u| urls_of_trimmed(whole, text, u));
    let urls_of = |known: Option<FoundUrls>| known.unwrap_or_else(|| find_urls(text));
    let mut fields;
    let plain: Cow<str>;
    if let Some((read, year, read_plain)) = read(text) {
        // What reading the text gives, but for the locator and the year, which are read
        // below as for any entry: the year as `publication_year` reads it.
        fields = read.clone();
        fields.locator = None;
        plain = match read_plain {
            // The reading found this text's URLs and kept them all in the fields.
            Some(p) => Cow::Borrowed(p),
            None => {
                let found = urls_of(known());
                let plain = mask(text, found.iter().map(|(r, _)| r.clone()));
                if fields.urls.is_empty() {
                    fields.urls = found.into_iter().map(|(_, u)| u).collect();
                }
                Cow::Owned(plain)
            }
        };
        fields.year = year;
    } else {
        let known = known();
        // Commentary's text with its URLs blanked out is made below.
        let (parsed, read_plain) = read_citation_known(text, known.clone());
        let read = parsed.is_some();
        fields = parsed.map(|(_, f)| f).unwrap_or_default();
        fields.locator = None;
        // The year read with the text tells its publication year when that is sure.
        let mut year_read = None;
        plain = Cow::Owned(match read_plain {
            // The reading found this text's URLs and kept them all in the fields.
            Some(p) if read => {
                year_read = publication_year_read(&p.text, p.year);
                p.text
            }
            _ => {
                let found = urls_of(known);
                let plain = mask(text, found.iter().map(|(r, _)| r.clone()));
                if fields.urls.is_empty() {
                    fields.urls = found.into_iter().map(|(_, u)| u).collect();
                }
                plain
            }
        });
        fields.year = year_read.unwrap_or_else(|| publication_year_of_plain(&plain));
    }
    if quoted_title(&plain).is_some() {
        return fields;
    }
    let parts: Vec<&str> = entry_sentences(&plain)
        .into_iter()
        .map(clean)
        .filter(|p| p.chars().any(char::is_alphanumeric))
        .collect();
    if parts.len() < 2 {
        return fields;
    }
    let mut rest = parts.iter().copied().filter(|p| !is_date_part(p));
    let first = parts[0];
    if looks_like_title(first) {
        fields.authors = Vec::new();
        fields.title = rest.next().map(str::to_string);
    } else {
        fields.authors = split_authors(first);
        let _ = rest.next();
        fields.title = rest.next().map(|t| match t.rsplit_once(" (") {
            // `Electric City (Stockholm: Ljus, 2009)`: the parenthesis holds the publisher.
            Some((t, facts)) if facts.ends_with(')') && facts.contains(':') => t.trim().to_string(),
            _ => t.to_string(),
        });
    }
    fields.container = rest.find(|p| !is_not_container(p)).map(str::to_string);
    fields
}

/// The URLs of `text`, the entry's `whole` text trimmed, from those of the whole (`urls`),
/// when that gives what finding them in `text` gives: only white space is trimmed, so that
/// the search over the whole text reaches the start of `text` as a search from there would
/// begin (what a URL's start looks back at is white space there, or nothing, alike) and
/// goes on over the same bytes to the same end, or over white space alone after it. `None`
/// otherwise (a zero-width space trimmed, which a URL may run into).
fn urls_of_trimmed(whole: &str, text: &str, urls: &[(Range<usize>, &str)]) -> Option<FoundUrls> {
    if whole.trim() != text {
        return None;
    }
    let start = whole.len() - whole.trim_start().len();
    let end = start + text.len();
    urls.iter()
        .map(|(r, u)| {
            (start <= r.start && r.end <= end)
                .then(|| (r.start - start..r.end - start, (*u).to_string()))
        })
        .collect()
}

/// The sentences of a bibliography-style entry, split at a period that ends a word: not after
/// an initial (`J.`), an abbreviation (`Jr.`, `No.`) or a dotted word (`D.C.`), but after
/// `(n.d.)`, `n.d.` or a closing parenthesis.
fn entry_sentences(s: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    for (i, c) in s.char_indices() {
        if c != '.' || !s[i + 1..].chars().next().is_none_or(char::is_whitespace) {
            continue;
        }
        let word = s[start..i].rsplit(char::is_whitespace).next().unwrap_or("");
        let bare = word.trim_start_matches('(');
        let lower = bare.to_lowercase();
        let initial = bare.chars().count() == 1 && bare.chars().all(char::is_uppercase);
        let abbreviation = matches!(
            lower.as_str(),
            "jr" | "sr"
                | "dr"
                | "ed"
                | "eds"
                | "mr"
                | "ms"
                | "mrs"
                | "no"
                | "vol"
                | "pp"
                | "p"
                | "st"
                | "prof"
                | "ch"
        );
        let ends = bare.ends_with(')')
            || lower == "n.d"
            || !(bare.is_empty() || initial || abbreviation || bare.contains('.'));
        if ends {
            parts.push(&s[start..i]);
            start = i + 1;
        }
    }
    parts.push(&s[start..]);
    parts
}

/// Whether a part of an entry is only a date: `2012`, `(2025, January 27)`, `(n.d.)`.
fn is_date_part(p: &str) -> bool {
    let rest = FULL_DATE.replace_all(p, "");
    let rest = YEAR.replace_all(&rest, "");
    let rest = rest.to_lowercase().replace("n.d", "");
    !rest.chars().any(char::is_alphabetic) || LEADING_YEAR.replace(p, "").trim().is_empty()
}

/// Whether the first part of an entry is a title rather than its authors: it holds a colon, or
/// runs longer than any author list.
fn looks_like_title(p: &str) -> bool {
    p.contains(':') || p.split_whitespace().count() > 12
}

#[cfg(test)]
mod tests {
    use super::super::fields::parse_citation_plain;
    use super::*;
    use crate::cite::authors::surname;

    #[test]
    fn known_urls_and_readings_give_what_reading_gives() {
        for text in [
            "Ana Moe, “Harbour Cranes,” Port Review, May 6, 2021, https://port.example.org/c.",
            "  Moe, Ana. 2012. Harbour Cranes. Port Review. www.example.org/a\n",
            "\u{200B}Moe, Ana. Harbour Cranes. https://example.org/b\u{200B}",
            "Vik Salvage Co. v. Fjord Shipping, 312 F. Supp. 2d 88 (2001), https://a.example.org/v",
            "Ibid. https://example.org/c",
            "The figures were revised twice over the following year.",
        ] {
            let alone = parse_entry(text);
            let mut found = Vec::new();
            crate::parse::urls::extract(
                &crate::model::MappedText::contiguous(text, 0),
                crate::model::UrlOwner::Bibliography(0),
                &mut found,
            );
            let urls: Vec<_> = found
                .iter()
                .map(|u| (u.text_range.clone(), u.url.as_str()))
                .collect();
            assert_eq!(
                parse_entry_known(text, Some(&urls), |_| None),
                alone,
                "{text}"
            );
            let trimmed = crate::normalize::trim(text);
            let Some((_, read, plain)) = parse_citation_plain(trimmed, None) else {
                continue;
            };
            let year = crate::cite::publication_year(trimmed);
            // With the citation's URL-blanked text, as the resolver keeps it, and without.
            for plain in [plain.as_deref(), None] {
                let known = parse_entry_known(text, Some(&urls), |t| {
                    assert_eq!(t, trimmed);
                    Some((&read, year, plain))
                });
                assert_eq!(known, alone, "{text}");
            }
        }
    }

    #[test]
    fn entries_in_bibliography_style() {
        let f = parse_entry("Holm, Ivar, Dahl, Eva, and Ruud, Jon. 2014. The Fjord Agency: Its Work and Limits. Bergen: Vest Press. Accessed March 2, 2024. Fjord Books.");
        assert_eq!(f.authors, vec!["Holm, Ivar", "Dahl, Eva", "Ruud, Jon"]);
        assert_eq!(
            f.title.as_deref(),
            Some("The Fjord Agency: Its Work and Limits")
        );
        assert_eq!(f.container.as_deref(), Some("Bergen: Vest Press"));
        assert_eq!(f.year, Some(2014));

        // An organisation with a date in parentheses; a person with a suffix and a short surname.
        let f = parse_entry("Harbour Board. (2025, January 27). Rules of the Quay - Harbour Board. https://example.org/rules/");
        assert_eq!(f.authors, vec!["Harbour Board"]);
        assert_eq!(
            f.title.as_deref(),
            Some("Rules of the Quay - Harbour Board")
        );
        assert_eq!(f.year, Some(2025));
        assert_eq!(f.urls, vec!["https://example.org/rules/"]);
        let f = parse_entry(
            "Berg Jr., Ola S., and Bo Ha. Nets of the Sound, No. 4, Update 2. Oslo: Fisk, 2024.",
        );
        assert_eq!(f.authors, vec!["Berg Jr, Ola S", "Bo Ha"]);
        assert_eq!(
            f.title.as_deref(),
            Some("Nets of the Sound, No. 4, Update 2")
        );
        assert_eq!(surname(&f.authors[0]), "Berg");

        // No author: the title comes first; `n.d.` gives no year.
        let f = parse_entry("H.R.12 - 99th Congress (2023-2024): Harbour Act of 2023. (n.d.). Congress Library. https://example.org/hr12");
        assert!(f.authors.is_empty());
        assert_eq!(
            f.title.as_deref(),
            Some("H.R.12 - 99th Congress (2023-2024): Harbour Act of 2023")
        );
        assert_eq!(f.container.as_deref(), Some("Congress Library"));
        let f = parse_entry(
            "“Year in Review | Gull Society.” n.d. Gull Society. https://example.org/y/.",
        );
        assert_eq!(f.title.as_deref(), Some("Year in Review | Gull Society"));
        assert_eq!(f.year, None);

        // Quoted titles, inverted and normal order, access dates that are not the year.
        let f = parse_entry(
            "Moe, Ana. “Harbour Cranes.” Port Review. Accessed May 8, 2025. https://example.org/c.",
        );
        assert_eq!(f.authors, vec!["Moe, Ana"]);
        assert_eq!(f.year, None);
        let f = parse_entry("Ana Moe. 2012. “Harbour Cranes.” Port Review.");
        assert_eq!(f.authors, vec!["Ana Moe"]);
        assert_eq!(f.year, Some(2012));
    }
}
