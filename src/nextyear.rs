//! `blogtrack init --from PREV DIR`: next year's track from last year's repository.
//!
//! Copies everything of PREV that is the track's and not last year's submissions: the config,
//! pages, organizers' pictures, data, news folder layout, workflows. Drops last year's posts and
//! their assets (`assets/*/SLUG*`), except the sample post (`*-distill-example*`, `*-sample-post`),
//! which moves to the new post date with its assets and every reference to its slug. In
//! `_config.yml` it bumps the year in `title`, `description`, `baseurl` and in `blogtrack:`
//! (`conference`, `post_date`), and clears the key dates for the organizers to fill in; in the
//! past-iterations dropdown it links last year's site. Everything else stays byte for byte, and
//! the report lists what the organizer must still edit (pages that name last year, the dates).
//!
//! The edits are line-based text edits, not a YAML round trip, so comments and layout survive.
//! The pure part ([`plan_copy`], [`bump_config`], [`add_past_iteration`]) is tested without disk.

use crate::config::Config;
use crate::date::Date;
use blogtrack_diag::Diagnostic;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// What `init --from` did, for the organizer.
#[derive(Debug, Default)]
pub struct FromReport {
    pub old_year: i32,
    pub new_year: i32,
    pub copied: usize,
    /// Last year's posts left out (slugs).
    pub dropped_posts: Vec<String>,
    /// (old slug, new slug) of the sample posts kept.
    pub samples: Vec<(String, String)>,
    /// Changes made to files, one line each.
    pub changes: Vec<String>,
    /// What the organizer must still do, one line each.
    pub todo: Vec<String>,
}

impl FromReport {
    pub fn summary(&self, dir: &Path) -> String {
        let mut s = format!(
            "started the {} track in `{}` from the {} one: {} files copied, {} post(s) of {} left out\n",
            self.new_year,
            dir.display(),
            self.old_year,
            self.copied,
            self.dropped_posts.len(),
            self.old_year
        );
        for (old, new) in &self.samples {
            let _ = writeln!(s, "  kept the sample post: {old} -> {new}");
        }
        for c in &self.changes {
            let _ = writeln!(s, "  changed: {c}");
        }
        s.push_str("\nstill to edit:\n");
        for t in &self.todo {
            let _ = writeln!(s, "  - {t}");
        }
        let _ = writeln!(
            s,
            "then: blogtrack build {0}   and   blogtrack serve {0}",
            dir.display()
        );
        s
    }
}

/// Whether a post name is a sample post kept from year to year.
pub fn is_sample(name: &str) -> bool {
    name.starts_with("distill-example") || name == "sample-post"
}

/// Replaces the year `old` by `new` where it stands as a number of its own (not inside `12024`).
pub fn bump_year(text: &str, old: i32, new: i32) -> String {
    let old_s = old.to_string();
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(&old_s) {
        let before = rest[..i].chars().next_back();
        let after = rest[i + old_s.len()..].chars().next();
        out.push_str(&rest[..i]);
        if before.is_some_and(|c| c.is_ascii_digit()) || after.is_some_and(|c| c.is_ascii_digit()) {
            out.push_str(&old_s);
        } else {
            out.push_str(&new.to_string());
        }
        rest = &rest[i + old_s.len()..];
    }
    out.push_str(rest);
    out
}

/// How many times `year` stands alone in `text`.
fn count_year(text: &str, year: i32) -> usize {
    let y = year.to_string();
    text.match_indices(&y)
        .filter(|(i, m)| {
            let before = text[..*i].chars().next_back();
            let after = text[i + m.len()..].chars().next();
            !before.is_some_and(|c| c.is_ascii_digit())
                && !after.is_some_and(|c| c.is_ascii_digit())
        })
        .count()
}

