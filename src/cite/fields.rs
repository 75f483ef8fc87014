//! Reading one citation: what kind it is (full, short, Ibid.) and its fields (authors, title,
//! container, year, URLs, locator, extent). Works on any citation-like text, bibliography
//! entries included.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::locator;
use super::split::is_prose;
use crate::model::{CitationFields, CitationKind};

static URL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(?-u:\b)(?:https?://|www\.)\S+").expect("valid regex"));

static YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?-u:\b)(?:1[5-9]\d\d|20\d\d)(?-u:\b)").expect("valid regex"));

/// A date finer than a year: `May 6, 2024`, `June, 18, 2020`, `December 2009`, `2025, January 27`.
static FULL_DATE: LazyLock<Regex> = LazyLock::new(|| {
    let month = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";
    Regex::new(&format!(
        r"(?i)(?-u:\b){month}\.?,?\s+(?:\d{{1,2}},?\s+)?(?:1[5-9]\d\d|20\d\d)(?-u:\b)|(?-u:\b)(?:1[5-9]\d\d|20\d\d),\s+{month}(?-u:\b)"
    ))
    .expect("valid regex")
});

/// Years and `n.d.` trailing an author list: `Yoon, Hee-soon. (2019).`, `Kim, Young, 2024,`.
static TRAILING_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)[\s,.]*\(?\s*(?:1[5-9]\d\d|20\d\d|n\.\s?d\.?)\s*\)?[\s,.:]*$")
        .expect("valid regex")
});

/// A year or `n.d.` opening a part of a bibliography-style citation: `(n.d.). Publisher`.
static LEADING_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\(?\s*(?:1[5-9]\d\d|20\d\d|n\.\s?d\.?)\s*\)?(?:[,.:]\s*|$)")
        .expect("valid regex")
});

/// Segments after a title that are not a container: dates, access notes, locators, editors.
static NOT_CONTAINER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:\d|accessed|last updated|retrieved|edited by|ed(?-u:\b)|eds(?-u:\b)|n\.\s?d|pp?(?-u:\b)|pgs?(?-u:\b)|no(?-u:\b)|vol(?-u:\b)|jan|feb|mar|apr|may(?-u:\b)|jun|jul|aug|sep|oct|nov|dec)")
        .expect("valid regex")
});

const MONTH_WORDS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

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

/// Reads one citation. `None` when the text is commentary rather than a citation.
#[must_use]
pub fn parse_citation(text: &str) -> Option<(CitationKind, CitationFields)> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if let Some(rest) = ibid_rest(text) {
        let fields = CitationFields {
            locator: locator::parse_locator(rest),
            ..CitationFields::default()
        };
        return Some((CitationKind::Ibid, fields));
    }
    let found: Vec<_> = URL.find_iter(text).collect();
    let urls: Vec<String> = found
        .iter()
        .map(|m| trim_url(m.as_str()).to_string())
        .filter(|u| !u.is_empty())
        .collect();
    let plain = mask(text, found.iter().map(regex::Match::range));
    let quoted = quoted_title(&plain);
    let outside_title = match &quoted {
        Some(q) => mask(&plain, std::iter::once(q.whole.clone())),
        None => plain.clone(),
    };
    let dates: Vec<_> = FULL_DATE.find_iter(&outside_title).collect();
    let full_date = !dates.is_empty();
    let date = dates
        .iter()
        .find(|d| !is_access_date(&outside_title[..d.start()]))
        .copied();
    // The year of a full date first: an earlier year may belong to a law or a title.
    let years = |t: &str, shift: usize| -> Vec<Range<usize>> {
        YEAR.find_iter(t)
            .map(|m| m.start() + shift..m.end() + shift)
            .collect()
    };
    let year = date
        .map(|d| years(d.as_str(), d.start()))
        .unwrap_or_default()
        .into_iter()
        .chain(years(&outside_title, 0))
        .chain(years(&plain, 0))
        .find(|r| !is_in_identifier(&plain, r.clone()))
        .and_then(|r| plain.get(r)?.parse().ok());
    let extent = locator::extent(&plain);

    let mut fields = CitationFields {
        urls,
        year,
        extent: extent.as_ref().map(|(_, e)| e.clone()),
        ..CitationFields::default()
    };
    let kind = if let Some(q) = quoted {
        fields.title = Some(clean(&plain[q.title.clone()]).to_string());
        let before = TRAILING_YEAR.replace(&plain[..q.whole.start], "");
        fields.authors = split_authors(clean(&before));
        let after_start = q.whole.end;
        let (locator_at, locator) = find_locator(&plain, extent.as_ref(), after_start, true);
        fields.locator = locator;
        let after_end = extent
            .as_ref()
            .map_or(locator_at, |(r, _)| r.start.min(locator_at));
        fields.container = plain
            .get(after_start..after_end.max(after_start))
            .and_then(container_of);
        if !fields.urls.is_empty() || full_date || fields.container.is_some() {
            CitationKind::Full
        } else {
            CitationKind::Short
        }
    } else {
        let (locator_at, locator) = find_locator(&plain, extent.as_ref(), 0, false);
        let bare_locator = locator.is_none();
        let (locator_at, locator) = if bare_locator {
            locator::trailing_locator(&plain, true)
                .map_or((plain.len(), None), |(at, l)| (at, Some(l)))
        } else {
            (locator_at, locator)
        };
        let body = plain[..locator_at].trim();
        if is_prose(body) {
            return None;
        }
        fields.locator = locator;
        unquoted_fields(body, &mut fields);
        let segments = body
            .split([',', '.'])
            .filter(|s| s.chars().any(char::is_alphabetic))
            .count();
        let publication_facts = body.contains('(') && body.contains(':');
        let structured = segments >= 3 || publication_facts;
        if !fields.urls.is_empty() || full_date || (year.is_some() && structured) {
            if bare_locator && !publication_facts {
                // A bare number after a full citation is only a page after `(Place: Publisher, Year),`.
                fields.locator = None;
            }
            CitationKind::Full
        } else if fields.locator.is_some() || year.is_some() || is_title_case(body) {
            CitationKind::Short
        } else {
            return None;
        }
    };
    Some((kind, fields))
}

