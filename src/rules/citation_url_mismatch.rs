use std::sync::LazyLock;

use regex::Regex;

use super::{declare_rule, url_finding, Context, Rule, RuleInfo};
use crate::diagnostic::Finding;

declare_rule! {
    /// ## What it does
    /// Flags a citation whose title and URL name different years or editions of the same
    /// thing: a title `“2022 Report on …”` linking to `…/2023-report-on-…`. It fires only when
    /// both sides state a year (or an ordinal edition) next to the same word, and the numbers
    /// differ.
    ///
    /// ## Why is this bad?
    /// Yearly reports and new editions keep their names, so the wrong year is easy to paste.
    /// One side of the citation is wrong, and the reader cannot tell which edition supports
    /// the claim.
    ///
    /// ## Example
    /// ```text
    /// [11] “2022 Report on International Religious Freedom,” U.S. Department of State, 2023,
    /// https://www.state.gov/reports/2023-report-on-international-religious-freedom/
    /// ```
    ///
    /// ## Use instead
    /// ```text
    /// [11] “2022 Report on International Religious Freedom,” U.S. Department of State, 2023,
    /// https://www.state.gov/reports/2022-report-on-international-religious-freedom/
    /// ```
    pub struct CitationUrlMismatch {
        id: "citation-url-mismatch",
        severity: Warning,
        summary: "the citation's title and its URL name different years or editions",
    }
}

/// Ordinals (`3rd`), numbers and words, in lower-cased text.
static TOKEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u)[0-9]+(?:st|nd|rd|th)\b|[0-9]+|[a-z]+").expect("valid token pattern")
});

/// A year or an ordinal, with the words on either side of it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Numbered {
    /// The number as written (`2022`, `3rd`).
    text: String,
    is_year: bool,
    before: Option<String>,
    after: Option<String>,
}

/// The years and ordinals of `text`, each with its neighbouring words.
fn numbered(text: &str) -> Vec<Numbered> {
    let lower = text.to_ascii_lowercase();
    let tokens: Vec<&str> = TOKEN.find_iter(&lower).map(|m| m.as_str()).collect();
    let word = |i: Option<usize>| {
        i.and_then(|i| tokens.get(i))
            .filter(|t| t.starts_with(|c: char| c.is_ascii_alphabetic()))
            .map(|t| (*t).to_string())
    };
    tokens
        .iter()
        .enumerate()
        .filter_map(|(i, t)| {
            let is_year =
                t.len() == 4 && t.parse::<u16>().is_ok_and(|y| (1800..=2099).contains(&y));
            let is_ordinal = t.ends_with(|c: char| c.is_ascii_alphabetic())
                && t.starts_with(|c: char| c.is_ascii_digit());
            (is_year || is_ordinal).then(|| Numbered {
                text: (*t).to_string(),
                is_year,
                before: word(i.checked_sub(1)),
                after: word(Some(i + 1)),
            })
        })
        .collect()
}

/// Whether a neighbouring word says enough to tie two numbers to the same thing.
fn telling(word: Option<&String>) -> bool {
    word.is_some_and(|w| w.len() >= 3 && !matches!(w.as_str(), "the" | "and" | "for" | "from"))
}

/// A year or edition the title and the URL's path both state next to the same word, with
/// different numbers: `(in the title, in the URL)`.
fn mismatch(title: &str, path: &str) -> Option<(String, String)> {
    let in_title = numbered(title);
    // No year or ordinal in the title: nothing to hold the URL's against.
    if in_title.is_empty() {
        return None;
    }
    // Neighbours count only inside one path segment.
    let in_url: Vec<Numbered> = path.split('/').flat_map(numbered).collect();
    let stated = |list: &[Numbered], text: &str| list.iter().any(|n| n.text == text);
    for t in &in_title {
        for u in &in_url {
            if t.is_year != u.is_year || t.text == u.text {
                continue;
            }
            let same_word = (telling(t.after.as_ref()) && t.after == u.after)
                || (telling(t.before.as_ref()) && t.before == u.before);
            // When either side also names the other's number, the two may be different things.
            if same_word && !stated(&in_title, &u.text) && !stated(&in_url, &t.text) {
                return Some((t.text.clone(), u.text.clone()));
            }
        }
    }
    None
}

