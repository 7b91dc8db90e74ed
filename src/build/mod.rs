//! `blogtrack build` and the plan every driver shares. [`plan_into`] reads as its stages, each
//! in its own module:
//!
//! 0. [`images`] (disk builds): smaller WebP copies of raster figures, added to the track's files;
//! 1. [`theme`]: the theme's assets and the page frame;
//! 2. [`posts`]: every post rendered in parallel (or taken from a [`PostCache`]: the build's
//!    manifest in the output folder, see [`cache`], or the dev server's memory), its page handed
//!    to the sink at once unless its URL is contested;
//! 3. [`urls`]: URL ownership settled (first post keeps a URL; the site's own files win);
//! 4. [`pages`]: the track's pages and redirect pages;
//! 5. [`site_files`]: listings, search, root redirect, 404, feed, sitemap, robots.txt;
//! 6. [`links`]: every local link checked;
//! 7. [`disk`]: written (staging folder swapped in), or nothing when the site is unchanged.
//!
//! A build does not keep its pages: [`plan_into`] hands each post and page to a [`PageSink`] as
//! soon as it is rendered (the build's staging folder, see [`crate::write`]) and keeps only a
//! summary per page (path, hash, local links) for the site key and the link check;
//! [`plan`]/[`plan_with`] use an in-memory sink for `serve`, `preview` and tests. The render
//! inputs and the panic guard live in [`crate::render`]. What a build does not do here: I/O
//! other than through the sink and the cache, and deciding what is written where (that is
//! `write.rs`).

pub mod cache;
mod disk;
pub mod images;
mod keys;
mod links;
mod pages;
mod posts;
mod sink;
mod site_files;
mod stage;
mod theme;
mod urls;

pub use crate::render::inputs::{site_value, RenderInputs};
pub use disk::build;
pub use links::check_site_links;
pub use sink::StreamedPage;
pub use theme::{fingerprint, stylesheet};
pub use urls::{Area, Claim, Owner, UrlTable};

use crate::model::Track;
use crate::site::OutFile;
use crate::write::{MemorySink, PageSink, WriteStats};
use blogtrack_diag::{Diagnostic, Diagnostics};
use stage::{Assembly, Frame};
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

/// Settings of one build that do not come from the track.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub source: PathBuf,
    pub output: PathBuf,
    /// Warnings count as errors.
    pub strict: bool,
    /// Pages carry `noindex` and robots.txt disallows everything (previews).
    pub noindex: bool,
    /// Replaces `url` and `baseurl` of `_config.yml` (`build --base-url`).
    pub base_url: Option<crate::config::BaseUrl>,
}

/// The planned site: every generated file, plus what rendering found.
pub struct SitePlan {
    /// Generated files held in memory: with [`plan`] and [`plan_with`], every file of the site;
    /// with [`plan_into`], those not handed to the sink (blogtrack's own: listings, feed, ...).
    pub files: Vec<OutFile>,
    /// The pages handed to the [`PageSink`] (posts and pages), in site order.
    pub streamed: Vec<StreamedPage>,
    /// Where the streamed pages belong among `files` (to lay them out in one order).
    streamed_at: usize,
    /// Output path → source file (track-relative) of the pages rendered from a post or page.
    pub origins: HashMap<String, String>,
    /// Post pages to take unchanged from the previous output (hard-linked by the writer).
    pub reused: Vec<String>,
    /// Every post's result by key, in track order, for the next build's cache.
    pub posts: Vec<(cache::Key, PostResult)>,
    pub diagnostics: Vec<Diagnostic>,
    /// The first failure of the sink that is not about one page's path (a full disk, a
    /// read-only or vanished output folder): the site cannot be written, so a build stops and
    /// keeps the previous one rather than publish a site without its pages.
    pub sink_failure: Option<Diagnostic>,
    pub posts_written: usize,
    pub posts_failed: usize,
    pub pages_written: usize,
    pub math_ok: usize,
    pub math_failed: usize,
}

