//! The link checker's recovery from rate limits, against mock servers on 127.0.0.1: a 429
//! (or a 503 with `Retry-After`) once passes on its retry, always keeps the verdict it always
//! had, and neither costs other URLs of the host more than the requests the policy sends.

mod common;
use common::findings;
use std::path::Path;
use std::process::Output;
use std::time::{Duration, SystemTime};

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Writes a post citing each URL in its own note and returns its path.
fn post(dir: &Path, urls: &[String]) -> String {
    let mut text = String::new();
    for i in 1..=urls.len() {
        text.push_str(&format!("Claim {i}.[{i}] "));
    }
    text.push_str("\n\n");
    for (i, url) in urls.iter().enumerate() {
        text.push_str(&format!("[{}] See {url}.\n", i + 1));
    }
    let file = dir.join("a.txt");
    std::fs::write(&file, text).unwrap();
    file.to_string_lossy().into_owned()
}

/// Runs `notelint links` on `file` off the async runtime, so the mock server keeps answering.
async fn links(file: String) -> Output {
    tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_notelint"))
            .args([
                "links",
                &file,
                "--allow-private",
                "--no-cache",
                "--no-progress",
                "--format",
                "concise",
                "--retry-backoff",
                "10ms",
                "--timeout",
                "5s",
            ])
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    })
    .await
    .unwrap()
}

async fn count(server: &MockServer, at: &str) -> usize {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|r| r.url.path() == at)
        .count()
}

/// Answers HEAD at `at` with `first` the first `times` times, then with 200.
async fn answer(server: &MockServer, at: &str, first: ResponseTemplate, times: u64) {
    if times > 0 {
        Mock::given(method("HEAD"))
            .and(path(at))
            .respond_with(first)
            .up_to_n_times(times)
            .with_priority(1)
            .mount(server)
            .await;
    }
    Mock::given(method("HEAD"))
        .and(path(at))
        .respond_with(ResponseTemplate::new(200))
        .mount(server)
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limits_once_pass_and_always_keep_their_verdict() {
    let server = MockServer::start().await;
    let base = server.uri();
    let date = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(1));
    let limited = |after: &str| ResponseTemplate::new(429).insert_header("Retry-After", after);
    let busy = |after: &str| ResponseTemplate::new(503).insert_header("Retry-After", after);
    answer(&server, "/429-once", limited("1"), 1).await;
    answer(&server, "/429-once-date", limited(&date), 1).await;
    answer(&server, "/429-always", limited("1"), u64::MAX).await;
    answer(&server, "/429-always-date", limited(&date), u64::MAX).await;
    answer(&server, "/503-once", busy("1"), 1).await;
    answer(&server, "/503-always", busy("0"), u64::MAX).await;
    let pages: Vec<String> = (0..24).map(|i| format!("/page/{i}")).collect();
    for page in &pages {
        answer(&server, page, ResponseTemplate::new(200), 0).await;
    }
    let limits = [
        "/429-once",
        "/429-once-date",
        "/429-always",
        "/429-always-date",
        "/503-once",
        "/503-always",
    ];
    let urls: Vec<String> = limits
        .iter()
        .copied()
        .chain(pages.iter().map(String::as_str))
        .map(|p| format!("{base}{p}"))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let output = links(post(dir.path(), &urls)).await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    // The verdicts the checker gave before it recovered from rate limits.
    let mut expected = vec![
        format!("warning[link-error] could not check {base}/429-always: 429 Too Many Requests: rate-limited"),
        format!("warning[link-error] could not check {base}/429-always-date: 429 Too Many Requests: rate-limited"),
        format!("warning[link-error] could not check {base}/503-always: 503 Service Unavailable"),
    ];
    expected.sort();
    assert_eq!(findings(&output), expected);
    // One request per URL, plus its retries (2 by default) while it is refused.
    for (at, n) in [
        ("/429-once", 2),
        ("/429-once-date", 2),
        ("/429-always", 3),
        ("/429-always-date", 3),
        ("/503-once", 2),
        ("/503-always", 3),
    ] {
        assert_eq!(count(&server, at).await, n, "{at}");
    }
    for page in &pages {
        assert_eq!(count(&server, page).await, 1, "{page}");
    }
    let total = server.received_requests().await.unwrap().len();
    assert_eq!(total, 15 + pages.len());
}

