//! Years and dates in citations: when a work appeared, told apart from when a page was read
//! (`Accessed May 8, 2025`) and from numbers inside identifiers (`S/2020/840`).

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::fields::{mask, quoted_title};

pub(super) static YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?:1[5-9][0-9][0-9]|20[0-9][0-9])(?-u:\b)").expect("valid regex")
});

/// A date finer than a year: `May 6, 2024`, `June, 18, 2020`, `December 2009`, `2025, January 27`.
pub(super) static FULL_DATE: LazyLock<Regex> = LazyLock::new(|| {
    let month = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";
    Regex::new(&format!(
        // ASCII case folding (month names are ASCII), Unicode white space (a no-break space
        // between day and month): a small automaton, quick to build at start-up.
        r"(?i-u)\b{month}\.?,?(?u:\s)+(?:[0-9]{{1,2}},?(?u:\s)+)?(?:1[5-9][0-9][0-9]|20[0-9][0-9])\b|\b(?:1[5-9][0-9][0-9]|20[0-9][0-9]),(?u:\s)+{month}\b"
    ))
    .expect("valid regex")
});

/// Years and `n.d.` trailing an author list: `Yoon, Hee-soon. (2019).`, `Kim, Young, 2024,`.
pub(super) static TRAILING_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)[\s,.]*\(?\s*(?:1[5-9][0-9][0-9]|20[0-9][0-9]|n\.\s?d\.?)\s*\)?[\s,.:]*$")
        .expect("valid regex")
});

/// A year or `n.d.` opening a part of a bibliography-style citation: `(n.d.). Publisher`.
pub(super) static LEADING_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\(?\s*(?:1[5-9][0-9][0-9]|20[0-9][0-9]|n\.\s?d\.?)\s*\)?(?:[,.:]\s*|$)")
        .expect("valid regex")
});

/// A date that says when a page was read or last changed, not when the work appeared:
/// `Accessed May 8, 2025`, `last updated May 8, 2025`.
static ACCESS_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:accessed|retrieved|last updated|updated|viewed)(?:\s+on)?:?\s+[^;]{0,24}?(?-u:\b)(?:1[5-9][0-9][0-9]|20[0-9][0-9])(?-u:\b)")
        .expect("valid regex")
});

/// The year a work appeared, as a citation or entry gives it: the year of its first full date
/// or its first free-standing year, never an access date's nor one inside a quoted title
/// (`“Events of 2023”`). `None` for `n.d.` or when no year is given.
#[must_use]
pub fn publication_year(text: &str) -> Option<u16> {
    // Without the digits of a year there is none to find, URLs or not.
    if !may_hold_year(text) {
        return None;
    }
    publication_year_of_plain(&super::fields::mask_urls(text))
}

/// [`publication_year`] of a text whose URLs are blanked out.
pub(super) fn publication_year_of_plain(plain: &str) -> Option<u16> {
    if !may_hold_year(plain) {
        return None;
    }
    let access = may_hold_access_date(plain);
    let quoted = quoted_title(plain);
    // Most texts hide only their title: read on both sides of it, without blanking it out.
    if let Some(q) = quoted.as_ref().filter(|_| !access) {
        if let Some((before, after)) = sides(plain, q.whole.clone()) {
            let at = q.whole.end;
            let in_date = full_dates(before)
                .next()
                .map(|(_, y)| y)
                .or_else(|| full_dates(after).next().map(|(_, y)| at + y))
                .map(|y| y..y + 4);
            return in_date
                .into_iter()
                .chain(years(before, 0))
                .chain(years(after, at))
                .find(|r| !is_in_identifier(plain, r.clone()))
                .and_then(|r| year_number(plain.get(r)?));
        }
    }
    let mut hidden: Vec<Range<usize>> = Vec::new();
    if access {
        hidden.extend(ACCESS_DATE.find_iter(plain).map(|m| m.range()));
    }
    if let Some(q) = quoted {
        hidden.push(q.whole);
    }
    let masked;
    let plain = if hidden.is_empty() {
        plain
    } else {
        masked = mask(plain, hidden.into_iter());
        &masked
    };
    // The years are read by hand (see `years` and `full_dates`), not by searching with `YEAR`
    // and `FULL_DATE`.
    let in_date = full_dates(plain).next().map(|(_, y)| y..y + 4);
    let year = in_date
        .into_iter()
        .chain(years(plain, 0))
        .find(|r| !is_in_identifier(plain, r.clone()))
        .and_then(|r| year_number(plain.get(r)?));
    year
}

