//! The engine: runs the rules over a parsed document and stamps each finding with its rule id,
//! severity and position, in one place.

use foldhash::HashMap;
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, Edit, Finding, Fix, Severity};
use crate::model::Document;
use crate::parse::Format;
use crate::problems;
use crate::report::{file_diagnostic, FileReport, PostSummary};
use crate::rules::{self, notes_unrecognized, unused_suppression, Context};
use crate::source::SourceFile;
use crate::suppress;

/// Which rules run, and at what severity.
#[derive(Debug, Clone)]
pub struct Settings {
    levels: HashMap<&'static str, Option<Severity>>,
}

impl Default for Settings {
    fn default() -> Self {
        let levels = rules::RULES
            .iter()
            .map(|r| {
                let info = r.info();
                (
                    info.id,
                    info.enabled_by_default.then_some(info.default_severity),
                )
            })
            .collect();
        Self { levels }
    }
}

impl Settings {
    /// Sets a rule's level (`None` turns it off). Returns false for an unknown rule id.
    pub fn set(&mut self, id: &str, level: Option<Severity>) -> bool {
        match rules::find(id) {
            Some(rule) => {
                self.levels.insert(rule.info().id, level);
                true
            }
            None => false,
        }
    }

    /// Settings that run only the rules listed, at their default severity.
    #[must_use]
    pub fn only(ids: &[&str]) -> Self {
        let levels = rules::RULES
            .iter()
            .map(|r| {
                let info = r.info();
                (
                    info.id,
                    ids.contains(&info.id).then_some(info.default_severity),
                )
            })
            .collect();
        Self { levels }
    }

    /// The level a rule runs at, `None` when it is off.
    #[must_use]
    pub fn level(&self, id: &str) -> Option<Severity> {
        self.levels.get(id).copied().flatten()
    }
}

pub use crate::rules::Inputs;

/// Whether `bytes` look like a binary file: a NUL byte in the first 8 KiB, as git decides.
#[must_use]
pub fn looks_binary(bytes: &[u8]) -> bool {
    memchr::memchr(0, &bytes[..bytes.len().min(8192)]).is_some()
}

/// A decoded and parsed input, ready to lint.
#[derive(Debug)]
pub struct Parsed {
    pub path: String,
    pub format: Format,
    pub source: SourceFile,
    pub document: Document,
    /// Problems with the file itself (such as invalid UTF-8), reported before the findings.
    pub notices: Vec<Diagnostic>,
}

/// Decodes, parses and lints one input.
#[must_use]
pub fn check_bytes(
    path: &str,
    bytes: Vec<u8>,
    format: Format,
    settings: &Settings,
    inputs: &Inputs,
) -> FileReport {
    match parse_bytes(path, bytes, format) {
        Ok(parsed) => lint_parsed(parsed, settings, inputs),
        Err(report) => report,
    }
}

/// Decodes and parses one input; a file that cannot be parsed at all (a binary file) comes
/// back as its finished report.
///
/// # Errors
/// The report of a file that is not text.
pub fn parse_bytes(path: &str, bytes: Vec<u8>, format: Format) -> Result<Parsed, FileReport> {
    let utf16 = crate::decode::Encoding::sniff(&bytes) != crate::decode::Encoding::Utf8;
    if !utf16 && looks_binary(&bytes) {
        return Err(FileReport::binary(path));
    }
    let mut notices = Vec::new();
    let decoded = crate::decode::decode(bytes);
    if let Some(at) = decoded.first_invalid {
        notices.push(file_diagnostic(
            path,
            &problems::INVALID_UTF8,
            format!(
                "{path} is not valid {} (first bad byte at offset {at}); invalid bytes were replaced with U+FFFD",
                decoded.encoding.name()
            ),
        ));
    }
    let source = SourceFile::decoded(path, decoded);
    let document = crate::analyse::parse(&source, format);
    Ok(Parsed {
        path: path.to_string(),
        format,
        source,
        document,
        notices,
    })
}

/// Lints a parsed input into its report.
#[must_use]
pub fn lint_parsed(parsed: Parsed, settings: &Settings, inputs: &Inputs) -> FileReport {
    let Parsed {
        path,
        format,
        source,
        document,
        notices,
    } = parsed;
    let mut diagnostics = lint(&source, &document, format, settings, inputs);
    apply_suppressions(&source, &document, format, settings, &mut diagnostics);
    diagnostics.splice(0..0, notices);
    let posts = PostSummary::of(&source, &document, &diagnostics);
    FileReport {
        path,
        format: Some(format),
        posts,
        source: (!diagnostics.is_empty()).then(|| Arc::new(source)),
        diagnostics,
    }
}

