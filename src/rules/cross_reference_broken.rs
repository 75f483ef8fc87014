use foldhash::HashMapExt;
use std::sync::LazyLock;

use regex::Regex;

use super::{declare_rule, Context, Rule, RuleInfo};
use crate::diagnostic::Finding;
use crate::model::Note;
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Flags a cross-reference between notes that leads nowhere: `supra note 12` where note
    /// 12 does not exist or does not come before, `infra note 30` where note 30 does not come
    /// after, or `Smith, supra note 12` where note 12 does not name Smith.
    ///
    /// ## Why is this bad?
    /// Legal and scholarly notes cite a source in full once and then point back to that note.
    /// When notes are added, removed or reordered, the numbers in those pointers go stale,
    /// and the reader is sent to the wrong note.
    ///
    /// ## Example
    /// ```text
    /// [1] Ana Moe, Harbour Law, 13 Port L. Rev. 521 (2001).
    /// [2] Lee, supra note 1, at 530.
    /// ```
    ///
    /// ## Use instead
    /// ```text
    /// [2] Moe, supra note 1, at 530.
    /// ```
    pub struct CrossReferenceBroken {
        id: "cross-reference-broken",
        severity: Warning,
        summary: "a supra or infra note reference to a note that is missing, on the wrong side, or names another author",
        reads_notes: true,
    }
}

/// `supra note 12`, `*infra* notes 3–5`, `supra notes 1 and 2`, `supra n. 4`.
static CROSS_REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(supra|infra)[*_]*\s+(?:notes?|nn?\.)\s+(\d{1,4})(?:\s*(?:[-–—]|and|&)\s*(\d{1,4}))?")
        .expect("valid regex")
});

/// What every pointer holds in any case (`upra` or `nfra`, as in `supra`, `Infra`, `SUPRA`):
/// notes without either skip the regex. Both end in `ra`: each `r` or `R` followed by `a` or
/// `A` is found eight bytes at a time (see [`marked`]), and the two bytes before it are then
/// read. A memchr search costs more here, stopping at each of the many `r`s of a short note.
fn may_point(b: &[u8]) -> bool {
    let pointer_at = |at: usize| {
        b.get(at).is_some_and(|r| r | 0x20 == b'r')
            && at >= 2
            && b.get(at + 1).is_some_and(|a| a.eq_ignore_ascii_case(&b'a'))
            && matches!(
                [
                    b[at - 2].to_ascii_lowercase(),
                    b[at - 1].to_ascii_lowercase()
                ],
                [b'u', b'p'] | [b'n', b'f']
            )
    };
    let found_in = |word: [u8; 8], base: usize| {
        // An `r` with an `a` after it in the word, or in the last byte, whose next byte is in
        // the next word. Marks may also fall on other bytes: each is read again.
        let r = marked(word, b'r');
        let mut found = r & ((marked(word, b'a') >> 8) | (0x80 << 56));
        while found != 0 {
            if pointer_at(base + (found.trailing_zeros() / 8) as usize) {
                return true;
            }
            found &= found - 1;
        }
        false
    };
    let mut chunks = b.chunks_exact(8);
    let mut base = 0;
    for chunk in chunks.by_ref() {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        if found_in(word, base) {
            return true;
        }
        base += 8;
    }
    // The last bytes, padded with zeros, which read as no letter.
    let rest = chunks.remainder();
    let mut word = [0u8; 8];
    word[..rest.len()].copy_from_slice(rest);
    found_in(word, base)
}

/// The high bit of each byte of `word` that is the ASCII letter `lower` in either case (the
/// only bytes that read `lower` with their 0x20 bit set), and maybe of bytes just after a
/// marked one (the borrow of the zero-byte test): the caller reads each marked byte again.
fn marked(word: [u8; 8], lower: u8) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let x = (u64::from_le_bytes(word) | (0x20 * ONES)) ^ (u64::from(lower) * ONES);
    x.wrapping_sub(ONES) & !x & (0x80 * ONES)
}

