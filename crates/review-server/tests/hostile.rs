//! Hostile input, one test each: oversized fields, HTML and script in every text field,
//! Unicode look-alikes and invisible characters, SQL-looking strings, requests without or
//! with a wrong CSRF token, replayed and expired sign-in links, a reviewer forging another
//! submission's id; and the review deadline on the fake clock. Each runs on SQLite and on
//! PostgreSQL when configured.

mod common;

use blogtrack_review::dates::{DateTime, Milestone};
use blogtrack_review::{ReviewSettings, Role, TrackDates};
use blogtrack_review_store::Person;
use common::{stores, TestApp, NOW};

const SCRIPT: &str = "<script>alert(1)</script><img src=x onerror=alert(2)>";

async fn apps(test: &str, settings: ReviewSettings) -> Vec<TestApp> {
    stores(test)
        .await
        .into_iter()
        .map(|(_, s, d)| TestApp::new(s, settings.clone(), d))
        .collect()
}

fn form<'a>(title: &'a str, slug: &'a str, authors: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("title", title),
        ("abstract", "An abstract."),
        ("slug", slug),
        ("authors", authors),
        ("conflict_declaration", ""),
    ]
}

async fn author(app: &TestApp) -> (Person, (String, String)) {
    let p = app.person("ana@lab.example", "Ana", "Lab", &[]).await;
    let s = app.session(&p).await;
    (p, s)
}

