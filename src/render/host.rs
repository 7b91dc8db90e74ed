//! Jekyll's tags, as the Liquid stage asks for them: `include` (figure, people cards),
//! `post_url`, `highlight`, `twitter`, `mermaid`, and the URL filters.
//!
//! Output that Markdown must not touch (highlighted code, diagrams) is stashed and replaced by a
//! placeholder; figures stay in the text as raw HTML so that math in their captions is found like
//! any other math in raw HTML (as MathJax did).

use super::assets::AssetIndex;
use crate::config::Config;
use crate::html::{attr, escape, Stash};
use blogtrack_diag::Diagnostic;
use blogtrack_highlight::Highlighter;
use blogtrack_liquid::{Host, Value};
use std::collections::HashMap;

/// The includes posts and pages may use: the old theme's, and the decisions' announcements
/// ([`crate::decisions::highlights::INCLUDES`]).
pub const KNOWN_INCLUDES: &[&str] = &[
    "decisions/accepted.html",
    "decisions/highlights.html",
    "figure.html",
    "figure.liquid",
    "people_horizontal.html",
    "people_horizontal.liquid",
    "video.html",
    "video.liquid",
];

pub struct RenderHost<'a> {
    pub config: &'a Config,
    pub assets: &'a AssetIndex,
    /// Post file stem (`2024-05-07-x`) → site-relative URL, for `post_url`.
    pub post_urls: &'a HashMap<String, String>,
    pub highlighter: &'a Highlighter,
    pub stash: Stash,
    /// Diagnostics that are not Liquid errors (missing images ...), lines relative to the body.
    pub warnings: Vec<Diagnostic>,
    pub has_mermaid: bool,
    /// Images referenced through includes (track-relative), for `check`.
    pub referenced: Vec<(String, u32)>,
    /// Figures with neither alt text nor caption (path, line): one warning per post, see
    /// [`RenderHost::alt_warning`].
    pub no_alt: Vec<(String, u32)>,
    /// The decisions' includes (name → HTML); empty when the track has no decisions.
    pub decision_includes: &'a [(&'static str, String)],
}

impl<'a> RenderHost<'a> {
    pub fn new(
        config: &'a Config,
        assets: &'a AssetIndex,
        post_urls: &'a HashMap<String, String>,
        highlighter: &'a Highlighter,
    ) -> Self {
        RenderHost {
            config,
            assets,
            post_urls,
            highlighter,
            stash: Stash::default(),
            warnings: Vec::new(),
            has_mermaid: false,
            referenced: Vec::new(),
            no_alt: Vec::new(),
            decision_includes: &[],
        }
    }

    /// One warning for all the figures of a body that have neither alt text nor a caption (a
    /// post with 40 such figures gets one message listing them, not 40). `shift` turns body
    /// lines into file lines, for the position and the list of lines in the message alike.
    pub fn alt_warning(&self, shift: u32) -> Option<Diagnostic> {
        let (first_path, first_line) = self.no_alt.first()?;
        let n = self.no_alt.len();
        let message = if n == 1 {
            format!("the figure `{first_path}` has neither `alt` text nor a `caption`")
        } else {
            let lines: Vec<String> = self
                .no_alt
                .iter()
                .take(8)
                .map(|(_, l)| (l + shift).to_string())
                .collect();
            format!(
                "{n} figures have neither `alt` text nor a `caption` (lines {}{})",
                lines.join(", "),
                if n > 8 { ", …" } else { "" }
            )
        };
        Some(
            Diagnostic::warning("figure-no-alt", message)
                .at(first_line + shift, 0)
                .with_hint("add alt=\"what the image shows\" (or a caption) so that readers who cannot see it get its content"),
        )
    }

