//! The bibliography cross-check: each entry read as a citation, and each source cited in a
//! post's notes matched with its entry by the strongest evidence at hand (the same URL, then
//! the same title, then the same document symbol, then the first author's surname with the
//! year).

mod index;
mod names;

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use std::borrow::Cow;
use std::cell::OnceCell;
use std::sync::LazyLock;

use regex::Regex;

pub use index::{EntryIndex, TitleCandidates};
pub use names::{compare as compare_names, surname_key, NameAgreement};

use crate::cite::{parse_entry_known, publication_year};
use crate::identity::{title_similarity, url_key, TitleKey, UrlKey, WorkKey, SAME_TITLE};
use crate::model::{CitationFields, EntryMatch, MatchEvidence, Post, UrlOwner};

/// Document symbols and bill numbers: `S/2020/840`, `A/RES/217(III)`, `H.R.3012`, `SC/15648`.
static IDENTIFIER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?-u:\b)(?:[A-Z]{1,5}(?:/[A-Z0-9.()]+)*/\d[\d/()A-Z.]*\d|H\.\s?R\.\s?\d+|S\.\s?\d{2,})",
    )
    .expect("valid regex")
});

/// What matching compares of a source or an entry, each computed once: the URLs and title,
/// which every match reads, at once; the identifiers, the author and the year only when a
/// match first needs them, as most sources match by URL or title. The URLs and title of an
/// entry that repeats a source's are that source's keys, borrowed.
#[derive(Debug, Clone)]
pub struct WorkKeys<'a> {
    pub urls: Cow<'a, [UrlKey]>,
    pub title: Cow<'a, TitleKey>,
    text: &'a str,
    first_author: Option<&'a str>,
    identifiers: OnceCell<HashSet<String>>,
    /// The folded surname (or organisation) of the first author.
    author: OnceCell<Option<String>>,
    /// The year: an entry's fields hold it, a note's text is read for it when needed.
    year: OnceCell<Option<u16>>,
}

impl<'a> WorkKeys<'a> {
    /// The keys of a citation with these fields, read from `text`.
    #[must_use]
    pub fn new(fields: &'a CitationFields, text: &'a str) -> Self {
        Self::with_year(fields, text, OnceCell::new())
    }

    /// The keys of a bibliography entry, whose fields hold its publication year already.
    #[must_use]
    pub fn of_entry(fields: &'a CitationFields, text: &'a str) -> Self {
        Self::with_year(fields, text, OnceCell::from(fields.year))
    }

    /// The keys of a citation whose title and URL keys are known (`key`, read from `fields`).
    fn with_keys(
        fields: &'a CitationFields,
        text: &'a str,
        year: OnceCell<Option<u16>>,
        key: WorkKey,
    ) -> Self {
        let (title, urls) = key.into_parts();
        Self {
            urls: Cow::Owned(urls),
            title: Cow::Owned(title.unwrap_or_default()),
            text,
            first_author: fields.authors.first().map(String::as_str),
            identifiers: OnceCell::new(),
            author: OnceCell::new(),
            year,
        }
    }

    /// The keys of a bibliography entry whose title and URLs are a source's, whose keys
    /// (`source`) are borrowed instead of reading them again.
    fn of_entry_as(fields: &'a CitationFields, text: &'a str, source: &'a WorkKeys<'_>) -> Self {
        Self {
            urls: Cow::Borrowed(&source.urls),
            title: Cow::Borrowed(&source.title),
            text,
            first_author: fields.authors.first().map(String::as_str),
            identifiers: OnceCell::new(),
            author: OnceCell::new(),
            year: OnceCell::from(fields.year),
        }
    }

    fn with_year(fields: &'a CitationFields, text: &'a str, year: OnceCell<Option<u16>>) -> Self {
        Self {
            urls: Cow::Owned(fields.urls.iter().filter_map(|u| url_key(u)).collect()),
            title: Cow::Owned(
                fields
                    .title
                    .as_deref()
                    .map(TitleKey::new)
                    .unwrap_or_default(),
            ),
            text,
            first_author: fields.authors.first().map(String::as_str),
            identifiers: OnceCell::new(),
            author: OnceCell::new(),
            year,
        }
    }

