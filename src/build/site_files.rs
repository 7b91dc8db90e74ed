//! Stage 5, site files: what blogtrack generates around the posts and pages once they are
//! settled — the blog index and its archives, the search page and index, the root redirect
//! (when no page is at `/`), the 404 page, the feed, the sitemap and robots.txt.

use super::pages::PagesDone;
use super::stage::{Assembly, Frame};
use super::urls::SettledPosts;
use crate::model::{url_to_output_path, Post};
use crate::site::{self, OutFile};

/// The site-files stage: adds every generated file to `site.files`.
pub(super) fn add_site_files(
    frame: &Frame,
    posts: &mut SettledPosts,
    pages: &PagesDone,
    noindex: bool,
    site: &mut Assembly,
) {
    let track = frame.track;
    let config = &track.config;
    let base_site = &frame.base_site;
    let nav_for = |url: &str| frame.nav_for(url);
    let listed_posts: Vec<(&Post, &str)> = posts
        .listed
        .iter()
        .map(|(i, d)| (&track.posts[*i], d.as_str()))
        .collect();
    let files = &mut site.files;
    files.extend(site::listings(config, base_site, &listed_posts, &nav_for));
    files.extend(crate::search::files(
        config,
        base_site,
        std::mem::take(&mut posts.search_entries),
        &nav_for,
    ));
    if !site.owner.contains_key("index.html") {
        let target = pages.redirect_root.clone().unwrap_or_else(|| {
            track
                .pages
                .iter()
                .filter(|p| p.meta.nav)
                .min_by_key(|p| p.meta.nav_order.unwrap_or(i64::MAX))
                .map(|p| config.relative_url(&p.url))
                .unwrap_or_else(|| config.relative_url("/blog/"))
        });
        files.push(OutFile::text(
            "index.html",
            blogtrack_theme::redirect(&target),
        ));
    }
    files.push(OutFile::text(
        "404.html",
        blogtrack_theme::not_found(&frame.site_view("/404.html")),
    ));
    files.push(OutFile::text(
        "feed.xml",
        site::feed(config, &listed_posts, &base_site.generator),
    ));
    let mut urls: Vec<(String, Option<String>)> = track
        .pages
        .iter()
        .filter(|p| p.meta.redirect_to.is_none())
        // Only pages that were built (not failed, clashing or refused by the file system).
        .filter(|p| site.owner.get(&url_to_output_path(&p.url)) == Some(&p.path))
        .map(|p| (p.url.clone(), None))
        .collect();
    urls.push(("/blog/".into(), None));
    urls.extend(
        listed_posts
            .iter()
            .map(|(p, _)| (p.url.clone(), Some(p.date.iso()))),
    );
    files.push(OutFile::text("sitemap.xml", site::sitemap(config, &urls)));
    files.push(OutFile::text("robots.txt", site::robots(config, noindex)));
}
