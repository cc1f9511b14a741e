//! Reading an archive (`src` names the `archive.json` that `release-embed archive` writes): the
//! pure query (`crate::archive`) answers each view from the pieces fetched so far, or names the
//! pieces it still needs; they are fetched here in parallel and the view is drawn again when they
//! are all in. Only what a view needs is fetched: the first list is the manifest and the first
//! page's card pieces, a search the word pieces of its words, an opened release its body piece.
//!
//! Pieces are named by the hash of their content, so a fetched piece is kept in memory for every
//! widget on the page (those of the latest views, within a budget) and never goes stale; each one
//! fetched is also kept in localStorage (a bounded amount) so that, offline, what was seen can be
//! seen again.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::{Rc, Weak};

use wasm_bindgen_futures::spawn_local;
use web_sys::AbortController;

mod backend;

use backend::Backend;

use super::fetch::{fetch_bytes, Limits};
use super::{cache, page, Inner};
use crate::archive::held::Held;
use crate::archive::reader::{Answer, Head, Opened, HELD_BYTES};
use crate::archive::FORMAT_NAME;
use crate::error::{Error, Result};
use crate::model::{Agency, Feed, Release};
use crate::search::{Catalog, FilterState, Outcome};

/// Card pieces (or card lists) a deep link to a release not seen yet asks for per round.
const FIND_AHEAD: usize = 8;

/// The most rounds of adding held pieces one view may take (a view takes a few: the cards, the
/// words, the blocks).
const ASK_ROUNDS: usize = 64;

thread_local! {
    /// Pieces fetched on this page, by address, for every widget on it (and a widget's next
    /// load): about the recent views' pieces (see `Held`), as each reader keeps its own.
    static PIECES: RefCell<Held<String>> = RefCell::new(Held::new(HELD_BYTES));
}

/// Whether the document at `url` is an archive's manifest rather than a feed: its `"format"` says
/// so (whatever the address), or the address ends in `archive.json` (so that a manifest the reader
/// cannot use gets the archive's message, such as a newer version's, not "not a feed").
pub fn is_manifest(url: &str, text: &str) -> bool {
    #[derive(serde::Deserialize)]
    struct Head {
        format: Option<String>,
    }
    let path = url.split(['?', '#']).next().unwrap_or(url);
    if path.ends_with("/archive.json") || path == "archive.json" {
        return true;
    }
    // The cheap test first: a feed of megabytes is not parsed twice.
    text.contains(&format!("\"{FORMAT_NAME}\""))
        && serde_json::from_str::<Head>(text).is_ok_and(|h| h.format.as_deref() == Some(FORMAT_NAME))
}

/// An open archive and the pieces on their way.
pub struct Source {
    reader: Backend,
    head: Head,
    /// The manifest's address: piece names resolve against it.
    base: String,
    limits: Limits,
    /// The load's: a new load, or the widget's removal, stops the fetches.
    abort: AbortController,
    progress: RefCell<Progress>,
}

#[derive(Default)]
struct Progress {
    in_flight: HashSet<String>,
    /// A piece could not be had: shown with Try again; no fetching until the reader asks.
    failed: Option<Error>,
    /// The ordinal of each release seen in a list, for opening it.
    ordinals: HashMap<String, u32>,
    /// The last list drawn, shown again while the next one's pieces come.
    last: Option<Listed>,
    /// The list last given out is that one, shown again while the pieces of the view asked for
    /// come: its count is not the view's.
    stale: bool,
    /// The widget to draw again when the pieces are in.
    widget: Option<Weak<RefCell<Inner>>>,
}

/// The most release ordinals kept: a reader paging through a large archive would otherwise grow
/// the map with every card listed. Forgetting costs only a lookup (`find`) when one is opened.
const ORDINALS_KEPT: usize = 4096;

