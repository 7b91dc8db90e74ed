//! The mail queue: claim with a lease, lease expiry after a crashed sender, retry, give-up,
//! expiry, idempotent (dedup) and gathered (merge) messages. Run on a SQLite file and on
//! PostgreSQL when `BLOGTRACK_TEST_POSTGRES` names a server.

use blogtrack_review_store::{testing, NewMail, Store};

fn mail(to: &str) -> NewMail {
    NewMail {
        to: to.into(),
        subject: format!("For {to}"),
        body: "Hello.".into(),
        kind: "reminder".into(),
        ..Default::default()
    }
}

async fn state_of(s: &Store, id: &str) -> blogtrack_review_store::Mail {
    s.outbox(1000)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.id == id)
        .unwrap()
}

#[tokio::test]
async fn claim_holds_a_message_until_its_lease_ends() {
    testing::on_both(
        "claim_holds_a_message_until_its_lease_ends",
        |s| async move {
            let id = s.queue_mail(&mail("a@x.org"), 100).await.unwrap().unwrap();
            assert_eq!(state_of(&s, &id).await.state, "queued");
            assert_eq!(s.next_mail_at().await.unwrap(), Some(100));
            let c = s.claim_mail(100, 60).await.unwrap().unwrap();
            assert_eq!((c.id.as_str(), c.attempts), (id.as_str(), 1));
            assert_eq!(c.to_address, "a@x.org");
            // Held: nobody else gets it, and the timer wakes at the end of the lease.
            assert!(s.claim_mail(120, 60).await.unwrap().is_none());
            assert_eq!(state_of(&s, &id).await.state, "sending");
            assert_eq!(s.next_mail_at().await.unwrap(), Some(160));
            // The sender died: after the lease another sender takes it, and the first one's
            // late report is refused.
            let again = s.claim_mail(160, 60).await.unwrap().unwrap();
            assert_eq!((again.id.as_str(), again.attempts), (id.as_str(), 2));
            assert!(!s.mail_sent(&c, 161).await.unwrap(), "a lost claim");
            assert!(s.mail_sent(&again, 162).await.unwrap());
            let m = state_of(&s, &id).await;
            assert_eq!((m.state, m.sent_at, m.attempts), ("sent", Some(162), 2));
            assert!(s.claim_mail(10_000, 60).await.unwrap().is_none());
            assert_eq!(s.next_mail_at().await.unwrap(), None);
        },
    )
    .await;
}

#[tokio::test]
async fn a_failed_attempt_is_retried_then_given_up_with_its_error() {
    testing::on_both(
        "a_failed_attempt_is_retried_then_given_up",
        |s| async move {
            let id = s.queue_mail(&mail("b@x.org"), 0).await.unwrap().unwrap();
            let c = s.claim_mail(10, 60).await.unwrap().unwrap();
            assert!(s
                .mail_failed(&c, 11, "connection refused", Some(71))
                .await
                .unwrap());
            let m = state_of(&s, &id).await;
            assert_eq!(m.state, "queued");
            assert_eq!(m.last_error.as_deref(), Some("connection refused"));
            assert_eq!(m.next_attempt_at, 71);
            assert!(s.claim_mail(70, 60).await.unwrap().is_none(), "not due yet");
            let c = s.claim_mail(71, 60).await.unwrap().unwrap();
            assert_eq!(c.attempts, 2);
            assert!(s
                .mail_failed(&c, 72, "550 mailbox unavailable", None)
                .await
                .unwrap());
            let m = state_of(&s, &id).await;
            assert_eq!((m.state, m.failed_at), ("failed", Some(72)));
            assert_eq!(m.last_error.as_deref(), Some("550 mailbox unavailable"));
            assert!(s.claim_mail(1_000_000, 60).await.unwrap().is_none());
        },
    )
    .await;
}

#[tokio::test]
async fn senders_never_share_a_message_and_order_is_oldest_due_first() {
    testing::on_both("senders_never_share_a_message", |s| async move {
        for (i, to) in ["1@x.org", "2@x.org", "3@x.org"].iter().enumerate() {
            s.queue_mail(&mail(to), i as i64).await.unwrap().unwrap();
        }
        let (a, b, c, d) = tokio::join!(
            s.claim_mail(10, 60),
            s.claim_mail(10, 60),
            s.claim_mail(10, 60),
            s.claim_mail(10, 60)
        );
        let mut got: Vec<String> = [a, b, c, d]
            .into_iter()
            .filter_map(|r| r.unwrap())
            .map(|c| c.to_address)
            .collect();
        got.sort();
        assert_eq!(got, ["1@x.org", "2@x.org", "3@x.org"]);
    })
    .await;
}

#[tokio::test]
async fn dedup_keys_queue_once_and_merge_keys_gather_changes() {
    testing::on_both("dedup_and_merge", |s| async move {
        let once = NewMail {
            dedup_key: Some("decision:s1:d1:p1".into()),
            ..mail("c@x.org")
        };
        assert!(s.queue_mail(&once, 0).await.unwrap().is_some());
        assert!(s.queue_mail(&once, 5).await.unwrap().is_none());
        assert_eq!(
            s.queue_mails(&[once.clone(), mail("d@x.org")], 6)
                .await
                .unwrap(),
            1
        );
        let gathered = |body: &str, at: i64| NewMail {
            body: body.into(),
            merge_key: Some("assignment:p9".into()),
            not_before: at + 300,
            ..mail("e@x.org")
        };
        let first = s
            .queue_mail(&gathered("one", 10), 10)
            .await
            .unwrap()
            .unwrap();
        let second = s
            .queue_mail(&gathered("two", 20), 20)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(first, second, "rewritten while waiting");
        let m = state_of(&s, &first).await;
        assert_eq!((m.body.as_str(), m.next_attempt_at), ("two", 320));
        // Once claimed, a new change queues a new message (the claimed one may be on its way).
        let mut claimed = None;
        while let Some(c) = s.claim_mail(400, 60).await.unwrap() {
            if c.id == first {
                claimed = Some(c);
            }
        }
        assert!(claimed.is_some());
        let third = s
            .queue_mail(&gathered("three", 401), 401)
            .await
            .unwrap()
            .unwrap();
        assert_ne!(third, first);
        let rows = s.outbox(100).await.unwrap();
        assert_eq!(rows.iter().filter(|m| m.to_address == "e@x.org").count(), 2);
        assert_eq!(rows.iter().filter(|m| m.to_address == "c@x.org").count(), 1);
    })
    .await;
}

#[tokio::test]
async fn an_expired_message_is_given_up_unsent() {
    testing::on_both("an_expired_message_is_given_up_unsent", |s| async move {
        let link = NewMail {
            expires_at: Some(1800),
            ..mail("f@x.org")
        };
        let id = s.queue_mail(&link, 0).await.unwrap().unwrap();
        assert!(s.claim_mail(1800, 60).await.unwrap().is_none());
        let m = state_of(&s, &id).await;
        assert_eq!((m.state, m.attempts), ("failed", 0));
        assert_eq!(
            m.last_error.as_deref(),
            Some("expired before it could be sent")
        );
    })
    .await;
}
