//! Resolving a post's citations to the works they cite: a full citation makes a source (or
//! repeats one), a short form finds the full citation it abbreviates, an Ibid. takes the source
//! of the previous note, or of the citation before it in the same note.

use foldhash::{HashMap, HashMapExt};
use std::hash::BuildHasher;

use super::authors::surname;
use super::dates::{publication_year, publication_year_of_plain, publication_year_read};
use std::ops::Range;

use super::fields::{
    for_each_ascii_word_range, for_each_match_word_where, mask_urls, parse_citation_read, FoundUrls,
};
use super::legal::legal_reporter;
use super::opcit::back_reference;
use super::split::split_read;
use crate::identity::{UrlKey, WorkKey};
use crate::model::{Citation, CitationKind, MappedText, Post, Resolution, Source, UrlOwner};

/// The share of a short form's words an earlier citation must hold for the short form to
/// abbreviate it, as a fraction `NUM / DEN`.
const MATCH_NUM: usize = 4;
const MATCH_DEN: usize = 5;

/// The citations in a note's text, not yet resolved.
#[must_use]
pub fn parse_note(text: &MappedText) -> Vec<Citation> {
    let mut citations = Vec::new();
    parse_note_into(text, None, &mut citations, &mut Vec::new(), &mut Vec::new());
    citations
}

/// Appends the citations of a note's text to `citations`, and to `plains` (in step) each
/// one's text with its URLs blanked out when reading it gave that, and to `years` (in step)
/// the year read in that text and whether it lies in the quoted title (see
/// [`super::fields::Plain::year`]). `urls`, when known, are
/// the URLs of the note's text as [`crate::parse::urls::extract`] reads them (the text
/// range and the URL of each, in order).
fn parse_note_into(
    text: &MappedText,
    urls: Option<&[(Range<usize>, &str)]>,
    citations: &mut Vec<Citation>,
    plains: &mut Vec<Option<String>>,
    years: &mut Vec<(Option<u16>, bool)>,
) {
    let end = text.text.trim_end().len();
    split_read(&text.text, |piece, ibid| {
        let Some(body) = text.text.get(piece.body.clone()) else {
            return;
        };
        let lead = body.len() - body.trim_start().len();
        let body_text = body.trim();
        let start = piece.body.start + lead;
        let known = urls
            .filter(|_| start + body_text.len() == end)
            .and_then(|u| urls_of_last_piece(&text.text, u, start));
        // What splitting read of the body, unknown when its range is not of the text.
        let ibid = ibid.and_then(|rest| match rest {
            Some(r) => text.text.get(r).map(Some),
            None => Some(None),
        });
        let Some((kind, fields, plain)) = parse_citation_read(body, known, ibid) else {
            return;
        };
        citations.push(Citation {
            kind,
            span: text.span(start, start + body_text.len()),
            text: body_text.to_string(),
            signal: piece
                .signal
                .and_then(|r| text.text.get(r))
                .map(str::to_string),
            fields,
            resolution: Resolution::First,
            source: None,
        });
        let (plain, year) = plain.map_or((None, (None, false)), |p| (Some(p.text), p.year));
        plains.push(plain);
        years.push(year);
    });
}

/// The URLs of the citation at `start..` of a note's `text` (which it ends, but for white
/// space), from those of the whole text (`urls`), when that gives what finding them in the
/// citation alone gives: the citation starts after white space, and no URL runs across its
/// start. Then the search over the whole text reaches `start` as a search
/// from the citation's start would begin (what a URL's start looks back at is white space
/// there, or nothing, alike), and goes on over the same bytes to the same end. `None`
/// otherwise: the citation's URLs are found in its text alone.
fn urls_of_last_piece(
    text: &str,
    urls: &[(Range<usize>, &str)],
    start: usize,
) -> Option<FoundUrls> {
    let after_space = start == 0 || text[..start].ends_with(char::is_whitespace);
    if !after_space || urls.iter().any(|(r, _)| r.start < start && start < r.end) {
        return None;
    }
    Some(
        urls.iter()
            .filter(|(r, _)| r.start >= start)
            .map(|(r, u)| (r.start - start..r.end - start, (*u).to_string()))
            .collect(),
    )
}