/// Whether `b` holds an ASCII digit, told eight bytes at a time: a byte is one when, its high
/// bit clear, its low seven bits reach `0` (0x30) and stay below `:` (0x3a). Adding 0x50 and
/// 0x46 to seven-bit bytes carries into no other byte.
fn has_digit(b: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let mut chunks = b.chunks_exact(8);
    for chunk in chunks.by_ref() {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        let low = x & (0x7f * ONES);
        let digits = (low + 0x50 * ONES) & !(low + 0x46 * ONES) & !x & (0x80 * ONES);
        if digits != 0 {
            return true;
        }
    }
    chunks.remainder().iter().any(u8::is_ascii_digit)
}

impl Rule for CitationUrlMismatch {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (i, url) in cx.post.urls.iter().enumerate() {
            // Years and editions are numbers: without a digit on both sides, nothing can differ.
            // The title, short and seldom holding one, is looked at first; most URLs hold
            // digits well into their text.
            let Some(title) = cx.cited_title(i) else {
                continue;
            };
            if !has_digit(title.as_bytes()) || !has_digit(url.url.as_bytes()) {
                continue;
            }
            let Some(parsed) = cx.read_url(i) else {
                continue;
            };
            let Some((in_title, in_url)) = mismatch(title, parsed.path()) else {
                continue;
            };
            out.push(
                url_finding(
                    cx.post,
                    url,
                    format!("the title says {in_title} but the URL says {in_url}"),
                )
                .label(format!("{in_url} here"))
                .help(format!(
                    "check which one is cited: fix the title “{title}” or link the {in_title} page"
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{mismatch, CitationUrlMismatch};
    use crate::rules::test_support::check_text;

    #[test]
    fn digits_are_found_eight_bytes_at_a_time_as_one_at_a_time() {
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        for _ in 0..20_000 {
            let len = usize::try_from(crate::xorshift(&mut state) % 40).unwrap_or(0);
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    let r = crate::xorshift(&mut state);
                    // Any byte, and often a digit or a byte next to the digits.
                    match r % 16 {
                        0 => b'0' + u8::try_from(r % 10).unwrap_or(0),
                        1 => [b'/', b':', 0xb0, 0xb9, 0xaf, 0xba]
                            [usize::try_from(r % 6).unwrap_or(0)],
                        _ => u8::try_from(r >> 8 & 0xff).unwrap_or(0),
                    }
                })
                .collect();
            assert_eq!(
                super::has_digit(&bytes),
                bytes.iter().any(u8::is_ascii_digit),
                "{bytes:?}"
            );
        }
    }

    #[test]
    fn years_next_to_the_same_word() {
        assert_eq!(
            mismatch(
                "2022 Report on International Religious Freedom: North Korea",
                "/reports/2023-report-on-international-religious-freedom/north-korea/"
            ),
            Some(("2022".into(), "2023".into()))
        );
        assert_eq!(
            mismatch("Guide to Style, 2nd Edition", "/books/guide-3rd-edition"),
            Some(("2nd".into(), "3rd".into()))
        );
    }

    #[test]
    fn unrelated_or_matching_numbers_pass() {
        // A report on the events of one year, published as the next year's report.
        assert_eq!(
            mismatch(
                "North Korea Events of 2023",
                "/world-report/2024/country-chapters/north-korea"
            ),
            None
        );
        assert_eq!(
            mismatch(
                "Freedom in the World 2025",
                "/files/2025-03/FITW_World2025.pdf"
            ),
            None
        );
        assert_eq!(
            mismatch(
                "Text - H.R.757 - 114th Congress (2015-2016): Act of 2016",
                "/bill/114th-congress/house-bill/757/text"
            ),
            None
        );
        assert_eq!(
            mismatch("Annual Report 2020", "/2021/06/annual-report-2020"),
            None
        );
    }

    #[test]
    fn flags_a_note_and_an_entry() {
        let text = "A.[1]\n\nReferences\n“2022 Report on Trade”, 2023, https://a.gov/2023-report-on-trade/\n\n[1] “2022 Report on Trade”, 2023, https://a.gov/2023-report-on-trade/\n";
        assert_eq!(
            check_text(&CitationUrlMismatch, text),
            vec![
                "4:31 the title says 2022 but the URL says 2023",
                "6:35 the title says 2022 but the URL says 2023"
            ]
        );
    }
}
