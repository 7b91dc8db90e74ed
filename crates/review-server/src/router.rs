//! Every route of the server, in one table with its access rule. [`app`] builds the router
//! from this table only (each route wrapped in the guard with its rule), and the access-matrix
//! test walks the same table, so a route cannot exist without a rule. Routes marked `api`
//! are also served under `/api/v1` with the same handler, answering JSON.

use crate::ctx::{self, Format, Viewer};
use crate::error::AppError;
use crate::handlers::{
    announce, assignments, bids, dashboard, decisions, discussion, export, health, meta_reviews,
    notify, people, reviews, sign_in, submissions, timeline,
};
use crate::AppState;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post, MethodRouter};
use axum::Router;
use blogtrack_review::{Access, Role};

/// Who may call a route at all (before the handler looks at the object).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Anyone, signed in or not.
    Public,
    /// Anyone signed in.
    SignedIn,
    /// Reviewers, area chairs and organizers.
    Committee,
    Organizer,
    /// Signed in; the handler loads the submission through the conflict-guarded query and
    /// checks this need against [`Access`].
    Submission(Need),
}

/// What a submission route needs of the viewer's [`Access`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// May know it exists (read it, or bid on it).
    Known,
    Edit,
    Bid,
    Review,
    ReadReviews,
    /// Read the submission (not only bid on it).
    Read,
    /// The discussion: the committee, or the authors (the handler checks the response phase).
    Discuss,
    MetaReview,
    /// Organizer's rights on it (no conflict).
    Manage,
}

impl Need {
    pub fn allowed(self, a: &Access) -> bool {
        match self {
            Need::Known => a.visible(),
            Need::Edit => a.edit,
            Need::Bid => a.bid,
            Need::Review => a.review,
            Need::ReadReviews => a.read_reviews,
            Need::Read => a.read,
            Need::Discuss => a.discuss || a.respond,
            Need::MetaReview => a.meta_review,
            Need::Manage => a.manage,
        }
    }

    pub fn refusal(self) -> &'static str {
        match self {
            Need::Known => "You may not open this submission.",
            Need::Edit => "Only the submission's authors may change it.",
            Need::Bid => "You may not bid on this submission.",
            Need::Review => "You are not assigned to review this submission.",
            Need::ReadReviews => "The other reviews open once you have submitted your own.",
            Need::Read => "You may only bid on this submission.",
            Need::Discuss => "The discussion opens once you have submitted your review.",
            Need::MetaReview => "Only the submission's area chair writes its meta-review.",
            Need::Manage => "Only organizers may do this.",
        }
    }
}

impl Rule {
    pub fn check(self, viewer: Option<&Viewer>, format: Format) -> Result<(), AppError> {
        let Some(v) = viewer else {
            return if self == Rule::Public {
                Ok(())
            } else {
                Err(AppError::new(
                    format,
                    StatusCode::UNAUTHORIZED,
                    "Sign in first.",
                ))
            };
        };
        let roles = &v.person.roles;
        let ok = match self {
            Rule::Public | Rule::SignedIn | Rule::Submission(_) => true,
            Rule::Committee => roles.is_committee(),
            Rule::Organizer => roles.has(Role::Organizer),
        };
        if ok {
            Ok(())
        } else {
            Err(AppError::forbidden(
                format,
                "Your role does not give access to this page.",
            ))
        }
    }
}

pub struct Route {
    /// Unique name (used by the access-matrix test).
    pub name: &'static str,
    pub method: &'static str,
    pub path: &'static str,
    pub rule: Rule,
    /// Also under `/api/v1`.
    pub api: bool,
    handler: fn() -> MethodRouter<AppState>,
}

macro_rules! route {
    ($name:literal, GET $path:literal, $rule:expr, $api:literal, $h:path) => {
        Route {
            name: $name,
            method: "GET",
            path: $path,
            rule: $rule,
            api: $api,
            handler: || get($h),
        }
    };
    ($name:literal, POST $path:literal, $rule:expr, $api:literal, $h:path) => {
        Route {
            name: $name,
            method: "POST",
            path: $path,
            rule: $rule,
            api: $api,
            handler: || post($h),
        }
    };
}

use Need::*;
use Rule::*;

pub const API_PREFIX: &str = "/api/v1";

