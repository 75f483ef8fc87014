//! The archivist's audit report, built from documents parsed by the library with hand-made
//! link results, rendered as HTML and CSV and read back: the counts, one row per post, the
//! charts, and nothing loaded from outside the page.
//!
//! Set `NOTELINT_AUDIT_SAMPLE=/path/report.html` to keep the rendered sample (for
//! `scripts/check-audit-report.sh` or a look in a browser).

use std::collections::{BTreeMap, HashMap, HashSet};

use html5gum::{Token, Tokenizer};
use notelint::audit::{render_csv, render_html, Audit, AuditFile, Counts, Outcome};
use notelint::links::{LinkResults, LinkStatus, SkipReason};
use notelint::parse::Format;
use notelint::source::SourceFile;

const BLOG: &str = "\
Why the Archive Matters
March 4, 2019

A claim.[1] Another.[2] Third.[3]

[1] Smith, \"Report,\" https://dead.example/report.pdf.
[2] See https://alive.example/a and https://moved.example/old.
[3] Internal http://10.0.0.5/wiki and https://excluded.example/x

A second post, about <script>alert(1)</script> & \"quotes\"
2021-06-30

Claim.[1] Claim.[2]

[1] Again https://dead.example/report.pdf
[2] Flaky https://flaky.example/\"><script>alert(2)</script> and https://unchecked.example/
";

const NOTES: &str = "\
---
title: \"Field notes <b>bold</b>\"
date: 2023-11-02
---

# Heading

Claim.[^a] Claim.[^b]

[^a]: Cited https://gone.example/page.
[^b]: Fine https://alive.example/a.
";

fn results() -> LinkResults {
    let mut r = HashMap::new();
    let mut put = |url: &str, status: LinkStatus| {
        r.insert(url.to_string(), status);
    };
    put(
        "https://dead.example/report.pdf",
        LinkStatus::Dead {
            reason: "404 Not Found".into(),
            archive: None,
        },
    );
    put("https://alive.example/a", LinkStatus::Ok);
    put(
        "https://moved.example/old",
        LinkStatus::Redirected {
            to: "https://moved.example/new".into(),
            code: 301,
        },
    );
    put(
        "http://10.0.0.5/wiki",
        LinkStatus::Skipped {
            reason: SkipReason::Private,
        },
    );
    put(
        "https://excluded.example/x",
        LinkStatus::Skipped {
            reason: SkipReason::Excluded,
        },
    );
    put(
        "https://gone.example/page",
        LinkStatus::Dead {
            reason: "410 Gone".into(),
            archive: Some("https://web.archive.org/web/2020/https://gone.example/page".into()),
        },
    );
    r
}

/// Every URL the documents cite that is not in [`results`] gets an error, except the one
/// left unchecked on purpose.
fn audit() -> Audit {
    let mut results = results();
    let cached: HashSet<String> = ["https://alive.example/a".to_string()].into();
    let files = [
        ("blog/archive.txt", BLOG, Format::Text),
        ("notes.md", NOTES, Format::Markdown),
    ];
    let parsed: Vec<_> = files
        .iter()
        .map(|(path, text, format)| {
            let source = SourceFile::new(*path, *text);
            let document = notelint::analyse::parse(&source, *format);
            (path, source, document)
        })
        .collect();
    for (_, _, document) in &parsed {
        for u in document.posts.iter().flat_map(|p| &p.urls) {
            if !results.contains_key(&u.url) && !u.url.contains("unchecked") {
                results.insert(
                    u.url.clone(),
                    LinkStatus::Error {
                        reason: "503 Service Unavailable".into(),
                    },
                );
            }
        }
    }
    Audit {
        files: parsed
            .iter()
            .map(|(path, source, document)| {
                AuditFile::build(path, source, document, &results, &cached)
            })
            .collect(),
    }
}

#[derive(Debug, Default)]
struct Table {
    head: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn column(&self, name: &str) -> usize {
        self.head
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name} in {:?}", self.head))
    }

    fn count(&self, row: usize, name: &str) -> usize {
        self.rows[row][self.column(name)].parse().unwrap()
    }
}

/// What the tests read from a page: its tables by id, every start tag with its attributes,
/// and the text of the whole page.
#[derive(Debug, Default)]
struct Page {
    tables: BTreeMap<String, Table>,
    tags: Vec<(String, BTreeMap<String, String>)>,
}

