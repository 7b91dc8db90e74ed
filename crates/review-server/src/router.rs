//! Every route of the server, in one table with its access rule and its phase gate. [`app`]
//! builds the router from this table only (each route wrapped in the guard with its rule), and
//! the access-matrix test (`tests/access.rs`) and the phase test (`tests/phases.rs`) walk the
//! same table, so a route cannot exist without a rule or a gate. Routes marked `api` are also
//! served under `/api/v1` with the same handler, answering JSON.
//!
//! The [`Gate`] says which action of the phase table (`blogtrack_review::phase`) the track's
//! dates decide the route by; the handler checks it once it knows the caller's seat, and
//! `tests/phases.rs` sends each gated route a valid request at an instant inside every phase.
//! Routes no date forbids are [`Gate::Always`], by choice:
//!
//! - signing in, invitations, the profile and signing out: people must reach the server in
//!   every phase (a late reviewer too, to read what was decided);
//! - declaring a conflict: a conflict can surface at any time, and declaring one only hides
//!   the submission from the one who declares it;
//! - the organizers' work on assignments (running, adding, removing, reopening a review) and
//!   invitations: organizers repair the committee when they must (a reviewer drops out after
//!   the deadline); reopening is itself what lifts a closed review window;
//! - pages that only read: they show the state of their forms (`open`) but refuse nothing,
//!   except the [`Gate::Reveals`] ones, which show nothing of the gated thing early.
//!
//! Reminders of missing reviews are [`Gate::Reopenable`] on `SubmitReview`: they go out while
//! reviews may be submitted, and after the deadline only for reviews an organizer reopened.
//! Decisions (deciding in bulk, withdrawing one) follow `Decide`: after the reviews deadline,
//! until their release; a released decision changes only by moving `blogtrack.dates.decisions`.

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
use blogtrack_review::{Access, Action, Role};

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

/// What the track's dates allow on a route (see the module doc). Checked by the handler,
/// after the guard's [`Rule`], with `Ctx::require_phase` or the seat it computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    /// No date forbids or hides anything here.
    Always,
    /// Refused outside the action's window (403, the refusal's message and, in JSON, its code).
    Action(Action),
    /// As [`Gate::Action`], and an organizer's reopening of a review (`POST /assignments/reopen`,
    /// until a date) lifts the window's close, never its opening. `review-save` is
    /// `SubmitReview` (a draft is `SaveReview`, the same window).
    Reopenable(Action),
    /// Gated by the caller's seat: the committee (reviewers, area chair, organizers) by one
    /// action, the submission's authors by another (the discussion: `Discuss` and
    /// `AuthorRespond`).
    BySeat { committee: Action, authors: Action },
    /// A page everyone its rule lets in may load at any time, except that authors and the
    /// committee see the gated thing only from the opening of the action's window on (the
    /// decision: `SeeDecision`; the discussion to authors: `AuthorRespond`, and they still read
    /// it after the response period). Before, it shows nothing of it, or refuses with the
    /// refusal's message where nothing else is on the page. Organizers see everything.
    Reveals(Action),
}

impl Gate {
    /// The actions of the phase table this gate is decided by.
    pub fn actions(self) -> Vec<Action> {
        match self {
            Gate::Always => Vec::new(),
            Gate::Action(a) | Gate::Reopenable(a) | Gate::Reveals(a) => vec![a],
            Gate::BySeat { committee, authors } => vec![committee, authors],
        }
    }
}

pub struct Route {
    /// Unique name (used by the access-matrix test).
    pub name: &'static str,
    pub method: &'static str,
    pub path: &'static str,
    pub rule: Rule,
    pub gate: Gate,
    /// Also under `/api/v1`.
    pub api: bool,
    handler: fn() -> MethodRouter<AppState>,
}

