//! Area chairs' meta-reviews (drafts, submitted, versions kept) and organizers' decisions
//! (outcome, award, poster session). Deciding again supersedes the current decision, a
//! decision or meta-review is withdrawn, never deleted; each change writes its audit row in the
//! same transaction. [`Store::decided_submissions`] is what `review publish` reads.
//!
//! Whether a decision may be shown (its release at the `decisions` date) is the server's rule:
//! these functions return the stored rows to whoever calls them.

use crate::reviews::{save_version, StaleVersion, META_REVIEW_FORM};
use crate::submissions::NOT_CONFLICTED;
use crate::{audit, get_s, new_id, Result, Store, StoreError};
use blogtrack_review::form::Values;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;

/// One decision an organizer takes (a row of the bulk-decision table).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct NewDecision {
    pub submission_id: String,
    /// The decision option's key from the config (`accept`, `reject`, …).
    pub outcome: String,
    /// Whether that option accepts the submission (copied from the config).
    pub accepted: bool,
    /// An award key from the config (`best-post`, `runner-up`, …).
    pub award: Option<String>,
    /// Presented at the poster session.
    pub poster: bool,
    /// A note for the organizers' record.
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DecisionRow {
    pub id: String,
    pub submission_id: String,
    pub outcome: String,
    pub accepted: bool,
    pub award: Option<String>,
    pub poster: bool,
    pub note: String,
    pub decided_by: String,
    pub decided_at: i64,
    pub superseded_at: Option<i64>,
    pub superseded_by: Option<String>,
    pub withdrawn_at: Option<i64>,
}

/// A submission with its current decision: what `blogtrack review publish` writes into the
/// track (`_data/decisions.yml`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DecidedSubmission {
    pub submission_id: String,
    pub number: i64,
    pub slug: String,
    pub title: String,
    pub outcome: String,
    pub accepted: bool,
    pub award: Option<String>,
    pub poster: bool,
    pub decided_at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetaReviewRow {
    pub id: String,
    pub submission_id: String,
    #[serde(skip)]
    pub area_chair_id: String,
    /// The area chair's pseudonym on this submission ("Area chair A").
    pub pseudonym: String,
    pub answers: Values,
    pub state: String,
    pub version: i64,
    pub updated_at: i64,
    pub submitted_at: Option<i64>,
    pub withdrawn_at: Option<i64>,
}

const DECISION_COLS: &str = "d.id, d.submission_id, d.outcome, d.accepted, d.award, d.poster, \
     d.note, d.decided_by, d.decided_at, d.superseded_at, d.superseded_by, d.withdrawn_at";

/// The current decision's row `d` (neither superseded nor withdrawn).
const CURRENT: &str = "d.superseded_at IS NULL AND d.withdrawn_at IS NULL";

fn decision_from(r: &AnyRow) -> Result<DecisionRow> {
    Ok(DecisionRow {
        id: get_s(r, "id")?,
        submission_id: get_s(r, "submission_id")?,
        outcome: get_s(r, "outcome")?,
        accepted: r.try_get::<i64, _>("accepted")? != 0,
        award: r.try_get("award")?,
        poster: r.try_get::<i64, _>("poster")? != 0,
        note: get_s(r, "note")?,
        decided_by: get_s(r, "decided_by")?,
        decided_at: r.try_get("decided_at")?,
        superseded_at: r.try_get("superseded_at")?,
        superseded_by: r.try_get("superseded_by")?,
        withdrawn_at: r.try_get("withdrawn_at")?,
    })
}

const META_COLS: &str = "m.id, m.submission_id, m.area_chair_id, a.pseudonym, m.answers, m.state, \
     m.version, m.updated_at, m.submitted_at, m.withdrawn_at";

fn meta_from(r: &AnyRow) -> Result<MetaReviewRow> {
    let answers = get_s(r, "answers")?;
    Ok(MetaReviewRow {
        id: get_s(r, "id")?,
        submission_id: get_s(r, "submission_id")?,
        area_chair_id: get_s(r, "area_chair_id")?,
        pseudonym: r
            .try_get::<Option<String>, _>("pseudonym")?
            .unwrap_or_else(|| "Area chair".into()),
        answers: serde_json::from_str(&answers)
            .map_err(|e| StoreError::Corrupt(format!("meta-review answers: {e}")))?,
        state: get_s(r, "state")?,
        version: r.try_get("version")?,
        updated_at: r.try_get("updated_at")?,
        submitted_at: r.try_get("submitted_at")?,
        withdrawn_at: r.try_get("withdrawn_at")?,
    })
}

fn decision_json(d: &NewDecision) -> serde_json::Value {
    serde_json::json!({
        "outcome": d.outcome, "accepted": d.accepted, "award": d.award,
        "poster": d.poster, "note": d.note,
    })
}

fn row_json(d: &DecisionRow) -> serde_json::Value {
    serde_json::json!({
        "id": d.id, "outcome": d.outcome, "accepted": d.accepted, "award": d.award,
        "poster": d.poster, "note": d.note,
    })
}

