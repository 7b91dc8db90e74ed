//! Phase enforcement over HTTP, from the router's own table: every state-changing route ×
//! an instant inside every phase, on SQLite and on PostgreSQL when configured, with the fake
//! clock. The track's milestones are one apart (milestone k at `NOW + k × 1000`); the nine
//! instants are those of the phase table's unit test (`blogtrack_review::phase`).
//!
//! For each POST route the caller is otherwise allowed (right role, right object state, a
//! valid request, HTML form and `/api/v1` JSON), so only the date decides:
//!
//! - inside the window of the route's [`Gate`] it answers 200/303 and the database changed;
//! - outside it answers 403 with the phase table's refusal (what closed or opens when, in AoE;
//!   in JSON its `refusal.code` and action) and the whole database (every table, as
//!   `Store::export` gives it) is exactly as before;
//! - for [`Gate::Reopenable`] routes, an organizer's reopening lifts a closed window, never
//!   one not yet open;
//! - [`Gate::Always`] routes answer in every phase.
//!
//! A POST route without a scenario here fails `every_post_route_obeys_the_dates`. GET pages
//! ([`Gate::Always`]) answer every viewer the same status in every phase; [`Gate::Reveals`]
//! pages show the gated thing (a decision, the discussion to authors) only inside its
//! window, never earlier.

mod common;

use blogtrack_review::conflict::Author;
use blogtrack_review::dates::{DateTime, Milestone};
use blogtrack_review::{allowed, Action, Phase, ReviewSettings, Role, TrackDates};
use blogtrack_review_server::router::{Gate, API_PREFIX, ROUTES};
use blogtrack_review_server::{secret, templates};
use blogtrack_review_store::{NewDecision, NewMessage, NewSubmission, Person};
use common::{stores, TestApp, NOW};
use serde_json::Value as Json;
use std::cell::Cell;

/// Milestone k (in `Milestone::ALL` order, from 1) at `NOW + k × 1000`.
fn year() -> TrackDates {
    let mut d = TrackDates::default();
    for (k, m) in Milestone::ALL.into_iter().enumerate() {
        d.set(m, DateTime::aoe(NOW + (k as i64 + 1) * 1000));
    }
    d
}

/// One instant inside each phase (offsets from `NOW`), as in the phase table's unit test.
const INSIDE: [(i64, Phase); 9] = [
    (500, Phase::Submission),
    (1500, Phase::Submission),
    (2500, Phase::Bidding),
    (3500, Phase::Reviewing),
    (4500, Phase::AuthorResponse),
    (5500, Phase::MetaReviews),
    (6500, Phase::Deciding),
    (7500, Phase::CameraReady),
    (8500, Phase::Over),
];

/// Who takes part in a discussion route's request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seat {
    /// Routes that are not by seat.
    Only,
    Committee,
    Authors,
}

/// The people and the submission every scenario starts from.
struct World {
    app: TestApp,
    org: Person,
    chair: Person,
    author: Person,
    /// Assigned reviewer whose review is submitted (so they discuss).
    rita: Person,
    sub: String,
    fresh: Cell<usize>,
}

/// One request of a scenario: who sends it (`None`: anonymous), the HTML path (the API's is
/// `/api/v1` + path), the fields, the action that decides it when it is not the gate's (a
/// review draft), and the review an organizer may reopen (submission, reviewer).
struct Req {
    who: Option<Person>,
    path: String,
    fields: Vec<(String, String)>,
    action: Option<Action>,
    reopen: Option<(String, String)>,
    /// A review the request itself reopens (submission, reviewer), closed again right after
    /// so that the other scenarios of the instant do not find it reopened.
    closes_after: Option<(String, String)>,
}

fn req(who: Option<&Person>, path: impl Into<String>, fields: &[(&str, &str)]) -> Req {
    Req {
        who: who.cloned(),
        path: path.into(),
        fields: fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        action: None,
        reopen: None,
        closes_after: None,
    }
}

