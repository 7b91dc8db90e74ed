//! The site around the posts: navigation, the blog index and archives, feed, sitemap, robots.txt,
//! 404 page and the root redirect. Pure: returns the files to write.

use crate::config::Config;
use crate::html::{attr, escape};
use crate::model::{Page, Post};
use blogtrack_theme::view::{DateView, ListView, NavChild, NavItem, PostSummary, SiteView};
use std::collections::BTreeMap;

/// One file of the output, by site-relative path.
#[derive(Debug, Clone)]
pub struct OutFile {
    pub path: String,
    pub content: Vec<u8>,
}

impl OutFile {
    pub fn text(path: impl Into<String>, s: String) -> Self {
        OutFile {
            path: path.into(),
            content: s.into_bytes(),
        }
    }
}

/// Navigation from pages with `nav: true`, ordered by `nav_order`, with the blog link after the
/// first entry as the old theme placed it. `current` is the site-relative URL being rendered.
pub fn nav(config: &Config, pages: &[Page], current: &str) -> Vec<NavItem> {
    let mut items: Vec<&Page> = pages.iter().filter(|p| p.meta.nav).collect();
    items.sort_by_key(|p| (p.meta.nav_order.unwrap_or(i64::MAX), p.meta.title.clone()));
    let mut nav: Vec<NavItem> = Vec::new();
    for p in items {
        let children = if p.meta.dropdown {
            p.meta
                .children
                .iter()
                .map(|(title, link)| {
                    if title.trim() == "divider" {
                        NavChild::Divider
                    } else {
                        NavChild::Link {
                            title_html: sanitize_inline(title),
                            href: config.relative_url(link),
                        }
                    }
                })
                .collect()
        } else {
            Vec::new()
        };
        nav.push(NavItem {
            title: p.meta.title.clone(),
            href: config.relative_url(&p.url),
            active: current == p.url,
            children,
        });
    }
    let blog = NavItem {
        title: "blog".into(),
        href: config.relative_url("/blog/"),
        active: current.starts_with("/blog/"),
        children: Vec::new(),
    };
    let at = nav.len().min(1);
    nav.insert(at, blog);
    nav
}

/// Keeps only a few inline formatting tags of config-provided titles (`<strong>2024</strong>`).
fn sanitize_inline(s: &str) -> String {
    let mut out = escape(s);
    for t in ["strong", "b", "em", "i"] {
        out = out
            .replace(&format!("&lt;{t}&gt;"), &format!("<{t}>"))
            .replace(&format!("&lt;/{t}&gt;"), &format!("</{t}>"));
    }
    out
}

pub fn summary(config: &Config, p: &Post, description_html: &str) -> PostSummary {
    PostSummary {
        title: p.meta.title.clone(),
        href: config.relative_url(&p.url),
        description_html: description_html.to_string(),
        authors: p
            .meta
            .authors
            .iter()
            .map(|a| a.name.clone())
            .collect::<Vec<_>>()
            .join(", "),
        date: DateView {
            iso: p.date.iso(),
            display: p.date.display(),
        },
        tags: p.meta.tags.clone(),
        reading_minutes: reading_minutes(&p.body),
        badge: None,
    }
}

/// Words a reader reads per minute (a common estimate for technical prose).
const WORDS_PER_MINUTE: usize = 220;

/// Reading time of a post's source, in whole minutes (at least 1): the words of its text,
/// leaving out markup (`<tags>`, Liquid `{% %}`/`{{ }}`) and TeX between `$`s.
pub fn reading_minutes(body: &str) -> u32 {
    let mut words = 0usize;
    let mut skip: Option<&str> = None;
    for token in body.split_whitespace() {
        if let Some(end) = skip {
            if token.contains(end) {
                skip = None;
            }
            continue;
        }
        let open = [("<", ">"), ("{%", "%}"), ("{{", "}}"), ("$$", "$$")]
            .into_iter()
            .find(|(o, _)| token.starts_with(o));
        match open {
            Some((o, c)) if !token[o.len()..].contains(c) => skip = Some(c),
            Some(_) => {}
            None if token.chars().any(char::is_alphanumeric) => words += 1,
            None => {}
        }
    }
    u32::try_from(words.div_ceil(WORDS_PER_MINUTE).max(1)).unwrap_or(u32::MAX)
}

/// The blog index (paginated) and the year, tag and category archives.
pub fn listings(
    config: &Config,
    site: &SiteView,
    listed: &[(&Post, &str)],
    decisions: Option<&crate::decisions::Decisions>,
    nav_for: &dyn Fn(&str) -> Vec<NavItem>,
) -> Vec<OutFile> {
    let summaries = listed_summaries(config, listed, decisions);
    let archives = Archives::of(listed, &summaries);
    let archive_links = archives.links(config);
    let mut site_blog = site.clone();
    site_blog.nav = nav_for("/blog/");
    let mut out = blog_index_pages(config, &site_blog, &summaries, &archive_links);
    out.extend(archives.pages(config, &site_blog));
    out
}

