//! The block pre-pass: what kramdown does differently from CommonMark, done before
//! pulldown-cmark sees the text.
//!
//! It walks the lines once. Raw HTML blocks (a block-level tag at the start of a line, running
//! to the matching close tag across blank lines), `markdown="1"` elements and kramdown `$$`
//! display blocks become placeholder lines; math and span IALs inside paragraphs become private
//! use placeholders so Markdown cannot touch them; block IALs, ALDs and extensions are taken out
//! and remembered. Fenced code is copied untouched. It does not know about list or blockquote
//! nesting: a raw block or display math is recognised at the line level, which is what matters
//! in real posts.

use crate::delims::{self, Inline};
use crate::ial::{self, Attrs, BlockExt};
use crate::scan::{self, is_one_of};
use crate::{Ctx, Item};
use blogtrack_diag::LineIndex;

/// A block IAL: attributes for the block ending (or, `next`, starting) on the line of
/// `pre_offset` in the pre-processed text.
#[derive(Debug)]
pub struct BlockIal {
    pub pre_offset: usize,
    pub next: bool,
    pub attrs: Attrs,
}

/// The pre-processed text handed to pulldown-cmark.
pub struct Pre {
    pub text: String,
    /// (offset in `text`, input line) at every copied line start.
    anchors: Vec<(usize, u32)>,
    pub ials: Vec<BlockIal>,
}

impl Pre {
    /// Input line of an offset in the pre-processed text.
    pub fn line_of(&self, off: usize) -> u32 {
        let p = self.anchors.partition_point(|&(o, _)| o <= off);
        if p == 0 {
            return self.anchors.first().map_or(1, |a| a.1);
        }
        let (o, line) = self.anchors[p - 1];
        line + self
            .text
            .get(o..off)
            .map_or(0, |s| s.matches('\n').count() as u32)
    }

    fn push_src(&mut self, s: &str, line: u32) {
        self.anchors.push((self.text.len(), line));
        self.text.push_str(s);
    }
}

struct Pass<'s> {
    src: &'s str,
    lines: LineIndex,
    base: u32,
    pre: Pre,
    pending_next: Vec<Attrs>,
    last_content_end: Option<usize>,
}

impl Pass<'_> {
    fn line(&self, off: usize) -> u32 {
        self.lines.line(off) + self.base - 1
    }

    fn begin_content(&mut self) {
        if !self.pending_next.is_empty() {
            let mut attrs = Attrs::default();
            for a in self.pending_next.drain(..) {
                attrs.merge(&a);
            }
            self.pre.ials.push(BlockIal {
                pre_offset: self.pre.text.len(),
                next: true,
                attrs,
            });
        }
    }

    fn end_content(&mut self) {
        self.last_content_end = Some(self.pre.text.len());
    }

    /// Copies Markdown text, replacing math and span IALs by placeholders.
    fn flush(&mut self, ctx: &mut Ctx, chunk: &mut Option<usize>, end: usize) {
        let Some(start) = chunk.take() else { return };
        self.begin_content();
        let text = &self.src[start..end];
        let mut last = 0;
        for found in delims::scan_markdown(text) {
            let (s, e, placeholder) = match found {
                Inline::KeepBackslash(at) => {
                    // Doubled, so pulldown-cmark leaves the one backslash kramdown kept.
                    self.copy_markdown(&text[last..at], start + last);
                    self.pre.text.push('\\');
                    last = at;
                    continue;
                }
                Inline::Math(f) => {
                    let line = self.line(start + f.start);
                    let raw = text[f.tex.0..f.tex.1].trim();
                    // Kramdown's own math (`$$`) is verbatim; everything else was text to
                    // kramdown, so its escapes applied before the browser saw the TeX.
                    let tex = if text[f.start..].starts_with("$$") {
                        raw.into()
                    } else {
                        delims::kramdown_unescape(raw)
                    };
                    let n = ctx.push(Item::Math {
                        tex: tex.into_owned(),
                        src: text[f.start..f.end].to_string(),
                        display: f.display,
                        line,
                        html: None,
                    });
                    (f.start, f.end, format!("\u{E000}{n}\u{E001}"))
                }
                Inline::Comment(s, e) | Inline::EmptyMath(s, e) => {
                    let comment = matches!(found, Inline::Comment(..));
                    let n = ctx.push(Item::Raw {
                        html: if comment {
                            text[s..e].to_string()
                        } else {
                            String::new()
                        },
                        line: self.line(start + s),
                    });
                    (s, e, format!("\u{E006}{n}\u{E007}"))
                }
                Inline::SpanIal(s, e) => {
                    let attrs = ial::parse(&text[s + 2..e - 1], &ctx.alds);
                    let n = ctx.push(Item::SpanIal(attrs));
                    (s, e, format!("\u{E004}{n}\u{E005}"))
                }
            };
            self.copy_markdown(&text[last..s], start + last);
            self.pre
                .anchors
                .push((self.pre.text.len(), self.line(start + s)));
            self.pre.text.push_str(&placeholder);
            last = e;
        }
        self.copy_markdown(&text[last..], start + last);
        self.end_content();
    }

    /// Copies Markdown text like [`Pass::copy_lines`], but a line made of nothing but a span
    /// element's tag (`<a name="x">`) gets an empty comment after it: kramdown reads such a line
    /// as paragraph text, while CommonMark would open an HTML block that swallows the following
    /// lines (a heading right after `<a name="appendix">` was lost).
    fn copy_markdown(&mut self, s: &str, at: usize) {
        let mut from = 0;
        for (i, _) in s.match_indices('\n') {
            let line = &s[from..i];
            if lone_span_tag(line) {
                self.copy_lines(line, at + from);
                self.pre.text.push_str("<!---->");
                self.copy_lines(&s[i..i + 1], at + i);
                from = i + 1;
            }
        }
        self.copy_lines(&s[from..], at + from);
    }

    /// Copies source text, recording the input line of every line start in it.
    fn copy_lines(&mut self, s: &str, at: usize) {
        let first = self.line(at);
        self.pre.push_src(s, first);
        let base = self.pre.text.len() - s.len();
        for (k, (i, _)) in s.match_indices('\n').enumerate() {
            if i + 1 < s.len() {
                self.pre.anchors.push((base + i + 1, first + k as u32 + 1));
            }
        }
    }
}

