//! Post bodies (after Liquid) to HTML with kramdown's semantics, and math found where the old
//! site's MathJax found it.
//!
//! The pipeline of one Markdown text is: a block pre-pass ([`prepass`]) that does what kramdown
//! does differently from CommonMark — raw HTML blocks that run to their matching close tag,
//! `markdown="1"`, IALs, kramdown's `$$` rule — and hides math and raw blocks behind
//! placeholders; then pulldown-cmark (CommonMark + GFM tables, strikethrough, smart punctuation,
//! footnotes, definition lists, heading attributes); then our own HTML writer ([`emit`]) that
//! attaches IALs, gives headings kramdown's GFM ids, and puts the rendered math and raw HTML back
//! ([`rawhtml`] applies MathJax's delimiter rules there). Math is rendered by the caller through
//! [`MathRenderer`], called in document order so macros and equation numbers work.
//!
//! Pure: no I/O, no global state; every problem is a [`Diagnostic`] with a line of the input.

mod delims;
mod emit;
mod ial;
mod prepass;
mod rawhtml;
mod scan;
mod slug;

use blogtrack_diag::Diagnostic;
use std::collections::HashMap;

pub use slug::base_id as gfm_base_id;

/// Renders TeX found in the text. Called once per expression, in document order.
pub trait MathRenderer {
    /// Returns HTML to insert (MathML or a fallback). `line` is the 1-based line of the opening
    /// delimiter in the input.
    fn render_math(&mut self, tex: &str, display: bool, line: u32) -> String;
}

/// A heading of the rendered text, Markdown or raw HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    /// What a reader sees (smart punctuation applied), with math as its TeX source.
    pub text: String,
    /// 1-based line in the input.
    pub line: u32,
}

#[derive(Debug, Clone, Default)]
pub struct Output {
    pub html: String,
    pub headings: Vec<Heading>,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Clone)]
pub struct Options {
    /// Adds `<a class="anchor" href="#id" aria-label="Link to this section"></a>` at the end of
    /// every Markdown heading.
    pub heading_anchors: bool,
    /// How deep `markdown="1"` elements may nest before their content is left raw.
    pub max_nesting: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            heading_anchors: true,
            max_nesting: 16,
        }
    }
}

/// Renders a Markdown post body (after Liquid) to HTML.
pub fn render(markdown: &str, opts: &Options, math: &mut dyn MathRenderer) -> Output {
    let src = normalize(markdown);
    let mut ctx = Ctx::new(opts, math, true);
    let mut html = render_level(&mut ctx, &src, 1, 0);
    ctx.finish(&mut html);
    if html.contains("<!---->") {
        // The pre-pass's marker after lone span tags (see `prepass`), not wanted in the output.
        html = html.replace("<!---->", "");
    }
    Output {
        html,
        headings: ctx.headings,
        diagnostics: ctx.diags,
    }
}

/// For `.html` posts and HTML fragments (captions, footnotes): only the raw-HTML math rules;
/// no Markdown, no heading ids.
pub fn render_html_math(html: &str, math: &mut dyn MathRenderer) -> String {
    let opts = Options::default();
    let mut ctx = Ctx::new(&opts, math, false);
    let mut out = String::with_capacity(html.len());
    rawhtml::process(&mut ctx, html, 1, 0, &mut out);
    out
}

/// For `.html` posts: the raw-HTML math rules, plus ids for headings that have none (so a table
/// of contents can link to them), and the list of headings. No Markdown.
pub fn render_html_document(html: &str, math: &mut dyn MathRenderer) -> Output {
    let opts = Options::default();
    let src = normalize(html);
    let mut ctx = Ctx::new(&opts, math, true);
    let mut out = String::with_capacity(src.len());
    rawhtml::process(&mut ctx, &src, 1, 0, &mut out);
    ctx.finish(&mut out);
    Output {
        html: out,
        headings: ctx.headings,
        diagnostics: ctx.diags,
    }
}

/// CRLF to LF, and our placeholder characters out of the input.
fn normalize(s: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| ('\u{E000}'..='\u{E011}').contains(&c);
    if !s.contains('\r') && !s.contains(bad) {
        return s.into();
    }
    s.replace("\r\n", "\n").replace(bad, "\u{FFFD}").into()
}

