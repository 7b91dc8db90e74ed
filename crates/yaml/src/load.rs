//! Builds the [`Node`] tree from `saphyr-parser` events.
//!
//! The parser gives events with positions; this module assembles them into nodes without recursion
//! (an explicit stack), resolves plain scalars with YAML 1.1 rules (`resolve`), honours the core
//! tags (`!!str`, `!!int`...), expands aliases and `<<` merge keys, and enforces limits on nesting
//! depth and on the number of nodes aliases may produce, so hostile input gives a diagnostic
//! instead of a stack overflow or an alias bomb. Syntax errors are turned into plain-words
//! messages by `explain`. Only the first document of a stream is used, as Jekyll does.

use std::collections::HashMap;

use blogtrack_diag::Diagnostic;
use saphyr_parser::{Event, Parser, ScalarStyle, Span, Tag};

use crate::explain::explain_scan_error;
use crate::resolve::{parse_float, parse_int, parse_timestamp, resolve_plain};
use crate::value::{Key, Node, Value};

/// Deepest nesting of lists and maps accepted.
pub const MAX_DEPTH: usize = 100;
/// Most nodes a document may expand to, aliases included.
pub const MAX_NODES: usize = 100_000;

enum Frame {
    Seq {
        items: Vec<Node>,
        line: u32,
        col: u32,
        anchor: usize,
    },
    Map {
        entries: Vec<(Key, Node)>,
        index: HashMap<String, usize>,
        pending: Option<Key>,
        merges: Vec<Node>,
        line: u32,
        col: u32,
        anchor: usize,
    },
}

struct Builder<'t> {
    text: &'t str,
    stack: Vec<Frame>,
    anchors: HashMap<usize, (Node, usize, usize)>,
    nodes: usize,
    root: Option<Node>,
    warnings: Vec<Diagnostic>,
}

fn pos(span: &Span) -> (u32, u32) {
    (span.start.line() as u32, span.start.col() as u32 + 1)
}

fn syntax(line: u32, col: u32, message: impl Into<String>, hint: &str) -> Diagnostic {
    Diagnostic::error("yaml-syntax", message)
        .at(line, col)
        .with_hint(hint)
}

fn is_core(tag: &Tag, name: &str) -> bool {
    tag.is_yaml_core_schema() && tag.suffix == name
}

impl<'t> Builder<'t> {
    fn count(&mut self, n: usize, line: u32, col: u32) -> Result<(), Diagnostic> {
        self.nodes += n;
        if self.nodes > MAX_NODES {
            return Err(Diagnostic::error(
                "yaml-too-large",
                format!("the YAML expands to more than {MAX_NODES} values (aliases `*name` repeat whole blocks)"),
            )
            .at(line, col)
            .with_hint("write the values out instead of nesting aliases of aliases"));
        }
        Ok(())
    }

    fn check_depth(&self, extra: usize, line: u32, col: u32) -> Result<(), Diagnostic> {
        if self.stack.len() + extra > MAX_DEPTH {
            return Err(Diagnostic::error(
                "yaml-too-deep",
                format!("lists and maps are nested more than {MAX_DEPTH} levels deep"),
            )
            .at(line, col)
            .with_hint("flatten the structure; front matter never needs this much nesting"));
        }
        Ok(())
    }

    fn scalar(
        &self,
        text: &str,
        style: ScalarStyle,
        tag: Option<&Tag>,
        line: u32,
        col: u32,
    ) -> Result<Value, Diagnostic> {
        let plain = style == ScalarStyle::Plain;
        let Some(tag) = tag else {
            return Ok(if plain {
                resolve_plain(text)
            } else {
                Value::Str(text.to_string())
            });
        };
        let bad = |what: &str| {
            syntax(
                line,
                col,
                format!("`{text}` is tagged as {what} but is not one"),
                "remove the `!!` tag or fix the value",
            )
        };
        if is_core(tag, "str") || !tag.is_yaml_core_schema() && tag.handle == "!" && !plain {
            return Ok(Value::Str(text.to_string()));
        }
        if is_core(tag, "int") {
            return parse_int(text)
                .map(Value::Int)
                .ok_or_else(|| bad("an integer"));
        }
        if is_core(tag, "float") {
            return parse_float(text)
                .or_else(|| parse_int(text).map(|i| i as f64))
                .map(Value::Float)
                .ok_or_else(|| bad("a number"));
        }
        if is_core(tag, "bool") {
            return match resolve_plain(text) {
                v @ Value::Bool(_) => Ok(v),
                _ => Err(bad("a true/false value")),
            };
        }
        if is_core(tag, "null") {
            return Ok(Value::Null);
        }
        if is_core(tag, "timestamp") {
            return parse_timestamp(text)
                .map(Value::Timestamp)
                .ok_or_else(|| bad("a date"));
        }
        Ok(if plain {
            resolve_plain(text)
        } else {
            Value::Str(text.to_string())
        })
    }

