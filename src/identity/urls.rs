//! URL identity: when two written URLs name the same page.
//!
//! A [`UrlKey`] is a URL reduced to what tells pages apart:
//!
//! - the scheme is dropped: `http`, `https` and a bare `www.` host (read as `https://`) give
//!   one key, as sites serve the same page on both;
//! - the host is lower-cased (the `url` crate does this) and loses one leading `www.`;
//! - a default port is dropped, any other port kept (`a.org:8080` is another server);
//! - the path keeps its letter case (servers may tell `/A` from `/a`) and loses every
//!   trailing `/`;
//! - the query keeps its parameters as written and in order, less the tracking parameters of
//!   [`TRACKING_PARAMS`]; a query left empty is dropped with its `?`;
//! - the fragment is dropped: it names a place in the page, and the server never sees it.
//!
//! The key is written `host[:port]path[?query]`, so that [`UrlKey::compatible`] can compare
//! keys as text. `doi:10.…` reads as `https://doi.org/10.…`.
//!
//! Most URLs cited in prose are plain: an `http`, `https` or `ftp` scheme, a host of ASCII
//! letters, digits, dots and hyphens, and a path and query of printable ASCII that the `url`
//! crate would keep as written. [`Plain`] reads those byte by byte, in a fraction of what the
//! full parser costs; anything else (user names, IP addresses, international or punycode hosts,
//! characters the parser escapes, `.` and `..` segments) goes to the `url` crate, so that both
//! readings always agree.

use std::fmt;

/// Query parameters that only record where a click came from: `utm_*` and these. A parameter
/// that some sites use for the page itself is left out, however often others track with it
/// (`ref` names a branch in a code forge, `sh` a sheet or a share): taking a real parameter
/// for tracking would merge two pages, while missing a tracking one only misses a match.
pub const TRACKING_PARAMS: &[&str] = &[
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "msockid", "mc_cid", "mc_eid",
    "igshid", "yclid", "_hsenc", "_hsmi", "mkt_tok",
];

/// Whether a query parameter only tracks clicks: it starts with `utm_` or is one of
/// [`TRACKING_PARAMS`], in any letter case.
#[must_use]
pub fn is_tracking_param(name: &str) -> bool {
    name.get(..4)
        .is_some_and(|p| p.eq_ignore_ascii_case("utm_"))
        || TRACKING_PARAMS.iter().any(|t| t.eq_ignore_ascii_case(name))
}

/// An `http`, `https` or `ftp` URL written so plainly that reading it byte by byte gives what
/// the `url` crate gives; see the [module documentation](self).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Plain<'a> {
    /// The host as written: ASCII letters, digits, `.` and `-`, in any letter case.
    pub host: &'a str,
    /// The port, when one is written and is not the scheme's default.
    pub port: Option<u16>,
    /// The path as the `url` crate gives it: `/` when none is written.
    pub path: &'a str,
    /// The query, without its `?`.
    pub query: Option<&'a str>,
}

impl<'a> Plain<'a> {
    /// Reads an absolute URL (`scheme://host…`); `None` when it is not plain, and only the
    /// `url` crate can say what it holds (or that it holds no URL).
    pub(crate) fn of(url: &'a str) -> Option<Self> {
        // The usual schemes are told by their first bytes, with no search for `://` (which
        // none of them holds before its own).
        let b = url.as_bytes();
        if let Some(first) = b.get(..8).and_then(|f| <[u8; 8]>::try_from(f).ok()) {
            // The first eight bytes at once, their letters lower-cased with the 0x20 bit
            // (which makes a letter of no other byte): `HTTPS://` and `https://` alike.
            let first = u64::from_le_bytes(first);
            if b.len() > 8 && first | HTTPS_LETTERS == u64::from_le_bytes(*b"https://") {
                return Self::after_scheme(&url[8..], 443);
            }
            if first & SEVEN_BYTES | HTTP_LETTERS == u64::from_le_bytes(*b"http://\0") {
                return Self::after_scheme(&url[7..], 80);
            }
        }
        let at = find_ascii(url, b"://")?;
        let (scheme, rest) = (&url[..at], &url[at + 3..]);
        let default_port = if scheme.eq_ignore_ascii_case("https") {
            443
        } else if scheme.eq_ignore_ascii_case("http") {
            80
        } else if scheme.eq_ignore_ascii_case("ftp") {
            21
        } else {
            return None;
        };
        Self::after_scheme(rest, default_port)
    }

