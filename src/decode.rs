//! Turning an input's bytes into text, and text offsets back into the input's bytes.
//!
//! Parsers and rules work on UTF-8 text. A file that is UTF-8 is used as it is; a file with a
//! UTF-16 byte-order mark is decoded; a file that is not UTF-8 but declares a single-byte
//! encoding near its start (an HTML `<meta charset>`, a Project Gutenberg `Character set
//! encoding:` line) is decoded as declared; otherwise invalid bytes become U+FFFD. Whenever the text is not the
//! file's bytes, an [`OffsetMap`] remembers how they correspond, so every diagnostic can still
//! name the exact bytes of the original file.

/// How an input's bytes were read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 (a byte-order mark, if any, stays in the text).
    Utf8,
    /// UTF-16, little-endian, with its byte-order mark.
    Utf16Le,
    /// UTF-16, big-endian, with its byte-order mark.
    Utf16Be,
    /// A single-byte encoding the file declares (ISO-8859-1, windows-1252, …).
    Declared(&'static encoding_rs::Encoding),
}

impl Encoding {
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Utf8 => "UTF-8",
            Self::Utf16Le => "UTF-16LE",
            Self::Utf16Be => "UTF-16BE",
            Self::Declared(e) => e.name(),
        }
    }

    /// The encoding a byte-order mark at the start of `bytes` announces, if any.
    #[must_use]
    pub fn sniff(bytes: &[u8]) -> Self {
        match encoding_rs::Encoding::for_bom(bytes) {
            Some((e, _)) if e == encoding_rs::UTF_16LE => Self::Utf16Le,
            Some((e, _)) if e == encoding_rs::UTF_16BE => Self::Utf16Be,
            _ => Self::Utf8,
        }
    }
}

/// An input decoded to text.
#[derive(Debug)]
pub struct Decoded {
    pub text: String,
    pub encoding: Encoding,
    /// Where the text's bytes came from in the input.
    pub map: OffsetMap,
    /// The input offset of the first byte that could not be decoded, if any.
    pub first_invalid: Option<usize>,
}

/// Decodes `bytes`: UTF-16 when a byte-order mark says so, else UTF-8, replacing whatever
/// cannot be decoded with U+FFFD. Linear in the input.
#[must_use]
pub fn decode(bytes: Vec<u8>) -> Decoded {
    match Encoding::sniff(&bytes) {
        e @ (Encoding::Utf16Le | Encoding::Utf16Be) => return decode_utf16(&bytes, e),
        Encoding::Utf8 | Encoding::Declared(_) => {}
    }
    // Valid UTF-8 (nearly every file) is checked once and used as it is.
    let bytes = match String::from_utf8(bytes) {
        Ok(text) => {
            return Decoded {
                text,
                encoding: Encoding::Utf8,
                map: OffsetMap::identity(),
                first_invalid: None,
            }
        }
        Err(e) => e.into_bytes(),
    };
    match declared_encoding(&bytes) {
        Some(encoding) => decode_single_byte(&bytes, encoding),
        None => decode_lossy_utf8(&bytes),
    }
}

/// How far into a file an encoding declaration is looked for.
const DECLARATION_WINDOW: usize = 4096;

/// The single-byte encoding a file declares near its start: `charset=…` (an HTML `<meta>`) or
/// `Character set encoding: …` (Project Gutenberg's header). UTF-8 and multi-byte encodings
/// are not taken: their offsets do not map byte for byte.
#[must_use]
pub fn declared_encoding(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(DECLARATION_WINDOW)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    for key in [&b"charset="[..], b"character set encoding:"] {
        let Some(at) = memchr::memmem::find(&lower, key) else {
            continue;
        };
        let rest = &head[at + key.len()..];
        let label: Vec<u8> = rest
            .iter()
            .skip_while(|b| matches!(b, b' ' | b'"' | b'\''))
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
            .copied()
            .collect();
        if let Some(e) = encoding_rs::Encoding::for_label(&label) {
            return e.is_single_byte().then_some(e);
        }
    }
    None
}

/// Decodes a single-byte encoding: every input byte is one character of the text.
fn decode_single_byte(bytes: &[u8], encoding: &'static encoding_rs::Encoding) -> Decoded {
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    let mut map = OffsetMap::default();
    let mut first_invalid = None;
    // Each character is one input byte: a character as wide in the text as the one before
    // it continues that one's run, so a run starts only where the width changes (what
    // `OffsetMap::push` would find, without its test for each character).
    let mut width = 0;
    let mut at = 0;
    for (input, c) in text.chars().enumerate() {
        if c == char::REPLACEMENT_CHARACTER && bytes[input] != 0 {
            first_invalid.get_or_insert(input);
        }
        let w = c.len_utf8();
        if w != width {
            map.push(at, input, w, 1);
            width = w;
        }
        at += w;
    }
    map.finish(text.len(), bytes.len());
    Decoded {
        text: text.into_owned(),
        encoding: Encoding::Declared(encoding),
        map,
        first_invalid,
    }
}

