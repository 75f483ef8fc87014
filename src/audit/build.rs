//! Fills the audit model from a parsed file and the link checker's results: one
//! [`AuditLink`] per URL occurrence, and each post's title and date read from its first lines.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use super::{AuditFile, AuditLink, AuditPost, Outcome, Place, CONTEXT_MAX, TITLE_MAX};
use crate::links::{LinkResults, LinkStatus, SkipReason};
use crate::model::{Document, Post, UrlOwner, UrlRef};
use crate::source::SourceFile;

/// The non-blank lines of a post read for its date.
const DATE_LINES: usize = 5;

/// Bytes of one line looked at for a title or a date: a post whose first line is a megabyte
/// long costs no more than one with a short line.
const LINE_MAX: usize = 400;

/// Front matter lines read for `title:` and `date:` before giving up on finding its end.
const FRONT_MATTER_LINES: usize = 60;

impl AuditFile {
    /// The audit of one parsed file: `results` are the checker's statuses keyed by URL as the
    /// model holds it, and `cached` the URLs (same keys) whose status came from the cache.
    /// A URL with no result counts as [`Outcome::NotChecked`].
    ///
    /// Linear in the file: each URL occurrence costs its own length plus a bounded context.
    #[must_use]
    pub fn build(
        path: &str,
        source: &SourceFile,
        document: &Document,
        results: &LinkResults,
        cached: &HashSet<String>,
    ) -> Self {
        Self {
            path: path.to_string(),
            posts: document
                .posts
                .iter()
                .map(|post| AuditPost::build(source, post, results, cached))
                .collect(),
        }
    }
}

impl AuditPost {
    /// The audit of one post; see [`AuditFile::build`].
    #[must_use]
    pub fn build(
        source: &SourceFile,
        post: &Post,
        results: &LinkResults,
        cached: &HashSet<String>,
    ) -> Self {
        let front = front_matter(source, post);
        let title = post_title(source, post).unwrap_or_else(|| format!("Post {}", post.index));
        let date = front.date.or_else(|| post_date(source, post));
        let year = date.as_deref().and_then(|d| d.get(..4)?.parse().ok());
        Self {
            index: post.index,
            title,
            date,
            year,
            start_line: source.line_of(post.span.start),
            links: post
                .urls
                .iter()
                .map(|url| audit_link(source, post, url, results, cached))
                .collect(),
        }
    }
}

fn audit_link(
    source: &SourceFile,
    post: &Post,
    url: &UrlRef,
    results: &LinkResults,
    cached: &HashSet<String>,
) -> AuditLink {
    let (place, note, text) = match url.owner {
        UrlOwner::Note(i) => {
            let note = post.notes.get(i);
            (
                Place::Note,
                note.map(|n| n.label.clone()),
                note.map(|n| n.text.text.as_str()),
            )
        }
        UrlOwner::Bibliography(i) => (
            Place::Bibliography,
            None,
            post.bibliography.get(i).map(|e| e.text.text.as_str()),
        ),
        UrlOwner::Body(i) => (Place::Body, None, post.body.get(i).map(|b| b.text.as_str())),
    };
    let (outcome, detail, archive) = match results.get(&url.url) {
        None => (Outcome::NotChecked, "not checked".to_string(), None),
        Some(LinkStatus::Ok) => (Outcome::Alive, String::new(), None),
        Some(LinkStatus::Redirected { to, code }) => {
            (Outcome::Redirected, format!("{code} → {to}"), None)
        }
        Some(LinkStatus::Dead { reason, archive }) => {
            (Outcome::Dead, reason.clone(), archive.clone())
        }
        Some(LinkStatus::Error { reason }) => (Outcome::Error, reason.clone(), None),
        Some(LinkStatus::Skipped { reason }) => match reason {
            SkipReason::Private => (Outcome::SkippedPrivate, "private address".into(), None),
            SkipReason::Excluded => (Outcome::SkippedExcluded, "excluded".into(), None),
            SkipReason::Unsupported => (
                Outcome::SkippedUnsupported,
                "not an http(s) URL".into(),
                None,
            ),
        },
    };
    AuditLink {
        url: url.url.clone(),
        note,
        place,
        context: text.map_or_else(String::new, |t| excerpt(t, url.text_range.clone())),
        line: source.line_of(url.span.start),
        outcome,
        detail,
        archive,
        cached: outcome.is_checked() && cached.contains(&url.url),
    }
}