/// `s` read as a `u16`, as `s.parse::<u16>().ok()` reads it: by hand when `s` is four ASCII
/// digits (what a year is), else by `parse`.
fn year_number(s: &str) -> Option<u16> {
    match *s.as_bytes() {
        [a, b, c, d] if [a, b, c, d].iter().all(u8::is_ascii_digit) => Some(
            [a, b, c, d]
                .iter()
                .fold(0, |n, c| n * 10 + u16::from(c - b'0')),
        ),
        _ => s.parse().ok(),
    }
}

/// Whether `s` holds the digits of a year, `1500` to `2099`, word boundaries aside: every
/// match of [`YEAR`] and [`FULL_DATE`] holds them, and blanking out parts of a text (which
/// only puts spaces in) never makes new ones. Most notes without one skip the regexes.
pub(super) fn may_hold_year(s: &str) -> bool {
    let b = s.as_bytes();
    memchr::memchr2_iter(b'1', b'2', b).any(|i| match b.get(i..i + 4) {
        Some([c, d, e, f]) => {
            (if *c == b'1' {
                (b'5'..=b'9').contains(d)
            } else {
                *d == b'0'
            }) && e.is_ascii_digit()
                && f.is_ascii_digit()
        }
        _ => false,
    })
}

/// Whether `s` may hold an [`ACCESS_DATE`]: each of its words ends in `ed` after an `s`,
/// `v`, `t` or `w` in either case, or after `ſ` (which the regex's case folding reads as an
/// `s`, and whose last UTF-8 byte is `BF`). Most citations have none and skip the regex.
fn may_hold_access_date(s: &str) -> bool {
    let b = s.as_bytes();
    memchr::memchr2_iter(b'd', b'D', b).any(|i| {
        i >= 2
            && b[i - 1].eq_ignore_ascii_case(&b'e')
            && matches!(
                b[i - 2].to_ascii_lowercase(),
                b's' | b'v' | b't' | b'w' | 0xBF
            )
    })
}

/// A citation's year as [`citation_year`] reads it, where its first full date (access dates
/// included) stands when it gives one, and whether the year is one only the last reading, of
/// the whole text, found: a year inside the quoted title, read when no other is.
pub(super) type CitationYear = (Option<u16>, Option<Range<usize>>, bool);

/// The year of a citation whose URLs are masked in `plain` and whose quoted title is masked
/// too in `outside_title` (see [`CitationYear`]). The year of its first full date that is not
/// an access date comes first: an earlier year may belong to a law or a title.
pub(super) fn citation_year(plain: &str, outside_title: &str) -> CitationYear {
    // `outside_title` is `plain` with parts blanked out: no year in one, none in the other.
    if !may_hold_year(plain) {
        return (None, None, false);
    }
    let mut dates = full_dates(outside_title).peekable();
    let first_date = dates.peek().map(|(d, _)| d.clone());
    let date = dates.find(|(d, _)| !is_access_date(&outside_title[..d.start]));
    let (year, in_title) = first_year(
        plain,
        date.map(|(_, y)| y..y + 4)
            .into_iter()
            .chain(years(outside_title, 0)),
    );
    (year, first_date, in_title)
}

/// The first year of `found` (ranges of `plain`) outside an identifier, or else the first of
/// the whole `plain`'s, and whether it is one of the latter.
fn first_year(plain: &str, mut found: impl Iterator<Item = Range<usize>>) -> (Option<u16>, bool) {
    let year = found
        .find(|r| !is_in_identifier(plain, r.clone()))
        .map(|r| (r, false))
        .or_else(|| {
            years(plain, 0)
                .find(|r| !is_in_identifier(plain, r.clone()))
                .map(|r| (r, true))
        });
    match year {
        Some((r, in_title)) => (plain.get(r).and_then(year_number), in_title),
        None => (None, false),
    }
}

