//! `_pages/` and the root `index.md`/`index.html`: read and parsed in order. The old theme's
//! own root index is theme code and ignored unless it redirects.

use super::walk::Found;
use super::{inside, read_text};
use crate::model::{parse_page, Page};
use blogtrack_diag::Diagnostic;
use std::path::{Path, PathBuf};

/// The pages among `files`, then the root index page if it redirects.
pub(super) fn load_pages(root: &Path, files: &[Found], diags: &mut Vec<Diagnostic>) -> Vec<Page> {
    let mut pages = Vec::new();
    let mut page_sources: Vec<(String, PathBuf)> = files
        .iter()
        .filter(|f| {
            f.rel.starts_with("_pages/")
                && (f.rel.ends_with(".md")
                    || f.rel.ends_with(".html")
                    || f.rel.ends_with(".markdown"))
        })
        .map(|f| (f.rel.clone(), f.abs.clone()))
        .collect();
    for idx in ["index.md", "index.html"] {
        if root.join(idx).is_file() && inside(root, &root.join(idx)) {
            page_sources.push((idx.to_string(), root.join(idx)));
        }
    }
    for (rel, abs) in page_sources {
        match read_text(&abs, &rel) {
            Ok(text) => {
                let (p, d) = parse_page(&rel, &text);
                // The old theme's own root index pages are theme code unless they redirect.
                let keep = p
                    .as_ref()
                    .is_some_and(|p| rel.starts_with("_pages/") || p.meta.redirect_to.is_some());
                if keep || rel.starts_with("_pages/") {
                    diags.extend(d);
                }
                if keep {
                    pages.extend(p);
                }
            }
            Err(d) => diags.push(d),
        }
    }
    pages
}
