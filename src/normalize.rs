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
    folded(s).collect()
}

/// Whether `a` and `b` are equal once folded, without allocating.
#[must_use]
pub fn fold_eq(a: &str, b: &str) -> bool {
    folded(a).eq(folded(b))
}

/// The characters of `s` folded as [`fold`] describes.
fn folded(s: &str) -> impl Iterator<Item = char> + '_ {
    let s = s.trim_end_matches(|c: char| c == '.' || c == '\u{2026}' || is_space(c));
    let s = s.trim_start_matches(is_space);
    let mut prev_space = false;
    s.chars().flat_map(move |c| {
        let space = is_space(c);
        let skip = space && prev_space;
        prev_space = space;
        let folded: [Option<char>; 3] = if skip {
            [None, None, None]
        } else if space {
            [Some(' '), None, None]
        } else {
            match c {
                '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{00AB}' | '\u{00BB}' => {
                    [Some('"'), None, None]
                }
                '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{2032}' => [Some('\''), None, None],
                '\u{2013}' | '\u{2014}' | '\u{2212}' => [Some('-'), None, None],
                '\u{2026}' => [Some('.'), Some('.'), Some('.')],
                c if c.is_ascii() => [Some(c.to_ascii_lowercase()), None, None],
                c => {
                    let mut lower = c.to_lowercase();
                    [lower.next(), lower.next(), lower.next()]
                }
            }
        };
        folded.into_iter().flatten()
    })
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
        assert!(fold_eq("A  b…", "a b"));
        assert!(!fold_eq("Smith, 4.", "Smith, 5."));
    }

    #[test]
    fn nbsp_lines_are_blank() {
        assert!(is_blank("\u{a0} \t"));
        assert!(!is_blank(" x"));
    }
}
