//! Decisions. Organizers decide from one table (one form, a row per submission they have no
//! conflict with, all rows written in one transaction): an outcome from the config, an award,
//! the poster session. Deciding again supersedes; withdrawing keeps the row. Both are open
//! while the phase table allows `Decide`: after the reviews deadline, until the release. Everyone else
//! sees a decision only once released (the `decisions` date): before that the decision page
//! says when it will be, and shows nothing of it. Meta-reviews are shown to the committee, and
//! to the authors with the released decision.

use super::meta_reviews::meta_json;
use super::reviews::answers_html;
use super::{reply, Input};
use crate::ctx::Ctx;
use crate::error::{AppError, AppResult};
use crate::pages;
use crate::router::Need;
use crate::when;
use axum::extract::Path;
use axum::response::Response;
use blogtrack_review::dates::Milestone;
use blogtrack_review::decision::{self, MAX_NOTE};
use blogtrack_review::{Action, ReviewSettings, Role};
use blogtrack_review_store::{DecisionRow, NewDecision, StoreError};
use maud::{html, Markup};
use serde_json::json;
use std::collections::HashMap;

fn outcome_label<'a>(s: &'a ReviewSettings, key: &'a str) -> &'a str {
    s.decisions
        .iter()
        .find(|o| o.key == key)
        .map(|o| o.label.as_str())
        .unwrap_or(key)
}

fn award_label<'a>(s: &'a ReviewSettings, key: &'a str) -> &'a str {
    s.awards
        .iter()
        .find(|a| a.key == key)
        .map(|a| a.label.as_str())
        .unwrap_or(key)
}

fn decision_json(s: &ReviewSettings, d: &DecisionRow, organizer: bool) -> serde_json::Value {
    let mut j = json!({
        "outcome": d.outcome, "label": outcome_label(s, &d.outcome), "accepted": d.accepted,
        "award": d.award, "award_label": d.award.as_deref().map(|a| award_label(s, a)),
        "poster": d.poster, "decided_at": d.decided_at,
    });
    if organizer {
        j["note"] = json!(d.note);
        j["id"] = json!(d.id);
    }
    j
}

fn decision_html(s: &ReviewSettings, d: &DecisionRow) -> Markup {
    html! {
        p { strong { (outcome_label(s, &d.outcome)) }
            @if let Some(a) = &d.award { " · award: " (award_label(s, a)) }
            @if d.poster { " · presented at the poster session" } }
    }
}

pub async fn show(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    let (sub, access, _) = ctx.submission(&id, Need::Read).await?;
    let v = ctx.viewer()?;
    let store = &ctx.state.store;
    let settings = &ctx.state.settings;
    let released = when::released(&settings.dates, ctx.state.now());
    let release_at = when::at(&settings.dates, Milestone::Decisions);
    let organizer = access.manage;
    let decision = if released || organizer {
        store
            .current_decision(&id)
            .await
            .map_err(|e| ctx.internal(e))?
    } else {
        None
    };
    let history = if organizer {
        store
            .decision_history(&id)
            .await
            .map_err(|e| ctx.internal(e))?
    } else {
        Vec::new()
    };
    let metas = if access.discuss || access.meta_review || released {
        store
            .meta_reviews_for(&v.person.id, &id)
            .await
            .map_err(|e| ctx.internal(e))?
    } else {
        Vec::new()
    };
    let j = json!({
        "released": released,
        "release_at": release_at,
        "decision": decision.as_ref().map(|d| decision_json(settings, d, organizer)),
        "history": history.iter().map(|d| json!({"decision": decision_json(settings, d, true), "superseded_at": d.superseded_at, "withdrawn_at": d.withdrawn_at})).collect::<Vec<_>>(),
        "meta_reviews": metas.iter().map(meta_json).collect::<Vec<_>>(),
    });
    Ok(reply(&ctx, j, || {
        pages::page(
            &ctx,
            &format!("Decision on #{} {}", sub.number, sub.title),
            html! {
                @if !released {
                    p.note { @match release_at {
                        Some(d) => { "Decisions are released on " (pages::when(d)) "." }
                        None => { "The release date of decisions is not set yet." }
                    } @if organizer { " Organizers see the decision before then." } }
                }
                @match &decision {
                    Some(d) => { (decision_html(settings, d)) }
                    None => { @if released || organizer { p { "No decision yet." } } }
                }
                @if organizer {
                    @if decision.is_some() && ctx.phase_allows(Action::Decide, false).is_ok() {
                        form method="post" action={ "/submissions/" (sub.id) "/decision/withdraw" } {
                            (pages::csrf(&ctx))
                            input type="hidden" name="confirm" value="yes";
                            button.secondary type="submit" { "Withdraw this decision" }
                        }
                    }
                    @if history.len() > 1 || history.iter().any(|d| d.withdrawn_at.is_some()) {
                        h2 { "Earlier decisions" }
                        ul { @for d in history.iter().filter(|d| d.superseded_at.is_some() || d.withdrawn_at.is_some()) {
                            li { (pages::when(d.decided_at)) ": " (outcome_label(settings, &d.outcome))
                                @if let Some(a) = &d.award { " (" (award_label(settings, a)) ")" }
                                @if d.withdrawn_at.is_some() { " · withdrawn" } @else { " · superseded" } }
                        } }
                    }
                    p { a href={ "/audit?submission=" (sub.id) } { "Audit log of this submission" } }
                }
                @for m in &metas {
                    article { h2 { "Meta-review (" (m.pseudonym) ")" } (answers_html(&settings.meta_review_form, &m.answers)) }
                }
            },
        )
    }))
}

