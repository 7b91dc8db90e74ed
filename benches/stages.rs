//! Micro-benchmarks of the hot stages of a build, one synthetic post at a time (`cargo bench`).
//!
//! Inputs come from the deterministic synthetic generator (`blogtrack-synth`, seed 1): a track of
//! 40 posts is written to a temporary folder and loaded once. Each stage is then timed on the
//! same post text the full build sees: Liquid (with the real Jekyll host: figure includes,
//! `post_url`), Markdown with math found but not rendered, math (every formula of the post through
//! one `MathContext`), BibTeX parsing and Distill-style formatting of the post's bibliography,
//! highlighting of its fenced code, the theme's post page, and the whole pipeline: one post
//! (`render_post`) and the site (`plan` over all 40 posts, no cache, no writing).
//!
//! Not here: disk writing and whole-build timing with Hugo alongside (`bench/run.sh`), serve
//! latency (`examples/serve_latency.rs`). Run with `cargo bench --bench stages`; divan prints
//! median and mean per iteration.

use blogtrack::build::{plan, site_value};
use blogtrack::load::load_track;
use blogtrack::model::Track;
use blogtrack::render::assets::AssetIndex;
use blogtrack::render::host::RenderHost;
use blogtrack::render::{render_post, RenderContext};
use blogtrack_highlight::Highlighter;
use blogtrack_liquid::{Object, Value};
use blogtrack_markdown::MathRenderer;
use blogtrack_math::MathContext;
use divan::{black_box, Bencher};
use std::collections::HashMap;
use std::sync::OnceLock;

const POSTS: usize = 40;

fn main() {
    divan::main();
}

/// The synthetic track, written once per run and loaded.
fn track() -> &'static Track {
    static TRACK: OnceLock<Track> = OnceLock::new();
    TRACK.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("blogtrack-bench-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        if let Err(e) = blogtrack_synth::write_track(&dir, POSTS, 1) {
            panic!("cannot write the synthetic track to {}: {e}", dir.display());
        }
        let track = match load_track(&dir, &[]) {
            Ok((t, _)) => t,
            Err(d) => panic!("cannot load the synthetic track: {}", d.message),
        };
        let _ = std::fs::remove_dir_all(&dir);
        track
    })
}

/// Collects formulas instead of rendering them (Markdown alone), or renders them (math alone).
#[derive(Default)]
struct Formulas(Vec<(String, bool)>);

impl MathRenderer for Formulas {
    fn render_math(&mut self, tex: &str, display: bool, _line: u32) -> String {
        self.0.push((tex.to_string(), display));
        String::new()
    }
}

/// Everything rendering one post needs, borrowed from the track.
struct Shared {
    assets: AssetIndex,
    post_urls: HashMap<String, String>,
    highlighter: Highlighter,
    site: Value,
}

fn shared() -> &'static Shared {
    static SHARED: OnceLock<Shared> = OnceLock::new();
    SHARED.get_or_init(|| {
        let t = track();
        Shared {
            assets: AssetIndex::new(&t.static_files),
            post_urls: t
                .posts
                .iter()
                .map(|p| (p.file_stem.clone(), p.url.clone()))
                .collect(),
            highlighter: Highlighter::new(),
            site: site_value(&t.config, t),
        }
    })
}

fn ctx() -> RenderContext<'static> {
    let (t, s) = (track(), shared());
    RenderContext {
        config: &t.config,
        assets: &s.assets,
        post_urls: &s.post_urls,
        highlighter: &s.highlighter,
        site: &s.site,
        bibs: &t.bibs,
        decision_includes: &[],
        decisions: t.decisions.as_ref(),
    }
}

fn liquid_output(body: &str) -> String {
    let (t, s) = (track(), shared());
    let mut host = RenderHost::new(&t.config, &s.assets, &s.post_urls, &s.highlighter);
    blogtrack_liquid::render(body, &Object::new(), &mut host).output
}

#[divan::bench]
fn liquid(b: Bencher) {
    let (t, s) = (track(), shared());
    let body = &t.posts[0].body;
    b.bench(|| {
        let mut host = RenderHost::new(&t.config, &s.assets, &s.post_urls, &s.highlighter);
        black_box(blogtrack_liquid::render(body, &Object::new(), &mut host))
    });
}

#[divan::bench]
fn markdown(b: Bencher) {
    let md = liquid_output(&track().posts[0].body);
    let opts = blogtrack_markdown::Options::default();
    b.bench(|| {
        let mut f = Formulas::default();
        black_box(blogtrack_markdown::render(&md, &opts, &mut f))
    });
}

#[divan::bench]
fn math(b: Bencher) {
    let md = liquid_output(&track().posts[0].body);
    let mut f = Formulas::default();
    blogtrack_markdown::render(&md, &blogtrack_markdown::Options::default(), &mut f);
    assert!(!f.0.is_empty(), "the synthetic post has no math");
    b.bench(|| {
        let mut ctx = MathContext::new();
        for (tex, display) in &f.0 {
            let _ = black_box(ctx.render(tex, *display));
        }
    });
}

#[divan::bench]
fn bib_parse_and_format(b: Bencher) {
    // The generator's `.bib` text (~30 entries; the track folder is removed once loaded).
    let text = blogtrack_synth::post(0, 1).bib;
    b.bench(|| {
        let (bib, _) = blogtrack_bib::parse(&text);
        let html: Vec<String> = bib.iter().map(|e| e.format_html()).collect();
        black_box(html)
    });
}

#[divan::bench]
fn highlight(b: Bencher) {
    let md = liquid_output(&track().posts[0].body);
    let out = blogtrack_markdown::render(
        &md,
        &blogtrack_markdown::Options::default(),
        &mut Formulas::default(),
    );
    let hl = &shared().highlighter;
    assert!(
        out.html.contains("<pre><code"),
        "the synthetic post has no code"
    );
    // Highlighted blocks are memoized process-wide: give every iteration blocks never seen
    // (a last line with a fresh number), so this times highlighting, not the memo.
    let runs = std::sync::atomic::AtomicU64::new(0);
    b.with_inputs(|| {
        let n = runs.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        out.html
            .replace("</code></pre>", &format!("\n# run {n}</code></pre>"))
    })
    .bench_refs(|html| black_box(blogtrack::render::code::highlight_fences(html, hl)));
}

#[divan::bench]
fn theme_post_page(b: Bencher) {
    let r = render_post(&ctx(), &track().posts[0]);
    let site = blogtrack_theme::view::SiteView::default();
    let page = blogtrack_theme::post_page(&site, &r.view);
    assert!(page.len() > 10_000, "a {} byte page", page.len());
    b.bench(|| black_box(blogtrack_theme::post_page(&site, &r.view)));
}

#[divan::bench]
fn render_one_post(b: Bencher) {
    let c = ctx();
    let post = &track().posts[0];
    b.bench(|| black_box(render_post(&c, post)));
}

#[divan::bench(sample_count = 10)]
fn plan_40_posts(b: Bencher) {
    let t = track();
    b.bench(|| black_box(plan(t, false)));
}
