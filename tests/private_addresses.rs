//! The private-address guard: every form of a loopback, private, link-local, metadata or
//! otherwise non-public address is refused without `--allow-private`, and never contacted.
//!
//! Every check here goes through a proxy that is our own listener on 127.0.0.1, and the
//! loopback forms name that listener's port, so an address the guard let through would reach
//! the listener (and be counted) instead of any real network. Host names come from a table,
//! not the system resolver.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{IpAddr, TcpListener};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use notelint::links::filter::{is_private, LookupFn};
use notelint::links::{check_urls_with, LinkOptions, LinkStatus, SkipReason};

/// A listener on 127.0.0.1 acting as proxy and loopback target: it records each request line
/// and answers 200, or a redirect for `/redirect-to-*` paths.
struct Listener {
    port: u16,
    requests: Arc<Mutex<Vec<String>>>,
}

impl Listener {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&requests);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
                let mut line = String::new();
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let _ = reader.read_line(&mut line);
                // Read the headers to their end.
                let mut header = String::new();
                while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                    header.clear();
                }
                let line = line.trim().to_string();
                let answer = if line.contains("/redirect-to-metadata") {
                    "HTTP/1.1 301 Moved Permanently\r\nLocation: http://169.254.169.254/latest/meta-data/\r\n".to_string()
                } else if line.contains("/redirect-to-loopback") {
                    format!("HTTP/1.1 302 Found\r\nLocation: http://127.1:{port}/secret\r\n")
                } else if line.contains("/redirect-to-rebind") {
                    "HTTP/1.1 302 Found\r\nLocation: http://rebind.test/\r\n".to_string()
                } else {
                    "HTTP/1.1 200 OK\r\n".to_string()
                };
                seen.lock().unwrap().push(line);
                let _ = stream.write_all(
                    format!("{answer}Content-Length: 0\r\nConnection: close\r\n\r\n").as_bytes(),
                );
            }
        });
        Self { port, requests }
    }

    fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }

    fn options(&self, allow_private: bool) -> LinkOptions {
        LinkOptions {
            allow_private,
            cache: None,
            retries: 0,
            timeout: Duration::from_secs(5),
            progress: false,
            proxy: Some(format!("http://127.0.0.1:{}", self.port)),
            ..LinkOptions::default()
        }
    }
}

/// Names that resolve, here, to private addresses; any other name does not resolve.
fn resolver() -> LookupFn {
    let table: HashMap<&str, &str> = HashMap::from([
        ("intranet.test", "10.0.0.5"),
        ("rebind.test", "127.0.0.1"),
        ("metadata.test", "169.254.169.254"),
        ("v6.test", "::1"),
        ("mapped.test", "::ffff:10.0.0.1"),
        ("nat64.test", "64:ff9b::a9fe:a9fe"),
    ]);
    let table: HashMap<String, IpAddr> = table
        .into_iter()
        .map(|(n, ip)| (n.to_string(), ip.parse().unwrap()))
        .collect();
    Arc::new(move |host: String| {
        let found = table.get(&host).copied();
        Box::pin(async move {
            found
                .map(|ip| vec![ip])
                .ok_or_else(|| std::io::Error::other("failed to lookup address information"))
        })
    })
}

