use super::{declare_rule, url_finding, Context, Rule, RuleInfo};
use crate::diagnostic::{Edit, Finding, Fix};
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Flags a URL broken in two by a space or a line break, where the text after the break
    /// plainly continues the URL's path (it holds a path of its own, or completes a path
    /// segment cut after `-` or `_`). An ordinary next word is never taken for part of a URL.
    ///
    /// ## Why is this bad?
    /// Copying a page from a PDF or a narrow column often splits long URLs. The link then
    /// stops at the break: a reader who follows it lands on a missing page, and a link checker
    /// tests the wrong address.
    ///
    /// ## Example
    /// ```text
    /// [8] Korea Future, 2019. https://www.koreafuture.org/wp- content/uploads/2019/05/report.pdf
    /// ```
    ///
    /// ## Use instead
    /// ```text
    /// [8] Korea Future, 2019. https://www.koreafuture.org/wp-content/uploads/2019/05/report.pdf
    /// ```
    pub struct UrlWhitespace {
        id: "url-whitespace",
        severity: Error,
        summary: "a URL broken by a space or line break; the help gives the joined URL",
    }
}

impl Rule for UrlWhitespace {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        // One finding per distinct broken URL of the post, naming its other places: a URL
        // pasted broken five times is one fault to fix five times, not five faults.
        let mut places: Vec<(&str, Vec<usize>)> = Vec::new();
        for url in cx.post.urls.iter().filter(|u| !u.breaks.is_empty()) {
            let line = cx.source.line_of(url.span.start);
            match places.iter_mut().find(|(u, _)| *u == url.url) {
                Some((_, lines)) => lines.push(line),
                None => places.push((&url.url, Vec::new())),
            }
        }
        let mut reported: Vec<&str> = Vec::new();
        for url in &cx.post.urls {
            let Some(first) = url.breaks.first() else {
                continue;
            };
            if reported.contains(&url.url.as_str()) {
                continue;
            }
            reported.push(&url.url);
            let also = places
                .iter()
                .find(|(u, _)| *u == url.url)
                .map_or_else(String::new, |(_, lines)| super::also_on_lines(lines));
            let breaks = url.breaks.len();
            let where_ = if cx
                .source
                .text
                .get(first.range())
                .is_some_and(|b| b.contains('\n'))
            {
                "a line break"
            } else {
                "a space"
            };
            let message = if breaks == 1 {
                format!("URL broken by {where_}{also}")
            } else {
                format!("URL broken by white space in {breaks} places{also}")
            };
            let encoded = with_spaces_encoded(cx.source.text.as_str(), url);
            let fix = join_everywhere(cx, &url.url, encoded.is_none());
            let help = match encoded {
                Some(encoded) => format!(
                    "join the URL: {}\nor, if the space is part of the file name, encode it: {encoded}",
                    url.url
                ),
                None => format!("join the URL: {}", url.url),
            };
            out.push(
                url_finding(cx.post, url, message)
                    .label("the URL continues after the break")
                    .help(help)
                    .fix(fix),
            );
        }
    }
}

/// The fix of a broken URL: its breaks removed at every place of the post it is written
/// broken (the places the message names), each place only when the joined text is the URL
/// the help names. Unsafe when a space may belong to a file name (the help then offers `%20`).
fn join_everywhere(cx: &Context<'_>, joined: &str, safe: bool) -> Fix {
    let text = cx.source.text.as_str();
    let mut edits = Vec::new();
    for url in cx.post.urls.iter().filter(|u| u.url == joined) {
        if url.breaks.is_empty() || joined_text(text, url).as_deref() != Some(joined) {
            continue;
        }
        edits.extend(url.breaks.iter().map(|b| Edit::new(*b, "")));
        edits.extend(shown_copy_breaks(cx, url, &edits));
    }
    if safe {
        Fix::safe(edits)
    } else {
        Fix::unsafe_(edits)
    }
}

