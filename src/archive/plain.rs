//! The archive reader's answers read back from plain values, field by field, with the names its
//! `Serialize` writes: JS objects in the browser (the archive part answers in them), JSON here in
//! the native tests. A deserialiser for these types would add more to the list view's wasm than
//! all of this (serde_json's took the first load up ~30 kB gzip), and one decoder for both means
//! the native tests check the very code the browser runs.

use super::manifest::{AgencyRef, BodyPiece, Card, ContactRef, LinkRef};
use super::reader::{Answer, Head, Listing, Opened};
use crate::error::Error;
use crate::search::Sort;

/// A plain value: an object, a list, a string, a number, or nothing (a missing field, `null`,
/// `undefined`), which has no fields, text or number.
pub trait Plain: Sized {
    fn field(&self, key: &str) -> Self;
    /// Whether the object has the key, even with no value (`{ ready: undefined }`).
    fn has(&self, key: &str) -> bool;
    fn text(&self) -> Option<String>;
    fn number(&self) -> Option<f64>;
    fn items(&self) -> Vec<Self>;
}

fn text<V: Plain>(v: &V, key: &str) -> Option<String> {
    v.field(key).text()
}

/// A count or an ordinal: a whole number that fits, never a wrapped one.
fn whole<V: Plain>(v: &V) -> Option<u32> {
    v.number().filter(|n| n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(n)).map(|n| n as u32)
}

fn list<V: Plain, T>(v: &V, key: &str, item: impl Fn(&V) -> Option<T>) -> Vec<T> {
    v.field(key).items().iter().filter_map(item).collect()
}

fn strings<V: Plain>(v: &V, key: &str) -> Vec<String> {
    list(v, key, V::text)
}

fn link<V: Plain>(v: &V) -> Option<LinkRef> {
    Some(LinkRef { title: text(v, "title")?, url: text(v, "url")? })
}

fn card<V: Plain>(v: &V) -> Option<Card> {
    Some(Card {
        id: text(v, "id")?,
        title: text(v, "title")?,
        date: text(v, "date")?,
        url: text(v, "url"),
        summary: text(v, "summary"),
        excerpt: text(v, "excerpt"),
        agency: text(v, "agency"),
        tags: strings(v, "tags"),
        image: link(&v.field("image")),
        body: text(v, "body")?,
    })
}

pub fn head<V: Plain>(v: &V) -> Option<Head> {
    let agency = v.field("agency");
    Some(Head {
        releases: whole(&v.field("releases"))?,
        tags: strings(v, "tags"),
        agencies: strings(v, "agencies"),
        years: list(v, "years", |y| y.number().filter(|y| y.abs() < 1e6).map(|y| y as i32)),
        agency: text(&agency, "name").map(|name| AgencyRef { name, url: text(&agency, "url") }),
        language: text(v, "language"),
    })
}

pub fn listing<V: Plain>(v: &V) -> Option<Listing> {
    let count = |key: &str| whole(&v.field(key)).map(|n| n as usize);
    Some(Listing {
        total: count("total")?,
        page: count("page")?,
        pages: count("pages")?,
        sort: Sort::from_key(&text(v, "sort")?)?,
        ordinals: list(v, "ordinals", whole),
        cards: list(v, "cards", card),
        tag_counts: list(v, "tag_counts", whole),
        agency_counts: list(v, "agency_counts", whole),
        year_counts: list(v, "year_counts", whole),
    })
}

pub fn found<V: Plain>(v: &V) -> Option<Option<u32>> {
    match v.number() {
        None => Some(None),
        Some(_) => whole(v).map(Some),
    }
}

pub fn opened<V: Plain>(v: &V) -> Option<Opened> {
    let body = v.field("body");
    Some(Opened {
        card: card(&v.field("card"))?,
        body: BodyPiece {
            dateline: text(&body, "dateline"),
            author: text(&body, "author"),
            html: text(&body, "html"),
            // Only phrase checks read it, and they run where the reader is.
            text: None,
            related_links: list(&body, "related_links", link),
            contacts: list(&body, "contacts", |c| {
                Some(ContactRef { name: text(c, "name"), email: text(c, "email"), phone: text(c, "phone") })
            }),
        },
    })
}