/// One request as a [`Scripted`] server saw it.
#[derive(Debug, Clone)]
struct Seen {
    at: std::time::Instant,
    method: String,
    path: String,
    status: u16,
    /// Until when the answer asked the client to wait (a rate limit).
    window: Option<std::time::Instant>,
}

/// What a scripted server answers: status and `Retry-After` seconds, given the requests so
/// far and the new one's method and path.
type Script = dyn Fn(&[Seen], &str, &str) -> (u16, Option<u64>) + Send + Sync;

/// A server on 127.0.0.1 that answers by `script` after `delay`, one connection at a time
/// per client connection (keep-alive), and records every request.
async fn scripted(
    delay: Duration,
    script: Box<Script>,
) -> (String, std::sync::Arc<std::sync::Mutex<Vec<Seen>>>) {
    use std::sync::{Arc, Mutex};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen: Arc<Mutex<Vec<Seen>>> = Arc::new(Mutex::new(Vec::new()));
    let script: Arc<Script> = Arc::from(script);
    let log = Arc::clone(&seen);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let (log, script) = (Arc::clone(&log), Arc::clone(&script));
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 1024];
                loop {
                    // One request head at a time (HEAD and GET carry no body here).
                    let end = loop {
                        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                            break i + 4;
                        }
                        match socket.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    };
                    let head = String::from_utf8_lossy(&buf[..end]).into_owned();
                    buf.drain(..end);
                    let mut words = head.split_whitespace();
                    let method = words.next().unwrap_or_default().to_string();
                    let path = words.next().unwrap_or_default().to_string();
                    let at = std::time::Instant::now();
                    let (status, wait) = {
                        let mut log = log.lock().unwrap();
                        let (status, wait) = script(&log, &method, &path);
                        log.push(Seen {
                            at,
                            method,
                            path,
                            status,
                            window: wait.map(|w| at + Duration::from_secs(w)),
                        });
                        (status, wait)
                    };
                    tokio::time::sleep(delay).await;
                    let retry = wait.map_or(String::new(), |w| format!("retry-after: {w}\r\n"));
                    let reply = format!("HTTP/1.1 {status} X\r\n{retry}content-length: 0\r\n\r\n");
                    if socket.write_all(reply.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (format!("http://{addr}"), seen)
}

/// Runs `notelint links` on `urls` with a host limit of `host_limit` and the fast retry
/// settings of [`links`].
async fn links_with_host_limit(urls: &[String], host_limit: usize) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let file = post(dir.path(), urls);
    tokio::task::spawn_blocking(move || {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_notelint"))
            .args([
                "links",
                &file,
                "--allow-private",
                "--no-cache",
                "--no-progress",
                "--format",
                "concise",
                "--retry-backoff",
                "10ms",
                "--timeout",
                "5s",
                "--host-concurrency",
                &host_limit.to_string(),
            ])
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        drop(dir);
        out
    })
    .await
    .unwrap()
}

