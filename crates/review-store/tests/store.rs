//! The store's behaviour, run once on a SQLite file and once on PostgreSQL (when
//! `BLOGTRACK_TEST_POSTGRES` names a server; otherwise the PostgreSQL run says it was skipped).

use blogtrack_review::assign::Bid;
use blogtrack_review::conflict::Author;
use blogtrack_review::form::Value;
use blogtrack_review::{Relation, Role};
use blogtrack_review_store::{testing, NewSubmission, Store};
use std::future::Future;

async fn on_both<F, Fut>(test: &str, body: F)
where
    F: Fn(Store) -> Fut,
    Fut: Future<Output = ()>,
{
    let dir = tempfile::tempdir().unwrap();
    body(testing::sqlite(dir.path()).await.unwrap()).await;
    match testing::postgres().await.unwrap() {
        Some(store) => body(store).await,
        None => eprintln!(
            "{test}: PostgreSQL run skipped ({} is not set)",
            testing::POSTGRES_VAR
        ),
    }
}

fn author(name: &str, email: &str, inst: &str) -> Author {
    Author {
        name: name.into(),
        email: email.into(),
        institution: inst.into(),
    }
}

fn submission(slug: &str, authors: Vec<Author>) -> NewSubmission {
    NewSubmission {
        title: format!("On {slug}"),
        abstract_text: "An abstract.".into(),
        slug: slug.into(),
        authors,
        conflict_declaration: String::new(),
        extra: Default::default(),
    }
}

#[tokio::test]
async fn conflicted_people_find_no_row() {
    on_both("conflicted_people_find_no_row", |s| async move {
        let author_p = s
            .ensure_person("ana@uni-a.edu", "Ana", "Uni A", &[Role::Author], None, 10)
            .await
            .unwrap();
        let colleague = s
            .ensure_person(
                "bo@cs.uni-a.edu",
                "Bo",
                "Elsewhere",
                &[Role::Reviewer],
                None,
                10,
            )
            .await
            .unwrap();
        let outsider = s
            .ensure_person("cy@uni-c.org", "Cy", "Uni C", &[Role::Reviewer], None, 10)
            .await
            .unwrap();
        let sub = s
            .create_submission(
                &author_p.id,
                &submission("diffusion", vec![author("Ana", "ana@uni-a.edu", "Uni A")]),
                20,
            )
            .await
            .unwrap();
        // Same organisation domain (uni-a.edu): derived conflict, enforced by the query.
        assert!(s
            .submission_for(&colleague.id, &sub.id)
            .await
            .unwrap()
            .is_none());
        assert!(s.submissions_for(&colleague.id).await.unwrap().is_empty());
        assert_eq!(
            s.relation(&colleague.id, &colleague.email, &sub.id)
                .await
                .unwrap(),
            Relation::Conflicted
        );
        // The author still loads their own submission.
        assert!(s
            .submission_for(&author_p.id, &sub.id)
            .await
            .unwrap()
            .is_some());
        assert_eq!(
            s.relation(&author_p.id, &author_p.email, &sub.id)
                .await
                .unwrap(),
            Relation::Author
        );
        // A declared conflict hides it too.
        assert!(s
            .submission_for(&outsider.id, &sub.id)
            .await
            .unwrap()
            .is_some());
        s.declare_conflict(&outsider.id, &sub.id, "former student", 30)
            .await
            .unwrap();
        assert!(s
            .submission_for(&outsider.id, &sub.id)
            .await
            .unwrap()
            .is_none());
        // A person joining later is checked against existing submissions.
        let late = s
            .ensure_person("dee@uni-a.edu", "Dee", "", &[Role::Reviewer], None, 40)
            .await
            .unwrap();
        assert!(s.submission_for(&late.id, &sub.id).await.unwrap().is_none());
    })
    .await;
}

