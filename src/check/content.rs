//! Content rules of a submission: what the post itself must get right before reviewers see it.
//!
//! Each rule is a pure function over the post's text, its parsed front matter and its rendered
//! body (the build's own [`crate::render::render_post`] output), returning diagnostics with the
//! post's file and line and a fix. The rules here are the ones the build does not make:
//! required front-matter keys, the description's shape, the date against the slug, the
//! bibliography's name, where referenced files live, scripts in the body, and size limits. The
//! build's own diagnostics (YAML, TOC, citations, math) are kept by the caller unchanged, so an
//! author sees the same message from `check` and from `build`.
//!
//! Nothing here reads the disk: whether a file exists is asked through a callback, so the same
//! rules work on a working tree and on a git tree.

use crate::config::{Config, Phase};
use crate::html::{decode_entities, strip_tags};
use crate::model::{parse_post_file_name, Post};
use crate::render::assets::AssetIndex;
use crate::usage::UsageFinder;
use blogtrack_diag::{Diagnostic, LineIndex};
use blogtrack_gate::display_path;

use super::files::FileEntry;

/// The post being checked.
pub struct PostInput<'a> {
    /// `_posts/SLUG.md` (or `.html`).
    pub rel: &'a str,
    pub slug: &'a str,
    /// The whole file, line endings normalised.
    pub text: &'a str,
    pub post: &'a Post,
    /// Line of the file = line in the YAML + `yaml_shift`.
    pub yaml_shift: u32,
}

impl PostInput<'_> {
    fn key_line(&self, key: &str) -> u32 {
        match self.post.meta.key_line(key) {
            0 => 1,
            l => l + self.yaml_shift,
        }
    }

    fn has_key(&self, key: &str) -> bool {
        self.post.meta.key_lines.iter().any(|(k, _)| k == key)
    }

    fn diag(&self, d: Diagnostic, line: u32) -> Diagnostic {
        d.at(line, 0).in_file(self.rel)
    }
}

/// Whether the post cites anything (`<d-cite` in its source).
pub fn cites(text: &str) -> bool {
    text.contains("<d-cite")
}

/// Required keys, the description, the layout and the date.
pub fn front_matter_rules(p: &PostInput, phase: Phase) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let m = &p.post.meta;
    let missing = |key: &str, example: &str| {
        p.diag(
            Diagnostic::error(
                "content-required-key",
                format!("the front matter has no `{key}`"),
            )
            .with_hint(format!("add `{example}` to the front matter")),
            1,
        )
    };
    let empty = |key: &str, example: &str| {
        p.diag(
            Diagnostic::error("content-required-key", format!("`{key}` is empty"))
                .with_hint(format!("fill it in, e.g. `{example}`")),
            p.key_line(key),
        )
    };
    match &m.layout {
        None if !p.has_key("layout") => out.push(missing("layout", "layout: distill")),
        None => out.push(empty("layout", "layout: distill")),
        Some(l) if l.trim() != "distill" => out.push(
            p.diag(
                Diagnostic::warning(
                    "content-layout",
                    format!(
                        "`layout: {}` is not the article layout",
                        display_path(l.trim())
                    ),
                )
                .with_hint("use `layout: distill`, the layout of the track's posts"),
                p.key_line("layout"),
            ),
        ),
        Some(_) => {}
    }
    if !p.has_key("title") {
        out.push(missing("title", "title: Your post's title"));
    } else if m.title.trim().is_empty() {
        out.push(empty("title", "title: Your post's title"));
    }
    if !p.has_key("authors") {
        out.push(missing("authors", "authors: [{name: Anonymous}]"));
    } else if m.authors.is_empty() {
        out.push(empty("authors", "authors: [{name: Anonymous}]"));
    }
    if !p.has_key("toc") {
        out.push(missing("toc", "toc: [{name: First section heading}]"));
    } else if m.toc.is_empty() {
        out.push(empty("toc", "toc: [{name: First section heading}]"));
    }
    if !p.has_key("description") {
        out.push(missing(
            "description",
            "description: Two or three sentences of abstract.",
        ));
    } else if m.description.trim().is_empty() {
        out.push(empty(
            "description",
            "description: Two or three sentences of abstract.",
        ));
    } else {
        out.extend(description_rules(p, phase));
    }
    let file_name = p.rel.rsplit('/').next().unwrap_or(p.rel);
    let file_date = parse_post_file_name(file_name).map(|(d, ..)| d);
    match (m.date, file_date) {
        (None, Some(fd)) => out.push(
            p.diag(
                Diagnostic::warning(
                    "content-date-missing",
                    format!(
                        "the front matter has no `date`; the file name's {} is used",
                        fd.iso()
                    ),
                )
                .with_hint(format!("add `date: {}`", fd.iso())),
                1,
            ),
        ),
        (Some(d), Some(fd)) if d != fd => out.push(
            p.diag(
                Diagnostic::error(
                    "content-date-mismatch",
                    format!(
                        "`date: {}` does not match the date in the file name ({})",
                        d.iso(),
                        fd.iso()
                    ),
                )
                .with_hint(format!("set `date: {}`", fd.iso())),
                p.key_line("date"),
            ),
        ),
        _ => {}
    }
    out
}

