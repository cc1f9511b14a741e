//! The lazily loaded archive part of release-embed: an archive's reader (`release_embed::archive::
//! reader`) behind a small JS interface. It runs in a dedicated worker (`js/archive-worker.js`),
//! whose engine fetches the pieces each view names and adds them here, and answers each view as a
//! plain JS object, which the list view reads field by field (no deserialiser for these types in
//! the first download); it shares no memory with the list view's wasm.

use release_embed::archive::reader::Reader;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(js_name = ArchiveReader)]
pub struct JsReader(Reader);

/// Reads `archive.json`; throws an Error with the sentence the reader should see (a newer
/// major version, not an archive, inconsistent).
#[wasm_bindgen(js_name = openArchive)]
pub fn open_archive(manifest: &str) -> Result<JsReader, JsError> {
    Reader::open(manifest).map(JsReader).map_err(|e| JsError::new(&e))
}

fn js<T: serde::Serialize>(value: &T) -> JsValue {
    // The answers are plain data (strings, numbers, lists): serialising them cannot fail.
    serde_wasm_bindgen::to_value(value).unwrap_or(JsValue::UNDEFINED)
}

#[wasm_bindgen(js_class = ArchiveReader)]
impl JsReader {
    /// The facets' values and the release count, (`reader::Head`).
    pub fn head(&self) -> JsValue {
        js(&self.0.head())
    }

    pub fn add(&mut self, name: &str, bytes: &[u8]) {
        self.0.add(name, bytes);
    }

    pub fn forget(&mut self, name: &str) {
        self.0.forget(name);
    }

    /// `reader::Answer<Listing>`.
    pub fn list(&mut self, search: &str, key: &str, page_size: u32) -> JsValue {
        js(&self.0.list(search, key, page_size as usize))
    }

    /// `reader::Answer<Option<u32>>`.
    pub fn find(&mut self, id: &str, ahead: u32) -> JsValue {
        js(&self.0.find(id, ahead as usize))
    }

    /// `reader::Answer<usize>`: the words tables' roots and pages, fetched ahead.
    pub fn prefetch(&mut self) -> JsValue {
        js(&self.0.prefetch())
    }

    /// `reader::Answer<Opened>`.
    pub fn open(&mut self, ordinal: u32) -> JsValue {
        js(&self.0.open_release(ordinal))
    }
}
