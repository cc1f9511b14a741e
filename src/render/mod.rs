//! The widget's views as HTML strings. Pure: no browser calls, so `cargo test` checks every byte.
//! Every value from a feed goes through [`Esc`] or the Markdown renderer.

mod filters;
mod icons;
mod layouts;
#[cfg(feature = "bodies")]
pub mod markdown;
pub mod share;

use crate::i18n::Labels;
use crate::model::{Body, Date, Release};
use crate::options::Shares;
use crate::text::escape::push;
pub use crate::text::escape::Esc;
pub use filters::{
    facet_counts, facets, highlight, list_view, list_view_with, results, results_parts, ListItem, ListView, Results,
    ResultsList,
};
pub use layouts::{active_badge, active_filters, count_text, shown_state};
use share::Network;

/// The widget's stylesheet (src/style.css, minified by build.rs): adopted by each shadow root,
/// and served by the archive command beside the release pages, which use it too.
pub const STYLESHEET: &str = include_str!(concat!(env!("OUT_DIR"), "/style.css"));

/// What the views need from their surroundings; the DOM layer fills it from the browser.
pub struct Context<'a> {
    pub labels: &'static Labels,
    /// Level of the release titles (2 by default); sub-headings use the next level.
    pub heading_level: u8,
    pub section_label: &'a str,
    /// Formats a date for the reader (`Intl` in the browser, English in tests).
    pub format_date: &'a dyn Fn(&Date) -> String,
    /// The href that opens a release (`Some(id)`) or returns to the list (`None`).
    pub link: &'a dyn Fn(Option<&str>) -> String,
    /// The absolute URL readers share for a release.
    pub share_url: &'a dyn Fn(&Release) -> String,
    /// The feed's address: relative URLs in HTML bodies resolve against it.
    pub base: &'a str,
    /// Whether `navigator.share` exists, so the native share button is offered.
    pub native_share: bool,
    /// Which Share this controls the page asked for.
    pub shares: Shares,
    /// False when the element shows one fixed release: then there is no list to go back to.
    pub has_list: bool,
    /// What renders Markdown and HTML bodies: [`body_html`] where this build has it; in the list
    /// view's wasm, the lazily loaded body part, which may not be there yet.
    pub bodies: Bodies,
}

/// What turns Markdown and HTML bodies into safe HTML: `(body, base, first_heading)`.
pub type Bodies = fn(&Body, &str, u8) -> BodyHtml;

/// A release body as HTML, or why it is not shown yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyHtml {
    Ready(String),
    /// The code that renders it is still on its way (the body part).
    Loading,
    /// That code could not be loaded; the reader can try again.
    Failed,
}

impl Context<'_> {
    fn sub_level(&self) -> u8 {
        (self.heading_level + 1).min(6)
    }
}

/// How many words of the body stand in for a missing summary in the list.
const EXCERPT_WORDS: usize = 40;

