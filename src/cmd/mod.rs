//! The subcommands: each module holds its arguments and a `run` that sets things up around
//! library calls and returns the exit code (0 clean, 1 problems found, 2 usage or internal error).

pub mod build;
pub mod check;
pub mod init;
pub mod new;
pub mod preview;
pub mod serve;

use blogtrack_diag::Diagnostic;
use std::io::IsTerminal;
use std::path::Path;

/// Prints diagnostics for a human on stderr (rustc style, with the source line and a caret),
/// reading source lines from the track folder.
pub fn print_diagnostics(diags: &[Diagnostic], root: &Path) {
    if diags.is_empty() {
        return;
    }
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let sources = |file: &str| -> Option<String> {
        let p = Path::new(file);
        if p.is_absolute() || file.contains("..") {
            return None;
        }
        std::fs::read_to_string(root.join(p)).ok()
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
