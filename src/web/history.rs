//! The reader's filters in the page URL: typing makes one history entry once it pauses, every
//! other change its own, so Back and Forward step through what the reader did.

use std::cell::RefCell;
use std::rc::Weak;

use gloo_timers::callback::Timeout;

use super::{js_object, page, with, Inner, Route};
use crate::error::Result;
use crate::search::FilterState;

/// How long typing pauses before the page URL takes the new search.
const TYPING_URL_MS: u32 = 400;

impl Inner {
    /// Shows a new filter state at once and puts it in the page URL: typing after a pause, every
    /// other change now.
    pub(super) fn set_filters(
        &mut self,
        state: FilterState,
        typing: bool,
        focus_results: bool,
        weak: &Weak<RefCell<Inner>>,
    ) {
        self.take_filters(state, typing, weak);
        self.refresh(focus_results);
    }

    /// [`Inner::set_filters`] without drawing them: the state, the `filter` event and the URL.
    pub(super) fn take_filters(&mut self, state: FilterState, typing: bool, weak: &Weak<RefCell<Inner>>) {
        page::emit(&self.host, "filter", &js_object::filter_detail(&state));
        if typing {
            let weak = weak.clone();
            let timer = Timeout::new(TYPING_URL_MS, move || with(&weak, Inner::flush_typed));
            self.typed = Some((state, timer));
        } else {
            self.typed = None;
            if let Err(e) = self.write_filters(&state, false) {
                page::error(&format!("release-embed: {e}"));
            }
        }
    }

    /// Writes typed filters that are still waiting into the page URL.
    pub(super) fn flush_typed(&mut self) {
        if let Some((state, _)) = self.typed.take() {
            if let Err(e) = self.write_filters(&state, true) {
                page::error(&format!("release-embed: {e}"));
            }
        }
    }

    /// Typing updates the history entry its first keystroke made; every other change is a step
    /// Back can undo.
    pub(super) fn write_filters(&self, state: &FilterState, typing: bool) -> Result<()> {
        let Ok(config) = &self.config else { return Ok(()) };
        let key = &config.url_key;
        let url = page::url_with_search(&state.to_search(&page::current_search(), key));
        let marker = typing.then_some(key.as_str());
        if typing && page::typing_entry(key) {
            page::replace_url(&url, marker)
        } else {
            page::push_url(&url, marker)
        }
    }

    pub(super) fn current_filters(&self) -> FilterState {
        match self.route() {
            Some(Route::List(state)) => state,
            _ => FilterState::default(),
        }
    }
}
