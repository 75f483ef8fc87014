//! Text (lossy UTF-8) through the URL extractor, whole and stitched from pieces with markup
//! between, with every span checked against the file.

#![no_main]

use libfuzzer_sys::fuzz_target;
use notelint::model::MappedText;

fuzz_target!(|data: &[u8]| {
    let data = String::from_utf8_lossy(data);
    let whole = data.replace('\u{1}', " ");
    notelint_fuzz::check_urls(&whole, &MappedText::contiguous(whole.as_str(), 0));
    let (file, text) = notelint_fuzz::stitched(&data);
    notelint_fuzz::check_urls(&file, &text);
});
