//! The loaded track as plain data: config, posts, pages, bibliographies and static files.
//!
//! Everything here is parsed from text already in memory ([`crate::load`] does the reading), so
//! parsing is pure and testable without a disk, and the dev server can re-parse one file alone.

use crate::config::Config;
use crate::date::Date;
use crate::meta::{page_meta, post_meta, PageMeta, PostMeta};
use blogtrack_diag::Diagnostic;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

/// A post file's kind: Markdown bodies go through kramdown-like rendering, HTML bodies do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    Markdown,
    Html,
}

/// A post, parsed: front matter typed, body still raw (Liquid not yet run).
#[derive(Debug, Clone)]
pub struct Post {
    /// Path relative to the track root, with `/` separators (`_posts/2024-05-07-x.md`).
    pub path: String,
    /// `2024-05-07-x`: the file name without extension (the submission's SLUG).
    pub file_stem: String,
    /// `x`: the URL name (`:title`).
    pub name: String,
    pub kind: BodyKind,
    pub date: Date,
    pub meta: PostMeta,
    pub body: String,
    /// 1-based line of the body's first line in the file.
    pub body_line: u32,
    /// Site-relative URL path (`/blog/x/`, without the baseurl).
    pub url: String,
}

impl Post {
    /// Output file path inside the site (`blog/x/index.html`).
    pub fn output_path(&self) -> String {
        url_to_output_path(&self.url)
    }

    /// Listed in the index, feeds and archives.
    pub fn listed(&self) -> bool {
        !self.meta.hidden
    }
}

/// Splits `2024-05-07-name.md` into its date, name and kind; `None` if the file name does not
/// follow Jekyll's post naming (such files are not posts).
pub fn parse_post_file_name(file_name: &str) -> Option<(Date, String, String, BodyKind)> {
    let (stem, ext) = file_name.rsplit_once('.')?;
    let kind = match ext.to_ascii_lowercase().as_str() {
        "md" | "markdown" | "mkd" | "mkdn" => BodyKind::Markdown,
        "html" | "htm" => BodyKind::Html,
        _ => return None,
    };
    let (date, rest) = Date::parse_prefix(stem)?;
    let name = rest.strip_prefix('-')?;
    if name.is_empty() {
        return None;
    }
    Some((date, stem.to_string(), name.to_string(), kind))
}

/// Normalises line endings and strips a UTF-8 BOM. Returns the text and whether it had CRLF.
pub fn normalize_text(text: &str) -> String {
    let t = text.strip_prefix('\u{feff}').unwrap_or(text);
    if t.contains('\r') {
        t.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        t.to_string()
    }
}

/// Parses a post from its (normalised) text. On a front-matter error, returns `None` and the
/// diagnostics (lines relative to the file, file attached).
pub fn parse_post(path: &str, text: &str, config: &Config) -> (Option<Post>, Vec<Diagnostic>) {
    let file_name = path.rsplit('/').next().unwrap_or(path);
    let Some((file_date, file_stem, name, kind)) = parse_post_file_name(file_name) else {
        let d = Diagnostic::error(
            "post-file-name",
            format!("`{file_name}` is not a post file name"),
        )
        .in_file(path)
        .with_hint("name posts YYYY-MM-DD-name.md (lowercase letters, digits and hyphens)");
        return (None, vec![d]);
    };
    let mut diags = Vec::new();
    let fm = match blogtrack_yaml::split_front_matter(text) {
        Ok(fm) => fm,
        Err(d) => return (None, vec![d.in_file(path)]),
    };
    let yaml_shift = fm.yaml_first_line.saturating_sub(1);
    let (node, warnings) = blogtrack_yaml::parse_with_warnings(fm.yaml);
    diags.extend(
        warnings
            .into_iter()
            .map(|d| d.shift_lines(yaml_shift).in_file(path)),
    );
    let node = match node {
        Ok(n) => n,
        Err(d) => {
            diags.push(d.shift_lines(yaml_shift).in_file(path));
            return (None, diags);
        }
    };
    let (meta, mdiags) = post_meta(&node);
    let failed = mdiags.iter().any(|d| d.is_error());
    diags.extend(
        mdiags
            .into_iter()
            .map(|d| d.shift_lines(yaml_shift).in_file(path)),
    );
    if failed {
        return (None, diags);
    }
    let date = meta.date.unwrap_or(file_date);
    let url = post_url(config, &meta, &name, date, &file_stem);
    if let Some(d) =
        dot_segment_warning(meta.permalink.as_deref(), meta.key_line("permalink"), &url)
    {
        diags.push(d.shift_lines(yaml_shift).in_file(path));
    }
    let post = Post {
        path: path.to_string(),
        file_stem,
        name,
        kind,
        date,
        body: fm.body.to_string(),
        body_line: fm.body_first_line,
        url,
        meta,
    };
    (Some(post), diags)
}

