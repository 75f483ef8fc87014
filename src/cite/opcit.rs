//! Back-references by author: `Smith, op. cit., p. 4.`, `As Smith argued, op. cit., 12.`,
//! `Berg, loc. cit.`, `Berg, supra note 2, at 41.` point to the last full citation of the
//! author they name, not to words of a title.

use std::sync::LazyLock;

use regex::Regex;

/// `op. cit.`, `loc. cit.` or `supra` after the words that name the author.
static BACK_REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?P<pre>[^;]{0,80}?)[\s,]*\b(?:op\.?\s*cit|loc\.?\s*cit|supra)\b\.?,?(?P<rest>.*)$",
    )
    .expect("valid regex")
});

/// Words that start a sentence or a citation without naming anyone.
const NOT_NAMES: [&str; 12] = [
    "As", "See", "Also", "Cf", "But", "Compare", "The", "This", "In", "So", "Thus", "Id",
];

/// The author named before an `op. cit.`, `loc. cit.` or `supra` in `text`, and the text
/// after the marker (the locator). `None` when `text` has no such marker or names no one.
#[must_use]
pub fn back_reference(text: &str) -> Option<(&str, &str)> {
    // Most citations hold none of the markers: skip the regex.
    // (`cit` and `supra` in any ASCII case, found by their rarest letters.)
    let bytes = text.as_bytes();
    let has = |w: &str, key: usize| {
        let w = w.as_bytes();
        let k = w[key];
        memchr::memchr2_iter(k, k.to_ascii_uppercase(), bytes).any(|i| {
            i.checked_sub(key)
                .and_then(|at| bytes.get(at..at + w.len()))
                .is_some_and(|x| x.eq_ignore_ascii_case(w))
        })
    };
    if !has("cit", 0) && !has("supra", 2) {
        return None;
    }
    let caps = BACK_REFERENCE.captures(text)?;
    let pre = caps.name("pre")?.as_str();
    let rest = caps.name("rest").map_or("", |m| m.as_str());
    if pre.split_whitespace().count() > 8 {
        return None;
    }
    let name = pre
        .split(|c: char| c.is_whitespace() || c == ',')
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .rfind(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                && w.chars().count() >= 2
                && !NOT_NAMES.contains(w)
        })?;
    Some((name, rest))
}

#[cfg(test)]
mod tests {
    use super::back_reference;

    #[test]
    fn names_before_op_cit_loc_cit_and_supra() {
        assert_eq!(
            back_reference("Smith, op. cit., p. 4."),
            Some(("Smith", " p. 4."))
        );
        assert_eq!(
            back_reference("As Smith argued, op. cit., 12."),
            Some(("Smith", " 12."))
        );
        assert_eq!(back_reference("Berg, loc. cit."), Some(("Berg", "")));
        assert_eq!(
            back_reference("Berg, supra note 2, at 41."),
            Some(("Berg", " note 2, at 41."))
        );
        assert_eq!(back_reference("Op. cit., 4."), None);
        assert_eq!(
            back_reference("Ana Moe, “Cranes,” Port Review, 2021."),
            None
        );
    }
}
