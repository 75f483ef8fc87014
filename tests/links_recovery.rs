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
