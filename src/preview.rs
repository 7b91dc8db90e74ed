//! `blogtrack preview`: the reviewers' build of one submission.
//!
//! From the loaded track it keeps only the one post (plus the site chrome it needs: stylesheet,
//! script, a blog index listing just it, archives, feed, 404, favicon), forces its authors to
//! "Anonymous" before rendering (so byline, metadata tags, JSON-LD, cite-this and feed all agree),
//! publishes only the post's own asset folders with identifying metadata removed by the gate's
//! per-format scrubbers (`blogtrack_gate::scrub_file`: PNG, JPEG, GIF, WebP, PDF, SVG, HTML
//! figures, notebooks; a file that cannot be cleaned is left out, as an error), marks every page `noindex` with a disallow-all
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
use blogtrack_gate::{scrub_file, FileType, Scrub};
use rayon::prelude::*;
use std::path::PathBuf;

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
    /// What metadata was removed, per file type.
    pub removed: MetadataRemoved,
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
        return Err(no_such_post(&track, &load_diags, &opts.post));
    };
    let slug_of_index = track.posts[index].file_stem.clone();
    let (prefix, url, baseurl, out_dir) = destination(opts, &slug_of_index)?;
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
        let at = Frozen {
            slug: slug_of_index,
            prefix,
            out_dir,
            url,
            baseurl,
        };
        return Ok(frozen_report(
            &track,
            index,
            load_diags,
            opts,
            at,
            &deadline.display(),
        ));
    }

    let identity = identity_strings(&track.posts[index].meta.authors);
    let slug = reduce_track(&mut track, index, url, baseurl);
    // Reviewers read on phones too: the post's figures get the site's smaller WebP copies
    // (decoded pixels re-encoded, so they carry no metadata), from the same cache as `build`.
    let (variants, image_diags) = crate::build::images::variants(
        &track.static_files,
        &crate::build::images::cache_dir(&out_root),
    );
    track.static_files.extend(variants);
    let post = &track.posts[0];
    let mut diagnostics = Diagnostics::default();
    diagnostics.extend(load_diags.into_iter().filter(|d| concerns(post, &slug, d)));
    diagnostics.extend(image_diags);

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
    let removed = copy_scrubbed(&track, &mut files, &mut diagnostics)?;
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
        comment.push_str(&published(opts, &prefix, &out_dir, &decision)?);
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
        removed,
        comment,
        frozen: false,
    })
}

/// Where the preview of the post `slug` goes: its folder name under the output root (the
/// `--prefix`, the secret token, or the slug with the pull request's number), the site URL and
/// baseurl it is built for, and its output folder.
fn destination(
    opts: &PreviewOptions,
    slug: &str,
) -> Result<(String, String, String, PathBuf), Diagnostic> {
    let prefix = match (&opts.prefix, &opts.secret) {
        (Some(p), _) => validate_prefix(p)?,
        (None, Some(secret)) => crate::freeze::token(secret, slug),
        (None, None) => match opts.pr {
            Some(n) => format!("{slug}-{n}"),
            None => slug.to_string(),
        },
    };
    let (url, base_path) = match &opts.base_url {
        Some(b) => split_base_url(b)?,
        None => (String::new(), String::new()),
    };
    let baseurl = normalize_baseurl(&format!("{base_path}/{prefix}"));
    let out_dir = opts.output_root.join(&prefix);
    Ok((prefix, url, baseurl, out_dir))
}

/// Whether a load diagnostic concerns the previewed post: its file, its bibliography, its
/// assets or the config (the rest of the track is not the author's business here).
fn concerns(post: &crate::model::Post, slug: &str, d: &Diagnostic) -> bool {
    match d.file.as_deref() {
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
    }
}

/// After a preview is written: the freeze stamp of a published preview, and the comment's note
/// on which commit it shows.
fn published(
    opts: &PreviewOptions,
    prefix: &str,
    out_dir: &std::path::Path,
    decision: &crate::freeze::Decision,
) -> Result<String, Diagnostic> {
    if let Some(secret) = &opts.secret {
        let stamp = crate::freeze::Stamp::new(secret, prefix, opts.commit.as_deref(), opts.pr);
        crate::freeze::write_stamp(out_dir, &stamp)?;
    }
    Ok(crate::freeze::commit_note(
        opts.commit.as_deref(),
        matches!(
            decision,
            crate::freeze::Decision::Publish {
                after_deadline: true
            }
        ),
    ))
}

