//! The in-memory site: files by path, a generation counter and the current error overlay.
//!
//! The driver (`blogtrack serve`) owns the pipeline and pushes its output here; the server only
//! reads. Readers take a short read lock and clone an `Arc` to the bytes, so a rebuild swapping
//! files never blocks a response for long and never tears one. Every change bumps the generation
//! and wakes the live-reload streams waiting on [`SiteStore::wait_for_change`]. The store knows
//! nothing about HTTP or the disk.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError, RwLock};
use std::time::Duration;

use crate::content_type::content_type_for;
use crate::overlay::ErrorOverlay;

/// One file of the built site.
#[derive(Debug, Clone)]
pub struct SiteFile {
    pub body: Arc<[u8]>,
    pub content_type: &'static str,
}

#[derive(Debug, Default)]
struct State {
    generation: u64,
    /// The error overlay.
    overlay: Option<Arc<str>>,
    /// The warnings panel.
    warnings: Option<Arc<str>>,
    /// What pages get injected: the overlay, then the panel.
    injected: Option<Arc<str>>,
}

impl State {
    fn set(&mut self, overlay: Option<Arc<str>>, warnings: Option<Arc<str>>) -> bool {
        if self.overlay == overlay && self.warnings == warnings {
            return false;
        }
        self.injected = match (&overlay, &warnings) {
            (None, None) => None,
            (Some(o), None) => Some(o.clone()),
            (None, Some(w)) => Some(w.clone()),
            (Some(o), Some(w)) => Some(Arc::from(format!("{o}{w}"))),
        };
        self.overlay = overlay;
        self.warnings = warnings;
        self.generation += 1;
        true
    }
}

/// Files of the built site by path relative to the site root (`blog/x/index.html`, no leading
/// slash), shared between the driver that writes and the server threads that read.
#[derive(Debug, Default)]
pub struct SiteStore {
    files: RwLock<HashMap<String, SiteFile>>,
    statics: RwLock<HashMap<String, PathBuf>>,
    redirects: RwLock<HashMap<String, String>>,
    state: Mutex<State>,
    changed: Condvar,
}

fn normalize_key(path: &str) -> String {
    path.trim_start_matches('/').to_string()
}

fn entry(path: &str, body: Vec<u8>) -> SiteFile {
    SiteFile {
        body: Arc::from(body),
        content_type: content_type_for(path),
    }
}

impl SiteStore {
    pub fn new() -> Self {
        Self::default()
    }

    /// Replaces every file (after a full build). Bumps the generation.
    pub fn replace_all(&self, files: Vec<(String, Vec<u8>)>) {
        let map: HashMap<String, SiteFile> = files
            .into_iter()
            .map(|(p, b)| {
                let key = normalize_key(&p);
                let file = entry(&key, b);
                (key, file)
            })
            .collect();
        *self.files.write().unwrap_or_else(PoisonError::into_inner) = map;
        self.bump();
    }

    /// Applies an incremental rebuild: adds or replaces `changed`, drops `removed`. Bumps the
    /// generation, which reloads every open page.
    pub fn update(&self, changed: Vec<(String, Vec<u8>)>, removed: Vec<String>) {
        {
            let mut files = self.files.write().unwrap_or_else(PoisonError::into_inner);
            for p in removed {
                files.remove(&normalize_key(&p));
            }
            for (p, b) in changed {
                let key = normalize_key(&p);
                let file = entry(&key, b);
                files.insert(key, file);
            }
        }
        self.bump();
    }

    /// Declares the files served straight from disk (large assets the build copies), by site
    /// path. They are read on request, never held in memory; a file in the store at the same
    /// path wins. More exact than `ServerConfig::static_root`, which serves any published-looking
    /// file under a folder. Bumps the generation. After an asset changed on disk under the same
    /// path, `update(vec![], vec![])` reloads the pages.
    pub fn set_static_files(&self, files: Vec<(String, PathBuf)>) {
        let map = files
            .into_iter()
            .map(|(p, abs)| (normalize_key(&p), abs))
            .collect();
        *self.statics.write().unwrap_or_else(PoisonError::into_inner) = map;
        self.bump();
    }

    /// The disk path declared for a site path with [`SiteStore::set_static_files`].
    pub fn static_path(&self, path: &str) -> Option<PathBuf> {
        self.statics
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(path)
            .cloned()
    }

    /// Declares the site paths (`index.html`, `old/index.html`) answered with an HTTP redirect
    /// to a location (a URL path such as `/2026/about/`) instead of their page: the site's
    /// redirect pages (`redirect_to:`), whose static form is a `<meta http-equiv="refresh">`.
    /// Bumps the generation.
    pub fn set_redirects(&self, redirects: Vec<(String, String)>) {
        let map = redirects
            .into_iter()
            .map(|(p, to)| (normalize_key(&p), to))
            .collect();
        *self
            .redirects
            .write()
            .unwrap_or_else(PoisonError::into_inner) = map;
        self.bump();
    }

