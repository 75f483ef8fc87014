//! The earlier revision of an input, read from git (`--base REV`) or from a file
//! (`--base-file OLD`) and parsed, for rules that compare a change with what came before.

use std::io;
use std::path::Path;
use std::process::Command;

use crate::model::{Document, Format};
use crate::parse;
use crate::source::SourceFile;

/// An earlier version of one input file, parsed.
#[derive(Debug)]
pub struct Base {
    /// How messages name the earlier version: the revision or the old file's path.
    pub label: String,
    pub source: SourceFile,
    pub document: Document,
}

impl Base {
    /// Parses the earlier version's bytes (invalid UTF-8 is replaced, as for inputs).
    #[must_use]
    pub fn parse(label: impl Into<String>, path: &str, bytes: &[u8], format: Format) -> Self {
        let source = SourceFile::new(path, String::from_utf8_lossy(bytes).into_owned());
        let document = parse::parse(&source, format);
        Self {
            label: label.into(),
            source,
            document,
        }
    }
}

/// Checks that `rev` names a commit of the repository holding `dir`.
///
/// # Errors
/// When git cannot be run or the revision is unknown.
pub fn verify_revision(rev: &str, dir: &Path) -> io::Result<()> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["rev-parse", "--verify", "--quiet"])
        .arg(format!("{rev}^{{commit}}"))
        .output()?;
    if out.status.success() {
        Ok(())
    } else {
        Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!(
                "`{rev}` is not a revision of the git repository at {}",
                dir.display()
            ),
        ))
    }
}

/// The bytes of `path` as of `rev`, or `None` when the file did not exist then.
///
/// # Errors
/// When git cannot be run.
pub fn read_at_revision(rev: &str, path: &Path) -> io::Result<Option<Vec<u8>>> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let Some(name) = path.file_name() else {
        return Ok(None);
    };
    // `REV:./NAME` is relative to the directory git runs in, wherever the repository root is.
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .arg("show")
        .arg(format!("{rev}:./{}", name.to_string_lossy()))
        .output()?;
    Ok(out.status.success().then_some(out.stdout))
}
