//! A small pull reader for the XML that feeds are written in: elements, attributes, text, CDATA,
//! namespaces resolved by their declared URI, comments, processing instructions and the DOCTYPE
//! skipped, predefined and numeric character references decoded. It reads a document one event
//! at a time, so a reader can build a tree for one item, use it and drop it: memory follows the
//! largest item, not the document.
//!
//! Deliberately lenient where feeds in the field are sloppy and nothing is ambiguous: a bare `&`
//! is kept as text, an HTML named reference (`&nbsp;`, declared by old RSS DTDs) is decoded, and a
//! well-known prefix that the document forgot to declare (`media:`, `dc:`) gets its usual URI.
//! Structure errors (a tag that does not close, a mismatched end tag) are errors with a line and
//! column: the caller decides whether what came before them is still worth showing.

use std::borrow::Cow;
use std::rc::Rc;

use crate::url::resolve;

pub const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// Prefixes that feeds use without declaring them, with the URI they always mean.
const USUAL_PREFIXES: [(&str, &str); 6] = [
    ("dc", "http://purl.org/dc/elements/1.1/"),
    ("content", "http://purl.org/rss/1.0/modules/content/"),
    ("media", "http://search.yahoo.com/mrss/"),
    ("atom", "http://www.w3.org/2005/Atom"),
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("itunes", "http://www.itunes.com/dtds/podcast-1.0.dtd"),
];

/// Where and why the document stopped being XML.
#[derive(Debug, Clone, PartialEq)]
pub struct XmlError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for XmlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}, column {}: {}", self.line, self.column, self.message)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Attr {
    pub ns: Rc<str>,
    pub name: String,
    pub value: String,
}

/// A start tag, its name and attributes resolved against the namespaces in scope.
#[derive(Debug, Clone, PartialEq)]
pub struct Start {
    pub ns: Rc<str>,
    pub name: String,
    pub attrs: Vec<Attr>,
}

impl Start {
    /// An attribute without a prefix (`href`, `type`).
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attr_ns("", name)
    }

    pub fn attr_ns(&self, ns: &str, name: &str) -> Option<&str> {
        self.attrs.iter().find(|a| &*a.ns == ns && a.name == name).map(|a| a.value.as_str())
    }

    pub fn is(&self, ns: &str, name: &str) -> bool {
        &*self.ns == ns && self.name == name
    }

    /// `base` changed by this element's `xml:base`, if it has one.
    pub fn base_from(&self, base: &Rc<str>) -> Rc<str> {
        match self.attr_ns(XML_NS, "base") {
            Some(b) => resolve(base, b.trim()).into(),
            None => base.clone(),
        }
    }
}

#[derive(Debug, PartialEq)]
pub enum Event<'a> {
    Start(Start),
    /// The end of the innermost open element (end tags are checked against their start).
    End,
    Text(Cow<'a, str>),
    /// The root element has closed, or the document ended cleanly.
    Eof,
}

struct Open {
    /// The name as written, to check the end tag against.
    qname: String,
    /// Namespace declarations made on this element: (prefix, URI); "" is the default namespace.
    declared: Vec<(String, Rc<str>)>,
}

pub struct XmlReader<'a> {
    text: &'a str,
    pos: usize,
    open: Vec<Open>,
    /// `<x/>` gives a Start now and an End on the next call.
    pending_end: bool,
    root_done: bool,
}

impl<'a> XmlReader<'a> {
    pub fn new(text: &'a str) -> Self {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        XmlReader { text, pos: 0, open: Vec::new(), pending_end: false, root_done: false }
    }

