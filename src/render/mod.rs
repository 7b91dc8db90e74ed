//! Rendering one post or page: Liquid → Markdown (with math) → citations, footnotes, code,
//! table of contents and scholarly metadata.
//!
//! Pure apart from the [`AssetIndex`] look-ups: takes the loaded track's data and returns the view
//! the theme lays out, with every diagnostic found (lines are lines of the source file).

pub mod assets;
pub mod code;
pub mod guard;
pub mod host;
pub mod inputs;
pub mod metadata;
pub mod scholar;
pub mod textrefs;
pub mod toc;

use crate::config::Config;
use crate::html::strip_tags;
use crate::model::{BodyKind, Page, Post, SharedBib};
use assets::AssetIndex;
use blogtrack_diag::Diagnostic;
use blogtrack_highlight::Highlighter;
use blogtrack_liquid::{Object, Value};
use blogtrack_math::MathContext;
use blogtrack_theme::view::{Affiliation, Author, DateView, PageView, PostView};
use host::RenderHost;
use std::collections::{BTreeMap, HashMap};

/// Shared, read-only inputs of rendering.
pub struct RenderContext<'a> {
    pub config: &'a Config,
    pub assets: &'a AssetIndex,
    /// Post file stem → site-relative URL.
    pub post_urls: &'a HashMap<String, String>,
    pub highlighter: &'a Highlighter,
    /// The Liquid `site` object.
    pub site: &'a Value,
    pub bibs: &'a BTreeMap<String, SharedBib>,
    /// The HTML of the decisions' includes by name (see [`crate::decisions::highlights`]).
    pub decision_includes: &'a [(&'static str, String)],
    /// The track's decisions (award badges on post pages).
    pub decisions: Option<&'a crate::decisions::Decisions>,
}

/// A rendered post: the view for the theme, and what was found on the way.
#[derive(Debug)]
pub struct RenderedPost {
    pub view: PostView,
    pub diagnostics: Vec<Diagnostic>,
    /// An error made the post unusable (it is not written).
    pub failed: bool,
    /// Files the post's figures reference (track-relative), with lines.
    pub referenced: Vec<(String, u32)>,
    pub math_ok: usize,
    pub math_failed: usize,
}

/// Math rendering through a post's [`MathContext`], reporting failures with file lines.
struct MathSink<'a> {
    ctx: MathContext,
    /// Maps a line of the Markdown input to a line of the file.
    line_of: &'a dyn Fn(u32) -> u32,
    diags: Vec<Diagnostic>,
    ok: usize,
    failed: usize,
}

impl blogtrack_markdown::MathRenderer for MathSink<'_> {
    fn render_math(&mut self, tex: &str, display: bool, line: u32) -> String {
        match self.ctx.render(tex, display) {
            Ok(html) => {
                self.ok += 1;
                html
            }
            Err(e) => {
                self.failed += 1;
                let short: String = tex.chars().take(60).collect();
                self.diags.push(
                    Diagnostic::warning("math", format!("cannot render formula `{short}`: {e}"))
                        .at((self.line_of)(line), 0)
                        .with_hint("the formula is shown as TeX; check it with a TeX editor"),
                );
                blogtrack_math::fallback_html(tex, display)
            }
        }
    }
}

struct Body {
    html: String,
    headings: Vec<blogtrack_markdown::Heading>,
    diagnostics: Vec<Diagnostic>,
    failed: bool,
    has_mermaid: bool,
    referenced: Vec<(String, u32)>,
    math: MathContext,
    math_ok: usize,
    math_failed: usize,
}

/// Largest post or page body (before and after Liquid) that is rendered. The largest accepted
/// post of 2023–2026 is 124 KB; Markdown rendering holds the whole event list of a body in
/// memory (about 50 bytes per input byte), so this bounds one post's memory to a few hundred MB.
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

impl Body {
    /// A body over [`MAX_BODY_BYTES`]: not rendered, one error at its first line.
    fn too_large(body_line: u32, len: usize, what: &str) -> Body {
        Body {
            html: String::new(),
            headings: Vec::new(),
            diagnostics: vec![Diagnostic::error(
                "post-too-large",
                format!(
                    "{what} {:.1} MiB; the limit is {} MiB",
                    len as f64 / (1024.0 * 1024.0),
                    MAX_BODY_BYTES / (1024 * 1024)
                ),
            )
            .at(body_line.max(1), 0)
            .with_hint("split the post, or move data into files under assets/ and link to them")],
            failed: true,
            has_mermaid: false,
            referenced: Vec::new(),
            math: MathContext::new(),
            math_ok: 0,
            math_failed: 0,
        }
    }
}

