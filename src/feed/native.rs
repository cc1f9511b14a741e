//! Reads the native schema v1. A release with a missing or malformed required field is left out
//! with a problem naming it; a malformed optional field is dropped with a problem; the rest of the
//! feed always renders.

use std::collections::HashSet;

use serde_json::{Map, Value};

use super::scan::{Broken, Scanner};
use super::{Agency, Contact, Date, Feed, Image, Link, Problem, Release};
use crate::error::{Error, Result};
use crate::url::safe_url;

/// Reads a whole feed at once (tests, small feeds). The browser uses [`NativeParser`] in steps.
pub fn parse_native(text: &str) -> Result<Feed> {
    let mut parser = NativeParser::new(text)?;
    while parser.step(usize::MAX)? {}
    parser.finish()
}

/// Reads a native feed a few releases at a time: [`NativeParser::step`] until it returns false,
/// then [`NativeParser::finish`].
pub struct NativeParser<'a> {
    scan: Scanner<'a>,
    phase: Phase,
    agency: Option<Agency>,
    releases: Vec<Release>,
    problems: Vec<Problem>,
    seen: HashSet<String>,
    /// Release entries met so far, valid or not.
    items: usize,
    saw_releases: bool,
    /// Set when the document breaks off after some releases were read.
    cut_off: bool,
    /// Why the document is not a feed we read (wrong version, `releases` not a list).
    not_a_feed: Option<String>,
}

#[derive(PartialEq)]
enum Phase {
    Members,
    Releases,
    Done,
}

impl<'a> NativeParser<'a> {
    pub fn new(text: &'a str) -> Result<Self> {
        let mut scan = Scanner::new(text);
        if !scan.eat(b'{') {
            // Either valid JSON of another shape, or not JSON at all: serde_json says which.
            return Err(match serde_json::from_str::<serde::de::IgnoredAny>(text) {
                Ok(_) => not_a_feed("the document is not a JSON object"),
                Err(e) => Error::NotJson { detail: e.to_string() },
            });
        }
        Ok(NativeParser {
            scan,
            phase: Phase::Members,
            agency: None,
            releases: Vec::new(),
            problems: Vec::new(),
            seen: HashSet::new(),
            items: 0,
            saw_releases: false,
            cut_off: false,
            not_a_feed: None,
        })
    }

    /// Reads up to `max` more releases (and the members around them). False once done.
    pub fn step(&mut self, max: usize) -> Result<bool> {
        let mut read = 0;
        while read < max {
            let outcome = match self.phase {
                Phase::Done => return Ok(false),
                Phase::Members => self.member(),
                Phase::Releases => self.release().map(|()| read += 1),
            };
            if let Err(broken) = outcome {
                return self.broke(broken);
            }
        }
        Ok(self.phase != Phase::Done)
    }

    /// The next top-level member, or the end of the object.
    fn member(&mut self) -> Result<(), Broken> {
        if self.scan.eat(b'}') {
            self.phase = Phase::Done;
            return Ok(());
        }
        self.scan.eat(b',');
        let key_span = self.scan.value()?;
        let key: String =
            serde_json::from_str(&self.scan.text[key_span.clone()]).map_err(|_| Broken { at: key_span.start })?;
        if !self.scan.eat(b':') {
            return Err(Broken { at: self.scan.pos });
        }
        self.scan.skip_ws();
        if key == "releases" && self.scan.peek() == Some(b'[') {
            self.scan.pos += 1;
            self.saw_releases = true;
            self.phase = Phase::Releases;
            return Ok(());
        }
        let span = self.scan.value()?;
        let value = || serde_json::from_str::<Value>(&self.scan.text[span.clone()]).ok();
        match key.as_str() {
            "releases" => self.reject("its \"releases\" field is not a list".into()),
            "version" => match value() {
                Some(Value::String(v)) if v == "1" => {}
                Some(Value::String(v)) => self
                    .reject(format!("its version \u{201c}{v}\u{201d} is not supported (expected \u{201c}1\u{201d})")),
                other => self
                    .reject(format!("its \"version\" is {}, not text", other.as_ref().map_or("not valid JSON", kind))),
            },
            "agency" => self.agency = value().and_then(|v| read_agency(&v, &mut self.problems)),
            _ => {}
        }
        Ok(())
    }

