//! Lazily loaded wasm parts, seen from the list view's wasm. The release build leaves code that
//! only some views need out of the first download: release bodies (Markdown and the HTML cleaner)
//! come from the body part (`parts/body`). The page's script fetches a part, checks its integrity
//! and starts it (`js/parts.js`); here we ask for it when a view needs it, remember when it is
//! there, and redraw the widgets that waited. With the `bodies` feature (native tests, the wasm DOM
//! tests) the body part is this crate itself and nothing is fetched.

use std::cell::RefCell;
use std::rc::Weak;

use wasm_bindgen::prelude::*;

use super::Inner;
use crate::model::Body;
use crate::render::BodyHtml;

#[wasm_bindgen]
extern "C" {
    /// The script's part loader (`js/parts.js`): `load(name)` resolves with the started part,
    /// `ready(name)` gives it if it is there already, `prefetch(name)` loads it when the browser is
    /// idle.
    #[derive(Clone)]
    pub type Loader;
    #[wasm_bindgen(method)]
    pub(super) fn load(this: &Loader, name: &str) -> js_sys::Promise;
    #[wasm_bindgen(method)]
    fn ready(this: &Loader, name: &str) -> JsValue;
    #[wasm_bindgen(method)]
    fn prefetch(this: &Loader, name: &str);

    /// The body part's exports (`parts/body`).
    #[derive(Clone)]
    pub type BodyPart;
    #[wasm_bindgen(method, catch, js_name = renderBody)]
    fn render_body(
        this: &BodyPart,
        markdown: bool,
        text: &str,
        base: &str,
        first_heading: u8,
    ) -> Result<String, JsValue>;
}

/// Where a part is: not asked for, on its way, started, or failed (until the reader tries again).
enum State<T> {
    Absent,
    Loading,
    Ready(T),
    Failed,
}

struct Slot<T> {
    state: State<T>,
    /// Widgets showing a view that waits for the part.
    waiting: Vec<Weak<RefCell<Inner>>>,
}

/// What asking for a part led to.
enum Asked {
    /// It is there, or on its way.
    Nothing,
    /// It is to be fetched now.
    Start,
    /// It cannot be fetched: it has failed, and these widgets are to be told.
    NoLoader(Vec<Weak<RefCell<Inner>>>),
}

impl<T> Slot<T> {
    /// `widget` waits for the part; `has_loader` says whether it can be fetched. The state leaves
    /// `Absent` for `Loading` only when a fetch starts, so it never stays `Loading` for ever.
    fn ask(&mut self, widget: &Weak<RefCell<Inner>>, has_loader: bool) -> Asked {
        if matches!(self.state, State::Ready(_)) {
            return Asked::Nothing;
        }
        if !self.waiting.iter().any(|w| w.ptr_eq(widget)) {
            self.waiting.push(widget.clone());
        }
        match (&self.state, has_loader) {
            (State::Absent, true) => {
                self.state = State::Loading;
                Asked::Start
            }
            (State::Absent | State::Failed, false) => {
                self.state = State::Failed;
                Asked::NoLoader(std::mem::take(&mut self.waiting))
            }
            _ => Asked::Nothing,
        }
    }
}

thread_local! {
    static LOADER: RefCell<Option<Loader>> = const { RefCell::new(None) };
    static BODY: RefCell<Slot<BodyPart>> = const { RefCell::new(Slot { state: State::Absent, waiting: Vec::new() }) };
}

/// Called once by the script after the wasm starts.
pub fn use_loader(loader: Loader) {
    LOADER.with(|l| *l.borrow_mut() = Some(loader));
}

pub(super) fn loader() -> Option<Loader> {
    LOADER.with(|l| l.borrow().clone())
}

/// A Markdown or HTML body as HTML, if the body part is there.
#[cfg(feature = "bodies")]
pub(super) fn body_html(body: &Body, base: &str, first_heading: u8) -> BodyHtml {
    crate::render::body_html(body, base, first_heading)
}

