//! The mail queue (table `mail_outbox`): requests insert rows, the server's mail worker sends
//! them. A row is claimed with a lease before it is sent ([`Store::claim_mail`]): the claim
//! sets `claimed_until` and a fresh `claim_token` in one conditional UPDATE, so two senders
//! never hold the same row, and a sender that dies (kill -9, power loss) leaves a lease that
//! simply runs out, after which the row is claimed again. The worker marks the row sent right
//! after the SMTP server accepted it; the only window in which a message can go out twice is
//! a crash between that acceptance and the commit of `sent_at` (at-least-once, as SMTP
//! permits). Failed attempts are retried at `next_attempt_at`; after the last one the row
//! is given up (`failed_at`) with its error kept for the organizers' outbox page.
//!
//! Two keys shape what is queued: `dedup_key` (unique) makes a message idempotent (one
//! decision mail per author and decision version, whatever the number of clicks), and
//! `merge_key` gathers a burst of changes into one message (an assignment mail is rewritten
//! while it waits, rather than one being queued per change).
//!
//! The organizers' mail actions read what they need here too: [`Store::missing_reviews`]
//! (who still owes a review, for the reminders) and [`Store::queue_mails_audited`] (a batch
//! queued with its audit row, in one transaction).

use crate::{audit, get_s, new_id, Result, Store};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;

/// A message to queue.
#[derive(Debug, Clone, Default)]
pub struct NewMail {
    pub to: String,
    pub subject: String,
    pub body: String,
    /// The template it was made from (`sign-in`, `invitation`, `reminder`, ...).
    pub kind: String,
    /// At most one message is ever queued with this key.
    pub dedup_key: Option<String>,
    /// A queued, unclaimed message with this key is rewritten instead of a new one queued.
    pub merge_key: Option<String>,
    /// Not sent before this instant (0: at once).
    pub not_before: i64,
    /// Given up unsent after this instant.
    pub expires_at: Option<i64>,
    /// The submissions it concerns (ids): an organizer who has a conflict with one of them,
    /// or wrote one, does not see the message in the outbox ([`Store::outbox_for`]).
    pub about: Vec<String>,
}

/// One message as organizers read it, with its state in the queue.
#[derive(Debug, Clone, Serialize)]
pub struct Mail {
    pub id: String,
    pub to_address: String,
    pub subject: String,
    pub body: String,
    pub kind: String,
    pub created_at: i64,
    pub sent_at: Option<i64>,
    /// `queued`, `sending` (a sender holds its lease), `sent` or `failed` (given up).
    pub state: &'static str,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub next_attempt_at: i64,
    pub claimed_until: Option<i64>,
    pub failed_at: Option<i64>,
}

/// A message a sender holds until `claimed_until`; `claim` proves it is still the holder.
#[derive(Debug, Clone)]
pub struct ClaimedMail {
    pub id: String,
    pub claim: String,
    pub to_address: String,
    pub subject: String,
    pub body: String,
    pub kind: String,
    /// Attempts so far, this one included.
    pub attempts: i64,
    pub claimed_until: i64,
}

/// A reviewer who still owes reviews: every submission they are assigned to review (not
/// removed, no conflict) whose review is not submitted, by submission number. Titles only:
/// nothing here names an author.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissingReviews {
    pub reviewer_id: String,
    pub email: String,
    pub name: String,
    /// By submission number, each with the instant an organizer reopened its review until,
    /// if they did.
    pub submissions: Vec<crate::Listed>,
}

/// Rows a sender may take at `$1`: not sent, not given up, due, and not held by a live lease.
const DUE: &str = "sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1 \
     AND (claimed_until IS NULL OR claimed_until <= $1)";

const MAIL_COLS: &str = "id, to_address, subject, body, kind, created_at, sent_at, attempts, \
     last_error, next_attempt_at, claimed_until, failed_at";