    pub fn next_event(&mut self) -> Result<Event<'a>, XmlError> {
        if self.pending_end {
            self.pending_end = false;
            self.close();
            return Ok(Event::End);
        }
        loop {
            if self.root_done {
                // Whatever follows the root (a comment, stray markup some servers append) is not read.
                return Ok(Event::Eof);
            }
            let rest = &self.text[self.pos..];
            if rest.is_empty() {
                return match self.open.last() {
                    Some(open) => Err(self.error(format!("the document ends before </{}>", open.qname))),
                    None => Err(self.error("the document has no root element".into())),
                };
            }
            if !rest.starts_with('<') {
                let end = rest.find('<').unwrap_or(rest.len());
                let raw = &rest[..end];
                if self.open.is_empty() {
                    if !raw.trim().is_empty() {
                        return Err(self.error("text before the root element (is this XML?)".into()));
                    }
                    self.pos += end;
                    continue;
                }
                self.pos += end;
                return Ok(Event::Text(unescape(raw)));
            }
            if rest.starts_with("<!--") {
                self.skip_past(4, "-->", "a comment that never ends")?;
            } else if rest.starts_with("<![CDATA[") {
                if self.open.is_empty() {
                    return Err(self.error("CDATA outside the root element".into()));
                }
                let start = self.pos + 9;
                self.skip_past(9, "]]>", "a CDATA section that never ends")?;
                return Ok(Event::Text(Cow::Borrowed(&self.text[start..self.pos - 3])));
            } else if rest.starts_with("<!") {
                if !self.open.is_empty() {
                    return Err(self.error("a declaration inside an element".into()));
                }
                self.skip_doctype()?;
            } else if rest.starts_with("<?") {
                self.skip_past(2, "?>", "a processing instruction that never ends")?;
            } else if rest.starts_with("</") {
                return self.end_tag();
            } else {
                return self.start_tag();
            }
        }
    }

    /// Reads the rest of the element that `start` opened into a tree. Iterative, so a deeply
    /// nested document cannot exhaust the stack.
    pub fn read_element(&mut self, start: Start, base: &Rc<str>) -> Result<Element, XmlError> {
        let base = start.base_from(base);
        let mut stack = vec![Element::new(start, base)];
        loop {
            match self.next_event()? {
                Event::Start(s) => {
                    let base = s.base_from(&stack[stack.len() - 1].base);
                    stack.push(Element::new(s, base));
                }
                Event::Text(t) => stack.last_mut().into_iter().for_each(|e| e.push_text(&t)),
                Event::End => {
                    let Some(done) = stack.pop() else { break };
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(Node::Element(done)),
                        None => return Ok(done),
                    }
                }
                Event::Eof => break,
            }
        }
        Err(self.error("the document ends inside an element".into()))
    }

    fn close(&mut self) {
        self.open.pop();
        self.root_done = self.open.is_empty();
    }

    /// Moves past `end`, searching from `skip` bytes on.
    fn skip_past(&mut self, skip: usize, end: &str, what: &str) -> Result<(), XmlError> {
        match self.text[self.pos + skip..].find(end) {
            Some(i) => {
                self.pos += skip + i + end.len();
                Ok(())
            }
            None => Err(self.error(format!("{what} (no \u{201c}{end}\u{201d})"))),
        }
    }

    /// `<!DOCTYPE …>`, with an internal subset in brackets and quoted strings that may hold `>`.
    fn skip_doctype(&mut self) -> Result<(), XmlError> {
        let (mut depth, mut quote) = (0usize, None);
        for (i, b) in self.text.as_bytes()[self.pos..].iter().enumerate() {
            match (quote, b) {
                (Some(q), _) if q == *b => quote = None,
                (Some(_), _) => {}
                (None, b'"' | b'\'') => quote = Some(*b),
                (None, b'[') => depth += 1,
                (None, b']') => depth = depth.saturating_sub(1),
                (None, b'>') if depth == 0 => {
                    self.pos += i + 1;
                    return Ok(());
                }
                _ => {}
            }
        }
        Err(self.error("a declaration that never ends".into()))
    }

    fn end_tag(&mut self) -> Result<Event<'a>, XmlError> {
        let rest = &self.text[self.pos + 2..];
        let Some(gt) = rest.find('>') else { return Err(self.error("an end tag that never closes".into())) };
        let name = rest[..gt].trim_end();
        match self.open.last() {
            Some(open) if open.qname == name => {
                self.pos += 2 + gt + 1;
                self.close();
                Ok(Event::End)
            }
            Some(open) => Err(self.error(format!("</{name}> where </{}> was expected", open.qname))),
            None => Err(self.error(format!("</{name}> closes nothing"))),
        }
    }

    fn start_tag(&mut self) -> Result<Event<'a>, XmlError> {
        let bytes = self.text.as_bytes();
        let mut p = self.pos + 1;
        let name_end = |from: usize| {
            from + bytes[from..]
                .iter()
                .position(|b| b.is_ascii_whitespace() || matches!(b, b'/' | b'>' | b'=' | b'<' | b'"' | b'\''))
                .unwrap_or(bytes.len() - from)
        };
        let end = name_end(p);
        if end == p {
            return Err(self.error("a \u{201c}<\u{201d} that does not start a tag (write &lt; for a literal <)".into()));
        }
        let qname = self.text[p..end].to_string();
        p = end;
        let mut raw_attrs: Vec<(&str, String)> = Vec::new();
        let empty = loop {
            while bytes.get(p).is_some_and(u8::is_ascii_whitespace) {
                p += 1;
            }
            match bytes.get(p) {
                None => return Err(self.error(format!("the tag <{qname}> never closes"))),
                Some(b'>') => break false,
                Some(b'/') if bytes.get(p + 1) == Some(&b'>') => break true,
                Some(_) => {}
            }
            let end = name_end(p);
            if end == p {
                return Err(self.error_at(p, format!("unexpected character in the tag <{qname}>")));
            }
            let attr = &self.text[p..end];
            p = end;
            while bytes.get(p).is_some_and(u8::is_ascii_whitespace) {
                p += 1;
            }
            if bytes.get(p) != Some(&b'=') {
                return Err(self.error_at(p, format!("the attribute {attr} of <{qname}> has no value")));
            }
            p += 1;
            while bytes.get(p).is_some_and(u8::is_ascii_whitespace) {
                p += 1;
            }
            let quote = match bytes.get(p) {
                Some(q @ (b'"' | b'\'')) => *q,
                _ => return Err(self.error_at(p, format!("the value of {attr} in <{qname}> is not quoted"))),
            };
            let Some(len) = bytes[p + 1..].iter().position(|b| *b == quote) else {
                return Err(self.error_at(p, format!("the value of {attr} in <{qname}> never ends")));
            };
            let value = &self.text[p + 1..p + 1 + len];
            if value.contains('<') {
                return Err(self.error_at(p, format!("a \u{201c}<\u{201d} in the value of {attr} in <{qname}>")));
            }
            if !raw_attrs.iter().any(|(a, _)| *a == attr) {
                raw_attrs.push((attr, unescape(value).replace(['\t', '\n', '\r'], " ")));
            }
            p += len + 2;
        };
        self.pos = p + if empty { 2 } else { 1 };
        let declared: Vec<(String, Rc<str>)> = raw_attrs
            .iter()
            .filter_map(|(a, v)| match *a {
                "xmlns" => Some((String::new(), Rc::from(v.as_str()))),
                a => a.strip_prefix("xmlns:").map(|p| (p.to_string(), Rc::from(v.as_str()))),
            })
            .collect();
        self.open.push(Open { qname: qname.clone(), declared });
        let (ns, name) = self.resolve(&qname, true);
        let attrs = raw_attrs
            .into_iter()
            .filter(|(a, _)| *a != "xmlns" && !a.starts_with("xmlns:"))
            .map(|(a, value)| {
                let (ns, name) = self.resolve(a, false);
                Attr { ns, name, value }
            })
            .collect();
        self.pending_end = empty;
        Ok(Event::Start(Start { ns, name, attrs }))
    }

    /// The namespace URI and local name of `qname`. Unprefixed attributes have no namespace.
    fn resolve(&self, qname: &str, element: bool) -> (Rc<str>, String) {
        let (prefix, local) = match qname.split_once(':') {
            Some((p, l)) => (p, l),
            None if element => ("", qname),
            None => return ("".into(), qname.to_string()),
        };
        if prefix == "xml" {
            return (XML_NS.into(), local.to_string());
        }
        let declared = self.open.iter().rev().flat_map(|o| o.declared.iter()).find(|(p, _)| p == prefix);
        let ns = match declared {
            Some((_, uri)) => uri.clone(),
            None if prefix.is_empty() => "".into(),
            None => USUAL_PREFIXES.iter().find(|(p, _)| *p == prefix).map_or_else(
                // An undeclared, unknown prefix matches nothing the readers look for.
                || Rc::from(format!("undeclared:{prefix}")),
                |(_, uri)| Rc::from(*uri),
            ),
        };
        (ns, local.to_string())
    }

    fn error(&self, message: String) -> XmlError {
        self.error_at(self.pos, message)
    }

    fn error_at(&self, pos: usize, message: String) -> XmlError {
        let before = &self.text.as_bytes()[..pos.min(self.text.len())];
        let line = before.iter().filter(|b| **b == b'\n').count() + 1;
        let line_start = before.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
        XmlError { line, column, message }
    }
}

