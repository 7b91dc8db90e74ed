//! Writing the site: the I/O edge at the end of the pipeline.
//!
//! The new site is assembled in a sibling staging folder and swapped in with two renames, so an
//! interrupted or failed build leaves the previous site intact. An existing output folder is only
//! ever replaced when blogtrack wrote it (it carries a marker file) or it is empty: pointing `-o` at
//! a folder full of other things is refused, never deleted. Static files are hard-linked from the
//! track when the file system allows it (no data copied), else copied.
//!
//! Warm rebuilds ([`write_site_reusing`]): pages the build cache found unchanged are hard-linked
//! from the current output into the staging folder, so they cost one link each and the current
//! site is never written into (a hard link shares the file, and nothing is ever written through
//! one: staged files are created fresh). The swap stays the only step that changes the site, so
//! an interrupted warm build leaves the previous site intact just like a cold one.

use crate::model::StaticFile;
use crate::site::OutFile;
use blogtrack_diag::Diagnostic;
use rayon::prelude::*;
use std::fs;
use std::path::{Component, Path, PathBuf};

/// Name of the marker file blogtrack leaves in every output folder it writes.
pub const MARKER: &str = ".blogtrack-output";

#[derive(Debug, Default, Clone, Copy)]
pub struct WriteStats {
    pub files: usize,
    pub bytes: u64,
    pub linked: usize,
    pub copied: usize,
}

fn err(path: &Path, what: &str, e: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::error("io", format!("{what} `{}`: {e}", path.display()))
}

/// A site-relative output path that stays inside the output folder.
fn safe_rel(rel: &str) -> Option<PathBuf> {
    let p = Path::new(rel);
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::Normal(s) => out.push(s),
            Component::CurDir => {}
            _ => return None,
        }
    }
    (!out.as_os_str().is_empty()).then_some(out)
}

/// Checks that `out` may be (re)written: not the source, not a parent of it, and either absent,
/// empty, or written by blogtrack before.
pub fn check_output_dir(out: &Path, source: &Path) -> Result<(), Diagnostic> {
    let src = fs::canonicalize(source).map_err(|e| err(source, "cannot open", e))?;
    let out_abs = absolute(out);
    if src.starts_with(&out_abs) {
        return Err(Diagnostic::error(
            "output-dir",
            format!(
                "the output folder `{}` is the source folder or contains it",
                out.display()
            ),
        )
        .with_hint("write the site into a new folder, e.g. `-o _site` (the default)"));
    }
    if out_abs.is_dir() {
        let marker = out_abs.join(MARKER).exists();
        let empty = fs::read_dir(&out_abs)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !marker && !empty {
            return Err(Diagnostic::error(
                "output-dir",
                format!(
                    "the output folder `{}` exists and was not written by blogtrack; refusing to replace it",
                    out.display()
                ),
            )
            .with_hint("choose a new or empty folder with -o, or remove that folder yourself"));
        }
    } else if out_abs.exists() {
        return Err(Diagnostic::error(
            "output-dir",
            format!("the output path `{}` is a file", out.display()),
        ));
    }
    Ok(())
}

/// Absolute form of a path that may not exist yet (canonical parent + name).
pub fn absolute(p: &Path) -> PathBuf {
    if let Ok(c) = fs::canonicalize(p) {
        return c;
    }
    let base = if p.is_absolute() {
        PathBuf::new()
    } else {
        std::env::current_dir().unwrap_or_default()
    };
    let joined = base.join(p);
    match (joined.parent(), joined.file_name()) {
        (Some(parent), Some(name)) => fs::canonicalize(parent)
            .map(|c| c.join(name))
            .unwrap_or(joined.clone()),
        _ => joined,
    }
}

/// Writes the whole site to `out` (atomically replacing a previous build).
pub fn write_site(
    out: &Path,
    files: &[OutFile],
    statics: &[StaticFile],
) -> Result<WriteStats, Diagnostic> {
    write_site_reusing(out, files, &[], statics)
}

/// Like [`write_site`], and takes the site-relative paths in `reused` unchanged from the current
/// output in `out` (hard-linked, or copied where links are not possible).
pub fn write_site_reusing(
    out: &Path,
    files: &[OutFile],
    reused: &[String],
    statics: &[StaticFile],
) -> Result<WriteStats, Diagnostic> {
    let out = absolute(out);
    let parent = out
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    fs::create_dir_all(&parent).map_err(|e| err(&parent, "cannot create", e))?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "site".into());
    let pid = std::process::id();
    let staging = parent.join(format!(".{name}.blogtrack-new-{pid}"));
    let old = parent.join(format!(".{name}.blogtrack-old-{pid}"));
    if staging.exists() {
        fs::remove_dir_all(&staging).map_err(|e| err(&staging, "cannot clear", e))?;
    }
    fs::create_dir_all(&staging).map_err(|e| err(&staging, "cannot create", e))?;
    let result = fill(&staging, files, reused, &out, statics);
    let stats = match result {
        Ok(s) => s,
        Err(d) => {
            let _ = fs::remove_dir_all(&staging);
            return Err(d);
        }
    };
    if out.exists() {
        fs::rename(&out, &old).map_err(|e| err(&out, "cannot move aside", e))?;
    }
    if let Err(e) = fs::rename(&staging, &out) {
        // Put the previous site back.
        let _ = fs::rename(&old, &out);
        return Err(err(&out, "cannot move the new site into", e));
    }
    if old.exists() {
        let _ = fs::remove_dir_all(&old);
    }
    Ok(stats)
}

