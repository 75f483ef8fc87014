//! Which URLs may be requested: `--exclude` patterns, and no private addresses unless allowed.
//!
//! Literal addresses are refused before any request ([`is_private_host`]). Host names are
//! resolved here, once per run ([`Lookups`]), both to refuse a URL before it is sent (which
//! matters behind a proxy, where the connection goes to the proxy and the name would
//! otherwise never be resolved locally) and by [`GuardedResolver`] when a connection is made,
//! so a public name pointing at a private address (or a redirect to one) cannot reach the
//! runner's network either. Both see the same answer, so a name cannot pass the check with
//! one address and then be connected to at another.

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use tokio::sync::OnceCell;

/// Why a host could not be resolved to an address we may use.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ResolveError {
    /// The name does not resolve.
    #[error("host name not found: {0}")]
    NotFound(String),
    /// The name could not be looked up now (no network, resolver down): not a verdict.
    #[error("cannot resolve {0}: {1}")]
    Unavailable(String, String),
    /// Every address of the name is private.
    #[error("{0} resolves only to private addresses")]
    Private(String),
}

/// Whether an IPv4 address is anything but a public unicast address: this network (0/8),
/// private (10/8, 172.16/12, 192.168/16), shared (100.64/10), loopback (127/8), link-local and
/// cloud metadata (169.254/16), IETF protocol assignments (192.0.0/24), documentation
/// (192.0.2/24, 198.51.100/24, 203.0.113/24), the old 6to4 relay (192.88.99/24), benchmarking
/// (198.18/15), multicast (224/4), reserved (240/4) and broadcast.
#[must_use]
pub fn is_private_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    a == 0
        || a == 10
        || a == 127
        || (a == 100 && (b & 0xc0) == 64)
        || (a == 169 && b == 254)
        || (a == 172 && (b & 0xf0) == 16)
        || (a == 192 && b == 168)
        || (a == 192 && b == 0 && (c == 0 || c == 2))
        || (a == 192 && b == 88 && c == 99)
        || (a == 198 && (b & 0xfe) == 18)
        || (a == 198 && b == 51 && c == 100)
        || (a == 203 && b == 0 && c == 113)
        // Multicast, reserved and broadcast.
        || a >= 224
}

/// The IPv4 address in the low 32 bits of an IPv6 address.
fn low_v4(v6: Ipv6Addr) -> Ipv4Addr {
    let s = v6.segments();
    Ipv4Addr::from((u32::from(s[6]) << 16) | u32::from(s[7]))
}

/// Whether an IPv6 address is anything but a public unicast address. Addresses that carry an
/// IPv4 address (mapped, NAT64 well-known prefix, 6to4) are judged by it; the deprecated and
/// special forms that carry one (IPv4-compatible `::a.b.c.d`, IPv4-translated
/// `::ffff:0:a.b.c.d`, local-use NAT64 `64:ff9b:1::/48`, Teredo) are never public.
#[must_use]
pub fn is_private_v6(v6: Ipv6Addr) -> bool {
    let s = v6.segments();
    // ::/96: unspecified, loopback and IPv4-compatible addresses.
    if s[..6] == [0; 6] {
        return true;
    }
    // ::ffff:0:0/96, IPv4-mapped: the IPv4 address decides.
    if s[..6] == [0, 0, 0, 0, 0, 0xffff] {
        return is_private_v4(low_v4(v6));
    }
    // ::ffff:0:0:0/96, IPv4-translated (SIIT).
    if s[..6] == [0, 0, 0, 0, 0xffff, 0] {
        return true;
    }
    // 64:ff9b::/96, NAT64 well-known prefix: the IPv4 address decides.
    if s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return is_private_v4(low_v4(v6));
    }
    // 2002::/16, 6to4: the IPv4 address in bits 16..48 decides.
    if s[0] == 0x2002 {
        let v4 = Ipv4Addr::from((u32::from(s[1]) << 16) | u32::from(s[2]));
        return is_private_v4(v4);
    }
    // 64:ff9b:1::/48 local-use NAT64; 100::/64 discard.
    (s[0] == 0x64 && s[1] == 0xff9b && s[2] == 1)
        || (s[0] == 0x100 && s[1..4] == [0; 3])
        // 2001::/23, IETF protocol assignments (Teredo 2001::/32, benchmarking, ORCHID).
        || (s[0] == 0x2001 && s[1] < 0x200)
        // 2001:db8::/32 and 3fff::/20, documentation.
        || (s[0] == 0x2001 && s[1] == 0xdb8)
        || (s[0] == 0x3fff && s[1] < 0x1000)
        // 5f00::/16, segment routing identifiers.
        || s[0] == 0x5f00
        // fc00::/7 unique local, fe80::/10 link-local, fec0::/10 site-local, ff00::/8
        // multicast.
        || (s[0] & 0xfe00) == 0xfc00
        || (s[0] & 0xffc0) == 0xfe80
        || (s[0] & 0xffc0) == 0xfec0
        || (s[0] & 0xff00) == 0xff00
}

