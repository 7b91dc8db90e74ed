//! Lax-mode parsing of expressions, outputs (`expr | filter: args`) and conditions.
//!
//! Ruby Liquid's lax parser never rejects an output: it takes the first "quoted fragment" of the
//! markup as the expression, picks filters out of what follows, and turns anything it does not
//! understand into a variable lookup that evaluates to nil. This module mirrors that, so
//! `{{<tmfigure src="x">}}` is the lookup `tmfigure` (nil, prints nothing) exactly as in Jekyll.
//! Evaluation lives in `render`; this module only builds the trees.

use crate::lex::{find_quoted_fragment, is_space, is_word, quoted_fragment_at, skip_space};
use crate::value::Value;

/// An expression: a literal, a range or a variable lookup.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Lit(Value),
    /// The `empty` literal (compares equal to empty strings, arrays and hashes).
    Empty,
    /// The `blank` literal.
    Blank,
    Range(Box<Expr>, Box<Expr>),
    Lookup(Box<Lookup>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Lookup {
    pub name: Segment,
    pub path: Vec<Segment>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Segment {
    /// `.name` (or the first name); `size`, `first` and `last` also act as commands.
    Name(String),
    /// `[expr]`.
    Index(Expr),
}

/// An output or an assigned value: an expression and its filters.
#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    pub expr: Option<Expr>,
    pub filters: Vec<Filter>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    pub name: String,
    pub args: Vec<Expr>,
}

/// One comparison of a condition: `left [op right]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub left: Expr,
    pub op: Option<Op>,
    pub right: Expr,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Gt,
    Le,
    Ge,
    Contains,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Logic {
    And,
    Or,
}

/// `c0 op0 c1 op1 c2 ...`, grouped from the right as Liquid does: `a and b or c` is
/// `a and (b or c)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub parts: Vec<Comparison>,
    pub logic: Vec<Logic>,
}

impl Expr {
    /// Liquid's `Expression.parse` on an already isolated fragment.
    pub fn parse(markup: &str) -> Expr {
        Self::parse_depth(markup, 0)
    }

    fn parse_depth(markup: &str, depth: u32) -> Expr {
        let m = markup.trim_matches(|c: char| c.is_ascii_whitespace());
        match m {
            "" | "nil" | "null" => return Expr::Lit(Value::Nil),
            "true" => return Expr::Lit(Value::Bool(true)),
            "false" => return Expr::Lit(Value::Bool(false)),
            "empty" => return Expr::Empty,
            "blank" => return Expr::Blank,
            _ => {}
        }
        let b = m.as_bytes();
        if b.len() >= 2
            && ((b[0] == b'\'' && b[b.len() - 1] == b'\'')
                || (b[0] == b'"' && b[b.len() - 1] == b'"'))
        {
            return Expr::Lit(Value::Str(m[1..m.len() - 1].to_string()));
        }
        if let Some(i) = parse_int(m) {
            return Expr::Lit(Value::Int(i));
        }
        if depth < 4 {
            if let Some((a, z)) = range_parts(m) {
                return Expr::Range(
                    Box::new(Self::parse_depth(a, depth + 1)),
                    Box::new(Self::parse_depth(z, depth + 1)),
                );
            }
        }
        if let Some(f) = parse_float_literal(m) {
            return Expr::Lit(Value::Float(f));
        }
        Expr::Lookup(Box::new(Lookup::parse(m, depth)))
    }
}

/// `\A-?\d+\z`.
fn parse_int(m: &str) -> Option<i64> {
    let digits = m.strip_prefix('-').unwrap_or(m);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match m.parse::<i64>() {
        Ok(i) => Some(i),
        Err(_) => Some(if m.starts_with('-') {
            i64::MIN
        } else {
            i64::MAX
        }),
    }
}

/// `\A-?\d[\d\.]+\z`, converted as Ruby's `to_f` (stops at the second dot).
fn parse_float_literal(m: &str) -> Option<f64> {
    let digits = m.strip_prefix('-').unwrap_or(m);
    let b = digits.as_bytes();
    if b.len() < 2 || !b[0].is_ascii_digit() || !b.iter().all(|c| c.is_ascii_digit() || *c == b'.')
    {
        return None;
    }
    Some(ruby_to_f(m))
}

/// Ruby's `String#to_f`: the longest leading decimal number, 0.0 if none.
pub fn ruby_to_f(s: &str) -> f64 {
    let s = s.trim_start();
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'-' | b'+')) {
        i += 1;
    }
    let int_start = i;
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    if i == int_start {
        return 0.0;
    }
    if b.get(i) == Some(&b'.') && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
        i += 1;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        if matches!(b.get(j), Some(b'-' | b'+')) {
            j += 1;
        }
        if b.get(j).is_some_and(u8::is_ascii_digit) {
            while b.get(j).is_some_and(u8::is_ascii_digit) {
                j += 1;
            }
            i = j;
        }
    }
    s[..i].parse().unwrap_or(0.0)
}

