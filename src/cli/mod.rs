//! The command line: the binary's side of notelint. [`args`] holds the words; each
//! subcommand has a file of its own, and [`run`] the parts that `check` and `links` share:
//! the configuration, the walk, the report and the exit code. The work itself is the
//! library's [`crate::pipeline`].

mod args;
mod check;
mod fix;
mod links;
mod listing;
mod notes;
mod progress;
mod run;

use std::io;
use std::process::ExitCode;

use clap::Parser;

pub use args::*;
pub use run::exit_at;

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

/// Runs the binary.
#[must_use]
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check(args) => check::check(&args),
        Command::Links(args) => links::links(&args),
        Command::Notes(args) => notes::notes(&args),
        Command::Rules { format } => listing::list_rules(format),
        Command::Explain { rule } => listing::explain(&rule),
        Command::Completions { shell } => listing::completions(shell),
        Command::Man => listing::man(),
        Command::Fix(args) => fix::fix(&args),
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
