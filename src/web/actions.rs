//! What the reader does inside the widget: typing, clicks on links and controls, Share this.

use std::cell::RefCell;
use std::rc::Weak;

use gloo_timers::callback::Timeout;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{Element, Event, MouseEvent};

use super::{controls, events, page, parts, with, Inner};
use crate::search::FilterState;

/// How long "Link copied" stays visible.
const STATUS_MS: u32 = 4000;

impl Inner {
    pub(super) fn on_input(&mut self, event: &Event, weak: &Weak<RefCell<Inner>>) {
        let Some(change) = controls::read_change(event) else {
            return;
        };
        let mut state = self.current_filters();
        let typing = change.apply(&mut state);
        state.page = 1;
        // What the reader does in the form is drawn at most once a frame.
        self.take_filters(state, typing, weak);
        self.refresh_in_frame();
    }

    pub(super) fn on_click(&mut self, event: &Event, weak: &Weak<RefCell<Inner>>) {
        let Some(target) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
            return;
        };
        // Share links are plain links the browser follows; the page only hears about them.
        if let Some(network) =
            target.closest("[data-re-share]").ok().flatten().and_then(|a| a.get_attribute("data-re-share"))
        {
            return page::emit(&self.host, "share", &events::share(&network));
        }
        let Ok(Some(el)) = target.closest("[data-re-open], [data-re-list], [data-re-action], [data-re-page]") else {
            return;
        };
        if let Some(action) = el.get_attribute("data-re-action") {
            return self.on_action(&action, &el, weak);
        }
        // Modified clicks (new tab, new window) keep the browser's own behaviour.
        let plain_click = event
            .dyn_ref::<MouseEvent>()
            .is_none_or(|m| m.button() == 0 && !(m.ctrl_key() || m.meta_key() || m.shift_key() || m.alt_key()));
        if !plain_click {
            return;
        }
        event.prevent_default();
        if let Some(n) = el.get_attribute("data-re-page").and_then(|n| n.parse().ok()) {
            let state = FilterState { page: n, ..self.current_filters() };
            return self.set_filters(state, false, true, weak);
        }
        // Typed filters go into the URL first, so Back from the release returns to them.
        self.flush_typed();
        let href = match (el.get_attribute("data-re-open"), &self.config) {
            // Built now, not when drawn: the URL may have changed since (typing).
            (Some(id), Ok(config)) => page::page_url(&config.release_param(), Some(&id)),
            _ => el.get_attribute("href").unwrap_or_default(),
        };
        let result = if el.has_attribute("data-re-list") && page::came_from_widget() {
            page::go_back() // popstate re-renders
        } else {
            page::push_url(&href, None).map(|()| self.show(true))
        };
        if let Err(e) = result {
            page::error(&format!("release-embed: {e}"));
        }
    }

    pub(super) fn on_action(&mut self, action: &str, el: &Element, weak: &Weak<RefCell<Inner>>) {
        let url = el.get_attribute("data-re-url").unwrap_or_default();
        let network = match action {
            "copy" | "print" => Some(action),
            "share" => Some("native"),
            _ => None,
        };
        if let Some(network) = network {
            page::emit(&self.host, "share", &events::share(network));
        }
        let result = match action {
            "retry" => {
                self.retry(weak);
                Ok(())
            }
            // The whole list is redrawn so that every control shows its cleared state.
            "clear" => self.write_filters(&FilterState::default(), false).map(|()| {
                self.typed = None;
                self.show(false);
                controls::focus(&self.content, "#re-q");
            }),
            "print" => page::print(&self.host),
            "filters" => {
                self.filters_open = controls::toggle_expanded(el);
                Ok(())
            }
            "load-part" => {
                parts::retry_body(weak);
                self.part_arrived();
                controls::focus(&self.content, "#re-title");
                Ok(())
            }
            "copy" => {
                self.copy(&url, weak);
                Ok(())
            }
            "share" => {
                page::native_share(&el.get_attribute("data-re-title").unwrap_or_default(), &url).map(|promise| {
                    // The reader closing the share sheet rejects the promise; that is not an error.
                    spawn_local(async move {
                        let _ = JsFuture::from(promise).await;
                    });
                })
            }
            _ => Ok(()),
        };
        if let Err(e) = result {
            page::error(&format!("release-embed: {action}: {e}"));
        }
    }

    pub(super) fn copy(&mut self, url: &str, weak: &Weak<RefCell<Inner>>) {
        let Some(promise) = page::copy_text(url) else {
            return self.set_status(&format!("{} {url}", self.labels.copy_by_hand), weak);
        };
        let (weak, url) = (weak.clone(), url.to_string());
        spawn_local(async move {
            let copied = JsFuture::from(promise).await.is_ok();
            let this = weak.clone();
            with(&weak, move |inner| {
                let message = if copied {
                    inner.labels.link_copied.to_string()
                } else {
                    format!("{} {url}", inner.labels.copy_by_hand)
                };
                inner.set_status(&message, &this);
            });
        });
    }

    /// Shows a short message in the share section's live region, then clears it.
    pub(super) fn set_status(&mut self, message: &str, weak: &Weak<RefCell<Inner>>) {
        let Ok(Some(status)) = self.content.query_selector(".re-status") else {
            return;
        };
        status.set_text_content(Some(message));
        let weak = weak.clone();
        self.status_timer = Some(Timeout::new(STATUS_MS, move || {
            with(&weak, |inner| {
                if let Ok(Some(status)) = inner.content.query_selector(".re-status") {
                    status.set_text_content(None);
                }
            });
        }));
    }
}
