//! Sends the requests: every distinct URL once, HEAD first, with retries, under a global and a
//! per-host concurrency limit.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use reqwest::{Method, StatusCode};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use url::Url;

use super::cache::Cache;
use super::filter::{
    is_private_host, proxy_hosts, system_lookup, GuardedResolver, LookupFn, Lookups, ResolveError,
};
use super::hosts::{host_key, Hosts};
use super::{archive, request_url, LinkOptions, LinkResults, LinkStatus, SkipReason};

/// The most of a GET body read to confirm a status; reading a small body to its end lets the
/// connection be reused, and a large one is not worth downloading.
const MAX_BODY: usize = 64 * 1024;

/// The longest pause a `Retry-After` may impose, whatever `--max-retry-wait` says: a server
/// asking for more than a day is not going to answer this run, and waiting would hang it.
const LONGEST_WAIT: Duration = Duration::from_secs(24 * 60 * 60);

/// What a link check did.
#[derive(Debug, Default)]
pub struct CheckRun {
    /// The status of every URL given, keyed as given.
    pub results: LinkResults,
    /// Distinct URLs answered from the cache.
    pub cached: usize,
    /// Distinct URLs checked over the network.
    pub checked: usize,
    /// HTTP requests sent (retries and redirects included).
    pub requests: usize,
    /// Distinct URLs not requested because they point at private addresses.
    pub skipped_private: Vec<String>,
    /// Whether the run was stopped by Ctrl-C before every URL was checked.
    pub interrupted: bool,
    /// Problems worth telling the user that are not about one link (e.g. the cache file).
    pub warnings: Vec<String>,
}

/// Checks `urls` (as written in the documents) and returns a status for each.
///
/// Never fails: a problem with one URL is that URL's status, and a problem with the cache is
/// a warning.
#[must_use]
pub fn check_urls(urls: &[String], options: &LinkOptions) -> CheckRun {
    check_urls_with(urls, options, &system_lookup())
}

/// [`check_urls`] with host names looked up through `lookup` (tests give a table).
#[must_use]
pub fn check_urls_with(urls: &[String], options: &LinkOptions, lookup: &LookupFn) -> CheckRun {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            return CheckRun {
                warnings: vec![format!("cannot start the link checker: {e}")],
                ..CheckRun::default()
            }
        }
    };
    runtime.block_on(run(urls, options, lookup))
}

async fn run(urls: &[String], options: &LinkOptions, lookup: &LookupFn) -> CheckRun {
    let mut out = CheckRun::default();
    let mut cache = options.cache.as_ref().map(|path| {
        let (cache, warning) = Cache::load(path, options.cache_max_age);
        out.warnings.extend(warning);
        cache
    });

    // Each written URL maps to the URL requested; several may share one.
    let mut requested: HashMap<String, Url> = HashMap::new();
    let mut known: HashMap<String, LinkStatus> = HashMap::new();
    for written in urls {
        match request_url(written) {
            Some(url) => {
                requested.insert(written.clone(), url);
            }
            None => {
                out.results.insert(
                    written.clone(),
                    LinkStatus::Skipped {
                        reason: SkipReason::Unsupported,
                    },
                );
            }
        }
    }
    let mut to_check: Vec<Url> = Vec::new();
    let mut distinct: Vec<&Url> = requested
        .values()
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    distinct.sort();
    for url in distinct {
        let key = url.as_str();
        if options.exclude.iter().any(|re| re.is_match(key)) {
            let reason = SkipReason::Excluded;
            known.insert(key.to_string(), LinkStatus::Skipped { reason });
        } else if !options.allow_private && is_private_host(url) {
            known.insert(
                key.to_string(),
                LinkStatus::Skipped {
                    reason: SkipReason::Private,
                },
            );
        } else if let Some(status) = cache.as_ref().and_then(|c| c.get(key)) {
            out.cached += 1;
            known.insert(key.to_string(), status.clone());
        } else {
            to_check.push(url.clone());
        }
    }
    out.checked = to_check.len();

    if !to_check.is_empty() {
        match Checker::new(options, Arc::clone(lookup)) {
            Ok(checker) => {
                out.warnings.extend(checker.archive_refused());
                let checker = Arc::new(checker);
                out.interrupted = check_all(
                    &checker,
                    interleave_hosts(to_check),
                    options,
                    &mut known,
                    cache.as_mut(),
                )
                .await;
                out.requests = checker.requests.load(Ordering::Relaxed);
            }
            Err(e) => out
                .warnings
                .push(format!("cannot start the link checker: {e}")),
        }
    }

    if let Some(cache) = &mut cache {
        if let Err(e) = cache.save() {
            out.warnings
                .push(format!("cannot write the link cache: {e}"));
        }
    }
    let mut private: Vec<String> = known
        .iter()
        .filter(|(_, s)| {
            matches!(
                s,
                LinkStatus::Skipped {
                    reason: SkipReason::Private
                }
            )
        })
        .map(|(u, _)| u.clone())
        .collect();
    private.sort();
    out.skipped_private = private;
    for (written, url) in requested {
        if let Some(status) = known.get(url.as_str()) {
            out.results.insert(written, status.clone());
        }
    }
    out
}

