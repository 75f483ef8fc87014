//! Checks a batch of URLs at once: one task per URL, ordered so that hosts take turns,
//! with a progress bar and Ctrl-C stopping the run while keeping what it learned.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::io::IsTerminal;
use std::sync::Arc;

use tokio::task::JoinSet;
use url::Url;

use crate::links::cache::Cache;
use crate::links::hosts::host_key;
use crate::links::{LinkOptions, LinkStatus};

use super::client::Checker;

/// Orders URLs round-robin over their hosts, so every host's queue drains at the same pace
/// and the global limit is never spent on one host's backlog.
pub(super) fn interleave_hosts(urls: Vec<Url>) -> Vec<Url> {
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
pub(super) async fn check_all(
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
}
