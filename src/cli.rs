//! The command line: argument parsing, the run, and exit codes.

use std::io::{self, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Parser, Subcommand, ValueEnum};
use rayon::prelude::*;

use crate::base::Base;
use crate::config::{self, Config, ConfigError};
use crate::diagnostic::Severity;
use crate::engine::{self, file_problems, FileReport, Inputs, Settings};
use crate::model::Format;
use crate::output::{Concise, Emitter, Github, Human, Json, Report, Sarif};
use crate::rules;
use crate::walk::{self, Input};

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Nothing at or above the failing severity.
    Clean = 0,
    /// Findings at or above the failing severity.
    Findings = 1,
    /// A usage or I/O error.
    Error = 2,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> Self {
        Self::from(e as u8)
    }
}

/// Lint citations and footnotes: orphaned and duplicate notes, numbering and order faults,
/// broken "Ibid." chains, malformed URLs.
#[derive(Debug, Parser)]
#[command(name = "notelint", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check files and directories (the default paths: the current folder).
    Check(CheckArgs),
    /// List every note with its citations and the source each resolves to.
    Notes(NotesArgs),
    /// List every rule with its default severity and summary.
    Rules {
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Human)]
        format: ListFormat,
    },
    /// Print a rule's documentation.
    Explain {
        /// The rule id, e.g. `orphan-marker`.
        rule: String,
    },
    /// Print a shell completion script.
    Completions {
        /// The shell to complete in.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `notelint man > notelint.1`.
    Man,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or directories to check; `-` reads standard input.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
    /// Fail (exit 1) on warnings too, or on anything (`info`).
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub deny: Option<DenyLevel>,
    /// The format of standard input.
    #[arg(long, value_enum, default_value_t = StdinFormat::Text)]
    pub stdin_format: StdinFormat,
    /// Compare with this git revision of each file (e.g. `origin/main`): an Ibid. that now
    /// resolves to another source is reported.
    #[arg(long, value_name = "REV", conflicts_with = "base_file")]
    pub base: Option<String>,
    /// Compare the single file checked with this earlier version of it.
    #[arg(long, value_name = "OLD")]
    pub base_file: Option<PathBuf>,
    /// Report only diagnostics on lines changed since this git revision (e.g. `origin/main`).
    #[arg(long, value_name = "REV")]
    pub changed_since: Option<String>,
    /// Read this configuration file instead of the nearest `notelint.toml`.
    #[arg(long, value_name = "PATH", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Read no configuration file.
    #[arg(long)]
    pub no_config: bool,
    /// Set a rule's level, overriding the configuration: `RULE=error|warning|info|off`.
    #[arg(long = "rule", value_name = "RULE=LEVEL", value_parser = parse_rule_level)]
    pub rules: Vec<(String, Option<Severity>)>,
}

/// Parses `RULE=LEVEL` for `--rule`.
fn parse_rule_level(s: &str) -> Result<(String, Option<Severity>), String> {
    let (id, level) = s
        .split_once('=')
        .ok_or_else(|| "expected RULE=LEVEL, e.g. numbering-gap=off".to_string())?;
    let Some(rule) = rules::find(id.trim()) else {
        return Err(format!(
            "unknown rule `{id}`; `notelint rules` lists every rule"
        ));
    };
    let level = crate::config::parse_level(level.trim())?;
    Ok((rule.info().id.to_string(), level))
}

