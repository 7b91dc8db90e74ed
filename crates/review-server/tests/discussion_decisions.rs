//! Review part 2 over HTTP, on SQLite and on PostgreSQL when configured: the discussion
//! across the phases (fake clock), the author response, pseudonyms, edit history; the
//! meta-review; decisions decided in bulk and released at their date, never before; the
//! audit log per submission; and the hostile inputs of every new form field.

mod common;

use blogtrack_review::conflict::Author;
use blogtrack_review::form::Value;
use blogtrack_review::{ReviewSettings, Role, TrackDates};
use blogtrack_review_store::{NewSubmission, Person};
use common::{stores, TestApp, NOW};
use serde_json::Value as Json;

const REVIEW_DEADLINE: i64 = NOW + 100;
const RESPONSE_END: i64 = NOW + 200;
const RELEASE: i64 = NOW + 300;

fn settings() -> ReviewSettings {
    use blogtrack_review::dates::{DateTime, Milestone};
    let mut dates = TrackDates::default();
    // A milestone is written for its last second: the action closes one second later.
    for (m, closes) in [
        (Milestone::Reviews, REVIEW_DEADLINE),
        (Milestone::AuthorResponse, RESPONSE_END),
        (Milestone::MetaReviews, RELEASE - 10),
        (Milestone::Decisions, RELEASE),
    ] {
        dates.set(m, DateTime::aoe(closes - 1));
    }
    ReviewSettings {
        dates,
        ..ReviewSettings::default()
    }
}

struct World {
    app: TestApp,
    author: (String, String),
    reviewer: (String, String),
    reviewer2: (String, String),
    chair: (String, String),
    org: (String, String),
    sub: String,
    other_sub: String,
}

async fn world(store: blogtrack_review_store::Store, dir: tempfile::TempDir) -> World {
    let app = TestApp::new(store, settings(), dir);
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
    let rev = app
        .person(
            "rita@rev-a.example",
            "Rita Reviewer",
            "Rev A",
            &[Role::Reviewer],
        )
        .await;
    let rev2 = app
        .person(
            "ravi@rev-b.example",
            "Ravi Reviewer",
            "Rev B",
            &[Role::Reviewer],
        )
        .await;
    let new = |slug: &str, a: &Person| NewSubmission {
        title: format!("Title of {slug}"),
        abstract_text: "An abstract.".into(),
        slug: slug.into(),
        authors: vec![Author {
            name: a.name.clone(),
            email: a.email.clone(),
            institution: a.institution.clone(),
        }],
        conflict_declaration: String::new(),
        extra: Default::default(),
    };
    let s = app.store();
    let sub = s
        .create_submission(&author.id, &new("post-s", &author), NOW)
        .await
        .unwrap()
        .id;
    let other_sub = s
        .create_submission(&author.id, &new("post-t", &author), NOW)
        .await
        .unwrap()
        .id;
    for (p, role) in [
        (&rev, Role::Reviewer),
        (&rev2, Role::Reviewer),
        (&chair, Role::AreaChair),
    ] {
        s.assign(&sub, &p.id, role, &org.id, NOW).await.unwrap();
        s.assign(&other_sub, &p.id, role, &org.id, NOW)
            .await
            .unwrap();
    }
    let mut answers = blogtrack_review::form::Values::new();
    answers.insert("summary".into(), Value::Text("s".into()));
    answers.insert("score".into(), Value::Number(4));
    for r in [&rev, &rev2] {
        for id in [&sub, &other_sub] {
            s.save_review(&r.id, id, &answers, true, None, NOW)
                .await
                .unwrap()
                .unwrap();
        }
    }
    World {
        author: app.session(&author).await,
        reviewer: app.session(&rev).await,
        reviewer2: app.session(&rev2).await,
        chair: app.session(&chair).await,
        org: app.session(&org).await,
        app,
        sub,
        other_sub,
    }
}

async fn worlds(test: &str) -> Vec<World> {
    let mut out = Vec::new();
    for (_, store, dir) in stores(test).await {
        out.push(world(store, dir).await);
    }
    out
}

