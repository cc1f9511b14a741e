//! The command end to end: every feed the widget reads builds; the output is deterministic and
//! changes little when one release is added; embargoed releases stay out; a bad source (missing,
//! not a feed, truncated, failing half way over HTTP) leaves the previous archive as it was and
//! exits non-zero naming the source; the fallback escapes what the feed says.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::process::Command;

mod common;

use common::{archive, snapshot, temp, ROOT};

fn release(id: &str, title: &str, date: &str) -> serde_json::Value {
    serde_json::json!({ "id": id, "title": title, "date": date, "url": format!("https://a.example/{id}"),
        "tags": ["Topic"], "agency": "Office", "body": format!("Body of **{id}** with words {id} and more.") })
}

/// A native feed of `n` releases, one a day from 2001, newest first.
fn feed(n: usize, extra: &[serde_json::Value]) -> String {
    let mut releases: Vec<serde_json::Value> = extra.to_vec();
    for i in (0..n).rev() {
        let (y, d) = (2001 + i / 360, i % 360);
        let date = format!("{y}-{:02}-{:02}", 1 + d / 30, 1 + d % 28);
        releases.push(release(&format!("r{i}"), &format!("Release number {i} on consumer fraud"), &date));
    }
    serde_json::json!({ "version": "1", "releases": releases }).to_string()
}

#[test]
fn builds_the_demo_feed_and_every_fixture() {
    let out = temp("fixtures");
    let mut sources = vec![format!("{ROOT}/www/releases.json")];
    for entry in std::fs::read_dir(format!("{ROOT}/tests/fixtures")).unwrap().flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "json") {
            sources.push(path.to_string_lossy().into_owned());
        }
    }
    for source in &sources {
        let (ok, stdout, stderr) = archive(&[source, "--out", out.to_str().unwrap(), "--include-future"]);
        assert!(ok, "{source}: {stderr}");
        assert!(stdout.contains(" releases, "), "{stdout}");
        let manifest: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.join("archive.json")).unwrap()).unwrap();
        assert!(manifest["releases"].as_u64().unwrap() > 0, "{source}");
    }
    // All of them at once, merged.
    let mut args: Vec<&str> = sources.iter().map(String::as_str).collect();
    args.extend(["--out", out.to_str().unwrap()]);
    let (ok, stdout, stderr) = archive(&args);
    assert!(ok && stdout.contains("removed"), "{stderr}");
}

/// RSS and Atom through the same decoding as the widget: ISO-8859-1 and UTF-16 documents too.
#[test]
fn builds_the_rss_and_atom_fixtures() {
    for name in [
        "rss2-wordpress.xml",
        "rss2-drupal.xml",
        "rss2-image-enclosure.xml",
        "rss1-debian.xml",
        "rss1-iso-8859-1.xml",
        "atom-movable-type.xml",
        "atom-xhtml.xml",
        "atom-media-group.xml",
        "utf-16le-bom.xml",
    ] {
        let out = temp(&format!("xml-{name}"));
        let source = format!("{ROOT}/tests/fixtures/{name}");
        let (ok, stdout, stderr) = archive(&[&source, "--out", out.to_str().unwrap(), "--include-future"]);
        assert!(ok, "{name}: {stderr}");
        assert!(stdout.contains(" releases, "), "{name}: {stdout}");
    }
    let latin1 = temp("xml-latin1");
    let source = format!("{ROOT}/tests/fixtures/rss1-iso-8859-1.xml");
    assert!(archive(&[&source, "--out", latin1.to_str().unwrap(), "--include-future"]).0);
    let fallback = std::fs::read_to_string(latin1.join("fallback.html")).unwrap();
    assert!(fallback.contains('\u{fc}') || fallback.contains('\u{f6}'), "ü or ö decoded: {fallback}");
}

#[test]
fn the_same_sources_give_the_same_bytes() {
    let (a, b) = (temp("same-a"), temp("same-b"));
    let src = format!("{ROOT}/www/releases.json");
    assert!(archive(&[&src, "--out", a.to_str().unwrap()]).0);
    assert!(archive(&[&src, "--out", b.to_str().unwrap()]).0);
    assert_eq!(snapshot(&a), snapshot(&b));
    let (ok, stdout, _) = archive(&[&src, "--out", a.to_str().unwrap()]);
    assert!(ok && stdout.contains("changed 0 files (0 bytes)"), "{stdout}");
}

