//! The archivist's audit of `notelint links`: what became of every link each post cites.
//!
//! The link checker answers per distinct URL ([`LinkResults`](crate::links::LinkResults)); an
//! archivist asks per post: how many links does this post cite, how many are still alive, which
//! notes cite the dead ones, and is there an archived copy to cite instead. This module turns
//! the parsed documents and the checker's results into that view, and writes it out.
//!
//! - [`Audit`], [`AuditFile`], [`AuditPost`] and [`AuditLink`] are a neutral data model, one
//!   [`AuditLink`] per URL occurrence (a URL cited twice counts twice);
//!   [`AuditFile::build`] fills it from a file's [`Document`](crate::model::Document).
//! - [`Counts`] totals a list of links per post, file or audit and words the summary line.
//! - [`render_html`] writes one self-contained HTML page (inline style, inline SVG charts, an
//!   optional inline script that sorts the tables; nothing is loaded from elsewhere), and
//!   [`render_csv`] one CSV row per link for spreadsheets.
//!
//! Nothing here reads files, touches the network or prints; the output is a function of its
//! input alone (no clock), so reports can be compared between runs.

mod build;
mod csv;
mod html;

use std::collections::HashSet;

pub use build::{post_date, post_title};
pub use csv::{render_csv, CSV_HEADER};
pub use html::{render_html, MAX_BARS};

/// The audit of a whole run: one entry per input file, in input order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Audit {
    pub files: Vec<AuditFile>,
}

/// One input file and its posts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFile {
    /// The path as the run names it (`-` for standard input).
    pub path: String,
    pub posts: Vec<AuditPost>,
}

/// One post of a file and the links it cites.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditPost {
    /// 1-based position of the post in its file.
    pub index: usize,
    /// The post's front-matter title, or its first non-blank line with markup stripped,
    /// at most [`TITLE_MAX`] characters; `Post N` when the post has no text of its own.
    pub title: String,
    /// The date the post states near its top, as `YYYY-MM-DD` (see [`post_date`]).
    pub date: Option<String>,
    /// The year of [`Self::date`].
    pub year: Option<i32>,
    /// The 1-based line where the post starts.
    pub start_line: usize,
    /// Every URL occurrence in the post (notes, bibliography and body), in file order.
    pub links: Vec<AuditLink>,
}

/// The longest title kept, in characters (an ellipsis marks a cut).
pub const TITLE_MAX: usize = 80;

/// One occurrence of a URL in a post, and what checking it found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditLink {
    /// The URL as the document model holds it (the key of the checker's results).
    pub url: String,
    /// The label of the note that cites it (`12`, `smith-2019`); `None` for a URL in the
    /// bibliography or the running text.
    pub note: Option<String>,
    /// Where in the post the URL stands.
    pub place: Place,
    /// The text around the URL (its note or bibliography entry, or the passage of the body),
    /// white space collapsed and shortened to about [`CONTEXT_MAX`] bytes.
    pub context: String,
    /// The 1-based line of the URL's first character.
    pub line: usize,
    pub outcome: Outcome,
    /// The HTTP status or reason, as the checker gave it (`404 Not Found`, `301 → https://…`,
    /// `timeout`); empty for a live link.
    pub detail: String,
    /// An archived snapshot of a dead page, when `--suggest-archive` found one.
    pub archive: Option<String>,
    /// Whether the result came from the cache rather than the network.
    pub cached: bool,
}

/// The longest context kept around a URL, in bytes of text besides the URL itself.
pub const CONTEXT_MAX: usize = 160;

/// Where a URL stands in its post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Place {
    Note,
    Bibliography,
    Body,
}

impl Place {
    /// How reports name the place.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Note => "note",
            Self::Bibliography => "bibliography",
            Self::Body => "text",
        }
    }
}

/// What became of one link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Outcome {
    /// The page answered.
    Alive,
    /// The page answered after a permanent redirect.
    Redirected,
    /// The page is gone (404, 410, unknown host, refused connection, TLS failure).
    Dead,
    /// The check failed for reasons that may pass (5xx, timeout, rate limit).
    Error,
    /// Not requested: it points at a loopback, private or link-local address.
    SkippedPrivate,
    /// Not requested: it matched an `--exclude` pattern.
    SkippedExcluded,
    /// Not requested: not an http(s) URL notelint can request.
    SkippedUnsupported,
    /// The checker gave no result for it (a run stopped early, or a URL it was not given).
    NotChecked,
}

