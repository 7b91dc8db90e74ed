//! The `blogtrack` command line: argument parsing, then one module per subcommand.

use blogtrack::cmd;
use blogtrack_diag::exit;
use clap::{CommandFactory, Parser, Subcommand};
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
    /// Write a new track (the documented demo) into a folder.
    Init(cmd::init::Args),
    /// Build the embedded demo track and serve it: the quickest look at blogtrack.
    Demo(cmd::init::DemoArgs),
    /// Start a new submission in a track: post, bibliography and asset folders.
    New(cmd::new::Args),
    /// The anonymous reviewers' build of one submission, under its own URL prefix.
    Preview(cmd::preview::Args),
    /// Preview a track with live reload.
    Serve(cmd::serve::Args),
    /// Check a submission (a pull request's files, or one post) against the track's rules.
    Check(cmd::check::Args),
    /// Print the shell completion script for SHELL (e.g. `blogtrack completions bash >
    /// ~/.local/share/bash-completion/completions/blogtrack`).
    Completions {
        /// bash, elvish, fish, powershell or zsh.
        shell: clap_complete::Shell,
    },
    /// The review: serve it, a seeded demo, export/import, attach pull requests.
    #[cfg(feature = "review")]
    Review(cmd::review::Args),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            // Help and version are not errors; bad arguments are usage errors (exit 2).
            return if e.use_stderr() {
                ExitCode::from(exit::USAGE)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        Command::Build(a) => cmd::build::run(a),
        Command::Init(a) => cmd::init::run(a),
        Command::Demo(a) => cmd::init::run_demo(a),
        Command::New(a) => cmd::new::run(a),
        Command::Preview(a) => cmd::preview::run(a),
        Command::Serve(a) => cmd::serve::run(a),
        Command::Check(a) => cmd::check::run(a),
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "blogtrack",
                &mut std::io::stdout(),
            );
            ExitCode::SUCCESS
        }
        #[cfg(feature = "review")]
        Command::Review(a) => cmd::review::run(a),
    }
}
