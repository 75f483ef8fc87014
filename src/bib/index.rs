//! The entries of a post's bibliography indexed for matching, so that each source is compared
//! only with the entries that can match it: by URL key, by title, by document symbol, by first
//! author and year. Each index is built once per post, when a source first needs it.
//!
//! URLs are always looked up in a map. For titles, symbols and authors, a bibliography of fewer
//! than [`INDEX_MIN`] entries is scanned whole instead: building those indexes costs more than
//! comparing a source with a few dozen entries, and a scan of a bounded number of entries stays
//! linear in the number of sources.

use foldhash::{HashMap, HashMapExt};
use std::borrow::Cow;
use std::cell::OnceCell;

use crate::identity::{TitleKey, UrlKey, SAME_TITLE};

use super::WorkKeys;

/// The fewest entries that are indexed rather than scanned.
pub(super) const INDEX_MIN: usize = 64;

/// The longest title compared by edit distance (as [`crate::identity::title_similarity`]).
const MAX_FUZZY_CHARS: usize = 400;

/// The entries of a post, with the indexes matching reads built when first needed.
pub struct EntryIndex<'k, 'a> {
    /// The keys of the entries, in bibliography order.
    pub entries: &'k [WorkKeys<'a>],
    /// Whether the entries are indexed (else every look-up scans them all).
    indexed: bool,
    urls: OnceCell<HashMap<&'k UrlKey, Postings>>,
    titles: OnceCell<TitleIndex<'k>>,
    identifiers: OnceCell<HashMap<&'k str, Vec<usize>>>,
    authors: OnceCell<HashMap<(&'k str, u16), Vec<usize>>>,
}

impl<'k, 'a> EntryIndex<'k, 'a> {
    /// The index of `entries`: titles, symbols and authors indexed from 64 entries up.
    #[must_use]
    pub fn new(entries: &'k [WorkKeys<'a>]) -> Self {
        Self::with_min(entries, INDEX_MIN)
    }

    /// The index of `entries`, built when there are `min` entries or more.
    pub(super) fn with_min(entries: &'k [WorkKeys<'a>], min: usize) -> Self {
        Self {
            entries,
            indexed: entries.len() >= min,
            urls: OnceCell::new(),
            titles: OnceCell::new(),
            identifiers: OnceCell::new(),
            authors: OnceCell::new(),
        }
    }

    /// The entries that share a URL key with `work`, in order: those of the index itself
    /// when the work has one URL, as most have.
    pub fn sharing_url(&self, work: &WorkKeys) -> Cow<'_, [usize]> {
        if work.urls.is_empty() {
            return Cow::Borrowed(&[]);
        }
        // Indexed however few the entries: a look-up costs less than comparing a few URLs.
        let map = self.urls.get_or_init(|| {
            let mut map: HashMap<&UrlKey, Postings> = HashMap::with_capacity(self.entries.len());
            for (i, e) in self.entries.iter().enumerate() {
                for u in e.urls.iter() {
                    map.entry(u)
                        .and_modify(|p| p.push_once(i))
                        .or_insert(Postings::One(i));
                }
            }
            map
        });
        if let [u] = &work.urls[..] {
            return match map.get(u) {
                Some(Postings::One(i)) => Cow::Borrowed(std::slice::from_ref(i)),
                Some(Postings::Many(list)) => Cow::Borrowed(list),
                None => Cow::Borrowed(&[]),
            };
        }
        let mut found = Vec::new();
        for u in work.urls.iter() {
            match map.get(u) {
                Some(Postings::One(i)) => found.push(*i),
                Some(Postings::Many(list)) => found.extend_from_slice(list),
                None => {}
            }
        }
        if work.urls.len() > 1 {
            found.sort_unstable();
            found.dedup();
        }
        Cow::Owned(found)
    }

    /// The entries whose titles may reach [`SAME_TITLE`](crate::identity::SAME_TITLE) with
    /// `work`'s, in order: every entry that does is among them.
    pub fn title_candidates(&self, work: &WorkKeys) -> TitleCandidates {
        if !self.indexed {
            return TitleCandidates::Some((0..self.entries.len()).collect());
        }
        self.titles
            .get_or_init(|| TitleIndex::new(self.entries))
            .candidates(&work.title)
    }

    /// The one entry giving a document symbol `work` gives, if exactly one does.
    pub fn one_by_identifier(&self, work: &WorkKeys) -> Option<usize> {
        let ids = work.identifiers();
        if ids.is_empty() {
            return None;
        }
        if !self.indexed {
            let found: Vec<usize> = (0..self.entries.len())
                .filter(|&i| !ids.is_disjoint(self.entries[i].identifiers()))
                .collect();
            return match found[..] {
                [i] => Some(i),
                _ => None,
            };
        }
        let map = self.identifiers.get_or_init(|| {
            let mut map: HashMap<&str, Vec<usize>> = HashMap::new();
            for (i, e) in self.entries.iter().enumerate() {
                for id in e.identifiers() {
                    push_once(map.entry(id.as_str()).or_default(), i);
                }
            }
            map
        });
        // Two entries are as many as matter: one entry or none is the answer.
        let mut one = None;
        for id in ids {
            match map.get(id.as_str()).map(Vec::as_slice) {
                None | Some([]) => {}
                Some([i]) if one.is_none_or(|j| j == *i) => one = Some(*i),
                Some(_) => return None,
            }
        }
        one
    }

    /// The entries whose first author is `author` and whose year is `year`, in order.
    pub fn by_author_year(&self, author: &str, year: u16) -> Vec<usize> {
        if !self.indexed {
            return (0..self.entries.len())
                .filter(|&i| {
                    let e = &self.entries[i];
                    e.author().map(String::as_str) == Some(author) && e.year() == Some(year)
                })
                .collect();
        }
        let map = self.authors.get_or_init(|| {
            let mut map: HashMap<(&str, u16), Vec<usize>> = HashMap::new();
            for (i, e) in self.entries.iter().enumerate() {
                if let (Some(a), Some(y)) = (e.author(), e.year()) {
                    map.entry((a.as_str(), y)).or_default().push(i);
                }
            }
            map
        });
        map.get(&(author, year)).cloned().unwrap_or_default()
    }
}

