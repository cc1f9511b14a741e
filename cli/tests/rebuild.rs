//! Rebuilds into the folder of a previous build: what a change does not touch keeps its bytes
//! (a backdated release, a changed one, a deleted one, one with a new topic: every piece but
//! those that hold the release, in the tail for a release added); topic and office
//! numbers never move; a second build into a locked folder stops with a clear message; two builds
//! at once and a build killed at any moment leave an archive whose every piece is there and
//! matches its name; a damaged piece on disk is written again.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use release_embed::archive::{Archive, Manifest, Segment};
use sha2::{Digest, Sha256};

mod common;

use common::{archive, temp};

const WORDS: [&str; 16] = [
    "consumer",
    "fraud",
    "grant",
    "water",
    "safety",
    "housing",
    "school",
    "health",
    "road",
    "energy",
    "tax",
    "court",
    "immigration",
    "farm",
    "park",
    "transit",
];

/// The `i`-th release: one an hour from 2000-01-01, oldest `i` = 0.
fn release(i: usize) -> serde_json::Value {
    let (h, d, m, y) = (i % 24, 1 + (i / 24) % 28, 1 + (i / (24 * 28)) % 12, 2000 + i / (24 * 28 * 12));
    let body: Vec<&str> = (0..30).map(|k| WORDS[(i * 7 + k * (i % 5 + 1)) % WORDS.len()]).collect();
    serde_json::json!({
        "id": format!("r{i}"),
        "title": format!("{} {} number {i}", WORDS[i % 16], WORDS[(i / 16) % 16]),
        "date": format!("{y}-{m:02}-{d:02}T{h:02}:00:00Z"),
        "tags": [format!("Topic {}", i % 7)],
        "agency": format!("Office {}", i % 3),
        "body": body.join(" "),
    })
}

/// A native feed, newest first, of the releases given oldest first.
fn feed(releases: Vec<serde_json::Value>) -> String {
    let mut releases = releases;
    releases.reverse();
    serde_json::json!({ "version": "1", "releases": releases }).to_string()
}

fn base(n: usize) -> Vec<serde_json::Value> {
    (0..n).map(release).collect()
}

fn build(dir: &Path, name: &str, releases: Vec<serde_json::Value>) -> String {
    let src = dir.join(format!("{name}.json"));
    std::fs::write(&src, feed(releases)).unwrap();
    let (ok, stdout, stderr) = archive(&[src.to_str().unwrap(), "--out", dir.join("out").to_str().unwrap()]);
    assert!(ok, "{name}: {stderr}");
    stdout
}

fn manifest(out: &Path) -> Manifest {
    Manifest::from_json(&std::fs::read_to_string(out.join("archive.json")).unwrap()).unwrap()
}

/// A segment without its place (which moves when a release is added or removed before it).
fn placeless(s: &Segment) -> Segment {
    Segment { start: 0, ..s.clone() }
}

fn read(out: &Path, name: &str) -> Vec<u8> {
    std::fs::read(out.join("p").join(name)).unwrap()
}

/// The card piece names of a segment's card lists.
fn card_pieces(out: &Path, s: &Segment) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for list in &s.cards {
        let groups: Vec<(String, u32)> = serde_json::from_slice(&read(out, list)).unwrap();
        names.extend(groups.into_iter().map(|g| g.0));
    }
    names
}

/// The bytes a rebuild wrote over the archive's bytes, from the command's report
/// ("… N files (TOTAL bytes); changed M files (WRITTEN bytes) …").
fn changed_fraction(report: &str) -> f64 {
    let bytes = |from: usize| -> f64 {
        let at = from + report[from..].find(" files (").unwrap() + " files (".len();
        report[at..].chars().take_while(char::is_ascii_digit).collect::<String>().parse().unwrap()
    };
    bytes(report.find("changed ").unwrap()) / bytes(0)
}

/// The names of the pieces a build in `out` wrote or kept (its `.release-embed-pieces`).
fn piece_names(out: &Path) -> BTreeSet<String> {
    std::fs::read_to_string(out.join(".release-embed-pieces")).unwrap().lines().map(str::to_string).collect()
}

