//! Liquid values and the Ruby semantics they carry.
//!
//! Liquid is a Ruby library, so what a template prints is what Ruby's `to_s`, `==`, `<=>` and
//! `Array#join` do with the value. This module reproduces those for the value kinds a Jekyll site
//! passes to a post (strings, numbers, booleans, nil, arrays and hashes). It does not know about
//! dates as a separate kind: dates travel as strings and the `date` filter parses them.

use std::cmp::Ordering;
use std::collections::BTreeMap;

/// A hash of named values (`site`, `page`, include parameters, ...).
pub type Object = BTreeMap<String, Value>;

/// A Liquid value.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Value {
    #[default]
    Nil,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Array(Vec<Value>),
    Object(Object),
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Str(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Str(s)
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Self {
        Value::Int(i)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl Value {
    /// Liquid truthiness: only `nil` and `false` are false.
    pub fn is_truthy(&self) -> bool {
        !matches!(self, Value::Nil | Value::Bool(false))
    }

    pub fn is_nil(&self) -> bool {
        matches!(self, Value::Nil)
    }

    /// Ruby's `empty?` where the value has one (strings, arrays, hashes).
    pub fn is_empty(&self) -> Option<bool> {
        match self {
            Value::Str(s) => Some(s.is_empty()),
            Value::Array(a) => Some(a.is_empty()),
            Value::Object(o) => Some(o.is_empty()),
            _ => None,
        }
    }

    /// Rails' `blank?`, as Liquid's `blank` literal compares.
    pub fn is_blank(&self) -> bool {
        match self {
            Value::Nil | Value::Bool(false) => true,
            Value::Str(s) => s.chars().all(char::is_whitespace),
            Value::Array(a) => a.is_empty(),
            Value::Object(o) => o.is_empty(),
            _ => false,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Looks up a key of a hash, or an index of an array (negative counts from the end).
    pub fn get(&self, key: &Value) -> Option<&Value> {
        match (self, key) {
            (Value::Object(o), Value::Str(k)) => o.get(k),
            (Value::Array(a), Value::Int(i)) => {
                let idx = if *i < 0 { a.len() as i64 + i } else { *i };
                usize::try_from(idx).ok().and_then(|i| a.get(i))
            }
            _ => None,
        }
    }

    /// What `{{ value }}` prints: Ruby's `to_s`, arrays joined without separator.
    pub fn render(&self) -> String {
        let mut s = String::new();
        self.render_into(&mut s);
        s
    }

    pub fn render_into(&self, out: &mut String) {
        match self {
            Value::Nil => {}
            Value::Array(items) => items.iter().for_each(|v| v.render_into(out)),
            Value::Str(s) => out.push_str(s),
            other => out.push_str(&other.to_ruby_s()),
        }
    }

    /// Ruby's `to_s` (hashes and nested arrays as Ruby's `inspect`).
    pub fn to_ruby_s(&self) -> String {
        match self {
            Value::Nil => String::new(),
            Value::Bool(b) => b.to_string(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => ruby_float(*f),
            Value::Str(s) => s.clone(),
            Value::Array(_) => self.inspect(),
            Value::Object(_) => self.inspect(),
        }
    }

    /// Ruby's `inspect`, used where Ruby prints a hash or an array inside a string.
    pub fn inspect(&self) -> String {
        match self {
            Value::Nil => "nil".into(),
            Value::Str(s) => format!("{s:?}"),
            Value::Array(a) => {
                let parts: Vec<String> = a.iter().map(Value::inspect).collect();
                format!("[{}]", parts.join(", "))
            }
            Value::Object(o) => {
                let parts: Vec<String> = o
                    .iter()
                    .map(|(k, v)| format!("{k:?}=>{}", v.inspect()))
                    .collect();
                format!("{{{}}}", parts.join(", "))
            }
            other => other.to_ruby_s(),
        }
    }

    /// Ruby's `==` (an integer equals the float of the same value; no other coercion).
    pub fn ruby_eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Int(a), Value::Float(b)) | (Value::Float(b), Value::Int(a)) => *a as f64 == *b,
            (Value::Array(a), Value::Array(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.ruby_eq(y))
            }
            _ => self == other,
        }
    }

    /// Ruby's `<=>` for the kinds that compare; `None` where Ruby raises or returns nil.
    pub fn ruby_cmp(&self, other: &Value) -> Option<Ordering> {
        match (self, other) {
            (Value::Int(a), Value::Int(b)) => Some(a.cmp(b)),
            (Value::Int(a), Value::Float(b)) => (*a as f64).partial_cmp(b),
            (Value::Float(a), Value::Int(b)) => a.partial_cmp(&(*b as f64)),
            (Value::Float(a), Value::Float(b)) => a.partial_cmp(b),
            (Value::Str(a), Value::Str(b)) => Some(a.as_bytes().cmp(b.as_bytes())),
            (Value::Array(a), Value::Array(b)) => {
                for (x, y) in a.iter().zip(b) {
                    match x.ruby_cmp(y)? {
                        Ordering::Equal => {}
                        o => return Some(o),
                    }
                }
                Some(a.len().cmp(&b.len()))
            }
            _ => None,
        }
    }

    /// Ruby class name, for error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Nil => "NilClass",
            Value::Bool(true) => "TrueClass",
            Value::Bool(false) => "FalseClass",
            Value::Int(_) => "Integer",
            Value::Float(_) => "Float",
            Value::Str(_) => "String",
            Value::Array(_) => "Array",
            Value::Object(_) => "Hash",
        }
    }

    /// JSON text (Jekyll's `jsonify`).
    pub fn to_json(&self) -> String {
        let mut s = String::new();
        self.json_into(&mut s);
        s
    }

    fn json_into(&self, out: &mut String) {
        match self {
            Value::Nil => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Int(i) => out.push_str(&i.to_string()),
            Value::Float(f) if f.is_finite() => out.push_str(&ruby_float(*f)),
            Value::Float(_) => out.push_str("null"),
            Value::Str(s) => json_string(s, out),
            Value::Array(a) => {
                out.push('[');
                for (i, v) in a.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    v.json_into(out);
                }
                out.push(']');
            }
            Value::Object(o) => {
                out.push('{');
                for (i, (k, v)) in o.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    json_string(k, out);
                    out.push(':');
                    v.json_into(out);
                }
                out.push('}');
            }
        }
    }
}

