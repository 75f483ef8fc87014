//! Note markers in running text: `[12]`, `[12][13]`, `[12, 13]`, `[12–14]` and superscript
//! digits (`China.¹²`), shared by every parser that reads prose.

use foldhash::HashSet;

use crate::model::{Marker, MarkerKind, Note};
use crate::source::Span;

/// The widest range `[a–b]` expanded into single markers; wider ones keep their two ends.
const MAX_RANGE: u32 = 100;

/// Finds the bracket and superscript markers in `text`, which starts at file offset `base`.
///
/// Linear in `text`: candidates are visited left to right, a bracket is read only up to the
/// first byte that cannot continue it, and the URL look-behind of [`UrlTracker`] scans each
/// byte at most twice however many markers share one token.
pub(crate) fn scan_brackets_and_superscripts(text: &str, base: usize, out: &mut Vec<Marker>) {
    let bytes = text.as_bytes();
    let mut urls = UrlTracker::default();
    // The numbers of one bracket, kept between brackets so that each is read without an
    // allocation of its own.
    let mut items = Vec::new();
    // A superscript digit is `C2 B9`, `C2 B2`, `C2 B3` or `E2 81 Bx`: its `C2` or the `81`
    // after its `E2` is looked for, so that the many other characters starting with `E2`
    // (curly quotes, dashes) are passed over by the search.
    for hit in memchr::memchr3_iter(b'[', 0xC2, 0x81, bytes) {
        let i = match bytes[hit] {
            b'[' => {
                scan_bracket(text, hit, base, &mut urls, &mut items, out);
                continue;
            }
            0xC2 => hit,
            // `81` in some other character, or not after `E2`.
            _ => match hit.checked_sub(1) {
                Some(lead) if bytes[lead] == 0xE2 => lead,
                _ => continue,
            },
        };
        if superscript_digit(text, i).is_some() && !is_superscript_start_blocked(text, i) {
            scan_superscript(text, i, base, out);
        }
    }
}

/// [`scan_brackets_and_superscripts`] as it was first written, looking at every `E2` byte:
/// the reference its search is checked against.
#[cfg(test)]
fn scan_brackets_and_superscripts_reference(text: &str, base: usize, out: &mut Vec<Marker>) {
    let bytes = text.as_bytes();
    let mut urls = UrlTracker::default();
    let mut items = Vec::new();
    for i in memchr::memchr3_iter(b'[', 0xC2, 0xE2, bytes) {
        match bytes[i] {
            b'[' => scan_bracket(text, i, base, &mut urls, &mut items, out),
            _ => {
                if superscript_digit(text, i).is_some() && !is_superscript_start_blocked(text, i) {
                    scan_superscript(text, i, base, out);
                }
            }
        }
    }
}

/// Drops markers that look like years (`[2019]`) unless a note of that number exists.
pub(crate) fn drop_unmatched_years(markers: &mut Vec<Marker>, notes: &[Note]) {
    // Only a marker numbered 1000 or more can go: most posts have none, and no set to build.
    if !markers.iter().any(|m| m.number.is_some_and(|n| n >= 1000)) {
        return;
    }
    // A set of the note numbers, so that many markers against many notes stays linear.
    let numbers: HashSet<u32> = notes.iter().filter_map(|n| n.number).collect();
    markers.retain(|m| match m.number {
        Some(n) if n >= 1000 => numbers.contains(&n),
        _ => true,
    });
}

