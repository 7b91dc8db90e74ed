//! Equation numbering as MathJax does with `tags: 'ams'`, and cross-references.
//!
//! Works on expanded tokens of one expression: finds the top-level environment of a display
//! expression, numbers its rows (or the whole equation), honours `\tag`, `\tag*`, `\nonumber`,
//! `\notag`, binds `\label`s, and replaces `\eqref`/`\ref` with placeholders. The environment is
//! rewritten to its starred form with an explicit `\tag{…}` per numbered row, so the converter
//! lays the numbers out (a right-aligned column of its table) while the numbers themselves,
//! their anchors and the references are ours.
//!
//! It does not render anything: placeholders are swapped for HTML after conversion (`lib.rs`),
//! and references to labels defined later in the post are resolved by `MathContext::finish`.

use std::collections::hash_map::Entry;
use std::collections::HashMap;

use crate::expand::{is_text_command, text_toks};
use crate::tokens::{group_end, plain_text, Tok};

/// What a label points at.
#[derive(Debug, Clone)]
pub(crate) struct Label {
    /// The number or tag as shown, without parentheses.
    pub text: String,
    /// The id of the anchor.
    pub id: String,
}

/// Equation counter and labels of one post.
#[derive(Debug, Clone, Default)]
pub(crate) struct Numbering {
    pub count: u32,
    pub labels: HashMap<String, Label>,
    pub duplicate_labels: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RefKind {
    Eqref,
    Ref,
}

/// An expression ready for the converter, and what to put in place of its placeholders.
#[derive(Debug, Default)]
pub(crate) struct Prepared {
    pub toks: Vec<Tok>,
    /// (placeholder, number text, anchor id, parenthesised)
    pub tags: Vec<(String, String, Option<String>, bool)>,
    /// (placeholder, kind, label key)
    pub refs: Vec<(String, RefKind, String)>,
}

/// `eq-` and the key with characters that are unsafe in an id replaced.
pub(crate) fn anchor_id(key: &str) -> String {
    let mut id = String::from("eq-");
    id.extend(key.chars().map(|c| {
        if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':') {
            c
        } else {
            '-'
        }
    }));
    id
}

#[derive(Default)]
struct RowInfo {
    labels: Vec<String>,
    tag: Option<(String, bool)>,
    notag: bool,
}

/// Removes `\label`, `\tag`, `\nonumber`, `\notag` from a row and says what they were.
fn take_commands(row: &mut Vec<Tok>) -> RowInfo {
    let mut info = RowInfo::default();
    if !row.iter().any(|t| {
        matches!(t, Tok::Cs(n) if matches!(n.as_str(), "label" | "tag" | "tag*" | "nonumber" | "notag"))
    }) {
        return info;
    }
    let mut out = Vec::with_capacity(row.len());
    let mut i = 0;
    while i < row.len() {
        match &row[i] {
            Tok::Cs(n) if n == "nonumber" || n == "notag" => {
                info.notag = true;
                i += 1;
            }
            Tok::Cs(n) if matches!(n.as_str(), "label" | "tag" | "tag*") => {
                let star = n == "tag*";
                let is_label = n == "label";
                let Some(end) = group_end(row, i + 1) else {
                    i += 1;
                    continue;
                };
                let text = plain_text(&row[i + 2..end - 1]);
                if is_label {
                    info.labels.push(text);
                } else {
                    info.tag = Some((text.replace('$', ""), star));
                }
                i = end;
            }
            t => {
                out.push(t.clone());
                i += 1;
            }
        }
    }
    *row = out;
    info
}

