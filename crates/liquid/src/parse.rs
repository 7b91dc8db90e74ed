//! Building the tree of a template from its tokens, with Ruby Liquid's block rules and
//! whitespace control, plus the Jekyll tags a track uses.
//!
//! Unlike Ruby Liquid, which stops at the first syntax error, the parser records a diagnostic
//! and goes on, so an author sees every broken tag of a post at once. What it builds is only
//! the tree; nothing is evaluated here (see `render`).

use blogtrack_diag::{Diagnostic, LineIndex};

use crate::expr::{Condition, Expr, Output};
use crate::lex::{is_space, is_word, quoted_fragment_at, skip_space, Token, TokenKind, Tokenizer};

/// Deepest nesting of blocks a template may have.
pub const MAX_DEPTH: u32 = 100;

/// Tags this engine knows, for the unknown-tag hint.
pub const KNOWN_TAGS: &[&str] = &[
    "assign",
    "break",
    "capture",
    "case",
    "comment",
    "continue",
    "decrement",
    "for",
    "highlight",
    "if",
    "include",
    "increment",
    "mermaid",
    "post_url",
    "raw",
    "twitter",
    "unless",
];

const DELIMITERS: &[&str] = &[
    "else",
    "elsif",
    "when",
    "endif",
    "endunless",
    "endcase",
    "endfor",
    "endcapture",
    "endcomment",
    "endhighlight",
    "endmermaid",
    "endraw",
];

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// Template text, `start..end` in the source (may be trimmed by whitespace control).
    Text(usize, usize),
    /// The body of `{% raw %}`.
    Raw(usize, usize),
    Output(Output, u32),
    Assign(String, Output, u32),
    Capture(String, Vec<Node>),
    If(Vec<Branch>, Option<Vec<Node>>),
    Case(Expr, Vec<(Vec<Expr>, Vec<Node>)>, Option<Vec<Node>>),
    For(Box<ForLoop>),
    Break,
    Continue,
    /// `increment` (+1) or `decrement` (-1).
    Counter(String, i64),
    Include(Box<Include>),
    PostUrl(String, u32),
    Highlight {
        lang: String,
        linenos: bool,
        body: Vec<Node>,
        line: u32,
    },
    Twitter(String, u32),
    Mermaid(Vec<Node>, u32),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Branch {
    pub cond: Condition,
    pub negate: bool,
    pub body: Vec<Node>,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ForLoop {
    pub var: String,
    pub name: String,
    pub collection: Expr,
    pub limit: Option<Expr>,
    pub offset: Option<Expr>,
    pub reversed: bool,
    pub body: Vec<Node>,
    pub otherwise: Option<Vec<Node>>,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub enum IncludeName {
    Static(String),
    /// `{% include {{ var }}.html %}`: the name is itself a template, rendered at render time.
    Dynamic(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum ParamValue {
    Str(String),
    Expr(Expr),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Include {
    pub name: IncludeName,
    pub params: Vec<(String, ParamValue)>,
    pub line: u32,
}

/// A tag that ended a block body (a delimiter such as `endif`, or an intermediate `else`).
struct Delim {
    name: String,
    markup: String,
    line: u32,
}

#[derive(Clone, Copy)]
struct Ctx {
    stops: &'static [&'static str],
    in_comment: bool,
}

pub struct Parser<'a> {
    src: &'a str,
    toks: Tokenizer<'a>,
    index: &'a LineIndex,
    pub diags: Vec<Diagnostic>,
    trim_next: bool,
    aborted: bool,
}

struct TagParts {
    name: String,
    markup: String,
    trim_left: bool,
    trim_right: bool,
}

impl<'a> Parser<'a> {
    pub fn new(src: &'a str, index: &'a LineIndex) -> Self {
        Parser {
            src,
            toks: Tokenizer::new(src),
            index,
            diags: Vec::new(),
            trim_next: false,
            aborted: false,
        }
    }

    pub fn parse_document(&mut self) -> Vec<Node> {
        let ctx = Ctx {
            stops: &[],
            in_comment: false,
        };
        let (nodes, _) = self.body(0, ctx);
        nodes
    }

    fn pos(&self, offset: usize) -> (u32, u32) {
        self.index.line_col(self.src, offset)
    }

    fn error(&mut self, code: &'static str, offset: usize, msg: String, hint: &str) {
        let (l, c) = self.pos(offset);
        let mut d = Diagnostic::error(code, msg).at(l, c);
        if !hint.is_empty() {
            d = d.with_hint(hint);
        }
        self.diags.push(d);
    }

    fn body(&mut self, depth: u32, ctx: Ctx) -> (Vec<Node>, Option<Delim>) {
        let mut nodes = Vec::new();
        while let Some(t) = self.toks.next() {
            if self.aborted {
                return (nodes, None);
            }
            match t.kind {
                TokenKind::Text => {
                    let (mut s, e) = (t.start, t.end);
                    if self.trim_next {
                        s = lstrip(self.src, s, e);
                    }
                    self.trim_next = false;
                    if s < e {
                        nodes.push(Node::Text(s, e));
                    }
                }
                TokenKind::LoneTag => self.error(
                    "liquid-syntax",
                    t.start,
                    "tag `{%` is not terminated: no `%}` follows".into(),
                    "close the tag with `%}`, or wrap literal text in {% raw %}...{% endraw %}",
                ),
                TokenKind::LoneOutput => self.error(
                    "liquid-syntax",
                    t.start,
                    "variable `{{` is not terminated: no `}}` follows".into(),
                    "close it with `}}`, or write `{ {` / use {% raw %}...{% endraw %} for literal braces",
                ),
                TokenKind::Output => self.output(t, &mut nodes),
                TokenKind::Tag => {
                    let Some(parts) = self.tag_parts(t) else {
                        continue;
                    };
                    if parts.trim_left {
                        rstrip_last(self.src, &mut nodes);
                    }
                    self.trim_next = parts.trim_right;
                    if ctx.stops.contains(&parts.name.as_str()) {
                        let line = self.pos(t.start).0;
                        return (
                            nodes,
                            Some(Delim {
                                name: parts.name,
                                markup: parts.markup,
                                line,
                            }),
                        );
                    }
                    self.tag(t, parts, depth, ctx, &mut nodes);
                }
            }
        }
        (nodes, None)
    }

    fn output(&mut self, t: Token, nodes: &mut Vec<Node>) {
        let text = &self.src[t.start..t.end];
        let trim_left = text.as_bytes().get(2) == Some(&b'-');
        if trim_left {
            rstrip_last(self.src, nodes);
        }
        if !text.ends_with("}}") || text.len() < 4 {
            self.trim_next = false;
            let shown = shorten(text);
            self.error(
                "liquid-syntax",
                t.start,
                format!("variable `{shown}` is not terminated with `}}}}` (Liquid reads `{{{{` as the start of an output)"),
                "in TeX, put a space between the braces (`{ {`), or wrap the passage in {% raw %}...{% endraw %}",
            );
            return;
        }
        let inner_end = t.end - 2;
        let mut inner_start = t.start + 2;
        let mut inner_stop = inner_end;
        if trim_left {
            inner_start += 1;
        }
        self.trim_next = inner_stop > inner_start && text.as_bytes()[text.len() - 3] == b'-';
        if self.trim_next {
            inner_stop -= 1;
        }
        let markup = self.src.get(inner_start..inner_stop).unwrap_or("");
        let line = self.pos(t.start).0;
        nodes.push(Node::Output(Output::parse(markup), line));
    }

    /// `{%-? \s* (\w+) \s* markup -?%}`; `None` (and a diagnostic) when there is no name.
    fn tag_parts(&mut self, t: Token) -> Option<TagParts> {
        let text = &self.src[t.start..t.end];
        let b = text.as_bytes();
        let mut i = 2;
        let trim_left = b.get(2) == Some(&b'-');
        if trim_left {
            i += 1;
        }
        i = skip_space(b, i);
        let ns = i;
        while i < b.len() && is_word(b[i]) {
            i += 1;
        }
        let inner_end = b.len() - 2;
        if i == ns || i > inner_end {
            self.trim_next = false;
            self.error(
                "liquid-syntax",
                t.start,
                format!("tag `{}` has no name", shorten(text)),
                "write a tag as {% name arguments %}, or wrap literal text in {% raw %}...{% endraw %}",
            );
            return None;
        }
        let name = text[ns..i].to_string();
        let ms = skip_space(b, i);
        let trim_right = inner_end > ms && b[inner_end - 1] == b'-';
        let me = if trim_right { inner_end - 1 } else { inner_end };
        let markup = text.get(ms.min(me)..me).unwrap_or("").to_string();
        Some(TagParts {
            name,
            markup,
            trim_left,
            trim_right,
        })
    }

    fn tag(&mut self, t: Token, p: TagParts, depth: u32, ctx: Ctx, nodes: &mut Vec<Node>) {
        let line = self.pos(t.start).0;
        let block_tag = matches!(
            p.name.as_str(),
            "if" | "unless" | "case" | "for" | "capture" | "comment" | "highlight" | "mermaid"
        );
        if block_tag && depth >= MAX_DEPTH {
            self.error(
                "liquid-too-deep",
                t.start,
                format!("blocks are nested more than {MAX_DEPTH} deep"),
                "flatten the nesting of tags; the rest of the template is not rendered",
            );
            self.aborted = true;
            return;
        }
        let inner = |stops, in_comment| Ctx {
            stops,
            in_comment: in_comment || ctx.in_comment,
        };
        match p.name.as_str() {
            "raw" => self.raw(t, nodes),
            "comment" => {
                let (_, end) = self.body(depth + 1, inner(&["endcomment"], true));
                self.expect_closed(end, "comment", t.start);
            }
            "assign" => match parse_assign(&p.markup) {
                Some((name, value)) => nodes.push(Node::Assign(name, value, line)),
                None => self.error(
                    "liquid-syntax",
                    t.start,
                    format!("malformed assign `{}`", p.markup.trim()),
                    "write {% assign name = value | filter %}",
                ),
            },
            "capture" => {
                let name = variable_signature(&p.markup);
                let (body, end) = self.body(depth + 1, inner(&["endcapture"], false));
                self.expect_closed(end, "capture", t.start);
                match name {
                    Some(n) => nodes.push(Node::Capture(n, body)),
                    None => self.error(
                        "liquid-syntax",
                        t.start,
                        "capture has no variable name".into(),
                        "write {% capture name %}...{% endcapture %}",
                    ),
                }
            }
            "if" | "unless" => self.if_tag(t, p, depth, ctx, nodes),
            "case" => self.case_tag(t, p, depth, ctx, nodes),
            "for" => self.for_tag(t, p, depth, ctx, nodes),
            "break" => nodes.push(Node::Break),
            "continue" => nodes.push(Node::Continue),
            "increment" | "decrement" => {
                let name = p.markup.trim().to_string();
                nodes.push(Node::Counter(name, if p.name == "increment" { 1 } else { -1 }));
            }
            "include" => {
                if let Some(inc) = self.include(t, &p.markup, line) {
                    nodes.push(Node::Include(Box::new(inc)));
                }
            }
            "post_url" => nodes.push(Node::PostUrl(p.markup.trim().to_string(), line)),
            "twitter" => {
                let url = p
                    .markup
                    .split_ascii_whitespace()
                    .find(|w| *w != "oembed")
                    .unwrap_or("")
                    .to_string();
                nodes.push(Node::Twitter(url, line));
            }
            "highlight" => {
                let opts = parse_highlight(&p.markup);
                let (body, end) = self.body(depth + 1, inner(&["endhighlight"], false));
                self.expect_closed(end, "highlight", t.start);
                match opts {
                    Some((lang, linenos)) => nodes.push(Node::Highlight {
                        lang,
                        linenos,
                        body,
                        line,
                    }),
                    None => self.error(
                        "liquid-syntax",
                        t.start,
                        format!("malformed highlight tag `{}`", p.markup.trim()),
                        "write {% highlight LANG %} or {% highlight LANG linenos %}",
                    ),
                }
            }
            "mermaid" => {
                let (body, end) = self.body(depth + 1, inner(&["endmermaid"], false));
                self.expect_closed(end, "mermaid", t.start);
                nodes.push(Node::Mermaid(body, line));
            }
            _ if ctx.in_comment => {}
            name if DELIMITERS.contains(&name) => self.error(
                "liquid-unexpected-tag",
                t.start,
                format!("`{name}` has no matching block here"),
                "check that every block tag is opened and closed in order (if/endif, for/endfor, ...)",
            ),
            name => {
                let hint = match closest(name) {
                    Some(c) => format!("did you mean `{c}`? Supported tags: {}", KNOWN_TAGS.join(", ")),
                    None => format!(
                        "supported tags: {}; wrap literal `{{% %}}` text in {{% raw %}}...{{% endraw %}}",
                        KNOWN_TAGS.join(", ")
                    ),
                };
                self.error(
                    "liquid-unknown-tag",
                    t.start,
                    format!("unknown Liquid tag `{name}`"),
                    &hint,
                );
            }
        }
    }

    fn expect_closed(&mut self, end: Option<Delim>, tag: &str, start: usize) -> bool {
        if end.is_some() || self.aborted {
            return true;
        }
        self.error(
            "liquid-unclosed-block",
            start,
            format!("`{tag}` tag opened here is never closed"),
            &format!("add {{% end{tag} %}} where the block ends"),
        );
        false
    }

    fn raw(&mut self, t: Token, nodes: &mut Vec<Node>) {
        let start = t.end;
        for tok in self.toks.by_ref() {
            if !matches!(tok.kind, TokenKind::Tag | TokenKind::Output) {
                continue;
            }
            let text = &self.src[tok.start..tok.end];
            if !text.ends_with("%}") {
                continue;
            }
            for (i, _) in text.rmatch_indices("{%") {
                let b = text.as_bytes();
                let ws = skip_space(b, i + 2);
                let we = ws + b[ws..].iter().take_while(|&&c| is_word(c)).count();
                if we == ws {
                    continue;
                }
                if &text[ws..we] == "endraw" {
                    nodes.push(Node::Raw(start, tok.start + i));
                    return;
                }
                break;
            }
        }
        self.error(
            "liquid-unclosed-block",
            t.start,
            "`raw` tag opened here is never closed".into(),
            "add {% endraw %} where the literal text ends",
        );
    }

    fn if_tag(&mut self, t: Token, p: TagParts, depth: u32, ctx: Ctx, nodes: &mut Vec<Node>) {
        let unless = p.name == "unless";
        let (stops, close): (&'static [&'static str], &str) = if unless {
            (&["elsif", "else", "endunless"], "endunless")
        } else {
            (&["elsif", "else", "endif"], "endif")
        };
        let c = Ctx {
            stops,
            in_comment: ctx.in_comment,
        };
        let mut branches = Vec::new();
        let mut otherwise = None;
        let mut markup = p.markup;
        let mut negate = unless;
        let mut line = self.pos(t.start).0;
        loop {
            let cond = Condition::parse(&markup);
            let (body, end) = self.body(depth + 1, c);
            match cond {
                Ok(cond) => branches.push(Branch {
                    cond,
                    negate,
                    body,
                    line,
                }),
                Err(e) => self.error(
                    "liquid-syntax",
                    t.start,
                    format!("malformed condition `{}`: {e}", markup.trim()),
                    "write {% if a == b %}; operators are == != < > <= >= contains and or",
                ),
            }
            let Some(end) = end else {
                self.expect_closed(None, &p.name, t.start);
                break;
            };
            match end.name.as_str() {
                "elsif" => {
                    markup = end.markup;
                    negate = false;
                    line = end.line;
                }
                "else" => {
                    let c2 = Ctx {
                        stops: if unless { &["endunless"] } else { &["endif"] },
                        in_comment: ctx.in_comment,
                    };
                    let (body, end) = self.body(depth + 1, c2);
                    self.expect_closed(end, &p.name, t.start);
                    otherwise = Some(body);
                    break;
                }
                _ => break,
            }
        }
        let _ = close;
        nodes.push(Node::If(branches, otherwise));
    }

    fn case_tag(&mut self, t: Token, p: TagParts, depth: u32, ctx: Ctx, nodes: &mut Vec<Node>) {
        let b = p.markup.as_bytes();
        let subject =
            crate::lex::find_quoted_fragment(b, 0).map(|(s, e)| Expr::parse(&p.markup[s..e]));
        let c = Ctx {
            stops: &["when", "else", "endcase"],
            in_comment: ctx.in_comment,
        };
        let (_, mut end) = self.body(depth + 1, c);
        let mut whens = Vec::new();
        let mut otherwise = None;
        while let Some(d) = end.take() {
            match d.name.as_str() {
                "when" => {
                    let values = when_values(&d.markup);
                    let (body, e) = self.body(depth + 1, c);
                    whens.push((values, body));
                    end = e;
                    if end.is_none() {
                        self.expect_closed(None, "case", t.start);
                    }
                }
                "else" => {
                    let c2 = Ctx {
                        stops: &["endcase"],
                        in_comment: ctx.in_comment,
                    };
                    let (body, e) = self.body(depth + 1, c2);
                    self.expect_closed(e, "case", t.start);
                    otherwise = Some(body);
                }
                _ => {}
            }
        }
        match subject {
            Some(s) => nodes.push(Node::Case(s, whens, otherwise)),
            None => self.error(
                "liquid-syntax",
                t.start,
                "case has no expression".into(),
                "write {% case value %}{% when 1 %}...{% endcase %}",
            ),
        }
    }

    fn for_tag(&mut self, t: Token, p: TagParts, depth: u32, ctx: Ctx, nodes: &mut Vec<Node>) {
        let head = parse_for(&p.markup);
        let c = Ctx {
            stops: &["else", "endfor"],
            in_comment: ctx.in_comment,
        };
        let (body, end) = self.body(depth + 1, c);
        let mut otherwise = None;
        match end {
            Some(d) if d.name == "else" => {
                let c2 = Ctx {
                    stops: &["endfor"],
                    in_comment: ctx.in_comment,
                };
                let (b, e) = self.body(depth + 1, c2);
                self.expect_closed(e, "for", t.start);
                otherwise = Some(b);
            }
            Some(_) => {}
            None => {
                self.expect_closed(None, "for", t.start);
            }
        }
        match head {
            Some(mut f) => {
                f.body = body;
                f.otherwise = otherwise;
                f.line = self.pos(t.start).0;
                nodes.push(Node::For(Box::new(f)));
            }
            None => self.error(
                "liquid-syntax",
                t.start,
                format!("malformed for loop `{}`", p.markup.trim()),
                "write {% for item in collection %}...{% endfor %}",
            ),
        }
    }

    fn include(&mut self, t: Token, markup: &str, line: u32) -> Option<Include> {
        let m = markup.trim_matches(|c: char| c.is_ascii_whitespace());
        let (file, params) = split_include(m);
        let name = if file.contains("{{") {
            IncludeName::Dynamic(file.to_string())
        } else {
            if file.is_empty() || !valid_include_file(file) {
                self.error(
                    "liquid-include-syntax",
                    t.start,
                    format!("invalid include file name `{file}`"),
                    "name a file such as figure.html (letters, digits, / . - _ only, no `..`)",
                );
                return None;
            }
            IncludeName::Static(file.to_string())
        };
        match parse_include_params(params) {
            Ok(params) => Some(Include { name, params, line }),
            Err(bad) => {
                self.error(
                    "liquid-include-syntax",
                    t.start,
                    format!("invalid include parameters near `{}`", shorten(bad)),
                    "write parameters as key=\"value\", key='value' or key=variable, separated by spaces",
                );
                None
            }
        }
    }
}

fn lstrip(src: &str, mut s: usize, e: usize) -> usize {
    let b = src.as_bytes();
    while s < e && (is_space(b[s]) || b[s] == 0) {
        s += 1;
    }
    s
}

fn rstrip_last(src: &str, nodes: &mut Vec<Node>) {
    if let Some(Node::Text(s, e)) = nodes.last_mut() {
        let b = src.as_bytes();
        while *e > *s && (is_space(b[*e - 1]) || b[*e - 1] == 0) {
            *e -= 1;
        }
        if *e == *s {
            nodes.pop();
        }
    }
}

fn shorten(s: &str) -> String {
    let mut out: String = s.chars().take(60).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    out.replace('\n', " ")
}

fn closest(name: &str) -> Option<&'static str> {
    KNOWN_TAGS
        .iter()
        .map(|k| (edit_distance(name, k), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 4))
        .min()
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().take(64).collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Liquid's `VariableSignature+`: `\(?[\w\-\.\[\]]\)?` repeated, first match in the markup.
fn variable_signature(m: &str) -> Option<String> {
    let b = m.as_bytes();
    let sig = |c: u8| is_word(c) || matches!(c, b'-' | b'.' | b'[' | b']' | b'(' | b')');
    let s = b.iter().position(|&c| sig(c))?;
    let e = s + b[s..].iter().take_while(|&&c| sig(c)).count();
    Some(m[s..e].to_string())
}

/// `(VariableSignature+)\s*=\s*(.*)`.
fn parse_assign(m: &str) -> Option<(String, Output)> {
    let eq = m.find('=')?;
    let name = variable_signature(&m[..eq])?;
    if !m[..eq].trim_end().ends_with(name.as_str()) {
        return None;
    }
    Some((name, Output::parse(&m[eq + 1..])))
}

fn when_values(m: &str) -> Vec<Expr> {
    let b = m.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some((s, e)) = crate::lex::find_quoted_fragment(b, i) {
        let frag = &m[s..e];
        if frag != "or" || out.is_empty() {
            out.push(Expr::parse(frag));
        }
        i = e;
    }
    out
}

/// `\A(\w|-)+\s+in\s+(QuotedFragment+)\s*(reversed)?` and `limit:`/`offset:` attributes.
fn parse_for(m: &str) -> Option<ForLoop> {
    let b = m.as_bytes();
    let ve = b.iter().take_while(|&&c| is_word(c) || c == b'-').count();
    if ve == 0 {
        return None;
    }
    let i = skip_space(b, ve);
    if i == ve || !m[i..].starts_with("in") {
        return None;
    }
    let cs = skip_space(b, i + 2);
    if cs == i + 2 {
        return None;
    }
    let mut ce = cs;
    while let Some(e) = quoted_fragment_at(b, ce) {
        ce = e;
    }
    if ce == cs {
        return None;
    }
    let coll = &m[cs..ce];
    let rest = &m[ce..];
    let reversed = rest.trim_start().starts_with("reversed");
    let mut limit = None;
    let mut offset = None;
    let mut j = 0;
    while j < b.len() {
        if is_word(b[j]) && (j == 0 || !is_word(b[j - 1])) {
            let ke = j + b[j..].iter().take_while(|&&c| is_word(c)).count();
            let k = skip_space(b, ke);
            if b.get(k) == Some(&b':') {
                let vs = skip_space(b, k + 1);
                if let Some(ve2) = quoted_fragment_at(b, vs) {
                    let v = Expr::parse(&m[vs..ve2]);
                    match &m[j..ke] {
                        "limit" => limit = Some(v),
                        "offset" => offset = Some(v),
                        _ => {}
                    }
                    j = ve2;
                    continue;
                }
            }
            j = ke;
        } else {
            j += 1;
        }
    }
    Some(ForLoop {
        var: m[..ve].to_string(),
        name: format!("{}-{}", &m[..ve], coll),
        collection: Expr::parse(coll),
        limit,
        offset,
        reversed,
        body: Vec::new(),
        otherwise: None,
        line: 0,
    })
}

/// Jekyll's highlight markup: `LANG [linenos | linenos=table | key=value ...]`.
fn parse_highlight(m: &str) -> Option<(String, bool)> {
    let mut words = m.split_ascii_whitespace();
    let lang = words.next()?;
    if !lang
        .bytes()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'+' | b'#' | b'_' | b'-'))
    {
        return None;
    }
    let mut linenos = false;
    for w in words {
        let key = w.split('=').next().unwrap_or("");
        if key.is_empty() || !key.bytes().all(is_word) {
            return None;
        }
        linenos |= key == "linenos";
    }
    Some((lang.to_ascii_lowercase(), linenos))
}