/// Abbreviations whose dot does not end a sentence.
const ABBREVIATIONS: [&str; 14] = [
    "e.g.", "i.e.", "al.", "etc.", "vs.", "cf.", "fig.", "eq.", "sec.", "approx.", "dr.", "prof.",
    "no.", "resp.",
];

/// Number of sentences in a plain-text description: a sentence ends at `.`, `!` or `?` followed
/// by a space or the end (not after a known abbreviation or a single initial); trailing text
/// without a full stop is a sentence too.
pub fn count_sentences(text: &str) -> usize {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut n = 0;
    let mut open = false;
    for w in &words {
        open = true;
        let lower = w.to_lowercase();
        let trimmed = lower.trim_end_matches(['"', '\'', ')', '”', '’']);
        let ends = trimmed.ends_with(['.', '!', '?']);
        let abbrev = ABBREVIATIONS.iter().any(|a| trimmed.ends_with(a))
            || (trimmed.len() == 2 && trimmed.ends_with('.'));
        if ends && !abbrev {
            n += 1;
            open = false;
        }
    }
    n + usize::from(open)
}

fn description_rules(p: &PostInput, phase: Phase) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let d = &p.post.meta.description;
    let line = p.key_line("description");
    // The call's rules for the abstract bind during review; afterwards they are advice.
    let strictness = |code, msg: String, hint: &str| {
        let d = match phase {
            Phase::Review => Diagnostic::error(code, msg),
            Phase::CameraReady => Diagnostic::warning(code, msg),
        };
        p.diag(d.with_hint(hint.to_string()), line)
    };
    let lower = d.to_lowercase();
    if d.matches('$').count() >= 2 || d.contains("\\(") || d.contains("\\[") {
        out.push(strictness(
            "content-description-math",
            "the description contains math".to_string(),
            "write the abstract in words: it is shown in listings, feeds and search results where math is not rendered",
        ));
    }
    if let Some(what) = ["<a ", "](", "http://", "https://", "www."]
        .iter()
        .find(|w| lower.contains(*w))
    {
        out.push(strictness(
            "content-description-link",
            format!("the description contains a link (`{}`)", what.trim()),
            "remove links from the abstract; put them in the post's body",
        ));
    }
    let n = count_sentences(&strip_tags(d));
    // Length is the call's requirement for review; accepted posts may have grown their abstract.
    if phase == Phase::Review && !(2..=3).contains(&n) {
        out.push(
            p.diag(
                Diagnostic::warning(
                    "content-description-length",
                    format!(
                        "the description has {n} sentence{}; the call asks for 2–3",
                        if n == 1 { "" } else { "s" }
                    ),
                )
                .with_hint("summarise the post in two or three sentences"),
                line,
            ),
        );
    }
    out
}

