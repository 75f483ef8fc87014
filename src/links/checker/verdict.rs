//! What one attempt at a URL means: the end of its chain of redirects ([`Hop`]) becomes a
//! [`Verdict`], a final status or a retry, from the HTTP status, the `Retry-After` header or
//! the error that stopped the request.

use std::time::Duration;

use reqwest::StatusCode;
use url::Url;

use crate::links::filter::ResolveError;
use crate::links::{LinkOptions, LinkStatus, SkipReason};

/// The longest pause a `Retry-After` may impose, whatever `--max-retry-wait` says: a server
/// asking for more than a day is not going to answer this run, and waiting would hang it.
const LONGEST_WAIT: Duration = Duration::from_secs(24 * 60 * 60);

/// The end of one chain of redirects.
#[derive(Debug)]
pub(super) enum Hop {
    /// A final answer from the host keyed `host`; `moved` is where a leading run of
    /// permanent redirects led.
    Answer {
        host: String,
        /// When the request that got the answer was let go.
        started: tokio::time::Instant,
        code: StatusCode,
        retry_after: Option<Duration>,
        moved: Option<(Url, u16)>,
    },
    /// The request failed below HTTP.
    Failed(reqwest::Error),
    /// A redirect pointed at a private address.
    Private,
    /// The redirects came back to a URL already visited.
    Loop,
    TooManyRedirects,
    /// A redirect without a usable `Location`.
    BadRedirect,
}

/// What to do after one attempt.
pub(super) enum Verdict {
    Done(LinkStatus),
    /// Try again; `wait` is set when the server rate-limited the request (a 429, or a 503
    /// with `Retry-After`) and is the pause it asked for, capped.
    Retry {
        reason: String,
        wait: Option<Duration>,
    },
}

/// What to do after an attempt that ended in `hop`.
pub(super) fn verdict(hop: Hop, options: &LinkOptions) -> Verdict {
    match hop {
        Hop::Answer {
            code,
            retry_after,
            moved,
            ..
        } => answer_verdict(code, retry_after, moved, options),
        Hop::Failed(e) => classify_error(&e, options.timeout),
        Hop::Private => Verdict::Done(LinkStatus::Skipped {
            reason: SkipReason::Private,
        }),
        Hop::Loop => Verdict::Done(LinkStatus::Error {
            reason: "redirect loop".to_string(),
        }),
        Hop::TooManyRedirects => Verdict::Done(LinkStatus::Error {
            reason: format!("more than {} redirects", options.max_redirects),
        }),
        Hop::BadRedirect => Verdict::Done(LinkStatus::Error {
            reason: "redirect without a valid Location".to_string(),
        }),
    }
}

/// What an HTTP answer `code` means: success (redirected if `moved` says so), dead (404,
/// 410), worth retrying (429, 5xx) or an error.
fn answer_verdict(
    code: StatusCode,
    retry_after: Option<Duration>,
    moved: Option<(Url, u16)>,
    options: &LinkOptions,
) -> Verdict {
    if code.is_success() {
        return Verdict::Done(match moved {
            Some((to, code)) => LinkStatus::Redirected {
                to: to.into(),
                code,
            },
            None => LinkStatus::Ok,
        });
    }
    let reason = status_text(code);
    if code == StatusCode::NOT_FOUND || code == StatusCode::GONE {
        return Verdict::Done(LinkStatus::Dead {
            reason,
            archive: None,
        });
    }
    if code == StatusCode::TOO_MANY_REQUESTS {
        return rate_limited(reason, retry_after, options);
    }
    if code == StatusCode::SERVICE_UNAVAILABLE {
        // With a usable `Retry-After` a 503 is a rate limit; its verdict, if it never
        // passes, stays the plain 503 of any other server error.
        if let Some(wait) = retry_after.map(|w| w.min(options.max_retry_wait)) {
            if honourable(wait) {
                return Verdict::Retry {
                    reason,
                    wait: Some(wait),
                };
            }
        }
    }
    if code.is_server_error() {
        return Verdict::Retry { reason, wait: None };
    }
    Verdict::Done(LinkStatus::Error { reason })
}

/// Whether notelint can wait `wait`: at most [`LONGEST_WAIT`], and an end that the clock
/// can represent.
fn honourable(wait: Duration) -> bool {
    wait <= LONGEST_WAIT && tokio::time::Instant::now().checked_add(wait).is_some()
}

