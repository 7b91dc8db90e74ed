//! Turns parser errors into messages for authors who do not know YAML.
//!
//! The parser's own wording ("mapping values are not allowed in this context") names the grammar
//! rule that failed. Authors of front matter make a handful of mistakes over and over: a tab in
//! the indentation, an unquoted `: ` in a title, an unclosed quote, a value starting with `[`,
//! `*` or `@`, a line indented one space too far. This module recognises those from the error and
//! the offending line, and says what is wrong and how to fix it. Anything else keeps the parser's
//! wording, with a general hint.

use blogtrack_diag::Diagnostic;
use saphyr_parser::ScanError;

const GENERIC_HINT: &str = "check the indentation (spaces only, keys of one map in the same column) \
     and put values that contain `: ` or ` #`, or start with `[`, `{`, `*`, `&`, `!`, `|`, `>`, `@`, \
     `%` or a quote, in quotes";

fn line_text(text: &str, line: u32) -> &str {
    text.lines()
        .nth(line.saturating_sub(1) as usize)
        .unwrap_or("")
}

/// The key part and the value part of `key: value` on a line, if it has that shape.
fn split_key_value(line: &str) -> Option<(&str, &str)> {
    let trimmed = line.trim_start();
    let body = trimmed.strip_prefix("- ").unwrap_or(trimmed);
    let i = body.find(": ")?;
    let key = &body[..i];
    if key.is_empty() || key.starts_with(['"', '\'']) {
        return None;
    }
    let value = body[i + 2..].trim();
    let unwrapped = ['"', '\'']
        .iter()
        .find_map(|&q| value.strip_prefix(q)?.strip_suffix(q));
    Some((key, unwrapped.unwrap_or(value)))
}

/// `key: "value"` with the value quoted safely, for hints.
fn quoted_suggestion(key: &str, value: &str) -> String {
    if !value.contains('"') {
        format!("{key}: \"{value}\"")
    } else if !value.contains('\'') {
        format!("{key}: '{value}'")
    } else {
        format!(
            "{key}: \"{}\"",
            value.replace('\\', "\\\\").replace('"', "\\\"")
        )
    }
}

fn quote_hint(line: &str) -> String {
    match split_key_value(line) {
        Some((k, v)) if !v.is_empty() => {
            format!("put the value in quotes: {}", quoted_suggestion(k, v))
        }
        _ => "put the value in quotes".to_string(),
    }
}

