//! `blogtrack review publish [TRACK] [--db URL] [--dry-run] [--before-release]`: writes the
//! released decisions of the review database into `TRACK/_data/decisions.yml` (and the list of
//! rejected submissions whose previews are removed, `_data/rejected-previews.txt`), and says
//! what changed.
//!
//! Only released decisions leave the database: the phase table's `SeeDecision` rule on the
//! track's `blogtrack.dates.decisions` (the notification date), with the clock of
//! [`super::now`] (`BLOGTRACK_NOW` or the system's). Before it, publishing is refused with the
//! date in AoE and UTC, unless the organizer passes `--before-release` on purpose. What the
//! database owns and what the existing file keeps is [`crate::decisions::publish`]'s rule.
//! Both files are written atomically (a temporary file in the same folder, then renamed), and
//! not at all when their bytes would not change.

use crate::decisions::publish::{merge, rejected_previews, summary, Released};
use crate::decisions::{Decisions, PATH};
use blogtrack_diag::Diagnostic;
use blogtrack_review::{allowed, Action, Refusal, ReviewSettings};
use blogtrack_review_store::Store;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct PublishArgs {
    /// The track's folder (with _config.yml).
    #[arg(default_value = ".")]
    pub track: PathBuf,
    /// Database: a SQLite file path or postgres://user@host/db (default: TRACK/.blogtrack-review.sqlite).
    #[arg(long)]
    pub db: Option<String>,
    /// Say what would change; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Publish although the decisions are not released yet (deliberately: e.g. to prepare the
    /// announcement on a branch that is not deployed).
    #[arg(long)]
    pub before_release: bool,
    /// Where the rejected submissions' slugs go, one a line (relative to TRACK).
    #[arg(long, value_name = "FILE", default_value = REJECTED_PREVIEWS)]
    pub rejected_previews: PathBuf,
}

/// Where the rejected submissions' slugs go by default (track-relative); the shipped preview
/// workflow reads this file.
pub const REJECTED_PREVIEWS: &str = "_data/rejected-previews.txt";

/// Runs `review publish`; `Err` is a message for an `error[review]` and exit status 2.
pub async fn run(a: PublishArgs) -> Result<ExitCode, String> {
    let config_path = a.track.join("_config.yml");
    let config_text = std::fs::read_to_string(&config_path).map_err(|e| {
        format!(
            "`{}` is not a track: cannot read `{}` ({e}); pass the folder that holds _config.yml",
            a.track.display(),
            config_path.display()
        )
    })?;
    let settings = match blogtrack_review::settings::parse(&config_text) {
        Ok(s) => s,
        Err(diags) => {
            super::print_diagnostics(&diags, &a.track);
            return Ok(ExitCode::from(1));
        }
    };
    if let Some(code) = refused_before_release(&a, &settings) {
        return Ok(code);
    }
    let (track, _) = crate::load::load_track(&a.track, &[]).map_err(|d| d.message)?;
    let existing = read_existing(&a.track)?;
    let store = open(&a).await?;
    let released = released(&store, &track).await?;
    let labels: Vec<(String, String)> = settings
        .awards
        .iter()
        .map(|w| (w.key.clone(), w.label.clone()))
        .collect();
    let new = merge(existing.as_ref().map(|(d, _)| d), &released, &labels);
    let old = existing
        .as_ref()
        .map_or_else(Decisions::default, |(d, _)| d.clone());
    for line in summary(&old, &new, &released) {
        println!("  {line}");
    }
    write_out(&a, existing.map(|(_, t)| t), &new)?;
    Ok(ExitCode::SUCCESS)
}

/// The exit status when the dates do not release the decisions yet (after saying why), `None`
/// when they do or when the organizer publishes early on purpose (`--before-release`).
fn refused_before_release(a: &PublishArgs, settings: &ReviewSettings) -> Option<ExitCode> {
    let now = match super::now() {
        Ok(t) => t,
        Err(d) => {
            super::print_diagnostics(&[d], &a.track);
            return Some(ExitCode::from(2));
        }
    };
    let refusal = allowed(Action::SeeDecision, now, &settings.dates, false).err()?;
    if a.before_release {
        eprintln!(
            "warning: the decisions are not released yet ({}); publishing them anyway (--before-release)",
            refusal.message()
        );
        return None;
    }
    super::print_diagnostics(&[not_released(&refusal)], &a.track);
    Some(ExitCode::from(1))
}

/// Writes the decisions file (unless `old_text` has the same bytes) and the rejected-previews
/// list (unless it has), and says for each what happened.
fn write_out(a: &PublishArgs, old_text: Option<String>, new: &Decisions) -> Result<(), String> {
    let text = crate::decisions::write_yaml(new);
    let unchanged = old_text.is_some_and(|t| t == text);
    let list_path = a.track.join(&a.rejected_previews);
    let list = rejected_previews(new);
    let list_unchanged = std::fs::read_to_string(&list_path).is_ok_and(|t| t == list);
    let mut writes = Vec::new();
    if !list_unchanged {
        writes.push((list_path, list));
    }
    if !unchanged {
        writes.push((a.track.join(PATH), text));
    }
    if !a.dry_run {
        write_all(&writes)?;
    }
    let verb = if a.dry_run { "would write" } else { "wrote" };
    if unchanged {
        println!("{PATH}: unchanged");
    } else {
        println!(
            "{PATH}: {verb} {} accepted, {} rejected",
            new.accepted.len(),
            new.rejected.len()
        );
    }
    let list_name = a.rejected_previews.display();
    if list_unchanged {
        println!("{list_name}: unchanged");
    } else {
        println!("{list_name}: {verb} {} slug(s)", new.rejected.len());
    }
    Ok(())
}

