//! `notelint notes`: every note's citations and what they resolve to.

use std::io::{self, Write};

use super::{Exit, ListFormat, NotesArgs};
use crate::pipeline::{self, Limits};
use crate::problems;
use crate::walk;

/// `notelint notes`: lists every note's citations and what they resolve to.
///
/// # Errors
/// Errors writing the listing.
pub fn notes(args: &NotesArgs) -> io::Result<Exit> {
    let (inputs, problems) = walk::collect(&args.paths, args.stdin_format);
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
                    if problems::is_fatal(d.rule) {
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
