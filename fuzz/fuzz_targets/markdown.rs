//! Any text through the Markdown renderer (and the cleaner after it, as bodies are shown) and its
//! plain-text reader: no panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use release_embed::text::clean::clean;
use release_embed::render::markdown::{to_html, to_plain_text};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = clean(&to_html(&text, 2), "https://agency.example.gov/feed.json", 1);
    let _ = to_plain_text(&text);
});
