//! The rules: one file each, listed once in [`RULES`].
//!
//! A rule reads one post of the document model and pushes [`Finding`]s; it never reads files,
//! prints or decides its own severity. Its documentation is its doc comment, captured by
//! [`declare_rule!`] so that `notelint explain`, `notelint rules` and the README share one text.

use crate::diagnostic::Finding;
use crate::model::{Document, Post, UrlOwner, UrlRef};
use crate::parse::Format;
use crate::source::SourceFile;
use std::cell::OnceCell;

mod bibliography_mismatch;
mod bibliography_order;
mod broken_footnote_link;
mod citation_url_mismatch;
mod cross_reference_broken;
mod dead_link;
mod duplicate_bibliography_entry;
mod duplicate_consecutive_note;
mod duplicate_note_number;
mod duplicate_url;
mod empty_note;
mod ibid_ambiguous;
mod ibid_locator_mismatch;
mod ibid_no_antecedent;
mod ibid_reordered;
mod link_error;
mod link_redirected;
mod missing_from_bibliography;
pub(crate) mod notes_unrecognized;
mod numbering_gap;
mod orphan_marker;
mod orphan_note;
mod out_of_order_marker;
mod repeated_full_citation;
mod short_form_unresolved;
mod uncited_bibliography_entry;
pub(crate) mod unused_suppression;
mod url_glued;
mod url_insecure;
mod url_invalid;
mod url_tracking;
mod url_truncated;
mod url_whitespace;

/// What rules may know beyond the file itself, gathered before linting: later features add
/// their inputs here (an earlier revision of the file, link-check results).
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// The file as it was before the change under review (`--base`, `--base-file`).
    pub base: Option<std::sync::Arc<crate::base::Base>>,
    /// The link-check results (`--check-links`), keyed by URL as the model holds it.
    pub links: Option<std::sync::Arc<crate::links::LinkResults>>,
    /// The other files linted in the same run and their ids, when the run holds two HTML
    /// files or more: note links into them are checked against them.
    pub run: Option<crate::run_files::RunView>,
}

pub use crate::diagnostic::{RuleInfo, DOCS_BASE};

/// What a rule sees: one post, the document around it, and the file it came from.
pub struct Context<'a> {
    pub source: &'a SourceFile,
    pub document: &'a Document,
    pub post: &'a Post,
    pub inputs: &'a Inputs,
    /// The format the file is read in (what markup a fix writes).
    pub format: Format,
    /// How the post's markers and notes pair up, counted once for every rule.
    pub pairing: notes_unrecognized::Pairing,
    /// The file's GFM footnote labels, gathered once for all its posts.
    pub labels: &'a notes_unrecognized::FileLabels<'a>,
    /// What the rules read of the post's URLs, one entry for each of `post.urls`, each fact
    /// found on first use: several rules read the same URL, most rules only some of them.
    urls: OnceCell<Vec<UrlFacts<'a>>>,
    /// For each of `post.urls`, the first of them written the same: a URL cited in a note and
    /// again in the bibliography is read once (see [`first_of_each_text`]).
    same_text: OnceCell<Vec<usize>>,
}

/// What rules read of one URL of a post; see [`Context::read_url`] and [`Context::cited_title`].
#[derive(Default)]
struct UrlFacts<'a> {
    read: OnceCell<Option<ReadUrl<'a>>>,
    title: OnceCell<Option<&'a str>>,
    segment: OnceCell<Option<&'a str>>,
}

impl<'a> Context<'a> {
    /// The context of one post: its pairing is counted here, once for every rule.
    pub fn new(
        source: &'a SourceFile,
        document: &'a Document,
        post: &'a Post,
        inputs: &'a Inputs,
        format: Format,
        labels: &'a notes_unrecognized::FileLabels<'a>,
    ) -> Self {
        Self {
            source,
            document,
            post,
            inputs,
            format,
            pairing: notes_unrecognized::Pairing::of(post, document, source),
            labels,
            urls: OnceCell::new(),
            same_text: OnceCell::new(),
        }
    }

    /// The first of `post.urls` written as `post.urls[i]` is, whose reading it shares. A URL
    /// is written twice mostly in a note and in the bibliography entry of its work: a post
    /// with no bibliography reads each URL on its own, with no table to build.
    pub(crate) fn first_same(&self, i: usize) -> usize {
        if self.post.bibliography.is_empty() {
            return i;
        }
        self.same_text
            .get_or_init(|| first_of_each_text(&self.post.urls))
            .get(i)
            .copied()
            .unwrap_or(i)
    }

