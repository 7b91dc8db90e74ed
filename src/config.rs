//! `_config.yml`: the site settings blogtrack reads, and the `blogtrack:` section for the settings
//! it adds.
//!
//! The old theme kept dozens of keys (social links, analytics, Jekyll plugins); they are ignored, and
//! reading an unknown top-level key never fails. The `blogtrack:` section is ours, so it is strict:
//! an unknown key there is reported with the closest known key ("did you mean").

pub mod dates;

use crate::date::Date;
use crate::fields::{did_you_mean, text_of, Fields};
use blogtrack_diag::Diagnostic;
use blogtrack_yaml::Node;

/// Where a track is in its life: during review, posts must be anonymous.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Review,
    CameraReady,
}

impl Phase {
    pub fn parse(s: &str) -> Option<Phase> {
        match s.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "review" => Some(Phase::Review),
            "camera-ready" | "cameraready" | "published" | "final" => Some(Phase::CameraReady),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Review => "review",
            Phase::CameraReady => "camera-ready",
        }
    }
}

/// The `blogtrack:` section of `_config.yml`.
#[derive(Debug, Clone)]
pub struct TrackSettings {
    /// Name of the proceedings, used in "cite this post" and scholarly metadata
    /// (e.g. "ICLR Blogposts 2024"). Default: the site title.
    pub conference: String,
    /// The date every accepted post carries (the slug prefix), e.g. 2024-05-07. Default: the most
    /// common date prefix of the posts.
    pub post_date: Option<Date>,
    /// `review` or `camera-ready` (default).
    pub phase: Phase,
    /// Largest single file a submission may add (bytes). Default 10 MiB.
    pub max_file_bytes: u64,
    /// Largest total size of a submission (bytes). Default 50 MiB.
    pub max_submission_bytes: u64,
    /// Whether `<script>` is allowed in post bodies. Default false.
    pub allow_scripts: bool,
    /// Posts per page of the blog index (overrides `pagination.per_page`).
    pub per_page: Option<usize>,
    /// The key dates (`blogtrack.dates:`), in AoE or with their zone.
    pub dates: dates::TrackDates,
    /// Slugs whose preview may still be re-published after the submission deadline
    /// (`blogtrack.republish_after_deadline:`), e.g. for an organizer-approved fix.
    pub republish_after_deadline: Vec<String>,
}

pub const TRACK_KEYS: &[&str] = &[
    "conference",
    "post_date",
    "phase",
    "max_file_bytes",
    "max_submission_bytes",
    "allow_scripts",
    "per_page",
    "dates",
    "republish_after_deadline",
];

/// The site settings.
#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// Scheme and host, no trailing slash (`https://iclr-blogposts.github.io`).
    pub url: String,
    /// Sub-path, normalised to `""` or `/x` (no trailing slash).
    pub baseurl: String,
    /// Post URL pattern (`/blog/:title/`).
    pub permalink: String,
    pub footer_text: String,
    pub lang: String,
    pub icon: Option<String>,
    pub blog_name: String,
    pub blog_description: String,
    /// Posts per page of the blog index, when pagination is enabled.
    pub paginate: Option<usize>,
    pub keywords: String,
    pub exclude: Vec<String>,
    pub enable_darkmode: bool,
    pub max_width: Option<String>,
    pub track: TrackSettings,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Blog posts".into(),
            description: String::new(),
            url: String::new(),
            baseurl: String::new(),
            permalink: "/blog/:title/".into(),
            footer_text: String::new(),
            lang: "en".into(),
            icon: None,
            blog_name: "blog".into(),
            blog_description: String::new(),
            paginate: None,
            keywords: String::new(),
            exclude: Vec::new(),
            enable_darkmode: true,
            max_width: None,
            track: TrackSettings {
                conference: String::new(),
                post_date: None,
                phase: Phase::CameraReady,
                max_file_bytes: 10 * 1024 * 1024,
                max_submission_bytes: 50 * 1024 * 1024,
                allow_scripts: false,
                per_page: None,
                dates: dates::TrackDates::default(),
                republish_after_deadline: Vec::new(),
            },
        }
    }
}

/// Default posts per page when `pagination.enabled` is true and no `per_page` is given.
pub const DEFAULT_PER_PAGE: usize = 10;