/// What a build did.
pub struct BuildReport {
    pub diagnostics: Diagnostics,
    pub posts_written: usize,
    pub posts_failed: usize,
    pub pages_written: usize,
    pub files: usize,
    pub write: WriteStats,
    pub elapsed: Duration,
    pub math_ok: usize,
    pub math_failed: usize,
    /// Posts left out because `_data/decisions.yml` does not accept them.
    pub not_accepted: usize,
}

impl BuildReport {
    /// Whether the build must exit non-zero.
    pub fn failed(&self, strict: bool) -> bool {
        self.posts_failed > 0
            || self.diagnostics.errors() > 0
            || (strict && self.diagnostics.warnings() > 0)
    }

    /// The one-line summary printed at the end of every build.
    pub fn summary(&self) -> String {
        let mut s = format!(
            "built {} post{} and {} page{} ({} files) in {} ms",
            self.posts_written,
            if self.posts_written == 1 { "" } else { "s" },
            self.pages_written,
            if self.pages_written == 1 { "" } else { "s" },
            self.files,
            self.elapsed.as_millis()
        );
        if self.posts_failed > 0 {
            s.push_str(&format!("; {} post(s) FAILED", self.posts_failed));
        }
        if self.not_accepted > 0 {
            s.push_str(&format!(
                "; {} post{} not published (not accepted in {})",
                self.not_accepted,
                if self.not_accepted == 1 { "" } else { "s" },
                crate::decisions::PATH
            ));
        }
        s.push_str(&format!(
            "; {} error(s), {} warning(s)",
            self.diagnostics.errors(),
            self.diagnostics.warnings()
        ));
        if self.math_ok + self.math_failed > 0 {
            let total = self.math_ok + self.math_failed;
            s.push_str(&format!(
                "; math {}/{} ({:.2}%)",
                self.math_ok,
                total,
                100.0 * self.math_ok as f64 / total as f64
            ));
        }
        s
    }
}

/// Size and modification time (ns since the epoch) of a file a post depends on.
pub type AssetStamp = (u64, u64);

/// One rendered post as the site needs it, without its page: what a [`PostCache`] remembers.
#[derive(Debug, Clone)]
pub struct PostResult {
    /// Site-relative path of the post's page; `None` when no page was made (failed, unpublished).
    pub out_path: Option<String>,
    /// The description as HTML, for listings and the feed.
    pub description_html: String,
    pub diagnostics: Vec<Diagnostic>,
    pub failed: bool,
    pub math_ok: usize,
    pub math_failed: usize,
    /// Track files the post's figures referenced, with their state when it was rendered.
    pub assets: Vec<(String, Option<AssetStamp>)>,
    /// The post's entry of the search index (listed posts), kept so that a reused page needs no
    /// re-reading.
    pub search: Option<serde_json::Value>,
    /// Hash of the page's bytes when the page went to a sink that does not keep it, so that a
    /// warm build that reuses every page still knows the site it lays out (the build manifest's
    /// "identical site" key, see [`cache`]).
    pub page_hash: Option<cache::Key>,
}

/// Rendered posts remembered between builds, by [`cache::Key`] (a hash of all inputs).
pub trait PostCache: Sync {
    /// The result for `key`, with the page bytes (`Some`) or `None` when the page is to be taken
    /// from the previous output (see [`SitePlan::reused`]).
    fn get(&self, key: cache::Key) -> Option<(PostResult, Option<Vec<u8>>)>;
}

/// Remembers nothing: every post is rendered.
pub struct NoCache;

impl PostCache for NoCache {
    fn get(&self, _key: cache::Key) -> Option<(PostResult, Option<Vec<u8>>)> {
        None
    }
}

/// Lays out the whole site from a loaded track, rendering every post.
pub fn plan(track: &Track, noindex: bool) -> SitePlan {
    plan_with(track, noindex, &NoCache)
}

/// Lays out the whole site, taking unchanged posts from `cache` (see [`cache`] for what makes a
/// post unchanged), with every page in memory ([`SitePlan::files`]).
pub fn plan_with(track: &Track, noindex: bool, cache: &dyn PostCache) -> SitePlan {
    let sink = MemorySink::default();
    let mut plan = plan_into(track, noindex, cache, &sink);
    let streamed = std::mem::take(&mut plan.streamed);
    let pages = sink.into_files(streamed.iter().map(|p| p.path.as_str()));
    let at = plan.streamed_at.min(plan.files.len());
    plan.files.splice(at..at, pages);
    plan
}

