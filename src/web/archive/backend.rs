//! The archive's reader behind one interface, wherever it runs: in the archive part's worker
//! (the release build; `js/archive-client.js`), which fetches the pieces a view needs and answers
//! once the view is complete, in plain JS objects read here field by field; or in this wasm (the
//! `archive-reader` feature, for tests and builds without parts), fetching here the same way.

use crate::error::Error;
use crate::web::fetch::Limits;

/// A view's complete answer.
pub(super) enum Reply<T> {
    Ready(T),
    Failed(Error),
    /// A later list was asked for before this one was complete: only that one is answered (the
    /// worker's engine; this wasm's reader answers each in turn).
    #[cfg_attr(feature = "archive-reader", allow(dead_code))]
    Superseded,
}

#[cfg(feature = "archive-reader")]
pub(super) use here::Backend;
#[cfg(not(feature = "archive-reader"))]
pub(super) use part::Backend;

/// The archive's reader in this wasm, fetching the pieces each view names one round at a time.
#[cfg(feature = "archive-reader")]
mod here {
    use std::cell::RefCell;

    use web_sys::AbortController;

    use super::{Limits, Reply};
    use crate::archive::held::Held;
    use crate::archive::reader::{Answer, Head, Listing, Opened, Reader, HELD_BYTES};
    use crate::error::{Error, Result};
    use crate::web::cache;
    use crate::web::fetch::fetch_bytes;

    /// The most rounds of fetching one view may take (a view takes a few: cards, words, blocks).
    const ASK_ROUNDS: usize = 64;

    fn piece_url(base: &str, name: &str) -> String {
        crate::url::resolve(base, &format!("p/{name}"))
    }

    thread_local! {
        /// Pieces fetched on this page, by address, for every widget on it.
        static PIECES: RefCell<Held<String>> = RefCell::new(Held::new(HELD_BYTES));
    }

    pub struct Backend {
        reader: RefCell<Reader>,
        base: String,
        limits: Limits,
        abort: AbortController,
    }

    impl Backend {
        pub async fn open(manifest: &str, base: &str, limits: Limits, abort: &AbortController) -> Result<Backend> {
            let reader = Reader::open(manifest).map_err(|detail| Error::NotAFeed { detail })?;
            Ok(Backend { reader: RefCell::new(reader), base: base.to_string(), limits, abort: abort.clone() })
        }

        pub fn head(&self) -> Result<Head, String> {
            Ok(self.reader.borrow().head())
        }

        pub async fn list(&self, search: &str, key: &str, page_size: usize) -> Reply<Listing> {
            self.answer(|r| r.list(search, key, page_size)).await
        }

        pub async fn find(&self, id: &str, ahead: usize) -> Reply<Option<u32>> {
            self.answer(|r| r.find(id, ahead)).await
        }

        pub async fn open_release(&self, ordinal: u32) -> Reply<Opened> {
            self.answer(|r| r.open_release(ordinal)).await
        }

        /// Asks until the view is complete; no borrow of the reader is held across a fetch.
        async fn answer<T>(&self, ask: impl Fn(&mut Reader) -> Answer<T>) -> Reply<T> {
            for _ in 0..ASK_ROUNDS {
                let answer = ask(&mut self.reader.borrow_mut());
                match answer {
                    Answer::Ready(value) => return Reply::Ready(value),
                    Answer::Failed { piece, message } => {
                        // A damaged piece is dropped everywhere, so Try again fetches it anew.
                        let url = piece_url(&self.base, &piece);
                        self.reader.borrow_mut().forget(&piece);
                        PIECES.with(|p| p.borrow_mut().remove(&url));
                        cache::pieces::forget(&url);
                        return Reply::Failed(Error::Archive { detail: format!("piece {url}: {message}") });
                    }
                    Answer::Need(names) => {
                        // One at a time: this build serves tests, the release build's worker
                        // fetches a round's pieces at once.
                        for name in names {
                            match self.piece(&name).await {
                                Ok(bytes) => self.reader.borrow_mut().add(&name, &bytes),
                                Err(e) => return Reply::Failed(e),
                            }
                        }
                    }
                }
            }
            let detail = format!("a view still needed pieces after {ASK_ROUNDS} rounds of fetching them");
            Reply::Failed(Error::Archive { detail })
        }

        async fn piece(&self, name: &str) -> Result<std::sync::Arc<[u8]>> {
            let url = piece_url(&self.base, name);
            if let Some(bytes) = PIECES.with(|p| p.borrow_mut().get(&url)) {
                return Ok(bytes);
            }
            let bytes: std::sync::Arc<[u8]> = match fetch_bytes(&url, self.limits, &self.abort, None).await {
                Ok(raw) if raw.over_limit => return Err(Error::TooLarge { url, limit: self.limits.max_bytes }),
                Ok(raw) => {
                    cache::pieces::keep(&url, &raw.bytes);
                    raw.bytes.into()
                }
                // Offline: the copy kept when this piece was last seen, if there is one.
                Err(e) => cache::pieces::load(&url).ok_or(e)?.into(),
            };
            PIECES.with(|p| p.borrow_mut().insert(url, bytes.clone()));
            Ok(bytes)
        }
    }
}

