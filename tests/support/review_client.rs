//! What the review's process-level tests and the load benchmark share: a small blocking
//! HTTP/1.1 client (keep-alive, `Content-Length` or chunked bodies), the real sign-in flow
//! (the link's page sets the pre-session cookie, `POST /api/v1/sign-in/{token}` trades link and
//! token for a session), a reviewer's save through `POST /api/v1/submissions/{id}/review`, a
//! seeded track (people, submissions and assignments made through the store, sign-in links
//! made the way `review serve --organizer` makes them) and the track's `_config.yml`.
//!
//! A hand-written client rather than an HTTP crate: each request is timed on its own
//! connection with nothing in between (no pool, no retries that would resend a POST), and the
//! root crate gets no new dependency. Included with `#[path]` by `tests/review_durability.rs`,
//! `tests/review_cli.rs` and `examples/review_load.rs`; each uses a part of it.
#![allow(dead_code)]

use blogtrack_review::conflict::Author;
use blogtrack_review::Role;
use blogtrack_review_server::secret;
use blogtrack_review_store::{NewSubmission, Store, StoreError};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Upper bound on one socket read or write.
pub const IO_TIMEOUT: Duration = Duration::from_secs(30);

/// One answer.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// From the first byte written to the last byte read.
    pub elapsed: Duration,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The value a `Set-Cookie` of this answer gives `name`.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
            .filter_map(|(_, v)| v.split(';').next()?.trim().split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> Result<serde_json::Value, String> {
        serde_json::from_slice(&self.body)
            .map_err(|e| format!("HTTP {}: not JSON ({e}): {}", self.status, self.text()))
    }

    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// One keep-alive connection to the server; reconnects after an answer that closed it, never
/// resends a request.
pub struct Conn {
    addr: String,
    stream: Option<BufReader<TcpStream>>,
}

impl Conn {
    pub fn new(addr: &str) -> Conn {
        Conn {
            addr: addr.to_string(),
            stream: None,
        }
    }

    fn stream(&mut self) -> io::Result<&mut BufReader<TcpStream>> {
        if self.stream.is_none() {
            let s = TcpStream::connect(&self.addr)?;
            s.set_read_timeout(Some(IO_TIMEOUT))?;
            s.set_write_timeout(Some(IO_TIMEOUT))?;
            s.set_nodelay(true)?;
            self.stream = Some(BufReader::new(s));
        }
        self.stream
            .as_mut()
            .ok_or_else(|| io::Error::other("no connection"))
    }

    /// Sends one request (`body`: content type and bytes) and reads the whole answer.
    pub fn send(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<(&str, &[u8])>,
    ) -> io::Result<Reply> {
        let mut head = format!("{method} {path} HTTP/1.1\r\nHost: localhost\r\n");
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        if let Some((ct, b)) = body {
            head.push_str(&format!(
                "Content-Type: {ct}\r\nContent-Length: {}\r\n",
                b.len()
            ));
        }
        head.push_str("\r\n");
        let start = Instant::now();
        let result = self.exchange(head.as_bytes(), body.map(|(_, b)| b), start);
        if result.is_err() {
            self.stream = None;
        }
        result
    }

    fn exchange(&mut self, head: &[u8], body: Option<&[u8]>, start: Instant) -> io::Result<Reply> {
        let r = self.stream()?;
        r.get_mut().write_all(head)?;
        if let Some(b) = body {
            r.get_mut().write_all(b)?;
        }
        let (status, headers) = read_head(r)?;
        let get = |name: &str| {
            headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.to_ascii_lowercase())
        };
        let close = get("connection").is_some_and(|v| v.contains("close"));
        let body = if get("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
            read_chunked(r)?
        } else if let Some(n) = get("content-length") {
            let n: usize = n
                .trim()
                .parse()
                .map_err(|_| io::Error::other("bad Content-Length"))?;
            let mut b = vec![0; n];
            r.read_exact(&mut b)?;
            b
        } else {
            let mut b = Vec::new();
            r.read_to_end(&mut b)?;
            self.stream = None;
            b
        };
        if close {
            self.stream = None;
        }
        Ok(Reply {
            status,
            headers,
            body,
            elapsed: start.elapsed(),
        })
    }
}