/// The year [`publication_year_of_plain`] reads in `plain`, from the year and title flag of
/// the [`CitationYear`] read of it (`read`, with the quoted title [`quoted_title`] finds),
/// when that is sure to give it: `None` when `plain` may hold an access date, which the two
/// readings set aside differently. Without one, both read the first full date, then the
/// free-standing years before and after the title, alike (see the test); a year only the
/// reading of the whole text found lies in the title, which the publication year never reads.
pub(super) fn publication_year_read(
    plain: &str,
    (year, in_title): (Option<u16>, bool),
) -> Option<Option<u16>> {
    if may_hold_access_date(plain) {
        return None;
    }
    Some(if in_title { None } else { year })
}

/// The text before and after `hole` (a quoted title, starting and ending with a quotation
/// mark) of `s`, when reading them apart finds the dates and years that reading `s` with the
/// hole blanked out finds, less those in the hole (none) and shifted: `None` when a date might
/// run across the blanked-out hole. A date is a run of ASCII letters, digits, white space,
/// `,` and `.`; one running across the hole would take the hole's white space between a
/// month (and `.`, `,`) or a day (and `,`) before it and a day or year after it, or between a
/// year and `,` before it and a month after it. So a date may run across only when what
/// follows the hole (white space aside) opens with a digit and what precedes it ends in a
/// letter or digit (a `,` and a `.` aside), or opens with a letter and what precedes it ends
/// in a digit and `,`. The ends of the two sides stand where the blanked-out hole would have
/// white space: no word byte, as there. And a year next to the hole touches a quotation mark,
/// neither alphanumeric nor `/` as the white space is not, so [`is_in_identifier`] reads it
/// alike in `s` and in the blanked text.
fn sides(s: &str, hole: Range<usize>) -> Option<(&str, &str)> {
    let before = s.get(..hole.start)?;
    let after = s.get(hole.end..)?;
    // Trimmed as `trim_start` and `trim_end` trim, byte by byte over ASCII.
    let opens = after.as_bytes().get(white_space_end(after, 0)).copied();
    let ends = &before.as_bytes()[..white_space_start(before, before.len())];
    let crosses = match opens {
        Some(c) if c.is_ascii_digit() => {
            let e = ends.strip_suffix(b",").unwrap_or(ends);
            let e = e.strip_suffix(b".").unwrap_or(e);
            e.last().is_some_and(u8::is_ascii_alphanumeric)
        }
        Some(c) if c.is_ascii_alphabetic() => ends
            .strip_suffix(b",")
            .and_then(|e| e.last())
            .is_some_and(u8::is_ascii_digit),
        _ => false,
    };
    (!crosses).then_some((before, after))
}

/// Whether a date that opens `after[part.len()..]`, with `before` and the blanked-out hole
/// ahead of `after`, is an access date: as [`is_access_date`] reads the text before it, which
/// reaches back into `before` when `part` is all white space.
fn is_access_date_beside(before: &str, part: &str) -> bool {
    if white_space_start(part, part.len()) == 0 {
        is_access_date(before)
    } else {
        is_access_date(part)
    }
}

/// [`citation_year`] of `plain` with its quoted title at `title`: read on both sides of the
/// title when [`sides`] allows, else with the title blanked out.
pub(super) fn citation_year_around(plain: &str, title: Range<usize>) -> CitationYear {
    if !may_hold_year(plain) {
        return (None, None, false);
    }
    let Some((before, after)) = sides(plain, title.clone()) else {
        return citation_year(plain, &mask(plain, std::iter::once(title)));
    };
    let at = title.end;
    let mut dates = full_dates(before)
        .map(|(d, y)| (is_access_date(&before[..d.start]), d, y))
        .chain(full_dates(after).map(|(d, y)| {
            let access = is_access_date_beside(before, &after[..d.start]);
            (access, at + d.start..at + d.end, at + y)
        }))
        .peekable();
    let first_date = dates.peek().map(|(_, d, _)| d.clone());
    let date = dates.find(|(access, _, _)| !access).map(|(_, _, y)| y);
    let (year, in_title) = first_year(
        plain,
        date.map(|y| y..y + 4)
            .into_iter()
            .chain(years(before, 0))
            .chain(years(after, at)),
    );
    (year, first_date, in_title)
}

