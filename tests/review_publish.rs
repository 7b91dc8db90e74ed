//! `blogtrack review publish` through the real binary, on a database seeded by `review demo`
//! (submission 1 `diffusion-explained` by Ada Author: accepted with the best-post award and a
//! poster; submission 2 `attention-budget` by Ben Author: accepted, then rejected, which
//! supersedes the acceptance; submission 3: undecided), published into a copy of
//! `tests/fixtures/publish` (decisions released 2026-02-20 AoE). Then the published file drives
//! `blogtrack build` (badge, poster-session page, only accepted posts) and `blogtrack check` in
//! camera-ready phase. Each database test runs on SQLite and, when `BLOGTRACK_TEST_POSTGRES`
//! names a server, on PostgreSQL.
#![cfg(feature = "review")]

use blogtrack_review_store::{testing, Store};
use blogtrack_testcorpus::{copy_tree, git};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// After the fixture's notification date (2026-02-20 23:59 AoE = 2026-02-21 11:59 UTC).
const RELEASED: &str = "2026-03-01T00:00:00Z";
const ACCEPTED: &str = "2026-04-27-diffusion-explained";
const REJECTED: &str = "2026-04-27-attention-budget";

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_blogtrack"));
    c.env("NO_COLOR", "1").env_remove("BLOGTRACK_NOW");
    c
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// A scratch copy of the fixture track.
fn track(tmp: &Path) -> PathBuf {
    let root = tmp.join("track");
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/publish"),
        &root,
    );
    root
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

/// The databases to run on: a SQLite file, and a new PostgreSQL database when the variable
/// names a server. Each is seeded by `review demo --no-serve`.
fn databases(tmp: &Path) -> Vec<String> {
    let mut urls = vec![tmp.join("review.sqlite").to_string_lossy().into_owned()];
    match rt().block_on(testing::postgres_url()).expect("postgres") {
        Some(url) => urls.push(url),
        None => eprintln!(
            "PostgreSQL run skipped: set {} to run it (scripts/start-postgres)",
            testing::POSTGRES_VAR
        ),
    }
    for url in &urls {
        let o = bin()
            .args(["review", "demo", "--no-serve", "--db", url])
            .output()
            .expect("run demo");
        assert!(o.status.success(), "demo on {url}: {}", text(&o));
    }
    urls
}

fn publish(track: &Path, db: &str, now: &str, extra: &[&str]) -> Output {
    bin()
        .args(["review", "publish"])
        .arg(track)
        .args(["--db", db])
        .args(extra)
        .env("BLOGTRACK_NOW", now)
        .output()
        .expect("run publish")
}

/// The fixture track with the released decisions published into it from a SQLite database:
/// the temporary folder that holds both, and the track's root.
fn published_track() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tmp");
    let db = &databases(tmp.path())[0];
    let root = track(tmp.path());
    let o = publish(&root, db, RELEASED, &[]);
    assert!(o.status.success(), "{}", text(&o));
    (tmp, root)
}

