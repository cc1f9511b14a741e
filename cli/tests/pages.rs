//! Release pages, the sitemap and the feeds (`release-embed archive --site-url`): the seed
//! release's page and its head tags, a page for every release of a fixture of each feed format,
//! feeds that read back through the widget's readers, hostile ids and colliding slugs, the
//! options' errors, and rebuilds that leave unchanged pages alone.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use release_embed::archive::{Archive, Manifest, Pieces};
use release_embed::feed;
use release_embed::model::{Feed, Release};
use release_embed::render::share::Network;

mod common;

use common::{archive, snapshot, temp, ROOT};
const SITE: &str = "https://agency.example/news/";

fn build(source: &str, out: &Path, extra: &[&str]) {
    let mut args = vec![source, "--out", out.to_str().unwrap(), "--include-future", "--site-url", SITE];
    args.extend(extra);
    let (ok, stdout, stderr) = archive(&args);
    assert!(ok, "{source}: {stdout}{stderr}");
}

fn read_feed(path: &str) -> Feed {
    let text = feed::decode_document(std::fs::read(path).unwrap()).unwrap();
    feed::parse(&text, None, "").unwrap()
}

/// The page folders under `DIR/releases/`.
fn page_slugs(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir.join("releases"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect()
}

/// `attr="…"` of the first `<meta property|name="key">`, unescaped.
fn meta(html: &str, key: &str) -> Option<String> {
    metas(html, key).into_iter().next()
}

fn metas(html: &str, key: &str) -> Vec<String> {
    html.match_indices(&format!("=\"{key}\" content=\""))
        .map(|(at, m)| {
            let rest = &html[at + m.len()..];
            unescape(&rest[..rest.find('"').unwrap()])
        })
        .collect()
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

fn canonical(html: &str) -> String {
    let rest = &html[html.find("<link rel=\"canonical\" href=\"").expect("a canonical link") + 28..];
    unescape(&rest[..rest.find('"').unwrap()])
}

fn json_ld(html: &str) -> serde_json::Value {
    let open = "<script type=\"application/ld+json\">";
    let rest = &html[html.find(open).expect("JSON-LD") + open.len()..];
    serde_json::from_str(&rest[..rest.find("</script>").unwrap()]).unwrap()
}

/// A page's head tags say what its release is, and its body shows it.
fn check_page(html: &str, r: &Release, url: &str, lang: &str) {
    let id = &r.id;
    assert!(html.starts_with("<!doctype html>\n<html lang=\""), "{id}");
    assert!(html.contains(&format!("<html lang=\"{lang}\">")), "{id}: lang");
    assert_eq!(canonical(html), url, "{id}");
    assert_eq!(meta(html, "og:url").as_deref(), Some(url), "{id}");
    assert_eq!(meta(html, "og:type").as_deref(), Some("article"));
    assert_eq!(meta(html, "og:title").as_deref(), Some(r.title.as_str()), "{id}");
    assert_eq!(meta(html, "twitter:title").as_deref(), Some(r.title.as_str()), "{id}");
    assert_eq!(meta(html, "article:published_time").as_deref(), r.date.as_ref().map(|d| d.machine()), "{id}");
    assert_eq!(metas(html, "article:tag"), r.tags, "{id}");
    let description = release_embed::render::summary(r);
    assert_eq!(meta(html, "og:description"), description, "{id}");
    match r.image.as_ref().filter(|i| i.url.starts_with("http")) {
        Some(image) => {
            assert_eq!(meta(html, "og:image").as_deref(), Some(image.url.as_str()), "{id}");
            assert_eq!(meta(html, "twitter:card").as_deref(), Some("summary_large_image"));
            if !image.alt.is_empty() {
                assert_eq!(meta(html, "og:image:alt").as_deref(), Some(image.alt.as_str()), "{id}");
            }
        }
        None => assert_eq!(meta(html, "twitter:card").as_deref(), Some("summary"), "{id}"),
    }
    let ld = json_ld(html);
    assert_eq!(ld["@type"], "NewsArticle");
    assert_eq!(ld["headline"], r.title.as_str(), "{id}");
    assert_eq!(ld["url"], url, "{id}");
    assert_eq!(ld["datePublished"], r.date.as_ref().expect("dated").machine());
    assert!(html.contains("<link rel=\"alternate\" type=\"application/rss+xml\" title="), "{id}");
    assert!(html.contains(&format!("href=\"{SITE}feed.json\">")), "{id}");
    assert!(html.contains("<link rel=\"stylesheet\" href=\"../../p/"), "{id}");
    // No script but the data block.
    assert_eq!(html.matches("<script").count(), 1, "{id}");
    // The release itself, with a heading of level 1 and the way back to the newsroom.
    assert!(html.contains("<h1 class=\"re-title\" id=\"re-title\" tabindex=\"-1\" dir=\"auto\">"), "{id}");
    assert!(html.contains("<nav class=\"re-back\" aria-label=\""), "{id}");
    // Share this: plain links with the widget's encoding, no script buttons.
    for n in Network::ALL {
        let href = release_embed::render::Esc(&n.href(&r.title, url)).to_string();
        assert!(html.contains(&format!("href=\"{href}\"")), "{id}: {} link", n.id());
    }
    assert!(!html.contains("data-re-action"), "{id}: no buttons that need script");
}

#[test]
fn the_seed_release_has_its_page_with_every_tag() {
    let out = temp("seed");
    build(&format!("{ROOT}/www/releases.json"), &out, &[]);
    let sample = read_feed(&format!("{ROOT}/www/releases.json"));
    let seed = sample.release("ag-kilmartin-immigration-2018").unwrap();
    let html = std::fs::read_to_string(out.join("releases/ag-kilmartin-immigration-2018/index.html")).unwrap();
    // Its feed gave it an address: that stays the one it is known and shared by.
    check_page(&html, seed, "https://ag.example.gov/news/ag-kilmartin-immigration-2018", "en");
    assert!(html.contains("<title>Attorney General Kilmartin Demands Sessions End Illegal and Cruel Immigration Tactics Harming Children | Office of the Attorney General (sample data)</title>"));
    assert_eq!(json_ld(&html)["publisher"]["name"], "Office of the Attorney General");
    assert_eq!(json_ld(&html)["dateline"], "PROVIDENCE, R.I.");
    // The whole text, quotes included, as the widget renders it.
    let text = std::fs::read_to_string(format!("{ROOT}/tests/fixtures/seed-press-release.txt")).unwrap();
    let typed = html.replace(['\u{201c}', '\u{201d}'], "\"").replace('\u{2019}', "'").replace('\u{2014}', "---");
    let paragraphs: Vec<&str> =
        text.split("\n\n").map(str::trim).filter(|p| p.len() > 80 && *p != seed.title).collect();
    assert_eq!(paragraphs.len(), 10);
    for p in paragraphs {
        assert!(typed.contains(&format!("<p>{p}</p>")), "missing paragraph: {p}");
    }
    assert!(html.contains(
        "<time datetime=\"2018-06-19\">June 19, 2018</time><span class=\"re-sep\"> <span aria-hidden=\"true\">·</span><span class=\"re-visually-hidden\">,</span> </span><span class=\"re-dateline\">PROVIDENCE, R.I.</span>"
    ));
    assert!(html.contains("<h2 id=\"re-related-h\">Related links</h2>"));
    assert!(html.contains("<a href=\"https://ag.example.gov/resources/immigration\">Immigration resources"));
    assert!(html.contains("<h2 id=\"re-share-h\">Share this</h2>"));
    // "All press releases" goes to the newsroom (the site URL unless --newsroom says).
    assert!(html.contains(&format!("<a href=\"{SITE}\" data-re-list=\"\">All press releases</a>")));
    // The image, with its alt text, at an address that works from the page's folder.
    let with_image = sample.releases.iter().find(|r| r.image.is_some()).unwrap();
    let page = std::fs::read_to_string(out.join(format!("releases/{}/index.html", with_image.id))).unwrap();
    let image = with_image.image.as_ref().unwrap();
    let absolute = format!("{SITE}{}", image.url);
    assert!(
        page.contains(&format!("<img src=\"{absolute}\" alt=\"{}\"", release_embed::render::Esc(&image.alt))),
        "{page}"
    );
    assert_eq!(meta(&page, "og:image"), Some(absolute));
    // Well under 30 kB gzip: the page is under 30 kB before compression.
    assert!(html.len() < 30_000, "{} bytes", html.len());
    // The stylesheet is the widget's own sheet, under its content hash.
    let css_name = html.split("href=\"../../p/").nth(1).unwrap().split('"').next().unwrap();
    let css = std::fs::read_to_string(out.join("p").join(css_name)).unwrap();
    assert!(css.starts_with(release_embed::render::STYLESHEET), "the widget's sheet, whole");
    assert!(css_name.ends_with(".css"));
}

#[test]
fn every_feed_format_gets_pages_with_their_tags() {
    for (fixture, lang) in [
        ("tests/fixtures/jsonfeed-1.1.json", None),
        ("tests/fixtures/jsonfeed-1.0.json", None),
        ("tests/fixtures/wordpress-posts.json", None),
        ("tests/fixtures/rss2-wordpress.xml", None),
        ("tests/fixtures/rss2-drupal.xml", None),
        ("tests/fixtures/rss1-debian.xml", None),
        ("tests/fixtures/atom-xhtml.xml", None),
        ("tests/fixtures/atom-media-group.xml", None),
        ("tests/fixtures/partly-bad.json", None),
        ("tests/fixtures/search.json", None),
    ] {
        let out = temp(&fixture.replace('/', "-"));
        let path = format!("{ROOT}/{fixture}");
        build(&path, &out, &[]);
        let source = read_feed(&path);
        let lang = lang.or(source.language.as_deref()).unwrap_or("en");
        let slugs = page_slugs(&out);
        // The command leaves undated releases out of the archive (it is ordered by date).
        let dated = source.releases.iter().filter(|r| r.date.is_some()).count();
        assert_eq!(slugs.len(), dated, "{fixture}: a page per dated release");
        // Each page found through its address, and the address is the release's own or its page.
        let sitemap = String::from_utf8(std::fs::read(out.join("sitemap.xml")).unwrap()).unwrap();
        for r in source.releases.iter().filter(|r| r.date.is_some()) {
            let own = r.url.as_deref().map(|u| release_embed::url::resolve(SITE, u)).filter(|u| u.starts_with("http"));
            let slug = slugs
                .iter()
                .find(|s| {
                    let html = std::fs::read_to_string(out.join("releases").join(s).join("index.html")).unwrap();
                    json_ld(&html)["headline"] == r.title.as_str()
                        && meta(&html, "article:published_time").as_deref() == r.date.as_ref().map(|d| d.machine())
                })
                .unwrap_or_else(|| panic!("{fixture}: no page for {}", r.id));
            let page_url = format!("{SITE}releases/{slug}/");
            let html = std::fs::read_to_string(out.join("releases").join(slug).join("index.html")).unwrap();
            let mut shown = r.clone();
            if let Some(image) = &mut shown.image {
                image.url = release_embed::url::resolve(SITE, &image.url);
            }
            check_page(&html, &shown, own.as_deref().unwrap_or(&page_url), lang);
            // The sitemap lists the pages that are their release's own address.
            assert_eq!(sitemap.contains(&format!("<loc>{page_url}</loc>")), own.is_none(), "{fixture}: {}", r.id);
        }
    }
}

#[test]
fn a_spanish_feed_gets_spanish_pages() {
    let out = temp("spanish");
    let feed = r#"{"version":"https://jsonfeed.org/version/1.1","title":"Oficina","language":"es-US",
        "items":[{"id":"1","title":"Comunicado","date_published":"2024-03-05T10:00:00-05:00","content_text":"Texto."}]}"#;
    std::fs::write(out.join("feed-in.json"), feed).unwrap();
    let dir = out.join("site");
    build(out.join("feed-in.json").to_str().unwrap(), &dir, &[]);
    let html = std::fs::read_to_string(dir.join("releases/1/index.html")).unwrap();
    assert!(html.contains("<html lang=\"es-US\">"));
    assert!(html.contains("5 de marzo de 2024"), "{html}");
    assert!(html.contains(">Todos los comunicados</a>"));
}

/// The newest releases of `source` against what a feed file gives back through the widget's
/// readers: the same releases, in the same order, at the addresses the pages give them.
fn same_releases(source: &[Release], back: &Feed, what: &str, addresses: &dyn Fn(&Release) -> String) {
    assert_eq!(back.releases.len(), source.len().min(50), "{what}: the newest 50");
    // The words, whatever their spelling: a Markdown body comes back as the HTML it renders to
    // (typographic quotes, a space where an inline element ended).
    let words =
        |s: &str| s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ");
    for (a, b) in source.iter().zip(&back.releases) {
        assert_eq!(a.id, b.id, "{what}");
        assert_eq!(a.title, b.title, "{what}");
        assert_eq!(a.date.as_ref().map(|d| d.timestamp()), b.date.as_ref().map(|d| d.timestamp()), "{what}: {}", a.id);
        assert_eq!(b.url.as_deref(), Some(addresses(a).as_str()), "{what}: {}", a.id);
        assert_eq!(a.tags, b.tags, "{what}: {}", a.id);
        assert_eq!(a.author, b.author, "{what}: {}", a.id);
        assert_eq!(
            a.body.as_ref().map(|x| words(&x.plain_text())),
            b.body.as_ref().map(|x| words(&x.plain_text())),
            "{what}: {}",
            a.id
        );
        assert_eq!(
            a.image.as_ref().map(|i| release_embed::url::resolve(SITE, &i.url)),
            b.image.as_ref().map(|i| i.url.clone()),
            "{what}: {}",
            a.id
        );
    }
}

#[test]
fn the_feeds_read_back_as_the_same_releases() {
    let out = temp("feeds");
    // More than 50 releases, some without an address of their own.
    let mut releases: Vec<serde_json::Value> = Vec::new();
    for i in (0..60).rev() {
        let mut r = serde_json::json!({ "id": format!("n{i}"), "title": format!("Release <{i}> & more"),
            "date": format!("2020-01-{:02}T0{}:30:00-05:00", 1 + i % 28, i % 10),
            "tags": ["Health", "R&D"], "body": format!("Text of **{i}** with a [link](https://x.example/{i}).\n\nSecond \"paragraph\"."),
            "image": { "url": format!("images/{i}.png"), "alt": "An <alt> text" } });
        if i % 2 == 0 {
            r["url"] = serde_json::json!(format!("https://agency.example/own/{i}"));
        }
        releases.push(r);
    }
    let feed = serde_json::json!({ "version": "1", "agency": { "name": "Agency & Co" }, "releases": releases });
    std::fs::write(out.join("in.json"), feed.to_string()).unwrap();
    let dir = out.join("site");
    build(out.join("in.json").to_str().unwrap(), &dir, &[]);
    let source = read_feed(out.join("in.json").to_str().unwrap());
    let address = |r: &Release| r.url.clone().unwrap_or_else(|| format!("{SITE}releases/{}/", r.id));
    let rss = read_feed(dir.join("feed.xml").to_str().unwrap());
    assert!(rss.problems.is_empty(), "{:?}", rss.problems);
    same_releases(&source.releases, &rss, "feed.xml", &address);
    let alt = rss.releases[0].image.as_ref().unwrap().alt.clone();
    assert_eq!(alt, "An <alt> text");
    let json = read_feed(dir.join("feed.json").to_str().unwrap());
    assert!(json.problems.is_empty(), "{:?}", json.problems);
    same_releases(&source.releases, &json, "feed.json", &address);
    assert_eq!(json.agency.as_ref().map(|a| a.name.as_str()), Some("Agency & Co"));
    assert_eq!(json.language.as_deref(), Some("en"));
    let text = std::fs::read_to_string(dir.join("feed.xml")).unwrap();
    assert!(text.contains(&format!("<atom:link href=\"{SITE}feed.xml\" rel=\"self\" type=\"application/rss+xml\"/>")));
    assert!(text.contains("<pubDate>Tue, 28 Jan 2020 07:30:00 -0500</pubDate>"), "{}", &text[..2000]);
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(dir.join("feed.json")).unwrap()).unwrap();
    assert_eq!(v["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(v["feed_url"], format!("{SITE}feed.json"));
    // The sitemap has the 30 pages that are their release's own address, with lastmod.
    let sitemap = std::fs::read_to_string(dir.join("sitemap.xml")).unwrap();
    assert_eq!(sitemap.matches("<url>").count(), 30);
    assert!(
        sitemap.contains(&format!(
            "<url><loc>{SITE}releases/n59/</loc><lastmod>2020-01-04T09:30:00-05:00</lastmod></url>"
        )),
        "{sitemap}"
    );
}

/// Pieces read from an archive directory, as the widget would fetch them.
struct DirPieces(PathBuf);

impl Pieces for DirPieces {
    fn get(&mut self, name: &str) -> Result<Option<Arc<[u8]>>, String> {
        Ok(Some(std::fs::read(self.0.join("p").join(name)).map_err(|e| e.to_string())?.into()))
    }
}

#[test]
fn the_widget_on_the_archive_shares_the_page_when_the_feed_gave_no_address() {
    let out = temp("widget");
    let feed = r#"{"version":"1","releases":[
        {"id":"own","title":"Has its own","date":"2021-01-02","url":"https://agency.example/own"},
        {"id":"no-url","title":"Has none","date":"2021-01-01"}]}"#;
    std::fs::write(out.join("in.json"), feed).unwrap();
    let dir = out.join("site");
    build(out.join("in.json").to_str().unwrap(), &dir, &[]);
    let manifest = Manifest::from_json(&std::fs::read_to_string(dir.join("archive.json")).unwrap()).unwrap();
    let archive = Archive::new(manifest);
    let mut pieces = DirPieces(dir.clone());
    let urls: Vec<Option<String>> = (0..2).map(|n| archive.open(n, &mut pieces).unwrap().0.url).collect();
    assert_eq!(urls, [Some(format!("{SITE}releases/no-url/")), Some("https://agency.example/own".into())]);
    let fallback = std::fs::read_to_string(dir.join("fallback.html")).unwrap();
    assert!(fallback.contains(&format!("<a href=\"{SITE}releases/no-url/\">Has none</a>")));
    // Without --site-url the archive is as before: no address made up.
    let plain = out.join("plain");
    let (ok, _, e) = archive_plain(&out.join("in.json"), &plain);
    assert!(ok, "{e}");
    let archive =
        Archive::new(Manifest::from_json(&std::fs::read_to_string(plain.join("archive.json")).unwrap()).unwrap());
    assert_eq!(archive.open(0, &mut DirPieces(plain.clone())).unwrap().0.url, None);
    assert!(!plain.join("releases").exists() && !plain.join("sitemap.xml").exists());
}

