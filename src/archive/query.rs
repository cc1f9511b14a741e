//! Answering a [`FilterState`] from an archive: the same releases, order and facet counts as
//! [`crate::search::evaluate`] over the feed the archive was built from, fetching only what the
//! view needs. Ordinals follow the releases' dates, so "newest first" is descending ordinals (but
//! for the few late releases and holes of an archive rebuilt in place, see `order`) and every
//! rule of the in-memory search carries over one to one.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::codec::{read_set, Cursor, Decoded};
use super::manifest::{Block, BodyPiece, Card, Manifest, Segment};

use super::order::{self, Order};
use super::{for_all, table, Fetch, Pieces, QueryError, BLOCK};
use crate::model::{Body, Date, Release};
use crate::search::{has_phrase, Bits, FilterState, Query, Sort};

/// An archive whose manifest has been read.
pub struct Archive {
    pub manifest: Manifest,
    /// Topics and offices in the widget's order (alphabetical, ignoring case, then exact).
    pub tags: Vec<String>,
    pub agencies: Vec<String>,
    /// The manifest's (stable) number of each topic and office, in that order.
    tag_order: Vec<usize>,
    agency_order: Vec<usize>,
    /// Day number of 1 January of each of the manifest's years (newest first).
    year_starts: Vec<i64>,
    /// Each year's place in the manifest's list.
    year_index: HashMap<u32, usize>,
    order: Order,
}

/// The positions of `values` in display order (as the in-memory catalogue sorts them).
/// Values no release has any more (a count of 0 with no filter: the build keeps their numbers,
/// see `Manifest::tags`) are not shown, as the in-memory search does not know them.
fn display_order(values: &[String], counts: &[u32]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..values.len()).filter(|&i| counts.get(i).is_none_or(|&c| c > 0)).collect();
    order.sort_by_cached_key(|&i| (values[i].to_lowercase(), values[i].clone()));
    order
}

/// What the list shows for a state, as [`crate::search::Outcome`] but in ordinals and cards.
#[derive(Debug, Clone, PartialEq)]
pub struct ArchiveOutcome {
    pub total: usize,
    /// The ordinals on the current page, in order, and their cards.
    pub page_ordinals: Vec<u32>,
    pub page_cards: Vec<Card>,
    pub page: usize,
    pub pages: usize,
    pub tag_counts: Vec<u32>,
    pub agency_counts: Vec<u32>,
    pub year_counts: Vec<u32>,
    pub sort: Sort,
    /// Every piece this view used, with its size in bytes (the manifest is not included).
    /// Counts above are in the order of [`Archive::tags`], [`Archive::agencies`] and the
    /// manifest's years.
    pub pieces: BTreeMap<String, usize>,
}

/// Counts as they are added up from entries, blocks and single releases.
#[derive(Debug, Clone)]
struct Tally {
    tags: Vec<u32>,
    agencies: Vec<u32>,
    years: Vec<u32>,
}

impl Tally {
    fn new(m: &Manifest) -> Tally {
        Tally { tags: vec![0; m.tags.len()], agencies: vec![0; m.agencies.len()], years: vec![0; m.years.len()] }
    }

    fn add_pairs(list: &mut [u32], pairs: &[(u32, u32)]) -> Decoded<()> {
        for &(value, count) in pairs {
            let slot = list.get_mut(value as usize).ok_or("a count names a value the manifest does not have")?;
            *slot = slot.checked_add(count).ok_or("a count is too large")?;
        }
        Ok(())
    }

    fn read(&mut self, c: &mut Cursor<'_>, year_index: &HashMap<u32, usize>) -> Decoded<()> {
        for which in 0..3 {
            let n = c.usize()?;
            let mut pairs = Vec::with_capacity(n.min(4096));
            for _ in 0..n {
                pairs.push((c.u32()?, c.u32()?));
            }
            match which {
                0 => Tally::add_pairs(&mut self.tags, &pairs)?,
                1 => Tally::add_pairs(&mut self.agencies, &pairs)?,
                _ => self.add_years(&pairs, year_index)?,
            }
        }
        Ok(())
    }

    fn add(&mut self, other: &Tally) {
        for (sum, part) in
            [(&mut self.tags, &other.tags), (&mut self.agencies, &other.agencies), (&mut self.years, &other.years)]
        {
            sum.iter_mut().zip(part).for_each(|(s, p)| *s += p);
        }
    }

    fn add_years(&mut self, pairs: &[(u32, u32)], year_index: &HashMap<u32, usize>) -> Decoded<()> {
        for &(year, count) in pairs {
            let slot =
                &mut self.years[*year_index.get(&year).ok_or("a count names a year the manifest does not have")?];
            *slot = slot.checked_add(count).ok_or("a count is too large")?;
        }
        Ok(())
    }
}

/// How an entry's per-release facets are stored, after its counts (1.0 entries end before).
pub(super) const FACETS_NONE: u64 = 0;
pub(super) const FACETS_INLINE: u64 = 1;
pub(super) const FACETS_PIECE: u64 = 2;

enum FacetRef {
    /// Not stored (the entry holds too many of the segment's releases).
    None,
    Inline(Vec<u8>),
    Piece(String),
}

/// One table entry read in one segment: its releases (local numbers, ascending), and where each
/// one's office, topics and year are, in that order.
struct SegEntry {
    /// Its releases, numbered within the segment, and how many.
    docs: Docs,
    count: usize,
    facets: FacetRef,
}

/// An entry's releases as a list, or as bits where those are smaller (a word in most releases:
/// no list of them is made, and a pair in a few keeps no bitmap of the segment).
enum Docs {
    List(Vec<u32>),
    Set(Bits),
}

