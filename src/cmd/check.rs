//! `blogtrack check [SRC] (--base REV --head REV | --files F... | --post POST)`: the submission
//! gate. Prints one report (human, json, github or markdown) on stdout and a one-line summary;
//! exits 0 when clean, 1 when problems were found (warnings only with `--strict`), 2 on a usage
//! or internal error. `--print-ci` prints the GitHub Actions workflows that run it.

use crate::check::{check, CheckOptions, Scope};
use crate::config::Phase;
use blogtrack_diag::{exit, exit_code, render_report, Format, Summary};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormatArg {
    Human,
    Json,
    Github,
    Markdown,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhaseArg {
    Review,
    CameraReady,
}

#[derive(clap::Args, Debug)]
#[command(group(
    clap::ArgGroup::new("scope")
        .args(["base", "files", "post", "print_ci"])
        .required(true)
))]
pub struct Args {
    /// The track repository (a checkout, or a bare repository with --base/--head).
    #[arg(default_value = ".")]
    pub source: PathBuf,
    /// Base revision of the pull request (with --head).
    #[arg(long, requires = "head", value_name = "REV")]
    pub base: Option<String>,
    /// Head revision of the pull request (with --base).
    #[arg(long, requires = "base", value_name = "REV")]
    pub head: Option<String>,
    /// The files the pull request changes, relative to the repository.
    #[arg(long, num_args = 1.., value_name = "FILE")]
    pub files: Vec<String>,
    /// Check one post and its folders as they are on disk: its slug (2026-04-27-name), name or
    /// _posts/ path.
    #[arg(long, value_name = "POST")]
    pub post: Option<PathBuf>,
    /// The pull request's title; it must be the post's SLUG.
    #[arg(long, value_name = "TITLE")]
    pub title: Option<String>,
    /// Review (anonymous) or camera-ready; default: `blogtrack.phase` in _config.yml.
    #[arg(long, value_enum)]
    pub phase: Option<PhaseArg>,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: FormatArg,
    /// Warnings fail the check too.
    #[arg(long)]
    pub strict: bool,
    /// Print the GitHub Actions workflows that run the check on pull requests, and exit
    /// (`blogtrack init --ci` writes them into the track).
    #[arg(long)]
    pub print_ci: bool,
    /// Report only errors (with --strict, warnings too: they fail the check).
    #[arg(short, long)]
    pub quiet: bool,
}

fn print_ci() -> ExitCode {
    let install = blogtrack_gate::Install::this_release(None);
    for (path, yaml) in blogtrack_gate::github_actions_workflows(&install) {
        println!("# ---- {path} ----");
        print!("{yaml}");
        if !yaml.ends_with('\n') {
            println!();
        }
    }
    ExitCode::SUCCESS
}

pub fn run(args: Args) -> ExitCode {
    if args.print_ci {
        return print_ci();
    }
    let scope = match (&args.base, &args.head, &args.post) {
        (Some(b), Some(h), _) => Scope::Git {
            base: b.clone(),
            head: h.clone(),
        },
        (_, _, Some(p)) => Scope::Post(p.clone()),
        _ => Scope::Files(args.files.clone()),
    };
    let now = match super::now() {
        Ok(n) => n,
        Err(d) => {
            super::print_diagnostics(&[d], &args.source);
            return ExitCode::from(exit::USAGE);
        }
    };
    let opts = CheckOptions {
        now,
        root: args.source.clone(),
        scope,
        title: args.title.clone(),
        phase: args.phase.map(|p| match p {
            PhaseArg::Review => Phase::Review,
            PhaseArg::CameraReady => Phase::CameraReady,
        }),
    };
    let format = match args.format {
        FormatArg::Human => Format::Human {
            color: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        },
        FormatArg::Json => Format::Json,
        FormatArg::Github => Format::Github,
        FormatArg::Markdown => Format::Markdown,
    };
    let (diags, slug, files, root, status) = match check(&opts) {
        Ok(o) => {
            let status = exit_code(&o.diagnostics, args.strict);
            (o.diagnostics, o.slug, o.files, o.root, status)
        }
        Err(d) => (vec![d], None, 0, args.source.clone(), 2),
    };
    let sources = |file: &str| -> Option<String> {
        if !crate::check::files::is_plain(file) {
            return None;
        }
        let repo = crate::check::files::Repo::open(Path::new(&root)).ok()?;
        let bytes = repo.read(file).ok().flatten()?;
        Some(crate::model::normalize_text(&String::from_utf8_lossy(
            &bytes,
        )))
    };
    // With --strict warnings are failures, so -q keeps them.
    let diags: Vec<blogtrack_diag::Diagnostic> = if args.quiet && !args.strict {
        diags.into_iter().filter(|d| d.is_error()).collect()
    } else {
        diags
    };
    let summary = Summary {
        slug: slug.clone(),
        files,
        strict: args.strict,
    };
    print!("{}", render_report(&diags, &sources, format, &summary));
    if args.format != FormatArg::Human {
        let errors = diags.iter().filter(|d| d.is_error()).count();
        let warnings = diags.len() - errors;
        let verdict = if status == 0 { "passed" } else { "failed" };
        eprintln!(
            "check {verdict}: {errors} error(s), {warnings} warning(s) or note(s){}",
            slug.map(|s| format!(" ({})", blogtrack_gate::display_path(&s)))
                .unwrap_or_default()
        );
    }
    ExitCode::from(status as u8)
}
