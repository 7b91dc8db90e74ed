//! The incremental preview pipeline behind `blogtrack serve`: a loaded track kept in memory,
//! re-rendered in part after each batch of edits, pushed into the dev server's [`SiteStore`].
//!
//! **What is redone for an edit.** A batch of changed paths is first applied to the in-memory
//! [`Track`]: an edited, added or removed post file is re-read and re-parsed alone, an edited
//! `.bib` is re-parsed alone; anything else (`_config.yml`, pages, assets, a rescan) reloads the
//! track. Then the site is laid out again with [`plan_with`] over an in-memory [`PostCache`]:
//! a post renders again only when its cache key changes (its text, its bibliography, a figure
//! file it references, or a site-wide input such as the config or navigation), so an edit to
//! one post renders that post alone. Listing, feed and sitemap pages are laid out from cached
//! listing data (cheap) and only the files whose bytes changed are pushed to the store, so the
//! index and archives change only when the post's listing data (title, description, date,
//! tags, authors, hidden) changed. Static files are served from the track on disk; their list is
//! refreshed when it changes.
//!
//! **Errors.** A broken edit never stops the server: the post keeps its last good version in
//! memory, the error goes to the overlay (file:line) and the terminal, and pages are never
//! dropped from the store while errors are shown. Fixing the file clears the overlay.
//!
//! Not here: HTTP, live reload and file watching (`blogtrack_devserver`), argument parsing
//! (`cmd::serve`).

use crate::build::cache::Key;
use crate::build::{plan_with, PostCache, PostResult};
use crate::load::{load_track, read_text};
use crate::model::{parse_post, Track};
use blogtrack_devserver::{ErrorOverlay, SiteStore};
use blogtrack_diag::{Diagnostic, Severity};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Posts rendered in this session, by key, with their pages.
#[derive(Default)]
struct MemoryCache {
    posts: HashMap<Key, (PostResult, Arc<[u8]>)>,
}

impl PostCache for MemoryCache {
    fn get(&self, key: Key) -> Option<(PostResult, Option<Vec<u8>>)> {
        let (r, page) = self.posts.get(&key)?;
        Some((r.clone(), Some(page.to_vec())))
    }
}

/// What one rebuild did.
#[derive(Debug, Default, Clone)]
pub struct Update {
    /// Site paths whose bytes changed (or appeared).
    pub changed: Vec<String>,
    /// Site paths that disappeared.
    pub removed: Vec<String>,
    /// Posts rendered (not taken from the cache).
    pub rendered: usize,
    /// Errors and warnings of the whole site now.
    pub diagnostics: Vec<Diagnostic>,
    /// Whether the track was reloaded from disk in full.
    pub reloaded: bool,
}

/// A track in memory and the site built from it.
pub struct Session {
    root: PathBuf,
    skip: Vec<PathBuf>,
    track: Track,
    /// Diagnostics of loading, by file (replaced file by file on targeted updates).
    load_diags: BTreeMap<String, Vec<Diagnostic>>,
    cache: MemoryCache,
    /// Site path → key of its bytes, as last pushed.
    hashes: HashMap<String, Key>,
    statics: Vec<(String, PathBuf)>,
}

fn by_file(diags: Vec<Diagnostic>) -> BTreeMap<String, Vec<Diagnostic>> {
    let mut m: BTreeMap<String, Vec<Diagnostic>> = BTreeMap::new();
    for d in diags {
        m.entry(d.file.clone().unwrap_or_default())
            .or_default()
            .push(d);
    }
    m
}

fn bytes_key(b: &[u8]) -> Key {
    let mut h = crate::build::cache::KeyHasher::default();
    h.bytes(b);
    h.finish()
}

impl Session {
    /// Loads the track at `root` (skipping `skip`, e.g. an output folder inside it).
    pub fn open(root: &Path, skip: Vec<PathBuf>) -> Result<Session, Diagnostic> {
        crate::load::require_track(root)?;
        let (track, diags) = load_track(root, &skip)?;
        Ok(Session {
            root: track.root.clone(),
            skip,
            track,
            load_diags: by_file(diags),
            cache: MemoryCache::default(),
            hashes: HashMap::new(),
            statics: Vec::new(),
        })
    }

    pub fn track(&self) -> &Track {
        &self.track
    }

