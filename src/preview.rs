//! `blogtrack preview`: the reviewers' build of one submission.
//!
//! From the loaded track it keeps only the one post (plus the site chrome it needs: stylesheet,
//! script, a blog index listing just it, archives, feed, 404, favicon), forces its authors to
//! "Anonymous" before rendering (so byline, metadata tags, JSON-LD, cite-this and feed all agree),
//! publishes only the post's own asset folders with image metadata removed ([`scrub`]: PNG text
//! and EXIF chunks, JPEG EXIF/XMP/IPTC/comments, SVG `<metadata>` and editor file names, WebP
//! EXIF/XMP chunks, GIF comments and XMP), marks every page `noindex` with a disallow-all
//! robots.txt, and serves everything under the URL prefix the organizer chose (`SLUG-PR/`).
//! Nothing from git is read or written.
//!
//! It does not check the submission (that is `blogtrack check`), and it does not try to find
//! identity in the post's prose: a name written in the body stays there. The output is a pure
//! function of the input files and options: no dates, no random names, stable order.

use crate::build::plan;
use crate::config::normalize_baseurl;
use crate::load::load_track;
use crate::meta::AuthorMeta;
use crate::model::Track;
use crate::site::OutFile;
use crate::write::{absolute, check_output_dir, write_site};
use blogtrack_diag::{Diagnostic, Diagnostics};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// What the organizer asked for.
#[derive(Debug, Clone)]
pub struct PreviewOptions {
    /// The track (a checkout of the pull request).
    pub source: PathBuf,
    /// The folder served at `base_url`; the preview goes to `output_root/PREFIX/`.
    pub output_root: PathBuf,
    /// The post: its slug (`2026-04-27-name`), URL name (`name`) or path (`_posts/….md`).
    pub post: String,
    /// URL prefix under `base_url`, e.g. `2026-04-27-name-123`. Default: SLUG, or SLUG-PR.
    pub prefix: Option<String>,
    /// Where `output_root` is published, e.g. `https://previews.example.org/2026` (optional:
    /// without it the links are site-absolute paths and the comment carries a path).
    pub base_url: Option<String>,
    /// Pull-request number, for the default prefix and the comment.
    pub pr: Option<u64>,
    /// Repository secret: the prefix becomes the submission's opaque token, a stamp is kept
    /// beside the preview, and the preview freezes at the submission deadline ([`crate::freeze`]).
    pub secret: Option<Vec<u8>>,
    /// The commit being previewed (named in the comment and sealed in the stamp).
    pub commit: Option<String>,
    /// The current time (seconds since the Unix epoch), for the freeze.
    pub now: i64,
}

/// What a preview build did.
#[derive(Debug)]
pub struct PreviewReport {
    /// Problems of the post, its bibliography, its assets and the config.
    pub diagnostics: Diagnostics,
    /// The post failed to render (it is not in the output).
    pub failed: bool,
    pub slug: String,
    pub title: String,
    /// The chosen prefix, without slashes.
    pub prefix: String,
    /// Where the preview was written (`output_root/PREFIX`).
    pub output: PathBuf,
    /// The post's URL: absolute with `base_url`, else site-absolute.
    pub post_url: String,
    pub files: usize,
    /// Images whose metadata was removed.
    pub images_scrubbed: usize,
    /// The Markdown comment for the pull request.
    pub comment: String,
    /// The deadline had passed and the published preview was left as it was (nothing written).
    pub frozen: bool,
}

/// Splits `https://host/a/b/` into (`https://host`, `/a/b`).
pub fn split_base_url(url: &str) -> Result<(String, String), Diagnostic> {
    let url = url.trim();
    let bad = || {
        Diagnostic::error("preview-base-url", format!("`{url}` is not an http(s) URL"))
            .with_hint("write it like `https://previews.example.org/2026`")
    };
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(bad)?;
    let scheme_len = url.len() - rest.len();
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    if host.is_empty() || host.contains(['?', '#', ' ', '"', '<', '>']) || path.contains(['?', '#'])
    {
        return Err(bad());
    }
    Ok((
        format!("{}{host}", &url[..scheme_len]),
        normalize_baseurl(path),
    ))
}

