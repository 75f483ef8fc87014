//! The command line: argument parsing, the run, and exit codes.

use std::io::{self, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use rayon::prelude::*;

use crate::diagnostic::Severity;
use crate::engine::{self, file_problems, FileReport, Inputs, Settings};
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
    let (inputs, mut files) = walk::collect(&paths, args.stdin_format.into());
    // Only human output shows source snippets; other formats let each text go at once.
    let keep_sources = args.format == OutputFormat::Human;
    files.extend(
        inputs
            .par_iter()
            .map(|input| {
                let mut report = check_input(input, &settings);
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
    };
    emitter.emit(&report, &mut out)?;
    out.flush()?;
    Ok(exit_for(&report, args.deny))
}

/// Reads and checks one input; a read failure becomes that file's report.
fn check_input(input: &Input, settings: &Settings) -> FileReport {
    let path = input.display_path();
    let (bytes, format) = match input {
        Input::File { path: p, format } => (std::fs::read(p), *format),
        Input::Stdin { format } => {
            let mut buf = Vec::new();
            (
                io::stdin().lock().read_to_end(&mut buf).map(|_| buf),
                *format,
            )
        }
    };
    match bytes {
        Ok(bytes) => engine::check_bytes(&path, bytes, format, settings, &Inputs::default()),
        Err(e) => FileReport::unreadable(&path, &e),
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
