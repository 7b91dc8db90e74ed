//! Stage 5, site files: what blogtrack generates around the posts and pages once they are
//! settled — the blog index and its archives, the search page and index, the root redirect
//! (when no page is at `/`), the 404 page, the feed, the sitemap and robots.txt, and the
//! poster-session page when `_data/decisions.yml` describes one (see [`crate::decisions`]).

use super::pages::PagesDone;
use super::stage::{Assembly, Frame};
use super::urls::SettledPosts;
use super::urls::{Area, Claim};
use crate::decisions::highlights::{Shown, POSTER_URL};
use crate::model::{url_to_output_path, Post, Track};
use crate::site::{self, OutFile};

/// The paths this stage's generators produce, registered in the [`super::urls::UrlTable`] so
/// that no post or page takes them. A new generated page is added here and in
/// [`add_site_files`] (a test fails when a generated file has no claim).
pub(super) fn claims(track: &Track) -> Vec<Claim> {
    let exact = |p: &str| Area::Exact(p.to_string());
    let prefix = |p: &str| Area::Prefix(p.to_string());
    let mut claims = vec![
        Claim::keeps(exact("404.html"), "the site's not-found page"),
        Claim::keeps(exact("feed.xml"), "the site's feed"),
        Claim::keeps(exact("sitemap.xml"), "the site's sitemap"),
        Claim::keeps(exact("robots.txt"), "the site's robots.txt"),
        Claim::keeps(exact("blog/index.html"), "the blog index"),
        Claim::keeps(
            prefix(crate::search::PAGE_URL.trim_start_matches('/')),
            "the search page",
        ),
    ];
    for p in ["blog/page/", "blog/tag/", "blog/category/"] {
        claims.push(Claim::keeps(
            prefix(p),
            "the blog index's pages and archives",
        ));
    }
    claims.push(Claim::keeps(
        Area::Matches(is_year_archive),
        "the blog's archive of that year",
    ));
    if has_poster_page(track) {
        claims.push(Claim::keeps(
            exact(&url_to_output_path(POSTER_URL)),
            "the poster-session page",
        ));
    }
    // The root redirect is made only when no page is at `/`.
    claims.push(Claim {
        area: exact("index.html"),
        what: "the site's root redirect",
        yields: true,
    });
    claims
}

/// Whether the site has a poster-session page: the decisions describe the session.
fn has_poster_page(track: &Track) -> bool {
    track
        .decisions
        .as_ref()
        .is_some_and(|d| d.poster_session.is_some())
}

/// The poster-session page, in the frame of the track's pages.
fn poster_page(frame: &Frame) -> Option<OutFile> {
    let track = frame.track;
    let d = track.decisions.as_ref()?;
    let session = d.poster_session.as_ref()?;
    let body_html = Shown::new(d, track).poster_page_body()?;
    let view = blogtrack_theme::view::PageView {
        title: session.title.clone(),
        description: String::new(),
        body_html,
        canonical_url: track.config.absolute_url(POSTER_URL),
        is_about: false,
        has_mermaid: false,
        mermaid_js_href: None,
    };
    Some(OutFile::text(
        url_to_output_path(POSTER_URL),
        blogtrack_theme::page(&frame.site_view(POSTER_URL), &view),
    ))
}

/// `blog/YYYY/index.html`.
fn is_year_archive(p: &str) -> bool {
    p.strip_prefix("blog/")
        .and_then(|r| r.strip_suffix("/index.html"))
        .is_some_and(|y| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()))
}

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
    files.extend(site::listings(
        config,
        base_site,
        &listed_posts,
        track.decisions.as_ref(),
        &nav_for,
    ));
    files.extend(crate::search::files(
        config,
        base_site,
        std::mem::take(&mut posts.search_entries),
        &nav_for,
    ));
    if site.urls.source_of("index.html").is_none() {
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
    files.extend(poster_page(frame));
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
        .filter(|p| site.urls.source_of(&url_to_output_path(&p.url)) == Some(p.path.as_str()))
        .map(|p| (p.url.clone(), None))
        .collect();
    urls.push(("/blog/".into(), None));
    if has_poster_page(track) {
        urls.push((POSTER_URL.into(), None));
    }
    urls.extend(
        listed_posts
            .iter()
            .map(|(p, _)| (p.url.clone(), Some(p.date.iso()))),
    );
    files.push(OutFile::text("sitemap.xml", site::sitemap(config, &urls)));
    files.push(OutFile::text("robots.txt", site::robots(config, noindex)));
}
