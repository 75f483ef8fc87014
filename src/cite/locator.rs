//! Page numbers in citations: the pinpoint locator at the end of a citation (`p. 4`,
//! `pp. 3–5`, `8, 10, 13`, `(pg. 7)`) and the extent of a journal article (`(2010): 361–82`).

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::model::{Locator, PageRange};

/// One item of a locator, anchored at the end of the text: `pp. 34-38`, `8`, `361–82`. What
/// [`item_at_end`] reads; the regex stays as its specification, checked against it in tests.
#[cfg(test)]
static ITEM_AT_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:(?-u:\b)(?:pp|pgs?|pages?|p)\.?\s*)?(?-u:\b)([0-9]{1,5})(?:\s*[-–—]\s*([0-9]{1,5}))?$",
    )
    .expect("valid regex")
});

/// What may separate two items of a locator, anchored at the end: `, `, ` and `, `, and `.
/// What [`separator_at_end`] reads; the regex stays as its specification for the tests.
#[cfg(test)]
static SEPARATOR_AT_END: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(?:,\s*and|,|(?-u:\b)and|&)\s*$").expect("valid regex"));

/// One item of a locator at the end of a text, as byte ranges: the whole item, its first
/// number and the number ending its range.
#[derive(Debug, PartialEq, Eq)]
struct Item {
    start: usize,
    first: Range<usize>,
    last: Option<Range<usize>>,
}

/// Whether an ASCII word boundary (`(?-u:\b)`) comes before a word byte at `at`.
fn boundary_before(b: &[u8], at: usize) -> bool {
    at == 0 || !(b[at - 1].is_ascii_alphanumeric() || b[at - 1] == b'_')
}

/// The length of the run of ASCII digits that ends `b`.
fn trailing_digits(b: &[u8]) -> usize {
    b.iter().rev().take_while(|c| c.is_ascii_digit()).count()
}

/// The locator item that ends `s`, read right to left (as `ITEM_AT_END` matches it, leftmost
/// start first): an optional mark (`p`, `pp`, `pg`, `pgs`, `page`, `pages`, any case, then an
/// optional `.` and white space), a number of one to five digits at a word boundary, and
/// optionally a dash and a second number of one to five digits ending `s`. Takes time linear in
/// the white space it crosses, without a regex or an allocation.
fn item_at_end(s: &str) -> Option<Item> {
    let b = s.as_bytes();
    let end = b.len();
    let digits = trailing_digits(b);
    if digits == 0 || digits > 5 {
        return None;
    }
    let d2 = end - digits;
    // The number before a dash is preceded by the dash or white space; a single number by a
    // word boundary. A word byte before the digits allows neither.
    if !boundary_before(b, d2) {
        return None;
    }
    let range_first = || -> Option<Range<usize>> {
        let t = trim_end_space(&s[..d2], false);
        let t = t
            .strip_suffix('-')
            .or_else(|| t.strip_suffix('–'))
            .or_else(|| t.strip_suffix('—'))?;
        let u = trim_end_space(t, false);
        let n = trailing_digits(u.as_bytes());
        let d1 = u.len() - n;
        (n > 0 && n <= 5 && boundary_before(b, d1)).then_some(d1..u.len())
    };
    let (first, last) = match range_first() {
        Some(r) => (r, Some(d2..end)),
        None => (d2..end, None),
    };
    let start = mark_before(s, first.start).unwrap_or(first.start);
    Some(Item { start, first, last })
}

/// Where a page mark ends `s[..at]` (before an optional `.` and white space), at a word
/// boundary: the longest mark, which starts leftmost.
fn mark_before(s: &str, at: usize) -> Option<usize> {
    let t = trim_end_space(&s[..at], false);
    let t = t.strip_suffix('.').unwrap_or(t);
    // Every mark ends in `s`, `e`, `p` or `g` in either case, or in `ſ` (last byte `BF`),
    // which reads as an `s`: most texts before a number end otherwise (`May 14,`).
    if !t
        .as_bytes()
        .last()
        .is_some_and(|c| matches!(c.to_ascii_lowercase(), b's' | b'e' | b'p' | b'g' | 0xBF))
    {
        return None;
    }
    // Longest first. Case folds as the regex's: ASCII case, and `ſ` for `s`.
    ["pages", "page", "pgs", "pp", "pg", "p"]
        .iter()
        .find_map(|mark| {
            let mut chars = t.char_indices().rev();
            let mut from = t.len();
            for m in mark.chars().rev() {
                let (i, c) = chars.next()?;
                if !(c.eq_ignore_ascii_case(&m) || (m == 's' && c == 'ſ')) {
                    return None;
                }
                from = i;
            }
            boundary_before(t.as_bytes(), from).then_some(from)
        })
}