pub async fn withdraw(ctx: Ctx, Path(id): Path<String>, input: Input) -> AppResult<Response> {
    ctx.submission(&id, Need::Manage).await?;
    ctx.require_phase(Action::Decide, false)?;
    if let Some(k) = input.fields.keys().find(|k| *k != "confirm") {
        return Err(AppError::bad(
            ctx.format,
            format!(
                "The form has no field `{}`.",
                k.chars().take(40).collect::<String>()
            ),
        ));
    }
    if input.get("confirm") != "yes" {
        return Err(AppError::bad(
            ctx.format,
            "Confirm the withdrawal (`confirm`: `yes`).",
        ));
    }
    let v = ctx.viewer()?;
    let done = ctx
        .state
        .store
        .withdraw_decision(&id, &v.person.id, ctx.state.now())
        .await
        .map_err(|e| ctx.internal(e))?;
    if !done {
        return Err(AppError::bad(
            ctx.format,
            "This submission has no decision to withdraw.",
        ));
    }
    Ok(ctx.done(&format!("/submissions/{id}/decision"), json!({"ok": true})))
}

/// The submissions the organizer may decide on (no conflict), with what helps decide.
struct Row {
    sub: blogtrack_review_store::Submission,
    reviews: usize,
    recommendation: String,
    current: Option<DecisionRow>,
}

async fn rows(ctx: &Ctx) -> AppResult<Vec<Row>> {
    let v = ctx.viewer()?;
    let store = &ctx.state.store;
    let subs = store
        .submissions_for(&v.person.id)
        .await
        .map_err(|e| ctx.internal(e))?;
    let mut current: HashMap<String, DecisionRow> = store
        .current_decisions()
        .await
        .map_err(|e| ctx.internal(e))?
        .into_iter()
        .map(|d| (d.submission_id.clone(), d))
        .collect();
    let mut reviews: HashMap<String, usize> = HashMap::new();
    for r in store.all_reviews().await.map_err(|e| ctx.internal(e))? {
        if r.state == "submitted" {
            *reviews.entry(r.submission_id).or_default() += 1;
        }
    }
    let form = &ctx.state.settings.meta_review_form;
    let mut recs: HashMap<String, Vec<String>> = HashMap::new();
    for m in store
        .all_meta_reviews()
        .await
        .map_err(|e| ctx.internal(e))?
    {
        if m.state != "submitted" || m.withdrawn_at.is_some() {
            continue;
        }
        for f in form {
            if let (
                Some(blogtrack_review::form::Value::Number(n)),
                blogtrack_review::form::Kind::Scale { options },
            ) = (m.answers.get(&f.key), &f.kind)
            {
                let label = options
                    .iter()
                    .find(|o| o.0 == *n)
                    .map(|o| o.1.clone())
                    .unwrap_or_else(|| n.to_string());
                recs.entry(m.submission_id.clone()).or_default().push(label);
            }
        }
    }
    Ok(subs
        .into_iter()
        .map(|s| Row {
            reviews: reviews.get(&s.id).copied().unwrap_or(0),
            recommendation: recs.remove(&s.id).unwrap_or_default().join(", "),
            current: current.remove(&s.id),
            sub: s,
        })
        .collect())
}

