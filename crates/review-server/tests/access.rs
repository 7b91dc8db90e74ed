//! The access matrix: every endpoint of the router's own table (`/api/v1` copies included)
//! × every kind of viewer, with the expected status; and no author name or e-mail in any
//! response a reviewer, an area chair or another author can load. A route added to the table
//! without an expectation here fails `every_route_has_an_expectation`.

mod common;

use blogtrack_review::conflict::Author;
use blogtrack_review::{ReviewSettings, Role};
use blogtrack_review_server::router::{endpoints, Rule};
use blogtrack_review_store::{NewDecision, NewMessage, NewSubmission};
use common::{stores, TestApp, NOW};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Anonymous,
    Author,
    OtherAuthor,
    AssignedReviewer,
    UnassignedReviewer,
    ConflictedReviewer,
    AreaChair,
    Organizer,
}

const EVERYONE: [Who; 8] = [
    Who::Anonymous,
    Who::Author,
    Who::OtherAuthor,
    Who::AssignedReviewer,
    Who::UnassignedReviewer,
    Who::ConflictedReviewer,
    Who::AreaChair,
    Who::Organizer,
];

/// Strings that identify the authors: none may reach a reviewer, area chair or other author.
const SECRETS: [&str; 4] = [
    "Zelda Secretname",
    "zelda.secret@lab-s.example",
    "Yorick Hiddenname",
    "yorick.hidden@lab-t.example",
];

/// Strings that identify the committee: none may reach an author.
const COMMITTEE: [&str; 4] = [
    "Rita Reviewer",
    "rita@rev-a.example",
    "Arturo Chair",
    "arturo@ac.example",
];

/// The world's decision (never released: no `decisions` date) and its committee-only
/// message: only organizers may see the first, the committee the second.
const DECISION_SECRETS: [&str; 3] = ["best-post", "Best post", "decision note 7c1e"];
const COMMITTEE_ONLY: &str = "committee only 5d2a";