fn new_submission(slug: &str, a: &Person) -> NewSubmission {
    NewSubmission {
        title: format!("Title of {slug}"),
        abstract_text: "What the post explains.".into(),
        slug: slug.into(),
        authors: vec![Author {
            name: a.name.clone(),
            email: a.email.clone(),
            institution: a.institution.clone(),
        }],
        conflict_declaration: String::new(),
        extra: Default::default(),
    }
}

async fn world(store: blogtrack_review_store::Store, dir: tempfile::TempDir) -> World {
    let settings = ReviewSettings {
        dates: year(),
        ..ReviewSettings::default()
    };
    let app = TestApp::new(store, settings, dir);
    let org = app
        .person(
            "olga@org.example",
            "Olga Organizer",
            "Org",
            &[Role::Organizer],
        )
        .await;
    let chair = app
        .person(
            "arturo@ac.example",
            "Arturo Chair",
            "AC",
            &[Role::AreaChair],
        )
        .await;
    let author = app
        .person(
            "zelda@lab-s.example",
            "Zelda Secretname",
            "Lab S",
            &[Role::Author],
        )
        .await;
    let rita = app
        .person(
            "rita@rev-a.example",
            "Rita Reviewer",
            "Rev A",
            &[Role::Reviewer],
        )
        .await;
    let s = app.store();
    let sub = s
        .create_submission(&author.id, &new_submission("post-s", &author), NOW)
        .await
        .unwrap()
        .id;
    s.assign(&sub, &rita.id, Role::Reviewer, &org.id, NOW)
        .await
        .unwrap();
    s.assign(&sub, &chair.id, Role::AreaChair, &org.id, NOW)
        .await
        .unwrap();
    let mut answers = blogtrack_review::form::Values::new();
    answers.insert(
        "summary".into(),
        blogtrack_review::form::Value::Text("s".into()),
    );
    s.save_review(&rita.id, &sub, &answers, true, None, NOW)
        .await
        .unwrap()
        .unwrap();
    World {
        app,
        org,
        chair,
        author,
        rita,
        sub,
        fresh: Cell::new(0),
    }
}

impl World {
    fn now(&self) -> i64 {
        self.app.clock_now()
    }

    /// A number never used before in this world.
    fn next(&self) -> usize {
        let n = self.fresh.get() + 1;
        self.fresh.set(n);
        n
    }

    /// A reviewer nobody has seen yet.
    async fn fresh_reviewer(&self) -> Person {
        let n = self.next();
        self.app
            .person(
                &format!("fresh{n}@rev-f.example"),
                &format!("Fresh Reviewer {n}"),
                "Rev F",
                &[Role::Reviewer],
            )
            .await
    }

    /// A reviewer nobody has seen yet, assigned to the submission (no review yet).
    async fn assigned_reviewer(&self) -> Person {
        let p = self.fresh_reviewer().await;
        self.app
            .store()
            .assign(&self.sub, &p.id, Role::Reviewer, &self.org.id, self.now())
            .await
            .unwrap();
        p
    }

    /// A current decision on the submission, decided now (by the store: no date applies).
    async fn decided(&self, award: Option<&str>) {
        let d = NewDecision {
            submission_id: self.sub.clone(),
            outcome: "accept".into(),
            accepted: true,
            award: award.map(str::to_string),
            poster: false,
            note: String::new(),
        };
        self.app
            .store()
            .decide(&self.org.id, &[d], self.now())
            .await
            .unwrap();
    }

    async fn message(&self, by: &Person, role: &str, readers: &str) -> String {
        let m = NewMessage {
            submission_id: self.sub.clone(),
            thread_id: None,
            author_id: by.id.clone(),
            author_role: role.into(),
            kind: if role == "author" {
                "author-response"
            } else {
                "comment"
            }
            .into(),
            readers: readers.into(),
            body: format!("A message by {role}."),
        };
        self.app
            .store()
            .post_message(&m, self.now())
            .await
            .unwrap()
            .id
    }
}

