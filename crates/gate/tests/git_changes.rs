//! `changes_between` on fixture repositories built with the `git` command (tests only: the
//! library reads repositories with gix and never spawns git).

use blogtrack_testcorpus::git;
use std::path::Path;

use blogtrack_gate::{changes_between, check_paths, Change, ChangeKind, EntryKind, PathPolicy};

fn write(dir: &Path, path: &str, text: &str) {
    let p = dir.join(path);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// A track with one accepted post on `main`, and a `submission` branch that adds a post, moves
/// one of its own images, edits the config and deletes another post's image; `main` moves on
/// after the branch point.
fn fixture() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    git(d, &["init", "-q"]);
    write(d, "_config.yml", "title: t\n");
    write(d, "_posts/2025-04-28-other.md", "---\ntitle: other\n---\n");
    write(d, "assets/img/2025-04-28-other/a.png", "png-a");
    git(d, &["add", "-A"]);
    git(d, &["commit", "-qm", "base"]);
    git(d, &["checkout", "-qb", "submission"]);
    write(d, "_posts/2025-04-28-mine.md", "---\ntitle: mine\n---\n");
    write(
        d,
        "assets/img/2025-04-28-mine/draft/fig.png",
        "a figure with enough bytes to be tracked as a rename",
    );
    git(d, &["add", "-A"]);
    git(d, &["commit", "-qm", "add post"]);
    std::fs::rename(
        d.join("assets/img/2025-04-28-mine/draft/fig.png"),
        d.join("assets/img/2025-04-28-mine/fig.png"),
    )
    .unwrap();
    write(d, "_config.yml", "title: mine\n");
    std::fs::remove_file(d.join("assets/img/2025-04-28-other/a.png")).unwrap();
    git(d, &["add", "-A"]);
    git(d, &["commit", "-qm", "edit"]);
    git(d, &["checkout", "-q", "main"]);
    write(d, "_posts/2025-04-28-later.md", "---\ntitle: later\n---\n");
    git(d, &["add", "-A"]);
    git(d, &["commit", "-qm", "main moves on"]);
    tmp
}

fn expected() -> Vec<Change> {
    vec![
        Change::new("_config.yml", ChangeKind::Modified),
        Change::added("_posts/2025-04-28-mine.md"),
        Change::new("assets/img/2025-04-28-mine/fig.png", ChangeKind::Added),
        Change::new("assets/img/2025-04-28-other/a.png", ChangeKind::Deleted),
    ]
}

#[test]
fn changes_are_taken_from_the_merge_base() {
    let repo = fixture();
    let changes = changes_between(repo.path(), "main", "submission").unwrap();
    // The draft image was added and moved within the pull request: relative to the merge base
    // it is simply added; `main`'s later post is not part of the pull request.
    assert_eq!(changes, expected());
    let (slug, diags) = check_paths(&changes, Some("2025-04-28-mine"), &PathPolicy::default());
    assert_eq!(slug.as_deref(), Some("2025-04-28-mine"));
    let codes: Vec<_> = diags.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["path-organizer-file", "path-outside-submission"]);
}

#[test]
fn renames_are_detected() {
    let repo = fixture();
    let d = repo.path();
    git(d, &["checkout", "-q", "submission"]);
    git(
        d,
        &[
            "mv",
            "_posts/2025-04-28-other.md",
            "_posts/2025-04-28-renamed.md",
        ],
    );
    git(d, &["commit", "-qm", "rename"]);
    let changes = changes_between(d, "main", "HEAD").unwrap();
    let renamed = changes
        .iter()
        .find(|c| c.path == "_posts/2025-04-28-renamed.md")
        .unwrap();
    assert_eq!(
        renamed.kind,
        ChangeKind::Renamed {
            from: "_posts/2025-04-28-other.md".into()
        }
    );
}

#[test]
fn bare_repositories_work_the_same() {
    let repo = fixture();
    let bare = tempfile::tempdir().unwrap();
    git(
        bare.path(),
        &[
            "clone",
            "-q",
            "--bare",
            repo.path().to_str().unwrap(),
            "r.git",
        ],
    );
    let changes = changes_between(&bare.path().join("r.git"), "main", "submission").unwrap();
    assert_eq!(changes, expected());
}

#[test]
fn symlinks_are_reported_as_such() {
    let repo = fixture();
    let d = repo.path();
    git(d, &["checkout", "-q", "submission"]);
    std::os::unix::fs::symlink("/etc/passwd", d.join("assets/img/2025-04-28-mine/link.png"))
        .unwrap();
    git(d, &["add", "-A"]);
    git(d, &["commit", "-qm", "link"]);
    let changes = changes_between(d, "main", "HEAD").unwrap();
    let link = changes
        .iter()
        .find(|c| c.path.ends_with("link.png"))
        .unwrap();
    assert_eq!(link.entry, EntryKind::Symlink);
    let (_, diags) = check_paths(&changes, None, &PathPolicy::default());
    assert!(diags.iter().any(|d| d.code == "path-symlink"));
}

#[test]
fn unknown_revisions_and_missing_repositories_are_diagnostics() {
    let repo = fixture();
    let e = changes_between(repo.path(), "main", "no-such-branch").unwrap_err();
    assert_eq!(e.code, "git-read");
    assert!(e.message.contains("no-such-branch"));
    let empty = tempfile::tempdir().unwrap();
    assert_eq!(
        changes_between(empty.path(), "a", "b").unwrap_err().code,
        "git-read"
    );
}

#[test]
fn unrelated_histories_have_no_merge_base() {
    let repo = fixture();
    let d = repo.path();
    git(d, &["checkout", "-q", "--orphan", "lonely"]);
    git(d, &["commit", "-qm", "orphan"]);
    let e = changes_between(d, "main", "lonely").unwrap_err();
    assert!(e.message.contains("no common ancestor"), "{}", e.message);
}
