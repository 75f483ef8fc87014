//! `notelint fix` and `check --fix`: the fixes that diagnostics carry, applied to each input
//! file in place (atomically) or printed as a unified diff.
//!
//! Fixes are applied in passes: lint, apply every fix that does not overlap one taken before,
//! lint the result again. A fix dropped for an overlap is found again in the next pass, so
//! the run ends with what one fix would have left after another; a few passes suffice, and
//! [`MAX_PASSES`] bounds them.
//!
//! A post reported as `notes-unrecognized` is fixed too: the fixes made so far (URL joins,
//! spaces, tracking parameters) read no note structure, so a misread post cannot misplace
//! them. Fixes that rewrite notes must skip such posts.
//!
//! With `--renumber`, each post is first renumbered in order of first reference (see
//! [`crate::fix::renumber`], which skips unrecognised posts and refuses ambiguous ones);
//! the passes then run on the renumbered text.

use std::io::{self, Write};

use super::run::Run;
use super::Exit;
use crate::diagnostic::Fix;
use crate::fix::renumber::{self, Outcome};
use crate::fix::{apply, unified_diff, write_atomic};
use crate::parse::Format;
use crate::pipeline;
use crate::walk::Input;

/// The most lint-and-apply passes over one file.
const MAX_PASSES: usize = 8;

/// `notelint fix`.
///
/// # Errors
/// Errors writing the report.
pub fn fix(args: &super::FixArgs) -> io::Result<Exit> {
    super::check::check_or_fix(&args.check, Some(args.diff))
}

/// What a fix run does.
#[derive(Debug, Clone, Copy)]
pub(super) struct How {
    /// Apply the unsafe fixes too.
    pub unsafe_fixes: bool,
    /// Renumber each post's notes first.
    pub renumber: bool,
    /// Print the diffs and change nothing.
    pub diff: bool,
}

/// Fixes every input file (standard input is not fixed: say so). With `diff`, prints the
/// diffs and changes nothing: `Findings` when a file would change. Otherwise writes the
/// fixed files: `Error` when a file could not be read or written (a read-only file), else
/// `Clean`.
pub(super) fn fix_inputs(run: &Run<'_>, inputs: &[Input], how: How) -> io::Result<Exit> {
    let How {
        unsafe_fixes,
        renumber,
        diff,
    } = how;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut failed = false;
    let (mut files, mut fixes, mut changed) = (0usize, 0usize, 0usize);
    let mut footnote_files: Vec<String> = Vec::new();
    let mut unrecognized = 0;
    for input in inputs {
        let Input::File { path, format } = input else {
            eprintln!("notelint: standard input is not fixed; give the file's path");
            continue;
        };
        let shown = input.display_path();
        let original = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) => {
                eprintln!("notelint: cannot read {shown}: {e}");
                failed = true;
                continue;
            }
        };
        let settings = run.settings_for(input);
        let mut current = original.clone();
        let mut renumbered = 0;
        if renumber {
            let done = renumber_file(&shown, current, *format, unsafe_fixes);
            (current, renumbered) = (done.bytes, done.renumbered);
            if done.footnotes {
                footnote_files.push(shown.clone());
            }
            unrecognized += done.unrecognized;
        }
        let mut applied = 0;
        let mut pending = false;
        // The earlier version (`--base`, `--base-file`): Ibid. repairs compare with it.
        let lint_inputs = crate::rules::Inputs {
            base: run.base.for_input(input),
            ..crate::rules::Inputs::default()
        };
        for pass in 0..MAX_PASSES {
            let report = pipeline::lint_bytes_with(
                &shown,
                current.clone(),
                *format,
                &settings,
                &lint_inputs,
            );
            let found: Vec<&Fix> = report
                .diagnostics
                .iter()
                .filter_map(|d| d.fix.as_ref())
                .filter(|f| f.safe || unsafe_fixes)
                .collect();
            if found.is_empty() {
                break;
            }
            let result = apply(&current, &found);
            if result.applied == 0 || result.bytes == current {
                break;
            }
            applied += result.applied;
            current = result.bytes;
            pending = pass + 1 == MAX_PASSES;
        }
        if pending {
            eprintln!(
                "notelint: {shown}: fixes still overlap after {MAX_PASSES} passes; run `notelint fix` again"
            );
        }
        if current == original {
            continue;
        }
        changed += 1;
        if diff {
            out.write_all(unified_diff(&shown, &original, &current).as_bytes())?;
            continue;
        }
        let read_only = std::fs::metadata(path).is_ok_and(|m| m.permissions().readonly());
        if read_only {
            if renumbered > 0 {
                eprintln!(
                    "notelint: {shown} is read-only: {} not renumbered, {} left unfixed",
                    crate::diagnostic::plural(renumbered, "post"),
                    crate::diagnostic::plural(applied, "finding")
                );
            } else {
                eprintln!(
                    "notelint: {shown} is read-only: {} left unfixed",
                    crate::diagnostic::plural(applied, "finding")
                );
            }
            failed = true;
            continue;
        }
        match write_atomic(path, &current) {
            Ok(()) => {
                files += 1;
                fixes += applied;
            }
            Err(e) => {
                eprintln!("notelint: cannot write {shown}: {e}");
                failed = true;
            }
        }
    }
    out.flush()?;
    if unrecognized > 0 {
        eprintln!(
            "notelint: {} not renumbered: notes not recognised (`check` reports them as notes-unrecognized)",
            crate::diagnostic::plural(unrecognized, "post")
        );
    }
    if let Some(first) = footnote_files.first() {
        let which = match footnote_files.len() {
            1 => format!("{first} uses"),
            n => format!(
                "{first} and {} use",
                crate::diagnostic::plural(n - 1, "other file")
            ),
        };
        eprintln!(
            "notelint: {which} [^label] footnotes, numbered when rendered: nothing to renumber"
        );
    }
    if !diff && fixes > 0 {
        eprintln!(
            "notelint: fixed {} in {}",
            crate::diagnostic::plural(fixes, "finding"),
            crate::diagnostic::plural(files, "file")
        );
    }
    Ok(if failed {
        Exit::Error
    } else if diff && changed > 0 {
        Exit::Findings
    } else {
        Exit::Clean
    })
}