/// `bibliography:` names `SLUG.bib`, the file exists when the post cites, and the post names a
/// bibliography when it cites. `bib_exists` answers for `assets/bibliography/NAME`.
pub fn bibliography_rules(
    p: &PostInput,
    cites: bool,
    bib_exists: &dyn Fn(&str) -> bool,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let want = format!("{}.bib", p.slug);
    let line = p.key_line("bibliography");
    match p
        .post
        .meta
        .bibliography
        .as_deref()
        .filter(|b| !b.is_empty())
    {
        None if cites => out.push(
            p.diag(
                Diagnostic::error(
                    "content-required-key",
                    "the post cites references (`<d-cite>`) but names no `bibliography`",
                )
                .with_hint(format!(
                    "add `bibliography: {want}` and the file assets/bibliography/{want}"
                )),
                line,
            ),
        ),
        None => {}
        Some(name) => {
            if name != want {
                out.push(
                    p.diag(
                        Diagnostic::error(
                            "content-bibliography-name",
                            format!(
                                "`bibliography: {}` is not the post's own file",
                                display_path(name)
                            ),
                        )
                        .with_hint(format!(
                            "set `bibliography: {want}` (the file assets/bibliography/{want})"
                        )),
                        line,
                    ),
                );
            }
            if cites && !bib_exists(name) {
                out.push(
                    p.diag(
                        Diagnostic::error(
                            "content-bibliography-missing",
                            format!(
                                "the bibliography assets/bibliography/{} does not exist",
                                display_path(name)
                            ),
                        )
                        .with_hint(format!(
                            "add your BibTeX file as assets/bibliography/{want}"
                        )),
                        line,
                    ),
                );
            }
        }
    }
    out
}

/// One URL-valued attribute of a tag in rendered HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagRef {
    /// Tag name, lowercase.
    pub tag: String,
    /// Attribute name, lowercase.
    pub attr: String,
    /// Value with entities decoded.
    pub value: String,
}

/// `data-src`: the placeholder the renderer puts where a missing image would be keeps its URL there.
/// `srcset` is a list of candidates: [`reference_rules`] checks each one's URL.
const URL_ATTRS: [&str; 6] = ["src", "href", "data", "poster", "data-src", "srcset"];
/// Tags whose `src`/`data`/`poster` is loaded into the page.
const EMBED_TAGS: [&str; 9] = [
    "img", "iframe", "video", "audio", "source", "embed", "object", "track", "script",
];

/// The tags of `html` (names lowercase) with their URL attributes. Comments are skipped; a
/// linear scan that never fails.
pub fn scan_tags(html: &str) -> (Vec<TagRef>, usize) {
    let mut out = Vec::new();
    let mut scripts = 0;
    for (name, attrs) in crate::html::start_tags(html) {
        let tag = name.to_ascii_lowercase();
        if tag == "script" {
            scripts += 1;
        }
        for a in crate::html::attributes(attrs) {
            let attr = a.name.to_ascii_lowercase();
            if URL_ATTRS.contains(&attr.as_str()) {
                out.push(TagRef {
                    tag: tag.clone(),
                    attr,
                    value: decode_entities(a.value).into_owned(),
                });
            }
        }
    }
    (out, scripts)
}

fn is_external(url: &str) -> bool {
    let l = url.trim().to_ascii_lowercase();
    l.starts_with("http://") || l.starts_with("https://") || l.starts_with("//")
}

/// The submission's own places for `slug`.
pub fn is_own_path(rel: &str, slug: &str) -> bool {
    let inside = |dir: &str| {
        rel.strip_prefix(dir)
            .and_then(|r| r.strip_prefix(slug))
            .is_some_and(|r| r.is_empty() || r.starts_with('/'))
    };
    inside("assets/img/")
        || inside("assets/html/")
        || rel == format!("assets/bibliography/{slug}.bib")
}

/// The line where `text` uses `needle` (or its file name), not merely quotes it in code or a
/// comment; 0 when it does not mention it.
fn line_of(uses: &UsageFinder, ix: &LineIndex, needle: &str) -> u32 {
    let name = needle.rsplit('/').next().unwrap_or(needle);
    [needle, name]
        .iter()
        .find_map(|n| uses.find(n))
        .map_or(0, |o| ix.line(o))
}