/// Whether an address is loopback, private, link-local, unspecified or otherwise not a public
/// unicast address.
#[must_use]
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_private_v4(v4),
        IpAddr::V6(v6) => is_private_v6(v6),
    }
}

/// Whether a host name is `localhost` or below it (`foo.localhost`), which resolvers may
/// answer with a loopback address without asking anyone.
#[must_use]
pub fn is_localhost_name(name: &str) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost" || name.ends_with(".localhost")
}

/// Whether a URL's host is, on its face, a private address or `localhost`. The `url` crate
/// has already turned decimal, octal, hexadecimal and short IPv4 forms (`2130706433`,
/// `0177.0.0.1`, `0x7f.1`, `127.1`) into addresses.
#[must_use]
pub fn is_private_host(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => is_private(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => is_private(IpAddr::V6(ip)),
        Some(url::Host::Domain(name)) => is_localhost_name(name),
        None => false,
    }
}

/// A future answering a name lookup.
pub type LookupFuture = Pin<Box<dyn Future<Output = std::io::Result<Vec<IpAddr>>> + Send>>;

/// How names are looked up: the system resolver, or a table in tests.
pub type LookupFn = Arc<dyn Fn(String) -> LookupFuture + Send + Sync>;

/// The system resolver.
#[must_use]
pub fn system_lookup() -> LookupFn {
    Arc::new(|host: String| {
        Box::pin(async move {
            let found = tokio::net::lookup_host((host.as_str(), 0)).await?;
            Ok(found.map(|a| a.ip()).collect())
        })
    })
}

/// The answer for one name, kept for the run.
type Answer = Result<Vec<IpAddr>, ResolveError>;

/// The name lookups of one run, each made once and shared by the check before a request and
/// the connection itself.
pub struct Lookups {
    allow_private: bool,
    /// Names whose private addresses may be connected to: the proxies the user configured.
    trusted: HashSet<String>,
    lookup: LookupFn,
    /// How long one lookup may take before its name counts as unavailable for the run.
    deadline: std::time::Duration,
    answers: Mutex<HashMap<String, Arc<OnceCell<Answer>>>>,
}

impl std::fmt::Debug for Lookups {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lookups")
            .field("allow_private", &self.allow_private)
            .field("trusted", &self.trusted)
            .finish_non_exhaustive()
    }
}

impl Lookups {
    /// Lookups through `lookup`; `trusted` names (proxies) may resolve to private addresses.
    #[must_use]
    pub fn new(allow_private: bool, trusted: HashSet<String>, lookup: LookupFn) -> Self {
        Self {
            allow_private,
            trusted: trusted.into_iter().map(|n| normal_name(&n)).collect(),
            lookup,
            deadline: std::time::Duration::from_secs(20),
            answers: Mutex::new(HashMap::new()),
        }
    }

