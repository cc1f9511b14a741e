//! The last good copy of each feed, kept in localStorage, so that when the network fails the
//! reader still sees releases (with a note saying when they were saved). Bounded: feeds over
//! [`MAX_CHARS`] are not kept, and only the [`MAX_FEEDS`] most recently loaded feeds are.

use web_sys::Storage;

use super::page;

const MAX_CHARS: usize = 1_000_000;
const MAX_FEEDS: usize = 4;
const PREFIX: &str = "release-embed:feed:";
/// The kept feeds' addresses, most recent first, one per line.
const INDEX: &str = "release-embed:feeds";

fn storage() -> Option<Storage> {
    // Storage can be switched off, or throw (sandboxed frames): then there is simply no copy.
    web_sys::window()?.local_storage().ok().flatten()
}

/// Keeps `text` as the copy of `url`, saved now.
pub fn save(url: &str, text: &str) {
    let Some(store) = storage() else { return };
    let mut feeds: Vec<String> =
        store.get_item(INDEX).ok().flatten().unwrap_or_default().lines().map(str::to_string).collect();
    feeds.retain(|f| f != url);
    if text.len() > MAX_CHARS {
        remove(&store, url);
    } else {
        feeds.insert(0, url.to_string());
        // Whole milliseconds: an integer is written without the float formatter (about 5 kB of
        // wasm that nothing else in the list view needs).
        let saved = (js_sys::Date::now() as u64).to_string();
        let stored = store
            .set_item(&format!("{PREFIX}{url}"), text)
            .and_then(|()| store.set_item(&format!("{PREFIX}{url}#saved"), &saved));
        if stored.is_err() {
            // Over the origin's quota: no copy rather than half of one.
            page::warn("release-embed: there is no room to keep a copy of this feed for offline use");
            remove(&store, url);
            feeds.remove(0);
        }
    }
    for old in feeds.drain(feeds.len().min(MAX_FEEDS)..) {
        remove(&store, &old);
    }
    let _ = store.set_item(INDEX, &feeds.join("\n"));
}

/// The kept copy of `url` and when it was saved (milliseconds since 1970).
pub fn load(url: &str) -> Option<(String, f64)> {
    let store = storage()?;
    let text = store.get_item(&format!("{PREFIX}{url}")).ok().flatten()?;
    let saved: u64 = store.get_item(&format!("{PREFIX}{url}#saved")).ok().flatten()?.parse().ok()?;
    Some((text, saved as f64))
}

fn remove(store: &Storage, url: &str) {
    let _ = store.remove_item(&format!("{PREFIX}{url}"));
    let _ = store.remove_item(&format!("{PREFIX}{url}#saved"));
}
