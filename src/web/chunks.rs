//! The split points of the release build. Each function here is the way into code that only some
//! journeys need; with the `split` feature, `tools/build-dist.sh` cuts the module at these points
//! into chunks that share the list view's memory, and the first call fetches its chunk (the
//! script checks its sha384 and may have fetched it ahead: `js/chunks.js`). A chunk that fails to
//! arrive gives [`Error::Chunk`](crate::error::Error::Chunk), and the next call fetches it again
//! (the reader's Try again). Without the feature (native tests, the wasm DOM tests) they are
//! plain calls.

use std::rc::Rc;

use web_sys::AbortController;

use super::archive::Archive;
use super::fetch::Limits;
use super::library::Library;
use crate::error::Result;
use crate::feed::{Format, NativeParser};
use crate::model::{Body, Feed, Release};
use crate::render::BodyHtml;
use crate::search::{Index, IndexBuilder, Matches, Query};

/// Declares a split point: `chunk` names the chunk the body goes to (functions naming the same
/// chunk share it). The function becomes `async`: its first call fetches the chunk.
macro_rules! split_point {
    ($chunk:ident, $vis:vis fn $name:ident($($arg:ident: $ty:ty),*) -> $ret:ty $body:block) => {
        #[cfg(feature = "split")]
        #[wasm_split_helpers::wasm_split($chunk, fallible)]
        $vis fn $name($($arg: $ty),*) -> $ret $body

        #[cfg(not(feature = "split"))]
        $vis async fn $name($($arg: $ty),*) -> $ret $body
    };
}

#[cfg(feature = "split")]
impl From<wasm_split_helpers::SplitLoaderError> for crate::error::Error {
    fn from(_: wasm_split_helpers::SplitLoaderError) -> crate::error::Error {
        crate::error::Error::Chunk
    }
}

split_point!(
    xml,
    fn read_xml(text: &str, base: &str) -> Result<(Feed, Format)> {
        Ok((crate::feed::parse_xml_feed(text, base)?, Format::xml_dialect(text)))
    }
);

split_point!(
    jsonfeed,
    fn read_json_feed(text: &str, base: &str) -> Result<Feed> {
        crate::feed::parse_json_feed(text, base)
    }
);

split_point!(
    wordpress,
    fn read_wordpress(text: &str, base: &str) -> Result<Feed> {
        crate::feed::parse_wordpress(text, base)
    }
);

/// Reads a whole feed document in `format` ([`Format::sniff`]'s answer when not given), and says
/// which format it was: RSS or Atom is known once the XML chunk has read the root. Every reader but
/// the native one is in its own chunk. Not `feed::parse`: it names every reader, which would put
/// them all back in the list view.
pub async fn read_feed(text: &str, format: Format, base: &str) -> Result<(Feed, Format)> {
    match format {
        Format::Native => {
            let mut parser = NativeParser::new(text, base)?;
            while parser.step(usize::MAX)? {}
            Ok((parser.finish()?, format))
        }
        Format::JsonFeed => Ok((read_json_feed(text, base).await?, format)),
        Format::WordPress => Ok((read_wordpress(text, base).await?, format)),
        Format::Rss | Format::Atom => read_xml(text, base).await,
    }
}

// The archive chunk: everything the list view does with an archive (the part's answers read
// back, the cards made releases, the views' progress). A feed's journey never fetches it; the
// script fetches it beside the manifest when `src` ends in archive.json.

/// The opening of an archive, as the archive chunk starts it.
type Opening = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Rc<dyn Archive>>>>>;

split_point!(
    archive,
    fn start_archive(text: String, url: String, limits: Limits, abort: AbortController) -> Result<Opening> {
        Ok(Box::pin(super::archive::open(text, url, limits, abort)))
    }
);

/// Opens the archive whose manifest `text` came from `url`: the archive chunk's code from here on
/// (the returned value's methods are in it).
pub async fn open_archive(
    text: String,
    url: String,
    limits: Limits,
    abort: AbortController,
) -> Result<Rc<dyn Archive>> {
    start_archive(text, url, limits, abort).await?.await
}

