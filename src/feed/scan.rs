//! Finds where JSON values begin and end without building them, so a large feed can be read one
//! release at a time (each parsed by serde_json) in steps that keep the page responsive, and a
//! document cut off half-way still yields the releases before the cut.

use std::ops::Range;

use serde_json::{Map, Value};

use super::Format;
use crate::model::Problem;

pub struct Scanner<'a> {
    pub text: &'a str,
    bytes: &'a [u8],
    pub pos: usize,
}

/// The document ended or broke at byte `at`.
#[derive(Debug, PartialEq)]
pub struct Broken {
    pub at: usize,
}

impl<'a> Scanner<'a> {
    pub fn new(text: &'a str) -> Self {
        Scanner { text, bytes: text.as_bytes(), pos: 0 }
    }

    pub fn skip_ws(&mut self) {
        while matches!(self.bytes.get(self.pos), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    pub fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Consumes `b` (after whitespace) if it is next.
    pub fn eat(&mut self, b: u8) -> bool {
        self.skip_ws();
        let found = self.peek() == Some(b);
        self.pos += usize::from(found);
        found
    }

    /// Skips one value starting here (after whitespace) and returns its span.
    pub fn value(&mut self) -> Result<Range<usize>, Broken> {
        self.skip_ws();
        let start = self.pos;
        match self.peek() {
            None => return Err(self.broken()),
            Some(b'"') => self.string()?,
            Some(b'{' | b'[') => self.nested()?,
            Some(_) => {
                while !matches!(self.peek(), None | Some(b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')) {
                    self.pos += 1;
                }
                if self.pos == start {
                    return Err(self.broken());
                }
            }
        }
        Ok(start..self.pos)
    }

    /// Reads an object member's key (after an optional `,`) and the `:` after it. The key is
    /// decoded as serde_json decodes every string, so `"vers\u0069on"` is `version`.
    pub fn key(&mut self) -> Result<String, Broken> {
        self.eat(b',');
        let span = self.value()?;
        let key = decoded(&self.text[span.clone()]).ok_or(Broken { at: span.start })?;
        match self.eat(b':') {
            true => Ok(key),
            false => Err(self.broken()),
        }
    }

    fn broken(&self) -> Broken {
        Broken { at: self.pos }
    }

    /// At a `"`: moves past the closing quote.
    fn string(&mut self) -> Result<(), Broken> {
        self.pos += 1;
        loop {
            match self.peek() {
                None => return Err(self.broken()),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(b'\\') => self.pos += 2,
                Some(_) => self.pos += 1,
            }
        }
    }

    /// At `{` or `[`: moves past the matching close. Brackets are only counted; serde_json checks
    /// the inside when the value is parsed.
    fn nested(&mut self) -> Result<(), Broken> {
        let mut depth = 0usize;
        loop {
            match self.peek() {
                None => return Err(self.broken()),
                Some(b'"') => {
                    self.string()?;
                    continue;
                }
                Some(b'{' | b'[') => depth += 1,
                Some(b'}' | b']') => {
                    depth -= 1;
                    if depth == 0 {
                        self.pos += 1;
                        return Ok(());
                    }
                }
                Some(_) => {}
            }
            self.pos += 1;
        }
    }
}

/// A JSON string's text with its escapes decoded (`\/`, `\u00e9`, surrogate pairs); `None` when
/// the value is not a string. Read as a `Value`, the one type the list view already reads: asking
/// serde_json for a `String` would add its typed path (the "invalid type" errors, and with them
/// float formatting, about 10 kB of wasm).
pub fn decoded(json: &str) -> Option<String> {
    match serde_json::from_str(json) {
        Ok(Value::String(text)) => Some(text),
        _ => None,
    }
}

/// The text of the top-level member `name` of the JSON object `text`, when it is text; `None`
/// when it is absent, not text or named twice (as serde's derived readers refuse a field given
/// twice), or the document is not an object. Only brackets are counted: the caller checks that
/// the document is valid JSON if that matters.
#[cfg(any(test, feature = "widget"))] // the list view's manifest test; the archive part has none
pub fn top_level_text(text: &str, name: &str) -> Option<String> {
    let mut scan = Scanner::new(text);
    if !scan.eat(b'{') {
        return None;
    }
    let mut found = None;
    while let Ok(key) = scan.key() {
        let Ok(span) = scan.value() else { break };
        if key == name {
            if found.is_some() {
                return None;
            }
            found = Some(span);
        }
    }
    decoded(&text[found?])
}

/// The format of a document that is a JSON object, from its top-level `version` wherever it sits
/// (PHP writes `"https:\/\/jsonfeed.org\/version\/1.1"`). A `releases` member met before any
/// `version` settles it as native without reading the rest.
pub fn object_format(text: &str) -> Format {
    let mut scan = Scanner::new(text);
    if !scan.eat(b'{') {
        return Format::Native;
    }
    while let Ok(key) = scan.key() {
        let Ok(span) = scan.value() else { break };
        match key.as_str() {
            "version" => {
                let version = decoded(&text[span]).unwrap_or_default();
                let json_feed = ["https://jsonfeed.org/version/", "http://jsonfeed.org/version/"]
                    .iter()
                    .any(|prefix| version.starts_with(prefix));
                return if json_feed { Format::JsonFeed } else { Format::Native };
            }
            "releases" => return Format::Native,
            _ => {}
        }
    }
    Format::Native
}

/// Reads a whole document, or, when it breaks off part-way (cut at the size limit, truncated by
/// the network), what comes before the break: the list at its top (WordPress) or under
/// `list_key` in its top-level object (JSON Feed), with every complete entry. `None` when the
/// document is whole or nothing in it could be kept (then serde_json's error says why).
pub fn parse_or_salvage(text: &str, list_key: &str) -> Result<(Value, Option<Broken>), serde_json::Error> {
    let error = match serde_json::from_str(text) {
        Ok(doc) => return Ok((doc, None)),
        Err(e) => e,
    };
    let mut scan = Scanner::new(text);
    let salvaged = if scan.eat(b'[') {
        let (items, broken) = entries(&mut scan);
        broken.filter(|_| !items.is_empty()).map(|broken| (Value::Array(items), broken))
    } else if scan.eat(b'{') {
        members(&mut scan, list_key)
    } else {
        None
    };
    salvaged.map(|(doc, broken)| (doc, Some(broken))).ok_or(error)
}

/// The members of an object up to where it breaks off, with its `list_key` list read entry by
/// entry; `None` unless that list has entries and the document breaks.
fn members(scan: &mut Scanner, list_key: &str) -> Option<(Value, Broken)> {
    let mut object = Map::new();
    let broken = loop {
        if scan.eat(b'}') {
            return None;
        }
        let key = match scan.key() {
            Ok(key) => key,
            Err(broken) => break broken,
        };
        scan.skip_ws();
        if key == list_key && scan.peek() == Some(b'[') {
            scan.pos += 1;
            let (items, broken) = entries(scan);
            object.insert(key, Value::Array(items));
            match broken {
                Some(broken) => break broken,
                None => continue,
            }
        }
        let value = scan
            .value()
            .and_then(|span| serde_json::from_str(&scan.text[span.clone()]).map_err(|_| Broken { at: span.start }));
        match value {
            Ok(value) => object.insert(key, value),
            Err(broken) => break broken,
        };
    };
    let has_entries = object.get(list_key).and_then(Value::as_array).is_some_and(|items| !items.is_empty());
    has_entries.then_some((Value::Object(object), broken))
}

/// The complete entries of a list (after its `[`), and where it broke off, if it did.
fn entries(scan: &mut Scanner) -> (Vec<Value>, Option<Broken>) {
    let mut items = Vec::new();
    loop {
        if scan.eat(b']') {
            return (items, None);
        }
        scan.eat(b',');
        let item = scan
            .value()
            .and_then(|span| serde_json::from_str(&scan.text[span.clone()]).map_err(|_| Broken { at: span.start }));
        match item {
            Ok(item) => items.push(item),
            Err(broken) => return (items, Some(broken)),
        }
    }
}

/// The console's account of a document that broke off after `entries` entries.
pub fn cut_off_problem(broken: &Broken, entries: usize, noun: &str) -> Problem {
    Problem {
        place: "the feed".into(),
        message: format!(
            "it breaks off at byte {} after {entries} {noun}s; the {noun}s before that point are shown",
            broken.at
        ),
        skipped: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_of_values() {
        let text = r#" {"a": "x\"}", "b": [1, {"c": "]"}], "d": true} "#;
        let mut s = Scanner::new(text);
        assert_eq!(&text[s.value().unwrap()], r#"{"a": "x\"}", "b": [1, {"c": "]"}], "d": true}"#);
        let mut s2 = Scanner::new(r#"[1, "two", null]"#);
        assert!(s2.eat(b'['));
        assert_eq!(s2.value().unwrap(), 1..2);
        assert!(s2.eat(b','));
        assert_eq!(s2.value().unwrap(), 4..9);
        assert!(!s.eat(b'x'));
    }

    #[test]
    fn a_cut_off_value_is_broken() {
        assert_eq!(Scanner::new(r#"{"a": [1, 2"#).value(), Err(Broken { at: 11 }));
        assert_eq!(Scanner::new(r#""abc"#).value(), Err(Broken { at: 4 }));
        assert!(Scanner::new("   ").value().is_err());
    }

    #[test]
    fn the_version_is_decoded_wherever_it_sits() {
        let php = r#"{"items":[{"id":"1","title":"a \"}\" b"}],"title":"x","version":"https:\/\/jsonfeed.org\/version\/1.1"}"#;
        assert_eq!(object_format(php), Format::JsonFeed);
        assert_eq!(object_format(r#"{"vers\u0069on": "https:\/\/jsonfeed.org\/version\/1"}"#), Format::JsonFeed);
        assert_eq!(object_format(r#"{"version": "1", "releases": []}"#), Format::Native);
        assert_eq!(object_format(r#"{"releases": [], "version": "https://jsonfeed.org/version/1.1"}"#), Format::Native);
        assert_eq!(object_format(r#"{"title": "jsonfeed.org/version/1.1", "items": []}"#), Format::Native);
        assert_eq!(object_format(r#"{"items": [1, 2"#), Format::Native, "cut off: read as native, which says why");
    }

    #[test]
    fn a_top_level_member_is_read_as_text_once() {
        let read = |text| top_level_text(text, "format");
        assert_eq!(read(r#"{"a": {"format": "inner"}, "form\u0061t": "x\/y"}"#).as_deref(), Some("x/y"));
        assert_eq!(read(r#"{"format": 1}"#), None, "not text");
        assert_eq!(read(r#"{"format": null}"#), None);
        assert_eq!(read(r#"{"format": "a", "format": "a"}"#), None, "named twice");
        assert_eq!(read(r#"["format", "a"]"#), None, "not an object");
        assert_eq!(read(r#"{"other": "a"}"#), None);
        assert_eq!(read(r#"{"format": "a", "cut"#).as_deref(), Some("a"), "the caller checks the rest");
        assert_eq!(decoded("\"\\ud83d\\ude00\""), Some("\u{1f600}".into()));
        assert_eq!(decoded("12"), None);
        assert_eq!(decoded("\"open"), None);
    }

    #[test]
    fn a_broken_document_keeps_its_complete_entries() {
        let cut = r#"{"title": "T", "items": [{"id": 1}, {"id": 2}, {"id": 3, "title": "cut he"#;
        let (doc, broken) = parse_or_salvage(cut, "items").unwrap();
        assert_eq!(doc, serde_json::json!({"title": "T", "items": [{"id": 1}, {"id": 2}]}));
        assert_eq!(broken, Some(Broken { at: cut.len() }));
        let (doc, broken) = parse_or_salvage(r#"[{"id": 1}, {"id": 2"#, "").unwrap();
        assert_eq!((doc, broken.is_some()), (serde_json::json!([{"id": 1}]), true));
        assert!(parse_or_salvage(r#"{"title": "T", "items": [{"id"#, "items").is_err(), "no complete entry");
        assert!(parse_or_salvage(r#"{"items": [1]} trailing"#, "items").is_err(), "whole but invalid");
        assert_eq!(parse_or_salvage("[1]", "").unwrap(), (serde_json::json!([1]), None));
    }
}
