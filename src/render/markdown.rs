//! Release bodies in CommonMark, rendered to HTML with pulldown-cmark: tables, strikethrough and
//! typographic punctuation (`---` is an em dash, quotes curl, as press offices print them), with
//! headings moved below the release title so the page keeps one outline. Raw HTML (an agency's
//! pasted table) stays HTML: the result goes through the same cleaner as HTML bodies
//! ([`crate::text::clean::clean`], which `render` applies), which also checks every URL and resolves
//! relative ones against the feed's address.

use pulldown_cmark::{html, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_SMART_PUNCTUATION
}

/// Renders `markdown` with its top heading level at `first_heading` (2–6; deeper ones clamp at 6).
/// Not safe to show until cleaned: raw HTML and link targets are passed on as written.
pub fn to_html(markdown: &str, first_heading: u8) -> String {
    let events = Parser::new_ext(markdown, options()).map(|event| match event {
        Event::Start(Tag::Heading { level, id, classes, attrs }) => {
            Event::Start(Tag::Heading { level: shift(level, first_heading), id, classes, attrs })
        }
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(shift(level, first_heading))),
        other => other,
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

/// Plain text of the Markdown, for a list entry when the release has no summary.
pub fn to_plain_text(markdown: &str) -> String {
    let mut out = String::new();
    // Raw HTML comes in pieces (a block line by line); its text is read whole, as the cleaner
    // reads the rendered body, so a script block's lines stay hidden and a pasted table's show.
    let mut html = String::new();
    for event in Parser::new_ext(markdown, options()) {
        if let Event::Html(piece) | Event::InlineHtml(piece) = &event {
            html.push_str(piece);
            continue;
        }
        if !html.is_empty() {
            out.push(' ');
            out.push_str(&crate::text::clean::plain_text(&html));
            out.push(' ');
            html.clear();
        }
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::TableRow
                | TagEnd::TableHead
                | TagEnd::CodeBlock
                | TagEnd::BlockQuote(_),
            ) => out.push(' '),
            _ => {}
        }
    }
    if !html.is_empty() {
        out.push(' ');
        out.push_str(&crate::text::clean::plain_text(&html));
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
    use crate::text::clean::clean;

    const FEED: &str = "https://ag.example.gov/news/feed.json";

    /// What the reader gets: rendered, then cleaned against the feed's address.
    fn shown(markdown: &str) -> String {
        clean(&to_html(markdown, 2), FEED, 1)
    }

    #[test]
    fn renders_commonmark_blocks() {
        let html = shown("Para *em* **strong**\n\n> Quoted, said the AG.\n\n- Maine\n- Iowa\n\n1. one\n\n| County | Amount |\n|---|---|\n| Kent | $5 |\n\n[letter](https://ag.example.gov/l.pdf) ~~old~~");
        for part in [
            "<p>Para <em>em</em> <strong>strong</strong></p>",
            "<blockquote>\n<p>Quoted, said the AG.</p>",
            "<ul>\n<li>Maine</li>",
            "<ol>",
            "<table>",
            "<td>Kent</td>",
            r#"<a href="https://ag.example.gov/l.pdf">letter</a>"#,
            "<del>old</del>",
        ] {
            assert!(html.contains(part), "{part} missing in {html}");
        }
    }

    #[test]
    fn punctuation_is_typographic() {
        assert_eq!(
            shown("officials---locally -- and \"quoted\" and the AG's letter..."),
            "<p>officials\u{2014}locally \u{2013} and \u{201c}quoted\u{201d} and the AG\u{2019}s letter\u{2026}</p>\n"
        );
        assert_eq!(to_plain_text("\"Now\"---said"), "\u{201c}Now\u{201d}\u{2014}said");
    }

    #[test]
    fn relative_links_and_images_resolve_against_the_feed() {
        let html = shown("[report](reports/2025.pdf) ![Seal](/img/seal.png \"The seal\")");
        assert!(html.contains(r#"<a href="https://ag.example.gov/news/reports/2025.pdf">report</a>"#), "{html}");
        assert!(
            html.contains(
                r#"<img src="https://ag.example.gov/img/seal.png" alt="Seal" title="The seal" loading="lazy">"#
            ),
            "{html}"
        );
    }

    #[test]
    fn raw_html_goes_through_the_cleaner() {
        let html = shown("Before.\n\n<table class=\"x\"><tr><td onclick=\"x()\">Kent &amp; Sussex</td></tr></table>\n\nHi <b>bold</b> <img src=x onerror=alert(1)> <script>alert(1)</script> there");
        assert!(html.contains("<table><tr><td>Kent &amp; Sussex</td></tr></table>"), "{html}");
        assert!(
            html.contains("Hi <b>bold</b> <img src=\"https://ag.example.gov/news/x\" loading=\"lazy\">  there"),
            "{html}"
        );
        assert!(!html.contains("script") && !html.contains("onerror") && !html.contains("onclick"), "{html}");
        assert_eq!(to_plain_text("<table><tr><td>Kent</td></tr></table>\n\nText"), "Kent Text");
    }

    #[test]
    fn dangerous_links_and_images_lose_their_target_but_keep_their_words() {
        let html = shown("[click](javascript:alert(1)) and ![chart](data:image/svg+xml,x) and [ok](/a)");
        assert!(!html.contains("javascript") && !html.contains("data:"), "{html}");
        assert!(
            html.contains(
                "<a>click</a> and <img alt=\"chart\" loading=\"lazy\"> and <a href=\"https://ag.example.gov/a\">ok</a>"
            ),
            "{html}"
        );
    }

    #[test]
    fn entity_encoded_schemes_are_refused_too() {
        let html = shown("[x](&#106;avascript:alert(1)) [y](java&#x09;script:alert(1))");
        // pulldown-cmark writes the tab as `%09`, which makes the second a harmless relative path.
        assert_eq!(
            html, "<p><a>x</a> <a href=\"https://ag.example.gov/news/java%09script:alert(1)\">y</a></p>\n",
            "{html}"
        );
    }

    #[test]
    fn headings_sit_below_the_title() {
        assert!(shown("# Top\n\n### Deep").contains("<h2>Top</h2>\n<h4>Deep</h4>"));
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
