//! `blogtrack preview [SRC] --post SLUG [--prefix P | --secret-env VAR] [--pr N] [--commit SHA]
//! [--base-url URL] -o OUT`: the anonymous reviewers' build of one submission, and the
//! pull-request comment linking it. With `--secret-env` it lives under the submission's opaque
//! token and freezes after the submission deadline ([`crate::freeze`]); `--remove-pr N` deletes a
//! closed pull request's previews.

use crate::preview::{preview, PreviewOptions, PreviewReport};
use blogtrack_devserver::SiteStore;
use blogtrack_diag::{exit, Diagnostic};
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The track's folder (a checkout of the pull request).
    #[arg(default_value = ".")]
    pub source: PathBuf,
    /// The submission: its slug (2026-04-27-name), name, or _posts/ path.
    #[arg(long, required_unless_present_any = ["remove_pr", "remove_listed"])]
    pub post: Option<String>,
    /// URL prefix of the preview under the base URL (default: SLUG, or SLUG-PR with --pr;
    /// with --secret-env: the submission's opaque token).
    #[arg(long, conflicts_with = "secret_env")]
    pub prefix: Option<String>,
    /// Name of the environment variable that holds the repository secret (e.g.
    /// PREVIEW_TOKEN_SECRET): the preview is published under an opaque token derived from it,
    /// with a stamp, and freezes after `blogtrack.dates.submission_deadline`.
    #[arg(long, value_name = "VAR")]
    pub secret_env: Option<String>,
    /// The commit being previewed; the comment names it, the stamp keeps it sealed.
    #[arg(long, value_name = "SHA")]
    pub commit: Option<String>,
    /// Remove the previews (under OUT) of this closed pull request, found by their stamps
    /// (needs --secret-env), and exit.
    #[arg(
        long,
        value_name = "N",
        requires = "secret_env",
        conflicts_with = "post"
    )]
    pub remove_pr: Option<u64>,
    /// Remove the previews (under OUT) of the slugs listed in FILE, one a line (the
    /// `_data/rejected-previews.txt` that `blogtrack review publish` writes; needs
    /// --secret-env), and exit.
    #[arg(
        long,
        value_name = "FILE",
        requires = "secret_env",
        conflicts_with_all = ["post", "remove_pr"]
    )]
    pub remove_listed: Option<PathBuf>,
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

/// `--remove-listed FILE`: removes the listed slugs' previews from `out`.
fn remove_listed(list: &Path, secret: &[u8], out: &Path) -> ExitCode {
    let text = match std::fs::read_to_string(list) {
        Ok(t) => t,
        Err(e) => {
            let d = Diagnostic::error("io", format!("cannot read `{}`: {e}", list.display()))
                .with_hint(
                    "pass the list `blogtrack review publish` wrote (_data/rejected-previews.txt)",
                );
            super::print_diagnostics(&[d], Path::new("."));
            return ExitCode::from(exit::USAGE);
        }
    };
    let name = list.display().to_string();
    match crate::freeze::remove_listed_previews(out, secret, &text, &name) {
        Ok(removed) => {
            eprintln!(
                "removed {} preview(s) of the slugs in `{name}` from `{}`{}",
                removed.len(),
                out.display(),
                if removed.is_empty() {
                    String::new()
                } else {
                    format!(": {}", removed.join(", "))
                }
            );
            ExitCode::SUCCESS
        }
        Err(d) => {
            super::print_diagnostics(&[d], Path::new("."));
            ExitCode::from(exit::USAGE)
        }
    }
}

/// The secret named by `--secret-env`: it must be set and not empty.
fn secret(var: &str) -> Result<Vec<u8>, Diagnostic> {
    match std::env::var_os(var) {
        Some(v) if !v.is_empty() => Ok(v.into_encoded_bytes()),
        _ => Err(Diagnostic::error(
            "usage",
            format!("the environment variable `{var}` (named by --secret-env) is not set or empty"),
        )
        .with_hint(format!(
            "in GitHub Actions, pass the repository secret: `env: {var}: ${{{{ secrets.{var} }}}}`"
        ))),
    }
}

