//! The WordPress REST API v2 posts endpoint (`/wp-json/wp/v2/posts`, with or without `_embed`):
//! a list of posts whose title, excerpt and content are HTML with character references.

use serde_json::Value;

use super::item::{push_tag, title_or_made_up};
use super::reader::{read_entries, Reader};
use super::scan::{cut_off_problem, parse_or_salvage};
use crate::error::{Error, Result};
use crate::model::{Body, Date, Feed, Image, Release};
use crate::text::clean::plain_text;
use crate::text::entities::decode;

pub fn parse_wordpress(text: &str, base: &str) -> Result<Feed> {
    let (doc, broken) =
        parse_or_salvage(super::without_bom(text), "").map_err(|e| Error::NotJson { detail: e.to_string() })?;
    let Value::Array(posts) = &doc else {
        let detail = match doc.get("code").and_then(Value::as_str) {
            // The REST API reports its own errors as an object with a code and a message.
            Some(code) => format!("WordPress answered with an error ({code})"),
            None => "it is not a list of WordPress posts".to_string(),
        };
        return Err(Error::NotAFeed { detail });
    };
    let slug = |post: &Value| post.get("slug").and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_string);
    let (releases, mut problems) = read_entries(posts, "post", base, slug, read_post)?;
    if let Some(broken) = &broken {
        problems.push(cut_off_problem(broken, posts.len(), "post"));
    }
    let mut feed = Feed { agency: None, releases, problems, cut_off: broken.is_some(), language: None, next: None };
    feed.sort_newest_first();
    Ok(feed)
}

/// The address of the page after `url` when the API said there are `total_pages`
/// (`X-WP-TotalPages`): the same query with `page` one higher.
pub fn next_page(url: &str, total_pages: u32) -> Option<String> {
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let page: u32 = crate::url::query_param(query, "page").and_then(|p| p.parse().ok()).unwrap_or(1);
    (page < total_pages)
        .then(|| format!("{path}{}", crate::url::with_param(query, "page", Some(&(page + 1).to_string()))))
}

fn read_post(r: &mut Reader) -> Result<Release, String> {
    if !r.is_object() {
        return Err("it is not a JSON object".into());
    }
    let url = r.field("link").and_then(Value::as_str).map(str::to_string);
    let url = url.and_then(|u| r.check_url("link", &u));
    let id = match (r.field("slug").and_then(Value::as_str), r.field("id")) {
        (Some(slug), _) if !slug.is_empty() => slug.to_string(),
        (_, Some(Value::Number(n))) => n.to_string(),
        // Known by its place (read_entries) when it has no link either.
        _ => url.clone().unwrap_or_default(),
    };
    // `date_gmt` is UTC without an offset; `date` is the site's local time; then the times of
    // the last change.
    let date = r.date(&["date_gmt", "date", "modified_gmt", "modified"], &|key, text| {
        let utc = Some(format!("{text}Z")).filter(|_| key.ends_with("_gmt")).and_then(|t| Date::parse(&t).ok());
        utc.map_or_else(|| super::parse_json_date(text), Ok)
    });
    let rendered = |r: &Reader, key: &str| r.path(&[key, "rendered"]).and_then(Value::as_str).map(str::to_string);
    // Password-protected posts publish their title only.
    let protected = r.path(&["content", "protected"]).and_then(Value::as_bool).unwrap_or(false);
    let summary = rendered(r, "excerpt").filter(|_| !protected).map(|h| plain_text(&h)).filter(|s| !s.is_empty());
    let body = rendered(r, "content").filter(|h| !protected && !h.trim().is_empty()).map(Body::Html);
    let title = rendered(r, "title").map(|h| plain_text(&h)).filter(|t| !t.is_empty());
    let title = title_or_made_up(title, summary.as_deref(), body.as_ref(), url.as_deref())
        .ok_or("it has no title, no text and no link")?;
    Ok(Release {
        id,
        title,
        date,
        url,
        summary,
        body,
        dateline: None,
        agency: None,
        author: r.path(&["_embedded", "author"]).and_then(|a| a.get(0)?.get("name")?.as_str()).map(decode),
        tags: terms(r),
        related_links: Vec::new(),
        contacts: Vec::new(),
        image: featured_image(r),
        base: None,
    })
}

/// Category and tag names from `_embedded["wp:term"]` (a list of lists of terms).
fn terms(r: &Reader) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let groups = r.path(&["_embedded", "wp:term"]).and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    for term in groups.iter().filter_map(Value::as_array).flatten() {
        let Some(name) = term.get("name").and_then(Value::as_str).map(|n| decode(n.trim())) else { continue };
        push_tag(&mut names, &name);
    }
    names
}

fn featured_image(r: &mut Reader) -> Option<Image> {
    let media = r.path(&["_embedded", "wp:featuredmedia"])?.get(0)?;
    let url = media.get("source_url")?.as_str()?.to_string();
    let url = r.check_url("wp:featuredmedia", &url)?;
    let alt = media.get("alt_text").and_then(Value::as_str).map(|a| decode(a.trim())).unwrap_or_default();
    Some(Image { url, alt })
}