fn fence_open(t: &str) -> Option<(u8, usize)> {
    let c = *t.as_bytes().first()?;
    if c != b'`' && c != b'~' {
        return None;
    }
    let n = t.bytes().take_while(|&b| b == c).count();
    (n >= 3 && !(c == b'`' && t[n..].contains('`'))).then_some((c, n))
}

fn fence_close(t: &str, c: u8, n: usize) -> bool {
    let k = t.bytes().take_while(|&b| b == c).count();
    k >= n && t[k..].trim().is_empty()
}

/// Runs the pre-pass over `src`, whose first line is input line `base`.
pub fn run(ctx: &mut Ctx, src: &str, base: u32) -> Pre {
    let mut p = Pass {
        src,
        lines: LineIndex::new(src),
        base,
        pre: Pre {
            text: String::with_capacity(src.len() + 64),
            anchors: Vec::new(),
            ials: Vec::new(),
        },
        pending_next: Vec::new(),
        last_content_end: None,
    };
    let mut pos = 0;
    let mut chunk: Option<usize> = None;
    let mut prev_blank = true;
    let mut fence: Option<(u8, usize)> = None;
    // The end of the line containing a position, remembered: a line of 100,000 inline tags is
    // entered once per tag, and scanning the rest of the line each time was quadratic.
    let mut known_line = (usize::MAX, 0);
    let mut line_end = |at: usize| {
        if !(known_line.0..=known_line.1).contains(&at) {
            known_line = (at, src[at..].find('\n').map_or(src.len(), |k| at + k));
        }
        known_line.1
    };
    while pos < src.len() {
        let le = line_end(pos);
        let next = (le + 1).min(src.len());
        let line = &src[pos..le];
        let trimmed = line.trim_start_matches([' ', '\t']);
        let indent = line.len() - trimmed.len();
        if let Some((c, n)) = fence {
            p.copy_lines(&src[pos..next], pos);
            if fence_close(trimmed, c, n) {
                fence = None;
                p.end_content();
            }
            pos = next;
            continue;
        }
        if trimmed.trim().is_empty() {
            p.flush(ctx, &mut chunk, pos);
            p.copy_lines(&src[pos..next], pos);
            prev_blank = true;
            pos = next;
            continue;
        }
        if let Some(f) = fence_open(trimmed) {
            p.flush(ctx, &mut chunk, pos);
            p.begin_content();
            p.copy_lines(&src[pos..next], pos);
            fence = Some(f);
            prev_blank = false;
            pos = next;
            continue;
        }
        if chunk.is_none() || indent <= 3 {
            if let Some(ext) = ial::classify_line(line) {
                p.flush(ctx, &mut chunk, pos);
                pos = extension(ctx, &mut p, ext, prev_blank, pos, next);
                p.pre.text.push('\n');
                continue;
            }
        }
        if indent <= 3
            && trimmed.starts_with('<')
            && !(chunk.is_some() && continues_paragraph(trimmed))
        {
            if let Some(end) = html_block(ctx, &mut p, &mut chunk, pos, pos + indent) {
                let rest_end = line_end(end);
                pos = if src[end..rest_end].trim().is_empty() {
                    (rest_end + 1).min(src.len())
                } else {
                    end
                };
                prev_blank = false;
                continue;
            }
        }
        if prev_blank && trimmed.starts_with("$$") {
            if let Some(end) = display_block(ctx, &mut p, pos, pos + indent) {
                pos = end;
                prev_blank = false;
                continue;
            }
        }
        if chunk.is_none() {
            chunk = Some(pos);
        }
        prev_blank = false;
        pos = next;
    }
    p.flush(ctx, &mut chunk, src.len());
    if !p.pending_next.is_empty() {
        p.begin_content();
    }
    p.pre
}