    /// The URL `post.urls[i]` as [`read_url`] reads it, read once for all the rules; `None`
    /// when it cannot be parsed (or there is no such URL).
    pub(crate) fn read_url(&self, i: usize) -> Option<&ReadUrl<'a>> {
        let i = self.first_same(i);
        let url: &'a str = self.post.urls.get(i)?.url.as_str();
        self.url_facts(i)?
            .read
            .get_or_init(|| read_url(url))
            .as_ref()
    }

    /// [`plain_last_segment`] of `post.urls[i]` when it reads as plain, a slice of the URL,
    /// found once for all the rules; `None` for a URL not plain (or whose path is only `/`).
    pub(crate) fn plain_segment(&self, i: usize) -> Option<&'a str> {
        let i = self.first_same(i);
        *self
            .url_facts(i)?
            .segment
            .get_or_init(|| match self.read_url(i) {
                Some(ReadUrl::Plain(p)) => plain_last_segment(p.path),
                _ => None,
            })
    }

    /// [`cited_title`] of `post.urls[i]`, found once for all the rules.
    pub(crate) fn cited_title(&self, i: usize) -> Option<&'a str> {
        let post: &'a Post = self.post;
        let url = post.urls.get(i)?;
        *self
            .url_facts(i)?
            .title
            .get_or_init(|| cited_title(post, url))
    }

    fn url_facts(&self, i: usize) -> Option<&UrlFacts<'a>> {
        self.urls
            .get_or_init(|| {
                (0..self.post.urls.len())
                    .map(|_| UrlFacts::default())
                    .collect()
            })
            .get(i)
    }

    /// Each URL the post cites, with what the link check found; nothing when links were not
    /// checked in this run.
    pub fn checked_urls(&self) -> impl Iterator<Item = (&'a UrlRef, &'a crate::links::LinkStatus)> {
        let results = self.inputs.links.as_deref();
        self.post
            .urls
            .iter()
            .filter_map(move |cited| Some((cited, results?.get(&cited.url)?)))
    }
}

/// For each URL of `urls`, the index of the first URL written the same. URLs are placed in a
/// table by their length and last sixteen bytes, where the URLs of one site differ; a URL
/// meeting one written the same shares its index. At most [`PROBES`] places are looked at
/// for each URL, which keeps the work linear when many URLs end alike: past them a URL is
/// its own first, and is only read once more.
fn first_of_each_text(urls: &[UrlRef]) -> Vec<usize> {
    let mask = (urls.len() * 2).next_power_of_two() - 1;
    // Each place holds the index of a URL plus one; 0 when empty.
    let mut table = vec![0usize; mask + 1];
    let word = |b: &[u8], end: usize| {
        let start = end.saturating_sub(8);
        let mut w = [0u8; 8];
        w[..end - start].copy_from_slice(&b[start..end]);
        u64::from_le_bytes(w)
    };
    urls.iter()
        .enumerate()
        .map(|(i, u)| {
            let b = u.url.as_bytes();
            let tail = word(b, b.len()) ^ word(b, b.len().saturating_sub(8)).rotate_left(29);
            let hash = (tail ^ b.len() as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
            let mut place = (hash >> 40) as usize & mask;
            for _ in 0..PROBES {
                match table[place] {
                    0 => {
                        table[place] = i + 1;
                        return i;
                    }
                    f if urls[f - 1].url == u.url => return f - 1,
                    _ => place = (place + 1) & mask,
                }
            }
            i
        })
        .collect()
}

/// How many places of its table [`first_of_each_text`] looks at for one URL.
const PROBES: usize = 8;

/// A lint rule.
pub trait Rule: Sync {
    fn info(&self) -> &'static RuleInfo;
    /// Pushes a finding for every problem in `cx.post`.
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>);
}

/// Declares a rule's unit struct and its [`RuleInfo`], taking the docs from the doc comment.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis struct $name:ident {
            id: $id:literal,
            severity: $severity:ident,
            summary: $summary:literal
            $(, enabled_by_default: $enabled:literal)?
            $(, reads_notes: $reads:literal)?
            $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Default, Clone, Copy)]
        $vis struct $name;

        impl $name {
            pub const INFO: $crate::rules::RuleInfo = $crate::rules::RuleInfo {
                id: $id,
                default_severity: $crate::diagnostic::Severity::$severity,
                enabled_by_default: declare_rule!(@enabled $($enabled)?),
                summary: $summary,
                reads_notes: declare_rule!(@reads $($reads)?),
                docs: concat!($($doc, "\n"),*),
            };
        }
    };
    (@enabled) => { true };
    (@reads) => { false };
    (@reads $reads:literal) => { $reads };
    (@enabled $enabled:literal) => { $enabled };
}
pub(crate) use declare_rule;

