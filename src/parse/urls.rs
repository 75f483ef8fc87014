//! URLs in prose: where each starts and ends, shared by every parser.
//!
//! A URL starts at `http://`, `https://` or `ftp://` (or a near miss such as `htps://`,
//! `http//` or `https:/`, kept so that a rule can name it), at a bare `www.` host, or at
//! `doi:10.`. It runs to white space or a double quotation mark, less the punctuation that
//! belongs to the sentence around it. A URL split by white space is joined only when the text
//! after the break plainly continues its path. Each start is looked for once and scanning
//! resumes after the URL, so extraction takes time linear in the text, whatever it holds.

use crate::model::{Link, MappedText, Post, UrlOwner, UrlRef};
use crate::source::Span;

/// The most bytes of letters a URL start holds before its first `:`, `/` or `.`: the nine of
/// `hhtttpp` and a long `ſ` (which matches `s` case-insensitively) in a near-miss scheme.
const MAX_START_LETTERS: usize = 9;

/// Where the next URL start at or after `from` stands: its start and the end of its scheme or
/// prefix. A start is one of, in any letter case:
///
/// - `http://`, `https://` or `ftp://`, with no word boundary needed before it, so that a URL
///   glued to a word (`Accessedhttps://…`) is still found;
/// - after a word boundary (ASCII): a near-miss scheme `h{0,2}t{1,3}p{1,2}s?` followed by
///   `:/`, `://`, `:///` or `//`; `www.`; or `doi:10.` (a space or tab allowed after `:`).
///
/// Where two would match at one place, the first of that list wins; a scheme takes as many
/// slashes as it may. This is the leftmost-first match of the regular expression
/// `(?i)(?:https?://|ftp://|(?-u:\b)(?:h{0,2}t{1,3}p{1,2}s?(?::/{1,3}|//)|www\.|doi:[ \t]?10\.))`,
/// found by hand: every start is a few letters followed by `:`, `/` or `.`, so only the
/// places at most [`MAX_START_LETTERS`] bytes before one of those are tried. A start's
/// letters run up to the first of those it holds, and only `www.` has a `.` first: before a
/// `.` (a sentence's full stop, mostly) only the place three bytes back can start a URL.
/// Linear: each byte is tried at most once, each try reads a bounded number of bytes.
fn find_start(s: &str, from: usize) -> Option<(usize, usize)> {
    let b = s.as_bytes();
    let mut tried = from;
    for at in memchr::memchr3_iter(b':', b'/', b'.', b.get(from..)?) {
        let anchor = from + at;
        if b[anchor] == b'.' {
            if let Some(start) = anchor
                .checked_sub(3)
                .filter(|&p| p >= tried && b[p] | 0x20 == b'w')
            {
                if let Some(end) = start_at(b, start) {
                    return Some((start, end));
                }
            }
            tried = anchor + 1;
            continue;
        }
        // A start's letters run right up to its `:` or `/`: only the places in the run of
        // such letters before the anchor can hold one.
        let lowest = tried.max(anchor.saturating_sub(MAX_START_LETTERS));
        let mut first = anchor;
        while first > lowest && start_letter(b[first - 1]) {
            first -= 1;
        }
        for start in first..anchor {
            if let Some(end) = start_at(b, start) {
                return Some((start, end));
            }
        }
        tried = anchor + 1;
    }
    None
}

/// Whether `c` may stand in a URL start before its first `:`, `/` or `.`: a letter of
/// `http`, `https`, `ftp`, `www` or `doi` in either case, or a byte of `ſ` (U+017F).
fn start_letter(c: u8) -> bool {
    matches!(
        c | 0x20,
        b'h' | b't' | b'p' | b's' | b'f' | b'w' | b'd' | b'o' | b'i'
    ) || c == 0xC5
        || c == 0xBF
}

/// The end of the URL start at `p` (see [`find_start`]), if one stands there.
fn start_at(b: &[u8], p: usize) -> Option<usize> {
    let first = b[p].to_ascii_lowercase();
    if !matches!(first, b'h' | b't' | b'f' | b'w' | b'd') {
        return None;
    }
    // `https?://`.
    if first == b'h' && starts_with_http(b, p) {
        let i = p + 4 + long_s(b, p + 4);
        if b.get(i..).is_some_and(|r| r.starts_with(b"://")) {
            return Some(i + 3);
        }
    }
    if first == b'f' && starts_with_ci(b, p, b"ftp://") {
        return Some(p + 6);
    }
    let boundary = p == 0 || !is_ascii_word(b[p - 1]);
    if !boundary {
        return None;
    }
    match first {
        b'h' | b't' => near_miss_scheme(b, p),
        b'w' => starts_with_ci(b, p, b"www.").then_some(p + 4),
        b'd' if starts_with_ci(b, p, b"doi:") => {
            let mut i = p + 4;
            if matches!(b.get(i), Some(b' ' | b'\t')) {
                i += 1;
            }
            b.get(i..)
                .is_some_and(|r| r.starts_with(b"10."))
                .then_some(i + 3)
        }
        _ => None,
    }
}