fn archive_plain(source: &Path, out: &Path) -> (bool, String, String) {
    archive(&[source.to_str().unwrap(), "--out", out.to_str().unwrap(), "--include-future"])
}

#[test]
fn hostile_ids_are_encoded_and_never_leave_the_directory() {
    let out = temp("hostile");
    let ids = [
        "../../../escaped",
        "..",
        ".",
        "a/b",
        "a\\b",
        "/etc/passwd",
        "C:\\Windows",
        "%2e%2e%2fx",
        "<script>alert(1)</script>",
        "a b",
        "A B",
        "a-b",
        "?q=1#frag",
        "\u{0}nul",
        "ünï/côdé",
        ".hidden",
        "",
    ];
    let releases: Vec<serde_json::Value> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| serde_json::json!({ "id": id, "title": format!("Title {i}"), "date": format!("2021-01-{:02}", i + 1) }))
        .collect();
    std::fs::write(out.join("in.json"), serde_json::json!({ "releases": releases }).to_string()).unwrap();
    let dir = out.join("a").join("site");
    std::fs::create_dir_all(&dir).unwrap();
    let (ok, stdout, stderr) = archive(&[
        out.join("in.json").to_str().unwrap(),
        "--out",
        dir.to_str().unwrap(),
        "--include-future",
        "--site-url",
        SITE,
    ]);
    assert!(ok, "{stdout}{stderr}");
    let source = read_feed(out.join("in.json").to_str().unwrap());
    let slugs = page_slugs(&dir);
    assert_eq!(slugs.len(), source.releases.len(), "one page each, distinct: {slugs:?}");
    for slug in &slugs {
        assert!(slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_".contains(&b)), "{slug}");
        assert!(dir.join("releases").join(slug).join("index.html").is_file());
    }
    // Nothing beside the archive directory, and nothing in it but what the command writes.
    let outside: Vec<String> =
        snapshot(&out).into_keys().filter(|k| !k.starts_with("a/site/") && k != "in.json").collect();
    assert!(outside.is_empty(), "{outside:?}");
    for name in snapshot(&dir).into_keys() {
        let ok = name.starts_with("p/")
            || name.starts_with("releases/") && name.ends_with("/index.html") && name.matches('/').count() == 2
            || [
                "archive.json",
                "fallback.html",
                "sitemap.xml",
                "feed.xml",
                "feed.json",
                ".release-embed-pieces",
                ".release-embed-pages",
                ".release-embed-lock",
            ]
            .contains(&name.as_str());
        assert!(ok, "unexpected file {name}");
    }
    // Each release's page is at the address its card and its canonical link give.
    for r in &source.releases {
        let fallback = std::fs::read_to_string(dir.join("fallback.html")).unwrap();
        let at = fallback.find(&format!(">{}</a>", r.title)).unwrap();
        let href = fallback[..at].rsplit("href=\"").next().unwrap().trim_end_matches('"');
        let slug = href.strip_prefix(&format!("{SITE}releases/")).unwrap().trim_end_matches('/');
        let html = std::fs::read_to_string(dir.join("releases").join(slug).join("index.html")).unwrap();
        assert_eq!(canonical(&html), href);
        assert_eq!(json_ld(&html)["headline"], r.title.as_str());
        assert!(!html.contains("<script>alert"), "{html}");
    }
    // The same ids build the same addresses again, whatever else is in the feed.
    let again = out.join("again");
    let fewer: Vec<serde_json::Value> =
        ids.iter().skip(5).map(|id| serde_json::json!({ "id": id, "title": "T", "date": "2022-01-01" })).collect();
    std::fs::write(out.join("fewer.json"), serde_json::json!({ "releases": fewer }).to_string()).unwrap();
    build(out.join("fewer.json").to_str().unwrap(), &again, &[]);
    let kept = page_slugs(&again);
    assert!(kept.is_subset(&slugs), "{kept:?} within {slugs:?}");
}

