//! Client-side search and filtering over a loaded feed: the index, the reader's filter state
//! and its place in the page URL. Pure, like the rest of the core.

mod bits;
mod facets;
mod index;
mod query;
mod state;
pub mod text;

pub use bits::Bits;
pub use facets::{evaluate, outcome, Catalog, CatalogBuilder, Outcome};
pub use index::{has_phrase, searchable_fields, Doc, Index, IndexBuilder, Matches};
pub use query::{Phrase, Query};
pub use state::{FilterState, Sort};
