//! A release archive read piece by piece: the format the `release-embed archive` command writes
//! and the query that answers a [`FilterState`](crate::search::FilterState) from it, fetching only
//! the pieces the view needs. Pure: pieces come through the [`Pieces`] trait (the tests use a map;
//! the widget will use `fetch`), so nothing here touches the network, the file system or the DOM.
//! The layout and its reasons are in `docs/archive.md`.

// Building renders bodies, so it needs the Markdown renderer; the widget only reads archives.
#[cfg(feature = "bodies")]
mod build;
pub mod codec;
pub mod held;
pub mod manifest;
pub mod plain;
mod query;
pub mod reader;
mod shown;
mod table;

use std::any::Any;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::Arc;

#[cfg(feature = "bodies")]
pub use build::{build, BuildInput, Progress};
pub use manifest::{BodyPiece, Card, FirstPage, Manifest, FORMAT_MAJOR, FORMAT_MINOR, FORMAT_NAME};
pub use query::{Archive, ArchiveOutcome, MemoryPieces};

/// Ordinals per block: the unit of facet data, block counts and segment sizes.
pub const BLOCK: u32 = 1024;
/// Segments hold 1, 4, 16, 64… blocks: four full segments of one size merge into the next.
pub const FANOUT: u32 = 4;
/// Releases per card piece in archives this version writes (1.0 wrote 16; the manifest says).
/// Results scattered over the archive need a card piece each, so smaller pieces halve a search's
/// card bytes; the first list still needs two.
pub const CARDS: u32 = 8;

/// The segments for `n` releases: `n / BLOCK` full blocks written in base [`FANOUT`], largest
/// first, then the partial block. A full segment's ordinals never change, so adding releases (in
/// date order) rewrites only the tail and, now and then, merges four equal segments into one.
pub fn segment_layout(n: u32) -> Vec<(u32, u32)> {
    let full = n / BLOCK;
    let mut size = 1;
    while size * FANOUT <= full {
        size *= FANOUT;
    }
    let (mut out, mut start, mut left) = (Vec::new(), 0, full);
    loop {
        for _ in 0..left / size {
            out.push((start, size * BLOCK));
            start += size * BLOCK;
        }
        left %= size;
        if size == 1 {
            break;
        }
        size /= FANOUT;
    }
    if n % BLOCK > 0 {
        out.push((start, n % BLOCK));
    }
    out
}

/// Where the builder puts each piece: it stores `bytes` and returns the piece's name (a hash of
/// the bytes and the extension), so equal pieces share a name and a changed piece gets a new one.
pub trait PieceSink {
    fn put(&mut self, extension: &str, bytes: Vec<u8>) -> Result<String, String>;
}

/// Where the query gets pieces: `Ok(None)` while a piece is not here yet (the caller fetches every
/// name in [`QueryError::Need`] and asks again), `Err` when it could not be had.
pub trait Pieces {
    fn get(&mut self, name: &str) -> Result<Option<Arc<[u8]>>, String>;
}

#[derive(Debug, Clone, PartialEq)]
pub enum QueryError {
    /// These pieces are needed before the view can be answered.
    Need(Vec<String>),
    /// A piece could not be had or is not what the manifest promised.
    Failed { piece: String, message: String },
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QueryError::Need(names) => write!(f, "pieces still to fetch: {}", names.join(", ")),
            QueryError::Failed { piece, message } => write!(f, "archive piece {piece}: {message}"),
        }
    }
}

impl QueryError {
    /// Keeps going after a missing piece so one round of fetches brings all that are independent.
    fn merge(self, other: Option<QueryError>) -> QueryError {
        match (self, other) {
            (QueryError::Need(mut a), Some(QueryError::Need(b))) => {
                a.extend(b);
                QueryError::Need(a)
            }
            (QueryError::Need(_), Some(failed)) => failed,
            (e, _) => e,
        }
    }
}

/// Gets pieces for one evaluation and notes each one used, with its size.
pub struct Fetch<'a> {
    pieces: &'a mut dyn Pieces,
    used: BTreeMap<String, usize>,
    /// JSON pieces read during this evaluation, so a page of cards parses each list once.
    parsed: HashMap<String, Arc<dyn Any + Send + Sync>>,
}

impl<'a> Fetch<'a> {
    fn new(pieces: &'a mut dyn Pieces) -> Fetch<'a> {
        Fetch { pieces, used: BTreeMap::new(), parsed: HashMap::new() }
    }

    /// A JSON piece, parsed once per evaluation.
    fn parsed<T: serde::de::DeserializeOwned + Send + Sync + 'static>(
        &mut self,
        name: &str,
    ) -> Result<Arc<T>, QueryError> {
        if let Some(done) = self.parsed.get(name).and_then(|v| v.clone().downcast::<T>().ok()) {
            return Ok(done);
        }
        let value: Arc<T> = Arc::new(self.json(name)?);
        self.parsed.insert(name.to_string(), value.clone());
        Ok(value)
    }

    fn get(&mut self, name: &str) -> Result<Arc<[u8]>, QueryError> {
        match self.pieces.get(name) {
            Ok(Some(bytes)) => {
                self.used.insert(name.to_string(), bytes.len());
                Ok(bytes)
            }
            Ok(None) => Err(QueryError::Need(vec![name.to_string()])),
            Err(message) => Err(QueryError::Failed { piece: name.to_string(), message }),
        }
    }

    fn json<T: serde::de::DeserializeOwned>(&mut self, name: &str) -> Result<T, QueryError> {
        let bytes = self.get(name)?;
        serde_json::from_slice(&bytes).map_err(|e| self.bad(name, e.to_string()))
    }

    fn bad(&self, name: &str, message: String) -> QueryError {
        QueryError::Failed { piece: name.to_string(), message: format!("damaged piece: {message}") }
    }
}

/// Runs `f` for each item, collecting every missing piece before giving up.
fn for_all<T, R>(
    items: impl IntoIterator<Item = T>,
    mut f: impl FnMut(T) -> Result<R, QueryError>,
) -> Result<Vec<R>, QueryError> {
    let mut out = Vec::new();
    let mut error: Option<QueryError> = None;
    for item in items {
        match f(item) {
            Ok(r) => out.push(r),
            Err(e) => error = Some(e.merge(error)),
        }
    }
    match error {
        Some(QueryError::Need(mut names)) => {
            names.sort();
            names.dedup();
            Err(QueryError::Need(names))
        }
        Some(e) => Err(e),
        None => Ok(out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_tile_the_ordinals_and_full_ones_survive_growth() {
        assert_eq!(segment_layout(0), []);
        assert_eq!(segment_layout(700), [(0, 700)]);
        assert_eq!(segment_layout(3 * BLOCK + 5), [(0, BLOCK), (BLOCK, BLOCK), (2 * BLOCK, BLOCK), (3 * BLOCK, 5)]);
        assert_eq!(segment_layout(4 * BLOCK), [(0, 4 * BLOCK)]);
        let n = 100_000;
        let layout = segment_layout(n);
        assert!(layout.len() <= 8, "{layout:?}");
        assert_eq!(layout.iter().map(|s| s.1).sum::<u32>(), n);
        let next = segment_layout(n + 1);
        assert_eq!(layout[..layout.len() - 1], next[..layout.len() - 1], "only the tail changes");
    }
}
