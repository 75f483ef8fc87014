//! The one path from an input to its report, shared by every subcommand: [`load`] reads the
//! input with a size cap, sniffs its format, decodes and parses it; [`lint`] runs the rules;
//! [`lint_all`] does both for a whole run, in parallel, handing the reports on in the order
//! of the inputs while holding only a few files at a time.
//!
//! When a run holds two HTML files or more, a file with note links into other files
//! (`endnotes.xhtml#note-3`) is linted against an index of the ids of every HTML file of the
//! run, so that those links are checked against the file they name.
//!
//! Each file is isolated: a panic while loading or linting one file becomes that file's
//! `internal-error` diagnostic, and every other file is still checked and reported.

mod ordered;

use std::cell::{Cell, RefCell};
use std::collections::{BTreeSet, HashSet};
use std::io::{self, Read};
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Mutex, Once, OnceLock, PoisonError};

use rayon::prelude::*;

use crate::audit::AuditFile;
use crate::base::BaseSource;
use crate::engine::{self, Inputs, Parsed, Settings};
use crate::links::{self, LinkOptions};
use crate::parse::Format;
use crate::report::FileReport;
use crate::run_files::{FileIds, RunFiles, RunView};
use crate::walk::Input;

/// What one run may read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Files larger than this many bytes are skipped with a `file-too-large` warning.
    pub max_file_size: u64,
}

/// The default `--max-file-size`: 64 MiB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 64 << 20;

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
        }
    }
}

/// Reads, decodes and parses one input. A file that cannot be parsed (unreadable, too large,
/// binary, or one that made notelint panic) comes back as its finished report.
///
/// # Errors
/// The report of a file that will not be linted.
pub fn load(input: &Input, limits: Limits) -> Result<Parsed, FileReport> {
    let path = input.display_path();
    let (bytes, format) = match read(input, limits) {
        Ok(Contents::Text(bytes, format)) => (bytes, format),
        Ok(Contents::Binary) => return Err(FileReport::binary(&path)),
        Ok(Contents::TooLarge(size)) => {
            return Err(FileReport::too_large(&path, size, limits.max_file_size))
        }
        Err(e) => return Err(FileReport::unreadable(&path, &e)),
    };
    isolate(&path, || engine::parse_bytes(&path, bytes, format))?
}

/// Lints a loaded input; a panic becomes the file's `internal-error` report.
#[must_use]
pub fn lint(parsed: Parsed, settings: &Settings, inputs: &Inputs) -> FileReport {
    let path = parsed.path.clone();
    isolate(&path, || engine::lint_parsed(parsed, settings, inputs)).unwrap_or_else(|r| r)
}

/// Parses and lints bytes that are not an input of the run (a file as it was at an earlier
/// revision), read in `format`, with no other inputs.
#[must_use]
pub fn lint_bytes(path: &str, bytes: Vec<u8>, format: Format, settings: &Settings) -> FileReport {
    lint_bytes_with(path, bytes, format, settings, &Inputs::default())
}

/// Parses and lints bytes read in `format` with these inputs (`notelint fix` lints each
/// pass's text with the file's earlier version, so that the fixes needing it are found).
#[must_use]
pub fn lint_bytes_with(
    path: &str,
    bytes: Vec<u8>,
    format: Format,
    settings: &Settings,
    inputs: &Inputs,
) -> FileReport {
    match isolate(path, || engine::parse_bytes(path, bytes, format)) {
        Ok(Ok(parsed)) => lint(parsed, settings, inputs),
        Ok(Err(report)) | Err(report) => report,
    }
}

/// Loads and lints one input.
#[must_use]
pub fn check(input: &Input, limits: Limits, settings: &Settings, inputs: &Inputs) -> FileReport {
    match load(input, limits) {
        Ok(parsed) => lint(parsed, settings, inputs),
        Err(report) => report,
    }
}

/// How a set of inputs is linted: what may be read, each input's rule levels, and where its
/// earlier version comes from.
pub struct Plan<'a> {
    pub limits: Limits,
    pub settings: &'a (dyn Fn(&Input) -> Settings + Sync),
    pub base: &'a BaseSource,
    /// Whether reports keep their source text: outputs that show snippets or read the flagged
    /// line need it; for the others each text goes as soon as its file is linted.
    pub keep_sources: bool,
}

