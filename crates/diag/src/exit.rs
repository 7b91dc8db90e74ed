//! Exit statuses of the `blogtrack` binary, one meaning each, for every subcommand alike.
//!
//! `check` derives its status from the diagnostics with [`crate::exit_code`]; the other commands
//! pick one of these. Scripts and CI workflows rely on them, so they never change meaning.

/// Success: nothing failed (warnings may have been printed).
pub const OK: u8 = 0;
/// The input has problems: an error (or, with `--strict`, a warning) was reported.
pub const PROBLEMS: u8 = 1;
/// Usage error or a failure of the environment (unreadable folder, busy port, no runtime).
pub const USAGE: u8 = 2;
/// Interrupted by Ctrl-C (128 + SIGINT, as shells report it); the output was left unchanged.
pub const INTERRUPTED: u8 = 130;