impl Progress {
    /// Remembers the ordinal of release `id`; the map is emptied when it is full.
    fn remember(&mut self, id: &str, ordinal: u32) {
        if self.ordinals.len() >= ORDINALS_KEPT && !self.ordinals.contains_key(id) {
            self.ordinals.clear();
        }
        self.ordinals.insert(id.to_string(), ordinal);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ordinals_kept_are_bounded() {
        let mut progress = Progress::default();
        for i in 0..(ORDINALS_KEPT as u32 * 3 + 7) {
            progress.remember(&format!("release-{i}"), i);
            assert!(progress.ordinals.len() <= ORDINALS_KEPT);
        }
        // The latest is always there to be opened.
        assert_eq!(progress.ordinals.get("release-12294"), Some(&12294));
    }
}

/// A page of the list: its releases as a feed (what the renderer takes) and the outcome over it.
#[derive(Clone)]
pub struct Listed {
    pub feed: Feed,
    pub outcome: Outcome,
}

/// What a view can show now.
pub enum Shown<T> {
    Ready(T),
    /// Its pieces are on their way.
    Waiting,
    Failed(Error),
}

fn piece_url(base: &str, name: &str) -> String {
    crate::url::resolve(base, &format!("p/{name}"))
}

impl Source {
    /// Reads the manifest at `url`. Without the `archive-reader` feature (the release build) the
    /// reader is the lazily loaded archive part, fetched now.
    pub async fn open(text: &str, url: &str, limits: Limits, abort: &AbortController) -> Result<Source> {
        let reader = Backend::open(text).await?;
        let head = reader.head().map_err(|detail| Error::NotAFeed { detail })?;
        Ok(Source { reader, head, base: url.to_string(), limits, abort: abort.clone(), progress: RefCell::default() })
    }

    /// The facets' values, as a feed's catalog holds them.
    pub fn catalog(&self) -> Catalog {
        let mut catalog = Catalog::new(&[]);
        (catalog.tags, catalog.agencies, catalog.years) =
            (self.head.tags.clone(), self.head.agencies.clone(), self.head.years.clone());
        catalog
    }

    pub fn releases(&self) -> usize {
        self.head.releases as usize
    }

    /// A piece could not be had (or was damaged): the reader sees this with Try again.
    pub fn problem(&self) -> Option<Error> {
        self.progress.borrow().failed.clone()
    }

    /// Try again: forget the failure; the next view fetches what it needs again.
    pub fn retry(&self) {
        self.progress.borrow_mut().failed = None;
    }

    /// Asks the reader, giving it the pieces this page fetched already (for another widget, or
    /// before a reload) until it needs ones that are not here: those are fetched.
    fn ask<T>(self: &Rc<Self>, widget: &Weak<RefCell<Inner>>, f: impl Fn(&Backend) -> Answer<T>) -> Shown<T> {
        // Each round adds pieces the reader asked for; a reader that keeps asking for pieces it
        // was given (a view needing more than it can hold) must not spin the page for ever.
        for _ in 0..ASK_ROUNDS {
            match f(&self.reader) {
                Answer::Ready(value) => {
                    PIECES.with(|p| p.borrow_mut().next_view());
                    return Shown::Ready(value);
                }
                Answer::Need(names) => {
                    let mut missing = Vec::new();
                    for name in names {
                        match PIECES.with(|p| p.borrow_mut().get(&piece_url(&self.base, &name))) {
                            Some(bytes) => self.reader.add(&name, &bytes),
                            None => missing.push(name),
                        }
                    }
                    if missing.is_empty() {
                        continue;
                    }
                    if let Some(e) = self.problem() {
                        return Shown::Failed(e);
                    }
                    self.fetch(missing, widget);
                    return Shown::Waiting;
                }
                Answer::Failed { piece, message } => {
                    // A damaged piece is dropped everywhere, so Try again fetches it anew.
                    let url = piece_url(&self.base, &piece);
                    self.reader.forget(&piece);
                    PIECES.with(|p| p.borrow_mut().remove(&url));
                    cache::pieces::forget(&url);
                    let e = Error::Archive { detail: format!("piece {url}: {message}") };
                    return Shown::Failed(self.fail(e));
                }
            }
        }
        let detail = format!("a view still needed pieces after {ASK_ROUNDS} rounds of adding them");
        Shown::Failed(self.fail(Error::Archive { detail }))
    }

    /// The list for `state`; while its pieces come (or after one failed), the last list shown
    /// (`None` before the first). `widget` is drawn again when the pieces are in.
    pub fn list(
        self: &Rc<Self>,
        state: &FilterState,
        page_size: usize,
        key: &str,
        widget: &Weak<RefCell<Inner>>,
    ) -> Option<Listed> {
        let search = state.to_search("", key);
        let listing = match self.ask(widget, |r| r.list(&search, key, page_size)) {
            Shown::Ready(listing) => listing,
            Shown::Waiting | Shown::Failed(_) => return self.last(),
        };
        let (releases, outcome) = match listing.shown(&self.base) {
            Ok(shown) => shown,
            Err(detail) => {
                self.fail(Error::Archive { detail });
                return self.last();
            }
        };
        let listed = Listed { outcome, feed: Feed { releases, ..self.empty_feed() } };
        let mut progress = self.progress.borrow_mut();
        for (card, ordinal) in listing.cards.iter().zip(&listing.ordinals) {
            progress.remember(&card.id, *ordinal);
        }
        // This view had all it needed: an earlier failure no longer stands in its way.
        progress.failed = None;
        progress.last = Some(listed.clone());
        progress.stale = false;
        Some(listed)
    }

