//! The page shell every layout shares (`<head>`, skip link, site header with the navigation,
//! footer), and the small layouts that are little more than the shell: site pages, the 404 page
//! and the root redirect.
//!
//! The shell decides nothing about content: each layout passes its `<main>` markup and the few
//! head values that differ (title, description, canonical URL, extra head HTML).

use std::fmt::Write;

use crate::html::{attr, esc, push_style_text};
use crate::view::{NavChild, NavItem, PageView, SiteView};

/// Sets `data-theme` before the first paint, from the reader's stored choice or the system
/// preference, so neither the page nor authors' `html[data-theme='dark']` rules flash.
const THEME_BOOT: &str = "<script>(function(){try{var d=document.documentElement,t=localStorage.getItem('theme');\
if(t!=='light'&&t!=='dark'){t=d.getAttribute('data-theme')||(matchMedia('(prefers-color-scheme: dark)').matches?'dark':'light')}\
d.setAttribute('data-theme',t)}catch(e){}})()</script>";

const TOGGLE_ICON: &str = "<svg viewBox=\"0 0 24 24\" width=\"20\" height=\"20\" aria-hidden=\"true\" focusable=\"false\">\
<circle cx=\"12\" cy=\"12\" r=\"8.5\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\"/>\
<path d=\"M12 3.5a8.5 8.5 0 0 1 0 17z\" fill=\"currentColor\"/></svg>";

/// What differs between pages in the shell.
pub(crate) struct Shell<'a> {
    /// The page's own title (without the site title); empty for the home-like pages.
    pub title: &'a str,
    pub description: &'a str,
    pub canonical: &'a str,
    /// Trusted extra `<head>` HTML (post meta tags, prev/next links).
    pub head_html: &'a str,
    pub styles_css: Option<&'a str>,
    pub mermaid_js: Option<&'a str>,
    /// Class of `<main>`.
    pub main_class: &'a str,
    /// Force `noindex` regardless of the site setting (404).
    pub noindex: bool,
}

/// Writes the document up to and including the opening `<main>`.
pub(crate) fn open(out: &mut String, site: &SiteView, s: &Shell<'_>) {
    let lang = if site.lang.trim().is_empty() {
        "en"
    } else {
        site.lang.trim()
    };
    out.push_str("<!doctype html>\n<html");
    attr(out, "lang", lang);
    if !site.dark_mode {
        out.push_str(" data-theme=\"light\"");
    }
    out.push_str(">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str(
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
    );
    if !s.title.is_empty() && s.title != site.title {
        esc(out, s.title);
        out.push_str(" | ");
    }
    esc(out, &site.title);
    out.push_str("</title>\n");
    let description = if s.description.trim().is_empty() {
        &site.description
    } else {
        s.description
    };
    if !description.trim().is_empty() {
        out.push_str("<meta name=\"description\"");
        attr(out, "content", description.trim());
        out.push_str(">\n");
    }
    if !s.canonical.is_empty() {
        out.push_str("<link rel=\"canonical\"");
        attr(out, "href", s.canonical);
        out.push_str(">\n");
    }
    if site.noindex || s.noindex {
        out.push_str("<meta name=\"robots\" content=\"noindex\">\n");
    }
    if !site.generator.is_empty() {
        out.push_str("<meta name=\"generator\"");
        attr(out, "content", &site.generator);
        out.push_str(">\n");
    }
    if let Some(icon) = site.icon_href.as_deref().filter(|h| !h.is_empty()) {
        out.push_str("<link rel=\"icon\"");
        attr(out, "href", icon);
        out.push_str(">\n");
    }
    if !site.feed_href.is_empty() {
        out.push_str("<link rel=\"alternate\" type=\"application/atom+xml\"");
        attr(out, "title", &site.title);
        attr(out, "href", &site.feed_href);
        out.push_str(">\n");
    }
    out.push_str("<link rel=\"stylesheet\"");
    attr(out, "href", &site.css_href);
    out.push_str(">\n");
    if let Some(width) = site.max_width.as_deref().and_then(css_length) {
        let _ = writeln!(out, "<style>:root{{--page:{width}}}</style>");
    }
    if site.dark_mode {
        out.push_str(THEME_BOOT);
        out.push('\n');
    }
    if let Some(src) = s.mermaid_js {
        out.push_str("<script defer");
        attr(out, "src", src);
        out.push_str("></script>\n");
    }
    out.push_str("<script defer");
    attr(out, "src", &site.js_href);
    out.push_str("></script>\n");
    if !s.head_html.is_empty() {
        out.push_str(s.head_html);
        out.push('\n');
    }
    if let Some(css) = s.styles_css.filter(|c| !c.trim().is_empty()) {
        out.push_str("<style>\n");
        push_style_text(out, css);
        out.push_str("\n</style>\n");
    }
    out.push_str("</head>\n<body>\n<a class=\"skip-link\" href=\"#bt-main\">Skip to content</a>\n");
    header(out, site);
    out.push_str("<main id=\"bt-main\"");
    if !s.main_class.is_empty() {
        attr(out, "class", s.main_class);
    }
    out.push_str(">\n");
}

