//! YAML as Jekyll reads it: `_config.yml` and front matter.
//!
//! Jekyll parsed YAML with Ruby's Psych, which applies YAML 1.1 rules: `yes`/`on` are booleans,
//! `2024-05-07` is a date, `010` is octal. Authors wrote their files against that behaviour, so
//! this crate reproduces it on top of `saphyr-parser`'s event stream (chosen because it gives a
//! position for every event and leaves scalar resolution to us). Every node keeps its line and
//! column; errors come back as [`Diagnostic`]s written for authors who do not know YAML.
//!
//! It does not know which keys a post should have: checking the shape of the data is the
//! caller's job, helped by [`Node::type_name`] and the positions on every node and key.

mod explain;
mod front_matter;
mod lenient;
mod load;
mod resolve;
mod value;

use blogtrack_diag::Diagnostic;

pub use front_matter::{split_front_matter, FrontMatter};
pub use load::{parse_with_warnings, MAX_DEPTH, MAX_NODES};
pub use resolve::resolve_plain;
pub use value::{Key, Node, Timestamp, Value};

/// Parses the first YAML document of `text`. Positions are relative to `text`. An empty
/// document is [`Value::Null`].
pub fn parse(text: &str) -> Result<Node, Diagnostic> {
    parse_with_warnings(text).0
}

/// Parses a document that must be a mapping (a config file or front matter): an empty
/// document gives an empty map, anything else that is not a map is an error (`yaml-not-a-map`).
pub fn parse_mapping(text: &str) -> (Result<Node, Diagnostic>, Vec<Diagnostic>) {
    let (result, warnings) = parse_with_warnings(text);
    let result = result.and_then(|node| match node.value {
        Value::Map(_) => Ok(node),
        Value::Null => Ok(Node::new(Value::Map(Vec::new()), 1, 1)),
        _ => Err(Diagnostic::error(
            "yaml-not-a-map",
            format!(
                "the settings must be `key: value` lines, but this is a {}",
                node.type_name()
            ),
        )
        .at(node.line, node.col)
        .with_hint("write one `key: value` per line, e.g. `title: My post`")),
    });
    (result, warnings)
}

/// A file split into its parsed front matter and its body.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<'a> {
    /// The front matter (a map); node lines are lines of the whole file.
    pub data: Node,
    pub body: &'a str,
    /// File line where `body` starts.
    pub body_first_line: u32,
}

/// Splits and parses a file's front matter in one step; every position (errors, warnings,
/// nodes) is a line of the whole file.
pub fn parse_page(text: &str) -> (Result<Page<'_>, Diagnostic>, Vec<Diagnostic>) {
    let fm = match split_front_matter(text) {
        Ok(fm) => fm,
        Err(d) => return (Err(d), Vec::new()),
    };
    let delta = fm.yaml_first_line - 1;
    let (result, warnings) = parse_mapping(fm.yaml);
    let warnings = warnings.into_iter().map(|d| d.shift_lines(delta)).collect();
    let result = match result {
        Ok(mut data) => {
            data.shift_lines(delta);
            Ok(Page {
                data,
                body: fm.body,
                body_first_line: fm.body_first_line,
            })
        }
        Err(d) => Err(d.shift_lines(delta)),
    };
    (result, warnings)
}
