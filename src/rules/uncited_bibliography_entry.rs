use super::{
    bibliography_reads_as_citations, declare_rule, key_last_segment, plain_last_segment, read_url,
    Context, ReadUrl, Rule, RuleInfo,
};
use foldhash::{HashMap, HashMapExt};
use std::borrow::Cow;

use crate::cite::short_label;
use crate::diagnostic::Finding;
use crate::identity::{url_key, UrlKey};
use crate::model::{CitationKind, Post, UrlOwner};

declare_rule! {
    /// ## What it does
    /// Flags a bibliography entry that no note of its post cites. A post with a bibliography
    /// but no notes keeps a reading list and is left alone.
    ///
    /// ## Why is this bad?
    /// An entry nobody cites is usually left over from a note that was cut, or it names its
    /// work so differently from the note that readers cannot tell the two are one source.
    ///
    /// ## Example
    /// ```text
    /// Bibliography
    /// Lund, Sofia. “Electric City.” Ljus, 2009.
    /// Moe, Ana. “Harbour Cranes.” Port Review, May 6, 2021.
    ///
    /// [1] Ana Moe, “Harbour Cranes,” Port Review, May 6, 2021.
    /// ```
    ///
    /// ## Use instead
    /// ```text
    /// Bibliography
    /// Moe, Ana. “Harbour Cranes.” Port Review, May 6, 2021.
    ///
    /// [1] Ana Moe, “Harbour Cranes,” Port Review, May 6, 2021.
    /// ```
    pub struct UncitedBibliographyEntry {
        id: "uncited-bibliography-entry",
        severity: Warning,
        summary: "a bibliography entry that no note cites",
        reads_notes: true,
    }
}

impl Rule for UncitedBibliographyEntry {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check<'a>(&self, cx: &Context<'a>, out: &mut Vec<Finding>) {
        let post = cx.post;
        // A post without notes keeps a reading list, not a bibliography of its notes.
        if post.bibliography.is_empty() || post.notes.is_empty() {
            return;
        }
        // A list of links or contents under a `References` heading.
        if !bibliography_reads_as_citations(post) {
            return;
        }
        let mut cited = vec![false; post.bibliography.len()];
        for m in post.sources.iter().filter_map(|s| s.entry) {
            if let Some(c) = cited.get_mut(m.entry) {
                *c = true;
            }
        }
        cite_by_urls(cx, &mut cited);
        // A copy of a cited entry is duplicate-bibliography-entry's to report.
        for &(a, b) in &post.duplicate_entries {
            if cited[a] || cited[b] {
                cited[a] = true;
                cited[b] = true;
            }
        }
        for (entry, _) in post
            .bibliography
            .iter()
            .zip(&cited)
            .filter(|(_, &cited)| !cited)
        {
            out.push(
                Finding::new(
                    entry.span,
                    format!(
                        "bibliography entry {} is cited by no note",
                        short_label(&entry.fields, &entry.text.text)
                    ),
                )
                .label("cited by no note")
                .help("cite it in a note, or remove it from the bibliography"),
            );
        }
    }
}