fn read(track: &Path, rel: &str) -> String {
    fs::read_to_string(track.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn publish_writes_the_released_decisions_once_and_says_what_changed() {
    let tmp = tempfile::tempdir().expect("tmp");
    for (i, db) in databases(tmp.path()).iter().enumerate() {
        let root = track(&tmp.path().join(format!("run{i}")));
        let decisions = root.join("_data/decisions.yml");

        let o = publish(&root, db, "2026-02-20T12:00:00Z", &[]);
        let out = text(&o);
        assert_eq!(o.status.code(), Some(1), "{out}");
        assert!(out.contains("publish-not-released"), "{out}");
        assert!(
            out.contains("2026-02-20 23:59 AoE"),
            "names the date in AoE: {out}"
        );
        assert!(out.contains("--before-release"), "{out}");
        assert!(
            !root.join("_data").exists(),
            "nothing written before release"
        );

        let o = publish(&root, db, RELEASED, &["--dry-run"]);
        let out = text(&o);
        assert!(o.status.success(), "{out}");
        assert!(out.contains("would write 1 accepted, 1 rejected"), "{out}");
        assert!(!decisions.exists(), "--dry-run writes nothing");

        let o = publish(&root, db, RELEASED, &[]);
        let out = text(&o);
        assert!(o.status.success(), "{out}");
        assert!(
            out.contains(&format!("accepted: 1 (+1 -0); new: {ACCEPTED}")),
            "{out}"
        );
        assert!(
            out.contains(&format!("rejected: 1 (+1 -0); new: {REJECTED}")),
            "{out}"
        );
        assert!(
            out.contains(&format!("awards changed: {ACCEPTED} none → best-post")),
            "{out}"
        );
        assert!(
            out.contains("_data/decisions.yml: wrote 1 accepted, 1 rejected"),
            "{out}"
        );
        let first = read(&root, "_data/decisions.yml");
        assert!(
            first.contains(&format!(
                "accepted:\n  - slug: {ACCEPTED}\n    award: best-post\n    authors: [\"Ada Author\"]\n"
            )),
            "{first}"
        );
        assert!(
            first.contains(&format!("rejected:\n  - {REJECTED}\n")),
            "{first}"
        );
        assert!(
            !first.contains("unreviewed-ideas"),
            "undecided: not published\n{first}"
        );
        let list = read(&root, "_data/rejected-previews.txt");
        assert_eq!(
            list.lines()
                .filter(|l| !l.starts_with('#'))
                .collect::<Vec<_>>(),
            [REJECTED]
        );
        let leftovers: Vec<_> = fs::read_dir(root.join("_data"))
            .expect("_data")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(leftovers.len(), 2, "no temporary file left: {leftovers:?}");

        let o = publish(&root, db, RELEASED, &[]);
        let out = text(&o);
        assert!(o.status.success(), "{out}");
        assert!(out.contains("_data/decisions.yml: unchanged"), "{out}");
        assert!(
            out.contains("_data/rejected-previews.txt: unchanged"),
            "{out}"
        );
        assert!(out.contains("awards: unchanged"), "{out}");
        assert_eq!(read(&root, "_data/decisions.yml"), first, "same bytes");

        hand_edits_survive(&root, db);
        withdrawn_decisions_leave_the_file(&root, db);
    }
}

/// The organizers place the poster and describe the session by hand; publishing again keeps
/// both (the file owns them).
fn hand_edits_survive(root: &Path, db: &str) {
    let edited = read(root, "_data/decisions.yml")
        .replace(
            "    award: best-post\n",
            "    award: best-post\n    poster: A7\n",
        )
        .replace(
            "  title: \"Poster session\"\n",
            "  title: Blog post posters\n  place: Hall 2\n",
        );
    fs::write(root.join("_data/decisions.yml"), &edited).expect("edit");
    let o = publish(root, db, RELEASED, &[]);
    let out = text(&o);
    assert!(o.status.success(), "{out}");
    assert!(out.contains("poster places: 1 kept"), "{out}");
    let again = read(root, "_data/decisions.yml");
    assert!(
        again.contains("    poster: \"A7\"\n") || again.contains("    poster: A7\n"),
        "{again}"
    );
    assert!(
        again.contains("Blog post posters") && again.contains("Hall 2"),
        "{again}"
    );
}

/// An organizer withdraws the rejection: the submission is no longer decided, so publishing
/// drops it from the file and from the previews list, and the summary says so.
fn withdrawn_decisions_leave_the_file(root: &Path, db: &str) {
    rt().block_on(async {
        let store = Store::open(db).await.expect("open");
        let olga = store
            .people()
            .await
            .expect("people")
            .into_iter()
            .find(|p| p.email == "olga@organizers.example")
            .expect("organizer");
        let decided = store.decided_submissions().await.expect("decided");
        let s2 = decided
            .iter()
            .find(|d| d.slug == "attention-budget")
            .expect("s2");
        assert!(
            !s2.accepted,
            "the current decision (reject) supersedes the first (accept)"
        );
        assert!(store
            .withdraw_decision(&s2.submission_id, &olga.id, 1_800_000_000)
            .await
            .expect("withdraw"));
    });
    let o = publish(root, db, RELEASED, &[]);
    let out = text(&o);
    assert!(o.status.success(), "{out}");
    assert!(
        out.contains(&format!("rejected: 0 (+0 -1); no longer: {REJECTED}")),
        "{out}"
    );
    assert!(!read(root, "_data/decisions.yml").contains(REJECTED));
    assert!(!read(root, "_data/rejected-previews.txt").contains(REJECTED));
}

#[test]
fn before_release_is_a_deliberate_choice() {
    let tmp = tempfile::tempdir().expect("tmp");
    let db = &databases(tmp.path())[0];
    let root = track(tmp.path());
    let o = publish(&root, db, "2026-01-01T00:00:00Z", &["--before-release"]);
    let out = text(&o);
    assert!(o.status.success(), "{out}");
    assert!(out.contains("not released yet"), "warns: {out}");
    assert!(read(&root, "_data/decisions.yml").contains(ACCEPTED));
    let mut config = read(&root, "_config.yml");
    config = config.replace("    decisions: 2026-02-20\n", "");
    fs::write(root.join("_config.yml"), config).expect("config");
    let o = publish(&root, db, RELEASED, &[]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("sets no `blogtrack.dates.decisions`"), "{out}");
}

#[test]
fn the_published_decisions_build_and_gate_the_camera_ready_posts() {
    let (tmp, root) = published_track();

    let site = tmp.path().join("site");
    let o = bin()
        .arg("build")
        .arg(&root)
        .arg("-o")
        .arg(&site)
        .output()
        .expect("build");
    let out = text(&o);
    assert!(o.status.success(), "{out}");
    assert!(out.contains("1 post not published"), "{out}");
    let index = fs::read_to_string(site.join("blog/index.html")).expect("index");
    assert!(
        index.contains("Diffusion models, explained"),
        "accepted post listed"
    );
    assert!(index.contains("award-badge\">Best post<"), "with its badge");
    assert!(
        !index.contains("How attention spends its budget"),
        "rejected post not listed"
    );
    assert!(
        !site.join("blog/attention-budget").exists(),
        "rejected post not built"
    );
    let post = fs::read_to_string(site.join("blog/diffusion-explained/index.html")).expect("post");
    assert!(post.contains("award-badge\">Best post<"));
    let posters = fs::read_to_string(site.join("poster-session/index.html")).expect("poster page");
    assert!(posters.contains("Poster session") && posters.contains("Diffusion models, explained"));
    let about = fs::read_to_string(site.join("about/index.html")).expect("about");
    assert!(
        about.contains("Diffusion models, explained"),
        "highlights include"
    );

    let config = read(&root, "_config.yml").replace("phase: review", "phase: camera-ready");
    fs::write(root.join("_config.yml"), config).expect("config");
    let check = |post: &str| {
        bin()
            .arg("check")
            .arg(&root)
            .args(["--post", &format!("_posts/{post}.md")])
            .output()
            .expect("check")
    };
    let o = check(ACCEPTED);
    assert!(
        o.status.success(),
        "accepted with its authors: {}",
        text(&o)
    );
    let o = check(REJECTED);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("error[camera-ready-rejected]"), "{out}");

    let path = root.join(format!("_posts/{ACCEPTED}.md"));
    let original = fs::read_to_string(&path).expect("post");
    let respelled = original.replace("name: Ada Author", "name: \"  ADA   author \"");
    fs::write(&path, respelled).expect("write");
    let o = check(ACCEPTED);
    assert!(
        o.status.success(),
        "case and spaces do not matter: {}",
        text(&o)
    );
    let wrong = original.replace(
        "  - name: Ada Author\n",
        "  - name: A. Author\n  - name: Mallory Extra\n",
    );
    fs::write(&path, wrong).expect("write");
    let o = check(ACCEPTED);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("error[camera-ready-authors]"), "{out}");
    assert!(
        out.contains("missing `Ada Author`")
            && out.contains("not in the submission `A. Author`, `Mallory Extra`"),
        "names the missing and the extra authors: {out}"
    );

    let unlisted = original.replace("Diffusion models, explained", "A post nobody decided");
    fs::write(
        root.join("_posts/2026-04-27-diffusion-explaind.md"),
        unlisted,
    )
    .expect("write");
    let o = check("2026-04-27-diffusion-explaind");
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("error[camera-ready-not-accepted]"), "{out}");
    assert!(
        out.contains(&format!("did you mean the accepted `{ACCEPTED}`")),
        "{out}"
    );
}

