//! The store's behaviour, run once on a SQLite file and once on PostgreSQL (when
//! `BLOGTRACK_TEST_POSTGRES` names a server; otherwise the PostgreSQL run says it was skipped).

use blogtrack_review::assign::Bid;
use blogtrack_review::conflict::Author;
use blogtrack_review::form::Value;
use blogtrack_review::{Relation, Role};
use blogtrack_review_store::{
    testing, Audience, NewDecision, NewMail, NewMessage, NewSubmission, Store,
};

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
async fn the_backup_carries_every_table_and_column_of_the_schema() {
    testing::on_both(
        "the_backup_carries_every_table_and_column",
        |s| async move {
            let live = s.schema().await.unwrap();
            let backed: std::collections::BTreeMap<String, Vec<String>> =
                blogtrack_review_store::TABLES
                    .iter()
                    .map(|(t, cols, _)| {
                        (
                            t.to_string(),
                            cols.iter().map(|c| c.0.to_string()).collect(),
                        )
                    })
                    .collect();
            assert!(
                live.len() >= 20,
                "the schema query found too little: {live:?}"
            );
            for (table, cols) in &live {
                let Some(b) = backed.get(table) else {
                    panic!("table {table} is not in backup.rs TABLES: review export would drop it");
                };
                let mut missing: Vec<&String> = cols.iter().filter(|c| !b.contains(c)).collect();
                missing.sort();
                assert!(
                    missing.is_empty(),
                    "{table}: columns {missing:?} are not in backup.rs TABLES"
                );
            }
            for table in backed.keys() {
                assert!(
                    live.contains_key(table),
                    "TABLES names {table}, which the schema lacks"
                );
            }
        },
    )
    .await;
}

