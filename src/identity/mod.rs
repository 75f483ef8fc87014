//! Identity: whether two citations name the same URL or the same work.
//!
//! Every comparison of URLs or titles in notelint goes through this module, so that the
//! rules, the resolution of citations and the bibliography cross-check agree on what "the
//! same page" and "the same title" mean. [`UrlKey`] reduces a URL to what tells pages apart;
//! [`TitleKey`] reduces a title to its words; [`WorkKey`] puts both together for one citation.

mod titles;
mod urls;

pub use titles::{similarity as title_similarity, TitleKey, SAME_TITLE};
pub use urls::{absolute, is_tracking_param, url_key, UrlKey, TRACKING_PARAMS};
pub(crate) use urls::{find_ascii, Plain};

#[cfg(test)]
pub(crate) use urls::tests::awkward_urls;

use crate::model::CitationFields;

/// Whether two citations name the same work: the same title (or one the start of the other,
/// as a shortened subtitle, see [`TitleKey::same_or_subtitled`]), or, when either lacks a
/// title, a shared URL.
#[must_use]
pub fn same_work(a: &CitationFields, b: &CitationFields) -> bool {
    WorkKey::of(a).same_work(&WorkKey::of(b))
}

/// What identifies a citation's work, normalised once so that comparing many citations does
/// not normalise the same title again for every pair.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkKey {
    title: Option<TitleKey>,
    urls: Vec<UrlKey>,
}

impl WorkKey {
    #[must_use]
    pub fn of(fields: &CitationFields) -> Self {
        Self {
            title: fields.title.as_deref().map(TitleKey::new),
            urls: fields.urls.iter().filter_map(|u| url_key(u)).collect(),
        }
    }

    /// The title's key, if the citation has a title, and the keys of its URLs.
    #[must_use]
    pub fn into_parts(self) -> (Option<TitleKey>, Vec<UrlKey>) {
        (self.title, self.urls)
    }

    /// The title's words joined by single spaces, if the citation has a title.
    #[must_use]
    pub fn title(&self) -> Option<&str> {
        self.title.as_ref().map(|t| t.joined.as_str())
    }

    /// The keys of the citation's URLs (those that are URLs with a host).
    #[must_use]
    pub fn urls(&self) -> &[UrlKey] {
        &self.urls
    }

    /// See [`same_work`].
    #[must_use]
    pub fn same_work(&self, other: &Self) -> bool {
        match (&self.title, &other.title) {
            (Some(x), Some(y)) => x.same_or_subtitled(y),
            _ => self.urls.iter().any(|u| other.urls.contains(u)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(title: Option<&str>, urls: &[&str]) -> CitationFields {
        CitationFields {
            title: title.map(str::to_string),
            urls: urls.iter().map(|u| (*u).to_string()).collect(),
            ..CitationFields::default()
        }
    }

    #[test]
    fn titles_decide_when_both_have_one() {
        let a = fields(Some("Harbour Cranes of the North"), &["https://a.org/x"]);
        let b = fields(Some("Harbour Cranes of the North: A Study"), &[]);
        assert!(same_work(&a, &b));
        let c = fields(Some("2023 Harbour Report"), &["https://a.org/r"]);
        let d = fields(Some("2022 Harbour Report"), &["https://a.org/r"]);
        assert!(!same_work(&c, &d));
    }

    #[test]
    fn urls_decide_when_a_title_is_missing() {
        let a = fields(None, &["https://www.a.org/x/?utm_source=tw#top"]);
        let b = fields(Some("Cranes"), &["http://a.org/x"]);
        assert!(same_work(&a, &b));
        let c = fields(None, &["https://a.org/y"]);
        assert!(!same_work(&c, &b));
        assert!(!same_work(&fields(None, &[]), &fields(None, &[])));
    }
}
