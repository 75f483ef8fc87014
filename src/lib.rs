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

/// `count` texts, each joining `min` to `min + span - 1` of `parts` picked by a xorshift
/// sequence started at `seed`: the generated inputs of the tests that compare a hand scan with
/// the code it replaced.
#[cfg(test)]
pub(crate) fn texts_of_parts<'p>(
    parts: &'p [&'p str],
    seed: u64,
    count: usize,
    min: u64,
    span: u64,
) -> impl Iterator<Item = String> + 'p {
    let mut state = seed;
    (0..count).map(move |_| {
        let mut k = xorshift(&mut state);
        let mut t = String::new();
        for _ in 0..min + k % span {
            k /= span;
            t.push_str(parts[(k % parts.len() as u64) as usize]);
            k /= parts.len() as u64;
            if k == 0 {
                k = xorshift(&mut state) | 1;
            }
        }
        t
    })
}
