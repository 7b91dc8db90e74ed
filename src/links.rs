//! Link checking of the written site: every local `href`/`src` must resolve to a page or file of
//! the site, and every `#fragment` to an element of its page.
//!
//! Runs over the generated HTML, so it sees exactly what readers get. In two steps, so that a
//! build need not keep its pages: [`PageLinks::extract`] takes what the check needs from a page
//! when it is rendered (its local links, and its `#fragment` links already checked against its
//! own ids), and [`check_links`] checks them against every path of the site once all are known.
//! A broken link written by an author is a warning on the source file (with the line where the
//! link appears); blogtrack's own links are checked by the same code in the tests.
//!
//! `srcset` (of `<img>` and of `<source>` in `<picture>`) is read candidate by candidate. A
//! hand-written `NAME-480.webp` / `-800` / `-1400` (the variants the old al-folio site made)
//! resolves to the variant the build generated; when there is none (the original is narrower
//! than that width, or could not be decoded) but the raster original `NAME.png`/`.jpg` exists, the
//! link resolves to the original: [`variant_fallbacks`] lists those, the build serves the
//! original's bytes under the variant's name (browsers sniff raster formats), and the check warns
//! `image-variant-original`. Any other missing file is the usual `broken-link`.

use crate::model::StaticFile;
use crate::render::assets::AssetIndex;
use crate::site::OutFile;
use blogtrack_diag::Diagnostic;
use std::collections::HashSet;

/// Where a generated page came from, for messages.
pub struct Origin<'a> {
    pub source: &'a str,
    pub text: &'a str,
}

/// Values of the attributes `names` of every start tag of `html`, in page order (quoted or
/// not: an unquoted `href=x` is a link too).
fn attr_values<'h>(html: &'h str, names: &[&str]) -> Vec<&'h str> {
    crate::html::start_tags(html)
        .flat_map(|(_, attrs)| crate::html::attributes(attrs))
        .filter(|a| names.iter().any(|w| a.name.eq_ignore_ascii_case(w)))
        .map(|a| a.value)
        .collect()
}

/// The site-relative directory of an output page (`blog/x/index.html` → `blog/x/`).
fn page_dir(path: &str) -> &str {
    match path.rfind('/') {
        Some(i) => &path[..=i],
        None => "",
    }
}

/// What the link check needs of one HTML page, taken from it as soon as it is rendered so that
/// the page itself need not be kept: its path, its local links (each once, as written, in page
/// order) and those of its `#fragment` links that name no element of the page (checked at once,
/// since the page's own ids are at hand). External links (`https:`, `mailto:`, `//host`) are
/// dropped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageLinks {
    pub path: String,
    /// In page order: `(link as written, whether it is a fragment link already found broken)`.
    links: Vec<(Box<str>, bool)>,
}

/// Whether a link (entities decoded) leaves the site: a scheme or a protocol-relative host.
fn is_external(decoded: &str) -> bool {
    decoded.starts_with("//")
        || decoded.contains("://")
        || (decoded.contains(':') && !decoded.starts_with('/'))
}

impl PageLinks {
    /// The links of the page `html` at the site-relative `path`.
    pub fn extract(path: &str, html: &str) -> PageLinks {
        let ids: HashSet<&str> = attr_values(html, &["id", "name"]).into_iter().collect();
        let mut seen = HashSet::new();
        let mut links = Vec::new();
        let srcsets = attr_values(html, &["srcset"]);
        let candidates = srcsets.iter().flat_map(|set| srcset_urls(set));
        for v in attr_values(html, &["href", "src"])
            .into_iter()
            .chain(candidates)
        {
            if !seen.insert(v) {
                continue;
            }
            let v = v.trim();
            if let Some(frag) = v.strip_prefix('#') {
                if !frag.is_empty() && !ids.contains(crate::html::decode_entities(frag).as_ref()) {
                    links.push((v.into(), true));
                }
            } else if !is_external(&crate::html::decode_entities(v)) {
                links.push((v.into(), false));
            }
        }
        PageLinks {
            path: path.to_string(),
            links,
        }
    }

    /// The links of a generated file (none unless it is an HTML page in UTF-8).
    pub fn of_file(f: &OutFile) -> PageLinks {
        match std::str::from_utf8(&f.content) {
            Ok(html) if f.path.ends_with(".html") => PageLinks::extract(&f.path, html),
            _ => PageLinks {
                path: f.path.clone(),
                links: Vec::new(),
            },
        }
    }
}

/// The URLs of a `srcset` value: each comma-separated candidate's URL, without its `480w` / `2x`
/// descriptor. A URL may itself contain commas only when the candidate has a descriptor, which
/// the split by `, ` (the separator every writer uses) keeps.
fn srcset_urls(set: &str) -> Vec<&str> {
    set.split(',')
        .filter_map(|c| c.split_whitespace().next())
        .filter(|u| !u.is_empty())
        .collect()
}

/// Where a local link of `page_path` leads.
enum Target {
    /// Outside the site, or a page or file of it.
    Found,
    /// A hand-written variant name with no variant: (variant path, original path).
    Original(String, String),
    Broken,
}

