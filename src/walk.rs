//! Finding the input files: paths given on the command line, directories walked recursively
//! for the extensions notelint reads (honouring `.gitignore`), and `-` for standard input.

use std::path::{Path, PathBuf};

use crate::parse::Format;
use crate::report::FileReport;

/// One file to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A file; its format from its extension (`.txt` files are sniffed for another format).
    File { path: PathBuf, format: Format },
    /// Standard input in the `--stdin-format` given, else recognised from its first bytes.
    Stdin { format: Option<Format> },
}

impl Input {
    /// The path shown in reports.
    #[must_use]
    pub fn display_path(&self) -> String {
        match self {
            Self::File { path, .. } => display(path),
            Self::Stdin { .. } => "-".to_string(),
        }
    }
}

/// `path` as shown in output: with `/` separators and without a leading `./`.
#[must_use]
pub fn display(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

/// Expands `paths` into the files to check, sorted and without duplicates. Paths that do not
/// exist or cannot be walked become reports of their own, so the run goes on.
#[must_use]
pub fn collect(paths: &[PathBuf], stdin_format: Option<Format>) -> (Vec<Input>, Vec<FileReport>) {
    collect_filtered(paths, stdin_format, &|_, _| true)
}

/// As [`collect`], keeping only the files for which `keep(path, named)` holds; `named` tells
/// a file named on the command line from one found in a folder.
#[must_use]
pub fn collect_filtered(
    paths: &[PathBuf],
    stdin_format: Option<Format>,
    keep: &dyn Fn(&Path, bool) -> bool,
) -> (Vec<Input>, Vec<FileReport>) {
    let mut inputs = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin {
                format: stdin_format,
            });
            continue;
        }
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => walk_dir(path, keep, &mut inputs, &mut problems),
            Ok(_) if !keep(path, true) => {}
            Ok(_) => inputs.push(Input::File {
                path: path.clone(),
                format: Format::from_path(&path.to_string_lossy()).unwrap_or(Format::Text),
            }),
            Err(e) => problems.push(FileReport::unreadable(&display(path), &e)),
        }
    }
    inputs.sort_by_key(Input::display_path);
    inputs.dedup();
    (inputs, problems)
}

fn walk_dir(
    dir: &Path,
    keep: &dyn Fn(&Path, bool) -> bool,
    inputs: &mut Vec<Input>,
    problems: &mut Vec<FileReport>,
) {
    let walker = ignore::WalkBuilder::new(dir)
        .hidden(true)
        .require_git(false)
        .sort_by_file_name(std::cmp::Ord::cmp)
        .build();
    for entry in walker {
        match entry {
            Ok(entry) => {
                if !entry.file_type().is_some_and(|t| t.is_file()) {
                    continue;
                }
                let path = entry.into_path();
                if let Some(format) = Format::from_path(&path.to_string_lossy()) {
                    if !keep(&path, false) {
                        continue;
                    }
                    inputs.push(Input::File { path, format });
                }
            }
            Err(e) => {
                let path = match &e {
                    ignore::Error::WithPath { path, .. } => display(path),
                    _ => display(dir),
                };
                problems.push(FileReport::unreadable(
                    &path,
                    &std::io::Error::other(e.to_string()),
                ));
            }
        }
    }
}