impl Plan<'_> {
    fn inputs_for(
        &self,
        input: &Input,
        links: Option<&Arc<links::LinkResults>>,
        run: Option<&Arc<RunFiles>>,
    ) -> Inputs {
        Inputs {
            base: self.base.for_input(input),
            links: links.cloned(),
            run: run.map(|files| RunView {
                files: Arc::clone(files),
                path: input.display_path(),
            }),
        }
    }
}

/// Whether an input is an HTML file, whose ids other files of the run may link to.
fn is_html(input: &Input) -> bool {
    matches!(
        input,
        Input::File {
            format: Format::Html,
            ..
        }
    )
}

/// How many files each thread may have in flight (being linted, or linted and waiting for an
/// earlier file to be written): enough that a thread rarely waits for the writer.
const FILES_PER_THREAD: usize = 2;

/// How many threads a run uses: as many as rayon's pool would have (`RAYON_NUM_THREADS`,
/// else the CPUs this process may use), found without starting that pool, which a run
/// that does not check links never uses.
fn thread_count() -> usize {
    let from_env = |name: &str| {
        std::env::var(name)
            .ok()
            .and_then(|s| s.parse::<usize>().ok())
    };
    let cpus = || std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    match from_env("RAYON_NUM_THREADS") {
        Some(0) => cpus(),
        Some(n) => n,
        None => match from_env("RAYON_RS_NUM_CPUS") {
            Some(n @ 1..) => n,
            _ => cpus(),
        },
    }
}

/// Runs `work` on every input, on rayon's number of threads, and hands the reports to `sink`
/// in the order of the inputs.
///
/// Memory bound: at most [`FILES_PER_THREAD`] × threads files (each at most
/// `--max-file-size`, with its model and report) are held at once, however many inputs
/// there are; see [`ordered`].
fn stream(
    inputs: &[Input],
    plan: &Plan<'_>,
    work: &(dyn Fn(&Input) -> FileReport + Sync),
    sink: &mut dyn FnMut(FileReport) -> io::Result<()>,
) -> io::Result<()> {
    let threads = thread_count();
    let each = |i: usize| {
        let mut report = work(&inputs[i]);
        if !plan.keep_sources {
            report.source = None;
        }
        report
    };
    ordered::run(
        inputs.len(),
        threads,
        threads * FILES_PER_THREAD,
        &each,
        sink,
    )
}

/// Loads and lints every input, in parallel, and hands each report to `sink` as soon as every
/// earlier input's has been: the reports come in the order of the inputs, and only a few
/// files are held at once (see [`stream`]).
///
/// With two HTML inputs or more, a file with note links into other files needs the ids of
/// every HTML file of the run: the first such file gathers them (each HTML file is parsed
/// for its ids and dropped; the index holds ids only) and the others wait for it. A run
/// without such links (the common case) reads each file once.
///
/// # Errors
/// The first error of `sink`, which stops the run.
pub fn lint_all(
    inputs: &[Input],
    plan: &Plan<'_>,
    sink: &mut dyn FnMut(FileReport) -> io::Result<()>,
) -> io::Result<()> {
    let lint_with = |parsed: Parsed, input: &Input, run: Option<&Arc<RunFiles>>| {
        lint(
            parsed,
            &(plan.settings)(input),
            &plan.inputs_for(input, None, run),
        )
    };
    let check_alone = |input: &Input| match load(input, plan.limits) {
        Ok(parsed) => lint_with(parsed, input, None),
        Err(report) => report,
    };
    if inputs.iter().filter(|i| is_html(i)).count() < 2 {
        return stream(inputs, plan, &check_alone, sink);
    }
    let index: OnceLock<Option<Arc<RunFiles>>> = OnceLock::new();
    let work = |input: &Input| {
        if !is_html(input) {
            return check_alone(input);
        }
        match load(input, plan.limits) {
            Err(report) => report,
            Ok(parsed) if parsed.document.file_links.is_empty() => lint_with(parsed, input, None),
            Ok(parsed) => {
                let run = index.get_or_init(|| index_html(inputs, plan.limits));
                lint_with(parsed, input, run.as_ref())
            }
        }
    };
    stream(inputs, plan, &work, sink)
}