/// Scenarios of the routes anyone reaches: sign-in, invitations, the profile, sign-out.
async fn public_case(w: &World, route: &str) -> Option<Req> {
    let n = w.next();
    let store = w.app.store();
    let now = w.now();
    Some(match route {
        "sign-in-request" => {
            let email = format!("visitor{n}@phases.example");
            req(None, "/sign-in", &[("email", &email)])
        }
        "sign-in-use" => {
            let token = secret::token();
            store
                .create_sign_in_link(&secret::hash(&token), &w.author.id, now, 1800)
                .await
                .unwrap();
            req(None, format!("/sign-in/{token}"), &[])
        }
        "invitation-accept" => {
            let token = secret::token();
            let email = format!("invitee{n}@phases.example");
            let mail = w
                .app
                .state
                .mailer
                .compose(templates::INVITATION, &email, &[]);
            store
                .create_invitation(
                    &secret::hash(&token),
                    &email,
                    "Invitee",
                    Role::Reviewer,
                    &w.org.id,
                    now,
                    3600,
                    &mail,
                )
                .await
                .unwrap();
            let name = format!("Invitee {n}");
            req(None, format!("/invite/{token}"), &[("name", &name)])
        }
        "me-update" => {
            let name = format!("Rita Reviewer {n}");
            req(Some(&w.rita), "/me", &[("name", &name)])
        }
        "sign-out" => req(Some(&w.rita), "/sign-out", &[]),
        _ => return None,
    })
}

/// Scenarios of the authors' routes: submitting, editing, the author response.
async fn author_case(w: &World, route: &str, seat: Seat) -> Option<Req> {
    let n = w.next();
    let authors = format!("{} <{}>, Lab S", w.author.name, w.author.email);
    let fields = |title: &str, slug: &str| {
        vec![
            ("title".to_string(), title.to_string()),
            ("abstract".into(), "What the post explains.".into()),
            ("slug".into(), slug.into()),
            ("authors".into(), authors.clone()),
        ]
    };
    let mut r = match (route, seat) {
        ("submission-create", _) => req(Some(&w.author), "/submissions", &[]),
        ("submission-update", _) => req(Some(&w.author), format!("/submissions/{}", w.sub), &[]),
        ("message-post", Seat::Authors) => {
            let body = format!("Our response {n}.");
            let path = format!("/submissions/{}/discussion", w.sub);
            return Some(req(
                Some(&w.author),
                path,
                &[("body", &body), ("readers", "authors")],
            ));
        }
        ("message-edit", Seat::Authors) => {
            let m = w.message(&w.author, "author", "authors").await;
            let body = format!("Our response, edited {n}.");
            let path = format!("/submissions/{}/discussion/{m}", w.sub);
            return Some(req(
                Some(&w.author),
                path,
                &[("body", &body), ("readers", "authors"), ("action", "edit")],
            ));
        }
        _ => return None,
    };
    r.fields = if route == "submission-create" {
        fields(&format!("New post {n}"), &format!("new-post-{n}"))
    } else {
        fields(&format!("Title of post-s, version {n}"), "post-s")
    };
    Some(r)
}