/// The archive's reader in the archive part (`parts/archive`), run by `js/archive-client.js`:
/// each view's answer is a promise of a plain JS object.
#[cfg(not(feature = "archive-reader"))]
mod part {
    use js_sys::{Array, Promise, Reflect};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen_futures::JsFuture;
    use web_sys::AbortController;

    use super::{Limits, Reply};
    use crate::archive::plain::{self, Plain};
    use crate::archive::reader::{Head, Listing, Opened};
    use crate::error::{Error, Result};

    #[wasm_bindgen]
    extern "C" {
        /// The started archive part (`js/archive-client.js`).
        pub type ArchivePart;
        #[wasm_bindgen(method, js_name = open)]
        fn open_archive(this: &ArchivePart, manifest: &str, base: &str, timeout_ms: u32, max_bytes: f64) -> Promise;

        /// One widget's reader in it.
        #[derive(Clone)]
        pub type PartReader;
        #[wasm_bindgen(method, getter)]
        fn head(this: &PartReader) -> JsValue;
        #[wasm_bindgen(method)]
        fn list(this: &PartReader, search: &str, key: &str, page_size: u32) -> Promise;
        #[wasm_bindgen(method)]
        fn find(this: &PartReader, id: &str, ahead: u32) -> Promise;
        #[wasm_bindgen(method)]
        fn release(this: &PartReader, ordinal: u32) -> Promise;
        #[wasm_bindgen(method)]
        fn close(this: &PartReader);
    }

    /// A JS value; `undefined` and `null` are nothing.
    struct Js(JsValue);

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

    pub struct Backend {
        reader: PartReader,
        limits: Limits,
        /// A new load, or the widget's removal, stops the part's fetches for this reader.
        _closing: gloo_events::EventListener,
    }

    impl Drop for Backend {
        fn drop(&mut self) {
            self.reader.close();
        }
    }

    impl Backend {
        pub async fn open(manifest: &str, base: &str, limits: Limits, abort: &AbortController) -> Result<Backend> {
            let unavailable = |e: JsValue| Error::Network {
                url: "the archive part".into(),
                detail: crate::web::page::browser(e).to_string(),
            };
            crate::web::cache::pieces::clear();
            let loader =
                crate::web::parts::loader().ok_or_else(|| Error::Browser { detail: "no part loader".into() })?;
            let part = JsFuture::from(loader.load("archive")).await.map_err(unavailable)?;
            let part: ArchivePart = part.unchecked_into();
            let timeout = crate::options::timeout_millis(limits.timeout_secs);
            let opened = part.open_archive(manifest, base, timeout, limits.max_bytes as f64);
            // The part throws Manifest::from_json's sentence (a newer version, not an archive).
            let reader = JsFuture::from(opened).await.map_err(|e| match crate::web::page::browser(e) {
                Error::Browser { detail } => Error::NotAFeed { detail },
                other => other,
            })?;
            let reader: PartReader = reader.unchecked_into();
            let closing = {
                let reader = reader.clone();
                gloo_events::EventListener::once(&abort.signal(), "abort", move |_| reader.close())
            };
            Ok(Backend { reader, limits, _closing: closing })
        }

        pub fn head(&self) -> Result<Head, String> {
            plain::head(&Js(self.reader.head())).ok_or_else(|| "the archive part's answer could not be read".into())
        }

        pub async fn list(&self, search: &str, key: &str, page_size: usize) -> Reply<Listing> {
            self.reply(self.reader.list(search, key, page_size as u32), plain::listing).await
        }

        pub async fn find(&self, id: &str, ahead: usize) -> Reply<Option<u32>> {
            self.reply(self.reader.find(id, ahead as u32), plain::found).await
        }

        pub async fn open_release(&self, ordinal: u32) -> Reply<Opened> {
            self.reply(self.reader.release(ordinal), plain::opened).await
        }

        /// `{ ready }`, `{ failed }` or `{ superseded }`.
        async fn reply<T>(&self, asked: Promise, ready: impl Fn(&Js) -> Option<T>) -> Reply<T> {
            let answer = match JsFuture::from(asked).await {
                Ok(answer) => Js(answer),
                Err(e) => return Reply::Failed(crate::web::page::browser(e)),
            };
            if answer.has("superseded") {
                return Reply::Superseded;
            }
            if answer.has("failed") {
                return Reply::Failed(plain::failure(
                    &answer.field("failed"),
                    self.limits.timeout_secs,
                    self.limits.max_bytes,
                ));
            }
            match answer.has("ready").then(|| ready(&answer.field("ready"))).flatten() {
                Some(value) => Reply::Ready(value),
                None => Reply::Failed(Error::Archive { detail: "the archive part's answer could not be read".into() }),
            }
        }
    }
}