    /// Reads what follows `scheme://` of a URL whose scheme's default port is `default_port`,
    /// in one pass over its bytes.
    pub(crate) fn after_scheme(rest: &'a str, default_port: u16) -> Option<Self> {
        let b = rest.as_bytes();
        let host_end = host_end(b)?;
        let mut i = host_end;
        let mut port = None;
        if b.get(i) == Some(&b':') {
            let digits = b[i + 1..]
                .iter()
                .position(|c| !c.is_ascii_digit())
                .unwrap_or(b.len() - i - 1);
            let end = i + 1 + digits;
            if digits == 0 || digits > 5 || !matches!(b.get(end), None | Some(b'/' | b'?' | b'#')) {
                return None;
            }
            let n = b[i + 1..end]
                .iter()
                .fold(0u32, |n, &d| n * 10 + u32::from(d - b'0'));
            let n = u16::try_from(n).ok()?;
            port = (n != default_port).then_some(n);
            i = end;
        }
        let path_start = i;
        // The path is one run of bytes the parser keeps as written (it starts with `/`, or is
        // empty). The run stops at each `.` and `%`: a segment starting with one of them, the
        // only bytes that start a dot segment, is read there.
        loop {
            i += run(&b[i..], PATH_PLAIN);
            match b.get(i) {
                Some(b'.' | b'%') => {
                    if i > path_start && b[i - 1] == b'/' && is_dot_segment(segment_head(&b[i..])) {
                        return None;
                    }
                    i += 1;
                }
                _ => break,
            }
        }
        if !matches!(b.get(i), Some(b'?' | b'#') | None) {
            return None;
        }
        let path = &rest[path_start..i];
        let mut query = None;
        if b.get(i) == Some(&b'?') {
            let query_start = i + 1;
            // The fragment is left out of the key, and the parser keeps it apart whatever it
            // holds.
            i = query_start + run(&b[query_start..], QUERY_RUN);
            if !matches!(b.get(i), Some(b'#') | None) {
                return None;
            }
            query = Some(&rest[query_start..i]);
        }
        Some(Self {
            host: &rest[..host_end],
            port,
            path: if path.is_empty() { "/" } else { path },
            query,
        })
    }
}

/// The 0x20 bit of each letter of `https://` (its first five bytes), read as a
/// little-endian `u64`.
const HTTPS_LETTERS: u64 = 0x0000_0020_2020_2020;
/// The 0x20 bit of each letter of `http://` (its first four bytes).
const HTTP_LETTERS: u64 = 0x0000_0000_2020_2020;
/// The first seven bytes of a little-endian `u64`.
const SEVEN_BYTES: u64 = 0x00ff_ffff_ffff_ffff;

/// The first place `needle` (ASCII, two bytes or more) stands in `s`, found from each of its
/// first byte: cheaper than a general substring search for the short texts of URLs.
pub(crate) fn find_ascii(s: &str, needle: &[u8]) -> Option<usize> {
    let b = s.as_bytes();
    let (&first, _) = needle.split_first()?;
    memchr::memchr_iter(first, b).find(|&at| b[at..].starts_with(needle))
}

