//! Submissions, their authors and conflicts. Every read for a person goes through
//! [`NOT_CONFLICTED`], the conflict guard in SQL.

use crate::{audit, get_s, new_id, Result, Store, StoreError};
use blogtrack_review::conflict::{self, Author};
use blogtrack_review::Relation;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;
use std::collections::{BTreeMap, HashMap};

/// A submission without its authors (the anonymized view; authors come from
/// [`Store::authors`], for those allowed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Submission {
    pub id: String,
    pub number: i64,
    pub title: String,
    #[serde(rename = "abstract")]
    pub abstract_text: String,
    pub slug: String,
    pub pr_number: Option<i64>,
    pub head_commit: Option<String>,
    pub preview_url: Option<String>,
    pub extra: BTreeMap<String, String>,
    pub state: String,
    pub created_at: i64,
    pub updated_at: i64,
}

/// What an author enters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct NewSubmission {
    pub title: String,
    #[serde(rename = "abstract")]
    pub abstract_text: String,
    pub slug: String,
    pub authors: Vec<Author>,
    pub conflict_declaration: String,
    #[serde(default)]
    pub extra: BTreeMap<String, String>,
}

/// The guard every person-facing submission query carries (`$1` is the person's id): no
/// conflict row of that person with the submission `s`.
pub const NOT_CONFLICTED: &str =
    "NOT EXISTS (SELECT 1 FROM conflicts c WHERE c.submission_id = s.id AND c.person_id = $1)";

/// The ids of the submissions person `$1` has a conflict with or is an author of (by
/// e-mail address), as a parenthesized subquery: a macro so that [`MANAGED`] is built from the
/// same text at compile time.
macro_rules! barred {
    () => {
        "(SELECT c.submission_id FROM conflicts c WHERE c.person_id = $1 \
         UNION SELECT sa.submission_id FROM submission_authors sa JOIN people p ON p.email = sa.email \
         WHERE p.id = $1)"
    };
}

/// What nothing shows person `$1`, organizers included (the outbox and the audit log too):
/// the submissions of `barred!()`, for `submission_id IN {BARRED}`.
pub(crate) const BARRED: &str = barred!();

/// `$1` is an organizer and the submission `s` is not [`BARRED`] for them (no conflict, not
/// one of its authors).
const MANAGED: &str = concat!(
    "EXISTS (SELECT 1 FROM person_roles pr WHERE pr.person_id = $1 AND pr.role = 'organizer') \
     AND s.id NOT IN ",
    barred!()
);

const SUB_COLS: &str = "s.id, s.number, s.title, s.abstract, s.slug, s.pr_number, s.head_commit, \
     s.preview_url, s.extra, s.state, s.created_at, s.updated_at";

