//! The archive answers every filter state exactly as the in-memory search does over the same
//! feed: the same releases in the same order, the same page, the same facet counts. Checked on the
//! search fixture (accents, phrases, prefixes) plus generated releases spread over several
//! segments, for hand-picked states and for random ones.
#![cfg(not(target_arch = "wasm32"))]

use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::sync::OnceLock;

use proptest::prelude::*;
use release_embed::archive::codec::{put_str, put_uint};
use release_embed::archive::{build, Archive, BuildInput, Manifest, MemoryPieces, PieceSink, BLOCK};
use release_embed::feed;
use release_embed::model::Feed;
use release_embed::search::{evaluate, Catalog, FilterState, Index, IndexBuilder, Sort};

const PAGE_SIZE: usize = 10;

/// Names pieces by a hash of their bytes, as the command does (with a weaker hash: tests only).
#[derive(Default)]
struct MapSink(MemoryPieces);

impl PieceSink for MapSink {
    fn put(&mut self, extension: &str, bytes: Vec<u8>) -> Result<String, String> {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        bytes.hash(&mut h);
        let name = format!("{:016x}{:x}.{extension}", h.finish(), bytes.len());
        self.0.pieces.insert(name.clone(), Arc::from(bytes));
        Ok(name)
    }
}

const WORDS: &[&str] = &[
    "attorney",
    "general",
    "immigration",
    "immigrants",
    "immigrant",
    "human",
    "trafficking",
    "traffic",
    "settlement",
    "settled",
    "settle",
    "consumer",
    "fraud",
    "Peña",
    "São",
    "Paulo",
    "Ibáñez",
    "Müller",
    "the",
    "of",
    "and",
    "ring",
    "charged",
    "safety",
    "drivers",
    "scam",
    "scams",
    "data",
    "broker",
    "privacy",
    "loans",
    "students",
    "école",
    "Œuvre",
];
const TAGS: &[&str] =
    &["Immigration", "Inmigración", "Fraud", "Settlements", "Public Safety", "Privacy", "Scams", "fraud"];
const OFFICES: &[&str] =
    &["Office of the Attorney General", "Consumer Protection Unit", "Criminal Division", "Oficina Pública"];

/// A small deterministic generator (xorshift), so the corpus is the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn words(&mut self, n: usize) -> String {
        (0..n).map(|_| WORDS[self.below(WORDS.len())]).collect::<Vec<_>>().join(" ")
    }
}

/// `n` releases in the native schema: Markdown bodies, summaries, datelines, dates with and
/// without times and offsets (so a calendar day can sort out of order), shared dates, topics
/// (some repeated), offices (some missing).
fn generated(n: usize) -> String {
    let mut rng = Rng(0x5eed);
    let releases: Vec<serde_json::Value> = (0..n)
        .map(|i| {
            let year = 2015 + rng.below(10);
            let (month, day) = (1 + rng.below(12), 1 + rng.below(28));
            let date = match rng.below(4) {
                0 => format!("{year}-{month:02}-{day:02}T23:30:00-05:00"),
                1 => format!("{year}-{month:02}-{day:02}T00:15:00+09:00"),
                _ => format!("{year}-{month:02}-{day:02}"),
            };
            let tags: Vec<&str> = (0..rng.below(4)).map(|_| TAGS[rng.below(TAGS.len())]).collect();
            let title_len = 3 + rng.below(5);
            let title = rng.words(title_len);
            let mut r = serde_json::json!({
                "id": format!("g{i}"),
                "title": title,
                "date": if i % 50 == 0 { "2020-02-02".to_string() } else { date },
                "tags": tags,
                // `ref{i} case{i}`: thousands of distinct words, so word numbers outgrow a byte
                // or ten bits wherever they are packed.
                "body": format!("{} **{}** [{}](https://x.example/{i}).\n\n{} ref{i} case{i}", rng.words(8), rng.words(2), rng.words(2), rng.words(10)),
            });
            if rng.below(4) > 0 {
                r["agency"] = OFFICES[rng.below(OFFICES.len())].into();
            }
            if rng.below(3) == 0 {
                r["summary"] = rng.words(6).into();
            }
            if rng.below(5) == 0 {
                r["dateline"] = "SÃO PAULO".into();
            }
            r
        })
        .collect();
    serde_json::json!({ "version": "1", "releases": releases }).to_string()
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

struct Both {
    feed: Feed,
    catalog: Catalog,
    index: Index,
    archive: Archive,
    pieces: MemoryPieces,
}

/// The fixtures (native, JSON Feed with HTML and text bodies, WordPress) and generated releases
/// over three segments, merged as the command merges several sources.
fn both() -> &'static Both {
    static BOTH: OnceLock<Both> = OnceLock::new();
    BOTH.get_or_init(|| {
        let mut feed = feed::parse(&fixture("search.json"), None, "https://a.example/feed.json").unwrap();
        for (text, base) in [
            (fixture("jsonfeed-1.1.json"), "https://b.example/feed.json"),
            (fixture("wordpress-posts.json"), "https://c.example/wp-json/wp/v2/posts"),
            (generated(2 * BLOCK as usize + 300), "https://d.example/feed.json"),
        ] {
            feed.merge(feed::parse(&text, None, base).unwrap());
        }
        // As the command does: an archive holds dated releases (jsonfeed-1.1.json has an undated one).
        feed.releases.retain(|r| r.date.is_some());
        let built = archive_of(&feed, "https://a.example/feed.json");
        Both::new(feed, built)
    })
}

impl Both {
    fn new(feed: Feed, (archive, pieces): (Archive, MemoryPieces)) -> Both {
        let mut builder = IndexBuilder::default();
        feed.releases.iter().for_each(|r| builder.add(r));
        Both { catalog: Catalog::new(&feed.releases), index: builder.finish(), feed, archive, pieces }
    }
}