/// Expected status of an HTML request (the API answers the same, except that a redirect
/// after a successful POST is 200 and the redirect to sign-in is 401), for signed-in viewers
/// and for anonymous ones on public routes. `None`: this route has no expectation (a test
/// failure).
fn expected(route: &str, who: Who) -> Option<u16> {
    use Who::*;
    let signed_in = who != Anonymous;
    let org = |yes: u16| if who == Organizer { yes } else { 403 };
    let committee = matches!(
        who,
        AssignedReviewer | UnassignedReviewer | ConflictedReviewer | AreaChair | Organizer
    );
    Some(match route {
        "health" | "stylesheet" | "home" | "timeline" | "sign-in-form" | "sign-in-link"
        | "invitation-form" => 200,
        "sign-in-request" => 400,
        "sign-in-use" | "invitation-accept" => 410,
        _ if !signed_in => 303,
        "me" | "submissions" | "submission-new" => 200,
        "me-update" | "submission-create" => 400,
        "submission" => match who {
            OtherAuthor | ConflictedReviewer => 404,
            _ => 200,
        },
        "submission-update" => match who {
            Author => 400,
            OtherAuthor | ConflictedReviewer => 404,
            _ => 403,
        },
        "conflict-declare" => match who {
            OtherAuthor | ConflictedReviewer => 404,
            _ => 400,
        },
        "bids" => {
            if committee {
                200
            } else {
                403
            }
        }
        "bid-set" => match who {
            UnassignedReviewer => 400,
            OtherAuthor | ConflictedReviewer => 404,
            _ => 403,
        },
        "review" => match who {
            AssignedReviewer => 200,
            OtherAuthor | ConflictedReviewer => 404,
            _ => 403,
        },
        "review-save" => match who {
            AssignedReviewer => 303,
            OtherAuthor | ConflictedReviewer => 404,
            _ => 403,
        },
        "reviews" => match who {
            AreaChair | Organizer => 200,
            OtherAuthor | ConflictedReviewer => 404,
            _ => 403,
        },
        "discussion" | "message-history" => match who {
            AreaChair | Organizer => 200,
            OtherAuthor | ConflictedReviewer => 404,
            _ => 403,
        },
        "message-post" => match who {
            AreaChair | Organizer => 400,
            OtherAuthor | ConflictedReviewer => 404,
            _ => 403,
        },
        // The message is the area chair's: only its writer edits it.
        "message-edit" => match who {
            AreaChair => 400,
            OtherAuthor | ConflictedReviewer => 404,
            _ => 403,
        },
        "meta-review" => match who {
            AreaChair => 200,
            OtherAuthor | ConflictedReviewer => 404,
            _ => 403,
        },
        "meta-review-save" => match who {
            AreaChair => 303,
            OtherAuthor | ConflictedReviewer => 404,
            _ => 403,
        },
        "decision" => match who {
            Author | AssignedReviewer | AreaChair | Organizer => 200,
            OtherAuthor | ConflictedReviewer => 404,
            _ => 403,
        },
        "decision-withdraw" => match who {
            Organizer => 400,
            OtherAuthor | ConflictedReviewer => 404,
            _ => 403,
        },
        "decisions" | "dashboard" | "decisions-csv" => org(200),
        "decisions-save" => org(400),
        "assignments" | "people" | "outbox" | "audit" | "export-json" | "export-csv" => org(200),
        "assignments-run" | "assignment-add" | "assignment-remove" | "review-reopen"
        | "invitation-create" => org(400),
        "mail" => org(200),
        // The world sets no dates: reviews may be submitted (reminders open), decisions are
        // never released (their notification refused, to organizers too).
        "reminders-send" => org(303),
        // No dates: assignments may be announced (the world's two are, by the organizer).
        "assignments-announce" => org(303),
        "decisions-notify" => 403,
        "sign-out" => 303,
        _ => return None,
    })
}

fn api_status(html: u16, method: &str, who: Who, rule: Rule) -> u16 {
    match html {
        303 if who == Who::Anonymous && rule != Rule::Public => 401,
        303 if method == "POST" => 200,
        s => s,
    }
}

struct World {
    app: TestApp,
    people: Vec<(Who, blogtrack_review_store::Person)>,
    s_id: String,
    message_id: String,
}

/// Everyone of the world but the anonymous viewer: (who, e-mail, name, institution, role).
const PEOPLE: [(Who, &str, &str, &str, Role); 7] = [
    (
        Who::Author,
        "zelda.secret@lab-s.example",
        "Zelda Secretname",
        "Lab S",
        Role::Author,
    ),
    (
        Who::OtherAuthor,
        "yorick.hidden@lab-t.example",
        "Yorick Hiddenname",
        "Lab T",
        Role::Author,
    ),
    (
        Who::AssignedReviewer,
        "rita@rev-a.example",
        "Rita Reviewer",
        "Rev A",
        Role::Reviewer,
    ),
    (
        Who::UnassignedReviewer,
        "uma@rev-u.example",
        "Uma Unassigned",
        "Rev U",
        Role::Reviewer,
    ),
    (
        Who::ConflictedReviewer,
        "carl@rev-c.example",
        "Carl Conflicted",
        "Rev C",
        Role::Reviewer,
    ),
    (
        Who::AreaChair,
        "arturo@ac.example",
        "Arturo Chair",
        "AC Inst",
        Role::AreaChair,
    ),
    (
        Who::Organizer,
        "olga@org.example",
        "Olga Organizer",
        "Org",
        Role::Organizer,
    ),
];

fn new_submission(slug: &str, a: &blogtrack_review_store::Person) -> NewSubmission {
    NewSubmission {
        title: format!("Title of {slug}"),
        abstract_text: "What the post explains.".into(),
        slug: slug.into(),
        authors: vec![Author {
            name: a.name.clone(),
            email: a.email.clone(),
            institution: a.institution.clone(),
        }],
        conflict_declaration: "Collaborated with Carl".into(),
        extra: Default::default(),
    }
}

