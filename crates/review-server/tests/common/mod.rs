//! Test harness: the real router and a real database (a SQLite file, or a fresh PostgreSQL
//! database when `BLOGTRACK_TEST_POSTGRES` is set), called in-process; a fake clock.

#![allow(dead_code)]

use axum::body::Body;
use axum::http::{Request, StatusCode};
use blogtrack_review::{ReviewSettings, Role};
use blogtrack_review_server::clock::FakeClock;
use blogtrack_review_server::mail::Mailer;
use blogtrack_review_server::{secret, AppState};
use blogtrack_review_store::{testing, Person, Store};
use std::sync::Arc;
use tower::ServiceExt;

pub const NOW: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z

pub struct TestApp {
    pub state: AppState,
    pub clock: Arc<FakeClock>,
    pub dir: tempfile::TempDir,
}

/// The databases to run a test on: SQLite always, PostgreSQL when configured.
pub async fn stores(test: &str) -> Vec<(String, Store, tempfile::TempDir)> {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut out = vec![(
        "sqlite".to_string(),
        testing::sqlite(dir.path()).await.expect("sqlite store"),
        dir,
    )];
    match testing::postgres().await.expect("postgres store") {
        Some(s) => out.push(("postgres".into(), s, tempfile::tempdir().expect("temp dir"))),
        None => eprintln!(
            "{test}: PostgreSQL run skipped ({} is not set)",
            testing::POSTGRES_VAR
        ),
    }
    out
}

impl TestApp {
    pub fn new(store: Store, settings: ReviewSettings, dir: tempfile::TempDir) -> TestApp {
        let clock = Arc::new(FakeClock::new(NOW));
        let state = AppState {
            store,
            settings: Arc::new(settings),
            clock: clock.clone(),
            mailer: Arc::new(Mailer::dev()),
            base_url: "http://review.test".into(),
            track_name: "Test track".into(),
        };
        TestApp { state, clock, dir }
    }

    pub fn store(&self) -> &Store {
        &self.state.store
    }

    pub async fn person(&self, email: &str, name: &str, inst: &str, roles: &[Role]) -> Person {
        self.store()
            .ensure_person(email, name, inst, roles, None, NOW)
            .await
            .expect("person")
    }

    /// A fresh session for `person`: (cookie token, csrf token).
    pub async fn session(&self, person: &Person) -> (String, String) {
        let token = secret::token();
        let csrf = secret::token();
        self.store()
            .create_session(
                &secret::hash(&token),
                &person.id,
                &csrf,
                self.clock_now(),
                3600,
            )
            .await
            .expect("session");
        (token, csrf)
    }

    pub fn clock_now(&self) -> i64 {
        use blogtrack_review_server::clock::Clock;
        self.clock.now()
    }

    /// Sends a request; `auth` is (session token, csrf) or `None` (anonymous: a pre-session
    /// cookie and its token are sent instead, as a browser would after loading the form).
    /// POST bodies are forms for HTML paths and JSON for `/api/` paths.
    pub async fn call(
        &self,
        method: &str,
        path: &str,
        auth: Option<&(String, String)>,
        fields: &[(&str, &str)],
    ) -> (StatusCode, String, axum::http::HeaderMap) {
        let pre = "ab".repeat(32);
        let (cookie, csrf) = match auth {
            Some((t, c)) => (format!("bt_session={t}"), c.clone()),
            None => (format!("bt_pre={pre}"), pre.clone()),
        };
        let mut b = Request::builder()
            .method(method)
            .uri(path)
            .header("cookie", cookie);
        let body = if method == "POST" {
            if path.starts_with("/api/") {
                b = b
                    .header("content-type", "application/json")
                    .header("x-csrf-token", &csrf);
                let obj: serde_json::Map<String, serde_json::Value> = fields
                    .iter()
                    .map(|(k, v)| (k.to_string(), serde_json::Value::String(v.to_string())))
                    .collect();
                Body::from(serde_json::Value::Object(obj).to_string())
            } else {
                b = b.header("content-type", "application/x-www-form-urlencoded");
                let mut all: Vec<(&str, &str)> = vec![("csrf", csrf.as_str())];
                all.extend_from_slice(fields);
                Body::from(serde_urlencoded::to_string(&all).expect("form"))
            }
        } else {
            Body::empty()
        };
        self.send(b.body(body).expect("request")).await
    }

    pub async fn send(&self, req: Request<Body>) -> (StatusCode, String, axum::http::HeaderMap) {
        let resp = blogtrack_review_server::app(self.state.clone())
            .oneshot(req)
            .await
            .expect("infallible");
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = axum::body::to_bytes(resp.into_body(), 64 * 1024 * 1024)
            .await
            .expect("body");
        (
            status,
            String::from_utf8_lossy(&bytes).into_owned(),
            headers,
        )
    }
}
