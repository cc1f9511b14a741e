//! What the RSS and Atom readers share: the namespaces their fields are in, and one item being
//! read (its fields' text, addresses, dates, Media RSS images and enclosures, and what could not
//! be used). `xml_feed` walks the document and hands each item to `rss` or `atom`.

use super::xml::Element;
use crate::model::{Image, Link, Problem};
use crate::url::{resolve, safe_url};

pub const ATOM: &str = "http://www.w3.org/2005/Atom";
pub const RSS1: &str = "http://purl.org/rss/1.0/";
pub const RSS090: &str = "http://my.netscape.com/rdf/simple/0.9/";
pub const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
pub const DC: &str = "http://purl.org/dc/elements/1.1/";
pub const CONTENT: &str = "http://purl.org/rss/1.0/modules/content/";
pub const MEDIA: &str = "http://search.yahoo.com/mrss/";

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
            let title = title.map(str::to_string).unwrap_or_else(|| super::item::file_name(&url));
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
