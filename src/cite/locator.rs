//! Page numbers in citations: the pinpoint locator at the end of a citation (`p. 4`,
//! `pp. 3–5`, `8, 10, 13`, `(pg. 7)`) and the extent of a journal article (`(2010): 361–82`).

use std::sync::LazyLock;

use regex::Regex;

use crate::model::{Locator, PageRange};

/// One item of a locator, anchored at the end of the text: `pp. 34-38`, `8`, `361–82`.
static ITEM_AT_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:(?-u:\b)(?:pp|pgs?|pages?|p)\.?\s*)?(?-u:\b)([0-9]{1,5})(?:\s*[-–—]\s*([0-9]{1,5}))?$",
    )
    .expect("valid regex")
});

/// What may separate two items of a locator, anchored at the end: `, `, ` and `, `, and `.
static SEPARATOR_AT_END: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(?:,\s*and|,|(?-u:\b)and|&)\s*$").expect("valid regex"));

/// A page range following a journal's parenthesised year: `16, no. 3 (2010): 361–82`.
static EXTENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\((?:[A-Za-z]+\.?\s+)?(?:1[5-9][0-9][0-9]|20[0-9][0-9])\)\s*:\s*([0-9]{1,5})\s*[-–—]\s*([0-9]{1,5})")
        .expect("valid regex")
});

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// A page range from its two numbers as written; an abbreviated end takes the start's leading
/// digits (`361–82` is 361 to 382).
fn page_range(first: &str, last: Option<&str>, text: &str) -> Option<PageRange> {
    let a: u32 = first.parse().ok()?;
    let b = match last {
        None => a,
        Some(l) => {
            let b: u32 = l.parse().ok()?;
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
    let trimmed = text.trim_end_matches(|c: char| c.is_whitespace() || ".;,)".contains(c));
    let mut end = trimmed.len();
    let mut start = None;
    let mut pages = Vec::new();
    let mut marked = false;
    let mut bare_years = false;
    loop {
        let head = &trimmed[..end];
        let head = head.trim_end_matches(|c: char| c.is_whitespace() || c == '(');
        let Some(caps) = ITEM_AT_END.captures(head) else {
            break;
        };
        let whole = caps.get(0)?;
        let first = caps.get(1)?;
        let is_marked = whole.start() != first.start();
        if !is_marked && (marked || !bare_ok) {
            break;
        }
        let before = head[..whole.start()].trim_end();
        if !is_marked {
            let previous_word = before
                .trim_end_matches([',', '.'])
                .rsplit(|c: char| !c.is_alphabetic())
                .next()
                .unwrap_or("")
                .to_lowercase();
            if MONTHS.iter().any(|m| previous_word.starts_with(m)) && previous_word.len() >= 3 {
                return None;
            }
            let n: u32 = first.as_str().parse().unwrap_or(0);
            bare_years |= (1500..=2099).contains(&n) && caps.get(2).is_none();
        }
        marked |= is_marked;
        let range = page_range(
            first.as_str(),
            caps.get(2).map(|m| m.as_str()),
            whole.as_str(),
        )?;
        pages.push(range);
        start = Some(whole.start());
        // A bare item must stand on its own: after punctuation, a paren or nothing.
        if !is_marked
            && !before.is_empty()
            && !before.ends_with(|c: char| ",.:;(”\"’)".contains(c))
            && !before.to_lowercase().ends_with("and")
        {
            return None;
        }
        match SEPARATOR_AT_END.find(before) {
            Some(sep) => end = sep.start(),
            None => break,
        }
    }
    let start = start?;
    if bare_years && !marked {
        return None;
    }
    // Take a `(` opening the locator along with it.
    let open = trimmed[..start]
        .trim_end()
        .strip_suffix('(')
        .map_or(start, str::len);
    pages.reverse();
    let text = text[open..]
        .trim_end_matches(|c: char| c.is_whitespace() || ".;,".contains(c))
        .trim()
        .to_string();
    Some((open, Locator { text, pages }))
}

/// The extent of an article given as `(YEAR): FIRST–LAST` after its journal, with the span of
/// the page range in `text`.
#[must_use]
pub fn extent(text: &str) -> Option<(std::ops::Range<usize>, PageRange)> {
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
    let (at, loc) = trailing_locator(t, true)?;
    t[..at]
        .trim_matches(|c: char| c.is_whitespace() || ".,;:(".contains(c))
        .is_empty()
        .then_some(loc)
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn journal_extent() {
        let (_, e) = extent("Global Affairs 16, no. 3 (2010): 361–82. https://x.org").expect("x");
        assert_eq!((e.first, e.last, e.text.as_str()), (361, 382, "361–82"));
        let (_, e) = extent("Review 26, no. 1 (2006): 131-141, 133.").expect("x");
        assert_eq!((e.first, e.last), (131, 141));
        assert!(extent("Palgrave, 2024), p. 3-4").is_none());
    }
}
