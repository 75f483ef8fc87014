//! Telling whether a note and a bibliography entry name the same person: `Kim, Ellen` and
//! `Ellen Kim` agree, `Kalder, Kalder` and `Dan Kalder` do not.

use crate::cite::{is_name_suffix, is_organisation, surname};

/// A person's name, folded for comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
struct PersonName {
    surname: String,
    given: Vec<String>,
}

/// Whether two written names agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameAgreement {
    Same,
    /// The same surname with different given names, or a surname spelt differently.
    Differ,
    /// Not both persons' names, or too different to say they are one person misspelt.
    Unknown,
}

fn fold_word(w: &str) -> String {
    w.trim_end_matches('.')
        .chars()
        .map(|c| if c == '’' { '\'' } else { c })
        .flat_map(char::to_lowercase)
        .collect()
}

fn is_title(w: &str) -> bool {
    matches!(
        w.trim_end_matches('.').to_ascii_lowercase().as_str(),
        "dr" | "prof" | "mr" | "mrs" | "ms" | "sir"
    )
}

/// The words of a name part, without titles and suffixes; `None` when one is not a name word.
fn name_words(part: &str) -> Option<Vec<String>> {
    let words: Vec<&str> = part
        .split_whitespace()
        .filter(|w| !is_name_suffix(w) && !is_title(w))
        .collect();
    let ok = words.iter().all(|w| {
        w.chars().next().is_some_and(char::is_uppercase)
            && w.chars().all(|c| c.is_alphabetic() || ".-’'".contains(c))
    });
    ok.then(|| words.iter().map(|w| fold_word(w)).collect())
}

/// The name without `(eds.)` or `(ed.)`; borrowed when it has neither.
fn without_editor(a: &str) -> std::borrow::Cow<'_, str> {
    if a.contains("(ed") {
        std::borrow::Cow::Owned(a.replace("(eds.)", "").replace("(ed.)", ""))
    } else {
        std::borrow::Cow::Borrowed(a)
    }
}

/// Reads a person's name: `Surname, Given` or `Given Surname`. `None` for organisations,
/// single words (`Reuters`) and anything else that is not plainly a person.
fn person(author: &str) -> Option<PersonName> {
    let a = author.trim().trim_matches(|c: char| ",.;:".contains(c));
    if a.contains('&') || a.contains(" and ") || a.contains('(') && !a.contains("(ed") {
        return None;
    }
    let a = without_editor(a);
    if is_organisation(&a) {
        return None;
    }
    if let Some((last, given)) = a.split_once(',') {
        if given.contains(',') {
            return None;
        }
        let last = name_words(last)?;
        let given = name_words(given)?;
        if last.is_empty() || last.len() > 2 || given.is_empty() || given.len() > 3 {
            return None;
        }
        return Some(PersonName {
            surname: last.join(" "),
            given,
        });
    }
    let words = name_words(&a)?;
    if !(2..=4).contains(&words.len()) {
        return None;
    }
    let last = fold_word(surname(&a));
    let given = words.iter().filter(|w| **w != last).cloned().collect();
    Some(PersonName {
        surname: last,
        given,
    })
}

/// Whether two given names can be one: equal first names, or an initial and a name it starts.
fn given_compatible(a: &[String], b: &[String]) -> bool {
    match (a.first(), b.first()) {
        (Some(x), Some(y)) => {
            let initial = |s: &str, of: &str| s.chars().count() == 1 && of.starts_with(s);
            x == y || initial(x, y) || initial(y, x)
        }
        _ => true,
    }
}

/// Whether two written author names agree.
#[must_use]
pub fn compare(a: &str, b: &str) -> NameAgreement {
    let (Some(x), Some(y)) = (person(a), person(b)) else {
        return NameAgreement::Unknown;
    };
    let mut wx: Vec<&str> = x.given.iter().map(String::as_str).collect();
    wx.push(&x.surname);
    let mut wy: Vec<&str> = y.given.iter().map(String::as_str).collect();
    wy.push(&y.surname);
    wx.sort_unstable();
    wy.sort_unstable();
    if wx == wy {
        // The same words, in either order (`Kwak Yeon-soo`, `Yeon-soo, Kwak`).
        return NameAgreement::Same;
    }
    let compatible = given_compatible(&x.given, &y.given);
    if x.surname == y.surname {
        return if compatible {
            NameAgreement::Same
        } else {
            NameAgreement::Differ
        };
    }
    // A surname of one that is a given name of the other: the order is in doubt.
    if x.given.contains(&y.surname) || y.given.contains(&x.surname) {
        return NameAgreement::Unknown;
    }
    if compatible
        && !x.given.is_empty()
        && !y.given.is_empty()
        && strsim::jaro_winkler(&x.surname, &y.surname) >= 0.85
    {
        return NameAgreement::Differ;
    }
    NameAgreement::Unknown
}

/// How an author is compared for matching by author and year: the folded surname of a person,
/// an organisation in full.
#[must_use]
pub fn surname_key(author: &str) -> String {
    let s = without_editor(author);
    crate::normalize::fold(surname(&s))
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use NameAgreement::{Differ, Same, Unknown};

    #[test]
    fn inverted_and_normal_order_agree() {
        assert_eq!(compare("Kim, Ellen", "Ellen Kim"), Same);
        assert_eq!(compare("Yeon-soo, Kwak", "Kwak Yeon-soo"), Same);
        assert_eq!(compare("Park, Hyun-ju", "Hyun-Ju Park"), Same);
        assert_eq!(
            compare("Bermudez Jr., Joseph S.", "Joseph S. Bermudez Jr."),
            Same
        );
        assert_eq!(compare("Watterson, Christopher J", "C. J. Watterson"), Same);
        assert_eq!(compare("Ochab, Dr. Ewelina U.", "Ewelina Ochab"), Same);
        assert_eq!(
            compare("Scarlatoiu, Greg (ed.)", "Greg Scarlatoiu (ed.)"),
            Same
        );
    }

    #[test]
    fn different_given_names_or_spellings_differ() {
        assert_eq!(compare("Kalder, Kalder", "Dan Kalder"), Differ);
        assert_eq!(compare("Smith, John", "John Smyth"), Differ);
    }

    #[test]
    fn organisations_and_doubtful_orders_are_unknown() {
        assert_eq!(compare("UN News", "United Nations"), Unknown);
        assert_eq!(compare("Reuters", "Ana Moe"), Unknown);
        assert_eq!(compare("U.S. Department of State", "Ana Moe"), Unknown);
        assert_eq!(compare("Lee, Ann", "Bo Kim"), Unknown);
        assert_eq!(compare("Kim Eun-Bin", "Eun-Bin Park"), Unknown);
    }

    #[test]
    fn surname_keys() {
        assert_eq!(surname_key("Betts, Alexander"), "betts");
        assert_eq!(surname_key("Alexander Betts"), "betts");
        assert_eq!(surname_key("Bermudez Jr., Joseph S."), "bermudez");
        assert_eq!(surname_key("HRNK"), "hrnk");
    }
}