/// `_config.yml` for next year: the year bumped in `title`, `description`, `baseurl` and the
/// `blogtrack:` section's `conference` and `post_date`, the key dates emptied, and a
/// `blogtrack:` section (post date, empty dates) appended when there is none.
pub fn bump_config(text: &str, old: i32, new: i32, post_date: Date) -> (String, Vec<String>) {
    let mut changes = Vec::new();
    let mut out = String::with_capacity(text.len() + 512);
    let mut at = ConfigCursor::default();
    for line in text.split_inclusive('\n') {
        let line = ConfigLine::parse(line);
        at.advance(&line);
        out.push_str(&next_year_line(
            &at,
            &line,
            old,
            new,
            post_date,
            &mut changes,
        ));
    }
    if !at.saw_section {
        append_blogtrack_section(&mut out, post_date, &mut changes);
    } else if !at.saw_dates || !at.saw_post_date {
        out = complete_blogtrack_section(&out, &at, post_date, &mut changes);
    }
    (out, changes)
}

/// One line of `_config.yml` as [`bump_config`] reads it.
struct ConfigLine<'a> {
    /// The whole line, with its end of line.
    line: &'a str,
    /// The line without its end of line.
    body: &'a str,
    indent: usize,
    /// The line without its indentation.
    trimmed: &'a str,
    /// Whether the line can hold a key (not blank, a comment or a list item).
    is_key: bool,
    /// The key before the first `:`, if the line can hold one.
    key: Option<String>,
}

impl<'a> ConfigLine<'a> {
    /// Splits a line into its indentation, text and key.
    fn parse(line: &'a str) -> Self {
        let body = line.trim_end_matches(['\n', '\r']);
        let indent = body.len() - body.trim_start().len();
        let trimmed = body.trim_start();
        let is_key = !trimmed.is_empty() && !trimmed.starts_with('#') && !trimmed.starts_with('-');
        let key = is_key
            .then(|| trimmed.split_once(':').map(|(k, _)| k.trim().to_string()))
            .flatten();
        ConfigLine {
            line,
            body,
            indent,
            trimmed,
            is_key,
            key,
        }
    }

    /// The line's end (`\n`, `\r\n` or nothing on the last line).
    fn eol(&self) -> &'a str {
        &self.line[self.body.len()..]
    }
}

/// Where [`bump_config`] stands in the file: the top-level key the current line belongs to and
/// the `blogtrack:` sub-key, and what of the `blogtrack:` section it has seen so far.
#[derive(Default)]
struct ConfigCursor {
    top: String,
    sub: String,
    saw_section: bool,
    saw_post_date: bool,
    saw_dates: bool,
}

impl ConfigCursor {
    /// Moves to the keys `line` belongs to (a new top-level key at indentation 0, a new
    /// `blogtrack:` sub-key at 2) and notes the section, its `post_date` and its `dates`.
    fn advance(&mut self, line: &ConfigLine) {
        if line.indent == 0 && !line.trimmed.is_empty() && !line.trimmed.starts_with('#') {
            self.top = line.key.clone().unwrap_or_default();
            self.sub.clear();
        } else if self.top == "blogtrack" && line.indent == 2 {
            if let Some(k) = &line.key {
                self.sub = k.clone();
            }
        }
        if self.top == "blogtrack" && line.indent == 0 {
            self.saw_section = true;
        }
        if self.in_blogtrack("post_date") && line.indent == 2 {
            self.saw_post_date = true;
        }
        if self.in_blogtrack("dates") && line.indent == 2 {
            self.saw_dates = true;
        }
    }

    /// Whether the current line is under `blogtrack:` `sub:`.
    fn in_blogtrack(&self, sub: &str) -> bool {
        self.top == "blogtrack" && self.sub == sub
    }
}