/// What one release is in a segment's tables: its words and every prefix of them (prefix
/// entries), its pairs of words, its topic, office and year values, and its id.
fn holds_release(key: &str, release: &serde_json::Value, m: &Manifest) -> bool {
    let mut words = Vec::new();
    let mut fields: Vec<&str> = ["title", "body", "agency"].iter().filter_map(|f| release[f].as_str()).collect();
    fields.extend(release["tags"].as_array().unwrap().iter().filter_map(|t| t.as_str()));
    for text in fields {
        release_embed::search::text::for_each_word(text, |w, _| words.push(w.to_string()));
    }
    let year = &release["date"].as_str().unwrap()[..4];
    let number = |list: &[String], value: &serde_json::Value| list.iter().position(|v| value.as_str() == Some(v));
    let mut values = vec![format!("y{year}")];
    values
        .extend(release["tags"].as_array().unwrap().iter().filter_map(|t| number(&m.tags, t)).map(|t| format!("t{t}")));
    values.extend(number(&m.agencies, &release["agency"]).map(|a| format!("a{a}")));
    let key = key.trim_end_matches('\0');
    let word = |w: &str| words.iter().any(|x| x == w);
    words.iter().any(|w| w.starts_with(key))
        || key.split_once(' ').is_some_and(|(a, b)| word(a) && word(b))
        || values.iter().any(|v| v == key)
        || key == release["id"].as_str().unwrap()
}

/// Every binary piece of a segment's tables (roots, pages, chunks, and the facet pieces their
/// entries name), each with what it may be replaced for: a directory for any piece it lists
/// being replaced, a chunk for holding one of the release's keys, a facet piece for being named
/// by an entry of such a chunk.
enum Role {
    Directory(Vec<String>),
    Chunk(Vec<(String, Vec<u8>)>),
}

fn table_roles(out: &Path, s: &Segment) -> std::collections::BTreeMap<String, Role> {
    use release_embed::archive::{read_chunk, read_directory};
    let mut roles = std::collections::BTreeMap::new();
    let mut roots: Vec<&String> = [&s.words].into_iter().chain(&s.pairs).chain(&s.values).chain(&s.ids).collect();
    let value_chunks: Vec<String> = s.value_chunks.iter().flatten().map(|c| c.1.clone()).collect();
    while let Some(name) = roots.pop() {
        let bytes = read(out, name);
        let listed = read_directory(&bytes).ok().filter(|l| !l.is_empty() && !value_chunks.contains(name));
        let chunk = read_chunk(&bytes).unwrap_or_default();
        let role = match listed {
            // A chunk reads as a directory only by accident: its first "name" is then no piece.
            Some(l) if l.iter().all(|(_, n)| out.join("p").join(n).exists()) => {
                Role::Directory(l.into_iter().map(|(_, n)| n).collect())
            }
            _ => Role::Chunk(chunk),
        };
        roles.insert(name.clone(), role);
        if let Some(Role::Directory(l)) = roles.get(name) {
            let l: Vec<String> = l.clone();
            for n in l {
                let n: &'static String = Box::leak(Box::new(n));
                roots.push(n);
            }
        }
    }
    roles
}