pub fn explain_scan_error(text: &str, e: &ScanError) -> Diagnostic {
    let m = e.marker();
    let line = m.line() as u32;
    let col = m.col() as u32 + 1;
    let info = e.info();
    let src = line_text(text, line);
    let err = |message: String, hint: String, l: u32, c: u32| {
        Diagnostic::error("yaml-syntax", message)
            .at(l, c)
            .with_hint(hint)
    };

    // A control character (NUL, escape...) fails the scanner with an unrelated-sounding error
    // (a NUL in a title is reported as a tab); name the character instead.
    if let Some((l, c, ch)) = text
        .lines()
        .enumerate()
        .take(line as usize + 1)
        .find_map(|(i, t)| {
            t.chars()
                .position(|ch| ch.is_control() && ch != '\t' && ch != '\r')
                .map(|p| (i as u32 + 1, p as u32 + 1, t.chars().nth(p).unwrap_or('\0')))
        })
    {
        return err(
            format!(
                "the control character U+{:04X} is not allowed in YAML",
                ch as u32
            ),
            "delete it: it is invisible in most editors (retyping the line removes it)".to_string(),
            l,
            c,
        );
    }

    if info.contains("tab") {
        let indented_with_tab = |l: &u32| {
            line_text(text, *l)
                .chars()
                .take_while(|c| c.is_whitespace())
                .any(|c| c == '\t')
        };
        let tab_line = [line, line + 1]
            .into_iter()
            .chain((1..line).rev())
            .find(indented_with_tab)
            .unwrap_or(line);
        let tab_col = line_text(text, tab_line)
            .chars()
            .position(|c| c == '\t')
            .map_or(col, |p| p as u32 + 1);
        return err(
            "this line is indented with a tab; YAML allows only spaces for indentation".to_string(),
            "replace the tab with spaces (use the same number of spaces as the lines around it)"
                .into(),
            tab_line,
            tab_col,
        );
    }

    if info.contains("recursion limit") {
        return Diagnostic::error(
            "yaml-too-deep",
            "inline lists or maps (`[`, `{`) are nested too deeply",
        )
        .at(line, col)
        .with_hint("flatten the structure, or quote the value if the brackets are text");
    }

    if info.contains("mapping values are not allowed") {
        let first_colon = src.find(": ").map(|i| src[..i].chars().count() as u32 + 1);
        if first_colon.is_some_and(|c| c < col) {
            return err(
                "this value contains `: `, which YAML reads as the start of another key".into(),
                quote_hint(src),
                line,
                col,
            );
        }
        return err(
            format!(
                "line {line} is indented further than a key it could belong to (the line above already has a value)"
            ),
            "start the key in the same column as the other keys of its map; if the line continues \
             the value above, put that whole value in quotes"
                .into(),
            line,
            1 + src.chars().take_while(|c| *c == ' ').count() as u32,
        );
    }

    if info.contains("quoted scalar") && !info.contains("trailing content") {
        let q = src.chars().nth(col as usize - 1).unwrap_or('"');
        let inner = if q == '\'' {
            "a `'` inside a single-quoted value is written `''`"
        } else {
            "a `\"` inside a double-quoted value is written `\\\"`"
        };
        return err(
            format!("the quote `{q}` opened here is never closed"),
            format!("add the closing `{q}` at the end of the value; {inner}"),
            line,
            col,
        );
    }

    if info.contains("trailing content after") {
        return err(
            "the value starts with a quote, so YAML ends it at the next quote, but more text follows"
                .into(),
            format!(
                "quote the whole value with the other kind of quote or escape the inner ones: {}",
                split_key_value(src)
                    .map(|(k, v)| quoted_suggestion(k, v))
                    .unwrap_or_else(|| "'a \"quoted\" word'".into())
            ),
            line,
            col,
        );
    }

    if info.contains("unexpected character") {
        let c = src.chars().nth(col as usize - 1).unwrap_or('@');
        return err(
            format!("a value cannot start with `{c}` in YAML"),
            quote_hint(src),
            line,
            col,
        );
    }

    if info.contains("unknown anchor") {
        return err(
            "a value starting with `*` refers to an anchor (`&name`) that is not defined".into(),
            format!("{} if the `*` is part of the text", quote_hint(src)),
            line,
            col,
        );
    }

    let value_opens_flow = |l: &str| {
        split_key_value(l)
            .map(|(_, v)| v)
            .or_else(|| l.trim_start().strip_prefix("- "))
            .is_some_and(|v| v.starts_with(['[', '{']))
    };
    if info.contains("flow") || info.contains("misplaced bracket") || value_opens_flow(src) {
        let start = (1..=line)
            .rev()
            .find(|&l| value_opens_flow(line_text(text, l)))
            .unwrap_or(line);
        return err(
            "a value starting with `[` or `{` is read as an inline list or map, and this one is not \
             written as one"
                .into(),
            format!(
                "{} if the brackets are part of the text",
                quote_hint(line_text(text, start))
            ),
            start,
            if start == line { col } else { 1 },
        );
    }

    if info.contains("expected '-' indicator") || info.contains("block collection") {
        return err(
            "the items of this list are not lined up: each `- ` must start in the same column"
                .into(),
            "indent every `- ` item of a list by the same number of spaces".into(),
            line,
            col,
        );
    }

    if info.contains("simple key expect ':'") {
        // The scanner notices at the start of the next line; the line at fault is the one
        // before (libyaml names it too).
        let at = if col == 1 {
            (1..line)
                .rev()
                .find(|&l| !line_text(text, l).trim().is_empty())
                .unwrap_or(line)
        } else {
            line
        };
        let src = line_text(text, at);
        return err(
            "this line is not `key: value`, and it cannot continue the value above because it \
             is not indented"
                .into(),
            "indent the line to continue the value above it, or write it as `key: value`".into(),
            at,
            1 + src.chars().take_while(|c| *c == ' ').count() as u32,
        );
    }

    if info.contains("did not find expected key") {
        return err(
            "this line does not line up with the keys above it, or a value is not written as YAML expects"
                .into(),
            GENERIC_HINT.into(),
            line,
            col,
        );
    }

    err(
        format!("the YAML here cannot be read ({info})"),
        GENERIC_HINT.into(),
        line,
        col,
    )
}