/// The refusal before the notification date, with the date in AoE and UTC.
fn not_released(r: &Refusal) -> Diagnostic {
    let message = match r {
        Refusal::NotYet { at, .. } => format!(
            "the decisions are not released yet: they are released after `blogtrack.dates.decisions`, {} ({}), and `review publish` writes only released decisions",
            at.in_aoe(),
            at.utc()
        ),
        Refusal::NotScheduled { .. } | Refusal::Closed { .. } => "the decisions are not released: the track sets no `blogtrack.dates.decisions` (the notification date), and `review publish` writes only released decisions".to_string(),
    };
    Diagnostic::error("publish-not-released", message)
        .in_file("_config.yml")
        .with_hint("publish after that date (set it under `blogtrack.dates` in _config.yml); to write them now on purpose, pass --before-release")
}

/// The track's `_data/decisions.yml` (value and text), if it has one; an error when it cannot
/// be read, as publishing over it would lose what it holds.
fn read_existing(track: &Path) -> Result<Option<(Decisions, String)>, String> {
    let path = track.join(PATH);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read `{}`: {e}", path.display())),
    };
    let (d, diags) = crate::decisions::parse(&text);
    match d {
        Some(d) => Ok(Some((d, text))),
        None => {
            super::print_diagnostics(&diags, track);
            Err(format!("`{}` has errors (above): fix them, or remove the file, before publishing over it (it keeps the poster session and places)", path.display()))
        }
    }
}

/// The review database; a SQLite file must exist already (publishing never creates one).
async fn open(a: &PublishArgs) -> Result<Store, String> {
    let url = match &a.db {
        Some(u) => u.clone(),
        None => a
            .track
            .join(".blogtrack-review.sqlite")
            .to_string_lossy()
            .into_owned(),
    };
    let postgres = url.starts_with("postgres://") || url.starts_with("postgresql://");
    let file = url
        .strip_prefix("sqlite:")
        .map_or(url.as_str(), |r| r.trim_start_matches("//"));
    if !postgres && !url.contains("://") && !Path::new(file).is_file() {
        return Err(format!(
            "no review database at `{file}`: pass the one `review serve` uses with --db (a SQLite file or postgres://…)"
        ));
    }
    Store::open(&url)
        .await
        .map_err(|e| format!("cannot open the review database `{url}`: {e}"))
}

/// The released decisions with the posts' slugs and, for accepted ones, their authors.
async fn released(store: &Store, track: &crate::model::Track) -> Result<Vec<Released>, String> {
    let decided = store
        .decided_submissions()
        .await
        .map_err(|e| format!("cannot read the decisions: {e}"))?;
    let stems: Vec<String> = track.posts.iter().map(|p| p.file_stem.clone()).collect();
    let by_name: HashMap<String, String> = stems
        .iter()
        .filter_map(|s| {
            let (_, stem, name, _) = crate::model::parse_post_file_name(&format!("{s}.md"))?;
            Some((name, stem))
        })
        .collect();
    let date = crate::scaffold::post_date(&track.config, &stems);
    let mut out = Vec::with_capacity(decided.len());
    for d in decided {
        let slug = match (by_name.get(&d.slug), date) {
            (Some(stem), _) => stem.clone(),
            (None, Some(date)) => format!("{}-{}", date.iso(), d.slug),
            (None, None) => return Err(format!(
                "submission {} (`{}`) has no post in _posts/ and the track sets no `blogtrack.post_date`, so its post's file name is unknown: set `blogtrack.post_date` in _config.yml",
                d.number, d.slug
            )),
        };
        let authors = if d.accepted {
            store
                .authors(&d.submission_id)
                .await
                .map_err(|e| format!("cannot read the authors of submission {}: {e}", d.number))?
                .into_iter()
                .map(|a| a.name)
                .collect()
        } else {
            Vec::new()
        };
        out.push(Released {
            slug,
            accepted: d.accepted,
            award: d.award.filter(|_| d.accepted),
            poster: d.poster && d.accepted,
            authors,
        });
    }
    Ok(out)
}

/// Writes each `(path, text)` through a temporary file in the same folder, renamed over it, so
/// that a reader sees the old file or the new one, never half of one. Every temporary file is
/// written before the first rename, so a full disk or a missing permission changes nothing; the
/// rejected-previews list (derived from the decisions) is renamed first.
fn write_all(files: &[(PathBuf, String)]) -> Result<(), String> {
    let mut staged = Vec::new();
    for (path, text) in files {
        match stage(path, text) {
            Ok(tmp) => staged.push((tmp, path)),
            Err(e) => {
                for (tmp, _) in &staged {
                    let _ = std::fs::remove_file(tmp);
                }
                return Err(e);
            }
        }
    }
    let mut result = Ok(());
    for (tmp, path) in &staged {
        if result.is_ok() {
            result = std::fs::rename(tmp, path)
                .map_err(|e| format!("cannot write `{}`: {e}", path.display()));
        }
        if result.is_err() {
            let _ = std::fs::remove_file(tmp);
        }
    }
    result
}

/// The temporary file beside `path` with `text` in it, flushed to disk.
fn stage(path: &Path, text: &str) -> Result<PathBuf, String> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create `{}`: {e}", dir.display()))?;
    let name = path
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::File::create(&tmp)
        .and_then(|mut f| {
            f.write_all(text.as_bytes())?;
            f.sync_all()
        })
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            format!(
                "cannot write `{}`: {e} (nothing was changed)",
                path.display()
            )
        })?;
    Ok(tmp)
}