#[test]
fn bad_site_urls_and_templates_are_refused_with_a_reason() {
    let out = temp("refused");
    let source = format!("{ROOT}/www/releases.json");
    let dir = out.join("site");
    for bad in ["/news/", "agency.example/news/", "ftp://agency.example/", "javascript:alert(1)//"] {
        let (ok, _, stderr) = archive(&[&source, "--out", dir.to_str().unwrap(), "--site-url", bad]);
        assert!(!ok, "{bad}");
        assert!(stderr.contains("--site-url must be an absolute http(s) address"), "{bad}: {stderr}");
        assert!(!dir.join("archive.json").exists(), "nothing built");
    }
    std::fs::write(out.join("t.html"), "<html><head><title>x</title></head><body>{{release}}</body></html>").unwrap();
    let (ok, _, stderr) = archive(&[
        &source,
        "--out",
        dir.to_str().unwrap(),
        "--site-url",
        SITE,
        "--page-template",
        out.join("t.html").to_str().unwrap(),
    ]);
    assert!(!ok);
    assert!(stderr.contains("has no {{head}}: put {{head}} inside <head>"), "{stderr}");
    let (ok, _, stderr) =
        archive(&[&source, "--out", dir.to_str().unwrap(), "--page-template", out.join("t.html").to_str().unwrap()]);
    assert!(!ok && stderr.contains("need --site-url"), "{stderr}");
}

