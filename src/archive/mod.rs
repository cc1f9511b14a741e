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
mod order;
#[cfg(feature = "bodies")]
mod ordinals;
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
pub use manifest::{BodyPiece, Card, FirstPage, Manifest, Segment, FORMAT_MAJOR, FORMAT_MINOR, FORMAT_NAME};
pub use query::{Archive, ArchiveOutcome, MemoryPieces};
pub use table::{read_chunk, read_directory};

/// Ordinals per block: the unit of facet data, block counts and segment sizes.
pub const BLOCK: u32 = 1024;
/// Segments hold 1, 4, 16, 64… blocks: four full segments of one size merge into the next.
pub const FANOUT: u32 = 4;

/// A segment never holds more than this many blocks (65,536 releases): four of them never merge,
/// so crossing 4^k × 1,024 releases rewrites at most the index of one such segment, not all.
pub const MAX_SEGMENT_BLOCKS: u32 = 64;

/// The segments for `n` releases: `n / BLOCK` full blocks written in base [`FANOUT`], largest
/// first (no larger than [`MAX_SEGMENT_BLOCKS`]), then the partial block. A full segment's
/// ordinals never change, so adding releases (in date order) rewrites only the tail and, now and
/// then, merges four equal segments into one.
pub fn segment_layout(n: u32) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    add_tail(&mut out, 0, n);
    out
}

/// Appends the releases `start..end` as the tail: each full block becomes a segment of its own,
/// merged with the segments before it while the last [`FANOUT`] are of one size level (below the
/// cap); what is left is the new tail.
fn add_tail(out: &mut Vec<(u32, u32)>, mut start: u32, end: u32) {
    while end - start >= BLOCK {
        out.push((start, BLOCK));
        start += BLOCK;
        while out.len() >= FANOUT as usize {
            let last = &out[out.len() - FANOUT as usize..];
            let level = size_level(last[0].1);
            if last.iter().any(|s| size_level(s.1) != level) || BLOCK << (2 * (level + 1)) > MAX_SEGMENT_BLOCKS * BLOCK
            {
                break;
            }
            let (first, len) = (last[0].0, last.iter().map(|s| s.1).sum());
            out.truncate(out.len() - FANOUT as usize);
            out.push((first, len));
        }
    }
    if end > start {
        out.push((start, end - start));
    }
}

/// A segment's size level: 0 below 4 blocks, 1 below 16, and so on.
fn size_level(len: u32) -> u32 {
    let mut level = 0;
    while u64::from(len) >= (u64::from(BLOCK) << (2 * (level + 1))) {
        level += 1;
    }
    level
}

/// Where a release sorts in the archive: its instant and its id.
pub type Key<'a> = (i64, &'a str);

