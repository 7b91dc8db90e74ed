//! Raw HTML as the old site's browser saw it: text between tags gets MathJax's delimiter rules,
//! `<hN>` headings are recorded (and get an id if they have none), and elements with
//! `markdown="1"` have their content rendered as Markdown.
//!
//! Everything else is copied byte for byte: tags, attributes, comments, and the content of
//! verbatim elements (`script`, `style`, `pre`, `code`, `textarea`...), where MathJax never looked.

use crate::delims::{self, HtmlText};
use crate::scan::{self, is_one_of};
use crate::{render_level, Ctx, Heading};
use blogtrack_diag::LineIndex;
use blogtrack_escape::decode_entities;

/// Processes `html`, whose first line is input line `line`, into `out`.
pub fn process(ctx: &mut Ctx, html: &str, line: u32, depth: u32, out: &mut String) {
    let lines = LineIndex::new(html);
    let line_at = |off: usize| lines.line(off) + line - 1;
    let mut i = 0;
    let mut text_start = 0;
    while let Some(k) = html[i..].find('<') {
        let at = i + k;
        if html[at..].starts_with("<!--") {
            text(ctx, &html[text_start..at], line_at(text_start), out);
            let end = scan::comment_end(html, at).unwrap_or(html.len());
            out.push_str(&html[at..end]);
            i = end;
            text_start = end;
            continue;
        }
        let Some(t) = scan::parse_tag(html, at) else {
            i = at + 1;
            continue;
        };
        text(ctx, &html[text_start..at], line_at(text_start), out);
        i = t.end;
        text_start = t.end;
        if t.closing || t.is_empty_element() {
            out.push_str(&html[at..t.end]);
            continue;
        }
        if is_one_of(t.name, scan::RAW_TEXT_ELEMENTS) {
            let end = scan::find_close(html, t.end, t.name).map_or(html.len(), |(_, e)| e);
            out.push_str(&html[at..end]);
            i = end;
            text_start = end;
            continue;
        }
        let attrs = &html[t.attrs.0..t.attrs.1];
        if ctx.markdown {
            if let Some(md) =
                blogtrack_escape::find_attr(attrs, "markdown").filter(|a| a.value != "0")
            {
                let (a, b, v) = (md.span.start, md.span.end, md.value);
                let (cs, ce) =
                    scan::find_close(html, t.end, t.name).unwrap_or((html.len(), html.len()));
                out.push_str(html[at..t.attrs.0 + a].trim_end());
                out.push_str(&html[t.attrs.0 + b..t.end]);
                let span =
                    v == "span" || (v != "block" && is_one_of(t.name, scan::SPAN_MODEL_ELEMENTS));
                markdown_content(ctx, &html[t.end..cs], line_at(t.end), depth, span, out);
                out.push_str(&html[cs..ce]);
                i = ce;
                text_start = ce;
                continue;
            }
            let b = t.name.as_bytes();
            if b.len() == 2 && b[0].eq_ignore_ascii_case(&b'h') && (b'1'..=b'6').contains(&b[1]) {
                heading(ctx, html, at, &t, line_at(at), out);
                continue;
            }
        }
        out.push_str(&html[at..t.end]);
    }
    text(ctx, &html[text_start..], line_at(text_start), out);
}

/// Renders the content of a `markdown="1"` element.
pub fn markdown_content(
    ctx: &mut Ctx,
    inner: &str,
    line: u32,
    depth: u32,
    span: bool,
    out: &mut String,
) {
    if depth + 1 > ctx.opts.max_nesting {
        ctx.warn(
            "markdown-nesting-too-deep",
            line,
            format!(
                "`markdown=\"1\"` elements nest more than {} deep; the content is left as raw HTML",
                ctx.opts.max_nesting
            ),
            "flatten the nesting",
        );
        // Without Markdown handling, `process` does not recurse: deeper `markdown="1"`
        // elements are copied as they are, so nesting depth cannot grow the stack.
        let markdown = std::mem::replace(&mut ctx.markdown, false);
        process(ctx, inner, line, depth, out);
        ctx.markdown = markdown;
        return;
    }
    let html = render_level(ctx, inner, line, depth + 1);
    let t = html.trim();
    match t.strip_prefix("<p>").and_then(|r| r.strip_suffix("</p>")) {
        Some(body) if span && !body.contains("<p>") => out.push_str(body),
        _ if span => out.push_str(t),
        _ => {
            out.push('\n');
            out.push_str(&html);
        }
    }
}

fn heading(ctx: &mut Ctx, html: &str, at: usize, t: &scan::Tag, line: u32, out: &mut String) {
    let level = t.name.as_bytes()[1] - b'0';
    let inner_end = scan::find_close(html, t.end, t.name).map_or(html.len(), |(s, _)| s);
    let text = plain_text(&html[t.end..inner_end]);
    let attrs = &html[t.attrs.0..t.attrs.1];
    let id = match blogtrack_escape::attr_value(attrs, "id") {
        Some(v) => {
            out.push_str(&html[at..t.end]);
            decode_entities(v).into_owned()
        }
        None => {
            let n = ctx.raw_ids.len();
            ctx.raw_ids.push(text.clone());
            let id = format!("\u{E010}{n}\u{E011}");
            out.push_str(html[at..t.attrs.1].trim_end());
            out.push_str(&format!(" id=\"{id}\""));
            out.push_str(&html[t.attrs.1..t.end]);
            id
        }
    };
    ctx.headings.push(Heading {
        level,
        id,
        text,
        line,
    });
}

/// Text content of an HTML fragment (the one `strip_tags`).
fn plain_text(html: &str) -> String {
    blogtrack_escape::strip_tags(html)
}

/// Copies one run of HTML text, rendering the math in it.
fn text(ctx: &mut Ctx, s: &str, line: u32, out: &mut String) {
    if !s.contains(['$', '\\']) {
        out.push_str(s);
        return;
    }
    let mut last = 0;
    let (mut cur_line, mut counted) = (line, 0);
    for found in delims::scan_html_text(s) {
        match found {
            HtmlText::EmptyMath(start, end) => {
                out.push_str(&s[last..start]);
                last = end;
            }
            HtmlText::EscapedDollar(at) => {
                out.push_str(&s[last..at]);
                out.push('$');
                last = at + 2;
            }
            HtmlText::Math(f) => {
                out.push_str(&s[last..f.start]);
                cur_line += s[counted..f.start].matches('\n').count() as u32;
                counted = f.start;
                let l = cur_line;
                let tex = decode_entities(s[f.tex.0..f.tex.1].trim());
                out.push_str(&ctx.math.render_math(&tex, f.display, l));
                last = f.end;
            }
        }
    }
    out.push_str(&s[last..]);
}
