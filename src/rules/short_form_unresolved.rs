use super::{declare_rule, Context, Rule, RuleInfo};
use crate::cite::match_words;
use crate::diagnostic::Finding;
use crate::model::{CitationKind, Resolution};

declare_rule! {
    /// ## What it does
    /// Flags a short form (`Moe, “Cranes,” 4.`, `“Seeking Shells…”`, `Moe, 8.`) that matches no
    /// earlier full citation in the post, nor an entry of the post's bibliography.
    ///
    /// Only notes shaped like a short form are checked: a capitalised name and a comma, or a
    /// quoted title, then a short title or a page, in at most a dozen words, with no year and
    /// no URL. Glosses, remarks and citations in another style are not short forms. A post
    /// with no bibliography, none of whose short forms resolves, is not checked either: its
    /// notes follow some other convention.
    ///
    /// Off by default: on real documents too many notes that are not short forms (tempo
    /// markings, quoted phrases, titles an old book never gives in full) still read as one.
    /// Turn it on with `--rule short-form-unresolved=warning` for posts in Chicago style.
    ///
    /// ## Why is this bad?
    /// A short form abbreviates a citation the reader has already seen in full. When none
    /// came before, the full citation was deleted, moved below, or the short form names the
    /// work differently, and the reader cannot find the source.
    ///
    /// ## Example
    /// ```text
    /// [1] Moe, “Harbour Cranes,” 4.
    /// ```
    ///
    /// ## Use instead
    /// ```text
    /// [1] Ana Moe, “Harbour Cranes,” Port Review, May 6, 2021, 4.
    /// ```
    pub struct ShortFormUnresolved {
        id: "short-form-unresolved",
        severity: Warning,
        summary: "a short form that matches no earlier full citation in the post",
        enabled_by_default: false,
        reads_notes: true,
    }
}

impl Rule for ShortFormUnresolved {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let unmatched = |c: &crate::model::Citation| {
            c.kind == CitationKind::Short && c.resolution == Resolution::Unmatched
        };
        if !cx
            .post
            .notes
            .iter()
            .any(|n| n.citations.iter().any(unmatched))
        {
            return; // every short form found its full citation
        }
        // The post must show that it abbreviates what it gave in full: at least one short
        // form that resolves (or a bibliography to resolve against). Otherwise its notes
        // follow another convention, and a "short form" is more likely a remark.
        let resolved = |c: &crate::model::Citation| {
            c.kind == CitationKind::Short && c.resolution == Resolution::Abbreviated
        };
        if cx.post.bibliography.is_empty()
            && !cx
                .post
                .notes
                .iter()
                .any(|n| n.citations.iter().any(resolved))
        {
            return;
        }
        let entries: Vec<Vec<String>> = cx
            .post
            .bibliography
            .iter()
            .map(|e| match_words(&e.text.text))
            .collect();
        for note in &cx.post.notes {
            for c in &note.citations {
                if !unmatched(c) || !shaped_like_a_short_form(&c.text) {
                    continue;
                }
                // With a bibliography, Chicago style allows short forms from the first note on.
                let words = match_words(&c.text);
                let in_bibliography = entries.iter().any(|e| {
                    let hits = words.iter().filter(|w| e.contains(w)).count();
                    !words.is_empty() && hits * 5 >= words.len() * 4
                });
                if in_bibliography {
                    continue;
                }
                out.push(
                    Finding::new(
                        c.span,
                        format!(
                            "short form in note {} matches no earlier full citation in this post",
                            note.label
                        ),
                    )
                    .label("abbreviates what?")
                    .help("give the source in full where it is first cited")
                    .note(note.label.clone()),
                );
            }
        }
    }
}