/// `h{0,2}t{1,3}p{1,2}s?` then `:` and one to three `/` (as many as stand there), or `//`.
/// Each letter differs from the next, so a run longer than its bound cannot match at all.
fn near_miss_scheme(b: &[u8], p: usize) -> Option<usize> {
    let run = |i: usize, letter: u8| {
        b.get(i..).map_or(0, |r| {
            r.iter()
                .take_while(|c| c.eq_ignore_ascii_case(&letter))
                .count()
        })
    };
    let mut i = p;
    let h = run(i, b'h');
    if h > 2 {
        return None;
    }
    i += h;
    let t = run(i, b't');
    if !(1..=3).contains(&t) {
        return None;
    }
    i += t;
    let pp = run(i, b'p');
    if !(1..=2).contains(&pp) {
        return None;
    }
    i += pp;
    i += long_s(b, i);
    if b.get(i) == Some(&b':') {
        let slashes = run(i + 1, b'/');
        if slashes > 0 {
            return Some(i + 1 + slashes.min(3));
        }
        return None;
    }
    b.get(i..)
        .is_some_and(|r| r.starts_with(b"//"))
        .then_some(i + 2)
}

/// The length of an `s` at `i` in either case, or of `ſ` (U+017F), which matches it
/// case-insensitively; 0 when none stands there.
fn long_s(b: &[u8], i: usize) -> usize {
    match b.get(i) {
        Some(b's' | b'S') => 1,
        Some(0xC5) if b.get(i + 1) == Some(&0xBF) => 2,
        _ => 0,
    }
}

/// `starts_with_ci(b, p, b"http")` as one comparison of four bytes: setting the `0x20` bit
/// folds exactly the two cases of a letter onto its lower case, and no other byte onto one.
fn starts_with_http(b: &[u8], p: usize) -> bool {
    let mut word = [0u8; 4];
    match b.get(p..p + 4) {
        Some(r) => word.copy_from_slice(r),
        None => return false,
    }
    u32::from_le_bytes(word) | 0x2020_2020 == u32::from_le_bytes(*b"http")
}

fn starts_with_ci(b: &[u8], p: usize, word: &[u8]) -> bool {
    b.get(p..p + word.len())
        .is_some_and(|r| r.eq_ignore_ascii_case(word))
}

/// A byte of an ASCII word: a letter, a digit or `_`.
fn is_ascii_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Fills `post.urls` from its notes, bibliography entries and body, in file order.
pub(crate) fn extract_post_urls(post: &mut Post) {
    // Room for about one URL per note and entry, the usual count, at once.
    let mut urls = Vec::with_capacity(post.notes.len() + post.bibliography.len());
    for (i, note) in post.notes.iter().enumerate() {
        extract(&note.text, UrlOwner::Note(i), &mut urls);
    }
    for (i, entry) in post.bibliography.iter().enumerate() {
        extract(&entry.text, UrlOwner::Bibliography(i), &mut urls);
    }
    for (i, block) in post.body.iter().enumerate() {
        extract(block, UrlOwner::Body(i), &mut urls);
    }
    merge_links(post, &mut urls);
    urls.sort_by_key(|u| u.span.start);
    post.urls = urls;
}

/// Takes the URL of each link from its destination, in place of what the prose of the link
/// text gives: markup says where a link goes, whatever its visible text reads.
fn merge_links(post: &Post, urls: &mut Vec<UrlRef>) {
    if post.links.is_empty() {
        return;
    }
    let elements = crate::parse::blocks::SpanIndex::new(post.links.iter().map(|l| l.element));
    urls.retain(|u| !elements.any_contains(u.span));
    // Where each link stands: the first note, entry or body block whose span holds its start.
    // Looked up in span order rather than scanned, so that a post of many notes with a link
    // each stays O(n log n).
    let notes = Owners::new(
        post.notes
            .iter()
            .map(|n| (n.span.start, n.span.end.max(n.span.start + 1))),
    );
    let entries = Owners::new(
        post.bibliography
            .iter()
            .map(|b| (b.span.start, b.span.end.max(b.span.start + 1))),
    );
    let body = Owners::new(post.body.iter().map(|b| {
        let s = b.full_span();
        (s.start, s.end)
    }));
    for link in &post.links {
        let at = link.element.start;
        let owner = if let Some(i) = notes.first_holding(at) {
            UrlOwner::Note(i)
        } else if let Some(i) = entries.first_holding(at) {
            UrlOwner::Bibliography(i)
        } else if let Some(i) = body.first_holding(at) {
            UrlOwner::Body(i)
        } else {
            continue;
        };
        let text = match owner {
            UrlOwner::Note(i) => &post.notes[i].text,
            UrlOwner::Bibliography(i) => &post.bibliography[i].text,
            UrlOwner::Body(i) => &post.body[i],
        };
        let start = text.text_offset(at).unwrap_or(0);
        let (url, breaks) = split_destination(link);
        urls.push(UrlRef {
            url,
            span: link.span,
            owner,
            text_range: start..start,
            breaks,
            glued: false,
            ellipsis: None,
        });
    }
}

/// Ranges `start..end` (notes, entries or blocks, in file order) that answer "which is the
/// first to hold this offset?" in logarithmic time.
struct Owners {
    /// `(start, end, index)` sorted by start.
    ranges: Vec<(usize, usize, usize)>,
    /// The largest end among `ranges[..=i]`.
    max_end: Vec<usize>,
    /// Whether no two ranges overlap, so that at most one holds an offset.
    disjoint: bool,
}

