//! Legal citations in Bluebook form: a case (`Harper & Row v. Nation Enters., 471 U.S. 539,
//! 562 (1985)`) or an article (`Ana Moe, Harbour Law, 81 N.Y.U. L. Rev. 1844, 1850 (2006)`)
//! names its work by volume, reporter and first page; the short forms (`Campbell, 510 U.S. at
//! 578`, `Moe, 81 N.Y.U. L. Rev. at 1850`) keep the volume and reporter. The reporter
//! citation, not the case name as written, tells two legal citations' works apart.

use std::sync::LazyLock;

use regex::Regex;

use super::authors::split_authors;
use super::fields::{clean, find_urls};
use super::locator;
use crate::model::{CitationFields, CitationKind};

/// `471 U.S. 539`, `394 F. Supp. 2d 164`, `81 N.Y.U. L. Rev. at 1850`: a volume, a reporter
/// or journal of capitalised or abbreviated words (one lower-case word allowed, as in some
/// proceedings' names), then a first page or `at` and a pinpoint.
static REPORTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:^|[\s,(])(?P<vol>[0-9]{1,4})\s+(?P<rep>[A-Z][A-Za-z0-9'.]*(?:\s+(?:[A-Z][A-Za-z0-9'.]*|&|[0-9][a-z]{1,2}|[a-z]{3,12}))*?)\s+(?:(?P<page>[0-9]{1,5})(?P<after>[^[0-9]A-Za-z]|$)|at\s+[0-9])",
    )
    .expect("valid regex")
});

/// The year at the end of a parenthesis: `(2006)`, `(11th Cir. 2009)`.
static PAREN_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\((?:[^()]*\s)?([0-9]{4})\)").expect("valid regex"));

/// Codes, statute books and registers: cited by section, never shortened as works are.
static NOT_A_REPORTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:u\.?s\.?c|c\.?f\.?r|stat\b|fed\.?\s*reg|u\.?s\.?c\.?c\.?a\.?n|pub\.?\s*l)")
        .expect("valid regex")
});

/// A reporter citation inside a legal citation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReporterCite {
    pub volume: u32,
    /// The reporter's letters, lower case, without spaces and periods: `nyulrev`.
    pub reporter: String,
    /// The first page, `None` in the `at 1850` short form.
    pub page: Option<u32>,
    /// Where the volume starts in the text.
    pub start: usize,
}

impl ReporterCite {
    /// What identifies the work: volume, reporter and first page.
    #[must_use]
    pub fn work(&self) -> Option<(u32, &str, u32)> {
        Some((self.volume, self.reporter.as_str(), self.page?))
    }
}

/// The first reporter citation of `text`, if it has one.
#[must_use]
pub fn reporter_cite(text: &str) -> Option<ReporterCite> {
    // Most citations hold no reporter: a volume (a digit, a space, a capital) and a period
    // are both needed, and one pass over the bytes finds out.
    let bytes = text.as_bytes();
    let volume_then_capital = memchr::memchr_iter(b' ', bytes).any(|i| {
        i > 0
            && bytes[i - 1].is_ascii_digit()
            && bytes.get(i + 1).is_some_and(u8::is_ascii_uppercase)
    });
    if !volume_then_capital || !text.contains('.') {
        return None;
    }
    REPORTER.captures_iter(text).find_map(|caps| {
        let vol = caps.name("vol")?;
        let rep = caps.name("rep")?.as_str();
        let lower_words = rep
            .split_whitespace()
            .filter(|w| w.chars().next().is_some_and(char::is_lowercase) && w.len() > 2)
            .count();
        // A reporter is abbreviated: the period keeps a year before a title (`2004 Federal
        // Computer Security Scorecards 3`) from reading as a volume.
        if !rep.contains('.') || lower_words > 1 || NOT_A_REPORTER.is_match(rep) {
            return None;
        }
        let page = match caps.name("page") {
            Some(p) => {
                // `1 (2008)` or `1844, 1850` or the end: a first page; `3541(1)` is a section.
                let after = caps.name("after").map_or("", |a| a.as_str());
                let next = text.get(p.end() + 1..).unwrap_or("");
                if after == "(" || after == "." && next.starts_with(char::is_alphanumeric) {
                    return None;
                }
                Some(p.as_str().parse().ok()?)
            }
            None => None,
        };
        let reporter: String = rep
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .flat_map(|c| c.to_lowercase())
            .collect();
        Some(ReporterCite {
            volume: vol.as_str().parse().ok()?,
            reporter,
            page,
            start: vol.start(),
        })
    })
}

