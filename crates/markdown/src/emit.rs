//! pulldown-cmark events to HTML, the kramdown way: block and span IALs attached, kramdown GFM
//! heading ids with a permalink anchor, footnotes as kramdown lays them out, and the
//! pre-pass's placeholders replaced by rendered math and processed raw HTML.
//!
//! We write HTML ourselves rather than with `pulldown_cmark::html` because attributes must go on
//! arbitrary elements and placeholders must be resolved per context (in code and `alt` text
//! math goes back to its source).

use crate::ial::Attrs;
use crate::prepass::Pre;
use crate::{rawhtml, Ctx, Heading, Item};
use pulldown_cmark::{Alignment, CodeBlockKind, Event, LinkType, Options, Parser, Tag, TagEnd};
use std::collections::HashMap;
use std::ops::Range;

fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_DEFINITION_LIST
}

pub fn escape_into(out: &mut String, s: &str) {
    let mut last = 0;
    for (i, c) in s.char_indices() {
        let r = match c {
            '<' => "&lt;",
            '>' => "&gt;",
            '&' => "&amp;",
            '"' => "&quot;",
            _ => continue,
        };
        out.push_str(&s[last..i]);
        out.push_str(r);
        last = i + 1;
    }
    out.push_str(&s[last..]);
}

fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    escape_into(&mut o, s);
    o
}

fn is_block(t: &Tag) -> bool {
    matches!(
        t,
        Tag::Paragraph
            | Tag::Heading { .. }
            | Tag::BlockQuote(_)
            | Tag::CodeBlock(_)
            | Tag::List(_)
            | Tag::Table(_)
            | Tag::DefinitionList
    )
}

/// How placeholders in a text are resolved.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Html,
    /// Source text, escaped (code, alt text).
    Source,
}

/// A placeholder `open digits close` at the start of `s`: (kind open char, index, byte length).
fn placeholder(s: &str) -> Option<(char, usize, usize)> {
    let open = s.chars().next()?;
    let close = match open {
        '\u{E000}' => '\u{E001}',
        '\u{E002}' => '\u{E003}',
        '\u{E004}' => '\u{E005}',
        '\u{E006}' => '\u{E007}',
        _ => return None,
    };
    let rest = &s[3..];
    let end = rest.find(close)?;
    let n = rest[..end].parse().ok()?;
    Some((open, n, 3 + end + 3))
}

struct Writer<'a, 'o, 'm> {
    ctx: &'a mut Ctx<'o, 'm>,
    pre: &'a Pre,
    depth: u32,
    out: String,
    attrs: HashMap<usize, Attrs>,
    aligns: Vec<Alignment>,
    cell: usize,
    in_head: bool,
    body_open: bool,
    heading: Option<(u8, String, String, u32)>,
    image: Vec<(String, String, Option<Attrs>, String)>,
    code: bool,
    foot_saved: Option<(String, String)>,
    foot_defs: HashMap<String, String>,
    foot_refs: Vec<String>,
    /// Number of each label in `foot_refs` (a linear search made 100,000 footnotes quadratic).
    foot_numbers: std::collections::HashMap<String, usize>,
}

pub fn write(ctx: &mut Ctx, pre: &Pre, depth: u32) -> String {
    let mut events: Vec<(Event, Range<usize>)> = Parser::new_ext(&pre.text, parser_options())
        .into_offset_iter()
        .collect();
    let attrs = attach(ctx, pre, &mut events);
    let mut w = Writer {
        ctx,
        pre,
        depth,
        out: String::with_capacity(pre.text.len() + pre.text.len() / 4),
        attrs,
        aligns: Vec::new(),
        cell: 0,
        in_head: false,
        body_open: false,
        heading: None,
        image: Vec::new(),
        code: false,
        foot_saved: None,
        foot_defs: HashMap::new(),
        foot_refs: Vec::new(),
        foot_numbers: std::collections::HashMap::new(),
    };
    let mut i = 0;
    while i < events.len() {
        if let (
            Event::Start(Tag::Paragraph),
            Some((Event::Text(t), _)),
            Some((Event::End(TagEnd::Paragraph), _)),
        ) = (&events[i].0, events.get(i + 1), events.get(i + 2))
        {
            let t = t.trim();
            if let Some(('\u{E002}', n, len)) = placeholder(t) {
                if len == t.len() {
                    if let Some(h) = w.ctx.math_html(n) {
                        w.out.push_str(&h);
                        w.out.push('\n');
                        i += 3;
                        continue;
                    }
                }
            }
        }
        let (ev, range) = std::mem::replace(&mut events[i], (Event::SoftBreak, 0..0));
        w.event(i, ev, range);
        i += 1;
    }
    w.footnotes();
    w.out
}