/// [`both`]'s feed changed as a newsroom changes it between two builds, and its archive rebuilt
/// over `both`'s as the command rebuilds a folder: releases keep their ordinals, so the removed
/// ones leave holes and the ones added before newer ones (or moved) are late.
fn rebuilt() -> &'static Both {
    static REBUILT: OnceLock<Both> = OnceLock::new();
    REBUILT.get_or_init(|| {
        let b = both();
        let mut feed = b.feed.clone();
        let release = |feed: &mut Feed, id: &str| feed.releases.iter().position(|r| r.id == id).unwrap();
        for id in ["g100", "g900", "g1500", "g2000", "g2001"] {
            let at = release(&mut feed, id);
            feed.releases.remove(at);
        }
        let at = release(&mut feed, "g200");
        feed.releases[at].title = "Settlement reached again with the trafficking ring".into();
        let at = release(&mut feed, "g1600");
        feed.releases[at].tags = vec!["A topic never seen".into(), "Fraud".into()];
        feed.releases[at].agency = Some("A new office".into());
        // Moved: one to an older date, one to the newest.
        let at = release(&mut feed, "g300");
        feed.releases[at].date = release_embed::model::Date::parse("2016-06-01").ok();
        let at = release(&mut feed, "g1700");
        feed.releases[at].date = release_embed::model::Date::parse("2025-12-31").ok();
        // Added: releases dated among the old ones, and the newest.
        let added: Vec<serde_json::Value> = (0..16)
            .map(|i| {
                let old = ["2015-01-10", "2016-02-11", "2017-03-12", "2018-04-13", "2019-05-14", "2020-02-02"];
                let date = old.get(i).map_or(format!("2025-06-{i:02}"), |d| d.to_string());
                serde_json::json!({
                    "id": format!("added{i}"), "title": format!("Consumer fraud settlement {i}"), "date": date,
                    "tags": [TAGS[i % TAGS.len()]], "body": "The attorney general charged a human trafficking ring.",
                })
            })
            .collect();
        let added = serde_json::json!({ "version": "1", "releases": added }).to_string();
        feed.merge(feed::parse(&added, None, "https://e.example/feed.json").unwrap());
        let members = b.archive.members(&mut MemoryPieces { pieces: b.pieces.pieces.clone() }).unwrap();
        let mut sink = MapSink::default();
        let input = BuildInput {
            feed: &feed,
            base: "https://a.example/feed.json",
            previous: Some(&b.archive.manifest),
            members: members.as_deref(),
        };
        let manifest = build(input, &mut sink, &mut |_, _, _| {}).unwrap();
        let archive = Archive::new(Manifest::from_json(&serde_json::to_string(&manifest).unwrap()).unwrap());
        Both::new(feed, (archive, sink.0))
    })
}

#[test]
fn a_rebuilt_archive_with_holes_and_late_releases_matches_the_in_memory_search() {
    let r = rebuilt();
    let m = &r.archive.manifest;
    let holes: usize = m.segments.iter().map(|s| s.holes.len()).sum();
    assert_eq!(holes, 5, "the removed releases left holes");
    assert!(m.late.len() >= 7, "the backdated and moved releases are late: {:?}", m.late);
    assert!(m.requires.iter().any(|r| r == "stable-ordinals"));
    let tags = |t: &[&str]| t.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    for s in [
        state(""),
        state("consumer fraud"),
        state("settlement"),
        state("\"human trafficking\""),
        state("\"the attorney general"),
        FilterState { sort: Some(Sort::Oldest), ..state("") },
        FilterState { sort: Some(Sort::Relevance), ..state("fraud settlement") },
        FilterState { tags: tags(&["Fraud"]), ..state("") },
        FilterState { tags: tags(&["A topic never seen"]), ..state("") },
        FilterState { agencies: tags(&["A new office"]), ..state("") },
        FilterState { years: vec![2016], ..state("") },
        FilterState { from: Some("2016-01-01".into()), to: Some("2016-12-31".into()), ..state("") },
        FilterState { tags: tags(&["Fraud", "Privacy"]), years: vec![2017, 2025], ..state("") },
    ] {
        for page in 1..=3 {
            compare_in(r, &FilterState { page, ..s.clone() });
        }
    }
    // Every page of the whole list, newest first and oldest first.
    let pages = r.feed.releases.len().div_ceil(PAGE_SIZE);
    for page in 1..=pages {
        compare_in(r, &FilterState { page, ..state("") });
        compare_in(r, &FilterState { page, sort: Some(Sort::Oldest), ..state("") });
    }
}

/// The archive the command would build from `feed` (its manifest read back as the widget reads
/// it), and its pieces.
fn archive_of(feed: &Feed, base: &str) -> (Archive, MemoryPieces) {
    let mut sink = MapSink::default();
    let manifest =
        build(BuildInput { feed, base, previous: None, members: None }, &mut sink, &mut |_, _, _| {}).unwrap();
    let archive = Archive::new(Manifest::from_json(&serde_json::to_string(&manifest).unwrap()).unwrap());
    (archive, sink.0)
}

/// Compares one state both ways; returns the bytes of pieces the archive used.
fn compare(state: &FilterState) -> usize {
    compare_in(both(), state)
}

