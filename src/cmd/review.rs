//! `blogtrack review …`: the review server and its tools, thin set-up around
//! `blogtrack-review-server` and `blogtrack-review-store`.
//!
//! - `serve [TRACK] [--db URL] [--listen ADDR]`: serve the review of a track (its
//!   `_config.yml` gives the dates, loads and forms); SQLite file `TRACK/.blogtrack-review.sqlite`
//!   by default, created and migrated on first start; `--db postgres://…` for PostgreSQL.
//! - `demo [--db URL] [--listen ADDR]`: a seeded demo (people in every role, submissions in
//!   every state) with a sign-in link per person printed.
//! - `export` / `import`: full backup and restore as JSON.
//! - `sync --repo PATH`: attach pull-request heads (`refs/pull/N/head`) to submissions by slug.
//! - `publish [--dry-run]`: the released decisions into `TRACK/_data/decisions.yml`
//!   ([`super::publish`]).

use blogtrack_diag::{exit, Diagnostic};
use blogtrack_review::conflict::Author;
use blogtrack_review::form::{Value, Values};
use blogtrack_review::{ReviewSettings, Role};
use blogtrack_review_server::clock::SystemClock;
use blogtrack_review_server::mail::Mailer;
use blogtrack_review_server::templates::Templates;
use blogtrack_review_server::{secret, AppState};
use blogtrack_review_store::{NewDecision, NewMessage, NewSubmission, Person, Store, Submission};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// Serve the review of a track.
    Serve(ServeArgs),
    /// Serve a seeded demo review and print sign-in links.
    Demo(DemoArgs),
    /// Write the whole review database as JSON (to stdout or --output).
    Export(DbArgs),
    /// Restore a JSON export into an empty database.
    Import(ImportArgs),
    /// Attach pull requests to submissions by slug, from a clone with refs/pull/*/head.
    Sync(SyncArgs),
    /// Write the released decisions into TRACK/_data/decisions.yml and say what changed.
    Publish(super::publish::PublishArgs),
}

#[derive(clap::Args, Debug)]
pub struct DbArgs {
    /// The track's folder (with _config.yml).
    #[arg(default_value = ".")]
    pub track: PathBuf,
    /// Database: a SQLite file path or postgres://user@host/db (default: TRACK/.blogtrack-review.sqlite).
    #[arg(long)]
    pub db: Option<String>,
    /// Where `export` writes (default: stdout).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8000")]
    pub listen: String,
    /// How people reach the server (links in e-mails); https:// makes cookies Secure.
    #[arg(long)]
    pub base_url: Option<String>,
    /// SMTP relay (smtp://host:port); without it, mail is printed and kept in the outbox page.
    #[arg(long)]
    pub smtp: Option<String>,
    /// The From address of the server's mail.
    #[arg(long, default_value = "review@localhost")]
    pub mail_from: String,
    #[command(flatten)]
    pub mail: MailArgs,
    /// Make this e-mail address an organizer and print a sign-in link for it.
    #[arg(long)]
    pub organizer: Vec<String>,
}

/// How the mail worker retries (see docs/organizers.md, "Mail").
#[derive(clap::Args, Debug)]
pub struct MailArgs {
    /// Attempts before a message is given up (its last error stays on the outbox page).
    #[arg(long, default_value_t = 8)]
    pub mail_attempts: i64,
    /// Seconds before the first retry of a failed message; each next retry waits twice as long.
    #[arg(long, default_value_t = 60)]
    pub mail_retry_secs: i64,
    /// Seconds a sender holds a message it is sending; after a crash the message is sent
    /// again once this has passed.
    #[arg(long, default_value_t = 300)]
    pub mail_lease_secs: i64,
}

impl MailArgs {
    fn policy(&self) -> Result<blogtrack_review_server::mail::Policy, String> {
        if self.mail_attempts < 1 || self.mail_retry_secs < 1 || self.mail_lease_secs < 3 {
            return Err("--mail-attempts and --mail-retry-secs must be at least 1, --mail-lease-secs at least 3".into());
        }
        Ok(blogtrack_review_server::mail::Policy {
            lease: self.mail_lease_secs,
            first_retry: self.mail_retry_secs,
            max_attempts: self.mail_attempts,
            poll: std::time::Duration::from_secs((self.mail_retry_secs as u64).clamp(1, 30)),
        })
    }
}