/// The index of the ids of the HTML inputs that load, when there are two or more: one file
/// alone has no other file of the run to link to. Files are parsed in parallel and dropped
/// once their ids are taken.
fn index_html(inputs: &[Input], limits: Limits) -> Option<Arc<RunFiles>> {
    let ids: Vec<Option<FileIds>> = inputs
        .par_iter()
        .map(|input| {
            if !is_html(input) {
                return None;
            }
            let parsed = load(input, limits).ok()?;
            (parsed.format == Format::Html).then(|| FileIds::of(&parsed.path, &parsed.document))
        })
        .collect();
    let mut files = RunFiles::default();
    for (ids, input) in ids.into_iter().zip(inputs) {
        if let Some(ids) = ids {
            files.insert(&input.display_path(), ids);
        }
    }
    (files.len() >= 2).then(|| Arc::new(files))
}

/// A run that checks links, after the links were checked and before any file is linted.
#[derive(Debug, Default)]
pub struct LinkedRun {
    /// Remarks for the end of the report, such as the links not checked.
    pub notes: Vec<String>,
    /// Problems of the run itself (an unreadable cache), for standard error.
    pub warnings: Vec<String>,
    /// Ctrl-C stopped the check.
    pub interrupted: bool,
    results: Arc<links::LinkResults>,
    /// The URLs whose status came from the cache, keyed as `results`.
    cached: HashSet<String>,
    /// The ids of the run's HTML files, when there are two or more.
    files: Option<Arc<RunFiles>>,
    /// Standard input as loaded by the first pass, which cannot read it again.
    stdin: Mutex<Option<Result<Parsed, FileReport>>>,
}

/// How many files the first pass of a run that checks links reads between two merges of
/// their URLs.
const LINK_SCAN_CHUNK: usize = 64;

/// Loads every input for its URLs (and, for HTML, its ids), then checks the distinct URLs.
/// The files are dropped once scanned (standard input excepted, which cannot be read twice):
/// [`LinkedRun::lint`] loads them again, so memory holds the distinct URLs and the ids, not
/// the files.
#[must_use]
pub fn check_links(inputs: &[Input], plan: &Plan<'_>, options: &LinkOptions) -> LinkedRun {
    let mut urls = BTreeSet::new();
    let mut files = RunFiles::default();
    let mut stdin = None;
    for chunk in inputs.chunks(LINK_SCAN_CHUNK) {
        let scanned: Vec<_> = chunk
            .par_iter()
            .map(|input| {
                let loaded = load(input, plan.limits);
                let (urls, ids) = match &loaded {
                    Ok(parsed) => (
                        parsed
                            .document
                            .posts
                            .iter()
                            .flat_map(|post| &post.urls)
                            .map(|u| u.url.clone())
                            .collect(),
                        (parsed.format == Format::Html).then(|| {
                            (
                                parsed.path.clone(),
                                FileIds::of(&parsed.path, &parsed.document),
                            )
                        }),
                    ),
                    Err(_) => (Vec::new(), None),
                };
                let kept = matches!(input, Input::Stdin { .. }).then_some(loaded);
                (urls, ids, kept)
            })
            .collect();
        for (found, ids, kept) in scanned {
            urls.extend(found);
            if let Some((path, ids)) = ids {
                files.insert(&path, ids);
            }
            if kept.is_some() {
                stdin = kept;
            }
        }
    }
    let urls: Vec<String> = urls.into_iter().collect();
    let checked = links::check_urls(&urls, options);
    let mut run = LinkedRun {
        warnings: checked.warnings,
        interrupted: checked.interrupted,
        ..LinkedRun::default()
    };
    if run.interrupted {
        return run;
    }
    if !checked.skipped_private.is_empty() {
        let n = checked.skipped_private.len();
        run.notes.push(format!(
            "{n} link{} not checked: loopback, private or link-local address{} (--allow-private checks {}): {}",
            if n == 1 { "" } else { "s" },
            if n == 1 { "" } else { "es" },
            if n == 1 { "it" } else { "them" },
            checked.skipped_private.join(", ")
        ));
    }
    run.results = Arc::new(checked.results);
    run.cached = checked.cached_urls;
    run.files = (files.len() >= 2).then(|| Arc::new(files));
    run.stdin = Mutex::new(stdin);
    run
}