/// The line as next year's config has it, each change noted in `changes`: the new
/// `blogtrack.post_date`, a key date cleared, or the year bumped where it names the track.
fn next_year_line(
    at: &ConfigCursor,
    line: &ConfigLine,
    old: i32,
    new: i32,
    post_date: Date,
    changes: &mut Vec<String>,
) -> String {
    if at.in_blogtrack("post_date") && line.indent == 2 {
        changes.push(format!(
            "_config.yml: blogtrack.post_date: {}",
            post_date.iso()
        ));
        return format!("  post_date: {}{}", post_date.iso(), line.eol());
    }
    if at.in_blogtrack("dates") && line.indent >= 4 && line.is_key {
        if let Some(cleared) = cleared_key_date(line, changes) {
            return cleared;
        }
    }
    let bump = matches!(at.top.as_str(), "title" | "description" | "baseurl")
        || (at.top == "blogtrack" && matches!(at.sub.as_str(), "conference" | "post_date"));
    if !bump {
        return line.line.to_string();
    }
    let bumped = bump_year(line.line, old, new);
    if bumped != line.line {
        changes.push(format!(
            "_config.yml: {}",
            bumped.trim().chars().take(80).collect::<String>()
        ));
    }
    bumped
}

/// A key date line (`  submission_deadline: 2024-12-01`) with its value removed, or `None`
/// when it has no value (a comment after ` #` does not count as one).
fn cleared_key_date(line: &ConfigLine, changes: &mut Vec<String>) -> Option<String> {
    let (k, v) = line.trimmed.split_once(':')?;
    let v = v.split(" #").next().unwrap_or("").trim();
    if v.is_empty() {
        return None;
    }
    changes.push(format!(
        "_config.yml: blogtrack.dates.{}: cleared (was {v})",
        k.trim()
    ));
    Some(format!("{}{}:{}", &line.body[..line.indent], k, line.eol()))
}

/// Appends a `blogtrack:` section (the post date and the empty key dates) to a config that
/// has none.
fn append_blogtrack_section(out: &mut String, post_date: Date, changes: &mut Vec<String>) {
    if !out.ends_with('\n') {
        out.push('\n');
    }
    let _ = write!(
        out,
        "\n# Settings read by blogtrack (added by `blogtrack init --from`).\nblogtrack:\n  post_date: {}\n{}",
        post_date.iso(),
        DATES_TEMPLATE
    );
    changes.push("_config.yml: added a `blogtrack:` section (post_date, empty key dates)".into());
}

/// `out` with the keys the `blogtrack:` section lacks (`post_date`, `dates`) appended at the
/// end of that section.
fn complete_blogtrack_section(
    out: &str,
    at: &ConfigCursor,
    post_date: Date,
    changes: &mut Vec<String>,
) -> String {
    let mut lines: Vec<&str> = out.split_inclusive('\n').collect();
    // The section's first line, found as the cursor found it (`blogtrack :` is the same key).
    let Some(start) = lines.iter().position(|l| {
        let line = ConfigLine::parse(l);
        line.indent == 0 && line.key.as_deref() == Some("blogtrack")
    }) else {
        return out.to_string();
    };
    let end = lines[start + 1..]
        .iter()
        .position(|l| {
            let t = l.trim_end();
            !t.is_empty() && !l.starts_with(' ') && !l.starts_with('#')
        })
        .map_or(lines.len(), |i| start + 1 + i);
    let mut extra = String::new();
    if !at.saw_post_date {
        let _ = writeln!(extra, "  post_date: {}", post_date.iso());
        changes.push(format!(
            "_config.yml: blogtrack.post_date: {}",
            post_date.iso()
        ));
    }
    if !at.saw_dates {
        extra.push_str(DATES_TEMPLATE);
        changes.push("_config.yml: added empty blogtrack.dates".into());
    }
    if end > 0 && !lines[end - 1].ends_with('\n') {
        lines.insert(end, "\n");
        lines.insert(end + 1, &extra);
    } else {
        lines.insert(end, &extra);
    }
    lines.concat()
}