/// A line inside a paragraph that kramdown keeps in it although it starts with `<`: a comment,
/// or the closing tag of a custom element (`</d-footnote>` of a footnote opened lines above).
/// CommonMark would start an HTML block at a comment; the inline scanner hides comments.
fn continues_paragraph(line: &str) -> bool {
    if line.starts_with("<!--") {
        return true;
    }
    scan::parse_tag(line, 0).is_some_and(|t| t.closing && t.name.contains('-'))
}

/// A line holding only one tag of a kramdown span element (plus spaces).
fn lone_span_tag(line: &str) -> bool {
    let t = line.trim();
    if !t.starts_with('<') || !t.ends_with('>') {
        return false;
    }
    scan::parse_tag(t, 0)
        .is_some_and(|tag| tag.end == t.len() && is_one_of(tag.name, scan::SPAN_ELEMENTS))
}

/// Handles an IAL/ALD/extension line; returns where to continue.
fn extension(
    ctx: &mut Ctx,
    p: &mut Pass,
    ext: BlockExt,
    prev_blank: bool,
    pos: usize,
    next: usize,
) -> usize {
    match ext {
        BlockExt::Ial(body) => {
            let attrs = ial::parse(body, &ctx.alds);
            match p.last_content_end {
                Some(end) if !prev_blank && end > 0 => p.pre.ials.push(BlockIal {
                    pre_offset: end - 1,
                    next: false,
                    attrs,
                }),
                _ => p.pending_next.push(attrs),
            }
            next
        }
        BlockExt::Ald(name, body) => {
            let attrs = ial::parse(body, &ctx.alds);
            ctx.alds.insert(name.to_string(), attrs);
            next
        }
        BlockExt::Extension(name, closed) => {
            let src = p.src;
            let end_of = |from: usize| -> Option<(usize, usize)> {
                let a = src[from..]
                    .find(&format!("{{:/{name}}}"))
                    .map(|k| (from + k, name.len() + 4));
                let b = src[from..].find("{:/}").map(|k| (from + k, 4));
                match (a, b) {
                    (Some(x), Some(y)) => Some(if x.0 <= y.0 { x } else { y }),
                    (x, y) => x.or(y),
                }
            };
            if closed || !matches!(name, "comment" | "nomarkdown") {
                if !matches!(name, "options" | "comment" | "nomarkdown") {
                    ctx.warn(
                        "markdown-unknown-extension",
                        p.line(pos),
                        format!("unknown kramdown extension `{{::{name}}}`; the line is dropped"),
                        "remove it; only {::comment}, {::nomarkdown} and {::options} are known",
                    );
                }
                return next;
            }
            let Some((at, len)) = end_of(next) else {
                ctx.warn(
                    "markdown-unclosed-extension",
                    p.line(pos),
                    format!("`{{::{name}}}` is never closed; it runs to the end of the text"),
                    &format!("close it with {{:/{name}}}"),
                );
                if name == "nomarkdown" {
                    let n = ctx.push(Item::Raw {
                        html: src[next..].to_string(),
                        line: p.line(next),
                    });
                    p.pre.push_src(&format!("<!--btb:{n}-->\n"), p.line(pos));
                }
                return src.len();
            };
            if name == "nomarkdown" {
                p.begin_content();
                let n = ctx.push(Item::Raw {
                    html: src[next..at].to_string(),
                    line: p.line(next),
                });
                p.pre.push_src(&format!("<!--btb:{n}-->\n"), p.line(pos));
                p.end_content();
            }
            let after = at + len;
            src[after..].find('\n').map_or(src.len(), |k| after + k + 1)
        }
    }
}

/// Recognises a raw HTML block at `at` (a `<` at the start of a line). Emits its placeholder and
/// returns the offset just after it, or `None` if the line is Markdown text.
fn html_block(
    ctx: &mut Ctx,
    p: &mut Pass,
    chunk: &mut Option<usize>,
    pos: usize,
    at: usize,
) -> Option<usize> {
    let src = p.src;
    let line = p.line(at);
    let (end, item) = if src[at..].starts_with("<!--") {
        comment_block(ctx, src, at, line)
    } else {
        tag_block(ctx, p, at, line)?
    };
    p.flush(ctx, chunk, pos);
    p.begin_content();
    let n = ctx.push(item);
    p.pre
        .push_src(&format!("{}<!--btb:{n}-->\n", &src[pos..at]), line);
    p.end_content();
    Some(end)
}