/// The post's site-relative URL per `permalink` (post's own, else the config's): Jekyll's
/// placeholders `:title`, `:slug`, `:name`, `:year`, `:month`, `:i_month`, `:day`, `:i_day`,
/// `:categories`, and the built-in styles `date`, `pretty`, `none`.
pub fn post_url(config: &Config, meta: &PostMeta, name: &str, date: Date, stem: &str) -> String {
    let pattern = meta.permalink.as_deref().unwrap_or(&config.permalink);
    let pattern = match pattern.trim() {
        "date" => "/:categories/:year/:month/:day/:title:output_ext",
        "pretty" => "/:categories/:year/:month/:day/:title/",
        "ordinal" => "/:categories/:year/:y_day/:title:output_ext",
        "none" => "/:categories/:title:output_ext",
        p => p,
    };
    let cats = meta
        .categories
        .iter()
        .map(|c| slug_segment(c))
        .collect::<Vec<_>>()
        .join("/");
    let mut out = String::with_capacity(pattern.len() + name.len());
    let mut rest = pattern;
    while let Some(i) = rest.find(':') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        let key = &after[..len];
        let rep = match key {
            "title" | "slug" => name.to_string(),
            "name" => stem.to_string(),
            "year" => format!("{:04}", date.year),
            "short_year" => format!("{:02}", date.year % 100),
            "month" => format!("{:02}", date.month),
            "i_month" => date.month.to_string(),
            "day" => format!("{:02}", date.day),
            "i_day" => date.day.to_string(),
            "categories" => cats.clone(),
            "output_ext" => ".html".to_string(),
            _ => format!(":{key}"),
        };
        out.push_str(&rep);
        rest = &after[len..];
    }
    out.push_str(rest);
    clean_url(&out)
}

fn slug_segment(s: &str) -> String {
    s.trim().to_lowercase().replace(' ', "-")
}

/// Collapses `//`, ensures a leading `/`, and drops `.` and `..` segments (as Jekyll does: a
/// permalink `/../../x/` is `/x/`), so no URL can name a file outside the site. Backslashes
/// count as separators too (a `..\` segment is dropped as well).
pub fn clean_url(u: &str) -> String {
    let mut out = String::with_capacity(u.len() + 1);
    out.push('/');
    for seg in u
        .split(['/', '\\'])
        .filter(|s| !s.is_empty() && !is_dot_segment(s))
    {
        out.push_str(seg);
        out.push('/');
    }
    if !u.ends_with(['/', '\\']) && out.len() > 1 {
        out.pop();
    }
    out
}

fn is_dot_segment(s: &str) -> bool {
    s == "." || s == ".."
}

/// A warning for a `permalink` with `.`/`..` segments (dropped by [`clean_url`]), at its line.
fn dot_segment_warning(permalink: Option<&str>, line: u32, url: &str) -> Option<Diagnostic> {
    let p = permalink?;
    p.split(['/', '\\']).any(is_dot_segment).then(|| {
        Diagnostic::warning(
            "permalink-dot-segment",
            format!(
                "`permalink` has `.` or `..` segments; they cannot leave the site and are dropped (the URL is `{url}`)"
            ),
        )
        .at(line, 0)
        .with_hint("write the permalink as a path from the site's root, e.g. `/blog/name/`")
    })
}