    /// The same lookups, each allowed `deadline` (the request timeout) before its name counts
    /// as unavailable.
    #[must_use]
    pub const fn with_deadline(mut self, deadline: std::time::Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// Looks `host` up now, so that every request to it (and the connection itself) gets
    /// the one answer of the run, whatever each request's own timeout.
    pub async fn warm(&self, host: &str) {
        let _ = self.addresses(host).await;
    }

    /// Every address of `host`, looked up once per run: the answer, "not found" or
    /// "unavailable now" alike, holds for every URL of the host, so one dead host gives one
    /// verdict (not "not found" for some of its links and "timed out" for others).
    async fn addresses(&self, host: &str) -> Answer {
        let key = normal_name(host);
        let cell = {
            let mut answers = self
                .answers
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            Arc::clone(answers.entry(key.clone()).or_default())
        };
        let answer = cell
            .get_or_init(|| async {
                match tokio::time::timeout(self.deadline, (self.lookup)(key.clone())).await {
                    Ok(Ok(found)) if found.is_empty() => Err(ResolveError::NotFound(key.clone())),
                    Ok(Ok(found)) => Ok(found),
                    // Only a definite "no such name" makes a link dead; a resolver that
                    // cannot answer now (offline, EAI_AGAIN, too slow) says nothing about the
                    // link: its links are errors, not dead.
                    Ok(Err(e)) if is_temporary(&e) => {
                        Err(ResolveError::Unavailable(key.clone(), e.to_string()))
                    }
                    Ok(Err(_)) => Err(ResolveError::NotFound(key.clone())),
                    Err(_) => Err(ResolveError::Unavailable(
                        key.clone(),
                        "the name lookup timed out".to_string(),
                    )),
                }
            })
            .await;
        answer.clone()
    }

    /// The addresses of `host` that may be connected to.
    ///
    /// # Errors
    /// The name does not resolve, cannot be resolved now, or resolves only to private
    /// addresses (unless those are allowed, or the name is a trusted proxy).
    pub async fn usable(&self, host: &str) -> Result<Vec<IpAddr>, ResolveError> {
        let found = self.addresses(host).await?;
        if self.allow_private || self.trusted.contains(&normal_name(host)) {
            return Ok(found);
        }
        let usable: Vec<IpAddr> = found.into_iter().filter(|ip| !is_private(*ip)).collect();
        if usable.is_empty() {
            return Err(ResolveError::Private(normal_name(host)));
        }
        Ok(usable)
    }

    /// Whether a URL's host name must be refused before any request: it resolves locally
    /// only to private addresses. A name that does not resolve here is left to the request
    /// (behind a proxy, the proxy may know it); a trusted proxy name gets no exemption as a
    /// link.
    pub async fn refuses(&self, host: &str) -> bool {
        if self.allow_private {
            return false;
        }
        match self.addresses(host).await {
            Ok(found) => found.iter().all(|ip| is_private(*ip)),
            Err(_) => false,
        }
    }
}

/// A host name as compared: lower case, without a final dot.
fn normal_name(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

/// A resolver for the HTTP client that reports unknown names distinctly and, unless private
/// addresses are allowed, drops them from the answers.
#[derive(Debug, Clone)]
pub struct GuardedResolver {
    pub lookups: Arc<Lookups>,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let lookups = Arc::clone(&self.lookups);
        Box::pin(async move {
            let usable = lookups.usable(name.as_str()).await?;
            let addrs: Addrs = Box::new(usable.into_iter().map(|ip| SocketAddr::new(ip, 0)));
            Ok(addrs)
        })
    }
}

/// The host names of the proxies set in the environment (`HTTP_PROXY`, `HTTPS_PROXY`,
/// `ALL_PROXY`, in either case) and of `extra`: the user chose them, so they may be private.
#[must_use]
pub fn proxy_hosts(extra: Option<&str>) -> HashSet<String> {
    let from_env = [
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
    ]
    .into_iter()
    .filter_map(|var| std::env::var(var).ok());
    from_env
        .chain(extra.map(str::to_string))
        .filter_map(|proxy| {
            let proxy = proxy.trim();
            let url = url::Url::parse(proxy)
                .ok()
                .filter(|u| u.host().is_some())
                .or_else(|| url::Url::parse(&format!("http://{proxy}")).ok())?;
            match url.host()? {
                url::Host::Domain(name) => Some(name.to_string()),
                _ => None,
            }
        })
        .collect()
}

/// Whether a failed lookup may succeed later: the system resolver's "try again" answers.
fn is_temporary(e: &std::io::Error) -> bool {
    let text = e.to_string().to_ascii_lowercase();
    text.contains("temporary failure") || text.contains("try again") || text.contains("timed out")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_ranges_are_recognised() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "::1",
            "::",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(is_private(ip.parse().unwrap()), "{ip}");
        }
        for ip in [
            "93.184.216.34",
            "8.8.8.8",
            "2606:4700::1111",
            // Public IPv4 behind the NAT64 prefix, in 6to4 and mapped stays public.
            "64:ff9b::5db8:d822",
            "2002:5db8:d822::1",
            "::ffff:93.184.216.34",
            "100.128.0.1",
            "172.32.0.1",
            "198.20.0.1",
            "223.255.255.255",
        ] {
            assert!(!is_private(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn localhost_names_are_private_hosts() {
        let private = |s: &str| is_private_host(&url::Url::parse(s).unwrap());
        assert!(private("http://localhost:8080/"));
        assert!(private("http://api.localhost/"));
        assert!(private("http://LOCALHOST./"));
        assert!(private("http://[::1]/"));
        assert!(!private("https://example.org/"));
        assert!(!private("https://notlocalhost/"));
    }

    fn table(entries: &[(&str, &str)]) -> LookupFn {
        let map: HashMap<String, Vec<IpAddr>> = entries
            .iter()
            .map(|(n, ip)| ((*n).to_string(), vec![ip.parse().unwrap()]))
            .collect();
        Arc::new(move |host: String| {
            let found = map.get(&host).cloned();
            Box::pin(async move {
                found.ok_or_else(|| std::io::Error::other("failed to lookup address information"))
            })
        })
    }

    #[tokio::test]
    async fn names_resolving_only_to_private_addresses_are_refused() {
        let lookups = Lookups::new(
            false,
            HashSet::from(["proxy.internal".to_string()]),
            table(&[
                ("intranet.example", "10.0.0.7"),
                ("metadata.example", "169.254.169.254"),
                ("public.example", "93.184.216.34"),
                ("proxy.internal", "127.0.0.1"),
            ]),
        );
        assert!(lookups.refuses("intranet.example").await);
        assert!(lookups.refuses("METADATA.example.").await);
        assert!(!lookups.refuses("public.example").await);
        // Unknown here: left to the request (a proxy may know it).
        assert!(!lookups.refuses("unknown.example").await);
        assert!(matches!(
            lookups.usable("unknown.example").await,
            Err(ResolveError::NotFound(_))
        ));
        assert!(matches!(
            lookups.usable("intranet.example").await,
            Err(ResolveError::Private(_))
        ));
        // The proxy may be connected to, but is still refused as a link.
        assert!(lookups.usable("proxy.internal").await.is_ok());
        assert!(lookups.refuses("proxy.internal").await);
        let allowed = Lookups::new(true, HashSet::new(), table(&[("i.example", "10.0.0.7")]));
        assert!(!allowed.refuses("i.example").await);
        assert!(allowed.usable("i.example").await.is_ok());
    }

    #[tokio::test]
    async fn a_name_is_looked_up_once_and_keeps_its_answer_for_the_run() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        // A resolver that fails "temporarily" the first time and would answer later.
        let calls = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&calls);
        let flaky: LookupFn = Arc::new(move |_host: String| {
            let n = counted.fetch_add(1, Ordering::SeqCst);
            Box::pin(async move {
                if n == 0 {
                    Err(std::io::Error::other(
                        "temporary failure in name resolution",
                    ))
                } else {
                    Ok(vec!["93.184.216.34".parse().unwrap()])
                }
            })
        });
        let lookups = Lookups::new(false, HashSet::new(), flaky);
        for _ in 0..3 {
            assert!(matches!(
                lookups.usable("dead.example").await,
                Err(ResolveError::Unavailable(..))
            ));
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);

        // A resolver slower than the deadline: one "timed out" for every link of the host.
        let slow: LookupFn = Arc::new(|_host: String| {
            Box::pin(async {
                tokio::time::sleep(std::time::Duration::from_secs(30)).await;
                Ok(vec![])
            })
        });
        let lookups = Lookups::new(false, HashSet::new(), slow)
            .with_deadline(std::time::Duration::from_millis(20));
        for _ in 0..2 {
            match lookups.usable("slow.example").await {
                Err(ResolveError::Unavailable(_, why)) => assert!(why.contains("timed out")),
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn proxy_host_names_are_read_with_or_without_a_scheme() {
        let hosts = proxy_hosts(Some("proxy.corp:3128"));
        assert!(hosts.contains("proxy.corp"), "{hosts:?}");
        assert!(proxy_hosts(Some("http://127.0.0.1:3128"))
            .iter()
            .all(|h| h != "127.0.0.1"));
    }
}
