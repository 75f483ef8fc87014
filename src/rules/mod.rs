//! The rules: one file each, listed once in [`RULES`].
//!
//! A rule reads one post of the document model and pushes [`Finding`]s; it never reads files,
//! prints or decides its own severity. Its documentation is its doc comment, captured by
//! [`declare_rule!`] so that `notelint explain`, `notelint rules` and the README share one text.

use crate::diagnostic::{Finding, Severity};
use crate::engine::Inputs;
use crate::model::{Document, Post};
use crate::source::SourceFile;

mod duplicate_consecutive_note;
mod duplicate_note_number;
mod empty_note;
mod ibid_ambiguous;
mod ibid_locator_mismatch;
mod ibid_no_antecedent;
mod ibid_reordered;
mod numbering_gap;
mod orphan_marker;
mod orphan_note;
mod out_of_order_marker;
mod repeated_full_citation;
mod short_form_unresolved;
pub(crate) mod unused_suppression;

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

/// What a rule sees: one post, the document around it, and the file it came from.
pub struct Context<'a> {
    pub source: &'a SourceFile,
    pub document: &'a Document,
    pub post: &'a Post,
    pub inputs: &'a Inputs,
}

/// A lint rule.
pub trait Rule: Sync {
    fn info(&self) -> &'static RuleInfo;
    /// Pushes a finding for every problem in `cx.post`.
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>);
}

/// Declares a rule's unit struct and its [`RuleInfo`], taking the docs from the doc comment.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis struct $name:ident {
            id: $id:literal,
            severity: $severity:ident,
            summary: $summary:literal
            $(, enabled_by_default: $enabled:literal)?
            $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Default, Clone, Copy)]
        $vis struct $name;

        impl $name {
            pub const INFO: $crate::rules::RuleInfo = $crate::rules::RuleInfo {
                id: $id,
                default_severity: $crate::diagnostic::Severity::$severity,
                enabled_by_default: declare_rule!(@enabled $($enabled)?),
                summary: $summary,
                docs: concat!($($doc, "\n"),*),
            };
        }
    };
    (@enabled) => { true };
    (@enabled $enabled:literal) => { $enabled };
}
pub(crate) use declare_rule;

/// Every rule notelint has, in the order `notelint rules` lists them.
pub static RULES: &[&dyn Rule] = &[
    &orphan_marker::OrphanMarker,
    &orphan_note::OrphanNote,
    &duplicate_note_number::DuplicateNoteNumber,
    &out_of_order_marker::OutOfOrderMarker,
    &numbering_gap::NumberingGap,
    &empty_note::EmptyNote,
    &duplicate_consecutive_note::DuplicateConsecutiveNote,
    &ibid_no_antecedent::IbidNoAntecedent,
    &ibid_ambiguous::IbidAmbiguous,
    &ibid_locator_mismatch::IbidLocatorMismatch,
    &ibid_reordered::IbidReordered,
    &short_form_unresolved::ShortFormUnresolved,
    &repeated_full_citation::RepeatedFullCitation,
    &unused_suppression::UnusedSuppression,
];

/// The rule with this id.
#[must_use]
pub fn find(id: &str) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|r| r.info().id == id)
}

/// The docs of a rule with the leading space of each doc-comment line removed.
#[must_use]
pub fn render_docs(info: &RuleInfo) -> String {
    let mut out = String::with_capacity(info.docs.len());
    for line in info.docs.lines() {
        out.push_str(line.strip_prefix(' ').unwrap_or(line));
        out.push('\n');
    }
    out
}

#[cfg(test)]
pub(crate) mod test_support {
    //! Runs one rule over a plain-text post and renders its findings as `line:col message`.
    use super::{Context, Rule};
    use crate::parse;
    use crate::source::SourceFile;

    pub fn check_text(rule: &dyn Rule, text: &str) -> Vec<String> {
        let source = SourceFile::new("test.txt", text);
        let document = parse::parse(&source, crate::model::Format::Text);
        let inputs = crate::engine::Inputs::default();
        let mut out = Vec::new();
        for post in &document.posts {
            let cx = Context {
                source: &source,
                document: &document,
                post,
                inputs: &inputs,
            };
            let mut findings = Vec::new();
            rule.check(&cx, &mut findings);
            for f in findings {
                let at = source.line_col(f.span.start);
                out.push(format!("{}:{} {}", at.line, at.column, f.message));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_kebab_case_and_documented() {
        let mut seen = std::collections::HashSet::new();
        for rule in RULES {
            let info = rule.info();
            assert!(seen.insert(info.id), "duplicate id {}", info.id);
            assert!(info.id.chars().all(|c| c.is_ascii_lowercase() || c == '-'));
            for heading in ["## What it does", "## Why is this bad?", "## Example"] {
                assert!(info.docs.contains(heading), "{} lacks {heading}", info.id);
            }
        }
    }
}