impl Outcome {
    /// Every outcome, in report order.
    pub const ALL: [Self; 8] = [
        Self::Alive,
        Self::Redirected,
        Self::Dead,
        Self::Error,
        Self::SkippedPrivate,
        Self::SkippedExcluded,
        Self::SkippedUnsupported,
        Self::NotChecked,
    ];

    /// How reports name the outcome (CSV, HTML).
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Alive => "alive",
            Self::Redirected => "redirected",
            Self::Dead => "dead",
            Self::Error => "error",
            Self::SkippedPrivate => "skipped-private",
            Self::SkippedExcluded => "skipped-excluded",
            Self::SkippedUnsupported => "skipped-unsupported",
            Self::NotChecked => "not-checked",
        }
    }

    /// Whether the link was requested (over the network or from the cache).
    #[must_use]
    pub const fn is_checked(self) -> bool {
        matches!(
            self,
            Self::Alive | Self::Redirected | Self::Dead | Self::Error
        )
    }

    /// Whether the link needs the archivist: dead, or failing to answer.
    #[must_use]
    pub const fn is_failing(self) -> bool {
        matches!(self, Self::Dead | Self::Error)
    }
}

/// Link counts over a post, a file or a whole audit. Every field counts URL occurrences
/// (citations), except where [`Audit::distinct_counts`] made it.
///
/// `cited = checked + skipped`, `checked = alive + redirected + dead + errors`; `private` and
/// `excluded` are parts of `skipped`, and `cached` a part of `checked`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub cited: usize,
    pub checked: usize,
    pub alive: usize,
    pub redirected: usize,
    pub dead: usize,
    pub errors: usize,
    pub skipped: usize,
    /// Skipped as private addresses.
    pub private: usize,
    /// Skipped as matching `--exclude`.
    pub excluded: usize,
    /// Checked, with the answer taken from the cache.
    pub cached: usize,
}