/// Requests to a URL sent before the window an earlier answer to it asked for had passed.
fn early_retries(seen: &[Seen]) -> usize {
    seen.iter()
        .enumerate()
        .filter(|(i, s)| {
            seen[..*i]
                .iter()
                .any(|e| e.path == s.path && e.window.is_some_and(|w| w > s.at))
        })
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retry_and_the_get_after_a_refused_head_go_before_urls_not_yet_begun() {
    let script = |seen: &[Seen], _: &str, path: &str| {
        let before = seen.iter().filter(|s| s.path == path).count();
        match path {
            "/dead" => (404, None),
            "/flaky" if before == 0 => (500, None),
            _ => (200, None),
        }
    };
    let (base, seen) = scripted(Duration::from_millis(20), Box::new(script)).await;
    let mut urls = vec![format!("{base}/dead"), format!("{base}/flaky")];
    urls.extend((0..20).map(|i| format!("{base}/page/{i}")));
    let output = links_with_host_limit(&urls, 1).await;
    assert_eq!(
        findings(&output),
        [format!(
            "error[dead-link] dead link: {base}/dead (404 Not Found)"
        )]
    );
    let seen = seen.lock().unwrap().clone();
    let order: Vec<String> = seen
        .iter()
        .map(|s| format!("{} {}", s.method, s.path))
        .collect();
    assert_eq!(order.len(), 24, "{order:?}");
    // One slot: the HEADs of /dead and /flaky, then the two follow-ups before the 20 pages
    // queued since the start (a page or two may slip in while /flaky backs off).
    let at = |wanted: &str, nth: usize| {
        order
            .iter()
            .enumerate()
            .filter(|(_, o)| *o == wanted)
            .nth(nth)
            .map(|(i, _)| i)
            .unwrap()
    };
    assert!(at("GET /dead", 0) <= 3, "{order:?}");
    assert!(at("HEAD /flaky", 1) <= 5, "{order:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_url_limited_alone_waits_for_its_retry_without_holding_up_its_host() {
    let script = |seen: &[Seen], _: &str, path: &str| {
        let first = !seen.iter().any(|s| s.path == path);
        if path == "/limited" && first {
            (429, Some(3))
        } else {
            (200, None)
        }
    };
    let (base, seen) = scripted(Duration::ZERO, Box::new(script)).await;
    let mut urls = vec![format!("{base}/limited")];
    urls.extend((0..8).map(|i| format!("{base}/page/{i}")));
    let output = links_with_host_limit(&urls, 1).await;
    assert_eq!(findings(&output), Vec::<String>::new());
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 10, "{seen:?}");
    assert_eq!(early_retries(&seen), 0, "{seen:?}");
    // The other URLs of the host were all checked while /limited waited for its retry.
    // Under load the first request to arrive may be a page: find the limited one.
    let window = seen
        .iter()
        .find_map(|s| (s.path == "/limited").then_some(s.window).flatten())
        .expect("/limited was rate-limited with a Retry-After");
    let pages_in_window = seen
        .iter()
        .filter(|s| s.path.starts_with("/page/") && s.at < window)
        .count();
    assert_eq!(pages_in_window, 8, "{seen:?}");
    assert_eq!(seen.last().unwrap().path, "/limited");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_host_that_refuses_every_request_is_paused_until_its_wait_has_passed() {
    // A limiter for the whole host: tripped by the first request, it refuses every request
    // for two seconds.
    let script = |seen: &[Seen], _: &str, _: &str| match seen.first() {
        None => (429, Some(2)),
        Some(first) if first.at + Duration::from_secs(2) > std::time::Instant::now() => {
            (429, Some(2))
        }
        Some(_) => (200, None),
    };
    let (base, seen) = scripted(Duration::from_millis(20), Box::new(script)).await;
    let urls: Vec<String> = (0..20).map(|i| format!("{base}/page/{i}")).collect();
    let output = links_with_host_limit(&urls, 2).await;
    assert_eq!(findings(&output), Vec::<String>::new());
    let seen = seen.lock().unwrap().clone();
    assert_eq!(early_retries(&seen), 0, "{seen:?}");
    // Two rounds of both slots refused (four URLs in a row) pause the host: during the
    // window it sees those and at most a round already on its way, not its twenty URLs.
    let refused = seen.iter().filter(|s| s.status == 429).count();
    assert!((4..=6).contains(&refused), "{seen:?}");
    // Every URL once, and each refused one once more.
    assert_eq!(seen.len(), 20 + refused, "{seen:?}");
}