pub async fn table(ctx: Ctx) -> AppResult<Response> {
    if !ctx.has(Role::Organizer) {
        return Err(AppError::forbidden(ctx.format, "Only organizers decide."));
    }
    let rows = rows(&ctx).await?;
    let s = &ctx.state.settings;
    let refusal = ctx.phase_allows(Action::Decide, false).err();
    let j = json!({
        "open": refusal.is_none(),
        "options": s.decisions, "awards": s.awards,
        "release_at": when::at(&s.dates, Milestone::Decisions),
        "submissions": rows.iter().map(|r| json!({
            "id": r.sub.id, "number": r.sub.number, "title": r.sub.title, "slug": r.sub.slug,
            "reviews_submitted": r.reviews, "recommendation": r.recommendation,
            "decision": r.current.as_ref().map(|d| decision_json(s, d, true)),
        })).collect::<Vec<_>>(),
    });
    Ok(reply(&ctx, j, || {
        pages::page(
            &ctx,
            "Decisions",
            html! {
                p.note { "Choose a decision in each row to decide (an empty row is left as it is); one button saves every row at once. "
                    @match when::at(&s.dates, Milestone::Decisions) { Some(d) => { "Authors and reviewers see decisions from " (pages::when(d)) "." } None => { "No release date (blogtrack.dates.decisions) is set: nobody but organizers sees a decision." } } }
                @if let Some(r) = &refusal { p.error { (r.message()) } }
                form method="post" action="/decisions" {
                    (pages::csrf(&ctx))
                    div.table-wrap { table {
                        thead { tr { th { "#" } th { "Title" } th { "Reviews" } th { "Meta-review" } th { "Current" } th { "Decision" } th { "Award" } th { "Poster" } th { "Note" } } }
                        tbody { @for r in &rows {
                            @let id = &r.sub.id;
                            tr {
                                td { a href={ "/submissions/" (id) "/decision" } { (r.sub.number) } }
                                td { (r.sub.title) }
                                td { (r.reviews) }
                                td { (r.recommendation) }
                                td { @if let Some(d) = &r.current { (outcome_label(s, &d.outcome)) @if let Some(a) = &d.award { " · " (award_label(s, a)) } } }
                                td { label.visually-hidden for={ "o-" (id) } { "Decision for #" (r.sub.number) }
                                    select id={ "o-" (id) } name={ "outcome_" (id) } {
                                        option value="" { "—" }
                                        @for o in &s.decisions { option value=(o.key) { (o.label) } }
                                    } }
                                td { label.visually-hidden for={ "a-" (id) } { "Award for #" (r.sub.number) }
                                    select id={ "a-" (id) } name={ "award_" (id) } {
                                        option value="" { "none" }
                                        @for a in &s.awards { option value=(a.key) { (a.label) } }
                                    } }
                                td { input type="checkbox" id={ "p-" (id) } name={ "poster_" (id) } aria-label={ "Poster session for #" (r.sub.number) }; }
                                td { input type="text" id={ "n-" (id) } name={ "note_" (id) } maxlength=(MAX_NOTE) aria-label={ "Note for #" (r.sub.number) }; }
                            }
                        } }
                    } }
                    @if refusal.is_none() { button type="submit" { "Save the decisions" } }
                }
            },
        )
    }))
}

pub async fn bulk(ctx: Ctx, input: Input) -> AppResult<Response> {
    if !ctx.has(Role::Organizer) {
        return Err(AppError::forbidden(ctx.format, "Only organizers decide."));
    }
    ctx.require_phase(Action::Decide, false)?;
    let v = ctx.viewer()?;
    let store = &ctx.state.store;
    let known: Vec<String> = store
        .submissions_for(&v.person.id)
        .await
        .map_err(|e| ctx.internal(e))?
        .into_iter()
        .map(|s| s.id)
        .collect();
    let s = &ctx.state.settings;
    for (k, text) in &input.fields {
        super::check_text(k, text, MAX_NOTE, false).map_err(|m| AppError::bad(ctx.format, m))?;
    }
    let rows =
        decision::read_bulk(&s.decisions, &s.awards, &known, &input.fields).map_err(|errors| {
            AppError::bad(ctx.format, "No decision was saved: fix the rows below.")
                .with_fields(errors.into_iter().map(|e| (e.key, e.message)).collect())
        })?;
    if rows.is_empty() {
        return Err(AppError::bad(
            ctx.format,
            "No row has a decision: choose one in at least one row.",
        ));
    }
    let new: Vec<NewDecision> = rows
        .into_iter()
        .map(|r| NewDecision {
            submission_id: r.submission_id,
            outcome: r.outcome,
            accepted: r.accepted,
            award: r.award,
            poster: r.poster,
            note: r.note,
        })
        .collect();
    let saved = match store.decide(&v.person.id, &new, ctx.state.now()).await {
        Ok(d) => d,
        Err(StoreError::Corrupt(m)) => return Err(AppError::bad(ctx.format, m)),
        Err(e) => return Err(ctx.internal(e)),
    };
    Ok(ctx.done("/decisions", json!({"ok": true, "decided": saved.len()})))
}