/// Scenarios of the committee's routes: conflicts, bids, reviews, discussion, meta-reviews.
async fn committee_case(w: &World, route: &str, seat: Seat, api: bool) -> Option<Req> {
    let n = w.next();
    let sub = &w.sub;
    Some(match (route, seat) {
        ("conflict-declare", _) => {
            let p = w.fresh_reviewer().await;
            let path = format!("/submissions/{sub}/conflict");
            req(
                Some(&p),
                path,
                &[("confirm", "yes"), ("reason", "co-author")],
            )
        }
        ("bid-set", _) => {
            let p = w.fresh_reviewer().await;
            req(Some(&p), format!("/bids/{sub}"), &[("bid", "eager")])
        }
        ("review-save", _) => {
            let p = w.assigned_reviewer().await;
            let text = format!("Review {n}");
            // The form saves a draft; the API submits (both in the same window).
            let action = if api { "submit" } else { "save" };
            let fields = [
                ("action", action),
                ("summary", text.as_str()),
                ("strengths", "clear"),
                ("weaknesses", "none"),
                ("score", "4"),
            ];
            let mut r = req(Some(&p), format!("/submissions/{sub}/review"), &fields);
            r.action = (!api).then_some(Action::SaveReview);
            r.reopen = Some((sub.clone(), p.id.clone()));
            r
        }
        ("message-post", Seat::Committee) => {
            let body = format!("A note to the committee {n}.");
            req(
                Some(&w.rita),
                format!("/submissions/{sub}/discussion"),
                &[("body", &body)],
            )
        }
        ("message-edit", Seat::Committee) => {
            let m = w.message(&w.rita, "reviewer", "committee").await;
            let body = format!("Edited {n}.");
            let path = format!("/submissions/{sub}/discussion/{m}");
            req(Some(&w.rita), path, &[("body", &body), ("action", "edit")])
        }
        ("meta-review-save", _) => {
            let text = format!("Meta-review {n}");
            let path = format!("/submissions/{sub}/meta-review");
            let fields = [
                ("action", "save"),
                ("recommendation", "3"),
                ("meta_review", &text),
            ];
            req(Some(&w.chair), path, &fields)
        }
        _ => return None,
    })
}

/// Scenarios of the organizers' routes: decisions, assignments, invitations, mail.
async fn organizer_case(w: &World, route: &str) -> Option<Req> {
    let n = w.next();
    let (org, sub) = (Some(&w.org), &w.sub);
    Some(match route {
        "decisions-save" => {
            let outcome = if n.is_multiple_of(2) {
                "accept"
            } else {
                "reject"
            };
            req(org, "/decisions", &[(&format!("outcome_{sub}"), outcome)])
        }
        "decision-withdraw" => {
            w.decided(None).await;
            req(
                org,
                format!("/submissions/{sub}/decision/withdraw"),
                &[("confirm", "yes")],
            )
        }
        "assignments-run" => {
            let author = &w.author;
            w.app
                .store()
                .create_submission(
                    &author.id,
                    &new_submission(&format!("run-{n}"), author),
                    NOW,
                )
                .await
                .unwrap();
            w.fresh_reviewer().await;
            req(org, "/assignments/run", &[("role", "reviewer")])
        }
        "assignment-add" | "assignment-remove" | "review-reopen" => {
            let p = if route == "assignment-add" {
                w.fresh_reviewer().await
            } else {
                w.assigned_reviewer().await
            };
            let mut fields = vec![("submission", sub.as_str()), ("person", p.id.as_str())];
            fields.push(match route {
                "assignment-add" => ("role", "reviewer"),
                // Later than every instant of the test (a past date is refused).
                _ => ("until", "2026-06-01"),
            });
            let path = match route {
                "assignment-add" => "/assignments/add",
                "assignment-remove" => "/assignments/remove",
                _ => "/assignments/reopen",
            };
            let mut r = req(org, path, &fields);
            if route == "review-reopen" {
                r.closes_after = Some((sub.clone(), p.id.clone()));
            }
            r
        }
        "invitation-create" => {
            let email = format!("invited{n}@phases.example");
            req(
                org,
                "/invitations",
                &[("email", &email), ("role", "reviewer")],
            )
        }
        "assignments-announce" => {
            w.assigned_reviewer().await;
            req(org, "/mail/assignments", &[])
        }
        "reminders-send" => {
            let p = w.assigned_reviewer().await;
            let mut r = req(org, "/mail/reminders", &[]);
            r.reopen = Some((sub.clone(), p.id.clone()));
            r
        }
        "decisions-notify" => {
            w.decided(None).await;
            req(org, "/mail/decisions", &[])
        }
        _ => return None,
    })
}