/// The end of the host at the start of `b`, when the `url` crate reads it as this domain
/// name, only lower-cased: ASCII letters, digits, `.` and `-`, no empty label, no punycode
/// label (`xn--`, which it decodes and checks), and a last label starting with a letter (one
/// made of digits, or `0x…`, is read as part of an IPv4 address). `None` when it is not.
fn host_end(b: &[u8]) -> Option<usize> {
    let mut label_start = 0;
    loop {
        let i = label_start + run(&b[label_start..], HOST);
        let label = &b[label_start..i];
        let first = *label.first()?;
        if matches!(first, b'x' | b'X')
            && label
                .get(..4)
                .is_some_and(|p| p.eq_ignore_ascii_case(b"xn--"))
        {
            return None;
        }
        match b.get(i) {
            Some(b'.') => label_start = i + 1,
            Some(b'/' | b'?' | b'#' | b':') | None => {
                return first.is_ascii_alphabetic().then_some(i);
            }
            Some(_) => return None,
        }
    }
}

/// How many bytes at the start of `b` are of byte class `class`: one table look-up a byte,
/// with no bounds check. Four bytes are tested at a time (their classes and-ed together, one
/// branch for the four), and the last few one by one.
fn run(b: &[u8], class: u8) -> usize {
    let in_class = |c: u8| CLASS[usize::from(c)];
    let mut chunks = b.chunks_exact(4);
    let mut done = 0;
    for c in chunks.by_ref() {
        if in_class(c[0]) & in_class(c[1]) & in_class(c[2]) & in_class(c[3]) & class == 0 {
            break;
        }
        done += 4;
    }
    done + b[done..]
        .iter()
        .position(|&c| in_class(c) & class == 0)
        .unwrap_or(b.len() - done)
}

/// Byte classes: [`HOST`] for a byte of a plain host name other than `.`; [`PATH`] for one
/// the `url` crate keeps as written in the path of an `http`, `https` or `ftp` URL (printable
/// ASCII other than those it escapes and `\\`, which it reads as `/`); [`QUERY`] for one it
/// keeps in the query.
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = 0x21;
    while c <= 0x7e {
        let b = c as u8;
        if b.is_ascii_alphanumeric() || b == b'-' {
            t[c] |= HOST;
        }
        if !matches!(b, b'"' | b'<' | b'>' | b'`' | b'{' | b'}' | b'\\') {
            t[c] |= PATH;
        }
        if !matches!(b, b'"' | b'<' | b'>' | b'\'') {
            t[c] |= QUERY;
        }
        if t[c] & QUERY != 0 && b != b'#' {
            t[c] |= QUERY_RUN;
        }
        if t[c] & PATH != 0 && !matches!(b, b'?' | b'#') {
            t[c] |= PATH_ALL;
            if !matches!(b, b'.' | b'%') {
                t[c] |= PATH_PLAIN;
            }
        }
        c += 1;
    }
    t
};
const HOST: u8 = 1;
const PATH: u8 = 2;
const QUERY: u8 = 4;
/// A [`QUERY`] byte other than `#`, which ends the query.
const QUERY_RUN: u8 = 16;
/// A [`PATH`] byte other than `?` and `#`, which end the path.
const PATH_ALL: u8 = 8;
/// A [`PATH_ALL`] byte other than `.` and `%`, which may start a dot segment.
const PATH_PLAIN: u8 = 32;

/// The first seven bytes at most of the path segment at the start of `b`: up to its `/` or
/// the end of the path. Seven are enough for [`is_dot_segment`], which takes no segment
/// longer than six.
fn segment_head(b: &[u8]) -> &[u8] {
    let b = &b[..b.len().min(7)];
    let end = b
        .iter()
        .position(|&c| c == b'/' || CLASS[usize::from(c)] & PATH_ALL == 0)
        .unwrap_or(b.len());
    &b[..end]
}

/// Whether a path segment is one the `url` crate resolves away: `.` or `..`, either dot
/// possibly written `%2e`.
fn is_dot_segment(s: &[u8]) -> bool {
    if s.is_empty() || s.len() > 6 || !matches!(s[0], b'.' | b'%') {
        return false;
    }
    [&b"."[..], b"..", b"%2e", b"%2e%2e", b"%2e.", b".%2e"]
        .iter()
        .any(|d| d.eq_ignore_ascii_case(s))
}

