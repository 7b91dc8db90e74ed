//! Front matter: splitting, YAML 1.1 parsing with positions, and typing into post and page
//! metadata, as the loader does for every `_posts/` and `_pages/` file and `_config.yml`.
#![no_main]

use blogtrack::config::Config;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let text = blogtrack::model::normalize_text(text);
    let (node, _) = blogtrack_yaml::parse_with_warnings(&text);
    let config = match node {
        Ok(node) => Config::from_yaml(&node).0,
        Err(_) => Config::default(),
    };
    let _ = blogtrack::model::parse_post("_posts/2024-05-07-fuzz.md", &text, &config);
    let _ = blogtrack::model::parse_page("_pages/fuzz.md", &text);
});
