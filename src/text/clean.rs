//! HTML from feeds (JSON Feed `content_html`, WordPress `content.rendered`) made safe for the
//! page. Nothing of the input is passed through: it is read into tags, attributes and text, and
//! only allowed elements and attributes are written out again, every value escaped, every URL
//! checked. Whatever the input, the output is well-formed markup of the allowed elements.
//!
//! Where an element, a comment or a raw-text element ends is decided by the browser's rules
//! ([`super::tokenizer`], and the tree rules below for SVG and MathML), so the text a browser
//! would show is kept: content after a self-closing `<svg/>`, a `<!-->` or an `<xmp>` is not
//! lost. Elements whose text a browser does not show (`script`, `style`, `title`, `iframe`…)
//! are dropped with it, also when they never close, as in a browser.

use super::entities::decode;
use super::escape::{push, Esc};
use super::tokenizer::{StartTag, Token, Tokenizer};
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
/// Raw-text and RCDATA elements whose text browsers do not show (a page with scripts on reads
/// `noscript` as raw text too): dropped with their text.
const HIDDEN_TEXT: [&str; 6] = ["style", "iframe", "noembed", "noframes", "noscript", "title"];
/// Elements whose content is markup that the page must not show: dropped with it.
const HIDDEN_CONTENT: [&str; 2] = ["template", "select"];
const VOID: [&str; 3] = ["br", "hr", "img"];
/// HTML elements without content, which the tree rules never leave open.
const HTML_VOID: [&str; 14] =
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"];
/// HTML start tags that end SVG or MathML content (the tree rules for foreign content).
const BREAKS_OUT: &str =
    "b big blockquote body br center code dd div dl dt em embed h1 h2 h3 h4 h5 h6 head hr i img li \
    listing menu meta nobr ol p pre ruby s small span strong strike sub sup table tt u ul var";
/// The deepest nesting kept open; browsers' parsers stop nesting at about this depth too. It
/// bounds the work each end tag can cost, so cleaning stays linear.
const MAX_DEPTH: usize = 512;

/// Cleans `html`. Relative URLs resolve against `base` (the feed's address); headings move so the
/// first level is `first_heading`.
pub fn clean(html: &str, base: &str, first_heading: u8) -> String {
    let mut cleaner = Cleaner { out: String::with_capacity(html.len()), open: Vec::new(), base, first_heading };
    walk(html, &mut cleaner);
    while let Some(name) = cleaner.open.pop() {
        push(&mut cleaner.out, format_args!("</{}>", shifted(name, first_heading)));
    }
    cleaner.out
}

/// The text of `html` without its markup: character references decoded, what a browser would
/// not show dropped, white space collapsed. For titles and excerpts given as HTML, and for
/// searching.
pub fn plain_text(html: &str) -> String {
    let mut text = PlainText(String::with_capacity(html.len()));
    walk(html, &mut text);
    text.0.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What the walk over a document hands on: only what a browser would show.
trait Sink {
    fn text(&mut self, text: &str);
    fn start(&mut self, tag: &StartTag);
    fn end(&mut self, name: &str);
}

struct PlainText(String);

impl Sink for PlainText {
    fn text(&mut self, text: &str) {
        self.0.push_str(text);
    }
    fn start(&mut self, _: &StartTag) {
        self.0.push(' ');
    }
    fn end(&mut self, _: &str) {
        self.0.push(' ');
    }
}

struct Cleaner<'a> {
    out: String,
    /// Allowed elements open now, outermost first.
    open: Vec<&'static str>,
    base: &'a str,
    first_heading: u8,
}