#[test]
fn publish_refuses_bad_input_with_a_message() {
    let tmp = tempfile::tempdir().expect("tmp");
    let db = &databases(tmp.path())[0];
    let root = track(tmp.path());
    let fails = |o: Output, what: &str| {
        let out = text(&o);
        assert_eq!(o.status.code(), Some(2), "{what}: {out}");
        assert!(out.contains(what), "{what}: {out}");
    };
    fails(
        publish(&tmp.path().join("nowhere"), db, RELEASED, &[]),
        "is not a track",
    );
    let missing = tmp.path().join("missing.sqlite");
    fails(
        publish(&root, &missing.to_string_lossy(), RELEASED, &[]),
        "no review database at",
    );
    assert!(!missing.exists(), "publish never creates a database");
    fails(
        publish(&root, "postgres://nobody@127.0.0.1:1/none", RELEASED, &[]),
        "cannot open the review database",
    );
    fs::write(root.join("_data"), "not a folder").expect("write");
    fails(publish(&root, db, RELEASED, &[]), "cannot read");
    fs::remove_file(root.join("_data")).expect("rm");
    fs::create_dir_all(root.join("_data/rejected-previews.txt")).expect("mkdir");
    fails(publish(&root, db, RELEASED, &[]), "cannot write");
    assert!(!root.join("_data/decisions.yml").exists(), "all or nothing");
    let left: Vec<_> = fs::read_dir(root.join("_data")).expect("_data").collect();
    assert_eq!(left.len(), 1, "no temporary file left");
    fs::remove_dir(root.join("_data/rejected-previews.txt")).expect("rmdir");
    let broken = "accepted:\n  - slug: 2026-04-27-diffusion-explained\n    awrd: best-post\n";
    fs::write(root.join("_data/decisions.yml"), broken).expect("write");
    let o = publish(&root, db, RELEASED, &[]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(2), "{out}");
    assert!(
        out.contains("decisions-unknown-key") && out.contains("fix them"),
        "{out}"
    );
    assert_eq!(read(&root, "_data/decisions.yml"), broken, "left as it was");
}

