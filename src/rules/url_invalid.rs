use super::{declare_rule, url_finding, Context, ReadUrl, Rule, RuleInfo};
use crate::diagnostic::Finding;
use crate::identity::find_ascii;
use crate::model::UrlOwner;

declare_rule! {
    /// ## What it does
    /// Flags a URL that cannot work: a misspelt scheme (`htps://`), a scheme without its colon
    /// or with one slash (`http//`, `https:/x`), a host or port the URL standard rejects, a
    /// host with no domain (in a note or bibliography entry), an unfinished `%` escape, or a
    /// `doi:` with no suffix. A URL defanged on purpose (`example[.]com`, `hxxp://`), as
    /// security write-ups do, is left alone.
    ///
    /// ## Why is this bad?
    /// The reader cannot follow the link, and browsers guess differently at what was meant.
    /// Most of these are typos made while pasting; the help says what the URL was probably
    /// meant to be.
    ///
    /// ## Example
    /// ```text
    /// [3] UN, “Universal Declaration of Human Rights,” 1948, htps://www.un.org/en/about-us
    /// ```
    ///
    /// ## Use instead
    /// ```text
    /// [3] UN, “Universal Declaration of Human Rights,” 1948, https://www.un.org/en/about-us
    /// ```
    pub struct UrlInvalid {
        id: "url-invalid",
        severity: Error,
        summary: "a URL that is malformed or cannot work: bad scheme, host, port or % escape",
    }
}

/// What is wrong with a URL, and the fix when one is plain.
struct Problem {
    message: String,
    help: String,
}

/// Whether a URL was made unusable on purpose, as security write-ups do with malicious hosts.
fn defanged(url: &str) -> bool {
    // Every defanged form opens with a bracket: most URLs have none to look further for.
    (memchr::memchr3(b'[', b'(', b'{', url.as_bytes()).is_some()
        && ["[.]", "(.)", "{.}", "[:]", "[://]"]
            .iter()
            .any(|d| url.contains(d)))
        || url.get(..4).is_some_and(|s| s.eq_ignore_ascii_case("hxxp"))
}

/// The first problem found with `url`, if any; `cited` when it stands in a note or
/// bibliography entry rather than in running text (where a one-word host is usually an
/// example such as `http://intranet/`). `read` gives the URL as [`read_url`] reads it, asked
/// for only when the cheaper tests find nothing.
fn problem<'r, 'u: 'r>(
    url: &str,
    cited: bool,
    read: impl FnOnce() -> Option<&'r ReadUrl<'u>>,
) -> Option<Problem> {
    if defanged(url) {
        return None;
    }
    let starts = |prefix: &str| {
        url.as_bytes()
            .get(..prefix.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(prefix.as_bytes()))
    };
    if starts("doi:") {
        let name = url[4..].trim_start();
        let suffix = name.split_once('/').map_or("", |(_, s)| s);
        return suffix.is_empty().then(|| Problem {
            message: format!("DOI `{name}` has no suffix after its prefix"),
            help: "complete the DOI from the cited work: doi:10.NNNN/suffix".to_string(),
        });
    }
    if !starts("www.") {
        if let Some(p) = scheme_problem(url) {
            return Some(p);
        }
    }
    let parsed = match read() {
        Some(parsed) => parsed,
        None => {
            let reason = parse_error(url);
            return Some(Problem {
                message: format!("the URL cannot be parsed: {reason}"),
                help: "correct the address from the cited page".to_string(),
            });
        }
    };
    // The host as written, when it is a domain name: the tests below ignore letter case, and
    // only a message lower-cases it (as `ReadUrl::domain` gives it).
    let host = match parsed {
        ReadUrl::Plain(p) => Some(p.host),
        ReadUrl::Parsed(u) => match u.host() {
            Some(url::Host::Domain(host)) => Some(host),
            _ => None,
        },
    };
    if let Some(host) = host {
        let b = host.as_bytes();
        if memchr::memchr(b'.', b).is_none() && !host.eq_ignore_ascii_case("localhost") && cited {
            return Some(Problem {
                message: format!("host `{}` has no domain", host.to_ascii_lowercase()),
                help: "write the full host name, such as www.example.org".to_string(),
            });
        }
        // A plain host has no empty label (see `Plain`), so no `..`.
        let empty_label = !matches!(parsed, ReadUrl::Plain(_)) && b.windows(2).any(|w| w == b"..");
        if empty_label || b.last() == Some(&b'-') {
            return Some(Problem {
                message: format!("host `{}` is malformed", host.to_ascii_lowercase()),
                help: "correct the host name from the cited page".to_string(),
            });
        }
    }
    if let Some(at) = unfinished_escape(url) {
        return Some(Problem {
            message: format!(
                "unfinished % escape `{}`",
                url[at..].chars().take(3).collect::<String>()
            ),
            help: "a % must be followed by two hexadecimal digits; write a literal % as %25"
                .to_string(),
        });
    }
    None
}

