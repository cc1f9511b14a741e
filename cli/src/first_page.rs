//! The archive's first page as HTML, in its manifest (`first_page`, docs/archive.md): the list a
//! reader first sees, made by the widget's own code (the archive reader answers the query from
//! the pieces just written, the render module draws it), so the page's script can show it before
//! any wasm arrives and the widget then takes over the same markup.
//!
//! It is drawn with the widget's default options. What only the reader's page knows is left for
//! the script: the page's address (links to a release or a page are `?re-…` queries), the
//! reader's date format (dates are written in English, the script formats them as the widget
//! does), and the manifest's address (relative addresses stay as the feed gave them).

use std::fs;
use std::path::Path;

use release_embed::archive::reader::{Answer, Reader};
use release_embed::archive::{FirstPage, Manifest};
use release_embed::i18n;
use release_embed::model::{Agency, Date, Feed, Release};
use release_embed::options::Options;
use release_embed::render::{self, Context, ListView};
use release_embed::search::{Catalog, FilterState};

use crate::output::PIECES;

/// The first page of the archive whose manifest is `manifest` and whose pieces are in `dir`.
pub fn first_page(manifest: &Manifest, dir: &Path) -> Result<FirstPage, String> {
    let json = serde_json::to_string(manifest).map_err(|e| e.to_string())?;
    let mut reader = Reader::open(&json)?;
    let options = Options { src: Some("archive.json".into()), ..Options::default() };
    let (config, _) = options.validate();
    let config = config.map_err(|e| e.to_string())?;
    let shown = &config.presentation;
    let state = render::shown_state(shown, &FilterState::default());
    let page_size = shown.page_size(config.page_size);
    let search = state.to_search("", &config.url_key);
    // The reader names the pieces it needs, round after round, as the widget fetches them.
    let listing = loop {
        match reader.list(&search, &config.url_key, page_size) {
            Answer::Ready(listing) => break listing,
            Answer::Need(names) => {
                for name in names {
                    let path = dir.join(PIECES).join(&name);
                    let bytes = fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                    reader.add(&name, &bytes);
                }
            }
            Answer::Failed { piece, message } => return Err(format!("piece {piece}: {message}")),
        }
    };
    let head = reader.head();
    let (releases, outcome) = listing.shown("")?;
    let feed = Feed {
        agency: head.agency.as_ref().map(|a| Agency { name: a.name.clone(), url: a.url.clone() }),
        releases,
        problems: Vec::new(),
        cut_off: false,
        language: head.language.clone(),
        next: None,
    };
    let mut catalog = Catalog::new(&[]);
    (catalog.tags, catalog.agencies, catalog.years) = (head.tags, head.agencies, head.years);
    let lang = head.language.clone().unwrap_or_else(|| "en".into());
    let labels = i18n::for_lang(&lang);
    let key = config.url_key.clone();
    let page_link = |n: usize| match (FilterState { page: n, ..state.clone() }).to_search("", &key) {
        search if search.is_empty() => "?".to_string(),
        search => search,
    };
    let view = ListView {
        feed: &feed,
        catalog: &catalog,
        state: &state,
        outcome: &outcome,
        controls: &config.controls,
        // The archive's search needs no index: the widget offers it as soon as the list shows.
        search_ready: true,
        search_problem: None,
        page_link: &page_link,
        saved_on: None,
        over_limit: None,
        presentation: shown,
        filters_open: false,
    };
    let param = config.release_param();
    let format_date = |d: &Date| d.english();
    let link = |id: Option<&str>| match id {
        Some(id) => format!("?{param}={}", release_embed::url::encode_component(id)),
        None => "?".into(),
    };
    let share_url = |r: &Release| r.url.clone().unwrap_or_default();
    let cx = Context {
        labels,
        heading_level: config.heading_level,
        section_label: config.section_label.as_deref().unwrap_or(labels.section),
        format_date: &format_date,
        link: &link,
        share_url: &share_url,
        base: "",
        native_share: false,
        shares: config.shares,
        has_list: true,
        bodies: render::body_html,
    };
    Ok(FirstPage { lang, html: render::list_view(&view, &cx) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::DirSink;
    use release_embed::archive::{build, BuildInput};

    fn archive(json: &str) -> (tempdir::Dir, Manifest) {
        let feed = release_embed::feed::parse(json, None, "https://agency.example.gov/feed.json").unwrap();
        let dir = tempdir::Dir::new();
        let mut sink = DirSink::new(dir.path()).unwrap();
        let manifest = build(
            BuildInput { feed: &feed, base: "", previous: None, members: None },
            &mut sink,
            &mut |_: &str, _: u64, _: u64| {},
        )
        .unwrap();
        (dir, manifest)
    }

    /// A temporary directory removed when dropped (the crate has no dev-dependencies).
    mod tempdir {
        pub struct Dir(std::path::PathBuf);
        impl Dir {
            pub fn new() -> Dir {
                use std::sync::atomic::{AtomicUsize, Ordering};
                static N: AtomicUsize = AtomicUsize::new(0);
                let n = N.fetch_add(1, Ordering::Relaxed);
                let path = std::env::temp_dir().join(format!("re-first-page-{}-{n}", std::process::id()));
                std::fs::create_dir_all(&path).unwrap();
                Dir(path)
            }
            pub fn path(&self) -> &std::path::Path {
                &self.0
            }
        }
        impl Drop for Dir {
            fn drop(&mut self) {
                let _ = std::fs::remove_dir_all(&self.0);
            }
        }
    }

    #[test]
    fn the_first_page_is_the_newest_releases_drawn_by_the_widget_and_escaped() {
        let releases: Vec<String> = (1..=12)
            .map(|i| {
                format!(
                    r#"{{"id":"r{i}","title":"Release {i} <img src=x onerror=alert(1)>","date":"2024-01-{i:02}","summary":"S & {i}","tags":["Health"]}}"#
                )
            })
            .collect();
        let (dir, manifest) = archive(&format!(r#"{{"version":"1","releases":[{}]}}"#, releases.join(",")));
        let page = first_page(&manifest, dir.path()).unwrap();
        assert_eq!(page.lang, "en");
        let html = &page.html;
        assert!(html.starts_with(r#"<section class="re-list""#), "{html}");
        assert!(!html.contains("<img src=x"), "{html}");
        assert!(html.contains("Release 12 &lt;img src=x onerror=alert(1)&gt;"), "{html}");
        assert!(html.contains(r#"<a href="?re-release=r12" data-re-open="r12">"#), "{html}");
        assert!(html.contains(r#"<time datetime="2024-01-12">January 12, 2024</time>"#), "{html}");
        // The default page size: the 10 newest, and a link to page 2.
        assert_eq!(html.matches(r#"class="re-item""#).count(), 10, "{html}");
        assert!(!html.contains("data-re-open=\"r2\""), "{html}");
        assert!(html.contains("?re-page=2"), "{html}");
        assert!(html.contains("Health"), "the facets are there: {html}");
    }

    #[test]
    fn an_empty_archive_has_a_first_page_that_says_so() {
        let (dir, manifest) = archive(r#"{"version":"1","releases":[]}"#);
        let page = first_page(&manifest, dir.path()).unwrap();
        assert!(page.html.starts_with(r#"<section class="re-list""#), "{}", page.html);
        assert!(!page.html.contains("re-item"), "{}", page.html);
    }
}
