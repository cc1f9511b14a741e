//! The lazily loaded body part of release-embed: one function, from a release body to the safe
//! HTML the release view shows. Pure (strings in, a string out), so it shares no memory or state
//! with the list view's wasm; the page's script passes the strings between them.

use release_embed::model::Body;
use release_embed::render::{body_html, BodyHtml};
use wasm_bindgen::prelude::*;

/// `text` (Markdown when `markdown`, else HTML) as safe HTML whose top headings take
/// `first_heading`; relative URLs in HTML resolve against `base`, the feed's address.
#[wasm_bindgen(js_name = renderBody)]
pub fn render_body(markdown: bool, text: String, base: &str, first_heading: u8) -> String {
    let body = if markdown { Body::Markdown(text) } else { Body::Html(text) };
    match body_html(&body, base, first_heading) {
        BodyHtml::Ready(html) => html,
        // Not made by body_html, which always has the code it needs.
        BodyHtml::Loading | BodyHtml::Failed => String::new(),
    }
}
