//! The site search: a compact index of every listed post, written at build time as one JSON file
//! next to a search page, for the theme's search box to load and query in the reader's browser.
//!
//! Per post the index keeps the title, authors, date, URL, description, the section headings
//! with their ids (so a result can jump to a section) and the post's vocabulary: each distinct
//! word of the body once, in order of first use, with math, code-free markup, hover cards
//! (which repeat the references) and scripts left out. Words instead of the full text keep a
//! year of posts to a few hundred KB while still finding any word that occurs in a post.
//!
//! What it does not do: ranking beyond field weights, stemming, or phrase search; those happen
//! (or not) in the script. It reads the post pages the theme laid out rather than re-rendering,
//! so it indexes exactly what readers see. Why not `pagefind`: as a library it pulls in ~310
//! crates (actix-web, tokio, lol_html …) — more than this whole workspace — and writes a
//! multi-file WASM bundle, for a corpus of a few dozen posts per year.

use crate::config::Config;
use crate::html::strip_tags;
use crate::model::{url_to_output_path, Post};
use crate::site::OutFile;
use blogtrack_theme::view::{NavChild, NavItem, SiteView};
use serde_json::json;
use std::collections::HashSet;

/// Where the search page lives (site-relative); the index is `index.json` inside it.
pub const PAGE_URL: &str = "/search/";
/// At most this many distinct words per post (a long post uses 2,000–4,000).
const MAX_WORDS: usize = 6000;
/// Characters of body text kept as an excerpt for posts without a description.
const EXCERPT_CHARS: usize = 280;

/// The baseurl-prefixed URL of the search page, for [`SiteView::search_href`].
pub fn href(config: &Config) -> String {
    config.relative_url(PAGE_URL)
}

/// The search page and its index, built from the post pages already in `planned`.
pub fn files(
    config: &Config,
    site: &SiteView,
    posts: Vec<serde_json::Value>,
    nav_for: &dyn Fn(&str) -> Vec<NavItem>,
) -> Vec<OutFile> {
    let mut page_site = site.clone();
    page_site.nav = nav_for(PAGE_URL);
    let years = other_years(config, &page_site.nav);
    let index = json!({
        "version": 1,
        "site": config.title,
        "label": years.own_label,
        "also": years.also,
        "posts": posts,
    });
    let page_path = url_to_output_path(PAGE_URL);
    let index_path = format!("{}index.json", PAGE_URL.trim_start_matches('/'));
    vec![
        OutFile::text(
            page_path,
            blogtrack_theme::search_page(&page_site, &config.relative_url("/blog/")),
        ),
        OutFile::text(index_path, index.to_string()),
    ]
}

/// The other years of the same site that the search box also searches.
#[derive(Debug, Default, PartialEq)]
pub struct OtherYears {
    /// How this site's own results are labelled when other years are merged in (the dropdown's
    /// entry for this site, e.g. `2024`), `None` when the dropdown does not list it.
    pub own_label: Option<String>,
    /// `{"label", "index"}` of every other year: the label shown on its results and the
    /// same-origin URL of its blogtrack search index.
    pub also: Vec<serde_json::Value>,
}

/// Other years, from the navigation's dropdown ("other iterations"): a child whose link is on
/// this site (a path, or an absolute URL under the configured `url`) and is not this site's own
/// baseurl is another year's site, whose index (if blogtrack built it) is at
/// `<its path>search/index.json`. Links to other hosts are left out: their index would be a
/// cross-origin request, and the search never leaves the site's origin. Whether an index exists
/// is only known in the reader's browser, which says so quietly when one cannot be loaded.
pub fn other_years(config: &Config, nav: &[NavItem]) -> OtherYears {
    let own = config.relative_url("/");
    let origin = config.url.trim_end_matches('/');
    let mut years = OtherYears::default();
    let mut seen = HashSet::new();
    for child in nav.iter().flat_map(|item| &item.children) {
        let NavChild::Link { title_html, href } = child else {
            continue;
        };
        let path = if href.starts_with('/') && !href.starts_with("//") {
            href.as_str()
        } else if let Some(rest) = href.strip_prefix(origin).filter(|r| r.starts_with('/')) {
            rest
        } else {
            continue;
        };
        let path = path.split(['?', '#']).next().unwrap_or("");
        let dir = if path.ends_with('/') {
            path.to_string()
        } else {
            format!("{path}/")
        };
        let label = strip_tags(title_html).trim().to_string();
        if label.is_empty() {
            continue;
        }
        if dir == own {
            years.own_label.get_or_insert(label);
        } else if seen.insert(dir.clone()) {
            years
                .also
                .push(json!({ "label": label, "index": format!("{dir}search/index.json") }));
        }
    }
    years
}

