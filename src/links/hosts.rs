//! Per-host politeness: a concurrency cap for each host, and the pause a host asked for.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

/// The state of one host.
#[derive(Debug)]
struct Host {
    slots: Arc<Semaphore>,
    pace: Mutex<Pace>,
}

/// When the next request to a host may start, and the spacing a rate limit imposed.
#[derive(Debug, Default)]
struct Pace {
    next: Option<Instant>,
    spacing: Duration,
}

/// The hosts seen so far, each with its own limits.
#[derive(Debug)]
pub struct Hosts {
    per_host: usize,
    hosts: Mutex<HashMap<String, Arc<Host>>>,
}

impl Hosts {
    #[must_use]
    pub fn new(per_host: usize) -> Self {
        Self {
            per_host: per_host.max(1),
            hosts: Mutex::new(HashMap::new()),
        }
    }

    fn host(&self, key: &str) -> Arc<Host> {
        let mut hosts = self
            .hosts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        Arc::clone(hosts.entry(key.to_string()).or_insert_with(|| {
            Arc::new(Host {
                slots: Arc::new(Semaphore::new(self.per_host)),
                pace: Mutex::new(Pace::default()),
            })
        }))
    }

    /// Waits for a free slot at `key` and for any pause the host asked for; the slot is held
    /// until the permit drops.
    pub async fn acquire(&self, key: &str) -> OwnedSemaphorePermit {
        let host = self.host(key);
        let permit = Arc::clone(&host.slots)
            .acquire_owned()
            .await
            .expect("host semaphores are never closed");
        let start = {
            let mut pace = host
                .pace
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let now = Instant::now();
            let start = pace.next.map_or(now, |n| n.max(now));
            if !pace.spacing.is_zero() {
                pace.next = Some(start.checked_add(pace.spacing).unwrap_or(start));
            }
            start
        };
        tokio::time::sleep_until(start).await;
        permit
    }

    /// Records a 429 from `key`: no request before `wait` has passed, and from then on the
    /// host's requests are spaced out, more so with each further 429. Returns false, and
    /// changes nothing, when `wait` reaches past the end of representable time (a server's
    /// `Retry-After: 18446744073709551615`): no retry can honour it.
    #[must_use]
    pub fn slow_down(&self, key: &str, wait: Duration) -> bool {
        let Some(until) = Instant::now().checked_add(wait) else {
            return false;
        };
        let host = self.host(key);
        let mut pace = host
            .pace
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        pace.next = Some(pace.next.map_or(until, |n| n.max(until)));
        pace.spacing = pace
            .spacing
            .saturating_mul(2)
            .max(Duration::from_millis(100))
            .min(Duration::from_secs(5));
        true
    }
}

/// The key under which a URL's host is limited: host and port.
#[must_use]
pub fn host_key(url: &url::Url) -> String {
    format!(
        "{}:{}",
        url.host_str().unwrap_or_default(),
        url.port_or_known_default().unwrap_or(0)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_host_never_gives_more_slots_than_its_limit() {
        let hosts = Hosts::new(2);
        let a = hosts.acquire("a:80").await;
        let _b = hosts.acquire("a:80").await;
        let third = tokio::time::timeout(Duration::from_millis(20), hosts.acquire("a:80")).await;
        assert!(third.is_err());
        // Another host is not held up.
        let _other = hosts.acquire("b:80").await;
        drop(a);
        let _c = hosts.acquire("a:80").await;
    }

    #[tokio::test]
    async fn a_wait_past_the_end_of_time_is_refused_not_a_panic() {
        let hosts = Hosts::new(1);
        assert!(!hosts.slow_down("a:80", Duration::MAX));
        assert!(!hosts.slow_down("a:80", Duration::from_secs(u64::MAX)));
        // Nothing was recorded: the host is not held up.
        let quick = tokio::time::timeout(Duration::from_secs(5), hosts.acquire("a:80")).await;
        assert!(quick.is_ok());
        assert!(hosts.slow_down("a:80", Duration::from_millis(1)));
    }

    #[test]
    fn host_keys_include_the_port() {
        let key = |s: &str| host_key(&url::Url::parse(s).unwrap());
        assert_eq!(key("https://example.org/a"), "example.org:443");
        assert_eq!(key("http://127.0.0.1:8080/"), "127.0.0.1:8080");
    }
}
