//! Evaluating a parsed template against the globals and the host.
//!
//! Variables live in a stack of scopes (the root scope receives `assign` and `capture`, as in
//! Liquid, and `for` pushes one per loop) above the read-only globals (`site`, `page`). Jekyll
//! tags call the [`Host`]. Every limit (loop iterations, output size, range size) ends in a
//! diagnostic, never in a hang. The renderer also records, for each output line, the template
//! line it came from.

use blogtrack_diag::{Diagnostic, LineIndex};

use crate::expr::{Comparison, Condition, Expr, Logic, Lookup, Op, Output, Segment};
use crate::filters::{self, FilterError};
use crate::parse::{Branch, ForLoop, Include, IncludeName, Node, ParamValue};
use crate::value::{Object, Value};
use crate::{Host, LineMap};

/// Most loop iterations one render may run, over all loops.
pub const MAX_ITERATIONS: u64 = 100_000;
/// Largest output one render may produce.
pub const MAX_OUTPUT: usize = 64 * 1024 * 1024;
/// Largest range `(a..b)` that is turned into a list.
pub const MAX_RANGE: i64 = 100_000;
/// Most bytes of values one render may build or copy: every looked-up variable, filter
/// result and captured text is charged its [`filters::shallow_size`]. Without it, copying a
/// 16 MiB string in each of 100,000 loop iterations would run for minutes while the output
/// stays empty.
pub const MAX_WORK: u64 = 256 * 1024 * 1024;

/// An output buffer; the top-level one also tracks the source line of each output line.
pub struct Out {
    pub buf: String,
    lines: Option<Vec<u32>>,
    line_open: bool,
}

impl Out {
    pub fn new(track_lines: bool) -> Out {
        Out {
            buf: String::new(),
            lines: track_lines.then(|| vec![1]),
            line_open: false,
        }
    }

    /// Appends `s`; `copied` text keeps its own line numbering from `line`, generated text maps
    /// every line to `line`.
    fn push(&mut self, s: &str, line: u32, copied: bool) {
        if s.is_empty() {
            return;
        }
        self.buf.push_str(s);
        let Some(lines) = &mut self.lines else {
            return;
        };
        if !self.line_open {
            if let Some(last) = lines.last_mut() {
                *last = line;
            }
            self.line_open = true;
        }
        let mut n = 0;
        for _ in memchr::memchr_iter(b'\n', s.as_bytes()) {
            n += 1;
            lines.push(if copied { line + n } else { line });
        }
        if s.ends_with('\n') {
            self.line_open = false;
        }
    }

    pub fn into_parts(self) -> (String, LineMap) {
        (
            self.buf,
            LineMap {
                lines: self.lines.unwrap_or_default(),
            },
        )
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Interrupt {
    Break,
    Continue,
}

pub struct Renderer<'a> {
    pub src: &'a str,
    pub index: &'a LineIndex,
    pub globals: &'a Object,
    pub host: &'a mut dyn Host,
    pub scopes: Vec<Object>,
    pub counters: Object,
    pub diags: Vec<Diagnostic>,
    iterations: u64,
    work: u64,
    stopped: bool,
    interrupt: Option<Interrupt>,
}

impl<'a> Renderer<'a> {
    pub fn new(
        src: &'a str,
        index: &'a LineIndex,
        globals: &'a Object,
        host: &'a mut dyn Host,
    ) -> Self {
        Renderer {
            src,
            index,
            globals,
            host,
            scopes: vec![Object::new()],
            counters: Object::new(),
            diags: Vec::new(),
            iterations: 0,
            work: 0,
            stopped: false,
            interrupt: None,
        }
    }

    fn line_of(&self, offset: usize) -> u32 {
        self.index.line(offset)
    }

    fn error(&mut self, code: &'static str, line: u32, msg: String, hint: &str) {
        let mut d = Diagnostic::error(code, msg).at(line, 0);
        if !hint.is_empty() {
            d = d.with_hint(hint);
        }
        self.diags.push(d);
    }

    /// Charges `bytes` of work; past [`MAX_WORK`] the render stops with one diagnostic.
    /// Returns false once stopped.
    fn charge(&mut self, bytes: usize, line: u32) -> bool {
        self.work = self.work.saturating_add(bytes as u64);
        if self.work > MAX_WORK && !self.stopped {
            self.stopped = true;
            self.error(
                "liquid-limit",
                line,
                format!(
                    "the template copies or builds more than {} MiB of values",
                    MAX_WORK >> 20
                ),
                "a loop copies or grows a large value again and again; the rest is not rendered",
            );
        }
        !self.stopped
    }