/// A date that says when a page was read or last changed, not when the work appeared:
/// `Accessed May 8, 2025`, `last updated May 8, 2025`.
static ACCESS_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:accessed|retrieved|last updated|updated|viewed)(?:\s+on)?:?\s+[^;]{0,24}?(?-u:\b)(?:1[5-9]\d\d|20\d\d)(?-u:\b)")
        .expect("valid regex")
});

/// The year a work appeared, as a citation or entry gives it: the year of its first full date
/// or its first free-standing year, never an access date's nor one inside a quoted title
/// (`“Events of 2023”`). `None` for `n.d.` or when no year is given.
#[must_use]
pub fn publication_year(text: &str) -> Option<u16> {
    let plain = mask(text, URL.find_iter(text).map(|m| m.range()));
    let mut hidden: Vec<Range<usize>> = ACCESS_DATE.find_iter(&plain).map(|m| m.range()).collect();
    if let Some(q) = quoted_title(&plain) {
        hidden.push(q.whole);
    }
    let plain = mask(&plain, hidden.into_iter());
    let in_date = FULL_DATE.find_iter(&plain).next().and_then(|d| {
        YEAR.find(d.as_str())
            .map(|y| y.start() + d.start()..y.end() + d.start())
    });
    in_date
        .into_iter()
        .chain(YEAR.find_iter(&plain).map(|m| m.range()))
        .find(|r| !is_in_identifier(&plain, r.clone()))
        .and_then(|r| plain.get(r)?.parse().ok())
}

