use foldhash::{HashMap, HashMapExt};

use super::{cited_title, declare_rule, title_set_off, url_finding, Context, Rule, RuleInfo};
use crate::diagnostic::Finding;
use crate::identity::{url_key, TitleKey, UrlKey};
use crate::model::{Post, UrlOwner, UrlRef};

declare_rule! {
    /// ## What it does
    /// Flags one URL cited for two different titles in the same post. URLs compare after
    /// normalisation (scheme, `www.`, letter case of the host, a trailing `/`, the fragment
    /// and tracking parameters aside); titles compare by their words, and a short title
    /// matches the full one it abbreviates.
    ///
    /// ## Why is this bad?
    /// One of the two citations links the wrong page, usually because a URL was copied from a
    /// neighbouring citation, such as last year's edition of a report. Readers who follow the
    /// link for the other title find a different work.
    ///
    /// ## Example
    /// ```text
    /// [9] “2023 Report on Religious Freedom,” 2024, https://www.state.gov/reports/2023-report/
    /// [11] “2022 Report on Religious Freedom,” 2023, https://www.state.gov/reports/2023-report/
    /// ```
    ///
    /// ## Use instead
    /// ```text
    /// [9] “2023 Report on Religious Freedom,” 2024, https://www.state.gov/reports/2023-report/
    /// [11] “2022 Report on Religious Freedom,” 2023, https://www.state.gov/reports/2022-report/
    /// ```
    pub struct DuplicateUrl {
        id: "duplicate-url",
        severity: Warning,
        summary: "one URL cited for two different titles in the same post",
    }
}

impl Rule for DuplicateUrl {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        // Each URL with the title it is cited for, grouped by page; a URL cited many times is
        // parsed once. Sized for every URL at once: growing a map hashes its keys again.
        let n = cx.post.urls.len();
        let mut cited: HashMap<UrlKey, Vec<(&UrlRef, &str)>> = HashMap::with_capacity(n);
        let mut keys: HashMap<&str, Option<UrlKey>> = HashMap::with_capacity(n);
        for url in &cx.post.urls {
            let Some(title) = cited_title(cx.post, url) else {
                continue;
            };
            let key = keys
                .entry(url.url.as_str())
                .or_insert_with(|| url_key(&url.url))
                .clone();
            if let Some(key) = key {
                cited.entry(key).or_default().push((url, title));
            }
        }
        // Only a page cited for titles written differently can be cited for two works.
        let mut groups: Vec<Vec<(&UrlRef, &str, TitleKey)>> = Vec::new();
        for entries in cited.into_values() {
            if entries.iter().all(|(_, t)| *t == entries[0].1) {
                continue;
            }
            let group: Vec<_> = entries
                .into_iter()
                .filter(|(url, title)| set_off(cx.post, url, title))
                .map(|(url, title)| {
                    let tkey = TitleKey::new(title);
                    (url, title, tkey)
                })
                .filter(|(_, _, tkey)| !tkey.is_empty())
                .collect();
            groups.push(group);
        }
        let mut found = Vec::new();
        for group in &groups {
            for (url, _, tkey) in group {
                // The first citation of this URL for another work.
                let Some((other, other_title, _)) =
                    group.iter().find(|(_, _, k)| !k.either_starts_other(tkey))
                else {
                    continue;
                };
                let line = cx.source.line_of(other.span.start);
                found.push(
                    url_finding(
                        cx.post,
                        url,
                        format!("this URL is also cited for “{other_title}” (line {line})"),
                    )
                    .label("cited for two different works")
                    .help("check which work this page is; link the other citation to its own page"),
                );
            }
        }
        // Groups come out of the map in no set order.
        found.sort_by_key(|f| f.span.start);
        out.extend(found);
    }
}

/// Whether the title cited with `url` is set off as a title (see [`title_set_off`]).
fn set_off(post: &Post, url: &UrlRef, title: &str) -> bool {
    let text = match url.owner {
        UrlOwner::Note(i) => post.notes.get(i).map(|n| n.text.text.as_str()),
        UrlOwner::Bibliography(i) => post.bibliography.get(i).map(|e| e.text.text.as_str()),
        UrlOwner::Body(_) => None,
    };
    text.is_some_and(|text| title_set_off(text, title))
}

#[cfg(test)]
mod tests {
    use super::DuplicateUrl;
    use crate::rules::test_support::check_text;

    #[test]
    fn flags_both_citations_of_a_shared_url() {
        let text = "A.[1] B.[2] C.[3]\n\n[1] “2023 Report on Trade”, 2024, https://a.gov/2023-report/\n[2] Ibid.\n[3] “2022 Report on Trade”, 2023, https://a.gov/2023-report/\n";
        assert_eq!(
            check_text(&DuplicateUrl, text),
            vec![
                "3:35 this URL is also cited for “2022 Report on Trade” (line 5)",
                "5:35 this URL is also cited for “2023 Report on Trade” (line 3)"
            ]
        );
    }

    #[test]
    fn passes_one_work_cited_twice() {
        let text = "A.[1] B.[2]\n\n[1] Kim, “Escape Routes,” 2020, https://a.org/x\n[2] Kim, “Escape Routes,” 2020, https://a.org/x/\n";
        assert!(check_text(&DuplicateUrl, text).is_empty());
    }

    #[test]
    fn urls_differing_in_scheme_www_or_tracking_are_one_url() {
        let text = "A.[1] B.[2]\n\n[1] “2023 Report on Trade”, https://www.a.gov/r/?utm_source=x\n[2] “2022 Report on Trade”, http://a.gov/r\n";
        assert_eq!(check_text(&DuplicateUrl, text).len(), 2);
        let text = "A.[1] B.[2]\n\n[1] “2023 Report on Trade”, https://a.gov/r?p=1\n[2] “2022 Report on Trade”, https://a.gov/r?p=2\n";
        assert!(check_text(&DuplicateUrl, text).is_empty());
    }

    #[test]
    fn words_around_a_link_are_no_title() {
        let text = "A.[1] B.[2]\n\n[1] See Table A, available at http://a.gov/t.\n[2] Report, available at http://a.gov/t.\n";
        assert!(check_text(&DuplicateUrl, text).is_empty());
    }
}
