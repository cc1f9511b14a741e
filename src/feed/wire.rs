//! A read feed as one string, for the trip from the lazily loaded readers part (parts/readers),
//! which reads JSON Feed, WordPress, RSS and Atom, back to the list view's wasm. The two wasm
//! files share no memory, so the part writes the whole result here and the widget reads it back.
//! Every text is written with its length in bytes (`5:hello`), so feed content cannot be mistaken
//! for the framing whatever characters it holds; `-` is an absent value.

use std::fmt::Write;

use super::{Agency, Body, Contact, Date, Feed, Format, Image, Link, Problem, Release};
use crate::error::{Error, Result};

/// `result` (the format read and the feed, or why it could not be read) as one string.
pub fn encode(result: &Result<(Format, Feed)>) -> String {
    let mut w = Writer(String::new());
    match result {
        Ok((format, feed)) => {
            w.text("ok");
            w.text(format.name());
            w.feed(feed);
        }
        Err(e) => {
            let (kind, detail) = match e {
                Error::NotJson { detail } => ("json", detail),
                Error::NotXml { detail } => ("xml", detail),
                Error::UnknownEncoding { name } => ("encoding", name),
                Error::NotAFeed { detail } => ("feed", detail),
                // No reader makes another kind; were one to, its account is kept.
                other => ("feed", &other.to_string()),
            };
            w.text(kind);
            w.text(detail);
        }
    }
    w.0
}

/// What [`encode`] wrote. A string it did not write is an error naming the readers part.
pub fn decode(wire: &str) -> Result<(Format, Feed)> {
    let mut r = Reader { rest: wire };
    let garbled = || Error::Browser { detail: "the readers part answered in a form this widget does not read".into() };
    let kind = r.text().ok_or_else(garbled)?;
    if kind != "ok" {
        let detail = r.text().ok_or_else(garbled)?.to_string();
        return Err(match kind {
            "json" => Error::NotJson { detail },
            "xml" => Error::NotXml { detail },
            "encoding" => Error::UnknownEncoding { name: detail },
            _ => Error::NotAFeed { detail },
        });
    }
    let format = r.text().and_then(|name| Format::from_name(name).flatten()).ok_or_else(garbled)?;
    let feed = r.feed().filter(|_| r.rest.is_empty()).ok_or_else(garbled)?;
    Ok((format, feed))
}

struct Writer(String);

impl Writer {
    fn text(&mut self, s: &str) {
        let _ = write!(self.0, "{}:", s.len());
        self.0.push_str(s);
    }

    fn opt(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.text(s),
            None => self.0.push('-'),
        }
    }

    fn count(&mut self, n: usize) {
        let _ = write!(self.0, "{n};");
    }

    fn flag(&mut self, b: bool) {
        self.0.push(if b { '1' } else { '0' });
    }

    fn feed(&mut self, feed: &Feed) {
        match &feed.agency {
            Some(a) => {
                self.text(&a.name);
                self.opt(a.url.as_deref());
            }
            None => self.0.push('-'),
        }
        self.count(feed.releases.len());
        for release in &feed.releases {
            self.release(release);
        }
        self.count(feed.problems.len());
        for p in &feed.problems {
            self.text(&p.place);
            self.text(&p.message);
            self.flag(p.skipped);
        }
        self.flag(feed.cut_off);
        self.opt(feed.language.as_deref());
        self.opt(feed.next.as_deref());
    }

    fn release(&mut self, r: &Release) {
        self.text(&r.id);
        self.text(&r.title);
        self.text(r.date.machine());
        self.opt(r.url.as_deref());
        self.opt(r.summary.as_deref());
        match &r.body {
            None => self.0.push('-'),
            Some(Body::Markdown(s)) => (self.0.push('m'), self.text(s)).1,
            Some(Body::Html(s)) => (self.0.push('h'), self.text(s)).1,
            Some(Body::Text(s)) => (self.0.push('t'), self.text(s)).1,
        }
        self.opt(r.dateline.as_deref());
        self.opt(r.agency.as_deref());
        self.opt(r.author.as_deref());
        self.count(r.tags.len());
        for tag in &r.tags {
            self.text(tag);
        }
        self.count(r.related_links.len());
        for link in &r.related_links {
            self.text(&link.title);
            self.text(&link.url);
        }
        self.count(r.contacts.len());
        for c in &r.contacts {
            self.opt(c.name.as_deref());
            self.opt(c.email.as_deref());
            self.opt(c.phone.as_deref());
        }
        match &r.image {
            Some(image) => {
                self.text(&image.url);
                self.text(&image.alt);
            }
            None => self.0.push('-'),
        }
        self.opt(r.base.as_deref());
    }
}

struct Reader<'a> {
    rest: &'a str,
}

