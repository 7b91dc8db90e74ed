//! Lenient BibTeX reader: text in, raw entries (field values as TeX) and diagnostics out.
//!
//! It follows BibTeX's grammar (`@type{key, field = value # value, ...}`, `@string`, `@comment`,
//! `@preamble`, braces or quotes, bare numbers and macros, predefined month macros) but never
//! gives up on a file: a bad entry is skipped with a warning and reading resumes at the next line
//! that starts with `@type{` (the *resync point*). Values are never allowed to run past the next
//! resync point, so one unbalanced brace costs one entry, not the rest of the file.
//!
//! It does not interpret TeX inside values (see `tex`), nor names (see `names`). Everything is a
//! single forward scan with counters; there is no recursion, so nesting depth cannot overflow.

use std::collections::HashMap;

use blogtrack_diag::{Diagnostic, LineIndex};

/// Largest value (after `@string` expansion and `#` concatenation) accepted, in bytes. Guards
/// against exponential growth through chained `@string` definitions.
const MAX_VALUE_BYTES: usize = 1 << 20;

/// Most bytes all `@string` expansions of one file may produce together. A 1 MiB macro used in
/// every field of a 64 MiB file would otherwise expand to terabytes, each value staying under
/// [`MAX_VALUE_BYTES`]; past this budget macros expand to nothing, reported once.
const MAX_EXPANDED_BYTES: usize = 64 << 20;

/// Most fields accepted in one entry (real ones have under 40); keeps lookups linear.
const MAX_FIELDS: usize = 1000;

/// One entry as written, with macros expanded and outer delimiters removed.
#[derive(Debug, Clone)]
pub(crate) struct RawEntry {
    pub kind: String,
    pub key: String,
    pub line: u32,
    pub fields: Vec<(String, String)>,
}

struct SyntaxError {
    at: usize,
    message: String,
    hint: &'static str,
}

type Res<T> = Result<T, SyntaxError>;

fn err<T>(at: usize, message: impl Into<String>, hint: &'static str) -> Res<T> {
    Err(SyntaxError {
        at,
        message: message.into(),
        hint,
    })
}

struct Parser<'a> {
    src: &'a str,
    b: &'a [u8],
    pos: usize,
    lines: LineIndex,
    resync: Vec<usize>,
    macros: HashMap<String, String>,
    /// Bytes produced by macro expansion so far (see [`MAX_EXPANDED_BYTES`]).
    expanded: usize,
    diags: Vec<Diagnostic>,
    /// A value of the current entry that seems to contain further fields (`{..{..}, year = ..`):
    /// the likely cause when the entry then fails to close.
    swallowing: Option<(String, usize)>,
}

/// Reads every entry of `src`, in file order (duplicates included; the caller resolves them).
pub(crate) fn parse_raw(src: &str) -> (Vec<RawEntry>, Vec<Diagnostic>) {
    let mut p = Parser {
        src,
        b: src.as_bytes(),
        pos: 0,
        lines: LineIndex::new(src),
        resync: resync_points(src),
        macros: month_macros(),
        expanded: 0,
        diags: Vec::new(),
        swallowing: None,
    };
    let mut out = Vec::new();
    p.run(&mut out);
    (out, p.diags)
}

fn month_macros() -> HashMap<String, String> {
    const MONTHS: [(&str, &str); 12] = [
        ("jan", "January"),
        ("feb", "February"),
        ("mar", "March"),
        ("apr", "April"),
        ("may", "May"),
        ("jun", "June"),
        ("jul", "July"),
        ("aug", "August"),
        ("sep", "September"),
        ("oct", "October"),
        ("nov", "November"),
        ("dec", "December"),
    ];
    MONTHS
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Offsets of the `@` of every line that looks like the start of an entry: `\s*@ident\s*[{(]`.
fn resync_points(src: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut line_start = 0;
    for line in src.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix('@') {
            let ident_len = rest.bytes().take_while(|c| is_ident(*c)).count();
            let after = rest[ident_len..].trim_start();
            if ident_len > 0 && (after.starts_with('{') || after.starts_with('(')) {
                out.push(line_start + (line.len() - trimmed.len()));
            }
        }
        line_start += line.len();
    }
    out
}

