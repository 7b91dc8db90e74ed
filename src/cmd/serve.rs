//! `blogtrack serve [SRC] [--port N] [--host 127.0.0.1] [--open]`: the live-reload preview.
//!
//! Builds the track into memory ([`crate::serve::Session`]), serves it under the site's
//! `baseurl` with `blogtrack_devserver`, and on every batch of edits re-renders what changed
//! and reloads open pages. Errors go to the terminal and to an overlay in the page; the server
//! keeps running until Ctrl-C.

use crate::serve::Session;
use blogtrack_devserver::{serve, watch, ServerConfig, SiteStore};
use blogtrack_diag::{Diagnostic, Severity};
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
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
}

fn report(diags: &[Diagnostic], root: &std::path::Path) {
    let errors: Vec<Diagnostic> = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .cloned()
        .collect();
    super::print_diagnostics(&errors, root);
}

pub fn run(args: Args) -> ExitCode {
    let start = Instant::now();
    let skip = vec![args.source.join("_site")];
    let mut session = match Session::open(&args.source, skip.clone()) {
        Ok(s) => s,
        Err(d) => {
            super::print_diagnostics(&[d], &args.source);
            return ExitCode::from(2);
        }
    };
    let store = Arc::new(SiteStore::new());
    match session.rebuild(&[], &store) {
        Ok(u) => {
            let warnings = u
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Warning)
                .count();
            report(&u.diagnostics, &args.source);
            eprintln!(
                "built {} files in {} ms ({warnings} warning(s); `blogtrack build` lists them)",
                u.changed.len(),
                start.elapsed().as_millis()
            );
        }
        Err(d) => {
            super::print_diagnostics(&[d], &args.source);
            return ExitCode::from(2);
        }
    }
    let root = session.track().root.clone();
    let cfg = ServerConfig {
        addr: SocketAddr::new(args.host, args.port),
        static_root: None,
        base_path: session.track().config.baseurl.clone(),
    };
    let server = match serve(store.clone(), cfg) {
        Ok(s) => s,
        Err(e) => {
            let d = Diagnostic::error(
                "serve",
                format!("cannot listen on {}:{}: {e}", args.host, args.port),
            )
            .with_hint("choose another port with --port, or 0 for any free port");
            super::print_diagnostics(&[d], &args.source);
            return ExitCode::from(2);
        }
    };
    let url = server.url();
    println!("serving {url}  (Ctrl-C to stop)");
    if args.open {
        let _ = std::process::Command::new("xdg-open")
            .arg(&url)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn();
    }
    let session = Arc::new(Mutex::new(session));
    let cb_store = store.clone();
    let cb_root = root.clone();
    let watcher = watch(&root, skip, move |paths| {
        let t = Instant::now();
        let Ok(mut s) = session.lock() else {
            return;
        };
        match s.rebuild(&paths, &cb_store) {
            Ok(u) => {
                report(&u.diagnostics, &cb_root);
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
            return ExitCode::from(2);
        }
    };
    loop {
        std::thread::park();
    }
}
