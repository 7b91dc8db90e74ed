//! Sign-in links, sessions, invitations and the sign-in rate limit (the mail queue is in `outbox`). Only
//! hashes of secrets are stored: a copy of the database signs nobody in.

use crate::outbox::{enqueue, NewMail};
use crate::{audit, get_s, new_id, Result, Store};
use blogtrack_review::Role;
use sqlx::Row;

#[derive(Debug, Clone)]
pub struct Session {
    pub person_id: String,
    pub csrf_token: String,
    pub expires_at: i64,
}

#[derive(Debug, Clone)]
pub struct Invitation {
    pub email: String,
    pub name: String,
    pub role: Role,
}

impl Store {
    pub async fn create_sign_in_link(
        &self,
        token_hash: &str,
        person_id: &str,
        now: i64,
        ttl: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO sign_in_links (token_hash, person_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash.to_string())
        .bind(person_id.to_string())
        .bind(now)
        .bind(now + ttl)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Makes a sign-in link and queues the mail that carries it, in one transaction.
    pub async fn create_sign_in_link_mailed(
        &self,
        token_hash: &str,
        person_id: &str,
        now: i64,
        ttl: i64,
        mail: &NewMail,
    ) -> Result<()> {
        let mut tx = self.write_tx().await?;
        sqlx::query(
            "INSERT INTO sign_in_links (token_hash, person_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash.to_string())
        .bind(person_id.to_string())
        .bind(now)
        .bind(now + ttl)
        .execute(&mut *tx)
        .await?;
        enqueue(&mut tx, mail, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Uses a sign-in link once: the person it signs in, or `None` when the link is unknown,
    /// expired or already used (one atomic UPDATE, so two tabs cannot both use it).
    pub async fn use_sign_in_link(&self, token_hash: &str, now: i64) -> Result<Option<String>> {
        let mut tx = self.write_tx().await?;
        let done = sqlx::query(
            "UPDATE sign_in_links SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
        )
        .bind(token_hash.to_string())
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Ok(None);
        }
        let person: String =
            sqlx::query("SELECT person_id FROM sign_in_links WHERE token_hash = $1")
                .bind(token_hash.to_string())
                .fetch_one(&mut *tx)
                .await?
                .try_get("person_id")?;
        tx.commit().await?;
        Ok(Some(person))
    }

    /// Records a sign-in request under `key` and says how many were made since `since`
    /// (this one included).
    pub async fn count_sign_in_request(&self, key: &str, now: i64, since: i64) -> Result<i64> {
        sqlx::query("INSERT INTO sign_in_requests (id, rate_key, at) VALUES ($1, $2, $3)")
            .bind(new_id())
            .bind(key.to_string())
            .bind(now)
            .execute(&self.pool)
            .await?;
        let n: i64 = sqlx::query(
            "SELECT COUNT(*) AS n FROM sign_in_requests WHERE rate_key = $1 AND at > $2",
        )
        .bind(key.to_string())
        .bind(since)
        .fetch_one(&self.pool)
        .await?
        .try_get("n")?;
        Ok(n)
    }

    pub async fn create_session(
        &self,
        token_hash: &str,
        person_id: &str,
        csrf: &str,
        now: i64,
        ttl: i64,
    ) -> Result<()> {
        let mut tx = self.write_tx().await?;
        sqlx::query(
            "INSERT INTO sessions (token_hash, person_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash.to_string())
        .bind(person_id.to_string())
        .bind(csrf.to_string())
        .bind(now)
        .bind(now + ttl)
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            now,
            Some(person_id),
            "session.start",
            ("person", person_id),
            None,
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The live session with this token hash.
    pub async fn session(&self, token_hash: &str, now: i64) -> Result<Option<Session>> {
        let row = sqlx::query(
            "SELECT person_id, csrf_token, expires_at FROM sessions \
             WHERE token_hash = $1 AND ended_at IS NULL AND expires_at > $2",
        )
        .bind(token_hash.to_string())
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(Session {
                person_id: get_s(&r, "person_id")?,
                csrf_token: get_s(&r, "csrf_token")?,
                expires_at: r.try_get("expires_at")?,
            })
        })
        .transpose()
    }

    pub async fn end_session(&self, token_hash: &str, now: i64) -> Result<()> {
        sqlx::query("UPDATE sessions SET ended_at = $2 WHERE token_hash = $1 AND ended_at IS NULL")
            .bind(token_hash.to_string())
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    pub async fn create_invitation(
        &self,
        token_hash: &str,
        email: &str,
        name: &str,
        role: Role,
        invited_by: &str,
        now: i64,
        ttl: i64,
        mail: &NewMail,
    ) -> Result<()> {
        let mut tx = self.write_tx().await?;
        sqlx::query(
            "INSERT INTO invitations (token_hash, email, name, role, invited_by, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(token_hash.to_string())
        .bind(crate::people::normalize_email(email))
        .bind(name.trim().to_string())
        .bind(role.as_str().to_string())
        .bind(invited_by.to_string())
        .bind(now)
        .bind(now + ttl)
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            now,
            Some(invited_by),
            "invitation.create",
            ("invitation", email),
            None,
            Some(serde_json::json!({"email": email, "role": role.as_str()})),
        )
        .await?;
        enqueue(&mut tx, mail, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Accepts an invitation once (unknown, expired or used: `None`).
    pub async fn accept_invitation(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<Invitation>> {
        let mut tx = self.write_tx().await?;
        let done = sqlx::query(
            "UPDATE invitations SET accepted_at = $2 WHERE token_hash = $1 AND accepted_at IS NULL AND expires_at > $2",
        )
        .bind(token_hash.to_string())
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Ok(None);
        }
        let r = sqlx::query("SELECT email, name, role FROM invitations WHERE token_hash = $1")
            .bind(token_hash.to_string())
            .fetch_one(&mut *tx)
            .await?;
        let role = get_s(&r, "role")?;
        let role = Role::parse(&role)
            .ok_or_else(|| crate::StoreError::Corrupt(format!("invitation role `{role}`")))?;
        tx.commit().await?;
        Ok(Some(Invitation {
            email: get_s(&r, "email")?,
            name: get_s(&r, "name")?,
            role,
        }))
    }
}