impl Store {
    /// Takes every decision of `rows` in one transaction: each supersedes the submission's
    /// current decision (kept, with `superseded_at`). A row naming no submission fails the
    /// whole batch (`StoreError::Corrupt` naming it) and nothing is written.
    pub async fn decide(
        &self,
        by: &str,
        rows: &[NewDecision],
        now: i64,
    ) -> Result<Vec<DecisionRow>> {
        let mut tx = self.write_tx().await?;
        let mut ids = Vec::with_capacity(rows.len());
        for d in rows {
            let exists = sqlx::query("SELECT id FROM submissions WHERE id = $1")
                .bind(d.submission_id.clone())
                .fetch_optional(&mut *tx)
                .await?;
            if exists.is_none() {
                return Err(StoreError::Corrupt(format!(
                    "no submission has the id `{}`",
                    d.submission_id
                )));
            }
            let q = format!(
                "SELECT {DECISION_COLS} FROM decisions d WHERE d.submission_id = $1 AND {CURRENT}"
            );
            let before = sqlx::query(sqlx::AssertSqlSafe(q))
                .bind(d.submission_id.clone())
                .fetch_optional(&mut *tx)
                .await?
                .as_ref()
                .map(decision_from)
                .transpose()?;
            let id = new_id();
            if let Some(b) = &before {
                sqlx::query(
                    "UPDATE decisions SET superseded_at = $2, superseded_by = $3 WHERE id = $1",
                )
                .bind(b.id.clone())
                .bind(now)
                .bind(id.clone())
                .execute(&mut *tx)
                .await?;
            }
            sqlx::query(
                "INSERT INTO decisions (id, submission_id, outcome, accepted, award, poster, note, decided_by, decided_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(id.clone())
            .bind(d.submission_id.clone())
            .bind(d.outcome.clone())
            .bind(i64::from(d.accepted))
            .bind(d.award.clone())
            .bind(i64::from(d.poster))
            .bind(d.note.clone())
            .bind(by.to_string())
            .bind(now)
            .execute(&mut *tx)
            .await?;
            audit(
                &mut tx,
                now,
                Some(by),
                "decision.set",
                ("submission", &d.submission_id),
                before.as_ref().map(row_json),
                Some(decision_json(d)),
            )
            .await?;
            ids.push(id);
        }
        tx.commit().await?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let q = format!("SELECT {DECISION_COLS} FROM decisions d WHERE d.id = $1");
            let r = sqlx::query(sqlx::AssertSqlSafe(q))
                .bind(id)
                .fetch_one(&self.pool)
                .await?;
            out.push(decision_from(&r)?);
        }
        Ok(out)
    }

    /// Withdraws the current decision of a submission (the row stays, with `withdrawn_at`).
    /// `false` when it had none.
    pub async fn withdraw_decision(&self, submission: &str, by: &str, now: i64) -> Result<bool> {
        let mut tx = self.write_tx().await?;
        let q = format!(
            "SELECT {DECISION_COLS} FROM decisions d WHERE d.submission_id = $1 AND {CURRENT}"
        );
        let Some(before) = sqlx::query(sqlx::AssertSqlSafe(q))
            .bind(submission.to_string())
            .fetch_optional(&mut *tx)
            .await?
            .as_ref()
            .map(decision_from)
            .transpose()?
        else {
            return Ok(false);
        };
        sqlx::query("UPDATE decisions SET withdrawn_at = $2 WHERE id = $1")
            .bind(before.id.clone())
            .bind(now)
            .execute(&mut *tx)
            .await?;
        audit(
            &mut tx,
            now,
            Some(by),
            "decision.withdraw",
            ("submission", submission),
            Some(row_json(&before)),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// The current decision of a submission, whoever asks (the server decides whether it is
    /// released to the viewer).
    pub async fn current_decision(&self, submission: &str) -> Result<Option<DecisionRow>> {
        let q = format!(
            "SELECT {DECISION_COLS} FROM decisions d WHERE d.submission_id = $1 AND {CURRENT}"
        );
        sqlx::query(sqlx::AssertSqlSafe(q))
            .bind(submission.to_string())
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(decision_from)
            .transpose()
    }

    /// Every decision ever taken on a submission, oldest first (superseded and withdrawn too).
    pub async fn decision_history(&self, submission: &str) -> Result<Vec<DecisionRow>> {
        let q = format!(
            "SELECT {DECISION_COLS} FROM decisions d WHERE d.submission_id = $1 ORDER BY d.decided_at, d.id"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(q))
            .bind(submission.to_string())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(decision_from).collect()
    }

    /// The current decision of every submission that has one.
    pub async fn current_decisions(&self) -> Result<Vec<DecisionRow>> {
        let q = format!(
            "SELECT {DECISION_COLS} FROM decisions d WHERE {CURRENT} ORDER BY d.submission_id"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(q))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(decision_from).collect()
    }

    /// The decided submissions (current decision only; withdrawn submissions left out), by
    /// submission number: slug, outcome, award and poster flag for `review publish`.
    pub async fn decided_submissions(&self) -> Result<Vec<DecidedSubmission>> {
        let q = format!(
            "SELECT s.id AS sid, s.number, s.slug, s.title, d.outcome, d.accepted, d.award, d.poster, d.decided_at \
             FROM decisions d JOIN submissions s ON s.id = d.submission_id \
             WHERE {CURRENT} AND s.state <> 'withdrawn' ORDER BY s.number"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(q))
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(DecidedSubmission {
                    submission_id: get_s(r, "sid")?,
                    number: r.try_get("number")?,
                    slug: get_s(r, "slug")?,
                    title: get_s(r, "title")?,
                    outcome: get_s(r, "outcome")?,
                    accepted: r.try_get::<i64, _>("accepted")? != 0,
                    award: r.try_get("award")?,
                    poster: r.try_get::<i64, _>("poster")? != 0,
                    decided_at: r.try_get("decided_at")?,
                })
            })
            .collect()
    }
}

