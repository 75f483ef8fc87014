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
/// notes without either skip the regex. Both end in `ra`: each `r` or `R` is found with
/// memchr and the byte after it and the two before are then read.
fn may_point(b: &[u8]) -> bool {
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
