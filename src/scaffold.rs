//! Starting points: the embedded demo track (`blogtrack init`, `blogtrack demo`) and a new
//! submission's files in an existing track (`blogtrack new`).
//!
//! The demo track lives in `demo/` at the repository root and is compiled into the binary, so a
//! fresh install can show a complete site without any download. Scaffolding only ever *creates*
//! files: it refuses a non-empty folder for `init` and any clash for `new`, and never overwrites.
//! The texts are produced here (pure functions of the name, date and title) and written by the two
//! small writers at the bottom, so the templates can be tested without a disk.

use crate::config::Config;
use crate::date::Date;
use crate::model::parse_post_file_name;
use blogtrack_diag::Diagnostic;
use include_dir::{include_dir, Dir};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

static DEMO: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/demo");

/// The slug of the demo's sample post.
pub const DEMO_POST: &str = "2026-04-27-sample-post";

/// Every file of the embedded demo track: `/`-separated relative path and contents, sorted.
pub fn demo_files() -> Vec<(String, &'static [u8])> {
    fn collect(dir: &'static Dir<'static>, out: &mut Vec<(String, &'static [u8])>) {
        for f in dir.files() {
            out.push((f.path().to_string_lossy().replace('\\', "/"), f.contents()));
        }
        for d in dir.dirs() {
            collect(d, out);
        }
    }
    let mut out = Vec::new();
    collect(&DEMO, &mut out);
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The demo track's settings, read from its embedded `_config.yml`.
pub fn demo_config() -> Config {
    let text = DEMO
        .get_file("_config.yml")
        .and_then(|f| f.contents_utf8())
        .unwrap_or("");
    blogtrack_yaml::parse(text)
        .map(|node| Config::from_yaml(&node).0)
        .unwrap_or_default()
}

fn io_err(path: &Path, what: &str, e: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::error("io", format!("{what} `{}`: {e}", path.display()))
}

/// Refuses a `dir` that exists and is not an empty folder, so an existing track is never
/// overwritten.
pub fn ensure_empty(dir: &Path) -> Result<(), Diagnostic> {
    if dir.exists() {
        if !dir.is_dir() {
            return Err(Diagnostic::error(
                "init-target",
                format!("`{}` exists and is not a folder", dir.display()),
            )
            .with_hint("give the name of a new folder, e.g. `blogtrack init my-track`"));
        }
        let first = fs::read_dir(dir)
            .map_err(|e| io_err(dir, "cannot read", e))?
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().to_string())
            .min();
        if let Some(first) = first {
            return Err(Diagnostic::error(
                "init-target",
                format!(
                    "`{}` is not empty (it contains `{first}`); refusing to write a track over it",
                    dir.display()
                ),
            )
            .with_hint(
                "give a new folder, e.g. `blogtrack init my-track`, or empty this one first",
            ));
        }
    }
    Ok(())
}

/// Writes the demo track into `dir` (created if missing). Refuses a folder that already holds
/// anything, so an existing track is never overwritten. Returns the number of files written.
pub fn init(dir: &Path) -> Result<usize, Diagnostic> {
    ensure_empty(dir)?;
    let files = demo_files();
    for (rel, bytes) in &files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| io_err(parent, "cannot create", e))?;
        }
        fs::write(&path, bytes).map_err(|e| io_err(&path, "cannot write", e))?;
    }
    Ok(files.len())
}

/// Checks a post name for `blogtrack new`: lowercase ASCII letters, digits and single hyphens,
/// starting with a letter or digit. The error says how to fix it, with a suggestion.
pub fn validate_name(name: &str) -> Result<(), Diagnostic> {
    if let Some((_, rest)) = Date::parse_prefix(name) {
        if rest.starts_with('-') {
            return Err(
                Diagnostic::error("new-name", format!("`{name}` starts with a date")).with_hint(
                    format!(
                "give only the name (`{}`): the date prefix is the track's `blogtrack.post_date`",
                rest.trim_start_matches('-')
            ),
                ),
            );
        }
    }
    let ok = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !name.starts_with('-')
        && !name.ends_with('-')
        && !name.contains("--");
    if ok {
        return Ok(());
    }
    let suggestion = suggest_name(name);
    let mut d = Diagnostic::error("new-name", format!("`{name}` is not a valid post name"));
    d = if suggestion.is_empty() {
        d.with_hint("use lowercase letters, digits and hyphens, e.g. `my-post-name`")
    } else {
        d.with_hint(format!(
            "use lowercase letters, digits and hyphens: try `{suggestion}`"
        ))
    };
    Err(d)
}

