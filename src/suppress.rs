//! Suppression comments: found in the raw text of a file, line by line, so they work the same
//! whichever parser reads the file.
//!
//! In every format, an HTML comment on one line:
//! `<!-- notelint-disable-next-line RULE -->` silences RULE on the next line, and
//! `<!-- notelint-disable RULE -->` … `<!-- notelint-enable RULE -->` silences it on the lines
//! between (to the end of the file without an `enable`). In plain text, a line holding only
//! `notelint-disable-next-line RULE` (or `notelint-disable` / `notelint-enable`) does the same.
//! Several rules may be listed, separated by commas or spaces.

use foldhash::{HashMap, HashMapExt};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::diagnostic::Diagnostic;
use crate::source::{SourceFile, Span};

/// What a directive does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Directive {
    /// `notelint-disable-next-line`.
    NextLine,
    /// `notelint-disable`, up to the matching `notelint-enable`.
    Disable,
    /// A `notelint-enable` that closes no `notelint-disable`.
    StrayEnable,
}

/// One rule named in one suppression directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    pub directive: Directive,
    /// The rule id as written.
    pub rule: String,
    /// The rule id in the comment.
    pub span: Span,
    /// The 1-based lines silenced, first and last inclusive (empty for a stray enable).
    pub first_line: usize,
    pub last_line: usize,
    /// Whether it silenced at least one diagnostic.
    pub used: bool,
}

/// The three directives, as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    NextLine,
    Disable,
    Enable,
}

impl Kind {
    /// Longest first: `notelint-disable` is a prefix of the next-line form.
    const ALL: [Self; 3] = [Self::NextLine, Self::Disable, Self::Enable];

    const fn word(self) -> &'static str {
        match self {
            Self::NextLine => "notelint-disable-next-line",
            Self::Disable => "notelint-disable",
            Self::Enable => "notelint-enable",
        }
    }
}

/// A directive found on one line: its kind and the rule names with their spans.
struct Found {
    kind: Kind,
    rules: Vec<(String, Span)>,
}

/// How a format writes suppression comments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuppressionSyntax {
    /// `<!-- notelint-… -->` comments only.
    Comments,
    /// Comments, and lines holding only `notelint-…` (where a comment would show as text).
    CommentsAndBareLines,
}

/// Every suppression in `source`.
#[must_use]
pub fn scan(source: &SourceFile, syntax: SuppressionSyntax) -> Vec<Suppression> {
    let text = source.text.as_str();
    // Most files hold none: skip the line walk.
    if memchr::memmem::find(text.as_bytes(), b"notelint-").is_none() {
        return Vec::new();
    }
    let last_line = source.line_count();
    let bare_lines = syntax == SuppressionSyntax::CommentsAndBareLines;
    let mut out = Vec::new();
    // Open `disable`s: index into `out`.
    let mut open: Vec<usize> = Vec::new();
    // The same lines as the parsers read: `\n`, `\r\n` or a lone `\r` ends one.
    for (i, line) in crate::source::lines(text).enumerate() {
        let line_no = i + 1;
        let mut found = comments(line.text, line.start);
        if bare_lines {
            found.extend(bare_line(line.text, line.start));
        }
        for f in found {
            for (rule, span) in f.rules {
                match f.kind {
                    Kind::NextLine => out.push(Suppression {
                        directive: Directive::NextLine,
                        rule,
                        span,
                        first_line: line_no + 1,
                        last_line: line_no + 1,
                        used: false,
                    }),
                    Kind::Disable => {
                        open.push(out.len());
                        out.push(Suppression {
                            directive: Directive::Disable,
                            rule,
                            span,
                            first_line: line_no,
                            last_line,
                            used: false,
                        });
                    }
                    Kind::Enable => {
                        let opened = open
                            .iter()
                            .rposition(|&o| out[o].rule.eq_ignore_ascii_case(&rule));
                        match opened {
                            Some(k) => out[open.remove(k)].last_line = line_no,
                            None => out.push(Suppression {
                                directive: Directive::StrayEnable,
                                rule,
                                span,
                                first_line: line_no,
                                last_line: line_no.saturating_sub(1),
                                used: false,
                            }),
                        }
                    }
                }
            }
        }
    }
    out
}

/// Whether `line` holds a directive and nothing else (bare, or as one HTML comment), so that
/// parsers pass over it instead of reading it as part of a note or a paragraph.
#[must_use]
pub fn is_directive_line(line: &str) -> bool {
    let trimmed = line.trim();
    if trimmed.starts_with("notelint-") {
        return bare_line(line, 0).is_some();
    }
    trimmed.starts_with("<!--")
        && trimmed.ends_with("-->")
        && trimmed.matches("<!--").count() == 1
        && !comments(trimmed, 0).is_empty()
}