/// `text` around `range` with white space collapsed: the whole text when short, else the
/// range with up to half of [`CONTEXT_MAX`] bytes either side and an ellipsis at each cut.
fn excerpt(text: &str, range: std::ops::Range<usize>) -> String {
    let (start, end, cut_start, cut_end) = if text.len() <= CONTEXT_MAX + range.len() {
        (0, text.len(), false, false)
    } else {
        let margin = CONTEXT_MAX / 2;
        let mut start = range.start.min(text.len()).saturating_sub(margin);
        let mut end = range
            .end
            .min(text.len())
            .saturating_add(margin)
            .min(text.len());
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        while !text.is_char_boundary(end) {
            end += 1;
        }
        // A range running backwards (a model bug) must not make a backwards slice.
        let end = end.max(start);
        (start, end, start > 0, end < text.len())
    };
    let mut out = String::new();
    if cut_start {
        out.push('…');
    }
    out.push_str(&collapse(&text[start..end]));
    if cut_end {
        out.push('…');
    }
    out
}

/// Runs of white space as one space, ends trimmed.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The first lines of a post's running text (markup already stripped by the Markdown and
/// HTML readers), non-blank, each cut to [`LINE_MAX`] bytes; the first line of the post in
/// the file stands in when it has no running text (a post of notes only).
fn top_lines<'a>(source: &'a SourceFile, post: &'a Post) -> impl Iterator<Item = &'a str> + 'a {
    let from_body = post.body.iter().flat_map(|b| b.text.lines());
    let from_file = post.body.is_empty().then(|| {
        source
            .text
            .get(post.span.range())
            .unwrap_or("")
            .lines()
            .take(DATE_LINES * 4)
    });
    from_body
        .chain(from_file.into_iter().flatten())
        .map(|l| cut(l.trim(), LINE_MAX))
        .filter(|l| !plain(l).is_empty())
}

/// The longest prefix of `s` of at most `max` bytes that ends on a character boundary.
fn cut(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

// Lines are cut to LINE_MAX bytes before these run, so they need no bounded repetition
// (which made them slow to build).
static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<[^<>]*>").expect("valid regex"));
static MD_LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[([^\[\]]+)\]\([^()\s]*\)").expect("valid regex"));

/// A line with markup stripped: HTML tags, Markdown links (their text kept), heading `#`s,
/// quote `>`s, emphasis and rule characters at either end, a few common entities.
fn plain(line: &str) -> String {
    // Each step only where its markup can be: most lines hold none.
    let mut line = std::borrow::Cow::Borrowed(line);
    if line.contains('<') {
        line = TAG.replace_all(&line, " ").into_owned().into();
    }
    if line.contains("](") {
        line = MD_LINK.replace_all(&line, "$1").into_owned().into();
    }
    if line.contains('&') {
        line = line
            .replace("&amp;", "&")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&nbsp;", " ")
            .into();
    }
    let trimmed = line.trim_matches(|c: char| {
        c.is_whitespace() || matches!(c, '#' | '>' | '*' | '_' | '`' | '~' | '=' | '-' | '+')
    });
    collapse(trimmed)
}

/// The post's title: the title its front matter gives, else its first line of three words or
/// more with markup stripped (page furniture before a scraped post's title, "0 Comments",
/// "Picture", menu items, is shorter), else its first non-blank line; at most [`TITLE_MAX`]
/// characters (cut at a word where one is near, with an ellipsis).
#[must_use]
pub fn post_title(source: &SourceFile, post: &Post) -> Option<String> {
    if let Some(title) = front_matter(source, post).title {
        return Some(title);
    }
    let words = |l: &str| {
        l.split_whitespace()
            .filter(|w| w.chars().any(char::is_alphabetic))
            .count()
    };
    let is_item = |l: &str| l.starts_with(['•', '-', '*', '[', '|']);
    let mut first = None;
    for line in top_lines(source, post).take(TITLE_LINES) {
        let text = plain(line);
        if !is_item(line) && words(&text) >= 3 {
            return Some(shorten(&text, TITLE_MAX));
        }
        if first.is_none() && !text.is_empty() {
            first = Some(text);
        }
    }
    first.map(|l| shorten(&l, TITLE_MAX))
}

/// How many of a post's first lines may hold its title.
const TITLE_LINES: usize = 20;

/// `s` cut to at most `max` characters, an ellipsis included, at a space when one falls in
/// the last quarter.
pub(super) fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let head: String = s.chars().take(max.saturating_sub(1)).collect();
    let at = head
        .rfind(' ')
        .filter(|&i| head[..i].chars().count() >= max * 3 / 4)
        .unwrap_or(head.len());
    format!("{}…", head[..at].trim_end())
}