impl World {
    async fn get(&self, who: &(String, String), path: &str) -> (u16, Json, String) {
        let (s, body, _) = self.app.call("GET", path, Some(who), &[]).await;
        let json = serde_json::from_str(&body).unwrap_or(Json::Null);
        (s.as_u16(), json, body)
    }

    async fn post(
        &self,
        who: &(String, String),
        path: &str,
        fields: &[(&str, &str)],
    ) -> (u16, Json, String) {
        let (s, body, _) = self.app.call("POST", path, Some(who), fields).await;
        let json = serde_json::from_str(&body).unwrap_or(Json::Null);
        (s.as_u16(), json, body)
    }

    fn at(&self, t: i64) {
        self.app.clock.set(t);
    }
}

const IDENTITIES: [&str; 8] = [
    "Rita Reviewer",
    "rita@rev-a.example",
    "Ravi Reviewer",
    "ravi@rev-b.example",
    "Arturo Chair",
    "arturo@ac.example",
    "Olga Organizer",
    "olga@org.example",
];

/// During reviewing: the committee discusses, the authors cannot open the discussion yet.
/// Returns the committee-only thread and the one addressed to the authors.
async fn the_committee_discusses_while_the_authors_wait(w: &World, disc: &str) -> (String, String) {
    let (s, j, _) = w
        .post(
            &w.reviewer,
            disc,
            &[("body", "Committee only: $x^2$ is wrong.")],
        )
        .await;
    assert_eq!(s, 200, "{j}");
    assert_eq!(j["pseudonym"], "Reviewer A");
    let committee_thread = j["thread"].as_str().unwrap().to_string();
    let (s, j, _) = w
        .post(
            &w.chair,
            disc,
            &[
                ("body", "Dear authors, please clarify section 2."),
                ("readers", "authors"),
            ],
        )
        .await;
    assert_eq!(s, 200, "{j}");
    let author_thread = j["thread"].as_str().unwrap().to_string();
    let (s, j, _) = w.get(&w.author, disc).await;
    assert_eq!(s, 403, "{j}");
    let why = j["error"].as_str().unwrap();
    assert!(
        why.contains("opens after the reviews deadline") && why.contains("AoE"),
        "{j}"
    );
    assert_eq!(j["refusal"]["code"], "not-yet-open", "{j}");
    let (s, _, _) = w.post(&w.author, disc, &[("body", "early")]).await;
    assert_eq!(s, 403);
    (committee_thread, author_thread)
}

/// The response period: authors read what is addressed to them, by pseudonym only, and
/// answer in that thread, never into a committee-only one.
async fn the_authors_respond_by_pseudonym(w: &World, disc: &str, threads: &(String, String)) {
    let (committee_thread, author_thread) = threads;
    let (s, j, body) = w.get(&w.author, disc).await;
    assert_eq!(s, 200, "{j}");
    let msgs = j["messages"].as_array().unwrap();
    assert_eq!(msgs.len(), 1, "{j}");
    assert_eq!(msgs[0]["pseudonym"], "Area chair A");
    assert!(!body.contains("Committee only"), "{body}");
    for id in IDENTITIES {
        assert!(!body.contains(id), "the author's discussion shows `{id}`");
    }
    let (_, _, page) = w
        .get(&w.author, &format!("/submissions/{}/discussion", w.sub))
        .await;
    for id in IDENTITIES {
        assert!(
            !page.contains(id),
            "the author's discussion page shows `{id}`"
        );
    }
    let (s, j, _) = w
        .post(
            &w.author,
            disc,
            &[
                ("body", "Section 2 is clarified."),
                ("thread", author_thread),
            ],
        )
        .await;
    assert_eq!(s, 200, "{j}");
    assert_eq!(j["pseudonym"], "Authors");
    let (s, _, _) = w
        .post(
            &w.author,
            disc,
            &[("body", "peek"), ("thread", committee_thread)],
        )
        .await;
    assert_eq!(s, 404);
    let (s, j, _) = w
        .post(
            &w.author,
            disc,
            &[
                ("body", "secret to the committee"),
                ("readers", "committee"),
            ],
        )
        .await;
    assert_eq!(s, 400, "{j}");
    // Reviewers see the response; they see each other by pseudonym only.
    let (_, j, body) = w.get(&w.reviewer2, disc).await;
    assert_eq!(j["messages"].as_array().unwrap().len(), 3);
    assert!(body.contains("author-response"));
    for id in IDENTITIES {
        assert!(!body.contains(id), "a reviewer's discussion shows `{id}`");
    }
}

