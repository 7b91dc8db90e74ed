//! What libyaml (Jekyll's Psych) accepts beyond the YAML spec, rewritten so the spec parser
//! reads it the same way.
//!
//! Jekyll built posts whose front matter strict YAML 1.2 parsers reject. Two cases occur:
//!
//! - a multi-line quoted scalar (or inline `[...]`/`{...}` list or map) whose continuation lines
//!   start left of where the spec allows (`description: "first line` / `second line."` at column
//!   1). libyaml does not check the indentation of those lines; the spec wants them indented
//!   past the key. Leading white space of a continuation line is dropped when the value is
//!   folded, so indenting the lines changes nothing in the value;
//! - a tab as the separator after a key's `:` (`key:<TAB>value`), which libyaml reads as a space.
//!
//! [`repair`] is tried only after the text failed to parse. It walks the text once with a small
//! lexer (quotes, flow brackets, comments, block scalars, `: `/`- ` indicators), rewrites those
//! two constructs, and returns the new text, one note per rewritten construct, and the column
//! shift of every rewritten line (so positions still point into the original text). Lines are
//! never added or removed. A document marker (`---`, `...`) inside a quoted value is an error in
//! libyaml too, so that value is left as it is.

use blogtrack_diag::Diagnostic;

/// The text rewritten for the spec parser, with what was rewritten.
pub struct Repaired {
    pub text: String,
    pub notes: Vec<Diagnostic>,
    /// (1-based line, characters of indentation written, characters of indentation removed)
    /// for every re-indented line.
    shifts: Vec<(u32, u32, u32)>,
}

impl Repaired {
    /// The column in the original text of column `col` (1-based) of line `line` of
    /// [`Repaired::text`].
    pub fn original_col(&self, line: u32, col: u32) -> u32 {
        match self.shifts.binary_search_by_key(&line, |s| s.0) {
            Ok(i) => {
                let (_, added, removed) = self.shifts[i];
                if col > added {
                    col - added + removed
                } else {
                    removed.min(col.saturating_sub(1)) + 1
                }
            }
            Err(_) => col,
        }
    }
}

/// Character columns of increasing byte offsets in one line, counted once (a line of many
/// tokens stays linear).
#[derive(Default)]
struct Cols {
    byte: usize,
    col: usize,
}

impl Cols {
    fn at(&mut self, b: &[u8], i: usize) -> usize {
        let i = i.min(b.len());
        if i < self.byte {
            *self = Cols::default();
        }
        self.col += b[self.byte..i]
            .iter()
            .filter(|&&c| c & 0xC0 != 0x80)
            .count();
        self.byte = i;
        self.col
    }
}

/// A construct that spans lines, opened on line `line` (1-based) at column `col` (1-based).
struct Open {
    line: u32,
    col: u32,
    /// Least indentation (in columns) the spec wants for its continuation lines.
    need: usize,
    /// Lines re-indented so far (0-based).
    fixed: Vec<usize>,
    /// A document marker was met inside it: leave it alone.
    broken: bool,
}

#[derive(PartialEq)]
enum Quote {
    Double,
    Single,
}

