//! Highlights every fenced code block of the corpus posts and reports timings.
//!
//! `cargo run --release -p blogtrack-highlight --example bench [corpus dir]`

use std::time::Instant;

use blogtrack_highlight::Highlighter;

fn blocks(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut current: Option<(String, String, &str)> = None;
    for line in text.lines() {
        let t = line.trim_start();
        match &mut current {
            None => {
                if let Some(lang) = t.strip_prefix("```") {
                    current = Some((lang.trim().to_string(), String::new(), "```"));
                } else if let Some(rest) = t.strip_prefix("{% highlight ") {
                    let lang = rest.split_whitespace().next().unwrap_or("").to_string();
                    current = Some((lang, String::new(), "{% endhighlight"));
                }
            }
            Some((lang, code, end)) => {
                if t.starts_with(*end) {
                    out.push((std::mem::take(lang), std::mem::take(code)));
                    current = None;
                } else {
                    code.push_str(line);
                    code.push('\n');
                }
            }
        }
    }
    out
}

fn main() {
    let root = blogtrack_testcorpus::for_tool_or_exit(std::env::args().nth(1));
    let mut all = Vec::new();
    for track in ["iclr-2023", "iclr-2024"] {
        let dir = std::path::Path::new(&root).join(track).join("_posts");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            eprintln!("cannot read {}", dir.display());
            continue;
        };
        for e in entries.flatten() {
            if let Ok(text) = std::fs::read_to_string(e.path()) {
                all.extend(blocks(&text));
            }
        }
    }
    let bytes: usize = all.iter().map(|(_, c)| c.len()).sum();
    let mut langs: Vec<&str> = all.iter().map(|(l, _)| l.as_str()).collect();
    langs.sort();
    langs.dedup();
    println!(
        "{} blocks, {} bytes, languages: {:?}",
        all.len(),
        bytes,
        langs
    );

    let t = Instant::now();
    let h = Highlighter::new();
    let first = h.highlight(
        "import numpy as np\nx = np.zeros(3)\n",
        Some("python"),
        false,
    );
    println!(
        "new() + first python block: {:?} ({} bytes out)",
        t.elapsed(),
        first.len()
    );

    let t = Instant::now();
    let mut out = 0;
    for (lang, code) in &all {
        out += h.highlight(code, Some(lang), false).len();
    }
    let cold = t.elapsed();
    println!("first pass over all blocks (grammars compile on first use): {cold:?}");

    let t = Instant::now();
    for (lang, code) in &all {
        out += h.highlight(code, Some(lang), true).len();
    }
    let warm = t.elapsed();
    println!(
        "second pass: {warm:?} = {:.1} µs/block, {:.1} MB/s ({out} bytes of HTML in total)",
        warm.as_secs_f64() * 1e6 / all.len().max(1) as f64,
        bytes as f64 / warm.as_secs_f64() / 1e6
    );
    for (lang, _) in &all {
        if h.syntax_name(lang).is_none() && !lang.is_empty() {
            println!("shown as plain text: {lang}");
        }
    }
}
