//! Renders templates separated by `=====` lines and prints one result per template
//! (`N: "output"` or `N: ERR`), the format of the Ruby Liquid script used to compare behaviour.
//!
//! `cargo run -p blogtrack-liquid --example render_snippets FILE`

use blogtrack_diag::Diagnostic;
use blogtrack_liquid::{render, Host, Object, Value};

struct NoHost;

impl Host for NoHost {
    fn include(&mut self, n: &str, _: &[(String, Value)], _: u32) -> Result<String, Diagnostic> {
        Err(Diagnostic::error(
            "liquid-include",
            format!("no include {n}"),
        ))
    }
    fn post_url(&mut self, n: &str, _: u32) -> Result<String, Diagnostic> {
        Err(Diagnostic::error("liquid-post-url", format!("no post {n}")))
    }
    fn highlight(&mut self, _: &str, _: bool, c: &str, _: u32) -> String {
        c.to_string()
    }
    fn twitter(&mut self, u: &str, _: u32) -> String {
        u.to_string()
    }
    fn mermaid(&mut self, s: &str, _: u32) -> String {
        s.to_string()
    }
    fn relative_url(&self, p: &str) -> String {
        p.to_string()
    }
    fn absolute_url(&self, p: &str) -> String {
        p.to_string()
    }
}

fn main() {
    let path = std::env::args().nth(1).unwrap_or_default();
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    for (i, s) in text.split("\n=====\n").enumerate() {
        let r = render(s.trim_end_matches('\n'), &Object::new(), &mut NoHost);
        if r.has_errors() {
            println!("{i}: ERR");
        } else {
            println!("{i}: {:?}", r.output);
        }
    }
}
