//! The audit as one self-contained HTML page.
//!
//! Everything the page needs is inside it: an inline style sheet, inline SVG charts and a
//! small inline script that sorts the tables when a column heading is clicked. A
//! Content-Security-Policy forbids loading anything else, so a browser opening the report
//! from disk or from an archive's file server fetches nothing. Without the script the tables
//! keep file order and the page reads the same.
//!
//! Every string that comes from a document (paths, titles, URLs, note labels and text, the
//! checker's reasons) is escaped; reported URLs become links only when they are http(s), so a
//! cited `javascript:` URL is shown as text and never made clickable.
//!
//! Linear in the number of links: each link is written at most twice (the failing or
//! redirected table, and its post's counts), and the charts draw at most [`MAX_BARS`] posts.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::build::shorten;
use super::{Audit, AuditFile, AuditLink, AuditPost, Counts, Outcome};

/// The posts drawn in the chart of dead links by post (the worst ones).
pub const MAX_BARS: usize = 40;

/// One count column of the totals, files and posts tables: heading and value.
type CountColumn = (&'static str, fn(&Counts) -> usize);

/// The count columns, in order.
const COUNT_COLUMNS: [CountColumn; 10] = [
    ("Cited", |c| c.cited),
    ("Checked", |c| c.checked),
    ("Alive", |c| c.alive),
    ("Redirected", |c| c.redirected),
    ("Dead", |c| c.dead),
    ("Errors", |c| c.errors),
    ("Skipped", |c| c.skipped),
    ("Private", |c| c.private),
    ("Excluded", |c| c.excluded),
    ("From cache", |c| c.cached),
];

const STYLE: &str = r#"
:root { color-scheme: light dark; --dead: #c62828; --error: #ef6c00; --ok: #2e7d32; --redir: #1565c0; --muted: #777; --line: #8884; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 1.5rem auto; max-width: 78rem; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin-bottom: .25rem; }
h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid var(--line); }
.summary { font-size: 1.05rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; font-size: 13px; }
th, td { border-bottom: 1px solid var(--line); padding: .25rem .45rem; text-align: left; vertical-align: top; }
th { position: sticky; top: 0; background: Canvas; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.scroll { overflow-x: auto; }
td.url { word-break: break-all; min-width: 14rem; }
td.title { min-width: 10rem; }
td.date { white-space: nowrap; }
td.context { color: var(--muted); min-width: 14rem; max-width: 24rem; }
.sorting th { cursor: pointer; user-select: none; }
.sorting th[aria-sort="ascending"]::after { content: " ▲"; }
.sorting th[aria-sort="descending"]::after { content: " ▼"; }
.o-dead { color: var(--dead); font-weight: 600; }
.o-error { color: var(--error); font-weight: 600; }
.o-redirected { color: var(--redir); }
.o-alive { color: var(--ok); }
.zero { color: var(--muted); }
svg { max-width: 100%; height: auto; font: 12px system-ui, sans-serif; }
svg text { fill: currentColor; }
.bar-dead { fill: var(--dead); }
.bar-error { fill: var(--error); }
.hint, .muted { color: var(--muted); }
"#;

/// Sorts a table when a heading is clicked (or Enter/Space on it): numbers by value, the rest
/// by text; a cell's `data-sort` overrides its text. Marks the page with `data-sortable` once
/// set up, so a headless check can tell the script ran.
const SCRIPT: &str = r#"
(function () {
  "use strict";
  function key(cell) {
    var v = cell.getAttribute("data-sort");
    return v === null ? cell.textContent.trim() : v;
  }
  function sortBy(table, col, th) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var asc = th.getAttribute("aria-sort") !== "ascending";
    var numeric = th.getAttribute("data-type") === "num";
    rows.sort(function (a, b) {
      var x = key(a.cells[col]), y = key(b.cells[col]);
      var c = numeric ? (parseFloat(x) || 0) - (parseFloat(y) || 0)
                      : x.localeCompare(y, undefined, { numeric: true, sensitivity: "base" });
      return asc ? c : -c;
    });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
    var frag = document.createDocumentFragment();
    rows.forEach(function (r) { frag.appendChild(r); });
    body.appendChild(frag);
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    if (!table.tHead || !table.tBodies.length) { return; }
    table.classList.add("sorting");
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
      th.tabIndex = 0;
      th.title = "Sort by this column";
      th.addEventListener("click", function () { sortBy(table, col, th); });
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sortBy(table, col, th); }
      });
    });
  });
  var hint = document.getElementById("sort-hint");
  if (hint) { hint.hidden = false; }
  document.documentElement.setAttribute("data-sortable", "ready");
})();
"#;

