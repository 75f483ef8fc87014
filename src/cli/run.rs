//! What `check` and `links` share: the configuration, the inputs, the run, the report and
//! the exit code.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::{Mutex, PoisonError};

use super::progress::Progress;
use super::{DenyLevel, Exit, InputArgs, OutputFormat, RunArgs};
use crate::audit::{AuditFile, Counts};
use crate::base::BaseSource;
use crate::config::{self, Config, ConfigError};
use crate::diagnostic::Severity;
use crate::engine::Settings;
use crate::links::LinkOptions;
use crate::output::{
    Concise, Emitter, Github, Human, Json, Nothing, Report, Sarif, Statistics, Stream, Summary,
};
use crate::parse::Format;
use crate::pipeline::{self, Plan};
use crate::problems;
use crate::report::FileReport;
use crate::walk::{self, Input};

/// The inputs under `paths` that the configuration's `include` and `exclude` accept, and the
/// problems of the paths that could not be read.
///
/// A path under which nothing is checked (no file of a known kind, or every one excluded) is
/// named on standard error: a run that checked nothing is not a clean run. `None` when no
/// input at all was found, which fails the run; files that the configuration excludes were
/// found, so they only get a word.
pub(super) fn collect(
    config: &Config,
    paths: &[PathBuf],
    stdin_format: Option<Format>,
) -> Option<(Vec<Input>, Vec<FileReport>)> {
    let excluded = std::cell::Cell::new(0usize);
    let keep = |path: &std::path::Path, named: bool| {
        let kept = if named {
            config.accepts_named(path)
        } else {
            config.walks_into(path)
        };
        excluded.set(excluded.get() + usize::from(!kept));
        kept
    };
    let (inputs, problems) = walk::collect_filtered(paths, stdin_format, &keep);
    for path in paths.iter().filter(|p| p.as_os_str() != "-") {
        let shown = walk::display(path);
        let found = inputs
            .iter()
            .any(|i| matches!(i, Input::File { path: p, .. } if p.starts_with(path)))
            || problems.iter().any(|r| r.path.starts_with(&shown));
        if !found {
            eprintln!(
                "notelint: no files to check under {shown} (no {} file, or all excluded by the configuration)",
                crate::parse::extensions_in_words()
            );
        }
    }
    // Files excluded on purpose (a pre-commit hook handing over only excluded drafts) are
    // not a mistake; finding no post at all is.
    if inputs.is_empty() && problems.is_empty() {
        if excluded.get() == 0 {
            eprintln!("notelint: nothing was checked");
            return None;
        }
        eprintln!(
            "notelint: nothing was checked: the configuration excludes every file found ({})",
            excluded.get()
        );
    }
    Some((inputs, problems))
}

/// The configuration for a run: `--config`, else the nearest `notelint.toml`, else defaults.
/// `None` after reporting a mistake in the file.
pub(super) fn load_config(args: &InputArgs) -> Option<Config> {
    let loaded = if args.no_config {
        Ok(default_config())
    } else if let Some(path) = &args.config {
        config::load(path)
    } else {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        match config::discover(&cwd) {
            Some(path) => config::load(&path),
            None => Ok(default_config()),
        }
    };
    match loaded {
        Ok(config) => Some(config),
        Err(e) => {
            report_config_error(&e);
            None
        }
    }
}

/// No file: globs (none) would be relative to the current folder.
fn default_config() -> Config {
    let root = std::env::current_dir()
        .and_then(std::fs::canonicalize)
        .unwrap_or_else(|_| PathBuf::from("."));
    Config {
        root,
        ..Config::default()
    }
}

/// Writes a configuration mistake to standard error with the offending key underlined.
fn report_config_error(error: &ConfigError) {
    let handler =
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
            .with_width(100)
            .with_links(false);
    let mut buf = String::new();
    if handler.render_report(&mut buf, error).is_err() {
        buf = error.to_string();
    }
    eprintln!("{}", buf.trim_end());
}

/// The folder whose git repository revisions are looked up in: the first input file's.
pub(super) fn git_dir(inputs: &[Input]) -> PathBuf {
    match inputs.first() {
        Some(Input::File { path, .. }) => path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), PathBuf::from),
        _ => PathBuf::from("."),
    }
}

