//! Organizers' exports: the whole database as JSON (the same as `review export`), and the
//! reviews as CSV (one row per review, one column per form field).

use crate::ctx::Ctx;
use crate::error::{AppError, AppResult};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use blogtrack_review::form::Value;
use blogtrack_review::Role;
use std::collections::HashMap;

pub async fn json(ctx: Ctx) -> AppResult<Response> {
    if !ctx.has(Role::Organizer) {
        return Err(AppError::forbidden(ctx.format, "Only organizers export."));
    }
    let backup = ctx
        .state
        .store
        .export()
        .await
        .map_err(|e| ctx.internal(e))?;
    let body = serde_json::to_string_pretty(&backup).map_err(|e| ctx.internal(e))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"review-export.json\"",
            ),
        ],
        body,
    )
        .into_response())
}

pub async fn csv(ctx: Ctx) -> AppResult<Response> {
    if !ctx.has(Role::Organizer) {
        return Err(AppError::forbidden(ctx.format, "Only organizers export."));
    }
    let store = &ctx.state.store;
    let subs: HashMap<String, _> = store
        .all_submissions()
        .await
        .map_err(|e| ctx.internal(e))?
        .into_iter()
        .map(|s| (s.id.clone(), s))
        .collect();
    let reviews = store.all_reviews().await.map_err(|e| ctx.internal(e))?;
    let fields = &ctx.state.settings.form;
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut head = vec![
        "submission".to_string(),
        "title".into(),
        "slug".into(),
        "reviewer".into(),
        "state".into(),
    ];
    head.extend(fields.iter().map(|f| f.key.clone()));
    w.write_record(&head).map_err(|e| ctx.internal(e))?;
    for r in &reviews {
        let Some(s) = subs.get(&r.submission_id) else {
            continue;
        };
        // A leading = + - @ makes spreadsheets run a formula: prefix a quote.
        let cell = |t: &str| {
            if t.starts_with(['=', '+', '-', '@']) {
                format!("'{t}")
            } else {
                t.to_string()
            }
        };
        let mut row = vec![
            s.number.to_string(),
            cell(&s.title),
            s.slug.clone(),
            r.pseudonym.clone(),
            r.state.clone(),
        ];
        for f in fields {
            row.push(match r.answers.get(&f.key) {
                Some(Value::Text(t)) => cell(t),
                Some(Value::Number(n)) => n.to_string(),
                Some(Value::Check(b)) => b.to_string(),
                None => String::new(),
            });
        }
        w.write_record(&row).map_err(|e| ctx.internal(e))?;
    }
    let bytes = w.into_inner().map_err(|e| ctx.internal(e))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"reviews.csv\"",
            ),
        ],
        bytes,
    )
        .into_response())
}
