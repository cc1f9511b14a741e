//! Release bodies: CommonMark to HTML with pulldown-cmark, made safe on the way. Raw HTML in the
//! Markdown is shown as text (never parsed as markup), links and images keep only allowed URLs,
//! and headings are moved below the release title so the page keeps one outline.

use pulldown_cmark::{html, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::url::safe_url;

/// Renders `markdown` with its top heading level at `first_heading` (2–6; deeper ones clamp at 6).
pub fn to_html(markdown: &str, first_heading: u8) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    // Whether each open link/image was kept, so its end tag matches its start tag.
    let mut kept: Vec<bool> = Vec::new();
    let events = Parser::new_ext(markdown, options).filter_map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
        Event::Start(Tag::HtmlBlock) => Some(Event::Start(Tag::Paragraph)),
        Event::End(TagEnd::HtmlBlock) => Some(Event::End(TagEnd::Paragraph)),
        Event::Start(Tag::Heading { level, id, classes, attrs }) => {
            Some(Event::Start(Tag::Heading { level: shift(level, first_heading), id, classes, attrs }))
        }
        Event::End(TagEnd::Heading(level)) => Some(Event::End(TagEnd::Heading(shift(level, first_heading)))),
        Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
            let safe = safe_url(&dest_url);
            kept.push(safe.is_some());
            // A refused link keeps its text: the words stay, the dangerous target goes.
            safe.map(|url| Event::Start(Tag::Link { link_type, dest_url: CowStr::from(url), title, id }))
        }
        Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
            let safe = safe_url(&dest_url);
            kept.push(safe.is_some());
            // A refused image shows its alt text, which pulldown-cmark emits as the inner text.
            safe.map(|url| Event::Start(Tag::Image { link_type, dest_url: CowStr::from(url), title, id }))
        }
        Event::End(end @ (TagEnd::Link | TagEnd::Image)) => kept.pop().unwrap_or(false).then_some(Event::End(end)),
        other => Some(other),
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

/// Plain text of the Markdown, for a list entry when the release has no summary.
pub fn to_plain_text(markdown: &str) -> String {
    let mut out = String::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => {
                out.push(' ')
            }
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn shift(level: HeadingLevel, first: u8) -> HeadingLevel {
    let n = (level as u8).saturating_add(first.saturating_sub(1)).clamp(1, 6);
    HeadingLevel::try_from(usize::from(n)).unwrap_or(HeadingLevel::H6)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_commonmark_blocks() {
        let html = to_html("Para *em* **strong**\n\n> \"Quoted,\" said the AG.\n\n- Maine\n- Iowa\n\n1. one\n\n| County | Amount |\n|---|---|\n| Kent | $5 |\n\n[letter](https://ag.example.gov/l.pdf)", 2);
        for part in [
            "<p>Para <em>em</em> <strong>strong</strong></p>",
            "<blockquote>\n<p>\"Quoted,\" said the AG.</p>",
            "<ul>\n<li>Maine</li>",
            "<ol>",
            "<table>",
            "<td>Kent</td>",
            r#"<a href="https://ag.example.gov/l.pdf">letter</a>"#,
        ] {
            assert!(html.contains(part), "{part} missing in {html}");
        }
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        let html = to_html("<script>alert(1)</script>\n\nHi <img src=x onerror=alert(1)> there", 2);
        assert!(!html.contains("<script") && !html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{html}");
        assert!(html.contains("Hi &lt;img src=x onerror=alert(1)&gt; there"), "{html}");
    }

    #[test]
    fn dangerous_links_and_images_lose_their_target_but_keep_their_words() {
        let html = to_html("[click](javascript:alert(1)) and ![chart](data:image/svg+xml,x) and [ok](/a)", 2);
        assert!(!html.contains("javascript") && !html.contains("data:"), "{html}");
        assert!(html.contains("click and chart and <a href=\"/a\">ok</a>"), "{html}");
    }

    #[test]
    fn entity_encoded_schemes_are_refused_too() {
        let html = to_html("[x](&#106;avascript:alert(1)) [y](java&#x09;script:alert(1))", 2);
        assert!(!html.contains("href"), "{html}");
    }

    #[test]
    fn headings_sit_below_the_title() {
        assert!(to_html("# Top\n\n### Deep", 2).contains("<h2>Top</h2>\n<h4>Deep</h4>"));
        assert!(to_html("###### Six", 3).contains("<h6>Six</h6>"));
    }

    #[test]
    fn plain_text_drops_markup() {
        assert_eq!(
            to_plain_text("# Title\n\nSome *em* text\nand [a link](/x).\n\n- one"),
            "Title Some em text and a link. one"
        );
    }
}
