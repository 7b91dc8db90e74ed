//! `blogtrack-synth [--hugo] N SEED OUT`: writes a synthetic track (or, with `--hugo`, the same
//! posts as a minimal Hugo site) of N posts into OUT. See the library docs for what a post holds.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let hugo = args.iter().any(|a| a == "--hugo");
    args.retain(|a| a != "--hugo");
    let usage = "usage: blogtrack-synth [--hugo] N SEED OUT";
    let (Some(n), Some(seed), Some(out)) = (
        args.first().and_then(|s| s.parse::<usize>().ok()),
        args.get(1).and_then(|s| s.parse::<u64>().ok()),
        args.get(2).map(PathBuf::from),
    ) else {
        eprintln!("{usage}");
        return ExitCode::from(2);
    };
    let result = if hugo {
        blogtrack_synth::write_hugo_site(&out, n, seed)
    } else {
        blogtrack_synth::write_track(&out, n, seed)
    };
    match result {
        Ok(files) => {
            eprintln!("wrote {files} files into {}", out.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("blogtrack-synth: cannot write into {}: {e}", out.display());
            ExitCode::from(1)
        }
    }
}
