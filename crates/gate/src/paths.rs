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
    let shown = display_path(path);
    let s = if slug == NO_SLUG {
        "SLUG".to_string()
    } else {
        display_path(slug)
    };
    let parts: Vec<&str> = path.split('/').collect();
    let last = parts.last().copied().unwrap_or("");
    let shown_last = display_path(last);
    let foreign = |what: &str| {
        if added {
            format!("`{shown}` is outside this submission ({what})")
        } else {
            format!(
                "the pull request changes `{shown}`, which is not part of this submission ({what})"
            )
        }
    };
    let revert = if added {
        "remove it from the pull request".to_string()
    } else {
        "revert the change to this file".to_string()
    };
    if path.starts_with('/')
        || parts
            .iter()
            .any(|p| *p == ".." || p.is_empty() || *p == ".")
    {
        return Some(outside(
            path,
            format!("`{shown}` is not a plain path inside the repository"),
            revert,
        ));
    }
    match parts.as_slice() {
        ["_posts", file] => {
            let (stem, ext) = post_stem(file).unwrap_or_else(|| file.split_at(file.find('.').unwrap_or(file.len())));
            if stem == slug {
                let msg = if ext.to_ascii_lowercase().starts_with(".md.") || ext.ends_with('~') {
                    format!("`{shown}` is a stray copy of the post")
                } else if ext.is_empty() || ext == "." {
                    format!("the post file `{shown}` has no extension; it must end in .md or .html")
                } else {
                    format!("the post file must end in .md or .html, not `{}`", display_path(ext))
                };
                return Some(
                    Diagnostic::error("path-post-extension", msg)
                        .in_file(path)
                        .with_hint(format!("keep exactly one post file: _posts/{s}.md (or .html)")),
                );
            }
            if post_stem(file).is_some() && added && slug_ok {
                return Some(
                    Diagnostic::error(
                        "path-second-post",
                        format!("`{shown}` is a second post; a submission adds exactly one (_posts/{s}.md)"),
                    )
                    .in_file(path)
                    .with_hint("remove it, or submit it in a pull request of its own"),
                );
            }
            if post_stem(file).is_some() && !added {
                return Some(outside(path, foreign("another post"), revert));
            }
            Some(outside(path, foreign("only the post itself goes in _posts/"), revert))
        }
        ["_posts", .., _] | ["_post" | "posts" | "post" | "_Posts" | "Posts", ..] if added => Some(
            Diagnostic::error(
                "path-post-location",
                format!("`{shown}` is not directly in _posts/"),
            )
            .in_file(path)
            .with_hint(if post_stem(last).is_some() {
                format!("move it to _posts/{shown_last}")
            } else {
                "the post goes directly in _posts/, its files in assets/img/SLUG/ or assets/html/SLUG/".to_string()
            }),
        ),
        ["assets", dir @ ("img" | "html"), file] => {
            if added {
                Some(
                    Diagnostic::error(
                        "path-asset-location",
                        format!("`{shown}` is directly in assets/{dir}/; the post's files go in its own folder"),
                    )
                    .in_file(path)
                    .with_hint(format!("move it to assets/{dir}/{s}/{}", display_path(file))),
                )
            } else {
                Some(outside(path, foreign("a shared file"), revert))
            }
        }
        ["assets", dir @ ("img" | "html"), folder, ..] => {
            if loose(folder) == loose(slug) && added {
                return Some(
                    Diagnostic::error(
                        "path-asset-location",
                        format!(
                            "the folder assets/{dir}/{}/ does not match the post name exactly",
                            display_path(folder)
                        ),
                    )
                    .in_file(path)
                    .with_hint(format!("rename the folder to assets/{dir}/{s}/ (same case, hyphens)")),
                );
            }
            if folder.starts_with(slug) {
                return Some(outside(
                    path,
                    format!(
                        "`{shown}` is in assets/{dir}/{}/, which is not this post's folder assets/{dir}/{s}/",
                        display_path(folder)
                    ),
                    format!("move it into assets/{dir}/{s}/"),
                ));
            }
            if added {
                Some(outside(
                    path,
                    format!("`{shown}` is in another post's folder; this post's folder is assets/{dir}/{s}/"),
                    format!("move it into assets/{dir}/{s}/"),
                ))
            } else {
                Some(outside(path, foreign("another post's file"), revert))
            }
        }
        ["assets", "bibliography", ..] => {
            let is_bib = last.to_ascii_lowercase().ends_with(".bib");
            if added && (is_bib || last.starts_with(slug)) {
                Some(
                    Diagnostic::error(
                        "path-asset-location",
                        format!("`{shown}` is not the post's bibliography; it must be assets/bibliography/{s}.bib"),
                    )
                    .in_file(path)
                    .with_hint(format!(
                        "keep one bibliography, named assets/bibliography/{s}.bib, and set `bibliography: {s}.bib` in the front matter"
                    )),
                )
            } else {
                Some(outside(path, foreign("another post's bibliography"), revert))
            }
        }
        ["assets", dir, ..] if added && WRONG_ASSET_DIRS.contains(&dir.to_ascii_lowercase().as_str()) => {
            let target = if dir.to_ascii_lowercase().starts_with("bib") {
                format!("assets/bibliography/{s}.bib")
            } else if *dir == "htmls" {
                format!("assets/html/{s}/")
            } else {
                format!("assets/img/{s}/")
            };
            Some(
                Diagnostic::error(
                    "path-asset-location",
                    format!("assets/{}/ is not a submission folder", display_path(dir)),
                )
                .in_file(path)
                .with_hint(format!("move it to {target}")),
            )
        }
        [file] if added && post_stem(file).is_some_and(|(stem, _)| loose(stem) == loose(slug)) => Some(
            Diagnostic::error("path-post-location", format!("`{shown}` is not in _posts/"))
                .in_file(path)
                .with_hint(format!("move it to _posts/{shown_last}")),
        ),
        _ if is_organizer(&parts) => Some(
            Diagnostic::error(
                "path-organizer-file",
                if added {
                    format!("`{shown}` would add a site file; this area belongs to the organizers")
                } else {
                    format!("`{shown}` belongs to the organizers and must not be changed by a submission")
                },
            )
            .in_file(path)
            .with_hint(format!("{revert}; {ALLOWED}")),
        ),
        _ => Some(outside(path, foreign("not a place for submission files"), format!("{revert}; {ALLOWED}"))),
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
    let mut out = Vec::new();
    let slug = infer_slug(changes, policy);
    let Some(slug) = slug else {
        let mut d = Diagnostic::error(
            "path-no-post",
            "the pull request adds no post: no _posts/SLUG.md and no assets/img/SLUG/ folder",
        )
        .with_hint(ALLOWED);
        if changes.is_empty() {
            d.message = "the pull request changes no files".to_string();
        }
        out.push(d);
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
        return (None, out);
    };
    let post_path = changes
        .iter()
        .filter(|c| !is_deleted(c))
        .find(|c| post_file(&c.path).is_some_and(|(stem, _)| stem == slug))
        .or_else(|| {
            changes
                .iter()
                .find(|c| !is_deleted(c) && owner_of(&c.path) == Some(slug.as_str()))
        })
        .or_else(|| {
            changes
                .iter()
                .find(|c| !is_deleted(c) && c.path.split('/').any(|p| p.starts_with(slug.as_str())))
        })
        .map(|c| c.path.clone());
    let slug_problems = check_slug(&slug, post_path.as_deref(), policy);
    let slug_ok = slug_problems.is_empty();
    out.extend(slug_problems);

    let mut posts_seen = 0;
    for c in changes {
        let shown = display_path(&c.path);
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
        let present = match &c.kind {
            ChangeKind::Deleted => {
                out.extend(check_deleted(&c.path, &slug));
                continue;
            }
            ChangeKind::Renamed { from } => {
                out.extend(check_deleted(from, &slug).map(|mut d| {
                    d.message = format!(
                        "the pull request moves `{}` to `{shown}`; the original is not part of this submission",
                        display_path(from)
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
                if posts_seen > 1 {
                    out.push(
                        Diagnostic::error(
                            "path-second-post",
                            format!("`{shown}` is a second file for the same post"),
                        )
                        .in_file(c.path.clone())
                        .with_hint("keep either the .md or the .html file, not both"),
                    );
                }
            }
            if let Some(junk) = JUNK_FILES
                .iter()
                .find(|j| c.path.split('/').any(|p| p == **j))
            {
                out.push(
                    Diagnostic::warning(
                        "path-junk-file",
                        format!("`{shown}` is an operating-system leftover ({junk})"),
                    )
                    .in_file(c.path.clone())
                    .with_hint("remove it from the pull request"),
                );
            }
            continue;
        }
        out.extend(check_present(&c.path, present, &slug, slug_ok));
    }

    if let Some(title) = title {
        let t = title.trim();
        let want = if slug_ok {
            slug.clone()
        } else {
            canonical_slug(&slug, policy)
        };
        if t != want {
            out.push(
                Diagnostic::error(
                    "path-title-mismatch",
                    format!(
                        "the pull request title `{}` is not the post's name",
                        display_path(t)
                    ),
                )
                .with_hint(format!("set the title to exactly {}", display_path(&want))),
            );
        }
    }
    (Some(slug), out)
}

#[cfg(test)]
mod tests;
