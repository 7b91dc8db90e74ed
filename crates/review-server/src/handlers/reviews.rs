//! Reviews: the form from `_config.yml`, drafts, submitting until the review deadline (later
//! only where an organizer reopened), and the other reviews once one's own is submitted,
//! under stable pseudonyms. Text answers are Markdown with math, rendered and sanitized.

use super::{reply, Input};
use crate::ctx::Ctx;
use crate::error::{AppError, AppResult};
use crate::router::Need;
use crate::{markdown, pages};
use axum::extract::Path;
use axum::response::Response;
use blogtrack_review::form::{self, Kind, Value, Values};
use blogtrack_review::{Action, Refusal};
use blogtrack_review_store::ReviewRow;
use maud::{html, Markup};
use serde_json::json;
use std::collections::BTreeMap;

pub(crate) fn answers_html(form_fields: &[form::Field], answers: &Values) -> Markup {
    html! {
        @for f in form_fields {
            @if let Some(v) = answers.get(&f.key) {
                h3 { (f.label) }
                @match (v, &f.kind) {
                    (Value::Text(t), _) => { div.rendered { (pages::trusted(markdown::render(t))) } }
                    (Value::Number(n), Kind::Scale { options }) => {
                        p { (n) " — " (options.iter().find(|o| o.0 == *n).map(|o| o.1.as_str()).unwrap_or("")) }
                    }
                    (Value::Check(b), _) => { p { @if *b { "Yes" } @else { "No" } } }
                    (other, _) => { p { (format!("{other:?}")) } }
                }
            }
        }
    }
}

/// The controls of a configured form (review, meta-review), filled with `input`.
pub(crate) fn fields_html(fields: &[form::Field], input: &BTreeMap<String, String>) -> Markup {
    html! {
        @for f in fields {
            @let key = format!("f_{}", f.key);
            @let value = input.get(&f.key).cloned().unwrap_or_default();
            @match &f.kind {
                Kind::Text { max } => {
                    label for=(key) { (f.label) @if f.required { " (required)" } }
                    @if !f.help.is_empty() { p.note { (f.help) } }
                    textarea id=(key) name=(f.key) maxlength=(max) { (value) }
                }
                Kind::Scale { options } => {
                    label for=(key) { (f.label) @if f.required { " (required)" } }
                    select id=(key) name=(f.key) {
                        option value="" { "—" }
                        @for (n, l) in options {
                            option value=(n) selected[value == n.to_string()] { (n) " — " (l) }
                        }
                    }
                }
                Kind::Checkbox => {
                    div.check {
                        input id=(key) type="checkbox" name=(f.key) checked[value == "on"];
                        " " label for=(key) { (f.label) }
                    }
                }
            }
        }
    }
}

