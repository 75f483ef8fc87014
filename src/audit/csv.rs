//! The audit as CSV for spreadsheets: a header row, then one row per link occurrence.
//!
//! RFC 4180: fields holding a comma, a quote or a line break are quoted, quotes doubled,
//! rows end in CRLF. A text field from a document that starts with `=`, `+`, `-`, `@`, a tab
//! or a carriage return gets a leading `'`, so that a spreadsheet shows it instead of
//! evaluating it as a formula (a page may cite `=HYPERLINK(…)` as text).

use super::{Audit, AuditLink, AuditPost};

/// The columns, in order.
pub const CSV_HEADER: [&str; 11] = [
    "file", "post", "title", "date", "note", "line", "url", "outcome", "detail", "archive",
    "cached",
];

/// The audit as CSV: [`CSV_HEADER`], then one row per link in file, post and file order.
#[must_use]
pub fn render_csv(audit: &Audit) -> String {
    let mut out = String::new();
    push_row(&mut out, CSV_HEADER.iter().map(|h| Field::Plain(h)));
    for file in &audit.files {
        for post in &file.posts {
            for link in &post.links {
                push_link(&mut out, &file.path, post, link);
            }
        }
    }
    out
}

fn push_link(out: &mut String, path: &str, post: &AuditPost, link: &AuditLink) {
    let index = post.index.to_string();
    let line = link.line.to_string();
    let note = match &link.note {
        Some(label) => label.as_str(),
        None => link.place.name(),
    };
    push_row(
        out,
        [
            Field::Text(path),
            Field::Plain(&index),
            Field::Text(&post.title),
            Field::Plain(post.date.as_deref().unwrap_or("")),
            Field::Text(note),
            Field::Plain(&line),
            Field::Text(&link.url),
            Field::Plain(link.outcome.name()),
            Field::Text(&link.detail),
            Field::Text(link.archive.as_deref().unwrap_or("")),
            Field::Plain(if link.cached { "yes" } else { "no" }),
        ],
    );
}

/// A field's value: our own words, or text from a document (guarded against formulas).
enum Field<'a> {
    Plain(&'a str),
    Text(&'a str),
}

fn push_row<'a>(out: &mut String, fields: impl IntoIterator<Item = Field<'a>>) {
    for (i, field) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let (value, guard) = match field {
            Field::Plain(v) => (v, false),
            Field::Text(v) => (v, v.starts_with(['=', '+', '-', '@', '\t', '\r'])),
        };
        let quote = guard || value.contains([',', '"', '\n', '\r']);
        if quote {
            out.push('"');
        }
        if guard {
            out.push('\'');
        }
        for c in value.chars() {
            if c == '"' {
                out.push('"');
            }
            out.push(c);
        }
        if quote {
            out.push('"');
        }
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{AuditFile, Outcome, Place};

    fn audit(link: AuditLink) -> Audit {
        Audit {
            files: vec![AuditFile {
                path: "posts/a,b.txt".into(),
                posts: vec![AuditPost {
                    index: 1,
                    title: "He said \"hi\"\nthen left".into(),
                    date: Some("2025-03-04".into()),
                    year: Some(2025),
                    start_line: 1,
                    links: vec![link],
                }],
            }],
        }
    }

    fn link() -> AuditLink {
        AuditLink {
            url: "https://a.example/x?a=1,2".into(),
            note: Some("3".into()),
            place: Place::Note,
            context: String::new(),
            line: 7,
            outcome: Outcome::Dead,
            detail: "404 Not Found".into(),
            archive: Some("https://web.archive.org/web/1/x".into()),
            cached: true,
        }
    }

    #[test]
    fn fields_are_quoted_as_rfc_4180_says() {
        let csv = render_csv(&audit(link()));
        let mut rows = csv.split("\r\n");
        assert_eq!(
            rows.next(),
            Some("file,post,title,date,note,line,url,outcome,detail,archive,cached")
        );
        assert_eq!(
            rows.next(),
            Some("\"posts/a,b.txt\",1,\"He said \"\"hi\"\"\nthen left\",2025-03-04,3,7,\"https://a.example/x?a=1,2\",dead,404 Not Found,https://web.archive.org/web/1/x,yes")
        );
        assert_eq!(rows.next(), Some(""));
        assert_eq!(rows.next(), None);
    }

    #[test]
    fn document_text_that_looks_like_a_formula_is_defused() {
        let mut l = link();
        l.url = "=HYPERLINK(\"https://evil.example\")".into();
        l.note = None;
        l.place = Place::Bibliography;
        let csv = render_csv(&audit(l));
        assert!(csv.contains(",bibliography,7,\"'=HYPERLINK(\"\"https://evil.example\"\")\",dead,"));
    }
}