/// Parses `[…]` at byte `at`: numbers separated by commas, or ranges with a dash.
/// `items` is scratch space for the bracket's numbers.
fn scan_bracket(
    text: &str,
    at: usize,
    base: usize,
    urls: &mut UrlTracker,
    items: &mut Vec<(u32, Option<u32>, usize, usize)>,
    out: &mut Vec<Marker>,
) {
    // `.. [3] text` at the start of a line is a reStructuredText footnote, not a marker.
    if let Some(before) = text[..at].strip_suffix(".. ") {
        let before = before.trim_end_matches([' ', '\t']);
        if before.is_empty() || before.ends_with('\n') {
            return;
        }
    }
    let bytes = text.as_bytes();
    let mut i = at + 1;
    items.clear();
    // The first number is kept apart: most brackets hold one, which then needs no room in
    // `items` (so no allocation).
    let mut head = None;
    loop {
        let start = i;
        let Some((first, next)) = number_at(bytes, i) else {
            return;
        };
        i = next;
        let mut last = None;
        // A range: `-`, `–` (U+2013) or `—` (U+2014), then the second number.
        let dash = match bytes.get(i..) {
            Some([b'-', ..]) => 1,
            Some([0xE2, 0x80, 0x93 | 0x94, ..]) => 3,
            _ => 0,
        };
        if dash > 0 {
            let Some((second, next)) = number_at(bytes, i + dash) else {
                return;
            };
            last = Some(second);
            i = next;
        }
        let item = (first, last, start, i);
        if head.is_none() {
            head = Some(item);
        } else {
            items.push(item);
        }
        match bytes.get(i) {
            Some(b']') => break,
            Some(b',') => {
                i += 1;
                while bytes.get(i) == Some(&b' ') {
                    i += 1;
                }
            }
            _ => return,
        }
    }
    let close = i + 1;
    // `[3](https://…)` is a Markdown link and `[3]:` a link definition, not markers.
    if matches!(bytes.get(close), Some(b'(' | b':')) || urls.inside_url(text, at) {
        return;
    }
    let Some(head) = head else {
        return;
    };
    let whole = Span::new(base + at, base + close);
    let single = items.is_empty() && head.1.is_none();
    for &(first, last, start, end) in std::iter::once(&head).chain(items.iter()) {
        let span = if single {
            whole
        } else {
            Span::new(base + start, base + end)
        };
        match last {
            Some(last) if last > first && last - first <= MAX_RANGE => {
                for n in first..=last {
                    out.push(marker(n, MarkerKind::Bracket, whole));
                }
            }
            Some(last) => {
                out.push(marker(first, MarkerKind::Bracket, span));
                out.push(marker(last, MarkerKind::Bracket, span));
            }
            None => out.push(marker(first, MarkerKind::Bracket, span)),
        }
    }
}

fn marker(n: u32, kind: MarkerKind, span: Span) -> Marker {
    Marker {
        label: n.to_string(),
        number: Some(n),
        kind,
        span,
        target: None,
        id: None,
    }
}

/// A number of one to five digits at `i`, and the index after it.
fn number_at(bytes: &[u8], i: usize) -> Option<(u32, usize)> {
    let len = bytes
        .get(i..)?
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    if !(1..=5).contains(&len) {
        return None;
    }
    // At most five digits: no overflow.
    let n = bytes[i..i + len]
        .iter()
        .fold(0u32, |n, &b| n * 10 + u32::from(b - b'0'));
    (n > 0).then_some((n, i + len))
}

/// Tells whether a bracket sits inside a URL (the token before it, up to white space, `<`, `(`
/// or `"`, is one), for brackets visited left to right in one text.
///
/// It remembers where the current token starts and whether it holds `://` so far, so that
/// each call scans only the bytes since the previous one: `x[1][1]…` on one long line would
/// otherwise rescan the whole line for every marker (quadratic time).
#[derive(Debug, Default)]
struct UrlTracker {
    /// Bytes before this offset have been looked at.
    scanned: usize,
    /// Where the token holding `scanned` starts.
    token_start: usize,
    /// Whether the token holds `://` before `scanned`.
    has_scheme: bool,
}

impl UrlTracker {
    /// Whether byte `at` (a character boundary at or after the previous call's) sits inside
    /// a URL.
    fn inside_url(&mut self, text: &str, at: usize) -> bool {
        let from = self.scanned.min(at);
        let fresh = text.get(from..at).unwrap_or("");
        let delimiter = last_delimiter(fresh);
        // `://` may straddle the previous call's offset: look two bytes back (bytes, so no
        // character boundary is needed).
        let mut scheme_from = from.saturating_sub(2).max(self.token_start);
        if let Some((i, c)) = delimiter {
            // The delimiter's own length: a no-break or thin space is several bytes long.
            self.token_start = from + i + c.len_utf8();
            self.has_scheme = false;
            scheme_from = self.token_start;
        }
        if !self.has_scheme {
            let bytes = text.as_bytes();
            self.has_scheme = bytes.get(scheme_from..at).is_some_and(has_scheme_separator);
        }
        self.scanned = at;
        self.has_scheme
            || text
                .as_bytes()
                .get(self.token_start..at)
                .is_some_and(|t| t.starts_with(b"www."))
    }
}

/// The ASCII bytes that end the token before a marker, one bit each: `\t` to `\r`, space,
/// `<`, `(` and `"`.
const DELIMITERS: u64 = (0b1_1111 << b'\t') | (1 << b' ') | (1 << b'<') | (1 << b'(') | (1 << b'"');

