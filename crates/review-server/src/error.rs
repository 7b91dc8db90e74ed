//! The error every handler returns: a status and a message for the person, rendered as an
//! HTML page or as `{"error": …}` depending on where the request came in.

use crate::ctx::Format;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Debug)]
pub struct AppError {
    pub status: StatusCode,
    pub message: String,
    pub format: Format,
    /// Field-level problems of a form (key, message).
    pub fields: Vec<(String, String)>,
    /// Set when a date forbids the action: the refusal's code (`closed`, `not-yet-open`,
    /// `not-scheduled`) and the action, for the JSON API.
    pub refusal: Option<(&'static str, blogtrack_review::Action)>,
}

impl AppError {
    pub fn new(format: Format, status: StatusCode, message: impl Into<String>) -> AppError {
        AppError {
            status,
            message: message.into(),
            format,
            fields: Vec::new(),
            refusal: None,
        }
    }

    /// 403 with the refusal's message (what closed when, how to get it reopened).
    pub fn refused(format: Format, r: &blogtrack_review::Refusal) -> AppError {
        let mut e = AppError::new(format, StatusCode::FORBIDDEN, r.message());
        e.refusal = Some((r.code(), r.action()));
        e
    }

    pub fn not_found(format: Format) -> AppError {
        AppError::new(
            format,
            StatusCode::NOT_FOUND,
            "There is nothing here you may open.",
        )
    }

    pub fn forbidden(format: Format, why: &str) -> AppError {
        AppError::new(format, StatusCode::FORBIDDEN, why)
    }

    pub fn bad(format: Format, why: impl Into<String>) -> AppError {
        AppError::new(format, StatusCode::BAD_REQUEST, why)
    }

    pub fn internal(format: Format, e: impl std::fmt::Display) -> AppError {
        eprintln!("blogtrack review: internal error: {e}");
        AppError::new(
            format,
            StatusCode::INTERNAL_SERVER_ERROR,
            "Something went wrong on the server; it has been logged.",
        )
    }

    pub fn with_fields(mut self, fields: Vec<(String, String)>) -> AppError {
        self.fields = fields;
        self
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match self.format {
            Format::Json => {
                let fields: Vec<_> = self
                    .fields
                    .iter()
                    .map(|(k, m)| serde_json::json!({"field": k, "message": m}))
                    .collect();
                let mut body = serde_json::json!({"error": self.message, "fields": fields});
                if let Some((code, action)) = self.refusal {
                    body["refusal"] = serde_json::json!({"code": code, "action": action});
                }
                (self.status, axum::Json(body)).into_response()
            }
            Format::Html => {
                let body = crate::pages::error_page(self.status, &self.message, &self.fields);
                (self.status, axum::response::Html(body)).into_response()
            }
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;
