//! Sends the requests: every distinct URL once, HEAD first, with retries, under a global and a
//! per-host concurrency limit.
//!
//! `run` settles what it can without a request (unsupported, excluded, private, cached) and
//! hands the rest to `batch`, which checks them at once; `client` checks one URL, and
//! `verdict` says what each answer means.

mod batch;
mod client;
mod verdict;

use std::collections::{HashMap, HashSet};
use std::sync::atomic::Ordering;
use std::sync::Arc;

use url::Url;

use super::cache::Cache;
use super::filter::{is_private_host, system_lookup, LookupFn};
use super::{request_url, LinkOptions, LinkResults, LinkStatus, SkipReason};
use batch::{check_all, interleave_hosts};
use client::Checker;

/// What a link check did.
#[derive(Debug, Default)]
pub struct CheckRun {
    /// The status of every URL given, keyed as given.
    pub results: LinkResults,
    /// Distinct URLs answered from the cache.
    pub cached: usize,
    /// The URLs given (keyed as given) whose status came from the cache.
    pub cached_urls: HashSet<String>,
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

/// The run: what needs no request is settled first, the rest is checked at once, and every
/// URL as written gets the status of the URL it requests.
async fn run(urls: &[String], options: &LinkOptions, lookup: &LookupFn) -> CheckRun {
    let mut out = CheckRun::default();
    let mut cache = options.cache.as_ref().map(|path| {
        let (cache, warning) = Cache::load(path, options.cache_max_age);
        out.warnings.extend(warning);
        cache
    });
    let requested = requested_urls(urls, &mut out.results);
    // The status of each URL as requested.
    let mut known: HashMap<String, LinkStatus> = HashMap::new();
    let mut from_cache = HashSet::new();
    let to_check = settle_without_requests(
        &requested,
        options,
        cache.as_ref(),
        &mut known,
        &mut from_cache,
    );
    out.cached = from_cache.len();
    out.cached_urls = requested
        .iter()
        .filter(|(_, url)| from_cache.contains(url.as_str()))
        .map(|(written, _)| written.clone())
        .collect();
    out.checked = to_check.len();
    if !to_check.is_empty() {
        check_over_network(
            to_check,
            options,
            lookup,
            &mut known,
            cache.as_mut(),
            &mut out,
        )
        .await;
    }
    if let Some(cache) = &mut cache {
        if let Err(e) = cache.save() {
            out.warnings
                .push(format!("cannot write the link cache: {e}"));
        }
    }
    out.skipped_private = skipped_private(&known);
    for (written, url) in requested {
        if let Some(status) = known.get(url.as_str()) {
            out.results.insert(written, status.clone());
        }
    }
    out
}

/// The URL requested for each URL as written; several may share one. A written URL that
/// cannot be requested (not http or https) gets its status in `results` at once.
fn requested_urls(urls: &[String], results: &mut LinkResults) -> HashMap<String, Url> {
    let mut requested = HashMap::new();
    for written in urls {
        match request_url(written) {
            Some(url) => {
                requested.insert(written.clone(), url);
            }
            None => {
                results.insert(
                    written.clone(),
                    LinkStatus::Skipped {
                        reason: SkipReason::Unsupported,
                    },
                );
            }
        }
    }
    requested
}

/// Gives a status in `known` to each distinct requested URL that needs no request: excluded,
/// private, or answered by the cache (added to `cached`, as requested). Returns the others,
/// in order.
fn settle_without_requests(
    requested: &HashMap<String, Url>,
    options: &LinkOptions,
    cache: Option<&Cache>,
    known: &mut HashMap<String, LinkStatus>,
    cached: &mut HashSet<String>,
) -> Vec<Url> {
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
        } else if let Some(status) = cache.and_then(|c| c.get(key)) {
            cached.insert(key.to_string());
            known.insert(key.to_string(), status.clone());
        } else {
            to_check.push(url.clone());
        }
    }
    to_check
}

/// Checks `to_check` over the network, recording each status in `known` (and `cache`) and
/// in `out` the requests sent, whether Ctrl-C stopped the run, and a checker that could not
/// start.
async fn check_over_network(
    to_check: Vec<Url>,
    options: &LinkOptions,
    lookup: &LookupFn,
    known: &mut HashMap<String, LinkStatus>,
    cache: Option<&mut Cache>,
    out: &mut CheckRun,
) {
    match Checker::new(options, Arc::clone(lookup)) {
        Ok(checker) => {
            out.warnings.extend(checker.archive_refused());
            let checker = Arc::new(checker);
            out.interrupted =
                check_all(&checker, interleave_hosts(to_check), options, known, cache).await;
            out.requests = checker.requests.load(Ordering::Relaxed);
        }
        Err(e) => out
            .warnings
            .push(format!("cannot start the link checker: {e}")),
    }
}

/// The requested URLs skipped because they point at private addresses, sorted.
fn skipped_private(known: &HashMap<String, LinkStatus>) -> Vec<String> {
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
    private
}
