//! Archived snapshots of dead pages, from a Wayback-style availability endpoint
//! (`GET {endpoint}?url=URL` answering `{"archived_snapshots":{"closest":{...}}}`).

use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Availability {
    #[serde(default)]
    archived_snapshots: Snapshots,
}

#[derive(Debug, Default, Deserialize)]
struct Snapshots {
    closest: Option<Snapshot>,
}

#[derive(Debug, Deserialize)]
struct Snapshot {
    #[serde(default)]
    available: bool,
    url: String,
}

/// The closest archived snapshot of `url`, if the endpoint knows one. Any failure of the
/// endpoint means no suggestion, never an error. The caller has checked that `endpoint` may
/// be asked (no private address unless allowed); `client` keeps redirects to the same rule.
pub async fn closest_snapshot(
    client: &reqwest::Client,
    endpoint: url::Url,
    url: &str,
) -> Option<String> {
    let response = client
        .get(endpoint)
        .query(&[("url", url)])
        .send()
        .await
        .ok()?;
    if !response.status().is_success() {
        return None;
    }
    let body = response.bytes().await.ok()?;
    parse_availability(&body)
}

fn parse_availability(body: &[u8]) -> Option<String> {
    let found: Availability = serde_json::from_slice(body).ok()?;
    let snapshot = found.archived_snapshots.closest?;
    (snapshot.available && !snapshot.url.is_empty()).then_some(snapshot.url)
}

#[cfg(test)]
mod tests {
    use super::parse_availability;

    #[test]
    fn reads_the_closest_available_snapshot() {
        let body = br#"{"url":"example.com","archived_snapshots":{"closest":{"status":"200","available":true,"url":"http://web.archive.org/web/2013/http://example.com/","timestamp":"20130919044612"}}}"#;
        assert_eq!(
            parse_availability(body).as_deref(),
            Some("http://web.archive.org/web/2013/http://example.com/")
        );
        assert_eq!(parse_availability(br#"{"archived_snapshots":{}}"#), None);
        assert_eq!(parse_availability(b"<html>"), None);
    }
}