    /// Applies changed paths (relative to the track root) to the track in memory. Returns
    /// whether the whole track was reloaded.
    fn apply(&mut self, changed: &[PathBuf]) -> Result<bool, Diagnostic> {
        let rels: Vec<String> = changed
            .iter()
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .collect();
        let targeted = !rels.is_empty()
            && rels.iter().all(|r| {
                (r.starts_with("_posts/") && is_post_file(r))
                    || (r.starts_with("assets/bibliography/") && r.ends_with(".bib"))
            });
        if !targeted {
            let (track, diags) = load_track(&self.root, &self.skip)?;
            self.track = track;
            self.load_diags = by_file(diags);
            return Ok(true);
        }
        for rel in &rels {
            if rel.starts_with("_posts/") {
                self.reload_post(rel);
            }
        }
        for rel in &rels {
            if let Some(name) = rel.strip_prefix("assets/bibliography/") {
                self.reload_bib(name);
            }
        }
        // A post may now name a bibliography not loaded yet.
        let wanted: Vec<String> = self
            .track
            .posts
            .iter()
            .filter_map(|p| p.meta.bibliography.clone())
            .filter(|b| !b.is_empty() && !self.track.bibs.contains_key(b))
            .collect();
        for name in wanted {
            self.reload_bib(&name);
        }
        self.track.sort_posts();
        Ok(false)
    }

    fn reload_post(&mut self, rel: &str) {
        let abs = self.root.join(rel);
        if !abs.is_file() {
            self.track.posts.retain(|p| p.path != rel);
            self.load_diags.remove(rel);
            return;
        }
        let (post, diags) = match read_text(&abs, rel) {
            Ok(text) => parse_post(rel, &text, &self.track.config),
            Err(d) => (None, vec![d]),
        };
        self.load_diags.insert(rel.to_string(), diags);
        // A post that no longer parses keeps its last good version (the error is shown).
        if let Some(post) = post {
            match self.track.posts.iter_mut().find(|p| p.path == rel) {
                Some(slot) => *slot = post,
                None => self.track.posts.push(post),
            }
        }
    }

    fn reload_bib(&mut self, name: &str) {
        if name.contains("..") || name.contains('\\') || name.starts_with('/') {
            return;
        }
        let rel = format!("assets/bibliography/{name}");
        let used = self
            .track
            .posts
            .iter()
            .any(|p| p.meta.bibliography.as_deref() == Some(name));
        let abs = self.root.join(&rel);
        if !used || !abs.is_file() {
            self.track.bibs.remove(name);
            self.load_diags.remove(&rel);
            return;
        }
        let parsed = match read_text(&abs, &rel) {
            Ok(text) => {
                let (bib, d) = blogtrack_bib::parse(&text);
                (bib, d.into_iter().map(|d| d.in_file(&rel)).collect())
            }
            Err(d) => (blogtrack_bib::Bibliography::default(), vec![d]),
        };
        self.load_diags.insert(rel, parsed.1.clone());
        self.track.bibs.insert(name.to_string(), Arc::new(parsed));
    }

