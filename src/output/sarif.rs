//! SARIF 2.1.0, for code-scanning services: one run whose tool lists every rule, and one result
//! per diagnostic with its location (columns in Unicode code points) and a fingerprint that
//! follows the finding when lines above it move.

use std::collections::HashMap;
use std::io::{self, Write};

use serde_json::{json, Value};

use super::{write_nested, Emitter, Stream, Summary};
use crate::diagnostic::{Diagnostic, Severity};
use crate::report::FileReport;
use crate::rules::{self, RuleInfo};
use crate::source::SourceFile;

/// The `sarif` format.
#[derive(Debug, Default)]
pub struct Sarif;

/// The schema address written into the log.
pub const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The key of notelint's fingerprint in `partialFingerprints`; the suffix changes if the way
/// it is computed ever does.
pub const FINGERPRINT_KEY: &str = "notelint/v1";

const fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn rule_descriptor(info: &RuleInfo) -> Value {
    let docs = rules::render_docs(info);
    json!({
        "id": info.id,
        "name": pascal_case(info.id),
        "shortDescription": { "text": info.summary },
        "fullDescription": { "text": first_paragraph(&docs) },
        "help": { "text": docs, "markdown": docs },
        "helpUri": info.url(),
        "defaultConfiguration": {
            "enabled": info.enabled_by_default,
            "level": level(info.default_severity),
        },
    })
}

/// `orphan-marker` → `OrphanMarker`, SARIF's readable rule name.
fn pascal_case(id: &str) -> String {
    id.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// The text under the "What it does" heading.
fn first_paragraph(docs: &str) -> String {
    docs.lines()
        .skip_while(|l| l.starts_with('#') || l.trim().is_empty())
        .take_while(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .collect::<Vec<_>>()
        .join(" ")
}

/// FNV-1a, 64 bits: fixed forever, unlike the standard library's hasher.
fn fnv1a(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &b in *part {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        // Separate the parts so that ("ab", "c") and ("a", "bc") differ.
        h ^= 0xff;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The text of the diagnostic's first line with white space folded: what the finding is about,
/// wherever the line moves.
fn line_text(source: Option<&SourceFile>, d: &Diagnostic) -> String {
    let Some(source) = source else {
        return String::new();
    };
    let start = source.line_start(d.start.line);
    let end = source.line_start(d.start.line + 1);
    source
        .text
        .get(start..end)
        .unwrap_or("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

// The log is written piece by piece, byte for byte as serde_json's pretty printer writes
// the whole (object keys sorted, as `json!` keeps them):
// {
//   "$schema": SCHEMA,
//   "runs": [
//     {
//       "columnKind": "unicodeCodePoints",
//       "results": [ RESULT, ... ],
//       "tool": TOOL
//     }
//   ],
//   "version": "2.1.0"
// }
// with `[]` for no results.

impl Emitter for Sarif {
    fn start<'a>(&'a self, out: &mut dyn Write) -> io::Result<Box<dyn Stream + 'a>> {
        let mut index = HashMap::new();
        let mut descriptors = Vec::new();
        for info in crate::rules::catalogue() {
            index.insert(info.id, descriptors.len());
            descriptors.push(rule_descriptor(info));
        }
        out.write_all(b"{\n  \"$schema\": ")?;
        serde_json::to_writer(&mut *out, SARIF_SCHEMA)?;
        out.write_all(
            b",\n  \"runs\": [\n    {\n      \"columnKind\": \"unicodeCodePoints\",\n      \"results\": [",
        )?;
        Ok(Box::new(SarifStream {
            index,
            descriptors,
            results: 0,
        }))
    }
}

/// The SARIF log being written.
struct SarifStream {
    /// The place of each rule in `descriptors`.
    index: HashMap<&'static str, usize>,
    descriptors: Vec<Value>,
    /// How many results were written.
    results: usize,
}

impl Stream for SarifStream {
    fn file(&mut self, file: &FileReport, out: &mut dyn Write) -> io::Result<()> {
        // Identical findings on identical lines are told apart by their order.
        let mut seen: HashMap<u64, usize> = HashMap::new();
        for d in &file.diagnostics {
            let text = line_text(file.source.as_deref(), d);
            let key = fnv1a(&[d.rule.as_bytes(), d.path.as_bytes(), text.as_bytes()]);
            let occurrence = seen.entry(key).or_insert(0);
            *occurrence += 1;
            let fingerprint = format!("{key:016x}:{occurrence}");
            let mut result = json!({
                "ruleId": d.rule,
                "level": level(d.severity),
                "message": { "text": message(d) },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri(&d.path), "uriBaseId": "%SRCROOT%" },
                        "region": {
                            "startLine": d.start.line,
                            "startColumn": d.start.column,
                            "endLine": d.end.line,
                            "endColumn": d.end.column,
                            "byteOffset": d.bytes.start,
                            "byteLength": d.bytes.len(),
                        },
                    },
                }],
                "partialFingerprints": { FINGERPRINT_KEY: fingerprint },
            });
            if let Some(&i) = self.index.get(d.rule) {
                result["ruleIndex"] = json!(i);
            }
            if let Some(fix) = &d.fix {
                result["fixes"] = fixes(d, fix);
            }
            out.write_all(if self.results == 0 {
                b"\n        "
            } else {
                b",\n        "
            })?;
            self.results += 1;
            write_nested(out, &result, 4)?;
        }
        Ok(())
    }

    fn finish(
        self: Box<Self>,
        _summary: &Summary,
        _notes: &[String],
        out: &mut dyn Write,
    ) -> io::Result<()> {
        if self.results > 0 {
            out.write_all(b"\n      ")?;
        }
        out.write_all(b"],\n      \"tool\": ")?;
        let tool = json!({
            "driver": {
                "name": "notelint",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/notelint/notelint",
                "rules": self.descriptors,
            },
        });
        write_nested(out, &tool, 3)?;
        out.write_all(b"\n    }\n  ],\n  \"version\": \"2.1.0\"\n}\n")
    }
}

