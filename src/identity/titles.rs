//! Title identity: when two written titles name the same work.
//!
//! A [`TitleKey`] holds a title's words: letters lower-cased (one character at a time, so
//! that a word folds the same wherever it stands), apostrophes (`'`, `’`, `‘`) removed so that
//! `dictator's` and `dictator’s` are one word, and every other character that is not a letter
//! or a digit (quotes, dashes, colons, white space of any kind) separating words. Articles are
//! kept (`The Fjord` and `Fjord` are different titles as often as the same), and so are
//! diacritics (`Łódź` is not `Lodz` to a reader who searches for it).
//!
//! Whether two keys name the same work depends on what is at stake, so there are three
//! comparisons, strictest first: [`TitleKey::same_or_subtitled`] (resolving a full citation to
//! an earlier one), [`TitleKey::either_starts_other`] (a URL cited for two titles), and
//! [`similarity`] (a note and a bibliography entry, which are written apart and drift).

/// The ASCII letters and digits, by byte: a look-up is quicker than the range tests.
static ALNUM: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    t
};

/// A title as compared; see the [module documentation](self).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TitleKey {
    /// The words, lower-case, without punctuation or apostrophes, joined by single spaces.
    pub joined: String,
    /// How many words the title has.
    words: usize,
    /// The words made only of digits (`2022`, `1874`): titles differing in them are different
    /// works, however close the rest.
    pub numbers: Numbers,
    /// Whether the title was cut short with an ellipsis (`Seeking Safer Shells…`).
    pub shortened: bool,
}

impl TitleKey {
    /// Reads a title in one pass: each character is lower-cased (an apostrophe dropped) and
    /// each lower-case character that is not a letter or a digit ends a word.
    #[must_use]
    pub fn new(title: &str) -> Self {
        let t = title.trim().trim_end_matches(|c: char| {
            c.is_whitespace() || matches!(c, '"' | '”' | '’' | '\'' | ',' | ';' | ':')
        });
        let shortened = t.ends_with('…') || t.ends_with("...");
        if t.is_ascii() {
            return Self::of_ascii(t, shortened);
        }
        let mut key = Self {
            joined: String::with_capacity(t.len()),
            words: 0,
            numbers: Numbers::default(),
            shortened,
        };
        let mut has_numbers = false;
        // The start of the word being read in `joined`, and whether it is all digits.
        let mut word: Option<(usize, bool)> = None;
        for c in t.chars() {
            if matches!(c, '\'' | '’' | '‘') {
                continue;
            }
            if c.is_ascii() {
                key.push(&mut word, c.to_ascii_lowercase(), &mut has_numbers);
            } else {
                for lower in c.to_lowercase() {
                    key.push(&mut word, lower, &mut has_numbers);
                }
            }
        }
        key.end_word(word, &mut has_numbers);
        if has_numbers {
            key.numbers = Numbers::of(&key.joined);
        }
        key
    }

    /// [`TitleKey::new`] of a trimmed ASCII title: bytes are characters, each lower-cased to
    /// one, so the words are the runs of letters and digits once the apostrophes are dropped,
    /// read a byte at a time into the key.
    fn of_ascii(t: &str, shortened: bool) -> Self {
        // No longer than the title: each space of the key stands for at least one byte of
        // the title between two words. Written by index, cheaper than a push a byte.
        let mut joined = vec![0u8; t.len()];
        let mut len = 0;
        let mut put = |b: u8| {
            if let Some(slot) = joined.get_mut(len) {
                *slot = b;
            }
            len += 1;
        };
        let (mut words, mut has_numbers) = (0, false);
        let b = t.as_bytes();
        let mut i = 0;
        while let Some(&c) = b.get(i) {
            if !ALNUM[usize::from(c)] {
                i += 1;
                continue;
            }
            // A word: letters and digits, read to the first byte that is neither nor an
            // apostrophe (dropped).
            if words > 0 {
                put(b' ');
            }
            words += 1;
            let mut digits = true;
            while let Some(&c) = b.get(i) {
                if ALNUM[usize::from(c)] {
                    // ASCII digits and lower-case letters have the 0x20 bit set already;
                    // upper-case letters gain it.
                    digits &= c <= b'9';
                    put(c | 0x20);
                } else if c != b'\'' {
                    break;
                }
                i += 1;
            }
            has_numbers |= digits;
        }
        joined.truncate(len);
        // ASCII bytes only: always valid.
        let joined = String::from_utf8(joined)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        Self {
            numbers: if has_numbers {
                Numbers::of(&joined)
            } else {
                Numbers::default()
            },
            joined,
            words,
            shortened,
        }
    }

