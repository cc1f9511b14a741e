//! Writing an archive from a feed's releases. Pure: pieces go to a [`PieceSink`], which names
//! them by content (the command hashes them and writes files; the tests keep them in a map).

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use super::codec::{fnv1a, put_set, put_str, put_uint};
use super::manifest::{AgencyRef, Block, BodyPiece, Card, ContactRef, LinkRef, Manifest, Segment};
use super::manifest::{CARD_GROUPS, STABLE_ORDINALS};
use super::ordinals::{self, Ordinals};
use super::query::{FACETS_INLINE, FACETS_NONE, FACETS_PIECE};
use super::{table, PieceSink, BLOCK, FORMAT_MAJOR, FORMAT_MINOR, FORMAT_NAME};
use crate::model::{Body, Feed, Release};
use crate::render::{self, BodyHtml};
use crate::search::searchable_fields;
use crate::search::text::for_each_word;
use crate::text::clean;

/// Segments built at once at most (each holds its words and pairs in memory).
const MAX_WORKERS: usize = 2;

/// The builder's sink shared by the threads that build segments.
struct SharedSink<'a>(Mutex<&'a mut (dyn PieceSink + Send)>);

impl PieceSink for &SharedSink<'_> {
    fn put(&mut self, extension: &str, bytes: Vec<u8>) -> Result<String, String> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).put(extension, bytes)
    }
}

struct Exit<'a>(&'a AtomicUsize);

impl Drop for Exit<'_> {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

/// Where a build stands, for a progress line: releases done of the total.
pub type Progress<'a> = &'a mut dyn FnMut(&str, u64, u64);

/// What the builder reads besides the sink.
pub struct BuildInput<'a> {
    /// Releases in the feed's order (newest first), as [`Feed`] keeps them.
    pub feed: &'a Feed,
    /// The feed's address, to resolve relative links in HTML bodies.
    pub base: &'a str,
    /// The manifest of the build this one replaces, if any: its topic and office numbers are
    /// kept, and its ordinals (or its segments' edges), so that what did not change is written
    /// with the same bytes.
    pub previous: Option<&'a Manifest>,
    /// The release id at each of the previous build's ordinals (`None` for a hole), as
    /// [`super::Archive::members`] reads them: without them, releases are numbered anew.
    pub members: Option<&'a [Option<String>]>,
}

/// The facet numbers of one release. Topics and offices keep the previous build's numbers; new
/// values are numbered after them in order of first appearance (oldest release first), so no
/// number ever changes; years are stored as themselves. The reader sorts values for display.
struct Facets {
    agency: Option<u32>,
    tags: Vec<u32>,
    year: i32,
    day: i64,
}

/// Numbers values in order of first appearance, after those of a previous build.
#[derive(Default)]
struct Numbering {
    ids: HashMap<String, u32>,
    values: Vec<String>,
}

impl Numbering {
    fn after(previous: &[String]) -> Numbering {
        let mut numbering = Numbering::default();
        previous.iter().for_each(|v| {
            numbering.id(v);
        });
        numbering
    }

    fn id(&mut self, value: &str) -> u32 {
        if let Some(&id) = self.ids.get(value) {
            return id;
        }
        let id = self.values.len() as u32;
        self.ids.insert(value.to_string(), id);
        self.values.push(value.to_string());
        id
    }
}

