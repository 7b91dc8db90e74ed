//! End-to-end checks on the real tracks of the corpus (`blogtrack_testcorpus`; skipped with a
//! message when it is absent): the binary builds each one, and the
//! output is walked like a reader and a crawler would: every post at its Jekyll URL, every local
//! link and asset resolving, no Liquid or TeX delimiters left in visible text, citations and
//! footnotes rendered into the static HTML, no external script, style or font in the chrome.
//!
//! The expected URLs and the facts about each post are computed here from the sources with
//! independent, simple code, not with blogtrack's own functions.

use scraper::{Html, Selector};
use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

struct Built {
    _dir: tempfile::TempDir,
    out: PathBuf,
    stderr: String,
    status: i32,
}

fn build(track: &Path, name: &str) -> &'static Built {
    static B23: OnceLock<Built> = OnceLock::new();
    static B24: OnceLock<Built> = OnceLock::new();
    let cell = if name == "iclr-2023" { &B23 } else { &B24 };
    cell.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("site");
        let o = Command::new(env!("CARGO_BIN_EXE_blogtrack"))
            .args(["build"])
            .arg(track)
            .arg("-o")
            .arg(&out)
            .output()
            .expect("run blogtrack");
        Built {
            _dir: dir,
            out,
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
            status: o.status.code().unwrap_or(-1),
        }
    })
}

fn config_value(track: &Path, key: &str) -> String {
    let text = fs::read_to_string(track.join("_config.yml")).expect("config");
    text.lines()
        .find_map(|l| l.strip_prefix(&format!("{key}:")))
        .map(|v| v.split(" #").next().unwrap_or("").trim().to_string())
        .unwrap_or_default()
}

/// (slug date, name, source text) of every post file.
fn posts(track: &Path) -> Vec<(String, String, String)> {
    let mut v: Vec<_> = fs::read_dir(track.join("_posts"))
        .expect("posts")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md") || n.ends_with(".html"))
        .map(|n| {
            let stem = n.rsplit_once('.').map(|(s, _)| s).unwrap_or(&n).to_string();
            let text = fs::read_to_string(track.join("_posts").join(&n)).expect("post");
            (stem[..10].to_string(), stem[11..].to_string(), text)
        })
        .collect();
    v.sort();
    v
}

fn expected_post_path(track: &Path, date: &str, name: &str) -> String {
    let permalink = config_value(track, "permalink");
    permalink
        .replace(":year", &date[..4])
        .replace(":title", name)
        .trim_start_matches('/')
        .to_string()
        + "index.html"
}

fn html_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).expect("dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "html") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn left_out(track: &Path) -> HashSet<String> {
    fs::read_to_string(track.join("LEFT_OUT.txt"))
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split('\t').find(|p| p.starts_with("assets/")))
        .map(str::to_string)
        .collect()
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("selector")
}

/// Visible text outside code, scripts, styles and MathML annotations.
fn visible_text(doc: &Html) -> String {
    let mut out = String::new();
    for node in doc.tree.nodes() {
        if let scraper::Node::Text(t) = node.value() {
            let hidden = node.ancestors().any(|a| {
                a.value().as_element().is_some_and(|e| {
                    matches!(
                        e.name(),
                        "code"
                            | "pre"
                            | "script"
                            | "style"
                            | "annotation"
                            | "textarea"
                            | "template"
                    )
                })
            });
            if !hidden {
                out.push_str(t);
                out.push(' ');
            }
        }
    }
    out
}

/// Text that authors escaped with `{% raw %}…{% endraw %}` (it is meant to show Liquid).
fn raw_sections(track: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for dir in ["_posts", "_pages"] {
        for e in fs::read_dir(track.join(dir))
            .into_iter()
            .flatten()
            .flatten()
        {
            let text = fs::read_to_string(e.path()).unwrap_or_default();
            for part in text.split("{% raw").skip(1) {
                let inner = part.split_once("%}").map(|(_, r)| r).unwrap_or("");
                let inner = inner.split("{% endraw").next().unwrap_or("");
                out.extend(
                    inner
                        .split("%}")
                        .filter_map(|t| t.split("{%").nth(1))
                        .map(|t| format!("{{%{t}%}}")),
                );
            }
        }
    }
    out
}

