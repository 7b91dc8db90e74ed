//! The `blogtrack` command line: a thin layer of argument parsing over the library.

use blogtrack::build::{build, BuildOptions};
use blogtrack_diag::{Diagnostic, Severity};
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "blogtrack",
    version,
    about = "Build, check and preview a blog-post track site"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site of a track into a folder.
    Build {
        /// The track's folder (with _config.yml and _posts/).
        #[arg(default_value = ".")]
        source: PathBuf,
        /// Output folder (default: SOURCE/_site).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
        /// Print only the summary and errors, not warnings.
        #[arg(short, long)]
        quiet: bool,
    },
}

fn print_diag(d: &Diagnostic) {
    eprintln!("{d}");
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            source,
            output,
            strict,
            quiet,
        } => {
            let output = output.unwrap_or_else(|| source.join("_site"));
            let opts = BuildOptions {
                source,
                output,
                strict,
                noindex: false,
            };
            match build(&opts) {
                Ok(report) => {
                    for d in &report.diagnostics.0 {
                        if !quiet || d.severity == Severity::Error {
                            print_diag(d);
                        }
                    }
                    eprintln!("{}", report.summary());
                    if report.failed(strict) {
                        ExitCode::from(1)
                    } else {
                        ExitCode::SUCCESS
                    }
                }
                Err(d) => {
                    print_diag(&d);
                    ExitCode::from(2)
                }
            }
        }
    }
}
