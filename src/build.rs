//! `blogtrack build`: load → render every post and page (in parallel) → lay out the site →
//! write it. [`plan`] is the pure middle that `serve` and `preview` reuse; [`plan_with`] is the
//! same with a [`PostCache`] of posts rendered before (the build's manifest in the output
//! folder, see [`cache`], or the dev server's memory), so a warm rebuild renders only the posts
//! whose inputs changed. Site pages, listings and feeds are always laid out again (they are
//! cheap); post pages are rendered and themed in parallel.
//!
//! A build does not keep its pages: [`plan_into`] hands each post and page to a
//! [`PageSink`] as soon as it is rendered (the build's staging folder, see [`crate::write`]) and
//! keeps only a summary per page (path, hash, local links) for the site key and the link check;
//! `plan`/`plan_with` use an in-memory sink for `serve`, `preview` and tests. What a build does
//! not do here: I/O other than through the sink and the cache, and deciding what is written
//! where (that is `write.rs`).

pub mod cache;

use crate::config::Config;
use crate::links::PageLinks;
use crate::load::load_track;
use crate::model::{url_to_output_path, Track};
use crate::render::assets::AssetIndex;
use crate::render::{render_page, render_post, RenderContext, RenderedPost};
use crate::site::{self, OutFile};
use crate::write::{check_output_dir, MemorySink, PageSink, Staging, WriteStats};
use blogtrack_diag::{Diagnostic, Diagnostics};
use blogtrack_highlight::Highlighter;
use blogtrack_liquid::{Object, Value};
use blogtrack_theme::view::SiteView;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::time::{Duration, Instant};

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

/// Short content hash for fingerprinted asset names (FNV-1a, 64 bit).
pub fn fingerprint(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{:08x}", h >> 32)
}

/// The Liquid `site` object.
pub fn site_value(config: &Config, track: &Track) -> Value {
    let mut o = Object::new();
    o.insert("title".into(), Value::Str(config.title.clone()));
    o.insert("description".into(), Value::Str(config.description.clone()));
    o.insert("url".into(), Value::Str(config.url.clone()));
    o.insert("baseurl".into(), Value::Str(config.baseurl.clone()));
    o.insert("lang".into(), Value::Str(config.lang.clone()));
    o.insert("blog_name".into(), Value::Str(config.blog_name.clone()));
    let posts: Vec<Value> = track
        .posts
        .iter()
        .filter(|p| p.listed())
        .map(|p| {
            let mut po = Object::new();
            po.insert("title".into(), Value::Str(p.meta.title.clone()));
            po.insert("url".into(), Value::Str(p.url.clone()));
            po.insert("date".into(), Value::Str(p.date.iso()));
            po.insert("description".into(), Value::Str(p.meta.description.clone()));
            po.insert("slug".into(), Value::Str(p.name.clone()));
            Value::Object(po)
        })
        .collect();
    o.insert("posts".into(), Value::Array(posts));
    Value::Object(o)
}

/// The theme's stylesheet, with highlighting and math rules.
pub fn stylesheet() -> String {
    let mut css = String::from(blogtrack_theme::stylesheet());
    css.push('\n');
    css.push_str(&Highlighter::css());
    css.push('\n');
    css.push_str(blogtrack_math::css());
    css
}

/// The read-only inputs of rendering, built once per run from the loaded track.
pub struct RenderInputs {
    assets: AssetIndex,
    highlighter: Highlighter,
    post_urls: HashMap<String, String>,
    site: Value,
}

impl RenderInputs {
    pub fn new(track: &Track) -> Self {
        RenderInputs {
            assets: AssetIndex::new(&track.static_files),
            highlighter: Highlighter::new(),
            post_urls: track
                .posts
                .iter()
                .map(|p| (p.file_stem.clone(), p.url.clone()))
                .collect(),
            site: site_value(&track.config, track),
        }
    }

    pub fn context<'a>(&'a self, track: &'a Track) -> RenderContext<'a> {
        RenderContext {
            config: &track.config,
            assets: &self.assets,
            post_urls: &self.post_urls,
            highlighter: &self.highlighter,
            site: &self.site,
            bibs: &track.bibs,
        }
    }
}

