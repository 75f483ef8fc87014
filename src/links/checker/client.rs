//! One URL's check: the HTTP clients, the request under the global and per-host limits, the
//! redirects followed by hand (so that each hop is checked for private addresses), retries,
//! and the archived snapshot of a dead page.

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use reqwest::{Method, StatusCode};
use tokio::sync::Semaphore;
use tokio::time::Instant;
use url::Url;

use crate::links::filter::{is_private_host, proxy_hosts, GuardedResolver, LookupFn, Lookups};
use crate::links::hosts::{host_key, Hosts};
use crate::links::{archive, LinkOptions, LinkStatus};

use super::verdict::{head_refused, retry_after, verdict, Hop, Verdict};

/// The most of a GET body read to confirm a status; reading a small body to its end lets the
/// connection be reused, and a large one is not worth downloading.
const MAX_BODY: usize = 64 * 1024;

/// Checks URLs: one per run, shared by the tasks that check its URLs.
pub(super) struct Checker {
    client: reqwest::Client,
    archive_client: reqwest::Client,
    /// The run's name lookups, shared with both clients' resolvers.
    lookups: Arc<Lookups>,
    global: Semaphore,
    hosts: Hosts,
    options: LinkOptions,
    /// HTTP requests sent so far.
    pub(super) requests: AtomicUsize,
}

impl Checker {
    pub(super) fn new(options: &LinkOptions, lookup: LookupFn) -> reqwest::Result<Self> {
        let lookups = Arc::new(
            Lookups::new(
                options.allow_private,
                proxy_hosts(options.proxy.as_deref()),
                lookup,
            )
            .with_deadline(options.timeout),
        );
        let resolver = Arc::new(GuardedResolver {
            lookups: Arc::clone(&lookups),
        });
        let mut client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(options.timeout)
            .user_agent(options.user_agent.clone())
            .dns_resolver(Arc::clone(&resolver))
            .pool_max_idle_per_host(options.host_concurrency.max(1))
            .tcp_nodelay(true);
        // The archive endpoint is held to the same rule as the links: no private address
        // (by name or literal, also after a redirect) unless allowed.
        let allow_private = options.allow_private;
        let mut archive_client = reqwest::Client::builder()
            .timeout(options.timeout)
            .user_agent(options.user_agent.clone())
            .dns_resolver(resolver)
            .redirect(reqwest::redirect::Policy::custom(move |attempt| {
                if !allow_private && is_private_host(attempt.url()) {
                    attempt.error("redirect to a private address")
                } else if attempt.previous().len() > 10 {
                    attempt.error("too many redirects")
                } else {
                    attempt.follow()
                }
            }));
        if let Some(proxy) = &options.proxy {
            client = client.proxy(reqwest::Proxy::all(proxy)?);
            archive_client = archive_client.proxy(reqwest::Proxy::all(proxy)?);
        }
        Ok(Self {
            client: client.build()?,
            archive_client: archive_client.build()?,
            lookups,
            global: Semaphore::new(options.max_concurrency.max(1)),
            hosts: Hosts::new(options.host_concurrency),
            options: options.clone(),
            requests: AtomicUsize::new(0),
        })
    }

    /// The archive endpoint, when it is to be asked and may be: `None` when it points at a
    /// private address and those are not allowed.
    async fn archive_endpoint(&self) -> Option<Url> {
        let endpoint = Url::parse(&self.options.archive_endpoint).ok()?;
        if self.options.allow_private {
            return Some(endpoint);
        }
        if is_private_host(&endpoint) {
            return None;
        }
        match endpoint.host() {
            Some(url::Host::Domain(name)) if self.lookups.refuses(name).await => None,
            _ => Some(endpoint),
        }
    }

    /// A warning when snapshots were asked for from an endpoint at a literal private address
    /// without `--allow-private` (a name is checked when it is looked up).
    pub(super) fn archive_refused(&self) -> Option<String> {
        let endpoint = Url::parse(&self.options.archive_endpoint).ok()?;
        (self.options.suggest_archive && !self.options.allow_private && is_private_host(&endpoint))
            .then(|| {
                format!(
                    "the archive endpoint {endpoint} is a private address: not asked (--allow-private asks it)"
                )
            })
    }

