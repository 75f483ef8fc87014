//! Output formats: each turns a finished, sorted [`Report`] into bytes.

mod concise;
mod github;
mod human;
mod json;
mod sarif;

use std::io::{self, Write};

use crate::diagnostic::{Diagnostic, Severity};
use crate::engine::FileReport;

pub use concise::Concise;
pub use github::{escape_data, escape_property, Github};
pub use human::Human;
pub use json::Json;
pub use sarif::{Sarif, FINGERPRINT_KEY, SARIF_SCHEMA};

/// The result of a run: one report per file, sorted by path.
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
}

impl Report {
    /// Every diagnostic, in output order.
    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.files.iter().flat_map(|f| f.diagnostics.iter())
    }

    #[must_use]
    pub fn summary(&self) -> Summary {
        let mut s = Summary {
            files: self.files.len(),
            ..Summary::default()
        };
        for file in &self.files {
            s.posts += file.posts.len();
            s.notes += file.note_count();
        }
        for d in self.diagnostics() {
            match d.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Info => s.infos += 1,
            }
        }
        s
    }
}

impl Summary {
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

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Writes a report in one output format.
pub trait Emitter {
    /// Writes `report` to `out`.
    ///
    /// # Errors
    /// Any error writing to `out`.
    fn emit(&self, report: &Report, out: &mut dyn Write) -> io::Result<()>;
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
