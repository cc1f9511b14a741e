//! A sorted table of byte values by string key, cut into pieces of a few kilobytes so a lookup
//! fetches three small pieces (root, page, chunk) whatever the table's size. Keys in a chunk share
//! their prefix with the key before (front coding), which halves the size of a word list.

use super::codec::{Cursor, Decoded};
use super::{for_all, Fetch, QueryError};

// Writing is the command's, which builds with the bodies feature; the widget only reads.
#[cfg(feature = "bodies")]
pub use write::{write, write_listed};

/// How a table's chunks are cut (see `write::cut_after`).
#[cfg(feature = "bodies")]
#[derive(Clone, Copy)]
pub enum Cut {
    /// Chunks of about this many bytes: past half of it at a key whose hash is 0 modulo 4,
    /// else at it. For entries of very different sizes (words, values).
    Size(usize),
    /// After a key whose hash is 0 modulo this (or at 16 kB): by the keys alone, for many small
    /// entries of about one size (ids, pairs), where a cut by size moves the cuts after a key
    /// removed (every later one in an id table).
    Keys(u64),
}

/// A chunk or page is closed near this many bytes.
#[cfg(feature = "bodies")]
pub const CHUNK: Cut = Cut::Size(2048);
/// The id table: 128 ids a chunk on average, about 1.7 kB.
#[cfg(feature = "bodies")]
pub const ID_CHUNK: Cut = Cut::Keys(128);
/// The pair table has millions of small entries of about one size: cut by key, 128 a chunk on
/// average (about 7 kB, at most 16 kB), so a phrase reads one chunk per segment and its files stay
/// few.
#[cfg(feature = "bodies")]
pub const PAIR_CHUNK: Cut = Cut::Keys(128);

/// A root or a page: `(first key, name)` of each page or chunk it lists, in key order.
pub fn read_directory(bytes: &[u8]) -> Decoded<Vec<(String, String)>> {
    let mut c = Cursor::new(bytes);
    let n = c.usize()?;
    let mut out = Vec::with_capacity(n.min(bytes.len()));
    for _ in 0..n {
        out.push((c.str()?.to_string(), c.str()?.to_string()));
    }
    Ok(out)
}

pub fn read_chunk(bytes: &[u8]) -> Decoded<Vec<(String, Vec<u8>)>> {
    let mut c = Cursor::new(bytes);
    let n = c.usize()?;
    let mut out: Vec<(String, Vec<u8>)> = Vec::with_capacity(n.min(bytes.len()));
    let mut prev = String::new();
    for _ in 0..n {
        let shared = c.usize()?;
        let mut key = prev.get(..shared).ok_or("a table key refers to a longer key before it")?.to_string();
        key.push_str(c.str()?);
        let len = c.usize()?;
        out.push((key.clone(), c.bytes(len)?.to_vec()));
        prev = key;
    }
    Ok(out)
}

/// The value of `key`: one root, page and chunk, where a scan would go on to the next chunk.
pub fn get(root: &str, key: &str, fetch: &mut Fetch<'_>) -> Result<Option<Vec<u8>>, QueryError> {
    let pages = fetch.decoded(root, read_directory)?;
    let Some(page) = listed_for(&pages, key) else {
        return Ok(None);
    };
    let chunks = fetch.decoded(page, read_directory)?;
    get_listed(&chunks, key, fetch)
}

/// The value of `key` from a table whose chunks are listed here (`(first key, chunk name)`, in
/// key order, as [`write_listed`] returns them and the manifest holds them for the value
/// tables, 1.5): one piece, the chunk, where [`get`] reads three.
pub fn get_listed(
    chunks: &[(String, String)],
    key: &str,
    fetch: &mut Fetch<'_>,
) -> Result<Option<Vec<u8>>, QueryError> {
    let Some(chunk) = listed_for(chunks, key) else {
        return Ok(None);
    };
    let entries = fetch.decoded(chunk, read_chunk)?;
    Ok(entries.iter().find(|(k, _)| k == key).map(|(_, value)| value.clone()))
}

/// The name of the listed piece (a page of a directory, or a chunk) that would hold `key`.
pub fn listed_for<'a>(list: &'a [(String, String)], key: &str) -> Option<&'a str> {
    let at = list.partition_point(|(first, _)| first.as_str() <= key).checked_sub(1)?;
    Some(&list[at].1)
}

/// The names of the table's pages, from its root: what every lookup reads before its chunk.
pub fn pages(root: &str, fetch: &mut Fetch<'_>) -> Result<Vec<String>, QueryError> {
    Ok(fetch.decoded(root, read_directory)?.iter().map(|(_, name)| name.clone()).collect())
}

/// Every entry whose key starts with `prefix`.
pub fn starting_with(root: &str, prefix: &str, fetch: &mut Fetch<'_>) -> Result<Vec<(String, Vec<u8>)>, QueryError> {
    first_starting_with(root, prefix, usize::MAX, fetch)
}

