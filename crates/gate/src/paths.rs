//! Path and name rules of a submission (FORMAT.md §9), matched exactly.
//!
//! A submission with `SLUG = YYYY-MM-DD-name` may add, change or delete only `_posts/SLUG.md`
//! (or `.html`), files under `assets/img/SLUG/` and `assets/html/SLUG/` at any depth, and
//! `assets/bibliography/SLUG.bib`. Paths are compared component by component, never as
//! prefixes of strings, so `assets/img/SLUG-other/x.png` and `_posts/SLUG.md.bak` are outside.
//! Common near misses (upper case, `_` for `-`, wrong or missing date, `.markdown`, nested
//! `_posts/_posts/`, `assets/images/`, a file directly in `assets/img/`, a second post, theme
//! files) get a specific message and the exact fix.
//!
//! The rules only look at paths: whether the post's content is valid is the content checks'
//! job, and whether files are anonymous is `identity`'s and `metadata`'s.

use std::collections::BTreeMap;

use blogtrack_diag::Diagnostic;

use crate::changes::{Change, ChangeKind, EntryKind};
use crate::escape::{display_path, is_hostile_char};

/// What the rules need to know about the track.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PathPolicy {
    /// The date every post of the track carries (`2025-04-28`); any valid date when `None`.
    pub post_date: Option<String>,
}

const ALLOWED: &str = "a submission may only touch _posts/SLUG.md (or .html), assets/img/SLUG/, \
                       assets/html/SLUG/ and assets/bibliography/SLUG.bib";

/// Stands for "no slug known": no path can contain it after the checks above.
const NO_SLUG: &str = "\u{0}";

const POST_EXTENSIONS: [&str; 2] = [".md", ".html"];
const NEAR_POST_EXTENSIONS: [&str; 6] = [".markdown", ".mdown", ".mkd", ".htm", ".txt", ".rmd"];
const WRONG_ASSET_DIRS: [&str; 16] = [
    "images",
    "image",
    "imgs",
    "figures",
    "figure",
    "figs",
    "fig",
    "pictures",
    "pics",
    "htmls",
    "bib",
    "bibliographies",
    "bibtex",
    "videos",
    "video",
    "gifs",
];
const ORGANIZER_DIRS: [&str; 4] = ["bin", "blog", "assets/js", "assets/css"];
const JUNK_FILES: [&str; 5] = [
    ".DS_Store",
    "Thumbs.db",
    "desktop.ini",
    "__MACOSX",
    ".ipynb_checkpoints",
];

/// Splits `file` into the stem and a post extension (`.md`/`.html`, any case, or a near miss
/// such as `.markdown`), if it has one.
fn post_stem(file: &str) -> Option<(&str, &str)> {
    let lower = file.to_ascii_lowercase();
    POST_EXTENSIONS
        .iter()
        .chain(NEAR_POST_EXTENSIONS.iter())
        .find(|ext| lower.len() > ext.len() && lower.ends_with(*ext))
        .map(|ext| file.split_at(file.len() - ext.len()))
}

/// A post file directly in `_posts/`: (stem, extension as written).
fn post_file(path: &str) -> Option<(&str, &str)> {
    let file = path.strip_prefix("_posts/")?;
    if file.contains('/') {
        return None;
    }
    post_stem(file)
}

fn is_deleted(c: &Change) -> bool {
    c.kind == ChangeKind::Deleted
}

/// The folder or file stem a path gives to a post, if it is one of the submission places.
fn owner_of(path: &str) -> Option<&str> {
    for dir in ["assets/img/", "assets/html/"] {
        if let Some(rest) = path.strip_prefix(dir) {
            return rest.split_once('/').map(|(folder, _)| folder);
        }
    }
    path.strip_prefix("assets/bibliography/")
        .and_then(|f| f.strip_suffix(".bib"))
        .filter(|s| !s.contains('/'))
}