fn mail_from(r: &AnyRow) -> Result<Mail> {
    let sent_at: Option<i64> = r.try_get("sent_at")?;
    let failed_at: Option<i64> = r.try_get("failed_at")?;
    let claimed_until: Option<i64> = r.try_get("claimed_until")?;
    let state = match (sent_at, failed_at, claimed_until) {
        (Some(_), _, _) => "sent",
        (None, Some(_), _) => "failed",
        (None, None, Some(_)) => "sending",
        (None, None, None) => "queued",
    };
    Ok(Mail {
        id: get_s(r, "id")?,
        to_address: get_s(r, "to_address")?,
        subject: get_s(r, "subject")?,
        body: get_s(r, "body")?,
        kind: get_s(r, "kind")?,
        created_at: r.try_get("created_at")?,
        sent_at,
        state,
        attempts: r.try_get("attempts")?,
        last_error: r.try_get("last_error")?,
        next_attempt_at: r.try_get("next_attempt_at")?,
        claimed_until,
        failed_at,
    })
}

/// Queues `mail` on `conn` (the caller's transaction): the id of the queued (or rewritten)
/// row, or `None` when a message with its `dedup_key` was queued before.
pub(crate) async fn enqueue(
    conn: &mut sqlx::AnyConnection,
    mail: &NewMail,
    now: i64,
) -> Result<Option<String>> {
    let not_before = mail.not_before.max(now);
    if let Some(key) = &mail.merge_key {
        let waiting =
            "merge_key = $1 AND sent_at IS NULL AND failed_at IS NULL AND claimed_until IS NULL";
        let found = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT id FROM mail_outbox WHERE {waiting} ORDER BY created_at, id LIMIT 1"
        )))
        .bind(key.clone())
        .fetch_optional(&mut *conn)
        .await?;
        if let Some(row) = found {
            let id = get_s(&row, "id")?;
            let done = sqlx::query(sqlx::AssertSqlSafe(format!(
                "UPDATE mail_outbox SET to_address = $2, subject = $3, body = $4, next_attempt_at = $5, \
                 expires_at = $6 WHERE id = $7 AND {waiting}"
            )))
            .bind(key.clone())
            .bind(mail.to.clone())
            .bind(mail.subject.clone())
            .bind(mail.body.clone())
            .bind(not_before)
            .bind(mail.expires_at)
            .bind(id.clone())
            .execute(&mut *conn)
            .await?;
            if done.rows_affected() == 1 {
                sqlx::query("DELETE FROM mail_about WHERE mail_id = $1")
                    .bind(id.clone())
                    .execute(&mut *conn)
                    .await?;
                record_about(conn, &id, &mail.about).await?;
                return Ok(Some(id));
            }
        }
    }
    let id = new_id();
    let done = sqlx::query(
        "INSERT INTO mail_outbox (id, to_address, subject, body, created_at, attempts, kind, \
         next_attempt_at, expires_at, dedup_key, merge_key) VALUES ($1, $2, $3, $4, $5, 0, $6, $7, $8, $9, $10) \
         ON CONFLICT (dedup_key) DO NOTHING",
    )
    .bind(id.clone())
    .bind(mail.to.clone())
    .bind(mail.subject.clone())
    .bind(mail.body.clone())
    .bind(now)
    .bind(mail.kind.clone())
    .bind(not_before)
    .bind(mail.expires_at)
    .bind(mail.dedup_key.clone())
    .bind(mail.merge_key.clone())
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(None);
    }
    record_about(conn, &id, &mail.about).await?;
    Ok(Some(id))
}