/// [`decode_single_byte`] as first written, every character offered to the map: the
/// reference its run building is checked against.
#[cfg(test)]
fn decode_single_byte_reference(bytes: &[u8], encoding: &'static encoding_rs::Encoding) -> Decoded {
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    let mut map = OffsetMap::default();
    let mut first_invalid = None;
    for ((at, c), input) in text.char_indices().zip(0..) {
        if c == char::REPLACEMENT_CHARACTER && bytes[input] != 0 {
            first_invalid.get_or_insert(input);
        }
        map.push(at, input, c.len_utf8(), 1);
    }
    map.finish(text.len(), bytes.len());
    Decoded {
        text: text.into_owned(),
        encoding: Encoding::Declared(encoding),
        map,
        first_invalid,
    }
}

/// Decodes bytes that are not valid UTF-8, each maximal invalid run becoming one U+FFFD.
fn decode_lossy_utf8(bytes: &[u8]) -> Decoded {
    let mut text = String::with_capacity(bytes.len() + 16);
    let mut map = OffsetMap::default();
    let mut first_invalid = None;
    let mut at = 0;
    for chunk in bytes.utf8_chunks() {
        let valid = chunk.valid();
        map.push(text.len(), at, 1, 1);
        text.push_str(valid);
        at += valid.len();
        let invalid = chunk.invalid();
        if !invalid.is_empty() {
            first_invalid.get_or_insert(at);
            map.push(text.len(), at, 3, invalid.len());
            text.push(char::REPLACEMENT_CHARACTER);
            at += invalid.len();
        }
    }
    map.finish(text.len(), at);
    Decoded {
        text,
        encoding: Encoding::Utf8,
        map,
        first_invalid,
    }
}

fn decode_utf16(bytes: &[u8], encoding: Encoding) -> Decoded {
    let unit = |pair: &[u8]| match encoding {
        Encoding::Utf16Be => u16::from_be_bytes([pair[0], pair[1]]),
        _ => u16::from_le_bytes([pair[0], pair[1]]),
    };
    let body = &bytes[2..];
    let mut text = String::with_capacity(body.len());
    let mut map = OffsetMap::default();
    let mut first_invalid = None;
    let mut at = 2;
    for c in char::decode_utf16(body.chunks_exact(2).map(unit)) {
        let (c, width) = match c {
            Ok(c) => (c, c.len_utf16() * 2),
            Err(_) => {
                first_invalid.get_or_insert(at);
                (char::REPLACEMENT_CHARACTER, 2)
            }
        };
        map.push(text.len(), at, c.len_utf8(), width);
        text.push(c);
        at += width;
    }
    if body.len() % 2 == 1 {
        // A last odd byte is half a code unit.
        first_invalid.get_or_insert(at);
        map.push(text.len(), at, 3, 1);
        text.push(char::REPLACEMENT_CHARACTER);
        at += 1;
    }
    map.finish(text.len(), at);
    Decoded {
        text,
        encoding,
        map,
        first_invalid,
    }
}

/// A run of text in which every character of `text_unit` bytes came from `input_unit` bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Run {
    text_start: usize,
    input_start: usize,
    text_unit: usize,
    input_unit: usize,
}

/// Maps offsets in decoded text to offsets in the input it was decoded from.
///
/// Empty for text that is the input's bytes. Otherwise a sorted list of runs, one per change of
/// width between text and input (at most one per character, usually a handful per file), so a
/// lookup is a binary search.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OffsetMap {
    runs: Vec<Run>,
    /// The text's length and the input's, so the end of the text maps to the end of the input.
    ends: (usize, usize),
}

impl OffsetMap {
    /// The map of text that is its input's bytes.
    #[must_use]
    pub const fn identity() -> Self {
        Self {
            runs: Vec::new(),
            ends: (0, 0),
        }
    }

    /// Whether text offsets are input offsets.
    #[must_use]
    pub fn is_identity(&self) -> bool {
        self.runs.is_empty()
    }

    /// Adds a character (or a run of them) at `text_start`, read from `input_start`, extending
    /// the last run when the widths match.
    fn push(&mut self, text_start: usize, input_start: usize, text_unit: usize, input_unit: usize) {
        if let Some(last) = self.runs.last() {
            let continues = last.text_unit == text_unit
                && last.input_unit == input_unit
                && (text_start - last.text_start) / text_unit * input_unit
                    == input_start - last.input_start;
            if continues {
                return;
            }
        }
        self.runs.push(Run {
            text_start,
            input_start,
            text_unit,
            input_unit,
        });
    }

    fn finish(&mut self, text_len: usize, input_len: usize) {
        self.ends = (text_len, input_len);
    }