impl Docs {
    fn new(bits: Bits, count: usize, len: u32) -> Docs {
        if count.saturating_mul(32) > len as usize {
            Docs::Set(bits)
        } else {
            Docs::List(bits.iter().map(|d| d as u32).collect())
        }
    }

    /// Ascending.
    fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        let (list, set) = match self {
            Docs::List(list) => (Some(list.iter().map(|&d| d as usize)), None),
            Docs::Set(bits) => (None, Some(bits.iter())),
        };
        list.into_iter().flatten().chain(set.into_iter().flatten())
    }
}

/// One term of a query (a word or prefix, a word pair, a facet's selected values): its releases,
/// those with it in the title, the counts over its releases when they are stored, and per
/// segment the entries it was read from.
struct Found {
    docs: Bits,
    title: Bits,
    tally: Option<Tally>,
    segs: Vec<Vec<SegEntry>>,
}

/// A release's office and topics, read from a facet piece.
struct DocFacets {
    agency: Option<u32>,
    tags: Vec<u32>,
}

impl Archive {
    pub fn new(manifest: Manifest) -> Archive {
        let year_starts = manifest
            .years
            .iter()
            .map(|y| Date::parse(&format!("{y:04}-01-01")).map_or(i64::MIN, |d| d.day_number()))
            .collect();
        let year_index = manifest.years.iter().enumerate().map(|(i, &y)| (y as u32, i)).collect();
        let (tag_order, agency_order) = (
            display_order(&manifest.tags, &manifest.tag_counts),
            display_order(&manifest.agencies, &manifest.agency_counts),
        );
        Archive {
            tags: tag_order.iter().map(|&i| manifest.tags[i].clone()).collect(),
            agencies: agency_order.iter().map(|&i| manifest.agencies[i].clone()).collect(),
            tag_order,
            agency_order,
            order: Order::new(&manifest),
            manifest,
            year_starts,
            year_index,
        }
    }

    /// The year (as an index into the manifest's years) of a day.
    fn year_of(&self, day: i64) -> Option<usize> {
        self.year_starts.iter().position(|&start| start <= day)
    }

    fn segment_of(&self, ordinal: u32) -> &Segment {
        let i = self.manifest.segments.partition_point(|s| s.start + s.len <= ordinal);
        &self.manifest.segments[i.min(self.manifest.segments.len() - 1)]
    }

    pub fn evaluate(
        &self,
        state: &FilterState,
        page_size: usize,
        pieces: &mut dyn Pieces,
    ) -> Result<ArchiveOutcome, QueryError> {
        let mut fetch = Fetch::new(pieces);
        let searched = self.search(&Query::parse(&state.query), &mut fetch)?;
        let selection = Selection::new(&self.manifest, state);
        let facet_terms = match searched.matched {
            None => self.facet_terms(&selection, &mut fetch)?,
            Some(_) => Vec::new(),
        };
        let (tally, found) = self.matches(&searched, &selection, &facet_terms, &mut fetch)?;
        let sort = state.sort();
        let page_size = page_size.max(1);
        let total = found.len();
        let pages = total.div_ceil(page_size).max(1);
        let page = state.page.clamp(1, pages);
        let (skip, take) = ((page - 1) * page_size, page_size);
        // Only the page is put in order: a first letter matches nearly every release.
        let page_ordinals: Vec<u32> = match (sort, &searched.matched) {
            (Sort::Oldest, _) => found.iter().rev().skip(skip).take(take).copied().collect(),
            (Sort::Relevance, Some(_)) => relevance_page(&found, &searched.titles, skip, take),
            _ => found.iter().skip(skip).take(take).copied().collect(),
        };
        let page_cards = for_all(&page_ordinals, |&o| self.card(o, &mut fetch))?;
        Ok(ArchiveOutcome {
            total,
            page_ordinals,
            page_cards,
            page,
            pages,
            tag_counts: self.tag_order.iter().map(|&i| tally.tags[i]).collect(),
            agency_counts: self.agency_order.iter().map(|&i| tally.agencies[i]).collect(),
            year_counts: tally.years,
            sort,
            pieces: fetch.used,
        })
    }

    /// The releases that have every word and phrase of the query (`None` with no query), each
    /// word's releases with it in the title, and the terms they were read from.
    fn search(&self, query: &Query, fetch: &mut Fetch<'_>) -> Result<Searched, QueryError> {
        if query.is_empty() {
            return Ok(Searched { matched: None, titles: Vec::new(), terms: Vec::new() });
        }
        // The words: every word a prefix, phrase words exact but for a phrase still being typed.
        let mut lookups: Vec<(&str, bool)> = query.words.iter().map(|w| (w.as_str(), true)).collect();
        for p in &query.phrases {
            let last = p.words.len() - 1;
            lookups.extend(p.words.iter().enumerate().map(|(i, w)| (w.as_str(), p.open && i == last)));
        }
        // Two-word phrases are answered by the pair table alone; longer ones (or a 1.0 archive)
        // still check the releases every pair (or word) has.
        let has_pairs = self.manifest.segments.iter().all(|s| s.pairs.is_some());
        let mut pair_keys: Vec<(&str, &str, bool)> = Vec::new();
        if has_pairs {
            for p in query.phrases.iter().filter(|p| p.words.len() > 1) {
                let last = p.words.len() - 1;
                pair_keys.extend(
                    p.words
                        .windows(2)
                        .enumerate()
                        .map(|(i, w)| (w[0].as_str(), w[1].as_str(), p.open && i + 1 == last)),
                );
            }
        }
        let words = for_all(&lookups, |&(word, prefix)| self.lookup(word, prefix, fetch));
        let pairs = for_all(&pair_keys, |&(a, b, open)| self.lookup_pair(a, b, open, fetch));
        let (words, pairs) = match (words, pairs) {
            (Ok(w), Ok(p)) => (w, p),
            (Err(e), other) => return Err(e.merge(other.err())),
            (_, Err(e)) => return Err(e),
        };
        let n = self.manifest.releases as usize;
        let mut docs = Bits::full(n);
        for f in words.iter().chain(&pairs) {
            docs.intersect(&f.docs);
        }
        let titles = words.iter().map(|f| f.title.clone()).collect();
        let terms = words.into_iter().chain(pairs).collect();
        for phrase in query.phrases.iter().filter(|p| p.words.len() > 2 || (p.words.len() > 1 && !has_pairs)) {
            let candidates: Vec<u32> = docs.iter().map(|d| d as u32).collect();
            let keep = for_all(candidates, |o| Ok((o, has_phrase(&self.release(o, fetch)?, phrase))))?;
            docs = Bits::empty(n);
            keep.into_iter().filter(|(_, k)| *k).for_each(|(o, _)| docs.insert(o as usize));
        }
        Ok(Searched { matched: Some(docs), titles, terms })
    }