const MONTH: &str = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";

/// `2025-03-04`, `March 4, 2025` (`Mar. 4th 2025`), `4 March 2025` (`4th of March, 2025`).
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b(?:(?P<iy>\d{{4}})-(?P<im>\d{{1,2}})-(?P<id>\d{{1,2}})(?:T|\b)|(?P<m1>{MONTH})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>\d{{4}})\b|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{MONTH})\.?,?\s+(?P<y2>\d{{4}})\b)"
    ))
    .expect("valid regex")
});

/// The date a post states in its first five non-blank lines, as `YYYY-MM-DD`: ISO
/// `2025-03-04`, `March 4, 2025` (`Mar. 4th 2025`) or `4 March 2025` (`4th of March, 2025`).
#[must_use]
pub fn post_date(source: &SourceFile, post: &Post) -> Option<String> {
    top_lines(source, post)
        .take(DATE_LINES)
        .find_map(|line| DATE.captures_iter(line).find_map(|c| date_of(&c)))
}

/// The date the captures name, if it is one (month 1–12, day 1–31, year 1000–2999).
fn date_of(c: &regex::Captures<'_>) -> Option<String> {
    let num = |name: &str| c.name(name)?.as_str().parse::<u32>().ok();
    let (y, m, d) = if let Some(y) = num("iy") {
        (y, num("im")?, num("id")?)
    } else if let Some(y) = num("y1") {
        (y, month(c.name("m1")?.as_str())?, num("d1")?)
    } else {
        (num("y2")?, month(c.name("m2")?.as_str())?, num("d2")?)
    };
    ((1000..3000).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d))
        .then(|| format!("{y:04}-{m:02}-{d:02}"))
}

fn month(name: &str) -> Option<u32> {
    let lower = name.to_ascii_lowercase();
    let i = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ]
    .iter()
    .position(|m| lower.starts_with(m))?;
    u32::try_from(i + 1).ok()
}

/// What a Markdown post's front matter says.
#[derive(Debug, Default)]
struct FrontMatter {
    title: Option<String>,
    date: Option<String>,
}

