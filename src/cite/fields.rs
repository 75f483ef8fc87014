//! Reading one citation: what kind it is (full, short, Ibid.) and its fields (authors, title,
//! container, year, URLs, locator, extent). Works on any citation-like text, bibliography
//! entries included; [`super::entry`] adds the bibliography style, [`super::authors`] reads
//! author lists.

use std::ops::Range;
#[cfg(test)]
use std::sync::LazyLock;

#[cfg(test)]
use regex::Regex;

use super::authors::{is_name, split_authors};
use super::dates::{self, LEADING_YEAR, YEAR};
use super::ibid_rest;
use super::locator;
use super::split::is_prose;
use crate::model::{CitationFields, CitationKind, PageRange};

/// The URLs of `text`, as [`crate::parse::urls::find`] reads them. Every URL it finds starts
/// with `://`, `//` or `:/` (a near miss) after its scheme, or with `www.` or `doi:` in any
/// case: a text holding none of these holds no URL, and most short forms skip the scan.
pub(super) fn find_urls(text: &str) -> Vec<(Range<usize>, String)> {
    let b = text.as_bytes();
    let slash = memchr::memchr_iter(b'/', b).any(|i| i > 0 && matches!(b[i - 1], b':' | b'/'));
    let named = || {
        b.windows(4)
            .any(|w| w.eq_ignore_ascii_case(b"www.") || w.eq_ignore_ascii_case(b"doi:"))
    };
    if slash || named() {
        crate::parse::urls::find(text)
    } else {
        Vec::new()
    }
}

/// Segments after a title that are not a container: dates, access notes, locators, editors.
/// What [`opens_not_container`] reads by hand.
#[cfg(test)]
static NOT_CONTAINER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:[0-9]|accessed|last updated|retrieved|edited by|ed(?-u:\b)|eds(?-u:\b)|n\.\s?d|pp?(?-u:\b)|pgs?(?-u:\b)|no(?-u:\b)|vol(?-u:\b)|jan|feb|mar|apr|may(?-u:\b)|jun|jul|aug|sep|oct|nov|dec)")
        .expect("valid regex")
});

/// Whether [`NOT_CONTAINER`] matches `s`: a segment opening with none of its first two
/// characters (most containers: `Policy Quarterly`) is told at once, without the regex.
pub(super) fn is_not_container(s: &str) -> bool {
    may_open_not_container(s.as_bytes()) && opens_not_container(s)
}

/// Whether [`NOT_CONTAINER`] matches `s`, read by hand. Its case folding reads a letter in
/// either ASCII case, and `ſ` (C5 BF) as an `s`; no other character folds to one of its
/// letters. Its word boundaries are ASCII ones.
fn opens_not_container(s: &str) -> bool {
    let b = s.as_bytes();
    // The bytes a word written `w` takes at the start of `b`.
    let word = |w: &[u8]| {
        let mut i = 0;
        for &p in w {
            match b.get(i) {
                Some(&c) if c.eq_ignore_ascii_case(&p) => i += 1,
                Some(&0xC5) if p == b's' && b.get(i + 1) == Some(&0xBF) => i += 2,
                _ => return None,
            }
        }
        Some(i)
    };
    // A word ending at an ASCII word boundary (every word here ends with an ASCII letter).
    let bounded = |w: &[u8]| {
        word(w).is_some_and(|i| {
            b.get(i)
                .is_none_or(|&c| !(c.is_ascii_alphanumeric() || c == b'_'))
        })
    };
    if b.first().is_some_and(u8::is_ascii_digit) {
        return true;
    }
    const PREFIXES: [&[u8]; 15] = [
        b"accessed",
        b"last updated",
        b"retrieved",
        b"edited by",
        b"jan",
        b"feb",
        b"mar",
        b"apr",
        b"jun",
        b"jul",
        b"aug",
        b"sep",
        b"oct",
        b"nov",
        b"dec",
    ];
    const WORDS: [&[u8]; 9] = [
        b"ed", b"eds", b"p", b"pp", b"pg", b"pgs", b"no", b"vol", b"may",
    ];
    // Only the words that start with the first letter are compared (an `ſ` reads as `s`).
    let first = match b.first() {
        Some(&0xC5) if b.get(1) == Some(&0xBF) => b's',
        Some(c) => c.to_ascii_lowercase(),
        None => return false,
    };
    if PREFIXES.iter().any(|w| w[0] == first && word(w).is_some())
        || WORDS.iter().any(|w| w[0] == first && bounded(w))
    {
        return true;
    }
    // `n\.\s?d`: `n.`, one white space character or none, `d`.
    let Some(i) = (first == b'n').then(|| word(b"n.")).flatten() else {
        return false;
    };
    let space = s[i..]
        .chars()
        .next()
        .filter(|c| c.is_whitespace())
        .map_or(0, char::len_utf8);
    b.get(i + space)
        .is_some_and(|c| c.eq_ignore_ascii_case(&b'd'))
}

/// Whether `b` may open with a [`NOT_CONTAINER`] alternative, by its first two bytes: a digit,
/// or two ASCII letters (any case) that start one of its words, `p` and a non-word byte, or a
/// byte outside ASCII (which case folding may read as a letter, `ſ` as `s`).
fn may_open_not_container(b: &[u8]) -> bool {
    let Some(&first) = b.first() else {
        return false;
    };
    let second = b.get(1).copied();
    if first.is_ascii_digit() || !first.is_ascii() || second.is_some_and(|c| !c.is_ascii()) {
        return true;
    }
    match (
        first.to_ascii_lowercase(),
        second.map(|c| c.to_ascii_lowercase()),
    ) {
        (b'p', None) => true,
        (b'p', Some(c)) => c == b'p' || c == b'g' || !(c.is_ascii_alphanumeric() || c == b'_'),
        (_, None) => false,
        (a, Some(c)) => matches!(
            [a, c],
            [b'a', b'c' | b'p' | b'u']
                | [b'l', b'a']
                | [b'r', b'e']
                | [b'e', b'd']
                | [b'n', b'.' | b'o']
                | [b'v', b'o']
                | [b'j', b'a' | b'u']
                | [b'f', b'e']
                | [b'm', b'a']
                | [b's', b'e']
                | [b'o', b'c']
                | [b'd', b'e']
        ),
    }
}

