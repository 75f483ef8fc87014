use super::{declare_rule, Context, Rule, RuleInfo};
use crate::diagnostic::Finding;
use crate::links::LinkStatus;

declare_rule! {
    /// ## What it does
    /// With `--check-links` (or `notelint links`), flags a cited URL that could not be
    /// confirmed: the server still answered 5xx, timed out or rate-limited after the retries,
    /// answered another client error (such as 403), or redirected in a loop.
    ///
    /// ## Why is this bad?
    /// The page may be fine and the server merely busy or hostile to automated checks, so this
    /// is a warning, not a verdict; but a link that keeps failing is often on its way out.
    ///
    /// ## Example
    /// ```text
    /// [1] Data, https://slow.example/dataset (timed out after 20 s).
    /// ```
    ///
    /// ## Use instead
    /// Open the link by hand. If it works and the site refuses checkers, exclude it with
    /// `--exclude`; if not, cite an archived copy.
    pub struct LinkError {
        id: "link-error",
        severity: Warning,
        summary: "a cited URL that failed to answer after the retries (5xx, timeout, rate limit)",
    }
}

impl Rule for LinkError {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (cited, status) in cx.checked_urls() {
            let LinkStatus::Error { reason } = status else {
                continue;
            };
            out.push(
                Finding::new(
                    cited.span,
                    format!("could not check {}: {reason}", cited.url),
                )
                .label(reason.clone())
                .help("open the link by hand; exclude sites that refuse checkers with --exclude"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::LinkError;
    use crate::links::LinkStatus;
    use crate::rules::test_support::check_text_with_links;

    #[test]
    fn flags_links_that_failed_to_answer() {
        let found = check_text_with_links(
            &LinkError,
            "A.[1]\n\n[1] https://busy.example/x and https://ok.example/\n",
            &[
                (
                    "https://busy.example/x",
                    LinkStatus::Error {
                        reason: "503 Service Unavailable".into(),
                    },
                ),
                ("https://ok.example/", LinkStatus::Ok),
            ],
        );
        assert_eq!(
            found,
            vec!["3:5 could not check https://busy.example/x: 503 Service Unavailable [open the link by hand; exclude sites that refuse checkers with --exclude]"]
        );
    }
}
