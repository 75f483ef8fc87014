use super::{declare_rule, url_finding, Context, Rule, RuleInfo};
use crate::diagnostic::{Edit, Finding, Fix};
use crate::identity::is_tracking_param;

declare_rule! {
    /// ## What it does
    /// Flags tracking parameters in a cited URL: `utm_*`, `fbclid`, `gclid`, `msockid` and
    /// their kin, which a site or a search engine adds to record where a click came from.
    ///
    /// ## Why is this bad?
    /// They say nothing about the page, make one source look like several URLs, and tell the
    /// site where every later reader of the citation came from. The help gives the URL without
    /// them.
    ///
    /// ## Example
    /// ```text
    /// [44] “Trump Pardons,” CNBC, 2025, https://www.cnbc.com/2025/03/28/pardon.html?msockid=05e7
    /// ```
    ///
    /// ## Use instead
    /// ```text
    /// [44] “Trump Pardons,” CNBC, 2025, https://www.cnbc.com/2025/03/28/pardon.html
    /// ```
    pub struct UrlTracking {
        id: "url-tracking",
        severity: Info,
        summary: "tracking parameters (utm_*, fbclid, gclid, msockid) in a URL; the help gives the cleaned URL",
    }
}

/// The tracking keys of `url` (the list URL comparisons leave out too, see
/// [`crate::identity::TRACKING_PARAMS`]) and the URL without them, when it has any.
fn clean(url: &str) -> Option<(Vec<&str>, String)> {
    // Most URLs have no query: one byte search answers them.
    memchr::memchr(b'?', url.as_bytes())?;
    let (before_fragment, fragment) = match url.find('#') {
        Some(i) => url.split_at(i),
        None => (url, ""),
    };
    let (base, query) = before_fragment.split_once('?')?;
    let (tracking, kept): (Vec<&str>, Vec<&str>) = query
        .split('&')
        .filter(|p| !p.is_empty())
        .partition(|p| is_tracking_param(p.split('=').next().unwrap_or(p)));
    if tracking.is_empty() {
        return None;
    }
    let keys = tracking
        .iter()
        .map(|p| p.split('=').next().unwrap_or(p))
        .collect();
    let mut cleaned = base.to_string();
    if !kept.is_empty() {
        cleaned.push('?');
        cleaned.push_str(&kept.join("&"));
    }
    cleaned.push_str(fragment);
    Some((keys, cleaned))
}

impl Rule for UrlTracking {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for url in &cx.post.urls {
            let Some((keys, cleaned)) = clean(&url.url) else {
                continue;
            };
            let message = if keys.len() == 1 {
                format!("tracking parameter `{}` in the URL", keys[0])
            } else {
                format!("tracking parameters `{}` in the URL", keys.join("`, `"))
            };
            // Fixed only where the URL is written as read: not across a break (joined first)
            // nor through entities such as `&amp;`.
            let fix = if cx.source.text.get(url.span.range()) == Some(url.url.as_str()) {
                Fix::safe(vec![Edit::new(url.span, cleaned.clone())])
            } else {
                Fix::safe(Vec::new())
            };
            out.push(
                url_finding(cx.post, url, message)
                    .label("tracks the click, not the page")
                    .help(format!("cite the URL without it: {cleaned}"))
                    .fix(fix),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{clean, UrlTracking};
    use crate::rules::test_support::check_text;

    #[test]
    fn cleans_only_tracking_parameters() {
        assert_eq!(
            clean("https://a.org/x?utm_source=tw&id=3&fbclid=Z#frag"),
            Some((
                vec!["utm_source", "fbclid"],
                "https://a.org/x?id=3#frag".to_string()
            ))
        );
        assert_eq!(
            clean("https://a.org/x.html?msockid=05e7").map(|c| c.1),
            Some("https://a.org/x.html".to_string())
        );
        assert_eq!(clean("https://a.org/x?lang=en"), None);
        assert_eq!(clean("https://a.org/x#utm_source=a"), None);
    }

    #[test]
    fn flags_a_tracked_url() {
        let text = "A.[1]\n\n[1] CNBC, https://a.org/x.html?msockid=05e7.\n";
        assert_eq!(
            check_text(&UrlTracking, text),
            vec!["3:11 tracking parameter `msockid` in the URL"]
        );
    }
}
