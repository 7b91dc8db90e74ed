//! Renders every post body of the corpora (or of the folders given as arguments) many times and
//! prints MB/s, expressions found and diagnostics. Run with `--release`.

use blogtrack_markdown::{render, MathRenderer, Options};
use std::time::Instant;

struct Count(usize);

impl MathRenderer for Count {
    fn render_math(&mut self, tex: &str, _display: bool, _line: u32) -> String {
        self.0 += 1;
        tex.len().to_string()
    }
}

fn main() {
    let dirs: Vec<String> = std::env::args().skip(1).collect();
    let dirs = if dirs.is_empty() {
        let root = blogtrack_testcorpus::for_tool_or_exit(None)
            .display()
            .to_string();
        vec![
            format!("{root}/iclr-2023/_posts"),
            format!("{root}/iclr-2024/_posts"),
        ]
    } else {
        dirs
    };
    let mut bodies = Vec::new();
    for d in &dirs {
        let Ok(rd) = std::fs::read_dir(d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "md") {
                let t = std::fs::read_to_string(&p).unwrap_or_default();
                let body = match t.strip_prefix("---").and_then(|r| r.split_once("\n---")) {
                    Some((_, rest)) => rest.split_once('\n').map_or("", |x| x.1).to_string(),
                    None => t.clone(),
                };
                bodies.push((p.display().to_string(), body));
            }
        }
    }
    let bytes: usize = bodies.iter().map(|b| b.1.len()).sum();
    let mut math = Count(0);
    let mut diags = 0;
    for (name, b) in &bodies {
        let out = render(b, &Options::default(), &mut math);
        diags += out.diagnostics.len();
        for d in out.diagnostics {
            println!("{name}: {d}");
        }
    }
    println!(
        "{} posts, {} bytes, {} math expressions, {} diagnostics",
        bodies.len(),
        bytes,
        math.0,
        diags
    );
    let rounds = 20;
    let t = Instant::now();
    for _ in 0..rounds {
        for (_, b) in &bodies {
            std::hint::black_box(render(b, &Options::default(), &mut math));
        }
    }
    let secs = t.elapsed().as_secs_f64();
    println!("{:.1} MB/s", (bytes * rounds) as f64 / secs / 1e6);
}
