//! Stage 7, written: the disk build. The plan streams post and page HTML into a staging folder
//! as it is rendered, the site's links are checked, and the rest of the site is added and the
//! folder swapped in (see [`crate::write`]); when the planned site is the one already in the
//! output (the manifest's site key, see [`super::cache`]), nothing is written at all.

use super::links::check_streamed_links;
use super::{cache, plan_into, BuildOptions, BuildReport, SitePlan};
use crate::load::load_track;
use crate::model::Track;
use crate::write::{check_output_dir, Staging, WriteStats};
use blogtrack_diag::{Diagnostic, Diagnostics};
use std::collections::HashMap;
use std::time::Instant;

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
    let (mut track, mut load_diags) = load_track(&opts.source, std::slice::from_ref(&out_abs))?;
    if let Some(b) = &opts.base_url {
        b.apply(&mut track.config);
    }
    let not_accepted = crate::decisions::unpublish_not_accepted(&mut track);
    progress.phase("making image variants");
    let (variants, image_diags) =
        super::images::variants(&track.static_files, &super::images::cache_dir(&out_abs));
    track.static_files.extend(variants);
    load_diags.extend(image_diags);
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
    let (link_diags, variant_aliases) = check_streamed_links(&track, &plan, &out_abs);
    diagnostics.extend(link_diags);
    track.static_files.extend(variant_aliases);
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
        not_accepted,
    })
}
