//! Full backup and restore: every table as JSON rows, in primary-key order, so that
//! exporting a restored database gives the same bytes (`review export` / `import`). A backup
//! made before a nullable column was added still imports: that column is left empty.

use crate::{Result, Store, StoreError};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::Row;
use std::collections::BTreeMap;

/// Column kinds: `t` text, `i` integer; `?` marks a nullable column.
type Columns = &'static [(&'static str, &'static str)];

/// Every table, in an order that satisfies foreign keys, with its columns and sort key.
pub const TABLES: &[(&str, Columns, &str)] = &[
    (
        "people",
        &[
            ("id", "t"),
            ("email", "t"),
            ("name", "t"),
            ("institution", "t"),
            ("other_institutions", "t"),
            ("coauthors", "t"),
            ("created_at", "i"),
        ],
        "id",
    ),
    (
        "person_roles",
        &[("person_id", "t"), ("role", "t"), ("granted_at", "i")],
        "person_id, role",
    ),
    (
        "sign_in_links",
        &[
            ("token_hash", "t"),
            ("person_id", "t"),
            ("created_at", "i"),
            ("expires_at", "i"),
            ("used_at", "i?"),
        ],
        "token_hash",
    ),
    (
        "sign_in_requests",
        &[("id", "t"), ("rate_key", "t"), ("at", "i")],
        "id",
    ),
    (
        "invitations",
        &[
            ("token_hash", "t"),
            ("email", "t"),
            ("name", "t"),
            ("role", "t"),
            ("invited_by", "t"),
            ("created_at", "i"),
            ("expires_at", "i"),
            ("accepted_at", "i?"),
        ],
        "token_hash",
    ),
    (
        "sessions",
        &[
            ("token_hash", "t"),
            ("person_id", "t"),
            ("csrf_token", "t"),
            ("created_at", "i"),
            ("expires_at", "i"),
            ("ended_at", "i?"),
        ],
        "token_hash",
    ),
    (
        "mail_outbox",
        &[
            ("id", "t"),
            ("to_address", "t"),
            ("subject", "t"),
            ("body", "t"),
            ("created_at", "i"),
            ("sent_at", "i?"),
            ("attempts", "i"),
            ("last_error", "t?"),
            ("kind", "t"),
            ("next_attempt_at", "i"),
            ("claimed_until", "i?"),
            ("claim_token", "t?"),
            ("failed_at", "i?"),
            ("expires_at", "i?"),
            ("dedup_key", "t?"),
            ("merge_key", "t?"),
        ],
        "id",
    ),
    (
        "submissions",
        &[
            ("id", "t"),
            ("number", "i"),
            ("title", "t"),
            ("abstract", "t"),
            ("slug", "t"),
            ("pr_number", "i?"),
            ("head_commit", "t?"),
            ("preview_url", "t?"),
            ("conflict_declaration", "t"),
            ("extra", "t"),
            ("state", "t"),
            ("created_by", "t"),
            ("created_at", "i"),
            ("updated_at", "i"),
        ],
        "id",
    ),
    (
        "submission_authors",
        &[
            ("submission_id", "t"),
            ("position", "i"),
            ("name", "t"),
            ("email", "t"),
            ("institution", "t"),
        ],
        "submission_id, position",
    ),
    (
        "conflicts",
        &[
            ("person_id", "t"),
            ("submission_id", "t"),
            ("source", "t"),
            ("reason", "t"),
            ("created_at", "i"),
        ],
        "person_id, submission_id, source",
    ),
    (
        "bids",
        &[
            ("person_id", "t"),
            ("submission_id", "t"),
            ("bid", "t"),
            ("updated_at", "i"),
        ],
        "person_id, submission_id",
    ),
    (
        "assignments",
        &[
            ("submission_id", "t"),
            ("person_id", "t"),
            ("role", "t"),
            ("pseudonym", "t"),
            ("assigned_by", "t"),
            ("created_at", "i"),
            ("removed_at", "i?"),
            ("announced_at", "i?"),
        ],
        "submission_id, person_id",
    ),
    (
        "reviews",
        &[
            ("id", "t"),
            ("submission_id", "t"),
            ("reviewer_id", "t"),
            ("answers", "t"),
            ("state", "t"),
            ("version", "i"),
            ("created_at", "i"),
            ("updated_at", "i"),
            ("submitted_at", "i?"),
            ("reopened_until", "i?"),
        ],
        "id",
    ),
    (
        "review_versions",
        &[
            ("review_id", "t"),
            ("version", "i"),
            ("answers", "t"),
            ("state", "t"),
            ("saved_at", "i"),
        ],
        "review_id, version",
    ),
    (
        "discussion_messages",
        &[
            ("id", "t"),
            ("submission_id", "t"),
            ("thread_id", "t"),
            ("parent_id", "t?"),
            ("author_id", "t"),
            ("author_role", "t"),
            ("kind", "t"),
            ("readers", "t"),
            ("body", "t"),
            ("version", "i"),
            ("created_at", "i"),
            ("updated_at", "i"),
            ("withdrawn_at", "i?"),
        ],
        "id",
    ),
    (
        "discussion_message_versions",
        &[
            ("message_id", "t"),
            ("version", "i"),
            ("body", "t"),
            ("readers", "t"),
            ("saved_at", "i"),
        ],
        "message_id, version",
    ),
    (
        "meta_reviews",
        &[
            ("id", "t"),
            ("submission_id", "t"),
            ("area_chair_id", "t"),
            ("answers", "t"),
            ("state", "t"),
            ("version", "i"),
            ("created_at", "i"),
            ("updated_at", "i"),
            ("submitted_at", "i?"),
            ("withdrawn_at", "i?"),
        ],
        "id",
    ),
    (
        "meta_review_versions",
        &[
            ("meta_review_id", "t"),
            ("version", "i"),
            ("answers", "t"),
            ("state", "t"),
            ("saved_at", "i"),
        ],
        "meta_review_id, version",
    ),
    (
        "decisions",
        &[
            ("id", "t"),
            ("submission_id", "t"),
            ("outcome", "t"),
            ("accepted", "i"),
            ("award", "t?"),
            ("poster", "i"),
            ("note", "t"),
            ("decided_by", "t"),
            ("decided_at", "i"),
            ("superseded_at", "i?"),
            ("superseded_by", "t?"),
            ("withdrawn_at", "i?"),
        ],
        "id",
    ),
    (
        "audit_log",
        &[
            ("id", "t"),
            ("at", "i"),
            ("actor_id", "t?"),
            ("action", "t"),
            ("object_kind", "t"),
            ("object_id", "t"),
            ("before_json", "t?"),
            ("after_json", "t?"),
        ],
        "id",
    ),
    (
        "mail_about",
        &[("mail_id", "t"), ("submission_id", "t")],
        "mail_id, submission_id",
    ),
];

