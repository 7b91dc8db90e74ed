//! The bibliographies posts name (`bibliography: x.bib` → `assets/bibliography/x.bib`), each
//! read and parsed once, in parallel; a name with `..`, an absolute path or a link out of the
//! track is not read.

use super::read_text;
use crate::model::{Post, SharedBib};
use blogtrack_diag::Diagnostic;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::sync::Arc;

/// The bibliographies of `posts` by name; their diagnostics go to `diags`.
pub(super) fn load_bibs(
    root: &Path,
    posts: &[Post],
    diags: &mut Vec<Diagnostic>,
) -> BTreeMap<String, SharedBib> {
    let mut bib_names: Vec<String> = posts
        .iter()
        .filter_map(|p| p.meta.bibliography.clone())
        .filter(|b| !b.is_empty())
        .collect();
    bib_names.sort();
    bib_names.dedup();
    let bibs: BTreeMap<String, SharedBib> = bib_names
        .par_iter()
        .filter_map(|name| {
            if name.contains("..") || name.starts_with('/') || name.contains('\\') {
                return None;
            }
            let rel = format!("assets/bibliography/{name}");
            let abs = root.join(&rel);
            if !abs.is_file() {
                return None;
            }
            // Refuse a link that leaves the track.
            let canon = fs::canonicalize(&abs).ok()?;
            if !canon.starts_with(root) {
                return None;
            }
            let parsed = match read_text(&canon, &rel) {
                Ok(text) => {
                    let (bib, d) = blogtrack_bib::parse(&text);
                    (bib, d.into_iter().map(|d| d.in_file(&rel)).collect())
                }
                Err(d) => (blogtrack_bib::Bibliography::default(), vec![d]),
            };
            Some((name.clone(), Arc::new(parsed)))
        })
        .collect();
    for b in bibs.values() {
        diags.extend(b.1.iter().cloned());
    }
    bibs
}