    /// Adds a finished node to its parent (or makes it the document root).
    fn attach(&mut self, node: Node, anchor: usize) -> Result<(), Diagnostic> {
        if anchor != 0 {
            let size = node.size();
            let depth = node.depth();
            self.anchors.insert(anchor, (node.clone(), size, depth));
        }
        let text = self.text;
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map {
                entries,
                index,
                pending,
                merges,
                ..
            }) => match pending.take() {
                None => {
                    let key = key_of(node, text)?;
                    *pending = Some(key);
                }
                Some(key) if key.name == "<<" && is_merge_key(text, &key) => merges.push(node),
                Some(key) => {
                    if let Some(&i) = index.get(&key.name) {
                        let (old, _) = &entries[i];
                        self.warnings.push(
                            Diagnostic::warning(
                                "yaml-duplicate-key",
                                format!(
                                    "the key `{}` appears twice (first {} line(s) above); the later value is used",
                                    key.name,
                                    key.line.saturating_sub(old.line)
                                ),
                            )
                            .at(key.line, key.col)
                            .with_hint("remove one of the two entries"),
                        );
                        entries[i] = (key, node);
                    } else {
                        index.insert(key.name.clone(), entries.len());
                        entries.push((key, node));
                    }
                }
            },
        }
        Ok(())
    }

    fn close(&mut self) -> Result<(), Diagnostic> {
        let Some(frame) = self.stack.pop() else {
            return Ok(());
        };
        match frame {
            Frame::Seq {
                items,
                line,
                col,
                anchor,
            } => self.attach(Node::new(Value::Seq(items), line, col), anchor),
            Frame::Map {
                mut entries,
                mut index,
                pending,
                merges,
                line,
                col,
                anchor,
            } => {
                if let Some(key) = pending {
                    // A key without a value event cannot come from the parser; keep it as null.
                    let (l, c) = (key.line, key.col);
                    index.insert(key.name.clone(), entries.len());
                    entries.push((key, Node::new(Value::Null, l, c)));
                }
                for m in merges {
                    let sources: Vec<Node> = match m.value {
                        Value::Map(_) => vec![m],
                        Value::Seq(items) => items,
                        _ => {
                            return Err(syntax(
                                m.line,
                                m.col,
                                "`<<` (merge) must be followed by a map or a list of maps",
                                "use `<<: *name` where `&name` marks a map",
                            ))
                        }
                    };
                    for src in sources {
                        let Value::Map(src_entries) = src.value else {
                            return Err(syntax(
                                src.line,
                                src.col,
                                "`<<` (merge) must be followed by a map or a list of maps",
                                "use `<<: *name` where `&name` marks a map",
                            ));
                        };
                        for (k, v) in src_entries {
                            if !index.contains_key(&k.name) {
                                index.insert(k.name.clone(), entries.len());
                                entries.push((k, v));
                            }
                        }
                    }
                }
                self.attach(Node::new(Value::Map(entries), line, col), anchor)
            }
        }
    }

    fn event(&mut self, ev: Event<'_>, span: &Span) -> Result<bool, Diagnostic> {
        let (line, col) = pos(span);
        match ev {
            Event::Nothing | Event::StreamStart | Event::DocumentStart(_) => {}
            Event::StreamEnd => return Ok(true),
            Event::DocumentEnd => {
                if self.root.is_some() || self.stack.is_empty() {
                    return Ok(true);
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                self.count(1, line, col)?;
                let value = self.scalar(&text, style, tag.as_deref(), line, col)?;
                self.attach(Node::new(value, line, col), anchor)?;
            }
            Event::SequenceStart(anchor, _) => {
                self.count(1, line, col)?;
                self.check_depth(1, line, col)?;
                self.stack.push(Frame::Seq {
                    items: Vec::new(),
                    line,
                    col,
                    anchor,
                });
            }
            Event::MappingStart(anchor, _) => {
                self.count(1, line, col)?;
                self.check_depth(1, line, col)?;
                self.stack.push(Frame::Map {
                    entries: Vec::new(),
                    index: HashMap::new(),
                    pending: None,
                    merges: Vec::new(),
                    line,
                    col,
                    anchor,
                });
            }
            Event::SequenceEnd | Event::MappingEnd => self.close()?,
            Event::Alias(id) => {
                let Some((node, size, depth)) = self.anchors.get(&id) else {
                    return Err(syntax(
                        line,
                        col,
                        "this `*` refers to an anchor (`&name`) that is not defined before it",
                        "define the anchor first, or put the value in quotes if `*` is meant literally",
                    ));
                };
                let (size, depth) = (*size, *depth);
                let mut node = node.clone();
                self.count(size, line, col)?;
                self.check_depth(depth.saturating_sub(1), line, col)?;
                node.line = line;
                node.col = col;
                self.attach(node, 0)?;
            }
        }
        Ok(false)
    }
}