/// Ruby's `String#to_i`: the leading integer, 0 if none.
pub fn ruby_to_i(s: &str) -> i64 {
    let s = s.trim_start();
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'-' | b'+')) {
        i += 1;
    }
    let start = i;
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    if i == start {
        return 0;
    }
    s[..i]
        .parse()
        .unwrap_or(if b[0] == b'-' { i64::MIN } else { i64::MAX })
}

/// `\A\((\S+)\.\.(\S+)\)\z`.
fn range_parts(m: &str) -> Option<(&str, &str)> {
    let inner = m.strip_prefix('(')?.strip_suffix(')')?;
    if inner.bytes().any(is_space) {
        return None;
    }
    // `\S+` is greedy: the split is at the last `..` that leaves a non-empty right side.
    let idx = inner
        .rmatch_indices("..")
        .find(|(i, _)| *i > 0 && i + 2 < inner.len())?
        .0;
    Some((&inner[..idx], &inner[idx + 2..]))
}

impl Lookup {
    /// Liquid's `VariableLookup`: segments are `[...]` or runs of `[\w-]` (with an optional `?`).
    fn parse(m: &str, depth: u32) -> Lookup {
        let b = m.as_bytes();
        let mut segs = Vec::new();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'[' {
                if let Some(j) = memchr::memchr(b']', &b[i + 1..]) {
                    if j > 0 {
                        let inner = &m[i + 1..i + 1 + j];
                        segs.push(Segment::Index(Expr::parse_depth(inner, depth + 1)));
                        i += j + 2;
                        continue;
                    }
                }
                i += 1;
            } else if is_word(b[i]) || b[i] == b'-' {
                let s = i;
                while i < b.len() && (is_word(b[i]) || b[i] == b'-') {
                    i += 1;
                }
                if b.get(i) == Some(&b'?') {
                    i += 1;
                }
                segs.push(Segment::Name(m[s..i].to_string()));
            } else {
                i += 1;
            }
        }
        let mut it = segs.into_iter();
        let name = it.next().unwrap_or(Segment::Name(String::new()));
        Lookup {
            name,
            path: it.collect(),
        }
    }
}

impl Output {
    /// Liquid's lax `Variable` parse of the markup between `{{` and `}}`.
    pub fn parse(markup: &str) -> Output {
        let b = markup.as_bytes();
        let Some((s, e)) = find_quoted_fragment(b, 0) else {
            return Output {
                expr: None,
                filters: Vec::new(),
            };
        };
        let expr = Some(Expr::parse(&markup[s..e]));
        let mut filters = Vec::new();
        if let Some(p) = memchr::memchr(b'|', &b[e..]) {
            let fm = &markup[e + p + 1..];
            for chunk in filter_chunks(fm.as_bytes()) {
                if let Some(f) = parse_filter(&fm[chunk.0..chunk.1]) {
                    filters.push(f);
                }
            }
        }
        Output { expr, filters }
    }
}

/// Liquid's `FilterParser` scan: maximal runs of whitespace, quoted fragments and commas.
fn filter_chunks(b: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let start = i;
        loop {
            if i < b.len() && (is_space(b[i]) || b[i] == b',') {
                i += 1;
            } else if let Some(e) = quoted_fragment_at(b, i) {
                i = e;
            } else {
                break;
            }
        }
        if i > start {
            out.push((start, i));
        } else {
            i += 1;
        }
    }
    out
}

/// One filter chunk: the name is its first `\w+`, the arguments follow `:` or `,`.
fn parse_filter(f: &str) -> Option<Filter> {
    let b = f.as_bytes();
    let ns = b.iter().position(|&c| is_word(c))?;
    let ne = ns + b[ns..].iter().take_while(|&&c| is_word(c)).count();
    let name = f[ns..ne].to_string();
    let mut args = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b':' || b[i] == b',' {
            let j = skip_space(b, i + 1);
            if let Some(e) = quoted_fragment_at(b, j) {
                let arg = &f[j..e];
                // `key: value` keyword arguments are not used by the filters we support.
                if !is_keyword_arg(arg, b, e) {
                    args.push(Expr::parse(arg));
                }
                i = e;
                continue;
            }
        }
        i += 1;
    }
    Some(Filter { name, args })
}

fn is_keyword_arg(arg: &str, b: &[u8], end: usize) -> bool {
    let a = arg.as_bytes();
    let word_then_colon =
        !a.is_empty() && a[a.len() - 1] == b':' && a[..a.len() - 1].iter().all(|&c| is_word(c));
    let word_colon_value = a
        .iter()
        .position(|&c| c == b':')
        .is_some_and(|p| p > 0 && a[..p].iter().all(|&c| is_word(c)) && p + 1 < a.len());
    let followed_by_colon =
        b.get(skip_space(b, end)) == Some(&b':') && a.iter().all(|&c| is_word(c));
    word_then_colon || word_colon_value || followed_by_colon
}