/// The reporter citation of `text` when `text` is a legal citation: only names come before
/// it (no quotation, parenthesis or URL, which belong to other styles or to commentary).
#[must_use]
pub fn legal_reporter(text: &str) -> Option<ReporterCite> {
    legal_head(text).map(|(cite, _)| cite)
}

fn legal_head(text: &str) -> Option<(ReporterCite, &str)> {
    if !digit_before_other_styles(text.as_bytes()) {
        return None;
    }
    let cite = reporter_cite(text)?;
    let head = clean(text.get(..cite.start)?);
    if head.is_empty() || head.contains(['“', '”', '(']) || head.contains("http") {
        return None;
    }
    Some((cite, head))
}

/// Whether an ASCII digit comes before the first `“`, `”`, `(` and `http` of `b`. A legal
/// head needs one: its reporter citation starts with the digits of a volume, and the names
/// before it hold none of these. Most citations quote a title early and skip the reporter
/// search. Reads the bytes up to the first digit or mark.
fn digit_before_other_styles(b: &[u8]) -> bool {
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'0'..=b'9' => return true,
            b'(' => return false,
            // `“` is E2 80 9C, `”` E2 80 9D.
            0xE2 if matches!(b.get(i + 1..i + 3), Some([0x80, 0x9C | 0x9D])) => return false,
            b'h' if b[i..].starts_with(b"http") => return false,
            _ => {}
        }
    }
    false
}

/// Reads a legal citation: a case or an article with a reporter citation. Full when it gives
/// the first page and a name (a case name with `v.`, or an author and a title); short when it
/// names only a party or an author (`Campbell, 510 U.S. at 578`, `Moe, 81 N.Y.U. L. Rev. 1844,
/// 1850`). `None` when `text` holds no reporter citation or other words come first.
#[must_use]
pub fn legal_citation(text: &str) -> Option<(CitationKind, CitationFields)> {
    legal_citation_with(text, || find_urls(text))
}

