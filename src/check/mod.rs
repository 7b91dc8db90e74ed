//! `blogtrack check`: the submission gate, the same for an author at their desk and for CI.
//!
//! One run: find what the submission is (a git diff between two revisions, an explicit file
//! list, or one post), apply the gate's path rules to it, load the track and render the post
//! with the build's own pipeline, then apply the content rules ([`content`]) and, during review,
//! the anonymity rules ([`anonymity`]). Everything ends up in one sorted list of diagnostics
//! that the caller renders in any of the gate's formats.
//!
//! The submission is hostile: files are read only through [`files::Repo`] (inside the
//! repository, no symbolic links), the git repository is read with `gix` (no process, no hooks),
//! nothing is executed, and titles and file names are only ever data in messages.
//!
//! Not here: the rules' building blocks (`blogtrack-gate`), the rendering (`render`), the
//! output formats (`blogtrack_diag::render_report`).

pub mod anonymity;
pub mod content;
pub mod decided;
pub mod files;

use crate::build::RenderInputs;
use crate::config::{Config, Phase};
use crate::load::load_track;
use crate::model::{normalize_text, parse_post, Track};
use crate::render::render_post;
use blogtrack_diag::Diagnostic;
use blogtrack_gate::{
    changes_between, check_paths, display_path, files_at, infer_slug, Change, EntryKind,
    PathPolicy, TextKind,
};
use content::PostInput;
use files::{FileEntry, Repo, Resolved};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// What to check.
#[derive(Debug, Clone)]
pub enum Scope {
    /// The files a pull request from `head` into `base` changes.
    Git { base: String, head: String },
    /// An explicit list of changed files (repository-relative).
    Files(Vec<String>),
    /// One post and its folders, as they are on disk.
    Post(PathBuf),
}

/// Settings of one check.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    pub root: PathBuf,
    pub scope: Scope,
    /// The pull request's title, which must equal the slug.
    pub title: Option<String>,
    /// Overrides `blogtrack.phase` of `_config.yml`.
    pub phase: Option<Phase>,
    /// The current time (seconds since the Unix epoch), compared with the submission deadline.
    pub now: i64,
}

/// What a check found.
#[derive(Debug, Clone)]
pub struct CheckOutcome {
    /// Sorted by file and position, without duplicates.
    pub diagnostics: Vec<Diagnostic>,
    pub slug: Option<String>,
    /// Number of files checked (changed files, or the post's files).
    pub files: usize,
    pub phase: Phase,
    pub root: PathBuf,
}

/// Where the submission's files are: the working tree, or the head commit of a diff.
enum Source {
    Disk,
    /// Files of the head commit (the working tree may hold other files).
    Tree(BTreeMap<String, EntryKind>),
}

/// Runs the check. `Err` is a usage or internal error (exit status 2): the repository or a
/// revision cannot be read, or the post given does not exist.
pub fn check(opts: &CheckOptions) -> Result<CheckOutcome, Diagnostic> {
    let repo = Repo::open(&opts.root)?;
    let mut diags = Vec::new();
    let (changes, source) = changes_in_scope(&repo, &opts.scope, &mut diags)?;

    // The track as the build sees it (config, other posts, bibliographies, static files).
    let is_track = repo.root().join("_config.yml").is_file() || repo.root().join("_posts").is_dir();
    let loaded = if is_track {
        Some(load_track(repo.root(), &[])?)
    } else {
        None
    };
    let config = loaded
        .as_ref()
        .map(|(t, _)| t.config.clone())
        .unwrap_or_default();
    let phase = opts.phase.unwrap_or(config.track.phase);
    if let Some((_, load_diags)) = &loaded {
        diags.extend(
            load_diags
                .iter()
                .filter(|d| {
                    d.file.as_deref() == Some("_config.yml") && d.code.starts_with("config-dates")
                })
                .cloned(),
        );
    }
    diags.extend(deadline_passed_note(opts, phase, &config));

    let guess = infer_slug(&changes, &PathPolicy::default());
    // The track's date is the target branch's, never the pull request's: a fork made before the
    // template was updated carries last year's `_config.yml` and posts.
    let post_date = match &opts.scope {
        Scope::Git { base, .. } => base_post_date(repo.root(), base, guess.as_deref())?,
        _ => config.track.post_date.map(|d| d.iso()).or_else(|| {
            loaded.as_ref().and_then(|(t, _)| {
                common_date(
                    t.posts.iter().map(|p| p.file_stem.as_str()),
                    guess.as_deref(),
                )
            })
        }),
    };
    let policy = PathPolicy { post_date };
    let (slug, path_diags) = check_paths(&changes, opts.title.as_deref(), &policy);
    diags.extend(path_diags);

    match (&slug, &loaded) {
        (Some(slug), Some((track, load_diags))) => diags.extend(check_submission(
            &repo, &source, slug, track, load_diags, phase,
        )),
        (Some(_), None) => diags.push(skipped_note(repo.root())),
        (None, _) => {}
    }
    Ok(CheckOutcome {
        diagnostics: finish(diags),
        slug,
        files: changes.len(),
        phase,
        root: repo.root().to_path_buf(),
    })
}

