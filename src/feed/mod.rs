//! The release model every view works on, and the readers that make it from each feed format:
//! the native schema v1 (`schema/release-feed.v1.schema.json`), JSON Feed and the WordPress REST
//! API, RSS 2.0, RSS 1.0 and Atom (`xml_feed`). Everything after a reader sees only this model.

mod atom;
mod encoding;
mod item;
mod jsonfeed;
mod native;
mod reader;
mod rfc822;
mod rss;
mod scan;
#[cfg(feature = "widget")]
pub(crate) use scan::top_level_text;
mod wordpress;
mod xml;
mod xml_entry;
mod xml_feed;

pub use encoding::decode_document;
pub use jsonfeed::parse_json_feed;
pub use native::{parse_native, NativeParser};
pub use rfc822::parse_feed_date;
pub use wordpress::{next_page, parse_wordpress};
pub use xml_feed::parse_xml_feed;

use crate::error::Result;
use crate::model::{Date, Feed, Problem};

/// A feed's format, given by the `format` attribute or detected from the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Native,
    JsonFeed,
    WordPress,
    /// RSS 2.0 or 1.0; read by the same XML reader as Atom, which looks at the root element.
    Rss,
    Atom,
}

impl Format {
    /// Every format, in the order the documentation lists them.
    pub const ALL: [Format; 5] = [Format::Native, Format::JsonFeed, Format::WordPress, Format::Rss, Format::Atom];

    pub fn from_name(name: &str) -> Option<Option<Format>> {
        match name.trim().to_ascii_lowercase().as_str() {
            "" | "auto" => Some(None),
            "native" | "release-embed" => Some(Some(Format::Native)),
            "jsonfeed" | "json-feed" | "json feed" => Some(Some(Format::JsonFeed)),
            "wordpress" | "wp" => Some(Some(Format::WordPress)),
            "rss" | "rss2" | "rss1" | "rdf" => Some(Some(Format::Rss)),
            "atom" => Some(Some(Format::Atom)),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Native => "native",
            Format::JsonFeed => "jsonfeed",
            Format::WordPress => "wordpress",
            Format::Rss => "rss",
            Format::Atom => "atom",
        }
    }

    /// Guesses from the document: markup other than an HTML page is XML, Atom when its root is
    /// `<feed>` and RSS otherwise (the XML reader says what else it is); the rest as [`Format::sniff`].
    pub fn detect(text: &str) -> Format {
        match Format::sniff(text) {
            Format::Rss => Format::xml_dialect(text),
            other => other,
        }
    }

    /// [`Format::detect`] without reading XML, so that a caller can leave the XML reader out of its
    /// code until a feed is XML: any XML document is [`Format::Rss`] here, and
    /// [`Format::xml_dialect`] tells RSS from Atom. A list is a WordPress posts response; an object
    /// whose `version` names JSON Feed (wherever the key sits, however its text is escaped) is a
    /// JSON Feed; anything else (an HTML error page included) is read as native.
    pub fn sniff(text: &str) -> Format {
        let text = without_bom(text);
        let head = &text.as_bytes()[..text.len().min(4096)];
        match head.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'<') if !is_html_page(head) => Format::Rss,
            Some(b'[') => Format::WordPress,
            Some(b'{') => scan::object_format(text),
            _ => Format::Native,
        }
    }

    /// Atom when an XML document's root is `<feed>`, RSS otherwise.
    pub fn xml_dialect(text: &str) -> Format {
        match xml_feed::dialect_of(without_bom(text)) {
            Some(xml_feed::Dialect::Atom) => Format::Atom,
            _ => Format::Rss,
        }
    }
}

/// A server's HTML page (a login or maintenance page where the feed should be).
fn is_html_page(head: &[u8]) -> bool {
    let start = head.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(0);
    let lower = head[start..head.len().min(start + 14)].to_ascii_lowercase();
    lower.starts_with(b"<!doctype html") || lower.starts_with(b"<html")
}

/// The text after a leading UTF-8 byte-order mark, which Windows tools and some PHP set-ups
/// write and which JSON parsers refuse.
pub fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// Reads a whole feed in the given (or detected) format. `base` is the feed's address.
pub fn parse(text: &str, format: Option<Format>, base: &str) -> Result<Feed> {
    match format.unwrap_or_else(|| Format::detect(text)) {
        Format::Native => {
            let mut parser = NativeParser::new(text, base)?;
            while parser.step(usize::MAX)? {}
            parser.finish()
        }
        Format::JsonFeed => parse_json_feed(text, base),
        Format::WordPress => parse_wordpress(text, base),
        Format::Rss | Format::Atom => parse_xml_feed(text, base),
    }
}

/// A date in a JSON feed: RFC 3339 as given, else any form [`parse_feed_date`] reads.
pub(crate) fn parse_json_date(text: &str) -> std::result::Result<Date, String> {
    Date::parse(text).or_else(|_| parse_feed_date(text))
}

/// The one console message for the releases of a feed (or of one page of it) whose date could
/// not be read: which ones and why, once rather than once a release. They are shown undated,
/// after the dated ones. `undated` holds each one's place and reason.
pub(crate) fn undated_problem(plural: &str, undated: &[(String, String)]) -> Option<Problem> {
    let (first, rest) = undated.split_first()?;
    let list = rest.iter().fold(format!("{}: {}", first.0, first.1), |mut list, (place, why)| {
        list.push_str(&format!("; {place}: {why}"));
        list
    });
    let message = match undated.len() {
        1 => {
            format!("1 of its {plural} is shown undated, after the dated ones, as no date of it could be read ({list})")
        }
        n => format!(
            "{n} of its {plural} are shown undated, after the dated ones, as no date of them could be read ({list})"
        ),
    };
    Some(Problem { place: "the feed".into(), message, skipped: false })
}
