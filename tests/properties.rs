//! Property tests: whatever text a feed carries, what the widget renders from it contains no
//! executable construct: no element outside the allow-list, no event handler or style attribute,
//! no link or image address with a scheme other than http, https, mailto or tel.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use release_embed::feed::{parse, Format};
use release_embed::model::Body;
use release_embed::render::markdown::to_html;
use release_embed::text::clean::{clean, plain_text};
use release_embed::text::entities::decode;

const ALLOWED: &str = " a abbr b blockquote br caption cite code dd del div dl dt em figcaption figure h1 h2 h3 h4 h5 h6 hr i img ins li mark ol p pre q s small span strong sub sup table tbody td tfoot th thead tr time u ul ";
const ATTRIBUTES: [&str; 13] = [
    "href", "src", "alt", "title", "width", "height", "colspan", "rowspan", "scope", "start", "reversed", "datetime",
    "loading",
];

/// Pieces that hostile HTML and Markdown are made of, to be strung together at random.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("<".to_string()),
        Just(">".to_string()),
        Just("/".to_string()),
        Just("\"".to_string()),
        Just("'".to_string()),
        Just("=".to_string()),
        Just(" ".to_string()),
        Just("\n".to_string()),
        Just("&#".to_string()),
        Just(";".to_string()),
        Just("<!--".to_string()),
        Just("-->".to_string()),
        Just("](".to_string()),
        Just("[x".to_string()),
        Just("![".to_string()),
        prop::sample::select(vec![
            "script",
            "img",
            "svg",
            "a",
            "iframe",
            "style",
            "math",
            "p",
            "noscript",
            "textarea",
            "title",
            "object",
            "xmp",
            "plaintext",
            "template",
            "!--",
            "![CDATA["
        ])
        .prop_map(String::from),
        prop::sample::select(vec!["onerror", "onload", "href", "src", "style", "srcdoc", "xlink:href", "formaction"])
            .prop_map(String::from),
        prop::sample::select(vec![
            "javascript:",
            "JaVaScRiPt:",
            "java\tscript:",
            "data:",
            "vbscript:",
            "&#106;avascript:",
            "https://x.example/",
            "mailto:a@b"
        ])
        .prop_map(String::from),
        prop::sample::select(vec!["alert(1)", "x", "106", "x0A", "09"]).prop_map(String::from),
        "[ -~]{0,6}",
    ]
}

fn hostile() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..60).prop_map(|parts| parts.concat())
}

/// Checks markup the widget produced (well-formed, attribute values double-quoted and escaped).
fn assert_inert(html: &str) {
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let end = rest.find('>').expect("every tag is closed");
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        let tag = tag.strip_prefix('/').unwrap_or(tag);
        let name = tag.split([' ', '/']).next().unwrap_or_default();
        assert!(ALLOWED.contains(&format!(" {name} ")), "<{name}> in {html}");
        let mut attrs = &tag[name.len()..];
        while let Some(eq) = attrs.find("=\"") {
            let attr = attrs[..eq].trim();
            let close = attrs[eq + 2..].find('"').expect("quoted value") + eq + 2;
            let value = &attrs[eq + 2..close];
            assert!(ATTRIBUTES.contains(&attr), "{attr}= in {html}");
            if attr == "href" || attr == "src" {
                assert_safe_url(value, html);
            }
            attrs = &attrs[close + 1..];
        }
    }
}

