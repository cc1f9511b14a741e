//! Any text through the HTML cleaner and the plain-text reader: no panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use release_embed::text::clean::{clean, plain_text};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = clean(&text, "https://agency.example.gov/feed.json", 2);
    let _ = plain_text(&text);
});
