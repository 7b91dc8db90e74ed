//! Writing the site: the I/O edge of the pipeline.
//!
//! The new site is assembled in a sibling staging folder (`.NAME.blogtrack-new-PID`, created
//! with blogtrack's marker before anything is rendered) and swapped in with two renames, so an
//! interrupted or failed build leaves the previous site intact. Post and page HTML reaches the
//! staging folder as soon as each page is rendered ([`PageSink`], implemented by [`Staging`]), so a
//! build never holds every page in memory; the rest (listings, feed, assets) is added by
//! [`Staging::finish`]. A page the file system refuses (a name over 255 bytes) fails that page
//! only. Staging folders left by killed builds are removed by the next build into the same
//! output, and a previous site left aside by a build killed in the middle of the swap is put back
//! ([`remove_stale_staging`]: exact name, marker present, process gone). An existing output
//! folder is only ever replaced when blogtrack wrote it (it carries a marker file) or it is empty: pointing `-o` at
//! a folder full of other things is refused, never deleted. Static files are hard-linked from the
//! track when the file system allows it (no data copied), else copied.
//!
//! Warm rebuilds ([`Staging::finish`] with `reused` pages): pages the build cache found unchanged
//! are hard-linked from the current output into the staging folder, so they cost one link each and the current
//! site is never written into (a hard link shares the file, and nothing is ever written through
//! one: staged files are created fresh). The swap stays the only step that changes the site, so
//! an interrupted warm build leaves the previous site intact just like a cold one.

use crate::model::StaticFile;
use crate::site::OutFile;
use blogtrack_diag::Diagnostic;
use rayon::prelude::*;
use std::collections::HashMap;
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

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

/// The site cannot be assembled beside the output folder `shown` (in `parent`) or swapped in.
fn swap_error(shown: &Path, parent: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(
        "output-dir",
        format!(
            "cannot write the site to `{}`: {e}. blogtrack builds the new site in a folder beside \
             it and swaps it in at the end (so a failed build never leaves half a site), so the \
             folder that holds it, `{}`, must be writable too",
            shown.display(),
            parent.display()
        ),
    )
    .with_hint(format!(
        "make `{}` writable, or choose an output folder (-o) inside a folder you can write to",
        parent.display()
    ))
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

/// Writes the whole site to `out` (atomically replacing a previous build): the sites kept in
/// memory (`preview`). A build streams its pages instead ([`Staging`]).
pub fn write_site(
    out: &Path,
    files: &[OutFile],
    statics: &[StaticFile],
) -> Result<WriteStats, Diagnostic> {
    Staging::create(out)?.finish(files, &[], statics)
}

/// Where a finished page goes as soon as it is rendered: a build streams post pages into its
/// staging folder ([`Staging`]) instead of holding every page until the end; `serve`, `preview`
/// and the tests keep them in memory ([`MemorySink`]).
pub trait PageSink: Sync {
    /// Stores the page at the site-relative `path`. An error (a file name the file system
    /// refuses, a full disk) fails that page only.
    fn put(&self, path: &str, bytes: Vec<u8>) -> std::io::Result<()>;

    /// Whether the pages stay readable in memory afterwards ([`MemorySink::into_files`]); when
    /// not, the planner keeps a compact summary of each page instead (hash, local links).
    fn keeps_pages(&self) -> bool;
}

/// Keeps every page in memory, by path.
#[derive(Default)]
pub struct MemorySink {
    pages: std::sync::Mutex<HashMap<String, Vec<u8>>>,
}

impl MemorySink {
    /// The stored pages as output files, in the order of `paths` (paths not stored are skipped).
    pub fn into_files<'p>(self, paths: impl Iterator<Item = &'p str>) -> Vec<OutFile> {
        let mut pages = self
            .pages
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        paths
            .filter_map(|p| {
                let content = pages.remove(p)?;
                Some(OutFile {
                    path: p.to_string(),
                    content,
                })
            })
            .collect()
    }
}