/// The years in `t`, as ranges shifted by `shift`: the matches of [`YEAR`], read by hand (four
/// digits `1500` to `2099` between ASCII word boundaries; two such never overlap).
fn years(t: &str, shift: usize) -> impl Iterator<Item = Range<usize>> + '_ {
    let b = t.as_bytes();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let digits = |e: u8, f: u8| e.is_ascii_digit() && f.is_ascii_digit();
    memchr::memchr2_iter(b'1', b'2', b)
        .filter(move |&i| {
            let year = match b.get(i..i + 4) {
                Some([b'1', d, e, f]) => (b'5'..=b'9').contains(d) && digits(*e, *f),
                Some([b'2', b'0', e, f]) => digits(*e, *f),
                _ => false,
            };
            year && (i == 0 || !word(b[i - 1])) && b.get(i + 4).is_none_or(|&c| !word(c))
        })
        .map(move |i| i + shift..i + 4 + shift)
}

/// The month names and abbreviations of [`FULL_DATE`], in lower case: what [`is_month`] reads.
#[cfg(test)]
const MONTH_FORMS: [&str; 24] = [
    "jan",
    "january",
    "feb",
    "february",
    "mar",
    "march",
    "apr",
    "april",
    "may",
    "jun",
    "june",
    "jul",
    "july",
    "aug",
    "august",
    "sep",
    "sept",
    "september",
    "oct",
    "october",
    "nov",
    "november",
    "dec",
    "december",
];

/// Whether `w` is a month as [`FULL_DATE`] reads one (ASCII letters, any case).
fn is_month(w: &[u8]) -> bool {
    if !(3..=9).contains(&w.len()) {
        return false;
    }
    // Lower-cased once into a buffer, then one `match` (lengths compared first) instead of a
    // comparison with each of the forms.
    let mut buf = [0u8; 9];
    for (d, c) in buf.iter_mut().zip(w) {
        *d = c.to_ascii_lowercase();
    }
    matches!(
        &buf[..w.len()],
        b"jan"
            | b"january"
            | b"feb"
            | b"february"
            | b"mar"
            | b"march"
            | b"apr"
            | b"april"
            | b"may"
            | b"jun"
            | b"june"
            | b"jul"
            | b"july"
            | b"aug"
            | b"august"
            | b"sep"
            | b"sept"
            | b"september"
            | b"oct"
            | b"october"
            | b"nov"
            | b"november"
            | b"dec"
            | b"december"
    )
}

/// An ASCII word byte, as `(?-u:\b)` reads word boundaries.
fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Whether the digits of a year (`1500` to `2099`) start at `i`.
fn year_at(b: &[u8], i: usize) -> bool {
    match b.get(i..i + 4) {
        Some([b'1', d, e, f]) => {
            (b'5'..=b'9').contains(d) && e.is_ascii_digit() && f.is_ascii_digit()
        }
        Some([b'2', b'0', e, f]) => e.is_ascii_digit() && f.is_ascii_digit(),
        _ => false,
    }
}

/// Whether a year starting at `i` ends at a word boundary.
fn year_ends_word(b: &[u8], i: usize) -> bool {
    year_at(b, i) && b.get(i + 4).is_none_or(|&c| !is_word(c))
}

/// Where the run of (Unicode) white space starting at `p` ends.
pub(super) fn white_space_end(s: &str, mut p: usize) -> usize {
    let b = s.as_bytes();
    while let Some(&c) = b.get(p) {
        if c.is_ascii() {
            if !c.is_ascii_whitespace() && c != 0x0b {
                break;
            }
            p += 1;
        } else {
            match s.get(p..).and_then(|t| t.chars().next()) {
                Some(ch) if ch.is_whitespace() => p += ch.len_utf8(),
                _ => break,
            }
        }
    }
    p
}

/// Where the run of (Unicode) white space ending at `p` starts.
fn white_space_start(s: &str, mut p: usize) -> usize {
    let b = s.as_bytes();
    while p > 0 {
        let c = b[p - 1];
        if c.is_ascii() {
            if !c.is_ascii_whitespace() && c != 0x0b {
                break;
            }
            p -= 1;
        } else {
            match s.get(..p).and_then(|t| t.chars().next_back()) {
                Some(ch) if ch.is_whitespace() => p -= ch.len_utf8(),
                _ => break,
            }
        }
    }
    p
}

