//! Finds where JSON values begin and end without building them, so a large feed can be read one
//! release at a time (each parsed by serde_json) in steps that keep the page responsive, and a
//! document cut off half-way still yields the releases before the cut.

use std::ops::Range;

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
}
