//! Splits HTML into tokens the way the WHATWG tokenizer does, for the cleaner: where a tag, a
//! comment or a raw-text element ends is decided exactly as a browser decides it, so that the
//! cleaner keeps the same text a browser would show. One pass, no look-back: linear time.

use super::entities::decode_attribute;

pub enum Token<'a> {
    /// Text as written (character references not decoded yet).
    Text(&'a str),
    Start(StartTag),
    /// An end tag's name, lower-cased (its attributes are read and dropped).
    End(String),
    /// A comment, doctype, processing instruction or bogus comment: nothing to show.
    Nothing,
}

pub struct StartTag {
    /// Lower-cased.
    pub name: String,
    /// Names lower-cased, values decoded; the first of a repeated name wins.
    pub attrs: Vec<(String, String)>,
    pub self_closing: bool,
}

pub struct Tokenizer<'a> {
    rest: &'a str,
}

/// The characters that end a tag name (and so the `</title` of an end tag).
fn ends_name(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/' | b'>')
}

fn space(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\x0c' | '\r' | ' ')
}

/// `name` as the tokenizer keeps it: ASCII lower-cased, NUL replaced.
fn tag_name(raw: &str) -> String {
    raw.to_ascii_lowercase().replace('\0', "\u{fffd}")
}

impl<'a> Tokenizer<'a> {
    pub fn new(html: &'a str) -> Self {
        Tokenizer { rest: html }
    }

