//! Front matter of posts and pages, typed.
//!
//! Reads what the format allows (FORMAT.md §3, §7) and accepts the shapes real posts use
//! (`affiliations` as a map, a string or a list; `affiliation`; a description written as a YAML
//! list). A value of the wrong type is an error with its line; an unknown key that looks like a typo
//! of a known one gets a "did you mean" warning. Lines are relative to the YAML text; the caller
//! shifts them to the file.

use crate::date::Date;
use crate::fields::{did_you_mean, text_of, Fields};
use blogtrack_diag::Diagnostic;
use blogtrack_yaml::{Node, Value};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuthorMeta {
    pub name: String,
    pub url: Option<String>,
    pub affiliations: Vec<AffiliationMeta>,
    pub line: u32,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct AffiliationMeta {
    pub name: String,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct TocItem {
    pub name: String,
    pub line: u32,
    pub subsections: Vec<TocItem>,
}

/// A post's front matter.
#[derive(Debug, Clone, Default)]
pub struct PostMeta {
    pub layout: Option<String>,
    pub title: String,
    pub description: String,
    pub date: Option<Date>,
    pub authors: Vec<AuthorMeta>,
    pub bibliography: Option<String>,
    pub bibliography_line: u32,
    pub toc: Vec<TocItem>,
    pub styles: Option<String>,
    pub hidden: bool,
    pub published: bool,
    pub tags: Vec<String>,
    pub categories: Vec<String>,
    pub permalink: Option<String>,
    pub og_image: Option<String>,
    /// Line (in the YAML) of each key, for diagnostics that point at a key.
    pub key_lines: Vec<(String, u32)>,
}

impl PostMeta {
    pub fn key_line(&self, key: &str) -> u32 {
        self.key_lines
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, l)| *l)
            .unwrap_or(0)
    }
}

pub const POST_KEYS: &[&str] = &[
    "layout",
    "title",
    "description",
    "date",
    "authors",
    "bibliography",
    "toc",
    "_styles",
    "hidden",
    "published",
    "future",
    "htmlwidgets",
    "tags",
    "categories",
    "category",
    "permalink",
    "giscus_comments",
    "og_image",
    "thumbnail",
    "related_posts",
    "mermaid",
    "featured",
    "comments",
    "chart",
    "tikzjax",
    "pretty_table",
    "typograms",
    "pseudocode",
    "map",
    "code_diff",
    "images",
    "tabs",
    "toc_sidebar",
    "disqus_comments",
    "enable_math",
    "redirect",
    "last_modified_at",
    "authors_note",
];

/// Reads a post's front matter. `node` is the parsed YAML (a map, or null for empty front matter).
pub fn post_meta(node: &Node) -> (PostMeta, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut m = PostMeta {
        published: true,
        ..PostMeta::default()
    };
    match &node.value {
        Value::Map(entries) => {
            for (k, _) in entries {
                m.key_lines.push((k.name.clone(), k.line));
                if !POST_KEYS.contains(&k.name.as_str()) {
                    if let Some(s) = did_you_mean(&k.name, POST_KEYS) {
                        diags.push(
                            Diagnostic::warning(
                                "front-matter-unknown-key",
                                format!("unknown front-matter key `{}`", k.name),
                            )
                            .at(k.line, k.col)
                            .with_hint(format!("did you mean `{s}`?")),
                        );
                    }
                }
            }
        }
        Value::Null => return (m, diags),
        _ => {
            diags.push(
                Diagnostic::error(
                    "front-matter-type",
                    format!(
                        "the front matter must be a map of `key: value` lines, found {}",
                        node.type_name()
                    ),
                )
                .at(node.line, node.col)
                .with_hint("start each line with a key, e.g. `title: My post`"),
            );
            return (m, diags);
        }
    }
    let mut f = Fields::new(node, &mut diags);
    m.layout = f.text("layout");
    m.title = f.text("title").unwrap_or_default();
    m.description = f.text("description").unwrap_or_default().trim().to_string();
    m.bibliography = f.text("bibliography").map(|s| s.trim().to_string());
    m.styles = f.text("_styles");
    m.hidden = f.bool("hidden").unwrap_or(false);
    m.published = f.bool("published").unwrap_or(true);
    m.tags = f.string_list("tags");
    m.categories = f.string_list("categories");
    m.categories.extend(f.string_list("category"));
    m.permalink = f.text("permalink");
    m.og_image = f.text("og_image");
    m.bibliography_line = node.get("bibliography").map(|n| n.line).unwrap_or(0);
    if let Some(n) = node.get("date") {
        match text_of(n).as_deref().map(Date::parse_loose) {
            Some(Some(d)) => m.date = Some(d),
            None if matches!(n.value, Value::Null) => {}
            _ => diags.push(
                Diagnostic::error("front-matter-date", "`date` is not a valid date")
                    .at(n.line, n.col)
                    .with_hint("write it as YYYY-MM-DD, e.g. `date: 2025-04-28`"),
            ),
        }
    }
    if let Some(n) = node.get("authors") {
        m.authors = authors(n, &mut diags);
    }
    if let Some(n) = node.get("toc") {
        m.toc = toc(n, 0, &mut diags);
    }
    (m, diags)
}