/// Closes `<main>`, writes the footer and ends the document.
pub(crate) fn close(out: &mut String, site: &SiteView) {
    out.push_str("</main>\n<footer class=\"site-footer\"><div class=\"site-footer-inner\">");
    footer(out, &site.footer_html);
    out.push_str("</div></footer>\n</body>\n</html>\n");
}

/// The track's footer text, naming the program that built the page: the old theme's sentence
/// "Powered by Jekyll with al-folio theme." (every track's `footer_text` carries it) becomes
/// "Built with blogtrack."; any other footer gets that sentence after it.
fn footer(out: &mut String, footer_html: &str) {
    const OURS: &str = "Built with blogtrack.";
    let old = footer_html.find("Powered by").and_then(|start| {
        let end = start + footer_html[start..].find("theme.")? + "theme.".len();
        let sentence = &footer_html[start..end];
        (sentence.contains("Jekyll") || sentence.contains("al-folio")).then_some((start, end))
    });
    match old {
        Some((start, end)) => {
            out.push_str(&footer_html[..start]);
            out.push_str(OURS);
            out.push_str(&footer_html[end..]);
        }
        None if footer_html.trim().is_empty() => out.push_str(OURS),
        None => {
            out.push_str(footer_html);
            out.push(' ');
            out.push_str(OURS);
        }
    }
}

/// A `max_width` value is only used when it is a plain CSS length (`1000px`, `80rem`, `90%`).
fn css_length(v: &str) -> Option<&str> {
    let v = v.trim();
    let ok = !v.is_empty()
        && v.len() <= 16
        && v.starts_with(|c: char| c.is_ascii_digit())
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '%');
    ok.then_some(v)
}

fn header(out: &mut String, site: &SiteView) {
    out.push_str(
        "<header class=\"site-header\"><div class=\"site-header-inner\">\n<a class=\"site-title\"",
    );
    attr(out, "href", &site.home_href);
    out.push('>');
    esc(out, &site.title);
    out.push_str("</a>\n");
    if !site.nav.is_empty() || site.search_href.is_some() {
        out.push_str("<nav class=\"site-nav\" aria-label=\"Main\"><ul>\n");
        for item in &site.nav {
            nav_item(out, item);
        }
        if let Some(search) = &site.search_href {
            out.push_str("<li><a class=\"search-link\"");
            attr(out, "href", search);
            out.push_str(" aria-keyshortcuts=\"/\">search</a></li>\n");
        }
        out.push_str("</ul></nav>\n");
    }
    if site.dark_mode {
        out.push_str("<button class=\"theme-toggle\" type=\"button\" hidden aria-label=\"Switch between dark and light mode\" title=\"Switch between dark and light mode\">");
        out.push_str(TOGGLE_ICON);
        out.push_str("</button>\n");
    }
    out.push_str("</div></header>\n");
}

fn nav_item(out: &mut String, item: &NavItem) {
    if item.children.is_empty() {
        out.push_str("<li><a");
        attr(out, "href", &item.href);
        if item.active {
            out.push_str(" aria-current=\"page\"");
        }
        out.push('>');
        esc(out, &item.title);
        out.push_str("</a></li>\n");
        return;
    }
    out.push_str("<li class=\"dropdown\"><details><summary");
    if item.active {
        out.push_str(" class=\"active\"");
    }
    out.push('>');
    esc(out, &item.title);
    out.push_str("</summary>\n<ul class=\"dropdown-menu\">\n");
    for child in &item.children {
        match child {
            NavChild::Link { title_html, href } => {
                out.push_str("<li><a");
                attr(out, "href", href);
                out.push('>');
                out.push_str(title_html);
                out.push_str("</a></li>\n");
            }
            NavChild::Divider => out.push_str("<li class=\"divider\" role=\"separator\"></li>\n"),
        }
    }
    out.push_str("</ul></details></li>\n");
}

