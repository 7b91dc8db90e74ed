//! The organizers' mail actions through the real router and a real database (SQLite, and
//! PostgreSQL when configured): who gets which reminder and decision mail, that no reviewer
//! mail names an author, that a second click queues nothing new, and the phase refusals.

mod common;

use blogtrack_review::conflict::Author;
use blogtrack_review::dates::{DateTime, Milestone};
use blogtrack_review::form::Value;
use blogtrack_review::{ReviewSettings, Role, TrackDates};
use blogtrack_review_store::{Mail, NewDecision, NewSubmission, Person};
use common::{stores, TestApp, NOW};

const SUBMITTED: i64 = NOW - 100;
const REVIEWS_DUE: i64 = NOW + 3 * 86_400;
const RELEASE: i64 = NOW + 10 * 86_400;

fn settings() -> ReviewSettings {
    let mut dates = TrackDates::default();
    // A milestone is written for its last second: the action closes one second later.
    for (m, closes) in [
        (Milestone::Submission, SUBMITTED),
        (Milestone::Reviews, REVIEWS_DUE),
        (Milestone::Decisions, RELEASE),
    ] {
        dates.set(m, DateTime::aoe(closes - 1));
    }
    ReviewSettings {
        dates,
        ..ReviewSettings::default()
    }
}

/// Author identities that must never reach a reviewer's mail.
const AUTHORS: [(&str, &str); 3] = [
    ("Zelda Secretname", "zelda.secret@lab-s.example"),
    ("Yorick Hiddenname", "Yorick.Hidden@lab-t.example"),
    ("Xena Unseen", "xena@lab-x.example"),
];

struct World {
    app: TestApp,
    /// Submission titles: s1 (Zelda and Yorick), s2 (Xena), s3 (Zelda).
    subs: Vec<String>,
    people: Vec<Person>,
}

async fn world(store: blogtrack_review_store::Store, dir: tempfile::TempDir) -> World {
    let app = TestApp::new(store, settings(), dir);
    let p = |e: &'static str, n: &'static str, roles: &'static [Role]| (e, n, roles);
    let mut people = Vec::new();
    for (email, name, roles) in [
        p("olga@org.example", "Olga Organizer", &[Role::Organizer]),
        // Owes s1 (a draft) and s2 (not started).
        p("rita@rev-a.example", "Rita Reviewer", &[Role::Reviewer]),
        // Submitted s1: owes nothing.
        p("sam@rev-b.example", "Sam Done", &[Role::Reviewer]),
        // Owes s3; conflicted with s2 after being assigned, removed from s1.
        p("carl@rev-c.example", "Carl Conflicted", &[Role::Reviewer]),
        p("arturo@ac.example", "Arturo Chair", &[Role::AreaChair]),
        p(
            "zelda.secret@lab-s.example",
            "Zelda Secretname",
            &[Role::Author],
        ),
    ] {
        people.push(app.person(email, name, "Inst", roles).await);
    }
    let s = app.store();
    let (org, rita, sam, carl, ac, zelda) = (
        &people[0], &people[1], &people[2], &people[3], &people[4], &people[5],
    );
    let mut subs = Vec::new();
    for (slug, authors) in [
        ("post-one", &AUTHORS[0..2]),
        ("post-two", &AUTHORS[2..3]),
        ("post-three", &AUTHORS[0..1]),
    ] {
        let new = NewSubmission {
            title: format!("Title of {slug}"),
            abstract_text: "What the post explains.".into(),
            slug: slug.into(),
            authors: authors
                .iter()
                .map(|(n, e)| Author {
                    name: n.to_string(),
                    email: e.to_string(),
                    institution: "Lab".into(),
                })
                .collect(),
            conflict_declaration: String::new(),
            extra: Default::default(),
        };
        subs.push(
            s.create_submission(&zelda.id, &new, NOW - 1000)
                .await
                .unwrap()
                .id,
        );
    }
    for (sub, who, role) in [
        (0, rita, Role::Reviewer),
        (1, rita, Role::Reviewer),
        (0, sam, Role::Reviewer),
        (0, carl, Role::Reviewer),
        (1, carl, Role::Reviewer),
        (2, carl, Role::Reviewer),
        (0, ac, Role::AreaChair),
    ] {
        assert!(s
            .assign(&subs[sub], &who.id, role, &org.id, NOW)
            .await
            .unwrap());
    }
    s.unassign(&subs[0], &carl.id, &org.id, NOW).await.unwrap();
    s.declare_conflict(&carl.id, &subs[1], "my student", NOW)
        .await
        .unwrap();
    let mut answers = blogtrack_review::form::Values::new();
    answers.insert("summary".into(), Value::Text("s".into()));
    answers.insert("score".into(), Value::Number(4));
    s.save_review(&rita.id, &subs[0], &answers, false, None, NOW)
        .await
        .unwrap()
        .unwrap();
    s.save_review(&sam.id, &subs[0], &answers, true, None, NOW)
        .await
        .unwrap()
        .unwrap();
    World { app, subs, people }
}

