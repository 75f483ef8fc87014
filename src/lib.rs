//! notelint: a linter for citation and footnote integrity.
//!
//! The pipeline reads left to right, and so do the modules: [`walk`] finds the input files,
//! [`parse`] turns each into the [`model`], [`rules`] (run by the [`engine`]) report
//! [`diagnostic`]s, and [`output`] writes them in one format. [`cli`] ties them together.
//! [`cite`] resolves the citations of each note after parsing and [`bib`] matches them with
//! the post's bibliography, both comparing URLs and titles through [`identity`]; [`base`] reads the earlier revision of a file for comparisons;
//! [`links`] checks cited URLs before the rules run; [`listing`] writes `notelint notes`.
//! [`config`] reads `notelint.toml`; [`suppress`] finds suppression comments.

pub mod analyse;
pub mod audit;
pub mod base;
pub mod bib;
pub mod cite;
pub mod cli;
pub mod config;
pub mod decode;
pub mod diagnostic;
pub mod docs;
pub mod engine;
pub mod fix;
pub mod identity;
pub mod links;
pub mod listing;
pub mod model;
pub mod normalize;
pub mod output;
pub mod parse;
pub mod pipeline;
pub mod problems;
pub mod report;
pub mod rules;
pub mod run_files;
pub mod short_form;
pub mod source;
pub mod suppress;
pub mod walk;

/// The next number of a xorshift sequence (`*state` must not be 0): the cheap repeatable
/// randomness of the tests that compare a hand scan with the code it replaced.
#[cfg(test)]
pub(crate) fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}