/// Reads a bibliography entry into the fields of a citation.
///
/// Entries come in two shapes: note style with commas (`Ann Lee, “Title,” Review, 2021.`),
/// which [`parse_citation`] reads, and bibliography style with periods, where authors (in
/// inverted or normal order, or an organisation), a year (`2012.`, `(2025, January 27).`,
/// `n.d.`), the title (quoted or not) and the container each end with a period. An entry with
/// no author starts with its title.
#[must_use]
pub fn parse_entry(text: &str) -> CitationFields {
    let text = crate::normalize::trim(text);
    let mut fields = parse_citation(text).map(|(_, f)| f).unwrap_or_default();
    fields.locator = None;
    fields.year = publication_year(text);
    if fields.urls.is_empty() {
        fields.urls = URL
            .find_iter(text)
            .map(|m| trim_url(m.as_str()).to_string())
            .filter(|u| !u.is_empty())
            .collect();
    }
    let plain = mask(text, URL.find_iter(text).map(|m| m.range()));
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
    fields.container = rest
        .find(|p| !NOT_CONTAINER.is_match(p))
        .map(str::to_string);
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

/// The text after an Ibid. word (`Ibid`, `ibid.`, `Ibidem`, `Id.`), when `text` is one.
#[must_use]
pub fn ibid_rest(text: &str) -> Option<&str> {
    if !super::is_ibid(text) {
        return None;
    }
    let t = text.trim_start();
    let lower = t.get(..6).unwrap_or(t).to_ascii_lowercase();
    let len = if lower.starts_with("ibidem") {
        6
    } else if lower.starts_with("ibid") {
        4
    } else {
        3
    };
    t.get(len..)
}

/// The locator after `from` in `plain`: after an article's extent (`(2006): 131–41, 133`),
/// else one marked with `p.`/`pp.`/`pg.`, else a bare number when `bare` or after `(Place:
/// Publisher, Year),`. Returns where it starts (`plain.len()` when there is none).
fn find_locator(
    plain: &str,
    extent: Option<&(Range<usize>, crate::model::PageRange)>,
    from: usize,
    bare: bool,
) -> (usize, Option<crate::model::Locator>) {
    if let Some((range, _)) = extent {
        let rest = plain.get(range.end..).unwrap_or("");
        let after = rest.trim_start();
        if let Some(tail) = after.strip_prefix(',') {
            if let Some(loc) = locator::parse_locator(tail) {
                return (range.end, Some(loc));
            }
        }
        return (plain.len(), None);
    }
    let tail = plain.get(from..).unwrap_or("");
    if let Some((at, loc)) = locator::trailing_locator(tail, false) {
        return (from + at, Some(loc));
    }
    if let Some((at, loc)) = locator::trailing_locator(tail, true) {
        if bare || tail[..at].trim_end().ends_with("),") {
            return (from + at, Some(loc));
        }
    }
    (plain.len(), None)
}

/// A quoted title: the whole quotation and the title inside it.
struct Quoted {
    whole: Range<usize>,
    title: Range<usize>,
}

/// The first quoted title: `“…”` or `"…"`; an unclosed quote runs to the end; a closing quote
/// with no opening one (`Title,” Publisher`) closes a title that starts the citation.
fn quoted_title(s: &str) -> Option<Quoted> {
    let open = ["“", "\""]
        .iter()
        .filter_map(|q| s.find(q).map(|i| (i, *q)))
        .min_by_key(|(i, _)| *i);
    if let Some((i, q)) = open {
        let inner = i + q.len();
        let close = if q == "“" { "”" } else { "\"" };
        let (title_end, end) = s[inner..]
            .find(close)
            .map_or((s.len(), s.len()), |j| (inner + j, inner + j + close.len()));
        return Some(Quoted {
            whole: i..end,
            title: inner..title_end,
        });
    }
    let close = s.find('”')?;
    (s[..close].split_whitespace().count() >= 2).then(|| Quoted {
        whole: 0..close + '”'.len_utf8(),
        title: 0..close,
    })
}

/// Fills authors, title and container of a citation without quotation marks, from `body` (the
/// text before its locator). `Surname, Given. Year. Title. Place: Publisher.` splits at
/// sentence ends; `Author, Title, Publisher` at commas.
fn unquoted_fields(body: &str, fields: &mut CitationFields) {
    // A final period ends the last sentence too.
    let sentences = sentence_parts(&format!("{body} "));
    let parts: Vec<String> = if sentences.len() >= 3 {
        sentences
    } else {
        top_level_commas(body)
    };
    let parts: Vec<String> = parts
        .iter()
        .map(|p| LEADING_YEAR.replace(clean(p), "").trim().to_string())
        .filter(|p| p.chars().any(char::is_alphabetic))
        .collect();
    // `Ann Lee, Bo Kim, and Cy Park, Title`: the names run up to the one after `and`.
    let last_author = parts
        .iter()
        .position(|p| p.starts_with("and "))
        .filter(|&k| {
            parts[1..=k]
                .iter()
                .all(|p| is_name(p.trim_start_matches("and ")))
        })
        .unwrap_or(0);
    if !parts.is_empty() {
        fields.authors = split_authors(&parts[..=last_author].join(", "));
    }
    let rest: Vec<&String> = parts
        .iter()
        .skip(last_author + 1)
        .filter(|p| !NOT_CONTAINER.is_match(p))
        .collect();
    if let Some(title) = rest.first() {
        // `Electric City (Stockholm: Ljus, 2009)`: the parenthesis holds the publisher.
        match title.rsplit_once(" (") {
            Some((t, facts)) if facts.ends_with(')') && facts.contains(':') => {
                fields.title = Some(t.trim().to_string());
                let facts = facts.trim_end_matches(')');
                let place = match facts.rsplit_once(',') {
                    Some((place, year)) if YEAR.is_match(year) => place,
                    _ => facts,
                };
                fields.container = Some(clean(place).to_string());
            }
            _ => fields.title = Some((*title).clone()),
        }
    }
    if fields.container.is_none() {
        fields.container = rest.get(1).map(|s| (*s).clone());
    }
}

/// Whether `s` looks like a person's name: two to four capitalised words or initials.
fn is_name(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    (2..=4).contains(&words.len())
        && words.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                && w.chars().all(|c| c.is_alphabetic() || ".-’'".contains(c))
        })
}