impl Config {
    /// Reads the settings from the parsed `_config.yml`. Problems are returned as diagnostics
    /// (lines relative to the file); the config is always usable.
    pub fn from_yaml(root: &Node) -> (Config, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let mut c = Config::default();
        let mut f = Fields::new(root, &mut diags);
        if let Some(v) = f.text("title") {
            c.title = v;
        }
        if let Some(v) = f.text("description") {
            c.description = v.trim().to_string();
        }
        if let Some(v) = f.text("url") {
            c.url = v.trim().trim_end_matches('/').to_string();
        }
        if let Some(v) = f.text("baseurl") {
            let base = normalize_baseurl(&v);
            let bad = base
                .chars()
                .find(|ch| !(ch.is_ascii_alphanumeric() || "/-._~%".contains(*ch)));
            match bad {
                None => c.baseurl = base,
                Some(ch) => {
                    let (line, col) = root.get("baseurl").map_or((0, 0), |n| (n.line, n.col));
                    f.report(
                        Diagnostic::error(
                            "config-baseurl",
                            format!("`baseurl` contains `{ch}`, which cannot stand in a URL path"),
                        )
                        .at(line, col)
                        .with_hint("use the path the site is served under, e.g. `baseurl: /2025`"),
                    );
                }
            }
        }
        if let Some(v) = f.text("permalink") {
            c.permalink = v.trim().to_string();
        }
        if let Some(v) = f.text("footer_text") {
            c.footer_text = v.trim().to_string();
        }
        if let Some(v) = f.text("lang") {
            c.lang = v.trim().to_string();
        }
        c.icon = f.text("icon").filter(|s| !s.trim().is_empty());
        if let Some(v) = f.text("blog_name") {
            c.blog_name = v;
        }
        if let Some(v) = f.text("blog_description") {
            c.blog_description = v;
        }
        if let Some(v) = f.text("keywords") {
            c.keywords = v;
        }
        c.exclude = f.string_list("exclude");
        if let Some(b) = f.bool("enable_darkmode") {
            c.enable_darkmode = b;
        }
        c.max_width = f.text("max_width").filter(|s| !s.trim().is_empty());
        if let Some(p) = root.get("pagination") {
            let enabled = p.get("enabled").and_then(|e| e.as_bool()).unwrap_or(false);
            let per_page = p
                .get("per_page")
                .and_then(|n| n.as_i64())
                .filter(|n| *n > 0)
                .map(|n| n as usize);
            if enabled {
                c.paginate = Some(per_page.unwrap_or(DEFAULT_PER_PAGE));
            }
        }
        c.track.conference = c.title.clone();
        if let Some(section) = root.get("blogtrack") {
            read_track(section, &mut c, &mut diags);
        }
        if let Some(n) = c.track.per_page {
            c.paginate = Some(n);
        }
        (c, diags)
    }

    /// `path` (site-relative, with or without a leading `/`) prefixed with the baseurl.
    pub fn relative_url(&self, path: &str) -> String {
        if path.starts_with("http://") || path.starts_with("https://") || path.starts_with("//") {
            return path.to_string();
        }
        let p = path.trim_start_matches('/');
        format!("{}/{}", self.baseurl, p)
    }

    /// Absolute URL of a site-relative path.
    pub fn absolute_url(&self, path: &str) -> String {
        let rel = self.relative_url(path);
        if rel.starts_with("http://") || rel.starts_with("https://") || rel.starts_with("//") {
            return rel;
        }
        format!("{}{}", self.url, rel)
    }
}

fn read_track(section: &Node, c: &mut Config, diags: &mut Vec<Diagnostic>) {
    let Some(map) = section.as_map() else {
        diags.push(
            Diagnostic::error(
                "config-type",
                format!(
                    "`blogtrack` must be a map of settings, found {}",
                    section.type_name()
                ),
            )
            .at(section.line, section.col)
            .with_hint("write `blogtrack:` followed by indented `key: value` lines"),
        );
        return;
    };
    for (key, _) in map {
        if !TRACK_KEYS.contains(&key.name.as_str()) {
            let mut d = Diagnostic::warning(
                "config-unknown-key",
                format!("unknown setting `blogtrack.{}`", key.name),
            )
            .at(key.line, key.col);
            if let Some(s) = did_you_mean(&key.name, TRACK_KEYS) {
                d = d.with_hint(format!("did you mean `{s}`?"));
            } else {
                d = d.with_hint(format!("known settings: {}", TRACK_KEYS.join(", ")));
            }
            diags.push(d);
        }
    }
    let mut f = Fields::new(section, diags);
    if let Some(v) = f.text("conference") {
        c.track.conference = v;
    }
    if let Some(n) = section.get("post_date") {
        match text_of(n).as_deref().and_then(Date::parse_loose) {
            Some(d) => c.track.post_date = Some(d),
            None => diags.push(
                Diagnostic::error("config-type", "`blogtrack.post_date` is not a date")
                    .at(n.line, n.col)
                    .with_hint("write it as YYYY-MM-DD, e.g. `post_date: 2025-04-28`"),
            ),
        }
    }
    if let Some(n) = section.get("phase") {
        match text_of(n).as_deref().and_then(Phase::parse) {
            Some(p) => c.track.phase = p,
            None => diags.push(
                Diagnostic::error(
                    "config-type",
                    "`blogtrack.phase` must be `review` or `camera-ready`",
                )
                .at(n.line, n.col),
            ),
        }
    }
    let mut f = Fields::new(section, diags);
    if let Some(n) = f.u64("max_file_bytes") {
        c.track.max_file_bytes = n;
    }
    if let Some(n) = f.u64("max_submission_bytes") {
        c.track.max_submission_bytes = n;
    }
    if let Some(b) = f.bool("allow_scripts") {
        c.track.allow_scripts = b;
    }
    if let Some(n) = f.u64("per_page") {
        c.track.per_page = Some(n.max(1) as usize);
    }
    c.track.republish_after_deadline = f.string_list("republish_after_deadline");
    if let Some(n) = section.get("dates") {
        c.track.dates = dates::TrackDates::from_yaml(n, diags);
    }
    diags.extend(
        c.track
            .dates
            .consistency(c.track.post_date.map(|d| (d.year, d.month, d.day))),
    );
}