/// Every form refused; `{P}` is the listener's port.
const REFUSED: &[&str] = &[
    // IPv4 loopback, written every way the URL standard accepts.
    "http://127.0.0.1:{P}/",
    "http://2130706433:{P}/",
    "http://0177.0.0.1:{P}/",
    "http://0x7f.1:{P}/",
    "http://0x7f000001:{P}/",
    "http://0x7F.0.0.1:{P}/",
    "http://127.1:{P}/",
    "http://127.0.0.1.:{P}/",
    "http://%31%32%37.0.0.1:{P}/",
    "http://\u{ff11}\u{ff12}\u{ff17}.\u{ff10}.\u{ff10}.\u{ff11}:{P}/",
    "http://127\u{3002}0\u{3002}0\u{3002}1:{P}/",
    "http://example.org@127.0.0.1:{P}/",
    "https://127.0.0.1:{P}/",
    // Other IPv4 ranges.
    "http://10.1/",
    "http://10.0.0.1/",
    "http://172.16.0.1/",
    "http://172.31.255.255/",
    "http://192.168.1.1/",
    "http://0.0.0.0:{P}/",
    "http://0:{P}/",
    "http://0.1.2.3/",
    "http://100.64.0.1/",
    "http://100.127.255.254/",
    "http://169.254.169.254/latest/meta-data/",
    "http://169.254.0.1/",
    "http://192.0.0.170/",
    "http://192.0.2.1/",
    "http://198.18.0.1/",
    "http://198.19.255.255/",
    "http://198.51.100.7/",
    "http://203.0.113.9/",
    "http://240.0.0.1/",
    "http://255.255.255.255/",
    "http://224.0.0.1/",
    "http://239.255.255.250/",
    // IPv6.
    "http://[::1]:{P}/",
    "http://[0:0:0:0:0:0:0:1]:{P}/",
    "https://[::1]:{P}/",
    "http://[::]:{P}/",
    "http://[::127.0.0.1]:{P}/",
    "http://[::ffff:127.0.0.1]:{P}/",
    "http://[::ffff:7f00:1]:{P}/",
    "http://[::ffff:169.254.169.254]/",
    "http://[::ffff:0:7f00:1]:{P}/",
    "http://[::ffff:0:a9fe:a9fe]/",
    "http://[64:ff9b::7f00:1]/",
    "http://[64:ff9b::169.254.169.254]/",
    "http://[64:ff9b:1::a00:1]/",
    "http://[2002:7f00:1::]/",
    "http://[2002:a9fe:a9fe::1]/",
    "http://[2002:c0a8:101::1]/",
    "http://[2001::1]/",
    "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/",
    "http://[fe80::1]/",
    "http://[febf::1]/",
    "http://[fc00::1]/",
    "http://[fd12:3456::1]/",
    "http://[fec0::1]/",
    "http://[ff02::1]/",
    "http://[ff0e::1]/",
    "http://[2001:db8::1]/",
    "http://[3fff::1]/",
    "http://[100::1]/",
    // Names.
    "http://localhost:{P}/",
    "http://LOCALHOST:{P}/",
    "http://localhost.:{P}/",
    "http://foo.localhost:{P}/",
    "http://a.b.localhost.:{P}/",
    "https://localhost:{P}/",
    // Names resolving to private addresses (through the test resolver).
    "http://intranet.test:{P}/",
    "http://rebind.test:{P}/",
    "http://REBIND.test.:{P}/",
    "http://metadata.test/latest/meta-data/",
    "http://v6.test:{P}/",
    "http://mapped.test/",
    "http://nat64.test/",
    // Redirects to private addresses, re-checked at the hop.
    "http://public.invalid/redirect-to-metadata",
    "http://public.invalid/redirect-to-loopback",
    "http://public.invalid/redirect-to-rebind",
];

fn check(listener: &Listener, urls: &[String], allow_private: bool) -> HashMap<String, LinkStatus> {
    check_urls_with(urls, &listener.options(allow_private), &resolver()).results
}

fn with_port(url: &str, port: u16) -> String {
    url.replace("{P}", &port.to_string())
}

#[test]
fn every_private_address_form_is_refused_and_never_contacted() {
    assert!(REFUSED.len() >= 40);
    let listener = Listener::start();
    let urls: Vec<String> = REFUSED
        .iter()
        .map(|u| with_port(u, listener.port))
        .collect();
    let results = check(&listener, &urls, false);
    let private = LinkStatus::Skipped {
        reason: SkipReason::Private,
    };
    let wrong: Vec<String> = urls
        .iter()
        .filter(|u| results.get(*u) != Some(&private))
        .map(|u| format!("{u}: {:?}", results.get(u)))
        .collect();
    assert!(wrong.is_empty(), "not refused:\n{}", wrong.join("\n"));
    // Only the first hop of each redirect reached the proxy; nothing else did.
    let mut requests = listener.requests();
    requests.sort();
    assert_eq!(
        requests,
        [
            "HEAD http://public.invalid/redirect-to-loopback HTTP/1.1",
            "HEAD http://public.invalid/redirect-to-metadata HTTP/1.1",
            "HEAD http://public.invalid/redirect-to-rebind HTTP/1.1",
        ]
    );
}

#[test]
fn public_addresses_do_go_through_the_proxy() {
    // The control for the test above: what the guard lets through reaches the listener, so
    // its silence there means refusal. A name that does not resolve locally is left to the
    // proxy.
    let listener = Listener::start();
    let urls = vec!["http://public.invalid/page".to_string()];
    let results = check(&listener, &urls, false);
    assert_eq!(results[&urls[0]], LinkStatus::Ok);
    assert_eq!(
        listener.requests(),
        ["HEAD http://public.invalid/page HTTP/1.1"]
    );
}