    /// The next release of the `releases` list, or the end of the list.
    fn release(&mut self) -> Result<(), Broken> {
        if self.scan.eat(b']') {
            self.phase = Phase::Members;
            return Ok(());
        }
        self.scan.eat(b',');
        let span = self.scan.value()?;
        let index = self.items;
        self.items += 1;
        let item = match serde_json::from_str::<Value>(&self.scan.text[span]) {
            Ok(item) => item,
            Err(e) => {
                self.problems.push(Problem {
                    place: place(index, None),
                    message: format!("it is not valid JSON: {e}"),
                    skipped: true,
                });
                return Ok(());
            }
        };
        let mut reader = Reader::new(index, &item);
        match reader.release() {
            Ok(release) if !self.seen.insert(release.id.clone()) => {
                reader.skip("its id is used by an earlier release".into())
            }
            Ok(release) => self.releases.push(release),
            Err(message) => reader.skip(message),
        }
        self.problems.append(&mut reader.problems);
        Ok(())
    }

    /// The document broke off: keep what was read if there is any, else it is not JSON.
    fn broke(&mut self, broken: Broken) -> Result<bool> {
        self.phase = Phase::Done;
        if self.releases.is_empty() {
            let detail = serde_json::from_str::<serde::de::IgnoredAny>(self.scan.text)
                .err()
                .map_or_else(|| format!("unexpected text at byte {}", broken.at), |e| e.to_string());
            return Err(Error::NotJson { detail });
        }
        self.cut_off = true;
        self.problems.push(Problem {
            place: "the feed".into(),
            message: format!(
                "it breaks off at byte {} after {} releases; the releases before that point are shown",
                broken.at, self.items
            ),
            skipped: true,
        });
        Ok(false)
    }

    pub fn finish(self) -> Result<Feed> {
        if let Some(detail) = &self.not_a_feed {
            return Err(not_a_feed(detail));
        }
        if !self.saw_releases {
            return Err(not_a_feed("it has no \"releases\" list"));
        }
        if self.releases.is_empty() && self.items > 0 {
            let first = self.problems.iter().find(|p| p.skipped).map(|p| format!(" ({}: {})", p.place, p.message));
            return Err(not_a_feed(&format!(
                "none of its {} releases could be read{}",
                self.items,
                first.unwrap_or_default()
            )));
        }
        let mut feed =
            Feed { agency: self.agency, releases: self.releases, problems: self.problems, cut_off: self.cut_off };
        feed.sort_newest_first();
        Ok(feed)
    }

    fn reject(&mut self, detail: String) {
        self.not_a_feed.get_or_insert(detail);
    }

    /// Releases read so far.
    pub fn count(&self) -> usize {
        self.releases.len()
    }
}

/// Names a release the way a person reading the feed file would find it.
fn place(index: usize, id: Option<&str>) -> String {
    match id {
        Some(id) => format!("release #{} (\u{201c}{id}\u{201d})", index + 1),
        None => format!("release #{}", index + 1),
    }
}

fn not_a_feed(detail: &str) -> Error {
    Error::NotAFeed { detail: detail.to_string() }
}

fn read_agency(v: &Value, problems: &mut Vec<Problem>) -> Option<Agency> {
    let mut reader = Reader { place: "the feed's agency".into(), obj: v.as_object(), problems: Vec::new() };
    let agency = reader.text("name").map(|name| Agency { name, url: reader.url("url") });
    problems.append(&mut reader.problems);
    agency
}

/// Reads one JSON object field by field, collecting what it had to ignore.
struct Reader<'a> {
    place: String,
    obj: Option<&'a Map<String, Value>>,
    problems: Vec<Problem>,
}

impl<'a> Reader<'a> {
    fn new(index: usize, item: &'a Value) -> Self {
        let obj = item.as_object();
        let id = obj.and_then(|o| o.get("id")).and_then(Value::as_str);
        Reader { place: place(index, id), obj, problems: Vec::new() }
    }

    fn release(&mut self) -> Result<Release, String> {
        if self.obj.is_none() {
            return Err("it is not a JSON object".into());
        }
        let id = self.required("id")?;
        let title = self.required("title")?;
        let date = Date::parse(&self.required("date")?).map_err(|e| format!("bad \"date\": {e}"))?;
        Ok(Release {
            id,
            title,
            date,
            url: self.url("url"),
            summary: self.text("summary"),
            body: self.text("body"),
            dateline: self.text("dateline"),
            agency: self.text("agency"),
            tags: self.tags(),
            related_links: self.related_links(),
            contacts: self.contacts(),
            image: self.image(),
        })
    }