    /// [`WorkKeys::of_entry`], taking the keys of a title or a URL that `known` holds instead
    /// of reading them again.
    fn of_entry_known(fields: &'a CitationFields, text: &'a str, known: &KnownKeys<'a>) -> Self {
        let source = fields
            .title
            .as_deref()
            .and_then(|t| known.titles.get(t).copied());
        let title = match (fields.title.as_deref(), source) {
            (None, _) => Cow::Owned(TitleKey::default()),
            (Some(_), Some((_, keys))) => Cow::Borrowed(&*keys.title),
            (Some(t), None) => Cow::Owned(TitleKey::new(t)),
        };
        let urls = fields
            .urls
            .iter()
            .filter_map(|u| KnownKeys::url(source, u))
            .collect();
        Self {
            urls: Cow::Owned(urls),
            title,
            text,
            first_author: fields.authors.first().map(String::as_str),
            identifiers: OnceCell::new(),
            author: OnceCell::new(),
            year: OnceCell::from(fields.year),
        }
    }

    /// The document symbols and bill numbers the text gives, spaces removed.
    pub fn identifiers(&self) -> &HashSet<String> {
        self.identifiers.get_or_init(|| {
            // Every form the pattern reads holds a `/`, `H.` or `S.`.
            let t = self.text;
            if !t.contains('/') && !t.contains("H.") && !t.contains("S.") {
                return HashSet::new();
            }
            IDENTIFIER
                .find_iter(self.text)
                .map(|m| m.as_str().replace(' ', ""))
                .collect()
        })
    }

    /// The folded surname (or organisation) of the first author.
    pub fn author(&self) -> Option<&String> {
        self.author
            .get_or_init(|| self.first_author.map(surname_key).filter(|a| !a.is_empty()))
            .as_ref()
    }

    /// The publication year.
    pub fn year(&self) -> Option<u16> {
        *self.year.get_or_init(|| publication_year(self.text))
    }

    #[cfg(test)]
    fn shares_url(&self, other: &Self) -> bool {
        self.urls.iter().any(|u| other.urls.contains(u))
    }

    /// Whether the only shared URL is a site's home page, which many works share.
    fn only_home_page(&self, other: &Self) -> bool {
        self.urls
            .iter()
            .filter(|u| other.urls.contains(u))
            .all(UrlKey::is_home_page)
    }

    fn title_score(&self, other: &Self) -> f64 {
        title_similarity(&self.title, &other.title)
    }
}

/// The sources whose keys an entry read anew may take, by their titles as written: the
/// keys of the same title, or of the same URL, are the same.
struct KnownKeys<'a> {
    titles: HashMap<&'a str, (&'a CitationFields, &'a WorkKeys<'a>)>,
}

