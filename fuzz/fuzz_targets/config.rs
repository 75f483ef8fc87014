//! Any text read as a `notelint.toml`: a configuration or a configuration error, never a panic.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        notelint_fuzz::check_config(text);
    }
});