/// Something the pre-pass took out of the Markdown text, to be put back by the writer.
#[derive(Debug)]
pub(crate) enum Item {
    Math {
        tex: String,
        src: String,
        display: bool,
        line: u32,
        html: Option<String>,
    },
    SpanIal(ial::Attrs),
    Raw {
        html: String,
        line: u32,
    },
    Markdown {
        open: String,
        inner: String,
        close: String,
        line: u32,
        span: bool,
    },
    Used,
}

/// State shared by all nesting levels of one render.
pub(crate) struct Ctx<'o, 'm> {
    pub opts: &'o Options,
    pub math: &'m mut dyn MathRenderer,
    pub items: Vec<Item>,
    pub diags: Vec<Diagnostic>,
    pub headings: Vec<Heading>,
    pub ids: slug::IdGen,
    pub alds: HashMap<String, ial::Attrs>,
    /// Raw HTML headings without an id: their text, for ids assigned at the end.
    pub raw_ids: Vec<String>,
    /// Whether `markdown="1"` and raw headings are handled (off for plain HTML math).
    pub markdown: bool,
}

impl<'o, 'm> Ctx<'o, 'm> {
    fn new(opts: &'o Options, math: &'m mut dyn MathRenderer, markdown: bool) -> Self {
        Ctx {
            opts,
            math,
            items: Vec::new(),
            diags: Vec::new(),
            headings: Vec::new(),
            ids: slug::IdGen::default(),
            alds: HashMap::new(),
            raw_ids: Vec::new(),
            markdown,
        }
    }

    pub fn push(&mut self, item: Item) -> usize {
        self.items.push(item);
        self.items.len() - 1
    }

    pub fn warn(&mut self, code: &'static str, line: u32, message: String, hint: &str) {
        self.diags.push(
            Diagnostic::warning(code, message)
                .at(line, 0)
                .with_hint(hint),
        );
    }

    /// Rendered HTML of math item `n` (rendered on first use).
    pub fn math_html(&mut self, n: usize) -> Option<String> {
        let Some(Item::Math {
            tex,
            display,
            line,
            html,
            ..
        }) = self.items.get_mut(n)
        else {
            return None;
        };
        if html.is_none() {
            *html = Some(self.math.render_math(tex, *display, *line));
        }
        html.clone()
    }

    /// Assigns ids to raw HTML headings that had none, avoiding every id used elsewhere.
    fn finish(&mut self, html: &mut String) {
        if self.raw_ids.is_empty() {
            return;
        }
        let mut used: std::collections::HashSet<String> = self
            .headings
            .iter()
            .filter(|h| !h.id.starts_with('\u{E010}'))
            .map(|h| h.id.clone())
            .collect();
        let mut out = String::with_capacity(html.len());
        let mut chosen = Vec::new();
        for text in &self.raw_ids {
            let mut base = slug::base_id(text);
            if base.is_empty() {
                base.push_str("section");
            }
            let mut id = base.clone();
            let mut k = 1;
            while used.contains(&id) {
                id = format!("{base}-{k}");
                k += 1;
            }
            used.insert(id.clone());
            chosen.push(id);
        }
        let mut rest = html.as_str();
        while let Some(p) = rest.find('\u{E010}') {
            out.push_str(&rest[..p]);
            let after = &rest[p + 3..];
            match after
                .find('\u{E011}')
                .and_then(|q| after[..q].parse::<usize>().ok().map(|n| (q, n)))
            {
                Some((q, n)) if n < chosen.len() => {
                    out.push_str(&chosen[n]);
                    rest = &after[q + 3..];
                }
                _ => {
                    out.push('\u{E010}');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        *html = out;
        for h in &mut self.headings {
            if let Some(n) =
                h.id.strip_prefix('\u{E010}')
                    .and_then(|r| r.strip_suffix('\u{E011}'))
                    .and_then(|n| n.parse::<usize>().ok())
            {
                if let Some(id) = chosen.get(n) {
                    h.id.clone_from(id);
                }
            }
        }
    }
}

/// Renders one Markdown text (the whole body, or the content of a `markdown="1"` element whose
/// first line is line `line` of the input).
pub(crate) fn render_level(ctx: &mut Ctx, src: &str, line: u32, depth: u32) -> String {
    let pre = prepass::run(ctx, src, line);
    emit::write(ctx, &pre, depth)
}

#[cfg(test)]
mod tests;
