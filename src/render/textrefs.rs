//! `\eqref{key}` and `\ref{key}` written in a post's text, outside `$…$`.
//!
//! MathJax (with `processRefs`, al-folio's default) rendered such references wherever they stood,
//! so authors write `Eq.\eqref{eq:langevin}` in running text. Here they become links to the
//! labelled equation, numbered as the math stage numbered it. The pass runs on the finished
//! post HTML, once every equation is numbered, so a reference may precede its equation.
//!
//! What it does not touch: tags and attribute values, and the inside of `<math>`, `<code>`,
//! `<pre>`, `<script>`, `<style>` and `<textarea>` (code shows TeX literally, and math has its
//! own references). A reference to a label no equation defines stays as written, with a warning.

use blogtrack_diag::Diagnostic;
use blogtrack_math::MathContext;

/// Elements whose content is never scanned.
const OPAQUE: &[&str] = &["math", "code", "pre", "script", "style", "textarea"];

/// Replaces the text references of `html` (see the module documentation). `source` is the
/// post's Markdown and `first_line` its first line in the file, to place the warnings.
pub fn link_text_refs(
    html: &str,
    math: &MathContext,
    source: &str,
    first_line: u32,
) -> (String, Vec<Diagnostic>) {
    if !html.contains("ref{") {
        return (html.to_string(), Vec::new());
    }
    let mut out = String::with_capacity(html.len());
    let mut diags = Vec::new();
    let mut rest = html;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            link_in_text(rest, math, source, first_line, &mut out, &mut diags);
            break;
        };
        link_in_text(&rest[..lt], math, source, first_line, &mut out, &mut diags);
        rest = &rest[lt..];
        let tag_end = rest.find('>').map_or(rest.len(), |i| i + 1);
        let tag = &rest[..tag_end];
        out.push_str(tag);
        rest = &rest[tag_end..];
        let name: String = tag[1..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if OPAQUE.contains(&name.as_str()) && !tag.ends_with("/>") {
            let close = format!("</{name}");
            let skip = find_ascii_ci(rest, &close).unwrap_or(rest.len());
            out.push_str(&rest[..skip]);
            rest = &rest[skip..];
        }
    }
    (out, diags)
}

/// Byte offset of `needle` (ASCII) in `hay`, ignoring ASCII case.
fn find_ascii_ci(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    (0..h.len().saturating_sub(n.len() - 1)).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

fn link_in_text(
    text: &str,
    math: &MathContext,
    source: &str,
    first_line: u32,
    out: &mut String,
    diags: &mut Vec<Diagnostic>,
) {
    let mut rest = text;
    while let Some(bs) = rest.find('\\') {
        let after = &rest[bs + 1..];
        let (eqref, name_len) = if after.starts_with("eqref{") {
            (true, 6)
        } else if after.starts_with("ref{") {
            (false, 4)
        } else {
            out.push_str(&rest[..bs + 1]);
            rest = after;
            continue;
        };
        let body = &after[name_len..];
        let Some(close) = body
            .find('}')
            .filter(|c| !body[..*c].contains(['{', '<', '\n']))
        else {
            out.push_str(&rest[..bs + 1]);
            rest = after;
            continue;
        };
        let key = body[..close].trim();
        let written = &rest[bs..bs + 1 + name_len + close + 1];
        out.push_str(&rest[..bs]);
        match math.text_reference(key, eqref) {
            Some(link) => out.push_str(&link),
            None => {
                out.push_str(written);
                let line = source
                    .find(written)
                    .map_or(first_line, |at| first_line + count_lines(&source[..at]));
                diags.push(
                    Diagnostic::warning(
                        "math-unknown-label",
                        format!("`{written}` in the text names no labelled equation of the post"),
                    )
                    .at(line, 0)
                    .with_hint(
                        "add \\label{…} to a numbered equation (equation, align …), or fix the key",
                    ),
                );
            }
        }
        rest = &after[name_len + close + 1..];
    }
    out.push_str(rest);
}

fn count_lines(s: &str) -> u32 {
    u32::try_from(s.matches('\n').count()).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbered() -> MathContext {
        let mut m = MathContext::new();
        m.render(
            r"\begin{equation} E = mc^2 \label{eq:energy} \end{equation}",
            true,
        )
        .unwrap_or_default();
        m
    }

    #[test]
    fn an_eqref_in_running_text_links_to_its_equation() {
        let (html, diags) = link_text_refs(
            r"<p>as in Eq.\eqref{eq:energy}, and again in \ref{eq:energy}.</p>",
            &numbered(),
            "",
            1,
        );
        assert_eq!(
            html,
            r##"<p>as in Eq.<a href="#eq-eq:energy" class="eqref">(1)</a>, and again in <a href="#eq-eq:energy" class="eqref">1</a>.</p>"##
        );
        assert!(diags.is_empty());
    }

    #[test]
    fn code_math_and_attributes_are_left_alone() {
        let html = r#"<pre><code>\eqref{eq:energy}</code></pre><a title="\eqref{eq:energy}">x</a><math><mtext>\ref{eq:energy}</mtext></math>"#;
        let (out, diags) = link_text_refs(html, &numbered(), "", 1);
        assert_eq!(out, html);
        assert!(diags.is_empty());
    }

    #[test]
    fn an_unknown_label_stays_as_written_with_a_warning_at_its_line() {
        let source = "intro\n\nsee \\eqref{eq:missing} here\n";
        let (out, diags) = link_text_refs(
            r"<p>see \eqref{eq:missing} here</p>",
            &numbered(),
            source,
            10,
        );
        assert_eq!(out, r"<p>see \eqref{eq:missing} here</p>");
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, "math-unknown-label");
        assert_eq!(diags[0].line, 12);
    }

    #[test]
    fn broken_references_pass_through() {
        for html in [
            r"\eqref{",
            r"\eqref{a{b}}",
            r"a \ b \refx",
            "<p",
            r"<code>\eqref{eq:energy}",
        ] {
            assert_eq!(link_text_refs(html, &numbered(), "", 1).0, html);
        }
    }
}