/// Builds every piece and returns the manifest (which the caller writes last).
pub fn build(
    input: BuildInput<'_>,
    sink: &mut (dyn PieceSink + Send),
    progress: Progress<'_>,
) -> Result<Manifest, String> {
    let releases = &input.feed.releases;
    u32::try_from(releases.len()).map_err(|_| "too many releases for one archive".to_string())?;
    // Oldest first, and among releases of the same date, the reverse of the feed's order, so
    // "newest first" is descending ordinals (but for late releases, see `ordinals`).
    let dated: Vec<&Release> = releases.iter().rev().collect();
    let previous = input.previous;
    let numbered = previous.map(|m| ordinals::Numbered { segments: &m.segments, members: input.members });
    let Ordinals { releases: by_ordinal, layout, late } = ordinals::assign(&dated, numbered);
    let n = u32::try_from(by_ordinal.len()).map_err(|_| "too many releases for one archive".to_string())?;
    let (mut tags, mut agencies) = (
        Numbering::after(previous.map_or(&[][..], |m| &m.tags)),
        Numbering::after(previous.map_or(&[][..], |m| &m.agencies)),
    );
    let facets: Vec<Option<Facets>> = by_ordinal
        .iter()
        .map(|r| {
            let Some(r) = r else { return Ok(None) };
            // An archive is ordered and filtered by date: the command leaves undated releases
            // out, saying so, before it builds.
            let date = r.date.as_ref().ok_or_else(|| format!("release \u{201c}{}\u{201d} has no date", r.id))?;
            Ok(Some(Facets {
                agency: r.agency.as_deref().map(|a| agencies.id(a)),
                tags: r.tags.iter().map(|t| tags.id(t)).collect(),
                year: date.year,
                day: date.day_number(),
            }))
        })
        .collect::<Result<_, String>>()?;
    let live: Vec<&Facets> = facets.iter().flatten().collect();
    let shape = Shape {
        tags: tags.values.len(),
        agencies: agencies.values.len(),
        first_year: live.iter().map(|f| f.year).min().unwrap_or(0),
        years: live.iter().map(|f| f.year).max().map_or(0, |last| (last + 1) as usize),
    };
    let mut totals = Counts::new(&shape);
    live.iter().for_each(|f| totals.add(f));
    // A hole is in no set and no count; its day is its neighbour's, so the day runs stay few.
    let facets: Vec<Facets> = fill_holes(facets, shape.first_year);
    let mut years: Vec<(i32, u32)> = totals.years_sparse().into_iter().map(|(y, c)| (y as i32, c)).collect();
    years.reverse();

    // Where each release sorts, for the segments' edges, which a later renumbering keeps.
    let key = |r: &Release| (r.date.as_ref().map_or(0, |d| d.timestamp()), r.id.clone());
    // Segments are independent: a few at a time, largest first, one sink behind a lock.
    let workers = std::thread::available_parallelism().map_or(1, |p| p.get()).clamp(1, MAX_WORKERS);
    let shared = SharedSink(Mutex::new(sink));
    let (next, done, exited) = (AtomicUsize::new(0), AtomicUsize::new(0), AtomicUsize::new(0));
    let workers = workers.min(layout.len());
    let results: Mutex<Vec<Option<Result<Segment, String>>>> = Mutex::new(layout.iter().map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                // Counted on the way out, even by a panic, so the progress loop ends.
                let _exit = Exit(&exited);
                while let Some(&(start, len)) = layout.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let range = start as usize..(start + len) as usize;
                    let mut sink = &shared;
                    let built = segment(
                        start,
                        &by_ordinal[range.clone()],
                        &facets[range.clone()],
                        &shape,
                        input.base,
                        &mut sink,
                    )
                    .map(|s| {
                        let mut live = by_ordinal[range.clone()].iter().flatten();
                        Segment { first: live.next().map(|r| key(r)), last: live.next_back().map(|r| key(r)), ..s }
                    });
                    let failed = built.is_err();
                    let i = layout.iter().position(|s| s.0 == start).unwrap_or(0);
                    results.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(built);
                    done.fetch_add(len as usize, Ordering::Relaxed);
                    if failed {
                        // The others stop after their current segment.
                        next.store(layout.len(), Ordering::Relaxed);
                    }
                }
            });
        }
        while exited.load(Ordering::Relaxed) < workers {
            progress("segments", done.load(Ordering::Relaxed) as u64, u64::from(n));
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    });
    progress("segments", u64::from(n), u64::from(n));
    let segments = results
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err("a segment was not built".into())))
        .collect::<Result<Vec<Segment>, String>>()?;
    let mut requires = vec![CARD_GROUPS.to_string()];
    if !late.is_empty() || segments.iter().any(|s| !s.holes.is_empty()) {
        requires.push(STABLE_ORDINALS.to_string());
    }
    Ok(Manifest {
        format: FORMAT_NAME.into(),
        version: format!("{FORMAT_MAJOR}.{FORMAT_MINOR}"),
        requires,
        agency: input.feed.agency.as_ref().map(|a| AgencyRef { name: a.name.clone(), url: a.url.clone() }),
        language: input.feed.language.clone(),
        releases: n,
        tags: tags.values,
        agencies: agencies.values,
        years: years.iter().map(|y| y.0).collect(),
        tag_counts: totals.tags,
        agency_counts: totals.agencies,
        year_counts: years.iter().map(|y| y.1).collect(),
        cards_per_piece: 0,
        segments,
        late,
        first_page: None,
    })
}

