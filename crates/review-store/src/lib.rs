//! The review's storage: the one crate that holds SQL. One schema (`migrations/`) and one set
//! of queries serve SQLite (a file, created and migrated on first open) and PostgreSQL, through
//! sqlx's Any driver: ids are made here (random 128-bit hex), instants are Unix seconds,
//! placeholders are `$n` (SQLite accepts them too).
//!
//! Conflicts are enforced here, in the queries: every read of a submission for a person
//! carries `NOT EXISTS (a conflict of that person with it)`, so a conflicted person's request
//! finds no row whatever the handler does. Nothing people wrote is deleted: withdrawn
//! submissions, removed assignments and ended sessions keep their row with a timestamp, every
//! saved review version is kept, and each state change writes an audit-log row in the same
//! transaction.

mod announce;
mod auth;
mod backup;
mod decisions;
mod discussion;
mod outbox;
mod people;
mod reviews;
mod submissions;

pub use announce::{Announced, Listed, Unannounced};
pub use auth::{Invitation, Session};
pub use backup::{Backup, TABLES};
pub use decisions::{DecidedSubmission, DecisionRow, MetaReviewRow, NewDecision};
pub use discussion::{Audience, MessageRow, MessageVersion, NewMessage};
pub use outbox::{ClaimedMail, Mail, MissingReviews, NewMail};
pub use people::Person;
pub use reviews::{AssignmentRow, ReviewRow, StaleVersion};
pub use submissions::{NewSubmission, Submission};

use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AnyPool, Row, SqlSafeStr};
use std::borrow::Cow;
use std::fmt;

/// The schema, applied in order; the same files for both databases.
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "review", include_str!("../migrations/0001_review.sql")),
    (
        2,
        "discussion_decisions",
        include_str!("../migrations/0002_discussion_decisions.sql"),
    ),
    (
        3,
        "mail_queue",
        include_str!("../migrations/0003_mail_queue.sql"),
    ),
    (
        4,
        "assignment_announced",
        include_str!("../migrations/0004_assignment_announced.sql"),
    ),
    (
        5,
        "mail_about",
        include_str!("../migrations/0005_mail_about.sql"),
    ),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug)]
pub enum StoreError {
    /// The database refused or failed (connection, I/O, a constraint we did not expect).
    Db(sqlx::Error),
    /// The schema could not be brought up to date.
    Migrate(sqlx::migrate::MigrateError),
    /// A row that must be unique already exists (e.g. a slug or an e-mail).
    Duplicate(String),
    /// The URL names no database we can open.
    BadUrl(String),
    /// Stored data that does not parse (a hand-edited database).
    Corrupt(String),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Db(e) => write!(f, "database error: {e}"),
            StoreError::Migrate(e) => write!(f, "could not update the database schema: {e}"),
            StoreError::Duplicate(what) => write!(f, "{what} already exists"),
            StoreError::BadUrl(u) => write!(
                f,
                "`{u}` is not a database: give a file path (SQLite) or postgres://user@host/db"
            ),
            StoreError::Corrupt(what) => write!(f, "stored data is damaged: {what}"),
        }
    }
}

impl std::error::Error for StoreError {}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &e {
            if db.is_unique_violation() {
                return StoreError::Duplicate(db.message().to_string());
            }
        }
        StoreError::Db(e)
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// An open, migrated database.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Store({:?})", self.backend)
    }
}

