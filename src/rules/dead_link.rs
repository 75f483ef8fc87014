use super::{declare_rule, Context, Rule, RuleInfo};
use crate::diagnostic::Finding;
use crate::links::LinkStatus;

declare_rule! {
    /// ## What it does
    /// With `--check-links` (or `notelint links`), flags a cited URL whose page is gone: the
    /// server answered 404 or 410, the host name does not exist, the connection was refused,
    /// or TLS failed. Every place the URL is cited is reported.
    ///
    /// ## Why is this bad?
    /// A citation the reader cannot follow supports nothing. Dead links pile up silently as
    /// sites move; an archived snapshot usually saves the citation.
    ///
    /// ## Example
    /// ```text
    /// [1] Report, https://example.org/2019/report.pdf (answers 404).
    /// ```
    ///
    /// ## Use instead
    /// Cite the page where it lives now, or an archived copy (`--suggest-archive` looks one
    /// up): `https://web.archive.org/web/2019/https://example.org/2019/report.pdf`.
    pub struct DeadLink {
        id: "dead-link",
        severity: Error,
        summary: "a cited URL whose page is gone (404, 410, unknown host, refused, TLS failure)",
    }
}

impl Rule for DeadLink {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (cited, status) in cx.checked_urls() {
            let LinkStatus::Dead { reason, archive } = status else {
                continue;
            };
            let help = match archive {
                Some(snapshot) => format!("cite the archived copy instead: {snapshot}"),
                None => "cite the page where it lives now, or an archived copy".to_string(),
            };
            out.push(
                Finding::new(cited.span, format!("dead link: {} ({reason})", cited.url))
                    .label(reason.clone())
                    .help(help),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::DeadLink;
    use crate::links::LinkStatus;
    use crate::rules::test_support::check_text_with_links;

    #[test]
    fn flags_every_citation_of_a_dead_link() {
        let found = check_text_with_links(
            &DeadLink,
            "A.[1] B.[2]\n\n[1] See https://gone.example/a.\n[2] Again https://gone.example/a\n",
            &[(
                "https://gone.example/a",
                LinkStatus::Dead {
                    reason: "404 Not Found".into(),
                    archive: Some("https://web.archive.org/web/1/x".into()),
                },
            )],
        );
        assert_eq!(
            found,
            vec![
                "3:9 dead link: https://gone.example/a (404 Not Found) [cite the archived copy instead: https://web.archive.org/web/1/x]",
                "4:11 dead link: https://gone.example/a (404 Not Found) [cite the archived copy instead: https://web.archive.org/web/1/x]",
            ]
        );
    }

    #[test]
    fn passes_live_and_unchecked_links() {
        let text = "A.[1]\n\n[1] https://ok.example/\n";
        assert!(
            check_text_with_links(&DeadLink, text, &[("https://ok.example/", LinkStatus::Ok)])
                .is_empty()
        );
        assert!(check_text_with_links(&DeadLink, text, &[]).is_empty());
    }
}
