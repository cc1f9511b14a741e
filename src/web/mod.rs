//! The DOM module: every web-sys call of the widget lives under `web/`. A [`Widget`] owns one
//! `<release-embed>` element's shadow root, its listeners (removed when it is dropped) and its
//! feed; the views themselves come from the pure `render` module as HTML strings.

mod fetch;
mod page;

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use gloo_events::{EventListener, EventListenerOptions};
use gloo_timers::callback::Timeout;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{
    AbortController, Element, Event, HtmlElement, MouseEvent, ShadowRoot, ShadowRootInit,
    ShadowRootMode,
};

use crate::error::{Error, Result};
use crate::feed::{parse_native, Feed, Release};
use crate::i18n::{Labels, EN};
use crate::options::{Config, Options};
use crate::render::{self, Context, NoticeKind};
use crate::url::{is_absolute_http, query_param};

/// How long "Link copied" stays visible.
const STATUS_MS: u32 = 4000;

pub struct Widget {
    inner: Rc<RefCell<Inner>>,
    _listeners: [EventListener; 2],
}

enum Load {
    Idle,
    Loading,
    Loaded(Rc<Feed>),
    Failed(Error),
}

struct Inner {
    host: HtmlElement,
    content: Element,
    config: Result<Config>,
    load: Load,
    /// Aborts the load in flight when a new one starts or the widget goes away.
    abort: Option<AbortController>,
    /// The feed's absolute address, against which its relative URLs resolve.
    feed_url: String,
    /// The release last opened from the list, so focus can return to its link.
    last_opened: Option<String>,
    status_timer: Option<Timeout>,
    labels: &'static Labels,
}

impl Widget {
    pub fn attach(host: HtmlElement, options: Options) -> Result<Widget> {
        let root = shadow_root(&host)?;
        page::adopt_styles(&root)?;
        let document = host.owner_document().ok_or_else(|| Error::Browser {
            detail: "element has no document".into(),
        })?;
        let content = document.create_element("div").map_err(page::browser)?;
        content.set_class_name("re-root");
        root.set_inner_html("");
        root.append_child(&content).map_err(page::browser)?;

        let inner = Rc::new(RefCell::new(Inner {
            host,
            content,
            config: Err(Error::InvalidOption {
                name: "src",
                detail: "not configured yet".into(),
            }),
            load: Load::Idle,
            abort: None,
            feed_url: String::new(),
            last_opened: None,
            status_timer: None,
            labels: &EN,
        }));
        let weak = Rc::downgrade(&inner);
        let on_click = {
            let weak = weak.clone();
            // Not passive: following a release link inside the widget replaces the page load.
            EventListener::new_with_options(
                &root,
                "click",
                EventListenerOptions::enable_prevent_default(),
                move |event| {
                    with(&weak, |inner| inner.on_click(event, &weak));
                },
            )
        };
        let window = page::window()?;
        let on_popstate = EventListener::new(&window, "popstate", move |_| {
            with(&weak, |inner| inner.show(Focus::AfterHistory));
        });
        let widget = Widget {
            inner,
            _listeners: [on_click, on_popstate],
        };
        widget.update(options);
        Ok(widget)
    }

    /// Applies new options: reloads the feed when its address changed, else only re-renders.
    pub fn update(&self, options: Options) {
        let (config, warnings) = options.validate();
        for w in warnings {
            page::warn(&format!("release-embed: {w}"));
        }
        let mut inner = self.inner.borrow_mut();
        let reload = match (&config, &inner.config) {
            (Ok(new), Ok(old)) => {
                new.src != old.src || matches!(inner.load, Load::Idle | Load::Failed(_))
            }
            (Ok(_), Err(_)) => true,
            (Err(e), _) => {
                page::error(&format!("release-embed: {e}"));
                false
            }
        };
        inner.config = config;
        if reload {
            inner.start_load(Rc::downgrade(&self.inner));
        } else {
            inner.show(Focus::Keep);
        }
    }
}

impl Drop for Widget {
    fn drop(&mut self) {
        let inner = self.inner.borrow();
        if let Some(abort) = &inner.abort {
            abort.abort();
        }
        inner.content.remove();
    }
}

