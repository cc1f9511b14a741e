//! The RSS 2.0, RSS 1.0 and Atom readers against real feeds from public feed-parser test suites
//! (tests/fixtures/README.md says where each is from), and the quirks of feeds in the field.

use release_embed::feed::{decode_document, parse, parse_feed_date, Format};
use release_embed::model::{Body, Feed, Release};
use release_embed::text::clean::{clean, plain_text};
use release_embed::Error;

fn bytes(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn read(name: &str, base: &str) -> Feed {
    let text = decode_document(bytes(name)).unwrap();
    parse(&text, None, base).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The body as a reader sees it: cleaned against the release's base, as the release view does.
fn body_html(r: &Release, feed_base: &str) -> String {
    match &r.body {
        Some(Body::Html(html)) => clean(html, r.base.as_deref().unwrap_or(feed_base), 3),
        other => panic!("HTML body expected, got {other:?}"),
    }
}

#[test]
fn formats_are_detected_from_the_root_element() {
    for (name, format) in [
        ("rss2-wordpress.xml", Format::Rss),
        ("rss2-drupal.xml", Format::Rss),
        ("rss1-debian.xml", Format::Rss),
        ("atom-movable-type.xml", Format::Atom),
        ("atom-media-group.xml", Format::Atom),
    ] {
        let text = decode_document(bytes(name)).unwrap();
        assert_eq!(Format::detect(&text), format, "{name}");
        // The widget's sniff leaves the root to the XML chunk: every XML feed is RSS until read.
        assert_eq!((Format::sniff(&text), Format::xml_dialect(&text)), (Format::Rss, format), "{name}");
    }
    let with_bom = "\u{feff}<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"></feed>";
    assert_eq!((Format::sniff(with_bom), Format::detect(with_bom)), (Format::Rss, Format::Atom));
    assert_eq!(Format::from_name("RSS"), Some(Some(Format::Rss)));
    assert_eq!(Format::from_name("atom"), Some(Some(Format::Atom)));
}

#[test]
fn wordpress_rss_gives_title_date_tags_author_and_both_texts() {
    let base = "https://www.earthquakenewstoday.com/feed/";
    let feed = read("rss2-wordpress.xml", base);
    let agency = feed.agency.as_ref().unwrap();
    assert_eq!(
        (agency.name.as_str(), agency.url.as_deref()),
        ("Earthquakes today", Some("http://www.earthquakenewstoday.com"))
    );
    assert_eq!(feed.language.as_deref(), Some("en-US"));
    let [r] = feed.releases.as_slice() else { panic!("one release: {:?}", feed.releases) };
    assert_eq!(r.title, "Minor earthquake, 3.5 mag was detected near Aris in Greece");
    assert_eq!(r.date.as_ref().unwrap().machine(), "2019-08-06T05:01:15Z");
    assert_eq!(r.date.as_ref().unwrap().english(), "August 6, 2019");
    assert_eq!(r.tags, ["Earthquake breaking news", "Minor World Earthquakes Magnitude -3.9", "Sp\u{e1}rti"]);
    assert_eq!(r.author.as_deref(), Some("admin"));
    let link =
        "http://www.earthquakenewstoday.com/2019/08/06/minor-earthquake-3-5-mag-was-detected-near-aris-in-greece/";
    assert_eq!((r.id.as_str(), r.url.as_deref()), (link, Some(link)));
    assert!(r
        .summary
        .as_deref()
        .unwrap()
        .starts_with("A minor earthquake magnitude 3.5 (ml/mb) strikes near Kalam\u{e1}ta"));
    let html = body_html(r, base);
    assert!(html.contains(r#"src="http://www.earthquakenewstoday.com/wp-content/uploads/35_20.jpg""#), "{html}");
    assert!(feed.problems.is_empty(), "{:?}", feed.problems);
}

#[test]
fn drupal_rss_double_escaped_html_resolves_against_xml_base() {
    // Served from another address (a proxy on the agency's own origin): links follow xml:base.
    let base = "https://agency.example.gov/feeds/drupal.xml";
    let feed = read("rss2-drupal.xml", base);
    assert_eq!(feed.agency.as_ref().map(|a| a.name.as_str()), Some("Security advisories"));
    let r = &feed.releases[0];
    assert_eq!(
        r.title,
        "Diba carousel slider - Moderately critical - Cross Site Scripting (XSS) - SA-CONTRIB-2026-191"
    );
    assert_eq!(r.id, "3623987 at https://www.drupal.org", "isPermaLink=false: an id, not the address");
    assert_eq!(r.url.as_deref(), Some("https://www.drupal.org/sa-contrib-2026-191"));
    assert_eq!(r.date.as_ref().unwrap().machine(), "2026-09-23T17:24:33Z");
    assert_eq!(r.author.as_deref(), Some("Drupal Security Team"));
    let html = body_html(r, base);
    assert!(
        html.contains(r#"<a href="https://www.drupal.org/project/diba_carousel">Diba carousel slider</a>"#),
        "{html}"
    );
    let text = plain_text(&html);
    assert!(text.contains("Project: Diba carousel slider"), "{text}");
    assert!(text.contains("the field's rendered output"), "{text}");
    assert!(text.contains("Kalle Kipin\u{e4} (kekkis)"), "{text}");
    assert!(!html.contains("&amp;lt;") && !text.contains("&quot;"), "references decoded once, not shown: {html}");
}

#[test]
fn drupal_categories_with_a_domain_are_tags() {
    let feed = parse(
        r#"<rss version="2.0" xml:base="https://ag.example.gov" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
        <title>Attorney General</title><link>https://ag.example.gov/</link>
        <item><title>Settlement reached</title><link>https://ag.example.gov/news/settlement</link>
        <description>&lt;p&gt;The Attorney General &amp;amp; partners&lt;/p&gt;</description>
        <category domain="https://ag.example.gov/taxonomy/term/12">Consumer Protection</category>
        <category domain="https://ag.example.gov/taxonomy/term/40">Health &amp;amp; Safety</category>
        <category domain="https://ag.example.gov/taxonomy/term/12">Consumer Protection</category>
        <pubDate>Thu, 14 Mar 2024 10:30:00 EDT</pubDate><dc:creator>Press Office</dc:creator>
        <guid isPermaLink="false">812 at https://ag.example.gov</guid></item></channel></rss>"#,
        None,
        "https://ag.example.gov/rss.xml",
    )
    .unwrap();
    let r = &feed.releases[0];
    assert_eq!(r.tags, ["Consumer Protection", "Health & Safety"]);
    assert_eq!(r.date.as_ref().unwrap().machine(), "2024-03-14T10:30:00-04:00");
    assert_eq!(r.body.as_ref().unwrap().plain_text(), "The Attorney General & partners");
}

#[test]
fn rss_1_0_reads_dublin_core_and_rdf_about() {
    let feed = read("rss1-debian.xml", "https://www.debian.org/News/news.rdf");
    let agency = feed.agency.as_ref().unwrap();
    assert_eq!((agency.name.as_str(), agency.url.as_deref()), ("Debian News", Some("https://www.debian.org/News/")));
    assert_eq!(feed.language.as_deref(), Some("en"));
    let r = &feed.releases[0];
    assert_eq!(r.title, "Updated Debian 11: 11.6 released");
    assert_eq!(r.id, "https://www.debian.org/News/2022/20221217");
    assert_eq!(r.date.as_ref().unwrap().machine(), "2022-12-17");
    let html = body_html(r, "https://www.debian.org/News/news.rdf");
    assert!(html.contains("stable distribution Debian 11 (codename <q>bullseye</q>)"), "{html}");
}

#[test]
fn an_iso_8859_1_feed_reads_in_its_declared_encoding() {
    let feed = read("rss1-iso-8859-1.xml", "https://rss.golem.de/rss.php?feed=RSS1.0");
    let r = &feed.releases[0];
    assert_eq!(r.title, "Digitalministerium: Neue Glasfaserf\u{f6}rderung mit Schnellkasse");
    assert!(r.summary.as_deref().unwrap().starts_with("Ab April soll es wieder F\u{f6}rderung"), "{:?}", r.summary);
}

#[test]
fn utf_16_with_a_byte_order_mark_and_unknown_encodings() {
    let text = decode_document(bytes("utf-16le-bom.xml")).unwrap();
    assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"utf-16\"?>"), "{text}");
    let feed = parse(&text, None, "").unwrap();
    assert!(feed.releases.is_empty());
    let err = decode_document(bytes("bogus-encoding.xml")).unwrap_err();
    assert_eq!(err, Error::UnknownEncoding { name: "bogus".into() });
    assert_eq!(
        err.reader_message(),
        "Releases could not be loaded: the feed is written in a character encoding (bogus) this widget cannot read."
    );
}

#[test]
fn atom_html_content_categories_by_label_and_authors() {
    let feed = read("atom-movable-type.xml", "https://blogs.akamai.com/atom.xml");
    let agency = feed.agency.as_ref().unwrap();
    assert_eq!((agency.name.as_str(), agency.url.as_deref()), ("The Akamai Blog", Some("https://blogs.akamai.com/")));
    let r = &feed.releases[0];
    assert_eq!(r.title, "Time to Transfer Risk: Why Security Complexity & VPNs Are No Longer Sustainable");
    assert_eq!(r.date.as_ref().unwrap().machine(), "2019-07-30T16:00:00Z", "published, not updated");
    assert_eq!(r.tags, ["Zero Trust", "SSL"], "label when there is one, term otherwise; no repeats");
    assert_eq!(r.author.as_deref(), Some("Lorenz Jakober"));
    assert_eq!(r.id, "tag:blogs.akamai.com,2019://2.3337");
    assert!(r.summary.as_deref().unwrap().starts_with("Now, there are many reasons to isolate"));
    assert_eq!(r.base.as_deref(), Some("https://blogs.akamai.com/"));
    assert!(body_html(r, "").contains("<p>We all heed the gospel of patching"));
}

#[test]
fn atom_xhtml_content_and_the_feeds_author() {
    let feed = read("atom-xhtml.xml", "https://planet.gnome.org/atom.xml");
    let r = &feed.releases[0];
    assert_eq!(r.title, "High resolution wheel scrolling in the desktop stack");
    assert_eq!(r.author.as_deref(), Some("GNOME Sysadmin Team"), "an entry without an author has the feed's");
    assert_eq!(r.tags, ["libinput. wayland"]);
    let html = body_html(r, "https://planet.gnome.org/atom.xml");
    assert!(
        html.starts_with(r#"<p>This is a follow up from <a href="https://who-t.blogspot.com/2018/12/high-resolution-wheel-scrolling-on.html">"#),
        "{html}"
    );
}

#[test]
fn images_from_media_rss_and_image_enclosures() {
    let feed = read("atom-media-group.xml", "https://www.youtube.com/feeds/videos.xml");
    let image = feed.releases[0].image.as_ref().unwrap();
    assert_eq!(image.url, "https://i1.ytimg.com/vi/0A1ouV7iD8o/hqdefault.jpg", "the thumbnail, not the Flash player");
    assert_eq!(feed.releases[0].url.as_deref(), Some("https://www.youtube.com/watch?v=0A1ouV7iD8o"));

    let feed = read("rss2-image-enclosure.xml", "https://www.ilmessaggero.it/rss/mondo.xml");
    let r = &feed.releases[0];
    assert_eq!(
        r.image.as_ref().unwrap().url,
        "https://www.ilmessaggero.it/photos/MED/48/69/7054869_16003922_missili_polonia_1_.jpg"
    );
    assert!(r.related_links.is_empty(), "an image enclosure is the image, not a link");
    assert_eq!(r.title, "Missili Polonia, cosa \u{e8} successo? Tensione Nato-Russia, Mosca: non siamo stati noi");
    assert_eq!(r.date.as_ref().unwrap().machine(), "2022-11-16T00:38:15+01:00", "an Italian weekday is ignored");
    assert_eq!(r.tags, ["Mondo"]);

    let feed = parse(
        r#"<rss xmlns:media="http://search.yahoo.com/mrss/"><channel><item><title>T</title><pubDate>2024-01-02</pubDate>
        <enclosure url="/files/report.pdf" type="application/pdf" length="1"/>
        <media:content url="/img/a.png" medium="image"><media:description>The signing</media:description></media:content>
        </item></channel></rss>"#,
        Some(Format::Rss),
        "https://ag.example.gov/feed.xml",
    )
    .unwrap();
    let r = &feed.releases[0];
    let image = r.image.as_ref().unwrap();
    assert_eq!((image.url.as_str(), image.alt.as_str()), ("https://ag.example.gov/img/a.png", "The signing"));
    assert_eq!(r.related_links[0].url, "https://ag.example.gov/files/report.pdf");
    assert_eq!(r.related_links[0].title, "report.pdf");
}

#[test]
fn rss_fallbacks_for_ids_titles_authors_and_links() {
    let feed = parse(
        r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Office</title>
        <item><description>A release without a title, whose first words stand in for one.</description>
          <guid>https://ag.example.gov/news/1</guid><pubDate>Mon, 5 Feb 24 9:05 PST</pubDate>
          <author>press@ag.example.gov (Press Office)</author></item>
        <item><title>Relative</title><link>news/2</link><pubDate>Tuesday, 06 February 2024 10:00:00 +0000</pubDate></item>
        <item><title>No id at all</title><pubDate>Wed, 7 Feb 2024</pubDate></item>
        </channel></rss>"#,
        None,
        "https://ag.example.gov/feed/",
    )
    .unwrap();
    let by_title =
        |t: &str| feed.releases.iter().find(|r| r.title == t).unwrap_or_else(|| panic!("{t}: {:?}", feed.releases));
    let first = by_title("A release without a title, whose first words stand in for one.");
    assert_eq!(first.url.as_deref(), Some("https://ag.example.gov/news/1"), "a guid is a permalink by default");
    assert_eq!(first.author.as_deref(), Some("Press Office"));
    assert_eq!(first.date.as_ref().unwrap().machine(), "2024-02-05T09:05:00-08:00");
    let relative = by_title("Relative");
    assert_eq!(
        (relative.id.as_str(), relative.url.as_deref()),
        ("https://ag.example.gov/feed/news/2", Some("https://ag.example.gov/feed/news/2"))
    );
    assert_eq!(by_title("No id at all").id, "item-3");
    assert_eq!(feed.releases.iter().map(|r| r.title.as_str()).next(), Some("No id at all"), "newest first");
}

#[test]
fn atom_next_page_content_src_and_related_links() {
    let feed = parse(
        r#"<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="es" xml:base="https://gob.example/">
        <title type="html">Sala de &lt;b&gt;prensa&lt;/b&gt;</title><link href="/prensa"/><link rel="next" href="feed?page=2"/>
        <entry><id>urn:1</id><title>Uno</title><updated>2024-05-01T12:00Z</updated>
          <content src="/comunicados/1.pdf" type="application/pdf"/>
          <link rel="related" href="/anexo" title="Anexo"/><link rel="enclosure" href="/audio.mp3" type="audio/mpeg"/>
          <category term="salud"/></entry></feed>"#,
        None,
        "https://proxy.example/feed.atom",
    )
    .unwrap();
    let agency = feed.agency.as_ref().unwrap();
    assert_eq!((agency.name.as_str(), agency.url.as_deref()), ("Sala de prensa", Some("https://gob.example/prensa")));
    assert_eq!(feed.next.as_deref(), Some("https://gob.example/feed?page=2"));
    assert_eq!(feed.language.as_deref(), Some("es"));
    let r = &feed.releases[0];
    assert_eq!(r.url.as_deref(), Some("https://gob.example/comunicados/1.pdf"));
    assert_eq!(r.date.as_ref().unwrap().machine(), "2024-05-01T12:00:00Z");
    let links: Vec<(&str, &str)> = r.related_links.iter().map(|l| (l.title.as_str(), l.url.as_str())).collect();
    assert_eq!(links, [("Anexo", "https://gob.example/anexo"), ("audio.mp3", "https://gob.example/audio.mp3")]);
}

#[test]
fn items_without_a_readable_date_are_shown_undated_after_the_dated_ones() {
    let feed = parse(
        r#"<rss><channel><title>T</title>
        <item><title>Good</title><guid>a</guid><pubDate>Fri, 01 Mar 2024 12:00:00 GMT</pubDate></item>
        <item><title>No date</title><guid>b</guid></item>
        <item><title>Bad date</title><guid>c</guid><pubDate>someday</pubDate></item>
        <item><title>Again</title><guid>a</guid><pubDate>Sat, 02 Mar 2024 12:00:00 GMT</pubDate></item>
        <item><link>javascript:alert(1)</link><guid>d</guid><title>Bad link</title><pubDate>2024-03-03</pubDate></item>
        <item><guid>e</guid><description>   </description></item>
        </channel></rss>"#,
        None,
        "",
    )
    .unwrap();
    let titles: Vec<&str> = feed.releases.iter().map(|r| r.title.as_str()).collect();
    assert_eq!(titles, ["Bad link", "Good", "No date", "Bad date"]);
    assert_eq!(feed.releases[0].url, None);
    assert!(feed.releases[2].date.is_none() && feed.releases[3].date.is_none());
    let problems: Vec<String> = feed.problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        problems,
        [
            "release-embed: item #4 (\u{201c}a\u{201d}) skipped: its id is used by an earlier item",
            "release-embed: item #5 (\u{201c}d\u{201d}) field ignored: <link> \u{201c}javascript:alert(1)\u{201d} is not an http, https, mailto, tel or relative URL",
            "release-embed: item #6 (\u{201c}e\u{201d}) skipped: it has no <title>, no text and no link",
            // One message for the feed, naming each undated item and its field.
            "release-embed: the feed field ignored: 2 of its items are shown undated, after the dated ones, as no date \
             of them could be read (item #2 (\u{201c}b\u{201d}): it has no date (<pubDate>, <date>, <published>, <updated>); \
             item #3 (\u{201c}c\u{201d}): bad <pubDate>: \u{201c}someday\u{201d} is not a date this widget can read)",
        ]
    );
}

#[test]
fn a_document_that_breaks_after_some_items_keeps_them() {
    let feed = parse(
        "<rss><channel><item><title>Kept</title><pubDate>2024-03-01</pubDate></item><item><title>Lost</ti",
        None,
        "",
    )
    .unwrap();
    assert!(feed.cut_off);
    assert_eq!(feed.releases.len(), 1);
    assert_eq!(
        feed.problems[0].to_string(),
        "release-embed: the feed skipped: it stops being XML at line 1, column 93: an end tag that never closes; \
         the releases before that point are shown"
    );
}

#[test]
fn documents_that_are_not_xml_feeds_get_clear_errors() {
    let malformed = parse("<rss><channel><title>T</channel></rss>", Some(Format::Rss), "").unwrap_err();
    assert_eq!(
        malformed.to_string(),
        "the feed is not well-formed XML: line 1, column 23: </channel> where </title> was expected"
    );
    assert_eq!(malformed.reader_message(), "Releases could not be loaded: the feed is not well-formed XML.");

    let other = parse("<?xml version='1.0'?><catalog><book/></catalog>", None, "").unwrap_err();
    assert_eq!(
        other.to_string(),
        "the document is not a release feed: its root element is <catalog>, not an RSS <rss> or <rdf:RDF> or an Atom <feed>"
    );
    let page = "<!DOCTYPE html>\n<html><head><title>Not found</title></head></html>";
    assert_eq!(Format::detect(page), Format::Native, "an HTML page is not taken for XML: \"not valid JSON\" as before");
    assert_eq!(
        parse(page, Some(Format::Rss), "").unwrap_err().reader_message(),
        "Releases could not be loaded: it is a web page, not a feed (check the feed's address)."
    );

    let none_readable = parse("<rss><channel><item><guid>x</guid></item></channel></rss>", None, "").unwrap_err();
    assert!(
        none_readable.to_string().contains(
            "none of its 1 items could be read (item #1 (\u{201c}x\u{201d}): it has no <title>, no text and no link"
        ),
        "{none_readable}"
    );

    let json_as_rss = parse("{\"version\": \"1\"}", Some(Format::Rss), "").unwrap_err();
    assert!(matches!(json_as_rss, Error::NotXml { .. }), "{json_as_rss}");
}

#[test]
fn rfc_822_dates_with_named_zones() {
    let ts = |s: &str| parse_feed_date(s).unwrap_or_else(|e| panic!("{e}")).timestamp();
    let utc = ts("Thu, 01 Jan 2004 19:48:21 GMT");
    for same in [
        "Thu, 01 Jan 2004 19:48:21 UT",
        "Thu, 01 Jan 2004 19:48:21 Z",
        "Thu, 01 Jan 2004 19:48:21 +0000",
        "Thu, 01 Jan 2004 14:48:21 EST",
        "Thu, 01 Jan 2004 15:48:21 EDT",
        "Thu, 01 Jan 2004 13:48:21 CST",
        "Thu, 01 Jan 2004 11:48:21 PST",
        "Thu, 01 Jan 2004 12:48:21 PDT",
        "Thu, 01 Jan 2004 20:48:21 +01:00",
        "Thu, 01 Jan 2004 19:48:21 Etc/GMT",
        "Thu, 01 Jan 2004 20:48:21 GMT+1",
        // RFC 822's military letters, with its signs: A is -1, N is +1.
        "Thu, 01 Jan 2004 18:48:21 A",
        "Thu, 01 Jan 2004 20:48:21 N",
        "Thu, 01 Jan 2004 07:48:21 M",
    ] {
        assert_eq!(ts(same), utc, "{same}");
    }
    // From feedparser's date tests: `-01:01` and `MEST`.
    assert_eq!(ts("Wed, 19 Feb 2012 22:40:00 -01:01"), ts("Wed, 19 Feb 2012 23:41:00 GMT"));
    assert_eq!(ts("Thu, 30 Apr 2015 08:57:00 MEST"), ts("Thu, 30 Apr 2015 06:57:00 GMT"));
    assert_eq!(ts("Mon, 26 January 2004 16:31:00 PT"), ts("Tue, 27 Jan 2004 00:31:00 GMT"));
}

#[test]
fn malformed_rfc_822_variants_that_feeds_send() {
    let machine = |s: &str| parse_feed_date(s).unwrap_or_else(|e| panic!("{e}")).machine().to_string();
    for (given, expected) in [
        ("01 Jan 2004 19:48:21 GMT", "2004-01-01T19:48:21Z"), // no weekday
        ("Mon, 01 Jan 2004 19:48:21 GMT", "2004-01-01T19:48:21Z"), // wrong weekday
        ("Thu,  5 Apr 2012 10:00:00 GMT", "2012-04-05T10:00:00Z"), // one-digit day
        ("Thu, 01 Jan 04 19:48:21 GMT", "2004-01-01T19:48:21Z"), // two-digit year
        ("Sat, 01 Jan 99 00:00:00 GMT", "1999-01-01T00:00:00Z"), // … from the last century
        ("Thu, 01 Jan 2004 00:00 GMT", "2004-01-01T00:00:00Z"), // no seconds
        ("Thu, 01 Jan 2004", "2004-01-01"),                   // no time
        ("Monday, 26 January 2004 16:31:00 EST", "2004-01-26T16:31:00-05:00"), // full names
        ("Mon, 13 Feb, 2012 06:28:00 UTC", "2012-02-13T06:28:00Z"), // a stray comma
        ("Fri,24 Nov 2023 18:28:36 -0000", "2023-11-24T18:28:36Z"), // no space after the comma
        ("Thu Aug 30 2012 17:26:16 +0200", "2012-08-30T17:26:16+02:00"), // month before day
        ("Sun Jan  4 16:29:06 2004", "2004-01-04T16:29:06"),  // asctime
        ("Tue, 10 Jun 2003 04:00:00.000 GMT", "2003-06-10T04:00:00Z"), // fractions
        ("Tue, 10 Sept 2003 04:00:00 (EDT) -0400", "2003-09-10T04:00:00-04:00"),
        ("2024-03-14T14:30:00Z", "2024-03-14T14:30:00Z"), // ISO in pubDate
        ("2024-03-14 14:30:00 +0100", "2024-03-14T14:30:00+01:00"),
        ("2024-03-14T14:30-05:00", "2024-03-14T14:30:00-05:00"), // W3C-DTF minutes
        ("2024-03", "2024-03-01"),
        ("2024", "2024-01-01"),
    ] {
        assert_eq!(machine(given), expected, "{given}");
    }
    for bad in [
        "",
        "someday",
        "Sun, 16 Dec 2012 1:2:3:4 GMT",
        "Sun, 16 zzz 2012 11:47:32 GMT",
        "Sun, Dec x 2012 11:47:32 GMT",
        "Sun, 16 Dec zz 11:47:32 GMT",
        "Sun, 16 Dec 2012 11:47:32 +zz:00",
        "Sun, 99 Jun 2009 12:00:00 GMT",
        "Sun, 31 Dec 9999 23:59:59 -9999",
        "Thu, 29 Feb 2023 10:00:00 GMT",
        "2024-13-01",
    ] {
        assert!(parse_feed_date(bad).is_err(), "{bad}");
    }
}

#[test]
fn dates_as_cms_write_them() {
    let machine = |s: &str| parse_feed_date(s).unwrap_or_else(|e| panic!("{e}")).machine().to_string();
    for (given, expected) in [
        // Drupal's default RSS date, and its medium and long forms.
        ("Tuesday, March 5, 2019 - 10:05am", "2019-03-05T10:05:00"),
        ("Tue, 03/05/2019 - 10:05", "2019-03-05T10:05:00"),
        ("Tuesday, March 5, 2019 - 22:05", "2019-03-05T22:05:00"),
        ("March 5, 2019 10:05 AM", "2019-03-05T10:05:00"),
        ("March 5, 2019 10:05 PM", "2019-03-05T22:05:00"),
        ("March 5, 2019 12:30 am", "2019-03-05T00:30:00"),
        ("March 5, 2019 12:30 p.m.", "2019-03-05T12:30:00"),
        ("March 5th, 2019 at 9:15am", "2019-03-05T09:15:00"),
        ("Mar 5 2019", "2019-03-05"),
        // US numeric dates (month first), a day first when it cannot be a month, dots.
        ("03/05/2019", "2019-03-05"),
        ("3/5/2019 4:30 PM", "2019-03-05T16:30:00"),
        ("3/5/19", "2019-03-05"),
        ("25/12/2019", "2019-12-25"),
        ("25.12.2019", "2019-12-25"),
        // feedparser's perforce form, and year-first with slashes.
        ("Fri, 2006/09/15 08:19:53 EDT", "2006-09-15T08:19:53-04:00"),
        // ISO 8601 variants: date only, a space for the T, no zone, a 12-hour time after it.
        ("2019-03-05", "2019-03-05"),
        ("2019-03-05 10:05:00", "2019-03-05T10:05:00"),
        ("2019-03-05T10:05:00", "2019-03-05T10:05:00"),
        ("2019-03-05 10:05 AM", "2019-03-05T10:05:00"),
        // From feedparser's date tests: MSSQL-style dates.
        ("2004-07-08 23:56:58 -00:20", "2004-07-08T23:56:58-00:20"),
        ("2004-07-08 23:56:58.0", "2004-07-08T23:56:58"),
        ("2003-12-31T10:14:55.1234Z", "2003-12-31T10:14:55Z"),
    ] {
        assert_eq!(machine(given), expected, "{given}");
    }
    for bad in [
        "13:00 pm March 5, 2019",
        "March 5, 2019 0:30 am",
        "13/13/2019",
        "02/30/2019",
        "Tuesday - 10:05am",
        "March 2019 - - x",
        // feedparser's invalid W3C-DTF cases.
        "2013-01-27-01",
        "2013-xx-27",
        "2013-01-28T09:xx:00Z",
        "2003-12-31T25:14:55Z",
        "2003-12-31T10:61:55Z",
    ] {
        assert!(parse_feed_date(bad).is_err(), "{bad}");
    }
}

#[test]
fn a_date_from_another_field_when_the_first_is_unreadable() {
    let feed = parse(
        r#"<rss xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
        <item><title>A</title><guid>a</guid><pubDate>next week</pubDate><dc:date>2024-03-05</dc:date></item>
        </channel></rss>"#,
        None,
        "",
    )
    .unwrap();
    assert_eq!(feed.releases[0].date.as_ref().map(|d| d.machine().to_string()).as_deref(), Some("2024-03-05"));
    assert!(feed.problems.is_empty(), "{:?}", feed.problems);

    // Atom with `updated` only (published is optional in RFC 4287).
    let atom = parse(
        r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>
        <entry><id>1</id><title>Old</title><updated>2024-01-01T00:00:00Z</updated></entry>
        <entry><id>2</id><title>New</title><updated>2024-02-01T00:00:00Z</updated></entry>
        <entry><id>3</id><title>Bad published</title><published>2024-99-01</published><updated>2024-01-15T00:00:00Z</updated></entry>
        </feed>"#,
        None,
        "",
    )
    .unwrap();
    let titles: Vec<&str> = atom.releases.iter().map(|r| r.title.as_str()).collect();
    assert_eq!(titles, ["New", "Bad published", "Old"]);
}

#[test]
fn an_item_with_only_a_link_is_shown_with_the_link_as_its_title() {
    let feed = parse(
        r#"<rss><channel><item><link>https://agency.example/news/2024/flood-warning</link></item></channel></rss>"#,
        None,
        "",
    )
    .unwrap();
    assert_eq!(feed.releases[0].title, "agency.example/news/2024/flood-warning");
    assert_eq!(feed.releases[0].url.as_deref(), Some("https://agency.example/news/2024/flood-warning"));
}