/// A site's public address given on the command line (`--base-url https://host/path`, like
/// Hugo's `--baseURL`): the `url` and `baseurl` it stands for, replacing `_config.yml`'s for one
/// run (a staging or preview copy of the site). One type for every command that takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    /// Scheme and host (`https://staging.example.org`).
    pub url: String,
    /// The path the site is served under (`/2025`, or empty).
    pub baseurl: String,
}

impl std::str::FromStr for BaseUrl {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (url, baseurl) = crate::preview::split_base_url(s)
            .map_err(|d| format!("{} ({})", d.message, d.hint.unwrap_or_default()))?;
        if let Some(ch) = baseurl
            .chars()
            .find(|ch| !(ch.is_ascii_alphanumeric() || "/-._~%".contains(*ch)))
        {
            return Err(format!(
                "the path of `{}` contains `{ch}`, which cannot stand in a URL path",
                s.trim()
            ));
        }
        Ok(BaseUrl { url, baseurl })
    }
}

impl BaseUrl {
    /// `config` with this address instead of its own `url` and `baseurl`.
    pub fn apply(&self, config: &mut Config) {
        config.url = self.url.clone();
        config.baseurl = self.baseurl.clone();
    }
}

/// `"/2024/"` → `"/2024"`, `"/"` and `""` → `""`, `"2024"` → `"/2024"`.
pub fn normalize_baseurl(s: &str) -> String {
    let t = s.trim().trim_matches('/');
    if t.is_empty() {
        String::new()
    } else {
        format!("/{t}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(y: &str) -> (Config, Vec<Diagnostic>) {
        let node = blogtrack_yaml::parse(y).expect("valid yaml");
        Config::from_yaml(&node)
    }

    #[test]
    fn reads_the_keys_that_matter() {
        let (c, d) = cfg("title: T\nbaseurl: /2024/\nurl: https://x.io/\npermalink: /blog/:year/:title/\npagination:\n  enabled: true\nsocial: {a: 1}\n");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(c.baseurl, "/2024");
        assert_eq!(c.url, "https://x.io");
        assert_eq!(c.permalink, "/blog/:year/:title/");
        assert_eq!(c.paginate, Some(DEFAULT_PER_PAGE));
        assert_eq!(c.track.conference, "T");
        assert_eq!(c.relative_url("assets/a.png"), "/2024/assets/a.png");
        assert_eq!(c.relative_url("/assets/a.png"), "/2024/assets/a.png");
        assert_eq!(c.absolute_url("/blog/"), "https://x.io/2024/blog/");
    }

    #[test]
    fn track_section_is_strict_with_did_you_mean() {
        let (c, d) = cfg("blogtrack:\n  conferense: X\n  phase: review\n  post_date: 2025-04-28\n");
        assert_eq!(c.track.phase, Phase::Review);
        assert_eq!(c.track.post_date, Date::new(2025, 4, 28));
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].line, 2);
        assert_eq!(d[0].hint.as_deref(), Some("did you mean `conference`?"));
    }

    #[test]
    fn a_base_url_argument_replaces_url_and_baseurl() {
        let b: BaseUrl = "https://staging.example.org/previews/2025/"
            .parse()
            .unwrap_or_else(|e| panic!("{e}"));
        let (mut c, _) = cfg("url: https://x.io\nbaseurl: /2024\n");
        b.apply(&mut c);
        assert_eq!(
            c.absolute_url("/blog/a/"),
            "https://staging.example.org/previews/2025/blog/a/"
        );
        assert!("ftp://x".parse::<BaseUrl>().is_err());
        assert!("https://x.org/a b".parse::<BaseUrl>().is_err());
        assert!("https://x.org/a\"<".parse::<BaseUrl>().is_err());
    }

    #[test]
    fn a_baseurl_that_is_not_a_url_path_is_an_error() {
        let (c, d) = cfg("baseurl: '/2026\"><script>x</script>'\n");
        assert_eq!(c.baseurl, "");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!((d[0].code, d[0].line), ("config-baseurl", 1));
        assert!(d[0].message.contains('"'), "{}", d[0].message);
        let (c, d) = cfg("baseurl: /iclr-blogposts_2026/v1.0~x\n");
        assert_eq!(
            (c.baseurl.as_str(), d.len()),
            ("/iclr-blogposts_2026/v1.0~x", 0)
        );
    }

    #[test]
    fn empty_baseurl() {
        assert_eq!(normalize_baseurl("/"), "");
        assert_eq!(normalize_baseurl(""), "");
        assert_eq!(normalize_baseurl("2023"), "/2023");
    }
}
