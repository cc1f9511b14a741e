//! Fetching the feed: one GET with a deadline, every failure mapped to a crate [`Error`].

use gloo_net::http::Request;
use gloo_timers::callback::Timeout;
use std::cell::Cell;
use std::rc::Rc;
use web_sys::AbortController;

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
    let failed = |e: gloo_net::Error| {
        if timed_out.get() {
            Error::Timeout {
                url: url.to_string(),
                seconds: timeout_secs,
            }
        } else {
            Error::Network {
                url: url.to_string(),
                detail: e.to_string(),
            }
        }
    };
    let signal = abort.signal();
    let response = Request::get(url)
        .abort_signal(Some(&signal))
        .send()
        .await
        .map_err(failed)?;
    if !response.ok() {
        return Err(Error::Http {
            url: url.to_string(),
            status: response.status(),
            status_text: response.status_text(),
        });
    }
    response.text().await.map_err(failed)
}
