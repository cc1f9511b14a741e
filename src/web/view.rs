//! What the widget shows: the route the page URL asks for, the view for it as HTML from
//! `render`, and where focus goes when the reader moves between the list and a release.

use super::{archive, chunks, controls, events, library, page, parts, Inner, LoadState};
use crate::error::Error;
use crate::options::Config;
use crate::render::{self, Context, ListView, NoticeKind, Results};
use crate::search::{outcome, FilterState, Query};
use crate::url::{is_absolute_http, query_param};
use library::Library;

/// What the URL asks the widget to show.
pub(super) enum Route {
    Release(String),
    List(FilterState),
}

impl Inner {
    /// The reader's language: the `lang` option, else the nearest `lang` on the page, else the
    /// browser's.
    pub(super) fn locale(&self) -> String {
        let given = self.config.as_ref().ok().and_then(|c| c.lang.clone());
        given.unwrap_or_else(|| page::locale(&self.host))
    }

    /// schema.org data for the release on screen, if any.
    pub(super) fn structured_data(&self, id: Option<&str>) -> Option<String> {
        let (LoadState::Loaded(library), Ok(config)) = (&self.load, &self.config) else { return None };
        let archive::Shown::Ready(Some(release)) = self.release(library, id?) else { return None };
        let publisher = library.feed.agency.as_ref().map(|a| a.name.as_str());
        Some(render::json_ld(&release, publisher, &self.share_url(&release, &config.release_param())))
    }

