//! Authors of a citation: splitting an author list, telling an organisation from a person,
//! and naming a work briefly by its first author's surname and its short title.

use super::fields::clean;
use crate::model::CitationFields;

/// Words that tell an organisation from a person.
const ORGANISATION_WORDS: [&str; 26] = [
    "agency",
    "assembly",
    "association",
    "bank",
    "board",
    "center",
    "centre",
    "commission",
    "committee",
    "congress",
    "council",
    "department",
    "foundation",
    "group",
    "house",
    "institute",
    "ministry",
    "nations",
    "news",
    "office",
    "organisation",
    "organization",
    "press",
    "reuters",
    "society",
    "university",
];

/// Whether `s` looks like a person's name: two to four capitalised words or initials.
pub(super) fn is_name(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    (2..=4).contains(&words.len())
        && words.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                && w.chars().all(|c| c.is_alphabetic() || ".-’'".contains(c))
        })
}

/// Splits an author list: `A, B, and C`, `A and B`, `A & B`; inverted names (`Betts,
/// Alexander, Loescher, Gil`) stay paired.
#[must_use]
pub fn split_authors(s: &str) -> Vec<String> {
    let s = clean(s);
    if s.is_empty() {
        return Vec::new();
    }
    // Most lists name one author: no comma, `&` or ` and ` to split at, and one piece.
    let b = s.as_bytes();
    if !holds_separator(b) {
        let p = clean(strip_and(s));
        return if p.is_empty() {
            Vec::new()
        } else {
            vec![p.to_string()]
        };
    }
    // At commas, then at ` and `, then at ` & `, as nested `split`s would.
    let mut pieces: Vec<&str> = Vec::with_capacity(4);
    for comma_part in s.split(',') {
        split_at(comma_part, b" and ", 3, &mut |and_part| {
            split_at(and_part, b" & ", 1, &mut |p| {
                let p = clean(strip_and(p));
                if !p.is_empty() {
                    pieces.push(p);
                }
            });
        });
    }
    let inverted = pieces.first().is_some_and(|p| is_one_name(p)) && pieces.len() > 1;
    let mut out = Vec::with_capacity(pieces.len());
    let mut i = 0;
    while i < pieces.len() {
        let piece = pieces[i];
        if inverted && is_one_name(piece) && i + 1 < pieces.len() {
            out.push(format!("{piece}, {}", pieces[i + 1]));
            i += 2;
        } else {
            out.push(piece.to_string());
            i += 1;
        }
    }
    out
}

/// `s` without the `and ` that open it, as `s.trim_start_matches("and ")` gives it, without
/// building a string searcher.
fn strip_and(s: &str) -> &str {
    let mut s = s;
    while let Some(rest) = s.strip_prefix("and ") {
        s = rest;
    }
    s
}

/// Whether `b` holds a `,`, a `&` or ` and `: a place to split an author list. Short lists
/// (most are a name or two) are read in one pass byte by byte, longer ones with `memchr`.
fn holds_separator(b: &[u8]) -> bool {
    if b.len() > 64 {
        return memchr::memchr2(b',', b'&', b).is_some() || holds(b, b" and ", 3);
    }
    b.iter().enumerate().any(|(i, &c)| {
        c == b',' || c == b'&' || (c == b'n' && i >= 2 && b[i - 2..].starts_with(b" and "))
    })
}

/// Whether `b` holds `sep`, found by its byte at `key` (its rarest), as [`split_at`] finds it.
fn holds(b: &[u8], sep: &[u8], key: usize) -> bool {
    memchr::memchr_iter(sep[key], b).any(|i| {
        i.checked_sub(key)
            .is_some_and(|at| b[at..].starts_with(sep))
    })
}

/// Passes the parts of `s` between the occurrences of `sep` to `f`, as `s.split(sep)` gives
/// them, without building a string searcher: the byte of `sep` at `key` (its rarest) is looked
/// for, then `sep` around it.
fn split_at<'a>(s: &'a str, sep: &[u8], key: usize, f: &mut impl FnMut(&'a str)) {
    let b = s.as_bytes();
    let mut start = 0;
    for i in memchr::memchr_iter(sep[key], b) {
        let Some(at) = i.checked_sub(key) else {
            continue;
        };
        if at >= start && b[at..].starts_with(sep) {
            f(&s[start..at]);
            start = at + sep.len();
        }
    }
    f(&s[start..]);
}

/// Whether `s` is one word of a name once a suffix is set aside: `Betts`, `Bermudez Jr.`.
fn is_one_name(s: &str) -> bool {
    s.split_whitespace().filter(|w| !is_name_suffix(w)).count() == 1
}

/// `Jr.`, `Sr.`, `III` and editor marks, which follow a name without being part of it.
#[must_use]
pub fn is_name_suffix(word: &str) -> bool {
    matches!(
        word,
        "Jr." | "Sr." | "Jr" | "Sr" | "II" | "III" | "IV" | "(ed.)" | "(eds.)" | "(ed)" | "(eds)"
    )
}

/// Whether an author is an organisation rather than a person: five words or more, a word in
/// lower case, or a word such as `Department`, `Council` or `News`.
#[must_use]
pub fn is_organisation(author: &str) -> bool {
    let words: Vec<&str> = author.split_whitespace().collect();
    words.len() >= 5
        || words.iter().any(|w| {
            w.chars().next().is_some_and(char::is_lowercase)
                || ORGANISATION_WORDS.contains(&w.to_lowercase().as_str())
        })
}

