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

/// The part's answers read field by field: a deserialiser for these types would add more to
/// the list view's wasm than the whole of this (serde_json's took the first load up ~30 kB gzip).
#[cfg(not(feature = "archive-reader"))]
mod from_js {
    use js_sys::{Array, Reflect};
    use wasm_bindgen::{JsCast, JsValue};

    use crate::archive::manifest::{AgencyRef, BodyPiece, Card, ContactRef, LinkRef};
    use crate::archive::reader::{Answer, Head, Listing, Opened};
    use crate::search::Sort;

    fn get(v: &JsValue, key: &str) -> JsValue {
        Reflect::get(v, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    }
    fn text(v: &JsValue, key: &str) -> Option<String> {
        get(v, key).as_string()
    }
    fn number(v: &JsValue, key: &str) -> Option<f64> {
        get(v, key).as_f64()
    }
    fn list<T>(v: &JsValue, key: &str, f: impl Fn(&JsValue) -> Option<T>) -> Vec<T> {
        get(v, key).dyn_into::<Array>().map(|a| a.iter().filter_map(|x| f(&x)).collect()).unwrap_or_default()
    }
    fn numbers(v: &JsValue, key: &str) -> Vec<u32> {
        list(v, key, |x| x.as_f64().map(|n| n as u32))
    }
    fn strings(v: &JsValue, key: &str) -> Vec<String> {
        list(v, key, JsValue::as_string)
    }
    fn link(v: &JsValue) -> Option<LinkRef> {
        Some(LinkRef { title: text(v, "title")?, url: text(v, "url")? })
    }

    fn card(v: &JsValue) -> Option<Card> {
        Some(Card {
            id: text(v, "id")?,
            title: text(v, "title")?,
            date: text(v, "date")?,
            url: text(v, "url"),
            summary: text(v, "summary"),
            excerpt: text(v, "excerpt"),
            agency: text(v, "agency"),
            tags: strings(v, "tags"),
            image: link(&get(v, "image")),
            body: text(v, "body")?,
        })
    }

    pub fn head(v: &JsValue) -> Option<Head> {
        let agency = get(v, "agency");
        Some(Head {
            releases: number(v, "releases")? as u32,
            tags: strings(v, "tags"),
            agencies: strings(v, "agencies"),
            years: list(v, "years", |y| y.as_f64().map(|y| y as i32)),
            agency: text(&agency, "name").map(|name| AgencyRef { name, url: text(&agency, "url") }),
            language: text(v, "language"),
        })
    }

    pub fn listing(v: &JsValue) -> Option<Listing> {
        Some(Listing {
            total: number(v, "total")? as usize,
            page: number(v, "page")? as usize,
            pages: number(v, "pages")? as usize,
            sort: Sort::from_key(&text(v, "sort")?)?,
            ordinals: numbers(v, "ordinals"),
            cards: list(v, "cards", card),
            tag_counts: numbers(v, "tag_counts"),
            agency_counts: numbers(v, "agency_counts"),
            year_counts: numbers(v, "year_counts"),
        })
    }

    pub fn found(v: &JsValue) -> Option<Option<u32>> {
        Some(v.as_f64().map(|n| n as u32))
    }

    pub fn opened(v: &JsValue) -> Option<Opened> {
        let body = get(v, "body");
        Some(Opened {
            card: card(&get(v, "card"))?,
            body: BodyPiece {
                dateline: text(&body, "dateline"),
                author: text(&body, "author"),
                html: text(&body, "html"),
                // Only phrase checks read it, and they run in the part.
                text: None,
                related_links: list(&body, "related_links", link),
                contacts: list(&body, "contacts", |c| {
                    Some(ContactRef { name: text(c, "name"), email: text(c, "email"), phone: text(c, "phone") })
                }),
            },
        })
    }

    /// `{ ready }`, `{ need: [names] }` or `{ failed: { piece, message } }`.
    pub fn answer<T>(v: &JsValue, ready: impl Fn(&JsValue) -> Option<T>) -> Answer<T> {
        let has = |key: &str| Reflect::has(v, &JsValue::from_str(key)).unwrap_or(false);
        if has("need") {
            return Answer::Need(strings(v, "need"));
        }
        let failed = get(v, "failed");
        if let (Some(piece), Some(message)) = (text(&failed, "piece"), text(&failed, "message")) {
            return Answer::Failed { piece, message };
        }
        match has("ready").then(|| ready(&get(v, "ready"))).flatten() {
            Some(value) => Answer::Ready(value),
            None => Answer::Failed { piece: "archive part".into(), message: "its answer could not be read".into() },
        }
    }
}

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
        from_js::head(&self.0.head()).ok_or_else(|| "the archive part's answer could not be read".into())
    }
    pub(super) fn add(&self, name: &str, bytes: &[u8]) {
        self.0.add(name, bytes);
    }
    pub(super) fn forget(&self, name: &str) {
        self.0.forget(name);
    }
    pub(super) fn list(&self, search: &str, key: &str, page_size: usize) -> Answer<Listing> {
        from_js::answer(&self.0.list(search, key, page_size as u32), from_js::listing)
    }
    pub(super) fn find(&self, id: &str, ahead: usize) -> Answer<Option<u32>> {
        from_js::answer(&self.0.find(id, ahead as u32), from_js::found)
    }
    pub(super) fn open_release(&self, ordinal: u32) -> Answer<Opened> {
        from_js::answer(&self.0.open_release(ordinal), from_js::opened)
    }
}

#[cfg(not(feature = "archive-reader"))]
impl Drop for Backend {
    fn drop(&mut self) {
        self.0.free();
    }
}
