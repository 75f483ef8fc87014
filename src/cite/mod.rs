//! Citations inside notes.

use crate::normalize;

/// Whether a note's text is an Ibid.-style reference to the note before it: `Ibid.`, `Ibid`,
/// `ibid.`, `Ibidem`, `Id.` and sloppy forms such as `Ibid..`, `Ibid,` or `Ibid;`, with or
/// without a locator.
#[must_use]
pub fn is_ibid(text: &str) -> bool {
    let t = normalize::trim(text);
    let lower: String = t.chars().take(8).flat_map(char::to_lowercase).collect();
    let rest = if let Some(r) = lower.strip_prefix("ibidem") {
        r
    } else if let Some(r) = lower.strip_prefix("ibid") {
        r
    } else if let Some(r) = lower.strip_prefix("id.") {
        r
    } else {
        return false;
    };
    rest.chars().next().is_none_or(|c| !c.is_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::is_ibid;

    #[test]
    fn ibid_forms() {
        for t in [
            "Ibid.",
            "Ibid",
            "ibid.",
            "Ibidem, 4.",
            "Id.",
            "Ibid..",
            "Ibid,",
            "Ibid;",
            " Ibid., p. 4.",
        ] {
            assert!(is_ibid(t), "{t}");
        }
        for t in ["Ibidson, “Title”", "Idaho Press", "Identity", ""] {
            assert!(!is_ibid(t), "{t}");
        }
    }
}