fn compare_in(b: &Both, state: &FilterState) -> usize {
    let want = evaluate(state, &b.catalog, Some(&b.index), &b.feed.releases, PAGE_SIZE);
    let mut pieces = MemoryPieces { pieces: b.pieces.pieces.clone() };
    let got = b.archive.evaluate(state, PAGE_SIZE, &mut pieces).unwrap_or_else(|e| panic!("{state:?}: {e}"));
    let want_ids: Vec<&str> = want.page_docs.iter().map(|&d| b.feed.releases[d].id.as_str()).collect();
    let got_ids: Vec<&str> = got.page_cards.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(got_ids, want_ids, "page for {state:?}");
    if b.archive.manifest.late.is_empty() && b.archive.manifest.segments.iter().all(|s| s.holes.is_empty()) {
        let n = b.feed.releases.len() as u32;
        assert_eq!(got.page_ordinals, want.page_docs.iter().map(|&d| n - 1 - d as u32).collect::<Vec<_>>());
    }
    assert_eq!((got.total, got.page, got.pages, got.sort), (want.total, want.page, want.pages, want.sort), "{state:?}");
    assert_eq!(got.tag_counts, want.tag_counts, "topic counts for {state:?}");
    assert_eq!(got.agency_counts, want.agency_counts, "office counts for {state:?}");
    assert_eq!(got.year_counts, want.year_counts, "year counts for {state:?}");
    assert_eq!((&b.archive.tags, &b.archive.agencies), (&b.catalog.tags, &b.catalog.agencies));
    got.pieces.values().sum()
}

fn state(query: &str) -> FilterState {
    FilterState { query: query.into(), page: 1, ..Default::default() }
}

#[test]
fn hand_picked_states_match_the_in_memory_search() {
    let b = both();
    assert!(b.archive.manifest.segments.len() >= 3, "the corpus spans several segments");
    for q in [
        "",
        "immig",
        "IMMIGRATION",
        "pena",
        "PEÑA",
        "sao paulo",
        "\"human trafficking\"",
        "\"human traff",
        "\"sao paulo",
        "settle privacy",
        "settle deceptive",
        "zebra",
        "criminal",
        "i",
        "e",
        "ecole",
        "oeuvre",
        "\"the of\"",
        "muller",
        "\"attorney general\" fraud",
        "https",
        "\"\"",
    ] {
        compare(&state(q));
    }
    let tags = |t: &[&str]| t.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    for s in [
        FilterState { tags: tags(&["Fraud", "Privacy"]), ..state("") },
        FilterState { tags: tags(&["Fraud"]), agencies: tags(&["Criminal Division", "Oficina Pública"]), ..state("") },
        FilterState { years: vec![2018, 2020], ..state("") },
        FilterState { from: Some("2017-03-01".into()), to: Some("2019-12-31".into()), ..state("") },
        FilterState { from: Some("2020-02-02".into()), to: Some("2020-02-02".into()), ..state("") },
        FilterState { years: vec![2019], from: Some("2019-06-01".into()), ..state("settle") },
        FilterState { sort: Some(Sort::Oldest), page: 7, ..state("") },
        FilterState { sort: Some(Sort::Newest), page: 3, ..state("immig") },
        FilterState { sort: Some(Sort::Relevance), page: 2, ..state("attorney general") },
        FilterState { page: 10_000, tags: tags(&["Scams"]), ..state("s") },
        FilterState { tags: tags(&["No Such Topic"]), years: vec![1900], ..state("") },
        FilterState { from: Some("not a date".into()), ..state("") },
    ] {
        compare(&s);
    }
}

#[test]
fn the_first_list_uses_stored_counts_and_one_card_piece_or_two() {
    let b = both();
    let mut pieces = MemoryPieces { pieces: b.pieces.pieces.clone() };
    let first = b.archive.evaluate(&state(""), PAGE_SIZE, &mut pieces).unwrap();
    // The tail segment's block list, its card list, and the cards of the newest ten.
    assert!(first.pieces.len() <= 4, "{:?}", first.pieces);
    let (card, body) = b.archive.open(first.page_ordinals[0], &mut pieces).unwrap();
    assert_eq!(card.id, b.feed.releases[0].id);
    assert!(body.html.is_some() || b.feed.releases[0].body.is_none());
}

#[test]
fn a_missing_piece_is_asked_for_and_a_damaged_one_is_named() {
    let b = both();
    let mut none = MemoryPieces::default();
    struct Pending<'a>(&'a mut MemoryPieces);
    impl release_embed::archive::Pieces for Pending<'_> {
        fn get(&mut self, name: &str) -> Result<Option<Arc<[u8]>>, String> {
            Ok(self.0.pieces.get(name).cloned())
        }
    }
    let mut have = Pending(&mut none);
    // Fetch what is asked for until the view can be answered: each round names pieces only.
    let mut rounds = 0;
    let outcome = loop {
        match b.archive.evaluate(&state("immig fraud"), PAGE_SIZE, &mut have) {
            Ok(o) => break o,
            Err(release_embed::archive::QueryError::Need(names)) => {
                for n in names {
                    have.0.pieces.insert(n.clone(), b.pieces.pieces[&n].clone());
                }
            }
            Err(e) => panic!("{e}"),
        }
        rounds += 1;
        assert!(rounds < 20);
    };
    assert_eq!(outcome.pieces.len(), have.0.pieces.len(), "nothing fetched that was not used");
    let mut damaged = MemoryPieces { pieces: b.pieces.pieces.clone() };
    for name in outcome.pieces.keys().filter(|n| n.ends_with(".bin")) {
        damaged.pieces.insert(name.clone(), Arc::from(vec![0xff_u8; 3]));
    }
    let err = b.archive.evaluate(&state("immig fraud"), PAGE_SIZE, &mut damaged).unwrap_err().to_string();
    assert!(err.contains("damaged piece") && err.contains(".bin"), "{err}");
}