    /// Checks one URL, retrying what may pass.
    ///
    /// A retry waits its backoff, or the wait a rate limit asked for when that is longer,
    /// holding no slot meanwhile; then it, like the GET after a refused HEAD and each
    /// redirect, goes before the host's URLs not yet begun. The first rate limit a URL meets
    /// also tells its host (which pauses when the limit turns out to be the host's, see
    /// [`Hosts`]); a URL rate-limited again is limited on its own and tells the host nothing
    /// more.
    pub(super) async fn check(&self, url: &Url) -> LinkStatus {
        let mut method = Method::HEAD;
        let mut attempt = 0;
        let mut limited_before = false;
        loop {
            let mut hop = self.follow(url, &method, attempt > 0).await;
            if method == Method::HEAD && head_refused(&hop) {
                // Some servers refuse HEAD or answer it wrongly: GET decides, now and on
                // every retry.
                method = Method::GET;
                hop = self.follow(url, &method, true).await;
            }
            let limited = match &hop {
                Hop::Answer { host, started, .. } => Some((host.clone(), *started)),
                _ => None,
            };
            let (reason, wait) = match verdict(hop, &self.options) {
                Verdict::Done(status) => return self.with_archive(url, status).await,
                Verdict::Retry { reason, wait } => (reason, wait),
            };
            // The host is told even when this URL has no retry left: whether the host
            // limits every request matters to its other URLs.
            if let (Some(wait), Some((host, started))) = (wait, limited) {
                if !limited_before {
                    limited_before = true;
                    // A wait no clock can reach was refused by the verdict already.
                    let _recorded = self.hosts.slow_down(&host, started, wait);
                }
            }
            if attempt >= self.options.retries {
                return LinkStatus::Error { reason };
            }
            let backoff = self
                .options
                .retry_backoff
                .checked_mul(2u32.saturating_pow(attempt))
                .unwrap_or(Duration::MAX);
            tokio::time::sleep(backoff.max(wait.unwrap_or_default())).await;
            attempt += 1;
        }
    }

    /// Adds an archived snapshot to a dead link's status, when asked to.
    async fn with_archive(&self, url: &Url, status: LinkStatus) -> LinkStatus {
        match status {
            LinkStatus::Dead {
                reason,
                archive: None,
            } if self.options.suggest_archive => {
                let archive = match self.archive_endpoint().await {
                    Some(endpoint) => {
                        archive::closest_snapshot(&self.archive_client, endpoint, url.as_str())
                            .await
                    }
                    None => None,
                };
                LinkStatus::Dead { reason, archive }
            }
            other => other,
        }
    }

    /// Requests `url`, following redirects; a `follow_up` continues a URL already begun, and
    /// so is every redirect.
    async fn follow(&self, url: &Url, method: &Method, follow_up: bool) -> Hop {
        let mut current = url.clone();
        let mut seen = HashSet::from([current.clone()]);
        let mut moved: Option<(Url, u16)> = None;
        let mut all_permanent = true;
        let mut hops = 0;
        loop {
            // The host's one lookup of the run, made outside the request's timeout: every
            // URL of a host that does not resolve gets the same verdict.
            if let Some(url::Host::Domain(name)) = current.host() {
                self.lookups.warm(name).await;
            }
            if !self.options.allow_private {
                if is_private_host(&current) {
                    return Hop::Private;
                }
                // Resolved here even when a proxy will make the connection (and so resolve
                // the name itself): a name pointing only at private addresses is refused
                // before anything is sent.
                if let Some(url::Host::Domain(name)) = current.host() {
                    if self.lookups.refuses(name).await {
                        return Hop::Private;
                    }
                }
            }
            let key = host_key(&current);
            let follow_up = follow_up || hops > 0;
            let (response, started) = match self.send(&current, &key, method, follow_up).await {
                Ok(sent) => sent,
                Err(e) => return Hop::Failed(e),
            };
            let code = response.status();
            if !code.is_redirection() || code == StatusCode::NOT_MODIFIED {
                return Hop::Answer {
                    host: key,
                    started,
                    code,
                    retry_after: retry_after(response.headers()),
                    moved,
                };
            }
            let Some(next) = response
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|l| l.to_str().ok())
                .and_then(|l| current.join(l).ok())
            else {
                return Hop::BadRedirect;
            };
            let permanent = matches!(code.as_u16(), 301 | 308);
            all_permanent &= permanent;
            if all_permanent {
                let mut to = next.clone();
                to.set_fragment(url.fragment());
                moved = Some((to, code.as_u16()));
            }
            hops += 1;
            if hops > self.options.max_redirects {
                return Hop::TooManyRedirects;
            }
            if !seen.insert(next.clone()) {
                return Hop::Loop;
            }
            current = next;
        }
    }

    /// Sends one request under the global and the host limit (`key`), and returns the
    /// answer and when the request was let go. A GET body is read only as far as
    /// [`MAX_BODY`]. An answer that is not a rate limit counts towards the host's recovery
    /// from one.
    async fn send(
        &self,
        url: &Url,
        key: &str,
        method: &Method,
        follow_up: bool,
    ) -> reqwest::Result<(reqwest::Response, Instant)> {
        let slot = self.hosts.acquire(key, follow_up).await;
        let _global = self
            .global
            .acquire()
            .await
            .expect("the global semaphore is never closed");
        self.requests.fetch_add(1, Ordering::Relaxed);
        let mut response = self
            .client
            .request(method.clone(), url.clone())
            .send()
            .await?;
        if !is_rate_limit(&response) {
            self.hosts.answered(key, slot.started);
        }
        if *method == Method::GET {
            let mut read = 0;
            while read < MAX_BODY {
                match response.chunk().await {
                    Ok(Some(chunk)) => read += chunk.len(),
                    Ok(None) | Err(_) => break,
                }
            }
        }
        Ok((response, slot.started))
    }
}