/// Every rule notelint has, in the order `notelint rules` lists them.
pub static RULES: &[&dyn Rule] = &[
    &orphan_marker::OrphanMarker,
    &orphan_note::OrphanNote,
    &duplicate_note_number::DuplicateNoteNumber,
    &out_of_order_marker::OutOfOrderMarker,
    &numbering_gap::NumberingGap,
    &empty_note::EmptyNote,
    &duplicate_consecutive_note::DuplicateConsecutiveNote,
    &ibid_no_antecedent::IbidNoAntecedent,
    &ibid_ambiguous::IbidAmbiguous,
    &ibid_locator_mismatch::IbidLocatorMismatch,
    &ibid_reordered::IbidReordered,
    &short_form_unresolved::ShortFormUnresolved,
    &cross_reference_broken::CrossReferenceBroken,
    &repeated_full_citation::RepeatedFullCitation,
    &missing_from_bibliography::MissingFromBibliography,
    &uncited_bibliography_entry::UncitedBibliographyEntry,
    &bibliography_mismatch::BibliographyMismatch,
    &duplicate_bibliography_entry::DuplicateBibliographyEntry,
    &bibliography_order::BibliographyOrder,
    &url_whitespace::UrlWhitespace,
    &url_invalid::UrlInvalid,
    &url_truncated::UrlTruncated,
    &url_glued::UrlGlued,
    &citation_url_mismatch::CitationUrlMismatch,
    &duplicate_url::DuplicateUrl,
    &url_tracking::UrlTracking,
    &url_insecure::UrlInsecure,
    &dead_link::DeadLink,
    &link_error::LinkError,
    &link_redirected::LinkRedirected,
    &broken_footnote_link::BrokenFootnoteLink,
    &notes_unrecognized::NotesUnrecognized,
    &unused_suppression::UnusedSuppression,
];

/// Every id a diagnostic can carry, rules first, then file problems: what `notelint rules`,
/// `notelint explain`, the SARIF rule list and `docs/rules.md` show.
pub fn catalogue() -> impl Iterator<Item = &'static RuleInfo> {
    RULES
        .iter()
        .map(|r| r.info())
        .chain(crate::problems::ALL.iter().copied())
}

/// The rule or file problem with this id.
#[must_use]
pub fn describe(id: &str) -> Option<&'static RuleInfo> {
    catalogue().find(|info| info.id == id)
}

/// The rules that read link-check results: what `notelint links` runs.
pub static LINK_RULES: [&RuleInfo; 3] = [
    &dead_link::DeadLink::INFO,
    &link_error::LinkError::INFO,
    &link_redirected::LinkRedirected::INFO,
];

/// The rule with this id.
#[must_use]
pub fn find(id: &str) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|r| r.info().id == id)
}

/// A finding at a URL, tied to its note when the URL stands in one.
pub(crate) fn url_finding(post: &Post, url: &UrlRef, message: impl Into<String>) -> Finding {
    let finding = Finding::new(url.span, message);
    match url.owner {
        UrlOwner::Note(i) => match post.notes.get(i) {
            Some(note) => finding.note(note.label.clone()),
            None => finding,
        },
        UrlOwner::Bibliography(_) | UrlOwner::Body(_) => finding,
    }
}

/// The words naming the other places of a fault reported once: " (the same on lines 12, 30
/// and 44)"; nothing when there are none.
pub(crate) fn also_on_lines(lines: &[usize]) -> String {
    match lines {
        [] => String::new(),
        [one] => format!(" (the same on line {one})"),
        [rest @ .., last] => {
            let rest: Vec<String> = rest.iter().map(ToString::to_string).collect();
            format!(" (the same on lines {} and {last})", rest.join(", "))
        }
    }
}

/// The URL as the url crate reads it: a bare `www.` host is taken as `http://`, a `doi:` name
/// as its doi.org address. `None` when it cannot be parsed.
pub(crate) fn parse_url(url: &str) -> Option<url::Url> {
    let lower = url.get(..4).map(str::to_ascii_lowercase);
    match lower.as_deref() {
        Some("www.") => url::Url::parse(&format!("http://{url}")).ok(),
        Some("doi:") => url::Url::parse(&format!("https://doi.org/{}", url[4..].trim_start())).ok(),
        _ => url::Url::parse(url).ok(),
    }
}

