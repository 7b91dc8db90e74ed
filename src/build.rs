//! `blogtrack build`: load → render every post and page (in parallel) → lay out the site →
//! write it. [`plan`] is the pure middle that `serve` and `preview` reuse; [`plan_with`] is the
//! same with a [`PostCache`] of posts rendered before (the build's manifest in the output
//! folder, see [`cache`], or the dev server's memory), so a warm rebuild renders only the posts
//! whose inputs changed. Site pages, listings and feeds are always laid out again (they are
//! cheap); post pages are rendered and themed in parallel.

pub mod cache;

use crate::config::Config;
use crate::load::load_track;
use crate::model::{url_to_output_path, Track};
use crate::render::assets::AssetIndex;
use crate::render::{render_page, render_post, RenderContext, RenderedPost};
use crate::site::{self, OutFile};
use crate::write::{check_output_dir, write_site_reusing, WriteStats};
use blogtrack_diag::{Diagnostic, Diagnostics};
use blogtrack_highlight::Highlighter;
use blogtrack_liquid::{Object, Value};
use blogtrack_theme::view::SiteView;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
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
}

/// The planned site: every generated file, plus what rendering found.
pub struct SitePlan {
    pub files: Vec<OutFile>,
    /// Output path → source file (track-relative) of the pages rendered from a post or page.
    pub origins: HashMap<String, String>,
    /// Post pages to take unchanged from the previous output (hard-linked by the writer).
    pub reused: Vec<String>,
    /// Every post's result by key, in track order, for the next build's cache.
    pub posts: Vec<(cache::Key, PostResult)>,
    pub diagnostics: Vec<Diagnostic>,
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
        },
        page,
    )
}

/// Lays out the whole site, taking unchanged posts from `cache` (see [`cache`] for what makes a
/// post unchanged).
pub fn plan_with(track: &Track, noindex: bool, cache: &dyn PostCache) -> SitePlan {
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
    let global = global_key(track, noindex, &base_site);
    let listing = listing_key(&inputs.post_urls, &inputs.site);

    // Posts and their pages, in parallel; results stay in track order. A cached result is
    // used only if every file its figures referenced is unchanged.
    let rendered: Vec<(cache::Key, PostResult, Option<Vec<u8>>)> = track
        .posts
        .par_iter()
        .map(|p| {
            let key = post_key(&global, listing, track, p);
            if let Some((r, page)) = cache.get(key) {
                let same_assets = r.assets.iter().all(|(rel, st)| {
                    statics.get(rel.as_str()).and_then(|abs| cache::stamp(abs)) == *st
                });
                if same_assets {
                    return (key, r, page);
                }
            }
            let mut site_view = base_site.clone();
            site_view.nav = nav_for(&p.url);
            let (r, page) = render_post_page(&ctx, p, site_view, &statics);
            (key, r, page)
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
    let mut results = Vec::with_capacity(rendered.len());
    for (i, (post, (key, r, page))) in track.posts.iter().zip(rendered).enumerate() {
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
                Diagnostic::error(
                    "post-failed",
                    "this post was not built because of the errors above",
                )
                .in_file(&post.path),
            );
            keep(&mut results, r);
            continue;
        }
        let out_path = url_to_output_path(&post.url);
        if let Some(other) = owner.get(&out_path) {
            posts_failed += 1;
            diagnostics.push(
                Diagnostic::error(
                    "url-clash",
                    format!(
                        "this post has the same URL `{}` as `{other}`",
                        config.relative_url(&post.url)
                    ),
                )
                .in_file(&post.path)
                .with_hint("rename the file or set a different `permalink`"),
            );
            // Not remembered: which post owns a URL depends on the others.
            continue;
        }
        owner.insert(out_path.clone(), post.path.clone());
        origins.insert(out_path.clone(), post.path.clone());
        match page {
            Some(bytes) => files.push(OutFile {
                path: out_path,
                content: bytes,
            }),
            None => reused.push(out_path),
        }
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
            files.push(OutFile::text(
                url_to_output_path(&page.url),
                blogtrack_theme::redirect(&config.relative_url(target)),
            ));
            continue;
        }
        let r = render_page(&ctx, page);
        diagnostics.extend(r.diagnostics);
        if r.failed {
            diagnostics.push(
                Diagnostic::error(
                    "page-failed",
                    "this page was not built because of the errors above",
                )
                .in_file(&page.path),
            );
            continue;
        }
        let out_path = url_to_output_path(&page.url);
        if let Some(other) = owner.get(&out_path) {
            diagnostics.push(
                Diagnostic::error(
                    "url-clash",
                    format!(
                        "this page has the same URL `{}` as `{other}`",
                        config.relative_url(&page.url)
                    ),
                )
                .in_file(&page.path)
                .with_hint("change the page's `permalink`"),
            );
            continue;
        }
        owner.insert(out_path.clone(), page.path.clone());
        let mut site_view = base_site.clone();
        site_view.nav = nav_for(&page.url);
        origins.insert(out_path.clone(), page.path.clone());
        files.push(OutFile::text(
            out_path,
            blogtrack_theme::page(&site_view, &r.view),
        ));
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
        origins,
        reused,
        posts: results,
        diagnostics,
        posts_written,
        posts_failed,
        pages_written,
        math_ok,
        math_failed,
    }
}

