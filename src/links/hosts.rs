//! Per-host politeness: a concurrency cap for each host, under which requests that continue
//! a URL already begun go first; the pause a host asked for; and the spacing that eases a
//! host back to full speed after a rate limit.
//!
//! A rate limit (a 429, or a 503 with `Retry-After`) is honoured for its URL by the checker,
//! which retries that URL only once the wait asked for has passed, without holding a slot.
//! What it says about the host is learnt from the host's next answers, while the host's
//! requests are spaced out. An answer that is not a rate limit, to a request sent after the
//! limited one, shows the host still serves other pages: the limit was the URL's own. When
//! instead twice as many URLs in a row as the host has slots are limited, with no page
//! served in between, the host refuses every request (the first round of refusals may all
//! have been sent before the first came back; the second was sent knowing, and refused
//! too): it is paused until the longest of their waits has passed. Either way each run of answers that are not rate limits (and
//! that were sent after the latest limit) halves the spacing, down to zero: a rate limit
//! costs the host a short recovery, never a slower pace for the rest of the run, and
//! further rate limits do not compound the spacing.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::sync::oneshot;
use tokio::time::Instant;

/// The spacing a rate limit leaves: three halvings take it below [`LEAST_SPACING`].
const FIRST_SPACING: Duration = Duration::from_millis(50);
/// A spacing halved below this is dropped: the host is back at full speed.
const LEAST_SPACING: Duration = Duration::from_millis(10);

/// The state of one host.
#[derive(Debug)]
struct Host {
    slots: Mutex<Slots>,
    pace: Mutex<Pace>,
}

impl Host {
    fn slots(&self) -> MutexGuard<'_, Slots> {
        self.slots.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn pace(&self) -> MutexGuard<'_, Pace> {
        self.pace.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A host's free slots and the requests waiting for one. A freed slot goes to a waiting
/// follow-up before any first request: a URL begun is finished (its retry after a backoff,
/// the GET after a refused HEAD, its next redirect) instead of waiting behind every URL of
/// its host not yet begun.
#[derive(Debug)]
struct Slots {
    /// Slots free; never above zero while a request waits.
    free: usize,
    follow_ups: VecDeque<oneshot::Sender<()>>,
    firsts: VecDeque<oneshot::Sender<()>>,
}

impl Slots {
    /// Takes a free slot, or queues the request and returns what will hand it one.
    fn take(&mut self, follow_up: bool) -> Option<oneshot::Receiver<()>> {
        if self.free > 0 {
            self.free -= 1;
            return None;
        }
        let (tx, rx) = oneshot::channel();
        if follow_up {
            self.follow_ups.push_back(tx);
        } else {
            self.firsts.push_back(tx);
        }
        Some(rx)
    }

    /// Hands a freed slot to the next waiting request, follow-ups first, or keeps it free.
    fn release(&mut self) {
        while let Some(next) = self
            .follow_ups
            .pop_front()
            .or_else(|| self.firsts.pop_front())
        {
            // A waiter that gave up (its task was cancelled) cannot take it: try the next.
            if next.send(()).is_ok() {
                return;
            }
        }
        self.free += 1;
    }
}

/// A request waiting for a slot. Dropped before it got one (its task cancelled), it gives
/// back a slot handed to it in the meantime, so no slot is lost.
struct Waiting {
    host: Arc<Host>,
    rx: Option<oneshot::Receiver<()>>,
}

impl Drop for Waiting {
    fn drop(&mut self) {
        if let Some(mut rx) = self.rx.take() {
            rx.close();
            if rx.try_recv().is_ok() {
                self.host.slots().release();
            }
        }
    }
}

/// When a host's next request may start. Every method takes the time it is called at, so
/// the arithmetic is tested without a clock.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Pace {
    /// No request starts before this (the end of the latest pause of the host).
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
    /// The latest start of a request the host answered with something else than a rate
    /// limit.
    served: Option<Instant>,
    /// Rate limits not yet known to be their URLs' own or the host's.
    suspect: Option<Suspect>,
}

