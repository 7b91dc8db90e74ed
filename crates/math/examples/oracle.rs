//! Our half of the MathJax comparison (`crates/math/oracle/run.sh` runs both halves).
//!
//! - `oracle extract DIR…` prints every formula of the posts under each `DIR` (the `_posts`
//!   folders below it, found with the shared delimiter scan) as JSON lines
//!   `{"corpus", "group", "tex", "display"}`; `corpus` is the name of `DIR`, `group` the post.
//! - `oracle report FORMULAS VERDICTS PROBES` renders the same formulas with `MathContext` (one
//!   per post, in order, as the build does), reads MathJax's verdict for each (`mathjax.js
//!   check`) and its command probes (`mathjax.js commands`), and prints the coverage tables as
//!   Markdown, then the formulas MathJax renders and we do not, grouped by our error.

use std::collections::BTreeMap;
use std::path::Path;

use blogtrack_math::MathContext;
use serde_json::{json, Value};

#[path = "common/extract.rs"]
mod extract;

fn extract_cmd(dirs: &[String]) {
    for dir in dirs {
        let root = Path::new(dir);
        let corpus = root
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| dir.clone());
        let mut files = Vec::new();
        extract::posts(root, &mut files);
        for f in files {
            let Ok(text) = std::fs::read_to_string(&f) else {
                eprintln!("{}: not readable as UTF-8, skipped", f.display());
                continue;
            };
            let group = f
                .strip_prefix(root)
                .unwrap_or(&f)
                .to_string_lossy()
                .into_owned();
            for (tex, display) in extract::extract(&extract::body(&text)) {
                let line =
                    json!({"corpus": corpus, "group": group, "tex": tex, "display": display});
                println!("{line}");
            }
        }
    }
}

fn read_lines(path: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(2)
    });
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, l)| {
            serde_json::from_str(l).unwrap_or_else(|e| {
                eprintln!("{path}:{}: not JSON: {e}", i + 1);
                std::process::exit(2)
            })
        })
        .collect()
}

fn text_of<'v>(v: &'v Value, key: &str) -> &'v str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

#[derive(Default)]
struct Tally {
    formulas: usize,
    mathjax: usize,
    ours: usize,
    both: usize,
}

fn report(formulas: &str, verdicts: &str, probes: &str) {
    let formulas = read_lines(formulas);
    let verdicts = read_lines(verdicts);
    if formulas.len() != verdicts.len() {
        eprintln!(
            "{} formulas but {} verdicts: run `mathjax.js check` on the same file",
            formulas.len(),
            verdicts.len()
        );
        std::process::exit(2);
    }
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    let mut missed: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut mathjax_errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut group = String::new();
    let mut ctx = MathContext::new();
    for (f, v) in formulas.iter().zip(&verdicts) {
        if text_of(f, "group") != group {
            group = text_of(f, "group").to_string();
            ctx = MathContext::new();
        }
        let tex = text_of(f, "tex");
        let display = f.get("display").and_then(Value::as_bool).unwrap_or(false);
        let ours = ctx.render(tex, display);
        let mj = v.get("ok").and_then(Value::as_bool).unwrap_or(false);
        let t = tallies.entry(text_of(f, "corpus").to_string()).or_default();
        t.formulas += 1;
        t.mathjax += usize::from(mj);
        t.ours += usize::from(ours.is_ok());
        t.both += usize::from(mj && ours.is_ok());
        let short: String = tex.chars().take(140).collect::<String>().replace('\n', " ");
        let example = format!("{}: {short}", group);
        match (&ours, mj) {
            (Err(e), true) => {
                let msg = e.to_string();
                let key = msg.split(" (at").next().unwrap_or(&msg).to_string();
                missed.entry(key).or_default().push(example);
            }
            (_, false) => {
                let msg = text_of(v, "error").to_string();
                mathjax_errors.entry(msg).or_default().push(example);
            }
            _ => {}
        }
    }
    println!("| corpus | formulas | MathJax renders | we render | both |");
    println!("|---|---:|---:|---:|---:|");
    for (name, t) in &tallies {
        println!(
            "| {name} | {} | {} ({}) | {} ({}) | {} |",
            t.formulas,
            t.mathjax,
            percent(t.mathjax, t.formulas),
            t.ours,
            percent(t.ours, t.formulas),
            t.both
        );
    }
    println!();
    commands_table(&read_lines(probes));
    print_groups("MathJax renders, we do not", missed);
    print_groups("MathJax does not render", mathjax_errors);
}

fn percent(n: usize, of: usize) -> String {
    format!("{:.1}%", 100.0 * n as f64 / of.max(1) as f64)
}

/// Per package: commands MathJax accepts in at least one probe shape, and of those, the ones
/// we render in at least one of the shapes MathJax accepts.
fn commands_table(probes: &[Value]) {
    let mut per: BTreeMap<String, (usize, usize, usize, Vec<String>)> = BTreeMap::new();
    for p in probes {
        let pkg = text_of(p, "package").to_string();
        let kind = text_of(p, "kind");
        let name = text_of(p, "name");
        let shapes: Vec<&str> = p
            .get("probes")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let entry = per.entry(pkg).or_default();
        entry.0 += 1;
        if shapes.is_empty() {
            continue;
        }
        entry.1 += 1;
        let ours = shapes
            .iter()
            .any(|tex| MathContext::new().render(tex, true).is_ok());
        if ours {
            entry.2 += 1;
        } else if kind == "environment" {
            entry.3.push(format!("{{{name}}}"));
        } else {
            entry.3.push(format!("\\{name}"));
        }
    }
    println!("| package | commands | MathJax renders a probe | we render it | we miss |");
    println!("|---|---:|---:|---:|---|");
    for (pkg, (all, mj, ours, miss)) in &per {
        let shown: Vec<String> = miss.iter().map(|m| format!("`{m}`")).collect();
        println!(
            "| {pkg} | {all} | {mj} | {ours} ({}) | {} |",
            percent(*ours, *mj),
            shown.join(" ")
        );
    }
    println!();
}

fn print_groups(title: &str, groups: BTreeMap<String, Vec<String>>) {
    let mut groups: Vec<_> = groups.into_iter().collect();
    groups.sort_by_key(|g| std::cmp::Reverse(g.1.len()));
    let total: usize = groups.iter().map(|g| g.1.len()).sum();
    println!("## {title}: {total}");
    for (cause, list) in groups {
        println!("\n{:>4} × {cause}", list.len());
        for ex in list.iter().take(4) {
            println!("       {ex}");
        }
    }
    println!();
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("extract") if args.len() > 1 => extract_cmd(&args[1..]),
        Some("report") if args.len() == 4 => report(&args[1], &args[2], &args[3]),
        _ => {
            eprintln!("usage: oracle extract DIR… | oracle report FORMULAS VERDICTS PROBES");
            std::process::exit(2);
        }
    }
}
