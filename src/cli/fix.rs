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

use std::io::{self, Write};

use super::run::Run;
use super::Exit;
use crate::diagnostic::Fix;
use crate::fix::{apply, unified_diff, write_atomic};
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

/// Fixes every input file (standard input is not fixed: say so). With `diff`, prints the
/// diffs and changes nothing: `Findings` when a file would change. Otherwise writes the
/// fixed files: `Error` when a file could not be read or written (a read-only file), else
/// `Clean`.
pub(super) fn fix_inputs(
    run: &Run<'_>,
    inputs: &[Input],
    unsafe_fixes: bool,
    diff: bool,
) -> io::Result<Exit> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut failed = false;
    let (mut files, mut fixes, mut changed) = (0usize, 0usize, 0usize);
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
        let mut applied = 0;
        let mut pending = false;
        for pass in 0..MAX_PASSES {
            let report = pipeline::lint_bytes(&shown, current.clone(), *format, &settings);
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
            eprintln!(
                "notelint: {shown} is read-only: {} left unfixed",
                crate::diagnostic::plural(applied, "finding")
            );
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