/// Where a staged file comes from.
#[derive(Clone, Copy)]
enum Source {
    Generated,
    Previous,
    Static,
}

fn fill(
    staging: &Path,
    files: &[OutFile],
    reused: &[String],
    previous: &Path,
    statics: &[StaticFile],
) -> Result<WriteStats, Diagnostic> {
    // Folders first (sequentially, deduplicated), then files in parallel.
    let mut dirs: Vec<PathBuf> = Vec::new();
    let mut rels: Vec<(PathBuf, usize, Source)> =
        Vec::with_capacity(files.len() + reused.len() + statics.len());
    for (i, f) in files.iter().enumerate() {
        let rel = safe_rel(&f.path).ok_or_else(|| {
            Diagnostic::error(
                "output-path",
                format!("refusing to write outside the site: `{}`", f.path),
            )
        })?;
        rels.push((rel, i, Source::Generated));
    }
    for (i, r) in reused.iter().enumerate() {
        let rel = safe_rel(r).ok_or_else(|| {
            Diagnostic::error(
                "output-path",
                format!("refusing to write outside the site: `{r}`"),
            )
        })?;
        rels.push((rel, i, Source::Previous));
    }
    for (i, s) in statics.iter().enumerate() {
        if let Some(rel) = safe_rel(&s.rel) {
            rels.push((rel, i, Source::Static));
        }
    }
    for (rel, _, _) in &rels {
        if let Some(p) = rel.parent() {
            if !p.as_os_str().is_empty() {
                dirs.push(p.to_path_buf());
            }
        }
    }
    dirs.sort();
    dirs.dedup();
    for d in &dirs {
        let abs = staging.join(d);
        fs::create_dir_all(&abs).map_err(|e| err(&abs, "cannot create", e))?;
    }
    // Generated and reused pages are staged before static files, so a page always wins.
    let (pages, assets): (Vec<_>, Vec<_>) = rels
        .iter()
        .partition(|(_, _, src)| !matches!(src, Source::Static));
    let stage =
        |(rel, i, src): &&(PathBuf, usize, Source)| -> Result<(u64, bool, bool), Diagnostic> {
            let dst = staging.join(rel);
            if let Source::Previous = src {
                let from = previous.join(rel);
                return match fs::hard_link(&from, &dst) {
                    Ok(()) => Ok((0, true, false)),
                    Err(_) => fs::copy(&from, &dst)
                        .map(|n| (n, false, true))
                        .map_err(|e| err(&from, "cannot reuse the previous build's", e)),
                };
            }
            if let Source::Static = src {
                let src = &statics[*i].abs;
                if dst.exists() {
                    // A generated page wins over a static file at the same path.
                    return Ok((0, false, false));
                }
                match fs::hard_link(src, &dst) {
                    Ok(()) => Ok((statics[*i].len, true, false)),
                    Err(_) => fs::copy(src, &dst)
                        .map(|n| (n, false, true))
                        .map_err(|e| err(src, "cannot copy", e)),
                }
            } else {
                let f = &files[*i];
                fs::write(&dst, &f.content)
                    .map(|()| (f.content.len() as u64, false, false))
                    .map_err(|e| err(&dst, "cannot write", e))
            }
        };
    let mut results: Vec<Result<(u64, bool, bool), Diagnostic>> =
        pages.par_iter().map(stage).collect();
    results.extend(assets.par_iter().map(stage).collect::<Vec<_>>());
    let mut stats = WriteStats::default();
    for r in results {
        let (n, linked, copied) = r?;
        stats.files += 1;
        stats.bytes += n;
        stats.linked += usize::from(linked);
        stats.copied += usize::from(copied);
    }
    fs::write(
        staging.join(MARKER),
        "This folder is written by blogtrack; it is replaced on every build.\n",
    )
    .map_err(|e| err(staging, "cannot write", e))?;
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_paths_that_leave_the_site() {
        assert!(safe_rel("../x").is_none());
        assert!(safe_rel("/etc/passwd").is_none());
        assert!(safe_rel("a/../../b").is_none());
        assert_eq!(
            safe_rel("blog/x/index.html").unwrap(),
            PathBuf::from("blog/x/index.html")
        );
    }

    #[test]
    fn swaps_in_and_refuses_foreign_folders() {
        let tmp = std::env::temp_dir().join(format!("bt-write-{}", std::process::id()));
        let _ = fs::remove_dir_all(&tmp);
        fs::create_dir_all(tmp.join("src")).unwrap();
        let out = tmp.join("out");
        let files = vec![OutFile::text("a/index.html", "one".into())];
        check_output_dir(&out, &tmp.join("src")).unwrap();
        write_site(&out, &files, &[]).unwrap();
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "one");
        let files = vec![OutFile::text("b.html", "two".into())];
        check_output_dir(&out, &tmp.join("src")).unwrap();
        write_site(&out, &files, &[]).unwrap();
        assert!(!out.join("a").exists());
        // A folder blogtrack did not write is refused.
        fs::create_dir_all(tmp.join("mine")).unwrap();
        fs::write(tmp.join("mine/keep.txt"), "x").unwrap();
        assert!(check_output_dir(&tmp.join("mine"), &tmp.join("src")).is_err());
        // The source itself, or a parent of it, is refused.
        assert!(check_output_dir(&tmp, &tmp.join("src")).is_err());
        assert!(check_output_dir(&tmp.join("src"), &tmp.join("src")).is_err());
        fs::remove_dir_all(&tmp).unwrap();
    }
}
