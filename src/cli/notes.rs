//! `notelint notes`: every note's citations and what they resolve to.

use std::io::{self, Write};

use super::run::{collect, load_config};
use super::{Exit, ListFormat, NotesArgs};
use crate::pipeline;
use crate::problems;

/// `notelint notes`: lists every note's citations and what they resolve to.
///
/// # Errors
/// Errors writing the listing.
pub fn notes(args: &NotesArgs) -> io::Result<Exit> {
    // The same load path as `check`: the configuration's include and exclude, binary and
    // size checks, decoding.
    let Some(config) = load_config(&args.input) else {
        return Ok(Exit::Error);
    };
    let Some((inputs, problems)) = collect(&config, &args.paths, args.input.stdin_format) else {
        return Ok(Exit::Error);
    };
    let mut exit = Exit::Clean;
    let limits = args.input.limits();
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
