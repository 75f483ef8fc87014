//! Back-references by author: `Smith, op. cit., p. 4.`, `As Smith argued, op. cit., 12.`,
//! `Berg, loc. cit.`, `Berg, supra note 2, at 41.` point to the last full citation of the
//! author they name, not to words of a title.

use std::sync::LazyLock;

use regex::Regex;

/// `op. cit.`, `loc. cit.` or `supra` after the words that name the author.
static BACK_REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?P<pre>[^;]{0,80}?)[\s,]*\b(?:op\.?\s*cit|loc\.?\s*cit|supra)\b\.?,?(?P<rest>.*)$",
    )
    .expect("valid regex")
});

/// Words that start a sentence or a citation without naming anyone.
const NOT_NAMES: [&str; 12] = [
    "As", "See", "Also", "Cf", "But", "Compare", "The", "This", "In", "So", "Thus", "Id",
];

/// The author named before an `op. cit.`, `loc. cit.` or `supra` in `text`, and the text
/// after the marker (the locator). `None` when `text` has no such marker or names no one.
#[must_use]
pub fn back_reference(text: &str) -> Option<(&str, &str)> {
    // Most citations hold none of the markers: skip the regex. A marker opens near the
    // start, so that place is looked at first; the search for `cit` and `supra` anywhere
    // decides as before whether the regex is asked at all.
    let b = text.as_bytes();
    if !may_open_marker(text) || !may_hold_marker(b) {
        return None;
    }
    let caps = BACK_REFERENCE.captures(text)?;
    let pre = caps.name("pre")?.as_str();
    let rest = caps.name("rest").map_or("", |m| m.as_str());
    if pre.split_whitespace().count() > 8 {
        return None;
    }
    let name = pre
        .split(|c: char| c.is_whitespace() || c == ',')
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .rfind(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                && w.chars().count() >= 2
                && !NOT_NAMES.contains(w)
        })?;
    Some((name, rest))
}

/// The last byte at which a [`BACK_REFERENCE`] marker may start in `text`: after at most 80
/// characters (none a `;`) and a run of white space and commas. The 80 characters end at
/// byte 80 plus the continuation bytes before that end: counted up to 80, then over the bytes
/// that adds, until no more are added.
fn marker_start_limit(text: &str) -> usize {
    let b = text.as_bytes();
    if b.len() <= 80 {
        return b.len();
    }
    let mut end = 80;
    let mut continuation = continuation_bytes(&b[..80]);
    while 80 + continuation > end && end < b.len() {
        let next = (80 + continuation).min(b.len());
        continuation += continuation_bytes(&b[end..next]);
        end = next;
    }
    let mut after_80 = end;
    // Inside the 80th character: past it.
    while !text.is_char_boundary(after_80) {
        after_80 += 1;
    }
    let mut p = after_80;
    while let Some(&c) = b.get(p) {
        if c == b',' || c.is_ascii_whitespace() || c == 0x0b {
            p += 1;
        } else if c.is_ascii() {
            break;
        } else {
            match text[p..].chars().next() {
                Some(ch) if ch.is_whitespace() => p += ch.len_utf8(),
                _ => break,
            }
        }
    }
    p
}

/// Whether a [`BACK_REFERENCE`] marker may start in `text`: `op`, `loc`, `sup` (the `s` maybe
/// `ſ`, which case folding reads as one) in any ASCII case, starting no later than
/// [`marker_start_limit`]. Every match of the regex has one; found by the `o` of `op` and
/// `loc` and the `u` of `supra`, eight bytes at a time.
fn may_open_marker(text: &str) -> bool {
    let b = text.as_bytes();
    // A marker starting at the limit has its `o` or `u` up to two bytes after it.
    let end = b.len().min(marker_start_limit(text) + 3);
    let is = |i: usize, w: u8| b.get(i).is_some_and(|&x| x | 0x20 == w);
    let at_hit = |i: usize| {
        if is(i, b'o') {
            (is(i + 1, b'p')) || (i > 0 && is(i - 1, b'l') && is(i + 1, b'c'))
        } else {
            is(i, b'u')
                && i > 0
                && is(i + 1, b'p')
                && (is(i - 1, b's') || (i > 1 && b[i - 2] == 0xC5 && b[i - 1] == 0xBF))
        }
    };
    let head = &b[..end];
    let mut chunks = head.chunks_exact(8);
    for (n, chunk) in chunks.by_ref().enumerate() {
        let word: [u8; 8] = chunk.try_into().unwrap_or([0; 8]);
        let mut hits = o_or_u_bytes(u64::from_le_bytes(word));
        while hits != 0 {
            let i = n * 8 + hits.trailing_zeros() as usize / 8;
            hits &= hits - 1;
            if at_hit(i) {
                return true;
            }
        }
    }
    let rest = chunks.remainder();
    let base = end - rest.len();
    rest.iter()
        .enumerate()
        .any(|(k, &c)| matches!(c | 0x20, b'o' | b'u') && at_hit(base + k))
}