/// The end of a [`FULL_DATE`] that starts with a month at `m` (`May 6, 2024`, `Dec. 2009`):
/// the reading [`month_date_start`] was checked against.
/// the month at a word boundary, an optional `.` and `,`, white space, optionally a day of one
/// or two digits with an optional `,` and white space, then a year at a word boundary. Each
/// part has one reading the regex would take (a longer day is tried first, as its greedy
/// repetition does), so no search is needed.
#[cfg(test)]
fn date_from_month(s: &str, m: usize) -> Option<usize> {
    let b = s.as_bytes();
    if m > 0 && is_word(b[m - 1]) {
        return None;
    }
    let mut p = m;
    while b.get(p).is_some_and(u8::is_ascii_alphabetic) {
        p += 1;
    }
    if !is_month(&b[m..p]) {
        return None;
    }
    if b.get(p) == Some(&b'.') {
        p += 1;
    }
    if b.get(p) == Some(&b',') {
        p += 1;
    }
    let q = white_space_end(s, p);
    if q == p {
        return None;
    }
    for day in [2, 1] {
        if b.get(q..q + day)
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
        {
            let mut r = q + day;
            if b.get(r) == Some(&b',') {
                r += 1;
            }
            let y = white_space_end(s, r);
            if y > r && year_ends_word(b, y) {
                return Some(y + 4);
            }
        }
    }
    year_ends_word(b, q).then_some(q + 4)
}

/// The end of a [`FULL_DATE`] that starts with the year at `y` (`2025, January 27`): the year
/// at a word boundary, `,`, white space, then a month ending at a word boundary.
fn date_from_year(s: &str, y: usize) -> Option<usize> {
    let b = s.as_bytes();
    if (y > 0 && is_word(b[y - 1])) || !year_at(b, y) || b.get(y + 4) != Some(&b',') {
        return None;
    }
    let p = white_space_end(s, y + 5);
    if p == y + 5 {
        return None;
    }
    let mut j = p;
    while b.get(j).is_some_and(u8::is_ascii_alphabetic) {
        j += 1;
    }
    (is_month(&b[p..j]) && b.get(j).is_none_or(|&c| !is_word(c))).then_some(j)
}

/// Where the month of a date ending with the year at `y` would start, read backwards over the
/// parts [`date_from_month`] reads: white space, optionally a day of one or two digits (and a
/// `,`) after white space, an optional `,` and `.`, then letters. Only a candidate: the date
/// is confirmed by reading it forwards.
#[cfg(test)]
fn month_before(s: &str, y: usize) -> Option<usize> {
    let b = s.as_bytes();
    let mut p = white_space_start(s, y);
    if p == y {
        return None;
    }
    let q = if p > 0 && b[p - 1] == b',' { p - 1 } else { p };
    let digits = b[..q]
        .iter()
        .rev()
        .take(3)
        .take_while(|c| c.is_ascii_digit())
        .count();
    if digits > 2 {
        return None;
    }
    if digits > 0 {
        let d = q - digits;
        p = white_space_start(s, d);
        if p == d {
            return None;
        }
    }
    if p > 0 && b[p - 1] == b',' {
        p -= 1;
    }
    if p > 0 && b[p - 1] == b'.' {
        p -= 1;
    }
    let letters = b[..p]
        .iter()
        .rev()
        .take_while(|c| c.is_ascii_alphabetic())
        .count();
    (letters > 0).then_some(p - letters)
}