/// The entries a title look-up yields.
pub enum TitleCandidates {
    /// The first entry with the very same title: no other can score higher, nor as high
    /// before it.
    Same(usize),
    /// The entries that may reach the threshold, in order.
    Some(Vec<usize>),
}

/// The entries of one URL key, in order: most keys have one.
enum Postings {
    One(usize),
    Many(Vec<usize>),
}

impl Postings {
    /// Adds entry `i`, which comes after those held, unless it is the last already.
    fn push_once(&mut self, i: usize) {
        match self {
            Self::One(j) if *j == i => {}
            Self::One(j) => *self = Self::Many(vec![*j, i]),
            Self::Many(list) => push_once(list, i),
        }
    }
}

/// Adds `i` to a list of entries in order, unless it ends it already.
fn push_once(list: &mut Vec<usize>, i: usize) {
    if list.last() != Some(&i) {
        list.push(i);
    }
}

/// The titles of the entries, indexed by the three ways [`similarity`] can reach
/// [`SAME_TITLE`]: the same words; one title starting the other (a subtitle left out, an
/// ellipsis); a few edits apart.
///
/// [`similarity`]: crate::identity::title_similarity
struct TitleIndex<'k> {
    /// The first entry with each title.
    same: HashMap<&'k str, usize>,
    /// The titles, sorted, with their entries: those a title starts are one run.
    sorted: Vec<(&'k str, usize)>,
    /// The entries of two words or more by the length and hash of their title: those that
    /// start a title are found among the title's prefixes.
    by_prefix_hash: HashMap<(usize, u64), Vec<usize>>,
    /// The entries by the pieces their title is cut into (see [`TitleIndex::pieces`]): the
    /// title's length in characters, which piece, the piece.
    by_piece: HashMap<(usize, usize, &'k str), Vec<usize>>,
    /// By length in characters, up to [`MAX_FUZZY_CHARS`]: whether a title has it, and how
    /// many pieces a title so long is cut into.
    lengths: Vec<(bool, usize)>,
    /// By entry, the characters of its title sorted, when it has pieces.
    letters: HashMap<usize, Vec<char>>,
}

impl<'k> TitleIndex<'k> {
    fn new(entries: &'k [WorkKeys<'_>]) -> Self {
        let mut index = Self {
            same: HashMap::new(),
            sorted: Vec::new(),
            by_prefix_hash: HashMap::new(),
            by_piece: HashMap::new(),
            letters: HashMap::new(),
            lengths: (0..=MAX_FUZZY_CHARS)
                .map(|chars| (false, (most_edits_with(chars) + 1).min(chars.max(1))))
                .collect(),
        };
        for (i, e) in entries.iter().enumerate() {
            let title: &TitleKey = &e.title;
            if title.is_empty() {
                continue;
            }
            let joined = title.joined.as_str();
            index.same.entry(joined).or_insert(i);
            index.sorted.push((joined, i));
            if title.word_count() >= 2 {
                let key = (
                    joined.len(),
                    prefix_hashes(joined).last().map_or(0, |h| h.1),
                );
                index.by_prefix_hash.entry(key).or_default().push(i);
            }
            let starts = char_starts(joined);
            let chars = starts.len() - 1;
            if chars > MAX_FUZZY_CHARS {
                continue;
            }
            index.lengths[chars].0 = true;
            for (k, range) in index.pieces(chars).enumerate() {
                let piece = &joined[starts[range.start]..starts[range.end]];
                push_once(index.by_piece.entry((chars, k, piece)).or_default(), i);
            }
            index.letters.insert(i, sorted_chars(joined));
        }
        index.sorted.sort_unstable();
        index
    }

    /// The character ranges a title of `chars` characters (at most [`MAX_FUZZY_CHARS`]) is
    /// cut into: one more than the most edits that keep it within reach of another title, so
    /// that any title so near holds one of them whole (an edit touches one piece at most),
    /// moved by no more characters than the edits.
    fn pieces(&self, chars: usize) -> impl Iterator<Item = std::ops::Range<usize>> {
        let count = self.lengths[chars].1;
        let (short, long) = (chars / count, count - chars % count);
        (0..count).map(move |k| {
            // The first `long` pieces are `short` long, the rest one longer.
            let start = k * short + k.saturating_sub(long);
            let len = short + usize::from(k >= long);
            start..start + len
        })
    }

    fn candidates(&self, title: &TitleKey) -> TitleCandidates {
        if title.is_empty() {
            return TitleCandidates::Some(Vec::new());
        }
        let joined = title.joined.as_str();
        if let Some(&i) = self.same.get(joined) {
            return TitleCandidates::Same(i);
        }
        let mut found = Vec::new();
        // The entries this title starts (it is the one with fewer words, and has two).
        if title.word_count() >= 2 {
            let from = self.sorted.partition_point(|&(t, _)| t < joined);
            found.extend(
                self.sorted[from..]
                    .iter()
                    .take_while(|(t, _)| t.starts_with(joined))
                    .map(|&(_, i)| i),
            );
        }
        // The entries of two words or more that start this title.
        for key in prefix_hashes(joined) {
            if let Some(list) = self.by_prefix_hash.get(&key) {
                found.extend_from_slice(list);
            }
        }
        // The entries a few edits away, of a length within a fifth (as `similarity` asks):
        // one of their pieces stands in this title a few characters from its place.
        let starts = char_starts(joined);
        let chars = starts.len() - 1;
        let mut near = Vec::new();
        if chars <= MAX_FUZZY_CHARS {
            let most = (chars * 5).div_ceil(4).min(MAX_FUZZY_CHARS);
            for other in (chars * 4).div_ceil(5)..=most {
                let edits = max_edits(chars.max(other));
                if !self.lengths[other].0 || chars.abs_diff(other) > edits {
                    continue;
                }
                // The length this title gains on the other's (`grown`) is the sum of what the
                // edits before the whole piece move it by and of what those after add: both
                // together within the edits.
                let grown = chars as isize - other as isize;
                let edits_i = edits as isize;
                for (k, range) in self.pieces(other).enumerate() {
                    let len = range.len();
                    for at in range.start.saturating_sub(edits)..=range.start + edits {
                        let moved = at as isize - range.start as isize;
                        if moved.abs() + (grown - moved).abs() > edits_i {
                            continue;
                        }
                        let Some(&end) = starts.get(at + len) else {
                            break;
                        };
                        let piece = &joined[starts[at]..end];
                        if let Some(list) = self.by_piece.get(&(other, k, piece)) {
                            near.extend_from_slice(list);
                        }
                    }
                }
            }
        }
        if !near.is_empty() {
            // Edits are at least the characters one title has and the other lacks: the
            // entries too far apart by that count are set aside before edits are counted.
            near.sort_unstable();
            near.dedup();
            let letters = sorted_chars(joined);
            found.extend(near.into_iter().filter(|i| {
                self.letters.get(i).is_none_or(|other| {
                    let longest = letters.len().max(other.len());
                    longest - common_count(&letters, other) <= max_edits(longest)
                })
            }));
        }
        found.sort_unstable();
        found.dedup();
        TitleCandidates::Some(found)
    }
}

