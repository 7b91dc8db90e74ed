//! The listing layout: the blog index, its numbered pages and the year/tag/category archives.
//!
//! Pagination is a `<nav>` with `rel="prev"`/`rel="next"` links (also announced in `<head>`);
//! the layout only prints the hrefs it is given and never computes URLs itself.

use std::fmt::Write;

use crate::html::{attr, esc, time};
use crate::layout::{self, Shell};
use crate::view::{ListView, PostSummary, SiteView};

/// A list of posts with its pagination and archive links.
pub fn list_page(site: &SiteView, list: &ListView) -> String {
    let body: usize = list
        .posts
        .iter()
        .map(|p| p.description_html.len() + p.title.len() + 256)
        .sum();
    let mut out = String::with_capacity(body + 8 * 1024);
    let mut head = String::new();
    for (rel, href) in [("prev", &list.prev_href), ("next", &list.next_href)] {
        if let Some(href) = href {
            let _ = write!(head, "<link rel=\"{rel}\"");
            attr(&mut head, "href", href);
            head.push('>');
        }
    }
    let title = if list.pages > 1 && list.page > 1 {
        format!("{} (page {})", list.title, list.page)
    } else {
        list.title.clone()
    };
    layout::open(
        &mut out,
        site,
        &Shell {
            title: &title,
            description: &list.description,
            canonical: &list.canonical_url,
            head_html: &head,
            styles_css: None,
            mermaid_js: None,
            main_class: "listing",
            noindex: false,
        },
    );
    out.push_str("<header class=\"page-header\"><h1>");
    esc(&mut out, &list.title);
    out.push_str("</h1>");
    if !list.description.trim().is_empty() {
        out.push_str("<p class=\"page-description\">");
        esc(&mut out, list.description.trim());
        out.push_str("</p>");
    }
    out.push_str("</header>\n");
    if list.posts.is_empty() {
        out.push_str("<p class=\"post-list-empty\">No posts here yet.</p>\n");
    } else {
        out.push_str("<ul class=\"post-list\">\n");
        for post in &list.posts {
            summary(&mut out, post);
        }
        out.push_str("</ul>\n");
    }
    pagination(&mut out, list);
    if !list.archive_links.is_empty() {
        out.push_str("<nav class=\"archives\" aria-label=\"Archives\"><h2>Archives</h2><ul>");
        for (label, href) in &list.archive_links {
            out.push_str("<li><a");
            attr(&mut out, "href", href);
            out.push('>');
            esc(&mut out, label);
            out.push_str("</a></li>");
        }
        out.push_str("</ul></nav>\n");
    }
    layout::close(&mut out, site);
    out
}

