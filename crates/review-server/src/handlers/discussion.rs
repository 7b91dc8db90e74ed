//! The discussion of a submission. The committee (reviewers once their own review is
//! submitted, the area chair, organizers) reads every message and writes until decisions are
//! released; each message says who reads it: the committee only, or the authors too. Authors
//! read the messages addressed to them from the start of the author response period and
//! write their response (readers: authors and committee) while it is open. Writers appear by
//! pseudonym ("Reviewer A", "Area chair A", "Organizers", "Authors"), never by name. Text is
//! Markdown with math, rendered and sanitized; an edit is a new version, the history stays;
//! a message is withdrawn, not deleted.

use super::{check_text, reply, Input};
use crate::ctx::Ctx;
use crate::error::{AppError, AppResult};
use crate::router::Need;
use crate::when;
use crate::{markdown, pages};
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use blogtrack_review::form::DEFAULT_MAX_TEXT;
use blogtrack_review::{Access, Action, Relation, Role};
use blogtrack_review_store::{well_formed_id, Audience, MessageRow, NewMessage, Submission};
use maud::{html, Markup};
use serde_json::json;

/// How the viewer takes part in this submission's discussion.
struct Seat {
    audience: Audience,
    /// The role stored with what they write.
    role: &'static str,
    /// May they write now (the phase)?
    open: bool,
    organizer: bool,
}

/// The viewer's seat, or the refusal (the route's need let committee and authors through).
fn seat(ctx: &Ctx, access: &Access, relation: Relation) -> AppResult<Seat> {
    let now = ctx.state.now();
    let dates = &ctx.state.settings.dates;
    let organizer = ctx.has(Role::Organizer);
    if access.discuss {
        let role = match relation {
            Relation::Reviewer { .. } => "reviewer",
            Relation::AreaChair => "area-chair",
            _ => "organizer",
        };
        return Ok(Seat {
            audience: Audience::Committee,
            role,
            open: when::may(Action::Discuss, dates, now).is_ok(),
            organizer,
        });
    }
    if access.respond && when::response_started(dates, now) {
        return Ok(Seat {
            audience: Audience::Authors,
            role: "author",
            open: when::may(Action::AuthorRespond, dates, now).is_ok(),
            organizer: false,
        });
    }
    if access.respond {
        // Before the response period: the phase table's refusal (it opens after the reviews
        // deadline, or is not scheduled when the track sets none).
        if let Err(r) = when::may(Action::AuthorRespond, dates, now) {
            if r.code() != "closed" {
                return Err(AppError::refused(ctx.format, &r));
            }
        }
        return Err(AppError::forbidden(
            ctx.format,
            "This track has no author response period (no reviews deadline is set).",
        ));
    }
    Err(AppError::forbidden(
        ctx.format,
        "The discussion opens once you have submitted your review.",
    ))
}

/// Why the seat may not write now: the phase table's refusal (403, with its code in JSON).
fn closed(ctx: &Ctx, seat: &Seat) -> AppError {
    let action = if seat.audience == Audience::Authors {
        Action::AuthorRespond
    } else {
        Action::Discuss
    };
    match when::may(action, &ctx.state.settings.dates, ctx.state.now()) {
        Err(r) => AppError::refused(ctx.format, &r),
        Ok(()) => AppError::forbidden(ctx.format, "The discussion is closed."),
    }
}

fn message_json(m: &MessageRow, organizer: bool) -> serde_json::Value {
    let withdrawn = m.withdrawn_at.is_some();
    let mut j = serde_json::to_value(m).unwrap_or_default();
    if withdrawn && !organizer {
        j["body"] = json!("");
        j["rendered"] = json!("");
    } else {
        j["rendered"] = json!(markdown::render(&m.body));
    }
    j
}

fn readers_label(readers: &str) -> &'static str {
    if readers == "authors" {
        "authors and committee"
    } else {
        "committee only"
    }
}

