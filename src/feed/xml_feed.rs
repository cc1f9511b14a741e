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
use crate::model::{Agency, Feed, Image, Link, Problem, Release};
use crate::url::{resolve, safe_url};

pub const ATOM: &str = "http://www.w3.org/2005/Atom";
pub const RSS1: &str = "http://purl.org/rss/1.0/";
pub const RSS090: &str = "http://my.netscape.com/rdf/simple/0.9/";
pub const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
pub const DC: &str = "http://purl.org/dc/elements/1.1/";
pub const CONTENT: &str = "http://purl.org/rss/1.0/modules/content/";
pub const MEDIA: &str = "http://search.yahoo.com/mrss/";

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

/// One item being read: its element and what could not be used, naming the item.
pub struct Entry<'e> {
    pub el: &'e Element,
    pub place: String,
    pub problems: Vec<Problem>,
    /// Why the item is undated, when it is.
    pub undated: Option<String>,
}

impl Entry<'_> {
    pub fn skip(&mut self, message: String) {
        self.problems.push(Problem { place: self.place.clone(), message, skipped: true });
    }

    pub fn ignore(&mut self, message: String) {
        self.problems.push(Problem { place: self.place.clone(), message, skipped: false });
    }

    /// The trimmed text of the first child `ns:name`.
    pub fn text(&self, ns: &str, name: &str) -> Option<String> {
        self.el.children(ns, name).find_map(Element::text)
    }

    /// `raw` checked and resolved against the base that applies at `at`.
    pub fn url(&mut self, at: &Element, raw: &str, what: &str) -> Option<String> {
        let url = safe_url(raw).map(|u| resolve(&at.base, &u));
        if url.is_none() {
            self.ignore(format!("<{what}> \u{201c}{raw}\u{201d} is not an http, https, mailto, tel or relative URL"));
        }
        url
    }

    /// The release's date from the first of `fields` that holds a readable one (`<pubDate>`,
    /// then `<dc:date>`, …: one unreadable field does not hide a good one). `None` when there is
    /// none; why is kept in `undated`.
    pub fn date(&mut self, fields: &[(&str, &str)]) -> Option<crate::model::Date> {
        let mut why = None;
        for (ns, name) in fields {
            for el in self.el.children(ns, name).filter(|e| e.text().is_some()) {
                match super::rfc822::parse_feed_date(&el.raw_text()) {
                    Ok(date) => return Some(date),
                    Err(e) => why = why.or_else(|| Some(format!("bad <{name}>: {e}"))),
                }
            }
        }
        self.undated = Some(why.unwrap_or_else(|| {
            let names: Vec<String> = fields.iter().map(|(_, n)| format!("<{n}>")).collect();
            format!("it has no date ({})", names.join(", "))
        }));
        None
    }

    /// Media RSS: the first image among `media:content` and `media:thumbnail`, also inside
    /// `media:group`.
    pub fn media_image(&mut self) -> Option<Image> {
        let el = self.el;
        let groups = std::iter::once(el).chain(el.children(MEDIA, "group"));
        let candidates: Vec<&Element> = groups
            .flat_map(|g| g.children(MEDIA, "content").chain(g.children(MEDIA, "thumbnail")))
            .filter(|m| m.is(MEDIA, "thumbnail") || is_image(m.attr("medium"), m.attr("type"), m.attr("url")))
            .collect();
        let (found, raw) = candidates.into_iter().find_map(|m| Some((m, m.attr("url")?)))?;
        let url = self.url(found, raw, &format!("media:{}", found.start.name))?;
        let alt = found.child(MEDIA, "description").or_else(|| found.child(MEDIA, "title")).and_then(Element::text);
        Some(Image { url, alt: alt.unwrap_or_default() })
    }

    /// An enclosure (RSS `<enclosure url type>`, Atom `<link rel="enclosure" href type>`): an
    /// image becomes the release's image if it has none; anything else a related link.
    pub fn enclosure(
        &mut self,
        at: &Element,
        raw: &str,
        mime: Option<&str>,
        title: Option<&str>,
        out: &mut Enclosures,
    ) {
        let Some(url) = self.url(at, raw, "enclosure") else { return };
        if out.image.is_none() && is_image(None, mime, Some(&url)) {
            out.image = Some(Image { url, alt: String::new() });
        } else if !out.links.iter().any(|l| l.url == url) {
            let title = title.map(str::to_string).unwrap_or_else(|| super::jsonfeed::file_name(&url));
            out.links.push(Link { title, url });
        }
    }
}

#[derive(Default)]
pub struct Enclosures {
    pub image: Option<Image>,
    pub links: Vec<Link>,
}

/// An image by Media RSS `medium`, by MIME type, or (when neither is given) by file extension.
fn is_image(medium: Option<&str>, mime: Option<&str>, url: Option<&str>) -> bool {
    match (medium, mime) {
        (Some(medium), _) => medium.eq_ignore_ascii_case("image"),
        (None, Some(mime)) => mime.trim().to_ascii_lowercase().starts_with("image/"),
        (None, None) => url.is_some_and(|u| {
            let path = u.split(['?', '#']).next().unwrap_or(u).to_ascii_lowercase();
            [".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg"].iter().any(|ext| path.ends_with(ext))
        }),
    }
}

/// Adds `tag` unless it is empty, already there, or WordPress's default category.
pub fn push_tag(tags: &mut Vec<String>, tag: &str) {
    let tag = tag.split_whitespace().collect::<Vec<_>>().join(" ");
    if !tag.is_empty() && tag != super::wordpress::UNCATEGORIZED && !tags.contains(&tag) {
        tags.push(tag);
    }
}
