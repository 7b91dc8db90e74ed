//! The build cache: what a warm rebuild may take from the previous output instead of rendering.
//!
//! **What.** Every post's rendering is keyed by a 128-bit hash of everything it depends on
//! ([`KeyHasher`]): the binary's version, the config, the pages (navigation), the site-wide
//! Liquid data and post URLs, the post itself (front matter and body) and its parsed
//! bibliography. Figures are dependencies discovered while rendering, so each result also
//! records the state (size and modification time) of the track files its figures referenced;
//! a result is reused only when the key matches and every recorded file is unchanged (like a
//! compiler's depfile). A miss simply renders the post again.
//!
//! **Where.** After a successful build, [`Manifest::write`] stores `.blogtrack-cache.json` in
//! the output folder: per post the key, the output page with its size and modification time,
//! and what the site needs without rendering (description HTML for listings, diagnostics, math
//! counts). [`Manifest::read`] loads it on the next build (a missing, unreadable or
//! other-version manifest just means a cold build).
//!
//! **Crash safety.** The output is still assembled in a staging folder and swapped in with
//! renames (see [`crate::write`]): a reused page is *hard-linked* from the previous output into
//! the staging folder, never modified in place, so the previous site stays intact until the
//! swap. The manifest is written after the swap, under a temporary name then renamed, so it
//! never describes files that are not there; a crash before it lands leaves no manifest (or the
//! new site without one), and the next build is simply cold. A page edited by hand in the output
//! changes its size or time and is rendered again. Reused bytes are the bytes an identical input
//! rendered before, so output stays deterministic.
//!
//! **Nothing changed.** The manifest also holds one hash of the whole planned site (every
//! page's path and a hash of its bytes — remembered per post, so a build that reuses a page
//! knows it as well as the one that rendered it —, the other generated files' bytes, the static
//! files' paths and sizes). When a
//! build plans the same site again, the output is left as it is: no staging, no links, no swap.
//! (Static files are hard links to the track's files, so in-place edits to them are already
//! live; hand edits to generated pages other than posts are not detected in that case.)
//!
//! Not cached: site pages, listings, feed and sitemap (cheap, rebuilt every time from the
//! cached listing data) and static files (hard-linked from the track by the writer, never
//! copied).

use super::{AssetStamp, PostCache, PostResult};
use blogtrack_diag::{Diagnostic, Severity};
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::UNIX_EPOCH;

/// File name of the manifest inside the output folder.
pub const MANIFEST: &str = ".blogtrack-cache.json";

/// A 128-bit key.
pub type Key = u128;

/// A fast, stable (same bytes → same key on every run and machine) 128-bit hasher for cache
/// keys. Two multiply-rotate lanes over 8-byte words; not cryptographic — keys only need to
/// differ when inputs differ by accident, not against an adversary who controls both.
#[derive(Clone)]
pub struct KeyHasher {
    a: u64,
    b: u64,
    tail: [u8; 8],
    tail_len: usize,
    len: u64,
}

impl Default for KeyHasher {
    fn default() -> Self {
        KeyHasher {
            a: 0x243f_6a88_85a3_08d3,
            b: 0x1319_8a2e_0370_7344,
            tail: [0; 8],
            tail_len: 0,
            len: 0,
        }
    }
}

impl KeyHasher {
    fn mix(&mut self, w: u64) {
        self.a = (self.a ^ w)
            .wrapping_mul(0x9e37_79b9_7f4a_7c15)
            .rotate_left(29);
        self.b = (self.b ^ w.rotate_left(17))
            .wrapping_mul(0xc2b2_ae3d_27d4_eb4f)
            .rotate_left(31)
            ^ self.a;
    }