#[tokio::test]
async fn oversized_fields_and_bodies_are_refused() {
    for app in apps(
        "oversized_fields_and_bodies_are_refused",
        ReviewSettings::default(),
    )
    .await
    {
        let (_, auth) = author(&app).await;
        let long = "x".repeat(301);
        let (s, body, _) = app
            .call(
                "POST",
                "/api/v1/submissions",
                Some(&auth),
                &form(&long, "ok", "Ana <ana@lab.example>, Lab"),
            )
            .await;
        assert_eq!(s.as_u16(), 400, "{body}");
        assert!(body.contains("at most 300"), "{body}");
        let huge = "y".repeat(2 * 1024 * 1024);
        let (s, _, _) = app
            .call("POST", "/submissions", Some(&auth), &form("t", "ok", &huge))
            .await;
        assert_eq!(s.as_u16(), 413);
        assert!(app.store().all_submissions().await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn html_and_script_in_every_text_field_come_out_escaped() {
    for app in apps(
        "html_and_script_in_every_text_field_come_out_escaped",
        ReviewSettings::default(),
    )
    .await
    {
        let p = app.person("ana@lab.example", SCRIPT, SCRIPT, &[]).await;
        let auth = app.session(&p).await;
        let authors = format!("{SCRIPT} <ana@lab.example>, {SCRIPT}");
        let mut fields = form(SCRIPT, "xss", &authors);
        fields[1] = ("abstract", SCRIPT);
        fields[4] = ("conflict_declaration", SCRIPT);
        let (s, body, _) = app
            .call("POST", "/api/v1/submissions", Some(&auth), &fields)
            .await;
        assert_eq!(s.as_u16(), 200, "{body}");
        let id = serde_json::from_str::<serde_json::Value>(&body).unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string();
        let org = app
            .person("olga@org.example", "Olga", "Org", &[Role::Organizer])
            .await;
        let rev = app
            .person("rita@rev.example", "Rita", "Rev", &[Role::Reviewer])
            .await;
        app.store()
            .assign(&id, &rev.id, Role::Reviewer, &org.id, NOW)
            .await
            .unwrap();
        let rauth = app.session(&rev).await;
        let review = [
            ("summary", SCRIPT),
            ("strengths", SCRIPT),
            ("weaknesses", SCRIPT),
            ("score", "3"),
            ("action", "submit"),
        ];
        let (s, body, _) = app
            .call(
                "POST",
                &format!("/submissions/{id}/review"),
                Some(&rauth),
                &review,
            )
            .await;
        assert_eq!(s.as_u16(), 303, "{body}");
        let oauth = app.session(&org).await;
        for (who, path) in [
            (&auth, format!("/submissions/{id}")),
            (&auth, "/submissions".to_string()),
            (&oauth, format!("/submissions/{id}")),
            (&oauth, format!("/submissions/{id}/reviews")),
            (&oauth, "/people".to_string()),
            (&oauth, "/assignments".to_string()),
            (&rauth, format!("/submissions/{id}/review")),
            (&rauth, format!("/submissions/{id}/reviews")),
        ] {
            let (s, body, _) = app.call("GET", &path, Some(who), &[]).await;
            assert_eq!(s.as_u16(), 200, "{path}");
            assert!(!body.contains("<script>alert"), "{path} has a live script");
            assert!(
                !body.contains("<img src=x"),
                "{path} has a live element with a handler"
            );
            assert!(
                body.contains("&lt;script&gt;") || path.ends_with("/review"),
                "{path} does not show the text escaped"
            );
        }
    }
}

#[tokio::test]
async fn unicode_look_alikes_and_invisible_characters_are_refused() {
    for app in apps(
        "unicode_look_alikes_and_invisible_characters_are_refused",
        ReviewSettings::default(),
    )
    .await
    {
        let (_, auth) = author(&app).await;
        // A Cyrillic "а" in the slug; a right-to-left override in the title; a zero-width space in a name.
        for (title, slug, authors, field) in [
            ("Fine", "p\u{0430}per", "Ana <ana@lab.example>, Lab", "slug"),
            (
                "Evil \u{202E}txt.exe",
                "fine",
                "Ana <ana@lab.example>, Lab",
                "title",
            ),
            (
                "Fine",
                "fine",
                "A\u{200B}na <ana@lab.example>, Lab",
                "authors",
            ),
            (
                "Fine",
                "fine",
                "Ana <ana@lab\u{0435}.example>, Lab",
                "authors",
            ),
        ] {
            let (s, body, _) = app
                .call(
                    "POST",
                    "/api/v1/submissions",
                    Some(&auth),
                    &form(title, slug, authors),
                )
                .await;
            assert_eq!(s.as_u16(), 400, "{title} {slug} {authors}: {body}");
            assert!(body.contains(&format!("\"field\":\"{field}\"")), "{body}");
        }
        assert!(app.store().all_submissions().await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn sql_looking_strings_are_stored_as_text() {
    for app in apps(
        "sql_looking_strings_are_stored_as_text",
        ReviewSettings::default(),
    )
    .await
    {
        let (_, auth) = author(&app).await;
        let evil = "x'); DROP TABLE submissions; -- \" OR 1=1";
        let (s, body, _) = app
            .call(
                "POST",
                "/api/v1/submissions",
                Some(&auth),
                &form(
                    evil,
                    "sql",
                    "Robert'); DROP TABLE people;-- <ana@lab.example>, Lab",
                ),
            )
            .await;
        assert_eq!(s.as_u16(), 200, "{body}");
        let subs = app.store().all_submissions().await.unwrap();
        assert_eq!(subs[0].title, evil);
        assert_eq!(
            app.store().authors(&subs[0].id).await.unwrap()[0].name,
            "Robert'); DROP TABLE people;--"
        );
        // A forged id that looks like SQL never reaches a query.
        let (s, _, _) = app
            .call(
                "GET",
                "/api/v1/submissions/1%27%20OR%20%271%27=%271",
                Some(&auth),
                &[],
            )
            .await;
        assert_eq!(s.as_u16(), 404);
        assert_eq!(app.store().people().await.unwrap().len(), 1);
    }
}

#[tokio::test]
async fn requests_without_the_csrf_token_are_refused() {
    for app in apps(
        "requests_without_the_csrf_token_are_refused",
        ReviewSettings::default(),
    )
    .await
    {
        let (_, (token, _)) = author(&app).await;
        let fields = form("T", "csrf", "Ana <ana@lab.example>, Lab");
        for (path, wrong) in [
            ("/submissions", None),
            ("/submissions", Some("0".repeat(64))),
            ("/api/v1/submissions", None),
            ("/api/v1/submissions", Some("f".repeat(64))),
        ] {
            let mut b = axum::http::Request::builder()
                .method("POST")
                .uri(path)
                .header("cookie", format!("bt_session={token}"));
            let body = if path.starts_with("/api/") {
                b = b.header("content-type", "application/json");
                if let Some(w) = &wrong {
                    b = b.header("x-csrf-token", w);
                }
                serde_json::json!({"title": "T", "abstract": "A", "slug": "csrf", "authors": "Ana <ana@lab.example>, Lab"}).to_string()
            } else {
                b = b.header("content-type", "application/x-www-form-urlencoded");
                let mut all = fields.clone();
                if let Some(w) = &wrong {
                    all.push(("csrf", w));
                }
                serde_urlencoded::to_string(&all).unwrap()
            };
            let (s, body, _) = app
                .send(b.body(axum::body::Body::from(body)).unwrap())
                .await;
            assert_eq!(s.as_u16(), 403, "{path} {wrong:?}: {body}");
            assert!(body.contains("CSRF"), "{body}");
        }
        // Anonymous forms need the pre-session cookie's token too.
        let req = axum::http::Request::builder()
            .method("POST")
            .uri("/sign-in")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(axum::body::Body::from("email=ana%40lab.example"))
            .unwrap();
        assert_eq!(app.send(req).await.0.as_u16(), 403);
        assert!(app.store().all_submissions().await.unwrap().is_empty());
    }
}

/// The token of the last sign-in link mailed to `email` (from the outbox).
async fn last_link(app: &TestApp, email: &str) -> String {
    let mails = app.store().outbox(10).await.unwrap();
    let body = &mails
        .iter()
        .find(|m| m.to_address == email)
        .expect("a mail")
        .body;
    let at = body.find("/sign-in/").expect("a link") + "/sign-in/".len();
    body[at..at + 64].to_string()
}

#[tokio::test]
async fn sign_in_links_cannot_be_replayed_or_used_late() {
    for app in apps(
        "sign_in_links_cannot_be_replayed_or_used_late",
        ReviewSettings::default(),
    )
    .await
    {
        let (s, _, _) = app
            .call(
                "POST",
                "/api/v1/sign-in",
                None,
                &[("email", "ana@lab.example")],
            )
            .await;
        assert_eq!(s.as_u16(), 200);
        let token = last_link(&app, "ana@lab.example").await;
        let (s, body, headers) = app
            .call("POST", &format!("/api/v1/sign-in/{token}"), None, &[])
            .await;
        assert_eq!(s.as_u16(), 200, "{body}");
        let cookie = headers.get("set-cookie").unwrap().to_str().unwrap();
        assert!(
            cookie.starts_with("bt_session=")
                && cookie.contains("HttpOnly")
                && cookie.contains("SameSite=Lax"),
            "{cookie}"
        );
        let (s, _, _) = app
            .call("POST", &format!("/api/v1/sign-in/{token}"), None, &[])
            .await;
        assert_eq!(s.as_u16(), 410, "replayed link");
        app.clock.set(NOW + 1); // the outbox lists newest first
        app.call(
            "POST",
            "/api/v1/sign-in",
            None,
            &[("email", "ana@lab.example")],
        )
        .await;
        let late = last_link(&app, "ana@lab.example").await;
        assert_ne!(late, token);
        app.clock.set(NOW + 31 * 60);
        let (s, _, _) = app
            .call("POST", &format!("/api/v1/sign-in/{late}"), None, &[])
            .await;
        assert_eq!(s.as_u16(), 410, "expired link");
        // Rate limit: the sixth request for one address within the window is refused.
        for _ in 0..5 {
            let (s, _, _) = app
                .call(
                    "POST",
                    "/api/v1/sign-in",
                    None,
                    &[("email", "ana@lab.example")],
                )
                .await;
            assert_eq!(s.as_u16(), 200);
        }
        let (s, _, _) = app
            .call(
                "POST",
                "/api/v1/sign-in",
                None,
                &[("email", "ana@lab.example")],
            )
            .await;
        assert_eq!(s.as_u16(), 429);
    }
}

#[tokio::test]
async fn a_reviewer_forging_another_submissions_id_is_refused() {
    for app in apps(
        "a_reviewer_forging_another_submissions_id_is_refused",
        ReviewSettings::default(),
    )
    .await
    {
        let org = app
            .person("olga@org.example", "Olga", "Org", &[Role::Organizer])
            .await;
        let a = app
            .person("ana@lab.example", "Ana", "Lab", &[Role::Author])
            .await;
        let rev = app
            .person("rita@rev.example", "Rita", "Rev", &[Role::Reviewer])
            .await;
        let new = |slug: &str| blogtrack_review_store::NewSubmission {
            title: slug.into(),
            abstract_text: "A".into(),
            slug: slug.into(),
            authors: vec![blogtrack_review::conflict::Author {
                name: "Ana".into(),
                email: a.email.clone(),
                institution: "Lab".into(),
            }],
            ..Default::default()
        };
        let mine = app
            .store()
            .create_submission(&a.id, &new("mine"), NOW)
            .await
            .unwrap();
        let other = app
            .store()
            .create_submission(&a.id, &new("other"), NOW)
            .await
            .unwrap();
        let hidden = app
            .store()
            .create_submission(&a.id, &new("hidden"), NOW)
            .await
            .unwrap();
        app.store()
            .assign(&mine.id, &rev.id, Role::Reviewer, &org.id, NOW)
            .await
            .unwrap();
        app.store()
            .declare_conflict(&rev.id, &hidden.id, "friend", NOW)
            .await
            .unwrap();
        let auth = app.session(&rev).await;
        let review = [("summary", "s"), ("action", "save")];
        let (s, _, _) = app
            .call(
                "POST",
                &format!("/api/v1/submissions/{}/review", other.id),
                Some(&auth),
                &review,
            )
            .await;
        assert_eq!(s.as_u16(), 403, "unassigned submission");
        let (s, _, _) = app
            .call(
                "POST",
                &format!("/api/v1/submissions/{}/review", hidden.id),
                Some(&auth),
                &review,
            )
            .await;
        assert_eq!(s.as_u16(), 404, "conflicted submission");
        let (s, _, _) = app
            .call(
                "GET",
                &format!("/api/v1/submissions/{}/reviews", other.id),
                Some(&auth),
                &[],
            )
            .await;
        assert_eq!(s.as_u16(), 403);
        let (s, _, _) = app
            .call(
                "POST",
                &format!("/api/v1/submissions/{}/review", mine.id),
                Some(&auth),
                &review,
            )
            .await;
        assert_eq!(s.as_u16(), 200);
        assert_eq!(app.store().all_reviews().await.unwrap().len(), 1);
    }
}

/// A submission "T" by `a` alone (institution Lab), created at `NOW` by the store.
async fn submission_by(app: &TestApp, a: &Person) -> blogtrack_review_store::Submission {
    app.store()
        .create_submission(
            &a.id,
            &blogtrack_review_store::NewSubmission {
                title: "T".into(),
                abstract_text: "A".into(),
                slug: "t".into(),
                authors: vec![blogtrack_review::conflict::Author {
                    name: "Ana".into(),
                    email: a.email.clone(),
                    institution: "Lab".into(),
                }],
                ..Default::default()
            },
            NOW,
        )
        .await
        .unwrap()
}

/// An organizer's `POST /api/v1/assignments/reopen` of `person`'s review of `sub`.
async fn reopen(
    app: &TestApp,
    org: &(String, String),
    sub: &str,
    person: &str,
    until: &str,
) -> (axum::http::StatusCode, String, axum::http::HeaderMap) {
    let fields = [("submission", sub), ("person", person), ("until", until)];
    app.call("POST", "/api/v1/assignments/reopen", Some(org), &fields)
        .await
}

#[tokio::test]
async fn reviews_close_at_the_deadline_unless_reopened() {
    let deadline = NOW + 3600;
    let mut dates = TrackDates::default();
    // The deadline's last open second is `deadline - 1`.
    dates.set(Milestone::Reviews, DateTime::aoe(deadline - 1));
    let settings = ReviewSettings {
        dates,
        ..ReviewSettings::default()
    };
    for app in apps(
        "reviews_close_at_the_deadline_unless_reopened",
        settings.clone(),
    )
    .await
    {
        let org = app
            .person("olga@org.example", "Olga", "Org", &[Role::Organizer])
            .await;
        let a = app
            .person("ana@lab.example", "Ana", "Lab", &[Role::Author])
            .await;
        let rev = app
            .person("rita@rev.example", "Rita", "Rev", &[Role::Reviewer])
            .await;
        let sub = submission_by(&app, &a).await;
        app.store()
            .assign(&sub.id, &rev.id, Role::Reviewer, &org.id, NOW)
            .await
            .unwrap();
        let path = format!("/api/v1/submissions/{}/review", sub.id);
        let full = [
            ("summary", "s"),
            ("strengths", "t"),
            ("weaknesses", "w"),
            ("score", "4"),
            ("action", "submit"),
        ];
        app.clock.set(deadline - 1);
        let auth = app.session(&rev).await;
        let (s, body, _) = app
            .call(
                "POST",
                &path,
                Some(&auth),
                &[("summary", "draft"), ("action", "save")],
            )
            .await;
        assert_eq!(s.as_u16(), 200, "{body}");
        app.clock.set(deadline);
        let auth = app.session(&rev).await;
        let (s, body, _) = app.call("POST", &path, Some(&auth), &full).await;
        assert_eq!(s.as_u16(), 403, "{body}");
        assert!(body.contains("closed at the reviews deadline"), "{body}");
        assert!(body.contains(r#""code":"closed""#), "{body}");
        assert!(body.contains("reopen it for you"), "{body}");
        let oauth = app.session(&org).await;
        let (s, body, _) = reopen(&app, &oauth, &sub.id, &rev.id, "2026-01-03").await;
        assert_eq!(s.as_u16(), 200, "{body}");
        // A date already past would reopen nothing: refused, saying so.
        let (s, past, _) = reopen(&app, &oauth, &sub.id, &rev.id, "2025-12-01").await;
        assert_eq!(s.as_u16(), 400, "{past}");
        assert!(past.contains("already past"), "{past}");
        let (s, body, _) = app.call("POST", &path, Some(&auth), &full).await;
        assert_eq!(s.as_u16(), 200, "{body}");
        let r = app
            .store()
            .own_review(&rev.id, &sub.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(r.state, "submitted");
    }
}
