//! Bytes read as a Markdown file, as the binary reads one: decoded, parsed, linted and
//! rendered, with every diagnostic span checked.

#![no_main]

use libfuzzer_sys::fuzz_target;
use notelint::parse::Format;
use std::sync::LazyLock;

static ALL: LazyLock<notelint::engine::Settings> = LazyLock::new(notelint_fuzz::all_rules);

fuzz_target!(|data: &[u8]| {
    notelint_fuzz::check_input(data, Format::Markdown, &ALL);
});