/// The slug the submission is about: the stem of its post file or, when no post changed, the
/// folder most of its assets are in. Deleted files do not count.
pub fn infer_slug(changes: &[Change], _policy: &PathPolicy) -> Option<String> {
    let live = || changes.iter().filter(|c| !is_deleted(c));
    let mut owned: BTreeMap<&str, usize> = BTreeMap::new();
    for c in live() {
        if let Some(o) = owner_of(&c.path) {
            *owned.entry(o).or_default() += 1;
        }
    }
    let posts: Vec<(&str, &str)> = live().filter_map(|c| post_file(&c.path)).collect();
    if !posts.is_empty() {
        return posts
            .iter()
            .max_by_key(|(stem, ext)| {
                let exact = POST_EXTENSIONS.contains(ext);
                let assets = owned.get(stem).copied().unwrap_or(0);
                (exact, assets, std::cmp::Reverse(*stem))
            })
            .map(|(stem, _)| stem.to_string());
    }
    if let Some(slug) = owned
        .iter()
        .max_by_key(|(stem, n)| (**n, std::cmp::Reverse(**stem)))
        .map(|(stem, _)| stem.to_string())
    {
        return Some(slug);
    }
    // A post in the wrong place (`_posts/_posts/x.md`, `posts/x.md`, `x.md` at the root).
    live()
        .filter_map(|c| {
            let parts: Vec<&str> = c.path.split('/').collect();
            let first = parts.first().copied().unwrap_or("").to_ascii_lowercase();
            let (stem, _) = post_stem(parts.last()?)?;
            let placed = ["_posts", "_post", "posts", "post"].contains(&first.as_str());
            (placed || (parts.len() == 1 && split_date(stem).is_some())).then_some(stem)
        })
        .min()
        .map(str::to_string)
}

/// `YYYY-MM-DD` at the start of `name` followed by `-` (or another separator), with the rest.
fn split_date(name: &str) -> Option<(&str, &str)> {
    let b = name.as_bytes();
    if b.len() < 11 {
        return None;
    }
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    let seps = [b[4], b[7]].iter().all(|&s| s == b'-' || s == b'_');
    if !(digits(0..4)
        && digits(5..7)
        && digits(8..10)
        && seps
        && matches!(b[10], b'-' | b'_' | b' '))
    {
        return None;
    }
    Some((&name[..10], &name[11..]))
}

fn valid_date(date: &str) -> bool {
    let b = date.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |s: &str| s.parse::<u32>().ok();
    match (num(&date[0..4]), num(&date[5..7]), num(&date[8..10])) {
        (Some(_), Some(m), Some(d)) => (1..=12).contains(&m) && (1..=31).contains(&d),
        _ => false,
    }
}

/// The slug an author most likely meant: lowercase, `-` for `_`, spaces and dots, other
/// characters dropped, the track's date in front.
pub(crate) fn canonical_slug(name: &str, policy: &PathPolicy) -> String {
    let (date, rest) = match split_date(name) {
        Some((d, r)) => (Some(d.replace('_', "-")), r),
        None => (None, name),
    };
    let mut out = String::new();
    for c in rest.chars().flat_map(char::to_lowercase) {
        let c = match c {
            '_' | ' ' | '.' => '-',
            c if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' => c,
            _ => continue,
        };
        if !(c == '-' && (out.is_empty() || out.ends_with('-'))) {
            out.push(c);
        }
    }
    let out = out.trim_end_matches('-');
    let date = policy
        .post_date
        .clone()
        .or(date)
        .unwrap_or_else(|| "YYYY-MM-DD".to_string());
    format!("{date}-{out}")
}

