//! Renders every math expression of a corpus of posts and reports how many fail, grouped by
//! cause, and the time per expression.
//!
//! Usage: `cargo run --release -p blogtrack-math --example coverage -- [CORPUS] [-v]` (default:
//! the corpus, found as `blogtrack-testcorpus` says).
//!
//! The expressions are found with a simple delimiter scan (`$$…$$`, `$…$` that is not currency,
//! `\(…\)`, `\[…\]`, bare `\begin{equation|align|…}`), skipping front matter and code; it is a
//! measuring tool, not the Markdown stage's math finder.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use blogtrack_math::MathContext;

#[path = "common/extract.rs"]
mod extract;
use extract::{body, extract, posts};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let verbose = args.iter().any(|a| a == "-v");
    let root =
        blogtrack_testcorpus::for_tool_or_exit(args.iter().find(|a| !a.starts_with('-')).cloned());
    let mut files = Vec::new();
    posts(&root, &mut files);
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
