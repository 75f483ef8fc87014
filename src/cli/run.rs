//! What `check` and `links` share: the configuration, the inputs, the run, the report and
//! the exit code.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

use super::{DenyLevel, Exit, InputArgs, OutputFormat, RunArgs};
use crate::base::BaseSource;
use crate::config::{self, Config, ConfigError};
use crate::diagnostic::Severity;
use crate::engine::Settings;
use crate::links::LinkOptions;
use crate::output::{Concise, Emitter, Github, Human, Json, Report, Sarif};
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
}

impl Run<'_> {
    /// Lints `inputs`, writes the report with the `files` already reported (paths that could
    /// not be walked), and decides the exit code.
    pub fn execute(&self, inputs: &[Input], mut files: Vec<FileReport>) -> io::Result<Exit> {
        let settings = |input: &Input| self.settings_for(input);
        let plan = Plan {
            limits: self.args.input.limits(),
            settings: &settings,
            base: self.base,
        };
        let mut notes = Vec::new();
        let reports = match self.links {
            None => pipeline::lint_all(inputs, &plan),
            Some(options) => {
                let run = pipeline::lint_all_with_links(inputs, &plan, options);
                for warning in &run.warnings {
                    eprintln!("notelint: warning: {warning}");
                }
                if run.interrupted {
                    eprintln!(
                        "notelint: interrupted; the links checked so far are saved in the cache"
                    );
                    return Ok(Exit::Interrupted);
                }
                notes = run.notes;
                run.reports
            }
        };
        // Human output shows source snippets and SARIF fingerprints read the flagged line;
        // other formats let each text go at once.
        let keep_sources = matches!(self.args.format, OutputFormat::Human | OutputFormat::Sarif);
        // Reports come in the order of their inputs.
        files.extend(reports.into_iter().zip(inputs).map(|(mut report, input)| {
            if let (Some(rev), Input::File { path, .. }) = (self.changed_since, input) {
                let settings = self.settings_for(input);
                let shown = report.path.clone();
                let lint_old =
                    |bytes, format| pipeline::lint_bytes(&shown, bytes, format, &settings);
                if let Err(e) = crate::base::keep_new(&mut report, rev, path, lint_old) {
                    eprintln!("notelint: {e}; reporting every line of {}", path.display());
                }
            }
            if !keep_sources {
                report.source = None;
            }
            report
        }));
        files.sort_by(|a, b| a.path.cmp(&b.path));
        let report = Report { files, notes };

        let stdout = io::stdout();
        let color = stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none();
        let mut out = io::BufWriter::new(stdout.lock());
        let emitter: Box<dyn Emitter> = match self.args.format {
            OutputFormat::Human => Box::new(Human {
                color,
                ..Human::default()
            }),
            OutputFormat::Concise => Box::new(Concise),
            OutputFormat::Json => Box::new(Json),
            OutputFormat::Sarif => Box::new(Sarif),
            OutputFormat::Github => Box::new(Github),
        };
        let failing = self
            .args
            .deny
            .map(DenyLevel::severity)
            .or(self.config.deny)
            .unwrap_or(Severity::Error);
        let exit = exit_at(&report, failing);
        let written = emitter.emit(&report, &mut out).and_then(|()| out.flush());
        if exit == Exit::Findings && exit_at(&report, Severity::Error) == Exit::Clean {
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
        match written {
            // A reader that stops early (`| head`) does not turn findings into success.
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(exit),
            Err(e) => Err(e),
            Ok(()) => Ok(exit),
        }
    }

    /// The rule levels for one input: the configuration's overrides for its path, then the
    /// command line's `--rule` levels.
    fn settings_for(&self, input: &Input) -> Settings {
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

/// The exit code for a finished report when findings at `failing` or above fail the run.
#[must_use]
pub fn exit_at(report: &Report, failing: Severity) -> Exit {
    let mut exit = Exit::Clean;
    for d in report.diagnostics() {
        if problems::is_fatal(d.rule) {
            return Exit::Error;
        }
        if d.severity >= failing {
            exit = Exit::Findings;
        }
    }
    exit
}