/// Removes Liquid tags that authors escaped on purpose from visible text.
fn strip_escaped_liquid(visible: &str, raw: &[String]) -> String {
    let mut v = visible.to_string();
    for tag in raw {
        v = v.replace(tag.as_str(), "");
    }
    v
}

/// Links that are broken in the author's source are allowed only if the build reported them.
fn warned(stderr: &str, href: &str) -> bool {
    stderr.contains(&format!("broken link `{href}`"))
}

fn check_track(test: &str, name: &str) {
    let Some(track) = blogtrack_testcorpus::track(test, name) else {
        return;
    };
    let b = build(&track, name);
    assert_eq!(b.status, 0, "build of {name} failed:\n{}", b.stderr);
    let baseurl = config_value(&track, "baseurl");
    let missing_ok = left_out(&track);

    // Every post at its Jekyll URL.
    for (date, post, _) in posts(&track) {
        let p = b.out.join(expected_post_path(&track, &date, &post));
        assert!(p.is_file(), "{name}: post {post} not at {}", p.display());
    }

    // Every local href/src resolves (fragments on the same page too).
    let mut broken = BTreeSet::new();
    let mut external_chrome = BTreeSet::new();
    let raw_snippets = raw_sections(&track);
    for file in html_files(&b.out) {
        if file
            .strip_prefix(&b.out)
            .is_ok_and(|p| p.starts_with("assets"))
        {
            // The authors' own files (interactive figures), copied verbatim.
            continue;
        }
        let text = fs::read_to_string(&file).expect("html");
        let doc = Html::parse_document(&text);
        let ids: HashSet<String> = doc
            .select(&sel("[id], a[name]"))
            .filter_map(|e| {
                e.value()
                    .attr("id")
                    .or_else(|| e.value().attr("name"))
                    .map(str::to_string)
            })
            .collect();
        let rel_file = file
            .strip_prefix(&b.out)
            .expect("inside")
            .to_string_lossy()
            .into_owned();
        for (selector, attr) in [
            ("a[href]", "href"),
            ("link[href]", "href"),
            ("img[src]", "src"),
            ("script[src]", "src"),
            ("iframe[src]", "src"),
            ("video[src]", "src"),
            ("source[src]", "src"),
        ] {
            for el in doc.select(&sel(selector)) {
                let Some(v) = el.value().attr(attr) else {
                    continue;
                };
                let v = v.trim();
                if v.contains("://")
                    || v.starts_with("//")
                    || v.starts_with("mailto:")
                    || v.starts_with("data:")
                {
                    let in_head = el
                        .ancestors()
                        .any(|a| a.value().as_element().is_some_and(|e| e.name() == "head"));
                    if in_head && (attr == "src" || el.value().attr("rel") == Some("stylesheet")) {
                        external_chrome.insert(format!("{rel_file}: {v}"));
                    }
                    continue;
                }
                if v.starts_with("javascript:") || v.is_empty() {
                    continue;
                }
                if let Some(frag) = v.strip_prefix('#') {
                    if !frag.is_empty() && !ids.contains(frag) && !warned(&b.stderr, v) {
                        broken.insert(format!("{rel_file}: #{frag}"));
                    }
                    continue;
                }
                let path = v.split(['#', '?']).next().unwrap_or("");
                let site_path = if let Some(p) = path.strip_prefix('/') {
                    let p = format!("/{p}");
                    match p.strip_prefix(&baseurl) {
                        Some(rest) => rest.trim_start_matches('/').to_string(),
                        None => {
                            broken.insert(format!("{rel_file}: {v} (outside the baseurl)"));
                            continue;
                        }
                    }
                } else {
                    // Relative to the page's folder.
                    let dir = Path::new(&rel_file).parent().unwrap_or(Path::new(""));
                    dir.join(path).to_string_lossy().into_owned()
                };
                let decoded = site_path.replace("%20", " ");
                let target = b.out.join(&decoded);
                let ok = target.is_file() || target.join("index.html").is_file();
                if !ok && !missing_ok.contains(decoded.as_str()) && !warned(&b.stderr, v) {
                    broken.insert(format!("{rel_file}: {v}"));
                }
            }
        }
        // No Liquid and no TeX delimiters left in what a reader sees.
        let visible = visible_text(&doc);
        let visible = strip_escaped_liquid(&visible, &raw_snippets);
        for bad in ["{%", "%}", "$$", "\\(", "\\["] {
            assert!(
                !visible.contains(bad),
                "{name}: `{bad}` left in the visible text of {rel_file}: …{}…",
                visible
                    .find(bad)
                    .map(|i| visible[i.saturating_sub(80)..(i + 80).min(visible.len())].to_string())
                    .unwrap_or_default()
            );
        }
        assert!(
            !without_comments(&text).contains("<d-cite"),
            "{name}: <d-cite> left in {rel_file}"
        );
        assert!(
            !text.contains("<d-footnote"),
            "{name}: <d-footnote> left in {rel_file}"
        );
    }
    assert!(
        broken.is_empty(),
        "{name}: broken local links:\n{}",
        broken.into_iter().collect::<Vec<_>>().join("\n")
    );
    assert!(
        external_chrome.is_empty(),
        "{name}: external scripts/styles in the chrome:\n{}",
        external_chrome.into_iter().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn iclr_2023_builds_with_every_post_and_link_in_place() {
    check_track(
        "corpus::iclr_2023_builds_with_every_post_and_link_in_place",
        "iclr-2023",
    );
}

#[test]
fn iclr_2024_builds_with_every_post_and_link_in_place() {
    check_track(
        "corpus::iclr_2024_builds_with_every_post_and_link_in_place",
        "iclr-2024",
    );
}

/// `s` without its `<!-- … -->` comments: Distill's script never saw citations and footnotes
/// written inside one.
fn without_comments(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(k) = rest.find("<!--") {
        out.push_str(&rest[..k]);
        rest = rest[k + 4..]
            .find("-->")
            .map_or("", |e| &rest[k + 4 + e + 3..]);
    }
    out.push_str(rest);
    out
}

/// Keys cited in a post's source.
fn cited_keys(text: &str) -> Vec<String> {
    let mut keys = Vec::new();
    for part in text.split("<d-cite").skip(1) {
        let tag = part.split('>').next().unwrap_or("");
        if let Some(v) = tag.split("key=\"").nth(1).and_then(|r| r.split('"').next()) {
            keys.extend(
                v.split(',')
                    .map(|k| k.trim().to_string())
                    .filter(|k| !k.is_empty()),
            );
        }
    }
    keys
}

fn bib_keys(track: &Path, post_text: &str) -> HashSet<String> {
    let bib = post_text
        .lines()
        .find_map(|l| l.strip_prefix("bibliography:"))
        .map(|v| v.trim().to_string())
        .unwrap_or_default();
    let text = fs::read_to_string(track.join("assets/bibliography").join(&bib)).unwrap_or_default();
    text.split('@')
        .skip(1)
        .filter_map(|e| {
            let (_, rest) = e.split_once('{')?;
            Some(rest.split(',').next()?.trim().to_string())
        })
        .collect()
}

/// Every cited key that exists in the post's `.bib` is a formatted entry in the static HTML, and
/// every footnote's text is in the page.
fn check_citations_and_footnotes(test: &str, name: &str) {
    let Some(track) = blogtrack_testcorpus::track(test, name) else {
        return;
    };
    let b = build(&track, name);
    let (mut cited, mut rendered, mut notes, mut notes_found) = (0, 0, 0, 0);
    let mut ref_math = 0;
    for (date, post, text) in posts(&track) {
        let html =
            fs::read_to_string(b.out.join(expected_post_path(&track, &date, &post))).expect("page");
        let doc = Html::parse_document(&html);
        let refs: HashSet<String> = doc
            .select(&sel("ol.reference-list li[id]"))
            .filter_map(|e| e.value().attr("id").map(str::to_string))
            .collect();
        // Issue 12 item 5: math in reference titles is MathML, never `$…$` or `\(…\)` text.
        for li in doc.select(&sel("ol.reference-list li")) {
            let shown: String = li
                .descendants()
                .filter(|n| {
                    !n.ancestors().any(|a| {
                        a.value()
                            .as_element()
                            .is_some_and(|e| e.name() == "annotation")
                    })
                })
                .filter_map(|n| n.value().as_text().map(|t| t.to_string()))
                .collect();
            assert!(
                !shown.contains('$') && !shown.contains("\\("),
                "{name}/{post}: raw TeX in a reference: {shown}"
            );
            ref_math += li.select(&sel("math")).count();
        }
        let known = bib_keys(&track, &text);
        for key in cited_keys(&without_comments(&text)) {
            if known.contains(&key) {
                cited += 1;
                let id: String = "ref-"
                    .chars()
                    .chain(key.chars().map(|c| {
                        if c.is_alphanumeric() || "-_.:".contains(c) {
                            c
                        } else {
                            '_'
                        }
                    }))
                    .collect();
                if refs.contains(&id) {
                    rendered += 1;
                } else {
                    panic!("{name}/{post}: cited key `{key}` has no formatted reference");
                }
            }
        }
        let page_text = visible_text(&doc);
        for part in without_comments(&text).split("<d-footnote>").skip(1) {
            let inner = part.split("</d-footnote>").next().unwrap_or("");
            // A run of plain words from the footnote must appear in the page.
            // Text outside tags, then the longest run without Markdown or TeX punctuation.
            let mut plain = String::new();
            let mut in_tag = false;
            let inner = inner.replace("&amp;", "&").replace("&nbsp;", " ");
            for c in inner.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => {
                        in_tag = false;
                        plain.push(' ');
                    }
                    c if !in_tag => plain.push(c),
                    _ => {}
                }
            }
            let words: String = plain
                .split([
                    '$', '{', '}', '[', ']', '(', ')', '*', '_', '`', '\\', '"', '&', '\'', '-',
                ])
                .filter(|s| !s.contains('/') && !s.contains(':'))
                .max_by_key(|s| s.len())
                .unwrap_or("")
                .split_whitespace()
                .take(4)
                .collect::<Vec<_>>()
                .join(" ");
            if words.len() < 8 {
                continue;
            }
            notes += 1;
            let squashed = page_text.split_whitespace().collect::<Vec<_>>().join(" ");
            if squashed.contains(&words) {
                notes_found += 1;
            } else {
                panic!("{name}/{post}: footnote text `{words}` is not in the page");
            }
        }
    }
    eprintln!(
        "{name}: {rendered}/{cited} cited keys rendered, {notes_found}/{notes} footnotes found, \
         {ref_math} formulas in reference titles rendered"
    );
    assert!(cited > 0);
}