/// The `site` object a body's Liquid sees. `site.posts` (every post of the track) is copied in
/// only when the body's text names `posts`: copying it into every post made a build quadratic in
/// the number of posts (10,000 posts × 10,000 entries), and a body can only reach the list through
/// a name containing `posts` (`site.posts`, `site["posts"]`, `s.posts` after an `assign`). The
/// built-in includes never read it. Cheap otherwise: the rest of `site` is a few strings.
fn site_for(site: &Value, body: &str) -> Value {
    match site {
        Value::Object(o) if !body.contains("posts") => Value::Object(
            o.iter()
                .filter(|(k, _)| k.as_str() != "posts")
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Liquid, then Markdown (or raw HTML) with math, then stashed fragments and code highlighting.
fn render_body(
    ctx: &RenderContext,
    body: &str,
    kind: BodyKind,
    body_line: u32,
    page: Value,
) -> Body {
    let shift = body_line.saturating_sub(1);
    if body.len() > MAX_BODY_BYTES {
        return Body::too_large(body_line, body.len(), "the post body is");
    }
    let mut globals = Object::new();
    globals.insert("site".into(), site_for(ctx.site, body));
    globals.insert("page".into(), page);
    let mut host = RenderHost::new(ctx.config, ctx.assets, ctx.post_urls, ctx.highlighter);
    host.decision_includes = ctx.decision_includes;
    let liquid = blogtrack_liquid::render(body, &globals, &mut host);
    let mut diagnostics: Vec<Diagnostic> = liquid
        .diagnostics
        .iter()
        .cloned()
        .map(|d| d.shift_lines(shift))
        .collect();
    diagnostics.extend(host.warnings.drain(..).map(|d| d.shift_lines(shift)));
    diagnostics.extend(host.alt_warning(shift));
    let failed = liquid.has_errors();
    let liquid_diags = diagnostics.len();
    if liquid.output.len() > MAX_BODY_BYTES {
        let mut b = Body::too_large(
            body_line,
            liquid.output.len(),
            "after Liquid, the post body is",
        );
        diagnostics.append(&mut b.diagnostics);
        b.diagnostics = diagnostics;
        return b;
    }
    let line_map = &liquid.line_map;
    let line_of = |l: u32| line_map.source_line(l) + shift;
    let mut sink = MathSink {
        ctx: MathContext::new(),
        line_of: &line_of,
        diags: Vec::new(),
        ok: 0,
        failed: 0,
    };
    let (html, headings) = match kind {
        BodyKind::Markdown => {
            let opts = blogtrack_markdown::Options::default();
            let out = blogtrack_markdown::render(&liquid.output, &opts, &mut sink);
            diagnostics.extend(out.diagnostics.into_iter().map(|mut d| {
                d.line = if d.line > 0 { line_of(d.line) } else { 0 };
                d
            }));
            let mut headings = out.headings;
            for h in &mut headings {
                h.line = line_of(h.line);
            }
            (out.html, headings)
        }
        BodyKind::Html => {
            let out = blogtrack_markdown::render_html_document(&liquid.output, &mut sink);
            let mut headings = out.headings;
            for h in &mut headings {
                h.line = line_of(h.line);
            }
            (out.html, headings)
        }
    };
    diagnostics.append(&mut sink.diags);
    if failed {
        // After a Liquid error the body the later stages saw is cut short (an unclosed `{% if %}`
        // swallows the rest): their findings are follow-ons, not problems of their own.
        diagnostics.truncate(liquid_diags);
    }
    let html = host.stash.restore(&html);
    let html = code::highlight_fences(&html, ctx.highlighter);
    Body {
        html,
        headings,
        diagnostics,
        failed,
        has_mermaid: host.has_mermaid,
        referenced: std::mem::take(&mut host.referenced)
            .into_iter()
            .map(|(p, l)| (p, l + shift))
            .collect(),
        math: sink.ctx,
        math_ok: sink.ok,
        math_failed: sink.failed,
    }
}

/// The Liquid `page` object of a post.
fn post_page_value(post: &Post) -> Value {
    let mut o = Object::new();
    o.insert("title".into(), Value::Str(post.meta.title.clone()));
    o.insert(
        "description".into(),
        Value::Str(post.meta.description.clone()),
    );
    o.insert("date".into(), Value::Str(post.date.iso()));
    o.insert("url".into(), Value::Str(post.url.clone()));
    o.insert("slug".into(), Value::Str(post.name.clone()));
    o.insert("path".into(), Value::Str(post.path.clone()));
    o.insert(
        "layout".into(),
        Value::Str(post.meta.layout.clone().unwrap_or_default()),
    );
    o.insert(
        "tags".into(),
        Value::Array(post.meta.tags.iter().cloned().map(Value::Str).collect()),
    );
    o.insert(
        "categories".into(),
        Value::Array(
            post.meta
                .categories
                .iter()
                .cloned()
                .map(Value::Str)
                .collect(),
        ),
    );
    o.insert(
        "bibliography".into(),
        Value::Str(post.meta.bibliography.clone().unwrap_or_default()),
    );
    Value::Object(o)
}

/// Renders a post into its view: the body (Liquid, Markdown, math), then citations, footnotes
/// and equation references, the table of contents, the byline and the scholarly metadata.
pub fn render_post(ctx: &RenderContext, post: &Post) -> RenderedPost {
    let body = render_body(
        ctx,
        &post.body,
        post.kind,
        post.body_line,
        post_page_value(post),
    );
    let mut diagnostics = body.diagnostics;
    let body_diags = diagnostics.len();

    let bib_name = post.meta.bibliography.clone().filter(|b| !b.is_empty());
    let bib = bib_name.as_ref().and_then(|n| ctx.bibs.get(n));
    if bib.is_none() && body.html.contains("<d-cite") {
        diagnostics.extend(missing_bibliography(post));
    }
    let mut scholar = scholar::Scholar::new(
        bib.map(|b| &b.0),
        bib_name.clone(),
        &post.body,
        post.body_line,
    )
    .with_math(body.math);
    let html = scholar.process(&body.html);
    diagnostics.append(&mut scholar.diagnostics);
    let math = scholar.take_math().unwrap_or_default();
    let (html, ref_diags) = math.finish(&html);
    diagnostics.extend(ref_diags.into_iter().map(|d| d.shift_lines(0)));
    let (html, text_ref_diags) = textrefs::link_text_refs(&html, &math, &post.body, post.body_line);
    diagnostics.extend(text_ref_diags);

    // The front matter starts on line 2 of the file (after `---`).
    let (toc, toc_diags) = toc::build_toc(&post.meta.toc, &body.headings, 1);
    diagnostics.extend(toc_diags);

    let canonical_url = ctx.config.absolute_url(&post.url);
    let authors = byline_authors(post);
    let (description_html, description_text) = description_views(post);
    let (head_html, cite_this) = metadata::for_post(
        ctx.config,
        post,
        &metadata::PostFacts {
            description: &description_text,
            authors: &authors,
            canonical_url: &canonical_url,
            cited: &scholar.cited,
            bib: bib.map(|b| &b.0),
        },
    );
    for d in &mut diagnostics {
        if d.file.is_none() {
            d.file = Some(post.path.as_str().to_string());
        }
    }
    let failed = body.failed;
    if failed {
        // Citations, equations and the table of contents of a body cut short by a Liquid error
        // would only report follow-ons (a heading swallowed by an unclosed `{% if %}` is not a
        // "TOC entry with no heading").
        diagnostics.truncate(body_diags);
    }
    RenderedPost {
        view: PostView {
            title: post.meta.title.clone(),
            description_html,
            description_text,
            date: DateView {
                iso: post.date.iso(),
                display: post.date.display(),
            },
            authors,
            toc,
            body_html: html,
            styles_css: post.meta.styles.clone(),
            references: scholar.references,
            footnotes: scholar.footnotes,
            cite_this,
            head_html,
            canonical_url,
            tags: post.meta.tags.clone(),
            categories: post.meta.categories.clone(),
            has_mermaid: body.has_mermaid,
            mermaid_js_href: body
                .has_mermaid
                .then(|| ctx.config.relative_url(blogtrack_theme::MERMAID_FILE)),
            badge: ctx
                .decisions
                .and_then(|d| d.badge(&post.file_stem))
                .map(str::to_string),
        },
        diagnostics,
        failed,
        referenced: body.referenced,
        math_ok: body.math_ok + scholar.math_ok,
        math_failed: body.math_failed + scholar.math_failed,
    }
}

/// The warning for a post that cites but names a bibliography that does not exist (`None`
/// when it names none: its citations are reported one by one as unknown keys).
fn missing_bibliography(post: &Post) -> Option<Diagnostic> {
    let name = post
        .meta
        .bibliography
        .as_deref()
        .filter(|b| !b.is_empty())?;
    Some(
        Diagnostic::warning(
            "bib-missing",
            format!("the bibliography `assets/bibliography/{name}` does not exist"),
        )
        .at(post.meta.bibliography_line + 1, 0)
        .with_hint(format!(
            "add the file, or set `bibliography:` to the post's own file ({}.bib)",
            post.file_stem
        )),
    )
}

/// The byline's authors and affiliations, as text.
fn byline_authors(post: &Post) -> Vec<Author> {
    post.meta
        .authors
        .iter()
        .map(|a| Author {
            // Some authors put inline HTML in names (`Oxford<sup>&ndash;2023</sup>`): the
            // byline and the metadata take their text.
            name: crate::html::inline_text(&a.name),
            url: a.url.clone(),
            affiliations: a
                .affiliations
                .iter()
                .map(|f| Affiliation {
                    name: crate::html::inline_text(&f.name),
                    url: f.url.clone(),
                })
                .collect(),
        })
        .collect()
}

/// The description under the title, as HTML with its math rendered, and as the text a reader
/// sees (markup it cannot use shows as text).
fn description_views(post: &Post) -> (String, String) {
    let inline = description_inline_html(&post.meta.description);
    let text = strip_tags(&inline);
    let mut sink = MathSink {
        ctx: MathContext::new(),
        line_of: &|_| 0,
        diags: Vec::new(),
        ok: 0,
        failed: 0,
    };
    let html = blogtrack_markdown::render_html_math(&inline, &mut sink);
    (html, text)
}

/// A rendered site page.
pub struct RenderedPage {
    pub view: PageView,
    pub diagnostics: Vec<Diagnostic>,
    pub failed: bool,
}

pub fn render_page(ctx: &RenderContext, page: &Page) -> RenderedPage {
    let mut o = Object::new();
    o.insert("title".into(), Value::Str(page.meta.title.clone()));
    o.insert("url".into(), Value::Str(page.url.clone()));
    o.insert("permalink".into(), Value::Str(page.url.clone()));
    let body = render_body(ctx, &page.body, page.kind, page.body_line, Value::Object(o));
    let (html, d) = body.math.finish(&body.html);
    let mut diagnostics = body.diagnostics;
    if !body.failed {
        diagnostics.extend(d);
    }
    for d in &mut diagnostics {
        if d.file.is_none() {
            d.file = Some(page.path.clone());
        }
    }
    RenderedPage {
        view: PageView {
            title: page.meta.title.clone(),
            description: page.meta.description.clone(),
            body_html: html,
            canonical_url: ctx.config.absolute_url(&page.url),
            is_about: page.meta.layout.as_deref() == Some("about"),
            has_mermaid: body.has_mermaid,
            mermaid_js_href: body
                .has_mermaid
                .then(|| ctx.config.relative_url(blogtrack_theme::MERMAID_FILE)),
        },
        diagnostics,
        failed: body.failed,
    }
}

/// Inline tags a description may use; anything else is shown as text.
const DESCRIPTION_TAGS: &[&str] = &[
    "a", "abbr", "b", "br", "code", "em", "i", "mark", "s", "small", "span", "strong", "sub",
    "sup", "u",
];

/// The description as inline HTML that cannot break the page: the tags of [`DESCRIPTION_TAGS`]
/// are kept (without attributes, except a web or relative `href` on `<a>`), balanced and closed;
/// every other `<` (comments, `<script>`, `</div>`, block tags) is escaped and shows as text.
pub fn description_inline_html(desc: &str) -> String {
    let mut out = String::with_capacity(desc.len() + 16);
    let mut open: Vec<&str> = Vec::new();
    let mut rest = desc;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let closing = after.starts_with('/');
        let name_start = usize::from(closing);
        let name_len = after[name_start..]
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(after.len() - name_start);
        let name = after[name_start..name_start + name_len].to_ascii_lowercase();
        let tag_end = after.find('>').filter(|e| !after[..*e].contains('<'));
        let known = DESCRIPTION_TAGS.iter().find(|t| **t == name);
        match (known, tag_end) {
            (Some(&tag), Some(end)) => {
                let attrs = &after[name_start + name_len..end];
                if closing {
                    if let Some(pos) = open.iter().rposition(|t| *t == tag) {
                        for t in open.drain(pos..).rev() {
                            out.push_str(&format!("</{t}>"));
                        }
                    }
                } else if tag == "br" {
                    out.push_str("<br>");
                } else {
                    out.push('<');
                    out.push_str(tag);
                    if tag == "a" {
                        if let Some(href) =
                            crate::html::attr_text(attrs, "href").filter(|h| safe_href(h))
                        {
                            out.push_str(&format!(" href=\"{}\"", crate::html::attr(&href)));
                        }
                    }
                    out.push('>');
                    if !attrs.trim_end().ends_with('/') {
                        open.push(tag);
                    } else {
                        out.push_str(&format!("</{tag}>"));
                    }
                }
                rest = &after[end + 1..];
            }
            _ => {
                out.push_str("&lt;");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    for t in open.iter().rev() {
        out.push_str(&format!("</{t}>"));
    }
    out
}

/// A link target that is a web address, a mail address, or relative (no other scheme).
fn safe_href(href: &str) -> bool {
    let h = href.trim().to_ascii_lowercase();
    match h.find([':', '/', '?', '#']) {
        Some(i) if h[i..].starts_with(':') => {
            matches!(&h[..i], "http" | "https" | "mailto")
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::description_inline_html as d;
    use super::*;

    /// Regression (issue 7): `<!--` or `</script>` in a description went into the page as
    /// markup; an unclosed comment hid the rest of the post.
    #[test]
    fn hostile_description_markup_is_shown_as_text() {
        assert_eq!(
            d("a </script><!-- b <script>x</script>"),
            "a &lt;/script>&lt;!-- b &lt;script>x&lt;/script>"
        );
        assert_eq!(d("x </div></div> y"), "x &lt;/div>&lt;/div> y");
    }

    #[test]
    fn inline_tags_are_kept_balanced_and_without_attributes() {
        assert_eq!(
            d("<i>Italic</i> and <b onclick=\"x()\">bold"),
            "<i>Italic</i> and <b>bold</b>"
        );
        assert_eq!(d("<em>a <b>b</em> c"), "<em>a <b>b</b></em> c");
        assert_eq!(d("stray </i> close"), "stray  close");
        assert_eq!(d("line<br/>break"), "line<br>break");
        assert_eq!(
            d("<a href=\"https://x.org/?a=1&amp;b\" target=_blank>x</a>"),
            "<a href=\"https://x.org/?a=1&amp;b\">x</a>"
        );
        assert_eq!(d("<a href=\"javascript:alert(1)\">x</a>"), "<a>x</a>");
        assert_eq!(d("a < b and c<d"), "a &lt; b and c&lt;d");
    }

    fn site() -> Value {
        let mut post = Object::new();
        post.insert("title".into(), Value::Str("First post".into()));
        let mut o = Object::new();
        o.insert("title".into(), Value::Str("Track".into()));
        o.insert("posts".into(), Value::Array(vec![Value::Object(post)]));
        Value::Object(o)
    }

    fn keys(v: &Value) -> Vec<&str> {
        match v {
            Value::Object(o) => o.keys().map(String::as_str).collect(),
            _ => Vec::new(),
        }
    }

    #[test]
    fn a_body_that_names_posts_sees_every_post() {
        let body = "{% for p in site.posts %}{{ p.title }}{% endfor %}";
        assert_eq!(site_for(&site(), body), site());
        let indirect = "{% assign s = site %}{{ s['posts'] | size }}";
        assert_eq!(keys(&site_for(&site(), indirect)), vec!["posts", "title"]);
    }

    #[test]
    fn a_body_that_does_not_name_posts_gets_site_without_the_list() {
        let body = "# {{ site.title }}\n\nText with $x^2$.";
        assert_eq!(keys(&site_for(&site(), body)), vec!["title"]);
    }
}