/// A misspelt or misshapen scheme: anything but `http://`, `https://` or `ftp://` exactly.
fn scheme_problem(url: &str) -> Option<Problem> {
    // The usual case, `http://` or `https://` and then no further `/`, is well formed: told
    // by its first bytes, with no search.
    let b = url.as_bytes();
    let scheme_len = if b.len() >= 8 && b[..8].eq_ignore_ascii_case(b"https://") {
        8
    } else if b.len() >= 7 && b[..7].eq_ignore_ascii_case(b"http://") {
        7
    } else {
        0
    };
    if scheme_len > 0 && b.get(scheme_len) != Some(&b'/') {
        return None;
    }
    // The separators are ASCII, found at the same places in the URL as lower-cased.
    let (scheme, after) = if let Some(i) = find_ascii(url, b"://") {
        (&url[..i], i + 3)
    } else if let Some(i) = find_ascii(url, b":/") {
        (&url[..i], i + 2)
    } else {
        let i = find_ascii(url, b"//")?;
        (&url[..i], i + 2)
    };
    let rest = url[after..].trim_start_matches('/');
    let wanted = if scheme.eq_ignore_ascii_case("ftp") {
        "ftp"
    } else if scheme.contains(['s', 'S']) {
        "https"
    } else {
        "http"
    };
    let written = &url[..url.len() - rest.len()];
    let w = written.as_bytes();
    if w.len() == wanted.len() + 3
        && w[..wanted.len()].eq_ignore_ascii_case(wanted.as_bytes())
        && w.ends_with(b"://")
    {
        return None;
    }
    Some(Problem {
        message: format!("malformed scheme `{written}`"),
        help: format!("write {wanted}://{rest}"),
    })
}

/// Why the url crate rejects `url`.
fn parse_error(url: &str) -> String {
    let absolute = if url.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("www.")) {
        format!("http://{url}")
    } else {
        url.to_string()
    };
    url::Url::parse(&absolute)
        .err()
        .map_or_else(|| "not a valid URL".to_string(), |e| e.to_string())
}

/// The byte offset of the first `%` not followed by two hexadecimal digits.
fn unfinished_escape(url: &str) -> Option<usize> {
    memchr::memchr(b'%', url.as_bytes())?;
    let bytes = url.as_bytes();
    bytes.iter().enumerate().find_map(|(i, &b)| {
        let escape_ok = bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
            && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
        (b == b'%' && !escape_ok).then_some(i)
    })
}

