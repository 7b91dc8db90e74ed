//! `blogtrack new NAME [--track DIR]`: scaffolds a submission in an existing track.

use crate::scaffold;
use blogtrack_diag::exit;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The post's name: lowercase letters, digits and hyphens (the URL will be /blog/NAME/).
    pub name: String,
    /// The track's folder (with _config.yml and _posts/).
    #[arg(long, default_value = ".")]
    pub track: PathBuf,
    /// Print only errors, not the files created and the next steps.
    #[arg(short, long)]
    pub quiet: bool,
}

pub fn run(args: Args) -> ExitCode {
    match scaffold::new_post(&args.track, &args.name, scaffold::today_utc()) {
        Ok(_) if args.quiet => ExitCode::SUCCESS,
        Ok(created) => {
            eprintln!("created the submission `{}`:", created.slug);
            for p in &created.created {
                let rel = p.strip_prefix(&args.track).unwrap_or(p);
                eprintln!("  {}", rel.display());
            }
            let track = args.track.display();
            eprintln!();
            eprintln!("next steps:");
            eprintln!("  blogtrack serve {track}     write with live preview");
            eprintln!(
                "  blogtrack check {track} --post {}     check it before you open a pull request",
                created.slug
            );
            eprintln!(
                "  blogtrack preview {track} --post {} -o previews     see what reviewers will see",
                created.slug
            );
            ExitCode::SUCCESS
        }
        Err(d) => {
            super::print_diagnostics(&[d], &args.track);
            ExitCode::from(exit::USAGE)
        }
    }
}
