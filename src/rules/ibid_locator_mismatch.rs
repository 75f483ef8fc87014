use super::{declare_rule, Context, Rule, RuleInfo};
use crate::cite::{note_label, source_label};
use crate::diagnostic::{Edit, Finding, Fix};
use crate::model::{CitationKind, Locator, PageRange, Post};
use crate::short_form::{replacing, shared_by_another, Markup};

declare_rule! {
    /// ## What it does
    /// Flags an "Ibid." whose page locator cannot belong to the source it resolves to: the
    /// source is an article with a known page range (`Sea History 12, no. 2 (2011): 245–71`)
    /// and the pages fall outside it, or the source is a web page without pages while a source
    /// cited shortly before has a page range holding them. A citation's own locator (`p. 3-4`)
    /// is not taken for the extent of the work.
    ///
    /// When such a source is named, `notelint fix --unsafe-fixes` replaces the Ibid. by its
    /// short form with the same locator (the help gives it); not when another source cited
    /// before has a title starting with the same words.
    ///
    /// ## Why is this bad?
    /// This is the trace of notes inserted into an Ibid. chain: the Ibid. still carries the
    /// pages of the article it was written for, but now leans on the inserted source.
    ///
    /// ## Example
    /// ```text
    /// [4] Per Lind, “Tides and Trade,” Sea History 12, no. 2 (2011): 245–71.
    /// [5] “Harbour Fees,” Port News, May 2, 2020, https://port.example.org/fees.
    /// [6] Ibid., 250.
    /// ```
    ///
    /// ## Use instead
    /// ```text
    /// [6] Lind, “Tides and Trade,” 250.
    /// ```
    pub struct IbidLocatorMismatch {
        id: "ibid-locator-mismatch",
        severity: Warning,
        summary: "an \"Ibid.\" whose pages cannot belong to its source but fit one cited shortly before",
        reads_notes: true,
    }
}

impl Rule for IbidLocatorMismatch {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let post = cx.post;
        for (ni, note) in post.notes.iter().enumerate() {
            for c in &note.citations {
                if c.kind != CitationKind::Ibid {
                    continue;
                }
                let (Some(loc), Some(si)) = (&c.fields.locator, c.source) else {
                    continue;
                };
                let Some(source) = post.sources.get(si) else {
                    continue;
                };
                if loc.pages.is_empty() {
                    continue;
                }
                // The cheap tests first: most Ibid. notes end here without looking back.
                match &source.fields.extent {
                    Some(extent) if holds(extent, loc) => continue,
                    None if source.fields.urls.is_empty() => continue,
                    _ => {}
                }
                let candidate = earlier_source_holding(post, ni, si, loc);
                // Written only for a finding: most candidates pass.
                let resolved = || {
                    format!(
                        "Ibid. resolves to {} (note {})",
                        source_label(source),
                        note_label(post, source.note)
                    )
                };
                // The short form of the source the pages belong to, when one is named.
                let mut repair = None;
                let message = match (&source.fields.extent, candidate) {
                    (Some(extent), _) if holds(extent, loc) => continue,
                    // Without pages of its own, only a web page is known not to hold them.
                    (None, _) if source.fields.urls.is_empty() => continue,
                    (None, None) => continue,
                    (_, Some((ci, extent))) => {
                        let Some(other) = post.sources.get(ci) else {
                            continue;
                        };
                        let before = post.sources.partition_point(|s| s.note < ni);
                        repair = post
                            .sources
                            .get(..before)
                            .filter(|earlier| !shared_by_another(earlier, other))
                            .and_then(|_| {
                                replacing(&cx.source.text, c, other, Markup::of(cx.format))
                            });
                        let single = matches!(loc.pages.as_slice(), [p] if p.first == p.last);
                        format!(
                            "{}, but {} {} in {} (note {}, {}): {}",
                            resolved(),
                            loc.text,
                            if single { "lies" } else { "lie" },
                            source_label(other),
                            note_label(post, other.note),
                            extent.text,
                            chain_story(post, ni, si, ci)
                        )
                    }
                    (Some(extent), None) => format!(
                        "{}, whose pages are {}, but the locator is {}",
                        resolved(),
                        extent.text,
                        loc.text
                    ),
                };
                let mut finding = Finding::new(c.span, message)
                    .label("pages of another source")
                    .note(note.label.clone());
                finding = match repair {
                    // Unsafe: the pages make the source likely, not certain.
                    Some((span, short)) => finding
                        .help(format!(
                            "replace “Ibid.” with the short form of the source these pages belong to: {short}"
                        ))
                        .fix(Fix::unsafe_(vec![Edit::new(span, short)])),
                    None => finding.help(
                        "replace “Ibid.” with the short form of the source these pages belong to",
                    ),
                };
                out.push(finding);
            }
        }
    }
}