/// The audit as a self-contained HTML page titled `title` (escaped; put a date in it for a
/// dated report). The same audit always gives the same bytes.
///
/// The page holds: the summary line; a totals table (`id="totals"`); the charts of dead and
/// failing links by post (`id="chart-posts"`) and by year (`id="chart-years"`, when posts
/// state dates); sortable tables of files (`id="files"`), posts (`id="posts"`, one row per
/// post), dead and failing links (`id="failing"`, with note, status and archived copy) and
/// redirected links (`id="redirected"`).
#[must_use]
pub fn render_html(audit: &Audit, title: &str) -> String {
    let mut out = String::with_capacity(4096 + 400 * audit.links().count());
    let totals = audit.counts();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n",
    );
    out.push_str("<meta name=\"referrer\" content=\"no-referrer\">\n");
    let _ = writeln!(out, "<title>{}</title>", esc(title));
    let _ = writeln!(out, "<style>{STYLE}</style>\n</head>\n<body>");
    let _ = writeln!(out, "<h1>{}</h1>", esc(title));
    let _ = writeln!(
        out,
        "<p class=\"summary\" id=\"summary\">{}.</p>",
        esc(&totals.summary_line())
    );
    let posts: usize = audit.files.iter().map(|f| f.posts.len()).sum();
    let _ = writeln!(
        out,
        "<p class=\"muted\">{} in {}. Counts are of citations: a URL cited twice counts twice.</p>",
        plural(posts, "post", "posts"),
        plural(audit.files.len(), "file", "files"),
    );
    out.push_str("<p class=\"hint\" id=\"sort-hint\" hidden>Click a column heading to sort the table by it.</p>\n");

    out.push_str("<h2>Totals</h2>\n<div class=\"scroll\"><table id=\"totals\" class=\"counts\">\n<thead><tr>");
    count_headings(&mut out);
    out.push_str("</tr></thead>\n<tbody><tr>");
    count_cells(&mut out, &totals);
    out.push_str("</tr></tbody>\n</table></div>\n");

    out.push_str("<h2>Dead and failing links by post</h2>\n");
    chart_by_post(&mut out, audit);
    out.push_str("<h2>Dead and failing links by year</h2>\n");
    chart_by_year(&mut out, audit);

    files_table(&mut out, audit);
    posts_table(&mut out, audit);
    failing_table(&mut out, audit);
    redirected_table(&mut out, audit);

    let _ = writeln!(out, "<script>{SCRIPT}</script>\n</body>\n</html>");
    out
}

/// `s` escaped for HTML text and quoted attribute values alike.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The address a cited URL may be linked to: http(s) only (`www.` gains `https://`).
fn href(url: &str) -> Option<String> {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        Some(url.to_string())
    } else if lower.starts_with("www.") {
        Some(format!("https://{url}"))
    } else {
        None
    }
}