/// The last character of `s` that ends the token before a marker (white space, `<`, `(` or
/// `"`) and where it stands. Read backwards a byte at a time: only a non-ASCII character is
/// decoded, which the words before markers seldom hold.
fn last_delimiter(s: &str) -> Option<(usize, char)> {
    let b = s.as_bytes();
    let mut i = b.len();
    while i > 0 {
        let c = b[i - 1];
        if c.is_ascii() {
            i -= 1;
            // The ASCII characters `char::is_whitespace` accepts, and the three marks: all
            // below 64, so one bit each of a mask.
            if c < 64 && (DELIMITERS >> c) & 1 != 0 {
                return Some((i, char::from(c)));
            }
            continue;
        }
        let ch = s[..i].chars().next_back()?;
        i -= ch.len_utf8();
        if ch.is_whitespace() {
            return Some((i, ch));
        }
    }
    None
}

/// Whether `b` holds `://`: a search for its colons, cheaper on the short stretches between
/// markers than setting up a substring search for each.
fn has_scheme_separator(b: &[u8]) -> bool {
    // The word before a marker is mostly short: a plain look at each place costs less than
    // starting a search.
    if b.len() < 32 {
        return b.windows(3).any(|w| w == b"://");
    }
    memchr::memchr_iter(b':', b).any(|i| b.get(i + 1..i + 3) == Some(b"//"))
}

/// The digit of the superscript character at byte `i`, if it is one.
fn superscript_digit(text: &str, i: usize) -> Option<u32> {
    let c = text.get(i..)?.chars().next()?;
    match c {
        '\u{2070}' => Some(0),
        '\u{00B9}' => Some(1),
        '\u{00B2}' => Some(2),
        '\u{00B3}' => Some(3),
        '\u{2074}'..='\u{2079}' => Some(c as u32 - 0x2070),
        _ => None,
    }
}

/// A superscript run counts only at its start, right after a letter or punctuation.
fn is_superscript_start_blocked(text: &str, i: usize) -> bool {
    match text[..i].chars().next_back() {
        None => true,
        Some(prev) => {
            prev.is_whitespace()
                || prev.is_ascii_digit()
                || superscript_digit(text, i - prev.len_utf8()).is_some()
        }
    }
}

