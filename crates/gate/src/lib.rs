//! The submission gate's building blocks: what a pull request changed, whether its paths follow
//! the track's rules and whether it leaks the authors' identity during review. How the resulting
//! diagnostics are shown (terminal, JSON, GitHub annotations, PR comment) is
//! `blogtrack_diag::render`'s job, shared with every other command.
//!
//! The crate does not read the post's content for front matter, citations or assets: those
//! content checks need the render pipeline and live in the binary. Everything here is pure
//! (text and bytes in, values and [`Diagnostic`]s out) except [`changes_between`], which reads a
//! git repository with `gix` and never spawns a process.
//!
//! Every byte of a submission is treated as hostile: file names, titles and messages are escaped
//! (here when quoted, by the renderers for their medium), scanners have no recursion, and nothing is executed. The threat model, the
//! rule ids and the JSON schema of the report are documented in `RULES.md` next to this crate.

mod changes;
mod ci;
mod escape;
mod identity;
mod metadata;
mod paths;

pub use blogtrack_diag::{Diagnostic, Severity};
pub use changes::{changes_between, file_at, files_at, Change, ChangeKind, EntryKind, MAX_CHANGES};
pub use ci::{github_actions_workflows, is_sha256, Install};
pub use escape::display_path;
pub use identity::{classify_author_value, scan_text_for_identity, AuthorValue, TextKind};
pub use metadata::{scan_file, scan_image_metadata, scrub_file, uncleanable, FileType, Scrub};
pub use paths::{check_paths, infer_slug, PathPolicy};