/// Where a separator of locator items (`,`, `, and`, `and`, `&`, then white space) ending `s`
/// starts, as `SEPARATOR_AT_END` finds it: the leftmost start.
fn separator_at_end(s: &str) -> Option<usize> {
    let t = trim_end_space(s, false);
    let b = t.as_bytes();
    if b.len() >= 3 && b[b.len() - 3..].eq_ignore_ascii_case(b"and") {
        let u = trim_end_space(&t[..t.len() - 3], false);
        if u.ends_with(',') {
            return Some(u.len() - 1);
        }
        return boundary_before(b, b.len() - 3).then_some(b.len() - 3);
    }
    (t.ends_with(',') || t.ends_with('&')).then(|| t.len() - 1)
}

/// A page range following a journal's parenthesised year: `16, no. 3 (2010): 361–82`.
static EXTENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\((?:[A-Za-z]+\.?\s+)?(?:1[5-9][0-9][0-9]|20[0-9][0-9])\)\s*:\s*([0-9]{1,5})\s*[-–—]\s*([0-9]{1,5})")
        .expect("valid regex")
});

/// The first three letters of the months: what [`names_month`] reads.
#[cfg(test)]
const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// Whether `w` starts with the first three letters of a month in any ASCII case: lower-cased
/// once, then one `match` instead of a comparison with each month.
fn names_month(w: &[u8]) -> bool {
    let Some(&[a, b, c]) = w.get(..3) else {
        return false;
    };
    let w = [a, b, c].map(|c| c.to_ascii_lowercase());
    matches!(
        &w,
        b"jan"
            | b"feb"
            | b"mar"
            | b"apr"
            | b"may"
            | b"jun"
            | b"jul"
            | b"aug"
            | b"sep"
            | b"oct"
            | b"nov"
            | b"dec"
    )
}

/// A page range from its two numbers as written; an abbreviated end takes the start's leading
/// digits (`361–82` is 361 to 382).
fn page_range(first: &str, last: Option<&str>, text: &str) -> Option<PageRange> {
    let a = number(first)?;
    let b = match last {
        None => a,
        Some(l) => {
            let b = number(l)?;
            if b >= a || l.len() >= first.len() {
                b
            } else {
                let keep = first.get(..first.len() - l.len())?;
                format!("{keep}{l}").parse().ok()?
            }
        }
    };
    Some(PageRange {
        first: a,
        last: b.max(a),
        text: text.to_string(),
    })
}

/// The locator at the end of `text`, with the byte offset where it starts.
///
/// Items marked `p.`/`pp.`/`pg.` are always taken; bare numbers only when `bare_ok` (after an
/// Ibid., in a short form, after a book's publication facts) and never a day and year of a
/// date (`May 6, 2024`) or a bare year. Going leftwards, a bare number before a marked item
/// ends the locator: in `2023, p. 13` the year is not a page.
#[must_use]
pub fn trailing_locator(text: &str, bare_ok: bool) -> Option<(usize, Locator)> {
    trailing_locator_marked(text, bare_ok).map(|(at, loc, _)| (at, loc))
}

