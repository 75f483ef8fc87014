//! The command line: argument parsing, the run, and exit codes.

use std::io::{self, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use rayon::prelude::*;

use crate::base::Base;
use crate::diagnostic::Severity;
use crate::engine::{self, file_problems, FileReport, Inputs, Settings};
use crate::links::{self as link_check, LinkOptions};
use crate::model::Format;
use crate::output::{Concise, Emitter, Human, Json, Report};
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
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
    /// Fail (exit 1) on warnings too, or on anything (`info`).
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub deny: Option<DenyLevel>,
    /// The format of standard input.
    #[arg(long, value_enum, default_value_t = StdinFormat::Text)]
    pub stdin_format: StdinFormat,
    #[command(flatten)]
    pub links: LinkArgs,
}

/// How links are checked (with `check --check-links` and `links`).
#[derive(Debug, Args)]
#[command(next_help_heading = "Link checking")]
pub struct LinkArgs {
    /// Requests in flight at once, over all hosts.
    #[arg(long, value_name = "N", default_value_t = 64)]
    pub max_concurrency: usize,
    /// Requests in flight at once to one host.
    #[arg(long, value_name = "N", default_value_t = 4)]
    pub host_concurrency: usize,
    /// Further attempts after a timeout, reset connection, 5xx or 429.
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub retries: u32,
    /// The time one request may take (`20s`, `500ms`; a bare number is seconds).
    #[arg(long, value_name = "DURATION", default_value = "20s", value_parser = parse_duration)]
    pub timeout: Duration,
    /// The wait before the first retry; it doubles for each further one.
    #[arg(long, value_name = "DURATION", default_value = "500ms", value_parser = parse_duration)]
    pub retry_backoff: Duration,
    /// The longest wait a server's `Retry-After` may impose.
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = parse_duration)]
    pub max_retry_wait: Duration,
    /// The User-Agent header sent with every request.
    #[arg(long, value_name = "TEXT")]
    pub user_agent: Option<String>,
    /// Do not check URLs matching this regular expression (repeatable).
    #[arg(long, value_name = "REGEX")]
    pub exclude: Vec<String>,
    /// Also check URLs at loopback, private, link-local and unspecified addresses.
    #[arg(long)]
    pub allow_private: bool,
    /// The cache file.
    #[arg(long, value_name = "PATH", default_value = ".notelint-cache.json")]
    pub cache: PathBuf,
    /// Neither read nor write the cache.
    #[arg(long)]
    pub no_cache: bool,
    /// How long a good answer stays in the cache (`1d`, `6h`); dead links a tenth of it.
    #[arg(long, value_name = "DURATION", default_value = "1d", value_parser = parse_duration)]
    pub cache_max_age: Duration,
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
    /// The options these flags ask for.
    ///
    /// # Errors
    /// An `--exclude` pattern that is not a valid regular expression.
    pub fn options(&self) -> Result<LinkOptions, String> {
        let exclude = self
            .exclude
            .iter()
            .map(|re| regex::Regex::new(re).map_err(|e| format!("invalid --exclude pattern: {e}")))
            .collect::<Result<_, _>>()?;
        Ok(LinkOptions {
            max_concurrency: self.max_concurrency.max(1),
            host_concurrency: self.host_concurrency.max(1),
            retries: self.retries,
            retry_backoff: self.retry_backoff,
            max_retry_wait: self.max_retry_wait,
            timeout: self.timeout,
            user_agent: self
                .user_agent
                .clone()
                .unwrap_or_else(crate::links::default_user_agent),
            exclude,
            allow_private: self.allow_private,
            cache: (!self.no_cache).then(|| self.cache.clone()),
            cache_max_age: self.cache_max_age,
            suggest_archive: self.suggest_archive,
            archive_endpoint: self.archive_endpoint.clone(),
            progress: !self.no_progress,
            ..LinkOptions::default()
        })
    }
}

