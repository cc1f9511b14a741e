//! What the readers of items (JSON Feed, WordPress, RSS, Atom) share: a title for an item that has
//! none, a name for a file linked without one, and the tags worth keeping.

use crate::model::Body;
use crate::text::clean::plain_text;

/// Words of the text that stand in for an item without a title.
const TITLE_WORDS: usize = 12;

/// WordPress's default category, which says nothing about a post (its RSS feeds carry it too).
const UNCATEGORIZED: &str = "Uncategorized";

/// The item's title; without one (JSON Feed allows it, and feeds in the field omit it), the first
/// words of its text; without text, its address. `None` when the item has none of the three.
pub(super) fn title_or_made_up(
    title: Option<String>,
    summary: Option<&str>,
    body: Option<&Body>,
    url: Option<&str>,
) -> Option<String> {
    title.or_else(|| first_words(summary, body)).or_else(|| url.map(title_from_link))
}

fn first_words(summary: Option<&str>, body: Option<&Body>) -> Option<String> {
    let text = match (summary, body) {
        (Some(s), _) => s.to_string(),
        (None, Some(Body::Html(html))) => plain_text(html),
        (None, Some(Body::Text(t) | Body::Markdown(t))) => t.clone(),
        (None, None) => return None,
    };
    let words: Vec<&str> = text.split_whitespace().collect();
    match words.len() {
        0 => None,
        n if n <= TITLE_WORDS => Some(words.join(" ")),
        _ => Some(format!("{}\u{2026}", words[..TITLE_WORDS].join(" "))),
    }
}

/// A title for an item that has only a link: the address without its scheme, which says where
/// the release is.
fn title_from_link(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.trim_end_matches('/').to_string()
}

/// The name of a linked file, for an attachment or enclosure given no title.
pub(super) fn file_name(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    path.rsplit('/').find(|s| !s.is_empty()).unwrap_or(path).to_string()
}

/// Adds a tag once, its spaces collapsed, leaving out WordPress's default category.
pub(super) fn push_tag(tags: &mut Vec<String>, tag: &str) {
    let tag = tag.split_whitespace().collect::<Vec<_>>().join(" ");
    if !tag.is_empty() && tag != UNCATEGORIZED && !tags.contains(&tag) {
        tags.push(tag);
    }
}