/// Splits at `. ` that ends a sentence, not an initial or abbreviation (`J. Smith`, `Jr.`).
fn sentence_parts(s: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut start = 0;
    for (i, _) in s.match_indices(". ") {
        let word = s[start..i]
            .rsplit(|c: char| c.is_whitespace() || c == '(')
            .next()
            .unwrap_or("");
        let letters = word.chars().filter(|c| c.is_alphanumeric()).count();
        let abbreviation = matches!(
            word.to_ascii_lowercase().as_str(),
            "jr" | "sr" | "dr" | "ed" | "eds" | "mr" | "ms" | "no" | "vol" | "pp" | "st" | "dc"
        );
        if (letters >= 3 || word.ends_with(')')) && !abbreviation && !word.contains('.') {
            parts.push(s[start..i].to_string());
            start = i + 2;
        }
    }
    parts.push(s[start..].to_string());
    parts
}

fn top_level_commas(s: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                parts.push(s[start..i].to_string());
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(s[start..].to_string());
    parts
}

/// The container named right after a title: the first segment that is not a date, access
/// note, locator or editor line.
fn container_of(after: &str) -> Option<String> {
    after
        .split([',', ';'])
        .flat_map(|seg| seg.split(". "))
        .map(|seg| clean(seg.trim_start_matches(|c: char| !c.is_alphanumeric())))
        .map(|seg| seg.strip_prefix("in ").unwrap_or(seg))
        .find(|seg| seg.chars().filter(|c| c.is_alphabetic()).count() >= 2)
        .filter(|seg| !NOT_CONTAINER.is_match(seg))
        .map(str::to_string)
}

/// Splits an author list: `A, B, and C`, `A and B`, `A & B`; inverted names (`Betts,
/// Alexander, Loescher, Gil`) stay paired.
#[must_use]
pub fn split_authors(s: &str) -> Vec<String> {
    let s = clean(s);
    if s.is_empty() {
        return Vec::new();
    }
    let pieces: Vec<&str> = s
        .split(',')
        .flat_map(|p| p.split(" and "))
        .flat_map(|p| p.split(" & "))
        .map(|p| clean(p.trim_start_matches("and ")))
        .filter(|p| !p.is_empty())
        .collect();
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

/// Whether most words of `s` that are not articles or prepositions are capitalised, as in a
/// name or a title.
fn is_title_case(s: &str) -> bool {
    let words: Vec<&str> = s
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .filter(|w| {
            !matches!(
                *w,
                "a" | "an" | "and" | "of" | "the" | "in" | "on" | "for" | "to"
            )
        })
        .collect();
    let capitalised = words
        .iter()
        .filter(|w| {
            !w.chars()
                .find(|c| c.is_alphabetic())
                .is_some_and(char::is_lowercase)
        })
        .count();
    !words.is_empty() && words.len() <= 15 && capitalised * 5 >= words.len() * 3
}

/// Whether a date right after `before` is when a web page was read, not when it appeared.
fn is_access_date(before: &str) -> bool {
    let tail: String = before
        .trim_end()
        .chars()
        .rev()
        .take(13)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect::<String>()
        .to_lowercase();
    ["accessed", "updated", "retrieved", "viewed"]
        .iter()
        .any(|w| tail.ends_with(w))
}

/// Whether the number at `range` is part of an identifier such as `S/2020/840` or a range.
fn is_in_identifier(s: &str, range: Range<usize>) -> bool {
    let before = s.get(..range.start).and_then(|t| t.chars().next_back());
    let after = s.get(range.end..).and_then(|t| t.chars().next());
    before.is_some_and(|c| c == '/' || c.is_alphanumeric())
        || after.is_some_and(|c| c == '/' || c.is_alphanumeric())
}

/// `s` with the given ranges blanked out (same length, so offsets keep their meaning).
fn mask(s: &str, ranges: impl Iterator<Item = Range<usize>>) -> String {
    let mut out = String::with_capacity(s.len());
    let mut done = 0;
    for r in ranges {
        if r.start < done || s.get(r.clone()).is_none() {
            continue;
        }
        out.push_str(&s[done..r.start]);
        out.extend(std::iter::repeat_n(' ', r.len()));
        done = r.end;
    }
    out.push_str(&s[done..]);
    out
}

fn trim_url(url: &str) -> &str {
    url.trim_end_matches(|c: char| ".,;:)”\"’".contains(c))
}

/// `s` without surrounding white space and punctuation that only separates fields.
fn clean(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || ",.;:".contains(c))
}