/// [`trailing_locator`], and whether the item ending the text is marked (`p. 4`). With
/// `bare_ok`, that tells what the search without it gives, without searching again: the same
/// locator when the last item is marked (the two searches differ only in taking a bare item
/// before any marked one), none otherwise.
pub(super) fn trailing_locator_marked(text: &str, bare_ok: bool) -> Option<(usize, Locator, bool)> {
    let trimmed = trim_end_closing(text);
    // Read the items as ranges first: most texts ending in a number end in a date or a year
    // (`May 14, 1997`) and hold no locator, and building the pages first would be wasted.
    let read = read_items(trimmed, bare_ok, None)?;
    let mut pages = Vec::new();
    read_items(trimmed, bare_ok, Some(&mut pages))?;
    // Take a `(` opening the locator along with it.
    let open = trimmed[..read.start]
        .trim_end()
        .strip_suffix('(')
        .map_or(read.start, str::len);
    pages.reverse();
    let text = text[open..]
        .trim_end_matches(|c: char| c.is_whitespace() || ".;,".contains(c))
        .trim()
        .to_string();
    Some((open, Locator { text, pages }, read.last_marked))
}

/// Whether `text`, without the white space and `.;,)` that end it, ends at `end`. When a full
/// date (`May 14, 1997`, `Dec. 2009`, `2025, January`: a month at a word boundary, white
/// space, maybe a day, a year; or a year, `,`, white space and a month) ends it so, the text
/// ends in no locator: [`read_items`] reads the year, then the day, as bare numbers, and
/// stops at the month before them (or at the month ending the text) with none.
pub(super) fn ends_at(text: &str, end: usize) -> bool {
    trim_end_closing(text).len() == end
}

/// What [`read_items`] finds of a locator ending a text.
struct Items {
    /// Where the locator's first item starts.
    start: usize,
    /// Whether the item ending the text is marked (`p. 4`).
    last_marked: bool,
}

/// Reads the items of the locator ending `trimmed` from right to left, as
/// [`trailing_locator_marked`] takes them, pushing their pages (last first) to `pages` when
/// given. `None` when the text ends in no locator. The same reading with and without `pages`.
fn read_items(
    trimmed: &str,
    bare_ok: bool,
    mut pages: Option<&mut Vec<PageRange>>,
) -> Option<Items> {
    let mut last_marked = None;
    let mut end = trimmed.len();
    let mut start = None;
    let mut marked = false;
    let mut bare_years = false;
    loop {
        let head = &trimmed[..end];
        let head = trim_end_space(head, true);
        let Some(item) = item_at_end(head) else {
            break;
        };
        let first = &head[item.first.clone()];
        let last = item.last.clone().map(|r| &head[r]);
        let is_marked = item.start != item.first.start;
        last_marked.get_or_insert(is_marked);
        if !is_marked && (marked || !bare_ok) {
            break;
        }
        let before = trim_end_space(&head[..item.start], false);
        if !is_marked {
            // The word before, when it is a month (`May 6, 2024`): its first three letters
            // name one. (Only ASCII letters lower-case to a month's letters, none with a `k`.)
            if names_month(previous_word(before).as_bytes()) {
                return None;
            }
            if last.is_none() {
                bare_years |= (1500..=2099).contains(&number(first).unwrap_or(0));
            }
        }
        marked |= is_marked;
        if let Some(pages) = pages.as_deref_mut() {
            pages.push(page_range(first, last, &head[item.start..])?);
        }
        // Without `pages` nothing is checked: `page_range` reads the numbers of every item
        // (one to five digits, as `item_at_end` reads them), so the reading with pages fails
        // nowhere the one without them goes on.
        start = Some(item.start);
        // A bare item must stand on its own: after punctuation, a paren or nothing.
        if !is_marked
            && !before.is_empty()
            && !before.ends_with(|c: char| {
                matches!(c, ',' | '.' | ':' | ';' | '(' | '”' | '"' | '’' | ')')
            })
            && !ends_with_and(before)
        {
            return None;
        }
        match separator_at_end(before) {
            Some(sep) => end = sep,
            None => break,
        }
    }
    let start = start?;
    if bare_years && !marked {
        return None;
    }
    Some(Items {
        start,
        last_marked: last_marked == Some(true),
    })
}

/// `s` read as a `u32`, as `s.parse::<u32>().ok()` reads it: by hand when `s` is one to nine
/// ASCII digits (what a locator's numbers are), else by `parse`.
fn number(s: &str) -> Option<u32> {
    let b = s.as_bytes();
    if (1..=9).contains(&b.len()) && b.iter().all(u8::is_ascii_digit) {
        Some(b.iter().fold(0, |n, c| n * 10 + u32::from(c - b'0')))
    } else {
        s.parse().ok()
    }
}

