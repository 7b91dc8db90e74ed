//! The discussion of a submission: messages in threads, each with its own readers
//! (`committee`, or `authors`: the committee and the submission's authors), kept in every
//! version they were saved in and withdrawn rather than deleted. Writers are shown by the
//! pseudonym of their assignment on the submission ("Reviewer B", "Area chair A"), or as
//! "Organizers" / "Authors": the store never returns a writer's name.
//!
//! Reads for a person carry the conflict guard; which readers a viewer may see (committee
//! messages to the committee only, author-addressed ones to authors in the response period)
//! is the caller's [`Audience`].

use crate::reviews::StaleVersion;
use crate::submissions::NOT_CONFLICTED;
use crate::{audit, get_s, new_id, Result, Store, StoreError};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;

/// Which messages a viewer reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Reviewers, area chair, organizers: every message.
    Committee,
    /// The submission's authors: messages addressed to them only.
    Authors,
}

/// A message to post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMessage {
    pub submission_id: String,
    /// The thread to answer in; `None` starts a thread (whose id is the message's).
    pub thread_id: Option<String>,
    pub author_id: String,
    /// The writer's role on the submission: `reviewer`, `area-chair`, `organizer`, `author`.
    pub author_role: String,
    /// `comment` or `author-response`.
    pub kind: String,
    /// `committee` or `authors`.
    pub readers: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MessageRow {
    pub id: String,
    pub submission_id: String,
    pub thread_id: String,
    #[serde(skip)]
    pub author_id: String,
    pub author_role: String,
    /// How the writer is shown ("Reviewer A", "Area chair A", "Organizers", "Authors").
    pub pseudonym: String,
    pub kind: String,
    pub readers: String,
    pub body: String,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub withdrawn_at: Option<i64>,
}

/// One saved version of a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MessageVersion {
    pub version: i64,
    pub body: String,
    pub readers: String,
    pub saved_at: i64,
}

pub const READERS: [&str; 2] = ["committee", "authors"];
pub const KINDS: [&str; 2] = ["comment", "author-response"];

const MSG_COLS: &str =
    "m.id, m.submission_id, m.thread_id, m.author_id, m.author_role, a.pseudonym, \
     m.kind, m.readers, m.body, m.version, m.created_at, m.updated_at, m.withdrawn_at";

const MSG_FROM: &str = "FROM discussion_messages m JOIN submissions s ON s.id = m.submission_id \
     LEFT JOIN assignments a ON a.submission_id = m.submission_id AND a.person_id = m.author_id \
     AND a.role = m.author_role";

fn message_from(r: &AnyRow) -> Result<MessageRow> {
    let role = get_s(r, "author_role")?;
    let pseudonym = match r.try_get::<Option<String>, _>("pseudonym")? {
        Some(p) => p,
        None => match role.as_str() {
            "author" => "Authors".into(),
            "organizer" => "Organizers".into(),
            "area-chair" => "Area chair".into(),
            _ => "Reviewer".into(),
        },
    };
    Ok(MessageRow {
        id: get_s(r, "id")?,
        submission_id: get_s(r, "submission_id")?,
        thread_id: get_s(r, "thread_id")?,
        author_id: get_s(r, "author_id")?,
        author_role: role,
        pseudonym,
        kind: get_s(r, "kind")?,
        readers: get_s(r, "readers")?,
        body: get_s(r, "body")?,
        version: r.try_get("version")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
        withdrawn_at: r.try_get("withdrawn_at")?,
    })
}

fn check_enum(what: &str, value: &str, allowed: &[&str]) -> Result<()> {
    if allowed.contains(&value) {
        Ok(())
    } else {
        Err(StoreError::Corrupt(format!(
            "{what} `{value}` (one of {})",
            allowed.join(", ")
        )))
    }
}

impl Store {
    /// Posts a message. Answering a thread of another submission is refused
    /// (`StoreError::Corrupt`): a forged thread id cannot move a message across submissions.
    pub async fn post_message(&self, new: &NewMessage, now: i64) -> Result<MessageRow> {
        check_enum("readers", &new.readers, &READERS)?;
        check_enum("kind", &new.kind, &KINDS)?;
        let id = new_id();
        let mut tx = self.write_tx().await?;
        let thread = match &new.thread_id {
            None => id.clone(),
            Some(t) => {
                let found = sqlx::query(
                    "SELECT id FROM discussion_messages WHERE id = $1 AND thread_id = $1 AND submission_id = $2",
                )
                .bind(t.clone())
                .bind(new.submission_id.clone())
                .fetch_optional(&mut *tx)
                .await?;
                if found.is_none() {
                    return Err(StoreError::Corrupt(format!(
                        "no thread `{t}` in this submission's discussion"
                    )));
                }
                t.clone()
            }
        };
        sqlx::query(
            "INSERT INTO discussion_messages (id, submission_id, thread_id, parent_id, author_id, author_role, \
             kind, readers, body, version, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $10)",
        )
        .bind(id.clone())
        .bind(new.submission_id.clone())
        .bind(thread.clone())
        .bind(new.thread_id.clone())
        .bind(new.author_id.clone())
        .bind(new.author_role.clone())
        .bind(new.kind.clone())
        .bind(new.readers.clone())
        .bind(new.body.clone())
        .bind(now)
        .execute(&mut *tx)
        .await?;
        insert_version(&mut tx, &id, 1, &new.body, &new.readers, now).await?;
        let after = serde_json::json!({"thread": thread, "kind": new.kind, "readers": new.readers, "version": 1});
        audit(
            &mut tx,
            now,
            Some(&new.author_id),
            "message.post",
            ("message", &id),
            None,
            Some(after),
        )
        .await?;
        tx.commit().await?;
        self.message(&id)
            .await?
            .ok_or_else(|| StoreError::Corrupt(format!("message {id} vanished")))
    }