#[test]
fn the_rejected_list_removes_exactly_the_rejected_previews() {
    let tmp = tempfile::tempdir().expect("tmp");
    let db = &databases(tmp.path())[0];
    let root = track(tmp.path());
    let previews = tmp.path().join("previews");
    let secret_cmd = |c: &mut Command| {
        c.args(["--secret-env", "PREVIEW_TOKEN_SECRET"])
            .arg("--output")
            .arg(&previews)
            .env("PREVIEW_TOKEN_SECRET", "a test secret")
            .env("BLOGTRACK_NOW", "2025-12-01T00:00:00Z");
    };
    for post in [ACCEPTED, REJECTED] {
        let mut c = bin();
        c.arg("preview").arg(&root).args(["--post", post]);
        secret_cmd(&mut c);
        let o = c.output().expect("preview");
        assert!(o.status.code() != Some(2), "{}", text(&o));
    }
    let dirs = |p: &Path| -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(p)
            .expect("previews")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    let before = dirs(&previews);
    assert_eq!(before.len(), 2, "{before:?}");
    let o = publish(&root, db, RELEASED, &[]);
    assert!(o.status.success(), "{}", text(&o));
    let mut c = bin();
    c.arg("preview")
        .arg("--remove-listed")
        .arg(root.join("_data/rejected-previews.txt"));
    secret_cmd(&mut c);
    let o = c.output().expect("remove");
    let out = text(&o);
    assert!(o.status.success(), "{out}");
    assert!(
        out.contains("removed 1 preview(s)") && out.contains(REJECTED),
        "{out}"
    );
    let after = dirs(&previews);
    assert_eq!(after.len(), 1, "{after:?}");
    assert!(
        before.contains(&after[0]),
        "the accepted post's preview stays"
    );

    let bad = tmp.path().join("bad.txt");
    fs::write(&bad, "# list\n../../etc\n").expect("write");
    let mut c = bin();
    c.arg("preview").arg("--remove-listed").arg(&bad);
    secret_cmd(&mut c);
    let o = c.output().expect("remove");
    let out = text(&o);
    assert_eq!(o.status.code(), Some(2), "{out}");
    assert!(
        out.contains("is not a post's slug") && out.contains(":2:"),
        "{out}"
    );
    assert_eq!(dirs(&previews), after, "nothing removed");
}

/// Camera-ready as the workflow runs it: `check --base main --head BRANCH` on the pull request
/// that adds the post, after the decisions are published on the main branch.
#[test]
fn the_camera_ready_pull_request_is_checked_from_its_diff() {
    let (tmp, root) = published_track();
    let config = read(&root, "_config.yml").replace("phase: review", "phase: camera-ready");
    fs::write(root.join("_config.yml"), config).expect("config");

    // The main branch holds the decisions but neither post; each pull request adds one.
    let aside = tmp.path().join("aside");
    fs::create_dir_all(&aside).expect("aside");
    for post in [ACCEPTED, REJECTED] {
        let rel = format!("_posts/{post}.md");
        fs::rename(root.join(&rel), aside.join(format!("{post}.md"))).expect("move aside");
    }
    git(&root, &["init", "-q"]);
    git(&root, &["add", "-A"]);
    git(&root, &["commit", "-qm", "the track with its decisions"]);
    let pull_request = |post: &str| {
        git(&root, &["checkout", "-q", "main"]);
        git(&root, &["checkout", "-qb", post]);
        // Git left no empty `_posts/` on the main branch.
        fs::create_dir_all(root.join("_posts")).expect("_posts");
        fs::copy(
            aside.join(format!("{post}.md")),
            root.join(format!("_posts/{post}.md")),
        )
        .expect("add the post");
        git(&root, &["add", "-A"]);
        git(&root, &["commit", "-qm", "camera-ready"]);
        let o = bin()
            .arg("check")
            .arg(&root)
            .args(["--base", "main", "--head", post, "--title", post])
            .output()
            .expect("check");
        git(&root, &["checkout", "-q", "main"]);
        o
    };
    let o = pull_request(ACCEPTED);
    assert!(o.status.success(), "the accepted post passes: {}", text(&o));
    let o = pull_request(REJECTED);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("error[camera-ready-rejected]"), "{out}");
}
