//! The list's layouts and the settings around them (`layout`, `limit`, `open`, `more-*`,
//! `subscribe-*`, the Filter button), rendered by the pure core and checked as HTML.

use release_embed::feed::parse_native;
use release_embed::i18n::{Labels, EN, ES};
use release_embed::model::{Date, Feed, Release};
use release_embed::options::{Controls, Layout, Options, Presentation, Shares};
use release_embed::render::{self, Context, ListView};
use release_embed::search::{evaluate, Catalog, FilterState};

/// Twelve releases, newest last in the file; the even ones have a page of their own (`url`), and
/// every third one a photo.
fn feed() -> Feed {
    let releases: Vec<String> = (1..=12)
        .map(|i| {
            let url = if i % 2 == 0 { format!(r#","url":"https://ag.example.gov/news/r{i}""#) } else { String::new() };
            let image = if i % 3 == 0 {
                format!(r#","image":{{"url":"/img/r{i}.jpg","alt":"Photo for release {i}"}}"#)
            } else {
                String::new()
            };
            format!(
                r#"{{"id":"r{i}","title":"Release {i}","date":"2024-01-{i:02}","summary":"Summary {i}.","tags":["T{i}"]{url}{image}}}"#
            )
        })
        .collect();
    parse_native(&format!(r#"{{"version":"1","releases":[{}]}}"#, releases.join(","))).unwrap()
}

fn presentation(pairs: &[(&str, &str)]) -> Presentation {
    let mut o = Options { src: Some("/f.json".into()), ..Default::default() };
    for (k, v) in pairs {
        let v = Some(v.to_string());
        match *k {
            "layout" => o.layout = v,
            "limit" => o.limit = v.map(release_embed::options::NumberOrText::Text),
            "open" => o.open = v,
            "more-href" => o.more_href = v,
            "more-label" => o.more_label = v,
            "subscribe-href" => o.subscribe_href = v,
            "subscribe-label" => o.subscribe_label = v,
            other => panic!("no such setting {other}"),
        }
    }
    let (config, warnings) = o.validate();
    assert!(warnings.is_empty(), "{warnings:?}");
    config.unwrap().presentation
}

struct Render<'a> {
    presentation: Presentation,
    state: FilterState,
    labels: &'static Labels,
    filters_open: bool,
    controls: Controls,
    feed: &'a Feed,
}

impl<'a> Render<'a> {
    fn new(feed: &'a Feed, pairs: &[(&str, &str)]) -> Self {
        Render {
            presentation: presentation(pairs),
            state: FilterState::default(),
            labels: &EN,
            filters_open: false,
            controls: Controls::ALL,
            feed,
        }
    }

    /// The list view as the widget draws it: the shown state, the page size, the presentation.
    fn html(&self) -> String {
        self.draw(render::list_view)
    }

    /// The results area in parts, as the widget updates it after a keystroke.
    fn parts(&self) -> render::Results {
        self.draw(render::results_parts)
    }

    fn draw<T>(&self, f: impl FnOnce(&ListView, &Context) -> T) -> T {
        let catalog = Catalog::new(&self.feed.releases);
        let state = render::shown_state(&self.presentation, &self.state);
        let outcome = evaluate(&state, &catalog, None, &self.feed.releases, self.presentation.page_size(10));
        let page_link = |n: usize| format!("?re-page={n}");
        let view = ListView {
            feed: self.feed,
            catalog: &catalog,
            state: &state,
            outcome: &outcome,
            controls: &self.controls,
            search_ready: true,
            search_problem: None,
            page_link: &page_link,
            saved_on: None,
            over_limit: None,
            presentation: &self.presentation,
            filters_open: self.filters_open,
        };
        let format_date = |d: &Date| d.english();
        let link = |id: Option<&str>| format!("https://page.example/news?re-release={}", id.unwrap_or(""));
        let share_url = |r: &Release| r.url.clone().unwrap_or_default();
        let cx = Context {
            labels: self.labels,
            heading_level: 2,
            section_label: self.labels.section,
            format_date: &format_date,
            link: &link,
            share_url: &share_url,
            base: "https://ag.example.gov/f.json",
            native_share: false,
            shares: Shares::ALL,
            has_list: true,
            bodies: render::body_html,
        };
        f(&view, &cx)
    }
}

#[test]
fn the_results_in_parts_are_the_list_s_own_html_one_entry_per_release() {
    let feed = feed();
    for layout in ["list", "cards", "headlines"] {
        let mut r = Render::new(&feed, &[("layout", layout)]);
        let html = r.html();
        let parts = r.parts();
        assert!(html.contains(&format!(r#"<div class="re-results">{}</div>"#, parts.html())), "{layout}: {html}");
        let render::ResultsList::Items { items, .. } = &parts.list else { panic!("{layout}: no items") };
        let ids: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["r12", "r11", "r10", "r9", "r8", "r7", "r6", "r5", "r4", "r3"], "{layout}");
        for item in items {
            let mut li = String::new();
            item.push_html(&mut li);
            assert!(li.starts_with("<li") && li.ends_with("</li>") && html.contains(&li), "{layout}: {li}");
        }
        assert_eq!(parts.count.is_some(), layout != "headlines", "{layout}: headlines have no count line");
        assert_eq!(parts.pager.contains("re-pages"), layout != "headlines", "{layout}");

        // A query changes the highlighted words, not which entry is which release.
        r.state.query = "release".into();
        let marked = r.parts();
        let render::ResultsList::Items { items: again, .. } = &marked.list else { panic!("{layout}: no items") };
        let same = again.iter().find(|i| i.id == "r12").expect("r12 still matches");
        if layout == "headlines" {
            assert!(!same.inner.contains("<mark>"), "headlines ignore the query: {}", same.inner);
        } else {
            assert!(same.inner.contains("<mark>Release</mark> 12"), "{layout}: {}", same.inner);
        }
    }
}

#[test]
fn results_with_nothing_to_show_are_one_block_with_its_count() {
    let feed = parse_native(r#"{"version":"1","releases":[]}"#).unwrap();
    let parts = Render::new(&feed, &[]).parts();
    assert_eq!(parts.count.as_deref(), Some("0 releases"));
    assert_eq!(parts.pager, "");
    let render::ResultsList::Empty(block) = &parts.list else { panic!("items for an empty feed") };
    assert_eq!(block, r#"<div class="re-empty"><p>There are no press releases to show yet.</p></div>"#);
    assert_eq!(
        parts.html(),
        format!(r#"<p class="re-count" id="re-count" tabindex="-1">0 releases</p>{block}"#),
        "the count line, then the block"
    );
}

#[test]
fn headlines_with_a_limit_show_the_newest_titles_and_dates_and_the_more_link_only() {
    let feed = feed();
    let r = Render::new(&feed, &[("layout", "headlines"), ("limit", "5"), ("more-href", "/news")]);
    let html = r.html();
    assert_eq!(html.matches(r#"<li class="re-headline">"#).count(), 5, "{html}");
    for i in (8..=12).rev() {
        assert!(
            html.contains(&format!(
                r#"<li class="re-headline"><span class="re-headline-title" dir="auto"><a href="https://page.example/news?re-release=r{i}" data-re-open="r{i}">Release {i}</a></span><time datetime="2024-01-{i:02}">January {i}, 2024</time></li>"#
            )),
            "release {i}: {html}"
        );
    }
    assert!(html.contains(r#"<p class="re-more"><a href="/news">All press releases</a></p>"#), "{html}");
    for absent in ["<form", "re-search", "re-pages", "re-summary", "re-tags", "re-count", "re-filter-toggle"] {
        assert!(!html.contains(absent), "{absent} in {html}");
    }
}

#[test]
fn headlines_ignore_filters_and_pages_in_the_url() {
    let feed = feed();
    let mut r = Render::new(&feed, &[("layout", "headlines"), ("limit", "3")]);
    r.state = FilterState { tags: vec!["T1".into()], page: 4, ..Default::default() };
    let html = r.html();
    let first = html.find("Release 12").expect("the newest release is first");
    assert!(first < html.find("Release 11").unwrap());
    assert!(!html.contains("Release 1<"), "{html}");
}

#[test]
fn without_a_limit_headlines_show_one_page_and_no_paging() {
    let feed = feed();
    let html = Render::new(&feed, &[("layout", "headlines")]).html();
    assert_eq!(html.matches("re-headline\"").count(), 10);
    assert!(!html.contains("re-pages"));
}

#[test]
fn a_limit_on_the_list_shows_that_many_counted_and_no_paging() {
    let feed = feed();
    let mut r = Render::new(&feed, &[("limit", "4")]);
    r.state.page = 3;
    let html = r.html();
    assert_eq!(html.matches(r#"<article class="re-item">"#).count(), 4);
    assert!(html.contains(r#"<p class="re-count" id="re-count" tabindex="-1">4 of 12 releases</p>"#), "{html}");
    assert!(html.contains("Release 12") && !html.contains("Release 8<"), "page 3 is ignored: {html}");
    assert!(!html.contains("re-pages"));
    assert!(html.contains("re-search"), "the filters stay");
    r.labels = &ES;
    assert!(r.html().contains(">4 de 12 comunicados</p>"));
    // Without a limit the list pages as before.
    let paged = Render::new(&feed, &[]).html();
    assert!(paged.contains(">12 releases</p>") && paged.contains(r#"<nav class="re-pages""#));
}

#[test]
fn cards_carry_each_image_cropped_lazily_with_its_alt_and_a_reserved_box() {
    let feed = feed();
    let html = Render::new(&feed, &[("layout", "cards"), ("limit", "6")]).html();
    assert!(html.contains(r#"<ul class="re-items re-cards">"#));
    assert_eq!(html.matches(r#"<article class="re-item re-card">"#).count(), 6);
    // Releases 12, 9 (every third) have photos among the six newest.
    assert_eq!(html.matches("<img ").count(), 2, "{html}");
    assert!(
        html.contains(r#"<div class="re-card-image"><img src="/img/r12.jpg" alt="Photo for release 12" width="640" height="360" loading="lazy" decoding="async"></div>"#),
        "{html}"
    );
    assert!(html.contains(r#"<p class="re-summary" dir="auto">Summary 9.</p>"#));
    assert!(!html.contains("re-tags"), "cards leave the tags to the release");
}

#[test]
fn open_link_sends_titles_to_their_pages_and_keeps_the_others_inline() {
    let feed = feed();
    for layout in ["list", "cards", "headlines"] {
        let html = Render::new(&feed, &[("layout", layout), ("open", "link")]).html();
        assert!(html.contains(r#"<a href="https://ag.example.gov/news/r12">Release 12</a>"#), "{layout}: {html}");
        assert!(
            html.contains(r#"<a href="https://page.example/news?re-release=r11" data-re-open="r11">Release 11</a>"#),
            "{layout}: a release without a url opens inline: {html}"
        );
    }
    let inline = Render::new(&feed, &[]).html();
    assert!(inline.contains(r#"data-re-open="r12""#) && !inline.contains(r#"href="https://ag.example.gov/news/r12""#));
}

#[test]
fn subscribe_sits_beside_the_heading_in_the_reader_s_language() {
    let feed = feed();
    let mut r = Render::new(&feed, &[("subscribe-href", "https://ag.example.gov/alerts")]);
    let html = r.html();
    assert!(html.contains(r#"<div class="re-list-head"><p class="re-section">Press Releases</p><a class="re-subscribe" href="https://ag.example.gov/alerts"><svg"#), "{html}");
    assert!(html.contains("<span>Subscribe</span></a></div>"));
    r.labels = &ES;
    assert!(r.html().contains("<span>Suscribirse</span></a></div>"));
    let labelled = Render::new(&feed, &[("subscribe-href", "/feed.xml"), ("subscribe-label", "RSS & <email>")]).html();
    assert!(labelled.contains("<span>RSS &amp; &lt;email&gt;</span>"), "{labelled}");
    assert!(!Render::new(&feed, &[]).html().contains("re-list-head"));
}

#[test]
fn the_more_link_takes_the_page_s_label_escaped() {
    let feed = feed();
    let html =
        Render::new(&feed, &[("layout", "cards"), ("more-href", "/news?a=1&b=\"2\""), ("more-label", "All <news>")])
            .html();
    assert!(
        html.contains(
            r#"<p class="re-more"><a href="/news?a=1&amp;b=&quot;2&quot;">All &lt;news&gt;</a></p></section>"#
        ),
        "{html}"
    );
}

#[test]
fn the_filter_button_controls_the_panel_and_counts_the_filters_in_use() {
    let feed = feed();
    let mut r = Render::new(&feed, &[]);
    let html = r.html();
    assert!(html.contains(r#"<button type="button" class="re-filter-toggle" data-re-action="filters" aria-expanded="false" aria-controls="re-filter-panel">"#), "{html}");
    assert!(html.contains(r#"<span>Filter</span><span class="re-filter-count"></span></button><div class="re-filter-panel" id="re-filter-panel"><div class="re-facets">"#), "{html}");
    // The search box comes before the button, outside the panel, so it stays in view.
    assert!(html.find("re-search").unwrap() < html.find("re-filter-toggle").unwrap());
    r.filters_open = true;
    r.state = FilterState {
        query: "release".into(),
        tags: vec!["T3".into()],
        from: Some("2024-01-02".into()),
        ..Default::default()
    };
    let html = r.html();
    assert!(html.contains(r#"aria-expanded="true""#));
    assert!(
        html.contains(r#"<span class="re-filter-count"><span class="re-badge" aria-hidden="true">2</span><span class="re-visually-hidden"> (2 active)</span></span>"#),
        "the query is not counted: it is in view: {html}"
    );
    assert_eq!(
        render::active_badge(1, &ES),
        r#"<span class="re-badge" aria-hidden="true">1</span><span class="re-visually-hidden"> (1 activo)</span>"#
    );
    assert!(render::active_badge(3, &ES).contains("(3 activos)"));
    // Only a search box: nothing to fold away, no button.
    r.controls = Controls { search: true, ..Controls::NONE };
    assert!(!r.html().contains("re-filter-toggle"));
}

#[test]
fn bad_settings_warn_and_fall_back() {
    let with = |f: fn(&mut Options)| {
        let mut o = Options { src: Some("/f.json".into()), ..Default::default() };
        f(&mut o);
        let (config, warnings) = o.validate();
        (config.unwrap().presentation, warnings)
    };
    let (p, w) = with(|o| o.layout = Some("carousel".into()));
    assert_eq!((p.layout, w.len()), (Layout::List, 1));
    assert!(w[0].contains("\u{201c}carousel\u{201d} is not list, cards or headlines"), "{w:?}");
    let (p, w) = with(|o| o.open = Some("popup".into()));
    assert_eq!((p.open_links, w.len()), (false, 1));
    let (p, w) = with(|o| o.limit = Some(release_embed::options::NumberOrText::Number(0.0)));
    assert_eq!((p.limit, w.len()), (Some(10), 1));
    let (p, w) = with(|o| {
        o.more_href = Some("javascript:alert(1)".into());
        o.subscribe_href = Some("  ".into());
    });
    assert_eq!((p.more, p.subscribe, w.len()), (None, None, 1));
    assert!(w[0].starts_with("more-href \u{201c}javascript:alert(1)\u{201d}"), "{w:?}");
    let (p, w) = with(|o| {
        o.layout = Some(" cards ".into());
        o.open = Some("link".into());
        o.limit = Some(release_embed::options::NumberOrText::Number(6.0));
    });
    assert_eq!((p.layout, p.open_links, p.limit, w.len()), (Layout::Cards, true, Some(6), 0));
}
