//! The one entry point for XML feeds: RSS 2.0 (and 0.9x), RSS 1.0 (RDF) and Atom 1.0. The root
//! element says which; the document is read one item at a time (a tree per item, dropped once it
//! is a release), so a large archive costs the memory of its largest item. Everything the three
//! readers share lives here: the walk, the per-item problems, URLs against `xml:base`, Media RSS
//! images, enclosures and tags.

use std::collections::HashSet;
use std::rc::Rc;

use super::reader::place;
use super::xml::{Element, Event, XmlError, XmlReader, XML_NS};
use crate::error::{Error, Result};
use crate::model::{Agency, Feed, Problem, Release};
use crate::url::{resolve, safe_url};

use super::xml_entry::{Entry, ATOM, DC, RDF, RSS090, RSS1};

/// Which of the XML feed formats a document is, from its root element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Rss2,
    Rss1,
    Atom,
}

/// The dialect of an XML document, reading no further than its root's start tag. `None` when the
/// document is not XML or its root is not a feed's.
pub fn dialect_of(text: &str) -> Option<Dialect> {
    let mut xml = XmlReader::new(text);
    loop {
        match xml.next_event().ok()? {
            Event::Start(root) => return dialect(&root.ns, &root.name),
            Event::Text(_) => {}
            Event::End | Event::Eof => return None,
        }
    }
}

fn dialect(ns: &str, name: &str) -> Option<Dialect> {
    match (ns, name) {
        ("", "rss") => Some(Dialect::Rss2),
        (RDF, "RDF") => Some(Dialect::Rss1),
        (ATOM, "feed") => Some(Dialect::Atom),
        _ => None,
    }
}

/// Reads an RSS or Atom document. `base` is the feed's address: relative links resolve against it
/// (or against the document's `xml:base`).
pub fn parse_xml_feed(text: &str, base: &str) -> Result<Feed> {
    let not_xml = |e: XmlError| Error::NotXml { detail: e.to_string() };
    let mut xml = XmlReader::new(text);
    let root = loop {
        match xml.next_event().map_err(not_xml)? {
            Event::Start(root) => break root,
            Event::Text(_) => continue,
            // The reader reports a missing root as an error; nothing else comes before the root.
            Event::End | Event::Eof => return Err(Error::NotXml { detail: "the document has no root element".into() }),
        }
    };
    let Some(dialect) = dialect(&root.ns, &root.name) else {
        let detail = match root.name.to_ascii_lowercase().as_str() {
            "html" => "it is a web page, not a feed (check the feed's address)".to_string(),
            _ => format!("its root element is <{}>, not an RSS <rss> or <rdf:RDF> or an Atom <feed>", root.name),
        };
        return Err(Error::NotAFeed { detail });
    };
    let feed_base: Rc<str> = base.into();
    let mut walk = Walk {
        dialect,
        feed_base: feed_base.clone(),
        agency: None,
        language: root.attr_ns(XML_NS, "lang").map(str::to_string),
        next: None,
        feed_author: None,
        releases: Vec::new(),
        problems: Vec::new(),
        seen: HashSet::new(),
        items: 0,
        undated: Vec::new(),
    };
    let mut bases = vec![root.base_from(&feed_base)];
    if let Err(e) = walk.read(&mut xml, &mut bases) {
        if walk.releases.is_empty() {
            return Err(not_xml(e));
        }
        walk.problems.push(Problem {
            place: "the feed".into(),
            message: format!("it stops being XML at {e}; the releases before that point are shown"),
            skipped: true,
        });
        return walk.finish(true);
    }
    walk.finish(false)
}

struct Walk {
    dialect: Dialect,
    feed_base: Rc<str>,
    agency: Option<Agency>,
    language: Option<String>,
    next: Option<String>,
    /// Atom: the feed's author, for entries that name none.
    feed_author: Option<String>,
    releases: Vec<Release>,
    problems: Vec<Problem>,
    seen: HashSet<String>,
    items: usize,
    /// The place of each release shown undated and why, for one message at the end.
    undated: Vec<(String, String)>,
}

impl Walk {
    fn read(&mut self, xml: &mut XmlReader, bases: &mut Vec<Rc<str>>) -> Result<(), XmlError> {
        loop {
            let base = bases.last().cloned().unwrap_or_else(|| self.feed_base.clone());
            match xml.next_event()? {
                // RSS 2.0 keeps its items inside <channel>: walk into it rather than read it whole.
                Event::Start(s) if self.dialect == Dialect::Rss2 && s.is("", "channel") => {
                    bases.push(s.base_from(&base));
                }
                Event::Start(s) => {
                    let el = xml.read_element(s, &base)?;
                    if self.is_item(&el) {
                        self.item(&el);
                    } else {
                        self.meta(&el);
                    }
                }
                Event::End => {
                    bases.pop();
                    if bases.is_empty() {
                        return Ok(());
                    }
                }
                Event::Text(_) => {}
                Event::Eof => return Ok(()),
            }
        }
    }