/// [`legal_citation`], taking the URLs of `text` from `urls` (as [`find_urls`] gives them)
/// when it is one.
pub(super) fn legal_citation_with(
    text: &str,
    urls: impl FnOnce() -> super::fields::FoundUrls,
) -> Option<(CitationKind, CitationFields)> {
    let (cite, head) = legal_head(text)?;
    let tail = text.get(cite.start..).unwrap_or("");
    // The year closes the parenthesis after the reporter: `(1985)`, `(D.D.C. 2005)`.
    let year = PAREN_YEAR
        .captures(tail)
        .and_then(|c| c.get(1))
        .and_then(|m| m.as_str().parse::<u16>().ok());
    let locator = tail
        .split_once(" at ")
        .and_then(|(_, l)| locator::parse_locator(l))
        .or_else(|| {
            tail.split_once(", ")
                .and_then(|(_, l)| locator::parse_locator(l.split(" (").next().unwrap_or(l)))
        });
    let case = head.contains(" v. ") || head.contains(" v ");
    let (authors, title) = if case {
        (Vec::new(), Some(head.to_string()))
    } else {
        match head.split_once(", ") {
            Some((a, t)) => (split_authors(a), Some(clean(t).to_string())),
            // A title alone (three words or more) or a name alone.
            None if head.split_whitespace().nth(2).is_some() => {
                (Vec::new(), Some(head.to_string()))
            }
            None => (split_authors(head), None),
        }
    };
    let kind = if cite.page.is_some() && title.is_some() {
        CitationKind::Full
    } else {
        CitationKind::Short
    };
    let reporter_text = tail
        .split(|c: char| c.is_ascii_digit())
        .find(|s| s.chars().any(char::is_alphabetic))
        .map(|s| clean(s).to_string());
    let fields = CitationFields {
        urls: urls().into_iter().map(|(_, u)| u).collect(),
        authors,
        title,
        container: reporter_text,
        year,
        locator,
        ..CitationFields::default()
    };
    Some((kind, fields))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn work(text: &str) -> Option<(u32, String, u32)> {
        reporter_cite(text).and_then(|c| c.work().map(|(v, r, p)| (v, r.to_string(), p)))
    }

    #[test]
    fn reporter_search_is_skipped_only_where_no_legal_head_can_be() {
        for t in [
            "Harper Row v. Nation Enters., 471 U.S. 539, 562 (1985)",
            "Moe, “Cranes,” 81 N.Y.U. L. Rev. 1844 (2006)",
            "Moe (ed.), 81 N.Y.U. L. Rev. 1844",
            "http://a.org 81 N.Y.U. L. Rev. 1844",
            "Ana 12 Moe, “Cranes,” 81 N.Y.U. L. Rev. 1844",
            "Campbell, 510 U.S. at 578",
            "Moe”, 81 N.Y.U. L. Rev. 1844",
            "",
        ] {
            let full = reporter_cite(t).and_then(|cite| {
                let head = clean(t.get(..cite.start)?);
                (!head.is_empty() && !head.contains(['“', '”', '(']) && !head.contains("http"))
                    .then_some(cite)
            });
            assert_eq!(legal_reporter(t), full, "{t}");
        }
    }

    #[test]
    fn reporter_citations() {
        assert_eq!(
            work("Harper Row v. Nation Enters., 471 U.S. 539, 562 (1985)"),
            Some((471, "us".into(), 539))
        );
        assert_eq!(
            work("Ana Moe, Harbour Law, 81 N.Y.U. L. Rev. 1844, 1850 (2006)."),
            Some((81, "nyulrev".into(), 1844))
        );
        assert_eq!(
            work("Roe v. Lind, 394 F. Supp. 2d 164 (D.D.C. 2005)."),
            Some((394, "fsupp2d".into(), 164))
        );
        assert_eq!(
            work("Bo Kim, Quay Rules, 41 Harbour internet S. Proc. 1, 1–8 (2008)"),
            Some((41, "harbourinternetsproc".into(), 1))
        );
        let short = reporter_cite("Campbell, 510 U.S. at 578–79.").expect("short form");
        assert_eq!((short.volume, short.page), (510, None));
        // Codes and statute books are cited by section.
        assert_eq!(reporter_cite("44 U.S.C.A. 3541(1)."), None);
        assert_eq!(
            reporter_cite("Pub. L. No. 104–13, 109 Stat. 163, 166."),
            None
        );
        assert_eq!(
            reporter_cite("Ana Moe, “Cranes,” Port Review 3 (2021): 4–9."),
            None
        );
    }

    #[test]
    fn cases_articles_and_short_forms() {
        let (kind, f) = legal_citation(
            "Harper Row, Publishers, Inc. v. Nation Enters., 471 U.S. 539, 565 (1985)",
        )
        .expect("case");
        assert_eq!(kind, CitationKind::Full);
        assert_eq!(
            f.title.as_deref(),
            Some("Harper Row, Publishers, Inc. v. Nation Enters")
        );
        assert_eq!(f.year, Some(1985));
        let (kind, f) =
            legal_citation("Ana Moe, Harbour Law and Policy, 81 N.Y.U. L. Rev. 1844, 1850 (2006).")
                .expect("article");
        assert_eq!(kind, CitationKind::Full);
        assert_eq!(f.authors, vec!["Ana Moe"]);
        assert_eq!(f.title.as_deref(), Some("Harbour Law and Policy"));
        for short in [
            "Campbell, 510 U.S. at 578–79.",
            "Moe, 81 N.Y.U. L. Rev. 1844, 1853.",
            "Moe, 81 N.Y.U. L. Rev. at 1850.",
        ] {
            assert_eq!(
                legal_citation(short).map(|(k, _)| k),
                Some(CitationKind::Short),
                "{short}"
            );
        }
    }
}