    fn figure(
        &mut self,
        params: &[(String, Value)],
        line: u32,
        video: bool,
    ) -> Result<String, Diagnostic> {
        let get = |k: &str| -> Option<String> {
            params
                .iter()
                .rev()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.render())
                .filter(|s| !s.is_empty())
        };
        let Some(path) = get("path") else {
            return Err(Diagnostic::error(
                "include-missing-path",
                "this figure include has no `path`",
            )
            .at(line, 0)
            .with_hint("write {% include figure.html path=\"assets/img/SLUG/name.png\" %}"));
        };
        let src = self.config.relative_url(path.trim());
        let FigureFile {
            size,
            missing,
            variants,
        } = self.figure_file(&path, &src, line, video);
        let style = figure_style(&get);
        let mut img = String::with_capacity(256);
        if video {
            img.push_str("<video src=\"");
            img.push_str(&attr(&src));
            img.push('"');
        } else {
            img.push_str("<img src=\"");
            img.push_str(&attr(&src));
            img.push('"');
        }
        if let Some(c) = get("class") {
            img.push_str(&format!(" class=\"{}\"", attr(&c)));
        }
        if !video && get("alt").is_none() && get("caption").is_none() {
            self.no_alt.push((path.clone(), line));
        }
        if !video {
            let alt = get("alt").unwrap_or_default();
            img.push_str(&format!(" alt=\"{}\"", attr(&alt)));
        }
        if let Some(t) = get("title") {
            img.push_str(&format!(" title=\"{}\"", attr(&t)));
        }
        if let Some((w, h)) = size {
            img.push_str(&format!(" width=\"{w}\" height=\"{h}\""));
        }
        if let Some((set, sizes)) = &variants {
            img.push_str(&format!(" srcset=\"{}\" sizes=\"{sizes}\"", attr(set)));
        }
        if !style.is_empty() {
            img.push_str(&format!(" style=\"{}\"", attr(&style.join(";"))));
        }
        if video {
            for flag in ["controls", "autoplay", "loop", "muted"] {
                if get(flag).is_some_and(|v| v != "false") {
                    img.push(' ');
                    img.push_str(flag);
                }
            }
            img.push_str(" playsinline preload=\"metadata\"></video>");
        } else {
            // Jekyll read a bare `zoomable=True` as an unset variable; the author meant zoom.
            let zoom = params.iter().any(|(n, v)| {
                n == "zoomable"
                    && !matches!(v, Value::Bool(false))
                    && !v.render().eq_ignore_ascii_case("false")
            });
            if zoom {
                img.push_str(" data-zoomable");
            }
            img.push_str(" loading=\"lazy\" decoding=\"async\">");
        }
        if let Some(rel) = missing.filter(|_| !video) {
            img = missing_placeholder(&src, &style, &rel);
        }
        Ok(figure_element(&img, get("caption").as_deref()))
    }

    /// What the build knows of a figure's file: records the reference, reads its size and
    /// responsive variants, or warns that it is missing or outside the site.
    fn figure_file(&mut self, path: &str, src: &str, line: u32, video: bool) -> FigureFile {
        let mut file = FigureFile::default();
        match AssetIndex::site_path(path, &self.config.baseurl) {
            Some(rel) => {
                self.referenced.push((rel.clone(), line));
                if self.assets.exists(&rel) {
                    file.size = self.assets.image_size(&rel);
                    if let Some((w, _)) = file.size.filter(|_| !video) {
                        file.variants =
                            crate::build::images::srcset(src, &rel, w, |p| self.assets.exists(p));
                    }
                } else {
                    self.warnings.push(
                        Diagnostic::warning(
                            "missing-asset",
                            format!("the figure's file `{rel}` does not exist"),
                        )
                        .at(line, 0)
                        .with_hint("check the path and the file name's case; put the file under assets/img/SLUG/"),
                    );
                    file.missing = Some(rel);
                }
            }
            None if path.contains("://") || path.starts_with("//") => {}
            None => self.warnings.push(
                Diagnostic::warning(
                    "asset-path",
                    format!("the figure path `{path}` leaves the site folder"),
                )
                .at(line, 0)
                .with_hint("use a path inside the repository, e.g. assets/img/SLUG/name.png"),
            ),
        }
        file
    }
}

