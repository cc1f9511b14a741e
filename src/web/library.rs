//! Loading a feed without freezing the page: fetch, then parse and index a slice at a time,
//! giving the browser a turn between slices so it can paint and answer input.

use std::rc::Rc;

use gloo_timers::future::TimeoutFuture;
use web_sys::AbortController;

use super::fetch::{fetch_text, Early, Fetched, Limits};
use super::{cache, chunks};
use crate::error::{Error, Result};
use crate::feed::{next_page, Format, NativeParser};
use crate::model::{Feed, Release};
use crate::search::{Catalog, CatalogBuilder, Index, IndexBuilder};
use crate::text::entities::needs_whole_list;

/// Work done between two turns of the browser: well under a frame, so typing and scrolling stay
/// smooth while a large feed loads.
const SLICE_MS: f64 = 12.0;

/// A loaded feed and its facet values; the search index follows separately.
pub struct Library {
    pub feed: Feed,
    pub catalog: Catalog,
    /// When the network failed and a kept copy is shown: when it was saved (ms since 1970).
    pub saved: Option<f64>,
    /// The format of the first page, used for the next ones.
    pub format: Format,
    /// Pages read so far.
    pub pages: usize,
    /// Set when the feed was longer than this many bytes and only its beginning was read.
    pub over_limit: Option<usize>,
    /// An archive (`src` named an `archive.json`): the feed above has no releases; the views come
    /// from the archive piece by piece.
    pub archive: Option<Rc<dyn super::archive::Archive>>,
}

impl Library {
    /// The same library with a later page added, and whether its releases before kept their
    /// places (see [`Feed::merge`]).
    pub fn with_page(&self, page: Feed) -> (Library, bool) {
        let mut feed = self.feed.clone();
        let kept = feed.merge(page);
        let catalog = Catalog::new(&feed.releases);
        (Library { feed, catalog, pages: self.pages + 1, archive: None, ..*self }, kept)
    }
}

/// Fetches (or takes the `early` request for) and reads the feed at `url`; `format` `None` detects
/// it. On a network failure the copy kept from an earlier visit is read instead, if there is one.
pub async fn load(
    url: &str,
    limits: Limits,
    format: Option<Format>,
    abort: &AbortController,
    early: Option<Early>,
) -> Result<Library> {
    let (fetched, saved) = match fetch_text(url, limits, abort, early).await {
        Ok(fetched) => (fetched, None),
        Err(e) if matches!(e, Error::Network { .. } | Error::Timeout { .. } | Error::Http { .. }) => {
            let Some((text, saved)) = cache::load(url) else { return Err(e) };
            super::page::error(&format!("release-embed: {e}; showing the copy kept from an earlier visit"));
            (Fetched::whole(text), Some(saved))
        }
        Err(e) => return Err(e),
    };
    let mut library = match super::archive::is_manifest(url, &fetched.text) {
        true => {
            // The archive part starts beside the archive chunk, not after it (a page whose `src`
            // ends in archive.json started both with the script already).
            super::parts::start("archive");
            let text = fetched.text.clone();
            Library::of_archive(chunks::open_archive(text, url.to_string(), limits, abort.clone()).await?)
        }
        false => read(&fetched, url, format, abort).await?,
    };
    let has_releases = !library.feed.releases.is_empty() || library.archive.is_some();
    if saved.is_none() && has_releases && fetched.over_limit.is_none() {
        cache::save(url, &fetched.text);
    }
    library.saved = saved;
    Ok(library)
}

/// Reads a feed document. The native format, the one used for large archives, is read in
/// slices; the others (a page of posts) in one go. A document cut at the size limit keeps the
/// releases before the cut; with none, the limit is the reason given.
pub async fn read(fetched: &Fetched, url: &str, format: Option<Format>, abort: &AbortController) -> Result<Library> {
    let text = &fetched.text;
    entities_for(text, abort).await?;
    let read = match format.unwrap_or_else(|| Format::sniff(text)) {
        Format::Native => read_native(text, url, abort).await.map(|feed| (feed, Format::Native)),
        other => read_page(fetched, other, url).await,
    };
    let (feed, read_as) = match (read, fetched.over_limit) {
        (Err(Error::NotJson { .. } | Error::NotAFeed { .. }), Some(limit)) => {
            return Err(Error::TooLarge { url: url.to_string(), limit })
        }
        (read, _) => read?,
    };
    let catalog = catalog_in_slices(&feed.releases, abort).await?;
    // The attribute's name when it gave one; else what the reader found (RSS or Atom).
    let format = format.unwrap_or(read_as);
    Ok(Library { feed, catalog, saved: None, format, pages: 1, over_limit: fetched.over_limit, archive: None })
}

async fn read_native(text: &str, url: &str, abort: &AbortController) -> Result<Feed> {
    let mut parser = NativeParser::new(text, url)?;
    let mut slice = Slice::start();
    while parser.step(16)? {
        slice.pause_if_spent(abort).await?;
    }
    parser.finish()
}