/// The breaks of the copy of a link's broken destination that the link shows as its text
/// (`<a href="https://a.org/ x">https://a.org/ x</a>`): joined with the destination, so that
/// the reader does not keep seeing a broken URL. Only a copy written exactly as the
/// destination, and none already among `taken`.
fn shown_copy_breaks(cx: &Context<'_>, url: &crate::model::UrlRef, taken: &[Edit]) -> Vec<Edit> {
    let text = cx.source.text.as_str();
    let Some(written) = text.get(url.span.range()) else {
        return Vec::new();
    };
    let Some(link) = cx
        .post
        .links
        .iter()
        .find(|l| l.span.start <= url.span.start && url.span.end <= l.span.end)
    else {
        return Vec::new();
    };
    let Some(shown) = text.get(link.span.end..link.element.end) else {
        return Vec::new();
    };
    let Some(at) = shown.find(written).map(|i| link.span.end + i) else {
        return Vec::new();
    };
    let shift = |b: &Span| {
        let start = b.start.checked_sub(url.span.start)? + at;
        let end = b.end.checked_sub(url.span.start)? + at;
        Some(Edit::new(Span::new(start, end), ""))
    };
    let Some(copies) = url.breaks.iter().map(shift).collect::<Option<Vec<Edit>>>() else {
        return Vec::new();
    };
    let overlaps = copies.iter().any(|c| {
        taken
            .iter()
            .any(|t| t.span.start < c.span.end && c.span.start < t.span.end)
    });
    if overlaps {
        Vec::new()
    } else {
        copies
    }
}

/// The URL as written with its breaks removed; `None` when a break lies outside it.
fn joined_text(text: &str, url: &crate::model::UrlRef) -> Option<String> {
    let mut out = String::new();
    let mut at = url.span.start;
    for b in &url.breaks {
        out.push_str(text.get(at..b.start)?);
        at = b.end;
    }
    out.push_str(text.get(at..url.span.end)?);
    Some(out)
}

/// The URL with its breaks written as `%20`, when a break is a single space inside a file
/// name (`…/1960/annual report.pdf`): the name may really hold a space, which a URL must
/// encode. `None` for breaks at a `/`, a hyphen or a line end, which only cut the URL.
fn with_spaces_encoded(text: &str, url: &crate::model::UrlRef) -> Option<String> {
    let inside_a_name = url.breaks.iter().any(|b| {
        let before = text.get(..b.start).and_then(|t| t.chars().next_back());
        text.get(b.range()) == Some(" ")
            && before.is_some_and(|c| c.is_alphanumeric())
            && text
                .get(b.end..url.span.end)
                .is_some_and(|rest| !rest.split(' ').next().unwrap_or("").contains('/'))
    });
    if !inside_a_name {
        return None;
    }
    let mut out = String::new();
    let mut at = url.span.start;
    for b in &url.breaks {
        out.push_str(text.get(at..b.start)?);
        out.push_str(if text.get(b.range()) == Some(" ") {
            "%20"
        } else {
            ""
        });
        at = b.end;
    }
    out.push_str(text.get(at..url.span.end)?);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::UrlWhitespace;
    use crate::rules::test_support::check_text;

    #[test]
    fn flags_a_url_split_inside_its_path() {
        let found = check_text(
            &UrlWhitespace,
            "A.[1]\n\n[1] Report, 2019. https://a.org/wp- content/uploads/x.pdf\n",
        );
        assert_eq!(found, vec!["3:19 URL broken by a space"]);
    }

    #[test]
    fn flags_a_url_split_across_lines() {
        let found = check_text(
            &UrlWhitespace,
            "A.[1]\n\n[1] Report, 2019. https://a.org/files/\n  content/uploads/x.pdf\n",
        );
        assert_eq!(found, vec!["3:19 URL broken by a line break"]);
    }

    #[test]
    fn one_url_broken_in_several_notes_is_one_finding() {
        let text = "A.[1] B.[2] C.[3]\n\n[1] R, https://a.org/wp- content/x.pdf\n[2] R, https://a.org/wp- content/x.pdf\n[3] R, https://a.org/wp-\ncontent/x.pdf\n";
        assert_eq!(
            check_text(&UrlWhitespace, text),
            vec!["3:8 URL broken by a space (the same on lines 4 and 5)"]
        );
    }

    #[test]
    fn a_space_inside_a_file_name_is_offered_encoded() {
        let text = "A.[1]\n\n[1] Report, https://a.org/1960/annual report.pdf\n";
        let found = crate::rules::test_support::check_text_with_links(&UrlWhitespace, text, &[]);
        assert_eq!(found.len(), 1);
        let help = &found[0];
        assert!(
            help.contains("join the URL: https://a.org/1960/annualreport.pdf"),
            "{help}"
        );
        assert!(
            help.contains("encode it: https://a.org/1960/annual%20report.pdf"),
            "{help}"
        );
    }

    #[test]
    fn passes_a_url_followed_by_a_word() {
        let text = "A.[1]\n\n[1] Report, https://a.org/x and/or https://a.org/y- and\n";
        assert_eq!(check_text(&UrlWhitespace, text).len(), 1);
        let text = "A.[1]\n\n[1] Report, https://a.org/x and more, https://a.org/y/ here.\n";
        assert!(check_text(&UrlWhitespace, text).is_empty());
    }
}
