//! RSS 2.0 items (also 0.91–0.94, and RSS 1.0 items, whose fields have the same names in RSS
//! 1.0's namespace): the fields agencies' CMSs write (Drupal, WordPress, Granicus) and the
//! modules they use (Dublin Core, `content:encoded`, Media RSS).

use super::item::{push_tag, title_or_made_up};
use super::xml::Element;
use super::xml_entry::{Enclosures, Entry, ATOM, CONTENT, DC, RDF};
use crate::model::{Body, Release};
use crate::text::clean::plain_text;

/// Reads one `<item>`; `ns` is the namespace of its own fields ("" for RSS 2.0).
pub fn read_item(e: &mut Entry, ns: &str) -> Result<Release, String> {
    let el = e.el;
    let link = el.child(ns, "link").and_then(|l| Some((l, l.text()?))).and_then(|(l, raw)| e.url(l, &raw, "link"));
    let guid = el.child(ns, "guid");
    let guid_text = guid.and_then(Element::text);
    // A guid is the item's address unless it says otherwise (`isPermaLink="false"`, Drupal's
    // "123 at https://…") or does not look like one.
    let permalink = guid
        .filter(|g| g.attr("isPermaLink").is_none_or(|p| !p.eq_ignore_ascii_case("false")))
        .and_then(|g| Some((g, g.text().filter(|t| t.starts_with("http://") || t.starts_with("https://"))?)))
        .and_then(|(g, t)| e.url(g, &t, "guid"));
    let about = el.start.attr_ns(RDF, "about").map(str::trim).filter(|a| !a.is_empty()).map(str::to_string);
    let url = link.or(permalink);
    let id = guid_text.or(about).or_else(|| url.clone()).unwrap_or_default();
    let date = e.date(&[(ns, "pubDate"), (DC, "date"), (ATOM, "published"), (ATOM, "updated")]);

    let html = |name_ns: &str, name: &str| {
        el.child(name_ns, name).map(|d| (d, d.raw_text())).filter(|(_, t)| !t.trim().is_empty())
    };
    let description = html(ns, "description");
    let encoded = html(CONTENT, "encoded");
    let body_el = encoded.as_ref().or(description.as_ref()).map(|(d, _)| *d);
    let (summary, body) = match (description, encoded) {
        (Some((_, d)), Some((_, c))) => (Some(plain_text(&d)).filter(|s| !s.is_empty()), Some(Body::Html(c))),
        (Some((_, only)), None) | (None, Some((_, only))) => (None, Some(Body::Html(only))),
        (None, None) => (None, None),
    };
    // Titles are text, but feeds often escape markup or references into them.
    let title = e.text(ns, "title").map(|t| plain_text(&t)).filter(|t| !t.is_empty());
    let title = title_or_made_up(title, summary.as_deref(), body.as_ref(), url.as_deref())
        .ok_or("it has no <title>, no text and no link")?;

    let mut tags = Vec::new();
    for category in el.children(ns, "category").chain(el.children(DC, "subject")) {
        // Drupal writes `<category domain="https://…/taxonomy/term/12">Health</category>`:
        // the text is the tag, the domain only says which vocabulary it is from.
        push_tag(&mut tags, &plain_text(&category.raw_text()));
    }
    let creators: Vec<String> = el.children(DC, "creator").filter_map(Element::text).collect();
    let author = match creators.is_empty() {
        false => Some(creators.join(", ")),
        true => e.text(ns, "author").map(|a| author_name(&a)),
    };

    let mut enclosures = Enclosures { image: e.media_image(), links: Vec::new() };
    for enclosure in el.children(ns, "enclosure") {
        match enclosure.attr("url") {
            Some(raw) => e.enclosure(enclosure, raw, enclosure.attr("type"), None, &mut enclosures),
            None => e.ignore("an <enclosure> has no url".into()),
        }
    }
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
        related_links: enclosures.links,
        contacts: Vec::new(),
        image: enclosures.image,
        base: body_el.map(|b| b.base.to_string()),
    })
}

/// RSS 2.0's `<author>` is an address with the name in parentheses: `press@agency.gov (Press Office)`.
fn author_name(author: &str) -> String {
    match (author.find('('), author.rfind(')')) {
        (Some(open), Some(close)) if open < close && !author[open + 1..close].trim().is_empty() => {
            author[open + 1..close].trim().to_string()
        }
        _ => author.to_string(),
    }
}