/// Orders URLs round-robin over their hosts, so every host's queue drains at the same pace
/// and the global limit is never spent on one host's backlog.
fn interleave_hosts(urls: Vec<Url>) -> Vec<Url> {
    let total = urls.len();
    let mut by_host: BTreeMap<String, VecDeque<Url>> = BTreeMap::new();
    for url in urls {
        by_host.entry(host_key(&url)).or_default().push_back(url);
    }
    let mut out = Vec::with_capacity(total);
    while out.len() < total {
        for queue in by_host.values_mut() {
            out.extend(queue.pop_front());
        }
    }
    out
}

/// Checks every URL; returns true when Ctrl-C stopped the run. Results are recorded (and
/// cached) as they arrive, so an interrupted run keeps what it learned.
async fn check_all(
    checker: &Arc<Checker>,
    urls: Vec<Url>,
    options: &LinkOptions,
    known: &mut HashMap<String, LinkStatus>,
    mut cache: Option<&mut Cache>,
) -> bool {
    let bar = progress_bar(urls.len(), options.progress);
    let mut set = JoinSet::new();
    // Which URL each task checks, so a task that fails still gives its URL a verdict.
    let mut tasks = HashMap::new();
    for url in urls {
        let checker = Arc::clone(checker);
        let task = url.clone();
        let handle = set.spawn(async move {
            let status = checker.check(&task).await;
            (task, status)
        });
        tasks.insert(handle.id(), url);
    }
    let drain = async {
        while let Some(joined) = set.join_next_with_id().await {
            let Some((url, status)) = finished(joined, &mut tasks) else {
                continue;
            };
            if let Some(cache) = cache.as_deref_mut() {
                cache.insert(url.as_str(), &status);
            }
            known.insert(url.into(), status);
            bar.inc(1);
        }
    };
    let interrupted = tokio::select! {
        () = drain => false,
        _ = tokio::signal::ctrl_c() => true,
    };
    bar.finish_and_clear();
    interrupted
}

/// The URL and status of a finished check task. A task that panicked (or was cancelled) has
/// no answer: that is an error for its link, never silence, which would read as clean.
fn finished(
    joined: Result<(tokio::task::Id, (Url, LinkStatus)), tokio::task::JoinError>,
    tasks: &mut HashMap<tokio::task::Id, Url>,
) -> Option<(Url, LinkStatus)> {
    match joined {
        Ok((_, done)) => Some(done),
        Err(e) => tasks.remove(&e.id()).map(|url| {
            (
                url,
                LinkStatus::Error {
                    reason: "the check failed unexpectedly".to_string(),
                },
            )
        }),
    }
}