/// Replaces `\eqref{k}` and `\ref{k}` by placeholders (bare text inside `\text{…}`).
fn take_refs(toks: Vec<Tok>, refs: &mut Vec<(String, RefKind, String)>) -> Vec<Tok> {
    if !toks.iter().any(|t| t.is_cs("eqref") || t.is_cs("ref")) {
        return toks;
    }
    let mut out = Vec::with_capacity(toks.len());
    let mut text_until = 0usize;
    let mut i = 0;
    while i < toks.len() {
        match &toks[i] {
            Tok::Cs(n) if is_text_command(n) => {
                if let Some(end) = group_end(&toks, i + 1) {
                    text_until = text_until.max(end);
                }
                out.push(toks[i].clone());
                i += 1;
            }
            Tok::Cs(n) if n == "eqref" || n == "ref" => {
                let Some(end) = group_end(&toks, i + 1) else {
                    out.push(toks[i].clone());
                    i += 1;
                    continue;
                };
                let kind = if n == "eqref" {
                    RefKind::Eqref
                } else {
                    RefKind::Ref
                };
                let key = plain_text(&toks[i + 2..end - 1]);
                let ph = format!("BTREF{}Q", refs.len());
                refs.push((ph.clone(), kind, key));
                if i < text_until {
                    out.extend(text_toks(&ph));
                } else {
                    out.push(Tok::Cs("text".into()));
                    out.push(Tok::Begin);
                    out.extend(text_toks(&ph));
                    out.push(Tok::End);
                }
                i = end;
            }
            t => {
                out.push(t.clone());
                i += 1;
            }
        }
    }
    out
}

fn env_name(toks: &[Tok], at: usize) -> Option<(String, usize)> {
    let end = group_end(toks, at)?;
    Some((plain_text(&toks[at + 1..end - 1]), end))
}

/// If the whole expression is one `\begin{e}…\end{e}`: the name, and the body's range.
fn top_environment(toks: &[Tok]) -> Option<(String, usize, usize)> {
    let first = toks.iter().position(|t| *t != Tok::Space)?;
    let last = toks.iter().rposition(|t| *t != Tok::Space)?;
    if !toks[first].is_cs("begin") {
        return None;
    }
    let (name, body_start) = env_name(toks, first + 1)?;
    let mut depth = 0usize;
    let mut i = body_start;
    while i < toks.len() {
        if toks[i].is_cs("begin") {
            depth += 1;
        } else if toks[i].is_cs("end") {
            if depth == 0 {
                let (_, after) = env_name(toks, i + 1)?;
                return (after == last + 1).then_some((name, body_start, i));
            }
            depth -= 1;
        }
        i += 1;
    }
    None
}

/// Splits at top-level `\\` (not inside braces or nested environments).
fn split_rows(body: &[Tok]) -> Vec<Vec<Tok>> {
    let mut rows = vec![Vec::new()];
    let (mut braces, mut envs) = (0usize, 0usize);
    for t in body {
        match t {
            Tok::Begin => braces += 1,
            Tok::End => braces = braces.saturating_sub(1),
            Tok::Cs(n) if n == "begin" => envs += 1,
            Tok::Cs(n) if n == "end" => envs = envs.saturating_sub(1),
            Tok::Cs(n) if n == "\\" && braces == 0 && envs == 0 => {
                rows.push(Vec::new());
                continue;
            }
            _ => {}
        }
        if let Some(r) = rows.last_mut() {
            r.push(t.clone());
        }
    }
    if rows.len() > 1
        && rows
            .last()
            .is_some_and(|r| r.iter().all(|t| *t == Tok::Space))
    {
        rows.pop();
    }
    rows
}

/// Removes the second top-level `&` of an `eqnarray` row (`a &=& b` → `a &= b`).
fn eqnarray_row(row: &mut Vec<Tok>) {
    let mut seen = 0;
    let mut braces = 0usize;
    let mut cut = None;
    for (i, t) in row.iter().enumerate() {
        match t {
            Tok::Begin => braces += 1,
            Tok::End => braces = braces.saturating_sub(1),
            Tok::Char('&') if braces == 0 => {
                seen += 1;
                if seen == 2 {
                    cut = Some(i);
                    break;
                }
            }
            _ => {}
        }
    }
    if let Some(i) = cut {
        row.remove(i);
    }
}

