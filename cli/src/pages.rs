//! One static page per release (`DIR/releases/<slug>/index.html`), written when the archive is
//! built with `--site-url`: the widget's own release view (`render::detail`, with its cleaner,
//! Related links and Share this links) inside a page template, with the head tags that search
//! engines and link previews read. No script: the page is whole without it. See
//! docs/release-pages.md.

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use release_embed::i18n::{self, Labels};
use release_embed::model::{Date, Feed, Release};
use release_embed::options::Shares;
use release_embed::render::{self, Context, Esc};
use release_embed::url::{is_absolute_http, resolve};
use sha2::{Digest, Sha256};

use crate::output::{write_atomically, write_unsynced};

/// The folder of the pages inside the archive directory.
pub const RELEASES: &str = "releases";
/// The slugs of the last build's pages, so a release that left the feed loses its page.
pub const PAGE_LIST: &str = ".release-embed-pages";

/// The page template's two placeholders it must have (it may also use `{{lang}}`, `{{title}}`,
/// `{{newsroom}}` and `{{agency}}`).
pub const HEAD: &str = "{{head}}";
pub const RELEASE: &str = "{{release}}";

/// The default page: plain and accessible (a skip link, one `main`, the newsroom named in the
/// header).
pub const DEFAULT_TEMPLATE: &str = include_str!("page-template.html");
/// Rules for the default template's frame, appended to the widget's sheet. Only `.re-page-*`
/// classes, so the sheet stays one the widget's shadow root could adopt unchanged.
const PAGE_CSS: &str = include_str!("page.css");

/// An HTML file with a place for the head tags and one for the release.
#[derive(Debug, Clone)]
pub struct Template {
    text: String,
}

impl Template {
    /// Refuses a template without its placeholders, naming what is missing.
    pub fn parse(text: &str, name: &str) -> Result<Template, String> {
        let missing: Vec<&str> = [HEAD, RELEASE].into_iter().filter(|p| !text.contains(p)).collect();
        if !missing.is_empty() {
            return Err(format!(
                "the page template {name} has no {}: put {HEAD} inside <head> and {RELEASE} where the release goes",
                missing.join(" and ")
            ));
        }
        for p in [HEAD, RELEASE] {
            if text.matches(p).count() > 1 {
                return Err(format!("the page template {name} has {p} more than once"));
            }
        }
        Ok(Template { text: text.to_string() })
    }

    /// The template with each placeholder replaced in one pass (so a value that itself contains
    /// `{{…}}` is never expanded).
    fn fill(&self, values: &[(&str, &str)]) -> String {
        let mut out = String::with_capacity(self.text.len() + values.iter().map(|(_, v)| v.len()).sum::<usize>());
        let mut rest = self.text.as_str();
        while let Some(at) = rest.find("{{") {
            out.push_str(&rest[..at]);
            let tail = &rest[at..];
            match values.iter().find(|(k, _)| tail.starts_with(k)) {
                Some((k, v)) => {
                    out.push_str(v);
                    rest = &tail[k.len()..];
                }
                None => {
                    out.push_str("{{");
                    rest = &tail[2..];
                }
            }
        }
        out.push_str(rest);
        out
    }
}

/// Where the pages live and what every page shares.
pub struct Site {
    /// Absolute http(s), ending in `/`: the address `DIR` is served at.
    pub url: String,
    /// Where "All press releases" goes: the page with the widget.
    pub newsroom: String,
    /// What relative addresses in the feed resolve against (the feed's own address when it was
    /// fetched; else the archive's, as the widget does).
    pub base: String,
    pub lang: String,
    pub labels: &'static Labels,
    /// The feed's agency, for titles and `og:site_name`.
    pub agency: Option<String>,
    pub template: Template,
    /// The stylesheet's name in the pieces folder.
    pub stylesheet: String,
}

/// Checks `--site-url`: absolute http(s), no query or fragment; a `/` is added at the end.
pub fn site_url(raw: &str) -> Result<String, String> {
    let url = raw.trim();
    if !is_absolute_http(url) || url.contains(['?', '#', ' ', '"', '<', '>']) {
        return Err(format!(
            "--site-url must be an absolute http(s) address without a query, such as \
             https://agency.example/news/ (got \u{201c}{raw}\u{201d})"
        ));
    }
    Ok(if url.ends_with('/') { url.to_string() } else { format!("{url}/") })
}