/// A whole database as data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Backup {
    /// Format version of this file.
    pub format: u32,
    pub tables: BTreeMap<String, Vec<Vec<Value>>>,
}

impl Store {
    /// The tables of the live database (migration bookkeeping left out) and their columns, as
    /// the database itself lists them: what a test compares with [`TABLES`], so that a
    /// migration adding a table or column the backup does not carry fails the suite.
    pub async fn schema(&self) -> Result<BTreeMap<String, Vec<String>>> {
        let q = match self.backend() {
            crate::Backend::Sqlite => {
                "SELECT m.name AS t, c.name AS c FROM sqlite_master m, pragma_table_info(m.name) c \
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx_%' \
                 ORDER BY m.name, c.cid"
            }
            crate::Backend::Postgres => {
                "SELECT table_name::text AS t, column_name::text AS c FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name NOT LIKE '_sqlx_%' \
                 ORDER BY table_name, ordinal_position"
            }
        };
        let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for r in sqlx::query(q).fetch_all(&self.pool).await? {
            out.entry(r.try_get("t")?)
                .or_default()
                .push(r.try_get("c")?);
        }
        Ok(out)
    }

    pub async fn export(&self) -> Result<Backup> {
        let mut tables = BTreeMap::new();
        for (name, cols, order) in TABLES {
            let list = cols.iter().map(|c| c.0).collect::<Vec<_>>().join(", ");
            let q = format!("SELECT {list} FROM {name} ORDER BY {order}");
            let rows = sqlx::query(sqlx::AssertSqlSafe(q))
                .fetch_all(&self.pool)
                .await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                let mut vals = Vec::with_capacity(cols.len());
                for (i, (_, kind)) in cols.iter().enumerate() {
                    let v = if kind.starts_with('i') {
                        r.try_get::<Option<i64>, _>(i)?
                            .map(Value::from)
                            .unwrap_or(Value::Null)
                    } else {
                        r.try_get::<Option<String>, _>(i)?
                            .map(Value::from)
                            .unwrap_or(Value::Null)
                    };
                    vals.push(v);
                }
                out.push(vals);
            }
            tables.insert(name.to_string(), out);
        }
        Ok(Backup { format: 1, tables })
    }

    /// Restores a backup into this database, which must be empty (a fresh file or schema).
    pub async fn import(&self, backup: &Backup) -> Result<()> {
        if backup.format != 1 {
            return Err(StoreError::Corrupt(format!(
                "backup format {} (this version reads 1)",
                backup.format
            )));
        }
        for name in backup.tables.keys() {
            if !TABLES.iter().any(|t| t.0 == name) {
                return Err(StoreError::Corrupt(format!(
                    "backup has an unknown table `{name}`"
                )));
            }
        }
        let mut tx = self.write_tx().await?;
        let people: i64 = sqlx::query("SELECT COUNT(*) AS n FROM people")
            .fetch_one(&mut *tx)
            .await?
            .try_get("n")?;
        if people > 0 {
            return Err(StoreError::Duplicate(
                "data in the target database (import needs an empty one)".into(),
            ));
        }
        for (name, cols, _) in TABLES {
            let Some(rows) = backup.tables.get(*name) else {
                continue;
            };
            let list = cols.iter().map(|c| c.0).collect::<Vec<_>>().join(", ");
            let marks = (1..=cols.len())
                .map(|i| format!("${i}"))
                .collect::<Vec<_>>()
                .join(", ");
            let q = format!("INSERT INTO {name} ({list}) VALUES ({marks})");
            for (n, row) in rows.iter().enumerate() {
                // A backup written before a nullable column was added (e.g.
                // `assignments.announced_at`) has fewer values: the missing ones are empty.
                let short_ok = cols
                    .get(row.len()..)
                    .is_some_and(|rest| rest.iter().all(|(_, k)| k.ends_with('?')));
                if row.len() != cols.len() && !short_ok {
                    return Err(StoreError::Corrupt(format!(
                        "{name} row {n}: {} values for {} columns",
                        row.len(),
                        cols.len()
                    )));
                }
                let mut query = sqlx::query(sqlx::AssertSqlSafe(q.clone()));
                for (i, (col, kind)) in cols.iter().enumerate() {
                    let v = row.get(i).unwrap_or(&Value::Null);
                    let bad = || {
                        StoreError::Corrupt(format!("{name} row {n}: `{col}` has the wrong type"))
                    };
                    let nullable = kind.ends_with('?');
                    query = match (kind.starts_with('i'), v) {
                        (_, Value::Null) if nullable => {
                            if kind.starts_with('i') {
                                query.bind(None::<i64>)
                            } else {
                                query.bind(None::<String>)
                            }
                        }
                        (true, Value::Number(x)) => query.bind(x.as_i64().ok_or_else(bad)?),
                        (false, Value::String(s)) => query.bind(s.clone()),
                        _ => return Err(bad()),
                    };
                }
                query.execute(&mut *tx).await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }
}