#[derive(clap::Args, Debug)]
pub struct DemoArgs {
    /// Database for the demo (default: a new SQLite file in a temporary folder).
    #[arg(long)]
    pub db: Option<String>,
    #[arg(long, default_value = "127.0.0.1:8000")]
    pub listen: String,
    /// Seed and print the links, then exit instead of serving.
    #[arg(long)]
    pub no_serve: bool,
}

#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// The JSON file written by `review export`.
    pub file: PathBuf,
    #[command(flatten)]
    pub db: DbArgs,
}

#[derive(clap::Args, Debug)]
pub struct SyncArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// A clone of the track's repository with the pull-request heads fetched
    /// (git fetch origin '+refs/pull/*/head:refs/pull/*/head').
    #[arg(long)]
    pub repo: PathBuf,
    /// The branch pull requests are made against.
    #[arg(long, default_value = "HEAD")]
    pub base: String,
    /// Preview URL of a submission; `{slug}` and `{pr}` are replaced.
    #[arg(long)]
    pub preview_url: Option<String>,
}

pub fn run(args: Args) -> ExitCode {
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            let d = Diagnostic::error("review", format!("cannot start the async runtime: {e}"))
                .with_hint(
                    "the machine is out of threads or memory; try again when it has some free",
                );
            super::print_diagnostics(&[d], Path::new("."));
            return ExitCode::from(exit::USAGE);
        }
    };
    let result = rt.block_on(async {
        match args.command {
            Command::Serve(a) => serve(a).await,
            Command::Demo(a) => demo(a).await,
            Command::Export(a) => export(a).await,
            Command::Import(a) => import(a).await,
            Command::Sync(a) => sync(a).await,
            Command::Publish(a) => super::publish::run(a).await,
        }
    });
    match result {
        Ok(code) => code,
        Err(msg) => {
            super::print_diagnostics(&[Diagnostic::error("review", msg)], Path::new("."));
            ExitCode::from(exit::USAGE)
        }
    }
}

fn now() -> i64 {
    use blogtrack_review_server::clock::Clock;
    SystemClock.now()
}

/// The track's review settings; `Ok(None)` after printing the config's errors.
fn settings(track: &Path) -> Result<Option<ReviewSettings>, String> {
    let path = track.join("_config.yml");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    match blogtrack_review::settings::parse(&text) {
        Ok(s) => Ok(Some(s)),
        Err(diags) => {
            super::print_diagnostics(&diags, track);
            Ok(None)
        }
    }
}

async fn open(db: &DbArgs) -> Result<Store, String> {
    let url = db.db.clone().unwrap_or_else(|| {
        db.track
            .join(".blogtrack-review.sqlite")
            .to_string_lossy()
            .into_owned()
    });
    Store::open(&url).await.map_err(|e| format!("{url}: {e}"))
}

async fn sign_in_link(store: &Store, base: &str, person: &str, ttl: i64) -> Result<String, String> {
    let token = secret::token();
    store
        .create_sign_in_link(&secret::hash(&token), person, now(), ttl)
        .await
        .map_err(|e| e.to_string())?;
    Ok(format!("{base}/sign-in/{token}"))
}

async fn bind(listen: &str) -> Result<tokio::net::TcpListener, String> {
    tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| format!("cannot listen on {listen}: {e} (pick another with --listen)"))
}

async fn listen_and_serve(state: AppState, listen: &str) -> Result<ExitCode, String> {
    serve_on(state, bind(listen).await?).await
}

async fn serve_on(state: AppState, listener: tokio::net::TcpListener) -> Result<ExitCode, String> {
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    eprintln!("review server on http://{addr} (Ctrl-C stops it)");
    blogtrack_review_server::serve(state, listener)
        .await
        .map_err(|e| format!("server stopped: {e}"))?;
    Ok(ExitCode::SUCCESS)
}

