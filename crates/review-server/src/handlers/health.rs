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
    let phase = settings.dates.phase(now);
    let deadlines = [
        ("Submissions close", settings.dates.submission),
        ("Bidding closes", settings.dates.bidding),
        ("Reviews close", settings.dates.review),
    ];
    let body = html! {
        p { "Phase: " strong { (phase.as_str()) } }
        ul {
            @for (what, when) in deadlines {
                @if let Some(t) = when { li { (what) ": " (pages::when(t)) } }
            }
        }
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
