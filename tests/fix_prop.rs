//! `notelint fix` over generated posts: fixing twice changes nothing the second time, no
//! fixable finding is left, and the notes keep their labels, authors and titles.
//!
//! Posts are built from notes whose URLs are written whole, split by a space or a line break,
//! glued to the text before them, or carrying tracking parameters, in any mix. Runs are
//! reproducible: the seed is fixed unless `PROPTEST_RNG_SEED` is set.

use proptest::prelude::*;
#[path = "support/binary_prop.rs"]
mod binary_prop;
use binary_prop::notelint;

/// How one note writes its URL.
#[derive(Debug, Clone, Copy)]
enum Shape {
    Whole,
    SplitAtHyphen,
    SplitAfterSlash,
    Glued,
    Tracked,
    GluedAndTracked,
}

fn shape() -> impl Strategy<Value = Shape> {
    prop_oneof![
        Just(Shape::Whole),
        Just(Shape::SplitAtHyphen),
        Just(Shape::SplitAfterSlash),
        Just(Shape::Glued),
        Just(Shape::Tracked),
        Just(Shape::GluedAndTracked),
    ]
}

/// A post of one note per shape, with its markers, and the start of each note's text (its
/// label, author and title), which fixing must keep.
fn post(shapes: &[Shape], crlf: bool) -> (String, Vec<String>) {
    let mut text = String::from("Harbour Notes\n\n");
    for i in 1..=shapes.len() {
        text.push_str(&format!("Claim {i} about the quay.[{i}] "));
    }
    text.push_str("\n\n");
    let mut heads = Vec::new();
    for (k, shape) in shapes.iter().enumerate() {
        let i = k + 1;
        let head = format!(
            "[{i}] Ann Moe{i}, \u{201c}Harbour Report {i},\u{201d} Port Review, 20{:02}",
            10 + i
        );
        let path = format!("https://port{i}.example.org/wp-content/uploads/report-{i}.pdf");
        let url = match shape {
            Shape::Whole => format!(", {path}"),
            Shape::SplitAtHyphen => format!(", {}", path.replacen("wp-", "wp- ", 1)),
            Shape::SplitAfterSlash => format!(", {}", path.replacen("uploads/", "uploads/\n", 1)),
            Shape::Glued => format!(",{path}"),
            Shape::Tracked => format!(", {path}?utm_source=news&id={i}"),
            Shape::GluedAndTracked => format!(",{path}?id={i}&fbclid=abc{i}"),
        };
        text.push_str(&format!("{head}{url}\n"));
        heads.push(head);
    }
    if crlf {
        text = text.replace('\n', "\r\n");
    }
    (text, heads)
}

proptest! {
    #![proptest_config(binary_prop::config(18))]

    #[test]
    fn fixing_twice_changes_nothing_and_keeps_the_notes(
        shapes in proptest::collection::vec(shape(), 1..7),
        crlf in any::<bool>(),
    ) {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("post.txt");
        let (text, heads) = post(&shapes, crlf);
        std::fs::write(&file, &text).expect("write");

        notelint(&["fix"], &file);
        let once = std::fs::read_to_string(&file).expect("read");
        // Something was broken, so something was fixed.
        let broken = shapes.iter().any(|s| !matches!(s, Shape::Whole));
        prop_assert_eq!(once != text, broken, "{}", once);
        // A second fix has nothing to do.
        let again = notelint(&["fix", "--diff"], &file);
        prop_assert!(again.stdout.is_empty(), "{}", String::from_utf8_lossy(&again.stdout));
        prop_assert_eq!(&std::fs::read_to_string(&file).expect("read"), &once);
        // No finding that a fix could repair is left.
        let report = notelint(&["check", "--format", "json"], &file);
        let json: serde_json::Value = serde_json::from_slice(&report.stdout).expect("JSON");
        let fixable: Vec<&serde_json::Value> = json["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .filter(|d| d.get("fix").is_some())
            .collect();
        prop_assert!(fixable.is_empty(), "{fixable:?}");
        // Every note keeps its label, author and title, and its line ending.
        for head in &heads {
            prop_assert!(once.contains(head.as_str()), "{head} lost in\n{once}");
        }
        prop_assert_eq!(once.matches("\r\n").count() > 0, crlf);
    }
}