/// A Markdown or HTML body as HTML, if the body part is there.
#[cfg(not(feature = "bodies"))]
pub(super) fn body_html(body: &Body, base: &str, first_heading: u8) -> BodyHtml {
    // Prefetched, or loaded for another widget: the script may have it already.
    let unknown = BODY.with(|slot| matches!(slot.borrow().state, State::Absent | State::Loading));
    let started = loader().filter(|_| unknown).map(|l| l.ready("body")).filter(|p| !p.is_undefined());
    let part = BODY.with(|slot| {
        let mut slot = slot.borrow_mut();
        if let Some(part) = started {
            slot.state = State::Ready(part.unchecked_into());
        }
        match &slot.state {
            State::Ready(part) => Ok(part.clone()),
            State::Failed => Err(BodyHtml::Failed),
            State::Absent | State::Loading => Err(BodyHtml::Loading),
        }
    });
    let part = match part {
        Ok(part) => part,
        Err(not_yet) => return not_yet,
    };
    // The render module draws plain text bodies itself; only Markdown and HTML come here.
    let (markdown, text) = match body {
        Body::Markdown(md) => (true, md),
        Body::Html(text) | Body::Text(text) => (false, text),
    };
    part.render_body(markdown, text, base, first_heading).map(BodyHtml::Ready).unwrap_or_else(|e| {
        super::page::error(&format!("release-embed: the body part failed: {}", super::page::browser(e)));
        BodyHtml::Failed
    })
}

/// Asks for the body part for `widget`, which shows a view waiting for it; the widget's
/// [`Inner::part_arrived`] runs when it comes (or fails). Nothing happens when it is there.
pub(super) fn need_body(widget: &Weak<RefCell<Inner>>) {
    if cfg!(feature = "bodies") {
        return;
    }
    let loader = loader();
    let asked = BODY.with(|slot| slot.borrow_mut().ask(widget, loader.is_some()));
    let loader = match (asked, loader) {
        (Asked::Start, Some(loader)) => loader,
        (Asked::NoLoader(waiting), _) => {
            // No script registered a loader (the page runs the list view's wasm without
            // js/parts.js): the body can never come, so the view says so instead of waiting.
            super::page::error("release-embed: the body part cannot be loaded: no part loader was registered");
            for widget in waiting {
                super::with(&widget, Inner::part_arrived);
            }
            return;
        }
        _ => return,
    };
    // Started from a task, so no widget is borrowed while the script runs.
    wasm_bindgen_futures::spawn_local(async move {
        let result = wasm_bindgen_futures::JsFuture::from(loader.load("body")).await;
        let failure = result.as_ref().err().map(|e| super::page::browser(e.clone()));
        let waiting = BODY.with(|slot| {
            let mut slot = slot.borrow_mut();
            slot.state = match result {
                Ok(part) => State::Ready(part.unchecked_into()),
                Err(_) => State::Failed,
            };
            std::mem::take(&mut slot.waiting)
        });
        if let Some(e) = failure {
            super::page::error(&format!("release-embed: the body part could not be loaded: {e}"));
        }
        for widget in waiting {
            super::with(&widget, Inner::part_arrived);
        }
    });
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

/// The list is on screen: fetch the body part when the browser is idle, so that opening a release
/// does not wait for it.
pub(super) fn prefetch_body() {
    let absent = BODY.with(|slot| matches!(slot.borrow().state, State::Absent));
    if let Some(loader) = loader().filter(|_| absent && !cfg!(feature = "bodies")) {
        loader.prefetch("body");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_loader_the_body_fails_instead_of_loading_for_ever() {
        // A widget that waits (the slot only keeps and hands back its weak reference).
        let weak: Weak<RefCell<Inner>> = Weak::new();
        let mut slot: Slot<()> = Slot { state: State::Absent, waiting: Vec::new() };
        match slot.ask(&weak, false) {
            Asked::NoLoader(waiting) => assert_eq!(waiting.len(), 1, "the waiting widget is told"),
            _ => panic!("no loader: the widget must be told"),
        }
        assert!(matches!(slot.state, State::Failed));
        assert!(slot.waiting.is_empty());
        // Try again without a loader: failed again, not stuck.
        assert!(matches!(slot.ask(&weak, false), Asked::NoLoader(_)));
        assert!(matches!(slot.state, State::Failed));
        // With a loader: Loading, then only the fetch's answer moves it on.
        let mut slot: Slot<()> = Slot { state: State::Absent, waiting: Vec::new() };
        assert!(matches!(slot.ask(&weak, true), Asked::Start));
        assert!(matches!(slot.state, State::Loading));
        assert!(matches!(slot.ask(&weak, true), Asked::Nothing));
        assert_eq!(slot.waiting.len(), 1);
    }
}
