//! The archive decoder on damaged pieces: a small archive is built once from the search fixture,
//! then the fuzzer's bytes replace one of its pieces (chosen by the first byte) and the reader
//! answers a list, a search, a filtered list and each release. It must answer, fail with a
//! message, or ask for pieces: never panic, overflow or loop. The bytes are also read directly
//! as a set of document numbers, the codec's densest form of untrusted numbers.
#![no_main]

use std::collections::HashMap;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use release_embed::archive::codec::{read_set, Cursor};
use release_embed::archive::reader::{Answer, Reader};
use release_embed::archive::{build, BuildInput, PieceSink};
use release_embed::search::{Bits, FilterState};

#[derive(Default)]
struct Sink(HashMap<String, Vec<u8>>);

impl PieceSink for Sink {
    fn put(&mut self, extension: &str, bytes: Vec<u8>) -> Result<String, String> {
        let name = format!("{}.{extension}", self.0.len());
        self.0.insert(name.clone(), bytes);
        Ok(name)
    }
}

struct Built {
    manifest: String,
    pieces: Vec<(String, Vec<u8>)>,
}

fn built() -> &'static Built {
    static BUILT: OnceLock<Built> = OnceLock::new();
    BUILT.get_or_init(|| {
        let text = include_str!("../../tests/fixtures/search.json");
        let feed = release_embed::feed::parse(text, None, "").expect("the search fixture reads");
        let mut sink = Sink::default();
        let manifest = build(BuildInput { feed: &feed, base: "" }, &mut sink, &mut |_: &str, _: u64, _: u64| {}).expect("it builds");
        let mut pieces: Vec<(String, Vec<u8>)> = sink.0.into_iter().collect();
        pieces.sort();
        Built { manifest: serde_json::to_string(&manifest).expect("a manifest"), pieces }
    })
}

/// Answers a view, adding pieces as asked (the damaged one in place of its original); gives up
/// after a bounded number of rounds, which a reader that loops would exceed.
fn answer<T>(reader: &mut Reader, pieces: &HashMap<&str, &[u8]>, mut ask: impl FnMut(&mut Reader) -> Answer<T>) {
    for _ in 0..64 {
        match ask(reader) {
            Answer::Need(names) => {
                for name in names {
                    match pieces.get(name.as_str()) {
                        Some(bytes) => reader.add(&name, bytes),
                        None => return,
                    }
                }
            }
            Answer::Ready(_) | Answer::Failed { .. } => return,
        }
    }
    panic!("the reader kept asking for pieces");
}

fuzz_target!(|data: &[u8]| {
    if let Some((&which, rest)) = data.split_first() {
        let mut c = Cursor::new(rest);
        let universe = u32::from(which) * 97;
        let mut bits = Bits::empty(universe as usize + 64);
        let _ = read_set(&mut c, universe, 64, &mut bits);
    }
    let b = built();
    let Some((&which, damaged)) = data.split_first() else { return };
    let target = &b.pieces[usize::from(which) % b.pieces.len()].0;
    let pieces: HashMap<&str, &[u8]> = b
        .pieces
        .iter()
        .map(|(name, bytes)| (name.as_str(), if name == target { damaged } else { bytes.as_slice() }))
        .collect();
    let Ok(mut reader) = Reader::open(&b.manifest) else { return };
    let head = reader.head();
    for state in [
        FilterState::default(),
        FilterState { query: "attorney general".into(), ..Default::default() },
        FilterState { query: "fra".into(), page: 2, ..Default::default() },
        FilterState { years: head.years.first().copied().into_iter().collect(), ..Default::default() },
        FilterState { tags: head.tags.first().cloned().into_iter().collect(), from: Some("2019-01-01".into()), ..Default::default() },
    ] {
        let search = state.to_search("", "re");
        answer(&mut reader, &pieces, |r| r.list(&search, "re", 5));
    }
    for ordinal in 0..head.releases.min(40) {
        answer(&mut reader, &pieces, |r| r.open_release(ordinal));
    }
    answer(&mut reader, &pieces, |r| r.find("no-such-release", 8));
});
