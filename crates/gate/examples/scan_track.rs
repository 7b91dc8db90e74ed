//! Runs the gate's path rules and anonymity scanners over every post of a track repository, as
//! if each post were its own pull request, and prints the diagnostics in the chosen format.
//!
//! `cargo run -p blogtrack-gate --example scan_track -- TRACK_DIR [human|json|github|markdown]`

use std::path::{Path, PathBuf};

use blogtrack_diag::{render_report, Format, Summary};
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
        match e.file_type() {
            Ok(t) if t.is_dir() => files_under(&p, out),
            Ok(t) if t.is_file() => out.push(p),
            _ => {}
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(root) = args.get(1).map(PathBuf::from) else {
        eprintln!("usage: scan_track TRACK_DIR [human|json|github|markdown]");
        std::process::exit(2);
    };
    let format = match args.get(2).map(String::as_str) {
        Some("json") => Format::Json,
        Some("github") => Format::Github,
        Some("markdown") => Format::Markdown,
        _ => Format::Human { color: false },
    };
    let mut posts: Vec<PathBuf> = Vec::new();
    files_under(&root.join("_posts"), &mut posts);
    posts.sort();
    let started = std::time::Instant::now();
    let mut all: Vec<Diagnostic> = Vec::new();
    let mut files = 0;
    for post in &posts {
        let rel = |p: &Path| {
            p.strip_prefix(&root)
                .unwrap_or(p)
                .to_string_lossy()
                .replace('\\', "/")
        };
        let slug = post
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut paths = vec![post.clone()];
        files_under(&root.join("assets/img").join(&slug), &mut paths);
        files_under(&root.join("assets/html").join(&slug), &mut paths);
        let bib = root.join("assets/bibliography").join(format!("{slug}.bib"));
        if bib.is_file() {
            paths.push(bib);
        }
        let changes: Vec<Change> = paths.iter().map(|p| Change::added(rel(p))).collect();
        let policy = PathPolicy {
            post_date: slug.get(..10).map(str::to_string),
        };
        all.extend(check_paths(&changes, Some(&slug), &policy).1);
        for p in &paths {
            files += 1;
            let Ok(bytes) = std::fs::read(p) else {
                continue;
            };
            let name = rel(p);
            let ext = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
            let kind = match ext.as_str() {
                "md" => Some(TextKind::Markdown),
                "html" | "htm" => Some(TextKind::Html),
                "ipynb" => Some(TextKind::Notebook),
                _ => None,
            };
            match kind {
                Some(kind) => {
                    let text = String::from_utf8_lossy(&bytes);
                    all.extend(
                        scan_text_for_identity(&text, kind)
                            .into_iter()
                            .map(|d| d.in_file(name.clone())),
                    );
                }
                None => all.extend(scan_image_metadata(&bytes, &name)),
            }
        }
    }
    let elapsed = started.elapsed();
    let sources = |f: &str| std::fs::read_to_string(root.join(f)).ok();
    print!(
        "{}",
        render_report(
            &all,
            &sources,
            format,
            &Summary {
                slug: None,
                files,
                strict: false
            }
        )
    );
    eprintln!(
        "{} posts, {files} files, {} diagnostics in {elapsed:.2?}",
        posts.len(),
        all.len()
    );
}
