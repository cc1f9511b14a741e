//! The split points of the release build. Each function here is the way into code that only some
//! journeys need; with the `split` feature, `tools/build-dist.sh` cuts the module at these points
//! into chunks that share the list view's memory, and the first call fetches its chunk (the
//! script checks its sha384 and may have fetched it ahead: `js/chunks.js`). A chunk that fails to
//! arrive gives [`Error::Chunk`](crate::error::Error::Chunk), and the next call fetches it again
//! (the reader's Try again). Without the feature (native tests, the wasm DOM tests) they are
//! plain calls.

use crate::error::Result;
use crate::feed::{Format, NativeParser};
use crate::model::Feed;

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