    pub fn bytes(&mut self, mut data: &[u8]) {
        self.len = self.len.wrapping_add(data.len() as u64);
        if self.tail_len > 0 {
            let take = (8 - self.tail_len).min(data.len());
            self.tail[self.tail_len..self.tail_len + take].copy_from_slice(&data[..take]);
            self.tail_len += take;
            data = &data[take..];
            if self.tail_len < 8 {
                return;
            }
            let w = u64::from_le_bytes(self.tail);
            self.mix(w);
            self.tail_len = 0;
        }
        let mut chunks = data.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.mix(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        self.tail[..rest.len()].copy_from_slice(rest);
        self.tail_len = rest.len();
    }

    /// A string with its length, so `("ab","c")` and `("a","bc")` differ.
    pub fn str(&mut self, s: &str) {
        self.bytes(&(s.len() as u64).to_le_bytes());
        self.bytes(s.as_bytes());
    }

    /// Feeds the `Debug` form of a value, streamed (no allocation).
    pub fn debug(&mut self, v: &dyn fmt::Debug) {
        let _ = fmt::write(self, format_args!("{v:?}"));
        self.bytes(&[0xff]);
    }

    pub fn finish(&self) -> Key {
        let mut h = self.clone();
        let mut last = [0u8; 8];
        last[..h.tail_len].copy_from_slice(&h.tail[..h.tail_len]);
        h.mix(u64::from_le_bytes(last));
        h.mix(h.len);
        h.mix(0x5851_f42d_4c95_7f2d);
        (u128::from(h.a) << 64) | u128::from(h.b)
    }
}

impl fmt::Write for KeyHasher {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.bytes(s.as_bytes());
        Ok(())
    }
}

/// Size and modification time of a file, `None` when it cannot be read.
pub fn stamp(path: &Path) -> Option<AssetStamp> {
    let m = fs::metadata(path).ok()?;
    let t = m
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    Some((m.len(), t))
}

/// One post as the manifest remembers it.
#[derive(Debug, Clone)]
struct Entry {
    result: PostResult,
    /// Size and time of the written page, to notice a page changed in the output by hand.
    page: Option<AssetStamp>,
}

/// The previous build's manifest: a [`PostCache`] whose pages come from the previous output.
#[derive(Debug, Default)]
pub struct Manifest {
    out: PathBuf,
    entries: HashMap<Key, Entry>,
    /// Hash of the whole site the manifest describes (see [`Manifest::site`]).
    site: Option<Key>,
}

/// The version and the identity of this very binary (size and modification time of the
/// executable): a rebuilt blogtrack may render differently under the same version number, so its
/// first build must not reuse pages rendered by the previous binary.
fn version() -> String {
    static V: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    V.get_or_init(|| {
        let exe = std::env::current_exe()
            .and_then(std::fs::metadata)
            .map(|m| {
                let t = m
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map(|d| d.as_nanos())
                    .unwrap_or(0);
                format!("{}-{t}", m.len())
            })
            .unwrap_or_default();
        format!("blogtrack {} {exe}", env!("CARGO_PKG_VERSION"))
    })
    .clone()
}

/// Diagnostic codes are `&'static str`: a code read back from a manifest is the registry's (or,
/// for a manifest of another version naming a code this one lacks, interned once).
fn intern(code: &str) -> &'static str {
    if let Some(rule) = blogtrack_diag::codes::lookup(code) {
        return rule.code;
    }
    static CODES: Mutex<Option<HashSet<&'static str>>> = Mutex::new(None);
    let Ok(mut guard) = CODES.lock() else {
        return "cached";
    };
    let set = guard.get_or_insert_with(HashSet::new);
    if let Some(c) = set.get(code) {
        return c;
    }
    let leaked: &'static str = Box::leak(code.to_string().into_boxed_str());
    set.insert(leaked);
    leaked
}

fn diag_to_json(d: &Diagnostic) -> Value {
    json!([
        d.severity.as_str(),
        d.code,
        d.file,
        d.line,
        d.col,
        d.message,
        d.hint
    ])
}

fn diag_from_json(v: &Value) -> Option<Diagnostic> {
    let a = v.as_array()?;
    let severity = match a.first()?.as_str()? {
        "error" => Severity::Error,
        "warning" => Severity::Warning,
        _ => Severity::Note,
    };
    Some(Diagnostic {
        severity,
        code: intern(a.get(1)?.as_str()?),
        file: a.get(2)?.as_str().map(str::to_string),
        line: u32::try_from(a.get(3)?.as_u64()?).ok()?,
        col: u32::try_from(a.get(4)?.as_u64()?).ok()?,
        message: a.get(5)?.as_str()?.to_string(),
        hint: a.get(6)?.as_str().map(str::to_string),
    })
}

