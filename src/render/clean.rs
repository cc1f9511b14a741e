//! HTML from feeds (JSON Feed `content_html`, WordPress `content.rendered`) made safe for the
//! page. Nothing of the input is passed through: it is read into tags, attributes and text, and
//! only allowed elements and attributes are written out again, every value escaped, every URL
//! checked. Whatever the input, the output is well-formed markup of the allowed elements.

use super::entities::decode;
use super::escape::{push, Esc};
use crate::url::{resolve, safe_url};

/// Elements that are kept (their attributes are filtered).
const ALLOWED: [&str; 44] = [
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "dd",
    "del",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
];
/// Table rows and time are allowed too; kept apart only to keep the list above readable.
const ALSO_ALLOWED: [&str; 4] = ["tr", "time", "u", "ul"];
/// Elements dropped together with everything inside them.
const DROPPED_WITH_CONTENT: [&str; 15] = [
    "script", "style", "iframe", "object", "noscript", "template", "svg", "math", "textarea", "select", "title", "xmp",
    "noembed", "noframes", "head",
];
const VOID: [&str; 3] = ["br", "hr", "img"];

/// Cleans `html`. Relative URLs resolve against `base` (the feed's address); headings move so the
/// first level is `first_heading`.
pub fn clean(html: &str, base: &str, first_heading: u8) -> String {
    let mut out = String::with_capacity(html.len());
    let mut open: Vec<String> = Vec::new();
    let mut rest = html;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            push(&mut out, format_args!("{}", Esc(&decode(rest))));
            break;
        };
        push(&mut out, format_args!("{}", Esc(&decode(&rest[..lt]))));
        rest = &rest[lt..];
        rest = match Tag::read(rest) {
            Tag::Comment(after) => after,
            Tag::Text => {
                out.push_str("&lt;");
                &rest[1..]
            }
            Tag::End(name, after) => {
                close(&mut out, &mut open, &name, first_heading);
                after
            }
            Tag::Start(tag, after) => {
                if DROPPED_WITH_CONTENT.contains(&tag.name.as_str()) {
                    skip_element(after, &tag.name)
                } else {
                    start(&mut out, &mut open, &tag, base, first_heading);
                    after
                }
            }
        };
    }
    while let Some(name) = open.pop() {
        push(&mut out, format_args!("</{}>", shifted(&name, first_heading)));
    }
    out
}

/// The text of `html` without its markup: character references decoded, scripts and styles
/// dropped, white space collapsed. For titles and excerpts given as HTML, and for searching.
pub fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        rest = &rest[lt..];
        rest = match Tag::read(rest) {
            Tag::Comment(after) | Tag::End(_, after) => {
                out.push(' ');
                after
            }
            Tag::Text => {
                out.push('<');
                &rest[1..]
            }
            Tag::Start(tag, after) if DROPPED_WITH_CONTENT.contains(&tag.name.as_str()) => {
                skip_element(after, &tag.name)
            }
            Tag::Start(_, after) => {
                out.push(' ');
                after
            }
        };
    }
    out.push_str(rest);
    decode(&out).split_whitespace().collect::<Vec<_>>().join(" ")
}

fn allowed(name: &str) -> bool {
    ALLOWED.contains(&name) || ALSO_ALLOWED.contains(&name)
}