/// Every image (each `srcset` candidate too), video, iframe, object and link to `assets/` in the
/// rendered body must be a file in the submission's own folders that exists; external embeds are
/// warnings.
/// `includes` are the figure includes' paths with their lines; `exists` answers for a
/// repository-relative path.
pub fn reference_rules(
    p: &PostInput,
    body_html: &str,
    includes: &[(String, u32)],
    baseurl: &str,
    exists: &dyn Fn(&str) -> bool,
) -> Vec<Diagnostic> {
    let (refs, _) = scan_tags(body_html);
    let refs = refs.into_iter().flat_map(|r| {
        if r.attr != "srcset" {
            return vec![r];
        }
        r.value
            .split(',')
            .filter_map(|c| c.split_whitespace().next())
            .map(|u| TagRef {
                tag: r.tag.clone(),
                attr: "src".into(),
                value: u.to_string(),
            })
            .collect()
    });
    let ix = LineIndex::new(p.text);
    let uses = UsageFinder::new(p.text);
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for r in refs {
        let embed = EMBED_TAGS.contains(&r.tag.as_str()) && r.attr != "href";
        if is_external(&r.value) {
            if embed && r.tag != "script" && seen.insert(r.value.clone()) {
                let url = display_path(r.value.trim());
                out.push(p.diag(
                    Diagnostic::warning(
                        "content-external-embed",
                        format!("the post loads `{url}` from another site (<{}>)", r.tag),
                    )
                    .with_hint(format!(
                        "copy the file into assets/img/{0}/ or assets/html/{0}/ if you may; external files can change or disappear",
                        p.slug
                    )),
                    line_of(&uses, &ix, r.value.trim()),
                ));
            }
            continue;
        }
        let Some(rel) = AssetIndex::site_path(&r.value, baseurl) else {
            continue;
        };
        if rel.is_empty() || (!embed && !rel.starts_with("assets/")) {
            continue;
        }
        if !seen.insert(rel.clone()) {
            continue;
        }
        let line = includes
            .iter()
            .find(|(p, _)| *p == rel)
            .map(|(_, l)| *l)
            .unwrap_or_else(|| line_of(&uses, &ix, &rel));
        let shown = display_path(&rel);
        if !is_own_path(&rel, p.slug) {
            out.push(p.diag(
                Diagnostic::error(
                    "content-asset-outside",
                    format!("the post uses `{shown}`, which is outside this submission's folders"),
                )
                .with_hint(format!(
                    "put the file in assets/img/{0}/ (or assets/html/{0}/ for HTML figures) and reference it there",
                    p.slug
                )),
                line,
            ));
        } else if !exists(&rel)
            // A hand-written `NAME-800.webp` of a raster `NAME.png`: the build makes it (or
            // serves the original under its name).
            && crate::build::images::variant_original(&rel, exists).is_none()
        {
            out.push(p.diag(
                Diagnostic::error(
                    "content-asset-missing",
                    format!("the post uses `{shown}`, which is not in the submission"),
                )
                .with_hint("add the file to the pull request, or fix the path (file names are case-sensitive)"),
                line,
            ));
        }
    }
    out
}

/// Lines of `text` with `<script` outside fenced code blocks.
fn script_lines(text: &str) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    let mut fence: Option<&str> = None;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start();
        let marker = if t.starts_with("```") {
            Some("```")
        } else if t.starts_with("~~~") {
            Some("~~~")
        } else {
            None
        };
        match (fence, marker) {
            (None, Some(m)) => {
                fence = Some(m);
                continue;
            }
            (Some(f), Some(m)) if f == m => {
                fence = None;
                continue;
            }
            (Some(_), _) => continue,
            _ => {}
        }
        let lower = line.to_ascii_lowercase();
        if let Some(col) = lower.find("<script") {
            let c = line[..col].chars().count() as u32 + 1;
            out.push((i as u32 + 1, c));
        }
    }
    out
}