    /// Edits one's own message (a new version; the old one stays in the history).
    /// `Ok(None)`: no such message of this writer, or it was withdrawn.
    pub async fn edit_message(
        &self,
        id: &str,
        author: &str,
        body: &str,
        readers: &str,
        expected_version: Option<i64>,
        now: i64,
    ) -> Result<Option<std::result::Result<MessageRow, StaleVersion>>> {
        check_enum("readers", readers, &READERS)?;
        let mut tx = self.write_tx().await?;
        let Some(cur) = sqlx::query(
            "SELECT version, body, readers FROM discussion_messages WHERE id = $1 AND author_id = $2 AND withdrawn_at IS NULL",
        )
        .bind(id.to_string())
        .bind(author.to_string())
        .fetch_optional(&mut *tx)
        .await?
        else {
            return Ok(None);
        };
        let version: i64 = cur.try_get("version")?;
        if expected_version.is_some_and(|v| v != version) {
            return Ok(Some(Err(StaleVersion)));
        }
        let done = sqlx::query(
            "UPDATE discussion_messages SET body = $2, readers = $3, version = version + 1, updated_at = $4 \
             WHERE id = $1 AND version = $5",
        )
        .bind(id.to_string())
        .bind(body.to_string())
        .bind(readers.to_string())
        .bind(now)
        .bind(version)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Ok(Some(Err(StaleVersion)));
        }
        insert_version(&mut tx, id, version + 1, body, readers, now).await?;
        let before = serde_json::json!({"version": version, "readers": get_s(&cur, "readers")?});
        let after = serde_json::json!({"version": version + 1, "readers": readers});
        audit(
            &mut tx,
            now,
            Some(author),
            "message.edit",
            ("message", id),
            Some(before),
            Some(after),
        )
        .await?;
        tx.commit().await?;
        Ok(self.message(id).await?.map(Ok))
    }

    /// Withdraws a message (its row and versions stay; pages show it as withdrawn).
    pub async fn withdraw_message(&self, id: &str, by: &str, now: i64) -> Result<bool> {
        let mut tx = self.write_tx().await?;
        let done = sqlx::query(
            "UPDATE discussion_messages SET withdrawn_at = $2 WHERE id = $1 AND withdrawn_at IS NULL",
        )
        .bind(id.to_string())
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        audit(
            &mut tx,
            now,
            Some(by),
            "message.withdraw",
            ("message", id),
            None,
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// One message, unguarded (the caller has checked the submission).
    pub async fn message(&self, id: &str) -> Result<Option<MessageRow>> {
        let q = format!("SELECT {MSG_COLS} {MSG_FROM} WHERE m.id = $1");
        sqlx::query(sqlx::AssertSqlSafe(q))
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(message_from)
            .transpose()
    }

    /// The messages of a submission that `viewer` may read as `audience`, oldest first
    /// (none when the viewer has a conflict with the submission).
    pub async fn messages_for(
        &self,
        viewer: &str,
        submission: &str,
        audience: Audience,
    ) -> Result<Vec<MessageRow>> {
        let readers = match audience {
            Audience::Committee => "",
            Audience::Authors => " AND m.readers = 'authors'",
        };
        let q = format!(
            "SELECT {MSG_COLS} {MSG_FROM} WHERE m.submission_id = $2{readers} AND {NOT_CONFLICTED} \
             ORDER BY m.created_at, m.id"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(q))
            .bind(viewer.to_string())
            .bind(submission.to_string())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(message_from).collect()
    }

    /// Every saved version of a message, oldest first.
    pub async fn message_versions(&self, id: &str) -> Result<Vec<MessageVersion>> {
        let rows = sqlx::query(
            "SELECT version, body, readers, saved_at FROM discussion_message_versions \
             WHERE message_id = $1 ORDER BY version",
        )
        .bind(id.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(MessageVersion {
                    version: r.try_get("version")?,
                    body: get_s(r, "body")?,
                    readers: get_s(r, "readers")?,
                    saved_at: r.try_get("saved_at")?,
                })
            })
            .collect()
    }

    /// Messages per submission (id → count, withdrawn ones left out), for the dashboard.
    pub async fn message_counts(&self) -> Result<Vec<(String, i64)>> {
        let rows = sqlx::query(
            "SELECT submission_id, COUNT(*) AS n FROM discussion_messages WHERE withdrawn_at IS NULL \
             GROUP BY submission_id ORDER BY submission_id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((get_s(r, "submission_id")?, r.try_get("n")?)))
            .collect()
    }
}

async fn insert_version(
    tx: &mut sqlx::AnyConnection,
    id: &str,
    version: i64,
    body: &str,
    readers: &str,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO discussion_message_versions (message_id, version, body, readers, saved_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id.to_string())
    .bind(version)
    .bind(body.to_string())
    .bind(readers.to_string())
    .bind(now)
    .execute(&mut *tx)
    .await?;
    Ok(())
}
