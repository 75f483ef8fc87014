//! Splitting a note into its citations: at top-level `;`, with each piece's signal (`See
//! also`) and any commentary before it set apart.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::dates;

/// One citation-sized piece of a note, as byte ranges into the note's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    /// Prose before the citation: `The 2020 report recorded coal trading: `.
    pub commentary: Option<Range<usize>>,
    /// `See`, `See also`, `Cf.` as written.
    pub signal: Option<Range<usize>>,
    /// The citation itself (which may still turn out to be commentary only).
    pub body: Range<usize>,
}

/// A signal opening a citation: what [`signal_match`] reads by hand.
#[cfg(test)]
static SIGNAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(see,? e\.g\.|see for example|see also|but see|see generally|see|cf\.|compare|e\.g\.|accord)(?:\s*[:,])?(?:\s+|$)",
    )
    .expect("valid regex")
});

/// The signals [`SIGNAL`] reads, in the order its alternation tries them.
const SIGNALS: [&[u8]; 11] = [
    b"see, e.g.",
    b"see e.g.",
    b"see for example",
    b"see also",
    b"but see",
    b"see generally",
    b"see",
    b"cf.",
    b"compare",
    b"e.g.",
    b"accord",
];

/// A signal after commentary in the same piece: `…counterfeiting, see Kim, “Title”`.
static INNER_SIGNAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)[,.:]\s+(see also|see|cf\.)(?:\s*[:,])?\s+").expect("valid regex")
});

/// A capitalised signal opening a new citation sentence after an Id.: `Id. See Moe, …`,
/// `Id. at 4, See Lee, …`. Case-sensitive: a lower-case `see` continues the sentence. What
/// [`sentence_signal_start`] reads by hand.
#[cfg(test)]
static SENTENCE_SIGNAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[.,])\s+(?:See|Cf\.|But see|Compare|Accord|E\.g\.)(?:[\s,:]|$)")
        .expect("valid regex")
});

/// The signals [`SENTENCE_SIGNAL`] reads, as written.
const SENTENCE_SIGNALS: [&[u8]; 6] = [b"See", b"Cf.", b"But see", b"Compare", b"Accord", b"E.g."];

/// `Id., citing …`: the authority the Id. source itself cites, as a parenthetical does. What
/// [`citing_match`] reads by hand.
#[cfg(test)]
static CITING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[\s.,]*(citing|quoting)\s+").expect("valid regex"));

/// Words too common to tell prose from a title.
const FUNCTION_WORDS: [&str; 14] = [
    "a", "an", "and", "at", "by", "for", "from", "in", "of", "on", "the", "to", "with", "&",
];

/// Splits `text` into pieces at every `;` outside quotes and brackets. A `;` just inside a
/// closing quote (`“Title;” Next`) also splits, as American punctuation puts it there.
#[must_use]
pub fn split(text: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    split_each(text, |p| pieces.push(p));
    pieces
}

/// [`split`], passing the pieces one by one to `out`, in order.
pub(super) fn split_each(text: &str, mut out: impl FnMut(Piece)) {
    split_read(text, |p, _| out(p));
}

/// What splitting read of a piece's body (trimmed): `Some` when it told whether the body is an
/// Ibid., holding then [`super::ibid_rest`] of it (as a range of the note's text, for it is the
/// end of the body); `None` when it did not read that.
pub(super) type IbidRead = Option<Option<Range<usize>>>;