/// `{ ready }`, `{ need: [names] }` or `{ failed: { piece, message } }`.
pub fn answer<V: Plain, T>(v: &V, ready: impl Fn(&V) -> Option<T>) -> Answer<T> {
    if v.has("need") {
        return Answer::Need(strings(v, "need"));
    }
    let failed = v.field("failed");
    if let (Some(piece), Some(message)) = (text(&failed, "piece"), text(&failed, "message")) {
        return Answer::Failed { piece, message };
    }
    // `{ ready: undefined }` is an answer too: a find that found nothing.
    match v.has("ready").then(|| ready(&v.field("ready"))).flatten() {
        Some(value) => Answer::Ready(value),
        None => Answer::Failed { piece: "archive part".into(), message: "its answer could not be read".into() },
    }
}

/// A view that failed in the archive part's engine (`js/archive-engine.js`), `{ kind, url, … }`,
/// as the error the list view would have met fetching the piece itself: the same message for the
/// reader. `seconds` and `limit` are the widget's own deadline and size limit.
pub fn failure<V: Plain>(v: &V, seconds: f64, limit: usize) -> Error {
    let url = text(v, "url").unwrap_or_default();
    let detail = text(v, "detail").unwrap_or_default();
    match text(v, "kind").as_deref() {
        Some("network") => Error::Network { url, detail },
        Some("http") => Error::Http {
            url,
            status: whole(&v.field("status")).and_then(|s| u16::try_from(s).ok()).unwrap_or(0),
            status_text: text(v, "statusText").unwrap_or_default(),
        },
        Some("timeout") => Error::Timeout { url, seconds },
        Some("too-large") => Error::TooLarge { url, limit },
        Some("damaged") => Error::Archive { detail: format!("piece {url}: {detail}") },
        // The part itself stopped (its worker, a trap): as when it could not be fetched.
        Some("part") => Error::Network { url: "the archive part".into(), detail },
        _ => Error::Archive { detail },
    }
}

/// JSON as the archive part's answers would be written (the native tests).
impl Plain for serde_json::Value {
    fn field(&self, key: &str) -> Self {
        self.get(key).cloned().unwrap_or(serde_json::Value::Null)
    }
    fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }
    fn text(&self) -> Option<String> {
        self.as_str().map(str::to_owned)
    }
    fn number(&self) -> Option<f64> {
        self.as_f64()
    }
    fn items(&self) -> Vec<Self> {
        self.as_array().cloned().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::failure;

    #[test]
    fn the_engines_failures_read_as_the_errors_the_reader_would_have_met() {
        let read = |v: serde_json::Value| failure(&v, 2.5, 2_000_000);
        let http = read(json!({ "kind": "http", "url": "/a/p/x.bin", "status": 404, "statusText": "Not Found" }));
        assert_eq!(http.reader_message(), "Releases could not be loaded: the server answered 404 Not Found.");
        assert!(http.to_string().contains("/a/p/x.bin"), "{http}");
        let damaged = read(json!({ "kind": "damaged", "url": "/a/p/x.bin", "detail": "damaged piece" }));
        assert_eq!(
            damaged.reader_message(),
            "Releases could not be loaded: part of the release archive is missing or damaged. Try again later."
        );
        assert!(damaged.to_string().contains("piece /a/p/x.bin: damaged piece"), "{damaged}");
        let network = read(json!({ "kind": "network", "url": "/a/p/x.bin", "detail": "Failed to fetch" }));
        assert!(network.reader_message().contains("the network request failed"));
        assert!(read(json!({ "kind": "timeout", "url": "/a/p/x.bin" }))
            .reader_message()
            .contains("within 2.5 seconds"));
        assert!(read(json!({ "kind": "too-large", "url": "/a/p/x.bin" })).reader_message().contains("2 MB"));
        let part = read(json!({ "kind": "part", "detail": "its worker script could not be loaded" }));
        assert!(part.to_string().contains("the archive part") && part.to_string().contains("worker script"), "{part}");
        // Anything else the engine may say is the archive's fault, never a panic or silence.
        assert!(read(json!({ "kind": "archive", "detail": "rounds" })).reader_message().contains("archive"));
        assert!(read(json!(null)).reader_message().contains("archive"));
    }
}
