//! Answering a [`FilterState`] from an archive: the same releases, order and facet counts as
//! [`crate::search::evaluate`] over the feed the archive was built from, fetching only what the
//! view needs. Ordinal `o` stands for feed position `releases - 1 - o`, so "newest first" is
//! descending ordinals and every rule of the in-memory search carries over one to one.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::codec::{read_set, Cursor, Decoded};
use super::manifest::{Block, BodyPiece, Card, Manifest, Segment};
use super::{for_all, table, Fetch, Pieces, QueryError, BLOCK, CARDS};
use crate::model::{Body, Contact, Date, Image, Link, Release};
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
}

/// The positions of `values` in display order (as the in-memory catalogue sorts them).
fn display_order(values: &[String]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..values.len()).collect();
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
            *list.get_mut(value as usize).ok_or("a count names a value the manifest does not have")? += count;
        }
        Ok(())
    }

    fn read(&mut self, c: &mut Cursor<'_>, year_index: &HashMap<u32, usize>) -> Decoded<()> {
        for which in 0..3 {
            let n = c.usize()?;
            let mut pairs = Vec::with_capacity(n.min(4096));
            for _ in 0..n {
                pairs.push((c.uint()? as u32, c.uint()? as u32));
            }
            match which {
                0 => Tally::add_pairs(&mut self.tags, &pairs)?,
                1 => Tally::add_pairs(&mut self.agencies, &pairs)?,
                _ => self.add_years(&pairs, year_index)?,
            }
        }
        Ok(())
    }

    fn add_years(&mut self, pairs: &[(u32, u32)], year_index: &HashMap<u32, usize>) -> Decoded<()> {
        for &(year, count) in pairs {
            self.years[*year_index.get(&year).ok_or("a count names a year the manifest does not have")?] += count;
        }
        Ok(())
    }
}