/// Parses every note of `post` into citations and resolves them, filling
/// [`Note::citations`](crate::model::Note::citations) and [`Post::sources`]. The URLs of the
/// notes are taken from [`Post::urls`], which must be filled first (as the analysis does).
pub fn resolve_post(post: &mut Post) {
    let mut resolver = Resolver {
        years: !post.bibliography.is_empty(),
        ..Resolver::default()
    };
    let mut previous: Option<Vec<usize>> = None;
    let mut cited: Vec<usize> = Vec::new();
    // The URLs each note's text holds, by note and in text order. Links put URLs read from
    // markup in the place of those of the text: with links, each citation's are found anew.
    let read_urls = post.links.is_empty();
    let mut note_urls: Vec<(usize, Range<usize>, &str)> = Vec::new();
    if read_urls {
        note_urls.extend(post.urls.iter().filter_map(|u| match u.owner {
            UrlOwner::Note(n) => Some((n, u.text_range.clone(), u.url.as_str())),
            _ => None,
        }));
        note_urls.sort_by_key(|(n, r, _)| (*n, r.start));
    }
    let mut next_url = 0;
    let mut urls: Vec<(Range<usize>, &str)> = Vec::new();
    // Every note is read before any is resolved, so that the words a short form may look up
    // are known before the sources are indexed: only those words are (see `Resolver::words`).
    // The citations of all the notes go into one vector (each note's ending at its entry of
    // `ends`), handed out to the notes at the end: one allocation for each note's, not a
    // vector grown from nothing for each note.
    // About one citation a note.
    let mut citations: Vec<Citation> = Vec::with_capacity(post.notes.len());
    let mut plains: Vec<Option<String>> = Vec::with_capacity(post.notes.len());
    let mut plain_years: Vec<(Option<u16>, bool)> = Vec::with_capacity(post.notes.len());
    let mut ends: Vec<usize> = Vec::with_capacity(post.notes.len());
    for (ni, note) in post.notes.iter().enumerate() {
        urls.clear();
        while let Some((n, r, u)) = note_urls.get(next_url) {
            if *n > ni {
                break;
            }
            if *n == ni {
                urls.push((r.clone(), u));
            }
            next_url += 1;
        }
        let known = read_urls.then_some(urls.as_slice());
        parse_note_into(
            &note.text,
            known,
            &mut citations,
            &mut plains,
            &mut plain_years,
        );
        ends.push(citations.len());
    }
    // Sized for every citation at once: growing a map hashes its keys again.
    resolver.reserve(citations.len());
    let shorts = citations
        .iter()
        .filter(|c| c.kind == CitationKind::Short)
        .count();
    // A few match words for each short form.
    resolver.words.reserve(shorts * 4);
    // The match words of each short form, by their numbers in `Resolver::words`: read once,
    // here, and then counted and indexed without reading or hashing them again. Those of
    // citation `i` are `word_ids[word_ends[i - 1]..word_ends[i]]`.
    let mut word_ids: Vec<usize> = Vec::with_capacity(shorts * 4);
    let mut word_ends: Vec<usize> = Vec::with_capacity(citations.len());
    for (c, plain) in citations.iter().zip(&plains) {
        if c.kind == CitationKind::Short {
            let (words, holders, seen) = (
                &mut resolver.words,
                &mut resolver.holders,
                &mut resolver.seen,
            );
            match_words_of(
                &c.text,
                plain.as_deref(),
                |_| true,
                |w| {
                    let id = match words.get(w.as_bytes()) {
                        Some(&id) => id,
                        None => {
                            seen.insert(w);
                            words.insert(w.as_bytes().into(), holders.heads.len());
                            holders.heads.push(None);
                            holders.heads.len() - 1
                        }
                    };
                    word_ids.push(id);
                },
            );
        }
        word_ends.push(word_ids.len());
    }
    // Where the last short form stands: a source added there or after it is looked up by no
    // short form, and its words are not indexed.
    let last_short = citations
        .iter()
        .rposition(|c| c.kind == CitationKind::Short);
    // By source: the citation that added it.
    let mut origins: Vec<usize> = Vec::with_capacity(citations.len());
    let mut start = 0;
    for (ni, &end) in ends.iter().enumerate() {
        cited.clear();
        for ci in start..end {
            let added = resolver.sources.len();
            resolver.index_words = last_short.is_some_and(|last| ci < last);
            let plain = plains[ci].as_deref();
            resolver.plain_year = plain_years[ci];
            let words = &word_ids[if ci == 0 { 0 } else { word_ends[ci - 1] }..word_ends[ci]];
            let (resolution, source) = match citations[ci].kind {
                CitationKind::Full => resolver.full(&citations[ci], plain, ni),
                CitationKind::Short => resolver.short(&citations[ci], plain, words, ni),
                CitationKind::Ibid if ci > start => {
                    (Resolution::SameNote, citations[ci - 1].source)
                }
                CitationKind::Ibid => match &previous {
                    // Of several sources the last is the nearest reading; the rules flag it.
                    Some(p) if !p.is_empty() => (
                        Resolution::PreviousNote {
                            note: ni - 1,
                            sources: p.len(),
                        },
                        p.last().copied(),
                    ),
                    _ => (Resolution::NoAntecedent, None),
                },
            };
            citations[ci].resolution = resolution;
            citations[ci].source = source;
            if resolver.sources.len() > added {
                origins.push(ci);
            }
            // The authority an Id. source cites (`Id., citing …`) is not what the next Id.
            // refers to, as an explanatory parenthetical is not.
            let explanatory = super::is_explanatory(&citations[ci]);
            if let Some(s) = source.filter(|s| !explanatory && !cited.contains(s)) {
                cited.push(s);
            }
        }
        start = end;
        match previous.as_mut() {
            Some(p) => std::mem::swap(p, &mut cited),
            None => previous = Some(std::mem::take(&mut cited)),
        }
    }
    // Each note's citations, moved into a vector of their number.
    let mut all = citations.into_iter();
    let mut start = 0;
    for (note, &end) in post.notes.iter_mut().zip(&ends) {
        note.citations = all.by_ref().take(end - start).collect();
        start = end;
    }
    if resolver.years {
        // The matcher compares these keys again: they are handed over, not read anew.
        // And the URL-blanked texts, which an entry repeating a citation has.
        for ((s, k), &ci) in resolver.sources.iter_mut().zip(resolver.keys).zip(&origins) {
            s.key = Some(k);
            s.plain = plains.get_mut(ci).and_then(Option::take);
        }
    }
    post.sources = resolver.sources;
}