/// Runs every enabled rule over every post and returns the diagnostics, sorted by position.
#[must_use]
pub fn lint(
    source: &SourceFile,
    document: &Document,
    format: Format,
    settings: &Settings,
    inputs: &Inputs,
) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let mut findings = Vec::new();
    let labels = notes_unrecognized::FileLabels::default();
    for post in &document.posts {
        let cx = Context::new(source, document, post, inputs, format, &labels);
        // A post whose notes were not recognised gets one `notes-unrecognized` remark instead
        // of a finding for every number that did not pair.
        let recognised = cx.pairing.recognised();
        for rule in rules::RULES {
            let info = rule.info();
            let Some(severity) = settings.level(info.id) else {
                continue;
            };
            if info.reads_notes && !recognised {
                continue;
            }
            rule.check(&cx, &mut findings);
            if findings.is_empty() {
                continue;
            }
            diagnostics.extend(
                findings
                    .drain(..)
                    .map(|f| stamp(source, post.index, info.id, severity, f)),
            );
        }
    }
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics
}

/// Drops the diagnostics that suppression comments silence, and reports the suppressions that
/// silenced nothing (`unused-suppression`).
fn apply_suppressions(
    source: &SourceFile,
    document: &Document,
    format: Format,
    settings: &Settings,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut suppressions = suppress::scan(source, format.spec().suppressions);
    if suppressions.is_empty() {
        return;
    }
    suppress::apply(&mut suppressions, diagnostics);
    let rule = &unused_suppression::UnusedSuppression::INFO;
    let Some(severity) = settings.level(rule.id) else {
        return;
    };
    let enabled = |id: &str| rules::find(id).map(|r| settings.level(r.info().id).is_some());
    for finding in unused_suppression::unused(&suppressions, enabled) {
        // The post around the comment, or the nearest one before it.
        let post = document
            .posts
            .iter()
            .take_while(|p| p.span.start <= finding.span.start)
            .last()
            .or(document.posts.first())
            .map_or(1, |p| p.index);
        diagnostics.push(stamp(source, post, rule.id, severity, finding));
    }
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}

/// Turns a rule's finding into a located diagnostic.
fn stamp(
    source: &SourceFile,
    post: usize,
    rule: &'static str,
    severity: Severity,
    f: Finding,
) -> Diagnostic {
    let at = source.locate(f.span);
    // Edits are applied to the file's bytes; they are exact only where the decoded text is
    // the file's own UTF-8 (the map is the identity plus a byte-order mark).
    let fix = f.fix.filter(|_| source.edits_map_exactly()).map(|fix| Fix {
        edits: fix
            .edits
            .into_iter()
            .map(|e| Edit::new(source.locate(e.span).bytes, e.replacement))
            .collect(),
        ..fix
    });
    Diagnostic {
        rule,
        severity,
        message: f.message,
        help: f.help,
        label: f.label,
        path: source.path.clone(),
        span: at.span,
        bytes: at.bytes,
        start: at.start,
        end: at.end,
        post: Some(post),
        note: f.note,
        fix,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_and_invalid_utf8_inputs_are_reported_not_fatal() {
        let settings = Settings::default();
        let r = check_bytes(
            "b.txt",
            vec![0, 1, 2],
            Format::Text,
            &settings,
            &Inputs::default(),
        );
        assert_eq!(r.diagnostics[0].rule, problems::BINARY_FILE.id);
        let r = check_bytes(
            "u.txt",
            b"A.[1]\n\n[1] Caf\xe9.\n".to_vec(),
            Format::Text,
            &settings,
            &Inputs::default(),
        );
        assert_eq!(r.diagnostics[0].rule, problems::INVALID_UTF8.id);
        assert_eq!(r.posts[0].notes, 1);
    }

    #[test]
    fn note_rules_skip_a_post_whose_notes_are_not_recognised() {
        let lint = |text: &str| {
            let r = check_bytes(
                "a.txt",
                text.as_bytes().to_vec(),
                Format::Text,
                &Settings::default(),
                &Inputs::default(),
            );
            r.diagnostics.iter().map(|d| d.rule).collect::<Vec<_>>()
        };
        // Notes but no markers: one remark, no orphan for each note.
        assert_eq!(
            lint("Text.1\n\n[1] One.\n[2] Two.\n"),
            ["notes-unrecognized"]
        );
        // Most markers pair: the orphan is reported.
        assert_eq!(
            lint("A.[1] B.[2]\n\n[1] Ann Lee, Bees (Oslo: Elv, 1977), 3.\n"),
            ["orphan-marker"]
        );
    }

    #[test]
    fn off_rules_do_not_run() {
        let mut settings = Settings::default();
        assert!(settings.set("orphan-marker", None));
        assert!(!settings.set("no-such-rule", None));
        let r = check_bytes(
            "a.txt",
            b"A.[1]\n".to_vec(),
            Format::Text,
            &settings,
            &Inputs::default(),
        );
        assert!(r.diagnostics.is_empty());
    }
}