/// Each ordinal's facets, a hole's standing in with no values and its neighbour's day (the one
/// before it, or for holes at the start the first release's).
fn fill_holes(facets: Vec<Option<Facets>>, first_year: i32) -> Vec<Facets> {
    let mut day = facets.iter().flatten().next().map_or(0, |f| f.day);
    facets
        .into_iter()
        .map(|f| match f {
            Some(f) => {
                day = f.day;
                f
            }
            None => Facets { agency: None, tags: Vec::new(), year: first_year, day },
        })
        .collect()
}

/// How many values each facet has, and the span of years.
struct Shape {
    tags: usize,
    agencies: usize,
    first_year: i32,
    /// One past the last year.
    years: usize,
}

/// Tag, agency and year counts over some releases, counted as the in-memory search counts them
/// (a topic listed twice on a release counts twice there, so here too).
pub(super) struct Counts {
    pub tags: Vec<u32>,
    pub agencies: Vec<u32>,
    /// Indexed by year − `first_year`.
    years: Vec<u32>,
    first_year: i32,
}

impl Counts {
    fn new(shape: &Shape) -> Counts {
        Counts {
            tags: vec![0; shape.tags],
            agencies: vec![0; shape.agencies],
            years: vec![0; shape.years.saturating_sub(shape.first_year.max(0) as usize)],
            first_year: shape.first_year,
        }
    }

    fn add(&mut self, f: &Facets) {
        f.tags.iter().for_each(|&t| self.tags[t as usize] += 1);
        if let Some(a) = f.agency {
            self.agencies[a as usize] += 1;
        }
        self.years[(f.year - self.first_year) as usize] += 1;
    }

    fn clear(&mut self) {
        [&mut self.tags, &mut self.agencies, &mut self.years].into_iter().for_each(|v| v.fill(0));
    }

    /// The non-zero counts as `[value, count]` pairs.
    fn sparse(v: &[u32]) -> Vec<(u32, u32)> {
        v.iter().enumerate().filter(|(_, &c)| c > 0).map(|(i, &c)| (i as u32, c)).collect()
    }

    /// The non-zero year counts as `[year, count]` pairs, oldest first.
    fn years_sparse(&self) -> Vec<(u32, u32)> {
        Counts::sparse(&self.years).into_iter().map(|(i, c)| (i + self.first_year as u32, c)).collect()
    }

    fn put(&self, out: &mut Vec<u8>) {
        for pairs in [Counts::sparse(&self.tags), Counts::sparse(&self.agencies), self.years_sparse()] {
            put_uint(out, pairs.len() as u64);
            for (value, count) in pairs {
                put_uint(out, u64::from(value));
                put_uint(out, u64::from(count));
            }
        }
    }
}

/// One word's (or prefix's) documents in a segment, and those with it in the title.
#[derive(Default)]
struct Postings {
    docs: Vec<u32>,
    title: Vec<u32>,
}

/// Entries of at most `1 / FACET_SHARE` of their segment's releases carry each release's facets
/// (beside the entry, or inside it when that is under `INLINE_FACETS` bytes), so a query of
/// several words counts from its rarest word's releases instead of every block's facet piece.
const FACET_SHARE: usize = 4;
const INLINE_FACETS: usize = 64;

/// Word pairs are two word numbers and the local release number packed in one integer, in that
/// order so that sorting the integers sorts the pairs by key: 64 bits (21 + 21 + 22) while they
/// fit, 128 bits (32 + 32 + 32) once a segment has 2,097,152 distinct words or more.
const PAIR_DOC_BITS: u32 = 22;
const PAIR_WORD_BITS: u32 = 21;

/// A segment's word pairs as (first word, second word, release), packed (see [`PAIR_WORD_BITS`]).
#[derive(Debug)]
enum PairBuf {
    Narrow(Vec<u64>),
    Wide(Vec<u128>),
}

impl PairBuf {
    fn push(&mut self, a: u32, b: u32, doc: u32) {
        if let PairBuf::Narrow(narrow) = self {
            if (a | b) >> PAIR_WORD_BITS != 0 || doc >> PAIR_DOC_BITS != 0 {
                let wide = std::mem::take(narrow).into_iter().map(|p| {
                    let (a, b, doc) = unpack64(p);
                    pack128(a, b, doc)
                });
                *self = PairBuf::Wide(wide.collect());
            }
        }
        match self {
            PairBuf::Narrow(v) => v.push(pack64(a, b, doc)),
            PairBuf::Wide(v) => v.push(pack128(a, b, doc)),
        }
    }