    /// With no search: each selected facet's values read as sets from the value table, when that
    /// answers the filters (otherwise, or in an archive without value tables, none).
    fn facet_terms(&self, selection: &Selection, fetch: &mut Fetch<'_>) -> Result<Vec<(usize, Found)>, QueryError> {
        let m = &self.manifest;
        let has_values = m.segments.iter().all(|s| s.values.is_some());
        if !has_values || selection.unfiltered() {
            return Ok(Vec::new());
        }
        let keys = [
            selection.tag_ids.iter().map(|&t| format!("t{t}")).collect::<Vec<_>>(),
            selection.agency_ids.iter().map(|&a| format!("a{a}")).collect(),
            selection.year_ids.iter().map(|&y| format!("y{}", m.years[y])).collect(),
        ];
        let selected: Vec<(usize, &Vec<String>)> = keys.iter().enumerate().filter(|(_, k)| !k.is_empty()).collect();
        if selected.len() >= 2 || (selected.len() == 1 && !selection.dated) {
            // Offices and years are one per release, so their values' counts add up.
            for_all(selected, |(which, keys)| {
                Ok((which, self.lookup_values(keys, which > 0 || keys.len() == 1, fetch)?))
            })
        } else {
            Ok(Vec::new())
        }
    }

    /// The matching releases, newest first, and the facet counts over them, from whatever answers
    /// them with the fewest pieces.
    fn matches(
        &self,
        searched: &Searched,
        selection: &Selection,
        facet_terms: &[(usize, Found)],
        fetch: &mut Fetch<'_>,
    ) -> Result<(Tally, Vec<u32>), QueryError> {
        let m = &self.manifest;
        let unfiltered = selection.unfiltered();
        // A term whose releases are all the matches has the counts stored with it.
        let stored = searched.matched.as_ref().and_then(|docs| {
            let count = docs.count();
            searched.terms.iter().find(|t| t.tally.is_some() && t.docs.count() == count).and_then(|t| t.tally.clone())
        });
        let mut found: Vec<u32> = Vec::new();
        let tally = if let (None, true) = (&searched.matched, unfiltered) {
            // The first list: counts stored at build time, no facet data.
            found.extend(order::live_descending(&m.segments));
            Tally { tags: m.tag_counts.clone(), agencies: m.agency_counts.clone(), years: m.year_counts.clone() }
        } else if let (Some(docs), true, Some(stored)) = (&searched.matched, unfiltered, stored) {
            // A lone word (or phrase): its stored counts.
            found.extend(docs.descending().map(|d| d as u32));
            stored
        } else if let [(which, only)] = facet_terms {
            // One facet with no search or dates: its counts ignore it (the manifest's), the others'
            // are stored with its values, or counted from their releases' facets.
            let mut tally = match &only.tally {
                Some(stored) => {
                    found.extend(only.docs.iter().map(|d| d as u32));
                    stored.clone()
                }
                None => self.count_segments(None, &selection.filter, &[only], fetch, &mut found)?,
            };
            found.sort_unstable_by(|a, b| b.cmp(a));
            match which {
                0 => tally.tags.clone_from(&m.tag_counts),
                1 => tally.agencies.clone_from(&m.agency_counts),
                _ => tally.years.clone_from(&m.year_counts),
            }
            tally
        } else {
            // Releases one by one: from the rarest term's facets, or every block's.
            let sources: Vec<&Found> = match &searched.matched {
                Some(_) => searched.terms.iter().collect(),
                None => facet_terms.iter().map(|(_, f)| f).collect(),
            };
            let tally =
                self.count_segments(searched.matched.as_ref(), &selection.filter, &sources, fetch, &mut found)?;
            found.sort_unstable_by(|a, b| b.cmp(a));
            tally
        };
        self.order.newest_first(&mut found);
        Ok((tally, found))
    }

    /// A release's card and body, as the widget needs them to open it.
    pub fn open(&self, ordinal: u32, pieces: &mut dyn Pieces) -> Result<(Card, BodyPiece), QueryError> {
        let mut fetch = Fetch::new(pieces);
        let card = self.card(ordinal, &mut fetch)?;
        let body = fetch.json(&card.body)?;
        Ok((card, body))
    }

