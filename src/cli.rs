//! The command line: argument parsing, the run, and exit codes.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use rayon::prelude::*;

use crate::base::Base;
use crate::config::{self, Config, ConfigError};
use crate::diagnostic::Severity;
use crate::engine::{file_problems, FileReport, Inputs, Settings};
use crate::links::{self as link_check, LinkOptions};
use crate::model::Format;
use crate::output::{Concise, Emitter, Github, Human, Json, Report, Sarif};
use crate::pipeline::{self, Limits};
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
    /// Stopped by Ctrl-C.
    Interrupted = 130,
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
    /// Check only the links cited in files and directories (no other rules), for archive audits.
    Links(LinksArgs),
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
    #[command(flatten)]
    pub run: RunArgs,
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
    /// Set a rule's level, overriding the configuration: `RULE=error|warning|info|off`.
    #[arg(long = "rule", value_name = "RULE=LEVEL", value_parser = parse_rule_level)]
    pub rules: Vec<(String, Option<Severity>)>,
    /// Check every cited URL over the network (rules dead-link, link-error, link-redirected).
    #[arg(long)]
    pub check_links: bool,
    #[command(flatten)]
    pub links: LinkArgs,
}

#[derive(Debug, Args)]
pub struct LinksArgs {
    /// Files or directories whose links to check; `-` reads standard input.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub run: RunArgs,
    #[command(flatten)]
    pub links: LinkArgs,
}

/// What `check` and `links` share: the report, what fails the run, the configuration.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
    /// Fail (exit 1) on warnings too, or on anything (`info`).
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub deny: Option<DenyLevel>,
    /// The format of standard input.
    #[arg(long, value_enum, default_value_t = StdinFormat::Text)]
    pub stdin_format: StdinFormat,
    /// Read this configuration file instead of the nearest `notelint.toml`.
    #[arg(long, value_name = "PATH", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Read no configuration file.
    #[arg(long)]
    pub no_config: bool,
    /// Skip files larger than this (`64MB`, `512KiB`, or a number of bytes) with a warning.
    #[arg(long, value_name = "SIZE", default_value = "64MiB", value_parser = size_arg)]
    pub max_file_size: u64,
}

impl RunArgs {
    fn limits(&self) -> Limits {
        Limits {
            max_file_size: self.max_file_size,
        }
    }
}

/// Parses a size: a number of bytes, or one with a unit (`KB`/`KiB`, `MB`/`MiB`, `GB`/`GiB`;
/// both mean powers of 1024).
fn size_arg(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        _ => return Err(format!("`{s}` is not a size such as 64MB or 500000")),
    };
    number
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(1 << shift))
        .ok_or_else(|| format!("`{s}` is not a size such as 64MB or 500000"))
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
#[command(next_help_heading = "Link checking")]
pub struct LinkArgs {
    /// Requests in flight at once, over all hosts [default: 64].
    #[arg(long, value_name = "N")]
    pub max_concurrency: Option<usize>,
    /// Requests in flight at once to one host [default: 4].
    #[arg(long, value_name = "N")]
    pub host_concurrency: Option<usize>,
    /// Further attempts after a timeout, reset connection, 5xx or 429 [default: 2].
    #[arg(long, value_name = "N")]
    pub retries: Option<u32>,
    /// The time one request may take (`20s`, `500ms`; a bare number is seconds) [default: 20s].
    #[arg(long, value_name = "DURATION", value_parser = duration_arg)]
    pub timeout: Option<Duration>,
    /// The wait before the first retry; it doubles for each further one [default: 500ms].
    #[arg(long, value_name = "DURATION", value_parser = duration_arg)]
    pub retry_backoff: Option<Duration>,
    /// The longest wait a server's `Retry-After` may impose [default: 60s].
    #[arg(long, value_name = "DURATION", value_parser = duration_arg)]
    pub max_retry_wait: Option<Duration>,
    /// The User-Agent header sent with every request.
    #[arg(long, value_name = "TEXT")]
    pub user_agent: Option<String>,
    /// Do not check URLs matching this regular expression (repeatable; added to the
    /// configuration's `exclude`).
    #[arg(long, value_name = "REGEX")]
    pub exclude: Vec<String>,
    /// Also check URLs at loopback, private, link-local and unspecified addresses.
    #[arg(long)]
    pub allow_private: bool,
    /// The cache file [default: .notelint-cache.json].
    #[arg(long, value_name = "PATH", conflicts_with = "no_cache")]
    pub cache: Option<PathBuf>,
    /// Neither read nor write the cache.
    #[arg(long)]
    pub no_cache: bool,
    /// How long a good answer stays in the cache (`1d`, `6h`); dead links a tenth of it
    /// [default: 1d].
    #[arg(long, value_name = "DURATION", value_parser = duration_arg)]
    pub cache_max_age: Option<Duration>,
    /// Look up an archived snapshot for each dead link and suggest it.
    #[arg(long)]
    pub suggest_archive: bool,
    /// The Wayback-style availability endpoint asked by `--suggest-archive`.
    #[arg(long, value_name = "URL", default_value = crate::links::DEFAULT_ARCHIVE_ENDPOINT)]
    pub archive_endpoint: String,
    /// Never draw a progress bar.
    #[arg(long)]
    pub no_progress: bool,
}

