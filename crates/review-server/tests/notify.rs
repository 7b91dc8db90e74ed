//! The organizers' mail actions through the real router and a real database (SQLite, and
//! PostgreSQL when configured): who gets which assignment, reminder and decision mail, that no
//! committee mail names an author, that a second click queues nothing new, and the phase
//! refusals.

mod common;

use blogtrack_review::conflict::Author;
use blogtrack_review::dates::{DateTime, Milestone};
use blogtrack_review::form::Value;
use blogtrack_review::{ReviewSettings, Role, TrackDates};
use blogtrack_review_store::{Mail, NewDecision, NewSubmission, Person};
use common::{stores, TestApp, NOW};

const SUBMITTED: i64 = NOW - 100;
const REVIEWS_DUE: i64 = NOW + 3 * 86_400;
const META_REVIEWS_DUE: i64 = NOW + 6 * 86_400;
const RELEASE: i64 = NOW + 10 * 86_400;

fn settings() -> ReviewSettings {
    let mut dates = TrackDates::default();
    // A milestone is written for its last second: the action closes one second later.
    for (m, closes) in [
        (Milestone::Submission, SUBMITTED),
        (Milestone::Reviews, REVIEWS_DUE),
        (Milestone::MetaReviews, META_REVIEWS_DUE),
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

/// The /mail page as the organizer reads it.
async fn mail_page(w: &World) -> String {
    let (_, page, _) = w
        .app
        .call("GET", "/mail", Some(&as_who(w, 0).await), &[])
        .await;
    page
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
            let page = mail_page(&w).await;
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
        let page = mail_page(&w).await;
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
        // The page tells the organizer what they can do, not the reviewer's advice.
        let page = mail_page(&w).await;
        assert!(
            !page.contains("action=\"/mail/reminders\""),
            "[{db}] {page}"
        );
        assert!(
            page.contains("Submitting a review closed at the reviews deadline")
                && page.contains("reopen their review on the")
                && !page.contains("ask the track's organizers")
                && !page.contains("ask the track&#39;s organizers"),
            "[{db}] {page}"
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

/// Every author identity, for the check that no committee mail names one.
fn assert_no_author(db: &str, mails: &[Mail]) {
    for m in mails {
        let text = format!("{}\n{}", m.subject, m.body).to_lowercase();
        for (name, email) in AUTHORS {
            for part in [name.to_lowercase(), email.to_lowercase()] {
                assert!(
                    !text.contains(&part),
                    "[{db}] the mail to {} names an author ({part}): {text}",
                    m.to_address
                );
            }
        }
    }
}

async fn page_json(w: &World) -> serde_json::Value {
    let auth = as_who(w, 0).await;
    let (status, body, _) = w.app.call("GET", "/api/v1/mail", Some(&auth), &[]).await;
    assert_eq!(status.as_u16(), 200, "{body}");
    serde_json::from_str(&body).unwrap()
}

/// The reviewer and area-chair assignment mails of the world, by address.
async fn assignment_mails(w: &World) -> Vec<Mail> {
    let mut all = outbox(&w.app, "assignment-reviewer").await;
    all.extend(outbox(&w.app, "assignment-area-chair").await);
    all.sort_by(|a, b| a.to_address.cmp(&b.to_address));
    all
}

#[tokio::test]
async fn assignment_mails_list_only_held_unconflicted_assignments_with_the_right_template() {
    for (db, store, dir) in stores("assignment_mails_list_only_held_unconflicted_assignments").await
    {
        let w = world(store, dir).await;
        let v = page_json(&w).await;
        // Rita, Sam, Carl (s3 only: s1 removed, s2 conflicted) and Arturo.
        assert_eq!(v["assignments"]["people"].as_u64(), Some(4), "[{db}] {v}");
        assert_eq!(v["assignments"]["open"].as_bool(), Some(true), "[{db}] {v}");
        // Only organizers may send them.
        let (status, _) = post_json(&w, "/api/v1/mail/assignments", 1).await;
        assert_eq!(status, 403, "[{db}]");
        assert!(assignment_mails(&w).await.is_empty(), "[{db}]");
        let (status, v) = post_json(&w, "/api/v1/mail/assignments", 0).await;
        assert_eq!(status, 200, "[{db}] {v}");
        assert_eq!(
            (v["queued"].as_u64(), v["assignments"].as_u64()),
            (Some(4), Some(5)),
            "[{db}] {v}"
        );
        let mails = assignment_mails(&w).await;
        let to: Vec<(&str, &str)> = mails
            .iter()
            .map(|m| (m.to_address.as_str(), m.kind.as_str()))
            .collect();
        assert_eq!(
            to,
            [
                ("arturo@ac.example", "assignment-area-chair"),
                ("carl@rev-c.example", "assignment-reviewer"),
                ("rita@rev-a.example", "assignment-reviewer"),
                ("sam@rev-b.example", "assignment-reviewer"),
            ],
            "[{db}]"
        );
        let (arturo, carl, rita) = (&mails[0], &mails[1], &mails[2]);
        let link = |i: usize| format!("http://review.test/submissions/{}", w.subs[i]);
        assert!(
            rita.body.contains("Dear Rita Reviewer")
                && rita.body.contains("review 2 submission(s)")
                && rita.body.contains("- #1 Title of post-one")
                && rita.body.contains("- #2 Title of post-two")
                && rita.body.contains(&link(0))
                && rita.body.contains(&link(1)),
            "[{db}] {}",
            rita.body
        );
        let reviews_due = DateTime::aoe(REVIEWS_DUE - 1).in_aoe();
        assert!(
            rita.body
                .contains(&format!("Reviews are due {reviews_due}")),
            "[{db}] {reviews_due} not in {}",
            rita.body
        );
        assert_eq!(
            rita.subject, "Test track: your review assignments",
            "[{db}]"
        );
        assert!(
            carl.body.contains("#3 Title of post-three")
                && !carl.body.contains("post-one")
                && !carl.body.contains("post-two"),
            "[{db}] a removed or conflicted assignment is listed: {}",
            carl.body
        );
        let meta_due = DateTime::aoe(META_REVIEWS_DUE - 1).in_aoe();
        assert!(
            arturo.subject == "Test track: your area-chair assignments"
                && arturo.body.contains("area chair of 1 submission(s)")
                && arturo.body.contains("#1 Title of post-one")
                && arturo
                    .body
                    .contains(&format!("Meta-reviews are due {meta_due}")),
            "[{db}] {}\n{}",
            arturo.subject,
            arturo.body
        );
        assert_no_author(&db, &mails);
        let v = page_json(&w).await;
        assert_eq!(v["assignments"]["people"].as_u64(), Some(0), "[{db}] {v}");
        let log = w.app.store().audit_log(50).await.unwrap();
        let click = log
            .iter()
            .find(|e| e.action == "mail.assignments")
            .expect("audited");
        let after = click.after.as_ref().unwrap();
        assert_eq!(
            (after["queued"].as_i64(), after["assignments"].as_i64()),
            (Some(4), Some(5)),
            "[{db}] {after}"
        );
        assert_eq!(
            click.actor_id.as_deref(),
            Some(w.people[0].id.as_str()),
            "[{db}]"
        );
    }
}

#[tokio::test]
async fn a_second_announcement_tells_only_what_is_new() {
    for (db, store, dir) in stores("a_second_announcement_tells_only_what_is_new").await {
        let w = world(store, dir).await;
        let (_, v) = post_json(&w, "/api/v1/mail/assignments", 0).await;
        assert_eq!(v["queued"].as_u64(), Some(4), "[{db}] {v}");
        // A double click (form, then API) queues nothing new.
        let (status, _, headers) = w
            .app
            .call("POST", "/mail/assignments", Some(&as_who(&w, 0).await), &[])
            .await;
        assert_eq!(status.as_u16(), 303, "[{db}]");
        let to = headers["location"].to_str().unwrap().to_string();
        assert_eq!(to, "/mail?done=assignments&queued=0", "[{db}]");
        let (_, page, _) = w
            .app
            .call("GET", &to, Some(&as_who(&w, 0).await), &[])
            .await;
        assert!(
            page.contains("0 assignment mail(s) queued.")
                && page.contains("Everyone has been told of their assignments."),
            "[{db}] {page}"
        );
        let (_, v) = post_json(&w, "/api/v1/mail/assignments", 0).await;
        assert_eq!(
            (v["queued"].as_u64(), v["assignments"].as_u64()),
            (Some(0), Some(0)),
            "[{db}] {v}"
        );
        assert_eq!(assignment_mails(&w).await.len(), 4, "[{db}]");
        // The organizers adjust: Sam takes s3, Rita leaves s2 and comes back to it, a new
        // assignment of Rita's is removed before anyone is told.
        let (org, rita, sam, carl) = (&w.people[0], &w.people[1], &w.people[2], &w.people[3]);
        let s = w.app.store();
        s.assign(&w.subs[2], &sam.id, Role::Reviewer, &org.id, NOW)
            .await
            .unwrap();
        s.unassign(&w.subs[1], &rita.id, &org.id, NOW)
            .await
            .unwrap();
        s.assign(&w.subs[1], &rita.id, Role::Reviewer, &org.id, NOW)
            .await
            .unwrap();
        s.assign(&w.subs[2], &rita.id, Role::Reviewer, &org.id, NOW)
            .await
            .unwrap();
        s.unassign(&w.subs[2], &rita.id, &org.id, NOW)
            .await
            .unwrap();
        // Carl's conflicted s2 is still not announceable.
        let pending = s.unannounced_assignments().await.unwrap();
        assert!(
            pending.iter().all(|u| u.person_id != carl.id),
            "[{db}] {pending:?}"
        );
        let (_, v) = post_json(&w, "/api/v1/mail/assignments", 0).await;
        assert_eq!(
            (v["queued"].as_u64(), v["assignments"].as_u64()),
            (Some(2), Some(2)),
            "[{db}] {v}"
        );
        let mails = assignment_mails(&w).await;
        let sam_mails: Vec<&Mail> = mails.iter().filter(|m| m.to_address == sam.email).collect();
        assert_eq!(sam_mails.len(), 2, "[{db}] {sam_mails:?}");
        let sam_mail = sam_mails
            .iter()
            .find(|m| m.body.contains("post-three"))
            .unwrap_or_else(|| panic!("[{db}] no mail tells Sam of s3: {sam_mails:?}"));
        assert!(
            sam_mail.body.contains("review 1 submission(s)")
                && sam_mail.body.contains("#3 Title of post-three")
                && !sam_mail.body.contains("post-one"),
            "[{db}] {}",
            sam_mail.body
        );
        let rita_mail = mails
            .iter()
            .filter(|m| m.to_address == rita.email)
            .find(|m| m.body.contains("review 1 submission(s)"))
            .unwrap_or_else(|| panic!("[{db}] no second mail to Rita: {mails:?}"));
        assert!(
            rita_mail.body.contains("#2 Title of post-two")
                && !rita_mail.body.contains("post-one")
                && !rita_mail.body.contains("post-three"),
            "[{db}] {}",
            rita_mail.body
        );
        assert_no_author(&db, &mails);
    }
}

#[tokio::test]
async fn assignment_mails_are_refused_once_the_decisions_are_released() {
    for (db, store, dir) in
        stores("assignment_mails_are_refused_once_the_decisions_are_released").await
    {
        let w = world(store, dir).await;
        // Open before the submission deadline and through the decisions date's last second.
        for at in [SUBMITTED - 50, REVIEWS_DUE + 10, RELEASE - 1] {
            w.app.clock.set(at);
            let v = page_json(&w).await;
            assert_eq!(
                v["assignments"]["open"].as_bool(),
                Some(true),
                "[{db}] {at}: {v}"
            );
        }
        w.app.clock.set(RELEASE);
        let (status, v) = post_json(&w, "/api/v1/mail/assignments", 0).await;
        assert_eq!(
            (
                status,
                v["refusal"]["code"].as_str(),
                v["refusal"]["action"].as_str()
            ),
            (403, Some("closed"), Some("announce-assignments")),
            "[{db}] {v}"
        );
        let msg = v["error"].as_str().unwrap_or("");
        assert!(
            msg.starts_with(
                "Telling the committee of new assignments closed at the release of the decisions"
            ),
            "[{db}] {msg}"
        );
        assert!(assignment_mails(&w).await.is_empty(), "[{db}]");
        let pending = w.app.store().unannounced_assignments().await.unwrap();
        assert_eq!(pending.len(), 4, "[{db}] nothing was marked: {pending:?}");
        let page = mail_page(&w).await;
        assert!(
            !page.contains("action=\"/mail/assignments\"")
                && page.contains("4 person(s) have assignments"),
            "[{db}] {page}"
        );
    }
}

#[tokio::test]
async fn a_reviewer_assigned_after_the_deadline_is_given_their_reopened_date() {
    for (db, store, dir) in stores("a_reviewer_assigned_after_the_deadline_is_given").await {
        let w = world(store, dir).await;
        let (org, sam) = (&w.people[0], &w.people[2]);
        let (_, v) = post_json(&w, "/api/v1/mail/assignments", 0).await;
        assert_eq!(v["queued"].as_u64(), Some(4), "[{db}] {v}");
        // After the reviews deadline an emergency reviewer takes s3, reopened for them.
        let late = REVIEWS_DUE + 100;
        let until = REVIEWS_DUE + 2 * 86_400;
        w.app.clock.set(late);
        let s = w.app.store();
        s.assign(&w.subs[2], &sam.id, Role::Reviewer, &org.id, late)
            .await
            .unwrap();
        assert!(s
            .reopen_review(&w.subs[2], &sam.id, until, &org.id, late)
            .await
            .unwrap());
        let (status, v) = post_json(&w, "/api/v1/mail/assignments", 0).await;
        assert_eq!((status, v["queued"].as_u64()), (200, Some(1)), "[{db}] {v}");
        let mails = assignment_mails(&w).await;
        let sam_mail = mails
            .iter()
            .find(|m| m.to_address == sam.email && m.body.contains("post-three"))
            .unwrap_or_else(|| panic!("[{db}] no mail to Sam about s3: {mails:?}"));
        let date = DateTime::aoe(until).in_aoe();
        assert!(
            sam_mail
                .body
                .contains(&format!("- #3 Title of post-three (reopened until {date})"))
                && sam_mail.body.contains(&format!("Reviews are due {date}"))
                && !sam_mail.body.contains("post-one"),
            "[{db}] {}",
            sam_mail.body
        );
        assert_no_author(&db, &mails);
    }
}

/// The audit log of the conflict world: Sam's submitted review of s1 and the assignments on
/// s1 are Olga's to read, not Otto's (conflicted with s1), whether he asks for the whole log
/// or for s1's entries; Xena (who wrote s2) reads nothing of s2.
async fn audit_leaves_out(w: &World, db: &str, otto: &Person, xena: &Person) {
    let app = &w.app;
    let about_s1 = |entries: &serde_json::Value| {
        entries["entries"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| {
                e["object_id"] == w.subs[0].as_str()
                    || e["action"]
                        .as_str()
                        .is_some_and(|a| a.starts_with("review."))
            })
            .count()
    };
    let olga_log = read_audit(app, db, &w.people[0], "").await;
    assert!(about_s1(&olga_log) >= 5, "[{db}] {olga_log}");
    let otto_log = read_audit(app, db, otto, "").await;
    assert_eq!(about_s1(&otto_log), 0, "[{db}] {otto_log}");
    assert!(
        otto_log["entries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["object_id"] == w.subs[2].as_str()),
        "[{db}] Otto still reads s3's entries: {otto_log}"
    );
    let only_s1 = format!("?submission={}", w.subs[0]);
    assert!(
        !read_audit(app, db, &w.people[0], &only_s1).await["entries"]
            .as_array()
            .unwrap()
            .is_empty(),
        "[{db}]"
    );
    assert!(
        read_audit(app, db, otto, &only_s1).await["entries"]
            .as_array()
            .unwrap()
            .is_empty(),
        "[{db}]"
    );
    let xena_log = read_audit(app, db, xena, "").await;
    assert!(
        !xena_log["entries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["object_id"] == w.subs[1].as_str()),
        "[{db}] {xena_log}"
    );
}

/// What `who` reads in the outbox: "kind address" of each message (sorted), and the page.
async fn read_outbox(app: &TestApp, db: &str, who: &Person) -> (Vec<String>, String) {
    let auth = app.session(who).await;
    let (status, body, _) = app.call("GET", "/api/v1/outbox", Some(&auth), &[]).await;
    assert_eq!(status.as_u16(), 200, "[{db}] {body}");
    let mails: Vec<serde_json::Value> = serde_json::from_str(&body).unwrap();
    let (_, page, _) = app.call("GET", "/outbox", Some(&auth), &[]).await;
    let mut seen: Vec<String> = mails
        .iter()
        .map(|m| {
            format!(
                "{} {}",
                m["kind"].as_str().unwrap(),
                m["to_address"].as_str().unwrap()
            )
        })
        .collect();
    seen.sort();
    (seen, page)
}

/// The audit log as `who` reads it through the API (`query`: "" or "?submission=ID").
async fn read_audit(app: &TestApp, db: &str, who: &Person, query: &str) -> serde_json::Value {
    let auth = app.session(who).await;
    let path = format!("/api/v1/audit{query}");
    let (status, body, _) = app.call("GET", &path, Some(&auth), &[]).await;
    assert_eq!(status.as_u16(), 200, "[{db}] {body}");
    serde_json::from_str(&body).unwrap()
}

#[tokio::test]
async fn an_organizer_reads_no_mail_or_audit_entry_about_a_submission_they_are_conflicted_with_or_wrote(
) {
    for (db, store, dir) in stores("organizer_outbox_and_audit_leave_out_barred").await {
        let w = world(store, dir).await;
        let app = &w.app;
        // Otto organizes and has a conflict with s1; Xena organizes and wrote s2.
        let otto = app
            .person(
                "otto@org.example",
                "Otto Conflicted",
                "Inst",
                &[Role::Organizer],
            )
            .await;
        let xena = app
            .person(
                "Xena@Lab-X.example",
                "Xena Unseen",
                "Org",
                &[Role::Organizer],
            )
            .await;
        app.store()
            .declare_conflict(&otto.id, &w.subs[0], "my co-author", NOW)
            .await
            .unwrap();
        // Reminders: Rita's lists s1 and s2, Carl's lists s3. Assignment mails: Rita (s1, s2),
        // Sam (s1), Carl (s3), Arturo (s1).
        let (status, v) = post_json(&w, "/api/v1/mail/reminders", 0).await;
        assert_eq!(status, 200, "[{db}] {v}");
        let (status, v) = post_json(&w, "/api/v1/mail/assignments", 0).await;
        assert_eq!(status, 200, "[{db}] {v}");
        let all = app.store().outbox(1000).await.unwrap();
        let (olga_sees, _) = read_outbox(app, &db, &w.people[0]).await;
        assert_eq!(olga_sees.len(), all.len(), "[{db}] {olga_sees:?}");
        let (otto_sees, page) = read_outbox(app, &db, &otto).await;
        assert_eq!(
            otto_sees,
            [
                "assignment-reviewer carl@rev-c.example",
                "reminder carl@rev-c.example"
            ],
            "[{db}] Otto reads only the mails that do not concern s1"
        );
        let hidden = all.len() - 2;
        assert!(
            page.contains(&format!("{hidden} message(s) about submissions you have a conflict with or wrote are not shown.")),
            "[{db}] {page}"
        );
        assert!(
            !page.contains("Rita Reviewer") && !page.contains("Title of post-one"),
            "[{db}] {page}"
        );
        let (xena_sees, _) = read_outbox(app, &db, &xena).await;
        assert!(
            !xena_sees
                .iter()
                .any(|m| m.ends_with("rita@rev-a.example") && m.starts_with("reminder")),
            "[{db}] Xena wrote s2, listed in Rita's reminder: {xena_sees:?}"
        );
        assert!(
            xena_sees.iter().any(|m| m.ends_with("sam@rev-b.example")),
            "[{db}] {xena_sees:?}"
        );

        audit_leaves_out(&w, &db, &otto, &xena).await;
    }
}
