//! The link checker: resolves the distinct URLs cited in the parsed documents, politely and in
//! parallel, before the rules run. The rules only read the [`LinkResults`] it returns.
//!
//! [`checker`] sends the requests, [`hosts`] keeps each host's limits, [`filter`] refuses
//! excluded and private addresses, [`cache`] remembers recent answers and [`archive`] looks
//! up snapshots of dead pages.

pub mod archive;
pub mod cache;
pub mod checker;
pub mod filter;
pub mod hosts;

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

use regex::Regex;
use serde::{Deserialize, Serialize};

pub use checker::{check_urls, check_urls_with, CheckRun};

/// The default availability endpoint asked for archived snapshots.
pub const DEFAULT_ARCHIVE_ENDPOINT: &str = "https://archive.org/wayback/available";

/// How links are checked. The command line fills it; so may a configuration file.
#[derive(Debug, Clone)]
pub struct LinkOptions {
    /// Requests in flight at once, over all hosts.
    pub max_concurrency: usize,
    /// Requests in flight at once to one host.
    pub host_concurrency: usize,
    /// Further attempts after a timeout, a reset connection, a 5xx or a 429.
    pub retries: u32,
    /// The wait before the first retry; it doubles for each further one.
    pub retry_backoff: Duration,
    /// The longest wait a `Retry-After` header may impose.
    pub max_retry_wait: Duration,
    /// The time one request may take.
    pub timeout: Duration,
    /// Redirects followed before giving up.
    pub max_redirects: usize,
    pub user_agent: String,
    /// URLs matching any of these are not checked.
    pub exclude: Vec<Regex>,
    /// Whether loopback, private, link-local and unspecified addresses may be requested.
    pub allow_private: bool,
    /// The cache file; `None` disables the cache.
    pub cache: Option<PathBuf>,
    /// How long a good answer stays fresh in the cache; bad answers stay a tenth as long.
    pub cache_max_age: Duration,
    /// Whether dead links get an archived snapshot suggested.
    pub suggest_archive: bool,
    /// The Wayback-style availability endpoint.
    pub archive_endpoint: String,
    /// Whether a progress bar may be drawn (it is only drawn when stderr is a terminal).
    pub progress: bool,
    /// A proxy for every request, instead of the environment's `HTTP_PROXY`, `HTTPS_PROXY`
    /// and `ALL_PROXY` (`None`: those). Host names are still resolved locally first.
    pub proxy: Option<String>,
}

impl Default for LinkOptions {
    fn default() -> Self {
        Self {
            max_concurrency: 64,
            host_concurrency: 4,
            retries: 2,
            retry_backoff: Duration::from_millis(500),
            max_retry_wait: Duration::from_secs(60),
            timeout: Duration::from_secs(20),
            max_redirects: 10,
            user_agent: default_user_agent(),
            exclude: Vec::new(),
            allow_private: false,
            cache: Some(PathBuf::from(".notelint-cache.json")),
            cache_max_age: Duration::from_secs(24 * 60 * 60),
            suggest_archive: false,
            archive_endpoint: DEFAULT_ARCHIVE_ENDPOINT.to_string(),
            progress: true,
            proxy: None,
        }
    }
}

/// The User-Agent sent unless overridden.
#[must_use]
pub fn default_user_agent() -> String {
    format!(
        "notelint/{} (citation link checker; +https://github.com/notelint/notelint)",
        env!("CARGO_PKG_VERSION")
    )
}

/// What checking one URL found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum LinkStatus {
    /// The page answered (after any temporary redirects).
    Ok,
    /// The page answered after a permanent redirect to `to`.
    Redirected { to: String, code: u16 },
    /// The page is gone: 404, 410, unknown host, refused connection or TLS failure.
    Dead {
        reason: String,
        /// An archived snapshot, when one was asked for and found.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        archive: Option<String>,
    },
    /// The check failed for reasons that may pass: 5xx, timeout, rate limit, redirect loop.
    Error { reason: String },
    /// The URL was not requested: excluded, or pointing at a private address.
    Skipped { reason: SkipReason },
}

/// Why a URL was not requested.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SkipReason {
    /// It matched an `--exclude` pattern.
    Excluded,
    /// It points at a loopback, private, link-local or unspecified address.
    Private,
    /// It is not an http(s) URL notelint can request.
    Unsupported,
}

/// The result of every checked URL, keyed by the URL exactly as the model holds it.
pub type LinkResults = HashMap<String, LinkStatus>;

/// The URL to request for a URL as written in prose: `www.` gains a scheme, and anything that
/// is not http(s) is refused.
#[must_use]
pub fn request_url(written: &str) -> Option<url::Url> {
    let full = if written.len() >= 4 && written[..4].eq_ignore_ascii_case("www.") {
        format!("https://{written}")
    } else {
        written.to_string()
    };
    let mut url = url::Url::parse(&full).ok()?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return None;
    }
    // The fragment names a place in the page; the server never sees it.
    url.set_fragment(None);
    Some(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_urls_gain_a_scheme_and_lose_the_fragment() {
        assert_eq!(
            request_url("www.example.org/a#b")
                .map(String::from)
                .as_deref(),
            Some("https://www.example.org/a")
        );
        assert_eq!(
            request_url("http://example.org")
                .map(String::from)
                .as_deref(),
            Some("http://example.org/")
        );
        assert!(request_url("ftp://example.org/x").is_none());
        assert!(request_url("https://").is_none());
    }

    #[test]
    fn statuses_round_trip_through_json() {
        let s = LinkStatus::Dead {
            reason: "404 Not Found".into(),
            archive: None,
        };
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(json, r#"{"status":"dead","reason":"404 Not Found"}"#);
        assert_eq!(serde_json::from_str::<LinkStatus>(&json).unwrap(), s);
    }
}
