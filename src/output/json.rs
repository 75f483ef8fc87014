//! The versioned JSON report: files with their posts, diagnostics, and a summary.

use std::io::{self, Write};

use serde::Serialize;

use super::{Emitter, Report, Summary};
use crate::report::PostSummary;

/// The version of the JSON schema; bumped on any incompatible change.
pub const JSON_VERSION: u32 = 1;

/// The `json` format.
#[derive(Debug, Default)]
pub struct Json;

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    files: Vec<JsonFile<'a>>,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: Summary,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    notes: &'a [String],
}

#[derive(Serialize)]
struct JsonFile<'a> {
    path: &'a str,
    format: Option<&'static str>,
    posts: &'a [PostSummary],
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    rule: &'a str,
    severity: &'static str,
    message: &'a str,
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    offset: usize,
    length: usize,
    post: Option<usize>,
    note: Option<&'a str>,
    help: Option<&'a str>,
}

impl Emitter for Json {
    fn emit(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let doc = JsonReport {
            version: JSON_VERSION,
            files: report
                .files
                .iter()
                .map(|f| JsonFile {
                    path: &f.path,
                    format: f.format.map(crate::parse::Format::name),
                    posts: &f.posts,
                })
                .collect(),
            diagnostics: report
                .diagnostics()
                .map(|d| JsonDiagnostic {
                    rule: d.rule,
                    severity: d.severity.name(),
                    message: &d.message,
                    path: &d.path,
                    line: d.start.line,
                    column: d.start.column,
                    end_line: d.end.line,
                    end_column: d.end.column,
                    offset: d.bytes.start,
                    length: d.bytes.len(),
                    post: d.post,
                    note: d.note.as_deref(),
                    help: d.help.as_deref(),
                })
                .collect(),
            summary: report.summary(),
            notes: &report.notes,
        };
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        writeln!(out)
    }
}