/// Whether two author lists may name the same authors: either is empty, or the words of one's
/// first author (initials left out) are among the other's (`Ana Moe`, `Moe, Ana`, `A. Moe`).
/// Two hearings whose titles read alike are told apart by their differing names.
fn same_authors(a: &[String], b: &[String]) -> bool {
    let (Some(x), Some(y)) = (a.first(), b.first()) else {
        return true;
    };
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().nth(1).is_some())
            .map(str::to_lowercase)
            .collect()
    };
    let (x, y) = (words(x), words(y));
    x.iter().all(|w| y.contains(w)) || y.iter().all(|w| x.contains(w))
}

/// Whether two publication years may be one edition's: equal, or either unknown. The 2024
/// edition of an annual report is another work than the 2023 one, though titled alike.
fn same_year(a: Option<u16>, b: Option<u16>) -> bool {
    a.zip(b).is_none_or(|(a, b)| a == b)
}

#[derive(Default)]
struct Resolver {
    sources: Vec<Source>,
    /// Whether to read each source's [`Source::year`] (the post has a bibliography).
    years: bool,
    /// The year read in the URL-blanked text of the citation being resolved and whether it
    /// lies in the quoted title: [`Source::year`] is told from it when that is sure to give
    /// the year, not read again.
    plain_year: (Option<u16>, bool),
    /// Each match word of the post's short forms → its number, its place in `holders`. Only
    /// the words a short form may look up are keys (put in before any source is added):
    /// hashing and storing every word of every source was a large share of resolving.
    words: HashMap<Box<[u8]>, usize>,
    /// By word number: the sources that hold the word, each once.
    holders: Holders,
    /// Whether a short form follows the citation being resolved: only then are the words of
    /// a source it adds indexed.
    index_words: bool,
    /// Which words may be keys of `words`: most words of a source are not, and are passed
    /// over without lower-casing or hashing them.
    seen: WordFilter,
    /// Scratch for [`Resolver::short`]: how many of a short form's words each source holds
    /// (in step with `sources`, all zero between calls), and the sources counted.
    hits: Vec<usize>,
    touched: Vec<usize>,
    /// What identifies each source's work, in step with `sources`.
    keys: Vec<WorkKey>,
    /// The full sources by what [`WorkKey::same_work`] compares.
    index: FullIndex,
    /// Room for the [`TitleHashes::cuts`] of the title being resolved, kept between titles.
    cuts: Vec<u64>,
    /// Scratch for [`Resolver::add`]: the numbers of the words of a source's text, in order.
    found: Vec<usize>,
    /// Full legal citations by volume, reporter and first page: the first source of each.
    reporters: HashMap<(u32, String, u32), usize>,
    /// Legal citations, full or short, by volume and reporter: the latest source of each.
    volumes: HashMap<(u32, String), usize>,
    /// Full sources by their authors' surnames, lower case: the latest source of each. Built
    /// when the post's first op. cit. or supra needs it, then kept up to date.
    surnames: Option<HashMap<String, usize>>,
}

/// By word number, the sources that hold the word, each once: a list for each word, all kept
/// in one vector (each entry links to the one before it), so that no word needs a vector of
/// its own.
#[derive(Default)]
struct Holders {
    /// By word number: the entry of the last source added that holds it.
    heads: Vec<Option<usize>>,
    /// A source and the entry of the source added before it that holds the same word.
    entries: Vec<(usize, Option<usize>)>,
}

impl Holders {
    /// Records that source `source` holds word `id`: once, however often it is told (the
    /// sources are told in the order they are added).
    fn hold(&mut self, id: usize, source: usize) {
        let Some(head) = self.heads.get_mut(id) else {
            return;
        };
        if head.is_some_and(|e| self.entries.get(e).is_some_and(|&(s, _)| s == source)) {
            return;
        }
        self.entries.push((source, *head));
        *head = Some(self.entries.len() - 1);
    }

    /// The sources that hold word `id`, latest first.
    fn of(&self, id: usize) -> impl Iterator<Item = usize> + '_ {
        let mut next = self.heads.get(id).copied().flatten();
        std::iter::from_fn(move || {
            let (source, before) = *self.entries.get(next?)?;
            next = before;
            Some(source)
        })
    }
}

/// A set of words that may answer wrongly that it holds a word, never that it does not: a
/// bit for each of a few thousand classes of words, told apart by their length and their
/// first two and last bytes (ASCII letters in lower case, so that a word is asked for before
/// it is lower-cased), read in constant time. The words of the set are few (those of a
/// post's short forms), so most other words fall in a class without one and are dismissed
/// before hashing them with the (slower, collision-resistant) hasher of the word map. Words
/// made to share classes only bring back the cost of hashing each of them: still linear.
struct WordFilter {
    bits: Vec<u64>,
}

impl Default for WordFilter {
    fn default() -> Self {
        Self {
            bits: vec![0; WordFilter::WORDS],
        }
    }
}

