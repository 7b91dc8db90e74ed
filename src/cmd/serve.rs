//! `blogtrack serve [SRC] [--port N] [--host 127.0.0.1] [--open]`: the live-reload preview.
//!
//! Builds the track into memory ([`crate::serve::Session`]), serves it under the site's
//! `baseurl` with `blogtrack_devserver`, and on every batch of edits re-renders what changed
//! and reloads open pages. Errors go to the terminal and to an overlay in the page; warnings go
//! to a small dismissable panel in the page, and to the terminal only when they are new since
//! the previous build (with a count of those fixed). The server keeps running until Ctrl-C.

use crate::serve::Session;
use blogtrack_devserver::{watch, SiteStore};
use blogtrack_diag::exit;
use blogtrack_diag::{Diagnostic, Severity};
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Instant;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The track's folder (with _config.yml and _posts/).
    #[arg(default_value = ".")]
    pub source: PathBuf,
    /// Port to listen on (0: any free port).
    #[arg(long, default_value_t = 4000)]
    pub port: u16,
    /// Address to listen on; loopback by default (use 0.0.0.0 to share on the network).
    #[arg(long, default_value = "127.0.0.1")]
    pub host: IpAddr,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Print only errors, not warnings and the line per rebuild.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Prints a build's errors, and its warnings that the previous build (`shown`) did not have
/// and how many of those are gone; remembers this build's diagnostics in `shown`. The page shows
/// the whole list (the warnings panel).
fn report(shown: &mut Vec<Diagnostic>, diags: &[Diagnostic], quiet: bool, root: &Path) {
    let mut out: Vec<Diagnostic> = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .cloned()
        .collect();
    let (new, gone) = crate::serve::warning_changes(shown, diags);
    if !quiet {
        out.extend(new.into_iter().cloned());
        out.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    }
    super::print_diagnostics(&out, root);
    if !quiet && gone > 0 {
        eprintln!("{gone} warning(s) fixed");
    }
    *shown = diags.to_vec();
}

pub fn run(args: Args) -> ExitCode {
    let start = Instant::now();
    let skip = vec![args.source.join("_site")];
    let mut session = match Session::open(&args.source, skip.clone()) {
        Ok(s) => s,
        Err(d) => {
            super::print_diagnostics(&[d], &args.source);
            return ExitCode::from(exit::USAGE);
        }
    };
    let store = Arc::new(SiteStore::new());
    let mut shown = Vec::new();
    match session.rebuild(&[], &store) {
        Ok(u) => {
            let warnings = u
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Warning)
                .count();
            report(&mut shown, &u.diagnostics, args.quiet, &args.source);
            eprintln!(
                "built {} files in {} ms ({warnings} warning(s))",
                u.changed.len(),
                start.elapsed().as_millis()
            );
        }
        Err(d) => {
            super::print_diagnostics(&[d], &args.source);
            return ExitCode::from(exit::USAGE);
        }
    }
    let root = session.track().root.clone();
    let base_path = session.track().config.baseurl.clone();
    let server = match super::start_server(store.clone(), args.host, args.port, &base_path, &root) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let url = server.url();
    let session = Arc::new(Mutex::new(session));
    let cb_store = store.clone();
    let cb_root = root.clone();
    let quiet = args.quiet;
    let shown = Mutex::new(shown);
    let watcher = watch(&root, skip, move |paths| {
        let t = Instant::now();
        let Ok(mut s) = session.lock() else {
            return;
        };
        match s.rebuild(&paths, &cb_store) {
            Ok(u) => {
                let mut shown = shown
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                report(&mut shown, &u.diagnostics, quiet, &cb_root);
                if quiet {
                    return;
                }
                eprintln!(
                    "{} changed: {} post(s) rendered, {} file(s) updated in {} ms",
                    paths
                        .first()
                        .map(|p| p.display().to_string())
                        .unwrap_or_default(),
                    u.rendered,
                    u.changed.len() + u.removed.len(),
                    t.elapsed().as_millis()
                );
            }
            Err(d) => {
                // The track folder itself is unusable (removed?): show it, keep serving.
                cb_store.set_error(Some(blogtrack_devserver::ErrorOverlay::from_diagnostics([
                    &d,
                ])));
                super::print_diagnostics(&[d], &cb_root);
            }
        }
    });
    let _watcher = match watcher {
        Ok(w) => w,
        Err(d) => {
            super::print_diagnostics(&[d], &args.source);
            return ExitCode::from(exit::USAGE);
        }
    };
    // Announced once the watcher runs, so an edit made as soon as this line shows is seen.
    println!("serving {url}  (Ctrl-C to stop)");
    if args.open {
        let _ = std::process::Command::new("xdg-open")
            .arg(&url)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn();
    }
    loop {
        std::thread::park();
    }
}
