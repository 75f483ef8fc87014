//! Years and dates in citations: when a work appeared, told apart from when a page was read
//! (`Accessed May 8, 2025`) and from numbers inside identifiers (`S/2020/840`).

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::fields::{find_urls, mask, quoted_title};

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
    let plain = mask(text, find_urls(text).into_iter().map(|(r, _)| r));
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

/// The year of a citation whose URLs are masked in `plain` and whose quoted title is masked
/// too in `outside_title`, and whether it gives a full date. The year of its first full date
/// that is not an access date comes first: an earlier year may belong to a law or a title.
pub(super) fn citation_year(plain: &str, outside_title: &str) -> (Option<u16>, bool) {
    let dates: Vec<_> = FULL_DATE.find_iter(outside_title).collect();
    let date = dates
        .iter()
        .find(|d| !is_access_date(&outside_title[..d.start()]));
    let years = |t: &str, shift: usize| -> Vec<Range<usize>> {
        YEAR.find_iter(t)
            .map(|m| m.start() + shift..m.end() + shift)
            .collect()
    };
    let year = date
        .map(|d| years(d.as_str(), d.start()))
        .unwrap_or_default()
        .into_iter()
        .chain(years(outside_title, 0))
        .chain(years(plain, 0))
        .find(|r| !is_in_identifier(plain, r.clone()))
        .and_then(|r| plain.get(r)?.parse().ok());
    (year, !dates.is_empty())
}

/// Whether a date right after `before` is when a web page was read, not when it appeared.
pub(super) fn is_access_date(before: &str) -> bool {
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
    fn citation_years_prefer_the_full_date() {
        let text = "Act 12 (2001), HB/2020/77, August 28, 2020";
        assert_eq!(citation_year(text, text), (Some(2020), true));
        let text = "Board, 2014, accessed May 2, 2024";
        assert_eq!(citation_year(text, text), (Some(2014), true));
        assert_eq!(citation_year("Lund, 8.", "Lund, 8."), (None, false));
    }
}
