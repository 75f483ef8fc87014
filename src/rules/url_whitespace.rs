use super::{declare_rule, url_finding, Context, Rule, RuleInfo};
use crate::diagnostic::Finding;

declare_rule! {
    /// ## What it does
    /// Flags a URL broken in two by a space or a line break, where the text after the break
    /// plainly continues the URL's path (it holds a path of its own, or completes a path
    /// segment cut after `-` or `_`). An ordinary next word is never taken for part of a URL.
    ///
    /// ## Why is this bad?
    /// Copying a page from a PDF or a narrow column often splits long URLs. The link then
    /// stops at the break: a reader who follows it lands on a missing page, and a link checker
    /// tests the wrong address.
    ///
    /// ## Example
    /// ```text
    /// [8] Korea Future, 2019. https://www.koreafuture.org/wp- content/uploads/2019/05/report.pdf
    /// ```
    ///
    /// ## Use instead
    /// ```text
    /// [8] Korea Future, 2019. https://www.koreafuture.org/wp-content/uploads/2019/05/report.pdf
    /// ```
    pub struct UrlWhitespace {
        id: "url-whitespace",
        severity: Error,
        summary: "a URL broken by a space or line break; the help gives the joined URL",
    }
}

impl Rule for UrlWhitespace {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for url in &cx.post.urls {
            let Some(first) = url.breaks.first() else {
                continue;
            };
            let breaks = url.breaks.len();
            let where_ = if cx
                .source
                .text
                .get(first.range())
                .is_some_and(|b| b.contains('\n'))
            {
                "a line break"
            } else {
                "a space"
            };
            let message = if breaks == 1 {
                format!("URL broken by {where_}")
            } else {
                format!("URL broken by white space in {breaks} places")
            };
            out.push(
                url_finding(cx.post, url, message)
                    .label("the URL continues after the break")
                    .help(format!("join the URL: {}", url.url)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::UrlWhitespace;
    use crate::rules::test_support::check_text;

    #[test]
    fn flags_a_url_split_inside_its_path() {
        let found = check_text(
            &UrlWhitespace,
            "A.[1]\n\n[1] Report, 2019. https://a.org/wp- content/uploads/x.pdf\n",
        );
        assert_eq!(found, vec!["3:19 URL broken by a space"]);
    }

    #[test]
    fn flags_a_url_split_across_lines() {
        let found = check_text(
            &UrlWhitespace,
            "A.[1]\n\n[1] Report, 2019. https://a.org/files/\n  content/uploads/x.pdf\n",
        );
        assert_eq!(found, vec!["3:19 URL broken by a line break"]);
    }

    #[test]
    fn passes_a_url_followed_by_a_word() {
        let text = "A.[1]\n\n[1] Report, https://a.org/x and/or https://a.org/y- and\n";
        assert_eq!(check_text(&UrlWhitespace, text).len(), 1);
        let text = "A.[1]\n\n[1] Report, https://a.org/x and more, https://a.org/y/ here.\n";
        assert!(check_text(&UrlWhitespace, text).is_empty());
    }
}