/// What goes inside one entry's `<li>`, and the `<li>`'s class (none); `mark` escapes and
/// highlights the title and summary.
fn item(out: &mut String, r: &Release, cx: &Context, open_links: bool, mark: &dyn Fn(&str) -> String) -> &'static str {
    let h = cx.heading_level;
    push(
        out,
        format_args!(
            r#"<article class="re-item"><h{h} class="re-item-title" dir="auto">{}</h{h}>"#,
            layouts::title_link(r, cx, open_links, mark)
        ),
    );
    meta(out, r, cx, false);
    if let Some(text) = summary(r) {
        push(out, format_args!(r#"<p class="re-summary" dir="auto">{}</p>"#, mark(&text)));
    }
    tags(out, r, cx);
    out.push_str("</article>");
    ""
}

pub fn detail(r: &Release, cx: &Context) -> String {
    let (h, h2) = (cx.heading_level, cx.sub_level());
    let mut out = String::new();
    out.push_str(r#"<article class="re-release" aria-labelledby="re-title">"#);
    back_link(&mut out, cx);
    push(&mut out, format_args!(r#"<p class="re-section">{}</p>"#, Esc(cx.section_label)));
    push(
        &mut out,
        format_args!(r#"<h{h} class="re-title" id="re-title" tabindex="-1" dir="auto">{}</h{h}>"#, Esc(&r.title)),
    );
    meta(&mut out, r, cx, true);
    if let Some(img) = &r.image {
        push(
            &mut out,
            format_args!(
                r#"<figure class="re-image"><img src="{}" alt="{}" loading="lazy"></figure>"#,
                Esc(&img.url),
                Esc(&img.alt)
            ),
        );
    }
    out.push_str(&body_block(r, cx));
    contacts(&mut out, r, cx, h2);
    related_links(&mut out, r, cx, h2);
    share_this(&mut out, r, cx, h2);
    out.push_str("</article>");
    out
}

/// What a [`notice`] is about, which decides how assistive technology announces it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    Loading,
    /// Nothing to show for a reason the reader can act on (an unknown release).
    Info,
    /// Loading failed; `retry` offers a button to load the feed again.
    Error {
        retry: bool,
    },
}

/// schema.org `NewsArticle` for the release, as JSON for a `<script type="application/ld+json">`,
/// so search engines see what the page shows. `<` is escaped so the text cannot end the script.
/// Written here rather than with serde_json's serializer, which nothing else in the list view's
/// wasm needs (about 5 kB gzip with the map it builds).
pub fn json_ld(r: &Release, publisher: Option<&str>, url: &str) -> String {
    let mut fields: Vec<(&str, String)> = vec![
        ("@context", json_string("https://schema.org")),
        ("@type", json_string("NewsArticle")),
        ("headline", json_string(&r.title)),
        ("url", json_string(url)),
        ("mainEntityOfPage", json_string(url)),
    ];
    if let Some(date) = &r.date {
        fields.insert(3, ("datePublished", json_string(date.machine())));
        fields.insert(4, ("dateModified", json_string(date.machine())));
    }
    let text = |key, value: &Option<String>| value.as_deref().map(|v| (key, json_string(v)));
    fields.extend(text("dateline", &r.dateline));
    fields.extend(text("description", &r.summary));
    fields.extend(r.image.as_ref().map(|image| ("image", json_string(&image.url))));
    let organization =
        |kind: &str, name: &str| format!(r#"{{"@type":{},"name":{}}}"#, json_string(kind), json_string(name));
    if let Some(name) = r.agency.as_deref().or(publisher) {
        fields.push(("publisher", organization("GovernmentOrganization", name)));
    }
    if let Some(author) = &r.author {
        fields.push(("author", organization("Organization", author)));
    }
    let members: Vec<String> = fields.iter().map(|(k, v)| format!("{}:{v}", json_string(k))).collect();
    format!("{{{}}}", members.join(","))
}

/// `s` as a JSON string, with `<` escaped too (the JSON goes inside a script element).
fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '<' => out.push_str("\\u003c"),
            c if u32::from(c) < 0x20 => push(&mut out, format_args!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The release's text in its `re-body` block (empty without body or summary). While the body
/// part is on its way the block is busy with a status line, and if it cannot be loaded it says so
/// with Try again; `data-re-part` marks both, so the DOM layer swaps in the body when it comes.
pub fn body_block(r: &Release, cx: &Context) -> String {
    let html = match (&r.body, &r.summary) {
        (Some(Body::Text(text)), _) => BodyHtml::Ready(text_html(text)),
        (Some(body), _) => (cx.bodies)(body, r.base.as_deref().unwrap_or(cx.base), cx.sub_level()),
        (None, Some(summary)) => BodyHtml::Ready(format!("<p>{}</p>", Esc(summary))),
        (None, None) => return String::new(),
    };
    match html {
        BodyHtml::Ready(html) => format!(r#"<div class="re-body" dir="auto">{html}</div>"#),
        BodyHtml::Loading => format!(
            r#"<div class="re-body" data-re-part="body" aria-busy="true"><p class="re-notice" role="status">{}</p></div>"#,
            Esc(cx.labels.loading_release)
        ),
        BodyHtml::Failed => format!(
            r#"<div class="re-body" data-re-part="body"><div class="re-notice re-error" role="alert"><p>{}</p><p><button type="button" class="re-button" data-re-action="load-part">{}</button></p></div></div>"#,
            Esc(cx.labels.part_failed),
            Esc(cx.labels.retry)
        ),
    }
}

/// A Markdown or HTML body as safe HTML (`first_heading`: the level its top headings take).
#[cfg(feature = "bodies")]
pub fn body_html(body: &Body, base: &str, first_heading: u8) -> BodyHtml {
    BodyHtml::Ready(match body {
        // Headings are moved by the Markdown renderer; the cleaner keeps its levels.
        Body::Markdown(md) => crate::text::clean::clean(&markdown::to_html(md, first_heading), base, 1),
        Body::Html(html) => crate::text::clean::clean(html, base, first_heading),
        Body::Text(text) => text_html(text),
    })
}

/// Plain text as paragraphs at blank lines.
fn text_html(text: &str) -> String {
    let mut out = String::new();
    for para in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        push(&mut out, format_args!("<p>{}</p>", Esc(para)));
    }
    out
}

/// A message in place of the content: loading, an error, an unknown release.
pub fn notice(message: &str, kind: NoticeKind, cx: &Context) -> String {
    let (class, role) = match kind {
        NoticeKind::Loading | NoticeKind::Info => ("re-notice", "status"),
        NoticeKind::Error { .. } => ("re-notice re-error", "alert"),
    };
    let mut out = format!(r#"<div class="{class}" role="{role}"><p>{}</p>"#, Esc(message));
    if kind == (NoticeKind::Error { retry: true }) {
        push(
            &mut out,
            format_args!(
                r#"<p><button type="button" class="re-button" data-re-action="retry">{}</button></p>"#,
                Esc(cx.labels.retry)
            ),
        );
    }
    if kind == NoticeKind::Info {
        back_link(&mut out, cx);
    }
    out.push_str("</div>");
    out
}

fn back_link(out: &mut String, cx: &Context) {
    if cx.has_list {
        push(
            out,
            format_args!(
                r#"<nav class="re-back" aria-label="{0}"><a href="{1}" data-re-list="">{0}</a></nav>"#,
                Esc(cx.labels.all_releases),
                Esc(&(cx.link)(None))
            ),
        );
    }
}

/// The release's `<time>`, or nothing when it is undated.
pub(crate) fn time(r: &Release, cx: &Context) -> String {
    r.date.as_ref().map_or_else(String::new, |date| {
        format!(r#"<time datetime="{}">{}</time>"#, Esc(date.machine()), Esc(&(cx.format_date)(date)))
    })
}

/// Between two parts of the meta line: a spaced middle dot, which screen readers skip or read
/// as "dot", so it is hidden from them and a comma they pause at stands in for it.
const META_SEPARATOR: &str =
    r#"<span class="re-sep"> <span aria-hidden="true">·</span><span class="re-visually-hidden">,</span> </span>"#;

fn meta(out: &mut String, r: &Release, cx: &Context, with_dateline: bool) {
    let mut parts = Vec::with_capacity(4);
    parts.extend(r.date.as_ref().map(|_| time(r, cx)));
    if let Some(dateline) = r.dateline.as_ref().filter(|_| with_dateline) {
        parts.push(format!(r#"<span class="re-dateline">{}</span>"#, Esc(dateline)));
    }
    if let Some(agency) = &r.agency {
        parts.push(format!(r#"<span class="re-agency">{}</span>"#, Esc(agency)));
    }
    if let Some(author) = &r.author {
        parts.push(format!(r#"<span class="re-author">{} {}</span>"#, Esc(cx.labels.by), Esc(author)));
    }
    if parts.is_empty() {
        return;
    }
    out.push_str(r#"<p class="re-meta">"#);
    out.push_str(&parts.join(META_SEPARATOR));
    out.push_str("</p>");
}

fn tags(out: &mut String, r: &Release, cx: &Context) {
    if r.tags.is_empty() {
        return;
    }
    push(out, format_args!(r#"<ul class="re-tags" aria-label="{}">"#, Esc(cx.labels.topics)));
    for tag in &r.tags {
        push(out, format_args!("<li>{}</li>", Esc(tag)));
    }
    out.push_str("</ul>");
}

/// The summary, or the first words of the body when there is none.
pub fn summary(r: &Release) -> Option<String> {
    if let Some(s) = &r.summary {
        return Some(s.clone());
    }
    let text = r.body.as_ref()?.plain_text();
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= EXCERPT_WORDS {
        return Some(text).filter(|t| !t.is_empty());
    }
    Some(format!("{}\u{2026}", words[..EXCERPT_WORDS].join(" ")))
}

fn contacts(out: &mut String, r: &Release, cx: &Context, h: u8) {
    if r.contacts.is_empty() {
        return;
    }
    push(
        out,
        format_args!(
            r#"<section class="re-contacts" aria-labelledby="re-contacts-h"><h{h} id="re-contacts-h">{}</h{h}><ul>"#,
            Esc(cx.labels.contacts)
        ),
    );
    for c in &r.contacts {
        out.push_str("<li>");
        let mut parts = Vec::new();
        if let Some(name) = &c.name {
            parts.push(format!(r#"<span class="re-contact-name">{}</span>"#, Esc(name)));
        }
        if let Some(email) = &c.email {
            parts.push(format!(
                r#"<a href="mailto:{}">{}</a>"#,
                Esc(&crate::url::encode_component(email).replace("%40", "@")),
                Esc(email)
            ));
        }
        if let Some(phone) = &c.phone {
            let digits: String = phone.chars().filter(|ch| ch.is_ascii_digit() || *ch == '+').collect();
            parts.push(format!(r#"<a href="tel:{}">{}</a>"#, Esc(&digits), Esc(phone)));
        }
        out.push_str(&parts.join(" "));
        out.push_str("</li>");
    }
    out.push_str("</ul></section>");
}

fn related_links(out: &mut String, r: &Release, cx: &Context, h: u8) {
    if r.related_links.is_empty() {
        return;
    }
    push(
        out,
        format_args!(
            r#"<section class="re-related" aria-labelledby="re-related-h"><h{h} id="re-related-h">{}</h{h}><ul>"#,
            Esc(cx.labels.related_links)
        ),
    );
    for link in &r.related_links {
        push(out, format_args!(r#"<li><a href="{}">{}</a></li>"#, Esc(&link.url), Esc(&link.title)));
    }
    out.push_str("</ul></section>");
}

fn share_this(out: &mut String, r: &Release, cx: &Context, h: u8) {
    if cx.shares.none() {
        return;
    }
    let url = (cx.share_url)(r);
    let l = cx.labels;
    push(
        out,
        format_args!(
            r#"<section class="re-share" aria-labelledby="re-share-h"><h{h} id="re-share-h">{}</h{h}><ul class="re-share-list">"#,
            Esc(l.share_this)
        ),
    );
    for n in Network::ALL.into_iter().filter(|n| cx.shares.has(n.id())) {
        let label = if n == Network::Email { l.email } else { n.brand() };
        let (target, hint) = if n.is_external() {
            (
                r#" target="_blank" rel="noopener noreferrer""#,
                format!(r#"<span class="re-visually-hidden"> {}</span>"#, Esc(l.new_tab)),
            )
        } else {
            ("", String::new())
        };
        push(
            out,
            format_args!(
                r#"<li><a class="re-share-link re-share-{id}" href="{href}" data-re-share="{id}"{target}>{icon}<span>{label}</span>{hint}</a></li>"#,
                id = n.id(),
                href = Esc(&n.href(&r.title, &url)),
                icon = icons::network(n),
                label = Esc(label),
            ),
        );
    }
    if cx.shares.has("copy") {
        push(
            out,
            format_args!(
                r#"<li><button type="button" class="re-share-link" data-re-action="copy" data-re-url="{}">{}<span>{}</span></button></li>"#,
                Esc(&url),
                icons::copy(),
                Esc(l.copy_link)
            ),
        );
    }
    if cx.shares.has("print") {
        push(
            out,
            format_args!(
                r#"<li><button type="button" class="re-share-link" data-re-action="print">{}<span>{}</span></button></li>"#,
                icons::print(),
                Esc(l.print)
            ),
        );
    }
    if cx.native_share && cx.shares.has("native") {
        push(
            out,
            format_args!(
                r#"<li><button type="button" class="re-share-link" data-re-action="share" data-re-url="{}" data-re-title="{}">{}<span>{}</span></button></li>"#,
                Esc(&url),
                Esc(&r.title),
                icons::share(),
                Esc(l.share_native)
            ),
        );
    }
    out.push_str(r#"</ul><p class="re-status" role="status" aria-live="polite"></p></section>"#);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feed::parse_native;
    use crate::i18n::EN;
    use crate::model::Feed;
    use crate::options::{Controls, Layout, Presentation};
    use crate::search::{evaluate, Catalog, FilterState};

    fn list(feed: &Feed, cx: &Context) -> String {
        list_as(feed, cx, &Presentation::default())
    }

    fn list_as(feed: &Feed, cx: &Context, presentation: &Presentation) -> String {
        let catalog = Catalog::new(&feed.releases);
        let state = FilterState::default();
        let outcome = evaluate(&state, &catalog, None, &feed.releases, 10);
        let page_link = |n: usize| format!("?page={n}");
        let view = ListView {
            feed,
            catalog: &catalog,
            state: &state,
            outcome: &outcome,
            controls: &Controls::ALL,
            search_ready: true,
            search_problem: None,
            page_link: &page_link,
            saved_on: None,
            over_limit: None,
            presentation,
            filters_open: false,
        };
        list_view(&view, cx)
    }

    const HOSTILE: &str = r#"{"releases":[{"id":"x\"><img src=x onerror=alert(1)>","title":"<b>T</b> & \"q\"",
      "date":"2020-01-02","agency":"<i>A</i>","tags":["<script>"],"dateline":"<u>D</u>",
      "body":"word ".repeat(0),"related_links":[{"title":"<em>L</em>","url":"https://x.example/?a=1&b=\"2\""}],
      "contacts":[{"name":"<n>","email":"a\"b@x.example","phone":"+1 (555) 0100"}],
      "image":{"url":"https://x.example/i.png\" onload=\"alert(1)","alt":"\"><script>"}}]}"#;

    fn with_context<T>(native_share: bool, f: impl FnOnce(&Context) -> T) -> T {
        with_bodies(native_share, body_html, f)
    }

    fn with_bodies<T>(native_share: bool, bodies: Bodies, f: impl FnOnce(&Context) -> T) -> T {
        let format_date = |d: &Date| d.english();
        let link = |id: Option<&str>| {
            format!("https://page.example/?re-release={}", crate::url::encode_component(id.unwrap_or("")))
        };
        let share_url = |r: &Release| format!("https://page.example/{}", r.id);
        let cx = Context {
            labels: &EN,
            heading_level: 2,
            section_label: "Press <Releases>",
            format_date: &format_date,
            link: &link,
            share_url: &share_url,
            base: "https://agency.example.gov/feed.json",
            native_share,
            shares: Shares::ALL,
            has_list: true,
            bodies,
        };
        f(&cx)
    }

    /// No value from the feed may open a tag or break out of an attribute.
    fn assert_inert(html: &str) {
        for bad in ["<img src=x", "<b>", "<i>", "<script", "<u>", "<em>L", "<n>", "\" onload", "onerror=alert(1)>"] {
            assert!(!html.contains(bad), "{bad} leaked into {html}");
        }
    }

    #[test]
    fn every_feed_value_is_escaped_in_list_and_detail() {
        let json = HOSTILE.replace(r#""word ".repeat(0)"#, r#""<img src=x onerror=alert(1)> body""#);
        let feed = parse_native(&json).unwrap();
        with_context(true, |cx| {
            assert_inert(&list(&feed, cx));
            assert_inert(&detail(&feed.releases[0], cx));
            for layout in [Layout::Cards, Layout::Headlines] {
                let presentation = Presentation { layout, open_links: true, ..Presentation::default() };
                assert_inert(&list_as(&feed, cx, &presentation));
            }
        });
    }

    #[test]
    fn the_list_links_each_title_and_falls_back_to_the_body() {
        let body = "word ".repeat(60);
        let json = format!(r#"{{"releases":[{{"id":"a b","title":"T","date":"2020-01-02","body":"{body}"}}]}}"#);
        let feed = parse_native(&json).unwrap();
        let html = with_context(false, |cx| list(&feed, cx));
        assert!(
            html.contains(r#"<a href="https://page.example/?re-release=a%20b" data-re-open="a b">T</a>"#),
            "{html}"
        );
        assert!(
            html.contains(&format!("<p class=\"re-summary\" dir=\"auto\">{}\u{2026}</p>", ["word"; 40].join(" "))),
            "{html}"
        );
        assert!(html.contains(r#"<time datetime="2020-01-02">January 2, 2020</time>"#));
    }

    #[test]
    fn share_links_open_safely_and_native_share_is_offered_only_when_present() {
        let feed = parse_native(r#"{"releases":[{"id":"a","title":"T & U","date":"2020-01-02"}]}"#).unwrap();
        let plain = with_context(false, |cx| detail(&feed.releases[0], cx));
        assert_eq!(
            plain.matches(r#"target="_blank" rel="noopener noreferrer""#).count(),
            4,
            "X, Facebook, LinkedIn, Bluesky"
        );
        assert!(
            plain.contains(
                r#"href="mailto:?subject=T%20%26%20U&amp;body=T%20%26%20U%0A%0Ahttps%3A%2F%2Fpage.example%2Fa""#
            ),
            "{plain}"
        );
        assert!(!plain.contains(r#"data-re-action="share""#));
        assert!(!plain.contains("re-related"), "no Related links section without links");
        let native = with_context(true, |cx| detail(&feed.releases[0], cx));
        assert!(
            native.contains(r#"data-re-action="share" data-re-url="https://page.example/a" data-re-title="T &amp; U""#)
        );
    }

    #[test]
    fn json_ld_describes_the_release_and_cannot_end_its_script() {
        let feed = parse_native(r#"{"releases":[{"id":"a","title":"T </script><script>x","date":"2020-01-02","dateline":"PROVIDENCE","agency":"AG"}]}"#).unwrap();
        let json = json_ld(&feed.releases[0], None, "https://ag.example.gov/a");
        assert!(!json.contains("</script"), "{json}");
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["@type"], "NewsArticle");
        assert_eq!(v["headline"], "T </script><script>x");
        assert_eq!(v["datePublished"], "2020-01-02");
        assert_eq!(v["publisher"]["name"], "AG");
        assert_eq!(v["dateline"], "PROVIDENCE");
    }

    #[test]
    fn json_ld_escapes_quotes_backslashes_and_control_characters() {
        let feed = parse_native(r#"{"releases":[{"id":"a","title":"Say \"hi\" \\ back\n\u0001 <b>","date":"2020-01-02","summary":"S","image":{"url":"https://x.example/i.png","alt":""}}]}"#).unwrap();
        let json = json_ld(&feed.releases[0], Some("Feed agency"), "https://x.example/a");
        assert!(!json.contains('<'), "{json}");
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["headline"], "Say \"hi\" \\ back\n\u{1} <b>");
        assert_eq!(v["description"], "S");
        assert_eq!(v["image"], "https://x.example/i.png");
        assert_eq!(v["publisher"]["@type"], "GovernmentOrganization");
        assert_eq!(v["publisher"]["name"], "Feed agency");
        assert_eq!(v["mainEntityOfPage"], "https://x.example/a");
    }

    #[test]
    fn a_body_whose_part_is_missing_is_busy_and_one_that_failed_offers_try_again() {
        let feed =
            parse_native(r#"{"releases":[{"id":"a","title":"T","date":"2020-01-02","body":"**Hi**"}]}"#).unwrap();
        let loading = with_bodies(false, |_, _, _| BodyHtml::Loading, |cx| detail(&feed.releases[0], cx));
        assert!(
            loading.contains(r#"<div class="re-body" data-re-part="body" aria-busy="true"><p class="re-notice" role="status">Loading the release text"#),
            "{loading}"
        );
        assert!(loading.contains("re-share"), "the rest of the release is there");
        let failed = with_bodies(false, |_, _, _| BodyHtml::Failed, |cx| detail(&feed.releases[0], cx));
        assert!(failed.contains(r#"role="alert"><p>The text of this release could not be loaded."#), "{failed}");
        assert!(failed.contains(r#"data-re-action="load-part">Try again</button>"#), "{failed}");
        let ready = with_context(false, |cx| detail(&feed.releases[0], cx));
        assert!(ready.contains(r#"<div class="re-body" dir="auto"><p><strong>Hi</strong></p>"#), "{ready}");
    }

    #[test]
    fn a_search_that_could_not_get_ready_says_why_and_offers_try_again() {
        let feed = parse_native(r#"{"releases":[{"id":"a","title":"A","date":"2020-01-02"}]}"#).unwrap();
        let catalog = Catalog::new(&feed.releases);
        let state = FilterState::default();
        let outcome = evaluate(&state, &catalog, None, &feed.releases, 10);
        let page_link = |n: usize| format!("?page={n}");
        let search = |problem: Option<&str>| {
            let view = ListView {
                feed: &feed,
                catalog: &catalog,
                state: &state,
                outcome: &outcome,
                controls: &Controls::ALL,
                search_ready: false,
                search_problem: problem,
                page_link: &page_link,
                saved_on: None,
                over_limit: None,
                presentation: &Presentation::default(),
                filters_open: false,
            };
            let html = with_context(false, |cx| list_view(&view, cx));
            let start = html.find(r#"<div class="re-field re-field-search">"#).unwrap();
            html[start..start + html[start..].find("</div>").unwrap()].to_string()
        };
        let preparing = search(None);
        assert!(preparing.contains(" disabled>") && preparing.contains("Search is getting ready"), "{preparing}");
        assert!(!preparing.contains("data-re-action"), "{preparing}");
        let failed = search(Some("Search could not get ready: <it> failed"));
        assert!(failed.contains(" disabled>"), "{failed}");
        assert!(failed.contains("Search could not get ready: &lt;it&gt; failed</span>"), "{failed}");
        assert!(failed.contains(r#"<button type="button" class="re-button" data-re-action="retry">Try again</button>"#));
    }

    #[test]
    fn an_error_notice_is_an_alert_with_retry() {
        let html =
            with_context(false, |cx| notice("Releases could not be loaded: x.", NoticeKind::Error { retry: true }, cx));
        assert!(
            html.starts_with(r#"<div class="re-notice re-error" role="alert"><p>Releases could not be loaded: x.</p>"#)
        );
        assert!(html.contains(r#"data-re-action="retry""#));
        assert!(!html.contains("re-back"));
    }
}