async fn outbox(app: &TestApp, kind: &str) -> Vec<Mail> {
    let mut all = app.store().outbox(1000).await.unwrap();
    all.retain(|m| m.kind == kind);
    all.sort_by(|a, b| a.to_address.cmp(&b.to_address));
    all
}

/// The organizer (0) or the reviewer Rita (1), signed in at the clock's time.
async fn as_who(w: &World, who: usize) -> (String, String) {
    w.app.session(&w.people[who]).await
}

async fn post_json(w: &World, path: &str, who: usize) -> (u16, serde_json::Value) {
    let auth = as_who(w, who).await;
    let (status, body, _) = w.app.call("POST", path, Some(&auth), &[]).await;
    let v = serde_json::from_str(&body).unwrap_or(serde_json::Value::Null);
    (status.as_u16(), v)
}

#[tokio::test]
async fn reminders_go_to_reviewers_with_a_missing_review_once_a_day() {
    for (db, store, dir) in
        stores("reminders_go_to_reviewers_with_a_missing_review_once_a_day").await
    {
        let w = world(store, dir).await;
        let (status, v) = post_json(&w, "/api/v1/mail/reminders", 0).await;
        assert_eq!(status, 200, "[{db}] {v}");
        assert_eq!(
            (v["queued"].as_u64(), v["reviewers"].as_u64()),
            (Some(2), Some(2)),
            "[{db}] {v}"
        );
        let mails = outbox(&w.app, "reminder").await;
        let to: Vec<&str> = mails.iter().map(|m| m.to_address.as_str()).collect();
        assert_eq!(to, ["carl@rev-c.example", "rita@rev-a.example"], "[{db}]");
        let carl = &mails[0];
        assert!(
            carl.body.contains("Title of post-three"),
            "[{db}] {}",
            carl.body
        );
        assert!(
            !carl.body.contains("post-one") && !carl.body.contains("post-two"),
            "[{db}] removed or conflicted listed: {}",
            carl.body
        );
        let rita = &mails[1];
        assert!(
            rita.body.contains("#1 Title of post-one")
                && rita.body.contains("#2 Title of post-two"),
            "[{db}] {}",
            rita.body
        );
        assert!(
            rita.subject.contains("2 review(s) missing"),
            "[{db}] {}",
            rita.subject
        );
        assert!(
            rita.body.contains("Dear Rita Reviewer") && rita.body.contains("AoE"),
            "[{db}] {}",
            rita.body
        );
        for m in &mails {
            let text = format!("{}\n{}", m.subject, m.body).to_lowercase();
            for (name, email) in AUTHORS {
                assert!(
                    !text.contains(&name.to_lowercase()) && !text.contains(&email.to_lowercase()),
                    "[{db}] reminder to {} names an author: {text}",
                    m.to_address
                );
            }
        }
        // A double click (form, then API) queues nothing new.
        let (status, body, headers) = w
            .app
            .call("POST", "/mail/reminders", Some(&as_who(&w, 0).await), &[])
            .await;
        assert_eq!(status.as_u16(), 303, "[{db}] {body}");
        let to = headers["location"].to_str().unwrap().to_string();
        assert_eq!(to, "/mail?done=reminders&queued=0", "[{db}]");
        let (_, page, _) = w
            .app
            .call("GET", &to, Some(&as_who(&w, 0).await), &[])
            .await;
        assert!(page.contains("0 reminder(s) queued."), "[{db}] {page}");
        let (_, v) = post_json(&w, "/api/v1/mail/reminders", 0).await;
        assert_eq!(
            (v["queued"].as_u64(), v["already_reminded_today"].as_u64()),
            (Some(0), Some(2)),
            "[{db}] {v}"
        );
        assert_eq!(outbox(&w.app, "reminder").await.len(), 2, "[{db}]");
        // Every click is in the audit log, with what it queued.
        let log = w.app.store().audit_log(50).await.unwrap();
        let clicks: Vec<_> = log
            .iter()
            .filter(|e| e.action == "mail.reminders")
            .collect();
        assert_eq!(clicks.len(), 3, "[{db}]");
        let queued: Vec<i64> = clicks
            .iter()
            .map(|e| e.after.as_ref().unwrap()["queued"].as_i64().unwrap())
            .collect();
        assert_eq!(queued.iter().sum::<i64>(), 2, "[{db}] {queued:?}");
        // The next day, whoever still owes a review is reminded again.
        w.app.clock.set(NOW + 86_400);
        let (_, v) = post_json(&w, "/api/v1/mail/reminders", 0).await;
        assert_eq!(v["queued"].as_u64(), Some(2), "[{db}] {v}");
        // A reviewer may not send them.
        let (status, _) = post_json(&w, "/api/v1/mail/reminders", 1).await;
        assert_eq!(status, 403, "[{db}]");
    }
}