/// The search entry of one listed post, from its finished page.
pub fn entry(
    config: &Config,
    post: &Post,
    description_html: &str,
    page: &str,
) -> serde_json::Value {
    let body = article_body(page);
    let headings = headings(body);
    let text = strip_tags(&without_hidden_parts(body));
    let description = strip_tags(description_html);
    let excerpt = if description.is_empty() {
        text.chars().take(EXCERPT_CHARS).collect::<String>()
    } else {
        description
    };
    let authors: Vec<&str> = post.meta.authors.iter().map(|a| a.name.as_str()).collect();
    json!({
        "title": post.meta.title,
        "url": config.relative_url(&post.url),
        "date": post.date.iso(),
        "authors": authors.join(", "),
        "excerpt": excerpt,
        "headings": headings,
        "words": vocabulary(&text),
    })
}

/// The inside of the page's `<d-article>` (the post body as laid out), or "" for other pages.
fn article_body(page: &str) -> &str {
    let Some(start) = page.find("<d-article") else {
        return "";
    };
    let rest = &page[start..];
    let open_end = rest.find('>').map_or(rest.len(), |i| i + 1);
    let end = rest
        .rfind("</d-article>")
        .unwrap_or(rest.len())
        .max(open_end);
    &rest[open_end..end]
}

/// `[text, "#id"]` of every `<h2>`–`<h4>` that has an id.
fn headings(body: &str) -> Vec<[String; 2]> {
    let mut out = Vec::new();
    let mut rest = body;
    while let Some(i) = rest.find("<h") {
        rest = &rest[i + 2..];
        let level = rest.as_bytes().first().copied().unwrap_or(b'0');
        if !(b'2'..=b'4').contains(&level) {
            continue;
        }
        let Some(tag_end) = rest.find('>') else { break };
        let tag = &rest[1..tag_end];
        let close = format!("</h{}", level as char);
        let inner_end = rest[tag_end..]
            .find(&close)
            .map_or(rest.len(), |e| tag_end + e);
        let inner = &rest[tag_end + 1..inner_end.max(tag_end + 1)];
        if let Some(id) = crate::html::attr_value(tag, "id") {
            let text = strip_tags(&without_hidden_parts(inner));
            if !text.is_empty() {
                out.push([text, format!("#{id}")]);
            }
        }
        rest = &rest[inner_end.max(tag_end)..];
    }
    out
}

/// The body without what a reader does not read as text: math (its TeX and MathML tokens),
/// hover cards (copies of references and footnotes), scripts, styles and inline SVG.
fn without_hidden_parts(html: &str) -> String {
    const OPENERS: [&str; 5] = [
        "<math",
        "<script",
        "<style",
        "<svg",
        "<span class=\"hover-card\"",
    ];
    let mut out = String::with_capacity(html.len());
    let mut pos = 0;
    // Next occurrence of each opener at or after `pos`, found once and searched again only when
    // passed: a post with thousands of formulas stays linear (searching every opener from `pos`
    // on each step scanned the rest of the page thousands of times).
    let mut next: [Option<usize>; 5] = OPENERS.map(|p| html.find(p));
    loop {
        for (k, p) in OPENERS.iter().enumerate() {
            if next[k].is_some_and(|i| i < pos) {
                next[k] = html[pos..].find(p).map(|i| pos + i);
            }
        }
        let Some((i, k)) = next
            .iter()
            .enumerate()
            .filter_map(|(k, i)| i.map(|i| (i, k)))
            .min()
        else {
            out.push_str(&html[pos..]);
            return out;
        };
        let opener = OPENERS[k];
        out.push_str(&html[pos..i]);
        out.push(' ');
        let after = &html[i..];
        let skip = if opener.starts_with("<span") {
            balanced_span_end(after)
        } else {
            let close = format!("</{}>", &opener[1..]);
            after.find(&close).map(|e| e + close.len())
        };
        match skip {
            Some(n) => pos = i + n,
            None => return out,
        }
    }
}