/// [`split_each`], passing with each piece what splitting read of its body (see [`IbidRead`]).
pub(super) fn split_read(text: &str, mut out: impl FnMut(Piece, IbidRead)) {
    const OPEN: &[u8] = "“".as_bytes();
    const CLOSE: &[u8] = "”".as_bytes();
    let b = text.as_bytes();
    // Only a `;` splits: a note without one (most) is one piece, with no bytes to count.
    if memchr::memchr(b';', b).is_none() {
        push_piece(text, 0..text.len(), &mut out);
        return;
    }
    let mut start = 0;
    let mut depth = 0usize;
    let mut curly = 0usize;
    let mut straight = false;
    // Bytes serve: every character looked at is ASCII or a curly quote, and no byte of
    // another character equals an ASCII one or starts a curly quote.
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'(' | b'[' => depth += 1,
            b')' | b']' => depth = depth.saturating_sub(1),
            0xE2 if b[i..].starts_with(OPEN) => curly += 1,
            0xE2 if b[i..].starts_with(CLOSE) => curly = curly.saturating_sub(1),
            b'"' => straight = !straight,
            b';' => {
                let quoted = curly > 0 || straight;
                let quote_len = if b[i + 1..].starts_with(CLOSE) {
                    CLOSE.len()
                } else if b.get(i + 1) == Some(&b'"') {
                    1
                } else {
                    0
                };
                let closes_quote = quoted
                    && quote_len > 0
                    && text[i + 1 + quote_len..]
                        .chars()
                        .next()
                        .is_none_or(char::is_whitespace);
                if depth == 0 && !quoted {
                    push_piece(text, start..i, &mut out);
                    start = i + 1;
                } else if depth == 0 && closes_quote {
                    push_piece(text, start..i, &mut out);
                    // The quote is taken with the `;`, not counted.
                    start = i + 1 + quote_len;
                    i = start;
                    curly = 0;
                    straight = false;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    push_piece(text, start..text.len(), &mut out);
}

fn push_piece(text: &str, range: Range<usize>, out: &mut impl FnMut(Piece, IbidRead)) {
    let raw = &text[range.clone()];
    let lead = raw.len() - raw.trim_start().len();
    let body_text = raw.trim();
    if body_text.is_empty() {
        return;
    }
    let start = range.start + lead;
    let end = start + body_text.len();
    // `Id. See Moe, …` is two citation sentences: the Id. and a citation of its own.
    let ibid = super::ibid_rest(body_text);
    if let Some(rest) = ibid {
        let rest_at = end - rest.len();
        if let Some(m) = sentence_signal_start(rest) {
            let stop = rest_at + m;
            let keep_period = usize::from(text[stop..].starts_with('.'));
            out(piece(text, start..stop + keep_period), None);
            // Past the `.` or `,` the signal follows; a match at the start of `rest` opens
            // with white space (which may take several bytes), trimmed below.
            let next =
                rest_at + m + usize::from(matches!(text.as_bytes().get(stop), Some(b'.' | b',')));
            let lead = text[next..end].len() - text[next..end].trim_start().len();
            out(piece(text, next + lead..end), None);
            return;
        }
        if let Some((sig, whole)) = citing_match(rest) {
            out(piece(text, start..rest_at), None);
            let cited = Piece {
                commentary: None,
                signal: Some(rest_at + sig.start..rest_at + sig.end),
                body: rest_at + whole..end,
            };
            out(cited, None);
            return;
        }
    }
    // A body that is the whole trimmed piece is what `ibid` was read of.
    let p = piece(text, start..end);
    let read = (p.body == (start..end)).then(|| ibid.map(|rest| end - rest.len()..end));
    out(p, read);
}

/// Sets apart the signal and commentary of the piece at `range`.
fn piece(text: &str, range: Range<usize>) -> Piece {
    let s = &text[range.clone()];
    // The signal is the match less what may follow it (`:`, `,`, white space), which no
    // signal ends with: `find` serves, without captures.
    if let Some(end) = may_open_with_signal(s).then(|| signal_match(s)).flatten() {
        let sig_end = s[..end].trim_end_matches(is_after_signal).len();
        return Piece {
            commentary: None,
            signal: Some(range.start..range.start + sig_end),
            body: range.start + end..range.end,
        };
    }
    // Commentary is prose before the first quotation mark or URL, and prose takes six words:
    // when fewer than six words start before the first of those, there is no commentary to
    // set apart. (Most citations open with a name and a quoted title: few words to count.)
    let head_end = first_quote_or_url(s);
    if sixth_word_start(&s[..head_end]).is_none() {
        return plain_piece(range);
    }
    if let Some(whole) = may_hold_inner_signal(s)
        .then(|| INNER_SIGNAL.find(s))
        .flatten()
    {
        if whole.start() < head_end && is_prose(&s[..whole.start()]) {
            // `, see also: `: one punctuation byte, white space, the signal, what follows it.
            let after_mark = &whole.as_str()[1..];
            let sig_start = whole.start() + 1 + (after_mark.len() - after_mark.trim_start().len());
            let sig_end = whole.start() + whole.as_str().trim_end_matches(is_after_signal).len();
            return Piece {
                commentary: Some(range.start..range.start + whole.start() + 1),
                signal: Some(range.start + sig_start..range.start + sig_end),
                body: range.start + whole.end()..range.end,
            };
        }
    }
    if let Some(colon) = s[..head_end].find(": ") {
        if is_prose(&s[..colon]) {
            let body = colon + 2;
            return Piece {
                commentary: Some(range.start..range.start + colon + 1),
                signal: None,
                body: range.start + body..range.end,
            };
        }
    }
    plain_piece(range)
}

/// How many bytes of `b` a signal written `pat` takes at its start, compared as [`SIGNAL`]
/// compares with case folding: an ASCII letter in either case, and `ſ` (which folds to `s`)
/// for an `s`; no other character folds to a letter of a signal.
fn signal_word_len(b: &[u8], pat: &[u8]) -> Option<usize> {
    let mut i = 0;
    for &p in pat {
        let &c = b.get(i)?;
        if c.eq_ignore_ascii_case(&p) {
            i += 1;
        } else if p == b's' && c == 0xC5 && b.get(i + 1) == Some(&0xBF) {
            i += 2;
        } else {
            return None;
        }
    }
    Some(i)
}

/// The end of the [`SIGNAL`] match that opens `s`, if one does, read by hand: the first
/// signal (in the alternation's order) after which an optional `:` or `,` (after white space)
/// and then white space or the end of `s` follow.
fn signal_match(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    // The optional `\s*[:,]` is tried first; without it, `\s+|$` must follow the signal.
    let after = |p: usize| {
        let q = dates::white_space_end(s, p);
        if matches!(b.get(q), Some(b':' | b',')) {
            let e = dates::white_space_end(s, q + 1);
            if e > q + 1 || q + 1 == b.len() {
                return Some(e);
            }
        }
        (q > p || p == b.len()).then_some(q)
    };
    // Only the signals that start with the first letter are compared (`ſ` reads as `s`).
    let first = match b.first() {
        Some(&0xC5) => b's',
        Some(c) => c.to_ascii_lowercase(),
        None => return None,
    };
    SIGNALS
        .iter()
        .filter(|pat| pat[0] == first)
        .find_map(|pat| signal_word_len(b, pat).and_then(after))
}

/// Where the first [`SENTENCE_SIGNAL`] match of `rest` starts, read by hand: at the start of
/// `rest` or at a `.` or `,`, white space, then a capitalised signal as written followed by
/// white space, `,`, `:` or the end.
fn sentence_signal_start(rest: &str) -> Option<usize> {
    let b = rest.as_bytes();
    // No signal starts with white space: the whole run of it comes before the signal.
    let signal_after = |p: usize| {
        let q = dates::white_space_end(rest, p);
        q > p
            && SENTENCE_SIGNALS.iter().any(|w| {
                b[q..].starts_with(w)
                    && match rest[q + w.len()..].chars().next() {
                        None => true,
                        Some(c) => c.is_whitespace() || c == ',' || c == ':',
                    }
            })
    };
    if signal_after(0) {
        return Some(0);
    }
    memchr::memchr2_iter(b'.', b',', b).find(|&i| signal_after(i + 1))
}

/// The [`CITING`] match that opens `rest`, read by hand: the range of `citing` or `quoting`
/// after white space, periods and commas, and the end of the white space after it.
fn citing_match(rest: &str) -> Option<(Range<usize>, usize)> {
    let b = rest.as_bytes();
    let mut p = 0;
    loop {
        let q = dates::white_space_end(rest, p);
        if matches!(b.get(q), Some(b'.' | b',')) {
            p = q + 1;
        } else {
            p = q;
            break;
        }
    }
    let word = [&b"citing"[..], b"quoting"]
        .into_iter()
        .find(|w| b[p..].starts_with(w))?;
    let end = p + word.len();
    let whole = dates::white_space_end(rest, end);
    (whole > end).then_some((p..end, whole))
}

/// A piece that is all citation.
fn plain_piece(range: Range<usize>) -> Piece {
    Piece {
        commentary: None,
        signal: None,
        body: range,
    }
}

/// Where the sixth word (as `split_whitespace` reads words) of `s` starts, if it has six.
fn sixth_word_start(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut words = 0;
    let mut in_word = false;
    let mut i = 0;
    // Byte by byte over ASCII, a character at a time outside it (which may be white space).
    while let Some(&c) = b.get(i) {
        let (space, len) = if c.is_ascii() {
            (matches!(c, b'\t'..=b'\r' | b' '), 1)
        } else {
            match s.get(i..).and_then(|t| t.chars().next()) {
                Some(ch) => (ch.is_whitespace(), ch.len_utf8()),
                None => return None,
            }
        };
        if space {
            in_word = false;
        } else if !in_word {
            in_word = true;
            words += 1;
            if words == 6 {
                return Some(i);
            }
        }
        i += len;
    }
    None
}

/// What may follow a signal inside a [`SIGNAL`] or [`INNER_SIGNAL`] match: no signal ends
/// with it.
fn is_after_signal(c: char) -> bool {
    c.is_whitespace() || c == ':' || c == ','
}

/// Whether `s` may open with a [`SIGNAL`]: every signal starts with one of these letters (in
/// either case; `ſ` folds to `s`). Most citations start with another and skip the regex.
fn may_open_with_signal(s: &str) -> bool {
    match s.as_bytes().first() {
        Some(b) => b"sScCbBeEaA".contains(b) || s.starts_with('ſ'),
        None => false,
    }
}

/// Whether `s` may hold an [`INNER_SIGNAL`]: `see` and `see also` hold `ee`, `cf.` holds
/// `f.`, in either case. Most citations hold neither and skip the regex.
fn may_hold_inner_signal(s: &str) -> bool {
    s.as_bytes().windows(2).any(|w| {
        (w[0].eq_ignore_ascii_case(&b'e') && w[1].eq_ignore_ascii_case(&b'e'))
            || (w[0].eq_ignore_ascii_case(&b'f') && w[1] == b'.')
    })
}

/// Where the first quotation mark or URL of `s` starts (its length when there is none).
fn first_quote_or_url(s: &str) -> usize {
    let b = s.as_bytes();
    let quote_or_http = memchr::memchr3_iter(b'"', 0xE2, b'h', b).find(|&i| {
        let rest = &b[i..];
        rest.starts_with(b"\"")
            || rest.starts_with("“".as_bytes())
            || rest.starts_with(b"http://")
            || rest.starts_with(b"https://")
    });
    // `www.` matters only before the first quote or `http`: looked for there, by its `w`s,
    // with no substring searcher to build.
    let limit = quote_or_http.map_or(b.len(), |a| a.min(b.len()));
    let www = memchr::memchr_iter(b'w', &b[..limit]).find(|&i| b[i..].starts_with(b"www."));
    match (quote_or_http, www) {
        (Some(a), Some(w)) => a.min(w),
        (Some(a), None) => a,
        (None, Some(w)) => w,
        (None, None) => b.len(),
    }
}

/// Whether `s` reads as a sentence of prose rather than an author or a title: six words or
/// more, over a third of them lower-case words other than articles and prepositions (a report
/// title such as `Annual report of the board established under act 12` stays below that).
#[must_use]
pub fn is_prose(s: &str) -> bool {
    let (mut words, mut lower) = (0usize, 0usize);
    for w in s.split_whitespace() {
        words += 1;
        if w.chars().next().is_some_and(char::is_lowercase)
            && !FUNCTION_WORDS.contains(&w.trim_matches(|c: char| !c.is_alphanumeric()))
        {
            lower += 1;
        }
    }
    words >= 6 && lower >= 3 && lower * 100 >= words * 35
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(text: &str) -> Vec<(Option<&str>, Option<&str>, &str)> {
        split(text)
            .into_iter()
            .map(|p| {
                (
                    p.commentary.map(|r| &text[r]),
                    p.signal.map(|r| &text[r]),
                    &text[p.body],
                )
            })
            .collect()
    }

    #[test]
    fn splits_at_top_level_semicolons_only() {
        let t = "Kim, “A; B,” 2020 (Seoul; Busan); Lee, “C,” 2021.";
        assert_eq!(
            parts(t),
            vec![
                (None, None, "Kim, “A; B,” 2020 (Seoul; Busan)"),
                (None, None, "Lee, “C,” 2021."),
            ]
        );
        assert_eq!(
            parts("Ibid; Ann Berg, “Gulls,” Tern Press, 2020."),
            vec![
                (None, None, "Ibid"),
                (None, None, "Ann Berg, “Gulls,” Tern Press, 2020.")
            ]
        );
    }

    #[test]
    fn id_then_a_capitalised_signal_is_two_citations() {
        assert_eq!(
            parts("Id. See Ann Berg, Gull Law, 12 Tern L. Rev. 40, 44 (2001)."),
            vec![
                (None, None, "Id."),
                (
                    None,
                    Some("See"),
                    "Ann Berg, Gull Law, 12 Tern L. Rev. 40, 44 (2001)."
                )
            ]
        );
        assert_eq!(
            parts("Id. at 9, See Berg, supra note 2, at 41."),
            vec![
                (None, None, "Id. at 9"),
                (None, Some("See"), "Berg, supra note 2, at 41.")
            ]
        );
        // A lower-case `see` stays inside the Id. sentence.
        assert_eq!(parts("Id. at 4, see Berg.").len(), 1);
        // `citing` introduces the authority the Id. source cites.
        assert_eq!(
            parts("Id., citing Ann Berg, Gull Law, 12 Tern L. Rev. 40 (2001)."),
            vec![
                (None, None, "Id."),
                (
                    None,
                    Some("citing"),
                    "Ann Berg, Gull Law, 12 Tern L. Rev. 40 (2001)."
                )
            ]
        );
    }

    #[test]
    fn semicolon_inside_a_closing_quote_splits() {
        let t = "Moe, “Harbour Cranes;” Ann Berg, “Gulls,” 2020.";
        assert_eq!(
            parts(t),
            vec![
                (None, None, "Moe, “Harbour Cranes"),
                (None, None, "Ann Berg, “Gulls,” 2020.")
            ]
        );
    }

    #[test]
    fn signals_and_commentary_are_set_apart() {
        let t = "The 2019 audit found the ledgers were kept twice over: Harbour Board, Annual Report, May 3, 2019, p. 4; see also Ibid, p. 9; See also Moe, “Cranes,” p. 2; Cf. Lee, 4.";
        assert_eq!(
            parts(t),
            vec![
                (
                    Some("The 2019 audit found the ledgers were kept twice over:"),
                    None,
                    "Harbour Board, Annual Report, May 3, 2019, p. 4"
                ),
                (None, Some("see also"), "Ibid, p. 9"),
                (None, Some("See also"), "Moe, “Cranes,” p. 2"),
                (None, Some("Cf."), "Lee, 4."),
            ]
        );
        let t = "The bank was tied to the bureau, see Ana Moe, “Ledgers,” 2020, p. 3; The office was listed for other trades, see ibid, p. 7.";
        assert_eq!(
            parts(t),
            vec![
                (
                    Some("The bank was tied to the bureau,"),
                    Some("see"),
                    "Ana Moe, “Ledgers,” 2020, p. 3"
                ),
                (
                    Some("The office was listed for other trades,"),
                    Some("see"),
                    "ibid, p. 7."
                ),
            ]
        );
        assert_eq!(
            parts("See for example: Ana Moe, “Ledgers,” 2020."),
            vec![(None, Some("See for example"), "Ana Moe, “Ledgers,” 2020.")]
        );
    }

    #[test]
    fn signals_read_without_captures_as_with_them() {
        for s in [
            "See, e.g., Moe, 4",
            "see also: Moe",
            "But see Lee",
            "ſee generally Lee",
            "Cf. Lee",
            "Accord\u{a0}Lee",
            "E.g.,  Lee",
            "Compare",
            "Anna Moe, “Cranes,” 4",
            "The bank was tied to the bureau, see Ana Moe, “Ledgers”",
            "Ledgers kept twice over.  See also:  Moe, p. 4",
            "Trade fell: cf. Lee, 4",
            "Office of the free tree, see",
        ] {
            let want = SIGNAL
                .captures(s)
                .map(|c| (c.get(1).map(|m| m.range()), c.get(0).map(|m| m.end())));
            let got = may_open_with_signal(s)
                .then(|| SIGNAL.find(s))
                .flatten()
                .map(|m| {
                    let end = m.as_str().trim_end_matches(is_after_signal).len();
                    (Some(0..end), Some(m.end()))
                });
            assert_eq!(got, want, "{s}");
            let want = INNER_SIGNAL
                .captures(s)
                .map(|c| c.get(1).map(|m| m.range()));
            let got = may_hold_inner_signal(s)
                .then(|| INNER_SIGNAL.find(s))
                .flatten()
                .map(|m| {
                    let after_mark = &m.as_str()[1..];
                    let start = m.start() + 1 + (after_mark.len() - after_mark.trim_start().len());
                    Some(start..m.start() + m.as_str().trim_end_matches(is_after_signal).len())
                });
            assert_eq!(got, want, "{s}");
        }
    }

    #[test]
    fn ibid_read_in_splitting_is_that_of_the_body() {
        const PARTS: [&str; 14] = [
            "Ibid., 4",
            "Id. See ",
            "Id., citing ",
            "ibidem",
            "; ",
            " ",
            "See ",
            "Moe, “T,” ",
            "Idem",
            "p. 5. ",
            "The ledger there is torn: ",
            "\u{a0}",
            "Cf. Id.",
            ".",
        ];
        // A signal after an Ibid. word and a no-break space: two pieces, the second trimmed.
        let t = "Ibidem\u{a0}See Moe, “T,” 4";
        let bodies: Vec<&str> = split(t).into_iter().map(|p| &t[p.body]).collect();
        assert_eq!(bodies, ["Ibidem", "Moe, “T,” 4"]);
        let mut known = 0;
        for t in crate::texts_of_parts(&PARTS, 0x0f1e_2d3c_4b5a_6978, 20_000, 1, 6) {
            let mut pieces = Vec::new();
            split_read(&t, |p, ibid| {
                if let Some(rest) = ibid {
                    known += 1;
                    let body = t[p.body.clone()].trim();
                    assert_eq!(rest.map(|r| &t[r]), super::super::ibid_rest(body), "{t:?}");
                }
                pieces.push(p);
            });
            assert_eq!(pieces, split(&t), "{t:?}");
        }
        assert!(known > 10_000, "{known}");
    }

    /// The splitting as first written, a character at a time, with every piece read in full:
    /// what the byte-wise reading and its shortcuts must give.
    fn split_by_characters(text: &str) -> Vec<Piece> {
        let mut pieces = Vec::new();
        let push = |range: Range<usize>, out: &mut Vec<Piece>| {
            let mut got = Vec::new();
            push_piece(text, range, &mut |p, _| got.push(p));
            out.extend(got.into_iter().map(|p| full_piece(text, p)));
        };
        let (mut start, mut depth, mut curly, mut straight) = (0, 0usize, 0usize, false);
        let mut chars = text.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            match c {
                '(' | '[' => depth += 1,
                ')' | ']' => depth = depth.saturating_sub(1),
                '“' => curly += 1,
                '”' => curly = curly.saturating_sub(1),
                '"' => straight = !straight,
                ';' => {
                    let quoted = curly > 0 || straight;
                    let closes_quote = quoted
                        && matches!(chars.peek(), Some((_, '”' | '"')))
                        && text[i + 1..].chars().nth(1).is_none_or(char::is_whitespace);
                    if depth == 0 && !quoted {
                        push(start..i, &mut pieces);
                        start = i + 1;
                    } else if depth == 0 && closes_quote {
                        push(start..i, &mut pieces);
                        if let Some((q, quote)) = chars.next() {
                            start = q + quote.len_utf8();
                        }
                        curly = 0;
                        straight = false;
                    }
                }
                _ => {}
            }
        }
        push(start..text.len(), &mut pieces);
        pieces
    }

    /// A piece read again without the six-word shortcut: the commentary forms looked for
    /// whatever the words before the first quotation mark or URL.
    fn full_piece(text: &str, p: Piece) -> Piece {
        if p.commentary.is_some() || p.signal.is_some() {
            return p;
        }
        let range = p.body.clone();
        let s = &text[range.clone()];
        let head_end = first_quote_or_url(s);
        if let Some(whole) = INNER_SIGNAL.find(s) {
            if whole.start() < head_end && is_prose(&s[..whole.start()]) {
                let after_mark = &whole.as_str()[1..];
                let sig_start =
                    whole.start() + 1 + (after_mark.len() - after_mark.trim_start().len());
                let sig_end =
                    whole.start() + whole.as_str().trim_end_matches(is_after_signal).len();
                return Piece {
                    commentary: Some(range.start..range.start + whole.start() + 1),
                    signal: Some(range.start + sig_start..range.start + sig_end),
                    body: range.start + whole.end()..range.end,
                };
            }
        }
        if let Some(colon) = s[..head_end].find(": ") {
            if is_prose(&s[..colon]) {
                return Piece {
                    commentary: Some(range.start..range.start + colon + 1),
                    signal: None,
                    body: range.start + colon + 2..range.end,
                };
            }
        }
        p
    }

    #[test]
    fn split_reads_bytes_as_characters() {
        const PARTS: [&str; 24] = [
            "a",
            "the bank was tied",
            " ",
            ";",
            "; ",
            "“",
            "”",
            "\"",
            "(",
            ")",
            "[",
            "]",
            ": ",
            ", see ",
            "https://a.org/x",
            "www.",
            "Ibid. ",
            "Id. See ",
            "é",
            "–",
            "\u{a0}",
            "Moe, ",
            "cf. ",
            "\n",
        ];
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..40_000 {
            crate::xorshift(&mut state);
            let mut k = state;
            let mut t = String::new();
            for _ in 0..4 + k % 14 {
                k = k.rotate_left(7) ^ 0x2545_f491;
                t.push_str(PARTS[(k % PARTS.len() as u64) as usize]);
                k /= 3;
            }
            assert_eq!(split(&t), split_by_characters(&t), "{t:?}");
            // The first quote or URL, as searching for each form and taking the first finds it.
            let want = ["\"", "“", "http://", "https://", "www."]
                .iter()
                .filter_map(|f| t.find(f))
                .min()
                .unwrap_or(t.len());
            assert_eq!(first_quote_or_url(&t), want, "{t:?}");
        }
    }

    /// [`sixth_word_start`] as first written, a character at a time.
    fn sixth_word_by_characters(s: &str) -> Option<usize> {
        let mut words = 0;
        let mut in_word = false;
        for (i, c) in s.char_indices() {
            if c.is_whitespace() {
                in_word = false;
            } else if !in_word {
                in_word = true;
                words += 1;
                if words == 6 {
                    return Some(i);
                }
            }
        }
        None
    }

    #[test]
    fn hand_read_signals_match_the_regexes() {
        const PARTS: [&str; 40] = [
            "See",
            "see",
            "SEE",
            "ſee",
            "But see",
            "but ſee",
            "See also",
            "see generally",
            "see for example",
            "See, e.g.",
            "see e.g.",
            "E.g.",
            "e.g.",
            "Cf.",
            "cf.",
            "Compare",
            "Accord",
            "accord",
            "citing",
            "quoting",
            "Citing",
            " ",
            "  ",
            "\u{a0}",
            "\u{2003}",
            "\n",
            ",",
            ".",
            ":",
            ";",
            "Moe",
            "x",
            "é",
            "“",
            "Id.",
            "Seeking",
            "also",
            "4",
            "ing",
            "\u{85}",
        ];
        for t in crate::texts_of_parts(&PARTS, 0x1234_5678_9abc_def1, 60_000, 1, 7) {
            assert_eq!(
                signal_match(&t),
                SIGNAL.find(&t).map(|m| m.end()),
                "signal {t:?}"
            );
            assert_eq!(
                sentence_signal_start(&t),
                SENTENCE_SIGNAL.find(&t).map(|m| m.start()),
                "sentence signal {t:?}"
            );
            let want = CITING
                .captures(&t)
                .and_then(|c| Some((c.get(1)?.range(), c.get(0)?.end())));
            assert_eq!(citing_match(&t), want, "citing {t:?}");
            assert_eq!(sixth_word_start(&t), sixth_word_by_characters(&t), "{t:?}");
        }
    }

    #[test]
    fn titles_with_colons_are_not_commentary() {
        let t = "H.R. 12 - 99th Congress (2001-2002): Harbour Act of 2001. (n.d.). https://x.example.org";
        assert_eq!(parts(t), vec![(None, None, t)]);
        assert_eq!(
            parts("Seeking Shells: A Study, 2020."),
            vec![(None, None, "Seeking Shells: A Study, 2020.")]
        );
        assert!(parts("").is_empty());
        assert!(parts(" ; ;").is_empty());
    }
}