/// True when a value has a line shaped like `name = ...`, a sign it swallowed fields.
fn contains_field_line(value: &str) -> bool {
    value.lines().skip(1).any(|l| {
        let l = l.trim_start();
        let n = l.bytes().take_while(|c| c.is_ascii_alphabetic()).count();
        n > 0 && l[n..].trim_start().starts_with('=')
    })
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b':' | b'.' | b'+' | b'/')
}

fn is_key_char(c: u8) -> bool {
    !c.is_ascii_whitespace()
        && !matches!(
            c,
            b',' | b'{' | b'}' | b'(' | b')' | b'=' | b'"' | b'#' | b'%'
        )
}

impl<'a> Parser<'a> {
    fn run(&mut self, out: &mut Vec<RawEntry>) {
        let mut stray_start: Option<usize> = None;
        while self.pos < self.b.len() {
            match self.b[self.pos] {
                b'@' => {
                    let at = self.pos;
                    if self.looks_like_item() {
                        self.flush_stray(&mut stray_start, at);
                        self.item(at, out);
                    } else {
                        stray_start.get_or_insert(at);
                        self.pos += 1;
                    }
                }
                b'%' if self.at_line_start() => self.skip_line(),
                c if c.is_ascii_whitespace() => self.pos += 1,
                _ => {
                    stray_start.get_or_insert(self.pos);
                    self.pos += 1;
                }
            }
        }
        self.flush_stray(&mut stray_start, self.b.len());
    }

    /// Line and column of a byte offset; the column is 0 (unknown) on lines so long that
    /// counting would make many diagnostics on one line quadratic.
    fn line_col(&self, offset: usize) -> (u32, u32) {
        const MAX_COL_SCAN: usize = 4096;
        let offset = offset.min(self.b.len());
        let from = offset.saturating_sub(MAX_COL_SCAN);
        let window = &self.b[from..offset];
        let col = match window.iter().rposition(|&c| c == b'\n') {
            Some(nl) => Some(from + nl + 1),
            None if from == 0 => Some(0),
            None => None,
        }
        .and_then(|start| self.src.get(start..offset))
        .map_or(0, |s| s.chars().count() as u32 + 1);
        (self.lines.line(offset), col)
    }

    fn at_line_start(&self) -> bool {
        self.src[..self.pos]
            .bytes()
            .rev()
            .take_while(|c| *c != b'\n')
            .all(|c| c == b' ' || c == b'\t')
    }

    fn skip_line(&mut self) {
        while self.pos < self.b.len() && self.b[self.pos] != b'\n' {
            self.pos += 1;
        }
    }

    fn looks_like_item(&self) -> bool {
        let mut i = self.pos + 1;
        let start = i;
        while i < self.b.len() && is_ident(self.b[i]) {
            i += 1;
        }
        if i == start {
            return false;
        }
        while i < self.b.len() && self.b[i].is_ascii_whitespace() {
            i += 1;
        }
        i < self.b.len() && matches!(self.b[i], b'{' | b'(')
    }

    /// Text between entries is a comment for BibTeX; it is reported so that a `}` too many or
    /// fields cut off from their entry do not go unnoticed.
    fn flush_stray(&mut self, start: &mut Option<usize>, end: usize) {
        let Some(s) = start.take() else { return };
        let text = self.src[s..end].trim();
        if text.is_empty() {
            return;
        }
        let (line, col) = self.line_col(s);
        let shown: String = text.chars().take(40).collect();
        let d = if text.contains('=') {
            Diagnostic::warning(
                "bib-stray-text",
                format!("text outside any entry is ignored: `{shown}`"),
            )
            .with_hint("this looks like fields cut off from their entry: check for a `}` too many")
        } else {
            Diagnostic::note(
                "bib-stray-text",
                format!("text outside any entry is ignored: `{shown}`"),
            )
            .with_hint("remove it, or start comment lines with `%`")
        };
        self.diags.push(d.at(line, col));
    }