    /// Renumbers the words (`rank[word]`) and sorts the pairs by key, then release.
    fn rank_and_sort(&mut self, rank: &[u32]) {
        match self {
            PairBuf::Narrow(v) => {
                v.iter_mut().for_each(|p| {
                    let (a, b, doc) = unpack64(*p);
                    *p = pack64(rank[a as usize], rank[b as usize], doc);
                });
                v.sort_unstable();
            }
            PairBuf::Wide(v) => {
                v.iter_mut().for_each(|p| {
                    let (a, b, doc) = unpack128(*p);
                    *p = pack128(rank[a as usize], rank[b as usize], doc);
                });
                v.sort_unstable();
            }
        }
    }

    fn for_each(&self, mut f: impl FnMut((u32, u32, u32)) -> Result<(), String>) -> Result<(), String> {
        match self {
            PairBuf::Narrow(v) => v.iter().try_for_each(|&p| f(unpack64(p))),
            PairBuf::Wide(v) => v.iter().try_for_each(|&p| f(unpack128(p))),
        }
    }
}

fn pack64(a: u32, b: u32, doc: u32) -> u64 {
    (u64::from(a) << PAIR_WORD_BITS | u64::from(b)) << PAIR_DOC_BITS | u64::from(doc)
}

fn unpack64(p: u64) -> (u32, u32, u32) {
    let word = (1u64 << PAIR_WORD_BITS) - 1;
    let ab = p >> PAIR_DOC_BITS;
    ((ab >> PAIR_WORD_BITS) as u32, (ab & word) as u32, (p & ((1u64 << PAIR_DOC_BITS) - 1)) as u32)
}

fn pack128(a: u32, b: u32, doc: u32) -> u128 {
    u128::from(a) << 64 | u128::from(b) << 32 | u128::from(doc)
}

fn unpack128(p: u128) -> (u32, u32, u32) {
    ((p >> 64) as u32, (p >> 32) as u32, p as u32)
}
/// Pairs in at least this many releases of a segment store counts and facets as words do.
const PAIR_COUNTED: usize = 64;

/// Writes one table entry: the releases, those with the key in the title, their counts, and
/// their facets (see `query::FacetRef`).
struct EntryWriter<'a> {
    len: u32,
    facets: &'a [Facets],
    counts: Counts,
}

impl EntryWriter<'_> {
    fn entry(&mut self, docs: &[u32], title: &[u32], sink: &mut dyn PieceSink) -> Result<Vec<u8>, String> {
        let mut out = Vec::new();
        put_set(&mut out, docs, self.len);
        put_set(&mut out, title, self.len);
        self.counts.clear();
        docs.iter().for_each(|&d| self.counts.add(&self.facets[d as usize]));
        self.counts.put(&mut out);
        if docs.len() * FACET_SHARE > self.len as usize {
            put_uint(&mut out, FACETS_NONE);
            return Ok(out);
        }
        let mut data = Vec::with_capacity(docs.len() * 5);
        docs.iter().for_each(|&d| put_doc_facets(&mut data, &self.facets[d as usize]));
        if data.len() <= INLINE_FACETS {
            put_uint(&mut out, FACETS_INLINE);
            put_uint(&mut out, data.len() as u64);
            out.extend(data);
        } else {
            put_uint(&mut out, FACETS_PIECE);
            put_str(&mut out, &sink.put("bin", data)?);
        }
        Ok(out)
    }
}

/// One release's office (+ 1, 0 for none), topic count and topics, and year (zigzag from 2000).
fn put_doc_facets(out: &mut Vec<u8>, f: &Facets) {
    put_uint(out, f.agency.map_or(0, |a| u64::from(a) + 1));
    put_uint(out, f.tags.len() as u64);
    f.tags.iter().for_each(|&t| put_uint(out, u64::from(t)));
    let y = i64::from(f.year) - 2000;
    put_uint(out, ((y << 1) ^ (y >> 63)) as u64);
}