impl<'a> KnownKeys<'a> {
    /// The titled sources of `sources` (whose keys are `keys`, in step) that no entry took
    /// the reading of (`taken`): an entry that repeats a source word for word took it, and
    /// another entry giving that source's title is rare.
    fn of(sources: &'a [crate::model::Source], keys: &'a [WorkKeys<'a>], taken: &[bool]) -> Self {
        let mut titles = HashMap::new();
        for ((s, k), _) in sources
            .iter()
            .zip(keys)
            .zip(taken)
            .filter(|(_, &taken)| !taken)
        {
            if let Some(t) = s.fields.title.as_deref() {
                titles.entry(t).or_insert((&s.fields, k));
            }
        }
        Self { titles }
    }

    /// The key of URL `u` of an entry titled as the source `source` (its fields and keys)
    /// is, when that source gives the URL.
    fn url(source: Option<(&CitationFields, &'a WorkKeys<'a>)>, u: &str) -> Option<UrlKey> {
        match source {
            // The keys are those of the URLs that are URLs with a host, in order: when every
            // URL has one, they are in step.
            Some((fields, keys)) if fields.urls.len() == keys.urls.len() => {
                match fields.urls.iter().position(|v| v == u) {
                    Some(j) => keys.urls.get(j).cloned(),
                    None => url_key(u),
                }
            }
            _ => url_key(u),
        }
    }
}

/// Reads every entry of `post`'s bibliography and matches each source of its notes with an
/// entry, filling [`BibEntry::fields`](crate::model::BibEntry::fields) and
/// [`Source::entry`](crate::model::Source::entry).
pub fn match_post(post: &mut Post) {
    if post.bibliography.is_empty() {
        return;
    }
    // The URLs of each entry's text, by entry and in text order, as the post's URLs give
    // them. Links put URLs read from markup in the place of those of the text: with links,
    // each entry's are found anew.
    let mut entry_urls: Vec<(usize, std::ops::Range<usize>, &str)> = Vec::new();
    if post.links.is_empty() {
        entry_urls.extend(post.urls.iter().filter_map(|u| match u.owner {
            UrlOwner::Bibliography(i) => Some((i, u.text_range.clone(), u.url.as_str())),
            _ => None,
        }));
        entry_urls.sort_by_key(|(i, r, _)| (*i, r.start));
    }
    // The sources by their citations' texts: an entry that repeats one word for word (as a
    // note-style bibliography may) reads as that citation read, and is not read again.
    let mut by_text: HashMap<&str, usize> = HashMap::with_capacity(post.sources.len());
    for (i, s) in post.sources.iter().enumerate() {
        by_text.entry(s.text.as_str()).or_insert(i);
    }
    let sources = &post.sources;
    // By entry: the source whose reading it took, if any.
    let mut reused: Vec<Option<usize>> = Vec::with_capacity(post.bibliography.len());
    let mut next_url = 0;
    let mut urls: Vec<(std::ops::Range<usize>, &str)> = Vec::new();
    for (ei, entry) in post.bibliography.iter_mut().enumerate() {
        urls.clear();
        while let Some((i, r, u)) = entry_urls.get(next_url) {
            if *i > ei {
                break;
            }
            if *i == ei {
                urls.push((r.clone(), u));
            }
            next_url += 1;
        }
        let known = post.links.is_empty().then_some(urls.as_slice());
        // The resolver read each source's year, as `publication_year` reads it (the post
        // has a bibliography).
        let mut from = None;
        entry.fields = parse_entry_known(&entry.text.text, known, |text| {
            let i = *by_text.get(text)?;
            from = Some(i);
            let s = &sources[i];
            Some((&s.fields, s.year, s.plain.as_deref()))
        });
        reused.push(from);
    }
    // The resolver read the sources' years and keys already (the post has a bibliography).
    // The URL-blanked texts are read no more.
    let taken: Vec<_> = post
        .sources
        .iter_mut()
        .map(|s| {
            s.plain = None;
            s.key.take()
        })
        .collect();
    let sources = &post.sources;
    let source_keys: Vec<WorkKeys> = sources
        .iter()
        .zip(taken)
        .map(|(source, key)| {
            let year = OnceCell::from(source.year);
            match key {
                Some(key) => WorkKeys::with_keys(&source.fields, &source.text, year, key),
                None => WorkKeys::with_year(&source.fields, &source.text, year),
            }
        })
        .collect();
    // An entry that took a source's reading and kept its title and URLs has its keys. One
    // read anew mostly gives a title and URLs that a source gives (the same citation written
    // otherwise, over two lines say): their keys are that source's.
    let mut known: Option<KnownKeys> = None;
    let entries: Vec<WorkKeys> = post
        .bibliography
        .iter()
        .zip(&reused)
        .map(|(e, from)| match *from {
            Some(i)
                if sources[i].fields.title == e.fields.title
                    && sources[i].fields.urls == e.fields.urls =>
            {
                WorkKeys::of_entry_as(&e.fields, &e.text.text, &source_keys[i])
            }
            _ => {
                let known = known.get_or_insert_with(|| {
                    let mut taken = vec![false; sources.len()];
                    for &i in reused.iter().flatten() {
                        if let Some(t) = taken.get_mut(i) {
                            *t = true;
                        }
                    }
                    KnownKeys::of(sources, &source_keys, &taken)
                });
                WorkKeys::of_entry_known(&e.fields, &e.text.text, known)
            }
        })
        .collect();
    let index = EntryIndex::new(&entries);
    let found: Vec<Option<EntryMatch>> = source_keys
        .iter()
        .map(|keys| find_entry(keys, &index))
        .collect();
    let bibliography = &post.bibliography;
    let duplicates = duplicates(&entries, |i| &bibliography[i].fields);
    for (source, found) in post.sources.iter_mut().zip(found) {
        source.entry = found;
    }
    post.duplicate_entries = duplicates;
}

/// The entry a work matches, by the strongest evidence that picks out one entry.
#[must_use]
pub fn find_entry(work: &WorkKeys, index: &EntryIndex) -> Option<EntryMatch> {
    let entries = index.entries;
    let pick = |entry: usize, by: MatchEvidence| Some(EntryMatch { entry, by });
    // The same URL; a shared home page only with agreeing titles.
    let shared = index.sharing_url(work);
    let mut by_url = shared.iter().copied().filter(|&i| {
        !work.only_home_page(&entries[i])
            || work.title.is_empty()
            || work.title_score(&entries[i]) >= SAME_TITLE
    });
    // One entry, as most often, or the first two of several: no list for one.
    match (by_url.next(), by_url.next()) {
        (Some(i), None) => {
            let conflict = !work.title.is_empty()
                && !entries[i].title.is_empty()
                && work.title.numbers != entries[i].title.numbers
                && best_title(work, index).is_some_and(|(j, _)| j != i);
            if !conflict {
                return pick(i, MatchEvidence::Url);
            }
        }
        (Some(a), Some(b)) => {
            // Several entries give the URL (one page for two reports): the title decides.
            let titled: Vec<usize> = [a, b]
                .into_iter()
                .chain(by_url)
                .filter(|&i| work.title_score(&entries[i]) >= SAME_TITLE)
                .collect();
            if let Some(&i) = titled.iter().max_by(|&&a, &&b| {
                work.title_score(&entries[a])
                    .total_cmp(&work.title_score(&entries[b]))
                    .then(b.cmp(&a))
            }) {
                return pick(i, MatchEvidence::Url);
            }
        }
        _ => {}
    }
    if let Some((i, _)) = best_title(work, index) {
        return pick(i, MatchEvidence::Title);
    }
    if let Some(i) = index.one_by_identifier(work) {
        return pick(i, MatchEvidence::Identifier);
    }
    let (Some(author), Some(year)) = (work.author(), work.year()) else {
        return None;
    };
    let by_author: Vec<usize> = index
        .by_author_year(author, year)
        .into_iter()
        // Two titles that plainly differ are two works by one author in one year.
        .filter(|&i| {
            work.title.is_empty()
                || entries[i].title.is_empty()
                || work.title_score(&entries[i]) >= 0.5
        })
        .collect();
    match by_author[..] {
        [i] => pick(i, MatchEvidence::AuthorYear),
        _ => None,
    }
}

/// The entry whose title is closest to the work's, when close enough; the first on a tie.
fn best_title(work: &WorkKeys, index: &EntryIndex) -> Option<(usize, f64)> {
    if work.title.is_empty() {
        return None;
    }
    let candidates = match index.title_candidates(work) {
        // The same title scores 1, the most there is.
        TitleCandidates::Same(i) => return Some((i, 1.0)),
        TitleCandidates::Some(candidates) => candidates,
    };
    candidates
        .into_iter()
        .map(|i| (i, work.title_score(&index.entries[i])))
        .filter(|&(_, s)| s >= SAME_TITLE)
        .fold(None, |best: Option<(usize, f64)>, (i, s)| match best {
            Some((_, b)) if b >= s => best,
            _ => Some((i, s)),
        })
}

/// Pairs of entries of `post` that give the same work: the same title (and no disagreeing
/// year, URL or first author). Each pair is `(earlier, later)`. [`match_post`] keeps them in
/// [`Post::duplicate_entries`].
/// `fields` gives each entry's fields, by its index in `keys`.
fn duplicates<'f>(
    keys: &[WorkKeys],
    fields: impl Fn(usize) -> &'f CitationFields,
) -> Vec<(usize, usize)> {
    // Entries are grouped by title first, so only entries with one title are compared. Each
    // title maps to its first and last entries, and each entry links to the next one with its
    // title: no list for each title, as most titles have one entry.
    let mut by_title: HashMap<&str, (usize, usize)> = HashMap::with_capacity(keys.len());
    let mut next: Vec<Option<usize>> = vec![None; keys.len()];
    let mut pairs = Vec::new();
    for (j, b) in keys.iter().enumerate() {
        if b.title.word_count() < 2 {
            continue;
        }
        match by_title.get_mut(b.title.joined.as_str()) {
            None => {
                by_title.insert(b.title.joined.as_str(), (j, j));
            }
            Some((first, last)) => {
                // The earlier entries with the title, in order.
                let mut at = Some(*first);
                while let Some(i) = at {
                    if is_duplicate(&keys[i], b, fields(i), fields(j)) {
                        pairs.push((i, j));
                        break;
                    }
                    at = next.get(i).copied().flatten();
                }
                if let Some(n) = next.get_mut(*last) {
                    *n = Some(j);
                }
                *last = j;
            }
        }
    }
    pairs
}

