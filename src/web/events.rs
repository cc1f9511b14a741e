//! The `detail` of each DOM event the element dispatches (`release-embed:<name>`), as JS objects.
//! The `filter` event carries the filter state itself ([`js_object::filter_detail`]). Typed for JS
//! users in `js/release-embed.d.ts`. Written field by field with `Reflect`, like the objects read
//! in `js_object`: serde_wasm_bindgen's serializer (its generic code and its table of property
//! names) cost the list view about 6 kB of wasm for these four shapes.
//!
//! [`js_object::filter_detail`]: super::js_object::filter_detail

use wasm_bindgen::JsValue;

use super::js_object::object;

/// `release-embed:load`: the feed (or one more of its pages) is shown.
pub fn load(count: usize, format: &str, pages: usize) -> JsValue {
    object(&[("count", (count as f64).into()), ("format", format.into()), ("pages", (pages as f64).into())])
}

/// `release-embed:open`: a release is shown.
pub fn open(id: &str) -> JsValue {
    object(&[("id", id.into())])
}

/// `release-embed:share`: the reader used a share control.
pub fn share(network: &str) -> JsValue {
    object(&[("network", network.into())])
}

/// `release-embed:error`: the feed could not be shown; the message the reader sees.
pub fn error(message: &str) -> JsValue {
    object(&[("message", message.into())])
}
