//! TeX math to MathML, at build time, as MathJax 3 (al-folio configuration, `tags: 'ams'`)
//! would have shown it.
//!
//! A post's expressions go, in order, through one [`MathContext`]: macros defined in one
//! expression apply to the following ones, equations are numbered per post, and `\eqref`s to
//! labels defined later are resolved by [`MathContext::finish`] on the finished post HTML.
//!
//! The conversion itself is `math-core` (MathML Core, which Chromium renders natively). In front
//! of it sit our own tokenizer (`tokens`), a macro expander with MathJax compatibility rewrites
//! (`expand`) and equation numbering (`number`); they are ours because MathJax's behaviour across
//! expressions (macros, numbers, labels) is per post, which a per-expression converter cannot
//! know. This crate does not find math in Markdown; the Markdown stage does and calls us.

mod expand;
mod number;
mod slim;
mod tokens;

use std::fmt;

use blogtrack_diag::Diagnostic;
use math_core::{LatexToMathML, MathCoreConfig, MathDisplay};

use crate::expand::Macros;
use crate::number::{Numbering, RefKind};

/// Longest expression accepted, in bytes.
pub const MAX_TEX_LEN: usize = 100 * 1024;

/// Why an expression could not be rendered, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MathError {
    message: String,
}

impl MathError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        MathError {
            message: message.into(),
        }
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for MathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for MathError {}

/// Renders the math of one post: macros defined so far, the equation counter and the labels.
pub struct MathContext {
    macros: Macros,
    numbering: Numbering,
    converter: LatexToMathML,
    last_tex: String,
}

impl Default for MathContext {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for MathContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MathContext")
            .field("equations", &self.numbering.count)
            .field("labels", &self.numbering.labels.len())
            .finish_non_exhaustive()
    }
}

const REF_OPEN: char = '\u{E000}';
const REF_CLOSE: char = '\u{E001}';

impl MathContext {
    pub fn new() -> Self {
        let converter = LatexToMathML::new(MathCoreConfig::default()).unwrap_or_default();
        MathContext {
            macros: Macros::default(),
            numbering: Numbering::default(),
            converter,
            last_tex: String::new(),
        }
    }