/// One word's releases, those with it in the title, and the counts over its releases.
struct Found {
    docs: Bits,
    title: Bits,
    tally: Tally,
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
        let (tag_order, agency_order) = (display_order(&manifest.tags), display_order(&manifest.agencies));
        Archive {
            tags: tag_order.iter().map(|&i| manifest.tags[i].clone()).collect(),
            agencies: agency_order.iter().map(|&i| manifest.agencies[i].clone()).collect(),
            tag_order,
            agency_order,
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
        let m = &self.manifest;
        let n = m.releases as usize;
        let query = Query::parse(&state.query);

        // The words: every word a prefix, phrase words exact but for a phrase still being typed.
        let mut lookups: Vec<(&str, bool)> = query.words.iter().map(|w| (w.as_str(), true)).collect();
        for p in &query.phrases {
            let last = p.words.len() - 1;
            lookups.extend(p.words.iter().enumerate().map(|(i, w)| (w.as_str(), p.open && i == last)));
        }
        let mut matched: Option<Bits> = None;
        let mut titles = Vec::new();
        let mut word_tally = None;
        if !query.is_empty() {
            let found = for_all(&lookups, |&(word, prefix)| self.lookup(word, prefix, &mut fetch))?;
            let mut docs = Bits::full(n);
            for f in &found {
                docs.intersect(&f.docs);
            }
            if found.len() == 1 {
                word_tally = found.first().map(|f| f.tally.clone());
            }
            titles = found.into_iter().map(|f| f.title).collect();
            for phrase in query.phrases.iter().filter(|p| p.words.len() > 1) {
                let candidates: Vec<u32> = docs.iter().map(|d| d as u32).collect();
                let keep = for_all(candidates, |o| Ok((o, has_phrase(&self.release(o, &mut fetch)?, phrase))))?;
                docs = Bits::empty(n);
                keep.into_iter().filter(|(_, k)| *k).for_each(|(o, _)| docs.insert(o as usize));
            }
            matched = Some(docs);
        }

        let pick = |values: &[String], wanted: &[String]| {
            wanted.iter().filter_map(|w| values.iter().position(|v| v == w)).collect::<Vec<_>>()
        };
        let on = |len: usize, ids: Vec<usize>| {
            let mut set = vec![false; len];
            ids.into_iter().for_each(|i| set[i] = true);
            set
        };
        let tag_ids = pick(&m.tags, &state.tags);
        let agency_ids = pick(&m.agencies, &state.agencies);
        let year_ids: Vec<usize> = state.years.iter().filter_map(|y| m.years.iter().position(|v| v == y)).collect();
        let filter = Filter {
            any_tag: tag_ids.is_empty(),
            any_agency: agency_ids.is_empty(),
            any_year: year_ids.is_empty(),
            tag_on: on(m.tags.len(), tag_ids),
            agency_on: on(m.agencies.len(), agency_ids),
            year_on: on(m.years.len(), year_ids),
            from: bound(&state.from).unwrap_or(i64::MIN),
            to: bound(&state.to).unwrap_or(i64::MAX),
        };
        let unfiltered =
            filter.any_tag && filter.any_agency && filter.any_year && filter.from == i64::MIN && filter.to == i64::MAX;

        let mut tally = Tally::new(m);
        let mut found: Vec<u32> = Vec::new();
        match (&matched, unfiltered, word_tally) {
            // The first list and a lone word: counts stored at build time, no facet data.
            (None, true, _) => {
                tally.tags.clone_from(&m.tag_counts);
                tally.agencies.clone_from(&m.agency_counts);
                tally.years.clone_from(&m.year_counts);
                found.extend((0..m.releases).rev());
            }
            (Some(docs), true, Some(word)) => {
                tally = word;
                found.extend(docs.iter().map(|d| d as u32));
                found.reverse();
            }
            _ => {
                let per_segment =
                    for_all(&m.segments, |seg| self.scan_segment(seg, matched.as_ref(), &filter, &mut fetch))?;
                for (seg_found, seg_tally) in per_segment {
                    found.extend(seg_found);
                    for (sum, part) in [
                        (&mut tally.tags, &seg_tally.tags),
                        (&mut tally.agencies, &seg_tally.agencies),
                        (&mut tally.years, &seg_tally.years),
                    ] {
                        sum.iter_mut().zip(part).for_each(|(s, p)| *s += p);
                    }
                }
                found.sort_unstable_by(|a, b| b.cmp(a));
            }
        }

        let sort = state.sort();
        match (sort, &matched) {
            (Sort::Oldest, _) => found.reverse(),
            (Sort::Relevance, Some(_)) => found
                .sort_by_cached_key(|&o| std::cmp::Reverse(titles.iter().filter(|t| t.contains(o as usize)).count())),
            _ => {}
        }
        let page_size = page_size.max(1);
        let pages = found.len().div_ceil(page_size).max(1);
        let page = state.page.clamp(1, pages);
        let page_ordinals: Vec<u32> = found.iter().skip((page - 1) * page_size).take(page_size).copied().collect();
        let page_cards = for_all(&page_ordinals, |&o| self.card(o, &mut fetch))?;
        Ok(ArchiveOutcome {
            total: found.len(),
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

    /// A release's card and body, as the widget needs them to open it.
    pub fn open(&self, ordinal: u32, pieces: &mut dyn Pieces) -> Result<(Card, BodyPiece), QueryError> {
        let mut fetch = Fetch::new(pieces);
        let card = self.card(ordinal, &mut fetch)?;
        let body = fetch.json(&card.body)?;
        Ok((card, body))
    }

    /// Releases of one word (or every word it starts) in every segment.
    fn lookup(&self, word: &str, prefix: bool, fetch: &mut Fetch<'_>) -> Result<Found, QueryError> {
        let n = self.manifest.releases as usize;
        let mut found = Found { docs: Bits::empty(n), title: Bits::empty(n), tally: Tally::new(&self.manifest) };
        for_all(&self.manifest.segments, |seg| {
            // The smallest key starting with `word` is the prefix entry of every word starting
            // with it (`label\0`), or the word equal to that label just before it, or the only
            // word starting with it. Prefix keys never equal a word.
            let mut next = table::at_or_after(&seg.words, word, 2, fetch)?.into_iter();
            let entry = match (next.next(), next.next()) {
                (Some(first), _) if !prefix => Some(first).filter(|(k, _)| k == word),
                (Some((k, _)), Some(node)) if node.0.strip_suffix('\0') == Some(k.as_str()) && k.starts_with(word) => {
                    Some(node)
                }
                (Some(first), _) => Some(first).filter(|(k, _)| k.starts_with(word)),
                (None, _) => None,
            };
            if let Some((_, value)) = entry {
                let read = |c: &mut Cursor<'_>, f: &mut Found| -> Decoded<()> {
                    read_set(c, seg.len, seg.start as usize, &mut f.docs)?;
                    read_set(c, seg.len, seg.start as usize, &mut f.title)?;
                    f.tally.read(c, &self.year_index)
                };
                read(&mut Cursor::new(&value), &mut found).map_err(|e| fetch.bad(&seg.words, e))?;
            }
            Ok(())
        })?;
        Ok(found)
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
        let mut days: Option<Vec<i64>> = None;
        for (b, block) in blocks.iter().enumerate() {
            let first = seg.start + b as u32 * BLOCK;
            let last = (first + BLOCK).min(seg.start + seg.len);
            let in_dates = filter.from <= block.min_day && block.max_day <= filter.to;
            if first >= last {
                return Err(fetch.bad(&seg.blocks, "more blocks than the segment has releases".into()));
            }
            if block.max_day < filter.from || block.min_day > filter.to || !has_match(first, last) {
                continue;
            }
            let one_year = self.year_of(block.min_day).filter(|&y| Some(y) == self.year_of(block.max_day));
            let whole = matched.is_none() && in_dates && filter.any_tag && filter.any_agency;
            let bad = |e: String| fetch.bad(&seg.blocks, e);
            if whole && (filter.any_year || one_year.is_some()) {
                // Every release of the block passes but for the year: its stored counts serve.
                tally.add_years(&block.year_counts, &self.year_index).map_err(bad)?;
                if filter.any_year || one_year.is_some_and(|y| filter.year_on[y]) {
                    Tally::add_pairs(&mut tally.tags, &block.tag_counts).map_err(bad)?;
                    Tally::add_pairs(&mut tally.agencies, &block.agency_counts).map_err(bad)?;
                    found.extend(first..last);
                }
                continue;
            }
            if days.is_none() && !(in_dates && one_year.is_some()) {
                days = Some(self.days(seg, fetch)?);
            }
            let facets = self.facets(&block.facets, (last - first) as usize, fetch)?;
            for o in first..last {
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
                let f = &facets[(o - first) as usize];
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
                let z = c.uint()? as i64;
                day += (z >> 1) ^ -(z & 1);
                let run = c.usize()?;
                if out.len() + run > seg.len as usize {
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
        let names: Arc<Vec<String>> = fetch.parsed(list)?;
        let name =
            names.get((local % BLOCK / CARDS) as usize).ok_or_else(|| fetch.bad(list, "too few cards".into()))?;
        let cards: Arc<Vec<Card>> = fetch.parsed(name)?;
        cards.get((local % CARDS) as usize).cloned().ok_or_else(|| fetch.bad(name, "a card is missing".into()))
    }

    /// The release as the search index read it (the body in its searchable form).
    fn release(&self, ordinal: u32, fetch: &mut Fetch<'_>) -> Result<Release, QueryError> {
        let card = self.card(ordinal, fetch)?;
        let body: BodyPiece = fetch.json(&card.body)?;
        let date = Date::parse(&card.date).map_err(|e| fetch.bad(&card.body, e))?;
        Ok(Release {
            id: card.id,
            title: card.title,
            date,
            url: card.url,
            base: None,
            summary: card.summary,
            body: body.text.map(Body::Text),
            dateline: body.dateline,
            agency: card.agency,
            author: body.author,
            tags: card.tags,
            related_links: body.related_links.into_iter().map(|l| Link { title: l.title, url: l.url }).collect(),
            contacts: body
                .contacts
                .into_iter()
                .map(|c| Contact { name: c.name, email: c.email, phone: c.phone })
                .collect(),
            image: card.image.map(|i| Image { url: i.url, alt: i.title }),
        })
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
