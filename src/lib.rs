//! release-embed: press releases from a JSON feed, rendered into any web page.
//!
//! The pure core (`feed`, `render`, `url`, `options`) has no browser dependency and is tested with
//! plain `cargo test`. The browser side is two modules: `web` (every DOM call) and `exports`
//! (every `#[wasm_bindgen]` item); they compile natively but only do anything in a browser.

pub mod archive;
pub mod error;
pub mod feed;
pub mod i18n;
pub mod options;
pub mod render;
pub mod search;
pub mod url;

#[cfg(feature = "widget")]
pub mod exports;
#[cfg(feature = "widget")]
mod web;

pub use error::{Error, Result};