fn message_html(ctx: &Ctx, sub: &Submission, m: &MessageRow, seat: &Seat, mine: bool) -> Markup {
    let action = format!("/submissions/{}/discussion/{}", sub.id, m.id);
    html! {
        article.message id={ "m-" (m.id) } {
            p.note { strong { (m.pseudonym) } " · " (pages::when(m.created_at)) " · readers: " (readers_label(&m.readers))
                @if m.version > 1 { " · edited (version " (m.version) ", " a href={ (action) "/history" } { "history" } ")" }
                @if m.kind == "author-response" { " · author response" } }
            @if m.withdrawn_at.is_some() {
                p.note { "This message was withdrawn." }
                @if seat.organizer { div.rendered { (pages::trusted(markdown::render(&m.body))) } }
            } @else {
                div.rendered { (pages::trusted(markdown::render(&m.body))) }
                @if seat.open && (mine || seat.organizer) {
                    details {
                        summary { @if mine { "Edit or withdraw" } @else { "Withdraw" } }
                        form method="post" action=(action) {
                            (pages::csrf(ctx))
                            input type="hidden" name="version" value=(m.version);
                            @if mine {
                                label for={ "b-" (m.id) } { "Message" }
                                textarea id={ "b-" (m.id) } name="body" maxlength=(DEFAULT_MAX_TEXT) required { (m.body) }
                                (readers_select(seat, &format!("r-{}", m.id), &m.readers))
                                button type="submit" name="action" value="edit" { "Save the new version" } " "
                            }
                            button.secondary type="submit" name="action" value="withdraw" { "Withdraw" }
                        }
                    }
                }
            }
        }
    }
}

fn readers_select(seat: &Seat, id: &str, current: &str) -> Markup {
    html! {
        @if seat.audience == Audience::Committee {
            label for=(id) { "Readers" }
            select id=(id) name="readers" {
                option value="committee" selected[current != "authors"] { "Committee only (reviewers, area chair, organizers)" }
                option value="authors" selected[current == "authors"] { "Authors and committee" }
            }
        } @else {
            input type="hidden" name="readers" value="authors";
            p.note { "Your response is read by the reviewers, the area chair and the organizers." }
        }
    }
}

fn new_message_form(ctx: &Ctx, sub: &Submission, seat: &Seat, thread: Option<&str>) -> Markup {
    let id = format!("new-{}", thread.unwrap_or("thread"));
    html! {
        form method="post" action={ "/submissions/" (sub.id) "/discussion" } {
            (pages::csrf(ctx))
            @if let Some(t) = thread { input type="hidden" name="thread" value=(t); }
            label for=(id) { @if thread.is_some() { "Reply" } @else if seat.audience == Audience::Authors { "Your response (Markdown, $math$)" } @else { "New thread (Markdown, $math$)" } }
            textarea id=(id) name="body" maxlength=(DEFAULT_MAX_TEXT) required {}
            (readers_select(seat, &format!("{id}-readers"), "committee"))
            button type="submit" { "Post" }
        }
    }
}

pub async fn show(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    let (sub, access, relation) = ctx.submission(&id, Need::Discuss).await?;
    let seat = seat(&ctx, &access, relation)?;
    let v = ctx.viewer()?;
    let messages = ctx
        .state
        .store
        .messages_for(&v.person.id, &id, seat.audience)
        .await
        .map_err(|e| ctx.internal(e))?;
    let j = json!({
        "open": seat.open,
        "audience": if seat.audience == Audience::Authors { "authors" } else { "committee" },
        "messages": messages.iter().map(|m| message_json(m, seat.organizer)).collect::<Vec<_>>(),
    });
    Ok(reply(&ctx, j, || {
        let mut threads: Vec<(&str, Vec<&MessageRow>)> = Vec::new();
        for m in &messages {
            match threads.iter_mut().find(|(t, _)| *t == m.thread_id) {
                Some((_, list)) => list.push(m),
                None => threads.push((&m.thread_id, vec![m])),
            }
        }
        pages::page(
            &ctx,
            &format!("Discussion of #{} {}", sub.number, sub.title),
            html! {
                @if !seat.open { p.error { "The discussion is closed: it can be read, not written." } }
                @if threads.is_empty() { p { "No message yet." } }
                @for (thread, list) in &threads {
                    section.thread {
                        @for m in list { (message_html(&ctx, &sub, m, &seat, m.author_id == v.person.id)) }
                        @if seat.open { (new_message_form(&ctx, &sub, &seat, Some(thread))) }
                    }
                }
                @if seat.open { h2 { @if seat.audience == Audience::Authors { "Author response" } @else { "Start a thread" } } (new_message_form(&ctx, &sub, &seat, None)) }
            },
        )
    }))
}

