use super::{declare_rule, Context, Rule, RuleInfo};
use crate::diagnostic::Finding;

declare_rule! {
    /// ## What it does
    /// Flags a bibliography entry whose first word sorts before the first word of the entry
    /// above it. Letters and digits are compared without case or punctuation, so `“Seeking`
    /// sorts as `seeking`; a word with inner punctuation (`U.S.`, `H.R.3012`) is flagged only
    /// when it is out of order both letter by letter (`us`) and piece by piece (`u s`), as
    /// styles differ on it. Off by default: some styles order entries by date or by kind of
    /// source.
    ///
    /// ## Why is this bad?
    /// Readers look an author up in a bibliography alphabetically; an entry out of order is
    /// easy to miss, and often a sign of one pasted in late.
    ///
    /// ## Example
    /// ```text
    /// Moe, Ana. “Harbour Cranes.” Port Review, 2021.
    /// Lund, Sofia. 2009. Electric City. Stockholm: Ljus.
    /// ```
    ///
    /// ## Use instead
    /// ```text
    /// Lund, Sofia. 2009. Electric City. Stockholm: Ljus.
    /// Moe, Ana. “Harbour Cranes.” Port Review, 2021.
    /// ```
    pub struct BibliographyOrder {
        id: "bibliography-order",
        severity: Info,
        summary: "bibliography entries not in alphabetical order by first word",
        enabled_by_default: false,
    }
}

/// The first word of an entry as sorted: its letters and digits in lower case, runs of them
/// joined by a space.
fn sort_key(text: &str) -> (String, &str) {
    let word = text
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .split_whitespace()
        .next()
        .unwrap_or("");
    let key = word
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ");
    (key, word.trim_end_matches([',', '.', ';', ':']))
}

impl Rule for BibliographyOrder {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let keys: Vec<(String, &str)> = cx
            .post
            .bibliography
            .iter()
            .map(|e| sort_key(&e.text.text))
            .collect();
        for (i, entry) in cx.post.bibliography.iter().enumerate().skip(1) {
            let (key, word) = &keys[i];
            let (prev_key, prev_word) = &keys[i - 1];
            // An entry without a word to sort by says nothing about the order.
            if key.is_empty() || prev_key.is_empty() || key >= prev_key {
                continue;
            }
            // Letter by letter the two may be in order (`Hanawon`, `H.R.3012`).
            if key.replace(' ', "") >= prev_key.replace(' ', "") {
                continue;
            }
            out.push(
                Finding::new(
                    entry.span,
                    format!("bibliography entry “{word}” comes after “{prev_word}”, out of alphabetical order"),
                )
                .label("out of order")
                .help("sort the bibliography alphabetically by the first word of each entry"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{sort_key, BibliographyOrder};
    use crate::rules::test_support::check_text;

    #[test]
    fn flags_an_entry_that_sorts_before_the_one_above() {
        let text = "A.[1]\n\nBibliography\nMoe, Ana. “Harbour Cranes.” Port Review, 2021.\n\nLund, Sofia. 2009. Electric City. Stockholm: Ljus.\n\n[1] Ana Moe, “Harbour Cranes,” Port Review, 2021.\n";
        assert_eq!(
            check_text(&BibliographyOrder, text),
            vec!["6:1 bibliography entry “Lund” comes after “Moe”, out of alphabetical order"]
        );
    }

    #[test]
    fn sort_keys_ignore_quotes_case_and_dots() {
        assert_eq!(sort_key("“Seeking Safer").0, "seeking");
        assert_eq!(sort_key("U.S. Department").0, "u s");
        assert!(sort_key("U.S. Department").0 < sort_key("UN News").0);
    }

    #[test]
    fn dotted_words_in_order_either_way_pass() {
        let text = "A.[1]\n\nBibliography\nHanawon Centre. “Report.” 2020.\n\nH.R.3012 - Act of 2023. (n.d.). Congress.\n\nUN News. “Veto.” 2024.\n\nU.S. Department of State. “Report.” 2023.\n\n[1] “Veto,” UN News, 2024.\n";
        assert!(check_text(&BibliographyOrder, text).is_empty());
    }
}
