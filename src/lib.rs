//! notelint: a linter for citation and footnote integrity.
//!
//! The pipeline reads left to right, and so do the modules: [`walk`] finds the input files,
//! [`parse`] turns each into the [`model`], [`rules`] (run by the [`engine`]) report
//! [`diagnostic`]s, and [`output`] writes them in one format. [`cli`] ties them together.
//! [`cite`] resolves the citations of each note after parsing; [`base`] reads the earlier
//! revision of a file for comparisons; [`listing`] writes `notelint notes`. [`config`] reads
//! `notelint.toml`; [`suppress`] finds suppression comments.

pub mod base;
pub mod cite;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod engine;
pub mod listing;
pub mod model;
pub mod normalize;
pub mod output;
pub mod parse;
pub mod rules;
pub mod source;
pub mod suppress;
pub mod walk;