/// Problems with the slug itself, reported once on the file that carries it (`None`: no file
/// of the pull request carries the slug as such, the diagnostic has no file).
fn check_slug(slug: &str, file: Option<&str>, policy: &PathPolicy) -> Vec<Diagnostic> {
    let on_file = |d: Diagnostic| match file {
        Some(f) => d.in_file(f),
        None => d,
    };
    let mut out = Vec::new();
    let fixed = canonical_slug(slug, policy);
    let shown = display_path(slug);
    let mut issues = Vec::new();
    let rest = match split_date(slug) {
        Some((date, rest)) => {
            if date.contains('_') {
                issues.push("underscores in the date");
            } else if !valid_date(date) {
                issues.push("a date that does not exist");
            } else if let Some(want) = &policy.post_date {
                if date != want {
                    out.push(
                        on_file(Diagnostic::error(
                            "path-post-date",
                            format!("the post is dated {date}, but the track's posts are dated {want}"),
                        ))
                        .with_hint(format!("rename it to {fixed} (in the post, image, html and bibliography names alike)")),
                    );
                }
            }
            rest
        }
        None => {
            issues.push("no date in front");
            slug
        }
    };
    if rest.chars().any(|c| c.is_uppercase()) {
        issues.push("upper-case letters");
    }
    if rest.contains('_') {
        issues.push("underscores");
    }
    if rest.contains(' ') {
        issues.push("spaces");
    }
    if rest
        .chars()
        .any(|c| !(c.is_alphanumeric() || c == '-' || c == '_' || c == ' '))
    {
        issues.push("characters other than letters, digits and hyphens");
    } else if rest.chars().any(|c| c.is_alphanumeric() && !c.is_ascii()) {
        issues.push("non-ASCII letters");
    }
    if rest
        .trim_matches(|c| c == '-' || c == '_' || c == ' ')
        .is_empty()
    {
        issues.push("no name after the date");
    }
    if !issues.is_empty() {
        let hint = match issues.as_slice() {
            ["upper-case letters"] => format!("use lowercase: {fixed}"),
            ["underscores"] => format!("use hyphens instead of underscores: {fixed}"),
            ["no date in front"] => match &policy.post_date {
                Some(d) => format!(
                    "start the name with the date: {fixed} (the track's posts are dated {d})"
                ),
                None => format!("start the name with the post date: {fixed}"),
            },
            _ => format!(
                "rename it to {fixed} (lowercase letters, digits and hyphens after the date)"
            ),
        };
        out.insert(
            0,
            on_file(Diagnostic::error(
                "path-post-name",
                format!("the post name `{shown}` has {}", issues.join(", ")),
            ))
            .with_hint(format!(
                "{hint}; use the same name for assets/img/, assets/html/ and assets/bibliography/"
            )),
        );
    }
    out
}

/// Normal form used to spot a folder that is the slug up to case and separators.
fn loose(name: &str) -> String {
    name.chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c == '_' || c == ' ' { '-' } else { c })
        .collect()
}

fn outside(path: &str, message: String, hint: impl Into<String>) -> Diagnostic {
    Diagnostic::error("path-outside-submission", message)
        .in_file(path)
        .with_hint(hint)
}

/// The verdict on a path that is present at the head (added, modified or renamed to).
fn check_present(path: &str, added: bool, slug: &str, slug_ok: bool) -> Option<Diagnostic> {
    let parts: Vec<&str> = path.split('/').collect();
    let p = Present::new(path, added, slug, slug_ok);
    if path.starts_with('/')
        || parts
            .iter()
            .any(|p| *p == ".." || p.is_empty() || *p == ".")
    {
        return Some(outside(
            path,
            format!("`{}` is not a plain path inside the repository", p.shown),
            p.revert(),
        ));
    }
    Some(match parts.as_slice() {
        ["_posts", file] => p.in_posts(file),
        ["_posts", .., _] | ["_post" | "posts" | "post" | "_Posts" | "Posts", ..] if added => {
            p.post_misplaced(parts.last().copied().unwrap_or(""))
        }
        ["assets", dir @ ("img" | "html"), file] => p.asset_not_in_folder(dir, file),
        ["assets", dir @ ("img" | "html"), folder, ..] => p.asset_in_folder(dir, folder),
        ["assets", "bibliography", ..] => p.bibliography(parts.last().copied().unwrap_or("")),
        ["assets", dir, ..]
            if added && WRONG_ASSET_DIRS.contains(&dir.to_ascii_lowercase().as_str()) =>
        {
            p.wrong_asset_dir(dir)
        }
        [file] if added && post_stem(file).is_some_and(|(stem, _)| loose(stem) == loose(slug)) => {
            Diagnostic::error(
                "path-post-location",
                format!("`{}` is not in _posts/", p.shown),
            )
            .in_file(path)
            .with_hint(format!("move it to _posts/{}", display_path(file)))
        }
        _ if is_organizer(&parts) => p.organizer_file(),
        _ => outside(
            path,
            p.foreign("not a place for submission files"),
            format!("{}; {ALLOWED}", p.revert()),
        ),
    })
}