impl LinkArgs {
    /// The options for a run: the configuration's, with every flag given on the command line
    /// taking precedence.
    ///
    /// # Errors
    /// An `--exclude` pattern that is not a valid regular expression.
    pub fn options(&self, configured: &LinkOptions) -> Result<LinkOptions, String> {
        let mut o = configured.clone();
        for re in &self.exclude {
            o.exclude.push(
                regex::Regex::new(re).map_err(|e| format!("invalid --exclude pattern: {e}"))?,
            );
        }
        if let Some(n) = self.max_concurrency {
            o.max_concurrency = n.max(1);
        }
        if let Some(n) = self.host_concurrency {
            o.host_concurrency = n.max(1);
        }
        if let Some(n) = self.retries {
            o.retries = n;
        }
        if let Some(d) = self.timeout {
            o.timeout = d;
        }
        if let Some(d) = self.retry_backoff {
            o.retry_backoff = d;
        }
        if let Some(d) = self.max_retry_wait {
            o.max_retry_wait = d;
        }
        if let Some(d) = self.cache_max_age {
            o.cache_max_age = d;
        }
        if let Some(ua) = &self.user_agent {
            o.user_agent.clone_from(ua);
        }
        if self.allow_private {
            o.allow_private = true;
        }
        if let Some(path) = &self.cache {
            o.cache = Some(path.clone());
        }
        if self.no_cache {
            o.cache = None;
        }
        o.suggest_archive |= self.suggest_archive;
        o.archive_endpoint.clone_from(&self.archive_endpoint);
        o.progress = !self.no_progress;
        Ok(o)
    }
}

/// Parses a duration flag: `20s`, `500ms`, `2m`, `6h`, `1d` or a bare number of seconds.
fn duration_arg(s: &str) -> Result<Duration, String> {
    config::parse_duration(s)
        .ok_or_else(|| format!("`{s}` is not a duration such as 20s, 500ms or 1d"))
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
    /// Skip files larger than this (`64MB`, `512KiB`, or a number of bytes) with a warning.
    #[arg(long, value_name = "SIZE", default_value = "64MiB", value_parser = size_arg)]
    pub max_file_size: u64,
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
        Command::Links(args) => links(&args),
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
    let Some(config) = load_config(&args.run) else {
        return Ok(Exit::Error);
    };
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let (inputs, files) = collect(&config, &paths, args.run.stdin_format);
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
    };
    run.execute(&inputs, files)
}