    fn is_item(&self, el: &Element) -> bool {
        match self.dialect {
            Dialect::Rss2 => el.is("", "item"),
            Dialect::Rss1 => el.is(RSS1, "item") || el.is(RSS090, "item"),
            Dialect::Atom => el.is(ATOM, "entry"),
        }
    }

    /// A child of the channel (or of the Atom feed) that is not an item: the agency, language, next page.
    fn meta(&mut self, el: &Element) {
        let channel = match self.dialect {
            Dialect::Rss1 if el.is(RSS1, "channel") || el.is(RSS090, "channel") => el,
            Dialect::Rss1 => return,
            Dialect::Rss2 | Dialect::Atom => {
                self.meta_field(el);
                return;
            }
        };
        for child in channel.elements() {
            self.meta_field(child);
        }
    }

    fn meta_field(&mut self, el: &Element) {
        let atom = self.dialect == Dialect::Atom;
        // The format's own elements: Atom's namespace, or none / RSS 1.0's / RSS 0.90's for RSS.
        let own = match &*el.start.ns {
            ATOM => atom,
            "" | RSS1 | RSS090 => !atom,
            _ => false,
        };
        match (own, el.start.name.as_str()) {
            (true, "title") if self.agency.is_none() => {
                let name = super::atom::text_construct(el).map(|b| b.plain_text()).filter(|n| !n.is_empty());
                self.agency = name.map(|name| Agency { name, url: None });
            }
            (true, "link") if !atom => {
                let url = el.text().and_then(|l| safe_url(&l)).map(|u| resolve(&el.base, &u));
                self.agency_url(url);
            }
            (true, "language") => self.language = self.language.take().or_else(|| el.text()),
            (true, "author") if atom => self.feed_author = el.child(ATOM, "name").and_then(Element::text),
            _ if el.is(DC, "language") => self.language = self.language.take().or_else(|| el.text()),
            _ => {}
        }
        if el.is(ATOM, "link") {
            let href = el.attr("href").and_then(safe_url).map(|u| resolve(&el.base, &u));
            match el.attr("rel").unwrap_or("alternate") {
                "next" => self.next = href,
                "alternate" if atom => self.agency_url(href),
                _ => {}
            }
        }
    }

    fn agency_url(&mut self, url: Option<String>) {
        if let Some(agency) = self.agency.as_mut().filter(|a| a.url.is_none()) {
            agency.url = url;
        }
    }

    fn item(&mut self, el: &Element) {
        let index = self.items;
        self.items += 1;
        let (noun, id_hint) = match self.dialect {
            Dialect::Atom => ("entry", el.child(ATOM, "id").and_then(Element::text)),
            _ => ("item", el.child("", "guid").or_else(|| el.child(ns_of(el), "link")).and_then(Element::text)),
        };
        let mut entry =
            Entry { el, place: place(noun, index, id_hint.as_deref()), problems: Vec::new(), undated: None };
        let read = match self.dialect {
            Dialect::Atom => super::atom::read_entry(&mut entry, self.feed_author.as_deref()),
            Dialect::Rss2 | Dialect::Rss1 => super::rss::read_item(&mut entry, ns_of(el)),
        };
        match read {
            Ok(mut release) => {
                if release.id.is_empty() {
                    release.id = format!("{noun}-{}", index + 1);
                }
                if release.base.as_deref() == Some(&*self.feed_base) {
                    release.base = None;
                }
                if self.seen.insert(release.id.clone()) {
                    if let Some(why) = entry.undated.take() {
                        self.undated.push((entry.place.clone(), why));
                    }
                    self.releases.push(release);
                } else {
                    entry.skip(format!("its id is used by an earlier {noun}"));
                }
            }
            Err(message) => entry.skip(message),
        }
        self.problems.append(&mut entry.problems);
    }

    fn finish(mut self, cut_off: bool) -> Result<Feed> {
        let plural = if self.dialect == Dialect::Atom { "entries" } else { "items" };
        self.problems.extend(super::undated_problem(plural, &self.undated));
        if self.releases.is_empty() && self.items > 0 {
            let noun = plural;
            let first = self.problems.iter().find(|p| p.skipped).map(|p| format!(" ({}: {})", p.place, p.message));
            return Err(Error::NotAFeed {
                detail: format!("none of its {} {noun} could be read{}", self.items, first.unwrap_or_default()),
            });
        }
        let mut feed = Feed {
            agency: self.agency,
            releases: self.releases,
            problems: self.problems,
            cut_off,
            language: self.language,
            next: self.next,
        };
        feed.sort_newest_first();
        Ok(feed)
    }
}

/// The namespace an RSS item's own fields are in: none for RSS 2.0, RSS 1.0's or 0.90's URI.
fn ns_of(el: &Element) -> &str {
    &el.start.ns
}
