//! The split points of the release build. Each function here is the way into code that only some
//! journeys need; with the `split` feature, `tools/build-dist.sh` cuts the module at these points
//! into chunks that share the list view's memory, and the first call fetches its chunk (the
//! script checks its sha384 and may have fetched it ahead: `js/chunks.js`). A chunk that fails to
//! arrive gives [`Error::Chunk`](crate::error::Error::Chunk), and the next call fetches it again
//! (the reader's Try again). Without the feature (native tests, the wasm DOM tests) they are
//! plain calls.

use crate::error::Result;
use crate::feed::{Format, NativeParser};
use crate::model::{Body, Feed};
use crate::render::BodyHtml;

/// Declares a split point: `chunk` names the chunk the body goes to (functions naming the same
/// chunk share it). The function becomes `async`: its first call fetches the chunk.
macro_rules! split_point {
    ($chunk:ident, fn $name:ident($($arg:ident: $ty:ty),*) -> $ret:ty $body:block) => {
        #[cfg(feature = "split")]
        #[wasm_split_helpers::wasm_split($chunk, fallible)]
        fn $name($($arg: $ty),*) -> $ret $body

        #[cfg(not(feature = "split"))]
        async fn $name($($arg: $ty),*) -> $ret $body
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
    fn read_xml(text: &str, base: &str) -> Result<Feed> {
        crate::feed::parse_xml_feed(text, base)
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

/// Reads a whole feed document in `format`; every reader but the native one is in its own chunk.
/// Not `feed::parse`: it names every reader, which would put them all back in the list view.
pub async fn read_feed(text: &str, format: Format, base: &str) -> Result<Feed> {
    match format {
        Format::Native => {
            let mut parser = NativeParser::new(text, base)?;
            while parser.step(usize::MAX)? {}
            parser.finish()
        }
        Format::JsonFeed => read_json_feed(text, base).await,
        Format::WordPress => read_wordpress(text, base).await,
        Format::Rss | Format::Atom => read_xml(text, base).await,
    }
}

/// A Markdown or HTML body as safe HTML: the body chunk (pulldown-cmark and the cleaner), the
/// largest code a list never needs.
#[cfg(feature = "split")]
#[wasm_split_helpers::wasm_split(body, fallible, preload(preload_body))]
fn render_body(body: &Body, base: &str, first_heading: u8) -> Result<BodyHtml> {
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
    {
        use std::future::Future;
        use std::task::{Context, Poll, Waker};
        let mut call = std::pin::pin!(render_body(body, base, first_heading));
        match call.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
            Poll::Ready(Ok(html)) => html,
            Poll::Ready(Err(_)) | Poll::Pending => BodyHtml::Failed,
        }
    }
    #[cfg(not(feature = "split"))]
    crate::render::body_html(body, base, first_heading)
}
