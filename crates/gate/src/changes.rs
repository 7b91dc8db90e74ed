//! What a pull request changed: the files added, modified, deleted or renamed between the merge
//! base of two revisions and the head, read from a git repository with `gix`.
//!
//! Only the object database is read: no worktree, no index, no `git` process, no hooks, no
//! filters and no configuration beyond the repository's own file (the repository is opened
//! isolated), so a hostile repository cannot make the gate run anything. Bare repositories work
//! the same way. The change list is plain data, so an explicit `--files` list can be turned into
//! the same values with [`Change::new`] and checked by the same rules.

use std::path::Path;

use blogtrack_diag::Diagnostic;

use crate::escape::display_path;

/// A diff listing more entries than this is refused: no real submission comes close, and the
/// rules would only repeat themselves.
pub const MAX_CHANGES: usize = 100_000;

/// How a path changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeKind {
    Added,
    Modified,
    Deleted,
    /// Moved from `from` (which no longer exists at the head) to the change's path.
    Renamed {
        from: String,
    },
}

/// What kind of tree entry the changed path is at the head (at the base for deletions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    /// A regular or executable file.
    File,
    /// A symbolic link: never allowed in a submission, it could point outside the repository.
    Symlink,
    /// A git submodule (a commit entry).
    Submodule,
}

/// One changed path, relative to the repository root, with `/` separators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub path: String,
    pub kind: ChangeKind,
    pub entry: EntryKind,
}

impl Change {
    /// A change to a regular file (what an explicit `--files` list gives).
    pub fn new(path: impl Into<String>, kind: ChangeKind) -> Self {
        Change {
            path: path.into(),
            kind,
            entry: EntryKind::File,
        }
    }

    pub fn added(path: impl Into<String>) -> Self {
        Self::new(path, ChangeKind::Added)
    }
}

fn git_error(message: String, hint: &str) -> Diagnostic {
    Diagnostic::error("git-read", message).with_hint(hint)
}

/// Opens `repo` isolated: its own configuration only, no hooks, no filters.
fn open_isolated(repo: &Path) -> Result<gix::Repository, Diagnostic> {
    let shown_repo = display_path(&repo.display().to_string());
    gix::open_opts(repo, gix::open::Options::isolated()).map_err(|e| {
        git_error(
            format!("cannot open git repository `{shown_repo}`: {e}"),
            "run the check inside a clone of the track repository",
        )
    })
}

/// The object `rev` names; an unknown revision is an error with `hint`.
fn revision<'r>(
    repo: &'r gix::Repository,
    rev: &str,
    hint: &str,
) -> Result<gix::Id<'r>, Diagnostic> {
    repo.rev_parse_single(rev).map_err(|e| {
        git_error(
            format!("unknown revision `{}`: {e}", display_path(rev)),
            hint,
        )
    })
}

/// The tree of the commit `rev` names.
fn tree_of<'r>(repo: &'r gix::Repository, rev: &str) -> Result<gix::Tree<'r>, Diagnostic> {
    revision(
        repo,
        rev,
        "fetch the revision first (in CI: actions/checkout with fetch-depth: 0)",
    )?
    .object()
    .and_then(|o| o.peel_to_tree())
    .map_err(|e| {
        git_error(
            format!("`{}` does not name a commit: {e}", display_path(rev)),
            "pass commit ids or branch names",
        )
    })
}