/// The files the check looks at, and where their contents are: the diff between two commits,
/// the files given, or a post with its own files (problems finding those go to `diags`).
fn changes_in_scope(
    repo: &Repo,
    scope: &Scope,
    diags: &mut Vec<Diagnostic>,
) -> Result<(Vec<Change>, Source), Diagnostic> {
    Ok(match scope {
        Scope::Git { base, head } => {
            let changes = changes_between(repo.root(), base, head)?;
            let tree = files_at(repo.root(), head)?;
            (changes, Source::Tree(tree.into_iter().collect()))
        }
        Scope::Files(list) => {
            let changes = list
                .iter()
                .map(|f| {
                    let rel = repo
                        .relative(std::path::Path::new(f))
                        .unwrap_or_else(|| f.replace('\\', "/"));
                    Change::added(rel.trim_start_matches("./").to_string())
                })
                .collect();
            (changes, Source::Disk)
        }
        Scope::Post(path) => (post_changes(repo, path, diags)?, Source::Disk),
    })
}

/// `check --post`: the post (a path, slug or name) and the files that belong to it.
fn post_changes(
    repo: &Repo,
    path: &std::path::Path,
    diags: &mut Vec<Diagnostic>,
) -> Result<Vec<Change>, Diagnostic> {
    let rel = repo.relative(path).ok_or_else(|| {
        Diagnostic::error(
            "usage",
            format!(
                "`{}` is not inside the repository `{}`",
                display_path(&path.display().to_string()),
                display_path(&repo.root().display().to_string())
            ),
        )
        .with_hint("pass the post as _posts/SLUG.md, relative to the repository")
    })?;
    let rel = match repo.resolve(&rel)? {
        Resolved::File(..) => rel,
        _ => post_by_name(repo, &rel).ok_or_else(|| {
            Diagnostic::error(
                "usage",
                format!("the post `{}` does not exist", display_path(&rel)),
            )
            .with_hint("give the post's slug (2025-04-28-my-post), its name (my-post) or its file (_posts/2025-04-28-my-post.md)")
        })?,
    };
    let stem = rel
        .rsplit('/')
        .next()
        .and_then(|f| f.rsplit_once('.'))
        .map_or(rel.as_str(), |(s, _)| s)
        .to_string();
    let mut changes = vec![Change::added(rel.clone())];
    let (own, d) = own_files(repo, &stem);
    diags.extend(d);
    changes.extend(
        own.into_iter()
            .filter(|f| f.rel != rel)
            .map(|f| Change::added(f.rel)),
    );
    Ok(changes)
}

/// In review phase, a pull request checked after the submission deadline is told that the
/// reviewers' preview stays where it was.
fn deadline_passed_note(opts: &CheckOptions, phase: Phase, config: &Config) -> Option<Diagnostic> {
    let deadline = config.track.dates.submission_deadline()?;
    if !matches!(opts.scope, Scope::Git { .. })
        || phase != Phase::Review
        || opts.now <= deadline.unix
    {
        return None;
    }
    Some(
        Diagnostic::note(
            "submission-deadline-passed",
            format!(
                "the submission deadline ({}) has passed: this change is checked, but the reviewers' preview stays at the last commit pushed before it",
                deadline.display()
            ),
        )
        .with_hint("an organizer can let the preview follow this change by listing the post's slug in `blogtrack.republish_after_deadline`"),
    )
}