    fn check_size(&mut self, out: &Out, line: u32) {
        if out.buf.len() > MAX_OUTPUT && !self.stopped {
            self.stopped = true;
            self.error(
                "liquid-limit",
                line,
                format!("output is larger than {} MiB", MAX_OUTPUT >> 20),
                "a loop or include produces too much text; the rest is not rendered",
            );
        }
    }

    pub fn render_nodes(&mut self, nodes: &[Node], out: &mut Out) {
        for node in nodes {
            if self.stopped || self.interrupt.is_some() {
                return;
            }
            self.render_node(node, out);
        }
    }

    fn render_node(&mut self, node: &Node, out: &mut Out) {
        match node {
            Node::Text(s, e) | Node::Raw(s, e) => {
                let line = self.line_of(*s);
                out.push(&self.src[*s..*e], line, true);
                self.check_size(out, line);
            }
            Node::Output(o, line) => self.render_output(o, *line, out),
            Node::Assign(name, o, line) => {
                let v = self.eval_output(o, *line);
                self.scopes[0].insert(name.clone(), v);
            }
            Node::Capture(name, body) => self.render_capture(name, body),
            Node::If(branches, otherwise) => self.render_if(branches, otherwise.as_deref(), out),
            Node::Case(subject, whens, otherwise) => {
                self.render_case(subject, whens, otherwise.as_deref(), out)
            }
            Node::For(f) => self.render_for(f, out),
            Node::Break => self.interrupt = Some(Interrupt::Break),
            Node::Continue => self.interrupt = Some(Interrupt::Continue),
            Node::Counter(name, step) => self.render_counter(name, *step, out),
            Node::Include(inc) => self.render_include(inc, out),
            Node::PostUrl(name, line) => match self.host.post_url(name, *line) {
                Ok(url) => out.push(&url, *line, false),
                Err(d) => self.diags.push(with_line(d, *line)),
            },
            Node::Highlight {
                lang,
                linenos,
                body,
                line,
            } => self.render_highlight(lang, *linenos, body, *line, out),
            Node::Twitter(url, line) => {
                let html = self.host.twitter(url, *line);
                out.push(&html, *line, false);
            }
            Node::Mermaid(body, line) => {
                let html = self.render_to_string(body);
                let html = self.host.mermaid(&html, *line);
                out.push(&html, *line, false);
            }
        }
    }

    /// Renders `nodes` into a buffer of their own (no line tracking) and returns its text.
    fn render_to_string(&mut self, nodes: &[Node]) -> String {
        let mut sub = Out::new(false);
        self.render_nodes(nodes, &mut sub);
        sub.buf
    }

    /// `{{ output }}`: the value, rendered as text.
    fn render_output(&mut self, o: &Output, line: u32, out: &mut Out) {
        let v = self.eval_output(o, line);
        let mut s = String::new();
        v.render_into(&mut s);
        out.push(&s, line, false);
        self.check_size(out, line);
    }

    /// `{% capture name %}`: the body's text, charged as work, assigned in the root scope.
    fn render_capture(&mut self, name: &str, body: &[Node]) {
        let text = self.render_to_string(body);
        self.charge(text.len(), 0);
        self.scopes[0].insert(name.to_string(), Value::Str(text));
    }

    /// `{% if %}` / `{% unless %}` with its `elsif`s: the body of the first branch whose
    /// condition holds, else the `else` body.
    fn render_if(&mut self, branches: &[Branch], otherwise: Option<&[Node]>, out: &mut Out) {
        for b in branches {
            let mut r = self.eval_condition(&b.cond, b.line);
            if b.negate {
                r = !r;
            }
            if r {
                self.render_nodes(&b.body, out);
                return;
            }
        }
        if let Some(body) = otherwise {
            self.render_nodes(body, out);
        }
    }

    /// `{% case %}`: the body of every `when` with a value equal to the subject (as Liquid does,
    /// each one that matches), else the `else` body.
    fn render_case(
        &mut self,
        subject: &Expr,
        whens: &[(Vec<Expr>, Vec<Node>)],
        otherwise: Option<&[Node]>,
        out: &mut Out,
    ) {
        let v = self.eval(subject, 0);
        let mut matched = false;
        for (values, body) in whens {
            let mut hit = false;
            for e in values {
                let w = self.eval(e, 0);
                hit |= equal(&v, &w, e);
            }
            if hit {
                matched = true;
                self.render_nodes(body, out);
            }
        }
        if !matched {
            if let Some(body) = otherwise {
                self.render_nodes(body, out);
            }
        }
    }

