//! People, their roles and what they declared about themselves for conflicts.

use crate::{audit, get_s, lines, new_id, Result, Store};
use blogtrack_review::conflict::Profile;
use blogtrack_review::{Role, Roles};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Person {
    pub id: String,
    pub email: String,
    pub name: String,
    pub institution: String,
    pub other_institutions: Vec<String>,
    pub coauthors: Vec<String>,
    pub roles: Roles,
}

impl Person {
    pub fn profile(&self) -> Profile {
        let mut institutions = vec![self.institution.clone()];
        institutions.extend(self.other_institutions.iter().cloned());
        Profile {
            email: self.email.clone(),
            institutions,
            coauthors: self.coauthors.clone(),
        }
    }
}

/// E-mail addresses compare without case and surrounding spaces.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

const PERSON_COLS: &str = "id, email, name, institution, other_institutions, coauthors";

impl Store {
    async fn person_from(&self, row: &AnyRow) -> Result<Person> {
        let id = get_s(row, "id")?;
        let roles = sqlx::query("SELECT role FROM person_roles WHERE person_id = $1")
            .bind(id.clone())
            .fetch_all(&self.pool)
            .await?
            .iter()
            .filter_map(|r| r.try_get::<String, _>("role").ok())
            .filter_map(|r| Role::parse(&r))
            .collect();
        Ok(Person {
            email: get_s(row, "email")?,
            name: get_s(row, "name")?,
            institution: get_s(row, "institution")?,
            other_institutions: lines(&get_s(row, "other_institutions")?),
            coauthors: lines(&get_s(row, "coauthors")?),
            roles: Roles::new(roles),
            id,
        })
    }

    pub async fn person(&self, id: &str) -> Result<Option<Person>> {
        let q = format!("SELECT {PERSON_COLS} FROM people WHERE id = $1");
        match sqlx::query(sqlx::AssertSqlSafe(q))
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await?
        {
            Some(row) => Ok(Some(self.person_from(&row).await?)),
            None => Ok(None),
        }
    }

    pub async fn person_by_email(&self, email: &str) -> Result<Option<Person>> {
        let q = format!("SELECT {PERSON_COLS} FROM people WHERE email = $1");
        match sqlx::query(sqlx::AssertSqlSafe(q))
            .bind(normalize_email(email))
            .fetch_optional(&self.pool)
            .await?
        {
            Some(row) => Ok(Some(self.person_from(&row).await?)),
            None => Ok(None),
        }
    }

    pub async fn people(&self) -> Result<Vec<Person>> {
        let q = format!("SELECT {PERSON_COLS} FROM people ORDER BY email");
        let rows = sqlx::query(sqlx::AssertSqlSafe(q))
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            out.push(self.person_from(row).await?);
        }
        Ok(out)
    }

    /// The person with this e-mail, created with `roles` when new; an existing person gains
    /// the roles they lacked. Derived conflicts are brought up to date.
    pub async fn ensure_person(
        &self,
        email: &str,
        name: &str,
        institution: &str,
        roles: &[Role],
        actor: Option<&str>,
        now: i64,
    ) -> Result<Person> {
        let email = normalize_email(email);
        let mut tx = self.write_tx().await?;
        let existing: Option<String> = sqlx::query("SELECT id FROM people WHERE email = $1")
            .bind(email.clone())
            .fetch_optional(&mut *tx)
            .await?
            .map(|r| r.try_get("id"))
            .transpose()?;
        let id = match existing {
            Some(id) => id,
            None => {
                let id = new_id();
                sqlx::query(
                    "INSERT INTO people (id, email, name, institution, other_institutions, coauthors, created_at) \
                     VALUES ($1, $2, $3, $4, '', '', $5)",
                )
                .bind(id.clone())
                .bind(email.clone())
                .bind(name.trim().to_string())
                .bind(institution.trim().to_string())
                .bind(now)
                .execute(&mut *tx)
                .await?;
                audit(
                    &mut tx,
                    now,
                    actor,
                    "person.create",
                    ("person", &id),
                    None,
                    Some(serde_json::json!({"email": email, "name": name})),
                )
                .await?;
                id
            }
        };
        for role in roles {
            let added = sqlx::query(
                "INSERT INTO person_roles (person_id, role, granted_at) SELECT $1, $2, $3 \
                 WHERE NOT EXISTS (SELECT 1 FROM person_roles WHERE person_id = $1 AND role = $2)",
            )
            .bind(id.clone())
            .bind(role.as_str().to_string())
            .bind(now)
            .execute(&mut *tx)
            .await?;
            if added.rows_affected() > 0 {
                audit(
                    &mut tx,
                    now,
                    actor,
                    "role.grant",
                    ("person", &id),
                    None,
                    Some(serde_json::json!({"role": role.as_str()})),
                )
                .await?;
            }
        }
        tx.commit().await?;
        self.refresh_conflicts_of_person(&id, now).await?;
        self.person(&id)
            .await?
            .ok_or_else(|| crate::StoreError::Corrupt(format!("person {id} vanished")))
    }

    /// Updates what a person declared about themselves (for conflicts).
    pub async fn set_profile(
        &self,
        id: &str,
        name: &str,
        institution: &str,
        other_institutions: &[String],
        coauthors: &[String],
        now: i64,
    ) -> Result<()> {
        let mut tx = self.write_tx().await?;
        sqlx::query(
            "UPDATE people SET name = $2, institution = $3, other_institutions = $4, coauthors = $5 WHERE id = $1",
        )
        .bind(id.to_string())
        .bind(name.trim().to_string())
        .bind(institution.trim().to_string())
        .bind(other_institutions.join("\n"))
        .bind(coauthors.join("\n"))
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            now,
            Some(id),
            "person.profile",
            ("person", id),
            None,
            None,
        )
        .await?;
        tx.commit().await?;
        self.refresh_conflicts_of_person(id, now).await
    }
}