/// A path present at the head, with what every verdict on it says.
struct Present<'a> {
    path: &'a str,
    /// The path as shown in messages.
    shown: String,
    added: bool,
    slug: &'a str,
    /// The slug as shown in messages (`SLUG` when there is none).
    s: String,
    slug_ok: bool,
}

impl<'a> Present<'a> {
    fn new(path: &'a str, added: bool, slug: &'a str, slug_ok: bool) -> Self {
        let s = if slug == NO_SLUG {
            "SLUG".to_string()
        } else {
            display_path(slug)
        };
        Present {
            path,
            shown: display_path(path),
            added,
            slug,
            s,
            slug_ok,
        }
    }

    /// "outside this submission (what)", worded for an added or a changed file.
    fn foreign(&self, what: &str) -> String {
        let shown = &self.shown;
        if self.added {
            format!("`{shown}` is outside this submission ({what})")
        } else {
            format!(
                "the pull request changes `{shown}`, which is not part of this submission ({what})"
            )
        }
    }

    fn revert(&self) -> String {
        if self.added {
            "remove it from the pull request".to_string()
        } else {
            "revert the change to this file".to_string()
        }
    }

    /// A file directly in `_posts/`: the post with a wrong extension, a second post, or another
    /// post changed.
    fn in_posts(&self, file: &str) -> Diagnostic {
        let (shown, s) = (&self.shown, &self.s);
        let (stem, ext) =
            post_stem(file).unwrap_or_else(|| file.split_at(file.find('.').unwrap_or(file.len())));
        if stem == self.slug {
            let msg = if ext.to_ascii_lowercase().starts_with(".md.") || ext.ends_with('~') {
                format!("`{shown}` is a stray copy of the post")
            } else if ext.is_empty() || ext == "." {
                format!("the post file `{shown}` has no extension; it must end in .md or .html")
            } else {
                format!(
                    "the post file must end in .md or .html, not `{}`",
                    display_path(ext)
                )
            };
            return Diagnostic::error("path-post-extension", msg)
                .in_file(self.path)
                .with_hint(format!(
                    "keep exactly one post file: _posts/{s}.md (or .html)"
                ));
        }
        let is_post = post_stem(file).is_some();
        if is_post && self.added && self.slug_ok {
            return Diagnostic::error(
                "path-second-post",
                format!(
                    "`{shown}` is a second post; a submission adds exactly one (_posts/{s}.md)"
                ),
            )
            .in_file(self.path)
            .with_hint("remove it, or submit it in a pull request of its own");
        }
        if is_post && !self.added {
            return outside(self.path, self.foreign("another post"), self.revert());
        }
        outside(
            self.path,
            self.foreign("only the post itself goes in _posts/"),
            self.revert(),
        )
    }

    /// An added file in a subfolder of `_posts/` or in a misspelt posts folder.
    fn post_misplaced(&self, last: &str) -> Diagnostic {
        Diagnostic::error(
            "path-post-location",
            format!("`{}` is not directly in _posts/", self.shown),
        )
        .in_file(self.path)
        .with_hint(if post_stem(last).is_some() {
            format!("move it to _posts/{}", display_path(last))
        } else {
            "the post goes directly in _posts/, its files in assets/img/SLUG/ or assets/html/SLUG/"
                .to_string()
        })
    }