impl Sink for Cleaner<'_> {
    fn text(&mut self, text: &str) {
        push(&mut self.out, format_args!("{}", Esc(text)));
    }

    fn start(&mut self, tag: &StartTag) {
        let Some(name) = ALLOWED.iter().chain(&ALSO_ALLOWED).find(|n| **n == tag.name).copied() else {
            return; // the element goes, its text stays
        };
        let void = VOID.contains(&name);
        if !void && self.open.len() >= MAX_DEPTH {
            return;
        }
        let shown = shifted(name, self.first_heading);
        push(&mut self.out, format_args!("<{shown}"));
        for (attr, value) in &tag.attrs {
            let keep = match (name, attr.as_str()) {
                ("a", "href") => url(value, self.base, true),
                ("img", "src") => url(value, self.base, false),
                ("img", "alt" | "width" | "height") | ("a" | "abbr" | "img", "title") => Some(value.clone()),
                ("td" | "th", "colspan" | "rowspan" | "scope")
                | ("ol", "start" | "reversed")
                | ("time", "datetime") => Some(value.clone()),
                _ => None,
            };
            if let Some(v) = keep {
                push(&mut self.out, format_args!(r#" {attr}="{}""#, Esc(&v)));
            }
        }
        if name == "img" {
            self.out.push_str(r#" loading="lazy""#);
        }
        self.out.push('>');
        match (void, tag.self_closing) {
            (true, _) => {}
            // `<b/>` in a feed is written out closed, as authors who write it mean.
            (false, true) => push(&mut self.out, format_args!("</{shown}>")),
            (false, false) => self.open.push(name),
        }
    }

    /// Closes `name` if it is open, with anything opened inside it; a stray end tag is dropped,
    /// so feed markup can never close the widget's own elements.
    fn end(&mut self, name: &str) {
        let Some(at) = self.open.iter().rposition(|n| *n == name) else { return };
        for n in self.open.drain(at..).rev() {
            push(&mut self.out, format_args!("</{}>", shifted(n, self.first_heading)));
        }
    }
}

/// Where an element open inside dropped content belongs, which decides how the tags after it
/// are read.
#[derive(Clone, Copy, PartialEq)]
enum Space {
    Html,
    Svg,
    MathMl,
}

/// Elements open inside content that is not shown (`svg`, `math`, `template`, `select`), so
/// that it ends where a browser ends it.
#[derive(Default)]
struct Hidden(Vec<(String, Space)>);

impl Hidden {
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn push(&mut self, name: &str, space: Space) {
        if self.0.len() < MAX_DEPTH {
            self.0.push((name.to_string(), space));
        }
    }

    /// Whether the next start tag is read by the rules for SVG and MathML, where `<b>` or `<p>`
    /// ends them; inside `foreignObject` or `mtext` the HTML rules apply again.
    fn foreign_for(&self, tag: &str) -> bool {
        match self.0.last() {
            None | Some((_, Space::Html)) => false,
            Some((name, Space::Svg)) => !matches!(name.as_str(), "foreignobject" | "desc" | "title"),
            Some((name, Space::MathMl)) => {
                !matches!(name.as_str(), "mi" | "mo" | "mn" | "ms" | "mtext") || matches!(tag, "mglyph" | "malignmark")
            }
        }
    }

    /// Inside SVG or MathML, where `<![CDATA[` starts text.
    fn foreign(&self) -> bool {
        self.0.last().is_some_and(|(_, space)| *space != Space::Html)
    }

    /// Leaves SVG and MathML content for the HTML element around it (or the page).
    fn break_out(&mut self) {
        while self.foreign_for("") {
            self.0.pop();
        }
    }

    /// Reads an end tag inside hidden content; true when it belongs to what is shown after all.
    fn end(&mut self, name: &str) -> bool {
        if self.foreign() && matches!(name, "br" | "p") {
            self.break_out();
        }
        if self.is_empty() {
            return true;
        }
        if let Some(at) = self.0.iter().rposition(|(n, _)| n == name) {
            self.0.truncate(at);
        }
        false
    }
}

/// Reads `html` token by token and hands what a browser would show to `sink`.
fn walk(html: &str, sink: &mut impl Sink) {
    let mut tokens = Tokenizer::new(html);
    let mut hidden = Hidden::default();
    while let Some(token) = tokens.next(hidden.foreign()) {
        match token {
            Token::Nothing => {}
            Token::Text(text) if hidden.is_empty() => sink.text(&decode(text)),
            Token::Text(_) => {}
            Token::End(name) => {
                if hidden.end(&name) {
                    sink.end(&name);
                }
            }
            Token::Start(tag) => start(tag, &mut tokens, &mut hidden, sink),
        }
    }
}

fn start(mut tag: StartTag, tokens: &mut Tokenizer, hidden: &mut Hidden, sink: &mut impl Sink) {
    if hidden.foreign_for(&tag.name) {
        let font_out =
            tag.name == "font" && tag.attrs.iter().any(|(a, _)| matches!(a.as_str(), "color" | "face" | "size"));
        if !(BREAKS_OUT.split_whitespace().any(|n| n == tag.name) || font_out) {
            // An SVG or MathML element; `<path/>` there is closed at once.
            let space = match tag.name.as_str() {
                "svg" => Space::Svg,
                "math" => Space::MathMl,
                _ => hidden.0.last().map_or(Space::Html, |(_, space)| *space),
            };
            if !tag.self_closing {
                hidden.push(&tag.name, space);
            }
            return;
        }
        hidden.break_out();
    }
    if tag.name == "image" {
        tag.name = "img".into(); // as the HTML rules rename it
    }
    let shown = hidden.is_empty();
    let name = tag.name.as_str();
    // Text browsers show as written, in a box of its own.
    let literal = match name {
        "script" => {
            tokens.script_text();
            return;
        }
        _ if HIDDEN_TEXT.contains(&name) => {
            tokens.raw_text(name);
            return;
        }
        "xmp" => tokens.raw_text(name).to_string(),
        "plaintext" => tokens.rest().to_string(),
        "textarea" => decode(tokens.raw_text(name)),
        // Foreign elements closed by `/>` (the HTML rules honour it only there).
        "svg" | "math" if tag.self_closing => return,
        "svg" => return hidden.push(name, Space::Svg),
        "math" => return hidden.push(name, Space::MathMl),
        _ if HIDDEN_CONTENT.contains(&name) => return hidden.push(name, Space::Html),
        // The HTML rules ignore these inside a body.
        "html" | "head" | "body" => return,
        _ if !shown => {
            if !HTML_VOID.contains(&name) {
                hidden.push(name, Space::Html);
            }
            return;
        }
        _ => return sink.start(&tag),
    };
    if shown && !literal.is_empty() {
        let pre = StartTag { name: "pre".into(), attrs: Vec::new(), self_closing: false };
        sink.start(&pre);
        sink.text(&literal);
        sink.end("pre");
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

#[cfg(test)]
mod tests {
    use super::{clean, plain_text};

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
            c("a < b and <3 and <<img src=x onerror=alert(1)//>"),
            r#"a &lt; b and &lt;3 and &lt;<img src="https://agency.example.gov/feed/x" loading="lazy">"#
        );
        assert_eq!(c("a <img src=x onerror=alert(1)//"), "a ", "a tag the body ends inside is dropped, as browsers do");
        assert_eq!(c("<p title=\"x\" title=\"y\">t</p>"), "<p>t</p>");
        // Browsers read this as one src value "x/onerror=alert(1)": a harmless address, no handler.
        assert_eq!(
            c("<img/src=x/onerror=alert(1)>"),
            r#"<img src="https://agency.example.gov/feed/x/onerror=alert(1)" loading="lazy">"#
        );
    }

    /// Each case as a browser shows it (checked against Chromium's parser in
    /// tests/e2e/bodies.test.mjs).
    #[test]
    fn nothing_after_foreign_elements_comments_or_raw_text_is_lost() {
        for (input, want) in [
            ("<p>a<svg/>b</p><p>c</p>", "<p>ab</p><p>c</p>"),
            ("<p>a<math/>b</p>", "<p>ab</p>"),
            ("<svg><circle r=1 /><text>drawn</text></svg>after", "after"),
            ("<svg><![CDATA[</svg>]]></svg>after", "after"),
            ("<svg><g><p>breaks out</p>", "<p>breaks out</p>"),
            ("<math><mi>x</mi><b>bold</b></math> after", "<b>bold</b> after"),
            ("<svg><style></svg>after", "after"),
            ("a<!-->b<!--->c<!---->d<!-- x --!>e<!-- y ---->f", "abcdef"),
            ("a<?xml x?>b<!x>c</ x>d</>e<!DOCTYPE html>f", "abcdef"),
            ("a<xmp><b>&amp;</b></xmp>b", "a<pre>&lt;b&gt;&amp;amp;&lt;/b&gt;</pre>b"),
            ("a<xmp>never <i>closed", "a<pre>never &lt;i&gt;closed</pre>"),
            ("a<textarea>x &amp; <b>y</b></textarea>b", "a<pre>x &amp; &lt;b&gt;y&lt;/b&gt;</pre>b"),
            ("a<plaintext></plaintext><b>", "a<pre>&lt;/plaintext&gt;&lt;b&gt;</pre>"),
            ("<head><p>x</p></head>y", "<p>x</p>y"),
            ("<template><p>inert</p><template></template>still</template>shown", "shown"),
            ("<p>a<image src=/i.png>", r#"<p>a<img src="https://agency.example.gov/i.png" loading="lazy"></p>"#),
            ("<p title=\"a>b\">t</p title='>'>u", "<p>t</p>u"),
            ("<p>cut <a href=\"/x", "<p>cut </p>"),
        ] {
            assert_eq!(c(input), want, "{input}");
        }
    }

    /// A browser shows nothing of these once they open, to their end tag or the end of the body.
    #[test]
    fn raw_text_a_browser_does_not_show_stays_hidden() {
        for name in ["script", "style", "iframe", "noembed", "noframes", "noscript", "title"] {
            assert_eq!(c(&format!("<p>a</p><{name}>b</{name}>c")), "<p>a</p>c", "{name} closed");
            assert_eq!(c(&format!("<p>a</p><{name}>b<p>c</p>")), "<p>a</p>", "{name} never closed");
            assert_eq!(c(&format!("<{name}>b</{name}x></{name}\n>c")), "c", "{name}: only its own end tag ends it");
        }
        assert_eq!(c("<script><!--<script></script>still script--></script>after"), "after");
    }

    #[test]
    fn named_and_numeric_references_decode_in_text_and_attributes() {
        assert_eq!(
            c("<p>Caf&eacute; &uuml; &iquest;&euro;5 &frac12; &#150; &#147;x&#148; &copy 2025</p>"),
            "<p>Caf\u{e9} \u{fc} \u{bf}\u{20ac}5 \u{bd} \u{2013} \u{201c}x\u{201d} \u{a9} 2025</p>"
        );
        assert_eq!(
            c(r#"<a href="/s?a=1&copy=2&amp;b=&eacute;">x</a>"#),
            "<a href=\"https://agency.example.gov/s?a=1&amp;copy=2&amp;b=\u{e9}\">x</a>"
        );
        assert_eq!(plain_text("Sant&iacute;simo &ndash; a&lt;b <script>x</script>"), "Sant\u{ed}simo \u{2013} a<b");
    }

    /// 1 MB with thousands of dropped elements, unclosed and stray tags: a cleaner that looked
    /// back or lowercased the rest of the body for each of them would not finish.
    #[test]
    fn long_bodies_clean_in_linear_time() {
        let unit = "<SCRIPT>x()</SCRIPT><p>Kept <style>p{}</style>text &amp; more</p><iframe src=x></iframe><!-- c -->";
        let body = unit.repeat(1_000_000 / unit.len());
        let out = c(&body);
        assert_eq!(out.matches("<p>Kept text &amp; more</p>").count(), 1_000_000 / unit.len());
        let deep = format!("{}{}", "<b><span>".repeat(50_000), "</i></em>".repeat(50_000));
        let out = c(&deep);
        assert!(out.starts_with("<b><span><b>") && out.ends_with("</span></b>"), "{}", &out[..40]);
        let svgs = "<svg><g><text>x</text></g></svg><p>y</p>".repeat(20_000);
        assert_eq!(c(&svgs).matches("<p>y</p>").count(), 20_000);
    }
}