/// A URL as written in prose, made absolute: a bare `www.` host gains `https://`, `doi:10.…`
/// becomes `https://doi.org/10.…`. `None` when the `url` crate cannot read it.
#[must_use]
pub fn absolute(written: &str) -> Option<url::Url> {
    let written = written.trim();
    let prefix = written.get(..4).map(str::to_ascii_lowercase);
    match prefix.as_deref() {
        Some("www.") => url::Url::parse(&format!("https://{written}")).ok(),
        Some("doi:") => {
            url::Url::parse(&format!("https://doi.org/{}", written[4..].trim_start())).ok()
        }
        _ => url::Url::parse(written).ok(),
    }
}

/// A URL reduced to what tells pages apart; see the [module documentation](self).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UrlKey {
    key: String,
    /// Whether the URL has no path: a site's home page, which many works share.
    home: bool,
}

impl UrlKey {
    /// The key of a URL as written; `None` when it is not a URL with a host.
    #[must_use]
    pub fn new(written: &str) -> Option<Self> {
        let written = written.trim();
        if let Some(name) = written
            .get(..4)
            .filter(|p| p.eq_ignore_ascii_case("doi:"))
            .map(|_| written[4..].trim_start())
        {
            let full = format!("https://doi.org/{name}");
            return match Plain::of(&full) {
                Some(plain) => Some(Self::of_plain(&plain, written.len())),
                None => Self::parsed(written),
            };
        }
        match plain_absolute(written) {
            Some(plain) => Some(Self::of_plain(&plain, written.len())),
            None => Self::parsed(written),
        }
    }

    /// The key of a plain URL: what [`UrlKey::parsed`] gives for it, read without parsing.
    fn of_plain(url: &Plain<'_>, capacity: usize) -> Self {
        let path = url.path.trim_end_matches('/');
        let mut key = String::with_capacity(capacity);
        let host = match url.host.get(..4) {
            Some(www) if www.eq_ignore_ascii_case("www.") => &url.host[4..],
            _ => url.host,
        };
        key.push_str(host);
        key.make_ascii_lowercase();
        if let Some(port) = url.port {
            key.push(':');
            key.push_str(&port.to_string());
        }
        key.push_str(path);
        push_query(&mut key, url.query.unwrap_or(""));
        Self {
            key,
            home: path.is_empty(),
        }
    }

    /// The key of a URL as the `url` crate reads it.
    fn parsed(written: &str) -> Option<Self> {
        let url = absolute(written)?;
        let host = url.host_str()?;
        let host = host.strip_prefix("www.").unwrap_or(host);
        let path = url.path().trim_end_matches('/');
        let mut key = String::with_capacity(written.len());
        key.push_str(host);
        if let Some(port) = url.port() {
            key.push(':');
            key.push_str(&port.to_string());
        }
        key.push_str(path);
        push_query(&mut key, url.query().unwrap_or(""));
        Some(Self {
            key,
            home: path.is_empty(),
        })
    }

    /// The key as text: `host[:port]path[?query]`.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.key
    }

    /// Whether the URL has no path, as a site's home page.
    #[must_use]
    pub fn is_home_page(&self) -> bool {
        self.home
    }

    /// Whether two keys may name the same page though they differ: one is the other cut
    /// short (as pages truncate long links), or one is archived inside the other
    /// (`web.archive.org/web/2019/https://a.org/x`). Queries are set aside on the shorter.
    #[must_use]
    pub fn compatible(&self, other: &Self) -> bool {
        let (short, long) = if self.key.len() <= other.key.len() {
            (&self.key, &other.key)
        } else {
            (&other.key, &self.key)
        };
        let short_path = short.split_once('?').map_or(short.as_str(), |(p, _)| p);
        long.contains(short_path)
    }
}

impl fmt::Display for UrlKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.key)
    }
}