impl LinkedRun {
    /// Lints every input with the links' results and hands the reports to `sink` in the
    /// order of the inputs, as [`lint_all`] does.
    ///
    /// # Errors
    /// The first error of `sink`, which stops the run.
    ///
    /// With `audit`, each file parsed also adds its [`AuditFile`] there (in the order files
    /// finish: the caller sorts them), for `notelint links`' audit report and counts.
    pub fn lint(
        &self,
        inputs: &[Input],
        plan: &Plan<'_>,
        sink: &mut dyn FnMut(FileReport) -> io::Result<()>,
        audit: Option<&Mutex<Vec<AuditFile>>>,
    ) -> io::Result<()> {
        let work = |input: &Input| {
            let loaded = match input {
                Input::Stdin { .. } => self
                    .stdin
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .take()
                    .unwrap_or_else(|| load(input, plan.limits)),
                Input::File { .. } => load(input, plan.limits),
            };
            match loaded {
                Ok(parsed) => {
                    if let Some(audit) = audit {
                        let file = AuditFile::build(
                            &parsed.path,
                            &parsed.source,
                            &parsed.document,
                            &self.results,
                            &self.cached,
                        );
                        audit
                            .lock()
                            .unwrap_or_else(PoisonError::into_inner)
                            .push(file);
                    }
                    lint(
                        parsed,
                        &(plan.settings)(input),
                        &plan.inputs_for(input, Some(&self.results), self.files.as_ref()),
                    )
                }
                Err(report) => report,
            }
        };
        stream(inputs, plan, &work, sink)
    }
}

/// What reading an input found.
#[derive(Debug)]
enum Contents {
    Text(Vec<u8>, Format),
    /// A NUL byte in the first 8 KiB (and no UTF-16 byte-order mark).
    Binary,
    /// More than the size cap; the size when known, else the cap.
    TooLarge(u64),
}

/// How much is read before deciding whether a file is binary.
const SNIFF_LEN: u64 = 8192;

/// Reads one input, at most `limits.max_file_size` bytes of it: an endless or huge file
/// (`/dev/zero`, a runaway log) is never read whole.
fn read(input: &Input, limits: Limits) -> io::Result<Contents> {
    let cap = limits.max_file_size;
    // The format an extension or `--stdin-format` names; `None` for a `.txt` file or standard
    // input without one, which may hold another format.
    let (reader, named): (Box<dyn Read>, Option<Format>) = match input {
        Input::File { path, format } => {
            let named = (*format != Format::Text).then_some(*format);
            let file = std::fs::File::open(path)?;
            let meta = file.metadata()?;
            if meta.is_dir() {
                return Err(io::Error::other("is a directory"));
            }
            if meta.is_file() && meta.len() > cap {
                return Ok(Contents::TooLarge(meta.len()));
            }
            // A regular file of known size is read into a buffer of that size (see
            // `read_sized`). A size of 0 may be a file the kernel makes up as it is read, such
            // as one under `/proc`: it is streamed below like standard input.
            if meta.is_file() && meta.len() > 0 {
                return Ok(contents(read_sized(file, meta.len())?, named));
            }
            (Box::new(file), named)
        }
        Input::Stdin { format } => (Box::new(io::stdin().lock()), *format),
    };
    let mut reader = reader.take(cap.saturating_add(1));
    let mut bytes = Vec::new();
    (&mut reader).take(SNIFF_LEN).read_to_end(&mut bytes)?;
    let utf16 = crate::decode::Encoding::sniff(&bytes) != crate::decode::Encoding::Utf8;
    if !utf16 && engine::looks_binary(&bytes) {
        return Ok(Contents::Binary);
    }
    reader.read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Ok(Contents::TooLarge(cap));
    }
    Ok(contents(bytes, named))
}

/// Reads the first `len` bytes of `file` (its size when opened) into a buffer of that size:
/// no sniffing read first, no doubling series, and no read to find the end of the file (the
/// limit answers it). The standard library reads at most 8 KiB in its first call, so a
/// larger file takes two or three calls; a buffer filled in one call would have to be
/// zeroed first, which costs more than the call it saves. A file that shrank meanwhile
/// gives what it has; one that grew gives its first `len` bytes.
fn read_sized(file: std::fs::File, len: u64) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    file.take(len).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// What a read input holds: binary, or text in the format named (else sniffed).
fn contents(bytes: Vec<u8>, named: Option<Format>) -> Contents {
    let utf16 = crate::decode::Encoding::sniff(&bytes) != crate::decode::Encoding::Utf8;
    if !utf16 && engine::looks_binary(&bytes) {
        return Contents::Binary;
    }
    let format = named.unwrap_or_else(|| {
        let sniffed = if utf16 { None } else { Format::sniff(&bytes) };
        sniffed.unwrap_or(Format::Text)
    });
    Contents::Text(bytes, format)
}