/// Reads one citation. `None` when the text is commentary rather than a citation.
#[must_use]
pub fn parse_citation(text: &str) -> Option<(CitationKind, CitationFields)> {
    parse_citation_plain(text, None).map(|(kind, fields, _)| (kind, fields))
}

/// [`parse_citation`], with the citation's text (trimmed) with its URLs blanked out when
/// reading it needed that: callers that need it too need not find the URLs again.
/// `known`, when given, is what [`find_urls`] finds in the text (trimmed): the URLs its caller
/// already read, not looked for again.
pub(super) fn parse_citation_plain(
    text: &str,
    known: Option<FoundUrls>,
) -> Option<(CitationKind, CitationFields, Option<String>)> {
    let (parsed, plain) = read_citation_with(text, known, None);
    parsed.map(|(kind, fields)| (kind, fields, plain.map(|p| p.text)))
}

/// A citation's text (trimmed) with its URLs blanked out, and its publication year when
/// reading it gave that.
pub(super) struct Plain {
    /// The text with its URLs blanked out.
    pub text: String,
    /// The year the reading found and whether it lies in the quoted title, from which
    /// [`super::dates::publication_year_read`] may tell the publication year of `text`.
    pub year: (Option<u16>, bool),
}

/// [`parse_citation_plain`], with the year read in the URL-blanked text. `ibid`, when given,
/// is [`ibid_rest`] of the text (trimmed), read already.
pub(super) fn parse_citation_read<'a>(
    text: &'a str,
    known: Option<FoundUrls>,
    ibid: Option<Option<&'a str>>,
) -> Option<(CitationKind, CitationFields, Option<Plain>)> {
    let (parsed, plain) = read_citation_with(text, known, ibid);
    parsed.map(|(kind, fields)| (kind, fields, plain))
}

/// The URLs of a text as [`find_urls`] gives them: where each stands and the URL as read.
pub(super) type FoundUrls = Vec<(Range<usize>, String)>;

/// [`parse_citation`], and the citation's text (trimmed) with its URLs blanked out when
/// reading it found them, commentary or not, with the year read in it (see [`Plain::year`]).
/// When it is given, the fields hold every URL of the text, in order. `known`, when given,
/// is what [`find_urls`] finds in the text (trimmed).
pub(super) fn read_citation_known(
    text: &str,
    known: Option<FoundUrls>,
) -> (Option<(CitationKind, CitationFields)>, Option<Plain>) {
    read_citation_with(text, known, None)
}

/// [`read_citation_known`], given [`ibid_rest`] of the text (trimmed) when `ibid` gives that.
fn read_citation_with<'a>(
    text: &'a str,
    mut known: Option<FoundUrls>,
    ibid: Option<Option<&'a str>>,
) -> (Option<(CitationKind, CitationFields)>, Option<Plain>) {
    let text = text.trim();
    if text.is_empty() {
        return (None, None);
    }
    if let Some(rest) = ibid.unwrap_or_else(|| ibid_rest(text)) {
        // `Ibid., 250. The ledger there is torn.`: the pages end the first sentence.
        let locator = locator::parse_locator(rest)
            .or_else(|| first_sentence(rest).and_then(locator::parse_locator));
        let fields = CitationFields {
            locator,
            ..CitationFields::default()
        };
        return (Some((CitationKind::Ibid, fields)), None);
    }
    if let Some(legal) =
        super::legal::legal_citation_with(text, || known.take().unwrap_or_else(|| find_urls(text)))
    {
        return (Some(legal), None);
    }
    if let Some((name, rest)) = super::opcit::back_reference(text) {
        // `supra note 2, at 41`: the pinpoint follows `at`, the note number is no page.
        let rest = rest.trim_start();
        let pinpoint = match rest.rsplit_once(" at ") {
            Some((_, at)) => Some(at),
            None if rest
                .get(..4)
                .is_some_and(|w| w.eq_ignore_ascii_case("note")) =>
            {
                None
            }
            None => Some(rest),
        };
        let fields = CitationFields {
            authors: vec![name.to_string()],
            locator: pinpoint.and_then(locator::parse_locator),
            ..CitationFields::default()
        };
        return (Some((CitationKind::Short, fields)), None);
    }
    let mut facts = Facts::read(text, known.unwrap_or_else(|| find_urls(text)));
    let parsed = match facts.quoted.take() {
        Some(q) => Some(quoted_citation(&mut facts, &q)),
        None => unquoted_citation(&mut facts),
    };
    let plain = Plain {
        text: facts.plain,
        year: facts.year_read,
    };
    (parsed, Some(plain))
}

/// The first sentence of what follows an Ibid., when a second one follows it: up to a full
/// stop that a space and a capital letter follow (`., 250` of `., 250. The ledger …`). A
/// stop after an abbreviation (`ch. IV`) cuts too early, and the cut text then reads as no
/// locator, as the whole did.
fn first_sentence(rest: &str) -> Option<&str> {
    let b = rest.as_bytes();
    let mut from = 0;
    while let Some(i) = memchr::memchr(b'.', &b[from..]).map(|i| from + i) {
        let after = &b[i + 1..];
        let spaces = after.iter().take_while(|c| **c == b' ').count();
        if spaces > 0 && after.get(spaces).is_some_and(u8::is_ascii_uppercase) {
            return Some(&rest[..i]);
        }
        from = i + 1;
    }
    None
}

/// What a citation states whatever its shape: its URLs, year and extent, whether it gives a
/// full date, and its text with the URLs blanked out.
struct Facts {
    /// The text with its URLs blanked out, so that their digits and dots are not read.
    plain: String,
    quoted: Option<Quoted>,
    /// Where the first full date stands (an access date too), when the citation gives one.
    first_date: Option<Range<usize>>,
    extent: Option<(Range<usize>, PageRange)>,
    /// The fields read so far: URLs, year and extent.
    fields: CitationFields,
    /// The year read in `plain` and whether it lies in the quoted title (see [`Plain::year`]).
    year_read: (Option<u16>, bool),
}

