//! Fetching the feed: one GET with a deadline, every failure mapped to a crate [`Error`].

use std::cell::Cell;
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, RequestInit, Response};

use super::page;
use crate::error::{Error, Result};

/// Fetches `url` as text. The deadline covers the whole body, not only the headers, so a server
/// that stalls mid-stream is caught too. `abort` lets the widget cancel a load it no longer needs.
pub async fn fetch_text(url: &str, timeout_secs: f64, abort: &AbortController) -> Result<String> {
    let timed_out = Rc::new(Cell::new(false));
    // Dropping the timer (when this function returns) cancels it.
    let _deadline = {
        let (timed_out, abort) = (timed_out.clone(), abort.clone());
        Timeout::new((timeout_secs * 1000.0).round() as u32, move || {
            timed_out.set(true);
            abort.abort();
        })
    };
    let failed = |e: JsValue| match timed_out.get() {
        true => Error::Timeout { url: url.to_string(), seconds: timeout_secs },
        false => Error::Network { url: url.to_string(), detail: page::browser(e).to_string() },
    };
    let init = RequestInit::new();
    init.set_signal(Some(&abort.signal()));
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
    Ok(String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}