/// Broken local links of the planned site, reported on the post or page they come from.
pub fn check_site_links(
    track: &Track,
    files: &[&OutFile],
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
    crate::links::check_links(files, &track.static_files, &track.config.baseurl, &origin)
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

/// How many reused pages are read back from the previous output at once for link checking.
const REUSED_CHUNK: usize = 256;

/// Link-checks the planned site; reused pages (not in memory: their bytes are those of the
/// previous output) are read back from `out_abs` [`REUSED_CHUNK`] at a time, so a warm build of
/// 10,000 posts never holds every page at once (it did: ~650 MB). Every chunk is checked against
/// the whole site's paths: the other reused pages take part with empty bytes (their paths count
/// as link targets; their own links are checked in their chunk).
fn check_links_reading_reused(
    track: &Track,
    plan: &SitePlan,
    out_abs: &std::path::Path,
    chunk_len: usize,
) -> Vec<Diagnostic> {
    if plan.reused.is_empty() {
        let pages: Vec<&OutFile> = plan.files.iter().collect();
        return check_site_links(track, &pages, &plan.origins);
    }
    let stub = |path: &String| OutFile {
        path: path.clone(),
        content: Vec::new(),
    };
    let placeholders: Vec<OutFile> = plan.reused.iter().map(stub).collect();
    let generated_stubs: Vec<OutFile> = plan
        .files
        .iter()
        .filter(|f| f.path.ends_with(".html"))
        .map(|f| stub(&f.path))
        .collect();
    let mut diags = Vec::new();
    for (c, chunk) in plan.reused.chunks(chunk_len.max(1)).enumerate() {
        let loaded: Vec<OutFile> = chunk
            .iter()
            .map(|p| OutFile {
                path: p.clone(),
                content: std::fs::read(out_abs.join(p)).unwrap_or_default(),
            })
            .collect();
        let start = c * chunk_len.max(1);
        let mut pages: Vec<&OutFile> = Vec::with_capacity(plan.files.len() + placeholders.len());
        if c == 0 {
            pages.extend(plan.files.iter());
        } else {
            // Generated pages were checked with the first chunk: paths only from now on.
            pages.extend(plan.files.iter().filter(|f| !f.path.ends_with(".html")));
            pages.extend(&generated_stubs);
        }
        pages.extend(&placeholders[..start]);
        pages.extend(&loaded);
        pages.extend(&placeholders[start + chunk.len()..]);
        diags.extend(check_site_links(track, &pages, &plan.origins));
    }
    diags
}

/// Runs a whole build. Posts whose inputs did not change since the previous build into the same
/// output folder are not rendered again: their pages are hard-linked from the previous output
/// (see [`cache`]).
pub fn build(opts: &BuildOptions) -> Result<BuildReport, Diagnostic> {
    let start = Instant::now();
    check_output_dir(&opts.output, &opts.source)?;
    let out_abs = crate::write::absolute(&opts.output);
    let progress = crate::progress::Progress::phases("loading the track");
    let (track, load_diags) = load_track(&opts.source, std::slice::from_ref(&out_abs))?;
    let manifest = cache::Manifest::read(&out_abs);
    progress.phase(&format!("rendering {} posts", track.posts.len()));
    let mut plan = plan_with(&track, opts.noindex, &manifest);
    progress.phase(&format!("writing {} files", plan.files.len()));
    let mut diagnostics = Diagnostics::default();
    diagnostics.extend(load_diags);
    diagnostics.extend(std::mem::take(&mut plan.diagnostics));
    diagnostics.extend(check_links_reading_reused(
        &track,
        &plan,
        &out_abs,
        REUSED_CHUNK,
    ));
    diagnostics.sort();
    let site_key = {
        let mut h = cache::KeyHasher::default();
        for f in &plan.files {
            h.str(&f.path);
            h.bytes(&(f.content.len() as u64).to_le_bytes());
            h.bytes(&f.content);
        }
        for r in &plan.reused {
            h.str(r);
        }
        for s in &track.static_files {
            h.str(&s.rel);
            h.bytes(&s.len.to_le_bytes());
        }
        h.finish()
    };
    let up_to_date = manifest.site() == Some(site_key)
        && plan.reused.len() == plan.posts_written
        && out_abs.join(crate::write::MARKER).is_file();
    drop(manifest);
    let write = if up_to_date {
        WriteStats {
            files: plan.files.len() + plan.reused.len() + track.static_files.len(),
            ..WriteStats::default()
        }
    } else {
        let w = write_site_reusing(&opts.output, &plan.files, &plan.reused, &track.static_files)?;
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

        // A warm build with nothing changed leaves the same bytes.
        build_into(&src, &a);
        assert_eq!(tree(&a), cold);

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
    fn reused_pages_are_link_checked_chunk_by_chunk_like_all_at_once() {
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

        let (track, _) = load_track(&src, &[]).unwrap();
        let manifest = cache::Manifest::read(&out);
        let plan = plan_with(&track, false, &manifest);
        assert_eq!(
            plan.reused.len(),
            7,
            "every post page comes from the previous output"
        );
        for chunk_len in [1, 2, 3, 1000] {
            let found = check_links_reading_reused(&track, &plan, &out, chunk_len);
            assert_eq!(broken_links(&found), expected, "chunks of {chunk_len}");
        }
    }
}