fn segment(
    start: u32,
    docs: &[Option<&Release>],
    facets: &[Facets],
    shape: &Shape,
    base: &str,
    sink: &mut dyn PieceSink,
) -> Result<Segment, String> {
    let len = docs.len() as u32;
    let Words { sorted, pairs } = words(docs);
    let mut writer = EntryWriter { len, facets, counts: Counts::new(shape) };
    let words_root = write_words(&sorted, &mut writer, sink)?;
    let pairs_root = Some(write_pairs(&pairs, &sorted, &mut writer, sink)?);
    drop(pairs);
    drop(sorted);
    let (values_root, value_chunks) = write_values(docs, facets, &mut writer, sink)?;
    let ids_root = write_ids(docs, sink)?;

    let (mut blocks, mut cards, mut holes) = (Vec::new(), Vec::new(), Vec::new());
    for (b, chunk) in docs.chunks(BLOCK as usize).enumerate() {
        let first = b * BLOCK as usize;
        let block_facets = &facets[first..first + chunk.len()];
        let (block, card_list) = block(chunk, block_facets, shape, base, sink)?;
        holes.extend(chunk.iter().enumerate().filter(|(_, r)| r.is_none()).map(|(i, _)| (first + i) as u32));
        blocks.push(block);
        cards.push(card_list);
    }
    let blocks_json = serde_json::to_vec(&blocks).map_err(|e| e.to_string())?;
    let days: Vec<i64> = facets.iter().map(|f| f.day).collect();
    Ok(Segment {
        start,
        len,
        min_day: days.iter().copied().min().unwrap_or(0),
        max_day: days.iter().copied().max().unwrap_or(0),
        words: words_root,
        pairs: pairs_root,
        values: Some(values_root),
        value_chunks: Some(value_chunks),
        ids: Some(ids_root),
        cards,
        dates: sink.put("bin", day_runs(&days))?,
        blocks: sink.put("json", blocks_json)?,
        holes,
        first: None,
        last: None,
    })
}

/// A segment's words, sorted, with their postings; and each pair of words that follow each other
/// in one field as (first's rank, second's rank, release) packed in order, when they fit.
struct Words {
    sorted: Vec<(String, Postings)>,
    pairs: PairBuf,
}

/// Word → postings, in the same pass over the same fields as the in-memory index.
fn words(docs: &[Option<&Release>]) -> Words {
    let mut ids: HashMap<String, u32> = HashMap::new();
    let mut words: Vec<(String, Postings)> = Vec::new();
    let mut pairs = PairBuf::Narrow(Vec::new());
    let mut doc_pairs: Vec<(u32, u32)> = Vec::new();
    for (local, r) in docs.iter().enumerate() {
        let Some(r) = r else { continue };
        let local = local as u32;
        doc_pairs.clear();
        let mut record = |w: &str, in_title: bool, prev: &mut Option<u32>| {
            let id = *ids.entry(w.to_string()).or_insert_with(|| {
                words.push((w.to_string(), Postings::default()));
                (words.len() - 1) as u32
            });
            let p = &mut words[id as usize].1;
            if p.docs.last() != Some(&local) {
                p.docs.push(local);
                if in_title {
                    p.title.push(local);
                }
            }
            if let Some(a) = prev.replace(id) {
                doc_pairs.push((a, id));
            }
        };
        let mut prev = None;
        for_each_word(&r.title, |w, _| record(w, true, &mut prev));
        for text in searchable_fields(r).skip(1) {
            let mut prev = None;
            for_each_word(&text, |w, _| record(w, false, &mut prev));
        }
        doc_pairs.sort_unstable();
        doc_pairs.dedup();
        doc_pairs.iter().for_each(|&(a, b)| pairs.push(a, b, local));
    }
    drop(ids);
    // Sort the words, and renumber the pairs by the words' ranks so that pair order is the
    // order of their keys (`first second`: a space sorts before every word character).
    let mut order: Vec<u32> = (0..words.len() as u32).collect();
    order.sort_unstable_by(|&a, &b| words[a as usize].0.cmp(&words[b as usize].0));
    let mut rank = vec![0u32; words.len()];
    order.iter().enumerate().for_each(|(r, &id)| rank[id as usize] = r as u32);
    pairs.rank_and_sort(&rank);
    drop(rank);
    let mut slots: Vec<Option<(String, Postings)>> = words.into_iter().map(Some).collect();
    let sorted = order.iter().filter_map(|&id| slots[id as usize].take()).collect();
    Words { sorted, pairs }
}

/// The words table: each word, and each prefix shared by two or more words. One table for both:
/// a prefix label is keyed `label\0`, which sorts right after the word equal to the label (if
/// any) and before every longer word under it.
fn write_words(
    sorted: &[(String, Postings)],
    writer: &mut EntryWriter<'_>,
    sink: &mut dyn PieceSink,
) -> Result<String, String> {
    let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
    for (label, p) in prefix_nodes(sorted) {
        entries.push((format!("{label}\0"), writer.entry(&p.docs, &p.title, sink)?));
    }
    for (w, p) in sorted {
        entries.push((w.clone(), writer.entry(&p.docs, &p.title, sink)?));
    }
    entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    table::write(entries.into_iter(), table::CHUNK, sink)
}

