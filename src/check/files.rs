//! Reading a submission's files without trusting them.
//!
//! Every path comes from the submitter (a diff, a `--files` list, a reference in the post), so it
//! is resolved here, inside the canonical repository root, component by component: an absolute
//! path, `..`, an empty component or a symbolic link anywhere on the way is refused, so nothing
//! outside the repository is ever read (a submission may not contain links at all: the gate's
//! `path-symlink` rule). Reads are bounded in size. Nothing is executed or interpreted here.
//!
//! This module does not decide whether a file *should* be in the submission; that is the path
//! rules' and the content rules' job.

use blogtrack_diag::Diagnostic;
use blogtrack_gate::display_path;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Largest file read into memory for scanning; larger files are only measured.
pub const MAX_READ_BYTES: u64 = 64 * 1024 * 1024;

/// A file of the submission as found on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEntry {
    /// Repository-relative, `/`-separated.
    pub rel: String,
    pub len: u64,
}

/// The repository the check reads, by its canonical root.
#[derive(Debug, Clone)]
pub struct Repo {
    root: PathBuf,
}

/// What a repository-relative path is on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    File(PathBuf, u64),
    Missing,
    /// A directory (not a file).
    Dir,
}

fn symlink_diag(rel: &str) -> Diagnostic {
    Diagnostic::error(
        "path-symlink",
        format!(
            "`{}` is or passes through a symbolic link",
            display_path(rel)
        ),
    )
    .in_file(rel)
    .with_hint("replace the link with the file itself: links could point outside the repository")
}

/// True when `rel` is a plain relative path: no root, no `..`, `.` or empty component, no
/// backslash, no NUL.
pub fn is_plain(rel: &str) -> bool {
    !rel.is_empty()
        && !rel.starts_with('/')
        && !rel.contains(['\\', '\0'])
        && !rel
            .split('/')
            .any(|p| p.is_empty() || p == "." || p == "..")
}