fn numbering_env(name: &str) -> bool {
    matches!(
        name.trim_end_matches('*'),
        "equation" | "multline" | "align" | "flalign" | "alignat" | "eqnarray" | "gather"
    )
}

#[derive(Clone, Copy, PartialEq)]
enum Scheme {
    /// One number for the whole environment, on its last row.
    Whole,
    /// One number per row.
    Rows,
}

impl Numbering {
    /// Numbers one expression and prepares it for the converter.
    pub(crate) fn prepare(&mut self, toks: Vec<Tok>, display: bool) -> Prepared {
        let mut p = Prepared::default();
        let mut toks = take_refs(toks, &mut p.refs);
        let (name, start, end) = match top_environment(&toks) {
            Some(e) if numbering_env(&e.0) => e,
            _ if !display => {
                take_commands(&mut toks);
                p.toks = toks;
                return p;
            }
            _ => (String::new(), 0, toks.len()),
        };
        let (scheme, numbered, target) = match name.as_str() {
            "equation" => (Scheme::Whole, true, "equation*"),
            "equation*" => (Scheme::Whole, false, "equation*"),
            "multline" => (Scheme::Whole, true, "gather*"),
            "align" | "flalign" | "alignat" | "eqnarray" => (Scheme::Rows, true, "align*"),
            "align*" | "flalign*" | "alignat*" | "eqnarray*" => (Scheme::Rows, false, "align*"),
            "gather" => (Scheme::Rows, true, "gather*"),
            "gather*" => (Scheme::Rows, false, "gather*"),
            _ => (Scheme::Whole, false, ""),
        };
        let mut body = toks[start..end].to_vec();
        if name.starts_with("alignat") {
            if let Some(first) = body.iter().position(|t| *t != Tok::Space) {
                if let Some(e) = group_end(&body, first) {
                    body.drain(..e);
                }
            }
        }
        let mut rows = match scheme {
            Scheme::Rows => split_rows(&body),
            Scheme::Whole => vec![body],
        };
        let mut any_tag = false;
        for row in rows.iter_mut() {
            let info = take_commands(row);
            if name.starts_with("eqnarray") {
                eqnarray_row(row);
            }
            // Inline math (`$\begin{eqnarray}…\end{eqnarray}$`) is laid out, not numbered.
            let shown = match info.tag {
                _ if !display => None,
                Some((text, star)) => Some((text, !star)),
                None if numbered && !info.notag => {
                    self.count += 1;
                    Some((self.count.to_string(), true))
                }
                None => None,
            };
            let Some((text, parens)) = shown else {
                continue;
            };
            let id = info.labels.first().map(|k| anchor_id(k));
            for key in info.labels {
                match self.labels.entry(key) {
                    Entry::Occupied(e) => self.duplicate_labels.push(e.key().clone()),
                    Entry::Vacant(e) => {
                        let id = id.clone().unwrap_or_default();
                        let text = text.clone();
                        e.insert(Label { text, id });
                    }
                }
            }
            let ph = format!("BTTAG{}Q", p.tags.len());
            p.tags.push((ph.clone(), text, id, parens));
            row.push(Tok::Cs("tag".into()));
            row.push(Tok::Begin);
            row.extend(text_toks(&ph));
            row.push(Tok::End);
            any_tag = true;
        }
        let target = if target.is_empty() && any_tag {
            "equation*"
        } else {
            target
        };
        let mut out = Vec::with_capacity(toks.len() + 16);
        if target.is_empty() {
            out.extend(rows.into_iter().flatten());
        } else {
            out.push(Tok::Cs("begin".into()));
            out.push(Tok::Begin);
            out.extend(text_toks(target));
            out.push(Tok::End);
            for (r, row) in rows.into_iter().enumerate() {
                if r > 0 {
                    out.push(Tok::Cs("\\".into()));
                }
                out.extend(row);
            }
            out.push(Tok::Cs("end".into()));
            out.push(Tok::Begin);
            out.extend(text_toks(target));
            out.push(Tok::End);
        }
        p.toks = out;
        p
    }
}