/// Reads `body` and `readers` of a message form; `readers` must be one the seat may choose.
fn read_body(ctx: &Ctx, input: &Input, seat: &Seat) -> AppResult<(String, String)> {
    let body = input.get("body").replace("\r\n", "\n");
    check_text("The message", &body, DEFAULT_MAX_TEXT, true).map_err(|m| {
        AppError::bad(ctx.format, m).with_fields(vec![("body".into(), "see above".into())])
    })?;
    let readers = match (seat.audience, input.get("readers")) {
        (Audience::Committee, "" | "committee") => "committee",
        (_, "authors") => "authors",
        (Audience::Authors, "") => "authors",
        (_, other) => {
            return Err(AppError::bad(
                ctx.format,
                format!(
                    "`readers` is `committee` or `authors`, not `{}`",
                    other.chars().take(40).collect::<String>()
                ),
            ))
        }
    };
    Ok((body, readers.to_string()))
}

fn no_other_fields(ctx: &Ctx, input: &Input, allowed: &[&str]) -> AppResult<()> {
    match input.fields.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(AppError::bad(
            ctx.format,
            format!(
                "The form has no field `{}`.",
                k.chars().take(40).collect::<String>()
            ),
        )),
        None => Ok(()),
    }
}

pub async fn post(ctx: Ctx, Path(id): Path<String>, input: Input) -> AppResult<Response> {
    let (_, access, relation) = ctx.submission(&id, Need::Discuss).await?;
    let seat = seat(&ctx, &access, relation)?;
    if !seat.open {
        return Err(closed(&ctx, &seat));
    }
    no_other_fields(&ctx, &input, &["body", "readers", "thread"])?;
    let (body, readers) = read_body(&ctx, &input, &seat)?;
    let v = ctx.viewer()?;
    let store = &ctx.state.store;
    let thread = match input.get("thread") {
        "" => None,
        t => {
            // A thread the viewer cannot read (another submission's, or committee-only for
            // an author) is answered as if it did not exist.
            let root = if well_formed_id(t) {
                store.message(t).await.map_err(|e| ctx.internal(e))?
            } else {
                None
            };
            let readable = root.as_ref().is_some_and(|m| {
                m.submission_id == id
                    && m.thread_id == m.id
                    && (seat.audience == Audience::Committee || m.readers == "authors")
            });
            if !readable {
                return Err(AppError::not_found(ctx.format));
            }
            Some(t.to_string())
        }
    };
    let new = NewMessage {
        submission_id: id.clone(),
        thread_id: thread,
        author_id: v.person.id.clone(),
        author_role: seat.role.into(),
        kind: if seat.audience == Audience::Authors {
            "author-response"
        } else {
            "comment"
        }
        .into(),
        readers,
        body,
    };
    let m = store
        .post_message(&new, ctx.state.now())
        .await
        .map_err(|e| ctx.internal(e))?;
    Ok(ctx.done(
        &format!("/submissions/{id}/discussion#m-{}", m.id),
        json!({"ok": true, "id": m.id, "thread": m.thread_id, "pseudonym": m.pseudonym}),
    ))
}

/// The message `mid` of submission `id` if the viewer's seat may read it.
async fn readable_message(ctx: &Ctx, id: &str, mid: &str, seat: &Seat) -> AppResult<MessageRow> {
    let found = if well_formed_id(mid) {
        ctx.state
            .store
            .message(mid)
            .await
            .map_err(|e| ctx.internal(e))?
    } else {
        None
    };
    found
        .filter(|m| {
            m.submission_id == id
                && (seat.audience == Audience::Committee || m.readers == "authors")
        })
        .ok_or_else(|| AppError::not_found(ctx.format))
}

