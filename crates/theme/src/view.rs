//! The view model: everything a page layout needs, already resolved by the pipeline.
//!
//! Fields ending in `_html` hold trusted, already-rendered HTML (post bodies, the config's footer
//! text, formatted references). Every other string is plain text and must be escaped by the
//! layouts. URLs (`href`, `*_url`) are final: already prefixed with the baseurl, ready to print
//! (escaped as attribute values).

/// Site-wide data shared by every page.
#[derive(Debug, Clone, Default)]
pub struct SiteView {
    /// Site title (`title` in `_config.yml`), e.g. "ICLR Blogposts 2024".
    pub title: String,
    /// Site description (plain text).
    pub description: String,
    /// `lang` (default "en").
    pub lang: String,
    /// Baseurl-prefixed root of the site, ending in `/` (e.g. `/2024/`).
    pub home_href: String,
    /// Absolute site URL with baseurl, no trailing slash (e.g. `https://iclr-blogposts.github.io/2024`).
    pub absolute_root: String,
    /// Navigation bar, in order.
    pub nav: Vec<NavItem>,
    /// Footer HTML from `footer_text` (trusted: comes from the organizers' config).
    pub footer_html: String,
    /// Favicon URL, if any.
    pub icon_href: Option<String>,
    /// Atom feed URL.
    pub feed_href: String,
    /// Stylesheet and script URLs of the theme (fingerprinted), to link from every page.
    pub css_href: String,
    pub js_href: String,
    /// URL of the search index page or data, when search is enabled.
    pub search_href: Option<String>,
    /// Whether the dark-mode toggle is offered (`enable_darkmode`, default true).
    pub dark_mode: bool,
    /// Optional max content width from `max_width` (CSS length such as `1000px`).
    pub max_width: Option<String>,
    /// Pages must not be indexed by search engines (reviewers' preview builds).
    pub noindex: bool,
    /// Generator line (e.g. "blogtrack 0.1.0").
    pub generator: String,
}

#[derive(Debug, Clone)]
pub struct NavItem {
    pub title: String,
    pub href: String,
    /// This item is the current page (or the blog section for posts and lists).
    pub active: bool,
    /// A dropdown (e.g. "other iterations"): children replace `href`.
    pub children: Vec<NavChild>,
}

#[derive(Debug, Clone)]
pub enum NavChild {
    /// A link. `title_html` may hold simple inline HTML from the config (`<strong>2024</strong>`).
    Link {
        title_html: String,
        href: String,
    },
    Divider,
}

#[derive(Debug, Clone, Default)]
pub struct Author {
    pub name: String,
    pub url: Option<String>,
    pub affiliations: Vec<Affiliation>,
}

#[derive(Debug, Clone, Default)]
pub struct Affiliation {
    pub name: String,
    pub url: Option<String>,
}

/// A calendar date, already formatted.
#[derive(Debug, Clone, Default)]
pub struct DateView {
    /// ISO 8601, for `<time datetime>` (e.g. `2024-05-07`).
    pub iso: String,
    /// For readers (e.g. "May 7, 2024").
    pub display: String,
}

#[derive(Debug, Clone)]
pub struct TocEntry {
    pub title: String,
    /// `#id` of the heading it names; `None` when no heading matched (rendered as plain text).
    pub href: Option<String>,
    pub children: Vec<TocEntry>,
}

/// One entry of the References list.
#[derive(Debug, Clone)]
pub struct Reference {
    /// Element id (`ref-…`), unique in the page.
    pub id: String,
    pub number: usize,
    /// Formatted reference (trusted HTML).
    pub html: String,
}

/// One entry of the Footnotes list.
#[derive(Debug, Clone)]
pub struct Footnote {
    /// Element id of the list entry (`fn-N`).
    pub id: String,
    /// Id of the (first) marker in the text, for the back link (`fnref-N`).
    pub ref_id: String,
    pub number: usize,
    pub html: String,
}

/// "Cite this post".
#[derive(Debug, Clone, Default)]
pub struct CiteThis {
    /// Plain-text attribution, e.g. `Einstein, A. & Rosen, N. (2024). Title. ICLR Blogposts 2024. https://…`.
    pub text: String,
    /// A BibTeX entry.
    pub bibtex: String,
}

/// A blog post (Distill-like article).
#[derive(Debug, Clone, Default)]
pub struct PostView {
    pub title: String,
    /// The abstract shown under the title (trusted HTML: may contain `<i>`, rendered math).
    pub description_html: String,
    /// Plain-text description, for `<meta name="description">`.
    pub description_text: String,
    pub date: DateView,
    pub authors: Vec<Author>,
    pub toc: Vec<TocEntry>,
    /// The article body (trusted HTML), placed inside `<article>`'s body column.
    pub body_html: String,
    /// The post's own CSS from `_styles` (trusted: put inside `<style>` as is, after escaping `</style`).
    pub styles_css: Option<String>,
    pub references: Vec<Reference>,
    pub footnotes: Vec<Footnote>,
    pub cite_this: Option<CiteThis>,
    /// Extra `<head>` content (scholarly meta tags, JSON-LD), trusted HTML built by the pipeline.
    pub head_html: String,
    /// Absolute canonical URL.
    pub canonical_url: String,
    pub tags: Vec<String>,
    pub categories: Vec<String>,
    /// The page contains a Mermaid diagram: include the bundled renderer.
    pub has_mermaid: bool,
    /// URL of the bundled Mermaid script (only used when `has_mermaid`).
    pub mermaid_js_href: Option<String>,
    /// The post's award from the track's decisions ("Best post"), shown as a badge.
    pub badge: Option<String>,
}

/// A site page from `_pages/`.
#[derive(Debug, Clone, Default)]
pub struct PageView {
    pub title: String,
    /// Optional subtitle/description under the title (plain text).
    pub description: String,
    pub body_html: String,
    pub canonical_url: String,
    /// `layout: about` pages show the site title as heading.
    pub is_about: bool,
    pub has_mermaid: bool,
    pub mermaid_js_href: Option<String>,
}

/// One post in a listing.
#[derive(Debug, Clone)]
pub struct PostSummary {
    pub title: String,
    pub href: String,
    pub description_html: String,
    /// "A. Author, B. Author" (plain text).
    pub authors: String,
    pub date: DateView,
    pub tags: Vec<String>,
    /// Estimated reading time in minutes (0: not shown).
    pub reading_minutes: u32,
    /// The post's award from the track's decisions ("Best post"), shown as a badge.
    pub badge: Option<String>,
}

/// The blog index, a page of it, or an archive (year, tag, category).
#[derive(Debug, Clone, Default)]
pub struct ListView {
    /// Page `<title>` and heading, e.g. "blog posts", "2024", "tag: rl".
    pub title: String,
    /// Optional line under the heading (e.g. `blog_description`).
    pub description: String,
    pub posts: Vec<PostSummary>,
    /// Pagination (page numbers are 1-based).
    pub page: usize,
    pub pages: usize,
    pub prev_href: Option<String>,
    pub next_href: Option<String>,
    /// Links to the year/tag/category archives, shown on the index.
    pub archive_links: Vec<(String, String)>,
    pub canonical_url: String,
}