/// Marks in `cited` the entries that a full citation's URL cites.
///
/// A full citation giving an entry's URL cites it, even when the citation was taken for an
/// earlier work of the same title (two years of one annual report). A note's URL cites the
/// entry whose URL, alone in the bibliography, names the same page (has the same key). Two
/// URLs of one page end in the same path segment (see [`key_last_segment`]), which the shared
/// reading of a plain URL gives for free: a plain note URL whose segment no bibliography URL
/// ends in cites no entry, one written as the only bibliography URL of its segment cites that
/// URL's entry, and keys are made only for the others. (Keys would give the same answers: a
/// URL of the same key ends in the same segment.)
fn cite_by_urls<'a>(cx: &Context<'a>, cited: &mut [bool]) {
    let post: &'a Post = cx.post;
    // The segment of URL `u` of `owner`, a slice of the URL itself: read once for all the
    // rules when `u` stands among the owner's URLs in `post.urls`.
    let owned = OwnedUrls::of(post);
    let segment = |owner: UrlOwner, u: &'a str| -> Option<&'a str> {
        match owned.find(post, owner, u) {
            Some(i) => cx.plain_segment(i),
            None => read_url(u).as_ref().and_then(plain_segment),
        }
    };
    // Each URL written in the bibliography with its entry and segment: read from a plain URL,
    // from the key of another (a URL with no key names no page, and is left out).
    let mut written: Vec<(Cow<'a, str>, usize, &'a str)> = Vec::new();
    for (i, entry) in post.bibliography.iter().enumerate() {
        for u in &entry.fields.urls {
            let u = u.as_str();
            let seg = segment(UrlOwner::Bibliography(i), u)
                .map(Cow::Borrowed)
                .or_else(|| {
                    url_key(u).map(|k| Cow::Owned(key_last_segment(k.as_str()).to_string()))
                });
            if let Some(seg) = seg {
                written.push((seg, i, u));
            }
        }
    }
    // The URLs written with each segment.
    let mut by_segment: HashMap<&str, Written<'a>> = HashMap::with_capacity(written.len());
    for (seg, entry, url) in &written {
        by_segment
            .entry(seg.as_ref())
            .and_modify(|w| {
                if w.url == *url {
                    w.times += 1;
                } else {
                    w.others = true;
                }
            })
            .or_insert(Written {
                url,
                entry: *entry,
                times: 1,
                others: false,
            });
    }
    // Every bibliography URL by key, as made on first need.
    let mut by_url: Option<HashMap<UrlKey, Vec<usize>>> = None;
    let full = post.notes.iter().enumerate().flat_map(|(n, note)| {
        note.citations
            .iter()
            .filter(|c| c.kind == CitationKind::Full)
            .flat_map(move |c| c.fields.urls.iter().map(move |u| (n, u.as_str())))
    });
    for (n, u) in full {
        // The one entry the URL cites, if any, when told without keys.
        let alone = segment(UrlOwner::Note(n), u).and_then(|seg| match by_segment.get(seg) {
            // Plain, and no bibliography URL ends the same way.
            None => Some(None),
            // Written as in the bibliography, and no other URL there ends the same way.
            Some(w) if !w.others && w.url == u => Some((w.times == 1).then_some(w.entry)),
            Some(_) => None,
        });
        let entry = match alone {
            Some(entry) => entry,
            None => {
                let by_url = by_url.get_or_insert_with(|| {
                    let mut by_url: HashMap<UrlKey, Vec<usize>> = HashMap::new();
                    for (i, entry) in post.bibliography.iter().enumerate() {
                        for key in entry.fields.urls.iter().filter_map(|u| url_key(u)) {
                            by_url.entry(key).or_default().push(i);
                        }
                    }
                    by_url
                });
                match url_key(u).and_then(|key| by_url.get(&key)) {
                    Some(entries) if entries.len() == 1 => entries.first().copied(),
                    _ => None,
                }
            }
        };
        if let Some(c) = entry.and_then(|i| cited.get_mut(i)) {
            *c = true;
        }
    }
}

/// The bibliography URLs that end in one segment: the first, its entry and how many times it
/// is written, and whether another URL ends the same way.
struct Written<'a> {
    url: &'a str,
    entry: usize,
    times: usize,
    others: bool,
}

/// The places in `post.urls` of the URLs of each note and bibliography entry, grouped by
/// owner in one counting pass and one placing pass: no URL is hashed to be found.
struct OwnedUrls {
    /// Where the places of each owner start in `places`, notes first, then entries; one more
    /// at the end.
    start: Vec<usize>,
    places: Vec<usize>,
    notes: usize,
}

impl OwnedUrls {
    /// How many of an owner's URLs are compared with a URL looked for; past them the URL is
    /// read anew, which gives the same reading and keeps the look-up linear.
    const LOOKED_AT: usize = 8;

    fn of(post: &Post) -> Self {
        let notes = post.notes.len();
        let slots = notes + post.bibliography.len();
        let mut this = Self {
            start: vec![0; slots + 1],
            places: Vec::new(),
            notes,
        };
        for u in &post.urls {
            if let Some(s) = this.slot(u.owner).filter(|&s| s < slots) {
                this.start[s + 1] += 1;
            }
        }
        for s in 0..slots {
            this.start[s + 1] += this.start[s];
        }
        let mut next = this.start.clone();
        this.places = vec![0; this.start[slots]];
        for (i, u) in post.urls.iter().enumerate() {
            if let Some(s) = this.slot(u.owner).filter(|&s| s < slots) {
                this.places[next[s]] = i;
                next[s] += 1;
            }
        }
        this
    }