fn read_page(html: &str) -> Page {
    let mut page = Page::default();
    let mut table: Option<(String, Table)> = None;
    let mut in_head = false;
    let mut cell: Option<String> = None;
    for token in Tokenizer::new(html).flatten() {
        match token {
            Token::StartTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).into_owned();
                let attrs: BTreeMap<String, String> = tag
                    .attributes
                    .iter()
                    .map(|(k, v)| {
                        (
                            String::from_utf8_lossy(k).into_owned(),
                            String::from_utf8_lossy(&v.value).into_owned(),
                        )
                    })
                    .collect();
                match name.as_str() {
                    "table" => {
                        let id = attrs.get("id").cloned().unwrap_or_default();
                        table = Some((id, Table::default()));
                    }
                    "thead" => in_head = true,
                    "tbody" => in_head = false,
                    "tr" if !in_head => {
                        if let Some((_, t)) = &mut table {
                            t.rows.push(Vec::new());
                        }
                    }
                    "td" | "th" => cell = Some(String::new()),
                    _ => {}
                }
                page.tags.push((name, attrs));
            }
            Token::EndTag(tag) => match &tag.name[..] {
                b"td" | b"th" => {
                    if let (Some(text), Some((_, t))) = (cell.take(), &mut table) {
                        let text = text.trim().to_string();
                        if in_head {
                            t.head.push(text);
                        } else if let Some(row) = t.rows.last_mut() {
                            row.push(text);
                        }
                    }
                }
                b"table" => {
                    if let Some((id, t)) = table.take() {
                        page.tables.insert(id, t);
                    }
                }
                _ => {}
            },
            Token::String(s) => {
                if let Some(c) = &mut cell {
                    c.push_str(&String::from_utf8_lossy(&s.value));
                }
            }
            _ => {}
        }
    }
    page
}

fn counts_row(t: &Table, row: usize) -> Counts {
    Counts {
        cited: t.count(row, "Cited"),
        checked: t.count(row, "Checked"),
        alive: t.count(row, "Alive"),
        redirected: t.count(row, "Redirected"),
        dead: t.count(row, "Dead"),
        errors: t.count(row, "Errors"),
        skipped: t.count(row, "Skipped"),
        private: t.count(row, "Private"),
        excluded: t.count(row, "Excluded"),
        cached: t.count(row, "From cache"),
    }
}

#[test]
fn the_model_counts_each_occurrence_per_post() {
    let audit = audit();
    let blog = &audit.files[0];
    assert_eq!(blog.posts.len(), 2);
    let first = &blog.posts[0];
    assert_eq!(first.title, "Why the Archive Matters");
    assert_eq!(first.date.as_deref(), Some("2019-03-04"));
    let c = first.counts();
    assert_eq!(
        (
            c.cited,
            c.dead,
            c.alive,
            c.redirected,
            c.private,
            c.excluded,
            c.cached
        ),
        (5, 1, 1, 1, 1, 1, 1)
    );
    let second = &blog.posts[1];
    assert_eq!(second.year, Some(2021));
    // Tags are markup, stripped from titles; the note's text keeps them (and the report
    // escapes them).
    assert_eq!(second.title, "A second post, about alert(1) & \"quotes\"");
    assert!(second
        .links
        .iter()
        .any(|l| l.context.contains("<script>alert(2)</script>")));
    // The dead report is cited in both posts: it counts in both.
    assert_eq!(second.counts().dead, 1);
    assert!(second
        .links
        .iter()
        .any(|l| l.outcome == Outcome::NotChecked));
    let notes = &audit.files[1].posts[0];
    assert_eq!(notes.title, "Field notes bold");
    assert_eq!(notes.year, Some(2023));
    let gone = &notes.links[0];
    assert_eq!(gone.note.as_deref(), Some("a"));
    assert_eq!(
        gone.archive.as_deref(),
        Some("https://web.archive.org/web/2020/https://gone.example/page")
    );
    let total = audit.counts();
    assert_eq!(total.cited, total.checked + total.skipped);
    assert_eq!(audit.distinct_counts().dead, 2);
    assert_eq!(total.dead, 3);
}