    /// Where a site path redirects to, if it does ([`SiteStore::set_redirects`]).
    pub fn redirect_for(&self, path: &str) -> Option<String> {
        self.redirects
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(path)
            .cloned()
    }

    /// Sets (or clears, with `None`) the build errors shown over every HTML page. Bumps the
    /// generation when the overlay changes, so open pages show or drop it at once.
    pub fn set_error(&self, overlay: Option<ErrorOverlay>) {
        let rendered: Option<Arc<str>> = overlay.map(|o| Arc::from(o.to_html()));
        let mut state = self.lock_state();
        let warnings = state.warnings.clone();
        if state.set(rendered, warnings) {
            drop(state);
            self.changed.notify_all();
        }
    }

    /// Sets (or clears, with `None`) the warnings panel shown in a corner of every HTML page
    /// ([`ErrorOverlay::to_warnings_html`]). Bumps the generation when the panel changes.
    pub fn set_warnings(&self, warnings: Option<ErrorOverlay>) {
        let rendered: Option<Arc<str>> = warnings.map(|o| Arc::from(o.to_warnings_html()));
        let mut state = self.lock_state();
        let overlay = state.overlay.clone();
        if state.set(overlay, rendered) {
            drop(state);
            self.changed.notify_all();
        }
    }

    /// The rendered warnings panel (HTML), if warnings are set.
    pub fn warnings_html(&self) -> Option<Arc<str>> {
        self.lock_state().warnings.clone()
    }

    /// The file stored at `path` (relative, no leading slash).
    pub fn get(&self, path: &str) -> Option<SiteFile> {
        self.files
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(path)
            .cloned()
    }

    pub fn contains(&self, path: &str) -> bool {
        self.files
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .contains_key(path)
    }

    pub fn len(&self) -> usize {
        self.files
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Incremented by every change; pages carry the generation they were served at.
    pub fn generation(&self) -> u64 {
        self.lock_state().generation
    }

    /// The rendered overlay panel (HTML), if build errors are set.
    pub fn overlay_html(&self) -> Option<Arc<str>> {
        self.lock_state().overlay.clone()
    }

    /// Generation and what pages get injected (overlay and warnings panel) read together, so a
    /// page and its live-reload token agree.
    pub fn snapshot(&self) -> (u64, Option<Arc<str>>) {
        let state = self.lock_state();
        (state.generation, state.injected.clone())
    }

    /// Blocks until the generation differs from `seen` or `timeout` passes; returns the current
    /// generation.
    pub fn wait_for_change(&self, seen: u64, timeout: Duration) -> u64 {
        let state = self.lock_state();
        let (state, _) = self
            .changed
            .wait_timeout_while(state, timeout, |s| s.generation == seen)
            .unwrap_or_else(PoisonError::into_inner);
        state.generation
    }

    /// Wakes every waiter without changing anything (used on shutdown).
    pub(crate) fn wake_all(&self) {
        let _guard = self.lock_state();
        self.changed.notify_all();
    }

    fn bump(&self) {
        let mut state = self.lock_state();
        state.generation += 1;
        drop(state);
        self.changed.notify_all();
    }

    fn lock_state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::thread;
    use std::time::Instant;

    fn files(list: &[(&str, &str)]) -> Vec<(String, Vec<u8>)> {
        list.iter()
            .map(|(p, b)| (p.to_string(), b.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn replace_update_and_remove() {
        let s = SiteStore::new();
        s.replace_all(files(&[("index.html", "a"), ("/assets/x.css", "b")]));
        assert_eq!(s.generation(), 1);
        assert_eq!(
            s.get("assets/x.css").map(|f| f.content_type),
            Some("text/css; charset=utf-8")
        );
        s.update(files(&[("index.html", "A")]), vec!["assets/x.css".into()]);
        assert_eq!(s.generation(), 2);
        assert_eq!(
            s.get("index.html").map(|f| f.body.to_vec()),
            Some(b"A".to_vec())
        );
        assert!(!s.contains("assets/x.css"));
    }

    #[test]
    fn overlay_changes_bump_the_generation_once() {
        let s = SiteStore::new();
        s.set_error(None);
        assert_eq!(s.generation(), 0);
        let o = ErrorOverlay::from_lines(["_posts/a.md:3: bad"]);
        s.set_error(Some(o.clone()));
        s.set_error(Some(o));
        assert_eq!(s.generation(), 1);
        assert!(s.overlay_html().is_some());
        s.set_error(None);
        assert_eq!(s.generation(), 2);
        assert!(s.overlay_html().is_none());
    }

    #[test]
    fn waiters_wake_on_update() {
        let s = Arc::new(SiteStore::new());
        let s2 = s.clone();
        let t = thread::spawn(move || s2.wait_for_change(0, Duration::from_secs(5)));
        thread::sleep(Duration::from_millis(20));
        let start = Instant::now();
        s.update(vec![], vec![]);
        assert_eq!(t.join().ok(), Some(1));
        assert!(start.elapsed() < Duration::from_secs(1));
    }
}
