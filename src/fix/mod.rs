//! Applying fixes: the edits that diagnostics carry, put into a file's bytes without overlap,
//! shown as a unified diff, and written back atomically.

use std::io::{self, Write};
use std::path::Path;

use crate::diagnostic::{Edit, Fix};

pub mod renumber;
/// Kept at the top level so that rules may build short forms too (rules may not import `fix`,
/// which imports them).
pub use crate::short_form;

/// A file's bytes after its fixes, and what became of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub bytes: Vec<u8>,
    /// Fixes applied whole.
    pub applied: usize,
    /// Fixes left out because an edit overlapped one of a fix taken before.
    pub dropped: usize,
}

/// Whether two edits touch the same bytes. Two insertions at one offset overlap too: their
/// order would be a guess. An insertion at the start or end of a replaced range does not.
fn overlaps(a: &Edit, b: &Edit) -> bool {
    let (a, b) = (a.span, b.span);
    (a.start < b.end && b.start < a.end) || (a.is_empty() && b.is_empty() && a.start == b.start)
}

/// Applies `fixes` to `bytes` in the order given, each whole or not at all: a fix with an
/// edit that overlaps an edit already taken (or that lies outside the bytes) is dropped and
/// counted. `O(e log e + n)` for `e` edits in `n` bytes.
#[must_use]
pub fn apply(bytes: &[u8], fixes: &[&Fix]) -> Applied {
    let mut taken: Vec<&Edit> = Vec::new();
    let (mut applied, mut dropped) = (0, 0);
    for fix in fixes {
        let fits = fix.edits.iter().all(|e| {
            if e.span.start > e.span.end || e.span.end > bytes.len() {
                return false;
            }
            // Only the neighbours in start order can overlap: taken edits never overlap each
            // other, so they are sorted by end as well.
            let i =
                taken.partition_point(|t| (t.span.start, t.span.end) < (e.span.start, e.span.end));
            let before = i.checked_sub(1).and_then(|j| taken.get(j));
            let after = taken.get(i);
            !before.is_some_and(|t| overlaps(t, e)) && !after.is_some_and(|t| overlaps(t, e))
        }) && !fix.edits.windows(2).any(|w| overlaps(&w[0], &w[1]));
        if !fits {
            dropped += 1;
            continue;
        }
        for e in &fix.edits {
            let i =
                taken.partition_point(|t| (t.span.start, t.span.end) < (e.span.start, e.span.end));
            taken.insert(i, e);
        }
        applied += 1;
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    for e in taken {
        out.extend_from_slice(&bytes[at..e.span.start]);
        out.extend_from_slice(e.replacement.as_bytes());
        at = e.span.end;
    }
    out.extend_from_slice(&bytes[at..]);
    Applied {
        bytes: out,
        applied,
        dropped,
    }
}

/// The unified diff (three lines of context) from `old` to `new` of the file `path`; empty
/// when they are equal. Line endings are shown as they are.
#[must_use]
pub fn unified_diff(path: &str, old: &[u8], new: &[u8]) -> String {
    if old == new {
        return String::new();
    }
    let old = String::from_utf8_lossy(old);
    let new = String::from_utf8_lossy(new);
    similar::TextDiff::from_lines(old.as_ref(), new.as_ref())
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

/// Replaces the file at `path` by `bytes` atomically: written to a temporary file in the same
/// folder, given the file's permissions, then renamed over it. A reader sees the old file or
/// the new one, never a part.
///
/// # Errors
/// Errors creating, writing or renaming the temporary file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let permissions = std::fs::metadata(path)?.permissions();
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".notelint-fix-")
        .tempfile_in(folder)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.as_file().set_permissions(permissions)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    fn fix(edits: &[(usize, usize, &str)]) -> Fix {
        Fix::safe(
            edits
                .iter()
                .map(|&(s, e, r)| Edit::new(Span::new(s, e), r))
                .collect(),
        )
    }

    fn run(text: &str, fixes: &[Fix]) -> (String, usize, usize) {
        let refs: Vec<&Fix> = fixes.iter().collect();
        let a = apply(text.as_bytes(), &refs);
        (
            String::from_utf8(a.bytes).expect("utf-8"),
            a.applied,
            a.dropped,
        )
    }

    #[test]
    fn edits_keep_crlf_line_endings() {
        let text = "[1] https://a.org/wp-\r\n  content/x.pdf\r\n[2] b,https://b.org\r\n";
        let break_ = text.find("\r\n  ").expect("break");
        let glued = text.find("https://b").expect("glued");
        let (out, applied, dropped) = run(
            text,
            &[
                fix(&[(break_, break_ + 4, "")]),
                fix(&[(glued, glued, " ")]),
            ],
        );
        assert_eq!(
            out,
            "[1] https://a.org/wp-content/x.pdf\r\n[2] b, https://b.org\r\n"
        );
        assert_eq!((applied, dropped), (2, 0));
    }

    #[test]
    fn edits_keep_a_bom_and_non_breaking_spaces() {
        let text = "\u{feff}A\u{a0}B,https://a.org/x?utm_source=t\u{a0}C\n";
        let url = text.find("https").expect("url");
        let end = text.find("\u{a0}C").expect("end");
        let (out, _, _) = run(
            text,
            &[
                fix(&[(url, end, "https://a.org/x")]),
                fix(&[(url, url, " ")]),
            ],
        );
        assert_eq!(out, "\u{feff}A\u{a0}B, https://a.org/x\u{a0}C\n");
    }

    #[test]
    fn a_later_overlapping_fix_is_dropped_whole() {
        let text = "abcdefghij";
        let (out, applied, dropped) = run(
            text,
            &[
                fix(&[(2, 4, "X")]),
                // Overlaps the first at 3: dropped, with its other edit.
                fix(&[(0, 1, "Y"), (3, 5, "Z")]),
                fix(&[(4, 4, "+")]),
                // A second insertion at the same offset: dropped.
                fix(&[(4, 4, "-")]),
                fix(&[(9, 10, "")]),
            ],
        );
        assert_eq!(out, "abX+efghi");
        assert_eq!((applied, dropped), (3, 2));
    }

    #[test]
    fn an_edit_outside_the_text_is_dropped_not_a_panic() {
        let (out, applied, dropped) = run("abc", &[fix(&[(2, 9, "")])]);
        assert_eq!((out.as_str(), applied, dropped), ("abc", 0, 1));
    }

    #[test]
    fn the_diff_names_the_file_and_only_changed_lines() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\ni\n";
        let new = "a\nb\nc\nd\ne\nf\ng\nH\ni\n";
        let diff = unified_diff("p.txt", old.as_bytes(), new.as_bytes());
        assert!(
            diff.starts_with("--- a/p.txt\n+++ b/p.txt\n@@ -5,5 +5,5 @@\n"),
            "{diff}"
        );
        assert!(diff.contains("-h\n+H\n"), "{diff}");
        assert_eq!(unified_diff("p.txt", b"x", b"x"), "");
    }
}