    /// `{% increment %}` (step 1) or `{% decrement %}` (step -1): shows the counter (before an
    /// increment, after a decrement) and moves it by `step`.
    fn render_counter(&mut self, name: &str, step: i64, out: &mut Out) {
        let cur = match self.counters.get(name) {
            Some(Value::Int(i)) => *i,
            _ => 0,
        };
        let shown = if step > 0 { cur } else { cur - 1 };
        self.counters
            .insert(name.to_string(), Value::Int(cur + step));
        out.push(&shown.to_string(), 0, false);
    }

    /// `{% highlight lang %}`: the body's text, without its leading and trailing newlines,
    /// highlighted by the host.
    fn render_highlight(
        &mut self,
        lang: &str,
        linenos: bool,
        body: &[Node],
        line: u32,
        out: &mut Out,
    ) {
        let text = self.render_to_string(body);
        let code = text.trim_matches(|c| c == '\n' || c == '\r');
        let html = self.host.highlight(lang, linenos, code, line);
        out.push(&html, line, false);
        self.check_size(out, line);
    }

    fn render_include(&mut self, inc: &Include, out: &mut Out) {
        let name = match &inc.name {
            IncludeName::Static(n) => n.clone(),
            IncludeName::Dynamic(markup) => {
                let t = crate::Template::parse(markup);
                let mut sub = Out::new(false);
                let mut r = Renderer::new(&t.source, &t.index, self.globals, &mut *self.host);
                r.scopes = std::mem::take(&mut self.scopes);
                r.render_nodes(&t.nodes, &mut sub);
                self.scopes = std::mem::take(&mut r.scopes);
                sub.buf.trim().to_string()
            }
        };
        let params: Vec<(String, Value)> = inc
            .params
            .iter()
            .map(|(k, v)| {
                let v = match v {
                    ParamValue::Str(s) => Value::Str(s.clone()),
                    ParamValue::Expr(e) => self.eval(e, inc.line),
                };
                (k.clone(), v)
            })
            .collect();
        match self.host.include(&name, &params, inc.line) {
            Ok(html) => {
                out.push(&html, inc.line, false);
                self.check_size(out, inc.line);
            }
            Err(d) => self.diags.push(with_line(d, inc.line)),
        }
    }

    fn render_for(&mut self, f: &ForLoop, out: &mut Out) {
        let coll = self.eval(&f.collection, f.line);
        let items: Vec<Value> = match coll {
            Value::Array(a) => a,
            Value::Object(o) => o
                .into_iter()
                .map(|(k, v)| Value::Array(vec![Value::Str(k), v]))
                .collect(),
            Value::Str(s) if !s.is_empty() => vec![Value::Str(s)],
            _ => Vec::new(),
        };
        let offset = f
            .offset
            .as_ref()
            .map(|e| int_of(&self.eval(e, f.line)))
            .unwrap_or(0)
            .max(0) as usize;
        let limit = f
            .limit
            .as_ref()
            .map(|e| int_of(&self.eval(e, f.line)).max(0) as usize);
        let mut segment: Vec<Value> = items
            .into_iter()
            .skip(offset)
            .take(limit.unwrap_or(usize::MAX))
            .collect();
        if f.reversed {
            segment.reverse();
        }
        if segment.is_empty() {
            if let Some(body) = &f.otherwise {
                self.render_nodes(body, out);
            }
            return;
        }
        let parent = self.lookup_name("forloop").cloned();
        let len = segment.len() as i64;
        for (i, item) in segment.into_iter().enumerate() {
            self.iterations += 1;
            if self.iterations > MAX_ITERATIONS {
                self.stopped = true;
                self.error(
                    "liquid-limit",
                    f.line,
                    format!("more than {MAX_ITERATIONS} loop iterations"),
                    "loops run too long; the rest of the template is not rendered",
                );
                return;
            }
            let i = i as i64;
            let mut fl = Object::new();
            fl.insert("name".into(), Value::Str(f.name.clone()));
            fl.insert("length".into(), Value::Int(len));
            fl.insert("index".into(), Value::Int(i + 1));
            fl.insert("index0".into(), Value::Int(i));
            fl.insert("rindex".into(), Value::Int(len - i));
            fl.insert("rindex0".into(), Value::Int(len - i - 1));
            fl.insert("first".into(), Value::Bool(i == 0));
            fl.insert("last".into(), Value::Bool(i == len - 1));
            if let Some(p) = &parent {
                fl.insert("parentloop".into(), p.clone());
            }
            let mut scope = Object::new();
            scope.insert(f.var.clone(), item);
            scope.insert("forloop".into(), Value::Object(fl));
            self.scopes.push(scope);
            self.render_nodes(&f.body, out);
            self.scopes.pop();
            match self.interrupt.take() {
                Some(Interrupt::Break) => break,
                Some(Interrupt::Continue) | None => {}
            }
            if self.stopped {
                return;
            }
        }
    }