/// How an author is named in a short form: the surname of a person (`Betts` from `Betts,
/// Alexander` or `Alexander Betts`), an organisation in full.
#[must_use]
pub fn surname(author: &str) -> &str {
    let author = author.trim();
    if let Some((last, _)) = author.split_once(',') {
        let last = last.trim();
        return last
            .split_whitespace()
            .find(|w| !is_name_suffix(w))
            .unwrap_or(last);
    }
    if is_organisation(author) {
        return author;
    }
    author
        .split_whitespace()
        .rev()
        .find(|w| !is_name_suffix(w))
        .unwrap_or(author)
}

/// A short label for a work: `Betts, “Survival Migration”`, or the title alone.
#[must_use]
pub fn short_label(fields: &CitationFields, fallback: &str) -> String {
    let who = fields.authors.first().map(|a| surname(a));
    let title = fields.title.as_deref().map(short_title);
    match (who, title) {
        (Some(w), Some(t)) => format!("{w}, “{t}”"),
        (None, Some(t)) => format!("“{t}”"),
        (Some(w), None) => w.to_string(),
        (None, None) => {
            let mut words = fallback.split_whitespace();
            let head: Vec<&str> = words.by_ref().take(6).collect();
            let more = words.next().is_some();
            format!("{}{}", head.join(" "), if more { "…" } else { "" })
        }
    }
}

/// A title without its subtitle, or its first words when it is long.
#[must_use]
pub fn short_title(title: &str) -> String {
    let main = title
        .split_once(": ")
        .map_or(title, |(m, _)| m)
        .trim_end_matches(['…', '.', ',']);
    let words: Vec<&str> = main.split_whitespace().collect();
    if words.len() > 7 {
        format!("{}…", words[..6].join(" "))
    } else {
        main.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cite::parse_citation;

    fn fields(text: &str) -> CitationFields {
        parse_citation(text).expect("a citation").1
    }

    /// The author splitting by `str` patterns, as it was before the byte scans: what
    /// [`split_authors`] must give on any text.
    fn split_authors_reference(s: &str) -> Vec<String> {
        let s = clean(s);
        if s.is_empty() {
            return Vec::new();
        }
        let mut pieces: Vec<&str> = Vec::new();
        for comma_part in s.split(',') {
            for and_part in comma_part.split(" and ") {
                for p in and_part.split(" & ") {
                    let p = clean(p.trim_start_matches("and "));
                    if !p.is_empty() {
                        pieces.push(p);
                    }
                }
            }
        }
        let inverted = pieces.first().is_some_and(|p| is_one_name(p)) && pieces.len() > 1;
        let mut out = Vec::new();
        let mut i = 0;
        while i < pieces.len() {
            let piece = pieces[i];
            if inverted && is_one_name(piece) && i + 1 < pieces.len() {
                out.push(format!("{piece}, {}", pieces[i + 1]));
                i += 2;
            } else {
                out.push(piece.to_string());
                i += 1;
            }
        }
        out
    }

    #[test]
    fn split_authors_reads_as_the_str_patterns() {
        const PARTS: [&str; 16] = [
            "Ann",
            "Lee",
            " ",
            "and",
            "and ",
            " and ",
            "&",
            " & ",
            ",",
            ", ",
            ".",
            "Jr.",
            "é",
            "andand",
            "n",
            "Mira Holm Karl Novak Tomas Lind Eva Lopes Jon Park Lea ",
        ];
        for t in crate::texts_of_parts(&PARTS, 0x1234_5678_9abc_def1, 30_000, 0, 10) {
            assert_eq!(split_authors(&t), split_authors_reference(&t), "{t:?}");
            assert_eq!(strip_and(&t), t.trim_start_matches("and "), "{t:?}");
        }
    }

    #[test]
    fn authors_and_labels() {
        assert_eq!(
            split_authors("Ann Lee, Bo Kim, and Cy Park"),
            vec!["Ann Lee", "Bo Kim", "Cy Park"]
        );
        assert_eq!(
            split_authors("Lee, Ann and Bo Kim"),
            vec!["Lee, Ann", "Bo Kim"]
        );
        for s in [
            "x & and y",
            "x and & y",
            " and and  & & ,and , & and",
            "Ann Lee and Bo Kim & Cy Park, and Dee",
            "and",
            "",
        ] {
            let want: Vec<&str> = s
                .split(',')
                .flat_map(|p| p.split(" and "))
                .flat_map(|p| p.split(" & "))
                .collect();
            let mut got = Vec::new();
            for part in s.split(',') {
                split_at(part, b" and ", 3, &mut |a| {
                    split_at(a, b" & ", 1, &mut |p| got.push(p));
                });
            }
            assert_eq!(got, want, "{s:?}");
        }
        // One author, split without a list of pieces.
        assert_eq!(split_authors(" and Mira Holm. "), vec!["Mira Holm"]);
        assert_eq!(split_authors("and Mira"), vec!["Mira"]);
        assert_eq!(split_authors("Mira Holm and"), vec!["Mira Holm and"]);
        assert_eq!(split_authors("and "), vec!["and"]);
        assert_eq!(split_authors(" . "), Vec::<String>::new());
        assert_eq!(surname("Lee, Ann"), "Lee");
        assert_eq!(surname("Ann B. Lee Jr."), "Lee");
        assert_eq!(
            surname("Harbour Board of the North"),
            "Harbour Board of the North"
        );
        let f =
            fields("Lind, Per. “Tides and Trade: A Study.” Sea History 12, no. 2 (2011): 245–71.");
        assert_eq!(short_label(&f, ""), "Lind, “Tides and Trade”");
    }
}