fn resolve(v: &str, page_path: &str, baseurl: &str, exists: &dyn Fn(&str) -> bool) -> Target {
    let decoded = crate::html::decode_entities(v);
    let joined;
    let href = if decoded.starts_with('/') {
        decoded.as_ref()
    } else {
        joined = format!("{baseurl}/{}{}", page_dir(page_path), decoded);
        joined.as_str()
    };
    if is_external(href) {
        return Target::Found;
    }
    if !baseurl.is_empty() && href != baseurl && !href.starts_with(&format!("{baseurl}/")) {
        return Target::Broken;
    }
    match AssetIndex::site_path(href, baseurl) {
        Some(p) if p.is_empty() => match exists("index.html") {
            true => Target::Found,
            false => Target::Broken,
        },
        Some(p) => {
            if exists(p.as_str())
                || exists(format!("{}/index.html", p.trim_end_matches('/')).as_str())
            {
                Target::Found
            } else if let Some(original) = crate::build::images::variant_original(&p, exists) {
                Target::Original(p, original)
            } else {
                Target::Broken
            }
        }
        None => Target::Broken,
    }
}

/// Hand-written variant references (`NAME-800.webp`) of `pages` that name no file of the site
/// but whose raster original exists: (variant path, original path), each once. The build adds
/// the original under the variant's name so the reference works.
pub fn variant_fallbacks(
    pages: &[PageLinks],
    targets: &HashSet<&str>,
    statics: &[StaticFile],
    baseurl: &str,
) -> Vec<(String, String)> {
    let statics_set: HashSet<&str> = statics.iter().map(|s| s.rel.as_str()).collect();
    let exists = |p: &str| targets.contains(p) || statics_set.contains(p);
    let mut out: Vec<(String, String)> = Vec::new();
    for page in pages {
        for (v, _) in page.links.iter().filter(|(v, _)| !v.starts_with('#')) {
            if let Target::Original(variant, original) = resolve(v, &page.path, baseurl, &exists) {
                if !out.iter().any(|(w, _)| *w == variant) {
                    out.push((variant, original));
                }
            }
        }
    }
    out
}

