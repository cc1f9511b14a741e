//! The widget's view of an archive: an [`Archive`] with the pieces fetched so far, answering in
//! plain values ([`Answer`]). The release build runs it in its own lazily loaded wasm (the archive
//! part, `parts/archive`), which passes the answers to the list view as JSON, so the query's code
//! stays out of the first download of pages that read feeds; the other builds call it directly.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::held::Held;
use super::manifest::{AgencyRef, BodyPiece, Card, Manifest};
use super::{Archive, DecodedPieces, Pieces, QueryError};
use crate::model::Release;
use crate::search::{FilterState, Outcome, Sort};

/// What the list view needs to know of an archive before any piece.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Head {
    pub releases: u32,
    /// Topics and offices in display order, years newest first: the facets' values.
    pub tags: Vec<String>,
    pub agencies: Vec<String>,
    pub years: Vec<i32>,
    pub agency: Option<AgencyRef>,
    pub language: Option<String>,
}

/// A view's answer: ready, the pieces still to fetch, or a piece that is not what it should be.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Answer<T> {
    Ready(T),
    Need(Vec<String>),
    Failed { piece: String, message: String },
}

/// A page of the list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Listing {
    pub total: usize,
    pub page: usize,
    pub pages: usize,
    pub sort: Sort,
    pub ordinals: Vec<u32>,
    pub cards: Vec<Card>,
    /// In the orders of [`Head`].
    pub tag_counts: Vec<u32>,
    pub agency_counts: Vec<u32>,
    pub year_counts: Vec<u32>,
}

impl Listing {
    /// The page's releases as a list shows them (addresses resolved against `base`, the
    /// manifest's) and the outcome the list view draws, as the in-memory search gives them.
    pub fn shown(&self, base: &str) -> Result<(Vec<Release>, Outcome), String> {
        let releases = self.cards.iter().map(|c| c.listed(base)).collect::<Result<Vec<Release>, String>>()?;
        let outcome = Outcome {
            total: self.total,
            page_docs: (0..releases.len()).collect(),
            page: self.page,
            pages: self.pages,
            tag_counts: self.tag_counts.clone(),
            agency_counts: self.agency_counts.clone(),
            year_counts: self.year_counts.clone(),
            sort: self.sort,
        };
        Ok((releases, outcome))
    }
}

/// An opened release.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Opened {
    pub card: Card,
    pub body: BodyPiece,
}

pub struct Reader {
    archive: Archive,
    pieces: Kept,
}

/// The most pieces fetched ahead after the first list (the words tables' roots and pages, of
/// about 2 kB each): at 100,000 releases all of them are 142 pieces (282 kB); past this, only the
/// roots.
pub const PREFETCH_PIECES: usize = 160;

/// The bytes of pieces a reader keeps between views (see [`Held`]).
pub const HELD_BYTES: usize = 16 << 20;

/// Pieces by name; a missing one is "not here yet". Their decoded forms are kept too (up to
/// [`DECODED_KEPT`]), so the rounds of a view and the next views decode each piece once.
struct Kept(Held<String>, DecodedPieces);

/// The most decoded pieces kept (a table chunk of ~2 kB decodes to a few kB): past it they are
/// dropped together when a view is answered.
const DECODED_KEPT: usize = 1024;

impl Pieces for Kept {
    fn get(&mut self, name: &str) -> Result<Option<Arc<[u8]>>, String> {
        Ok(self.0.get(name))
    }

    fn decoded(&mut self) -> Option<&mut DecodedPieces> {
        Some(&mut self.1)
    }
}

impl Kept {
    /// The query's result as an answer. Once a view is answered (or fails), the pieces it read
    /// may make room for the next view's.
    fn answer<T>(&mut self, result: Result<T, QueryError>) -> Answer<T> {
        if self.1.len() > DECODED_KEPT && !matches!(result, Err(QueryError::Need(_))) {
            self.1.clear();
        }
        match result {
            Ok(value) => {
                self.0.next_view();
                Answer::Ready(value)
            }
            Err(QueryError::Need(names)) => Answer::Need(names),
            Err(QueryError::Failed { piece, message }) => {
                self.0.next_view();
                Answer::Failed { piece, message }
            }
        }
    }
}

impl Reader {
    /// Reads `archive.json`; the error is `Manifest::from_json`'s sentence.
    pub fn open(manifest: &str) -> Result<Reader, String> {
        Ok(Reader {
            archive: Archive::new(Manifest::from_json(manifest)?),
            pieces: Kept(Held::new(HELD_BYTES), DecodedPieces::new()),
        })
    }

    /// Keeps about `bytes` of pieces between views instead of [`HELD_BYTES`].
    pub fn with_budget(mut self, bytes: usize) -> Reader {
        self.pieces = Kept(Held::new(bytes), DecodedPieces::new());
        self
    }

    /// The bytes of pieces held now.
    pub fn held_bytes(&self) -> usize {
        self.pieces.0.bytes()
    }

    pub fn head(&self) -> Head {
        let m = &self.archive.manifest;
        Head {
            releases: m.live_releases(),
            tags: self.archive.tags.clone(),
            agencies: self.archive.agencies.clone(),
            years: m.years.clone(),
            agency: m.agency.clone(),
            language: m.language.clone(),
        }
    }

    /// A piece fetched.
    pub fn add(&mut self, name: &str, bytes: &[u8]) {
        self.pieces.0.insert(name.to_string(), bytes.into());
    }

    /// Drops a damaged piece, so that it is fetched again.
    pub fn forget(&mut self, name: &str) {
        self.pieces.0.remove(name);
        self.pieces.1.remove(name);
    }

    /// The list for the filters in `search` (a query string, as `FilterState::to_search` writes
    /// it for the URL key `key`).
    pub fn list(&mut self, search: &str, key: &str, page_size: usize) -> Answer<Listing> {
        let state = FilterState::from_search(search, key);
        let result = self.archive.evaluate(&state, page_size, &mut self.pieces).map(|o| Listing {
            total: o.total,
            page: o.page,
            pages: o.pages,
            sort: o.sort,
            ordinals: o.page_ordinals,
            cards: o.page_cards,
            tag_counts: o.tag_counts,
            agency_counts: o.agency_counts,
            year_counts: o.year_counts,
        });
        self.pieces.answer(result)
    }

    /// The ordinal of the release `id` (`None`: the archive has no such release).
    pub fn find(&mut self, id: &str, ahead: usize) -> Answer<Option<u32>> {
        let result = self.archive.find(id, ahead, &mut self.pieces);
        self.pieces.answer(result)
    }

    /// The words tables' roots and pages, at most [`PREFETCH_PIECES`], fetched ahead while the
    /// reader reads the first list (`Archive::warm`): ready with the bytes they take.
    pub fn prefetch(&mut self) -> Answer<usize> {
        let result = self.archive.warm(PREFETCH_PIECES, &mut self.pieces);
        self.pieces.answer(result)
    }

    pub fn open_release(&mut self, ordinal: u32) -> Answer<Opened> {
        let result = self.archive.open(ordinal, &mut self.pieces).map(|(card, body)| Opened { card, body });
        self.pieces.answer(result)
    }
}
