//! release-embed: press releases from a JSON feed, rendered into any web page.
//!
//! The pure core has no browser dependency and is tested with plain `cargo test`. Its layers run
//! one way, each using only those before it: `url`, `text` (HTML and plain text), `model` (the
//! releases), `feed` (the readers), `search`, `render` (the views as HTML strings), `archive`;
//! `error`, `i18n` and `options` sit beside them. The browser side is two modules: `web` (every
//! DOM call) and `exports` (every `#[wasm_bindgen]` item); they compile natively but only do
//! anything in a browser. The native command (`cli/`) uses the same pure core.

pub mod archive;
pub mod error;
pub mod feed;
pub mod i18n;
pub mod model;
pub mod options;
pub mod render;
pub mod search;
pub mod text;
pub mod url;

#[cfg(feature = "widget")]
pub mod exports;
#[cfg(feature = "widget")]
mod web;

pub use error::{Error, Result};