    fn take(&mut self, len: usize) -> &'a str {
        let (taken, rest) = self.rest.split_at(len);
        self.rest = rest;
        taken
    }

    /// The next token in the data state. `foreign`: the tree is inside SVG or MathML, where
    /// `<![CDATA[…]]>` is text (which the cleaner drops with the rest of such content).
    pub fn next(&mut self, foreign: bool) -> Option<Token<'a>> {
        if self.rest.is_empty() {
            return None;
        }
        let lt = self.rest.find('<').unwrap_or(self.rest.len());
        if lt > 0 {
            return Some(Token::Text(self.take(lt)));
        }
        let after = &self.rest.as_bytes()[1..];
        let token = match after.first() {
            Some(b'!') => self.markup_declaration(foreign),
            Some(b'/') => match after.get(1) {
                Some(b) if b.is_ascii_alphabetic() => {
                    self.take(2);
                    match self.tag() {
                        Some(tag) => Token::End(tag.name),
                        None => Token::Nothing,
                    }
                }
                Some(b'>') => {
                    self.take(3);
                    Token::Nothing
                }
                Some(_) => self.bogus_comment(2),
                None => Token::Text(self.take(2)),
            },
            Some(b'?') => self.bogus_comment(1),
            Some(b) if b.is_ascii_alphabetic() => {
                self.take(1);
                self.tag().map_or(Token::Nothing, Token::Start)
            }
            _ => Token::Text(self.take(1)),
        };
        Some(token)
    }

    /// At `<!`: a comment, a doctype, CDATA (in foreign content) or a bogus comment.
    fn markup_declaration(&mut self, foreign: bool) -> Token<'a> {
        if self.rest.starts_with("<!--") {
            self.take(4);
            let end = comment_end(self.rest.as_bytes());
            self.take(end);
            return Token::Nothing;
        }
        if foreign && self.rest.starts_with("<![CDATA[") {
            self.take(9);
            let end = self.rest.find("]]>").map_or(self.rest.len(), |i| i + 3);
            return Token::Text(self.take(end).trim_end_matches("]]>"));
        }
        // `<!DOCTYPE …>` ends at its first `>` too, even inside a quoted identifier.
        self.bogus_comment(2)
    }

    /// Skips `skip` bytes and then up to and including the next `>` (or to the end).
    fn bogus_comment(&mut self, skip: usize) -> Token<'a> {
        self.take(skip);
        let end = self.rest.find('>').map_or(self.rest.len(), |i| i + 1);
        self.take(end);
        Token::Nothing
    }

    /// Reads a tag from its name to its `>`. `None` when the input ends first: browsers drop
    /// such a tag, and there is nothing after it.
    fn tag(&mut self) -> Option<StartTag> {
        let tag = self.read_tag();
        if tag.is_none() {
            self.rest = "";
        }
        tag
    }

    fn read_tag(&mut self) -> Option<StartTag> {
        let name_len = self.rest.bytes().position(ends_name).unwrap_or(self.rest.len());
        let name = tag_name(self.take(name_len));
        let mut attrs: Vec<(String, String)> = Vec::new();
        let mut self_closing = false;
        loop {
            self.rest = self.rest.trim_start_matches(space);
            let c = self.rest.chars().next()?;
            match c {
                '>' => {
                    self.take(1);
                    return Some(StartTag { name, attrs, self_closing });
                }
                '/' => {
                    self.take(1);
                    self_closing = self.rest.starts_with('>');
                    continue;
                }
                _ => self_closing = false,
            }
            // A name may start with `=`; it then runs to space, `/`, `>` or another `=`.
            let from = usize::from(c == '=');
            let len = from
                + self.rest[from..]
                    .find(|c: char| space(c) || matches!(c, '/' | '>' | '='))
                    .unwrap_or(self.rest.len() - from);
            let attr = tag_name(self.take(len));
            self.rest = self.rest.trim_start_matches(space);
            let mut value = String::new();
            if self.rest.starts_with('=') {
                self.take(1);
                self.rest = self.rest.trim_start_matches(space);
                let raw = match self.rest.chars().next() {
                    Some(q @ ('"' | '\'')) => {
                        self.take(1);
                        let end = self.rest.find(q)?;
                        let raw = self.take(end);
                        self.take(1);
                        raw
                    }
                    _ => {
                        let end = self.rest.find(|c: char| space(c) || c == '>').unwrap_or(self.rest.len());
                        self.take(end)
                    }
                };
                value = decode_attribute(raw);
            }
            if !attrs.iter().any(|(a, _)| *a == attr) {
                attrs.push((attr, value));
            }
        }
    }

    /// The text of a RAWTEXT or RCDATA element (`style`, `textarea`…) up to its end tag, which is
    /// read too; without one, the rest of the input.
    pub fn raw_text(&mut self, name: &str) -> &'a str {
        let end = self.end_tag_at(0, name).unwrap_or(self.rest.len());
        let text = self.take(end);
        self.skip_end_tag();
        text
    }

    /// Everything left (after `<plaintext>`, nothing ends the text).
    pub fn rest(&mut self) -> &'a str {
        self.take(self.rest.len())
    }

    /// Where the next `</name` followed by space, `/` or `>` starts, from `from` on.
    fn end_tag_at(&self, mut from: usize, name: &str) -> Option<usize> {
        let bytes = self.rest.as_bytes();
        while let Some(i) = self.rest[from..].find("</") {
            let at = from + i;
            let name_end = at + 2 + name.len();
            if bytes.len() > name_end
                && bytes[at + 2..name_end].eq_ignore_ascii_case(name.as_bytes())
                && ends_name(bytes[name_end])
            {
                return Some(at);
            }
            from = at + 2;
        }
        None
    }

    /// At `</name…`: reads the end tag (its attributes too, so a quoted `>` does not end it).
    fn skip_end_tag(&mut self) {
        if self.rest.starts_with("</") {
            self.take(2);
            self.tag();
        }
    }

    /// The text of a `script` element. Script text has its own states: after `<!--`, a
    /// `<script>` inside means the next `</script>` does not end the element.
    pub fn script_text(&mut self) -> &'a str {
        let bytes = self.rest.as_bytes();
        let is_tag = |at: usize, prefix: &str| {
            let end = at + prefix.len() + 6;
            bytes.len() > end
                && bytes[at..at + prefix.len()] == *prefix.as_bytes()
                && bytes[at + prefix.len()..end].eq_ignore_ascii_case(b"script")
                && ends_name(bytes[end])
        };
        #[derive(PartialEq)]
        enum State {
            Data,
            Escaped,
            DoubleEscaped,
        }
        let (mut state, mut dashes, mut i) = (State::Data, 0, 0);
        let end = loop {
            let Some(&b) = bytes.get(i) else { break bytes.len() };
            match (&state, b) {
                (State::Data, b'<') if bytes[i..].starts_with(b"<!--") => {
                    state = State::Escaped;
                    dashes = 2;
                    i += 4;
                    continue;
                }
                (State::Data | State::Escaped, b'<') if is_tag(i, "</") => break i,
                (State::Escaped, b'<') if is_tag(i, "<") => state = State::DoubleEscaped,
                (State::DoubleEscaped, b'<') if is_tag(i, "</") => {
                    state = State::Escaped;
                    i += 8;
                    dashes = 0;
                    continue;
                }
                (State::Escaped | State::DoubleEscaped, b'-') => {
                    dashes += 1;
                    i += 1;
                    continue;
                }
                (State::Escaped | State::DoubleEscaped, b'>') if dashes >= 2 => state = State::Data,
                _ => {}
            }
            dashes = 0;
            i += 1;
        };
        let text = self.take(end);
        self.skip_end_tag();
        text
    }
}

