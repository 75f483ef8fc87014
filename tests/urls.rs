//! Every URL of a fixture that reproduces the URL shapes of scraped blog posts is extracted
//! with the right start and end, and with its breaks joined.

use notelint::analyse::parse;
use notelint::parse::Format;
use notelint::source::SourceFile;

fn urls_of(path: &str) -> Vec<String> {
    let full = format!("{}/{path}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&full).expect("fixture");
    let source = SourceFile::new(path, text);
    let document = parse(&source, Format::Text);
    document
        .posts
        .iter()
        .flat_map(|p| p.urls.iter().map(|u| u.url.clone()))
        .collect()
}

#[test]
fn every_url_of_the_shapes_fixture_has_the_right_end() {
    let expected = [
        "https://en.wikipedia.org/wiki/Salt_road_(Alps)",
        "https://chronicle.example.org/tolls-on-the-upper-road/",
        "https://rhone.example.org/sites/default/files/2025-03/Salt_Empire2025digital.pdf",
        "https://guild.example.org/annual-review/2024/chapters/ledgers#:~:text=The%20guild%20kept%20ledgers%20that,between%20May%20and%20June%202023",
        "https://trade.example.gov/surveys/2023-survey-of-alpine-trade/savoy/",
        "https://trade.example.gov/surveys/2023-survey-of-alpine-trade/savoy/",
        "https://www.post.example.com/2025/03/28/smugglers-pardoned.html?msockid=05e700f335bc642b",
        "https://rhone.example.org/sites/default/files/2025-03/Salt_Empire2025digital.pdf",
        "https://chronicle.example.org/tolls-on-the-upper-road/",
        "https://trade.example.gov/surveys/2023-survey-of-alpine-trade/savoy/",
        "https://trade.example.gov/surveys/2023-survey-of-alpine-trade/savoy/",
        "https://archive.example.org/records/pass-records",
        "https://www.example.net/reviews/pass-records",
        "https://www.post.example.com/2025/03/28/smugglers-pardoned.html?msockid=05e700f335bc642b",
        "http://web.archive.org/web/20190614191603/https://www.harbour.example.org/wp-content/uploads/2019/05/Harbour_Initiative-Ferry_Ledgers.pdf",
        "http://web.archive.org/web/20190614191603/https://www.harbour.example.org/wp-content/uploads/2019/05/Harbour_Initiative-Ferry_Ledgers.pdf",
        "https://ipn.example.pl/pl/archiwum/162937%2CKosciol-a-wspolnota-19801981.html#:~:text=Wpływ%20na%20etos%20",
        "doi:10.1007/978-3-031-05750-2_57-1",
        "www.registry.example.org/ferries",
    ];
    assert_eq!(urls_of("fixtures/urls/url-shapes.txt"), expected);
}

#[test]
fn spans_cover_the_url_as_written() {
    let path = "fixtures/urls/url-shapes.txt";
    let full = format!("{}/{path}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&full).expect("fixture");
    let source = SourceFile::new(path, text.clone());
    let document = parse(&source, Format::Text);
    for url in document.posts.iter().flat_map(|p| &p.urls) {
        let written = &text[url.span.range()];
        let mut joined = written.to_string();
        for b in url.breaks.iter().rev() {
            joined.replace_range(b.start - url.span.start..b.end - url.span.start, "");
        }
        assert_eq!(joined, url.url, "as written: {written}");
    }
}