/// The response period ends (the discussion is still read, the committee still writes);
/// then decisions are released and the discussion closes for everyone.
async fn the_discussion_closes_in_two_steps(w: &World, disc: &str) {
    w.at(RESPONSE_END);
    let (s, j, _) = w.post(&w.author, disc, &[("body", "late")]).await;
    assert_eq!(s, 403);
    assert!(j["error"].as_str().unwrap().contains("AoE"), "{j}");
    assert_eq!(j["refusal"]["code"], "closed", "{j}");
    assert_eq!(w.get(&w.author, disc).await.0, 200);
    assert_eq!(
        w.post(&w.reviewer, disc, &[("body", "still discussing")])
            .await
            .0,
        200
    );
    w.at(RELEASE);
    let (s, j, _) = w.post(&w.reviewer, disc, &[("body", "too late")]).await;
    assert_eq!(s, 403);
    assert!(j["error"].as_str().unwrap().contains("AoE"), "{j}");
    assert_eq!(j["refusal"]["code"], "closed", "{j}");
    assert_eq!(w.get(&w.reviewer, disc).await.0, 200);
}

#[tokio::test]
async fn the_discussion_and_the_author_response_follow_the_phases() {
    for w in worlds("the_discussion_and_the_author_response_follow_the_phases").await {
        let disc = format!("/api/v1/submissions/{}/discussion", w.sub);
        let threads = the_committee_discusses_while_the_authors_wait(&w, &disc).await;
        w.at(REVIEW_DEADLINE);
        the_authors_respond_by_pseudonym(&w, &disc, &threads).await;
        the_discussion_closes_in_two_steps(&w, &disc).await;
    }
}

#[tokio::test]
async fn edits_keep_their_history_and_only_the_writer_edits() {
    for w in worlds("edits_keep_their_history_and_only_the_writer_edits").await {
        let disc = format!("/api/v1/submissions/{}/discussion", w.sub);
        let (_, j, _) = w.post(&w.reviewer, &disc, &[("body", "first")]).await;
        let id = j["id"].as_str().unwrap().to_string();
        let msg = format!("{disc}/{id}");
        let (s, j, _) = w
            .post(&w.reviewer, &msg, &[("body", "second"), ("version", "1")])
            .await;
        assert_eq!(s, 200, "{j}");
        assert_eq!(
            w.post(&w.reviewer, &msg, &[("body", "stale"), ("version", "1")])
                .await
                .0,
            409
        );
        assert_eq!(
            w.post(&w.reviewer2, &msg, &[("body", "hijack")]).await.0,
            403
        );
        assert_eq!(
            w.post(&w.chair, &msg, &[("action", "withdraw")]).await.0,
            403
        );
        let (s, j, _) = w.get(&w.reviewer2, &format!("{msg}/history")).await;
        assert_eq!(s, 200);
        let bodies: Vec<&str> = j["versions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["body"].as_str().unwrap())
            .collect();
        assert_eq!(bodies, ["first", "second"]);
        // A message id of another submission, or forged, is not found here.
        let (_, j, _) = w
            .post(
                &w.reviewer,
                &format!("/api/v1/submissions/{}/discussion", w.other_sub),
                &[("body", "elsewhere")],
            )
            .await;
        let elsewhere = j["id"].as_str().unwrap().to_string();
        assert_eq!(
            w.post(
                &w.reviewer,
                &format!("{disc}/{elsewhere}"),
                &[("body", "moved")]
            )
            .await
            .0,
            404
        );
        assert_eq!(
            w.post(
                &w.reviewer,
                &format!("{disc}/{}", "0".repeat(32)),
                &[("body", "x")]
            )
            .await
            .0,
            404
        );
        assert_eq!(
            w.post(&w.reviewer, &format!("{disc}/not-an-id"), &[("body", "x")])
                .await
                .0,
            404
        );
        assert_eq!(
            w.post(&w.reviewer, &disc, &[("body", "x"), ("thread", &elsewhere)])
                .await
                .0,
            404
        );
        // Organizers withdraw; the row and its versions survive.
        assert_eq!(w.post(&w.org, &msg, &[("action", "withdraw")]).await.0, 200);
        let (_, j, _) = w.get(&w.reviewer2, &disc).await;
        let m = j["messages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"] == id.as_str())
            .unwrap()
            .clone();
        assert!(m["withdrawn_at"].is_number() && m["body"] == "", "{m}");
        assert_eq!(w.app.store().message_versions(&id).await.unwrap().len(), 2);
        assert_eq!(w.post(&w.reviewer, &msg, &[("body", "third")]).await.0, 403);
    }
}