/// One lint run over collected inputs.
pub(super) struct Run<'a> {
    pub config: &'a Config,
    /// The levels for a file no override names.
    pub settings: Settings,
    /// Whether the configuration's `[[overrides]]` apply.
    pub per_path: bool,
    /// `--rule` levels, which win over the configuration's overrides too.
    pub rule_levels: &'a [(String, Option<Severity>)],
    pub base: &'a BaseSource,
    pub args: &'a RunArgs,
    pub changed_since: Option<&'a str>,
    /// Set when links are checked.
    pub links: Option<&'a LinkOptions>,
    /// Whether a progress bar may be drawn (on a terminal, after a second).
    pub progress: bool,
    /// Where `notelint links` gathers its audit: each file's links and what became of them.
    pub audit: Option<&'a Mutex<Vec<AuditFile>>>,
}

impl Run<'_> {
    /// Lints `inputs`, writes the report with the `files` already reported (paths that could
    /// not be walked), and decides the exit code.
    ///
    /// Each file is written as soon as it and every file before it are linted, and then let
    /// go: the run keeps counts for the summary and the exit code, not reports.
    pub fn execute(&self, inputs: &[Input], mut files: Vec<FileReport>) -> io::Result<Exit> {
        let settings = |input: &Input| self.settings_for(input);
        let plan = Plan {
            limits: self.args.input.limits(),
            settings: &settings,
            base: self.base,
            // Human output shows source snippets and SARIF fingerprints read the flagged
            // line; other formats let each text go at once.
            // `--changed-since` compares the flagged text with the file's earlier version.
            keep_sources: matches!(self.args.format, OutputFormat::Human | OutputFormat::Sarif)
                || self.changed_since.is_some(),
        };
        let linked = match self.links {
            None => None,
            Some(options) => {
                let run = pipeline::check_links(inputs, &plan, options);
                for warning in &run.warnings {
                    eprintln!("notelint: warning: {warning}");
                }
                if run.interrupted {
                    eprintln!(
                        "notelint: interrupted; the links checked so far are saved in the cache"
                    );
                    return Ok(Exit::Interrupted);
                }
                Some(run)
            }
        };

        let stdout = io::stdout();
        let color = stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none();
        let emitter: Box<dyn Emitter> = match self.args.format {
            _ if self.args.statistics => Box::new(Statistics),
            OutputFormat::Human => Box::new(Human {
                color,
                width: terminal_width(),
            }),
            OutputFormat::Concise => Box::new(Concise),
            OutputFormat::Json => Box::new(Json),
            OutputFormat::Sarif => Box::new(Sarif),
            OutputFormat::Github => Box::new(Github),
            // The audit's CSV is written by `links` once the run is over.
            OutputFormat::Csv => Box::new(Nothing),
        };
        let failing = self
            .args
            .deny
            .map(DenyLevel::severity)
            .or(self.config.deny)
            .unwrap_or(Severity::Error);
        let mut output = Output::start(&*emitter, io::BufWriter::new(stdout.lock()), failing)?;

        // The output is sorted by path. The inputs are; the paths that could not be walked
        // go before the input of the same path, as a stable sort of both would put them.
        files.sort_by(|a, b| a.path.cmp(&b.path));
        let mut problems = files.into_iter().peekable();
        let mut next = 0;
        let mut progress = Progress::new(inputs.len(), self.progress);
        let mut sink = |mut report: FileReport| -> io::Result<()> {
            let input = inputs.get(next);
            next += 1;
            if let (Some(rev), Some(file @ Input::File { path, .. })) = (self.changed_since, input)
            {
                let settings = self.settings_for(file);
                let shown = report.path.clone();
                let lint_old =
                    |bytes, format| pipeline::lint_bytes(&shown, bytes, format, &settings);
                let is_link_rule =
                    |rule: &str| crate::rules::LINK_RULES.iter().any(|r| r.id == rule);
                if let Err(e) =
                    crate::base::keep_new(&mut report, rev, path, lint_old, is_link_rule)
                {
                    eprintln!("notelint: {e}; reporting every line of {}", path.display());
                }
            }
            // Only a bar shows the bytes read: without one, no file is looked up again.
            let bytes = match input {
                Some(Input::File { path, .. }) if progress.counts_bytes() => {
                    std::fs::metadata(path).map_or(0, |m| m.len())
                }
                _ => 0,
            };
            progress.tick(bytes, report.diagnostics.len());
            progress.suspend(|| {
                while let Some(problem) = problems.next_if(|p| p.path <= report.path) {
                    output.file(&problem)?;
                }
                output.file(&report)?;
                // Under a drawn bar, what is written shows now, not when the buffer fills.
                if progress.is_shown() {
                    output.flush()?;
                }
                Ok(())
            })
        };
        match &linked {
            None => pipeline::lint_all(inputs, &plan, &mut sink)?,
            Some(run) => run.lint(inputs, &plan, &mut sink, self.audit)?,
        }
        progress.finish();
        for problem in problems {
            output.file(&problem)?;
        }
        let mut notes = linked
            .as_ref()
            .map_or_else(Vec::new, |run| run.notes.clone());
        if let Some(audit) = self.audit {
            let files = audit.lock().unwrap_or_else(PoisonError::into_inner);
            let counts = files.iter().fold(Counts::default(), |mut all, file| {
                all += file.counts();
                all
            });
            notes.insert(0, counts.summary_line());
        }
        let (verdict, summary) = output.finish(&notes)?;
        if summary.files > 0 && summary.posts == 0 {
            eprintln!(
                "notelint: none of the {} checked holds a post with notes or markers",
                crate::diagnostic::plural(summary.files, "file")
            );
        }
        if verdict.exit == Exit::Findings && summary.errors == 0 {
            let level = match failing {
                Severity::Info => "info",
                _ => "warnings",
            };
            let why = if self.args.deny.is_some() {
                format!("--deny {level}")
            } else {
                format!("deny = \"{level}\" in the configuration")
            };
            eprintln!("notelint: no errors; the run fails because of {why}");
        }
        Ok(verdict.exit)
    }

    /// The rule levels for one input: the configuration's overrides for its path, then the
    /// command line's `--rule` levels.
    pub(super) fn settings_for(&self, input: &Input) -> Settings {
        match input {
            Input::File { path, .. } if self.per_path => {
                let mut s = self.config.settings_for(path, &self.settings);
                for (id, level) in self.rule_levels {
                    s.set(id, *level);
                }
                s
            }
            _ => self.settings.clone(),
        }
    }
}