    /// Renders one expression (`display`: block math). The result is a `<math>` element; display
    /// math is wrapped in `<span class="math-display">`. On failure the caller shows
    /// [`fallback_html`] and reports the error as a warning.
    pub fn render(&mut self, tex: &str, display: bool) -> Result<String, MathError> {
        if tex.len() > MAX_TEX_LEN {
            return Err(MathError::new(format!(
                "the expression is {} bytes long, more than the limit of {MAX_TEX_LEN}",
                tex.len()
            )));
        }
        let decoded = decode_entities(tex);
        let toks = tokens::tokenize(&decoded)?;
        let converter = &self.converter;
        let toks = self
            .macros
            .expand(toks, &|name| known_color(converter, name))?;
        let mut prepared = self.numbering.prepare(toks, display);
        tokens::drop_nested_separators(&mut prepared.toks);
        if tokens::nesting(&prepared.toks) > tokens::MAX_DEPTH {
            return Err(MathError::new(format!(
                "the expression nests more than {} levels deep (braces, environments, \\left, commands)",
                tokens::MAX_DEPTH
            )));
        }
        let latex = tokens::untokenize(&prepared.toks);
        self.last_tex = latex.clone();
        let mode = if display {
            MathDisplay::Block
        } else {
            MathDisplay::Inline
        };
        let converter = &self.converter;
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            converter.convert_with_local_state(&latex, mode)
        }))
        .map_err(|_| MathError::new("the converter failed on this expression (internal error)"))?
        .map_err(|e| MathError::new(describe(&e, &latex)))?;
        let mut mathml = slim::slim(&result.mathml);
        for (ph, text, id, parens) in &prepared.tags {
            let id_attr = id
                .as_ref()
                .map(|i| format!(" id=\"{i}\""))
                .unwrap_or_default();
            let (open, close) = if *parens { ("(", ")") } else { ("", "") };
            let to = match self.tag_math(text) {
                Some(inner) => format!(
                    "<mrow class=\"eqno\"{id_attr}><mtext>{open}</mtext>{inner}<mtext>{close}</mtext></mrow>"
                ),
                None => format!("<mtext class=\"eqno\"{id_attr}>{open}{}{close}</mtext>", escape(text)),
            };
            let from = format!("<mtext>({ph})</mtext>");
            mathml = if mathml.contains(&from) {
                mathml.replace(&from, &to)
            } else {
                mathml.replace(ph.as_str(), &escape(text))
            };
        }
        for (ph, kind, key) in &prepared.refs {
            let link = self.reference(*kind, key);
            mathml = mathml.replace(ph.as_str(), &link);
        }
        Ok(wrap(&expand::restore_literals(mathml), tex, display))
    }

    /// A tag that holds math (`\tag{$\star$}`) as MathML content, `None` for plain text.
    fn tag_math(&mut self, text: &str) -> Option<String> {
        if !text.contains('\\') {
            return None;
        }
        let tex = tokens::tokenize(text)
            .and_then(|t| {
                let converter = &self.converter;
                self.macros.expand(t, &|name| known_color(converter, name))
            })
            .map(|t| tokens::untokenize(&t))
            .ok()?;
        let r = self
            .converter
            .convert_with_local_state(&tex, MathDisplay::Inline)
            .ok()?;
        Some(inner_mathml(&r.mathml).to_string())
    }

    /// A link to a label: resolved if the label is known, a placeholder for `finish` otherwise.
    fn reference(&self, kind: RefKind, key: &str) -> String {
        let label = self.numbering.labels.get(key);
        let id = label.map_or_else(|| number::anchor_id(key), |l| l.id.clone());
        let shown = match label {
            Some(l) => show_ref(kind, &escape(l.text.trim_start_matches('\\'))),
            None => {
                let mut p = String::new();
                p.push(REF_OPEN);
                p.push(if kind == RefKind::Eqref { 'E' } else { 'R' });
                for b in key.bytes() {
                    p.push_str(&format!("{b:02x}"));
                }
                p.push(REF_CLOSE);
                p
            }
        };
        format!("<a href=\"#{id}\" class=\"eqref\">{shown}</a>")
    }

    /// The link shown for `\eqref{key}` (`eqref`) or `\ref{key}` written in the post's text,
    /// outside math (MathJax's `processRefs` rendered those too): `(3)` or `3`, linked to the
    /// equation. `None` when no numbered equation of the post defines the label (so far: call it
    /// once the whole post is rendered).
    pub fn text_reference(&self, key: &str, eqref: bool) -> Option<String> {
        let label = self.numbering.labels.get(key)?;
        let kind = if eqref { RefKind::Eqref } else { RefKind::Ref };
        let shown = show_ref(kind, &escape(label.text.trim_start_matches('\\')));
        Some(format!(
            "<a href=\"#{}\" class=\"eqref\">{shown}</a>",
            escape(&label.id)
        ))
    }

    /// The TeX that was given to the converter for the last expression (after macro expansion,
    /// compatibility rewrites and numbering): for debugging and tests.
    pub fn last_converted_tex(&self) -> &str {
        &self.last_tex
    }

    /// Number of equations numbered so far.
    pub fn equation_count(&self) -> u32 {
        self.numbering.count
    }

    /// Resolves the `\eqref`/`\ref` placeholders left in the finished post HTML (references to
    /// labels defined after them), and reports unknown and duplicate labels as warnings.
    pub fn finish(&self, html: &str) -> (String, Vec<Diagnostic>) {
        let mut diags: Vec<Diagnostic> = self
            .numbering
            .duplicate_labels
            .iter()
            .map(|k| {
                Diagnostic::warning(
                    "math-duplicate-label",
                    format!("label `{k}` is defined more than once"),
                )
                .with_hint("give each \\label{…} a different key; references go to the first one")
            })
            .collect();
        let mut out = String::with_capacity(html.len());
        let mut rest = html;
        while let Some(start) = rest.find(REF_OPEN) {
            out.push_str(&rest[..start]);
            let after = &rest[start + REF_OPEN.len_utf8()..];
            let Some(end) = after.find(REF_CLOSE) else {
                out.push_str(&rest[start..]);
                rest = "";
                break;
            };
            let body = &after[..end];
            rest = &after[end + REF_CLOSE.len_utf8()..];
            let kind = if body.starts_with('E') {
                RefKind::Eqref
            } else {
                RefKind::Ref
            };
            let key = unhex(body.get(1..).unwrap_or(""));
            match self.numbering.labels.get(&key) {
                Some(l) => out.push_str(&show_ref(kind, &escape(&l.text))),
                None => {
                    out.push_str(&show_ref(kind, "??"));
                    diags.push(
                        Diagnostic::warning(
                            "math-unknown-label",
                            format!("reference to label `{key}`, which no numbered equation of the post defines"),
                        )
                        .with_hint("add \\label{…} to a numbered equation (equation, align …), or fix the key"),
                    );
                }
            }
        }
        out.push_str(rest);
        (out, diags)
    }
}