/// The `title:` and `date:` of a YAML front matter block (`---` … `---`) that opens the post.
fn front_matter(source: &SourceFile, post: &Post) -> FrontMatter {
    let mut out = FrontMatter::default();
    let text = source.text.get(post.span.start..).unwrap_or("");
    let mut lines = text.lines().skip_while(|l| l.trim().is_empty());
    if lines.next().map(str::trim_end) != Some("---") {
        return out;
    }
    for line in lines.take(FRONT_MATTER_LINES) {
        let line = cut(line, LINE_MAX);
        if matches!(line.trim_end(), "---" | "...") {
            break;
        }
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim().trim_matches(|c| c == '"' || c == '\'');
        match key.trim() {
            "title" if !value.is_empty() => {
                out.title = Some(shorten(&plain(value), TITLE_MAX)).filter(|t| !t.is_empty());
            }
            "date" => {
                out.date = DATE.captures_iter(value).find_map(|c| date_of(&c));
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::Format;

    fn posts(text: &str, format: Format) -> Vec<AuditPost> {
        let source = SourceFile::new("t", text);
        let document = crate::analyse::parse(&source, format);
        AuditFile::build(
            "t",
            &source,
            &document,
            &LinkResults::new(),
            &HashSet::new(),
        )
        .posts
    }

    #[test]
    fn titles_and_dates_come_from_the_first_lines() {
        let p = posts(
            "# The *First* Post\nPosted on March 4th, 2025 by A.\n\nClaim.[1]\n\n[1] See https://a.example/x\n\nSecond post\n4 Sept. 2019\nB.[1]\n\n[1] https://b.example\n",
            Format::Text,
        );
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].title, "The *First* Post");
        assert_eq!(p[0].date.as_deref(), Some("2025-03-04"));
        assert_eq!(p[0].year, Some(2025));
        assert_eq!(p[0].start_line, 1);
        assert_eq!(p[1].title, "Second post");
        assert_eq!(p[1].date.as_deref(), Some("2019-09-04"));
        assert_eq!(p[1].links[0].line, 12);
    }

    #[test]
    fn markdown_front_matter_gives_title_and_date() {
        let p = posts(
            "---\ntitle: \"Hello there\"\ndate: 2024-01-02T10:00:00Z\n---\n\n# Heading\n\nClaim.[^1]\n\n[^1]: See https://a.example/x.\n",
            Format::Markdown,
        );
        assert_eq!(p[0].title, "Hello there");
        assert_eq!(p[0].date.as_deref(), Some("2024-01-02"));
    }

    #[test]
    fn html_titles_are_the_text_of_the_first_element() {
        let p = posts(
            "<!DOCTYPE html>\n<html><head><title>T</title><style>body{}</style></head><body>\n<article><h1>First &amp; post</h1>\n<p><time>4 March 2025</time></p><p>Claim.<sup><a href=\"#fn1\">1</a></sup></p>\n<ol><li id=\"fn1\">See https://a.example/x</li></ol></article></body></html>\n",
            Format::Html,
        );
        assert_eq!(p[0].title, "First & post");
        assert_eq!(p[0].date.as_deref(), Some("2025-03-04"));
    }

    #[test]
    fn a_date_after_the_fifth_line_or_an_impossible_one_is_not_the_posts() {
        let p = posts(
            "Title\nb\nc 2025-13-01\nd\ne\nMarch 4, 2025\nClaim.[1]\n\n[1] https://a.example\n",
            Format::Text,
        );
        assert_eq!(p[0].date, None);
        assert_eq!(p[0].year, None);
    }

    #[test]
    fn long_titles_are_cut_at_a_word() {
        let t = shorten(&"word ".repeat(40), TITLE_MAX);
        assert!(t.chars().count() <= TITLE_MAX);
        assert!(t.ends_with("word…"));
        let t = shorten(&"é".repeat(200), 10);
        assert_eq!(t, format!("{}…", "é".repeat(9)));
    }

    #[test]
    fn every_occurrence_is_a_link_with_its_note() {
        let source = SourceFile::new(
            "t",
            "A.[1] B.[2]\n\n[1] Gone https://gone.example/a.\n[2] Again https://gone.example/a and https://ok.example\n",
        );
        let document = crate::analyse::parse(&source, Format::Text);
        let results: LinkResults = [
            (
                "https://gone.example/a".to_string(),
                LinkStatus::Dead {
                    reason: "404 Not Found".into(),
                    archive: Some("https://web.archive.org/web/1/x".into()),
                },
            ),
            ("https://ok.example".to_string(), LinkStatus::Ok),
        ]
        .into();
        let cached: HashSet<String> = ["https://ok.example".to_string()].into();
        let file = AuditFile::build("t", &source, &document, &results, &cached);
        let links = &file.posts[0].links;
        assert_eq!(links.len(), 3);
        assert_eq!(links[0].note.as_deref(), Some("1"));
        assert_eq!(links[0].outcome, Outcome::Dead);
        assert_eq!(links[0].detail, "404 Not Found");
        assert_eq!(links[0].context, "Gone https://gone.example/a.");
        assert_eq!(links[1].note.as_deref(), Some("2"));
        assert_eq!((links[1].line, links[2].line), (4, 4));
        assert!(links[2].cached && !links[0].cached);
        let c = file.counts();
        assert_eq!((c.cited, c.dead, c.alive, c.cached), (3, 2, 1, 1));
    }

    #[test]
    fn urls_without_a_result_are_not_checked() {
        let p = posts("A.[1]\n\n[1] https://a.example\n", Format::Text);
        assert_eq!(p[0].links[0].outcome, Outcome::NotChecked);
        assert_eq!(p[0].counts().skipped, 1);
    }

    #[test]
    fn long_contexts_keep_the_text_around_the_url() {
        let text = format!(
            "{} https://x.example/y {}",
            "a ".repeat(500),
            "b ".repeat(500)
        );
        let at = text.find("https").unwrap();
        let e = excerpt(&text, at..at + "https://x.example/y".len());
        assert!(e.starts_with('…') && e.ends_with('…'));
        assert!(e.contains("a https://x.example/y b"));
        assert!(e.len() < CONTEXT_MAX + 40);
        // A range past the text (a model bug) gives a shortened tail, not a panic.
        assert!(excerpt(&text, 5000..6000).starts_with('…'));
        #[allow(clippy::reversed_empty_ranges)]
        let backwards = 1500..10;
        assert!(excerpt(&text, backwards).starts_with('…'));
        let multibyte = "é".repeat(300);
        assert!(!excerpt(&multibyte, 301..303).is_empty());
    }
}
