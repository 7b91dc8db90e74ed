//! The YAML tree: nodes that remember where they were written.
//!
//! Every node and every mapping key carries its 1-based line and column in the parsed text, so
//! later stages can point at `post.md:7:10` when a value has the wrong shape. Mappings keep the
//! order of the source. This module only holds data and accessors; parsing lives in `load`.

use std::fmt;

/// A value with the position where it starts (1-based line and column, in characters).
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub line: u32,
    pub col: u32,
}

/// A mapping key: the key's text and where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    pub name: String,
    pub line: u32,
    pub col: u32,
}

/// A YAML value, with plain scalars resolved as Ruby's Psych (YAML 1.1) resolves them.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    /// Quoted scalars, block scalars and plain scalars that are nothing else.
    Str(String),
    Timestamp(Timestamp),
    Seq(Vec<Node>),
    /// In source order; a duplicate key replaces the earlier value in place.
    Map(Vec<(Key, Node)>),
}

/// A YAML 1.1 timestamp: a date, or a date and time with an optional zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timestamp {
    pub year: i32,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
    pub nanosecond: u32,
    /// Zone offset east of UTC; `None` when the text gives no zone (a floating time or a date).
    pub offset_minutes: Option<i32>,
    /// `true` for a bare date (`2024-05-07`).
    pub date_only: bool,
    /// The text as written.
    pub raw: String,
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

impl Node {
    pub fn new(value: Value, line: u32, col: u32) -> Self {
        Node { value, line, col }
    }

    /// The value of `key` in a mapping (the last one if the key is repeated); `None` for a
    /// missing key or when this node is not a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map()?
            .iter()
            .rev()
            .find(|(k, _)| k.name == key)
            .map(|(_, v)| v)
    }

    /// The key entry itself (for its position).
    pub fn get_key(&self, key: &str) -> Option<&Key> {
        self.as_map()?
            .iter()
            .rev()
            .find(|(k, _)| k.name == key)
            .map(|(k, _)| k)
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.value {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self.value {
            Value::Int(i) => Some(i),
            _ => None,
        }
    }

    /// A number as `f64` (integers too).
    pub fn as_f64(&self) -> Option<f64> {
        match self.value {
            Value::Int(i) => Some(i as f64),
            Value::Float(x) => Some(x),
            _ => None,
        }
    }

    pub fn as_timestamp(&self) -> Option<&Timestamp> {
        match &self.value {
            Value::Timestamp(t) => Some(t),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(v) => Some(v),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[(Key, Node)]> {
        match &self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// A scalar as Jekyll would print it with Liquid: `5` → "5", `true` → "true", a timestamp
    /// → its text as written, null → "". `None` for lists and mappings.
    pub fn to_text(&self) -> Option<String> {
        Some(match &self.value {
            Value::Null => String::new(),
            Value::Bool(b) => b.to_string(),
            Value::Int(i) => i.to_string(),
            Value::Float(x) => format_float(*x),
            Value::Str(s) => s.clone(),
            Value::Timestamp(t) => t.raw.clone(),
            Value::Seq(_) | Value::Map(_) => return None,
        })
    }

    /// The kind of value in words, for messages like "expected a list, found a string".
    pub fn type_name(&self) -> &'static str {
        match self.value {
            Value::Null => "nothing (null)",
            Value::Bool(_) => "true/false value",
            Value::Int(_) => "integer",
            Value::Float(_) => "number",
            Value::Str(_) => "string",
            Value::Timestamp(_) => "date",
            Value::Seq(_) => "list",
            Value::Map(_) => "map",
        }
    }

    /// Number of nodes in this subtree (itself included).
    pub(crate) fn size(&self) -> usize {
        1 + match &self.value {
            Value::Seq(v) => v.iter().map(Node::size).sum(),
            Value::Map(m) => m.iter().map(|(_, v)| v.size()).sum(),
            _ => 0,
        }
    }

    /// Nesting depth of this subtree (a scalar is 1).
    pub(crate) fn depth(&self) -> usize {
        1 + match &self.value {
            Value::Seq(v) => v.iter().map(Node::depth).max().unwrap_or(0),
            Value::Map(m) => m.iter().map(|(_, v)| v.depth()).max().unwrap_or(0),
            _ => 0,
        }
    }
}

/// Floats as Ruby prints them: `1.0`, `0.5`, `Infinity`, `NaN`.
fn format_float(x: f64) -> String {
    if x.is_nan() {
        "NaN".into()
    } else if x.is_infinite() {
        if x > 0.0 { "Infinity" } else { "-Infinity" }.into()
    } else if x == x.trunc() && x.abs() < 1e16 {
        format!("{x:.1}")
    } else {
        x.to_string()
    }
}

impl Node {
    /// Moves this node and everything under it down by `delta` lines (for YAML that was cut out
    /// of a larger file).
    pub fn shift_lines(&mut self, delta: u32) {
        self.line += delta;
        match &mut self.value {
            Value::Seq(items) => items.iter_mut().for_each(|n| n.shift_lines(delta)),
            Value::Map(entries) => entries.iter_mut().for_each(|(k, v)| {
                k.line += delta;
                v.shift_lines(delta);
            }),
            _ => {}
        }
    }
}