/// The pairs table, keyed `first second`, from the packed pairs in order.
fn write_pairs(
    pairs: &PairBuf,
    sorted: &[(String, Postings)],
    writer: &mut EntryWriter<'_>,
    sink: &mut dyn PieceSink,
) -> Result<String, String> {
    let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
    let mut run: Vec<u32> = Vec::new();
    let mut key: Option<(u32, u32)> = None;
    let mut close = |(a, b): (u32, u32), run: &mut Vec<u32>| -> Result<(), String> {
        let name = format!("{} {}", sorted[a as usize].0, sorted[b as usize].0);
        // Most pairs are in a release or two: their entry is the set alone (counts then come
        // from the blocks that hold them, a few).
        let value = if run.len() >= PAIR_COUNTED {
            writer.entry(run, &[], sink)?
        } else {
            let mut out = Vec::new();
            put_set(&mut out, run, writer.len);
            out
        };
        entries.push((name, value));
        run.clear();
        Ok(())
    };
    pairs.for_each(|(a, b, doc)| {
        if let Some(k) = key.filter(|&k| k != (a, b)) {
            close(k, &mut run)?;
        }
        key = Some((a, b));
        run.push(doc);
        Ok(())
    })?;
    if let Some(k) = key {
        close(k, &mut run)?;
    }
    table::write(entries.into_iter(), table::PAIR_CHUNK, sink)
}

/// Each topic, office and year as a set of releases with its counts: a filter on one value reads
/// one entry per segment. Returns the root and the chunks, which the manifest lists (1.5).
fn write_values(
    docs: &[Option<&Release>],
    facets: &[Facets],
    writer: &mut EntryWriter<'_>,
    sink: &mut dyn PieceSink,
) -> Result<(String, Vec<(String, String)>), String> {
    let mut values: std::collections::BTreeMap<String, Vec<u32>> = std::collections::BTreeMap::new();
    for (d, f) in facets.iter().enumerate().filter(|(d, _)| docs[*d].is_some()) {
        let d = d as u32;
        let mut add = |key: String| {
            let list = values.entry(key).or_default();
            if list.last() != Some(&d) {
                list.push(d);
            }
        };
        f.tags.iter().for_each(|t| add(format!("t{t}")));
        if let Some(a) = f.agency {
            add(format!("a{a}"));
        }
        add(format!("y{}", f.year));
    }
    let mut entries = Vec::new();
    for (key, docs) in values {
        entries.push((key, writer.entry(&docs, &[], sink)?));
    }
    table::write_listed(entries.into_iter(), table::CHUNK, sink)
}

/// The id table: each id once, with its releases in the segment newest first (ids are unique in
/// a well-formed feed; the newest wins as in the widget's list, and a reader before 1.6 reads
/// only the first). The next build reads them all back to keep every release's ordinal.
fn write_ids(docs: &[Option<&Release>], sink: &mut dyn PieceSink) -> Result<String, String> {
    let mut ids: Vec<(&str, u32)> =
        docs.iter().enumerate().filter_map(|(local, r)| Some((r.as_ref()?.id.as_str(), local as u32))).collect();
    ids.sort_unstable_by(|a, b| a.0.cmp(b.0).then(b.1.cmp(&a.1)));
    let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
    for (id, local) in ids {
        match entries.last_mut() {
            Some((last, value)) if last == id => put_uint(value, u64::from(local)),
            _ => {
                let mut value = Vec::new();
                put_uint(&mut value, u64::from(local));
                entries.push((id.to_string(), value));
            }
        }
    }
    table::write(entries.into_iter(), table::ID_CHUNK, sink)
}

/// Every prefix shared by two or more words, with their postings merged: the labels of the
/// inner nodes of the words' compressed trie, which are the common prefixes of neighbouring
/// words in sorted order. A query prefix reads one entry instead of every word it starts (see
/// `query::Archive::lookup`).
fn prefix_nodes(sorted: &[(String, Postings)]) -> Vec<(String, Postings)> {
    let common = |a: &str, b: &str| {
        let n = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).map(|(x, _)| x.len_utf8()).sum::<usize>();
        a[..n].to_string()
    };
    let mut labels: Vec<String> =
        sorted.windows(2).map(|w| common(&w[0].0, &w[1].0)).filter(|l| !l.is_empty()).collect();
    labels.sort_unstable();
    labels.dedup();
    labels
        .into_iter()
        .map(|label| {
            let from = sorted.partition_point(|(w, _)| w.as_str() < label.as_str());
            let to = from + sorted[from..].partition_point(|(w, _)| w.starts_with(&label));
            let merge = |pick: &dyn Fn(&Postings) -> &Vec<u32>| {
                let mut all: Vec<u32> = sorted[from..to].iter().flat_map(|(_, p)| pick(p).iter().copied()).collect();
                all.sort_unstable();
                all.dedup();
                all
            };
            let postings = Postings { docs: merge(&|p| &p.docs), title: merge(&|p| &p.title) };
            (label, postings)
        })
        .collect()
}