#[test]
fn allow_private_requests_them() {
    let listener = Listener::start();
    let urls: Vec<String> = [
        "http://10.1.2.3/",
        "http://[::ffff:0:7f00:1]/",
        "http://intranet.test/",
    ]
    .iter()
    .map(ToString::to_string)
    .collect();
    let results = check(&listener, &urls, true);
    for url in &urls {
        assert_eq!(results[url], LinkStatus::Ok, "{url}");
    }
    assert_eq!(listener.requests().len(), 3);
}

#[test]
fn the_classification_table() {
    let private = [
        "127.0.0.1",
        "127.255.255.254",
        "10.0.0.1",
        "10.255.255.255",
        "172.16.0.1",
        "172.31.0.1",
        "192.168.0.1",
        "0.0.0.0",
        "0.255.0.1",
        "100.64.0.0",
        "100.127.255.255",
        "169.254.169.254",
        "192.0.0.8",
        "192.0.2.1",
        "192.88.99.1",
        "198.18.0.0",
        "198.19.255.255",
        "198.51.100.1",
        "203.0.113.1",
        "224.0.0.1",
        "239.255.255.255",
        "240.0.0.1",
        "255.255.255.255",
        "::",
        "::1",
        "::127.0.0.1",
        "::8.8.8.8",
        "::ffff:127.0.0.1",
        "::ffff:7f00:1",
        "::ffff:10.0.0.1",
        "::ffff:0:7f00:1",
        "::ffff:0:808:808",
        "64:ff9b::7f00:1",
        "64:ff9b::a9fe:a9fe",
        "64:ff9b:1::808:808",
        "2002:7f00:1::",
        "2002:a00:1::1",
        "2001::1",
        "2001:0:4136:e378:8000:63bf:3fff:fdd2",
        "2001:2::1",
        "2001:db8::1",
        "3fff::1",
        "100::1",
        "fe80::1",
        "febf:ffff::1",
        "fc00::1",
        "fdff::1",
        "fec0::1",
        "ff02::1",
        "ff05::2",
        "5f00::1",
    ];
    for ip in private {
        assert!(is_private(ip.parse().unwrap()), "{ip} should be private");
    }
    let public = [
        "8.8.8.8",
        "1.1.1.1",
        "93.184.216.34",
        "100.63.255.255",
        "100.128.0.0",
        "172.15.255.255",
        "172.32.0.0",
        "169.253.0.1",
        "192.0.1.1",
        "198.17.255.255",
        "198.20.0.0",
        "223.255.255.255",
        "2606:4700::1111",
        "2a00:1450:4001::200e",
        "::ffff:8.8.8.8",
        "64:ff9b::808:808",
        "2002:808:808::1",
        "2400:cb00::1",
    ];
    for ip in public {
        assert!(!is_private(ip.parse().unwrap()), "{ip} should be public");
    }
}

/// A host whose name lookup fails gives every one of its links one verdict: the name is
/// looked up once per run, and the answer holds for all its URLs and retries.
#[test]
fn every_link_of_a_host_that_does_not_resolve_gets_one_verdict() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let calls = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&calls);
    // Fails "temporarily" once, then would say "not found".
    let flaky: LookupFn = Arc::new(move |_host: String| {
        let n = counted.fetch_add(1, Ordering::SeqCst);
        Box::pin(async move {
            Err(std::io::Error::other(if n == 0 {
                "temporary failure in name resolution"
            } else {
                "failed to lookup address information"
            }))
        })
    });
    let urls: Vec<String> = (1..=6)
        .map(|i| format!("https://gone-host.test/page/{i}"))
        .collect();
    let options = LinkOptions {
        cache: None,
        retries: 1,
        retry_backoff: Duration::from_millis(5),
        timeout: Duration::from_secs(5),
        progress: false,
        ..LinkOptions::default()
    };
    let run = check_urls_with(&urls, &options, &flaky);
    let verdicts: std::collections::HashSet<String> = urls
        .iter()
        .map(|u| format!("{:?}", run.results[u]))
        .collect();
    assert_eq!(verdicts.len(), 1, "{verdicts:?}");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}