/// The empty key dates that `init --from` writes.
const DATES_TEMPLATE: &str = "  # Key dates: a date (the end of that day, AoE) or a date-time with AoE or a zone,\n  # e.g. `2025-12-01 23:59 AoE`. Pages show them as {{ site.blogtrack.dates.submission_deadline }}.\n  dates:\n    abstract_deadline:\n    submission_deadline:\n    bidding_deadline:\n    reviews_deadline:\n    author_response_deadline:\n    meta_reviews_deadline:\n    decisions:\n    camera_ready_deadline:\n";

/// The dropdown page with a link to last year's site (`title`, `url`) as its first child, and
/// `<strong>` removed from the titles (it marked the current year). Unchanged if `url` is linked.
pub fn add_past_iteration(text: &str, title: &str, url: &str) -> Option<String> {
    let plain = text.replace("<strong>", "").replace("</strong>", "");
    let trimmed_url = url.trim_end_matches('/');
    let already = plain.lines().any(|l| {
        l.trim_start().strip_prefix("permalink:").is_some_and(|p| {
            p.trim().trim_matches(['"', '\'']).trim_end_matches('/') == trimmed_url
        })
    });
    let mut out = String::with_capacity(plain.len() + 128);
    let mut done = already;
    let mut lines = plain.split_inclusive('\n').peekable();
    while let Some(line) = lines.next() {
        out.push_str(line);
        if !done && line.trim_end() == "children:" {
            let indent = lines
                .peek()
                .map(|l| l.len() - l.trim_start().len())
                .filter(|i| *i > 0)
                .unwrap_or(2);
            let pad = " ".repeat(indent);
            let _ = write!(
                out,
                "{pad}- title: {title}\n{pad}  permalink: {url}\n{pad}- title: divider\n"
            );
            done = true;
        }
    }
    (out != text).then_some(out)
}

/// `text` with every `{% post_url SLUG %}` whose SLUG is in `moved` replaced by the URL it maps
/// to (last year's published post), and how many were replaced.
pub fn relink_post_urls(text: &str, moved: &BTreeMap<String, String>) -> (String, usize) {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut n = 0;
    while let Some(start) = rest.find("{%") {
        let Some(len) = rest[start..].find("%}") else {
            break;
        };
        let tag = &rest[start..start + len + 2];
        let inner = tag[2..tag.len() - 2].trim_matches('-').trim();
        let target = inner
            .strip_prefix("post_url")
            .filter(|r| r.starts_with(char::is_whitespace))
            .map(str::trim)
            .and_then(|slug| moved.get(slug));
        out.push_str(&rest[..start]);
        match target {
            Some(url) => {
                out.push_str(url);
                n += 1;
            }
            None => out.push_str(tag),
        }
        rest = &rest[start + len + 2..];
    }
    out.push_str(rest);
    (out, n)
}

/// One file to create in the new track.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyItem {
    /// Relative path in PREV.
    pub from: String,
    /// Relative path in DIR.
    pub to: String,
}

/// Which of PREV's files (relative paths) go to DIR, renamed for the sample posts, given last
/// year's post slugs: (items, dropped slugs, (old, new) sample slugs).
#[allow(clippy::type_complexity)]
pub fn plan_copy(
    files: &[String],
    slugs: &[(String, String)],
    new_date: Date,
) -> (Vec<CopyItem>, Vec<String>, Vec<(String, String)>) {
    let mut rename: BTreeMap<&str, String> = BTreeMap::new();
    let mut dropped = Vec::new();
    for (slug, name) in slugs {
        if is_sample(name) {
            rename.insert(slug, format!("{}-{name}", new_date.iso()));
        } else {
            dropped.push(slug.clone());
        }
    }
    let owner = |rel: &str| -> Option<&str> {
        let file = rel.rsplit('/').next().unwrap_or(rel);
        let in_posts = rel.starts_with("_posts/");
        let in_assets = rel.starts_with("assets/");
        if !in_posts && !in_assets {
            return None;
        }
        let seg = if in_posts {
            file
        } else {
            rel.split('/').nth(2).unwrap_or(file)
        };
        slugs
            .iter()
            .map(|(s, _)| s.as_str())
            .filter(|s| seg == *s || seg.strip_prefix(*s).is_some_and(|r| r.starts_with('.')))
            .max_by_key(|s| s.len())
    };
    let mut items = Vec::new();
    for rel in files {
        match owner(rel) {
            Some(slug) => {
                if let Some(new) = rename.get(slug) {
                    items.push(CopyItem {
                        from: rel.clone(),
                        to: rel.replacen(slug, new, 1),
                    });
                }
            }
            None if rel.starts_with("_news/") => {}
            None => items.push(CopyItem {
                from: rel.clone(),
                to: rel.clone(),
            }),
        }
    }
    let samples = rename
        .into_iter()
        .map(|(o, n)| (o.to_string(), n))
        .collect();
    (items, dropped, samples)
}

