//! Reading an archive (`src` names the `archive.json` that `release-embed archive` writes): the
//! pure query (`crate::archive`) answers each view from the pieces fetched so far, or names the
//! pieces it still needs. In the release build that loop runs in the archive part's worker
//! (`js/archive-engine.js`): it fetches each round's pieces, keeps them, and answers once the view
//! is complete, so the list view asks for a view and draws it once, when its answer is in. Only
//! what a view needs is fetched: the first list is the manifest and the first page's card pieces,
//! a search the word pieces of its words, an opened release its body piece.
//!
//! Pieces are named by the hash of their content, so a fetched piece is kept in memory for every
//! widget on the page and never goes stale; each one fetched is also kept (the Cache API, in
//! batches) so that, offline, what was seen can be seen again.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::{Rc, Weak};

use wasm_bindgen_futures::spawn_local;
use web_sys::AbortController;

mod backend;

use backend::{Backend, Reply};

use super::fetch::Limits;
use super::{page, Inner};
use crate::archive::reader::{Head, Opened};
use crate::archive::FORMAT_NAME;
use crate::error::{Error, Result};
use crate::model::{Agency, Feed, Release};
use crate::search::{Catalog, FilterState, Outcome};
use crate::text::entities::needs_whole_list;

/// Card pieces (or card lists) a deep link to a release not seen yet asks for per round.
const FIND_AHEAD: usize = 8;

/// Releases opened lately whose card and body are kept (the view and its structured data ask
/// for the same one several times).
const OPENED_KEPT: usize = 4;

/// Whether the document at `url` is an archive's manifest rather than a feed: its `"format"` says
/// so (whatever the address), or the address ends in `archive.json` (so that a manifest the reader
/// cannot use gets the archive's message, such as a newer version's, not "not a feed").
pub fn is_manifest(url: &str, text: &str) -> bool {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    if path.ends_with("/archive.json") || path == "archive.json" {
        return true;
    }
    // The cheap test first: a feed of megabytes is not parsed twice.
    // Then the member itself, and the whole document as JSON (as a derived reader of `{"format"}`
    // checked it; serde's typed readers would add about 10 kB to the list view).
    text.contains(&format!("\"{FORMAT_NAME}\""))
        && crate::feed::top_level_text(text, "format").as_deref() == Some(FORMAT_NAME)
        && serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok()
}

/// What the list view asks of an open archive. The code behind it is the archive chunk's (opened
/// by `chunks::open_archive`, the one way in): a feed's journey never fetches it, and the list
/// view reaches it only through this trait's table, filled when the chunk arrives.
pub trait Archive {
    /// The facets' values, as a feed's catalog holds them.
    fn catalog(&self) -> Catalog;
    fn releases(&self) -> usize;
    /// A view could not be had (a piece missing or damaged): the reader sees this with Try again.
    fn problem(&self) -> Option<Error>;
    /// Try again: forget the failure; the next view asks again for what it needs.
    fn retry(&self);
    /// The list for `state` when its answer is in; until then (or after a failure) the last list
    /// answered (`None` before the first), and the answer is asked for. `widget` is drawn again
    /// when it is in.
    fn list(&self, state: &FilterState, page_size: usize, key: &str, widget: &Weak<RefCell<Inner>>) -> Option<Listed>;
    /// The list on screen is an earlier one, kept while the answer of the one asked for comes.
    fn waiting(&self) -> bool;
    /// The archive's feed-level fields, with no releases: the views come from the archive.
    fn empty_feed(&self) -> Feed;
    /// The release `id` with its body; `Ready(None)` when the archive has no such release.
    fn release(&self, id: &str, widget: &Weak<RefCell<Inner>>) -> Shown<Option<Release>>;
}

/// Opens the archive whose manifest is `text`, fetched from `url`.
pub async fn open(text: String, url: String, limits: Limits, abort: AbortController) -> Result<Rc<dyn Archive>> {
    let source = Source::open(&text, &url, limits, &abort).await?;
    // The answers arrive in tasks that keep the source alive: the trait is on its `Rc`.
    Ok(Rc::new(Rc::new(source)))
}

/// An open archive and the views asked of it.
pub struct Source {
    reader: Backend,
    head: Head,
    /// The manifest's address: piece names resolve against it.
    base: String,
    /// The load's: a new load, or the widget's removal, stops the fetches.
    abort: AbortController,
    progress: RefCell<Progress>,
}

