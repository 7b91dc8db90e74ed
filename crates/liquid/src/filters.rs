//! Liquid's standard filters and Jekyll's filters that need no site data.
//!
//! Each filter follows the Ruby implementation's behaviour on odd input (nil, numbers given to
//! string filters, strings given to array filters), because templates written for Jekyll rely
//! on it. Filters that need the site (`relative_url`, `absolute_url`, `markdownify`) are routed
//! to the host by the renderer and are not here.

use crate::date::{ordinal, DateTime};
use crate::expr::{ruby_to_f, ruby_to_i};
use crate::value::Value;

pub enum FilterError {
    Unknown,
    Failed(String),
    /// The result would be larger than [`MAX_VALUE_BYTES`] (its projected size in bytes).
    TooLarge(usize),
}

/// Largest value one filter may build, in bytes as counted by [`shallow_size`]. Filters that
/// multiply their input (`replace` with a long replacement, `join` with a long glue, `split`
/// into characters, `append` of a value to itself) are checked before they build anything, so
/// a template doubling a string in a loop stops at this size instead of exhausting memory.
pub const MAX_VALUE_BYTES: usize = 16 * 1024 * 1024;

/// What a value costs, as far as it can be known without walking it: a string's bytes, 16
/// bytes per element of a list or hash, 8 for a scalar. Constant time, so it can be charged on
/// every lookup and filter.
pub fn shallow_size(v: &Value) -> usize {
    match v {
        Value::Str(t) => t.len(),
        Value::Array(a) => 16 * a.len(),
        Value::Object(o) => 16 * o.len(),
        _ => 8,
    }
}

/// An upper bound on the size of what a multiplying filter would build (0 for the others,
/// which grow their input by a small factor at most and are measured afterwards).
fn projected_size(name: &str, input: &Value, args: &[Value]) -> usize {
    let arg_len = |i: usize| args.get(i).map_or(0, shallow_size);
    match name {
        "append" | "prepend" => shallow_size(input).saturating_add(arg_len(0)),
        "replace" | "replace_first" => {
            let t = s(input);
            let pat = arg_s(args, 0, "");
            let hits = if name == "replace_first" {
                1
            } else if pat.is_empty() {
                t.chars().count() + 1
            } else {
                t.matches(pat.as_str()).count()
            };
            t.len().saturating_add(hits.saturating_mul(arg_len(1)))
        }
        "join" => match input {
            Value::Array(a) => a
                .iter()
                .map(shallow_size)
                .fold(0usize, usize::saturating_add)
                .saturating_add(a.len().saturating_mul(arg_len(0))),
            other => shallow_size(other),
        },
        "split" => {
            let t = s(input);
            let pat = arg_s(args, 0, " ");
            let parts = if pat.is_empty() {
                t.chars().count()
            } else {
                t.matches(pat.as_str()).count() + 1
            };
            t.len().saturating_add(parts.saturating_mul(16))
        }
        "concat" => shallow_size(input).saturating_add(arg_len(0)),
        "newline_to_br" => {
            let t = s(input);
            t.len() + 6 * t.matches('\n').count()
        }
        _ => 0,
    }
}

type R = Result<Value, FilterError>;

fn s(v: &Value) -> String {
    v.to_ruby_s()
}

fn arg(args: &[Value], i: usize) -> Value {
    args.get(i).cloned().unwrap_or(Value::Nil)
}

fn arg_s(args: &[Value], i: usize, default: &str) -> String {
    match args.get(i) {
        Some(v) => s(v),
        None => default.to_string(),
    }
}

fn to_int(v: &Value) -> i64 {
    match v {
        Value::Int(i) => *i,
        Value::Float(f) => *f as i64,
        Value::Str(t) => ruby_to_i(t),
        _ => 0,
    }
}

/// Liquid's `Utils.to_number`.
fn to_number(v: &Value) -> Value {
    match v {
        Value::Int(_) | Value::Float(_) => v.clone(),
        Value::Str(t) => {
            let t = t.trim();
            let b = t.as_bytes();
            let digits = t.strip_prefix('-').unwrap_or(t);
            if digits.contains('.')
                && digits.split('.').count() == 2
                && digits
                    .split('.')
                    .all(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()))
                && !b.is_empty()
            {
                Value::Float(ruby_to_f(t))
            } else {
                Value::Int(ruby_to_i(t))
            }
        }
        _ => Value::Int(0),
    }
}