#[test]
fn the_html_report_shows_the_counts_one_row_per_post() {
    let audit = audit();
    let html = render_html(&audit, "Link audit <test>");
    if let Some(path) = std::env::var_os("NOTELINT_AUDIT_SAMPLE") {
        std::fs::write(path, &html).unwrap();
    }
    let page = read_page(&html);

    let totals = &page.tables["totals"];
    assert_eq!(totals.rows.len(), 1);
    assert_eq!(counts_row(totals, 0), audit.counts());
    assert!(html.contains(&audit.counts().summary_line()));

    let posts = &page.tables["posts"];
    let all_posts: Vec<_> = audit
        .files
        .iter()
        .flat_map(|f| f.posts.iter().map(move |p| (f, p)))
        .collect();
    assert_eq!(posts.rows.len(), all_posts.len());
    for (row, (file, post)) in all_posts.iter().enumerate() {
        assert_eq!(posts.rows[row][posts.column("File")], file.path);
        assert_eq!(
            posts.rows[row][posts.column("Post")],
            post.index.to_string()
        );
        assert_eq!(posts.rows[row][posts.column("Title")], post.title);
        assert_eq!(counts_row(posts, row), post.counts());
    }
    assert_eq!(posts.rows[0][posts.column("Date")], "2019-03-04");

    let files = &page.tables["files"];
    assert_eq!(files.rows.len(), 2);
    assert_eq!(counts_row(files, 1), audit.files[1].counts());

    // One row per dead or failing citation, with its note, status and archived copy.
    let failing = &page.tables["failing"];
    let total = audit.counts();
    assert_eq!(failing.rows.len(), total.dead + total.errors);
    let gone = failing
        .rows
        .iter()
        .find(|r| r[failing.column("URL")] == "https://gone.example/page")
        .unwrap();
    assert_eq!(gone[failing.column("Cited in")], "note a");
    assert_eq!(gone[failing.column("Status")], "410 Gone");
    assert_eq!(
        gone[failing.column("Archived copy")],
        "https://web.archive.org/web/2020/https://gone.example/page"
    );
    assert_eq!(page.tables["redirected"].rows.len(), 1);

    let has = |id: &str| {
        page.tags
            .iter()
            .any(|(n, a)| n == "svg" && a.get("id").map(String::as_str) == Some(id))
    };
    assert!(has("chart-posts") && has("chart-years"));
    assert_eq!(
        page.tags
            .iter()
            .filter(|(n, _)| n == "g")
            .filter(|(_, a)| a.get("class").map(String::as_str) == Some("year"))
            .count(),
        3,
        "one bar per year: 2019, 2021, 2023"
    );
}

#[test]
fn the_html_report_loads_nothing_from_elsewhere() {
    let audit = audit();
    let html = render_html(&audit, "r");
    let page = read_page(&html);
    let reported: HashSet<String> = audit
        .links()
        .flat_map(|l| std::iter::once(l.url.clone()).chain(l.archive.clone()))
        .collect();
    let mut anchors = 0;
    for (name, attrs) in &page.tags {
        assert!(
            !matches!(
                name.as_str(),
                "link"
                    | "img"
                    | "iframe"
                    | "object"
                    | "embed"
                    | "audio"
                    | "video"
                    | "source"
                    | "base"
                    | "form"
            ),
            "<{name}> in the report"
        );
        assert!(!attrs.contains_key("src"), "<{name} src> in the report");
        if let Some(href) = attrs.get("href") {
            assert_eq!(name, "a", "href on <{name}>");
            assert!(
                reported.contains(href),
                "link to {href}, which is not reported"
            );
            anchors += 1;
        }
        assert!(
            !attrs.keys().any(|k| k.starts_with("on")),
            "event handler attribute on <{name}>"
        );
    }
    assert!(anchors > 0);
    assert_eq!(
        page.tags.iter().filter(|(n, _)| n == "script").count(),
        1,
        "only the report's own script: document text is escaped"
    );
    assert!(!html.contains("url("), "no CSS resource");
    assert!(!html.contains("@import"));
    assert!(html.contains("Content-Security-Policy"));
}

/// A small RFC 4180 reader: quoted fields, doubled quotes, CRLF rows.
fn read_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') if chars.peek() == Some(&'\n') => {
                chars.next();
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    assert!(
        field.is_empty() && row.is_empty(),
        "the last row ends in CRLF"
    );
    rows
}

#[test]
fn the_csv_report_has_one_row_per_link() {
    let audit = audit();
    let rows = read_csv(&render_csv(&audit));
    assert_eq!(
        rows[0],
        [
            "file", "post", "title", "date", "note", "line", "url", "outcome", "detail", "archive",
            "cached"
        ]
    );
    let body = &rows[1..];
    assert_eq!(body.len(), audit.counts().cited);
    assert!(body.iter().all(|r| r.len() == 11));
    for file in &audit.files {
        for post in &file.posts {
            let mine: Vec<_> = body
                .iter()
                .filter(|r| r[0] == file.path && r[1] == post.index.to_string())
                .collect();
            assert_eq!(mine.len(), post.links.len());
            assert!(mine.iter().all(|r| r[2] == post.title));
            let dead = mine.iter().filter(|r| r[7] == "dead").count();
            assert_eq!(dead, post.counts().dead);
        }
    }
    let gone = body
        .iter()
        .find(|r| r[6] == "https://gone.example/page")
        .unwrap();
    assert_eq!(
        (
            gone[3].as_str(),
            gone[4].as_str(),
            gone[8].as_str(),
            gone[9].as_str()
        ),
        (
            "2023-11-02",
            "a",
            "410 Gone",
            "https://web.archive.org/web/2020/https://gone.example/page"
        )
    );
    let cached: Vec<_> = body.iter().filter(|r| r[10] == "yes").collect();
    assert_eq!(cached.len(), audit.counts().cached);
}