/// A diagnostic's fix as SARIF `fixes`: one artifact change of byte-region replacements.
fn fixes(d: &Diagnostic, fix: &crate::diagnostic::Fix) -> Value {
    let replacements: Vec<Value> = fix
        .edits
        .iter()
        .map(|e| {
            json!({
                "deletedRegion": { "byteOffset": e.span.start, "byteLength": e.span.len() },
                "insertedContent": { "text": e.replacement },
            })
        })
        .collect();
    let description = if fix.safe {
        "safe fix: `notelint fix` applies it"
    } else {
        "unsafe fix: `notelint fix --unsafe-fixes` applies it"
    };
    json!([{
        "description": { "text": description },
        "artifactChanges": [{
            "artifactLocation": { "uri": uri(&d.path), "uriBaseId": "%SRCROOT%" },
            "replacements": replacements,
        }],
    }])
}

/// The message with the help appended, as SARIF has no field of its own for it.
fn message(d: &Diagnostic) -> String {
    match &d.help {
        Some(help) => format!("{}\nhelp: {help}", d.message),
        None => d.message.clone(),
    }
}

/// A relative path as a URI reference: `/` separators, and the characters a URI cannot hold
/// percent-encoded.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_uris() {
        assert_eq!(pascal_case("orphan-marker"), "OrphanMarker");
        assert_eq!(uri("posts/a b/é.md"), "posts/a%20b/%C3%A9.md");
        assert_ne!(fnv1a(&[b"ab", b"c"]), fnv1a(&[b"a", b"bc"]));
        assert_eq!(fnv1a(&[]), 0xcbf2_9ce4_8422_2325);
    }
}

#[cfg(test)]
mod streaming {
    use super::*;
    use crate::output::Report;

    /// The log `streamed` holds, rebuilt as one value and written whole, the way it was
    /// written before the output streamed: only the framing around the results can differ.
    fn whole(streamed: &str) -> String {
        let read: Value = serde_json::from_str(streamed).expect("SARIF is JSON");
        let descriptors: Vec<Value> = crate::rules::catalogue().map(rule_descriptor).collect();
        let log = json!({
            "$schema": SARIF_SCHEMA,
            "version": "2.1.0",
            "runs": [{
                "tool": {
                    "driver": {
                        "name": "notelint",
                        "version": env!("CARGO_PKG_VERSION"),
                        "semanticVersion": env!("CARGO_PKG_VERSION"),
                        "informationUri": "https://github.com/notelint/notelint",
                        "rules": descriptors,
                    },
                },
                "columnKind": "unicodeCodePoints",
                "results": read["runs"][0]["results"],
            }],
        });
        serde_json::to_string_pretty(&log).expect("JSON") + "\n"
    }

    fn lint(path: &str, text: &str) -> FileReport {
        super::super::lint_text(path, text)
    }

    #[test]
    fn the_streamed_log_is_the_whole_one_byte_for_byte() {
        let files = vec![
            lint("a.txt", "A.[1] B.[2]\n\n[1] One.\n"),
            lint("b.txt", "Clean.[1]\n\n[1] A note.\n"),
            lint("c d.txt", "x [3]\n\n[1] One.\n"),
        ];
        for report in [
            Report::default(),
            Report {
                files: files[1..2].to_vec(),
                notes: Vec::new(),
            },
            Report {
                files,
                notes: Vec::new(),
            },
        ] {
            let mut out = Vec::new();
            Sarif.emit(&report, &mut out).expect("emit");
            let streamed = String::from_utf8(out).expect("UTF-8");
            let results = report.diagnostics().count();
            assert_eq!(streamed.matches("\"ruleId\"").count(), results);
            assert_eq!(streamed, whole(&streamed));
        }
    }
}