/// A URL as the rules read it: a plain one byte by byte, any other by the `url` crate, as
/// [`parse_url`] reads it (see [`Plain`](crate::identity::Plain): both readings agree).
pub(crate) enum ReadUrl<'a> {
    Plain(crate::identity::Plain<'a>),
    Parsed(url::Url),
}

impl ReadUrl<'_> {
    /// The host, lower-cased, when it is a domain name (not an IP address).
    pub(crate) fn domain(&self) -> Option<std::borrow::Cow<'_, str>> {
        match self {
            Self::Plain(p) => Some(if p.host.bytes().any(|b| b.is_ascii_uppercase()) {
                std::borrow::Cow::Owned(p.host.to_ascii_lowercase())
            } else {
                std::borrow::Cow::Borrowed(p.host)
            }),
            Self::Parsed(u) => match u.host() {
                Some(url::Host::Domain(host)) => Some(std::borrow::Cow::Borrowed(host)),
                _ => None,
            },
        }
    }

    /// The path, `/` when none is written.
    pub(crate) fn path(&self) -> &str {
        match self {
            Self::Plain(p) => p.path,
            Self::Parsed(u) => u.path(),
        }
    }
}

/// Reads a URL as [`parse_url`] does, without the `url` crate when the URL is plain. `None`
/// when it cannot be parsed.
pub(crate) fn read_url(url: &str) -> Option<ReadUrl<'_>> {
    let prefix = url.get(..4);
    let plain = if prefix.is_some_and(|p| p.eq_ignore_ascii_case("www.")) {
        crate::identity::Plain::after_scheme(url, 80)
    } else if prefix.is_some_and(|p| p.eq_ignore_ascii_case("doi:")) {
        None
    } else {
        crate::identity::Plain::of(url)
    };
    match plain {
        Some(p) => Some(ReadUrl::Plain(p)),
        None => parse_url(url).map(ReadUrl::Parsed),
    }
}

/// The last segment of a URL's key ([`UrlKey::as_str`], `host[:port]path[?query]`): the
/// text after the last `/` of its path, or its host and port when it has no path. Two URLs of
/// one page share it.
pub(crate) fn key_last_segment(key: &str) -> &str {
    let before_query = key.split_once('?').map_or(key, |(before, _)| before);
    memchr::memrchr(b'/', before_query.as_bytes())
        .map_or(before_query, |at| &before_query[at + 1..])
}

/// [`key_last_segment`] of the key of a plain URL with path `path`, read from the path alone:
/// the key keeps the path as written less its trailing `/`. `None` for a path with nothing
/// but `/`, whose key ends in the host (lower-cased, less `www.`): that URL needs its key.
pub(crate) fn plain_last_segment(path: &str) -> Option<&str> {
    let path = path.trim_end_matches('/');
    let at = memchr::memrchr(b'/', path.as_bytes())?;
    Some(&path[at + 1..])
}

/// Whether two note texts may read the same as [`crate::normalize::fold_eq`] compares them:
/// false when their first characters are ASCII letters or digits that differ in more than
/// letter case, which answers most pairs of notes without folding them.
pub(crate) fn may_fold_eq(a: &str, b: &str) -> bool {
    let first = |s: &str| match s.as_bytes().first() {
        // An ASCII letter or digit is no space: the text's first character as it stands.
        Some(&c) if c.is_ascii_alphanumeric() => Some(char::from(c)),
        _ => s
            .trim_start_matches(crate::normalize::is_space)
            .chars()
            .next(),
    };
    match (first(a), first(b)) {
        (Some(x), Some(y)) if x.is_ascii_alphanumeric() && y.is_ascii_alphanumeric() => {
            x.eq_ignore_ascii_case(&y)
        }
        _ => true,
    }
}

/// The first place of each label among a post's markers or notes, by label: a label that is
/// a small note number (no leading zero, below `4 × labels + 64`) is kept in a table indexed
/// by its number, with no hashing; any other label in a map. A number is one text only, so
/// the two never hold the same label.
pub(crate) struct FirstByLabel<'a> {
    /// The first place of each number plus one; 0 for a number not seen.
    numbers: Vec<u32>,
    words: foldhash::HashMap<std::borrow::Cow<'a, str>, usize>,
}

/// The number a label of one to nine ASCII digits without a leading zero writes (`7`, `12`),
/// or `None` (`07`, `3a`, `iv`, an empty label): the labels that tables indexed by number hold.
pub(crate) fn plain_number(label: &str) -> Option<usize> {
    let b = label.as_bytes();
    if b.is_empty() || b.len() > 9 || (b.len() > 1 && b[0] == b'0') {
        return None;
    }
    let mut n = 0usize;
    for &d in b {
        if !d.is_ascii_digit() {
            return None;
        }
        n = n * 10 + usize::from(d - b'0');
    }
    Some(n)
}