fn submission_from(row: &AnyRow) -> Result<Submission> {
    let extra = get_s(row, "extra")?;
    Ok(Submission {
        id: get_s(row, "id")?,
        number: row.try_get("number")?,
        title: get_s(row, "title")?,
        abstract_text: get_s(row, "abstract")?,
        slug: get_s(row, "slug")?,
        pr_number: row.try_get("pr_number")?,
        head_commit: row.try_get("head_commit")?,
        preview_url: row.try_get("preview_url")?,
        extra: serde_json::from_str(&extra)
            .map_err(|e| StoreError::Corrupt(format!("extra fields: {e}")))?,
        state: get_s(row, "state")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

impl Store {
    /// Creates a submission by `actor` (who must be among the authors: the caller checks).
    pub async fn create_submission(
        &self,
        actor: &str,
        new: &NewSubmission,
        now: i64,
    ) -> Result<Submission> {
        let id = new_id();
        let mut tx = self.write_tx().await?;
        let number: i64 = sqlx::query("SELECT COALESCE(MAX(number), 0) + 1 AS n FROM submissions")
            .fetch_one(&mut *tx)
            .await?
            .try_get("n")?;
        sqlx::query(
            "INSERT INTO submissions (id, number, title, abstract, slug, conflict_declaration, extra, state, \
             created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'submitted', $8, $9, $9)",
        )
        .bind(id.clone())
        .bind(number)
        .bind(new.title.clone())
        .bind(new.abstract_text.clone())
        .bind(new.slug.clone())
        .bind(new.conflict_declaration.clone())
        .bind(serde_json::to_string(&new.extra).unwrap_or_else(|_| "{}".into()))
        .bind(actor.to_string())
        .bind(now)
        .execute(&mut *tx)
        .await?;
        write_authors(&mut tx, &id, &new.authors).await?;
        audit(
            &mut tx,
            now,
            Some(actor),
            "submission.create",
            ("submission", &id),
            None,
            serde_json::to_value(new).ok(),
        )
        .await?;
        tx.commit().await?;
        self.refresh_conflicts_of_submission(&id, now).await?;
        self.submission_unguarded(&id)
            .await?
            .ok_or_else(|| StoreError::Corrupt(format!("submission {id} vanished")))
    }

    /// Replaces what the authors entered.
    pub async fn update_submission(
        &self,
        actor: &str,
        id: &str,
        new: &NewSubmission,
        now: i64,
    ) -> Result<()> {
        let before = self.submission_unguarded(id).await?;
        let mut tx = self.write_tx().await?;
        sqlx::query(
            "UPDATE submissions SET title = $2, abstract = $3, slug = $4, conflict_declaration = $5, extra = $6, \
             updated_at = $7 WHERE id = $1",
        )
        .bind(id.to_string())
        .bind(new.title.clone())
        .bind(new.abstract_text.clone())
        .bind(new.slug.clone())
        .bind(new.conflict_declaration.clone())
        .bind(serde_json::to_string(&new.extra).unwrap_or_else(|_| "{}".into()))
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM submission_authors WHERE submission_id = $1")
            .bind(id.to_string())
            .execute(&mut *tx)
            .await?;
        write_authors(&mut tx, id, &new.authors).await?;
        audit(
            &mut tx,
            now,
            Some(actor),
            "submission.update",
            ("submission", id),
            before.and_then(|b| serde_json::to_value(b).ok()),
            serde_json::to_value(new).ok(),
        )
        .await?;
        tx.commit().await?;
        self.refresh_conflicts_of_submission(id, now).await
    }

    /// Attaches a pull request (from `review sync`).
    pub async fn attach_pull_request(
        &self,
        id: &str,
        pr: i64,
        head: &str,
        preview_url: Option<&str>,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.write_tx().await?;
        sqlx::query("UPDATE submissions SET pr_number = $2, head_commit = $3, preview_url = COALESCE($4, preview_url), updated_at = $5 WHERE id = $1")
            .bind(id.to_string())
            .bind(pr)
            .bind(head.to_string())
            .bind(preview_url.map(str::to_string))
            .bind(now)
            .execute(&mut *tx)
            .await?;
        audit(
            &mut tx,
            now,
            None,
            "submission.sync",
            ("submission", id),
            None,
            Some(serde_json::json!({"pr": pr, "head": head})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A submission without any person's guard: for organizers' tools and the command line.
    pub async fn submission_unguarded(&self, id: &str) -> Result<Option<Submission>> {
        let q = format!("SELECT {SUB_COLS} FROM submissions s WHERE s.id = $1");
        sqlx::query(sqlx::AssertSqlSafe(q))
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(submission_from)
            .transpose()
    }

    pub async fn all_submissions(&self) -> Result<Vec<Submission>> {
        let q = format!("SELECT {SUB_COLS} FROM submissions s ORDER BY s.number");
        let rows = sqlx::query(sqlx::AssertSqlSafe(q))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(submission_from).collect()
    }

    /// The submissions `person` may manage: every submission when they are an organizer,
    /// except those they have a conflict with or are an author of; none for anyone else. The
    /// role and the conflicts are checked in the query, whatever the caller checked before
    /// (the organizers' assignment page lists reviewers' names).
    pub async fn submissions_managed_by(&self, person: &str) -> Result<Vec<Submission>> {
        let q = format!("SELECT {SUB_COLS} FROM submissions s WHERE {MANAGED} ORDER BY s.number");
        let rows = sqlx::query(sqlx::AssertSqlSafe(q))
            .bind(person.to_string())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(submission_from).collect()
    }

    /// One submission as [`Store::submissions_managed_by`] sees it.
    pub async fn submission_managed_by(
        &self,
        person: &str,
        id: &str,
    ) -> Result<Option<Submission>> {
        self.one_submission(MANAGED, person, id).await
    }

    /// The submission as `person` may load it: `None` when it does not exist or the person
    /// has a conflict with it.
    pub async fn submission_for(&self, person: &str, id: &str) -> Result<Option<Submission>> {
        self.one_submission(NOT_CONFLICTED, person, id).await
    }

    /// Submission `id` if `filter` (an SQL condition on `s`, with `$1` the person) lets
    /// `person` see it.
    async fn one_submission(
        &self,
        filter: &str,
        person: &str,
        id: &str,
    ) -> Result<Option<Submission>> {
        let q = format!("SELECT {SUB_COLS} FROM submissions s WHERE s.id = $2 AND {filter}");
        sqlx::query(sqlx::AssertSqlSafe(q))
            .bind(person.to_string())
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(submission_from)
            .transpose()
    }

    /// Every submission `person` has no conflict with.
    pub async fn submissions_for(&self, person: &str) -> Result<Vec<Submission>> {
        let q = format!(
            "SELECT {SUB_COLS} FROM submissions s WHERE {NOT_CONFLICTED} ORDER BY s.number"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(q))
            .bind(person.to_string())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(submission_from).collect()
    }

    pub async fn authors(&self, id: &str) -> Result<Vec<Author>> {
        let rows = sqlx::query(
            "SELECT name, email, institution FROM submission_authors WHERE submission_id = $1 ORDER BY position",
        )
        .bind(id.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Author {
                    name: get_s(r, "name")?,
                    email: get_s(r, "email")?,
                    institution: get_s(r, "institution")?,
                })
            })
            .collect()
    }

    pub async fn conflict_declaration(&self, id: &str) -> Result<String> {
        let r = sqlx::query("SELECT conflict_declaration FROM submissions WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await?;
        Ok(r.map(|r| get_s(&r, "conflict_declaration"))
            .transpose()?
            .unwrap_or_default())
    }

    /// How `person` stands to every submission (missing: unrelated).
    pub async fn relations(&self, person: &str, email: &str) -> Result<HashMap<String, Relation>> {
        let mut out = HashMap::new();
        let conflicted =
            sqlx::query("SELECT DISTINCT submission_id FROM conflicts WHERE person_id = $1")
                .bind(person.to_string())
                .fetch_all(&self.pool)
                .await?;
        for r in &conflicted {
            out.insert(get_s(r, "submission_id")?, Relation::Conflicted);
        }
        let assigned = sqlx::query(
            "SELECT a.submission_id, a.role, r.state FROM assignments a \
             LEFT JOIN reviews r ON r.submission_id = a.submission_id AND r.reviewer_id = a.person_id \
             WHERE a.person_id = $1 AND a.removed_at IS NULL",
        )
        .bind(person.to_string())
        .fetch_all(&self.pool)
        .await?;
        for r in &assigned {
            let sub = get_s(r, "submission_id")?;
            let rel = if get_s(r, "role")? == "area-chair" {
                Relation::AreaChair
            } else {
                let state: Option<String> = r.try_get("state")?;
                Relation::Reviewer {
                    submitted: state.as_deref() == Some("submitted"),
                }
            };
            out.entry(sub).or_insert(rel);
        }
        // Authorship last: it wins over everything.
        let authored =
            sqlx::query("SELECT DISTINCT submission_id FROM submission_authors WHERE email = $1")
                .bind(crate::people::normalize_email(email))
                .fetch_all(&self.pool)
                .await?;
        for r in &authored {
            out.insert(get_s(r, "submission_id")?, Relation::Author);
        }
        Ok(out)
    }

    pub async fn relation(&self, person: &str, email: &str, submission: &str) -> Result<Relation> {
        Ok(self
            .relations(person, email)
            .await?
            .get(submission)
            .copied()
            .unwrap_or(Relation::Unrelated))
    }

    /// "I have a conflict with this one."
    pub async fn declare_conflict(
        &self,
        person: &str,
        submission: &str,
        reason: &str,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.write_tx().await?;
        sqlx::query(
            "INSERT INTO conflicts (person_id, submission_id, source, reason, created_at) SELECT $1, $2, 'declared', $3, $4 \
             WHERE NOT EXISTS (SELECT 1 FROM conflicts WHERE person_id = $1 AND submission_id = $2 AND source = 'declared')",
        )
        .bind(person.to_string())
        .bind(submission.to_string())
        .bind(reason.to_string())
        .bind(now)
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            now,
            Some(person),
            "conflict.declare",
            ("submission", submission),
            None,
            Some(serde_json::json!({"reason": reason})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Recomputes the derived conflicts of one submission against everyone.
    pub async fn refresh_conflicts_of_submission(&self, id: &str, now: i64) -> Result<()> {
        let authors = self.authors(id).await?;
        let people = self.people().await?;
        let mut tx = self.write_tx().await?;
        sqlx::query("DELETE FROM conflicts WHERE submission_id = $1 AND source <> 'declared'")
            .bind(id.to_string())
            .execute(&mut *tx)
            .await?;
        for p in &people {
            insert_derived(
                &mut tx,
                &p.id,
                id,
                &conflict::derive(&p.profile(), &authors),
                now,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Recomputes the derived conflicts of one person against every submission.
    pub async fn refresh_conflicts_of_person(&self, person: &str, now: i64) -> Result<()> {
        let Some(p) = self.person(person).await? else {
            return Ok(());
        };
        let subs = self.all_submissions().await?;
        let mut derived = Vec::new();
        for s in &subs {
            derived.push((
                s.id.clone(),
                conflict::derive(&p.profile(), &self.authors(&s.id).await?),
            ));
        }
        let mut tx = self.write_tx().await?;
        sqlx::query("DELETE FROM conflicts WHERE person_id = $1 AND source <> 'declared'")
            .bind(person.to_string())
            .execute(&mut *tx)
            .await?;
        for (sub, reasons) in &derived {
            insert_derived(&mut tx, person, sub, reasons, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Every conflict row: (person, submission, source, reason).
    pub async fn conflicts(&self) -> Result<Vec<(String, String, String, String)>> {
        let rows = sqlx::query("SELECT person_id, submission_id, source, reason FROM conflicts ORDER BY submission_id, person_id, source")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    get_s(r, "person_id")?,
                    get_s(r, "submission_id")?,
                    get_s(r, "source")?,
                    get_s(r, "reason")?,
                ))
            })
            .collect()
    }
}

async fn insert_derived(
    tx: &mut sqlx::AnyConnection,
    person: &str,
    sub: &str,
    reasons: &[conflict::Reason],
    now: i64,
) -> Result<()> {
    // An author is related to their submission as its author, not as a conflict: their own
    // view must still load (and they share an institution with their co-authors).
    if reasons.contains(&conflict::Reason::IsAuthor) {
        return Ok(());
    }
    for reason in reasons {
        let (source, text) = reason.describe();
        sqlx::query(
            "INSERT INTO conflicts (person_id, submission_id, source, reason, created_at) SELECT $1, $2, $3, $4, $5 \
             WHERE NOT EXISTS (SELECT 1 FROM conflicts WHERE person_id = $1 AND submission_id = $2 AND source = $3)",
        )
        .bind(person.to_string())
        .bind(sub.to_string())
        .bind(source.to_string())
        .bind(text)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

async fn write_authors(tx: &mut sqlx::AnyConnection, id: &str, authors: &[Author]) -> Result<()> {
    for (i, a) in authors.iter().enumerate() {
        sqlx::query(
            "INSERT INTO submission_authors (submission_id, position, name, email, institution) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id.to_string())
        .bind(i as i64)
        .bind(a.name.trim().to_string())
        .bind(crate::people::normalize_email(&a.email))
        .bind(a.institution.trim().to_string())
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}
