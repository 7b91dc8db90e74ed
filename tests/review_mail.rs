//! The review server's mail against a real SMTP server: the real binary
//! (`blogtrack review serve --smtp …`) on a SQLite file, sending to the sink that
//! `scripts/smtp-sink` starts (aiosmtpd, one file per received message). Set
//! `BLOGTRACK_TEST_SMTP` (its URL) and `BLOGTRACK_TEST_SMTP_DIR` (its folder) to run these;
//! without them they say they were skipped, and with `BLOGTRACK_REQUIRE_SMTP=1` (CI) they
//! fail instead. Each test writes to its own recipient domain, so tests sharing the sink
//! tell their messages apart.
#![cfg(feature = "review")]

use blogtrack_review::conflict::Author;
use blogtrack_review::Role;
use blogtrack_review_store::{NewDecision, NewSubmission, Store};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

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

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

struct Server {
    child: Child,
}

impl Server {
    /// `review serve` on `db`, sending through `smtp`, up once it answers /healthz.
    fn start(track: &Path, db: &Path, smtp: &str, port: u16) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_blogtrack"))
            .args(["review", "serve"])
            .arg(track)
            .arg("--db")
            .arg(db)
            .args(["--listen", &format!("127.0.0.1:{port}")])
            .args(["--smtp", smtp, "--mail-from", "review@mail-test.example"])
            .args(["--mail-lease-secs", "3", "--mail-retry-secs", "1"])
            .env_remove("BLOGTRACK_NOW")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                eprintln!("[server {port}] {line}");
            }
        });
        let start = Instant::now();
        while http(port, "GET", "/healthz", None, "").0 != 200 {
            if let Ok(Some(status)) = child.try_wait() {
                panic!("the server exited at start: {status}");
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "the server did not come up"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Server { child }
    }

    fn kill9(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A minimal HTTP/1.1 request: (status, headers text, body). `auth`: (cookie, csrf).
fn http(
    port: u16,
    method: &str,
    path: &str,
    auth: Option<(&str, &str)>,
    json: &str,
) -> (u16, String, String) {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
        return (0, String::new(), String::new());
    };
    let mut req =
        format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n");
    if let Some((cookie, csrf)) = auth {
        req.push_str(&format!("Cookie: {cookie}\r\nX-CSRF-Token: {csrf}\r\n"));
    }
    if method == "POST" {
        req.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            json.len()
        ));
    }
    req.push_str("\r\n");
    req.push_str(json);
    if s.write_all(req.as_bytes()).is_err() {
        return (0, String::new(), String::new());
    }
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    let (head, body) = out.split_once("\r\n\r\n").unwrap_or((&out, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, head.to_string(), body.to_string())
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
/// Returns (cookie, csrf) of the new session.
fn sign_in_by_mail(port: u16, sink_dir: &Path, domain: &str, email: &str) -> (String, String) {
    let pre = "ab".repeat(32);
    let cookie = format!("bt_pre={pre}");
    let (status, _, body) = http(
        port,
        "POST",
        "/api/v1/sign-in",
        Some((&cookie, &pre)),
        &format!("{{\"email\": \"{email}\"}}"),
    );
    assert_eq!(status, 200, "{body}");
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
    let prefix = format!("http://127.0.0.1:{port}/sign-in/");
    let at = mail
        .body
        .find(&prefix)
        .unwrap_or_else(|| panic!("no sign-in link in {}: {}", mail.file, mail.body));
    let token: String = mail.body[at + prefix.len()..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit())
        .collect();
    assert_eq!(token.len(), 64, "{}", mail.body);
    let (status, head, body) = http(
        port,
        "POST",
        &format!("/api/v1/sign-in/{token}"),
        Some((&cookie, &pre)),
        "{}",
    );
    assert_eq!(
        status, 200,
        "the link from the mail does not sign in: {body}"
    );
    let session = head
        .lines()
        .find_map(|l| {
            l.strip_prefix("set-cookie: bt_session=")
                .or_else(|| l.strip_prefix("Set-Cookie: bt_session="))
        })
        .and_then(|v| v.split(';').next())
        .unwrap_or_else(|| panic!("no session cookie: {head}"))
        .to_string();
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    (
        format!("bt_session={session}"),
        v["csrf"].as_str().unwrap().to_string(),
    )
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
    let port = free_port();
    let server = Server::start(&track, &db, &smtp, port);
    let (cookie, csrf) = sign_in_by_mail(port, &dir, domain, &org);
    let (status, _, body) = http(
        port,
        "POST",
        "/api/v1/mail/reminders",
        Some((&cookie, &csrf)),
        "{}",
    );
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
    let (status, _, body) = http(
        port,
        "POST",
        "/api/v1/mail/decisions",
        Some((&cookie, &csrf)),
        "{}",
    );
    assert_eq!(status, 403, "{body}");
    assert!(body.contains("not-yet-open"), "{body}");
    drop(server);
    // The organizers move the dates on and restart: decisions are out since yesterday.
    write_track(&track, -40, -20, -1);
    let port = free_port();
    let server = Server::start(&track, &db, &smtp, port);
    let (status, _, body) = http(
        port,
        "POST",
        "/api/v1/mail/decisions",
        Some((&cookie, &csrf)),
        "{}",
    );
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
    let port = free_port();
    let server = Server::start(&track, &db, &smtp, port);
    let (cookie, csrf) = sign_in_by_mail(port, &dir, domain, &org);
    let (status, _, body) = http(
        port,
        "POST",
        "/api/v1/mail/reminders",
        Some((&cookie, &csrf)),
        "{}",
    );
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
    server.kill9();
    let at_kill = reminders(&received(&dir, domain));
    assert!(
        at_kill < N,
        "all {N} reminders were out before the kill: the test did not kill a sending server"
    );
    eprintln!("killed with {at_kill} of {N} reminders delivered");
    // Restarted on the same file, it sends the rest once the dead sender's lease has run out.
    let server = Server::start(&track, &db, &smtp, free_port());
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
