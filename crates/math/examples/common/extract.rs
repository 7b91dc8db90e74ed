//! The delimiter scan shared by the examples: finds math in a post the simple way (not the
//! Markdown stage's rules), skipping front matter and code.

use std::path::{Path, PathBuf};

/// The posts under `root`: files in `_posts` folders at any depth, in path order.
pub fn posts(root: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(root) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            posts(&p, out);
        } else if p
            .parent()
            .and_then(|d| d.file_name())
            .is_some_and(|n| n == "_posts")
        {
            out.push(p);
        }
    }
}

/// Body without front matter, with fenced code and `{% highlight %}` blocks blanked.
pub fn body(text: &str) -> String {
    let mut out = String::new();
    let mut lines = text.lines();
    let mut first = true;
    let mut in_front = false;
    let mut fence: Option<&str> = None;
    for line in lines.by_ref() {
        let t = line.trim_start();
        if first && t == "---" {
            in_front = true;
            first = false;
            out.push('\n');
            continue;
        }
        first = false;
        if in_front {
            if t == "---" {
                in_front = false;
            }
            out.push('\n');
            continue;
        }
        match fence {
            Some(f) => {
                if t.starts_with(f) {
                    fence = None;
                }
                out.push('\n');
                continue;
            }
            None => {
                if t.starts_with("```") || t.starts_with("~~~") {
                    fence = Some(if t.starts_with("```") { "```" } else { "~~~" });
                    out.push('\n');
                    continue;
                }
                if t.starts_with("{% highlight") {
                    fence = Some("{% endhighlight");
                    out.push('\n');
                    continue;
                }
            }
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

const ENVS: [&str; 14] = [
    "equation",
    "equation*",
    "align",
    "align*",
    "gather",
    "gather*",
    "multline",
    "multline*",
    "eqnarray",
    "eqnarray*",
    "alignat",
    "alignat*",
    "flalign",
    "flalign*",
];

/// (tex, display) in order of appearance.
pub fn extract(text: &str) -> Vec<(String, bool)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let rest = &text[i..];
        if rest.starts_with("\\\\(") || rest.starts_with("\\\\[") {
            let close = if rest.starts_with("\\\\[") {
                "\\\\]"
            } else {
                "\\\\)"
            };
            match rest[3..].find(close) {
                Some(e) => {
                    out.push((rest[3..3 + e].to_string(), close.ends_with(']')));
                    i += 6 + e;
                }
                None => i += 3,
            }
        } else if rest.starts_with("\\$") {
            i += 2;
        } else if let Some(inner) = rest.strip_prefix("$$") {
            match inner.find("$$") {
                Some(e) => {
                    out.push((inner[..e].to_string(), true));
                    i += 4 + e;
                }
                None => i += 2,
            }
        } else if rest.starts_with("\\[") || rest.starts_with("\\(") {
            let close = if rest.starts_with("\\[") {
                "\\]"
            } else {
                "\\)"
            };
            match rest[2..].find(close) {
                Some(e) => {
                    out.push((rest[2..2 + e].to_string(), close == "\\]"));
                    i += 4 + e;
                }
                None => i += 2,
            }
        } else if let Some(after) = rest.strip_prefix("\\begin{") {
            let name = after.split('}').next().unwrap_or("");
            let end = format!("\\end{{{name}}}");
            match (ENVS.contains(&name), rest.find(&end)) {
                (true, Some(e)) => {
                    out.push((rest[..e + end.len()].to_string(), true));
                    i += e + end.len();
                }
                _ => i += 7,
            }
        } else if rest.starts_with('$') {
            match inline_dollar(rest) {
                Some(e) => {
                    out.push((rest[1..e].to_string(), false));
                    i += e + 1;
                }
                None => i += 1,
            }
        } else {
            i += rest.chars().next().map_or(1, char::len_utf8);
        }
    }
    out
}

/// End of `$…$` (index of the closing `$`), unless it looks like currency or spans a paragraph.
fn inline_dollar(rest: &str) -> Option<usize> {
    let after = rest[1..].chars().next()?;
    if after.is_whitespace() || after.is_ascii_digit() {
        return None;
    }
    let mut prev = '$';
    for (j, c) in rest.char_indices().skip(1) {
        if c == '$' && prev != '\\' {
            let next = rest[j + 1..].chars().next();
            if prev.is_whitespace() || next.is_some_and(|n| n.is_ascii_digit()) {
                return None;
            }
            return Some(j);
        }
        if c == '\n' && rest[j + 1..].starts_with('\n') {
            return None;
        }
        prev = c;
    }
    None
}
