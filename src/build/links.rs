//! Stage 6, links checked: every local link of the planned site against the site's paths and
//! the track's files, reported on the post or page (and source line) it comes from.

use super::SitePlan;
use crate::links::PageLinks;
use crate::model::{StaticFile, Track};
use crate::site::OutFile;
use blogtrack_diag::Diagnostic;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};

/// Broken local links of a site planned in memory ([`super::plan`], [`super::plan_with`]),
/// reported on the post or page they come from.
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

/// Link-checks a site planned by [`super::plan_into`]: streamed pages by the links kept when
/// they were rendered, pages in memory by their bytes, and reused pages (their bytes are those
/// of the previous output in `out_abs`) read back one at a time per thread, so a build never
/// holds every page at once. Also returns the files to add for hand-written variant names that
/// have no variant (the original under the variant's name, see [`crate::links`]).
pub(super) fn check_streamed_links(
    track: &Track,
    plan: &SitePlan,
    out_abs: &std::path::Path,
) -> (Vec<Diagnostic>, Vec<StaticFile>) {
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
    let diags = check_page_links(track, &pages, &targets, &plan.origins);
    let aliases = crate::links::variant_fallbacks(
        &pages,
        &targets,
        &track.static_files,
        &track.config.baseurl,
    )
    .into_iter()
    .filter_map(|(variant, original)| {
        let of = track.static_files.iter().find(|s| s.rel == original)?;
        Some(StaticFile {
            rel: variant,
            abs: of.abs.clone(),
            len: of.len,
        })
    })
    .collect();
    (diags, aliases)
}
