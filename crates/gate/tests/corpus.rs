//! The gate over the real tracks in `shared/corpus`: every accepted post, taken as its own pull
//! request, passes the path rules, and the anonymity scanners flag only real leaks (these posts
//! are de-anonymised on purpose, so their named authors are expected; nothing else is).

use std::path::{Path, PathBuf};

use blogtrack_gate::{
    check_paths, scan_file, scan_image_metadata, scan_text_for_identity, scrub_file, Change,
    Diagnostic, PathPolicy, Scrub, TextKind,
};

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files_under(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// Every post of a track with its own files, as (slug, repository-relative paths).
fn submissions(corpus: &Path, track: &str) -> Vec<(String, Vec<String>)> {
    let root = corpus.join(track);
    let mut posts = Vec::new();
    files_under(&root.join("_posts"), &mut posts);
    posts.sort();
    posts
        .iter()
        .map(|post| {
            let slug = post.file_stem().unwrap().to_string_lossy().into_owned();
            let mut paths = vec![post.clone()];
            files_under(&root.join("assets/img").join(&slug), &mut paths);
            files_under(&root.join("assets/html").join(&slug), &mut paths);
            let bib = root.join(format!("assets/bibliography/{slug}.bib"));
            if bib.is_file() {
                paths.push(bib);
            }
            let rel = paths
                .iter()
                .map(|p| {
                    p.strip_prefix(&root)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned()
                })
                .collect();
            (slug, rel)
        })
        .collect()
}

fn scan(corpus: &Path, track: &str, path: &str) -> Vec<Diagnostic> {
    let bytes = std::fs::read(corpus.join(track).join(path)).unwrap();
    let kind = match path.rsplit('.').next().unwrap_or("") {
        "md" => TextKind::Markdown,
        "html" => TextKind::Html,
        "ipynb" => TextKind::Notebook,
        _ => return scan_image_metadata(&bytes, path),
    };
    scan_text_for_identity(&String::from_utf8_lossy(&bytes), kind)
}

#[test]
fn every_accepted_post_passes_the_path_rules() {
    let Some(corpus) =
        blogtrack_testcorpus::require("gate::every_accepted_post_passes_the_path_rules")
    else {
        return;
    };
    for track in ["iclr-2023", "iclr-2024"] {
        let subs = submissions(&corpus, track);
        assert!(subs.len() >= 11);
        for (slug, paths) in subs {
            let changes: Vec<Change> = paths.iter().map(Change::added).collect();
            let policy = PathPolicy {
                post_date: Some(slug[..10].to_string()),
            };
            let (found, diags) = check_paths(&changes, Some(&slug), &policy);
            assert_eq!(found.as_deref(), Some(slug.as_str()));
            assert!(diags.is_empty(), "{slug}: {diags:#?}");
        }
    }
}

#[test]
fn the_scanners_flag_only_real_leaks_in_the_corpus() {
    let Some(corpus) =
        blogtrack_testcorpus::require("gate::the_scanners_flag_only_real_leaks_in_the_corpus")
    else {
        return;
    };
    let mut flagged = Vec::new();
    for track in ["iclr-2023", "iclr-2024"] {
        for (_, paths) in submissions(&corpus, track) {
            for path in paths {
                for d in scan(&corpus, track, &path) {
                    flagged.push((d.code, path.clone(), d.message));
                }
            }
        }
    }
    // The template posts name only the placeholder authors: nothing to report.
    assert!(
        !flagged
            .iter()
            .any(|(_, p, _)| p.contains("distill-example")),
        "{flagged:#?}"
    );
    for (code, path, message) in &flagged {
        match *code {
            "anon-author" | "anon-affiliation" | "anon-acknowledgements" => {
                assert!(path.starts_with("_posts/"))
            }
            // A notebook shipped with its output cells: a real leak of the author's home folder.
            "anon-local-path" => {
                assert!(
                    path.ends_with("reconstruct_fcnets_blogpost_conv.ipynb")
                        && message.contains("/home/")
                )
            }
            other => panic!("unexpected {other} in {path}: {message}"),
        }
    }
    let count = |c: &str| flagged.iter().filter(|(code, ..)| *code == c).count();
    assert_eq!(count("anon-acknowledgements"), 7);
    assert_eq!(count("anon-local-path"), 1);
    assert!(count("anon-author") >= 35);
}

/// The scrub property on every file the corpus posts publish (276 PNG, 52 JPEG, 41 GIF, 60 PDF,
/// 166 SVG, 16 HTML, 3 notebooks when measured): each file is cleaned or already clean, none
/// fails, and a cleaned file gives the metadata scan nothing to report.
#[test]
fn every_corpus_file_is_cleaned_and_then_scans_clean() {
    let Some(root) =
        blogtrack_testcorpus::require("gate::every_corpus_file_is_cleaned_and_then_scans_clean")
    else {
        return;
    };
    let metadata_codes = [
        "anon-image-metadata",
        "anon-local-path",
        "anon-notebook-metadata",
    ];
    let (mut cleaned, mut clean, mut failed) = (0, 0, Vec::new());
    for track in ["iclr-2023", "iclr-2024"] {
        for (_, paths) in submissions(&root, track) {
            for path in paths.iter().filter(|p| p.starts_with("assets/")) {
                let bytes = std::fs::read(root.join(track).join(path)).expect("readable");
                match scrub_file(&bytes, path) {
                    Some((_, Scrub::Removed { bytes: out, .. })) => {
                        cleaned += 1;
                        let left: Vec<_> = scan_file(&out, path)
                            .into_iter()
                            .filter(|d| metadata_codes.contains(&d.code))
                            .collect();
                        assert!(left.is_empty(), "{path}: {left:#?}");
                    }
                    Some((_, Scrub::Clean)) => clean += 1,
                    Some((kind, Scrub::Failed(reason))) => {
                        failed.push(format!("{path} ({}): {reason}", kind.label()))
                    }
                    None => {}
                }
            }
        }
    }
    eprintln!(
        "corpus files: {cleaned} cleaned, {clean} already clean, {} failed",
        failed.len()
    );
    assert!(failed.is_empty(), "{failed:#?}");
    assert!(cleaned + clean > 500);
}