/// A run of rate limits of distinct URLs with no page served in between.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Suspect {
    /// When the latest of them was let go: an answer to a request let go after it ends
    /// the run.
    sent: Instant,
    /// The end of the longest wait they asked for.
    until: Instant,
    /// How many.
    count: usize,
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

    /// Records at `now` a rate limit asking for `wait`, the first one met by a URL whose
    /// request started at `sent`. The host is spaced out until enough answers have come,
    /// and paused (until the longest of their waits has passed) when this makes `run` (at
    /// least two) URLs limited in a row: no request sent after one of them answered by
    /// something else. False, with nothing changed, when the wait reaches past the end of
    /// representable time.
    pub(crate) fn limited(
        &mut self,
        now: Instant,
        sent: Instant,
        wait: Duration,
        run: usize,
    ) -> bool {
        let Some(until) = now.checked_add(wait) else {
            return false;
        };
        if self.served.is_some_and(|served| served > sent) {
            // A request sent after this one was answered: this URL is limited on its own.
        } else {
            let suspect = self.suspect.get_or_insert(Suspect {
                sent,
                until,
                count: 0,
            });
            suspect.sent = suspect.sent.max(sent);
            suspect.until = suspect.until.max(until);
            suspect.count += 1;
            if suspect.count >= run.max(2) {
                let until = suspect.until;
                self.suspect = None;
                self.paused_until = Some(self.paused_until.map_or(until, |u| u.max(until)));
            }
        }
        self.spacing = FIRST_SPACING;
        self.limited_at = Some(self.limited_at.map_or(now, |at| at.max(now)));
        self.answers = 0;
        true
    }

    /// Records an answer that was not a rate limit to a request started at `started`: it
    /// clears a rate limit of a request sent before it, and each run of `run` of them sent
    /// after the latest rate limit halves the spacing; a small spacing becomes zero.
    pub(crate) fn answered(&mut self, started: Instant, run: usize) {
        self.served = Some(self.served.map_or(started, |s| s.max(started)));
        if self.suspect.as_ref().is_some_and(|s| started > s.sent) {
            self.suspect = None;
        }
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

    /// Whether no request may start at `now`.
    pub(crate) fn paused_at(&self, now: Instant) -> bool {
        self.holds(now)
    }
}

