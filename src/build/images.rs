//! Stage 0, responsive images: smaller WebP copies of the track's raster figures, so a phone
//! downloads a 480 px image instead of a 3000 px PNG.
//!
//! **What.** For every PNG or JPEG under `assets/img/` wider than a variant width, a lossy WebP
//! copy `NAME-480.webp`, `NAME-800.webp`, `NAME-1400.webp` (only the widths narrower than the
//! original) next to the original in the site: the names and widths of the variants the old
//! al-folio site generated, so authors' hand-written `<picture>`/`srcset` references to them
//! resolve. A file of that name in the track wins (it is the author's). The figure include then
//! writes `srcset`/`sizes` over the variants that exist ([`srcset`]).
//!
//! **Cache.** Variants are kept in a cache folder beside the output (`.blogtrack-cache/images/`
//! in the output's parent folder; hidden, so a track's loader never reads it), named by a hash of
//! the original's bytes and the width: a build makes only the variants it has not made before,
//! in parallel, and the site gets hard links to them like any track file. Beside them a stamp
//! per original remembers its hash with its length and modification time, so an unchanged
//! original is not even read again. A first-ever build of a track pays for every variant
//! (measured in `bench/images.sh`); later builds, cold or warm, only look at the originals'
//! metadata. Old variants are not removed (the folder can be deleted at any time).
//!
//! **Encoder.** `image` decodes and resizes (Catmull-Rom); libwebp (through the `webp` crate)
//! encodes at quality 80. The pure-Rust `image-webp` encoder writes lossless WebP only, which for
//! photographs and anti-aliased plots is several times larger than lossy WebP: the point of the
//! variants is bytes on a phone, so the C library is worth its build time.

use super::cache::KeyHasher;
use crate::model::StaticFile;
use blogtrack_diag::Diagnostic;
use rayon::prelude::*;
use std::fs;
use std::path::{Path, PathBuf};

/// The widths of the generated variants (those of the old site).
pub const WIDTHS: [u32; 3] = [480, 800, 1400];

/// WebP quality of the variants (libwebp's scale, 0–100).
const QUALITY: f32 = 80.0;

/// WebP's largest side.
const WEBP_MAX_SIDE: u64 = 16_383;

/// Originals larger than this are not decoded (a decompression bomb costs memory, not bytes).
const MAX_PIXELS: u64 = 60_000_000;

/// Raster formats that get variants (GIFs may be animated, SVGs scale by themselves).
const RASTER: &[&str] = &["png", "jpg", "jpeg"];

/// Whether the track file `rel` (track-relative) is an image that gets variants.
fn is_raster_figure(rel: &str) -> bool {
    rel.starts_with("assets/img/")
        && rel.rsplit_once('.').is_some_and(|(stem, ext)| {
            !stem.ends_with('/') && RASTER.iter().any(|r| ext.eq_ignore_ascii_case(r))
        })
}

/// The site path of the variant of `rel` at `width`: `assets/img/x/fig.png` →
/// `assets/img/x/fig-480.webp`.
pub fn variant_path(rel: &str, width: u32) -> String {
    let stem = rel.rsplit_once('.').map_or(rel, |(s, _)| s);
    format!("{stem}-{width}.webp")
}

/// The variant widths an image `width` pixels wide gets.
pub fn widths_for(width: u32) -> impl Iterator<Item = u32> {
    WIDTHS.into_iter().filter(move |w| *w < width)
}

/// If `rel` is the name of a generated variant (`NAME-480.webp`, `-800`, `-1400`) of an image
/// `exists` knows (`NAME.png`, `.jpg`, `.jpeg`, any case), that image's path. For the link
/// checker: such a reference resolves once the variant is made.
pub fn variant_original(rel: &str, exists: impl Fn(&str) -> bool) -> Option<String> {
    let stem = rel.strip_suffix(".webp")?;
    let (name, width) = stem.rsplit_once('-')?;
    let width: u32 = width.parse().ok()?;
    if !WIDTHS.contains(&width) || name.is_empty() || name.ends_with('/') {
        return None;
    }
    RASTER
        .iter()
        .flat_map(|e| [e.to_string(), e.to_ascii_uppercase()])
        .map(|ext| format!("{name}.{ext}"))
        .find(|original| exists(original))
}

