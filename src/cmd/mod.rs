//! The subcommands: each module holds its arguments and a `run` that sets things up around
//! library calls and returns the exit code (0 clean, 1 problems found, 2 usage or internal error).

pub mod build;
pub mod check;
pub mod init;
pub mod new;
pub mod preview;
#[cfg(feature = "review")]
pub mod review;
pub mod serve;

use blogtrack_diag::Diagnostic;
use std::io::IsTerminal;
use std::path::Path;

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
    let out = blogtrack_gate::render_report(
        diags,
        &sources,
        blogtrack_gate::Format::Human { color },
        &blogtrack_gate::Summary {
            slug: None,
            files: 0,
            strict: false,
        },
    );
    eprint!("{out}");
}