    fn limit_after(&self, at: usize) -> usize {
        let i = self.resync.partition_point(|&p| p <= at);
        self.resync.get(i).copied().unwrap_or(self.b.len())
    }

    fn item(&mut self, at: usize, out: &mut Vec<RawEntry>) {
        let limit = self.limit_after(at);
        self.pos = at + 1;
        let kind_start = self.pos;
        while self.pos < limit && is_ident(self.b[self.pos]) {
            self.pos += 1;
        }
        let kind = self.src[kind_start..self.pos].to_ascii_lowercase();
        self.skip_ws(limit);
        let close = if self.b.get(self.pos) == Some(&b'(') {
            b')'
        } else {
            b'}'
        };
        self.pos += 1;
        let line = self.lines.line(at);
        self.swallowing = None;
        let result = match kind.as_str() {
            "comment" | "preamble" => self.skip_group(close, limit),
            "string" => self.string_def(close, limit),
            _ => self.entry(&kind, line, close, limit).map(|e| out.push(e)),
        };
        if let Err(mut e) = result {
            if let Some((field, value_at)) = self.swallowing.take() {
                let l = self.lines.line(value_at);
                e.message = format!(
                    "unbalanced braces: the value of `{field}` opened at line {l} runs into the fields after it"
                );
                e.at = value_at;
                e.hint = "add the missing `}` inside this value";
            }
            let (eline, ecol) = self.line_col(e.at.min(self.b.len()));
            let (line, col) = self.line_col(at);
            let what = match self.entry_key_hint(at, limit) {
                Some(k) => format!("entry `{k}` skipped"),
                None => format!("`@{kind}` skipped"),
            };
            self.diags.push(
                Diagnostic::warning(
                    "bib-syntax",
                    format!("{what}: {} (line {eline}, column {ecol})", e.message),
                )
                .at(line, col)
                .with_hint(e.hint),
            );
            self.pos = limit;
        }
    }