/// `srcset` and `sizes` for the figure at `src` (its URL) whose track file is `rel` and which is
/// `width` pixels wide, over the variants `exists` knows; `None` when there are none.
pub fn srcset(
    src: &str,
    rel: &str,
    width: u32,
    exists: impl Fn(&str) -> bool,
) -> Option<(String, &'static str)> {
    let url_stem = src.rsplit_once('.').map_or(src, |(s, _)| s);
    let mut parts: Vec<String> = widths_for(width)
        .filter(|w| exists(&variant_path(rel, *w)))
        .map(|w| format!("{url_stem}-{w}.webp {w}w"))
        .collect();
    if parts.is_empty() {
        return None;
    }
    parts.push(format!("{src} {width}w"));
    // The text column is at most 42rem (672 px) wide, figures of the page width 62rem (992 px);
    // below 720 px a figure takes the screen's width less the margins.
    Some((
        parts.join(", "),
        "(max-width: 720px) calc(100vw - 2rem), 992px",
    ))
}

/// The folder where variants are kept for the output folder `out_abs`.
pub fn cache_dir(out_abs: &Path) -> PathBuf {
    out_abs
        .parent()
        .unwrap_or(out_abs)
        .join(".blogtrack-cache")
        .join("images")
}

/// Makes (or finds in `cache`) the variants of every raster figure of `statics` and returns
/// them as static files of the site, with a warning for each image that cannot be read.
pub fn variants(statics: &[StaticFile], cache: &Path) -> (Vec<StaticFile>, Vec<Diagnostic>) {
    let taken: std::collections::HashSet<&str> = statics.iter().map(|f| f.rel.as_str()).collect();
    let jobs: Vec<&StaticFile> = statics
        .iter()
        .filter(|f| is_raster_figure(&f.rel))
        .collect();
    if jobs.is_empty() {
        return (Vec::new(), Vec::new());
    }
    if let Err(e) = fs::create_dir_all(cache) {
        let d = Diagnostic::warning(
            "image-variants",
            format!(
                "cannot create the image cache `{}`: {e}; figures are sent at full size",
                cache.display()
            ),
        )
        .with_hint("make the output folder's parent folder writable");
        return (Vec::new(), vec![d]);
    }
    let results: Vec<(Vec<StaticFile>, Option<Diagnostic>)> = jobs
        .par_iter()
        .map(|f| match one_image(f, cache, &taken) {
            Ok(v) => (v, None),
            Err(message) => (
                Vec::new(),
                Some(
                    Diagnostic::warning(
                        "image-variants",
                        format!("no smaller copies of this image: {message}"),
                    )
                    .in_file(&f.rel)
                    .with_hint("the figure is sent at full size; re-save it as PNG or JPEG to fix"),
                ),
            ),
        })
        .collect();
    let mut files = Vec::new();
    let mut diags = Vec::new();
    for (v, d) in results {
        files.extend(v);
        diags.extend(d);
    }
    (files, diags)
}

/// The variants of one image: taken from the cache, or made and stored there.
fn one_image(
    f: &StaticFile,
    cache: &Path,
    taken: &std::collections::HashSet<&str>,
) -> Result<Vec<StaticFile>, String> {
    let Ok(size) = imagesize::size(&f.abs) else {
        return Err("its header cannot be read".into());
    };
    let (w, h) = (size.width as u64, size.height as u64);
    let wanted: Vec<u32> = widths_for(u32::try_from(w).unwrap_or(u32::MAX))
        .filter(|vw| !taken.contains(variant_path(&f.rel, *vw).as_str()))
        .filter(|vw| h * u64::from(*vw) / w.max(1) <= WEBP_MAX_SIDE)
        .collect();
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    let cached_in = |key: &str, vw: u32| cache.join(format!("{key}-{vw}.webp"));
    let stamp = Stamp::of(f, cache);
    if let Some(key) = stamp.as_ref().and_then(Stamp::known_key) {
        if wanted.iter().all(|vw| cached_in(&key, *vw).is_file()) {
            return listed(f, &wanted, |vw| cached_in(&key, vw));
        }
    }
    let mut bytes = fs::read(&f.abs).map_err(|e| format!("cannot read it: {e}"))?;
    let mut hasher = KeyHasher::default();
    hasher.bytes(&bytes);
    let key = format!("{:032x}", hasher.finish());
    let cached = |vw: u32| cached_in(&key, vw);
    let missing: Vec<u32> = wanted
        .iter()
        .copied()
        .filter(|vw| !cached(*vw).is_file())
        .collect();
    if !missing.is_empty() {
        if w * h > MAX_PIXELS {
            return Err(format!(
                "{w}×{h} pixels is more than the {MAX_PIXELS} this build decodes"
            ));
        }
        let image =
            image::load_from_memory(&bytes).map_err(|e| format!("cannot decode it: {e}"))?;
        bytes = Vec::new();
        for vw in missing {
            let vh = u32::try_from((h * u64::from(vw)).div_ceil(w.max(1)))
                .unwrap_or(1)
                .max(1);
            let small = image
                .resize_exact(vw, vh, image::imageops::FilterType::CatmullRom)
                .to_rgba8();
            let webp = webp::Encoder::from_rgba(small.as_raw(), vw, vh)
                .encode_simple(false, QUALITY)
                .map_err(|e| format!("cannot encode a {vw} px WebP copy: {e:?}"))?;
            let target = cached(vw);
            let tmp = target.with_extension(format!("webp.tmp{}", std::process::id()));
            fs::write(&tmp, &*webp)
                .and_then(|()| fs::rename(&tmp, &target))
                .map_err(|e| {
                    let _ = fs::remove_file(&tmp);
                    format!("cannot store its copy in `{}`: {e}", cache.display())
                })?;
        }
    }
    drop(bytes);
    if let Some(stamp) = stamp {
        stamp.remember(&key);
    }
    listed(f, &wanted, cached)
}

