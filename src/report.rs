//! What a run found, as data: one [`FileReport`] per input file, and the [`Report`] of a whole
//! run that every output format writes. The engine and the loader make these; outputs,
//! the walker and the command line only read them.

use std::sync::Arc;

use crate::diagnostic::RuleInfo;
use crate::diagnostic::{plural, Diagnostic, Severity};
use crate::model::Document;
use crate::parse::Format;
use crate::problems;
use crate::source::{SourceFile, Span};

/// One post's counts, for reports.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PostSummary {
    pub index: usize,
    pub start_line: usize,
    pub end_line: usize,
    pub markers: usize,
    pub notes: usize,
    pub bibliography_entries: usize,
    /// The post's title as the human output names it ([`crate::audit::post_title`]).
    #[serde(skip)]
    pub title: String,
}

/// Everything notelint learned about one input file.
#[derive(Debug, Clone)]
pub struct FileReport {
    pub path: String,
    /// `None` when the file could not be parsed at all.
    pub format: Option<Format>,
    pub posts: Vec<PostSummary>,
    pub diagnostics: Vec<Diagnostic>,
    /// The source text, kept only when there are diagnostics to show it with.
    pub source: Option<Arc<SourceFile>>,
}

impl FileReport {
    /// The number of notes across the file's posts.
    #[must_use]
    pub fn note_count(&self) -> usize {
        self.posts.iter().map(|p| p.notes).sum()
    }

    /// A report for a file that could not be read.
    #[must_use]
    pub fn unreadable(path: &str, error: &std::io::Error) -> Self {
        Self::problem(
            path,
            &problems::IO_ERROR,
            format!("cannot read {path}: {error}"),
        )
    }

    /// A report for a file skipped as binary.
    #[must_use]
    pub fn binary(path: &str) -> Self {
        Self::problem(
            path,
            &problems::BINARY_FILE,
            format!("{path} looks like a binary file; skipped"),
        )
    }

    /// A report for a file skipped for its size.
    #[must_use]
    pub fn too_large(path: &str, size: u64, cap: u64) -> Self {
        let size = if size > cap {
            format!("{size} bytes")
        } else {
            "more bytes".to_string()
        };
        Self::problem(
            path,
            &problems::FILE_TOO_LARGE,
            format!("{path} has {size} than --max-file-size allows ({cap}); skipped"),
        )
    }

    /// A report holding one problem with the file itself.
    #[must_use]
    pub fn problem(path: &str, problem: &'static RuleInfo, message: String) -> Self {
        Self {
            path: path.to_string(),
            format: None,
            posts: Vec::new(),
            diagnostics: vec![file_diagnostic(path, problem, message)],
            source: None,
        }
    }
}

pub(crate) fn file_diagnostic(
    path: &str,
    problem: &'static RuleInfo,
    message: String,
) -> Diagnostic {
    let start = crate::source::LineCol { line: 1, column: 1 };
    Diagnostic {
        rule: problem.id,
        severity: problem.default_severity,
        message,
        help: None,
        label: None,
        path: path.to_string(),
        span: Span::default(),
        bytes: Span::default(),
        start,
        end: start,
        post: None,
        note: None,
        fix: None,
    }
}

impl PostSummary {
    /// The counts of every post of `document`, whose findings are `diagnostics`. A post's
    /// title is found only where the human output shows it: above the findings of a post of
    /// a file holding several.
    #[must_use]
    pub fn of(source: &SourceFile, document: &Document, diagnostics: &[Diagnostic]) -> Vec<Self> {
        let flagged: foldhash::HashSet<usize> = if document.posts.len() > 1 {
            diagnostics.iter().filter_map(|d| d.post).collect()
        } else {
            foldhash::HashSet::default()
        };
        document
            .posts
            .iter()
            .map(|p| Self {
                index: p.index,
                start_line: source.line_of(p.span.start),
                end_line: source.line_of(p.span.end.saturating_sub(1).max(p.span.start)),
                markers: p.markers.len(),
                notes: p.notes.len(),
                bibliography_entries: p.bibliography.len(),
                title: if flagged.contains(&p.index) {
                    crate::audit::post_title(source, p).unwrap_or_default()
                } else {
                    String::new()
                },
            })
            .collect()
    }
}

