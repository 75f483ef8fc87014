//! Problems with an input file itself, rather than with its notes: reported like rule findings
//! (listed by `notelint rules`, documented by `notelint explain`), but found while loading, so
//! no rule can turn them off.

use crate::diagnostic::RuleInfo;
use crate::diagnostic::Severity;

const fn problem(
    id: &'static str,
    default_severity: Severity,
    summary: &'static str,
    docs: &'static str,
) -> RuleInfo {
    RuleInfo {
        id,
        default_severity,
        enabled_by_default: true,
        summary,
        reads_notes: false,
        docs,
    }
}

/// The file could not be read.
pub const IO_ERROR: RuleInfo = problem(
    "io-error",
    Severity::Error,
    "an input file could not be read",
    "## What it does
The path does not exist, cannot be opened, or reading it failed.

## Why is this bad?
A file that was not read was not checked; the run exits with code 2 so that a gate does not
pass on a file it never saw. The other files are still checked and reported.
",
);

/// The file is not valid UTF-8 (or UTF-16) and was decoded lossily.
pub const INVALID_UTF8: RuleInfo = problem(
    "invalid-utf8",
    Severity::Warning,
    "an input file is not valid UTF-8 and was decoded lossily",
    "## What it does
Reports a file whose bytes are not valid UTF-8 (or, after a UTF-16 byte-order mark, not valid
UTF-16). Invalid bytes are read as U+FFFD and the file is checked as usual; the message gives
the offset of the first bad byte.

## Why is this bad?
Such a file is usually in a legacy encoding (Latin-1, Windows-1252) and shows garbled
characters on a page served as UTF-8. Positions in the reports still name the file's own
bytes.

## Example
A post saved as Windows-1252 with `Café` in it: the `é` is byte 0xE9, which is not UTF-8.
",
);

/// The file looks binary and was skipped.
pub const BINARY_FILE: RuleInfo = problem(
    "binary-file",
    Severity::Warning,
    "an input file looks binary and was skipped",
    "## What it does
Skips a file with a NUL byte in its first 8 KiB (as git decides), unless it starts with a
UTF-16 byte-order mark.

## Why is this bad?
A binary file named as a post (an image, an archive with a `.txt` name) holds no notes to
check; only the first 8 KiB are read.
",
);

/// The file is larger than `--max-file-size` and was skipped.
pub const FILE_TOO_LARGE: RuleInfo = problem(
    "file-too-large",
    Severity::Warning,
    "an input file is larger than --max-file-size and was skipped",
    "## What it does
Skips a file larger than `--max-file-size` (64 MiB unless set), without reading more of it than
the limit.

## Why is this bad?
No post is that large; such a file is most likely a data dump or an endless device, and
reading it whole could exhaust memory. Raise the limit if the file really is a document.
",
);

/// notelint failed on the file (a bug); the other files were still checked.
pub const INTERNAL_ERROR: RuleInfo = problem(
    "internal-error",
    Severity::Error,
    "notelint failed on an input file (a bug to report); the others were checked",
    "## What it does
notelint stopped with an internal error while reading or checking this file. The message names
where; the file's other findings are lost, but every other file is checked and reported, and
the run exits with code 2.

## Why is this bad?
It is a bug in notelint. Please report it with the file (or the smallest part of it that still
fails).
",
);

/// Every file problem, in the order `notelint rules` lists them.
pub static ALL: [&RuleInfo; 5] = [
    &IO_ERROR,
    &INVALID_UTF8,
    &BINARY_FILE,
    &FILE_TOO_LARGE,
    &INTERNAL_ERROR,
];

/// The file problem with this id.
#[must_use]
pub fn find(id: &str) -> Option<&'static RuleInfo> {
    ALL.iter().copied().find(|p| p.id == id)
}

/// Whether a problem with this id makes the run exit 2: the file was not checked at all, and
/// not because of what it holds.
#[must_use]
pub fn is_fatal(id: &str) -> bool {
    id == IO_ERROR.id || id == INTERNAL_ERROR.id
}
