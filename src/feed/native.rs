//! Reads the native schema v1. A release with a missing or malformed required field is left out
//! with a problem naming it; a malformed optional field is dropped with a problem; the rest of the
//! feed always renders.

use std::collections::HashSet;

use serde_json::Value;

use super::reader::{kind, place, Reader};
use super::scan::{Broken, Scanner};
use crate::error::{Error, Result};
use crate::model::{Agency, Body, Contact, Feed, Link, Problem, Release};

/// Reads a whole feed at once (tests, small feeds). The browser uses [`NativeParser`] in steps.
pub fn parse_native(text: &str) -> Result<Feed> {
    super::parse(text, Some(super::Format::Native), "")
}

/// Reads a native feed a few releases at a time: [`NativeParser::step`] until it returns false,
/// then [`NativeParser::finish`].
pub struct NativeParser<'a> {
    scan: Scanner<'a>,
    /// The feed's address, for relative URLs.
    base: &'a str,
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
    /// The place of each release shown undated and why.
    undated: Vec<(String, String)>,
}

#[derive(PartialEq)]
enum Phase {
    Members,
    Releases,
    Done,
}

impl<'a> NativeParser<'a> {
    pub fn new(text: &'a str, base: &'a str) -> Result<Self> {
        let text = super::without_bom(text);
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
            base,
            phase: Phase::Members,
            agency: None,
            releases: Vec::new(),
            problems: Vec::new(),
            seen: HashSet::new(),
            items: 0,
            saw_releases: false,
            cut_off: false,
            not_a_feed: None,
            undated: Vec::new(),
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
        let key = self.scan.key()?;
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
            "agency" => self.agency = value().and_then(|v| read_agency(&v, self.base, &mut self.problems)),
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
                    place: place("release", index, None),
                    message: format!("it is not valid JSON: {e}"),
                    skipped: true,
                });
                return Ok(());
            }
        };
        let id = item.get("id").and_then(Value::as_str);
        let mut reader = Reader::new(place("release", index, id), &item, self.base);
        match read_release(&mut reader) {
            Ok(release) if !self.seen.insert(release.id.clone()) => {
                reader.skip("its id is used by an earlier release".into())
            }
            Ok(release) => {
                if let Some(why) = reader.undated.take() {
                    self.undated.push((reader.place.clone(), why));
                }
                self.releases.push(release)
            }
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
        self.problems.push(super::scan::cut_off_problem(&broken, self.items, "release"));
        Ok(false)
    }

    pub fn finish(mut self) -> Result<Feed> {
        self.problems.extend(super::undated_problem("releases", &self.undated));
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
        let mut feed = Feed {
            agency: self.agency,
            releases: self.releases,
            problems: self.problems,
            cut_off: self.cut_off,
            language: None,
            next: None,
        };
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

fn not_a_feed(detail: &str) -> Error {
    Error::NotAFeed { detail: detail.to_string() }
}

fn read_agency(v: &Value, base: &str, problems: &mut Vec<Problem>) -> Option<Agency> {
    let mut reader = Reader::new("the feed's agency".into(), v, base);
    let agency = reader.text("name").map(|name| Agency { name, url: reader.url("url") });
    problems.append(&mut reader.problems);
    agency
}

/// One release of the native schema.
fn read_release(r: &mut Reader) -> Result<Release, String> {
    if !r.is_object() {
        return Err("it is not a JSON object".into());
    }
    let id = r.required("id")?;
    let title = r.required("title")?;
    let date = r.date(&["date"], &|_, text| super::parse_json_date(text));
    Ok(Release {
        id,
        title,
        date,
        url: r.url("url"),
        summary: r.text("summary"),
        body: r.text("body").map(Body::Markdown),
        dateline: r.text("dateline"),
        agency: r.text("agency"),
        author: None,
        tags: r.tags("tags"),
        related_links: r.each("related_links", |r| {
            let url = r.url("url").ok_or("it has no usable \"url\"")?;
            Ok(Link { title: r.text("title").unwrap_or_else(|| url.clone()), url })
        }),
        contacts: r.each("contacts", |r| {
            let contact = Contact { name: r.text("name"), email: r.text("email"), phone: r.text("phone") };
            if contact == Contact::default() {
                return Err("it has no name, email or phone".into());
            }
            Ok(contact)
        }),
        image: r.image("image", "url", "alt"),
        base: None,
    })
}
