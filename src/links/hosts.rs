//! Per-host politeness: a concurrency cap for each host, the pause a host asked for, and the
//! spacing that eases a host back to full speed after it.
//!
//! A rate limit (a 429, or a 503 with `Retry-After`) pauses its host until the wait it asked
//! for has passed, and leaves a short spacing between the starts of the host's next
//! requests. Each run of answers that are not rate limits (and that were sent after the pause
//! began) halves the spacing, down to zero: one rate-limited page costs the host a pause and a
//! short recovery, never a slower pace for the rest of the run. Further rate limits do not
//! compound the spacing: each is honoured by its own pause, which is what the server asked
//! for.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

/// The spacing a rate limit leaves: three halvings take it below [`LEAST_SPACING`].
const FIRST_SPACING: Duration = Duration::from_millis(50);
/// A spacing halved below this is dropped: the host is back at full speed.
const LEAST_SPACING: Duration = Duration::from_millis(10);

/// The state of one host.
#[derive(Debug)]
struct Host {
    slots: Arc<Semaphore>,
    pace: Mutex<Pace>,
}

/// When a host's next request may start. Every method takes the time it is called at, so
/// the arithmetic is tested without a clock.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Pace {
    /// No request starts before this (the end of the latest `Retry-After` window).
    paused_until: Option<Instant>,
    /// The earliest start of the next request under the spacing.
    next: Option<Instant>,
    /// Between the starts of two requests; zero at full speed.
    spacing: Duration,
    /// When the latest rate limit was recorded: answers to requests sent before it say
    /// nothing about the host's recovery.
    limited_at: Option<Instant>,
    /// Answers since the spacing last changed.
    answers: usize,
}

impl Pace {
    /// Reserves a start for a request asked for at `now` and returns it.
    pub(crate) fn start(&mut self, now: Instant) -> Instant {
        let start = [self.paused_until, self.next]
            .into_iter()
            .flatten()
            .fold(now, Instant::max);
        if self.spacing.is_zero() {
            self.next = None;
        } else {
            self.next = Some(start.checked_add(self.spacing).unwrap_or(start));
        }
        start
    }

    /// Whether a request reserved for `start` must wait longer: a pause recorded since.
    fn holds(&self, start: Instant) -> bool {
        self.paused_until.is_some_and(|until| until > start)
    }

    /// Records a rate limit at `now` asking for `wait`: no request starts before the wait
    /// has passed, and then requests are spaced out until enough answers have come. False,
    /// with nothing changed, when the wait reaches past the end of representable time.
    pub(crate) fn limited(&mut self, now: Instant, wait: Duration) -> bool {
        let Some(until) = now.checked_add(wait) else {
            return false;
        };
        self.paused_until = Some(self.paused_until.map_or(until, |u| u.max(until)));
        self.spacing = FIRST_SPACING;
        self.limited_at = Some(self.limited_at.map_or(now, |at| at.max(now)));
        self.answers = 0;
        true
    }

    /// Records an answer that was not a rate limit to a request started at `started`; each
    /// run of `run` of them halves the spacing, and a small spacing becomes zero.
    pub(crate) fn answered(&mut self, started: Instant, run: usize) {
        if self.spacing.is_zero() || self.limited_at.is_some_and(|at| started < at) {
            return;
        }
        self.answers = self.answers.saturating_add(1);
        if self.answers >= run.max(1) {
            self.answers = 0;
            self.spacing /= 2;
            if self.spacing < LEAST_SPACING {
                self.spacing = Duration::ZERO;
                self.next = None;
            }
        }
    }

    /// The spacing between request starts (zero at full speed).
    pub(crate) fn spacing(&self) -> Duration {
        self.spacing
    }
}

/// A slot at a host: held while the request is in flight.
#[derive(Debug)]
pub struct Slot {
    _permit: OwnedSemaphorePermit,
    /// When the request was let go.
    pub started: Instant,
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