    fn last(&self) -> Option<Listed> {
        let mut progress = self.progress.borrow_mut();
        progress.stale = true;
        progress.last.clone()
    }

    /// The list on screen is an earlier one, shown while the pieces of the one asked for come.
    pub fn waiting(&self) -> bool {
        let progress = self.progress.borrow();
        progress.stale && progress.failed.is_none()
    }

    /// The archive's feed-level fields, with no releases: the views come from the archive.
    pub fn empty_feed(&self) -> Feed {
        Feed {
            agency: self.head.agency.as_ref().map(|a| Agency { name: a.name.clone(), url: a.url.clone() }),
            releases: Vec::new(),
            problems: Vec::new(),
            cut_off: false,
            language: self.head.language.clone(),
            next: None,
        }
    }

    /// The release `id` with its body; `Ready(None)` when the archive has no such release.
    pub fn release(self: &Rc<Self>, id: &str, widget: &Weak<RefCell<Inner>>) -> Shown<Option<Release>> {
        if let Some(e) = self.problem() {
            return Shown::Failed(e);
        }
        let known = self.progress.borrow().ordinals.get(id).copied();
        let found = match known {
            Some(ordinal) => Shown::Ready(Some(ordinal)),
            None => self.ask(widget, |r| r.find(id, FIND_AHEAD)),
        };
        let ordinal = match found {
            Shown::Ready(Some(ordinal)) => ordinal,
            Shown::Ready(None) => return Shown::Ready(None),
            Shown::Waiting => return Shown::Waiting,
            Shown::Failed(e) => return Shown::Failed(e),
        };
        self.progress.borrow_mut().remember(id, ordinal);
        match self.ask(widget, |r| r.open_release(ordinal)) {
            Shown::Ready(Opened { card, .. }) if card.id != id => {
                Shown::Failed(self.fail(Error::Archive { detail: format!("the archive's release {id} moved") }))
            }
            Shown::Ready(Opened { card, body }) => match card.opened(&body, &self.base) {
                Ok(release) => Shown::Ready(Some(release)),
                Err(detail) => Shown::Failed(self.fail(Error::Archive { detail })),
            },
            Shown::Waiting => Shown::Waiting,
            Shown::Failed(e) => Shown::Failed(e),
        }
    }

    fn fail(&self, e: Error) -> Error {
        page::error(&format!("release-embed: {e}"));
        self.progress.borrow_mut().failed = Some(e.clone());
        e
    }

    /// Fetches every piece of `names` not on its way already, all at once; when the last one is
    /// in, `widget` is drawn again.
    fn fetch(self: &Rc<Self>, names: Vec<String>, widget: &Weak<RefCell<Inner>>) {
        let new: Vec<String> = {
            let mut progress = self.progress.borrow_mut();
            progress.widget = Some(widget.clone());
            names.into_iter().filter(|n| progress.in_flight.insert(n.clone())).collect()
        };
        for name in new {
            let this = self.clone();
            spawn_local(async move {
                let url = piece_url(&this.base, &name);
                let result = match fetch_bytes(&url, this.limits, &this.abort, None).await {
                    Ok(raw) if raw.over_limit => {
                        Err(Error::TooLarge { url: url.clone(), limit: this.limits.max_bytes })
                    }
                    Ok(raw) => {
                        cache::pieces::keep(&url, &raw.bytes);
                        Ok(raw.bytes)
                    }
                    // Offline: the copy kept when this piece was last seen, if there is one.
                    Err(e) => cache::pieces::load(&url).ok_or(e),
                };
                if this.abort.signal().aborted() {
                    return;
                }
                // Nothing is borrowed while the page is called (the archive part, the console): a
                // page that wraps console.error may call the widget back from it.
                let failure = match result {
                    Ok(bytes) => {
                        this.reader.add(&name, &bytes);
                        PIECES.with(|p| p.borrow_mut().insert(url, bytes.into()));
                        None
                    }
                    Err(e) => {
                        page::error(&format!("release-embed: {e}"));
                        Some(e)
                    }
                };
                let done = {
                    let mut progress = this.progress.borrow_mut();
                    progress.in_flight.remove(&name);
                    if let Some(e) = failure {
                        progress.failed.get_or_insert(e);
                    }
                    progress.in_flight.is_empty().then(|| progress.widget.clone()).flatten()
                };
                if let Some(widget) = done {
                    super::with(&widget, Inner::archive_arrived);
                }
            });
        }
    }
}