/// A link or image address the widget may put in the page: http, https, mailto, tel or relative.
fn assert_safe_url(value: &str, context: &str) {
    let lower = value.to_ascii_lowercase();
    // A scheme is a letter then letters, digits, + - . before the first colon; anything else
    // before a colon makes the address relative.
    let scheme = lower.split_once(':').map(|(s, _)| s).filter(|s| {
        s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    assert!(!value.chars().any(char::is_control), "a control character in {value:?} in {context}");
    assert!(matches!(scheme, None | Some("http" | "https" | "mailto" | "tel")), "{value} in {context}");
}

fn xml_text(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Hostile text in every field of an RSS item and of an Atom entry, as escaped text and as CDATA.
fn xml_feeds(v: &str) -> [String; 2] {
    let (e, cdata) = (xml_text(v), v.replace("]]>", "]]]]><![CDATA[>"));
    let rss = format!(
        r#"<rss xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>{e}</title><link>{e}</link>
        <item><title>{e}</title><link>{e}</link><guid>{e}</guid><description>{e}</description><content:encoded><![CDATA[{cdata}]]></content:encoded>
        <category>{e}</category><pubDate>Mon, 01 Jan 2024 00:00:00 GMT</pubDate><media:content url="{e}" medium="image"/>
        <enclosure url="{e}" type="application/pdf"/><enclosure url="{e}" type="image/png"/></item></channel></rss>"#
    );
    let atom = format!(
        r#"<feed xmlns="http://www.w3.org/2005/Atom" xml:base="{e}"><title type="html">{e}</title><entry xml:base="{e}"><id>{e}</id>
        <title type="html">{e}</title><link href="{e}"/><link rel="related" href="{e}"/><link rel="enclosure" href="{e}" type="image/png"/>
        <updated>2024-01-01T00:00:00Z</updated><summary type="html">{e}</summary><content type="html">{e}</content></entry></feed>"#
    );
    [rss, atom]
}

/// Whatever an RSS or Atom document carries, the release's body, image and links are inert.
fn assert_xml_feed_inert(document: &str) {
    let base = "https://agency.example.gov/feed.xml";
    let Ok(feed) = parse(document, Some(Format::Rss), base) else { return };
    for r in &feed.releases {
        if let Some(Body::Html(html)) = &r.body {
            assert_inert(&clean(html, r.base.as_deref().unwrap_or(base), 2));
        }
        for url in r.image.iter().map(|i| &i.url).chain(r.related_links.iter().map(|l| &l.url)).chain(&r.url) {
            assert_safe_url(url, document);
        }
    }
}

/// Pieces of XML, well-formed or not, strung together at random.
fn xml_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "<rss>",
            "</rss>",
            "<channel>",
            "</channel>",
            "<item>",
            "</item>",
            "<title>",
            "</title>",
            "<pubDate>",
            "</pubDate>",
            "Mon, 01 Jan 2024 00:00:00 GMT",
            "<link>",
            "</link>",
            "<description>",
            "</description>",
            "<feed xmlns=\"http://www.w3.org/2005/Atom\">",
            "</feed>",
            "<entry>",
            "</entry>",
            "<content type=\"xhtml\">",
            "</content>",
            "<![CDATA[",
            "]]>",
            "<!--",
            "-->",
            "<!DOCTYPE rss [",
            "]>",
            "<?xml version=\"1.0\"?>",
            "&#",
            "&#x",
            "&amp;",
            "&nbsp;",
            ";",
            "<a:b xmlns:a=\"urn:a\">",
            "</a:b>",
            "<media:content url=\"",
            "\"/>",
            "/>",
            "<",
            ">",
            "</",
            "\"",
            "'",
            "=",
            " ",
            "xml:base=\"",
            "javascript:alert(1)",
            "\u{e9}",
            "\u{feff}",
        ])
        .prop_map(String::from),
        "[ -~]{0,6}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn rss_and_atom_fields_are_inert(input in hostile()) {
        for document in xml_feeds(&input) {
            assert_xml_feed_inert(&document);
        }
    }

    #[test]
    fn any_xml_reads_to_a_feed_or_an_error(parts in prop::collection::vec(xml_piece(), 0..80)) {
        let document = parts.concat();
        let _ = Format::detect(&document);
        assert_xml_feed_inert(&document);
    }

    #[test]
    fn cleaned_html_is_inert(input in hostile()) {
        assert_inert(&clean(&input, "https://agency.example.gov/feed.json", 2));
    }

    /// Markdown is shown after the cleaner, as `render` shows it.
    #[test]
    fn rendered_markdown_is_inert(input in hostile()) {
        assert_inert(&clean(&to_html(&input, 2), "https://agency.example.gov/feed.json", 1));
    }

    /// What search and list excerpts read is the text the cleaned body shows, no more, no less.
    #[test]
    fn plain_text_is_the_text_the_cleaned_body_shows(input in hostile()) {
        let shown = text_of(&clean(&input, "https://agency.example.gov/feed.json", 2));
        let squeezed = |s: &str| s.split_whitespace().collect::<String>();
        prop_assert_eq!(squeezed(&plain_text(&input)), squeezed(&shown));
    }
}

/// The text of markup the widget produced (well-formed: every `<` starts a tag).
fn text_of(html: &str) -> String {
    let mut text = String::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        text.push_str(&rest[..i]);
        rest = &rest[i + rest[i..].find('>').expect("every tag is closed") + 1..];
    }
    text.push_str(rest);
    decode(&text)
}

#[test]
fn the_check_rejects_what_it_should() {
    for bad in
        ["<script>", "<p onclick=\"x\">", "<a href=\"javascript:alert(1)\">", "<img src=\"data:x\">", "<p style=\"x\">"]
    {
        assert!(std::panic::catch_unwind(|| assert_inert(bad)).is_err(), "{bad} passed the check");
    }
    assert_inert(r#"<p><a href="https://x.example/">x</a><img src="/a.png" alt="a" loading="lazy"></p>"#);
}
