//! The earlier revision of an input, read from git (`--base REV`) or from a file
//! (`--base-file OLD`) and parsed, for rules that compare a change with what came before.

use foldhash::{HashMap, HashMapExt};
use std::io;
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, LazyLock};

use regex::Regex;

use crate::model::Document;
use crate::parse::Format;
use crate::problems;
use crate::report::FileReport;
use crate::source::SourceFile;
use crate::walk::{self, Input};

/// An earlier version of one input file, parsed.
#[derive(Debug)]
pub struct Base {
    /// How messages name the earlier version: the revision or the old file's path.
    pub label: String,
    pub source: SourceFile,
    pub document: Document,
}

impl Base {
    /// Parses the earlier version's bytes, decoded as inputs are.
    #[must_use]
    pub fn parse(label: impl Into<String>, path: &str, bytes: &[u8], format: Format) -> Self {
        let source = SourceFile::decoded(path, crate::decode::decode(bytes.to_vec()));
        let document = crate::analyse::parse(&source, format);
        Self {
            label: label.into(),
            source,
            document,
        }
    }
}

/// Where the earlier version of each input comes from.
#[derive(Debug)]
pub enum BaseSource {
    None,
    /// `--base REV`: each file as of this git revision.
    Revision(String),
    /// `--base-file OLD`: the one input's earlier version, already parsed.
    File(Arc<Base>),
}

impl BaseSource {
    /// The earlier version of `input`, if there is one.
    #[must_use]
    pub fn for_input(&self, input: &Input) -> Option<Arc<Base>> {
        match (self, input) {
            (Self::None, _) | (Self::Revision(_), Input::Stdin { .. }) => None,
            (Self::File(base), _) => Some(Arc::clone(base)),
            (Self::Revision(rev), Input::File { path, format }) => {
                // A file new since `rev` has nothing to compare with.
                let bytes = read_at_revision(rev, path).ok()??;
                Some(Arc::new(Base::parse(
                    rev.clone(),
                    &walk::display(path),
                    &bytes,
                    *format,
                )))
            }
        }
    }
}

/// `--changed-since`: keeps only the findings that are new since `rev`.
///
/// The file as it was at `rev` is linted too (`lint_old` gets its bytes and the format the
/// file is read in), and a finding is new when the old version has no finding of the same
/// rule, the same message (line numbers in it aside) and the same flagged text. Matching is
/// by count, so a second copy of an old fault is new. This survives lines moving: a paragraph
/// inserted above an old fault, or an old fault moved with its paragraph, does not make it
/// new, while a deleted note makes its marker's `orphan-marker` new although the marker's
/// line did not change. Findings of the rules `by_line` names (the link rules: they depend on
/// the network, not on the text) stay when their line changed. A file new since `rev` is new
/// throughout; problems with the file itself always stay.
///
/// # Errors
/// When git cannot say what the file was at `rev`; the report is then left whole.
pub fn keep_new(
    report: &mut FileReport,
    rev: &str,
    path: &Path,
    lint_old: impl FnOnce(Vec<u8>, Format) -> FileReport,
    by_line: impl Fn(&str) -> bool,
) -> io::Result<()> {
    if report
        .diagnostics
        .iter()
        .all(|d| problems::is_fatal(d.rule))
    {
        return Ok(());
    }
    let Some(bytes) = read_at_revision(rev, path)? else {
        return Ok(());
    };
    let Some(format) = report.format else {
        return Ok(());
    };
    let old = lint_old(bytes, format);
    let mut seen: HashMap<Fingerprint, usize> = HashMap::new();
    for d in &old.diagnostics {
        *seen
            .entry(fingerprint(d, old.source.as_deref()))
            .or_default() += 1;
    }
    let changed = if report.diagnostics.iter().any(|d| by_line(d.rule)) {
        Some(changed_lines(rev, path)?)
    } else {
        None
    };
    let source = report.source.clone();
    report.diagnostics.retain(|d| {
        if problems::is_fatal(d.rule) {
            return true;
        }
        if by_line(d.rule) {
            return changed.as_ref().is_none_or(|c| c.contains(d.start.line));
        }
        match seen.get_mut(&fingerprint(d, source.as_deref())) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        }
    });
    Ok(())
}