fn scan_superscript(text: &str, at: usize, base: usize, out: &mut Vec<Marker>) {
    let mut n: u32 = 0;
    let mut i = at;
    while let Some(d) = superscript_digit(text, i) {
        n = n.saturating_mul(10).saturating_add(d);
        i += text[i..].chars().next().map_or(1, char::len_utf8);
    }
    // `³⁄₁₆` is a fraction's numerator, not a marker.
    let fraction = text[i..].starts_with(['\u{2044}', '/']);
    if n > 0 && !fraction {
        out.push(marker(
            n,
            MarkerKind::Superscript,
            Span::new(base + at, base + i),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marker_scan_matches_the_scan_of_every_e2_byte() {
        let pieces = [
            "a", " ", "[", "]", "1", "2", "12", ",", "-", "–", "¹", "²", "³", "⁰", "⁴", "⁹", "⁄",
            "/", "“", "”", "—", "\u{a0}", "\u{2041}", "ā", "あ", "é", "http://x", "www.", "(",
            "\n", ".. ", ":",
        ];
        let mut state: u64 = 0x0123_4567_89AB_CDEF;
        for _ in 0..5_000 {
            let mut s = String::new();
            crate::xorshift(&mut state);
            for _ in 0..(state % 40) {
                crate::xorshift(&mut state);
                s.push_str(pieces[(state % pieces.len() as u64) as usize]);
            }
            let (mut got, mut want) = (Vec::new(), Vec::new());
            scan_brackets_and_superscripts(&s, 7, &mut got);
            scan_brackets_and_superscripts_reference(&s, 7, &mut want);
            assert_eq!(got, want, "{s:?}");
        }
    }

    #[test]
    fn delimiter_mask_holds_the_delimiters() {
        for c in 0..=127u8 {
            let want = matches!(c, b'\t'..=b'\r' | b' ' | b'<' | b'(' | b'"');
            assert_eq!(c < 64 && (DELIMITERS >> c) & 1 != 0, want, "{c}");
        }
    }

    #[test]
    fn last_delimiter_matches_a_char_search() {
        let pieces = [
            "a", " ", "\t", "\u{b}", "\u{c}", "\r", "\n", "<", "(", "\"", "é", "\u{a0}", "\u{85}",
            "\u{2009}", "\u{3000}", "\u{1680}", "\u{200b}", "“", "😀", "\u{1c}", "x",
        ];
        let mut state: u64 = 0x5DEE_CE66_D1CE_4E5B;
        for len in 0..4000 {
            let mut s = String::new();
            for _ in 0..(len % 10) {
                crate::xorshift(&mut state);
                s.push_str(pieces[(state % pieces.len() as u64) as usize]);
            }
            let by_chars = s
                .char_indices()
                .rev()
                .find(|&(_, c)| c.is_whitespace() || c == '<' || c == '(' || c == '"');
            assert_eq!(last_delimiter(&s), by_chars, "{s:?}");
        }
    }

    #[test]
    fn has_scheme_separator_finds_it_anywhere() {
        for (b, want) in [
            (&b"https://a"[..], true),
            (b"a:/b://", true),
            (b"://", true),
            (b":/", false),
            (b"a: //", false),
            (b"", false),
            (b"a long word of more than thirty-two bytes ://", true),
            (b"a long word of more than thirty-two bytes :/ /", false),
        ] {
            assert_eq!(has_scheme_separator(b), want);
        }
    }

    fn scan(text: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        scan_brackets_and_superscripts(text, 0, &mut out);
        out.into_iter()
            .map(|m| (m.label, text[m.span.range()].to_string()))
            .collect()
    }

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter().map(|(a, b)| ((*a).into(), (*b).into())).collect()
    }

    #[test]
    fn single_adjacent_and_listed_markers() {
        assert_eq!(scan("a.[12] b"), pairs(&[("12", "[12]")]));
        assert_eq!(scan("x[1][2]"), pairs(&[("1", "[1]"), ("2", "[2]")]));
        assert_eq!(scan("y[12, 13]"), pairs(&[("12", "12"), ("13", "13")]));
        assert_eq!(
            scan("z[12–14]"),
            pairs(&[("12", "[12–14]"), ("13", "[12–14]"), ("14", "[12–14]")])
        );
    }

    #[test]
    fn not_markers() {
        assert!(scan("[sic] [...] [a1] [] [0] [1x]").is_empty());
        assert!(scan("see https://x.org/a[1]/b and www.y.org/[2]").is_empty());
        assert!(scan("[3](https://x.org) [4]: y").is_empty());
        assert!(scan(".. [5] A reference.").is_empty());
        assert!(scan("   .. [5] A reference.").is_empty());
        assert_eq!(scan("See .. [6] here").len(), 1);
    }

    #[test]
    fn superscript_numerators_of_fractions_are_no_markers() {
        let mut out = Vec::new();
        scan_brackets_and_superscripts("a board, thick.³\u{2044}\u{2081}\u{2086}", 0, &mut out);
        assert!(out.is_empty(), "{out:?}");
    }

    #[test]
    fn superscripts_after_words_and_punctuation() {
        assert_eq!(scan("China.¹² Next"), pairs(&[("12", "¹²")]));
        assert_eq!(scan("word³"), pairs(&[("3", "³")]));
        assert!(scan(" ¹ 2³ ⁴").is_empty());
    }

    #[test]
    fn years_need_a_note() {
        let mut markers = Vec::new();
        scan_brackets_and_superscripts("in [2019] and [3]", 0, &mut markers);
        drop_unmatched_years(&mut markers, &[]);
        assert_eq!(markers.len(), 1);
        assert_eq!(markers[0].label, "3");
    }

    #[test]
    fn multi_byte_space_before_a_bracket() {
        // A no-break space right before `[1]` made the URL look-behind slice inside it.
        for space in ['\u{a0}', '\u{2009}', '\u{3000}', '\u{202f}'] {
            let text = format!("a{space}[1] and https://x.org/a{space}[2] www.y.org{space}[3]");
            assert_eq!(
                scan(&text),
                pairs(&[("1", "[1]"), ("2", "[2]"), ("3", "[3]")]),
                "{space:?}"
            );
        }
        assert!(scan("\u{a0}https://x.org/a[1]\u{a0}www.y.org[2]").is_empty());
    }

    #[test]
    fn url_look_behind_spans_several_markers() {
        // The scheme found for one marker still counts for the next in the same token, and a
        // new token forgets it.
        assert!(scan("https://x.org/a[1]b[2]:/[3]").is_empty());
        assert_eq!(scan("ht[1]tp://x[2]"), pairs(&[("1", "[1]")]));
        assert_eq!(scan("https://x.org/[1] y[2]"), pairs(&[("2", "[2]")]));
        assert_eq!(
            scan("see https:/[1]/x.org[2]"),
            pairs(&[("1", "[1]"), ("2", "[2]")])
        );
    }

    #[test]
    fn many_markers_on_one_line() {
        // Quadratic in the line before the look-behind remembered its token: keep it large.
        let text = format!("x{}", "[1]".repeat(200_000));
        let mut out = Vec::new();
        scan_brackets_and_superscripts(&text, 0, &mut out);
        assert_eq!(out.len(), 200_000);
    }

    #[test]
    fn pathological_brackets_do_not_panic() {
        let junk = "[".repeat(10_000) + &"1,".repeat(10_000) + "]]]";
        let _ = scan(&junk);
        let _ = scan("[99999999999999] [1–] [1-99999] ²");
    }
}
