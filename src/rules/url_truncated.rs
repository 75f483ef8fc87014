use super::{declare_rule, url_finding, Context, Rule, RuleInfo};
use crate::diagnostic::Finding;

declare_rule! {
    /// ## What it does
    /// Flags a URL cut short: one that ends in an ellipsis (`…` or `...`), as sites and
    /// editors write a URL too long to show.
    ///
    /// ## Why is this bad?
    /// The shortened form is only a display: the address it shows does not exist, so a reader
    /// who copies it gets a missing page.
    ///
    /// ## Example
    /// ```text
    /// [4] Kim, “Escape Routes,” NK News, 2020, https://www.nknews.org/2020/03/escape-rou…
    /// ```
    ///
    /// ## Use instead
    /// ```text
    /// [4] Kim, “Escape Routes,” NK News, 2020, https://www.nknews.org/2020/03/escape-routes/
    /// ```
    pub struct UrlTruncated {
        id: "url-truncated",
        severity: Warning,
        summary: "a URL cut short, ending in an ellipsis",
    }
}

impl Rule for UrlTruncated {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for url in &cx.post.urls {
            let Some(ellipsis) = url.ellipsis else {
                continue;
            };
            let mut finding = url_finding(cx.post, url, "URL cut short by an ellipsis")
                .label("the URL ends in an ellipsis")
                .help("replace it with the full URL from the cited page");
            // Cover the ellipsis too: it is what shows the URL was cut.
            finding.span.end = finding.span.end.max(ellipsis.end);
            out.push(finding);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::UrlTruncated;
    use crate::rules::test_support::check_text;

    #[test]
    fn flags_urls_ending_in_an_ellipsis() {
        let text =
            "A.[1] B.[2]\n\n[1] Kim, https://a.org/escape-rou…\n[2] Kim, https://a.org/x...\n";
        assert_eq!(
            check_text(&UrlTruncated, text),
            vec![
                "3:10 URL cut short by an ellipsis",
                "4:10 URL cut short by an ellipsis"
            ]
        );
    }

    #[test]
    fn passes_a_url_ending_a_sentence() {
        let text = "A.[1]\n\n[1] Kim, https://a.org/escape-routes.\n";
        assert!(check_text(&UrlTruncated, text).is_empty());
    }
}