fn stamp_json(s: &Option<AssetStamp>) -> Value {
    match s {
        Some((len, t)) => json!([len, t]),
        None => Value::Null,
    }
}

fn stamp_from_json(v: &Value) -> Option<AssetStamp> {
    let a = v.as_array()?;
    Some((a.first()?.as_u64()?, a.get(1)?.as_u64()?))
}

fn entry_from_json(v: &Value) -> Option<(Key, Entry)> {
    let key = u128::from_str_radix(v.get("key")?.as_str()?, 16).ok()?;
    let assets = v
        .get("assets")?
        .as_array()?
        .iter()
        .map(|a| {
            let a = a.as_array()?;
            Some((a.first()?.as_str()?.to_string(), stamp_from_json(a.get(1)?)))
        })
        .collect::<Option<Vec<_>>>()?;
    let diagnostics = v
        .get("diagnostics")?
        .as_array()?
        .iter()
        .map(diag_from_json)
        .collect::<Option<Vec<_>>>()?;
    let result = PostResult {
        out_path: v.get("out")?.as_str().map(str::to_string),
        description_html: v.get("description_html")?.as_str()?.to_string(),
        diagnostics,
        failed: v.get("failed")?.as_bool()?,
        math_ok: usize::try_from(v.get("math_ok")?.as_u64()?).ok()?,
        math_failed: usize::try_from(v.get("math_failed")?.as_u64()?).ok()?,
        assets,
        search: v.get("search").filter(|s| !s.is_null()).cloned(),
        page_hash: v
            .get("page_hash")
            .and_then(Value::as_str)
            .and_then(|k| u128::from_str_radix(k, 16).ok()),
    };
    Some((
        key,
        Entry {
            result,
            page: stamp_from_json(v.get("page")?),
        },
    ))
}

impl Manifest {
    /// The manifest of the output folder `out`; empty when there is none, it is unreadable or
    /// another version of blogtrack wrote it.
    pub fn read(out: &Path) -> Manifest {
        let mut m = Manifest {
            out: out.to_path_buf(),
            entries: HashMap::new(),
            site: None,
        };
        let Ok(text) = fs::read_to_string(out.join(MANIFEST)) else {
            return m;
        };
        let Ok(v) = serde_json::from_str::<Value>(&text) else {
            return m;
        };
        if v.get("version").and_then(Value::as_str) != Some(version().as_str()) {
            return m;
        }
        m.site = v
            .get("site")
            .and_then(Value::as_str)
            .and_then(|k| u128::from_str_radix(k, 16).ok());
        if let Some(posts) = v.get("posts").and_then(Value::as_array) {
            m.entries = posts.iter().filter_map(entry_from_json).collect();
        }
        m
    }

    /// The hash of every file of the site this manifest was written with: when a new plan has
    /// the same, the output is already up to date and nothing needs writing.
    pub fn site(&self) -> Option<Key> {
        self.site
    }

    /// Number of remembered posts.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Writes the manifest for the posts of a finished build into `out` (atomically: a
    /// temporary file renamed over the old one). Page stamps are read from `out` now.
    pub fn write(
        out: &Path,
        site: Option<Key>,
        posts: &[(Key, PostResult)],
    ) -> std::io::Result<()> {
        let entries: Vec<Value> = posts
            .iter()
            .map(|(key, r)| {
                let page = r.out_path.as_ref().and_then(|p| stamp(&out.join(p)));
                json!({
                    "key": format!("{key:032x}"),
                    "out": r.out_path,
                    "page": stamp_json(&page),
                    "description_html": r.description_html,
                    "failed": r.failed,
                    "math_ok": r.math_ok,
                    "math_failed": r.math_failed,
                    "search": r.search,
                    "page_hash": r.page_hash.map(|k| format!("{k:032x}")),
                    "assets": r.assets.iter().map(|(p, s)| json!([p, stamp_json(s)])).collect::<Vec<_>>(),
                    "diagnostics": r.diagnostics.iter().map(diag_to_json).collect::<Vec<_>>(),
                })
            })
            .collect();
        let site = site.map(|k| format!("{k:032x}"));
        let doc = json!({ "version": version(), "site": site, "posts": entries });
        let tmp = out.join(format!("{MANIFEST}.tmp-{}", std::process::id()));
        fs::write(&tmp, doc.to_string())?;
        fs::rename(&tmp, out.join(MANIFEST))
    }
}

