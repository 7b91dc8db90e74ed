//! The cache keys of a plan (see [`super::cache`]): what every post's page depends on besides
//! the post, the site-wide Liquid data, and one post's own inputs.

use super::cache;
use crate::model::{Post, Track};
use blogtrack_liquid::Value;
use blogtrack_theme::view::SiteView;
use std::collections::HashMap;

/// The hash of everything every post's page depends on besides the post itself.
pub(super) fn global_key(track: &Track, noindex: bool, base_site: &SiteView) -> cache::KeyHasher {
    let mut h = cache::KeyHasher::default();
    h.str(env!("CARGO_PKG_VERSION"));
    h.bytes(&[u8::from(noindex)]);
    h.debug(&track.config);
    h.debug(&track.pages);
    h.debug(base_site);
    if let Some(d) = &track.decisions {
        // Badges are on post pages; without the file the key stays what it always was.
        h.debug(d);
    }
    h
}

/// The hash of the site-wide data a post's Liquid can read: `site.posts` (titles, URLs, ...) and
/// the `post_url` table. Only posts whose text mentions them depend on them, so editing one post's
/// title does not render every other post again.
pub(super) fn listing_key(post_urls: &HashMap<String, String>, site_liquid: &Value) -> cache::Key {
    let mut h = cache::KeyHasher::default();
    let mut urls: Vec<(&String, &String)> = post_urls.iter().collect();
    urls.sort();
    h.debug(&urls);
    h.debug(site_liquid);
    h.finish()
}

/// The key of one post: the global inputs, the post and its bibliography.
pub(super) fn post_key(
    global: &cache::KeyHasher,
    listing: cache::Key,
    track: &Track,
    post: &Post,
) -> cache::Key {
    let mut h = global.clone();
    // Every field, the body as raw bytes: formatting it with `Debug` escaped it character by
    // character, which was most of the cost of keying a post (profiled on `serve` edits). The
    // destructuring makes a new field of `Post` a compile error here until it is keyed.
    let Post {
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
