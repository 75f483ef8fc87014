//! The link checker against mock servers on 127.0.0.1: verdicts, request counts, per-host
//! limits, the private-address guard, the cache and archive suggestions.

mod common;
use common::findings;
use std::path::Path;
use std::process::Output;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Writes a post citing each URL in its own note and returns its path.
fn post(dir: &Path, name: &str, urls: &[String]) -> String {
    let mut text = String::new();
    for i in 1..=urls.len() {
        text.push_str(&format!("Claim {i}.[{i}] "));
    }
    text.push_str("\n\n");
    for (i, url) in urls.iter().enumerate() {
        text.push_str(&format!("[{}] See {url}.\n", i + 1));
    }
    let file = dir.join(name);
    std::fs::write(&file, text).unwrap();
    file.to_string_lossy().into_owned()
}

/// Runs the binary off the async runtime, so the mock servers keep answering.
async fn notelint(args: Vec<String>) -> Output {
    tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_notelint"))
            .args(&args)
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    })
    .await
    .unwrap()
}

/// Quick settings for tests: a short timeout and backoff, in this output format.
fn fast_args(format: &str, timeout: &str) -> Vec<String> {
    [
        "--format",
        format,
        "--timeout",
        timeout,
        "--retry-backoff",
        "10ms",
        "--no-progress",
    ]
    .iter()
    .map(ToString::to_string)
    .collect()
}

/// How many requests `server` received with this method and path.
async fn count(server: &MockServer, verb: &str, at: &str) -> usize {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|r| r.method.as_str() == verb && r.url.path() == at)
        .count()
}