/// Where a [`FULL_DATE`] that starts with a month and ends with the year at `y` starts, read
/// backwards over the parts a forward reading takes: white space, optionally a day of one or
/// two digits (and a `,`) after white space, an optional `,` and `.`, then a month at a word
/// boundary; the year ends at one. Each run read backwards is whole (white space, digits,
/// letters), as the forward reading takes it, so the date is not read again forwards (the
/// test compares with that reading).
fn month_date_start(s: &str, y: usize) -> Option<usize> {
    let b = s.as_bytes();
    if !year_ends_word(b, y) {
        return None;
    }
    let mut p = white_space_start(s, y);
    if p == y {
        return None;
    }
    let q = if p > 0 && b[p - 1] == b',' { p - 1 } else { p };
    let digits = b[..q]
        .iter()
        .rev()
        .take(3)
        .take_while(|c| c.is_ascii_digit())
        .count();
    if digits > 2 {
        return None;
    }
    if digits > 0 {
        let d = q - digits;
        p = white_space_start(s, d);
        if p == d {
            return None;
        }
    }
    if p > 0 && b[p - 1] == b',' {
        p -= 1;
    }
    if p > 0 && b[p - 1] == b'.' {
        p -= 1;
    }
    let letters = b[..p]
        .iter()
        .rev()
        .take(10)
        .take_while(|c| c.is_ascii_alphabetic())
        .count();
    let m = p - letters;
    let bounded = m == 0 || !is_word(b[m - 1]);
    (bounded && is_month(&b[m..p])).then_some(m)
}

/// The matches of [`FULL_DATE`] in `s`, in order as `find_iter` gives them, read by hand: each
/// date's range and where its year starts. Every date holds one year; a date found from its
/// year starts after the year before it, so reading the years in order finds the dates in
/// order. Linear: each year reads its neighbourhood once, and a month or white space run is
/// crossed by at most the two years around it.
pub(super) fn full_dates(s: &str) -> impl Iterator<Item = (Range<usize>, usize)> + '_ {
    let b = s.as_bytes();
    let mut from = 0;
    memchr::memchr2_iter(b'1', b'2', b).filter_map(move |y| {
        if y < from || !year_at(b, y) {
            return None;
        }
        let month = month_date_start(s, y).filter(|&m| m >= from);
        let range = match month {
            Some(m) => m..y + 4,
            None => y..date_from_year(s, y)?,
        };
        from = range.end;
        Some((range, y))
    })
}

/// Whether a date right after `before` is when a web page was read, not when it appeared.
/// (The words are ASCII without a `k`: only an ASCII letter lower-cases to one of their
/// letters, so comparing bytes without case is what lower-casing the end would give.)
pub(super) fn is_access_date(before: &str) -> bool {
    // `white_space_start` trims as `trim_end`, byte by byte while the end is ASCII.
    let tail = &before.as_bytes()[..white_space_start(before, before.len())];
    // Every word ends in a `d`.
    if tail.last().is_none_or(|&c| c | 0x20 != b'd') {
        return false;
    }
    ["accessed", "updated", "retrieved", "viewed"]
        .iter()
        .any(|w| {
            tail.len() >= w.len() && tail[tail.len() - w.len()..].eq_ignore_ascii_case(w.as_bytes())
        })
}