/// The sheet the pages link to: the widget's own, and the default frame's few rules.
pub fn stylesheet() -> String {
    format!("{}\n{}", render::STYLESHEET, PAGE_CSS.trim())
}

impl Site {
    /// The address of the page at `slug`.
    pub fn page_url(&self, slug: &str) -> String {
        format!("{}{RELEASES}/{slug}/", self.url)
    }

    /// The release's own address as the feed gave it, when that is a full web address.
    pub fn own_url(&self, r: &Release) -> Option<String> {
        r.url.as_deref().map(|u| resolve(&self.base, u)).filter(|u| is_absolute_http(u))
    }

    fn date(&self, d: &Date) -> String {
        format_date(&self.lang, d)
    }
}

/// "June 19, 2018", or "19 de junio de 2018" on a Spanish feed (the widget's two catalogues).
pub fn format_date(lang: &str, d: &Date) -> String {
    const MESES: [&str; 12] = [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ];
    if i18n::for_lang(lang).all_releases == i18n::ES.all_releases {
        format!("{} de {} de {}", d.day, MESES[usize::from(d.month) - 1], d.year)
    } else {
        d.english()
    }
}

/// A slug is used as it is when the id already is one: lower-case ASCII letters, digits, `-`
/// and `_`, starting with a letter or digit, at most this long.
const CLEAN_MAX: usize = 80;
/// How much of a readable slug is kept before the id's hash.
const READABLE_MAX: usize = 60;

