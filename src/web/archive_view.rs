//! The widget's side of an archive (`archive`): the views wait for pieces, and a piece that
//! failed shows the usual message with Try again above what is on screen.

use std::borrow::Cow;
use std::cell::RefCell;
use std::rc::Weak;

use super::archive::Shown;
use super::library::Library;
use super::{controls, Inner, LoadState, Route};
use crate::model::Release;
use crate::options::Config;
use crate::render::{self, Context, NoticeKind};
use crate::search::FilterState;

/// The widget's side of an archive: the views wait for pieces, and a piece that failed shows the
/// usual message with Try again above what is on screen.
impl Inner {
    /// The release `id` as its view shows it, from the feed or the archive.
    pub(super) fn release<'a>(&self, library: &'a Library, id: &str) -> Shown<Option<Cow<'a, Release>>> {
        match &library.archive {
            None => Shown::Ready(library.feed.release(id).map(Cow::Borrowed)),
            Some(source) => match source.release(id, &self.me) {
                Shown::Ready(release) => Shown::Ready(release.map(Cow::Owned)),
                Shown::Waiting => Shown::Waiting,
                Shown::Failed(e) => Shown::Failed(e),
            },
        }
    }

    /// What an archive's list shows before its first page is in: loading, or why it failed.
    pub(super) fn archive_waiting(&self, library: &Library, cx: &Context) -> String {
        match library.archive.as_ref().and_then(|a| a.problem()) {
            Some(e) => render::notice(&e.reader_message_in(self.labels), NoticeKind::Error { retry: true }, cx),
            None => render::notice(self.labels.loading, NoticeKind::Loading, cx),
        }
    }

    /// The pieces a view waited for are in (or one failed): draw it. A list changes in place, so
    /// the control in use keeps its focus; a release that was waiting takes focus as if just
    /// opened.
    pub(super) fn archive_arrived(&mut self) {
        match self.route() {
            Some(Route::Release(_)) => self.show(true),
            _ => {
                // The results are redrawn in place; focus stays on what the reader (or a page
                // change, which focuses the count) left it on, though that element is new.
                let focused = controls::focused_id(&self.host);
                self.refresh(false);
                if let Some(id) = focused.filter(|id| controls::focused_id(&self.host).as_ref() != Some(id)) {
                    controls::focus(&self.content, &format!("[id=\"{}\"]", controls::css_escape(&id)));
                }
            }
        }
    }

    /// Whether an archive's view is on its way: the widget is busy (`aria-busy` on its element)
    /// until it is in.
    pub(super) fn archive_busy(&self) -> bool {
        matches!(&self.load, LoadState::Loaded(library) if library.archive.as_ref().is_some_and(|a| a.waiting()))
    }

    /// An archive's list whose answer is on its way keeps the results on screen as they are (no
    /// stale list drawn again while the pieces come): they change once, with the count, when the
    /// answer is in. Meanwhile the count says it is loading (so the number shown is never the
    /// earlier view's) and the widget is busy. True when there is nothing to draw now; a problem
    /// then shows above the list.
    pub(super) fn archive_pending(&self, config: &Config, library: &Library, state: &FilterState) -> bool {
        let Some(source) = &library.archive else { return false };
        let shown = &config.presentation;
        let state = render::shown_state(shown, state);
        // Asks for the list, unless its answer is here.
        let _ = source.list(&state, shown.page_size(config.page_size), &config.url_key, &self.me);
        let pending = source.problem().is_some() || source.waiting();
        if pending {
            self.show_archive_problem();
        }
        pending
    }

    /// Shows the archive's problem, if any, above a list that is on screen (a view with nothing
    /// to show has it as its notice already), and removes it once gone. The widget is busy while
    /// a view's answer is on its way.
    pub(super) fn show_archive_problem(&self) {
        let source = match &self.load {
            LoadState::Loaded(library) => library.archive.as_ref(),
            _ => None,
        };
        let problem = source.and_then(|a| a.problem());
        let waiting = self.archive_busy();
        if source.is_some() {
            let _ = match waiting {
                true => self.host.set_attribute("aria-busy", "true"),
                false => self.host.remove_attribute("aria-busy"),
            };
        }
        if let (true, Ok(Some(count))) = (waiting, self.content.query_selector(".re-count")) {
            if count.text_content().as_deref() != Some(self.labels.loading) {
                count.set_text_content(Some(self.labels.loading));
            }
        }
        if let Ok(Some(live)) = self.content.query_selector("#re-live").map(|l| l.filter(|_| waiting)) {
            live.set_text_content(None);
        }
        let shown = self.content.query_selector("[data-re-problem]").ok().flatten();
        let list_on_screen = matches!(self.content.query_selector("#re-count"), Ok(Some(_)));
        match (problem, shown) {
            (Some(e), shown) if list_on_screen => {
                let html = self.with_context(|this, cx| {
                    render::notice(&e.reader_message_in(this.labels), NoticeKind::Error { retry: true }, cx)
                });
                let html = format!("<div data-re-problem=\"\">{html}</div>");
                match shown {
                    Some(el) => el.set_outer_html(&html),
                    None => {
                        let _ = self.content.insert_adjacent_html("afterbegin", &html);
                    }
                }
            }
            (None, Some(el)) => el.remove(),
            _ => {}
        }
    }

    /// Try again: an archive fetches the pieces that failed, keeping what is shown; a feed (or an
    /// archive whose manifest failed) loads again.
    pub(super) fn retry(&mut self, weak: &Weak<RefCell<Inner>>) {
        match &self.load {
            // A manifest from the kept copy (offline) is loaded again; pieces are fetched again.
            LoadState::Loaded(library) if library.archive.is_some() && library.saved.is_none() => {
                if let Some(source) = &library.archive {
                    source.retry();
                }
                match self.route() {
                    Some(Route::Release(_)) => self.show(true),
                    _ => self.refresh(false),
                }
            }
            _ => self.start_load(weak.clone()),
        }
    }
}