    /// Releases of one word (or every word it starts) in every segment.
    fn lookup(&self, word: &str, prefix: bool, fetch: &mut Fetch<'_>) -> Result<Found, QueryError> {
        self.term(fetch, true, |seg, fetch| {
            if !prefix {
                return Ok((seg.words.clone(), table::get(&seg.words, word, fetch)?.into_iter().collect()));
            }
            // The smallest key starting with `word` is the prefix entry of every word starting
            // with it (`label\0`), or the word equal to that label just before it, or the only
            // word starting with it. Prefix keys never equal a word. Keys not starting with
            // `word` are never used: a chunk the page lists as starting past them is not read
            // (at 1,000,000 releases, 150 kB of a cold search).
            let mut next = table::first_starting_with(&seg.words, word, 2, fetch)?.into_iter();
            let entry = match (next.next(), next.next()) {
                (Some((k, _)), Some(node)) if node.0.strip_suffix('\0') == Some(k.as_str()) => Some(node),
                (first, _) => first,
            };
            Ok((seg.words.clone(), entry.map(|e| e.1).into_iter().collect()))
        })
    }

    /// Releases where `first` is followed by `second` (or, `open`, by a word starting with it) in
    /// one field, from the pair table.
    fn lookup_pair(&self, first: &str, second: &str, open: bool, fetch: &mut Fetch<'_>) -> Result<Found, QueryError> {
        let key = format!("{first} {second}");
        // Pairs of one first word under one prefix overlap: their counts do not add up.
        self.term(fetch, false, |seg, fetch| {
            let root = seg.pairs.as_deref().unwrap_or_default();
            let entries = if open {
                table::starting_with(root, &key, fetch)?.into_iter().map(|e| e.1).collect()
            } else {
                table::get(root, &key, fetch)?.into_iter().collect()
            };
            Ok((root.to_string(), entries))
        })
    }

    /// Releases with any of the facet values `keys` (`t3`, `a0`, `y2019`), from the value table:
    /// straight from the chunk the manifest names (1.5), else through its root and page.
    fn lookup_values(&self, keys: &[String], disjoint: bool, fetch: &mut Fetch<'_>) -> Result<Found, QueryError> {
        self.term(fetch, disjoint, |seg, fetch| {
            let root = seg.values.as_deref().unwrap_or_default();
            let entries = for_all(keys, |key| match &seg.value_chunks {
                Some(chunks) => table::get_listed(chunks, key, fetch),
                None => table::get(root, key, fetch),
            })?;
            // A damaged entry is blamed on the piece it came from: the chunk, when named here.
            let from = match (&seg.value_chunks, keys) {
                (Some(chunks), [key]) => table::listed_for(chunks, key).unwrap_or(root),
                _ => root,
            };
            Ok((from.to_string(), entries.into_iter().flatten().collect()))
        })
    }