/// What identifies a finding across versions of a file: its rule, its message with line
/// numbers taken out, and the text it flags.
type Fingerprint = (&'static str, String, String);

fn fingerprint(d: &crate::diagnostic::Diagnostic, source: Option<&SourceFile>) -> Fingerprint {
    static LINE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\blines? [0-9]+(?:[–-][0-9]+)?").expect("valid regex"));
    let message = LINE.replace_all(&d.message, "line _").into_owned();
    let flagged = source
        .and_then(|s| s.text.get(d.span.start..d.span.end))
        .unwrap_or("")
        .to_string();
    (d.rule, message, flagged)
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

/// The folder to run git in for `path`, and `path`'s name in it.
fn git_location(path: &Path) -> Option<(&Path, String)> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path.file_name()?.to_string_lossy().into_owned();
    Some((dir, name))
}

/// The bytes of `path` as of `rev`, or `None` when the file did not exist then.
///
/// # Errors
/// When git cannot be run.
pub fn read_at_revision(rev: &str, path: &Path) -> io::Result<Option<Vec<u8>>> {
    let Some((dir, name)) = git_location(path) else {
        return Ok(None);
    };
    // `REV:./NAME` is relative to the directory git runs in, wherever the repository root is.
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .arg("show")
        .arg(format!("{rev}:./{name}"))
        .output()?;
    Ok(out.status.success().then_some(out.stdout))
}

/// The lines of a file that changed since a revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangedLines {
    /// The file is new since the revision: every line is.
    All,
    /// These 1-based line ranges, first and last inclusive, in order.
    Ranges(Vec<(usize, usize)>),
}

impl ChangedLines {
    /// Whether 1-based `line` changed.
    #[must_use]
    pub fn contains(&self, line: usize) -> bool {
        match self {
            Self::All => true,
            Self::Ranges(ranges) => ranges.iter().any(|&(a, b)| (a..=b).contains(&line)),
        }
    }
}

/// The lines of `path` (as it is on disk) that differ from `rev`.
///
/// # Errors
/// When git cannot be run or fails.
pub fn changed_lines(rev: &str, path: &Path) -> io::Result<ChangedLines> {
    if read_at_revision(rev, path)?.is_none() {
        return Ok(ChangedLines::All);
    }
    let Some((dir, name)) = git_location(path) else {
        return Ok(ChangedLines::All);
    };
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "diff",
            "--no-color",
            "--no-ext-diff",
            "--text",
            "--unified=0",
            rev,
            "--",
        ])
        .arg(format!("./{name}"))
        .output()?;
    if !out.status.success() {
        return Err(io::Error::other(format!(
            "git diff {rev} failed for {}: {}",
            path.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(ChangedLines::Ranges(parse_hunks(&out.stdout)))
}

/// The new-side line ranges of the hunks of a `--unified=0` diff.
fn parse_hunks(diff: &[u8]) -> Vec<(usize, usize)> {
    let mut ranges = Vec::new();
    for line in diff.split(|&b| b == b'\n') {
        let Some(rest) = line.strip_prefix(b"@@ -") else {
            continue;
        };
        let Some(plus) = rest.iter().position(|&b| b == b'+') else {
            continue;
        };
        let new = &rest[plus + 1..];
        let end = new.iter().position(|&b| b == b' ').unwrap_or(new.len());
        let spec = String::from_utf8_lossy(&new[..end]);
        let (start, count) = match spec.split_once(',') {
            Some((s, c)) => (s.parse::<usize>(), c.parse::<usize>()),
            None => (spec.parse::<usize>(), Ok(1)),
        };
        // A hunk of only removed lines adds none.
        if let (Ok(start), Ok(count)) = (start, count) {
            if count > 0 {
                ranges.push((start, start + count - 1));
            }
        }
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hunk_headers_give_new_line_ranges() {
        let diff = b"diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -3 +3 @@ ctx\n-a\n+b\n\
                     @@ -10,0 +11,2 @@\n+c\n+d\n@@ -20,4 +21,0 @@\n-e\n";
        assert_eq!(parse_hunks(diff), vec![(3, 3), (11, 12)]);
        let changed = ChangedLines::Ranges(parse_hunks(diff));
        assert!(changed.contains(12) && !changed.contains(13));
    }
}