/// `notelint links`: the link rules only.
///
/// # Errors
/// Errors writing the report.
pub fn links(args: &LinksArgs) -> io::Result<Exit> {
    let Some(config) = load_config(&args.run) else {
        return Ok(Exit::Error);
    };
    let (inputs, files) = collect(&config, &args.paths, args.run.stdin_format);
    let options = match args.links.options(&config.links) {
        Ok(options) => options,
        Err(e) => {
            eprintln!("notelint: {e}");
            return Ok(Exit::Error);
        }
    };
    let run = Run {
        config: &config,
        settings: Settings::only(&["dead-link", "link-error", "link-redirected"]),
        per_path: false,
        rule_levels: &[],
        base: &BaseSpec::None,
        args: &args.run,
        changed_since: None,
        links: Some(&options),
    };
    run.execute(&inputs, files)
}

/// The inputs under `paths` that the configuration's `include` and `exclude` accept.
fn collect(
    config: &Config,
    paths: &[PathBuf],
    stdin_format: StdinFormat,
) -> (Vec<Input>, Vec<FileReport>) {
    let keep = |path: &std::path::Path, named: bool| {
        if named {
            config.accepts_named(path)
        } else {
            config.walks_into(path)
        }
    };
    walk::collect_filtered(paths, stdin_format.into(), &keep)
}

/// The configuration for a run: `--config`, else the nearest `notelint.toml`, else defaults.
/// `None` after reporting a mistake in the file.
fn load_config(args: &RunArgs) -> Option<Config> {
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
        if file_problems::is_fatal(d.rule) {
            return true;
        }
        if d.post.is_none() {
            return changed.any();
        }
        changed.contains(d.start.line)
    });
}

/// One lint run over collected inputs.
struct Run<'a> {
    config: &'a Config,
    /// The levels for a file no override names.
    settings: Settings,
    /// Whether the configuration's `[[overrides]]` apply.
    per_path: bool,
    /// `--rule` levels, which win over the configuration's overrides too.
    rule_levels: &'a [(String, Option<Severity>)],
    base: &'a BaseSpec,
    args: &'a RunArgs,
    changed_since: Option<&'a str>,
    /// Set when links are checked.
    links: Option<&'a LinkOptions>,
}

