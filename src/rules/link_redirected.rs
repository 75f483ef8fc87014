use super::{declare_rule, Context, Rule, RuleInfo};
use crate::diagnostic::Finding;
use crate::links::LinkStatus;

declare_rule! {
    /// ## What it does
    /// With `--check-links` (or `notelint links`), notes a cited URL that the server moved
    /// permanently (301 or 308); the help gives the address it moved to.
    ///
    /// ## Why is this bad?
    /// It works today, but a moved page depends on the old site keeping its redirects, which
    /// sites drop when they are rebuilt. Citing the final address lasts longer.
    ///
    /// ## Example
    /// ```text
    /// [1] http://example.org/paper (301 to https://example.org/papers/2020).
    /// ```
    ///
    /// ## Use instead
    /// ```text
    /// [1] https://example.org/papers/2020
    /// ```
    pub struct LinkRedirected {
        id: "link-redirected",
        severity: Info,
        summary: "a cited URL that moved permanently (301, 308); the help gives the new address",
    }
}

impl Rule for LinkRedirected {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (cited, status) in cx.checked_urls() {
            let LinkStatus::Redirected { to, code } = status else {
                continue;
            };
            out.push(
                Finding::new(
                    cited.span,
                    format!("{} has moved permanently ({code})", cited.url),
                )
                .label("moved")
                .help(format!("cite the new address: {to}")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::LinkRedirected;
    use crate::links::LinkStatus;
    use crate::rules::test_support::check_text_with_links;

    #[test]
    fn gives_the_new_address() {
        let found = check_text_with_links(
            &LinkRedirected,
            "A.[1]\n\n[1] http://old.example/p\n",
            &[(
                "http://old.example/p",
                LinkStatus::Redirected {
                    to: "https://new.example/p".into(),
                    code: 301,
                },
            )],
        );
        assert_eq!(
            found,
            vec!["3:5 http://old.example/p has moved permanently (301) [cite the new address: https://new.example/p]"]
        );
    }
}