async fn serve(a: ServeArgs) -> Result<ExitCode, String> {
    let Some(settings) = settings(&a.db.track)? else {
        return Ok(ExitCode::from(exit::PROBLEMS));
    };
    let store = open(&a.db).await?;
    // Bound before the links are made, so that `--listen 127.0.0.1:0` links to the port the
    // system picked rather than to port 0.
    let listener = bind(&a.listen).await?;
    let bound = listener.local_addr().map_err(|e| e.to_string())?;
    let base = a
        .base_url
        .clone()
        .unwrap_or_else(|| format!("http://{bound}"));
    let templates = Templates::load(&a.db.track)
        .map_err(|e| format!("the track's mail templates have problems:\n{e}"))?;
    let mailer = match &a.smtp {
        Some(url) => Mailer::smtp(url, &a.mail_from)?,
        None => Mailer::dev(),
    }
    .with_templates(templates)
    .with_policy(a.mail.policy()?);
    for email in &a.organizer {
        let p = store
            .ensure_person(
                email,
                email.split('@').next().unwrap_or(email),
                "",
                &[Role::Organizer],
                None,
                now(),
            )
            .await
            .map_err(|e| e.to_string())?;
        eprintln!(
            "organizer {email}: {}",
            sign_in_link(&store, &base, &p.id, 3600).await?
        );
    }
    let track_name = track_title(&a.db.track);
    let state = AppState {
        store,
        settings: Arc::new(settings),
        clock: Arc::new(SystemClock),
        mailer: Arc::new(mailer),
        base_url: base,
        track_name,
    };
    serve_on(state, listener).await
}

fn track_title(track: &Path) -> String {
    std::fs::read_to_string(track.join("_config.yml"))
        .ok()
        .and_then(|t| blogtrack_yaml::parse(&t).ok())
        .and_then(|n| n.get("title").and_then(|t| t.as_str().map(str::to_string)))
        .unwrap_or_else(|| "Blog post track".into())
}

