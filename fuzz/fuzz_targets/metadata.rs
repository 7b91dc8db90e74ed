//! The metadata scrubbers' promise on arbitrary bytes, under every file name they handle: a
//! scrub never panics, and a file it cleaned gives the metadata scan nothing to report and
//! cleans to itself.
#![no_main]

use blogtrack_gate::{scan_file, scrub_file, Scrub};
use libfuzzer_sys::fuzz_target;

const NAMES: [&str; 8] = [
    "a.png", "a.jpg", "a.gif", "a.webp", "a.pdf", "a.svg", "a.html", "a.ipynb",
];
const CODES: [&str; 3] = ["anon-image-metadata", "anon-local-path", "anon-notebook-metadata"];

fuzz_target!(|data: &[u8]| {
    for name in NAMES {
        if let Some((_, Scrub::Removed { bytes, .. })) = scrub_file(data, name) {
            let left: Vec<_> = scan_file(&bytes, name)
                .into_iter()
                .filter(|d| CODES.contains(&d.code))
                .collect();
            assert!(left.is_empty(), "{name}: {left:?}");
            assert!(matches!(scrub_file(&bytes, name), Some((_, Scrub::Clean))));
        }
    }
});