    fn skip(&mut self, message: String) {
        self.problems.push(Problem { place: self.place.clone(), message, skipped: true });
    }

    fn ignore(&mut self, message: String) {
        self.problems.push(Problem { place: self.place.clone(), message, skipped: false });
    }

    fn field(&self, key: &str) -> Option<&'a Value> {
        self.obj.and_then(|o| o.get(key)).filter(|v| !v.is_null())
    }

    fn required(&mut self, key: &str) -> Result<String, String> {
        match self.field(key) {
            None => Err(format!("it has no \"{key}\"")),
            Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.trim().to_string()),
            Some(Value::String(_)) => Err(format!("its \"{key}\" is empty")),
            Some(other) => Err(format!("its \"{key}\" is {}, not text", kind(other))),
        }
    }

    /// An optional text field: absent, empty or of the wrong type gives `None`.
    fn text(&mut self, key: &str) -> Option<String> {
        match self.field(key)? {
            Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
            other => {
                self.ignore(format!("\"{key}\" is {}, not text", kind(other)));
                None
            }
        }
    }

    fn url(&mut self, key: &str) -> Option<String> {
        let raw = self.text(key)?;
        let url = safe_url(&raw);
        if url.is_none() {
            self.ignore(format!("\"{key}\" \u{201c}{raw}\u{201d} is not an http, https, mailto, tel or relative URL"));
        }
        url
    }

    fn list(&mut self, key: &str) -> Vec<&'a Value> {
        match self.field(key) {
            None => Vec::new(),
            Some(Value::Array(items)) => items.iter().collect(),
            Some(other) => {
                self.ignore(format!("\"{key}\" is {}, not a list", kind(other)));
                Vec::new()
            }
        }
    }

    fn tags(&mut self) -> Vec<String> {
        let mut tags: Vec<String> = Vec::new();
        for item in self.list("tags") {
            match item.as_str().map(str::trim) {
                Some(t) if !t.is_empty() && !tags.iter().any(|x| x == t) => tags.push(t.to_string()),
                Some(_) => {}
                None => self.ignore(format!("a tag is {}, not text", kind(item))),
            }
        }
        tags
    }

    /// Reads each object of a list with a sub-reader, so that its problems name the release.
    fn each<T>(&mut self, key: &str, mut read: impl FnMut(&mut Reader<'a>) -> Result<T, String>) -> Vec<T> {
        let mut out = Vec::new();
        for (i, item) in self.list(key).into_iter().enumerate() {
            let mut sub = Reader { place: self.place.clone(), obj: item.as_object(), problems: Vec::new() };
            let result = if sub.obj.is_some() { read(&mut sub) } else { Err(format!("it is {}", kind(item))) };
            self.problems.append(&mut sub.problems);
            match result {
                Ok(value) => out.push(value),
                Err(why) => self.ignore(format!("\"{key}\" item #{} left out: {why}", i + 1)),
            }
        }
        out
    }

    fn related_links(&mut self) -> Vec<Link> {
        self.each("related_links", |r| {
            let url = r.url("url").ok_or("it has no usable \"url\"")?;
            Ok(Link { title: r.text("title").unwrap_or_else(|| url.clone()), url })
        })
    }

    fn contacts(&mut self) -> Vec<Contact> {
        self.each("contacts", |r| {
            let contact = Contact { name: r.text("name"), email: r.text("email"), phone: r.text("phone") };
            if contact == Contact::default() {
                return Err("it has no name, email or phone".into());
            }
            Ok(contact)
        })
    }

    fn image(&mut self) -> Option<Image> {
        let obj = self.field("image")?;
        let mut sub = Reader { place: self.place.clone(), obj: obj.as_object(), problems: Vec::new() };
        let image = sub.url("url").map(|url| Image { url, alt: sub.text("alt").unwrap_or_default() });
        self.problems.append(&mut sub.problems);
        if image.is_none() {
            self.ignore("\"image\" left out: it has no usable \"url\"".into());
        }
        image
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}
