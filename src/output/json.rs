//! The versioned JSON report: files with their posts, diagnostics, and a summary.

use std::io::{self, Write};

use serde::Serialize;

use super::spool::Spool;
use super::{write_nested, Emitter, Stream, Summary};
use crate::diagnostic::Diagnostic;
use crate::report::{FileReport, PostSummary};

/// The version of the JSON schema; bumped on any incompatible change.
pub const JSON_VERSION: u32 = 1;

/// The `json` format.
#[derive(Debug, Default)]
pub struct Json;

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
    /// Present only on diagnostics that have a fix.
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<JsonFix<'a>>,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    safe: bool,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    offset: usize,
    length: usize,
    replacement: &'a str,
}

impl<'a> JsonDiagnostic<'a> {
    fn of(d: &'a Diagnostic) -> Self {
        Self {
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
            fix: d.fix.as_ref().map(|f| JsonFix {
                safe: f.safe,
                edits: f
                    .edits
                    .iter()
                    .map(|e| JsonEdit {
                        offset: e.span.start,
                        length: e.span.len(),
                        replacement: &e.replacement,
                    })
                    .collect(),
            }),
        }
    }
}

// The document is written piece by piece, byte for byte as serde_json's pretty printer
// writes the whole:
// {
//   "version": 1,
//   "files": [ FILE, ... ],
//   "diagnostics": [ DIAGNOSTIC, ... ],
//   "summary": SUMMARY,
//   "notes": [ NOTE, ... ]        (only when there are notes)
// }
// with `[]` for an empty list. The files come first, so the diagnostics wait in a spool.

impl Emitter for Json {
    fn start<'a>(&'a self, out: &mut dyn Write) -> io::Result<Box<dyn Stream + 'a>> {
        write!(out, "{{\n  \"version\": {JSON_VERSION},\n  \"files\": [")?;
        Ok(Box::new(JsonStream {
            files: 0,
            diagnostics: Spool::default(),
        }))
    }
}

/// The JSON output being written.
struct JsonStream {
    /// How many files were written.
    files: usize,
    /// The diagnostics written so far, each preceded by its separator.
    diagnostics: Spool,
}

impl Stream for JsonStream {
    fn file(&mut self, file: &FileReport, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(if self.files == 0 {
            b"\n    "
        } else {
            b",\n    "
        })?;
        self.files += 1;
        let entry = JsonFile {
            path: &file.path,
            format: file.format.map(crate::parse::Format::name),
            posts: &file.posts,
        };
        write_nested(out, &entry, 2)?;
        for d in &file.diagnostics {
            let first = self.diagnostics.is_empty();
            self.diagnostics
                .write_all(if first { b"\n    " } else { b",\n    " })?;
            write_nested(&mut self.diagnostics, &JsonDiagnostic::of(d), 2)?;
        }
        Ok(())
    }

    fn finish(
        self: Box<Self>,
        summary: &Summary,
        notes: &[String],
        out: &mut dyn Write,
    ) -> io::Result<()> {
        if self.files > 0 {
            out.write_all(b"\n  ")?;
        }
        out.write_all(b"],\n  \"diagnostics\": [")?;
        let any = !self.diagnostics.is_empty();
        self.diagnostics.copy_to(out)?;
        if any {
            out.write_all(b"\n  ")?;
        }
        out.write_all(b"],\n  \"summary\": ")?;
        write_nested(out, summary, 1)?;
        if !notes.is_empty() {
            out.write_all(b",\n  \"notes\": ")?;
            write_nested(out, notes, 1)?;
        }
        out.write_all(b"\n}\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Report;

    /// The whole document as one value, the way it was written before the output streamed.
    #[derive(Serialize)]
    struct Whole<'a> {
        version: u32,
        files: Vec<JsonFile<'a>>,
        diagnostics: Vec<JsonDiagnostic<'a>>,
        summary: Summary,
        #[serde(skip_serializing_if = "<[String]>::is_empty")]
        notes: &'a [String],
    }

    fn whole(report: &Report) -> String {
        let doc = Whole {
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
            diagnostics: report.diagnostics().map(JsonDiagnostic::of).collect(),
            summary: report.summary(),
            notes: &report.notes,
        };
        serde_json::to_string_pretty(&doc).expect("JSON") + "\n"
    }

    fn lint(path: &str, text: &str) -> FileReport {
        super::super::lint_text(path, text)
    }

    #[test]
    fn the_streamed_document_is_the_whole_one_byte_for_byte() {
        let gone = std::io::Error::from(std::io::ErrorKind::NotFound);
        let files = vec![
            lint("a.txt", "A.[1] B.[2]\n\n[1] One.\n"),
            lint("b.txt", "Clean.[1]\n\n[1] A note.\n"),
            FileReport::unreadable("c.txt", &gone),
            lint("d.txt", "x [3] \"quoted\\\"\n\n[1] One.\n"),
        ];
        let cases = [
            Report::default(),
            Report {
                files: files[1..2].to_vec(),
                notes: Vec::new(),
            },
            Report {
                files: files.clone(),
                notes: Vec::new(),
            },
            Report {
                files,
                notes: vec!["2 links not checked".into()],
            },
        ];
        for report in &cases {
            let mut out = Vec::new();
            Json.emit(report, &mut out).expect("emit");
            assert_eq!(String::from_utf8(out).expect("UTF-8"), whole(report));
        }
    }
}