/// Days as runs of `(day − previous day, run length)`, the first day relative to 0.
fn day_runs(days: &[i64]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut runs: Vec<(i64, u64)> = Vec::new();
    for &d in days {
        match runs.last_mut() {
            Some((day, n)) if *day == d => *n += 1,
            _ => runs.push((d, 1)),
        }
    }
    put_uint(&mut out, runs.len() as u64);
    let mut prev = 0i64;
    for (day, n) in runs {
        let delta = day - prev;
        put_uint(&mut out, ((delta << 1) ^ (delta >> 63)) as u64);
        put_uint(&mut out, n);
        prev = day;
    }
    out
}

/// A block's facet piece, counts and card pieces: of its releases, not its holes.
fn block(
    docs: &[Option<&Release>],
    facets: &[Facets],
    shape: &Shape,
    base: &str,
    sink: &mut dyn PieceSink,
) -> Result<(Block, String), String> {
    let mut data = Vec::new();
    let mut counts = Counts::new(shape);
    let live: Vec<(&Release, &Facets)> = docs.iter().zip(facets).filter_map(|(r, f)| Some(((*r)?, f))).collect();
    for &(_, f) in &live {
        put_uint(&mut data, f.agency.map_or(0, |a| u64::from(a) + 1));
        put_uint(&mut data, f.tags.len() as u64);
        f.tags.iter().for_each(|&t| put_uint(&mut data, u64::from(t)));
        counts.add(f);
    }
    let mut card_names: Vec<(String, u32)> = Vec::new();
    let releases: Vec<&Release> = live.iter().map(|(r, _)| *r).collect();
    for group in card_groups(&releases) {
        let cards = group.iter().map(|r| card(r, base, sink)).collect::<Result<Vec<Card>, String>>()?;
        card_names
            .push((sink.put("json", serde_json::to_vec(&cards).map_err(|e| e.to_string())?)?, group.len() as u32));
    }
    // A block of holes only has its neighbours' days, which nothing reads.
    let days = facets.iter().zip(docs).filter(|(_, r)| r.is_some() || live.is_empty()).map(|(f, _)| f.day);
    let cards = sink.put("json", serde_json::to_vec(&card_names).map_err(|e| e.to_string())?)?;
    let block = Block {
        facets: sink.put("bin", data)?,
        min_day: days.clone().min().unwrap_or(0),
        max_day: days.max().unwrap_or(0),
        tag_counts: Counts::sparse(&counts.tags),
        agency_counts: Counts::sparse(&counts.agencies),
        year_counts: counts.years_sparse(),
    };
    Ok((block, cards))
}

/// A card piece ends after a release whose id hashes to 0 modulo this…
const CARD_CUT: u64 = 6;
/// …or at this many releases: about 5 a piece on average, and a release picked at random (a
/// search result) is in a piece of about 7 (8 with the fixed pieces of 1.1 to 1.3), measured with
/// `release-embed views` at 10,000 releases against cuts of 8 with 8 to 16 at most.
const MAX_CARDS: usize = 10;

/// A block's releases cut into card pieces by their ids, not their places (see [`CARD_CUT`]), or
/// at the block's end. A release added or removed changes the piece it is in (and the pieces cut
/// at [`MAX_CARDS`] after it, up to the next cut by id); the others keep theirs, but at the edges
/// of the blocks after it in its segment, which move by one.
fn card_groups<'r, 'a>(docs: &'r [&'a Release]) -> Vec<&'r [&'a Release]> {
    let mut groups = Vec::new();
    let mut start = 0;
    for (i, r) in docs.iter().enumerate() {
        if i + 1 - start >= MAX_CARDS || fnv1a(r.id.as_bytes()) % CARD_CUT == 0 {
            groups.push(&docs[start..=i]);
            start = i + 1;
        }
    }
    if start < docs.len() {
        groups.push(&docs[start..]);
    }
    groups
}