/// A figure's file as the build found it.
#[derive(Default)]
struct FigureFile {
    /// Intrinsic width and height, for the `<img>` attributes.
    size: Option<(u32, u32)>,
    /// The site path of a file that does not exist.
    missing: Option<String>,
    /// `srcset` and `sizes` of the generated variants.
    variants: Option<(String, &'static str)>,
}

/// The inline style of a figure's media: its size parameters as CSS lengths, then `style`.
fn figure_style(get: &dyn Fn(&str) -> Option<String>) -> Vec<String> {
    let mut style = Vec::new();
    for prop in [
        "width",
        "height",
        "max-width",
        "max-height",
        "min-width",
        "min-height",
    ] {
        if let Some(v) = get(prop).and_then(|v| css_length(&v, prop)) {
            style.push(format!("{prop}:{v}"));
        }
    }
    if let Some(s) = get("style") {
        style.push(s);
    }
    style
}

/// A visible box where a missing image would be (the build warned), not a zero-height `<img>`.
/// The reference stays on the placeholder so that `check` still finds the missing file the
/// post uses (content-asset-missing).
fn missing_placeholder(src: &str, style: &[String], rel: &str) -> String {
    let style = if style.is_empty() {
        String::new()
    } else {
        format!(" style=\"{}\"", attr(&style.join(";")))
    };
    format!(
        "<span class=\"img-missing\" role=\"img\" aria-label=\"missing image\" data-src=\"{}\"{style}>missing image: {}</span>",
        attr(src),
        escape(rel)
    )
}

/// The `<figure>` around a figure's media, with its caption.
fn figure_element(media: &str, caption: Option<&str>) -> String {
    let mut out = String::with_capacity(media.len() + 128);
    out.push_str("<figure class=\"figure\">");
    out.push_str(media);
    if let Some(c) = caption {
        out.push_str("<figcaption class=\"caption\">");
        // Captions are HTML (authors put links and math in them), kept on one line so that
        // Markdown sees one raw block.
        out.push_str(&c.replace('\n', " "));
        out.push_str("</figcaption>");
    }
    out.push_str("</figure>");
    out
}

/// A CSS length from an include parameter: `400` → `400px`, `50%`, `35em`; also rescues the
/// old theme's injection idiom `" style="max-width: 35em;` by taking the value after `prop:`.
fn css_length(v: &str, prop: &str) -> Option<String> {
    let mut v = v.trim();
    let needle = format!("{prop}:");
    let owned;
    if let Some(i) = v.find(&needle) {
        owned = v[i + needle.len()..]
            .trim()
            .trim_end_matches([';', '"'])
            .trim()
            .to_string();
        v = &owned;
    }
    if v.is_empty() || v == "auto" && prop.starts_with("max") {
        return None;
    }
    if v.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return Some(format!("{v}px"));
    }
    let ok = v
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'%' || b == b'-' || b == b' ');
    ok.then(|| v.to_string())
}

