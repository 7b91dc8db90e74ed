//! One module per resource. Each handler starts with its authorization check (the route's
//! rule was checked by the guard; object rights through [`crate::ctx::Ctx::submission`]).

pub mod announce;
pub mod assignments;
pub mod bids;
pub mod dashboard;
pub mod decisions;
pub mod discussion;
pub mod export;
pub mod health;
pub mod meta_reviews;
pub mod notify;
pub mod people;
pub mod reviews;
pub mod sign_in;
pub mod submissions;
pub mod timeline;

use crate::ctx::{Ctx, Format, CSRF_FIELD};
use crate::error::AppError;
use axum::extract::{FromRequest, Request};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use std::collections::BTreeMap;

/// A form's fields or a JSON object's, as text (the CSRF field removed); `json` keeps the
/// JSON for structured values (a submission's author list).
pub struct Input {
    pub fields: BTreeMap<String, String>,
    pub json: Option<serde_json::Value>,
}

impl Input {
    pub fn get(&self, key: &str) -> &str {
        self.fields.get(key).map(String::as_str).unwrap_or("")
    }
}

impl<S: Send + Sync> FromRequest<S> for Input {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let format = if req.uri().path().starts_with("/api/") {
            Format::Json
        } else {
            Format::Html
        };
        let ct = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|e| AppError::bad(format, e.to_string()).into_response())?;
        let mut fields = BTreeMap::new();
        let mut json = None;
        if bytes.is_empty() {
        } else if ct.starts_with("application/json") {
            let v: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| {
                AppError::bad(format, format!("The body is not JSON: {e}")).into_response()
            })?;
            let Some(obj) = v.as_object() else {
                return Err(
                    AppError::bad(format, "The body must be a JSON object.").into_response()
                );
            };
            for (k, val) in obj {
                let s = match val {
                    serde_json::Value::String(s) => s.clone(),
                    serde_json::Value::Bool(true) => "on".into(),
                    serde_json::Value::Bool(false) | serde_json::Value::Null => continue,
                    serde_json::Value::Number(n) => n.to_string(),
                    _ => continue,
                };
                fields.insert(k.clone(), s);
            }
            json = Some(v);
        } else if ct.starts_with("application/x-www-form-urlencoded") {
            let pairs: Vec<(String, String)> =
                serde_urlencoded::from_bytes(&bytes).map_err(|e| {
                    AppError::bad(format, format!("The form could not be read: {e}"))
                        .into_response()
                })?;
            for (k, v) in pairs {
                fields.insert(k, v);
            }
        } else {
            return Err(AppError::new(
                format,
                axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Send a form (application/x-www-form-urlencoded) or JSON (application/json).",
            )
            .into_response());
        }
        fields.remove(CSRF_FIELD);
        Ok(Input { fields, json })
    }
}

/// Every submission the viewer has no conflict with (the store's guarded query), and how
/// the viewer stands to each.
pub async fn submissions_and_relations(
    ctx: &Ctx,
) -> Result<
    (
        Vec<blogtrack_review_store::Submission>,
        std::collections::HashMap<String, blogtrack_review::Relation>,
    ),
    AppError,
> {
    let v = ctx.viewer()?;
    let store = &ctx.state.store;
    let subs = store
        .submissions_for(&v.person.id)
        .await
        .map_err(|e| ctx.internal(e))?;
    let relations = store
        .relations(&v.person.id, &v.person.email)
        .await
        .map_err(|e| ctx.internal(e))?;
    Ok((subs, relations))
}

/// A page for HTML requests, the value for JSON ones.
pub fn reply(ctx: &Ctx, json: serde_json::Value, page: impl FnOnce() -> String) -> Response {
    match ctx.format {
        Format::Json => axum::Json(json).into_response(),
        Format::Html => Html(page()).into_response(),
    }
}

/// Characters that can make text look like something else (bidirectional overrides,
/// zero-width joiners) or break a page (controls other than newline and tab).
pub fn deceptive_char(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t' && c != '\r')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200B}'..='\u{200F}' | '\u{FEFF}')
}

/// Checks a text field: length in characters and no deceptive characters.
pub fn check_text(label: &str, text: &str, max: usize, required: bool) -> Result<(), String> {
    let n = text.chars().count();
    if required && text.trim().is_empty() {
        return Err(format!("{label} is required"));
    }
    if n > max {
        return Err(format!(
            "{label} is {n} characters long; at most {max} are accepted"
        ));
    }
    if let Some(c) = text.chars().find(|c| deceptive_char(*c)) {
        return Err(format!(
            "{label} contains the invisible or direction-changing character U+{:04X}; remove it",
            c as u32
        ));
    }
    Ok(())
}