/// The site's static files for the variants `wanted` of `f`, found at `cached(width)`.
fn listed(
    f: &StaticFile,
    wanted: &[u32],
    cached: impl Fn(u32) -> PathBuf,
) -> Result<Vec<StaticFile>, String> {
    wanted
        .iter()
        .map(|&vw| {
            let abs = cached(vw);
            let len = fs::metadata(&abs)
                .map_err(|e| format!("its {vw} px copy vanished from the cache: {e}"))?
                .len();
            Ok(StaticFile {
                rel: variant_path(&f.rel, vw),
                abs,
                len,
            })
        })
        .collect()
}

/// What the cache remembers about an original so that a later build need not read and hash it:
/// its content key, valid while the file keeps its length and modification time (to the
/// nanosecond). One small file per original (named by a hash of its path), so that the images,
/// made in parallel, never write the same file. A stamp that cannot be read or written only
/// costs a re-hash.
struct Stamp {
    file: PathBuf,
    seen: String,
}

impl Stamp {
    fn of(f: &StaticFile, cache: &Path) -> Option<Stamp> {
        let meta = fs::metadata(&f.abs).ok()?;
        let mtime = meta
            .modified()
            .ok()?
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?;
        let mut path = KeyHasher::default();
        path.bytes(f.abs.as_os_str().as_encoded_bytes());
        Some(Stamp {
            file: cache.join(format!("{:032x}.stamp", path.finish())),
            seen: format!("{} {}", meta.len(), mtime.as_nanos()),
        })
    }

    /// The content key stored for this length and time, if the stamp file has one.
    fn known_key(&self) -> Option<String> {
        let text = fs::read_to_string(&self.file).ok()?;
        let (seen, key) = text.trim_end().rsplit_once(' ')?;
        (seen == self.seen && key.len() == 32 && key.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| key.to_string())
    }