fn is_clean(id: &str) -> bool {
    id.len() <= CLEAN_MAX
        && id.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// Whether a name read back from [`PAGE_LIST`] could be a slug this code wrote (so clean-up never
/// leaves `DIR/releases/`, whatever that file says).
fn is_slug(name: &str) -> bool {
    is_clean(name) || (name.len() <= 200 && is_clean(&name.replace('-', "")))
}

/// The readable part of an id: its letters and digits in lower case, other runs as one `-`.
fn readable(id: &str) -> String {
    let mut out = String::new();
    for c in id.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            if out.len() >= READABLE_MAX {
                break;
            }
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    if out.is_empty() {
        "release".into()
    } else {
        out.into()
    }
}

fn hashed(id: &str, hex_len: usize) -> String {
    let hash = Sha256::digest(id.as_bytes());
    let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{}", readable(id), &hex[..hex_len])
}

/// Each release's page folder, in the order of `ids`: the id itself when it is a clean slug,
/// else its readable part and a hash of the id (`2021/05/Fund` → `2021-05-fund-3f9a…`). An
/// address depends only on its own id, so it stays when releases come and go; ids that still
/// meet get a longer hash, and a repeated id a `-2`, `-3`… in the order given.
pub fn slugs(ids: &[&str]) -> Vec<String> {
    let mut out: Vec<String> =
        ids.iter().map(|id| if is_clean(id) { id.to_string() } else { hashed(id, 12) }).collect();
    for hex_len in [24, 64] {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for s in &out {
            *seen.entry(s.as_str()).or_default() += 1;
        }
        let clash: BTreeSet<String> = seen.into_iter().filter(|(_, n)| *n > 1).map(|(s, _)| s.to_string()).collect();
        if clash.is_empty() {
            return out;
        }
        for (slug, id) in out.iter_mut().zip(ids) {
            if clash.contains(slug.as_str()) && !is_clean(id) {
                *slug = hashed(id, hex_len);
            }
        }
    }
    // Only the same id twice is left.
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let mut uses: HashMap<String, usize> = HashMap::new();
    for s in &out {
        *uses.entry(s.clone()).or_default() += 1;
    }
    for slug in out.iter_mut() {
        if uses[slug.as_str()] > 1 {
            let mut n = 1;
            let mut candidate = slug.clone();
            while taken.contains(&candidate) {
                n += 1;
                candidate = format!("{slug}-{n}");
            }
            *slug = candidate;
        }
        taken.insert(slug.clone());
    }
    out
}

/// The release as the page shows it: its addresses resolved, so they work from the page's own
/// folder and in link previews.
fn resolved(r: &Release, base: &str) -> Release {
    let mut r = r.clone();
    if let Some(image) = &mut r.image {
        image.url = resolve(base, &image.url);
    }
    for link in &mut r.related_links {
        link.url = resolve(base, &link.url);
    }
    r
}

/// The address a release is shared under: its own, else its page.
pub fn share_url(site: &Site, r: &Release, slug: &str) -> String {
    site.own_url(r).unwrap_or_else(|| site.page_url(slug))
}

/// The page of one release.
pub fn page(site: &Site, release: &Release, slug: &str) -> String {
    let r = resolved(release, &site.base);
    let share = share_url(site, release, slug);
    let format_date = |d: &Date| site.date(d);
    let link = |id: Option<&str>| match id {
        None => site.newsroom.clone(),
        Some(_) => share.clone(),
    };
    let share_for = |_: &Release| share.clone();
    let cx = Context {
        labels: site.labels,
        heading_level: 1,
        section_label: site.labels.section,
        format_date: &format_date,
        link: &link,
        share_url: &share_for,
        base: r.base.as_deref().unwrap_or(&site.base),
        native_share: false,
        shares: Shares::LINKS,
        has_list: true,
        bodies: render::body_html,
    };
    let body = format!("<div class=\"re-page re-root\" lang=\"{}\">{}</div>", Esc(&site.lang), render::detail(&r, &cx));
    let head = head_tags(site, &r, &share);
    let agency = site.agency.as_deref().unwrap_or(site.labels.section);
    site.template.fill(&[
        (HEAD, &head),
        (RELEASE, &body),
        ("{{lang}}", &Esc(&site.lang).to_string()),
        ("{{title}}", &Esc(&r.title).to_string()),
        ("{{newsroom}}", &Esc(&site.newsroom).to_string()),
        ("{{agency}}", &Esc(agency).to_string()),
    ])
}

/// What a search engine or a link preview reads in `<head>`.
fn head_tags(site: &Site, r: &Release, share: &str) -> String {
    let mut h = String::new();
    let mut tag = |line: String| {
        h.push_str(&line);
        h.push('\n');
    };
    let title = match &site.agency {
        Some(agency) => format!("{} | {agency}", r.title),
        None => r.title.clone(),
    };
    let description = render::summary(r).unwrap_or_default();
    let feeds_title = site.agency.as_deref().unwrap_or(site.labels.section);
    tag(format!("<title>{}</title>", Esc(&title)));
    if !description.is_empty() {
        tag(format!("<meta name=\"description\" content=\"{}\">", Esc(&description)));
    }
    tag("<meta name=\"color-scheme\" content=\"light dark\">".into());
    tag(format!("<link rel=\"canonical\" href=\"{}\">", Esc(share)));
    tag(format!("<link rel=\"stylesheet\" href=\"../../{}/{}\">", crate::output::PIECES, Esc(&site.stylesheet)));
    tag(format!(
        "<link rel=\"alternate\" type=\"application/rss+xml\" title=\"{}\" href=\"{}feed.xml\">",
        Esc(feeds_title),
        Esc(&site.url)
    ));
    tag(format!(
        "<link rel=\"alternate\" type=\"application/feed+json\" title=\"{}\" href=\"{}feed.json\">",
        Esc(feeds_title),
        Esc(&site.url)
    ));
    let meta = |kind: &str, name: &str, value: &str| format!("<meta {kind}=\"{name}\" content=\"{}\">", Esc(value));
    tag(meta("property", "og:type", "article"));
    tag(meta("property", "og:title", &r.title));
    if !description.is_empty() {
        tag(meta("property", "og:description", &description));
    }
    tag(meta("property", "og:url", share));
    if let Some(agency) = &site.agency {
        tag(meta("property", "og:site_name", agency));
    }
    let image = r.image.as_ref().filter(|i| is_absolute_http(&i.url));
    if let Some(image) = image {
        tag(meta("property", "og:image", &image.url));
        if !image.alt.is_empty() {
            tag(meta("property", "og:image:alt", &image.alt));
        }
    }
    if let Some(date) = &r.date {
        tag(meta("property", "article:published_time", date.machine()));
    }
    for t in &r.tags {
        tag(meta("property", "article:tag", t));
    }
    tag(meta("name", "twitter:card", if image.is_some() { "summary_large_image" } else { "summary" }));
    tag(meta("name", "twitter:title", &r.title));
    if !description.is_empty() {
        tag(meta("name", "twitter:description", &description));
    }
    if let Some(image) = image {
        tag(meta("name", "twitter:image", &image.url));
        if !image.alt.is_empty() {
            tag(meta("name", "twitter:image:alt", &image.alt));
        }
    }
    // A data block for search engines, never run (the widget's own JSON-LD, `<` escaped).
    let publisher = site.agency.as_deref();
    tag(format!("<script type=\"application/ld+json\">{}</script>", render::json_ld(r, publisher, share)));
    h.pop();
    h
}

/// Writes the pages that changed and removes those of releases no longer in the feed.
pub struct PageWriter {
    dir: PathBuf,
    slugs: BTreeSet<String>,
    pub written: u64,
    pub removed: u64,
    pub bytes: u64,
}

impl PageWriter {
    pub fn new(dir: &Path) -> PageWriter {
        PageWriter { dir: dir.to_path_buf(), slugs: BTreeSet::new(), written: 0, removed: 0, bytes: 0 }
    }

    /// Writes every release's page, on as many threads as there are cores: a page depends only
    /// on its own release.
    pub fn put_all(&mut self, site: &Site, releases: &[Release], slugs: &[String]) -> Result<(), String> {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8);
        let chunk = releases.len().div_ceil(threads).max(1);
        let dir = &self.dir;
        let results: Vec<Result<(u64, u64), String>> = std::thread::scope(|scope| {
            let handles: Vec<_> = releases
                .chunks(chunk)
                .zip(slugs.chunks(chunk))
                .map(|(rs, ss)| {
                    scope.spawn(move || {
                        let (mut written, mut bytes) = (0, 0);
                        for (r, slug) in rs.iter().zip(ss) {
                            let html = page(site, r, slug);
                            bytes += html.len() as u64;
                            written += u64::from(write_page(dir, slug, &html)?);
                        }
                        Ok((written, bytes))
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|_| Err("a page could not be written".into())))
                .collect()
        });
        for result in results {
            let (written, bytes) = result?;
            self.written += written;
            self.bytes += bytes;
        }
        self.slugs.extend(slugs.iter().cloned());
        Ok(())
    }

    /// Removes the pages the previous build wrote and this one did not, then records this build's.
    pub fn finish(&mut self) -> Result<(), String> {
        let list = self.dir.join(PAGE_LIST);
        let previous = fs::read_to_string(&list).unwrap_or_default();
        for old in previous.lines().filter(|s| is_slug(s) && !self.slugs.contains(*s)) {
            let folder = self.dir.join(RELEASES).join(old);
            match fs::remove_file(folder.join("index.html")) {
                Ok(()) => self.removed += 1,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(format!("cannot remove the old page {}: {e}", folder.display())),
            }
            // Only when empty: anything the agency put beside it stays.
            let _ = fs::remove_dir(&folder);
        }
        let mut current = self.slugs.iter().cloned().collect::<Vec<_>>().join("\n");
        current.push('\n');
        if previous != current {
            write_atomically(&list, current.as_bytes())?;
        }
        Ok(())
    }
}

/// Writes `DIR/releases/<slug>/index.html` unless it already holds these bytes; true when written.
fn write_page(dir: &Path, slug: &str, html: &str) -> Result<bool, String> {
    // Slugs are made by [`slugs`]; this keeps any other name from leaving the folder.
    if !is_slug(slug) {
        return Err(format!("internal error: {slug:?} is not a page slug"));
    }
    let folder = dir.join(RELEASES).join(slug);
    let path = folder.join("index.html");
    if fs::read(&path).is_ok_and(|old| old == html.as_bytes()) {
        return Ok(false);
    }
    fs::create_dir_all(&folder).map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
    // Flushed with the pieces, before the manifest: an fsync a page would cost minutes.
    write_unsynced(&path, html.as_bytes())?;
    Ok(true)
}

/// What `--site-url`, `--page-template` and `--newsroom` asked for, checked before any source is
/// read.
pub struct SiteOptions {
    url: String,
    template: Template,
    newsroom: String,
}

impl SiteOptions {
    pub fn load(url: &str, template: Option<&Path>, newsroom: Option<&str>) -> Result<SiteOptions, String> {
        let url = site_url(url)?;
        let template = match template {
            Some(path) => {
                let text = fs::read_to_string(path)
                    .map_err(|e| format!("cannot read the page template {}: {e}", path.display()))?;
                Template::parse(&text, &path.display().to_string())?
            }
            None => Template::parse(DEFAULT_TEMPLATE, "(default)")?,
        };
        let newsroom = newsroom.map_or_else(|| url.clone(), |n| resolve(&url, n.trim()));
        if !is_absolute_http(&newsroom) {
            return Err(format!("--newsroom must be an http(s) address (got \u{201c}{newsroom}\u{201d})"));
        }
        Ok(SiteOptions { url, template, newsroom })
    }

    /// Gives every release its page's slug, and its page as its address when the feed gave it
    /// none (so the archive's cards, the fallback and the widget's Share this use the page).
    /// `base` is the address the feed was read from, if any.
    pub fn prepare(self, feed: &mut Feed, base: &str) -> (Site, Vec<String>) {
        let site = Site {
            base: if base.is_empty() { self.url.clone() } else { base.to_string() },
            lang: feed.language.clone().filter(|l| !l.trim().is_empty()).unwrap_or_else(|| "en".into()),
            labels: &i18n::EN,
            agency: feed.agency.as_ref().map(|a| a.name.clone()),
            url: self.url,
            newsroom: self.newsroom,
            template: self.template,
            stylesheet: String::new(),
        };
        let site = Site { labels: i18n::for_lang(&site.lang), ..site };
        let ids: Vec<&str> = feed.releases.iter().rev().map(|r| r.id.as_str()).collect();
        let mut slugs = slugs(&ids);
        slugs.reverse();
        for (r, slug) in feed.releases.iter_mut().zip(&slugs) {
            if site.own_url(r).is_none() {
                r.url = Some(site.page_url(slug));
            }
        }
        (site, slugs)
    }
}

/// What writing the pages did, for the command's report.
pub struct Written {
    pub pages: u64,
    pub pages_written: u64,
    pub pages_removed: u64,
    pub other_written: u64,
}

/// Writes the stylesheet, every release's page, the sitemap and the two feeds. `slugs` are in
/// the order of `feed.releases` (newest first).
pub fn write_site(
    mut site: Site,
    feed: &Feed,
    slugs: &[String],
    dir: &Path,
    sink: &mut crate::output::DirSink,
) -> Result<Written, String> {
    use release_embed::archive::PieceSink;
    let before = sink.files_written;
    site.stylesheet = sink.put("css", stylesheet().into_bytes())?;
    let mut writer = PageWriter::new(dir);
    writer.put_all(&site, &feed.releases, slugs)?;
    writer.finish()?;
    // The pages that are their own canonical address, oldest first.
    let entries: Vec<crate::sitemap::Entry> = feed
        .releases
        .iter()
        .zip(slugs)
        .rev()
        .filter(|(r, slug)| share_url(&site, r, slug) == site.page_url(slug))
        .map(|(r, slug)| crate::sitemap::Entry {
            loc: site.page_url(slug),
            lastmod: r.date.as_ref().map(|d| crate::sitemap::lastmod(d.machine())),
        })
        .collect();
    let files = crate::sitemap::files(&entries, &site.url, crate::sitemap::PER_FILE);
    let parts = files.len();
    for (name, text) in files {
        sink.replace(&name, text.as_bytes())?;
    }
    // Parts of a larger sitemap that this one no longer has.
    let first_stale = if parts > 1 { parts } else { 1 };
    for n in first_stale.. {
        match fs::remove_file(dir.join(format!("sitemap-{n}.xml"))) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => break,
            Err(e) => return Err(format!("cannot remove an old sitemap-{n}.xml: {e}")),
        }
    }
    let newest: Vec<(&Release, &str)> =
        feed.releases.iter().zip(slugs).take(crate::syndication::NEWEST).map(|(r, s)| (r, s.as_str())).collect();
    sink.replace("feed.xml", crate::syndication::rss(&site, &newest).as_bytes())?;
    sink.replace("feed.json", crate::syndication::json_feed(&site, &newest).as_bytes())?;
    Ok(Written {
        pages: writer.slugs.len() as u64,
        pages_written: writer.written,
        pages_removed: writer.removed,
        other_written: sink.files_written - before,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_ids_are_their_own_slugs_and_others_are_encoded_with_a_hash() {
        let ids = ["ag-2018-06", "../../etc/passwd", "a/b", "A B", "a-b", "", "..", "%2e%2e", "Ünïcødé"];
        let s = slugs(&ids);
        assert_eq!(s[0], "ag-2018-06");
        assert!(s[1].starts_with("etc-passwd-") && s[1].len() == "etc-passwd-".len() + 12, "{}", s[1]);
        assert!(s[2].starts_with("a-b-"));
        assert!(s[3].starts_with("a-b-"));
        assert_eq!(s[4], "a-b");
        assert!(s[5].starts_with("release-") && s[6].starts_with("release-"));
        for slug in &s {
            assert!(is_slug(slug), "{slug}");
            assert!(slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_".contains(&b)), "{slug}");
        }
        let distinct: BTreeSet<&String> = s.iter().collect();
        assert_eq!(distinct.len(), ids.len(), "{s:?}");
        // Stable: the same id gets the same address whatever else is in the feed.
        assert_eq!(slugs(&["a/b"])[0], s[2]);
        assert_eq!(slugs(&["x", "A B", "y"])[1], s[3]);
    }

    #[test]
    fn ids_that_meet_anyway_are_still_told_apart() {
        let clashing = hashed("A B", 12);
        let s = slugs(&["A B", &clashing, "same", "same"]);
        assert_eq!(s[1], clashing, "the clean id keeps its own slug");
        assert_eq!(s[0], hashed("A B", 24));
        assert_eq!(&s[2..], ["same", "same-2"]);
    }

    #[test]
    fn only_absolute_http_site_urls_are_taken() {
        assert_eq!(site_url("https://agency.example/news").unwrap(), "https://agency.example/news/");
        assert_eq!(site_url("http://127.0.0.1:8080/archive/").unwrap(), "http://127.0.0.1:8080/archive/");
        for bad in [
            "/news/",
            "agency.example/news/",
            "ftp://a.example/",
            "javascript:alert(1)",
            "https://a.example/?q=1",
            "https://",
        ] {
            let err = site_url(bad).unwrap_err();
            assert!(err.contains("--site-url must be an absolute http(s) address"), "{bad}: {err}");
        }
    }

    #[test]
    fn a_template_without_its_placeholders_is_refused_by_name() {
        let err = Template::parse("<html><body></body></html>", "t.html").unwrap_err();
        assert!(err.contains("has no {{head}} and {{release}}"), "{err}");
        let err = Template::parse("<head>{{head}}</head>", "t.html").unwrap_err();
        assert!(err.contains("has no {{release}}:") && !err.contains("no {{head}}"), "{err}");
        let err = Template::parse("{{head}}{{release}}{{release}}", "t.html").unwrap_err();
        assert!(err.contains("{{release}} more than once"), "{err}");
        let t = Template::parse("<x lang=\"{{lang}}\">{{head}}|{{release}}|{{other}}</x>", "t").unwrap();
        assert_eq!(
            t.fill(&[(HEAD, "H {{release}}"), (RELEASE, "R"), ("{{lang}}", "es")]),
            "<x lang=\"es\">H {{release}}|R|{{other}}</x>"
        );
        assert!(Template::parse(DEFAULT_TEMPLATE, "default").is_ok());
        for p in ["{{lang}}", "{{newsroom}}", "{{agency}}"] {
            assert!(DEFAULT_TEMPLATE.contains(p), "{p}");
        }
    }

    #[test]
    fn spanish_feeds_get_spanish_dates() {
        let d = Date::parse("2018-06-19").unwrap();
        assert_eq!(format_date("es-US", &d), "19 de junio de 2018");
        assert_eq!(format_date("en", &d), "June 19, 2018");
    }
}