/// Rewrites what libyaml accepts and the spec does not; `None` when there is nothing to rewrite.
pub fn repair(text: &str) -> Option<Repaired> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    // Per line: the new indentation width, if the line is re-indented.
    let mut reindent: Vec<Option<usize>> = vec![None; lines.len()];
    let mut tab_fixes: Vec<(usize, usize)> = Vec::new();
    let mut notes = Vec::new();

    let mut quote: Option<(Quote, Open)> = None;
    let mut flow_depth = 0usize;
    let mut flow: Option<Open> = None;
    let mut block_parent: Option<usize> = None;

    for (li, raw) in lines.iter().enumerate() {
        let line = raw.trim_end_matches(['\n', '\r']);
        let ws = line.len() - line.trim_start_matches([' ', '\t']).len();
        let indent = line[..ws].chars().filter(|&c| c == ' ').count();
        let blank = line[ws..].is_empty() || (quote.is_none() && line[ws..].starts_with('#'));

        if let Some(parent) = block_parent {
            if blank || (indent > parent && !line[..ws].contains('\t')) {
                continue;
            }
            block_parent = None;
        }
        let continuing = match quote.as_mut() {
            Some((_, o)) => Some(o),
            None => flow.as_mut(),
        };
        if let Some(open) = continuing {
            let marker = (line.starts_with("---") || line.starts_with("..."))
                && line[3..]
                    .chars()
                    .next()
                    .is_none_or(|c| c == ' ' || c == '\t');
            if marker {
                open.broken = true;
            } else if !blank && (indent < open.need || line[..ws].contains('\t')) {
                reindent[li] = Some(open.need);
                open.fixed.push(li);
            }
        }

        // The lexer over one line.
        let b = line.as_bytes();
        let mut i = ws;
        let mut token_start = true;
        // Column (characters) of the owning block entry's start: the key, or the `-` of an item.
        let mut cols = Cols::default();
        let mut col_of = |i: usize| cols.at(b, i);
        let mut entry_col = col_of(ws);
        let mut after_value = false;
        while i < b.len() {
            if let Some((q, _)) = &quote {
                match (q, b[i]) {
                    (Quote::Double, b'\\') => i += 2,
                    (Quote::Double, b'"') | (Quote::Single, b'\'')
                        if !(*q == Quote::Single && b.get(i + 1) == Some(&b'\'')) =>
                    {
                        if let Some((_, o)) = quote.take() {
                            finish(o, &mut reindent, &mut notes, "quoted value");
                        }
                        token_start = false;
                        i += 1;
                    }
                    (Quote::Single, b'\'') => i += 2,
                    _ => i += 1,
                }
                continue;
            }
            let c = b[i];
            let next = b.get(i + 1).copied();
            let next_blank = next.is_none_or(|n| n == b' ' || n == b'\t' || n == b'\r');
            match c {
                b' ' | b'\t' => {}
                b'#' if i == 0 || matches!(b[i - 1], b' ' | b'\t') => break,
                b'"' | b'\'' if token_start => {
                    let col = col_of(i);
                    let owner = if after_value || flow_depth > 0 {
                        entry_col
                    } else {
                        col
                    };
                    let kind = if c == b'"' {
                        Quote::Double
                    } else {
                        Quote::Single
                    };
                    let open = Open {
                        line: li as u32 + 1,
                        col: col as u32 + 1,
                        need: owner + 1,
                        fixed: Vec::new(),
                        broken: false,
                    };
                    if flow_depth == 0 {
                        quote = Some((kind, open));
                    } else {
                        // Inside a flow collection the collection's own rule applies.
                        quote = Some((
                            kind,
                            Open {
                                need: flow.as_ref().map_or(open.need, |f| f.need),
                                ..open
                            },
                        ));
                    }
                    i += 1;
                    continue;
                }
                b'[' | b'{' if token_start || flow_depth > 0 => {
                    if flow_depth == 0 {
                        let col = col_of(i);
                        let owner = if after_value { entry_col } else { col };
                        flow = Some(Open {
                            line: li as u32 + 1,
                            col: col as u32 + 1,
                            need: owner + 1,
                            fixed: Vec::new(),
                            broken: false,
                        });
                    }
                    flow_depth += 1;
                    token_start = true;
                }
                b']' | b'}' if flow_depth > 0 => {
                    flow_depth -= 1;
                    token_start = false;
                    if flow_depth == 0 {
                        if let Some(o) = flow.take() {
                            finish(o, &mut reindent, &mut notes, "inline list or map");
                        }
                    }
                }
                b',' if flow_depth > 0 => token_start = true,
                b':' if next_blank || flow_depth > 0 => {
                    if flow_depth == 0 && next == Some(b'\t') {
                        tab_fixes.push((li, i + 1));
                        notes.push(
                            Diagnostic::note(
                                "yaml-not-portable",
                                "a tab separates this key from its value; Jekyll's YAML library \
                                 reads it as a space, but this is not portable YAML",
                            )
                            .at(li as u32 + 1, col_of(i) as u32 + 2)
                            .with_hint("write a space after the `:`"),
                        );
                    }
                    token_start = true;
                    after_value = true;
                }
                b'-' | b'?' if token_start && next_blank && flow_depth == 0 => {
                    entry_col = col_of(i);
                    // The entry of the collection nested in this item starts at the next token.
                    let rest = &line[i + 1..];
                    let skip = rest.len() - rest.trim_start_matches([' ', '\t']).len();
                    if i + 1 + skip < b.len()
                        && !matches!(b[i + 1 + skip], b'"' | b'\'' | b'|' | b'>')
                    {
                        entry_col = col_of(i + 1 + skip);
                    }
                    after_value = true;
                }
                b'|' | b'>' if token_start && flow_depth == 0 => {
                    let rest = line[i + 1..]
                        .trim_start_matches(|c: char| c == '+' || c == '-' || c.is_ascii_digit());
                    let rest = rest.trim_start_matches([' ', '\t']);
                    if rest.is_empty() || rest.starts_with('#') {
                        block_parent = Some(entry_col);
                        break;
                    }
                    token_start = false;
                }
                b'&' | b'!' if token_start => {
                    while i < b.len() && !matches!(b[i], b' ' | b'\t') {
                        i += 1;
                    }
                    continue;
                }
                _ => {
                    if token_start && !after_value && flow_depth == 0 {
                        entry_col = col_of(i);
                    }
                    token_start = false;
                }
            }
            i += 1;
        }
    }
    // Constructs still open at the end are never closed: the parser reports them as they are.
    if let Some((_, o)) = quote {
        unfix(&o, &mut reindent);
    }
    if let Some(o) = flow {
        unfix(&o, &mut reindent);
    }

    if notes.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(text.len() + 64);
    let mut shifts = Vec::new();
    for (li, raw) in lines.iter().enumerate() {
        let mut raw = std::borrow::Cow::Borrowed(*raw);
        for &(_, at) in tab_fixes.iter().filter(|f| f.0 == li) {
            let mut s = raw.into_owned();
            s.replace_range(at..at + 1, " ");
            raw = s.into();
        }
        match reindent[li] {
            Some(need) => {
                let body = raw.trim_start_matches([' ', '\t']);
                let removed = raw[..raw.len() - body.len()].chars().count();
                out.extend(std::iter::repeat_n(' ', need));
                out.push_str(body);
                shifts.push((li as u32 + 1, need as u32, removed as u32));
            }
            None => out.push_str(&raw),
        }
    }
    Some(Repaired {
        text: out,
        notes,
        shifts,
    })
}

/// A construct is closed: keep its re-indented lines (and note them), unless it was broken.
fn finish(o: Open, reindent: &mut [Option<usize>], notes: &mut Vec<Diagnostic>, what: &str) {
    if o.broken {
        unfix(&o, reindent);
        return;
    }
    if o.fixed.is_empty() {
        return;
    }
    notes.push(
        Diagnostic::note(
            "yaml-not-portable",
            format!(
                "this {what} continues on lines indented less than YAML allows; Jekyll's YAML \
                 library reads it, but this is not portable YAML"
            ),
        )
        .at(o.line, o.col)
        .with_hint(format!(
            "indent its continuation lines by at least {} space{}, or write the value on one line",
            o.need,
            if o.need == 1 { "" } else { "s" }
        )),
    );
}

fn unfix(o: &Open, reindent: &mut [Option<usize>]) {
    for &li in &o.fixed {
        reindent[li] = None;
    }
}
