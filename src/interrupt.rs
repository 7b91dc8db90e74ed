//! Ctrl-C during a command that writes a site (`build`, `demo`, `preview`): the staging folder
//! is removed and the user is told that the site in the output folder is unchanged.
//!
//! The writer ([`crate::write::Staging`]) registers its staging folder here while it exists and
//! takes [`swap_lock`] around the swap. The handler (installed with [`install`], on the `ctrlc`
//! crate's thread) first sets a flag that makes every further page write fail, so no new file
//! or folder appears in the staging folder, then takes the same lock, so it never runs in the
//! middle of a swap: either the swap has not started (the staging folder is removed, the output
//! is as it was) or it is done (the output holds the new site, and the message says so). It
//! exits with 130, the shell's code for a command stopped by SIGINT, while holding the lock.
//!
//! Not here: `serve` (it writes nothing to disk; Ctrl-C simply stops it).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

#[derive(Default)]
struct State {
    /// The output folder as the user named it.
    output: Option<PathBuf>,
    /// Staging folders that exist now.
    staging: Vec<PathBuf>,
    /// Whether a new site was swapped into the output folder.
    swapped: bool,
}

static STATE: Mutex<State> = Mutex::new(State {
    output: None,
    staging: Vec::new(),
    swapped: false,
});

fn state() -> MutexGuard<'static, State> {
    STATE.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Installs the Ctrl-C handler for a command that writes the site to `output` (as the user
/// named it). Only the first call installs it; later ones change the folder named.
pub fn install(output: &Path) {
    state().output = Some(output.to_path_buf());
    // Fails only when a handler is installed already (a second command in a test process).
    let _ = ctrlc::set_handler(on_interrupt);
}

/// Whether Ctrl-C was pressed: the writer stops writing.
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// Records a staging folder that exists now.
pub(crate) fn register(staging: &Path) {
    state().staging.push(staging.to_path_buf());
}

/// Forgets a staging folder (removed or swapped in).
pub(crate) fn unregister(staging: &Path) {
    state().staging.retain(|p| p != staging);
}

/// Held by the writer around the swap; see the module doc.
pub(crate) struct SwapLock(MutexGuard<'static, State>);

impl SwapLock {
    /// The swap of `staging` into the output is done.
    pub(crate) fn swapped(&mut self, staging: &Path) {
        self.0.staging.retain(|p| p != staging);
        self.0.swapped = true;
    }
}

pub(crate) fn swap_lock() -> SwapLock {
    SwapLock(state())
}

/// The message the handler prints, from what is known when it runs.
fn message(output: Option<&Path>, swapped: bool) -> String {
    match (output, swapped) {
        (Some(out), false) => format!(
            "interrupted \u{2014} the site in {} is unchanged",
            out.display()
        ),
        (Some(out), true) => format!(
            "interrupted \u{2014} the new site was already written to {}",
            out.display()
        ),
        (None, _) => "interrupted".to_string(),
    }
}

fn on_interrupt() {
    INTERRUPTED.store(true, Ordering::SeqCst);
    let state = state();
    for dir in &state.staging {
        // A page write that was under way when the flag was set may still add a file: retry.
        for _ in 0..20 {
            match std::fs::remove_dir_all(dir) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    std::thread::sleep(Duration::from_millis(25));
                }
                _ => break,
            }
        }
    }
    eprintln!("\n{}", message(state.output.as_deref(), state.swapped));
    std::process::exit(i32::from(blogtrack_diag::exit::INTERRUPTED));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_says_whether_the_output_changed() {
        let out = Path::new("site");
        assert_eq!(
            message(Some(out), false),
            "interrupted \u{2014} the site in site is unchanged"
        );
        assert!(message(Some(out), true).contains("already written to site"));
        assert_eq!(message(None, false), "interrupted");
    }
}