// The classes are the table's bits.
const _: () = assert!(WordFilter::WORDS * 64 == 1 << WordFilter::BITS);

impl WordFilter {
    /// 64-bit words of the table: 2^14 classes.
    const WORDS: usize = 256;
    /// How many bits tell the classes apart: `WORDS * 64` is `1 << BITS`.
    const BITS: u32 = 14;

    /// The class of a word (its bytes): its first two bytes, its last and its length (the low
    /// eight bits) as one number, mixed by one multiplication whose top bits pick the class.
    fn class(b: &[u8]) -> usize {
        // Setting the 0x20 bit lower-cases an ASCII letter, and sends the other bytes to
        // classes alike whatever their case: cheaper than `to_ascii_lowercase`.
        let (first, second, last) = (
            b.first().copied().unwrap_or(0) | 0x20,
            b.get(1).copied().unwrap_or(0) | 0x20,
            b.last().copied().unwrap_or(0) | 0x20,
        );
        let x = u32::from_le_bytes([first, second, last, b.len() as u8]);
        (x.wrapping_mul(0x9e37_79b1) >> (32 - Self::BITS)) as usize
    }

    fn insert(&mut self, w: &str) {
        let c = Self::class(w.as_bytes());
        self.bits[c / 64] |= 1 << (c % 64);
    }

    fn may_hold(&self, w: &str) -> bool {
        self.may_hold_bytes(w.as_bytes())
    }

    /// [`WordFilter::may_hold`] of a word's bytes.
    fn may_hold_bytes(&self, w: &[u8]) -> bool {
        let c = Self::class(w);
        self.bits[c / 64] & (1 << (c % 64)) != 0
    }
}

/// The full sources of a post indexed by the keys that [`WorkKey::same_work`] compares, so
/// that finding the first earlier source of a full citation takes a few look-ups instead of
/// a comparison with every earlier source (quadratic on a post of many distinct works).
///
/// `same_work` holds between two titles when they are equal, or when the shorter (of three
/// words or more) is the longer cut at a word boundary; between a citation without a title
/// and any other when they share a URL. Titles are hashed at each word boundary in one pass,
/// so indexing or looking up a title of `n` bytes takes O(n). Each map keeps the smallest
/// source index (the first such source); a hash collision is caught by checking the
/// candidate with `same_work`, and then the sources are scanned as before.
#[derive(Default)]
struct FullIndex {
    /// Hash of a whole title → first source with that title.
    titles: HashMap<u64, usize>,
    /// Hash of a cut of a title at a word boundary after its third word or later → first
    /// source whose title starts so.
    cuts: HashMap<u64, usize>,
    /// Hash of a URL's key → first source with that URL.
    urls: HashMap<u64, usize>,
    /// Hash of a URL's key → first source without a title with that URL.
    untitled_urls: HashMap<u64, usize>,
    /// How URL keys are hashed (randomly seeded, as the maps are): the keys are not kept,
    /// only their hashes, so that indexing a source copies no key.
    url_hasher: foldhash::fast::RandomState,
}

/// What [`FullIndex`] hashes of a title, read once for each full citation (looked up, then
/// indexed when it is a new source).
struct TitleHashes {
    /// The hashes of the title's cuts after its third word and later (before each space
    /// that follows at least three words).
    cuts: Vec<u64>,
    /// The hash of the whole title.
    whole: u64,
    /// Whether the title has three words or more.
    three_words: bool,
}

