//! One's own profile (institutions and co-authors declared for conflicts), and for
//! organizers: people, invitations, the outbox and the audit log.

use super::{check_text, reply, Input};
use crate::ctx::Ctx;
use crate::error::{AppError, AppResult};
use crate::handlers::sign_in::{valid_email, INVITATION_TTL};
use crate::{pages, secret, templates};
use axum::response::Response;
use blogtrack_review::Role;
use maud::html;

pub async fn me(ctx: Ctx) -> AppResult<Response> {
    let v = ctx.viewer()?;
    let p = &v.person;
    Ok(reply(
        &ctx,
        serde_json::to_value(p).unwrap_or_default(),
        || {
            pages::page(
                &ctx,
                "Your profile",
                html! {
                    p { (p.email) " · roles: " @for r in p.roles.iter() { (r.label()) " " } }
                    form method="post" action="/me" {
                        (pages::csrf(&ctx))
                        label for="name" { "Name" }
                        input #name type="text" name="name" value=(p.name) required;
                        label for="institution" { "Institution" }
                        input #institution type="text" name="institution" value=(p.institution);
                        label for="other_institutions" { "Other institutions of the last three years (one per line)" }
                        textarea #other_institutions name="other_institutions" { (p.other_institutions.join("\n")) }
                        label for="coauthors" { "Co-authors of the last three years: names or e-mails, one per line" }
                        textarea #coauthors name="coauthors" { (p.coauthors.join("\n")) }
                        button type="submit" { "Save" }
                    }
                },
            )
        },
    ))
}

pub async fn update_me(ctx: Ctx, input: Input) -> AppResult<Response> {
    let v = ctx.viewer()?;
    let mut problems = Vec::new();
    for (label, key, max, req) in [
        ("Name", "name", 200, true),
        ("Institution", "institution", 300, false),
        ("Other institutions", "other_institutions", 5000, false),
        ("Co-authors", "coauthors", 20000, false),
    ] {
        if let Err(m) = check_text(label, input.get(key), max, req) {
            problems.push((key.to_string(), m));
        }
    }
    if !problems.is_empty() {
        return Err(AppError::bad(ctx.format, "The profile was not saved.").with_fields(problems));
    }
    let lines = |k: &str| {
        input
            .get(k)
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    ctx.state
        .store
        .set_profile(
            &v.person.id,
            input.get("name"),
            input.get("institution"),
            &lines("other_institutions"),
            &lines("coauthors"),
            ctx.state.now(),
        )
        .await
        .map_err(|e| ctx.internal(e))?;
    Ok(ctx.done("/me", serde_json::json!({"ok": true})))
}

pub async fn list(ctx: Ctx) -> AppResult<Response> {
    if !ctx.has(Role::Organizer) {
        return Err(AppError::forbidden(
            ctx.format,
            "Only organizers see the people of the track.",
        ));
    }
    let people = ctx
        .state
        .store
        .people()
        .await
        .map_err(|e| ctx.internal(e))?;
    Ok(reply(
        &ctx,
        serde_json::to_value(&people).unwrap_or_default(),
        || {
            pages::page(
                &ctx,
                "People",
                html! {
                    h2 { "Invite a reviewer or area chair" }
                    form method="post" action="/invitations" {
                        (pages::csrf(&ctx))
                        label for="email" { "E-mail" }
                        input #email type="email" name="email" required;
                        label for="name" { "Name" }
                        input #name type="text" name="name";
                        label for="role" { "Role" }
                        select #role name="role" {
                            option value="reviewer" { "Reviewer" }
                            option value="area-chair" { "Area chair" }
                            option value="organizer" { "Organizer" }
                        }
                        button type="submit" { "Send invitation" }
                    }
                    h2 { "Everyone" }
                    div.table-wrap { table {
                        thead { tr { th { "Name" } th { "E-mail" } th { "Institution" } th { "Roles" } } }
                        tbody { @for p in &people { tr {
                            td { (p.name) } td { (p.email) } td { (p.institution) }
                            td { @for r in p.roles.iter() { (r.label()) " " } }
                        } } }
                    } }
                },
            )
        },
    ))
}

pub async fn invite(ctx: Ctx, input: Input) -> AppResult<Response> {
    if !ctx.has(Role::Organizer) {
        return Err(AppError::forbidden(ctx.format, "Only organizers invite."));
    }
    let v = ctx.viewer()?;
    let email = input.get("email").trim().to_lowercase();
    if !valid_email(&email) {
        return Err(AppError::bad(
            ctx.format,
            "Give the invitee's e-mail address.",
        ));
    }
    check_text("Name", input.get("name"), 200, false).map_err(|m| AppError::bad(ctx.format, m))?;
    let role = match Role::parse(input.get("role")) {
        Some(r @ (Role::Reviewer | Role::AreaChair | Role::Organizer)) => r,
        _ => {
            return Err(AppError::bad(
                ctx.format,
                "The role must be reviewer, area-chair or organizer.",
            ))
        }
    };
    let now = ctx.state.now();
    let token = secret::token();
    let store = &ctx.state.store;
    let link = format!("{}/invite/{token}", ctx.state.base_url);
    let mut mail = ctx.state.mailer.compose(
        templates::INVITATION,
        &email,
        &[
            ("track", ctx.state.track_name.clone()),
            ("name", input.get("name").trim().to_string()),
            ("link", link),
            ("role", role.label().to_lowercase()),
            ("days", (INVITATION_TTL / 86_400).to_string()),
        ],
    );
    mail.expires_at = Some(now + INVITATION_TTL);
    store
        .create_invitation(
            &secret::hash(&token),
            &email,
            input.get("name"),
            role,
            &v.person.id,
            now,
            INVITATION_TTL,
            &mail,
        )
        .await
        .map_err(|e| ctx.internal(e))?;
    ctx.state.mailer.queued();
    Ok(ctx.done("/people", serde_json::json!({"ok": true})))
}

