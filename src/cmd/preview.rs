//! `blogtrack preview [SRC] --post SLUG [--prefix P] [--pr N] [--base-url URL] -o OUT`: the
//! anonymous reviewers' build of one submission, and the pull-request comment linking it.

use crate::preview::{preview, PreviewOptions};
use blogtrack_devserver::{serve, ServerConfig, SiteStore};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The track's folder (a checkout of the pull request).
    #[arg(default_value = ".")]
    pub source: PathBuf,
    /// The submission: its slug (2026-04-27-name), name, or _posts/ path.
    #[arg(long)]
    pub post: String,
    /// URL prefix of the preview under the base URL (default: SLUG, or SLUG-PR with --pr).
    #[arg(long)]
    pub prefix: Option<String>,
    /// Pull-request number (used in the default prefix and the comment).
    #[arg(long)]
    pub pr: Option<u64>,
    /// Where the output folder is published, e.g. https://previews.example.org/2026.
    #[arg(long)]
    pub base_url: Option<String>,
    /// The folder served at the base URL; the preview is written to OUT/PREFIX/.
    #[arg(short, long, default_value = "previews")]
    pub output: PathBuf,
    /// Write the pull-request comment (Markdown) to this file instead of standard output.
    #[arg(long)]
    pub comment: Option<PathBuf>,
    /// Serve the preview locally after building it (for authors).
    #[arg(long)]
    pub serve: bool,
    /// Port for --serve.
    #[arg(long, default_value_t = 4000)]
    pub port: u16,
    /// Print only errors and the summary, not warnings.
    #[arg(short, long)]
    pub quiet: bool,
}

pub fn run(args: Args) -> ExitCode {
    let opts = PreviewOptions {
        source: args.source.clone(),
        output_root: args.output.clone(),
        post: args.post.clone(),
        prefix: args.prefix.clone(),
        base_url: args.base_url.clone(),
        pr: args.pr,
    };
    let report = match preview(&opts) {
        Ok(r) => r,
        Err(d) => {
            super::print_diagnostics(&[d], &args.source);
            return ExitCode::from(2);
        }
    };
    super::print_report(&report.diagnostics.0, args.quiet, &args.source);
    eprintln!(
        "preview of `{}` written to `{}` ({} files; metadata removed from {}; {} error(s), {} warning(s))",
        report.slug,
        report.output.display(),
        report.files,
        report.removed.summary(),
        report.diagnostics.errors(),
        report.diagnostics.warnings()
    );
    eprintln!("reviewers' link: {}", report.post_url);
    if args.base_url.is_none() {
        eprintln!(
            "note: without --base-url the link is a path; publish `{}` at the site root, or pass --base-url",
            args.output.display()
        );
    }
    match &args.comment {
        Some(path) => {
            if let Err(e) = std::fs::write(path, &report.comment) {
                eprintln!("error: cannot write `{}`: {e}", path.display());
                return ExitCode::from(2);
            }
            eprintln!("pull-request comment written to `{}`", path.display());
        }
        None => print!("{}", report.comment),
    }
    if report.failed {
        return ExitCode::from(1);
    }
    if args.serve {
        let base = format!("/{}", report.prefix);
        let base = match &args.base_url {
            Some(b) => crate::preview::split_base_url(b)
                .map(|(_, p)| format!("{p}{base}"))
                .unwrap_or(base),
            None => base,
        };
        return serve_folder(&report.output, &base, args.port);
    }
    ExitCode::SUCCESS
}

/// Serves a built site folder at `base_path` on 127.0.0.1 until the process is stopped.
pub fn serve_folder(dir: &Path, base_path: &str, port: u16) -> ExitCode {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let Ok(entry) = entry else { continue };
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(dir) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        if rel.starts_with('.') {
            continue;
        }
        match std::fs::read(entry.path()) {
            Ok(bytes) => files.push((rel, bytes)),
            Err(e) => eprintln!("warning: cannot read `{}`: {e}", entry.path().display()),
        }
    }
    let store = Arc::new(SiteStore::new());
    store.replace_all(files);
    let config = |port: u16| ServerConfig {
        addr: SocketAddr::from(([127, 0, 0, 1], port)),
        static_root: None,
        base_path: base_path.to_string(),
    };
    let server = match serve(store.clone(), config(port)) {
        Ok(s) => s,
        Err(first) => match serve(store, config(0)) {
            Ok(s) => {
                eprintln!("note: port {port} is busy ({first}); using another one");
                s
            }
            Err(e) => {
                eprintln!("error: cannot start the server: {e}");
                return ExitCode::from(2);
            }
        },
    };
    eprintln!("serving at {}  (press Ctrl-C to stop)", server.url());
    loop {
        std::thread::park();
    }
}