fn progress_bar(len: usize, wanted: bool) -> indicatif::ProgressBar {
    if !wanted || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(len as u64),
        indicatif::ProgressDrawTarget::stderr(),
    );
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("checking links {bar:30} {pos}/{len} {elapsed}")
    {
        bar.set_style(style);
    }
    bar
}

/// The end of one chain of redirects.
#[derive(Debug)]
enum Hop {
    /// A final answer; `moved` is where a leading run of permanent redirects led.
    Answer {
        code: StatusCode,
        retry_after: Option<Duration>,
        moved: Option<(Url, u16)>,
    },
    /// The request failed below HTTP.
    Failed(reqwest::Error),
    /// A redirect pointed at a private address.
    Private,
    /// The redirects came back to a URL already visited.
    Loop,
    TooManyRedirects,
    /// A redirect without a usable `Location`.
    BadRedirect,
}

/// What to do after one attempt.
enum Verdict {
    Done(LinkStatus),
    /// Try again, after `wait` if the server said how long.
    Retry {
        reason: String,
        wait: Option<Duration>,
    },
}

struct Checker {
    client: reqwest::Client,
    archive_client: reqwest::Client,
    /// The run's name lookups, shared with both clients' resolvers.
    lookups: Arc<Lookups>,
    global: Semaphore,
    hosts: Hosts,
    options: LinkOptions,
    requests: AtomicUsize,
}

