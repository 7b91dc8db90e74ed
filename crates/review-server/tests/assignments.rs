//! The organizers' assignment page and the changes by hand reach only the submissions an
//! organizer may manage, checked in the store's query: not one they wrote (the page names the
//! reviewers) nor one they have a conflict with; nobody but an organizer gets any row. Runs on
//! SQLite and on PostgreSQL when configured.

mod common;

use blogtrack_review::conflict::Author;
use blogtrack_review::{ReviewSettings, Role};
use blogtrack_review_store::{NewSubmission, Person, Store, Submission};
use common::{stores, TestApp, NOW};

fn new(slug: &str, title: &str, email: &str) -> NewSubmission {
    NewSubmission {
        title: title.into(),
        abstract_text: "An abstract.".into(),
        slug: slug.into(),
        authors: vec![Author {
            name: "Writer".into(),
            email: email.into(),
            institution: "Somewhere".into(),
        }],
        conflict_declaration: String::new(),
        extra: Default::default(),
    }
}

/// Two organizers, Olga (who wrote one submission and has a conflict with another) and
/// Oscar; an author, Ana, and a reviewer assigned to Olga's own submission.
struct World {
    app: TestApp,
    writer: Person,
    other: Person,
    author: Person,
    reviewer: Person,
    own: Submission,
    theirs: Submission,
}

async fn world(store: Store, dir: tempfile::TempDir) -> World {
    let app = TestApp::new(store, ReviewSettings::default(), dir);
    let writer = app
        .person(
            "olga@org-a.example",
            "Olga Writer",
            "Org A",
            &[Role::Organizer],
        )
        .await;
    let other = app
        .person("oscar@org-b.example", "Oscar", "Org B", &[Role::Organizer])
        .await;
    let author = app.person("ana@lab.example", "Ana", "Lab", &[]).await;
    let reviewer = app
        .person(
            "rita@inst.example",
            "Rita Secretname",
            "Inst",
            &[Role::Reviewer],
        )
        .await;
    let s = app.store();
    let own = s
        .create_submission(
            &writer.id,
            &new("own", "Olga's own post", &writer.email),
            NOW,
        )
        .await
        .unwrap();
    let theirs = s
        .create_submission(&author.id, &new("theirs", "Ana's post", &author.email), NOW)
        .await
        .unwrap();
    let conflicted = s
        .create_submission(
            &author.id,
            &new("close", "A close colleague's post", &author.email),
            NOW,
        )
        .await
        .unwrap();
    s.declare_conflict(&writer.id, &conflicted.id, "we wrote a paper together", NOW)
        .await
        .unwrap();
    assert!(s
        .assign(&own.id, &reviewer.id, Role::Reviewer, &other.id, NOW)
        .await
        .unwrap());
    World {
        app,
        writer,
        other,
        author,
        reviewer,
        own,
        theirs,
    }
}

fn ids(v: Vec<Submission>) -> Vec<String> {
    v.into_iter().map(|x| x.id).collect()
}

/// The query itself: the organizer loses their own and the conflicted submission; people
/// without the role get nothing.
#[tokio::test]
async fn the_store_gives_an_organizer_only_the_submissions_they_may_manage() {
    for (name, store, dir) in stores("the_store_gives_an_organizer_only_the_submissions").await {
        let w = world(store, dir).await;
        let s = w.app.store();
        assert_eq!(
            ids(s.submissions_managed_by(&w.writer.id).await.unwrap()),
            vec![w.theirs.id.clone()],
            "{name}"
        );
        assert_eq!(
            ids(s.submissions_managed_by(&w.other.id).await.unwrap()).len(),
            3,
            "{name}"
        );
        for nobody in [&w.reviewer, &w.author] {
            assert!(
                s.submissions_managed_by(&nobody.id)
                    .await
                    .unwrap()
                    .is_empty(),
                "{name}: {}",
                nobody.name
            );
        }
        assert!(
            s.submission_managed_by(&w.writer.id, &w.own.id)
                .await
                .unwrap()
                .is_none(),
            "{name}"
        );
    }
}

/// The page, its JSON and the changes by hand reach neither Olga's own submission nor the
/// one she has a conflict with.
#[tokio::test]
async fn the_assignments_page_hides_an_organizers_own_and_conflicted_submissions() {
    for (name, store, dir) in stores("the_assignments_page_hides_an_organizers_own").await {
        let w = world(store, dir).await;
        let ws = w.app.session(&w.writer).await;
        let (code, page, _) = w.app.call("GET", "/assignments", Some(&ws), &[]).await;
        assert_eq!(code, 200, "{name}: {page}");
        assert!(
            page.contains("Ana&#39;s post") || page.contains("Ana's post"),
            "{name}: {page}"
        );
        for hidden in [
            "Olga's own post",
            "Olga&#39;s own post",
            "A close colleague",
            // An assigned reviewer's line: "pseudonym: name" (the person picker below lists
            // every person, as the people page does).
            ": Rita Secretname",
        ] {
            assert!(!page.contains(hidden), "{name}: the page shows {hidden}");
        }
        let (code, json, _) = w
            .app
            .call("GET", "/api/v1/assignments", Some(&ws), &[])
            .await;
        assert_eq!(code, 200, "{name}");
        assert!(
            !json.contains(&w.own.id) && !json.contains(&w.reviewer.id),
            "{name}: {json}"
        );
        // By hand: their own submission is not found for them, and nothing is written.
        for path in ["/api/v1/assignments/add", "/api/v1/assignments/remove"] {
            let fields = [
                ("submission", w.own.id.as_str()),
                ("person", w.reviewer.id.as_str()),
                ("role", "reviewer"),
            ];
            let (code, body, _) = w.app.call("POST", path, Some(&ws), &fields).await;
            assert_eq!(code, 404, "{name} {path}: {body}");
        }
        assert_eq!(
            w.app.store().assignments().await.unwrap().len(),
            1,
            "{name}"
        );
    }
}

/// The other organizer sees all three, with the reviewer's name (not yet told of the
/// assignment), and may change them.
#[tokio::test]
async fn another_organizer_sees_and_changes_every_submission() {
    for (name, store, dir) in stores("another_organizer_sees_and_changes_every_submission").await {
        let w = world(store, dir).await;
        let os = w.app.session(&w.other).await;
        let (code, page, _) = w.app.call("GET", "/assignments", Some(&os), &[]).await;
        assert_eq!(code, 200, "{name}");
        assert!(
            page.contains(": Rita Secretname · not told yet") && page.contains("A close colleague"),
            "{name}: {page}"
        );
        // Giving a reviewer more time is folded under each open review; with no reviews
        // deadline set, the example date is a week from now (AoE).
        let week = blogtrack_review::dates::DateTime::aoe(w.app.clock_now() + 7 * 86_400).in_aoe();
        assert!(
            page.contains("<summary>More time for ")
                && page.contains(&format!("placeholder=\"{}\"", &week[..10])),
            "{name}: {page}"
        );
        let fields = [
            ("submission", w.theirs.id.as_str()),
            ("person", w.reviewer.id.as_str()),
            ("role", "reviewer"),
        ];
        let (code, body, _) = w
            .app
            .call("POST", "/api/v1/assignments/add", Some(&os), &fields)
            .await;
        assert_eq!(code, 200, "{name}: {body}");
        assert_eq!(
            w.app.store().assignments().await.unwrap().len(),
            2,
            "{name}"
        );
    }
}
