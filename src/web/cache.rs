//! The last good copy of each feed, kept in localStorage, so that when the network fails the
//! reader still sees releases (with a note saying when they were saved). Bounded: feeds over
//! [`MAX_CHARS`] are not kept, and only the [`MAX_FEEDS`] most recently loaded feeds are. An
//! archive's pieces are kept the same way ([`pieces`]).

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

/// Pieces kept in localStorage for offline reading, oldest dropped first past [`pieces::MAX_CHARS`].
/// A piece's bytes are stored one character each (localStorage holds strings). Only the build
/// with the archive reader in this wasm keeps them here; the release build's archive part keeps
/// them in the Cache API, in batches (`js/archive-engine.js`), and [`pieces::clear`]s these.
pub mod pieces {
    use super::storage;

    const PREFIX: &str = "release-embed:piece:";
    /// The kept pieces' addresses and sizes, oldest first, one `size url` a line.
    const INDEX: &str = "release-embed:pieces";
    #[cfg(feature = "archive-reader")]
    const MAX_CHARS: usize = 2_000_000;

    fn index(store: &web_sys::Storage) -> Vec<(usize, String)> {
        let text = store.get_item(INDEX).ok().flatten().unwrap_or_default();
        text.lines()
            .filter_map(|l| l.split_once(' '))
            .filter_map(|(n, url)| Some((n.parse().ok()?, url.to_string())))
            .collect()
    }

    #[cfg(feature = "archive-reader")]
    fn write_index(store: &web_sys::Storage, list: &[(usize, String)]) {
        let text: Vec<String> = list.iter().map(|(n, url)| format!("{n} {url}")).collect();
        let _ = store.set_item(INDEX, &text.join("\n"));
    }

    #[cfg(feature = "archive-reader")]
    pub fn keep(url: &str, bytes: &[u8]) {
        let Some(store) = storage() else { return };
        if bytes.len() > MAX_CHARS / 4 {
            return;
        }
        let mut list = index(&store);
        list.retain(|(_, u)| u != url);
        let mut total: usize = list.iter().map(|(n, _)| n).sum::<usize>() + bytes.len();
        while total > MAX_CHARS && !list.is_empty() {
            let (n, old) = list.remove(0);
            let _ = store.remove_item(&format!("{PREFIX}{old}"));
            total -= n;
        }
        let text: String = bytes.iter().map(|&b| char::from(b)).collect();
        if store.set_item(&format!("{PREFIX}{url}"), &text).is_ok() {
            list.push((bytes.len(), url.to_string()));
        }
        write_index(&store, &list);
    }

    #[cfg(feature = "archive-reader")]
    pub fn load(url: &str) -> Option<Vec<u8>> {
        let text = storage()?.get_item(&format!("{PREFIX}{url}")).ok().flatten()?;
        text.chars().map(|c| u8::try_from(c).ok()).collect()
    }

    #[cfg(feature = "archive-reader")]
    pub fn forget(url: &str) {
        let Some(store) = storage() else { return };
        let _ = store.remove_item(&format!("{PREFIX}{url}"));
        let mut list = index(&store);
        list.retain(|(_, u)| u != url);
        write_index(&store, &list);
    }

    /// Removes every piece kept here (by an earlier version of the widget): they would hold
    /// their 2 MB of the origin's storage for ever, beside the feeds' copies.
    #[cfg(not(feature = "archive-reader"))]
    pub fn clear() {
        let Some(store) = storage() else { return };
        let list = index(&store);
        if list.is_empty() {
            return;
        }
        for (_, url) in list {
            let _ = store.remove_item(&format!("{PREFIX}{url}"));
        }
        let _ = store.remove_item(INDEX);
    }
}