/// How many bytes of `b` continue a UTF-8 character (`10xxxxxx`), eight at a time.
fn continuation_bytes(b: &[u8]) -> usize {
    let mut chunks = b.chunks_exact(8);
    let mut n = 0;
    for chunk in chunks.by_ref() {
        let x = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        // The top bit set and the one below it clear, in each byte.
        n += (x & !(x << 1) & 0x8080_8080_8080_8080).count_ones() as usize;
    }
    n + chunks
        .remainder()
        .iter()
        .filter(|&&c| c & 0xC0 == 0x80)
        .count()
}

/// The high bits of the bytes of `x` that may be an `o` or a `u` in either case (a few others
/// may be flagged; they are compared anyway).
#[inline(always)]
fn o_or_u_bytes(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zeros = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let x = x | 0x2020_2020_2020_2020;
    zeros(x ^ (ONES * u64::from(b'o'))) | zeros(x ^ (ONES * u64::from(b'u')))
}

/// Whether `b` holds `cit` or `supra` in any ASCII case: every [`BACK_REFERENCE`] match does
/// (an `ſ` for the `s` of `supra` aside, which this turns down, as the regex is never asked).
/// Eight bytes at a time, the bytes that may be a `c` or the `u` of `supra` (an ASCII letter
/// in either case once `0x20` is set) are found together, and only those are compared.
fn may_hold_marker(b: &[u8]) -> bool {
    let mut chunks = b.chunks_exact(8);
    for (n, chunk) in chunks.by_ref().enumerate() {
        let word: [u8; 8] = chunk.try_into().unwrap_or([0; 8]);
        let hits = marker_bytes(u64::from_le_bytes(word));
        if hits != (0, 0) && marker_at_hits(b, n * 8, hits) {
            return true;
        }
    }
    let rest = chunks.remainder();
    let mut word = [0u8; 8];
    word[..rest.len()].copy_from_slice(rest);
    let hits = marker_bytes(u64::from_le_bytes(word));
    hits != (0, 0) && marker_at_hits(b, b.len() - rest.len(), hits)
}

/// The high bits of the bytes of `x` (eight bytes of a text) that may be a `c`, and of those
/// that may be a `u`, in either case: none is missed, and a few others may be flagged (they
/// are compared anyway).
#[inline(always)]
fn marker_bytes(x: u64) -> (u64, u64) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zeros = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let x = x | 0x2020_2020_2020_2020;
    (
        zeros(x ^ (ONES * u64::from(b'c'))),
        zeros(x ^ (ONES * u64::from(b'u'))),
    )
}