impl Repo {
    /// Opens the repository at `root` (canonicalised).
    pub fn open(root: &Path) -> Result<Repo, Diagnostic> {
        let root = fs::canonicalize(root).map_err(|e| {
            Diagnostic::error(
                "io",
                format!(
                    "cannot open the repository `{}`: {e}",
                    display_path(&root.display().to_string())
                ),
            )
            .with_hint("pass the folder of the track repository (with _config.yml and _posts/)")
        })?;
        if !root.is_dir() {
            return Err(Diagnostic::error(
                "io",
                format!(
                    "`{}` is not a folder",
                    display_path(&root.display().to_string())
                ),
            ));
        }
        Ok(Repo { root })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where `rel` is, refusing anything that is not a plain path or that passes through a
    /// symbolic link.
    pub fn resolve(&self, rel: &str) -> Result<Resolved, Diagnostic> {
        if !is_plain(rel) {
            return Err(Diagnostic::error(
                "path-outside-submission",
                format!(
                    "`{}` is not a plain path inside the repository",
                    display_path(rel)
                ),
            )
            .in_file(rel)
            .with_hint("use a path relative to the repository root, without `..`"));
        }
        let mut path = self.root.clone();
        let parts: Vec<&str> = rel.split('/').collect();
        for (i, part) in parts.iter().enumerate() {
            path.push(part);
            let meta = match fs::symlink_metadata(&path) {
                Ok(m) => m,
                Err(_) => return Ok(Resolved::Missing),
            };
            if meta.file_type().is_symlink() {
                return Err(symlink_diag(rel));
            }
            let last = i + 1 == parts.len();
            if last {
                return Ok(if meta.is_file() {
                    Resolved::File(path, meta.len())
                } else if meta.is_dir() {
                    Resolved::Dir
                } else {
                    Resolved::Missing
                });
            }
            if !meta.is_dir() {
                return Ok(Resolved::Missing);
            }
        }
        Ok(Resolved::Missing)
    }

    /// The bytes of `rel` (at most [`MAX_READ_BYTES`]); `Ok(None)` when it does not exist.
    pub fn read(&self, rel: &str) -> Result<Option<Vec<u8>>, Diagnostic> {
        let Resolved::File(abs, _) = self.resolve(rel)? else {
            return Ok(None);
        };
        let file = fs::File::open(&abs)
            .map_err(|e| Diagnostic::error("io", format!("cannot read: {e}")).in_file(rel))?;
        let mut bytes = Vec::new();
        file.take(MAX_READ_BYTES)
            .read_to_end(&mut bytes)
            .map_err(|e| Diagnostic::error("io", format!("cannot read: {e}")).in_file(rel))?;
        Ok(Some(bytes))
    }

    /// Every regular file under the folder `rel_dir` (sorted), never following links: a link is
    /// reported as `path-symlink` and skipped. A missing folder is empty.
    pub fn list(&self, rel_dir: &str) -> (Vec<FileEntry>, Vec<Diagnostic>) {
        let mut files = Vec::new();
        let mut diags = Vec::new();
        match self.resolve(rel_dir) {
            Ok(Resolved::Dir) => {}
            Ok(_) => return (files, diags),
            Err(d) => {
                diags.push(d);
                return (files, diags);
            }
        }
        let start = self.root.join(rel_dir);
        for entry in walkdir::WalkDir::new(&start)
            .follow_links(false)
            .sort_by_file_name()
        {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    diags.push(
                        Diagnostic::warning("io", format!("cannot list: {e}")).in_file(rel_dir),
                    );
                    continue;
                }
            };
            let Ok(relp) = entry.path().strip_prefix(&self.root) else {
                continue;
            };
            let rel = relp.to_string_lossy().replace('\\', "/");
            let ft = entry.file_type();
            if ft.is_symlink() {
                diags.push(symlink_diag(&rel));
            } else if ft.is_file() {
                let len = entry.metadata().map(|m| m.len()).unwrap_or(0);
                files.push(FileEntry { rel, len });
            }
        }
        (files, diags)
    }

    /// `path` as given on the command line (relative to the current folder, or absolute, or
    /// relative to the repository) as a repository-relative path, if it lies inside.
    pub fn relative(&self, path: &Path) -> Option<String> {
        if let Ok(abs) = fs::canonicalize(path) {
            if let Ok(r) = abs.strip_prefix(&self.root) {
                return Some(r.to_string_lossy().replace('\\', "/"));
            }
            if path.is_absolute() {
                return None;
            }
        }
        let text = path.to_string_lossy().replace('\\', "/");
        let text = text.trim_start_matches("./").to_string();
        is_plain(&text).then_some(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_paths_only() {
        assert!(is_plain("assets/img/x/a.png"));
        assert!(!is_plain("../etc/passwd"));
        assert!(!is_plain("/etc/passwd"));
        assert!(!is_plain("a//b"));
        assert!(!is_plain("a/./b"));
        assert!(!is_plain("a\\b"));
    }

    #[cfg(unix)]
    #[test]
    fn links_are_refused_even_when_they_stay_inside() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        fs::create_dir_all(root.join("assets/img/s")).expect("mkdir");
        fs::write(root.join("secret.txt"), "x").expect("write");
        std::os::unix::fs::symlink(root.join("secret.txt"), root.join("assets/img/s/a.png"))
            .expect("symlink");
        std::os::unix::fs::symlink("/etc", root.join("assets/img/s/etc")).expect("symlink");
        let repo = Repo::open(root).expect("open");
        let err = repo.read("assets/img/s/a.png").expect_err("refused");
        assert_eq!(err.code, "path-symlink");
        assert!(repo.read("assets/img/s/etc/passwd").is_err());
        let (files, diags) = repo.list("assets/img/s");
        assert!(files.is_empty());
        assert_eq!(diags.len(), 2);
        assert_eq!(repo.read("assets/img/s/none.png"), Ok(None));
    }
}
