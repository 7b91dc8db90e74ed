//! `_posts/`: every file named like a post read and parsed in parallel; a Markdown or HTML
//! file not named `YYYY-MM-DD-name` is a `post-file-name` warning (Jekyll did not publish it).

use super::read_text;
use super::walk::Found;
use crate::config::Config;
use crate::model::{parse_post, Post};
use blogtrack_diag::Diagnostic;
use rayon::prelude::*;

/// The posts among `files` (in listing order; the track sorts them).
pub(super) fn load_posts(
    files: &[Found],
    config: &Config,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Post> {
    let post_files: Vec<&Found> = files
        .iter()
        .filter(|f| {
            f.rel.starts_with("_posts/") && !f.rel.rsplit('/').next().unwrap_or("").starts_with('.')
        })
        .collect();
    let post_results: Vec<_> = post_files
        .par_iter()
        .filter_map(|f| {
            let name = f.rel.rsplit('/').next().unwrap_or(&f.rel);
            if crate::model::parse_post_file_name(name).is_none() {
                let lower = name.to_ascii_lowercase();
                if lower.ends_with(".md")
                    || lower.ends_with(".html")
                    || lower.ends_with(".markdown")
                {
                    return Some((
                        None,
                        vec![Diagnostic::warning(
                            "post-file-name",
                            format!("`{name}` is not named like a post, so it is not published"),
                        )
                        .in_file(&f.rel)
                        .with_hint("name posts YYYY-MM-DD-name.md")],
                    ));
                }
                return None;
            }
            Some(match read_text(&f.abs, &f.rel) {
                Ok(text) => parse_post(&f.rel, &text, config),
                Err(d) => (None, vec![d]),
            })
        })
        .collect();
    let mut posts = Vec::new();
    for (p, d) in post_results {
        diags.extend(d);
        posts.extend(p);
    }
    posts
}