    /// Adds a lower-case character to the word being read, or ends it.
    fn push(&mut self, word: &mut Option<(usize, bool)>, c: char, has_numbers: &mut bool) {
        if !c.is_alphanumeric() {
            self.end_word(word.take(), has_numbers);
            return;
        }
        match word {
            Some((_, digits)) => *digits &= c.is_ascii_digit(),
            None => {
                if self.words > 0 {
                    self.joined.push(' ');
                }
                *word = Some((self.joined.len(), c.is_ascii_digit()));
            }
        }
        self.joined.push(c);
    }

    /// Ends the word being read, if any (`has_numbers` set when it is all digits).
    fn end_word(&mut self, word: Option<(usize, bool)>, has_numbers: &mut bool) {
        if let Some((_, digits)) = word {
            self.words += 1;
            *has_numbers |= digits;
        }
    }

    /// How many words the title has.
    #[must_use]
    pub fn word_count(&self) -> usize {
        self.words
    }

    /// Whether the words of `self` are the first words of `other` (or all of them).
    fn words_start(&self, other: &Self) -> bool {
        other.joined.starts_with(&self.joined)
            && matches!(
                other.joined.as_bytes().get(self.joined.len()),
                None | Some(b' ')
            )
    }

    /// Whether the title has no words.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.words == 0
    }

    /// Whether the titles are the same, or the shorter one (of three words or more) is the
    /// longer one cut at a word boundary, as a title cited without its subtitle. Two words are
    /// too few: `Annual Report` starts many titles.
    #[must_use]
    pub fn same_or_subtitled(&self, other: &Self) -> bool {
        let (x, y) = (&self.joined, &other.joined);
        let (short, long) = if x.len() <= y.len() { (x, y) } else { (y, x) };
        !short.is_empty()
            && (short == long
                || (short.split(' ').nth(2).is_some()
                    && long.starts_with(short.as_str())
                    && long.as_bytes().get(short.len()) == Some(&b' ')))
    }

    /// Whether either title's words, as text, start the other's: `Escape Routes` and `Escape
    /// Routes: A Study` agree, and so do `Seeking Saf` and `Seeking Safer Shells`, a word cut
    /// short. The loosest comparison, for telling two works apart only when plainly different.
    #[must_use]
    pub fn either_starts_other(&self, other: &Self) -> bool {
        self.joined.starts_with(&other.joined) || other.joined.starts_with(&self.joined)
    }
}

/// How closely two titles agree, from 0 (not the same work) to 1 (the same words).
///
/// A title cut with an ellipsis matches the titles it starts; a title of three words or more
/// matches one it starts (a subtitle left out); otherwise the words must be nearly the same,
/// and any numbers exactly the same. At least [`SAME_TITLE`] counts as the same title.
#[must_use]
pub fn similarity(a: &TitleKey, b: &TitleKey) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    if a.joined == b.joined {
        return 1.0;
    }
    let (short, long) = if a.words <= b.words { (a, b) } else { (b, a) };
    let starts = short.words_start(long);
    if starts && (short.shortened || a.shortened && b.shortened) && short.words >= 2 {
        return 0.95;
    }
    // An ellipsis may also cut the last word short: `Seeking Saf…`. Words hold no spaces, so
    // the longer title then starts with the shorter one as text.
    if short.shortened && short.words >= 2 && long.joined.starts_with(&short.joined) {
        return 0.95;
    }
    if !short.numbers.is_subset(&long.numbers) {
        return 0.0;
    }
    if starts && short.words >= 3 {
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

/// The words of a title made only of digits, as a set: sorted, each once. Empty (and not
/// allocated) for the many titles without one; equal for two titles when they hold the same
/// numbers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Numbers(Vec<String>);

impl Numbers {
    /// The numbers among the words of a key's `joined` text.
    fn of(joined: &str) -> Self {
        let mut numbers: Vec<String> = joined
            .split(' ')
            .filter(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit()))
            .map(str::to_string)
            .collect();
        numbers.sort_unstable();
        numbers.dedup();
        Self(numbers)
    }

    /// The numbers, sorted.
    #[must_use]
    pub fn as_slice(&self) -> &[String] {
        &self.0
    }

    /// Whether every number of `self` is one of `other`: one walk over both sorted lists.
    #[must_use]
    pub fn is_subset(&self, other: &Self) -> bool {
        let mut rest = other.0.iter();
        self.0.iter().all(|x| rest.by_ref().any(|y| y == x))
    }
}

/// The longest title compared by edit distance.
const MAX_FUZZY_CHARS: usize = 400;

