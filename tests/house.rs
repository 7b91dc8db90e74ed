//! The house rules that keep the code easy to walk, checked on the source itself: no function
//! of `src/` or `crates/` is longer than 100 lines unless `scripts/long-functions-exempt` lists
//! it as a table (the measure and the check of `scripts/longest-functions --check 100`, which
//! says the same from the shell). And every rule code a diagnostic can carry is in the registry
//! (`blogtrack_diag::codes`) and documented in `crates/gate/RULES.md`.

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
        let rest = strip_visibility(trimmed);
        let rest = ["const ", "async ", "unsafe "]
            .iter()
            .fold(rest, |t, p| t.strip_prefix(p).unwrap_or(t));
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

/// `line` without a leading `pub ` or `pub(word) ` (`pub(crate)`, `pub(super)`, `pub(self)`).
fn strip_visibility(line: &str) -> &str {
    if let Some(rest) = line.strip_prefix("pub ") {
        return rest;
    }
    line.strip_prefix("pub(")
        .and_then(|r| r.split_once(") "))
        .filter(|(word, _)| !word.is_empty() && word.bytes().all(|b| b.is_ascii_lowercase()))
        .map_or(line, |(_, rest)| rest)
}

/// Every `.rs` file under `dir`, leaving out build output and vendored code (`target/`,
/// `vendor/`).
fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("the source folder is readable") {
        let path = entry.expect("a folder entry").path();
        if path.is_dir() {
            if path
                .file_name()
                .is_some_and(|n| n == "target" || n == "vendor")
            {
                continue;
            }
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The exemptions of `scripts/long-functions-exempt`: `FILE:FUNCTION` to its reason, for each
/// line that is not blank or a `#` comment.
fn exemptions(text: &str) -> Vec<(String, String)> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| match l.split_once(char::is_whitespace) {
            Some((key, reason)) => (key.to_string(), reason.trim().to_string()),
            None => (l.to_string(), String::new()),
        })
        .collect()
}

/// What `scripts/longest-functions --check` reports for the functions over `limit` lines of
/// `files` (`(repository-relative path, text)`): each one not exempt (`file:line name: n
/// lines`), each exemption of a file under one of `folders` that names no function over the
/// limit (stale), and each exemption without a reason.
fn long_function_problems(
    files: &[(String, String)],
    exempt: &[(String, String)],
    folders: &[&str],
    limit: usize,
) -> Vec<String> {
    let mut problems = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for (file, text) in files {
        for (n, name, line) in function_lengths(text) {
            if n <= limit {
                continue;
            }
            let key = format!("{file}:{name}");
            if exempt.iter().any(|(k, _)| *k == key) {
                seen.insert(key);
            } else {
                problems.push(format!("{file}:{line} {name}: {n} lines"));
            }
        }
    }
    for (key, reason) in exempt {
        let measured = folders.iter().any(|d| key.starts_with(&format!("{d}/")));
        if measured && !seen.contains(key) {
            problems.push(format!(
                "stale exemption in scripts/long-functions-exempt: {key} is not over {limit} lines (remove the entry)"
            ));
        }
        if reason.is_empty() {
            problems.push(format!(
                "exemption without a reason in scripts/long-functions-exempt: {key}"
            ));
        }
    }
    problems
}

#[test]
fn no_function_is_longer_than_100_lines_unless_exempt_as_a_table() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let folders = ["src", "crates"];
    let mut paths = Vec::new();
    for dir in folders {
        rust_files(&root.join(dir), &mut paths);
    }
    paths.sort();
    assert!(paths.len() >= 100, "{paths:?}");
    let files: Vec<(String, String)> = paths
        .iter()
        .map(|f| {
            let text = std::fs::read_to_string(f).expect("a source file is UTF-8");
            let rel = f.strip_prefix(root).unwrap_or(f);
            let name: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            (name.join("/"), text)
        })
        .collect();
    let exempt_list = std::fs::read_to_string(root.join("scripts/long-functions-exempt"))
        .expect("scripts/long-functions-exempt is readable");
    let exempt = exemptions(&exempt_list);
    assert!(!exempt.is_empty(), "no exemption read");
    let problems = long_function_problems(&files, &exempt, &folders, LIMIT);
    assert!(
        problems.is_empty(),
        "split the functions over {LIMIT} lines into named steps (or, for a table, list it in \
         scripts/long-functions-exempt with the reason); `scripts/longest-functions --check \
         {LIMIT}` shows the same: {problems:#?}"
    );
}