/// Splits `file params` (a file made of `{{ }}` parts ends after the last output and its
/// suffix).
fn split_include(m: &str) -> (&str, &str) {
    if let Some(open) = m.find("{{") {
        if m[..open].bytes().all(|c| !is_space(c)) {
            let mut end = open;
            while let Some(close) = m[end..].find("}}") {
                end += close + 2;
                let suffix = m[end..]
                    .bytes()
                    .take_while(|&c| !is_space(c) && c != b'{' && c != b'}')
                    .count();
                end += suffix;
                if !m[end..].starts_with("{{") {
                    break;
                }
            }
            return (&m[..end], m[end..].trim_start());
        }
    }
    match m.find(|c: char| c.is_ascii_whitespace()) {
        Some(i) => (&m[..i], m[i..].trim_start()),
        None => (m, ""),
    }
}

/// Jekyll: no `..`/`//`-like sequences and only `[\w/.\-()+~#@]`.
fn valid_include_file(f: &str) -> bool {
    let b = f.as_bytes();
    let bad_seq = b
        .windows(2)
        .any(|w| matches!(w[0], b'.' | b'/') && matches!(w[1], b'.' | b'/'));
    !bad_seq
        && b.iter().all(|&c| {
            is_word(c)
                || matches!(
                    c,
                    b'/' | b'.' | b'-' | b'(' | b')' | b'+' | b'~' | b'#' | b'@'
                )
        })
}

