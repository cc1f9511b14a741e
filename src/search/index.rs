//! The search index, built once when a feed loads (in steps, so the page stays responsive): every
//! folded word → the releases it appears in, and whether in the title.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use super::bits::Bits;
use super::query::{Phrase, Query};
use super::text::for_each_word;
use crate::model::{Body, Release};
use crate::text::clean::plain_text;

/// Release numbers are positions in the feed's newest-first order.
pub type Doc = usize;

/// The index of a feed: one part per run of releases indexed together (the first load, then each
/// page of a paged feed that came after the releases already shown), so a new page is indexed on
/// its own and the parts before it are shared, not rebuilt: the work over a paged feed is linear
/// in its size. Cloning it clones only the list of parts.
#[derive(Clone)]
pub struct Index {
    /// Each part with the number of its first release.
    parts: Vec<(usize, Arc<Part>)>,
    docs: usize,
}

struct Part {
    /// Sorted, so all words with a prefix sit together.
    terms: Vec<Box<str>>,
    /// Per term: `doc << 1 | in_title`, ascending; `doc` counts from the part's first release.
    postings: Vec<Vec<u32>>,
}

#[derive(Default)]
pub struct IndexBuilder {
    ids: HashMap<Box<str>, u32, BuildHasherDefault<FxHasher>>,
    terms: Vec<Box<str>>,
    postings: Vec<Vec<u32>>,
    /// The last document each term was recorded for, so a word repeated in one release is
    /// recorded once.
    last_doc: Vec<u32>,
    docs: usize,
}

impl IndexBuilder {
    /// Adds the next release (they must come in the feed's display order).
    pub fn add(&mut self, release: &Release) {
        let doc = self.docs as u32;
        self.docs += 1;
        // The title first, so a word's first (and only) entry carries the title flag.
        for_each_word(&release.title, |w, _| self.record(w, doc, true));
        for text in searchable_fields(release).skip(1) {
            for_each_word(&text, |w, _| self.record(w, doc, false));
        }
    }

    fn record(&mut self, word: &str, doc: u32, in_title: bool) {
        let id = match self.ids.get(word) {
            Some(&id) => id as usize,
            None => {
                let id = self.terms.len();
                self.ids.insert(word.into(), id as u32);
                self.terms.push(word.into());
                self.postings.push(Vec::new());
                self.last_doc.push(u32::MAX);
                id
            }
        };
        if self.last_doc[id] != doc {
            self.last_doc[id] = doc;
            self.postings[id].push(doc << 1 | u32::from(in_title));
        }
    }

    pub fn finish(self) -> Index {
        let mut order: Vec<usize> = (0..self.terms.len()).collect();
        order.sort_unstable_by(|&a, &b| self.terms[a].cmp(&self.terms[b]));
        let mut terms: Vec<Option<Box<str>>> = self.terms.into_iter().map(Some).collect();
        let mut postings: Vec<Vec<u32>> = self.postings;
        let part = Part {
            terms: order.iter().filter_map(|&i| terms[i].take()).collect(),
            postings: order.iter().map(|&i| std::mem::take(&mut postings[i])).collect(),
        };
        Index { parts: vec![(0, Arc::new(part))], docs: self.docs }
    }
}

/// The text a search looks in, title first. Markdown is searched as written (its markup is not
/// words, and parsing every body would slow indexing); HTML without its tags.
pub fn searchable_fields(r: &Release) -> impl Iterator<Item = Cow<'_, str>> {
    let body = r.body.as_ref().map(|b| match b {
        Body::Markdown(t) | Body::Text(t) => Cow::Borrowed(t.as_str()),
        Body::Html(html) => Cow::Owned(plain_text(html)),
    });
    let fields = [Some(r.title.as_str()), r.summary.as_deref(), r.agency.as_deref(), r.dateline.as_deref()];
    let fields = fields.into_iter().flatten().map(Cow::Borrowed);
    fields.chain(body).chain(r.tags.iter().map(|t| Cow::Borrowed(t.as_str())))
}

/// The releases a query matches, and for ranking, which of its words each has in its title.
pub struct Matches {
    pub docs: Bits,
    in_title: Vec<Bits>,
}

impl Matches {
    /// How many of the query's words appear in the release's title.
    pub fn title_hits(&self, doc: Doc) -> usize {
        self.in_title.iter().filter(|b| b.contains(doc)).count()
    }
}

impl Index {
    pub fn len(&self) -> usize {
        self.docs
    }

    pub fn is_empty(&self) -> bool {
        self.docs == 0
    }

    /// This index followed by `more`, the index of the releases after this one's (a page that
    /// came after them): the parts are shared, nothing is indexed again.
    pub fn appended(&self, more: Index) -> Index {
        let mut parts = self.parts.clone();
        parts.extend(more.parts.into_iter().map(|(start, part)| (start + self.docs, part)));
        Index { parts, docs: self.docs + more.docs }
    }

