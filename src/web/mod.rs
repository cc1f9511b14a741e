//! The DOM module: every web-sys call of the widget lives under `web/`. A [`Widget`] owns one
//! element's shadow root, its listeners (removed when it is dropped), its feed and search index;
//! the views come from the pure `render` module as HTML strings.
//!
//! This file holds the widget's state and its one way in ([`with`]); the rest of `Inner`'s work
//! is in `lifecycle` (loading), `view` (route and rendering), `history` (filters in the URL) and
//! `actions` (what the reader does); `archive` reads release archives, `library`/`fetch`/`cache`
//! get feeds, `parts` the lazily loaded wasm, `page`/`controls` the page and the widget's DOM.

mod actions;
mod archive;
mod archive_view;
mod cache;
mod chunks;
mod controls;
mod events;
mod fetch;
mod first;
mod frame;
mod history;
pub(crate) mod js_object;
mod keys;
mod library;
mod lifecycle;
mod page;
pub(crate) mod parts;
mod results;
mod view;

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use gloo_events::{EventListener, EventListenerOptions};
use gloo_timers::callback::Timeout;
use web_sys::{AbortController, Element, Event, HtmlElement, ShadowRoot, ShadowRootInit, ShadowRootMode};

use crate::error::{Error, Result};
use crate::i18n::{Labels, EN};
use crate::options::{Config, Options};
use crate::search::{FilterState, Index};
use library::Library;
use view::Route;

pub struct Widget {
    inner: Rc<RefCell<Inner>>,
}

enum LoadState {
    Idle,
    Loading,
    Loaded(Rc<Library>),
    Failed(Error),
}

struct Inner {
    host: HtmlElement,
    content: Element,
    config: Result<Config>,
    load: LoadState,
    /// Built after the feed is shown; searching waits for it.
    index: Option<Index>,
    /// Why the index could not be built (the search chunk did not arrive): the search box says so.
    search_failed: bool,
    /// Aborts the load in flight when a new one starts or the widget goes away.
    abort: Option<AbortController>,
    /// The feed's absolute address, against which its relative URLs resolve.
    feed_url: String,
    /// The release shown now, if any, to notice when a history step switches views.
    showing: Option<String>,
    /// The release last opened from the list, so focus can return to its link.
    last_opened: Option<String>,
    status_timer: Option<Timeout>,
    /// Filters typed into the search box that are not in the page URL yet, and the timer that
    /// writes them there once typing pauses (a history update costs about a millisecond).
    typed: Option<(FilterState, Timeout)>,
    labels: &'static Labels,
    /// Intl's date format for the reader's language: made when the options change, not on every
    /// render (a keystroke redraws the results).
    dates: page::DateFormat,
    /// The reader opened the filters behind the Filter button (narrow widths); kept across redraws.
    filters_open: bool,
    /// The shadow root's listeners and the window's `popstate`; dropped when the widget goes.
    listeners: Vec<EventListener>,
    /// This widget's URL key when it was given none (see `keys`).
    auto_key: Option<keys::AutoKey>,
    /// Torn down: every later call is ignored.
    closed: bool,
    /// This widget, for the lazily loaded parts to redraw it when they arrive.
    me: Weak<RefCell<Inner>>,
    /// The entries of the list on screen, kept from one keystroke to the next.
    items: results::Items,
    /// The frame after the last update of the results, while it has not started.
    frame: Option<frame::Frame>,
    /// HTML shown before the wasm (`first`): on screen until the first view that is not a
    /// loading notice takes over.
    preview: Option<first::Preview>,
    /// This load's first list was handed to the script to show at once next time.
    kept_first: bool,
}