impl Checker {
    fn new(options: &LinkOptions, lookup: LookupFn) -> reqwest::Result<Self> {
        let lookups = Arc::new(Lookups::new(
            options.allow_private,
            proxy_hosts(options.proxy.as_deref()),
            lookup,
        ));
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
    fn archive_refused(&self) -> Option<String> {
        let endpoint = Url::parse(&self.options.archive_endpoint).ok()?;
        (self.options.suggest_archive && !self.options.allow_private && is_private_host(&endpoint))
            .then(|| {
                format!(
                    "the archive endpoint {endpoint} is a private address: not asked (--allow-private asks it)"
                )
            })
    }

    /// Checks one URL, retrying what may pass.
    async fn check(&self, url: &Url) -> LinkStatus {
        let mut method = Method::HEAD;
        let mut attempt = 0;
        loop {
            let mut hop = self.follow(url, &method).await;
            if method == Method::HEAD && head_refused(&hop) {
                // Some servers refuse HEAD or answer it wrongly: GET decides, now and on
                // every retry.
                method = Method::GET;
                hop = self.follow(url, &method).await;
            }
            match self.verdict(url, hop) {
                Verdict::Done(status) => return self.with_archive(url, status).await,
                Verdict::Retry { reason, .. } if attempt >= self.options.retries => {
                    return LinkStatus::Error { reason };
                }
                // The host's pause (after a 429) is kept by `Hosts`: the next request waits.
                Verdict::Retry { wait: Some(_), .. } => {}
                Verdict::Retry { wait: None, .. } => {
                    let backoff = self
                        .options
                        .retry_backoff
                        .checked_mul(2u32.saturating_pow(attempt))
                        .unwrap_or(Duration::MAX);
                    tokio::time::sleep(backoff).await;
                }
            }
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

    fn verdict(&self, url: &Url, hop: Hop) -> Verdict {
        match hop {
            Hop::Answer {
                code,
                retry_after,
                moved,
            } => {
                if code.is_success() {
                    return Verdict::Done(match moved {
                        Some((to, code)) => LinkStatus::Redirected {
                            to: to.into(),
                            code,
                        },
                        None => LinkStatus::Ok,
                    });
                }
                let reason = status_text(code);
                if code == StatusCode::NOT_FOUND || code == StatusCode::GONE {
                    return Verdict::Done(LinkStatus::Dead {
                        reason,
                        archive: None,
                    });
                }
                if code == StatusCode::TOO_MANY_REQUESTS {
                    let wait = retry_after
                        .unwrap_or(self.options.retry_backoff)
                        .min(self.options.max_retry_wait);
                    if wait > LONGEST_WAIT || !self.hosts.slow_down(&host_key(url), wait) {
                        return Verdict::Done(LinkStatus::Error {
                            reason: format!(
                                "{reason}: rate-limited, asked to wait {} s, longer than notelint waits",
                                wait.as_secs()
                            ),
                        });
                    }
                    return Verdict::Retry {
                        reason: format!("{reason}: rate-limited"),
                        wait: Some(wait),
                    };
                }
                if code.is_server_error() {
                    return Verdict::Retry { reason, wait: None };
                }
                Verdict::Done(LinkStatus::Error { reason })
            }
            Hop::Failed(e) => classify_error(&e, self.options.timeout),
            Hop::Private => Verdict::Done(LinkStatus::Skipped {
                reason: SkipReason::Private,
            }),
            Hop::Loop => Verdict::Done(LinkStatus::Error {
                reason: "redirect loop".to_string(),
            }),
            Hop::TooManyRedirects => Verdict::Done(LinkStatus::Error {
                reason: format!("more than {} redirects", self.options.max_redirects),
            }),
            Hop::BadRedirect => Verdict::Done(LinkStatus::Error {
                reason: "redirect without a valid Location".to_string(),
            }),
        }
    }

    /// Requests `url`, following redirects.
    async fn follow(&self, url: &Url, method: &Method) -> Hop {
        let mut current = url.clone();
        let mut seen = HashSet::from([current.clone()]);
        let mut moved: Option<(Url, u16)> = None;
        let mut all_permanent = true;
        let mut hops = 0;
        loop {
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
            let response = match self.send(&current, method).await {
                Ok(response) => response,
                Err(e) => return Hop::Failed(e),
            };
            let code = response.status();
            if !code.is_redirection() || code == StatusCode::NOT_MODIFIED {
                return Hop::Answer {
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

    /// Sends one request under the global and the host limit. A GET body is read only as
    /// far as [`MAX_BODY`].
    async fn send(&self, url: &Url, method: &Method) -> reqwest::Result<reqwest::Response> {
        let _host = self.hosts.acquire(&host_key(url)).await;
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
        if *method == Method::GET {
            let mut read = 0;
            while read < MAX_BODY {
                match response.chunk().await {
                    Ok(Some(chunk)) => read += chunk.len(),
                    Ok(None) | Err(_) => break,
                }
            }
        }
        Ok(response)
    }
}

/// Whether a HEAD answer is one a GET may contradict.
fn head_refused(hop: &Hop) -> bool {
    matches!(
        hop,
        Hop::Answer { code, .. } if matches!(code.as_u16(), 403 | 404 | 405 | 501)
    )
}

/// `404 Not Found`.
fn status_text(code: StatusCode) -> String {
    match code.canonical_reason() {
        Some(reason) => format!("{} {reason}", code.as_u16()),
        None => code.as_u16().to_string(),
    }
}

/// The wait a `Retry-After` header asks for, in seconds or as an HTTP date.
fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let value = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // More seconds than a u64 holds is still a (very long) wait.
        return Some(
            value
                .parse::<u64>()
                .map_or(Duration::MAX, Duration::from_secs),
        );
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(
        at.duration_since(std::time::SystemTime::now())
            .unwrap_or_default(),
    )
}

/// Sorts a failed request into dead, retry-worthy or plain error.
fn classify_error(e: &reqwest::Error, timeout: Duration) -> Verdict {
    if e.is_timeout() {
        return Verdict::Retry {
            reason: format!("timed out after {}", human_duration(timeout)),
            wait: None,
        };
    }
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = source {
        if is_tls_error(err) {
            return Verdict::Done(LinkStatus::Dead {
                reason: format!("TLS failure: {}", innermost(e)),
                archive: None,
            });
        }
        if let Some(resolve) = err.downcast_ref::<ResolveError>() {
            return match resolve {
                ResolveError::NotFound(_) => Verdict::Done(LinkStatus::Dead {
                    reason: resolve.to_string(),
                    archive: None,
                }),
                ResolveError::Unavailable(..) => Verdict::Retry {
                    reason: resolve.to_string(),
                    wait: None,
                },
                ResolveError::Private(_) => Verdict::Done(LinkStatus::Skipped {
                    reason: SkipReason::Private,
                }),
            };
        }
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            match io.kind() {
                std::io::ErrorKind::ConnectionRefused => {
                    return Verdict::Done(LinkStatus::Dead {
                        reason: "connection refused".to_string(),
                        archive: None,
                    })
                }
                std::io::ErrorKind::TimedOut => {
                    return Verdict::Retry {
                        reason: "connection timed out".to_string(),
                        wait: None,
                    }
                }
                _ => {}
            }
        }
        source = err.source();
    }
    Verdict::Retry {
        reason: innermost(e),
        wait: None,
    }
}

/// Whether `err` is a TLS failure (a bad certificate, a failed handshake): rustls's error,
/// as itself or inside the I/O error the TLS stream returns.
/// I/O errors may wrap each other (the connector wraps the TLS stream's), so this looks
/// through every layer.
fn is_tls_error(err: &(dyn std::error::Error + 'static)) -> bool {
    let mut err = err;
    loop {
        if err.downcast_ref::<rustls::Error>().is_some() {
            return true;
        }
        match err
            .downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::get_ref)
        {
            Some(inner) => err = inner,
            None => return false,
        }
    }
}

/// The most specific message in an error's chain.
fn innermost(e: &reqwest::Error) -> String {
    let mut last: &dyn std::error::Error = e;
    while let Some(next) = last.source() {
        last = next;
    }
    last.to_string()
}

fn human_duration(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{} ms", d.as_millis())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_take_turns() {
        let urls = [
            "http://a/1",
            "http://a/2",
            "http://a/3",
            "http://b/1",
            "http://c/1",
            "http://c/2",
        ]
        .iter()
        .map(|u| Url::parse(u).unwrap())
        .collect();
        let order: Vec<String> = interleave_hosts(urls)
            .into_iter()
            .map(String::from)
            .collect();
        assert_eq!(
            order,
            [
                "http://a/1",
                "http://b/1",
                "http://c/1",
                "http://a/2",
                "http://c/2",
                "http://a/3"
            ]
        );
    }

    #[tokio::test]
    async fn a_check_that_panics_is_a_link_error_not_silence() {
        let url = Url::parse("https://a.example/").unwrap();
        let mut set = JoinSet::new();
        let mut tasks = HashMap::new();
        let handle = set.spawn(async {
            if Url::parse("https://a.example/").is_ok() {
                panic!("a check went wrong");
            }
            (Url::parse("https://never/").unwrap(), LinkStatus::Ok)
        });
        tasks.insert(handle.id(), url.clone());
        let joined = set.join_next_with_id().await.unwrap();
        assert_eq!(
            finished(joined, &mut tasks),
            Some((
                url,
                LinkStatus::Error {
                    reason: "the check failed unexpectedly".to_string()
                }
            ))
        );
    }

    #[test]
    fn huge_retry_after_values_do_not_overflow() {
        let mut headers = reqwest::header::HeaderMap::new();
        for value in ["18446744073709551615", "99999999999999999999999"] {
            headers.insert(reqwest::header::RETRY_AFTER, value.parse().unwrap());
            assert!(retry_after(&headers).is_some_and(|d| d.as_secs() == u64::MAX));
        }
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(reqwest::header::RETRY_AFTER, "3".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(3)));
        headers.insert(
            reqwest::header::RETRY_AFTER,
            "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&headers), Some(Duration::ZERO));
        headers.insert(reqwest::header::RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(retry_after(&headers), None);
    }
}
