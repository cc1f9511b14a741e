//! The `detail` of each DOM event the element dispatches (`release-embed:<name>`), as JS objects.
//! The `filter` event carries the filter state itself. Typed for JS users in `js/release-embed.d.ts`.

use serde::Serialize;

/// `release-embed:load`: the feed (or one more of its pages) is shown.
#[derive(Serialize)]
pub struct LoadDetail {
    pub count: usize,
    pub format: &'static str,
    pub pages: usize,
}

/// `release-embed:open`: a release is shown.
#[derive(Serialize)]
pub struct OpenDetail {
    pub id: String,
}

/// `release-embed:share`: the reader used a share control.
#[derive(Serialize)]
pub struct ShareDetail {
    pub network: String,
}

/// `release-embed:error`: the feed could not be shown; the message the reader sees.
#[derive(Serialize)]
pub struct ErrorDetail {
    pub message: String,
}