/// The summaries of the listed posts, each with its decision's badge when there is one.
fn listed_summaries(
    config: &Config,
    listed: &[(&Post, &str)],
    decisions: Option<&crate::decisions::Decisions>,
) -> Vec<PostSummary> {
    listed
        .iter()
        .map(|(p, d)| PostSummary {
            badge: decisions
                .and_then(|x| x.badge(&p.file_stem))
                .map(str::to_string),
            ..summary(config, p, d)
        })
        .collect()
}

/// The listed posts' summaries grouped by year, tag slug and category slug.
struct Archives {
    years: BTreeMap<i32, Vec<PostSummary>>,
    tags: BTreeMap<String, Vec<PostSummary>>,
    cats: BTreeMap<String, Vec<PostSummary>>,
}

impl Archives {
    /// Groups `summaries` (one per listed post, in order) by the posts' year, tags and
    /// categories.
    fn of(listed: &[(&Post, &str)], summaries: &[PostSummary]) -> Self {
        let mut a = Archives {
            years: BTreeMap::new(),
            tags: BTreeMap::new(),
            cats: BTreeMap::new(),
        };
        for ((p, _), s) in listed.iter().zip(summaries) {
            a.years.entry(p.date.year).or_default().push(s.clone());
            for t in &p.meta.tags {
                a.tags.entry(slug(t)).or_default().push(s.clone());
            }
            for c in &p.meta.categories {
                a.cats.entry(slug(c)).or_default().push(s.clone());
            }
        }
        a
    }

    /// `(label, href)` of every archive for the blog index: years newest first, then `#tag`s,
    /// then categories.
    fn links(&self, config: &Config) -> Vec<(String, String)> {
        let mut links: Vec<(String, String)> = self
            .years
            .keys()
            .rev()
            .map(|y| (y.to_string(), config.relative_url(&format!("/blog/{y}/"))))
            .collect();
        links.extend(self.tags.keys().map(|t| {
            (
                format!("#{t}"),
                config.relative_url(&format!("/blog/tag/{t}/")),
            )
        }));
        links.extend(self.cats.keys().map(|c| {
            (
                c.clone(),
                config.relative_url(&format!("/blog/category/{c}/")),
            )
        }));
        links
    }

    /// One unpaginated list page per year, tag and category.
    fn pages(self, config: &Config, site_blog: &SiteView) -> Vec<OutFile> {
        let mut out = Vec::new();
        for (y, posts) in self.years {
            out.push(archive_page(
                config,
                site_blog,
                format!("/blog/{y}/"),
                y.to_string(),
                posts,
            ));
        }
        for (t, posts) in self.tags {
            out.push(archive_page(
                config,
                site_blog,
                format!("/blog/tag/{t}/"),
                format!("tag: {t}"),
                posts,
            ));
        }
        for (c, posts) in self.cats {
            out.push(archive_page(
                config,
                site_blog,
                format!("/blog/category/{c}/"),
                format!("category: {c}"),
                posts,
            ));
        }
        out
    }
}

/// The blog index, `config.paginate` posts a page (all on one page without it): `/blog/`,
/// then `/blog/page/N/`, each linked to its neighbours; the first lists the archives.
fn blog_index_pages(
    config: &Config,
    site_blog: &SiteView,
    summaries: &[PostSummary],
    archive_links: &[(String, String)],
) -> Vec<OutFile> {
    let per_page = config.paginate.unwrap_or(usize::MAX).max(1);
    let chunks: Vec<&[PostSummary]> = if summaries.is_empty() {
        vec![&[][..]]
    } else {
        summaries.chunks(per_page.min(summaries.len())).collect()
    };
    let pages = chunks.len();
    let page_url = |n: usize| {
        if n == 1 {
            "/blog/".to_string()
        } else {
            format!("/blog/page/{n}/")
        }
    };
    let mut out = Vec::new();
    for (i, chunk) in chunks.iter().enumerate() {
        let n = i + 1;
        let view = ListView {
            title: config.blog_name.clone(),
            description: config.blog_description.clone(),
            posts: chunk.to_vec(),
            page: n,
            pages,
            prev_href: (n > 1).then(|| config.relative_url(&page_url(n - 1))),
            next_href: (n < pages).then(|| config.relative_url(&page_url(n + 1))),
            archive_links: if n == 1 {
                archive_links.to_vec()
            } else {
                Vec::new()
            },
            canonical_url: config.absolute_url(&page_url(n)),
        };
        out.push(OutFile::text(
            crate::model::url_to_output_path(&page_url(n)),
            blogtrack_theme::list_page(site_blog, &view),
        ));
    }
    out
}