/// Adds the preview's static files to `files`, each with its metadata removed; a file whose
/// metadata cannot be removed is left out with an error (it could carry the authors' names).
fn copy_scrubbed(
    track: &Track,
    files: &mut Vec<OutFile>,
    diagnostics: &mut Diagnostics,
) -> Result<MetadataRemoved, Diagnostic> {
    let progress =
        crate::progress::Progress::bar(track.static_files.len() as u64, "copying the post's files");
    let statics: Vec<Result<Copied, Diagnostic>> = track
        .static_files
        .par_iter()
        .map(|f| {
            let bytes = std::fs::read(&f.abs).map_err(|e| {
                Diagnostic::error("io", format!("cannot read: {e}")).in_file(&f.rel)
            })?;
            let scrub = scrub_file(&bytes, &f.rel);
            progress.inc();
            Ok((
                OutFile {
                    path: f.rel.clone(),
                    content: bytes,
                },
                scrub,
            ))
        })
        .collect();
    progress.finish();
    let mut removed = MetadataRemoved::default();
    for s in statics {
        let (mut f, scrub) = s?;
        match scrub {
            Some((kind, Scrub::Removed { bytes, items })) => {
                f.content = bytes;
                removed.add(kind, items);
            }
            Some((kind, Scrub::Failed(reason))) => {
                // Published as it is, it could carry the authors' names: left out.
                diagnostics.push(
                    Diagnostic::error(
                        "preview-uncleanable",
                        format!(
                            "this {} file's metadata cannot be removed ({reason}), so it is left out of the preview",
                            kind.label()
                        ),
                    )
                    .in_file(&f.path)
                    .with_hint("re-export the file (or fix its extension); `blogtrack check` reports the same as anon-uncleanable"),
                );
                continue;
            }
            Some((_, Scrub::Clean)) | None => {}
        }
        files.push(f);
    }
    Ok(removed)
}

/// Why `post` cannot be previewed: its front matter is broken (the load's error says why), or
/// no post has that name (the closest one is suggested).
fn no_such_post(track: &Track, load_diags: &[Diagnostic], post: &str) -> Diagnostic {
    if let Some(d) = load_diags.iter().find(|d| {
        d.is_error()
            && d.file
                .as_deref()
                .is_some_and(|f| f.starts_with("_posts/") && f.contains(post.trim()))
    }) {
        return d.clone();
    }
    let names: Vec<&str> = track.posts.iter().map(|p| p.file_stem.as_str()).collect();
    let d = Diagnostic::error(
        "preview-post",
        format!("there is no post `{post}` in this track"),
    );
    match crate::fields::did_you_mean(post, &names) {
        Some(s) => d.with_hint(format!("did you mean `{s}`?")),
        None => d.with_hint("give the post's slug, e.g. `--post 2026-04-27-name`"),
    }
}

/// Where a frozen preview would have gone.
struct Frozen {
    slug: String,
    prefix: String,
    out_dir: PathBuf,
    url: String,
    baseurl: String,
}

/// The report of a preview left as it was because the submission deadline has passed: nothing
/// is written, the comment says which version reviewers see.
fn frozen_report(
    track: &Track,
    index: usize,
    load_diags: Vec<Diagnostic>,
    opts: &PreviewOptions,
    at: Frozen,
    deadline: &str,
) -> PreviewReport {
    let post = &track.posts[index];
    let post_url = crate::config::Config {
        url: at.url,
        baseurl: at.baseurl,
        ..Default::default()
    }
    .absolute_url(&post.url);
    let published = crate::freeze::read_stamp(&at.out_dir);
    let shown = match (&published, &opts.secret) {
        (Some(s), Some(secret)) => s.commit(secret, &at.prefix),
        _ => None,
    };
    let comment = crate::freeze::frozen_comment(
        &at.slug,
        deadline,
        (published.is_some() || at.out_dir.is_dir()).then_some(post_url.as_str()),
        opts.commit.as_deref(),
        shown.as_deref(),
    );
    PreviewReport {
        diagnostics: Diagnostics(
            load_diags
                .into_iter()
                .filter(|d| d.file.as_deref() == Some("_config.yml"))
                .collect(),
        ),
        failed: false,
        slug: at.slug,
        title: post.meta.title.clone(),
        prefix: at.prefix,
        output: at.out_dir,
        post_url,
        files: 0,
        removed: MetadataRemoved::default(),
        comment,
        frozen: true,
    }
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
         *Anonymous*, file metadata removed, and search engines asked not to index it.\n",
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

/// A file of the post as read, and what its scrub found (`None`: no format with metadata).
type Copied = (OutFile, Option<(FileType, Scrub)>);

/// Files cleaned and metadata items removed, per file type (the preview's summary).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MetadataRemoved(pub std::collections::BTreeMap<FileType, (usize, usize)>);

impl MetadataRemoved {
    fn add(&mut self, kind: FileType, items: usize) {
        let e = self.0.entry(kind).or_default();
        e.0 += 1;
        e.1 += items;
    }

    /// Files cleaned in all.
    pub fn files(&self) -> usize {
        self.0.values().map(|(f, _)| f).sum()
    }

    /// `2 PNG (5 items), 1 PDF (3 items)`, or `none`.
    pub fn summary(&self) -> String {
        if self.0.is_empty() {
            return "none".to_string();
        }
        self.0
            .iter()
            .map(|(k, (files, items))| format!("{files} {} ({items} item(s))", k.label()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