impl<'a> FirstByLabel<'a> {
    /// An empty table for a post of `labels` labels.
    pub(crate) fn with_labels(labels: usize) -> Self {
        Self {
            numbers: vec![0; labels.saturating_mul(4).saturating_add(64)],
            words: foldhash::HashMap::default(),
        }
    }

    /// The number `label` is, when it is one the table holds in its table.
    fn number(&self, label: &str) -> Option<usize> {
        plain_number(label).filter(|&n| n < self.numbers.len())
    }

    /// The first place of `label`, which becomes `at` when the label was not seen before.
    pub(crate) fn first_or_insert(&mut self, label: std::borrow::Cow<'a, str>, at: usize) -> usize {
        if let Some(n) = self.number(&label) {
            if let Ok(place) = u32::try_from(at) {
                let slot = &mut self.numbers[n];
                if *slot == 0 {
                    *slot = place.saturating_add(1);
                }
                return *slot as usize - 1;
            }
        }
        *self.words.entry(label).or_insert(at)
    }

    /// The first place of `label`, if it was seen.
    pub(crate) fn get(&self, label: &str) -> Option<usize> {
        match self.number(label) {
            Some(n) if self.numbers[n] > 0 => Some(self.numbers[n] as usize - 1),
            Some(_) if self.words.is_empty() => None,
            _ => self.words.get(label).copied(),
        }
    }
}

/// [`crate::normalize::fold_eq`] of two note texts, answered fast for the usual pairs: most
/// differ in their first letter ([`may_fold_eq`]), and the bytes they share at their start
/// are passed over without folding them one character at a time.
///
/// The shared head is made of the bytes both texts begin with, ASCII letters equal but for
/// their case: both fold it alike (its runs of spaces are the same). Where the head ends,
/// two printable ASCII bytes other than `.` that differ (or one, when the other text ends)
/// make the folded texts differ there, as each folds to itself lower-cased and cannot be
/// trimmed from the end; otherwise the texts are folded from the last such byte of the
/// head, which starts no run of spaces, is trimmed from neither end and starts a character.
pub(crate) fn notes_fold_eq(a: &str, b: &str) -> bool {
    if !may_fold_eq(a, b) {
        return false;
    }
    let plain = |c: u8| c.is_ascii_graphic() && c != b'.';
    let (x, y) = (a.as_bytes(), b.as_bytes());
    let (mut at, mut from) = (0, 0);
    while let (Some(&p), Some(&q)) = (x.get(at), y.get(at)) {
        if !p.eq_ignore_ascii_case(&q) {
            break;
        }
        if plain(p) {
            from = at;
        }
        at += 1;
    }
    match (x.get(at), y.get(at)) {
        (None, None) => true,
        (Some(&p), Some(&q)) if plain(p) && plain(q) => false,
        (Some(&p), None) | (None, Some(&p)) if plain(p) => false,
        _ => crate::normalize::fold_eq(&a[from..], &b[from..]),
    }
}

/// The title of the work a URL is cited for: the title of the note's citation that holds it,
/// or the last quoted title before it in its note or bibliography entry.
pub(crate) fn cited_title<'a>(post: &'a Post, url: &UrlRef) -> Option<&'a str> {
    match url.owner {
        UrlOwner::Note(i) => {
            let note = post.notes.get(i)?;
            let citation = note
                .citations
                .iter()
                .find(|c| c.span.start <= url.span.start && url.span.start < c.span.end);
            match citation {
                Some(c) => c.fields.title.as_deref(),
                None => last_quoted(before(&note.text.text, url.text_range.start)),
            }
        }
        UrlOwner::Bibliography(i) => {
            let entry = post.bibliography.get(i)?;
            last_quoted(before(&entry.text.text, url.text_range.start))
        }
        UrlOwner::Body(_) => None,
    }
}

/// The last closing double quote of `s`, `”` or `"`: its byte offset, and whether it is `”`.
fn last_close(s: &str) -> Option<(usize, bool)> {
    // `”` is E2 80 9D in UTF-8; a 9D byte ends it only after E2 80.
    let b = s.as_bytes();
    let mut end = b.len();
    while let Some(at) = memchr::memrchr2(b'"', 0x9d, &b[..end]) {
        if b[at] == b'"' {
            return Some((at, false));
        }
        if at >= 2 && b[at - 2] == 0xe2 && b[at - 1] == 0x80 {
            return Some((at - 2, true));
        }
        end = at;
    }
    None
}

