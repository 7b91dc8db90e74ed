//! Liveness, the stylesheet and the home page.

use crate::ctx::Ctx;
use crate::pages;
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use blogtrack_review::Role;
use maud::html;

/// `GET /healthz`: 200 while the database answers.
pub async fn healthz(ctx: Ctx) -> Response {
    match ctx.state.store.people().await {
        Ok(_) => "ok\n".into_response(),
        Err(e) => ctx.internal(e).into_response(),
    }
}

pub async fn stylesheet(_ctx: Ctx) -> Response {
    let css = format!("{}\n{}", blogtrack_theme::stylesheet(), pages::EXTRA_CSS);
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        css,
    )
        .into_response()
}

pub async fn home(ctx: Ctx) -> Response {
    let settings = &ctx.state.settings;
    let now = ctx.state.now();
    let phase = blogtrack_review::Phase::at(now, &settings.dates);
    let next = settings.dates.dates.iter().find(|d| now <= d.at.unix);
    let body = html! {
        p { "Phase: " strong { (phase.label()) } }
        @if let Some(d) = next { p { "Next: the " (d.milestone.label()) ", " (d.at.in_aoe()) " (" (d.at.utc()) ")." } }
        p { a href="/timeline" { "All the dates of the track" } }
        @match &ctx.viewer {
            None => {
                p { "Sign in with your e-mail address: you get a one-time link." }
                p { a href="/sign-in" { "Sign in" } }
            }
            Some(v) => {
                p { "Signed in as " (v.person.name) " (" (v.person.email) ")." }
                ul {
                    li { a href="/submissions" { "Submissions you may see" } }
                    li { a href="/submissions/new" { "Submit a blog post" } }
                    @if v.person.roles.is_committee() { li { a href="/bids" { "Bid on submissions" } } }
                    @if v.person.roles.has(Role::Organizer) { li { a href="/assignments" { "Assign reviewers" } } }
                }
            }
        }
    };
    Html(pages::page(&ctx, "Review", body)).into_response()
}