#[derive(Default)]
struct Progress {
    /// A view could not be had: shown with Try again; nothing more is asked until the reader
    /// asks.
    failed: Option<Error>,
    /// The ordinal of each release seen in a list, for opening it.
    ordinals: HashMap<String, u32>,
    /// Release ids the archive has not got.
    absent: HashSet<String>,
    finding: HashSet<String>,
    /// The latest list answered (its request, and the list): shown until the next one is in.
    listed: Option<(String, Listed)>,
    /// The list asked for whose answer is on its way.
    asking: Option<String>,
    opened: Vec<(u32, Opened)>,
    opening: HashSet<u32>,
    /// The widget to draw again when an answer is in.
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
    fn a_manifest_is_known_by_its_format_or_its_address() {
        let named = format!(r#"{{"format": "{FORMAT_NAME}", "version": 1}}"#);
        assert!(is_manifest("https://example.org/feed.json", &named));
        assert!(is_manifest("https://example.org/news/archive.json?v=2", "{}"));
        assert!(!is_manifest("https://example.org/feed.json", r#"{"version": "1", "releases": []}"#));
        // As a derived reader of `{"format"}` saw it: the whole document must be JSON, the member
        // text, and named once.
        assert!(!is_manifest("https://example.org/feed.json", &named.replace('}', ", ")));
        assert!(!is_manifest("https://example.org/feed.json", &format!("{named} trailing")));
        let twice = format!(r#"{{"format": "{FORMAT_NAME}", "format": "{FORMAT_NAME}"}}"#);
        assert!(!is_manifest("https://example.org/feed.json", &twice));
        let inner = format!(r#"{{"releases": [{{"format": "{FORMAT_NAME}"}}]}}"#);
        assert!(!is_manifest("https://example.org/feed.json", &inner));
    }

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

impl Archive for Rc<Source> {
    fn catalog(&self) -> Catalog {
        let mut catalog = Catalog::new(&[]);
        (catalog.tags, catalog.agencies, catalog.years) =
            (self.head.tags.clone(), self.head.agencies.clone(), self.head.years.clone());
        catalog
    }

    fn releases(&self) -> usize {
        self.head.releases as usize
    }

    fn problem(&self) -> Option<Error> {
        self.progress.borrow().failed.clone()
    }

    fn retry(&self) {
        self.progress.borrow_mut().failed = None;
    }

    fn list(&self, state: &FilterState, page_size: usize, key: &str, widget: &Weak<RefCell<Inner>>) -> Option<Listed> {
        let search = state.to_search("", key);
        let asked = format!("{page_size} {search}");
        let last = {
            let mut progress = self.progress.borrow_mut();
            progress.widget = Some(widget.clone());
            if let Some((_, listed)) = progress.listed.as_ref().filter(|(answered, _)| *answered == asked) {
                let listed = listed.clone();
                // The reader came back to this list: an answer still on its way is not drawn,
                // and an earlier failure no longer stands in the way.
                (progress.asking, progress.failed) = (None, None);
                return Some(listed);
            }
            let last = progress.listed.as_ref().map(|(_, listed)| listed.clone());
            if progress.failed.is_some() || progress.asking.as_deref() == Some(asked.as_str()) {
                return last;
            }
            progress.asking = Some(asked.clone());
            last
        };
        let (this, key) = (self.clone(), key.to_string());
        spawn_local(async move {
            let reply = this.reader.list(&search, &key, page_size).await;
            if this.abort.signal().aborted() {
                return;
            }
            let result = match reply {
                Reply::Superseded => return,
                Reply::Failed(e) => Err(e),
                Reply::Ready(listing) => {
                    listing.shown(&this.base).map_err(|detail| Error::Archive { detail }).map(|(releases, outcome)| {
                        (Listed { outcome, feed: Feed { releases, ..this.empty_feed() } }, listing)
                    })
                }
            };
            let latest = {
                let mut progress = this.progress.borrow_mut();
                let latest = progress.asking.as_deref() == Some(asked.as_str());
                if latest {
                    progress.asking = None;
                }
                if let (Ok((listed, listing)), true) = (&result, latest) {
                    for (card, ordinal) in listing.cards.iter().zip(&listing.ordinals) {
                        progress.remember(&card.id, *ordinal);
                    }
                    // This view had all it needed: an earlier failure no longer stands in its way.
                    progress.failed = None;
                    progress.listed = Some((asked, listed.clone()));
                }
                latest
            };
            if let Err(e) = result {
                this.fail(e);
            } else if !latest {
                // A later list is on its way: that one is drawn.
                return;
            }
            this.arrived();
        });
        last
    }

    fn waiting(&self) -> bool {
        let progress = self.progress.borrow();
        progress.asking.is_some() && progress.failed.is_none()
    }

    fn empty_feed(&self) -> Feed {
        Feed {
            agency: self.head.agency.as_ref().map(|a| Agency { name: a.name.clone(), url: a.url.clone() }),
            releases: Vec::new(),
            problems: Vec::new(),
            cut_off: false,
            language: self.head.language.clone(),
            next: None,
        }
    }

    fn release(&self, id: &str, widget: &Weak<RefCell<Inner>>) -> Shown<Option<Release>> {
        if let Some(e) = self.problem() {
            return Shown::Failed(e);
        }
        let ordinal = {
            let mut progress = self.progress.borrow_mut();
            progress.widget = Some(widget.clone());
            if progress.absent.contains(id) {
                return Shown::Ready(None);
            }
            match progress.ordinals.get(id).copied() {
                Some(ordinal) => ordinal,
                None => {
                    if progress.finding.insert(id.to_string()) {
                        drop(progress);
                        self.find(id.to_string());
                    }
                    return Shown::Waiting;
                }
            }
        };
        let opened = {
            let mut progress = self.progress.borrow_mut();
            match progress.opened.iter().find(|(o, _)| *o == ordinal) {
                Some((_, opened)) => opened.clone(),
                None => {
                    if progress.opening.insert(ordinal) {
                        drop(progress);
                        self.open_release(ordinal);
                    }
                    return Shown::Waiting;
                }
            }
        };
        match opened {
            Opened { card, .. } if card.id != id => {
                Shown::Failed(self.fail(Error::Archive { detail: format!("the archive's release {id} moved") }))
            }
            Opened { card, body } => match card.opened(&body, &self.base) {
                Ok(release) => Shown::Ready(Some(release)),
                Err(detail) => Shown::Failed(self.fail(Error::Archive { detail })),
            },
        }
    }
}

impl Source {
    /// Reads the manifest at `url`. Without the `archive-reader` feature (the release build) the
    /// reader is the lazily loaded archive part, started now in its worker.
    pub async fn open(text: &str, url: &str, limits: Limits, abort: &AbortController) -> Result<Source> {
        let reader = Backend::open(text, url, limits, abort).await?;
        let head = reader.head().map_err(|detail| Error::NotAFeed { detail })?;
        Ok(Source { reader, head, base: url.to_string(), abort: abort.clone(), progress: RefCell::default() })
    }

    /// Asks where release `id` is.
    fn find(self: &Rc<Self>, id: String) {
        let this = self.clone();
        spawn_local(async move {
            let reply = this.reader.find(&id, FIND_AHEAD).await;
            if this.abort.signal().aborted() {
                return;
            }
            let failed = {
                let mut progress = this.progress.borrow_mut();
                progress.finding.remove(&id);
                match reply {
                    Reply::Ready(Some(ordinal)) => {
                        progress.remember(&id, ordinal);
                        None
                    }
                    Reply::Ready(None) => {
                        if progress.absent.len() >= ORDINALS_KEPT {
                            progress.absent.clear();
                        }
                        progress.absent.insert(id);
                        None
                    }
                    Reply::Superseded => None,
                    Reply::Failed(e) => Some(e),
                }
            };
            if let Some(e) = failed {
                this.fail(e);
            }
            this.arrived();
        });
    }

    /// Asks for the card and body of the release at `ordinal`.
    fn open_release(self: &Rc<Self>, ordinal: u32) {
        let this = self.clone();
        spawn_local(async move {
            let reply = match this.reader.open_release(ordinal).await {
                Reply::Ready(opened) => with_references(opened).await,
                other => other,
            };
            if this.abort.signal().aborted() {
                return;
            }
            let failed = {
                let mut progress = this.progress.borrow_mut();
                progress.opening.remove(&ordinal);
                match reply {
                    Reply::Ready(opened) => {
                        if progress.opened.len() >= OPENED_KEPT {
                            progress.opened.remove(0);
                        }
                        progress.opened.push((ordinal, opened));
                        None
                    }
                    Reply::Superseded => None,
                    Reply::Failed(e) => Some(e),
                }
            };
            if let Some(e) = failed {
                this.fail(e);
            }
            this.arrived();
        });
    }

    /// An answer is in (or failed): the widget that asked draws again. Nothing is borrowed while
    /// it does, nor while the page is called (the console): a page that wraps console.error may
    /// call the widget back from it.
    fn arrived(&self) {
        let widget = self.progress.borrow().widget.clone();
        if let Some(widget) = widget {
            super::with(&widget, Inner::archive_arrived);
        }
    }

    fn fail(&self, e: Error) -> Error {
        self.progress.borrow_mut().failed = Some(e.clone());
        page::error(&format!("release-embed: {e}"));
        e
    }
}

/// An opened release whose body names a reference the list view does not carry (see
/// `text::entities`) waits for the whole list, as a feed's text does before it is read. The
/// command writes bodies without such names; an archive from elsewhere may not.
async fn with_references(opened: Opened) -> Reply<Opened> {
    let html = opened.body.html.as_deref().unwrap_or_default();
    if needs_whole_list(html.as_bytes()) {
        if let Err(e) = super::chunks::use_whole_entity_list().await {
            return Reply::Failed(e);
        }
    }
    Reply::Ready(opened)
}
