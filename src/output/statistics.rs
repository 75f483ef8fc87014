//! `--statistics`: instead of the findings, how many each rule made, most first, then the
//! summary line (as ruff's `--statistics` does), for a first look at a large folder.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::{Emitter, Stream, Summary};
use crate::diagnostic::Severity;
use crate::report::FileReport;

/// The `--statistics` output.
#[derive(Debug, Default)]
pub struct Statistics;

impl Emitter for Statistics {
    fn start<'a>(&'a self, _out: &mut dyn Write) -> io::Result<Box<dyn Stream + 'a>> {
        Ok(Box::new(Counts::default()))
    }
}

/// The findings counted so far, by rule.
#[derive(Debug, Default)]
struct Counts {
    by_rule: BTreeMap<&'static str, (usize, Severity)>,
}

impl Stream for Counts {
    fn file(&mut self, file: &FileReport, _out: &mut dyn Write) -> io::Result<()> {
        for d in &file.diagnostics {
            let entry = self.by_rule.entry(d.rule).or_insert((0, d.severity));
            entry.0 += 1;
            // A rule set to two levels by overrides shows its highest.
            entry.1 = entry.1.max(d.severity);
        }
        Ok(())
    }

    fn finish(
        self: Box<Self>,
        summary: &Summary,
        notes: &[String],
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let mut rows: Vec<_> = self.by_rule.into_iter().collect();
        // Most findings first; ties by rule id, so the table is the same from run to run.
        rows.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(b.0)));
        let width = rows.first().map_or(1, |r| r.1 .0.to_string().len());
        for (rule, (count, severity)) in rows {
            writeln!(out, "{count:>width$}  {:<7}  {rule}", severity.name())?;
        }
        super::write_summary(summary, notes, out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Report;

    #[test]
    fn statistics_count_by_rule_most_first() {
        let d = |rule: &'static str, severity| crate::diagnostic::Diagnostic {
            rule,
            severity,
            message: String::new(),
            help: None,
            label: None,
            path: "a.txt".into(),
            span: crate::source::Span::new(0, 1),
            bytes: crate::source::Span::new(0, 1),
            start: crate::source::LineCol { line: 1, column: 1 },
            end: crate::source::LineCol { line: 1, column: 2 },
            post: Some(1),
            note: None,
            fix: None,
        };
        let file = FileReport {
            path: "a.txt".into(),
            format: None,
            posts: vec![],
            source: None,
            diagnostics: vec![
                d("orphan-note", Severity::Error),
                d("url-tracking", Severity::Info),
                d("url-tracking", Severity::Info),
                d("empty-note", Severity::Error),
            ],
        };
        let report = Report {
            files: vec![file],
            notes: vec![],
        };
        let mut out = Vec::new();
        Statistics.emit(&report, &mut out).expect("written");
        let text = String::from_utf8(out).expect("UTF-8");
        assert!(
            text.starts_with(
                "2  info     url-tracking\n1  error    empty-note\n1  error    orphan-note\n"
            ),
            "{text}"
        );
    }
}