/// Runs `f` on the widget if it still exists and is not busy (a re-entrant event is dropped).
fn with(weak: &Weak<RefCell<Inner>>, f: impl FnOnce(&mut Inner)) {
    if let Some(inner) = weak.upgrade() {
        if let Ok(mut inner) = inner.try_borrow_mut() {
            f(&mut inner);
        }
    }
}

/// Reuses the element's open shadow root when it was attached before (a re-inserted element).
fn shadow_root(host: &HtmlElement) -> Result<ShadowRoot> {
    if let Some(root) = host.shadow_root() {
        return Ok(root);
    }
    host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
        .map_err(page::browser)
}

#[derive(Clone, Copy, PartialEq)]
enum Focus {
    /// A re-render the reader did not ask for: leave focus alone.
    Keep,
    /// The reader moved between list and release: move focus to what they went to.
    Moved,
    /// Back/Forward: move focus like `Moved`.
    AfterHistory,
}

impl Inner {
    fn start_load(&mut self, weak: Weak<RefCell<Inner>>) {
        let Ok(Config {
            src, timeout_secs, ..
        }) = &self.config
        else {
            return self.show(Focus::Keep);
        };
        let (src, timeout) = (src.clone(), *timeout_secs);
        if let Some(old) = self.abort.take() {
            old.abort();
        }
        let Ok(abort) = AbortController::new() else {
            self.load = Load::Failed(Error::Browser {
                detail: "AbortController unavailable".into(),
            });
            return self.show(Focus::Keep);
        };
        self.feed_url = page::absolute(&src, &page::document_base()).unwrap_or(src);
        self.abort = Some(abort.clone());
        self.load = Load::Loading;
        self.show(Focus::Keep);
        let url = self.feed_url.clone();
        spawn_local(async move {
            let result = fetch::fetch_text(&url, timeout, &abort)
                .await
                .and_then(|text| parse_native(&text));
            // A newer load (or the widget's removal) aborted this one: its result is not wanted.
            if abort.signal().aborted() && !matches!(result, Err(Error::Timeout { .. })) {
                return;
            }
            with(&weak, |inner| inner.finish_load(result));
        });
    }

    fn finish_load(&mut self, result: Result<Feed>) {
        self.abort = None;
        self.load = match result {
            Ok(feed) => {
                for problem in &feed.problems {
                    page::warn(&problem.to_string());
                }
                Load::Loaded(Rc::new(feed))
            }
            Err(e) => {
                page::error(&format!("release-embed: {e}"));
                Load::Failed(e)
            }
        };
        self.show(Focus::Keep);
    }

    /// The release to show: the fixed `release` option, else this widget's parameter in the URL.
    fn route(&self) -> Option<String> {
        let config = self.config.as_ref().ok()?;
        config
            .release
            .clone()
            .or_else(|| query_param(&page::current_search(), &config.release_param))
    }

    fn show(&mut self, focus: Focus) {
        let (html, opened) = self.view();
        self.content.set_inner_html(&html);
        let busy = matches!(self.load, Load::Loading);
        let _ = if busy {
            self.host.set_attribute("aria-busy", "true")
        } else {
            self.host.remove_attribute("aria-busy")
        };
        if focus == Focus::Keep {
            return;
        }
        // Opening a release focuses its title; returning to the list focuses the link just used.
        let selector = match &opened {
            Some(_) => "#re-title".to_string(),
            None => match &self.last_opened {
                Some(id) => format!("[data-re-open=\"{}\"]", css_escape(id)),
                None => return,
            },
        };
        if let Ok(Some(target)) = self.content.query_selector(&selector) {
            if let Ok(target) = target.dyn_into::<HtmlElement>() {
                let _ = target.focus();
            }
        }
        if opened.is_some() {
            self.last_opened = opened;
        }
    }