/// Parses `20s`, `500ms`, `2m`, `6h`, `1d` or a bare number of seconds.
fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (number, unit) = s.split_at(split);
    let n: f64 = number
        .parse()
        .map_err(|_| format!("`{s}` is not a duration such as 20s, 500ms or 1d"))?;
    let secs = match unit.trim() {
        "" | "s" => n,
        "ms" => n / 1000.0,
        "m" | "min" => n * 60.0,
        "h" => n * 3600.0,
        "d" => n * 86_400.0,
        _ => return Err(format!("`{s}` is not a duration such as 20s, 500ms or 1d")),
    };
    Duration::try_from_secs_f64(secs).map_err(|e| format!("`{s}`: {e}"))
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
    let settings = Settings::default();
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let (inputs, files) = walk::collect(&paths, args.stdin_format.into());
    let base = match BaseSpec::from_args(args, &inputs) {
        Ok(base) => base,
        Err(e) => {
            eprintln!("notelint: {e}");
            return Ok(Exit::Error);
        }
    };
    let links = if args.check_links {
        match args.links.options() {
            Ok(options) => Some(options),
            Err(e) => {
                eprintln!("notelint: {e}");
                return Ok(Exit::Error);
            }
        }
    } else {
        None
    };
    let run = Run {
        settings: &settings,
        base: &base,
        format: args.format,
        deny: args.deny,
        links: links.as_ref(),
    };
    run.execute(&inputs, files)
}

/// `notelint links`: the link rules only.
///
/// # Errors
/// Errors writing the report.
pub fn links(args: &LinksArgs) -> io::Result<Exit> {
    let settings = Settings::only(&["dead-link", "link-error", "link-redirected"]);
    let (inputs, files) = walk::collect(&args.paths, args.stdin_format.into());
    let options = match args.links.options() {
        Ok(options) => options,
        Err(e) => {
            eprintln!("notelint: {e}");
            return Ok(Exit::Error);
        }
    };
    let run = Run {
        settings: &settings,
        base: &BaseSpec::None,
        format: args.format,
        deny: args.deny,
        links: Some(&options),
    };
    run.execute(&inputs, files)
}

/// One lint run over collected inputs.
struct Run<'a> {
    settings: &'a Settings,
    base: &'a BaseSpec,
    format: OutputFormat,
    deny: Option<DenyLevel>,
    /// Set when links are checked.
    links: Option<&'a LinkOptions>,
}

impl Run<'_> {
    fn execute(&self, inputs: &[Input], mut files: Vec<FileReport>) -> io::Result<Exit> {
        // Only human output shows source snippets; other formats let each text go at once.
        let keep_sources = self.format == OutputFormat::Human;
        let mut notes = Vec::new();
        let reports = match self.links {
            None => inputs
                .par_iter()
                .map(|input| check_input(input, self.settings, self.base))
                .collect::<Vec<_>>(),
            Some(options) => match self.lint_with_links(inputs, options, &mut notes) {
                Some(reports) => reports,
                None => return Ok(Exit::Interrupted),
            },
        };
        files.extend(reports.into_iter().map(|mut report| {
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
        let emitter: Box<dyn Emitter> = match self.format {
            OutputFormat::Human => Box::new(Human {
                color,
                ..Human::default()
            }),
            OutputFormat::Concise => Box::new(Concise),
            OutputFormat::Json => Box::new(Json),
        };
        emitter.emit(&report, &mut out)?;
        out.flush()?;
        Ok(exit_for(&report, self.deny))
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
                let path = input.display_path();
                match read_input(input) {
                    Ok((bytes, format)) => engine::parse_bytes(&path, bytes, format)
                        .map(|parsed| (parsed, self.base.for_input(input))),
                    Err(e) => Err(FileReport::unreadable(&path, &e)),
                }
            })
            .collect();
        let mut urls: Vec<String> = parsed
            .iter()
            .flatten()
            .flat_map(|(p, _)| &p.document.posts)
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
                    Ok((parsed, base)) => {
                        let inputs = Inputs {
                            base,
                            links: Some(Arc::clone(&results)),
                        };
                        engine::lint_parsed(parsed, self.settings, &inputs)
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
            let dir = match inputs.first() {
                Some(Input::File { path, .. }) => path
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .map_or_else(|| PathBuf::from("."), PathBuf::from),
                _ => PathBuf::from("."),
            };
            crate::base::verify_revision(rev, &dir)?;
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
                links: None,
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
        Input::File { path, format } => {
            let bytes = std::fs::read(path)?;
            // A `.txt` file that is really an HTML page is read as HTML.
            let format = if *format == Format::Text && crate::parse::looks_like_html(&bytes) {
                Format::Html
            } else {
                *format
            };
            Ok((bytes, format))
        }
        Input::Stdin { format } => {
            let mut buf = Vec::new();
            io::stdin().lock().read_to_end(&mut buf)?;
            Ok((buf, *format))
        }
    }
}

/// The exit code for a finished report.
#[must_use]
pub fn exit_for(report: &Report, deny: Option<DenyLevel>) -> Exit {
    let failing = match deny {
        None => Severity::Error,
        Some(DenyLevel::Warnings) => Severity::Warning,
        Some(DenyLevel::Info) => Severity::Info,
    };
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
