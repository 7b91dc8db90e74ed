//! Every `.bib` of the real corpora: no entry lost, duplicates reported, every entry formats.
//!
//! The corpora are found by `blogtrack_testcorpus` (skipped with a message when absent).

use std::path::{Path, PathBuf};

fn corpus_bibs(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for year in std::fs::read_dir(root).unwrap_or_else(|e| panic!("corpus {root:?}: {e}")) {
        let dir = year
            .expect("corpus entry")
            .path()
            .join("assets/bibliography");
        if let Ok(files) = std::fs::read_dir(&dir) {
            for f in files {
                let p = f.expect("bib entry").path();
                if p.extension().is_some_and(|e| e == "bib") {
                    out.push(p);
                }
            }
        }
    }
    out.sort();
    out
}

/// Entries as a human counts them: lines starting with `@type{`, minus @string/@comment.
fn count_at_entries(src: &str) -> usize {
    src.lines()
        .filter_map(|l| l.trim_start().strip_prefix('@'))
        .filter(|rest| {
            let kind: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphabetic())
                .collect();
            let after = rest[kind.len()..].trim_start();
            !kind.is_empty()
                && (after.starts_with('{') || after.starts_with('('))
                && !["string", "comment", "preamble"].contains(&kind.to_ascii_lowercase().as_str())
        })
        .count()
}

#[test]
fn every_corpus_entry_is_parsed_and_formats() {
    let Some(root) = blogtrack_testcorpus::require("bib::every_corpus_entry_is_parsed_and_formats")
    else {
        return;
    };
    let files = corpus_bibs(&root);
    assert!(
        files.len() >= 30,
        "expected the two corpora, found {} .bib files",
        files.len()
    );
    let (mut written, mut parsed, mut dups) = (0, 0, 0);
    for path in &files {
        let src = std::fs::read_to_string(path).expect("readable .bib");
        let (bib, diags) = blogtrack_bib::parse(&src);
        let file_dups = diags
            .iter()
            .filter(|d| d.code == "bib-duplicate-key")
            .count();
        let unexpected: Vec<String> = diags
            .iter()
            .filter(|d| !matches!(d.code, "bib-duplicate-key" | "bib-stray-text"))
            .map(|d| d.to_string())
            .collect();
        assert!(unexpected.is_empty(), "{path:?}: {unexpected:#?}");
        for d in diags.iter().filter(|d| d.code == "bib-duplicate-key") {
            eprintln!("{}:{}: {}", path.display(), d.line, d.message);
        }
        let n = count_at_entries(&src);
        assert_eq!(bib.len() + file_dups, n, "{path:?}: entries lost");
        for e in bib.iter() {
            let html = e.format_html();
            let text = e.format_text();
            assert!(!e.title().is_empty(), "{}: no title", e.key);
            assert!(
                html.contains("<b>") && !text.is_empty(),
                "{}: {html}",
                e.key
            );
            let raw_title = e.field("title").unwrap_or("");
            let braces_meant = raw_title.contains("\\{") || raw_title.contains('$');
            assert!(
                !e.title().contains(['{', '}']) || braces_meant,
                "{}: {text}",
                e.key
            );
            assert!(
                !text.contains('\\') || raw_title.contains('$'),
                "{}: {text}",
                e.key
            );
        }
        written += n;
        parsed += bib.len();
        dups += file_dups;
    }
    eprintln!(
        "{} files, {written} entries written, {parsed} kept, {dups} duplicate keys",
        files.len()
    );
    assert!(
        dups > 0,
        "the corpus has duplicate keys; they must be reported"
    );
}