/// A site page from `_pages/` (about, call for posts, submitting ...).
pub fn page(site: &SiteView, page: &PageView) -> String {
    let mut out = String::with_capacity(page.body_html.len() + 6 * 1024);
    let mermaid = page.mermaid_js_href.as_deref().filter(|_| page.has_mermaid);
    open(
        &mut out,
        site,
        &Shell {
            title: &page.title,
            description: &page.description,
            canonical: &page.canonical_url,
            head_html: "",
            styles_css: None,
            mermaid_js: mermaid,
            main_class: "page",
            noindex: false,
        },
    );
    out.push_str("<article>\n<header class=\"page-header\"><h1>");
    esc(
        &mut out,
        if page.is_about {
            &site.title
        } else {
            &page.title
        },
    );
    out.push_str("</h1>");
    let sub = if page.is_about && page.description.trim().is_empty() {
        &site.description
    } else {
        &page.description
    };
    if !sub.trim().is_empty() {
        out.push_str("<p class=\"page-description\">");
        esc(&mut out, sub.trim());
        out.push_str("</p>");
    }
    out.push_str("</header>\n<div class=\"prose\">\n");
    out.push_str(&page.body_html);
    out.push_str("\n</div>\n</article>\n");
    close(&mut out, site);
    out
}

/// The 404 page (`404.html`): not indexed, links home.
pub fn not_found(site: &SiteView) -> String {
    let mut out = String::with_capacity(6 * 1024);
    open(
        &mut out,
        site,
        &Shell {
            title: "Page not found",
            description: "",
            canonical: "",
            head_html: "",
            styles_css: None,
            mermaid_js: None,
            main_class: "page not-found",
            noindex: true,
        },
    );
    out.push_str("<article>\n<header class=\"page-header\"><h1>Page not found</h1></header>\n<div class=\"prose\">\n<p>This page does not exist, or it has moved. Posts keep their addresses, so a broken link may have a typo in it.</p>\n<p><a");
    attr(&mut out, "href", &site.home_href);
    out.push_str(">Go to the home page</a></p>\n</div>\n</article>\n");
    close(&mut out, site);
    out
}

/// A tiny page that sends the reader (and crawlers) to `target_href`: meta refresh, canonical
/// link, and a visible link for when refresh is disabled.
pub fn redirect(target_href: &str) -> String {
    let mut out = String::with_capacity(512 + 3 * target_href.len());
    out.push_str("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Redirecting…</title>\n<link rel=\"canonical\"");
    attr(&mut out, "href", target_href);
    out.push_str(">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\"");
    attr(&mut out, "content", &format!("0; url={target_href}"));
    out.push_str(">\n</head>\n<body>\n<p>Redirecting to <a");
    attr(&mut out, "href", target_href);
    out.push('>');
    esc(&mut out, target_href);
    out.push_str("</a>…</p>\n</body>\n</html>\n");
    out
}

/// The target of a page written by [`redirect`], so that a server can answer it with an HTTP
/// redirect; `None` for every other page. Recognises exactly [`redirect`]'s output (the page is
/// written again from the target and compared), never an author's look-alike.
pub fn redirect_target(html: &str) -> Option<String> {
    const HEAD: &str = "<link rel=\"canonical\" href=\"";
    let from = html.find(HEAD)? + HEAD.len();
    let escaped = &html[from..from + html[from..].find('"')?];
    let target = escaped
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    (redirect(&target) == html).then_some(target)
}

#[cfg(test)]
mod redirect_tests {
    use super::*;

    #[test]
    fn a_redirect_page_gives_back_its_target_and_no_other_page_does() {
        for t in ["/2026/about/", "/a?b=1&c='x'", "/\"q\"/<x>"] {
            assert_eq!(redirect_target(&redirect(t)).as_deref(), Some(t));
        }
        let page = redirect("/2026/about/").replace("Redirecting to", "Go to");
        assert_eq!(redirect_target(&page), None);
        assert_eq!(redirect_target("<html><body>hi</body></html>"), None);
    }
}
