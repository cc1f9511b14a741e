//! HTML first: what is on screen before the widget's first view, and how the widget takes over.
//!
//! Before the wasm arrives, the page's script (`js/first.js`) may already show a list in the
//! shadow root: the one this widget rendered last time on this page (kept by [`keep`]), or an
//! archive's first page that `release-embed archive` rendered with this crate's renderer. It
//! marks it `data-re-preview`; [`Preview::take`] adopts that element as the widget's content, and
//! [`Inner::put`] leaves it alone while the widget would only say "Loading", then replaces it
//! with the real view, keeping focus on the same control (or leaves it in place when the view is
//! byte for byte the one shown). Without a preview, the page's own children of the element (its
//! list, or the command's `fallback.html`) show through a slot until then.

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement, ShadowRoot};

use super::{controls, parts, Inner, LoadState, Route};
use crate::render::{Esc, NoticeKind};
use crate::search::FilterState;

#[wasm_bindgen]
extern "C" {
    /// The script's store of first lists (`js/first.js`, reached through the part loader).
    type FirstStore;
    #[wasm_bindgen(method, catch, js_name = keepFirst)]
    fn keep_first(this: &FirstStore, host: &HtmlElement, html: &str) -> Result<(), JsValue>;
    #[cfg(not(feature = "inline-style"))]
    #[wasm_bindgen(method, catch, js_name = styleSheet)]
    fn style_sheet(this: &FirstStore) -> Result<web_sys::CssStyleSheet, JsValue>;
}

/// The widget's stylesheet as the page's script made it (the release build carries no copy).
#[cfg(not(feature = "inline-style"))]
pub(super) fn style_sheet() -> crate::error::Result<web_sys::CssStyleSheet> {
    let store = parts::loader().map(|l| l.unchecked_into::<FirstStore>());
    let missing = || crate::error::Error::Browser { detail: "the page script gave no stylesheet".into() };
    store.ok_or_else(missing)?.style_sheet().map_err(super::page::browser)
}

/// What shows until the widget's first view.
pub enum Preview {
    /// A list the script put in the shadow root; `source`: the HTML exactly as this widget
    /// rendered it (a kept list), `None` when the script adapted it to the page (an archive's).
    Html { source: Option<String> },
    /// The element's own children, through a slot.
    Children,
}

impl Preview {
    /// The script's preview in `root`, adopted as the widget's content; or, on an element with
    /// children of its own, a new content element that shows them until the first view.
    pub fn take(root: &ShadowRoot, host: &HtmlElement) -> Option<(Element, Option<Preview>)> {
        let mut node = root.first_child();
        let mut found = None;
        while let Some(n) = node {
            node = n.next_sibling();
            match n.dyn_into::<Element>() {
                Ok(el) if found.is_none() && el.has_attribute("data-re-preview") => found = Some(el),
                // Nothing else the script may have left beside it.
                Ok(el) => el.remove(),
                Err(_) => {}
            }
        }
        if let Some(content) = found {
            let source = Reflect::get(&content, &"reSource".into()).ok().and_then(|v| v.as_string());
            return Some((content, Some(Preview::Html { source })));
        }
        let mut child = host.first_element_child();
        let mut own = false;
        while let Some(c) = child {
            own |= c.tag_name() != "SCRIPT";
            child = c.next_element_sibling();
        }
        if !own {
            return None;
        }
        let content = host.owner_document()?.create_element("div").ok()?;
        content.set_class_name("re-root");
        root.set_inner_html("");
        root.append_child(&content).ok()?;
        Some((content, Some(Preview::Children)))
    }
}

impl Inner {
    /// Puts the view's `html` on screen; `waiting`: it only says the view is loading.
    pub(super) fn put(&mut self, html: &str, waiting: bool) {
        match (&self.preview, waiting) {
            (None, _) => self.content.set_inner_html(html),
            (Some(Preview::Html { .. }), true) => {}
            (Some(Preview::Children), true) => self.content.set_inner_html(&format!(
                r#"<slot></slot><p class="re-visually-hidden" role="status">{}</p>"#,
                Esc(self.labels.loading)
            )),
            (Some(Preview::Html { source }), false) => {
                let same = source.as_deref() == Some(html);
                let _ = self.content.remove_attribute("data-re-preview");
                if !same {
                    replace_keeping_focus(&self.host, &self.content, html);
                }
                self.preview = None;
            }
            (Some(Preview::Children), false) => {
                self.content.set_inner_html(html);
                self.preview = None;
            }
        }
    }

