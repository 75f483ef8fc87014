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
    // Most citations hold none of the markers: skip the regex.
    if !may_hold_marker(text.as_bytes()) {
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