#[tokio::test]
async fn conflicted_people_find_no_row() {
    testing::on_both("conflicted_people_find_no_row", |s| async move {
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
    testing::on_both("sign_in_links_work_once_and_expire", |s| async move {
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
    testing::on_both(
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
    testing::on_both("export_import_round_trip_is_identical", |s| async move {
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
        let sub = s
            .create_submission(
                &a.id,
                &submission("y", vec![author("A", "a@a.org", "Inst")]),
                1,
            )
            .await
            .unwrap();
        // An assignment whose holder was told of it: `announced_at` survives the round trip.
        let r = s
            .ensure_person("r@r.org", "R", "R Inst", &[Role::Reviewer], None, 0)
            .await
            .unwrap();
        assert!(s
            .assign(&sub.id, &r.id, Role::Reviewer, &a.id, 1)
            .await
            .unwrap());
        let told = s
            .announce_assignments(2, &a.id, "mail.assignments", |u| NewMail {
                to: u.email.clone(),
                subject: format!("{} assignment(s)", u.submissions.len()),
                kind: "assignment-reviewer".into(),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!((told.queued, told.assignments), (1, 1));
        assert_eq!(s.assignments().await.unwrap()[0].announced_at, Some(2));
        let mail = NewMail {
            to: "a@a.org".into(),
            subject: "Sign in".into(),
            body: "link".into(),
            kind: "sign-in".into(),
            dedup_key: Some("k1".into()),
            ..Default::default()
        };
        s.queue_mail(&mail, 2).await.unwrap();
        let first = s.export().await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let fresh = testing::sqlite(dir.path()).await.unwrap();
        fresh.import(&first).await.unwrap();
        assert_eq!(fresh.export().await.unwrap(), first);
        assert_eq!(fresh.assignments().await.unwrap()[0].announced_at, Some(2));
        assert!(
            fresh.import(&first).await.is_err(),
            "import into a non-empty database"
        );
        // A backup made before `announced_at` existed (one value fewer per assignment)
        // imports, with the column empty; a row missing a required value does not.
        let mut old = first.clone();
        for row in old.tables.get_mut("assignments").unwrap() {
            row.pop();
        }
        let dir = tempfile::tempdir().unwrap();
        let older = testing::sqlite(dir.path()).await.unwrap();
        older.import(&old).await.unwrap();
        assert_eq!(older.assignments().await.unwrap()[0].announced_at, None);
        assert_eq!(older.unannounced_assignments().await.unwrap().len(), 1);
        let mut broken = first.clone();
        for row in broken.tables.get_mut("assignments").unwrap() {
            row.truncate(3);
        }
        let dir = tempfile::tempdir().unwrap();
        let err = testing::sqlite(dir.path())
            .await
            .unwrap()
            .import(&broken)
            .await
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("assignments row 0: 3 values for 8 columns"),
            "{err}"
        );
    })
    .await;
}

/// An author, a reviewer, an area chair, an organizer and a conflicted reviewer around one
/// submission (reviewer and area chair assigned).
struct Cast {
    author: String,
    reviewer: String,
    chair: String,
    org: String,
    conflicted: String,
    sub: String,
}

async fn cast(s: &Store) -> Cast {
    let p = |email: &'static str, role: Role| {
        let s = s.clone();
        async move {
            s.ensure_person(email, email, "", &[role], None, 0)
                .await
                .unwrap()
                .id
        }
    };
    let author = p("au@a.org", Role::Author).await;
    let reviewer = p("re@r.org", Role::Reviewer).await;
    let chair = p("ch@c.org", Role::AreaChair).await;
    let org = p("or@o.org", Role::Organizer).await;
    let conflicted = p("co@x.org", Role::Reviewer).await;
    let sub = s
        .create_submission(&author, &submission("z", vec![author_of("au@a.org")]), 1)
        .await
        .unwrap()
        .id;
    assert!(s
        .assign(&sub, &reviewer, Role::Reviewer, &org, 2)
        .await
        .unwrap());
    assert!(s
        .assign(&sub, &chair, Role::AreaChair, &org, 2)
        .await
        .unwrap());
    s.declare_conflict(&conflicted, &sub, "advisor", 2)
        .await
        .unwrap();
    Cast {
        author,
        reviewer,
        chair,
        org,
        conflicted,
        sub,
    }
}

fn author_of(email: &str) -> Author {
    author("Au Thor", email, "A Univ")
}

fn decision(sub: &str, outcome: &str, award: Option<&str>) -> NewDecision {
    NewDecision {
        submission_id: sub.into(),
        outcome: outcome.into(),
        accepted: outcome == "accept",
        award: award.map(str::to_string),
        poster: outcome == "accept",
        note: String::new(),
    }
}

#[tokio::test]
async fn decisions_supersede_and_no_row_is_lost() {
    testing::on_both("decisions_supersede_and_no_row_is_lost", |s| async move {
        let c = cast(&s).await;
        assert!(s.decided_submissions().await.unwrap().is_empty());
        s.decide(&c.org, &[decision(&c.sub, "reject", None)], 10)
            .await
            .unwrap();
        let d = s
            .decide(&c.org, &[decision(&c.sub, "accept", Some("best-post"))], 11)
            .await
            .unwrap();
        assert_eq!(d.len(), 1);
        let current = s.current_decision(&c.sub).await.unwrap().unwrap();
        assert_eq!(current, d[0]);
        let history = s.decision_history(&c.sub).await.unwrap();
        assert_eq!(history.len(), 2, "the superseded decision stays");
        assert_eq!(history[0].superseded_at, Some(11));
        assert_eq!(
            history[0].superseded_by.as_deref(),
            Some(current.id.as_str())
        );
        let published = s.decided_submissions().await.unwrap();
        assert_eq!(published.len(), 1);
        let p = &published[0];
        assert_eq!(
            (
                p.slug.as_str(),
                p.outcome.as_str(),
                p.accepted,
                p.award.as_deref(),
                p.poster
            ),
            ("z", "accept", true, Some("best-post"), true)
        );
        // Withdrawn: no current decision, every row still there.
        assert!(s.withdraw_decision(&c.sub, &c.org, 12).await.unwrap());
        assert!(!s.withdraw_decision(&c.sub, &c.org, 13).await.unwrap());
        assert!(s.current_decision(&c.sub).await.unwrap().is_none());
        assert!(s.decided_submissions().await.unwrap().is_empty());
        assert_eq!(s.decision_history(&c.sub).await.unwrap().len(), 2);
        let audit = s.audit_log_of(100, Some(&c.sub)).await.unwrap();
        let actions: Vec<&str> = audit.iter().map(|e| e.action.as_str()).collect();
        assert!(
            actions.starts_with(&["decision.withdraw", "decision.set", "decision.set"]),
            "{actions:?}"
        );
        // before → after of the second decision names the first one's outcome.
        assert_eq!(audit[1].before.as_ref().unwrap()["outcome"], "reject");
        assert_eq!(audit[1].after.as_ref().unwrap()["outcome"], "accept");
    })
    .await;
}

#[tokio::test]
async fn a_bulk_decision_with_a_forged_id_writes_nothing() {
    testing::on_both(
        "a_bulk_decision_with_a_forged_id_writes_nothing",
        |s| async move {
            let c = cast(&s).await;
            let rows = [
                decision(&c.sub, "accept", None),
                decision(&"0".repeat(32), "accept", None),
            ];
            let err = s.decide(&c.org, &rows, 10).await.unwrap_err();
            assert!(err.to_string().contains("no submission"), "{err}");
            assert!(s.decision_history(&c.sub).await.unwrap().is_empty());
            assert!(s.export().await.unwrap().tables["decisions"].is_empty());
        },
    )
    .await;
}

#[tokio::test]
async fn meta_reviews_keep_versions_and_survive_withdrawal() {
    testing::on_both(
        "meta_reviews_keep_versions_and_survive_withdrawal",
        |s| async move {
            let c = cast(&s).await;
            let mut answers = blogtrack_review::form::Values::new();
            answers.insert("recommendation".into(), Value::Text("accept".into()));
            let m1 = s
                .save_meta_review(&c.chair, &c.sub, &answers, false, Some(0), 5)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(
                (m1.version, m1.state.as_str(), m1.pseudonym.as_str()),
                (1, "draft", "Area chair A")
            );
            assert!(
                s.meta_reviews_for(&c.org, &c.sub).await.unwrap().is_empty(),
                "a draft is not shown"
            );
            assert!(s
                .save_meta_review(&c.chair, &c.sub, &answers, true, Some(0), 6)
                .await
                .unwrap()
                .is_err());
            s.save_meta_review(&c.chair, &c.sub, &answers, true, Some(1), 7)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(
                s.meta_reviews_for(&c.reviewer, &c.sub).await.unwrap().len(),
                1
            );
            assert!(s
                .meta_reviews_for(&c.conflicted, &c.sub)
                .await
                .unwrap()
                .is_empty());
            assert!(s
                .withdraw_meta_review(&c.chair, &c.sub, &c.org, 8)
                .await
                .unwrap());
            assert!(s.meta_reviews_for(&c.org, &c.sub).await.unwrap().is_empty());
            let all = s.all_meta_reviews().await.unwrap();
            assert_eq!(all.len(), 1, "the withdrawn meta-review's row survives");
            assert_eq!(all[0].withdrawn_at, Some(8));
            assert_eq!(
                s.export().await.unwrap().tables["meta_review_versions"].len(),
                2
            );
        },
    )
    .await;
}

/// A message of the cast's submission from `author` in `role`, its body `from ROLE`.
fn message(
    c: &Cast,
    author: &str,
    role: &str,
    readers: &str,
    thread: Option<String>,
) -> NewMessage {
    NewMessage {
        submission_id: c.sub.clone(),
        thread_id: thread,
        author_id: author.into(),
        author_role: role.into(),
        kind: if role == "author" {
            "author-response"
        } else {
            "comment"
        }
        .into(),
        readers: readers.into(),
        body: format!("from {role}"),
    }
}

/// How many audit-log entries of the cast's submission are about a message.
async fn message_audit_entries(s: &Store, c: &Cast) -> usize {
    s.audit_log_of(100, Some(&c.sub))
        .await
        .unwrap()
        .iter()
        .filter(|e| e.object_kind == "message")
        .count()
}

#[tokio::test]
async fn discussion_readers_pseudonyms_and_the_conflict_guard() {
    testing::on_both(
        "discussion_readers_pseudonyms_and_the_conflict_guard",
        |s| async move {
            let c = cast(&s).await;
            let msg = |author: &str, role: &str, readers: &str, thread: Option<String>| {
                message(&c, author, role, readers, thread)
            };
            let first = s
                .post_message(&msg(&c.reviewer, "reviewer", "committee", None), 10)
                .await
                .unwrap();
            assert_eq!(first.thread_id, first.id);
            assert_eq!(first.pseudonym, "Reviewer A");
            let to_authors = s
                .post_message(
                    &msg(&c.chair, "area-chair", "authors", Some(first.id.clone())),
                    11,
                )
                .await
                .unwrap();
            assert_eq!(to_authors.pseudonym, "Area chair A");
            let response = s
                .post_message(&msg(&c.author, "author", "authors", None), 12)
                .await
                .unwrap();
            assert_eq!(response.pseudonym, "Authors");
            let org = s
                .post_message(&msg(&c.org, "organizer", "committee", None), 13)
                .await
                .unwrap();
            assert_eq!(org.pseudonym, "Organizers");
            let committee = s
                .messages_for(&c.reviewer, &c.sub, Audience::Committee)
                .await
                .unwrap();
            assert_eq!(committee.len(), 4);
            let authors = s
                .messages_for(&c.author, &c.sub, Audience::Authors)
                .await
                .unwrap();
            let ids: Vec<&str> = authors.iter().map(|m| m.id.as_str()).collect();
            assert_eq!(ids, [to_authors.id.as_str(), response.id.as_str()]);
            assert!(s
                .messages_for(&c.conflicted, &c.sub, Audience::Committee)
                .await
                .unwrap()
                .is_empty());
            // A thread id of nothing (or of a reply) is refused.
            let reply_to_reply = msg(&c.reviewer, "reviewer", "committee", Some(to_authors.id));
            assert!(s.post_message(&reply_to_reply, 14).await.is_err());
            assert!(s
                .post_message(&msg(&c.reviewer, "reviewer", "bcc", None), 14)
                .await
                .is_err());
            assert_eq!(
                message_audit_entries(&s, &c).await,
                4,
                "one entry per message posted, none for a refused one"
            );
        },
    )
    .await;
}

#[tokio::test]
async fn discussion_edits_keep_history_and_withdrawn_messages_keep_their_row() {
    testing::on_both(
        "discussion_edits_keep_history_and_withdrawn_messages_keep_their_row",
        |s| async move {
            let c = cast(&s).await;
            let first = s
                .post_message(&message(&c, &c.reviewer, "reviewer", "committee", None), 10)
                .await
                .unwrap();
            // Edits keep history; only the writer edits; a stale version is refused.
            assert!(s
                .edit_message(&first.id, &c.chair, "hijack", "committee", None, 15)
                .await
                .unwrap()
                .is_none());
            let edited = s
                .edit_message(&first.id, &c.reviewer, "v2", "committee", Some(1), 15)
                .await
                .unwrap()
                .unwrap()
                .unwrap();
            assert_eq!((edited.version, edited.body.as_str()), (2, "v2"));
            assert!(s
                .edit_message(&first.id, &c.reviewer, "v3", "committee", Some(1), 16)
                .await
                .unwrap()
                .unwrap()
                .is_err());
            let versions = s.message_versions(&first.id).await.unwrap();
            let bodies: Vec<&str> = versions.iter().map(|v| v.body.as_str()).collect();
            assert_eq!(bodies, ["from reviewer", "v2"]);
            assert!(s.withdraw_message(&first.id, &c.org, 17).await.unwrap());
            let after = s.message(&first.id).await.unwrap().unwrap();
            assert_eq!(
                after.withdrawn_at,
                Some(17),
                "a withdrawn message keeps its row"
            );
            assert_eq!(
                message_audit_entries(&s, &c).await,
                3,
                "the post, the edit and the withdrawal; none for a refused edit"
            );
        },
    )
    .await;
}

#[tokio::test]
async fn the_round_trip_covers_discussion_meta_reviews_and_decisions() {
    testing::on_both(
        "the_round_trip_covers_discussion_meta_reviews_and_decisions",
        |s| async move {
            let c = cast(&s).await;
            s.post_message(
                &NewMessage {
                    submission_id: c.sub.clone(),
                    thread_id: None,
                    author_id: c.chair.clone(),
                    author_role: "area-chair".into(),
                    kind: "comment".into(),
                    readers: "authors".into(),
                    body: "Ünïcode $x^2$ \"quoted\"".into(),
                },
                3,
            )
            .await
            .unwrap();
            let mut answers = blogtrack_review::form::Values::new();
            answers.insert("text".into(), Value::Text("fine".into()));
            s.save_meta_review(&c.chair, &c.sub, &answers, true, None, 4)
                .await
                .unwrap()
                .unwrap();
            s.decide(&c.org, &[decision(&c.sub, "reject", None)], 5)
                .await
                .unwrap();
            s.decide(&c.org, &[decision(&c.sub, "accept", Some("runner-up"))], 6)
                .await
                .unwrap();
            let first = s.export().await.unwrap();
            for t in [
                "discussion_messages",
                "discussion_message_versions",
                "meta_reviews",
                "meta_review_versions",
            ] {
                assert_eq!(first.tables[t].len(), 1, "{t}");
            }
            assert_eq!(first.tables["decisions"].len(), 2);
            let dir = tempfile::tempdir().unwrap();
            let fresh = testing::sqlite(dir.path()).await.unwrap();
            fresh.import(&first).await.unwrap();
            assert_eq!(fresh.export().await.unwrap(), first);
            assert_eq!(
                fresh.decided_submissions().await.unwrap(),
                s.decided_submissions().await.unwrap()
            );
        },
    )
    .await;
}

/// Many reviewers saving at once: every save succeeds and is kept. On SQLite each save is a
/// transaction that reads (the current version) before it writes; begun deferred, such a
/// transaction fails with "database is locked" when another commit lands in between, so most
/// concurrent saves failed (the load benchmark, `examples/review_load.rs`, found it).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_saves_all_succeed() {
    testing::on_both("concurrent_saves_all_succeed", |s| async move {
        const REVIEWERS: usize = 24;
        const SAVES: i64 = 8;
        let a = s
            .ensure_person("ana@uni-a.edu", "Ana", "Uni A", &[Role::Author], None, 10)
            .await
            .unwrap();
        let org = s
            .ensure_person(
                "olga@org.example",
                "Olga",
                "Org",
                &[Role::Organizer],
                None,
                10,
            )
            .await
            .unwrap();
        let sub = s
            .create_submission(
                &a.id,
                &submission("busy", vec![author("Ana", "ana@uni-a.edu", "Uni A")]),
                20,
            )
            .await
            .unwrap();
        let mut reviewers = Vec::new();
        for i in 0..REVIEWERS {
            let email = format!("r{i}@inst-{i}.example");
            let p = s
                .ensure_person(&email, "R", "Inst", &[Role::Reviewer], None, 10)
                .await
                .unwrap();
            assert!(s
                .assign(&sub.id, &p.id, Role::Reviewer, &org.id, 30)
                .await
                .unwrap());
            reviewers.push(p.id);
        }
        let tasks: Vec<_> = reviewers
            .iter()
            .map(|r| {
                let (s, r, sub) = (s.clone(), r.clone(), sub.id.clone());
                tokio::spawn(async move {
                    for v in 0..SAVES {
                        let mut answers = blogtrack_review::form::Values::new();
                        answers.insert("summary".into(), Value::Text(format!("{r} {v}")));
                        let saved = s
                            .save_review(&r, &sub, &answers, v == SAVES - 1, Some(v), 40 + v)
                            .await;
                        let row = saved.unwrap_or_else(|e| panic!("save {v} of {r}: {e}"));
                        assert_eq!(row.unwrap().version, v + 1);
                    }
                })
            })
            .collect();
        for t in tasks {
            t.await.unwrap();
        }
        for r in &reviewers {
            let review = s.own_review(r, &sub.id).await.unwrap().unwrap();
            assert_eq!(
                (review.version, review.state.as_str()),
                (SAVES, "submitted")
            );
            assert_eq!(
                review.answers.get("summary"),
                Some(&Value::Text(format!("{r} {}", SAVES - 1)))
            );
        }
    })
    .await;
}

/// Four announcements at once (four clicks, or two servers on one PostgreSQL database): each
/// assignment is marked and listed by exactly one of them, so every reviewer is told once.
#[tokio::test]
async fn concurrent_announcements_tell_each_assignment_once() {
    testing::on_both(
        "concurrent_announcements_tell_each_assignment_once",
        |s| async move {
            let org = s
                .ensure_person("o@org.org", "O", "Org", &[Role::Organizer], None, 0)
                .await
                .unwrap();
            let writer = s
                .ensure_person("w@lab.org", "W", "Lab", &[Role::Author], None, 0)
                .await
                .unwrap();
            for i in 0..12 {
                let sub = s
                    .create_submission(
                        &writer.id,
                        &submission(&format!("p{i}"), vec![author("W", "w@lab.org", "Lab")]),
                        1,
                    )
                    .await
                    .unwrap();
                let r = s
                    .ensure_person(
                        &format!("r{i}@r{i}.org"),
                        "R",
                        "Elsewhere",
                        &[Role::Reviewer],
                        None,
                        0,
                    )
                    .await
                    .unwrap();
                assert!(s
                    .assign(&sub.id, &r.id, Role::Reviewer, &org.id, 1)
                    .await
                    .unwrap());
            }
            let compose = |u: &blogtrack_review_store::Unannounced| NewMail {
                to: u.email.clone(),
                subject: u
                    .submissions
                    .iter()
                    .map(|x| x.id.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
                kind: "assignment-reviewer".into(),
                ..Default::default()
            };
            let (a, b, c, d) = tokio::join!(
                s.announce_assignments(2, &org.id, "mail.assignments", compose),
                s.announce_assignments(2, &org.id, "mail.assignments", compose),
                s.announce_assignments(2, &org.id, "mail.assignments", compose),
                s.announce_assignments(2, &org.id, "mail.assignments", compose),
            );
            let all = [a.unwrap(), b.unwrap(), c.unwrap(), d.unwrap()];
            assert_eq!(
                all.iter().map(|x| x.assignments).sum::<usize>(),
                12,
                "{all:?}"
            );
            assert_eq!(all.iter().map(|x| x.queued).sum::<usize>(), 12, "{all:?}");
            let mails = s.outbox(100).await.unwrap();
            let mut to: Vec<&str> = mails.iter().map(|m| m.to_address.as_str()).collect();
            to.sort_unstable();
            to.dedup();
            assert_eq!((mails.len(), to.len()), (12, 12), "{mails:?}");
            assert!(s.unannounced_assignments().await.unwrap().is_empty());
        },
    )
    .await;
}