/// The words of a citation that identify its work, for matching a short form against full
/// citations: lower case, without URLs, locators, short numbers and common words.
#[must_use]
pub fn match_words(text: &str) -> Vec<String> {
    let plain = mask(text, URL.find_iter(text).map(|m| m.range())).to_lowercase();
    plain
        .split(|c: char| !(c.is_alphanumeric() || c == '/'))
        .map(|w| w.trim_matches('/'))
        .filter(|w| w.chars().nth(1).is_some())
        .filter(|w| !(w.len() <= 3 && w.bytes().all(|b| b.is_ascii_digit())))
        .filter(|w| !STOP_WORDS.contains(w) && !MONTH_WORDS.contains(w))
        .map(str::to_string)
        .collect()
}

const STOP_WORDS: [&str; 24] = [
    "an", "and", "at", "by", "for", "from", "in", "of", "on", "the", "to", "with", "is", "pp",
    "pg", "ibid", "ed", "eds", "see", "also", "accessed", "nd", "its", "vs",
];

/// Whether two citations name the same work: the same title (or one the start of the
/// other, as a shortened subtitle), or, when either lacks a title, the same URL.
#[must_use]
pub fn same_work(a: &CitationFields, b: &CitationFields) -> bool {
    WorkKey::of(a).same_work(&WorkKey::of(b))
}

/// What identifies a citation's work, normalised once so that comparing many citations does
/// not normalise the same title again for every pair.
#[derive(Debug, Clone, Default)]
pub struct WorkKey {
    /// The title's words, folded and joined by single spaces.
    title: Option<String>,
    urls: Vec<String>,
}

impl WorkKey {
    #[must_use]
    pub fn of(fields: &CitationFields) -> Self {
        Self {
            title: fields.title.as_deref().map(title_key),
            urls: fields.urls.iter().map(|u| url_key(u)).collect(),
        }
    }

    /// The folded title, words joined by single spaces, if the citation has a title.
    #[must_use]
    pub fn title(&self) -> Option<&str> {
        self.title.as_deref()
    }

    /// The normalised URLs.
    #[must_use]
    pub fn urls(&self) -> &[String] {
        &self.urls
    }

    /// See [`same_work`].
    #[must_use]
    pub fn same_work(&self, other: &Self) -> bool {
        match (&self.title, &other.title) {
            (Some(x), Some(y)) => {
                let (short, long) = if x.len() <= y.len() { (x, y) } else { (y, x) };
                !short.is_empty()
                    && (short == long
                        || (short.split(' ').nth(2).is_some()
                            && long.starts_with(short.as_str())
                            && long.as_bytes().get(short.len()) == Some(&b' ')))
            }
            _ => self.urls.iter().any(|u| other.urls.contains(u)),
        }
    }
}

fn title_key(title: &str) -> String {
    let mut key = String::with_capacity(title.len());
    for word in crate::normalize::fold(title)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !key.is_empty() {
            key.push(' ');
        }
        key.push_str(word);
    }
    key
}

