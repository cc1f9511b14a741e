//! The archive's reader behind one interface, wherever it runs: in this wasm (the
//! `archive-reader` feature, for tests and builds without parts), or in the lazily loaded archive
//! part (`parts/archive`, the release build), whose answers are plain JS objects read here field
//! by field.

#[cfg(feature = "archive-reader")]
use std::cell::RefCell;

use crate::archive::reader::{Answer, Head, Listing, Opened};
use crate::error::{Error, Result};

/// The archive's reader, in this wasm.
#[cfg(feature = "archive-reader")]
pub(super) struct Backend(RefCell<crate::archive::reader::Reader>);

#[cfg(feature = "archive-reader")]
impl Backend {
    pub(super) async fn open(manifest: &str) -> Result<Backend> {
        let reader = crate::archive::reader::Reader::open(manifest).map_err(|detail| Error::NotAFeed { detail })?;
        Ok(Backend(RefCell::new(reader)))
    }
    pub(super) fn head(&self) -> Result<Head, String> {
        Ok(self.0.borrow().head())
    }
    pub(super) fn add(&self, name: &str, bytes: &[u8]) {
        self.0.borrow_mut().add(name, bytes);
    }
    pub(super) fn forget(&self, name: &str) {
        self.0.borrow_mut().forget(name);
    }
    pub(super) fn list(&self, search: &str, key: &str, page_size: usize) -> Answer<Listing> {
        self.0.borrow_mut().list(search, key, page_size)
    }
    pub(super) fn find(&self, id: &str, ahead: usize) -> Answer<Option<u32>> {
        self.0.borrow_mut().find(id, ahead)
    }
    pub(super) fn open_release(&self, ordinal: u32) -> Answer<Opened> {
        self.0.borrow_mut().open_release(ordinal)
    }
}

/// The archive's reader in the archive part (`parts/archive`), which answers in plain JS objects.
#[cfg(not(feature = "archive-reader"))]
mod part {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    extern "C" {
        /// The archive part's exports.
        pub type ArchivePart;
        #[wasm_bindgen(method, catch, js_name = openArchive)]
        pub fn open_archive(this: &ArchivePart, manifest: &str) -> Result<ArchiveReader, JsValue>;

        pub type ArchiveReader;
        #[wasm_bindgen(method)]
        pub fn head(this: &ArchiveReader) -> JsValue;
        #[wasm_bindgen(method)]
        pub fn add(this: &ArchiveReader, name: &str, bytes: &[u8]);
        #[wasm_bindgen(method)]
        pub fn forget(this: &ArchiveReader, name: &str);
        #[wasm_bindgen(method)]
        pub fn list(this: &ArchiveReader, search: &str, key: &str, page_size: u32) -> JsValue;
        #[wasm_bindgen(method)]
        pub fn find(this: &ArchiveReader, id: &str, ahead: u32) -> JsValue;
        #[wasm_bindgen(method, js_name = open)]
        pub fn open_release(this: &ArchiveReader, ordinal: u32) -> JsValue;
        #[wasm_bindgen(method)]
        pub fn free(this: &ArchiveReader);
    }
}

/// The part's answers are plain JS objects, read by the same decoder the native tests check
/// against the reader's own answers written as JSON (`archive::plain`).
#[cfg(not(feature = "archive-reader"))]
mod from_js {
    use js_sys::{Array, Reflect};
    use wasm_bindgen::{JsCast, JsValue};

    use crate::archive::plain::Plain;

    /// A JS value; `undefined` and `null` are nothing.
    pub struct Js(pub JsValue);

    impl Plain for Js {
        fn field(&self, key: &str) -> Self {
            Js(Reflect::get(&self.0, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED))
        }
        fn has(&self, key: &str) -> bool {
            self.0.is_object() && Reflect::has(&self.0, &JsValue::from_str(key)).unwrap_or(false)
        }
        fn text(&self) -> Option<String> {
            self.0.as_string()
        }
        fn number(&self) -> Option<f64> {
            self.0.as_f64()
        }
        fn items(&self) -> Vec<Self> {
            self.0.dyn_ref::<Array>().map(|a| a.iter().map(Js).collect()).unwrap_or_default()
        }
    }
}

#[cfg(not(feature = "archive-reader"))]
use crate::archive::plain;

#[cfg(not(feature = "archive-reader"))]
pub(super) struct Backend(part::ArchiveReader);

#[cfg(not(feature = "archive-reader"))]
impl Backend {
    pub(super) async fn open(manifest: &str) -> Result<Backend> {
        use wasm_bindgen::JsCast;
        let unavailable = |e: wasm_bindgen::JsValue| Error::Network {
            url: "the archive part".into(),
            detail: crate::web::page::browser(e).to_string(),
        };
        let loader = crate::web::parts::loader().ok_or_else(|| Error::Browser { detail: "no part loader".into() })?;
        let part = wasm_bindgen_futures::JsFuture::from(loader.load("archive")).await.map_err(unavailable)?;
        let part: part::ArchivePart = part.unchecked_into();
        // The part throws Manifest::from_json's sentence (a newer version, not an archive).
        let reader = part.open_archive(manifest).map_err(|e| match crate::web::page::browser(e) {
            Error::Browser { detail } => Error::NotAFeed { detail },
            other => other,
        })?;
        Ok(Backend(reader))
    }
    pub(super) fn head(&self) -> Result<Head, String> {
        plain::head(&from_js::Js(self.0.head())).ok_or_else(|| "the archive part's answer could not be read".into())
    }
    pub(super) fn add(&self, name: &str, bytes: &[u8]) {
        self.0.add(name, bytes);
    }
    pub(super) fn forget(&self, name: &str) {
        self.0.forget(name);
    }
    pub(super) fn list(&self, search: &str, key: &str, page_size: usize) -> Answer<Listing> {
        plain::answer(&from_js::Js(self.0.list(search, key, page_size as u32)), plain::listing)
    }
    pub(super) fn find(&self, id: &str, ahead: usize) -> Answer<Option<u32>> {
        plain::answer(&from_js::Js(self.0.find(id, ahead as u32)), plain::found)
    }
    pub(super) fn open_release(&self, ordinal: u32) -> Answer<Opened> {
        plain::answer(&from_js::Js(self.0.open_release(ordinal)), plain::opened)
    }
}

#[cfg(not(feature = "archive-reader"))]
impl Drop for Backend {
    fn drop(&mut self) {
        self.0.free();
    }
}