/// Checks an organizer's URL prefix: `/`-separated segments of ASCII letters, digits, `.`, `_`
/// and `-` (no `.`/`..` segments). Returns it without leading or trailing slashes.
pub fn validate_prefix(prefix: &str) -> Result<String, Diagnostic> {
    let p = prefix.trim().trim_matches('/');
    let ok = !p.is_empty()
        && p.split('/').all(|seg| {
            !seg.is_empty()
                && seg != "."
                && seg != ".."
                && seg
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        });
    if ok {
        Ok(p.to_string())
    } else {
        Err(Diagnostic::error(
            "preview-prefix",
            format!("`{prefix}` cannot be used as a URL prefix"),
        )
        .with_hint("use letters, digits, `-`, `_` and `.` only, e.g. `2026-04-27-name-123`"))
    }
}

/// Finds the post `key` names: slug, URL name, or path.
fn find_post(track: &Track, key: &str) -> Option<usize> {
    let key = key.trim().trim_start_matches("./");
    let stem = key
        .rsplit('/')
        .next()
        .unwrap_or(key)
        .trim_end_matches(".md")
        .trim_end_matches(".html");
    track
        .posts
        .iter()
        .position(|p| p.path == key || p.file_stem == stem)
        .or_else(|| track.posts.iter().position(|p| p.name == stem))
}

/// Reduces a loaded track to the anonymous preview of post `index`, published at
/// `url` + `baseurl`. Returns the post's slug.
pub fn reduce_track(track: &mut Track, index: usize, url: String, baseurl: String) -> String {
    let mut post = track.posts.swap_remove(index);
    post.meta.authors = vec![AuthorMeta {
        name: "Anonymous".into(),
        ..AuthorMeta::default()
    }];
    post.meta.hidden = false;
    post.meta.published = true;
    let slug = post.file_stem.clone();
    track.posts = vec![post];
    track.pages.clear();
    let keep_bib = track.posts[0].meta.bibliography.clone();
    track.bibs.retain(|name, _| Some(name) == keep_bib.as_ref());
    let icon = track.config.icon.as_ref().map(|i| {
        if i.contains('/') {
            i.trim_start_matches('/').to_string()
        } else {
            format!("assets/img/{i}")
        }
    });
    let own = [
        format!("assets/img/{slug}/"),
        format!("assets/html/{slug}/"),
    ];
    track.static_files.retain(|f| {
        own.iter().any(|p| f.rel.starts_with(p.as_str())) || Some(&f.rel) == icon.as_ref()
    });
    track.config.url = url;
    track.config.baseurl = baseurl;
    slug
}

