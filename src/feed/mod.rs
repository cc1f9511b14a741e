//! The release model every view works on, and the readers that make it from each feed format:
//! the native schema v1 (`schema/release-feed.v1.schema.json`), JSON Feed and the WordPress REST
//! API, RSS 2.0, RSS 1.0 and Atom (`xml_feed`). Everything after a reader sees only this model.

mod atom;
mod date;
mod encoding;
mod jsonfeed;
mod native;
mod reader;
mod rfc822;
mod rss;
mod scan;
mod wordpress;
mod xml;
mod xml_feed;

pub use date::Date;
pub use encoding::decode_document;
pub use jsonfeed::parse_json_feed;
pub use native::{parse_native, NativeParser};
pub use rfc822::parse_feed_date;
pub use wordpress::{next_page, parse_wordpress};
pub use xml_feed::parse_xml_feed;

use crate::error::Result;

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
    /// `<feed>` and RSS otherwise (the XML reader says what else it is); a list is a WordPress
    /// posts response; an object whose `version` names JSON Feed (wherever the key sits, however
    /// its text is escaped) is a JSON Feed; anything else (an HTML error page included) is read
    /// as native.
    pub fn detect(text: &str) -> Format {
        let text = without_bom(text);
        let head = &text.as_bytes()[..text.len().min(4096)];
        match head.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'<') if !is_html_page(head) => match xml_feed::dialect_of(text) {
                Some(xml_feed::Dialect::Atom) => Format::Atom,
                _ => Format::Rss,
            },
            Some(b'[') => Format::WordPress,
            Some(b'{') => scan::object_format(text),
            _ => Format::Native,
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

#[derive(Debug, Clone, PartialEq)]
pub struct Feed {
    pub agency: Option<Agency>,
    /// Newest first; releases with the same date keep their order in the feed.
    pub releases: Vec<Release>,
    /// What was left out or ignored, for the console: the feed's authors need to know.
    pub problems: Vec<Problem>,
    /// The document broke off (truncated or invalid) after the releases that are here.
    pub cut_off: bool,
    /// The feed's language, where it says (JSON Feed `language`).
    pub language: Option<String>,
    /// The address of the feed's next page (JSON Feed `next_url`, the next WordPress page).
    pub next: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Agency {
    pub name: String,
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Release {
    pub id: String,
    pub title: String,
    pub date: Date,
    pub url: Option<String>,
    pub summary: Option<String>,
    pub body: Option<Body>,
    pub dateline: Option<String>,
    pub agency: Option<String>,
    /// Who wrote it (JSON Feed authors, the WordPress author).
    pub author: Option<String>,
    pub tags: Vec<String>,
    pub related_links: Vec<Link>,
    pub contacts: Vec<Contact>,
    pub image: Option<Image>,
    /// Where the body's relative URLs resolve, when that is not the feed's address (an RSS or
    /// Atom `xml:base`).
    pub base: Option<String>,
}

/// A release's text, in the form the feed gives it.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// CommonMark (the native schema).
    Markdown(String),
    /// HTML (JSON Feed `content_html`, WordPress): cleaned by an allow-list before display.
    Html(String),
    /// Plain text (JSON Feed `content_text`): paragraphs at blank lines.
    Text(String),
}

impl Body {
    /// The text without markup, for a list entry when the release has no summary. Markdown is
    /// read without its parser, which the list view's wasm leaves to the lazily loaded body part.
    pub fn plain_text(&self) -> String {
        match self {
            Body::Markdown(md) => crate::render::markdown_text::to_plain_text(md),
            Body::Html(html) => crate::render::clean::plain_text(html),
            Body::Text(text) => text.split_whitespace().collect::<Vec<_>>().join(" "),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub title: String,
    /// Already checked by [`crate::url::safe_url`].
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Contact {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    /// Already checked by [`crate::url::safe_url`].
    pub url: String,
    pub alt: String,
}

/// Something in the feed that could not be used as given.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Which release, as a reader of the feed file would find it: `release #3 ("id")`.
    pub place: String,
    pub message: String,
    /// True when the whole release was left out; false when only a field was ignored.
    pub skipped: bool,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = if self.skipped { "skipped" } else { "field ignored" };
        write!(f, "release-embed: {} {what}: {}", self.place, self.message)
    }
}

impl Feed {
    /// Adds a later page: its releases whose ids are new, its problems, its next page.
    pub fn merge(&mut self, page: Feed) {
        let known: std::collections::HashSet<String> = self.releases.iter().map(|r| r.id.clone()).collect();
        for release in page.releases {
            if known.contains(&release.id) {
                self.problems.push(Problem {
                    place: format!("release \u{201c}{}\u{201d}", release.id),
                    message: "it is on an earlier page too; shown once".into(),
                    skipped: true,
                });
            } else {
                self.releases.push(release);
            }
        }
        self.problems.extend(page.problems);
        self.next = page.next;
        self.sort_newest_first();
    }

    pub fn release(&self, id: &str) -> Option<&Release> {
        self.releases.iter().find(|r| r.id == id)
    }

    /// Orders newest first. `sort_by_key` is stable, so equal dates keep the feed's order.
    pub(crate) fn sort_newest_first(&mut self) {
        self.releases.sort_by_key(|r| std::cmp::Reverse(r.date.timestamp()));
    }
}
