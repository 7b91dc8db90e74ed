//! Stage 3, URL ownership settled, and the one table that owns every URL of the site.
//!
//! [`UrlTable`] holds who owns each output path: the track's files copied into the site, the
//! areas each generator of the site registers for what it produces ([`Claim`]: the theme's
//! assets in [`super::theme::claims`], listings, search, feed, sitemap, 404 ... in
//! [`super::site_files::claims`]), and the posts and pages as they are settled. One policy
//! decides every clash ([`UrlTable::clash`]): a post or page cannot take a URL the site keeps
//! or one an earlier post or page owns (the first in track order keeps it, posts before
//! pages). `check` asks the same table before a pull request is merged.

use super::cache;
use super::posts::{Rendered, Staged};
use super::sink::{deliver, file_line};
use super::stage::{Assembly, Frame};
use super::PostResult;
use crate::model::{url_to_output_path, Track};
use blogtrack_diag::Diagnostic;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Which output paths a generator of the site produces.
#[derive(Debug, Clone)]
pub enum Area {
    /// One path.
    Exact(String),
    /// Every path under a folder (`assets/blogtrack/`).
    Prefix(String),
    /// Every path a test accepts (`blog/2024/index.html`).
    Matches(fn(&str) -> bool),
}

impl Area {
    fn covers(&self, out_path: &str) -> bool {
        match self {
            Area::Exact(p) => out_path == p,
            Area::Prefix(p) => out_path.starts_with(p.as_str()),
            Area::Matches(f) => f(out_path),
        }
    }
}

/// One generator's registration in the [`UrlTable`].
#[derive(Debug, Clone)]
pub struct Claim {
    pub area: Area,
    /// What the site keeps there, for the `url-clash` message ("the site's feed").
    pub what: &'static str,
    /// The file is made only when no page owns the path (the root redirect): a page may take it.
    pub yields: bool,
}

impl Claim {
    /// A claim the site keeps whatever the posts and pages want.
    pub fn keeps(area: Area, what: &'static str) -> Self {
        Claim {
            area,
            what,
            yields: false,
        }
    }
}

/// Who owns a path of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner<'t> {
    /// A post or page (its track-relative source file).
    Source(&'t str),
    /// A file of the track or of the site's generators, described ("the site's feed").
    Site(String),
}

/// Every URL of the site and who owns it.
#[derive(Debug, Clone)]
pub struct UrlTable {
    track_files: HashSet<String>,
    claims: Vec<Claim>,
    /// Output path → source file of the posts and pages settled so far.
    sources: BTreeMap<String, String>,
}

impl UrlTable {
    /// The site's own paths of `track`: its files and every generator's claims. No post or page
    /// owns anything yet.
    pub fn new(track: &Track) -> Self {
        let mut claims = super::theme::claims();
        claims.extend(super::site_files::claims(track));
        UrlTable {
            track_files: track.static_files.iter().map(|f| f.rel.clone()).collect(),
            claims,
            sources: BTreeMap::new(),
        }
    }

    /// What of the site's own lives at `out_path`, if anything: a file of the track (an image, a
    /// figure) or a file blogtrack generates and keeps. A post or page whose URL lands there is
    /// a `url-clash` error: without this its page silently replaced the author's image, or the
    /// generated file silently replaced the post.
    pub fn kept_by_site(&self, out_path: &str) -> Option<String> {
        if self.track_files.contains(out_path) {
            return Some(format!("the track's file `{out_path}`"));
        }
        let claim = self
            .claims
            .iter()
            .find(|c| !c.yields && c.area.covers(out_path))?;
        Some(claim.what.to_string())
    }

    /// Whether a generator of the site registered `out_path` (also where it yields to a page).
    pub fn generated(&self, out_path: &str) -> bool {
        self.claims.iter().any(|c| c.area.covers(out_path))
    }

    /// The post or page that owns `out_path`.
    pub fn source_of(&self, out_path: &str) -> Option<&str> {
        self.sources.get(out_path).map(String::as_str)
    }

    /// Who owns `out_path`: a settled post or page first, then the site.
    pub fn owner(&self, out_path: &str) -> Option<Owner<'_>> {
        match self.source_of(out_path) {
            Some(src) => Some(Owner::Source(src)),
            None => self.kept_by_site(out_path).map(Owner::Site),
        }
    }

    /// Records that the post or page `source` owns `out_path` (after [`UrlTable::clash`] found
    /// none); the first claim of a path keeps it.
    pub fn claim(&mut self, out_path: &str, source: &str) {
        self.sources
            .entry(out_path.to_string())
            .or_insert_with(|| source.to_string());
    }

    /// Why the page of `source` (a `what`: "post" or "page") cannot have the output path
    /// `out_path`: another post or page already owns it, or the site keeps it. `url` is how the
    /// author wrote it, `line` the `permalink:` line of the file (0: none).
    pub fn clash(
        &self,
        out_path: &str,
        what: &str,
        source: &str,
        url: &str,
        line: u32,
    ) -> Option<Diagnostic> {
        let d = match self.owner(out_path)? {
            Owner::Source(other) => {
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
            }
            Owner::Site(taken) => Diagnostic::error(
                "url-clash",
                format!("this {what}'s URL `{url}` is {taken}, which the site keeps"),
            )
            .with_hint("set a different `permalink`"),
        };
        Some(d.in_file(source).at(line, u32::from(line > 0)))
    }
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
        if let Some(d) = site.urls.clash(&out_path, "post", &post.path, &url, line) {
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
        site.urls.claim(&out_path, &post.path);
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
