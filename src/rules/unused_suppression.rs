use super::{declare_rule, Context, Rule, RuleInfo};
use crate::diagnostic::Finding;
use crate::suppress::{Directive, Suppression};

declare_rule! {
    /// ## What it does
    /// Flags a suppression comment that silences nothing: the rule it names reported nothing on
    /// the lines it covers, the rule id is unknown, or a `notelint-enable` closes no
    /// `notelint-disable`.
    ///
    /// ## Why is this bad?
    /// A suppression outlives the problem it was written for. Left in place it would hide the
    /// next real problem of that kind on the same line, and a misspelt rule id silences nothing
    /// while looking as if it did. Suppressions of rules turned off by the configuration are
    /// not reported.
    ///
    /// ## Example
    /// ```text
    /// notelint-disable-next-line orphan-marker
    /// The camps held thousands.[1]
    ///
    /// [1] Hawk, The Hidden Gulag, 2012.
    /// ```
    ///
    /// ## Use instead
    /// Delete the suppression, or correct the rule id it names.
    pub struct UnusedSuppression {
        id: "unused-suppression",
        severity: Info,
        summary: "a suppression comment that silences nothing",
    }
}

impl Rule for UnusedSuppression {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    /// Suppressions are matched after every other rule has run, so the engine calls
    /// [`unused`] instead; a post alone has nothing to report.
    fn check(&self, _cx: &Context<'_>, _out: &mut Vec<Finding>) {}
}

/// A finding for each suppression that silenced nothing; `enabled` tells whether a rule id
/// names a rule that runs on this file.
pub fn unused(
    suppressions: &[Suppression],
    enabled: impl Fn(&str) -> Option<bool>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for s in suppressions.iter().filter(|s| !s.used) {
        let finding = match (s.directive, enabled(&s.rule)) {
            (_, None) => Finding::new(
                s.span,
                format!("unknown rule `{}` in a suppression", s.rule),
            )
            .label("unknown rule")
            .help("`notelint rules` lists every rule id; correct it or delete the suppression"),
            // A rule turned off reports nothing to silence: not the suppression's fault.
            (_, Some(false)) => continue,
            (Directive::StrayEnable, Some(true)) => Finding::new(
                s.span,
                format!(
                    "`notelint-enable {}` closes no `notelint-disable {}`",
                    s.rule, s.rule
                ),
            )
            .label("nothing to enable")
            .help("delete it, or add the `notelint-disable` it was meant to close"),
            (Directive::NextLine | Directive::Disable, Some(true)) => Finding::new(
                s.span,
                format!("unused suppression: `{}` reports nothing here", s.rule),
            )
            .label("silences nothing")
            .help("delete the suppression"),
        };
        out.push(finding);
    }
    out
}