    /// Rebuilds after `changed` (empty: the first build) and pushes what changed to `store`.
    pub fn rebuild(
        &mut self,
        changed: &[PathBuf],
        store: &SiteStore,
    ) -> Result<Update, Diagnostic> {
        let reloaded = if changed.is_empty() {
            false
        } else {
            self.apply(changed)?
        };
        let plan = plan_with(&self.track, false, &self.cache);
        let mut diagnostics: Vec<Diagnostic> =
            self.load_diags.values().flatten().cloned().collect();
        diagnostics.extend(plan.diagnostics.iter().cloned());
        // Root causes first, each file's summary ("not built because of the errors above") after.
        diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        let has_errors = diagnostics.iter().any(|d| d.severity == Severity::Error);

        // Remember this round's posts (and only them) for the next.
        let pages: HashMap<&str, &[u8]> = plan
            .files
            .iter()
            .map(|f| (f.path.as_str(), f.content.as_slice()))
            .collect();
        let mut rendered = 0;
        let mut next = HashMap::with_capacity(plan.posts.len());
        for (key, r) in &plan.posts {
            let known = self.cache.posts.remove(key);
            if known.is_none() {
                rendered += 1;
            }
            let page: Option<Arc<[u8]>> = match (&r.out_path, known) {
                (_, Some((_, page))) => Some(page),
                (Some(out), None) => pages.get(out.as_str()).map(|b| Arc::from(*b)),
                (None, None) => Some(Arc::from(&[][..])),
            };
            if let Some(page) = page {
                next.insert(*key, (r.clone(), page));
            }
        }
        self.cache.posts = next;

        let mut update = Update {
            rendered,
            reloaded,
            ..Update::default()
        };
        let mut hashes = HashMap::with_capacity(plan.files.len());
        let mut push = Vec::new();
        for f in plan.files {
            let k = bytes_key(&f.content);
            if self.hashes.get(&f.path) != Some(&k) {
                update.changed.push(f.path.clone());
                push.push((f.path.clone(), f.content));
            }
            hashes.insert(f.path, k);
        }
        if has_errors {
            // Keep every page that was there: the overlay explains what is wrong.
            for (p, k) in &self.hashes {
                hashes.entry(p.clone()).or_insert(*k);
            }
        } else {
            update.removed = self
                .hashes
                .keys()
                .filter(|p| !hashes.contains_key(*p))
                .cloned()
                .collect();
            update.removed.sort();
        }
        self.hashes = hashes;
        let statics: Vec<(String, PathBuf)> = self
            .track
            .static_files
            .iter()
            .map(|f| (f.rel.clone(), f.abs.clone()))
            .collect();
        if statics != self.statics {
            store.set_static_files(statics.clone());
            self.statics = statics;
        }
        let errors: Vec<&Diagnostic> = diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        store.set_error((!errors.is_empty()).then(|| ErrorOverlay::from_diagnostics(errors)));
        let warnings: Vec<&Diagnostic> = diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .collect();
        store
            .set_warnings((!warnings.is_empty()).then(|| ErrorOverlay::from_diagnostics(warnings)));
        if !push.is_empty() || !update.removed.is_empty() {
            store.update(push, update.removed.clone());
        }
        update.diagnostics = diagnostics;
        Ok(update)
    }
}

/// What changed in the warnings between two builds, for the terminal: the warnings of `now`
/// that `before` did not have, and how many of `before`'s are gone. Warnings are compared by
/// file, rule, message and hint, not line, so an edit that moves a warning down a few lines does
/// not print it again; repeats are counted (a second identical warning is new).
pub fn warning_changes<'a>(
    before: &'a [Diagnostic],
    now: &'a [Diagnostic],
) -> (Vec<&'a Diagnostic>, usize) {
    let key = |d: &'a Diagnostic| (&d.file, d.code, d.message.as_str(), &d.hint);
    let mut left: HashMap<_, usize> = HashMap::new();
    for d in before.iter().filter(|d| d.severity == Severity::Warning) {
        *left.entry(key(d)).or_default() += 1;
    }
    let mut new = Vec::new();
    for d in now.iter().filter(|d| d.severity == Severity::Warning) {
        match left.get_mut(&key(d)) {
            Some(n) if *n > 0 => *n -= 1,
            _ => new.push(d),
        }
    }
    (new, left.values().sum())
}

