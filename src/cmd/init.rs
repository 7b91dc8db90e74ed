//! `blogtrack init [DIR]` writes the embedded demo track to a new folder; `blogtrack demo` builds
//! that demo without writing its sources where the user works, and serves it.

use crate::build::{build, BuildOptions};
use crate::scaffold;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The new track's folder (created; must be empty or absent).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Print only errors, not the next steps.
    #[arg(short, long)]
    pub quiet: bool,
}

pub fn run(args: Args) -> ExitCode {
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
            ExitCode::from(2)
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
        return ExitCode::from(2);
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
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(d) => {
            super::print_diagnostics(&[d], &tmp);
            ExitCode::from(2)
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