    /// A term read in every segment: `find` gives the segment's entries (several are a union;
    /// their counts are summed only when `additive`, i.e. no release is in two of them).
    fn term(
        &self,
        fetch: &mut Fetch<'_>,
        additive: bool,
        mut find: impl FnMut(&Segment, &mut Fetch<'_>) -> Result<(String, Vec<Vec<u8>>), QueryError>,
    ) -> Result<Found, QueryError> {
        let n = self.manifest.releases as usize;
        let mut found = Found {
            docs: Bits::empty(n),
            title: Bits::empty(n),
            tally: Some(Tally::new(&self.manifest)),
            segs: vec![],
        };
        found.segs = for_all(&self.manifest.segments, |seg| {
            let (root, values) = find(seg, fetch)?;
            if values.len() > 1 && !additive {
                found.tally = None;
            }
            let mut entries = Vec::new();
            for value in values {
                entries.push(self.read_entry(seg, &value, &mut found).map_err(|e| fetch.bad(&root, e))?);
            }
            Ok(entries)
        })?;
        Ok(found)
    }

    /// One entry of one segment into `found`; returns its releases and where their facets are.
    fn read_entry(&self, seg: &Segment, value: &[u8], found: &mut Found) -> Decoded<SegEntry> {
        let mut c = Cursor::new(value);
        let mut local = Bits::empty(seg.len as usize);
        let count = read_set(&mut c, seg.len, 0, &mut local)?;
        found.docs.union_at(&local, seg.start as usize);
        let docs = Docs::new(local, count, seg.len);
        if c.is_done() {
            // A pair in a few releases: the set alone.
            found.tally = None;
            return Ok(SegEntry { docs, count, facets: FacetRef::None });
        }
        read_set(&mut c, seg.len, seg.start as usize, &mut found.title)?;
        let mut tally = Tally::new(&self.manifest);
        tally.read(&mut c, &self.year_index)?;
        if let Some(sum) = &mut found.tally {
            sum.add(&tally);
        }
        // 1.0 entries end here.
        let facets = match if c.is_done() { FACETS_NONE } else { c.uint()? } {
            FACETS_INLINE => {
                let len = c.usize()?;
                FacetRef::Inline(c.bytes(len)?.to_vec())
            }
            FACETS_PIECE => FacetRef::Piece(c.str()?.to_string()),
            _ => FacetRef::None,
        };
        Ok(SegEntry { docs, count, facets })
    }

    /// Counts and passing releases, segment by segment: from the facets stored with the entries
    /// of the rarest of `sources` that has them there (with a search: each term covers every
    /// match; with two or more facets and no search: all of them together cover every release a
    /// count needs), or from the segment's blocks.
    fn count_segments(
        &self,
        matched: Option<&Bits>,
        filter: &Filter,
        sources: &[&Found],
        fetch: &mut Fetch<'_>,
        found: &mut Vec<u32>,
    ) -> Result<Tally, QueryError> {
        let per_segment = for_all(self.manifest.segments.iter().enumerate(), |(i, seg)| {
            let usable = |f: &Found| f.segs[i].iter().all(|e| !matches!(e.facets, FacetRef::None) || e.count == 0);
            let entries: Option<Vec<&SegEntry>> = if matched.is_some() {
                let size = |f: &&&Found| f.segs[i].iter().map(|e| e.count).sum::<usize>();
                sources.iter().filter(|f| usable(f)).min_by_key(size).map(|f| f.segs[i].iter().collect())
            } else if !sources.is_empty() && sources.iter().all(|f| usable(f)) {
                Some(sources.iter().flat_map(|f| &f.segs[i]).collect())
            } else {
                None
            };
            match entries {
                Some(entries) => self.scan_entries(seg, &entries, matched, filter, fetch),
                None => self.scan_segment(seg, matched, filter, fetch),
            }
        })?;
        let mut tally = Tally::new(&self.manifest);
        for (seg_found, seg_tally) in per_segment {
            found.extend(seg_found);
            tally.add(&seg_tally);
        }
        Ok(tally)
    }

    /// The releases of `entries` (in one segment) that match and pass, and their counts.
    fn scan_entries(
        &self,
        seg: &Segment,
        entries: &[&SegEntry],
        matched: Option<&Bits>,
        filter: &Filter,
        fetch: &mut Fetch<'_>,
    ) -> Result<(Vec<u32>, Tally), QueryError> {
        let mut tally = Tally::new(&self.manifest);
        let mut found = Vec::new();
        let cut = filter.from > seg.min_day || filter.to < seg.max_day;
        let data = for_all(entries, |e| match &e.facets {
            FacetRef::Inline(bytes) => Ok(Arc::from(bytes.as_slice())),
            FacetRef::Piece(name) => fetch.get(name),
            FacetRef::None => Ok(Arc::from(&[][..])),
        });
        let days = if cut { Some(self.days(seg, fetch)) } else { None }.transpose();
        let (data, days) = match (data, days) {
            (Ok(d), Ok(days)) => (d, days),
            (Err(e), other) => return Err(e.merge(other.err())),
            (_, Err(e)) => return Err(e),
        };
        let mut seen = Bits::empty(seg.len as usize);
        for (e, bytes) in entries.iter().zip(&data) {
            let name = match &e.facets {
                FacetRef::Piece(name) => name.as_str(),
                _ => seg.words.as_str(),
            };
            let mut c = Cursor::new(bytes);
            for d in e.docs.iter() {
                let (f, year) = self.doc_facets(&mut c).map_err(|err| fetch.bad(name, err))?;
                let o = seg.start + d as u32;
                if seen.contains(d) || matched.is_some_and(|m| !m.contains(o as usize)) {
                    continue;
                }
                seen.insert(d);
                let day = days.as_ref().and_then(|days| days.get(d).copied()).unwrap_or(seg.min_day);
                if filter.consider(day, year, &f, &mut tally) {
                    found.push(o);
                }
            }
        }
        Ok((found, tally))
    }

    /// One release's facets as an entry stores them, and its year's place in the manifest.
    fn doc_facets(&self, c: &mut Cursor<'_>) -> Decoded<(DocFacets, Option<usize>)> {
        let agency = c.uint()?;
        if agency > self.manifest.agencies.len() as u64 {
            return Err("an office number is out of range".into());
        }
        let mut tags = Vec::new();
        for _ in 0..c.usize()? {
            let t = c.uint()?;
            if t >= self.manifest.tags.len() as u64 {
                return Err("a topic number is out of range".into());
            }
            tags.push(t as u32);
        }
        let year = c.zigzag()?.checked_add(2000);
        let year = year.and_then(|y| u32::try_from(y).ok()).and_then(|y| self.year_index.get(&y).copied());
        Ok((DocFacets { agency: agency.checked_sub(1).map(|a| a as u32), tags }, year))
    }

    /// The releases of one segment that pass, newest last, and their share of the counts.
    fn scan_segment(
        &self,
        seg: &Segment,
        matched: Option<&Bits>,
        filter: &Filter,
        fetch: &mut Fetch<'_>,
    ) -> Result<(Vec<u32>, Tally), QueryError> {
        let mut tally = Tally::new(&self.manifest);
        let mut found = Vec::new();
        let has_match = |from: u32, to: u32| matched.is_none_or(|m| (from..to).any(|o| m.contains(o as usize)));
        if seg.max_day < filter.from || seg.min_day > filter.to || !has_match(seg.start, seg.start + seg.len) {
            return Ok((found, tally));
        }
        let blocks: Arc<Vec<Block>> = fetch.parsed(&seg.blocks)?;
        // First what each block needs, so that every facet piece (and the days) of the segment
        // is asked for in one round, not one block a round.
        let mut plan = Vec::new();
        let mut need_days = false;
        for (b, block) in blocks.iter().enumerate() {
            // The blocks list is untrusted: one too many must not wrap round to an early ordinal.
            let first = u32::try_from(b).ok().and_then(|b| b.checked_mul(BLOCK)).and_then(|o| seg.start.checked_add(o));
            let first = first.unwrap_or(u32::MAX);
            let last = first.saturating_add(BLOCK).min(seg.start + seg.len);
            let in_dates = filter.from <= block.min_day && block.max_day <= filter.to;
            if first >= last {
                return Err(fetch.bad(&seg.blocks, "more blocks than the segment has releases".into()));
            }
            if block.max_day < filter.from || block.min_day > filter.to || !has_match(first, last) {
                continue;
            }
            let one_year = self.year_of(block.min_day).filter(|&y| Some(y) == self.year_of(block.max_day));
            let whole = matched.is_none() && in_dates && filter.any_tag && filter.any_agency;
            let by_counts = whole && (filter.any_year || one_year.is_some());
            // The days are read unless the block is counted whole or lies in one year inside the dates.
            need_days |= !(by_counts || in_dates && one_year.is_some());
            plan.push((block, first, last, one_year, by_counts));
        }
        let days = if need_days { Some(self.days(seg, fetch)) } else { None }.transpose();
        let facets = for_all(plan.iter().filter(|p| !p.4), |&(block, first, last, ..)| {
            let holes = order::holes_between(seg, first - seg.start, last - seg.start);
            self.facets(&block.facets, (last - first - holes) as usize, fetch)
        });
        let (days, facets) = match (days, facets) {
            (Ok(days), Ok(facets)) => (days, facets),
            (Err(e), other) => return Err(e.merge(other.err())),
            (_, Err(e)) => return Err(e),
        };
        let mut facets = facets.into_iter();
        for (block, first, last, one_year, by_counts) in plan {
            let bad = |e: String| fetch.bad(&seg.blocks, e);
            if by_counts {
                // Every release of the block passes but for the year: its stored counts serve.
                tally.add_years(&block.year_counts, &self.year_index).map_err(bad)?;
                if filter.any_year || one_year.is_some_and(|y| filter.year_on[y]) {
                    Tally::add_pairs(&mut tally.tags, &block.tag_counts).map_err(bad)?;
                    Tally::add_pairs(&mut tally.agencies, &block.agency_counts).map_err(bad)?;
                    found.extend((first..last).filter(|&o| !order::is_hole(seg, o - seg.start)));
                }
                continue;
            }
            let Some(facets) = facets.next() else { break };
            // The facet piece holds the block's releases, not its holes.
            let mut place = 0;
            for o in first..last {
                if order::is_hole(seg, o - seg.start) {
                    continue;
                }
                place += 1;
                if matched.is_some_and(|m| !m.contains(o as usize)) {
                    continue;
                }
                let (day, year) = match (&days, one_year) {
                    (Some(days), _) => {
                        let day = days[(o - seg.start) as usize];
                        (day, self.year_of(day))
                    }
                    (None, year) => (block.min_day, year),
                };
                let f = &facets[place - 1];
                if filter.consider(day, year, f, &mut tally) {
                    found.push(o);
                }
            }
        }
        Ok((found, tally))
    }

    fn days(&self, seg: &Segment, fetch: &mut Fetch<'_>) -> Result<Vec<i64>, QueryError> {
        let bytes = fetch.get(&seg.dates)?;
        let read = || -> Decoded<Vec<i64>> {
            let mut c = Cursor::new(&bytes);
            let mut out = Vec::with_capacity(seg.len as usize);
            let mut day = 0i64;
            for _ in 0..c.usize()? {
                day = day.checked_add(c.zigzag()?).ok_or("a day is out of range")?;
                let run = c.usize()?;
                if out.len().checked_add(run).is_none_or(|end| end > seg.len as usize) {
                    return Err("more days than releases".into());
                }
                out.extend(std::iter::repeat_n(day, run));
            }
            if out.len() != seg.len as usize {
                return Err("fewer days than releases".into());
            }
            Ok(out)
        };
        read().map_err(|e| fetch.bad(&seg.dates, e))
    }

    fn facets(&self, name: &str, len: usize, fetch: &mut Fetch<'_>) -> Result<Vec<DocFacets>, QueryError> {
        let bytes = fetch.get(name)?;
        let (tags, agencies) = (self.manifest.tags.len() as u64, self.manifest.agencies.len() as u64);
        let read = || -> Decoded<Vec<DocFacets>> {
            let mut c = Cursor::new(&bytes);
            let mut out = Vec::with_capacity(len);
            for _ in 0..len {
                let agency = c.uint()?;
                if agency > agencies {
                    return Err("an office number is out of range".into());
                }
                let mut list = Vec::new();
                for _ in 0..c.usize()? {
                    let t = c.uint()?;
                    if t >= tags {
                        return Err("a topic number is out of range".into());
                    }
                    list.push(t as u32);
                }
                out.push(DocFacets { agency: agency.checked_sub(1).map(|a| a as u32), tags: list });
            }
            Ok(out)
        };
        read().map_err(|e| fetch.bad(name, e))
    }

    fn card(&self, ordinal: u32, fetch: &mut Fetch<'_>) -> Result<Card, QueryError> {
        if ordinal >= self.manifest.releases {
            return Err(QueryError::Failed { piece: "archive.json".into(), message: format!("no release {ordinal}") });
        }
        let seg = self.segment_of(ordinal);
        let local = ordinal - seg.start;
        let list = seg
            .cards
            .get((local / BLOCK) as usize)
            .ok_or_else(|| fetch.bad("archive.json", "a segment lacks a card list".into()))?;
        let place = order::place_in_block(seg, local).ok_or_else(|| QueryError::Failed {
            piece: "archive.json".into(),
            message: format!("no release {ordinal} (it was removed)"),
        })?;
        let (name, at) = self.card_place(list, place, fetch)?;
        let cards: Arc<Vec<Card>> = fetch.parsed(&name)?;
        cards.get(at as usize).cloned().ok_or_else(|| fetch.bad(&name, "a card is missing".into()))
    }

    /// The card piece that holds the `at`-th release of a block, and its place there, from the
    /// block's card list: names of pieces of `cards_per_piece` cards, or (1.4, card groups)
    /// `[name, cards]` pairs.
    fn card_place(&self, list: &str, at: u32, fetch: &mut Fetch<'_>) -> Result<(String, u32), QueryError> {
        if let Some(piece) = at.checked_div(self.manifest.cards_per_piece) {
            let names: Arc<Vec<String>> = fetch.parsed(list)?;
            let name = names.get(piece as usize).ok_or_else(|| fetch.bad(list, "too few cards".into()))?;
            return Ok((name.clone(), at % self.manifest.cards_per_piece));
        }
        let groups: Arc<Vec<(String, u32)>> = fetch.parsed(list)?;
        let mut first = 0u32;
        for (name, cards) in groups.iter() {
            if at < first.saturating_add(*cards) {
                return Ok((name.clone(), at - first));
            }
            first = first.saturating_add(*cards);
        }
        Err(fetch.bad(list, "too few cards".into()))
    }

    /// The release as the search index read it (the body in its searchable form; addresses as
    /// the build wrote them).
    fn release(&self, ordinal: u32, fetch: &mut Fetch<'_>) -> Result<Release, QueryError> {
        let card = self.card(ordinal, fetch)?;
        let body: BodyPiece = fetch.json(&card.body)?;
        let release = card.release(Some(&body), |_| None).map_err(|e| fetch.bad(&card.body, e))?;
        // Set here, where the phrase check sees it is text: the search's code then holds no path
        // for HTML bodies (the cleaner and the entity table, 17 kB gzip of the archive part).
        Ok(Release { body: body.text.map(Body::Text), ..release })
    }
}

/// Fetching ahead, while the reader reads the first list.
impl Archive {
    /// The words tables' roots and then their pages, at most `limit` pieces in all: every search
    /// reads them before its chunks, so with them here a first search takes one round of chunks.
    /// The pages only when every segment's fit (some segments' pages would still leave a search
    /// a round of pages to wait for); the roots alone save a round. Returns the bytes they take.
    pub fn warm(&self, limit: usize, pieces: &mut dyn Pieces) -> Result<usize, QueryError> {
        let mut fetch = Fetch::new(pieces);
        let newest_first: Vec<&Segment> = self.manifest.segments.iter().rev().collect();
        let roots = newest_first.len().min(limit);
        let pages = for_all(&newest_first[..roots], |seg| {
            fetch.get(&seg.words)?;
            table::pages(&seg.words, &mut fetch)
        })?;
        let all: Vec<&String> = pages.iter().flatten().collect();
        let wanted = if roots == newest_first.len() && all.len() <= limit - roots { all } else { Vec::new() };
        for_all(wanted, |name| fetch.get(name))?;
        Ok(fetch.used.values().sum())
    }
}

/// What the query's words and phrases matched.
struct Searched {
    /// `None` when there is no query.
    matched: Option<Bits>,
    /// Per word, its releases with it in the title (for the relevance order).
    titles: Vec<Bits>,
    terms: Vec<Found>,
}

/// The reader's facet and date filters, in the manifest's numbering.
struct Selection {
    tag_ids: Vec<usize>,
    agency_ids: Vec<usize>,
    year_ids: Vec<usize>,
    filter: Filter,
    dated: bool,
}

impl Selection {
    fn new(m: &Manifest, state: &FilterState) -> Selection {
        let pick = |values: &[String], wanted: &[String]| {
            wanted.iter().filter_map(|w| values.iter().position(|v| v == w)).collect::<Vec<_>>()
        };
        let on = |len: usize, ids: &[usize]| {
            let mut set = vec![false; len];
            ids.iter().for_each(|&i| set[i] = true);
            set
        };
        let tag_ids = pick(&m.tags, &state.tags);
        let agency_ids = pick(&m.agencies, &state.agencies);
        let year_ids: Vec<usize> = state.years.iter().filter_map(|y| m.years.iter().position(|v| v == y)).collect();
        let filter = Filter {
            any_tag: tag_ids.is_empty(),
            any_agency: agency_ids.is_empty(),
            any_year: year_ids.is_empty(),
            tag_on: on(m.tags.len(), &tag_ids),
            agency_on: on(m.agencies.len(), &agency_ids),
            year_on: on(m.years.len(), &year_ids),
            from: bound(&state.from).unwrap_or(i64::MIN),
            to: bound(&state.to).unwrap_or(i64::MAX),
        };
        let dated = filter.from != i64::MIN || filter.to != i64::MAX;
        Selection { tag_ids, agency_ids, year_ids, filter, dated }
    }