/// Builds the preview.
pub fn preview(opts: &PreviewOptions) -> Result<PreviewReport, Diagnostic> {
    let out_root = absolute(&opts.output_root);
    let (mut track, load_diags) = load_track(&opts.source, std::slice::from_ref(&out_root))?;
    let Some(index) = find_post(&track, &opts.post) else {
        // A post whose front matter is broken is not in the track: show why.
        if let Some(d) = load_diags.iter().find(|d| {
            d.is_error()
                && d.file
                    .as_deref()
                    .is_some_and(|f| f.starts_with("_posts/") && f.contains(opts.post.trim()))
        }) {
            return Err(d.clone());
        }
        let names: Vec<&str> = track.posts.iter().map(|p| p.file_stem.as_str()).collect();
        let mut d = Diagnostic::error(
            "preview-post",
            format!("there is no post `{}` in this track", opts.post),
        );
        d = match crate::fields::did_you_mean(&opts.post, &names) {
            Some(s) => d.with_hint(format!("did you mean `{s}`?")),
            None => d.with_hint("give the post's slug, e.g. `--post 2026-04-27-name`"),
        };
        return Err(d);
    };
    let slug_of_index = track.posts[index].file_stem.clone();
    let prefix = match (&opts.prefix, &opts.secret) {
        (Some(p), _) => validate_prefix(p)?,
        (None, Some(secret)) => crate::freeze::token(secret, &slug_of_index),
        (None, None) => match opts.pr {
            Some(n) => format!("{slug_of_index}-{n}"),
            None => slug_of_index.clone(),
        },
    };
    let (url, base_path) = match &opts.base_url {
        Some(b) => split_base_url(b)?,
        None => (String::new(), String::new()),
    };
    let baseurl = normalize_baseurl(&format!("{base_path}/{prefix}"));
    let out_dir = opts.output_root.join(&prefix);
    check_output_dir(&out_dir, &opts.source)?;
    let deadline = track.config.track.dates.submission_deadline();
    let allowed = track
        .config
        .track
        .republish_after_deadline
        .contains(&slug_of_index);
    // Only the published previews (under a token) freeze: an author's own preview never does.
    let deadline = deadline.filter(|_| opts.secret.is_some());
    let decision = crate::freeze::decide(opts.now, deadline.map(|d| d.unix), allowed);
    if let (crate::freeze::Decision::Frozen, Some(deadline)) = (&decision, deadline) {
        let post = &track.posts[index];
        let post_url = crate::config::Config {
            url: url.clone(),
            baseurl: baseurl.clone(),
            ..Default::default()
        }
        .absolute_url(&post.url);
        let published = crate::freeze::read_stamp(&out_dir);
        let shown = match (&published, &opts.secret) {
            (Some(s), Some(secret)) => s.commit(secret, &prefix),
            _ => None,
        };
        let comment = crate::freeze::frozen_comment(
            &slug_of_index,
            &deadline.display(),
            (published.is_some() || out_dir.is_dir()).then_some(post_url.as_str()),
            opts.commit.as_deref(),
            shown.as_deref(),
        );
        return Ok(PreviewReport {
            diagnostics: Diagnostics(
                load_diags
                    .into_iter()
                    .filter(|d| d.file.as_deref() == Some("_config.yml"))
                    .collect(),
            ),
            failed: false,
            slug: slug_of_index,
            title: post.meta.title.clone(),
            prefix,
            output: out_dir,
            post_url,
            files: 0,
            images_scrubbed: 0,
            comment,
            frozen: true,
        });
    }

    let identity = identity_strings(&track.posts[index].meta.authors);
    let slug = reduce_track(&mut track, index, url, baseurl);
    let post = &track.posts[0];
    let relevant = |d: &Diagnostic| match d.file.as_deref() {
        Some(f) => {
            f == post.path
                || f == "_config.yml"
                || post
                    .meta
                    .bibliography
                    .as_deref()
                    .is_some_and(|b| f.strip_prefix("assets/bibliography/") == Some(b))
                || f.starts_with(&format!("assets/img/{slug}/"))
                || f.starts_with(&format!("assets/html/{slug}/"))
        }
        None => true,
    };
    let mut diagnostics = Diagnostics::default();
    diagnostics.extend(load_diags.into_iter().filter(|d| relevant(d)));

    let site = plan(&track, true);
    // Links are checked against what the preview publishes: a link to another post is broken here.
    let pages: Vec<&crate::site::OutFile> = site.files.iter().collect();
    diagnostics.extend(crate::build::check_site_links(
        &track,
        &pages,
        &site.origins,
    ));
    diagnostics.extend(site.diagnostics);
    let mut files = site.files;
    let progress =
        crate::progress::Progress::bar(track.static_files.len() as u64, "copying the post's files");
    let statics: Vec<Result<(OutFile, Scrubbed), Diagnostic>> = track
        .static_files
        .par_iter()
        .map(|f| {
            let bytes = std::fs::read(&f.abs).map_err(|e| {
                Diagnostic::error("io", format!("cannot read: {e}")).in_file(&f.rel)
            })?;
            let (content, changed) = scrub(&f.rel, bytes);
            progress.inc();
            Ok((
                OutFile {
                    path: f.rel.clone(),
                    content,
                },
                changed,
            ))
        })
        .collect();
    progress.finish();
    let mut images_scrubbed = 0;
    for s in statics {
        let (f, what) = s?;
        images_scrubbed += usize::from(what == Scrubbed::Removed);
        if what == Scrubbed::Unreadable {
            diagnostics.push(
                Diagnostic::warning(
                    "preview-image-unreadable",
                    "this image does not parse as its extension says, so its metadata could not be removed; it is published unchanged",
                )
                .in_file(&f.path)
                .with_hint("re-export the image with an image editor, or fix its file extension"),
            );
        }
        files.push(f);
    }
    diagnostics.extend(find_identity(&identity, &files));
    diagnostics.sort();
    let stats = write_site(&out_dir, &files, &[])?;

    let post_url = track.config.absolute_url(&post.url);
    let failed = site.posts_written == 0;
    let mut comment = comment(
        &post.meta.title,
        &slug,
        &post_url,
        opts.pr,
        diagnostics.errors(),
        diagnostics.warnings(),
        failed,
    );
    if !failed {
        if let Some(secret) = &opts.secret {
            let stamp = crate::freeze::Stamp::new(secret, &prefix, opts.commit.as_deref(), opts.pr);
            crate::freeze::write_stamp(&out_dir, &stamp)?;
        }
        comment.push_str(&crate::freeze::commit_note(
            opts.commit.as_deref(),
            matches!(
                decision,
                crate::freeze::Decision::Publish {
                    after_deadline: true
                }
            ),
        ));
    }
    Ok(PreviewReport {
        diagnostics,
        failed,
        slug,
        title: post.meta.title.clone(),
        prefix,
        output: out_dir,
        post_url,
        files: stats.files,
        images_scrubbed,
        comment,
        frozen: false,
    })
}