impl Widget {
    pub fn attach(host: HtmlElement, options: Options) -> Result<Widget> {
        let root = shadow_root(&host)?;
        page::adopt_styles(&root)?;
        // The list the script showed before the wasm came (`first`) is taken over as it is.
        let (content, preview) = match first::Preview::take(&root, &host) {
            Some(found) => found,
            None => {
                let document =
                    host.owner_document().ok_or_else(|| Error::Browser { detail: "element has no document".into() })?;
                let content = document.create_element("div").map_err(page::browser)?;
                content.set_class_name("re-root");
                root.set_inner_html("");
                root.append_child(&content).map_err(page::browser)?;
                (content, None)
            }
        };

        let inner = Rc::new_cyclic(|me| {
            RefCell::new(Inner {
                host,
                content,
                config: Err(Error::InvalidOption { name: "src", detail: "not configured yet".into() }),
                load: LoadState::Idle,
                index: None,
                search_failed: false,
                abort: None,
                feed_url: String::new(),
                showing: None,
                last_opened: None,
                status_timer: None,
                typed: None,
                labels: &EN,
                dates: page::DateFormat::new("en"),
                filters_open: false,
                listeners: Vec::new(),
                auto_key: None,
                closed: false,
                me: me.clone(),
                items: results::Items::default(),
                frame: None,
                preview,
                kept_first: false,
            })
        });
        let weak = Rc::downgrade(&inner);
        let on = |event: &'static str, handler: fn(&mut Inner, &Event, &Weak<RefCell<Inner>>)| {
            let weak = weak.clone();
            // Not passive: links and the form are handled here instead of by the browser.
            EventListener::new_with_options(&root, event, EventListenerOptions::enable_prevent_default(), move |e| {
                let (e, this) = (e.clone(), weak.clone());
                with(&weak, move |inner| handler(inner, &e, &this));
            })
        };
        let mut listeners = vec![
            on("click", Inner::on_click),
            on("input", Inner::on_input),
            on("change", Inner::on_input),
            on("submit", |_, e, _| e.prevent_default()),
        ];
        let window = page::window()?;
        let popped = weak.clone();
        listeners.push(EventListener::new(&window, "popstate", move |_| {
            with(&popped, |inner| {
                inner.typed = None;
                inner.show(true);
            });
        }));
        with(&weak, move |inner| inner.listeners = listeners);
        let widget = Widget { inner };
        widget.update(options);
        Ok(widget)
    }

    fn weak(&self) -> Weak<RefCell<Inner>> {
        Rc::downgrade(&self.inner)
    }

    /// Applies new options: reloads the feed when its address changed, else only re-renders.
    pub fn update(&self, options: Options) {
        let weak = self.weak();
        with(&self.weak(), move |inner| inner.configure(options, weak));
    }

    /// Takes the widget off the page now, even from inside one of its own events' listeners
    /// (what it was doing finishes first). The element may mount a new one later.
    pub fn destroy(&self) {
        with(&self.weak(), Inner::tear_down);
    }
}

impl Inner {
    fn configure(&mut self, mut options: Options, weak: Weak<RefCell<Inner>>) {
        // A widget given no key gets one of its own, so that two on a page keep apart in the URL.
        if options.url_key.as_deref().is_none_or(|k| k.trim().is_empty()) {
            options.url_key = Some(self.auto_key.get_or_insert_with(keys::AutoKey::claim).to_string());
        } else {
            self.auto_key = None;
        }
        let (config, warnings) = options.validate();
        for w in warnings {
            page::warn(&format!("release-embed: {w}"));
        }
        let reload = match (&config, &self.config) {
            (Ok(new), Ok(old)) => {
                new.src != old.src
                    || new.feed_text != old.feed_text
                    || new.format != old.format
                    || matches!(self.load, LoadState::Idle | LoadState::Failed(_))
            }
            (Ok(_), Err(_)) => true,
            (Err(e), _) => {
                page::error(&format!("release-embed: {e}"));
                false
            }
        };
        self.config = config;
        let locale = self.locale();
        self.labels = crate::i18n::for_lang(&locale);
        self.dates = page::DateFormat::new(&locale);
        if reload {
            self.start_load(weak);
        } else {
            self.show(false);
        }
    }

