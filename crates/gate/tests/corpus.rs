//! The gate over the real tracks in `shared/corpus`: every accepted post, taken as its own pull
//! request, passes the path rules, and the anonymity scanners flag only real leaks (these posts
//! are de-anonymised on purpose, so their named authors are expected; nothing else is).

use std::path::{Path, PathBuf};

use blogtrack_gate::{
    check_paths, scan_image_metadata, scan_text_for_identity, Change, Diagnostic, PathPolicy,
    TextKind,
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