impl Rule for CrossReferenceBroken {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let notes = &cx.post.notes;
        // Note numbers to their place, so each pointer is looked up once; made for the first
        // note that may hold a pointer, as most posts have none.
        let built = std::cell::OnceCell::new();
        let index_of_numbers = || {
            built.get_or_init(|| {
                let mut index = foldhash::HashMap::with_capacity(notes.len());
                for (i, n) in notes.iter().enumerate() {
                    if let Some(number) = n.number {
                        index.entry(number).or_insert(i);
                    }
                }
                index
            })
        };
        for (i, note) in notes.iter().enumerate() {
            let text = &note.text.text;
            // Most notes hold no pointer: skip the regex.
            if !may_point(text.as_bytes()) {
                continue;
            }
            let index = index_of_numbers();
            for caps in CROSS_REFERENCE.captures_iter(text) {
                let (Some(whole), Some(kind)) = (caps.get(0), caps.get(1)) else {
                    continue;
                };
                let supra = kind.as_str().eq_ignore_ascii_case("supra");
                let targets = [caps.get(2), caps.get(3)];
                for number in targets.iter().flatten() {
                    let Ok(n) = number.as_str().parse::<u32>() else {
                        continue;
                    };
                    let span = note.text.span(whole.start(), whole.end());
                    let problem = match index.get(&n) {
                        None => Some(format!("note {n} does not exist in this post")),
                        Some(&t) if supra && t >= i => {
                            Some(format!("note {n} does not come before note {}", note.label))
                        }
                        Some(&t) if !supra && t <= i => {
                            Some(format!("note {n} does not come after note {}", note.label))
                        }
                        Some(&t) => named_elsewhere(text, whole.start(), &notes[t])
                            .map(|name| format!("note {n} does not name {name}")),
                    };
                    if let Some(problem) = problem {
                        let mut f = finding(note, span, kind.as_str(), n, &problem);
                        // The earlier note that does name the author is the likely target.
                        if let Some(name) =
                            problem.strip_prefix(&format!("note {n} does not name "))
                        {
                            let first = name
                                .split_whitespace()
                                .next()
                                .unwrap_or(name)
                                .to_lowercase();
                            if let Some(other) = notes[..i]
                                .iter()
                                .find(|o| o.text.text.to_lowercase().contains(&first))
                            {
                                f = f.help(format!(
                                    "{name} is cited in note {}: `{kind} note {}`",
                                    other.label,
                                    other.label,
                                    kind = kind.as_str()
                                ));
                            }
                        }
                        out.push(f);
                    }
                }
            }
        }
    }
}

fn finding(note: &Note, span: Span, kind: &str, n: u32, problem: &str) -> Finding {
    Finding::new(
        span,
        format!(
            "`{kind} note {n}` in note {} points nowhere: {problem}",
            note.label
        ),
    )
    .label("stale cross-reference")
    .help("renumber the cross-reference to the note that cites the work in full")
    .note(note.label.clone())
}

/// The author named just before a `supra` at `at` (`Moe, supra note 1`), when note `target`
/// does not name them; `None` when it does, or when no name stands there.
fn named_elsewhere(text: &str, at: usize, target: &Note) -> Option<String> {
    let before = text[..at].trim_end();
    let before = before.strip_suffix(',')?;
    // The citation starts after the last `;` or sentence end before it.
    let start = before.rfind([';', '.']).map_or(0, |i| i + 1);
    let name: Vec<&str> = before[start..]
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase) && w.chars().count() >= 3)
        .filter(|w| !matches!(*w, "See" | "Cf" | "But" | "Also" | "Generally"))
        .collect();
    if name.is_empty() {
        return None;
    }
    let target = target.text.text.to_lowercase();
    let named = name.iter().any(|w| target.contains(&w.to_lowercase()));
    (!named).then(|| name.join(" "))
}

