//! Sign-in by one-time e-mail link, invitations, sign-out. A link is shown on a page with a
//! button (POST) rather than used on GET, so a mail scanner that fetches links does not use
//! it up. Links expire after [`LINK_TTL`]; requests are rate-limited per address and overall.

use super::{check_text, reply, Input};
use crate::ctx::{set_cookie, Ctx, Format, SESSION_COOKIE, SESSION_TTL};
use crate::error::{AppError, AppResult};
use crate::{pages, secret, templates};
use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;

pub const LINK_TTL: i64 = 30 * 60;
pub const INVITATION_TTL: i64 = 14 * 24 * 3600;
/// Sign-in requests allowed per address, and in all, per [`RATE_WINDOW`].
pub const PER_ADDRESS: i64 = 5;
pub const OVERALL: i64 = 300;
pub const RATE_WINDOW: i64 = 15 * 60;

pub fn valid_email(email: &str) -> bool {
    let e = email.trim();
    match e.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && e.len() <= 254
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && e.chars()
                    .all(|c| c.is_ascii_graphic() && c != '<' && c != '>' && c != '"' && c != ',')
                && !domain.contains('@')
        }
        None => false,
    }
}

pub async fn form(ctx: Ctx) -> Response {
    let body = html! {
        form method="post" action="/sign-in" {
            (pages::csrf(&ctx))
            label for="email" { "E-mail address" }
            input #email type="email" name="email" required autocomplete="email";
            button type="submit" { "Send me a sign-in link" }
        }
    };
    axum::response::Html(pages::page(&ctx, "Sign in", body)).into_response()
}

pub async fn request(ctx: Ctx, input: Input) -> AppResult<Response> {
    let email = input.get("email").trim().to_lowercase();
    if !valid_email(&email) {
        return Err(
            AppError::bad(ctx.format, "Give an e-mail address like name@example.org.")
                .with_fields(vec![("email".into(), "not an e-mail address".into())]),
        );
    }
    let store = &ctx.state.store;
    let now = ctx.state.now();
    let since = now - RATE_WINDOW;
    let mine = store
        .count_sign_in_request(&format!("email:{email}"), now, since)
        .await
        .map_err(|e| ctx.internal(e))?;
    let all = store
        .count_sign_in_request("all", now, since)
        .await
        .map_err(|e| ctx.internal(e))?;
    if mine > PER_ADDRESS || all > OVERALL {
        return Err(AppError::new(ctx.format, StatusCode::TOO_MANY_REQUESTS, "Too many sign-in requests: wait a quarter of an hour and use the last link you received."));
    }
    let name = email.split('@').next().unwrap_or("").to_string();
    let person = store
        .ensure_person(&email, &name, "", &[], None, now)
        .await
        .map_err(|e| ctx.internal(e))?;
    let token = secret::token();
    let link = format!("{}/sign-in/{token}", ctx.state.base_url);
    let mut mail = ctx.state.mailer.compose(
        templates::SIGN_IN,
        &email,
        &[
            ("track", ctx.state.track_name.clone()),
            ("name", person.name.clone()),
            ("link", link),
            ("minutes", (LINK_TTL / 60).to_string()),
        ],
    );
    mail.expires_at = Some(now + LINK_TTL);
    store
        .create_sign_in_link_mailed(&secret::hash(&token), &person.id, now, LINK_TTL, &mail)
        .await
        .map_err(|e| ctx.internal(e))?;
    ctx.state.mailer.queued();
    let msg = "If the address is known to the track, a sign-in link is on its way. It works once, for 30 minutes.";
    Ok(reply(
        &ctx,
        serde_json::json!({"ok": true, "message": msg}),
        || pages::page(&ctx, "Check your e-mail", html! { p { (msg) } }),
    ))
}

