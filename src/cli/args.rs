//! The command line's words: subcommands, flags and the values they take.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config;
use crate::diagnostic::Severity;
use crate::links::LinkOptions;
use crate::parse::Format;
use crate::pipeline::Limits;
use crate::rules;

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
    /// Apply the safe fixes in place (`check --fix`), then report what remains; with
    /// `--renumber`, renumber each post's notes in reading order first.
    Fix(FixArgs),
}

#[derive(Debug, Args)]
pub struct FixArgs {
    #[command(flatten)]
    pub check: CheckArgs,
    /// Print the fixes as a unified diff and change nothing (exit 1 when a file would change).
    #[arg(long)]
    pub diff: bool,
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
    /// Report only the findings that are new since this git revision (e.g. `origin/main`).
    #[arg(long, value_name = "REV")]
    pub changed_since: Option<String>,
    /// Set a rule's level, overriding the configuration: `RULE=error|warning|info|off`.
    #[arg(long = "rule", value_name = "RULE=LEVEL", value_parser = parse_rule_level)]
    pub rules: Vec<(String, Option<Severity>)>,
    /// Check every cited URL over the network (rules dead-link, link-error, link-redirected).
    #[arg(long)]
    pub check_links: bool,
    /// Apply the safe fixes in place before reporting what remains.
    #[arg(long)]
    pub fix: bool,
    /// Apply the unsafe fixes too (with `--fix` or `notelint fix`).
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Renumber each post's markers and notes in order of first reference before fixing
    /// (implies `--fix`). Plain text, hand-numbered Markdown and HTML; GFM `[^label]`
    /// footnotes are numbered by the renderer and left alone. A post whose numbering is
    /// ambiguous is left alone with a message; one where an "Ibid." would no longer follow
    /// its source is renumbered only with `--unsafe-fixes`, which rewrites that Ibid. to the
    /// source's short form.
    #[arg(long)]
    pub renumber: bool,
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
    /// Also write the audit report: one self-contained HTML page with every file's and
    /// post's links, the dead and failing ones with the notes that cite them, and charts.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
}

/// What `check` and `links` share: the report, what fails the run, and what is read.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
    /// The lowest severity that fails the run (exit 1): `error` (the default), `warnings`, or
    /// `info` for anything; the same words as the configuration's `deny`.
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub deny: Option<DenyLevel>,
    /// Instead of the findings, print how many each rule made, most first (`--format` is
    /// then ignored).
    #[arg(long)]
    pub statistics: bool,
    #[command(flatten)]
    pub input: InputArgs,
}

/// What every subcommand that reads posts shares: the configuration, standard input's format,
/// the size cap.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// The format of standard input [default: recognised from its first bytes, else text].
    #[arg(long, value_enum)]
    pub stdin_format: Option<Format>,
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

impl InputArgs {
    /// What the run may read.
    #[must_use]
    pub const fn limits(&self) -> Limits {
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
    #[command(flatten)]
    pub input: InputArgs,
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
    /// `links` only: one CSV row per cited link (file, post, note, URL, outcome), for
    /// spreadsheets.
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DenyLevel {
    /// Errors fail the run (the default).
    Error,
    /// Warnings fail the run as errors do.
    #[value(alias = "warning", alias = "warn")]
    Warnings,
    /// Every finding fails the run.
    Info,
}

impl DenyLevel {
    /// The lowest failing severity.
    #[must_use]
    pub const fn severity(self) -> Severity {
        match self {
            Self::Error => Severity::Error,
            Self::Warnings => Severity::Warning,
            Self::Info => Severity::Info,
        }
    }
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
