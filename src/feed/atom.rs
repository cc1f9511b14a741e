//! Atom 1.0 entries (RFC 4287), as GOV.UK and many CMSs publish them: text constructs that are
//! text, HTML or XHTML, links by relation, categories with a term and a label.

use super::item::{file_name, push_tag, title_or_made_up};
use super::xml::Element;
use super::xml_entry::{Enclosures, Entry, ATOM, DC};
use crate::model::{Body, Link, Release};

const XHTML: &str = "http://www.w3.org/1999/xhtml";

/// Reads one `<entry>`. `feed_author` is the feed's `<author>`, which entries without one inherit.
pub fn read_entry(e: &mut Entry, feed_author: Option<&str>) -> Result<Release, String> {
    let el = e.el;
    let mut url = None;
    let mut related = Vec::new();
    let mut enclosures = Enclosures { image: e.media_image(), links: Vec::new() };
    for link in el.children(ATOM, "link") {
        let Some(raw) = link.attr("href") else { continue };
        match link.attr("rel").unwrap_or("alternate") {
            "alternate" if url.is_none() => url = e.url(link, raw, "link"),
            "enclosure" => e.enclosure(link, raw, link.attr("type"), link.attr("title"), &mut enclosures),
            "related" => {
                if let Some(href) = e.url(link, raw, "link") {
                    let title = link.attr("title").map_or_else(|| file_name(&href), str::to_string);
                    related.push(Link { title, url: href });
                }
            }
            _ => {}
        }
    }
    let id = e.text(ATOM, "id").or_else(|| url.clone()).unwrap_or_default();
    let date = e.date(&[(ATOM, "published"), (ATOM, "updated"), (DC, "date")]);

    let content = el.child(ATOM, "content");
    if let (None, Some(src)) = (&url, content.and_then(|c| c.attr("src"))) {
        // Content kept elsewhere (`<content src>`): its address is the release's.
        url = e.url(content.unwrap_or(el), src, "content");
    }
    let body = match content.filter(|c| c.attr("src").is_none()) {
        Some(c) => {
            let body = text_construct(c);
            if body.is_none() && c.attr("type").is_some_and(|t| !is_text_type(t)) {
                e.ignore(format!(
                    "its <content> is of type {}, which is not text, HTML or XHTML",
                    c.attr("type").unwrap_or("")
                ));
            }
            body
        }
        None => None,
    };
    let summary = el.child(ATOM, "summary").and_then(text_construct).map(|s| s.plain_text()).filter(|s| !s.is_empty());
    let title = el.child(ATOM, "title").and_then(text_construct).map(|t| t.plain_text()).filter(|t| !t.is_empty());
    let title = title_or_made_up(title, summary.as_deref(), body.as_ref(), url.as_deref())
        .ok_or("it has no <title>, no text and no link")?;

    let mut tags = Vec::new();
    for category in el.children(ATOM, "category") {
        if let Some(tag) = category.attr("label").or_else(|| category.attr("term")) {
            push_tag(&mut tags, tag);
        }
    }
    let authors: Vec<String> =
        el.children(ATOM, "author").filter_map(|a| a.child(ATOM, "name").and_then(Element::text)).collect();
    let author = match authors.is_empty() {
        false => Some(authors.join(", ")),
        true => feed_author.map(str::to_string),
    };
    related.append(&mut enclosures.links);
    Ok(Release {
        id,
        title,
        date,
        url,
        summary,
        body,
        dateline: None,
        agency: None,
        author,
        tags,
        related_links: related,
        contacts: Vec::new(),
        image: enclosures.image,
        base: content.map(|c| c.base.to_string()),
    })
}

fn is_text_type(t: &str) -> bool {
    matches!(t, "text" | "html" | "xhtml" | "text/plain" | "text/html" | "application/xhtml+xml")
}

/// An Atom text construct (`title`, `summary`, `content`) in the form its `type` says. RSS titles
/// come through here too: without a `type` they are text.
pub fn text_construct(el: &Element) -> Option<Body> {
    let body = match el.attr("type").unwrap_or("text") {
        "html" | "text/html" => Body::Html(el.raw_text()),
        // The XHTML is inside one `<div>`, which is not part of the content.
        "xhtml" | "application/xhtml+xml" => {
            let div = el.child(XHTML, "div").filter(|_| el.elements().count() == 1);
            Body::Html(div.unwrap_or(el).inner_markup())
        }
        "text" | "text/plain" => Body::Text(el.raw_text()),
        _ => return None,
    };
    match &body {
        Body::Html(t) | Body::Text(t) | Body::Markdown(t) if t.trim().is_empty() => None,
        _ => Some(body),
    }
}
