//! `notelint check`: every rule, optionally with links and an earlier revision.

use std::io;
use std::path::PathBuf;
use std::sync::Arc;

use super::run::{collect, git_dir, load_config, Run};
use super::{CheckArgs, Exit, OutputFormat};
use crate::base::{Base, BaseSource};
use crate::parse::Format;
use crate::walk::{self, Input};

/// `notelint check`.
///
/// # Errors
/// Errors writing the report.
pub fn check(args: &CheckArgs) -> io::Result<Exit> {
    check_or_fix(args, None)
}

/// `check`, fixing first when `--fix` or `fix` says so (`diff`: `fix --diff`, which prints
/// the fixes instead of applying them and reports nothing else).
pub(super) fn check_or_fix(args: &CheckArgs, diff: Option<bool>) -> io::Result<Exit> {
    if args.run.format == OutputFormat::Csv {
        eprintln!("notelint: --format csv writes the link audit of `notelint links`");
        return Ok(Exit::Error);
    }
    let Some(config) = load_config(&args.run.input) else {
        return Ok(Exit::Error);
    };
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let Some((inputs, files)) = collect(&config, &paths, args.run.input.stdin_format) else {
        return Ok(Exit::Error);
    };
    let base = match base_source(args, &inputs) {
        Ok(base) => base,
        Err(e) => {
            eprintln!("notelint: {e}");
            return Ok(Exit::Error);
        }
    };
    if let Some(rev) = &args.changed_since {
        if let Err(e) = crate::base::verify_revision(rev, &git_dir(&inputs)) {
            eprintln!("notelint: {e}");
            return Ok(Exit::Error);
        }
    }
    let links = if args.check_links {
        match args.links.options(&config.links) {
            Ok(options) => Some(options),
            Err(e) => {
                eprintln!("notelint: {e}");
                return Ok(Exit::Error);
            }
        }
    } else {
        None
    };
    let mut settings = config.settings();
    // Command-line levels win over the file, overrides included.
    for (id, level) in &args.rules {
        settings.set(id, *level);
    }
    let run = Run {
        config: &config,
        settings,
        per_path: true,
        rule_levels: &args.rules,
        base: &base,
        args: &args.run,
        changed_since: args.changed_since.as_deref(),
        links: links.as_ref(),
        progress: !args.links.no_progress,
        audit: None,
    };
    let mut fixed = Exit::Clean;
    if args.fix || args.renumber || diff.is_some() {
        let diff = diff.unwrap_or(false);
        let how = super::fix::How {
            unsafe_fixes: args.unsafe_fixes,
            renumber: args.renumber,
            diff,
        };
        fixed = super::fix::fix_inputs(&run, &inputs, how)?;
        if diff {
            return Ok(fixed);
        }
    }
    let exit = run.execute(&inputs, files)?;
    // A file that could not be fixed (read-only) fails the run as an I/O error does.
    Ok(if fixed == Exit::Error {
        Exit::Error
    } else {
        exit
    })
}

/// Where `--base` or `--base-file` says the earlier version of each input comes from.
fn base_source(args: &CheckArgs, inputs: &[Input]) -> io::Result<BaseSource> {
    if let Some(rev) = &args.base {
        crate::base::verify_revision(rev, &git_dir(inputs))?;
        return Ok(BaseSource::Revision(rev.clone()));
    }
    let Some(old) = &args.base_file else {
        return Ok(BaseSource::None);
    };
    let format = match inputs {
        [Input::File { format, .. }
        | Input::Stdin {
            format: Some(format),
        }] => *format,
        [Input::Stdin { format: None }] => Format::Text,
        _ => {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "--base-file compares exactly one input file; use --base REV for several",
            ))
        }
    };
    let bytes = std::fs::read(old)
        .map_err(|e| io::Error::new(e.kind(), format!("cannot read {}: {e}", old.display())))?;
    let label = walk::display(old);
    Ok(BaseSource::File(Arc::new(Base::parse(
        label.clone(),
        &label,
        &bytes,
        format,
    ))))
}