/// Checks the local links of the generated HTML pages `pages` against the site's paths:
/// `targets` (every generated file) and the track's `statics`. `origin` names the source of a
/// page (pages without one, such as listings, are blogtrack's own).
pub fn check_links<'o>(
    pages: &[PageLinks],
    targets: &HashSet<&str>,
    statics: &[StaticFile],
    baseurl: &str,
    origin: &dyn Fn(&str) -> Option<Origin<'o>>,
) -> Vec<Diagnostic> {
    let statics_set: HashSet<&str> = statics.iter().map(|s| s.rel.as_str()).collect();
    let exists = |p: &str| targets.contains(p) || statics_set.contains(p);
    let mut diags = Vec::new();
    for page in pages {
        for (v, broken_fragment) in &page.links {
            let v: &str = v;
            let (broken, original) = if v.starts_with('#') {
                (*broken_fragment, None)
            } else {
                match resolve(v, &page.path, baseurl, &exists) {
                    Target::Found => (false, None),
                    Target::Original(_, original) => (false, Some(original)),
                    Target::Broken => (true, None),
                }
            };
            if !broken && original.is_none() {
                continue;
            }
            let (file, line) = match origin(&page.path) {
                Some(o) => {
                    // The link as written, or its path without the baseurl (written through
                    // `relative_url` or `site.baseurl`).
                    let bare = v.strip_prefix(baseurl).unwrap_or(v).trim_start_matches('/');
                    // Where it is used, not where it is first quoted (a code block).
                    let uses = crate::usage::UsageFinder::new(o.text);
                    let line = match uses.line(v) {
                        0 => uses.line(bare),
                        l => l,
                    };
                    (o.source.to_string(), line)
                }
                None => (page.path.clone(), 0),
            };
            if let Some(original) = original {
                diags.push(
                    Diagnostic::warning(
                        "image-variant-original",
                        format!(
                            "`{v}` is not generated (the image `{original}` is narrower than that \
                             width, or could not be decoded): the site serves the original under that name"
                        ),
                    )
                    .at(line, 0)
                    .in_file(file)
                    .with_hint(
                        "reference the original image, or drop this candidate; figures included with \
                         {% include figure.html %} get their variants automatically",
                    ),
                );
                continue;
            }
            let what = if v.starts_with('#') {
                "no element of this page has that id"
            } else {
                "no page or file of the site is at that address"
            };
            diags.push(
                Diagnostic::warning("broken-link", format!("broken link `{v}`: {what}"))
                    .at(line, 0)
                    .in_file(file)
                    .with_hint(if v.starts_with('#') {
                        "link to a heading's id (shown by the # next to it on the page), or add the id"
                    } else {
                        "check the path; site paths start with the baseurl or use {{ 'path' | relative_url }}"
                    }),
            );
        }
    }
    diags
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, html: &str) -> OutFile {
        OutFile::text(path, html.to_string())
    }

    #[test]
    fn the_link_check_sees_unquoted_and_single_quoted_links() {
        let page = PageLinks::extract(
            "blog/x/index.html",
            "<p id=here><a href=/gone/>a</a> <a href='#nowhere'>b</a> <img src=pic.png> \
             <a href=#here>c</a> href=/in-text/ <code>&lt;a href=/code/&gt;</code></p>",
        );
        let found: Vec<(&str, bool)> = page.links.iter().map(|(l, b)| (&**l, *b)).collect();
        assert_eq!(
            found,
            vec![("/gone/", false), ("#nowhere", true), ("pic.png", false)]
        );
    }

    /// Issue 12 item 7: `srcset` candidates are links; an old-site variant name resolves to the
    /// generated variant, else to its raster original (with a warning), else it is broken.
    #[test]
    fn srcset_candidates_and_hand_written_variants() {
        let html = "<picture><source srcset=\"/2024/assets/img/x/fig-480.webp 480w, \
                    /2024/assets/img/x/fig-1400.webp 1400w\"><img src=\"/2024/assets/img/x/fig.png\" \
                    srcset='gone-800.webp 800w, fig-1400.webp 2x'></picture>";
        let page = PageLinks::extract("blog/x/index.html", html);
        let found: Vec<&str> = page.links.iter().map(|(l, _)| &**l).collect();
        assert_eq!(
            found,
            vec![
                "/2024/assets/img/x/fig.png",
                "/2024/assets/img/x/fig-480.webp",
                "/2024/assets/img/x/fig-1400.webp",
                "gone-800.webp",
                "fig-1400.webp",
            ]
        );
        let statics: Vec<StaticFile> = ["assets/img/x/fig.png", "assets/img/x/fig-480.webp"]
            .iter()
            .map(|r| StaticFile {
                rel: r.to_string(),
                abs: Default::default(),
                len: 0,
            })
            .collect();
        let mut other = page.clone();
        other.path = "assets/img/x/index.html".into();
        let pages = vec![page, other];
        let targets = HashSet::new();
        let d = check_links(&pages, &targets, &statics, "/2024", &|_| None);
        let got: Vec<(&str, &str)> = d.iter().map(|d| (d.code, d.message.as_str())).collect();
        let codes: Vec<&str> = got.iter().map(|(c, _)| *c).collect();
        // Page 1: the 1400 px variant falls back to the original; `gone-800.webp` and the
        // relative `fig-1400.webp` (blog/x/fig-1400.webp) name nothing. Page 2 (in
        // assets/img/x/): the relative `fig-1400.webp` is the same fallback.
        assert_eq!(
            codes,
            [
                "image-variant-original",
                "broken-link",
                "broken-link",
                "image-variant-original",
                "broken-link",
                "image-variant-original"
            ],
            "{got:?}"
        );
        assert!(got[0].1.contains("fig-1400.webp") && got[0].1.contains("assets/img/x/fig.png"));
        assert!(got[1].1.contains("gone-800.webp"));
        assert_eq!(
            variant_fallbacks(&pages, &targets, &statics, "/2024"),
            vec![(
                "assets/img/x/fig-1400.webp".to_string(),
                "assets/img/x/fig.png".to_string()
            )]
        );
    }

    #[test]
    fn finds_broken_paths_and_fragments_only() {
        let files = [
            page(
                "blog/x/index.html",
                "<h2 id=\"a\">A</h2><a name=\"n\"></a><a href=\"#a\">ok</a> <a href=\"#n\">ok</a> \
                 <a href=\"#nope\">bad</a> <a href=\"/2024/blog/y/\">ok</a> <img src=\"/2024/assets/i.png\"> \
                 <a href=\"/2024/blog/zz/\">bad</a> <a href=\"https://x.org/\">ext</a> <a href=\"mailto:a@b\">m</a> \
                 <a href=\"/other/\">outside</a> <img src=\"pic.png\">",
            ),
            page("blog/y/index.html", ""),
        ];
        let statics = vec![StaticFile {
            rel: "assets/i.png".into(),
            abs: Default::default(),
            len: 0,
        }];
        let src = "line1\n<a href=\"#nope\">bad</a>\n";
        let origin = |p: &str| {
            (p == "blog/x/index.html").then_some(Origin {
                source: "_posts/x.md",
                text: src,
            })
        };
        let pages: Vec<PageLinks> = files.iter().map(PageLinks::of_file).collect();
        let targets: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
        let d = check_links(&pages, &targets, &statics, "/2024", &origin);
        let msgs: Vec<String> = d.iter().map(|d| d.message.clone()).collect();
        assert_eq!(d.len(), 4, "{msgs:?}");
        assert!(msgs[0].contains("#nope"));
        assert_eq!(d[0].line, 2);
        assert_eq!(d[0].file.as_deref(), Some("_posts/x.md"));
        assert!(msgs.iter().any(|m| m.contains("/2024/blog/zz/")));
        assert!(msgs.iter().any(|m| m.contains("/other/")));
        assert!(msgs.iter().any(|m| m.contains("pic.png")));
    }
}