#[test]
fn a_backdated_changed_deleted_or_new_topic_release_leaves_every_other_piece_byte_identical() {
    // 3 full segments of one block and a tail of 428.
    let n = 3500;
    let middle = 1500; // in the second segment (1024..2048)
    let mut backdated = base(n);
    let mut old = release(middle);
    old["id"] = "backdated".into();
    old["date"] = old["date"].as_str().unwrap().replace(":00:00Z", ":30:00Z").into();
    backdated.insert(middle + 1, old.clone());
    let mut new_topic = backdated.clone();
    new_topic[middle + 1]["tags"] = serde_json::json!(["A topic never seen", "Topic 3"]);
    new_topic[middle + 1]["agency"] = "A new office".into();
    let mut changed = base(n);
    changed[middle]["title"] = "A title written again".into();
    changed[middle]["body"] = "A body written again entirely".into();
    let mut deleted = base(n);
    deleted.remove(middle);
    let mut newest = base(n);
    let mut latest = release(n);
    latest["tags"] = serde_json::json!(["Newest topic"]);
    newest.push(latest);

    // (name, releases, the segment the release is in after the change: the tail for a release
    // added, whatever its date, its own for one changed or removed)
    for (name, releases, home) in [
        ("backdated", backdated, 3),
        ("new-topic", new_topic, 3),
        ("changed", changed.clone(), 1),
        ("deleted", deleted, 1),
        ("newest", newest, 3),
    ] {
        let dir = temp(&format!("rebuild-{name}"));
        let out = dir.join("out");
        build(&dir, "before", base(n));
        let before = manifest(&out);
        let before_names = piece_names(&out);
        assert_eq!(before.segments.len(), 4);
        let segment = before.segments[home].clone();
        let (roles, cards) = (table_roles(&out, &segment), card_pieces(&out, &segment));
        let report = build(&dir, name, releases);
        let after = manifest(&out);
        // Numbers never move: the previous topics and offices come first, in the same order.
        assert_eq!(after.tags[..before.tags.len()], before.tags[..], "{name}");
        assert_eq!(after.agencies[..before.agencies.len()], before.agencies[..], "{name}");
        assert_eq!(after.segments.len(), 4, "{name}");
        for (i, (a, b)) in before.segments.iter().zip(&after.segments).enumerate() {
            if i != home {
                // Same roots, so (content-addressed) every piece under them is the same.
                assert_eq!(placeless(a), placeless(b), "{name}: segment {i} was rewritten");
            }
        }
        let gone: BTreeSet<String> = before_names.difference(&piece_names(&out)).cloned().collect();
        let written = 100.0 * changed_fraction(&report);
        if home == 3 {
            // The tail is written again by every build that adds a release: nothing else was.
            eprintln!("{name}: the rebuild wrote {written:.2} % of the archive's bytes: {report}");
            continue;
        }
        // In its own segment, only the pieces that hold the release (as it was, or is now).
        let release = release(middle);
        let holds = |key: &str| holds_release(key, &release, &before) || holds_release(key, &changed[middle], &before);
        let chunks_holding: Vec<&Vec<(String, Vec<u8>)>> = roles
            .iter()
            .filter(|(name, _)| gone.contains(*name))
            .filter_map(|(_, r)| match r {
                Role::Chunk(c) => Some(c),
                Role::Directory(_) => None,
            })
            .collect();
        let mut replaced_tables = 0;
        for piece in &gone {
            let why = match roles.get(piece) {
                Some(Role::Directory(listed)) => listed.iter().any(|l| gone.contains(l)),
                Some(Role::Chunk(entries)) => entries.iter().any(|(k, _)| holds(k)),
                // A facet piece named by an entry of a replaced chunk, or the block's facets.
                None if piece.ends_with(".bin") => {
                    piece == &segment.dates
                        || chunks_holding
                            .iter()
                            .flat_map(|c| c.iter())
                            .any(|(k, v)| holds(k) && v.windows(piece.len()).any(|w| w == piece.as_bytes()))
                        || segment_block_facets(&out, &segment).contains(piece)
                }
                None => {
                    cards.contains(piece)
                        && String::from_utf8(read(&out, piece)).unwrap().contains(&format!("\"r{middle}\""))
                        || segment.cards.contains(piece)
                        || piece == &segment.blocks
                        || !cards.contains(piece) && piece.ends_with(".json") && is_body_of(&out, piece, middle)
                }
            };
            let role = match roles.get(piece) {
                Some(Role::Directory(_)) => "a table's root or page",
                Some(Role::Chunk(_)) => "a table chunk",
                None => "a piece",
            };
            assert!(why, "{name}: {role} {piece} was replaced but holds nothing of release r{middle}");
            replaced_tables += usize::from(roles.contains_key(piece));
        }
        eprintln!(
            "{name}: the rebuild wrote {written:.2} % of the archive's bytes, replacing {} pieces \
             ({replaced_tables} of the segment's {} table pieces): {report}",
            gone.len(),
            roles.len()
        );
    }
}

/// The block facet pieces of a segment (from its block list).
fn segment_block_facets(out: &Path, s: &Segment) -> BTreeSet<String> {
    let blocks: Vec<serde_json::Value> = serde_json::from_slice(&read(out, &s.blocks)).unwrap();
    blocks.iter().map(|b| b["facets"].as_str().unwrap().to_string()).collect()
}

/// Whether `piece` is the body of release `r{i}` (its text names the release's number).
fn is_body_of(out: &Path, piece: &str, i: usize) -> bool {
    let body: serde_json::Value = serde_json::from_slice(&read(out, piece)).unwrap();
    body.get("text").is_some()
        && body.get("related_links").is_some()
        && body["text"].as_str().is_some_and(|t| {
            let words: Vec<&str> = (0..30).map(|k| WORDS[(i * 7 + k * (i % 5 + 1)) % WORDS.len()]).collect();
            t == words.join(" ")
        })
}

/// Every piece that the archive in `out` names, from a complete build of the same history in
/// `reference`, is in `out/p/` with its bytes matching its name; the manifest parses.
fn assert_servable(out: &Path, reference: &Path) {
    let manifest = std::fs::read(out.join("archive.json")).expect("the archive has a manifest");
    Manifest::from_json(std::str::from_utf8(&manifest).unwrap()).expect("the manifest parses");
    assert_eq!(manifest, std::fs::read(reference.join("archive.json")).unwrap(), "the manifest is a whole build's");
    let names = std::fs::read_to_string(reference.join(".release-embed-pieces")).unwrap();
    for name in names.lines() {
        let bytes = std::fs::read(out.join("p").join(name)).unwrap_or_else(|e| panic!("piece {name}: {e}"));
        assert!(matches_name(name, &bytes), "piece {name} does not match its name");
    }
}

