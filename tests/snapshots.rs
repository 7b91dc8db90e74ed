//! Snapshot tests of the citation stage: each `tests/fragments/citations/NAME.html` (a post body
//! after the Markdown stage) is run through [`Scholar`] with `NAME.bib` as the post's
//! bibliography when it exists, and the rendered body, the References and Footnotes lists and
//! every diagnostic (the `.bib` parser's and the citation stage's) are compared with the reviewed
//! snapshot in `tests/snapshots/`. After an intended change: `cargo insta review` (or
//! `INSTA_UPDATE=always cargo test --test snapshots`) and read the diff before committing it.

use blogtrack::render::scholar::Scholar;
use blogtrack_diag::Diagnostic;
use blogtrack_math::MathContext;
use std::fmt::Write;
use std::path::Path;

fn diagnostics(text: &mut String, diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        let file = d.file.as_deref().unwrap_or("-");
        let _ = writeln!(text, "{} {file}:{}: {}", d.code, d.line, d.message);
    }
}

fn describe(html_path: &Path) -> String {
    let body = std::fs::read_to_string(html_path).expect("fixture is readable");
    let bib_path = html_path.with_extension("bib");
    let (bib, bib_name, mut text) = match std::fs::read_to_string(&bib_path) {
        Ok(source) => {
            let (bib, diags) = blogtrack_bib::parse(&source);
            let mut text = String::from("---- bib diagnostics\n");
            diagnostics(&mut text, &diags);
            let name = bib_path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned());
            (Some(bib), name, text)
        }
        Err(_) => (None, None, String::from("---- no bib\n")),
    };
    let mut scholar = Scholar::new(bib.as_ref(), bib_name, &body, 1).with_math(MathContext::new());
    let html = scholar.process(&body);
    text.push_str("---- body\n");
    text.push_str(&html);
    text.push_str("---- references\n");
    for r in &scholar.references {
        let _ = writeln!(text, "[{}] #{}: {}", r.number, r.id, r.html);
    }
    text.push_str("---- footnotes\n");
    for f in &scholar.footnotes {
        let _ = writeln!(
            text,
            "{} #{} (from #{}): {}",
            f.number, f.id, f.ref_id, f.html
        );
    }
    let _ = writeln!(text, "---- cited in order: {}", scholar.cited.join(", "));
    text.push_str("---- diagnostics\n");
    diagnostics(&mut text, &scholar.diagnostics);
    text
}

#[test]
fn citations() {
    insta::glob!("fragments/citations/*.html", |path| {
        insta::assert_snapshot!(describe(path));
    });
}