/// Every file (not folder) in the tree of the commit `rev`, with its kind, sorted by path: what
/// a pull request's head really contains, whatever the working tree holds (untracked files,
/// another checkout, or none at all in a bare repository).
pub fn files_at(repo: &Path, rev: &str) -> Result<Vec<(String, EntryKind)>, Diagnostic> {
    let repo = open_isolated(repo)?;
    let tree = tree_of(&repo, rev)?;
    let entries = tree.traverse().breadthfirst.files().map_err(|e| {
        git_error(
            format!("cannot read the tree of `{}`: {e}", display_path(rev)),
            "the repository may be corrupt or shallow",
        )
    })?;
    let mut out: Vec<(String, EntryKind)> = entries
        .into_iter()
        .filter(|e| !e.mode.is_tree())
        .map(|e| {
            let kind = if e.mode.is_link() {
                EntryKind::Symlink
            } else if e.mode.is_commit() {
                EntryKind::Submodule
            } else {
                EntryKind::File
            };
            (
                String::from_utf8_lossy(e.filepath.as_ref()).into_owned(),
                kind,
            )
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// The bytes of the file `path` in the tree of the commit `rev`, or `None` when the tree has no
/// such file: what the base branch says (its `_config.yml`), whatever the working tree holds.
pub fn file_at(repo: &Path, rev: &str, path: &str) -> Result<Option<Vec<u8>>, Diagnostic> {
    let repo = open_isolated(repo)?;
    let tree = tree_of(&repo, rev)?;
    let unreadable = |e: &dyn std::fmt::Display| {
        git_error(
            format!(
                "cannot read `{}` at `{}`: {e}",
                display_path(path),
                display_path(rev)
            ),
            "the repository may be corrupt or shallow",
        )
    };
    let Some(entry) = tree
        .lookup_entry_by_path(path)
        .map_err(|e| unreadable(&e))?
    else {
        return Ok(None);
    };
    if !entry.mode().is_blob() {
        return Ok(None);
    }
    let object = entry.object().map_err(|e| unreadable(&e))?;
    Ok(Some(object.data.clone()))
}

/// The files changed by `head` relative to the merge base of `base` and `head` (what a pull
/// request from `head` into `base` changes), sorted by path, with rename detection.
///
/// `repo` is a worktree or a bare repository. Errors (unknown revision, no common ancestor,
/// corrupt objects) come back as one `git-read` diagnostic.
pub fn changes_between(repo: &Path, base: &str, head: &str) -> Result<Vec<Change>, Diagnostic> {
    let repo = open_isolated(repo)?;
    let base_commit = commit_of(&repo, base)?;
    let head_commit = commit_of(&repo, head)?;
    let merge_base = merge_base_of(&repo, (base, base_commit.id), (head, head_commit.id))?;
    let old_tree = tree_of_commit(&repo, merge_base)?;
    let new_tree = tree_of_commit(&repo, head_commit.id)?;
    let raw = diff_trees(&repo, &old_tree, &new_tree)?;
    let mut out: Vec<Change> = raw.iter().filter_map(change_of).collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// The commit that `rev` names.
fn commit_of<'r>(repo: &'r gix::Repository, rev: &str) -> Result<gix::Commit<'r>, Diagnostic> {
    revision(
        repo,
        rev,
        "fetch both revisions first (in CI: actions/checkout with fetch-depth: 0)",
    )?
    .object()
    .and_then(|o| o.peel_to_commit())
    .map_err(|e| {
        git_error(
            format!("`{}` does not name a commit: {e}", display_path(rev)),
            "pass commit ids or branch names",
        )
    })
}

/// The merge base of the commits `base` and `head` (each given as the revision named and its
/// commit id); an error when they have no common ancestor.
fn merge_base_of(
    repo: &gix::Repository,
    (base, base_id): (&str, gix::ObjectId),
    (head, head_id): (&str, gix::ObjectId),
) -> Result<gix::ObjectId, Diagnostic> {
    let merge_base = repo
        .merge_base(base_id, head_id)
        .map_err(|e| {
            git_error(
                format!("cannot compute the merge base: {e}"),
                "fetch the full history of both revisions (fetch-depth: 0)",
            )
        })?
        .ok_or_else(|| {
            git_error(
                format!(
                    "`{}` and `{}` have no common ancestor",
                    display_path(base),
                    display_path(head)
                ),
                "the pull request must branch off the track repository (fetch-depth: 0 in CI)",
            )
        })?;
    Ok(merge_base.detach())
}

/// The tree of the commit `id`.
fn tree_of_commit(repo: &gix::Repository, id: gix::ObjectId) -> Result<gix::Tree<'_>, Diagnostic> {
    repo.find_commit(id).and_then(|c| c.tree()).map_err(|e| {
        git_error(
            format!("cannot read the tree of {id}: {e}"),
            "the repository may be corrupt or shallow",
        )
    })
}

/// The changes from `old_tree` to `new_tree`, renames detected; refused past [`MAX_CHANGES`].
fn diff_trees(
    repo: &gix::Repository,
    old_tree: &gix::Tree<'_>,
    new_tree: &gix::Tree<'_>,
) -> Result<Vec<gix::object::tree::diff::ChangeDetached>, Diagnostic> {
    let options = gix::diff::Options::default().with_rewrites(Some(Default::default()));
    let raw = repo
        .diff_tree_to_tree(old_tree, new_tree, options)
        .map_err(|e| {
            git_error(
                format!("cannot diff the trees: {e}"),
                "the repository may be corrupt or shallow",
            )
        })?;
    if raw.len() > MAX_CHANGES {
        return Err(Diagnostic::error(
            "git-too-many-changes",
            format!(
                "the pull request changes {} paths (limit {MAX_CHANGES})",
                raw.len()
            ),
        )
        .with_hint("a submission adds one post: check the base revision"));
    }
    Ok(raw)
}

/// The kind of tree entry a mode stands for (not called for folders).
fn entry_kind(mode: gix::objs::tree::EntryMode) -> EntryKind {
    if mode.is_link() {
        EntryKind::Symlink
    } else if mode.is_commit() {
        EntryKind::Submodule
    } else {
        EntryKind::File
    }
}

/// One entry of the diff as a [`Change`], or `None` for a folder. A copy counts as an addition.
fn change_of(change: &gix::object::tree::diff::ChangeDetached) -> Option<Change> {
    use gix::diff::tree_with_rewrites::Change as C;
    let mode = change.entry_mode();
    if mode.is_tree() {
        return None;
    }
    let entry = entry_kind(mode);
    let text = |b: &gix::bstr::BString| String::from_utf8_lossy(b.as_ref()).into_owned();
    let (path, kind) = match change {
        C::Addition { location, .. } => (text(location), ChangeKind::Added),
        C::Deletion { location, .. } => (text(location), ChangeKind::Deleted),
        C::Modification { location, .. } => (text(location), ChangeKind::Modified),
        C::Rewrite {
            source_location,
            location,
            copy,
            ..
        } => {
            let kind = if *copy {
                ChangeKind::Added
            } else {
                ChangeKind::Renamed {
                    from: text(source_location),
                }
            };
            (text(location), kind)
        }
    };
    Some(Change { path, kind, entry })
}