/// `/blog/x/` → `blog/x/index.html`; `/feed.xml` → `feed.xml`.
pub fn url_to_output_path(url: &str) -> String {
    let p = url.trim_start_matches('/');
    if p.is_empty() {
        "index.html".to_string()
    } else if p.ends_with('/') {
        format!("{p}index.html")
    } else if p.rsplit('/').next().is_some_and(|last| last.contains('.')) {
        p.to_string()
    } else {
        format!("{p}/index.html")
    }
}

/// A site page (`_pages/*.md`, or a root `index.md`).
#[derive(Debug, Clone)]
pub struct Page {
    pub path: String,
    pub meta: PageMeta,
    pub kind: BodyKind,
    pub body: String,
    pub body_line: u32,
    /// Site-relative URL (`/about/`).
    pub url: String,
}

pub fn parse_page(path: &str, text: &str) -> (Option<Page>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let fm = match blogtrack_yaml::split_front_matter(text) {
        Ok(fm) => fm,
        Err(d) => return (None, vec![d.in_file(path)]),
    };
    let shift = fm.yaml_first_line.saturating_sub(1);
    let (node, warnings) = blogtrack_yaml::parse_with_warnings(fm.yaml);
    diags.extend(
        warnings
            .into_iter()
            .map(|d| d.shift_lines(shift).in_file(path)),
    );
    let node = match node {
        Ok(n) => n,
        Err(d) => {
            diags.push(d.shift_lines(shift).in_file(path));
            return (None, diags);
        }
    };
    let (meta, md) = page_meta(&node);
    diags.extend(md.into_iter().map(|d| d.shift_lines(shift).in_file(path)));
    let file_name = path.rsplit('/').next().unwrap_or(path);
    let stem = file_name
        .rsplit_once('.')
        .map(|(s, _)| s)
        .unwrap_or(file_name);
    let kind = if file_name.ends_with(".html") || file_name.ends_with(".htm") {
        BodyKind::Html
    } else {
        BodyKind::Markdown
    };
    let url = match &meta.permalink {
        Some(p) => clean_url(p.trim()),
        None if stem == "index" => "/".to_string(),
        None => format!("/{stem}/"),
    };
    if let Some(d) = dot_segment_warning(
        meta.permalink.as_deref(),
        node.get("permalink").map_or(0, |n| n.line),
        &url,
    ) {
        diags.push(d.shift_lines(shift).in_file(path));
    }
    let page = Page {
        path: path.to_string(),
        meta,
        kind,
        body: fm.body.to_string(),
        body_line: fm.body_first_line,
        url,
    };
    (Some(page), diags)
}

/// A file copied to the site as it is.
#[derive(Debug, Clone)]
pub struct StaticFile {
    /// Path relative to the track root, `/`-separated; also its path in the site.
    pub rel: String,
    pub abs: PathBuf,
    pub len: u64,
}

/// A parsed bibliography file, shared by the posts that use it.
pub type SharedBib = Arc<(blogtrack_bib::Bibliography, Vec<Diagnostic>)>;

/// The whole track.
#[derive(Debug, Clone)]
pub struct Track {
    pub root: PathBuf,
    pub config: Config,
    /// Sorted newest first, then by name.
    pub posts: Vec<Post>,
    pub pages: Vec<Page>,
    /// Bibliographies by file name (`2024-05-07-x.bib`).
    pub bibs: BTreeMap<String, SharedBib>,
    pub static_files: Vec<StaticFile>,
    /// `_data/decisions.yml`, when the track has one and it is valid (see [`crate::decisions`]).
    pub decisions: Option<crate::decisions::Decisions>,
}