/// The least [`similarity`] that counts as the same title.
pub const SAME_TITLE: f64 = 0.88;

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> TitleKey {
        TitleKey::new(s)
    }

    fn sim(a: &str, b: &str) -> f64 {
        similarity(&key(a), &key(b))
    }

    #[test]
    fn keys_fold_case_quotes_dashes_apostrophes_and_spaces() {
        assert_eq!(
            key("“The Dictator’s Guide — to\u{a0}Harbours,”").joined,
            "the dictators guide to harbours"
        );
        assert_eq!(key("A dictator's guide"), key("A DICTATOR‘S  guide"));
        assert_eq!(key("Őrség: Łódź").joined, "őrség łódź");
        assert!(key("Seeking Safer Shells…").shortened);
        assert!(!key("Harbour Cranes.").shortened);
        assert!(key(" “ ” ").is_empty());
        let report = key("Report 2022 on 1874 Acts 2022");
        assert_eq!(report.numbers.as_slice(), ["1874", "2022"]);
        assert!(key("Harbour Cranes").numbers.as_slice().is_empty());
        assert!(key("1874 Acts").numbers.is_subset(&report.numbers));
        assert!(!key("1875 Acts 2022").numbers.is_subset(&report.numbers));
        assert!(key("Acts").numbers.is_subset(&report.numbers));
    }

    #[test]
    fn keys_read_in_one_pass_match_keys_read_word_by_word() {
        // The words as first specified: the title lower-cased whole, then split.
        fn words(title: &str) -> Vec<String> {
            let t = title.trim().trim_end_matches(|c: char| {
                c.is_whitespace() || matches!(c, '"' | '”' | '’' | '\'' | ',' | ';' | ':')
            });
            t.chars()
                .filter(|c| !matches!(c, '\'' | '’' | '‘'))
                .flat_map(char::to_lowercase)
                .collect::<String>()
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_string)
                .collect()
        }
        // Generated titles besides the awkward ones: ASCII (read byte by byte) and not.
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let generated: Vec<String> = (0..3000)
            .map(|_| {
                crate::xorshift(&mut x);
                let pieces = [
                    "a", "Z", "9", "0", " ", "'", "''", "-", ":", ",", "’", "é", "Q7", "...",
                ];
                (0..(x % 12))
                    .map(|i| pieces[(x >> (4 * i)) as usize % pieces.len()])
                    .collect()
            })
            .collect();
        for title in [
            "“The Dictator’s Guide — to\u{a0}Harbours,”",
            "İstanbul 1923–2023: ΣΟΦΊΑ and Straße, 2nd ed.",
            "  Report 2022 on 1874 Acts 2022 ",
            "x1 1x 12 ½ ٣٤ Ⅻ",
            "“ ” ",
            "",
            "A-B_C/D\tE\nF",
            "'Tis the Dictator's Guide, the Cranes' HARBOUR ''x'' a'b' 2'0'2'2 ' 99",
        ]
        .into_iter()
        .chain(generated.iter().map(String::as_str))
        {
            let expected = words(title);
            let got = key(title);
            assert_eq!(got.joined, expected.join(" "), "{title:?}");
            assert_eq!(got.word_count(), expected.len(), "{title:?}");
            let mut numbers: Vec<&str> = expected
                .iter()
                .filter(|w| w.chars().all(|c| c.is_ascii_digit()))
                .map(String::as_str)
                .collect();
            numbers.sort_unstable();
            numbers.dedup();
            assert_eq!(got.numbers.as_slice(), numbers, "{title:?}");
        }
    }

    #[test]
    fn same_or_subtitled_needs_three_words_and_a_word_boundary() {
        let same = |a: &str, b: &str| key(a).same_or_subtitled(&key(b));
        assert!(same("Harbour Cranes", "harbour cranes."));
        assert!(same("Tides and Trade", "Tides and Trade: A Study"));
        assert!(!same("Harbour Cranes", "Harbour Cranes of the North"));
        assert!(!same("Tides and Trad", "Tides and Trade: A Study"));
        assert!(!same("", ""));
        assert!(!same("2022 Harbour Report", "2023 Harbour Report"));
    }

    #[test]
    fn either_starts_other_accepts_cut_words() {
        let agree = |a: &str, b: &str| key(a).either_starts_other(&key(b));
        assert!(agree(
            "The New Face of Sanctions Monitoring: Can the MSMT Pick Up?,",
            "The New Face of Sanctions Monitoring"
        ));
        assert!(agree("Seeking Saf", "Seeking Safer Shells"));
        assert!(!agree("2022 Report on Trade", "2023 Report on Trade"));
    }

    #[test]
    fn similarity_tolerates_quotes_ellipses_and_slips() {
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
        assert!(sim("", "") < SAME_TITLE);
    }
}