fn is_merge_key(text: &str, key: &Key) -> bool {
    // Only a plain `<<` is a merge key; `"<<"` is an ordinary key.
    let Some(line) = text.lines().nth(key.line.saturating_sub(1) as usize) else {
        return false;
    };
    line.chars()
        .skip(key.col.saturating_sub(1) as usize)
        .take(2)
        .eq("<<".chars())
}

fn key_of(node: Node, _text: &str) -> Result<Key, Diagnostic> {
    let name = match node.value {
        Value::Seq(_) | Value::Map(_) => {
            return Err(syntax(
                node.line,
                node.col,
                "a key here is a list or a map; keys must be plain text",
                "write the key as simple text followed by `: `",
            ))
        }
        Value::Timestamp(t) => t.raw,
        Value::Null => String::new(),
        v => Node::new(v, 0, 0).to_text().unwrap_or_default(),
    };
    Ok(Key {
        name,
        line: node.line,
        col: node.col,
    })
}

/// Parses the first document of `text`; also returns the non-fatal warnings. Text that only
/// libyaml accepts (see `lenient`) is read as libyaml reads it, with a `yaml-not-portable` note.
pub fn parse_with_warnings(text: &str) -> (Result<Node, Diagnostic>, Vec<Diagnostic>) {
    let (result, warnings) = parse_strict(text);
    let Err(first) = &result else {
        return (result, warnings);
    };
    let Some(repaired) = crate::lenient::repair(text) else {
        return (result, warnings);
    };
    let (again, mut again_warnings) = parse_strict(&repaired.text);
    match again {
        Ok(mut node) => {
            fix_cols(&mut node, &repaired);
            for d in &mut again_warnings {
                d.col = repaired.original_col(d.line, d.col);
            }
            let mut all = repaired.notes;
            all.extend(again_warnings);
            (Ok(node), all)
        }
        // A later error: the rewrite got past the first one, so this one is real.
        Err(mut d) if d.line > first.line => {
            d.col = repaired.original_col(d.line, d.col);
            let mut all = repaired.notes;
            all.extend(again_warnings);
            (Err(d), all)
        }
        Err(_) => (result, warnings),
    }
}

/// Puts the columns of nodes on re-indented lines back to the original text's.
fn fix_cols(node: &mut Node, r: &crate::lenient::Repaired) {
    node.col = r.original_col(node.line, node.col);
    match &mut node.value {
        Value::Seq(items) => items.iter_mut().for_each(|n| fix_cols(n, r)),
        Value::Map(entries) => entries.iter_mut().for_each(|(k, v)| {
            k.col = r.original_col(k.line, k.col);
            fix_cols(v, r);
        }),
        _ => {}
    }
}

fn parse_strict(text: &str) -> (Result<Node, Diagnostic>, Vec<Diagnostic>) {
    let mut b = Builder {
        text,
        stack: Vec::new(),
        anchors: HashMap::new(),
        nodes: 0,
        root: None,
        warnings: Vec::new(),
    };
    let result = run(&mut b);
    let warnings = std::mem::take(&mut b.warnings);
    (result, warnings)
}

fn run(b: &mut Builder<'_>) -> Result<Node, Diagnostic> {
    let text = b.text;
    for item in Parser::new_from_str(text) {
        match item {
            Ok((ev, span)) => {
                if b.event(ev, &span)? {
                    break;
                }
            }
            Err(e) => return Err(explain_scan_error(text, &e)),
        }
    }
    Ok(b.root
        .take()
        .unwrap_or_else(|| Node::new(Value::Null, 1, 1)))
}