async fn respond(server: &MockServer, verb: &str, at: &str, template: ResponseTemplate) {
    Mock::given(method(verb))
        .and(path(at))
        .respond_with(template)
        .mount(server)
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_answer_gets_its_verdict_and_the_policy_request_count() {
    let server = MockServer::start().await;
    let base = server.uri();
    let ok = ResponseTemplate::new(200);
    for verb in ["HEAD", "GET"] {
        respond(&server, verb, "/ok", ok.clone()).await;
        respond(&server, verb, "/new-home", ok.clone()).await;
        respond(&server, verb, "/new-308", ok.clone()).await;
        respond(&server, verb, "/missing", ResponseTemplate::new(404)).await;
        respond(&server, verb, "/gone", ResponseTemplate::new(410)).await;
        respond(&server, verb, "/broken", ResponseTemplate::new(500)).await;
    }
    let moved = |to: &str| ResponseTemplate::new(301).insert_header("Location", to);
    respond(&server, "HEAD", "/moved", moved("/new-home")).await;
    respond(
        &server,
        "HEAD",
        "/moved-308",
        ResponseTemplate::new(308).insert_header("Location", format!("{base}/new-308").as_str()),
    )
    .await;
    respond(&server, "HEAD", "/loop-a", moved("/loop-b")).await;
    respond(&server, "HEAD", "/loop-b", moved("/loop-a")).await;
    // One refusal, then success.
    Mock::given(method("HEAD"))
        .and(path("/limited"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    respond(&server, "HEAD", "/limited", ok.clone()).await;
    Mock::given(method("HEAD"))
        .and(path("/flaky"))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    respond(&server, "HEAD", "/flaky", ok.clone()).await;
    respond(
        &server,
        "HEAD",
        "/slow",
        ResponseTemplate::new(200).set_delay(Duration::from_secs(3)),
    )
    .await;
    respond(&server, "HEAD", "/head-refused", ResponseTemplate::new(405)).await;
    respond(&server, "GET", "/head-refused", ok.clone()).await;

    let dir = tempfile::tempdir().unwrap();
    let paths = [
        "/ok",
        "/moved",
        "/moved-308",
        "/missing",
        "/gone",
        "/limited",
        "/flaky",
        "/broken",
        "/slow",
        "/head-refused",
        "/loop-a",
    ];
    let urls: Vec<String> = paths.iter().map(|p| format!("{base}{p}")).collect();
    let first = post(dir.path(), "a.txt", &urls);
    // The same dead URL cited in another file is requested once and reported twice.
    let second = post(dir.path(), "b.txt", &[format!("{base}/missing")]);

    let mut args = vec![
        "links".to_string(),
        first,
        second,
        "--allow-private".into(),
        "--no-cache".into(),
    ];
    args.extend(fast_args("concise", "300ms"));
    let output = notelint(args).await;
    let u = |p: &str| format!("{base}{p}");
    let mut expected = vec![
        format!(
            "error[dead-link] dead link: {} (404 Not Found)",
            u("/missing")
        ),
        format!(
            "error[dead-link] dead link: {} (404 Not Found)",
            u("/missing")
        ),
        format!("error[dead-link] dead link: {} (410 Gone)", u("/gone")),
        format!(
            "info[link-redirected] {} has moved permanently (301)",
            u("/moved")
        ),
        format!(
            "info[link-redirected] {} has moved permanently (308)",
            u("/moved-308")
        ),
        format!(
            "warning[link-error] could not check {}: 500 Internal Server Error",
            u("/broken")
        ),
        format!(
            "warning[link-error] could not check {}: redirect loop",
            u("/loop-a")
        ),
        format!(
            "warning[link-error] could not check {}: timed out after 300 ms",
            u("/slow")
        ),
    ];
    expected.sort();
    assert_eq!(
        findings(&output),
        expected,
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert_eq!(output.status.code(), Some(1));

    // Once each, plus the GET that confirms a HEAD 404 or 405, plus retries (2 by default).
    for (verb, at, n) in [
        ("HEAD", "/ok", 1),
        ("GET", "/ok", 0),
        ("HEAD", "/moved", 1),
        ("HEAD", "/new-home", 1),
        ("HEAD", "/moved-308", 1),
        ("HEAD", "/new-308", 1),
        ("HEAD", "/missing", 1),
        ("GET", "/missing", 1),
        ("HEAD", "/gone", 1),
        ("GET", "/gone", 0),
        ("HEAD", "/limited", 2),
        ("HEAD", "/flaky", 2),
        ("HEAD", "/broken", 3),
        ("HEAD", "/slow", 3),
        ("HEAD", "/head-refused", 1),
        ("GET", "/head-refused", 1),
        ("HEAD", "/loop-a", 1),
        ("HEAD", "/loop-b", 1),
    ] {
        assert_eq!(count(&server, verb, at).await, n, "{verb} {at}");
    }
    let total = server.received_requests().await.unwrap().len();
    assert_eq!(total, 22);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_redirect_help_gives_the_final_url() {
    let server = MockServer::start().await;
    let base = server.uri();
    respond(
        &server,
        "HEAD",
        "/old",
        ResponseTemplate::new(301).insert_header("Location", "/newer"),
    )
    .await;
    respond(
        &server,
        "HEAD",
        "/newer",
        ResponseTemplate::new(308).insert_header("Location", "/newest"),
    )
    .await;
    respond(&server, "HEAD", "/newest", ResponseTemplate::new(200)).await;
    let dir = tempfile::tempdir().unwrap();
    let file = post(dir.path(), "a.txt", &[format!("{base}/old")]);
    let mut args = vec![
        "links".to_string(),
        file,
        "--allow-private".into(),
        "--no-cache".into(),
    ];
    args.extend(fast_args("json", "300ms"));
    let output = notelint(args).await;
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let d = &report["diagnostics"][0];
    assert_eq!(d["rule"], "link-redirected");
    assert_eq!(d["help"], format!("cite the new address: {base}/newest"));
    assert_eq!(output.status.code(), Some(0));
}

/// A server that answers every request after a pause, counting how many it serves at once.
async fn counting_server(pause: Duration) -> (String, Arc<AtomicUsize>, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let busy = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let served = Arc::new(AtomicUsize::new(0));
    let (b, m, s) = (Arc::clone(&busy), Arc::clone(&most), Arc::clone(&served));
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let (busy, most, served) = (Arc::clone(&b), Arc::clone(&m), Arc::clone(&s));
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 1024];
                loop {
                    // One request head at a time (HEAD requests carry no body).
                    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                        match socket.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    }
                    let end = buf.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
                    buf.drain(..end);
                    let now = busy.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    served.fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(pause).await;
                    busy.fetch_sub(1, Ordering::SeqCst);
                    let reply = b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n";
                    if socket.write_all(reply).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (format!("http://{addr}"), most, served)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_host_never_sees_more_requests_at_once_than_the_host_limit() {
    let (base, most, served) = counting_server(Duration::from_millis(50)).await;
    let dir = tempfile::tempdir().unwrap();
    let urls: Vec<String> = (0..12).map(|i| format!("{base}/page/{i}")).collect();
    let file = post(dir.path(), "a.txt", &urls);
    let mut args = vec![
        "links".to_string(),
        file,
        "--allow-private".into(),
        "--no-cache".into(),
        "--host-concurrency".into(),
        "2".into(),
    ];
    args.extend(fast_args("concise", "5s"));
    let output = notelint(args).await;
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert_eq!(served.load(Ordering::SeqCst), 12);
    let most = most.load(Ordering::SeqCst);
    assert!((1..=2).contains(&most), "{most} requests at once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn private_addresses_are_skipped_without_allow_private() {
    let server = MockServer::start().await;
    respond(&server, "HEAD", "/missing", ResponseTemplate::new(404)).await;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("{}/missing", server.uri());
    let file = post(
        dir.path(),
        "a.txt",
        &[url.clone(), "http://localhost:9/x".into()],
    );
    let mut args = vec![
        "check".to_string(),
        "--check-links".into(),
        file,
        "--no-cache".into(),
    ];
    args.extend(fast_args("concise", "300ms"));
    let output = notelint(args).await;
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(findings(&output).is_empty(), "{stdout}");
    assert!(
        stdout.contains(&format!(
            "note: 2 links not checked: loopback, private or link-local addresses (--allow-private checks them): {url}, http://localhost:9/x"
        )),
        "{stdout}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 0);
    assert_eq!(output.status.code(), Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_run_asks_nothing_the_cache_knows() {
    let server = MockServer::start().await;
    respond(&server, "HEAD", "/ok", ResponseTemplate::new(200)).await;
    respond(&server, "HEAD", "/missing", ResponseTemplate::new(404)).await;
    respond(&server, "GET", "/missing", ResponseTemplate::new(404)).await;
    let dir = tempfile::tempdir().unwrap();
    let urls = vec![
        format!("{}/ok", server.uri()),
        format!("{}/missing", server.uri()),
    ];
    let file = post(dir.path(), "a.txt", &urls);
    let cache = dir.path().join("cache.json").to_string_lossy().into_owned();
    let mut args = vec![
        "links".to_string(),
        file,
        "--allow-private".into(),
        "--cache".into(),
        cache.clone(),
    ];
    args.extend(fast_args("concise", "300ms"));

    let first = notelint(args.clone()).await;
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
    let second = notelint(args.clone()).await;
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        3,
        "the second run sent requests"
    );
    assert_eq!(findings(&first), findings(&second));
    assert_eq!(findings(&second).len(), 1);
    // The summary's counts say where the answers came from.
    assert!(String::from_utf8_lossy(&second.stdout).contains(", 2 from cache\n"));

    // A damaged cache (cut short) is ignored with a warning, and replaced.
    let whole = std::fs::read_to_string(&cache).unwrap();
    std::fs::write(&cache, &whole[..whole.len() / 2]).unwrap();
    let third = notelint(args.clone()).await;
    assert_eq!(third.stdout, first.stdout);
    assert!(String::from_utf8_lossy(&third.stderr).contains("starting afresh"));
    assert_eq!(server.received_requests().await.unwrap().len(), 6);
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&cache).unwrap()).unwrap();
    assert_eq!(saved["format"], "notelint-link-cache");

    // A file that is not a notelint cache is ignored with a warning, and left alone.
    std::fs::write(&cache, "{\"entries\": [").unwrap();
    let fourth = notelint(args).await;
    assert_eq!(fourth.stdout, first.stdout);
    let stderr = String::from_utf8_lossy(&fourth.stderr);
    assert!(stderr.contains("neither used nor replaced"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&cache).unwrap(), "{\"entries\": [");
}

/// The cache entries of a file, for a test to tamper with.
fn cache_with(entries: &[(&str, u64)]) -> String {
    let entries: serde_json::Map<String, serde_json::Value> = entries
        .iter()
        .map(|(url, checked)| {
            (
                (*url).to_string(),
                serde_json::json!({"checked": checked, "status": "ok"}),
            )
        })
        .collect();
    serde_json::json!({"format": "notelint-link-cache", "version": 1, "entries": entries})
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cache_entries_checked_in_the_future_are_checked_again() {
    let server = MockServer::start().await;
    respond(&server, "HEAD", "/missing", ResponseTemplate::new(404)).await;
    respond(&server, "GET", "/missing", ResponseTemplate::new(404)).await;
    let dir = tempfile::tempdir().unwrap();
    let far = format!("{}/missing?far", server.uri());
    let max = format!("{}/missing?max", server.uri());
    let file = post(dir.path(), "a.txt", &[far.clone(), max.clone()]);
    let cache = dir.path().join("cache.json");
    let in_two_hours = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 2 * 60 * 60;
    std::fs::write(
        &cache,
        cache_with(&[(&far, in_two_hours), (&max, u64::MAX)]),
    )
    .unwrap();
    let mut args = vec![
        "links".to_string(),
        file,
        "--allow-private".into(),
        "--cache".into(),
        cache.to_string_lossy().into_owned(),
        "--cache-max-age".into(),
        "18446744073709551615".into(),
    ];
    args.extend(fast_args("concise", "2s"));
    let output = notelint(args).await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(
        findings(&output).len(),
        2,
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert_eq!(output.status.code(), Some(1));
    // The planted entries are gone; the fresh answers (dead) replace them.
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&cache).unwrap()).unwrap();
    for url in [&far, &max] {
        assert_eq!(saved["entries"][url]["status"], "dead", "{saved}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endless_retry_after_is_a_link_error_not_a_panic() {
    let server = MockServer::start().await;
    for (at, wait) in [
        ("/max", "18446744073709551615"),
        ("/beyond", "99999999999999999999999999"),
        ("/years", "3153600000"),
    ] {
        for verb in ["HEAD", "GET"] {
            respond(
                &server,
                verb,
                at,
                ResponseTemplate::new(429).insert_header("Retry-After", wait),
            )
            .await;
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let urls: Vec<String> = ["/max", "/beyond", "/years"]
        .iter()
        .map(|p| format!("{}{p}", server.uri()))
        .collect();
    let file = post(dir.path(), "a.txt", &urls);
    for max_wait in ["18446744073709551615", "100000000000d"] {
        let mut args = vec![
            "links".to_string(),
            file.clone(),
            "--allow-private".into(),
            "--no-cache".into(),
            "--deny".into(),
            "warnings".into(),
            "--max-retry-wait".into(),
            max_wait.into(),
        ];
        args.extend(fast_args("concise", "2s"));
        let output = notelint(args).await;
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{stderr}");
        let found = findings(&output);
        assert_eq!(found.len(), 3, "{found:?}");
        for line in &found {
            assert!(
                line.starts_with("warning[link-error] could not check ")
                    && line.contains("429 Too Many Requests: rate-limited, asked to wait"),
                "{line}"
            );
        }
        assert_eq!(output.status.code(), Some(1), "{max_wait}");
    }
}

/// Runs the binary with every proxy variable of the environment pointing at `proxy`.
async fn notelint_behind(proxy: String, args: Vec<String>) -> Output {
    tokio::task::spawn_blocking(move || {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_notelint"));
        for var in [
            "NO_PROXY",
            "no_proxy",
            "http_proxy",
            "https_proxy",
            "all_proxy",
        ] {
            cmd.env_remove(var);
        }
        cmd.args(&args)
            .env("NO_COLOR", "1")
            .env("HTTP_PROXY", &proxy)
            .env("HTTPS_PROXY", &proxy)
            .env("ALL_PROXY", &proxy)
            .output()
            .unwrap()
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_a_proxy_private_hosts_are_still_refused() {
    // The mock server is the proxy: a request the guard lets through reaches it.
    let proxy = MockServer::start().await;
    let port = proxy.address().port();
    respond(&proxy, "HEAD", "/ok", ResponseTemplate::new(200)).await;
    respond(
        &proxy,
        "HEAD",
        "/to-metadata",
        ResponseTemplate::new(301)
            .insert_header("Location", "http://169.254.169.254/latest/meta-data/"),
    )
    .await;
    let refused = [
        format!("http://localhost:{port}/a"),
        format!("http://foo.localhost:{port}/b"),
        format!("http://localhost.:{port}/c"),
        format!("http://127.1:{port}/d"),
        format!("http://2130706433:{port}/e"),
        format!("http://[::ffff:0:7f00:1]:{port}/f"),
        "http://169.254.169.254/latest/meta-data/".to_string(),
    ];
    let dir = tempfile::tempdir().unwrap();
    let mut urls = refused.to_vec();
    // A name that does not resolve here is left to the proxy: the control showing that
    // requests do go through it.
    urls.push("http://notelint-test.invalid/ok".to_string());
    urls.push("http://notelint-test.invalid/to-metadata".to_string());
    let file = post(dir.path(), "a.txt", &urls);
    let mut args = vec!["links".to_string(), file, "--no-cache".into()];
    args.extend(fast_args("concise", "5s"));
    let output = notelint_behind(proxy.uri(), args).await;
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.starts_with("no problems in 1 file"), "{stdout}");
    assert!(stdout.contains("note: 8 links not checked"), "{stdout}");
    assert!(
        stdout.contains("notelint-test.invalid/to-metadata"),
        "{stdout}"
    );
    let mut seen: Vec<String> = proxy
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|r| format!("{} {}", r.method, r.url.path()))
        .collect();
    seen.sort();
    assert_eq!(seen, ["HEAD /ok", "HEAD /to-metadata"]);
    assert_eq!(output.status.code(), Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dead_links_get_an_archived_snapshot_suggested() {
    let server = MockServer::start().await;
    respond(&server, "HEAD", "/gone", ResponseTemplate::new(410)).await;
    let dead = format!("{}/gone", server.uri());
    let snapshot = format!("https://web.archive.org/web/20200101000000/{dead}");
    Mock::given(method("GET"))
        .and(path("/wayback/available"))
        .and(query_param("url", dead.as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "url": dead,
            "archived_snapshots": {"closest": {"status": "200", "available": true, "url": snapshot, "timestamp": "20200101000000"}}
        })))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let file = post(dir.path(), "a.txt", std::slice::from_ref(&dead));
    let mut args = vec![
        "links".to_string(),
        file,
        "--allow-private".into(),
        "--no-cache".into(),
        "--suggest-archive".into(),
        "--archive-endpoint".into(),
        format!("{}/wayback/available", server.uri()),
    ];
    args.extend(fast_args("json", "300ms"));
    let output = notelint(args).await;
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let d = &report["diagnostics"][0];
    assert_eq!(d["rule"], "dead-link");
    assert_eq!(
        d["help"],
        format!("cite the archived copy instead: {snapshot}")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn excluded_urls_are_not_requested_and_the_user_agent_is_sent() {
    let server = MockServer::start().await;
    Mock::given(method("HEAD"))
        .and(path("/ok"))
        .and(header("user-agent", "archive-audit/1.0"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let urls = vec![
        format!("{}/ok", server.uri()),
        format!("{}/private/x", server.uri()),
    ];
    let file = post(dir.path(), "a.txt", &urls);
    let mut args = vec![
        "links".to_string(),
        file,
        "--allow-private".into(),
        "--no-cache".into(),
        "--exclude".into(),
        "/private/".into(),
        "--user-agent".into(),
        "archive-audit/1.0".into(),
    ];
    args.extend(fast_args("concise", "300ms"));
    let output = notelint(args).await;
    assert!(findings(&output).is_empty());
    assert_eq!(count(&server, "HEAD", "/ok").await, 1);
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    assert_eq!(output.status.code(), Some(0));
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_stops_with_130_and_keeps_what_was_checked() {
    let server = MockServer::start().await;
    respond(&server, "HEAD", "/ok", ResponseTemplate::new(200)).await;
    respond(
        &server,
        "HEAD",
        "/slow",
        ResponseTemplate::new(200).set_delay(Duration::from_secs(20)),
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let ok = format!("{}/ok", server.uri());
    let urls = vec![ok.clone(), format!("{}/slow", server.uri())];
    let file = post(dir.path(), "a.txt", &urls);
    let cache = dir.path().join("cache.json");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_notelint"))
        .args([
            "links",
            &file,
            "--allow-private",
            "--no-progress",
            "--timeout",
            "30s",
        ])
        .arg("--cache")
        .arg(&cache)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until both requests are in, so the fast answer is known.
    for _ in 0..200 {
        if server.received_requests().await.unwrap().len() >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let code = tokio::task::spawn_blocking(move || child.wait().unwrap().code())
        .await
        .unwrap();
    assert_eq!(code, Some(130));
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&cache).unwrap()).unwrap();
    assert_eq!(saved["entries"][&ok]["status"], "ok");
}

/// A server that answers a TLS handshake with plain HTTP: the client's TLS fails, and the
/// link is dead (not retried as a flaky network would be).
#[tokio::test]
async fn a_failed_tls_handshake_is_a_dead_link() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut hello = [0u8; 512];
            let _ = stream.read(&mut hello).await;
            let _ = stream
                .write_all(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n")
                .await;
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let file = post(
        dir.path(),
        "a.txt",
        &[format!("https://127.0.0.1:{port}/page")],
    );
    let mut args = vec![
        "links".to_string(),
        file,
        "--no-cache".into(),
        "--allow-private".into(),
        "--retries".into(),
        "0".into(),
    ];
    args.extend(fast_args("concise", "2s"));
    let output = notelint(args).await;
    let found = findings(&output);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("error[dead-link]") && found[0].contains("TLS failure"),
        "{found:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn links_writes_the_audit_report_and_csv_and_counts_in_its_summary() {
    let server = MockServer::start().await;
    respond(&server, "HEAD", "/alive", ResponseTemplate::new(200)).await;
    respond(&server, "HEAD", "/gone", ResponseTemplate::new(404)).await;
    respond(&server, "GET", "/gone", ResponseTemplate::new(404)).await;
    let dir = tempfile::tempdir().unwrap();
    let urls = vec![
        format!("{}/alive", server.uri()),
        format!("{}/gone", server.uri()),
    ];
    let file = post(dir.path(), "post.txt", &urls);
    let report = dir.path().join("audit.html");
    let cache = dir.path().join("cache.json");

    let mut args = vec!["links".to_string(), "--allow-private".into()];
    args.extend(fast_args("concise", "5s"));
    args.extend([
        "--cache".into(),
        cache.display().to_string(),
        "--report".into(),
        report.display().to_string(),
        file.clone(),
    ]);
    let out = notelint(args.clone()).await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains(
            "note: 2 links cited: 2 checked (1 alive, 0 redirected, 1 dead, 0 errors), 0 skipped"
        ),
        "{stdout}"
    );
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") || html.starts_with("<!doctype html>"));
    assert!(html.contains("/gone") && html.contains("<svg"), "{html}");

    // Again, from the cache, as CSV: one row per link, the cache counted.
    let mut csv_args = vec!["links".to_string(), "--allow-private".into()];
    csv_args.extend(fast_args("csv", "5s"));
    csv_args.extend(["--cache".into(), cache.display().to_string(), file]);
    let out = notelint(csv_args).await;
    let csv = String::from_utf8_lossy(&out.stdout);
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows.len(), 3, "{csv}");
    assert!(rows[0].starts_with("file,post,"), "{csv}");
    assert!(
        rows[1].contains("/alive,alive,") && rows[1].ends_with(",yes"),
        "{csv}"
    );
    assert!(rows[2].contains("/gone,dead,"), "{csv}");
}

#[test]
fn csv_is_a_format_of_links_only() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_notelint"))
        .args(["check", "--format", "csv", "fixtures/text/clean-post.txt"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("notelint links"));
}
