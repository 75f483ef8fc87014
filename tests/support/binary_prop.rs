//! What the property tests that run the binary share: their proptest configuration (few
//! cases, each running `notelint` several times on a whole post; a fixed seed per test file
//! so a run repeats, both overridable with `PROPTEST_CASES` and `PROPTEST_RNG_SEED`; no
//! failure files written into the tree) and the way they run the binary.

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

/// Runs the built `notelint` with `args`, `--no-config` and `file`, without colours.
pub fn notelint(args: &[&str], file: &std::path::Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_notelint"))
        .args(args)
        .arg("--no-config")
        .arg(file)
        .env("NO_COLOR", "1")
        .output()
        .expect("notelint runs")
}
