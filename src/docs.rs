//! The rule documentation as Markdown, made from the rules' own doc comments: `docs/rules.md`
//! and the rule table of the README. A test fails when either file is stale, and
//! `NOTELINT_BLESS=1 cargo test --test docs` writes them anew.

use std::fmt::Write as _;

use crate::rules::catalogue;
use crate::rules::{render_docs, RuleInfo};

/// Marks the start of the generated table in the README.
pub const TABLE_START: &str = "<!-- rules table: generated from the rule docs; do not edit -->";
/// Marks its end.
pub const TABLE_END: &str = "<!-- end of rules table -->";

/// The default level shown for a rule: its severity, or `off` with it.
fn default_level(info: &RuleInfo) -> String {
    if info.enabled_by_default {
        info.default_severity.name().to_string()
    } else {
        format!("off ({})", info.default_severity.name())
    }
}

/// `docs/rules.md`: every rule and file problem with its id, default level, summary and
/// documentation, each under a heading that is its id (the anchor SARIF's `helpUri` names).
#[must_use]
pub fn rules_markdown() -> String {
    let mut out = String::from(
        "# notelint rules\n\n\
         Generated from the rules' doc comments (`notelint explain RULE` prints the same text);\n\
         do not edit by hand.\n\n",
    );
    out.push_str(&table());
    for info in catalogue() {
        let _ = write!(
            out,
            "\n## {}\n\nDefault: {}. {}\n\n",
            info.id,
            default_level(info),
            sentence(info.summary)
        );
        let mut in_code = false;
        for line in render_docs(info).lines() {
            in_code ^= line.starts_with("```");
            // The rule's own sections sit one level below its heading.
            if !in_code && line.starts_with('#') {
                out.push('#');
            }
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// The rule table: id (linking to its documentation), default level, what it flags.
#[must_use]
pub fn table() -> String {
    let mut out = String::from("| id | default | flags |\n|---|---|---|\n");
    for info in catalogue() {
        let _ = writeln!(
            out,
            "| [`{id}`](docs/rules.md#{id}) | {} | {} |",
            default_level(info),
            info.summary.replace('|', "\\|"),
            id = info.id,
        );
    }
    out
}

/// `readme` with its rule table replaced by the current one; `None` when the markers are
/// missing.
#[must_use]
pub fn with_table(readme: &str) -> Option<String> {
    let start = readme.find(TABLE_START)? + TABLE_START.len();
    let end = start + readme[start..].find(TABLE_END)?;
    Some(format!(
        "{}\n{}{}",
        &readme[..start],
        table(),
        &readme[end..]
    ))
}

/// A summary as a sentence: capitalised, with a full stop.
fn sentence(summary: &str) -> String {
    let mut chars = summary.chars();
    let first = chars.next().map(|c| c.to_uppercase().collect::<String>());
    let mut s = first.unwrap_or_default() + chars.as_str();
    if !s.ends_with('.') {
        s.push('.');
    }
    s
}