    pub(super) fn route(&self) -> Option<Route> {
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
    pub(super) fn show(&mut self, moved: bool) {
        let route = self.route();
        let (html, now, waiting, results) = self.with_context(|this, cx| {
            let (html, now, results) = this.view(route.as_ref(), cx);
            let waiting = html == render::notice(this.labels.loading, NoticeKind::Loading, cx)
                || this.preview_stays(route.as_ref());
            (html, now, waiting, results)
        });
        if let Some(frame) = &mut self.frame {
            frame.waiting = false;
        }
        self.put(&html, waiting);
        // The entries on screen are this view's only when it was drawn (not while a list shown
        // before the wasm stays).
        self.items.adopt(&self.content, if waiting { None } else { results });
        if !waiting {
            self.keep_first(Some(&html), route.as_ref());
        }
        if self.shows_archive_progress() {
            self.show_archive_problem();
        }
        let busy = matches!(self.load, LoadState::Loading) || self.archive_busy();
        let _ =
            if busy { self.host.set_attribute("aria-busy", "true") } else { self.host.remove_attribute("aria-busy") };
        let switched = now != self.showing;
        self.showing = now.clone();
        page::set_json_ld(&self.host, self.structured_data(now.as_deref()).as_deref());
        match (&route, &self.load) {
            (Some(Route::Release(_)), _) => parts::need_body(&self.me),
            (Some(Route::List(_)), LoadState::Loaded(_)) => parts::prefetch_body(),
            _ => {}
        }
        if let (true, Some(id)) = (switched, &now) {
            page::emit(&self.host, "open", &events::open(id));
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

    /// The HTML for the current state, the id of the release it shows, if any, and the results
    /// inside it when it is the list.
    pub(super) fn view(&self, route: Option<&Route>, cx: &Context) -> (String, Option<String>, Option<Results>) {
        let html = match (&self.config, &self.load, route) {
            (Err(e), _, _) => render::notice(&e.reader_message_in(self.labels), NoticeKind::Error { retry: false }, cx),
            (_, LoadState::Idle | LoadState::Loading, _) => {
                render::notice(self.labels.loading, NoticeKind::Loading, cx)
            }
            (_, LoadState::Failed(e), _) => {
                render::notice(&e.reader_message_in(self.labels), NoticeKind::Error { retry: true }, cx)
            }
            (Ok(_), LoadState::Loaded(library), Some(Route::Release(id))) => match self.release(library, id) {
                archive::Shown::Ready(Some(release)) => return (render::detail(&release, cx), Some(id.clone()), None),
                archive::Shown::Ready(None) => {
                    let e = Error::UnknownRelease { id: id.clone() };
                    page::warn(&format!("release-embed: {e}"));
                    render::notice(&e.reader_message_in(self.labels), NoticeKind::Info, cx)
                }
                archive::Shown::Waiting => render::notice(self.labels.loading, NoticeKind::Loading, cx),
                archive::Shown::Failed(e) => {
                    render::notice(&e.reader_message_in(self.labels), NoticeKind::Error { retry: true }, cx)
                }
            },
            (Ok(config), LoadState::Loaded(library), Some(Route::List(state))) => {
                let list = |v: &ListView, cx: &Context| {
                    let results = render::results_parts(v, cx);
                    (render::list_view_with(v, cx, &results), results)
                };
                match self.list_view(config, library, state, cx, list) {
                    Some((html, results)) => return (html, None, Some(results)),
                    None => self.archive_waiting(library, cx),
                }
            }
            // No route means no config, which the first arm covers.
            (Ok(_), LoadState::Loaded(_), None) => String::new(),
        };
        (html, None, None)
    }

    /// Builds the list view for `state` and hands it to `draw` (the whole view, or one part);
    /// `None` while an archive has nothing to show yet.
    pub(super) fn list_view<T>(
        &self,
        config: &Config,
        library: &Library,
        state: &FilterState,
        cx: &Context,
        draw: impl FnOnce(&ListView, &Context) -> T,
    ) -> Option<T> {
        let shown = &config.presentation;
        let state = &render::shown_state(shown, state);
        let page_size = shown.page_size(config.page_size);
        let listed;
        let (feed, outcome) = match &library.archive {
            None => (&library.feed, {
                let releases = &library.feed.releases;
                let query = Query::parse(&state.query);
                let matches = self.index.as_ref().and_then(|index| chunks::search_now(index, &query, releases));
                outcome(state, &library.catalog, matches.as_ref(), releases.len(), page_size)
            }),
            Some(source) => {
                listed = source.list(state, page_size, &config.url_key, &self.me)?;
                (&listed.feed, listed.outcome.clone())
            }
        };
        let saved_on = library.saved.map(|ms| page::format_day(ms, &self.locale()));
        let search_problem =
            self.search_failed.then(|| format!("{}: {}", self.labels.search_failed, self.labels.code_failed));
        let over_limit = library.over_limit.map(crate::error::bytes_text);
        let key = config.url_key.clone();
        let page_link = move |n: usize| {
            page::url_with_search(&FilterState { page: n, ..state.clone() }.to_search(&page::current_search(), &key))
        };
        let view = ListView {
            feed,
            catalog: &library.catalog,
            state,
            outcome: &outcome,
            controls: &config.controls,
            search_ready: self.index.is_some(),
            search_problem: search_problem.as_deref(),
            page_link: &page_link,
            saved_on: saved_on.as_deref(),
            over_limit: over_limit.as_deref(),
            presentation: shown,
            filters_open: self.filters_open,
        };
        Some(draw(&view, cx))
    }

    /// A lazily loaded part came (or failed to): the block that waited for it shows what it can
    /// now. Only that block changes, so focus and scrolling stay where the reader left them.
    pub(super) fn part_arrived(&mut self) {
        let Ok(Some(block)) = self.content.query_selector("[data-re-part]") else { return };
        let (LoadState::Loaded(library), Some(Route::Release(id))) = (&self.load, self.route()) else { return };
        let archive::Shown::Ready(Some(release)) = self.release(library, &id) else { return };
        let html = self.with_context(|_, cx| render::body_block(&release, cx));
        block.set_outer_html(&html);
    }

    /// Updates the results and facet counts in place after a filter change, so the control in use
    /// keeps its focus and typed text.
    pub(super) fn refresh(&mut self, focus_results: bool) {
        // The list shown before the wasm (see `first`) is taken over whole, not in parts.
        if self.preview.is_some() {
            return self.show(false);
        }
        let (Ok(config), LoadState::Loaded(library), Some(Route::List(state))) =
            (&self.config, &self.load, self.route())
        else {
            return self.show(false);
        };
        if let Some(frame) = &mut self.frame {
            frame.waiting = false;
        }
        let Ok(Some(results_area)) = self.content.query_selector(".re-results") else { return self.show(false) };
        if self.archive_pending(config, library, &state) {
            if focus_results {
                controls::focus(&self.content, "#re-count");
            }
            return;
        }
        // Taken out for the draw, which borrows the rest of the widget.
        let mut items = std::mem::take(&mut self.items);
        let done = self.with_context(|this, cx| {
            this.list_view(config, library, &state, cx, |v, cx| {
                items.update(&results_area, render::results_parts(v, cx));
                controls::set_html(
                    &this.content,
                    ".re-filter-count",
                    &render::active_badge(render::active_filters(v.state), cx.labels),
                );
                controls::update_list_parts(
                    &this.content,
                    &render::facet_counts(v),
                    &render::count_text(v, cx.labels),
                    v.outcome.sort,
                );
            })
        });
        self.items = items;
        if done.is_none() {
            return self.show(false);
        }
        self.show_archive_problem();
        if focus_results {
            controls::focus(&self.content, "#re-count");
        }
    }

    /// Runs `f` with the rendering context for this widget.
    pub(super) fn with_context<T>(&self, f: impl FnOnce(&Self, &Context) -> T) -> T {
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
    pub(super) fn share_url(&self, r: &crate::model::Release, param: &str) -> String {
        let canonical =
            r.url.as_deref().and_then(|u| page::absolute(u, &self.feed_url)).filter(|u| is_absolute_http(u));
        canonical.unwrap_or_else(|| page::page_url(param, Some(&r.id)))
    }
}
