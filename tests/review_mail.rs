//! The review server's mail against a real SMTP server: the real binary
//! (`blogtrack review serve --smtp …`) on a SQLite file, sending to the sink that
//! `scripts/smtp-sink` starts (aiosmtpd, one file per received message). Set
//! `BLOGTRACK_TEST_SMTP` (its URL) and `BLOGTRACK_TEST_SMTP_DIR` (its folder) to run these;
//! without them they say they were skipped, and with `BLOGTRACK_REQUIRE_SMTP=1` (CI) they
//! fail instead. Each test writes to its own recipient domain, so tests sharing the sink
//! tell their messages apart. The server is started, and spoken to, the way every
//! process-level review test does it (`tests/support/review_client.rs`).
#![cfg(feature = "review")]

use blogtrack_review::conflict::Author;
use blogtrack_review::Role;
use blogtrack_review_store::{NewDecision, NewSubmission, Store};
use review_client::{sign_in, start_server, Conn, Server, Session};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[path = "support/review_client.rs"]
mod review_client;

/// The sink's URL and folder, or `None` (skipped, or a failure when required).
fn sink(test: &str) -> Option<(String, PathBuf)> {
    match (
        std::env::var("BLOGTRACK_TEST_SMTP"),
        std::env::var("BLOGTRACK_TEST_SMTP_DIR"),
    ) {
        (Ok(url), Ok(dir)) if !url.is_empty() && !dir.is_empty() => Some((url, dir.into())),
        _ => {
            let why = "BLOGTRACK_TEST_SMTP and BLOGTRACK_TEST_SMTP_DIR are not set (scripts/smtp-sink starts a sink; see the README)";
            assert!(
                std::env::var("BLOGTRACK_REQUIRE_SMTP").as_deref() != Ok("1"),
                "{test}: {why}, and BLOGTRACK_REQUIRE_SMTP=1 requires them"
            );
            eprintln!("{test}: skipped: {why}");
            None
        }
    }
}

/// One message the sink received: envelope recipients, headers (names lowercased, unfolded)
/// and the decoded body.
#[derive(Debug, Clone)]
struct Received {
    file: String,
    rcpt: Vec<String>,
    headers: HashMap<String, String>,
    body: String,
}

fn decode_qp(text: &str) -> String {
    let mut out = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'=' && b.get(i + 1) == Some(&b'\r') && b.get(i + 2) == Some(&b'\n') {
            i += 3;
        } else if b[i] == b'=' && b.get(i + 1) == Some(&b'\n') {
            i += 2;
        } else if b[i] == b'=' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("");
            match u8::from_str_radix(hex, 16) {
                Ok(v) => out.push(v),
                Err(_) => out.extend_from_slice(&b[i..i + 3]),
            }
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).replace("\r\n", "\n")
}

fn parse(file: &Path) -> Received {
    let raw = std::fs::read_to_string(file).unwrap();
    let (head, body) = raw
        .split_once("\r\n\r\n")
        .or_else(|| raw.split_once("\n\n"))
        .unwrap_or((&raw, ""));
    let mut headers: HashMap<String, String> = HashMap::new();
    let mut rcpt = Vec::new();
    let mut last: Option<String> = None;
    for line in head.lines() {
        if line.starts_with(' ') || line.starts_with('\t') {
            if let Some(k) = &last {
                let v = headers.get_mut(k).unwrap();
                v.push(' ');
                v.push_str(line.trim());
            }
            continue;
        }
        let Some((k, v)) = line.split_once(':') else {
            continue;
        };
        let k = k.trim().to_lowercase();
        if k == "x-sink-rcpt-to" {
            rcpt.push(v.trim().to_lowercase());
        }
        headers.insert(k.clone(), v.trim().to_string());
        last = Some(k);
    }
    let body = match headers
        .get("content-transfer-encoding")
        .map(|s| s.to_lowercase())
        .as_deref()
    {
        Some("quoted-printable") => decode_qp(body),
        None | Some("7bit") | Some("8bit") => body.replace("\r\n", "\n"),
        Some(other) => panic!("{}: cannot decode a {other} body", file.display()),
    };
    Received {
        file: file.display().to_string(),
        rcpt,
        headers,
        body,
    }
}