impl PostCache for Manifest {
    fn get(&self, key: Key) -> Option<(PostResult, Option<Vec<u8>>)> {
        let e = self.entries.get(&key)?;
        if let Some(out) = &e.result.out_path {
            // The page must still be the one this build wrote.
            if e.page.is_none() || stamp(&self.out.join(out)) != e.page {
                return None;
            }
        }
        Some((e.result.clone(), None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key_of(parts: &[&str]) -> Key {
        let mut h = KeyHasher::default();
        for p in parts {
            h.str(p);
        }
        h.finish()
    }

    #[test]
    fn keys_are_stable_and_tell_inputs_apart() {
        assert_eq!(key_of(&["post", "body"]), key_of(&["post", "body"]));
        assert_ne!(key_of(&["ab", "c"]), key_of(&["a", "bc"]));
        assert_ne!(key_of(&["x"]), key_of(&["y"]));
        // Chunking of the input does not matter, only the bytes.
        let mut a = KeyHasher::default();
        a.bytes(b"hello, ");
        a.bytes(b"world and more than eight bytes");
        let mut b = KeyHasher::default();
        b.bytes(b"hello, world and more than eight bytes");
        assert_eq!(a.finish(), b.finish());
        // A fixed value: the key must not change between runs or machines.
        let mut c = KeyHasher::default();
        c.bytes(b"blogtrack");
        assert_eq!(c.finish(), {
            let mut d = KeyHasher::default();
            d.bytes(b"blog");
            d.bytes(b"track");
            d.finish()
        });
    }

    #[test]
    fn diagnostics_survive_the_manifest() {
        let d = Diagnostic::warning("bib-missing", "no such file")
            .in_file("_posts/x.md")
            .at(3, 4)
            .with_hint("add it");
        let back = diag_from_json(&diag_to_json(&d)).unwrap();
        assert_eq!(back, d);
    }

    #[test]
    fn a_manifest_round_trips_and_checks_the_page_on_disk() {
        let dir = std::env::temp_dir().join(format!("bt-cache-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("blog/x")).unwrap();
        fs::write(dir.join("blog/x/index.html"), "page").unwrap();
        let result = PostResult {
            out_path: Some("blog/x/index.html".into()),
            description_html: "<p>d</p>".into(),
            diagnostics: vec![Diagnostic::warning("math", "bad").in_file("_posts/x.md")],
            failed: false,
            math_ok: 2,
            math_failed: 1,
            assets: vec![("assets/img/a.png".into(), None)],
            search: Some(serde_json::json!({"title": "X"})),
            page_hash: Some(0xabc),
        };
        Manifest::write(&dir, Some(1), &[(7, result)]).unwrap();
        let m = Manifest::read(&dir);
        assert_eq!(m.len(), 1);
        let (r, page) = m.get(7).unwrap();
        assert!(page.is_none(), "the page comes from the previous output");
        assert_eq!(r.math_failed, 1);
        assert_eq!(r.page_hash, Some(0xabc));
        assert_eq!(m.site(), Some(1));
        assert_eq!(r.diagnostics[0].code, "math");
        assert!(m.get(8).is_none());
        // A page changed by hand is not reused.
        fs::write(dir.join("blog/x/index.html"), "edited by hand").unwrap();
        assert!(Manifest::read(&dir).get(7).is_none());
        fs::remove_dir_all(&dir).unwrap();
    }
}