fn holds(extent: &PageRange, loc: &Locator) -> bool {
    loc.pages.iter().all(|p| extent.holds(p))
}

/// How many notes back a source that holds an Ibid.'s pages is looked for: the rule is about
/// a source cited shortly before, and an unbounded look-back would make a long Ibid. chain
/// quadratic. The worst case is this many notes (times their citations) per Ibid.
const MAX_LOOK_BACK: usize = 100;

/// The source other than `resolved` cited nearest before note `ni` (at most
/// [`MAX_LOOK_BACK`] notes back) whose page range holds every page of `loc`.
fn earlier_source_holding<'a>(
    post: &'a Post,
    ni: usize,
    resolved: usize,
    loc: &Locator,
) -> Option<(usize, &'a PageRange)> {
    let end = ni.min(post.notes.len());
    post.notes[end.saturating_sub(MAX_LOOK_BACK)..end]
        .iter()
        .rev()
        .flat_map(|n| n.citations.iter().rev())
        .filter_map(|c| c.source)
        .filter(|&s| s != resolved)
        .find_map(|s| {
            let extent = post.sources.get(s)?.fields.extent.as_ref()?;
            holds(extent, loc).then_some((s, extent))
        })
}

/// What probably happened: the notes since the chain's source was cited, when the source the
/// pages belong to came right before them.
fn chain_story(post: &Post, ni: usize, resolved: usize, fitting: usize) -> String {
    let cites = |j: usize, s: usize| {
        post.notes
            .get(j)
            .is_some_and(|n| n.citations.iter().any(|c| c.source == Some(s)))
    };
    let Some(mut end) = ni.checked_sub(1) else {
        return String::new();
    };
    let mut start = end;
    // Bounded like the look-back above, so that many findings in one long chain stay linear.
    let floor = ni.saturating_sub(MAX_LOOK_BACK);
    while start > floor && cites(start - 1, resolved) {
        start -= 1;
    }
    // Earlier Ibid. notes of the same broken chain are not part of the insertion.
    let fits = |j: usize| {
        post.notes.get(j).is_some_and(|n| {
            n.citations.first().is_some_and(|c| {
                c.kind == CitationKind::Ibid
                    && c.fields.locator.as_ref().is_some_and(|l| {
                        post.sources
                            .get(fitting)
                            .and_then(|s| s.fields.extent.as_ref())
                            .is_some_and(|e| holds(e, l))
                    })
            })
        })
    };
    while end > start && fits(end) {
        end -= 1;
    }
    if start > 0 && cites(start - 1, fitting) {
        let (a, b) = (note_label(post, start), note_label(post, end));
        if start == end {
            format!("note {a} was probably inserted into an Ibid. chain")
        } else {
            format!("notes {a}–{b} were probably inserted into an Ibid. chain")
        }
    } else {
        "the Ibid. chain was probably broken by a moved or inserted note".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::IbidLocatorMismatch;
    use crate::rules::test_support::check_text;

    const INSERTED: &str = "A.[1] B.[2] C.[3] D.[4] E.[5] F.[6]\n\n\
        [1] Per Lind, “Tides and Trade: A Study,” Sea History 12, no. 2 (2011): 245–71.\n\
        [2] Ibid.\n\
        [3] “Harbour Fees,” Port News, May 2, 2020, https://port.example.org/fees.\n\
        [4] Ibid.\n\
        [5] Ibid., 250.\n\
        [6] Ibid., 251-252.\n";

    #[test]
    fn pages_of_an_article_after_inserted_web_notes() {
        assert_eq!(
            check_text(&IbidLocatorMismatch, INSERTED),
            vec![
                "7:5 Ibid. resolves to “Harbour Fees” (note 3), but 250 lies in Lind, “Tides and Trade” (note 1, 245–71): notes 3–4 were probably inserted into an Ibid. chain",
                "8:5 Ibid. resolves to “Harbour Fees” (note 3), but 251-252 lie in Lind, “Tides and Trade” (note 1, 245–71): notes 3–4 were probably inserted into an Ibid. chain",
            ]
        );
    }

    /// The fixes the rule offers on plain `text`, each as the text it writes in place of what.
    fn fixes(text: &str) -> Vec<String> {
        let source = crate::source::SourceFile::new("t.txt", text);
        let document = crate::analyse::parse(&source, crate::parse::Format::Text);
        let labels = crate::rules::notes_unrecognized::FileLabels::default();
        let inputs = crate::rules::Inputs::default();
        let mut out = Vec::new();
        for post in &document.posts {
            let cx = crate::rules::Context::new(
                &source,
                &document,
                post,
                &inputs,
                crate::parse::Format::Text,
                &labels,
            );
            let mut findings = Vec::new();
            crate::rules::Rule::check(&IbidLocatorMismatch, &cx, &mut findings);
            for f in findings {
                let Some(fix) = f.fix else {
                    out.push("no fix".to_string());
                    continue;
                };
                assert!(!fix.safe, "an Ibid. repair is unsafe");
                let help = f.help.unwrap_or_default();
                for e in fix.edits {
                    assert!(help.ends_with(&e.replacement), "{help}");
                    out.push(format!("{} -> {}", &text[e.span.range()], e.replacement));
                }
            }
        }
        out
    }

    #[test]
    fn the_ibid_is_rewritten_to_the_source_its_pages_belong_to() {
        assert_eq!(
            fixes(INSERTED),
            vec![
                "Ibid., 250. -> Lind, “Tides and Trade,” 250.",
                "Ibid., 251-252. -> Lind, “Tides and Trade,” 251-252.",
            ]
        );
    }

    #[test]
    fn no_fix_without_a_candidate() {
        let text = "A.[1] B.[2]\n\n[1] Per Lind, “Tides,” Sea History 12, no. 2 (2011): 245–71.\n[2] Ibid., 12.\n";
        assert_eq!(fixes(text), vec!["no fix"]);
    }

    #[test]
    fn pages_outside_the_article() {
        let text = "A.[1] B.[2]\n\n[1] Per Lind, “Tides,” Sea History 12, no. 2 (2011): 245–71.\n[2] Ibid., 12.\n";
        assert_eq!(
            check_text(&IbidLocatorMismatch, text),
            vec!["4:5 Ibid. resolves to Lind, “Tides” (note 1), whose pages are 245–71, but the locator is 12"]
        );
    }

    #[test]
    fn a_citations_own_locator_is_not_the_extent() {
        let text = "A.[1] B.[2]\n\n[1] Tom Kay, “Unions,” in The Sea Handbook, ed. Ann Lee (Oslo: Kai, 2024), https://doi.example.org/1, p. 3-4.\n[2] Ibid., p. 10.\n";
        assert!(check_text(&IbidLocatorMismatch, text).is_empty());
        let text = "A.[1] B.[2]\n\n[1] Per Lind, “Tides,” Sea History 12, no. 2 (2011): 245–71.\n[2] Ibid., 250.\n";
        assert!(check_text(&IbidLocatorMismatch, text).is_empty());
    }
}