/// The rules for one submission of a track: sizes, its bibliography's problems, and the post
/// itself (or, in review phase without a post, the anonymity of its other files).
fn check_submission(
    repo: &Repo,
    source: &Source,
    slug: &str,
    track: &Track,
    load_diags: &[Diagnostic],
    phase: Phase,
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let exists = |rel: &str| match source {
        Source::Tree(t) => t.get(rel) == Some(&EntryKind::File),
        Source::Disk => matches!(repo.resolve(rel), Ok(Resolved::File(..))),
    };
    let post_rel = ["md", "html"]
        .iter()
        .map(|ext| format!("_posts/{slug}.{ext}"))
        .find(|p| exists(p));
    let (own, d) = own_files(repo, slug);
    diags.extend(d);
    let own: Vec<FileEntry> = match source {
        Source::Tree(t) => own.into_iter().filter(|f| t.contains_key(&f.rel)).collect(),
        Source::Disk => own,
    };
    let mut submission = own.clone();
    if let Some(p) = &post_rel {
        if let Ok(Resolved::File(_, len)) = repo.resolve(p) {
            submission.push(FileEntry {
                rel: p.clone(),
                len,
            });
        }
    }
    diags.extend(content::size_rules(&submission, &track.config));
    let bib_rel = format!("assets/bibliography/{slug}.bib");
    diags.extend(
        load_diags
            .iter()
            .filter(|d| d.file.as_deref() == Some(bib_rel.as_str()))
            .cloned(),
    );
    match post_rel {
        Some(rel) => diags.extend(check_post(repo, track, slug, &rel, &own, phase, &exists)),
        None if phase == Phase::Review => {
            diags.extend(anonymity::scan_leaks(None, false, &own, &|r| {
                repo.read(r).ok().flatten()
            }))
        }
        None => {}
    }
    diags
}

/// The post file that `key` names when it is not a path: a slug (`2025-04-28-my-post`) or a
/// name (`my-post`), as `blogtrack preview --post` takes them. `None` unless exactly one post
/// matches.
fn post_by_name(repo: &Repo, key: &str) -> Option<String> {
    if key.contains('/') || key.is_empty() {
        return None;
    }
    let (posts, _) = repo.list("_posts");
    let matches: Vec<String> = posts
        .into_iter()
        .map(|f| f.rel)
        .filter(|rel| {
            let Some(file) = rel.strip_prefix("_posts/").filter(|f| !f.contains('/')) else {
                return false;
            };
            let Some((stem, ext)) = file.rsplit_once('.') else {
                return false;
            };
            let name =
                crate::date::Date::parse_prefix(stem).and_then(|(_, rest)| rest.strip_prefix('-'));
            matches!(ext, "md" | "html") && (file == key || stem == key || name == Some(key))
        })
        .collect();
    match matches.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    }
}