fn read_line(r: &mut impl BufRead) -> io::Result<String> {
    let mut line = String::new();
    if r.read_line(&mut line)? == 0 {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "the server closed the connection",
        ));
    }
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

fn read_head(r: &mut impl BufRead) -> io::Result<(u16, Vec<(String, String)>)> {
    let status_line = read_line(r)?;
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| io::Error::other(format!("bad status line `{status_line}`")))?;
    let mut headers = Vec::new();
    loop {
        let line = read_line(r)?;
        if line.is_empty() {
            return Ok((status, headers));
        }
        if let Some((k, v)) = line.split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
}

fn read_chunked(r: &mut impl BufRead) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let size_line = read_line(r)?;
        let size = usize::from_str_radix(size_line.split(';').next().unwrap_or("").trim(), 16)
            .map_err(|_| io::Error::other(format!("bad chunk size `{size_line}`")))?;
        if size == 0 {
            while !read_line(r)?.is_empty() {}
            return Ok(out);
        }
        let start = out.len();
        out.resize(start + size, 0);
        r.read_exact(&mut out[start..])?;
        read_line(r)?;
    }
}

/// A signed-in browser: its session cookie and CSRF token.
#[derive(Debug, Clone)]
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

/// The sign-in flow of a link: its page (which sets the pre-session cookie), then the
/// confirmation. Returns the session and both answers (for their timings).
pub fn sign_in(conn: &mut Conn, token: &str) -> Result<(Session, [Reply; 2]), String> {
    let page = conn
        .send("GET", &format!("/sign-in/{token}"), &[], None)
        .map_err(|e| format!("sign-in page: {e}"))?;
    let pre = page
        .cookie("bt_pre")
        .ok_or_else(|| format!("sign-in page (HTTP {}) set no bt_pre cookie", page.status))?;
    let cookie = format!("bt_pre={pre}");
    let used = conn
        .send(
            "POST",
            &format!("/api/v1/sign-in/{token}"),
            &[("Cookie", &cookie), ("X-CSRF-Token", &pre)],
            None,
        )
        .map_err(|e| format!("sign-in: {e}"))?;
    if !used.ok() {
        return Err(format!("sign-in: HTTP {}: {}", used.status, used.text()));
    }
    let session = used
        .cookie("bt_session")
        .ok_or_else(|| "sign-in set no bt_session cookie".to_string())?;
    let csrf = used.json()?["csrf"]
        .as_str()
        .ok_or_else(|| "sign-in answered no csrf".to_string())?
        .to_string();
    let s = Session {
        cookie: format!("bt_session={session}"),
        csrf,
    };
    Ok((s, [page, used]))
}

impl Session {
    pub fn get(&self, conn: &mut Conn, path: &str) -> io::Result<Reply> {
        conn.send("GET", path, &[("Cookie", &self.cookie)], None)
    }

    pub fn post_json(
        &self,
        conn: &mut Conn,
        path: &str,
        body: &serde_json::Value,
    ) -> io::Result<Reply> {
        let b = body.to_string();
        conn.send(
            "POST",
            path,
            &[("Cookie", &self.cookie), ("X-CSRF-Token", &self.csrf)],
            Some(("application/json", b.as_bytes())),
        )
    }
}

/// The answers of the default review form (`blogtrack_review::form::default_review_form`):
/// `summary` carries `text`, the one value the checks compare.
pub fn review_body(text: &str, action: &str, version: i64) -> serde_json::Value {
    serde_json::json!({
        "action": action,
        "version": version,
        "summary": text,
        "strengths": "Clear figures; the derivation of $\\nabla_\\theta \\log p$ is easy to follow.",
        "weaknesses": "Section 3 is dense.",
        "score": 3,
    })
}

/// One seeded reviewer: who, which submission they review, their one-time sign-in token.
#[derive(Debug, Clone)]
pub struct Seat {
    pub person: String,
    pub submission: String,
    pub token: String,
}