/// The HTML comment at `at` as a raw item, and the offset after it; an unclosed comment runs to
/// the end of the text (with a warning).
fn comment_block(ctx: &mut Ctx, src: &str, at: usize, line: u32) -> (usize, Item) {
    let end = match scan::comment_end(src, at) {
        Some(e) => e,
        None => {
            ctx.warn(
                "markdown-unclosed-comment",
                line,
                "HTML comment `<!--` is never closed; it hides the rest of the text".into(),
                "close it with `-->`",
            );
            src.len()
        }
    };
    (
        end,
        Item::Raw {
            html: src[at..end].to_string(),
            line,
        },
    )
}

/// The block that the tag at `at` opens, and the offset after it: a stray end tag (warned) or an
/// empty element alone, else the element to its matching end tag. `None` when there is no tag
/// at `at` or it is a span element (the line is Markdown text).
fn tag_block(ctx: &mut Ctx, p: &Pass, at: usize, line: u32) -> Option<(usize, Item)> {
    let src = p.src;
    let t = scan::parse_tag(src, at)?;
    if is_one_of(t.name, scan::SPAN_ELEMENTS) {
        return None;
    }
    if t.closing {
        ctx.warn(
            "markdown-stray-close-tag",
            line,
            format!("`</{}>` closes no open element", t.name),
            "remove it, or add the matching start tag",
        );
    }
    if t.closing || t.is_empty_element() {
        let html = src[at..t.end].to_string();
        return Some((t.end, Item::Raw { html, line }));
    }
    Some(element_block(ctx, p, at, line, &t))
}

/// The element whose start tag `t` is at `at`, up to its matching end tag (or the end of the
/// text, with a warning): raw HTML, or a `markdown="1"` element whose content is parsed (span
/// or block level) when Markdown in HTML is on.
fn element_block(ctx: &mut Ctx, p: &Pass, at: usize, line: u32, t: &scan::Tag) -> (usize, Item) {
    let src = p.src;
    let attrs = &src[t.attrs.0..t.attrs.1];
    let md = blogtrack_escape::find_attr(attrs, "markdown")
        .filter(|a| a.value != "0")
        .map(|a| (a.span.start, a.span.end, a.value));
    let close = scan::find_close(src, t.end, t.name);
    if close.is_none() {
        ctx.warn(
            "markdown-unclosed-html",
            line,
            format!(
                "`<{}>` has no matching `</{}>`; the raw HTML block runs to the end of the text",
                t.name, t.name
            ),
            &format!("add `</{}>` where the element ends", t.name),
        );
    }
    let (cs, ce) = close.unwrap_or((src.len(), src.len()));
    match md {
        Some((a, b, v)) if ctx.markdown => {
            let open = format!(
                "{}{}",
                src[at..t.attrs.0 + a].trim_end(),
                &src[t.attrs.0 + b..t.end]
            );
            let span =
                v == "span" || (v != "block" && is_one_of(t.name, scan::SPAN_MODEL_ELEMENTS));
            let item = Item::Markdown {
                open,
                inner: src[t.end..cs].to_string(),
                close: src[cs..ce].to_string(),
                line: p.line(t.end),
                span,
            };
            (ce, item)
        }
        _ => (
            ce,
            Item::Raw {
                html: src[at..ce].to_string(),
                line,
            },
        ),
    }
}

/// Recognises kramdown block math: `$$` opening a block after a blank line, closing `$$` at the
/// end of a line followed by a blank line or the end. Returns the offset after it.
fn display_block(ctx: &mut Ctx, p: &mut Pass, pos: usize, at: usize) -> Option<usize> {
    let src = p.src;
    let close = at + 2 + src[at + 2..].find("$$")?;
    let tex = src[at + 2..close].trim();
    let rest_end = src[close + 2..]
        .find('\n')
        .map_or(src.len(), |k| close + 2 + k);
    if tex.is_empty() || !src[close + 2..rest_end].trim().is_empty() {
        return None;
    }
    let after = (rest_end + 1).min(src.len());
    let next_end = src[after..].find('\n').map_or(src.len(), |k| after + k);
    if !src[after..next_end].trim().is_empty() {
        return None;
    }
    let line = p.line(at);
    p.begin_content();
    let n = ctx.push(Item::Math {
        tex: tex.to_string(),
        src: src[at..close + 2].to_string(),
        display: true,
        line,
        html: None,
    });
    p.pre
        .push_src(&format!("{}\u{E002}{n}\u{E003}\n", &src[pos..at]), line);
    p.end_content();
    Some(after)
}