/// Text with its character references decoded: the five XML names, decimal and hexadecimal
/// numbers, and (leniently) HTML's names; anything else, a bare `&` included, stays as written.
pub fn unescape(raw: &str) -> Cow<'_, str> {
    if !raw.contains('&') {
        return Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let semi = rest.as_bytes().iter().take(40).position(|b| *b == b';');
        let decoded = semi.and_then(|semi| Some((reference(&rest[1..semi])?, semi)));
        match decoded {
            Some((text, semi)) => {
                out.push_str(&text);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

fn reference(name: &str) -> Option<String> {
    let c = match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "quot" => '"',
        "apos" => '\'',
        _ => {
            let number = match name.strip_prefix('#') {
                Some(hex) if hex.starts_with(['x', 'X']) => u32::from_str_radix(&hex[1..], 16).ok(),
                Some(dec) if !dec.is_empty() && dec.bytes().all(|b| b.is_ascii_digit()) => dec.parse().ok(),
                Some(_) => return None,
                None => {
                    let written = format!("&{name};");
                    let html = crate::text::entities::decode(&written);
                    return (html != written).then_some(html);
                }
            };
            // A reference to no character (0, a surrogate, past U+10FFFF) shows as U+FFFD.
            number.and_then(char::from_u32).filter(|c| *c != '\0').unwrap_or('\u{fffd}')
        }
    };
    Some(c.to_string())
}

/// An element read whole, with the base address that applies inside it (`xml:base`).
#[derive(Debug, Clone, PartialEq)]
pub struct Element {
    pub start: Start,
    pub children: Vec<Node>,
    pub base: Rc<str>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Element(Element),
    Text(String),
}

impl Element {
    fn new(start: Start, base: Rc<str>) -> Self {
        Element { start, children: Vec::new(), base }
    }

    fn push_text(&mut self, text: &str) {
        match self.children.last_mut() {
            Some(Node::Text(t)) => t.push_str(text),
            _ => self.children.push(Node::Text(text.to_string())),
        }
    }

    pub fn is(&self, ns: &str, name: &str) -> bool {
        self.start.is(ns, name)
    }

    pub fn attr(&self, name: &str) -> Option<&str> {
        self.start.attr(name).map(str::trim).filter(|v| !v.is_empty())
    }

    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    pub fn children<'s>(&'s self, ns: &'s str, name: &'s str) -> impl Iterator<Item = &'s Element> + 's {
        self.elements().filter(move |e| e.is(ns, name))
    }

    pub fn child(&self, ns: &str, name: &str) -> Option<&Element> {
        self.elements().find(|e| e.is(ns, name))
    }

    /// All the text inside, markup left out, as written (not trimmed).
    pub fn raw_text(&self) -> String {
        let mut out = String::new();
        self.collect_text(&mut out);
        out
    }

    fn collect_text(&self, out: &mut String) {
        for node in &self.children {
            match node {
                Node::Text(t) => out.push_str(t),
                Node::Element(e) => e.collect_text(out),
            }
        }
    }

    /// The text inside, trimmed; `None` when there is none.
    pub fn text(&self) -> Option<String> {
        Some(self.raw_text().trim().to_string()).filter(|t| !t.is_empty())
    }

    /// The children as HTML markup (Atom `type="xhtml"` content), for the HTML cleaner.
    pub fn inner_markup(&self) -> String {
        let mut out = String::new();
        for node in &self.children {
            node.write_markup(&mut out);
        }
        out
    }
}

impl Node {
    fn write_markup(&self, out: &mut String) {
        match self {
            Node::Text(t) => escape_into(out, t),
            Node::Element(e) => {
                out.push('<');
                out.push_str(&e.start.name);
                for a in e.start.attrs.iter().filter(|a| a.ns.is_empty()) {
                    out.push(' ');
                    out.push_str(&a.name);
                    out.push_str("=\"");
                    escape_into(out, &a.value);
                    out.push('"');
                }
                out.push('>');
                if e.children.is_empty() && matches!(e.start.name.as_str(), "br" | "hr" | "img") {
                    return;
                }
                for child in &e.children {
                    child.write_markup(out);
                }
                out.push_str("</");
                out.push_str(&e.start.name);
                out.push('>');
            }
        }
    }
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root(text: &str) -> Result<Element, XmlError> {
        let mut r = XmlReader::new(text);
        loop {
            match r.next_event()? {
                Event::Start(s) => return r.read_element(s, &Rc::from("https://a.example/feed.xml")),
                Event::Eof => unreachable!("no root"),
                _ => {}
            }
        }
    }

    #[test]
    fn namespaces_resolve_by_uri_not_prefix() {
        let doc = root(
            r#"<?xml version="1.0"?><!-- c --><!DOCTYPE rss [<!ENTITY x "]>">]><?pi x?>
            <r xmlns:a="urn:one" xmlns:b="urn:one"><a:x>1</a:x><b:x>2</b:x><y xmlns="urn:two">3</y><media:t/></r>"#,
        )
        .unwrap();
        assert_eq!(doc.children("urn:one", "x").count(), 2);
        assert_eq!(doc.child("urn:two", "y").and_then(Element::text).as_deref(), Some("3"));
        assert!(doc.child("http://search.yahoo.com/mrss/", "t").is_some(), "an undeclared usual prefix");
    }

    #[test]
    fn text_cdata_and_references() {
        let doc = root("<r>a &amp; b &lt;p&gt; &#233;&#xE9; &nbsp;AT&T &bogus; <![CDATA[<b>&amp;</b>]]></r>").unwrap();
        assert_eq!(doc.raw_text(), "a & b <p> \u{e9}\u{e9} \u{a0}AT&T &bogus; <b>&amp;</b>");
        assert_eq!(unescape("&#0;&#xD800;&#99999999;"), "\u{fffd}\u{fffd}\u{fffd}");
    }

    #[test]
    fn xml_base_applies_inside_its_element() {
        let doc = root(r#"<r xml:base="/news/"><i xml:base="2024/"><l/></i></r>"#).unwrap();
        assert_eq!(&*doc.base, "https://a.example/news/");
        assert_eq!(&*doc.elements().next().unwrap().base, "https://a.example/news/2024/");
    }

    #[test]
    fn malformed_documents_are_errors_with_a_place() {
        for (text, message) in [
            ("<r><a></b></r>", "line 1, column 7: </b> where </a> was expected"),
            ("<r>\n<a>", "line 2, column 4: the document ends before </a>"),
            ("{\"version\": 1}", "line 1, column 1: text before the root element (is this XML?)"),
            ("<r a=1/>", "line 1, column 6: the value of a in <r> is not quoted"),
            ("<r><!-- x</r>", "line 1, column 4: a comment that never ends (no \u{201c}-->\u{201d})"),
            (
                "<r>< p</r>",
                "line 1, column 4: a \u{201c}<\u{201d} that does not start a tag (write &lt; for a literal <)",
            ),
            ("", "line 1, column 1: the document has no root element"),
        ] {
            assert_eq!(root(text).unwrap_err().to_string(), message, "{text}");
        }
    }

    #[test]
    fn xhtml_is_written_back_as_markup() {
        let doc =
            root(r#"<div xmlns="http://www.w3.org/1999/xhtml"><p class="x">a &lt; <b>b</b></p><br/></div>"#).unwrap();
        assert_eq!(doc.inner_markup(), r#"<p class="x">a &lt; <b>b</b></p><br>"#);
    }
}