/// Appends a query to a key, less its tracking parameters; nothing when none is left.
fn push_query(key: &mut String, query: &str) {
    if query.is_empty() {
        return;
    }
    let mut first = true;
    for pair in query.split('&') {
        let name = pair.split('=').next().unwrap_or(pair);
        if pair.is_empty() || is_tracking_param(name) {
            continue;
        }
        key.push(if first { '?' } else { '&' });
        key.push_str(pair);
        first = false;
    }
}

/// A trimmed URL as written, read as [`absolute`] reads it, when it is plain (a `doi:` name
/// is not: it must be written out in full first).
fn plain_absolute(written: &str) -> Option<Plain<'_>> {
    if written
        .get(..4)
        .is_some_and(|p| p.eq_ignore_ascii_case("www."))
    {
        Plain::after_scheme(written, 443)
    } else {
        Plain::of(written)
    }
}

/// The key of a URL as written; see [`UrlKey::new`].
#[must_use]
pub fn url_key(written: &str) -> Option<UrlKey> {
    UrlKey::new(written)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn key(s: &str) -> Option<String> {
        url_key(s).map(|k| k.as_str().to_string())
    }

    #[test]
    fn scheme_www_host_case_trailing_slash_and_fragment_are_ignored() {
        let same = [
            "https://www.Example.org/a/b/",
            "http://example.org/a/b",
            "www.example.org/a/b#part",
            "WWW.EXAMPLE.ORG/a/b//",
            "https://example.org:443/a/b",
            "http://example.org:80/a/b#:~:text=hi",
            "  https://example.org/a/b  ",
        ];
        for s in same {
            assert_eq!(key(s).as_deref(), Some("example.org/a/b"), "{s}");
        }
    }

    #[test]
    fn path_case_other_ports_and_real_parameters_tell_pages_apart() {
        assert_ne!(key("https://a.org/X"), key("https://a.org/x"));
        assert_eq!(key("https://a.org:8080/x").as_deref(), Some("a.org:8080/x"));
        assert_ne!(key("https://a.org/x?p=1"), key("https://a.org/x?p=2"));
        assert_ne!(key("https://a.org/x?ref=main"), key("https://a.org/x"));
        assert_ne!(key("https://www2.a.org/x"), key("https://a.org/x"));
    }

    #[test]
    fn tracking_parameters_are_dropped_from_one_list() {
        assert_eq!(
            key("https://www.Example.org/a/b/?utm_source=x&id=3&FBCLID=Z#:~:text=hi").as_deref(),
            Some("example.org/a/b?id=3")
        );
        assert_eq!(
            key("https://a.org/x.html?msockid=05e7").as_deref(),
            Some("a.org/x.html")
        );
        assert_eq!(key("https://a.org/x?").as_deref(), Some("a.org/x"));
        assert!(is_tracking_param("UTM_Campaign"));
        assert!(is_tracking_param("gclid"));
        assert!(!is_tracking_param("ref"));
        assert!(!is_tracking_param("sh"));
        assert!(!is_tracking_param("id"));
    }

    #[test]
    fn doi_and_non_urls() {
        assert_eq!(
            key("doi: 10.1000/182").as_deref(),
            Some("doi.org/10.1000/182")
        );
        assert_eq!(key("doi:10.1000/182"), key("https://doi.org/10.1000/182"));
        assert_eq!(key("not a url"), None);
        assert_eq!(key("mailto:a@b.org"), None);
        assert_eq!(key("https://"), None);
        assert_eq!(key(""), None);
    }

    /// URLs built from awkward pieces, for comparing the plain reading with the `url` crate's.
    pub(crate) fn awkward_urls() -> Vec<String> {
        const PREFIXES: &[&str] = &[
            "http://",
            "HTTPS://",
            "https:/",
            "https:///",
            "ftp://",
            "www.",
            "WWW.",
            "doi:",
            "doi: ",
            "mailto:",
            "ws://",
            " https://",
            "http:\\\\",
            "htp://",
        ];
        const HOSTS: &[&str] = &[
            "a.org",
            "A.Org",
            "www.a.org",
            "WWW.A.ORG",
            "www.",
            "www",
            "1.2.3.4",
            "a.0x1f",
            "a.123",
            "a.0X",
            "xn--abc.org",
            "a.XN--nxasmq6b",
            "xn--nxasmq6b.com",
            "a..org",
            "a.org.",
            "-a.org",
            "a-.org",
            "a_b.org",
            "ä.org",
            "a%2eorg",
            "user@a.org",
            "a.org:80",
            "a.org:443",
            "a.org:21",
            "a.org:8080",
            "a.org:",
            "a.org:99999",
            "a.org:08080",
            "a.org:8o",
            "a.org:1:2",
            "[::1]",
            "localhost",
            "a.b9",
            "0x.org",
            "10.1000",
            "",
        ];
        const PATHS: &[&str] = &[
            "",
            "/",
            "/x/",
            "/x//",
            "/./x",
            "/../x",
            "/%2e/x",
            "/%2E%2e/y",
            "/a/.",
            "/a/..",
            "/x y",
            "/x\"y",
            "/x`",
            "/{a}",
            "/a\\b",
            "/é",
            "/a|b^c",
            "/%zz",
            "/.hidden",
            "/..a",
            "/a..",
            "//x",
            "/a\tb",
            "/A/B.html",
            "/x;y=1",
            "/x'y",
            "/~u/(1)",
            "/a/.%2E/b",
            "/b/%2e.",
            "/%",
            "/x.y/./z",
            "/a.b/c%20d/.../e",
        ];
        const QUERIES: &[&str] = &[
            "",
            "?",
            "?a=1",
            "?utm_source=x&id=3",
            "?a='b'",
            "?a=<",
            "?FBCLID=1&x",
            "?&&",
            "?a=é",
            "?a b",
            "?a=1?b",
            "?UTM_=1",
        ];
        const FRAGMENTS: &[&str] = &["", "#", "#x", "#é y", "#:~:text=a%20b", "#a#b", "# "];
        let mut out = Vec::new();
        let mut i = 0;
        for p in PREFIXES {
            for h in HOSTS {
                for path in PATHS {
                    let q = QUERIES[i % QUERIES.len()];
                    let f = FRAGMENTS[i % FRAGMENTS.len()];
                    out.push(format!("{p}{h}{path}{q}{f}"));
                    i += 1;
                }
                for q in QUERIES {
                    for f in FRAGMENTS {
                        out.push(format!("{p}{h}/x{q}{f}"));
                    }
                }
            }
        }
        out.push("https://a.org/x ".to_string());
        out.push("\u{1}https://a.org/x".to_string());
        out.push("https://a.org/x\n".to_string());
        out
    }

    #[test]
    fn plain_urls_get_the_key_the_url_crate_gives() {
        let mut plain = 0;
        for url in awkward_urls() {
            assert_eq!(url_key(&url), UrlKey::parsed(url.trim()), "{url:?}");
            plain += usize::from(plain_absolute(url.trim()).is_some());
        }
        // Both readings were compared, not only the parser's with itself.
        assert!(plain > 1000, "{plain}");
        let read = Plain::of("HTTP://WWW.A.org:8080/x/.y/y..?q=1?&p#f").expect("plain");
        assert_eq!(
            (read.host, read.port, read.path, read.query),
            ("WWW.A.org", Some(8080), "/x/.y/y..", Some("q=1?&p"))
        );
    }

    #[test]
    fn runs_read_four_bytes_at_a_time_end_where_one_byte_at_a_time_end() {
        let reference = |b: &[u8], class: u8| {
            b.iter()
                .position(|&c| CLASS[usize::from(c)] & class == 0)
                .unwrap_or(b.len())
        };
        const ORDINARY: &[u8] = b"aZ09-._~%!$&'()*+,;=:@";
        const STOPS: &[u8] = b" /?#\"\xc3";
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            crate::xorshift(&mut x);
            let len = (x % 23) as usize;
            let stop = (x >> 8) as usize % (len + 1);
            let bytes: Vec<u8> = (0..len)
                .map(|i| match i.cmp(&stop) {
                    std::cmp::Ordering::Equal => STOPS[(x >> 20) as usize % STOPS.len()],
                    _ => ORDINARY[(x >> (i % 50)) as usize % ORDINARY.len()],
                })
                .collect();
            for class in [HOST, PATH, QUERY, QUERY_RUN, PATH_ALL, PATH_PLAIN] {
                assert_eq!(
                    run(&bytes, class),
                    reference(&bytes, class),
                    "{bytes:?} {class}"
                );
            }
        }
    }

    #[test]
    fn schemes_read_eight_bytes_at_a_time_as_byte_by_byte() {
        // Every letter case of both schemes, and each byte of them replaced by others.
        let mut urls = Vec::new();
        for scheme in ["https://", "http://"] {
            for case in 0..32u32 {
                let s: String = scheme
                    .chars()
                    .enumerate()
                    .map(|(i, c)| {
                        if case >> i & 1 == 1 {
                            c.to_ascii_uppercase()
                        } else {
                            c
                        }
                    })
                    .collect();
                urls.push(format!("{s}a.org/x"));
            }
            for i in 0..scheme.len() {
                for c in [
                    0x08u8,
                    0x0f,
                    0x1a,
                    b'H' ^ 0x20,
                    b'@',
                    b'`',
                    b':',
                    b'/',
                    b's',
                    0xc3,
                ] {
                    let mut bytes = format!("{scheme}a.org/x").into_bytes();
                    bytes[i] = c;
                    urls.push(String::from_utf8_lossy(&bytes).into_owned());
                }
            }
        }
        urls.extend(
            [
                "https://",
                "http://",
                "http://x",
                "https:/",
                "httpsx//a.org",
            ]
            .map(String::from),
        );
        // The reading as first written: the schemes compared byte by byte.
        fn reference(url: &str) -> Option<Plain<'_>> {
            let b = url.as_bytes();
            if b.len() > 8 && b[..8].eq_ignore_ascii_case(b"https://") {
                return Plain::after_scheme(&url[8..], 443);
            }
            if b.len() > 7 && b[..7].eq_ignore_ascii_case(b"http://") {
                return Plain::after_scheme(&url[7..], 80);
            }
            let at = find_ascii(url, b"://")?;
            let (scheme, rest) = (&url[..at], &url[at + 3..]);
            let default_port = if scheme.eq_ignore_ascii_case("https") {
                443
            } else if scheme.eq_ignore_ascii_case("http") {
                80
            } else if scheme.eq_ignore_ascii_case("ftp") {
                21
            } else {
                return None;
            };
            Plain::after_scheme(rest, default_port)
        }
        for url in &urls {
            assert_eq!(Plain::of(url), reference(url), "{url:?}");
        }
        assert!(urls.iter().filter(|u| reference(u).is_some()).count() > 64);
    }

    #[test]
    fn bare_www_hosts_read_as_https() {
        assert_eq!(
            absolute("www.a.org/x").map(String::from).as_deref(),
            Some("https://www.a.org/x")
        );
    }

    #[test]
    fn home_pages_and_compatible_keys() {
        let k = |s: &str| url_key(s).expect("a URL");
        assert!(k("https://www.a.org/").is_home_page());
        assert!(k("https://a.org/?p=12").is_home_page());
        assert!(!k("https://a.org/x").is_home_page());
        assert!(k("https://a.org/a/very-long-sl").compatible(&k("https://a.org/a/very-long-slug")));
        assert!(k("https://a.org/x?q=1").compatible(&k("https://a.org/x")));
        assert!(
            k("https://a.org/x").compatible(&k("http://web.archive.org/web/2019/https://a.org/x"))
        );
        assert!(!k("https://a.org/a").compatible(&k("https://a.org/b")));
    }
}