/// Fetches and reads a later page of a paged feed (JSON Feed, WordPress).
pub async fn load_page(url: &str, limits: Limits, format: Format, abort: &AbortController) -> Result<Feed> {
    let fetched = fetch_text(url, limits, abort, None).await?;
    match fetched.over_limit {
        Some(limit) => Err(Error::TooLarge { url: url.to_string(), limit }),
        None => {
            entities_for(&fetched.text, abort).await?;
            Ok(read_page(&fetched, format, url).await?.0)
        }
    }
}

/// Fetches the whole list of named references first when `text` names one the list view does not
/// carry (see `text::entities`), a window at a time so that a large feed keeps the page
/// responsive. Windows overlap by the longest way a reference can be written.
async fn entities_for(text: &str, abort: &AbortController) -> Result<()> {
    const WINDOW: usize = 1 << 20;
    const OVERLAP: usize = 48;
    if !cfg!(feature = "split") {
        return Ok(()); // the list view carries the whole list
    }
    let bytes = text.as_bytes();
    let mut slice = Slice::start();
    let mut start = 0;
    while start < bytes.len() {
        let end = (start + WINDOW).min(bytes.len());
        if needs_whole_list(&bytes[start..end]) {
            return chunks::use_whole_entity_list().await;
        }
        if end == bytes.len() {
            break;
        }
        start = end - OVERLAP;
        slice.pause_if_spent(abort).await?;
    }
    Ok(())
}

/// A page of a feed in one go, and the format it turned out to be (see [`chunks::read_feed`]).
async fn read_page(fetched: &Fetched, format: Format, url: &str) -> Result<(Feed, Format)> {
    let (mut feed, read_as) = chunks::read_feed(&fetched.text, format, url).await?;
    if format == Format::WordPress {
        feed.next = fetched.total_pages.and_then(|total| next_page(url, total));
    }
    Ok((feed, read_as))
}

/// The facet values, a slice at a time (one pass over 100,000 releases is a long task).
async fn catalog_in_slices(releases: &[Release], abort: &AbortController) -> Result<Catalog> {
    let mut builder = CatalogBuilder::default();
    let mut slice = Slice::start();
    for (i, release) in releases.iter().enumerate() {
        builder.add(release);
        if i % 256 == 255 {
            slice.pause_if_spent(abort).await?;
        }
    }
    Ok(builder.finish())
}

pub async fn build_index(library: &Library, abort: &AbortController) -> Result<Index> {
    index_from(&library.feed.releases, abort).await
}

/// The index of a library that gained a page: when the releases before kept their places
/// (`kept`), only the new ones are indexed and appended to `before`, so a paged feed costs each
/// release one indexing, not one per page after it.
pub async fn index_page(library: &Library, before: &Index, kept: bool, abort: &AbortController) -> Result<Index> {
    match library.feed.releases.get(before.len()..).filter(|_| kept) {
        Some(new) => Ok(before.appended(index_from(new, abort).await?)),
        None => build_index(library, abort).await,
    }
}

/// Indexes 16 releases at a time in the search chunk (its first call fetches it).
async fn index_from(releases: &[Release], abort: &AbortController) -> Result<Index> {
    let mut builder = IndexBuilder::default();
    let mut slice = Slice::start();
    for sixteen in releases.chunks(16) {
        chunks::index_releases(&mut builder, sixteen).await?;
        slice.pause_if_spent(abort).await?;
    }
    chunks::finish_index(builder).await
}

struct Slice {
    started: f64,
}

impl Slice {
    fn start() -> Slice {
        Slice { started: now() }
    }

    /// Yields to the browser once this slice has used its time; fails if the load was cancelled.
    async fn pause_if_spent(&mut self, abort: &AbortController) -> Result<()> {
        if now() - self.started < SLICE_MS {
            return Ok(());
        }
        TimeoutFuture::new(0).await;
        if abort.signal().aborted() {
            return Err(Error::Browser { detail: "load cancelled".into() });
        }
        self.started = now();
        Ok(())
    }
}

fn now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

impl Library {
    /// An archive's library: its feed holds no releases; the list and the release view come
    /// from the archive.
    fn of_archive(source: Rc<dyn super::archive::Archive>) -> Library {
        Library {
            feed: source.empty_feed(),
            catalog: source.catalog(),
            saved: None,
            format: Format::Native,
            pages: 1,
            over_limit: None,
            archive: Some(source),
        }
    }

    /// How many releases the feed or the archive holds.
    pub fn release_count(&self) -> usize {
        self.archive.as_ref().map_or(self.feed.releases.len(), |a| a.releases())
    }

    /// The `format` of the load event: the feed's, or "archive".
    pub fn format_name(&self) -> &'static str {
        if self.archive.is_some() {
            "archive"
        } else {
            self.format.name()
        }
    }
}