    /// The input offset of text offset `offset` (on a character boundary of the text).
    #[must_use]
    pub fn to_input(&self, offset: usize) -> usize {
        if self.runs.is_empty() {
            return offset;
        }
        if offset >= self.ends.0 {
            return self.ends.1;
        }
        let i = self.runs.partition_point(|r| r.text_start <= offset);
        let Some(run) = i.checked_sub(1).map(|i| self.runs[i]) else {
            return offset;
        };
        run.input_start + (offset - run.text_start) / run.text_unit * run.input_unit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_byte_runs_match_a_push_for_every_character() {
        let pieces: [&[u8]; 10] = [
            b"a", b" ", b"\xe9", b"\x80", b"\x81", b"\x00", b"\x9d", b"\xff", b"xyz", b"\xa0",
        ];
        let mut state: u64 = 0x5DEE_CE66_D1CE_4E5B;
        for encoding in [
            encoding_rs::WINDOWS_1252,
            encoding_rs::ISO_8859_2,
            encoding_rs::KOI8_R,
        ] {
            for _ in 0..2_000 {
                let mut bytes = Vec::new();
                crate::xorshift(&mut state);
                for _ in 0..(state % 30) {
                    crate::xorshift(&mut state);
                    bytes.extend_from_slice(pieces[(state % pieces.len() as u64) as usize]);
                }
                let got = decode_single_byte(&bytes, encoding);
                let want = decode_single_byte_reference(&bytes, encoding);
                assert_eq!(got.text, want.text, "{bytes:?}");
                assert_eq!(got.map, want.map, "{bytes:?}");
                assert_eq!(got.first_invalid, want.first_invalid, "{bytes:?}");
            }
        }
    }

    #[test]
    fn utf8_is_used_as_it_is() {
        let d = decode("a “b” [1]".as_bytes().to_vec());
        assert_eq!(d.text, "a “b” [1]");
        assert!(d.map.is_identity());
        assert_eq!(d.first_invalid, None);
    }

    #[test]
    fn invalid_bytes_map_back_to_the_input() {
        // Two bad bytes, then one: each maximal bad run is one U+FFFD (3 bytes of text).
        let input = b"A\xff\xfe [1] B\xc3 [2]".to_vec();
        let d = decode(input.clone());
        assert_eq!(d.first_invalid, Some(1));
        for marker in ["[1]", "[2]"] {
            let t = d.text.find(marker).unwrap();
            let i = d.map.to_input(t);
            assert_eq!(&input[i..i + 3], marker.as_bytes());
            assert_eq!(d.map.to_input(t + 3), i + 3);
        }
        assert_eq!(d.map.to_input(d.text.len()), input.len());
    }

    #[test]
    fn utf16_with_a_bom_is_decoded_and_mapped() {
        let s = "Claim é😀 [1]\n\n[1] Note.\n";
        for (enc, bom, be) in [
            (Encoding::Utf16Le, [0xff, 0xfe], false),
            (Encoding::Utf16Be, [0xfe, 0xff], true),
        ] {
            let mut input = bom.to_vec();
            for u in s.encode_utf16() {
                input.extend(if be { u.to_be_bytes() } else { u.to_le_bytes() });
            }
            let d = decode(input.clone());
            assert_eq!(d.encoding, enc);
            assert_eq!(d.text, s);
            assert_eq!(d.first_invalid, None);
            let t = d.text.find("[1]").unwrap();
            let i = d.map.to_input(t);
            let prefix: usize = s[..t].encode_utf16().count() * 2 + 2;
            assert_eq!(i, prefix);
            assert_eq!(d.map.to_input(d.text.len()), input.len());
        }
    }

    #[test]
    fn a_declared_single_byte_encoding_is_decoded_and_mapped() {
        let input = b"<meta charset=\"iso-8859-1\"><p>Caf\xe9 na\xefve.[1]</p>".to_vec();
        let d = decode(input.clone());
        assert_eq!(d.encoding.name(), "windows-1252");
        assert_eq!(d.first_invalid, None);
        assert!(d.text.contains("Café naïve.[1]"));
        let t = d.text.find("[1]").unwrap();
        let i = d.map.to_input(t);
        assert_eq!(&input[i..i + 3], b"[1]");
        let gutenberg = b"Title\r\nCharacter set encoding: ISO-8859-1\r\n\r\nCaf\xe9.".to_vec();
        assert!(decode(gutenberg).text.ends_with("Café."));
        // Valid UTF-8 wins over a declaration.
        let utf8 = "<meta charset=iso-8859-1>Café".as_bytes().to_vec();
        assert_eq!(decode(utf8).encoding, Encoding::Utf8);
        // No declaration: invalid bytes are replaced and reported.
        assert_eq!(decode(b"Caf\xe9".to_vec()).first_invalid, Some(3));
    }

    #[test]
    fn unpaired_surrogates_and_odd_bytes_are_replaced() {
        let input = vec![0xff, 0xfe, b'a', 0, 0x00, 0xd8, b'b', 0, b'c'];
        let d = decode(input);
        assert_eq!(d.text, "a\u{fffd}b\u{fffd}");
        assert_eq!(d.first_invalid, Some(4));
        assert_eq!(d.map.to_input(d.text.find('b').unwrap()), 6);
    }
}
