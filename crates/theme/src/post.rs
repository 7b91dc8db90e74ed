//! The article layout: Distill-like title block and byline, the table of contents, the body in
//! the text column (inside `<d-article>`, so authors' `_styles` written for Distill such as
//! `d-article .box-note { ... }` keep working), and the appendix (footnotes, references,
//! "cite this", tags).
//!
//! The TOC is a `<details>` before the body: collapsed on narrow screens (the first screen shows
//! text), and from 1200 px always open beside the text (the stylesheet moves the column right to
//! make room, so wide figures do not slide under it). Authors' CSS and body content pass through
//! [`content`] (scoped styles, image iframes, parentheses kept with formulas).

use std::fmt::Write;

use crate::content;
use crate::html::{attr, esc, maybe_link, time};
use crate::layout::{self, Shell};
use crate::view::{Author, PostView, SiteView, TocEntry};

/// A description longer than this (characters) is an abstract: set smaller, in text colour.
const LONG_DESCRIPTION: usize = 280;

/// A description longer than this is folded to its first lines by the script (a "whole abstract"
/// button unfolds it), so that the first screen still reaches the text; without JavaScript it is
/// shown whole.
const VERY_LONG_DESCRIPTION: usize = 900;

/// Deeper TOC levels than this are left out (real posts use three at most).
const MAX_TOC_DEPTH: usize = 6;

/// The page of one blog post.
pub fn post_page(site: &SiteView, post: &PostView) -> String {
    let extra: usize = post
        .references
        .iter()
        .map(|r| r.html.len() + 64)
        .sum::<usize>()
        + post
            .footnotes
            .iter()
            .map(|f| f.html.len() + 128)
            .sum::<usize>();
    let mut out =
        String::with_capacity(post.body_html.len() + post.head_html.len() + extra + 12 * 1024);
    let mermaid = post.mermaid_js_href.as_deref().filter(|_| post.has_mermaid);
    let scoped = post
        .styles_css
        .as_deref()
        .filter(|c| !c.trim().is_empty())
        .map(content::scoped_css);
    layout::open(
        &mut out,
        site,
        &Shell {
            title: &post.title,
            description: &post.description_text,
            canonical: &post.canonical_url,
            head_html: &post.head_html,
            styles_css: scoped.as_deref(),
            mermaid_js: mermaid,
            main_class: "post",
            noindex: false,
        },
    );
    out.push_str(if post.toc.is_empty() {
        "<article>\n"
    } else {
        "<article class=\"with-toc\">\n"
    });
    out.push_str("<header class=\"post-header\">\n");
    if let Some(label) = &post.badge {
        crate::html::badge(&mut out, label);
        out.push('\n');
    }
    out.push_str("<h1 class=\"post-title\">");
    esc(&mut out, &post.title);
    out.push_str("</h1>\n");
    if !post.description_html.trim().is_empty() {
        let chars = post.description_text.chars().count();
        out.push_str(if chars > VERY_LONG_DESCRIPTION {
            "<div class=\"post-description is-long is-very-long\">"
        } else if chars > LONG_DESCRIPTION {
            "<div class=\"post-description is-long\">"
        } else {
            "<div class=\"post-description\">"
        });
        out.push_str(post.description_html.trim());
        out.push_str("</div>\n");
    }
    out.push_str("</header>\n");
    byline(&mut out, post);
    toc(&mut out, &post.toc);
    out.push_str("<d-article class=\"prose\">\n");
    out.push_str(&content::adapt_body(&post.body_html));
    out.push_str("\n</d-article>\n");
    appendix(&mut out, post);
    out.push_str("</article>\n");
    layout::close(&mut out, site);
    out
}

