//! Any bytes as an RSS or Atom feed, through the same steps as a fetched document: decoding by
//! its declared encoding, then the XML reader. It must return a feed or an error, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use release_embed::feed::{decode_document, parse, Format};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = decode_document(data.to_vec()) {
        let _ = Format::detect(&text);
        let _ = parse(&text, Some(Format::Rss), "https://agency.example.gov/feed.xml");
    }
});
