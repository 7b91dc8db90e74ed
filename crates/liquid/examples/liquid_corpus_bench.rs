//! Measures rendering speed over the corpus posts and pages.
//!
//! `cargo run --release -p blogtrack-liquid --example liquid_corpus_bench [CORPUS_DIR]`
//! Prints MB/s for whole posts (parse + render) and for markup-free text (the fast path).

use std::time::Instant;

use blogtrack_diag::Diagnostic;
use blogtrack_liquid::{render, Host, Object, Value};

struct Markers;

impl Host for Markers {
    fn include(&mut self, n: &str, p: &[(String, Value)], _: u32) -> Result<String, Diagnostic> {
        Ok(format!("<include {n} {}>", p.len()))
    }
    fn post_url(&mut self, n: &str, _: u32) -> Result<String, Diagnostic> {
        Ok(format!("/blog/{n}/"))
    }
    fn highlight(&mut self, l: &str, _: bool, c: &str, _: u32) -> String {
        format!("<pre {l}>{c}</pre>")
    }
    fn twitter(&mut self, u: &str, _: u32) -> String {
        format!("<a href=\"{u}\">tweet</a>")
    }
    fn mermaid(&mut self, s: &str, _: u32) -> String {
        format!("<pre class=\"mermaid\">{s}</pre>")
    }
    fn relative_url(&self, p: &str) -> String {
        format!("/2024/{}", p.trim_start_matches('/'))
    }
    fn absolute_url(&self, p: &str) -> String {
        format!("https://example.org{}", self.relative_url(p))
    }
}

fn main() {
    let root = blogtrack_testcorpus::for_tool_or_exit(std::env::args().nth(1));
    let mut texts = Vec::new();
    for year in ["iclr-2023", "iclr-2024"] {
        for dir in ["_posts", "_pages"] {
            let Ok(entries) = std::fs::read_dir(root.join(year).join(dir)) else {
                continue;
            };
            for e in entries.flatten() {
                if let Ok(t) = std::fs::read_to_string(e.path()) {
                    texts.push(t);
                }
            }
        }
    }
    let bytes: usize = texts.iter().map(String::len).sum();
    let globals = Object::new();
    let rounds = 20;
    let start = Instant::now();
    let mut diags = 0;
    for _ in 0..rounds {
        for t in &texts {
            diags += render(t, &globals, &mut Markers).diagnostics.len();
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{} files, {:.1} MB per round: {:.0} MB/s parse+render ({} diagnostics per round)",
        texts.len(),
        bytes as f64 / 1e6,
        (bytes * rounds) as f64 / 1e6 / secs,
        diags / rounds
    );
    let plain: Vec<String> = texts.iter().map(|t| t.replace('{', "(")).collect();
    let start = Instant::now();
    for _ in 0..rounds {
        for t in &plain {
            std::hint::black_box(render(t, &globals, &mut Markers));
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "markup-free text: {:.0} MB/s",
        (bytes * rounds) as f64 / 1e6 / secs
    );
}