/// The directives in the one-line HTML comments of `line`.
fn comments(line: &str, line_start: usize) -> Vec<Found> {
    let mut out = Vec::new();
    let mut rest = 0;
    while let Some(open) = line[rest..].find("<!--") {
        let body_start = rest + open + 4;
        let Some(close) = line[body_start..].find("-->") else {
            break;
        };
        let body_end = body_start + close;
        if let Some(f) = directive(&line[body_start..body_end], line_start + body_start) {
            out.push(f);
        }
        rest = body_end + 3;
    }
    out
}

/// A plain-text line that is a directive and nothing else.
fn bare_line(line: &str, line_start: usize) -> Option<Found> {
    let trimmed = line.trim_start();
    if !trimmed.starts_with("notelint-") {
        return None;
    }
    directive(line, line_start)
}

/// Parses `notelint-KIND RULE, RULE` (white space around allowed); `at` is the offset of
/// `body` in the file.
fn directive(body: &str, at: usize) -> Option<Found> {
    let lead = body.len() - body.trim_start().len();
    let trimmed = body.trim();
    let kind = Kind::ALL
        .into_iter()
        .find(|k| trimmed.starts_with(k.word()))?;
    let after = &trimmed[kind.word().len()..];
    if !after.is_empty() && !after.starts_with(char::is_whitespace) {
        return None;
    }
    let mut rules = Vec::new();
    let base = at + lead + kind.word().len();
    // Offsets come from `char_indices`, not from adding up piece lengths: a separator may be
    // a no-break or ideographic space, several bytes long.
    let mut piece_start = None;
    for (i, c) in after.char_indices().chain([(after.len(), ' ')]) {
        if c == ',' || c.is_whitespace() {
            if let Some(start) = piece_start.take() {
                rules.push((
                    after[start..i].to_string(),
                    Span::new(base + start, base + i),
                ));
            }
        } else if piece_start.is_none() {
            piece_start = Some(i);
        }
    }
    // A directive must name its rules: a bare one silences nothing.
    (!rules.is_empty()).then_some(Found { kind, rules })
}

