//! The pure core against fixture feeds: the demo's sample feed, whose seed release is checked
//! against the original text (tests/fixtures/seed-press-release.txt), and a feed of deliberately
//! broken releases.

use release_embed::feed::parse_native;
use release_embed::i18n::EN;
use release_embed::model::{Date, Feed, Release};
use release_embed::render::{self, Context};
use release_embed::Error;

fn read(path: &str) -> String {
    std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn sample() -> Feed {
    parse_native(&read("www/releases.json")).expect("the sample feed parses")
}

fn render_detail(release: &Release) -> String {
    let format_date = |d: &Date| d.english();
    let link = |id: Option<&str>| format!("https://page.example/?re-release={}", id.unwrap_or(""));
    let share_url = |r: &Release| r.url.clone().unwrap_or_default();
    let cx = Context {
        labels: &EN,
        heading_level: 2,
        section_label: EN.section,
        format_date: &format_date,
        link: &link,
        share_url: &share_url,
        base: "",
        native_share: false,
        shares: release_embed::options::Shares::ALL,
        has_list: true,
        bodies: render::body_html,
    };
    render::detail(release, &cx)
}

#[test]
fn the_sample_feed_is_clean_and_newest_first() {
    let feed = sample();
    assert!(feed.releases.len() >= 31, "seed plus at least 30 samples");
    assert!(feed.problems.is_empty(), "{:?}", feed.problems);
    let stamps: Vec<i64> = feed.releases.iter().map(|r| r.date.as_ref().unwrap().timestamp()).collect();
    assert!(stamps.windows(2).all(|w| w[0] >= w[1]), "newest first");
    let offices: std::collections::BTreeSet<_> = feed.releases.iter().filter_map(|r| r.agency.as_deref()).collect();
    assert!(offices.len() >= 3, "several offices: {offices:?}");
}

#[test]
fn the_seed_release_renders_whole() {
    let feed = sample();
    let seed = feed.release("ag-kilmartin-immigration-2018").expect("the seed release is in the sample");
    let text = read("tests/fixtures/seed-press-release.txt");
    let html = render_detail(seed);
    assert!(html.contains("<h2 class=\"re-title\" id=\"re-title\" tabindex=\"-1\" dir=\"auto\">Attorney General Kilmartin Demands Sessions End Illegal and Cruel Immigration Tactics Harming Children</h2>"));
    assert!(html.contains("<p class=\"re-section\">Press Releases</p>"));
    // Typographic punctuation, as the press office printed it.
    assert!(html.contains("officials\u{2014}locally, nationally, and internationally\u{2014}to prevent"), "{html}");
    assert!(html.contains("<p>\u{201c}There is no question that our immigration system is broken"), "{html}");
    // Every paragraph of the original is a paragraph of the rendered body, quotes included.
    let typed = html
        .replace(['\u{201c}', '\u{201d}'], "\"")
        .replace('\u{2019}', "'")
        .replace('\u{2014}', "---")
        .replace("&quot;", "\"")
        .replace("&#39;", "'");
    let paragraphs: Vec<&str> =
        text.split("\n\n").map(str::trim).filter(|p| p.len() > 80 && *p != seed.title).collect();
    assert_eq!(paragraphs.len(), 10);
    for p in paragraphs {
        assert!(typed.contains(&format!("<p>{p}</p>")), "missing paragraph: {p}");
    }
    assert!(html.contains("<section class=\"re-related\""));
    assert!(html.contains("<h3 id=\"re-share-h\">Share this</h3>"));
}

#[test]
fn broken_releases_are_skipped_and_named_while_good_ones_stay() {
    let feed = parse_native(&read("tests/fixtures/partly-bad.json")).unwrap();
    let ids: Vec<&str> = feed.releases.iter().map(|r| r.id.as_str()).collect();
    // "May 5, 2021" is a date the widget reads; "2021-02-30" is none, so that release is shown
    // undated, last (issue 17: an item is not dropped for its date).
    assert_eq!(ids, ["good-2", "bad-date", "good-1", "impossible-date"]);
    assert_eq!(feed.release("bad-date").unwrap().date.as_ref().unwrap().machine(), "2021-05-05");
    assert!(feed.release("impossible-date").unwrap().date.is_none());
    let undated: Vec<String> =
        feed.problems.iter().filter(|p| p.place == "the feed").map(ToString::to_string).collect();
    assert_eq!(
        undated,
        ["release-embed: the feed field ignored: 1 of its releases is shown undated, after the dated ones, as no date \
          of it could be read (release #4 (\u{201c}impossible-date\u{201d}): bad \"date\": \u{201c}2021-02-30\u{201d} is not \
          a date this widget can read)"]
    );
    let skipped: Vec<String> =
        feed.problems.iter().filter(|p| p.skipped).map(|p| format!("{}: {}", p.place, p.message)).collect();
    assert_eq!(
        skipped,
        [
            "release #2 (\u{201c}no-title\u{201d}): it has no \"title\"",
            "release #5: it has no \"id\"",
            "release #6: its \"id\" is a number, not text",
            "release #7: it is not a JSON object",
            "release #8 (\u{201c}good-1\u{201d}): its id is used by an earlier release",
        ]
    );
    let good = feed.release("good-2").unwrap();
    assert_eq!((good.summary.as_deref(), good.url.as_deref(), good.image.as_ref()), (None, None, None));
    assert_eq!(good.tags, ["Ok"]);
    assert_eq!(good.related_links.len(), 1);
    assert_eq!(good.contacts.len(), 1);
    let ignored = feed.problems.iter().filter(|p| !p.skipped && p.place.contains("good-2")).count();
    assert_eq!(ignored, 9, "{:#?}", feed.problems);
    assert!(!render_detail(good).contains("javascript:"));
}

#[test]
fn documents_that_are_not_feeds_get_a_reason() {
    let cases = [
        ("", "Releases could not be loaded: the feed is not valid JSON."),
        ("{\"version\":\"1\",\"releases\":[{\"id\":\"a\"", "Releases could not be loaded: the feed is not valid JSON."),
        ("[]", "Releases could not be loaded: the document is not a JSON object."),
        ("{\"items\":[]}", "Releases could not be loaded: it has no \"releases\" list."),
        ("{\"releases\":{}}", "Releases could not be loaded: its \"releases\" field is not a list."),
        ("{\"version\":\"2\",\"releases\":[]}", "Releases could not be loaded: its version \u{201c}2\u{201d} is not supported (expected \u{201c}1\u{201d})."),
        ("{\"releases\":[{\"id\":\"a\"}]}", "Releases could not be loaded: none of its 1 releases could be read (release #1 (\u{201c}a\u{201d}): it has no \"title\")."),
    ];
    for (json, message) in cases {
        let err = parse_native(json).unwrap_err();
        assert_eq!(err.reader_message(), message, "{json}");
    }
    assert!(matches!(parse_native("nope"), Err(Error::NotJson { .. })));
}

#[test]
fn an_empty_feed_is_not_an_error() {
    let feed = parse_native("{\"version\":\"1\",\"releases\":[]}").unwrap();
    assert!(feed.releases.is_empty());
}

#[test]
fn a_feed_cut_off_half_way_keeps_the_releases_before_the_cut() {
    let text = read("www/releases.json");
    let feed = parse_native(&text[..text.len() / 2]).expect("the first half still has releases");
    let full = sample();
    assert!(feed.cut_off);
    assert!(feed.releases.len() >= 10 && feed.releases.len() < full.releases.len(), "{}", feed.releases.len());
    let last = feed.problems.last().unwrap();
    assert_eq!(last.place, "the feed");
    assert!(last.message.contains("breaks off at byte"), "{}", last.message);
}
