//! blogtrack's built-in theme: the page layouts over the view model in [`view`], and the one
//! stylesheet and one script every page links.
//!
//! Layouts are pure functions from view structs to a `String` of HTML: no I/O, no templates read
//! at run time, no diagnostics (the pipeline has already validated everything they receive).
//! Plain-text fields are escaped here; `*_html` fields are trusted and inserted as they are.
//! Pages are complete without JavaScript: the script only adds copy buttons, the dark-mode
//! toggle, touch and Escape handling for hover cards, and an image lightbox.
//!
//! The HTML is built with `write!` into one `String` rather than a template engine: the layouts
//! are small, escaping stays explicit at each insertion point, and a post page costs a few
//! microseconds plus the copy of its body.

mod cards;
pub mod compact;
pub mod content;
mod html;
mod layout;
mod lists;
mod post;
mod search;
pub mod view;

pub use cards::{people_card, twitter_card};
pub use layout::{not_found, page, redirect, redirect_target};
pub use lists::list_page;
pub use post::post_page;
pub use search::search_page;

/// The whole theme stylesheet (light and dark, responsive, print), as sent to readers
/// (see [`compact`]).
pub fn stylesheet() -> &'static str {
    static CSS: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    CSS.get_or_init(|| compact::css(include_str!("../assets/theme.css")))
}

/// The stylesheet of the decisions' badges, lists and poster-session page, added to
/// [`stylesheet`] only for a track that has decisions (see `assets/decisions.css`).
pub fn decisions_stylesheet() -> &'static str {
    static CSS: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    CSS.get_or_init(|| compact::css(include_str!("../assets/decisions.css")))
}

/// The theme script: progressive enhancement only (loaded with `defer`), as sent to readers.
pub fn script() -> &'static str {
    static JS: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    JS.get_or_init(|| compact::js(include_str!("../assets/theme.js")))
}

#[cfg(test)]
mod tests;

/// Mermaid's browser bundle (version in [`MERMAID_FILE`]), vendored from the npm package with its
/// MIT licence in `vendor/mermaid/`: diagrams are drawn in the reader's browser, and their source
/// stays visible as text without JavaScript.
pub fn mermaid_script() -> &'static [u8] {
    include_bytes!("../vendor/mermaid/mermaid.min.js")
}

/// Site path of the Mermaid bundle, written only when a page has a diagram.
pub const MERMAID_FILE: &str = "assets/blogtrack/mermaid-11.17.2.min.js";