/// Seeds `reviewers` reviewers through the store, `per_submission` on each submission (one
/// author, one organizer who assigns), each with a sign-in link valid for `ttl` seconds.
pub async fn seed(
    store: &Store,
    reviewers: usize,
    per_submission: usize,
    now: i64,
    ttl: i64,
) -> Result<Vec<Seat>, StoreError> {
    let org = store
        .ensure_person(
            "org@organizers.example",
            "Olga Organizer",
            "Committee",
            &[Role::Organizer],
            None,
            now,
        )
        .await?;
    let author = store
        .ensure_person(
            "ada@authors.example",
            "Ada Author",
            "Author Lab",
            &[Role::Author],
            None,
            now,
        )
        .await?;
    let mut subs = Vec::new();
    for n in 0..reviewers.div_ceil(per_submission) {
        let new = NewSubmission {
            title: format!("Load post {n}"),
            abstract_text: format!("Abstract of load post {n}."),
            slug: format!("load-post-{n}"),
            authors: vec![Author {
                name: author.name.clone(),
                email: author.email.clone(),
                institution: author.institution.clone(),
            }],
            conflict_declaration: String::new(),
            extra: Default::default(),
        };
        subs.push(store.create_submission(&author.id, &new, now).await?);
    }
    let mut seats = Vec::new();
    for i in 0..reviewers {
        let p = store
            .ensure_person(
                &format!("reviewer{i}@reviewers-{i}.example"),
                &format!("Reviewer {i}"),
                &format!("Institute {i}"),
                &[Role::Reviewer],
                None,
                now,
            )
            .await?;
        let sub = &subs[i / per_submission];
        store
            .assign(&sub.id, &p.id, Role::Reviewer, &org.id, now)
            .await?;
        let token = secret::token();
        store
            .create_sign_in_link(&secret::hash(&token), &p.id, now, ttl)
            .await?;
        seats.push(Seat {
            person: p.id,
            submission: sub.id.clone(),
            token,
        });
    }
    Ok(seats)
}

/// `YYYY-MM-DDTHH:MM:SSZ` of a Unix time (the zone form `blogtrack.dates` accepts).
pub fn utc(unix: i64) -> String {
    let (days, secs) = (unix.div_euclid(86_400), unix.rem_euclid(86_400));
    let (y, m, d) = blogtrack_calendar::civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// Writes a track whose review phase runs from a day before `now` until `reviews_deadline`
/// (Unix seconds), with the default review form and two reviews per submission.
pub fn write_track(dir: &Path, now: i64, reviews_deadline: i64) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    std::fs::write(
        dir.join("_config.yml"),
        format!(
            "title: Review load track\nblogtrack:\n  dates:\n    submission_deadline: {}\n    reviews_deadline: {}\n    decisions: {}\nreview:\n  reviews_per_submission: 2\n  reviewer_load: 4\n",
            utc(now - 86_400),
            utc(reviews_deadline),
            utc(reviews_deadline + 30 * 86_400),
        ),
    )
}

/// The system clock in Unix seconds.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// A running `review serve`: its process and the address it listens on. Dropping it kills the
/// process.
pub struct Server {
    pub child: Child,
    pub addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `BIN review serve ARGS --listen 127.0.0.1:0` and waits until it says where it
/// listens. Its other start-up lines are echoed to stderr; afterwards its stderr is drained so
/// that it never blocks on a full pipe.
pub fn start_server(bin: &str, args: &[&str]) -> Result<Server, String> {
    let mut child = Command::new(bin)
        .args(["review", "serve"])
        .args(args)
        .args(["--listen", "127.0.0.1:0"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {bin}: {e}"))?;
    let stderr = child.stderr.take().ok_or("no stderr")?;
    let mut lines = BufReader::new(stderr).lines();
    let addr = loop {
        match lines.next() {
            Some(Ok(line)) => {
                if let Some(rest) = line.strip_prefix("review server on http://") {
                    break rest.split_whitespace().next().unwrap_or("").to_string();
                }
                eprintln!("server: {line}");
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return Err("the server exited before listening".into());
            }
        }
    };
    std::thread::spawn(move || for _ in lines {});
    Ok(Server { child, addr })
}