/// Renumbers the notes of each post of the file `shown` (its bytes, read as `format`), saying
/// on standard error what was done and what was refused. Returns the new bytes and how many
/// posts were renumbered, with what is said once for the run.
fn renumber_file(shown: &str, bytes: Vec<u8>, format: Format, unsafe_fixes: bool) -> Renumbered {
    let parsed = match crate::engine::parse_bytes(shown, bytes.clone(), format) {
        Ok(parsed) => parsed,
        Err(_) => return Renumbered::unchanged(bytes, false, 0),
    };
    let source = &parsed.source;
    let options = renumber::Options { unsafe_fixes };
    let plans: Vec<(usize, Outcome)> = parsed
        .document
        .posts
        .iter()
        .map(|post| {
            let outcome = renumber::plan(source, &parsed.document, post, format, options);
            (post.index, outcome)
        })
        .collect();
    let footnotes = plans.iter().any(|(_, o)| *o == Outcome::Footnotes);
    let unrecognized = plans
        .iter()
        .filter(|(_, o)| *o == Outcome::Unrecognized)
        .count();
    let quiet = |o: &Outcome| {
        matches!(
            o,
            Outcome::Empty | Outcome::InOrder | Outcome::Footnotes | Outcome::Unrecognized
        )
    };
    if plans.iter().all(|(_, o)| quiet(o)) {
        return Renumbered::unchanged(bytes, footnotes, unrecognized);
    }
    // Edits are planned on the decoded text; they map back only when decoding changed nothing.
    if !source.edits_map_exactly() {
        eprintln!("notelint: {shown} is not valid UTF-8: not renumbered");
        return Renumbered::unchanged(bytes, footnotes, unrecognized);
    }
    let mut fixes = Vec::new();
    for (index, outcome) in plans {
        let at = format!("{shown}: post {index}");
        match outcome {
            Outcome::Empty | Outcome::InOrder | Outcome::Footnotes | Outcome::Unrecognized => {}
            Outcome::Refused(why) => eprintln!("notelint: {at}: not renumbered: {why}"),
            Outcome::Renumbered {
                edits,
                moved,
                remarks,
            } => {
                for remark in &remarks {
                    eprintln!("notelint: {at}: {remark}");
                }
                eprintln!(
                    "notelint: {at}: renumbered ({} moved or renumbered)",
                    crate::diagnostic::plural(moved, "note")
                );
                // Text offsets to the file's bytes (the same but for a byte-order mark).
                let edits = edits
                    .into_iter()
                    .map(|e| {
                        crate::diagnostic::Edit::new(source.locate(e.span).bytes, e.replacement)
                    })
                    .collect();
                fixes.push(Fix::safe(edits));
            }
        }
    }
    if fixes.is_empty() {
        return Renumbered::unchanged(bytes, footnotes, unrecognized);
    }
    let refs: Vec<&Fix> = fixes.iter().collect();
    let result = apply(&bytes, &refs);
    Renumbered {
        bytes: result.bytes,
        renumbered: result.applied,
        footnotes,
        unrecognized,
    }
}

/// A file after [`renumber_file`].
struct Renumbered {
    bytes: Vec<u8>,
    /// Posts renumbered.
    renumbered: usize,
    /// Whether a post uses GFM `[^label]` footnotes.
    footnotes: bool,
    /// Posts out of order whose notes were not recognised, left alone.
    unrecognized: usize,
}

impl Renumbered {
    fn unchanged(bytes: Vec<u8>, footnotes: bool, unrecognized: usize) -> Self {
        Self {
            bytes,
            renumbered: 0,
            footnotes,
            unrecognized,
        }
    }
}
