//! Snapshot tests of the Markdown stage: each file in `tests/fragments/` is rendered with heading
//! anchors on, and its HTML, headings and diagnostics are compared with the reviewed snapshot in
//! `tests/snapshots/`. Math is shown as `[i:tex]` / `[d:tex]` so these snapshots change only when
//! the Markdown stage does (the math stage has its own).
//!
//! After an intended change: `cargo insta review` (or `INSTA_UPDATE=always cargo test`) and read
//! the diff before committing it.

use blogtrack_markdown::{render, MathRenderer, Options};
use std::fmt::Write;

struct Show;

impl MathRenderer for Show {
    fn render_math(&mut self, tex: &str, display: bool, line: u32) -> String {
        format!("[{}@{line}:{tex}]", if display { "d" } else { "i" })
    }
}

fn describe(markdown: &str) -> String {
    let out = render(markdown, &Options::default(), &mut Show);
    let mut text = out.html;
    text.push_str("\n---- headings\n");
    for h in &out.headings {
        let _ = writeln!(text, "h{} #{} line {}: {}", h.level, h.id, h.line, h.text);
    }
    text.push_str("---- diagnostics\n");
    for d in &out.diagnostics {
        let _ = writeln!(text, "{} line {}: {}", d.code, d.line, d.message);
    }
    text
}

#[test]
fn fragments() {
    insta::glob!("fragments/*.md", |path| {
        let markdown = std::fs::read_to_string(path).expect("fixture is readable");
        insta::assert_snapshot!(describe(&markdown));
    });
}