/// Length of a `<span …>…</span>` element at the start of `html`, nested spans included.
fn balanced_span_end(html: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut pos = 0;
    while let Some(i) = html[pos..].find("span") {
        let at = pos + i;
        let before = &html.as_bytes()[..at];
        match before.last() {
            Some(b'<') => depth += 1,
            Some(b'/') if before.len() >= 2 && before[before.len() - 2] == b'<' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return html[at..].find('>').map(|e| at + e + 1);
                }
            }
            _ => {}
        }
        pos = at + 4;
    }
    None
}

/// Each distinct lowercased word (letters and digits, two characters or more) once, in order
/// of first use, joined by spaces.
fn vocabulary(text: &str) -> String {
    let mut seen = HashSet::new();
    let mut out = String::new();
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 2 && !w.chars().all(|c| c.is_ascii_digit()))
    {
        let w = word.to_lowercase();
        if seen.len() >= MAX_WORDS {
            break;
        }
        if seen.insert(w.clone()) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&w);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nav(children: &[(&str, &str)]) -> Vec<NavItem> {
        vec![NavItem {
            title: "other iterations".into(),
            href: String::new(),
            active: false,
            children: children
                .iter()
                .map(|(t, h)| NavChild::Link {
                    title_html: t.to_string(),
                    href: h.to_string(),
                })
                .chain([NavChild::Divider])
                .collect(),
        }]
    }

    #[test]
    fn other_years_are_the_dropdowns_links_on_the_same_site() {
        let config = Config {
            url: "https://iclr-blogposts.github.io".into(),
            baseurl: "/2024".into(),
            ..Config::default()
        };
        let years = other_years(
            &config,
            &nav(&[
                ("2025", "https://iclr-blogposts.github.io/2025/"),
                (
                    "<strong>2024</strong>",
                    "https://iclr-blogposts.github.io/2024/",
                ),
                ("2023", "/2023"),
                ("2022", "https://iclr-blog-track.github.io/home/"),
                ("evil", "https://iclr-blogposts.github.io.evil.com/x/"),
            ]),
        );
        assert_eq!(years.own_label.as_deref(), Some("2024"));
        assert_eq!(
            years.also,
            vec![
                json!({"label": "2025", "index": "/2025/search/index.json"}),
                json!({"label": "2023", "index": "/2023/search/index.json"}),
            ]
        );
    }

    #[test]
    fn a_site_without_a_dropdown_searches_only_itself() {
        assert_eq!(other_years(&Config::default(), &[]), OtherYears::default());
    }

    #[test]
    fn headings_keep_their_ids_and_lose_their_markup() {
        let body = "<h2 id=\"intro\">The <em>intro</em></h2><p>x</p><h3 id=\"a-b\">A &amp; B <math><mi>x</mi></math></h3><h2>no id</h2><h5 id=\"deep\">deep</h5>";
        assert_eq!(
            headings(body),
            vec![
                ["The intro".to_string(), "#intro".to_string()],
                ["A & B".to_string(), "#a-b".to_string()]
            ]
        );
    }

    #[test]
    fn math_hover_cards_and_scripts_are_not_words_of_the_post() {
        let html = "<p>Gradient <math><mi>θ</mi><annotation>\\theta</annotation></math> descent<span class=\"citation\"><a>[1]</a><span class=\"hover-card\"><span class=\"hover-ref\">Kingma, Adam</span></span></span> works.</p><script>var secret</script>";
        let text = strip_tags(&without_hidden_parts(html));
        assert_eq!(vocabulary(&text), "gradient descent works");
    }

    #[test]
    fn vocabulary_is_lowercase_unique_and_skips_bare_numbers() {
        assert_eq!(
            vocabulary("The cat, the CAT and 2024 GPT-4 résumé x"),
            "the cat and gpt résumé"
        );
    }

    #[test]
    fn an_unterminated_hover_card_drops_the_rest_instead_of_looping() {
        let html = "<p>kept <span class=\"hover-card\"><span>never closed";
        assert_eq!(strip_tags(&without_hidden_parts(html)), "kept");
    }

    #[test]
    fn article_body_is_empty_for_pages_without_an_article() {
        assert_eq!(article_body("<main><p>hi</p></main>"), "");
        assert_eq!(
            article_body("<d-article class=\"prose\">\n<p>hi</p>\n</d-article>"),
            "\n<p>hi</p>\n"
        );
    }

    #[test]
    fn attributes_match_whole_names_only() {
        assert_eq!(
            crate::html::attr_value(" data-id=\"x\" id=\"y\"", "id"),
            Some("y")
        );
        assert_eq!(crate::html::attr_value(" class=\"a\"", "id"), None);
    }
}