fn any_state() -> impl Strategy<Value = FilterState> {
    let word = prop::sample::select(WORDS.to_vec()).prop_flat_map(|w| (Just(w), 1..=w.chars().count()));
    let term = (word, 0..4u8).prop_map(|((w, len), kind)| {
        let w: String = w.chars().take(len).collect();
        match kind {
            0 => format!("\"{w} {}\"", WORDS[len % WORDS.len()]),
            1 => format!("\"{} {w}", WORDS[(len * 7) % WORDS.len()]),
            _ => w,
        }
    });
    let date = (2014..2026i32, 1..13u8, 1..29u8).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}"));
    (
        prop::collection::vec(term, 0..3),
        prop::sample::subsequence(TAGS.to_vec(), 0..3),
        prop::sample::subsequence(OFFICES.to_vec(), 0..2),
        prop::sample::subsequence((2014..2026).collect::<Vec<i32>>(), 0..3),
        prop::option::of(date.clone()),
        prop::option::of(date),
        prop::option::of(prop::sample::select(Sort::ALL.to_vec())),
        1..6usize,
    )
        .prop_map(|(terms, tags, agencies, years, from, to, sort, page)| FilterState {
            query: terms.join(" "),
            tags: tags.into_iter().map(String::from).collect(),
            agencies: agencies.into_iter().map(String::from).collect(),
            years,
            from,
            to,
            sort,
            page,
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]
    #[test]
    fn any_state_matches_the_in_memory_search(state in any_state()) {
        compare(&state);
    }

    #[test]
    fn any_state_matches_the_in_memory_search_after_a_rebuild(state in any_state()) {
        compare_in(rebuilt(), &state);
    }
}

#[test]
fn the_same_feed_gives_the_same_pieces() {
    let b = both();
    let mut sink = MapSink::default();
    let again = build(
        BuildInput { feed: &b.feed, base: "https://a.example/feed.json", previous: None, members: None },
        &mut sink,
        &mut |_, _, _| {},
    )
    .unwrap();
    assert_eq!(again, b.archive.manifest);
    let mut names: Vec<&String> = sink.0.pieces.keys().collect();
    let mut before: Vec<&String> = b.pieces.pieces.keys().collect();
    names.sort();
    before.sort();
    assert_eq!(names, before);
}

/// Asks `archive` for `id` round by round as the widget does, fetching what each round names;
/// returns the ordinal, the rounds taken and every piece fetched.
fn find_by_rounds(archive: &Archive, id: &str) -> (Option<u32>, usize, Vec<String>) {
    struct Pending(MemoryPieces);
    impl release_embed::archive::Pieces for Pending {
        fn get(&mut self, name: &str) -> Result<Option<Arc<[u8]>>, String> {
            Ok(self.0.pieces.get(name).cloned())
        }
    }
    let b = both();
    let (mut have, mut rounds, mut fetched) = (Pending(MemoryPieces::default()), 0, Vec::new());
    loop {
        match archive.find(id, 8, &mut have) {
            Ok(found) => return (found, rounds, fetched),
            Err(release_embed::archive::QueryError::Need(names)) => {
                assert!(names.len() <= 8 + 2, "{names:?}");
                for name in names {
                    have.0.pieces.insert(name.clone(), b.pieces.pieces[&name].clone());
                    fetched.push(name);
                }
            }
            Err(e) => panic!("{e}"),
        }
        rounds += 1;
        assert!(rounds < 1000);
    }
}

/// What the widget does for a deep link: find the release's ordinal by id, then open it as the
/// release view shows it. However old the release, the id tables answer in three rounds of one
/// small piece per segment, and no card piece is read to find it.
#[test]
fn a_release_is_found_by_id_and_opens_as_the_feed_shows_it() {
    let b = both();
    let segments = b.archive.manifest.segments.len();
    assert!(segments >= 3, "the corpus spans several segments");
    let cards = card_pieces();
    let n = b.feed.releases.len();
    for d in [0, 1, 40, n / 2, n - 1] {
        let want = &b.feed.releases[d];
        let (ordinal, rounds, fetched) = find_by_rounds(&b.archive, &want.id);
        assert_eq!(ordinal, Some((n - 1 - d) as u32), "{}", want.id);
        assert!(rounds <= 3, "{} found in {rounds} rounds", want.id);
        assert!(fetched.len() <= 3 * segments, "{} read {} pieces", want.id, fetched.len());
        assert!(fetched.iter().all(|p| !cards.contains(p)), "no card piece read to find {}", want.id);
        let mut all = MemoryPieces { pieces: b.pieces.pieces.clone() };
        let (card, body) = b.archive.open(ordinal.unwrap(), &mut all).unwrap();
        let opened = card.opened(&body, "https://a.example/archive/archive.json").unwrap();
        assert_eq!(
            (&opened.id, &opened.title, &opened.date, &opened.tags),
            (&want.id, &want.title, &want.date, &want.tags)
        );
        assert_eq!((&opened.related_links, &opened.summary), (&want.related_links, &want.summary));
        assert_eq!(opened.body.is_some(), want.body.is_some());
        let listed = card.listed("https://a.example/archive/archive.json").unwrap();
        assert!(listed.body.is_none() && (listed.summary.is_some() || want.body.is_none() || want.summary.is_some()));
    }
    let mut all = MemoryPieces { pieces: b.pieces.pieces.clone() };
    assert_eq!(b.archive.find("no-such-release", 8, &mut all), Ok(None));
    assert_eq!(b.archive.find("", 8, &mut all), Ok(None));
}

