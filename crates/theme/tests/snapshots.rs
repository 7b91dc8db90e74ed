//! Snapshot tests of the theme stage: whole pages (a post with every part the layout places —
//! byline, table of contents, badge, references, footnotes, "cite this" —, a site page, a blog
//! index page, the 404 page) rendered from fixed views and compared with the reviewed snapshots in
//! `tests/snapshots/`. The stylesheet and script are linked, not inlined, so the snapshots show
//! the markup only. After an intended change: `cargo insta review` (or `INSTA_UPDATE=always
//! cargo test --test snapshots`) and read the diff before committing it.

use blogtrack_theme::view::{
    Affiliation, Author, CiteThis, DateView, Footnote, ListView, NavChild, NavItem, PageView,
    PostSummary, PostView, Reference, SiteView, TocEntry,
};
use blogtrack_theme::{list_page, not_found, page, post_page};

fn site() -> SiteView {
    SiteView {
        title: "ICLR Blogposts 2025".into(),
        description: "Home to the 2025 ICLR Blogposts track".into(),
        lang: "en".into(),
        home_href: "/2025/".into(),
        absolute_root: "https://iclr-blogposts.github.io/2025".into(),
        nav: vec![
            NavItem {
                title: "about".into(),
                href: "/2025/about/".into(),
                active: false,
                children: vec![],
            },
            NavItem {
                title: "blog".into(),
                href: "/2025/blog/".into(),
                active: true,
                children: vec![],
            },
            NavItem {
                title: "past iterations".into(),
                href: String::new(),
                active: false,
                children: vec![
                    NavChild::Link {
                        title_html: "2024".into(),
                        href: "https://iclr-blogposts.github.io/2024/".into(),
                    },
                    NavChild::Divider,
                    NavChild::Link {
                        title_html: "2023".into(),
                        href: "https://iclr-blogposts.github.io/2023/".into(),
                    },
                ],
            },
        ],
        footer_html: "© 2025 ICLR Blogposts Track.".into(),
        icon_href: Some("/2025/assets/img/favicon.ico".into()),
        feed_href: "/2025/feed.xml".into(),
        css_href: "/2025/assets/theme.css".into(),
        js_href: "/2025/assets/theme.js".into(),
        search_href: Some("/2025/search/".into()),
        dark_mode: true,
        max_width: Some("930px".into()),
        noindex: false,
        generator: "blogtrack".into(),
    }
}

fn date() -> DateView {
    DateView {
        iso: "2025-04-28".into(),
        display: "April 28, 2025".into(),
    }
}

fn post() -> PostView {
    let toc = |title: &str, id: Option<&str>, children| TocEntry {
        title: title.into(),
        href: id.map(|id| format!("#{id}")),
        children,
    };
    PostView {
        title: "Understanding \"attention\" & <friends>".into(),
        description_html: "Why <i>attention</i> works, with <math><mi>x</mi></math>.".into(),
        description_text: "Why attention works.".into(),
        date: date(),
        authors: vec![
            Author {
                name: "Ada Lovelace".into(),
                url: Some("https://example.org/ada".into()),
                affiliations: vec![Affiliation {
                    name: "Analytical Engines Ltd.".into(),
                    url: Some("https://example.org".into()),
                }],
            },
            Author {
                name: "Alan Turing".into(),
                url: None,
                affiliations: vec![],
            },
        ],
        toc: vec![
            toc("Introduction", Some("introduction"), vec![]),
            toc(
                "Method",
                Some("method"),
                vec![toc("The loss", Some("the-loss"), vec![])],
            ),
            toc("A heading that is not there", None, vec![]),
        ],
        body_html: "<h2 id=\"introduction\">Introduction</h2>\n<p>Text.</p>\n".into(),
        styles_css: Some(".fig { width: 50%; } </style><script>".into()),
        references: vec![Reference {
            id: "ref-vaswani2017".into(),
            number: 1,
            html: "A. Vaswani et al. <em>Attention is All you Need</em>. 2017.".into(),
        }],
        footnotes: vec![Footnote {
            id: "fn-1".into(),
            ref_id: "fnref-1".into(),
            number: 1,
            html: "A note.".into(),
        }],
        cite_this: Some(CiteThis {
            text: "Lovelace & Turing, \"Understanding attention\", ICLR Blogposts, 2025.".into(),
            bibtex:
                "@inproceedings{lovelace2025understanding,\n  title={Understanding attention}\n}"
                    .into(),
        }),
        head_html: "<meta name=\"citation_title\" content=\"Understanding attention\">".into(),
        canonical_url: "https://iclr-blogposts.github.io/2025/blog/attention/".into(),
        tags: vec!["transformers".into()],
        categories: vec!["analysis".into()],
        has_mermaid: false,
        mermaid_js_href: None,
        badge: Some("Best post".into()),
    }
}

#[test]
fn post_with_every_part() {
    insta::assert_snapshot!(post_page(&site(), &post()));
}

#[test]
fn site_page() {
    let view = PageView {
        title: "call for blogposts".into(),
        description: "Submit a post about published work".into(),
        body_html: "<p>The call.</p>\n".into(),
        canonical_url: "https://iclr-blogposts.github.io/2025/call/".into(),
        is_about: false,
        has_mermaid: false,
        mermaid_js_href: None,
    };
    insta::assert_snapshot!(page(&site(), &view));
}

#[test]
fn blog_index_page() {
    let summary = |title: &str, badge: Option<&str>| PostSummary {
        title: title.into(),
        href: format!("/2025/blog/{}/", title.to_lowercase().replace(' ', "-")),
        description_html: format!("About {title}."),
        authors: "A. Author, B. Author".into(),
        date: date(),
        tags: vec!["theory".into()],
        reading_minutes: 12,
        badge: badge.map(Into::into),
    };
    let view = ListView {
        title: "blog".into(),
        description: "The accepted posts".into(),
        posts: vec![
            summary("First post", Some("Best post")),
            summary("Second post", None),
        ],
        page: 2,
        pages: 3,
        prev_href: Some("/2025/blog/".into()),
        next_href: Some("/2025/blog/page/3/".into()),
        archive_links: vec![("2025".into(), "/2025/blog/2025/".into())],
        canonical_url: "https://iclr-blogposts.github.io/2025/blog/page/2/".into(),
    };
    insta::assert_snapshot!(list_page(&site(), &view));
}

#[test]
fn not_found_page() {
    insta::assert_snapshot!(not_found(&site()));
}
