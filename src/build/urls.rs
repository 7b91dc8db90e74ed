//! Stage 3, URL ownership settled: which post keeps a URL more than one claims (the first in
//! track order that builds), which URLs the site keeps for its own files ([`taken_by_site`]),
//! and the `url-clash` error for every post or page that loses ([`url_clash`]).

use super::cache;
use super::posts::{Rendered, Staged};
use super::sink::{deliver, file_line};
use super::stage::{Assembly, Frame};
use super::PostResult;
use crate::model::{url_to_output_path, Track};
use blogtrack_diag::Diagnostic;
use std::collections::{BTreeMap, HashMap, HashSet};

/// What of the site's own already lives at `out_path`, if anything: a file of the track (an
/// image, a figure) or a file blogtrack generates (feed, sitemap, 404 page, search, theme
/// assets, the blog index and its archives). A post or page whose URL lands there is a
/// `url-clash` error: without this check its page silently replaced the author's image, or the
/// generated file silently replaced the post.
pub(crate) fn taken_by_site(
    out_path: &str,
    is_track_file: &dyn Fn(&str) -> bool,
) -> Option<String> {
    if is_track_file(out_path) {
        return Some(format!("the track's file `{out_path}`"));
    }
    let generated = match out_path {
        "404.html" => "the site's not-found page",
        "feed.xml" => "the site's feed",
        "sitemap.xml" => "the site's sitemap",
        "robots.txt" => "the site's robots.txt",
        "blog/index.html" => "the blog index",
        p if p.starts_with("assets/blogtrack/") => "blogtrack's theme files",
        p if p.starts_with(crate::search::PAGE_URL.trim_start_matches('/')) => "the search page",
        p if ["blog/page/", "blog/tag/", "blog/category/"]
            .iter()
            .any(|pre| p.starts_with(pre)) =>
        {
            "the blog index's pages and archives"
        }
        p if p
            .strip_prefix("blog/")
            .and_then(|r| r.strip_suffix("/index.html"))
            .is_some_and(|y| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit())) =>
        {
            "the blog's archive of that year"
        }
        _ => return None,
    };
    Some(generated.to_string())
}

/// Why the page of `source` (a `what`: "post" or "page") cannot have the output path
/// `out_path`: another post or page already has it (`owner`: the first one keeps it), or the
/// site keeps it for its own files ([`taken_by_site`]). `line` is the `permalink:` line.
pub(super) fn url_clash(
    owner: &BTreeMap<String, String>,
    is_track_file: &dyn Fn(&str) -> bool,
    out_path: &str,
    what: &str,
    source: &str,
    url: &str,
    line: u32,
) -> Option<Diagnostic> {
    let d = if let Some(other) = owner.get(out_path) {
        let hint = if what == "post" {
            "rename the file or set a different `permalink`"
        } else {
            "change the page's `permalink`"
        };
        Diagnostic::error(
            "url-clash",
            format!("this {what} has the same URL `{url}` as `{other}`"),
        )
        .with_hint(hint)
    } else {
        let taken = taken_by_site(out_path, is_track_file)?;
        Diagnostic::error(
            "url-clash",
            format!("this {what}'s URL `{url}` is {taken}, which the site keeps"),
        )
        .with_hint("set a different `permalink`")
    };
    Some(d.in_file(source).at(line, u32::from(line > 0)))
}

/// URLs that more than one published post claims: the first of them that builds keeps it
/// ([`settle_posts`], in track order), so their pages wait; every other page goes to the sink
/// at once.
pub(super) fn contested(track: &Track) -> HashSet<String> {
    let mut claims: HashMap<String, usize> = HashMap::new();
    for p in track.posts.iter().filter(|p| p.meta.published) {
        *claims.entry(url_to_output_path(&p.url)).or_default() += 1;
    }
    claims
        .into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|(p, _)| p)
        .collect()
}

/// The posts once their URLs are settled.
#[derive(Default)]
pub(super) struct SettledPosts {
    pub posts_written: usize,
    pub posts_failed: usize,
    pub math_ok: usize,
    pub math_failed: usize,
    /// Listed posts (index into the track's posts) with their description HTML.
    pub listed: Vec<(usize, String)>,
    pub search_entries: Vec<serde_json::Value>,
    /// Post pages to take unchanged from the previous output.
    pub reused: Vec<String>,
    /// Every post's result by key, in track order, for the next build's cache.
    pub results: Vec<(cache::Key, PostResult)>,
}

/// The URL stage for posts: in track order, a failed post is reported, a post whose URL is
/// taken (by an earlier post or by the site) is a `url-clash` error, and every other post's
/// page is handed to the sink (if it was held) and its URL owned.
pub(super) fn settle_posts(
    frame: &Frame,
    rendered: Vec<Rendered>,
    site: &mut Assembly,
) -> SettledPosts {
    let track = frame.track;
    let config = &track.config;
    let is_track_file = |p: &str| frame.is_track_file(p);
    let mut s = SettledPosts {
        results: Vec::with_capacity(rendered.len()),
        ..SettledPosts::default()
    };
    for (i, (post, (key, mut r, staged))) in track.posts.iter().zip(rendered).enumerate() {
        site.diagnostics.extend(r.diagnostics.iter().cloned());
        s.math_ok += r.math_ok;
        s.math_failed += r.math_failed;
        if !post.meta.published {
            s.results.push((key, r));
            continue;
        }
        if r.failed {
            s.posts_failed += 1;
            site.diagnostics.push(
                // A note, not an error: it sums up the errors above and is not a problem of its own.
                Diagnostic::note(
                    "post-failed",
                    "this post was not built because of the errors above",
                )
                .in_file(&post.path),
            );
            s.results.push((key, r));
            continue;
        }
        let out_path = url_to_output_path(&post.url);
        let url = config.relative_url(&post.url);
        let line = file_line(post.meta.key_line("permalink"));
        if let Some(d) = url_clash(
            &site.owner,
            &is_track_file,
            &out_path,
            "post",
            &post.path,
            &url,
            line,
        ) {
            s.posts_failed += 1;
            site.diagnostics.push(d);
            // Not remembered: which post owns a URL depends on the others.
            continue;
        }
        let put = match staged {
            Staged::Previous => None,
            Staged::Held(bytes) => Some(deliver(site.sink, &out_path, bytes)),
            Staged::Put(put) => Some(put),
        };
        match put {
            None => s.reused.push(out_path.clone()),
            Some(Ok(page)) => {
                r.page_hash = page.summary.as_ref().map(|(h, _)| *h);
                site.streamed.push(page);
            }
            Some(Err(e)) => {
                s.posts_failed += 1;
                site.refused(&post.path, &out_path, post.meta.key_line("permalink"), &e);
                // Not remembered: whether a path can be written depends on the output folder.
                continue;
            }
        }
        site.owner.insert(out_path.clone(), post.path.clone());
        site.origins.insert(out_path, post.path.clone());
        s.posts_written += 1;
        if post.listed() {
            s.listed.push((i, r.description_html.clone()));
            s.search_entries.extend(r.search.clone());
        }
        s.results.push((key, r));
    }
    s
}