impl Condition {
    /// Liquid's lax `if` markup: comparisons joined by `and`/`or`. `None` when it has none.
    pub fn parse(markup: &str) -> Result<Condition, String> {
        let b = markup.as_bytes();
        let mut groups: Vec<(usize, usize)> = Vec::new();
        let mut logic = Vec::new();
        let mut cur: Option<(usize, usize)> = None;
        let mut i = skip_space(b, 0);
        while i < b.len() {
            let e = quoted_fragment_at(b, i)
                .unwrap_or_else(|| i + b[i..].iter().take_while(|&&c| !is_space(c)).count());
            let word = &markup[i..e];
            if word == "and" || word == "or" {
                groups.push(cur.take().unwrap_or((i, i)));
                logic.push(if word == "and" { Logic::And } else { Logic::Or });
            } else {
                cur = Some(match cur {
                    Some((s, _)) => (s, e),
                    None => (i, e),
                });
            }
            i = skip_space(b, e.max(i + 1));
        }
        groups.push(cur.unwrap_or((b.len(), b.len())));
        let mut parts = Vec::with_capacity(groups.len());
        for (s, e) in groups {
            parts.push(Comparison::parse(&markup[s..e])?);
        }
        Ok(Condition { parts, logic })
    }
}

impl Comparison {
    /// `(QuotedFragment)\s*([=!<>a-z_]+)?\s*(QuotedFragment)?`, unanchored.
    pub fn parse(m: &str) -> Result<Comparison, String> {
        let b = m.as_bytes();
        let Some((ls, le)) = find_quoted_fragment(b, 0) else {
            return Err(format!("no expression in `{}`", m.trim()));
        };
        let left = Expr::parse(&m[ls..le]);
        let i = skip_space(b, le);
        let oe = i + b[i..]
            .iter()
            .take_while(|&&c| matches!(c, b'=' | b'!' | b'<' | b'>' | b'a'..=b'z' | b'_'))
            .count();
        if oe == i {
            return Ok(Comparison {
                left,
                op: None,
                right: Expr::Lit(Value::Nil),
            });
        }
        let op = match &m[i..oe] {
            "==" => Op::Eq,
            "!=" | "<>" => Op::Ne,
            "<" => Op::Lt,
            ">" => Op::Gt,
            "<=" => Op::Le,
            ">=" => Op::Ge,
            "contains" => Op::Contains,
            other => return Err(format!("unknown operator `{other}`")),
        };
        let j = skip_space(b, oe);
        let right = match quoted_fragment_at(b, j) {
            Some(e) => Expr::parse(&m[j..e]),
            None => Expr::Lit(Value::Nil),
        };
        Ok(Comparison {
            left,
            op: Some(op),
            right,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(name: &str, path: &[&str]) -> Expr {
        Expr::Lookup(Box::new(Lookup {
            name: Segment::Name(name.into()),
            path: path.iter().map(|p| Segment::Name(p.to_string())).collect(),
        }))
    }

    #[test]
    fn literals_and_lookups() {
        assert_eq!(Expr::parse("'a'"), Expr::Lit(Value::from("a")));
        assert_eq!(Expr::parse("-3"), Expr::Lit(Value::Int(-3)));
        assert_eq!(Expr::parse("1.5"), Expr::Lit(Value::Float(1.5)));
        assert_eq!(Expr::parse("site.baseurl"), lookup("site", &["baseurl"]));
        assert_eq!(
            Expr::parse("(1..n)"),
            Expr::Range(
                Box::new(Expr::Lit(Value::Int(1))),
                Box::new(lookup("n", &[]))
            )
        );
    }

    #[test]
    fn hugo_shortcodes_become_a_nil_lookup() {
        let o = Output::parse(r#"<tmfigure src="x.svg" class="invertible" >"#);
        assert_eq!(o.expr, Some(lookup("tmfigure", &[])));
        assert!(o.filters.is_empty());
    }

    #[test]
    fn filters_and_arguments() {
        let o = Output::parse(r#" 'a/b' | replace: "a", 'c' | relative_url "#);
        assert_eq!(o.filters.len(), 2);
        assert_eq!(o.filters[0].name, "replace");
        assert_eq!(o.filters[0].args.len(), 2);
        assert_eq!(o.filters[1].name, "relative_url");
    }

    #[test]
    fn conditions_split_on_and_or() {
        let c =
            Condition::parse("a == 1 and b or c contains 'x y'").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.parts.len(), 3);
        assert_eq!(c.logic, vec![Logic::And, Logic::Or]);
        assert_eq!(c.parts[2].op, Some(Op::Contains));
        assert!(Condition::parse("a =~ b").is_err());
    }
}
