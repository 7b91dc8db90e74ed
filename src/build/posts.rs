//! Stage 2, posts rendered in parallel: each post is taken from the cache when its inputs are
//! unchanged, or rendered and laid out in the theme; its page goes to the sink at once unless
//! its URL is contested (then it waits for [`super::urls`] to settle who owns it).

use super::cache;
use super::keys::{global_key, listing_key, post_key};
use super::sink::{deliver, StreamedPage};
use super::stage::Frame;
use super::urls::UrlTable;
use super::{PostCache, PostResult};
use crate::model::{url_to_output_path, Post};
use crate::render::guard::guarded_render;
use crate::render::inputs::RenderInputs;
use crate::render::RenderContext;
use crate::write::PageSink;
use blogtrack_theme::view::SiteView;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

/// Where the page of a post went during the parallel rendering.
pub(super) enum Staged {
    /// To the sink (or the sink refused it).
    Put(std::io::Result<StreamedPage>),
    /// Kept until the URL clash between posts that claim the same URL is settled.
    Held(Vec<u8>),
    /// No page: taken from the previous output, or none is made.
    Previous,
}

/// One post after rendering: its cache key, its result and where its page is.
pub(super) type Rendered = (cache::Key, PostResult, Staged);

/// Renders one post and its page.
fn render_post_page(
    ctx: &RenderContext,
    post: &Post,
    site_view: SiteView,
    statics: &HashMap<&str, &Path>,
) -> (PostResult, Option<Vec<u8>>) {
    let r = guarded_render(ctx, post);
    let assets = r
        .referenced
        .iter()
        .map(|(rel, _)| rel.clone())
        .collect::<BTreeSet<String>>()
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

/// The posts stage: every post rendered (or taken from `cache`) in parallel, results in track
/// order. A cached result is used only if every file its figures referenced is unchanged.
/// `contested` are the output paths more than one post claims (their pages are held).
pub(super) fn render_posts(
    frame: &Frame,
    inputs: &RenderInputs,
    urls: &UrlTable,
    noindex: bool,
    cache: &dyn PostCache,
    sink: &dyn PageSink,
    contested: &HashSet<String>,
) -> Vec<Rendered> {
    let track = frame.track;
    let ctx = inputs.context(track);
    let statics = &frame.statics;
    let global = global_key(track, noindex, &frame.base_site);
    let listing = listing_key(&inputs.post_urls, &inputs.site);
    track
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
                None => render_post_page(&ctx, p, frame.site_view(&p.url), statics),
            };
            let staged = match (page, &r.out_path) {
                (Some(bytes), Some(out))
                    if !contested.contains(out) && urls.kept_by_site(out).is_none() =>
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
        .collect()
}