/// The result of a run held whole: one report per file, sorted by path. A `check` run never
/// builds one: it writes each file as it comes and keeps only the [`Summary`].
#[derive(Debug, Default)]
pub struct Report {
    pub files: Vec<FileReport>,
    /// Remarks on the run as a whole, shown after the summary (e.g. links not checked).
    pub notes: Vec<String>,
}

/// Counts over a whole run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub files: usize,
    pub posts: usize,
    pub notes: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Findings with a safe fix (`notelint fix` applies them); in JSON only when some are.
    #[serde(skip_serializing_if = "is_zero")]
    pub fixable: usize,
    /// Findings with a fix applied only with `--unsafe-fixes`.
    #[serde(skip_serializing_if = "is_zero")]
    pub unsafe_fixable: usize,
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde passes fields by reference
const fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Report {
    /// Every diagnostic, in output order.
    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.files.iter().flat_map(|f| f.diagnostics.iter())
    }

    #[must_use]
    pub fn summary(&self) -> Summary {
        let mut s = Summary::default();
        for file in &self.files {
            s.add(file);
        }
        s
    }
}

impl Summary {
    /// Counts one more file: a run keeps these counts, not its reports.
    pub fn add(&mut self, file: &FileReport) {
        self.files += 1;
        self.posts += file.posts.len();
        self.notes += file.note_count();
        for d in &file.diagnostics {
            match d.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Info => self.infos += 1,
            }
            match &d.fix {
                Some(f) if f.safe => self.fixable += 1,
                Some(_) => self.unsafe_fixable += 1,
                None => {}
            }
        }
    }

    /// `[*] 3 fixable with `notelint fix``: the line under the summary when a finding has a
    /// fix; `None` when none has.
    #[must_use]
    pub fn fixable_line(&self) -> Option<String> {
        let more = if self.unsafe_fixable > 0 {
            format!(
                " ({} more with `notelint fix --unsafe-fixes`)",
                self.unsafe_fixable
            )
        } else {
            String::new()
        };
        match (self.fixable, self.unsafe_fixable) {
            (0, 0) => None,
            (0, n) => Some(format!(
                "{} fixable with `notelint fix --unsafe-fixes`",
                plural(n, "finding")
            )),
            (n, _) => Some(format!(
                "[*] {} fixable with `notelint fix`{more}",
                plural(n, "finding")
            )),
        }
    }

    /// `3 errors, 2 warnings in 4 files (9 posts, 241 notes)`.
    #[must_use]
    pub fn line(&self) -> String {
        let mut parts = Vec::new();
        for (n, word) in [
            (self.errors, "error"),
            (self.warnings, "warning"),
            (self.infos, "info"),
        ] {
            if n > 0 {
                parts.push(plural(n, word));
            }
        }
        let found = if parts.is_empty() {
            "no problems".to_string()
        } else {
            parts.join(", ")
        };
        format!(
            "{found} in {} ({}, {})",
            plural(self.files, "file"),
            plural(self.posts, "post"),
            plural(self.notes, "note")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_line_counts_and_pluralises() {
        let s = Summary {
            files: 4,
            posts: 9,
            notes: 241,
            errors: 3,
            warnings: 2,
            infos: 0,
            fixable: 0,
            unsafe_fixable: 0,
        };
        assert_eq!(
            s.line(),
            "3 errors, 2 warnings in 4 files (9 posts, 241 notes)"
        );
        let clean = Summary {
            files: 1,
            posts: 1,
            notes: 1,
            ..Summary::default()
        };
        assert_eq!(clean.line(), "no problems in 1 file (1 post, 1 note)");
    }
}
