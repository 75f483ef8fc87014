//! Decoded text back to the file: the tokenizer hands over text with its character
//! references decoded, and [`decode_map`] finds where each piece of it is written, so that
//! spans of markers and notes point at the source and not at the decoded text.

use html5gum::{Token, Tokenizer};

/// A piece of a decoded text token: a range of the decoded text and the file offset it maps
/// to, or a line break of the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Piece {
    Text(std::ops::Range<usize>, usize),
    Break,
}

/// Maps a text token whose decoded `value` stands in the file as `raw` at `at`: literal text
/// maps byte for byte, each character reference maps to where it is written (the characters
/// it decodes to all point at its `&`), and each line break of the source (`\n`, `\r\n` or a
/// lone `\r`, which the tokenizer turns into `\n`) is a [`Piece::Break`].
///
/// Linear in `raw`: literal runs are compared once, and each reference is decoded with the
/// text up to the next `&`, `<` or line break, so no byte is decoded twice.
pub(super) fn decode_map(value: &str, raw: &str, at: usize) -> Vec<Piece> {
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    let rb = raw.as_bytes();
    let vb = value.as_bytes();
    while j < value.len() {
        match rb.get(i) {
            None => {
                // More decoded text than the source holds: it maps to the token's end.
                out.push(Piece::Text(j..value.len(), at + raw.len()));
                return out;
            }
            Some(b'&') => {
                if let Some((consumed, produced)) = reference_at(raw, i, &value[j..]) {
                    out.push(Piece::Text(j..j + produced, at + i));
                    i += consumed;
                    j += produced;
                } else if vb[j] == b'&' {
                    // Not a reference: a literal `&`.
                    out.push(Piece::Text(j..j + 1, at + i));
                    i += 1;
                    j += 1;
                } else {
                    break;
                }
            }
            Some(b'\r') if vb[j] == b'\n' => {
                out.push(Piece::Break);
                i += if rb.get(i + 1) == Some(&b'\n') { 2 } else { 1 };
                j += 1;
            }
            Some(b'\n') if vb[j] == b'\n' => {
                out.push(Piece::Break);
                i += 1;
                j += 1;
            }
            Some(_) => {
                // The longest literal run: equal bytes up to the next `&` or line break.
                let start = (i, j);
                while let (Some(&r), Some(&v)) = (rb.get(i), vb.get(j)) {
                    if r != v || matches!(r, b'&' | b'\r' | b'\n') {
                        break;
                    }
                    i += 1;
                    j += 1;
                }
                // Stop on character boundaries of both texts.
                while !(value.is_char_boundary(j) && raw.is_char_boundary(i)) && j > start.1 {
                    i -= 1;
                    j -= 1;
                }
                if j == start.1 {
                    break;
                }
                out.push(Piece::Text(start.1..j, at + start.0));
            }
        }
    }
    if j < value.len() {
        // The texts part ways in a way no rule above explains: the rest maps to where the
        // source was left.
        out.push(Piece::Text(j..value.len(), at + i.min(raw.len())));
    }
    out
}

/// The character reference at byte `i` of `raw` (which holds `&` there), if `value` starts
/// with what it decodes to: the bytes it takes in `raw` and the bytes it gives in `value`.
///
/// The tokenizer decodes the reference together with the literal text after it, up to the
/// next `&`, `<` or line break (a reference never reaches past them); of the decoded text,
/// the literal tail is the longest suffix that the source ends with too, leaving one or two
/// characters (one for a numeric reference) to the reference itself. A named reference never
/// ends in the character it decodes to, so the longest such tail is the right one.
fn reference_at(raw: &str, i: usize, value: &str) -> Option<(usize, usize)> {
    let rest = raw.get(i..)?;
    let chunk_len = rest
        .bytes()
        .skip(1)
        .position(|b| matches!(b, b'&' | b'<' | b'\r' | b'\n'))
        .map_or(rest.len(), |p| p + 1);
    let chunk = &rest[..chunk_len];
    let decoded = decode_chunk(chunk);
    if decoded == chunk || !value.starts_with(decoded.as_str()) {
        return None;
    }
    let numeric = chunk.starts_with("&#");
    // Smallest `c` first: the longest literal tail.
    for (c, _) in chunk.char_indices().skip(1).chain([(chunk.len(), ' ')]) {
        let tail = &chunk[c..];
        let Some(head) = decoded.strip_suffix(tail) else {
            continue;
        };
        let chars = head.chars().count();
        if chars == 1 || (chars == 2 && !numeric) {
            return Some((c, head.len()));
        }
    }
    None
}

/// What the tokenizer makes of `chunk` as text of an element.
fn decode_chunk(chunk: &str) -> String {
    let mut out = String::new();
    for token in Tokenizer::new(chunk).flatten() {
        if let Token::String(s) = token {
            out.push_str(&String::from_utf8_lossy(&s.value));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_map_pieces() {
        assert_eq!(
            decode_map("A & B", "A &amp; B", 10),
            vec![
                Piece::Text(0..2, 10),
                Piece::Text(2..3, 12),
                Piece::Text(3..5, 17)
            ]
        );
        assert_eq!(
            decode_map("a\nb", "a\r\nb", 0),
            vec![Piece::Text(0..1, 0), Piece::Break, Piece::Text(2..3, 3)]
        );
    }
}