/// Whether the converter knows a colour name (asked with a one-character formula).
fn known_color(converter: &LatexToMathML, name: &str) -> bool {
    !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric())
        && converter
            .convert_with_local_state(&format!("\\color{{{name}}}x"), MathDisplay::Inline)
            .is_ok()
}

fn show_ref(kind: RefKind, text: &str) -> String {
    match kind {
        RefKind::Eqref => format!("({text})"),
        RefKind::Ref => text.to_string(),
    }
}

fn unhex(s: &str) -> String {
    let bytes: Vec<u8> = s
        .as_bytes()
        .chunks(2)
        .filter_map(|c| std::str::from_utf8(c).ok())
        .filter_map(|c| u8::from_str_radix(c, 16).ok())
        .collect();
    String::from_utf8_lossy(&bytes).into_owned()
}

fn inner_mathml(mathml: &str) -> &str {
    let inner = mathml.find('>').map_or(mathml, |i| &mathml[i + 1..]);
    inner.strip_suffix("</math>").unwrap_or(inner)
}

/// Puts the TeX source in an annotation and wraps display math in a block.
fn wrap(mathml: &str, tex: &str, display: bool) -> String {
    let (open, inner) = match mathml.find('>') {
        Some(i) => mathml.split_at(i + 1),
        None => ("<math>", mathml),
    };
    let inner = inner.strip_suffix("</math>").unwrap_or(inner);
    let mut s = String::with_capacity(mathml.len() + tex.len() + 128);
    if display {
        s.push_str("<span class=\"math-display\">");
    }
    s.push_str(open);
    s.push_str("<semantics><mrow>");
    s.push_str(inner);
    s.push_str("</mrow><annotation encoding=\"application/x-tex\">");
    s.push_str(&escape(tex));
    s.push_str("</annotation></semantics></math>");
    if display {
        s.push_str("</span>");
    }
    s
}

fn describe(e: &math_core::LatexError, latex: &str) -> String {
    let msg = e.error_message();
    let at = latex.get(e.0.clone()).unwrap_or("").trim();
    if at.is_empty() || msg.contains(at) {
        msg
    } else {
        format!("{msg} (at `{at}`)")
    }
}

/// Character references left in math that came from HTML sources (`&lt;`, `&amp;`), decoded
/// by the one decoder; a no-break space is a plain space to TeX.
fn decode_entities(tex: &str) -> std::borrow::Cow<'_, str> {
    match blogtrack_escape::decode_entities(tex) {
        std::borrow::Cow::Owned(s) if s.contains('\u{a0}') => s.replace('\u{a0}', " ").into(),
        other => other,
    }
}

/// Escapes text for HTML content and double-quoted attributes.
fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '&' => o.push_str("&amp;"),
            '"' => o.push_str("&quot;"),
            c => o.push(c),
        }
    }
    o
}

/// What the reader sees for an expression that could not be rendered: its TeX source, styled,
/// with the reason on hover when given via [`fallback_html_with_reason`].
pub fn fallback_html(tex: &str, display: bool) -> String {
    fallback_html_with_reason(tex, display, "this formula could not be rendered")
}

/// [`fallback_html`] with the error message as the tooltip.
pub fn fallback_html_with_reason(tex: &str, display: bool, reason: &str) -> String {
    let (open, close) = if display {
        ("<span class=\"math-display\">", "</span>")
    } else {
        ("", "")
    };
    format!(
        "{open}<code class=\"math-error\" title=\"{}\">{}</code>{close}",
        escape(reason),
        escape(tex)
    )
}

/// Styles for display blocks, equation numbers, reference links and fallbacks.
pub fn css() -> &'static str {
    include_str!("math.css")
}
