//! Renders every math expression of a corpus of posts and reports how many fail, grouped by
//! cause, and the time per expression.
//!
//! Usage: `cargo run --release -p blogtrack-math --example coverage -- /work/shared/corpus [-v]`
//!
//! The expressions are found with a simple delimiter scan (`$$…$$`, `$…$` that is not currency,
//! `\(…\)`, `\[…\]`, bare `\begin{equation|align|…}`), skipping front matter and code; it is a
//! measuring tool, not the Markdown stage's math finder.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use blogtrack_math::MathContext;

fn posts(root: &Path, out: &mut Vec<PathBuf>) {
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
fn body(text: &str) -> String {
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
fn extract(text: &str) -> Vec<(String, bool)> {
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

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let verbose = args.iter().any(|a| a == "-v");
    let root = args
        .iter()
        .find(|a| !a.starts_with('-'))
        .cloned()
        .unwrap_or_else(|| "/work/shared/corpus".into());
    let mut files = Vec::new();
    posts(Path::new(&root), &mut files);
    let mut total = 0usize;
    let mut failed = 0usize;
    let mut liquid = 0usize;
    let mut unknown_labels = 0usize;
    let mut causes: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut time = Duration::ZERO;
    let mut bytes = 0usize;
    for f in &files {
        let Ok(text) = std::fs::read_to_string(f) else {
            continue;
        };
        let exprs = extract(&body(&text));
        let mut ctx = MathContext::new();
        let mut html = String::new();
        for (tex, display) in &exprs {
            total += 1;
            let t0 = Instant::now();
            let r = ctx.render(tex, *display);
            time += t0.elapsed();
            match r {
                Ok(h) => {
                    bytes += h.len();
                    html.push_str(&h);
                }
                Err(e) => {
                    failed += 1;
                    if tex.contains("{{") || tex.contains("{%") {
                        liquid += 1;
                    }
                    let cause = e.to_string();
                    let key = cause.split(" (at").next().unwrap_or(&cause).to_string();
                    let name = f
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    causes.entry(key).or_default().push(format!(
                        "{name}: {}",
                        tex.chars().take(160).collect::<String>().replace('\n', " ")
                    ));
                }
            }
        }
        let (_, diags) = ctx.finish(&html);
        unknown_labels += diags.len();
        if verbose {
            for d in diags {
                println!("{}: {d}", f.display());
            }
        }
    }
    let ok = total - failed;
    println!("posts: {}, expressions: {total}, rendered: {ok} ({:.2}%), failed: {failed} (of which containing Liquid markup: {liquid})",
        files.len(), 100.0 * ok as f64 / total.max(1) as f64);
    println!("label warnings from finish: {unknown_labels}");
    println!(
        "time: {:.1} µs per expression ({} ms total), output {} KB",
        time.as_secs_f64() * 1e6 / total.max(1) as f64,
        time.as_millis(),
        bytes / 1024
    );
    let mut grouped: Vec<_> = causes.into_iter().collect();
    grouped.sort_by_key(|g| std::cmp::Reverse(g.1.len()));
    for (cause, list) in grouped {
        println!("\n{:>4} × {cause}", list.len());
        for ex in list.iter().take(if verbose { 50 } else { 3 }) {
            println!("       {ex}");
        }
    }
}