macro_rules! route {
    ($name:literal, GET $path:literal, $rule:expr, $api:literal, $gate:expr, $h:path) => {
        Route {
            name: $name,
            method: "GET",
            path: $path,
            rule: $rule,
            gate: $gate,
            api: $api,
            handler: || get($h),
        }
    };
    ($name:literal, POST $path:literal, $rule:expr, $api:literal, $gate:expr, $h:path) => {
        Route {
            name: $name,
            method: "POST",
            path: $path,
            rule: $rule,
            gate: $gate,
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
    route!("health", GET "/healthz", Public, false, Gate::Always, health::healthz),
    route!("stylesheet", GET "/review.css", Public, false, Gate::Always, health::stylesheet),
    route!("home", GET "/", Public, false, Gate::Always, health::home),
    route!("timeline", GET "/timeline", Public, true, Gate::Always, timeline::show),
    route!("sign-in-form", GET "/sign-in", Public, false, Gate::Always, sign_in::form),
    route!("sign-in-request", POST "/sign-in", Public, true, Gate::Always, sign_in::request),
    route!("sign-in-link", GET "/sign-in/{token}", Public, false, Gate::Always, sign_in::link),
    route!("sign-in-use", POST "/sign-in/{token}", Public, true, Gate::Always, sign_in::use_link),
    route!("invitation-form", GET "/invite/{token}", Public, false, Gate::Always, sign_in::invitation),
    route!("invitation-accept", POST "/invite/{token}", Public, true, Gate::Always, sign_in::accept),
    route!("me", GET "/me", SignedIn, true, Gate::Always, people::me),
    route!("me-update", POST "/me", SignedIn, true, Gate::Always, people::update_me),
    route!("submissions", GET "/submissions", SignedIn, true, Gate::Always, submissions::list),
    route!("submission-new", GET "/submissions/new", SignedIn, false, Gate::Always, submissions::new_form),
    route!("submission-create", POST "/submissions", SignedIn, true, Gate::Action(Action::NewSubmission), submissions::create),
    route!("submission", GET "/submissions/{id}", Submission(Known), true, Gate::Always, submissions::show),
    route!("submission-update", POST "/submissions/{id}", Submission(Edit), true, Gate::Action(Action::EditSubmission), submissions::update),
    route!("conflict-declare", POST "/submissions/{id}/conflict", Submission(Known), true, Gate::Always, submissions::declare_conflict),
    route!("bids", GET "/bids", Committee, true, Gate::Always, bids::list),
    route!("bid-set", POST "/bids/{id}", Submission(Bid), true, Gate::Action(Action::Bid), bids::set),
    route!("review", GET "/submissions/{id}/review", Submission(Review), true, Gate::Always, reviews::show),
    route!("review-save", POST "/submissions/{id}/review", Submission(Review), true, Gate::Reopenable(Action::SubmitReview), reviews::save),
    route!("reviews", GET "/submissions/{id}/reviews", Submission(ReadReviews), true, Gate::Always, reviews::list),
    route!("discussion", GET "/submissions/{id}/discussion", Submission(Discuss), true, Gate::Reveals(Action::AuthorRespond), discussion::show),
    route!("message-post", POST "/submissions/{id}/discussion", Submission(Discuss), true, Gate::BySeat { committee: Action::Discuss, authors: Action::AuthorRespond }, discussion::post),
    route!("message-edit", POST "/submissions/{id}/discussion/{message}", Submission(Discuss), true, Gate::BySeat { committee: Action::Discuss, authors: Action::AuthorRespond }, discussion::edit),
    route!("message-history", GET "/submissions/{id}/discussion/{message}/history", Submission(Discuss), true, Gate::Reveals(Action::AuthorRespond), discussion::history),
    route!("meta-review", GET "/submissions/{id}/meta-review", Submission(MetaReview), true, Gate::Always, meta_reviews::show),
    route!("meta-review-save", POST "/submissions/{id}/meta-review", Submission(MetaReview), true, Gate::Action(Action::WriteMetaReview), meta_reviews::save),
    route!("decision", GET "/submissions/{id}/decision", Submission(Read), true, Gate::Reveals(Action::SeeDecision), decisions::show),
    route!("decision-withdraw", POST "/submissions/{id}/decision/withdraw", Submission(Manage), true, Gate::Action(Action::Decide), decisions::withdraw),
    route!("decisions", GET "/decisions", Organizer, true, Gate::Always, decisions::table),
    route!("decisions-save", POST "/decisions", Organizer, true, Gate::Action(Action::Decide), decisions::bulk),
    route!("dashboard", GET "/dashboard", Organizer, true, Gate::Always, dashboard::show),
    route!("decisions-csv", GET "/decisions.csv", Organizer, false, Gate::Always, dashboard::decisions_csv),
    route!("assignments", GET "/assignments", Organizer, true, Gate::Always, assignments::show),
    route!("assignments-run", POST "/assignments/run", Organizer, true, Gate::Always, assignments::run),
    route!("assignment-add", POST "/assignments/add", Organizer, true, Gate::Always, assignments::add),
    route!("assignment-remove", POST "/assignments/remove", Organizer, true, Gate::Always, assignments::remove),
    route!("review-reopen", POST "/assignments/reopen", Organizer, true, Gate::Always, assignments::reopen),
    route!("people", GET "/people", Organizer, true, Gate::Always, people::list),
    route!("invitation-create", POST "/invitations", Organizer, true, Gate::Always, people::invite),
    route!("outbox", GET "/outbox", Organizer, true, Gate::Always, people::outbox),
    route!("mail", GET "/mail", Organizer, true, Gate::Always, notify::show),
    route!("reminders-send", POST "/mail/reminders", Organizer, true, Gate::Reopenable(Action::SubmitReview), notify::remind),
    route!("assignments-announce", POST "/mail/assignments", Organizer, true, Gate::Action(Action::AnnounceAssignments), announce::announce),
    route!("decisions-notify", POST "/mail/decisions", Organizer, true, Gate::Action(Action::SeeDecision), notify::notify_decisions),
    route!("audit", GET "/audit", Organizer, true, Gate::Always, people::audit),
    route!("export-json", GET "/export.json", Organizer, false, Gate::Always, export::json),
    route!("export-csv", GET "/export.csv", Organizer, false, Gate::Always, export::csv),
    route!("sign-out", POST "/sign-out", SignedIn, true, Gate::Always, sign_in::sign_out),
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