    /// The HTML for the current state, and the id of the release it shows, if any.
    fn view(&self) -> (String, Option<String>) {
        let config = self.config.as_ref().ok();
        let param = config.map(|c| c.release_param.clone()).unwrap_or_default();
        let section = config
            .and_then(|c| c.section_label.as_deref())
            .unwrap_or(self.labels.section);
        let dates = page::DateFormat::new(&page::locale(&self.host));
        let format_date = |d: &crate::feed::Date| dates.format(d);
        let link = |id: Option<&str>| page::page_url(&param, id);
        let share_url = |r: &Release| self.share_url(r, &param);
        let cx = Context {
            labels: self.labels,
            heading_level: config
                .map_or(crate::options::DEFAULT_HEADING_LEVEL, |c| c.heading_level),
            section_label: section,
            format_date: &format_date,
            link: &link,
            share_url: &share_url,
            native_share: page::has_native_share(),
            has_list: config.is_some_and(|c| c.release.is_none()),
        };
        let html = match (&self.config, &self.load) {
            (Err(e), _) => {
                render::notice(&e.reader_message(), NoticeKind::Error { retry: false }, &cx)
            }
            (_, Load::Idle | Load::Loading) => {
                render::notice(self.labels.loading, NoticeKind::Loading, &cx)
            }
            (_, Load::Failed(e)) => {
                render::notice(&e.reader_message(), NoticeKind::Error { retry: true }, &cx)
            }
            (Ok(_), Load::Loaded(feed)) => match self.route() {
                None => render::list(feed, &cx),
                Some(id) => match feed.release(&id) {
                    Some(release) => return (render::detail(release, &cx), Some(id)),
                    None => {
                        let e = Error::UnknownRelease { id };
                        page::warn(&format!("release-embed: {e}"));
                        render::notice(&e.reader_message(), NoticeKind::Info, &cx)
                    }
                },
            },
        };
        (html, None)
    }

    /// The release's canonical URL when it is a full web address; else its deep link on this page.
    fn share_url(&self, r: &Release, param: &str) -> String {
        let canonical = r
            .url
            .as_deref()
            .and_then(|u| page::absolute(u, &self.feed_url))
            .filter(|u| is_absolute_http(u));
        canonical.unwrap_or_else(|| page::page_url(param, Some(&r.id)))
    }

    fn on_click(&mut self, event: &Event, weak: &Weak<RefCell<Inner>>) {
        let Some(target) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
            return;
        };
        let Ok(Some(el)) = target.closest("[data-re-open], [data-re-list], [data-re-action]")
        else {
            return;
        };
        let plain_click = event.dyn_ref::<MouseEvent>().is_none_or(|m| {
            m.button() == 0 && !(m.ctrl_key() || m.meta_key() || m.shift_key() || m.alt_key())
        });
        if let Some(action) = el.get_attribute("data-re-action") {
            return self.on_action(&action, &el, weak);
        }
        // Modified clicks (new tab, new window) keep the browser's own behaviour.
        if !plain_click {
            return;
        }
        let href = el.get_attribute("href").unwrap_or_default();
        event.prevent_default();
        let result = if el.has_attribute("data-re-list") && page::came_from_widget() {
            page::go_back() // popstate re-renders
        } else {
            page::push_url(&href).map(|()| self.show(Focus::Moved))
        };
        if let Err(e) = result {
            page::error(&format!("release-embed: {e}"));
        }
    }

    fn on_action(&mut self, action: &str, el: &Element, weak: &Weak<RefCell<Inner>>) {
        let url = el.get_attribute("data-re-url").unwrap_or_default();
        let result = match action {
            "retry" => {
                self.start_load(weak.clone());
                Ok(())
            }
            "print" => page::print(),
            "copy" => {
                self.copy(&url, weak);
                Ok(())
            }
            "share" => {
                page::native_share(&el.get_attribute("data-re-title").unwrap_or_default(), &url)
                    .map(|promise| {
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

    fn copy(&mut self, url: &str, weak: &Weak<RefCell<Inner>>) {
        let Some(promise) = page::copy_text(url) else {
            return self.set_status(&format!("{} {url}", self.labels.copy_by_hand), weak);
        };
        let (weak, url) = (weak.clone(), url.to_string());
        spawn_local(async move {
            let copied = JsFuture::from(promise).await.is_ok();
            with(&weak.clone(), |inner| {
                let message = if copied {
                    inner.labels.link_copied.to_string()
                } else {
                    format!("{} {url}", inner.labels.copy_by_hand)
                };
                inner.set_status(&message, &weak);
            });
        });
    }

    /// Shows a short message in the share section's live region, then clears it.
    fn set_status(&mut self, message: &str, weak: &Weak<RefCell<Inner>>) {
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

/// Escapes a release id for use inside a double-quoted CSS attribute selector.
fn css_escape(id: &str) -> String {
    id.chars()
        .flat_map(|c| {
            if c == '"' || c == '\\' {
                vec!['\\', c]
            } else {
                vec![c]
            }
        })
        .collect()
}