    /// A file directly in `assets/img/` or `assets/html/`, not in the post's folder.
    fn asset_not_in_folder(&self, dir: &str, file: &str) -> Diagnostic {
        if !self.added {
            return outside(self.path, self.foreign("a shared file"), self.revert());
        }
        Diagnostic::error(
            "path-asset-location",
            format!(
                "`{}` is directly in assets/{dir}/; the post's files go in its own folder",
                self.shown
            ),
        )
        .in_file(self.path)
        .with_hint(format!(
            "move it to assets/{dir}/{}/{}",
            self.s,
            display_path(file)
        ))
    }

    /// A file in a folder of `assets/img/` or `assets/html/` that is not the post's own.
    fn asset_in_folder(&self, dir: &str, folder: &str) -> Diagnostic {
        let s = &self.s;
        if loose(folder) == loose(self.slug) && self.added {
            return Diagnostic::error(
                "path-asset-location",
                format!(
                    "the folder assets/{dir}/{}/ does not match the post name exactly",
                    display_path(folder)
                ),
            )
            .in_file(self.path)
            .with_hint(format!(
                "rename the folder to assets/{dir}/{s}/ (same case, hyphens)"
            ));
        }
        if folder.starts_with(self.slug) {
            return outside(
                self.path,
                format!(
                    "`{}` is in assets/{dir}/{}/, which is not this post's folder assets/{dir}/{s}/",
                    self.shown,
                    display_path(folder)
                ),
                format!("move it into assets/{dir}/{s}/"),
            );
        }
        if self.added {
            outside(
                self.path,
                format!(
                    "`{}` is in another post's folder; this post's folder is assets/{dir}/{s}/",
                    self.shown
                ),
                format!("move it into assets/{dir}/{s}/"),
            )
        } else {
            outside(
                self.path,
                self.foreign("another post's file"),
                self.revert(),
            )
        }
    }

    /// A file in `assets/bibliography/` that is not the post's `SLUG.bib`.
    fn bibliography(&self, last: &str) -> Diagnostic {
        let s = &self.s;
        let is_bib = last.to_ascii_lowercase().ends_with(".bib");
        if self.added && (is_bib || last.starts_with(self.slug)) {
            Diagnostic::error(
                "path-asset-location",
                format!(
                    "`{}` is not the post's bibliography; it must be assets/bibliography/{s}.bib",
                    self.shown
                ),
            )
            .in_file(self.path)
            .with_hint(format!(
                "keep one bibliography, named assets/bibliography/{s}.bib, and set `bibliography: {s}.bib` in the front matter"
            ))
        } else {
            outside(
                self.path,
                self.foreign("another post's bibliography"),
                self.revert(),
            )
        }
    }

    /// An added file in a folder of `assets/` that authors mistake for a submission folder.
    fn wrong_asset_dir(&self, dir: &str) -> Diagnostic {
        let s = &self.s;
        let target = if dir.to_ascii_lowercase().starts_with("bib") {
            format!("assets/bibliography/{s}.bib")
        } else if dir == "htmls" {
            format!("assets/html/{s}/")
        } else {
            format!("assets/img/{s}/")
        };
        Diagnostic::error(
            "path-asset-location",
            format!("assets/{}/ is not a submission folder", display_path(dir)),
        )
        .in_file(self.path)
        .with_hint(format!("move it to {target}"))
    }

    fn organizer_file(&self) -> Diagnostic {
        let shown = &self.shown;
        Diagnostic::error(
            "path-organizer-file",
            if self.added {
                format!("`{shown}` would add a site file; this area belongs to the organizers")
            } else {
                format!(
                    "`{shown}` belongs to the organizers and must not be changed by a submission"
                )
            },
        )
        .in_file(self.path)
        .with_hint(format!("{}; {ALLOWED}", self.revert()))
    }
}