/// Every message in the sink addressed to `domain`.
fn received(dir: &Path, domain: &str) -> Vec<Received> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|f| parse(f))
        .filter(|m| m.rcpt.iter().any(|r| r.ends_with(&format!("@{domain}"))))
        .collect()
}

/// Waits until `done` holds of the sink's messages for `domain`, or fails after `secs`.
fn wait_for(dir: &Path, domain: &str, secs: u64, done: impl Fn(&[Received]) -> bool) {
    let start = Instant::now();
    loop {
        let got = received(dir, domain);
        if done(&got) {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(secs),
            "the sink has {} message(s) for {domain} after {secs} s",
            got.len()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A recipient domain of this test and run alone (the sink keeps earlier runs' messages).
fn unique(test: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!("{test}-{}-{nanos}.mail-test.example", std::process::id())
}

/// The date `days` from now as a track date (`2026-01-30`, the end of that day AoE).
fn day(days: i64) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    blogtrack_dates::DateTime::aoe(now + days * 86_400).written()[..10].to_string()
}

/// A track whose submission, reviews and decisions dates are these many days from today.
fn write_track(root: &Path, submission: i64, reviews: i64, decisions: i64) {
    std::fs::create_dir_all(root).unwrap();
    let config = format!(
        "title: Mail test track\nblogtrack:\n  dates:\n    submission_deadline: {}\n    reviews_deadline: {}\n    decisions: {}\n",
        day(submission),
        day(reviews),
        day(decisions)
    );
    std::fs::write(root.join("_config.yml"), config).unwrap();
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// `review serve` on `db` (port picked by the system), sending through `smtp`; up once it
/// says where it listens.
fn serve(track: &Path, db: &Path, smtp: &str) -> Server {
    let (track, db) = (track.to_string_lossy(), db.to_string_lossy());
    start_server(
        env!("CARGO_BIN_EXE_blogtrack"),
        &[
            &track,
            "--db",
            &db,
            "--smtp",
            smtp,
            "--mail-from",
            "review@mail-test.example",
            "--mail-lease-secs",
            "3",
            "--mail-retry-secs",
            "1",
        ],
    )
    .unwrap()
}

/// Kills the server as a crash would (SIGKILL), and reaps it.
fn kill9(mut server: Server) {
    server.child.kill().unwrap();
    server.child.wait().unwrap();
}

/// `POST path` with an empty JSON object as `session`, on a new connection: (status, body).
fn post(server: &Server, session: &Session, path: &str) -> (u16, String) {
    let reply = session
        .post_json(&mut Conn::new(&server.addr), path, &serde_json::json!({}))
        .unwrap();
    (reply.status, reply.text())
}

/// Seeds `db`: an organizer, `reviewers` reviewers at `domain` each owing the review of one
/// submission, all by one author at `author_domain` (another organisation: a shared one would
/// be a conflict); a decision (accept, best post) on
/// the first. Returns the organizer's address.
fn seed(db: &Path, domain: &str, author_domain: &str, reviewers: usize) -> String {
    rt().block_on(async {
        let store = Store::open(&db.to_string_lossy()).await.unwrap();
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64
            - 10 * 86_400;
        let org_email = format!("olga@{domain}");
        let org = store
            .ensure_person(
                &org_email,
                "Olga Organizer",
                "Org",
                &[Role::Organizer],
                None,
                t,
            )
            .await
            .unwrap();
        let author = store
            .ensure_person(
                &format!("ada.author@{author_domain}"),
                "Ada Secretauthor",
                "Lab A",
                &[Role::Author],
                None,
                t,
            )
            .await
            .unwrap();
        for i in 0..reviewers {
            let new = NewSubmission {
                title: format!("Post number {i}"),
                abstract_text: "What it explains.".into(),
                slug: format!("post-{i}"),
                authors: vec![Author {
                    name: author.name.clone(),
                    email: author.email.clone(),
                    institution: "Lab A".into(),
                }],
                conflict_declaration: String::new(),
                extra: Default::default(),
            };
            let sub = store.create_submission(&author.id, &new, t).await.unwrap();
            let r = store
                .ensure_person(
                    &format!("reviewer{i}@{domain}"),
                    &format!("Reviewer {i}"),
                    &format!("Inst {i}"),
                    &[Role::Reviewer],
                    None,
                    t,
                )
                .await
                .unwrap();
            assert!(store
                .assign(&sub.id, &r.id, Role::Reviewer, &org.id, t)
                .await
                .unwrap());
            if i == 0 {
                store
                    .decide(
                        &org.id,
                        &[NewDecision {
                            submission_id: sub.id.clone(),
                            outcome: "accept".into(),
                            accepted: true,
                            award: Some("best-post".into()),
                            poster: true,
                            note: String::new(),
                        }],
                        t,
                    )
                    .await
                    .unwrap();
            }
        }
        store.close().await;
        org_email
    })
}

/// Signs `email` in through the mail: asks for a link, reads it from the sink, uses it.
fn sign_in_by_mail(server: &Server, sink_dir: &Path, domain: &str, email: &str) -> Session {
    let pre = "ab".repeat(32);
    let cookie = format!("bt_pre={pre}");
    let mut conn = Conn::new(&server.addr);
    let asked = conn
        .send(
            "POST",
            "/api/v1/sign-in",
            &[("Cookie", &cookie), ("X-CSRF-Token", &pre)],
            Some((
                "application/json",
                format!("{{\"email\": \"{email}\"}}").as_bytes(),
            )),
        )
        .unwrap();
    assert_eq!(asked.status, 200, "{}", asked.text());
    wait_for(sink_dir, domain, 30, |m| {
        m.iter().any(|m| m.rcpt.contains(&email.to_string()))
    });
    let mail = received(sink_dir, domain)
        .into_iter()
        .rfind(|m| m.rcpt.contains(&email.to_string()))
        .unwrap();
    assert_eq!(
        mail.headers["subject"], "Your sign-in link for Mail test track",
        "{}",
        mail.file
    );
    assert!(
        mail.headers["from"].contains("review@mail-test.example"),
        "{:?}",
        mail.headers
    );
    let prefix = format!("http://{}/sign-in/", server.addr);
    let at = mail
        .body
        .find(&prefix)
        .unwrap_or_else(|| panic!("no sign-in link in {}: {}", mail.file, mail.body));
    let token: String = mail.body[at + prefix.len()..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit())
        .collect();
    assert_eq!(token.len(), 64, "{}", mail.body);
    sign_in(&mut conn, &token)
        .unwrap_or_else(|e| panic!("the link from the mail does not sign in: {e}"))
        .0
}

#[test]
fn sign_in_reminder_and_decision_mails_arrive_at_the_sink() {
    let Some((smtp, dir)) = sink("sign_in_reminder_and_decision_mails_arrive_at_the_sink") else {
        return;
    };
    let domain = &unique("flow");
    let tmp = tempfile::tempdir().unwrap();
    let track = tmp.path().join("track");
    let db = tmp.path().join("review.sqlite");
    // Reviewing: the submission deadline passed, the reviews are due in a month.
    write_track(&track, -5, 30, 60);
    let authors = domain.replace("mail-test.example", "authors-lab.org");
    let org = seed(&db, domain, &authors, 2);
    let server = serve(&track, &db, &smtp);
    let session = sign_in_by_mail(&server, &dir, domain, &org);
    let (status, body) = post(&server, &session, "/api/v1/mail/reminders");
    assert_eq!(status, 200, "{body}");
    wait_for(&dir, domain, 30, |m| {
        m.iter()
            .filter(|m| m.headers["subject"].contains("review(s) missing"))
            .count()
            == 2
    });
    let reminder = received(&dir, domain)
        .into_iter()
        .find(|m| m.rcpt == [format!("reviewer1@{domain}")])
        .unwrap();
    assert_eq!(
        reminder.headers["subject"],
        "Mail test track: 1 review(s) missing"
    );
    assert!(
        reminder.body.contains("Dear Reviewer 1") && reminder.body.contains("- #2 Post number 1"),
        "{}",
        reminder.body
    );
    assert!(
        reminder.body.contains(&format!("{} 23:59 AoE", day(30))),
        "{}",
        reminder.body
    );
    assert!(
        !reminder.body.contains("Ada") && !reminder.body.contains("authors-lab"),
        "a reminder names the author: {}",
        reminder.body
    );
    // Before the notification date, decisions cannot be mailed.
    let (status, body) = post(&server, &session, "/api/v1/mail/decisions");
    assert_eq!(status, 403, "{body}");
    assert!(body.contains("not-yet-open"), "{body}");
    drop(server);
    // The organizers move the dates on and restart: decisions are out since yesterday.
    write_track(&track, -40, -20, -1);
    let server = serve(&track, &db, &smtp);
    let (status, body) = post(&server, &session, "/api/v1/mail/decisions");
    assert_eq!(status, 200, "{body}");
    let author = format!("ada.author@{authors}");
    wait_for(&dir, &authors, 30, |m| !m.is_empty());
    let got = received(&dir, &authors);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].rcpt, [author]);
    assert_eq!(
        got[0].headers["subject"],
        "Mail test track: your submission \"Post number 0\" is accepted"
    );
    assert!(
        got[0].body.contains("Dear Ada Secretauthor")
            && got[0].body.contains("Best post")
            && got[0].body.contains("poster session"),
        "{}",
        got[0].body
    );
    drop(server);
}

/// Adds an area chair at `domain` to every submission of `db`: (their address, the
/// submissions' ids by number).
fn add_area_chair(db: &Path, domain: &str) -> (String, Vec<String>) {
    rt().block_on(async {
        let store = Store::open(&db.to_string_lossy()).await.unwrap();
        let email = format!("chair@{domain}");
        let chair = store
            .ensure_person(
                &email,
                "Carla Chair",
                "AC Inst",
                &[Role::AreaChair],
                None,
                0,
            )
            .await
            .unwrap();
        let org = store.people().await.unwrap();
        let org = org.iter().find(|p| p.roles.has(Role::Organizer)).unwrap();
        let mut subs = store.all_submissions().await.unwrap();
        subs.sort_by_key(|s| s.number);
        for s in &subs {
            assert!(store
                .assign(&s.id, &chair.id, Role::AreaChair, &org.id, 0)
                .await
                .unwrap());
        }
        store.close().await;
        (email, subs.into_iter().map(|s| s.id).collect())
    })
}

#[test]
fn assignment_mails_arrive_with_each_persons_own_list() {
    let Some((smtp, dir)) = sink("assignment_mails_arrive_with_each_persons_own_list") else {
        return;
    };
    let domain = &unique("assign");
    let tmp = tempfile::tempdir().unwrap();
    let track = tmp.path().join("track");
    let db = tmp.path().join("review.sqlite");
    write_track(&track, -5, 30, 60);
    let authors = domain.replace("mail-test.example", "authors-lab.org");
    // Reviewer i reviews post i (#i+1); Carla chairs both.
    let org = seed(&db, domain, &authors, 2);
    let (chair, subs) = add_area_chair(&db, domain);
    let server = serve(&track, &db, &smtp);
    let session = sign_in_by_mail(&server, &dir, domain, &org);
    let (status, body) = post(&server, &session, "/api/v1/mail/assignments");
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        (v["queued"].as_u64(), v["assignments"].as_u64()),
        (Some(3), Some(4)),
        "{body}"
    );
    let assignment = |m: &Received| m.headers["subject"].contains("assignments");
    wait_for(&dir, domain, 30, |m| {
        m.iter().filter(|m| assignment(m)).count() == 3
    });
    let got: Vec<Received> = received(&dir, domain)
        .into_iter()
        .filter(assignment)
        .collect();
    let to = |who: &str| {
        let mine: Vec<&Received> = got.iter().filter(|m| m.rcpt == [who.to_string()]).collect();
        assert_eq!(mine.len(), 1, "{who}: {got:?}");
        mine[0].clone()
    };
    let link = |i: usize| format!("http://{}/submissions/{}", server.addr, subs[i]);
    let r1 = to(&format!("reviewer1@{domain}"));
    assert_eq!(
        r1.headers["subject"],
        "Mail test track: your review assignments"
    );
    assert!(
        r1.body.contains("Dear Reviewer 1")
            && r1.body.contains("- #2 Post number 1")
            && r1.body.contains(&link(1))
            && !r1.body.contains("Post number 0")
            && r1
                .body
                .contains(&format!("Reviews are due {} 23:59 AoE", day(30))),
        "{}",
        r1.body
    );
    let c = to(&chair);
    assert_eq!(
        c.headers["subject"],
        "Mail test track: your area-chair assignments"
    );
    assert!(
        c.body.contains("area chair of 2 submission(s)")
            && c.body.contains("- #1 Post number 0")
            && c.body.contains("- #2 Post number 1")
            && c.body.contains(&link(0)),
        "{}",
        c.body
    );
    for m in &got {
        assert!(
            !m.body.contains("Ada") && !m.body.contains("authors-lab"),
            "an assignment mail names the author: {}",
            m.body
        );
    }
    // A second click tells nobody again.
    let (status, body) = post(&server, &session, "/api/v1/mail/assignments");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!((status, v["queued"].as_u64()), (200, Some(0)), "{body}");
    assert!(received(&dir, &authors).is_empty());
    drop(server);
}

#[test]
fn a_kill_9_while_sending_loses_no_message() {
    let Some((smtp, dir)) = sink("a_kill_9_while_sending_loses_no_message") else {
        return;
    };
    const N: usize = 120;
    let domain = &unique("restart");
    let tmp = tempfile::tempdir().unwrap();
    let track = tmp.path().join("track");
    let db = tmp.path().join("review.sqlite");
    write_track(&track, -5, 30, 60);
    let org = seed(
        &db,
        domain,
        &domain.replace("mail-test.example", "authors-lab.org"),
        N,
    );
    let server = serve(&track, &db, &smtp);
    let session = sign_in_by_mail(&server, &dir, domain, &org);
    let (status, body) = post(&server, &session, "/api/v1/mail/reminders");
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["queued"].as_u64(), Some(N as u64), "{body}");
    let reminders = |m: &[Received]| {
        m.iter()
            .filter(|m| m.rcpt.iter().any(|r| r.starts_with("reviewer")))
            .count()
    };
    // Kill the server while it is delivering: some reminders are out, most are not.
    wait_for(&dir, domain, 30, |m| reminders(m) >= 10);
    kill9(server);
    let at_kill = reminders(&received(&dir, domain));
    assert!(
        at_kill < N,
        "all {N} reminders were out before the kill: the test did not kill a sending server"
    );
    eprintln!("killed with {at_kill} of {N} reminders delivered");
    // Restarted on the same file, it sends the rest once the dead sender's lease has run out.
    let server = serve(&track, &db, &smtp);
    wait_for(&dir, domain, 90, |m| {
        let mut to: Vec<&String> = m
            .iter()
            .flat_map(|m| &m.rcpt)
            .filter(|r| r.starts_with("reviewer"))
            .collect();
        to.sort();
        to.dedup();
        to.len() == N
    });
    // A moment more for a late duplicate to show.
    std::thread::sleep(Duration::from_secs(4));
    drop(server);
    let got: Vec<Received> = received(&dir, domain)
        .into_iter()
        .filter(|m| m.rcpt.iter().any(|r| r.starts_with("reviewer")))
        .collect();
    let mut by_id: HashMap<String, Vec<&Received>> = HashMap::new();
    for m in &got {
        let id = m
            .headers
            .get("message-id")
            .cloned()
            .unwrap_or_else(|| panic!("{} has no Message-ID", m.file));
        by_id.entry(id).or_default().push(m);
    }
    assert_eq!(
        by_id.len(),
        N,
        "{} distinct messages for {N} queued",
        by_id.len()
    );
    let mut recipients: Vec<&String> = got.iter().flat_map(|m| &m.rcpt).collect();
    recipients.sort();
    recipients.dedup();
    assert_eq!(recipients.len(), N, "every reviewer got a reminder");
    // The one at-least-once window (killed after the relay accepted, before `sent_at` was
    // committed) can repeat the message in flight: at most one per kill, and the copy carries
    // the same Message-ID and recipient. Anything more is a bug.
    let twice: Vec<_> = by_id.iter().filter(|(_, v)| v.len() > 1).collect();
    eprintln!(
        "duplicates after one kill -9: {} ({:?})",
        twice.len(),
        twice
            .iter()
            .map(|(id, v)| (id, v.len()))
            .collect::<Vec<_>>()
    );
    assert!(
        twice.len() <= 1 && twice.iter().all(|(_, v)| v.len() == 2),
        "more duplicates than the window allows: {twice:?}"
    );
    for (_, copies) in twice {
        assert_eq!(copies[0].rcpt, copies[1].rcpt);
        assert_eq!(copies[0].body, copies[1].body);
    }
}