/// An archive written before id tables (1.1) is still searched, card piece by card piece.
#[test]
fn archives_without_id_tables_find_releases_by_their_cards() {
    let b = both();
    let mut manifest = b.archive.manifest.clone();
    manifest.segments.iter_mut().for_each(|s| s.ids = None);
    let older = Archive::new(manifest);
    let n = b.feed.releases.len();
    for d in [0, 40, n - 1] {
        let want = &b.feed.releases[d];
        let (ordinal, rounds, _) = find_by_rounds(&older, &want.id);
        assert_eq!(ordinal, Some((n - 1 - d) as u32), "{}", want.id);
        if d == 0 {
            assert!(rounds <= 2, "the newest release is found at once ({rounds} rounds)");
        }
    }
    let mut all = MemoryPieces { pieces: b.pieces.pieces.clone() };
    assert_eq!(older.find("no-such-release", 8, &mut all), Ok(None));
}

/// The names of every card piece and card list.
fn card_pieces() -> std::collections::HashSet<String> {
    let b = both();
    let mut names = std::collections::HashSet::new();
    for seg in &b.archive.manifest.segments {
        for list in &seg.cards {
            names.insert(list.clone());
            // 1.4: `[name, cards]` for each card piece.
            let pieces: Vec<(String, u32)> = serde_json::from_slice(&b.pieces.pieces[list]).unwrap();
            names.extend(pieces.into_iter().map(|(name, _)| name));
        }
    }
    names
}

/// The names of every body piece (named by the cards), to tell which views read bodies.
fn body_pieces() -> std::collections::HashSet<String> {
    let b = both();
    let mut pieces = MemoryPieces { pieces: b.pieces.pieces.clone() };
    (0..b.archive.manifest.releases).map(|o| b.archive.open(o, &mut pieces).unwrap().0.body).collect()
}

/// The names of the segments' block lists and the blocks' facet pieces.
fn block_pieces() -> std::collections::HashSet<String> {
    let b = both();
    let mut names = facet_pieces(&b.archive, &b.pieces);
    names.extend(b.archive.manifest.segments.iter().map(|seg| seg.blocks.clone()));
    names
}

/// The names of the blocks' facet pieces of `archive`.
fn facet_pieces(archive: &Archive, pieces: &MemoryPieces) -> std::collections::HashSet<String> {
    let mut names = std::collections::HashSet::new();
    for seg in &archive.manifest.segments {
        let blocks: Vec<release_embed::archive::manifest::Block> =
            serde_json::from_slice(&pieces.pieces[&seg.blocks]).unwrap();
        names.extend(blocks.into_iter().map(|b| b.facets));
    }
    names
}

#[test]
fn two_word_phrases_come_from_the_pair_table_without_reading_bodies() {
    let bodies = body_pieces();
    for q in ["\"human trafficking\"", "\"human traff", "\"sao paulo", "\"attorney general\" fraud", "\"the of\""] {
        let s = state(q);
        compare(&s);
        let b = both();
        let mut pieces = MemoryPieces { pieces: b.pieces.pieces.clone() };
        let used = b.archive.evaluate(&s, PAGE_SIZE, &mut pieces).unwrap().pieces;
        let read: Vec<&String> = used.keys().filter(|n| bodies.contains(*n)).collect();
        assert!(read.is_empty(), "{q} read bodies: {read:?}");
    }
    // Words numbered in the thousands in their segment.
    for i in [5, 1500, 2300] {
        let s = state(&format!("\"ref{i} case{i}\""));
        compare(&s);
        let b = both();
        let mut pieces = MemoryPieces { pieces: b.pieces.pieces.clone() };
        assert_eq!(b.archive.evaluate(&s, PAGE_SIZE, &mut pieces).unwrap().total, 1, "ref{i} case{i}");
    }
    // Longer phrases still confirm their candidates (which every pair narrows first).
    compare(&state("\"attorney general fraud\""));
    compare(&state("\"the of the"));
}

/// Compares `s` both ways, and checks that the archive answered it without block data.
fn compare_reading_no_block_data(s: &FilterState, blocks: &std::collections::HashSet<String>) {
    compare(s);
    let b = both();
    let mut pieces = MemoryPieces { pieces: b.pieces.pieces.clone() };
    let used = b.archive.evaluate(s, PAGE_SIZE, &mut pieces).unwrap().pieces;
    let read: Vec<&String> = used.keys().filter(|n| blocks.contains(*n)).collect();
    assert!(read.is_empty(), "{s:?} read block data: {read:?}");
}

#[test]
fn one_filter_without_a_search_reads_its_values_not_the_blocks() {
    let blocks = block_pieces();
    let tags = |t: &[&str]| t.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    for s in [
        FilterState { tags: tags(&["Fraud"]), ..state("") },
        FilterState { tags: tags(&["Fraud", "Privacy"]), ..state("") },
        FilterState { agencies: tags(&["Criminal Division", "Oficina Pública"]), ..state("") },
        FilterState { years: vec![2018, 2020], ..state("") },
        FilterState { tags: tags(&["Scams"]), agencies: tags(&["Criminal Division"]), ..state("") },
        FilterState { tags: tags(&["Scams"]), years: vec![2019], from: Some("2019-03-01".into()), ..state("") },
    ] {
        compare_reading_no_block_data(&s, &blocks);
    }
}

#[test]
fn several_words_count_from_the_rarest_words_facets() {
    let blocks = block_pieces();
    let tags = |t: &[&str]| t.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    // Words of the fixtures, rare among the generated releases (whose words are all common).
    for s in [
        state("motors pena"),
        state("utility scams"),
        FilterState { tags: tags(&["Fraud"]), ..state("tactics immig") },
        FilterState { years: vec![2019], from: Some("2019-06-01".into()), ..state("motors settlement") },
    ] {
        compare_reading_no_block_data(&s, &blocks);
    }
}

