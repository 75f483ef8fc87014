use super::{
    bibliography_reads_as_citations, declare_rule, key_last_segment, plain_last_segment, read_url,
    Context, ReadUrl, Rule, RuleInfo,
};
use foldhash::{HashMap, HashMapExt};
use std::borrow::Cow;

use crate::cite::short_label;
use crate::diagnostic::Finding;
use crate::identity::{url_key, UrlKey};
use crate::model::CitationKind;

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
        // A full citation giving an entry's URL cites it, even when the citation was taken for
        // an earlier work of the same title (two years of one annual report).
        // A note's URL cites the entry whose URL, alone in the bibliography, names the same
        // page (has the same key). Two URLs of one page end in the same path segment (see
        // [`key_last_segment`]), which the shared reading of a plain URL gives for free: a note
        // URL written as the only bibliography URL of its segment needs no key, and keys are
        // made only when some segment is shared by URLs written differently.
        let shared: HashMap<&str, usize> = {
            let mut shared = HashMap::with_capacity(post.urls.len());
            for (i, u) in post.urls.iter().enumerate() {
                shared.entry(u.url.as_str()).or_insert(i);
            }
            shared
        };
        // A slice of the URL itself: no copy is made.
        let segment = |u: &'a str| -> Option<&'a str> {
            match shared.get(u) {
                Some(&i) => cx.read_url(i).and_then(plain_segment),
                None => read_url(u).as_ref().and_then(plain_segment),
            }
        };
        // Each URL written in the bibliography, once: its entries (one for each time it is
        // written) and its last segment.
        let mut written: HashMap<&str, usize> = HashMap::new();
        let mut entries_of: Vec<Vec<usize>> = Vec::new();
        let mut written_urls: Vec<&str> = Vec::new();
        for (i, entry) in post.bibliography.iter().enumerate() {
            for u in &entry.fields.urls {
                let k = *written.entry(u.as_str()).or_insert_with(|| {
                    entries_of.push(Vec::new());
                    written_urls.push(u.as_str());
                    entries_of.len() - 1
                });
                entries_of[k].push(i);
            }
        }
        // The segment of each written URL: read from a plain URL, from the key of another (a
        // URL with no key names no page, and is left out).
        let segments: Vec<Option<Cow<'a, str>>> = written_urls
            .iter()
            .map(|u| {
                segment(u).map(Cow::Borrowed).or_else(|| {
                    url_key(u).map(|k| Cow::Owned(key_last_segment(k.as_str()).to_string()))
                })
            })
            .collect();
        let mut by_segment: HashMap<&str, Vec<usize>> = HashMap::with_capacity(segments.len());
        for (k, seg) in segments.iter().enumerate() {
            if let Some(seg) = seg {
                by_segment.entry(seg.as_ref()).or_default().push(k);
            }
        }
        // Every bibliography URL by key, as made on first need.
        let mut by_url: Option<HashMap<UrlKey, Vec<usize>>> = None;
        let full = post
            .notes
            .iter()
            .flat_map(|n| &n.citations)
            .filter(|c| c.kind == CitationKind::Full);
        for u in full.flat_map(|c| &c.fields.urls) {
            let u = u.as_str();
            let alone = match written.get(u) {
                // Written as in the bibliography, and no other URL there ends the same way.
                Some(&k) => segments[k]
                    .as_deref()
                    .and_then(|seg| by_segment.get(seg))
                    .filter(|ks| ks.len() == 1)
                    .map(|_| entries_of[k].as_slice()),
                // Plain, and no bibliography URL ends the same way.
                None => segment(u)
                    .filter(|seg| !by_segment.contains_key(seg))
                    .map(|_| &[][..]),
            };
            let entries = match alone {
                Some(entries) => entries,
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
                        Some(entries) => entries.as_slice(),
                        None => &[],
                    }
                }
            };
            if let [i] = entries {
                cited[*i] = true;
            }
        }
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

/// The last segment of a URL read as plain (see [`plain_last_segment`]), a slice of the URL.
fn plain_segment<'u>(read: &ReadUrl<'u>) -> Option<&'u str> {
    match read {
        ReadUrl::Plain(p) => plain_last_segment(p.path),
        ReadUrl::Parsed(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::UncitedBibliographyEntry;
    use crate::rules::test_support::check_text;

    #[test]
    fn flags_an_entry_no_note_cites() {
        let text = "A.[1]\n\nBibliography\nLund, Sofia. 2009. Electric City. Stockholm: Ljus.\n\nMoe, Ana. “Harbour Cranes.” Port Review, May 6, 2021.\n\n[1] Ana Moe, “Harbour Cranes,” Port Review, May 6, 2021.\n";
        assert_eq!(
            check_text(&UncitedBibliographyEntry, text),
            vec!["4:1 bibliography entry Lund, “Electric City” is cited by no note"]
        );
    }
}