/// Lays out the whole site like [`plan_with`], handing each post and page to `sink` as soon as
/// it is rendered (a build streams them into its staging folder, so it never holds every page:
/// at 10,000 posts they were ~660 MB). What the build needs later is kept per page in
/// [`SitePlan::streamed`]. A page the sink refuses fails that post or page only.
pub fn plan_into(
    track: &Track,
    noindex: bool,
    cache: &dyn PostCache,
    sink: &dyn PageSink,
) -> SitePlan {
    let inputs = RenderInputs::new(track);
    let theme = theme::theme_assets(track, noindex);
    let frame = Frame::new(track, theme.base_site);
    let urls = UrlTable::new(track);
    let contested = urls::contested(track);
    let rendered = posts::render_posts(&frame, &inputs, &urls, noindex, cache, sink, &contested);
    let mut site = Assembly::new(sink, theme.files, urls);
    let streamed_at = site.files.len();
    let mut posts = urls::settle_posts(&frame, rendered, &mut site);
    let pages = pages::add_pages(&frame, &inputs, &mut site);
    site_files::add_site_files(&frame, &mut posts, &pages, noindex, &mut site);
    SitePlan {
        files: site.files,
        streamed: site.streamed,
        streamed_at,
        origins: site.origins,
        reused: posts.reused,
        posts: posts.results,
        diagnostics: site.diagnostics,
        sink_failure: site.sink_failure,
        posts_written: posts.posts_written,
        posts_failed: posts.posts_failed,
        pages_written: pages.pages_written,
        math_ok: posts.math_ok,
        math_failed: posts.math_failed,
    }
}

#[cfg(test)]
mod tests {
    use super::links::check_streamed_links;
    use super::sink::path_refused;
    use super::*;
    use crate::load::load_track;
    use crate::write::Staging;
    use std::collections::BTreeMap;
    use std::fs;
    use std::path::Path;