/// The most edits that leave two titles, the longer `longest` characters long, at
/// [`SAME_TITLE`]: the similarity is one less the edits over that length.
fn max_edits(longest: usize) -> usize {
    // 0.12 of the length, give or take one: the comparison `similarity` makes settles it.
    let passes = |edits: usize| 1.0 - edits as f64 / longest as f64 >= SAME_TITLE;
    let guess = longest * 3 / 25;
    if passes(guess + 1) {
        guess + 1
    } else if guess == 0 || passes(guess) {
        guess
    } else {
        guess - 1
    }
}

/// The most edits between a title of `chars` characters and any title within reach of it:
/// a longer one is within reach only if the edits make up the difference in length.
fn most_edits_with(chars: usize) -> usize {
    (chars..=MAX_FUZZY_CHARS.max(chars))
        .take_while(|&longer| longer - chars <= max_edits(longer) + 1)
        .map(max_edits)
        .max()
        .unwrap_or(0)
}

/// The characters of `text`, sorted.
fn sorted_chars(text: &str) -> Vec<char> {
    let mut chars: Vec<char> = text.chars().collect();
    chars.sort_unstable();
    chars
}

/// How many characters two sorted lists have in common, each counted as often as both hold it.
fn common_count(a: &[char], b: &[char]) -> usize {
    let (mut i, mut j, mut common) = (0, 0, 0);
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        match x.cmp(y) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    common
}

