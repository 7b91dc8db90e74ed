//! `blogtrack build [SRC] [-o OUT] [--base-url URL]`.

use crate::build::{build, BuildOptions};
use blogtrack_diag::exit;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The track's folder (with _config.yml and _posts/).
    #[arg(default_value = ".")]
    pub source: PathBuf,
    /// Output folder (default: SOURCE/_site).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Treat warnings as errors.
    #[arg(long)]
    pub strict: bool,
    /// Print only errors and the summary, not warnings.
    #[arg(short, long)]
    pub quiet: bool,
    /// Where this copy of the site is published, e.g. https://staging.example.org/2025 (replaces
    /// `url` and `baseurl` of _config.yml, like Hugo's --baseURL: previews and staging sites).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<crate::config::BaseUrl>,
}

pub fn run(args: Args) -> ExitCode {
    let output = args.output.unwrap_or_else(|| args.source.join("_site"));
    let opts = BuildOptions {
        source: args.source.clone(),
        output,
        strict: args.strict,
        noindex: false,
        base_url: args.base_url.clone(),
    };
    crate::interrupt::install(&opts.output);
    match build(&opts) {
        Ok(report) => {
            super::print_report(&report.diagnostics.0, args.quiet, &args.source);
            eprintln!("{}", report.summary());
            if report.failed(args.strict) {
                ExitCode::from(exit::PROBLEMS)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(d) => {
            super::print_diagnostics(&[d], &args.source);
            ExitCode::from(exit::USAGE)
        }
    }
}
