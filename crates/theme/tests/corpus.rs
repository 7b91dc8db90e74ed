//! Renders every post of the real corpora through the article layout, with the post's raw
//! title and source as body, and checks that the shell stays well-formed around real,
//! awkward titles (quotes, colons, entities) and large bodies.

use std::fs;

use blogtrack_theme::post_page;
use blogtrack_theme::view::{PostView, SiteView};

fn front_matter_title(src: &str) -> Option<String> {
    let line = src
        .lines()
        .skip(1)
        .take(60)
        .find(|l| l.starts_with("title:"))?;
    let v = line["title:".len()..].trim();
    let v = v
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(v);
    let v = v
        .strip_prefix('\'')
        .and_then(|s| s.strip_suffix('\''))
        .unwrap_or(v);
    Some(v.to_string())
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

#[test]
fn every_corpus_post_renders_inside_a_well_formed_shell() {
    let site = SiteView {
        title: "ICLR Blogposts".into(),
        home_href: "/".into(),
        css_href: "/theme.css".into(),
        js_href: "/theme.js".into(),
        dark_mode: true,
        ..SiteView::default()
    };
    let Some(corpus) = blogtrack_testcorpus::require(
        "theme::every_corpus_post_renders_inside_a_well_formed_shell",
    ) else {
        return;
    };
    let mut rendered = 0;
    for year in ["iclr-2023", "iclr-2024"] {
        let dir = corpus.join(year).join("_posts");
        let entries = fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("failed to read `{}`: {e}", dir.display()));
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(src) = fs::read_to_string(&path) else {
                continue;
            };
            let title = front_matter_title(&src).unwrap_or_default();
            let post = PostView {
                title: title.clone(),
                body_html: src.clone(),
                ..PostView::default()
            };
            let html = post_page(&site, &post);
            let head = &html[..html.find("<body>").unwrap_or(html.len())];
            assert_eq!(head.matches("<title>").count(), 1, "{}", path.display());
            let expected = if title.is_empty() {
                "<title>ICLR Blogposts</title>".to_string()
            } else {
                format!("<title>{} | ICLR Blogposts</title>", escape(&title))
            };
            assert!(head.contains(&expected), "{}: {expected}", path.display());
            assert!(
                html.contains(&format!("<h1 class=\"post-title\">{}</h1>", escape(&title))),
                "{}",
                path.display()
            );
            assert!(html.ends_with("</body>\n</html>\n"));
            assert!(
                html.contains(&blogtrack_theme::content::adapt_body(&src)),
                "the body is inserted as `content::adapt_body` fits it (verbatim otherwise)"
            );
            rendered += 1;
        }
    }
    assert!(rendered >= 30, "only {rendered} corpus posts found");
}
