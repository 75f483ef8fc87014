//! URLs in prose: where each starts and ends, shared by every parser.

use crate::model::{MappedText, Post, UrlOwner, UrlRef};

/// Fills `post.urls` from its notes, bibliography entries and body, in file order.
pub(crate) fn extract_post_urls(post: &mut Post) {
    let mut urls = Vec::new();
    for (i, note) in post.notes.iter().enumerate() {
        extract(&note.text, UrlOwner::Note(i), &mut urls);
    }
    for (i, entry) in post.bibliography.iter().enumerate() {
        extract(&entry.text, UrlOwner::Bibliography(i), &mut urls);
    }
    for (i, block) in post.body.iter().enumerate() {
        extract(block, UrlOwner::Body(i), &mut urls);
    }
    merge_links(post, &mut urls);
    urls.sort_by_key(|u| u.span.start);
    post.urls = urls;
}

/// Takes the URL of each link from its destination, in place of what the prose of the link
/// text gives: markup says where a link goes, whatever its visible text reads.
fn merge_links(post: &Post, urls: &mut Vec<UrlRef>) {
    if post.links.is_empty() {
        return;
    }
    urls.retain(|u| !post.links.iter().any(|l| l.element.contains(u.span)));
    for link in &post.links {
        let at = link.element.start;
        let owner = if let Some(i) = post
            .notes
            .iter()
            .position(|n| n.span.start <= at && at < n.span.end.max(n.span.start + 1))
        {
            UrlOwner::Note(i)
        } else if let Some(i) = post
            .bibliography
            .iter()
            .position(|b| b.span.start <= at && at < b.span.end.max(b.span.start + 1))
        {
            UrlOwner::Bibliography(i)
        } else if let Some(i) = post.body.iter().position(|b| {
            let s = b.full_span();
            s.start <= at && at < s.end
        }) {
            UrlOwner::Body(i)
        } else {
            continue;
        };
        urls.push(UrlRef {
            url: link.url.clone(),
            span: link.span,
            owner,
        });
    }
}

/// Appends the URLs found in `text`.
pub(crate) fn extract(text: &MappedText, owner: UrlOwner, out: &mut Vec<UrlRef>) {
    let s = text.text.as_str();
    let mut from = 0;
    while let Some(start) = next_start(s, from) {
        let len = s[start..]
            .find(char::is_whitespace)
            .unwrap_or(s.len() - start);
        let end = start + trim_trailing(&s[start..start + len]);
        if end > start {
            out.push(UrlRef {
                url: s[start..end].to_string(),
                span: text.span(start, end),
                owner,
            });
        }
        from = start + len.max(1);
    }
}

fn next_start(s: &str, from: usize) -> Option<usize> {
    let rest = s.get(from..)?;
    ["https://", "http://", "www."]
        .iter()
        .filter_map(|p| rest.find(p))
        .min()
        .map(|i| from + i)
}

/// The length of `url` without trailing punctuation that belongs to the prose.
fn trim_trailing(url: &str) -> usize {
    let mut end = url.len();
    while let Some(c) = url[..end].chars().next_back() {
        let unbalanced_close =
            c == ')' && url[..end].matches('(').count() < url[..end].matches(')').count();
        if ".,;:!?\"'”’»".contains(c) || unbalanced_close {
            end -= c.len_utf8();
        } else {
            break;
        }
    }
    end
}