/// The author names, affiliations and URLs of the front matter, lowercased (short or
/// placeholder values are skipped: they would match everywhere).
pub fn identity_strings(authors: &[AuthorMeta]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |s: &str| {
        let t = s
            .trim()
            .trim_start_matches("https://")
            .trim_start_matches("http://")
            .trim_start_matches("www.")
            .trim_end_matches('/')
            .to_lowercase();
        if t.chars().count() >= 4 && t != "anonymous" && !out.contains(&t) {
            out.push(t);
        }
    };
    for a in authors {
        add(&a.name);
        a.url.iter().for_each(|u| add(u));
        for f in &a.affiliations {
            add(&f.name);
            f.url.iter().for_each(|u| add(u));
        }
    }
    out
}

/// Warns about identity that survives anonymization because the post itself carries it (its
/// body, its bibliography, its files): a self-citation, an acknowledgement, a repository link.
/// The preview does not rewrite the author's text; the organizer decides.
pub fn find_identity(identity: &[String], files: &[OutFile]) -> Vec<Diagnostic> {
    identity
        .iter()
        .filter_map(|needle| {
            let hits: Vec<&str> = files
                .iter()
                // The theme's own stylesheet and script are ours, not the author's.
                .filter(|f| !f.path.starts_with("assets/blogtrack/"))
                .filter(|f| contains_word(&String::from_utf8_lossy(&f.content).to_lowercase(), needle))
                .map(|f| f.path.as_str())
                .collect();
            let first = hits.first()?;
            Some(
                Diagnostic::warning(
                    "preview-identity",
                    format!(
                        "`{needle}` from the front matter's authors still appears in the preview ({} file(s), e.g. `{first}`)",
                        hits.len()
                    ),
                )
                .with_hint(
                    "the post's text, bibliography or files name an author: ask the authors to remove it before review",
                ),
            )
        })
        .collect()
}

