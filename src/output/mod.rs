//! Output formats: each turns a finished, sorted [`Report`] into bytes.

mod concise;
mod github;
mod human;
mod json;
mod sarif;

use std::io::{self, Write};

pub use crate::report::{Report, Summary};

pub use concise::Concise;
pub use github::{escape_data, escape_property, Github};
pub use human::Human;
pub use json::Json;
pub use sarif::{Sarif, FINGERPRINT_KEY, SARIF_SCHEMA};

/// Writes a report in one output format.
pub trait Emitter {
    /// Writes `report` to `out`.
    ///
    /// # Errors
    /// Any error writing to `out`.
    fn emit(&self, report: &Report, out: &mut dyn Write) -> io::Result<()>;
}