impl Track {
    /// Sorts posts newest first (then by name) — the order of listings and feeds.
    pub fn sort_posts(&mut self) {
        self.posts
            .sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.name.cmp(&b.name)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn post_file_names() {
        let (d, stem, name, kind) = parse_post_file_name("2024-05-07-bench-hvp.md").unwrap();
        assert_eq!(d, Date::new(2024, 5, 7).unwrap());
        assert_eq!(stem, "2024-05-07-bench-hvp");
        assert_eq!(name, "bench-hvp");
        assert_eq!(kind, BodyKind::Markdown);
        assert!(parse_post_file_name("2024-05-07-x.html").is_some());
        assert!(parse_post_file_name("2024-05-07-x.md.bak").is_none());
        assert!(parse_post_file_name("notes.md").is_none());
        assert!(parse_post_file_name("2024-05-07-.md").is_none());
    }

    #[test]
    fn permalinks_follow_jekyll() {
        let mut c = Config::default();
        let m = PostMeta::default();
        let d = Date::new(2023, 5, 1).unwrap();
        assert_eq!(
            post_url(&c, &m, "adamw", d, "2023-05-01-adamw"),
            "/blog/adamw/"
        );
        c.permalink = "/blog/:year/:title/".into();
        assert_eq!(post_url(&c, &m, "adamw", d, "x"), "/blog/2023/adamw/");
        c.permalink = "pretty".into();
        assert_eq!(post_url(&c, &m, "adamw", d, "x"), "/2023/05/01/adamw/");
        c.permalink = "/:year/:month/:title.html".into();
        assert_eq!(post_url(&c, &m, "a", d, "x"), "/2023/05/a.html");
    }

    #[test]
    fn dot_segments_never_climb_out_of_the_site() {
        assert_eq!(clean_url("/../../../../tmp/x/"), "/tmp/x/");
        assert_eq!(clean_url("../../x.html"), "/x.html");
        assert_eq!(clean_url("/blog/./a/../b"), "/blog/a/b");
        assert_eq!(clean_url("\\..\\..\\evil\\"), "/evil/");
        assert_eq!(clean_url("/.."), "/");
        assert_eq!(clean_url("/...hidden/"), "/...hidden/");
        let c = Config {
            permalink: "/:categories/:title/".into(),
            ..Config::default()
        };
        let m = PostMeta {
            categories: vec!["..".into(), "../..".into()],
            ..PostMeta::default()
        };
        let d = Date::new(2023, 5, 1).unwrap();
        assert_eq!(post_url(&c, &m, "a", d, "x"), "/a/");
    }

    #[test]
    fn a_post_permalink_with_dot_segments_is_kept_inside_and_warned_about() {
        let text = "---\ntitle: T\npermalink: /../../etc/x/\n---\nbody\n";
        let (post, diags) = parse_post("_posts/2024-01-01-a.md", text, &Config::default());
        assert_eq!(post.map(|p| p.url).as_deref(), Some("/etc/x/"));
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(
            (diags[0].code, diags[0].line, diags[0].file.as_deref()),
            ("permalink-dot-segment", 3, Some("_posts/2024-01-01-a.md"))
        );
        let (page, diags) = parse_page("_pages/p.md", "---\npermalink: ../../p.html\n---\n");
        assert_eq!(page.map(|p| p.url).as_deref(), Some("/p.html"));
        assert_eq!((diags[0].code, diags[0].line), ("permalink-dot-segment", 2));
    }

    #[test]
    fn output_paths() {
        assert_eq!(url_to_output_path("/blog/x/"), "blog/x/index.html");
        assert_eq!(url_to_output_path("/"), "index.html");
        assert_eq!(url_to_output_path("/feed.xml"), "feed.xml");
        assert_eq!(url_to_output_path("/about"), "about/index.html");
    }

    #[test]
    fn text_normalisation() {
        assert_eq!(normalize_text("\u{feff}a\r\nb\rc"), "a\nb\nc");
    }
}
