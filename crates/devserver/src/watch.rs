//! Debounced watching of the track folder.
//!
//! `notify` delivers raw file-system events (one save is often three or four of them: truncate,
//! write, close, rename of a temp file); this module drops the noise and hands the driver one
//! sorted, de-duplicated batch of paths per burst. A batch closes after 15 ms without a relevant
//! event, or 200 ms after it opened while events keep coming, so a single save costs ~15 ms of
//! the 50 ms save-to-page budget and a `git checkout` of 200 files still arrives in a few
//! batches instead of 800 callbacks. Paths are reported relative to the watched root (what
//! the loader uses); an event-queue overflow reports the root itself (an empty path), meaning
//! "rescan everything". Ignored: the given paths (the output folder), version-control and
//! Jekyll cache folders, and editor temporaries (`.swp`, `~`, `.#x`, `#x#`, vim's `4913`).
//! `notify` was chosen over `notify-debouncer-mini` because the debouncer's tick-based timing
//! adds latency and a dependency for ~40 lines of code.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use blogtrack_diag::Diagnostic;
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};

const QUIET: Duration = Duration::from_millis(15);
const MAX_BATCH_WAIT: Duration = Duration::from_millis(200);
const IDLE_POLL: Duration = Duration::from_millis(100);

const IGNORED_DIRS: &[&str] = &[".git", ".hg", ".svn", ".jekyll-cache", ".sass-cache"];

