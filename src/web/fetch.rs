//! Fetching the feed: a GET with a deadline, one retry after a pause for failures that may pass
//! (the network, a 5xx answer), every failure mapped to a crate [`Error`]. The body is read as a
//! stream up to a size limit, so a huge or endless response stops with a message instead of
//! filling the tab's memory.

use std::cell::Cell;
use std::rc::Rc;

use gloo_events::EventListener;
use gloo_timers::callback::Timeout;
use gloo_timers::future::TimeoutFuture;
use js_sys::{Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, ReadableStreamDefaultReader, RequestInit, Response};

use super::page;
use super::parts::Loader;
use crate::error::{Error, Result};

#[wasm_bindgen]
extern "C" {
    /// The request `js/early.js` started for `url` before the wasm was ready, taken once.
    #[wasm_bindgen(method, js_name = takeEarly)]
    fn take_early(this: &Loader, url: &str) -> JsValue;
}

/// A feed request the page's script started beside the list view's wasm (`js/early.js`), so the
/// feed downloads while the wasm compiles. It serves as the first try of [`fetch_bytes`]: the same
/// deadline, limit and abort, through its own controller.
pub struct Early {
    response: Promise,
    controller: AbortController,
}

impl Early {
    /// The request started early for `url`, if there is one.
    pub fn take(url: &str) -> Option<Early> {
        let taken = super::parts::loader()?.take_early(url);
        let field = |name: &str| Reflect::get(&taken, &name.into()).ok();
        let response = field("response")?.dyn_into().ok()?;
        let controller = field("controller")?.dyn_into().ok()?;
        Some(Early { response, controller })
    }
}

/// A feed document as fetched (or given inline).
pub struct Fetched {
    pub text: String,
    /// WordPress's `X-WP-TotalPages`: how many pages of posts there are.
    pub total_pages: Option<u32>,
    /// Set when the response was longer than this many bytes: `text` is its beginning.
    pub over_limit: Option<usize>,
}

impl Fetched {
    /// A feed the page gave as text: nothing to limit.
    pub fn whole(text: String) -> Fetched {
        Fetched { text, total_pages: None, over_limit: None }
    }
}

/// How long to wait for a response and how much of it to read.
#[derive(Clone, Copy)]
pub struct Limits {
    pub timeout_secs: f64,
    pub max_bytes: usize,
}

/// The pause before the one retry.
const RETRY_AFTER_MS: u32 = 1000;

/// Fetches `url` as text, trying once more after a pause if the network failed or the server
/// answered 5xx. A timeout is not retried: the reader has waited long enough.
pub async fn fetch_text(url: &str, limits: Limits, abort: &AbortController, early: Option<Early>) -> Result<Fetched> {
    let raw = fetch_bytes(url, limits, abort, early).await?;
    // In the encoding the document declares (XML feeds), else UTF-8; invalid bytes become U+FFFD,
    // so a bad byte in one release does not cost the others.
    let text = crate::feed::decode_document(raw.bytes)?;
    Ok(Fetched { text, total_pages: raw.total_pages, over_limit: raw.over_limit.then_some(limits.max_bytes) })
}

/// A response's bytes as fetched (an archive's pieces are binary).
pub struct Raw {
    pub bytes: Vec<u8>,
    /// WordPress's `X-WP-TotalPages`.
    pub total_pages: Option<u32>,
    /// The response was longer than the limit: `bytes` is its beginning.
    pub over_limit: bool,
}

/// [`fetch_text`] without the decoding: the same deadline, limit and one retry.
pub async fn fetch_bytes(url: &str, limits: Limits, abort: &AbortController, early: Option<Early>) -> Result<Raw> {
    match fetch_once(url, limits, abort, early).await {
        Err(e) if may_pass(&e) && !abort.signal().aborted() => {
            TimeoutFuture::new(RETRY_AFTER_MS).await;
            if abort.signal().aborted() {
                return Err(e);
            }
            fetch_once(url, limits, abort, None).await
        }
        other => other,
    }
}

fn may_pass(e: &Error) -> bool {
    matches!(e, Error::Network { .. }) || matches!(e, Error::Http { status, .. } if *status >= 500)
}