fn is_organizer(parts: &[&str]) -> bool {
    let first = parts.first().copied().unwrap_or("");
    parts.len() == 1
        || first.starts_with('_')
        || first.starts_with('.')
        || ORGANIZER_DIRS.iter().any(|d| {
            d.split('/').zip(parts.iter()).all(|(a, b)| a == *b)
                && parts.len() > d.split('/').count()
        })
}

/// True when `path` is one of the submission's own places for `slug`.
fn is_own(path: &str, slug: &str) -> bool {
    if let Some((stem, ext)) = post_file(path) {
        return stem == slug && POST_EXTENSIONS.contains(&ext);
    }
    path == format!("assets/bibliography/{slug}.bib")
        || ["assets/img/", "assets/html/"].iter().any(|dir| {
            path.strip_prefix(dir)
                .and_then(|r| r.strip_prefix(slug))
                .and_then(|r| r.strip_prefix('/'))
                .is_some_and(|r| {
                    !r.is_empty() && !r.split('/').any(|p| p.is_empty() || p == "." || p == "..")
                })
        })
}

fn check_deleted(path: &str, slug: &str) -> Option<Diagnostic> {
    if is_own(path, slug) {
        return None;
    }
    let shown = display_path(path);
    let parts: Vec<&str> = path.split('/').collect();
    if let Some((stem, _)) = post_file(path).filter(|(_, e)| POST_EXTENSIONS.contains(e)) {
        return Some(
            Diagnostic::error(
                "path-other-post-deleted",
                format!(
                    "the pull request deletes `{shown}`, another author's post ({})",
                    display_path(stem)
                ),
            )
            .in_file(path)
            .with_hint("restore it: a submission may only add or change its own post and files"),
        );
    }
    if let Some(owner) = owner_of(path).filter(|o| *o != slug) {
        return Some(outside(
            path,
            format!(
                "the pull request deletes `{shown}`, a file of another post ({})",
                display_path(owner)
            ),
            "restore it: a submission may only add or change its own post and files",
        ));
    }
    if is_organizer(&parts) {
        return Some(
            Diagnostic::error(
                "path-organizer-file",
                format!("the pull request deletes `{shown}`, which belongs to the organizers"),
            )
            .in_file(path)
            .with_hint("restore it"),
        );
    }
    Some(outside(
        path,
        format!("the pull request deletes `{shown}`, which is not part of this submission"),
        "restore it",
    ))
}

/// Checks every changed path against the rules and the PR title against the slug. Returns the
/// slug the submission is about (as written, even when malformed) and the problems found.
pub fn check_paths(
    changes: &[Change],
    title: Option<&str>,
    policy: &PathPolicy,
) -> (Option<String>, Vec<Diagnostic>) {
    let Some(slug) = infer_slug(changes, policy) else {
        return (None, without_a_post(changes));
    };
    let mut out = check_slug(&slug, submission_path(changes, &slug).as_deref(), policy);
    let slug_ok = out.is_empty();

    let mut posts_seen = 0;
    for c in changes {
        out.extend(entry_rules(c));
        let present = match &c.kind {
            ChangeKind::Deleted => {
                out.extend(check_deleted(&c.path, &slug));
                continue;
            }
            ChangeKind::Renamed { from } => {
                out.extend(check_deleted(from, &slug).map(|mut d| {
                    d.message = format!(
                        "the pull request moves `{}` to `{}`; the original is not part of this submission",
                        display_path(from),
                        display_path(&c.path)
                    );
                    d
                }));
                true
            }
            ChangeKind::Added => true,
            ChangeKind::Modified => false,
        };
        if is_own(&c.path, &slug) {
            if post_file(&c.path).is_some() {
                posts_seen += 1;
            }
            out.extend(own_file_rules(&c.path, posts_seen));
            continue;
        }
        out.extend(check_present(&c.path, present, &slug, slug_ok));
    }

    if let Some(title) = title {
        let want = if slug_ok {
            slug.clone()
        } else {
            canonical_slug(&slug, policy)
        };
        out.extend(title_rule(title.trim(), &want));
    }
    (Some(slug), out)
}