/// Where a comment that starts at `bytes` (after `<!--`) ends, past its `-->`, `--!>` or the
/// abrupt `>` and `->` of `<!-->` and `<!--->`; the end of input if nothing ends it.
fn comment_end(bytes: &[u8]) -> usize {
    if bytes.starts_with(b">") {
        return 1;
    }
    if bytes.starts_with(b"->") {
        return 2;
    }
    let mut from = 0;
    while let Some(i) = bytes[from..].windows(2).position(|w| w == b"--") {
        let mut j = from + i + 2;
        while bytes.get(j) == Some(&b'-') {
            j += 1;
        }
        if bytes.get(j) == Some(&b'>') {
            return j + 1;
        }
        if bytes[j..].starts_with(b"!>") {
            return j + 2;
        }
        from = j;
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What follows each comment form, as a browser reads it.
    #[test]
    fn comments_end_where_browsers_end_them() {
        for (html, after) in [
            ("<!-->x", "x"),
            ("<!--->x", "x"),
            ("<!---->x", "x"),
            ("<!-- a -- b --!>x", "x"),
            ("<!-- a ---->x", "x"),
            ("<!-- a --!-->x", "x"),
            ("<!-- never closed x", ""),
            ("<?php echo 1 ?>x", "x"),
            ("<!DOCTYPE html>x", "x"),
            ("<![CDATA[ a > b ]]>x", " b ]]>x"),
            ("</ not a tag>x", "x"),
            ("</>x", "x"),
        ] {
            let mut t = Tokenizer::new(html);
            assert!(matches!(t.next(false), Some(Token::Nothing)), "{html}");
            let rest: String = std::iter::from_fn(|| match t.next(false) {
                Some(Token::Text(s)) => Some(s),
                _ => None,
            })
            .collect();
            assert_eq!(rest, after, "{html}");
        }
    }

    #[test]
    fn a_quoted_greater_than_does_not_end_a_tag() {
        let mut t = Tokenizer::new(r#"<a title="x>y" href=/b>t</a title='>'>u"#);
        let Some(Token::Start(tag)) = t.next(false) else { panic!() };
        assert_eq!(tag.attrs, [("title".to_string(), "x>y".to_string()), ("href".to_string(), "/b".to_string())]);
        assert!(matches!(t.next(false), Some(Token::Text("t"))));
        assert!(matches!(t.next(false), Some(Token::End(n)) if n == "a"));
        assert!(matches!(t.next(false), Some(Token::Text("u"))));
    }

    #[test]
    fn raw_text_ends_only_at_its_own_end_tag() {
        let mut t = Tokenizer::new("a</styles></style x=\">\">b");
        assert_eq!(t.raw_text("style"), "a</styles>");
        assert!(matches!(t.next(false), Some(Token::Text("b"))));
        let mut t = Tokenizer::new("a</STYLE\n>b");
        assert_eq!(t.raw_text("style"), "a");
        assert_eq!(Tokenizer::new("never closed").raw_text("iframe"), "never closed");
    }

    #[test]
    fn script_text_follows_the_escape_states() {
        let mut t = Tokenizer::new("x<!--<script>a</script>b-->c</script>d");
        assert_eq!(t.script_text(), "x<!--<script>a</script>b-->c");
        assert!(matches!(t.next(false), Some(Token::Text("d"))));
        let mut t = Tokenizer::new("<!-->a</script>b");
        assert_eq!(t.script_text(), "<!-->a");
    }
}