pub async fn outbox(ctx: Ctx) -> AppResult<Response> {
    if !ctx.has(Role::Organizer) {
        return Err(AppError::forbidden(
            ctx.format,
            "Only organizers read the outbox.",
        ));
    }
    let v = ctx.viewer()?;
    let (mails, left_out) = ctx
        .state
        .store
        .outbox_for(&v.person.id, 200)
        .await
        .map_err(|e| ctx.internal(e))?;
    Ok(reply(
        &ctx,
        serde_json::to_value(&mails).unwrap_or_default(),
        || {
            pages::page(
                &ctx,
                "Outbox",
                html! {
                    p.note { "Every message the server queued, newest first: queued (waiting for its first or next attempt), sending (a sender holds it), sent, or failed (given up; the last error is shown). Without SMTP settings, messages are printed on the server's console instead of sent." }
                    @if left_out > 0 {
                        p.note { (left_out) " message(s) about submissions you have a conflict with or wrote are not shown." }
                    }
                    @for m in &mails {
                        article.mail {
                            h2 { (m.subject) }
                            p.note {
                                "To " (m.to_address) " · " (m.kind) " · queued " (pages::when(m.created_at)) " · "
                                strong { (m.state) }
                                @if let Some(t) = m.sent_at { " " (pages::when(t)) }
                                @if m.attempts > 0 { " · " (m.attempts) " attempt(s)" }
                                @if m.state == "queued" && m.attempts > 0 { " · next " (pages::when(m.next_attempt_at)) }
                            }
                            @if let Some(e) = &m.last_error { p.error { "Last error: " (e) } }
                            pre { (m.body) }
                        }
                    }
                },
            )
        },
    ))
}

#[derive(serde::Deserialize)]
pub struct AuditQuery {
    submission: Option<String>,
}

/// The audit log, newest first: who, when, what, before → after; `?submission=ID` keeps the
/// entries about one submission (it, its reviews, meta-reviews and messages). Entries about a
/// submission the reader has a conflict with or wrote are left out, in the query.
pub async fn audit(
    ctx: Ctx,
    axum::extract::Query(q): axum::extract::Query<AuditQuery>,
) -> AppResult<Response> {
    if !ctx.has(Role::Organizer) {
        return Err(AppError::forbidden(
            ctx.format,
            "Only organizers read the audit log.",
        ));
    }
    let filter = q.submission.filter(|s| !s.is_empty());
    if let Some(s) = &filter {
        if !blogtrack_review_store::well_formed_id(s) {
            return Err(AppError::bad(
                ctx.format,
                "`submission` must be a submission id (32 hexadecimal digits).",
            ));
        }
    }
    let v = ctx.viewer()?;
    let store = &ctx.state.store;
    let log = store
        .audit_log_for(&v.person.id, 500, filter.as_deref())
        .await
        .map_err(|e| ctx.internal(e))?;
    let names: std::collections::HashMap<String, String> = store
        .people()
        .await
        .map_err(|e| ctx.internal(e))?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let show =
        |v: &Option<serde_json::Value>| v.as_ref().map(|v| v.to_string()).unwrap_or_default();
    Ok(reply(
        &ctx,
        serde_json::json!({"submission": filter, "entries": log}),
        || {
            pages::page(
                &ctx,
                "Audit log",
                html! {
                    p.note { "Entries about submissions you have a conflict with or wrote are not shown." }
                    form method="get" action="/audit" {
                        label for="submission" { "Only the entries of submission (id)" }
                        input #submission type="text" name="submission" value=(filter.clone().unwrap_or_default()) maxlength="32";
                        button type="submit" { "Filter" }
                    }
                    div.table-wrap { table {
                        thead { tr { th { "When" } th { "Who" } th { "What" } th { "Object" } th { "Before" } th { "After" } } }
                        tbody { @for e in &log { tr {
                            td { (pages::when(e.at)) }
                            td { @if let Some(a) = &e.actor_id { (names.get(a).cloned().unwrap_or_else(|| a.clone())) } }
                            td { (e.action) } td { (e.object_kind) " " code { (e.object_id) } }
                            td { code { (show(&e.before)) } } td { code { (show(&e.after)) } }
                        } } }
                    } }
                },
            )
        },
    ))
}
