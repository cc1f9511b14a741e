//! JSON Feed 1.1 and 1.0 (jsonfeed.org): `items[]` with HTML or text content.

use serde_json::Value;

use super::item::{file_name, title_or_made_up};
use super::reader::{kind, read_entries, Reader};
use super::scan::{cut_off_problem, parse_or_salvage};
use crate::error::{Error, Result};
use crate::model::{Agency, Body, Feed, Image, Link, Release};

pub fn parse_json_feed(text: &str, base: &str) -> Result<Feed> {
    let (doc, broken) =
        parse_or_salvage(super::without_bom(text), "items").map_err(|e| Error::NotJson { detail: e.to_string() })?;
    let not_a_feed = |d: &str| Error::NotAFeed { detail: d.to_string() };
    let mut root = Reader::new("the feed".into(), &doc, base);
    if !root.is_object() {
        return Err(not_a_feed("the document is not a JSON object"));
    }
    let items = match root.field("items") {
        Some(Value::Array(items)) => items,
        Some(other) => return Err(not_a_feed(&format!("its \"items\" is {}, not a list", kind(other)))),
        None => return Err(not_a_feed("it has no \"items\" list")),
    };
    let agency = root.text("title").map(|name| Agency { name, url: root.url("home_page_url") });
    let language = root.text("language");
    let next = root.url("next_url");
    let (releases, mut problems) =
        read_entries(items, "item", base, |item| item.get("id").and_then(id_text), read_item)?;
    problems.append(&mut root.problems);
    if let Some(broken) = &broken {
        problems.push(cut_off_problem(broken, items.len(), "item"));
    }
    let mut feed = Feed { agency, releases, problems, cut_off: broken.is_some(), language, next };
    feed.sort_newest_first();
    Ok(feed)
}

/// JSON Feed ids are strings; some feeds write numbers.
fn id_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn read_item(r: &mut Reader) -> Result<Release, String> {
    if !r.is_object() {
        return Err("it is not a JSON object".into());
    }
    let date = r.date(&["date_published", "date_modified"], &|_, text| super::parse_json_date(text));
    let summary = r.text("summary");
    let body = match (r.text("content_html"), r.text("content_text")) {
        (Some(html), _) => Some(Body::Html(html)),
        (None, Some(text)) => Some(Body::Text(text)),
        (None, None) => None,
    };
    let url = r.url("url").or_else(|| r.url("external_url"));
    let title = title_or_made_up(r.text("title"), summary.as_deref(), body.as_ref(), url.as_deref())
        .ok_or("it has no title, no text and no link")?;
    let id = r.field("id").and_then(id_text).or_else(|| url.clone()).unwrap_or_default();
    let image_url = r.url("image").or_else(|| r.url("banner_image"));
    // 1.1 has `authors`; 1.0 had one `author`.
    let mut authors: Vec<String> = r.each("authors", |a| a.text("name").ok_or_else(|| "it has no name".to_string()));
    if authors.is_empty() {
        if let Some(name) = r.path(&["author", "name"]).and_then(Value::as_str) {
            authors.push(name.trim().to_string());
        }
    }
    let attachments = r.each("attachments", |a| {
        let url = a.url("url").ok_or("it has no usable \"url\"")?;
        let title = a.text("title").unwrap_or_else(|| file_name(&url));
        Ok(Link { title, url })
    });
    Ok(Release {
        id,
        title,
        date,
        url,
        summary,
        body,
        dateline: None,
        agency: None,
        author: Some(authors.join(", ")).filter(|a| !a.is_empty()),
        tags: r.tags("tags"),
        related_links: attachments,
        contacts: Vec::new(),
        image: image_url.map(|url| Image { url, alt: String::new() }),
        base: None,
    })
}
