//! What makes a post a citable scholarly article: Google Scholar's Highwire tags, Open Graph,
//! schema.org `ScholarlyArticle` JSON-LD, and the "cite this post" text and BibTeX.
//!
//! Every value is escaped for where it goes: attribute values for meta tags, JSON with `<`, `>`
//! and `&` as `\u` escapes inside `<script>` (a `</script>` in a title cannot end the block), and
//! TeX specials in BibTeX.

use crate::date::Date;
use crate::html::attr;
use blogtrack_bib::Bibliography;
use blogtrack_theme::view::{Author, CiteThis};
use serde_json::json;

/// Everything the metadata needs to know about a post.
pub struct ArticleInfo<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub authors: &'a [Author],
    pub date: Date,
    pub canonical_url: &'a str,
    pub conference: &'a str,
    pub site_title: &'a str,
    pub image_url: Option<String>,
    pub keywords: &'a [String],
    pub cited: &'a [String],
    pub bib: Option<&'a Bibliography>,
    pub lang: &'a str,
}

/// What the renderer worked out about a post, beside its front matter and the site's config.
pub struct PostFacts<'a> {
    /// The description as the text a reader sees.
    pub description: &'a str,
    pub authors: &'a [Author],
    pub canonical_url: &'a str,
    /// Cited keys in order of first use.
    pub cited: &'a [String],
    pub bib: Option<&'a Bibliography>,
}

/// The post's `<head>` tags and its "cite this" box.
pub fn for_post(
    config: &crate::config::Config,
    post: &crate::model::Post,
    facts: &PostFacts,
) -> (String, Option<CiteThis>) {
    let info = ArticleInfo {
        title: &post.meta.title,
        description: facts.description,
        authors: facts.authors,
        date: post.date,
        canonical_url: facts.canonical_url,
        conference: &config.track.conference,
        site_title: &config.title,
        image_url: post.meta.og_image.as_ref().map(|i| config.absolute_url(i)),
        keywords: &post.meta.tags,
        cited: facts.cited,
        bib: facts.bib,
        lang: &config.lang,
    };
    (head_tags(&info), Some(cite_this(&info)))
}

/// "First Middle von Last" → ("First Middle", "von Last"): the family name starts at the first
/// lowercase particle or is the last word.
pub fn split_name(name: &str) -> (String, String) {
    let name = name.trim();
    if let Some((last, first)) = name.split_once(',') {
        return (first.trim().to_string(), last.trim().to_string());
    }
    let words: Vec<&str> = name.split_whitespace().collect();
    if words.len() <= 1 {
        return (String::new(), name.to_string());
    }
    let particle = words[1..words.len() - 1]
        .iter()
        .position(|w| w.chars().next().is_some_and(|c| c.is_lowercase()))
        .map(|p| p + 1);
    let split = particle.unwrap_or(words.len() - 1);
    (words[..split].join(" "), words[split..].join(" "))
}

fn initials(given: &str) -> String {
    given
        .split_whitespace()
        .map(|w| {
            w.split('-')
                .filter_map(|p| p.chars().next())
                .map(|c| format!("{c}."))
                .collect::<Vec<_>>()
                .join("-")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// BibTeX value escaping: specials get a backslash, unbalanced braces are escaped.
fn bibtex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '{' => out.push_str("\\{"),
            '}' => out.push_str("\\}"),
            '\\' => out.push_str("\\textbackslash{}"),
            '%' | '&' | '#' | '$' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            _ => out.push(c),
        }
    }
    out
}

fn key_word(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_lowercase()
}

pub fn cite_this(info: &ArticleInfo) -> CiteThis {
    let names: Vec<(String, String)> = info.authors.iter().map(|a| split_name(&a.name)).collect();
    let text_authors: Vec<String> = names
        .iter()
        .map(|(g, f)| {
            if g.is_empty() {
                f.clone()
            } else {
                format!("{f}, {}", initials(g))
            }
        })
        .collect();
    let authors_text = match text_authors.len() {
        0 => String::new(),
        1 => text_authors[0].clone(),
        n => format!(
            "{}, & {}",
            text_authors[..n - 1].join(", "),
            text_authors[n - 1]
        ),
    };
    let text = format!(
        "{}{}({}, {} {}). {}. {}. {}",
        authors_text,
        if authors_text.is_empty() { "" } else { " " },
        info.date.year,
        info.date.month_name(),
        info.date.day,
        info.title.trim_end_matches('.'),
        info.conference,
        info.canonical_url
    );
    let first_family = names
        .first()
        .map(|(_, f)| key_word(f.rsplit(' ').next().unwrap_or(f)))
        .filter(|k| !k.is_empty())
        .unwrap_or_else(|| "anonymous".into());
    let stop = [
        "a", "an", "the", "on", "of", "in", "to", "and", "for", "is", "are", "how", "what", "why",
        "towards", "toward",
    ];
    let title_word = info
        .title
        .split_whitespace()
        .map(key_word)
        .find(|w| !w.is_empty() && !stop.contains(&w.as_str()))
        .unwrap_or_default();
    let key = format!("{first_family}{}{title_word}", info.date.year);
    let bib_authors = names
        .iter()
        .map(|(g, f)| {
            if g.is_empty() {
                format!("{{{}}}", bibtex_escape(f))
            } else {
                format!("{}, {}", bibtex_escape(f), bibtex_escape(g))
            }
        })
        .collect::<Vec<_>>()
        .join(" and ");
    let bibtex = format!(
        "@inproceedings{{{key},\n  author = {{{}}},\n  title = {{{}}},\n  booktitle = {{{}}},\n  year = {{{}}},\n  month = {{{}}},\n  url = {{{}}}\n}}",
        bib_authors,
        bibtex_escape(info.title),
        bibtex_escape(info.conference),
        info.date.year,
        info.date.month_name(),
        info.canonical_url,
    );
    CiteThis { text, bibtex }
}