impl Host for RenderHost<'_> {
    fn include(
        &mut self,
        name: &str,
        params: &[(String, Value)],
        line: u32,
    ) -> Result<String, Diagnostic> {
        match name {
            "figure.html" | "figure.liquid" => self.figure(params, line, false),
            "video.html" | "video.liquid" => self.figure(params, line, true),
            "people_horizontal.html" | "people_horizontal.liquid" => {
                let get = |k: &str| {
                    params
                        .iter()
                        .rev()
                        .find(|(n, _)| n == k)
                        .map(|(_, v)| v.render())
                        .filter(|s| !s.is_empty())
                };
                let img = get("img").map(|p: String| self.config.relative_url(&p));
                Ok(self.stash.put(blogtrack_theme::people_card(
                    &get("name").unwrap_or_default(),
                    &get("affiliation").unwrap_or_default(),
                    get("url").as_deref(),
                    img.as_deref(),
                )))
            }
            _ if crate::decisions::highlights::INCLUDES.contains(&name) => {
                match self.decision_includes.iter().find(|(n, _)| *n == name) {
                    Some((_, html)) => Ok(self.stash.put(html.clone())),
                    None => {
                        self.warnings.push(
                            Diagnostic::warning(
                                "decisions-none",
                                format!("`{name}` shows the decisions, but the track has no valid _data/decisions.yml"),
                            )
                            .at(line, 0)
                            .with_hint("run `blogtrack review publish`, or write _data/decisions.yml (docs/decisions.md)"),
                        );
                        Ok(String::new())
                    }
                }
            }
            _ => {
                let mut d = Diagnostic::error(
                    "liquid-unknown-include",
                    format!("unknown include `{name}`"),
                )
                .at(line, 0);
                let hint = match crate::fields::did_you_mean(name, KNOWN_INCLUDES) {
                    Some(s) => format!(
                        "did you mean `{s}`? blogtrack provides: {}",
                        KNOWN_INCLUDES.join(", ")
                    ),
                    None => format!("blogtrack provides: {}", KNOWN_INCLUDES.join(", ")),
                };
                d = d.with_hint(hint);
                Err(d)
            }
        }
    }

    fn post_url(&mut self, name: &str, line: u32) -> Result<String, Diagnostic> {
        let key = name
            .trim()
            .trim_end_matches(".md")
            .trim_end_matches(".html");
        let key = key.rsplit('/').next().unwrap_or(key);
        match self.post_urls.get(key) {
            Some(u) => Ok(self.config.relative_url(u)),
            None => {
                let names: Vec<&str> = self.post_urls.keys().map(String::as_str).collect();
                let mut d =
                    Diagnostic::error("post-url-unknown", format!("no post `{key}` for post_url"))
                        .at(line, 0);
                if let Some(s) = crate::fields::did_you_mean(key, &names) {
                    d = d.with_hint(format!("did you mean `{s}`?"));
                } else {
                    d = d.with_hint(
                        "give the post's file name without extension, e.g. 2025-04-28-name",
                    );
                }
                Err(d)
            }
        }
    }

    fn highlight(&mut self, lang: &str, linenos: bool, code: &str, _line: u32) -> String {
        let code = code.strip_prefix('\n').unwrap_or(code);
        let lang = (!lang.is_empty()).then_some(lang);
        let html = self.highlighter.highlight(code, lang, linenos);
        self.stash.put(html)
    }

    fn twitter(&mut self, url: &str, _line: u32) -> String {
        let user = url
            .split("twitter.com/")
            .nth(1)
            .or_else(|| url.split("x.com/").nth(1))
            .and_then(|r| r.split('/').next())
            .filter(|u| !u.is_empty());
        self.stash.put(blogtrack_theme::twitter_card(url, user))
    }

    fn mermaid(&mut self, source: &str, _line: u32) -> String {
        self.has_mermaid = true;
        self.stash.put(format!(
            "<pre class=\"mermaid\">{}</pre>",
            escape(source.trim())
        ))
    }

    fn relative_url(&self, path: &str) -> String {
        self.config.relative_url(path)
    }

    fn absolute_url(&self, path: &str) -> String {
        self.config.absolute_url(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_lengths() {
        assert_eq!(css_length("400", "width").as_deref(), Some("400px"));
        assert_eq!(css_length("50%", "width").as_deref(), Some("50%"));
        assert_eq!(
            css_length("\" style=\"max-width: 35em;\n", "max-width").as_deref(),
            Some("35em")
        );
        assert_eq!(css_length("red;background:url(x)", "width"), None);
    }

    fn figure_warnings(params: &[(&str, &str)]) -> Vec<String> {
        let config = Config::default();
        let assets = AssetIndex::default();
        let urls = HashMap::new();
        let highlighter = Highlighter::new();
        let mut host = RenderHost::new(&config, &assets, &urls, &highlighter);
        let params: Vec<(String, Value)> = params
            .iter()
            .map(|(k, v)| (k.to_string(), Value::Str(v.to_string())))
            .collect();
        let _ = host.figure(&params, 7, false);
        host.warnings
            .iter()
            .chain(host.alt_warning(0).as_ref())
            .map(|d| d.code.to_string())
            .collect()
    }

    /// Regression (issue 17): a missing image was a zero-height `<img>` with an empty alt.
    #[test]
    fn a_missing_image_shows_a_placeholder_and_warns() {
        let config = Config::default();
        let assets = AssetIndex::default();
        let urls = HashMap::new();
        let highlighter = Highlighter::new();
        let mut host = RenderHost::new(&config, &assets, &urls, &highlighter);
        let params = vec![
            (
                "path".to_string(),
                Value::Str("assets/img/x/<gone>.png".into()),
            ),
            ("width".to_string(), Value::Str("300".into())),
        ];
        let html = host.figure(&params, 3, false).unwrap_or_default();
        assert_eq!(
            html,
            "<figure class=\"figure\"><span class=\"img-missing\" role=\"img\" aria-label=\"missing image\" data-src=\"/assets/img/x/&lt;gone&gt;.png\" style=\"width:300px\">missing image: assets/img/x/&lt;gone&gt;.png</span></figure>"
        );
        assert_eq!(host.warnings.len(), 1);
        assert_eq!(host.warnings[0].code, "missing-asset");
    }

    #[test]
    fn a_figure_without_alt_or_caption_gets_an_accessibility_warning() {
        let path = ("path", "https://example.org/a.png");
        assert_eq!(figure_warnings(&[path]), vec!["figure-no-alt"]);
        assert!(figure_warnings(&[path, ("alt", "A loss curve")]).is_empty());
        assert!(figure_warnings(&[path, ("caption", "Loss over time")]).is_empty());
    }

    #[test]
    fn figure_no_alt_lists_file_lines_not_body_lines() {
        let config = Config::default();
        let assets = AssetIndex::default();
        let urls = HashMap::new();
        let highlighter = Highlighter::new();
        let mut host = RenderHost::new(&config, &assets, &urls, &highlighter);
        let params = vec![(
            "path".to_string(),
            Value::Str("https://example.org/a.png".into()),
        )];
        let _ = host.figure(&params, 3, false);
        let _ = host.figure(&params, 5, false);
        // A front matter of 10 lines: body line 3 is file line 13.
        let d = host.alt_warning(10).expect("a warning");
        assert_eq!(d.line, 13);
        assert!(d.message.contains("(lines 13, 15)"), "{}", d.message);
    }
}