#[test]
fn one_new_release_rewrites_a_small_fraction() {
    let dir = temp("incremental");
    let src = dir.join("feed.json");
    let out = dir.join("out");
    // Four full blocks (one segment) and a short tail.
    std::fs::write(&src, feed(4096 + 100, &[])).unwrap();
    assert!(archive(&[src.to_str().unwrap(), "--out", out.to_str().unwrap()]).0);
    let before = snapshot(&out);
    std::fs::write(&src, feed(4096 + 100, &[release("new", "A new release", "2025-01-01")])).unwrap();
    let (ok, stdout, stderr) = archive(&[src.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(ok, "{stderr}");
    let after = snapshot(&out);
    assert!(after.contains_key(".release-embed-pieces"));
    let after: BTreeMap<String, Vec<u8>> = after.into_iter().filter(|(k, _)| !k.starts_with('.')).collect();
    let total: usize = after.values().map(Vec::len).sum();
    let changed: usize = after.iter().filter(|(k, v)| before.get(*k) != Some(v)).map(|(_, v)| v.len()).sum();
    assert!(before["archive.json"] != after["archive.json"], "the manifest is rewritten");
    assert!(changed * 50 < total, "changed {changed} of {total} bytes: {stdout}");
    assert!(stdout.contains(&format!("({changed} bytes)")), "the report counts the same bytes: {stdout}");
    // The old pieces stay for a build, for manifests still in caches.
    assert!(
        before.keys().filter(|k| !k.starts_with('.')).all(|k| after.contains_key(k)),
        "nothing the previous manifest uses is removed"
    );
}

#[test]
fn releases_dated_in_the_future_are_left_out_unless_asked() {
    let dir = temp("future");
    let src = dir.join("feed.json");
    std::fs::write(&src, feed(3, &[release("embargoed", "Not Yet", "2999-01-01")])).unwrap();
    let out = dir.join("out");
    let (ok, stdout, _) = archive(&[src.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(ok && stdout.contains("left out 1 releases dated in the future"), "{stdout}");
    let fallback = std::fs::read_to_string(out.join("fallback.html")).unwrap();
    assert!(!fallback.contains("Not Yet") && fallback.contains("Release number 2"));
    assert!(std::fs::read_to_string(out.join("archive.json")).unwrap().contains("\"releases\":3"));
    assert!(archive(&[src.to_str().unwrap(), "--out", out.to_str().unwrap(), "--include-future"]).0);
    assert!(std::fs::read_to_string(out.join("fallback.html")).unwrap().contains("Not Yet"));
    assert!(std::fs::read_to_string(out.join("archive.json")).unwrap().contains("\"releases\":4"));
}

#[test]
fn the_fallback_escapes_every_value() {
    let dir = temp("escape");
    let src = dir.join("feed.json");
    let hostile = serde_json::json!({ "version": "1", "releases": [{
        "id": "x", "title": "<script>alert(1)</script> & \"quotes\"", "date": "2020-01-02",
        "url": "https://a.example/?a=1&b=\"><img src=x onerror=alert(1)>",
        "summary": "<img src=x onerror=alert(2)> it's" }] });
    std::fs::write(&src, hostile.to_string()).unwrap();
    let out = dir.join("out");
    assert!(archive(&[src.to_str().unwrap(), "--out", out.to_str().unwrap()]).0);
    let html = std::fs::read_to_string(out.join("fallback.html")).unwrap();
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;"), "{html}");
    assert!(html.contains("&lt;img src=x onerror=alert(2)&gt; it&#39;s"), "{html}");
    assert!(!html.contains("<script") && !html.contains("<img"), "{html}");
    assert!(html.contains(r#"<time datetime="2020-01-02">January 2, 2020</time>"#), "{html}");
}

/// Serves `pages` on 127.0.0.1: path → (status, extra headers, body, declared length).
fn serve(pages: Vec<(&'static str, u16, String, String, Option<usize>)>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = format!("http://{}", listener.local_addr().unwrap());
    let base = addr.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(&stream);
            let mut line = String::new();
            reader.read_line(&mut line).unwrap_or(0);
            let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
            loop {
                let mut header = String::new();
                if reader.read_line(&mut header).unwrap_or(0) <= 2 {
                    break;
                }
            }
            let page = pages.iter().find(|p| p.0 == path);
            let (status, headers, body, length) = match page {
                Some((_, s, h, b, l)) => (*s, h.clone(), b.replace("{base}", &base), *l),
                None => (404, String::new(), "not found".into(), None),
            };
            let length = length.unwrap_or(body.len());
            let mut stream = &stream;
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\nContent-Length: {length}\r\nConnection: close\r\n{headers}\r\n{body}"
            );
        }
    });
    addr
}

fn json_feed_page(ids: &[&str], next: Option<&str>) -> String {
    let items: Vec<serde_json::Value> = ids
        .iter()
        .map(|id| serde_json::json!({ "id": id, "title": format!("Item {id}"), "date_published": "2020-01-02", "content_text": "text" }))
        .collect();
    let mut feed = serde_json::json!({ "version": "https://jsonfeed.org/version/1.1", "title": "T", "items": items });
    if let Some(next) = next {
        feed["next_url"] = next.into();
    }
    feed.to_string()
}

#[test]
fn every_page_of_a_url_is_followed() {
    let wp = |slug: &str| {
        format!(
            r#"[{{"id":1,"slug":"{slug}","date_gmt":"2020-01-02T00:00:00","title":{{"rendered":"{slug}"}},"content":{{"rendered":"<p>x</p>"}}}}]"#
        )
    };
    let addr = serve(vec![
        ("/feed.json", 200, String::new(), json_feed_page(&["a", "b"], Some("{base}/feed2.json")), None),
        ("/feed2.json", 200, String::new(), json_feed_page(&["c"], None), None),
        ("/wp/v2/posts", 200, "X-WP-TotalPages: 2\r\n".into(), wp("first"), None),
        ("/wp/v2/posts?page=2", 200, "X-WP-TotalPages: 2\r\n".into(), wp("second"), None),
    ]);
    let out = temp("pages");
    let (ok, stdout, stderr) =
        archive(&[&format!("{addr}/feed.json"), &format!("{addr}/wp/v2/posts"), "--out", out.to_str().unwrap()]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains(": 5 releases"), "{stdout}");
}

#[test]
fn a_failed_build_leaves_the_previous_archive_intact() {
    let dir = temp("failures");
    let out = dir.join("out");
    let good = format!("{ROOT}/www/releases.json");
    assert!(archive(&[&good, "--out", out.to_str().unwrap()]).0);
    let before = snapshot(&out);
    let full = feed(50, &[]);
    std::fs::write(dir.join("truncated.json"), &full[..full.len() / 2]).unwrap();
    std::fs::write(dir.join("not-a-feed.json"), r#"{"hello": "world"}"#).unwrap();
    let addr = serve(vec![
        ("/feed.json", 200, String::new(), json_feed_page(&["a"], Some("{base}/broken.json")), None),
        (
            "/broken.json",
            200,
            String::new(),
            r#"{"version": "https://jsonfeed.org/version/1.1", "items": ["#.into(),
            Some(5000),
        ),
        ("/gone.json", 200, String::new(), json_feed_page(&["a"], Some("{base}/missing.json")), None),
    ]);
    let missing = dir.join("missing.json");
    let cases: Vec<(String, &str)> = vec![
        (missing.to_string_lossy().into_owned(), "cannot read the file"),
        (dir.join("truncated.json").to_string_lossy().into_owned(), "breaks off"),
        (dir.join("not-a-feed.json").to_string_lossy().into_owned(), "releases"),
        (format!("{addr}/feed.json"), "page 2"),
        (format!("{addr}/gone.json"), "HTTP 404"),
    ];
    for (source, why) in cases {
        // The good source first: a later source failing must still stop the whole build.
        let (ok, _, stderr) = archive(&[&good, &source, "--out", out.to_str().unwrap()]);
        assert!(!ok, "{source} should fail");
        assert!(stderr.contains(&source) && stderr.contains(why), "{source}: {stderr}");
        assert!(stderr.contains("previous archive"), "{stderr}");
        assert_eq!(snapshot(&out), before, "{source} changed the archive");
    }
}

/// Runs the command with `args` as given (no `archive` first).
fn command(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_release-embed")).args(args).output().unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

#[test]
fn an_answer_longer_than_max_bytes_is_refused() {
    let big = json_feed_page(&["a", "b", "c"], None);
    let addr = serve(vec![("/feed.json", 200, String::new(), big.clone(), None)]);
    let out = temp("max-bytes");
    let url = format!("{addr}/feed.json");
    let (ok, _, stderr) = archive(&[&url, "--out", out.to_str().unwrap(), "--max-bytes", "100"]);
    assert!(!ok);
    assert!(stderr.contains("longer than --max-bytes (100 bytes)"), "{stderr}");
    assert!(!out.join("archive.json").exists());
    // The default (the widget's, 100 MB) reads it; so does a limit it fits in.
    let limit = big.len().to_string();
    assert!(archive(&[&url, "--out", out.to_str().unwrap(), "--max-bytes", &limit]).0);
    assert!(archive(&[&url, "--out", out.to_str().unwrap()]).0);
    let (ok, _, stderr) = archive(&[&url, "--out", out.to_str().unwrap(), "--max-bytes", "lots"]);
    assert!(!ok && stderr.contains("--max-bytes lots: give a whole number"), "{stderr}");
}

#[test]
fn the_usage_names_every_command_option_and_format_the_command_accepts() {
    let (ok, _, usage) = command(&["--help"]);
    assert!(!ok);
    // The commands the usage names are the ones an unknown command is told about, and each runs.
    let named: Vec<&str> = usage
        .lines()
        .filter_map(|l| {
            l.trim_start().strip_prefix("usage: ").or_else(|| l.trim_start().strip_prefix("release-embed "))
        })
        .map(|l| l.trim_start_matches("release-embed ").split_whitespace().next().unwrap())
        .collect();
    assert_eq!(named, ["archive", "views"], "{usage}");
    let (_, _, unknown) = command(&["build"]);
    assert!(
        unknown.contains(
            "unknown command \u{201c}build\u{201d}; the commands are \u{201c}archive\u{201d} and \u{201c}views\u{201d}"
        ),
        "{unknown}"
    );
    let (_, _, views) = command(&["views", "/nonexistent-archive"]);
    assert!(!views.contains("usage:") && !views.contains("unknown command"), "{views}");
    // Every option the usage gives is accepted by its command, and no other is.
    let archive_dir = temp("usage");
    let feed_file = archive_dir.join("feed.json");
    std::fs::write(&feed_file, feed(2, &[])).unwrap();
    let out = archive_dir.join("out");
    for option in ["--include-future", "--max-bytes 1000000"] {
        assert!(usage.contains(option.split(' ').next().unwrap()), "{option} missing from {usage}");
        let mut args = vec![feed_file.to_str().unwrap(), "--out", out.to_str().unwrap()];
        args.extend(option.split(' '));
        let (ok, _, stderr) = archive(&args);
        assert!(ok, "{option}: {stderr}");
    }
    let (ok, _, stderr) = archive(&[feed_file.to_str().unwrap(), "--out", out.to_str().unwrap(), "--frobnicate"]);
    assert!(!ok && stderr.contains("unknown option --frobnicate"), "{stderr}");
    assert!(usage.contains("--check") && usage.contains("--out DIR"), "{usage}");
    // The five formats the readers take.
    for format in ["native", "JSON Feed", "WordPress", "RSS", "Atom"] {
        assert!(usage.contains(format), "{format} missing from {usage}");
    }
    assert!(!usage.contains("the only command"), "{usage}");
}

#[test]
fn undated_releases_are_left_out_of_an_archive_with_a_message() {
    let dir = temp("undated");
    let rss = r#"<rss version="2.0"><channel><title>Agency</title>
      <item><title>Dated</title><guid>a</guid><pubDate>Tuesday, March 5, 2019 - 10:05am</pubDate></item>
      <item><title>Undated</title><guid>b</guid><pubDate>soon</pubDate></item>
      </channel></rss>"#;
    std::fs::write(dir.join("feed.xml"), rss).unwrap();
    let out = dir.join("out");
    let (ok, stdout, stderr) = archive(&[dir.join("feed.xml").to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains(": 1 releases") && stdout.contains("left out 1 releases without a date"), "{stdout}");
    assert!(stderr.contains("item #2 (\u{201c}b\u{201d}): bad <pubDate>"), "{stderr}");
}