fn start(out: &mut String, open: &mut Vec<String>, tag: &StartTag, base: &str, first_heading: u8) {
    if !allowed(&tag.name) {
        return; // the element goes, its text stays
    }
    let name = shifted(&tag.name, first_heading);
    push(out, format_args!("<{name}"));
    for (attr, value) in &tag.attrs {
        let keep = match (tag.name.as_str(), attr.as_str()) {
            ("a", "href") => url(value, base, true),
            ("img", "src") => url(value, base, false),
            ("img", "alt" | "width" | "height") | ("a" | "abbr" | "img", "title") => Some(value.clone()),
            ("td" | "th", "colspan" | "rowspan" | "scope") | ("ol", "start" | "reversed") | ("time", "datetime") => {
                Some(value.clone())
            }
            _ => None,
        };
        if let Some(v) = keep {
            push(out, format_args!(r#" {attr}="{}""#, Esc(&v)));
        }
    }
    if tag.name == "img" {
        out.push_str(r#" loading="lazy""#);
    }
    out.push('>');
    if !VOID.contains(&tag.name.as_str()) && !tag.self_closing {
        open.push(tag.name.clone());
    } else if tag.self_closing && !VOID.contains(&tag.name.as_str()) {
        push(out, format_args!("</{name}>"));
    }
}

/// Closes `name` if it is open, with anything opened inside it; a stray end tag is dropped, so
/// feed markup can never close the widget's own elements.
fn close(out: &mut String, open: &mut Vec<String>, name: &str, first_heading: u8) {
    let Some(at) = open.iter().rposition(|n| n == name) else { return };
    for n in open.drain(at..).rev() {
        push(out, format_args!("</{}>", shifted(&n, first_heading)));
    }
}

/// Links may use mailto: and tel:; images only web addresses.
fn url(value: &str, base: &str, link: bool) -> Option<String> {
    let checked = safe_url(value)?;
    let absolute = resolve(base, &checked);
    let web = absolute.starts_with("http://") || absolute.starts_with("https://") || absolute.starts_with('/');
    (link || web).then_some(absolute)
}

/// `h1`…`h6` moved down so the release's own title stays the top heading.
fn shifted(name: &str, first_heading: u8) -> String {
    match name.strip_prefix('h').and_then(|n| n.parse::<u8>().ok()).filter(|n| (1..=6).contains(n)) {
        Some(level) => format!("h{}", (level + first_heading.saturating_sub(1)).min(6)),
        None => name.to_string(),
    }
}

/// Skips to after `</name` … `>` (case-insensitive), or to the end.
fn skip_element<'a>(rest: &'a str, name: &str) -> &'a str {
    let lower = rest.to_ascii_lowercase();
    let end_tag = format!("</{name}");
    match lower.find(&end_tag) {
        Some(i) => {
            let after = &rest[i + end_tag.len()..];
            after.find('>').map_or("", |j| &after[j + 1..])
        }
        None => "",
    }
}

struct StartTag {
    name: String,
    attrs: Vec<(String, String)>,
    self_closing: bool,
}

enum Tag<'a> {
    Start(StartTag, &'a str),
    End(String, &'a str),
    /// A comment, doctype or processing instruction: dropped.
    Comment(&'a str),
    /// A `<` that starts no tag: it is text.
    Text,
}

impl<'a> Tag<'a> {
    /// Reads the tag at the start of `s` (which starts with `<`), the way browsers tokenise it.
    fn read(s: &'a str) -> Tag<'a> {
        let body = &s[1..];
        if let Some(after) = body.strip_prefix("!--") {
            return Tag::Comment(after.find("-->").map_or("", |i| &after[i + 3..]));
        }
        if body.starts_with(['!', '?']) {
            return Tag::Comment(body.find('>').map_or("", |i| &body[i + 1..]));
        }
        let (is_end, body) = match body.strip_prefix('/') {
            Some(b) => (true, b),
            None => (false, body),
        };
        if !body.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return Tag::Text;
        }
        let name_len = body.find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>').unwrap_or(body.len());
        let name = body[..name_len].to_ascii_lowercase();
        let mut rest = &body[name_len..];
        if is_end {
            return Tag::End(name, rest.find('>').map_or("", |i| &rest[i + 1..]));
        }
        let mut attrs = Vec::new();
        let mut self_closing = false;
        loop {
            rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace());
            match rest.chars().next() {
                None => break,
                Some('>') => {
                    rest = &rest[1..];
                    break;
                }
                Some('/') => {
                    self_closing = rest[1..].starts_with('>');
                    rest = &rest[1..];
                    continue;
                }
                Some(_) => {}
            }
            let end =
                rest.find(|c: char| c.is_ascii_whitespace() || matches!(c, '=' | '>' | '/')).unwrap_or(rest.len());
            // A name that starts with `=` is taken whole, as browsers do.
            let end = if end == 0 {
                rest[1..].find(|c: char| c.is_ascii_whitespace() || c == '>').map_or(rest.len(), |e| e + 1)
            } else {
                end
            };
            let attr = rest[..end].to_ascii_lowercase();
            rest = rest[end..].trim_start_matches(|c: char| c.is_ascii_whitespace());
            let mut value = String::new();
            if let Some(after) = rest.strip_prefix('=') {
                let after = after.trim_start_matches(|c: char| c.is_ascii_whitespace());
                let (raw, next) = match after.chars().next() {
                    Some(q @ ('"' | '\'')) => match after[1..].find(q) {
                        Some(i) => (&after[1..1 + i], &after[i + 2..]),
                        None => (&after[1..], ""),
                    },
                    _ => {
                        let e = after.find(|c: char| c.is_ascii_whitespace() || c == '>').unwrap_or(after.len());
                        (&after[..e], &after[e..])
                    }
                };
                value = decode(raw);
                rest = next;
            }
            if !attrs.iter().any(|(a, _): &(String, String)| *a == attr) {
                attrs.push((attr, value));
            }
        }
        Tag::Start(StartTag { name, attrs, self_closing }, rest)
    }
}

#[cfg(test)]
mod tests {
    use super::clean;

    fn c(html: &str) -> String {
        clean(html, "https://agency.example.gov/feed/", 2)
    }

    #[test]
    fn keeps_structure_and_safe_links() {
        assert_eq!(
            c(
                r#"<p class="x" style="color:red">A <a href="/news/1" onclick="evil()">link</a> &amp; <strong>more</strong></p>"#
            ),
            r#"<p>A <a href="https://agency.example.gov/news/1">link</a> &amp; <strong>more</strong></p>"#
        );
        assert_eq!(
            c(r#"<img src="pic.jpg" alt="A &quot;pic&quot;" onerror="x()">"#),
            r#"<img src="https://agency.example.gov/feed/pic.jpg" alt="A &quot;pic&quot;" loading="lazy">"#
        );
        assert_eq!(c("<h1>Top</h1><h3>Sub</h3>"), "<h2>Top</h2><h4>Sub</h4>");
        assert_eq!(
            c(r#"<a href="mailto:press@agency.example.gov">Mail</a>"#),
            r#"<a href="mailto:press@agency.example.gov">Mail</a>"#
        );
    }

    #[test]
    fn drops_scripts_styles_frames_forms_and_their_content() {
        for (input, want) in [
            ("<script>alert(1)</script>ok", "ok"),
            ("<SCRIPT src=x></SCRIPT >ok", "ok"),
            ("<style>p{}</style><iframe src=x>inner</iframe>ok", "ok"),
            ("<svg><script>alert(1)</script></svg>ok", "ok"),
            ("<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>ok", "ok"),
            ("<form action=x><input value=y>text</form>", "text"),
            ("<meta http-equiv=refresh content=0><base href=//evil>ok", "ok"),
            ("<!-- <script>alert(1)</script> -->ok", "ok"),
            ("<object data=x></object><embed src=x>ok", "ok"),
        ] {
            assert_eq!(c(input), want, "{input}");
        }
    }

    #[test]
    fn refuses_script_urls_however_written() {
        for input in [
            r#"<a href="javascript:alert(1)">x</a>"#,
            r#"<a href="JaVaScRiPt:alert(1)">x</a>"#,
            r#"<a href="&#106;avascript:alert(1)">x</a>"#,
            r#"<a href="java&#x09;script:alert(1)">x</a>"#,
            r#"<a href=" &#14; javascript:alert(1)">x</a>"#,
            r#"<a href='vbscript:msgbox(1)'>x</a>"#,
            r#"<a href=data:text/html,<script>alert(1)</script>>x</a>"#,
            r#"<img src="javascript:alert(1)">"#,
            r#"<img src="data:image/svg+xml,<svg onload=alert(1)>">"#,
            r#"<img src=x:alert(1) onerror=eval(src)>"#,
        ] {
            let out = c(input);
            assert!(
                !out.to_lowercase().contains("script:") && !out.contains("data:") && !out.contains("onerror"),
                "{input} → {out}"
            );
        }
    }

    #[test]
    fn malformed_markup_stays_inside_the_body() {
        assert_eq!(c("<p>open <em>never closed"), "<p>open <em>never closed</em></p>");
        assert_eq!(c("</div></article>text</p>"), "text", "stray end tags cannot close the widget's elements");
        assert_eq!(
            c("a < b and <3 and <<img src=x onerror=alert(1)//"),
            r#"a &lt; b and &lt;3 and &lt;<img src="https://agency.example.gov/feed/x" loading="lazy">"#
        );
        assert_eq!(c("<p title=\"x\" title=\"y\">t</p>"), "<p>t</p>");
        // Browsers read this as one src value "x/onerror=alert(1)": a harmless address, no handler.
        assert_eq!(
            c("<img/src=x/onerror=alert(1)>"),
            r#"<img src="https://agency.example.gov/feed/x/onerror=alert(1)" loading="lazy">"#
        );
    }
}