// The paging chunk: a later page of a paged feed (JSON Feed `next_url`, WordPress pages) merged
// into the releases so far. Only after the first list, and only for those feeds.

split_point!(
    paging,
    pub fn add_page(library: &Library, page: Feed) -> Result<(Library, bool)> {
        Ok(library.with_page(page))
    }
);

split_point!(
    entities,
    pub fn use_whole_entity_list() -> Result<()> {
        crate::text::entities::use_whole_list();
        Ok(())
    }
);

// The search chunk: building the index, and searching it. The list is drawn without them (its
// search box waits for the index), so they are fetched after the first list, not before.

split_point!(
    search,
    pub fn index_releases(builder: &mut IndexBuilder, releases: &[Release]) -> Result<()> {
        releases.iter().for_each(|release| builder.add(release));
        Ok(())
    }
);

split_point!(
    search,
    fn finish(builder: IndexBuilder) -> Result<Index> {
        Ok(builder.finish())
    }
);

/// The index of the releases given to [`index_releases`]; once it returns, [`search_now`] can
/// search it at once.
pub async fn finish_index(builder: IndexBuilder) -> Result<Index> {
    let index = finish(builder).await?;
    // Each split point has a loader of its own: this one's must be done before the first
    // synchronous search (the chunk is here already, so this only settles its promise).
    #[cfg(feature = "split")]
    preload_search().await?;
    Ok(index)
}

#[cfg(feature = "split")]
#[wasm_split_helpers::wasm_split(search, fallible, preload(preload_search))]
fn search_index(index: &Index, query: &Query, releases: &[Release]) -> Result<Matches> {
    Ok(index.search(query, releases))
}

/// What `query` matches, at once: there is an index, so [`finish_index`] has loaded the search
/// chunk, and the call completes on its first poll. `None` for an empty query (or, in a split
/// build, if the chunk somehow is not there: the list then shows every release, as before the
/// index).
pub fn search_now(index: &Index, query: &Query, releases: &[Release]) -> Option<Matches> {
    if query.is_empty() {
        return None;
    }
    #[cfg(feature = "split")]
    return now(search_index(index, query, releases));
    #[cfg(not(feature = "split"))]
    Some(index.search(query, releases))
}

/// Polls a split point's call once: a call into a chunk that is already there completes at once.
#[cfg(feature = "split")]
fn now<T>(call: impl std::future::Future<Output = Result<T>>) -> Option<T> {
    use std::task::{Context, Poll, Waker};
    let mut call = std::pin::pin!(call);
    match call.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(result) => result.ok(),
        Poll::Pending => None,
    }
}

/// A Markdown or HTML body as safe HTML: the body chunk (pulldown-cmark and the cleaner), the
/// largest code a list never needs.
#[cfg(feature = "split")]
#[wasm_split_helpers::wasm_split(body, fallible, preload(preload_body))]
fn render_body(body: &Body, base: &str, first_heading: u8) -> Result<BodyHtml> {
    // No whole list of named references here: every text a body comes from was scanned for one
    // on its way in (a feed's text, an archive's body piece), and its chunk fetched when needed.
    Ok(crate::render::body_html(body, base, first_heading))
}

/// Fetches and starts the body chunk; false when it did not arrive (the console says why).
pub async fn load_body() -> bool {
    #[cfg(feature = "split")]
    return preload_body().await.is_ok();
    #[cfg(not(feature = "split"))]
    true
}

/// A body as HTML, drawn at once: the release view is a synchronous render. In a split build the
/// body chunk must be there ([`load_body`] succeeded), so the call into it completes on its first
/// poll; `Failed` if it somehow did not.
pub fn body_html_now(body: &Body, base: &str, first_heading: u8) -> BodyHtml {
    #[cfg(feature = "split")]
    return now(render_body(body, base, first_heading)).unwrap_or(BodyHtml::Failed);
    #[cfg(not(feature = "split"))]
    crate::render::body_html(body, base, first_heading)
}
