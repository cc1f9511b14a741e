//! A fetched document's bytes as text. JSON is UTF-8; an XML feed says its encoding with a
//! byte-order mark or in its declaration (`<?xml version="1.0" encoding="ISO-8859-1"?>`). The
//! ones feeds use are read: UTF-8, UTF-16 (either byte order) and the Latin-1 family, which,
//! as in browsers, is read as windows-1252 (its superset: agencies' "ISO-8859-1" feeds carry
//! curly quotes from word processors in bytes 0x80–0x9F). Any other declared encoding is an
//! error that names it, rather than text in the wrong letters.

use crate::error::{Error, Result};
use crate::text::entities::windows_1252_high;

/// The labels browsers read as windows-1252 (the WHATWG Encoding Standard's list).
const LATIN1_LABELS: [&str; 17] = [
    "ansi_x3.4-1968",
    "ascii",
    "cp1252",
    "cp819",
    "csisolatin1",
    "ibm819",
    "iso-8859-1",
    "iso-ir-100",
    "iso8859-1",
    "iso88591",
    "iso_8859-1",
    "iso_8859-1:1987",
    "l1",
    "latin1",
    "us-ascii",
    "windows-1252",
    "x-cp1252",
];

/// Turns a fetched document into text. Bytes that are not valid in their encoding become U+FFFD:
/// one bad byte must not cost the other releases.
pub fn decode_document(bytes: Vec<u8>) -> Result<String> {
    match bytes.as_slice() {
        [0xEF, 0xBB, 0xBF, rest @ ..] => return Ok(utf8(rest.to_vec())),
        [0xFF, 0xFE, rest @ ..] => return Ok(utf16(rest, u16::from_le_bytes)),
        [0xFE, 0xFF, rest @ ..] => return Ok(utf16(rest, u16::from_be_bytes)),
        // UTF-16 without a mark: `<?` gives away the byte order.
        [0x3C, 0, 0x3F, 0, ..] => return Ok(utf16(&bytes, u16::from_le_bytes)),
        [0, 0x3C, 0, 0x3F, ..] => return Ok(utf16(&bytes, u16::from_be_bytes)),
        _ => {}
    }
    let Some(label) = declared_encoding(&bytes) else { return Ok(utf8(bytes)) };
    let label = label.to_ascii_lowercase();
    if matches!(label.as_str(), "utf-8" | "utf8" | "unicode-1-1-utf-8") || label.starts_with("utf-16") {
        // A document that says UTF-16 but has 8-bit bytes (no mark, `<?` in ASCII) is mislabelled
        // UTF-8, as feed parsers have long assumed.
        Ok(utf8(bytes))
    } else if LATIN1_LABELS.contains(&label.as_str()) {
        Ok(bytes.iter().map(|&b| windows_1252_high(b)).collect())
    } else {
        Err(Error::UnknownEncoding { name: label })
    }
}

/// The `encoding` of an XML declaration at the very start of the document.
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(256)];
    let start = head.iter().position(|b| !b.is_ascii_whitespace())?;
    let decl = head[start..].strip_prefix(b"<?xml")?;
    let decl = &decl[..decl.windows(2).position(|w| w == b"?>")?];
    let after = &decl[decl.windows(8).position(|w| w == b"encoding")? + 8..];
    let after = after.iter().position(|b| *b == b'=').map(|i| &after[i + 1..])?;
    let after = &after[after.iter().position(|b| !b.is_ascii_whitespace())?..];
    let quote = *after.first().filter(|q| matches!(q, b'"' | b'\''))?;
    let value = &after[1..1 + after[1..].iter().position(|b| *b == quote)?];
    Some(String::from_utf8_lossy(value).trim().to_string())
}

fn utf8(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> String {
    let units = bytes.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
    let mut text: String = char::decode_utf16(units).map(|c| c.unwrap_or('\u{fffd}')).collect();
    if bytes.len() % 2 == 1 {
        text.push('\u{fffd}');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_encodings_are_read() {
        let latin1 = b"<?xml version='1.0' encoding = 'ISO-8859-1' ?><r>caf\xe9 \x93quoted\x94 \x80</r>".to_vec();
        assert_eq!(
            decode_document(latin1).unwrap(),
            "<?xml version='1.0' encoding = 'ISO-8859-1' ?><r>caf\u{e9} \u{201c}quoted\u{201d} \u{20ac}</r>"
        );
        let utf16le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("<r>\u{e9}\u{1f600}</r>".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode_document(utf16le).unwrap(), "<r>\u{e9}\u{1f600}</r>");
        let utf16be: Vec<u8> = "<?xml version=\"1.0\"?><r/>".encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(decode_document(utf16be).unwrap(), "<?xml version=\"1.0\"?><r/>");
        assert_eq!(decode_document(b"\xEF\xBB\xBF{\"a\":1}".to_vec()).unwrap(), "{\"a\":1}");
        assert_eq!(decode_document(b"<r>\xff</r>".to_vec()).unwrap(), "<r>\u{fffd}</r>");
    }

    #[test]
    fn an_unknown_encoding_is_named() {
        let err = decode_document(b"<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><r/>".to_vec()).unwrap_err();
        assert_eq!(err, Error::UnknownEncoding { name: "shift_jis".into() });
    }
}
