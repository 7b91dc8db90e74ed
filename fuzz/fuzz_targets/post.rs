//! A whole post through the site planner: front matter, Liquid, Markdown with math, citations
//! against a bibliography, footnotes, TOC, metadata and the theme. The input is the post text,
//! optionally followed by a NUL byte and the post's BibTeX.
#![no_main]

use blogtrack::config::Config;
use blogtrack::model::{parse_post, Track};
use libfuzzer_sys::fuzz_target;

#[path = "../common/converter_panics.rs"]
mod converter_panics;
use std::collections::BTreeMap;
use std::sync::Arc;

fuzz_target!(|data: &[u8]| {
    converter_panics::contain();
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let (post_text, bib_text) = input.split_once('\0').unwrap_or((input, ""));
    let config = Config::default();
    let post_text = blogtrack::model::normalize_text(post_text);
    let (post, _) = parse_post("_posts/2024-05-07-fuzz.md", &post_text, &config);
    let Some(post) = post else {
        return;
    };
    let mut bibs = BTreeMap::new();
    if let Some(name) = post.meta.bibliography.clone() {
        bibs.insert(name, Arc::new(blogtrack_bib::parse(bib_text)));
    }
    let track = Track {
        root: std::path::PathBuf::from("/nonexistent-fuzz-track"),
        config,
        posts: vec![post],
        pages: Vec::new(),
        bibs,
        static_files: Vec::new(),
    };
    let _ = blogtrack::build::plan(&track, false);
});