/// Records which submissions message `id` concerns (each once).
async fn record_about(conn: &mut sqlx::AnyConnection, id: &str, about: &[String]) -> Result<()> {
    let mut seen = std::collections::BTreeSet::new();
    for sub in about.iter().filter(|s| seen.insert(s.as_str())) {
        sqlx::query("INSERT INTO mail_about (mail_id, submission_id) VALUES ($1, $2)")
            .bind(id.to_string())
            .bind(sub.clone())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

impl Store {
    /// Queues one message; `None` when its `dedup_key` was queued before.
    pub async fn queue_mail(&self, mail: &NewMail, now: i64) -> Result<Option<String>> {
        let mut conn = self.pool.acquire().await?;
        enqueue(&mut conn, mail, now).await
    }

    /// Queues all of `mails` in one transaction (all or none); how many were new (the
    /// others' `dedup_key` had been queued before).
    pub async fn queue_mails(&self, mails: &[NewMail], now: i64) -> Result<usize> {
        let mut tx = self.write_tx().await?;
        let mut queued = 0;
        for m in mails {
            if enqueue(&mut tx, m, now).await?.is_some() {
                queued += 1;
            }
        }
        tx.commit().await?;
        Ok(queued)
    }

    /// Queues `mails` and writes one audit row (`action` on `object`, `after` with the count
    /// of new messages added as `queued`) in one transaction: how many were new.
    pub async fn queue_mails_audited(
        &self,
        mails: &[NewMail],
        now: i64,
        actor: &str,
        action: &str,
        object: (&str, &str),
        mut after: serde_json::Value,
    ) -> Result<usize> {
        let mut tx = self.pool.begin().await?;
        let mut queued = 0;
        for m in mails {
            if enqueue(&mut tx, m, now).await?.is_some() {
                queued += 1;
            }
        }
        if let Some(obj) = after.as_object_mut() {
            obj.insert("queued".into(), serde_json::json!(queued));
        }
        audit(&mut tx, now, Some(actor), action, object, None, Some(after)).await?;
        tx.commit().await?;
        Ok(queued)
    }

    /// Every reviewer with a missing review (see [`MissingReviews`]), by e-mail address.
    pub async fn missing_reviews(&self) -> Result<Vec<MissingReviews>> {
        self.missing_reviews_where(None).await
    }

    /// The missing reviews that an organizer reopened until after `now`: the only ones a
    /// reminder may still ask for once the reviews deadline has passed.
    pub async fn reopened_missing_reviews(&self, now: i64) -> Result<Vec<MissingReviews>> {
        self.missing_reviews_where(Some(now)).await
    }

    async fn missing_reviews_where(
        &self,
        reopened_after: Option<i64>,
    ) -> Result<Vec<MissingReviews>> {
        let rows = sqlx::query(
            "SELECT a.person_id, p.email, p.name, s.id AS submission_id, s.number, s.title, \
             r.reopened_until \
             FROM assignments a JOIN submissions s ON s.id = a.submission_id \
             JOIN people p ON p.id = a.person_id \
             LEFT JOIN reviews r ON r.submission_id = a.submission_id AND r.reviewer_id = a.person_id \
             WHERE a.role = 'reviewer' AND a.removed_at IS NULL \
             AND (r.state IS NULL OR r.state <> 'submitted') \
             AND NOT EXISTS (SELECT 1 FROM conflicts c WHERE c.submission_id = a.submission_id AND c.person_id = a.person_id) \
             AND ($1 IS NULL OR r.reopened_until > $1) \
             ORDER BY p.email, s.number",
        )
        .bind(reopened_after)
        .fetch_all(&self.pool)
        .await?;
        let mut out: Vec<MissingReviews> = Vec::new();
        for r in &rows {
            let id = get_s(r, "person_id")?;
            let sub = crate::Listed {
                id: get_s(r, "submission_id")?,
                number: r.try_get("number")?,
                title: get_s(r, "title")?,
                reopened_until: r.try_get("reopened_until")?,
            };
            match out.last_mut() {
                Some(last) if last.reviewer_id == id => last.submissions.push(sub),
                _ => out.push(MissingReviews {
                    reviewer_id: id,
                    email: get_s(r, "email")?,
                    name: get_s(r, "name")?,
                    submissions: vec![sub],
                }),
            }
        }
        Ok(out)
    }

    /// Takes the next due message for `lease` seconds, or `None` when nothing is due. Rows
    /// past their `expires_at` are given up on the way.
    pub async fn claim_mail(&self, now: i64, lease: i64) -> Result<Option<ClaimedMail>> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE mail_outbox SET failed_at = $1, claimed_until = NULL, claim_token = NULL, \
             last_error = 'expired before it could be sent' \
             WHERE expires_at IS NOT NULL AND expires_at <= $1 AND {DUE}"
        )))
        .bind(now)
        .execute(&self.pool)
        .await?;
        let candidates = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT id FROM mail_outbox WHERE {DUE} ORDER BY next_attempt_at, created_at, id LIMIT 8"
        )))
        .bind(now)
        .fetch_all(&self.pool)
        .await?;
        for row in candidates {
            let id = get_s(&row, "id")?;
            let claim = new_id();
            // Conditional on the row still being due: of two senders racing for it, one
            // updates it and the other sees 0 rows and tries the next.
            let done = sqlx::query(sqlx::AssertSqlSafe(format!(
                "UPDATE mail_outbox SET claimed_until = $2, claim_token = $3, attempts = attempts + 1 \
                 WHERE id = $4 AND {DUE}"
            )))
            .bind(now)
            .bind(now + lease)
            .bind(claim.clone())
            .bind(id.clone())
            .execute(&self.pool)
            .await?;
            if done.rows_affected() != 1 {
                continue;
            }
            let r = sqlx::query(
                "SELECT id, to_address, subject, body, kind, attempts, claimed_until FROM mail_outbox \
                 WHERE id = $1 AND claim_token = $2",
            )
            .bind(id)
            .bind(claim.clone())
            .fetch_optional(&self.pool)
            .await?;
            if let Some(r) = r {
                return Ok(Some(ClaimedMail {
                    id: get_s(&r, "id")?,
                    claim,
                    to_address: get_s(&r, "to_address")?,
                    subject: get_s(&r, "subject")?,
                    body: get_s(&r, "body")?,
                    kind: get_s(&r, "kind")?,
                    attempts: r.try_get("attempts")?,
                    claimed_until: r.try_get("claimed_until")?,
                }));
            }
        }
        Ok(None)
    }

    /// Marks a claimed message sent; `false` when the claim was lost (the lease ran out and
    /// another sender took the row).
    pub async fn mail_sent(&self, claim: &ClaimedMail, now: i64) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE mail_outbox SET sent_at = $3, claimed_until = NULL, claim_token = NULL, last_error = NULL \
             WHERE id = $1 AND claim_token = $2 AND sent_at IS NULL",
        )
        .bind(claim.id.clone())
        .bind(claim.claim.clone())
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Records a failed attempt: tried again at `retry_at`, or given up (`None`), with
    /// `error` kept. `false` when the claim was lost.
    pub async fn mail_failed(
        &self,
        claim: &ClaimedMail,
        now: i64,
        error: &str,
        retry_at: Option<i64>,
    ) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE mail_outbox SET claimed_until = NULL, claim_token = NULL, last_error = $3, \
             next_attempt_at = CASE WHEN $4 < 0 THEN next_attempt_at ELSE $4 END, \
             failed_at = CASE WHEN $4 < 0 THEN $5 ELSE NULL END \
             WHERE id = $1 AND claim_token = $2 AND sent_at IS NULL",
        )
        .bind(claim.id.clone())
        .bind(claim.claim.clone())
        .bind(error.to_string())
        .bind(retry_at.unwrap_or(-1))
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The earliest instant a message not yet sent or given up becomes claimable (its
    /// next attempt, or the end of the lease that holds it), for the worker's timer.
    pub async fn next_mail_at(&self) -> Result<Option<i64>> {
        let r = sqlx::query(
            "SELECT MIN(CASE WHEN claimed_until IS NOT NULL AND claimed_until > next_attempt_at \
             THEN claimed_until ELSE next_attempt_at END) AS due \
             FROM mail_outbox WHERE sent_at IS NULL AND failed_at IS NULL",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(r.try_get::<Option<i64>, _>("due")?)
    }

    /// The newest `limit` messages that `reader` may read, newest first, and how many others
    /// were left out: those about a submission `reader` has a conflict with or wrote (an
    /// assignment list, a reminder or a decision mail names its submissions and, for a
    /// decision, its authors).
    pub async fn outbox_for(&self, reader: &str, limit: i64) -> Result<(Vec<Mail>, i64)> {
        let hidden = format!(
            "EXISTS (SELECT 1 FROM mail_about ma WHERE ma.mail_id = m.id AND ma.submission_id IN {})",
            crate::submissions::BARRED
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {MAIL_COLS} FROM mail_outbox m WHERE NOT {hidden} \
             ORDER BY created_at DESC, id LIMIT $2"
        )))
        .bind(reader.to_string())
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let left_out: i64 = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) AS n FROM mail_outbox m WHERE {hidden}"
        )))
        .bind(reader.to_string())
        .fetch_one(&self.pool)
        .await?
        .try_get("n")?;
        Ok((rows.iter().map(mail_from).collect::<Result<_>>()?, left_out))
    }

    /// The newest `limit` messages, newest first: the whole queue, whoever it concerns (for
    /// tools and tests; pages read [`Store::outbox_for`]).
    pub async fn outbox(&self, limit: i64) -> Result<Vec<Mail>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {MAIL_COLS} FROM mail_outbox ORDER BY created_at DESC, id LIMIT $1"
        )))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(mail_from).collect()
    }
}