/// Whether an answer is a rate limit: a 429, or a 503 with `Retry-After`.
fn is_rate_limit(response: &reqwest::Response) -> bool {
    let code = response.status();
    code == StatusCode::TOO_MANY_REQUESTS
        || (code == StatusCode::SERVICE_UNAVAILABLE
            && response
                .headers()
                .contains_key(reqwest::header::RETRY_AFTER))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::links::filter::system_lookup;
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    fn checker() -> Checker {
        checker_with(2)
    }

    fn checker_with(retries: u32) -> Checker {
        let options = LinkOptions {
            retries,
            allow_private: true,
            cache: None,
            progress: false,
            retry_backoff: Duration::from_millis(10),
            timeout: Duration::from_secs(5),
            ..LinkOptions::default()
        };
        Checker::new(&options, system_lookup()).unwrap()
    }

    async fn answer(server: &MockServer, at: &str, template: ResponseTemplate) {
        Mock::given(method("HEAD"))
            .and(path(at))
            .respond_with(template)
            .mount(server)
            .await;
    }

    // The regression behind issue 16: a page that always answered 429 left its whole host
    // spaced out for the rest of the run.
    #[tokio::test]
    async fn a_url_that_always_answers_429_leaves_its_host_at_full_speed() {
        let server = MockServer::start().await;
        let always = ResponseTemplate::new(429).insert_header("Retry-After", "0");
        answer(&server, "/always", always).await;
        answer(&server, "/ok", ResponseTemplate::new(200)).await;
        let checker = checker();
        let base = Url::parse(&server.uri()).unwrap();
        let key = host_key(&base);
        let status = checker.check(&base.join("/always").unwrap()).await;
        assert_eq!(
            status,
            LinkStatus::Error {
                reason: "429 Too Many Requests: rate-limited".to_string()
            }
        );
        // Its first 429 spaced the host out, without a pause (no other URL was limited);
        // its further 429s were its own.
        assert_eq!(checker.hosts.spacing(&key), Duration::from_millis(50));
        assert!(!checker.hosts.paused(&key));
        let mut spacings = Vec::new();
        for _ in 0..20 {
            let ok = checker.check(&base.join("/ok").unwrap()).await;
            assert_eq!(ok, LinkStatus::Ok);
            spacings.push(checker.hosts.spacing(&key).as_millis());
        }
        // Each run of 4 answers (the host limit) halves the spacing, down to zero.
        assert_eq!(&spacings[..4], [50, 50, 50, 25]);
        assert_eq!(spacings[15..], [0, 0, 0, 0, 0]);
        assert_eq!(checker.requests.load(Ordering::Relaxed), 3 + 20);
    }

    #[tokio::test]
    async fn a_503_with_retry_after_slows_its_host_like_a_429() {
        let server = MockServer::start().await;
        let unavailable = ResponseTemplate::new(503).insert_header("Retry-After", "0");
        answer(&server, "/busy", unavailable).await;
        answer(&server, "/down", ResponseTemplate::new(503)).await;
        let checker = checker();
        let base = Url::parse(&server.uri()).unwrap();
        let key = host_key(&base);
        // A plain 503 is a server error like any other: retried with backoff, no pause.
        let status = checker.check(&base.join("/down").unwrap()).await;
        let error = LinkStatus::Error {
            reason: "503 Service Unavailable".to_string(),
        };
        assert_eq!(status, error);
        assert_eq!(checker.hosts.spacing(&key), Duration::ZERO);
        // With Retry-After it slows the host; the verdict is the same.
        let status = checker.check(&base.join("/busy").unwrap()).await;
        assert_eq!(status, error);
        assert_eq!(checker.hosts.spacing(&key), Duration::from_millis(50));
        assert_eq!(checker.requests.load(Ordering::Relaxed), 6);
    }

    #[tokio::test]
    async fn a_429_slows_its_host_even_when_no_retry_is_left() {
        let server = MockServer::start().await;
        let limited = ResponseTemplate::new(429).insert_header("Retry-After", "0");
        answer(&server, "/limited", limited).await;
        let checker = checker_with(0);
        let base = Url::parse(&server.uri()).unwrap();
        let status = checker.check(&base.join("/limited").unwrap()).await;
        assert_eq!(
            status,
            LinkStatus::Error {
                reason: "429 Too Many Requests: rate-limited".to_string()
            }
        );
        assert_eq!(
            checker.hosts.spacing(&host_key(&base)),
            Duration::from_millis(50)
        );
        assert_eq!(checker.requests.load(Ordering::Relaxed), 1);
    }
}
