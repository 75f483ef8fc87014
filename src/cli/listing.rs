//! `notelint rules`, `explain`, `completions` and `man`: what the tool says about itself.

use std::io::{self, Write};

use super::{Cli, Exit, ListFormat};
use crate::rules;
use crate::rules::{catalogue, describe};

pub(super) fn list_rules(format: ListFormat) -> io::Result<Exit> {
    let mut out = io::stdout().lock();
    match format {
        ListFormat::Human => {
            let width = catalogue().map(|info| info.id.len()).max().unwrap_or(0);
            for info in catalogue() {
                let severity = if info.enabled_by_default {
                    info.default_severity.name()
                } else {
                    "off"
                };
                writeln!(out, "{:width$}  {severity:7}  {}", info.id, info.summary)?;
            }
        }
        ListFormat::Json => {
            let list: Vec<_> = catalogue()
                .map(|info| {
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

pub(super) fn explain(id: &str) -> io::Result<Exit> {
    let Some(info) = describe(id) else {
        let wanted = id.to_ascii_lowercase().replace('_', "-");
        let closest = catalogue()
            .map(|info| (strsim::jaro_winkler(&wanted, info.id), info.id))
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .filter(|(score, _)| *score > 0.8);
        match closest {
            Some((_, near)) => eprintln!("notelint: unknown rule `{id}`; did you mean `{near}`?"),
            None => eprintln!("notelint: unknown rule `{id}`; `notelint rules` lists every rule"),
        }
        return Ok(Exit::Error);
    };
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

pub(super) fn completions(shell: clap_complete::Shell) -> io::Result<Exit> {
    let mut cmd = <Cli as clap::CommandFactory>::command();
    let mut out = io::stdout().lock();
    clap_complete::generate(shell, &mut cmd, "notelint", &mut out);
    out.flush()?;
    Ok(Exit::Clean)
}

pub(super) fn man() -> io::Result<Exit> {
    let cmd = <Cli as clap::CommandFactory>::command();
    let mut out = io::stdout().lock();
    clap_mangen::Man::new(cmd).render(&mut out)?;
    out.flush()?;
    Ok(Exit::Clean)
}