fn matches_name(name: &str, bytes: &[u8]) -> bool {
    let hash = Sha256::digest(bytes);
    let hex: String = hash[..10].iter().map(|b| format!("{b:02x}")).collect();
    name.split('.').next() == Some(hex.as_str())
}

fn spawn_build(src: &Path, out: &Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_release-embed"))
        .args(["archive", src.to_str().unwrap(), "--out", out.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// A small random number generator (the crate has no dev-dependencies), seeded from the clock
/// and printed so that a failure can be replayed with `REBUILD_SEED`.
fn rng() -> impl FnMut(u64) -> u64 {
    let seed = std::env::var("REBUILD_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64
    });
    eprintln!("REBUILD_SEED={seed}");
    let mut state = seed | 1;
    move |below| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % below.max(1)
    }
}

#[test]
fn a_build_killed_at_any_moment_leaves_the_previous_archive_whole() {
    let dir = temp("killed");
    let (out, reference) = (dir.join("out"), dir.join("reference"));
    // Two feeds, built in turn: the second changes, removes and backdates releases.
    let a = dir.join("a.json");
    std::fs::write(&a, feed(base(2500))).unwrap();
    let mut changed = base(2600);
    changed.remove(700);
    changed[1200]["title"] = "Changed".into();
    let mut old = release(100);
    old["id"] = "old".into();
    changed.insert(90, old);
    let b = dir.join("b.json");
    std::fs::write(&b, feed(changed)).unwrap();
    let run = |src: &Path, into: &Path| {
        let (ok, _, stderr) = archive(&[src.to_str().unwrap(), "--out", into.to_str().unwrap()]);
        assert!(ok, "{stderr}");
    };
    run(&a, &out);
    run(&a, &reference);
    let started = Instant::now();
    run(&b, &dir.join("timing"));
    let full = started.elapsed().as_millis() as u64;
    let mut random = rng();
    let mut current = &a;
    for round in 0..24 {
        let next = if current == &a { &b } else { &a };
        let mut child = spawn_build(next, &out);
        std::thread::sleep(Duration::from_millis(random(full + full / 4)));
        let _ = child.kill();
        let status = child.wait().unwrap();
        // Killed before or after its manifest: the folder holds one whole build or the other.
        let manifest = std::fs::read(out.join("archive.json")).unwrap();
        if manifest != std::fs::read(reference.join("archive.json")).unwrap() {
            run(next, &reference);
            current = next;
        }
        eprintln!("round {round}: {status}, the archive is {}", if current == &a { "a" } else { "b" });
        assert_servable(&out, &reference);
    }
    // And the next build after all these ends as a build into a fresh folder's history would.
    let next = if current == &a { &b } else { &a };
    run(next, &out);
    run(next, &reference);
    assert_servable(&out, &reference);
}

#[test]
fn a_second_build_into_a_locked_folder_stops_with_a_clear_message() {
    let dir = temp("locked");
    let out = dir.join("out");
    let src = dir.join("feed.json");
    std::fs::write(&src, feed(base(50))).unwrap();
    assert!(archive(&[src.to_str().unwrap(), "--out", out.to_str().unwrap()]).0);
    let before = common::snapshot(&out);
    // Another process holds the lock (as a running build does).
    let lock = std::fs::OpenOptions::new().write(true).open(out.join(".release-embed-lock")).unwrap();
    lock.try_lock().unwrap();
    std::fs::write(&src, feed(base(60))).unwrap();
    let (ok, _, stderr) = archive(&[src.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(!ok);
    assert!(
        stderr.contains(&format!(
            "another build is writing into {} (it holds .release-embed-lock); wait for it to finish, then build again",
            out.display()
        )),
        "{stderr}"
    );
    assert_eq!(common::snapshot(&out), before, "the folder is as it was");
    // A lock left by a build that ended (however it ended) is the system's to drop: no file to remove.
    drop(lock);
    let (ok, _, stderr) = archive(&[src.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(ok, "{stderr}");
    assert_eq!(manifest(&out).releases, 60);
}

#[test]
fn two_builds_at_once_into_one_folder_leave_it_whole() {
    let dir = temp("concurrent");
    let (out, reference) = (dir.join("out"), dir.join("reference"));
    let (a, b) = (dir.join("a.json"), dir.join("b.json"));
    std::fs::write(&a, feed(base(2500))).unwrap();
    std::fs::write(&b, feed(base(2700))).unwrap();
    for into in [&out, &reference] {
        assert!(archive(&[a.to_str().unwrap(), "--out", into.to_str().unwrap()]).0);
    }
    for round in 0..3 {
        // The first build holds the lock once it is past reading its feed; the second, started
        // while it runs, stops without writing or cleaning up anything (its clean-up would delete
        // the first one's new pieces, named by neither its build nor the one before).
        let mut first = spawn_build(&b, &out);
        let lock = out.join(".release-embed-lock");
        let probe = std::fs::OpenOptions::new().write(true).open(&lock).unwrap();
        let started = Instant::now();
        while probe.try_lock().is_ok() {
            probe.unlock().unwrap();
            assert!(started.elapsed() < Duration::from_secs(60), "the first build never took the lock");
            std::thread::sleep(Duration::from_millis(5));
        }
        let second = spawn_build(&a, &out).wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&second.stderr);
        assert!(
            !second.status.success() && stderr.contains("another build is writing into"),
            "round {round}: {stderr}"
        );
        assert!(first.wait().unwrap().success());
        assert!(archive(&[b.to_str().unwrap(), "--out", reference.to_str().unwrap()]).0);
        assert_servable(&out, &reference);
        // Back to a for the next round.
        for into in [&out, &reference] {
            assert!(archive(&[a.to_str().unwrap(), "--out", into.to_str().unwrap()]).0);
        }
    }
}

#[test]
fn a_topic_no_release_has_any_more_keeps_its_number_and_is_not_shown() {
    let dir = temp("retired");
    let out = dir.join("out");
    let mut releases = base(30);
    releases[10]["tags"] = serde_json::json!(["Only once"]);
    releases[10]["agency"] = "A passing office".into();
    build(&dir, "before", releases.clone());
    let before = manifest(&out);
    releases.remove(10);
    build(&dir, "after", releases);
    let after = manifest(&out);
    assert_eq!((&after.tags, &after.agencies), (&before.tags, &before.agencies), "no number moved");
    let i = after.tags.iter().position(|t| t == "Only once").unwrap();
    assert_eq!(after.tag_counts[i], 0);
    let shown = Archive::new(after);
    assert_eq!(shown.tags, (0..7).map(|t| format!("Topic {t}")).collect::<Vec<_>>());
    assert_eq!(shown.agencies, ["Office 0", "Office 1", "Office 2"]);
}

#[test]
fn a_damaged_piece_on_disk_is_written_again() {
    let dir = temp("damaged");
    let out = dir.join("out");
    build(&dir, "feed", base(40));
    let m = manifest(&out);
    let (cards, words) = (out.join("p").join(&m.segments[0].cards[0]), out.join("p").join(&m.segments[0].words));
    let good = (std::fs::read(&cards).unwrap(), std::fs::read(&words).unwrap());
    std::fs::write(&cards, b"[]").unwrap();
    let mut flipped = good.1.clone();
    flipped[0] ^= 1;
    std::fs::write(&words, &flipped).unwrap();
    let report = build(&dir, "feed", base(40));
    assert!(report.contains("wrote again 2 damaged pieces"), "{report}");
    assert_eq!((std::fs::read(&cards).unwrap(), std::fs::read(&words).unwrap()), good);
}

#[test]
fn a_damaged_id_table_numbers_the_releases_anew_and_says_so() {
    let dir = temp("damaged-ids");
    let out = dir.join("out");
    build(&dir, "feed", base(1100));
    let ids = out.join("p").join(manifest(&out).segments[0].ids.as_ref().unwrap());
    let mut bytes = std::fs::read(&ids).unwrap();
    bytes[0] ^= 1;
    std::fs::write(&ids, &bytes).unwrap();
    let mut fewer = base(1100);
    fewer.remove(500);
    let src = dir.join("fewer.json");
    std::fs::write(&src, feed(fewer)).unwrap();
    let (ok, report, stderr) = archive(&[src.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(ok, "{stderr}");
    assert!(
        stderr.contains("the previous archive's id tables are not used")
            && stderr.contains("its bytes do not match its name")
            && stderr.contains("releases are numbered anew"),
        "{stderr}"
    );
    // Numbered anew: no hole where the removed release was.
    let after = manifest(&out);
    assert!(after.segments.iter().all(|s| s.holes.is_empty()) && after.releases == 1099, "{report}");
}
