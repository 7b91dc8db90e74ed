//! What every request carries after the guard: who is signed in, whether the answer is a page
//! or JSON, the CSRF token forms must send back. The guard (one middleware per route, given
//! that route's rule from the router's table) checks the session, the CSRF token of every
//! state-changing request and the route's rule before the handler runs; handlers then check
//! the object (a submission) with [`Ctx::submission`].

use crate::error::{AppError, AppResult};
use crate::router::{Need, Rule};
use crate::{secret, AppState};
use axum::body::Body;
use axum::extract::{FromRequestParts, Request};
use axum::http::{header, request::Parts, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use blogtrack_review::{Access, Relation, Role};
use blogtrack_review_store::{Person, Submission};

pub const SESSION_COOKIE: &str = "bt_session";
pub const PRE_COOKIE: &str = "bt_pre";
pub const CSRF_HEADER: &str = "x-csrf-token";
pub const CSRF_FIELD: &str = "csrf";
/// Largest request body (forms, JSON).
pub const BODY_LIMIT: usize = 1024 * 1024;
pub const SESSION_TTL: i64 = 14 * 24 * 3600;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Json,
}

#[derive(Clone)]
pub struct Viewer {
    pub person: Person,
    pub session_hash: String,
    pub csrf: String,
}

#[derive(Clone)]
pub struct Ctx {
    pub state: AppState,
    pub viewer: Option<Viewer>,
    pub format: Format,
    /// The token a form on this page must send back.
    pub csrf: String,
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Ctx>().cloned().ok_or_else(|| {
            (StatusCode::INTERNAL_SERVER_ERROR, "route without guard").into_response()
        })
    }
}

/// The value of one cookie in the request (a cookie header is `a=1; b=2`).
pub fn cookie(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, Path=/, Secure over https.
pub fn set_cookie(state: &AppState, name: &str, value: &str, max_age: i64) -> HeaderValue {
    let secure = if state.secure_cookies() {
        "; Secure"
    } else {
        ""
    };
    let v = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}");
    HeaderValue::from_str(&v).unwrap_or_else(|_| HeaderValue::from_static("bt_invalid=1"))
}

impl Ctx {
    pub fn viewer(&self) -> AppResult<&Viewer> {
        self.viewer
            .as_ref()
            .ok_or_else(|| AppError::new(self.format, StatusCode::UNAUTHORIZED, "Sign in first."))
    }

    pub fn has(&self, role: Role) -> bool {
        self.viewer
            .as_ref()
            .is_some_and(|v| v.person.roles.has(role))
    }

    /// The handler's own check behind the router's `Organizer` rule: a 403 with `refusal`
    /// ("Only organizers …") for anyone else.
    pub fn require_organizer(&self, refusal: &str) -> AppResult<()> {
        if self.has(Role::Organizer) {
            Ok(())
        } else {
            Err(AppError::forbidden(self.format, refusal))
        }
    }

    pub fn internal(&self, e: impl std::fmt::Display) -> AppError {
        AppError::internal(self.format, e)
    }

    /// Whether the track's dates allow `action` now (see `blogtrack_review::phase`);
    /// `reopened`: an organizer reopened it for this viewer.
    pub fn phase_allows(
        &self,
        action: blogtrack_review::Action,
        reopened: bool,
    ) -> Result<(), blogtrack_review::Refusal> {
        blogtrack_review::allowed(
            action,
            self.state.now(),
            &self.state.settings.dates,
            reopened,
        )
    }

    /// [`Ctx::phase_allows`], refused as a 403 with the refusal's message.
    pub fn require_phase(&self, action: blogtrack_review::Action, reopened: bool) -> AppResult<()> {
        self.phase_allows(action, reopened)
            .map_err(|r| AppError::refused(self.format, &r))
    }

    /// Loads a submission for the viewer and checks `need`. A submission that does not exist,
    /// that the viewer has a conflict with (the query returns nothing) or that they may not
    /// know of answers 404; one they may know of but not do this with answers 403.
    pub async fn submission(
        &self,
        id: &str,
        need: Need,
    ) -> AppResult<(Submission, Access, Relation)> {
        let v = self.viewer()?;
        if !blogtrack_review_store::well_formed_id(id) {
            return Err(AppError::not_found(self.format));
        }
        let store = &self.state.store;
        let sub = store
            .submission_for(&v.person.id, id)
            .await
            .map_err(|e| self.internal(e))?
            .ok_or_else(|| AppError::not_found(self.format))?;
        let relation = store
            .relation(&v.person.id, &v.person.email, id)
            .await
            .map_err(|e| self.internal(e))?;
        let access = Access::of(&v.person.roles, relation);
        if !access.visible() {
            return Err(AppError::not_found(self.format));
        }
        if !need.allowed(&access) {
            return Err(AppError::forbidden(self.format, need.refusal()));
        }
        Ok((sub, access, relation))
    }