    /// No facet value and no date selected.
    fn unfiltered(&self) -> bool {
        self.filter.any_tag && self.filter.any_agency && self.filter.any_year && !self.dated
    }
}

/// The reader's filters in the archive's numbering.
struct Filter {
    any_tag: bool,
    any_agency: bool,
    any_year: bool,
    tag_on: Vec<bool>,
    agency_on: Vec<bool>,
    year_on: Vec<bool>,
    from: i64,
    to: i64,
}

impl Filter {
    /// One release, counted exactly as the in-memory search counts it; true when it is listed.
    fn consider(&self, day: i64, year: Option<usize>, f: &DocFacets, tally: &mut Tally) -> bool {
        if !(self.from..=self.to).contains(&day) {
            return false;
        }
        let pass_tag = self.any_tag || f.tags.iter().any(|&t| self.tag_on[t as usize]);
        let pass_agency = self.any_agency || f.agency.is_some_and(|a| self.agency_on[a as usize]);
        let pass_year = self.any_year || year.is_some_and(|y| self.year_on[y]);
        if pass_agency && pass_year {
            f.tags.iter().for_each(|&t| tally.tags[t as usize] += 1);
        }
        if let Some(a) = f.agency.filter(|_| pass_tag && pass_year) {
            tally.agencies[a as usize] += 1;
        }
        if let Some(y) = year.filter(|_| pass_tag && pass_agency) {
            tally.years[y] += 1;
        }
        pass_tag && pass_agency && pass_year
    }
}

fn bound(d: &Option<String>) -> Option<i64> {
    d.as_deref().and_then(|d| Date::parse(d).ok()).map(|d| d.day_number())
}

/// Pieces held in memory by name: what the tests use, and a model for the widget's cache.
#[derive(Default)]
pub struct MemoryPieces {
    pub pieces: HashMap<String, Arc<[u8]>>,
}

impl Pieces for MemoryPieces {
    fn get(&mut self, name: &str) -> Result<Option<Arc<[u8]>>, String> {
        self.pieces.get(name).cloned().map(Some).ok_or_else(|| format!("no piece named {name}"))
    }
}

/// The page `skip..skip + take` of `found` (newest first) in relevance order: more query words in
/// the title first, newest first among equals. Matches are taken a title count at a time, from
/// the most, until the page is full, so no list of every match is put in order.
fn relevance_page(found: &[u32], titles: &[Bits], skip: usize, take: usize) -> Vec<u32> {
    let in_title = |o: u32| titles.iter().filter(|t| t.contains(o as usize)).count();
    let mut page = Vec::with_capacity(take);
    let mut skip = skip;
    for count in (0..=titles.len()).rev() {
        for &o in found.iter().filter(|&&o| in_title(o) == count) {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            if page.len() == take {
                return page;
            }
            page.push(o);
        }
    }
    page
}

/// Finding a release by id, for a deep link to one the reader has not seen in a list yet.
impl Archive {
    /// The release id at each ordinal (`None` for a hole), from every segment's id table: what
    /// the next build reads to keep each release's ordinal. `None` for an archive without id
    /// tables (before 1.2). Before 1.6 a table names only the newest of releases sharing an id.
    pub fn members(&self, pieces: &mut dyn Pieces) -> Result<Option<Vec<Option<String>>>, QueryError> {
        let mut fetch = Fetch::new(pieces);
        let Some(tables) =
            self.manifest.segments.iter().map(|s| Some((s, s.ids.as_deref()?))).collect::<Option<Vec<_>>>()
        else {
            return Ok(None);
        };
        let entries = for_all(tables, |(seg, root)| Ok((seg, root, table::starting_with(root, "", &mut fetch)?)))?;
        let mut members = vec![None; self.manifest.releases as usize];
        for (seg, root, entries) in entries {
            for (id, value) in entries {
                let mut c = Cursor::new(&value);
                while !c.is_done() {
                    let local = c.u32().map_err(|e| fetch.bad(root, e))?;
                    let slot = (local < seg.len).then(|| members.get_mut((seg.start + local) as usize)).flatten();
                    *slot
                        .ok_or_else(|| fetch.bad(root, format!("release {local} of {id} is outside its segment")))? =
                        Some(id.clone());
                }
            }
        }
        Ok(Some(members))
    }