fn is_duplicate(a: &WorkKeys, b: &WorkKeys, fa: &CitationFields, fb: &CitationFields) -> bool {
    if a.title.word_count() < 2 || a.title.joined != b.title.joined {
        return false;
    }
    let (ya, yb) = (a.year(), b.year());
    let years_agree = ya.is_none() || yb.is_none() || ya == yb;
    let urls_agree = a.urls.is_empty()
        || b.urls.is_empty()
        || a.urls
            .iter()
            .any(|u| b.urls.iter().any(|v| u.compatible(v)));
    let authors_agree = match (fa.authors.first(), fb.authors.first()) {
        (Some(x), Some(y)) => {
            compare_names(x, y) == NameAgreement::Same || crate::normalize::fold_eq(x, y)
        }
        (None, None) => true,
        _ => false,
    };
    years_agree && urls_agree && authors_agree
}

/// The matching [`find_entry`] does, comparing the work with every entry: the reference the
/// indexed matching is tested against.
#[cfg(test)]
fn find_entry_all_pairs(work: &WorkKeys, entries: &[WorkKeys]) -> Option<EntryMatch> {
    let pick = |entry: usize, by: MatchEvidence| Some(EntryMatch { entry, by });
    // The same URL; a shared home page only with agreeing titles.
    let by_url: Vec<usize> = (0..entries.len())
        .filter(|&i| work.shares_url(&entries[i]))
        .filter(|&i| {
            !work.only_home_page(&entries[i])
                || work.title.is_empty()
                || work.title_score(&entries[i]) >= SAME_TITLE
        })
        .collect();
    if let [i] = by_url[..] {
        let conflict = !work.title.is_empty()
            && !entries[i].title.is_empty()
            && work.title.numbers != entries[i].title.numbers
            && best_title_all_pairs(work, entries).is_some_and(|(j, _)| j != i);
        if !conflict {
            return pick(i, MatchEvidence::Url);
        }
    }
    if by_url.len() > 1 {
        // Several entries give the URL (one page for two reports): the title decides.
        let titled: Vec<usize> = by_url
            .iter()
            .copied()
            .filter(|&i| work.title_score(&entries[i]) >= SAME_TITLE)
            .collect();
        if let Some(&i) = titled.iter().max_by(|&&a, &&b| {
            work.title_score(&entries[a])
                .total_cmp(&work.title_score(&entries[b]))
                .then(b.cmp(&a))
        }) {
            return pick(i, MatchEvidence::Url);
        }
    }
    if let Some((i, _)) = best_title_all_pairs(work, entries) {
        return pick(i, MatchEvidence::Title);
    }
    let ids = work.identifiers();
    let by_identifier: Vec<usize> = if ids.is_empty() {
        Vec::new()
    } else {
        (0..entries.len())
            .filter(|&i| !ids.is_disjoint(entries[i].identifiers()))
            .collect()
    };
    if let [i] = by_identifier[..] {
        return pick(i, MatchEvidence::Identifier);
    }
    let (Some(author), Some(year)) = (work.author(), work.year()) else {
        return None;
    };
    let by_author: Vec<usize> = (0..entries.len())
        .filter(|&i| entries[i].author() == Some(author) && entries[i].year() == Some(year))
        // Two titles that plainly differ are two works by one author in one year.
        .filter(|&i| {
            work.title.is_empty()
                || entries[i].title.is_empty()
                || work.title_score(&entries[i]) >= 0.5
        })
        .collect();
    match by_author[..] {
        [i] => pick(i, MatchEvidence::AuthorYear),
        _ => None,
    }
}