/// The table.
pub static ROUTES: &[Route] = &[
    route!("health", GET "/healthz", Public, false, health::healthz),
    route!("stylesheet", GET "/review.css", Public, false, health::stylesheet),
    route!("home", GET "/", Public, false, health::home),
    route!("timeline", GET "/timeline", Public, true, timeline::show),
    route!("sign-in-form", GET "/sign-in", Public, false, sign_in::form),
    route!("sign-in-request", POST "/sign-in", Public, true, sign_in::request),
    route!("sign-in-link", GET "/sign-in/{token}", Public, false, sign_in::link),
    route!("sign-in-use", POST "/sign-in/{token}", Public, true, sign_in::use_link),
    route!("invitation-form", GET "/invite/{token}", Public, false, sign_in::invitation),
    route!("invitation-accept", POST "/invite/{token}", Public, true, sign_in::accept),
    route!("me", GET "/me", SignedIn, true, people::me),
    route!("me-update", POST "/me", SignedIn, true, people::update_me),
    route!("submissions", GET "/submissions", SignedIn, true, submissions::list),
    route!("submission-new", GET "/submissions/new", SignedIn, false, submissions::new_form),
    route!("submission-create", POST "/submissions", SignedIn, true, submissions::create),
    route!("submission", GET "/submissions/{id}", Submission(Known), true, submissions::show),
    route!("submission-update", POST "/submissions/{id}", Submission(Edit), true, submissions::update),
    route!("conflict-declare", POST "/submissions/{id}/conflict", Submission(Known), true, submissions::declare_conflict),
    route!("bids", GET "/bids", Committee, true, bids::list),
    route!("bid-set", POST "/bids/{id}", Submission(Bid), true, bids::set),
    route!("review", GET "/submissions/{id}/review", Submission(Review), true, reviews::show),
    route!("review-save", POST "/submissions/{id}/review", Submission(Review), true, reviews::save),
    route!("reviews", GET "/submissions/{id}/reviews", Submission(ReadReviews), true, reviews::list),
    route!("discussion", GET "/submissions/{id}/discussion", Submission(Discuss), true, discussion::show),
    route!("message-post", POST "/submissions/{id}/discussion", Submission(Discuss), true, discussion::post),
    route!("message-edit", POST "/submissions/{id}/discussion/{message}", Submission(Discuss), true, discussion::edit),
    route!("message-history", GET "/submissions/{id}/discussion/{message}/history", Submission(Discuss), true, discussion::history),
    route!("meta-review", GET "/submissions/{id}/meta-review", Submission(MetaReview), true, meta_reviews::show),
    route!("meta-review-save", POST "/submissions/{id}/meta-review", Submission(MetaReview), true, meta_reviews::save),
    route!("decision", GET "/submissions/{id}/decision", Submission(Read), true, decisions::show),
    route!("decision-withdraw", POST "/submissions/{id}/decision/withdraw", Submission(Manage), true, decisions::withdraw),
    route!("decisions", GET "/decisions", Organizer, true, decisions::table),
    route!("decisions-save", POST "/decisions", Organizer, true, decisions::bulk),
    route!("dashboard", GET "/dashboard", Organizer, true, dashboard::show),
    route!("decisions-csv", GET "/decisions.csv", Organizer, false, dashboard::decisions_csv),
    route!("assignments", GET "/assignments", Organizer, true, assignments::show),
    route!("assignments-run", POST "/assignments/run", Organizer, true, assignments::run),
    route!("assignment-add", POST "/assignments/add", Organizer, true, assignments::add),
    route!("assignment-remove", POST "/assignments/remove", Organizer, true, assignments::remove),
    route!("review-reopen", POST "/assignments/reopen", Organizer, true, assignments::reopen),
    route!("people", GET "/people", Organizer, true, people::list),
    route!("invitation-create", POST "/invitations", Organizer, true, people::invite),
    route!("outbox", GET "/outbox", Organizer, true, people::outbox),
    route!("mail", GET "/mail", Organizer, true, notify::show),
    route!("reminders-send", POST "/mail/reminders", Organizer, true, notify::remind),
    route!("decisions-notify", POST "/mail/decisions", Organizer, true, notify::notify_decisions),
    route!("assignments-announce", POST "/mail/assignments", Organizer, true, announce::announce),
    route!("audit", GET "/audit", Organizer, true, people::audit),
    route!("export-json", GET "/export.json", Organizer, false, export::json),
    route!("export-csv", GET "/export.csv", Organizer, false, export::csv),
    route!("sign-out", POST "/sign-out", SignedIn, true, sign_in::sign_out),
];

/// Every (method, path, rule, route name) the server answers, `/api/v1` copies included.
pub fn endpoints() -> Vec<(&'static str, String, Rule, &'static str)> {
    let mut out = Vec::new();
    for r in ROUTES {
        out.push((r.method, r.path.to_string(), r.rule, r.name));
        if r.api {
            out.push((r.method, format!("{API_PREFIX}{}", r.path), r.rule, r.name));
        }
    }
    out
}

/// The router, from [`ROUTES`].
pub fn app(state: AppState) -> Router {
    let mut router = Router::new();
    for r in ROUTES {
        let mut paths = vec![r.path.to_string()];
        if r.api {
            paths.push(format!("{API_PREFIX}{}", r.path));
        }
        for path in paths {
            let st = state.clone();
            let rule = r.rule;
            let layered = (r.handler)().layer(axum::middleware::from_fn(move |req, next| {
                ctx::guard(st.clone(), rule, req, next)
            }));
            router = router.route(&path, layered);
        }
    }
    router
        .fallback(|uri: axum::http::Uri| async move {
            let format = if uri.path().starts_with("/api/") {
                Format::Json
            } else {
                Format::Html
            };
            AppError::new(format, StatusCode::NOT_FOUND, "There is no such page.").into_response()
        })
        .layer(axum::extract::DefaultBodyLimit::max(ctx::BODY_LIMIT))
        .with_state(state)
}