/// A pull request that adds no post: that problem, and each changed path judged without a slug.
fn without_a_post(changes: &[Change]) -> Vec<Diagnostic> {
    let mut d = Diagnostic::error(
        "path-no-post",
        "the pull request adds no post: no _posts/SLUG.md and no assets/img/SLUG/ folder",
    )
    .with_hint(ALLOWED);
    if changes.is_empty() {
        d.message = "the pull request changes no files".to_string();
    }
    let mut out = vec![d];
    for c in changes {
        if is_deleted(c) {
            out.extend(check_deleted(&c.path, NO_SLUG));
        } else {
            out.extend(check_present(
                &c.path,
                c.kind != ChangeKind::Modified,
                NO_SLUG,
                false,
            ));
        }
    }
    out
}

/// The path the slug's problems are reported on: the post file, else a file of the post's
/// folders, else any path naming the slug.
fn submission_path(changes: &[Change], slug: &str) -> Option<String> {
    let present = || changes.iter().filter(|c| !is_deleted(c));
    present()
        .find(|c| post_file(&c.path).is_some_and(|(stem, _)| stem == slug))
        .or_else(|| present().find(|c| owner_of(&c.path) == Some(slug)))
        .or_else(|| present().find(|c| c.path.split('/').any(|p| p.starts_with(slug))))
        .map(|c| c.path.clone())
}

/// What kind of entry a change is, whatever its place: no invisible characters in its name, no
/// symbolic link, no submodule.
fn entry_rules(c: &Change) -> Vec<Diagnostic> {
    let shown = display_path(&c.path);
    let mut out = Vec::new();
    if c.path.chars().any(is_hostile_char) {
        out.push(
            Diagnostic::error(
                "path-bad-character",
                format!("the file name `{shown}` contains control or invisible characters"),
            )
            .in_file(c.path.clone())
            .with_hint("rename it using letters, digits, `-`, `_` and `.`"),
        );
    }
    match c.entry {
        EntryKind::Symlink if !is_deleted(c) => out.push(
            Diagnostic::error("path-symlink", format!("`{shown}` is a symbolic link"))
                .in_file(c.path.clone())
                .with_hint("replace the link with the file itself: links could point outside the repository"),
        ),
        EntryKind::Submodule if !is_deleted(c) => out.push(
            Diagnostic::error("path-submodule", format!("`{shown}` is a git submodule"))
                .in_file(c.path.clone())
                .with_hint("copy the files you need into assets/html/SLUG/ or assets/img/SLUG/ instead"),
        ),
        _ => {}
    }
    out
}

/// The rules for a file of the submission itself: one post file (`posts_seen` counts the post
/// files so far, this one included), no operating-system leftovers.
fn own_file_rules(path: &str, posts_seen: usize) -> Vec<Diagnostic> {
    let shown = display_path(path);
    let mut out = Vec::new();
    if post_file(path).is_some() && posts_seen > 1 {
        out.push(
            Diagnostic::error(
                "path-second-post",
                format!("`{shown}` is a second file for the same post"),
            )
            .in_file(path)
            .with_hint("keep either the .md or the .html file, not both"),
        );
    }
    if let Some(junk) = JUNK_FILES
        .iter()
        .find(|j| path.split('/').any(|p| p == **j))
    {
        out.push(
            Diagnostic::warning(
                "path-junk-file",
                format!("`{shown}` is an operating-system leftover ({junk})"),
            )
            .in_file(path)
            .with_hint("remove it from the pull request"),
        );
    }
    out
}

/// The pull request's title must be the post's name.
fn title_rule(title: &str, want: &str) -> Option<Diagnostic> {
    (title != want).then(|| {
        Diagnostic::error(
            "path-title-mismatch",
            format!(
                "the pull request title `{}` is not the post's name",
                display_path(title)
            ),
        )
        .with_hint(format!("set the title to exactly {}", display_path(want)))
    })
}

#[cfg(test)]
mod tests;