/// The word (a run of letters) ending `before` once its trailing `,` and `.` are set aside,
/// as `rsplit` at the first character that is not a letter gives it: read byte by byte while
/// the bytes are ASCII, by characters when a byte outside ASCII may continue the word.
fn previous_word(before: &str) -> &str {
    let b = before.as_bytes();
    let mut end = b.len();
    while end > 0 && matches!(b[end - 1], b',' | b'.') {
        end -= 1;
    }
    let mut start = end;
    while start > 0 && b[start - 1].is_ascii_alphabetic() {
        start -= 1;
    }
    if start > 0 && !b[start - 1].is_ascii() {
        return before[..end]
            .rsplit(|c: char| !c.is_alphabetic())
            .next()
            .unwrap_or("");
    }
    &before[start..end]
}

/// `s` without the white space (and the `(`, when `paren`) that ends it, as `trim_end` (or
/// `trim_end_matches` of white space and `(`) gives it: byte by byte while the end is ASCII,
/// by characters from the first other byte on.
fn trim_end_space(s: &str, paren: bool) -> &str {
    let b = s.as_bytes();
    let mut end = b.len();
    while let Some(&c) = end.checked_sub(1).and_then(|i| b.get(i)) {
        if !c.is_ascii() {
            return s[..end].trim_end_matches(|c: char| c.is_whitespace() || (paren && c == '('));
        }
        if !(matches!(c, b'\t'..=b'\r' | b' ') || (paren && c == b'(')) {
            break;
        }
        end -= 1;
    }
    &s[..end]
}

/// `text` without the white space and `.;,)` that end it. Byte by byte while the end is
/// ASCII (a blanked-out URL is a long run of spaces), by characters from the first other one.
fn trim_end_closing(text: &str) -> &str {
    let b = text.as_bytes();
    let mut end = b.len();
    while end >= 8 && b[end - 8..end] == [b' '; 8] {
        end -= 8;
    }
    while end > 0 {
        match b[end - 1] {
            b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r' | b'.' | b';' | b',' | b')' => {
                end -= 1
            }
            c if c.is_ascii() => return &text[..end],
            _ => break,
        }
    }
    text[..end].trim_end_matches(|c: char| c.is_whitespace() || ".;,)".contains(c))
}

/// Whether `s` ends with `and` in any case. (Only ASCII letters lower-case to `a`, `n` or `d`,
/// so this is what lower-casing `s` and testing its end would say.)
fn ends_with_and(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 3 && b[b.len() - 3..].eq_ignore_ascii_case(b"and")
}

/// The extent of an article given as `(YEAR): FIRST–LAST` after its journal, with the span of
/// the page range in `text`.
#[must_use]
pub fn extent(text: &str) -> Option<(std::ops::Range<usize>, PageRange)> {
    // An extent needs `(` and `:`: most citations lack one and skip the regex.
    if memchr::memchr(b'(', text.as_bytes()).is_none()
        || memchr::memchr(b':', text.as_bytes()).is_none()
    {
        return None;
    }
    let caps = EXTENT.captures(text)?;
    let a = caps.get(1)?;
    let b = caps.get(2)?;
    let range = page_range(a.as_str(), Some(b.as_str()), &text[a.start()..b.end()])?;
    Some((a.start()..b.end(), range))
}