/// No `<script>` in the post body unless the track allows it.
pub fn script_rules(p: &PostInput, body_html: &str, allow: bool) -> Vec<Diagnostic> {
    if allow {
        return Vec::new();
    }
    let (_, scripts) = scan_tags(body_html);
    if scripts == 0 {
        return Vec::new();
    }
    let make = |line: u32, col: u32| {
        Diagnostic::error("content-script", "a `<script>` in the post body")
            .at(line, col)
            .in_file(p.rel)
            .with_hint(format!(
                "the track does not run scripts in posts: put interactive figures in assets/html/{}/ and show them with an <iframe>",
                p.slug
            ))
    };
    let lines = script_lines(p.text);
    if lines.is_empty() {
        vec![make(0, 0)]
    } else {
        lines.into_iter().map(|(l, c)| make(l, c)).collect()
    }
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

/// Per-file and per-submission size limits (`blogtrack.max_file_bytes`,
/// `blogtrack.max_submission_bytes`).
pub fn size_rules(files: &[FileEntry], config: &Config) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let per_file = config.track.max_file_bytes;
    let total_limit = config.track.max_submission_bytes;
    for f in files {
        if f.len > per_file {
            out.push(
                Diagnostic::error(
                    "content-file-too-large",
                    format!("the file is {}; the limit is {} per file", mib(f.len), mib(per_file)),
                )
                .in_file(f.rel.clone())
                .with_hint("compress or shrink it (images: resize or convert to WebP/JPEG; videos: lower the bitrate; plotly: load plotly.js from a CDN instead of embedding it)"),
            );
        }
    }
    let total: u64 = files.iter().map(|f| f.len).sum();
    if total > total_limit {
        out.push(
            Diagnostic::error(
                "content-submission-too-large",
                format!(
                    "the submission's files add up to {}; the limit is {}",
                    mib(total),
                    mib(total_limit)
                ),
            )
            .with_hint(
                "shrink the largest files (see `--format json` for sizes) or remove unused ones",
            ),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_are_counted_past_abbreviations_and_decimals() {
        assert_eq!(count_sentences("One. Two."), 2);
        assert_eq!(
            count_sentences("We study e.g. Adam vs. SGD. It is 3.5 times faster"),
            2
        );
        assert_eq!(count_sentences("A single sentence without a stop"), 1);
        assert_eq!(
            count_sentences("Work by Smith et al. shows this. And that! Really?"),
            3
        );
        assert_eq!(count_sentences(""), 0);
        assert_eq!(count_sentences("J. Doe wrote it. Twice."), 2);
    }

    #[test]
    fn tags_and_their_url_attributes() {
        let (refs, scripts) = scan_tags(
            "<p>a</p><!-- <img src=\"c.png\"> --><img class=x src=\"/b/a.png?x=1&amp;y\"/>\
             <IFRAME SRC='f.html'></IFRAME><a href=x>l</a><script>1<2</script>",
        );
        let got: Vec<(&str, &str, &str)> = refs
            .iter()
            .map(|r| (r.tag.as_str(), r.attr.as_str(), r.value.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("img", "src", "/b/a.png?x=1&y"),
                ("iframe", "src", "f.html"),
                ("a", "href", "x")
            ]
        );
        assert_eq!(scripts, 1);
    }

    #[test]
    fn own_paths_are_matched_by_component() {
        let s = "2025-04-28-x";
        assert!(is_own_path("assets/img/2025-04-28-x/a.png", s));
        assert!(is_own_path("assets/html/2025-04-28-x/f/i.html", s));
        assert!(is_own_path("assets/bibliography/2025-04-28-x.bib", s));
        assert!(!is_own_path("assets/img/2025-04-28-x-other/a.png", s));
        assert!(!is_own_path("assets/img/2025-04-28-y/a.png", s));
        assert!(!is_own_path("assets/bibliography/2025-04-28-x.bib.old", s));
    }

    #[test]
    fn scripts_in_code_fences_do_not_count() {
        let text = "---\n---\n```html\n<script>x</script>\n```\n<script src=a.js></script>\n";
        assert_eq!(script_lines(text), [(6, 1)]);
    }
}