/// A new random id (128 bits, hex).
pub fn new_id() -> String {
    let mut bytes = [0u8; 16];
    // The OS random source failing is not recoverable for a server that makes secrets.
    getrandom::fill(&mut bytes).expect("the operating system's random source works");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Store {
    /// Opens `url`: `postgres://…`, `sqlite:PATH`, or a plain file path (SQLite, created when
    /// missing). Applies the migrations the database has not seen.
    pub async fn open(url: &str) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let (backend, url) = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (Backend::Postgres, url.to_string())
        } else if let Some(rest) = url.strip_prefix("sqlite:") {
            let path = rest.trim_start_matches("//");
            (Backend::Sqlite, format!("sqlite://{path}?mode=rwc"))
        } else if url.contains("://") || url.is_empty() {
            return Err(StoreError::BadUrl(url.to_string()));
        } else {
            (Backend::Sqlite, format!("sqlite://{url}?mode=rwc"))
        };
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 8 } else { 16 })
            .acquire_timeout(std::time::Duration::from_secs(30))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // Writers wait for each other instead of failing; WAL lets readers
                        // go on while one writes; FULL makes every commit durable before it
                        // is acknowledged (a kill -9 loses nothing acknowledged).
                        sqlx::query("PRAGMA busy_timeout = 30000")
                            .execute(&mut *conn)
                            .await?;
                        sqlx::query("PRAGMA journal_mode = WAL")
                            .execute(&mut *conn)
                            .await?;
                        sqlx::query("PRAGMA synchronous = FULL")
                            .execute(&mut *conn)
                            .await?;
                        sqlx::query("PRAGMA foreign_keys = ON")
                            .execute(&mut *conn)
                            .await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await?;
        let migrations = MIGRATIONS
            .iter()
            .map(|(v, d, sql)| {
                Migration::new(
                    *v,
                    Cow::Borrowed(*d),
                    MigrationType::Simple,
                    sql.into_sql_str(),
                    false,
                )
            })
            .collect();
        Migrator::with_migrations(migrations)
            .run(&pool)
            .await
            .map_err(StoreError::Migrate)?;
        Ok(Store { pool, backend })
    }

    /// Begins a transaction that writes. On SQLite it is `BEGIN IMMEDIATE`: the write lock is
    /// taken at the start, so concurrent writers queue on `busy_timeout`. A deferred `BEGIN`
    /// would read first and then fail to upgrade to a writer with `SQLITE_BUSY` ("database is
    /// locked", which no busy timeout retries) whenever another connection committed in
    /// between: under 200 concurrent reviewers most saves failed that way.
    pub(crate) async fn write_tx(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Closes the pool (waits for connections to be returned).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Writes one audit-log row (in the caller's transaction).
pub(crate) async fn audit(
    tx: &mut sqlx::AnyConnection,
    now: i64,
    actor: Option<&str>,
    action: &str,
    object: (&str, &str),
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (id, at, actor_id, action, object_kind, object_id, before_json, after_json) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(new_id())
    .bind(now)
    .bind(actor.map(str::to_string))
    .bind(action.to_string())
    .bind(object.0.to_string())
    .bind(object.1.to_string())
    .bind(before.map(|v| v.to_string()))
    .bind(after.map(|v| v.to_string()))
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// One audit-log entry as organizers read it: who, when, what, before → after.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AuditEntry {
    pub at: i64,
    pub actor_id: Option<String>,
    pub action: String,
    pub object_kind: String,
    pub object_id: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// Audit rows about the submissions of the subquery `{SUBS}` (with `IN`): the submission
/// itself and its reviews, meta-reviews and messages.
fn audit_about(subs: &str) -> String {
    format!(
        "((object_kind = 'submission' AND object_id IN {subs}) \
         OR (object_kind = 'review' AND object_id IN (SELECT id FROM reviews WHERE submission_id IN {subs})) \
         OR (object_kind = 'meta-review' AND object_id IN (SELECT id FROM meta_reviews WHERE submission_id IN {subs})) \
         OR (object_kind = 'message' AND object_id IN (SELECT id FROM discussion_messages WHERE submission_id IN {subs})))"
    )
}

fn json_col(r: &AnyRow, col: &str) -> Result<Option<serde_json::Value>> {
    r.try_get::<Option<String>, _>(col)?
        .map(|t| {
            serde_json::from_str(&t).map_err(|e| StoreError::Corrupt(format!("audit {col}: {e}")))
        })
        .transpose()
}

impl Store {
    /// The newest `limit` audit entries, newest first: the whole log (for tools and tests;
    /// pages read [`Store::audit_log_for`]).
    pub async fn audit_log(&self, limit: i64) -> Result<Vec<AuditEntry>> {
        self.audit_entries(None, limit, None).await
    }

    /// The newest `limit` audit entries, of one submission when `submission` is given.
    pub async fn audit_log_of(
        &self,
        limit: i64,
        submission: Option<&str>,
    ) -> Result<Vec<AuditEntry>> {
        self.audit_entries(None, limit, submission).await
    }

    /// [`Store::audit_log_of`] as `reader` may read it: without the entries about a
    /// submission they have a conflict with or wrote (its edits, reviews, meta-reviews,
    /// messages, bids, assignments, decision).
    pub async fn audit_log_for(
        &self,
        reader: &str,
        limit: i64,
        submission: Option<&str>,
    ) -> Result<Vec<AuditEntry>> {
        self.audit_entries(Some(reader), limit, submission).await
    }

    async fn audit_entries(
        &self,
        reader: Option<&str>,
        limit: i64,
        submission: Option<&str>,
    ) -> Result<Vec<AuditEntry>> {
        let of = if submission.is_some() {
            audit_about("($3)")
        } else {
            "$3 = ''".to_string()
        };
        let barred = if reader.is_some() {
            format!("NOT {}", audit_about(submissions::BARRED))
        } else {
            "$1 = ''".to_string()
        };
        let q = format!(
            "SELECT at, actor_id, action, object_kind, object_id, before_json, after_json FROM audit_log \
             WHERE {of} AND {barred} ORDER BY at DESC, id LIMIT $2"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(q))
            .bind(reader.unwrap_or("").to_string())
            .bind(limit)
            .bind(submission.unwrap_or("").to_string())
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(AuditEntry {
                    at: r.try_get("at")?,
                    actor_id: r.try_get("actor_id")?,
                    action: r.try_get("action")?,
                    object_kind: r.try_get("object_kind")?,
                    object_id: r.try_get("object_id")?,
                    before: json_col(r, "before_json")?,
                    after: json_col(r, "after_json")?,
                })
            })
            .collect()
    }
}

pub(crate) fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

pub(crate) fn get_s(row: &AnyRow, col: &str) -> Result<String> {
    Ok(row.try_get::<String, _>(col)?)
}

/// Databases for tests: a new SQLite file in `dir`, and a new PostgreSQL database on the server
/// named by `BLOGTRACK_TEST_POSTGRES` when that variable is set (else `None`, and the caller
/// says the PostgreSQL run was skipped). Each call gives an empty, migrated database.
pub mod testing {
    use super::{new_id, Result, Store};
    use sqlx::Connection;

    pub const POSTGRES_VAR: &str = "BLOGTRACK_TEST_POSTGRES";

    pub async fn sqlite(dir: &std::path::Path) -> Result<Store> {
        Store::open(&dir.join(format!("{}.sqlite", new_id())).to_string_lossy()).await
    }

    /// The URL of a new empty PostgreSQL database, or `None` without the variable.
    pub async fn postgres_url() -> Result<Option<String>> {
        let Ok(base) = std::env::var(POSTGRES_VAR) else {
            return Ok(None);
        };
        sqlx::any::install_default_drivers();
        let name = format!("t_{}", new_id());
        let mut conn = sqlx::AnyConnection::connect(&base).await?;
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut conn)
            .await?;
        conn.close().await?;
        let (prefix, _) = base
            .rsplit_once('/')
            .ok_or_else(|| super::StoreError::BadUrl(base.clone()))?;
        Ok(Some(format!("{prefix}/{name}")))
    }

    pub async fn postgres() -> Result<Option<Store>> {
        match postgres_url().await? {
            Some(url) => Ok(Some(Store::open(&url).await?)),
            None => Ok(None),
        }
    }

    /// Runs `body` on a new SQLite file (in a folder of the system's temporary directory,
    /// removed afterwards) and then on a new PostgreSQL database, or says on stderr that the
    /// PostgreSQL run of `test` was skipped. For tests: a database that cannot be made panics.
    pub async fn on_both<F, Fut>(test: &str, body: F)
    where
        F: Fn(Store) -> Fut,
        Fut: std::future::Future<Output = ()>,
    {
        let dir = std::env::temp_dir().join(format!("blogtrack-store-test-{}", new_id()));
        std::fs::create_dir_all(&dir).expect("a temporary folder for the SQLite file");
        body(sqlite(&dir).await.expect("a new SQLite database")).await;
        let _ = std::fs::remove_dir_all(&dir);
        match postgres().await.expect("a new PostgreSQL database") {
            Some(store) => body(store).await,
            None => eprintln!("{test}: PostgreSQL run skipped ({POSTGRES_VAR} is not set)"),
        }
    }
}

/// Whether `id` could be one of our ids (32 hex digits): anything else is refused before it
/// reaches a query.
pub fn well_formed_id(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit())
}
