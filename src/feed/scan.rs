//! Finds where JSON values begin and end without building them, so a large feed can be read one
//! release at a time (each parsed by serde_json) in steps that keep the page responsive, and a
//! document cut off half-way still yields the releases before the cut.

use std::ops::Range;

use super::Format;

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
/// the value is not a string.
pub fn decoded(json: &str) -> Option<String> {
    serde_json::from_str(json).ok()
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
}