fn io(path: &Path, what: &str, e: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::error("io", format!("cannot {what} `{}`: {e}", path.display()))
}

/// The folders of PREV that are not the track's sources (output, VCS, caches).
const SKIP_DIRS: &[&str] = &[
    ".git",
    "_site",
    ".jekyll-cache",
    ".sass-cache",
    "node_modules",
    "vendor",
];

/// Runs `init --from PREV DIR`.
pub fn init_from(prev: &Path, dir: &Path) -> Result<FromReport, Diagnostic> {
    let config_path = prev.join("_config.yml");
    let config_text = std::fs::read_to_string(&config_path).map_err(|e| {
        io(&config_path, "read", e).with_hint(
            "give last year's track repository, e.g. `blogtrack init --from ../2025 ../2026`",
        )
    })?;
    crate::scaffold::ensure_empty(dir)?;
    let node = blogtrack_yaml::parse(&config_text).map_err(|e| {
        Diagnostic::error("config-yaml", format!("cannot read `_config.yml`: {e}"))
            .in_file("_config.yml")
    })?;
    let (config, _) = Config::from_yaml(&node);

    let files = list_files(prev)?;
    let slugs = post_slugs(&files);
    let old_date = config.track.post_date.or_else(|| {
        let names: Vec<String> = slugs.iter().map(|(s, _)| format!("{s}.md")).collect();
        crate::scaffold::post_date(&Config::default(), &names)
    });
    let (old_year, new_date) = years(&config, old_date)?;

    let (items, dropped, samples) = plan_copy(&files, &slugs, new_date);
    let mut report = FromReport {
        old_year,
        new_year: new_date.year,
        dropped_posts: dropped,
        samples,
        ..FromReport::default()
    };
    let old_site = format!("{}{}/", config.url, config.baseurl);
    // Links to last year's posts (`{% post_url %}` in pages) go to last year's site.
    let moved: BTreeMap<String, String> = match crate::load::load_track(prev, &[]) {
        Ok((track, _)) => track
            .posts
            .iter()
            .filter(|p| report.dropped_posts.contains(&p.file_stem))
            .map(|p| (p.file_stem.clone(), track.config.absolute_url(&p.url)))
            .collect(),
        Err(_) => BTreeMap::new(),
    };
    let rewrite = Rewrite {
        old_year,
        old_date: old_date.map(|d| d.iso()),
        new_date,
        old_site,
        moved,
    };
    let mut year_mentions = Vec::new();
    for item in &items {
        let src = prev.join(&item.from);
        let dst = dir.join(&item.to);
        if let Some(parent) = dst.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io(parent, "create", e))?;
        }
        let bytes = std::fs::read(&src).map_err(|e| io(&src, "read", e))?;
        let is_text = [".md", ".html", ".yml", ".bib"]
            .iter()
            .any(|ext| item.to.ends_with(ext));
        let out = match (is_text, String::from_utf8(bytes)) {
            (true, Ok(text)) => rewrite
                .text(item, text, &mut report, &mut year_mentions)
                .into_bytes(),
            (_, Ok(text)) => text.into_bytes(),
            (_, Err(e)) => e.into_bytes(),
        };
        std::fs::write(&dst, out).map_err(|e| io(&dst, "write", e))?;
        report.copied += 1;
    }
    report.todo = todos(old_year, new_date, &year_mentions);
    Ok(report)
}