/// One GET (or the one started `early`). The deadline covers the whole body, not only the
/// headers, so a server that stalls mid-stream is caught too. `abort` lets the widget cancel a
/// load it no longer needs.
async fn fetch_once(url: &str, limits: Limits, abort: &AbortController, early: Option<Early>) -> Result<Raw> {
    let timeout_secs = limits.timeout_secs;
    // The deadline aborts this request, not the widget's whole load: after a timeout the copy kept
    // from an earlier visit is still read and shown.
    let (request, started) = match early {
        Some(Early { response, controller }) => (controller, Some(response)),
        None => (AbortController::new().map_err(page::browser)?, None),
    };
    if abort.signal().aborted() {
        request.abort();
    }
    let _follow = {
        let request = request.clone();
        EventListener::once(&abort.signal(), "abort", move |_| request.abort())
    };
    let timed_out = Rc::new(Cell::new(false));
    // Dropping the timer (when this function returns) cancels it.
    let _deadline = {
        let (timed_out, request) = (timed_out.clone(), request.clone());
        Timeout::new(crate::options::timeout_millis(timeout_secs), move || {
            timed_out.set(true);
            request.abort();
        })
    };
    let failed = |e: JsValue| match timed_out.get() {
        true => Error::Timeout { url: url.to_string(), seconds: timeout_secs },
        false => Error::Network { url: url.to_string(), detail: page::browser(e).to_string() },
    };
    let pending = match started {
        Some(response) => response,
        None => {
            let init = RequestInit::new();
            init.set_signal(Some(&request.signal()));
            page::window()?.fetch_with_str_and_init(url, &init)
        }
    };
    let response: Response = JsFuture::from(pending).await.map_err(failed)?.unchecked_into();
    if !response.ok() {
        return Err(Error::Http {
            url: url.to_string(),
            status: response.status(),
            status_text: response.status_text(),
        });
    }
    // Bytes, not `text()`: copying buffers into wasm memory is a memcpy each, where turning a JS
    // string of tens of megabytes into UTF-8 is one long task (measured: 250 ms at 42 MB).
    let (bytes, over_limit) = read_body(&response, limits.max_bytes).await.map_err(failed)?;
    let total_pages = response.headers().get("X-WP-TotalPages").ok().flatten().and_then(|n| n.trim().parse().ok());
    Ok(Raw { bytes, total_pages, over_limit })
}

/// A response announced as at most this fraction of the limit is read in one piece: even
/// compressed (the length is then the compressed size) it stays far below the limit, and one
/// piece needs one turn of the page's main thread where a stream needs one per chunk.
const WHOLE_BELOW_LIMIT: usize = 64;

/// Reads the body, at most `max_bytes` of it; true when there was more, which is then not
/// downloaded. Small responses come in one piece; others (and those that do not say their
/// length, such as an endless one) chunk by chunk.
async fn read_body(response: &Response, max_bytes: usize) -> Result<(Vec<u8>, bool), JsValue> {
    let announced: Option<usize> =
        response.headers().get("Content-Length").ok().flatten().and_then(|n| n.trim().parse().ok());
    if announced.is_some_and(|n| n <= max_bytes / WHOLE_BELOW_LIMIT) {
        let buffer = JsFuture::from(response.array_buffer()?).await?;
        let mut bytes = Uint8Array::new(&buffer).to_vec();
        let over = bytes.len() > max_bytes;
        bytes.truncate(max_bytes);
        return Ok((bytes, over));
    }
    let Some(body) = response.body() else { return Ok((Vec::new(), false)) };
    let reader: ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    let mut bytes = Vec::with_capacity(announced.unwrap_or(0).min(max_bytes));
    loop {
        let chunk = JsFuture::from(reader.read()).await?;
        if Reflect::get(&chunk, &"done".into())?.is_truthy() {
            return Ok((bytes, false));
        }
        let value: Uint8Array = Reflect::get(&chunk, &"value".into())?.unchecked_into();
        let room = max_bytes - bytes.len();
        let over = value.length() as usize > room;
        let take = if over { value.subarray(0, room as u32) } else { value };
        let start = bytes.len();
        bytes.resize(start + take.length() as usize, 0);
        take.copy_to(&mut bytes[start..]);
        if over {
            // Stops the download; the promise it returns says nothing we need.
            let _ = reader.cancel();
            return Ok((bytes, true));
        }
    }
}