#[tokio::test]
async fn hostile_message_fields_are_refused_or_escaped() {
    for w in worlds("hostile_message_fields_are_refused_or_escaped").await {
        let disc = format!("/api/v1/submissions/{}/discussion", w.sub);
        let script =
            "<script>alert(1)</script><img src=x onerror=alert(2)> [x](javascript:alert(3))";
        assert_eq!(w.post(&w.reviewer, &disc, &[("body", script)]).await.0, 200);
        let (_, _, page) = w
            .get(&w.reviewer2, &format!("/submissions/{}/discussion", w.sub))
            .await;
        assert!(
            !page.contains("<script>alert")
                && !page.contains("onerror=")
                && !page.contains("javascript:alert"),
            "{page}"
        );
        let (_, j, _) = w.get(&w.reviewer2, &disc).await;
        let rendered = j["messages"][0]["rendered"].as_str().unwrap();
        assert!(
            !rendered.contains("<script") && !rendered.contains("onerror"),
            "{rendered}"
        );
        let long = "x".repeat(20_001);
        for (fields, what) in [
            (vec![("body", long.as_str())], "at most 20000"),
            (vec![("body", "evil \u{202E}txt")], "U+202E"),
            (vec![("body", "  ")], "required"),
            (
                vec![("body", "ok"), ("readers", "everyone'; DROP TABLE x")],
                "readers",
            ),
            (vec![("body", "ok"), ("admin", "1")], "no field"),
            (vec![("body", "ok"), ("thread", "'; --")], ""),
        ] {
            let (s, j, body) = w.post(&w.reviewer, &disc, &fields).await;
            assert!(
                s == 400 || (what.is_empty() && s == 404),
                "{fields:?}: {s} {body}"
            );
            assert!(
                j["error"].as_str().unwrap_or("").contains(what),
                "{fields:?}: {body}"
            );
        }
        // No CSRF token: refused before anything is written.
        let req = axum::http::Request::builder()
            .method("POST")
            .uri(format!("/submissions/{}/discussion", w.sub))
            .header("cookie", format!("bt_session={}", w.reviewer.0))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(axum::body::Body::from("body=no+token"))
            .unwrap();
        assert_eq!(w.app.send(req).await.0.as_u16(), 403);
        assert_eq!(
            w.get(&w.reviewer, &disc).await.1["messages"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
    }
}

#[tokio::test]
async fn meta_reviews_are_the_area_chairs_and_close_at_the_release() {
    for w in worlds("meta_reviews_are_the_area_chairs_and_close_at_the_release").await {
        // Meta-reviews open after the reviews deadline and close before decisions.
        w.at(REVIEW_DEADLINE);
        let meta = format!("/api/v1/submissions/{}/meta-review", w.sub);
        assert_eq!(
            w.post(&w.reviewer, &meta, &[("action", "submit")]).await.0,
            403
        );
        let (s, j, _) = w
            .post(
                &w.chair,
                &meta,
                &[("action", "submit"), ("recommendation", "3")],
            )
            .await;
        assert_eq!(s, 400, "a submitted meta-review needs its text: {j}");
        assert_eq!(j["fields"][0]["field"], "meta_review");
        let (s, j, _) = w
            .post(
                &w.chair,
                &meta,
                &[
                    ("action", "submit"),
                    ("recommendation", "3"),
                    ("meta_review", "Clear <script>x</script> $a$"),
                ],
            )
            .await;
        assert_eq!(s, 200, "{j}");
        let (s, _, _) = w.post(&w.chair, &meta, &[("recommendation", "9")]).await;
        assert_eq!(s, 400);
        // The committee reads it on the decision page; the author only after the release.
        let dec = format!("/api/v1/submissions/{}/decision", w.sub);
        let (_, j, _) = w.get(&w.reviewer, &dec).await;
        assert_eq!(j["meta_reviews"].as_array().unwrap().len(), 1, "{j}");
        assert_eq!(j["meta_reviews"][0]["pseudonym"], "Area chair A");
        let (_, j, _) = w.get(&w.author, &dec).await;
        assert!(j["meta_reviews"].as_array().unwrap().is_empty(), "{j}");
        assert_eq!(
            w.post(&w.chair, &meta, &[("action", "withdraw")]).await.0,
            200
        );
        assert!(w.get(&w.reviewer, &dec).await.1["meta_reviews"]
            .as_array()
            .unwrap()
            .is_empty());
        assert_eq!(
            w.app.store().all_meta_reviews().await.unwrap().len(),
            1,
            "withdrawn, not deleted"
        );
        w.at(RELEASE);
        let (s, j, _) = w
            .post(
                &w.chair,
                &meta,
                &[("action", "save"), ("recommendation", "1")],
            )
            .await;
        assert_eq!(s, 403, "{j}");
    }
}

/// An instant inside the window of `Decide`: after the reviews deadline, before the release.
const DECIDING: i64 = REVIEW_DEADLINE + 10;

/// The bulk form's field names for `id`: (outcome, award, poster).
fn row(id: &str) -> (String, String, String) {
    (
        format!("outcome_{id}"),
        format!("award_{id}"),
        format!("poster_{id}"),
    )
}

#[tokio::test]
async fn bulk_decisions_are_one_transaction_and_only_organizers_decide() {
    for w in worlds("bulk_decisions_are_one_transaction_and_only_organizers_decide").await {
        // Before the reviews deadline the table says why it is closed and offers no button.
        let (_, j, _) = w.get(&w.org, "/api/v1/decisions").await;
        assert_eq!(j["open"], false, "{j}");
        let (_, _, page) = w.get(&w.org, "/decisions").await;
        assert!(
            page.contains("Recording a decision opens after the reviews deadline")
                && !page.contains("Save the decisions"),
            "{page}"
        );
        w.at(DECIDING);
        let (_, _, page) = w.get(&w.org, "/decisions").await;
        assert!(page.contains("Save the decisions"), "{page}");
        let (s, j, _) = w.get(&w.org, "/api/v1/decisions").await;
        assert_eq!(s, 200);
        assert_eq!(j["submissions"].as_array().unwrap().len(), 2);
        assert_eq!(j["open"], true, "{j}");
        let (o1, a1, _) = row(&w.sub);
        let (o2, a2, _) = row(&w.other_sub);
        // One transaction: a bad row (an award on a rejection, a forged id) saves nothing.
        let forged = format!("outcome_{}", "0".repeat(32));
        for bad in [
            vec![
                (o1.as_str(), "accept"),
                (o2.as_str(), "reject"),
                (a2.as_str(), "runner-up"),
            ],
            vec![(o1.as_str(), "accept"), (forged.as_str(), "accept")],
            vec![(o1.as_str(), "maybe")],
            vec![(o1.as_str(), "accept"), (a1.as_str(), "<script>")],
            vec![],
        ] {
            let (s, j, _) = w.post(&w.org, "/api/v1/decisions", &bad).await;
            assert_eq!(s, 400, "{bad:?}: {j}");
        }
        assert!(w.app.store().current_decisions().await.unwrap().is_empty());
        assert_eq!(
            w.post(&w.reviewer, "/api/v1/decisions", &[(o1.as_str(), "accept")])
                .await
                .0,
            403
        );
        assert!(w.app.store().current_decisions().await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn decisions_in_bulk_are_released_at_their_date_and_never_before() {
    for w in worlds("decisions_in_bulk_are_released_at_their_date_and_never_before").await {
        let (o1, a1, p1) = row(&w.sub);
        let (o2, _, _) = row(&w.other_sub);
        w.at(DECIDING);
        let (s, j, _) = w
            .post(
                &w.org,
                "/decisions",
                &[
                    (o1.as_str(), "accept"),
                    (a1.as_str(), "best-post"),
                    (p1.as_str(), "on"),
                    (o2.as_str(), "reject"),
                ],
            )
            .await;
        assert_eq!(s, 303, "{j}");
        let published = w.app.store().decided_submissions().await.unwrap();
        assert_eq!(published.len(), 2);
        assert_eq!(
            (published[0].award.as_deref(), published[0].poster),
            (Some("best-post"), true)
        );
        // Before the release nobody but organizers learns anything of it.
        let dec = format!("/api/v1/submissions/{}/decision", w.sub);
        for who in [&w.author, &w.reviewer, &w.chair] {
            let (s, j, body) = w.get(who, &dec).await;
            assert_eq!(s, 200);
            assert_eq!(
                (j["released"].clone(), j["decision"].clone()),
                (Json::Bool(false), Json::Null),
                "{body}"
            );
            assert!(
                !body.contains("best-post") && !body.contains("accept"),
                "{body}"
            );
            let (_, _, page) = w
                .get(who, &format!("/submissions/{}/decision", w.sub))
                .await;
            assert!(
                !page.contains("Best post") && !page.contains("Accept"),
                "{page}"
            );
        }
        let (_, j, _) = w.get(&w.org, &dec).await;
        assert_eq!(j["decision"]["award"], "best-post");
        w.at(RELEASE - 1);
        assert_eq!(w.get(&w.author, &dec).await.1["decision"], Json::Null);
        w.at(RELEASE);
        let (_, j, _) = w.get(&w.author, &dec).await;
        assert_eq!(
            (
                j["decision"]["outcome"].as_str(),
                j["decision"]["award_label"].as_str()
            ),
            (Some("accept"), Some("Best post")),
            "{j}"
        );
        assert!(
            j["decision"].get("note").is_none(),
            "the organizers' note stays theirs"
        );
    }
}

#[tokio::test]
async fn deciding_again_supersedes_and_withdrawing_keeps_every_row() {
    for w in worlds("deciding_again_supersedes_and_withdrawing_keeps_every_row").await {
        let (o1, _, _) = row(&w.sub);
        let (o2, _, _) = row(&w.other_sub);
        w.at(DECIDING);
        let both = [(o1.as_str(), "accept"), (o2.as_str(), "reject")];
        assert_eq!(w.post(&w.org, "/api/v1/decisions", &both).await.0, 200);
        // A second apart, so that the audit log orders them.
        w.at(DECIDING + 1);
        let (s, _, _) = w
            .post(&w.org, "/api/v1/decisions", &[(o1.as_str(), "reject")])
            .await;
        assert_eq!(s, 200);
        let withdraw = format!("/api/v1/submissions/{}/decision/withdraw", w.sub);
        w.at(DECIDING + 2);
        assert_eq!(w.post(&w.org, &withdraw, &[]).await.0, 400);
        assert_eq!(
            w.post(&w.chair, &withdraw, &[("confirm", "yes")]).await.0,
            403
        );
        assert_eq!(
            w.post(&w.org, &withdraw, &[("confirm", "yes")]).await.0,
            200
        );
        w.at(RELEASE + 1);
        let dec = format!("/api/v1/submissions/{}/decision", w.sub);
        assert_eq!(w.get(&w.author, &dec).await.1["decision"], Json::Null);
        let history = w.app.store().decision_history(&w.sub).await.unwrap();
        assert_eq!(
            history.len(),
            2,
            "superseded and withdrawn decisions survive"
        );
        the_audit_log_tells_the_story(&w).await;
    }
}

/// The audit log of the submission: withdrawn, then set, then set, before → after; nothing of
/// the other submission; the filter is checked; organizers only.
async fn the_audit_log_tells_the_story(w: &World) {
    let (s, j, _) = w
        .get(&w.org, &format!("/api/v1/audit?submission={}", w.sub))
        .await;
    assert_eq!(s, 200);
    let entries = j["entries"].as_array().unwrap();
    let actions: Vec<&str> = entries
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        &actions[..3],
        ["decision.withdraw", "decision.set", "decision.set"],
        "{actions:?}"
    );
    assert_eq!(entries[1]["before"]["outcome"], "accept");
    assert_eq!(entries[1]["after"]["outcome"], "reject");
    assert!(entries
        .iter()
        .all(|e| e["object_id"] != w.other_sub.as_str()));
    assert_eq!(
        w.get(&w.org, "/api/v1/audit?submission=1%27%20OR%201=1")
            .await
            .0,
        400
    );
    assert_eq!(w.get(&w.reviewer, "/api/v1/audit").await.0, 403);
}

#[tokio::test]
async fn the_dashboard_counts_states_missing_reviews_and_scores() {
    for w in worlds("the_dashboard_counts_states_missing_reviews_and_scores").await {
        let late = w
            .app
            .person(
                "lars@rev-l.example",
                "Lars Late",
                "Rev L",
                &[Role::Reviewer],
            )
            .await;
        let org_id = w
            .app
            .store()
            .people()
            .await
            .unwrap()
            .into_iter()
            .find(|p| p.email == "olga@org.example")
            .unwrap()
            .id;
        w.app
            .store()
            .assign(&w.sub, &late.id, Role::Reviewer, &org_id, NOW)
            .await
            .unwrap();
        let (s, j, _) = w.get(&w.org, "/api/v1/dashboard").await;
        assert_eq!(s, 200);
        assert_eq!(
            j["submissions_per_state"],
            serde_json::json!({"Undecided": 2})
        );
        let missing = j["missing_reviews"].as_array().unwrap();
        assert_eq!(missing.len(), 1, "{j}");
        assert_eq!(
            (
                missing[0]["name"].as_str(),
                missing[0]["submissions"].clone()
            ),
            (Some("Lars Late"), serde_json::json!([1]))
        );
        let score = j["score_distributions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["key"] == "score")
            .unwrap()
            .clone();
        let counts: Vec<i64> = score["counts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["count"].as_i64().unwrap())
            .collect();
        assert_eq!(
            counts,
            [0, 0, 0, 4, 0],
            "four submitted reviews scored 4: {score}"
        );
        // Decisions are recorded after the reviews deadline.
        w.at(DECIDING);
        let o1 = format!("outcome_{}", w.sub);
        assert_eq!(
            w.post(&w.org, "/api/v1/decisions", &[(o1.as_str(), "accept")])
                .await
                .0,
            200
        );
        let (_, j, _) = w.get(&w.org, "/api/v1/dashboard").await;
        assert_eq!(
            j["submissions_per_state"],
            serde_json::json!({"Accept": 1, "Undecided": 1})
        );
        let (_, _, page) = w.get(&w.org, "/dashboard").await;
        assert!(
            page.contains("<svg") && page.contains("<title id=\"score-score-t\">"),
            "{page}"
        );
        let (s, _, csv) = w.get(&w.org, "/decisions.csv").await;
        assert_eq!(s, 200);
        assert!(
            csv.lines()
                .nth(1)
                .unwrap()
                .starts_with("1,post-s,Title of post-s,accept,true,,false,"),
            "{csv}"
        );
        assert_eq!(w.get(&w.reviewer, "/api/v1/dashboard").await.0, 403);
    }
}