fn card(r: &Release, base: &str, sink: &mut dyn PieceSink) -> Result<Card, String> {
    // The first words of the body, as the widget's list shows a release without a summary.
    let excerpt = r.summary.is_none().then(|| render::summary(r)).flatten();
    let body = BodyPiece {
        dateline: r.dateline.clone(),
        author: r.author.clone(),
        html: r.body.as_ref().map(|b| body_html(b, r.base.as_deref().unwrap_or(base))),
        // What the index read of the body (Markdown as written, HTML without tags).
        text: r.body.as_ref().map(|b| match b {
            Body::Markdown(t) | Body::Text(t) => t.clone(),
            Body::Html(html) => clean::plain_text(html),
        }),
        related_links: r.related_links.iter().map(|l| LinkRef { title: l.title.clone(), url: l.url.clone() }).collect(),
        contacts: r
            .contacts
            .iter()
            .map(|c| ContactRef { name: c.name.clone(), email: c.email.clone(), phone: c.phone.clone() })
            .collect(),
    };
    Ok(Card {
        id: r.id.clone(),
        title: r.title.clone(),
        date: r.date.as_ref().map(|d| d.machine().to_string()).unwrap_or_default(),
        url: r.url.clone(),
        summary: r.summary.clone(),
        excerpt,
        agency: r.agency.clone(),
        tags: r.tags.clone(),
        image: r.image.as_ref().map(|i| LinkRef { title: i.alt.clone(), url: i.url.clone() }),
        body: sink.put("json", serde_json::to_vec(&body).map_err(|e| e.to_string())?)?,
    })
}

/// The body as the widget shows it, rendered once here by the widget's own renderer (Markdown
/// and HTML through the cleaner, plain text as escaped paragraphs). Headings start at `<h3>`.
fn body_html(body: &Body, base: &str) -> String {
    match render::body_html(body, base, 3) {
        BodyHtml::Ready(html) => html,
        // body_html always has the code it needs in a build with bodies.
        BodyHtml::Loading | BodyHtml::Failed => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_past_2_097_152_words_are_kept_in_wider_numbers_in_key_order() {
        let mut pairs = PairBuf::Narrow(Vec::new());
        pairs.push(3, 1, 7);
        pairs.push(1, 2, 9);
        assert!(matches!(pairs, PairBuf::Narrow(_)));
        // The 2,097,152nd word (numbered 2,097,152 from 0: past 21 bits) widens every pair.
        let big = 1 << PAIR_WORD_BITS;
        pairs.push(big, 3, 4_000_000);
        pairs.push(1, 2, 5);
        assert!(matches!(pairs, PairBuf::Wide(_)));
        // Ranks reverse the words' order: 3 → 0, 2 → 1, 1 → 2, big → 3.
        let mut rank = vec![0u32; big as usize + 1];
        (rank[3], rank[2], rank[1], rank[big as usize]) = (0, 1, 2, 3);
        pairs.rank_and_sort(&rank);
        let mut seen = Vec::new();
        pairs
            .for_each(|p| {
                seen.push(p);
                Ok(())
            })
            .unwrap();
        assert_eq!(seen, [(0, 2, 7), (2, 1, 5), (2, 1, 9), (3, 0, 4_000_000)]);
    }

    #[test]
    fn card_pieces_are_cut_by_id_so_an_insertion_moves_only_the_pieces_around_it() {
        let feed_of = |ids: Vec<String>| {
            let releases: Vec<serde_json::Value> =
                ids.iter().map(|id| serde_json::json!({ "id": id, "title": id, "date": "2020-01-01" })).collect();
            crate::feed::parse(&serde_json::json!({ "version": "1", "releases": releases }).to_string(), None, "")
                .unwrap()
        };
        let feed = feed_of((0..300).map(|i| format!("r{i}")).collect());
        let all: Vec<&Release> = feed.releases.iter().collect();
        let ids = |groups: Vec<&[&Release]>| -> Vec<Vec<String>> {
            groups.iter().map(|g| g.iter().map(|r| r.id.clone()).collect()).collect()
        };
        let before = ids(card_groups(&all));
        assert!(before.iter().all(|g| !g.is_empty() && g.len() <= MAX_CARDS));
        let average = 300.0 / before.len() as f64;
        assert!((4.0..=6.0).contains(&average), "{average} releases a piece");
        let extra = feed_of(vec!["inserted".into()]);
        let mut with = all.clone();
        with.insert(150, &extra.releases[0]);
        let after = ids(card_groups(&with));
        let changed = after.iter().filter(|g| !before.contains(g)).count();
        assert!(changed <= 3, "{changed} pieces changed: {after:?}");
    }
}