impl Owners {
    fn new(ranges: impl Iterator<Item = (usize, usize)>) -> Self {
        let mut ranges: Vec<_> = ranges.enumerate().map(|(i, (s, e))| (s, e, i)).collect();
        ranges.sort_unstable();
        let mut max_end = Vec::with_capacity(ranges.len());
        let mut disjoint = true;
        let mut max = 0;
        for &(s, e, _) in &ranges {
            disjoint &= s >= max;
            max = max.max(e);
            max_end.push(max);
        }
        Self {
            ranges,
            max_end,
            disjoint,
        }
    }

    /// The smallest index of a range holding `at`.
    fn first_holding(&self, at: usize) -> Option<usize> {
        let n = self.ranges.partition_point(|r| r.0 <= at);
        if n == 0 || self.max_end[n - 1] <= at {
            return None;
        }
        if self.disjoint {
            let (s, e, i) = self.ranges[n - 1];
            return (s <= at && at < e).then_some(i);
        }
        // Overlapping ranges (not produced by the parsers): scan those that start before.
        self.ranges[..n]
            .iter()
            .filter(|&&(s, e, _)| s <= at && at < e)
            .map(|r| r.2)
            .min()
    }
}

/// A link destination with the white space inside it removed, and a file span for each run
/// of white space: an `href` pasted from a line-broken URL keeps its break, and the browser
/// turns it into `%20`. Spans are given only where the destination stands in the file as
/// written (no entities or escapes), so that they point at the break itself.
fn split_destination(link: &Link) -> (String, Vec<Span>) {
    let dest = link.url.trim();
    if !dest.contains(char::is_whitespace) {
        return (dest.to_string(), Vec::new());
    }
    let literal = link.span.len() == link.url.len();
    let lead = link.url.len() - link.url.trim_start().len();
    let mut url = String::with_capacity(dest.len());
    let mut breaks = Vec::new();
    let mut run: Option<usize> = None;
    for (i, c) in dest.char_indices() {
        if c.is_whitespace() {
            run.get_or_insert(i);
            continue;
        }
        if let Some(from) = run.take() {
            if literal {
                let base = link.span.start + lead;
                breaks.push(Span::new(base + from, base + i));
            }
        }
        url.push(c);
    }
    if breaks.is_empty() {
        // Not literal: point at the whole destination.
        breaks.push(link.span);
    }
    (url, breaks)
}

/// Appends the URLs found in `text`, which belongs to `owner`.
pub fn extract(text: &MappedText, owner: UrlOwner, out: &mut Vec<UrlRef>) {
    let s = text.text.as_str();
    for found in scan_all(s) {
        let before = s[..found.start].chars().next_back();
        out.push(UrlRef {
            span: text.span(found.start, found.end),
            owner,
            text_range: found.start..found.end,
            breaks: found
                .breaks
                .iter()
                .map(|&(a, b)| Span::new(text.file_offset(a), text.file_offset(b)))
                .collect(),
            // Brackets, quotes and inline markup (`` ` ``, `*`, `_`) may open a URL.
            glued: before.is_some_and(|c| {
                !c.is_whitespace()
                    && !matches!(
                        c,
                        '(' | '[' | '{' | '<' | '"' | '\'' | '“' | '‘' | '«' | '`' | '*' | '_'
                    )
            }),
            ellipsis: found.ellipsis.map(|(a, b)| text.span(a, b)),
            url: found.url,
        });
    }
}

/// The URLs of a text that is not mapped to a file (a citation read on its own): where each
/// stands in `text` and the URL as read, white space inside it removed.
#[must_use]
pub fn find(text: &str) -> Vec<(std::ops::Range<usize>, String)> {
    scan_all(text).map(|f| (f.start..f.end, f.url)).collect()
}

/// Every URL of `s`, in order. Prose without one costs one pass of [`find_start`], which
/// passes over the full stops of sentences at a glance.
fn scan_all(s: &str) -> impl Iterator<Item = Scanned> + '_ {
    let mut from = 0;
    std::iter::from_fn(move || {
        while let Some((start, prefix_end)) = find_start(s, from) {
            from = prefix_end;
            let is_www = s.as_bytes()[start].eq_ignore_ascii_case(&b'w');
            if is_www
                && s[..start]
                    .chars()
                    .next_back()
                    .is_some_and(|c| "./@-:%=&?#~+".contains(c))
            {
                // Part of a longer host name or address, not a URL of its own.
                continue;
            }
            let Some(found) = scan(s, start, prefix_end) else {
                continue;
            };
            from = found.resume;
            return Some(found);
        }
        None
    })
}

/// A URL read from prose.
#[derive(Debug)]
struct Scanned {
    url: String,
    /// The start of the URL in the text.
    start: usize,
    /// The end of the URL in the text, trailing punctuation left out.
    end: usize,
    /// Text ranges of the white space inside the URL.
    breaks: Vec<(usize, usize)>,
    ellipsis: Option<(usize, usize)>,
    /// Where to look for the next URL.
    resume: usize,
}