/// A running watch; dropping it stops watching (the callback is not called afterwards).
pub struct Watcher {
    watcher: Option<RecommendedWatcher>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Drop for Watcher {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        self.watcher.take();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Watches `root` recursively and calls `on_change` (on a background thread) with each batch
/// of changed paths, relative to `root`. `ignore` holds folders or files to skip, absolute or
/// relative to `root`.
pub fn watch(
    root: &Path,
    ignore: Vec<PathBuf>,
    on_change: impl Fn(Vec<PathBuf>) + Send + 'static,
) -> Result<Watcher, Diagnostic> {
    let root = root.canonicalize().map_err(|e| {
        Diagnostic::error(
            "watch-root-missing",
            format!("cannot watch `{}`: {e}", root.display()),
        )
        .with_hint("pass the track folder (the one holding `_config.yml`)")
    })?;
    let filter = Filter::new(&root, ignore);
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(tx).map_err(|e| watch_error(&root, e))?;
    watcher
        .watch(&root, RecursiveMode::Recursive)
        .map_err(|e| watch_error(&root, e))?;
    let stop = Arc::new(AtomicBool::new(false));
    let thread_stop = stop.clone();
    let thread = thread::Builder::new()
        .name("blogtrack-watch".into())
        .spawn(move || debounce(&rx, &filter, &thread_stop, &on_change))
        .map_err(|e| {
            Diagnostic::error(
                "watch-failed",
                format!("cannot start the watch thread: {e}"),
            )
        })?;
    Ok(Watcher {
        watcher: Some(watcher),
        stop,
        thread: Some(thread),
    })
}

fn watch_error(root: &Path, e: notify::Error) -> Diagnostic {
    let d = Diagnostic::error(
        "watch-failed",
        format!("cannot watch `{}`: {e}", root.display()),
    );
    match e.kind {
        notify::ErrorKind::MaxFilesWatch => d.with_hint(
            "raise the limit: `sysctl fs.inotify.max_user_watches=524288` (or watch a smaller folder)",
        ),
        _ => d.with_hint("check that the folder exists and is readable"),
    }
}

fn debounce(
    rx: &mpsc::Receiver<notify::Result<notify::Event>>,
    filter: &Filter,
    stop: &AtomicBool,
    on_change: &dyn Fn(Vec<PathBuf>),
) {
    let mut pending = BTreeSet::new();
    loop {
        match rx.recv_timeout(IDLE_POLL) {
            Ok(ev) => {
                filter.collect(ev, &mut pending);
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
        if stop.load(Ordering::SeqCst) {
            return;
        }
        if pending.is_empty() {
            continue;
        }
        let opened = Instant::now();
        let mut quiet_until = opened + QUIET;
        let mut disconnected = false;
        loop {
            let now = Instant::now();
            let deadline = quiet_until.min(opened + MAX_BATCH_WAIT);
            if now >= deadline {
                break;
            }
            match rx.recv_timeout(deadline - now) {
                Ok(ev) => {
                    if filter.collect(ev, &mut pending) {
                        quiet_until = Instant::now() + QUIET;
                    }
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => {
                    disconnected = true;
                    break;
                }
            }
        }
        if stop.load(Ordering::SeqCst) {
            return;
        }
        on_change(std::mem::take(&mut pending).into_iter().collect());
        if disconnected {
            return;
        }
    }
}

struct Filter {
    root: PathBuf,
    ignore: Vec<PathBuf>,
}

impl Filter {
    fn new(root: &Path, ignore: Vec<PathBuf>) -> Self {
        let ignore = ignore
            .into_iter()
            .map(|p| {
                let abs = if p.is_absolute() { p } else { root.join(p) };
                abs.canonicalize().unwrap_or(abs)
            })
            .collect();
        Filter {
            root: root.to_path_buf(),
            ignore,
        }
    }

    /// Adds the relevant paths of one event; true if any was added.
    fn collect(&self, ev: notify::Result<notify::Event>, out: &mut BTreeSet<PathBuf>) -> bool {
        let Ok(ev) = ev else { return false };
        if ev.need_rescan() {
            out.insert(PathBuf::new());
            return true;
        }
        if matches!(ev.kind, EventKind::Access(_)) {
            return false;
        }
        let mut added = false;
        for p in &ev.paths {
            if let Some(rel) = self.relevant(p) {
                out.insert(rel);
                added = true;
            }
        }
        added
    }

    /// The path relative to the root, unless it is ignored.
    fn relevant(&self, path: &Path) -> Option<PathBuf> {
        if self.ignore.iter().any(|ig| path.starts_with(ig)) {
            return None;
        }
        let rel = path.strip_prefix(&self.root).ok()?;
        if rel.as_os_str().is_empty() {
            return None;
        }
        for c in rel.components() {
            match c {
                Component::Normal(name) => {
                    if IGNORED_DIRS.iter().any(|d| name == *d) {
                        return None;
                    }
                }
                _ => return None,
            }
        }
        let name = rel.file_name()?.to_string_lossy();
        if is_editor_temp(&name) {
            return None;
        }
        Some(rel.to_path_buf())
    }
}

/// Swap, backup and lock files editors write next to the real one.
fn is_editor_temp(name: &str) -> bool {
    const SUFFIXES: &[&str] = &[
        ".swp",
        ".swo",
        ".swn",
        ".swx",
        ".swpx",
        "~",
        ".tmp",
        "___jb_tmp___",
        "___jb_old___",
    ];
    name == "4913"
        || name == ".DS_Store"
        || name.starts_with(".#")
        || (name.len() > 1 && name.starts_with('#') && name.ends_with('#'))
        || SUFFIXES.iter().any(|s| name.ends_with(s))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::sync::Mutex;

    #[test]
    fn editor_temporaries_are_recognised() {
        for n in [
            "x.md.swp",
            ".x.md.swx",
            "x.md~",
            ".#x.md",
            "#x.md#",
            "4913",
            "x.tmp",
        ] {
            assert!(is_editor_temp(n), "{n}");
        }
        for n in ["x.md", "4914", "#", "swp.md", "_config.yml"] {
            assert!(!is_editor_temp(n), "{n}");
        }
    }

    #[test]
    fn filter_skips_ignored_folders_and_relativises() {
        let root = PathBuf::from("/t");
        let f = Filter::new(&root, vec![PathBuf::from("_site")]);
        assert_eq!(
            f.relevant(Path::new("/t/_posts/a.md")),
            Some(PathBuf::from("_posts/a.md"))
        );
        assert_eq!(f.relevant(Path::new("/t/_site/index.html")), None);
        assert_eq!(f.relevant(Path::new("/t/.git/index")), None);
        assert_eq!(f.relevant(Path::new("/t/_posts/.a.md.swp")), None);
        assert_eq!(f.relevant(Path::new("/elsewhere/a.md")), None);
        assert_eq!(f.relevant(Path::new("/t")), None);
    }

    fn temp_dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("blogtrack-watch-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        let _ = fs::create_dir_all(d.join("_posts"));
        let _ = fs::create_dir_all(d.join("_site"));
        d
    }

    fn wait_until(deadline: Duration, mut done: impl FnMut() -> bool) -> bool {
        let start = Instant::now();
        while start.elapsed() < deadline {
            if done() {
                return true;
            }
            thread::sleep(Duration::from_millis(5));
        }
        done()
    }

    #[test]
    fn a_save_arrives_once_and_ignored_paths_never() {
        let dir = temp_dir("save");
        let batches: Arc<Mutex<Vec<Vec<PathBuf>>>> = Arc::default();
        let sink = batches.clone();
        let w = watch(&dir, vec![PathBuf::from("_site")], move |b| {
            if let Ok(mut v) = sink.lock() {
                v.push(b);
            }
        });
        assert!(w.is_ok(), "{:?}", w.as_ref().err());
        let saved = Instant::now();
        let _ = fs::write(dir.join("_site/index.html"), "out");
        let _ = fs::write(dir.join("_posts/.x.md.swp"), "swap");
        let _ = fs::write(dir.join("_posts/x.md"), "hello");
        let got = wait_until(Duration::from_secs(3), || {
            batches.lock().map(|v| !v.is_empty()).unwrap_or(false)
        });
        let latency = saved.elapsed();
        assert!(got, "no batch");
        assert!(latency < Duration::from_millis(500), "{latency:?}");
        thread::sleep(Duration::from_millis(50));
        let all: Vec<PathBuf> = batches.lock().map(|v| v.concat()).unwrap_or_default();
        assert_eq!(all, vec![PathBuf::from("_posts/x.md")]);
        drop(w);
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_burst_of_200_saves_coalesces() {
        let dir = temp_dir("burst");
        let batches: Arc<Mutex<Vec<Vec<PathBuf>>>> = Arc::default();
        let sink = batches.clone();
        let w = watch(&dir, vec![], move |b| {
            if let Ok(mut v) = sink.lock() {
                v.push(b);
            }
        });
        assert!(w.is_ok());
        for i in 0..200 {
            let _ = fs::write(dir.join(format!("_posts/p{}.md", i % 20)), format!("v{i}"));
        }
        let seen_all = wait_until(Duration::from_secs(5), || {
            batches
                .lock()
                .map(|v| v.iter().flatten().collect::<BTreeSet<_>>().len() == 20)
                .unwrap_or(false)
        });
        assert!(seen_all);
        let calls = batches.lock().map(|v| v.len()).unwrap_or(usize::MAX);
        assert!(calls <= 10, "{calls} callbacks for one burst");
        drop(w);
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_missing_root_is_a_diagnostic() {
        let r = watch(Path::new("/nonexistent/blogtrack/track"), vec![], |_| {});
        assert_eq!(r.err().map(|d| d.code), Some("watch-root-missing"));
    }
}