/// A long session: many views through the widget's reader with a small budget. Each answer is the
/// one an unbounded reader gives, and a new reader's, and the reader holds about the budget, not
/// all it fetched.
#[test]
fn a_reader_holds_about_its_budget_however_many_views_it_answers() {
    use release_embed::archive::reader::{Answer, Reader};
    let b = both();
    let manifest = serde_json::to_string(&b.archive.manifest).unwrap();
    let budget = 40_000;
    let mut small = Reader::open(&manifest).unwrap().with_budget(budget);
    let mut whole = Reader::open(&manifest).unwrap();
    let (mut fetched, mut largest) = (0usize, 0usize);
    let words = ["attorney", "fraud", "park", "budget", "human traff", "\"attorney general\"", "immigration", "water"];
    for (i, query) in words.iter().cycle().take(40).enumerate() {
        let state = FilterState { query: query.to_string(), page: 1 + i % 3, ..Default::default() };
        let search = state.to_search("", "re");
        let mut answer_with = |reader: &mut Reader, count: bool| loop {
            match reader.list(&search, "re", 10) {
                Answer::Ready(listing) => return listing,
                Answer::Need(names) => {
                    for name in names {
                        let bytes = &b.pieces.pieces[&name];
                        if count {
                            fetched += bytes.len();
                        }
                        reader.add(&name, bytes);
                    }
                }
                Answer::Failed { piece, message } => panic!("{piece}: {message}"),
            }
        };
        let got = answer_with(&mut small, true);
        let want = answer_with(&mut whole, false);
        assert_eq!(got, want, "{query}, page {}", state.page);
        // Both keep decoded pieces from view to view: a reader that decodes everything afresh
        // answers the same.
        let fresh = answer_with(&mut Reader::open(&manifest).unwrap(), false);
        assert_eq!(got, fresh, "{query}, page {}, decoded afresh", state.page);
        largest = largest.max(small.held_bytes());
    }
    assert!(largest <= 3 * budget, "held at most {largest} bytes on a budget of {budget}");
    assert!(fetched > 4 * largest, "fetched {fetched} bytes in all, more than it ever held ({largest})");
    assert!(whole.held_bytes() > 4 * budget, "the unbounded reader holds {}", whole.held_bytes());
}

/// The archive part answers in plain objects that the list view reads field by field
/// (`archive::plain`). Each answer, written as its serializer writes it, reads back the same: a
/// renamed field on either side fails here, not only in the release build's browser tests.
#[test]
fn the_readers_answers_read_back_from_plain_values() {
    use release_embed::archive::plain;
    use release_embed::archive::reader::{Answer, Listing, Reader};
    fn plain_of<T: serde::Serialize>(value: &T) -> serde_json::Value {
        serde_json::to_value(value).unwrap()
    }
    let b = both();
    let manifest = serde_json::to_string(&b.archive.manifest).unwrap();
    let mut reader = Reader::open(&manifest).unwrap();
    let head = reader.head();
    assert_eq!(plain::head(&plain_of(&head)), Some(head));

    let mut answered = 0;
    for query in ["", "attorney", "\"attorney general\"", "zzzz-no-such-word"] {
        let search = FilterState { query: query.into(), page: 1, ..Default::default() }.to_search("", "re");
        let listing = loop {
            let answer = reader.list(&search, "re", 10);
            assert_eq!(plain::answer(&plain_of(&answer), plain::listing), answer, "{query:?}");
            match answer {
                Answer::Ready(listing) => break listing,
                Answer::Need(names) => names.iter().for_each(|n| reader.add(n, &b.pieces.pieces[n])),
                Answer::Failed { piece, message } => panic!("{piece}: {message}"),
            }
        };
        answered += 1;
        let Some(&ordinal) = listing.ordinals.first() else { continue };
        let opened = loop {
            match reader.open_release(ordinal) {
                Answer::Ready(opened) => break opened,
                Answer::Need(names) => names.iter().for_each(|n| reader.add(n, &b.pieces.pieces[n])),
                Answer::Failed { piece, message } => panic!("{piece}: {message}"),
            }
        };
        let answer = Answer::Ready(opened.clone());
        let mut expected = opened;
        expected.body.text = None; // read only where the reader runs (phrase checks)
        assert_eq!(plain::answer(&plain_of(&answer), plain::opened), Answer::Ready(expected));
        for found in [Some(ordinal), None] {
            let answer: Answer<Option<u32>> = Answer::Ready(found);
            assert_eq!(plain::answer(&plain_of(&answer), plain::found), answer);
        }
    }
    assert_eq!(answered, 4);
    let failed: Answer<Listing> = Answer::Failed { piece: "p/x.bin".into(), message: "damaged".into() };
    assert_eq!(plain::answer(&plain_of(&failed), plain::listing), failed);
    // What cannot be read is a failure with a reason, never a wrong answer.
    let garbled = serde_json::json!({ "ready": { "total": -1, "page": 1.5 } });
    assert!(matches!(plain::answer(&garbled, plain::listing), Answer::Failed { .. }));
}

/// Evaluates `s` round by round as the widget does, starting from the pieces in `have`; returns
/// the outcome and, per round, the pieces it asked for.
fn list_by_rounds(
    archive: &Archive,
    s: &FilterState,
    have: &mut MemoryPieces,
) -> (release_embed::archive::ArchiveOutcome, Vec<Vec<String>>) {
    rounds_over(archive, &both().pieces, s, have)
}

/// [`list_by_rounds`] over the pieces `all` of `archive`.
fn rounds_over(
    archive: &Archive,
    all: &MemoryPieces,
    s: &FilterState,
    have: &mut MemoryPieces,
) -> (release_embed::archive::ArchiveOutcome, Vec<Vec<String>>) {
    struct Pending<'a>(&'a mut MemoryPieces);
    impl release_embed::archive::Pieces for Pending<'_> {
        fn get(&mut self, name: &str) -> Result<Option<Arc<[u8]>>, String> {
            Ok(self.0.pieces.get(name).cloned())
        }
    }
    let mut rounds = Vec::new();
    loop {
        match archive.evaluate(s, PAGE_SIZE, &mut Pending(have)) {
            Ok(o) => return (o, rounds),
            Err(release_embed::archive::QueryError::Need(names)) => {
                for n in &names {
                    have.pieces.insert(n.clone(), all.pieces[n].clone());
                }
                rounds.push(names);
            }
            Err(e) => panic!("{s:?}: {e}"),
        }
        assert!(rounds.len() < 20);
    }
}