/// The area chair's committee-only message on `sub`.
async fn committee_message(
    app: &TestApp,
    sub: &str,
    ac: &blogtrack_review_store::Person,
) -> String {
    let m = NewMessage {
        submission_id: sub.to_string(),
        thread_id: None,
        author_id: ac.id.clone(),
        author_role: "area-chair".into(),
        kind: "comment".into(),
        readers: "committee".into(),
        body: format!("A {COMMITTEE_ONLY} message."),
    };
    app.store().post_message(&m, NOW).await.unwrap().id
}

/// The world's decision on `sub` (never released: the world sets no `decisions` date).
async fn decide(app: &TestApp, sub: &str, org: &blogtrack_review_store::Person) {
    let d = NewDecision {
        submission_id: sub.to_string(),
        outcome: "accept".into(),
        accepted: true,
        award: Some("best-post".into()),
        poster: true,
        note: DECISION_SECRETS[2].into(),
    };
    app.store().decide(&org.id, &[d], NOW).await.unwrap();
}

/// Two submissions (the author's, the other author's); on the author's an assigned reviewer
/// and area chair, a conflicted reviewer, a committee-only message and a decision.
async fn world(store: blogtrack_review_store::Store, dir: tempfile::TempDir) -> World {
    let app = TestApp::new(store, ReviewSettings::default(), dir);
    let mut people = Vec::new();
    for (who, email, name, inst, role) in PEOPLE {
        people.push((who, app.person(email, name, inst, &[role]).await));
    }
    let p = |who: Who| {
        people
            .iter()
            .find(|(k, _)| *k == who)
            .map(|(_, p)| p.clone())
            .unwrap()
    };
    let (author, org, ac) = (p(Who::Author), p(Who::Organizer), p(Who::AreaChair));
    let store = app.store();
    let s = store
        .create_submission(&author.id, &new_submission("post-s", &author), NOW)
        .await
        .unwrap();
    let other = p(Who::OtherAuthor);
    store
        .create_submission(&other.id, &new_submission("post-t", &other), NOW)
        .await
        .unwrap();
    let assigned = p(Who::AssignedReviewer);
    store
        .assign(&s.id, &assigned.id, Role::Reviewer, &org.id, NOW)
        .await
        .unwrap();
    store
        .assign(&s.id, &ac.id, Role::AreaChair, &org.id, NOW)
        .await
        .unwrap();
    let conflicted = p(Who::ConflictedReviewer);
    store
        .declare_conflict(&conflicted.id, &s.id, "former advisor", NOW)
        .await
        .unwrap();
    let message_id = committee_message(&app, &s.id, &ac).await;
    decide(&app, &s.id, &org).await;
    World {
        app,
        people,
        s_id: s.id,
        message_id,
    }
}

#[test]
fn every_route_has_an_expectation() {
    for (_, path, _, name) in endpoints() {
        for who in EVERYONE {
            assert!(expected(name, who).is_some(), "route `{name}` ({path}) has no expected status for {who:?}: add it to tests/access.rs");
        }
    }
}