    /// Stops the load, removes the content, listeners and structured data, and lets go of the
    /// feed and the URL key.
    fn tear_down(&mut self) {
        if let Some(abort) = self.abort.take() {
            abort.abort();
        }
        self.content.remove();
        page::set_json_ld(&self.host, None);
        let _ = self.host.remove_attribute("aria-busy");
        self.listeners.clear();
        (self.load, self.index, self.typed, self.status_timer, self.auto_key) =
            (LoadState::Idle, None, None, None, None);
        (self.frame, self.items) = (None, results::Items::default());
        self.closed = true;
    }

    /// Shows the release `id`, or the list for `None`, as if the reader had followed a link.
    fn open(&mut self, id: Option<&str>) -> Result<()> {
        let param = self.config.as_ref().map(Config::release_param).map_err(Clone::clone)?;
        self.flush_typed();
        page::push_url(&page::page_url(&param, id), None)?;
        self.show(true);
        Ok(())
    }
}

/// The JS API's handle methods. Each takes effect even when called from inside the widget's own
/// work (a page's focus listener, a patched `history.pushState`): it then runs right after it.
impl Widget {
    pub fn open(&self, id: Option<&str>) {
        let id = id.map(str::to_string);
        with(&self.weak(), move |inner| {
            if let Err(e) = inner.open(id.as_deref()) {
                page::error(&format!("release-embed: {e}"));
            }
        });
    }

    pub fn set_filters(&self, state: FilterState) {
        let weak = self.weak();
        with(&self.weak(), move |inner| inner.set_filters(state, false, false, &weak));
    }

    /// Sets the search text, keeping the other filters.
    pub fn set_query(&self, query: &str) {
        let (weak, query) = (self.weak(), query.to_string());
        with(&self.weak(), move |inner| {
            let state = FilterState { query, page: 1, ..inner.current_filters() };
            inner.set_filters(state, false, false, &weak);
        });
    }

    /// Loads the feed again.
    pub fn refresh(&self) {
        let weak = self.weak();
        with(&self.weak(), move |inner| inner.start_load(weak));
    }
}

impl Drop for Widget {
    fn drop(&mut self) {
        self.destroy();
    }
}

type Job = Box<dyn FnOnce(&mut Inner)>;

thread_local! {
    /// Calls that reached a busy widget, each with the widget it is for (see [`with`]).
    static WAITING: RefCell<Vec<(Weak<RefCell<Inner>>, Job)>> = const { RefCell::new(Vec::new()) };
}

/// Runs `f` on the widget if it still exists and is not torn down. Every way into the widget goes
/// through here: DOM listeners, timers, finished loads, the JS API. A call that arrives while the
/// widget is busy (page code that the widget's own work ran, such as a focus listener or a
/// patched `history.pushState`, calling back in) waits and runs as soon as the current call is
/// done, in order: it takes effect, and nothing is borrowed twice.
fn with(weak: &Weak<RefCell<Inner>>, f: impl FnOnce(&mut Inner) + 'static) {
    run(weak, Box::new(f));
}

/// [`with`] without the generic parameter, so the wasm holds one copy of it, not one per caller.
fn run(weak: &Weak<RefCell<Inner>>, job: Job) {
    let Some(cell) = weak.upgrade() else { return };
    let Ok(mut inner) = cell.try_borrow_mut() else {
        WAITING.with(|waiting| waiting.borrow_mut().push((weak.clone(), job)));
        return;
    };
    if !inner.closed {
        job(&mut inner);
    }
    // Calls for a widget torn down meanwhile are dropped.
    while let Some(job) = take_waiting(weak) {
        if !inner.closed {
            job(&mut inner);
        }
    }
}

fn take_waiting(weak: &Weak<RefCell<Inner>>) -> Option<Job> {
    WAITING.with(|waiting| {
        let mut waiting = waiting.borrow_mut();
        let i = waiting.iter().position(|(w, _)| w.ptr_eq(weak))?;
        Some(waiting.remove(i).1)
    })
}

/// Reuses the element's open shadow root when it was attached before (a re-inserted element).
fn shadow_root(host: &HtmlElement) -> Result<ShadowRoot> {
    if let Some(root) = host.shadow_root() {
        return Ok(root);
    }
    host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open)).map_err(page::browser)
}
