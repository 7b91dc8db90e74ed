//! Reading a track from disk: the I/O edge of the pipeline.
//!
//! Reads `_config.yml`, `_posts/`, `_pages/`, the root `index.md`, the bibliographies and the list
//! of static files, then hands the texts to the pure parsers in [`crate::model`] (in parallel).
//! Never follows a symbolic link out of the track, never reads outside it; a file that cannot be
//! read or is not UTF-8 is a diagnostic with its path, and the rest of the track still loads.

mod bibs;
mod config;
mod pages;
mod posts;
mod walk;

use crate::config::Config;
use crate::model::{normalize_text, StaticFile, Track};
use blogtrack_diag::Diagnostic;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use walk::{is_excluded, is_hidden_or_private, is_theme_path, walk, Found};

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

/// Loads the track at `root`. `skip` lists folders not to read (the output folder when it lies
/// inside the track). Fatal only when the root itself is unusable. The stages: the root
/// resolved → `_config.yml` ([`config`]) → files listed ([`walk`]) → posts ([`posts`], in
/// parallel) → pages ([`pages`]) → static files → the bibliographies the posts name
/// ([`bibs`], in parallel).
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
    let config = config::load_config(root, &mut diags);

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

    let posts = posts::load_posts(&files, &config, &mut diags);
    let pages = pages::load_pages(root, &files, &mut diags);
    let static_files = static_files(all, &config);
    let bibs = bibs::load_bibs(root, &posts, &mut diags);
    let decisions = load_decisions(root, &mut diags);
    let mut track = Track {
        root: root.to_path_buf(),
        config,
        posts,
        pages,
        bibs,
        static_files,
        decisions,
    };
    track.sort_posts();
    if let Some(d) = &track.decisions {
        diags.extend(crate::decisions::validate(d, &track));
    }
    Ok((track, diags))
}

/// `_data/decisions.yml` when the track has one: `None` (and the reasons in `diags`) when it
/// cannot be read or has an error, so that no build publishes from a half-read file.
fn load_decisions(root: &Path, diags: &mut Vec<Diagnostic>) -> Option<crate::decisions::Decisions> {
    let rel = crate::decisions::PATH;
    if !root.join(rel).exists() {
        return None;
    }
    let text = match read_inside(root, rel) {
        Ok(t) => t,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let (d, found) = crate::decisions::parse(&text);
    diags.extend(found);
    d
}

/// The track's files that are copied into the site as they are.
fn static_files(all: Vec<Found>, config: &Config) -> Vec<StaticFile> {
    all.into_iter()
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
        .collect()
}
