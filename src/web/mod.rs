//! The DOM module: every web-sys call of the widget lives under `web/`. A [`Widget`] owns one
//! element's shadow root, its listeners (removed when it is dropped), its feed and search index;
//! the views come from the pure `render` module as HTML strings.

mod cache;
mod controls;
mod events;
mod fetch;
mod keys;
mod load;
mod page;
pub(crate) mod parts;

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use gloo_events::{EventListener, EventListenerOptions};
use gloo_timers::callback::Timeout;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{AbortController, Element, Event, HtmlElement, MouseEvent, ShadowRoot, ShadowRootInit, ShadowRootMode};

use crate::error::{Error, Result};
use crate::i18n::{Labels, EN};
use crate::options::{Config, Options};
use crate::render::{self, Context, ListView, NoticeKind};
use crate::search::{evaluate, FilterState, Index};
use crate::url::{is_absolute_http, query_param};
use load::Library;

/// How long "Link copied" stays visible.
const STATUS_MS: u32 = 4000;
/// How long typing pauses before the page URL takes the new search.
const TYPING_URL_MS: u32 = 400;

pub struct Widget {
    inner: Rc<RefCell<Inner>>,
}

enum Load {
    Idle,
    Loading,
    Loaded(Rc<Library>),
    Failed(Error),
}

struct Inner {
    host: HtmlElement,
    content: Element,
    config: Result<Config>,
    load: Load,
    /// Built after the feed is shown; searching waits for it.
    index: Option<Index>,
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
}

/// What the URL asks the widget to show.
enum Route {
    Release(String),
    List(FilterState),
}