/// Works out which events the block and span IALs belong to; strips span IAL placeholders.
fn attach(ctx: &mut Ctx, pre: &Pre, events: &mut [(Event, Range<usize>)]) -> HashMap<usize, Attrs> {
    let mut map: HashMap<usize, Attrs> = HashMap::new();
    if !pre.ials.is_empty() {
        let mut by_start: HashMap<u32, usize> = HashMap::new();
        let mut by_end: HashMap<u32, usize> = HashMap::new();
        for (i, (ev, r)) in events.iter().enumerate() {
            if let Event::Start(t) = ev {
                if is_block(t) {
                    by_start.entry(pre.line_of(r.start)).or_insert(i);
                    let end = pre.text[r.clone()].trim_end().len() + r.start;
                    by_end
                        .entry(pre.line_of(end.saturating_sub(1).max(r.start)))
                        .or_insert(i);
                }
            }
        }
        for ial in &pre.ials {
            let line = pre.line_of(ial.pre_offset);
            let target = if ial.next {
                by_start.get(&line)
            } else {
                by_end.get(&line)
            };
            match target {
                Some(&i) => map.entry(i).or_default().merge(&ial.attrs),
                None => ctx.warn(
                    "markdown-stray-ial",
                    line,
                    "block attribute list `{: ...}` is attached to no block".into(),
                    "put it on the line right after the block it is for",
                ),
            }
        }
    }
    for i in 0..events.len() {
        let Event::Text(t) = &events[i].0 else {
            continue;
        };
        let Some(('\u{E004}', n, len)) = placeholder(t) else {
            continue;
        };
        let rest = t[len..].to_string();
        let attrs = match ctx.items.get_mut(n) {
            Some(item @ Item::SpanIal(_)) => match std::mem::replace(item, Item::Used) {
                Item::SpanIal(a) => a,
                _ => Attrs::default(),
            },
            _ => continue,
        };
        let target = match i.checked_sub(1).map(|p| &events[p].0) {
            Some(Event::Code(_)) => Some(i - 1),
            Some(Event::End(
                TagEnd::Link
                | TagEnd::Image
                | TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough,
            )) => {
                let mut depth = 0i64;
                let mut found = None;
                for j in (0..i).rev() {
                    match &events[j].0 {
                        Event::End(_) => depth += 1,
                        Event::Start(_) => {
                            depth -= 1;
                            if depth == 0 {
                                found = Some(j);
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                found
            }
            _ => None,
        };
        match target {
            Some(j) => map.entry(j).or_default().merge(&attrs),
            None => {
                let line = pre.line_of(events[i].1.start);
                ctx.warn(
                    "markdown-stray-span-ial",
                    line,
                    "span attribute list `{:...}` follows no link, image, emphasis or code span; it is dropped".into(),
                    "write it directly after the element, without a space",
                );
            }
        }
        events[i].0 = Event::Text(rest.into());
    }
    map
}

impl Writer<'_, '_, '_> {
    fn open(&mut self, name: &str, base: &[(&str, String)], extra: Option<&Attrs>) {
        self.out.push('<');
        self.out.push_str(name);
        let mut id = base
            .iter()
            .find(|(k, _)| *k == "id")
            .map(|(_, v)| v.clone());
        let mut classes: Vec<String> = base
            .iter()
            .filter(|(k, _)| *k == "class")
            .map(|(_, v)| v.clone())
            .collect();
        let mut pairs: Vec<(String, String)> = base
            .iter()
            .filter(|(k, _)| *k != "id" && *k != "class")
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        if let Some(a) = extra {
            if a.id.is_some() {
                id.clone_from(&a.id);
            }
            classes.extend(a.classes.iter().cloned());
            for (k, v) in &a.pairs {
                match pairs.iter_mut().find(|(k2, _)| k2 == k) {
                    Some(p) => p.1.clone_from(v),
                    None => pairs.push((k.clone(), v.clone())),
                }
            }
        }
        if let Some(id) = id {
            self.out.push_str(&format!(" id=\"{}\"", escape(&id)));
        }
        if !classes.is_empty() {
            self.out
                .push_str(&format!(" class=\"{}\"", escape(&classes.join(" "))));
        }
        for (k, v) in pairs {
            if k.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.'))
            {
                self.out.push_str(&format!(" {k}=\"{}\"", escape(&v)));
            }
        }
        self.out.push('>');
    }

    /// Writes text, resolving placeholders; returns the plain text (math as source).
    fn text(&mut self, s: &str, mode: Mode) -> String {
        let mut plain = String::new();
        let mut last = 0;
        let mut i = 0;
        while let Some(k) = s[i..].find(['\u{E000}', '\u{E002}', '\u{E004}', '\u{E006}']) {
            let at = i + k;
            let Some((kind, n, len)) = placeholder(&s[at..]) else {
                i = at + 3;
                continue;
            };
            escape_into(&mut self.out, &s[last..at]);
            plain.push_str(&s[last..at]);
            if let Some(Item::Raw { html, .. }) = self.ctx.items.get(n) {
                // An inline comment: copied as written, no text of its own.
                if mode == Mode::Html && kind == '\u{E006}' {
                    self.out.push_str(html);
                }
            } else if let Some(Item::Math { src, .. }) = self.ctx.items.get(n) {
                let src = src.clone();
                if mode == Mode::Source || kind == '\u{E004}' {
                    escape_into(&mut self.out, &src);
                } else if let Some(h) = self.ctx.math_html(n) {
                    self.out.push_str(&h);
                }
                plain.push_str(&src);
            }
            i = at + len;
            last = i;
        }
        escape_into(&mut self.out, &s[last..]);
        plain.push_str(&s[last..]);
        plain
    }

    fn plain(&mut self, s: &str) {
        if let Some(h) = &mut self.heading {
            h.2.push_str(s);
        }
        if let Some(img) = self.image.last_mut() {
            img.3.push_str(s);
        }
    }

    fn event(&mut self, i: usize, ev: Event, range: Range<usize>) {
        if !self.image.is_empty() {
            match ev {
                Event::Start(Tag::Image {
                    dest_url, title, ..
                }) => {
                    self.image
                        .push((dest_url.to_string(), title.to_string(), None, String::new()))
                }
                Event::End(TagEnd::Image) => self.end_image(),
                Event::Text(t) | Event::Code(t) => {
                    let saved = std::mem::take(&mut self.out);
                    let plain = self.text(&t, Mode::Source);
                    self.out = saved;
                    self.plain(&plain);
                }
                _ => {}
            }
            return;
        }
        match ev {
            Event::Start(tag) => self.start(i, tag, range),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => {
                let mode = if self.code { Mode::Source } else { Mode::Html };
                let plain = self.text(&t, mode);
                self.plain(&plain);
            }
            Event::Code(t) => {
                let a = self.attrs.remove(&i);
                self.open("code", &[], a.as_ref());
                let plain = self.text(&t, Mode::Source);
                self.out.push_str("</code>");
                self.plain(&plain);
            }
            Event::Html(h) => self.html(&h, range.start),
            Event::InlineHtml(h) => self.out.push_str(&h),
            Event::InlineMath(t) | Event::DisplayMath(t) => escape_into(&mut self.out, &t),
            Event::SoftBreak => {
                self.out.push('\n');
                self.plain(" ");
            }
            Event::HardBreak => self.out.push_str("<br />\n"),
            Event::Rule => self.out.push_str("<hr />\n"),
            Event::FootnoteReference(label) => {
                let label = label.to_string();
                let n = match self.foot_numbers.get(&label) {
                    Some(&n) => n,
                    None => {
                        self.foot_refs.push(label.clone());
                        self.foot_numbers
                            .insert(label.clone(), self.foot_refs.len());
                        self.foot_refs.len()
                    }
                };
                let l = escape(&label);
                self.out.push_str(&format!(
                    "<sup id=\"fnref:{l}\"><a href=\"#fn:{l}\" class=\"footnote\" rel=\"footnote\" role=\"doc-noteref\">{n}</a></sup>"
                ));
            }
            Event::TaskListMarker(done) => self.out.push_str(if done {
                "<input type=\"checkbox\" disabled checked /> "
            } else {
                "<input type=\"checkbox\" disabled /> "
            }),
        }
    }

    fn html(&mut self, h: &str, at: usize) {
        let t = h.trim();
        if let Some(n) = t
            .strip_prefix("<!--btb:")
            .and_then(|r| r.strip_suffix("-->"))
            .and_then(|n| n.parse::<usize>().ok())
        {
            if let Some(item) = self.ctx.items.get_mut(n) {
                match std::mem::replace(item, Item::Used) {
                    Item::Raw { html, line } => {
                        rawhtml::process(self.ctx, &html, line, self.depth, &mut self.out);
                        self.out.push('\n');
                        return;
                    }
                    Item::Markdown {
                        open,
                        inner,
                        close,
                        line,
                        span,
                    } => {
                        self.out.push_str(&open);
                        rawhtml::markdown_content(
                            self.ctx,
                            &inner,
                            line,
                            self.depth,
                            span,
                            &mut self.out,
                        );
                        self.out.push_str(&close);
                        self.out.push('\n');
                        return;
                    }
                    other => self.ctx.items[n] = other,
                }
            }
        }
        let line = self.pre.line_of(at);
        rawhtml::process(self.ctx, h, line, self.depth, &mut self.out);
    }

    fn start(&mut self, i: usize, tag: Tag, range: Range<usize>) {
        let a = self.attrs.remove(&i);
        let a = a.as_ref();
        match tag {
            Tag::Paragraph => self.open("p", &[], a),
            Tag::Heading {
                level,
                id,
                classes,
                attrs,
            } => {
                let explicit = a.and_then(|a| a.id.clone()).or(id.map(|s| s.to_string()));
                let id = match explicit {
                    Some(id) => id,
                    None => {
                        let raw = self.heading_source(range.clone());
                        self.ctx.ids.next(&raw)
                    }
                };
                let mut base: Vec<(&str, String)> = vec![("id", id.clone())];
                if !classes.is_empty() {
                    base.push(("class", classes.join(" ")));
                }
                let extra: Vec<(String, String)> = attrs
                    .iter()
                    .map(|(k, v)| {
                        (
                            k.to_string(),
                            v.as_ref().map_or(String::new(), |v| v.to_string()),
                        )
                    })
                    .collect();
                for (k, v) in &extra {
                    base.push((k.as_str(), v.clone()));
                }
                let n = level as u8;
                self.open(&format!("h{n}"), &base, a);
                self.heading = Some((n, id, String::new(), self.pre.line_of(range.start)));
            }
            Tag::BlockQuote(_) => {
                self.open("blockquote", &[], a);
                self.out.push('\n');
            }
            Tag::CodeBlock(kind) => {
                let lang = match &kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                self.open("pre", &[], a);
                if lang.is_empty() {
                    self.out.push_str("<code>");
                } else {
                    self.out
                        .push_str(&format!("<code class=\"language-{}\">", escape(&lang)));
                }
                self.code = true;
            }
            Tag::HtmlBlock => {}
            Tag::List(Some(start)) => {
                let base: Vec<(&str, String)> = if start == 1 {
                    vec![]
                } else {
                    vec![("start", start.to_string())]
                };
                self.open("ol", &base, a);
                self.out.push('\n');
            }
            Tag::List(None) => {
                self.open("ul", &[], a);
                self.out.push('\n');
            }
            Tag::Item => self.out.push_str("<li>"),
            Tag::FootnoteDefinition(label) => {
                let saved = std::mem::take(&mut self.out);
                self.foot_saved = Some((label.to_string(), saved));
            }
            Tag::DefinitionList => {
                self.open("dl", &[], a);
                self.out.push('\n');
            }
            Tag::DefinitionListTitle => self.out.push_str("<dt>"),
            Tag::DefinitionListDefinition => self.out.push_str("<dd>"),
            Tag::Table(aligns) => {
                self.aligns = aligns;
                self.body_open = false;
                self.open("table", &[], a);
                self.out.push('\n');
            }
            Tag::TableHead => {
                self.in_head = true;
                self.cell = 0;
                self.out.push_str("<thead>\n<tr>\n");
            }
            Tag::TableRow => {
                self.cell = 0;
                if !self.body_open {
                    self.out.push_str("<tbody>\n");
                    self.body_open = true;
                }
                self.out.push_str("<tr>\n");
            }
            Tag::TableCell => {
                let name = if self.in_head { "th" } else { "td" };
                let style = match self.aligns.get(self.cell) {
                    Some(Alignment::Left) => " style=\"text-align: left\"",
                    Some(Alignment::Center) => " style=\"text-align: center\"",
                    Some(Alignment::Right) => " style=\"text-align: right\"",
                    _ => "",
                };
                self.out.push_str(&format!("<{name}{style}>"));
            }
            Tag::Emphasis => self.open("em", &[], a),
            Tag::Strong => self.open("strong", &[], a),
            Tag::Strikethrough => self.open("del", &[], a),
            Tag::Superscript => self.out.push_str("<sup>"),
            Tag::Subscript => self.out.push_str("<sub>"),
            Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            } => {
                let href = if link_type == LinkType::Email && !dest_url.starts_with("mailto:") {
                    format!("mailto:{dest_url}")
                } else {
                    dest_url.to_string()
                };
                let mut base = vec![("href", href)];
                if !title.is_empty() {
                    base.push(("title", title.to_string()));
                }
                self.open("a", &base, a);
            }
            Tag::Image {
                dest_url, title, ..
            } => {
                self.image.push((
                    dest_url.to_string(),
                    title.to_string(),
                    a.cloned(),
                    String::new(),
                ));
            }
            Tag::MetadataBlock(_) => {}
        }
    }

    fn end_image(&mut self) {
        let Some((src, title, a, alt)) = self.image.pop() else {
            return;
        };
        if !self.image.is_empty() {
            self.plain(&alt);
            return;
        }
        let mut base = vec![("src", src), ("alt", alt)];
        if !title.is_empty() {
            base.push(("title", title));
        }
        self.open("img", &base, a.as_ref());
        self.out.pop();
        self.out.push_str(" />");
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => self.out.push_str("</p>\n"),
            TagEnd::Heading(_) => {
                if let Some((n, id, text, line)) = self.heading.take() {
                    if self.ctx.opts.heading_anchors {
                        let id = escape(&id);
                        self.out.push_str(&format!("<a class=\"anchor\" href=\"#{id}\" aria-label=\"Link to this section\"></a>"));
                    }
                    self.out.push_str(&format!("</h{n}>\n"));
                    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                    self.ctx.headings.push(Heading {
                        level: n,
                        id,
                        text,
                        line,
                    });
                }
            }
            TagEnd::BlockQuote(_) => self.out.push_str("</blockquote>\n"),
            TagEnd::CodeBlock => {
                self.code = false;
                self.out.push_str("</code></pre>\n");
            }
            TagEnd::HtmlBlock => {}
            TagEnd::List(ordered) => self
                .out
                .push_str(if ordered { "</ol>\n" } else { "</ul>\n" }),
            TagEnd::Item => self.out.push_str("</li>\n"),
            TagEnd::FootnoteDefinition => {
                if let Some((label, saved)) = self.foot_saved.take() {
                    let body = std::mem::replace(&mut self.out, saved);
                    self.foot_defs.insert(label, body);
                }
            }
            TagEnd::DefinitionList => self.out.push_str("</dl>\n"),
            TagEnd::DefinitionListTitle => self.out.push_str("</dt>\n"),
            TagEnd::DefinitionListDefinition => self.out.push_str("</dd>\n"),
            TagEnd::Table => {
                if self.body_open {
                    self.out.push_str("</tbody>\n");
                }
                self.out.push_str("</table>\n");
            }
            TagEnd::TableHead => {
                self.in_head = false;
                self.out.push_str("</tr>\n</thead>\n");
            }
            TagEnd::TableRow => self.out.push_str("</tr>\n"),
            TagEnd::TableCell => {
                self.out
                    .push_str(if self.in_head { "</th>\n" } else { "</td>\n" });
                self.cell += 1;
            }
            TagEnd::Emphasis => self.out.push_str("</em>"),
            TagEnd::Strong => self.out.push_str("</strong>"),
            TagEnd::Strikethrough => self.out.push_str("</del>"),
            TagEnd::Superscript => self.out.push_str("</sup>"),
            TagEnd::Subscript => self.out.push_str("</sub>"),
            TagEnd::Link => self.out.push_str("</a>"),
            TagEnd::Image => self.end_image(),
            TagEnd::MetadataBlock(_) => {}
        }
    }

    /// The heading's source text as kramdown keeps it (`raw_text`): markers, trailing `#`s and
    /// the `{#id}` block removed, placeholders back to their source.
    fn heading_source(&self, range: Range<usize>) -> String {
        let slice = self.pre.text.get(range).unwrap_or("");
        let mut src = String::with_capacity(slice.len());
        let mut rest = slice;
        while let Some(k) = rest.find(['\u{E000}', '\u{E002}', '\u{E004}', '\u{E006}']) {
            src.push_str(&rest[..k]);
            match placeholder(&rest[k..]) {
                Some((_, n, len)) => {
                    if let Some(Item::Math { src: s, .. }) = self.ctx.items.get(n) {
                        src.push_str(s);
                    }
                    rest = &rest[k + len..];
                }
                None => {
                    src.push_str(&rest[k..k + 3]);
                    rest = &rest[k + 3..];
                }
            }
        }
        src.push_str(rest);
        let t = src.trim();
        let text = if t.starts_with('#') {
            let line = t.lines().next().unwrap_or("");
            let mut s = line.trim_start_matches('#').trim().to_string();
            if s.ends_with('}') {
                if let Some(p) = s.rfind('{') {
                    s.truncate(p);
                }
            }
            let mut s = s.trim_end().to_string();
            let hashes = s.len() - s.trim_end_matches('#').len();
            if hashes > 0 && !s[..s.len() - hashes].ends_with('\\') {
                s.truncate(s.len() - hashes);
            }
            s.trim_end().to_string()
        } else {
            let lines: Vec<&str> = t.lines().collect();
            let keep = lines.len().saturating_sub(1).max(1);
            lines[..keep.min(lines.len())]
                .iter()
                .map(|l| l.trim())
                .collect::<Vec<_>>()
                .join(" ")
        };
        text
    }

    fn footnotes(&mut self) {
        if self.foot_refs.is_empty() {
            return;
        }
        self.out
            .push_str("<div class=\"footnotes\" role=\"doc-endnotes\">\n<ol>\n");
        self.foot_numbers.clear();
        for label in std::mem::take(&mut self.foot_refs) {
            let l = escape(&label);
            let mut body = self.foot_defs.remove(&label).unwrap_or_default();
            let back = format!(" <a href=\"#fnref:{l}\" class=\"reversefootnote\" role=\"doc-backlink\">&#8617;</a>");
            match body.rfind("</p>") {
                Some(p) => body.insert_str(p, &back),
                None => body.push_str(&back),
            }
            self.out
                .push_str(&format!("<li id=\"fn:{l}\">\n{body}</li>\n"));
        }
        self.out.push_str("</ol>\n</div>\n");
    }
}