#[tokio::test]
async fn sign_in_links_work_once_and_expire() {
    on_both("sign_in_links_work_once_and_expire", |s| async move {
        let p = s
            .ensure_person("x@y.org", "X", "", &[], None, 0)
            .await
            .unwrap();
        s.create_sign_in_link("h1", &p.id, 100, 60).await.unwrap();
        s.create_sign_in_link("h2", &p.id, 100, 60).await.unwrap();
        assert_eq!(
            s.use_sign_in_link("h1", 120).await.unwrap(),
            Some(p.id.clone())
        );
        assert_eq!(
            s.use_sign_in_link("h1", 121).await.unwrap(),
            None,
            "replayed"
        );
        assert_eq!(
            s.use_sign_in_link("h2", 160).await.unwrap(),
            None,
            "expired"
        );
        assert_eq!(s.use_sign_in_link("nope", 120).await.unwrap(), None);
        s.create_session("sess", &p.id, "csrf", 100, 50)
            .await
            .unwrap();
        assert!(s.session("sess", 149).await.unwrap().is_some());
        assert!(s.session("sess", 150).await.unwrap().is_none());
        assert_eq!(s.count_sign_in_request("k", 1, 0).await.unwrap(), 1);
        assert_eq!(s.count_sign_in_request("k", 2, 0).await.unwrap(), 2);
        assert_eq!(s.count_sign_in_request("k", 3, 2).await.unwrap(), 1);
    })
    .await;
}

#[tokio::test]
async fn reviews_keep_versions_and_refuse_stale_saves() {
    on_both(
        "reviews_keep_versions_and_refuse_stale_saves",
        |s| async move {
            let a = s
                .ensure_person("a@a.org", "A", "", &[Role::Author], None, 0)
                .await
                .unwrap();
            let r = s
                .ensure_person("r@r.org", "R", "", &[Role::Reviewer], None, 0)
                .await
                .unwrap();
            let org = s
                .ensure_person("o@o.org", "O", "", &[Role::Organizer], None, 0)
                .await
                .unwrap();
            let sub = s
                .create_submission(&a.id, &submission("x", vec![author("A", "a@a.org", "")]), 1)
                .await
                .unwrap();
            assert!(s
                .assign(&sub.id, &r.id, Role::Reviewer, &org.id, 2)
                .await
                .unwrap());
            // One role per submission: the reviewer cannot also be its area chair.
            assert!(!s
                .assign(&sub.id, &r.id, Role::AreaChair, &org.id, 2)
                .await
                .unwrap());
            let mut answers = blogtrack_review::form::Values::new();
            answers.insert("summary".into(), Value::Text("draft".into()));
            let v1 = s
                .save_review(&r.id, &sub.id, &answers, false, Some(0), 3)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(
                (v1.version, v1.state.as_str(), v1.pseudonym.as_str()),
                (1, "draft", "Reviewer A")
            );
            assert!(s
                .save_review(&r.id, &sub.id, &answers, false, Some(0), 4)
                .await
                .unwrap()
                .is_err());
            let v2 = s
                .save_review(&r.id, &sub.id, &answers, true, Some(1), 5)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(
                (v2.version, v2.state.as_str(), v2.submitted_at),
                (2, "submitted", Some(5))
            );
            assert_eq!(
                s.submitted_reviews_for(&org.id, &sub.id)
                    .await
                    .unwrap()
                    .len(),
                1
            );
            let backup = s.export().await.unwrap();
            assert_eq!(backup.tables["review_versions"].len(), 2);
            s.unassign(&sub.id, &r.id, &org.id, 6).await.unwrap();
            assert!(s.assignments().await.unwrap().is_empty());
            s.set_bid(&r.id, &sub.id, Bid::Eager, 7).await.unwrap();
            s.set_bid(&r.id, &sub.id, Bid::Willing, 8).await.unwrap();
            assert_eq!(
                s.bids().await.unwrap(),
                vec![(r.id.clone(), sub.id.clone(), Bid::Willing)]
            );
        },
    )
    .await;
}

#[tokio::test]
async fn export_import_round_trip_is_identical() {
    on_both("export_import_round_trip_is_identical", |s| async move {
        let a = s
            .ensure_person(
                "a@a.org",
                "A \"quoted\" <b>",
                "Inst",
                &[Role::Author, Role::Reviewer],
                None,
                0,
            )
            .await
            .unwrap();
        s.create_submission(
            &a.id,
            &submission("y", vec![author("A", "a@a.org", "Inst")]),
            1,
        )
        .await
        .unwrap();
        s.queue_mail("a@a.org", "Sign in", "link", 2).await.unwrap();
        let first = s.export().await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let fresh = testing::sqlite(dir.path()).await.unwrap();
        fresh.import(&first).await.unwrap();
        assert_eq!(fresh.export().await.unwrap(), first);
        assert!(
            fresh.import(&first).await.is_err(),
            "import into a non-empty database"
        );
    })
    .await;
}