    fn lookup_name(&self, name: &str) -> Option<&Value> {
        self.scopes
            .iter()
            .rev()
            .find_map(|s| s.get(name))
            .or_else(|| self.counters.get(name))
            .or_else(|| self.globals.get(name))
    }

    pub fn eval_output(&mut self, o: &Output, line: u32) -> Value {
        let Some(e) = &o.expr else {
            return Value::Nil;
        };
        let mut v = self.eval(e, line);
        for f in &o.filters {
            let args: Vec<Value> = f.args.iter().map(|a| self.eval(a, line)).collect();
            v = match f.name.as_str() {
                "relative_url" => match v {
                    Value::Nil => Value::Nil,
                    other => Value::Str(self.host.relative_url(&other.to_ruby_s())),
                },
                "absolute_url" => match v {
                    Value::Nil => Value::Nil,
                    other => Value::Str(self.host.absolute_url(&other.to_ruby_s())),
                },
                "markdownify" => Value::Str(self.host.markdownify(&v.to_ruby_s())),
                name => match filters::apply(name, v.clone(), &args) {
                    Ok(r) => r,
                    Err(FilterError::Unknown) => {
                        self.diags.push(
                            Diagnostic::warning(
                                "liquid-unknown-filter",
                                format!("unknown Liquid filter `{name}` (the value passes through unchanged)"),
                            )
                            .at(line, 0)
                            .with_hint("check the filter's spelling; Jekyll ignores unknown filters too"),
                        );
                        v
                    }
                    Err(FilterError::Failed(m)) => {
                        self.error(
                            "liquid-render",
                            line,
                            format!("filter `{name}` failed: {m}"),
                            "fix the filter's input or arguments",
                        );
                        Value::Nil
                    }
                    Err(FilterError::TooLarge(n)) => {
                        self.value_too_large(name, n, line);
                        return Value::Nil;
                    }
                },
            };
            let size = filters::shallow_size(&v);
            if size > filters::MAX_VALUE_BYTES {
                self.value_too_large(&f.name, size, line);
                return Value::Nil;
            }
            if !self.charge(size, line) {
                return Value::Nil;
            }
        }
        v
    }

    fn value_too_large(&mut self, filter: &str, bytes: usize, line: u32) {
        if self.stopped {
            return;
        }
        self.stopped = true;
        self.error(
            "liquid-limit",
            line,
            format!(
                "filter `{filter}` would build a value of {} MiB; the limit is {} MiB",
                bytes >> 20,
                filters::MAX_VALUE_BYTES >> 20
            ),
            "a loop or filter grows a value without bound; the rest of the template is not rendered",
        );
    }

    pub fn eval(&mut self, e: &Expr, line: u32) -> Value {
        match e {
            Expr::Lit(v) => v.clone(),
            Expr::Empty | Expr::Blank => Value::Nil,
            Expr::Range(a, b) => {
                let a = int_of(&self.eval(a, line));
                let b = int_of(&self.eval(b, line));
                if b.saturating_sub(a) >= MAX_RANGE {
                    self.error(
                        "liquid-limit",
                        line,
                        format!("range ({a}..{b}) has more than {MAX_RANGE} elements"),
                        "use a smaller range",
                    );
                    return Value::Array(Vec::new());
                }
                Value::Array((a..=b).map(Value::Int).collect())
            }
            Expr::Lookup(l) => {
                let v = self.eval_lookup(l, line);
                if self.charge(filters::shallow_size(&v), line) {
                    v
                } else {
                    Value::Nil
                }
            }
        }
    }

    fn eval_lookup(&mut self, l: &Lookup, line: u32) -> Value {
        let root_key = match &l.name {
            Segment::Name(n) => Value::Str(n.clone()),
            Segment::Index(e) => self.eval(e, line),
        };
        let keys: Vec<(Value, bool)> = l
            .path
            .iter()
            .map(|s| match s {
                Segment::Name(n) => (Value::Str(n.clone()), true),
                Segment::Index(e) => (self.eval(e, line), false),
            })
            .collect();
        let Value::Str(root) = root_key else {
            return Value::Nil;
        };
        let Some(mut cur) = self.lookup_name(&root) else {
            return Value::Nil;
        };
        for (idx, (key, is_name)) in keys.iter().enumerate() {
            match cur.get(key) {
                Some(next) => cur = next,
                None => {
                    // A command (`size`, `first`, `last`) yields a fresh value; the rest of the
                    // path continues from it.
                    let Some(mut v) = command(cur, key, *is_name) else {
                        return Value::Nil;
                    };
                    for (k, n) in &keys[idx + 1..] {
                        v = match v.get(k) {
                            Some(x) => x.clone(),
                            None => match command(&v, k, *n) {
                                Some(x) => x,
                                None => return Value::Nil,
                            },
                        };
                    }
                    return v;
                }
            }
        }
        cur.clone()
    }