    fn slot(&self, owner: UrlOwner) -> Option<usize> {
        match owner {
            UrlOwner::Note(n) => Some(n),
            UrlOwner::Bibliography(e) => Some(self.notes + e),
            UrlOwner::Body(_) => None,
        }
    }

    /// The place in `post.urls` of URL `u` of `owner`, if it stands there.
    fn find(&self, post: &Post, owner: UrlOwner, u: &str) -> Option<usize> {
        let s = self.slot(owner)?;
        let places = self
            .places
            .get(*self.start.get(s)?..*self.start.get(s + 1)?)?;
        places
            .iter()
            .take(Self::LOOKED_AT)
            .copied()
            .find(|&i| post.urls.get(i).is_some_and(|url| url.url == u))
    }
}

/// The last segment of a URL read as plain (see [`plain_last_segment`]), a slice of the URL.
fn plain_segment<'u>(read: &ReadUrl<'u>) -> Option<&'u str> {
    match read {
        ReadUrl::Plain(p) => plain_last_segment(p.path),
        ReadUrl::Parsed(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::check_text;

    /// What marked the entries cited by URL before written URLs were told by segment alone.
    fn cite_by_urls_with_maps<'a>(cx: &Context<'a>, cited: &mut [bool]) {
        let post: &'a Post = cx.post;
        // A full citation giving an entry's URL cites it, even when the citation was taken for
        // an earlier work of the same title (two years of one annual report).
        // A note's URL cites the entry whose URL, alone in the bibliography, names the same
        // page (has the same key). Two URLs of one page end in the same path segment (see
        // [`key_last_segment`]), which the shared reading of a plain URL gives for free: a note
        // URL written as the only bibliography URL of its segment needs no key, and keys are
        // made only when some segment is shared by URLs written differently.
        // The segment of URL `u` of `owner`, a slice of the URL itself: read once for all the
        // rules when `u` stands among the owner's URLs in `post.urls`.
        let owned = OwnedUrls::of(post);
        let segment = |owner: UrlOwner, u: &'a str| -> Option<&'a str> {
            match owned.find(post, owner, u) {
                Some(i) => cx.read_url(i).and_then(plain_segment),
                None => read_url(u).as_ref().and_then(plain_segment),
            }
        };
        // Each URL written in the bibliography, once: its entries (one for each time it is
        // written) and its last segment.
        let mut written: HashMap<&str, usize> = HashMap::new();
        // The first entry of each and how many times it is written: only a URL written once
        // names its entry.
        let mut entries_of: Vec<(usize, usize)> = Vec::new();
        let mut written_urls: Vec<(UrlOwner, &str)> = Vec::new();
        for (i, entry) in post.bibliography.iter().enumerate() {
            for u in &entry.fields.urls {
                let k = *written.entry(u.as_str()).or_insert_with(|| {
                    entries_of.push((i, 0));
                    written_urls.push((UrlOwner::Bibliography(i), u.as_str()));
                    entries_of.len() - 1
                });
                entries_of[k].1 += 1;
            }
        }
        // The segment of each written URL: read from a plain URL, from the key of another (a
        // URL with no key names no page, and is left out).
        let segments: Vec<Option<Cow<'a, str>>> = written_urls
            .iter()
            .map(|&(owner, u)| {
                segment(owner, u).map(Cow::Borrowed).or_else(|| {
                    url_key(u).map(|k| Cow::Owned(key_last_segment(k.as_str()).to_string()))
                })
            })
            .collect();
        // How many written URLs end in each segment.
        let mut by_segment: HashMap<&str, usize> = HashMap::with_capacity(segments.len());
        for seg in segments.iter().flatten() {
            *by_segment.entry(seg.as_ref()).or_default() += 1;
        }
        // Every bibliography URL by key, as made on first need.
        let mut by_url: Option<HashMap<UrlKey, Vec<usize>>> = None;
        let full = post.notes.iter().enumerate().flat_map(|(n, note)| {
            note.citations
                .iter()
                .filter(|c| c.kind == CitationKind::Full)
                .flat_map(move |c| c.fields.urls.iter().map(move |u| (n, u.as_str())))
        });
        for (n, u) in full {
            // The one entry the URL cites, if any, when told without keys.
            let alone = match written.get(u) {
                // Written as in the bibliography, and no other URL there ends the same way.
                Some(&k) => segments[k]
                    .as_deref()
                    .and_then(|seg| by_segment.get(seg))
                    .filter(|&&count| count == 1)
                    .map(|_| {
                        let (first, times) = entries_of[k];
                        (times == 1).then_some(first)
                    }),
                // Plain, and no bibliography URL ends the same way.
                None => segment(UrlOwner::Note(n), u)
                    .filter(|seg| !by_segment.contains_key(seg))
                    .map(|_| None),
            };
            let entry = match alone {
                Some(entry) => entry,
                None => {
                    let by_url = by_url.get_or_insert_with(|| {
                        let mut by_url: HashMap<UrlKey, Vec<usize>> = HashMap::new();
                        for (i, entry) in post.bibliography.iter().enumerate() {
                            for key in entry.fields.urls.iter().filter_map(|u| url_key(u)) {
                                by_url.entry(key).or_default().push(i);
                            }
                        }
                        by_url
                    });
                    match url_key(u).and_then(|key| by_url.get(&key)) {
                        Some(entries) if entries.len() == 1 => entries.first().copied(),
                        _ => None,
                    }
                }
            };
            if let Some(c) = entry.and_then(|i| cited.get_mut(i)) {
                *c = true;
            }
        }
    }

    #[test]
    fn urls_told_by_segment_cite_the_entries_the_maps_found() {
        const URLS: &[&str] = &[
            "https://a.org/x/report",
            "http://www.a.org/x/report/",
            "https://b.org/y/report",
            "https://a.org/",
            "https://A.org",
            "http://1.2.3.4/report",
            "www.c.org/report",
            "doi:10.1/report",
            "https://a.org/x/report?utm_source=z",
            "https://a.org/x/Report",
            "https://d.org/a/./report",
            "https://a.org/p/other",
            "https://ä.org/report",
        ];
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next =
            |n: usize| usize::try_from(crate::xorshift(&mut state) % n as u64).unwrap_or(0);
        let mut marked = 0;
        for _ in 0..1_500 {
            let entries = 1 + next(4);
            let notes = 1 + next(4);
            let mut text = String::new();
            for n in 1..=notes {
                text.push_str(&format!("Claim.[{n}] "));
            }
            text.push_str("\n\nBibliography\n");
            for e in 0..entries {
                text.push_str(&format!("Moe, Ana. “Work {e}.” Port Review, 2021"));
                for _ in 0..next(3) {
                    text.push_str(&format!(", {}", URLS[next(URLS.len())]));
                }
                text.push_str(".\n\n");
            }
            for n in 1..=notes {
                text.push_str(&format!("[{n}] Ana Moe, “Paper {n},” Port Review, 2021"));
                for _ in 0..next(3) {
                    text.push_str(&format!(", {}", URLS[next(URLS.len())]));
                }
                text.push_str(".\n");
            }
            let source = crate::source::SourceFile::new("test.txt", text.as_str());
            let document = crate::analyse::parse(&source, crate::parse::Format::Text);
            let labels = crate::rules::notes_unrecognized::FileLabels::default();
            let inputs = crate::rules::Inputs::default();
            for post in &document.posts {
                let cx = Context::new(
                    &source,
                    &document,
                    post,
                    &inputs,
                    crate::parse::Format::Text,
                    &labels,
                );
                let mut by_segment = vec![false; post.bibliography.len()];
                cite_by_urls(&cx, &mut by_segment);
                let mut by_maps = vec![false; post.bibliography.len()];
                cite_by_urls_with_maps(&cx, &mut by_maps);
                assert_eq!(by_segment, by_maps, "{text}");
                marked += by_segment.iter().filter(|&&c| c).count();
            }
        }
        // Entries were cited by URL, not only left alone.
        assert!(marked > 100, "{marked}");
    }

    #[test]
    fn flags_an_entry_no_note_cites() {
        let text = "A.[1]\n\nBibliography\nLund, Sofia. 2009. Electric City. Stockholm: Ljus.\n\nMoe, Ana. “Harbour Cranes.” Port Review, May 6, 2021.\n\n[1] Ana Moe, “Harbour Cranes,” Port Review, May 6, 2021.\n";
        assert_eq!(
            check_text(&UncitedBibliographyEntry, text),
            vec!["4:1 bibliography entry Lund, “Electric City” is cited by no note"]
        );
    }
}