pub async fn edit(
    ctx: Ctx,
    Path((id, mid)): Path<(String, String)>,
    mut input: Input,
) -> AppResult<Response> {
    let (_, access, relation) = ctx.submission(&id, Need::Discuss).await?;
    let seat = seat(&ctx, &access, relation)?;
    if !seat.open {
        return Err(closed(&ctx, &seat));
    }
    let m = readable_message(&ctx, &id, &mid, &seat).await?;
    let v = ctx.viewer()?;
    let mine = m.author_id == v.person.id;
    let action = input
        .fields
        .remove("action")
        .unwrap_or_else(|| "edit".into());
    let version = match input.fields.remove("version") {
        None => None,
        Some(s) => Some(
            s.trim()
                .parse::<i64>()
                .map_err(|_| AppError::bad(ctx.format, "`version` must be a number."))?,
        ),
    };
    let store = &ctx.state.store;
    let now = ctx.state.now();
    match action.as_str() {
        "withdraw" if mine || seat.organizer => {
            no_other_fields(&ctx, &input, &["body", "readers"])?;
            store
                .withdraw_message(&mid, &v.person.id, now)
                .await
                .map_err(|e| ctx.internal(e))?;
        }
        "edit" if mine => {
            no_other_fields(&ctx, &input, &["body", "readers"])?;
            let (body, readers) = read_body(&ctx, &input, &seat)?;
            match store
                .edit_message(&mid, &v.person.id, &body, &readers, version, now)
                .await
                .map_err(|e| ctx.internal(e))?
            {
                None => {
                    return Err(AppError::forbidden(
                        ctx.format,
                        "A withdrawn message cannot be edited.",
                    ))
                }
                Some(Err(_)) => return Err(AppError::new(
                    ctx.format,
                    StatusCode::CONFLICT,
                    "The message was changed elsewhere in the meantime: reload it and edit again.",
                )),
                Some(Ok(_)) => {}
            }
        }
        "edit" | "withdraw" => {
            return Err(AppError::forbidden(
                ctx.format,
                "Only its writer may change a message (organizers may withdraw one).",
            ))
        }
        _ => return Err(AppError::bad(ctx.format, "`action` is edit or withdraw.")),
    }
    Ok(ctx.done(
        &format!("/submissions/{id}/discussion#m-{mid}"),
        json!({"ok": true, "id": mid}),
    ))
}

pub async fn history(ctx: Ctx, Path((id, mid)): Path<(String, String)>) -> AppResult<Response> {
    let (sub, access, relation) = ctx.submission(&id, Need::Discuss).await?;
    let seat = seat(&ctx, &access, relation)?;
    let m = readable_message(&ctx, &id, &mid, &seat).await?;
    if m.withdrawn_at.is_some() && !seat.organizer {
        return Err(AppError::not_found(ctx.format));
    }
    let versions: Vec<_> = ctx
        .state
        .store
        .message_versions(&mid)
        .await
        .map_err(|e| ctx.internal(e))?
        .into_iter()
        .filter(|v| seat.audience == Audience::Committee || v.readers == "authors")
        .collect();
    let j = json!({"message": mid, "pseudonym": m.pseudonym, "versions": versions.iter().map(|v| {
        json!({"version": v.version, "saved_at": v.saved_at, "readers": v.readers, "body": v.body, "rendered": markdown::render(&v.body)})
    }).collect::<Vec<_>>()});
    Ok(reply(&ctx, j, || {
        pages::page(
            &ctx,
            &format!("History of a message by {} on #{}", m.pseudonym, sub.number),
            html! {
                p { a href={ "/submissions/" (sub.id) "/discussion" } { "Back to the discussion" } }
                @for v in &versions {
                    article { h2 { "Version " (v.version) } p.note { (pages::when(v.saved_at)) " · readers: " (readers_label(&v.readers)) }
                        div.rendered { (pages::trusted(markdown::render(&v.body))) } }
                }
            },
        )
    }))
}
