//! `blogtrack init [DIR]` writes the embedded demo track to a new folder; `blogtrack init --from
//! PREV DIR` starts next year's track from last year's; `blogtrack init --ci [DIR]` writes the
//! GitHub Actions workflows into a track; `blogtrack demo` builds the demo without writing its
//! sources where the user works, and serves it.

use crate::build::{build, BuildOptions};
use crate::scaffold;
use blogtrack_diag::{exit, Diagnostic};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The new track's folder (created; must be empty or absent). With --ci alone it may be an
    /// existing track.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Start the new track from last year's repository PREV: its settings, pages and data, the
    /// year-specific values bumped, last year's posts left out.
    #[arg(long, value_name = "PREV")]
    pub from: Option<PathBuf>,
    /// Write the GitHub Actions workflows (check, preview, deploy) into DIR/.github/workflows/.
    #[arg(long)]
    pub ci: bool,
    /// With --ci: the SHA-256 of the release's blogtrack-x86_64-unknown-linux-gnu binary (in the
    /// release's SHA256SUMS); the workflows then download it in seconds instead of building it.
    #[arg(long, requires = "ci", value_name = "HEX")]
    pub sha256: Option<String>,
    /// With --ci: replace workflow files that already exist.
    #[arg(long, requires = "ci")]
    pub force: bool,
    /// Print only errors, not the next steps.
    #[arg(short, long)]
    pub quiet: bool,
}

pub fn run(args: Args) -> ExitCode {
    if let Some(s) = args
        .sha256
        .as_deref()
        .filter(|s| !blogtrack_gate::is_sha256(s))
    {
        let d = Diagnostic::error("usage", format!("--sha256 `{s}` is not a SHA-256 digest"))
            .with_hint(
            "give the release archive's digest: 64 hexadecimal digits, as `sha256sum` prints it",
        );
        super::print_diagnostics(&[d], &args.dir);
        return ExitCode::from(exit::USAGE);
    }
    let existing_track = args.dir.join("_config.yml").is_file();
    if args.ci && args.from.is_none() && existing_track {
        return write_ci(&args);
    }
    if let Some(prev) = &args.from {
        let code = run_from(prev, &args.dir);
        if code != ExitCode::SUCCESS || !args.ci {
            return code;
        }
        return write_ci(&args);
    }
    let code = run_demo_init(&args);
    if code != ExitCode::SUCCESS || !args.ci {
        return code;
    }
    write_ci(&args)
}

fn write_ci(args: &Args) -> ExitCode {
    let install = blogtrack_gate::Install::this_release(args.sha256.clone());
    match crate::ci::write_workflows(&args.dir, &install, args.force) {
        Ok(files) => {
            for f in &files {
                eprintln!("wrote {}", args.dir.join(f).display());
            }
            if install.sha256.is_none() {
                eprintln!(
                    "note: no --sha256 given: the workflows build blogtrack {} from its tag (a few minutes, then cached); pass the release binary's checksum to download it instead",
                    install.version
                );
            }
            eprintln!("the secrets and settings they need: docs/organizers.md in blogtrack's repository (\"The GitHub repositories\")");
            ExitCode::SUCCESS
        }
        Err(d) => {
            super::print_diagnostics(&[d], &args.dir);
            ExitCode::from(exit::USAGE)
        }
    }
}

fn run_from(prev: &std::path::Path, dir: &std::path::Path) -> ExitCode {
    match crate::nextyear::init_from(prev, dir) {
        Ok(report) => {
            eprint!("{}", report.summary(dir));
            ExitCode::SUCCESS
        }
        Err(d) => {
            super::print_diagnostics(&[d], prev);
            ExitCode::from(exit::USAGE)
        }
    }
}

fn run_demo_init(args: &Args) -> ExitCode {
    match scaffold::init(&args.dir) {
        Ok(_) if args.quiet => ExitCode::SUCCESS,
        Ok(n) => {
            let shown = args.dir.display();
            eprintln!("wrote a new track with {n} files to `{shown}`");
            eprintln!();
            eprintln!("next steps:");
            eprintln!("  blogtrack serve {shown}          preview the site while you edit it");
            eprintln!("  blogtrack new my-post --track {shown}   start a post");
            eprintln!("  blogtrack build {shown}          write the site to {shown}/_site");
            eprintln!("settings are documented in {shown}/_config.yml");
            ExitCode::SUCCESS
        }
        Err(d) => {
            super::print_diagnostics(&[d], &args.dir);
            ExitCode::from(exit::USAGE)
        }
    }
}

#[derive(clap::Args, Debug)]
pub struct DemoArgs {
    /// Where to write the demo site.
    #[arg(short, long, default_value = "blogtrack-demo")]
    pub output: PathBuf,
    /// Only build the site; do not start a server.
    #[arg(long)]
    pub no_serve: bool,
    /// Port of the preview server (another free port is used if it is taken).
    #[arg(long, default_value_t = 4000)]
    pub port: u16,
    /// Print only errors and the summary, not warnings and notes.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Writes the embedded demo to a temporary folder, builds it into `--output`, removes the
/// temporary sources and serves the site.
pub fn run_demo(args: DemoArgs) -> ExitCode {
    let tmp = std::env::temp_dir().join(format!("blogtrack-demo-src-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    if let Err(d) = scaffold::init(&tmp) {
        super::print_diagnostics(&[d], &tmp);
        return ExitCode::from(exit::USAGE);
    }
    let opts = BuildOptions {
        source: tmp.clone(),
        output: args.output.clone(),
        strict: false,
        noindex: false,
        base_url: None,
    };
    crate::interrupt::install(&args.output);
    let result = build(&opts);
    let code = match result {
        Ok(report) => {
            super::print_report(&report.diagnostics.0, args.quiet, &tmp);
            eprintln!("{}", report.summary());
            if report.failed(false) {
                ExitCode::from(exit::PROBLEMS)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(d) => {
            super::print_diagnostics(&[d], &tmp);
            ExitCode::from(exit::USAGE)
        }
    };
    let _ = std::fs::remove_dir_all(&tmp);
    if code != ExitCode::SUCCESS {
        return code;
    }
    if !args.quiet {
        eprintln!("the demo site is in `{}`", args.output.display());
    }
    if args.no_serve {
        if args.quiet {
            return code;
        }
        eprintln!(
            "to view it, run `blogtrack demo` without --no-serve, or start a track of your own with `blogtrack init my-track`"
        );
        return code;
    }
    super::preview::serve_folder(&args.output, &scaffold::demo_config().baseurl, args.port)
}