#[tokio::test]
async fn reminders_are_refused_outside_the_reviewing_window() {
    for (db, store, dir) in stores("reminders_are_refused_outside_the_reviewing_window").await {
        let w = world(store, dir).await;
        for (at, code) in [(SUBMITTED - 50, "not-yet-open"), (REVIEWS_DUE, "closed")] {
            w.app.clock.set(at);
            let (status, v) = post_json(&w, "/api/v1/mail/reminders", 0).await;
            assert_eq!(
                (status, v["refusal"]["code"].as_str()),
                (403, Some(code)),
                "[{db}] {v}"
            );
            let msg = v["error"].as_str().unwrap_or("");
            assert!(msg.starts_with("Submitting a review"), "[{db}] {msg}");
            let (_, page, _) = w
                .app
                .call("GET", "/mail", Some(&as_who(&w, 0).await), &[])
                .await;
            assert!(
                !page.contains("action=\"/mail/reminders\""),
                "[{db}] the button is offered: {page}"
            );
        }
        // At the reviews deadline's last second, still open.
        w.app.clock.set(REVIEWS_DUE - 1);
        let (status, v) = post_json(&w, "/api/v1/mail/reminders", 0).await;
        assert_eq!(status, 200, "[{db}] {v}");
    }
}

#[tokio::test]
async fn after_the_deadline_only_reopened_missing_reviews_are_reminded_with_their_own_date() {
    for (db, store, dir) in
        stores("after_the_deadline_only_reopened_missing_reviews_are_reminded").await
    {
        let w = world(store, dir).await;
        let until = REVIEWS_DUE + 2 * 86_400;
        w.app.clock.set(REVIEWS_DUE + 100);
        let (rita, org) = (&w.people[1], &w.people[0]);
        // Rita's missing review of s2 is reopened; Carl's of s3 is not.
        assert!(w
            .app
            .store()
            .reopen_review(&w.subs[1], &rita.id, until, &org.id, REVIEWS_DUE + 50)
            .await
            .unwrap());
        let (_, page, _) = w
            .app
            .call("GET", "/mail", Some(&as_who(&w, 0).await), &[])
            .await;
        assert!(page.contains("action=\"/mail/reminders\""), "[{db}] {page}");
        let (status, v) = post_json(&w, "/api/v1/mail/reminders", 0).await;
        assert_eq!((status, v["queued"].as_u64()), (200, Some(1)), "[{db}] {v}");
        let mails = outbox(&w.app, "reminder").await;
        assert_eq!(mails.len(), 1, "[{db}] {mails:?}");
        let body = &mails[0].body;
        assert_eq!(mails[0].to_address, rita.email, "[{db}]");
        assert!(body.contains("Title of post-two"), "[{db}] {body}");
        assert!(!body.contains("Title of post-one"), "[{db}] {body}");
        let date = DateTime::aoe(until).in_aoe();
        assert!(body.contains(&date), "[{db}] {date} not in {body}");
        for (name, email) in AUTHORS {
            assert!(
                !body.contains(name) && !body.to_lowercase().contains(&email.to_lowercase()),
                "[{db}] {body}"
            );
        }
        // Once the reopened date has passed, nothing is remindable: refused again.
        w.app.clock.set(until + 1);
        let (status, v) = post_json(&w, "/api/v1/mail/reminders", 0).await;
        assert_eq!(
            (status, v["refusal"]["code"].as_str()),
            (403, Some("closed")),
            "[{db}] {v}"
        );
    }
}