impl Widget {
    pub fn attach(host: HtmlElement, options: Options) -> Result<Widget> {
        let root = shadow_root(&host)?;
        page::adopt_styles(&root)?;
        let document =
            host.owner_document().ok_or_else(|| Error::Browser { detail: "element has no document".into() })?;
        let content = document.create_element("div").map_err(page::browser)?;
        content.set_class_name("re-root");
        root.set_inner_html("");
        root.append_child(&content).map_err(page::browser)?;

        let inner = Rc::new_cyclic(|me| {
            RefCell::new(Inner {
                host,
                content,
                config: Err(Error::InvalidOption { name: "src", detail: "not configured yet".into() }),
                load: Load::Idle,
                index: None,
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
                    || matches!(self.load, Load::Idle | Load::Failed(_))
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
        (self.load, self.index, self.typed, self.status_timer, self.auto_key) = (Load::Idle, None, None, None, None);
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

impl Inner {
    fn start_load(&mut self, weak: Weak<RefCell<Inner>>) {
        let Ok(Config { src, timeout_secs, format, pages, max_bytes, .. }) = &self.config else {
            return self.show(false);
        };
        let limits = fetch::Limits { timeout_secs: *timeout_secs, max_bytes: *max_bytes };
        let (src, format, max_pages) = (src.clone(), *format, *pages);
        if let Some(old) = self.abort.take() {
            old.abort();
        }
        let Ok(abort) = AbortController::new() else {
            self.load = Load::Failed(Error::Browser { detail: "AbortController unavailable".into() });
            return self.show(false);
        };
        self.feed_url = page::absolute(&src, &page::document_base()).unwrap_or(src);
        self.abort = Some(abort.clone());
        self.load = Load::Loading;
        self.index = None;
        self.show(false);
        let url = self.feed_url.clone();
        let inline = self.config.as_ref().ok().and_then(|c| c.feed_text.clone());
        spawn_local(async move {
            let result = match inline {
                Some(text) => load::read(&fetch::Fetched::whole(text), &url, format, &abort).await,
                None => load::load(&url, limits, format, &abort).await,
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
            let Ok(index) = load::build_index(&library, &abort).await else { return };
            // From here on, a newer load may have started while this one awaited: then stop.
            let current = || !abort.signal().aborted();
            if !current() {
                return;
            }
            with(&weak, move |inner| inner.indexed(index));
            loop {
                // A paged feed: read the next page, up to the `pages` limit, then show it all.
                let next = library.feed.next.clone().filter(|_| library.pages < max_pages);
                let Some(next) = next else { return };
                match load::load_page(&next, limits, library.format, &abort).await {
                    Ok(page) => {
                        // The new library and its index are swapped in together, so search keeps
                        // working on the old pages meanwhile.
                        let bigger = Rc::new(library.with_page(page));
                        let Ok(index) = load::build_index(&bigger, &abort).await else { return };
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

    fn loaded(&mut self, result: Result<Rc<Library>>) {
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
                Load::Loaded(library)
            }
            Err(e) => {
                page::error(&format!("release-embed: {e}"));
                page::emit(&self.host, "error", &events::Error { message: e.reader_message_in(self.labels) });
                Load::Failed(e)
            }
        };
        self.show(false);
    }

    fn announce_load(&self, library: &Library) {
        let detail =
            events::Load { count: library.feed.releases.len(), format: library.format.name(), pages: library.pages };
        page::emit(&self.host, "load", &detail);
    }

    /// Shows a feed that gained a page, with its new index. A search being typed keeps its box,
    /// text and caret.
    fn added_page(&mut self, library: Rc<Library>, index: Index) {
        for problem in library.feed.problems.iter().skip(self.problem_count()) {
            page::warn(&problem.to_string());
        }
        self.announce_load(&library);
        self.load = Load::Loaded(library);
        self.index = Some(index);
        let typing = controls::search_has_focus(&self.host);
        self.show(false);
        if typing {
            controls::focus_search_end(&self.content);
        }
    }

    /// The reader's language: the `lang` option, else the nearest `lang` on the page, else the
    /// browser's.
    fn locale(&self) -> String {
        let given = self.config.as_ref().ok().and_then(|c| c.lang.clone());
        given.unwrap_or_else(|| page::locale(&self.host))
    }

    /// schema.org data for the release on screen, if any.
    fn structured_data(&self, id: Option<&str>) -> Option<String> {
        let (Load::Loaded(library), Ok(config)) = (&self.load, &self.config) else { return None };
        let release = library.feed.release(id?)?;
        let publisher = library.feed.agency.as_ref().map(|a| a.name.as_str());
        Some(render::json_ld(release, publisher, &self.share_url(release, &config.release_param())))
    }

    fn problem_count(&self) -> usize {
        match &self.load {
            Load::Loaded(library) => library.feed.problems.len(),
            _ => 0,
        }
    }

    fn indexed(&mut self, index: Index) {
        self.index = Some(index);
        controls::enable_search(&self.content);
        if matches!(self.route(), Some(Route::List(state)) if !state.query.trim().is_empty()) {
            self.refresh(false);
        }
    }

    fn route(&self) -> Option<Route> {
        let config = self.config.as_ref().ok()?;
        if let Some((state, _)) = &self.typed {
            return Some(Route::List(state.clone()));
        }
        let search = page::current_search();
        let id = config.release.clone().or_else(|| query_param(&search, &config.release_param()));
        Some(match id {
            Some(id) => Route::Release(id),
            None => Route::List(FilterState::from_search(&search, &config.url_key)),
        })
    }

    /// Renders the whole view. `moved`: the reader went between list and release (a link, Back
    /// or Forward), so focus follows: to the release title, or back to the link they used.
    fn show(&mut self, moved: bool) {
        let route = self.route();
        let (html, now) = self.with_context(|this, cx| this.view(route.as_ref(), cx));
        self.content.set_inner_html(&html);
        let busy = matches!(self.load, Load::Loading);
        let _ =
            if busy { self.host.set_attribute("aria-busy", "true") } else { self.host.remove_attribute("aria-busy") };
        let switched = now != self.showing;
        self.showing = now.clone();
        page::set_json_ld(&self.host, self.structured_data(now.as_deref()).as_deref());
        match (&route, &self.load) {
            (Some(Route::Release(_)), _) => parts::need_body(&self.me),
            (Some(Route::List(_)), Load::Loaded(_)) => parts::prefetch_body(),
            _ => {}
        }
        if let (true, Some(id)) = (switched, &now) {
            page::emit(&self.host, "open", &events::Open { id: id.clone() });
        }
        if !(moved && switched) {
            return;
        }
        match now {
            Some(id) => {
                controls::focus(&self.content, "#re-title");
                self.last_opened = Some(id);
            }
            None => {
                if let Some(id) = &self.last_opened {
                    controls::focus(&self.content, &format!("[data-re-open=\"{}\"]", controls::css_escape(id)));
                }
            }
        }
    }

    /// The HTML for the current state, and the id of the release it shows, if any.
    fn view(&self, route: Option<&Route>, cx: &Context) -> (String, Option<String>) {
        let html = match (&self.config, &self.load, route) {
            (Err(e), _, _) => render::notice(&e.reader_message_in(self.labels), NoticeKind::Error { retry: false }, cx),
            (_, Load::Idle | Load::Loading, _) => render::notice(self.labels.loading, NoticeKind::Loading, cx),
            (_, Load::Failed(e), _) => {
                render::notice(&e.reader_message_in(self.labels), NoticeKind::Error { retry: true }, cx)
            }
            (Ok(_), Load::Loaded(library), Some(Route::Release(id))) => match library.feed.release(id) {
                Some(release) => return (render::detail(release, cx), Some(id.clone())),
                None => {
                    let e = Error::UnknownRelease { id: id.clone() };
                    page::warn(&format!("release-embed: {e}"));
                    render::notice(&e.reader_message_in(self.labels), NoticeKind::Info, cx)
                }
            },
            (Ok(config), Load::Loaded(library), Some(Route::List(state))) => {
                self.list_view(config, library, state, cx, render::list_view)
            }
            // No route means no config, which the first arm covers.
            (Ok(_), Load::Loaded(_), None) => String::new(),
        };
        (html, None)
    }

    /// Builds the list view for `state` and hands it to `draw` (the whole view, or one part).
    fn list_view<T>(
        &self,
        config: &Config,
        library: &Library,
        state: &FilterState,
        cx: &Context,
        draw: impl FnOnce(&ListView, &Context) -> T,
    ) -> T {
        let shown = &config.presentation;
        let state = &render::shown_state(shown, state);
        let page_size = shown.page_size(config.page_size);
        let outcome = evaluate(state, &library.catalog, self.index.as_ref(), &library.feed.releases, page_size);
        let saved_on = library.saved.map(|ms| page::format_day(ms, &self.locale()));
        let over_limit = library.over_limit.map(crate::error::bytes_text);
        let key = config.url_key.clone();
        let page_link = move |n: usize| {
            page::url_with_search(&FilterState { page: n, ..state.clone() }.to_search(&page::current_search(), &key))
        };
        let view = ListView {
            feed: &library.feed,
            catalog: &library.catalog,
            state,
            outcome: &outcome,
            controls: &config.controls,
            search_ready: self.index.is_some(),
            page_link: &page_link,
            saved_on: saved_on.as_deref(),
            over_limit: over_limit.as_deref(),
            presentation: shown,
            filters_open: self.filters_open,
        };
        draw(&view, cx)
    }

    /// A lazily loaded part came (or failed to): the block that waited for it shows what it can
    /// now. Only that block changes, so focus and scrolling stay where the reader left them.
    fn part_arrived(&mut self) {
        let Ok(Some(block)) = self.content.query_selector("[data-re-part]") else { return };
        let (Load::Loaded(library), Some(Route::Release(id))) = (&self.load, self.route()) else { return };
        let Some(release) = library.feed.release(&id) else { return };
        let html = self.with_context(|_, cx| render::body_block(release, cx));
        block.set_outer_html(&html);
    }

    /// Updates the results and facet counts in place after a filter change, so the control in use
    /// keeps its focus and typed text.
    fn refresh(&mut self, focus_results: bool) {
        let (Ok(config), Load::Loaded(library), Some(Route::List(state))) = (&self.config, &self.load, self.route())
        else {
            return self.show(false);
        };
        let done = self.with_context(|this, cx| {
            this.list_view(config, library, &state, cx, |v, cx| {
                let total = render::count_text(v, cx.labels);
                controls::set_html(
                    &this.content,
                    ".re-filter-count",
                    &render::active_badge(render::active_filters(v.state), cx.labels),
                );
                controls::replace_list_parts(
                    &this.content,
                    &render::results(v, cx),
                    &render::facet_counts(v),
                    &total,
                    v.outcome.sort,
                )
            })
        });
        if !done {
            return self.show(false);
        }
        if focus_results {
            controls::focus(&self.content, "#re-count");
        }
    }

    /// Runs `f` with the rendering context for this widget.
    fn with_context<T>(&self, f: impl FnOnce(&Self, &Context) -> T) -> T {
        let config = self.config.as_ref().ok();
        let param = config.map(Config::release_param).unwrap_or_default();
        let section = config.and_then(|c| c.section_label.as_deref()).unwrap_or(self.labels.section);
        let format_date = |d: &crate::model::Date| self.dates.format(d);
        let link = |id: Option<&str>| page::page_url(&param, id);
        let share_url = |r: &crate::model::Release| self.share_url(r, &param);
        let cx = Context {
            labels: self.labels,
            heading_level: config.map_or(crate::options::DEFAULT_HEADING_LEVEL, |c| c.heading_level),
            section_label: section,
            format_date: &format_date,
            link: &link,
            share_url: &share_url,
            base: &self.feed_url,
            native_share: page::has_native_share(),
            shares: config.map_or(crate::options::Shares::ALL, |c| c.shares),
            has_list: config.is_some_and(|c| c.release.is_none()),
            bodies: parts::body_html,
        };
        f(self, &cx)
    }

    /// The release's canonical URL when it is a full web address; else its deep link on this page.
    fn share_url(&self, r: &crate::model::Release, param: &str) -> String {
        let canonical =
            r.url.as_deref().and_then(|u| page::absolute(u, &self.feed_url)).filter(|u| is_absolute_http(u));
        canonical.unwrap_or_else(|| page::page_url(param, Some(&r.id)))
    }

    /// Shows a new filter state at once and puts it in the page URL: typing after a pause, every
    /// other change now.
    fn set_filters(&mut self, state: FilterState, typing: bool, focus_results: bool, weak: &Weak<RefCell<Inner>>) {
        page::emit(&self.host, "filter", &state);
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
        self.refresh(focus_results);
    }

    /// Writes typed filters that are still waiting into the page URL.
    fn flush_typed(&mut self) {
        if let Some((state, _)) = self.typed.take() {
            if let Err(e) = self.write_filters(&state, true) {
                page::error(&format!("release-embed: {e}"));
            }
        }
    }

    /// Typing updates the history entry its first keystroke made; every other change is a step
    /// Back can undo.
    fn write_filters(&self, state: &FilterState, typing: bool) -> Result<()> {
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

    fn current_filters(&self) -> FilterState {
        match self.route() {
            Some(Route::List(state)) => state,
            _ => FilterState::default(),
        }
    }

    fn on_input(&mut self, event: &Event, weak: &Weak<RefCell<Inner>>) {
        let Some(change) = controls::read_change(event) else {
            return;
        };
        let mut state = self.current_filters();
        let typing = change.apply(&mut state);
        state.page = 1;
        self.set_filters(state, typing, false, weak);
    }

    fn on_click(&mut self, event: &Event, weak: &Weak<RefCell<Inner>>) {
        let Some(target) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
            return;
        };
        // Share links are plain links the browser follows; the page only hears about them.
        if let Some(network) =
            target.closest("[data-re-share]").ok().flatten().and_then(|a| a.get_attribute("data-re-share"))
        {
            return page::emit(&self.host, "share", &events::Share { network });
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

    fn on_action(&mut self, action: &str, el: &Element, weak: &Weak<RefCell<Inner>>) {
        let url = el.get_attribute("data-re-url").unwrap_or_default();
        let network = match action {
            "copy" | "print" => Some(action),
            "share" => Some("native"),
            _ => None,
        };
        if let Some(network) = network {
            page::emit(&self.host, "share", &events::Share { network: network.into() });
        }
        let result = match action {
            "retry" => {
                self.start_load(weak.clone());
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

    fn copy(&mut self, url: &str, weak: &Weak<RefCell<Inner>>) {
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