#[test]
fn iclr_2023_citations_and_footnotes_are_in_the_static_html() {
    check_citations_and_footnotes(
        "corpus::iclr_2023_citations_and_footnotes_are_in_the_static_html",
        "iclr-2023",
    );
}

#[test]
fn iclr_2024_citations_and_footnotes_are_in_the_static_html() {
    check_citations_and_footnotes(
        "corpus::iclr_2024_citations_and_footnotes_are_in_the_static_html",
        "iclr-2024",
    );
}

/// Every TOC entry links to an element that exists, and Google Scholar's tags and JSON-LD are on
/// every post.
#[test]
fn toc_links_and_scholarly_metadata_on_every_post() {
    let Some(corpus) =
        blogtrack_testcorpus::require("corpus::toc_links_and_scholarly_metadata_on_every_post")
    else {
        return;
    };
    for name in ["iclr-2023", "iclr-2024"] {
        let track = corpus.join(name);
        let b = build(&track, name);
        let (mut entries, mut linked) = (0, 0);
        for (date, post, _) in posts(&track) {
            let html = fs::read_to_string(b.out.join(expected_post_path(&track, &date, &post)))
                .expect("page");
            let doc = Html::parse_document(&html);
            for a in doc.select(&sel("nav.toc a[href], .toc a[href]")) {
                let href = a.value().attr("href").unwrap_or("");
                let id = href.trim_start_matches('#');
                entries += 1;
                assert!(
                    doc.select(&sel(&format!("[id=\"{id}\"]"))).next().is_some(),
                    "{name}/{post}: TOC link {href} has no target"
                );
                linked += 1;
            }
            for tag in [
                "citation_title",
                "citation_author",
                "citation_publication_date",
                "citation_conference_title",
                "citation_fulltext_html_url",
            ] {
                assert!(
                    doc.select(&sel(&format!("meta[name=\"{tag}\"]")))
                        .next()
                        .is_some(),
                    "{name}/{post}: no {tag}"
                );
            }
            let ld = doc
                .select(&sel("script[type=\"application/ld+json\"]"))
                .next()
                .map(|s| s.inner_html())
                .unwrap_or_default();
            let v: serde_json::Value = serde_json::from_str(&ld).expect("JSON-LD parses");
            assert_eq!(v["@type"], "ScholarlyArticle");
        }
        eprintln!("{name}: {linked}/{entries} TOC links resolve");
        assert!(entries > 0);
    }
}
