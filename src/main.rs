//! The `blogtrack` command line: argument parsing, then one module per subcommand.

use blogtrack::cmd;
use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// mimalloc instead of the system allocator: rendering is allocation-heavy (many small strings);
/// profiled, glibc's malloc/free were about a quarter of a build's CPU time.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    Build(cmd::build::Args),
    /// Preview a track with live reload.
    Serve(cmd::serve::Args),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            // Help and version are not errors; bad arguments are usage errors (exit 2).
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        Command::Build(a) => cmd::build::run(a),
        Command::Serve(a) => cmd::serve::run(a),
    }
}