#[test]
fn the_long_function_check_reports_offenders_and_stale_exemptions() {
    let long = format!(
        "fn table() {{\n{}}}\nfn long() {{\n{}}}\n",
        "    x();\n".repeat(3),
        "    y();\n".repeat(3)
    );
    let files = vec![("src/a.rs".to_string(), long)];
    let exempt = exemptions(
        "# comment\n\nsrc/a.rs:table   one arm per case\nsrc/a.rs:gone  was long\ntests/t.rs:x  not measured\nsrc/a.rs:bare\n",
    );
    assert_eq!(
        long_function_problems(&files, &exempt, &["src"], 4),
        [
            "src/a.rs:6 long: 5 lines",
            "stale exemption in scripts/long-functions-exempt: src/a.rs:gone is not over 4 lines (remove the entry)",
            "stale exemption in scripts/long-functions-exempt: src/a.rs:bare is not over 4 lines (remove the entry)",
            "exemption without a reason in scripts/long-functions-exempt: src/a.rs:bare",
        ]
    );
    assert_eq!(strip_visibility("pub(crate) fn a"), "fn a");
    assert_eq!(strip_visibility("pub(self) fn a"), "fn a");
    assert_eq!(
        strip_visibility("pub(in crate::x) fn a"),
        "pub(in crate::x) fn a"
    );
}

#[test]
fn the_measure_counts_from_fn_to_its_closing_brace() {
    let text = "/// doc\npub fn a() {\n    x();\n}\n\nimpl T {\n    fn b(&self) {\n        if y {\n        }\n    }\n}\nfn c();\n";
    assert_eq!(
        function_lengths(text),
        vec![(3, "a".to_string(), 2), (4, "b".to_string(), 7)]
    );
}

/// The calls that make a diagnostic from a code literal: `Diagnostic::error("code", …)` and the
/// stages' own helpers that forward their first argument as the code. The second list's helpers
/// take the code as their second argument (`err(node, "code", …)`, `new(Severity::Error, "code", …)`).
const CODE_FIRST: &[&str] = &[
    "Diagnostic::error(",
    "Diagnostic::warning(",
    "Diagnostic::note(",
    "warn(",
    "error(",
    "leak(",
    "strictness(",
];
const CODE_SECOND: &[&str] = &["Diagnostic::new(", "err("];

/// The program's source files: `src/` and each crate's `src/`, without test modules (a file
/// named `tests.rs`, or what follows `#[cfg(test)] mod tests` at the end of a file).
fn program_sources(root: &Path) -> Vec<(String, String)> {
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    for entry in std::fs::read_dir(root.join("crates")).expect("crates/ is readable") {
        let src = entry.expect("a folder entry").path().join("src");
        if src.is_dir() {
            rust_files(&src, &mut files);
        }
    }
    files.sort();
    files
        .into_iter()
        .filter(|f| f.file_name().is_some_and(|n| n != "tests.rs"))
        .map(|f| {
            let text = std::fs::read_to_string(&f).expect("a source file is UTF-8");
            let text = match text.find("#[cfg(test)]\nmod tests") {
                Some(i) => text[..i].to_string(),
                None => text,
            };
            let name = f.strip_prefix(root).unwrap_or(&f).display().to_string();
            (name, text)
        })
        .collect()
}

/// The string literal at the start of `rest` (after white space), if it looks like a code.
fn code_literal(rest: &str) -> Option<&str> {
    let rest = rest.trim_start().strip_prefix('"')?;
    let code = &rest[..rest.find('"')?];
    let kebab = !code.is_empty()
        && code.split('-').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        });
    kebab.then_some(code)
}