#[cfg(test)]
mod tests {
    /// The search for pointers before it read eight bytes at a time.
    fn may_point_by_memchr(b: &[u8]) -> bool {
        memchr::memchr2_iter(b'r', b'R', b).any(|at| {
            at >= 2
                && b.get(at + 1).is_some_and(|a| a.eq_ignore_ascii_case(&b'a'))
                && matches!(
                    [
                        b[at - 2].to_ascii_lowercase(),
                        b[at - 1].to_ascii_lowercase()
                    ],
                    [b'u', b'p'] | [b'n', b'f']
                )
        })
    }

    #[test]
    fn may_point_answers_as_the_memchr_search() {
        let pieces: [&[u8]; 14] = [
            b"r", b"R", b"a", b"A", b"up", b"UP", b"nf", b"Nf", b" ", b"s", b"\x00", b"\x01",
            b"\xf2", b"\x52",
        ];
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        for _ in 0..20_000 {
            let len = usize::try_from(crate::xorshift(&mut state) % 30).unwrap_or(0);
            let mut text = Vec::new();
            for _ in 0..len {
                let k = usize::try_from(crate::xorshift(&mut state) % 14).unwrap_or(0);
                text.extend_from_slice(pieces[k]);
            }
            assert_eq!(
                super::may_point(&text),
                may_point_by_memchr(&text),
                "{text:?}"
            );
        }
    }

    #[test]
    fn may_point_finds_upra_and_nfra_in_any_case() {
        for text in [
            "",
            "ra",
            "upra",
            "nfra",
            "Supra",
            "infra",
            "supra note 3",
            "xra",
            "uprA",
            "ra upra",
            "Library, rara",
            "unfra",
            "p ra",
            "uppra",
            "nfr a",
            "SUPRA",
            "InFrA note",
            "UPR",
            "Ra",
        ] {
            let lower = text.to_ascii_lowercase();
            let want = lower.contains("upra") || lower.contains("nfra");
            assert_eq!(super::may_point(text.as_bytes()), want, "{text:?}");
        }
    }

    use super::CrossReferenceBroken;
    use crate::rules::test_support::check_text;

    #[test]
    fn flags_pointers_to_missing_later_or_other_notes() {
        let text = "A.[1] B.[2] C.[3] D.[4]\n\n[1] Ana Moe, Harbour Law, 13 Port L. Rev. 521 (2001).\n[2] Moe, supra note 1, at 530.\n[3] Lee, supra note 1, at 531; see supra note 9.\n[4] See supra note 4.\n";
        assert_eq!(
            check_text(&CrossReferenceBroken, text),
            vec![
                "5:10 `supra note 1` in note 3 points nowhere: note 1 does not name Lee",
                "5:36 `supra note 9` in note 3 points nowhere: note 9 does not exist in this post",
                "6:9 `supra note 4` in note 4 points nowhere: note 4 does not come before note 4",
            ]
        );
    }

    #[test]
    fn reads_pointers_in_capitals() {
        let text = "A.[1] B.[2]\n\n[1] Ana Moe, Harbour Law, 13 Port L. Rev. 521 (2001).\n[2] Moe, SUPRA note 7, at 530.\n";
        assert_eq!(
            check_text(&CrossReferenceBroken, text),
            vec![
                "4:10 `SUPRA note 7` in note 2 points nowhere: note 7 does not exist in this post"
            ]
        );
    }

    #[test]
    fn passes_good_pointers_both_ways() {
        let text = "A.[1] B.[2] C.[3]\n\n[1] See infra note 3.\n[2] Ana Moe, Harbour Law (Oslo: Elv, 2001), 4.\n[3] Moe, *supra* note 2, at 9; see generally supra notes 1–2.\n";
        assert!(check_text(&CrossReferenceBroken, text).is_empty());
    }
}
