//! The subcommands: each module holds its arguments and a `run` that sets things up around
//! library calls and returns the exit code (0 clean, 1 problems found, 2 usage or internal error).

pub mod build;
pub mod check;
pub mod init;
pub mod new;
pub mod preview;
#[cfg(feature = "review")]
pub mod publish;
#[cfg(feature = "review")]
pub mod review;
pub mod serve;

use blogtrack_devserver::{serve, ServerConfig, ServerHandle, SiteStore};
use blogtrack_diag::exit;
use blogtrack_diag::Diagnostic;
use std::io::IsTerminal;
use std::net::{IpAddr, SocketAddr};
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

/// Starts the preview server for `serve`, `demo` and `preview --serve` alike: on `host:port`,
/// or, when that port is taken, on a free one (said on stderr, with how to choose another).
/// Any other failure to listen is an error (exit 2).
pub fn start_server(
    store: Arc<SiteStore>,
    host: IpAddr,
    port: u16,
    base_path: &str,
    root: &Path,
) -> Result<ServerHandle, ExitCode> {
    let config = |port: u16| ServerConfig {
        addr: SocketAddr::new(host, port),
        static_root: None,
        base_path: base_path.to_string(),
    };
    let first = match serve(store.clone(), config(port)) {
        Ok(s) => return Ok(s),
        Err(e) => e,
    };
    let retried = if first.kind() == std::io::ErrorKind::AddrInUse && port != 0 {
        eprintln!(
            "note: port {port} is busy ({first}); serving on a free port instead (choose one with --port)"
        );
        serve(store, config(0))
    } else {
        Err(first)
    };
    retried.map_err(|e| {
        let d = Diagnostic::error("serve", format!("cannot listen on {host}:{port}: {e}"))
            .with_hint("choose another port with --port, or 0 for any free port");
        print_diagnostics(&[d], root);
        ExitCode::from(exit::USAGE)
    })
}

/// The HTTP redirects of a built site: its redirect pages (`redirect_to:`, written as
/// `<meta http-equiv="refresh">` pages), by site path, for [`SiteStore::set_redirects`].
pub fn redirects_of(files: &[(String, Vec<u8>)]) -> Vec<(String, String)> {
    files
        .iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .filter_map(|(p, bytes)| {
            let to = blogtrack_theme::redirect_target(std::str::from_utf8(bytes).ok()?)?;
            Some((p.clone(), to))
        })
        .collect()
}

/// The current time for deadlines, in seconds since the Unix epoch: `BLOGTRACK_NOW` when it is
/// set (a date-time as `blogtrack.dates` takes it, e.g. `2025-12-02T12:00:00Z`; tests use it as a
/// fake clock, organizers to rehearse the deadline), else the system clock.
pub fn now() -> Result<i64, Diagnostic> {
    match std::env::var("BLOGTRACK_NOW") {
        Ok(text) if !text.trim().is_empty() => crate::config::dates::parse_date_time(&text)
            .map(|t| t.unix)
            .map_err(|why| {
                Diagnostic::error("usage", format!("BLOGTRACK_NOW: `{}` {why}", text.trim()))
                    .with_hint("set it like `BLOGTRACK_NOW=2025-12-02T12:00:00Z`, or unset it")
            }),
        _ => Ok(std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64)),
    }
}

/// Prints a run's diagnostics like [`print_diagnostics`]; with `quiet`, only its errors.
pub fn print_report(diags: &[Diagnostic], quiet: bool, root: &Path) {
    if quiet {
        let errors: Vec<Diagnostic> = diags
            .iter()
            .filter(|d| d.severity == blogtrack_diag::Severity::Error)
            .cloned()
            .collect();
        print_diagnostics(&errors, root);
    } else {
        print_diagnostics(diags, root);
    }
}

/// Prints diagnostics for a human on stderr (rustc style, with the source line and a caret),
/// reading source lines from the track folder.
pub fn print_diagnostics(diags: &[Diagnostic], root: &Path) {
    if diags.is_empty() {
        return;
    }
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    // Source excerpts: each file read once, at most SOURCE_EXCERPTS of them shown, and none
    // from files over SOURCE_MAX_BYTES, so 100,000 warnings about one big file stay cheap.
    const SOURCE_EXCERPTS: usize = 200;
    const SOURCE_MAX_BYTES: u64 = 4 * 1024 * 1024;
    let cache = std::cell::RefCell::new(std::collections::HashMap::<String, Option<String>>::new());
    let shown = std::cell::Cell::new(0usize);
    let sources = |file: &str| -> Option<String> {
        let p = Path::new(file);
        if p.is_absolute() || file.contains("..") || shown.get() >= SOURCE_EXCERPTS {
            return None;
        }
        shown.set(shown.get() + 1);
        let mut cache = cache.borrow_mut();
        cache
            .entry(file.to_string())
            .or_insert_with(|| {
                let path = root.join(p);
                let meta = std::fs::metadata(&path).ok()?;
                (meta.is_file() && meta.len() <= SOURCE_MAX_BYTES)
                    .then(|| std::fs::read_to_string(&path).ok())
                    .flatten()
            })
            .clone()
    };
    let out = blogtrack_diag::render_report(
        diags,
        &sources,
        blogtrack_diag::Format::Human { color },
        &blogtrack_diag::Summary {
            slug: None,
            files: 0,
            strict: false,
        },
    );
    eprint!("{out}");
}