/// The date most of `stems` (post file stems) carry, not counting the submission itself.
fn common_date<'a>(stems: impl Iterator<Item = &'a str>, slug: Option<&str>) -> Option<String> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for stem in stems {
        if Some(stem) != slug && stem.len() > 10 {
            *counts.entry(stem.chars().take(10).collect()).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .max_by_key(|(d, n)| (*n, std::cmp::Reverse(d.clone())))
        .map(|(d, _)| d)
}

/// The post date of the base revision: its `blogtrack.post_date`, else the date most of its
/// posts carry.
fn base_post_date(
    root: &std::path::Path,
    base: &str,
    slug: Option<&str>,
) -> Result<Option<String>, Diagnostic> {
    if let Some(bytes) = blogtrack_gate::file_at(root, base, "_config.yml")? {
        let text = normalize_text(&String::from_utf8_lossy(&bytes));
        if let Ok(node) = blogtrack_yaml::parse_with_warnings(&text).0 {
            if let Some(d) = crate::config::Config::from_yaml(&node).0.track.post_date {
                return Ok(Some(d.iso()));
            }
        }
    }
    let files = files_at(root, base)?;
    let stems = files.iter().filter_map(|(p, _)| {
        let file = p.strip_prefix("_posts/").filter(|f| !f.contains('/'))?;
        Some(file.rsplit_once('.').map_or(file, |(s, _)| s))
    });
    Ok(common_date(stems, slug))
}

/// Why only the path rules ran: the folder is a bare repository, a built site, or no track.
fn skipped_note(root: &std::path::Path) -> Diagnostic {
    let has = |p: &str| root.join(p).exists();
    let (message, hint) = if has("HEAD") && has("objects") && has("refs") {
        (
            "the repository is bare (no working tree): only the path rules ran",
            "run the check in a checkout of the pull request's head to check the post's content",
        )
    } else if has("index.html") || has("feed.xml") || has("404.html") || has("sitemap.xml") {
        (
            "this folder holds a built site (index.html, no _config.yml or _posts/), not the track's source: only the path rules ran",
            "run the check in a checkout of the track's source branch (the one with _config.yml and _posts/)",
        )
    } else {
        (
            "this folder is not a track (no _config.yml or _posts/): only the path rules ran",
            "run the check at the root of the track repository, where _config.yml and _posts/ are",
        )
    };
    Diagnostic::note("check-content-skipped", message).with_hint(hint)
}

/// The files in the submission's own folders on disk.
fn own_files(repo: &Repo, slug: &str) -> (Vec<FileEntry>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut diags = Vec::new();
    if !files::is_plain(slug) || slug.contains('/') {
        return (files, diags);
    }
    for dir in ["assets/img", "assets/html"] {
        let (f, d) = repo.list(&format!("{dir}/{slug}"));
        files.extend(f);
        diags.extend(d);
    }
    let bib = format!("assets/bibliography/{slug}.bib");
    match repo.resolve(&bib) {
        Ok(Resolved::File(_, len)) => files.push(FileEntry { rel: bib, len }),
        Ok(_) => {}
        Err(d) => diags.push(d),
    }
    (files, diags)
}

/// The content and anonymity rules for the post at `rel`.
fn check_post(
    repo: &Repo,
    track: &Track,
    slug: &str,
    rel: &str,
    own: &[FileEntry],
    phase: Phase,
    exists: &dyn Fn(&str) -> bool,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let text = match read_post_text(repo, rel) {
        Ok(Some(text)) => text,
        Ok(None) => return out,
        Err(d) => {
            out.push(d);
            return out;
        }
    };
    let kind = if rel.ends_with(".html") {
        TextKind::Html
    } else {
        TextKind::Markdown
    };
    let config = &track.config;
    let (post, parse_diags) = parse_post(rel, &text, config);
    out.extend(parse_diags);
    let read = |r: &str| repo.read(r).ok().flatten();
    let Some(post) = post else {
        // The front matter is broken: the typed checks cannot run, the text scanners can.
        if phase == Phase::Review {
            out.extend(anonymity::scan_leaks(
                Some((rel, &text, kind)),
                false,
                own,
                &read,
            ));
        }
        return out;
    };
    let yaml_shift = blogtrack_yaml::split_front_matter(&text)
        .map(|fm| fm.yaml_first_line.saturating_sub(1))
        .unwrap_or(1);
    let input = PostInput {
        rel,
        slug,
        text: &text,
        post: &post,
        yaml_shift,
    };

    // Render with the build's pipeline and keep its diagnostics for this post.
    let rendered = match render_guarded(track, &post, rel) {
        Ok(r) => r,
        Err(d) => {
            out.push(d);
            return out;
        }
    };
    // Missing figures and bibliographies are reported by the content rules, as errors.
    out.extend(
        rendered
            .diagnostics
            .iter()
            .filter(|d| !matches!(d.code, "missing-asset" | "bib-missing"))
            .cloned(),
    );
    out.extend(url_rules(track, &post, yaml_shift));
    let cites = content::cites(&post.body);
    out.extend(content::front_matter_rules(&input, phase));
    out.extend(content::bibliography_rules(&input, cites, &|name| {
        files::is_plain(name) && exists(&format!("assets/bibliography/{name}"))
    }));
    // A body cut short by a Liquid error has only follow-on findings about its figures.
    if !rendered.failed {
        out.extend(content::reference_rules(
            &input,
            &rendered.view.body_html,
            &rendered.referenced,
            &config.baseurl,
            exists,
        ));
        out.extend(content::script_rules(
            &input,
            &rendered.view.body_html,
            config.track.allow_scripts,
        ));
    }
    out.extend(phase_rules(track, &input, kind, own, phase, &read));
    out
}

/// The post file's text (line endings normalized); `None` when it cannot be read as a file. A
/// file that is not UTF-8 gets the loader's message, naming the line of the first bad byte.
fn read_post_text(repo: &Repo, rel: &str) -> Result<Option<String>, Diagnostic> {
    let Some(bytes) = repo.read(rel)? else {
        return Ok(None);
    };
    match String::from_utf8(bytes) {
        Ok(t) => Ok(Some(normalize_text(&t))),
        Err(_) => {
            crate::load::read_text(&repo.root().join(rel), rel)?;
            Ok(None)
        }
    }
}

/// The post rendered by the build's pipeline; a panic in it is an internal error, reported on
/// the post instead of ending the check.
fn render_guarded(
    track: &Track,
    post: &crate::model::Post,
    rel: &str,
) -> Result<crate::render::RenderedPost, Diagnostic> {
    let inputs = RenderInputs::new(track);
    let ctx = inputs.context(track);
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| render_post(&ctx, post))).map_err(
        |_| {
            Diagnostic::error("internal", "internal error while rendering this post")
                .in_file(rel)
                .with_hint("this is a bug in blogtrack: please report it with this post attached")
        },
    )
}