    /// The key of a (possibly broken) entry, for messages.
    fn entry_key_hint(&self, at: usize, limit: usize) -> Option<&'a str> {
        let s = &self.src[at..limit];
        let open = s.find(['{', '('])?;
        let rest = s[open + 1..].trim_start();
        let end = rest.bytes().position(|c| !is_key_char(c))?;
        let key = &rest[..end];
        (!key.is_empty()).then_some(key)
    }

    fn skip_ws(&mut self, limit: usize) {
        while self.pos < limit && self.b[self.pos].is_ascii_whitespace() {
            self.pos += 1;
        }
    }

    /// Skips whitespace and `%` comment lines inside an entry (not BibTeX, but widely written).
    fn skip_ws_comments(&mut self, limit: usize) {
        loop {
            self.skip_ws(limit);
            if self.pos < limit && self.b[self.pos] == b'%' {
                while self.pos < limit && self.b[self.pos] != b'\n' {
                    self.pos += 1;
                }
            } else {
                return;
            }
        }
    }

    fn skip_group(&mut self, close: u8, limit: usize) -> Res<()> {
        let open_at = self.pos.saturating_sub(1);
        let mut depth = 0usize;
        while self.pos < limit {
            let c = self.b[self.pos];
            self.pos += 1;
            match c {
                b'{' => depth += 1,
                b'}' if depth > 0 => depth -= 1,
                _ if c == close && depth == 0 => return Ok(()),
                _ => {}
            }
        }
        err(
            open_at,
            "unbalanced braces: the group is never closed",
            "close the `{` of this item",
        )
    }

    fn string_def(&mut self, close: u8, limit: usize) -> Res<()> {
        let fields = self.fields(close, limit)?;
        for (name, value) in fields {
            self.macros.insert(name, value);
        }
        Ok(())
    }

    fn entry(&mut self, kind: &str, line: u32, close: u8, limit: usize) -> Res<RawEntry> {
        self.skip_ws(limit);
        let key_start = self.pos;
        while self.pos < limit && is_key_char(self.b[self.pos]) {
            self.pos += 1;
        }
        let key = self.src[key_start..self.pos].to_string();
        self.skip_ws(limit);
        if key.is_empty() || self.b.get(self.pos) == Some(&b'=') {
            return err(
                key_start,
                "the entry has no citation key",
                "write the key right after the brace: `@article{key, title = {...}}`",
            );
        }
        match self.b.get(self.pos) {
            Some(b',') if self.pos < limit => self.pos += 1,
            Some(&c) if c == close && self.pos < limit => {
                self.pos += 1;
                return Ok(RawEntry {
                    kind: kind.to_string(),
                    key,
                    line,
                    fields: Vec::new(),
                });
            }
            _ => {
                return err(
                    self.pos,
                    format!("expected `,` after the key `{key}`"),
                    "separate the key from the first field with a comma",
                )
            }
        }
        let fields = self.fields(close, limit)?;
        Ok(RawEntry {
            kind: kind.to_string(),
            key,
            line,
            fields,
        })
    }

    /// `name = value, ...` up to and including the closing delimiter.
    fn fields(&mut self, close: u8, limit: usize) -> Res<Vec<(String, String)>> {
        let mut fields: Vec<(String, String)> = Vec::new();
        let mut written = 0usize;
        loop {
            self.skip_ws_comments(limit);
            if self.pos >= limit {
                return err(
                    self.pos.min(limit),
                    "the entry is never closed",
                    "add the closing `}` of the entry",
                );
            }
            if self.b[self.pos] == close {
                self.pos += 1;
                return Ok(fields);
            }
            written += 1;
            if written > MAX_FIELDS {
                return err(
                    self.pos,
                    format!("more than {MAX_FIELDS} fields in one entry"),
                    "split the entry or remove fields",
                );
            }
            let name_start = self.pos;
            while self.pos < limit && is_ident(self.b[self.pos]) {
                self.pos += 1;
            }
            if self.pos == name_start {
                let c = self.src[self.pos..].chars().next().unwrap_or(' ');
                return err(
                    self.pos,
                    format!("expected a field name, found `{c}`"),
                    "fields are written `name = {value},`",
                );
            }
            let name = self.src[name_start..self.pos].to_ascii_lowercase();
            self.skip_ws(limit);
            if self.b.get(self.pos) != Some(&b'=') || self.pos >= limit {
                return err(
                    self.pos,
                    format!("expected `=` after the field name `{name}`"),
                    "fields are written `name = {value},`",
                );
            }
            self.pos += 1;
            self.skip_ws(limit);
            let value_at = self.pos;
            let value = self.value(&name, limit)?;
            if self.swallowing.is_none() && contains_field_line(&value) {
                self.swallowing = Some((name.clone(), value_at));
            }
            self.skip_ws_comments(limit);
            match self.b.get(self.pos) {
                Some(b',') if self.pos < limit => self.pos += 1,
                Some(&c) if c == close && self.pos < limit => {}
                _ => {
                    return err(
                        self.pos,
                        format!("expected `,` or the end of the entry after the field `{name}`"),
                        "separate fields with commas; a `{` inside a value may be unbalanced",
                    )
                }
            }
            if fields.iter().any(|(n, _)| *n == name) {
                let (line, col) = self.line_col(name_start);
                self.diags.push(
                    Diagnostic::warning(
                        "bib-duplicate-field",
                        format!(
                            "field `{name}` is given twice in one entry; the first one is used"
                        ),
                    )
                    .at(line, col)
                    .with_hint("remove one of them"),
                );
            } else {
                fields.push((name, value));
            }
        }
    }

    /// `piece # piece # ...` where a piece is `{...}`, `"..."`, a number or a macro name.
    fn value(&mut self, field: &str, limit: usize) -> Res<String> {
        let mut out = String::new();
        loop {
            let start = self.pos;
            match self.b.get(self.pos) {
                Some(b'{') if self.pos < limit => {
                    let inner = self.delimited(b'}', limit)?;
                    out.push_str(inner);
                }
                Some(b'"') if self.pos < limit => {
                    let inner = self.delimited(b'"', limit)?;
                    out.push_str(inner);
                }
                Some(c) if self.pos < limit && c.is_ascii_digit() => {
                    while self.pos < limit && self.b[self.pos].is_ascii_digit() {
                        self.pos += 1;
                    }
                    out.push_str(&self.src[start..self.pos]);
                }
                Some(&c) if self.pos < limit && is_ident(c) => {
                    while self.pos < limit && is_ident(self.b[self.pos]) {
                        self.pos += 1;
                    }
                    let name = &self.src[start..self.pos];
                    let key = name.to_ascii_lowercase();
                    match self.macros.get(&key).map(String::len) {
                        Some(n) if self.expanded.saturating_add(n) > MAX_EXPANDED_BYTES => {
                            if self.expanded <= MAX_EXPANDED_BYTES {
                                self.expanded = MAX_EXPANDED_BYTES + 1;
                                let (line, col) = self.line_col(start);
                                self.diags.push(
                                    Diagnostic::error(
                                        "bib-limit",
                                        format!(
                                            "@string macros expand to more than {} MiB in this file; `{name}` and the macros after it are left empty",
                                            MAX_EXPANDED_BYTES >> 20
                                        ),
                                    )
                                    .at(line, col)
                                    .with_hint("write the values out, or use long @string macros in fewer places"),
                                );
                            }
                        }
                        Some(n) => {
                            self.expanded += n;
                            out.push_str(self.macros.get(&key).map_or("", String::as_str));
                        }
                        None => {
                            let (line, col) = self.line_col(start);
                            self.diags.push(
                                Diagnostic::warning(
                                    "bib-unknown-macro",
                                    format!("`{name}` in field `{field}` is not a defined @string macro; used as text"),
                                )
                                .at(line, col)
                                .with_hint(format!("write the value in braces: `{field} = {{{name}}}`")),
                            );
                            out.push_str(name);
                        }
                    }
                }
                _ => {
                    return err(
                        self.pos,
                        format!("missing value for the field `{field}`"),
                        "write the value in braces: `name = {value}`",
                    )
                }
            }
            if out.len() > MAX_VALUE_BYTES {
                return err(
                    start,
                    format!("the value of `{field}` is larger than 1 MiB"),
                    "check for runaway @string concatenation",
                );
            }
            self.skip_ws(limit);
            if self.pos < limit && self.b[self.pos] == b'#' {
                self.pos += 1;
                self.skip_ws(limit);
            } else {
                return Ok(out);
            }
        }
    }

    /// A `{...}` or `"..."` piece; braces inside must balance (`\{` counts, as in BibTeX; `\"`
    /// does not end a quoted value). Returns the text between the delimiters and leaves `pos`
    /// after the closing one.
    fn delimited(&mut self, close: u8, limit: usize) -> Res<&'a str> {
        let open = self.pos;
        self.pos += 1;
        let mut depth = usize::from(close == b'}');
        while self.pos < limit {
            let c = self.b[self.pos];
            self.pos += 1;
            match c {
                b'\\' if self.pos < limit && self.b[self.pos] == b'"' => self.pos += 1,
                b'{' => depth += 1,
                b'}' if depth == 0 => {
                    return err(
                        self.pos - 1,
                        "unbalanced braces: a `}` closes more than was opened",
                        "remove the extra `}` or add the missing `{`",
                    )
                }
                b'}' => {
                    depth -= 1;
                    if depth == 0 && close == b'}' {
                        return Ok(&self.src[open + 1..self.pos - 1]);
                    }
                }
                b'"' if depth == 0 && close == b'"' => {
                    return Ok(&self.src[open + 1..self.pos - 1]);
                }
                _ => {}
            }
        }
        let (l, c) = self.line_col(open);
        err(
            open,
            format!("unbalanced braces: the value opened at line {l}, column {c} is never closed"),
            "add the missing `}` (or `\"`) to this value",
        )
    }
}