/// The best title of all entries: the reference of [`best_title`].
#[cfg(test)]
fn best_title_all_pairs(work: &WorkKeys, entries: &[WorkKeys]) -> Option<(usize, f64)> {
    if work.title.is_empty() {
        return None;
    }
    entries
        .iter()
        .enumerate()
        .map(|(i, e)| (i, work.title_score(e)))
        .filter(|&(_, s)| s >= SAME_TITLE)
        .fold(None, |best: Option<(usize, f64)>, (i, s)| match best {
            Some((_, b)) if b >= s => best,
            _ => Some((i, s)),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn post(text: &str) -> Post {
        let doc =
            crate::analyse::parse(&SourceFile::new("t.txt", text), crate::parse::Format::Text);
        doc.posts.into_iter().next().expect("a post")
    }

    fn matches(p: &Post) -> Vec<Option<(usize, MatchEvidence)>> {
        p.sources
            .iter()
            .map(|s| s.entry.map(|m| (m.entry, m.by)))
            .collect()
    }

    #[test]
    fn matches_by_url_title_identifier_and_author_year() {
        let p = post(
            "A.[1] B.[2] C.[3] D.[4]\n\nBibliography\n\
             Moe, Ana. “Harbour Cranes.” Port Review, May 6, 2021. https://www.port.example.org/c/.\n\n\
             Lund, Sofia. 2009. Electric City: A History. Stockholm: Ljus.\n\n\
             Harbour Board. Annual Report of the Board, HB/2020/77. August 28, 2020.\n\n\
             Berg, Ola. 2018. Nets. Fish Review.\n\n\
             [1] Ana Moe, “Cranes of the Harbour,” Port Review, May 6, 2021, http://port.example.org/c.\n\
             [2] Sofia Lund, “Electric City…,” Ljus, 2009.\n\
             [3] Board, HB/2020/77, p. 60.\n\
             [4] Berg, 2018, 4.\n",
        );
        assert_eq!(
            matches(&p),
            vec![
                Some((0, MatchEvidence::Url)),
                Some((1, MatchEvidence::Title)),
                Some((2, MatchEvidence::Identifier)),
                Some((3, MatchEvidence::AuthorYear)),
            ]
        );
    }

    #[test]
    fn a_shared_url_is_decided_by_the_title() {
        let p = post(
            "A.[1] B.[2]\n\nBibliography\n\
             “2022 Harbour Report”, Board, 2023, https://example.org/r\n\n\
             “2023 Harbour Report”, Board, 2024, https://example.org/r\n\n\
             [1] “2023 Harbour Report”, Board, 2024, https://example.org/r\n\
             [2] “2022 Harbour Report”, Board, 2023, https://example.org/r\n",
        );
        assert_eq!(
            matches(&p),
            vec![Some((1, MatchEvidence::Url)), Some((0, MatchEvidence::Url))]
        );
        assert!(p.duplicate_entries.is_empty());
    }

    #[test]
    fn entries_repeating_a_note_match_and_pair_as_read_anew() {
        // Both entries repeat note 1 word for word and take its keys; the third is read anew.
        let p = post(
            "A.[1] B.[2]\n\nBibliography\n\
             Ana Moe, “Harbour Cranes,” Port Review, May 6, 2021, https://port.example.org/c.\n\n\
             Ana Moe, “Harbour Cranes,” Port Review, May 6, 2021, https://port.example.org/c.\n\n\
             Lund, Sofia. 2009. Electric City: A History. Stockholm: Ljus.\n\n\
             [1] Ana Moe, “Harbour Cranes,” Port Review, May 6, 2021, https://port.example.org/c.\n\
             [2] Sofia Lund, “Electric City: A History,” Ljus, 2009.\n",
        );
        assert_eq!(
            matches(&p),
            vec![
                Some((0, MatchEvidence::Url)),
                Some((2, MatchEvidence::Title))
            ]
        );
        assert_eq!(p.duplicate_entries, vec![(0, 1)]);
    }

    #[test]
    fn a_home_page_does_not_match_another_work() {
        let p = post(
            "A.[1]\n\nBibliography\n\
             “Voices for Refuge - Refugee Aid.” 2025. Refugee Aid. https://www.refugeeaid.example.org/.\n\n\
             [1] “A Lifetime Waiting,” Refugee Aid, 2025, https://refugeeaid.example.org/.\n",
        );
        assert_eq!(matches(&p), vec![None]);
    }
}

#[cfg(test)]
mod index_tests {
    use super::*;
    use crate::xorshift;

    /// A random citation: a title drawn from a few words (numbers, accents, slips, cuts and
    /// subtitles among them), URLs from a few pages and home pages, a first author, a year
    /// and now and then a document symbol.
    fn citation(
        next: &mut impl FnMut(usize) -> usize,
        titles: &[String],
    ) -> (CitationFields, String) {
        const WORDS: [&str; 12] = [
            "harbour", "cranes", "the", "of", "report", "annual", "2021", "2022", "łódź", "north",
            "seeking", "safer",
        ];
        let mut title: String = if !titles.is_empty() && next(3) > 0 {
            titles[next(titles.len())].clone()
        } else {
            (0..1 + next(6))
                .map(|_| WORDS[next(WORDS.len())])
                .collect::<Vec<_>>()
                .join(" ")
        };
        // A slip: a character changed, dropped or added.
        for _ in 0..next(3) {
            let chars: Vec<char> = title.chars().collect();
            if chars.is_empty() {
                break;
            }
            let at = next(chars.len());
            let c = ['a', 'e', ' ', 'x', 'ó'][next(5)];
            let mut out: Vec<char> = chars.clone();
            match next(3) {
                0 => out[at] = c,
                1 => {
                    out.remove(at);
                }
                _ => out.insert(at, c),
            }
            title = out.into_iter().collect();
        }
        match next(6) {
            0 => {
                let cut = title
                    .char_indices()
                    .map(|(i, _)| i)
                    .nth(5 + next(20))
                    .unwrap_or(0);
                if cut > 0 {
                    title = format!("{}…", &title[..cut]);
                }
            }
            1 => {
                // A subtitle, long enough that the grams it adds are the title's rarest.
                for _ in 0..1 + next(8) {
                    title.push(' ');
                    title.push_str(WORDS[next(WORDS.len())]);
                }
            }
            _ => {}
        }
        const URLS: [&str; 6] = [
            "https://port.example.org/c",
            "https://port.example.org/",
            "https://example.org/r",
            "https://example.org/",
            "https://news.example.net/a/1",
            "https://news.example.net/a/2",
        ];
        let urls: Vec<String> = (0..next(3))
            .map(|_| URLS[next(URLS.len())].to_string())
            .collect();
        const AUTHORS: [&str; 4] = ["Ana Moe", "Moe, Ana", "Sofia Lund", "Harbour Board"];
        let authors: Vec<String> = (0..next(2))
            .map(|_| AUTHORS[next(AUTHORS.len())].to_string())
            .collect();
        let year = [None, Some(2020), Some(2021)][next(3)];
        let symbol = ["", " S/2020/840", " HB/2020/77", " H.R. 3012"][next(4)];
        let text = format!(
            "{} “{title}”, {}{symbol}.",
            authors.join(", "),
            year.unwrap_or(0)
        );
        let fields = CitationFields {
            authors,
            title: (next(8) > 0).then_some(title),
            year,
            urls,
            ..CitationFields::default()
        };
        (fields, text)
    }

    /// The pairing of duplicate entries with a list of entries for each title: the reference
    /// of [`duplicates`].
    fn duplicates_by_lists<'f>(
        keys: &[WorkKeys],
        fields: impl Fn(usize) -> &'f CitationFields,
    ) -> Vec<(usize, usize)> {
        let mut by_title: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut pairs = Vec::new();
        for (j, b) in keys.iter().enumerate() {
            if b.title.word_count() < 2 {
                continue;
            }
            let same = by_title.entry(b.title.joined.as_str()).or_default();
            if let Some(&i) = same
                .iter()
                .find(|&&i| is_duplicate(&keys[i], b, fields(i), fields(j)))
            {
                pairs.push((i, j));
            }
            same.push(j);
        }
        pairs
    }

    #[test]
    fn duplicates_pair_as_lists_by_title_do() {
        let mut state = 0x853c_49e6_748f_ea9b_u64;
        let mut next =
            move |n: usize| usize::try_from(xorshift(&mut state) % n as u64).unwrap_or(0);
        let mut paired = 0;
        for _ in 0..300 {
            let mut titles: Vec<String> = Vec::new();
            let mut entries = Vec::new();
            for _ in 0..next(40) {
                let (fields, text) = citation(&mut next, &titles);
                if let Some(t) = &fields.title {
                    titles.push(t.clone());
                }
                entries.push((fields, text));
            }
            let keys: Vec<WorkKeys> = entries
                .iter()
                .map(|(f, t)| WorkKeys::of_entry(f, t))
                .collect();
            let expected = duplicates_by_lists(&keys, |i| &entries[i].0);
            assert_eq!(duplicates(&keys, |i| &entries[i].0), expected);
            paired += expected.len();
        }
        assert!(paired > 100, "{paired}");
    }

    #[test]
    fn indexed_matching_matches_all_pairs_matching() {
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next =
            move |n: usize| usize::try_from(xorshift(&mut state) % n as u64).unwrap_or(0);
        let mut compared = 0;
        for round in 0..120 {
            let mut titles: Vec<String> = Vec::new();
            let entries_n = next(if round % 4 == 0 { 200 } else { 40 });
            let mut entries = Vec::new();
            for _ in 0..entries_n {
                let (fields, text) = citation(&mut next, &titles);
                if let Some(t) = &fields.title {
                    titles.push(t.clone());
                }
                entries.push((fields, text));
            }
            let sources: Vec<(CitationFields, String)> = (0..next(60))
                .map(|_| citation(&mut next, &titles))
                .collect();
            let entry_keys: Vec<WorkKeys> = entries
                .iter()
                .map(|(f, t)| WorkKeys::of_entry(f, t))
                .collect();
            let indexed = EntryIndex::with_min(&entry_keys, 0);
            let scanned = EntryIndex::new(&entry_keys);
            for (f, t) in &sources {
                let work = WorkKeys::new(f, t);
                let expected = find_entry_all_pairs(&work, &entry_keys);
                assert_eq!(find_entry(&work, &indexed), expected, "{t:?}");
                assert_eq!(find_entry(&work, &scanned), expected, "{t:?}");
                assert_eq!(
                    best_title(&work, &indexed),
                    best_title_all_pairs(&work, &entry_keys),
                    "{t:?}"
                );
                compared += usize::from(expected.is_some());
            }
        }
        assert!(compared > 1000, "{compared}");
    }
}
