//! Diagnostics: what rules find, and the finished, located reports the engine hands to output.

use crate::source::{LineCol, Span};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Error => "error",
        }
    }

    /// Parses `error`, `warning` (or `warn`) and `info`.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().as_str() {
            "error" => Some(Self::Error),
            "warning" | "warn" | "warnings" => Some(Self::Warning),
            "info" => Some(Self::Info),
            _ => None,
        }
    }
}

/// `1 note`, `3 notes`: a count in words, for messages and summaries.
#[must_use]
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// What a rule reports: a span and words. The engine adds the rule id, severity and position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub span: Span,
    pub message: String,
    /// What to do about it, when notelint can say.
    pub help: Option<String>,
    /// The label of the note involved, if any.
    pub note: Option<String>,
    /// A short label shown under the span in human output.
    pub label: Option<String>,
    /// The edits that repair it, when notelint knows them.
    pub fix: Option<Fix>,
}

/// One edit of a fix: replace a byte range by a text. In a [`Finding`] the range is in the
/// decoded text; in a [`Diagnostic`], in the file's bytes as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub replacement: String,
}

impl Edit {
    #[must_use]
    pub fn new(span: Span, replacement: impl Into<String>) -> Self {
        Self {
            span,
            replacement: replacement.into(),
        }
    }
}

/// What repairs a finding: edits of its file, and whether applying them cannot change what
/// the post means (`notelint fix` applies safe fixes; unsafe ones only with
/// `--unsafe-fixes`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub safe: bool,
    /// Sorted by position, not overlapping.
    pub edits: Vec<Edit>,
}

impl Fix {
    /// A safe fix of these edits.
    #[must_use]
    pub fn safe(edits: Vec<Edit>) -> Self {
        Self::new(true, edits)
    }

    /// A fix that may change what the text says (applied only with `--unsafe-fixes`).
    #[must_use]
    pub fn unsafe_(edits: Vec<Edit>) -> Self {
        Self::new(false, edits)
    }

    fn new(safe: bool, mut edits: Vec<Edit>) -> Self {
        edits.sort_by_key(|e| (e.span.start, e.span.end));
        Self { safe, edits }
    }
}

impl Finding {
    #[must_use]
    pub fn new(span: Span, message: impl Into<String>) -> Self {
        Self {
            span,
            message: message.into(),
            help: None,
            note: None,
            label: None,
            fix: None,
        }
    }

    #[must_use]
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    #[must_use]
    pub fn note(mut self, label: impl Into<String>) -> Self {
        self.note = Some(label.into());
        self
    }

    #[must_use]
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Attaches a fix; a fix without edits is none.
    #[must_use]
    pub fn fix(mut self, fix: Fix) -> Self {
        self.fix = (!fix.edits.is_empty()).then_some(fix);
        self
    }
}

/// A finished diagnostic: a finding stamped with its rule, severity, file and position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    pub label: Option<String>,
    pub path: String,
    /// The range in the decoded text, which snippets show.
    pub span: Span,
    /// The same range in the file's bytes as read (differs from `span` only for files that
    /// were not valid UTF-8), which machine-readable output reports.
    pub bytes: Span,
    pub start: LineCol,
    pub end: LineCol,
    /// 1-based index of the post in its file; `None` for file-level problems.
    pub post: Option<usize>,
    pub note: Option<String>,
    /// The fix, its edits' ranges in the file's bytes as read; `None` when the file was not
    /// valid UTF-8 (a fix is written in UTF-8) or the finding has none.
    pub fix: Option<Fix>,
}

impl Diagnostic {
    /// The order of output: by path, then position, then rule.
    #[must_use]
    pub fn sort_key(&self) -> (&str, usize, usize, &str) {
        (&self.path, self.span.start, self.span.end, self.rule)
    }
}

/// A rule's identity and documentation.
#[derive(Debug)]
pub struct RuleInfo {
    /// The kebab-case id used in configs, output and suppressions.
    pub id: &'static str,
    pub default_severity: Severity,
    /// Whether the rule runs when the configuration does not mention it.
    pub enabled_by_default: bool,
    /// One line: what the rule flags.
    pub summary: &'static str,
    /// Whether the rule reads the post's markers and notes, and so runs only on posts whose
    /// notes were recognised (see `notes-unrecognized`).
    pub reads_notes: bool,
    /// The full documentation (Markdown), from the rule's doc comment.
    pub docs: &'static str,
}

impl RuleInfo {
    /// Where the rule's documentation lives online.
    #[must_use]
    pub fn url(&self) -> String {
        format!("{DOCS_BASE}#{}", self.id)
    }
}

/// The base address of the rule documentation.
pub const DOCS_BASE: &str = "https://github.com/notelint/notelint/blob/main/docs/rules.md";