/// A 429: retried after the wait the server asks for (or the backoff); an error when the
/// wait is longer than notelint waits.
fn rate_limited(reason: String, retry_after: Option<Duration>, options: &LinkOptions) -> Verdict {
    let wait = retry_after
        .unwrap_or(options.retry_backoff)
        .min(options.max_retry_wait);
    if !honourable(wait) {
        return Verdict::Done(LinkStatus::Error {
            reason: format!(
                "{reason}: rate-limited, asked to wait {} s, longer than notelint waits",
                wait.as_secs()
            ),
        });
    }
    Verdict::Retry {
        reason: format!("{reason}: rate-limited"),
        wait: Some(wait),
    }
}

/// Whether a HEAD answer is one a GET may contradict.
pub(super) fn head_refused(hop: &Hop) -> bool {
    matches!(
        hop,
        Hop::Answer { code, .. } if matches!(code.as_u16(), 403 | 404 | 405 | 501)
    )
}

/// `404 Not Found`.
fn status_text(code: StatusCode) -> String {
    match code.canonical_reason() {
        Some(reason) => format!("{} {reason}", code.as_u16()),
        None => code.as_u16().to_string(),
    }
}

/// The wait a `Retry-After` header asks for, in seconds or as an HTTP date.
pub(super) fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let value = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // More seconds than a u64 holds is still a (very long) wait.
        return Some(
            value
                .parse::<u64>()
                .map_or(Duration::MAX, Duration::from_secs),
        );
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(
        at.duration_since(std::time::SystemTime::now())
            .unwrap_or_default(),
    )
}

/// Sorts a failed request into dead, retry-worthy or plain error.
fn classify_error(e: &reqwest::Error, timeout: Duration) -> Verdict {
    if e.is_timeout() {
        return Verdict::Retry {
            reason: format!("timed out after {}", human_duration(timeout)),
            wait: None,
        };
    }
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = source {
        if is_tls_error(err) {
            return Verdict::Done(LinkStatus::Dead {
                reason: format!("TLS failure: {}", innermost(e)),
                archive: None,
            });
        }
        if let Some(resolve) = err.downcast_ref::<ResolveError>() {
            return match resolve {
                ResolveError::NotFound(_) => Verdict::Done(LinkStatus::Dead {
                    reason: resolve.to_string(),
                    archive: None,
                }),
                ResolveError::Unavailable(..) => Verdict::Retry {
                    reason: resolve.to_string(),
                    wait: None,
                },
                ResolveError::Private(_) => Verdict::Done(LinkStatus::Skipped {
                    reason: SkipReason::Private,
                }),
            };
        }
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            match io.kind() {
                std::io::ErrorKind::ConnectionRefused => {
                    return Verdict::Done(LinkStatus::Dead {
                        reason: "connection refused".to_string(),
                        archive: None,
                    })
                }
                std::io::ErrorKind::TimedOut => {
                    return Verdict::Retry {
                        reason: "connection timed out".to_string(),
                        wait: None,
                    }
                }
                _ => {}
            }
        }
        source = err.source();
    }
    Verdict::Retry {
        reason: innermost(e),
        wait: None,
    }
}

/// Whether `err` is a TLS failure (a bad certificate, a failed handshake): rustls's error,
/// as itself or inside the I/O error the TLS stream returns.
/// I/O errors may wrap each other (the connector wraps the TLS stream's), so this looks
/// through every layer.
fn is_tls_error(err: &(dyn std::error::Error + 'static)) -> bool {
    let mut err = err;
    loop {
        if err.downcast_ref::<rustls::Error>().is_some() {
            return true;
        }
        match err
            .downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::get_ref)
        {
            Some(inner) => err = inner,
            None => return false,
        }
    }
}

/// The most specific message in an error's chain.
fn innermost(e: &reqwest::Error) -> String {
    let mut last: &dyn std::error::Error = e;
    while let Some(next) = last.source() {
        last = next;
    }
    last.to_string()
}

fn human_duration(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{} ms", d.as_millis())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huge_retry_after_values_do_not_overflow() {
        let mut headers = reqwest::header::HeaderMap::new();
        for value in ["18446744073709551615", "99999999999999999999999"] {
            headers.insert(reqwest::header::RETRY_AFTER, value.parse().unwrap());
            assert!(retry_after(&headers).is_some_and(|d| d.as_secs() == u64::MAX));
        }
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(reqwest::header::RETRY_AFTER, "3".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(3)));
        headers.insert(
            reqwest::header::RETRY_AFTER,
            "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&headers), Some(Duration::ZERO));
        headers.insert(reqwest::header::RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(retry_after(&headers), None);
    }
}
