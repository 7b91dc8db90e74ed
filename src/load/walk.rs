//! Listing the track's files: what Jekyll skipped stays skipped (names starting with `_` or
//! `.`, `exclude:`), the old theme's code is neither copied nor read, symbolic links that leave
//! the track and special files (FIFOs, devices) are reported and never followed or opened.

use blogtrack_diag::Diagnostic;
use std::fs;
use std::path::{Path, PathBuf};

/// Theme code of the old Jekyll repositories: blogtrack brings its own theme, so these are neither
/// copied nor read (FORMAT.md §1).
const THEME_PATHS: &[&str] = &[
    "assets/js",
    "assets/css",
    "assets/webfonts",
    "assets/fonts",
    "bin",
    "blog",
    "404.html",
    "404.md",
    "Gemfile",
    "Gemfile.lock",
    "Dockerfile",
    "docker-compose.yml",
    "docker-compose-slim.yml",
    "package.json",
    "package-lock.json",
    "purgecss.config.js",
    "node_modules",
    "vendor",
    "README.md",
    "CONTRIBUTING.md",
    "LICENSE",
    "index.md",
    "index.html",
    "feed.xml",
    "sitemap.xml",
    "robots.txt",
];

/// A file found in the track, with its `/`-separated relative path.
pub(super) struct Found {
    pub rel: String,
    pub abs: PathBuf,
    pub len: u64,
}

/// Lists the files under `root`, skipping what Jekyll skipped (names starting with `_` or `.`
/// except the collections asked for), `skip` (the output folder) and symlinks that leave the
/// track. Deterministic order.
pub(super) fn walk(
    root: &Path,
    canon_root: &Path,
    dir_rel: &str,
    skip: &[PathBuf],
    diags: &mut Vec<Diagnostic>,
) -> Vec<Found> {
    let mut out = Vec::new();
    let start = if dir_rel.is_empty() {
        root.to_path_buf()
    } else {
        root.join(dir_rel)
    };
    let walker = walkdir::WalkDir::new(&start)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let p = e.path();
            // Hidden folders (`.git`, `.github` ...) are never published: not worth listing.
            let hidden_dir = e.depth() > 0
                && e.file_type().is_dir()
                && e.file_name().to_string_lossy().starts_with('.');
            !hidden_dir && !skip.iter().any(|s| p == s.as_path())
        });
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let rel = e
                    .path()
                    .and_then(|p| p.strip_prefix(root).ok())
                    .map(|p| p.to_string_lossy().replace('\\', "/"))
                    .unwrap_or_default();
                diags.push(Diagnostic::warning("io", format!("cannot list: {e}")).in_file(rel));
                continue;
            }
        };
        let Ok(relp) = entry.path().strip_prefix(root) else {
            continue;
        };
        let rel = relp.to_string_lossy().replace('\\', "/");
        let ft = entry.file_type();
        if ft.is_dir() {
            continue;
        }
        if ft.is_symlink() {
            // Resolve and keep only links that stay inside the track and point to a file.
            match fs::canonicalize(entry.path()) {
                Ok(target) if target.starts_with(canon_root) && target.is_file() => {
                    let len = fs::metadata(&target).map(|m| m.len()).unwrap_or(0);
                    out.push(Found {
                        rel,
                        abs: target,
                        len,
                    });
                }
                Ok(target) if target.starts_with(canon_root) => {
                    // A link to a folder inside the track: its files are reached directly.
                }
                Ok(_) => diags.push(
                    Diagnostic::warning(
                        "symlink-outside",
                        "symbolic link points outside the track; it is not followed",
                    )
                    .in_file(rel)
                    .with_hint("copy the file into the repository instead of linking to it"),
                ),
                Err(e) => diags.push(
                    Diagnostic::warning("symlink-broken", format!("broken symbolic link: {e}"))
                        .in_file(rel)
                        .with_hint("remove the link or point it at a file in the repository"),
                ),
            }
            continue;
        }
        if !ft.is_file() {
            // A FIFO, socket or device would block or never end when read.
            diags.push(
                Diagnostic::warning(
                    "special-file",
                    "not a regular file (a pipe, socket or device); it is ignored",
                )
                .in_file(rel)
                .with_hint("remove it from the repository"),
            );
            continue;
        }
        let len = entry.metadata().map(|m| m.len()).unwrap_or(0);
        out.push(Found {
            rel,
            abs: entry.path().to_path_buf(),
            len,
        });
    }
    out
}

pub(super) fn is_hidden_or_private(rel: &str) -> bool {
    rel.split('/')
        .any(|seg| seg.starts_with('_') || seg.starts_with('.'))
}

pub(super) fn is_theme_path(rel: &str) -> bool {
    THEME_PATHS
        .iter()
        .any(|t| rel == *t || (rel.starts_with(t) && rel.as_bytes().get(t.len()) == Some(&b'/')))
}

/// Jekyll's `exclude:` entries: a path prefix or a simple `*` glob on the file name.
pub(super) fn is_excluded(rel: &str, exclude: &[String]) -> bool {
    exclude.iter().any(|pat| {
        let pat = pat.trim().trim_start_matches("./").trim_end_matches('/');
        if pat.is_empty() {
            return false;
        }
        if pat.contains('*') {
            let name = rel.rsplit('/').next().unwrap_or(rel);
            glob_match(pat, name) || glob_match(pat, rel)
        } else {
            rel == pat || (rel.starts_with(pat) && rel.as_bytes().get(pat.len()) == Some(&b'/'))
        }
    })
}

fn glob_match(pat: &str, s: &str) -> bool {
    let parts: Vec<&str> = pat.split('*').collect();
    let mut rest = s;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            let Some(r) = rest.strip_prefix(part) else {
                return false;
            };
            rest = r;
        } else if i == parts.len() - 1 {
            return rest.ends_with(part);
        } else if let Some(pos) = rest.find(part) {
            rest = &rest[pos + part.len()..];
        } else {
            return false;
        }
    }
    rest.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn theme_and_excluded_paths() {
        assert!(is_theme_path("assets/js/x.js"));
        assert!(!is_theme_path("assets/json/x.json"));
        assert!(is_theme_path("Gemfile"));
        assert!(is_excluded("vendor/a/b", &["vendor".into()]));
        assert!(is_excluded("notes/x.tmp", &["*.tmp".into()]));
        assert!(!is_excluded(
            "assets/img/a.png",
            &["*.tmp".into(), "assets/im".into()]
        ));
        assert!(is_hidden_or_private("_posts/x.md"));
        assert!(is_hidden_or_private("assets/.DS_Store"));
    }
}
