//! The review's web server: sign-in by e-mail link, submissions, conflicts, bids, assignment
//! and reviews, as server-rendered HTML (no JavaScript needed) and as a JSON API under
//! `/api/v1` that runs the same handlers with the same authorization.
//!
//! Layout (after crates.io): [`router`] lists every route once, with its access rule; one
//! module per resource under [`handlers`], each handler checking access at its top through
//! [`ctx::Ctx`]; [`error::AppError`] renders as a page or as JSON. The clock is part of the
//! state ([`clock::Clock`]), fake in tests. SQL lives in `blogtrack-review-store` only, the
//! rules in `blogtrack-review`.

pub mod clock;
pub mod ctx;
pub mod error;
pub mod handlers;
pub mod mail;
pub mod markdown;
pub mod pages;
pub mod router;
pub mod secret;
pub mod templates;
pub mod when;

use blogtrack_review::ReviewSettings;
use blogtrack_review_store::Store;
use std::sync::Arc;

/// Everything a handler needs, shared by all requests.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub settings: Arc<ReviewSettings>,
    pub clock: Arc<dyn clock::Clock>,
    pub mailer: Arc<mail::Mailer>,
    /// How people reach the server (`http://127.0.0.1:8000`), for links in e-mails; an
    /// `https://` base makes cookies Secure.
    pub base_url: String,
    /// The track's name on every page.
    pub track_name: String,
}

impl AppState {
    pub fn secure_cookies(&self) -> bool {
        self.base_url.starts_with("https://")
    }

    pub fn now(&self) -> i64 {
        self.clock.now()
    }
}

pub use router::app;

/// Serves `state` on `listener` until ctrl-c, with the mail worker sending the queue; on
/// ctrl-c the server stops taking requests, then the worker finishes the message in hand.
pub async fn serve(state: AppState, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    let worker = mail::start_worker(
        state.store.clone(),
        state.mailer.clone(),
        state.clock.clone(),
    );
    let served = axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await;
    worker.stop().await;
    served
}