/// Reads the URL starting at `start`, whose scheme or prefix ends at `prefix_end`.
fn scan(s: &str, start: usize, prefix_end: usize) -> Option<Scanned> {
    let mut piece_start = start;
    let mut piece_end = run_end(s, prefix_end);
    if piece_end == prefix_end {
        return None;
    }
    // Whether the first piece has a path: asked only when a second piece may follow.
    let mut has_path = None;
    let mut breaks = Vec::new();
    // The brackets of the URL so far are those of `s[start..piece_end]`: the breaks between
    // its pieces are white space.
    let (end, ellipsis) = loop {
        let trimmed = trim_end(s, piece_start.max(prefix_end), piece_end, start);
        if trimmed.0 < piece_end {
            // The piece ends in punctuation: the sentence goes on, not the URL.
            break trimmed;
        }
        let Some((ws_end, next_end)) = next_piece(s, piece_end) else {
            break trimmed;
        };
        let has_path = *has_path.get_or_insert_with(|| path_start(&s[start..piece_end]).is_some());
        if !continues_path(&s[piece_start..piece_end], has_path, &s[ws_end..next_end]) {
            break trimmed;
        }
        breaks.push((piece_end, ws_end));
        piece_start = ws_end;
        piece_end = next_end;
    };
    if end <= prefix_end {
        return None;
    }
    let mut url = String::with_capacity(end - start);
    let mut at = start;
    for &(a, b) in &breaks {
        url.push_str(&s[at..a]);
        at = b;
    }
    url.push_str(&s[at..end]);
    Some(Scanned {
        url,
        start,
        end,
        breaks,
        ellipsis,
        resume: piece_end,
    })
}

/// Whether a character ends a URL in prose.
fn stops_url(c: char) -> bool {
    c.is_whitespace() || matches!(c, '"' | '“' | '”' | '<' | '>' | '\u{200b}')
}

/// The end of the run of URL characters starting at `from`. A footnote reference (`[^1]`)
/// right after a URL is the sentence's marker, not part of the address.
fn run_end(s: &str, from: usize) -> usize {
    // An ASCII byte decides by itself; only a byte that starts a multi-byte character needs
    // the character decoded. Eight bytes at a time are tested for a candidate stop first, so
    // that the bytes that cannot stop the run (most of a URL) cost little.
    let b = s.as_bytes();
    let mut i = from;
    loop {
        while let Some(word) = b.get(i..i + 8) {
            let mut bytes = [0u8; 8];
            bytes.copy_from_slice(word);
            let candidates = stop_candidates(u64::from_le_bytes(bytes));
            if candidates != 0 {
                i += (candidates.trailing_zeros() / 8) as usize;
                break;
            }
            i += 8;
        }
        let Some(&c) = b.get(i) else {
            return s.len();
        };
        if !RUN_STOP_CANDIDATE[usize::from(c)] {
            i += 1;
            continue;
        }
        if c < 0x80 {
            if c.is_ascii_whitespace() || c == 0x0b || matches!(c, b'"' | b'<' | b'>') {
                return i;
            }
            if c == b'[' && b.get(i + 1) == Some(&b'^') {
                return i;
            }
            i += 1;
        } else {
            let Some(ch) = s[i..].chars().next() else {
                return i;
            };
            if stops_url(ch) {
                return i;
            }
            i += ch.len_utf8();
        }
    }
}

/// `0x01` in every byte of a word.
const ONES: u64 = 0x0101_0101_0101_0101;
/// The high bit of every byte of a word.
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each zero byte of `v`; bits above the first may be set wrongly, the lowest
/// set bit is exact.
fn zero_bytes(v: u64) -> u64 {
    v.wrapping_sub(ONES) & !v & HIGHS
}

/// A bit in the eight bytes of `w` (read little-endian) for each byte that may stop a run of
/// URL characters: every byte that [`RUN_STOP_CANDIDATE`] marks, and some others (all bytes up
/// to a space). The lowest set bit marks the first such byte exactly; 0 when there is none.
fn stop_candidates(w: u64) -> u64 {
    (w & HIGHS)
        | (w.wrapping_sub(ONES * 0x21) & !w & HIGHS)
        | zero_bytes(w ^ (ONES * u64::from(b'"')))
        // `<` and `>` differ in one bit only: one test finds both.
        | zero_bytes((w ^ (ONES * u64::from(b'<'))) & !(ONES * 0x02))
        | zero_bytes(w ^ (ONES * u64::from(b'[')))
}

/// The bytes that may end a run of URL characters, looked up first so that the bytes that
/// cannot (most of a URL) cost one look-up each: the ASCII stops of [`run_end`], `[` (of a
/// `[^`) and every byte of a non-ASCII character, which is decoded to decide.
static RUN_STOP_CANDIDATE: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] =
            b >= 0x80 || b.is_ascii_whitespace() || matches!(b, 0x0b | b'"' | b'<' | b'>' | b'[');
        c += 1;
    }
    t
};

/// After a piece ending at `at`: the end of the white space that follows (no more than one
/// line break) and the end of the next run of URL characters.
fn next_piece(s: &str, at: usize) -> Option<(usize, usize)> {
    let mut line_breaks = 0;
    let mut ws_end = at;
    for c in s[at..].chars() {
        if !c.is_whitespace() {
            break;
        }
        if c == '\n' {
            line_breaks += 1;
        }
        ws_end += c.len_utf8();
    }
    if ws_end == at || ws_end == s.len() || line_breaks > 1 {
        return None;
    }
    let next_end = run_end(s, ws_end);
    (next_end > ws_end).then_some((ws_end, next_end))
}

/// Where the path of `url` starts, if it has one.
fn path_start(url: &str) -> Option<usize> {
    let host_at = crate::identity::find_ascii(url, b"//").map_or(0, |i| i + 2);
    url[host_at..].find('/').map(|i| host_at + i)
}

