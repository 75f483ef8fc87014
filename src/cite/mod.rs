//! Citations inside notes: splitting a note into citations, reading each one's fields, and
//! resolving every citation of a post (full, short form, Ibid.) to the work it cites.

mod authors;
mod dates;
mod entry;
mod fields;
mod legal;
mod locator;
mod opcit;
mod resolve;
mod split;

/// Work identity lives in [`crate::identity`]; re-exported for the rules that compare works.
pub use crate::identity::{same_work, WorkKey};
pub use authors::{
    is_name_suffix, is_organisation, short_label, short_title, split_authors, surname,
};
pub use dates::publication_year;
pub use entry::{parse_entry, parse_entry_known};
pub use fields::{match_words, parse_citation};
pub use legal::{legal_citation, legal_reporter, reporter_cite, ReporterCite};
pub use locator::{extent, parse_locator, trailing_locator};
pub use opcit::back_reference;
pub use resolve::{parse_note, resolve_post};
pub use split::{is_prose, split, Piece};

use crate::model::{Post, Source};
use crate::normalize;

/// How a source is named in listings and messages: `Betts, “Survival Migration”`.
#[must_use]
pub fn source_label(source: &Source) -> String {
    short_label(&source.fields, &source.text)
}

/// The label of the note at `index` of `post`, for messages (`54`).
#[must_use]
pub fn note_label(post: &Post, index: usize) -> &str {
    post.notes.get(index).map_or("?", |n| n.label.as_str())
}

/// Whether a citation only says what the source before it cites (`Id., citing …`): an Id.
/// in the next note does not refer to it.
#[must_use]
pub fn is_explanatory(citation: &crate::model::Citation) -> bool {
    citation
        .signal
        .as_deref()
        .is_some_and(|s| s.eq_ignore_ascii_case("citing") || s.eq_ignore_ascii_case("quoting"))
}

/// Whether a note's text is an Ibid.-style reference to the note before it: `Ibid.`, `Ibid`,
/// `ibid.`, `Ibidem`, `Id.` and sloppy forms such as `Ibid..`, `Ibid,` or `Ibid;`, with or
/// without a locator.
#[must_use]
pub fn is_ibid(text: &str) -> bool {
    // An ASCII first byte that is no white space is the first character once trimmed: unless
    // it is an `i`, no trimming is needed to answer.
    match text.as_bytes().first() {
        None => return false,
        Some(&c) if c.is_ascii() && !matches!(c, b'\t'..=b'\r' | b' ') => {
            if !c.eq_ignore_ascii_case(&b'i') {
                return false;
            }
        }
        Some(_) => {}
    }
    let t = normalize::trim(text);
    // Every form starts with an `i`: most notes are answered without an allocation.
    if !t
        .as_bytes()
        .first()
        .is_some_and(|b| b.eq_ignore_ascii_case(&b'i'))
    {
        return false;
    }
    ibid_word_len(t).is_some()
}

/// The length in bytes of the Ibid. word (`ibidem`, `ibid`, `id.` in any case) that opens `t`,
/// when what follows it is no letter or digit. Compared byte by byte: only ASCII letters
/// lower-case to these words' letters (`İ` lower-cases to an `i` and a combining dot, which no
/// word has next), so this is what lower-casing the start of `t` and comparing would say.
fn ibid_word_len(t: &str) -> Option<usize> {
    let b = t.as_bytes();
    let starts = |w: &[u8]| b.get(..w.len()).is_some_and(|h| h.eq_ignore_ascii_case(w));
    let len = if starts(b"ibidem") {
        6
    } else if starts(b"ibid") {
        4
    } else if starts(b"id.") {
        3
    } else {
        return None;
    };
    // The character after the word, as lower-cased (its first character).
    t[len..]
        .chars()
        .next()
        .and_then(|c| c.to_lowercase().next())
        .is_none_or(|c| !c.is_alphanumeric())
        .then_some(len)
}

/// The text after an Ibid. word (`Ibid`, `ibid.`, `Ibidem`, `Id.`), when `text` is one.
#[must_use]
pub fn ibid_rest(text: &str) -> Option<&str> {
    if !is_ibid(text) {
        return None;
    }
    let t = text.trim_start();
    let b = t.as_bytes();
    let starts = |w: &[u8]| b.get(..w.len()).is_some_and(|h| h.eq_ignore_ascii_case(w));
    let len = if starts(b"ibidem") {
        6
    } else if starts(b"ibid") {
        4
    } else {
        3
    };
    t.get(len..)
}

#[cfg(test)]
mod tests {
    use super::is_ibid;

    #[test]
    fn ibid_words_compare_as_lower_cased_text() {
        // The reading as first written: lower-case the start, then compare.
        let reference = |text: &str| {
            let t = crate::normalize::trim(text);
            if !t
                .as_bytes()
                .first()
                .is_some_and(|b| b.eq_ignore_ascii_case(&b'i'))
            {
                return false;
            }
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
        };
        const PARTS: [&str; 16] = [
            "I", "i", "b", "B", "d", "D", "em", "EM", ".", " ", "İ", "Ⅻ", "é", "\u{212a}", ",", "4",
        ];
        for t in crate::texts_of_parts(&PARTS, 0x2545_f491_4f6c_dd1d, 40_000, 1, 8) {
            assert_eq!(is_ibid(&t), reference(&t), "{t:?}");
        }
    }

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