fn review_json(r: &ReviewRow) -> serde_json::Value {
    let mut j = serde_json::to_value(r).unwrap_or_default();
    let rendered: BTreeMap<String, String> = r
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

/// May this review be saved (`action`: a draft or the submitted review) now? An organizer's
/// reopening (until its date) lifts the reviews deadline for this review.
fn window(ctx: &Ctx, review: Option<&ReviewRow>, action: Action) -> Result<(), Refusal> {
    let now = ctx.state.now();
    let reopened = review
        .and_then(|r| r.reopened_until)
        .is_some_and(|u| now < u);
    ctx.phase_allows(action, reopened)
}

pub async fn show(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    let (sub, _, _) = ctx.submission(&id, Need::Review).await?;
    let v = ctx.viewer()?;
    let review = ctx
        .state
        .store
        .own_review(&v.person.id, &id)
        .await
        .map_err(|e| ctx.internal(e))?;
    let refusal = window(&ctx, review.as_ref(), Action::SaveReview).err();
    let open = refusal.is_none();
    let fields = &ctx.state.settings.form;
    let j = json!({"form": fields, "review": review.as_ref().map(review_json), "open": open});
    Ok(reply(&ctx, j, || {
        let answers = review
            .as_ref()
            .map(|r| r.answers.clone())
            .unwrap_or_default();
        let input = form::to_input(&answers);
        let version = review.as_ref().map(|r| r.version).unwrap_or(0);
        let submitted = review.as_ref().is_some_and(|r| r.state == "submitted");
        pages::page(
            &ctx,
            &format!("Review of #{} {}", sub.number, sub.title),
            html! {
                @if let Some(url) = &sub.preview_url { p { a href=(url) rel="noopener noreferrer" { "Read the anonymized preview" } } }
                @if let Some(r) = &review { p.note { "You are " (r.pseudonym) " · " (r.state) " · version " (r.version) } }
                @if submitted { p { a href={ "/submissions/" (sub.id) "/reviews" } { "Read all reviews" } } }
                @if let Some(r) = &refusal { p.error { (r.message()) } }
                @if !answers.is_empty() { h2 { "As saved" } (answers_html(fields, &answers)) }
                @if open {
                    form method="post" action={ "/submissions/" (sub.id) "/review" } {
                        (pages::csrf(&ctx))
                        input type="hidden" name="version" value=(version);
                        (fields_html(fields, &input))
                        @if !submitted { button.secondary type="submit" name="action" value="save" { "Save draft" } " " }
                        button type="submit" name="action" value="submit" { @if submitted { "Update the submitted review" } @else { "Submit review" } }
                    }
                }
            },
        )
    }))
}

pub async fn save(ctx: Ctx, Path(id): Path<String>, mut input: Input) -> AppResult<Response> {
    ctx.submission(&id, Need::Review).await?;
    let v = ctx.viewer()?;
    let store = &ctx.state.store;
    let current = store
        .own_review(&v.person.id, &id)
        .await
        .map_err(|e| ctx.internal(e))?;
    let action = input
        .fields
        .remove("action")
        .unwrap_or_else(|| "save".into());
    let submit = match action.as_str() {
        "submit" => true,
        "save" => false,
        _ => return Err(AppError::bad(ctx.format, "`action` is save or submit.")),
    };
    let version = match input.fields.remove("version") {
        None => None,
        Some(s) => Some(
            s.trim()
                .parse::<i64>()
                .map_err(|_| AppError::bad(ctx.format, "`version` must be a number."))?,
        ),
    };
    let submit = submit || current.as_ref().is_some_and(|r| r.state == "submitted");
    let phase_action = if submit {
        Action::SubmitReview
    } else {
        Action::SaveReview
    };
    window(&ctx, current.as_ref(), phase_action).map_err(|r| AppError::refused(ctx.format, &r))?;
    let answers =
        form::read(&ctx.state.settings.form, &input.fields, submit).map_err(|errors| {
            AppError::bad(
                ctx.format,
                "The review was not saved: fix the fields below.",
            )
            .with_fields(errors.into_iter().map(|e| (e.key, e.message)).collect())
        })?;
    let saved = store
        .save_review(&v.person.id, &id, &answers, submit, version, ctx.state.now())
        .await
        .map_err(|e| ctx.internal(e))?
        .map_err(|_| AppError::new(ctx.format, axum::http::StatusCode::CONFLICT, "The review was saved elsewhere in the meantime (another tab?): reload and merge your changes."))?;
    Ok(ctx.done(
        &format!("/submissions/{id}/review"),
        json!({"ok": true, "version": saved.version, "state": saved.state}),
    ))
}

pub async fn list(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    let (sub, _, _) = ctx.submission(&id, Need::ReadReviews).await?;
    let v = ctx.viewer()?;
    let reviews = ctx
        .state
        .store
        .submitted_reviews_for(&v.person.id, &id)
        .await
        .map_err(|e| ctx.internal(e))?;
    let fields = &ctx.state.settings.form;
    let j = json!({"reviews": reviews.iter().map(review_json).collect::<Vec<_>>()});
    Ok(reply(&ctx, j, || {
        pages::page(
            &ctx,
            &format!("Reviews of #{} {}", sub.number, sub.title),
            html! {
                @if reviews.is_empty() { p { "No review is submitted yet." } }
                @for r in &reviews {
                    article { h2 { (r.pseudonym) } (answers_html(fields, &r.answers)) }
                }
            },
        )
    }))
}
