//! Any bytes as a Native feed: reading must return a feed or an error, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use release_embed::feed::{parse, Format};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = parse(&text, Some(Format::Native), "https://agency.example.gov/feed.json");
});
