//! Stage 1, theme assets: the fingerprinted stylesheet and script every page links (and
//! Mermaid's bundle when some post or page draws a diagram), and the site frame
//! ([`SiteView`]) that every page of this build is laid out in.

use super::urls::{Area, Claim};
use crate::model::Track;
use crate::site::OutFile;
use blogtrack_highlight::Highlighter;
use blogtrack_theme::view::SiteView;

/// Short content hash for fingerprinted asset names (FNV-1a, 64 bit).
pub fn fingerprint(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{:08x}", h >> 32)
}

/// The theme's stylesheet, with highlighting and math rules.
pub fn stylesheet() -> String {
    let mut css = String::from(blogtrack_theme::stylesheet());
    css.push('\n');
    css.push_str(&Highlighter::css());
    css.push('\n');
    css.push_str(blogtrack_math::css());
    css
}

/// Where the theme's files live (registered in the [`super::urls::UrlTable`]).
pub(super) fn claims() -> Vec<Claim> {
    vec![Claim::keeps(
        Area::Prefix("assets/blogtrack/".to_string()),
        "blogtrack's theme files",
    )]
}

/// The theme's files and the frame of every page (without its navigation, which depends on the
/// page).
pub(super) struct ThemeAssets {
    pub base_site: SiteView,
    pub files: Vec<OutFile>,
}

/// The theme stage: the asset files and the site frame linking them.
pub(super) fn theme_assets(track: &Track, noindex: bool) -> ThemeAssets {
    let config = &track.config;
    let mut css = stylesheet();
    if track.decisions.is_some() {
        css.push('\n');
        css.push_str(blogtrack_theme::decisions_stylesheet());
    }
    let js = blogtrack_theme::script();
    let css_path = format!("assets/blogtrack/theme.{}.css", fingerprint(css.as_bytes()));
    let js_path = format!("assets/blogtrack/theme.{}.js", fingerprint(js.as_bytes()));
    let base_site = SiteView {
        title: config.title.clone(),
        description: config.description.clone(),
        lang: config.lang.clone(),
        home_href: config.relative_url("/"),
        absolute_root: config.absolute_url(""),
        nav: Vec::new(),
        footer_html: config.footer_text.clone(),
        icon_href: config.icon.as_ref().map(|i| {
            if i.contains('/') {
                config.relative_url(i)
            } else {
                config.relative_url(&format!("assets/img/{i}"))
            }
        }),
        feed_href: config.relative_url("/feed.xml"),
        css_href: config.relative_url(&css_path),
        js_href: config.relative_url(&js_path),
        search_href: Some(crate::search::href(config)),
        dark_mode: config.enable_darkmode,
        max_width: config.max_width.clone(),
        noindex,
        generator: format!("blogtrack {}", env!("CARGO_PKG_VERSION")),
    };
    let mut files = vec![
        OutFile::text(css_path, css),
        OutFile::text(js_path, js.to_string()),
    ];
    // Mermaid's bundle (3.5 MB) only when some post or page draws a diagram.
    let draws = |body: &str| body.contains("{% mermaid") || body.contains("{%- mermaid");
    if track.posts.iter().any(|p| draws(&p.body)) || track.pages.iter().any(|p| draws(&p.body)) {
        files.push(OutFile {
            path: blogtrack_theme::MERMAID_FILE.to_string(),
            content: blogtrack_theme::mermaid_script().to_vec(),
        });
    }
    ThemeAssets { base_site, files }
}