/// The [`TitleHashes`] of a title (its words joined by single spaces). FNV-1a, computed in
/// one pass. The hashes of the cuts go into `cuts` (emptied first), a vector kept from one
/// title to the next.
fn title_hashes(title: &str, mut cuts: Vec<u64>) -> TitleHashes {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    cuts.clear();
    let mut words = 1;
    for &b in title.as_bytes() {
        if b == b' ' {
            if words >= 3 {
                cuts.push(h);
            }
            words += 1;
        }
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    TitleHashes {
        cuts,
        whole: h,
        three_words: words >= 3,
    }
}

impl FullIndex {
    /// Indexes source `i` by `key`; `hashes` are those of its title, when not empty.
    fn insert(&mut self, key: &WorkKey, hashes: Option<&TitleHashes>, i: usize) {
        let untitled = key.title().is_none();
        for u in key.urls() {
            let h = self.url_hash(u);
            self.urls.entry(h).or_insert(i);
            if untitled {
                self.untitled_urls.entry(h).or_insert(i);
            }
        }
        match (key.title(), hashes) {
            (None, _) => {}
            (Some(_), Some(h)) => {
                self.titles.entry(h.whole).or_insert(i);
                if h.three_words {
                    for &c in &h.cuts {
                        self.cuts.entry(c).or_insert(i);
                    }
                }
            }
            (Some(_), None) => {}
        }
    }

    /// The first indexed source that may be the same work as `key` (whose title, when not
    /// empty, has the `hashes`).
    fn first_candidate(&self, key: &WorkKey, hashes: Option<&TitleHashes>) -> Option<usize> {
        let mut best: Option<usize> = None;
        let mut take = |i: Option<&usize>| {
            if let Some(&i) = i {
                best = Some(best.map_or(i, |b| b.min(i)));
            }
        };
        match key.title() {
            None => {
                for u in key.urls() {
                    take(self.urls.get(&self.url_hash(u)));
                }
            }
            Some(_) => {
                for u in key.urls() {
                    take(self.untitled_urls.get(&self.url_hash(u)));
                }
                if let Some(h) = hashes {
                    // An earlier title equal to this one, or equal to a cut of it.
                    take(self.titles.get(&h.whole));
                    for c in &h.cuts {
                        take(self.titles.get(c));
                    }
                    // An earlier, longer title that this one is a cut of.
                    if h.three_words {
                        take(self.cuts.get(&h.whole));
                    }
                }
            }
        }
        best
    }

    /// The hash a URL's key is indexed by. Two keys may share one: a candidate found by it is
    /// checked as any other (see [`FullIndex`]).
    fn url_hash(&self, u: &UrlKey) -> u64 {
        self.url_hasher.hash_one(u.as_str())
    }
}

impl Resolver {
    /// Room for `n` sources (a post's citations, of which each adds one source at most).
    fn reserve(&mut self, n: usize) {
        self.sources.reserve(n);
        self.keys.reserve(n);
        self.hits.reserve(n);
        self.index.titles.reserve(n);
        self.index.cuts.reserve(n);
        self.index.urls.reserve(n);
    }

    /// Adds a source: a full citation (its title's `hashes` given when not empty), or an
    /// unmatched short form with its match words `short` (numbers in `words`); `plain` is the
    /// citation's URL-blanked text when known.
    fn add(
        &mut self,
        citation: &Citation,
        plain: Option<&str>,
        short: Option<&[usize]>,
        (key, hashes): (WorkKey, Option<&TitleHashes>),
        note: usize,
    ) -> usize {
        let full = short.is_none();
        if full {
            self.index.insert(&key, hashes, self.sources.len());
            if let Some(surnames) = self.surnames.as_mut() {
                for a in &citation.fields.authors {
                    surnames.insert(surname(a).to_lowercase(), self.sources.len());
                }
            }
        }
        self.keys.push(key);
        self.sources.push(Source {
            note,
            fields: citation.fields.clone(),
            text: citation.text.clone(),
            full,
            entry: None,
            // The URL-blanked text, when known, spares finding the URLs again.
            year: if self.years {
                plain.map_or_else(
                    || publication_year(&citation.text),
                    |p| {
                        publication_year_read(p, self.plain_year)
                            .unwrap_or_else(|| publication_year_of_plain(p))
                    },
                )
            } else {
                None
            },
            key: None,
            plain: None,
        });
        let i = self.sources.len() - 1;
        self.hits.push(0);
        let (words, holders, seen) = (&self.words, &mut self.holders, &self.seen);
        let mut hold = |id: usize| holders.hold(id, i);
        match short {
            // A short form's words are all keys: they are known already.
            Some(ids) if self.index_words => ids.iter().for_each(|&id| hold(id)),
            Some(_) => {}
            None if self.index_words && !words.is_empty() => {
                let masked;
                let plain = match plain {
                    Some(p) => p,
                    None => {
                        masked = mask_urls(&citation.text);
                        &masked
                    }
                };
                let found = &mut self.found;
                key_word_ids(words, seen, plain, found);
                found.iter().for_each(|&id| hold(id));
            }
            None => {}
        }
        i
    }

    fn full(
        &mut self,
        citation: &Citation,
        plain: Option<&str>,
        note: usize,
    ) -> (Resolution, Option<usize>) {
        let key = WorkKey::of(&citation.fields);
        let cuts = std::mem::take(&mut self.cuts);
        let hashes = match key.title().filter(|t| !t.is_empty()) {
            Some(t) => Some(title_hashes(t, cuts)),
            None => {
                self.cuts = cuts;
                None
            }
        };
        let found = self.full_keyed(citation, plain, note, key, hashes.as_ref());
        if let Some(h) = hashes {
            self.cuts = h.cuts;
        }
        found
    }

    /// [`Resolver::full`], given the citation's `key` and its title's `hashes`.
    fn full_keyed(
        &mut self,
        citation: &Citation,
        plain: Option<&str>,
        note: usize,
        key: WorkKey,
        hashes: Option<&TitleHashes>,
    ) -> (Resolution, Option<usize>) {
        // A legal citation's work is its reporter citation: `Harper & Row v. Nation` and
        // `Harper & Row, Publishers, Inc. v. Nation Enters.` at 471 U.S. 539 are one case,
        // two articles in one journal volume are two works.
        let reporter = legal_reporter(&citation.text);
        let earlier = match reporter.as_ref().and_then(|r| r.work()) {
            Some((v, r, p)) => self.reporters.get(&(v, r.to_string(), p)).copied(),
            None => self.earlier_full(&key, hashes).filter(|&i| {
                let earlier = &self.sources[i].fields;
                same_authors(&earlier.authors, &citation.fields.authors)
                    && same_year(earlier.year, citation.fields.year)
            }),
        };
        match earlier {
            Some(i) if self.sources[i].note != note => (Resolution::Repeat, Some(i)),
            Some(i) => (Resolution::First, Some(i)),
            None => {
                let i = self.add(citation, plain, None, (key, hashes), note);
                if let Some(r) = &reporter {
                    if let Some((v, rep, p)) = r.work() {
                        self.reporters.entry((v, rep.to_string(), p)).or_insert(i);
                    }
                    self.volumes.insert((r.volume, r.reporter.clone()), i);
                }
                (Resolution::First, Some(i))
            }
        }
    }

    /// The full sources so far by their authors' surnames (built on first use: most posts
    /// have no op. cit.; once built, `add` keeps it up to date, so the whole is linear).
    fn surnames(&mut self) -> &HashMap<String, usize> {
        self.surnames.get_or_insert_with(|| {
            let mut map = HashMap::new();
            for (i, s) in self.sources.iter().enumerate().filter(|(_, s)| s.full) {
                for a in &s.fields.authors {
                    map.insert(surname(a).to_lowercase(), i);
                }
            }
            map
        })
    }

    /// The first earlier full source of the same work as `key` (whose title has the
    /// `hashes`, when not empty).
    fn earlier_full(&self, key: &WorkKey, hashes: Option<&TitleHashes>) -> Option<usize> {
        match self.index.first_candidate(key, hashes) {
            Some(i) if self.keys.get(i).is_some_and(|k| k.same_work(key)) => Some(i),
            // Nothing indexed matches, and a hash collision cannot invent a match: there is
            // no earlier source.
            None => None,
            // A hash collision: compare with every source, as the index would have.
            Some(_) => self
                .sources
                .iter()
                .zip(&self.keys)
                .position(|(s, k)| s.full && k.same_work(key)),
        }
    }

    /// The earlier source holding the largest share of the short form's words (the latest
    /// one on a tie), if that share is large enough.
    fn short(
        &mut self,
        citation: &Citation,
        plain: Option<&str>,
        words: &[usize],
        note: usize,
    ) -> (Resolution, Option<usize>) {
        // `Campbell, 510 U.S. at 578`: the volume and reporter name the work.
        if let Some(r) = legal_reporter(&citation.text) {
            let found = r
                .work()
                .and_then(|(v, rep, p)| self.reporters.get(&(v, rep.to_string(), p)))
                .or_else(|| self.volumes.get(&(r.volume, r.reporter.clone())));
            if let Some(&i) = found {
                return (Resolution::Abbreviated, Some(i));
            }
        }
        // `Smith, op. cit., p. 4`: the last full citation of the author named.
        if let Some((name, _)) = back_reference(&citation.text) {
            let found = self.surnames().get(&name.to_lowercase()).copied();
            return match found {
                Some(i) => (Resolution::Abbreviated, Some(i)),
                None => {
                    let key = WorkKey::of(&citation.fields);
                    (
                        Resolution::Unmatched,
                        Some(self.add(citation, plain, Some(words), (key, None), note)),
                    )
                }
            };
        }
        match self.best_match(words) {
            Some(i) => (Resolution::Abbreviated, Some(i)),
            None => {
                let key = WorkKey::of(&citation.fields);
                (
                    Resolution::Unmatched,
                    Some(self.add(citation, plain, Some(words), (key, None), note)),
                )
            }
        }
    }

    /// The earlier source holding the largest share of a short form's `words` (by their
    /// numbers; the latest source on a tie), if that share is large enough. Counted through
    /// the word index: the cost is the number of (word, source holding it) pairs, not every
    /// source for every short form.
    fn best_match(&mut self, words: &[usize]) -> Option<usize> {
        let (holders, hits, touched) = (&self.holders, &mut self.hits, &mut self.touched);
        let n = words.len();
        for &id in words {
            for i in holders.of(id) {
                if hits[i] == 0 {
                    touched.push(i);
                }
                hits[i] += 1;
            }
        }
        // A source holding none of the words never matches: only those counted compete.
        let mut best: Option<(usize, usize)> = None;
        for &i in touched.iter() {
            best = best.max(Some((hits[i], i)));
            hits[i] = 0;
        }
        touched.clear();
        match best {
            Some((hits, i)) if n > 0 && hits * MATCH_DEN >= n * MATCH_NUM => Some(i),
            _ => None,
        }
    }
}

/// Puts into `found` (emptied first) the numbers in `words` of the match words of a
/// citation's URL-blanked text (`plain`) that are keys of `words`, in order, as
/// [`for_each_match_word_where`] reads them (`seen` holding every key). Each ASCII word is
/// looked up as it is read, without comparing it with the common words (none is a key), and
/// the numbers are kept once the text is known to hold no alphanumeric character outside
/// ASCII; otherwise the words are read anew as that function reads them.
fn key_word_ids(
    words: &HashMap<Box<[u8]>, usize>,
    seen: &WordFilter,
    plain: &str,
    found: &mut Vec<usize>,
) {
    found.clear();
    let ascii = for_each_ascii_word_range(plain, |start, end| {
        let Some(w) = plain.as_bytes().get(start..end) else {
            return;
        };
        if seen.may_hold_bytes(w) {
            if let Some(id) = ascii_word_id(words, w) {
                found.push(id);
            }
        }
    });
    if !ascii {
        found.clear();
        for_each_match_word_where(
            plain,
            |w| seen.may_hold(w),
            |w| {
                if let Some(&id) = words.get(w.as_bytes()) {
                    found.push(id);
                }
            },
        );
    }
}

/// The number in `words` (keys in lower case) of an ASCII word (letters, digits and `/`),
/// lower-cased on the stack when short enough, as most words are.
fn ascii_word_id(words: &HashMap<Box<[u8]>, usize>, w: &[u8]) -> Option<usize> {
    let mut buf = [0u8; 32];
    match buf.get_mut(..w.len()) {
        Some(lower) => {
            // Setting the 0x20 bit lower-cases an ASCII letter and keeps a digit or `/`.
            for (l, &c) in lower.iter_mut().zip(w) {
                *l = c | 0x20;
            }
            words.get(&*lower).copied()
        }
        None => words.get(&*w.to_ascii_lowercase()).copied(),
    }
}

/// Calls `f` with each match word of a citation's `text` that `wanted` lets through (see
/// [`for_each_match_word_where`]), read from its URL-blanked text when known.
fn match_words_of(
    text: &str,
    plain: Option<&str>,
    wanted: impl FnMut(&str) -> bool,
    f: impl FnMut(&str),
) {
    match plain {
        Some(p) => for_each_match_word_where(p, wanted, f),
        None => for_each_match_word_where(&mask_urls(text), wanted, f),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn resolved(text: &str) -> Vec<Vec<(CitationKind, Resolution, Option<usize>)>> {
        let doc =
            crate::analyse::parse(&SourceFile::new("t.txt", text), crate::parse::Format::Text);
        doc.posts[0]
            .notes
            .iter()
            .map(|n| {
                n.citations
                    .iter()
                    .map(|c| (c.kind, c.resolution, c.source))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn chains_short_forms_and_inner_ibids() {
        use CitationKind::{Full, Ibid, Short};
        use Resolution::*;
        let text = "A.[1] B.[2] C.[3] D.[4] E.[5] F.[6]\n\n\
            [1] Ana Moe, “Harbour Cranes,” Port Review, May 6, 2021, https://port.example.org/c.\n\
            [2] Ibid., 4.\n\
            [3] The board kept two ledgers for the same years: Harbour Board, Annual report, August 2, 2020, p. 9; see also Ibid, p. 12; Moe, “Harbour Cranes,” 7.\n\
            [4] Ibid.\n\
            [5] Lund, 8.\n\
            [6] Ana Moe, “Harbour Cranes,” Port Review, May 6, 2021.\n";
        assert_eq!(
            resolved(text),
            vec![
                vec![(Full, First, Some(0))],
                vec![(
                    Ibid,
                    PreviousNote {
                        note: 0,
                        sources: 1
                    },
                    Some(0)
                )],
                vec![
                    (Full, First, Some(1)),
                    (Ibid, SameNote, Some(1)),
                    (Short, Abbreviated, Some(0))
                ],
                vec![(
                    Ibid,
                    PreviousNote {
                        note: 2,
                        sources: 2
                    },
                    Some(0)
                )],
                vec![(Short, Unmatched, Some(2))],
                vec![(Full, Repeat, Some(0))],
            ]
        );
    }

    #[test]
    fn ibid_first_or_after_commentary_has_no_antecedent() {
        let text = "A.[1] B.[2] C.[3]\n\n[1] Ibid.\n[2] The figures were revised twice over the following year.\n[3] Ibid., 4.\n";
        let r = resolved(text);
        assert_eq!(
            r[0],
            vec![(CitationKind::Ibid, Resolution::NoAntecedent, None)]
        );
        assert!(r[1].is_empty());
        assert_eq!(
            r[2],
            vec![(CitationKind::Ibid, Resolution::NoAntecedent, None)]
        );
    }

    #[test]
    fn reporter_citation_names_a_legal_work() {
        use CitationKind::{Full, Short};
        use Resolution::*;
        // One case under two spellings of its name; another case with an `Inc.` in common.
        let text = "A.[1] B.[2] C.[3] D.[4]\n\n\
            [1] Vik Salvage Co. v. Fjord Shipping, 312 F. Supp. 2d 88, 91 (D. Me. 2001).\n\
            [2] Lund v. Havn Marine, Inc., 455 F.3d 610, 612 (1st Cir. 2006).\n\
            [3] Vik, 312 F. Supp. 2d at 93.\n\
            [4] Vik Salvage Company v. Fjord Shipping Ltd., 312 F. Supp. 2d 88, 95 (D. Me. 2001).\n";
        assert_eq!(
            resolved(text),
            vec![
                vec![(Full, First, Some(0))],
                vec![(Full, First, Some(1))],
                vec![(Short, Abbreviated, Some(0))],
                vec![(Full, Repeat, Some(0))],
            ]
        );
    }

    #[test]
    fn op_cit_takes_the_authors_last_full_citation() {
        use CitationKind::{Full, Short};
        use Resolution::*;
        let text = "A.[1] B.[2] C.[3] D.[4] E.[5]\n\n\
            [1] Ana Moe, The Cranes of Bergen (Oslo: Fjord Press, 1998), 12.\n\
            [2] Bo Lee, Gulls of the Sound (Bergen: Tern Press, 2001), 40.\n\
            [3] Moe, op. cit., p. 31.\n\
            [4] As Lee argued, op. cit., 44.\n\
            [5] Dahl, op. cit., 9.\n";
        assert_eq!(
            resolved(text),
            vec![
                vec![(Full, First, Some(0))],
                vec![(Full, First, Some(1))],
                vec![(Short, Abbreviated, Some(0))],
                vec![(Short, Abbreviated, Some(1))],
                vec![(Short, Unmatched, Some(2))],
            ]
        );
    }

    #[test]
    fn urls_taken_from_the_post_are_those_found_in_each_citation() {
        // Citations that end their note take its URLs from the post; the others find their
        // own: a URL glued to a year, one broken over a line, one across a `;`, a `doi: 10.`
        // after a colon, a `www.` right after a `;`.
        let notes = [
            "Ana Moe, “Cranes,” Port Review, 2019,https://a.example.org/x/pass-records\n https://b.example.net/y; Bo Lee, “Gulls,” Post, 2025, https://c.example.com/2025/g.html",
            "Lee, “Gulls,” 2020, https://a.example.org/a;b https://b.example.org/c",
            "The board kept two ledgers for the same years as before: doi: 10.1000/182",
            "Ibid;www.example.org/x",
            "See Moe, “Cranes,” https://a.example.org/z/ q; Cf. Lee, 4, http://b.example.org/w).",
            "Ibid. See Ana Moe, “Cranes,” https://a.example.org/z.",
            "Id., citing Moe, 12 Port L. Rev. 3 (2001), www.example.org/m",
        ];
        let mut text = String::new();
        for i in 1..=notes.len() {
            text.push_str(&format!("A.[{i}] "));
        }
        text.push_str("\n\n");
        for (i, n) in notes.iter().enumerate() {
            text.push_str(&format!("[{}] {n}\n", i + 1));
        }
        let doc =
            crate::analyse::parse(&SourceFile::new("t.txt", &text), crate::parse::Format::Text);
        let post = &doc.posts[0];
        assert_eq!(post.notes.len(), notes.len());
        for note in &post.notes {
            let alone: Vec<_> = parse_note(&note.text)
                .into_iter()
                .map(|c| (c.kind, c.fields))
                .collect();
            let from_post: Vec<_> = note
                .citations
                .iter()
                .map(|c| (c.kind, c.fields.clone()))
                .collect();
            assert_eq!(from_post, alone, "{}", note.text.text);
        }
    }

    #[test]
    fn key_word_ids_match_the_words_read_one_by_one() {
        const WORDS: [&str; 16] = [
            "Harbour",
            "harbour",
            "CRANES",
            "the",
            "Of",
            "2021",
            "12",
            "x/y",
            "/a/",
            "Łódź",
            "İstanbul",
            "ΣΟΦΙΑ",
            "é",
            "Moe",
            "a",
            "pp",
        ];
        const SEPARATORS: [&str; 8] = [" ", ", ", "“", "”", " — ", "        ", ".", "/"];
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next =
            move |n: usize| usize::try_from(crate::xorshift(&mut state) % n as u64).unwrap_or(0);
        let mut found = Vec::new();
        let mut compared = 0;
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..next(14) {
                text.push_str(WORDS[next(WORDS.len())]);
                text.push_str(SEPARATORS[next(SEPARATORS.len())]);
            }
            let mut words: HashMap<Box<[u8]>, usize> = HashMap::new();
            let mut seen = WordFilter::default();
            // Keys are match words, as a short form's are: never a common word.
            for _ in 0..next(6) {
                for key in super::super::fields::match_words(WORDS[next(WORDS.len())]) {
                    let n = words.len();
                    seen.insert(&key);
                    words.entry(key.into_bytes().into()).or_insert(n);
                }
            }
            let mut expected = Vec::new();
            for_each_match_word_where(
                &text,
                |_| true,
                |w| {
                    if let Some(&id) = words.get(w.as_bytes()) {
                        expected.push(id);
                    }
                },
            );
            key_word_ids(&words, &seen, &text, &mut found);
            assert_eq!(found, expected, "{text:?}");
            compared += expected.len();
        }
        assert!(compared > 1000, "{compared}");
    }

    #[test]
    fn word_filter_never_loses_a_word() {
        let words = [
            "cranes", "é", "harbour", "2021", "x/y", "moe", "lund", "a", "",
        ];
        let mut f = WordFilter::default();
        assert!(!f.may_hold("cranes"));
        for w in words {
            f.insert(w);
        }
        assert!(words.iter().all(|w| f.may_hold(w)));
        // A word is asked for before it is lower-cased: any letter case finds it.
        for w in ["CRANES", "Harbour", "MoE", "X/Y"] {
            assert!(f.may_hold(w), "{w}");
        }
    }

    #[test]
    fn another_years_edition_is_another_work() {
        let text = "A.[1] B.[2]\n\n\
            [1] Harbour Board, “Harbour Safety Report,” Board Papers, 2023, https://board.example.org/r/2023.\n\
            [2] Harbour Board, “Harbour Safety Report,” Board Papers, 2024, https://board.example.org/r/2024.\n";
        let r = resolved(text);
        assert_eq!(r[1], vec![(CitationKind::Full, Resolution::First, Some(1))]);
    }
}