    fn with_pace<T>(&self, key: &str, f: impl FnOnce(&mut Pace) -> T) -> T {
        let host = self.host(key);
        let mut pace = host
            .pace
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut pace)
    }

    /// Waits for a free slot at `key` and for any pause or spacing the host is under; the
    /// slot is held until it drops.
    pub async fn acquire(&self, key: &str) -> Slot {
        let host = self.host(key);
        let permit = Arc::clone(&host.slots)
            .acquire_owned()
            .await
            .expect("host semaphores are never closed");
        loop {
            let start = self.with_pace(key, |pace| pace.start(Instant::now()));
            tokio::time::sleep_until(start).await;
            // A rate limit may have paused the host while this request waited its turn.
            if !self.with_pace(key, |pace| pace.holds(start)) {
                return Slot {
                    _permit: permit,
                    started: start,
                };
            }
        }
    }

    /// Records a rate limit from `key` asking for `wait` (see [`Pace::limited`]). Returns
    /// false, and changes nothing, when `wait` reaches past the end of representable time (a
    /// server's `Retry-After: 18446744073709551615`): no retry can honour it.
    #[must_use]
    pub fn slow_down(&self, key: &str, wait: Duration) -> bool {
        self.with_pace(key, |pace| pace.limited(Instant::now(), wait))
    }

    /// Records an answer from `key` that was not a rate limit, to a request let go at
    /// `started`: a run of those (as many as the host's slots) halves its spacing.
    pub fn answered(&self, key: &str, started: Instant) {
        let run = self.per_host;
        self.with_pace(key, |pace| pace.answered(started, run));
    }

    /// The spacing between the starts of requests to `key` (zero at full speed).
    #[must_use]
    pub fn spacing(&self, key: &str) -> Duration {
        self.with_pace(key, |pace| pace.spacing())
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
    fn a_rate_limit_pauses_the_host_until_its_wait_has_passed() {
        let t0 = Instant::now();
        let mut pace = Pace::default();
        assert_eq!(pace.start(t0), t0);
        assert!(pace.limited(t0, Duration::from_secs(3)));
        let end = t0 + Duration::from_secs(3);
        // Requests asked for during the window start when it ends, spaced out after it.
        assert_eq!(pace.start(t0 + Duration::from_secs(1)), end);
        assert_eq!(pace.start(t0 + Duration::from_secs(1)), end + FIRST_SPACING);
        // A shorter wait asked for later does not cut the window short.
        assert!(pace.limited(t0 + Duration::from_secs(1), Duration::from_millis(1)));
        assert!(pace.start(t0 + Duration::from_secs(1)) >= end);
    }

    // The regression behind issue 16: one 429 used to slow its host for the rest of the run.
    #[test]
    fn a_host_that_answered_429_once_returns_to_spacing_zero_after_successes() {
        let t0 = Instant::now();
        let mut pace = Pace::default();
        assert!(pace.limited(t0, Duration::from_secs(1)));
        assert_eq!(pace.spacing(), FIRST_SPACING);
        let mut now = t0 + Duration::from_secs(1);
        let mut spacings = vec![pace.spacing()];
        while !pace.spacing().is_zero() && spacings.len() < 100 {
            for _ in 0..4 {
                let started = pace.start(now);
                now = started;
                pace.answered(started, 4);
            }
            spacings.push(pace.spacing());
        }
        let ms: Vec<u128> = spacings.iter().map(Duration::as_millis).collect();
        assert_eq!(ms, [50, 25, 12, 0]);
        // At full speed nothing is reserved: requests start when asked for.
        let later = now + Duration::from_secs(1);
        assert_eq!(pace.start(later), later);
        assert_eq!(pace.start(later), later);
    }

    #[test]
    fn answers_to_requests_sent_before_a_rate_limit_do_not_count_towards_recovery() {
        let t0 = Instant::now();
        let mut pace = Pace::default();
        assert!(pace.limited(t0 + Duration::from_secs(1), Duration::from_secs(1)));
        for _ in 0..10 {
            pace.answered(t0, 1);
        }
        assert_eq!(pace.spacing(), FIRST_SPACING);
        pace.answered(t0 + Duration::from_secs(2), 1);
        assert_eq!(pace.spacing(), FIRST_SPACING / 2);
    }

    #[test]
    fn repeated_rate_limits_each_pause_the_host_without_compounding_the_spacing() {
        let t0 = Instant::now();
        let mut pace = Pace::default();
        for i in 1..=4 {
            let now = t0 + Duration::from_millis(i);
            assert!(pace.limited(now, Duration::from_secs(1)));
        }
        assert_eq!(pace.spacing(), FIRST_SPACING);
        assert_eq!(pace.start(t0), t0 + Duration::from_millis(1004));
        for _ in 0..4 {
            pace.answered(t0 + Duration::from_secs(2), 1);
        }
        assert_eq!(pace.spacing(), Duration::ZERO);
        // Limited again later: paused again, and the same short ramp back.
        let later = t0 + Duration::from_secs(3);
        assert!(pace.limited(later, Duration::from_secs(2)));
        assert_eq!(pace.spacing(), FIRST_SPACING);
        assert_eq!(pace.start(later), later + Duration::from_secs(2));
    }

    #[test]
    fn time_arithmetic_saturates_instead_of_panicking() {
        let t0 = Instant::now();
        let mut pace = Pace::default();
        assert!(!pace.limited(t0, Duration::MAX));
        assert_eq!(pace, Pace::default());
        assert!(pace.limited(t0, Duration::ZERO));
        // A start near the end of time cannot add its spacing: it stays where it is.
        let far = t0 + Duration::from_secs(60 * 60 * 24 * 365 * 30);
        assert_eq!(pace.start(far), far);
    }

    #[test]
    fn host_keys_include_the_port() {
        let key = |s: &str| host_key(&url::Url::parse(s).unwrap());
        assert_eq!(key("https://example.org/a"), "example.org:443");
        assert_eq!(key("http://127.0.0.1:8080/"), "127.0.0.1:8080");
    }
}
