//! The JSON Feed and WordPress readers against hand-made fixtures that document each format's
//! quirks: the same release model comes out of every format.

use release_embed::feed::{parse, Format};
use release_embed::model::Body;
use release_embed::text::clean::clean;

fn read(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

#[test]
fn formats_are_detected_from_the_document() {
    assert_eq!(Format::detect(&read("wordpress-posts.json")), Format::WordPress);
    assert_eq!(Format::detect(&read("jsonfeed-1.1.json")), Format::JsonFeed);
    assert_eq!(Format::detect(&read("jsonfeed-1.0.json")), Format::JsonFeed);
    assert_eq!(Format::detect(&read("search.json")), Format::Native);
}

#[test]
fn wordpress_posts_decode_entities_and_use_embedded_terms_images_and_authors() {
    let feed = parse(&read("wordpress-posts.json"), None, "https://ag.example.gov/wp-json/wp/v2/posts?_embed").unwrap();
    let ids: Vec<&str> = feed.releases.iter().map(|r| r.id.as_str()).collect();
    // The post without a date is shown undated, last (issue 17).
    assert_eq!(ids, ["ag-sues-data-broker", "internal-memo", "opioid-settlement-funds", "no-date"]);
    assert!(feed.releases[3].date.is_none());
    let post = &feed.releases[0];
    assert_eq!(
        post.title,
        "Attorney General Sues Data Broker \u{2013} \u{201c}Residents\u{2019} Data Is Not for Sale\u{201d}"
    );
    assert_eq!(post.date.as_ref().unwrap().machine(), "2024-03-14T14:30:00Z", "date_gmt is UTC");
    assert_eq!(post.summary.as_deref(), Some("The Attorney General today sued a data broker \u{2026}"));
    assert_eq!(post.tags, ["Consumer Protection", "Data & Privacy"], "Uncategorized is left out");
    assert_eq!(post.author.as_deref(), Some("Press Office"));
    let image = post.image.as_ref().unwrap();
    assert_eq!(
        (image.url.as_str(), image.alt.as_str()),
        ("https://ag.example.gov/wp-content/uploads/2024/03/servers.jpg", "Rows of servers")
    );
    assert_eq!(post.url.as_deref(), Some("https://ag.example.gov/2024/03/14/ag-sues-data-broker/"));
    let Some(Body::Html(html)) = &post.body else { panic!("HTML body") };
    let cleaned = clean(html, "https://ag.example.gov/wp-json/wp/v2/posts", 3);
    assert!(
        cleaned.contains(r#"<a href="https://ag.example.gov/wp-content/uploads/complaint.pdf">complaint</a>"#),
        "{cleaned}"
    );
    assert!(
        cleaned
            .contains("<blockquote><p>\u{201c}Privacy is a right,\u{201d} said the Attorney General.</p></blockquote>"),
        "{cleaned}"
    );
    for gone in ["script", "onerror", "iframe", "wpPwned"] {
        assert!(!cleaned.contains(gone), "{gone} in {cleaned}");
    }

    let protected = &feed.releases[1];
    assert_eq!((protected.summary.as_ref(), protected.body.as_ref()), (None, None), "protected content is not shown");
    assert_eq!(feed.releases[2].date.as_ref().unwrap().machine(), "2023-11-20T16:45:00", "no date_gmt: the local date");
    assert!(
        feed.problems.iter().any(|p| !p.skipped
            && p.place == "the feed"
            && p.message.contains("post #4 (\u{201c}no-date\u{201d}): it has no date")),
        "{:?}",
        feed.problems
    );
}

#[test]
fn json_feed_items_become_releases() {
    let base = "https://city.example.gov/news/feed.json";
    let feed = parse(&read("jsonfeed-1.1.json"), None, base).unwrap();
    assert_eq!(feed.agency.as_ref().map(|a| a.name.as_str()), Some("City of Example Newsroom"));
    assert_eq!(feed.language.as_deref(), Some("en-US"));
    let park = &feed.releases[0];
    assert_eq!(park.title, "Riverside Park Reopens After Flood Repairs");
    assert_eq!(park.url.as_deref(), Some("https://city.example.gov/news/2025/park-reopens"), "relative to the feed");
    assert_eq!(park.image.as_ref().map(|i| i.url.as_str()), Some("https://city.example.gov/news/images/park.jpg"));
    assert_eq!(park.author.as_deref(), Some("Parks Department, Mayor's Office"));
    let links: Vec<(&str, &str)> = park.related_links.iter().map(|l| (l.title.as_str(), l.url.as_str())).collect();
    assert_eq!(
        links,
        [
            ("Repair report", "https://city.example.gov/files/repair-report.pdf"),
            ("photos.zip", "https://city.example.gov/files/photos.zip")
        ]
    );
    assert!(matches!(&park.body, Some(Body::Html(_))));

    let budget = &feed.releases[1];
    assert_eq!(budget.id, "20250415", "a numeric id is accepted");
    assert_eq!(budget.title, "The council adopted the 2026 budget by a vote of 7 to\u{2026}", "a title from the text");
    assert!(matches!(&budget.body, Some(Body::Text(t)) if t.ends_with("July 1.")));
    // Shown undated, last, and named once for the feed (issue 17).
    assert_eq!(feed.releases.last().map(|r| (r.id.as_str(), r.date.is_none())), Some(("no-date", true)));
    assert!(feed.problems.iter().any(|p| !p.skipped
        && p.place == "the feed"
        && p.message
            .contains("item #3 (\u{201c}no-date\u{201d}): it has no date (\"date_published\", \"date_modified\")")));

    let old = parse(&read("jsonfeed-1.0.json"), Some(Format::JsonFeed), "").unwrap();
    assert_eq!(old.releases[0].author.as_deref(), Some("Public Information Officer"), "1.0's single author");
}

#[test]
fn documents_of_the_wrong_shape_say_so() {
    let err = |text: &str, format| parse(text, Some(format), "").unwrap_err().reader_message();
    assert_eq!(
        err(r#"{"code":"rest_no_route","message":"No route"}"#, Format::WordPress),
        "Releases could not be loaded: WordPress answered with an error (rest_no_route)."
    );
    assert_eq!(
        err(r#"{"version":"https://jsonfeed.org/version/1.1"}"#, Format::JsonFeed),
        "Releases could not be loaded: it has no \"items\" list."
    );
    assert_eq!(err("[1, 2]", Format::WordPress), "Releases could not be loaded: none of its 2 posts could be read.");
}

#[test]
fn pages_merge_once_per_id_and_say_where_the_next_page_is() {
    use release_embed::feed::next_page;
    let page = |items: &str, next: &str| {
        format!(r#"{{"version":"https://jsonfeed.org/version/1.1","title":"T","next_url":"{next}","items":[{items}]}}"#)
    };
    let item = |id: &str, date: &str| {
        format!(r#"{{"id":"{id}","title":"{id}","date_published":"{date}","content_text":"x"}}"#)
    };
    let first = parse(
        &page(&[item("a", "2024-01-03T00:00:00Z"), item("b", "2024-01-02T00:00:00Z")].join(","), "feed.json?page=2"),
        None,
        "https://x.example/news/feed.json",
    )
    .unwrap();
    assert_eq!(first.next.as_deref(), Some("https://x.example/news/feed.json?page=2"));
    let second =
        parse(&page(&[item("b", "2024-01-02T00:00:00Z"), item("c", "2024-01-04T00:00:00Z")].join(","), ""), None, "")
            .unwrap();
    let mut feed = first;
    feed.merge(second);
    let ids: Vec<&str> = feed.releases.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["c", "a", "b"], "b once, newest first across pages");
    assert!(feed.problems.iter().any(|p| p.place == "release \u{201c}b\u{201d}" && p.skipped));
    assert_eq!(feed.next, None, "the last page has no next");

    assert_eq!(
        next_page("https://x.example/wp-json/wp/v2/posts?_embed&per_page=10", 3).as_deref(),
        Some("https://x.example/wp-json/wp/v2/posts?_embed&per_page=10&page=2")
    );
    assert_eq!(
        next_page("https://x.example/wp-json/wp/v2/posts?page=2&_embed", 3).as_deref(),
        Some("https://x.example/wp-json/wp/v2/posts?_embed&page=3")
    );
    assert_eq!(next_page("https://x.example/wp-json/wp/v2/posts?page=3", 3), None);
}

/// PHP's json_encode writes `\/` and `\u00e9`; a BOM may lead; `version` may come last.
#[test]
fn json_as_php_writes_it_reads_like_any_other() {
    let base = "https://ag.example.gov/feed/json";
    for name in ["jsonfeed-php.json", "jsonfeed-bom.json"] {
        let text = read(name);
        assert_eq!(Format::detect(&text), Format::JsonFeed, "{name}");
        let feed = parse(&text, None, base).unwrap();
        assert_eq!(feed.agency.as_ref().map(|a| a.name.as_str()), Some("Office of the Attorney General \u{2013} News"));
        let first = &feed.releases[0];
        assert_eq!(first.url.as_deref(), Some("https://ag.example.gov/news/2025/05/tenant-screening-settlement/"));
        assert_eq!(
            first.summary.as_deref(),
            Some("Sealed eviction records will be removed from 14,000 renters\u{2019} reports.")
        );
        assert_eq!(first.author.as_deref(), Some("Oficina de Prensa \u{2013} Press Office"));
        let Some(Body::Html(html)) = &first.body else { panic!("HTML body in {name}") };
        let cleaned = clean(html, base, 3);
        assert!(
            cleaned.contains(r#"<a href="https://ag.example.gov/wp-content/uploads/2025/05/settlement.pdf">"#),
            "{cleaned}"
        );
        assert!(cleaned.contains("informaci\u{f3}n en espa\u{f1}ol"), "{cleaned}");
        assert_eq!(feed.releases.len(), 2);
    }
}

#[test]
fn a_byte_order_mark_is_accepted_in_every_format() {
    let bom = |s: &str| format!("\u{feff}{s}");
    let native = bom(r#"{"version": "1", "releases": [{"id": "a", "title": "A", "date": "2024-01-02"}]}"#);
    assert_eq!(parse(&native, None, "").unwrap().releases[0].title, "A");
    let wordpress = bom(&read("wordpress-posts.json"));
    assert_eq!(Format::detect(&wordpress), Format::WordPress);
    assert_eq!(parse(&wordpress, None, "https://ag.example.gov/wp-json/wp/v2/posts").unwrap().releases.len(), 4);
    let json_feed = bom(&read("jsonfeed-1.1.json"));
    assert!(!parse(&json_feed, Some(Format::JsonFeed), "").unwrap().releases.is_empty());
}

/// Cut at the size limit or by the network: the entries before the cut are kept.
#[test]
fn a_json_feed_or_wordpress_page_cut_off_keeps_its_complete_entries() {
    let php = read("jsonfeed-php.json");
    let feed = parse(&php[..1500], None, "https://ag.example.gov/feed/json").unwrap();
    assert!(feed.cut_off);
    assert_eq!(feed.releases.len(), 1);
    assert_eq!(feed.agency.as_ref().map(|a| a.name.as_str()), Some("Office of the Attorney General \u{2013} News"));
    assert!(feed
        .problems
        .iter()
        .any(|p| p.message == "it breaks off at byte 1500 after 1 items; the items before that point are shown"));
    let wordpress = read("wordpress-posts.json");
    let feed = parse(&wordpress[..2400], None, "https://ag.example.gov/wp-json/wp/v2/posts").unwrap();
    assert_eq!((feed.cut_off, feed.releases.len()), (true, 2));
    assert!(parse(&php[..300], None, "").is_err(), "nothing complete: not JSON");
}