async fn decide(w: &World, sub: usize, outcome: &str, award: Option<&str>, at: i64) {
    w.app
        .store()
        .decide(
            &w.people[0].id,
            &[NewDecision {
                submission_id: w.subs[sub].clone(),
                outcome: outcome.into(),
                accepted: outcome == "accept",
                award: award.map(str::to_string),
                poster: award.is_some(),
                note: "organizers' note 91ab".into(),
            }],
            at,
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn decision_mails_reach_every_author_once_per_decision() {
    for (db, store, dir) in stores("decision_mails_reach_every_author_once_per_decision").await {
        let w = world(store, dir).await;
        decide(&w, 0, "accept", Some("best-post"), NOW).await;
        decide(&w, 1, "reject", None, NOW).await;
        // Before the release: refused, nothing queued.
        w.app.clock.set(RELEASE - 1);
        let (status, v) = post_json(&w, "/api/v1/mail/decisions", 0).await;
        assert_eq!(
            (status, v["refusal"]["code"].as_str()),
            (403, Some("not-yet-open")),
            "[{db}] {v}"
        );
        assert!(outbox(&w.app, "decision-accept").await.is_empty(), "[{db}]");
        w.app.clock.set(RELEASE);
        let (status, _) = post_json(&w, "/api/v1/mail/decisions", 1).await;
        assert_eq!(status, 403, "[{db}]");
        let (status, v) = post_json(&w, "/api/v1/mail/decisions", 0).await;
        assert_eq!((status, v["queued"].as_u64()), (200, Some(3)), "[{db}] {v}");
        let accepted = outbox(&w.app, "decision-accept").await;
        let to: Vec<&str> = accepted.iter().map(|m| m.to_address.as_str()).collect();
        assert_eq!(
            to,
            ["yorick.hidden@lab-t.example", "zelda.secret@lab-s.example"],
            "[{db}]"
        );
        let z = &accepted[1];
        assert_eq!(
            z.subject, "Test track: your submission \"Title of post-one\" is accepted",
            "[{db}]"
        );
        assert!(
            z.body.contains("Dear Zelda Secretname")
                && z.body.contains("Best post")
                && z.body.contains("poster session"),
            "[{db}] {}",
            z.body
        );
        assert!(
            z.body.contains(&format!(
                "http://review.test/submissions/{}/decision",
                w.subs[0]
            )),
            "[{db}] {}",
            z.body
        );
        assert!(
            !z.body.contains("91ab"),
            "[{db}] the organizers' note reached an author"
        );
        let rejected = outbox(&w.app, "decision-reject").await;
        assert_eq!(rejected.len(), 1, "[{db}]");
        assert_eq!(rejected[0].to_address, "xena@lab-x.example", "[{db}]");
        assert!(
            rejected[0].body.contains("was not accepted") && !rejected[0].body.contains("award"),
            "[{db}] {}",
            rejected[0].body
        );
        // A double click queues nothing; the form answers with the count.
        let (status, _, headers) = w
            .app
            .call("POST", "/mail/decisions", Some(&as_who(&w, 0).await), &[])
            .await;
        assert_eq!(status.as_u16(), 303, "[{db}]");
        assert_eq!(
            headers["location"], "/mail?done=decisions&queued=0",
            "[{db}]"
        );
        // A changed decision is a new version: its author hears of it, the others do not.
        decide(&w, 1, "accept", None, RELEASE + 5).await;
        let (_, v) = post_json(&w, "/api/v1/mail/decisions", 0).await;
        assert_eq!(
            (v["queued"].as_u64(), v["already_notified"].as_u64()),
            (Some(1), Some(2)),
            "[{db}] {v}"
        );
        let accepted = outbox(&w.app, "decision-accept").await;
        assert_eq!(accepted.len(), 3, "[{db}]");
        assert!(
            accepted
                .iter()
                .any(|m| m.to_address == "xena@lab-x.example" && !m.body.contains("poster")),
            "[{db}]"
        );
        let log = w.app.store().audit_log(50).await.unwrap();
        assert_eq!(
            log.iter().filter(|e| e.action == "mail.decisions").count(),
            3,
            "[{db}]"
        );
    }
}