fn byline(out: &mut String, post: &PostView) {
    let has_date = !post.date.display.is_empty() || !post.date.iso.is_empty();
    if post.authors.is_empty() && !has_date {
        return;
    }
    out.push_str("<div class=\"byline\">\n");
    if !post.authors.is_empty() {
        let any_affiliation = post.authors.iter().any(|a| !a.affiliations.is_empty());
        out.push_str("<div class=\"byline-people");
        if any_affiliation {
            out.push_str(" with-affiliations");
        }
        out.push_str("\">\n<p class=\"byline-label\">Authors</p>");
        if any_affiliation {
            out.push_str("<p class=\"byline-label byline-label-affiliations\">Affiliations</p>");
        }
        out.push('\n');
        for author in &post.authors {
            author_row(out, author, any_affiliation);
        }
        out.push_str("</div>\n");
    }
    if has_date {
        out.push_str("<div class=\"byline-date\">\n<p class=\"byline-label\">Published</p>\n<p>");
        time(out, &post.date);
        out.push_str("</p>\n</div>\n");
    }
    out.push_str("</div>\n");
}

fn author_row(out: &mut String, author: &Author, affiliation_column: bool) {
    out.push_str("<p class=\"author\">");
    maybe_link(out, &author.name, author.url.as_deref(), None);
    out.push_str("</p>");
    if affiliation_column {
        out.push_str("<p class=\"affiliation\">");
        for (i, aff) in author.affiliations.iter().enumerate() {
            if i > 0 {
                out.push_str("; ");
            }
            maybe_link(out, &aff.name, aff.url.as_deref(), None);
        }
        out.push_str("</p>");
    }
    out.push('\n');
}

/// The nested TOC, written without recursion so a hostile tree cannot exhaust the stack.
fn toc(out: &mut String, entries: &[TocEntry]) {
    if entries.is_empty() {
        return;
    }
    out.push_str("<nav class=\"toc\" aria-label=\"Table of contents\">\n<details><summary class=\"toc-title\">Contents</summary>\n<ol>");
    let mut stack = vec![entries.iter()];
    while let Some(level) = stack.last_mut() {
        match level.next() {
            Some(entry) => {
                out.push_str("<li>");
                maybe_link(out, &entry.title, entry.href.as_deref(), None);
                if !entry.children.is_empty() && stack.len() < MAX_TOC_DEPTH {
                    out.push_str("<ol>");
                    stack.push(entry.children.iter());
                } else {
                    out.push_str("</li>");
                }
            }
            None => {
                stack.pop();
                out.push_str("</ol>");
                if !stack.is_empty() {
                    out.push_str("</li>");
                }
            }
        }
    }
    out.push_str("\n</details></nav>\n");
}

