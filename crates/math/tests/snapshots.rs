//! Snapshot tests of the math stage: each file in `tests/fragments/` holds expressions separated
//! by `---` lines (a block starting with `% display` is display math), rendered in order with one
//! [`MathContext`], as the expressions of one post are — so macros, labels and equation numbers
//! carry from block to block, and [`MathContext::finish`] settles forward references at the end. An expression that cannot be rendered shows the fallback HTML and
//! the reason. Snapshots are in `tests/snapshots/`; after an intended change run
//! `cargo insta review` (or `INSTA_UPDATE=always cargo test`) and read the diff.

use blogtrack_math::{fallback_html_with_reason, MathContext};

fn describe(source: &str) -> String {
    let mut ctx = MathContext::new();
    let mut text = String::new();
    for block in source.split("\n---\n") {
        let (display, tex) = match block.strip_prefix("% display\n") {
            Some(rest) => (true, rest.trim()),
            None => (false, block.trim()),
        };
        let html = match ctx.render(tex, display) {
            Ok(html) => html,
            Err(e) => {
                let reason = e.to_string();
                format!(
                    "{}\n(error: {reason})",
                    fallback_html_with_reason(tex, display, &reason)
                )
            }
        };
        let mode = if display { "display" } else { "inline" };
        text.push_str(&format!("{mode}: {tex}\n{html}\n\n"));
    }
    // References to labels defined later, and unknown or duplicate labels, are settled once
    // the whole post is rendered.
    let (mut text, diagnostics) = ctx.finish(&text);
    text.push_str("---- diagnostics\n");
    for d in diagnostics {
        text.push_str(&format!("{}: {}\n", d.code, d.message));
    }
    text
}

#[test]
fn fragments() {
    insta::glob!("fragments/*.tex", |path| {
        let source = std::fs::read_to_string(path).expect("fixture is readable");
        insta::assert_snapshot!(describe(&source));
    });
}
