//! Jekyll's Liquid, the subset blog-post tracks use, in Ruby Liquid's lax mode.
//!
//! Jekyll runs Liquid over every post body before Markdown, code fences and HTML comments
//! included; `{% raw %}` is the only escape. This crate reproduces what Jekyll printed: the
//! same tokenization (an output ends at the first `}`, so TeX such as `\frac{1}{{n}}` loses
//! its `{{n}}` exactly as it did on the old site), the same lax expression parsing (a Hugo
//! shortcode `{{<tmfigure ...>}}` prints nothing), the same whitespace control and the same
//! Ruby value semantics. Jekyll's own tags (`include`, `post_url`, `highlight`, `twitter`,
//! `mermaid`) and the site-dependent filters go to a [`Host`] the caller implements; this
//! crate reads no files.
//!
//! It is our own engine rather than the `liquid` crate because that crate parses strictly (it
//! rejects the TeX and shortcodes real posts contain), cannot report line numbers for every
//! problem, and has no place for Jekyll's tags.
//!
//! Problems are [`Diagnostic`]s with lines relative to the template. Unlike Ruby Liquid,
//! parsing does not stop at the first error: all are reported, and the caller decides (an
//! error fails the post).

mod date;
mod expr;
mod filters;
mod lex;
mod parse;
mod render;
mod value;

use blogtrack_diag::{Diagnostic, LineIndex};

pub use date::DateTime;
pub use filters::slugify;
pub use parse::KNOWN_TAGS;
pub use render::{MAX_ITERATIONS, MAX_OUTPUT, MAX_RANGE};
pub use value::{ruby_float, Object, Value};

/// Deepest nesting of blocks a template may have.
pub const MAX_DEPTH: u32 = parse::MAX_DEPTH;

/// What the caller provides: Jekyll's tags and the filters that need the site.
///
/// `line` is the template line of the tag, for the host's own diagnostics. An `Err` from
/// `include` or `post_url` is reported as given (its line set to the tag's when it has none)
/// and the tag prints nothing.
pub trait Host {
    /// `{% include NAME k=v ... %}`, parameters in the written order, already resolved.
    fn include(
        &mut self,
        name: &str,
        params: &[(String, Value)],
        line: u32,
    ) -> Result<String, Diagnostic>;
    /// `{% post_url 2024-05-07-name %}`: the URL of that post.
    fn post_url(&mut self, name: &str, line: u32) -> Result<String, Diagnostic>;
    /// `{% highlight LANG [linenos] %}`: the body after Liquid, without leading and trailing
    /// newlines (as Jekyll strips them).
    fn highlight(&mut self, lang: &str, linenos: bool, code: &str, line: u32) -> String;
    /// `{% twitter URL ... %}`.
    fn twitter(&mut self, url: &str, line: u32) -> String;
    /// `{% mermaid %}...{% endmermaid %}`: the body after Liquid (the plugin's block renders it).
    fn mermaid(&mut self, source: &str, line: u32) -> String;
    /// The `relative_url` filter (prefix with the site's baseurl).
    fn relative_url(&self, path: &str) -> String;
    /// The `absolute_url` filter (prefix with url and baseurl).
    fn absolute_url(&self, path: &str) -> String;
    /// The `markdownify` filter.
    fn markdownify(&mut self, text: &str) -> String {
        text.to_string()
    }
}

/// Maps lines of a render's output back to lines of its template.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineMap {
    /// Template line of each output line; empty means "the same line".
    lines: Vec<u32>,
}

impl LineMap {
    /// 1-based template line of a 1-based output line. Text copied from the template keeps its
    /// lines; text a tag produced maps to the tag's line.
    pub fn source_line(&self, output_line: u32) -> u32 {
        if self.lines.is_empty() || output_line == 0 {
            return output_line;
        }
        let i = (output_line as usize - 1).min(self.lines.len() - 1);
        self.lines[i]
    }
}

/// The result of a render.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub output: String,
    pub diagnostics: Vec<Diagnostic>,
    pub line_map: LineMap,
}

impl Rendered {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// A parsed template: parse once, render many times (the dev server re-renders).
#[derive(Debug, Clone)]
pub struct Template {
    source: String,
    index: LineIndex,
    nodes: Vec<parse::Node>,
    diagnostics: Vec<Diagnostic>,
}

impl Template {
    pub fn parse(source: &str) -> Template {
        let index = LineIndex::new(source);
        let (nodes, diagnostics) = if lex::has_markup(source) {
            let mut p = parse::Parser::new(source, &index);
            let nodes = p.parse_document();
            (nodes, p.diags)
        } else if source.is_empty() {
            (Vec::new(), Vec::new())
        } else {
            (vec![parse::Node::Text(0, source.len())], Vec::new())
        };
        Template {
            source: source.to_string(),
            index,
            nodes,
            diagnostics,
        }
    }

    /// Syntax problems found while parsing (also part of every [`Rendered`]).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// Whether rendering can only copy the source (no tag or output in it).
    pub fn is_plain(&self) -> bool {
        matches!(self.nodes.as_slice(), [] | [parse::Node::Text(..)])
    }

    pub fn render(&self, globals: &Object, host: &mut dyn Host) -> Rendered {
        if self.is_plain() {
            return Rendered {
                output: self.source.clone(),
                diagnostics: self.diagnostics.clone(),
                line_map: LineMap::default(),
            };
        }
        let mut r = render::Renderer::new(&self.source, &self.index, globals, host);
        let mut out = render::Out::new(true);
        r.render_nodes(&self.nodes, &mut out);
        let mut diagnostics = self.diagnostics.clone();
        diagnostics.append(&mut r.diags);
        let (output, line_map) = out.into_parts();
        Rendered {
            output,
            diagnostics,
            line_map,
        }
    }
}

/// Parses and renders a template in one go.
pub fn render(template: &str, globals: &Object, host: &mut dyn Host) -> Rendered {
    if !lex::has_markup(template) {
        return Rendered {
            output: template.to_string(),
            diagnostics: Vec::new(),
            line_map: LineMap::default(),
        };
    }
    Template::parse(template).render(globals, host)
}