impl Store {
    /// The area chair's own meta-review of a submission (guarded).
    pub async fn own_meta_review(
        &self,
        area_chair: &str,
        submission: &str,
    ) -> Result<Option<MetaReviewRow>> {
        let q = format!(
            "SELECT {META_COLS} FROM meta_reviews m JOIN submissions s ON s.id = m.submission_id \
             LEFT JOIN assignments a ON a.submission_id = m.submission_id AND a.person_id = m.area_chair_id \
             WHERE m.area_chair_id = $1 AND m.submission_id = $2 AND {NOT_CONFLICTED}"
        );
        sqlx::query(sqlx::AssertSqlSafe(q))
            .bind(area_chair.to_string())
            .bind(submission.to_string())
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(meta_from)
            .transpose()
    }

    /// The submitted, not withdrawn meta-reviews of a submission as `viewer` may load them
    /// (none when conflicted).
    pub async fn meta_reviews_for(
        &self,
        viewer: &str,
        submission: &str,
    ) -> Result<Vec<MetaReviewRow>> {
        let q = format!(
            "SELECT {META_COLS} FROM meta_reviews m JOIN submissions s ON s.id = m.submission_id \
             LEFT JOIN assignments a ON a.submission_id = m.submission_id AND a.person_id = m.area_chair_id \
             WHERE m.submission_id = $2 AND m.state = 'submitted' AND m.withdrawn_at IS NULL \
             AND {NOT_CONFLICTED} ORDER BY a.pseudonym"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(q))
            .bind(viewer.to_string())
            .bind(submission.to_string())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(meta_from).collect()
    }

    /// Every meta-review (organizers' dashboard and export), withdrawn ones included.
    pub async fn all_meta_reviews(&self) -> Result<Vec<MetaReviewRow>> {
        let q = format!(
            "SELECT {META_COLS} FROM meta_reviews m LEFT JOIN assignments a \
             ON a.submission_id = m.submission_id AND a.person_id = m.area_chair_id \
             ORDER BY m.submission_id, m.id"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(q))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(meta_from).collect()
    }

    /// Saves a meta-review (a draft, or submitted with `submit`; once submitted it stays so).
    /// `expected_version`: the version the form was loaded with (0 for none yet). A withdrawn
    /// meta-review saved again comes back. Every save is a new version.
    pub async fn save_meta_review(
        &self,
        area_chair: &str,
        submission: &str,
        answers: &Values,
        submit: bool,
        expected_version: Option<i64>,
        now: i64,
    ) -> Result<std::result::Result<MetaReviewRow, StaleVersion>> {
        let json =
            serde_json::to_string(answers).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let mut tx = self.write_tx().await?;
        let saved = save_version(
            &mut tx,
            &META_REVIEW_FORM,
            area_chair,
            submission,
            &json,
            submit,
            expected_version,
            now,
        )
        .await?;
        let Ok((id, version, state)) = saved else {
            return Ok(Err(StaleVersion));
        };
        let action = if submit {
            "meta-review.submit"
        } else {
            "meta-review.save"
        };
        let after = serde_json::json!({"version": version, "state": state});
        audit(
            &mut tx,
            now,
            Some(area_chair),
            action,
            ("meta-review", &id),
            None,
            Some(after),
        )
        .await?;
        tx.commit().await?;
        self.own_meta_review(area_chair, submission)
            .await?
            .map(Ok)
            .ok_or_else(|| StoreError::Corrupt(format!("meta-review {id} vanished")))
    }

    /// Withdraws a meta-review (kept, with `withdrawn_at`). `false` when there is none.
    pub async fn withdraw_meta_review(
        &self,
        area_chair: &str,
        submission: &str,
        by: &str,
        now: i64,
    ) -> Result<bool> {
        let mut tx = self.write_tx().await?;
        let done = sqlx::query(
            "UPDATE meta_reviews SET withdrawn_at = $3 WHERE submission_id = $1 AND area_chair_id = $2 \
             AND withdrawn_at IS NULL",
        )
        .bind(submission.to_string())
        .bind(area_chair.to_string())
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        let before = serde_json::json!({"area_chair": area_chair});
        audit(
            &mut tx,
            now,
            Some(by),
            "meta-review.withdraw",
            ("submission", submission),
            Some(before),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }
}
