//! Which URLs may be requested: `--exclude` patterns, and no private addresses unless allowed.
//!
//! Literal addresses are refused before any request; host names are refused by
//! [`GuardedResolver`] once resolved, so a public name pointing at a private address (or a
//! redirect to one) cannot reach the runner's network either.

use std::net::{IpAddr, SocketAddr};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// Why a host could not be resolved to an address we may use.
#[derive(Debug, thiserror::Error)]
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

/// Whether an address is loopback, private, link-local, unspecified or otherwise not public.
#[must_use]
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                // 100.64.0.0/10, shared address space (carrier-grade NAT).
                || (o[0] == 100 && (o[1] & 0xc0) == 64)
                || o[0] == 0
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_private(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                // fc00::/7 unique local, fe80::/10 link-local.
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
        }
    }
}

/// Whether a URL's host is, on its face, a private address or `localhost`.
#[must_use]
pub fn is_private_host(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => is_private(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => is_private(IpAddr::V6(ip)),
        Some(url::Host::Domain(name)) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            name == "localhost" || name.ends_with(".localhost")
        }
        None => false,
    }
}

/// A resolver that reports unknown names distinctly and, unless private addresses are
/// allowed, drops them from the answers.
#[derive(Debug, Clone, Copy)]
pub struct GuardedResolver {
    pub allow_private: bool,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_private = self.allow_private;
        Box::pin(async move {
            let host = name.as_str().to_string();
            let looked_up = tokio::net::lookup_host((host.as_str(), 0))
                .await
                .map(Iterator::collect::<Vec<SocketAddr>>);
            let found = match looked_up {
                Ok(found) => found,
                // Only a definite "no such name" makes a link dead; a resolver that cannot
                // answer now (offline, EAI_AGAIN) says nothing about the link.
                Err(e) if is_temporary(&e) => {
                    return Err(ResolveError::Unavailable(host, e.to_string()).into())
                }
                Err(_) => return Err(ResolveError::NotFound(host).into()),
            };
            if found.is_empty() {
                return Err(ResolveError::NotFound(host).into());
            }
            let usable: Vec<SocketAddr> = found
                .into_iter()
                .filter(|a| allow_private || !is_private(a.ip()))
                .collect();
            if usable.is_empty() {
                return Err(ResolveError::Private(host).into());
            }
            let addrs: Addrs = Box::new(usable.into_iter());
            Ok(addrs)
        })
    }
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
        for ip in ["93.184.216.34", "8.8.8.8", "2606:4700::1111"] {
            assert!(!is_private(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn localhost_names_are_private_hosts() {
        let private = |s: &str| is_private_host(&url::Url::parse(s).unwrap());
        assert!(private("http://localhost:8080/"));
        assert!(private("http://api.localhost/"));
        assert!(private("http://[::1]/"));
        assert!(!private("https://example.org/"));
    }
}
