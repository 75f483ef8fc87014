//! Reading a bibliography entry: note-style entries read as citations, bibliography-style
//! ones (`Surname, Given. Year. Title. Place: Publisher.`) sentence by sentence.

use super::authors::split_authors;
use super::dates::{publication_year_of_plain, FULL_DATE, LEADING_YEAR, YEAR};
use super::fields::{clean, find_urls, is_not_container, mask, quoted_title, read_citation};
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
    // Trimmed of all white space: reading it as a citation trims nothing more, so the text
    // with its URLs blanked out that the reading gives is this text's.
    let text = crate::normalize::trim(text);
    let (parsed, plain) = read_citation(text);
    let read = parsed.is_some();
    let mut fields = parsed.map(|(_, f)| f).unwrap_or_default();
    fields.locator = None;
    let plain = match plain {
        // The reading found this text's URLs and kept them all in the fields.
        Some(plain) if read => plain,
        _ => {
            let found = find_urls(text);
            let plain = mask(text, found.iter().map(|(r, _)| r.clone()));
            if fields.urls.is_empty() {
                fields.urls = found.into_iter().map(|(_, u)| u).collect();
            }
            plain
        }
    };
    fields.year = publication_year_of_plain(&plain);
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
    use super::*;
    use crate::cite::authors::surname;

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