    /// The ordinal of the release `id` (the newest, should two share it). Archives since 1.2 look
    /// it up in every segment's id table at once: three small pieces per segment in three rounds,
    /// however old the release. Older archives are read card piece by card piece, newest first,
    /// at most `ahead` pieces (or card lists) a round.
    pub fn find(&self, id: &str, ahead: usize, pieces: &mut dyn Pieces) -> Result<Option<u32>, QueryError> {
        let mut fetch = Fetch::new(pieces);
        let tables: Option<Vec<(&Segment, &str)>> =
            self.manifest.segments.iter().map(|s| s.ids.as_deref().map(|root| (s, root))).collect();
        if let Some(tables) = tables {
            let found = for_all(tables, |(seg, root)| {
                let Some(value) = table::get(root, id, &mut fetch)? else {
                    return Ok(None);
                };
                let local = Cursor::new(&value).uint().map_err(|e| fetch.bad(root, e))?;
                match u32::try_from(local).ok().filter(|&l| l < seg.len) {
                    Some(local) => Ok(Some(seg.start + local)),
                    None => Err(fetch.bad(root, format!("release {local} of {id} is outside its segment"))),
                }
            })?;
            return Ok(found.into_iter().flatten().max());
        }
        let mut need: Vec<String> = Vec::new();
        let mut next = self.manifest.releases;
        while next > 0 && need.len() < ahead.max(1) {
            let ordinal = next - 1;
            match self.card(ordinal, &mut fetch) {
                Ok(card) if card.id == id => return Ok(Some(ordinal)),
                Ok(_) => next = ordinal,
                Err(QueryError::Need(names)) => {
                    // Skip what the missing piece covers: its block for a card list, else its
                    // card piece.
                    let seg = self.segment_of(ordinal);
                    let local = ordinal - seg.start;
                    let list = seg.cards.get((local / BLOCK) as usize);
                    next = ordinal
                        - match list {
                            Some(list) if !names.contains(list) => {
                                self.card_place(list, local % BLOCK, &mut fetch).map_or(0, |(_, at)| at)
                            }
                            _ => local % BLOCK,
                        };
                    need.extend(names);
                }
                Err(e) => return Err(e),
            }
        }
        need.sort();
        need.dedup();
        if need.is_empty() {
            Ok(None)
        } else {
            Err(QueryError::Need(need))
        }
    }
}
