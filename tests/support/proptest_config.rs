//! The proptest configuration of the property tests that run the binary: few cases (each runs
//! `notelint` several times on a whole post), a fixed seed per test file so a run repeats,
//! both overridable with `PROPTEST_CASES` and `PROPTEST_RNG_SEED`, and no failure files
//! written into the tree.

use proptest::test_runner::{Config, RngSeed};

pub fn config(seed: u64) -> Config {
    Config {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(16),
        rng_seed: std::env::var("PROPTEST_RNG_SEED")
            .ok()
            .and_then(|n| n.parse().ok())
            .map_or(RngSeed::Fixed(seed), RngSeed::Fixed),
        failure_persistence: None,
        ..Config::default()
    }
}