fn as_list(v: Value) -> Vec<Value> {
    match v {
        Value::Array(a) => a,
        Value::Nil => Vec::new(),
        other => vec![other],
    }
}

fn flatten_into(v: Value, out: &mut Vec<Value>, depth: u32) {
    match v {
        Value::Array(a) if depth < 64 => {
            a.into_iter().for_each(|x| flatten_into(x, out, depth + 1))
        }
        other => out.push(other),
    }
}

fn flat(v: Value) -> Vec<Value> {
    let mut out = Vec::new();
    match v {
        Value::Nil => {}
        Value::Array(_) => flatten_into(v, &mut out, 0),
        other => out.push(other),
    }
    out
}

fn property(item: &Value, key: &str) -> Value {
    match item {
        Value::Object(o) => o.get(key).cloned().unwrap_or(Value::Nil),
        _ => Value::Nil,
    }
}

/// Ruby's `CGI.escapeHTML`, which Liquid's `escape` filter is.
pub fn escape_html(t: &str) -> String {
    blogtrack_escape::escape(t)
}

fn escape_once(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    let b = t.as_bytes();
    for (i, c) in t.char_indices() {
        match c {
            '&' => {
                let rest = &b[i + 1..];
                let named = rest.iter().take_while(|c| c.is_ascii_alphabetic()).count();
                let numeric = if rest.first() == Some(&b'#') {
                    rest[1..].iter().take_while(|c| c.is_ascii_digit()).count()
                } else {
                    0
                };
                let is_entity = (named > 0 && rest.get(named) == Some(&b';'))
                    || (numeric > 0 && rest.get(numeric + 1) == Some(&b';'));
                out.push_str(if is_entity { "&" } else { "&amp;" });
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Ruby's `CGI.escape`.
fn cgi_escape(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    for &b in t.as_bytes() {
        match b {
            b' ' => out.push('+'),
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_' | b'.' | b'-' | b'~' | b'*' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn url_decode(t: &str) -> String {
    let b = t.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                match u8::from_str_radix(t.get(i + 1..i + 3).unwrap_or(""), 16) {
                    Ok(v) => {
                        out.push(v);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Jekyll's `slugify` in its default mode.
pub fn slugify(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    let mut dash = false;
    for c in t.chars() {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        } else {
            dash = true;
        }
    }
    out
}

fn strip_html(t: &str) -> String {
    let lower = t.to_ascii_lowercase();
    let mut out = String::with_capacity(t.len());
    let mut i = 0;
    while i < t.len() {
        let rest = &lower[i..];
        let skip_to = if rest.starts_with("<script") {
            rest.find("</script>").map(|e| e + 9)
        } else if rest.starts_with("<style") {
            rest.find("</style>").map(|e| e + 8)
        } else if rest.starts_with("<!--") {
            rest.find("-->").map(|e| e + 3)
        } else if rest.starts_with('<') {
            rest.find('>').map(|e| e + 1)
        } else {
            None
        };
        match skip_to {
            Some(n) => i += n,
            None => {
                let next = rest[1..].find('<').map_or(t.len(), |p| i + 1 + p);
                out.push_str(&t[i..next]);
                i = next;
            }
        }
    }
    out
}

fn ruby_strip(t: &str) -> &str {
    t.trim_matches(|c: char| c.is_ascii_whitespace() || c == '\0' || c == '\x0b')
}

/// Ruby's `String#split(pattern)`: `" "` splits on runs of whitespace, an empty pattern into
/// characters, and trailing empty fields are dropped.
fn ruby_split(t: &str, pat: &str) -> Vec<Value> {
    let mut parts: Vec<&str> = if pat == " " {
        t.split_ascii_whitespace().collect()
    } else if pat.is_empty() {
        t.char_indices()
            .map(|(i, c)| &t[i..i + c.len_utf8()])
            .collect()
    } else {
        t.split(pat).collect()
    };
    while parts.last() == Some(&"") {
        parts.pop();
    }
    parts.into_iter().map(Value::from).collect()
}

fn arith(name: &str, a: Value, b: Value) -> R {
    let (a, b) = (to_number(&a), to_number(&b));
    let fail = |m: &str| Err(FilterError::Failed(m.to_string()));
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => match name {
            "plus" => Ok(Value::Int(x.wrapping_add(y))),
            "minus" => Ok(Value::Int(x.wrapping_sub(y))),
            "times" => Ok(Value::Int(x.wrapping_mul(y))),
            "divided_by" if y == 0 => fail("divided by 0"),
            "divided_by" => {
                let q = x.wrapping_div(y);
                let floor = x.wrapping_rem(y) != 0 && ((x < 0) != (y < 0));
                Ok(Value::Int(if floor { q - 1 } else { q }))
            }
            "modulo" if y == 0 => fail("divided by 0"),
            "modulo" => {
                let r = x.wrapping_rem(y);
                Ok(Value::Int(if r != 0 && ((r < 0) != (y < 0)) {
                    r + y
                } else {
                    r
                }))
            }
            _ => Err(FilterError::Unknown),
        },
        (x, y) => {
            let fx = match x {
                Value::Int(i) => i as f64,
                Value::Float(f) => f,
                _ => 0.0,
            };
            let fy = match y {
                Value::Int(i) => i as f64,
                Value::Float(f) => f,
                _ => 0.0,
            };
            match name {
                "plus" => Ok(Value::Float(fx + fy)),
                "minus" => Ok(Value::Float(fx - fy)),
                "times" => Ok(Value::Float(fx * fy)),
                "divided_by" => Ok(Value::Float(fx / fy)),
                "modulo" if fy == 0.0 => fail("divided by 0"),
                "modulo" => Ok(Value::Float(fx - fy * (fx / fy).floor())),
                _ => Err(FilterError::Unknown),
            }
        }
    }
}

fn to_date(v: &Value) -> Option<DateTime> {
    match v {
        Value::Int(i) => Some(DateTime::from_timestamp(*i)),
        Value::Str(t) => DateTime::parse(t),
        _ => None,
    }
}

fn date_filter(input: Value, fmt: &str) -> R {
    if fmt.is_empty() {
        return Ok(input);
    }
    match to_date(&input) {
        Some(d) => Ok(Value::Str(d.strftime(fmt))),
        None => Ok(input),
    }
}

fn date_to_string(input: Value, long: bool, args: &[Value]) -> R {
    let Some(d) = to_date(&input) else {
        return Ok(input);
    };
    let month = if long { "%B" } else { "%b" };
    let ordinal_style = args.first().and_then(Value::as_str) == Some("ordinal");
    let us = args.get(1).and_then(Value::as_str) == Some("US");
    let out = if ordinal_style {
        let day = ordinal(d.day);
        if us {
            format!("{} {day}, {}", d.strftime(month), d.year)
        } else {
            format!("{day} {}", d.strftime(&format!("{month} %Y")))
        }
    } else {
        d.strftime(&format!("%d {month} %Y"))
    };
    Ok(Value::Str(out))
}

fn sort_values(mut items: Vec<Value>, key: Option<&str>) -> Vec<Value> {
    let k = |v: &Value| match key {
        Some(k) => property(v, k),
        None => v.clone(),
    };
    items.sort_by(|a, b| {
        let (x, y) = (k(a), k(b));
        match (x.is_nil(), y.is_nil()) {
            (true, true) => std::cmp::Ordering::Equal,
            (true, false) => std::cmp::Ordering::Less,
            (false, true) => std::cmp::Ordering::Greater,
            _ => x.ruby_cmp(&y).unwrap_or(std::cmp::Ordering::Equal),
        }
    });
    items
}

/// Applies a standard filter. `Err(Unknown)` when the name is not a filter we know.
pub fn apply(name: &str, input: Value, args: &[Value]) -> R {
    let projected = projected_size(name, &input, args);
    if projected > MAX_VALUE_BYTES {
        return Err(FilterError::TooLarge(projected));
    }
    let v = match name {
        "escape" | "h" => match input {
            Value::Nil => Value::Nil,
            other => Value::Str(escape_html(&s(&other))),
        },
        "escape_once" => Value::Str(escape_once(&s(&input))),
        "xml_escape" => match input {
            Value::Nil => Value::Nil,
            other => Value::Str(
                s(&other)
                    .replace('&', "&amp;")
                    .replace('<', "&lt;")
                    .replace('>', "&gt;")
                    .replace('"', "&quot;"),
            ),
        },
        "cgi_escape" | "url_encode" => match input {
            Value::Nil => Value::Nil,
            other => Value::Str(cgi_escape(&s(&other))),
        },
        "uri_escape" => Value::Str(
            s(&input)
                .bytes()
                .map(|b| {
                    if b.is_ascii_alphanumeric() || b"-_.!~*'();/?:@&=+$,#[]%".contains(&b) {
                        (b as char).to_string()
                    } else {
                        format!("%{b:02X}")
                    }
                })
                .collect(),
        ),
        "url_decode" => Value::Str(url_decode(&s(&input))),
        "slugify" => Value::Str(slugify(&s(&input))),
        "downcase" => Value::Str(s(&input).to_lowercase()),
        "upcase" => Value::Str(s(&input).to_uppercase()),
        "capitalize" => {
            let t = s(&input);
            let mut c = t.chars();
            Value::Str(match c.next() {
                Some(f) => f
                    .to_uppercase()
                    .chain(c.flat_map(char::to_lowercase))
                    .collect(),
                None => String::new(),
            })
        }
        "strip" => Value::Str(ruby_strip(&s(&input)).to_string()),
        "lstrip" => Value::Str(
            s(&input)
                .trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '\0')
                .to_string(),
        ),
        "rstrip" => Value::Str(
            s(&input)
                .trim_end_matches(|c: char| c.is_ascii_whitespace() || c == '\0')
                .to_string(),
        ),
        "strip_html" => Value::Str(strip_html(&s(&input))),
        "strip_newlines" => Value::Str(s(&input).replace("\r\n", "").replace('\n', "")),
        "newline_to_br" => Value::Str(s(&input).replace('\n', "<br />\n")),
        "normalize_whitespace" => {
            Value::Str(s(&input).split_whitespace().collect::<Vec<_>>().join(" "))
        }
        "append" => Value::Str(s(&input) + &arg_s(args, 0, "")),
        "prepend" => Value::Str(arg_s(args, 0, "") + &s(&input)),
        "remove" => Value::Str(s(&input).replace(&arg_s(args, 0, ""), "")),
        "remove_first" => Value::Str(s(&input).replacen(&arg_s(args, 0, ""), "", 1)),
        "replace" => Value::Str(s(&input).replace(&arg_s(args, 0, ""), &arg_s(args, 1, ""))),
        "replace_first" => {
            Value::Str(s(&input).replacen(&arg_s(args, 0, ""), &arg_s(args, 1, ""), 1))
        }
        "split" => Value::Array(ruby_split(&s(&input), &arg_s(args, 0, " "))),
        "join" => {
            let glue = arg_s(args, 0, " ");
            let parts: Vec<String> = flat(input).iter().map(s).collect();
            Value::Str(parts.join(&glue))
        }
        "first" => match input {
            Value::Array(a) => a.into_iter().next().unwrap_or(Value::Nil),
            _ => Value::Nil,
        },
        "last" => match input {
            Value::Array(mut a) => a.pop().unwrap_or(Value::Nil),
            _ => Value::Nil,
        },
        "size" => Value::Int(match &input {
            Value::Str(t) => t.chars().count() as i64,
            Value::Array(a) => a.len() as i64,
            Value::Object(o) => o.len() as i64,
            Value::Int(_) => 8,
            _ => 0,
        }),
        "default" => {
            let use_default = match &input {
                Value::Nil | Value::Bool(false) => true,
                other => other.is_empty() == Some(true),
            };
            if use_default {
                arg(args, 0)
            } else {
                input
            }
        }
        "date" => return date_filter(input, &arg_s(args, 0, "")),
        "date_to_string" => return date_to_string(input, false, args),
        "date_to_long_string" => return date_to_string(input, true, args),
        "date_to_xmlschema" => return date_filter(input, "%Y-%m-%dT%H:%M:%S%:z"),
        "date_to_rfc822" => return date_filter(input, "%a, %d %b %Y %H:%M:%S %z"),
        "where" => {
            let key = arg_s(args, 0, "");
            let want = arg(args, 1);
            let want_s = s(&want);
            Value::Array(
                as_list(input)
                    .into_iter()
                    .filter(|item| match property(item, &key) {
                        Value::Array(a) => a.iter().any(|x| s(x) == want_s),
                        Value::Nil => want.is_nil() || want_s.is_empty(),
                        p => s(&p) == want_s,
                    })
                    .collect(),
            )
        }
        "sort" => Value::Array(sort_values(
            as_list(input),
            args.first().and_then(Value::as_str),
        )),
        "sort_natural" => {
            let mut items = as_list(input);
            items.sort_by_key(|v| s(v).to_lowercase());
            Value::Array(items)
        }
        "reverse" => {
            let mut items = as_list(input);
            items.reverse();
            Value::Array(items)
        }
        "uniq" => {
            let mut out: Vec<Value> = Vec::new();
            for v in as_list(input) {
                if !out.iter().any(|o| o.ruby_eq(&v)) {
                    out.push(v);
                }
            }
            Value::Array(out)
        }
        "compact" => Value::Array(as_list(input).into_iter().filter(|v| !v.is_nil()).collect()),
        "concat" => {
            let mut a = as_list(input);
            a.extend(as_list(arg(args, 0)));
            Value::Array(a)
        }
        "map" => {
            let key = arg_s(args, 0, "");
            Value::Array(flat(input).iter().map(|v| property(v, &key)).collect())
        }
        "slice" => {
            let start = to_int(&arg(args, 0));
            let len = args.get(1).map_or(1, to_int).max(0);
            match input {
                Value::Array(a) => {
                    let n = a.len() as i64;
                    let st = if start < 0 { n + start } else { start };
                    if st < 0 || st > n {
                        Value::Nil
                    } else {
                        Value::Array(a.into_iter().skip(st as usize).take(len as usize).collect())
                    }
                }
                other => {
                    let chars: Vec<char> = s(&other).chars().collect();
                    let n = chars.len() as i64;
                    let st = if start < 0 { n + start } else { start };
                    if st < 0 || st > n {
                        Value::Nil
                    } else {
                        Value::Str(chars.iter().skip(st as usize).take(len as usize).collect())
                    }
                }
            }
        }
        "truncate" => {
            if input.is_nil() {
                return Ok(Value::Nil);
            }
            let t = s(&input);
            let len = args.first().map_or(50, to_int).max(0) as usize;
            let ell = arg_s(args, 1, "...");
            let chars: Vec<char> = t.chars().collect();
            if chars.len() > len {
                let keep = len.saturating_sub(ell.chars().count());
                Value::Str(chars[..keep].iter().collect::<String>() + &ell)
            } else {
                Value::Str(t)
            }
        }
        "truncatewords" => {
            if input.is_nil() {
                return Ok(Value::Nil);
            }
            let t = s(&input);
            let n = args.first().map_or(15, to_int).max(1) as usize;
            let ell = arg_s(args, 1, "...");
            let words: Vec<&str> = t.split_ascii_whitespace().collect();
            if words.len() > n {
                Value::Str(words[..n].join(" ") + &ell)
            } else {
                Value::Str(t)
            }
        }
        "number_of_words" => Value::Int(s(&input).split_whitespace().count() as i64),
        "plus" | "minus" | "times" | "divided_by" | "modulo" => {
            return arith(name, input, arg(args, 0))
        }
        "abs" => match to_number(&input) {
            Value::Int(i) => Value::Int(i.wrapping_abs()),
            Value::Float(f) => Value::Float(f.abs()),
            other => other,
        },
        "ceil" | "floor" | "round" => {
            let f = match to_number(&input) {
                Value::Int(i) => i as f64,
                Value::Float(f) => f,
                _ => 0.0,
            };
            let digits = args.first().map_or(0, to_int);
            if name == "round" && digits > 0 {
                let p = 10f64.powi(digits.min(15) as i32);
                Value::Float((f * p).round() / p)
            } else {
                let r = match name {
                    "ceil" => f.ceil(),
                    "floor" => f.floor(),
                    _ => f.round(),
                };
                Value::Int(r as i64)
            }
        }
        "at_least" | "at_most" => {
            let (a, b) = (to_number(&input), to_number(&arg(args, 0)));
            let pick_b = match a.ruby_cmp(&b) {
                Some(std::cmp::Ordering::Less) => name == "at_least",
                Some(std::cmp::Ordering::Greater) => name == "at_most",
                _ => false,
            };
            if pick_b {
                b
            } else {
                a
            }
        }
        "jsonify" => Value::Str(input.to_json()),
        "inspect" => Value::Str(input.inspect()),
        "array_to_sentence_string" => {
            let conn = arg_s(args, 0, "and");
            let items: Vec<String> = as_list(input).iter().map(s).collect();
            Value::Str(match items.len() {
                0 => String::new(),
                1 => items[0].clone(),
                2 => format!("{} {conn} {}", items[0], items[1]),
                n => format!("{}, {conn} {}", items[..n - 1].join(", "), items[n - 1]),
            })
        }
        _ => return Err(FilterError::Unknown),
    };
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(name: &str, input: impl Into<Value>, args: &[Value]) -> String {
        match apply(name, input.into(), args) {
            Ok(v) => v.render(),
            Err(FilterError::Unknown) => "<unknown>".into(),
            Err(FilterError::Failed(m)) => format!("<error {m}>"),
            Err(FilterError::TooLarge(n)) => format!("<too large {n}>"),
        }
    }

    #[test]
    fn string_filters() {
        assert_eq!(
            f("escape", "<a href='x'>&</a>", &[]),
            "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;"
        );
        assert_eq!(f("escape_once", "&amp; & <", &[]), "&amp; &amp; &lt;");
        assert_eq!(
            f("slugify", "  Hello, World! 2024 ", &[]),
            "hello-world-2024"
        );
        assert_eq!(f("cgi_escape", "a b&c/é", &[]), "a+b%26c%2F%C3%A9");
        assert_eq!(f("capitalize", "hELLO world", &[]), "Hello world");
        assert_eq!(
            f("strip_html", "a<b>c</b><!-- x -->d<script>e</script>", &[]),
            "acd"
        );
        assert_eq!(f("truncate", "abcdefghij", &[Value::Int(5)]), "ab...");
        assert_eq!(f("truncatewords", "a b c d", &[Value::Int(3)]), "a b c...");
        assert_eq!(f("truncatewords", "a b c", &[Value::Int(3)]), "a b c");
        assert_eq!(f("newline_to_br", "a\nb", &[]), "a<br />\nb");
    }

    #[test]
    fn arithmetic_follows_ruby() {
        assert_eq!(f("divided_by", 10, &[Value::Int(3)]), "3");
        assert_eq!(f("divided_by", -7, &[Value::Int(2)]), "-4");
        assert_eq!(f("modulo", -7, &[Value::Int(3)]), "2");
        assert_eq!(f("plus", "3.5", &[Value::Int(1)]), "4.5");
        assert_eq!(f("divided_by", 1, &[Value::Int(0)]), "<error divided by 0>");
        assert_eq!(f("times", 3, &[Value::Float(0.5)]), "1.5");
    }

    #[test]
    fn array_filters() {
        let a = Value::Array(vec![Value::from("b"), Value::from("a"), Value::from("b")]);
        assert_eq!(f("join", a.clone(), &[Value::from(",")]), "b,a,b");
        assert_eq!(f("sort", a.clone(), &[]), "abb");
        assert_eq!(f("uniq", a.clone(), &[]), "ba");
        assert_eq!(f("size", a, &[]), "3");
        assert_eq!(f("split", " a  b ", &[Value::from(" ")]), "ab");
        assert_eq!(f("first", "abc", &[]), "");
        assert_eq!(f("size", 5, &[]), "8");
    }

    #[test]
    fn date_filters() {
        assert_eq!(
            f("date", "2024-05-07", &[Value::from("%B %-d, %Y")]),
            "May 7, 2024"
        );
        assert_eq!(f("date_to_string", "2024-05-07", &[]), "07 May 2024");
        assert_eq!(f("date_to_long_string", "2024-05-07", &[]), "07 May 2024");
        assert_eq!(
            f("date_to_xmlschema", "2024-05-07", &[]),
            "2024-05-07T00:00:00+00:00"
        );
        assert_eq!(f("date", "not a date", &[Value::from("%Y")]), "not a date");
    }

    #[test]
    fn unknown_filters_are_reported_as_unknown() {
        assert_eq!(f("no_such_filter", "x", &[]), "<unknown>");
    }
}