fn is_post_file(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    !name.starts_with('.')
        && (name.ends_with(".md") || name.ends_with(".markdown") || name.ends_with(".html"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn track(dir: &Path) {
        fs::create_dir_all(dir.join("_posts")).unwrap();
        fs::create_dir_all(dir.join("assets/bibliography")).unwrap();
        fs::write(dir.join("_config.yml"), "title: T\nbaseurl: /t\n").unwrap();
        for name in ["a", "b"] {
            fs::write(
                dir.join(format!("_posts/2024-05-07-{name}.md")),
                format!("---\ntitle: Post {name}\ndescription: about {name}\ndate: 2024-05-07\nbibliography: 2024-05-07-{name}.bib\n---\n\nText of {name}<d-cite key=\"k\"></d-cite>.\n"),
            )
            .unwrap();
            fs::write(
                dir.join(format!("assets/bibliography/2024-05-07-{name}.bib")),
                "@article{k, title={One}, author={Doe, Jane}, year={2020}}\n",
            )
            .unwrap();
        }
    }

    fn text(store: &SiteStore, path: &str) -> String {
        String::from_utf8_lossy(&store.get(path).unwrap().body).to_string()
    }

    #[test]
    fn warning_changes_are_by_content_not_line_and_count_repeats() {
        let w = |file: &str, line: u32, msg: &str| {
            Diagnostic::warning("toc-no-heading", msg)
                .at(line, 0)
                .in_file(file)
        };
        let before = vec![w("a.md", 3, "x"), w("a.md", 9, "y"), w("b.md", 1, "z")];
        let now = vec![
            w("a.md", 5, "x"), // moved down: not new
            w("a.md", 6, "x"), // a second one: new
            w("b.md", 1, "q"), // new
            Diagnostic::error("yaml-syntax", "e").in_file("c.md"),
        ];
        let (new, gone) = warning_changes(&before, &now);
        let shown: Vec<(u32, &str)> = new.iter().map(|d| (d.line, d.message.as_str())).collect();
        assert_eq!(shown, [(6, "x"), (1, "q")]);
        assert_eq!(gone, 2, "y and z are fixed");
        assert_eq!(warning_changes(&now, &now).0.len(), 0);
    }

    #[test]
    fn an_edit_renders_only_that_post_and_listings_only_when_listing_data_changes() {
        let dir = std::env::temp_dir().join(format!("bt-serve-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        track(&dir);
        let store = SiteStore::new();
        let mut s = Session::open(&dir, vec![]).unwrap();
        let first = s.rebuild(&[], &store).unwrap();
        assert_eq!(first.rendered, 2);
        assert!(text(&store, "blog/a/index.html").contains("Text of a"));

        // A body edit: one post rendered; its page changes, and the search index (which holds
        // the words of every post), nothing else.
        let post = dir.join("_posts/2024-05-07-a.md");
        let src = fs::read_to_string(&post).unwrap();
        fs::write(&post, src.replace("Text of a", "New text of a")).unwrap();
        let u = s
            .rebuild(&[PathBuf::from("_posts/2024-05-07-a.md")], &store)
            .unwrap();
        assert!(!u.reloaded);
        assert_eq!(u.rendered, 1);
        assert_eq!(
            u.changed,
            vec![
                "blog/a/index.html".to_string(),
                "search/index.json".to_string()
            ]
        );
        assert!(text(&store, "blog/a/index.html").contains("New text of a"));

        // A title edit changes the listings and the feed too.
        let src = fs::read_to_string(&post).unwrap();
        fs::write(&post, src.replace("title: Post a", "title: Renamed")).unwrap();
        let u = s
            .rebuild(&[PathBuf::from("_posts/2024-05-07-a.md")], &store)
            .unwrap();
        assert!(
            u.changed.contains(&"feed.xml".to_string()),
            "{:?}",
            u.changed
        );
        assert!(text(&store, "blog/index.html").contains("Renamed"));

        // A .bib edit re-renders the post citing it.
        let bib = dir.join("assets/bibliography/2024-05-07-b.bib");
        fs::write(
            &bib,
            "@article{k, title={Changed title}, author={Doe, Jane}, year={2020}}\n",
        )
        .unwrap();
        let u = s
            .rebuild(
                &[PathBuf::from("assets/bibliography/2024-05-07-b.bib")],
                &store,
            )
            .unwrap();
        assert_eq!(u.rendered, 1);
        assert!(text(&store, "blog/b/index.html").contains("Changed title"));

        // A broken front matter: the error is shown, the last good page stays.
        fs::write(&post, "---\ntitle: [unclosed\n---\nbody\n").unwrap();
        let u = s
            .rebuild(&[PathBuf::from("_posts/2024-05-07-a.md")], &store)
            .unwrap();
        assert!(u.diagnostics.iter().any(|d| d.severity == Severity::Error
            && d.file.as_deref() == Some("_posts/2024-05-07-a.md")
            && d.line > 0));
        assert!(store.overlay_html().is_some());
        assert!(store.get("blog/a/index.html").is_some());
        // Fixing it clears the overlay.
        fs::write(&post, src.replace("New text of a", "Fixed")).unwrap();
        s.rebuild(&[PathBuf::from("_posts/2024-05-07-a.md")], &store)
            .unwrap();
        assert!(store.overlay_html().is_none());
        assert!(text(&store, "blog/a/index.html").contains("Fixed"));
        fs::remove_dir_all(&dir).unwrap();
    }
}
