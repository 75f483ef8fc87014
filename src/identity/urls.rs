//! URL identity: when two written URLs name the same page.
//!
//! A [`UrlKey`] is a URL reduced to what tells pages apart:
//!
//! - the scheme is dropped: `http`, `https` and a bare `www.` host (read as `https://`) give
//!   one key, as sites serve the same page on both;
//! - the host is lower-cased (the `url` crate does this) and loses one leading `www.`;
//! - a default port is dropped, any other port kept (`a.org:8080` is another server);
//! - the path keeps its letter case (servers may tell `/A` from `/a`) and loses every
//!   trailing `/`;
//! - the query keeps its parameters as written and in order, less the tracking parameters of
//!   [`TRACKING_PARAMS`]; a query left empty is dropped with its `?`;
//! - the fragment is dropped: it names a place in the page, and the server never sees it.
//!
//! The key is written `host[:port]path[?query]`, so that [`UrlKey::compatible`] can compare
//! keys as text. `doi:10.…` reads as `https://doi.org/10.…`.

use std::fmt;

/// Query parameters that only record where a click came from: `utm_*` and these. A parameter
/// that some sites use for the page itself is left out, however often others track with it
/// (`ref` names a branch in a code forge, `sh` a sheet or a share): taking a real parameter
/// for tracking would merge two pages, while missing a tracking one only misses a match.
pub const TRACKING_PARAMS: &[&str] = &[
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "msockid", "mc_cid", "mc_eid",
    "igshid", "yclid", "_hsenc", "_hsmi", "mkt_tok",
];

/// Whether a query parameter only tracks clicks: it starts with `utm_` or is one of
/// [`TRACKING_PARAMS`], in any letter case.
#[must_use]
pub fn is_tracking_param(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.starts_with("utm_") || TRACKING_PARAMS.contains(&name.as_str())
}

/// A URL as written in prose, made absolute: a bare `www.` host gains `https://`, `doi:10.…`
/// becomes `https://doi.org/10.…`. `None` when the `url` crate cannot read it.
#[must_use]
pub fn absolute(written: &str) -> Option<url::Url> {
    let written = written.trim();
    let prefix = written.get(..4).map(str::to_ascii_lowercase);
    match prefix.as_deref() {
        Some("www.") => url::Url::parse(&format!("https://{written}")).ok(),
        Some("doi:") => {
            url::Url::parse(&format!("https://doi.org/{}", written[4..].trim_start())).ok()
        }
        _ => url::Url::parse(written).ok(),
    }
}

/// A URL reduced to what tells pages apart; see the [module documentation](self).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UrlKey {
    key: String,
    /// Whether the URL has no path: a site's home page, which many works share.
    home: bool,
}

impl UrlKey {
    /// The key of a URL as written; `None` when it is not a URL with a host.
    #[must_use]
    pub fn new(written: &str) -> Option<Self> {
        let url = absolute(written)?;
        let host = url.host_str()?;
        let host = host.strip_prefix("www.").unwrap_or(host);
        let path = url.path().trim_end_matches('/');
        let mut key = String::with_capacity(written.len());
        key.push_str(host);
        if let Some(port) = url.port() {
            key.push(':');
            key.push_str(&port.to_string());
        }
        key.push_str(path);
        let mut first = true;
        for pair in url.query().unwrap_or("").split('&') {
            let name = pair.split('=').next().unwrap_or(pair);
            if pair.is_empty() || is_tracking_param(name) {
                continue;
            }
            key.push(if first { '?' } else { '&' });
            key.push_str(pair);
            first = false;
        }
        Some(Self {
            key,
            home: path.is_empty(),
        })
    }