/// The text of the last straight-quoted pair of `s`.
fn last_straight(s: &str) -> Option<&str> {
    let close = s.rfind('"')?;
    let open = s[..close].rfind('"')?;
    Some(&s[open + 1..close])
}

/// The text of the last curly-quoted pair of `s`.
fn last_curly(s: &str) -> Option<&str> {
    let close = s.rfind('”')?;
    let open = s[..close].rfind('“')?;
    Some(&s[open + '“'.len_utf8()..close])
}

/// Whether a post's bibliography reads as one: at least half of its entries give a date (a
/// year, or `n.d.`), as citations do. A `References` heading over a list of bare links, a
/// table of contents or prose is no bibliography to hold notes against.
pub(crate) fn bibliography_reads_as_citations(post: &Post) -> bool {
    let entries = &post.bibliography;
    let cited = entries
        .iter()
        .filter(|e| e.fields.year.is_some() || e.text.text.contains("n.d."))
        .count();
    !entries.is_empty() && 2 * cited >= entries.len()
}

/// Whether `title` stands in `text` as a title is written: in quotes or emphasis, as two
/// words at least. A "title" read from prose around a link (`available at`, `Table A`) or from
/// a citation style not read here (`Jour. Anthrop.`) tells no work apart.
pub(crate) fn title_set_off(text: &str, title: &str) -> bool {
    title.split_whitespace().count() >= 2
        && text.match_indices(title).any(|(at, _)| {
            text[..at]
                .chars()
                .next_back()
                .is_some_and(|c| matches!(c, '“' | '"' | '‘' | '*' | '_'))
        })
}

/// The text shortly before byte `at` of `text`, where a citation gives the title of the URL
/// at `at`. Looking no further back keeps a note of many URLs from costing quadratic time.
fn before(text: &str, at: usize) -> &str {
    const WINDOW: usize = 1000;
    let mut from = at.saturating_sub(WINDOW);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    text.get(from..at).unwrap_or_default()
}

/// The last text between curly or straight double quotes in `s`: the pair whose closing quote
/// comes last, of the curly pairs (`“…”`) and the straight ones (`"…"`).
fn last_quoted(s: &str) -> Option<&str> {
    // One backward scan finds the last closing quote of either kind. When it opens no pair
    // (no opening quote of its kind before it), the pair is the last of the other kind.
    let (close, curly) = last_close(s)?;
    let title = if curly {
        match s[..close].rfind('“') {
            Some(open) => &s[open + '“'.len_utf8()..close],
            None => last_straight(&s[..close])?,
        }
    } else {
        match memchr::memrchr(b'"', &s.as_bytes()[..close]) {
            Some(open) => &s[open + 1..close],
            None => last_curly(&s[..close])?,
        }
    };
    let title = title.trim().trim_end_matches([',', '.']).trim();
    (!title.is_empty()).then_some(title)
}

/// The docs of a rule with the leading space of each doc-comment line removed.
#[must_use]
pub fn render_docs(info: &RuleInfo) -> String {
    let mut out = String::with_capacity(info.docs.len());
    for line in info.docs.lines() {
        out.push_str(line.strip_prefix(' ').unwrap_or(line));
        out.push('\n');
    }
    out
}

#[cfg(test)]
pub(crate) mod test_support {
    //! Runs one rule over a plain-text post and renders its findings as `line:col message`.
    use super::{Context, Rule};
    use crate::source::SourceFile;

    pub fn check_text(rule: &dyn Rule, text: &str) -> Vec<String> {
        run(
            rule,
            text,
            crate::parse::Format::Text,
            &super::Inputs::default(),
            false,
        )
    }

    /// As [`check_text`], for a Markdown post.
    pub fn check_markdown(rule: &dyn Rule, text: &str) -> Vec<String> {
        run(
            rule,
            text,
            crate::parse::Format::Markdown,
            &super::Inputs::default(),
            false,
        )
    }

    /// As [`check_text`], for an HTML page.
    pub fn check_html(rule: &dyn Rule, text: &str) -> Vec<String> {
        run(
            rule,
            text,
            crate::parse::Format::Html,
            &super::Inputs::default(),
            false,
        )
    }