async fn export(a: DbArgs) -> Result<ExitCode, String> {
    let store = open(&a).await?;
    let backup = store.export().await.map_err(|e| e.to_string())?;
    let text = serde_json::to_string_pretty(&backup).map_err(|e| e.to_string())? + "\n";
    match &a.output {
        Some(p) => {
            std::fs::write(p, text).map_err(|e| format!("cannot write `{}`: {e}", p.display()))?
        }
        None => print!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}

async fn import(a: ImportArgs) -> Result<ExitCode, String> {
    let text = std::fs::read_to_string(&a.file)
        .map_err(|e| format!("cannot read `{}`: {e}", a.file.display()))?;
    let backup = serde_json::from_str(&text)
        .map_err(|e| format!("`{}` is not a review export: {e}", a.file.display()))?;
    let store = open(&a.db).await?;
    store
        .import(&backup)
        .await
        .map_err(|e| format!("import failed (nothing was written): {e}"))?;
    eprintln!("imported {}", a.file.display());
    Ok(ExitCode::SUCCESS)
}

/// `2024-05-07-my-post` → `my-post`.
fn strip_date(stem: &str) -> &str {
    let b = stem.as_bytes();
    let dated = b.len() > 11
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
        && b[10] == b'-';
    if dated {
        &stem[11..]
    } else {
        stem
    }
}

/// Pull-request numbers and head commits from `refs/pull/N/head`.
fn pull_heads(repo: &Path) -> Result<Vec<(i64, String)>, String> {
    let r = gix::open_opts(repo, gix::open::Options::isolated())
        .map_err(|e| format!("`{}` is not a git repository: {e}", repo.display()))?;
    let refs = r.references().map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for reference in refs.prefixed("refs/pull/").map_err(|e| e.to_string())? {
        let mut reference = reference.map_err(|e| e.to_string())?;
        let name = reference.name().as_bstr().to_string();
        let Some(n) = name
            .strip_prefix("refs/pull/")
            .and_then(|r| r.strip_suffix("/head"))
            .and_then(|n| n.parse::<i64>().ok())
        else {
            continue;
        };
        let id = reference.peel_to_id().map_err(|e| format!("{name}: {e}"))?;
        out.push((n, id.to_string()));
    }
    out.sort();
    Ok(out)
}

async fn sync(a: SyncArgs) -> Result<ExitCode, String> {
    let store = open(&a.db).await?;
    let heads = pull_heads(&a.repo)?;
    let subs = store.all_submissions().await.map_err(|e| e.to_string())?;
    let policy = blogtrack_gate::PathPolicy { post_date: None };
    let mut matched = std::collections::HashSet::new();
    let mut orphans = Vec::new();
    for (pr, head) in &heads {
        let changes = match blogtrack_gate::changes_between(&a.repo, &a.base, head) {
            Ok(c) => c,
            Err(d) => {
                eprintln!("pull request #{pr}: {}", d.message);
                continue;
            }
        };
        let Some(stem) = blogtrack_gate::infer_slug(&changes, &policy) else {
            orphans.push(format!("#{pr} (no post in it)"));
            continue;
        };
        let slug = strip_date(&stem).to_string();
        match subs.iter().find(|s| s.slug == slug) {
            Some(s) => {
                let preview = a
                    .preview_url
                    .as_ref()
                    .map(|p| p.replace("{slug}", &slug).replace("{pr}", &pr.to_string()));
                store
                    .attach_pull_request(&s.id, *pr, head, preview.as_deref(), now())
                    .await
                    .map_err(|e| e.to_string())?;
                matched.insert(s.id.clone());
                println!("#{pr} {head:.12} → submission {} ({slug})", s.number);
            }
            None => orphans.push(format!("#{pr} ({slug})")),
        }
    }
    let missing: Vec<_> = subs
        .iter()
        .filter(|s| !matched.contains(&s.id) && s.pr_number.is_none())
        .collect();
    if !missing.is_empty() {
        println!("submissions without a pull request:");
        for s in &missing {
            println!("  {} {} ({})", s.number, s.title, s.slug);
        }
    }
    if !orphans.is_empty() {
        println!("pull requests without a submission:");
        for o in &orphans {
            println!("  {o}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The demo's people, by their part in the story (`all` in the order they were created, which
/// is the order of the printed sign-in links).
struct Cast {
    all: Vec<Person>,
    olga: Person,
    arturo: Person,
    rita: Person,
    ravi: Person,
    ada: Person,
    ben: Person,
}

/// The demo's seven people, one or more roles each (Rosa shares Ada's lab: a derived conflict).
async fn seed_cast(store: &Store, t: i64) -> Result<Cast, String> {
    let p = |email: &'static str,
             name: &'static str,
             inst: &'static str,
             roles: &'static [Role]| (email, name, inst, roles);
    let cast = [
        p(
            "olga@organizers.example",
            "Olga Organizer",
            "Track committee",
            &[Role::Organizer],
        ),
        p(
            "arturo@chairs.example",
            "Arturo Chair",
            "Chair University",
            &[Role::AreaChair],
        ),
        p(
            "rita@reviewers-a.example",
            "Rita Reviewer",
            "Reviewer Institute A",
            &[Role::Reviewer],
        ),
        p(
            "ravi@reviewers-b.example",
            "Ravi Reviewer",
            "Reviewer Institute B",
            &[Role::Reviewer],
        ),
        p(
            "rosa@lab-one.example",
            "Rosa Reviewer",
            "Lab One",
            &[Role::Reviewer],
        ),
        p(
            "ada@lab-one.example",
            "Ada Author",
            "Lab One",
            &[Role::Author],
        ),
        p(
            "ben@uni-two.example",
            "Ben Author",
            "University Two",
            &[Role::Author, Role::Reviewer],
        ),
    ];
    let mut all = Vec::new();
    for (email, name, inst, roles) in cast {
        all.push(
            store
                .ensure_person(email, name, inst, roles, None, t)
                .await
                .map_err(|e| e.to_string())?,
        );
    }
    let by = |email: &str| {
        all.iter()
            .find(|x| x.email == email)
            .cloned()
            .ok_or_else(|| format!("demo person {email}"))
    };
    Ok(Cast {
        olga: by("olga@organizers.example")?,
        arturo: by("arturo@chairs.example")?,
        rita: by("rita@reviewers-a.example")?,
        ravi: by("ravi@reviewers-b.example")?,
        ada: by("ada@lab-one.example")?,
        ben: by("ben@uni-two.example")?,
        all,
    })
}

/// The demo's three submissions (two by Ada, one by Ben); the first has a pull request.
async fn seed_submissions(store: &Store, c: &Cast, t: i64) -> Result<[Submission; 3], String> {
    let new = |slug: &str, title: &str, who: &Person| {
        NewSubmission {
        title: title.into(),
        abstract_text: format!(
            "A demo blog post: {title}. It explains one idea with math like $\\sum_i x_i$ and a figure."
        ),
        slug: slug.into(),
        authors: vec![Author {
            name: who.name.clone(),
            email: who.email.clone(),
            institution: who.institution.clone(),
        }],
        conflict_declaration: String::new(),
        extra: Default::default(),
    }
    };
    let mut subs = Vec::new();
    for (who, slug, title) in [
        (&c.ada, "diffusion-explained", "Diffusion models, explained"),
        (
            &c.ben,
            "attention-budget",
            "How attention spends its budget",
        ),
        (&c.ada, "unreviewed-ideas", "An unassigned submission"),
    ] {
        subs.push(
            store
                .create_submission(&who.id, &new(slug, title, who), t)
                .await
                .map_err(|e| e.to_string())?,
        );
    }
    let [s1, s2, s3]: [Submission; 3] = subs
        .try_into()
        .map_err(|_| "demo: three submissions".to_string())?;
    store
        .attach_pull_request(
            &s1.id,
            101,
            "0123456789abcdef0123456789abcdef01234567",
            Some("https://example.org/preview/diffusion-explained/"),
            t,
        )
        .await
        .map_err(|e| e.to_string())?;
    Ok([s1, s2, s3])
}

/// The demo's first half of the review: Rita and Ravi on the first submission (Arturo its area
/// chair), Rita on the second; Rita's submitted review and Ravi's draft of the first; Rita's bid
/// on the third.
async fn seed_reviews(
    store: &Store,
    [s1, s2, s3]: &[Submission; 3],
    c: &Cast,
    t: i64,
) -> Result<(), String> {
    let err = |e: blogtrack_review_store::StoreError| e.to_string();
    for (s, r) in [(s1, &c.rita), (s1, &c.ravi), (s2, &c.rita)] {
        store
            .assign(&s.id, &r.id, Role::Reviewer, &c.olga.id, t)
            .await
            .map_err(err)?;
    }
    store
        .assign(&s1.id, &c.arturo.id, Role::AreaChair, &c.olga.id, t)
        .await
        .map_err(err)?;
    let mut answers = Values::new();
    answers.insert("summary".into(), Value::Text("Explains the forward process well; the reverse process needs $p_\\theta(x_{t-1} \\mid x_t)$ spelled out.".into()));
    answers.insert("strengths".into(), Value::Text("Clear figures.".into()));
    answers.insert(
        "weaknesses".into(),
        Value::Text("Section 3 is dense.".into()),
    );
    answers.insert("score".into(), Value::Number(4));
    store
        .save_review(&c.rita.id, &s1.id, &answers, true, None, t)
        .await
        .map_err(err)?
        .map_err(|_| "demo review".to_string())?;
    let mut draft = Values::new();
    draft.insert(
        "summary".into(),
        Value::Text("Draft: still reading.".into()),
    );
    store
        .save_review(&c.ravi.id, &s1.id, &draft, false, None, t)
        .await
        .map_err(err)?
        .map_err(|_| "demo draft".to_string())?;
    store
        .set_bid(&c.rita.id, &s3.id, blogtrack_review::assign::Bid::Eager, t)
        .await
        .map_err(err)?;
    Ok(())
}

/// The demo's discussion of the first submission, a message in every state: a committee thread
/// (an edited question, an answer, a withdrawn message), then a question to the authors and
/// their response.
async fn seed_discussion(store: &Store, s1: &Submission, c: &Cast, t: i64) -> Result<(), String> {
    let err = |e: blogtrack_review_store::StoreError| e.to_string();
    let msg =
        |who: &Person, role: &str, readers: &str, thread: Option<String>, body: &str| NewMessage {
            submission_id: s1.id.clone(),
            thread_id: thread,
            author_id: who.id.clone(),
            author_role: role.into(),
            kind: if role == "author" {
                "author-response"
            } else {
                "comment"
            }
            .into(),
            readers: readers.into(),
            body: body.into(),
        };
    let question = "Is the $\\beta_t$ schedule in the figure linear?";
    let first = store
        .post_message(&msg(&c.rita, "reviewer", "committee", None, question), t)
        .await
        .map_err(err)?;
    store
        .edit_message(
            &first.id,
            &c.rita.id,
            "Is the $\\beta_t$ schedule in figure 2 linear or cosine?",
            "committee",
            Some(1),
            t + 60,
        )
        .await
        .map_err(err)?;
    let thread = Some(first.id.clone());
    let answer = "Cosine, see the caption; worth asking the authors.";
    store
        .post_message(
            &msg(&c.arturo, "area-chair", "committee", thread.clone(), answer),
            t + 120,
        )
        .await
        .map_err(err)?;
    let wrong = msg(
        &c.olga,
        "organizer",
        "committee",
        thread,
        "Posted in the wrong thread.",
    );
    let withdrawn = store.post_message(&wrong, t + 130).await.map_err(err)?;
    store
        .withdraw_message(&withdrawn.id, &c.olga.id, t + 140)
        .await
        .map_err(err)?;
    let ask = "Could you state the noise schedule of figure 2 in the text?";
    let question = store
        .post_message(&msg(&c.arturo, "area-chair", "authors", None, ask), t + 180)
        .await
        .map_err(err)?;
    let reply = "Yes: it is the cosine schedule; the caption now says so.";
    store
        .post_message(
            &msg(&c.ada, "author", "authors", Some(question.id), reply),
            t + 240,
        )
        .await
        .map_err(err)?;
    Ok(())
}

/// The demo's outcome: a submitted meta-review of the first submission, then decisions (the
/// second accepted, then both decided again: the first accepted with the best-post award, the
/// second rejected, superseding its accept); the third stays undecided.
async fn seed_decisions(
    store: &Store,
    [s1, s2]: [&Submission; 2],
    c: &Cast,
    t: i64,
) -> Result<(), String> {
    let err = |e: blogtrack_review_store::StoreError| e.to_string();
    let mut meta = Values::new();
    meta.insert("recommendation".into(), Value::Number(3));
    meta.insert("meta_review".into(), Value::Text("Both reviewers found the explanation clear; the authors answered the one open question.".into()));
    store
        .save_meta_review(&c.arturo.id, &s1.id, &meta, true, None, t + 300)
        .await
        .map_err(err)?
        .map_err(|_| "demo meta-review".to_string())?;
    let decide = |sub: &Submission, outcome: &str, award: Option<&str>| NewDecision {
        submission_id: sub.id.clone(),
        outcome: outcome.into(),
        accepted: outcome == "accept",
        award: award.map(str::to_string),
        poster: outcome == "accept",
        note: String::new(),
    };
    store
        .decide(&c.olga.id, &[decide(s2, "accept", None)], t + 360)
        .await
        .map_err(err)?;
    let both = [
        decide(s1, "accept", Some("best-post")),
        decide(s2, "reject", None),
    ];
    store
        .decide(&c.olga.id, &both, t + 420)
        .await
        .map_err(err)?;
    Ok(())
}

/// The demo's year, around `now`: submissions and bidding are over, reviews are due in two
/// weeks, then the author response, meta-reviews, decisions and camera-ready follow.
fn demo_dates(now: i64) -> blogtrack_review::TrackDates {
    use blogtrack_review::dates::{DateTime, Milestone};
    let day = 86_400;
    let mut d = blogtrack_review::TrackDates::default();
    for (m, at) in [
        (Milestone::Submission, now - 7 * day),
        (Milestone::Bidding, now - day),
        (Milestone::Reviews, now + 14 * day),
        (Milestone::AuthorResponse, now + 21 * day),
        (Milestone::MetaReviews, now + 28 * day),
        (Milestone::Decisions, now + 35 * day),
        (Milestone::CameraReady, now + 49 * day),
    ] {
        d.set(m, DateTime::aoe(at));
    }
    d
}

/// The demo's database: `--db`, or a new SQLite file in a temporary folder; refused unless empty.
async fn demo_store(a: &DemoArgs) -> Result<(Store, String), String> {
    let url = match &a.db {
        Some(u) => u.clone(),
        None => {
            let tmp =
                std::env::temp_dir().join(format!("blogtrack-review-demo-{}", std::process::id()));
            std::fs::create_dir_all(&tmp)
                .map_err(|e| format!("cannot create `{}`: {e}", tmp.display()))?;
            tmp.join("review.sqlite").to_string_lossy().into_owned()
        }
    };
    let store = Store::open(&url).await.map_err(|e| format!("{url}: {e}"))?;
    if !store.people().await.map_err(|e| e.to_string())?.is_empty() {
        return Err(format!(
            "{url} already holds data: the demo needs an empty database"
        ));
    }
    Ok((store, url))
}

/// What the demo holds, in words, and a sign-in link per person.
async fn print_demo(
    store: &Store,
    url: &str,
    base: &str,
    [s1, s2, s3]: &[Submission; 3],
    people: &[Person],
    settings: &ReviewSettings,
) -> Result<(), String> {
    println!("demo review database: {url}");
    println!("submissions: #{} assigned, one review submitted and one draft, PR attached; #{} assigned, no review yet; #{} unassigned (Rosa shares Ada's lab: a derived conflict)", s1.number, s2.number, s3.number);
    println!("discussion on #{0} (committee thread, an edited and a withdrawn message, a question to the authors and their response), a submitted meta-review on #{0}; decisions: #{0} accepted with the best-post award and a poster, #{1} rejected (superseding an earlier accept), #{2} undecided; released to authors at the demo's decisions date, {3}; `blogtrack review publish TRACK --db {4}` writes them into a track by that track's own `blogtrack.dates.decisions`", s1.number, s2.number, s3.number, settings.dates.get(blogtrack_review::dates::Milestone::Decisions).map_or_else(|| "none".to_string(), |d| d.at.in_aoe()), url);
    println!("sign-in links (each works once, for a day):");
    for person in people {
        let roles: Vec<&str> = person.roles.iter().map(|r| r.as_str()).collect();
        println!(
            "  {:<16} {:<22} {}",
            person.name,
            roles.join(","),
            sign_in_link(store, base, &person.id, 86400).await?
        );
    }
    Ok(())
}

/// The demo: a database seeded with people in every role and submissions in every state
/// ([`seed_cast`], [`seed_submissions`], [`seed_reviews`], [`seed_discussion`],
/// [`seed_decisions`]), described with a sign-in link per person, then served.
async fn demo(a: DemoArgs) -> Result<ExitCode, String> {
    let (store, url) = demo_store(&a).await?;
    let t = now();
    let settings = ReviewSettings {
        reviews_per_submission: 2,
        dates: demo_dates(t),
        ..ReviewSettings::default()
    };
    let base = format!("http://{}", a.listen);
    let cast = seed_cast(&store, t).await?;
    let subs = seed_submissions(&store, &cast, t).await?;
    seed_reviews(&store, &subs, &cast, t).await?;
    seed_discussion(&store, &subs[0], &cast, t).await?;
    seed_decisions(&store, [&subs[0], &subs[1]], &cast, t).await?;
    print_demo(&store, &url, &base, &subs, &cast.all, &settings).await?;
    if a.no_serve {
        return Ok(ExitCode::SUCCESS);
    }
    let state = AppState {
        store,
        settings: Arc::new(settings),
        clock: Arc::new(SystemClock),
        mailer: Arc::new(Mailer::dev()),
        base_url: base,
        track_name: "Demo track".into(),
    };
    listen_and_serve(state, &a.listen).await
}
