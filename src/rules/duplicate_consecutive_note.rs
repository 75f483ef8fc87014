use super::{declare_rule, Context, Rule, RuleInfo};
use crate::cite;
use crate::diagnostic::Finding;
use crate::model::{CitationKind, UrlOwner};

declare_rule! {
    /// ## What it does
    /// Flags a note that repeats the note right before it word for word (ignoring quote
    /// style, non-breaking spaces, runs of white space and a final period). Notes that are
    /// themselves an "Ibid." are exempt, and so are posts that never use "Ibid." (they repeat
    /// short notes on purpose), named Markdown footnotes, notes that cite nothing, and notes
    /// that read alike but link to different pages.
    ///
    /// ## Why is this bad?
    /// Citation styles cite a source given in the note just before as "Ibid."; repeating it
    /// in full makes the reader compare two long citations to learn they are the same, and is
    /// often the trace of a paste that was meant to be a different source.
    ///
    /// ## Example
    /// ```text
    /// [2] Kim, “Escape Routes,” NK News, 2020.
    /// [3] Kim, “Escape Routes,” NK News, 2020.
    /// ```
    ///
    /// ## Use instead
    /// ```text
    /// [2] Kim, “Escape Routes,” NK News, 2020.
    /// [3] Ibid.
    /// ```
    pub struct DuplicateConsecutiveNote {
        id: "duplicate-consecutive-note",
        severity: Warning,
        summary: "a note identical to the one before it: use \"Ibid.\"",
        reads_notes: true,
    }
}

impl Rule for DuplicateConsecutiveNote {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        // The advice is "use Ibid.": only a post that uses Ibid. elsewhere follows that
        // convention; others (many books) repeat a short note on purpose.
        let uses_ibid = cx
            .post
            .notes
            .iter()
            .any(|n| n.citations.iter().any(|c| c.kind == CitationKind::Ibid));
        if !uses_ibid {
            return;
        }
        // The URLs each note cites, links' destinations included: two notes that read the
        // same but link to different pages are not repeats.
        // Gathered on first use: most notes differ from the one before in their text.
        let urls: std::cell::OnceCell<Vec<Vec<&str>>> = std::cell::OnceCell::new();
        let note_urls = || {
            urls.get_or_init(|| {
                let mut urls: Vec<Vec<&str>> = vec![Vec::new(); cx.post.notes.len()];
                for u in &cx.post.urls {
                    if let UrlOwner::Note(i) = u.owner {
                        if let Some(list) = urls.get_mut(i) {
                            list.push(u.url.as_str());
                        }
                    }
                }
                urls
            })
        };
        for (i, pair) in cx.post.notes.windows(2).enumerate() {
            let [prev, note] = pair else { continue };
            // Named footnotes (`[^approve-tests]`) are cited by name, not read in sequence:
            // "Ibid." has no place among them.
            let named = |n: &crate::model::Note| n.number.is_none();
            // "Ibid." stands for a citation: a note citing nothing (a remark, a code block)
            // has nothing to abbreviate.
            if note.citations.is_empty()
                || named(note)
                || named(prev)
                || !super::notes_fold_eq(&note.text.text, &prev.text.text)
                || cite::is_ibid(&note.text.text)
                || {
                    let urls = note_urls();
                    urls[i] != urls[i + 1]
                }
            {
                continue;
            }
            out.push(
                Finding::new(
                    note.label_span,
                    format!(
                        "note {} repeats note {} word for word",
                        note.label, prev.label
                    ),
                )
                .label("same as the note before")
                .help(format!(
                    "replace the text of note {} with “Ibid.”",
                    note.label
                ))
                .note(note.label.clone()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::DuplicateConsecutiveNote;
    use crate::rules::test_support::check_text;

    #[test]
    fn flags_a_repeat_despite_quotes_and_nbsp() {
        let text =
            "A.[1][2][3][4]\n\n[1] Kim, “X,” 2020.\n[2] Kim,\u{a0}\"X,\" 2020\n[3] Lee, 2021.\n[4] Ibid.\n";
        assert_eq!(
            check_text(&DuplicateConsecutiveNote, text),
            vec!["4:1 note 2 repeats note 1 word for word"]
        );
    }

    #[test]
    fn ibid_and_non_adjacent_repeats_pass() {
        let text = "A.[1][2][3][4]\n\n[1] Kim, 2020.\n[2] Ibid.\n[3] Ibid.\n[4] Kim, 2020.\n";
        assert!(check_text(&DuplicateConsecutiveNote, text).is_empty());
    }

    #[test]
    fn same_words_with_different_links_or_names_are_not_repeats() {
        let text = "A.[^a] B.[^b] C.[^1] D.[^2]\n\n[^a]: See [the docs](https://a.org/x).\n[^b]: See [the docs](https://a.org/x).\n[^1]: See the [Forge](https://a.org/one).\n[^2]: See the [Forge](https://a.org/two).\n";
        assert!(
            crate::rules::test_support::check_markdown(&DuplicateConsecutiveNote, text).is_empty()
        );
    }

    #[test]
    fn a_post_that_never_uses_ibid_repeats_on_purpose() {
        let text = "A.[1][2]\n\n[1] See the Novello Album.\n[2] See the Novello Album.\n";
        assert!(check_text(&DuplicateConsecutiveNote, text).is_empty());
    }
}
