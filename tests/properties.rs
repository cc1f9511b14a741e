//! Property tests: whatever text a feed carries, what the widget renders from it contains no
//! executable construct: no element outside the allow-list, no event handler or style attribute,
//! no link or image address with a scheme other than http, https, mailto or tel.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use release_embed::render::clean::{clean, plain_text};
use release_embed::render::entities::decode;
use release_embed::render::markdown::to_html;

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
                let lower = value.to_ascii_lowercase();
                // A scheme is a letter then letters, digits, + - . before the first colon;
                // anything else before a colon makes the address relative.
                let scheme = lower.split_once(':').map(|(s, _)| s).filter(|s| {
                    s.starts_with(|c: char| c.is_ascii_alphabetic())
                        && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
                });
                assert!(matches!(scheme, None | Some("http" | "https" | "mailto" | "tel")), "{attr}={value} in {html}");
            }
            attrs = &attrs[close + 1..];
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

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