fn summary(out: &mut String, post: &PostSummary) {
    out.push_str("<li class=\"post-item\">\n");
    if let Some(label) = &post.badge {
        crate::html::badge(out, label);
        out.push('\n');
    }
    out.push_str("<h2 class=\"post-item-title\"><a");
    attr(out, "href", &post.href);
    out.push('>');
    esc(out, &post.title);
    out.push_str("</a></h2>\n");
    let has_date = !post.date.iso.is_empty() || !post.date.display.is_empty();
    if !post.authors.is_empty() || has_date || post.reading_minutes > 0 {
        out.push_str("<p class=\"post-item-meta\">");
        if !post.authors.is_empty() {
            out.push_str("<span class=\"post-item-authors\">");
            esc(out, &post.authors);
            out.push_str("</span>");
        }
        if has_date {
            time(out, &post.date);
        }
        if post.reading_minutes > 0 {
            let _ = write!(
                out,
                "<span class=\"post-item-reading\">{} min read</span>",
                post.reading_minutes
            );
        }
        out.push_str("</p>\n");
    }
    if !post.description_html.trim().is_empty() {
        out.push_str("<div class=\"post-item-description\">");
        out.push_str(post.description_html.trim());
        out.push_str("</div>\n");
    }
    if !post.tags.is_empty() {
        out.push_str("<ul class=\"tag-list\" aria-label=\"Tags\">");
        for tag in &post.tags {
            out.push_str("<li>");
            esc(out, tag);
            out.push_str("</li>");
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</li>\n");
}

fn pagination(out: &mut String, list: &ListView) {
    if list.pages <= 1 && list.prev_href.is_none() && list.next_href.is_none() {
        return;
    }
    out.push_str("<nav class=\"pagination\" aria-label=\"Pagination\">");
    match &list.prev_href {
        Some(href) => {
            out.push_str("<a rel=\"prev\"");
            attr(out, "href", href);
            out.push_str(">← Previous</a>");
        }
        None => out.push_str("<span class=\"pagination-none\">← Previous</span>"),
    }
    if list.pages > 0 {
        let _ = write!(
            out,
            "<span class=\"pagination-position\" aria-current=\"page\">Page {} of {}</span>",
            list.page.clamp(1, list.pages),
            list.pages
        );
    }
    match &list.next_href {
        Some(href) => {
            out.push_str("<a rel=\"next\"");
            attr(out, "href", href);
            out.push_str(">Next →</a>");
        }
        None => out.push_str("<span class=\"pagination-none\">Next →</span>"),
    }
    out.push_str("</nav>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::DateView;

    fn site() -> SiteView {
        SiteView {
            title: "Blog".into(),
            home_href: "/".into(),
            ..SiteView::default()
        }
    }

    fn listing(page: usize, pages: usize, prev: Option<&str>, next: Option<&str>) -> ListView {
        ListView {
            title: "blog posts".into(),
            page,
            pages,
            prev_href: prev.map(Into::into),
            next_href: next.map(Into::into),
            ..ListView::default()
        }
    }

    #[test]
    fn middle_page_links_both_ways_in_body_and_head() {
        let html = list_page(
            &site(),
            &listing(2, 3, Some("/blog/"), Some("/blog/page/3/")),
        );
        assert!(html.contains("<a rel=\"prev\" href=\"/blog/\">← Previous</a>"));
        assert!(html.contains("Page 2 of 3"));
        assert!(html.contains("<a rel=\"next\" href=\"/blog/page/3/\">Next →</a>"));
        assert!(html.contains(
            "<link rel=\"prev\" href=\"/blog/\"><link rel=\"next\" href=\"/blog/page/3/\">"
        ));
        assert!(html.contains("<title>blog posts (page 2) | Blog</title>"));
    }

    #[test]
    fn first_page_has_no_previous_link() {
        let html = list_page(&site(), &listing(1, 2, None, Some("/blog/page/2/")));
        assert!(!html.contains("rel=\"prev\""));
        assert!(html.contains("<span class=\"pagination-none\">← Previous</span>"));
        assert!(html.contains("rel=\"next\""));
    }

    #[test]
    fn single_page_has_no_pagination() {
        let html = list_page(&site(), &listing(1, 1, None, None));
        assert!(!html.contains("class=\"pagination\""));
    }

    #[test]
    fn summaries_escape_titles_and_keep_description_html() {
        let mut list = listing(1, 1, None, None);
        list.posts.push(PostSummary {
            title: "A New Alchemy: \"LMs\" <3".into(),
            href: "/blog/alchemy/".into(),
            description_html: "On <i>subfields</i>.".into(),
            authors: "Colin Raffel".into(),
            date: DateView {
                iso: "2024-05-07".into(),
                display: "May 7, 2024".into(),
            },
            tags: vec![],
            reading_minutes: 12,
            badge: Some("Best <post>".into()),
        });
        let html = list_page(&site(), &list);
        assert!(html.contains("<span class=\"post-item-reading\">12 min read</span>"));
        assert!(
            html.contains("<a href=\"/blog/alchemy/\">A New Alchemy: &quot;LMs&quot; &lt;3</a>")
        );
        assert!(html.contains("<div class=\"post-item-description\">On <i>subfields</i>.</div>"));
        assert!(html.contains("<time datetime=\"2024-05-07\">May 7, 2024</time>"));
        assert!(html.contains("<p class=\"award-badge\">Best &lt;post&gt;</p>\n<h2"));
    }
}