/// When a segment's counts come from its blocks (a date range with a topic; two words in most
/// releases), every block's facet piece is asked for in one round, so a view's rounds do not grow
/// with the segment's blocks (they did: one block a round, 72 rounds for "consumer fr" at 100,000
/// releases, past the widget's 64).
#[test]
fn a_segments_block_facets_are_read_in_one_round() {
    let mut feed = feed::parse(&generated(4 * BLOCK as usize + 40), None, "https://d.example/feed.json").unwrap();
    feed.releases.retain(|r| r.date.is_some());
    let (archive, all) = archive_of(&feed, "https://d.example/feed.json");
    assert_eq!(archive.manifest.segments[0].len, 4 * BLOCK, "one segment of four blocks");
    let block_facets = facet_pieces(&archive, &all);
    for s in [
        FilterState {
            tags: vec!["Fraud".into()],
            from: Some("2016-03-10".into()),
            to: Some("2023-10-20".into()),
            ..state("")
        },
        state("attorney general"),
    ] {
        let (got, rounds) = rounds_over(&archive, &all, &s, &mut MemoryPieces::default());
        let with_facets: Vec<&Vec<String>> =
            rounds.iter().filter(|r| r.iter().any(|n| block_facets.contains(n))).collect();
        assert_eq!(with_facets.len(), 1, "{s:?}: block facets over {} rounds: {rounds:?}", with_facets.len());
        let read = with_facets[0].iter().filter(|n| block_facets.contains(*n)).count();
        assert!(read >= 4, "{s:?}: the segment's blocks are read together ({read} facet pieces)");
        let mut every = MemoryPieces { pieces: all.pieces.clone() };
        let want = archive.evaluate(&s, PAGE_SIZE, &mut every).unwrap();
        assert_eq!((got.total, got.page_ordinals, got.tag_counts), (want.total, want.page_ordinals, want.tag_counts));
    }
}

/// The same archive as a 1.4 reader sees it: no value chunks in its manifest.
fn without_value_chunks() -> Archive {
    let mut manifest = both().archive.manifest.clone();
    manifest.version = "1.4".into();
    manifest.segments.iter_mut().for_each(|s| s.value_chunks = None);
    Archive::new(Manifest::from_json(&serde_json::to_string(&manifest).unwrap()).unwrap())
}

/// A topic, office or year ticked after the first list (1.5): the manifest names the chunk that
/// holds each value's entry, so the first round fetches those chunks and nothing of the value
/// table's roots or pages, and the view takes two rounds fewer than through the root and page.
#[test]
fn a_filter_after_the_first_list_reads_its_values_chunks_at_once() {
    let b = both();
    let listed: std::collections::HashSet<&String> = b
        .archive
        .manifest
        .segments
        .iter()
        .flat_map(|s| s.value_chunks.iter().flatten().map(|(_, name)| name))
        .collect();
    assert!(b.archive.manifest.segments.iter().all(|s| s.value_chunks.as_ref().is_some_and(|c| !c.is_empty())));
    let older = without_value_chunks();
    let tags = |t: &[&str]| t.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    for s in [
        FilterState { tags: tags(&["Fraud"]), ..state("") },
        FilterState { tags: tags(&["Fraud", "Privacy"]), ..state("") },
        FilterState { agencies: tags(&["Criminal Division"]), ..state("") },
        FilterState { years: vec![2019], ..state("") },
        FilterState { tags: tags(&["Scams"]), agencies: tags(&["Criminal Division"]), ..state("") },
    ] {
        let first = |archive: &Archive| {
            let mut have = MemoryPieces::default();
            list_by_rounds(archive, &state(""), &mut have);
            have
        };
        let (got, rounds) = list_by_rounds(&b.archive, &s, &mut first(&b.archive));
        assert!(rounds[0].iter().all(|n| listed.contains(n)), "{s:?}: the first round read {:?}", rounds[0]);
        assert!(rounds.len() <= 3, "{s:?}: {} rounds: {rounds:?}", rounds.len());
        // A 1.4 archive (no value chunks) is read through the value table's root and page, the
        // same answer two rounds later.
        let (old, old_rounds) = list_by_rounds(&older, &s, &mut first(&older));
        assert_eq!(old_rounds.len(), rounds.len() + 2, "{s:?}");
        assert_eq!(
            (&got.page_cards, got.total, &got.tag_counts, &got.agency_counts, &got.year_counts),
            (&old.page_cards, old.total, &old.tag_counts, &old.agency_counts, &old.year_counts),
            "{s:?}"
        );
        compare(&s);
    }
}