/// The scenario of a route (for a seat), prepared in the world at the current instant.
async fn case(w: &World, route: &str, seat: Seat, api: bool) -> Option<Req> {
    if let Some(r) = public_case(w, route).await {
        return Some(r);
    }
    if let Some(r) = author_case(w, route, seat).await {
        return Some(r);
    }
    if let Some(r) = committee_case(w, route, seat, api).await {
        return Some(r);
    }
    organizer_case(w, route).await
}

/// The action deciding `r` on `route` for `seat`, if any date decides it.
fn deciding_action(route: &str, gate: Gate, seat: Seat, r: &Req) -> Result<Option<Action>, String> {
    Ok(match (gate, seat) {
        (Gate::Always, _) => None,
        (Gate::Action(a) | Gate::Reopenable(a), _) => Some(r.action.unwrap_or(a)),
        (Gate::BySeat { committee, .. }, Seat::Committee) => Some(committee),
        (Gate::BySeat { authors, .. }, Seat::Authors) => Some(authors),
        (g, s) => {
            return Err(format!(
                "route `{route}` ({g:?}) has no meaning for a request by seat {s:?}"
            ))
        }
    })
}

/// Maud's escaping of text, to find a message in a page.
fn escaped(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

struct Sent {
    status: u16,
    body: String,
    changed: bool,
}

/// Sends `r` (a fresh session for its sender) and says whether the database changed.
async fn send(w: &World, r: &Req, api: bool) -> Sent {
    let auth = match &r.who {
        Some(p) => Some(w.app.session(p).await),
        None => None,
    };
    let path = if api {
        format!("{API_PREFIX}{}", r.path)
    } else {
        r.path.clone()
    };
    let fields: Vec<(&str, &str)> = r
        .fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let before = w.app.store().export().await.unwrap();
    let (status, body, _) = w.app.call("POST", &path, auth.as_ref(), &fields).await;
    let after = w.app.store().export().await.unwrap();
    Sent {
        status: status.as_u16(),
        body,
        changed: before != after,
    }
}

/// What went wrong with an answer that should have been a success.
fn not_a_success(sent: &Sent) -> Option<String> {
    if !matches!(sent.status, 200 | 303) {
        return Some(format!("answered {}: {}", sent.status, clip(&sent.body)));
    }
    (!sent.changed).then(|| "succeeded but changed nothing in the database".to_string())
}

/// What went wrong with an answer that should have been `refusal`.
fn not_the_refusal(sent: &Sent, refusal: &blogtrack_review::Refusal, api: bool) -> Option<String> {
    let message = refusal.message();
    if sent.status != 403 {
        return Some(format!(
            "answered {} instead of the refusal `{message}`: {}",
            sent.status,
            clip(&sent.body)
        ));
    }
    if sent.changed {
        return Some("was refused but changed the database".into());
    }
    if !message.contains("AoE") {
        return Some(format!("the refusal gives no AoE date: {message}"));
    }
    if api {
        let j: Json = serde_json::from_str(&sent.body).unwrap_or(Json::Null);
        let action = serde_json::to_value(refusal.action()).unwrap_or(Json::Null);
        let ok = j["error"] == message.as_str()
            && j["refusal"]["code"] == refusal.code()
            && j["refusal"]["action"] == action;
        return (!ok).then(|| {
            format!(
                "the JSON is not the refusal `{message}` ({}, {action}): {}",
                refusal.code(),
                sent.body
            )
        });
    }
    (!sent.body.contains(&escaped(&message)))
        .then(|| format!("the page does not say `{message}`: {}", clip(&sent.body)))
}

fn clip(s: &str) -> String {
    s.chars().take(400).collect()
}

/// An organizer reopens the review until 500 s from now; the request is sent again: a
/// closed window is lifted, one not yet open is not. Then the reopening ends.
async fn after_reopening(
    w: &World,
    r: &Req,
    api: bool,
    refusal: &blogtrack_review::Refusal,
) -> Option<String> {
    let Some((sub, person)) = &r.reopen else {
        return Some("a reopenable route's scenario names no review to reopen".into());
    };
    let (store, now) = (w.app.store(), w.now());
    store
        .reopen_review(sub, person, now + 500, &w.org.id, now)
        .await
        .unwrap();
    let sent = send(w, r, api).await;
    store
        .reopen_review(sub, person, now, &w.org.id, now)
        .await
        .unwrap();
    let why = if refusal.code() == "closed" {
        not_a_success(&sent)
    } else {
        not_the_refusal(&sent, refusal, api)
    };
    why.map(|m| format!("after an organizer's reopening: {m}"))
}

/// One request of `route` at the current instant: the answer the phase table predicts.
async fn check(
    w: &World,
    route: &blogtrack_review_server::router::Route,
    seat: Seat,
    api: bool,
) -> Option<String> {
    if api && !route.api {
        return None;
    }
    let Some(r) = case(w, route.name, seat, api).await else {
        return Some(
            "has no scenario in tests/phases.rs: add one (who may send it, a valid request)".into(),
        );
    };
    let action = match deciding_action(route.name, route.gate, seat, &r) {
        Ok(a) => a,
        Err(m) => return Some(m),
    };
    let (now, dates) = (w.now(), &w.app.state.settings.dates);
    if let (Some(a), Gate::Action(g) | Gate::Reopenable(g)) = (action, route.gate) {
        if allowed(a, now, dates, false).is_ok() != allowed(g, now, dates, false).is_ok() {
            return Some(format!(
                "{a:?} and the gate's {g:?} disagree at this instant"
            ));
        }
    }
    let sent = send(w, &r, api).await;
    if let Some((sub, person)) = &r.closes_after {
        w.app
            .store()
            .reopen_review(sub, person, now, &w.org.id, now)
            .await
            .unwrap();
    }
    match action.map(|a| allowed(a, now, dates, false)) {
        None | Some(Ok(())) => not_a_success(&sent),
        Some(Err(refusal)) => match not_the_refusal(&sent, &refusal, api) {
            Some(m) => Some(m),
            None if matches!(route.gate, Gate::Reopenable(_)) => {
                after_reopening(w, &r, api, &refusal).await
            }
            None => None,
        },
    }
}

/// The seats a route's requests are sent from.
fn seats(gate: Gate) -> &'static [Seat] {
    match gate {
        Gate::BySeat { .. } => &[Seat::Committee, Seat::Authors],
        _ => &[Seat::Only],
    }
}