/// Whether `needle` occurs in `hay` not glued to letters or digits (`apple` is not in
/// `pineapples`).
fn contains_word(hay: &str, needle: &str) -> bool {
    hay.match_indices(needle).any(|(i, m)| {
        let before = hay[..i].chars().next_back();
        let after = hay[i + m.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// Escapes text for a Markdown link label.
fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '!'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The pull-request comment that gives reviewers the link. The first line is an HTML comment a
/// bot can search for to update its earlier comment instead of adding a new one.
pub fn comment(
    title: &str,
    slug: &str,
    url: &str,
    pr: Option<u64>,
    errors: usize,
    warnings: usize,
    failed: bool,
) -> String {
    let mut s = format!("<!-- blogtrack-preview: {slug} -->\n");
    if failed {
        s.push_str(&format!(
            "**The preview of `{slug}` could not be built**: the post has errors. Run \
             `blogtrack check --post {slug}` locally to see them, fix them and push again.\n"
        ));
        return s;
    }
    s.push_str(&format!(
        "**Preview for reviewers:** [{}](<{url}>)\n\n",
        md_escape(title.trim())
    ));
    s.push_str(
        "This is the submission as it will appear on the site, with the authors shown as \
         *Anonymous*, image metadata removed, and search engines asked not to index it.\n",
    );
    if let Some(n) = pr {
        s.push_str(&format!("\nBuilt from pull request #{n}.\n"));
    }
    if errors + warnings > 0 {
        s.push_str(&format!(
            "\nThe build reported {errors} error(s) and {warnings} warning(s); authors can see \
             them with `blogtrack check --post {slug}`.\n"
        ));
    }
    s
}

/// What [`scrub`] did to a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scrubbed {
    /// Not an image format with metadata we remove (copied as it is).
    NotAnImage,
    /// An image without metadata to remove.
    Clean,
    /// Metadata was removed.
    Removed,
    /// The extension says PNG/JPEG/SVG/WebP/GIF but the file does not parse as one: copied
    /// unchanged.
    Unreadable,
}

/// Removes identifying metadata from an image, by file extension; other files are returned as
/// they are. A file that does not parse as its extension says is returned unchanged and
/// reported as [`Scrubbed::Unreadable`] so the caller can warn.
pub fn scrub(path: &str, bytes: Vec<u8>) -> (Vec<u8>, Scrubbed) {
    let ext = Path::new(path)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let cleaned = match ext.as_str() {
        "png" => scrub_png(&bytes),
        "jpg" | "jpeg" => scrub_jpeg(&bytes),
        "webp" => scrub_webp(&bytes),
        "gif" => scrub_gif(&bytes),
        "svg" => std::str::from_utf8(&bytes)
            .ok()
            .map(|s| scrub_svg(s).into_bytes()),
        _ => None,
    };
    match (ext.as_str(), cleaned) {
        ("png" | "jpg" | "jpeg" | "svg" | "webp" | "gif", None) => (bytes, Scrubbed::Unreadable),
        (_, None) => (bytes, Scrubbed::NotAnImage),
        (_, Some(c)) if c != bytes => (c, Scrubbed::Removed),
        (_, Some(_)) => (bytes, Scrubbed::Clean),
    }
}

/// PNG without its text (`tEXt`, `zTXt`, `iTXt`), `eXIf` and `tIME` chunks. `None` if the
/// chunk structure is broken.
pub fn scrub_png(b: &[u8]) -> Option<Vec<u8>> {
    const SIG: &[u8] = b"\x89PNG\r\n\x1a\n";
    if !b.starts_with(SIG) {
        return None;
    }
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(SIG);
    let mut i = SIG.len();
    while i < b.len() {
        let len = u32::from_be_bytes(b.get(i..i + 4)?.try_into().ok()?) as usize;
        let kind = b.get(i + 4..i + 8)?;
        let end = i.checked_add(12)?.checked_add(len)?;
        let chunk = b.get(i..end)?;
        if !matches!(kind, b"tEXt" | b"zTXt" | b"iTXt" | b"eXIf" | b"tIME") {
            out.extend_from_slice(chunk);
        }
        i = end;
        if kind == b"IEND" {
            break;
        }
    }
    Some(out)
}

/// WebP without its `EXIF` and `XMP ` chunks (and their flags in `VP8X` cleared, the RIFF size
/// recomputed). `None` if the RIFF structure is broken.
pub fn scrub_webp(b: &[u8]) -> Option<Vec<u8>> {
    if b.len() < 12 || &b[0..4] != b"RIFF" || &b[8..12] != b"WEBP" {
        return None;
    }
    let mut out = b[..12].to_vec();
    let mut i = 12;
    while i < b.len() {
        let kind = b.get(i..i + 4)?;
        let len = u32::from_le_bytes(b.get(i + 4..i + 8)?.try_into().ok()?) as usize;
        let padded = len.checked_add(len & 1)?;
        let end = i.checked_add(8)?.checked_add(padded)?;
        // The last chunk's padding byte is often missing in the wild.
        let chunk = b
            .get(i..end)
            .or_else(|| b.get(i..i.checked_add(8 + len)?))?;
        match kind {
            b"EXIF" | b"XMP " => {}
            b"VP8X" => {
                let at = out.len();
                out.extend_from_slice(chunk);
                if let Some(flags) = out.get_mut(at + 8) {
                    *flags &= !0x0C;
                }
            }
            _ => out.extend_from_slice(chunk),
        }
        i = end;
    }
    let size = u32::try_from(out.len() - 8).ok()?;
    out[4..8].copy_from_slice(&size.to_le_bytes());
    Some(out)
}

/// GIF without comment extensions and XMP application extensions (the looping and frame
/// extensions are kept). `None` if the block structure is broken.
pub fn scrub_gif(b: &[u8]) -> Option<Vec<u8>> {
    if !(b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a")) {
        return None;
    }
    let table = |packed: u8| {
        if packed & 0x80 != 0 {
            3usize << ((packed & 7) + 1)
        } else {
            0
        }
    };
    // Sub-blocks from `i` to their zero terminator: the index after it.
    let sub_blocks_end = |mut i: usize| -> Option<usize> {
        loop {
            let n = *b.get(i)? as usize;
            i += 1 + n;
            if n == 0 {
                return Some(i);
            }
        }
    };
    let mut i = 13 + table(*b.get(10)?);
    let mut out = b.get(..i)?.to_vec();
    loop {
        match *b.get(i)? {
            0x3B => {
                out.push(0x3B);
                return Some(out);
            }
            0x2C => {
                let packed = *b.get(i + 9)?;
                // Descriptor, local colour table, LZW code size, then the data sub-blocks.
                let end = sub_blocks_end(i + 10 + table(packed) + 1)?;
                out.extend_from_slice(b.get(i..end)?);
                i = end;
            }
            0x21 => {
                let label = *b.get(i + 1)?;
                let end = sub_blocks_end(i + 2)?;
                let xmp = label == 0xFF && b.get(i + 3..i + 14) == Some(&b"XMP DataXMP"[..]);
                if label != 0xFE && !xmp {
                    out.extend_from_slice(b.get(i..end)?);
                }
                i = end;
            }
            _ => return None,
        }
    }
}

/// JPEG without comments and application segments other than JFIF (APP0), ICC profiles (APP2)
/// and Adobe colour information (APP14). `None` if the segment structure is broken.
pub fn scrub_jpeg(b: &[u8]) -> Option<Vec<u8>> {
    if !b.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(&[0xFF, 0xD8]);
    let mut i = 2;
    loop {
        // Markers may be padded with extra 0xFF bytes.
        if *b.get(i)? != 0xFF {
            return None;
        }
        while b.get(i + 1) == Some(&0xFF) {
            i += 1;
        }
        let marker = *b.get(i + 1)?;
        match marker {
            0xD9 => {
                out.extend_from_slice(&[0xFF, 0xD9]);
                return Some(out);
            }
            0x01 | 0xD0..=0xD7 => {
                out.extend_from_slice(&[0xFF, marker]);
                i += 2;
                continue;
            }
            _ => {}
        }
        let len = u16::from_be_bytes([*b.get(i + 2)?, *b.get(i + 3)?]) as usize;
        if len < 2 {
            return None;
        }
        let end = i + 2 + len;
        let seg = b.get(i..end)?;
        let keep = match marker {
            0xE0 | 0xEE => true,
            0xE2 => seg.get(4..16) == Some(b"ICC_PROFILE\0"),
            0xE1 | 0xE3..=0xED | 0xEF | 0xFE => false,
            _ => true,
        };
        if keep {
            out.extend_from_slice(seg);
        }
        if marker == 0xDA {
            // Start of scan: the compressed data (and any later scans) follow as they are.
            out.extend_from_slice(&b[end..]);
            return Some(out);
        }
        i = end;
    }
}

/// SVG without `<metadata>` elements (where editors put author, licence and RDF) and without
/// the attributes in which Inkscape records local file names.
pub fn scrub_svg(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(start) = find_tag(rest, "metadata") {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let open_end = match after.find('>') {
            Some(e) => e,
            None => {
                rest = "";
                break;
            }
        };
        if after[..open_end].ends_with('/') {
            rest = &after[open_end + 1..];
            continue;
        }
        let name_end = after[1..]
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .map(|e| e + 1)
            .unwrap_or(after.len());
        let close = format!("</{}", &after[1..name_end]);
        rest = match after.find(&close) {
            Some(c) => match after[c..].find('>') {
                Some(e) => &after[c + e + 1..],
                None => "",
            },
            None => "",
        };
    }
    out.push_str(rest);
    let mut s = out;
    for attr in [
        "sodipodi:docname",
        "inkscape:export-filename",
        "sodipodi:absref",
    ] {
        s = remove_attr(&s, attr);
    }
    s
}

/// Byte offset of the next `<metadata` or `<prefix:metadata` start tag.
fn find_tag(s: &str, local: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = s[from..].find('<') {
        let at = from + i;
        let name: String = s[at + 1..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || matches!(c, ':' | '-' | '_' | '.'))
            .collect();
        let localname = name.rsplit(':').next().unwrap_or("");
        if localname.eq_ignore_ascii_case(local) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

fn remove_attr(s: &str, name: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(name) {
        let before = &rest[..i];
        let after = &rest[i + name.len()..];
        let preceded_by_space = before.ends_with(|c: char| c.is_whitespace());
        let value = after.trim_start().strip_prefix('=').map(str::trim_start);
        match (preceded_by_space, value) {
            (true, Some(v)) if v.starts_with(['"', '\'']) => {
                let q = v.chars().next().unwrap_or('"');
                match v[1..].find(q) {
                    Some(end) => {
                        out.push_str(before.trim_end());
                        let consumed = after.len() - v.len() + 1 + end + 1;
                        rest = &after[consumed..];
                    }
                    None => {
                        out.push_str(rest);
                        rest = "";
                    }
                }
            }
            _ => {
                out.push_str(&rest[..i + name.len()]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png_chunk(kind: &[u8], data: &[u8]) -> Vec<u8> {
        let mut c = (data.len() as u32).to_be_bytes().to_vec();
        c.extend_from_slice(kind);
        c.extend_from_slice(data);
        c.extend_from_slice(&[0, 0, 0, 0]);
        c
    }

    #[test]
    fn png_text_chunks_are_dropped_and_pixels_kept() {
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend(png_chunk(b"IHDR", &[0; 13]));
        png.extend(png_chunk(b"tEXt", b"Author\0Jane Roe"));
        png.extend(png_chunk(b"IDAT", b"pixels"));
        png.extend(png_chunk(b"iTXt", b"XML:com.adobe.xmp\0\0\0\0\0<x>"));
        png.extend(png_chunk(b"IEND", b""));
        let (out, what) = scrub("a.png", png);
        assert_eq!(what, Scrubbed::Removed);
        let text = String::from_utf8_lossy(&out);
        assert!(!text.contains("Jane Roe") && !text.contains("xmp"));
        assert!(text.contains("pixels") && text.contains("IHDR") && text.contains("IEND"));
    }

    #[test]
    fn jpeg_exif_and_comments_are_dropped() {
        let mut j = vec![0xFF, 0xD8];
        j.extend([0xFF, 0xE0, 0, 7]);
        j.extend(b"JFIF\0");
        j.extend([0xFF, 0xE1, 0, 14]);
        j.extend(b"Exif\0\0Jane R");
        j.extend([0xFF, 0xFE, 0, 6]);
        j.extend(b"Roe!");
        j.extend([0xFF, 0xDA, 0, 4, 1, 2]);
        j.extend(b"scan-data");
        j.extend([0xFF, 0xD9]);
        let (out, what) = scrub("photo.JPG", j);
        assert_eq!(what, Scrubbed::Removed);
        let text = String::from_utf8_lossy(&out);
        assert!(!text.contains("Jane") && !text.contains("Roe"));
        assert!(text.contains("JFIF") && text.contains("scan-data"));
    }

    #[test]
    fn webp_exif_and_xmp_chunks_are_dropped_and_flags_cleared() {
        let chunk = |kind: &[u8], data: &[u8]| {
            let mut c = kind.to_vec();
            c.extend((data.len() as u32).to_le_bytes());
            c.extend(data);
            if data.len() % 2 == 1 {
                c.push(0);
            }
            c
        };
        let mut body = b"WEBP".to_vec();
        body.extend(chunk(b"VP8X", &[0x0C, 0, 0, 0, 1, 0, 0, 1, 0, 0]));
        body.extend(chunk(b"VP8 ", b"pixels"));
        body.extend(chunk(b"EXIF", b"Artist=Jane Roe"));
        body.extend(chunk(b"XMP ", b"<dc:creator>Jane</dc:creator>"));
        let mut webp = b"RIFF".to_vec();
        webp.extend((body.len() as u32).to_le_bytes());
        webp.extend(body);
        let (out, what) = scrub("fig.webp", webp);
        assert_eq!(what, Scrubbed::Removed);
        let text = String::from_utf8_lossy(&out);
        assert!(!text.contains("Jane"), "{text}");
        assert!(text.contains("pixels") && text.contains("VP8X"));
        assert_eq!(out[20] & 0x0C, 0, "EXIF and XMP flags cleared");
        let riff = u32::from_le_bytes(out[4..8].try_into().unwrap()) as usize;
        assert_eq!(riff, out.len() - 8);
        assert_eq!(
            scrub("x.webp", b"RIFF\x04\0\0\0WEBP".to_vec()).1,
            Scrubbed::Clean
        );
        assert_eq!(
            scrub("x.webp", b"RIFF\0\0\0\0WEBPVP8 \xff".to_vec()).1,
            Scrubbed::Unreadable
        );
    }

    #[test]
    fn gif_comments_and_xmp_are_dropped_and_frames_kept() {
        let mut gif = b"GIF89a".to_vec();
        gif.extend([1, 0, 1, 0, 0x80, 0, 0]); // 1x1, a global table of 2 colours
        gif.extend([0, 0, 0, 255, 255, 255]);
        gif.extend([0x21, 0xFF, 11]);
        gif.extend(b"NETSCAPE2.0");
        gif.extend([3, 1, 0, 0, 0]);
        gif.extend([0x21, 0xFE, 8]);
        gif.extend(b"Jane Roe");
        gif.push(0);
        gif.extend([0x21, 0xFF, 11]);
        gif.extend(b"XMP DataXMP");
        gif.extend([6]);
        gif.extend(b"<Jane>");
        gif.push(0);
        gif.extend([0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0]); // one frame, no local table
        gif.extend([2, 2, 0x4C, 0x01, 0]); // LZW size, one data block, end
        gif.push(0x3B);
        let (out, what) = scrub("anim.gif", gif);
        assert_eq!(what, Scrubbed::Removed);
        let text = String::from_utf8_lossy(&out);
        assert!(!text.contains("Jane"), "{text}");
        assert!(text.contains("NETSCAPE2.0"));
        assert!(out.ends_with(&[0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x4C, 0x01, 0, 0x3B]));
        assert_eq!(scrub("x.gif", b"GIF89a".to_vec()).1, Scrubbed::Unreadable);
    }

    #[test]
    fn broken_images_are_left_alone_and_reported() {
        let (out, what) = scrub("x.png", b"not a png".to_vec());
        assert_eq!(what, Scrubbed::Unreadable);
        assert_eq!(out, b"not a png");
        let (_, what) = scrub("x.jpg", vec![0xFF, 0xD8, 0xFF, 0xE1, 0xFF]);
        assert_eq!(what, Scrubbed::Unreadable);
        assert_eq!(scrub("x.pdf", b"%PDF".to_vec()).1, Scrubbed::NotAnImage);
    }

    #[test]
    fn svg_metadata_and_editor_file_names_are_dropped() {
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" sodipodi:docname=\"jane.svg\" inkscape:export-filename='/home/jane/fig.png' width=\"2\">\n<metadata id=\"m\"><rdf:RDF><dc:creator>Jane Roe</dc:creator></rdf:RDF></metadata><rect/></svg>";
        let out = scrub_svg(svg);
        assert!(!out.contains("jane") && !out.contains("Jane"), "{out}");
        assert!(out.contains("<rect/>") && out.contains("width=\"2\""));
    }

    #[test]
    fn identity_is_matched_as_whole_words_outside_the_theme() {
        assert!(contains_word("thanks to apple, inc.", "apple"));
        assert!(!contains_word("pineapples", "apple"));
        let files = vec![
            OutFile::text("assets/blogtrack/theme.css", "font: -apple-system".into()),
            OutFile::text("blog/x/index.html", "grown pineapples".into()),
        ];
        assert!(find_identity(&["apple".into()], &files).is_empty());
        let files = vec![OutFile::text("blog/x/index.html", "Apple Research".into())];
        assert_eq!(find_identity(&["apple".into()], &files).len(), 1);
    }

    #[test]
    fn prefixes_and_base_urls() {
        assert_eq!(
            validate_prefix("/slug-12/").ok().as_deref(),
            Some("slug-12")
        );
        assert!(validate_prefix("../x").is_err());
        assert!(validate_prefix("a b").is_err());
        assert!(validate_prefix("").is_err());
        let (u, p) = split_base_url("https://previews.example.org/2026/").unwrap_or_default();
        assert_eq!(
            (u.as_str(), p.as_str()),
            ("https://previews.example.org", "/2026")
        );
        assert!(split_base_url("previews.example.org").is_err());
    }

    #[test]
    fn the_comment_links_the_preview_and_escapes_the_title() {
        let c = comment(
            "A [draft] *post*",
            "2026-04-27-x",
            "https://p.org/x/",
            Some(7),
            0,
            0,
            false,
        );
        assert!(c.starts_with("<!-- blogtrack-preview: 2026-04-27-x -->\n"));
        assert!(c.contains("[A \\[draft\\] \\*post\\*](<https://p.org/x/>)"));
        assert!(c.contains("#7"));
        let failed = comment("t", "s", "u", None, 1, 0, true);
        assert!(failed.contains("could not be built"));
    }
}