/// Jekyll's include parameters: `key="v"`, `key='v'` or `key=bare` (a literal or a variable),
/// each followed by whitespace or the end. `Err` carries the unparsable rest.
fn parse_include_params(p: &str) -> Result<Vec<(String, ParamValue)>, &str> {
    let b = p.as_bytes();
    let mut out = Vec::new();
    let mut i = skip_space(b, 0);
    while i < b.len() {
        let ks = i;
        while i < b.len() && (is_word(b[i]) || b[i] == b'-') {
            i += 1;
        }
        if i == ks {
            return Err(&p[ks..]);
        }
        let key = p[ks..i].to_string();
        i = skip_space(b, i);
        if b.get(i) != Some(&b'=') {
            return Err(&p[ks..]);
        }
        i = skip_space(b, i + 1);
        let value = match b.get(i) {
            Some(&q) if q == b'"' || q == b'\'' => {
                let mut j = i + 1;
                loop {
                    match b.get(j) {
                        Some(b'\\') => j += 2,
                        Some(&c) if c == q => break,
                        Some(_) => j += 1,
                        None => return Err(&p[ks..]),
                    }
                }
                let raw = &p[i + 1..j];
                i = j + 1;
                let v = if q == b'"' {
                    raw.replace("\\\"", "\"")
                } else {
                    raw.replace("\\'", "'")
                };
                ParamValue::Str(v)
            }
            _ => {
                let vs = i;
                while i < b.len() && (is_word(b[i]) || b[i] == b'.' || b[i] == b'-') {
                    i += 1;
                }
                if i == vs {
                    return Err(&p[ks..]);
                }
                ParamValue::Expr(Expr::parse(&p[vs..i]))
            }
        };
        if i < b.len() && !is_space(b[i]) {
            return Err(&p[ks..]);
        }
        out.push((key, value));
        i = skip_space(b, i);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Value;

    #[test]
    fn include_params_take_quotes_literals_and_variables() {
        let p = parse_include_params(r#"path="a b.png" class='x' zoomable=true caption=cap"#)
            .unwrap_or_default();
        assert_eq!(p.len(), 4);
        assert_eq!(p[0], ("path".into(), ParamValue::Str("a b.png".into())));
        assert_eq!(p[1], ("class".into(), ParamValue::Str("x".into())));
        assert_eq!(
            p[2],
            (
                "zoomable".into(),
                ParamValue::Expr(Expr::Lit(Value::Bool(true)))
            )
        );
        assert!(parse_include_params(r#"path="x"class="y""#).is_err());
        assert!(parse_include_params("path").is_err());
    }

    #[test]
    fn include_file_names_are_checked_like_jekyll() {
        assert!(valid_include_file("figure.html"));
        assert!(!valid_include_file("../secret"));
        assert!(!valid_include_file("[FIGURE_NAME].html"));
    }

    #[test]
    fn for_heads() {
        let f = parse_for("i in (1..5) limit:2 offset: 1 reversed");
        let f = f.unwrap_or_else(|| panic!("for head should parse"));
        assert_eq!(f.var, "i");
        assert!(f.limit.is_some() && f.offset.is_some());
        assert!(parse_for("i of x").is_none());
    }

    #[test]
    fn unknown_tags_suggest_the_closest() {
        assert_eq!(closest("inclde"), Some("include"));
        assert_eq!(closest("zzzzzz"), None);
    }
}