/// An output being written: the format's stream, and the counts for the summary and the
/// exit code.
struct Output<'a, W: Write> {
    out: W,
    stream: Option<Box<dyn Stream + 'a>>,
    summary: Summary,
    verdict: Verdict,
    /// The reader stopped early (`| head`): the run goes on for the exit code, unwritten.
    closed: bool,
}

impl<'a, W: Write> Output<'a, W> {
    fn start(emitter: &'a dyn Emitter, mut out: W, failing: Severity) -> io::Result<Self> {
        let mut closed = false;
        let stream = Self::guard(&mut closed, emitter.start(&mut out))?;
        Ok(Self {
            out,
            stream,
            summary: Summary::default(),
            verdict: Verdict::new(failing),
            closed,
        })
    }

    /// The value of a write, `None` once the reader has gone: a reader that stops early
    /// does not turn findings into success, so a closed pipe ends the writing, not the run.
    fn guard<T>(closed: &mut bool, result: io::Result<T>) -> io::Result<Option<T>> {
        match result {
            Ok(value) => Ok(Some(value)),
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                *closed = true;
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    fn file(&mut self, file: &FileReport) -> io::Result<()> {
        self.summary.add(file);
        self.verdict.add(file);
        if let (false, Some(stream)) = (self.closed, &mut self.stream) {
            let written = stream.file(file, &mut self.out);
            Self::guard(&mut self.closed, written)?;
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        let flushed = self.out.flush();
        Self::guard(&mut self.closed, flushed).map(|_| ())
    }

    fn finish(mut self, notes: &[String]) -> io::Result<(Verdict, Summary)> {
        if let (false, Some(stream)) = (self.closed, self.stream.take()) {
            let written = stream
                .finish(&self.summary, notes, &mut self.out)
                .and_then(|()| self.out.flush());
            Self::guard(&mut self.closed, written)?;
        }
        Ok((self.verdict, self.summary))
    }
}

/// The exit code of a run, decided file by file.
struct Verdict {
    /// Findings at or above this severity fail the run.
    failing: Severity,
    exit: Exit,
}

impl Verdict {
    const fn new(failing: Severity) -> Self {
        Self {
            failing,
            exit: Exit::Clean,
        }
    }

    fn add(&mut self, file: &FileReport) {
        for d in &file.diagnostics {
            if problems::is_fatal(d.rule) {
                self.exit = Exit::Error;
            } else if d.severity >= self.failing && self.exit == Exit::Clean {
                self.exit = Exit::Findings;
            }
        }
    }
}

/// The exit code for a finished report when findings at `failing` or above fail the run.
#[must_use]
pub fn exit_at(report: &Report, failing: Severity) -> Exit {
    let mut verdict = Verdict::new(failing);
    for file in &report.files {
        verdict.add(file);
    }
    verdict.exit
}

/// The width human output is laid out for: `COLUMNS` when the shell sets it, else 100.
/// Messages and help are never wrapped whatever the width; it shapes the snippets.
fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&w| w >= 40)
        .unwrap_or(100)
}