fn appendix(out: &mut String, post: &PostView) {
    let has_taxonomy = !post.tags.is_empty() || !post.categories.is_empty();
    if post.footnotes.is_empty()
        && post.references.is_empty()
        && post.cite_this.is_none()
        && !has_taxonomy
    {
        return;
    }
    out.push_str("<section class=\"appendix\" aria-label=\"Appendix\">\n");
    if !post.footnotes.is_empty() {
        out.push_str("<h2 id=\"bt-footnotes\">Footnotes</h2>\n<ol class=\"footnote-list\">\n");
        for f in &post.footnotes {
            out.push_str("<li");
            attr(out, "id", &f.id);
            let _ = write!(out, " value=\"{}\">", f.number);
            out.push_str(&f.html);
            if !f.ref_id.is_empty() {
                out.push_str(" <a class=\"fn-back\"");
                attr(out, "href", &format!("#{}", f.ref_id));
                out.push_str(" aria-label=\"Back to the text\">↩\u{fe0e}</a>");
            }
            out.push_str("</li>\n");
        }
        out.push_str("</ol>\n");
    }
    if !post.references.is_empty() {
        // `#references` also reaches the list (Distill's appendix had that id and authors link
        // to it), unless the author's own text already uses the id.
        if post.body_html.contains("id=\"references\"") {
            out.push_str("<h2 id=\"bt-references\">References</h2>\n");
        } else {
            out.push_str(
                "<h2 id=\"bt-references\"><span id=\"references\"></span>References</h2>\n",
            );
        }
        out.push_str("<ol class=\"reference-list\">\n");
        for r in &post.references {
            out.push_str("<li");
            attr(out, "id", &r.id);
            let _ = write!(out, " value=\"{}\">", r.number);
            out.push_str(&r.html);
            out.push_str("</li>\n");
        }
        out.push_str("</ol>\n");
    }
    if let Some(cite) = &post.cite_this {
        out.push_str("<h2 id=\"bt-citation\">Citation</h2>\n");
        if !cite.text.is_empty() {
            out.push_str("<p>For attribution in academic contexts, please cite this work as</p>\n<pre class=\"cite-box\">");
            esc(out, &cite.text);
            out.push_str("</pre>\n");
        }
        if !cite.bibtex.is_empty() {
            out.push_str("<p>BibTeX citation</p>\n<pre class=\"cite-box\">");
            esc(out, &cite.bibtex);
            out.push_str("</pre>\n");
        }
    }
    if has_taxonomy {
        out.push_str("<dl class=\"taxonomy\">");
        for (label, items) in [("Tags", &post.tags), ("Categories", &post.categories)] {
            if items.is_empty() {
                continue;
            }
            let _ = write!(out, "<dt>{label}</dt>");
            for item in items {
                out.push_str("<dd>");
                esc(out, item);
                out.push_str("</dd>");
            }
        }
        out.push_str("</dl>\n");
    }
    out.push_str("</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::{Affiliation, CiteThis, DateView, Footnote, Reference};

    fn site() -> SiteView {
        SiteView {
            title: "ICLR Blogposts 2024".into(),
            lang: "en".into(),
            home_href: "/2024/".into(),
            css_href: "/2024/assets/theme.css".into(),
            js_href: "/2024/assets/theme.js".into(),
            dark_mode: true,
            ..SiteView::default()
        }
    }

    fn entry(title: &str, href: Option<&str>, children: Vec<TocEntry>) -> TocEntry {
        TocEntry {
            title: title.into(),
            href: href.map(Into::into),
            children,
        }
    }

    #[test]
    fn hostile_title_stays_inside_its_elements() {
        let post = PostView {
            title: r#"A "quoted" </script><!-- 🚀 שלום title"#.into(),
            description_text: "desc with \"quotes\"".into(),
            ..PostView::default()
        };
        let html = post_page(&site(), &post);
        assert!(html.contains(
            "<title>A &quot;quoted&quot; &lt;/script&gt;&lt;!-- 🚀 שלום title | ICLR Blogposts 2024</title>"
        ));
        assert!(html.contains("<h1 class=\"post-title\">A &quot;quoted&quot; &lt;/script&gt;&lt;!-- 🚀 שלום title</h1>"));
        assert!(html.contains("content=\"desc with &quot;quotes&quot;\""));
        assert!(!html.contains("</script><!--"));
    }

    #[test]
    fn byline_links_authors_and_affiliations_and_dates_the_post() {
        let post = PostView {
            authors: vec![Author {
                name: "Albert Einstein".into(),
                url: Some("https://en.wikipedia.org/wiki/Albert_Einstein".into()),
                affiliations: vec![Affiliation {
                    name: "IAS, Princeton".into(),
                    url: None,
                }],
            }],
            date: DateView {
                iso: "2024-05-07".into(),
                display: "May 7, 2024".into(),
            },
            ..PostView::default()
        };
        let html = post_page(&site(), &post);
        assert!(html.contains(
            "<p class=\"author\"><a href=\"https://en.wikipedia.org/wiki/Albert_Einstein\">Albert Einstein</a></p><p class=\"affiliation\">IAS, Princeton</p>"
        ));
        assert!(html.contains("<time datetime=\"2024-05-07\">May 7, 2024</time>"));
    }

    #[test]
    fn references_answer_to_hash_references_unless_the_author_uses_that_id() {
        let reference = Reference {
            id: "ref-a".into(),
            number: 1,
            html: "A. Author. A paper.".into(),
        };
        let mut post = PostView {
            body_html: "<p>See the <a href=\"#references\">references</a>.</p>".into(),
            references: vec![reference],
            ..PostView::default()
        };
        let html = post_page(&site(), &post);
        assert_eq!(html.matches("id=\"references\"").count(), 1);
        assert!(html
            .contains("<h2 id=\"bt-references\"><span id=\"references\"></span>References</h2>"));

        post.body_html = "<h2 id=\"references\">References</h2><p>Mine.</p>".into();
        let html = post_page(&site(), &post);
        assert_eq!(
            html.matches("id=\"references\"").count(),
            1,
            "ids stay unique"
        );
        assert!(html.contains("<h2 id=\"bt-references\">References</h2>"));
    }

    #[test]
    fn author_links_with_script_schemes_become_plain_text() {
        let post = PostView {
            authors: vec![Author {
                name: "Mallory".into(),
                url: Some("javascript:alert(1)".into()),
                affiliations: vec![],
            }],
            ..PostView::default()
        };
        let html = post_page(&site(), &post);
        assert!(html.contains("<p class=\"author\">Mallory</p>"));
        assert!(!html.contains("javascript:"));
    }

    #[test]
    fn toc_nests_and_shows_unmatched_entries_as_text() {
        let mut out = String::new();
        toc(
            &mut out,
            &[
                entry(
                    "Images",
                    Some("#images"),
                    vec![entry("Interactive <Figures>", None, vec![])],
                ),
                entry("Citations", Some("#citations"), vec![]),
            ],
        );
        assert!(out.contains(
            "<ol><li><a href=\"#images\">Images</a><ol><li>Interactive &lt;Figures&gt;</li></ol></li><li><a href=\"#citations\">Citations</a></li></ol>"
        ));
    }

    #[test]
    fn a_deeply_nested_toc_is_cut_and_stays_balanced() {
        let mut deep = entry("leaf", None, vec![]);
        for i in 0..10_000 {
            deep = entry(&format!("level {i}"), None, vec![deep]);
        }
        let mut out = String::new();
        toc(&mut out, std::slice::from_ref(&deep));
        assert_eq!(out.matches("<ol>").count(), MAX_TOC_DEPTH);
        assert_eq!(out.matches("<ol>").count(), out.matches("</ol>").count());
        assert_eq!(out.matches("<li>").count(), out.matches("</li>").count());
        // Dropping the hand-built chain recursively would overflow the test's stack.
        let mut node = deep;
        while let Some(child) = node.children.pop() {
            node = child;
        }
    }

    #[test]
    fn appendix_lists_footnotes_references_and_citation() {
        let post = PostView {
            footnotes: vec![Footnote {
                id: "fn-1".into(),
                ref_id: "fnref-1".into(),
                number: 1,
                html: "A <em>note</em>.".into(),
            }],
            references: vec![Reference {
                id: "ref-gregor2015draw".into(),
                number: 1,
                html: "Gregor et al. DRAW.".into(),
            }],
            cite_this: Some(CiteThis {
                text: "Einstein, A. (2024).".into(),
                bibtex: "@article{x, title={A & B}}".into(),
            }),
            tags: vec!["rl".into()],
            ..PostView::default()
        };
        let html = post_page(&site(), &post);
        assert!(html.contains(
            "<li id=\"fn-1\" value=\"1\">A <em>note</em>. <a class=\"fn-back\" href=\"#fnref-1\""
        ));
        assert!(html.contains("<li id=\"ref-gregor2015draw\" value=\"1\">Gregor et al. DRAW.</li>"));
        assert!(html.contains("<pre class=\"cite-box\">@article{x, title={A &amp; B}}</pre>"));
        assert!(html.contains("<dt>Tags</dt><dd>rl</dd>"));
    }

    #[test]
    fn post_styles_cannot_close_the_style_element() {
        let post = PostView {
            styles_css: Some(".a{}</style><script>alert(1)</script>".into()),
            ..PostView::default()
        };
        let html = post_page(&site(), &post);
        assert!(html.contains("<style>\n@scope (d-article)"));
        assert!(html.contains(".a{}<\\/style><script>alert(1)</script>\n}\n</style>"));
    }

    #[test]
    fn body_sits_in_a_d_article_inside_main() {
        let post = PostView {
            body_html: "<p>Hello</p>".into(),
            ..PostView::default()
        };
        let html = post_page(&site(), &post);
        let main = html.find("<main id=\"bt-main\"").unwrap_or(usize::MAX);
        let body = html
            .find("<d-article class=\"prose\">\n<p>Hello</p>")
            .unwrap_or(0);
        assert!(main < body);
        assert!(html.find("</main>").unwrap_or(0) > body);
    }
}