/// One archive's list page at `url`: all its posts on a single page.
fn archive_page(
    config: &Config,
    site_blog: &SiteView,
    url: String,
    title: String,
    posts: Vec<PostSummary>,
) -> OutFile {
    let view = ListView {
        title,
        description: String::new(),
        posts,
        page: 1,
        pages: 1,
        prev_href: None,
        next_href: None,
        archive_links: Vec::new(),
        canonical_url: config.absolute_url(&url),
    };
    OutFile::text(
        crate::model::url_to_output_path(&url),
        blogtrack_theme::list_page(site_blog, &view),
    )
}

/// Archive URLs use Jekyll's default `slugify`, as the old site's tag and category pages did.
pub fn slug(s: &str) -> String {
    blogtrack_liquid::slugify(s)
}

fn xml(s: &str) -> String {
    attr(s)
}

/// Atom feed of the listed posts (newest first).
pub fn feed(config: &Config, listed: &[(&Post, &str)], generator: &str) -> String {
    let updated = listed
        .iter()
        .map(|(p, _)| p.date)
        .max()
        .map(|d| d.rfc3339())
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    let mut s = String::with_capacity(4096);
    s.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    s.push_str(&format!("  <title>{}</title>\n", xml(&config.title)));
    if !config.description.is_empty() {
        s.push_str(&format!(
            "  <subtitle>{}</subtitle>\n",
            xml(&config.description)
        ));
    }
    s.push_str(&format!(
        "  <link href=\"{}\" rel=\"self\" type=\"application/atom+xml\"/>\n",
        xml(&config.absolute_url("/feed.xml"))
    ));
    s.push_str(&format!(
        "  <link href=\"{}\" rel=\"alternate\" type=\"text/html\"/>\n",
        xml(&config.absolute_url("/"))
    ));
    s.push_str(&format!("  <id>{}</id>\n", xml(&config.absolute_url("/"))));
    s.push_str(&format!("  <updated>{updated}</updated>\n"));
    s.push_str(&format!("  <generator>{}</generator>\n", xml(generator)));
    for (p, desc) in listed {
        let url = config.absolute_url(&p.url);
        s.push_str("  <entry>\n");
        s.push_str(&format!("    <title>{}</title>\n", xml(&p.meta.title)));
        s.push_str(&format!(
            "    <link href=\"{}\" rel=\"alternate\" type=\"text/html\"/>\n",
            xml(&url)
        ));
        s.push_str(&format!("    <id>{}</id>\n", xml(&url)));
        s.push_str(&format!(
            "    <published>{}</published>\n",
            p.date.rfc3339()
        ));
        s.push_str(&format!("    <updated>{}</updated>\n", p.date.rfc3339()));
        for a in &p.meta.authors {
            s.push_str(&format!(
                "    <author><name>{}</name></author>\n",
                xml(&a.name)
            ));
        }
        for t in p.meta.tags.iter().chain(&p.meta.categories) {
            s.push_str(&format!("    <category term=\"{}\"/>\n", xml(t)));
        }
        s.push_str(&format!(
            "    <summary type=\"text\">{}</summary>\n",
            xml(&crate::html::strip_tags(desc))
        ));
        s.push_str("  </entry>\n");
    }
    s.push_str("</feed>\n");
    s
}

/// sitemap.xml of every page and listed post.
pub fn sitemap(config: &Config, urls: &[(String, Option<String>)]) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (u, lastmod) in urls {
        s.push_str("  <url><loc>");
        s.push_str(&xml(&config.absolute_url(u)));
        s.push_str("</loc>");
        if let Some(m) = lastmod {
            s.push_str(&format!("<lastmod>{m}</lastmod>"));
        }
        s.push_str("</url>\n");
    }
    s.push_str("</urlset>\n");
    s
}

pub fn robots(config: &Config, noindex: bool) -> String {
    if noindex {
        "User-agent: *\nDisallow: /\n".to_string()
    } else {
        format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}\n",
            config.absolute_url("/sitemap.xml")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slug("Reinforcement Learning!"), "reinforcement-learning");
        assert_eq!(slug("  a--b "), "a-b");
    }

    #[test]
    fn inline_titles_keep_only_emphasis() {
        assert_eq!(
            sanitize_inline("<strong>2024</strong>"),
            "<strong>2024</strong>"
        );
        assert_eq!(
            sanitize_inline("<script>x</script>"),
            "&lt;script&gt;x&lt;/script&gt;"
        );
    }
}