/// Where each character of `text` starts, and its length last.
fn char_starts(text: &str) -> Vec<usize> {
    text.char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .collect()
}

/// The length and hash of each prefix of `joined` that ends a character, shortest first
/// (a polynomial hash: two titles with one hash are compared in full by the caller).
fn prefix_hashes(joined: &str) -> impl Iterator<Item = (usize, u64)> + '_ {
    let bytes = joined.as_bytes();
    let mut h: u64 = 0;
    bytes.iter().enumerate().filter_map(move |(k, &b)| {
        h = h
            .wrapping_mul(0x0100_0000_01b3)
            .wrapping_add(u64::from(b) + 1);
        let ends_char = bytes.get(k + 1).is_none_or(|&n| (n as i8) >= -0x40);
        ends_char.then_some((k + 1, h))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_edits_is_the_most_similarity_allows() {
        for longest in 1..=MAX_FUZZY_CHARS {
            let passes = |edits: usize| 1.0 - edits as f64 / longest as f64 >= SAME_TITLE;
            let most = max_edits(longest);
            assert!(passes(most) && !passes(most + 1), "{longest}");
        }
    }

    #[test]
    fn titles_are_cut_into_one_piece_more_than_the_edits() {
        for chars in 1..=MAX_FUZZY_CHARS {
            // Never fewer pieces than edits plus one: no piece is empty.
            assert!(most_edits_with(chars) < chars, "{chars}");
        }
    }
}