/// Capitalised words that open remarks and glosses with a comma, never a surname.
const NOT_NAMES: &[&str] = &[
    "Also",
    "Again",
    "And",
    "As",
    "But",
    "Cf.",
    "Compare",
    "Elsewhere",
    "Here",
    "However",
    "In",
    "Indeed",
    "It",
    "Later",
    "No",
    "Note",
    "Now",
    "On",
    "Or",
    "Perhaps",
    "See",
    "So",
    "Thanks",
    "That",
    "The",
    "Then",
    "These",
    "This",
    "Thus",
    "Today",
    "Translation",
    "Yes",
];

/// Whether a citation reads as a short form: `Moe, “Cranes,” 4.`, `Moe, Cranes, 4.`,
/// `Moe, 8.` or `“Cranes,” 4.` — a capitalised name then a comma, or a quoted title; at most
/// twelve words; no URL and no year (a full citation, or another style, gives those).
fn shaped_like_a_short_form(text: &str) -> bool {
    let text = text.trim();
    if text.split_whitespace().count() > 12 || text.contains("://") || text.contains("www.") {
        return false;
    }
    let has_year = text
        .split(|c: char| !c.is_ascii_digit())
        .any(|d| d.len() == 4 && matches!(d.as_bytes()[0], b'1' | b'2'));
    if has_year {
        return false;
    }
    let mut chars = text.chars();
    match chars.next() {
        Some('“' | '"' | '‘' | '*' | '_') => true,
        Some(c) if c.is_uppercase() => {
            // The name: capitalised words (`Lee and Moe`, `Moe et al.`), then a comma.
            let name_end = text.find(',').unwrap_or(text.len());
            let name = &text[..name_end];
            // `Literally, …`, `However, …`: a remark, not a name.
            let remark = name.ends_with("ly") || NOT_NAMES.contains(&name);
            !remark
                && name_end < text.len()
                && name.split_whitespace().count() <= 4
                && name.split_whitespace().all(|w| {
                    matches!(w, "and" | "&" | "et" | "al." | "al")
                        || w.chars().next().is_some_and(char::is_uppercase)
                })
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::ShortFormUnresolved;
    use crate::rules::test_support::check_text;

    #[test]
    fn flags_a_short_form_without_its_full_citation() {
        let text = "A.[1] B.[2] C.[3]\n\n[1] Ana Moe, “Harbour Cranes,” Port Review, May 6, 2021.\n[2] Moe, “Harbour Cranes,” 4.\n[3] Lee, “Gulls of the Sound,” 8.\n";
        assert_eq!(
            check_text(&ShortFormUnresolved, text),
            vec!["5:5 short form in note 3 matches no earlier full citation in this post"]
        );
    }

    #[test]
    fn a_bibliography_entry_resolves_it() {
        let text = "A.[1]\n\nBibliography\nLee, Bo. “Gulls of the Sound.” Tern Press, 2019.\n\n[1] Lee, “Gulls of the Sound,” 8.\n";
        assert!(check_text(&ShortFormUnresolved, text).is_empty());
    }

    #[test]
    fn glosses_remarks_and_other_styles_are_not_short_forms() {
        use super::shaped_like_a_short_form as short;
        assert!(short("Moe, “Harbour Cranes,” 4."));
        assert!(short("Moe, 8."));
        assert!(short("“Gulls of the Sound,” 8."));
        assert!(short("Lee and Moe, Gulls, 12–14."));
        assert!(!short("Literally, “the salt road.”"));
        assert!(!short("the author's own translation."));
        assert!(!short(
            "Thanks to Ana Moe for reading a draft of this post, and to many others."
        ));
        assert!(!short("A. Author: Title, ePrint 2016."));
        assert!(!short("Moe, Cranes, https://example.org/cranes."));
        assert!(!short("Op. cit."));
    }

    #[test]
    fn a_post_without_full_citations_is_not_checked() {
        let text =
            "A.[1] B.[2]\n\n[1] Moe, “Harbour Cranes,” 4.\n[2] Lee, “Gulls of the Sound,” 8.\n";
        assert!(check_text(&ShortFormUnresolved, text).is_empty());
    }
}
