//! Typed reading of YAML values with precise "expected X, found Y" diagnostics.
//!
//! Front matter and config values come in many shapes (a string where a list is expected, a
//! number where a string is); these helpers accept what Jekyll accepted and report the rest with
//! the value's line and column.

use blogtrack_diag::Diagnostic;
use blogtrack_yaml::{Node, Value};

/// A map node and the diagnostics sink that reading from it reports to.
pub struct Fields<'a> {
    node: &'a Node,
    diags: &'a mut Vec<Diagnostic>,
}

impl<'a> Fields<'a> {
    pub fn new(node: &'a Node, diags: &'a mut Vec<Diagnostic>) -> Self {
        Fields { node, diags }
    }

    fn type_error(&mut self, key: &str, n: &Node, expected: &str, hint: &str) {
        self.diags.push(
            Diagnostic::error(
                "front-matter-type",
                format!("`{key}` must be {expected}, found {}", n.type_name()),
            )
            .at(n.line, n.col)
            .with_hint(hint.to_string()),
        );
    }

    /// Reports a problem found in a value read from this map.
    pub fn report(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    /// A scalar as text (numbers, booleans and dates are converted as Jekyll printed them).
    /// Null is absent. A list of strings is joined with spaces (some descriptions are lists).
    pub fn text(&mut self, key: &str) -> Option<String> {
        let n = self.node.get(key)?;
        match &n.value {
            Value::Null => None,
            Value::Seq(items) => {
                let parts: Vec<String> = items.iter().filter_map(text_of).collect();
                if parts.len() == items.len() {
                    Some(parts.join(" "))
                } else {
                    self.type_error(
                        key,
                        n,
                        "text",
                        "write the value on one line after the colon",
                    );
                    None
                }
            }
            Value::Map(_) => {
                self.type_error(
                    key,
                    n,
                    "text",
                    "if the value contains `: `, put it in quotes",
                );
                None
            }
            _ => text_of(n),
        }
    }

    pub fn bool(&mut self, key: &str) -> Option<bool> {
        let n = self.node.get(key)?;
        match &n.value {
            Value::Null => None,
            Value::Bool(b) => Some(*b),
            Value::Str(s) => match s.trim().to_ascii_lowercase().as_str() {
                "true" | "yes" | "on" => Some(true),
                "false" | "no" | "off" => Some(false),
                _ => {
                    self.type_error(key, n, "true or false", "write `true` or `false`");
                    None
                }
            },
            _ => {
                self.type_error(key, n, "true or false", "write `true` or `false`");
                None
            }
        }
    }

    pub fn u64(&mut self, key: &str) -> Option<u64> {
        let n = self.node.get(key)?;
        match &n.value {
            Value::Null => None,
            Value::Int(i) if *i >= 0 => Some(*i as u64),
            _ => {
                self.type_error(
                    key,
                    n,
                    "a whole number",
                    "write digits only, e.g. `10485760`",
                );
                None
            }
        }
    }

    /// A string or a list of strings (`tags: a b` is split on spaces as Jekyll did).
    pub fn string_list(&mut self, key: &str) -> Vec<String> {
        let Some(n) = self.node.get(key) else {
            return Vec::new();
        };
        match &n.value {
            Value::Null => Vec::new(),
            Value::Seq(items) => items.iter().filter_map(text_of).collect(),
            Value::Map(_) => {
                self.type_error(key, n, "a list", "write `- item` lines, or `[a, b]`");
                Vec::new()
            }
            _ => text_of(n)
                .map(|s| s.split_whitespace().map(str::to_string).collect())
                .unwrap_or_default(),
        }
    }
}

/// A scalar node as text; `None` for null, lists and maps.
pub fn text_of(n: &Node) -> Option<String> {
    match &n.value {
        Value::Null | Value::Seq(_) | Value::Map(_) => None,
        _ => n.to_text(),
    }
}

/// The candidate closest to `word` by edit distance, if close enough to be a likely typo.
pub fn did_you_mean<'c>(word: &str, candidates: &[&'c str]) -> Option<&'c str> {
    let w = word.to_ascii_lowercase();
    candidates
        .iter()
        .map(|c| (edit_distance(&w, c), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance over chars.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_keys_only() {
        assert_eq!(
            did_you_mean("autors", &["authors", "title"]),
            Some("authors")
        );
        assert_eq!(
            did_you_mean("bibliograhpy", &["bibliography"]),
            Some("bibliography")
        );
        assert_eq!(did_you_mean("zzz", &["authors", "title"]), None);
    }

    #[test]
    fn distance() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "ab"), 2);
    }
}