/// At most `count` entries starting with `prefix`, from the first key at or after it: a word
/// lookup needs the first two (the word, or the prefix entry after it), and reads the next chunk
/// only when the page names it as starting with `prefix`.
pub fn first_starting_with(
    root: &str,
    prefix: &str,
    count: usize,
    fetch: &mut Fetch<'_>,
) -> Result<Vec<(String, Vec<u8>)>, QueryError> {
    scan(root, prefix, count, fetch, &|k| k.starts_with(prefix))
}

/// At most `limit` entries from the first key at or after `key`, in order, while `more(key)`.
/// A page or chunk after the first is fetched only if its first key (listed in the root or the
/// page) passes `more`: keys are sorted, so its first entry would have ended the scan. A scan
/// without a limit asks for every page its range covers at once, then every chunk, so a long
/// range (a phrase's pairs while it is typed) takes two rounds, not one a chunk.
fn scan(
    root: &str,
    key: &str,
    limit: usize,
    fetch: &mut Fetch<'_>,
    more: &dyn Fn(&str) -> bool,
) -> Result<Vec<(String, Vec<u8>)>, QueryError> {
    let eager = limit == usize::MAX;
    let pages = fetch.decoded(root, read_directory)?;
    // The last page (and chunk) starting at or before `key`; the entry may be in the next one.
    let in_range = |list: &[(String, String)]| -> Vec<String> {
        let from = list.partition_point(|(first, _)| first.as_str() <= key).saturating_sub(1);
        let mut names: Vec<String> = Vec::new();
        for (i, (first, name)) in list.iter().enumerate().skip(from) {
            if i > from && first.as_str() >= key && !more(first) {
                break;
            }
            names.push(name.clone());
        }
        names
    };
    let page_names = in_range(&pages);
    if eager {
        let chunk_names: Vec<String> =
            for_all(&page_names, |name| Ok(in_range(&fetch.decoded(name, read_directory)?)))?
                .into_iter()
                .flatten()
                .collect();
        for_all(&chunk_names, |name| fetch.decoded(name, read_chunk))?;
    }
    let mut out = Vec::new();
    for page_name in &page_names {
        let chunks = fetch.decoded(page_name, read_directory)?;
        for chunk_name in in_range(&chunks) {
            let entries = fetch.decoded(&chunk_name, read_chunk)?;
            for entry in entries.iter().filter(|(k, _)| k.as_str() >= key) {
                if !more(&entry.0) {
                    return Ok(out);
                }
                out.push(entry.clone());
                if out.len() == limit {
                    return Ok(out);
                }
            }
        }
    }
    Ok(out)
}

#[cfg(feature = "bodies")]
mod write {
    use super::super::codec::{fnv1a, put_str, put_uint};
    use super::super::PieceSink;
    use super::Cut;

    /// Pages and the root end past half of this (see [`cut_after`]): about 2 kB, as chunks of
    /// words are, so that every segment's pages fit what the widget fetches ahead.
    const TARGET: usize = 4096;

    /// Writes the table (entries in ascending key order) in chunks of about `chunk` bytes and
    /// returns its root piece's name.
    pub fn write(
        entries: impl Iterator<Item = (String, Vec<u8>)>,
        cut: Cut,
        sink: &mut dyn PieceSink,
    ) -> Result<String, String> {
        write_listed(entries, cut, sink).map(|(root, _)| root)
    }

    /// As [`write`], and also returns its chunks as `(first key, name)`, in key order: a small
    /// table's chunk list can go where a reader finds it without the root and the pages.
    pub fn write_listed(
        entries: impl Iterator<Item = (String, Vec<u8>)>,
        cut: Cut,
        sink: &mut dyn PieceSink,
    ) -> Result<(String, Vec<(String, String)>), String> {
        let mut chunks: Vec<(String, String)> = Vec::new();
        let mut chunk = Vec::new();
        let (mut first, mut prev, mut n) = (String::new(), String::new(), 0u64);
        let mut close = |chunk: &mut Vec<u8>, first: &str, n: &mut u64, chunks: &mut Vec<(String, String)>| {
            if *n > 0 {
                let mut piece = Vec::with_capacity(chunk.len() + 4);
                put_uint(&mut piece, *n);
                piece.append(chunk);
                chunks.push((first.to_string(), sink.put("bin", piece)?));
                *n = 0;
            }
            Ok::<(), String>(())
        };
        for (key, value) in entries {
            if n == 0 {
                first.clone_from(&key);
                prev.clear();
            }
            let shared = prev.bytes().zip(key.bytes()).take_while(|(a, b)| a == b).count();
            // Keep the split on a character boundary so every suffix is valid UTF-8.
            let shared = (0..=shared).rev().find(|&i| key.is_char_boundary(i)).unwrap_or(0);
            put_uint(&mut chunk, shared as u64);
            put_str(&mut chunk, &key[shared..]);
            put_uint(&mut chunk, value.len() as u64);
            chunk.extend_from_slice(&value);
            n += 1;
            if cut_after(&key, chunk.len(), cut) {
                close(&mut chunk, &first, &mut n, &mut chunks)?;
            }
            prev = key;
        }
        close(&mut chunk, &first, &mut n, &mut chunks)?;
        let mut pages: Vec<(String, String)> = Vec::new();
        for group in directory_groups(&chunks) {
            pages.push((group[0].0.clone(), sink.put("bin", directory(group))?));
        }
        Ok((sink.put("bin", directory(&pages))?, chunks))
    }

