//! `blogtrack init --ci`: writes the GitHub Actions workflows (`blogtrack_gate::ci`) into a
//! track's `.github/workflows/`. Only this writer touches the disk; the texts come from the gate.
//!
//! An existing workflow file of the same name is never replaced silently: the organizer may have
//! edited it. `--force` replaces it (the old one's content is in git).

use blogtrack_diag::Diagnostic;
use blogtrack_gate::{github_actions_workflows, Install};
use std::path::Path;

/// Writes the workflows into `track`; returns their paths relative to it.
pub fn write_workflows(
    track: &Path,
    install: &Install,
    force: bool,
) -> Result<Vec<String>, Diagnostic> {
    if !track.is_dir() {
        return Err(
            Diagnostic::error("init-ci", format!("`{}` is not a folder", track.display()))
                .with_hint(
                    "run `blogtrack init --ci` in the track's repository, or give its folder",
                ),
        );
    }
    let files = github_actions_workflows(install);
    if !force {
        let existing: Vec<&str> = files
            .iter()
            .filter(|(rel, _)| track.join(rel).exists())
            .map(|(rel, _)| rel.as_str())
            .collect();
        if !existing.is_empty() {
            return Err(Diagnostic::error(
                "init-ci",
                format!("{} already exist(s); not replacing", existing.join(", ")),
            )
            .with_hint("pass --force to replace them with this release's workflows (git keeps the old ones)"));
        }
    }
    let mut written = Vec::new();
    for (rel, yaml) in &files {
        let path = track.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| {
                Diagnostic::error("io", format!("cannot create `{}`: {e}", parent.display()))
            })?;
        }
        std::fs::write(&path, yaml).map_err(|e| {
            Diagnostic::error("io", format!("cannot write `{}`: {e}", path.display()))
        })?;
        written.push(rel.clone());
    }
    Ok(written)
}
