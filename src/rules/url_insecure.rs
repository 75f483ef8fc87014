use super::{declare_rule, url_finding, Context, Rule, RuleInfo};
use crate::diagnostic::Finding;

declare_rule! {
    /// ## What it does
    /// Flags a cited `http://` URL, where the page would normally be served over https. Off by
    /// default: turn it on for publications that want every link secure.
    ///
    /// ## Why is this bad?
    /// A plain-http link can be altered on its way to the reader, and most sites now redirect
    /// it to https anyway; citing the https address avoids both.
    ///
    /// ## Example
    /// ```text
    /// [33] Go, “Not Under Pressure,” Asan Institute, 2020, http://en.asaninst.org/contents/x/
    /// ```
    ///
    /// ## Use instead
    /// ```text
    /// [33] Go, “Not Under Pressure,” Asan Institute, 2020, https://en.asaninst.org/contents/x/
    /// ```
    pub struct UrlInsecure {
        id: "url-insecure",
        severity: Info,
        summary: "an http:// URL where the citation would normally use https",
        enabled_by_default: false,
    }
}

impl Rule for UrlInsecure {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (i, url) in cx.post.urls.iter().enumerate() {
            let Some(rest) = url
                .url
                .get(..7)
                .filter(|s| s.eq_ignore_ascii_case("http://"))
                .map(|_| &url.url[7..])
            else {
                continue;
            };
            // Local and numeric hosts often have no certificate: https is no fix there.
            let Some(read) = cx.read_url(i) else {
                continue;
            };
            let Some(host) = read.domain() else {
                continue;
            };
            if host == "localhost" || host.ends_with(".local") {
                continue;
            }
            out.push(
                url_finding(cx.post, url, "insecure http:// URL")
                    .label("plain http")
                    .help(format!(
                        "cite the https address if the site serves one: https://{rest}"
                    )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::UrlInsecure;
    use crate::rules::test_support::check_text;

    #[test]
    fn flags_http_but_not_https_or_local_hosts() {
        let text = "A.[1]\n\n[1] Go, http://a.org/x; https://b.org/y; http://localhost:8080/z; http://127.0.0.1/\n";
        assert_eq!(
            check_text(&UrlInsecure, text),
            vec!["3:9 insecure http:// URL"]
        );
    }
}