fn meta(out: &mut String, name: &str, content: &str) {
    out.push_str(&format!(
        "<meta name=\"{name}\" content=\"{}\">\n",
        attr(content)
    ));
}

fn prop(out: &mut String, name: &str, content: &str) {
    out.push_str(&format!(
        "<meta property=\"{name}\" content=\"{}\">\n",
        attr(content)
    ));
}

/// Whether a front-matter URL is an absolute web address, the only kind that JSON-LD consumers
/// should follow (`javascript:`, `data:` and relative values are left out).
fn is_web_url(u: &str) -> bool {
    let u = u.trim().to_ascii_lowercase();
    u.starts_with("https://") || u.starts_with("http://")
}

/// JSON for a `<script type="application/ld+json">` block.
pub fn script_json(v: &serde_json::Value) -> String {
    v.to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// Longest description repeated in Open Graph and JSON-LD, in characters.
pub const SUMMARY_CHARS: usize = 300;

/// The description cut at a word boundary to [`SUMMARY_CHARS`], with an ellipsis when cut. The
/// whole abstract is in `<meta name="description">` once; link previews show about two lines,
/// so repeating all of it in `og:description` and JSON-LD only made every page heavier.
pub fn summary(description: &str) -> String {
    let d = description.trim();
    if d.chars().count() <= SUMMARY_CHARS {
        return d.to_string();
    }
    let cut: String = d.chars().take(SUMMARY_CHARS).collect();
    let at_word = cut
        .rfind(char::is_whitespace)
        .map_or(cut.as_str(), |i| &cut[..i]);
    format!("{}…", at_word.trim_end_matches([',', ';', ':', ' ']))
}

/// The `<head>` tags of a post. The references are listed once, as Highwire
/// `citation_reference` tags (what Google Scholar reads), not again in JSON-LD.
pub fn head_tags(info: &ArticleInfo) -> String {
    let mut out = String::with_capacity(2048);
    highwire_tags(&mut out, info);
    open_graph_tags(&mut out, info);
    out.push_str("<script type=\"application/ld+json\">");
    out.push_str(&script_json(&json_ld(info)));
    out.push_str("</script>\n");
    out
}

/// Google Scholar's Highwire `citation_*` tags: title, authors with their institutions, date,
/// conference, URL, language, and one `citation_reference` per cited entry of the bibliography.
fn highwire_tags(out: &mut String, info: &ArticleInfo) {
    meta(out, "citation_title", info.title);
    for a in info.authors {
        let (g, f) = split_name(&a.name);
        let name = if g.is_empty() { f } else { format!("{f}, {g}") };
        meta(out, "citation_author", &name);
        for aff in &a.affiliations {
            meta(out, "citation_author_institution", &aff.name);
        }
    }
    meta(out, "citation_publication_date", &info.date.slashed());
    meta(out, "citation_conference_title", info.conference);
    meta(out, "citation_fulltext_html_url", info.canonical_url);
    meta(out, "citation_language", info.lang);
    if let Some(bib) = info.bib {
        for e in info.cited.iter().filter_map(|key| bib.get(key)) {
            meta(out, "citation_reference", &citation_reference(e));
        }
    }
}

/// A `citation_reference` value: `citation_title=…; citation_author=…; …` of one entry.
fn citation_reference(e: &blogtrack_bib::Entry) -> String {
    let mut parts = vec![format!("citation_title={}", e.title())];
    for p in e.authors() {
        parts.push(format!("citation_author={}", p.full()));
    }
    if let Some(y) = e.year() {
        parts.push(format!("citation_publication_date={y}"));
    }
    if let Some(v) = e.venue() {
        parts.push(format!("citation_journal_title={v}"));
    }
    parts.join("; ")
}

/// The Open Graph (`og:*`, `article:*`) and Twitter card tags that link previews read.
fn open_graph_tags(out: &mut String, info: &ArticleInfo) {
    prop(out, "og:type", "article");
    prop(out, "og:title", info.title);
    prop(out, "og:description", &summary(info.description));
    prop(out, "og:url", info.canonical_url);
    prop(out, "og:site_name", info.site_title);
    prop(out, "og:locale", info.lang);
    prop(out, "article:published_time", &info.date.iso());
    if let Some(img) = &info.image_url {
        prop(out, "og:image", img);
    }
    for a in info.authors {
        prop(out, "article:author", &a.name);
    }
    meta(
        out,
        "twitter:card",
        if info.image_url.is_some() {
            "summary_large_image"
        } else {
            "summary"
        },
    );
}

/// The schema.org `ScholarlyArticle` of the post (without its references).
fn json_ld(info: &ArticleInfo) -> serde_json::Value {
    let authors: Vec<serde_json::Value> = info.authors.iter().map(json_ld_person).collect();
    let mut ld = json!({
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "headline": info.title,
        "name": info.title,
        "description": summary(info.description),
        "author": authors,
        "datePublished": info.date.iso(),
        "url": info.canonical_url,
        "mainEntityOfPage": info.canonical_url,
        "inLanguage": info.lang,
        "isPartOf": {"@type": "PublicationEvent", "name": info.conference},
        "publisher": {"@type": "Organization", "name": info.site_title},
    });
    if !info.keywords.is_empty() {
        ld["keywords"] = json!(info.keywords.join(", "));
    }
    if let Some(img) = &info.image_url {
        ld["image"] = json!(img);
    }
    ld
}

/// An author as a schema.org `Person`, with its web URL and affiliations (`Organization`s)
/// when it has them.
fn json_ld_person(a: &Author) -> serde_json::Value {
    let mut p = json!({"@type": "Person", "name": a.name});
    if let Some(u) = a.url.as_deref().filter(|u| is_web_url(u)) {
        p["url"] = json!(u);
    }
    if !a.affiliations.is_empty() {
        p["affiliation"] = a
            .affiliations
            .iter()
            .map(|af| {
                let mut o = json!({"@type": "Organization", "name": af.name});
                if let Some(u) = af.url.as_deref().filter(|u| is_web_url(u)) {
                    o["url"] = json!(u);
                }
                o
            })
            .collect();
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(
            split_name("Albert Einstein"),
            ("Albert".into(), "Einstein".into())
        );
        assert_eq!(
            split_name("Leandro von Werra"),
            ("Leandro".into(), "von Werra".into())
        );
        assert_eq!(
            split_name("Loren J Anderson"),
            ("Loren J".into(), "Anderson".into())
        );
        assert_eq!(split_name("Doe, Jane"), ("Jane".into(), "Doe".into()));
        assert_eq!(split_name("Anonymous"), ("".into(), "Anonymous".into()));
    }

    fn info<'a>(title: &'a str, authors: &'a [Author]) -> ArticleInfo<'a> {
        ArticleInfo {
            title,
            description: "d </script> \"q\"",
            authors,
            date: Date::new(2024, 5, 7).unwrap(),
            canonical_url: "https://x.io/2024/blog/t/",
            conference: "ICLR Blogposts 2024",
            site_title: "S",
            image_url: None,
            keywords: &[],
            cited: &[],
            bib: None,
            lang: "en",
        }
    }

    #[test]
    fn cite_this_bibtex_is_escaped_and_keyed() {
        let authors = vec![
            Author {
                name: "Albert Einstein".into(),
                ..Default::default()
            },
            Author {
                name: "Nathan Rosen".into(),
                ..Default::default()
            },
        ];
        let c = cite_this(&info("The {weird} 100% title_", &authors));
        assert!(
            c.bibtex.starts_with("@inproceedings{einstein2024weird,"),
            "{}",
            c.bibtex
        );
        assert!(c
            .bibtex
            .contains("author = {Einstein, Albert and Rosen, Nathan}"));
        assert!(c
            .bibtex
            .contains("title = {The \\{weird\\} 100\\% title\\_}"));
        assert!(c.bibtex.contains("booktitle = {ICLR Blogposts 2024}"));
        assert!(c
            .text
            .starts_with("Einstein, A., & Rosen, N. (2024, May 7). The {weird}"));
    }

    #[test]
    fn a_long_abstract_is_repeated_only_as_a_summary() {
        let long = "word ".repeat(200);
        let authors = vec![];
        let mut i = info("T", &authors);
        i.description = &long;
        let h = head_tags(&i);
        let og = h.split("og:description\" content=\"").nth(1).unwrap();
        let og = &og[..og.find('"').unwrap()];
        assert!(og.ends_with("word…"), "{og}");
        assert!(og.chars().count() <= SUMMARY_CHARS + 1);
        assert!(!h.contains("\"citation\""));
        assert_eq!(summary("  short  "), "short");
    }

    #[test]
    fn head_tags_stay_well_formed() {
        let authors = vec![Author {
            name: "A \"B\" <C>".into(),
            ..Default::default()
        }];
        let h = head_tags(&info("T </script><!--", &authors));
        assert!(!h.contains("</script><!--"));
        assert_eq!(h.matches("</script>").count(), 1);
        assert!(h.contains("content=\"A &quot;B&quot; &lt;C&gt;\""));
        let json_start = h.find("ld+json\">").unwrap() + 9;
        let json_end = h.rfind("</script>").unwrap();
        let v: serde_json::Value = serde_json::from_str(&h[json_start..json_end]).unwrap();
        assert_eq!(v["headline"], "T </script><!--");
    }
}