#[tokio::test]
async fn every_post_route_obeys_the_dates() {
    for (db, store, dir) in stores("every_post_route_obeys_the_dates").await {
        let w = world(store, dir).await;
        let mut failures = Vec::new();
        for (offset, phase) in INSIDE {
            w.app.clock.set(NOW + offset);
            assert_eq!(Phase::at(w.now(), &w.app.state.settings.dates), phase);
            for route in ROUTES.iter().filter(|r| r.method == "POST") {
                for &seat in seats(route.gate) {
                    for api in [false, true] {
                        if let Some(why) = check(&w, route, seat, api).await {
                            let kind = if api { "JSON" } else { "form" };
                            failures.push(format!(
                                "[{db}] {phase:?} (NOW+{offset}) {} {} ({kind}, {seat:?}): {why}",
                                route.name, route.path
                            ));
                        }
                    }
                }
            }
        }
        assert!(
            failures.is_empty(),
            "{} failures:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }
}

/// The submitted meta-review's text in the page tests: authors read it with the decision.
const META_REVIEW: &str = "The chair weighed the reviews (meta-review text).";

/// The world of the page tests (nothing posted through the server): a reviewer with no
/// assignment besides the others, a message to the authors, a submitted meta-review, a
/// decision with an award.
async fn page_world(
    store: blogtrack_review_store::Store,
    dir: tempfile::TempDir,
) -> (World, Vec<Option<Person>>, String) {
    let w = world(store, dir).await;
    let uma = w.fresh_reviewer().await;
    let message = w.message(&w.chair, "area-chair", "authors").await;
    let mut answers = blogtrack_review::form::Values::new();
    answers.insert(
        "recommendation".into(),
        blogtrack_review::form::Value::Number(3),
    );
    answers.insert(
        "meta_review".into(),
        blogtrack_review::form::Value::Text(META_REVIEW.into()),
    );
    w.app
        .store()
        .save_meta_review(&w.chair.id, &w.sub, &answers, true, None, NOW)
        .await
        .unwrap()
        .unwrap();
    w.decided(Some("best-post")).await;
    let viewers = vec![
        None,
        Some(w.org.clone()),
        Some(w.chair.clone()),
        Some(w.author.clone()),
        Some(w.rita.clone()),
        Some(uma),
    ];
    (w, viewers, message)
}

/// Every URL of a GET route (HTML, and the API's when it has one), for this world.
fn urls(route: &blogtrack_review_server::router::Route, sub: &str, message: &str) -> Vec<String> {
    let path = route
        .path
        .replace("{id}", sub)
        .replace("{message}", message)
        .replace("{token}", &"cd".repeat(32));
    let mut out = vec![path.clone()];
    if route.api {
        out.push(format!("{API_PREFIX}{path}"));
    }
    out
}

async fn get(w: &World, who: &Option<Person>, url: &str) -> (u16, String) {
    let auth = match who {
        Some(p) => Some(w.app.session(p).await),
        None => None,
    };
    let (status, body, _) = w.app.call("GET", url, auth.as_ref(), &[]).await;
    (status.as_u16(), body)
}

#[tokio::test]
async fn pages_answer_every_viewer_the_same_in_every_phase() {
    for (db, store, dir) in stores("pages_answer_every_viewer_the_same_in_every_phase").await {
        let (w, viewers, message) = page_world(store, dir).await;
        let mut first: std::collections::HashMap<(String, usize), u16> = Default::default();
        let mut failures = Vec::new();
        for (offset, phase) in INSIDE {
            w.app.clock.set(NOW + offset);
            for route in ROUTES
                .iter()
                .filter(|r| r.method == "GET" && r.gate == Gate::Always)
            {
                for url in urls(route, &w.sub, &message) {
                    for (i, who) in viewers.iter().enumerate() {
                        let (status, _) = get(&w, who, &url).await;
                        let want = *first.entry((url.clone(), i)).or_insert(status);
                        if status != want {
                            let name = who.as_ref().map_or("anonymous", |p| p.name.as_str());
                            failures.push(format!("[{db}] {phase:?} {url} ({}) for {name}: {status}, {want} in the first phase", route.name));
                        }
                    }
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}

/// What a [`Gate::Reveals`] page shows `who` now, checked against `revealed`.
async fn reveals(
    w: &World,
    route: &str,
    who: &Person,
    url: &str,
    revealed: bool,
    refusal: Option<String>,
) -> Option<String> {
    let (status, body) = get(w, &Some(who.clone()), url).await;
    let api = url.starts_with(API_PREFIX);
    match route {
        "decision" => {
            let shown = if api {
                let j: Json = serde_json::from_str(&body).unwrap_or(Json::Null);
                !j["decision"].is_null() || body.contains("best-post")
            } else {
                body.contains("Best post")
            };
            // The author reads the meta-review with the decision, not before; the area
            // chair who wrote it always does.
            let meta = body.contains(META_REVIEW);
            let meta_expected = revealed || who.id != w.author.id;
            if (who.id == w.author.id || who.id == w.chair.id) && meta != meta_expected {
                return Some(format!(
                    "meta-review shown: {meta}, expected {meta_expected}: {}",
                    clip(&body)
                ));
            }
            (status != 200 || shown != revealed).then(|| {
                format!(
                    "answered {status}, decision shown: {shown}, expected {revealed}: {}",
                    clip(&body)
                )
            })
        }
        "discussion" | "message-history" => {
            let want = if revealed { 200 } else { 403 };
            if status != want {
                return Some(format!(
                    "answered {status}, expected {want}: {}",
                    clip(&body)
                ));
            }
            let said = refusal.map(|m| if api { m } else { escaped(&m) });
            match said {
                Some(m) if !body.contains(&m) => {
                    Some(format!("the refusal is not `{m}`: {}", clip(&body)))
                }
                _ => None,
            }
        }
        _ => Some("has no check in tests/phases.rs `reveals`: say what it shows early".into()),
    }
}

#[tokio::test]
async fn gated_pages_show_nothing_early() {
    for (db, store, dir) in stores("gated_pages_show_nothing_early").await {
        let (w, _, message) = page_world(store, dir).await;
        let mut failures = Vec::new();
        for (offset, phase) in INSIDE {
            w.app.clock.set(NOW + offset);
            let (now, dates) = (w.now(), &w.app.state.settings.dates);
            for route in ROUTES.iter().filter(|r| r.method == "GET") {
                let Gate::Reveals(action) = route.gate else {
                    continue;
                };
                // From the window's opening on: a closing bound does not hide it again.
                let from = allowed(action, now, dates, true);
                let viewers: Vec<&Person> = match route.name {
                    "decision" => vec![&w.author, &w.rita, &w.chair],
                    _ => vec![&w.author],
                };
                for url in urls(route, &w.sub, &message) {
                    for who in &viewers {
                        let refusal = from.as_ref().err().map(|r| r.message());
                        if let Some(why) =
                            reveals(&w, route.name, who, &url, from.is_ok(), refusal).await
                        {
                            failures.push(format!(
                                "[{db}] {phase:?} {url} ({}) for {}: {why}",
                                route.name, who.name
                            ));
                        }
                    }
                    // Organizers see it in every phase.
                    if let Some(why) = reveals(&w, route.name, &w.org, &url, true, None).await {
                        failures.push(format!(
                            "[{db}] {phase:?} {url} ({}) for the organizer: {why}",
                            route.name
                        ));
                    }
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}

#[tokio::test]
async fn the_assignments_page_reopens_a_late_review() {
    for (_, store, dir) in stores("the_assignments_page_reopens_a_late_review").await {
        let w = world(store, dir).await;
        let late = w.assigned_reviewer().await;
        w.app.clock.set(NOW + 4500);
        let review = format!("/submissions/{}/review", w.sub);
        let fields = [("action", "save"), ("summary", "late but here")];
        let auth = w.app.session(&late).await;
        let (s, body, _) = w.app.call("POST", &review, Some(&auth), &fields).await;
        assert_eq!(s.as_u16(), 403, "{body}");
        // The page offers the reopening for reviews not submitted (Rita's is), and its
        // fields are the route's.
        let (_, page) = get(&w, &Some(w.org.clone()), "/assignments").await;
        let form = format!("name=\"person\" value=\"{}\"", late.id);
        let reopen = page
            .split("action=\"/assignments/reopen\"")
            .collect::<Vec<_>>();
        assert!(
            reopen
                .iter()
                .skip(1)
                .any(|f| f.contains(&form) && f.contains("name=\"until\"")),
            "{page}"
        );
        assert!(
            !reopen.iter().skip(1).any(|f| f
                .split("</form>")
                .next()
                .unwrap_or("")
                .contains(&w.rita.id)),
            "a submitted review is not offered a reopening: {page}"
        );
        let org = w.app.session(&w.org).await;
        let until = [
            ("submission", w.sub.as_str()),
            ("person", late.id.as_str()),
            ("until", "2026-01-02"),
        ];
        let (s, body, _) = w
            .app
            .call("POST", "/assignments/reopen", Some(&org), &until)
            .await;
        assert_eq!(s.as_u16(), 303, "{body}");
        let (s, body, _) = w.app.call("POST", &review, Some(&auth), &fields).await;
        assert_eq!(s.as_u16(), 303, "{body}");
    }
}
