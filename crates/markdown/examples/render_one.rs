//! Prints the HTML of one post body (front matter skipped), math shown as `[i:tex]`/`[d:tex]`,
//! then its headings and diagnostics. For eyeballing output against the old site.

use blogtrack_markdown::{render, MathRenderer, Options};

struct Show;

impl MathRenderer for Show {
    fn render_math(&mut self, tex: &str, display: bool, _line: u32) -> String {
        format!("[{}:{tex}]", if display { "d" } else { "i" })
    }
}

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: render_one POST.md");
        return;
    };
    let t = std::fs::read_to_string(&path).unwrap_or_default();
    let body = match t.strip_prefix("---").and_then(|r| r.split_once("\n---")) {
        Some((_, rest)) => rest.split_once('\n').map_or("", |x| x.1).to_string(),
        None => t.clone(),
    };
    let out = render(&body, &Options::default(), &mut Show);
    println!("{}", out.html);
    for h in &out.headings {
        println!("# h{} {} {:?} (line {})", h.level, h.id, h.text, h.line);
    }
    for d in &out.diagnostics {
        println!("{d}");
    }
}