#[test]
fn a_page_template_wears_the_agency_frame() {
    let out = temp("template");
    let template = "<!doctype html><html lang=\"{{lang}}\"><head>{{head}}<link rel=\"stylesheet\" href=\"/agency.css\"></head>\
        <body><header>Agency header <a href=\"{{newsroom}}\">{{agency}}</a></header><main>{{release}}</main><footer>Agency footer</footer></body></html>";
    std::fs::write(out.join("t.html"), template).unwrap();
    let dir = out.join("site");
    build(
        &format!("{ROOT}/www/releases.json"),
        &dir,
        &["--page-template", out.join("t.html").to_str().unwrap(), "--newsroom", "../newsroom.html"],
    );
    let html = std::fs::read_to_string(dir.join("releases/ag-kilmartin-immigration-2018/index.html")).unwrap();
    assert!(html.starts_with("<!doctype html><html lang=\"en\"><head><title>"));
    assert!(html.contains("<header>Agency header <a href=\"https://agency.example/newsroom.html\">Office of the Attorney General (sample data)</a></header><main><div class=\"re-page re-root\" lang=\"en\">"));
    assert!(html.contains("<a href=\"https://agency.example/newsroom.html\" data-re-list=\"\">All press releases</a>"));
    assert!(html.ends_with("</div></main><footer>Agency footer</footer></body></html>"));
}