impl Run<'_> {
    fn execute(&self, inputs: &[Input], mut files: Vec<FileReport>) -> io::Result<Exit> {
        // Human output shows source snippets and SARIF fingerprints read the flagged line;
        // other formats let each text go at once.
        let keep_sources = matches!(self.args.format, OutputFormat::Human | OutputFormat::Sarif);
        let mut notes = Vec::new();
        let reports = match self.links {
            None => inputs
                .par_iter()
                .map(|input| {
                    let inputs = Inputs {
                        base: self.base.for_input(input),
                        links: None,
                    };
                    pipeline::check(
                        input,
                        self.args.limits(),
                        &self.settings_for(input),
                        &inputs,
                    )
                })
                .collect::<Vec<_>>(),
            Some(options) => match self.lint_with_links(inputs, options, &mut notes) {
                Some(reports) => reports,
                None => return Ok(Exit::Interrupted),
            },
        };
        // Reports come in the order of their inputs.
        files.extend(reports.into_iter().zip(inputs).map(|(mut report, input)| {
            if let (Some(rev), Input::File { path, .. }) = (self.changed_since, input) {
                keep_changed(&mut report, rev, path);
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
        match emitter.emit(&report, &mut out).and_then(|()| out.flush()) {
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

    /// Parses every input, checks the distinct URLs they cite, then lints with the results.
    /// `None` when Ctrl-C stopped the check.
    fn lint_with_links(
        &self,
        inputs: &[Input],
        options: &LinkOptions,
        notes: &mut Vec<String>,
    ) -> Option<Vec<FileReport>> {
        let parsed: Vec<_> = inputs
            .par_iter()
            .map(|input| {
                pipeline::load(input, self.args.limits())
                    .map(|parsed| (parsed, input, self.base.for_input(input)))
            })
            .collect();
        let mut urls: Vec<String> = parsed
            .iter()
            .flatten()
            .flat_map(|(p, _, _)| &p.document.posts)
            .flat_map(|post| &post.urls)
            .map(|u| u.url.clone())
            .collect();
        urls.sort_unstable();
        urls.dedup();
        let checked = link_check::check_urls(&urls, options);
        for warning in &checked.warnings {
            eprintln!("notelint: warning: {warning}");
        }
        if checked.interrupted {
            eprintln!("notelint: interrupted; the links checked so far are saved in the cache");
            return None;
        }
        if !checked.skipped_private.is_empty() {
            let n = checked.skipped_private.len();
            notes.push(format!(
                "{n} link{} not checked: loopback, private or link-local address{} (--allow-private checks {}): {}",
                if n == 1 { "" } else { "s" },
                if n == 1 { "" } else { "es" },
                if n == 1 { "it" } else { "them" },
                checked.skipped_private.join(", ")
            ));
        }
        let results = Arc::new(checked.results);
        Some(
            parsed
                .into_par_iter()
                .map(|p| match p {
                    Ok((parsed, input, base)) => {
                        let inputs = Inputs {
                            base,
                            links: Some(Arc::clone(&results)),
                        };
                        pipeline::lint(parsed, &self.settings_for(input), &inputs)
                    }
                    Err(report) => report,
                })
                .collect(),
        )
    }
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

/// `notelint notes`: lists every note's citations and what they resolve to.
///
/// # Errors
/// Errors writing the listing.
pub fn notes(args: &NotesArgs) -> io::Result<Exit> {
    let (inputs, problems) = walk::collect(&args.paths, args.stdin_format.into());
    let mut exit = Exit::Clean;
    let limits = Limits {
        max_file_size: args.max_file_size,
    };
    let mut parsed = Vec::new();
    let loaded = inputs.iter().map(|input| pipeline::load(input, limits));
    for result in loaded {
        match result {
            Ok(p) => parsed.push((p.source, p.document)),
            Err(report) => {
                for d in &report.diagnostics {
                    eprintln!("notelint: {}", d.message);
                    if file_problems::is_fatal(d.rule) {
                        exit = Exit::Error;
                    }
                }
            }
        }
    }
    for problem in problems.iter().flat_map(|p| &p.diagnostics) {
        eprintln!("notelint: {}", problem.message);
        exit = Exit::Error;
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

/// The exit code for a finished report when findings at `failing` or above fail the run.
#[must_use]
pub fn exit_at(report: &Report, failing: Severity) -> Exit {
    let mut exit = Exit::Clean;
    for d in report.diagnostics() {
        if file_problems::is_fatal(d.rule) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn link_args(flags: &[&str]) -> LinkArgs {
        let mut argv = vec!["notelint", "links", "x.txt"];
        argv.extend_from_slice(flags);
        match Cli::parse_from(argv).command {
            Command::Links(args) => args.links,
            _ => unreachable!("links subcommand"),
        }
    }

    #[test]
    fn link_flags_override_the_configuration() {
        let configured = LinkOptions {
            max_concurrency: 8,
            timeout: Duration::from_secs(30),
            exclude: vec![regex::Regex::new("^https://a/").expect("regex")],
            cache: Some(PathBuf::from("/repo/.notelint-cache.json")),
            ..LinkOptions::default()
        };
        // No flags: the configuration stands.
        let o = link_args(&[]).options(&configured).expect("options");
        assert_eq!(o.max_concurrency, 8);
        assert_eq!(o.timeout, Duration::from_secs(30));
        assert_eq!(o.cache, configured.cache);
        // Flags win; `--exclude` adds to the configured patterns.
        let o = link_args(&["--timeout", "5s", "--exclude", "^https://b/", "--no-cache"])
            .options(&configured)
            .expect("options");
        assert_eq!(o.max_concurrency, 8);
        assert_eq!(o.timeout, Duration::from_secs(5));
        assert_eq!(o.exclude.len(), 2);
        assert_eq!(o.cache, None);
        assert!(link_args(&["--exclude", "("]).options(&configured).is_err());
    }
}
