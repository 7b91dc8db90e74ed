//! What the renderer may know about the track's files: which exist, and an image's pixel size.
//!
//! Rendering is pure except for this one question, asked of an index built by the loader: a path
//! that is not in the index is "missing" (whatever is on disk), so a `../` or absolute path in a
//! post can never make the renderer read outside the track. Image sizes are read from the file
//! header on first use and cached (the dev server renders the same figures again and again).

use crate::model::StaticFile;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;

#[derive(Debug, Default)]
pub struct AssetIndex {
    files: HashMap<String, PathBuf>,
    sizes: Mutex<HashMap<String, Option<(u32, u32)>>>,
}

impl AssetIndex {
    pub fn new(files: &[StaticFile]) -> Self {
        AssetIndex {
            files: files
                .iter()
                .map(|f| (f.rel.clone(), f.abs.clone()))
                .collect(),
            sizes: Mutex::new(HashMap::new()),
        }
    }

    /// An index of paths with no files behind them (tests).
    pub fn from_paths<'a>(paths: impl IntoIterator<Item = &'a str>) -> Self {
        AssetIndex {
            files: paths
                .into_iter()
                .map(|p| (p.to_string(), PathBuf::new()))
                .collect(),
            sizes: Mutex::new(HashMap::new()),
        }
    }

    /// Normalises a site path as written in a post (`/2024/assets/x.png`, `assets/x.png`,
    /// `./assets/x.png`, with `?query` or `#frag`) to a track-relative path, given the baseurl.
    /// `None` for external URLs and paths that climb out of the site (`..`).
    pub fn site_path(href: &str, baseurl: &str) -> Option<String> {
        let h = href.trim();
        if h.is_empty()
            || h.starts_with('#')
            || h.contains("://")
            || h.starts_with("//")
            || h.starts_with("data:")
            || h.starts_with("mailto:")
            || h.starts_with("javascript:")
        {
            return None;
        }
        let h = h.split(['?', '#']).next().unwrap_or("");
        let mut p = h;
        if !baseurl.is_empty() {
            if let Some(rest) = p.strip_prefix(baseurl) {
                if rest.is_empty() || rest.starts_with('/') {
                    p = rest;
                }
            }
        }
        let mut segs: Vec<&str> = Vec::new();
        for seg in p.split('/') {
            match seg {
                "" | "." => {}
                ".." => return None,
                s => segs.push(s),
            }
        }
        let joined = segs.join("/");
        Some(percent_decode(&joined))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.files.contains_key(rel)
    }

    /// Pixel size of an image in the index (`None` for unknown files and non-images).
    pub fn image_size(&self, rel: &str) -> Option<(u32, u32)> {
        let abs = self.files.get(rel)?;
        if let Ok(cache) = self.sizes.lock() {
            if let Some(v) = cache.get(rel) {
                return *v;
            }
        }
        let size = imagesize::size(abs)
            .ok()
            .and_then(|s| Some((u32::try_from(s.width).ok()?, u32::try_from(s.height).ok()?)))
            .filter(|(w, h)| *w > 0 && *h > 0);
        if let Ok(mut cache) = self.sizes.lock() {
            cache.insert(rel.to_string(), size);
        }
        size
    }
}

fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Some(v) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_paths() {
        let p = |h| AssetIndex::site_path(h, "/2024");
        assert_eq!(
            p("/2024/assets/img/a.png").as_deref(),
            Some("assets/img/a.png")
        );
        assert_eq!(
            p("assets/img/a.png?v=1").as_deref(),
            Some("assets/img/a.png")
        );
        assert_eq!(
            p("./assets/img/a%20b.png").as_deref(),
            Some("assets/img/a b.png")
        );
        assert_eq!(p("/assets/x.png").as_deref(), Some("assets/x.png"));
        assert_eq!(p("/2024x/a").as_deref(), Some("2024x/a"));
        assert_eq!(p("../../etc/passwd"), None);
        assert_eq!(p("https://x.org/a.png"), None);
        assert_eq!(p("#sec"), None);
    }
}
