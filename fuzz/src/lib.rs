//! Helpers for the fuzz targets: the span checks shared with `tests/spans_prop.rs`, and the
//! checks of the smaller entry points (URL extraction, citations, configuration).

use notelint::model::{MappedText, UrlOwner};
use notelint::source::Span;

#[path = "../../tests/support/spans.rs"]
pub mod spans;

pub use spans::{all_rules, assert_span, check_input};

/// Builds a file and the text a parser would take from it: `\x01` in `data` splits the text
/// into pieces, and the file holds them with markup (`<i>`) between, as Markdown and HTML
/// parsers drop markup. Returns the file text and the stitched [`MappedText`].
#[must_use]
pub fn stitched(data: &str) -> (String, MappedText) {
    let mut file = String::new();
    let mut text = MappedText::default();
    for (i, piece) in data.split('\u{1}').enumerate() {
        if i > 0 {
            file.push_str("<i>");
        }
        text.push(piece, file.len());
        file.push_str(piece);
    }
    (file, text)
}

/// Extracts the URLs of `text` (mapped into `file`) and checks every span and range.
pub fn check_urls(file: &str, text: &MappedText) {
    let mut urls = Vec::new();
    notelint::parse::urls::extract(text, UrlOwner::Body(0), &mut urls);
    let mut last = 0;
    for u in &urls {
        assert_span(file, u.span, &format!("url {:?}", u.url));
        assert!(
            text.text.get(u.text_range.clone()).is_some(),
            "url {:?}: text range {:?} is not a slice of the text",
            u.url,
            u.text_range
        );
        for b in &u.breaks {
            assert_span(file, *b, &format!("break of url {:?}", u.url));
        }
        if let Some(e) = u.ellipsis {
            assert_span(file, e, &format!("ellipsis of url {:?}", u.url));
        }
        assert!(
            u.text_range.start >= last,
            "urls overlap or go backwards at {:?}",
            u.url
        );
        last = u.text_range.end;
        assert!(!u.url.is_empty(), "an empty URL at {:?}", u.span);
    }
}

/// Reads `data` as the text of one note (stitched as in [`stitched`]) and as citations, entries
/// and locators, checking every span and range that comes back.
pub fn check_citation(data: &str) {
    let (file, text) = stitched(data);
    for c in notelint::cite::parse_note(&text) {
        assert_span(&file, c.span, &format!("citation {:?}", c.text));
    }
    let plain = data.replace('\u{1}', "");
    for piece in notelint::cite::split(&plain) {
        for r in [Some(piece.body.clone()), piece.signal, piece.commentary]
            .into_iter()
            .flatten()
        {
            assert!(plain.get(r.clone()).is_some(), "piece {r:?} is not a slice");
        }
    }
    if let Some((_, fields)) = notelint::cite::parse_citation(&plain) {
        let _ = notelint::cite::short_label(&fields, &plain);
        let _ = notelint::cite::WorkKey::of(&fields);
    }
    let fields = notelint::cite::parse_entry(&plain);
    let _ = notelint::cite::short_label(&fields, &plain);
    for bare_ok in [false, true] {
        if let Some((at, _)) = notelint::cite::trailing_locator(&plain, bare_ok) {
            assert!(
                plain.is_char_boundary(at),
                "locator start {at} is not a char boundary"
            );
        }
    }
    if let Some((r, _)) = notelint::cite::extent(&plain) {
        assert!(
            plain.get(r.clone()).is_some(),
            "extent {r:?} is not a slice"
        );
    }
    let _ = notelint::cite::parse_locator(&plain);
    let _ = notelint::cite::is_ibid(&plain);
    let _ = notelint::cite::ibid_rest(&plain);
    let _ = notelint::cite::publication_year(&plain);
    let _ = notelint::cite::split_authors(&plain);
    let _ = notelint::cite::match_words(&plain);
    let _ = notelint::cite::short_title(&plain);
}

/// Reads `data` as a `notelint.toml`: a configuration or a configuration error, never a
/// panic; an error renders as the binary shows it, with its span inside the text.
pub fn check_config(data: &str) {
    match notelint::config::parse("notelint.toml", data, std::path::PathBuf::from(".")) {
        Ok(config) => {
            let _ = config.settings();
        }
        Err(error) => {
            if let notelint::config::ConfigError::Invalid(invalid) = &error {
                if let Some(span) = invalid.span {
                    let span = Span::new(span.offset(), span.offset() + span.len());
                    assert_span(data, span, &invalid.message);
                }
            }
            let handler = miette::GraphicalReportHandler::new_themed(
                miette::GraphicalTheme::unicode_nocolor(),
            )
            .with_width(100)
            .with_links(false);
            let mut out = String::new();
            let _ = handler.render_report(&mut out, &error);
        }
    }
}