    /// Releases matching every word (as a prefix) and every phrase; `releases` is the list the
    /// index was built from, read again only to confirm phrases.
    pub fn search(&self, query: &Query, releases: &[Release]) -> Matches {
        let mut docs = Bits::full(self.docs);
        let mut in_title = Vec::new();
        for word in &query.words {
            let (found, title) = self.lookup(word, true);
            docs.intersect(&found);
            in_title.push(title);
        }
        for phrase in &query.phrases {
            let last = phrase.words.len() - 1;
            for (i, word) in phrase.words.iter().enumerate() {
                let (found, title) = self.lookup(word, phrase.open && i == last);
                docs.intersect(&found);
                in_title.push(title);
            }
            if phrase.words.len() > 1 {
                let confirmed: Vec<Doc> =
                    docs.iter().filter(|&d| releases.get(d).is_some_and(|r| has_phrase(r, phrase))).collect();
                docs = Bits::empty(self.docs);
                confirmed.into_iter().for_each(|d| docs.insert(d));
            }
        }
        Matches { docs, in_title }
    }

    /// The documents containing `word` (or a word starting with it), and those with it in the title.
    fn lookup(&self, word: &str, prefix: bool) -> (Bits, Bits) {
        let mut found = Bits::empty(self.docs);
        let mut title = Bits::empty(self.docs);
        for (first, part) in &self.parts {
            let start = part.terms.partition_point(|t| &**t < word);
            let end = if prefix {
                start + part.terms[start..].partition_point(|t| t.starts_with(word))
            } else {
                start + usize::from(part.terms.get(start).is_some_and(|t| &**t == word))
            };
            for list in &part.postings[start..end] {
                for &entry in list {
                    let doc = first + (entry >> 1) as usize;
                    found.insert(doc);
                    if entry & 1 == 1 {
                        title.insert(doc);
                    }
                }
            }
        }
        (found, title)
    }
}

/// Whether the phrase's words appear one after another in one field. Shift-and matching: bit `i`
/// of `state` says the words so far end a match of the phrase's first `i + 1` words, so repeated
/// words are handled and nothing is allocated per word.
pub fn has_phrase(release: &Release, phrase: &Phrase) -> bool {
    let words = &phrase.words[..phrase.words.len().min(64)];
    let last = words.len() - 1;
    let done = 1u64 << last;
    searchable_fields(release).any(|text| {
        let mut state = 0u64;
        let mut found = false;
        for_each_word(&text, |w, _| {
            if found {
                return;
            }
            let fits = words.iter().enumerate().fold(0u64, |mask, (i, want)| {
                let hit = if phrase.open && i == last { w.starts_with(want.as_str()) } else { w == want };
                mask | (u64::from(hit) << i)
            });
            state = ((state << 1) | 1) & fits;
            found = state & done != 0;
        });
        found
    })
}

/// A small, fast hash for short words (the std default resists hash flooding, which a feed the
/// agency publishes itself does not need, at several times the cost).
#[derive(Default)]
pub struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.add(chunk.iter().fold(0u64, |acc, &b| acc << 8 | u64::from(b)));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl FxHasher {
    fn add(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feed::parse_native;
    use crate::search::Query;

    fn page(ids: std::ops::Range<u32>, day: u32) -> crate::model::Feed {
        let releases: Vec<String> = ids
            .map(|i| {
                let words = ["flood warning", "budget hearing", "fraud settlement", "park reopens"][i as usize % 4];
                format!(
                    r#"{{"id":"r{i}","title":"{words} {i}","date":"2024-03-{:02}","summary":"word{i} common"}}"#,
                    day - i / 10
                )
            })
            .collect();
        parse_native(&format!(r#"{{"version":"1","releases":[{}]}}"#, releases.join(","))).unwrap()
    }

    fn index(releases: &[Release]) -> Index {
        let mut builder = IndexBuilder::default();
        releases.iter().for_each(|r| builder.add(r));
        builder.finish()
    }

    /// A paged feed newest first: each page is indexed alone and appended; every search answers as
    /// over an index of the whole feed, and no release was indexed twice.
    #[test]
    fn pages_are_indexed_once_each_and_search_as_one_index() {
        let mut feed = page(0..30, 28);
        let mut incremental = index(&feed.releases);
        let mut indexed = feed.releases.len();
        for p in 1..4u32 {
            let start = feed.releases.len();
            assert!(feed.merge(page(p * 30..p * 30 + 30, 28)), "page {p} sorts after the ones before");
            let more = index(&feed.releases[start..]);
            indexed += feed.releases.len() - start;
            incremental = incremental.appended(more);
        }
        assert_eq!(indexed, feed.releases.len(), "each release indexed once: linear in the feed's size");
        assert_eq!(incremental.len(), 120);
        let whole = index(&feed.releases);
        for q in ["flood", "budget hear", "word7", "word95", "common", "\"fraud settlement\"", "park 11", "nothing"] {
            let query = Query::parse(q);
            let (a, b) = (incremental.search(&query, &feed.releases), whole.search(&query, &feed.releases));
            assert_eq!(a.docs.iter().collect::<Vec<_>>(), b.docs.iter().collect::<Vec<_>>(), "{q}");
            for d in a.docs.iter() {
                assert_eq!(a.title_hits(d), b.title_hits(d), "{q}");
            }
        }
    }

    #[test]
    fn a_page_that_sorts_among_the_releases_before_says_so() {
        let mut feed = page(0..10, 20);
        // Releases dated after the ones already here move them: the index must be built again.
        assert!(!feed.merge(page(10..20, 28)));
        let mut feed = page(0..10, 20);
        assert!(feed.merge(page(10..20, 19)));
    }
}