    /// As [`check_html`], for the file `path` of a run of HTML files `(path, text)`: links
    /// into the other files are checked against them.
    pub fn check_html_in_run(rule: &dyn Rule, files: &[(&str, &str)], path: &str) -> Vec<String> {
        let mut index = crate::run_files::RunFiles::default();
        for (name, text) in files {
            let source = SourceFile::new(*name, *text);
            index.add(
                name,
                &crate::analyse::parse(&source, crate::parse::Format::Html),
            );
        }
        let text = files
            .iter()
            .find(|(name, _)| *name == path)
            .map_or("", |(_, text)| *text);
        let inputs = super::Inputs {
            run: Some(crate::run_files::RunView {
                files: std::sync::Arc::new(index),
                path: path.to_string(),
            }),
            ..super::Inputs::default()
        };
        run(rule, text, crate::parse::Format::Html, &inputs, false)
    }

    /// Like [`check_text`], with link-check results; findings end with their help in brackets.
    pub fn check_text_with_links(
        rule: &dyn Rule,
        text: &str,
        results: &[(&str, crate::links::LinkStatus)],
    ) -> Vec<String> {
        let links = results
            .iter()
            .map(|(url, status)| ((*url).to_string(), status.clone()))
            .collect();
        let inputs = super::Inputs {
            links: (!results.is_empty()).then(|| std::sync::Arc::new(links)),
            ..super::Inputs::default()
        };
        run(rule, text, crate::parse::Format::Text, &inputs, true)
    }