impl Rule for UrlInvalid {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        // Whether each URL was found sound and cited: a URL written as an earlier one that was
        // (a note's URL again in the bibliography) is sound too, as the problem found depends
        // on nothing else.
        let mut sound = vec![false; cx.post.urls.len()];
        for (i, url) in cx.post.urls.iter().enumerate() {
            let cited = !matches!(url.owner, UrlOwner::Body(_));
            let first = cx.first_same(i);
            if cited && first < i && sound.get(first).copied().unwrap_or(false) {
                sound[i] = true;
                continue;
            }
            let Some(p) = problem(&url.url, cited, || cx.read_url(i)) else {
                sound[i] = cited;
                continue;
            };
            out.push(
                url_finding(cx.post, url, p.message)
                    .label("this URL cannot work")
                    .help(p.help),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::UrlInvalid;
    use crate::rules::test_support::check_text;

    fn problem(url: &str, cited: bool) -> Option<super::Problem> {
        let read = crate::rules::read_url(url);
        super::problem(url, cited, || read.as_ref())
    }

    fn message(url: &str) -> Option<String> {
        problem(url, true).map(|p| format!("{} / {}", p.message, p.help))
    }

    #[test]
    fn misshapen_schemes() {
        assert_eq!(
            message("http//a.org/x").as_deref(),
            Some("malformed scheme `http//` / write http://a.org/x")
        );
        assert_eq!(
            message("https:/a.org").as_deref(),
            Some("malformed scheme `https:/` / write https://a.org")
        );
        assert_eq!(
            message("htps://a.org").as_deref(),
            Some("malformed scheme `htps://` / write https://a.org")
        );
        assert_eq!(
            message("https:///a.org").as_deref(),
            Some("malformed scheme `https:///` / write https://a.org")
        );
    }

    #[test]
    fn hosts_ports_and_escapes() {
        assert!(message("https://a.org:99999/x")
            .is_some_and(|m| m.starts_with("the URL cannot be parsed: invalid port")));
        assert!(message("https://a.org:8o/x").is_some());
        assert!(message("https://reports/x").is_some_and(|m| m.contains("has no domain")));
        assert!(message("https://a..org/x").is_some_and(|m| m.contains("malformed")));
        assert!(message("https://a.org/50%-off").is_some_and(|m| m.contains("`%-o`")));
        assert!(message("https://a.org/x%2").is_some());
        assert!(message("doi:10.1000").is_some());
    }

    #[test]
    fn valid_urls_pass() {
        for url in [
            "https://a.org/x%20y?q=1#:~:text=a%20b",
            "https://ipn.gov.pl/pl/162937%2CRafal.html#:~:text=Wpływ%20na%20etos%20",
            "http://web.archive.org/web/2019/https://www.a.org/x.pdf",
            "www.a.org/x",
            "ftp://ftp.a.org/f.txt",
            "HTTPS://A.ORG/X",
            "http://localhost:8080/x",
            "doi:10.1000/182",
            "https://en.wikipedia.org/wiki/Foo_(bar)",
        ] {
            assert_eq!(message(url), None, "{url}");
        }
    }

    #[test]
    fn flags_a_note_url() {
        let text = "A.[1]\n\n[1] UN, 1948, htps://www.un.org/x\n";
        assert_eq!(
            check_text(&UrlInvalid, text),
            vec!["3:15 malformed scheme `htps://`"]
        );
    }

    #[test]
    fn a_url_written_again_is_judged_again_only_when_unsound() {
        let text = "A.[1] B.[2]\n\nReferences\nMoe, “Cranes,” 2021, https://a.org/x%zz and https://b.org/y\n\n[1] Moe, “Cranes,” 2021, https://a.org/x%zz\n[2] Moe, “Cranes,” 2021, https://b.org/y\n";
        let found = check_text(&UrlInvalid, text);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found.iter().all(|f| f.contains("unfinished % escape")),
            "{found:?}"
        );
    }

    #[test]
    fn defanged_urls_and_example_hosts_in_prose_pass() {
        assert!(message("https://mainnet[.]pool[.]example[.]dev/").is_none());
        assert!(message("hxxps://evil.example/x").is_none());
        assert!(problem("http://intranet/x", false).is_none());
        assert!(problem("http://intranet/x", true).is_some());
    }
}