/// The segments for releases with these keys (in ordinal order), keeping the previous build's
/// segments where it has them: each previous segment starts again at its first release (or, that
/// one gone or moved, at the first release of its instant or later) and the last full one ends
/// at its last release, so a release added, changed or removed inside one segment leaves every
/// other segment with the same releases (and so the same pieces). Releases after the previous
/// segments are the tail, which [`segment_layout`]'s rule cuts into blocks and merges. Without a
/// previous build (or one that did not record its segments' edges), [`segment_layout`].
pub fn segment_plan(keys: &[Key<'_>], previous: &[Segment]) -> Vec<(u32, u32)> {
    let n = keys.len() as u32;
    type Edge = (i64, String);
    let edges: Option<Vec<(&Edge, &Edge)>> =
        previous.iter().map(|s| Some((s.first.as_ref()?, s.last.as_ref()?))).collect();
    let edges = match edges {
        Some(e) if !e.is_empty() => e,
        _ => return segment_layout(n),
    };
    let position: std::collections::HashMap<&str, usize> = keys.iter().enumerate().map(|(i, k)| (k.1, i)).collect();
    // Where a previous segment's edge release is now: itself, if still there at the same instant;
    // else where its instant starts (`first`) or ends (`last`).
    let find = |edge: &(i64, String), after: bool| -> u32 {
        let at = match position.get(edge.1.as_str()) {
            Some(&i) if keys[i].0 == edge.0 => i + usize::from(after),
            _ if after => keys.partition_point(|k| k.0 <= edge.0),
            _ => keys.partition_point(|k| k.0 < edge.0),
        };
        at as u32
    };
    let mut starts = vec![0u32];
    for (first, _) in &edges[1..] {
        let at = find(first, false).max(*starts.last().unwrap_or(&0));
        starts.push(at);
    }
    let last_start = *starts.last().unwrap_or(&0);
    // The previous tail takes the new releases after it; a full last segment ends where it did.
    let previous_tail = previous.last().is_some_and(|s| s.len < BLOCK);
    let end = if previous_tail { last_start } else { find(edges[edges.len() - 1].1, true).max(last_start) };
    if !previous_tail {
        starts.push(end);
    }
    // A segment grown past the largest size (old releases added before it, a history imported
    // at once) is cut into segments of that size: the segment is written again anyway.
    let cap = MAX_SEGMENT_BLOCKS * BLOCK;
    let mut out: Vec<(u32, u32)> = Vec::new();
    for w in starts.windows(2).filter(|w| w[1] > w[0]) {
        let mut at = w[0];
        while w[1] - at > cap {
            out.push((at, cap));
            at += cap;
        }
        out.push((at, w[1] - at));
    }
    let tail_start = if previous_tail { last_start } else { end };
    add_tail(&mut out, tail_start.min(n), n);
    out
}

/// Where the builder puts each piece: it stores `bytes` and returns the piece's name (a hash of
/// the bytes and the extension), so equal pieces share a name and a changed piece gets a new one.
pub trait PieceSink {
    fn put(&mut self, extension: &str, bytes: Vec<u8>) -> Result<String, String>;
}

/// Pieces as decoded (JSON parsed, a table's directory or chunk read), by name. A piece's name is
/// the hash of its content, so its decoded form never goes stale.
pub type DecodedPieces = HashMap<String, Arc<dyn Any + Send + Sync>>;

/// Where the query gets pieces: `Ok(None)` while a piece is not here yet (the caller fetches every
/// name in [`QueryError::Need`] and asks again), `Err` when it could not be had.
pub trait Pieces {
    fn get(&mut self, name: &str) -> Result<Option<Arc<[u8]>>, String>;

    /// Where pieces decoded by one evaluation are kept for the next, if the caller keeps them
    /// (the widget's reader does: each round of fetches evaluates the view again). Without it,
    /// a piece is decoded once per evaluation.
    fn decoded(&mut self) -> Option<&mut DecodedPieces> {
        None
    }
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

    /// A JSON piece, parsed once (per evaluation, or for as long as the caller keeps it).
    fn parsed<T: serde::de::DeserializeOwned + Send + Sync + 'static>(
        &mut self,
        name: &str,
    ) -> Result<Arc<T>, QueryError> {
        self.decoded(name, |bytes| serde_json::from_slice(bytes).map_err(|e| e.to_string()))
    }

    /// A piece as `decode` reads it, decoded once (per evaluation, or for as long as the caller
    /// keeps decoded pieces: [`Pieces::decoded`]).
    fn decoded<T: Send + Sync + 'static>(
        &mut self,
        name: &str,
        decode: impl FnOnce(&[u8]) -> codec::Decoded<T>,
    ) -> Result<Arc<T>, QueryError> {
        let kept = match self.pieces.decoded() {
            Some(kept) => kept.get(name).cloned(),
            None => self.parsed.get(name).cloned(),
        };
        if let Some(done) = kept.and_then(|v| v.downcast::<T>().ok()) {
            return Ok(done);
        }
        let bytes = self.get(name)?;
        let value: Arc<T> = Arc::new(decode(&bytes).map_err(|e| self.bad(name, e))?);
        match self.pieces.decoded() {
            Some(kept) => kept.insert(name.to_string(), value.clone()),
            None => self.parsed.insert(name.to_string(), value.clone()),
        };
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
        // Four segments of the largest size never merge.
        let big = MAX_SEGMENT_BLOCKS * BLOCK;
        assert_eq!(segment_layout(4 * big + 3), [(0, big), (big, big), (2 * big, big), (3 * big, big), (4 * big, 3)]);
    }

    fn segments(plan: &[(u32, u32)], keys: &[Key<'_>]) -> Vec<Segment> {
        plan.iter()
            .map(|&(start, len)| {
                let (a, b) = (keys[start as usize], keys[(start + len - 1) as usize]);
                Segment {
                    first: Some((a.0, a.1.to_string())),
                    last: Some((b.0, b.1.to_string())),
                    ..Segment::bare(start, len)
                }
            })
            .collect()
    }

    #[test]
    fn a_rebuild_keeps_the_previous_segments_around_a_change() {
        let ids: Vec<String> = (0..9000).map(|i| format!("r{i}")).collect();
        let keys: Vec<Key<'_>> = ids.iter().enumerate().map(|(i, id)| (i as i64 * 10, id.as_str())).collect();
        let plan = segment_plan(&keys, &[]);
        assert_eq!(plan, segment_layout(9000));
        let before = segments(&plan, &keys);
        // Unchanged: the same segments.
        assert_eq!(segment_plan(&keys, &before), plan);
        // One release backdated into the first segment: it grows by one, the others only move.
        let mut backdated = keys.clone();
        backdated.insert(5, (45, "old"));
        let again = segment_plan(&backdated, &before);
        assert_eq!(again[0], (0, plan[0].1 + 1));
        assert!(again[1..].iter().zip(&plan[1..]).all(|(a, b)| a.0 == b.0 + 1 && a.1 == b.1), "{again:?} {plan:?}");
        // One removed from the second segment, its first release among them: it shrinks by one.
        let mut removed = keys.clone();
        removed.remove(plan[1].0 as usize);
        let again = segment_plan(&removed, &before);
        assert_eq!(again[0], plan[0]);
        assert_eq!(again[1], (plan[1].0, plan[1].1 - 1));
        // New releases go to the tail, which becomes a block and merges as a fresh layout would.
        let more: Vec<String> = (9000..9300).map(|i| format!("r{i}")).collect();
        let mut grown = keys.clone();
        grown.extend(more.iter().enumerate().map(|(i, id)| ((9000 + i) as i64 * 10, id.as_str())));
        assert_eq!(segment_plan(&grown, &before), segment_layout(9300));
        // 70,000 older releases imported at once: the first segment takes them, cut at the cap.
        let history: Vec<String> = (0..70_000).map(|i| format!("h{i}")).collect();
        let mut imported: Vec<Key<'_>> =
            history.iter().enumerate().map(|(i, id)| (i as i64 - 80_000, id.as_str())).collect();
        imported.extend(keys.iter().copied());
        let cap = MAX_SEGMENT_BLOCKS * BLOCK;
        let again = segment_plan(&imported, &before);
        assert_eq!(again[..2], [(0, cap), (cap, 70_000 + plan[0].1 - cap)]);
        assert!(again[2..].iter().zip(&plan[1..]).all(|(a, b)| a.0 == b.0 + 70_000 && a.1 == b.1), "{again:?}");
    }
}