impl PageSink for MemorySink {
    fn put(&self, path: &str, bytes: Vec<u8>) -> std::io::Result<()> {
        self.pages
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(path.to_string(), bytes);
        Ok(())
    }

    fn keeps_pages(&self) -> bool {
        true
    }
}

/// Infix of a staging folder's name: `.NAME.blogtrack-new-PID` next to the output folder `NAME`.
const STAGING_INFIX: &str = ".blogtrack-new-";
/// Infix of the previous site's name while the new one is swapped in: `.NAME.blogtrack-old-PID`.
const OLD_INFIX: &str = ".blogtrack-old-";

/// The staging folder of one build: created (with the [`MARKER`]) before anything is rendered,
/// filled page by page through [`PageSink`], then completed and swapped in by
/// [`Staging::finish`]. Dropped without `finish` (a failed build, or nothing to write), it is
/// removed and the current output is untouched.
pub struct Staging {
    out: PathBuf,
    /// The output folder as the user gave it, for messages.
    shown: PathBuf,
    /// The folder that holds the output, the staging folder and the previous site while swapping.
    parent: PathBuf,
    dir: PathBuf,
    old: PathBuf,
    files: AtomicUsize,
    bytes: AtomicU64,
    done: bool,
}

impl Staging {
    /// Creates the staging folder for the output folder `out`, first removing the staging
    /// folders of earlier builds into `out` that were killed (see [`remove_stale_staging`]).
    pub fn create(out: &Path) -> Result<Staging, Diagnostic> {
        let shown = out.to_path_buf();
        let out = absolute(out);
        let parent = out
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        fs::create_dir_all(&parent).map_err(|e| {
            Diagnostic::error(
                "output-dir",
                format!(
                    "cannot write the site to `{}`: its parent folder `{}` cannot be created: {e}",
                    shown.display(),
                    parent.display()
                ),
            )
            .with_hint("choose an output folder (-o) inside a folder that exists or can be created")
        })?;
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "site".into());
        remove_stale_staging(&parent, &name);
        let pid = std::process::id();
        let dir = parent.join(format!(".{name}{STAGING_INFIX}{pid}"));
        let old = parent.join(format!(".{name}{OLD_INFIX}{pid}"));
        let unwritable = |e: std::io::Error| swap_error(&shown, &parent, e);
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(unwritable)?;
        }
        fs::create_dir_all(&dir).map_err(unwritable)?;
        crate::interrupt::register(&dir);
        let staging = Staging {
            out,
            shown,
            parent,
            dir,
            old,
            files: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
            done: false,
        };
        // The marker first: it is what lets a later build recognise this folder as blogtrack's
        // if this one is killed (and it becomes the output's marker after the swap).
        fs::write(
            staging.dir.join(MARKER),
            "This folder is written by blogtrack; it is replaced on every build.\n",
        )
        .map_err(|e| swap_error(&staging.shown, &staging.parent, e))?;
        Ok(staging)
    }

    /// The staging folder (for tests and messages).
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Stages the remaining files (`files` written, `reused` hard-linked from the current
    /// output, `statics` hard-linked from the track) and swaps the staging folder in.
    pub fn finish(
        mut self,
        files: &[OutFile],
        reused: &[String],
        statics: &[StaticFile],
    ) -> Result<WriteStats, Diagnostic> {
        let mut stats = fill(&self.dir, files, reused, &self.out, statics)?;
        stats.files += self.files.load(Ordering::Relaxed);
        stats.bytes += self.bytes.load(Ordering::Relaxed);
        // Ctrl-C waits for a swap under way (see `interrupt`), and none starts after it.
        let mut lock = crate::interrupt::swap_lock();
        if crate::interrupt::interrupted() {
            return Err(Diagnostic::error("interrupted", "interrupted"));
        }
        if self.out.exists() {
            fs::rename(&self.out, &self.old)
                .map_err(|e| swap_error(&self.shown, &self.parent, e))?;
        }
        if let Err(e) = fs::rename(&self.dir, &self.out) {
            // Put the previous site back.
            let _ = fs::rename(&self.old, &self.out);
            return Err(swap_error(&self.shown, &self.parent, e));
        }
        lock.swapped(&self.dir);
        drop(lock);
        self.done = true;
        if self.old.exists() {
            let _ = fs::remove_dir_all(&self.old);
        }
        Ok(stats)
    }
}

