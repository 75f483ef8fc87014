use super::{declare_rule, Context, Rule, RuleInfo};
use crate::bib::{compare_names, NameAgreement};
use crate::diagnostic::Finding;
use crate::identity::{url_key, UrlKey};
use crate::model::{BibEntry, MatchEvidence, Source};
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Flags a note and its bibliography entry that disagree on the first author's name, the
    /// year, or the URL; the message shows both values. Names are compared as persons' names
    /// in either order (`Kim, Ellen` and `Ellen Kim` agree, as do an initial and the name it
    /// starts); organisations, access dates and URLs cut short are left alone.
    ///
    /// ## Why is this bad?
    /// When the note and the entry differ, at least one is wrong, and a reader who follows
    /// one of them may not find the work.
    ///
    /// ## Example
    /// ```text
    /// Bibliography
    /// Moe, Anna. “Harbour Cranes.” Port Review, May 6, 2021.
    ///
    /// [1] Ana Moe, “Harbour Cranes,” Port Review, May 6, 2022.
    /// ```
    ///
    /// ## Use instead
    /// ```text
    /// Bibliography
    /// Moe, Ana. “Harbour Cranes.” Port Review, May 6, 2021.
    ///
    /// [1] Ana Moe, “Harbour Cranes,” Port Review, May 6, 2021.
    /// ```
    pub struct BibliographyMismatch {
        id: "bibliography-mismatch",
        severity: Warning,
        summary: "a note and its bibliography entry disagree on author, year or URL",
        reads_notes: true,
    }
}

impl Rule for BibliographyMismatch {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let post = cx.post;
        // Sources already compared with an entry, by field, so each difference shows once.
        let mut seen: Vec<(usize, &str)> = Vec::new();
        for source in &post.sources {
            let Some(m) = source.entry else {
                continue;
            };
            let Some(entry) = post.bibliography.get(m.entry) else {
                continue;
            };
            let label = post
                .notes
                .get(source.note)
                .map_or("?", |n| n.label.as_str());
            for (field, note_value, entry_value) in differences(source, entry, m.by) {
                if seen.contains(&(m.entry, field)) {
                    continue;
                }
                seen.push((m.entry, field));
                out.push(
                    Finding::new(
                        value_span(entry, &entry_value),
                        format!(
                            "bibliography entry gives the {field} as “{entry_value}”, note {label} as “{note_value}”"
                        ),
                    )
                    .label(format!("note {label} differs"))
                    .help("check the source and make the note and the entry agree")
                    .note(label.to_string()),
                );
            }
        }
    }
}

/// The fields on which a note's source and its entry disagree: `(field, note, entry)`.
fn differences(
    source: &Source,
    entry: &BibEntry,
    by: MatchEvidence,
) -> Vec<(&'static str, String, String)> {
    let mut out = Vec::new();
    if let (Some(a), Some(b)) = (source.fields.authors.first(), entry.fields.authors.first()) {
        // One name written alike in both is never two people.
        if a != b && compare_names(a, b) == NameAgreement::Differ {
            out.push(("author", a.clone(), b.clone()));
        }
    }
    if let (Some(a), Some(b)) = (source.year, entry.fields.year) {
        if a != b {
            out.push(("year", a.to_string(), b.to_string()));
        }
    }
    // A match by URL has the same URL; otherwise flag only URLs that cannot be one page.
    if by != MatchEvidence::Url {
        let keys =
            |urls: &[String]| -> Vec<UrlKey> { urls.iter().filter_map(|u| url_key(u)).collect() };
        let (a, b) = (keys(&source.fields.urls), keys(&entry.fields.urls));
        let agree = a.iter().any(|x| b.iter().any(|y| x.compatible(y)));
        if let (false, Some(x), Some(y)) =
            (agree, source.fields.urls.first(), entry.fields.urls.first())
        {
            out.push(("URL", x.clone(), y.clone()));
        }
    }
    out
}

/// Where `value` stands in the entry, or the whole entry.
fn value_span(entry: &BibEntry, value: &str) -> Span {
    match entry.text.text.find(value) {
        Some(at) if !value.is_empty() => entry.text.span(at, at + value.len()),
        _ => entry.span,
    }
}

#[cfg(test)]
mod tests {
    use super::BibliographyMismatch;
    use crate::rules::test_support::check_text;

    #[test]
    fn shows_both_names_and_both_years() {
        let text = "A.[1]\n\nBibliography\nMoe, Moe. “Harbour Cranes.” Port Review, May 6, 2021. https://example.org/c\n\n[1] Ana Moe, “Harbour Cranes,” Port Review, May 6, 2022, https://example.org/c.\n";
        assert_eq!(
            check_text(&BibliographyMismatch, text),
            vec![
                "4:1 bibliography entry gives the author as “Moe, Moe”, note 1 as “Ana Moe”",
                "4:49 bibliography entry gives the year as “2021”, note 1 as “2022”",
            ]
        );
    }

    #[test]
    fn name_order_initials_and_access_dates_agree() {
        let text = "A.[1]\n\nBibliography\nMoe, A. “Harbour Cranes.” Port Review, May 6, 2021. Accessed May 1, 2024. https://example.org/c\n\n[1] Ana Moe, “Harbour Cranes,” Port Review, May 6, 2021, https://example.org/c.\n";
        assert!(check_text(&BibliographyMismatch, text).is_empty());
    }
}