/// `"My Post: v2!"` → `"my-post-v2"` (ASCII letters and digits kept, the rest collapsed to `-`).
pub fn suggest_name(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// The date prefix of new posts: `blogtrack.post_date`, else the most common date of the
/// existing post files (ties: the latest), else `None`.
pub fn post_date(config: &Config, post_file_names: &[String]) -> Option<Date> {
    if let Some(d) = config.track.post_date {
        return Some(d);
    }
    let mut counts: BTreeMap<Date, usize> = BTreeMap::new();
    for n in post_file_names {
        if let Some((d, ..)) = parse_post_file_name(n) {
            *counts.entry(d).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)))
        .map(|(d, _)| d)
}

/// `my-post-name` → `My post name` (a starting title the author will replace).
pub fn title_from_name(name: &str) -> String {
    let words = name.replace('-', " ");
    let mut c = words.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// The new post's Markdown: anonymous author, a `toc` whose names match the body's headings, one
/// citation of the example BibTeX entry, one footnote and one formula.
pub fn post_template(slug: &str, title: &str, date: Date) -> String {
    let title_yaml = title.replace('\\', "\\\\").replace('"', "\\\"");
    format!(
        r#"---
layout: distill
title: "{title_yaml}"
description: >
  Replace this with a two- or three-sentence summary of your post. It appears under the title
  and in the blog index, so keep it plain text, without math or links.
date: {date}
future: true
htmlwidgets: true

# Keep the author anonymous during review. After acceptance, list the authors:
#   authors:
#     - name: Your Name
#       url: "https://your.page"
#       affiliations:
#         name: Your Institution
authors:
  - name: Anonymous

bibliography: {slug}.bib

# The names must match the section headings below.
toc:
  - name: Introduction
  - name: Background
    subsections:
      - name: A first equation
  - name: Discussion
  - name: Conclusion
---

Start with the question your post answers and why a reader should care. Cite the work you
discuss from your BibTeX file, like this <d-cite key="shannon1948mathematical"></d-cite>, and add
side remarks as footnotes.<d-footnote>Footnotes are numbered and listed at the end of the post.</d-footnote>

## Introduction

Write your introduction here.

## Background

Explain what a reader needs to know before the main part.

### A first equation

Inline math uses single dollars, as in $H(X)$; a formula on its own, separated by blank lines, is
displayed:

$$
H(X) = -\sum_{{x}} p(x) \log p(x)
$$

Images go in `assets/img/{slug}/` and are included with
`{{% raw %}}{{% include figure.html path="assets/img/{slug}/name.png" class="img-fluid" caption="..." %}}{{% endraw %}}`;
interactive figures go in `assets/html/{slug}/` and are shown in an `<iframe>`.

## Discussion

Discuss what you found.

## Conclusion

Summarise what a reader should take away.
"#,
        date = date.iso()
    )
}

/// The new post's BibTeX file, with the one entry the template cites.
pub fn bib_template() -> String {
    "@article{shannon1948mathematical,\n  title   = {A Mathematical Theory of Communication},\n  author  = {Shannon, Claude E.},\n  journal = {Bell System Technical Journal},\n  volume  = {27},\n  number  = {3},\n  pages   = {379--423},\n  year    = {1948}\n}\n".to_string()
}

/// What `blogtrack new` created.
#[derive(Debug)]
pub struct NewPost {
    pub slug: String,
    pub url_name: String,
    pub created: Vec<PathBuf>,
}

/// Scaffolds a submission named `name` in the track at `track`: `_posts/SLUG.md`,
/// `assets/bibliography/SLUG.bib` and empty `assets/img/SLUG/` and `assets/html/SLUG/` folders
/// (each with a `.gitkeep` so git keeps them). Refuses a name that an existing post already uses
/// (with any date: the URL would clash) and any existing target file or folder.
pub fn new_post(track: &Path, name: &str, today: Date) -> Result<NewPost, Diagnostic> {
    validate_name(name)?;
    let config_path = track.join("_config.yml");
    if !config_path.is_file() && !track.join("_posts").is_dir() {
        return Err(Diagnostic::error(
            "new-track",
            format!(
                "`{}` does not look like a track (no _config.yml or _posts/)",
                track.display()
            ),
        )
        .with_hint(
            "run this inside a track, pass `--track DIR`, or start one with `blogtrack init DIR`",
        ));
    }
    let config = if config_path.is_file() {
        let text = crate::load::read_text(&config_path, "_config.yml")?;
        match blogtrack_yaml::parse(&text) {
            Ok(node) => Config::from_yaml(&node).0,
            Err(d) => {
                return Err(d
                    .in_file("_config.yml")
                    .with_hint("fix _config.yml first (`blogtrack build` shows every problem)"))
            }
        }
    } else {
        Config::default()
    };
    let posts_dir = track.join("_posts");
    let existing: Vec<String> = match fs::read_dir(&posts_dir) {
        Ok(rd) => rd
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().to_string())
            .collect(),
        Err(_) => Vec::new(),
    };
    for f in &existing {
        if let Some((_, _, other, _)) = parse_post_file_name(f) {
            if other == name {
                return Err(Diagnostic::error(
                    "new-clash",
                    format!("a post named `{name}` already exists"),
                )
                .in_file(format!("_posts/{f}"))
                .with_hint("choose another name: two posts with one name would share a URL"));
            }
        }
    }
    let date = post_date(&config, &existing).unwrap_or(today);
    let slug = format!("{}-{name}", date.iso());
    let post = posts_dir.join(format!("{slug}.md"));
    let bib = track.join(format!("assets/bibliography/{slug}.bib"));
    let img = track.join(format!("assets/img/{slug}"));
    let html = track.join(format!("assets/html/{slug}"));
    for p in [&post, &bib, &img, &html] {
        if p.exists() {
            let rel = p.strip_prefix(track).unwrap_or(p).display().to_string();
            return Err(Diagnostic::error(
                "new-clash",
                format!("`{rel}` already exists; refusing to overwrite it"),
            )
            .with_hint("choose another name, or remove the leftover files of an earlier attempt"));
        }
    }
    let mut created = Vec::new();
    let mut write = |path: &Path, text: &str| -> Result<(), Diagnostic> {
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| io_err(parent, "cannot create", e))?;
        }
        fs::write(path, text).map_err(|e| io_err(path, "cannot write", e))?;
        created.push(path.to_path_buf());
        Ok(())
    };
    write(&post, &post_template(&slug, &title_from_name(name), date))?;
    write(&bib, &bib_template())?;
    write(&img.join(".gitkeep"), "")?;
    write(&html.join(".gitkeep"), "")?;
    Ok(NewPost {
        slug,
        url_name: name.to_string(),
        created,
    })
}