/// The rules of the phase: anonymity in review; in camera-ready, the authors named and the
/// post accepted.
fn phase_rules(
    track: &Track,
    input: &PostInput,
    kind: TextKind,
    own: &[FileEntry],
    phase: Phase,
    read: &dyn Fn(&str) -> Option<Vec<u8>>,
) -> Vec<Diagnostic> {
    let (rel, authors, shift) = (input.rel, &input.post.meta.authors, input.yaml_shift);
    let mut out = Vec::new();
    match phase {
        Phase::Review => {
            out.extend(anonymity::review_authors(authors, rel, shift));
            out.extend(anonymity::scan_leaks(
                Some((rel, input.text, kind)),
                true,
                own,
                read,
            ));
        }
        Phase::CameraReady => {
            out.extend(anonymity::camera_ready_authors(authors, rel, shift));
            out.extend(decided::rules(
                track.decisions.as_ref(),
                input.slug,
                input.post,
                rel,
                shift,
            ));
        }
    }
    out
}

/// The post's URL must be its own: not another post's or page's, and not a file the site keeps
/// (an image, the feed, the blog index...). The build reports the same clashes; here they are
/// found before the pull request is merged.
fn url_rules(track: &Track, post: &crate::model::Post, yaml_shift: u32) -> Vec<Diagnostic> {
    let out_path = crate::model::url_to_output_path(&post.url);
    let url = track.config.relative_url(&post.url);
    let mut urls = crate::build::UrlTable::new(track);
    let others = track
        .posts
        .iter()
        .filter(|p| p.path != post.path && p.meta.published)
        .map(|p| (&p.url, &p.path))
        .chain(track.pages.iter().map(|p| (&p.url, &p.path)));
    for (url, path) in others {
        urls.claim(&crate::model::url_to_output_path(url), path);
    }
    let taken = match urls.owner(&out_path) {
        None => return Vec::new(),
        Some(crate::build::Owner::Source(path)) => format!("`{path}`'s URL"),
        Some(crate::build::Owner::Site(what)) => what,
    };
    let key_line = post.meta.key_line("permalink");
    let line = if key_line == 0 {
        0
    } else {
        key_line + yaml_shift
    };
    vec![Diagnostic::error(
        "url-clash",
        format!("this post's URL `{url}` is {taken}, which it cannot replace"),
    )
    .in_file(&post.path)
    .at(line, if line == 0 { 0 } else { 1 })
    .with_hint("set a different `permalink`, or remove it to use the file name's URL")]
}

/// Sorts by file and position and drops exact repeats (a rule reached twice).
fn finish(mut diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diags.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()).then(a.code.cmp(b.code)));
    let mut seen = BTreeSet::new();
    diags.retain(|d| seen.insert((d.file.clone(), d.line, d.col, d.code, d.message.clone())));
    diags
}