#[derive(Debug, Args)]
pub struct NotesArgs {
    /// Files or directories to list; `-` reads standard input.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
    /// The format of standard input.
    #[arg(long, value_enum, default_value_t = StdinFormat::Text)]
    pub stdin_format: StdinFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Source snippets with labels and help (the default).
    Human,
    /// One line per diagnostic: `path:line:col: severity[rule] message`.
    Concise,
    /// A versioned JSON report.
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// GitHub Actions annotations (workflow commands).
    Github,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DenyLevel {
    /// Warnings fail the run as errors do.
    Warnings,
    /// Every finding fails the run.
    Info,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StdinFormat {
    Text,
    Markdown,
    Html,
}

impl From<StdinFormat> for Format {
    fn from(f: StdinFormat) -> Self {
        match f {
            StdinFormat::Text => Self::Text,
            StdinFormat::Markdown => Self::Markdown,
            StdinFormat::Html => Self::Html,
        }
    }
}

/// Runs the binary.
#[must_use]
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check(args) => check(&args),
        Command::Notes(args) => notes(&args),
        Command::Rules { format } => list_rules(format),
        Command::Explain { rule } => explain(&rule),
        Command::Completions { shell } => completions(shell),
        Command::Man => man(),
    };
    match result {
        Ok(exit) => exit.into(),
        // `notelint … | head` closes the pipe early: stop quietly.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Exit::Clean.into(),
        Err(e) => {
            eprintln!("notelint: {e}");
            Exit::Error.into()
        }
    }
}