/// Whether `cit` starts at one of the bytes flagged in `c`, or `supra` has its `u` at one of
/// those flagged in `u` (of the eight from `base`), in any ASCII case.
fn marker_at_hits(b: &[u8], base: usize, (mut c, mut u): (u64, u64)) -> bool {
    // A byte is a given lower-case ASCII letter in either case when it is once `0x20` is set.
    let is = |i: usize, w: u8| b.get(i).is_some_and(|&x| x | 0x20 == w);
    while c != 0 {
        let i = base + c.trailing_zeros() as usize / 8;
        c &= c - 1;
        if is(i, b'c') && is(i + 1, b'i') && is(i + 2, b't') {
            return true;
        }
    }
    while u != 0 {
        let i = base + u.trailing_zeros() as usize / 8;
        u &= u - 1;
        if i > 0
            && is(i - 1, b's')
            && is(i, b'u')
            && is(i + 1, b'p')
            && is(i + 2, b'r')
            && is(i + 3, b'a')
        {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::back_reference;

    /// The search as first written: `cit` by its `c`, `supra` by its `p`.
    fn may_hold_marker_by_memchr(text: &str) -> bool {
        let bytes = text.as_bytes();
        let has = |w: &str, key: usize| {
            let w = w.as_bytes();
            let k = w[key];
            memchr::memchr2_iter(k, k.to_ascii_uppercase(), bytes).any(|i| {
                i.checked_sub(key)
                    .and_then(|at| bytes.get(at..at + w.len()))
                    .is_some_and(|x| x.eq_ignore_ascii_case(w))
            })
        };
        has("cit", 0) || has("supra", 2)
    }

    #[test]
    fn marker_prefilter_reads_as_the_byte_search() {
        const PARTS: [&str; 16] = [
            "c", "C", "i", "I", "t", "T", "s", "S", "u", "U", "p", "r", "a", " ", "é", "ſ",
        ];
        let mut state: u64 = 0x5eed_0f0b_ad5e_ed01;
        for _ in 0..60_000 {
            crate::xorshift(&mut state);
            let mut k = state;
            let mut t = String::new();
            for _ in 0..1 + k % 23 {
                k = k.rotate_left(5) ^ 0x9e37_79b9;
                t.push_str(PARTS[(k % PARTS.len() as u64) as usize]);
            }
            assert_eq!(
                super::may_hold_marker(t.as_bytes()),
                may_hold_marker_by_memchr(&t),
                "{t:?}"
            );
        }
    }

    #[test]
    fn marker_limit_counts_80_characters() {
        for t in [
            "a".repeat(100),
            "é".repeat(100),
            "“x”".repeat(60),
            format!("{}, ,  \u{a0}x", "ab".repeat(40)),
            format!("{}\u{a0}\u{a0},x", "ééé".repeat(30)),
            "x".repeat(50),
        ] {
            let after = t.char_indices().nth(80).map_or(t.len(), |(i, _)| i);
            let run = t[after..]
                .char_indices()
                .find(|&(_, c)| !(c.is_whitespace() || c == ','))
                .map_or(t.len(), |(i, _)| after + i);
            assert_eq!(super::marker_start_limit(&t), run, "{t:?}");
        }
    }

    #[test]
    fn every_back_reference_opens_where_a_marker_may() {
        const PARTS: [&str; 24] = [
            "op",
            "Op.",
            "cit",
            "CIT",
            "loc.",
            "LOC",
            "supra",
            "ſupra",
            "SUPRA",
            " ",
            "  ",
            ",",
            ";",
            "\u{a0}",
            "é",
            "Smith",
            "As Berg argued",
            "o",
            "u",
            "p",
            "l",
            "c",
            "\n",
            "x",
        ];
        let long = "Harbour Board Annual Report on the Coastal Trade and the Census of ";
        let mut state: u64 = 0x0dd_ba11_5eed_7777;
        let mut matched = 0;
        for _ in 0..60_000 {
            crate::xorshift(&mut state);
            let mut k = state;
            let mut t = String::new();
            if state % 3 == 0 {
                t.push_str(long);
            }
            if state % 5 == 0 {
                t.push_str("éééééé");
            }
            for _ in 0..1 + k % 9 {
                k /= 9;
                t.push_str(PARTS[(k % PARTS.len() as u64) as usize]);
                k /= PARTS.len() as u64;
                if k == 0 {
                    k = state.rotate_left(31);
                }
            }
            if super::BACK_REFERENCE.is_match(&t) {
                matched += 1;
                assert!(super::may_open_marker(&t), "{t:?}");
            }
        }
        assert!(matched > 1000, "{matched}");
    }

    #[test]
    fn names_before_op_cit_loc_cit_and_supra() {
        assert_eq!(
            back_reference("Smith, op. cit., p. 4."),
            Some(("Smith", " p. 4."))
        );
        assert_eq!(
            back_reference("As Smith argued, op. cit., 12."),
            Some(("Smith", " 12."))
        );
        assert_eq!(back_reference("Berg, loc. cit."), Some(("Berg", "")));
        assert_eq!(
            back_reference("Berg, supra note 2, at 41."),
            Some(("Berg", " note 2, at 41."))
        );
        assert_eq!(back_reference("Op. cit., 4."), None);
        assert_eq!(
            back_reference("Ana Moe, “Cranes,” Port Review, 2021."),
            None
        );
    }
}