/// `blogtrack preview`: removes closed previews, or builds one preview and its comment (and
/// serves it with `--serve`).
pub fn run(args: Args) -> ExitCode {
    let secret = match args.secret_env.as_deref().map(secret).transpose() {
        Ok(s) => s,
        Err(d) => return usage_error(d, &args.source),
    };
    if let (Some(pr), Some(secret)) = (args.remove_pr, &secret) {
        return remove_pr(pr, secret, &args.output);
    }
    if let (Some(list), Some(secret)) = (&args.remove_listed, &secret) {
        return remove_listed(list, secret, &args.output);
    }
    if let Err(d) = check_commit(args.commit.as_deref()) {
        return usage_error(d, &args.source);
    }
    let now = match super::now() {
        Ok(n) => n,
        Err(d) => return usage_error(d, &args.source),
    };
    let opts = preview_options(&args, secret, now);
    crate::interrupt::install(&args.output);
    let report = match preview(&opts) {
        Ok(r) => r,
        Err(d) => return usage_error(d, &args.source),
    };
    super::print_report(&report.diagnostics.0, args.quiet, &args.source);
    if report.frozen {
        eprintln!(
            "the submission deadline has passed: the preview of `{}` in `{}` was left as it was",
            report.slug,
            report.output.display()
        );
        return write_comment(&args, &report.comment).unwrap_or(ExitCode::SUCCESS);
    }
    print_written(&args, &report);
    if let Some(code) = write_comment(&args, &report.comment) {
        return code;
    }
    if report.failed {
        return ExitCode::from(exit::PROBLEMS);
    }
    if args.serve {
        return serve_folder(&report.output, &serve_base(&args, &report), args.port);
    }
    ExitCode::SUCCESS
}

/// Prints `d` (paths relative to `root`) and gives the usage exit code.
fn usage_error(d: Diagnostic, root: &Path) -> ExitCode {
    super::print_diagnostics(&[d], root);
    ExitCode::from(exit::USAGE)
}

/// `--remove-pr N`: removes the previews of pull request `pr` from `out`.
fn remove_pr(pr: u64, secret: &[u8], out: &Path) -> ExitCode {
    match crate::freeze::remove_previews_of_pr(out, secret, pr) {
        Ok(removed) => {
            eprintln!(
                "removed {} preview folder(s) of pull request #{pr} from `{}`",
                removed.len(),
                out.display()
            );
            ExitCode::SUCCESS
        }
        Err(d) => usage_error(d, out),
    }
}

/// `--commit SHA` must be a commit id (7 to 64 hexadecimal digits) when given.
fn check_commit(commit: Option<&str>) -> Result<(), Diagnostic> {
    match commit.filter(|c| !crate::freeze::is_commit_id(c)) {
        Some(c) => Err(
            Diagnostic::error("usage", format!("--commit `{c}` is not a commit id")).with_hint(
                "give the commit's id: 7 to 64 hexadecimal digits, as `git rev-parse HEAD` prints it",
            ),
        ),
        None => Ok(()),
    }
}

/// The preview to build, from the command line, the secret and the time.
fn preview_options(args: &Args, secret: Option<Vec<u8>>, now: i64) -> PreviewOptions {
    PreviewOptions {
        source: args.source.clone(),
        output_root: args.output.clone(),
        post: args.post.clone().unwrap_or_default(),
        prefix: args.prefix.clone(),
        base_url: args.base_url.clone(),
        pr: args.pr,
        secret,
        commit: args.commit.clone(),
        now,
    }
}

/// The summary of a preview written: where, how many files, the metadata removed, the
/// problems, and the reviewers' link (with a note when it is only a path).
fn print_written(args: &Args, report: &PreviewReport) {
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
}

/// The path `--serve` serves the preview at: its prefix, under the base URL's path if any.
fn serve_base(args: &Args, report: &PreviewReport) -> String {
    let base = format!("/{}", report.prefix);
    match &args.base_url {
        Some(b) => crate::preview::split_base_url(b)
            .map(|(_, p)| format!("{p}{base}"))
            .unwrap_or(base),
        None => base,
    }
}

/// Writes the comment to `--comment` or standard output; `Some(2)` when it cannot be written.
fn write_comment(args: &Args, comment: &str) -> Option<ExitCode> {
    match &args.comment {
        Some(path) => {
            if let Err(e) = std::fs::write(path, comment) {
                let d = Diagnostic::error(
                    "output-dir",
                    format!("cannot write the comment to `{}`: {e}", path.display()),
                )
                .with_hint("give --comment a path in a folder that exists and is writable");
                super::print_diagnostics(&[d], &args.source);
                return Some(ExitCode::from(exit::USAGE));
            }
            eprintln!("pull-request comment written to `{}`", path.display());
        }
        None => print!("{comment}"),
    }
    None
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
    store.set_redirects(super::redirects_of(&files));
    store.replace_all(files);
    let host = IpAddr::from([127, 0, 0, 1]);
    let server = match super::start_server(store, host, port, base_path, dir) {
        Ok(s) => s,
        Err(code) => return code,
    };
    eprintln!("serving at {}  (press Ctrl-C to stop)", server.url());
    loop {
        std::thread::park();
    }
}