/// Renders a post; a bug in a stage that panics fails this post only, with a diagnostic.
fn guarded_render(ctx: &RenderContext, post: &crate::model::Post) -> RenderedPost {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| render_post(ctx, post))) {
        Ok(r) => r,
        Err(payload) => {
            let what = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            RenderedPost {
                view: Default::default(),
                diagnostics: vec![Diagnostic::error(
                    "internal",
                    format!("internal error while rendering this post: {what}"),
                )
                .in_file(&post.path)
                .with_hint("this is a bug in blogtrack: please report it with this post attached")],
                failed: true,
                referenced: Vec::new(),
                math_ok: 0,
                math_failed: 0,
            }
        }
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

/// A page handed to a [`PageSink`], as the rest of a build needs it once the page is gone.
#[derive(Debug, Clone)]
pub struct StreamedPage {
    pub path: String,
    /// Hash of the bytes and the page's links, when the sink does not keep the page
    /// ([`PageSink::keeps_pages`]): for the site key and the link check.
    pub summary: Option<(cache::Key, PageLinks)>,
}

/// Hands one page to `sink`, summarised first if the sink will not keep it.
fn deliver(sink: &dyn PageSink, path: &str, bytes: Vec<u8>) -> std::io::Result<StreamedPage> {
    let summary = (!sink.keeps_pages()).then(|| {
        let mut h = cache::KeyHasher::default();
        h.bytes(&bytes);
        let links = match std::str::from_utf8(&bytes) {
            Ok(html) => PageLinks::extract(path, html),
            Err(_) => PageLinks::of_file(&OutFile {
                path: path.to_string(),
                content: Vec::new(),
            }),
        };
        (h.finish(), links)
    });
    sink.put(path, bytes)?;
    Ok(StreamedPage {
        path: path.to_string(),
        summary,
    })
}

/// Whether a sink error is about the page's path itself (too long, invalid, a file where a
/// folder must be), which fails that page only, rather than about the output folder as a whole
/// (no space, no permission, read-only, I/O error), which fails the build.
fn path_refused(e: &std::io::Error) -> bool {
    use std::io::ErrorKind;
    matches!(
        e.kind(),
        ErrorKind::InvalidInput
            | ErrorKind::InvalidFilename
            | ErrorKind::NotADirectory
            | ErrorKind::IsADirectory
            | ErrorKind::AlreadyExists
    ) || matches!(e.raw_os_error(), Some(36 | 22 | 84))
}

/// Files a failed page write: an error about that page's own path (too long, refused by the
/// file system) fails only that page; any other (disk full, permissions) fails the whole write.
fn file_write_failure(
    d: Diagnostic,
    e: &std::io::Error,
    diagnostics: &mut Vec<Diagnostic>,
    sink_failure: &mut Option<Diagnostic>,
) {
    if path_refused(e) {
        diagnostics.push(d);
    } else {
        sink_failure.get_or_insert(d);
    }
}

/// The file line of a front-matter key from its line within the front matter (0: unknown).
fn file_line(yaml_line: u32) -> u32 {
    if yaml_line == 0 {
        0
    } else {
        yaml_line + 1
    }
}

/// The error of a page the sink refused (a name the file system does not allow, a full disk):
/// on the source file, at its `permalink` (`yaml_line`, 0 when it has none).
fn not_written(source: &str, out_path: &str, yaml_line: u32, e: &std::io::Error) -> Diagnostic {
    let line = file_line(yaml_line);
    let too_long = out_path.split('/').any(|c| c.len() > 255)
        || e.raw_os_error() == Some(36)
        || e.to_string().contains("too long");
    Diagnostic::error(
        "page-not-written",
        format!("the page of this file could not be written to `{out_path}`: {e}"),
    )
    .in_file(source)
    .at(line, if line == 0 { 0 } else { 1 })
    .with_hint(if too_long {
        "shorten the permalink: file systems allow at most 255 bytes per path component"
    } else {
        "shorten the permalink, or check the output folder's file system (space, permissions)"
    })
}

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
fn url_clash(
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

/// Lays out the whole site from a loaded track, rendering every post.
pub fn plan(track: &Track, noindex: bool) -> SitePlan {
    plan_with(track, noindex, &NoCache)
}

/// The hash of everything every post's page depends on besides the post itself.
fn global_key(track: &Track, noindex: bool, base_site: &SiteView) -> cache::KeyHasher {
    let mut h = cache::KeyHasher::default();
    h.str(env!("CARGO_PKG_VERSION"));
    h.bytes(&[u8::from(noindex)]);
    h.debug(&track.config);
    h.debug(&track.pages);
    h.debug(base_site);
    h
}

/// The hash of the site-wide data a post's Liquid can read: `site.posts` (titles, URLs, ...) and
/// the `post_url` table. Only posts whose text mentions them depend on them, so editing one post's
/// title does not render every other post again.
fn listing_key(post_urls: &HashMap<String, String>, site_liquid: &Value) -> cache::Key {
    let mut h = cache::KeyHasher::default();
    let mut urls: Vec<(&String, &String)> = post_urls.iter().collect();
    urls.sort();
    h.debug(&urls);
    h.debug(site_liquid);
    h.finish()
}

/// The key of one post: the global inputs, the post and its bibliography.
fn post_key(
    global: &cache::KeyHasher,
    listing: cache::Key,
    track: &Track,
    post: &crate::model::Post,
) -> cache::Key {
    let mut h = global.clone();
    // Every field, the body as raw bytes: formatting it with `Debug` escaped it character by
    // character, which was most of the cost of keying a post (profiled on `serve` edits). The
    // destructuring makes a new field of `Post` a compile error here until it is keyed.
    let crate::model::Post {
        path,
        file_stem,
        name,
        kind,
        date,
        meta,
        body,
        body_line,
        url,
    } = post;
    h.debug(&(path, file_stem, name, kind, date, meta, body_line, url));
    h.str(body);
    if post.body.contains("site") || post.body.contains("post_url") {
        h.bytes(&listing.to_le_bytes());
    }
    if let Some(bib) = post
        .meta
        .bibliography
        .as_ref()
        .and_then(|b| track.bibs.get(b))
    {
        // Entries in file order (the bibliography's key index is a hash map: no stable order).
        for e in bib.0.iter() {
            h.debug(e);
        }
        h.debug(&bib.1);
    }
    h.finish()
}

/// Where the page of a post went during the parallel rendering.
enum Staged {
    /// To the sink (or the sink refused it).
    Put(std::io::Result<StreamedPage>),
    /// Kept until the URL clash between posts that claim the same URL is settled.
    Held(Vec<u8>),
    /// No page: taken from the previous output, or none is made.
    Previous,
}

/// Renders one post and its page.
fn render_post_page(
    ctx: &RenderContext,
    post: &crate::model::Post,
    site_view: SiteView,
    statics: &HashMap<&str, &std::path::Path>,
) -> (PostResult, Option<Vec<u8>>) {
    let r = guarded_render(ctx, post);
    let assets = r
        .referenced
        .iter()
        .map(|(rel, _)| rel.clone())
        .collect::<std::collections::BTreeSet<String>>()
        .into_iter()
        .map(|rel| {
            let st = statics.get(rel.as_str()).and_then(|abs| cache::stamp(abs));
            (rel, st)
        })
        .collect();
    let made = post.meta.published && !r.failed;
    let (page, search) = if made {
        let html = blogtrack_theme::post_page(&site_view, &r.view);
        let search = post
            .listed()
            .then(|| crate::search::entry(ctx.config, post, &r.view.description_html, &html));
        (Some(html.into_bytes()), search)
    } else {
        (None, None)
    };
    (
        PostResult {
            out_path: made.then(|| url_to_output_path(&post.url)),
            description_html: r.view.description_html,
            diagnostics: r.diagnostics,
            failed: r.failed,
            math_ok: r.math_ok,
            math_failed: r.math_failed,
            assets,
            search,
            page_hash: None,
        },
        page,
    )
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
    let config = &track.config;
    let inputs = RenderInputs::new(track);
    let ctx = inputs.context(track);
    let mut diagnostics = Vec::new();
    let mut files = Vec::new();
    let mut origins = HashMap::new();

    let css = stylesheet();
    let js = blogtrack_theme::script();
    let css_path = format!("assets/blogtrack/theme.{}.css", fingerprint(css.as_bytes()));
    let js_path = format!("assets/blogtrack/theme.{}.js", fingerprint(js.as_bytes()));
    let base_site = SiteView {
        title: config.title.clone(),
        description: config.description.clone(),
        lang: config.lang.clone(),
        home_href: config.relative_url("/"),
        absolute_root: config.absolute_url(""),
        nav: Vec::new(),
        footer_html: config.footer_text.clone(),
        icon_href: config.icon.as_ref().map(|i| {
            if i.contains('/') {
                config.relative_url(i)
            } else {
                config.relative_url(&format!("assets/img/{i}"))
            }
        }),
        feed_href: config.relative_url("/feed.xml"),
        css_href: config.relative_url(&css_path),
        js_href: config.relative_url(&js_path),
        search_href: Some(crate::search::href(config)),
        dark_mode: config.enable_darkmode,
        max_width: config.max_width.clone(),
        noindex,
        generator: format!("blogtrack {}", env!("CARGO_PKG_VERSION")),
    };
    files.push(OutFile::text(css_path, css));
    files.push(OutFile::text(js_path, js.to_string()));
    // Mermaid's bundle (3.5 MB) only when some post or page draws a diagram.
    let draws = |body: &str| body.contains("{% mermaid") || body.contains("{%- mermaid");
    if track.posts.iter().any(|p| draws(&p.body)) || track.pages.iter().any(|p| draws(&p.body)) {
        files.push(OutFile {
            path: blogtrack_theme::MERMAID_FILE.to_string(),
            content: blogtrack_theme::mermaid_script().to_vec(),
        });
    }
    let nav_for = |url: &str| site::nav(config, &track.pages, url);
    let statics: HashMap<&str, &std::path::Path> = track
        .static_files
        .iter()
        .map(|f| (f.rel.as_str(), f.abs.as_path()))
        .collect();
    let is_track_file = |p: &str| statics.contains_key(p);
    let global = global_key(track, noindex, &base_site);
    let listing = listing_key(&inputs.post_urls, &inputs.site);

    // URLs that more than one published post claims: the first of them that builds keeps it
    // (below, in track order), so their pages wait; every other page goes to the sink at once.
    let mut claims: HashMap<String, usize> = HashMap::new();
    for p in track.posts.iter().filter(|p| p.meta.published) {
        *claims.entry(url_to_output_path(&p.url)).or_default() += 1;
    }
    let contested: HashSet<String> = claims
        .into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|(p, _)| p)
        .collect();
    let streamed_at = files.len();

    // Posts and their pages, in parallel; results stay in track order. A cached result is
    // used only if every file its figures referenced is unchanged.
    let rendered: Vec<(cache::Key, PostResult, Staged)> = track
        .posts
        .par_iter()
        .map(|p| {
            let key = post_key(&global, listing, track, p);
            let cached = cache.get(key).filter(|(r, _)| {
                r.assets.iter().all(|(rel, st)| {
                    statics.get(rel.as_str()).and_then(|abs| cache::stamp(abs)) == *st
                })
            });
            let (mut r, page) = match cached {
                Some(hit) => hit,
                None => {
                    let mut site_view = base_site.clone();
                    site_view.nav = nav_for(&p.url);
                    render_post_page(&ctx, p, site_view, &statics)
                }
            };
            let staged = match (page, &r.out_path) {
                (Some(bytes), Some(out))
                    if !contested.contains(out) && taken_by_site(out, &is_track_file).is_none() =>
                {
                    let put = deliver(sink, out, bytes);
                    if let Ok(page) = &put {
                        r.page_hash = page.summary.as_ref().map(|(h, _)| *h);
                    }
                    Staged::Put(put)
                }
                (Some(bytes), _) => Staged::Held(bytes),
                (None, _) => Staged::Previous,
            };
            (key, r, staged)
        })
        .collect();

    // URL clashes: the first post (newest) keeps the URL.
    let mut owner: BTreeMap<String, String> = BTreeMap::new();
    let mut posts_written = 0;
    let mut posts_failed = 0;
    let mut math_ok = 0;
    let mut math_failed = 0;
    let mut listed: Vec<(usize, String)> = Vec::new();
    let mut search_entries: Vec<serde_json::Value> = Vec::new();
    let mut reused = Vec::new();
    let mut streamed = Vec::new();
    let mut sink_failure: Option<Diagnostic> = None;
    let mut results = Vec::with_capacity(rendered.len());
    for (i, (post, (key, mut r, staged))) in track.posts.iter().zip(rendered).enumerate() {
        diagnostics.extend(r.diagnostics.iter().cloned());
        math_ok += r.math_ok;
        math_failed += r.math_failed;
        let keep = |results: &mut Vec<(cache::Key, PostResult)>, r: PostResult| {
            results.push((key, r));
        };
        if !post.meta.published {
            keep(&mut results, r);
            continue;
        }
        if r.failed {
            posts_failed += 1;
            diagnostics.push(
                // A note, not an error: it sums up the errors above and is not a problem of its own.
                Diagnostic::note(
                    "post-failed",
                    "this post was not built because of the errors above",
                )
                .in_file(&post.path),
            );
            keep(&mut results, r);
            continue;
        }
        let out_path = url_to_output_path(&post.url);
        let url = config.relative_url(&post.url);
        let line = file_line(post.meta.key_line("permalink"));
        if let Some(d) = url_clash(
            &owner,
            &is_track_file,
            &out_path,
            "post",
            &post.path,
            &url,
            line,
        ) {
            posts_failed += 1;
            diagnostics.push(d);
            // Not remembered: which post owns a URL depends on the others.
            continue;
        }
        let put = match staged {
            Staged::Previous => None,
            Staged::Held(bytes) => Some(deliver(sink, &out_path, bytes)),
            Staged::Put(put) => Some(put),
        };
        match put {
            None => reused.push(out_path.clone()),
            Some(Ok(page)) => {
                r.page_hash = page.summary.as_ref().map(|(h, _)| *h);
                streamed.push(page);
            }
            Some(Err(e)) => {
                posts_failed += 1;
                let d = not_written(&post.path, &out_path, post.meta.key_line("permalink"), &e);
                file_write_failure(d, &e, &mut diagnostics, &mut sink_failure);
                // Not remembered: whether a path can be written depends on the output folder.
                continue;
            }
        }
        owner.insert(out_path.clone(), post.path.clone());
        origins.insert(out_path, post.path.clone());
        posts_written += 1;
        if post.listed() {
            listed.push((i, r.description_html.clone()));
            search_entries.extend(r.search.clone());
        }
        keep(&mut results, r);
    }

    let mut pages_written = 0;
    let mut redirect_root = None;
    for page in &track.pages {
        if let Some(target) = &page.meta.redirect_to {
            if page.url == "/" {
                redirect_root = Some(config.relative_url(target));
                continue;
            }
            let out_path = url_to_output_path(&page.url);
            let url = config.relative_url(&page.url);
            if let Some(d) = url_clash(
                &owner,
                &is_track_file,
                &out_path,
                "page",
                &page.path,
                &url,
                0,
            ) {
                diagnostics.push(d);
                continue;
            }
            let html = blogtrack_theme::redirect(&config.relative_url(target));
            match deliver(sink, &out_path, html.into_bytes()) {
                Ok(p) => {
                    streamed.push(p);
                    owner.insert(out_path, page.path.clone());
                }
                Err(e) => {
                    let d = not_written(&page.path, &out_path, 0, &e);
                    file_write_failure(d, &e, &mut diagnostics, &mut sink_failure);
                }
            }
            continue;
        }
        let r = render_page(&ctx, page);
        diagnostics.extend(r.diagnostics);
        if r.failed {
            diagnostics.push(
                // A note, not an error: it sums up the errors above and is not a problem of its own.
                Diagnostic::note(
                    "page-failed",
                    "this page was not built because of the errors above",
                )
                .in_file(&page.path),
            );
            continue;
        }
        let out_path = url_to_output_path(&page.url);
        let url = config.relative_url(&page.url);
        if let Some(d) = url_clash(
            &owner,
            &is_track_file,
            &out_path,
            "page",
            &page.path,
            &url,
            0,
        ) {
            diagnostics.push(d);
            continue;
        }
        let mut site_view = base_site.clone();
        site_view.nav = nav_for(&page.url);
        let html = blogtrack_theme::page(&site_view, &r.view);
        match deliver(sink, &out_path, html.into_bytes()) {
            Ok(p) => streamed.push(p),
            Err(e) => {
                let d = not_written(&page.path, &out_path, 0, &e);
                file_write_failure(d, &e, &mut diagnostics, &mut sink_failure);
                continue;
            }
        }
        owner.insert(out_path.clone(), page.path.clone());
        origins.insert(out_path, page.path.clone());
        pages_written += 1;
    }

    let listed_posts: Vec<(&crate::model::Post, &str)> = listed
        .iter()
        .map(|(i, d)| (&track.posts[*i], d.as_str()))
        .collect();
    files.extend(site::listings(config, &base_site, &listed_posts, &nav_for));
    files.extend(crate::search::files(
        config,
        &base_site,
        search_entries,
        &nav_for,
    ));
    if !owner.contains_key("index.html") {
        let target = redirect_root.unwrap_or_else(|| {
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
    let mut site_404 = base_site.clone();
    site_404.nav = nav_for("/404.html");
    files.push(OutFile::text(
        "404.html",
        blogtrack_theme::not_found(&site_404),
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
        .filter(|p| owner.get(&url_to_output_path(&p.url)) == Some(&p.path))
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

    SitePlan {
        files,
        streamed,
        streamed_at,
        origins,
        reused,
        posts: results,
        diagnostics,
        sink_failure,
        posts_written,
        posts_failed,
        pages_written,
        math_ok,
        math_failed,
    }
}

/// Broken local links of a site planned in memory ([`plan`], [`plan_with`]), reported on the post
/// or page they come from.
pub fn check_site_links(
    track: &Track,
    files: &[&OutFile],
    origins: &HashMap<String, String>,
) -> Vec<Diagnostic> {
    let pages: Vec<PageLinks> = files
        .iter()
        .filter(|f| f.path.ends_with(".html"))
        .map(|f| PageLinks::of_file(f))
        .collect();
    let targets: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    check_page_links(track, &pages, &targets, origins)
}

/// Broken local links of `pages` (their links already extracted), against the site's paths
/// `targets` and the track's static files.
fn check_page_links(
    track: &Track,
    pages: &[PageLinks],
    targets: &HashSet<&str>,
    origins: &HashMap<String, String>,
) -> Vec<Diagnostic> {
    let texts: HashMap<&str, &str> = track
        .posts
        .iter()
        .map(|p| (p.path.as_str(), p.body.as_str()))
        .chain(
            track
                .pages
                .iter()
                .map(|p| (p.path.as_str(), p.body.as_str())),
        )
        .collect();
    let body_line: HashMap<&str, u32> = track
        .posts
        .iter()
        .map(|p| (p.path.as_str(), p.body_line))
        .chain(track.pages.iter().map(|p| (p.path.as_str(), p.body_line)))
        .collect();
    let origin = |out: &str| {
        let src = origins.get(out)?;
        Some(crate::links::Origin {
            source: src.as_str(),
            text: texts.get(src.as_str()).copied().unwrap_or(""),
        })
    };
    crate::links::check_links(
        pages,
        targets,
        &track.static_files,
        &track.config.baseurl,
        &origin,
    )
    .into_iter()
    .map(|d| {
        let shift = d
            .file
            .as_deref()
            .and_then(|f| body_line.get(f))
            .map(|l| l.saturating_sub(1))
            .unwrap_or(0);
        d.shift_lines(shift)
    })
    .collect()
}

/// Link-checks a site planned by [`plan_into`]: streamed pages by the links kept when they were
/// rendered, pages in memory by their bytes, and reused pages (their bytes are those of the
/// previous output in `out_abs`) read back one at a time per thread, so a build never holds
/// every page at once.
fn check_streamed_links(
    track: &Track,
    plan: &SitePlan,
    out_abs: &std::path::Path,
) -> Vec<Diagnostic> {
    let mut pages: Vec<PageLinks> = plan
        .streamed
        .iter()
        .filter_map(|p| p.summary.as_ref().map(|(_, links)| links.clone()))
        .collect();
    pages.extend(
        plan.files
            .iter()
            .filter(|f| f.path.ends_with(".html"))
            .map(PageLinks::of_file),
    );
    pages.par_extend(plan.reused.par_iter().map(|p| {
        let bytes = std::fs::read(out_abs.join(p)).unwrap_or_default();
        PageLinks::extract(p, std::str::from_utf8(&bytes).unwrap_or(""))
    }));
    let targets: HashSet<&str> = plan
        .files
        .iter()
        .map(|f| f.path.as_str())
        .chain(plan.streamed.iter().map(|p| p.path.as_str()))
        .chain(plan.reused.iter().map(String::as_str))
        .collect();
    check_page_links(track, &pages, &targets, &plan.origins)
}

/// The hash of the whole planned site: every page's path and the hash of its bytes (streamed
/// pages by their summary, reused ones by the hash remembered with their post, in path order, so
/// a build that renders a page and one that reuses it agree), every file in memory with its
/// bytes, and the static files' paths and sizes. `None` when a page's hash is not known.
fn site_key(track: &Track, plan: &SitePlan) -> Option<cache::Key> {
    let remembered: HashMap<&str, cache::Key> = plan
        .posts
        .iter()
        .filter_map(|(_, r)| Some((r.out_path.as_deref()?, r.page_hash?)))
        .collect();
    let mut pages: Vec<(&str, cache::Key)> = plan
        .streamed
        .iter()
        .map(|p| Some((p.path.as_str(), p.summary.as_ref()?.0)))
        .collect::<Option<_>>()?;
    for r in &plan.reused {
        pages.push((r.as_str(), *remembered.get(r.as_str())?));
    }
    pages.sort_unstable();
    let mut h = cache::KeyHasher::default();
    for (path, hash) in pages {
        h.str(path);
        h.bytes(&hash.to_le_bytes());
    }
    for f in &plan.files {
        h.str(&f.path);
        h.bytes(&(f.content.len() as u64).to_le_bytes());
        h.bytes(&f.content);
    }
    for s in &track.static_files {
        h.str(&s.rel);
        h.bytes(&s.len.to_le_bytes());
    }
    Some(h.finish())
}

/// Runs a whole build. Post and page HTML is written into a staging folder as it is rendered
/// (see [`plan_into`]); the rest of the site is added and the folder swapped in at the end (see
/// [`crate::write`]). Posts whose inputs did not change since the previous build into the same
/// output folder are not rendered again: their pages are hard-linked from the previous output
/// (see [`cache`]).
pub fn build(opts: &BuildOptions) -> Result<BuildReport, Diagnostic> {
    let start = Instant::now();
    crate::load::require_track(&opts.source)?;
    check_output_dir(&opts.output, &opts.source)?;
    let out_abs = crate::write::absolute(&opts.output);
    let progress = crate::progress::Progress::phases("loading the track");
    let (mut track, load_diags) = load_track(&opts.source, std::slice::from_ref(&out_abs))?;
    if let Some(b) = &opts.base_url {
        b.apply(&mut track.config);
    }
    let manifest = cache::Manifest::read(&out_abs);
    let staging = Staging::create(&opts.output)?;
    progress.phase(&format!("rendering {} posts", track.posts.len()));
    let mut plan = plan_into(&track, opts.noindex, &manifest, &staging);
    if let Some(d) = plan.sink_failure.take() {
        // The staging folder is removed when dropped; the previous site stays as it was.
        return Err(d);
    }
    progress.phase(&format!(
        "writing {} more files ({} pages written while rendering)",
        plan.files.len(),
        plan.streamed.len()
    ));
    let mut diagnostics = Diagnostics::default();
    diagnostics.extend(load_diags);
    diagnostics.extend(std::mem::take(&mut plan.diagnostics));
    diagnostics.extend(check_streamed_links(&track, &plan, &out_abs));
    diagnostics.sort();
    let site_key = site_key(&track, &plan);
    let up_to_date = site_key.is_some()
        && manifest.site() == site_key
        && plan.reused.len() == plan.posts_written
        && out_abs.join(crate::write::MARKER).is_file();
    drop(manifest);
    let files = plan.files.len() + plan.streamed.len() + plan.reused.len();
    let write = if up_to_date {
        // The staging folder (the site's own pages only) is dropped: the output is current.
        drop(staging);
        WriteStats {
            files: files + track.static_files.len(),
            ..WriteStats::default()
        }
    } else {
        let w = staging.finish(&plan.files, &plan.reused, &track.static_files)?;
        // Without a manifest the next build is simply cold, so a failure here is not an error.
        let _ = cache::Manifest::write(&out_abs, site_key, &plan.posts);
        w
    };
    progress.finish();
    Ok(BuildReport {
        diagnostics,
        posts_written: plan.posts_written,
        posts_failed: plan.posts_failed,
        pages_written: plan.pages_written,
        files: write.files,
        write,
        elapsed: start.elapsed(),
        math_ok: plan.math_ok,
        math_failed: plan.math_failed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
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
        let found = check_streamed_links(&track, &warm, &out);
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