    /// Whether a chunk (or page) of `size` bytes ends after `key` (see [`Cut`]). Cut mostly by
    /// the keys, not by the bytes, an entry that grows or shrinks seldom moves a cut, so a
    /// rebuild writes again the chunks holding what changed, not every chunk after them; and no
    /// chunk cut by size is larger than a cut at its size alone would make it (measured over the
    /// 100,000-release archive's tables: the same bytes per word lookup).
    fn cut_after(key: &str, size: usize, cut: Cut) -> bool {
        let hash = fnv1a(key.as_bytes());
        match cut {
            Cut::Size(target) => size >= target || (size >= target / 2 && hash % 4 == 0),
            Cut::Keys(every) => size >= 8 * 2048 || hash % every == 0,
        }
    }

    /// Consecutive runs of directory entries of about `TARGET` bytes.
    fn directory_groups(entries: &[(String, String)]) -> Vec<&[(String, String)]> {
        let mut groups = Vec::new();
        let (mut start, mut size) = (0, 0);
        for (i, (key, name)) in entries.iter().enumerate() {
            size += key.len() + name.len() + 2;
            if cut_after(key, size, Cut::Size(TARGET)) || i + 1 == entries.len() {
                groups.push(&entries[start..=i]);
                (start, size) = (i + 1, 0);
            }
        }
        groups
    }

    fn directory(entries: &[(String, String)]) -> Vec<u8> {
        let mut out = Vec::new();
        put_uint(&mut out, entries.len() as u64);
        for (key, name) in entries {
            put_str(&mut out, key);
            put_str(&mut out, name);
        }
        out
    }
}

#[cfg(all(test, feature = "bodies"))]
mod tests {
    use std::collections::HashMap;
    use std::sync::Arc;

    use super::super::{Fetch, PieceSink, Pieces, QueryError};
    use super::*;

    #[derive(Default)]
    struct Sink(HashMap<String, Arc<[u8]>>);

    impl PieceSink for Sink {
        fn put(&mut self, extension: &str, bytes: Vec<u8>) -> Result<String, String> {
            let name = format!("{}.{extension}", self.0.len());
            self.0.insert(name.clone(), bytes.into());
            Ok(name)
        }
    }

    /// The pieces fetched so far, of all of them.
    struct Fetched<'a>(&'a Sink, HashMap<String, Arc<[u8]>>);

    impl Pieces for Fetched<'_> {
        fn get(&mut self, name: &str) -> Result<Option<Arc<[u8]>>, String> {
            Ok(self.1.get(name).cloned())
        }
    }

    /// Rounds of fetching until `scan` answers, as the widget fetches: each round all it names.
    fn rounds<T>(all: &Sink, mut scan: impl FnMut(&mut Fetch<'_>) -> Result<T, QueryError>) -> (T, usize, usize) {
        let mut have = Fetched(all, HashMap::new());
        for round in 0..100 {
            match scan(&mut Fetch::new(&mut have)) {
                Ok(found) => return (found, round, have.1.len()),
                Err(QueryError::Need(names)) => {
                    names.iter().for_each(|n| drop(have.1.insert(n.clone(), have.0 .0[n].clone())))
                }
                Err(e) => panic!("{e:?}"),
            }
        }
        panic!("no answer after 100 rounds")
    }

    #[test]
    fn a_long_range_is_read_in_three_rounds_and_a_short_one_reads_no_more_than_it_needs() {
        let mut sink = Sink::default();
        let entries = (0..20_000).map(|i| (format!("k{i:05}"), vec![7; 40]));
        let root = write::write(entries, CHUNK, &mut sink).unwrap();
        let (pages, _, _) = rounds(&sink, |f| super::pages(&root, f));
        assert!(pages.len() >= 3, "several pages ({})", pages.len());
        // Every key from k1 on: thousands of entries over many chunks and pages.
        let (found, taken, fetched) = rounds(&sink, |f| starting_with(&root, "k1", f));
        assert_eq!(found.len(), 10_000);
        assert!(found.iter().all(|(k, v)| k.starts_with("k1") && v == &vec![7; 40]));
        assert_eq!(taken, 3, "root, every page of the range, every chunk of it");
        assert!(fetched < sink.0.len() * 6 / 10, "only the range's pieces ({fetched} of {})", sink.0.len());
        // The first two keys at or after a prefix: one chunk (or two), never the whole range.
        let (found, taken, fetched) = rounds(&sink, |f| first_starting_with(&root, "k1", 2, f));
        assert_eq!(found.iter().map(|e| e.0.as_str()).collect::<Vec<_>>(), ["k10000", "k10001"]);
        assert!(taken <= 4 && fetched <= 4, "{taken} rounds, {fetched} pieces");
    }
}