    /// Where to go after a form: the page for HTML, `{"ok": true, …}` for JSON.
    pub fn done(&self, to: &str, json: serde_json::Value) -> Response {
        match self.format {
            Format::Html => Redirect::to(to).into_response(),
            Format::Json => axum::Json(json).into_response(),
        }
    }
}

fn csrf_from_body(content_type: &str, body: &[u8]) -> Option<String> {
    if content_type.starts_with("application/x-www-form-urlencoded") {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).ok()?;
        pairs
            .into_iter()
            .find(|(k, _)| k == CSRF_FIELD)
            .map(|(_, v)| v)
    } else {
        None
    }
}

/// The Content-Security-Policy of every response: the only script allowed is the timeline's,
/// by its hash.
static CSP: std::sync::LazyLock<HeaderValue> = std::sync::LazyLock::new(|| {
    HeaderValue::from_str(&format!(
        "default-src 'self'; script-src {}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'",
        crate::handlers::timeline::SCRIPT_HASH
    ))
    .unwrap_or(HeaderValue::from_static("default-src 'self'; script-src 'none'"))
});

/// The signed-in viewer of a request: its session cookie's live session and person, if any.
async fn viewer_of(
    state: &AppState,
    headers: &axum::http::HeaderMap,
    now: i64,
    format: Format,
) -> Result<Option<Viewer>, Response> {
    let Some(token) = cookie(headers, SESSION_COOKIE).filter(|t| secret::well_formed(t)) else {
        return Ok(None);
    };
    let hash = secret::hash(&token);
    let internal = |e| AppError::internal(format, e).into_response();
    let Some(s) = state.store.session(&hash, now).await.map_err(internal)? else {
        return Ok(None);
    };
    let person = state.store.person(&s.person_id).await.map_err(internal)?;
    Ok(person.map(|person| Viewer {
        person,
        session_hash: hash,
        csrf: s.csrf_token,
    }))
}

/// Whether a state-changing request sends back the right CSRF token (header, or form
/// field): the session's, or for anonymous forms the pre-session cookie's, which must already
/// have been set.
fn csrf_ok(
    headers: &axum::http::HeaderMap,
    body: &[u8],
    viewer: Option<&Viewer>,
    pre: Option<&String>,
) -> bool {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let sent = headers
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| csrf_from_body(content_type, body));
    let expected = match viewer {
        Some(v) => Some(&v.csrf),
        None => pre,
    };
    matches!((&sent, expected), (Some(s), Some(e)) if secret::same(s, e))
}

/// The headers every answer carries: no sniffing, no framing, same-origin referrers, the CSP,
/// and `no-store` unless the handler chose a cache policy.
fn secure(resp: &mut Response) {
    let h = resp.headers_mut();
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    h.insert("content-security-policy", CSP.clone());
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
}

/// The guard of one route (see the module doc): the viewer, the body (within
/// [`BODY_LIMIT`]), the CSRF token of a state-changing request, the route's rule; then the
/// handler, with the [`Ctx`] in the request's extensions.
pub async fn guard(state: AppState, rule: Rule, req: Request, next: Next) -> Response {
    let format = if req.uri().path().starts_with("/api/") {
        Format::Json
    } else {
        Format::Html
    };
    let now = state.now();
    let headers = req.headers().clone();
    let viewer = match viewer_of(&state, &headers, now, format).await {
        Ok(v) => v,
        Err(resp) => return resp,
    };
    let pre = cookie(&headers, PRE_COOKIE).filter(|t| secret::well_formed(t));
    let new_pre = pre.is_none().then(secret::token);
    let csrf = match &viewer {
        Some(v) => v.csrf.clone(),
        None => pre.clone().or_else(|| new_pre.clone()).unwrap_or_default(),
    };
    let (parts, body) = req.into_parts();
    let bytes = match axum::body::to_bytes(body, BODY_LIMIT).await {
        Ok(b) => b,
        Err(_) => {
            return AppError::new(
                format,
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("The request is larger than {} KiB.", BODY_LIMIT / 1024),
            )
            .into_response()
        }
    };
    if !matches!(parts.method, Method::GET | Method::HEAD)
        && !csrf_ok(&headers, &bytes, viewer.as_ref(), pre.as_ref())
    {
        return AppError::forbidden(
            format,
            "This form is missing its security token (CSRF) or it is out of date: reload the page and send it again.",
        )
        .into_response();
    }
    if let Err(e) = rule.check(viewer.as_ref(), format) {
        return match (format, viewer.is_none()) {
            (Format::Html, true) => Redirect::to("/sign-in").into_response(),
            _ => e.into_response(),
        };
    }
    let mut req = Request::from_parts(parts, Body::from(bytes));
    req.extensions_mut().insert(Ctx {
        state: state.clone(),
        viewer,
        format,
        csrf,
    });
    let mut resp = next.run(req).await;
    if let Some(p) = new_pre {
        resp.headers_mut().append(
            header::SET_COOKIE,
            set_cookie(&state, PRE_COOKIE, &p, 7 * 24 * 3600),
        );
    }
    secure(&mut resp);
    resp
}
