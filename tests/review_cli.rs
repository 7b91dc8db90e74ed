//! `blogtrack review …` through the real binary (issue 18): `serve` creates and migrates its
//! SQLite file on first start and answers `/healthz` (and on PostgreSQL with `--db
//! postgres://…` when `BLOGTRACK_TEST_POSTGRES` names a server, skipped with a message
//! otherwise); a bad `--db`, a bad `--listen`, a missing `_config.yml` and invalid review
//! settings are clear errors with a non-zero exit; `demo --no-serve` prints sign-in links that
//! work; `export` → `import` into an empty database → `export` is identical, and an import
//! into a database that holds data is refused; `sync --repo` against a real git repository
//! whose pull-request heads are `refs/pull/N/head` attaches pull requests by slug and lists
//! submissions without a pull request and pull requests without a submission.
#![cfg(feature = "review")]

#[path = "support/review_client.rs"]
mod review_client;

use blogtrack_review::conflict::Author;
use blogtrack_review::Role;
use blogtrack_review_store::{testing, NewSubmission, Store};
use blogtrack_testcorpus::git;
use review_client::{sign_in, Conn, Server};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_blogtrack");

fn bin() -> Command {
    let mut c = Command::new(BIN);
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

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// A track in `tmp/track` whose review phase is now.
fn track(tmp: &Path) -> PathBuf {
    let t = tmp.join("track");
    let now = review_client::now();
    review_client::write_track(&t, now, now + 86_400).unwrap();
    t
}

/// Starts `review serve ARGS --listen 127.0.0.1:0` and waits for it to listen.
fn serve(args: &[&str]) -> Server {
    review_client::start_server(BIN, args).unwrap()
}

/// Runs a command that must fail on its own (not hang): its output after it exits.
fn fails(cmd: &mut Command) -> String {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let t = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if t.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            panic!("{cmd:?} still runs after 30 s: it should have refused its input");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let o = child.wait_with_output().unwrap();
    assert!(!o.status.success(), "{cmd:?} succeeded: {}", text(&o));
    text(&o)
}

fn healthy(addr: &str) {
    let mut c = Conn::new(addr);
    assert_eq!(c.send("GET", "/healthz", &[], None).unwrap().status, 200);
    let anon = c.send("GET", "/api/v1/submissions", &[], None).unwrap();
    assert_eq!(anon.status, 401, "{}", anon.text());
}

#[test]
fn serve_creates_and_migrates_its_sqlite_file_and_answers_healthz() {
    let tmp = tempfile::tempdir().unwrap();
    let t = track(tmp.path());
    let file = t.join(".blogtrack-review.sqlite");
    assert!(!file.exists());
    let server = serve(&[t.to_str().unwrap()]);
    healthy(&server.addr);
    assert!(file.exists(), "serve made no {}", file.display());
    drop(server);
    // A second start finds the schema up to date and the data in place.
    let people = rt().block_on(async {
        let s = Store::open(&file.to_string_lossy()).await.unwrap();
        s.ensure_person("o@org.example", "O", "Org", &[Role::Organizer], None, 1)
            .await
            .unwrap();
        s.people().await.unwrap().len()
    });
    assert_eq!(people, 1);
    let server = serve(&[t.to_str().unwrap()]);
    healthy(&server.addr);
    let after = rt().block_on(async {
        let s = Store::open(&file.to_string_lossy()).await.unwrap();
        s.people().await.unwrap().len()
    });
    assert_eq!(after, 1);
}

#[test]
fn serve_runs_on_postgres() {
    let Some(url) = rt().block_on(testing::postgres_url()).unwrap() else {
        eprintln!(
            "serve_runs_on_postgres: skipped, set {} to run it (scripts/start-postgres)",
            testing::POSTGRES_VAR
        );
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let t = track(tmp.path());
    let server = serve(&[
        t.to_str().unwrap(),
        "--db",
        &url,
        "--organizer",
        "o@org.example",
    ]);
    healthy(&server.addr);
    let people = rt().block_on(async { Store::open(&url).await.unwrap().people().await.unwrap() });
    assert_eq!(people.len(), 1, "the --organizer was written to PostgreSQL");
    assert!(!t.join(".blogtrack-review.sqlite").exists());
}

#[test]
fn bad_db_listen_and_config_are_clear_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let t = track(tmp.path());
    let ts = t.to_str().unwrap();
    let serve_with = |extra: &[&str]| {
        let mut c = bin();
        c.args(["review", "serve", ts]).args(extra);
        c
    };
    let out = fails(&mut serve_with(&["--db", "mysql://localhost/review"]));
    assert!(
        out.contains("`mysql://localhost/review` is not a database"),
        "{out}"
    );
    let missing_dir = tmp.path().join("no-such-folder/review.sqlite");
    let out = fails(&mut serve_with(&["--db", missing_dir.to_str().unwrap()]));
    assert!(out.contains("no-such-folder"), "{out}");
    let out = fails(&mut serve_with(&["--listen", "not-an-address"]));
    assert!(out.contains("cannot listen on not-an-address"), "{out}");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let out = fails(&mut serve_with(&["--listen", &addr]));
    assert!(out.contains(&format!("cannot listen on {addr}")), "{out}");
    assert!(
        out.contains("--listen"),
        "the error says how to fix it: {out}"
    );

    let empty = tmp.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let out = fails(bin().args(["review", "serve"]).arg(&empty));
    assert!(
        out.contains("cannot read") && out.contains("_config.yml"),
        "{out}"
    );

    let config = std::fs::read_to_string(t.join("_config.yml")).unwrap();
    for (bad, names) in [
        ("  reviews_per_submission: many\n", "reviews_per_submission"),
        (
            "  reviewers_per_submission: 2\n",
            "reviewers_per_submission",
        ),
    ] {
        let bad_track = tmp.path().join(format!("bad-{names}"));
        std::fs::create_dir_all(&bad_track).unwrap();
        let text = config.replace("  reviews_per_submission: 2\n", bad);
        std::fs::write(bad_track.join("_config.yml"), text).unwrap();
        let out = fails(bin().args(["review", "serve"]).arg(&bad_track));
        assert!(out.contains(names) && out.contains("_config.yml"), "{out}");
    }
    // Reviews due before submissions close: the server refuses dates it cannot use.
    let bad_track = tmp.path().join("bad-dates");
    std::fs::create_dir_all(&bad_track).unwrap();
    std::fs::write(
        bad_track.join("_config.yml"),
        "blogtrack:\n  dates:\n    submission_deadline: 2026-01-10\n    reviews_deadline: 2026-01-01\n",
    )
    .unwrap();
    let out = fails(bin().args(["review", "serve"]).arg(&bad_track));
    assert!(out.contains("reviews_deadline"), "{out}");
    assert!(!bad_track.join(".blogtrack-review.sqlite").exists());
}

#[test]
fn demo_prints_sign_in_links_that_work() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("demo.sqlite");
    let o = bin()
        .args(["review", "demo", "--no-serve", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    let links: Vec<&str> = out
        .split_whitespace()
        .filter(|w| w.starts_with("http://127.0.0.1:8000/sign-in/"))
        .collect();
    assert_eq!(links.len(), 7, "one link per demo person: {out}");
    assert!(
        out.contains("Olga Organizer") && out.contains("Rita Reviewer"),
        "{out}"
    );
    // A printed link signs its person in on a server over the same database.
    let t = track(tmp.path());
    let server = serve(&[t.to_str().unwrap(), "--db", db.to_str().unwrap()]);
    let line = out.lines().find(|l| l.contains("Rita Reviewer")).unwrap();
    let token = line.rsplit('/').next().unwrap().trim();
    let mut conn = Conn::new(&server.addr);
    let (session, _) = sign_in(&mut conn, token).unwrap();
    let me = session.get(&mut conn, "/api/v1/me").unwrap();
    assert_eq!(me.status, 200, "{}", me.text());
    assert!(
        me.text().contains("rita@reviewers-a.example"),
        "{}",
        me.text()
    );
    // The link works once.
    assert!(sign_in(&mut Conn::new(&server.addr), token).is_err());
    // A second demo into the same database is refused.
    let again = fails(
        bin()
            .args(["review", "demo", "--no-serve", "--db"])
            .arg(&db),
    );
    assert!(again.contains("already holds data"), "{again}");
}

/// Databases for the round trip: SQLite files, and PostgreSQL when configured.
fn empty_databases(tmp: &Path, name: &str) -> Vec<String> {
    let mut out = vec![tmp
        .join(format!("{name}.sqlite"))
        .to_string_lossy()
        .into_owned()];
    match rt().block_on(testing::postgres_url()).unwrap() {
        Some(url) => out.push(url),
        None => eprintln!(
            "{name}: PostgreSQL run skipped ({} is not set)",
            testing::POSTGRES_VAR
        ),
    }
    out
}

#[test]
fn export_import_export_is_identical_and_import_needs_an_empty_database() {
    let tmp = tempfile::tempdir().unwrap();
    let t = track(tmp.path());
    for (i, source) in empty_databases(tmp.path(), "source").iter().enumerate() {
        let o = bin()
            .args(["review", "demo", "--no-serve", "--db", source])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", text(&o));
        let first = tmp.path().join(format!("first-{i}.json"));
        let o = bin()
            .args(["review", "export"])
            .arg(&t)
            .args(["--db", source, "-o"])
            .arg(&first)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", text(&o));
        // Into an empty database of each kind (SQLite → PostgreSQL too), then out again.
        for target in empty_databases(tmp.path(), &format!("target-{i}")) {
            let o = bin()
                .args(["review", "import"])
                .arg(&first)
                .arg(&t)
                .args(["--db", &target])
                .output()
                .unwrap();
            assert!(o.status.success(), "import into {target}: {}", text(&o));
            let o = bin()
                .args(["review", "export"])
                .arg(&t)
                .args(["--db", &target])
                .output()
                .unwrap();
            assert!(o.status.success(), "{}", text(&o));
            let a = std::fs::read_to_string(&first).unwrap();
            assert!(
                a.contains("diffusion-explained"),
                "the export holds the demo"
            );
            assert_eq!(
                String::from_utf8_lossy(&o.stdout),
                a,
                "{source} → {target}: the second export differs"
            );
            let refused = fails(
                bin()
                    .args(["review", "import"])
                    .arg(&first)
                    .arg(&t)
                    .args(["--db", &target]),
            );
            assert!(refused.contains("nothing was written"), "{refused}");
        }
    }
    let not_json = tmp.path().join("not.json");
    std::fs::write(&not_json, "{\"tables\": 3").unwrap();
    let out = fails(
        bin()
            .args(["review", "import"])
            .arg(&not_json)
            .arg(&t)
            .args(["--db", tmp.path().join("x.sqlite").to_str().unwrap()]),
    );
    assert!(out.contains("is not a review export"), "{out}");
}

/// A pull request: a branch from main adding `files`, its head saved as `refs/pull/N/head`.
fn pull_request(repo: &Path, n: u32, files: &[(&str, &str)]) -> String {
    git(repo, &["checkout", "-q", "-b", &format!("pr-{n}"), "main"]);
    for (path, body) in files {
        let p = repo.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, body).unwrap();
    }
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-q", "-m", &format!("pull request {n}")]);
    let head = git(repo, &["rev-parse", "HEAD"]);
    git(repo, &["update-ref", &format!("refs/pull/{n}/head"), &head]);
    git(repo, &["checkout", "-q", "main"]);
    head
}

fn submission(slug: &str) -> NewSubmission {
    NewSubmission {
        title: format!("On {slug}"),
        abstract_text: "An abstract.".into(),
        slug: slug.into(),
        authors: vec![Author {
            name: "Ana".into(),
            email: "ana@lab.example".into(),
            institution: "Lab".into(),
        }],
        conflict_declaration: String::new(),
        extra: Default::default(),
    }
}

#[test]
fn sync_attaches_pull_requests_by_slug_and_lists_the_unmatched() {
    let tmp = tempfile::tempdir().unwrap();
    let t = track(tmp.path());
    let repo = tmp.path().join("clone");
    std::fs::create_dir_all(&repo).unwrap();
    git(&repo, &["init", "-q", "-b", "main"]);
    std::fs::write(repo.join("README.md"), "The track.\n").unwrap();
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "track"]);
    let post = "---\nlayout: distill\ntitle: A post\n---\nText.\n";
    let alpha = pull_request(
        &repo,
        7,
        &[
            ("_posts/2026-04-28-alpha.md", post),
            ("assets/img/2026-04-28-alpha/fig.txt", "figure"),
        ],
    );
    pull_request(&repo, 8, &[("_posts/2026-04-28-orphan.md", post)]);
    pull_request(&repo, 9, &[("README.md", "A typo fixed.\n")]);
    let db = tmp.path().join("review.sqlite");
    let dbs = db.to_string_lossy().into_owned();
    rt().block_on(async {
        let s = Store::open(&dbs).await.unwrap();
        let ana = s
            .ensure_person("ana@lab.example", "Ana", "Lab", &[Role::Author], None, 1)
            .await
            .unwrap();
        for slug in ["alpha", "beta"] {
            s.create_submission(&ana.id, &submission(slug), 1)
                .await
                .unwrap();
        }
    });
    let o = bin()
        .args(["review", "sync"])
        .arg(&t)
        .args(["--db", &dbs, "--repo"])
        .arg(&repo)
        .args(["--preview-url", "https://previews.example/{slug}/pr-{pr}/"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains(&format!("#7 {} → submission 1 (alpha)", &alpha[..12])),
        "{out}"
    );
    let without_pr = out
        .split("submissions without a pull request:")
        .nth(1)
        .unwrap_or("");
    assert!(without_pr.contains("2 On beta (beta)"), "{out}");
    assert!(
        !without_pr
            .split("pull requests")
            .next()
            .unwrap()
            .contains("alpha"),
        "{out}"
    );
    let orphans = out
        .split("pull requests without a submission:")
        .nth(1)
        .unwrap_or("");
    assert!(orphans.contains("#8 (orphan)"), "{out}");
    assert!(orphans.contains("#9 (no post in it)"), "{out}");
    let subs = rt().block_on(async {
        Store::open(&dbs)
            .await
            .unwrap()
            .all_submissions()
            .await
            .unwrap()
    });
    let a = subs.iter().find(|s| s.slug == "alpha").unwrap();
    assert_eq!(a.pr_number, Some(7));
    assert_eq!(a.head_commit.as_deref(), Some(alpha.as_str()));
    assert_eq!(
        a.preview_url.as_deref(),
        Some("https://previews.example/alpha/pr-7/")
    );
    let b = subs.iter().find(|s| s.slug == "beta").unwrap();
    assert_eq!((b.pr_number, b.head_commit.as_deref()), (None, None));

    let nowhere = tmp.path().join("no-such-clone");
    let out = fails(
        bin()
            .args(["review", "sync"])
            .arg(&t)
            .args(["--db", &dbs, "--repo"])
            .arg(&nowhere),
    );
    assert!(
        out.contains("is not a git repository") && out.contains("no-such-clone"),
        "{out}"
    );
    let not_repo = tmp.path().join("plain");
    std::fs::create_dir_all(&not_repo).unwrap();
    let out = fails(
        bin()
            .args(["review", "sync"])
            .arg(&t)
            .args(["--db", &dbs, "--repo"])
            .arg(&not_repo),
    );
    assert!(out.contains("is not a git repository"), "{out}");
}