/// Whether `next`, the text after a break in a URL whose piece before the break is `prev`,
/// continues the URL: it completes a path segment cut after `-` or `_`, or it holds a path of
/// its own (`content/uploads/2019/x.pdf`), never an ordinary word.
fn continues_path(prev: &str, has_path: bool, next: &str) -> bool {
    let next = {
        let (end, _) = trim_end(next, 0, next.len(), 0);
        &next[..end]
    };
    let Some(first) = next.chars().next() else {
        return false;
    };
    let urlish = next
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-._~/%?=&#+()".contains(c));
    if !urlish || !(first.is_ascii_alphanumeric() || first == '%') {
        return false;
    }
    // A new URL is not the rest of this one (`://` cannot occur: `:` is not allowed above).
    if next
        .get(..4)
        .is_some_and(|p| p.eq_ignore_ascii_case("www."))
    {
        return false;
    }
    if prev.ends_with(['-', '_']) {
        return true;
    }
    // A file name after the break: right after a `/` (`…/papers/ terminal-costs-1972.pdf`),
    // or completing a file name the break cut at a space (`…/1960/annual report.pdf`).
    if has_path && !next.contains('/') && has_extension(next) {
        let last_segment = prev.rsplit('/').next().unwrap_or("");
        if last_segment.is_empty() {
            return true;
        }
        let bare_word = last_segment
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        return bare_word && !has_extension(last_segment);
    }
    if !has_path || !next.contains('/') {
        return false;
    }
    let slashes = next.matches('/').count();
    slashes >= 2 || has_extension(next) || next.contains(['-', '_', '%'])
}

/// Whether `s` ends in a file extension such as `.pdf` or `.html`.
fn has_extension(s: &str) -> bool {
    s.rsplit_once('.').is_some_and(|(stem, ext)| {
        !stem.is_empty()
            && (2..=5).contains(&ext.len())
            && ext.starts_with(|c: char| c.is_ascii_alphabetic())
            && ext.chars().all(|c| c.is_ascii_alphanumeric())
    })
}

/// Counts of brackets in a URL, to tell a closing bracket that belongs to it from one that
/// closes the prose around it.
#[derive(Debug, Default, Clone, Copy)]
struct Brackets {
    round: (usize, usize),
    square: (usize, usize),
}

impl Brackets {
    fn of(s: &str) -> Self {
        let mut b = Self::default();
        b.count(s);
        b
    }

    fn count(&mut self, s: &str) {
        // Most URLs hold no bracket: two vector searches find that sooner than a byte loop.
        let b = s.as_bytes();
        for i in memchr::memchr2_iter(b'(', b')', b) {
            if b[i] == b'(' {
                self.round.0 += 1;
            } else {
                self.round.1 += 1;
            }
        }
        for i in memchr::memchr2_iter(b'[', b']', b) {
            if b[i] == b'[' {
                self.square.0 += 1;
            } else {
                self.square.1 += 1;
            }
        }
    }
}

