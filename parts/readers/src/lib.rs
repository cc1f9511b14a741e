//! The lazily loaded readers part of release-embed: one function, from a feed document in a
//! format other than the native schema to the releases it holds, written with
//! `release_embed::feed::wire` for the list view's wasm to read back. Pure (strings in, a string
//! out), so it shares no memory or state with the list view's wasm.

use release_embed::feed::{read_page, wire, Format};
use wasm_bindgen::prelude::*;

/// Reads `text`, fetched from `url`, as `format` ("" detects it). `total_pages` is WordPress's
/// `X-WP-TotalPages` header (0 when absent), from which the next page's address comes.
#[wasm_bindgen(js_name = readFeed)]
pub fn read_feed(text: &str, format: &str, url: &str, total_pages: u32) -> String {
    let format = Format::from_name(format).flatten();
    wire::encode(&read_page(text, format, url, Some(total_pages).filter(|&n| n > 0)))
}
