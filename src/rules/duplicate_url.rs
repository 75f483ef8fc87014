use foldhash::{HashMap, HashMapExt};

use super::{declare_rule, key_last_segment, title_set_off, url_finding, Context, Rule, RuleInfo};
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
        // Each URL with the title it is cited for, grouped by page. Two URLs of one page end
        // in the same path segment (see [`key_last_segment`]): that segment is read from the URL
        // as written when it is plain, and the full key, which costs more, is made only for
        // the URLs that share their segment with one cited for another title, or that are not
        // plain.
        let mut entries: Vec<(&UrlRef, &str, Option<&str>)> = Vec::new();
        for (i, url) in cx.post.urls.iter().enumerate() {
            let Some(title) = cx.cited_title(i) else {
                continue;
            };
            let plain = cx.plain_segment(i);
            entries.push((url, title, plain));
        }
        // The keys of the URLs with no plain segment, made first: their segment is read from
        // the key. A URL with no key is cited for no page.
        let keys: Vec<Option<UrlKey>> = entries
            .iter()
            .map(|(url, _, plain)| match plain {
                Some(_) => None,
                None => url_key(&url.url),
            })
            .collect();
        // The URLs of each segment, chained in their order: the first and last of each in the
        // map, the one after each in `next` (no list for each of the many lone URLs).
        let mut by_segment: HashMap<&str, (usize, usize)> = HashMap::with_capacity(entries.len());
        let mut next = vec![usize::MAX; entries.len()];
        for (e, (_, _, plain)) in entries.iter().enumerate() {
            let segment = match (plain, &keys[e]) {
                (Some(segment), _) => *segment,
                (None, Some(key)) => key_last_segment(key.as_str()),
                (None, None) => continue,
            };
            let (_, last) = by_segment.entry(segment).or_insert((e, e));
            if *last != e {
                next[*last] = e;
                *last = e;
            }
        }
        // Only a page cited for titles written differently can be cited for two works. The
        // URLs of one segment are split by their keys, each group in the order of the URLs.
        let mut groups: Vec<Vec<(&UrlRef, &str, TitleKey)>> = Vec::new();
        for (head, last) in by_segment.into_values() {
            if head == last {
                continue;
            }
            let chain = || {
                std::iter::successors(Some(head), |&e| Some(next[e]).filter(|&n| n != usize::MAX))
            };
            // All cited for one title, the usual case: walked without a list.
            let first = entries[head].1;
            if chain().all(|e| entries[e].1 == first) {
                continue;
            }
            let candidates: Vec<usize> = chain().collect();
            let mut cited: HashMap<UrlKey, Vec<(&UrlRef, &str)>> =
                HashMap::with_capacity(candidates.len());
            for e in candidates {
                let (url, title, _) = entries[e];
                let key = match &keys[e] {
                    Some(key) => Some(key.clone()),
                    None => url_key(&url.url),
                };
                if let Some(key) = key {
                    cited.entry(key).or_default().push((url, title));
                }
            }
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
    fn a_plain_url_ends_in_the_segment_its_key_ends_in() {
        let mut urls = crate::identity::awkward_urls();
        urls.extend(
            [
                "www.a.org/x/y/",
                "https://WWW.A.org:443/Report//?utm_source=x&p=1#f",
                "http://a.org/",
                "https://a.org/x?q=a/b",
            ]
            .map(String::from),
        );
        for written in urls {
            let Some(crate::rules::ReadUrl::Plain(plain)) = crate::rules::read_url(&written) else {
                continue;
            };
            let Some(segment) = crate::rules::plain_last_segment(plain.path) else {
                continue;
            };
            let key = crate::identity::url_key(&written).expect("a plain URL has a key");
            assert_eq!(
                crate::rules::key_last_segment(key.as_str()),
                segment,
                "{written:?}"
            );
        }
    }

    #[test]
    fn words_around_a_link_are_no_title() {
        let text = "A.[1] B.[2]\n\n[1] See Table A, available at http://a.gov/t.\n[2] Report, available at http://a.gov/t.\n";
        assert!(check_text(&DuplicateUrl, text).is_empty());
    }
}
