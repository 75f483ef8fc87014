use super::{declare_rule, url_finding, Context, Rule, RuleInfo};
use crate::diagnostic::{Edit, Finding, Fix};
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Flags a URL glued to the text before it, with no space between (`2024,https://…`).
    ///
    /// ## Why is this bad?
    /// Many renderers and link checkers only see a URL that stands apart from the word before
    /// it; glued, it may not become a link, or it may take the punctuation with it. It is also
    /// the mark of a lost space in a copied citation.
    ///
    /// ## Example
    /// ```text
    /// [2] Parfitt, “Bizarre, brutal and self-obsessed,” The Guardian, 2006,https://www.theguardian.com/world
    /// ```
    ///
    /// ## Use instead
    /// ```text
    /// [2] Parfitt, “Bizarre, brutal and self-obsessed,” The Guardian, 2006, https://www.theguardian.com/world
    /// ```
    pub struct UrlGlued {
        id: "url-glued",
        severity: Warning,
        summary: "a URL glued to the preceding text without a space",
    }
}

impl Rule for UrlGlued {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for url in cx.post.urls.iter().filter(|u| u.glued) {
            out.push(
                url_finding(cx.post, url, "URL glued to the text before it")
                    .label("no space before the URL")
                    .help("add a space before the URL")
                    .fix(Fix::safe(vec![Edit::new(
                        Span::new(url.span.start, url.span.start),
                        " ",
                    )])),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::UrlGlued;
    use crate::rules::test_support::check_text;

    #[test]
    fn flags_a_url_after_a_comma() {
        let found = check_text(&UrlGlued, "A.[1]\n\n[1] Kim, BBC, 2023,https://a.org/x\n");
        assert_eq!(found, vec!["3:20 URL glued to the text before it"]);
    }

    #[test]
    fn passes_spaced_bracketed_and_wrapped_urls() {
        let text = "A.[1] B.[2] C.[3]\n\n[1] Kim, 2023, https://a.org/x\n[2] Kim (https://a.org/y).\n[3] Kim, 2023,\nhttps://a.org/z\n";
        assert!(check_text(&UrlGlued, text).is_empty());
    }
}