    /// Every output file (relative path → bytes), without the build cache's manifest (it records
    /// modification times, which differ between two builds by nature).
    fn tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
        walkdir::WalkDir::new(root)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .filter_map(|e| {
                let rel = e
                    .path()
                    .strip_prefix(root)
                    .ok()?
                    .to_string_lossy()
                    .to_string();
                if rel == cache::MANIFEST {
                    return None;
                }
                Some((rel, fs::read(e.path()).ok()?))
            })
            .collect()
    }

    fn build_into(src: &Path, out: &Path) -> BuildReport {
        let opts = BuildOptions {
            source: src.to_path_buf(),
            output: out.to_path_buf(),
            ..BuildOptions::default()
        };
        match build(&opts) {
            Ok(r) => r,
            Err(d) => panic!("build failed: {}", d.message),
        }
    }

    #[test]
    fn builds_are_deterministic_cold_warm_and_after_an_edit() {
        let tmp = tempfile::tempdir().unwrap();
        let src = tmp.path().join("track");
        blogtrack_synth::write_track(&src, 12, 3).unwrap();
        let (a, b, c) = (
            tmp.path().join("a"),
            tmp.path().join("b"),
            tmp.path().join("c"),
        );

        // Two cold builds (posts rendered in parallel) give the same bytes.
        let first = build_into(&src, &a);
        assert_eq!(first.posts_written, 12);
        build_into(&src, &b);
        let cold = tree(&a);
        assert!(cold.len() > 12);
        assert_eq!(cold, tree(&b));

        // A warm build with nothing changed leaves the same bytes, and (right after the cold
        // build, whose pages it reuses) writes nothing at all: the site is known to be the same.
        let warm = build_into(&src, &a);
        assert_eq!(tree(&a), cold);
        assert_eq!((warm.write.bytes, warm.write.linked), (0, 0));

        // After an edit, the warm build (one post rendered, the rest reused) equals a cold one.
        let post = fs::read_dir(src.join("_posts"))
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .min()
            .unwrap();
        let text = fs::read_to_string(&post).unwrap();
        fs::write(
            &post,
            text.replacen("\n\n", "\n\nAn edited first paragraph.\n\n", 1),
        )
        .unwrap();
        build_into(&src, &a);
        build_into(&src, &c);
        let edited = tree(&a);
        assert_ne!(edited, cold);
        assert_eq!(edited, tree(&c));
    }

    fn broken_links(d: &[Diagnostic]) -> Vec<String> {
        let mut v: Vec<String> = d
            .iter()
            .filter(|d| d.code == "broken-link")
            .map(|d| format!("{:?}:{} {}", d.file, d.line, d.message))
            .collect();
        v.sort();
        v
    }

    #[test]
    fn warm_builds_report_the_same_broken_links_as_cold_ones() {
        let tmp = tempfile::tempdir().unwrap();
        let src = tmp.path().join("track");
        blogtrack_synth::write_track(&src, 7, 5).unwrap();
        let mut posts: Vec<PathBuf> = fs::read_dir(src.join("_posts"))
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect();
        posts.sort();
        for (i, p) in posts.iter().enumerate().step_by(3) {
            let text = fs::read_to_string(p).unwrap();
            fs::write(
                p,
                format!("{text}\nSee [gone](/nowhere-{i}/) and [here](#no-such-id-{i}).\n"),
            )
            .unwrap();
        }
        let out = tmp.path().join("out");
        let cold = build_into(&src, &out);
        let expected = broken_links(&cold.diagnostics.0);
        assert_eq!(expected.len(), 6, "{expected:?}");
        // Each at the line of the source where the link is written, not of the page.
        assert!(expected.iter().all(|d| !d.contains(":0 ")), "{expected:?}");

        // In memory (as `preview` checks), the same.
        let (track, _) = load_track(&src, &[]).unwrap();
        let site = plan(&track, false);
        let files: Vec<&OutFile> = site.files.iter().collect();
        let in_memory = check_site_links(&track, &files, &site.origins);
        assert_eq!(broken_links(&in_memory), expected);

        // Warm: every post page comes from the previous output and is read back to be checked.
        let manifest = cache::Manifest::read(&out);
        let sink = MemorySink::default();
        let warm = plan_into(&track, false, &manifest, &sink);
        assert_eq!(warm.reused.len(), 7, "every post page is reused");
        let (found, _) = check_streamed_links(&track, &warm, &out);
        assert_eq!(broken_links(&found), expected);
        assert_eq!(
            broken_links(&build_into(&src, &out).diagnostics.0),
            expected
        );
    }

    #[test]
    fn the_pages_of_a_build_are_written_as_they_are_rendered_not_kept() {
        let tmp = tempfile::tempdir().unwrap();
        let src = tmp.path().join("track");
        blogtrack_synth::write_track(&src, 4, 9).unwrap();
        let (track, _) = load_track(&src, &[]).unwrap();
        let staging = Staging::create(&tmp.path().join("out")).unwrap();
        let streamed = plan_into(&track, false, &NoCache, &staging);
        let in_memory = plan(&track, false);
        // Four posts and the about page went to the staging folder, with a summary each.
        assert_eq!(streamed.streamed.len(), 5);
        assert!(streamed.streamed.iter().all(|p| p.summary.is_some()));
        assert_eq!(
            streamed.files.len() + streamed.streamed.len(),
            in_memory.files.len()
        );
        // Same pages, same bytes, same order as a plan held in memory.
        let paths = |files: &[OutFile]| files.iter().map(|f| f.path.clone()).collect::<Vec<_>>();
        let mut merged: Vec<String> = paths(&streamed.files);
        let at = streamed.streamed_at;
        merged.splice(at..at, streamed.streamed.iter().map(|p| p.path.clone()));
        assert_eq!(merged, paths(&in_memory.files));
        for f in &in_memory.files {
            if streamed.streamed.iter().any(|p| p.path == f.path) {
                let staged = fs::read(staging.path().join(&f.path)).unwrap();
                assert!(staged == f.content, "{} differs", f.path);
            }
        }
    }

    /// A synthetic track of `n` posts in `tmp/track`, and its post files in order.
    fn synthetic_track(tmp: &Path, n: usize) -> (PathBuf, Vec<PathBuf>) {
        let src = tmp.join("track");
        blogtrack_synth::write_track(&src, n, 2).unwrap();
        let mut posts: Vec<PathBuf> = fs::read_dir(src.join("_posts"))
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect();
        posts.sort();
        (src, posts)
    }

    /// Puts `permalink: URL` on the front matter's first line (line 2 of the file).
    fn set_permalink(post: &Path, url: &str) {
        let text = fs::read_to_string(post).unwrap();
        let text = text.replacen("---\n", &format!("---\npermalink: {url}\n"), 1);
        fs::write(post, text).unwrap();
    }

    /// The diagnostics of `report` with `code`.
    fn with_code<'r>(report: &'r BuildReport, code: &str) -> Vec<&'r Diagnostic> {
        let all = report.diagnostics.0.iter();
        all.filter(|d| d.code == code).collect()
    }

    #[test]
    fn a_post_cannot_take_the_url_of_a_track_file_or_of_a_generated_page() {
        let tmp = tempfile::tempdir().unwrap();
        let (src, posts) = synthetic_track(tmp.path(), 4);
        let image = fs::read_dir(src.join("assets/img"))
            .unwrap()
            .filter_map(Result::ok)
            .flat_map(|d| fs::read_dir(d.path()).unwrap().filter_map(Result::ok))
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|x| x == "png"))
            .unwrap();
        let image_rel = image
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .to_string();
        let image_bytes = fs::read(&image).unwrap();
        for (post, permalink) in posts.iter().zip([
            format!("/{image_rel}"),
            "/feed.xml".to_string(),
            "/blog/".to_string(),
        ]) {
            set_permalink(post, &permalink);
        }
        let out = tmp.path().join("out");

        let report = build_into(&src, &out);
        assert!(report.failed(false), "the build exits non-zero");
        assert_eq!((report.posts_written, report.posts_failed), (1, 3));
        let clashes = with_code(&report, "url-clash");
        assert_eq!(clashes.len(), 3, "{:?}", report.diagnostics.0);
        assert!(clashes.iter().all(|d| d.line == 2), "{clashes:?}");
        let messages: Vec<&str> = clashes.iter().map(|d| d.message.as_str()).collect();
        assert!(
            messages.iter().any(|m| m.contains("the track's file")),
            "{messages:?}"
        );
        assert!(
            messages.iter().any(|m| m.contains("the site's feed")),
            "{messages:?}"
        );
        assert!(
            messages.iter().any(|m| m.contains("the blog index")),
            "{messages:?}"
        );
        // The site's own files are intact.
        assert_eq!(fs::read(out.join(&image_rel)).unwrap(), image_bytes);
        assert!(fs::read_to_string(out.join("feed.xml"))
            .unwrap()
            .starts_with("<?xml"));
        assert!(fs::read_to_string(out.join("blog/index.html"))
            .unwrap()
            .contains(&post_title(&posts[3])));
    }

    /// The `title:` of a synthetic post.
    fn post_title(path: &Path) -> String {
        let text = fs::read_to_string(path).unwrap();
        let title = text.lines().find_map(|l| l.strip_prefix("title: "));
        title.unwrap().trim_matches('"').to_string()
    }

    #[test]
    fn every_file_the_site_generates_is_claimed_in_the_url_table() {
        // The demo track draws a diagram (Mermaid's bundle) and has tags and categories; the
        // synthetic one has several pages of the blog index.
        let tmp = tempfile::tempdir().unwrap();
        let (synth, _) = synthetic_track(tmp.path(), 25);
        let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("demo");
        for src in [demo, synth] {
            let (track, _) = load_track(&src, &[]).unwrap();
            let sink = MemorySink::default();
            let site = plan_into(&track, false, &NoCache, &sink);
            let urls = UrlTable::new(&track);
            let unclaimed: Vec<&str> = site
                .files
                .iter()
                .map(|f| f.path.as_str())
                .filter(|p| !urls.generated(p))
                .collect();
            assert!(site.files.len() > 8, "{}", site.files.len());
            assert!(unclaimed.is_empty(), "{}: {unclaimed:?}", src.display());
            // And no post or page is one of them.
            assert!(site
                .streamed
                .iter()
                .all(|p| urls.kept_by_site(&p.path).is_none()));
        }
    }

    #[test]
    fn the_url_table_keeps_the_sites_paths_and_lets_a_page_take_the_root() {
        let tmp = tempfile::tempdir().unwrap();
        let (src, _) = synthetic_track(tmp.path(), 1);
        let (track, _) = load_track(&src, &[]).unwrap();
        let mut urls = UrlTable::new(&track);
        let image = &track.static_files[0].rel;
        assert_eq!(
            urls.kept_by_site(image),
            Some(format!("the track's file `{image}`"))
        );
        for (path, what) in [
            ("feed.xml", "the site's feed"),
            (
                "blog/tag/x/index.html",
                "the blog index's pages and archives",
            ),
            ("blog/2024/index.html", "the blog's archive of that year"),
            ("search/index.json", "the search page"),
            ("assets/blogtrack/anything.css", "blogtrack's theme files"),
        ] {
            assert_eq!(urls.kept_by_site(path).as_deref(), Some(what), "{path}");
        }
        assert_eq!(urls.kept_by_site("blog/20245/index.html"), None);
        // The root redirect yields to a page at `/`.
        assert!(urls.generated("index.html"));
        assert_eq!(
            urls.clash("index.html", "page", "_pages/home.md", "/", 0),
            None
        );
        urls.claim("index.html", "_pages/home.md");
        urls.claim("index.html", "_pages/second.md");
        let d = urls
            .clash("index.html", "post", "_posts/x.md", "/", 2)
            .unwrap();
        assert_eq!(
            d.message,
            "this post has the same URL `/` as `_pages/home.md`"
        );
        assert_eq!((d.line, d.col), (2, 1));
    }

    #[test]
    fn a_redirect_page_cannot_take_a_posts_url() {
        let tmp = tempfile::tempdir().unwrap();
        let (src, _) = synthetic_track(tmp.path(), 2);
        fs::write(
            src.join("_pages/moved.md"),
            "---\npermalink: /blog/synth-00000/\nredirect_to: /about/\n---\n",
        )
        .unwrap();
        let out = tmp.path().join("out");

        let report = build_into(&src, &out);
        let clashes = with_code(&report, "url-clash");
        assert_eq!(clashes.len(), 1, "{:?}", report.diagnostics.0);
        assert_eq!(clashes[0].file.as_deref(), Some("_pages/moved.md"));
        assert!(clashes[0].message.contains("page has the same URL"));
        // The post keeps its page (the redirect used to overwrite it).
        let page = fs::read_to_string(out.join("blog/synth-00000/index.html")).unwrap();
        assert!(
            page.contains("<article") || page.contains("<d-article"),
            "{page}"
        );
    }

    #[test]
    fn a_permalink_too_long_for_the_file_system_fails_that_post_only() {
        let tmp = tempfile::tempdir().unwrap();
        let (src, posts) = synthetic_track(tmp.path(), 3);
        set_permalink(&posts[0], &format!("/blog/{}/", "x".repeat(300)));
        let out = tmp.path().join("out");

        let report = build_into(&src, &out);
        assert!(report.failed(false), "the build exits non-zero");
        assert_eq!((report.posts_written, report.posts_failed), (2, 1));
        let errors = with_code(&report, "page-not-written");
        assert_eq!(errors.len(), 1, "{:?}", report.diagnostics.0);
        let name = posts[0].file_name().unwrap().to_string_lossy();
        assert_eq!(
            errors[0].file.as_deref(),
            Some(format!("_posts/{name}").as_str())
        );
        assert_eq!(errors[0].line, 2);
        assert!(errors[0]
            .hint
            .as_deref()
            .unwrap()
            .starts_with("shorten the permalink"));
        // The rest of the site is there.
        assert!(out.join("blog/index.html").is_file());
        assert_eq!(
            fs::read_dir(out.join("blog"))
                .unwrap()
                .filter_map(Result::ok)
                .filter(|e| e.path().join("index.html").is_file())
                .count(),
            3,
            "two posts and the blog index"
        );
    }

    #[test]
    fn only_errors_about_a_pages_own_path_fail_that_page_alone() {
        use std::io::{Error, ErrorKind};
        // Too long (ENAMETOOLONG), invalid names, a file where a folder must be: that page.
        assert!(path_refused(&Error::from_raw_os_error(36)));
        assert!(path_refused(&Error::new(
            ErrorKind::InvalidInput,
            "outside"
        )));
        assert!(path_refused(&Error::from(ErrorKind::NotADirectory)));
        // No space (ENOSPC), no permission, read-only: the whole build stops, the old site stays.
        assert!(!path_refused(&Error::from_raw_os_error(28)));
        assert!(!path_refused(&Error::from(ErrorKind::PermissionDenied)));
        assert!(!path_refused(&Error::from_raw_os_error(30)));
    }

    #[test]
    fn a_site_moved_aside_by_a_killed_swap_is_put_back_or_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let src = tmp.path().join("track");
        blogtrack_synth::write_track(&src, 2, 1).unwrap();
        let out = tmp.path().join("site");
        build_into(&src, &out);
        let before = tree(&out);
        // Killed between the swap's two renames: the site is aside, no output folder.
        let aside = tmp.path().join(".site.blogtrack-old-999999999");
        fs::rename(&out, &aside).unwrap();

        let handled = crate::write::remove_stale_staging(tmp.path(), "site");
        if !cfg!(target_os = "linux") {
            return;
        }
        assert_eq!(handled, vec![aside.clone()]);
        assert!(!aside.exists());
        assert_eq!(
            tree(&out),
            before,
            "the previous site is back, byte for byte"
        );

        // Killed after the swap, while removing the old site: the next build removes it.
        fs::create_dir_all(&aside).unwrap();
        fs::write(aside.join(crate::write::MARKER), "").unwrap();
        fs::write(aside.join("half.html"), "x").unwrap();
        build_into(&src, &out);
        assert!(!aside.exists());
        assert_eq!(tree(&out), before);
    }

    #[test]
    fn a_killed_builds_staging_folder_is_removed_by_the_next_build_and_nothing_else() {
        let tmp = tempfile::tempdir().unwrap();
        let src = tmp.path().join("track");
        blogtrack_synth::write_track(&src, 2, 1).unwrap();
        let out = tmp.path().join("site");
        // No process has a PID this high (Linux caps them at 2^22).
        let dead = 999_999_999u32;
        let stale = tmp.path().join(format!(".site.blogtrack-new-{dead}"));
        fs::create_dir_all(stale.join("blog")).unwrap();
        fs::write(stale.join(crate::write::MARKER), "").unwrap();
        fs::write(stale.join("blog/index.html"), "half written").unwrap();
        // Same name pattern, but no marker: not blogtrack's, kept.
        let unmarked = tmp.path().join(format!(".site.blogtrack-new-{}", dead - 1));
        fs::create_dir_all(&unmarked).unwrap();
        // Marker, but not the exact pattern (another output's, or a suffix): kept.
        let other = tmp.path().join(format!(".other.blogtrack-new-{dead}"));
        let suffixed = tmp.path().join(format!(".site.blogtrack-new-{dead}x"));
        for d in [&other, &suffixed] {
            fs::create_dir_all(d).unwrap();
            fs::write(d.join(crate::write::MARKER), "").unwrap();
        }

        build_into(&src, &out);
        if cfg!(target_os = "linux") {
            assert!(
                !stale.exists(),
                "the dead build's staging folder is removed"
            );
        }
        assert!(unmarked.exists() && other.exists() && suffixed.exists());
        // And this build left no staging folder of its own.
        let leftovers: Vec<String> = fs::read_dir(tmp.path())
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().to_string())
            .filter(|n| n.contains(&format!("-{}", std::process::id())))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }
}