impl Facts {
    /// The facts of `text`, whose URLs are `found`.
    fn read(text: &str, found: FoundUrls) -> Self {
        let plain = if found.is_empty() {
            text.to_string()
        } else {
            mask(text, found.iter().map(|(r, _)| r.clone()))
        };
        let urls: Vec<String> = found.into_iter().map(|(_, u)| u).collect();
        let quoted = quoted_title(&plain);
        let read = match &quoted {
            Some(q) => dates::citation_year_around(&plain, q.whole.clone()),
            None => dates::citation_year(&plain, &plain),
        };
        let (year, first_date, in_title) = read;
        let extent = locator::extent(&plain);
        let fields = CitationFields {
            urls,
            year,
            extent: extent.as_ref().map(|(_, e)| e.clone()),
            ..CitationFields::default()
        };
        Self {
            plain,
            quoted,
            first_date,
            extent,
            fields,
            year_read: (year, in_title),
        }
    }
}

/// A citation with a quoted title: authors before it, container and locator after it. Full
/// when it gives a URL, a full date or a container.
fn quoted_citation(facts: &mut Facts, q: &Quoted) -> (CitationKind, CitationFields) {
    let mut fields = std::mem::take(&mut facts.fields);
    let plain = &facts.plain;
    fields.title = Some(clean(&plain[q.title.clone()]).to_string());
    let before = &plain[..q.whole.start];
    // A trailing year holds digits, `n.d.` a period: most author lists hold neither.
    let before = if before.bytes().any(|c| c.is_ascii_digit() || c == b'.') {
        dates::TRAILING_YEAR.replace(before, "")
    } else {
        std::borrow::Cow::Borrowed(before)
    };
    fields.authors = split_authors(clean(&before));
    let after_start = q.whole.end;
    let (locator_at, locator) = find_locator(plain, facts, after_start, true);
    fields.locator = locator;
    let after_end = facts
        .extent
        .as_ref()
        .map_or(locator_at, |(r, _)| r.start.min(locator_at));
    fields.container = plain
        .get(after_start..after_end.max(after_start))
        .and_then(container_of);
    let full_date = facts.first_date.is_some();
    let kind = if !fields.urls.is_empty() || full_date || fields.container.is_some() {
        CitationKind::Full
    } else {
        CitationKind::Short
    };
    (kind, fields)
}