impl PageSink for Staging {
    fn put(&self, path: &str, bytes: Vec<u8>) -> std::io::Result<()> {
        let rel = safe_rel(path).ok_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "the path leaves the site folder",
            )
        })?;
        if crate::interrupt::interrupted() {
            // No new file or folder once Ctrl-C is removing the staging folder.
            return Err(std::io::ErrorKind::Interrupted.into());
        }
        let dst = self.dir.join(rel);
        if let Some(parent) = dst.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&dst, &bytes)?;
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        Ok(())
    }

    fn keeps_pages(&self) -> bool {
        false
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.done {
            let _ = fs::remove_dir_all(&self.dir);
            crate::interrupt::unregister(&self.dir);
        }
    }
}

/// Cleans up after builds into the output folder `name` (in `parent`) that were killed:
/// their staging folders (`.NAME.blogtrack-new-PID`) are removed, and a previous site moved
/// aside for the swap (`.NAME.blogtrack-old-PID`) is put back when the output folder is missing
/// (the build died between the swap's two renames), else removed. Only folders named exactly so
/// (PID in decimal digits), carrying blogtrack's [`MARKER`], whose process is gone. Whether a
/// process is gone is only known on Linux (`/proc/PID` absent while `/proc/self` exists);
/// elsewhere nothing is touched. Returns the folders removed or put back.
pub fn remove_stale_staging(parent: &Path, name: &str) -> Vec<PathBuf> {
    let mut handled = remove_stale(parent, name, STAGING_INFIX);
    handled.extend(remove_stale(parent, name, OLD_INFIX));
    handled
}

fn remove_stale(parent: &Path, name: &str, infix: &str) -> Vec<PathBuf> {
    let prefix = format!(".{name}{infix}");
    let own = std::process::id();
    let Ok(entries) = fs::read_dir(parent) else {
        return Vec::new();
    };
    let mut removed = Vec::new();
    for e in entries.filter_map(Result::ok) {
        let file_name = e.file_name();
        let Some(pid) = file_name
            .to_str()
            .and_then(|n| n.strip_prefix(&prefix))
            .filter(|p| !p.is_empty() && p.len() <= 10 && p.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        let path = e.path();
        // `symlink_metadata`: a symbolic link named like a staging folder is not followed.
        let is_dir = fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir());
        if pid == own || !is_dir || !path.join(MARKER).is_file() || !process_is_gone(pid) {
            continue;
        }
        let out = parent.join(name);
        if infix == OLD_INFIX && fs::symlink_metadata(&out).is_err() {
            if fs::rename(&path, &out).is_ok() {
                removed.push(path);
            }
            continue;
        }
        if fs::remove_dir_all(&path).is_ok() {
            removed.push(path);
        }
    }
    removed
}

/// Whether no process `pid` runs (only answerable on Linux; `false` elsewhere).
fn process_is_gone(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new("/proc/self").exists() && !Path::new("/proc").join(pid.to_string()).exists()
    } else {
        false
    }
}

/// Where a staged file comes from.
#[derive(Clone, Copy)]
enum Source {
    Generated,
    Previous,
    Static,
}

/// A file to stage: its site-relative path, its index in the list of its source, and the source.
type Staged = (PathBuf, usize, Source);

/// What staging one file did: the bytes written or linked, whether it was hard-linked, whether
/// it was copied.
type Outcome = (u64, bool, bool);