fn type_error(n: &Node, what: &str, expected: &str, hint: &str) -> Diagnostic {
    Diagnostic::error(
        "front-matter-type",
        format!("{what} must be {expected}, found {}", n.type_name()),
    )
    .at(n.line, n.col)
    .with_hint(hint.to_string())
}

fn authors(n: &Node, diags: &mut Vec<Diagnostic>) -> Vec<AuthorMeta> {
    let items = match &n.value {
        Value::Null => return Vec::new(),
        Value::Seq(items) => items,
        _ => {
            diags.push(type_error(
                n,
                "`authors`",
                "a list",
                "write one `- name: ...` entry per author, e.g.\n  authors:\n    - name: Anonymous",
            ));
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for item in items {
        match &item.value {
            Value::Map(_) => {
                let mut a = AuthorMeta {
                    line: item.line,
                    ..AuthorMeta::default()
                };
                let mut f = Fields::new(item, diags);
                a.name = f.text("name").unwrap_or_default().trim().to_string();
                a.url = f.text("url").filter(|u| !u.trim().is_empty());
                let aff = item.get("affiliations").or_else(|| item.get("affiliation"));
                if let Some(aff) = aff {
                    a.affiliations = affiliations(aff, diags);
                }
                if a.name.is_empty() {
                    diags.push(
                        Diagnostic::error("front-matter-author", "an author has no `name`")
                            .at(item.line, item.col)
                            .with_hint("give every author a `name:` (during review: `Anonymous`)"),
                    );
                }
                out.push(a);
            }
            _ => match text_of(item) {
                Some(name) => out.push(AuthorMeta {
                    name,
                    line: item.line,
                    ..AuthorMeta::default()
                }),
                None => diags.push(type_error(
                    item,
                    "an author",
                    "a `name: ...` entry",
                    "write `- name: Full Name`",
                )),
            },
        }
    }
    out
}

fn affiliations(n: &Node, diags: &mut Vec<Diagnostic>) -> Vec<AffiliationMeta> {
    match &n.value {
        Value::Null => Vec::new(),
        Value::Map(_) => {
            let mut f = Fields::new(n, diags);
            let name = f.text("name").unwrap_or_default().trim().to_string();
            let url = f.text("url").filter(|u| !u.trim().is_empty());
            if name.is_empty() {
                Vec::new()
            } else {
                vec![AffiliationMeta { name, url }]
            }
        }
        Value::Seq(items) => items.iter().flat_map(|i| affiliations(i, diags)).collect(),
        _ => text_of(n)
            .filter(|s| !s.trim().is_empty())
            .map(|name| {
                vec![AffiliationMeta {
                    name: name.trim().to_string(),
                    url: None,
                }]
            })
            .unwrap_or_default(),
    }
}

const MAX_TOC_DEPTH: usize = 6;

fn toc(n: &Node, depth: usize, diags: &mut Vec<Diagnostic>) -> Vec<TocItem> {
    let items = match &n.value {
        Value::Null => return Vec::new(),
        Value::Seq(items) => items,
        _ => {
            diags.push(type_error(
                n,
                "`toc`",
                "a list",
                "write one `- name: Section title` entry per section",
            ));
            return Vec::new();
        }
    };
    if depth >= MAX_TOC_DEPTH {
        diags.push(
            Diagnostic::warning(
                "toc-depth",
                "the table of contents is nested too deeply; deeper entries are ignored",
            )
            .at(n.line, n.col),
        );
        return Vec::new();
    }
    let mut out = Vec::new();
    for item in items {
        match &item.value {
            Value::Map(_) => {
                let mut f = Fields::new(item, diags);
                let name = f.text("name").unwrap_or_default();
                let subsections = item
                    .get("subsections")
                    .map(|s| toc(s, depth + 1, diags))
                    .unwrap_or_default();
                out.push(TocItem {
                    name: name.trim().to_string(),
                    line: item.line,
                    subsections,
                });
            }
            _ => match text_of(item) {
                Some(name) => out.push(TocItem {
                    name,
                    line: item.line,
                    subsections: Vec::new(),
                }),
                None => diags.push(type_error(
                    item,
                    "a `toc` entry",
                    "a `name: ...` entry",
                    "write `- name: Section title`",
                )),
            },
        }
    }
    out
}

/// A site page's front matter (`_pages/*.md`).
#[derive(Debug, Clone, Default)]
pub struct PageMeta {
    pub layout: Option<String>,
    pub title: String,
    pub description: String,
    pub permalink: Option<String>,
    pub nav: bool,
    pub nav_order: Option<i64>,
    pub dropdown: bool,
    pub children: Vec<(String, String)>,
    pub redirect_to: Option<String>,
}

pub fn page_meta(node: &Node) -> (PageMeta, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut m = PageMeta::default();
    if !matches!(node.value, Value::Map(_)) {
        return (m, diags);
    }
    let mut f = Fields::new(node, &mut diags);
    m.layout = f.text("layout");
    m.title = f.text("title").unwrap_or_default();
    m.description = f.text("description").unwrap_or_default();
    if m.description.is_empty() {
        m.description = f.text("subtitle").unwrap_or_default();
    }
    m.permalink = f.text("permalink").filter(|p| !p.trim().is_empty());
    m.nav = f.bool("nav").unwrap_or(false);
    m.dropdown = f.bool("dropdown").unwrap_or(false);
    m.redirect_to = f.text("redirect_to");
    m.nav_order = node.get("nav_order").and_then(|n| n.as_i64());
    if let Some(Value::Seq(items)) = node.get("children").map(|c| &c.value) {
        for it in items {
            let title = it.get("title").and_then(text_of).unwrap_or_default();
            let link = it.get("permalink").and_then(text_of).unwrap_or_default();
            m.children.push((title, link));
        }
    }
    (m, diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(y: &str) -> (PostMeta, Vec<Diagnostic>) {
        post_meta(&blogtrack_yaml::parse(y).expect("valid yaml"))
    }

    #[test]
    fn reads_a_typical_post() {
        let (m, d) = meta(
            "layout: distill\ntitle: \"A: B\"\ndescription: >\n  two\n  lines\ndate: 2024-05-07\nauthors:\n  - name: A\n    url: \"u\"\n    affiliations:\n      name: IAS\n  - name: B\n    affiliations: MIT\nbibliography: x.bib\ntoc:\n  - name: One\n    subsections:\n      - name: Two\nhidden: true\n",
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(m.title, "A: B");
        assert_eq!(m.description, "two lines");
        assert_eq!(m.date, Date::new(2024, 5, 7));
        assert_eq!(m.authors.len(), 2);
        assert_eq!(m.authors[0].affiliations[0].name, "IAS");
        assert_eq!(m.authors[1].affiliations[0].name, "MIT");
        assert_eq!(m.toc[0].subsections[0].name, "Two");
        assert!(m.hidden);
    }

    #[test]
    fn wrong_types_are_errors_with_lines() {
        let (_, d) = meta("title: x\nauthors: Jane Doe\ntoc:\n  a: b\n");
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(d[0].line, 2);
        assert!(d[0].message.contains("`authors` must be a list, found"));
        assert!(d[1].message.contains("`toc` must be a list"));
    }

    #[test]
    fn typo_keys_get_did_you_mean() {
        let (_, d) = meta("title: x\nautors:\n  - name: A\n");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].hint.as_deref(), Some("did you mean `authors`?"));
    }

    #[test]
    fn garbage_date_is_an_error() {
        let (_, d) = meta("date: next tuesday\n");
        assert_eq!(d[0].code, "front-matter-date");
    }
}