/// A URL as a link when it may be one, else as text.
fn url_cell(out: &mut String, url: &str) {
    match href(url) {
        Some(h) => {
            let _ = write!(
                out,
                "<a href=\"{}\" rel=\"noreferrer noopener\">{}</a>",
                esc(&h),
                esc(url)
            );
        }
        None => out.push_str(&esc(url)),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn count_headings(out: &mut String) {
    for (name, _) in COUNT_COLUMNS {
        let _ = write!(out, "<th class=\"num\" data-type=\"num\">{name}</th>");
    }
}

fn count_cells(out: &mut String, counts: &Counts) {
    for (name, value) in COUNT_COLUMNS {
        let n = value(counts);
        let class = match (name, n) {
            (_, 0) => "num zero",
            ("Dead", _) => "num o-dead",
            ("Errors", _) => "num o-error",
            _ => "num",
        };
        let _ = write!(out, "<td class=\"{class}\">{n}</td>");
    }
}

/// How a post is named in tables and charts: `path #2`.
fn post_ref(file: &AuditFile, post: &AuditPost) -> String {
    format!("{} #{}", file.path, post.index)
}

fn files_table(out: &mut String, audit: &Audit) {
    out.push_str("<h2>Files</h2>\n<div class=\"scroll\"><table id=\"files\" class=\"sortable\">\n<thead><tr><th>File</th><th class=\"num\" data-type=\"num\">Posts</th>");
    count_headings(out);
    out.push_str("</tr></thead>\n<tbody>\n");
    for file in &audit.files {
        let _ = write!(
            out,
            "<tr><td>{}</td><td class=\"num\">{}</td>",
            esc(&file.path),
            file.posts.len()
        );
        count_cells(out, &file.counts());
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table></div>\n");
}

fn posts_table(out: &mut String, audit: &Audit) {
    out.push_str(
        "<h2>Posts</h2>\n<div class=\"scroll\"><table id=\"posts\" class=\"sortable\">\n<thead><tr><th>File</th>\
         <th class=\"num\" data-type=\"num\">Post</th><th class=\"num\" data-type=\"num\">Line</th>\
         <th>Title</th><th>Date</th>",
    );
    count_headings(out);
    out.push_str("</tr></thead>\n<tbody>\n");
    for file in &audit.files {
        for post in &file.posts {
            let _ = write!(
                out,
                "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"title\">{}</td><td class=\"date\">{}</td>",
                esc(&file.path),
                post.index,
                post.start_line,
                esc(&post.title),
                esc(post.date.as_deref().unwrap_or("")),
            );
            count_cells(out, &post.counts());
            out.push_str("</tr>\n");
        }
    }
    out.push_str("</tbody>\n</table></div>\n");
}

/// Each link of the audit that `keep` selects, with its file and post.
fn links_where<'a>(
    audit: &'a Audit,
    keep: fn(&AuditLink) -> bool,
) -> impl Iterator<Item = (&'a AuditFile, &'a AuditPost, &'a AuditLink)> + 'a {
    audit.files.iter().flat_map(move |f| {
        f.posts.iter().flat_map(move |p| {
            p.links
                .iter()
                .filter(move |l| keep(l))
                .map(move |l| (f, p, l))
        })
    })
}

/// The note that cites a link: `note 12`, or where it stands.
fn cited_in(link: &AuditLink) -> String {
    match &link.note {
        Some(label) => format!("note {label}"),
        None => link.place.name().to_string(),
    }
}

fn failing_table(out: &mut String, audit: &Audit) {
    out.push_str("<h2>Dead and failing links</h2>\n");
    let mut rows = links_where(audit, |l| l.outcome.is_failing()).peekable();
    if rows.peek().is_none() {
        out.push_str("<p id=\"no-failing\">No dead or failing links.</p>\n");
        return;
    }
    out.push_str(
        "<div class=\"scroll\"><table id=\"failing\" class=\"sortable\">\n<thead><tr><th>File</th>\
         <th class=\"num\" data-type=\"num\">Post</th><th>Title</th><th>Cited in</th>\
         <th class=\"num\" data-type=\"num\">Line</th><th>URL</th><th>Outcome</th><th>Status</th>\
         <th>Archived copy</th><th>Context</th><th>Cache</th></tr></thead>\n<tbody>\n",
    );
    for (file, post, link) in rows {
        let _ = write!(
            out,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"title\">{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"url\">",
            esc(&file.path),
            post.index,
            esc(&post.title),
            esc(&cited_in(link)),
            link.line,
        );
        url_cell(out, &link.url);
        let _ = write!(
            out,
            "</td><td class=\"o-{}\">{}</td><td>{}</td><td class=\"url\">",
            link.outcome.name(),
            link.outcome.name(),
            esc(&link.detail)
        );
        if let Some(archive) = &link.archive {
            url_cell(out, archive);
        }
        let _ = writeln!(
            out,
            "</td><td class=\"context\">{}</td><td>{}</td></tr>",
            esc(&link.context),
            if link.cached { "yes" } else { "no" }
        );
    }
    out.push_str("</tbody>\n</table></div>\n");
}

fn redirected_table(out: &mut String, audit: &Audit) {
    let mut rows = links_where(audit, |l| l.outcome == Outcome::Redirected).peekable();
    if rows.peek().is_none() {
        return;
    }
    out.push_str(
        "<h2>Redirected links</h2>\n<div class=\"scroll\"><table id=\"redirected\" class=\"sortable\">\n<thead><tr>\
         <th>File</th><th class=\"num\" data-type=\"num\">Post</th><th>Cited in</th>\
         <th class=\"num\" data-type=\"num\">Line</th><th>URL</th><th>Redirect</th></tr></thead>\n<tbody>\n",
    );
    for (file, post, link) in rows {
        let _ = write!(
            out,
            "<tr><td>{}</td><td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"url\">",
            esc(&file.path),
            post.index,
            esc(&cited_in(link)),
            link.line,
        );
        url_cell(out, &link.url);
        let _ = writeln!(
            out,
            "</td><td class=\"url\">{}</td></tr>",
            esc(&link.detail)
        );
    }
    out.push_str("</tbody>\n</table></div>\n");
}

/// Horizontal bars, one per post with dead or failing links, worst first: dead in red,
/// errors in orange after them.
fn chart_by_post(out: &mut String, audit: &Audit) {
    let mut bars: Vec<(String, Counts)> = audit
        .files
        .iter()
        .flat_map(|f| f.posts.iter().map(move |p| (f, p)))
        .map(|(f, p)| (f, p, p.counts()))
        .filter(|(_, _, c)| c.dead + c.errors > 0)
        .map(|(f, p, c)| (format!("{} — {}", post_ref(f, p), p.title), c))
        .collect();
    if bars.is_empty() {
        out.push_str("<p id=\"chart-posts-empty\">No post cites a dead or failing link.</p>\n");
        return;
    }
    // Stable: posts with equal counts keep file order.
    bars.sort_by_key(|(_, c)| std::cmp::Reverse((c.dead, c.errors)));
    let more = bars.len().saturating_sub(MAX_BARS);
    bars.truncate(MAX_BARS);
    let max = bars
        .iter()
        .map(|(_, c)| c.dead + c.errors)
        .max()
        .unwrap_or(1)
        .max(1);
    let (label_w, bar_w, row_h, top) = (330.0, 380.0, 20.0, 26.0);
    let width = label_w + bar_w + 120.0;
    let height = top + row_h * bars.len() as f64 + 6.0;
    let _ = writeln!(
        out,
        "<svg id=\"chart-posts\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" \
         aria-label=\"Dead and failing links by post\" width=\"{width}\" height=\"{height}\" \
         viewBox=\"0 0 {width} {height}\">"
    );
    legend(out, label_w);
    for (i, (label, c)) in bars.iter().enumerate() {
        let y = top + row_h * i as f64;
        let scale = bar_w / max as f64;
        let dead_w = c.dead as f64 * scale;
        let err_w = c.errors as f64 * scale;
        let what = failing_words(c);
        let _ = writeln!(
            out,
            "<g class=\"bar\"><title>{}: {}</title>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\
             <rect class=\"bar-dead\" x=\"{label_w}\" y=\"{:.1}\" width=\"{dead_w:.1}\" height=\"{:.1}\"/>\
             <rect class=\"bar-error\" x=\"{:.1}\" y=\"{:.1}\" width=\"{err_w:.1}\" height=\"{:.1}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\">{}</text></g>",
            esc(label),
            esc(&what),
            label_w - 8.0,
            y + 14.0,
            esc(&shorten(label, 48)),
            y + 3.0,
            row_h - 6.0,
            label_w + dead_w,
            y + 3.0,
            row_h - 6.0,
            label_w + dead_w + err_w + 6.0,
            y + 14.0,
            esc(&what),
        );
    }
    out.push_str("</svg>\n");
    if more > 0 {
        let _ = writeln!(
            out,
            "<p class=\"muted\">{more} more {} with dead or failing links: see the posts table.</p>",
            if more == 1 { "post" } else { "posts" }
        );
    }
}

/// `3 dead, 1 error`.
fn failing_words(c: &Counts) -> String {
    let mut parts = Vec::new();
    if c.dead > 0 {
        parts.push(format!("{} dead", c.dead));
    }
    if c.errors > 0 {
        parts.push(plural(c.errors, "error", "errors"));
    }
    parts.join(", ")
}

fn legend(out: &mut String, x: f64) {
    let _ = writeln!(
        out,
        "<g class=\"legend\"><rect class=\"bar-dead\" x=\"{x}\" y=\"4\" width=\"12\" height=\"12\"/>\
         <text x=\"{:.1}\" y=\"14\">dead</text>\
         <rect class=\"bar-error\" x=\"{:.1}\" y=\"4\" width=\"12\" height=\"12\"/>\
         <text x=\"{:.1}\" y=\"14\">error</text></g>",
        x + 16.0,
        x + 60.0,
        x + 76.0
    );
}

/// Vertical bars, one per year a post states (years without dated posts left out), dead and
/// failing links stacked.
fn chart_by_year(out: &mut String, audit: &Audit) {
    let mut years: BTreeMap<i32, Counts> = BTreeMap::new();
    let mut undated = Counts::default();
    for post in audit.files.iter().flat_map(|f| &f.posts) {
        match post.year {
            Some(y) => *years.entry(y).or_default() += post.counts(),
            None => undated += post.counts(),
        }
    }
    if years.is_empty() {
        out.push_str("<p id=\"chart-years-empty\">No post states its date.</p>\n");
        return;
    }
    let max = years
        .values()
        .map(|c| c.dead + c.errors)
        .max()
        .unwrap_or(1)
        .max(1);
    let (left, col_w, plot_h, top) = (10.0, 46.0, 160.0, 26.0);
    let width = (left * 2.0 + col_w * years.len() as f64).max(160.0);
    let height = top + plot_h + 24.0;
    let _ = writeln!(
        out,
        "<svg id=\"chart-years\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" \
         aria-label=\"Dead and failing links by year\" width=\"{width}\" height=\"{height}\" \
         viewBox=\"0 0 {width} {height}\">"
    );
    legend(out, left);
    let base = top + plot_h;
    for (i, (year, c)) in years.iter().enumerate() {
        let x = left + col_w * i as f64;
        let scale = (plot_h - 16.0) / max as f64;
        let dead_h = c.dead as f64 * scale;
        let err_h = c.errors as f64 * scale;
        let _ = writeln!(
            out,
            "<g class=\"year\"><title>{year}: {} of {} cited</title>\
             <rect class=\"bar-dead\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{dead_h:.1}\"/>\
             <rect class=\"bar-error\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{err_h:.1}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{year}</text></g>",
            esc(&or_none(failing_words(c))),
            c.cited,
            x + 6.0,
            base - dead_h,
            col_w - 12.0,
            x + 6.0,
            base - dead_h - err_h,
            col_w - 12.0,
            x + col_w / 2.0,
            base - dead_h - err_h - 4.0,
            c.dead + c.errors,
            x + col_w / 2.0,
            base + 16.0,
        );
    }
    out.push_str("</svg>\n");
    if undated.dead + undated.errors > 0 {
        let _ = writeln!(
            out,
            "<p class=\"muted\">Not shown: {} in posts that state no date.</p>",
            esc(&failing_words(&undated))
        );
    }
}

/// The words of [`failing_words`], or that there is nothing failing.
fn or_none(words: String) -> String {
    if words.is_empty() {
        "no dead or failing links".to_string()
    } else {
        words
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::Place;

    fn audit_with(url: &str, context: &str, title: &str) -> Audit {
        Audit {
            files: vec![AuditFile {
                path: "a<b>.txt".into(),
                posts: vec![AuditPost {
                    index: 1,
                    title: title.into(),
                    date: Some("2021-05-06".into()),
                    year: Some(2021),
                    start_line: 1,
                    links: vec![AuditLink {
                        url: url.into(),
                        note: Some("1\"".into()),
                        place: Place::Note,
                        context: context.into(),
                        line: 3,
                        outcome: Outcome::Dead,
                        detail: "404 <Not Found>".into(),
                        archive: None,
                        cached: false,
                    }],
                }],
            }],
        }
    }

    #[test]
    fn document_text_is_escaped_everywhere() {
        let html = render_html(
            &audit_with(
                "https://x.example/\"><script>alert(1)</script>",
                "<script>alert('c')</script>",
                "<img src=x onerror=alert(2)>",
            ),
            "A <b>report</b>",
        );
        assert_eq!(html.matches("<script>").count(), 1, "only our own script");
        assert!(!html.contains("<img"));
        assert!(!html.contains("<b>"));
        assert!(html.contains("&lt;script&gt;alert(&#39;c&#39;)&lt;/script&gt;"));
        assert!(html.contains("href=\"https://x.example/&quot;&gt;&lt;script&gt;"));
    }

    #[test]
    fn only_http_urls_become_links() {
        let html = render_html(&audit_with("javascript:alert(1)", "", "t"), "r");
        assert!(!html.contains("href=\"javascript"));
        assert!(html.contains("<td class=\"url\">javascript:alert(1)</td>"));
        let html = render_html(&audit_with("www.example.org/a", "", "t"), "r");
        assert!(html.contains("href=\"https://www.example.org/a\""));
    }

    #[test]
    fn the_same_audit_renders_the_same_bytes() {
        let a = audit_with("https://x.example", "c", "t");
        assert_eq!(render_html(&a, "r"), render_html(&a, "r"));
    }

    #[test]
    fn an_audit_with_nothing_dead_says_so() {
        let html = render_html(&Audit::default(), "r");
        assert!(html.contains("id=\"no-failing\""));
        assert!(html.contains("id=\"chart-posts-empty\""));
        assert!(html.contains("id=\"chart-years-empty\""));
        assert!(!html.contains("<svg"));
    }

    #[test]
    fn the_post_chart_draws_at_most_max_bars() {
        let mut a = audit_with("https://x.example", "c", "t");
        let one = a.files.remove(0);
        let posts: Vec<AuditPost> = (1..=MAX_BARS + 5)
            .map(|i| AuditPost {
                index: i,
                ..one.posts[0].clone()
            })
            .collect();
        let audit = Audit {
            files: vec![AuditFile { posts, ..one }],
        };
        let html = render_html(&audit, "r");
        assert_eq!(html.matches("<g class=\"bar\">").count(), MAX_BARS);
        assert!(html.contains("5 more posts with dead or failing links"));
    }
}