/// A slot at a host: held while the request is in flight, handed on when dropped.
#[derive(Debug)]
pub struct Slot {
    host: Arc<Host>,
    /// When the request was let go.
    pub started: Instant,
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.host.slots().release();
    }
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
        let mut hosts = self.hosts.lock().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(hosts.entry(key.to_string()).or_insert_with(|| {
            Arc::new(Host {
                slots: Mutex::new(Slots {
                    free: self.per_host,
                    follow_ups: VecDeque::new(),
                    firsts: VecDeque::new(),
                }),
                pace: Mutex::new(Pace::default()),
            })
        }))
    }

    fn with_pace<T>(&self, key: &str, f: impl FnOnce(&mut Pace) -> T) -> T {
        f(&mut self.host(key).pace())
    }

    /// Waits for a free slot at `key` (a `follow_up` of a URL already begun is served
    /// before first requests) and for any pause or spacing the host is under; the slot is
    /// held until it drops.
    pub async fn acquire(&self, key: &str, follow_up: bool) -> Slot {
        let host = self.host(key);
        loop {
            let rx = host.slots().take(follow_up);
            let Some(rx) = rx else { break };
            let mut waiting = Waiting {
                host: Arc::clone(&host),
                rx: Some(rx),
            };
            let granted = match waiting.rx.as_mut() {
                Some(rx) => rx.await.is_ok(),
                None => false,
            };
            // Received (or its sender gone): nothing is left for the guard to give back.
            waiting.rx = None;
            if granted {
                break;
            }
        }
        // Held from here, so a task cancelled while it waits for the pace gives it back.
        let mut slot = Slot {
            host: Arc::clone(&host),
            started: Instant::now(),
        };
        loop {
            let start = host.pace().start(Instant::now());
            tokio::time::sleep_until(start).await;
            // A rate limit may have paused the host while this request waited its turn.
            if !host.pace().holds(start) {
                slot.started = start;
                return slot;
            }
        }
    }

    /// Records the first rate limit met by a URL of `key` whose request was let go at
    /// `sent`, asking for `wait`; twice as many URLs limited in a row as the host has slots
    /// pause it (see [`Pace::limited`]). Returns false, and changes nothing, when `wait` reaches
    /// past the end of representable time (a server's `Retry-After: 18446744073709551615`):
    /// no retry can honour it.
    #[must_use]
    pub fn slow_down(&self, key: &str, sent: Instant, wait: Duration) -> bool {
        let run = self.per_host.saturating_mul(2);
        self.with_pace(key, |pace| pace.limited(Instant::now(), sent, wait, run))
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

    /// Whether `key` is paused now.
    #[must_use]
    pub fn paused(&self, key: &str) -> bool {
        self.with_pace(key, |pace| pace.paused_at(Instant::now()))
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

    const MS: Duration = Duration::from_millis(1);

    #[tokio::test]
    async fn a_host_never_gives_more_slots_than_its_limit() {
        let hosts = Hosts::new(2);
        let a = hosts.acquire("a:80", false).await;
        let _b = hosts.acquire("a:80", true).await;
        let third =
            tokio::time::timeout(Duration::from_millis(20), hosts.acquire("a:80", true)).await;
        assert!(third.is_err());
        // Another host is not held up.
        let _other = hosts.acquire("b:80", false).await;
        drop(a);
        let _c = hosts.acquire("a:80", false).await;
    }

    #[tokio::test]
    async fn a_freed_slot_goes_to_a_follow_up_before_first_requests() {
        let hosts = Arc::new(Hosts::new(1));
        let held = hosts.acquire("a:80", false).await;
        let order = Arc::new(Mutex::new(Vec::new()));
        let mut tasks = Vec::new();
        // Two first requests queue, then a follow-up.
        for (name, follow_up) in [("first 1", false), ("first 2", false), ("retry", true)] {
            let (shared, order) = (Arc::clone(&hosts), Arc::clone(&order));
            tasks.push(tokio::spawn(async move {
                let _slot = shared.acquire("a:80", follow_up).await;
                order.lock().unwrap().push(name);
            }));
            // Let it queue before the next one asks.
            let queued = || {
                let host = hosts.host("a:80");
                let slots = host.slots();
                slots.follow_ups.len() + slots.firsts.len()
            };
            while queued() < tasks.len() {
                tokio::task::yield_now().await;
            }
        }
        drop(held);
        for task in tasks {
            task.await.unwrap();
        }
        assert_eq!(*order.lock().unwrap(), ["retry", "first 1", "first 2"]);
    }

    #[tokio::test]
    async fn a_request_given_up_while_waiting_loses_no_slot() {
        let hosts = Hosts::new(1);
        let held = hosts.acquire("a:80", false).await;
        let gave_up =
            tokio::time::timeout(Duration::from_millis(10), hosts.acquire("a:80", false)).await;
        assert!(gave_up.is_err());
        drop(held);
        let again = tokio::time::timeout(Duration::from_secs(5), hosts.acquire("a:80", true)).await;
        assert!(again.is_ok());
    }

    #[tokio::test]
    async fn a_wait_past_the_end_of_time_is_refused_not_a_panic() {
        let hosts = Hosts::new(1);
        let now = Instant::now();
        assert!(!hosts.slow_down("a:80", now, Duration::MAX));
        assert!(!hosts.slow_down("a:80", now, Duration::from_secs(u64::MAX)));
        // Nothing was recorded: the host is not held up.
        assert_eq!(hosts.spacing("a:80"), Duration::ZERO);
        let quick =
            tokio::time::timeout(Duration::from_secs(5), hosts.acquire("a:80", false)).await;
        assert!(quick.is_ok());
        assert!(hosts.slow_down("a:80", now, Duration::from_millis(1)));
    }

    #[test]
    fn a_lone_rate_limit_spaces_its_host_without_pausing_it() {
        let t0 = Instant::now();
        let mut pace = Pace::default();
        assert_eq!(pace.start(t0), t0);
        assert!(pace.limited(t0 + 50 * MS, t0, Duration::from_secs(3), 2));
        // The URL waits for its retry; the host's other requests go on, spaced out.
        let now = t0 + 60 * MS;
        assert!(!pace.paused_at(now));
        assert_eq!(pace.start(now), now);
        assert_eq!(pace.start(now), now + FIRST_SPACING);
    }

    #[test]
    fn a_second_url_limited_before_the_host_served_a_page_pauses_the_host() {
        let t0 = Instant::now();
        let mut pace = Pace::default();
        assert!(pace.limited(t0 + 50 * MS, t0, Duration::from_secs(1), 2));
        // Another URL, sent after the first, limited too: the host refuses every request.
        assert!(pace.limited(t0 + 70 * MS, t0 + 20 * MS, Duration::from_secs(3), 2));
        let end = t0 + 70 * MS + Duration::from_secs(3);
        assert!(pace.paused_at(t0 + Duration::from_secs(2)));
        // Requests asked for during the pause start when it ends, spaced out after it.
        assert_eq!(pace.start(t0 + Duration::from_secs(1)), end);
        assert_eq!(pace.start(t0 + Duration::from_secs(1)), end + FIRST_SPACING);
        // A shorter wait asked for later does not cut the pause short.
        assert!(pace.limited(t0 + 80 * MS, t0 + 30 * MS, MS, 2));
        assert!(pace.limited(t0 + 90 * MS, t0 + 40 * MS, MS, 2));
        assert!(pace.start(t0 + Duration::from_secs(1)) >= end);
    }

    #[test]
    fn a_run_of_limited_urls_with_no_page_served_pauses_the_host() {
        let t0 = Instant::now();
        let mut pace = Pace::default();
        for i in 0..3 {
            assert!(pace.limited(t0 + 50 * MS, t0 + i * MS, Duration::from_secs(1), 4));
            assert!(!pace.paused_at(t0 + 60 * MS));
        }
        // The fourth in a row ends the run: the longest wait holds the host.
        assert!(pace.limited(t0 + 60 * MS, t0 + 3 * MS, Duration::from_secs(2), 4));
        assert!(pace.paused_at(t0 + Duration::from_secs(2)));
        assert_eq!(pace.start(t0), t0 + 60 * MS + Duration::from_secs(2));
        // A page served in a run starts a new one.
        let mut pace = Pace::default();
        for i in 0..3 {
            assert!(pace.limited(t0 + 50 * MS, t0 + i * MS, Duration::from_secs(1), 4));
        }
        pace.answered(t0 + 10 * MS, 4);
        for i in 0..3 {
            assert!(pace.limited(t0 + 90 * MS, t0 + (20 + i) * MS, Duration::from_secs(1), 4));
        }
        assert!(!pace.paused_at(t0 + 100 * MS));
    }

    #[test]
    fn a_page_served_after_the_limited_request_shows_the_limit_was_the_urls_own() {
        let t0 = Instant::now();
        let mut pace = Pace::default();
        assert!(pace.limited(t0 + 50 * MS, t0, Duration::from_secs(1), 2));
        // A request sent after the limited one is answered: the host serves other pages.
        pace.answered(t0 + 10 * MS, 4);
        assert!(pace.limited(t0 + 100 * MS, t0 + 60 * MS, Duration::from_secs(1), 2));
        assert!(!pace.paused_at(t0 + 110 * MS));
        // Answered before the limit was recorded counts the same.
        let mut pace = Pace::default();
        pace.answered(t0 + 10 * MS, 4);
        assert!(pace.limited(t0 + 50 * MS, t0, Duration::from_secs(1), 2));
        assert!(pace.limited(t0 + 100 * MS, t0 + 60 * MS, Duration::from_secs(1), 2));
        assert!(!pace.paused_at(t0 + 110 * MS));
        // An answer to a request sent before the limited one says nothing.
        let mut pace = Pace::default();
        assert!(pace.limited(t0 + 50 * MS, t0 + 5 * MS, Duration::from_secs(1), 2));
        pace.answered(t0, 4);
        assert!(pace.limited(t0 + 100 * MS, t0 + 60 * MS, Duration::from_secs(1), 2));
        assert!(pace.paused_at(t0 + 110 * MS));
    }

    // The regression behind issue 16: one 429 used to slow its host for the rest of the run.
    #[test]
    fn a_host_that_answered_429_once_returns_to_spacing_zero_after_successes() {
        let t0 = Instant::now();
        let mut pace = Pace::default();
        assert!(pace.limited(t0, t0, Duration::from_secs(1), 2));
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
        assert!(pace.limited(t0 + Duration::from_secs(1), t0, Duration::from_secs(1), 2));
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
            assert!(pace.limited(now, t0, Duration::from_secs(1), 2));
        }
        assert_eq!(pace.spacing(), FIRST_SPACING);
        assert_eq!(pace.start(t0), t0 + Duration::from_millis(1004));
        for _ in 0..4 {
            pace.answered(t0 + Duration::from_secs(2), 1);
        }
        assert_eq!(pace.spacing(), Duration::ZERO);
        // Limited again later, by two URLs: paused again, and the same short ramp back.
        let later = t0 + Duration::from_secs(3);
        assert!(pace.limited(later, later, Duration::from_secs(2), 2));
        assert!(pace.limited(later, later + MS, Duration::from_secs(2), 2));
        assert_eq!(pace.spacing(), FIRST_SPACING);
        assert_eq!(pace.start(later), later + Duration::from_secs(2));
    }

    #[test]
    fn time_arithmetic_saturates_instead_of_panicking() {
        let t0 = Instant::now();
        let mut pace = Pace::default();
        assert!(!pace.limited(t0, t0, Duration::MAX, 2));
        assert_eq!(pace, Pace::default());
        assert!(pace.limited(t0, t0, Duration::ZERO, 2));
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
