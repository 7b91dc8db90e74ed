//! The search page: a search box for the theme script to drive, and for readers without
//! JavaScript a plain note that points to the blog index (the site never depends on search).
//!
//! The same search panel opens over any page when the reader presses `/` or follows the
//! header's search link; this page is where that link leads when scripts are off, and a
//! bookmarkable home for `?q=` queries.

use crate::html::{attr, esc};
use crate::layout::{self, Shell};
use crate::view::SiteView;

/// The search page. `blog_href` is the blog index, offered when search cannot run.
pub fn search_page(site: &SiteView, blog_href: &str) -> String {
    let mut out = String::with_capacity(8 * 1024);
    layout::open(
        &mut out,
        site,
        &Shell {
            title: "Search",
            description: "",
            canonical: "",
            head_html: "",
            styles_css: None,
            mermaid_js: None,
            main_class: "page search",
            noindex: true,
        },
    );
    out.push_str("<article>\n<header class=\"page-header\"><h1>Search</h1></header>\n<div class=\"prose\">\n");
    out.push_str("<p class=\"search-nojs\">Search runs in your browser and needs JavaScript. Every post is listed in the <a");
    attr(&mut out, "href", blog_href);
    out.push_str(
        ">blog index</a>.</p>\n<div class=\"search-panel search-inline\" data-search-page>",
    );
    out.push_str("<form class=\"search-form\" role=\"search\" action=\"\"><label for=\"bt-search-input\">Search the posts of ");
    esc(&mut out, &site.title);
    out.push_str("</label><input id=\"bt-search-input\" name=\"q\" type=\"search\" autocomplete=\"off\" spellcheck=\"false\" placeholder=\"Words from titles, authors, sections, text\"></form>\n");
    out.push_str("<p class=\"search-status\" role=\"status\" aria-live=\"polite\"></p><ol class=\"search-results\"></ol></div>\n");
    out.push_str("</div>\n</article>\n");
    layout::close(&mut out, site);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_javascript_the_page_points_to_the_blog_index() {
        let site = SiteView {
            title: "T & U".into(),
            search_href: Some("/2024/search/".into()),
            ..SiteView::default()
        };
        let html = search_page(&site, "/2024/blog/");
        assert!(html.contains(
            "needs JavaScript. Every post is listed in the <a href=\"/2024/blog/\">blog index</a>"
        ));
        assert!(
            html.contains("<label for=\"bt-search-input\">Search the posts of T &amp; U</label>")
        );
        assert!(html.contains("<meta name=\"robots\" content=\"noindex\">"));
    }
}