impl Counts {
    /// The counts of `links`.
    #[must_use]
    pub fn of<'a>(links: impl IntoIterator<Item = &'a AuditLink>) -> Self {
        let mut counts = Self::default();
        for link in links {
            counts.add(link.outcome, link.cached);
        }
        counts
    }

    /// Counts one link.
    pub fn add(&mut self, outcome: Outcome, cached: bool) {
        self.cited += 1;
        if outcome.is_checked() {
            self.checked += 1;
            self.cached += usize::from(cached);
        } else {
            self.skipped += 1;
        }
        match outcome {
            Outcome::Alive => self.alive += 1,
            Outcome::Redirected => self.redirected += 1,
            Outcome::Dead => self.dead += 1,
            Outcome::Error => self.errors += 1,
            Outcome::SkippedPrivate => self.private += 1,
            Outcome::SkippedExcluded => self.excluded += 1,
            Outcome::SkippedUnsupported | Outcome::NotChecked => {}
        }
    }

    /// Skipped links that were neither private nor excluded (not http(s), or not checked).
    #[must_use]
    pub const fn skipped_other(&self) -> usize {
        self.skipped - self.private - self.excluded
    }

    /// The counts in one line, as the summary of a `links` run gives them:
    /// `412 links cited: 380 checked (301 alive, 20 redirected, 41 dead, 18 errors),
    /// 32 skipped (20 private, 12 excluded), 120 from cache`. The parts of `skipped` that are
    /// zero are left out; so is the cache when nothing came from it.
    #[must_use]
    pub fn summary_line(&self) -> String {
        let mut line = format!(
            "{} cited: {} checked ({} alive, {} redirected, {} dead, {}), {} skipped",
            plural(self.cited, "link", "links"),
            self.checked,
            self.alive,
            self.redirected,
            self.dead,
            plural(self.errors, "error", "errors"),
            self.skipped,
        );
        let parts: Vec<String> = [
            (self.private, "private"),
            (self.excluded, "excluded"),
            (self.skipped_other(), "other"),
        ]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect();
        if !parts.is_empty() && self.skipped > 0 {
            line.push_str(&format!(" ({})", parts.join(", ")));
        }
        if self.cached > 0 {
            line.push_str(&format!(", {} from cache", self.cached));
        }
        line
    }
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, other: Self) {
        self.cited += other.cited;
        self.checked += other.checked;
        self.alive += other.alive;
        self.redirected += other.redirected;
        self.dead += other.dead;
        self.errors += other.errors;
        self.skipped += other.skipped;
        self.private += other.private;
        self.excluded += other.excluded;
        self.cached += other.cached;
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl AuditPost {
    /// The counts of the post's links.
    #[must_use]
    pub fn counts(&self) -> Counts {
        Counts::of(&self.links)
    }
}

impl AuditFile {
    /// The counts over every post of the file.
    #[must_use]
    pub fn counts(&self) -> Counts {
        Counts::of(self.posts.iter().flat_map(|p| &p.links))
    }
}

impl Audit {
    /// The counts over every post of every file (URL occurrences).
    #[must_use]
    pub fn counts(&self) -> Counts {
        Counts::of(self.links())
    }

    /// The counts over distinct URLs: each URL counted once, with its first occurrence's
    /// outcome (all occurrences of a URL share one result). These match what the checker
    /// requested.
    #[must_use]
    pub fn distinct_counts(&self) -> Counts {
        let mut seen: HashSet<&str> = HashSet::new();
        Counts::of(self.links().filter(|l| seen.insert(l.url.as_str())))
    }

    /// Every link of the audit, in file and post order.
    pub fn links(&self) -> impl Iterator<Item = &AuditLink> {
        self.files
            .iter()
            .flat_map(|f| &f.posts)
            .flat_map(|p| &p.links)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(outcome: Outcome, cached: bool) -> AuditLink {
        AuditLink {
            url: format!("https://example.org/{}", outcome.name()),
            note: Some("1".into()),
            place: Place::Note,
            context: String::new(),
            line: 1,
            outcome,
            detail: String::new(),
            archive: None,
            cached,
        }
    }

    #[test]
    fn counts_add_up_and_read_as_one_line() {
        let links: Vec<AuditLink> = Outcome::ALL
            .iter()
            .map(|&o| link(o, o == Outcome::Alive))
            .collect();
        let c = Counts::of(&links);
        assert_eq!(c.cited, 8);
        assert_eq!(c.checked, c.alive + c.redirected + c.dead + c.errors);
        assert_eq!(c.cited, c.checked + c.skipped);
        assert_eq!((c.private, c.excluded, c.skipped_other()), (1, 1, 2));
        assert_eq!(
            c.summary_line(),
            "8 links cited: 4 checked (1 alive, 1 redirected, 1 dead, 1 error), 4 skipped \
             (1 private, 1 excluded, 2 other), 1 from cache"
        );
    }

    #[test]
    fn a_summary_without_skips_or_cache_says_so_briefly() {
        let c = Counts::of(&[link(Outcome::Alive, false)]);
        assert_eq!(
            c.summary_line(),
            "1 link cited: 1 checked (1 alive, 0 redirected, 0 dead, 0 errors), 0 skipped"
        );
        assert_eq!(
            Counts::default().summary_line(),
            "0 links cited: 0 checked (0 alive, 0 redirected, 0 dead, 0 errors), 0 skipped"
        );
    }

    #[test]
    fn cached_counts_only_checked_links() {
        let c = Counts::of(&[link(Outcome::SkippedPrivate, true)]);
        assert_eq!(c.cached, 0);
    }

    #[test]
    fn distinct_counts_count_each_url_once() {
        let post = AuditPost {
            index: 1,
            links: vec![link(Outcome::Dead, false), link(Outcome::Dead, false)],
            ..AuditPost::default()
        };
        let audit = Audit {
            files: vec![AuditFile {
                path: "a.txt".into(),
                posts: vec![post.clone(), post],
            }],
        };
        assert_eq!(audit.counts().dead, 4);
        assert_eq!(audit.distinct_counts().dead, 1);
    }
}