/// A native feed of `n` releases without addresses of their own, one a day from 2001.
fn numbered(n: usize) -> String {
    let releases: Vec<serde_json::Value> = (0..n)
        .rev()
        .map(|i| {
            let date = format!("{}-{:02}-{:02}", 2001 + i / 336, 1 + i % 336 / 28, 1 + i % 28);
            serde_json::json!({ "id": format!("r{i}"), "title": format!("Release {i}"), "date": date,
                "tags": ["Topic"], "body": format!("Body of **{i}**.") })
        })
        .collect();
    serde_json::json!({ "version": "1", "releases": releases }).to_string()
}

#[test]
fn a_rebuild_after_one_new_release_leaves_the_other_pages_alone() {
    let out = temp("rebuild");
    let dir = out.join("site");
    let feed = out.join("in.json");
    std::fs::write(&feed, numbered(300)).unwrap();
    build(feed.to_str().unwrap(), &dir, &[]);
    let first = snapshot(&dir);
    // Every file's modification time (but the archive's own list of pieces, rewritten each build).
    let mtimes = |d: &Path| -> BTreeMap<String, std::time::SystemTime> {
        snapshot(d)
            .into_keys()
            .filter(|k| k != ".release-embed-pieces")
            .map(|k| (k.clone(), std::fs::metadata(d.join(&k)).unwrap().modified().unwrap()))
            .collect()
    };
    let first_times = mtimes(&dir);
    std::thread::sleep(std::time::Duration::from_millis(20));
    // The same feed again: nothing at all is rewritten.
    build(feed.to_str().unwrap(), &dir, &[]);
    assert_eq!(mtimes(&dir), first_times, "an unchanged build rewrites nothing");
    std::fs::write(&feed, numbered(301)).unwrap();
    let (ok, stdout, stderr) =
        archive(&[feed.to_str().unwrap(), "--out", dir.to_str().unwrap(), "--include-future", "--site-url", SITE]);
    assert!(ok, "{stderr}");
    let second = snapshot(&dir);
    let second_times = mtimes(&dir);
    let changed: Vec<&String> = second.keys().filter(|k| first.get(*k) != second.get(*k)).collect();
    let rewritten: Vec<&String> = second_times.keys().filter(|k| first_times.get(*k) != second_times.get(*k)).collect();
    let beyond_pieces: Vec<&str> = rewritten
        .iter()
        .map(|k| k.as_str())
        .filter(|k| !k.starts_with("p/") && !["archive.json", "fallback.html"].contains(k))
        .collect();
    let expected = ["feed.json", "feed.xml", "releases/r300/index.html", "sitemap.xml", ".release-embed-pages"];
    assert!(beyond_pieces.iter().all(|k| expected.contains(k)), "{beyond_pieces:?}\n{stdout}");
    assert!(beyond_pieces.contains(&"releases/r300/index.html") && beyond_pieces.contains(&"sitemap.xml"));
    assert!(beyond_pieces.len() <= 10, "{beyond_pieces:?}");
    assert!(changed.iter().any(|k| *k == "releases/r300/index.html"));
    for (name, bytes) in &first {
        if name.starts_with("releases/") {
            assert_eq!(second.get(name), Some(bytes), "{name} unchanged");
            assert_eq!(second_times.get(name), first_times.get(name), "{name} not rewritten");
        }
    }
    assert!(stdout.contains("301 release pages, changed 1 and removed 0 of them"), "{stdout}");
    // A release that leaves the feed loses its page.
    std::fs::write(&feed, numbered(299)).unwrap();
    let (ok, stdout, _) =
        archive(&[feed.to_str().unwrap(), "--out", dir.to_str().unwrap(), "--include-future", "--site-url", SITE]);
    assert!(ok);
    assert!(stdout.contains("removed 2 of them"), "{stdout}");
    assert!(!dir.join("releases/r300").exists() && !dir.join("releases/r299").exists());
}