thread_local! {
    /// How many [`isolate`] calls this thread is inside.
    static ISOLATING: Cell<usize> = const { Cell::new(0) };
    /// The message and place of the last panic caught on this thread.
    static CAUGHT: RefCell<Option<String>> = const { RefCell::new(None) };
}

static HOOK: Once = Once::new();

/// Records the panics of isolated work instead of printing them; others go to the hook that
/// was installed before (the default one prints them).
fn install_hook() {
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if ISOLATING.with(Cell::get) == 0 {
                previous(info);
                return;
            }
            let payload = info.payload();
            let message = payload
                .downcast_ref::<&str>()
                .copied()
                .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
                .unwrap_or("panic");
            let place = info
                .location()
                .map(|l| format!(" at {}:{}", l.file(), l.line()))
                .unwrap_or_default();
            CAUGHT.with(|c| *c.borrow_mut() = Some(format!("{message}{place}")));
        }));
    });
}

/// Runs `work` for the file at `path`; a panic in it becomes the file's `internal-error`
/// report instead of ending the run.
///
/// # Errors
/// The `internal-error` report when `work` panicked.
pub fn isolate<T>(path: &str, work: impl FnOnce() -> T) -> Result<T, FileReport> {
    install_hook();
    ISOLATING.with(|n| n.set(n.get() + 1));
    let result = panic::catch_unwind(AssertUnwindSafe(|| {
        inject_panic(path);
        work()
    }));
    ISOLATING.with(|n| n.set(n.get() - 1));
    result.map_err(|_| {
        let what = CAUGHT
            .with(|c| c.borrow_mut().take())
            .unwrap_or_else(|| "panic".to_string());
        FileReport::problem(
            path,
            &crate::problems::INTERNAL_ERROR,
            format!(
                "notelint failed on {path} ({what}); this is a bug in notelint: please report it \
                 with this file. The other files were checked."
            ),
        )
    })
}

/// Debug builds only: panics while checking a file whose path contains the text of
/// `NOTELINT_DEBUG_PANIC_ON`, so tests can show that one file's panic loses no other output.
fn inject_panic(path: &str) {
    #[cfg(debug_assertions)]
    if let Some(needle) = std::env::var_os("NOTELINT_DEBUG_PANIC_ON") {
        if needle
            .to_str()
            .is_some_and(|n| !n.is_empty() && path.contains(n))
        {
            panic!("injected panic for {path}");
        }
    }
    #[cfg(not(debug_assertions))]
    let _ = path;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_the_files_internal_error() {
        let r = isolate("a.txt", || -> u32 { panic!("boom") }).expect_err("caught");
        let d = &r.diagnostics[0];
        assert_eq!(d.rule, crate::problems::INTERNAL_ERROR.id);
        assert!(d.message.contains("boom"), "{}", d.message);
        assert!(d.message.contains("src/pipeline.rs"), "{}", d.message);
        assert_eq!(isolate("b.txt", || 7).ok(), Some(7));
    }

    #[test]
    fn reading_stops_at_the_size_cap() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("big.txt");
        std::fs::write(&path, "x".repeat(100)).expect("write");
        let input = Input::File {
            path,
            format: Format::Text,
        };
        let small = Limits { max_file_size: 99 };
        assert!(matches!(read(&input, small), Ok(Contents::TooLarge(100))));
        let exact = Limits { max_file_size: 100 };
        assert!(matches!(read(&input, exact), Ok(Contents::Text(b, _)) if b.len() == 100));
    }

    #[cfg(unix)]
    #[test]
    fn an_endless_file_is_not_read_whole() {
        // `/dev/zero` is binary from its first byte; reading stops after the sniff.
        let input = Input::File {
            path: "/dev/zero".into(),
            format: Format::Text,
        };
        assert!(matches!(
            read(&input, Limits::default()),
            Ok(Contents::Binary)
        ));
    }

    #[test]
    fn utf16_is_not_binary() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("w.txt");
        let mut bytes = vec![0xff, 0xfe];
        for u in "A claim.[1]\n\n[1] A note.\n".encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        std::fs::write(&path, &bytes).expect("write");
        let input = Input::File {
            path,
            format: Format::Text,
        };
        let parsed = load(&input, Limits::default()).expect("parsed");
        assert_eq!(parsed.document.posts[0].notes.len(), 1);
    }
}