/// Parses a locator written on its own (after `Ibid.`): `, 8,10,13.`, `p. 4`, `(pg. 7)`.
#[must_use]
pub fn parse_locator(text: &str) -> Option<Locator> {
    let t = text.trim_matches(|c: char| c.is_whitespace() || ".,;:".contains(c));
    if t.is_empty() {
        return None;
    }
    // A bare page number (`Ibid., 8.`), the most common: one item, read at once. A number in
    // the years `1500` to `2099` alone is no page.
    if t.len() <= 5 && t.bytes().all(|c| c.is_ascii_digit()) {
        let n = number(t)?;
        return (!(1500..=2099).contains(&n)).then(|| Locator {
            text: t.to_string(),
            pages: vec![PageRange {
                first: n,
                last: n,
                text: t.to_string(),
            }],
        });
    }
    let (at, loc) = trailing_locator(t, true)?;
    t[..at]
        .trim_matches(|c: char| c.is_whitespace() || ".,;:(".contains(c))
        .is_empty()
        .then_some(loc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trim_end_space_trims_as_the_standard_library() {
        const PARTS: [&str; 10] = [
            "a", " ", "(", "\u{a0}", "\u{2003}", "é", "\t", "\u{85}", "4", ")",
        ];
        for t in crate::texts_of_parts(&PARTS, 0x7777_1234_abcd_0001, 20_000, 0, 8) {
            assert_eq!(trim_end_space(&t, false), t.trim_end(), "{t:?}");
            let want = t.trim_end_matches(|c: char| c.is_whitespace() || c == '(');
            assert_eq!(trim_end_space(&t, true), want, "{t:?}");
        }
    }

    #[test]
    fn marked_search_tells_what_the_search_without_bare_numbers_gives() {
        for t in [
            "Moe, Cranes, p. 4",
            "Moe, Cranes, 2023, p. 13",
            "Moe, Cranes, 4-6",
            "Moe, Cranes (Oslo: Tern, 2019), 12, pp. 4-6",
            "Moe, Cranes, pp. 4, 7",
            "Port Review, May 6, 2024",
            "Moe, Cranes, 12",
            "Moe, Cranes",
            "",
        ] {
            let strict = trailing_locator(t, false);
            let derived = trailing_locator_marked(t, true)
                .filter(|(_, _, marked)| *marked)
                .map(|(at, loc, _)| (at, loc));
            assert_eq!(strict, derived, "{t}");
        }
    }

    fn pages(loc: &Locator) -> Vec<(u32, u32)> {
        loc.pages.iter().map(|p| (p.first, p.last)).collect()
    }

    #[test]
    fn locators_of_every_form() {
        for (text, want) in [
            ("p. 4", vec![(4, 4)]),
            ("pp. 3–5", vec![(3, 5)]),
            ("8, 10, 13", vec![(8, 8), (10, 10), (13, 13)]),
            ("8,10,13.", vec![(8, 8), (10, 10), (13, 13)]),
            ("(pg. 7)", vec![(7, 7)]),
            ("(pg. 1, 4)", vec![(1, 1), (4, 4)]),
            ("pp. 34-38, pp. 276-285.", vec![(34, 38), (276, 285)]),
            ("p. 53, and pp. 445-455.", vec![(53, 53), (445, 455)]),
            ("361–82", vec![(361, 382)]),
            ("2, 19-20, 28-29.", vec![(2, 2), (19, 20), (28, 29)]),
        ] {
            let loc = parse_locator(text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(pages(&loc), want, "{text}");
        }
        assert_eq!(parse_locator(""), None);
        assert_eq!(parse_locator("."), None);
    }

    #[test]
    fn closing_trim_reads_bytes_as_characters() {
        for t in [
            "",
            " ",
            "p. 4.  ",
            "p. 4)\u{a0} ;\t\n",
            "4 \u{2003}. ",
            "é.,",
            "Moe, 4\u{b}\u{c}\r) ",
            "x\u{85}",
        ] {
            let want = t.trim_end_matches(|c: char| c.is_whitespace() || ".;,)".contains(c));
            assert_eq!(trim_end_closing(t), want, "{t:?}");
        }
    }

    #[test]
    fn years_and_dates_are_not_locators() {
        assert_eq!(trailing_locator("Times of Asia, May 6, 2024", true), None);
        assert_eq!(trailing_locator("Smith, Report, 2024.", true), None);
        let (at, loc) = trailing_locator("Press, 2023, p. 13", false).expect("locator");
        assert_eq!(loc.text, "p. 13");
        assert_eq!(at, "Press, 2023, ".len());
        assert_eq!(
            trailing_locator("Lund, City (Oslo: Ljus, 2009), 40.", false),
            None
        );
        let (_, loc) = trailing_locator("Lund, City (Oslo: Ljus, 2009), 40.", true).expect("bare");
        assert_eq!(pages(&loc), vec![(40, 40)]);
        let (_, loc) = trailing_locator("URL (pg. 30)", false).expect("paren");
        assert_eq!(loc.text, "(pg. 30)");
    }

    /// Texts built from the pieces a locator is made of, in every order: what the hand-written
    /// readers must read exactly as their regexes.
    fn locator_like_texts() -> Vec<String> {
        const PIECES: [&str; 31] = [
            "p", "pp", "P", "pg", "pgs", "page", "PAGES", "pageſ", "ap", "x", "_", ".", ",", " ",
            "\u{a0}", "-", "–", "—", "1", "12", "2024", "123456", "and", "AND", "band", "&", "(",
            "é", "ſ", ";", "May",
        ];
        let mut texts = Vec::new();
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || crate::xorshift(&mut state);
        for round in 0..60_000 {
            let mut t = String::new();
            let mut k = next();
            let mut piece = |t: &mut String| {
                t.push_str(PIECES[(k % PIECES.len() as u64) as usize]);
                k /= PIECES.len() as u64;
            };
            for _ in 0..1 + next() % 6 {
                piece(&mut t);
            }
            // Every other text is shaped as a locator item after its random start: an end of
            // digits, often a mark and a range before it.
            if round % 2 == 0 {
                let mut k = next();
                let mut pick = |choices: &[&'static str]| -> &'static str {
                    let c = choices[(k % choices.len() as u64) as usize];
                    k /= choices.len() as u64;
                    c
                };
                t.push_str(pick(&[
                    "", "", "p", "pp", "pg", "pgs", "page", "Pages", "pageſ",
                ]));
                t.push_str(pick(&["", ".", ". ", " ", ".  ", "\u{a0}"]));
                t.push_str(pick(&["4", "34", "12345", "123456", "2023"]));
                if pick(&["", "r"]) == "r" {
                    t.push_str(pick(&["-", " - ", "–", " — ", "--"]));
                    t.push_str(pick(&["8", "38", "12345", "123456"]));
                }
                t.push_str(pick(&["", "", ",", " and", ", and ", " & ", "band"]));
            }
            texts.push(t);
        }
        texts
    }

    #[test]
    fn names_month_reads_as_the_month_list() {
        for t in locator_like_texts()
            .iter()
            .map(String::as_str)
            .chain(["", "ma", "May", "MAYOR", "sEp", "déc", "decé", "jan."])
        {
            let want = t
                .as_bytes()
                .get(..3)
                .is_some_and(|w| MONTHS.iter().any(|m| w.eq_ignore_ascii_case(m.as_bytes())));
            assert_eq!(names_month(t.as_bytes()), want, "{t:?}");
        }
    }

    #[test]
    fn every_item_read_makes_a_page_range() {
        for t in locator_like_texts() {
            if let Some(item) = item_at_end(&t) {
                let first = &t[item.first.clone()];
                let last = item.last.clone().map(|r| &t[r]);
                assert!(page_range(first, last, &t).is_some(), "{t:?}");
            }
        }
    }

    #[test]
    fn number_reads_as_parse() {
        for t in [
            "",
            "0",
            "7",
            "12345",
            "123456789",
            "1234567890",
            "4294967295",
            "4294967296",
            "+4",
            "-4",
            "٣",
            "1a",
            " 1",
            "00012",
        ] {
            assert_eq!(number(t), t.parse::<u32>().ok(), "{t:?}");
        }
        for t in locator_like_texts() {
            assert_eq!(number(&t), t.parse::<u32>().ok(), "{t:?}");
        }
    }

    #[test]
    fn previous_word_reads_as_rsplit() {
        let old = |t: &str| -> String {
            t.trim_end_matches([',', '.'])
                .rsplit(|c: char| !c.is_alphabetic())
                .next()
                .unwrap_or("")
                .to_string()
        };
        for t in locator_like_texts().iter().map(String::as_str).chain([
            "",
            ",",
            "May,",
            "Port Review, May",
            "Mé May.,",
            "éMay",
            "May é",
            "ſep.",
            "x 4,",
        ]) {
            assert_eq!(previous_word(t), old(t), "{t:?}");
        }
    }

    #[test]
    fn item_at_end_reads_as_its_regex() {
        for t in locator_like_texts() {
            let want = ITEM_AT_END.captures(&t).map(|c| Item {
                start: c.get(0).map_or(0, |m| m.start()),
                first: c.get(1).map_or(0..0, |m| m.range()),
                last: c.get(2).map(|m| m.range()),
            });
            assert_eq!(item_at_end(&t), want, "{t:?}");
        }
    }

    #[test]
    fn separator_at_end_reads_as_its_regex() {
        for t in locator_like_texts() {
            let want = SEPARATOR_AT_END.find(&t).map(|m| m.start());
            assert_eq!(separator_at_end(&t), want, "{t:?}");
        }
    }

    #[test]
    fn texts_ending_in_a_full_date_end_in_no_locator() {
        const PARTS: [&str; 30] = [
            "May", "june", "Dec.", "Sept", "sep", "Aug", "January", "Mayor", "p.", "pp. ", "and",
            " ", "  ", "\u{a0}", ",", ".", ";", ")", "(", "–", "14", "6", "123", "2024", "1999",
            "é", "x", "Board", "_", "/",
        ];
        let mut state: u64 = 0x6c8e_9cf5_7093_2bd1;
        let mut checked = 0;
        for _ in 0..200_000 {
            crate::xorshift(&mut state);
            let mut k = state;
            let mut t = String::new();
            for _ in 0..2 + k % 9 {
                k /= 9;
                t.push_str(PARTS[(k % PARTS.len() as u64) as usize]);
                k /= PARTS.len() as u64;
                if k == 0 {
                    k = state.rotate_left(29);
                }
            }
            // Every other text ends in a date's parts, in random forms.
            if state % 2 == 0 {
                const ENDS: [&str; 16] = [
                    "May", "Dec.", "june,", "Sep.,", " ", "\u{a0}", "  ", "14", "6,", "2024",
                    "1999", ",", ".", ")", ";", "é",
                ];
                for _ in 0..3 + k % 6 {
                    k /= 6;
                    t.push_str(ENDS[(k % ENDS.len() as u64) as usize]);
                    k /= ENDS.len() as u64;
                    if k == 0 {
                        k = state.rotate_left(41);
                    }
                }
            }
            for from in [0, t.find(' ').map_or(0, |i| i + 1)] {
                for (d, _) in super::super::dates::full_dates(&t) {
                    if d.start >= from && ends_at(&t[from..], d.end - from) {
                        checked += 1;
                        assert_eq!(trailing_locator_marked(&t[from..], true), None, "{t:?}");
                        assert_eq!(trailing_locator_marked(&t[from..], false), None, "{t:?}");
                    }
                }
            }
        }
        assert!(checked > 1000, "{checked}");
    }

    #[test]
    fn bare_page_numbers_read_as_any_locator() {
        let general = |text: &str| {
            let t = text.trim_matches(|c: char| c.is_whitespace() || ".,;:".contains(c));
            let (at, loc) = trailing_locator(t, true)?;
            t[..at]
                .trim_matches(|c: char| c.is_whitespace() || ".,;:(".contains(c))
                .is_empty()
                .then_some(loc)
        };
        for t in [
            "8", ", 8.", "0", "00", "01999", "1499", "1500", "2099", "2100", "99999", "12345",
            "1999", " 217.", "7;",
        ] {
            assert_eq!(parse_locator(t), general(t), "{t:?}");
        }
        for n in (0..100_000).step_by(7) {
            let t = n.to_string();
            assert_eq!(parse_locator(&t), general(&t), "{t:?}");
        }
    }

    #[test]
    fn journal_extent() {
        let (_, e) = extent("Global Affairs 16, no. 3 (2010): 361–82. https://x.org").expect("x");
        assert_eq!((e.first, e.last, e.text.as_str()), (361, 382, "361–82"));
        let (_, e) = extent("Review 26, no. 1 (2006): 131-141, 133.").expect("x");
        assert_eq!((e.first, e.last), (131, 141));
        assert!(extent("Palgrave, 2024), p. 3-4").is_none());
    }
}