    fn run(
        rule: &dyn Rule,
        text: &str,
        format: crate::parse::Format,
        inputs: &super::Inputs,
        with_help: bool,
    ) -> Vec<String> {
        let source = SourceFile::new("test.txt", text);
        let document = crate::analyse::parse(&source, format);
        let mut out = Vec::new();
        let labels = super::notes_unrecognized::FileLabels::default();
        for post in &document.posts {
            let cx = Context::new(&source, &document, post, inputs, format, &labels);
            let mut findings = Vec::new();
            rule.check(&cx, &mut findings);
            for f in findings {
                let at = source.line_col(f.span.start);
                match (&f.help, with_help) {
                    (Some(help), true) => {
                        out.push(format!("{}:{} {} [{help}]", at.line, at.column, f.message));
                    }
                    _ => out.push(format!("{}:{} {}", at.line, at.column, f.message)),
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_share_a_reading_only_with_the_first_written_the_same() {
        let texts = [
            "https://a.org/x",
            "https://b.org/x",
            "https://a.org/x",
            "",
            "x",
            "https://a.org/report-on-trade-2021",
            "https://b.org/report-on-trade-2021",
            "https://a.org/report-on-trade-2021",
            "",
        ];
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..500 {
            let urls: Vec<UrlRef> = (0..12)
                .map(|_| {
                    let k = usize::try_from(crate::xorshift(&mut state) % 9).unwrap_or(0);
                    UrlRef {
                        url: texts[k].to_string(),
                        span: crate::source::Span::default(),
                        owner: UrlOwner::Body(0),
                        text_range: 0..0,
                        breaks: Vec::new(),
                        glued: false,
                        ellipsis: None,
                    }
                })
                .collect();
            let first = first_of_each_text(&urls);
            for (i, u) in urls.iter().enumerate() {
                let want = urls.iter().position(|v| v.url == u.url).unwrap_or(i);
                assert_eq!(first[i], want, "{i}");
            }
        }
    }

    #[test]
    fn plain_urls_read_as_the_url_crate_reads_them() {
        for written in crate::identity::awkward_urls() {
            let read = read_url(&written);
            let parsed = parse_url(&written);
            assert_eq!(read.is_some(), parsed.is_some(), "{written:?}");
            let (Some(read), Some(parsed)) = (read, parsed) else {
                continue;
            };
            let domain = match parsed.host() {
                Some(url::Host::Domain(host)) => Some(host.to_string()),
                _ => None,
            };
            assert_eq!(read.domain().map(|d| d.to_string()), domain, "{written:?}");
            assert_eq!(read.path(), parsed.path(), "{written:?}");
        }
    }

    #[test]
    fn last_quoted_takes_the_pair_closed_last_of_either_kind() {
        // The reading before the one backward scan: each kind's last pair, the later one.
        let two_scans = |s: &str| -> Option<String> {
            let curly = s.rfind('”').and_then(|close| {
                let open = s[..close].rfind('“')?;
                Some((close, &s[open + '“'.len_utf8()..close]))
            });
            let straight = s.rfind('"').and_then(|close| {
                let open = s[..close].rfind('"')?;
                Some((close, &s[open + 1..close]))
            });
            let (_, title) = match (curly, straight) {
                (Some(c), Some(s)) => {
                    if c.0 > s.0 {
                        c
                    } else {
                        s
                    }
                }
                (c, s) => c.or(s)?,
            };
            let title = title.trim().trim_end_matches([',', '.']).trim();
            (!title.is_empty()).then(|| title.to_string())
        };
        let texts = [
            "",
            "no quotes",
            "“Curly Title,” Press",
            "\"Straight Title,\" Press",
            "“A” then \"B\"",
            "\"A\" then “B”",
            "“A” then a stray \"",
            "\"A\" then a stray ”",
            "a stray ” then \"B\"",
            "“open only",
            "“Café ŝ”, \u{9d} “Œuvre” ",
            "“ , ”",
            "”“",
        ];
        for text in texts {
            assert_eq!(
                last_quoted(text).map(str::to_string),
                two_scans(text),
                "{text:?}"
            );
        }
    }

    #[test]
    fn may_fold_eq_never_rules_out_texts_that_fold_equal() {
        let texts = [
            "",
            " ",
            "...",
            "Ibid.",
            " ibid",
            "IBID.",
            "\u{200B}Ibid",
            "Kim, 4.",
            "\u{212A}im, 4.",
            "kim, 4",
            "“Kim,” 4",
            "\"Kim,\" 4",
            "1. A",
            "1 A",
            "Ann",
            "ann…",
            "ann...",
        ];
        for a in texts {
            for b in texts {
                if crate::normalize::fold_eq(a, b) {
                    assert!(may_fold_eq(a, b), "{a:?} {b:?}");
                }
            }
        }
        assert!(!may_fold_eq("Kim, 4.", "Lee, 4."));
    }

    #[test]
    fn first_by_label_answers_as_a_map() {
        let labels = [
            "1",
            "2",
            "01",
            "0",
            "10",
            "a",
            "A",
            "1a",
            "999999999",
            "1000000000",
            "300",
            "2",
            "a",
            "",
            "7",
            "1",
        ];
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..500 {
            let mut table = FirstByLabel::with_labels(8);
            let mut map = foldhash::HashMap::default();
            for at in 0..8 {
                crate::xorshift(&mut state);
                let label = labels[usize::try_from(state % labels.len() as u64).unwrap_or(0)];
                let want = *map.entry(label).or_insert(at);
                assert_eq!(table.first_or_insert(label.into(), at), want, "{label:?}");
            }
            for label in labels {
                assert_eq!(table.get(label), map.get(label).copied(), "{label:?}");
            }
        }
    }

    #[test]
    fn notes_fold_eq_answers_as_fold_eq() {
        let pieces = [
            "Kim", "kim", "KIM", ",", ".", "..", "…", " ", "  ", "\u{a0}", "\u{200B}", "“", "\"",
            "Ibid", "4", "5", "\u{212A}", "é", "É", "-", "–", "'", "’", "x",
        ];
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next =
            |n: usize| usize::try_from(crate::xorshift(&mut state) % n as u64).unwrap_or(0);
        for _ in 0..20_000 {
            let mut a = String::new();
            for _ in 0..next(7) {
                a.push_str(pieces[next(pieces.len())]);
            }
            // Often the same start, to reach the bytes after a shared head.
            let mut b = if next(2) == 0 {
                a[..a
                    .char_indices()
                    .nth(next(a.len() + 1))
                    .map_or(a.len(), |(i, _)| i)]
                    .to_string()
            } else {
                String::new()
            };
            for _ in 0..next(5) {
                b.push_str(pieces[next(pieces.len())]);
            }
            assert_eq!(
                notes_fold_eq(&a, &b),
                crate::normalize::fold_eq(&a, &b),
                "{a:?} {b:?}"
            );
        }
    }

    #[test]
    fn titles_are_looked_for_just_before_the_url() {
        let text = format!("“Old Title” {} “New Title”, ", "ł".repeat(600));
        assert_eq!(last_quoted(before(&text, text.len())), Some("New Title"));
        let far = format!("“Old Title” {}", "ł".repeat(600));
        assert_eq!(last_quoted(before(&far, far.len())), None);
    }

    #[test]
    fn ids_are_unique_kebab_case_and_documented() {
        let mut seen = foldhash::HashSet::default();
        for rule in RULES {
            let info = rule.info();
            assert!(seen.insert(info.id), "duplicate id {}", info.id);
            assert!(info.id.chars().all(|c| c.is_ascii_lowercase() || c == '-'));
            for heading in ["## What it does", "## Why is this bad?", "## Example"] {
                assert!(info.docs.contains(heading), "{} lacks {heading}", info.id);
            }
        }
    }
}