fn url_key(url: &str) -> String {
    let u = url.to_ascii_lowercase();
    let u = u.split_once("://").map_or(u.as_str(), |(_, r)| r);
    u.trim_start_matches("www.")
        .trim_end_matches('/')
        .to_string()
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

    fn kind(text: &str) -> Option<CitationKind> {
        parse_citation(text).map(|(k, _)| k)
    }

    fn fields(text: &str) -> CitationFields {
        parse_citation(text).expect("a citation").1
    }

    #[test]
    fn ibid_forms_with_locators() {
        for t in ["Ibid.", "Ibid", "ibid.", "Ibidem", "Id.", "Ibid..", "Ibid,"] {
            assert_eq!(kind(t), Some(CitationKind::Ibid), "{t}");
            assert_eq!(fields(t).locator, None, "{t}");
        }
        let f = fields("Ibid., 4.");
        assert_eq!(f.locator.map(|l| l.text), Some("4".to_string()));
        let f = fields("Ibid, pp. 34-38, pp. 276-285.");
        let pages: Vec<_> = f
            .locator
            .expect("locator")
            .pages
            .iter()
            .map(|p| (p.first, p.last))
            .collect();
        assert_eq!(pages, vec![(34, 38), (276, 285)]);
    }

    #[test]
    fn full_citations() {
        let f = fields("Ana Moe, “Harbour Cranes of the North,” Port Review, May 6, 2021, https://port.example.org/cranes.");
        assert_eq!(f.authors, vec!["Ana Moe"]);
        assert_eq!(f.title.as_deref(), Some("Harbour Cranes of the North"));
        assert_eq!(f.container.as_deref(), Some("Port Review"));
        assert_eq!(f.year, Some(2021));
        assert_eq!(f.urls, vec!["https://port.example.org/cranes"]);
        assert_eq!(
            kind("Ana Moe, “Harbour Cranes,” Port Review, 2021."),
            Some(CitationKind::Full)
        );

        // Inverted authors, a journal with its page range, the year before the title.
        let f = fields("Lind, Per. “Tides and Trade: A Study.” Sea History 12, no. 2 (2011): 245–71. https://example.org/x.");
        assert_eq!(f.authors, vec!["Lind, Per"]);
        assert_eq!(f.container.as_deref(), Some("Sea History 12"));
        let extent = f.extent.expect("extent");
        assert_eq!((extent.first, extent.last), (245, 271));
        assert_eq!(f.locator, None);
        let f = fields("Ola Berg, “Nets,” Fish Review 3, no. 1 (2006): 131-141, 133.");
        assert_eq!(f.locator.map(|l| l.text), Some("133".into()));

        // A book without quotation marks, Chicago note style and bibliography style.
        let f = fields("Sofia Lund, Electric City (Stockholm: Ljus, 2009), 40.");
        assert_eq!(
            kind("Sofia Lund, Electric City (Stockholm: Ljus, 2009), 40."),
            Some(CitationKind::Full)
        );
        assert_eq!(f.title.as_deref(), Some("Electric City"));
        assert_eq!(f.container.as_deref(), Some("Stockholm: Ljus"));
        assert_eq!(f.locator.map(|l| l.text), Some("40".into()));
        let f = fields("Holm, Ivar, Dahl, Eva, and Ruud, Jon. 2014. The Fjord Agency: Its Work and Limits. Bergen: Vest Press. Accessed March 2, 2024. (pg. 7)");
        assert_eq!(f.authors, vec!["Holm, Ivar", "Dahl, Eva", "Ruud, Jon"]);
        assert_eq!(
            f.title.as_deref(),
            Some("The Fjord Agency: Its Work and Limits")
        );
        assert_eq!(f.locator.map(|l| l.text), Some("(pg. 7)".into()));

        // An organisation and an unquoted report title with a document number and a date.
        let t = "Harbour Board, Annual report of the board established under act 12 (2001), HB/2020/77, August 28, 2020, p. 19, pp. 136-139";
        assert_eq!(kind(t), Some(CitationKind::Full));
        let f = fields(t);
        assert_eq!(f.authors, vec!["Harbour Board"]);
        assert_eq!(f.year, Some(2020));
        assert_eq!(f.locator.map(|l| l.text), Some("p. 19, pp. 136-139".into()));
        // A title-first web page.
        assert_eq!(
            kind("“Seeking Safer Harbours,” Port News, April 11, 2024."),
            Some(CitationKind::Full)
        );
        assert_eq!(
            kind("Seeking Safer Harbours - Port News. 2024. Port News. https://example.org/"),
            Some(CitationKind::Full)
        );
        // A closing quote without an opening one still ends the title.
        let f = fields("Gdynia - The Old Yard, the Birthplace of Ships,” Yard Museum, accessed May 3, 2025, https://example.org/yard.");
        assert_eq!(
            f.title.as_deref(),
            Some("Gdynia - The Old Yard, the Birthplace of Ships")
        );
    }

    #[test]
    fn bibliography_style_without_quotes() {
        let f = fields("Harbour Board & Port Office. (n.d.). Rules for the use of the quays. https://example.org/q (pg. 30)");
        assert_eq!(f.authors, vec!["Harbour Board", "Port Office"]);
        assert_eq!(f.title.as_deref(), Some("Rules for the use of the quays"));
        let f = fields("Ann Lee, Bo Kim, and Cy Park, Workers of the Quay: A Report (Oslo, NO: Harbour Board, 2022), https://example.org/w.");
        assert_eq!(f.authors, vec!["Ann Lee", "Bo Kim", "Cy Park"]);
        assert_eq!(f.title.as_deref(), Some("Workers of the Quay: A Report"));
        assert_eq!(f.container.as_deref(), Some("Oslo, NO: Harbour Board"));
        assert_eq!(f.year, Some(2022));
        let f = fields("Holm, Ivar. 2014. Fjord Work (Agency): Its Limits. Bergen: Vest. Accessed March 2, 2024.");
        assert_eq!(f.title.as_deref(), Some("Fjord Work (Agency): Its Limits"));
        assert_eq!(f.year, Some(2014));
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
        assert_eq!(
            publication_year("“Harbour Events of 2023”, Port Watch, 2024"),
            Some(2024)
        );
        assert_eq!(
            publication_year("“Harbour Events of 2023”, Port Watch"),
            None
        );
        assert_eq!(
            publication_year("Board, Report 12 (2009), HB/2020/77, March 7, 2024"),
            Some(2024)
        );
    }

    #[test]
    fn short_forms() {
        let f = fields("Moe, “Harbour Cranes of the North,” 4.");
        assert_eq!(
            kind("Moe, “Harbour Cranes of the North,” 4."),
            Some(CitationKind::Short)
        );
        assert_eq!(f.authors, vec!["Moe"]);
        assert_eq!(f.locator.map(|l| l.text), Some("4".into()));
        assert_eq!(kind("“Seeking Safer Shells…”"), Some(CitationKind::Short));
        assert_eq!(kind("Lund, 8."), Some(CitationKind::Short));
        assert_eq!(fields("Lund, 8.").authors, vec!["Lund"]);
        assert_eq!(
            kind("Lind, Per. (2011). “Tides and Trade.”"),
            Some(CitationKind::Short)
        );
        assert_eq!(
            kind("Berg, Ola, 2024, “Nets in the Sound.”"),
            Some(CitationKind::Short)
        );
        assert_eq!(
            kind("Harbour Board, Annual report of the board, pp. 34-38."),
            Some(CitationKind::Short)
        );
        assert_eq!(kind("Board, HB/2020/77, p. 60."), Some(CitationKind::Short));
        assert_eq!(kind("Moe, “Cranes,” p. 59."), Some(CitationKind::Short));
        assert_eq!(
            kind("“Written Statement for the Harbour Commission,” 2."),
            Some(CitationKind::Short)
        );
    }

    #[test]
    fn commentary_is_not_a_citation() {
        assert_eq!(
            kind("This figure was disputed by later surveys of the harbour."),
            None
        );
        assert_eq!(
            kind("The ledger was found in a church attic in 2019 by volunteers."),
            None
        );
        assert_eq!(kind(""), None);
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

    #[test]
    fn same_work_by_title_or_url() {
        let a = fields("Ana Moe, “Harbour Cranes,” Port Review, 2021.");
        let b = fields("Moe, Ana. (2021). Harbour Cranes. Port Review. https://example.org/c");
        assert!(same_work(&a, &b));
        let c = fields("“2023 Harbour Report,” Board, 2024, https://example.org/r");
        let d = fields("“2022 Harbour Report,” Board, 2023, https://example.org/r");
        assert!(!same_work(&c, &d));
        assert_eq!(
            match_words("Moe, “Harbour Cranes,” p. 4"),
            vec!["moe", "harbour", "cranes"]
        );
    }
}
