//! Reading the sources: files, or http(s) addresses fetched with every page followed (JSON Feed
//! `next_url`, WordPress `X-WP-TotalPages`), each read by the widget's own readers.

use std::collections::HashSet;
use std::time::Duration;

use release_embed::feed::{self, next_page};
use release_embed::model::Feed;

/// More pages than any agency publishes; a feed whose pages loop is stopped long before.
pub const MAX_PAGES: usize = 100_000;

/// Reads one source into one feed, or says what went wrong with it. An http(s) answer longer
/// than `max_bytes` is refused.
pub fn load(source: &str, max_bytes: u64, progress: &mut dyn FnMut(&str)) -> Result<Feed, String> {
    let is_url = source.starts_with("http://") || source.starts_with("https://");
    if !is_url {
        let bytes = std::fs::read(source).map_err(|e| format!("cannot read the file: {e}"))?;
        return read(bytes, "");
    }
    let agent: ureq::Agent =
        ureq::Agent::config_builder().timeout_global(Some(Duration::from_secs(120))).build().into();
    let mut seen = HashSet::new();
    let mut next = Some(source.to_string());
    let mut feed: Option<Feed> = None;
    while let Some(url) = next.take() {
        if seen.len() >= MAX_PAGES {
            return Err(format!("it has more than {MAX_PAGES} pages; stopped before {url}"));
        }
        if !seen.insert(url.clone()) {
            return Err(format!("its pages lead back to {url}"));
        }
        progress(&format!("fetching page {} of {source}", seen.len()));
        let page_error = |e: String| if seen.len() == 1 { e } else { format!("page {} ({url}): {e}", seen.len()) };
        let (bytes, total_pages) = get(&agent, &url, max_bytes).map_err(page_error)?;
        let mut page = read(bytes, &url).map_err(page_error)?;
        page.next = page.next.or_else(|| total_pages.and_then(|total| next_page(&url, total)));
        next = page.next.clone();
        match &mut feed {
            Some(f) => {
                f.merge(page);
            }
            None => feed = Some(page),
        }
    }
    feed.ok_or_else(|| "it has no pages".to_string())
}

fn get(agent: &ureq::Agent, url: &str, max_bytes: u64) -> Result<(Vec<u8>, Option<u32>), String> {
    let mut response = agent.get(url).call().map_err(|e| match e {
        ureq::Error::StatusCode(code) => format!("the server answered HTTP {code}"),
        other => format!("the request failed: {other}"),
    })?;
    let total_pages =
        response.headers().get("x-wp-totalpages").and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse().ok());
    let bytes = response.body_mut().with_config().limit(max_bytes).read_to_vec().map_err(|e| match e {
        ureq::Error::BodyExceedsLimit(_) => {
            format!("the answer is longer than --max-bytes ({max_bytes} bytes); nothing was written")
        }
        other => format!("the response broke off: {other}"),
    })?;
    Ok((bytes, total_pages))
}

/// One document through the widget's decoding and readers (so an ISO-8859-1 or UTF-16 feed reads
/// as it does in the browser). A document that breaks off is an error here: the widget shows what
/// it could read, but an archive built from half a feed would lose releases.
fn read(bytes: Vec<u8>, base: &str) -> Result<Feed, String> {
    let text = feed::decode_document(bytes).map_err(|e| e.to_string())?;
    let feed = feed::parse(&text, None, base).map_err(|e| e.to_string())?;
    if feed.cut_off {
        return Err(format!(
            "the document breaks off after {} releases (truncated or invalid); nothing was written",
            feed.releases.len()
        ));
    }
    Ok(feed)
}
