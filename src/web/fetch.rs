//! Fetching the feed: a GET with a deadline, one retry after a pause for failures that may pass
//! (the network, a 5xx answer), every failure mapped to a crate [`Error`].

use std::cell::Cell;
use std::rc::Rc;

use gloo_events::EventListener;
use gloo_timers::callback::Timeout;
use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, RequestInit, Response};

use super::page;
use crate::error::{Error, Result};

/// A feed document as fetched (or given inline).
pub struct Fetched {
    pub text: String,
    /// WordPress's `X-WP-TotalPages`: how many pages of posts there are.
    pub total_pages: Option<u32>,
}

/// The pause before the one retry.
const RETRY_AFTER_MS: u32 = 1000;

/// Fetches `url` as text, trying once more after a pause if the network failed or the server
/// answered 5xx. A timeout is not retried: the reader has waited long enough.
pub async fn fetch_text(url: &str, timeout_secs: f64, abort: &AbortController) -> Result<Fetched> {
    match fetch_once(url, timeout_secs, abort).await {
        Err(e) if may_pass(&e) && !abort.signal().aborted() => {
            TimeoutFuture::new(RETRY_AFTER_MS).await;
            if abort.signal().aborted() {
                return Err(e);
            }
            fetch_once(url, timeout_secs, abort).await
        }
        other => other,
    }
}

fn may_pass(e: &Error) -> bool {
    matches!(e, Error::Network { .. }) || matches!(e, Error::Http { status, .. } if *status >= 500)
}

/// One GET. The deadline covers the whole body, not only the headers, so a server that stalls
/// mid-stream is caught too. `abort` lets the widget cancel a load it no longer needs.
async fn fetch_once(url: &str, timeout_secs: f64, abort: &AbortController) -> Result<Fetched> {
    // The deadline aborts this request, not the widget's whole load: after a timeout the copy kept
    // from an earlier visit is still read and shown.
    let request = AbortController::new().map_err(page::browser)?;
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
        Timeout::new((timeout_secs * 1000.0).round() as u32, move || {
            timed_out.set(true);
            request.abort();
        })
    };
    let failed = |e: JsValue| match timed_out.get() {
        true => Error::Timeout { url: url.to_string(), seconds: timeout_secs },
        false => Error::Network { url: url.to_string(), detail: page::browser(e).to_string() },
    };
    let init = RequestInit::new();
    init.set_signal(Some(&request.signal()));
    let response: Response =
        JsFuture::from(page::window()?.fetch_with_str_and_init(url, &init)).await.map_err(failed)?.unchecked_into();
    if !response.ok() {
        return Err(Error::Http {
            url: url.to_string(),
            status: response.status(),
            status_text: response.status_text(),
        });
    }
    // Bytes, not `text()`: copying a buffer into wasm memory is one memcpy, where turning a JS
    // string of tens of megabytes into UTF-8 is one long task (measured: 250 ms at 42 MB).
    let buffer = JsFuture::from(response.array_buffer().map_err(failed)?).await.map_err(failed)?;
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    // Invalid UTF-8 becomes U+FFFD: a bad byte in one release must not cost the others.
    let text = String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    let total_pages = response.headers().get("X-WP-TotalPages").ok().flatten().and_then(|n| n.trim().parse().ok());
    Ok(Fetched { text, total_pages })
}