/// Today's date in UTC, from the system clock (the fallback post date of a track without posts).
pub fn today_utc() -> Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let t = blogtrack_liquid::DateTime::from_timestamp(i64::try_from(secs).unwrap_or(0));
    let year = i32::try_from(t.year).unwrap_or_default();
    Date::new(year, t.month as u8, t.day as u8).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked_with_a_suggestion() {
        assert!(validate_name("my-post-2").is_ok());
        let e = validate_name("My Post").unwrap_err();
        assert_eq!(
            e.hint.as_deref(),
            Some("use lowercase letters, digits and hyphens: try `my-post`")
        );
        assert!(validate_name("-x").is_err());
        assert!(validate_name("a--b").is_err());
        assert!(validate_name("").is_err());
        let e = validate_name("2026-04-27-foo").unwrap_err();
        assert!(e.hint.unwrap_or_default().contains("`foo`"));
    }

    #[test]
    fn post_date_prefers_the_setting_then_the_most_common_date() {
        let mut c = Config::default();
        let names = vec![
            "2024-05-07-a.md".to_string(),
            "2024-05-07-b.md".to_string(),
            "2023-01-01-c.md".to_string(),
            "notes.txt".to_string(),
        ];
        assert_eq!(post_date(&c, &names), Date::new(2024, 5, 7));
        c.track.post_date = Date::new(2026, 4, 27);
        assert_eq!(post_date(&c, &names), Date::new(2026, 4, 27));
        assert_eq!(post_date(&Config::default(), &[]), None);
    }

    #[test]
    fn the_template_toc_names_every_heading() {
        let Some(date) = Date::new(2026, 4, 27) else {
            panic!("valid date")
        };
        let t = post_template("2026-04-27-x", "X \"quoted\"", date);
        assert!(t.contains("title: \"X \\\"quoted\\\"\""));
        for h in ["Introduction", "Background", "Discussion", "Conclusion"] {
            assert!(t.contains(&format!("  - name: {h}\n")), "{h} in toc");
            assert!(t.contains(&format!("\n## {h}\n")), "{h} as heading");
        }
        assert!(t.contains("<d-cite key=\"shannon1948mathematical\">"));
        assert!(bib_template().starts_with("@article{shannon1948mathematical,"));
    }

    #[test]
    fn the_demo_is_embedded() {
        let files = demo_files();
        let names: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
        assert!(names.contains(&"_config.yml"));
        assert!(names.contains(&"_posts/2026-04-27-sample-post.md"));
        assert!(names.contains(&"assets/bibliography/2026-04-27-sample-post.bib"));
    }

    #[test]
    fn today_is_a_plausible_date() {
        assert!(today_utc().year >= 2024);
    }
}