/// A citation without a quoted title. Full when it gives a URL, a full date, or a year with
/// enough structure (three parts, or `(Place: Publisher`); short when it gives a locator, a
/// year or a name in title case; otherwise commentary, `None`.
fn unquoted_citation(facts: &mut Facts) -> Option<(CitationKind, CitationFields)> {
    let mut fields = std::mem::take(&mut facts.fields);
    let plain = &facts.plain;
    let (locator_at, locator, bare_locator) = if facts.extent.is_some() {
        let (locator_at, locator) = find_locator(plain, facts, 0, false);
        match locator {
            Some(l) => (locator_at, Some(l), false),
            None => locator::trailing_locator(plain, true)
                .map_or((plain.len(), None, true), |(at, l)| (at, Some(l), true)),
        }
    } else {
        // What `find_locator` would read first, and the search for a bare locator after it
        // would read again: read once.
        match trailing_locator_of(plain, facts.first_date.as_ref(), 0) {
            Some((at, l, marked)) => {
                let taken = marked || plain[..at].trim_end().ends_with("),");
                (at, Some(l), !taken)
            }
            None => (plain.len(), None, true),
        }
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
    let publication_facts =
        body.contains('(') && (body.contains(':') || publisher_and_year(body).is_some());
    let structured = segments >= 3 || publication_facts;
    let year = fields.year.is_some();
    let kind = if !fields.urls.is_empty() || facts.first_date.is_some() || (year && structured) {
        if bare_locator && !publication_facts {
            // A bare number after a full citation is only a page after `(Place: Publisher, Year),`.
            fields.locator = None;
        }
        CitationKind::Full
    } else if fields.locator.is_some() || year || is_title_case(body) {
        CitationKind::Short
    } else {
        return None;
    };
    Some((kind, fields))
}

/// The locator after `from` in `plain`: after an article's extent (`(2006): 131–41, 133`),
/// else one marked with `p.`/`pp.`/`pg.`, else a bare number when `bare` or after `(Place:
/// Publisher, Year),`. Returns where it starts (`plain.len()` when there is none).
fn find_locator(
    plain: &str,
    facts: &Facts,
    from: usize,
    bare: bool,
) -> (usize, Option<crate::model::Locator>) {
    if let Some((range, _)) = facts.extent.as_ref() {
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
    // A locator ending in a marked item (`p. 4`) is what the search without bare numbers
    // finds, taken always; one ending in a bare number only where bare numbers are.
    if let Some((at, loc, marked)) = trailing_locator_of(plain, facts.first_date.as_ref(), from) {
        if marked || bare || tail[..at].trim_end().ends_with("),") {
            return (from + at, Some(loc));
        }
    }
    (plain.len(), None)
}

/// [`locator::trailing_locator_marked`] of `plain[from..]` with bare numbers, offsets in it,
/// knowing where a full date of `plain` stands (`date`): when that date ends the text, as the
/// common `…, May 14, 1997.` does, there is no locator, and the search is skipped.
fn trailing_locator_of(
    plain: &str,
    date: Option<&Range<usize>>,
    from: usize,
) -> Option<(usize, crate::model::Locator, bool)> {
    let tail = plain.get(from..).unwrap_or("");
    if date.is_some_and(|d| d.start >= from && locator::ends_at(tail, d.end - from)) {
        return None;
    }
    locator::trailing_locator_marked(tail, true)
}

/// A quoted title: the whole quotation and the title inside it.
pub(super) struct Quoted {
    pub(super) whole: Range<usize>,
    pub(super) title: Range<usize>,
}

/// The first quoted title: `“…”` or `"…"`; an unclosed quote runs to the end; a closing quote
/// with no opening one (`Title,” Publisher`) closes a title that starts the citation.
pub(super) fn quoted_title(s: &str) -> Option<Quoted> {
    let b = s.as_bytes();
    // `“` is E2 80 9C, `”` E2 80 9D in UTF-8.
    let open = memchr::memchr2_iter(b'"', 0xE2, b).find_map(|i| {
        if b[i] == b'"' {
            Some((i, "\""))
        } else {
            b[i..].starts_with("“".as_bytes()).then_some((i, "“"))
        }
    });
    if let Some((i, q)) = open {
        let inner = i + q.len();
        let close = if q == "“" {
            find_closing_quote(&b[inner..])
        } else {
            memchr::memchr(b'"', &b[inner..])
        };
        let close_len = if q == "“" { '”'.len_utf8() } else { 1 };
        let (title_end, end) =
            close.map_or((s.len(), s.len()), |j| (inner + j, inner + j + close_len));
        return Some(Quoted {
            whole: i..end,
            title: inner..title_end,
        });
    }
    let close = find_closing_quote(b)?;
    (s[..close].split_whitespace().count() >= 2).then(|| Quoted {
        whole: 0..close + '”'.len_utf8(),
        title: 0..close,
    })
}

/// Where the first `”` (E2 80 9D in UTF-8) of `b` starts: its first byte found with `memchr`,
/// with no substring searcher to build for each citation.
fn find_closing_quote(b: &[u8]) -> Option<usize> {
    memchr::memchr_iter(0xE2, b).find(|&i| b.get(i + 1..i + 3) == Some(&[0x80, 0x9D]))
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
        .filter(|p| !is_not_container(p))
        .collect();
    if let Some(title) = rest.first() {
        // `Electric City (Stockholm: Ljus, 2009)`: the parenthesis holds the publisher.
        match title.rsplit_once(" (") {
            Some((t, facts))
                if facts.ends_with(')')
                    && (facts.contains(':') || publisher_and_year(title).is_some()) =>
            {
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

/// The `(Publisher, Year)` that closes `s`, as a book's publication facts given without a
/// place: `*Gulls* (Tern Press, 2019)`. The publisher holds a letter, the year is four digits.
fn publisher_and_year(s: &str) -> Option<&str> {
    let inside = s.trim_end_matches([',', '.', ';', ' ']).strip_suffix(')')?;
    let (_, facts) = inside.rsplit_once(" (")?;
    let (publisher, year) = facts.rsplit_once(',')?;
    let year = year.trim();
    let is_year = year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit());
    (is_year && publisher.chars().any(char::is_alphabetic)).then_some(facts)
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
/// note, locator or editor line. Segments end at `,`, `;` and `. `, found byte by byte (all
/// three are ASCII), with no string searcher to build for each segment.
fn container_of(after: &str) -> Option<String> {
    let b = after.as_bytes();
    let mut start = 0;
    loop {
        let end = memchr::memchr2(b',', b';', &b[start..]).map_or(b.len(), |i| start + i);
        // The sentences of the segment, as `split(". ")` gives them.
        let mut from = start;
        loop {
            let stop = memchr::memchr_iter(b'.', &b[from..end])
                .map(|i| from + i)
                .find(|&i| i + 1 < end && b[i + 1] == b' ')
                .unwrap_or(end);
            if let Some(seg) = container_candidate(&after[from..stop]) {
                return (!is_not_container(seg)).then(|| seg.to_string());
            }
            if stop == end {
                break;
            }
            from = stop + 2;
        }
        if end == b.len() {
            return None;
        }
        start = end + 1;
    }
}

/// One segment after a title as [`container_of`] reads it: without what opens it up to its
/// first letter or digit, cleaned and without a leading `in `; `None` unless it holds two
/// letters.
fn container_candidate(seg: &str) -> Option<&str> {
    let b = seg.as_bytes();
    // Byte by byte over ASCII; from the first other byte on, by characters.
    let lead = b
        .iter()
        .position(|c| !c.is_ascii() || c.is_ascii_alphanumeric())
        .unwrap_or(b.len());
    let seg = if b.get(lead).is_some_and(|c| !c.is_ascii()) {
        seg[lead..].trim_start_matches(|c: char| !c.is_alphanumeric())
    } else {
        &seg[lead..]
    };
    let seg = clean(seg);
    let seg = seg.strip_prefix("in ").unwrap_or(seg);
    seg.chars()
        .filter(|c| c.is_alphabetic())
        .nth(1)
        .map(|_| seg)
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

/// `s` with the given ranges blanked out (same length, so offsets keep their meaning).
pub(super) fn mask(s: &str, ranges: impl Iterator<Item = Range<usize>>) -> String {
    let mut out = String::with_capacity(s.len());
    let mut done = 0;
    for r in ranges {
        if r.start < done || s.get(r.clone()).is_none() {
            continue;
        }
        out.push_str(&s[done..r.start]);
        let mut blank = r.len();
        while blank > 0 {
            let n = blank.min(SPACES.len());
            out.push_str(&SPACES[..n]);
            blank -= n;
        }
        done = r.end;
    }
    out.push_str(&s[done..]);
    out
}

/// Spaces to blank out text with, a run at a time.
const SPACES: &str = "                                                                ";

/// `s` without surrounding white space and punctuation that only separates fields.
pub(super) fn clean(s: &str) -> &str {
    // Byte by byte while the ends are ASCII; from a character outside ASCII on, which may be
    // white space, by characters.
    let b = s.as_bytes();
    let sep = |c: u8| {
        matches!(
            c,
            b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b',' | b'.' | b';' | b':'
        )
    };
    let mut i = 0;
    while i < b.len() && sep(b[i]) {
        i += 1;
    }
    let mut j = b.len();
    while j > i && sep(b[j - 1]) {
        j -= 1;
    }
    let t = &s[i..j];
    if t.as_bytes().first().is_some_and(|c| !c.is_ascii())
        || t.as_bytes().last().is_some_and(|c| !c.is_ascii())
    {
        return t.trim_matches(|c: char| c.is_whitespace() || ",.;:".contains(c));
    }
    t
}

/// The words of a citation that identify its work, for matching a short form against full
/// citations: lower case, without URLs, locators, short numbers and common words.
#[must_use]
pub fn match_words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_match_word(&mask_urls(text), |w| out.push(w.to_string()));
    out
}

/// Calls `f` with each of [`match_words`] of a citation whose URLs are already blanked out
/// (`plain`), in order; the word passed may live in a buffer reused for the next one.
pub(super) fn for_each_match_word(plain: &str, f: impl FnMut(&str)) {
    for_each_match_word_where(plain, |_| true, f);
}

/// [`for_each_match_word`], passing over the words that `wanted` turns down before
/// lower-casing them or comparing them with the common words: a caller that wants only a few
/// words spares that work for the others. `wanted` is shown each word (slashes trimmed, maybe
/// empty) before or after lower-casing, maybe more than once, so it must not tell the cases of
/// ASCII letters apart and must answer alike each time; it must accept every word whose match
/// word `f` is to see.
pub(super) fn for_each_match_word_where(
    plain: &str,
    mut wanted: impl FnMut(&str) -> bool,
    mut f: impl FnMut(&str),
) {
    // Lower-casing the whole text and then splitting it into words gives the words lower-cased
    // one by one when no letter outside ASCII is present: ASCII letters lower-case one to one,
    // and a character without a letter has no case mapping. Otherwise (`İ` lower-cases to two
    // characters, a final `Σ` by its context) the whole text is lower-cased first, as always.
    //
    // One pass reads the words and checks the characters outside ASCII: the words `wanted`
    // accepts are held back (by their ranges) until the pass ends without finding an
    // alphanumeric character outside ASCII, and only then handed to `f`.
    // Bytes serve: an ASCII character is alphanumeric as a byte is, and no byte of another
    // character (none alphanumeric, once checked) is an ASCII one: they only separate words.
    let mut few = [(0usize, 0usize); HELD_WORDS];
    let mut held = 0;
    let mut more: Vec<(usize, usize)> = Vec::new();
    let ascii_words = for_each_ascii_word_range(plain, |start, end| {
        if !wanted(&plain[start..end]) {
            return;
        }
        if held < HELD_WORDS {
            few[held] = (start, end);
            held += 1;
        } else {
            more.push((start, end));
        }
    });
    if ascii_words {
        let mut word = String::new();
        for &(start, end) in few[..held].iter().chain(&more) {
            let w = &plain[start..end];
            let w = if w.bytes().any(|c| c.is_ascii_uppercase()) {
                word.clear();
                word.push_str(w);
                word.make_ascii_lowercase();
                word.as_str()
            } else {
                w
            };
            if !is_common_word(w) {
                f(w);
            }
        }
        return;
    }
    if !plain.chars().any(|c| !c.is_ascii() && c.is_alphabetic()) {
        let mut word = String::new();
        let mut take = |w: &str| {
            if !wanted(w.trim_matches('/')) {
                return;
            }
            if let Some(w) = match_word(w, &mut word) {
                f(w);
            }
        };
        // The words between separators, without the empty ones (a blanked-out URL is a run
        // of separators).
        let mut start = None;
        for (i, c) in plain.char_indices() {
            let in_word = c.is_alphanumeric() || c == '/';
            match (in_word, start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    take(&plain[s..i]);
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = start {
            take(&plain[s..]);
        }
        return;
    }
    let lower = plain.to_lowercase();
    lower
        .split(|c: char| !(c.is_alphanumeric() || c == '/'))
        .map(|w| w.trim_matches('/'))
        .filter(|w| wanted(w) && keeps_word(w) && !is_common_word(w))
        .for_each(f);
}

/// Calls `f` with the range (start, end) in `plain` of each word that
/// [`for_each_match_word_where`] reads when no alphanumeric character outside ASCII is
/// present, in order: slashes trimmed, neither
/// lower-cased nor compared with the common words, those too short to be kept (see
/// [`keeps_word`]) left out. Returns whether the text holds no such character; when it does,
/// the pass stops there (`f` has seen only some words) and the words are not these: they are
/// read as [`for_each_match_word_where`] reads them.
pub(super) fn for_each_ascii_word_range(plain: &str, mut f: impl FnMut(usize, usize)) -> bool {
    let b = plain.as_bytes();
    let mut i = 0;
    let mut ascii_words = true;
    while i < b.len() {
        let c = b[i];
        if !IN_WORD[usize::from(c)] {
            if c.is_ascii() {
                i += 1;
                // A blanked-out URL is a long run of spaces: stepped over eight at a time (a
                // single space, as between words, is not looked past).
                if c == b' ' && b.get(i) == Some(&b' ') {
                    while let Some(&chunk) = b.get(i..).and_then(|t| t.first_chunk::<8>()) {
                        if u64::from_ne_bytes(chunk) != SPACES_8 {
                            break;
                        }
                        i += 8;
                    }
                }
                continue;
            }
            // U+2000 to U+206F, general punctuation (dashes, curly quotes, `…`): none is
            // alphanumeric, and they are the most common characters outside ASCII in citations.
            if c == 0xE2
                && (b.get(i + 1) == Some(&0x80)
                    || b.get(i + 1) == Some(&0x81) && b.get(i + 2).is_some_and(|&c| c < 0xB0))
            {
                i += 3;
                continue;
            }
            // `i` is on a character boundary: only whole characters are stepped over.
            match plain.get(i..).and_then(|t| t.chars().next()) {
                Some(ch) if !ch.is_alphanumeric() => i += ch.len_utf8(),
                _ => {
                    ascii_words = false;
                    break;
                }
            }
            continue;
        }
        let mut start = i;
        while i < b.len() && IN_WORD[usize::from(b[i])] {
            i += 1;
        }
        let mut end = i;
        // Most words have no slash at either end.
        if b[start] == b'/' || b[end - 1] == b'/' {
            while start < end && b[start] == b'/' {
                start += 1;
            }
            while start < end && b[end - 1] == b'/' {
                end -= 1;
            }
        }
        // Shorter than two characters, or a number of up to three digits: never kept (see
        // `keeps_word`), not worth a look.
        let len = end - start;
        if len < 2 || len <= 3 && b[start..end].iter().all(u8::is_ascii_digit) {
            continue;
        }
        f(start, end);
    }
    ascii_words
}

/// Eight spaces read as one number.
const SPACES_8: u64 = u64::from_ne_bytes([b' '; 8]);

/// How many words of a citation [`for_each_match_word_where`] holds back without a vector.
const HELD_WORDS: usize = 16;

/// The bytes of a word in an ASCII text: letters, digits and `/`.
static IN_WORD: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric() || c == b'/';
        b += 1;
    }
    t
};

/// An ASCII word as a match word: slashes trimmed, lower-cased (in `buf` when it has capitals),
/// `None` when it is too short or too common to tell works apart.
fn match_word<'a>(w: &'a str, buf: &'a mut String) -> Option<&'a str> {
    let w = w.trim_matches('/');
    if !keeps_word(w) {
        return None;
    }
    let w = if w.bytes().any(|c| c.is_ascii_uppercase()) {
        buf.clear();
        buf.push_str(w);
        buf.make_ascii_lowercase();
        buf.as_str()
    } else {
        w
    };
    (!is_common_word(w)).then_some(w)
}

/// Whether a word may identify a work: two characters or more, and not a number of up to three
/// digits (a page or a day). Lower-casing changes neither.
fn keeps_word(w: &str) -> bool {
    // Two bytes or more: one character of up to four bytes, or two characters.
    (w.len() >= 5 || w.chars().nth(1).is_some())
        && !(w.len() <= 3 && w.bytes().all(|b| b.is_ascii_digit()))
}

/// A common word or a month name (`w` in lower case): no help in telling works apart.
fn is_common_word(w: &str) -> bool {
    // A `match` on the words, which compares lengths first, is far quicker than a search of
    // a list for each of a citation's words.
    matches!(
        w,
        "an" | "and"
            | "at"
            | "by"
            | "for"
            | "from"
            | "in"
            | "of"
            | "on"
            | "the"
            | "to"
            | "with"
            | "is"
            | "pp"
            | "pg"
            | "ibid"
            | "ed"
            | "eds"
            | "see"
            | "also"
            | "accessed"
            | "nd"
            | "its"
            | "vs"
            | "january"
            | "february"
            | "march"
            | "april"
            | "may"
            | "june"
            | "july"
            | "august"
            | "september"
            | "october"
            | "november"
            | "december"
    )
}

/// `text` with its URLs blanked out; no copy of the URLs is made.
pub(super) fn mask_urls(text: &str) -> String {
    mask(text, find_urls(text).into_iter().map(|(r, _)| r))
}

#[cfg(test)]
mod tests {
    use super::*;

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

    const STOP_WORDS: [&str; 24] = [
        "an", "and", "at", "by", "for", "from", "in", "of", "on", "the", "to", "with", "is", "pp",
        "pg", "ibid", "ed", "eds", "see", "also", "accessed", "nd", "its", "vs",
    ];

    #[test]
    fn common_words_are_the_stop_words_and_month_names() {
        for w in STOP_WORDS.iter().chain(&MONTH_WORDS) {
            assert!(is_common_word(w), "{w}");
        }
        for w in [
            "a", "ann", "mayor", "harbour", "2021", "", "The", "januarys",
        ] {
            assert!(!is_common_word(w), "{w}");
        }
    }
    use crate::identity::same_work;

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
        // Commentary after the pages: the pages end the first sentence.
        let f = fields("Ibid., 250. The ledger there is torn.");
        assert_eq!(f.locator.map(|l| l.text), Some("250".to_string()));
        for t in ["Ibid. The ledger is torn.", "Ibid., ch. IV. The ledger."] {
            assert_eq!(fields(t).locator, None, "{t}");
        }
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
    fn a_book_with_publisher_and_year_but_no_place_is_full() {
        let text = "Bo Lee, *Gulls* (Tern Press, 2019), 12.";
        assert_eq!(kind(text), Some(CitationKind::Full));
        let f = fields(text);
        assert_eq!(f.title.as_deref(), Some("*Gulls*"));
        assert_eq!(f.container.as_deref(), Some("Tern Press"));
        // A year alone in brackets is no publisher.
        assert_eq!(kind("Bo Lee, Report (2019), 4."), Some(CitationKind::Short));
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
    fn urls_are_read_as_the_parsers_read_them() {
        // One URL extractor for the whole program: a DOI, a URL glued to a word and one split
        // inside its path read here as `parse::urls` reads them in the post.
        let f = fields("Ana Moe, “Cranes,” Port Review 3 (2021): 4–9, doi:10.1000/182.");
        assert_eq!(f.urls, vec!["doi:10.1000/182"]);
        let f = fields("“Cranes,” Port Review, accessed May 2, 2024,https://a.org/x).");
        assert_eq!(f.urls, vec!["https://a.org/x"]);
        let f =
            fields("“Cranes,” Port Review, 2019, https://a.org/wp- content/uploads/2019/c.pdf.");
        assert_eq!(f.urls, vec!["https://a.org/wp-content/uploads/2019/c.pdf"]);
        assert_eq!(f.year, Some(2019));
    }

    #[test]
    fn match_words_lower_case_words_as_the_whole_text_would() {
        // The reference: lower-case the whole text, then split it into words.
        let reference = |text: &str| -> Vec<String> {
            mask_urls(text)
                .to_lowercase()
                .split(|c: char| !(c.is_alphanumeric() || c == '/'))
                .map(|w| w.trim_matches('/'))
                .filter(|w| keeps_word(w) && !is_common_word(w))
                .map(str::to_string)
                .collect()
        };
        for text in [
            "Moe, “Harbour Cranes,” PORT Review, May 6, 2021, https://Example.org/A/B, p. 44.",
            "İSTANBUL Port Board, “Ölund’s ÄRENDE,” 12 Jan 2020, HB/2020/77.",
            "ΟΔΟΣ.ΒΑΣ, “ΣΑΣ/ΑΣ” ²³ Ⅻ Ⓐbc, Kelvin \u{212a}",
            "",
            // More words than are held back on the stack, then a letter outside ASCII: the
            // words read before it are read again with the whole text lower-cased.
            "One Two Three Four Five Six Seven Eight Nine Ten Eleven Twelve Thirteen Fourteen \
             Fifteen Sixteen Seventeen Eighteen — Nineteen Twenty, HB/2020/77 a.Σ ÖLUND",
            "One Two Three Four Five Six Seven Eight Nine Ten Eleven Twelve Thirteen Fourteen \
             Fifteen Sixteen Seventeen Eighteen “Nineteen” Twenty Twentyone 4 44 444 4444",
        ] {
            assert_eq!(match_words(text), reference(text), "{text}");
        }
    }

    #[test]
    fn not_container_prefilter_lets_every_match_through() {
        let starts = [
            "",
            "1",
            "Accessed",
            "aCCeſſed",
            "last updated",
            "Retrieved",
            "edited by",
            "ed",
            "Ed.",
            "eds",
            "edſ",
            "n.d.",
            "n. d",
            "N.\u{a0}d",
            "p",
            "p.",
            "pp",
            "pp.",
            "pg",
            "pgs",
            "Pgſ",
            "no",
            "No.",
            "vol",
            "Vol.",
            "jan",
            "FEB",
            "mar",
            "apr",
            "May",
            "may",
            "jun",
            "jul",
            "aug",
            "sep",
            "ſep",
            "oct",
            "nov",
            "dec",
            "Policy",
            "Pq",
            "p_",
            "Port",
            "Mayor",
            "é",
            "xé",
            "Archive Notes",
            "Harbour",
            "De",
            "Ja",
            "Ox",
            "\u{212a}ey",
        ];
        for a in starts {
            for b in ["", " ", "x", ".", " Review", "1"] {
                let t = format!("{a}{b}");
                assert_eq!(is_not_container(&t), NOT_CONTAINER.is_match(&t), "{t:?}");
            }
        }
    }

    #[test]
    fn not_container_read_by_hand_as_by_the_regex() {
        const PARTS: [&str; 30] = [
            "accessed",
            "Last updated",
            "retrieved",
            "edited by",
            "ed",
            "Eds",
            "edſ",
            "n.",
            "n",
            ".",
            " ",
            "\u{a0}",
            "\u{2003}",
            "d",
            "D",
            "p",
            "P",
            "g",
            "s",
            "ſ",
            "no",
            "vol",
            "May",
            "jan",
            "ſep",
            "_",
            "1",
            "x",
            "é",
            "Oct",
        ];
        for t in crate::texts_of_parts(&PARTS, 0x0bad_cafe_1234_5678, 60_000, 1, 5) {
            assert_eq!(opens_not_container(&t), NOT_CONTAINER.is_match(&t), "{t:?}");
            assert_eq!(is_not_container(&t), NOT_CONTAINER.is_match(&t), "{t:?}");
        }
    }

    /// [`container_of`] as first written, with iterator adapters and string patterns.
    fn container_of_reference(after: &str) -> Option<String> {
        after
            .split([',', ';'])
            .flat_map(|seg| seg.split(". "))
            .map(|seg| clean(seg.trim_start_matches(|c: char| !c.is_alphanumeric())))
            .map(|seg| seg.strip_prefix("in ").unwrap_or(seg))
            .find(|seg| seg.chars().filter(|c| c.is_alphabetic()).count() >= 2)
            .filter(|seg| !is_not_container(seg))
            .map(str::to_string)
    }

    #[test]
    fn container_read_by_bytes_as_by_patterns() {
        const PARTS: [&str; 24] = [
            ",",
            ";",
            ".",
            ". ",
            " ",
            "  ",
            "in ",
            "In ",
            "Policy",
            "Quarterly",
            "x",
            "May",
            "14",
            "1997",
            "p. 4",
            "accessed",
            "é",
            "\u{a0}",
            "“",
            "”",
            "-",
            "Ⅻ",
            "²",
            "n.d.",
        ];
        for t in crate::texts_of_parts(&PARTS, 0x5bd1_e995_1234_abcd, 60_000, 1, 12) {
            assert_eq!(container_of(&t), container_of_reference(&t), "{t:?}");
        }
    }

    #[test]
    fn clean_trims_as_by_characters() {
        for t in [
            "",
            " ",
            ",.;:",
            " Moe, ",
            "\u{a0}Moe.\u{2003}",
            ". é ,",
            "x\u{85}",
            "\u{b}\u{c}x;",
            "“Moe”",
            ": a : ",
        ] {
            let want = t.trim_matches(|c: char| c.is_whitespace() || ",.;:".contains(c));
            assert_eq!(clean(t), want, "{t:?}");
        }
    }

    /// The word scan as it was before stepping over runs of spaces, to compare with.
    fn for_each_match_word_where_reference(
        plain: &str,
        mut wanted: impl FnMut(&str) -> bool,
        mut f: impl FnMut(&str),
    ) {
        // Lower-casing the whole text and then splitting it into words gives the words lower-cased
        // one by one when no letter outside ASCII is present: ASCII letters lower-case one to one,
        // and a character without a letter has no case mapping. Otherwise (`İ` lower-cases to two
        // characters, a final `Σ` by its context) the whole text is lower-cased first, as always.
        //
        // One pass reads the words and checks the characters outside ASCII: the words `wanted`
        // accepts are held back (by their ranges) until the pass ends without finding an
        // alphanumeric character outside ASCII, and only then handed to `f`.
        // Bytes serve: an ASCII character is alphanumeric as a byte is, and no byte of another
        // character (none alphanumeric, once checked) is an ASCII one: they only separate words.
        let b = plain.as_bytes();
        let mut few = [(0usize, 0usize); HELD_WORDS];
        let mut held = 0;
        let mut more: Vec<(usize, usize)> = Vec::new();
        let mut i = 0;
        let mut ascii_words = true;
        while i < b.len() {
            let c = b[i];
            if !IN_WORD[usize::from(c)] {
                if c.is_ascii() {
                    i += 1;
                    continue;
                }
                // U+2000 to U+206F, general punctuation (dashes, curly quotes, `…`): none is
                // alphanumeric, and they are the most common characters outside ASCII in citations.
                if c == 0xE2
                    && (b.get(i + 1) == Some(&0x80)
                        || b.get(i + 1) == Some(&0x81) && b.get(i + 2).is_some_and(|&c| c < 0xB0))
                {
                    i += 3;
                    continue;
                }
                // `i` is on a character boundary: only whole characters are stepped over.
                match plain.get(i..).and_then(|t| t.chars().next()) {
                    Some(ch) if !ch.is_alphanumeric() => i += ch.len_utf8(),
                    _ => {
                        ascii_words = false;
                        break;
                    }
                }
                continue;
            }
            let mut start = i;
            while i < b.len() && IN_WORD[usize::from(b[i])] {
                i += 1;
            }
            let mut end = i;
            while start < end && b[start] == b'/' {
                start += 1;
            }
            while start < end && b[end - 1] == b'/' {
                end -= 1;
            }
            // Shorter than two characters, or a number of up to three digits: never kept (see
            // `keeps_word`), not worth a look.
            let len = end - start;
            if len < 2 || len <= 3 && b[start..end].iter().all(u8::is_ascii_digit) {
                continue;
            }
            if !wanted(&plain[start..end]) {
                continue;
            }
            if held < HELD_WORDS {
                few[held] = (start, end);
                held += 1;
            } else {
                more.push((start, end));
            }
        }
        if ascii_words {
            let mut word = String::new();
            for &(start, end) in few[..held].iter().chain(&more) {
                let w = &plain[start..end];
                let w = if w.bytes().any(|c| c.is_ascii_uppercase()) {
                    word.clear();
                    word.push_str(w);
                    word.make_ascii_lowercase();
                    word.as_str()
                } else {
                    w
                };
                if !is_common_word(w) {
                    f(w);
                }
            }
            return;
        }
        if !plain.chars().any(|c| !c.is_ascii() && c.is_alphabetic()) {
            let mut word = String::new();
            let mut take = |w: &str| {
                if !wanted(w.trim_matches('/')) {
                    return;
                }
                if let Some(w) = match_word(w, &mut word) {
                    f(w);
                }
            };
            // The words between separators, without the empty ones (a blanked-out URL is a run
            // of separators).
            let mut start = None;
            for (i, c) in plain.char_indices() {
                let in_word = c.is_alphanumeric() || c == '/';
                match (in_word, start) {
                    (true, None) => start = Some(i),
                    (false, Some(s)) => {
                        take(&plain[s..i]);
                        start = None;
                    }
                    _ => {}
                }
            }
            if let Some(s) = start {
                take(&plain[s..]);
            }
            return;
        }
        let lower = plain.to_lowercase();
        lower
            .split(|c: char| !(c.is_alphanumeric() || c == '/'))
            .map(|w| w.trim_matches('/'))
            .filter(|w| wanted(w) && keeps_word(w) && !is_common_word(w))
            .for_each(f);
    }

    /// Texts of citations built from pieces, by a xorshift generator: words in both cases,
    /// numbers, slashes, runs of spaces (blanked-out URLs), punctuation and characters outside
    /// ASCII, some alphanumeric.
    fn generated_texts() -> Vec<String> {
        const PIECES: [&str; 24] = [
            "Harbour",
            "cranes",
            "PORT",
            "Review",
            "the",
            "May",
            "2021",
            "44",
            "7",
            "/",
            "hb/2020/77",
            "/hulls/",
            " ",
            "        ",
            "                         ",
            ", ",
            ".",
            "“",
            "”",
            "—",
            "Ölund",
            "İSTANBUL",
            "x²",
            "\u{a0}",
        ];
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || crate::xorshift(&mut x);
        (0..3000)
            .map(|_| {
                let n = next() % 40;
                let ascii_only = next() % 4 != 0;
                let mut t = String::new();
                for _ in 0..n {
                    let k = (next() % PIECES.len() as u64) as usize;
                    let p = PIECES[k];
                    if ascii_only && !p.is_ascii() {
                        continue;
                    }
                    t.push_str(p);
                    if next() % 3 == 0 {
                        t.push(' ');
                    }
                }
                t
            })
            .collect()
    }

    #[test]
    fn word_scan_matches_the_reference() {
        let filters: [fn(&str) -> bool; 3] = [
            |_| true,
            |w| {
                !w.as_bytes()
                    .first()
                    .is_some_and(|b| b.eq_ignore_ascii_case(&b'h'))
            },
            |w| w.len() % 2 == 0,
        ];
        for text in generated_texts() {
            for wanted in filters {
                let mut got = Vec::new();
                for_each_match_word_where(&text, wanted, |w| got.push(w.to_string()));
                let mut want = Vec::new();
                for_each_match_word_where_reference(&text, wanted, |w| want.push(w.to_string()));
                assert_eq!(got, want, "{text:?}");
            }
        }
    }

    #[test]
    fn words_turned_down_are_only_those_left_out() {
        // `wanted` sees words in either case: one that tells only lower-case words' first
        // letters apart keeps the same words as filtering the match words afterwards.
        let wanted = |w: &str| {
            !w.as_bytes()
                .first()
                .is_some_and(|b| b.eq_ignore_ascii_case(&b'h'))
        };
        for text in [
            "Moe, “Harbour Cranes,” PORT Review, HB/2020/77, /hulls/ 44.",
            "İSTANBUL Port Board, “Ölund’s HÄRENDE,” 12 Jan 2020.",
            "Moe² “Harbour Cranes” Hulls",
        ] {
            let mut kept = Vec::new();
            for_each_match_word_where(text, wanted, |w| kept.push(w.to_string()));
            let mut all = Vec::new();
            for_each_match_word(text, |w| all.push(w.to_string()));
            all.retain(|w| wanted(w));
            assert_eq!(kept, all, "{text}");
        }
    }

    #[test]
    fn url_prefilter_lets_every_url_through() {
        for text in [
            "Port Review, https://a.org/x, 4.",
            "Port Review, WWW.Port.org/x",
            "Moe, DOI: 10.1000/182.",
            "Moe, htp:/a.org/x and http//b.org/y",
            "ftp://files.example.org/a",
            "Moe, “Cranes,” 4.",
            "Moe, a/b/c, 2/3",
        ] {
            assert_eq!(find_urls(text), crate::parse::urls::find(text), "{text}");
        }
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
