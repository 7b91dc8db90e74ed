//! The area chair's meta-review: the form from `_config.yml` (`review.meta_review_form`,
//! default a recommendation and the text), drafts, submitting while the phase table allows
//! `WriteMetaReview` (after the reviews deadline, until the meta-reviews deadline),
//! withdrawing (the row and its versions stay). Organizers and the committee read it on the
//! decision page.

use super::reviews::{answers_html, fields_html};
use super::{reply, Input};
use crate::ctx::Ctx;
use crate::error::{AppError, AppResult};
use crate::router::Need;
use crate::{markdown, pages};
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use blogtrack_review::form::{self, Value};
use blogtrack_review::Action;
use blogtrack_review_store::MetaReviewRow;
use maud::html;
use serde_json::json;
use std::collections::BTreeMap;

pub(crate) fn meta_json(m: &MetaReviewRow) -> serde_json::Value {
    let mut j = serde_json::to_value(m).unwrap_or_default();
    let rendered: BTreeMap<String, String> = m
        .answers
        .iter()
        .filter_map(|(k, v)| match v {
            Value::Text(t) => Some((k.clone(), markdown::render(t))),
            _ => None,
        })
        .collect();
    j["rendered"] = json!(rendered);
    j
}

pub async fn show(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    let (sub, _, _) = ctx.submission(&id, Need::MetaReview).await?;
    let v = ctx.viewer()?;
    let meta = ctx
        .state
        .store
        .own_meta_review(&v.person.id, &id)
        .await
        .map_err(|e| ctx.internal(e))?;
    let refusal = ctx.phase_allows(Action::WriteMetaReview, false).err();
    let open = refusal.is_none();
    let fields = &ctx.state.settings.meta_review_form;
    let j = json!({"form": fields, "meta_review": meta.as_ref().map(meta_json), "open": open});
    Ok(reply(&ctx, j, || {
        let answers = meta.as_ref().map(|m| m.answers.clone()).unwrap_or_default();
        let input = form::to_input(&answers);
        let version = meta.as_ref().map(|m| m.version).unwrap_or(0);
        let submitted = meta.as_ref().is_some_and(|m| m.state == "submitted");
        pages::page(
            &ctx,
            &format!("Meta-review of #{} {}", sub.number, sub.title),
            html! {
                p { a href={ "/submissions/" (sub.id) "/reviews" } { "Read the reviews" } " · " a href={ "/submissions/" (sub.id) "/discussion" } { "Discussion" } }
                @if let Some(m) = &meta {
                    p.note { "You are " (m.pseudonym) " · " (m.state) " · version " (m.version) @if m.withdrawn_at.is_some() { " · withdrawn" } }
                }
                @if let Some(r) = &refusal { p.error { (r.message()) } }
                @if !answers.is_empty() { h2 { "As saved" } (answers_html(fields, &answers)) }
                @if open {
                    form method="post" action={ "/submissions/" (sub.id) "/meta-review" } {
                        (pages::csrf(&ctx))
                        input type="hidden" name="version" value=(version);
                        (fields_html(fields, &input))
                        @if !submitted { button.secondary type="submit" name="action" value="save" { "Save draft" } " " }
                        button type="submit" name="action" value="submit" { @if submitted { "Update the meta-review" } @else { "Submit the meta-review" } }
                        @if meta.as_ref().is_some_and(|m| m.withdrawn_at.is_none()) { " " button.secondary type="submit" name="action" value="withdraw" { "Withdraw" } }
                    }
                }
            },
        )
    }))
}

pub async fn save(ctx: Ctx, Path(id): Path<String>, mut input: Input) -> AppResult<Response> {
    ctx.submission(&id, Need::MetaReview).await?;
    ctx.require_phase(Action::WriteMetaReview, false)?;
    let v = ctx.viewer()?;
    let store = &ctx.state.store;
    let now = ctx.state.now();
    let action = input
        .fields
        .remove("action")
        .unwrap_or_else(|| "save".into());
    let version = match input.fields.remove("version") {
        None => None,
        Some(s) => Some(
            s.trim()
                .parse::<i64>()
                .map_err(|_| AppError::bad(ctx.format, "`version` must be a number."))?,
        ),
    };
    let submit = match action.as_str() {
        "submit" => true,
        "save" => false,
        "withdraw" => {
            let done = store
                .withdraw_meta_review(&v.person.id, &id, &v.person.id, now)
                .await
                .map_err(|e| ctx.internal(e))?;
            if !done {
                return Err(AppError::bad(
                    ctx.format,
                    "There is no meta-review to withdraw.",
                ));
            }
            return Ok(ctx.done(
                &format!("/submissions/{id}/meta-review"),
                json!({"ok": true, "state": "withdrawn"}),
            ));
        }
        _ => {
            return Err(AppError::bad(
                ctx.format,
                "`action` is save, submit or withdraw.",
            ))
        }
    };
    let current = store
        .own_meta_review(&v.person.id, &id)
        .await
        .map_err(|e| ctx.internal(e))?;
    let submit = submit || current.as_ref().is_some_and(|m| m.state == "submitted");
    let answers = form::read(&ctx.state.settings.meta_review_form, &input.fields, submit).map_err(
        |errors| {
            AppError::bad(
                ctx.format,
                "The meta-review was not saved: fix the fields below.",
            )
            .with_fields(errors.into_iter().map(|e| (e.key, e.message)).collect())
        },
    )?;
    for (key, value) in &answers {
        if let Value::Text(t) = value {
            super::check_text(key, t, form::MAX_TEXT_LIMIT, false)
                .map_err(|m| AppError::bad(ctx.format, m))?;
        }
    }
    let saved = store
        .save_meta_review(&v.person.id, &id, &answers, submit, version, now)
        .await
        .map_err(|e| ctx.internal(e))?
        .map_err(|_| AppError::new(ctx.format, StatusCode::CONFLICT, "The meta-review was saved elsewhere in the meantime (another tab?): reload and merge your changes."))?;
    Ok(ctx.done(
        &format!("/submissions/{id}/meta-review"),
        json!({"ok": true, "version": saved.version, "state": saved.state}),
    ))
}