#[tokio::test]
async fn access_matrix_and_no_author_identity_leaks() {
    for (db, store, dir) in stores("access_matrix_and_no_author_identity_leaks").await {
        let w = world(store, dir).await;
        let token = "cd".repeat(32);
        let mut failures = Vec::new();
        for who in EVERYONE {
            let person = w
                .people
                .iter()
                .find(|(k, _)| *k == who)
                .map(|(_, p)| p.clone());
            for (method, path, rule, name) in endpoints() {
                let Some(html_expect) = expected(name, who) else {
                    continue;
                };
                let url = path
                    .replace("{id}", &w.s_id)
                    .replace("{token}", &token)
                    .replace("{message}", &w.message_id);
                let want = if url.starts_with("/api/") {
                    api_status(html_expect, method, who, rule)
                } else {
                    html_expect
                };
                // A new session per request: sign-out must not end the next request's.
                let auth = match &person {
                    Some(p) => Some(w.app.session(p).await),
                    None => None,
                };
                let (status, body, _) = w.app.call(method, &url, auth.as_ref(), &[]).await;
                if status.as_u16() != want {
                    failures.push(format!(
                        "[{db}] {who:?} {method} {url} ({name}): {status}, expected {want}"
                    ));
                }
                let lower = body.to_lowercase();
                let mut hidden: Vec<&str> = Vec::new();
                if who != Who::Organizer {
                    hidden.extend(DECISION_SECRETS);
                }
                if matches!(who, Who::Author | Who::OtherAuthor | Who::Anonymous) {
                    hidden.extend(COMMITTEE);
                }
                if !matches!(who, Who::AreaChair | Who::Organizer) {
                    hidden.push(COMMITTEE_ONLY);
                }
                for secret in hidden {
                    if lower.contains(&secret.to_lowercase()) {
                        failures.push(format!(
                            "[{db}] {who:?} {method} {url}: response contains `{secret}`"
                        ));
                    }
                }
                if !matches!(who, Who::Author | Who::Organizer) {
                    for secret in SECRETS {
                        // The other author may see their own name, never Zelda's.
                        if who == Who::OtherAuthor && secret.to_lowercase().contains("yorick") {
                            continue;
                        }
                        if body.to_lowercase().contains(&secret.to_lowercase()) {
                            failures.push(format!(
                                "[{db}] {who:?} {method} {url}: response contains `{secret}`"
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

#[tokio::test]
async fn api_answers_401_without_sign_in_and_healthz_200() {
    for (_, store, dir) in stores("api_answers_401_without_sign_in_and_healthz_200").await {
        let w = world(store, dir).await;
        let (s, _, _) = w.app.call("GET", "/api/v1/submissions", None, &[]).await;
        assert_eq!(s.as_u16(), 401);
        let (s, body, _) = w.app.call("GET", "/healthz", None, &[]).await;
        assert_eq!((s.as_u16(), body.as_str()), (200, "ok\n"));
        // The list holds exactly what each may see.
        for (who, n) in [
            (Who::Author, 1),
            (Who::OtherAuthor, 1),
            (Who::AssignedReviewer, 1),
            (Who::ConflictedReviewer, 0),
            (Who::Organizer, 2),
        ] {
            let p = w.people.iter().find(|(k, _)| *k == who).unwrap().1.clone();
            let auth = w.app.session(&p).await;
            let (s, body, _) = w
                .app
                .call("GET", "/api/v1/submissions", Some(&auth), &[])
                .await;
            assert_eq!(s.as_u16(), 200);
            let v: serde_json::Value = serde_json::from_str(&body).unwrap();
            assert_eq!(
                v["submissions"].as_array().unwrap().len(),
                n,
                "{who:?}: {body}"
            );
        }
    }
}

#[test]
fn openapi_describes_every_api_route() {
    let spec =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.yaml")).unwrap();
    for route in blogtrack_review_server::router::ROUTES
        .iter()
        .filter(|r| r.api)
    {
        let path_line = format!("\n  {}:\n", route.path);
        let at = spec
            .find(&path_line)
            .unwrap_or_else(|| panic!("openapi.yaml has no path {}", route.path));
        let next = spec[at + path_line.len()..]
            .find("\n  /")
            .map(|i| at + path_line.len() + i)
            .unwrap_or(spec.len());
        let method = format!("\n    {}:\n", route.method.to_lowercase());
        assert!(
            spec[at..next].contains(&method),
            "openapi.yaml has no {} {}",
            route.method,
            route.path
        );
    }
}
