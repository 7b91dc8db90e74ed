//! Bids, assignments (reviewers and area chairs, with stable pseudonyms) and reviews with
//! their saved versions. Reads for a person carry the conflict guard.

use crate::submissions::NOT_CONFLICTED;
use crate::{audit, get_s, new_id, Result, Store, StoreError};
use blogtrack_review::assign::Bid;
use blogtrack_review::form::Values;
use blogtrack_review::Role;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssignmentRow {
    pub submission_id: String,
    pub person_id: String,
    pub role: Role,
    pub pseudonym: String,
    /// When its holder was told of it by mail (`None`: not yet).
    pub announced_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewRow {
    pub id: String,
    pub submission_id: String,
    #[serde(skip)]
    pub reviewer_id: String,
    pub pseudonym: String,
    pub answers: Values,
    pub state: String,
    pub version: i64,
    pub updated_at: i64,
    pub submitted_at: Option<i64>,
    pub reopened_until: Option<i64>,
}

/// A review saved with a stale version: someone (another tab) saved in between.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StaleVersion;

fn review_from(r: &AnyRow) -> Result<ReviewRow> {
    let answers = get_s(r, "answers")?;
    Ok(ReviewRow {
        id: get_s(r, "id")?,
        submission_id: get_s(r, "submission_id")?,
        reviewer_id: get_s(r, "reviewer_id")?,
        pseudonym: r
            .try_get::<Option<String>, _>("pseudonym")?
            .unwrap_or_default(),
        answers: serde_json::from_str(&answers)
            .map_err(|e| StoreError::Corrupt(format!("review answers: {e}")))?,
        state: get_s(r, "state")?,
        version: r.try_get("version")?,
        updated_at: r.try_get("updated_at")?,
        submitted_at: r.try_get("submitted_at")?,
        reopened_until: r.try_get("reopened_until")?,
    })
}

const REVIEW_COLS: &str =
    "r.id, r.submission_id, r.reviewer_id, a.pseudonym, r.answers, r.state, r.version, \
     r.updated_at, r.submitted_at, r.reopened_until";

impl Store {
    pub async fn set_bid(&self, person: &str, submission: &str, bid: Bid, now: i64) -> Result<()> {
        let mut tx = self.write_tx().await?;
        let updated = sqlx::query(
            "UPDATE bids SET bid = $3, updated_at = $4 WHERE person_id = $1 AND submission_id = $2",
        )
        .bind(person.to_string())
        .bind(submission.to_string())
        .bind(bid.as_str().to_string())
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() == 0 {
            sqlx::query("INSERT INTO bids (person_id, submission_id, bid, updated_at) VALUES ($1, $2, $3, $4)")
                .bind(person.to_string())
                .bind(submission.to_string())
                .bind(bid.as_str().to_string())
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        audit(
            &mut tx,
            now,
            Some(person),
            "bid.set",
            ("submission", submission),
            None,
            Some(serde_json::json!({"bid": bid.as_str()})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every bid: (person, submission, bid).
    pub async fn bids(&self) -> Result<Vec<(String, String, Bid)>> {
        let rows = sqlx::query(
            "SELECT person_id, submission_id, bid FROM bids ORDER BY person_id, submission_id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let b = get_s(r, "bid")?;
                Ok((
                    get_s(r, "person_id")?,
                    get_s(r, "submission_id")?,
                    Bid::parse(&b).ok_or_else(|| StoreError::Corrupt(format!("bid `{b}`")))?,
                ))
            })
            .collect()
    }

    pub async fn assignments(&self) -> Result<Vec<AssignmentRow>> {
        let rows = sqlx::query(
            "SELECT submission_id, person_id, role, pseudonym, announced_at FROM assignments WHERE removed_at IS NULL \
             ORDER BY submission_id, role, pseudonym",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let role = get_s(r, "role")?;
                Ok(AssignmentRow {
                    submission_id: get_s(r, "submission_id")?,
                    person_id: get_s(r, "person_id")?,
                    role: Role::parse(&role)
                        .ok_or_else(|| StoreError::Corrupt(format!("role `{role}`")))?,
                    pseudonym: get_s(r, "pseudonym")?,
                    announced_at: r.try_get("announced_at")?,
                })
            })
            .collect()
    }

    /// Assigns `person` to `submission` in `role` (reviewer or area chair). A person already
    /// holding another role on it is refused (`Ok(false)`); a removed assignment comes back
    /// with its old pseudonym, and as not yet announced (its holder may have been told of the
    /// removal). Pseudonyms are "Reviewer A", "Reviewer B"… in assignment order.
    pub async fn assign(
        &self,
        submission: &str,
        person: &str,
        role: Role,
        by: &str,
        now: i64,
    ) -> Result<bool> {
        let mut tx = self.write_tx().await?;
        let existing = sqlx::query(
            "SELECT role, removed_at FROM assignments WHERE submission_id = $1 AND person_id = $2",
        )
        .bind(submission.to_string())
        .bind(person.to_string())
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(r) = existing {
            let removed: Option<i64> = r.try_get("removed_at")?;
            if get_s(&r, "role")? != role.as_str() {
                return Ok(false);
            }
            if removed.is_none() {
                return Ok(true);
            }
            sqlx::query("UPDATE assignments SET removed_at = NULL, announced_at = NULL WHERE submission_id = $1 AND person_id = $2")
                .bind(submission.to_string())
                .bind(person.to_string())
                .execute(&mut *tx)
                .await?;
        } else {
            let count: i64 = sqlx::query(
                "SELECT COUNT(*) AS n FROM assignments WHERE submission_id = $1 AND role = $2",
            )
            .bind(submission.to_string())
            .bind(role.as_str().to_string())
            .fetch_one(&mut *tx)
            .await?
            .try_get("n")?;
            let pseudonym = pseudonym(role, count);
            sqlx::query(
                "INSERT INTO assignments (submission_id, person_id, role, pseudonym, assigned_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(submission.to_string())
            .bind(person.to_string())
            .bind(role.as_str().to_string())
            .bind(pseudonym)
            .bind(by.to_string())
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        audit(
            &mut tx,
            now,
            Some(by),
            "assignment.add",
            ("submission", submission),
            None,
            Some(serde_json::json!({"person": person, "role": role.as_str()})),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    pub async fn unassign(&self, submission: &str, person: &str, by: &str, now: i64) -> Result<()> {
        let mut tx = self.write_tx().await?;
        sqlx::query("UPDATE assignments SET removed_at = $3 WHERE submission_id = $1 AND person_id = $2 AND removed_at IS NULL")
            .bind(submission.to_string())
            .bind(person.to_string())
            .bind(now)
            .execute(&mut *tx)
            .await?;
        audit(
            &mut tx,
            now,
            Some(by),
            "assignment.remove",
            ("submission", submission),
            Some(serde_json::json!({"person": person})),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The reviewer's own review of a submission (guarded).
    pub async fn own_review(&self, reviewer: &str, submission: &str) -> Result<Option<ReviewRow>> {
        let q = format!(
            "SELECT {REVIEW_COLS} FROM reviews r JOIN submissions s ON s.id = r.submission_id \
             LEFT JOIN assignments a ON a.submission_id = r.submission_id AND a.person_id = r.reviewer_id \
             WHERE r.reviewer_id = $1 AND r.submission_id = $2 AND {NOT_CONFLICTED}"
        );
        sqlx::query(sqlx::AssertSqlSafe(q))
            .bind(reviewer.to_string())
            .bind(submission.to_string())
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(review_from)
            .transpose()
    }

    /// The submitted reviews of a submission as `viewer` may load them (none when conflicted).
    pub async fn submitted_reviews_for(
        &self,
        viewer: &str,
        submission: &str,
    ) -> Result<Vec<ReviewRow>> {
        let q = format!(
            "SELECT {REVIEW_COLS} FROM reviews r JOIN submissions s ON s.id = r.submission_id \
             LEFT JOIN assignments a ON a.submission_id = r.submission_id AND a.person_id = r.reviewer_id \
             WHERE r.submission_id = $2 AND r.state = 'submitted' AND {NOT_CONFLICTED} ORDER BY a.pseudonym"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(q))
            .bind(viewer.to_string())
            .bind(submission.to_string())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(review_from).collect()
    }

    /// Every review (organizers' export and dashboards).
    pub async fn all_reviews(&self) -> Result<Vec<ReviewRow>> {
        let q = format!(
            "SELECT {REVIEW_COLS} FROM reviews r LEFT JOIN assignments a ON a.submission_id = r.submission_id \
             AND a.person_id = r.reviewer_id ORDER BY r.submission_id, a.pseudonym"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(q))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(review_from).collect()
    }

    /// Saves a review (a draft, or submitted with `submit`). `expected_version` is the
    /// version the form was loaded with (`None`: do not check). Once submitted, a review stays
    /// submitted; saving it again makes a new version. Durable when this returns.
    pub async fn save_review(
        &self,
        reviewer: &str,
        submission: &str,
        answers: &Values,
        submit: bool,
        expected_version: Option<i64>,
        now: i64,
    ) -> Result<std::result::Result<ReviewRow, StaleVersion>> {
        let json =
            serde_json::to_string(answers).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let mut tx = self.write_tx().await?;
        let saved = save_version(
            &mut tx,
            &REVIEW_FORM,
            reviewer,
            submission,
            &json,
            submit,
            expected_version,
            now,
        )
        .await?;
        let Ok((id, version, _)) = saved else {
            return Ok(Err(StaleVersion));
        };
        audit(
            &mut tx,
            now,
            Some(reviewer),
            if submit {
                "review.submit"
            } else {
                "review.save"
            },
            ("review", &id),
            None,
            Some(serde_json::json!({"version": version})),
        )
        .await?;
        tx.commit().await?;
        self.own_review(reviewer, submission)
            .await?
            .map(Ok)
            .ok_or_else(|| StoreError::Corrupt(format!("review {id} vanished")))
    }

    /// Lets a reviewer submit after the deadline, until `until`.
    pub async fn reopen_review(
        &self,
        submission: &str,
        reviewer: &str,
        until: i64,
        by: &str,
        now: i64,
    ) -> Result<bool> {
        let mut tx = self.write_tx().await?;
        let done = sqlx::query(
            "UPDATE reviews SET reopened_until = $3 WHERE submission_id = $1 AND reviewer_id = $2",
        )
        .bind(submission.to_string())
        .bind(reviewer.to_string())
        .bind(until)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            sqlx::query(
                "INSERT INTO reviews (id, submission_id, reviewer_id, answers, state, version, created_at, updated_at, reopened_until) \
                 VALUES ($1, $2, $3, '{}', 'draft', 0, $4, $4, $5)",
            )
            .bind(new_id())
            .bind(submission.to_string())
            .bind(reviewer.to_string())
            .bind(now)
            .bind(until)
            .execute(&mut *tx)
            .await?;
        }
        audit(
            &mut tx,
            now,
            Some(by),
            "review.reopen",
            ("submission", submission),
            None,
            Some(serde_json::json!({"reviewer": reviewer, "until": until})),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }
}

/// "Reviewer A" … "Reviewer Z", "Reviewer AA" …; "Area chair A" ….
pub fn pseudonym(role: Role, index: i64) -> String {
    let mut n = index.max(0) as u64;
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (n % 26) as u8);
        if n < 26 {
            break;
        }
        n = n / 26 - 1;
    }
    letters.reverse();
    let prefix = if role == Role::AreaChair {
        "Area chair"
    } else {
        "Reviewer"
    };
    format!("{prefix} {}", String::from_utf8_lossy(&letters))
}

/// A form one person fills in per submission and whose every save is kept as a version: a
/// review, or an area chair's meta-review. The names are the schema's, never input.
pub(crate) struct VersionedForm {
    table: &'static str,
    versions: &'static str,
    version_key: &'static str,
    person: &'static str,
    /// What else an update sets (a withdrawn meta-review comes back when saved again).
    on_update: &'static str,
}

pub(crate) const REVIEW_FORM: VersionedForm = VersionedForm {
    table: "reviews",
    versions: "review_versions",
    version_key: "review_id",
    person: "reviewer_id",
    on_update: "",
};

pub(crate) const META_REVIEW_FORM: VersionedForm = VersionedForm {
    table: "meta_reviews",
    versions: "meta_review_versions",
    version_key: "meta_review_id",
    person: "area_chair_id",
    on_update: "withdrawn_at = NULL, ",
};

/// Saves `json` as the next version of `person`'s form on `submission`, in `tx`: creates it or
/// updates it when `expected_version` (the version the form was loaded with, 0 for none yet;
/// `None`: do not check) still holds. Once submitted it stays submitted. Returns the form's id,
/// its new version and its state.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn save_version(
    tx: &mut sqlx::AnyConnection,
    form: &VersionedForm,
    person: &str,
    submission: &str,
    json: &str,
    submit: bool,
    expected_version: Option<i64>,
    now: i64,
) -> Result<std::result::Result<(String, i64, &'static str), StaleVersion>> {
    let VersionedForm {
        table,
        versions,
        version_key,
        person: person_col,
        on_update,
    } = form;
    let q = format!(
        "SELECT id, version, state FROM {table} WHERE submission_id = $1 AND {person_col} = $2"
    );
    let current = sqlx::query(sqlx::AssertSqlSafe(q))
        .bind(submission.to_string())
        .bind(person.to_string())
        .fetch_optional(&mut *tx)
        .await?;
    let (id, version, state) = match current {
        Some(r) => {
            let id = get_s(&r, "id")?;
            let version: i64 = r.try_get("version")?;
            if expected_version.is_some_and(|v| v != version) {
                return Ok(Err(StaleVersion));
            }
            let state = if submit || get_s(&r, "state")? == "submitted" {
                "submitted"
            } else {
                "draft"
            };
            let q = format!(
                "UPDATE {table} SET answers = $2, state = $3, version = version + 1, updated_at = $4, \
                 {on_update}\
                 submitted_at = CASE WHEN $3 = 'submitted' AND submitted_at IS NULL THEN $4 ELSE submitted_at END \
                 WHERE id = $1 AND version = $5"
            );
            let done = sqlx::query(sqlx::AssertSqlSafe(q))
                .bind(id.clone())
                .bind(json.to_string())
                .bind(state.to_string())
                .bind(now)
                .bind(version)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() != 1 {
                return Ok(Err(StaleVersion));
            }
            (id, version + 1, state)
        }
        None => {
            if expected_version.is_some_and(|v| v != 0) {
                return Ok(Err(StaleVersion));
            }
            let id = new_id();
            let state = if submit { "submitted" } else { "draft" };
            let q = format!(
                "INSERT INTO {table} (id, submission_id, {person_col}, answers, state, version, created_at, updated_at, submitted_at) \
                 VALUES ($1, $2, $3, $4, $5, 1, $6, $6, $7)"
            );
            sqlx::query(sqlx::AssertSqlSafe(q))
                .bind(id.clone())
                .bind(submission.to_string())
                .bind(person.to_string())
                .bind(json.to_string())
                .bind(state.to_string())
                .bind(now)
                .bind(submit.then_some(now))
                .execute(&mut *tx)
                .await?;
            (id, 1, state)
        }
    };
    let q = format!(
        "INSERT INTO {versions} ({version_key}, version, answers, state, saved_at) VALUES ($1, $2, $3, $4, $5)"
    );
    sqlx::query(sqlx::AssertSqlSafe(q))
        .bind(id.clone())
        .bind(version)
        .bind(json.to_string())
        .bind(state.to_string())
        .bind(now)
        .execute(&mut *tx)
        .await?;
    Ok(Ok((id, version, state)))
}
