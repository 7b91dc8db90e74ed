//! The house rules that keep the pipeline easy to walk, checked on the source itself: no
//! function of the build pipeline's driver modules (`src/build/`, `src/load/`) is longer than
//! 100 lines. `scripts/longest-functions` measures the same way across the whole repository.

use std::path::Path;

const LIMIT: usize = 100;

/// `(lines, name, first line)` of every function in `text` whose body closes at the indentation
/// of its `fn` line (the measure of `scripts/longest-functions`).
fn function_lengths(text: &str) -> Vec<(usize, String, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        let rest = [
            "pub(crate) ",
            "pub(super) ",
            "pub ",
            "const ",
            "async ",
            "unsafe ",
        ]
        .iter()
        .fold(trimmed, |t, p| t.strip_prefix(p).unwrap_or(t));
        let Some(sig) = rest.strip_prefix("fn ") else {
            i += 1;
            continue;
        };
        if line.trim_end().ends_with(';') {
            i += 1;
            continue;
        }
        let name: String = sig
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let close = format!("{indent}}}");
        match (i + 1..lines.len()).find(|&j| lines[j] == close) {
            Some(end) => {
                out.push((end - i + 1, name, i + 1));
                i = end + 1;
            }
            None => i += 1,
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("the source folder is readable") {
        let path = entry.expect("a folder entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_function_of_the_build_pipeline_is_longer_than_100_lines() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["src/build", "src/load"] {
        rust_files(&root.join(dir), &mut files);
    }
    assert!(files.len() >= 10, "{files:?}");
    let mut long = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).expect("a source file is UTF-8");
        for (n, name, line) in function_lengths(&text) {
            if n > LIMIT {
                long.push(format!("{}:{line} {name}: {n} lines", f.display()));
            }
        }
    }
    assert!(long.is_empty(), "functions over {LIMIT} lines: {long:#?}");
}

#[test]
fn the_measure_counts_from_fn_to_its_closing_brace() {
    let text = "/// doc\npub fn a() {\n    x();\n}\n\nimpl T {\n    fn b(&self) {\n        if y {\n        }\n    }\n}\nfn c();\n";
    assert_eq!(
        function_lengths(text),
        vec![(3, "a".to_string(), 2), (4, "b".to_string(), 7)]
    );
}