/// The end of the URL in `s[from..end]` without the trailing punctuation that belongs to the
/// prose, and the range of an ellipsis among what was left out. A closing bracket is left
/// out only when the URL, `s[count_from..end]`, closes more brackets of its kind than it
/// opens; they are counted only when one ends the URL (few do).
fn trim_end(
    s: &str,
    from: usize,
    end: usize,
    count_from: usize,
) -> (usize, Option<(usize, usize)>) {
    let mut brackets: Option<Brackets> = None;
    let mut at = end;
    while at > from {
        let Some(c) = s[..at].chars().next_back() else {
            break;
        };
        let strip = match c {
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '’' | '»' | '…' | '*' => true,
            ')' | ']' => {
                let counts = brackets.get_or_insert_with(|| Brackets::of(&s[count_from..end]));
                let (open, close) = if c == ')' {
                    &mut counts.round
                } else {
                    &mut counts.square
                };
                if *close > *open {
                    *close -= 1;
                    true
                } else {
                    false
                }
            }
            _ => false,
        };
        if !strip {
            break;
        }
        at -= c.len_utf8();
    }
    let tail = &s[at..end];
    if tail.is_empty() {
        return (at, None);
    }
    let ellipsis = match (tail.find('…'), tail.find("...")) {
        (Some(i), _) => Some((at + i, at + i + '…'.len_utf8())),
        (None, Some(i)) => {
            let dots = tail[i..].bytes().take_while(|&b| b == b'.').count();
            Some((at + i, at + i + dots))
        }
        (None, None) => None,
    };
    (at, ellipsis)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(text: &str) -> Vec<UrlRef> {
        let mut out = Vec::new();
        extract(
            &MappedText::contiguous(text, 0),
            UrlOwner::Body(0),
            &mut out,
        );
        out
    }

    /// [`run_end`] as it was before it tested eight bytes at a time.
    fn run_end_bytewise(s: &str, from: usize) -> usize {
        let b = s.as_bytes();
        let mut i = from;
        while let Some(&c) = b.get(i) {
            if !RUN_STOP_CANDIDATE[usize::from(c)] {
                i += 1;
                continue;
            }
            if c < 0x80 {
                if c.is_ascii_whitespace() || c == 0x0b || matches!(c, b'"' | b'<' | b'>') {
                    return i;
                }
                if c == b'[' && b.get(i + 1) == Some(&b'^') {
                    return i;
                }
                i += 1;
            } else {
                let Some(ch) = s[i..].chars().next() else {
                    return i;
                };
                if stops_url(ch) {
                    return i;
                }
                i += ch.len_utf8();
            }
        }
        s.len()
    }

    /// [`trim_end`] as it was with the brackets counted before it was called.
    fn trim_end_counted(
        s: &str,
        from: usize,
        end: usize,
        brackets: &Brackets,
    ) -> (usize, Option<(usize, usize)>) {
        let (mut round, mut square) = (brackets.round, brackets.square);
        let mut at = end;
        while at > from {
            let Some(c) = s[..at].chars().next_back() else {
                break;
            };
            let strip = match c {
                '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '’' | '»' | '…' | '*' => true,
                ')' if round.1 > round.0 => {
                    round.1 -= 1;
                    true
                }
                ']' if square.1 > square.0 => {
                    square.1 -= 1;
                    true
                }
                _ => false,
            };
            if !strip {
                break;
            }
            at -= c.len_utf8();
        }
        let tail = &s[at..end];
        if tail.is_empty() {
            return (at, None);
        }
        let ellipsis = match (tail.find('…'), tail.find("...")) {
            (Some(i), _) => Some((at + i, at + i + '…'.len_utf8())),
            (None, Some(i)) => {
                let dots = tail[i..].bytes().take_while(|&b| b == b'.').count();
                Some((at + i, at + i + dots))
            }
            (None, None) => None,
        };
        (at, ellipsis)
    }

    #[test]
    fn trim_end_matches_the_one_given_counted_brackets() {
        let alphabet = [
            "a", "(", ")", "[", "]", ".", ",", "…", "’", "*", "é", "/", ":",
        ];
        let mut state: u64 = 0x1234_5678_9ABC_DEF1;
        for len in 0..3000 {
            let mut s = String::new();
            for _ in 0..(len % 14) {
                crate::xorshift(&mut state);
                s.push_str(alphabet[(state % alphabet.len() as u64) as usize]);
            }
            let bounds: Vec<usize> = s.char_indices().map(|(i, _)| i).chain([s.len()]).collect();
            for (k, &end) in bounds.iter().enumerate() {
                for &count_from in &bounds[..=k] {
                    for &from in &bounds[..=k] {
                        let counted = Brackets::of(&s[count_from..end]);
                        assert_eq!(
                            trim_end(&s, from, end, count_from),
                            trim_end_counted(&s, from, end, &counted),
                            "{s:?} {from} {end} {count_from}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn http_test_matches_the_case_insensitive_one() {
        for a in 0..=255u8 {
            for s in [
                [a, b't', b't', b'p'],
                [b'H', b'T', a, b'P'],
                [b'h', b't', b'T', a],
            ] {
                for p in 0..2 {
                    let mut b = vec![b'x'; p];
                    b.extend_from_slice(&s);
                    assert_eq!(
                        starts_with_http(&b, p),
                        starts_with_ci(&b, p, b"http"),
                        "{b:?}"
                    );
                    assert!(!starts_with_http(&b[..b.len() - 1], p));
                }
            }
        }
    }

    #[test]
    fn run_end_matches_the_byte_by_byte_scan() {
        let alphabet = [
            "a", "/", ".", "[", "^", "[^", "\"", "<", ">", " ", "\t", "\n", "\u{b}", "\u{c}", "\r",
            "\u{1}", "\u{1f}", "!", "#", "=", "?", "é", "\u{a0}", "\u{200b}", "“", "”", "\u{2003}",
            "😀", "\u{7f}", "Z", "0", "%", "\u{3000}",
        ];
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        for len in 0..600 {
            let mut s = String::new();
            for _ in 0..(len % 40) {
                crate::xorshift(&mut state);
                // Mostly plain URL bytes, so that whole words of them are skipped.
                let pick = (state % 96) as usize;
                s.push_str(alphabet.get(pick).copied().unwrap_or("x"));
            }
            for from in s.char_indices().map(|(i, _)| i).chain([s.len()]) {
                assert_eq!(
                    run_end(&s, from),
                    run_end_bytewise(&s, from),
                    "{s:?} {from}"
                );
            }
        }
    }

    fn found(text: &str) -> Vec<String> {
        urls(text).into_iter().map(|u| u.url).collect()
    }

    /// The regular expression [`find_start`] reads by hand.
    fn start_regex() -> regex::Regex {
        regex::Regex::new(
            r"(?i)(?:https?://|ftp://|(?-u:\b)(?:h{0,2}t{1,3}p{1,2}s?(?::/{1,3}|//)|www\.|doi:[ \t]?10\.))",
        )
        .expect("valid start pattern")
    }

    fn starts_by_regex(re: &regex::Regex, s: &str) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut from = 0;
        while let Some(m) = re.find_at(s, from) {
            out.push((m.start(), m.end()));
            from = m.end();
        }
        out
    }

    fn starts_by_hand(s: &str) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut from = 0;
        while let Some((start, end)) = find_start(s, from) {
            out.push((start, end));
            from = end;
        }
        out
    }

    #[test]
    fn url_starts_match_the_regex_they_replace() {
        let re = start_regex();
        for s in [
            "a http://a.org b HTTPS://b c ftp://c d www.d e doi:10.1/x f DOI: 10.2",
            "Accessedhttps://a.org xhttp//no http//yes htps://a hhtttpps:///x hhhttp://a",
            "httpſ://a Httpſ//b tp:/x ttttp://x tpp:x www www. xwww.a _www.a doi:\t10. doi:  10.",
            "http:x http:/ http:////a https:x ftp:/ é https://a ſhttp://a 2http://a",
            "/../.:.:/ h:// t:/ http https: doi:10 doi10. www.www.a",
        ] {
            assert_eq!(starts_by_hand(s), starts_by_regex(&re, s), "{s}");
        }
        // Every string of up to four symbols from an alphabet of the pieces of starts.
        let alphabet = [
            "h", "T", "t", "p", "P", "s", "ſ", ":", "/", ".", " ", "w", "W", "d", "o", "i", "1",
            "0", "f", "_", "é", "\t", "x",
        ];
        let mut strings = vec![String::new()];
        for _ in 0..4 {
            let mut next = Vec::new();
            for s in &strings {
                for a in alphabet {
                    next.push(format!("{s}{a}"));
                }
            }
            strings.extend(next);
            strings.dedup();
        }
        for s in &strings {
            for pad in ["", "http", "doi:1", "www", "hhtt"] {
                let t = format!("{pad}{s}");
                assert_eq!(starts_by_hand(&t), starts_by_regex(&re, &t), "{t:?}");
            }
        }
    }

    #[test]
    fn only_ascii_letters_and_long_s_fold_to_the_letters_of_starts() {
        for letter in ['h', 't', 'p', 's', 'f', 'w', 'd', 'o', 'i'] {
            let re = regex::Regex::new(&format!("(?i)^{letter}$")).expect("valid");
            let folds: Vec<char> = (0..=0x10_FFFFu32)
                .filter_map(char::from_u32)
                .filter(|c| re.is_match(c.encode_utf8(&mut [0; 4])))
                .collect();
            let mut want = vec![letter.to_ascii_uppercase(), letter];
            if letter == 's' {
                want.push('ſ');
            }
            assert_eq!(folds, want, "{letter}");
        }
    }

    #[test]
    fn prose_without_slash_www_or_doi_holds_no_url() {
        assert!(find("Plain prose. With: colons, and dots.").is_empty());
        assert!(find("www").is_empty());
        assert!(!find("see WwW.a.org").is_empty());
        assert!(!find("DOI:10.1/x").is_empty());
        assert!(!find("http:/a.org").is_empty());
        assert_eq!(
            found("visit WWW.A.ORG or doi:10.1000/1."),
            ["WWW.A.ORG", "doi:10.1000/1"]
        );
    }

    #[test]
    fn each_scheme_and_prefix_is_found() {
        assert_eq!(
            found("a http://a.org/x b https://b.org c ftp://c.org/f.txt d www.d.org/e"),
            vec![
                "http://a.org/x",
                "https://b.org",
                "ftp://c.org/f.txt",
                "www.d.org/e"
            ]
        );
        assert_eq!(
            found("See doi:10.1000/182 and https://doi.org/10.1007/978-3-031-05750-2_57-1, p. 3."),
            vec![
                "doi:10.1000/182",
                "https://doi.org/10.1007/978-3-031-05750-2_57-1"
            ]
        );
    }

    #[test]
    fn trailing_punctuation_belongs_to_the_prose() {
        assert_eq!(
            found("https://www.congress.gov/bill/114th-congress/house-bill/757/text."),
            vec!["https://www.congress.gov/bill/114th-congress/house-bill/757/text"]
        );
        for tail in [
            ",", ";", ":", "!", "?", "”", "’", "\"", "'", ").", "”.", ".”", "’,",
        ] {
            let text = format!("x https://a.org/b{tail} y");
            assert_eq!(found(&text), vec!["https://a.org/b"], "tail {tail:?}");
        }
    }

    #[test]
    fn url_inside_parentheses() {
        assert_eq!(found("(see https://a.org/b)"), vec!["https://a.org/b"]);
        assert_eq!(found("(https://a.org/b)."), vec!["https://a.org/b"]);
    }

    #[test]
    fn balanced_brackets_stay_in_the_url() {
        assert_eq!(
            found("https://en.wikipedia.org/wiki/Foo_(bar)"),
            vec!["https://en.wikipedia.org/wiki/Foo_(bar)"]
        );
        assert_eq!(
            found("(see https://en.wikipedia.org/wiki/Foo_(bar))."),
            vec!["https://en.wikipedia.org/wiki/Foo_(bar)"]
        );
    }

    #[test]
    fn url_at_the_very_end_of_the_text() {
        assert_eq!(found("end https://a.org/b"), vec!["https://a.org/b"]);
        assert_eq!(found("https://a.org"), vec!["https://a.org"]);
        assert!(found("https://").is_empty());
        assert!(found("see https:// and www.").is_empty());
    }

    #[test]
    fn queries_escapes_non_ascii_and_fragments_are_kept() {
        for url in [
            "https://carnegieendowment.org/a/2025/06/shift?lang=en",
            "https://www.uscirf.gov/files/2020%20Religious%20Prisoners.pdf",
            "https://ipn.gov.pl/pl/162937%2CRafal.html#:~:text=Wpływ%20na%20etos%20",
            "https://www.hrw.org/world-report/2024/north-korea#:~:text=North%20Korean%20law%20states%20that,between%20January%202023",
            "http://web.archive.org/web/20190614191603/https://www.koreafuture.org/a.pdf",
        ] {
            assert_eq!(found(&format!("x {url}. y")), vec![url]);
        }
    }

    #[test]
    fn spans_point_at_the_url_as_written() {
        let text = "Kim, 2024,https://a.org/b.";
        let u = &urls(text)[0];
        assert_eq!(&text[u.span.range()], "https://a.org/b");
        assert!(u.glued);
        assert!(!urls("Kim, https://a.org")[0].glued);
        assert!(!urls("(https://a.org)")[0].glued);
        assert_eq!(
            urls("See https://example.org.[^1] more")[0].url,
            "https://example.org"
        );
        assert!(!urls("`https://a.org`_")[0].glued);
        assert!(!urls("*https://a.org*")[0].glued);
        assert!(urls("Accessedhttps://a.org")[0].glued);
    }

    #[test]
    fn a_url_split_inside_its_path_is_joined() {
        let text = "Korea Future. http://web.archive.org/web/2019/https://www.koreafuture.org/wp- content/uploads/2019/05/Sex_Slaves.pdf";
        let u = &urls(text)[0];
        assert_eq!(
            u.url,
            "http://web.archive.org/web/2019/https://www.koreafuture.org/wp-content/uploads/2019/05/Sex_Slaves.pdf"
        );
        assert_eq!(u.breaks.len(), 1);
        assert_eq!(&text[u.breaks[0].range()], " ");
        assert!(text[u.span.range()].ends_with("Sex_Slaves.pdf"));
        assert_eq!(
            found("https://a.org/files/\ncontent/uploads/x.pdf"),
            vec!["https://a.org/files/content/uploads/x.pdf"]
        );
    }

    #[test]
    fn a_file_name_after_the_break_is_joined() {
        for (text, joined) in [
            (
                "https://example.org/papers/ terminal-costs-1972.pdf",
                "https://example.org/papers/terminal-costs-1972.pdf",
            ),
            (
                "https://example.org/papers/\nterminal-costs-1972.pdf.",
                "https://example.org/papers/terminal-costs-1972.pdf",
            ),
            (
                "https://example.org/archive/1960/annual report.pdf",
                "https://example.org/archive/1960/annualreport.pdf",
            ),
        ] {
            assert_eq!(found(text), vec![joined], "{text}");
        }
        // Not a file name, or the piece before already ends in one.
        for text in [
            "https://a.org/x/ and then",
            "https://a.org/report.pdf notes.txt",
            "https://a.org see.pdf",
            "https://a.org/x?q=1 file.pdf",
        ] {
            assert!(urls(text)[0].breaks.is_empty(), "{text}");
        }
    }

    #[test]
    fn an_ordinary_next_word_is_not_joined() {
        for text in [
            "https://a.org/x and more",
            "https://a.org/ and then",
            "https://a.org/x and/or that",
            "https://a.org/x 1998/99 figures",
            "https://a.org/x. content/uploads/x.pdf",
            "https://a.org/x https://b.org/y",
            "https://a.org/x-\n\ncontent/y",
            "https://a.org pages/2019/x",
        ] {
            assert!(urls(text)[0].breaks.is_empty(), "{text}");
        }
    }

    #[test]
    fn an_ellipsis_is_left_out_and_recorded() {
        let text = "https://a.org/long-arti… and https://b.org/x...";
        let u = urls(text);
        assert_eq!(u[0].url, "https://a.org/long-arti");
        assert_eq!(&text[u[0].ellipsis.expect("ellipsis").range()], "…");
        assert_eq!(u[1].url, "https://b.org/x");
        assert_eq!(&text[u[1].ellipsis.expect("ellipsis").range()], "...");
        assert!(urls("https://a.org/x.")[0].ellipsis.is_none());
    }

    #[test]
    fn near_miss_schemes_are_found_for_the_rules() {
        assert_eq!(
            found("a http//a.org b https:/b.org c htps://c.org"),
            vec!["http//a.org", "https:/b.org", "htps://c.org"]
        );
        assert!(found("his/her, path//x").is_empty());
    }

    #[test]
    fn www_inside_a_host_or_address_is_not_a_url() {
        assert_eq!(found("mail me@www.a.org"), Vec::<String>::new());
        assert_eq!(found("x.www.a.org"), Vec::<String>::new());
    }

    #[test]
    fn urls_across_stitched_text_map_to_the_file() {
        let mut m = MappedText::contiguous("Kim, 2024,", 10);
        m.push_synthetic("\n");
        m.push("https://a.org/b", 30);
        let mut out = Vec::new();
        extract(&m, UrlOwner::Note(0), &mut out);
        assert_eq!(out[0].span, Span::new(30, 45));
        assert!(!out[0].glued);
    }

    #[test]
    fn pathological_input_does_not_panic() {
        for text in [
            "))))https://a.org/((((",
            "https://…",
            "www.….",
            "doi: 10.",
            "h://",
            "ttp:/ ",
            "https://a.org/x-\u{a0}",
            "https://a.org/x- ",
        ] {
            let _ = urls(text);
        }
        let junk = "https://a.org/x- y/z ".repeat(1000);
        assert_eq!(urls(&junk).len(), 1000);
        let chain = format!("https://a.org/x{}", "- y".repeat(1000));
        assert_eq!(urls(&chain)[0].breaks.len(), 1000);
    }
}
