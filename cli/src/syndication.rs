//! `DIR/feed.xml` (RSS 2.0 with `content:encoded`) and `DIR/feed.json` (JSON Feed 1.1): the
//! newest releases for feed readers and subscription services, written from the same releases
//! as the pages (bodies cleaned by the widget's renderer, links to each release's own address).

use release_embed::model::{Date, Release};
use release_embed::render::{self, BodyHtml, Esc};
use serde_json::{json, Value};

use crate::pages::{share_url, Site};

/// How many releases each feed carries.
pub const NEWEST: usize = 50;

/// The body as clean HTML, as the page shows it (headings from `<h2>`).
fn body(site: &Site, r: &Release) -> Option<String> {
    let base = r.base.as_deref().unwrap_or(&site.base);
    match render::body_html(r.body.as_ref()?, base, 2) {
        BodyHtml::Ready(html) => Some(html),
        BodyHtml::Loading | BodyHtml::Failed => None,
    }
}

fn title(site: &Site) -> String {
    site.agency.clone().unwrap_or_else(|| site.labels.section.to_string())
}

/// RFC 3339, as JSON Feed asks: a date alone is taken as midnight UTC, a time without an offset
/// as UTC.
pub fn rfc3339(d: &Date) -> String {
    let text = d.machine();
    if text.len() == 10 {
        format!("{text}T00:00:00Z")
    } else if crate::sitemap::lastmod(text).len() == 10 {
        format!("{text}Z")
    } else {
        text.to_string()
    }
}

/// RFC 822, as RSS asks (`Tue, 19 Jun 2018 10:00:00 -0400`), keeping the date's own offset.
pub fn rfc822(d: &Date) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let text = rfc3339(d);
    let time = text.get(11..19).unwrap_or("00:00:00");
    let zone = &text[19..];
    // Past any fraction of a second.
    let zone = zone.trim_start_matches(|c: char| c == '.' || c.is_ascii_digit());
    let zone = match zone {
        "Z" | "z" | "" => "+0000".to_string(),
        z => z.replace(':', ""),
    };
    format!(
        "{}, {:02} {} {:04} {time} {zone}",
        DAYS[d.day_number().rem_euclid(7) as usize],
        d.day,
        MONTHS[usize::from(d.month) - 1],
        d.year
    )
}

/// `releases` newest first, each with its page's slug.
pub fn rss(site: &Site, releases: &[(&Release, &str)]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" \
         xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" \
         xmlns:atom=\"http://www.w3.org/2005/Atom\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" \
         xmlns:media=\"http://search.yahoo.com/mrss/\">\n<channel>\n",
    );
    let title = title(site);
    out.push_str(&format!("<title>{}</title>\n", Esc(&title)));
    out.push_str(&format!("<link>{}</link>\n", Esc(&site.newsroom)));
    out.push_str(&format!("<description>{}</description>\n", Esc(&format!("{title}: {}", site.labels.section))));
    out.push_str(&format!("<language>{}</language>\n", Esc(&site.lang)));
    out.push_str(&format!(
        "<atom:link href=\"{}feed.xml\" rel=\"self\" type=\"application/rss+xml\"/>\n",
        Esc(&site.url)
    ));
    for (r, slug) in releases.iter().take(NEWEST) {
        out.push_str("<item>\n");
        out.push_str(&format!("<title>{}</title>\n", Esc(&r.title)));
        out.push_str(&format!("<link>{}</link>\n", Esc(&share_url(site, r, slug))));
        out.push_str(&format!("<guid isPermaLink=\"false\">{}</guid>\n", Esc(&r.id)));
        if let Some(date) = &r.date {
            out.push_str(&format!("<pubDate>{}</pubDate>\n", rfc822(date)));
        }
        if let Some(author) = &r.author {
            out.push_str(&format!("<dc:creator>{}</dc:creator>\n", Esc(author)));
        }
        for tag in &r.tags {
            out.push_str(&format!("<category>{}</category>\n", Esc(tag)));
        }
        if let Some(summary) = render::summary(r) {
            out.push_str(&format!("<description>{}</description>\n", Esc(&summary)));
        }
        if let Some(html) = body(site, r) {
            out.push_str(&format!("<content:encoded>{}</content:encoded>\n", Esc(&html)));
        }
        if let Some(image) = &r.image {
            let url = release_embed::url::resolve(&site.base, &image.url);
            out.push_str(&format!("<media:content url=\"{}\" medium=\"image\">", Esc(&url)));
            if !image.alt.is_empty() {
                out.push_str(&format!("<media:description>{}</media:description>", Esc(&image.alt)));
            }
            out.push_str("</media:content>\n");
        }
        out.push_str("</item>\n");
    }
    out.push_str("</channel>\n</rss>\n");
    out
}

/// JSON Feed 1.1.
pub fn json_feed(site: &Site, releases: &[(&Release, &str)]) -> String {
    let items: Vec<Value> = releases
        .iter()
        .take(NEWEST)
        .map(|(r, slug)| {
            let mut item = json!({
                "id": r.id,
                "url": share_url(site, r, slug),
                "title": r.title,
            });
            let mut set = |key: &str, value: Value| {
                item[key] = value;
            };
            if let Some(date) = &r.date {
                set("date_published", json!(rfc3339(date)));
            }
            if let Some(html) = body(site, r) {
                set("content_html", json!(html));
            }
            if let Some(summary) = &r.summary {
                set("summary", json!(summary));
            }
            if let Some(image) = &r.image {
                set("image", json!(release_embed::url::resolve(&site.base, &image.url)));
            }
            if !r.tags.is_empty() {
                set("tags", json!(r.tags));
            }
            if let Some(author) = &r.author {
                set("authors", json!([{ "name": author }]));
            }
            if !r.related_links.is_empty() {
                let links: Vec<Value> = r
                    .related_links
                    .iter()
                    .map(|l| {
                        json!({ "url": release_embed::url::resolve(&site.base, &l.url), "title": l.title, "mime_type": "text/html" })
                    })
                    .collect();
                set("attachments", json!(links));
            }
            item
        })
        .collect();
    let feed = json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": title(site),
        "home_page_url": site.newsroom,
        "feed_url": format!("{}feed.json", site.url),
        "language": site.lang,
        "items": items,
    });
    let mut text = serde_json::to_string_pretty(&feed).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_as_each_spec_asks() {
        let d = |s: &str| Date::parse(s).unwrap();
        assert_eq!(rfc822(&d("2018-06-19")), "Tue, 19 Jun 2018 00:00:00 +0000");
        assert_eq!(rfc822(&d("2018-06-19T14:30:00-04:00")), "Tue, 19 Jun 2018 14:30:00 -0400");
        assert_eq!(rfc822(&d("2021-01-03T08:00:00.5Z")), "Sun, 03 Jan 2021 08:00:00 +0000");
        assert_eq!(rfc3339(&d("2018-06-19")), "2018-06-19T00:00:00Z");
        assert_eq!(rfc3339(&d("2018-06-19T14:30:00")), "2018-06-19T14:30:00Z");
        assert_eq!(rfc3339(&d("2018-06-19T14:30:00+02:00")), "2018-06-19T14:30:00+02:00");
    }
}
