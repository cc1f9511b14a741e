//! Loading the feed (or the archive) into a widget: the load in flight, the pages after the
//! first, the search index that follows, and what the page hears of it (the `load` event).

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use wasm_bindgen_futures::spawn_local;
use web_sys::AbortController;

use super::{chunks, controls, events, fetch, library, page, parts, with, Inner, LoadState, Route};
use crate::error::{Error, Result};
use crate::options::Config;
use crate::search::Index;
use library::Library;

impl Inner {
    pub(super) fn start_load(&mut self, weak: Weak<RefCell<Inner>>) {
        let Ok(Config { src, timeout_secs, format, pages, max_bytes, .. }) = &self.config else {
            return self.show(false);
        };
        let limits = fetch::Limits { timeout_secs: *timeout_secs, max_bytes: *max_bytes };
        let (src, format, max_pages) = (src.clone(), *format, *pages);
        if let Some(old) = self.abort.take() {
            old.abort();
        }
        let Ok(abort) = AbortController::new() else {
            self.load = LoadState::Failed(Error::Browser { detail: "AbortController unavailable".into() });
            return self.show(false);
        };
        self.feed_url = page::absolute(&src, &page::document_base()).unwrap_or(src);
        self.abort = Some(abort.clone());
        self.load = LoadState::Loading;
        self.kept_first = false;
        self.index = None;
        self.search_failed = false;
        self.show(false);
        let url = self.feed_url.clone();
        let inline = self.config.as_ref().ok().and_then(|c| c.feed_text.clone());
        // Taken now, while the script that started it waits for this call to return.
        let early = inline.is_none().then(|| fetch::Early::take(&url)).flatten();
        spawn_local(async move {
            let result = match inline {
                Some(text) => library::read(&fetch::Fetched::whole(text), &url, format, &abort).await,
                None => library::load(&url, limits, format, &abort, early).await,
            };
            // A newer load (or the widget's removal) aborted this one: its result is not wanted.
            if abort.signal().aborted() {
                return;
            }
            let mut library = match result {
                Ok(library) => Rc::new(library),
                Err(e) => return with(&weak, move |inner| inner.loaded(Err(e))),
            };
            let shown = library.clone();
            with(&weak, move |inner| inner.loaded(Ok(shown)));
            let index = library::build_index(&library, &abort).await;
            // From here on, a newer load may have started while this one awaited: then stop.
            let current = || !abort.signal().aborted();
            if !current() {
                return;
            }
            let index = match index {
                Ok(index) => index,
                Err(e) => return with(&weak, move |inner| inner.search_unavailable(e)),
            };
            let mut indexed = index.clone();
            with(&weak, move |inner| inner.indexed(index));
            loop {
                // A paged feed: read the next page, up to the `pages` limit, then show it all.
                let next = library.feed.next.clone().filter(|_| library.pages < max_pages);
                let Some(next) = next else { return };
                // Adding a page is the paging chunk's code: fetched beside the page, when idle.
                parts::prefetch_chunk("paging");
                let added = match library::load_page(&next, limits, library.format, &abort).await {
                    Ok(page) => chunks::add_page(&library, page).await,
                    Err(e) => Err(e),
                };
                match added {
                    Ok((bigger, kept)) => {
                        // The new library and its index are swapped in together, so search keeps
                        // working on the old pages meanwhile.
                        let bigger = Rc::new(bigger);
                        let Ok(index) = library::index_page(&bigger, &indexed, kept, &abort).await else { return };
                        indexed = index.clone();
                        if !current() {
                            return;
                        }
                        library = bigger;
                        let shown = library.clone();
                        with(&weak, move |inner| inner.added_page(shown, index));
                    }
                    Err(e) if !abort.signal().aborted() => {
                        return page::warn(&format!("release-embed: page {} of the feed: {e}", library.pages + 1));
                    }
                    Err(_) => return,
                }
            }
        });
    }

    pub(super) fn loaded(&mut self, result: Result<Rc<Library>>) {
        self.load = match result {
            Ok(library) => {
                for problem in &library.feed.problems {
                    page::warn(&problem.to_string());
                }
                if let Some(limit) = library.over_limit {
                    page::warn(&format!(
                        "release-embed: {} is longer than max-bytes ({limit} bytes); only its beginning was read",
                        self.feed_url
                    ));
                }
                self.announce_load(&library);
                LoadState::Loaded(library)
            }
            Err(e) => {
                page::error(&format!("release-embed: {e}"));
                page::emit(&self.host, "error", &events::error(&e.reader_message_in(self.labels)));
                LoadState::Failed(e)
            }
        };
        self.show(false);
    }

    pub(super) fn announce_load(&self, library: &Library) {
        let detail = events::load(library.release_count(), library.format_name(), library.pages);
        page::emit(&self.host, "load", &detail);
    }

    /// Shows a feed that gained a page, with its new index. A search being typed keeps its box,
    /// text and caret.
    pub(super) fn added_page(&mut self, library: Rc<Library>, index: Index) {
        for problem in library.feed.problems.iter().skip(self.problem_count()) {
            page::warn(&problem.to_string());
        }
        self.announce_load(&library);
        self.load = LoadState::Loaded(library);
        self.index = Some(index);
        let typing = controls::search_has_focus(&self.host);
        self.show(false);
        if typing {
            controls::focus_search_end(&self.content);
        }
    }

    pub(super) fn problem_count(&self) -> usize {
        match &self.load {
            LoadState::Loaded(library) => library.feed.problems.len(),
            _ => 0,
        }
    }

    /// The search could not get ready: the list stays, and the search box says why, with Try again
    /// (which loads the feed again).
    pub(super) fn search_unavailable(&mut self, e: Error) {
        page::error(&format!("release-embed: search: {e}"));
        self.search_failed = true;
        self.show(false);
    }

    pub(super) fn indexed(&mut self, index: Index) {
        self.index = Some(index);
        // A list shown before the wasm stays until the search is ready too (see `first`).
        if self.preview.is_some() {
            return self.show(false);
        }
        controls::enable_search(&self.content);
        self.keep_first(None, self.route().as_ref());
        if matches!(self.route(), Some(Route::List(state)) if !state.query.trim().is_empty()) {
            self.refresh(false);
        }
    }
}