/// A JSON string by `serde_json` (RFC 8259, the escapes Ruby's `JSON.generate` writes too).
fn json_string(s: &str, out: &mut String) {
    match serde_json::to_string(s) {
        Ok(j) => out.push_str(&j),
        // Serializing a `str` cannot fail; an empty string keeps the output JSON regardless.
        Err(_) => out.push_str("\"\""),
    }
}

/// Ruby's `Float#to_s`: shortest round-trip digits, `.0` on whole numbers, exponent form
/// below 1e-4 and from 1e16 on.
pub fn ruby_float(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    let abs = f.abs();
    if abs != 0.0 && !(1e-4..1e16).contains(&abs) {
        let e = format!("{f:e}");
        let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
        let mant = if mant.contains('.') {
            mant.to_string()
        } else {
            format!("{mant}.0")
        };
        let (sign, digits) = match exp.strip_prefix('-') {
            Some(d) => ('-', d),
            None => ('+', exp),
        };
        return format!("{mant}e{sign}{digits:0>2}");
    }
    let s = format!("{f:?}");
    if s.contains('.') || s.contains('e') {
        s
    } else {
        format!("{s}.0")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_as_ruby_does() {
        assert_eq!(ruby_float(3.0), "3.0");
        assert_eq!(ruby_float(0.1), "0.1");
        assert_eq!(ruby_float(1e20), "1.0e+20");
        assert_eq!(ruby_float(0.00001), "1.0e-05");
        assert_eq!(ruby_float(-2.5), "-2.5");
    }

    #[test]
    fn arrays_render_joined_and_nil_renders_empty() {
        let v = Value::Array(vec![Value::from("a"), Value::Nil, Value::Int(1)]);
        assert_eq!(v.render(), "a1");
        assert_eq!(Value::Nil.render(), "");
    }

    #[test]
    fn only_nil_and_false_are_falsy() {
        assert!(Value::from("").is_truthy());
        assert!(Value::Int(0).is_truthy());
        assert!(!Value::Nil.is_truthy());
        assert!(!Value::Bool(false).is_truthy());
    }
}