/// Puts the site's files into `staging`: the generated pages, the pages reused from
/// `previous`, then the static files; returns what was written, linked and copied.
fn fill(
    staging: &Path,
    files: &[OutFile],
    reused: &[String],
    previous: &Path,
    statics: &[StaticFile],
) -> Result<WriteStats, Diagnostic> {
    // Folders first (sequentially, deduplicated), then files in parallel.
    let rels = staged_paths(files, reused, statics)?;
    create_folders(staging, &rels)?;
    // Generated and reused pages are staged before static files, so a page always wins.
    let (pages, assets): (Vec<_>, Vec<_>) = rels
        .iter()
        .partition(|(_, _, src)| !matches!(src, Source::Static));
    let stage = |staged: &&Staged| stage_file(staging, previous, files, statics, staged);
    let mut results: Vec<Result<Outcome, Diagnostic>> = pages.par_iter().map(stage).collect();
    results.extend(assets.par_iter().map(stage).collect::<Vec<_>>());
    tally(results)
}

/// The site-relative path of every file to stage: the generated pages, the reused pages, then
/// the static files. A page path that leaves the site is an error; such a static file is left out.
fn staged_paths(
    files: &[OutFile],
    reused: &[String],
    statics: &[StaticFile],
) -> Result<Vec<Staged>, Diagnostic> {
    let mut rels: Vec<Staged> = Vec::with_capacity(files.len() + reused.len() + statics.len());
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
    Ok(rels)
}

/// The error of a build stopped by an interrupt.
fn stopped() -> Diagnostic {
    Diagnostic::error("interrupted", "interrupted")
}

/// Creates the folders the staged files go in, each once, in order (so parents come first).
fn create_folders(staging: &Path, rels: &[Staged]) -> Result<(), Diagnostic> {
    let mut dirs: Vec<PathBuf> = Vec::new();
    for (rel, _, _) in rels {
        if let Some(p) = rel.parent() {
            if !p.as_os_str().is_empty() {
                dirs.push(p.to_path_buf());
            }
        }
    }
    dirs.sort();
    dirs.dedup();
    for d in &dirs {
        if crate::interrupt::interrupted() {
            return Err(stopped());
        }
        let abs = staging.join(d);
        fs::create_dir_all(&abs).map_err(|e| err(&abs, "cannot create", e))?;
    }
    Ok(())
}

/// Stages one file: a reused page hard-linked (or copied) from the previous build, a static
/// file hard-linked (or copied) from the track unless a page took its path, or a generated
/// page written.
fn stage_file(
    staging: &Path,
    previous: &Path,
    files: &[OutFile],
    statics: &[StaticFile],
    (rel, i, src): &Staged,
) -> Result<Outcome, Diagnostic> {
    if crate::interrupt::interrupted() {
        return Err(stopped());
    }
    let dst = staging.join(rel);
    match src {
        Source::Previous => {
            let from = previous.join(rel);
            match fs::hard_link(&from, &dst) {
                Ok(()) => Ok((0, true, false)),
                Err(_) => fs::copy(&from, &dst)
                    .map(|n| (n, false, true))
                    .map_err(|e| err(&from, "cannot reuse the previous build's", e)),
            }
        }
        Source::Static => {
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
        }
        Source::Generated => {
            let f = &files[*i];
            fs::write(&dst, &f.content)
                .map(|()| (f.content.len() as u64, false, false))
                .map_err(|e| err(&dst, "cannot write", e))
        }
    }
}

/// The statistics of the staged files, or the first error in staging order.
fn tally(results: Vec<Result<Outcome, Diagnostic>>) -> Result<WriteStats, Diagnostic> {
    let mut stats = WriteStats::default();
    for r in results {
        let (n, linked, copied) = r?;
        stats.files += 1;
        stats.bytes += n;
        stats.linked += usize::from(linked);
        stats.copied += usize::from(copied);
    }
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