impl<'a> Reader<'a> {
    /// Digits up to `end`, as a number.
    fn number(&mut self, end: char) -> Option<usize> {
        let (digits, rest) = self.rest.split_once(end)?;
        self.rest = rest;
        digits.parse().ok()
    }

    fn text(&mut self) -> Option<&'a str> {
        let len = self.number(':')?;
        let text = self.rest.get(..len)?;
        self.rest = &self.rest[len..];
        Some(text)
    }

    fn absent(&mut self) -> bool {
        let absent = self.rest.starts_with('-');
        if absent {
            self.rest = &self.rest[1..];
        }
        absent
    }

    fn opt(&mut self) -> Option<Option<String>> {
        if self.absent() {
            return Some(None);
        }
        self.text().map(|s| Some(s.to_string()))
    }

    fn string(&mut self) -> Option<String> {
        self.text().map(str::to_string)
    }

    fn flag(&mut self) -> Option<bool> {
        let b = match self.rest.as_bytes().first()? {
            b'1' => true,
            b'0' => false,
            _ => return None,
        };
        self.rest = &self.rest[1..];
        Some(b)
    }

    fn list<T>(&mut self, mut item: impl FnMut(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        let n = self.number(';')?;
        // Each item takes at least two bytes: a count that does not fit is garbled.
        (n <= self.rest.len()).then_some(())?;
        (0..n).map(|_| item(self)).collect()
    }

    fn feed(&mut self) -> Option<Feed> {
        let agency = match self.absent() {
            true => None,
            false => Some(Agency { name: self.string()?, url: self.opt()? }),
        };
        let releases = self.list(Self::release)?;
        let problems = self.list(|r| Some(Problem { place: r.string()?, message: r.string()?, skipped: r.flag()? }))?;
        Some(Feed { agency, releases, problems, cut_off: self.flag()?, language: self.opt()?, next: self.opt()? })
    }

    fn release(&mut self) -> Option<Release> {
        let id = self.string()?;
        let title = self.string()?;
        let date = Date::parse(self.text()?).ok()?;
        let url = self.opt()?;
        let summary = self.opt()?;
        let body = match self.absent() {
            true => None,
            false => {
                let kind = *self.rest.as_bytes().first()?;
                self.rest = &self.rest[1..];
                let text = self.string()?;
                Some(match kind {
                    b'm' => Body::Markdown(text),
                    b'h' => Body::Html(text),
                    b't' => Body::Text(text),
                    _ => return None,
                })
            }
        };
        Some(Release {
            id,
            title,
            date,
            url,
            summary,
            body,
            dateline: self.opt()?,
            agency: self.opt()?,
            author: self.opt()?,
            tags: self.list(Self::string)?,
            related_links: self.list(|r| Some(Link { title: r.string()?, url: r.string()? }))?,
            contacts: self.list(|r| Some(Contact { name: r.opt()?, email: r.opt()?, phone: r.opt()? }))?,
            image: match self.absent() {
                true => None,
                false => Some(Image { url: self.string()?, alt: self.string()? }),
            },
            base: self.opt()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fixture_feed_comes_back_as_it_was_read() {
        let fixtures = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures")).unwrap();
        let mut read = 0;
        for entry in fixtures {
            let path = entry.unwrap().path();
            let Ok(text) = std::fs::read_to_string(&path) else { continue };
            let format = Format::detect(&text);
            let result = super::super::parse(&text, Some(format), "https://agency.example/feeds/").map(|f| (format, f));
            assert_eq!(decode(&encode(&result)), result, "{}", path.display());
            read += result.is_ok() as usize;
        }
        assert!(read > 10, "only {read} fixtures read");
    }

    #[test]
    fn errors_keep_their_kind() {
        for e in [
            Error::NotJson { detail: "line 1".into() },
            Error::NotXml { detail: "no root".into() },
            Error::UnknownEncoding { name: "Shift_JIS".into() },
            Error::NotAFeed { detail: "none of its 2 posts could be read".into() },
        ] {
            assert_eq!(decode(&encode(&Err(e.clone()))), Err(e));
        }
    }

    #[test]
    fn a_garbled_answer_is_an_error_not_a_panic() {
        let good = encode(&super::super::parse(r#"{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"a","title":"é","date_published":"2024-01-02"}]}"#, None, "").map(|f| (Format::JsonFeed, f)));
        assert!(decode(&good).is_ok());
        for cut in 0..good.len() {
            if let Some(prefix) = good.get(..cut) {
                assert!(matches!(decode(prefix), Err(Error::Browser { .. })), "{prefix}");
            }
        }
        assert!(decode("ok:").is_err());
        assert!(decode("2:ok6:native-99999999999;").is_err());
    }
}
