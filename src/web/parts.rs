//! Code the list view fetches when a view needs it: the body chunk (Markdown and the HTML cleaner,
//! `chunks::render_body`), asked for when a release is opened and fetched ahead when the browser
//! is idle after the list shows; here we remember whether it is there and redraw the widgets that
//! waited. The script's loader (`js/parts.js`) also starts the archive part, a wasm of its own.
//! Without the `split` feature (native tests, the wasm DOM tests) bodies render at once.

use std::cell::RefCell;
use std::rc::Weak;

use wasm_bindgen::prelude::*;

use super::Inner;
use crate::model::Body;
use crate::render::BodyHtml;

#[wasm_bindgen]
extern "C" {
    /// The script's part loader (`js/parts.js`): `load(name)` resolves with the started part and
    /// `prefetch(name)` fetches a part's or a chunk's files when the browser is idle.
    #[derive(Clone)]
    pub type Loader;
    #[wasm_bindgen(method)]
    pub(super) fn load(this: &Loader, name: &str) -> js_sys::Promise;
    #[wasm_bindgen(method)]
    fn prefetch(this: &Loader, name: &str);
}

/// Where the body chunk is: not asked for, on its way, there, or failed (until the reader tries
/// again).
enum State {
    Absent,
    Loading,
    Ready,
    Failed,
}

struct Slot {
    state: State,
    /// Widgets showing a view that waits for the chunk.
    waiting: Vec<Weak<RefCell<Inner>>>,
}

impl Slot {
    /// `widget` waits for the chunk; true when it is to be fetched now. The state leaves `Absent`
    /// for `Loading` only when a fetch starts, so it never stays `Loading` for ever.
    fn ask(&mut self, widget: &Weak<RefCell<Inner>>) -> bool {
        if matches!(self.state, State::Ready) {
            return false;
        }
        if !self.waiting.iter().any(|w| w.ptr_eq(widget)) {
            self.waiting.push(widget.clone());
        }
        match self.state {
            State::Absent => {
                self.state = State::Loading;
                true
            }
            _ => false,
        }
    }
}

thread_local! {
    static LOADER: RefCell<Option<Loader>> = const { RefCell::new(None) };
    static BODY: RefCell<Slot> = const { RefCell::new(Slot { state: State::Absent, waiting: Vec::new() }) };
}

/// Called once by the script after the wasm starts.
pub fn use_loader(loader: Loader) {
    LOADER.with(|l| *l.borrow_mut() = Some(loader));
}

pub(super) fn loader() -> Option<Loader> {
    LOADER.with(|l| l.borrow().clone())
}

/// A Markdown or HTML body as HTML, if the body chunk is there.
pub(super) fn body_html(body: &Body, base: &str, first_heading: u8) -> BodyHtml {
    if !cfg!(feature = "split") {
        return super::chunks::body_html_now(body, base, first_heading);
    }
    let not_yet = BODY.with(|slot| match slot.borrow().state {
        State::Ready => None,
        State::Failed => Some(BodyHtml::Failed),
        State::Absent | State::Loading => Some(BodyHtml::Loading),
    });
    not_yet.unwrap_or_else(|| super::chunks::body_html_now(body, base, first_heading))
}

/// Asks for the body chunk for `widget`, which shows a view waiting for it; the widget's
/// [`Inner::part_arrived`] runs when it comes (or fails). Nothing happens when it is there.
pub(super) fn need_body(widget: &Weak<RefCell<Inner>>) {
    if !cfg!(feature = "split") || !BODY.with(|slot| slot.borrow_mut().ask(widget)) {
        return;
    }
    // Started from a task, so no widget is borrowed while the chunk loads.
    wasm_bindgen_futures::spawn_local(async move {
        let arrived = super::chunks::load_body().await;
        let waiting = BODY.with(|slot| {
            let mut slot = slot.borrow_mut();
            slot.state = if arrived { State::Ready } else { State::Failed };
            std::mem::take(&mut slot.waiting)
        });
        if !arrived {
            super::page::error("release-embed: the body part could not be loaded (the error above says why)");
        }
        for widget in waiting {
            super::with(&widget, Inner::part_arrived);
        }
    });
}

/// Starts the part `name` now without waiting for it, so that it loads beside other work (the
/// script's loader keeps it, and forgets a failure for the next ask). The release build's only
/// part is the archive reader; with the reader in this wasm there is nothing to start.
pub(super) fn start(name: &str) {
    if cfg!(not(feature = "archive-reader")) {
        if let Some(loader) = loader() {
            let _ = loader.load(name);
        }
    }
}

/// The reader pressed Try again on a body that could not be loaded.
pub(super) fn retry_body(widget: &Weak<RefCell<Inner>>) {
    BODY.with(|slot| {
        let mut slot = slot.borrow_mut();
        if matches!(slot.state, State::Failed) {
            slot.state = State::Absent;
        }
    });
    need_body(widget);
}

/// Fetches the chunk `name`'s files when the browser is idle (once; the split point's first call
/// takes them, or fetches them itself if they are not there yet).
pub(super) fn prefetch_chunk(name: &str) {
    if let Some(loader) = loader().filter(|_| cfg!(feature = "split")) {
        loader.prefetch(name);
    }
}

/// The list is on screen: fetch the body chunk's files when the browser is idle, so that opening
/// a release does not wait for them.
pub(super) fn prefetch_body() {
    let absent = BODY.with(|slot| matches!(slot.borrow().state, State::Absent));
    if let Some(loader) = loader().filter(|_| absent && cfg!(feature = "split")) {
        loader.prefetch("body");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_chunk_is_fetched_once_and_again_only_after_a_failure() {
        let weak: Weak<RefCell<Inner>> = Weak::new();
        let mut slot = Slot { state: State::Absent, waiting: Vec::new() };
        assert!(slot.ask(&weak), "the first view that needs it starts the fetch");
        assert!(matches!(slot.state, State::Loading));
        assert!(!slot.ask(&weak), "a second ask waits for the same fetch");
        assert_eq!(slot.waiting.len(), 1, "a widget waits once");
        slot.state = State::Failed;
        assert!(!slot.ask(&weak), "a failed chunk is fetched again only by Try again (retry_body)");
        slot.state = State::Ready;
        slot.waiting.clear();
        assert!(!slot.ask(&weak));
        assert!(slot.waiting.is_empty(), "nothing waits for a chunk that is there");
    }
}