/// `notelint check`.
///
/// # Errors
/// Errors writing the report.
pub fn check(args: &CheckArgs) -> io::Result<Exit> {
    let config = match load_config(args) {
        Ok(config) => config,
        Err(e) => {
            report_config_error(&e);
            return Ok(Exit::Error);
        }
    };
    let mut settings = config.settings();
    // Command-line levels win over the file, overrides included.
    for (id, level) in &args.rules {
        settings.set(id, *level);
    }
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let keep = |path: &std::path::Path, named: bool| {
        if named {
            config.accepts_named(path)
        } else {
            config.walks_into(path)
        }
    };
    let (inputs, mut files) = walk::collect_filtered(&paths, args.stdin_format.into(), &keep);
    let base = match BaseSpec::from_args(args, &inputs) {
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
    // Human output shows source snippets and SARIF fingerprints read the flagged line; other
    // formats let each text go at once.
    let keep_sources = matches!(args.format, OutputFormat::Human | OutputFormat::Sarif);
    files.extend(
        inputs
            .par_iter()
            .map(|input| {
                let settings = match input {
                    Input::File { path, .. } => {
                        let mut s = config.settings_for(path, &settings);
                        for (id, level) in &args.rules {
                            s.set(id, *level);
                        }
                        s
                    }
                    Input::Stdin { .. } => settings.clone(),
                };
                let mut report = check_input(input, &settings, &base);
                if let (Some(rev), Input::File { path, .. }) = (&args.changed_since, input) {
                    keep_changed(&mut report, rev, path);
                }
                if !keep_sources {
                    report.source = None;
                }
                report
            })
            .collect::<Vec<_>>(),
    );
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let report = Report { files };

    let stdout = io::stdout();
    let color = stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut out = io::BufWriter::new(stdout.lock());
    let emitter: Box<dyn Emitter> = match args.format {
        OutputFormat::Human => Box::new(Human {
            color,
            ..Human::default()
        }),
        OutputFormat::Concise => Box::new(Concise),
        OutputFormat::Json => Box::new(Json),
        OutputFormat::Sarif => Box::new(Sarif),
        OutputFormat::Github => Box::new(Github),
    };
    emitter.emit(&report, &mut out)?;
    out.flush()?;
    let failing = args
        .deny
        .map(DenyLevel::severity)
        .or(config.deny)
        .unwrap_or(Severity::Error);
    Ok(exit_at(&report, failing))
}

/// The configuration for a run: `--config`, else the nearest `notelint.toml`, else defaults.
fn load_config(args: &CheckArgs) -> Result<Config, ConfigError> {
    if args.no_config {
        return Ok(default_config());
    }
    if let Some(path) = &args.config {
        return config::load(path);
    }
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    match config::discover(&cwd) {
        Some(path) => config::load(&path),
        None => Ok(default_config()),
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
fn git_dir(inputs: &[Input]) -> PathBuf {
    match inputs.first() {
        Some(Input::File { path, .. }) => path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), PathBuf::from),
        _ => PathBuf::from("."),
    }
}

/// `--changed-since`: keeps only the diagnostics on lines changed since `rev`. Problems with
/// the file itself stay when the file changed at all; an unreadable file always stays.
fn keep_changed(report: &mut FileReport, rev: &str, path: &std::path::Path) {
    let changed = match crate::base::changed_lines(rev, path) {
        Ok(changed) => changed,
        Err(e) => {
            // Better to report too much than to hide a finding.
            eprintln!("notelint: {e}; reporting every line of {}", path.display());
            return;
        }
    };
    report.diagnostics.retain(|d| {
        if d.rule == file_problems::IO_ERROR {
            return true;
        }
        if d.post.is_none() {
            return changed.any();
        }
        changed.contains(d.start.line)
    });
}

/// Where the earlier version of each input comes from.
enum BaseSpec {
    None,
    /// `--base REV`: each file as of this git revision.
    Revision(String),
    /// `--base-file OLD`: the one input's earlier version, already parsed.
    File(Arc<Base>),
}

impl BaseSpec {
    fn from_args(args: &CheckArgs, inputs: &[Input]) -> io::Result<Self> {
        if let Some(rev) = &args.base {
            crate::base::verify_revision(rev, &git_dir(inputs))?;
            return Ok(Self::Revision(rev.clone()));
        }
        let Some(old) = &args.base_file else {
            return Ok(Self::None);
        };
        let format = match inputs {
            [Input::File { format, .. } | Input::Stdin { format }] => *format,
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
        Ok(Self::File(Arc::new(Base::parse(
            label.clone(),
            &label,
            &bytes,
            format,
        ))))
    }

    /// The earlier version of `input`, if there is one.
    fn for_input(&self, input: &Input) -> Option<Arc<Base>> {
        match (self, input) {
            (Self::None, _) | (Self::Revision(_), Input::Stdin { .. }) => None,
            (Self::File(base), _) => Some(Arc::clone(base)),
            (Self::Revision(rev), Input::File { path, format }) => {
                // A file new since `rev` has nothing to compare with.
                let bytes = crate::base::read_at_revision(rev, path).ok()??;
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

/// Reads and checks one input; a read failure becomes that file's report.
fn check_input(input: &Input, settings: &Settings, base: &BaseSpec) -> FileReport {
    let path = input.display_path();
    match read_input(input) {
        Ok((bytes, format)) => {
            let inputs = Inputs {
                base: base.for_input(input),
            };
            engine::check_bytes(&path, bytes, format, settings, &inputs)
        }
        Err(e) => FileReport::unreadable(&path, &e),
    }
}

/// `notelint notes`: lists every note's citations and what they resolve to.
///
/// # Errors
/// Errors writing the listing.
pub fn notes(args: &NotesArgs) -> io::Result<Exit> {
    let (inputs, problems) = walk::collect(&args.paths, args.stdin_format.into());
    let mut exit = Exit::Clean;
    for problem in problems.iter().flat_map(|p| &p.diagnostics) {
        eprintln!("notelint: {}", problem.message);
        exit = Exit::Error;
    }
    let mut parsed = Vec::new();
    for input in &inputs {
        match read_input(input) {
            Ok((bytes, format)) => {
                let text = String::from_utf8_lossy(&bytes).into_owned();
                let source = crate::source::SourceFile::new(input.display_path(), text);
                let document = crate::parse::parse(&source, format);
                parsed.push((source, document));
            }
            Err(e) => {
                eprintln!("notelint: cannot read {}: {e}", input.display_path());
                exit = Exit::Error;
            }
        }
    }
    let listed: Vec<_> = parsed
        .iter()
        .map(|(source, document)| crate::listing::Listed { source, document })
        .collect();
    let mut out = io::BufWriter::new(io::stdout().lock());
    match args.format {
        ListFormat::Human => crate::listing::write_human(&listed, &mut out)?,
        ListFormat::Json => crate::listing::write_json(&listed, &mut out)?,
    }
    out.flush()?;
    Ok(exit)
}

/// The bytes of one input and its format.
fn read_input(input: &Input) -> io::Result<(Vec<u8>, Format)> {
    match input {
        Input::File { path, format } => Ok((std::fs::read(path)?, *format)),
        Input::Stdin { format } => {
            let mut buf = Vec::new();
            io::stdin().lock().read_to_end(&mut buf)?;
            Ok((buf, *format))
        }
    }
}

impl DenyLevel {
    /// The lowest failing severity.
    #[must_use]
    pub const fn severity(self) -> Severity {
        match self {
            Self::Warnings => Severity::Warning,
            Self::Info => Severity::Info,
        }
    }
}

/// The exit code for a finished report.
#[must_use]
pub fn exit_for(report: &Report, deny: Option<DenyLevel>) -> Exit {
    exit_at(report, deny.map_or(Severity::Error, DenyLevel::severity))
}

/// The exit code for a finished report when findings at `failing` or above fail the run.
#[must_use]
pub fn exit_at(report: &Report, failing: Severity) -> Exit {
    let mut exit = Exit::Clean;
    for d in report.diagnostics() {
        if d.rule == file_problems::IO_ERROR {
            return Exit::Error;
        }
        if d.severity >= failing {
            exit = Exit::Findings;
        }
    }
    exit
}

fn list_rules(format: ListFormat) -> io::Result<Exit> {
    let mut out = io::stdout().lock();
    match format {
        ListFormat::Human => {
            let width = rules::RULES
                .iter()
                .map(|r| r.info().id.len())
                .max()
                .unwrap_or(0);
            for rule in rules::RULES {
                let info = rule.info();
                let severity = if info.enabled_by_default {
                    info.default_severity.name()
                } else {
                    "off"
                };
                writeln!(out, "{:width$}  {severity:7}  {}", info.id, info.summary)?;
            }
        }
        ListFormat::Json => {
            let list: Vec<_> = rules::RULES
                .iter()
                .map(|r| {
                    let info = r.info();
                    serde_json::json!({
                        "id": info.id,
                        "default_severity": info.default_severity.name(),
                        "enabled_by_default": info.enabled_by_default,
                        "summary": info.summary,
                        "url": info.url(),
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &list)?;
            writeln!(out)?;
        }
    }
    Ok(Exit::Clean)
}

fn explain(id: &str) -> io::Result<Exit> {
    let Some(rule) = rules::find(id) else {
        let ids: Vec<_> = rules::RULES.iter().map(|r| r.info().id).collect();
        eprintln!(
            "notelint: unknown rule `{id}`; `notelint rules` lists them: {}",
            ids.join(", ")
        );
        return Ok(Exit::Error);
    };
    let info = rule.info();
    let severity = if info.enabled_by_default {
        info.default_severity.name()
    } else {
        "off by default"
    };
    let mut out = io::stdout().lock();
    writeln!(out, "# {} ({severity})\n\n{}\n", info.id, info.summary)?;
    out.write_all(rules::render_docs(info).as_bytes())?;
    Ok(Exit::Clean)
}

fn completions(shell: clap_complete::Shell) -> io::Result<Exit> {
    let mut cmd = <Cli as clap::CommandFactory>::command();
    let mut out = io::stdout().lock();
    clap_complete::generate(shell, &mut cmd, "notelint", &mut out);
    out.flush()?;
    Ok(Exit::Clean)
}

fn man() -> io::Result<Exit> {
    let cmd = <Cli as clap::CommandFactory>::command();
    let mut out = io::stdout().lock();
    clap_mangen::Man::new(cmd).render(&mut out)?;
    out.flush()?;
    Ok(Exit::Clean)
}