/// Every file of PREV, relative, sorted; symbolic links are not followed or copied.
fn list_files(prev: &Path) -> Result<Vec<String>, Diagnostic> {
    let mut files = Vec::new();
    let walker = walkdir::WalkDir::new(prev)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0
                || !(e.file_type().is_dir()
                    && SKIP_DIRS.contains(&e.file_name().to_string_lossy().as_ref()))
        });
    for entry in walker {
        let entry = entry.map_err(|e| io(prev, "read", e))?;
        if !entry.file_type().is_file() {
            continue;
        }
        if let Ok(rel) = entry.path().strip_prefix(prev) {
            files.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
    Ok(files)
}

/// (file stem, name without the date) of each dated post directly in `_posts/`.
fn post_slugs(files: &[String]) -> Vec<(String, String)> {
    files
        .iter()
        .filter_map(|f| f.strip_prefix("_posts/"))
        .filter(|f| !f.contains('/'))
        .filter_map(|f| {
            let stem = f.rsplit_once('.').map_or(f, |(s, _)| s);
            let (_, rest) = Date::parse_prefix(stem)?;
            Some((stem.to_string(), rest.strip_prefix('-')?.to_string()))
        })
        .collect()
}

/// Last year's year and the new year's post date (last year's day a year on, else 1 May).
fn years(config: &Config, old_date: Option<Date>) -> Result<(i32, Date), Diagnostic> {
    let old_year = old_date
        .map(|d| d.year)
        .or_else(|| config.baseurl.trim_start_matches('/').parse().ok())
        .ok_or_else(|| {
            Diagnostic::error(
                "init-from",
                "cannot tell last year's year: no `blogtrack.post_date`, no dated post, no year in `baseurl`",
            )
            .in_file("_config.yml")
            .with_hint("add `blogtrack:` / `post_date: YYYY-MM-DD` to last year's _config.yml")
        })?;
    let new_year = old_year + 1;
    let new_date = old_date
        .and_then(|d| {
            Date::new(new_year, d.month, d.day).or_else(|| Date::new(new_year, d.month, 28))
        })
        .or_else(|| Date::new(new_year, 5, 1))
        .ok_or_else(|| Diagnostic::error("init-from", "no valid post date for the new year"))?;
    Ok((old_year, new_date))
}

/// How a text file of last year changes on its way into the new year.
struct Rewrite {
    old_year: i32,
    old_date: Option<String>,
    new_date: Date,
    /// Last year's site (`https://…/2025/`).
    old_site: String,
    /// Last year's dropped posts: file stem → absolute URL on last year's site.
    moved: BTreeMap<String, String>,
}

impl Rewrite {
    /// The sample posts renamed, links to dropped posts pointed at last year's site, the
    /// samples' dates moved, the config bumped, last year added to the past-iterations menu;
    /// pages that still name last year are noted in `year_mentions`.
    fn text(
        &self,
        item: &CopyItem,
        mut text: String,
        report: &mut FromReport,
        year_mentions: &mut Vec<String>,
    ) -> String {
        let (old_year, old_site) = (self.old_year, &self.old_site);
        for (old, new) in &report.samples {
            if text.contains(old.as_str()) {
                text = text.replace(old.as_str(), new);
                if !item.to.starts_with("_posts/") {
                    report
                        .changes
                        .push(format!("{}: `{old}` -> `{new}`", item.to));
                }
            }
        }
        let (relinked, n) = relink_post_urls(&text, &self.moved);
        if n > 0 {
            report.changes.push(format!(
                "{}: {n} link(s) to {old_year}'s posts now point to {old_site}",
                item.to
            ));
            text = relinked;
        }
        if item.from != item.to && item.to.starts_with("_posts/") {
            if let Some(old) = &self.old_date {
                text = text.replace(old.as_str(), &self.new_date.iso());
            }
        }
        if item.to == "_config.yml" {
            let (t, c) = bump_config(&text, old_year, self.new_date.year, self.new_date);
            report.changes.extend(c);
            text = t;
        } else if item.to == "_pages/dropdown.md" {
            if let Some(t) = add_past_iteration(&text, &old_year.to_string(), old_site) {
                report.changes.push(format!(
                    "_pages/dropdown.md: links {old_year} ({old_site}) in the past-iterations menu"
                ));
                text = t;
            }
        } else if item.to.starts_with("_pages/") || item.to == "index.md" {
            let n = count_year(&text, old_year);
            if n > 0 {
                year_mentions.push(format!("{} ({n}×)", item.to));
            }
        }
        text
    }
}

/// What the organizer must still do after `init --from`.
fn todos(old_year: i32, new_date: Date, year_mentions: &[String]) -> Vec<String> {
    let mut todo = vec![format!(
        "_config.yml: fill in blogtrack.dates (AoE) and confirm post_date {} and the bumped title and baseurl",
        new_date.iso()
    )];
    if !year_mentions.is_empty() {
        todo.push(format!(
            "pages that still name {old_year}: {}",
            year_mentions.join(", ")
        ));
    }
    todo.push(
        "_pages/about.md: this year's organizers (and their pictures under assets/img/)".into(),
    );
    todo.push(format!(
        "create the {} repository on GitHub, push this folder, then `blogtrack init --ci` (blogtrack's docs/organizers.md, step 4)",
        new_date.year
    ));
    todo
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_are_bumped_only_where_they_stand_alone() {
        assert_eq!(
            bump_year("ICLR Blogposts 2024 /2024 12024 20245", 2024, 2025),
            "ICLR Blogposts 2025 /2025 12024 20245"
        );
        assert_eq!(count_year("2024, 2024-05-07, 120245", 2024), 2);
    }

    #[test]
    fn the_config_gets_the_new_year_and_empty_dates() {
        let text = "title: Blogposts 2024 # site title\nbaseurl: /2024\nfooter_text: since 2024\nblogtrack:\n  conference: Blogposts 2024\n  post_date: 2024-05-07\n  dates:\n    submission_deadline: 2023-12-01 # AoE\n    decisions: 2024-01-20\nother: 1\n";
        let (out, changes) = bump_config(text, 2024, 2025, Date::new(2025, 5, 7).unwrap());
        assert_eq!(out, "title: Blogposts 2025 # site title\nbaseurl: /2025\nfooter_text: since 2024\nblogtrack:\n  conference: Blogposts 2025\n  post_date: 2025-05-07\n  dates:\n    submission_deadline:\n    decisions:\nother: 1\n");
        assert_eq!(changes.len(), 6, "{changes:?}");
        let node = blogtrack_yaml::parse(&out).unwrap();
        let (c, d) = Config::from_yaml(&node);
        assert!(d.is_empty(), "{d:?}");
        assert!(c.track.dates.dates.is_empty());
    }

    #[test]
    fn a_section_written_with_a_space_before_the_colon_is_completed() {
        // `blogtrack :` is the same key; completing it once panicked (slice past the end).
        let (out, changes) = bump_config(
            "title: T 2024\nblogtrack :\n  conference: C 2024\nurl: x\n",
            2024,
            2025,
            Date::new(2025, 4, 28).unwrap(),
        );
        let node = blogtrack_yaml::parse(&out).unwrap();
        let (c, d) = Config::from_yaml(&node);
        assert!(d.is_empty(), "{d:?}\n{out}");
        assert_eq!(c.track.post_date, Date::new(2025, 4, 28), "{out}");
        assert!(
            out.contains("  dates:\n") && out.ends_with("url: x\n"),
            "{out}"
        );
        assert!(
            changes.iter().any(|c| c.contains("post_date")),
            "{changes:?}"
        );
    }

    #[test]
    fn a_config_without_a_blogtrack_section_gets_one() {
        let (out, _) = bump_config(
            "title: T 2024\nbaseurl: /2024",
            2024,
            2025,
            Date::new(2025, 4, 28).unwrap(),
        );
        let node = blogtrack_yaml::parse(&out).unwrap();
        let (c, d) = Config::from_yaml(&node);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!((c.title.as_str(), c.baseurl.as_str()), ("T 2025", "/2025"));
        assert_eq!(c.track.post_date, Date::new(2025, 4, 28));
        let (out, _) = bump_config(
            "blogtrack:\n  phase: review\nurl: x\n",
            2024,
            2025,
            Date::new(2025, 4, 28).unwrap(),
        );
        assert!(
            out.starts_with("blogtrack:\n  phase: review\n  post_date: 2025-04-28\n"),
            "{out}"
        );
        assert!(out.ends_with("camera_ready_deadline:\nurl: x\n"), "{out}");
    }

    #[test]
    fn last_year_joins_the_dropdown_once() {
        let page = "---\ntitle: past\ndropdown: true\nchildren:\n    - title: <strong>2024</strong>\n      permalink: /about/\n---\n";
        let out = add_past_iteration(page, "2024", "https://x.org/2024/").unwrap();
        assert_eq!(out, "---\ntitle: past\ndropdown: true\nchildren:\n    - title: 2024\n      permalink: https://x.org/2024/\n    - title: divider\n    - title: 2024\n      permalink: /about/\n---\n");
        let linked = "children:\n  - title: 2024\n    permalink: https://x.org/2024\n";
        assert_eq!(
            add_past_iteration(linked, "2024", "https://x.org/2024/"),
            None
        );
    }

    #[test]
    fn links_to_last_years_posts_point_to_last_years_site() {
        let moved: BTreeMap<String, String> = [(
            "2024-05-07-alpha".to_string(),
            "https://x.org/2024/blog/alpha/".to_string(),
        )]
        .into_iter()
        .collect();
        let (out, n) = relink_post_urls(
            "[a]({% post_url 2024-05-07-alpha %}) [b]({%- post_url 2024-05-07-beta -%}) {% if x %}",
            &moved,
        );
        assert_eq!(n, 1);
        assert_eq!(
            out,
            "[a](https://x.org/2024/blog/alpha/) [b]({%- post_url 2024-05-07-beta -%}) {% if x %}"
        );
    }

    #[test]
    fn posts_and_their_assets_are_dropped_but_the_sample_moves() {
        let files: Vec<String> = [
            "_config.yml",
            "_posts/2024-05-07-alpha.md",
            "_posts/2024-05-07-distill-example.md",
            "assets/img/2024-05-07-alpha/a.png",
            "assets/img/2024-05-07-alpha-beta/b.png",
            "assets/img/2024-05-07-distill-example/c.png",
            "assets/bibliography/2024-05-07-alpha.bib",
            "assets/img/logo.svg",
            "_news/announcement_1.md",
            "_pages/about.md",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let slugs = vec![
            ("2024-05-07-alpha".to_string(), "alpha".to_string()),
            (
                "2024-05-07-distill-example".to_string(),
                "distill-example".to_string(),
            ),
        ];
        let (items, dropped, samples) = plan_copy(&files, &slugs, Date::new(2025, 4, 28).unwrap());
        let to: Vec<&str> = items.iter().map(|i| i.to.as_str()).collect();
        assert_eq!(
            to,
            vec![
                "_config.yml",
                "_posts/2025-04-28-distill-example.md",
                "assets/img/2024-05-07-alpha-beta/b.png",
                "assets/img/2025-04-28-distill-example/c.png",
                "assets/img/logo.svg",
                "_pages/about.md",
            ]
        );
        assert_eq!(dropped, vec!["2024-05-07-alpha".to_string()]);
        assert_eq!(samples[0].1, "2025-04-28-distill-example");
    }
}