/// Whether the number at `range` is part of an identifier such as `S/2020/840` or a range.
pub(super) fn is_in_identifier(s: &str, range: Range<usize>) -> bool {
    let before = s.get(..range.start).and_then(|t| t.chars().next_back());
    let after = s.get(range.end..).and_then(|t| t.chars().next());
    before.is_some_and(|c| c == '/' || c.is_alphanumeric())
        || after.is_some_and(|c| c == '/' || c.is_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publication_years_skip_titles_access_dates_and_identifiers() {
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
        assert_eq!(
            publication_year("Port Review. Accessed May 8, 2025. https://a.org/2019/x"),
            None
        );
    }

    #[test]
    fn years_read_as_their_regex() {
        const PARTS: [&str; 14] = [
            "1", "2", "15", "20", "1999", "2024", "2100", "1499", "0", "_", "a", " ", "é", "/",
        ];
        for t in crate::texts_of_parts(&PARTS, 0x2545_f491_4f6c_dd1d, 30_000, 1, 9) {
            let want: Vec<_> = YEAR
                .find_iter(&t)
                .map(|m| m.start() + 3..m.end() + 3)
                .collect();
            assert_eq!(years(&t, 3).collect::<Vec<_>>(), want, "{t:?}");
        }
    }

    /// Texts built from the pieces dates are made of, in random orders.
    fn date_like_texts() -> Vec<String> {
        const PARTS: [&str; 36] = [
            "May",
            "may",
            "MAY",
            "Sept",
            "sept.",
            "January",
            "Jun",
            "june",
            "Mayor",
            "dec",
            "accessed",
            "Retrieved",
            "acceſſed",
            "viewed on",
            " ",
            "  ",
            "\u{a0}",
            "\n",
            ",",
            ".",
            "1",
            "14",
            "6",
            "123",
            "2024",
            "1999",
            "2100",
            "_",
            "a",
            "é",
            "ſ",
            "(",
            "/",
            "0",
            ";",
            ":",
        ];
        let mut texts = Vec::new();
        for t in crate::texts_of_parts(&PARTS, 0x9e37_79b9_7f4a_7c15, 60_000, 1, 11) {
            texts.push(t);
        }
        texts
    }

    #[test]
    fn month_dates_read_backwards_as_forwards() {
        let mut read = 0;
        for t in date_like_texts().iter().map(String::as_str).chain([
            "May 14, 1997",
            "xMay 14, 1997",
            "Septembers 2020",
            "May, 2020",
            "May., 5, 2020",
            "May 123 2020",
            "May 5,2020",
            "Dec.,\u{a0}5,  2009",
            "May 2020x",
        ]) {
            for y in 0..t.len() {
                let want = month_before(t, y).filter(|&m| date_from_month(t, m) == Some(y + 4));
                read += usize::from(want.is_some());
                assert_eq!(month_date_start(t, y), want, "{t:?} {y}");
            }
        }
        assert!(read > 50, "{read}");
    }

    #[test]
    fn full_dates_read_as_their_regex() {
        for t in date_like_texts().iter().map(String::as_str).chain([
            "May 14, 1997",
            "2025, January 27",
            "2020, May 2021",
            "May 2020 1997",
            "May 1999, 2020",
            "Dec.,\u{a0}5,  2009",
            "June, 18, 2020",
        ]) {
            let want: Vec<_> = FULL_DATE
                .find_iter(t)
                .map(|m| {
                    let y = years(m.as_str(), m.start()).next().expect("a year");
                    (m.range(), y.start)
                })
                .collect();
            assert_eq!(full_dates(t).collect::<Vec<_>>(), want, "{t:?}");
        }
    }

    #[test]
    fn access_date_prefilter_lets_every_access_date_through() {
        for t in date_like_texts() {
            if ACCESS_DATE.is_match(&t) {
                assert!(may_hold_access_date(&t), "{t:?}");
            }
        }
    }

    #[test]
    fn is_month_reads_the_month_forms_in_any_case() {
        let mut words: Vec<String> = MONTH_FORMS.iter().map(|m| m.to_string()).collect();
        words.extend(MONTH_FORMS.iter().map(|m| m.to_ascii_uppercase()));
        words.extend(
            [
                "Sept",
                "MaY",
                "ma",
                "mayo",
                "septembers",
                "",
                "décembre",
                "j\u{e1}n",
            ]
            .map(String::from),
        );
        for w in words {
            let want = MONTH_FORMS
                .iter()
                .any(|m| w.as_bytes().eq_ignore_ascii_case(m.as_bytes()));
            assert_eq!(is_month(w.as_bytes()), want, "{w}");
        }
    }

    #[test]
    fn year_number_reads_as_parse() {
        for t in [
            "", "2024", "0000", "9999", "1500", "+202", "20a4", "12345", "٢٠٢٤", "65535",
        ] {
            assert_eq!(year_number(t), t.parse::<u16>().ok(), "{t:?}");
        }
    }

    #[test]
    fn access_dates_read_as_before() {
        let old = |before: &str| {
            let tail = before.trim_end().as_bytes();
            ["accessed", "updated", "retrieved", "viewed"]
                .iter()
                .any(|w| {
                    tail.len() >= w.len()
                        && tail[tail.len() - w.len()..].eq_ignore_ascii_case(w.as_bytes())
                })
        };
        for t in date_like_texts().iter().map(String::as_str).chain([
            "Accessed ",
            "accessed\u{a0}\u{2003}",
            "last UPDATED\n",
            "viewed \u{85}",
            "",
        ]) {
            assert_eq!(is_access_date(t), old(t), "{t:?}");
        }
    }

    /// Texts with a quoted title amid date-like pieces, and where the title stands.
    fn titled_texts() -> Vec<(String, Range<usize>)> {
        let mut state: u64 = 0x0123_4567_89ab_cdef;
        let mut texts: Vec<(String, Range<usize>)> = [
            "Accessed “T” May 14, 2020",
            "Board 1999, accessed “T” May 14, 2020",
            "Board 1999, accessed “T”\u{a0}May 14, 2020",
            "Accessed “T”, May 14, 2020",
            "May “T” 14, 2020",
            "May, “T” 2020",
            "Dec. “T” 2020",
            "May 14, “T” 2020",
            "May 14 “T”, 2020",
            "2020, “T” May",
            "2020 “T”, May",
            "Board, “T,” Policy, May 14, 2020, 1999",
            "Board, “T 2001,” 1999 Policy",
            "Board 2001, “T” Policy",
        ]
        .iter()
        .map(|t| {
            let q = quoted_title(t).expect("a quoted title");
            (t.to_string(), q.whole)
        })
        .collect();
        texts.extend(date_like_texts().into_iter().map(|t| {
            crate::xorshift(&mut state);
            let cut = t
                .char_indices()
                .map(|(i, _)| i)
                .nth((state % 7) as usize)
                .unwrap_or(t.len());
            let (a, b) = t.split_at(cut);
            let b = &b[b.char_indices().nth(2).map_or(b.len(), |(i, _)| i)..];
            let title = ["“May 4, 2020”", "“Events”", "\"1999\"", "“", "“x 2001"]
                [(state >> 8) as usize % 5];
            let text = format!("{a}{title}{b}");
            let q = quoted_title(&text).expect("a quoted title");
            (text, q.whole)
        }));
        texts
    }

    #[test]
    fn years_read_beside_the_title_as_with_it_blanked_out() {
        for (text, title) in titled_texts() {
            let outside = mask(&text, std::iter::once(title.clone()));
            assert_eq!(
                citation_year_around(&text, title),
                citation_year(&text, &outside),
                "{text:?}"
            );
            // The reading with every hidden range blanked out.
            let mut hidden: Vec<Range<usize>> =
                ACCESS_DATE.find_iter(&text).map(|m| m.range()).collect();
            hidden.extend(quoted_title(&text).map(|q| q.whole));
            let masked = mask(&text, hidden.into_iter());
            let want = may_hold_year(&text)
                .then(|| {
                    let in_date = full_dates(&masked).next().map(|(_, y)| y..y + 4);
                    in_date
                        .into_iter()
                        .chain(years(&masked, 0))
                        .find(|r| !is_in_identifier(&masked, r.clone()))
                        .and_then(|r| year_number(masked.get(r)?))
                })
                .flatten();
            assert_eq!(publication_year_of_plain(&text), want, "{text:?}");
        }
    }

    #[test]
    fn publication_years_carried_from_the_citation_year_are_those_read_again() {
        let mut carried = 0;
        let titled = titled_texts().into_iter().map(|(t, _)| t);
        let more = [
            "Board, “T 2001,” Policy",
            "Board, “Events of 2023” (2024)",
            "“S/2020/840” 1999",
            "Kim, “T,” NK News",
        ];
        let texts = titled
            .chain(date_like_texts())
            .chain(more.iter().map(|t| (*t).to_string()));
        for text in texts {
            let read = match quoted_title(&text) {
                Some(q) => citation_year_around(&text, q.whole),
                None => citation_year(&text, &text),
            };
            if let Some(year) = publication_year_read(&text, (read.0, read.2)) {
                carried += 1;
                assert_eq!(year, publication_year_of_plain(&text), "{text:?}");
            }
        }
        assert!(carried > 100, "{carried}");
    }

    #[test]
    fn citation_years_prefer_the_full_date() {
        let text = "Act 12 (2001), HB/2020/77, August 28, 2020";
        assert_eq!(citation_year(text, text), (Some(2020), Some(27..42), false));
        let text = "Board, 2014, accessed May 2, 2024";
        assert_eq!(citation_year(text, text), (Some(2014), Some(22..33), false));
        assert_eq!(citation_year("Lund, 8.", "Lund, 8."), (None, None, false));
    }
}
