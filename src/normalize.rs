//! Text normalisation for comparisons: spans never change, but two notes that differ only in
//! quote style, non-breaking spaces or runs of white space compare equal.

/// Whether `c` is white space for notelint's purposes: Unicode white space, which includes the
/// non-breaking space, plus the zero-width space and BOM that scraped pages carry.
#[must_use]
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200B}' | '\u{FEFF}')
}

/// Whether a line holds nothing but white space (a line of NBSPs counts as blank).
#[must_use]
pub fn is_blank(line: &str) -> bool {
    line.chars().all(is_space)
}

/// `s` without leading and trailing white space (NBSP included).
#[must_use]
pub fn trim(s: &str) -> &str {
    s.trim_matches(is_space)
}

/// Folds a text for comparison: NBSP and other spaces to one space, curly quotes and
/// apostrophes to straight ones, dashes to `-`, lower case, trimmed, without a final period.
#[must_use]
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        if is_space(c) {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        match c {
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{00AB}' | '\u{00BB}' => out.push('"'),
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{2032}' => out.push('\''),
            '\u{2013}' | '\u{2014}' | '\u{2212}' => out.push('-'),
            '\u{2026}' => out.push_str("..."),
            _ => out.extend(c.to_lowercase()),
        }
    }
    while out.ends_with('.') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_ignores_quote_style_nbsp_and_case() {
        assert_eq!(
            fold("Smith,\u{a0} “A  Title,” 2020."),
            fold("smith, \"A Title,\" 2020")
        );
        assert_eq!(fold("  "), "");
    }

    #[test]
    fn nbsp_lines_are_blank() {
        assert!(is_blank("\u{a0} \t"));
        assert!(!is_blank(" x"));
    }
}
