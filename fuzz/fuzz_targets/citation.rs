//! Text (lossy UTF-8) read as a note's citations, a bibliography entry and a locator.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    notelint_fuzz::check_citation(&String::from_utf8_lossy(data));
});
