//! `notelint links`: only the cited links, for archive audits.

use std::io;

use super::run::{collect, load_config, Run};
use super::{Exit, LinksArgs};
use crate::base::BaseSource;
use crate::engine::Settings;

/// `notelint links`: the link rules only.
///
/// # Errors
/// Errors writing the report.
pub fn links(args: &LinksArgs) -> io::Result<Exit> {
    let Some(config) = load_config(&args.run.input) else {
        return Ok(Exit::Error);
    };
    let Some((inputs, files)) = collect(&config, &args.paths, args.run.input.stdin_format) else {
        return Ok(Exit::Error);
    };
    let options = match args.links.options(&config.links) {
        Ok(options) => options,
        Err(e) => {
            eprintln!("notelint: {e}");
            return Ok(Exit::Error);
        }
    };
    let run = Run {
        config: &config,
        settings: Settings::only(&crate::rules::LINK_RULES.map(|r| r.id)),
        per_path: false,
        rule_levels: &[],
        base: &BaseSource::None,
        args: &args.run,
        changed_since: None,
        links: Some(&options),
        progress: !args.links.no_progress,
    };
    run.execute(&inputs, files)
}