pub async fn link(ctx: Ctx, Path(token): Path<String>) -> Response {
    let body = html! {
        form method="post" action={ "/sign-in/" (token) } {
            (pages::csrf(&ctx))
            p { "Sign in on this device?" }
            button type="submit" { "Sign in" }
        }
    };
    axum::response::Html(pages::page(&ctx, "Sign in", body)).into_response()
}

async fn start_session(ctx: &Ctx, person_id: &str) -> AppResult<Response> {
    let token = secret::token();
    let csrf = secret::token();
    let now = ctx.state.now();
    ctx.state
        .store
        .create_session(&secret::hash(&token), person_id, &csrf, now, SESSION_TTL)
        .await
        .map_err(|e| ctx.internal(e))?;
    let cookie = set_cookie(&ctx.state, SESSION_COOKIE, &token, SESSION_TTL);
    let mut resp = match ctx.format {
        Format::Html => Redirect::to("/").into_response(),
        Format::Json => axum::Json(serde_json::json!({"ok": true, "csrf": csrf})).into_response(),
    };
    resp.headers_mut().append(header::SET_COOKIE, cookie);
    Ok(resp)
}

fn used_up(format: Format, what: &str) -> AppError {
    AppError::new(
        format,
        StatusCode::GONE,
        format!("This {what} has expired or was already used: ask for a new one."),
    )
}

pub async fn use_link(ctx: Ctx, Path(token): Path<String>) -> AppResult<Response> {
    if !secret::well_formed(&token) {
        return Err(used_up(ctx.format, "sign-in link"));
    }
    let person = ctx
        .state
        .store
        .use_sign_in_link(&secret::hash(&token), ctx.state.now())
        .await
        .map_err(|e| ctx.internal(e))?
        .ok_or_else(|| used_up(ctx.format, "sign-in link"))?;
    start_session(&ctx, &person).await
}

pub async fn invitation(ctx: Ctx, Path(token): Path<String>) -> Response {
    let body = html! {
        form method="post" action={ "/invite/" (token) } {
            (pages::csrf(&ctx))
            p { "You are invited to the committee of " (ctx.state.track_name) "." }
            label for="name" { "Your name" }
            input #name type="text" name="name" autocomplete="name";
            label for="institution" { "Your institution" }
            input #institution type="text" name="institution" autocomplete="organization";
            button type="submit" { "Accept and sign in" }
        }
    };
    axum::response::Html(pages::page(&ctx, "Invitation", body)).into_response()
}

pub async fn accept(ctx: Ctx, Path(token): Path<String>, input: Input) -> AppResult<Response> {
    if !secret::well_formed(&token) {
        return Err(used_up(ctx.format, "invitation"));
    }
    for (label, key) in [("Name", "name"), ("Institution", "institution")] {
        check_text(label, input.get(key), 200, false).map_err(|m| AppError::bad(ctx.format, m))?;
    }
    let now = ctx.state.now();
    let store = &ctx.state.store;
    let inv = store
        .accept_invitation(&secret::hash(&token), now)
        .await
        .map_err(|e| ctx.internal(e))?
        .ok_or_else(|| used_up(ctx.format, "invitation"))?;
    let name = if input.get("name").trim().is_empty() {
        inv.name.clone()
    } else {
        input.get("name").to_string()
    };
    let person = store
        .ensure_person(
            &inv.email,
            &name,
            input.get("institution"),
            &[inv.role],
            None,
            now,
        )
        .await
        .map_err(|e| ctx.internal(e))?;
    start_session(&ctx, &person.id).await
}

pub async fn sign_out(ctx: Ctx) -> AppResult<Response> {
    let v = ctx.viewer()?;
    ctx.state
        .store
        .end_session(&v.session_hash, ctx.state.now())
        .await
        .map_err(|e| ctx.internal(e))?;
    let mut resp = ctx.done("/", serde_json::json!({"ok": true}));
    resp.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&ctx.state, SESSION_COOKIE, "", 0),
    );
    Ok(resp)
}