    fn eval_condition(&mut self, c: &Condition, line: u32) -> bool {
        let mut result = false;
        for (i, part) in c.parts.iter().enumerate() {
            result = self.eval_comparison(part, line);
            match c.logic.get(i) {
                Some(Logic::Or) if result => break,
                Some(Logic::And) if !result => break,
                Some(_) => {}
                None => break,
            }
        }
        result
    }

    fn eval_comparison(&mut self, c: &Comparison, line: u32) -> bool {
        let left = self.eval(&c.left, line);
        let Some(op) = c.op else {
            return match c.left {
                Expr::Empty | Expr::Blank => true,
                _ => left.is_truthy(),
            };
        };
        let right = self.eval(&c.right, line);
        match op {
            Op::Eq => equal_either(&left, &c.left, &right, &c.right),
            Op::Ne => !equal_either(&left, &c.left, &right, &c.right),
            Op::Contains => match (&left, &right) {
                (Value::Nil, _) | (_, Value::Nil) => false,
                (Value::Str(s), r) => s.contains(r.to_ruby_s().as_str()),
                (Value::Array(a), r) => a.iter().any(|x| x.ruby_eq(r)),
                (Value::Object(o), Value::Str(k)) => o.contains_key(k),
                _ => false,
            },
            Op::Lt | Op::Gt | Op::Le | Op::Ge => {
                let comparable = |v: &Value| {
                    matches!(
                        v,
                        Value::Int(_) | Value::Float(_) | Value::Str(_) | Value::Array(_)
                    )
                };
                if !comparable(&left) || !comparable(&right) {
                    return false;
                }
                match left.ruby_cmp(&right) {
                    Some(o) => match op {
                        Op::Lt => o.is_lt(),
                        Op::Gt => o.is_gt(),
                        Op::Le => o.is_le(),
                        _ => o.is_ge(),
                    },
                    None => {
                        self.error(
                            "liquid-render",
                            line,
                            format!(
                                "comparison of {} with {} failed",
                                left.type_name(),
                                right.to_ruby_s()
                            ),
                            "compare values of the same kind (numbers with numbers, text with text)",
                        );
                        false
                    }
                }
            }
        }
    }
}

fn command(cur: &Value, key: &Value, is_name: bool) -> Option<Value> {
    if !is_name {
        return None;
    }
    Some(match (key.as_str()?, cur) {
        ("size", Value::Str(s)) => Value::Int(s.chars().count() as i64),
        ("size", Value::Array(a)) => Value::Int(a.len() as i64),
        ("size", Value::Object(o)) => Value::Int(o.len() as i64),
        ("size", Value::Int(_)) => Value::Int(8),
        ("first", Value::Array(a)) => a.first().cloned().unwrap_or_default(),
        ("last", Value::Array(a)) => a.last().cloned().unwrap_or_default(),
        ("first", Value::Object(o)) => o
            .iter()
            .next()
            .map(|(k, v)| Value::Array(vec![Value::Str(k.clone()), v.clone()]))
            .unwrap_or_default(),
        _ => return None,
    })
}

fn equal(v: &Value, w: &Value, w_expr: &Expr) -> bool {
    match w_expr {
        Expr::Empty => v.is_empty() == Some(true),
        Expr::Blank => v.is_blank(),
        _ => v.ruby_eq(w),
    }
}

fn equal_either(l: &Value, le: &Expr, r: &Value, re: &Expr) -> bool {
    match le {
        Expr::Empty | Expr::Blank => equal(r, l, le),
        _ => equal(l, r, re),
    }
}

fn int_of(v: &Value) -> i64 {
    match v {
        Value::Int(i) => *i,
        Value::Float(f) => *f as i64,
        Value::Str(s) => crate::expr::ruby_to_i(s),
        _ => 0,
    }
}

fn with_line(d: Diagnostic, line: u32) -> Diagnostic {
    if d.line == 0 {
        d.at(line, 0)
    } else {
        d
    }
}
