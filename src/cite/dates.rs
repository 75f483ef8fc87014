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
    let mut hidden: Vec<Range<usize>> = Vec::new();
    if may_hold_access_date(plain) {
        hidden.extend(ACCESS_DATE.find_iter(plain).map(|m| m.range()));
    }
    if let Some(q) = quoted_title(plain) {
        hidden.push(q.whole);
    }
    let masked;
    let plain = if hidden.is_empty() {
        plain
    } else {
        masked = mask(plain, hidden.into_iter());
        &masked
    };
    // The years are read by hand (see `years`), not by searching with `YEAR`.
    let in_date = FULL_DATE
        .find(plain)
        .and_then(|d| years(d.as_str(), d.start()).next());
    let year = in_date
        .into_iter()
        .chain(years(plain, 0))
        .find(|r| !is_in_identifier(plain, r.clone()))
        .and_then(|r| plain.get(r)?.parse().ok());
    year
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

/// Whether `s` may hold an [`ACCESS_DATE`]: each of its words ends in `ed`, in either case.
fn may_hold_access_date(s: &str) -> bool {
    s.as_bytes()
        .windows(2)
        .any(|w| w[0].eq_ignore_ascii_case(&b'e') && w[1].eq_ignore_ascii_case(&b'd'))
}

/// The year of a citation whose URLs are masked in `plain` and whose quoted title is masked
/// too in `outside_title`, and whether it gives a full date. The year of its first full date
/// that is not an access date comes first: an earlier year may belong to a law or a title.
pub(super) fn citation_year(plain: &str, outside_title: &str) -> (Option<u16>, bool) {
    // `outside_title` is `plain` with parts blanked out: no year in one, none in the other.
    if !may_hold_year(plain) {
        return (None, false);
    }
    let mut dates = FULL_DATE.find_iter(outside_title).peekable();
    let any_date = dates.peek().is_some();
    let date = dates.find(|d| !is_access_date(&outside_title[..d.start()]));
    let year = date
        .into_iter()
        .flat_map(|d| years(d.as_str(), d.start()))
        .chain(years(outside_title, 0))
        .chain(years(plain, 0))
        .find(|r| !is_in_identifier(plain, r.clone()))
        .and_then(|r| plain.get(r)?.parse().ok());
    (year, any_date)
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

/// Whether a date right after `before` is when a web page was read, not when it appeared.
/// (The words are ASCII without a `k`: only an ASCII letter lower-cases to one of their
/// letters, so comparing bytes without case is what lower-casing the end would give.)
pub(super) fn is_access_date(before: &str) -> bool {
    let tail = before.trim_end().as_bytes();
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
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..30_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let mut k = state;
            let mut t = String::new();
            for _ in 0..1 + k % 9 {
                k /= 9;
                t.push_str(PARTS[(k % PARTS.len() as u64) as usize]);
                k /= PARTS.len() as u64;
            }
            let want: Vec<_> = YEAR
                .find_iter(&t)
                .map(|m| m.start() + 3..m.end() + 3)
                .collect();
            assert_eq!(years(&t, 3).collect::<Vec<_>>(), want, "{t:?}");
        }
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
