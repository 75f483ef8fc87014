//! `notelint links`: only the cited links, for archive audits.

use std::io::{self, Write};
use std::path::Path;
use std::sync::{Mutex, PoisonError};

use super::run::{collect, load_config, Run};
use super::{Exit, LinksArgs, OutputFormat};
use crate::audit::{render_csv, render_html, Audit};
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
    let audit = Mutex::new(Vec::new());
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
        audit: Some(&audit),
    };
    let exit = run.execute(&inputs, files)?;
    if exit == Exit::Interrupted {
        return Ok(exit);
    }
    let mut files = audit.into_inner().unwrap_or_else(PoisonError::into_inner);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let audit = Audit { files };
    if args.run.format == OutputFormat::Csv {
        let mut out = io::stdout().lock();
        match out.write_all(render_csv(&audit).as_bytes()) {
            Err(e) if e.kind() != io::ErrorKind::BrokenPipe => return Err(e),
            _ => {}
        }
    }
    if let Some(path) = &args.report {
        if let Err(e) = write_atomically(path, render_html(&audit, "Link audit").as_bytes()) {
            eprintln!("notelint: cannot write the report {}: {e}", path.display());
            return Ok(Exit::Error);
        }
    }
    Ok(exit)
}

/// Writes `bytes` to `path` through a temporary file in the same folder, renamed over it:
/// a reader never sees half a report, and a failed write leaves the old one.
fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut file = tempfile::NamedTempFile::new_in(dir)?;
    // A report is for reading and sharing: the usual permissions, not the temporary file's.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    file.write_all(bytes)?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}