/// `(code, file:line)` of every code literal passed to a diagnostic constructor in `text`.
fn emitted_codes(name: &str, text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (callees, skip_first) in [(CODE_FIRST, false), (CODE_SECOND, true)] {
        for callee in callees {
            for (at, _) in text.match_indices(callee) {
                // `warn(` must not match inside `Diagnostic::warn…` twice, nor `eprintln_error(`.
                let before = text[..at].chars().next_back();
                if !callee.starts_with("Diagnostic")
                    && before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':')
                {
                    continue;
                }
                let mut rest = &text[at + callee.len()..];
                if skip_first {
                    let Some(comma) = rest.find(',') else {
                        continue;
                    };
                    if rest[..comma].contains(['(', '"']) {
                        continue;
                    }
                    rest = &rest[comma + 1..];
                }
                if let Some(code) = code_literal(rest) {
                    let line = text[..at].matches('\n').count() + 1;
                    out.push((code.to_string(), format!("{name}:{line}")));
                }
            }
        }
    }
    out
}

#[test]
fn every_rule_code_is_registered_and_documented() {
    use blogtrack_diag::codes::{lookup, RULES};
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut emitted = Vec::new();
    for (name, text) in program_sources(root) {
        emitted.extend(emitted_codes(&name, &text));
    }
    assert!(
        emitted.len() > 200,
        "the scan found only {} calls",
        emitted.len()
    );
    let unregistered: Vec<&(String, String)> = emitted
        .iter()
        .filter(|(c, _)| lookup(c).is_none())
        .collect();
    assert!(
        unregistered.is_empty(),
        "codes missing from crates/diag/src/codes.rs: {unregistered:#?}"
    );
    let unused: Vec<&str> = RULES
        .iter()
        .map(|r| r.code)
        .filter(|c| !emitted.iter().any(|(e, _)| e == c))
        .collect();
    assert!(
        unused.is_empty(),
        "registered codes no source emits: {unused:?}"
    );

    let rules_md = std::fs::read_to_string(root.join("crates/gate/RULES.md")).expect("RULES.md");
    let mut section = "";
    let mut rows = std::collections::HashMap::new();
    for line in rules_md.lines() {
        if let Some(h) = line.strip_prefix("## ") {
            section = h;
        } else if let Some(code) = line.strip_prefix("| `").and_then(|l| l.split('`').next()) {
            let cells: Vec<&str> = line.split(" | ").collect();
            rows.insert(code.to_string(), (section, cells));
        }
    }
    let mut undocumented = Vec::new();
    for r in RULES {
        match rows.get(r.code) {
            None => undocumented.push(format!("{}: no row", r.code)),
            Some((s, _)) if !s.starts_with(r.section) => undocumented.push(format!(
                "{}: documented under `{s}`, registered under `{}`",
                r.code, r.section
            )),
            Some((_, cells)) if cells.len() < 3 || cells[2].trim().len() < 20 => {
                undocumented.push(format!("{}: the row says too little", r.code))
            }
            Some((_, cells)) if !cells[1].starts_with(r.severity.as_str()) => {
                undocumented.push(format!(
                    "{}: RULES.md says `{}`, the registry `{}`",
                    r.code, cells[1], r.severity
                ))
            }
            Some(_) => {}
        }
    }
    assert!(
        undocumented.is_empty(),
        "rule codes not (properly) documented in crates/gate/RULES.md: {undocumented:#?}"
    );
    let stale: Vec<&String> = rows.keys().filter(|c| lookup(c).is_none()).collect();
    assert!(
        stale.is_empty(),
        "RULES.md documents codes nothing emits: {stale:?}"
    );
}

#[test]
fn the_code_scan_sees_each_kind_of_constructor() {
    let text = "let d = Diagnostic::error(\"a-b\", m);\nctx.warn(\n    \"c\",\n    line);\nerr(node, \"d-1\", x);\nDiagnostic::new(Severity::Note, \"e\", m);\nbarwarn(\"no\");\nerror(\"Not A Code\");\n";
    let mut found: Vec<String> = emitted_codes("f.rs", text)
        .into_iter()
        .map(|(c, at)| format!("{c}@{at}"))
        .collect();
    found.sort();
    assert_eq!(found, ["a-b@f.rs:1", "c@f.rs:2", "d-1@f.rs:5", "e@f.rs:6"]);
}
