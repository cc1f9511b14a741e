//! Rebuilds into the folder of a previous build: what a change does not touch keeps its bytes
//! (a backdated release, a changed one, a deleted one, one with a new topic: every piece but its
//! segment's tables, at most 3 of its card pieces and its own body); topic and office
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

/// The card piece names of a segment's card lists.
fn card_pieces(out: &Path, s: &Segment) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for list in &s.cards {
        let groups: Vec<(String, u32)> =
            serde_json::from_slice(&std::fs::read(out.join("p").join(list)).unwrap()).unwrap();
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

#[test]
fn a_backdated_changed_deleted_or_new_topic_release_leaves_every_piece_but_its_segments_tables_byte_identical() {
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

    // (name, releases, the segment the change is in, how many bodies it replaces)
    for (name, releases, touched, bodies) in [
        ("backdated", backdated, 1, 0),
        ("new-topic", new_topic, 1, 0),
        ("changed", changed, 1, 1),
        ("deleted", deleted, 1, 1),
        ("newest", newest, 3, 0),
    ] {
        let dir = temp(&format!("rebuild-{name}"));
        let out = dir.join("out");
        build(&dir, "before", base(n));
        let before = manifest(&out);
        let before_names = piece_names(&out);
        assert_eq!(before.segments.len(), 4);
        let report = build(&dir, name, releases);
        let after = manifest(&out);
        // Numbers never move: the previous topics and offices come first, in the same order.
        assert_eq!(after.tags[..before.tags.len()], before.tags[..], "{name}");
        assert_eq!(after.agencies[..before.agencies.len()], before.agencies[..], "{name}");
        assert_eq!(after.segments.len(), 4, "{name}");
        for (i, (a, b)) in before.segments.iter().zip(&after.segments).enumerate() {
            if i != touched {
                // Same roots, so (content-addressed) every piece under them is the same.
                assert_eq!(placeless(a), placeless(b), "{name}: segment {i} was rewritten");
            }
        }
        // Every piece of the previous build that this one no longer has is one of the touched
        // segment's tables (binary pieces: word, pair, value and id tables, dates, facets), its
        // block list and card lists, at most 3 of its card pieces, or the release's own body.
        let segment = &before.segments[touched];
        let lists: BTreeSet<String> = segment.cards.iter().chain([&segment.blocks]).cloned().collect();
        let cards = card_pieces(&out, segment);
        let after_names = piece_names(&out);
        let gone: Vec<&String> = before_names.difference(&after_names).collect();
        let gone_cards = gone.iter().filter(|p| cards.contains(**p)).count();
        assert!(gone_cards <= 3, "{name}: {gone_cards} of segment {touched}'s card pieces were rewritten");
        let others: Vec<&&String> =
            gone.iter().filter(|p| !p.ends_with(".bin") && !lists.contains(**p) && !cards.contains(**p)).collect();
        assert!(others.len() <= bodies, "{name}: pieces that are none of its segment's were rewritten: {others:?}");
        let tables = gone.iter().filter(|p| p.ends_with(".bin")).count();
        eprintln!(
            "{name}: the rebuild wrote {:.2} % of the archive's bytes, replacing {tables} table pieces, \
             {gone_cards} card pieces and {} other pieces: {report}",
            100.0 * changed_fraction(&report),
            others.len()
        );
    }
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
