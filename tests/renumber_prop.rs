//! `notelint fix --renumber` over generated posts whose paragraphs were moved: the markers
//! are out of order, the notes list in the old order. Renumbering twice changes nothing the
//! second time, leaves no numbering finding, and keeps every note's text.
//!
//! Runs are reproducible: the seed is fixed unless `PROPTEST_RNG_SEED` is set.

use proptest::prelude::*;
#[path = "support/binary_prop.rs"]
mod binary_prop;
use binary_prop::notelint;

/// The form a generated post is written in.
#[derive(Debug, Clone, Copy)]
enum Form {
    Text,
    Markdown,
    Html,
}

fn form() -> impl Strategy<Value = Form> {
    prop_oneof![Just(Form::Text), Just(Form::Markdown), Just(Form::Html)]
}

/// A post of `n` notes, one sentence and marker each, written in paragraphs of `per`
/// sentences whose order is `paragraphs` (a permutation): the notes list stays in the
/// written order. Returns the text and each note's text after its label.
fn post(
    n: usize,
    per: usize,
    paragraphs: &[usize],
    form: Form,
    crlf: bool,
) -> (String, Vec<String>) {
    let chunks: Vec<Vec<usize>> = (1..=n)
        .collect::<Vec<_>>()
        .chunks(per)
        .map(<[usize]>::to_vec)
        .collect();
    let note = |i: usize| {
        let title = match form {
            Form::Html => format!("<em>Harbour Book {i}</em>"),
            Form::Markdown => format!("*Harbour Book {i}*"),
            Form::Text => format!("Harbour Book {i}"),
        };
        format!("Ann Moe{i}, {title} (Oslo: Elv, 19{:02}), {i}.", 50 + i)
    };
    let marker = |i: usize| match form {
        Form::Html => format!("<sup><a href=\"#fn{i}\" id=\"ref{i}\">[{i}]</a></sup>"),
        _ => format!("[{i}]"),
    };
    let mut text = match form {
        Form::Html => String::from("<h1>Harbour</h1>\n"),
        Form::Markdown => String::from("# Harbour\n\n"),
        Form::Text => String::from("Harbour\n\n"),
    };
    for &p in paragraphs {
        let Some(chunk) = chunks.get(p) else { continue };
        let sentences: Vec<String> = chunk
            .iter()
            .map(|&i| format!("Claim {i} about the quay.{}", marker(i)))
            .collect();
        match form {
            Form::Html => text.push_str(&format!("<p>{}</p>\n", sentences.join(" "))),
            _ => text.push_str(&format!("{}\n\n", sentences.join(" "))),
        }
    }
    let mut notes = Vec::new();
    for i in 1..=n {
        let body = note(i);
        match form {
            Form::Html => text.push_str(&format!(
                "<p id=\"fn{i}\">[{i}] {body} <a href=\"#ref{i}\">↩</a></p>\n"
            )),
            Form::Markdown => text.push_str(&format!("[{i}] {body}  \n")),
            Form::Text => text.push_str(&format!("[{i}] {body}\n")),
        }
        notes.push(body);
    }
    if crlf {
        text = text.replace('\n', "\r\n");
    }
    (text, notes)
}

/// The posts: 2 to 9 notes in paragraphs of 1 to 3, the paragraphs shuffled.
fn case() -> impl Strategy<Value = (usize, usize, Vec<usize>, Form, bool)> {
    (2usize..10, 1usize..4).prop_flat_map(|(n, per)| {
        let paragraphs = n.div_ceil(per);
        (
            Just(n),
            Just(per),
            Just((0..paragraphs).collect::<Vec<_>>()).prop_shuffle(),
            form(),
            any::<bool>(),
        )
    })
}

proptest! {
    #![proptest_config(binary_prop::config(19))]

    #[test]
    fn renumbering_twice_changes_nothing_and_keeps_the_notes((n, per, paragraphs, form, crlf) in case()) {
        let dir = tempfile::tempdir().expect("tempdir");
        let name = match form { Form::Text => "post.txt", Form::Markdown => "post.md", Form::Html => "post.html" };
        let file = dir.path().join(name);
        let (text, notes) = post(n, per, &paragraphs, form, crlf);
        std::fs::write(&file, &text).expect("write");

        let first = notelint(&["fix", "--renumber"], &file);
        prop_assert_eq!(first.status.code(), Some(0), "{}", String::from_utf8_lossy(&first.stderr));
        let once = std::fs::read_to_string(&file).expect("read");
        let sorted = paragraphs.windows(2).all(|w| w[0] < w[1]);
        prop_assert_eq!(once == text, sorted, "{}", once);
        // A second run has nothing to do.
        let again = notelint(&["fix", "--renumber", "--diff"], &file);
        prop_assert!(again.stdout.is_empty(), "{}", String::from_utf8_lossy(&again.stdout));
        // No numbering finding is left, nor anything else.
        let report = notelint(&["check", "--format", "concise"], &file);
        prop_assert_eq!(report.status.code(), Some(0), "{}\n{}", String::from_utf8_lossy(&report.stdout), once);
        // Every note's text is there once, and the notes are in the order of the markers.
        let mut at = 0;
        let order: Vec<usize> = paragraphs.iter().flat_map(|&p| p * per + 1..=(p * per + per).min(n)).collect();
        for (k, &i) in order.iter().enumerate() {
            let body = &notes[i - 1];
            prop_assert_eq!(once.matches(body.as_str()).count(), 1, "{} in\n{}", body, once);
            let label = format!("[{}] {body}", k + 1);
            let found = once[at..].find(&label);
            prop_assert!(found.is_some(), "{} not after {} in\n{}", label, at, once);
            at += found.unwrap_or(0);
        }
        prop_assert_eq!(once.matches("\r\n").count() > 0, crlf);
    }
}