    /// The key as text: `host[:port]path[?query]`.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.key
    }

    /// Whether the URL has no path, as a site's home page.
    #[must_use]
    pub fn is_home_page(&self) -> bool {
        self.home
    }

    /// Whether two keys may name the same page though they differ: one is the other cut
    /// short (as pages truncate long links), or one is archived inside the other
    /// (`web.archive.org/web/2019/https://a.org/x`). Queries are set aside on the shorter.
    #[must_use]
    pub fn compatible(&self, other: &Self) -> bool {
        let (short, long) = if self.key.len() <= other.key.len() {
            (&self.key, &other.key)
        } else {
            (&other.key, &self.key)
        };
        let short_path = short.split_once('?').map_or(short.as_str(), |(p, _)| p);
        long.contains(short_path)
    }
}

impl fmt::Display for UrlKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.key)
    }
}

/// The key of a URL as written; see [`UrlKey::new`].
#[must_use]
pub fn url_key(written: &str) -> Option<UrlKey> {
    UrlKey::new(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> Option<String> {
        url_key(s).map(|k| k.as_str().to_string())
    }

    #[test]
    fn scheme_www_host_case_trailing_slash_and_fragment_are_ignored() {
        let same = [
            "https://www.Example.org/a/b/",
            "http://example.org/a/b",
            "www.example.org/a/b#part",
            "WWW.EXAMPLE.ORG/a/b//",
            "https://example.org:443/a/b",
            "http://example.org:80/a/b#:~:text=hi",
            "  https://example.org/a/b  ",
        ];
        for s in same {
            assert_eq!(key(s).as_deref(), Some("example.org/a/b"), "{s}");
        }
    }

    #[test]
    fn path_case_other_ports_and_real_parameters_tell_pages_apart() {
        assert_ne!(key("https://a.org/X"), key("https://a.org/x"));
        assert_eq!(key("https://a.org:8080/x").as_deref(), Some("a.org:8080/x"));
        assert_ne!(key("https://a.org/x?p=1"), key("https://a.org/x?p=2"));
        assert_ne!(key("https://a.org/x?ref=main"), key("https://a.org/x"));
        assert_ne!(key("https://www2.a.org/x"), key("https://a.org/x"));
    }

    #[test]
    fn tracking_parameters_are_dropped_from_one_list() {
        assert_eq!(
            key("https://www.Example.org/a/b/?utm_source=x&id=3&FBCLID=Z#:~:text=hi").as_deref(),
            Some("example.org/a/b?id=3")
        );
        assert_eq!(
            key("https://a.org/x.html?msockid=05e7").as_deref(),
            Some("a.org/x.html")
        );
        assert_eq!(key("https://a.org/x?").as_deref(), Some("a.org/x"));
        assert!(is_tracking_param("UTM_Campaign"));
        assert!(is_tracking_param("gclid"));
        assert!(!is_tracking_param("ref"));
        assert!(!is_tracking_param("sh"));
        assert!(!is_tracking_param("id"));
    }

    #[test]
    fn doi_and_non_urls() {
        assert_eq!(
            key("doi: 10.1000/182").as_deref(),
            Some("doi.org/10.1000/182")
        );
        assert_eq!(key("doi:10.1000/182"), key("https://doi.org/10.1000/182"));
        assert_eq!(key("not a url"), None);
        assert_eq!(key("mailto:a@b.org"), None);
        assert_eq!(key("https://"), None);
        assert_eq!(key(""), None);
    }

    #[test]
    fn bare_www_hosts_read_as_https() {
        assert_eq!(
            absolute("www.a.org/x").map(String::from).as_deref(),
            Some("https://www.a.org/x")
        );
    }

    #[test]
    fn home_pages_and_compatible_keys() {
        let k = |s: &str| url_key(s).expect("a URL");
        assert!(k("https://www.a.org/").is_home_page());
        assert!(k("https://a.org/?p=12").is_home_page());
        assert!(!k("https://a.org/x").is_home_page());
        assert!(k("https://a.org/a/very-long-sl").compatible(&k("https://a.org/a/very-long-slug")));
        assert!(k("https://a.org/x?q=1").compatible(&k("https://a.org/x")));
        assert!(
            k("https://a.org/x").compatible(&k("http://web.archive.org/web/2019/https://a.org/x"))
        );
        assert!(!k("https://a.org/a").compatible(&k("https://a.org/b")));
    }
}
