//! The page frame and shared pieces, in maud (every interpolation is escaped). The look is
//! the site theme's: its stylesheet is served as `/review.css` with a few form rules added.
//! Pages work without JavaScript, label every control and fit a 375 px screen.

use crate::ctx::{Ctx, CSRF_FIELD};
use axum::http::StatusCode;
use blogtrack_review::Role;
use maud::{html, Markup, PreEscaped, DOCTYPE};

/// Form rules the theme does not have (inputs, tables that scroll on a phone).
pub const EXTRA_CSS: &str = "
.review-main{max-width:var(--page);margin:0 auto;padding:1rem var(--pad)}
.review-nav{display:flex;flex-wrap:wrap;align-items:center;gap:.25rem 1rem;padding:.75rem var(--pad);border-bottom:1px solid var(--border)}
.review-nav a{padding:.25rem 0}
.review-nav form{margin:0}
.review-nav button{margin-top:0;padding:.25rem .75rem}
label{display:block;font-weight:600;margin-top:1rem}
input[type=text],input[type=email],textarea,select{width:100%;max-width:100%;box-sizing:border-box;font:inherit;padding:.5rem;border:1px solid var(--card-border);border-radius:4px;background:var(--bg);color:var(--fg)}
textarea{min-height:8rem}
button{font:inherit;margin-top:1rem;padding:.5rem 1rem;border:1px solid var(--link);border-radius:4px;background:var(--link);color:#fff;cursor:pointer}
button.secondary{background:var(--bg);color:var(--link)}
:focus-visible{outline:3px solid var(--link);outline-offset:2px}
.inline{display:inline}
details.reopen{margin:.5rem 0 .75rem}
details.reopen summary{cursor:pointer;color:var(--link)}
.check label{display:inline;font-weight:400}
.table-wrap{overflow-x:auto;position:relative}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.4rem;border-bottom:1px solid var(--border);vertical-align:top}
.error{border-left:4px solid #b3261e;padding:.5rem 1rem;background:var(--subtle-bg)}
.note{color:var(--muted)}
.rendered{border:1px solid var(--border);padding:.5rem 1rem;border-radius:4px}
";

pub fn page(ctx: &Ctx, title: &str, body: Markup) -> String {
    let nav = nav(ctx);
    frame(&ctx.state.track_name, title, nav, body)
}

fn frame(track: &str, title: &str, nav: Markup, body: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · " (track) " review" }
                link rel="stylesheet" href="/review.css";
            }
            body {
                a.skip-link href="#main" { "Skip to content" }
                header { (nav) }
                main #main .review-main { h1 { (title) } (body) }
            }
        }
    }
    .into_string()
}

fn nav(ctx: &Ctx) -> Markup {
    html! {
        nav.review-nav aria-label="Review" {
            a href="/" { strong { (ctx.state.track_name) " review" } }
            @if let Some(v) = &ctx.viewer {
                a href="/submissions" { "Submissions" }
                @if v.person.roles.is_committee() { a href="/bids" { "Bidding" } }
                @if v.person.roles.has(Role::Organizer) {
                    a href="/assignments" { "Assignments" }
                    a href="/dashboard" { "Dashboard" }
                    a href="/decisions" { "Decisions" }
                    a href="/audit" { "Audit log" }
                    a href="/people" { "People" }
                    a href="/mail" { "Mail" }
                    a href="/outbox" { "Outbox" }
                }
                a href="/me" { "Profile" }
                form.inline method="post" action="/sign-out" {
                    (csrf(ctx))
                    button.secondary type="submit" { "Sign out" }
                }
            } @else {
                a href="/sign-in" { "Sign in" }
            }
        }
    }
}

/// The hidden CSRF field every form carries.
pub fn csrf(ctx: &Ctx) -> Markup {
    html! { input type="hidden" name=(CSRF_FIELD) value=(ctx.csrf); }
}

pub fn error_page(status: StatusCode, message: &str, fields: &[(String, String)]) -> String {
    let body = html! {
        div.error role="alert" {
            p { (message) }
            @if !fields.is_empty() {
                ul { @for (k, m) in fields { li { code { (k) } ": " (m) } } }
            }
        }
        p { a href="/" { "Home" } " · " a href="/submissions" { "Submissions" } }
    };
    let title = status.canonical_reason().unwrap_or("Error");
    frame("blogtrack", title, html! {}, body)
}

/// Sanitized HTML (already cleaned by [`crate::markdown`]).
pub fn trusted(html: String) -> PreEscaped<String> {
    PreEscaped(html)
}

/// An instant as the pages show it, in AoE like the track's deadlines.
pub fn when(instant: i64) -> String {
    blogtrack_review::dates::DateTime::aoe(instant).written()
}