/// Drops the diagnostics that a suppression covers, marking those suppressions used.
/// File-level problems (no post) are never silenced.
pub fn apply(suppressions: &mut [Suppression], diagnostics: &mut Vec<Diagnostic>) {
    if suppressions.is_empty() {
        return;
    }
    // A sweep over the lines, one rule at a time: O((d + s) log s) for d diagnostics and s
    // suppressions, however many of them overlap.
    let mut by_rule: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, s) in suppressions.iter().enumerate() {
        if s.first_line <= s.last_line {
            by_rule.entry(s.rule.as_str()).or_default().push(i);
        }
    }
    let mut order: Vec<usize> = (0..diagnostics.len())
        .filter(|&i| diagnostics[i].post.is_some())
        .collect();
    order.sort_by_key(|&i| diagnostics[i].start.line);
    let mut silenced = vec![false; diagnostics.len()];
    let mut used = vec![false; suppressions.len()];
    for (rule, mut ids) in by_rule {
        ids.sort_by_key(|&i| suppressions[i].first_line);
        let mut next = 0;
        // The suppressions begun by the current line, ending soonest first.
        let mut active = BinaryHeap::new();
        // Those of them not yet known to be used.
        let mut unmarked = Vec::new();
        for &d in order.iter().filter(|&&d| diagnostics[d].rule == rule) {
            let line = diagnostics[d].start.line;
            while let Some(&i) = ids.get(next) {
                if suppressions[i].first_line > line {
                    break;
                }
                active.push(Reverse((suppressions[i].last_line, i)));
                unmarked.push(i);
                next += 1;
            }
            while active.peek().is_some_and(|Reverse((last, _))| *last < line) {
                active.pop();
            }
            if active.is_empty() {
                continue;
            }
            silenced[d] = true;
            // Every suppression begun so far and still open covers this line; those that
            // ended earlier silenced something already or never will.
            for i in unmarked.drain(..) {
                if suppressions[i].last_line >= line {
                    used[i] = true;
                }
            }
        }
    }
    for (s, used) in suppressions.iter_mut().zip(used) {
        s.used |= used;
    }
    let mut i = 0;
    diagnostics.retain(|_| {
        i += 1;
        !silenced[i - 1]
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Test inputs name a format as the readers do: text takes bare lines too.
    #[derive(Clone, Copy)]
    enum Format {
        Text,
        Markdown,
        Html,
    }

    fn rules_at(text: &str, format: Format) -> Vec<(Directive, String, usize, usize)> {
        let src = SourceFile::new("t", text);
        let syntax = match format {
            Format::Text => SuppressionSyntax::CommentsAndBareLines,
            Format::Markdown | Format::Html => SuppressionSyntax::Comments,
        };
        scan(&src, syntax)
            .into_iter()
            .map(|s| {
                assert_eq!(src.slice(s.span), s.rule);
                (s.directive, s.rule, s.first_line, s.last_line)
            })
            .collect()
    }

    #[test]
    fn comments_name_rules_and_lines() {
        let text = "a\n<!-- notelint-disable-next-line orphan-marker, empty-note -->\nb\n\
                    <!--notelint-disable numbering-gap-->\nc\n<!-- notelint-enable numbering-gap -->\n";
        assert_eq!(
            rules_at(text, Format::Markdown),
            vec![
                (Directive::NextLine, "orphan-marker".into(), 3, 3),
                (Directive::NextLine, "empty-note".into(), 3, 3),
                (Directive::Disable, "numbering-gap".into(), 4, 6),
            ]
        );
    }

    #[test]
    fn plain_lines_count_only_in_text() {
        let text = "notelint-disable-next-line orphan-note\n[2] Two.\n";
        assert_eq!(
            rules_at(text, Format::Text),
            vec![(Directive::NextLine, "orphan-note".into(), 2, 2)]
        );
        assert!(rules_at(text, Format::Markdown).is_empty());
    }

    #[test]
    fn unclosed_disable_runs_to_the_end_and_stray_enable_is_kept() {
        let text = "<!-- notelint-disable empty-note -->\n\n\n<!-- notelint-enable orphan-note -->";
        assert_eq!(
            rules_at(text, Format::Html),
            vec![
                (Directive::Disable, "empty-note".into(), 1, 4),
                (Directive::StrayEnable, "orphan-note".into(), 4, 3),
            ]
        );
    }

    #[test]
    fn rules_separated_by_multi_byte_spaces() {
        // A no-break space between two rule names shifted the second name's span by a byte.
        let text = "<!-- notelint-enable a\u{a0}b\u{3000}c,\u{2009}d -->\n";
        let names: Vec<_> = rules_at(text, Format::Html)
            .into_iter()
            .map(|r| r.1)
            .collect();
        assert_eq!(names, ["a", "b", "c", "d"]);
    }

    #[test]
    fn look_alikes_are_not_directives() {
        for text in [
            "<!-- notelint-disabled orphan-note -->",
            "<!-- notelint-disable-next-line -->",
            "<!-- notelint-disable-next-line orphan-note\n-->",
            "see notelint-disable-next-line orphan-note",
        ] {
            assert!(rules_at(text, Format::Text).is_empty(), "{text}");
        }
    }

    #[test]
    fn the_sweep_silences_and_marks_exactly_what_a_plain_scan_does() {
        let diagnostic = |rule: &'static str, line: usize| Diagnostic {
            rule,
            severity: crate::diagnostic::Severity::Error,
            message: String::new(),
            help: None,
            label: None,
            path: "t".into(),
            span: Span::default(),
            bytes: Span::default(),
            start: crate::source::LineCol { line, column: 1 },
            end: crate::source::LineCol { line, column: 1 },
            post: Some(1),
            note: None,
            fix: None,
        };
        let mut seed = 7_u64;
        let mut next = |n: usize| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            usize::try_from(seed >> 33).unwrap_or(0) % n
        };
        for _ in 0..200 {
            let rules = ["orphan-marker", "empty-note"];
            let mut suppressions: Vec<Suppression> = (0..next(6))
                .map(|_| {
                    let first_line = next(20) + 1;
                    Suppression {
                        directive: Directive::Disable,
                        rule: rules[next(2)].to_string(),
                        span: Span::default(),
                        first_line,
                        last_line: first_line + next(8) - 1,
                        used: false,
                    }
                })
                .collect();
            let mut diagnostics: Vec<Diagnostic> = (0..next(10))
                .map(|_| diagnostic(rules[next(2)], next(30) + 1))
                .collect();
            diagnostics.sort_by_key(|d| d.start.line);
            let expect_kept: Vec<usize> = diagnostics
                .iter()
                .filter(|d| {
                    !suppressions.iter().any(|s| {
                        s.rule == d.rule && (s.first_line..=s.last_line).contains(&d.start.line)
                    })
                })
                .map(|d| d.start.line)
                .collect();
            let expect_used: Vec<bool> = suppressions
                .iter()
                .map(|s| {
                    diagnostics.iter().any(|d| {
                        s.rule == d.rule && (s.first_line..=s.last_line).contains(&d.start.line)
                    })
                })
                .collect();
            apply(&mut suppressions, &mut diagnostics);
            let kept: Vec<usize> = diagnostics.iter().map(|d| d.start.line).collect();
            assert_eq!(kept, expect_kept);
            let used: Vec<bool> = suppressions.iter().map(|s| s.used).collect();
            assert_eq!(used, expect_used);
        }
    }
}