/// A damaged value chunk is named as the damaged piece (so Try again fetches it anew), not the
/// value table's root, which this view never read.
#[test]
fn a_damaged_value_chunk_is_named() {
    let b = both();
    let s = FilterState { tags: vec!["Fraud".into()], ..state("") };
    let mut pieces = MemoryPieces { pieces: b.pieces.pieces.clone() };
    let used = b.archive.evaluate(&s, PAGE_SIZE, &mut pieces).unwrap().pieces;
    let chunks: Vec<&String> = b
        .archive
        .manifest
        .segments
        .iter()
        .flat_map(|seg| seg.value_chunks.iter().flatten().map(|(_, n)| n))
        .filter(|n| used.contains_key(*n))
        .collect();
    assert!(!chunks.is_empty());
    let mut damaged = MemoryPieces { pieces: b.pieces.pieces.clone() };
    // A chunk that reads, whose entry for the topic does not: its set breaks off.
    let key = format!("t{}", b.archive.manifest.tags.iter().position(|t| t == "Fraud").unwrap());
    let mut bytes = Vec::new();
    put_uint(&mut bytes, 1);
    put_uint(&mut bytes, 0);
    put_str(&mut bytes, &key);
    put_uint(&mut bytes, 3);
    bytes.extend([0xff, 0xff, 0xff]);
    damaged.pieces.insert(chunks[0].clone(), Arc::from(bytes));
    let err = b.archive.evaluate(&s, PAGE_SIZE, &mut damaged).unwrap_err().to_string();
    assert!(err.contains("damaged piece") && err.contains(chunks[0].as_str()), "{err}");
}

/// What the widget fetches ahead after the first list: every words table's root and pages, so a
/// first search asks only for chunks (two rounds fewer); bounded: the roots alone past it.
#[test]
fn the_words_roots_and_pages_fetched_ahead_save_a_first_search_two_rounds() {
    let b = both();
    let warm = |limit: usize, have: &mut MemoryPieces| {
        struct Pending<'a>(&'a mut MemoryPieces);
        impl release_embed::archive::Pieces for Pending<'_> {
            fn get(&mut self, name: &str) -> Result<Option<Arc<[u8]>>, String> {
                Ok(self.0.pieces.get(name).cloned())
            }
        }
        let mut rounds = 0;
        loop {
            match b.archive.warm(limit, &mut Pending(have)) {
                Ok(bytes) => return (bytes, rounds),
                Err(release_embed::archive::QueryError::Need(names)) => {
                    for n in &names {
                        have.pieces.insert(n.clone(), b.pieces.pieces[n].clone());
                    }
                }
                Err(e) => panic!("{e}"),
            }
            rounds += 1;
            assert!(rounds < 5);
        }
    };
    let roots: Vec<&String> = b.archive.manifest.segments.iter().map(|s| &s.words).collect();
    let mut ahead = MemoryPieces::default();
    let (bytes, rounds) = warm(usize::MAX, &mut ahead);
    assert_eq!(rounds, 2, "the roots, then their pages");
    assert_eq!(bytes, ahead.pieces.values().map(|p| p.len()).sum::<usize>());
    assert!(roots.iter().all(|r| ahead.pieces.contains_key(*r)));
    let fetched_ahead: std::collections::HashSet<String> = ahead.pieces.keys().cloned().collect();

    let s = state("immigration");
    let (cold, cold_rounds) = list_by_rounds(&b.archive, &s, &mut MemoryPieces::default());
    let (warmed, warm_rounds) = list_by_rounds(&b.archive, &s, &mut ahead);
    assert_eq!(warm_rounds.len() + 2, cold_rounds.len(), "{warm_rounds:?}");
    assert!(warm_rounds.iter().flatten().all(|n| !fetched_ahead.contains(n)));
    assert_eq!((warmed.total, &warmed.page_cards), (cold.total, &cold.page_cards));

    // Bounded: with no room for every page (some would still cost a search a round), the roots.
    let mut few = MemoryPieces::default();
    warm(fetched_ahead.len() - 1, &mut few);
    assert_eq!(few.pieces.len(), roots.len());
    assert!(roots.iter().all(|r| few.pieces.contains_key(*r)));
}

/// Each words table's chunks as (first key, name), read from its root and pages.
fn words_chunks(archive: &Archive, pieces: &MemoryPieces) -> Vec<Vec<(String, String)>> {
    let directory = |name: &str| {
        let mut c = release_embed::archive::codec::Cursor::new(&pieces.pieces[name]);
        let n = c.usize().unwrap();
        (0..n).map(|_| (c.str().unwrap().to_string(), c.str().unwrap().to_string())).collect::<Vec<_>>()
    };
    let segments = &archive.manifest.segments;
    segments.iter().map(|s| directory(&s.words).iter().flat_map(|(_, page)| directory(page)).collect()).collect()
}

/// A word (or a prefix being typed) reads the chunk its entry is in, and the next chunk only
/// when its first key starts with the word (the prefix entry may be there): never a chunk whose
/// first key, listed in the page, shows it holds nothing the lookup uses. At 1,000,000 releases
/// such chunks were 150 kB of a cold one-word search's 427 kB.
#[test]
fn a_word_reads_no_chunk_past_the_keys_starting_with_it() {
    let b = both();
    let chunks = words_chunks(&b.archive, &b.pieces);
    let mut skipped_somewhere = false;
    for word in ["immigration", "immigr", "im", "i", "fraud", "consumer", "trafficking", "settle", "zzz", "a"] {
        compare(&state(word));
        let mut pieces = MemoryPieces { pieces: b.pieces.pieces.clone() };
        let got = b.archive.evaluate(&state(word), PAGE_SIZE, &mut pieces).unwrap();
        for segment in &chunks {
            // The chunk a lookup starts in: the last whose first key is at or before the word.
            let start = segment.partition_point(|(first, _)| first.as_str() <= word).saturating_sub(1);
            for (i, (first, name)) in segment.iter().enumerate() {
                let read = got.pieces.contains_key(name);
                if i == start {
                    assert!(read, "{word:?}: the chunk starting at {first:?} is where the word would be");
                } else if i > start && !first.starts_with(word) {
                    assert!(!read, "{word:?}: read the chunk starting at {first:?}");
                    skipped_somewhere |= i == start + 1;
                }
            }
        }
    }
    assert!(skipped_somewhere, "no case where the next chunk could be left unread");
}
