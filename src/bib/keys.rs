//! Normalised forms of URLs and titles, computed once per source and entry so that matching
//! compares short strings.

use std::collections::HashSet;

/// Query parameters that only track where a reader came from.
fn is_tracking_param(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.starts_with("utm_")
        || matches!(
            name.as_str(),
            "fbclid" | "gclid" | "msockid" | "sh" | "ref" | "mc_cid" | "mc_eid" | "igshid"
        )
}

/// A URL as compared: host without `www.`, path without a final `/`, query without tracking
/// parameters; scheme and fragment dropped. `None` when the text is not a URL.
#[must_use]
pub fn url_key(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let lower = raw.get(..4).unwrap_or(raw).to_ascii_lowercase();
    let owned;
    let raw = if lower == "www." {
        owned = format!("http://{raw}");
        owned.as_str()
    } else {
        raw
    };
    let url = url::Url::parse(raw).ok()?;
    let host = url.host_str()?;
    let host = host.strip_prefix("www.").unwrap_or(host);
    let path = url.path().trim_end_matches('/');
    let query: Vec<String> = url
        .query_pairs()
        .filter(|(k, _)| !is_tracking_param(k))
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let mut key = format!("{host}{path}");
    if !query.is_empty() {
        key.push('?');
        key.push_str(&query.join("&"));
    }
    Some(key)
}

/// Whether two URL keys may name the same page: equal, one cut short of the other (as pages
/// truncate long links), or one archived inside the other.
#[must_use]
pub fn urls_compatible(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let short_path = short.split_once('?').map_or(short, |(p, _)| p);
    long.starts_with(short_path) || long.contains(short_path)
}

/// A title as compared.
#[derive(Debug, Clone, Default)]
pub struct TitleKey {
    /// Lower-case words, without punctuation or apostrophes.
    pub words: Vec<String>,
    /// The words joined by single spaces.
    pub joined: String,
    /// The words made only of digits (`2022`, `1874`): titles differing in them are different
    /// works, however close the rest.
    pub numbers: HashSet<String>,
    /// Whether the title was cut short with an ellipsis (`Seeking Safer Shells…`).
    pub shortened: bool,
}

impl TitleKey {
    #[must_use]
    pub fn new(title: &str) -> Self {
        let t = title.trim().trim_end_matches(|c: char| {
            c.is_whitespace() || matches!(c, '"' | '”' | '’' | '\'' | ',' | ';' | ':')
        });
        let shortened = t.ends_with('…') || t.ends_with("...");
        let words: Vec<String> = t
            .chars()
            .filter(|c| !matches!(c, '\'' | '’' | '‘'))
            .flat_map(char::to_lowercase)
            .collect::<String>()
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect();
        let numbers = words
            .iter()
            .filter(|w| w.chars().all(|c| c.is_ascii_digit()))
            .cloned()
            .collect();
        Self {
            joined: words.join(" "),
            words,
            numbers,
            shortened,
        }
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

/// How closely two titles agree, from 0 (not the same work) to 1 (the same words).
///
/// A title cut with an ellipsis matches the titles it starts; a title of three words or more
/// matches one it starts (a subtitle left out); otherwise the words must be nearly the same,
/// and any numbers exactly the same.
#[must_use]
pub fn title_similarity(a: &TitleKey, b: &TitleKey) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    if a.joined == b.joined {
        return 1.0;
    }
    let (short, long) = if a.words.len() <= b.words.len() {
        (a, b)
    } else {
        (b, a)
    };
    let starts = long.words.starts_with(&short.words);
    if starts && (short.shortened || a.shortened && b.shortened) && short.words.len() >= 2 {
        return 0.95;
    }
    if short.shortened {
        // An ellipsis may also cut the last word short: `Seeking Saf…`.
        if let Some((last, head)) = short.words.split_last() {
            let cut = long.words.len() > head.len()
                && long.words.starts_with(head)
                && long.words[head.len()].starts_with(last.as_str());
            if cut && short.words.len() >= 2 {
                return 0.95;
            }
        }
    }
    if !short.numbers.is_subset(&long.numbers) {
        return 0.0;
    }
    if starts && short.words.len() >= 3 {
        return 0.9;
    }
    if short.numbers != long.numbers {
        return 0.0;
    }
    let (la, lb) = (a.joined.chars().count(), b.joined.chars().count());
    // Edit distance is quadratic in length: titles run far shorter than this.
    if la.min(lb) * 5 < la.max(lb) * 4 || la.max(lb) > MAX_FUZZY_CHARS {
        return 0.0;
    }
    strsim::normalized_levenshtein(&a.joined, &b.joined)
}

/// The longest title compared by edit distance.
const MAX_FUZZY_CHARS: usize = 400;

/// The least [`title_similarity`] that counts as the same title.
pub const SAME_TITLE: f64 = 0.88;

#[cfg(test)]
mod tests {
    use super::*;

    fn sim(a: &str, b: &str) -> f64 {
        title_similarity(&TitleKey::new(a), &TitleKey::new(b))
    }

    #[test]
    fn url_keys_drop_scheme_www_fragment_and_tracking() {
        assert_eq!(
            url_key("https://www.Example.org/a/b/?utm_source=x&id=3#:~:text=hi"),
            Some("example.org/a/b?id=3".into())
        );
        assert_eq!(
            url_key("http://example.org/a/b"),
            url_key("www.example.org/a/b/")
        );
        assert_eq!(url_key("not a url"), None);
        assert!(urls_compatible(
            "example.org/a/very-long-sl",
            "example.org/a/very-long-slug"
        ));
        assert!(!urls_compatible("example.org/a", "example.org/b"));
    }

    #[test]
    fn titles_tolerate_quotes_ellipses_and_slips() {
        assert!(sim("A dictator's guide", "A dictator’s guide") >= SAME_TITLE);
        assert!(
            sim(
                "Seeking Safer Shells…",
                "Seeking Safer Shells: An Analysis of Rulings"
            ) >= SAME_TITLE
        );
        assert!(sim("Seeking Saf...", "Seeking Safer Shells") >= SAME_TITLE);
        assert!(
            sim(
                "Harbour Cranes of the North",
                "Harbour Cranes of the North: A Study"
            ) >= SAME_TITLE
        );
        assert!(sim("Harbour Cranes of the Nroth", "Harbour Cranes of the North") >= SAME_TITLE);
        assert!(sim("2022 Report on Harbours", "2023 Report on Harbours") < SAME_TITLE);
        assert!(
            sim(
                "Final report of the panel (2009)",
                "Midterm report of the panel (2009), S/2020/840"
            ) < SAME_TITLE
        );
        assert!(sim("Cranes…", "Cranes of the North") < SAME_TITLE);
    }
}
