//! Reading a track from disk: the I/O edge of the pipeline.
//!
//! Reads `_config.yml`, `_posts/`, `_pages/`, the root `index.md`, the bibliographies and the list
//! of static files, then hands the texts to the pure parsers in [`crate::model`] (in parallel).
//! Never follows a symbolic link out of the track, never reads outside it; a file that cannot be
//! read or is not UTF-8 is a diagnostic with its path, and the rest of the track still loads.

use crate::config::Config;
use crate::model::{normalize_text, parse_page, parse_post, SharedBib, StaticFile, Track};
use blogtrack_diag::Diagnostic;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

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

/// Largest text file (post, page, bibliography) read into memory.
pub const MAX_TEXT_BYTES: u64 = 64 * 1024 * 1024;

/// Reads a UTF-8 text file; errors name the file and, for invalid UTF-8, the line.
pub fn read_text(abs: &Path, rel: &str) -> Result<String, Diagnostic> {
    let meta = fs::metadata(abs).map_err(|e| io_diag(rel, "cannot read", &e))?;
    if !meta.is_file() {
        return Err(Diagnostic::error("special-file", "not a regular file").in_file(rel));
    }
    if meta.len() > MAX_TEXT_BYTES {
        return Err(Diagnostic::error(
            "file-too-large",
            format!(
                "file is {} MiB; the limit for text files is {} MiB",
                meta.len() / (1024 * 1024),
                MAX_TEXT_BYTES / (1024 * 1024)
            ),
        )
        .in_file(rel));
    }
    // Read at most one byte past the limit: the size in the metadata may be stale or, for
    // special files, zero.
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    fs::File::open(abs)
        .and_then(|f| f.take(MAX_TEXT_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| io_diag(rel, "cannot read", &e))?;
    if bytes.len() as u64 > MAX_TEXT_BYTES {
        return Err(Diagnostic::error(
            "file-too-large",
            format!(
                "file is larger than the limit for text files ({} MiB)",
                MAX_TEXT_BYTES / (1024 * 1024)
            ),
        )
        .in_file(rel));
    }
    match String::from_utf8(bytes) {
        Ok(s) => Ok(normalize_text(&s)),
        Err(e) => {
            let good = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let line = bytes[..good].iter().filter(|b| **b == b'\n').count() as u32 + 1;
            let col = bytes[..good]
                .rsplit(|b| *b == b'\n')
                .next()
                .map(|l| String::from_utf8_lossy(l).chars().count())
                .unwrap_or(0) as u32
                + 1;
            Err(Diagnostic::error(
                "encoding",
                format!("the file is not valid UTF-8 (byte 0x{:02x})", bytes[good]),
            )
            .at(line, col)
            .in_file(rel)
            .with_hint("save the file as UTF-8 in your editor"))
        }
    }
}

/// Whether `abs` resolves (through any symbolic links) to a path inside `root` (canonical).
fn inside(root: &Path, abs: &Path) -> bool {
    fs::canonicalize(abs).is_ok_and(|c| c.starts_with(root))
}

/// [`read_text`] of a file at a fixed place in the track, refusing a link that leaves it.
fn read_inside(root: &Path, rel: &str) -> Result<String, Diagnostic> {
    let abs = root.join(rel);
    if abs.exists() && !inside(root, &abs) {
        return Err(Diagnostic::error(
            "symlink-outside",
            "symbolic link points outside the track; it is not followed",
        )
        .in_file(rel)
        .with_hint("copy the file into the repository instead of linking to it"));
    }
    read_text(&abs, rel)
}

fn io_diag(rel: &str, what: &str, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error("io", format!("{what}: {e}")).in_file(rel)
}

/// A file found in the track, with its `/`-separated relative path.
struct Found {
    rel: String,
    abs: PathBuf,
    len: u64,
}

/// Lists the files under `root`, skipping what Jekyll skipped (names starting with `_` or `.`
/// except the collections asked for), `skip` (the output folder) and symlinks that leave the
/// track. Deterministic order.
fn walk(
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

fn is_hidden_or_private(rel: &str) -> bool {
    rel.split('/')
        .any(|seg| seg.starts_with('_') || seg.starts_with('.'))
}

fn is_theme_path(rel: &str) -> bool {
    THEME_PATHS
        .iter()
        .any(|t| rel == *t || (rel.starts_with(t) && rel.as_bytes().get(t.len()) == Some(&b'/')))
}

/// Jekyll's `exclude:` entries: a path prefix or a simple `*` glob on the file name.
fn is_excluded(rel: &str, exclude: &[String]) -> bool {
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

/// Loads the track at `root`. `skip` lists folders not to read (the output folder when it lies
/// inside the track). Fatal only when the root itself is unusable.
/// Refuses a folder that is not a track: one with neither `_config.yml` nor `_posts/` (the user
/// is most likely in the wrong folder, and would get an empty site of default settings).
pub fn require_track(root: &Path) -> Result<(), Diagnostic> {
    if !root.is_dir() || root.join("_config.yml").exists() || root.join("_posts").exists() {
        // A missing folder is reported by the loader, with the reason.
        return Ok(());
    }
    Err(Diagnostic::error(
        "not-a-track",
        format!(
            "`{}` is not a track: it has neither _config.yml nor _posts/",
            root.display()
        ),
    )
    .with_hint(
        "pass the track's folder (`blogtrack build path/to/track`), or start one with `blogtrack init DIR`",
    ))
}

pub fn load_track(root: &Path, skip: &[PathBuf]) -> Result<(Track, Vec<Diagnostic>), Diagnostic> {
    let canon_root = fs::canonicalize(root).map_err(|e| {
        Diagnostic::error(
            "io",
            format!("cannot open the track folder `{}`: {e}", root.display()),
        )
        .with_hint("pass the folder that contains _config.yml and _posts/")
    })?;
    if !canon_root.is_dir() {
        return Err(Diagnostic::error(
            "io",
            format!("`{}` is not a folder", root.display()),
        ));
    }
    let root = canon_root.as_path();
    let mut diags = Vec::new();

    let config = match read_inside(root, "_config.yml") {
        Ok(text) => {
            let (node, warnings) = blogtrack_yaml::parse_with_warnings(&text);
            diags.extend(warnings.into_iter().map(|d| d.in_file("_config.yml")));
            match node {
                Ok(node) => {
                    if !matches!(
                        node.value,
                        blogtrack_yaml::Value::Map(_) | blogtrack_yaml::Value::Null
                    ) {
                        diags.push(
                            Diagnostic::error(
                                "config-type",
                                format!(
                                    "_config.yml must be a map of `key: value` settings, found {}; the default settings are used",
                                    node.type_name()
                                ),
                            )
                            .at(node.line, node.col)
                            .in_file("_config.yml")
                            .with_hint("write one `key: value` setting per line, e.g. `title: My track`"),
                        );
                    }
                    let (c, d) = Config::from_yaml(&node);
                    diags.extend(d.into_iter().map(|d| d.in_file("_config.yml")));
                    c
                }
                Err(d) => {
                    diags.push(d.in_file("_config.yml"));
                    Config::default()
                }
            }
        }
        Err(_) if !root.join("_config.yml").exists() => {
            diags.push(
                Diagnostic::warning("config-missing", "no _config.yml: using default settings")
                    .in_file("_config.yml")
                    .with_hint("run `blogtrack init` to see a documented _config.yml"),
            );
            Config::default()
        }
        Err(d) => {
            diags.push(d);
            Config::default()
        }
    };

    let mut files = Vec::new();
    for dir in ["_posts", "_pages"] {
        if root.join(dir).is_dir() {
            // The walk of the whole track below lists these folders again and reports their
            // problems once.
            files.extend(walk(root, root, dir, skip, &mut Vec::new()));
        }
    }
    let mut walk_diags = Vec::new();
    let all = walk(root, root, "", skip, &mut walk_diags);
    // Report links and special files only where blogtrack would read or publish them.
    diags.extend(walk_diags.into_iter().filter(|d| {
        let rel = d.file.as_deref().unwrap_or("");
        let collection = rel.starts_with("_posts/") || rel.starts_with("_pages/");
        collection
            || !(is_hidden_or_private(rel)
                || is_theme_path(rel)
                || is_excluded(rel, &config.exclude))
    }));

    let post_files: Vec<&Found> = files
        .iter()
        .filter(|f| {
            f.rel.starts_with("_posts/") && !f.rel.rsplit('/').next().unwrap_or("").starts_with('.')
        })
        .collect();
    let page_files: Vec<&Found> = files
        .iter()
        .filter(|f| {
            f.rel.starts_with("_pages/")
                && (f.rel.ends_with(".md")
                    || f.rel.ends_with(".html")
                    || f.rel.ends_with(".markdown"))
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
                Ok(text) => parse_post(&f.rel, &text, &config),
                Err(d) => (None, vec![d]),
            })
        })
        .collect();
    let mut posts = Vec::new();
    for (p, d) in post_results {
        diags.extend(d);
        posts.extend(p);
    }

    let mut pages = Vec::new();
    let mut page_sources: Vec<(String, PathBuf)> = page_files
        .iter()
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

    let static_files: Vec<StaticFile> = all
        .into_iter()
        .filter(|f| {
            !is_hidden_or_private(&f.rel)
                && !is_theme_path(&f.rel)
                && !is_excluded(&f.rel, &config.exclude)
                && f.rel != "_config.yml"
        })
        .map(|f| StaticFile {
            rel: f.rel,
            abs: f.abs,
            len: f.len,
        })
        .collect();

    // Bibliographies named by posts, each parsed once.
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

    let mut track = Track {
        root: root.to_path_buf(),
        config,
        posts,
        pages,
        bibs,
        static_files,
    };
    track.sort_posts();
    Ok((track, diags))
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