    /// A list shown before the wasm stays until the search is ready as well: the widget's list
    /// then comes in one step, as the one kept (with its search box ready), and moves nothing.
    /// It stays too when an archive's piece fails (a search typed into it before the wasm took
    /// over): the problem shows above it, with Try again, as above any list on screen.
    pub(super) fn preview_stays(&self, route: Option<&Route>) -> bool {
        let LoadState::Loaded(library) = &self.load else { return false };
        let shown = matches!(self.preview, Some(Preview::Html { .. })) && matches!(route, Some(Route::List(_)));
        let failed = library.archive.as_ref().is_some_and(|a| a.problem().is_some());
        shown && (self.index.is_none() || failed)
    }

    /// Whether an archive's progress and problems are drawn on the content: over a list shown
    /// before the wasm, only a problem is (the list's count is not this view's to mark).
    pub(super) fn shows_archive_progress(&self) -> bool {
        let failed =
            matches!(&self.load, LoadState::Loaded(l) if l.archive.as_ref().is_some_and(|a| a.problem().is_some()));
        self.preview.is_none() || failed
    }

    /// Once the list is drawn with its search ready: the first list of a load from the network,
    /// as a reader first sees it (no search, filter or page), goes to the script's store, to be
    /// shown at once next time. `html`: the view on screen, or `None` to draw it for this.
    pub(super) fn keep_first(&mut self, html: Option<&str>, route: Option<&Route>) {
        let LoadState::Loaded(library) = &self.load else { return };
        let first = matches!(route, Some(Route::List(state)) if is_first_page(state));
        let ready = self.index.is_some() && self.typed.is_none() && self.config.is_ok();
        if self.kept_first || !first || !ready || library.saved.is_some() {
            return;
        }
        let drawn;
        let html = match html {
            Some(html) => html,
            // Drawn again only over a list on screen: an archive's list still waiting for its
            // pieces is kept when they come (asking for it now would mark it waiting again).
            None if !matches!(self.content.query_selector("#re-count"), Ok(Some(_))) => return,
            None => {
                drawn = self.with_context(|this, cx| this.view(route, cx).0);
                &drawn
            }
        };
        // An archive still fetching its first page's pieces has no list to keep yet.
        if html == self.with_context(|this, cx| crate::render::notice(this.labels.loading, NoticeKind::Loading, cx)) {
            return;
        }
        self.kept_first = true;
        let Some(store) = parts::loader().map(|l| l.unchecked_into::<FirstStore>()) else { return };
        // A script without a store (an older page script) is no reason to fail.
        let _ = store.keep_first(&self.host, html);
    }
}

/// The list as a reader arrives on it.
fn is_first_page(state: &FilterState) -> bool {
    *state == FilterState { page: state.page.min(1), ..FilterState::default() }
}

/// Replaces the content with `html`, focusing the control that had focus in the same place of
/// the new markup (without scrolling), with what the reader had typed into it.
fn replace_keeping_focus(host: &HtmlElement, content: &Element, html: &str) {
    let active = host.shadow_root().and_then(|root| root.active_element());
    let found = active.as_ref().and_then(|a| selector_for(a).map(|s| (s, a.clone())));
    content.set_inner_html(html);
    let Some((selector, old)) = found else { return };
    let Some(new) = content.query_selector(&selector).ok().flatten() else { return };
    let options = Object::new();
    let _ = Reflect::set(&options, &"preventScroll".into(), &JsValue::TRUE);
    if let Ok(focus) = Reflect::get(&new, &"focus".into()) {
        let _ = focus.unchecked_into::<js_sys::Function>().call1(&new, &options);
    }
    let (Some(old), Some(new)) = (old.dyn_ref::<HtmlInputElement>(), new.dyn_ref::<HtmlInputElement>()) else {
        return;
    };
    if old.value() != new.value() && new.type_() == "search" {
        new.set_value(&old.value());
        typed_later(new);
    }
}

/// Lets the widget hear `input` as typed into, after the current call (which holds the widget).
fn typed_later(input: &HtmlInputElement) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let Ok(event) = web_sys::Event::new_with_event_init_dict("input", &init) else { return };
    let (Some(window), Ok(dispatch)) = (web_sys::window(), Reflect::get(input, &"dispatchEvent".into())) else {
        return;
    };
    let bound = dispatch.unchecked_into::<js_sys::Function>().bind1(input, &event);
    window.queue_microtask(bound.unchecked_ref());
}

/// A selector that finds the same control in a new rendering of the view.
fn selector_for(el: &Element) -> Option<String> {
    let attr = |name: &str| el.get_attribute(name).filter(|v| !v.is_empty());
    if !el.id().is_empty() {
        return Some(format!("[id=\"{}\"]", controls::css_escape(&el.id())));
    }
    let exactly = |name: &str| attr(name).map(|v| format!("[{name}=\"{}\"]", controls::css_escape(&v)));
    // A facet's checkbox is its name and value.
    if let (Some(name), Some(value)) = (exactly("name"), exactly("value")) {
        return Some(name + &value);
    }
    ["data-re-open", "data-re-page", "data-re-action", "name"].into_iter().find_map(exactly)
}
