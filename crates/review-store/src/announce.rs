//! Assignment mails: telling reviewers and area chairs, once, about the assignments they have
//! not been told of. Each assignment records when its holder was told (`announced_at`, NULL
//! until then). Organizers adjust the assignment first (run it, add and remove by hand) and
//! then tell the committee in one action ([`Store::announce_assignments`]): one message per
//! person and role, listing that person's assignments in that role that are still held, not
//! announced, on a submission that is not withdrawn and that they have no conflict with.
//!
//! The marks and the messages are written in one transaction (with the audit row): a crash
//! leaves either both or neither, so nothing is lost and nothing is told twice. Each
//! assignment is marked by a conditional UPDATE (`announced_at IS NULL`), and a message only
//! lists the assignments its own transaction marked, so two clicks at once cannot both list
//! the same one. A removed assignment is simply no longer listed; one added again after its
//! removal counts as new (see `Store::assign`). Nothing here names an author.

use crate::outbox::enqueue;
use crate::{audit, get_s, NewMail, Result, Store, StoreError};
use blogtrack_review::Role;
use serde::Serialize;
use sqlx::Row;

/// One person's assignments in one role that they have not been told of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unannounced {
    pub person_id: String,
    pub email: String,
    pub name: String,
    pub role: Role,
    /// By submission number.
    pub submissions: Vec<Listed>,
}

/// One submission an assignment mail or a reminder lists: never its authors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Listed {
    pub id: String,
    pub number: i64,
    pub title: String,
    /// A reviewer's review an organizer reopened, until this instant (`reviews.reopened_until`).
    pub reopened_until: Option<i64>,
}

/// What one announcement queued.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Announced {
    /// Messages queued (one per person and role).
    pub queued: usize,
    /// Assignments marked announced.
    pub assignments: usize,
}

/// The assignments a message may list, by person, role and submission number.
const UNANNOUNCED: &str = "SELECT a.person_id, a.role, p.email, p.name, s.id AS submission_id, \
     s.number, s.title, r.reopened_until \
     FROM assignments a JOIN submissions s ON s.id = a.submission_id \
     JOIN people p ON p.id = a.person_id \
     LEFT JOIN reviews r ON r.submission_id = a.submission_id AND r.reviewer_id = a.person_id \
     WHERE a.removed_at IS NULL AND a.announced_at IS NULL AND s.state <> 'withdrawn' \
     AND NOT EXISTS (SELECT 1 FROM conflicts c WHERE c.submission_id = a.submission_id AND c.person_id = a.person_id) \
     ORDER BY p.email, a.person_id, a.role, s.number";

async fn unannounced_on(conn: &mut sqlx::AnyConnection) -> Result<Vec<Unannounced>> {
    let rows = sqlx::query(UNANNOUNCED).fetch_all(&mut *conn).await?;
    let mut out: Vec<Unannounced> = Vec::new();
    for r in &rows {
        let person = get_s(r, "person_id")?;
        let role_text = get_s(r, "role")?;
        let role = Role::parse(&role_text)
            .ok_or_else(|| StoreError::Corrupt(format!("assignment role `{role_text}`")))?;
        let sub = Listed {
            id: get_s(r, "submission_id")?,
            number: r.try_get("number")?,
            title: get_s(r, "title")?,
            reopened_until: r.try_get("reopened_until")?,
        };
        match out.last_mut() {
            Some(last) if last.person_id == person && last.role == role => {
                last.submissions.push(sub)
            }
            _ => out.push(Unannounced {
                person_id: person,
                email: get_s(r, "email")?,
                name: get_s(r, "name")?,
                role,
                submissions: vec![sub],
            }),
        }
    }
    Ok(out)
}

/// Marks the listed assignments of `u` announced at `now`, keeping only those this call
/// marked (a concurrent announcement may have taken some).
async fn mark(conn: &mut sqlx::AnyConnection, u: &mut Unannounced, now: i64) -> Result<()> {
    let mut kept = Vec::with_capacity(u.submissions.len());
    for sub in u.submissions.drain(..) {
        let done = sqlx::query(
            "UPDATE assignments SET announced_at = $3 WHERE submission_id = $1 AND person_id = $2 \
             AND announced_at IS NULL AND removed_at IS NULL",
        )
        .bind(sub.id.clone())
        .bind(u.person_id.clone())
        .bind(now)
        .execute(&mut *conn)
        .await?;
        if done.rows_affected() == 1 {
            kept.push(sub);
        }
    }
    u.submissions = kept;
    Ok(())
}

impl Store {
    /// Every person (and role) with assignments they have not been told of (see
    /// [`Unannounced`]), by e-mail address.
    pub async fn unannounced_assignments(&self) -> Result<Vec<Unannounced>> {
        let mut conn = self.pool.acquire().await?;
        unannounced_on(&mut conn).await
    }

    /// Tells everyone of their unannounced assignments: for each person and role, marks the
    /// assignments announced and queues `compose`'s message listing them, all in one
    /// transaction with an audit row (`actor` did `action`, with the counts). A second call
    /// finds nothing left and queues nothing.
    pub async fn announce_assignments(
        &self,
        now: i64,
        actor: &str,
        action: &str,
        compose: impl Fn(&Unannounced) -> NewMail,
    ) -> Result<Announced> {
        let mut tx = self.write_tx().await?;
        let mut done = Announced::default();
        for mut u in unannounced_on(&mut tx).await? {
            mark(&mut tx, &mut u, now).await?;
            if u.submissions.is_empty() {
                continue;
            }
            done.assignments += u.submissions.len();
            if enqueue(&mut tx, &compose(&u), now).await?.is_some() {
                done.queued += 1;
            }
        }
        let after = serde_json::json!({"queued": done.queued, "assignments": done.assignments});
        audit(
            &mut tx,
            now,
            Some(actor),
            action,
            ("outbox", "assignments"),
            None,
            Some(after),
        )
        .await?;
        tx.commit().await?;
        Ok(done)
    }
}