    fn remember(&self, key: &str) {
        let tmp = self
            .file
            .with_extension(format!("stamp.tmp{}", std::process::id()));
        if fs::write(&tmp, format!("{} {key}\n", self.seen))
            .and_then(|()| fs::rename(&tmp, &self.file))
            .is_err()
        {
            let _ = fs::remove_file(&tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_are_named_like_the_old_site_s() {
        assert_eq!(
            variant_path("assets/img/2024-05-07-x/fig.v2.PNG", 480),
            "assets/img/2024-05-07-x/fig.v2-480.webp"
        );
        assert_eq!(widths_for(1000).collect::<Vec<_>>(), vec![480, 800]);
        assert_eq!(widths_for(480).count(), 0);
        assert!(is_raster_figure("assets/img/x/a.JPG"));
        assert!(!is_raster_figure("assets/img/x/a.gif"));
        assert!(!is_raster_figure("assets/html/x/a.png"));
        assert!(!is_raster_figure("assets/img/.png"));
    }

    #[test]
    fn the_link_checker_can_ask_for_a_variant_s_original() {
        let exists = |p: &str| p == "assets/img/x/fig.JPG";
        assert_eq!(
            variant_original("assets/img/x/fig-800.webp", exists).as_deref(),
            Some("assets/img/x/fig.JPG")
        );
        assert_eq!(variant_original("assets/img/x/fig-640.webp", exists), None);
        assert_eq!(
            variant_original("assets/img/x/other-800.webp", exists),
            None
        );
        assert_eq!(variant_original("assets/img/x/fig-800.png", exists), None);
    }

    #[test]
    fn srcset_lists_existing_variants_then_the_original() {
        let exists = |p: &str| p.ends_with("-480.webp") || p.ends_with("-800.webp");
        let (set, sizes) = srcset(
            "/2024/assets/img/x/a.png",
            "assets/img/x/a.png",
            2000,
            exists,
        )
        .unwrap_or_default();
        assert_eq!(
            set,
            "/2024/assets/img/x/a-480.webp 480w, /2024/assets/img/x/a-800.webp 800w, /2024/assets/img/x/a.png 2000w"
        );
        assert!(sizes.contains("992px"));
        assert_eq!(srcset("/a.png", "a.png", 400, |_| true), None);
    }

    /// Through the real encoder and cache folder: variants are made once, then found.
    #[test]
    fn variants_are_made_once_and_then_taken_from_the_cache() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
        let img_dir = dir.path().join("assets/img/p");
        fs::create_dir_all(&img_dir).unwrap_or_else(|e| panic!("{e}"));
        let png = img_dir.join("wide.png");
        image::RgbImage::from_fn(900, 300, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        })
        .save(&png)
        .unwrap_or_else(|e| panic!("{e}"));
        fs::write(img_dir.join("broken.png"), b"\x89PNG\r\n\x1a\nnot really")
            .unwrap_or_else(|e| panic!("{e}"));
        let statics: Vec<StaticFile> = ["wide.png", "broken.png"]
            .iter()
            .map(|n| StaticFile {
                rel: format!("assets/img/p/{n}"),
                abs: img_dir.join(n),
                len: 1,
            })
            .collect();
        let cache = dir.path().join("cache");
        let (files, diags) = variants(&statics, &cache);
        let rels: Vec<&str> = files.iter().map(|f| f.rel.as_str()).collect();
        assert_eq!(
            rels,
            vec!["assets/img/p/wide-480.webp", "assets/img/p/wide-800.webp"]
        );
        // Read back through its header (the build decodes PNG and JPEG only).
        let made = imagesize::size(&files[0].abs).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((made.width, made.height), (480, 160));
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].file.as_deref(), Some("assets/img/p/broken.png"));
        let stamp = fs::metadata(&files[0].abs).and_then(|m| m.modified()).ok();
        let (again, _) = variants(&statics, &cache);
        assert_eq!(again.len(), 2);
        assert_eq!(
            fs::metadata(&again[0].abs).and_then(|m| m.modified()).ok(),
            stamp,
            "not made twice"
        );
    }

    /// An unchanged original (same length and modification time) is not read again; a changed
    /// one gets new variants.
    #[test]
    fn the_stamp_spares_reading_unchanged_originals() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
        let img_dir = dir.path().join("assets/img");
        fs::create_dir_all(&img_dir).unwrap_or_else(|e| panic!("{e}"));
        let png = img_dir.join("a.png");
        let draw = |shade: u8| {
            image::RgbImage::from_fn(600, 200, |x, _| image::Rgb([(x % 256) as u8, shade, 0]))
                .save(&png)
                .unwrap_or_else(|e| panic!("{e}"));
        };
        draw(10);
        let statics = vec![StaticFile {
            rel: "assets/img/a.png".into(),
            abs: png.clone(),
            len: 1,
        }];
        let cache = dir.path().join("cache");
        let (first, _) = variants(&statics, &cache);
        assert_eq!(first.len(), 1);
        let stamps = fs::read_dir(&cache)
            .unwrap_or_else(|e| panic!("{e}"))
            .filter(|e| {
                e.as_ref()
                    .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "stamp"))
            })
            .count();
        assert_eq!(stamps, 1, "one stamp per original");
        // Same length and time, other bytes: the stamp is trusted, the file is not read.
        let meta = fs::metadata(&png).unwrap_or_else(|e| panic!("{e}"));
        let mut bytes = fs::read(&png).unwrap_or_else(|e| panic!("{e}"));
        let last = bytes.len() - 20;
        bytes[last] ^= 0xff;
        fs::write(&png, &bytes).unwrap_or_else(|e| panic!("{e}"));
        let set_time = |t| {
            fs::File::options()
                .write(true)
                .open(&png)
                .and_then(|f| f.set_modified(t))
                .unwrap_or_else(|e| panic!("{e}"));
        };
        set_time(meta.modified().unwrap_or_else(|e| panic!("{e}")));
        let (same, _) = variants(&statics, &cache);
        assert_eq!(
            same[0].abs, first[0].abs,
            "the unchanged stamp was not used"
        );
        // A real change (new time) is hashed again and gets its own variant.
        draw(200);
        set_time(std::time::SystemTime::now() + std::time::Duration::from_secs(5));
        let (changed, _) = variants(&statics, &cache);
        assert_ne!(
            changed[0].abs, first[0].abs,
            "a changed original kept its old variant"
        );
    }
}
