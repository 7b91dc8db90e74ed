//! The dev server under stress (issue 7), through the real binary on loopback.
//!
//! Each test copies the small good track of the bad-input suite (`tests/fixtures/hostile/_base`,
//! served under its `baseurl` `/2099`) to a temporary folder, starts `blogtrack serve SRC
//! --port 0` (any free port; the URL is read from the first line of stdout) and talks raw
//! HTTP/1.1 to it with `std::net::TcpStream`, so every byte of a hostile request target reaches
//! the server exactly as written (an HTTP client library would normalise `..` and `%2e`).
//!
//! What is asserted:
//! - path traversal, encoded or not, absolute-form targets, NUL and overlong UTF-8 are refused
//!   with a 4xx and never return a file from outside the built site (a secret planted next to
//!   the track, the track's own sources, `/etc/passwd`);
//! - a concurrent load (32 connections × 200 keep-alive requests) is served with zero errors,
//!   every response equal to the one fetched before the load;
//! - a storm of edits (hundreds of rapid saves, a delete and re-create, a broken edit then a
//!   fix) leaves the server up and, once the files settle, serving the last content.
//!
//! Everything is bounded (socket timeouts, a 10 s poll for the settled page) and nothing
//! asserts on time: throughput is printed (`cargo test --test serve_stress -- --nocapture`) for
//! the notes, not checked. The library-level versions of these checks live in
//! `crates/devserver` (routing, store, watcher); this file covers the assembled binary.

use blogtrack_testcorpus::copy_tree;
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_blogtrack");
/// Upper bound on any single socket read or write.
const IO_TIMEOUT: Duration = Duration::from_secs(10);

/// A running `blogtrack serve` on a copy of the base track; killed when dropped.
struct Server {
    child: Child,
    /// `127.0.0.1:PORT`
    addr: String,
    tmp: tempfile::TempDir,
}

impl Server {
    fn start() -> Server {
        let tmp = tempfile::tempdir().unwrap();
        let src = tmp.path().join("src");
        copy_tree(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile/_base"),
            &src,
        );
        // Next to the track, never part of the site: no request may ever return it.
        fs::write(tmp.path().join("secret.txt"), SECRET).unwrap();
        let log = fs::File::create(tmp.path().join("serve.log")).unwrap();
        let mut child = Command::new(BIN)
            .arg("serve")
            .arg(&src)
            .args(["--port", "0"])
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .unwrap();
        // The first stdout line is `serving http://127.0.0.1:PORT/2099/  (Ctrl-C to stop)`.
        // Read it on a thread (which then keeps draining stdout) so a server that never
        // prints it fails the test instead of hanging it.
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            if let Some(Ok(first)) = lines.next() {
                let _ = tx.send(first);
            }
            for _ in lines {}
        });
        let first = rx.recv_timeout(Duration::from_secs(60));
        let mut server = Server {
            child,
            addr: String::new(),
            tmp,
        };
        let first = first.unwrap_or_else(|_| panic!("no `serving` line; log:\n{}", server.log()));
        let url = first
            .strip_prefix("serving http://")
            .unwrap_or_else(|| panic!("unexpected first line {first:?}"));
        server.addr = url.split('/').next().unwrap().to_string();
        assert!(
            server.addr.starts_with("127.0.0.1:"),
            "serve must bind to loopback by default, got {first:?}"
        );
        server
    }

    fn src(&self) -> PathBuf {
        self.tmp.path().join("src")
    }

    fn log(&self) -> String {
        fs::read_to_string(self.tmp.path().join("serve.log")).unwrap_or_default()
    }

    fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    fn connect(&self) -> Conn {
        Conn::open(&self.addr)
    }

    /// One request on a fresh connection.
    fn get(&self, target: &str) -> Response {
        self.connect()
            .request(target)
            .unwrap_or_else(|e| panic!("GET {target}: {e}"))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const SECRET: &str = "TOP-SECRET-NEXT-TO-THE-TRACK";

#[derive(Debug, Clone, PartialEq, Eq)]
struct Response {
    status: u16,
    body: Vec<u8>,
}

impl Response {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// A minimal HTTP/1.1 keep-alive client: enough for `Content-Length` and chunked bodies.
struct Conn {
    reader: BufReader<TcpStream>,
}

impl Conn {
    fn open(addr: &str) -> Conn {
        let stream = TcpStream::connect(addr).unwrap_or_else(|e| panic!("connect {addr}: {e}"));
        stream.set_read_timeout(Some(IO_TIMEOUT)).unwrap();
        stream.set_write_timeout(Some(IO_TIMEOUT)).unwrap();
        Conn {
            reader: BufReader::new(stream),
        }
    }

    /// Sends `GET target` as written (no normalisation) and reads the whole response.
    fn request(&mut self, target: &str) -> std::io::Result<Response> {
        self.request_raw(
            format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").as_bytes(),
            false,
        )
    }

    fn request_raw(&mut self, raw: &[u8], head: bool) -> std::io::Result<Response> {
        let bad = |m: String| std::io::Error::new(std::io::ErrorKind::InvalidData, m);
        self.reader.get_mut().write_all(raw)?;
        let mut status_line = String::new();
        if self.reader.read_line(&mut status_line)? == 0 {
            return Err(bad("connection closed before a response".into()));
        }
        let status: u16 = status_line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| bad(format!("bad status line {status_line:?}")))?;
        let mut length = None;
        let mut chunked = false;
        loop {
            let mut h = String::new();
            if self.reader.read_line(&mut h)? == 0 {
                return Err(bad("connection closed in the headers".into()));
            }
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            let (name, value) = h.split_once(':').unwrap_or((h, ""));
            let value = value.trim();
            if name.eq_ignore_ascii_case("content-length") {
                length = value.parse::<usize>().ok();
            } else if name.eq_ignore_ascii_case("transfer-encoding") {
                chunked = value.eq_ignore_ascii_case("chunked");
            }
        }
        let mut body = Vec::new();
        if head {
        } else if chunked {
            loop {
                let mut size = String::new();
                self.reader.read_line(&mut size)?;
                let n = usize::from_str_radix(size.trim().split(';').next().unwrap_or(""), 16)
                    .map_err(|_| bad(format!("bad chunk size {size:?}")))?;
                let mut chunk = vec![0; n + 2];
                self.reader.read_exact(&mut chunk)?;
                if n == 0 {
                    break;
                }
                body.extend_from_slice(&chunk[..n]);
            }
        } else if let Some(n) = length {
            body.resize(n, 0);
            self.reader.read_exact(&mut body)?;
        } else {
            self.reader.read_to_end(&mut body)?;
        }
        Ok(Response { status, body })
    }
}

// ---------------------------------------------------------------- path traversal

/// Request targets that try to leave the site. Each must get a 4xx (or, for bytes the HTTP
/// parser itself rejects, no response at all) and never the content of a file outside the
/// built site.
const TRAVERSALS: &[&str] = &[
    "/../secret.txt",
    "/2099/../secret.txt",
    "/2099/../../secret.txt",
    "/2099/blog/../../../secret.txt",
    "/2099/assets/img/2024-01-01-good/../../../../secret.txt",
    "/%2e%2e/secret.txt",
    "/2099/%2e%2e/%2e%2e/secret.txt",
    "/2099/%2E%2E%2F%2E%2E%2Fsecret.txt",
    "/2099/..%2f..%2fsecret.txt",
    "/2099/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/2099/..%5c..%5csecret.txt",
    "/2099/..\\..\\secret.txt",
    "/2099/.%2e/.%2e/secret.txt",
    "//etc/passwd",
    "/2099//etc/passwd",
    "/2099/%2fetc%2fpasswd",
    "/etc/passwd",
    "http://x/../../etc/passwd",
    "http://127.0.0.1/2099/../../../etc/passwd",
    "/2099/%00",
    "/2099/index.html%00.png",
    "/2099/..%00/secret.txt",
    "/2099/%c0%ae%c0%ae/%c0%ae%c0%ae/secret.txt",
    "/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
    "/2099/%e0%80%ae%e0%80%ae/secret.txt",
    "/2099/%2",
    "/2099/%zz/",
    "/2099/_config.yml",
    "/2099/_posts/2024-01-01-good.md",
    "/2099/../src/_config.yml",
    "/2099/./blog/good/",
    "/2099/serve.log",
];

#[test]
fn path_traversal_never_leaves_the_site() {
    let mut server = Server::start();
    let passwd = fs::read_to_string("/etc/passwd").unwrap_or_default();
    let config = fs::read_to_string(server.src().join("_config.yml")).unwrap();
    let post_source = fs::read_to_string(server.src().join("_posts/2024-01-01-good.md")).unwrap();
    for target in TRAVERSALS {
        let mut conn = server.connect();
        let resp = conn.request(target);
        let Ok(resp) = resp else {
            // The HTTP parser closed the connection without answering: refused as well.
            continue;
        };
        assert!(
            (400..500).contains(&resp.status),
            "{target}: status {} (expected a refusal), body:\n{}",
            resp.status,
            resp.text()
        );
        let body = resp.text();
        assert!(!body.contains(SECRET), "{target} returned the secret");
        assert!(
            passwd.is_empty() || !body.contains(passwd.lines().next().unwrap_or("root:")),
            "{target} returned /etc/passwd"
        );
        assert!(
            !body.contains(config.trim()),
            "{target} returned _config.yml"
        );
        assert!(
            !body.contains("layout: distill"),
            "{target} returned a post's source ({} bytes)",
            post_source.len()
        );
    }
    // Raw bytes no client library would send: a non-UTF-8 target and a NUL in the request line.
    for raw in [
        &b"GET /2099/\xff\xfe/../../secret.txt HTTP/1.1\r\nHost: x\r\n\r\n"[..],
        &b"GET /2099/\x00/../secret.txt HTTP/1.1\r\nHost: x\r\n\r\n"[..],
        &b"GET ../../secret.txt HTTP/1.1\r\nHost: x\r\n\r\n"[..],
        &b"GET * HTTP/1.1\r\nHost: x\r\n\r\n"[..],
    ] {
        if let Ok(resp) = server.connect().request_raw(raw, false) {
            assert!(
                (400..500).contains(&resp.status),
                "{:?}: status {}",
                String::from_utf8_lossy(raw),
                resp.status
            );
            assert!(!resp.text().contains(SECRET));
        }
    }
    // The server is still up and serves the site.
    assert!(server.is_running(), "server died; log:\n{}", server.log());
    let page = server.get("/2099/blog/good/");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("A good post"));
}

// ---------------------------------------------------------------- concurrent load

#[test]
fn concurrent_load_is_served_without_errors() {
    const THREADS: usize = 32;
    const REQUESTS: usize = 200;
    let mut server = Server::start();
    let targets = [
        "/2099/",
        "/2099/blog/good/",
        "/2099/about/",
        "/2099/assets/img/2024-01-01-good/dot.png",
        "/2099/no-such-page/",
        "/2099/../secret.txt",
    ];
    // The reference answers, fetched before the load.
    let expected: Vec<Response> = targets.iter().map(|t| server.get(t)).collect();
    assert_eq!(
        expected.iter().map(|r| r.status).collect::<Vec<_>>(),
        [200, 200, 200, 200, 404, 400]
    );
    let started = Instant::now();
    let errors: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..THREADS)
            .map(|t| {
                let (server, targets, expected) = (&server, &targets, &expected);
                s.spawn(move || {
                    let mut errors = Vec::new();
                    let mut conn = server.connect();
                    for i in 0..REQUESTS {
                        let k = (t + i) % targets.len();
                        match conn.request(targets[k]) {
                            Ok(r) if r == expected[k] => {}
                            Ok(r) => errors.push(format!(
                                "{}: status {} and {} bytes, expected {} and {}",
                                targets[k],
                                r.status,
                                r.body.len(),
                                expected[k].status,
                                expected[k].body.len()
                            )),
                            Err(e) => {
                                errors.push(format!("{}: {e}", targets[k]));
                                // The server may close a connection after an error: reconnect.
                                conn = server.connect();
                            }
                        }
                    }
                    errors
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    let elapsed = started.elapsed();
    let total = THREADS * REQUESTS;
    eprintln!(
        "load: {total} requests on {THREADS} keep-alive connections in {:.2} s ({:.0} requests/s), {} errors",
        elapsed.as_secs_f64(),
        total as f64 / elapsed.as_secs_f64(),
        errors.len()
    );
    assert!(
        errors.is_empty(),
        "{} of {total} requests failed, first: {:?}",
        errors.len(),
        &errors[..errors.len().min(5)]
    );
    assert!(server.is_running());
    // Many short connections too (open, one request, close), as a browser reloading would.
    let short = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8)
            .map(|_| {
                let server = &server;
                s.spawn(move || {
                    (0..50)
                        .filter(|_| {
                            Conn::open(&server.addr)
                                .request_raw(
                                    b"GET /2099/blog/good/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                                    false,
                                )
                                .map_or(true, |r| r.status != 200)
                        })
                        .count()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap())
            .sum::<usize>()
    });
    assert_eq!(short, 0, "short-lived connections failed");
}

// ---------------------------------------------------------------- storm of edits

const POST: &str = "_posts/2024-01-01-good.md";

fn post_text(marker: &str) -> String {
    format!(
        "---\nlayout: distill\ntitle: A good post\ndescription: storm\ndate: 2024-01-01\n---\n\nMarker {marker} and $x^2$.\n"
    )
}

/// Polls `target` until its body contains `needle` (at most 10 s); returns the last body.
fn wait_for(server: &Server, target: &str, needle: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let body = server
            .connect()
            .request(target)
            .map(|r| r.text())
            .unwrap_or_default();
        if body.contains(needle) || Instant::now() > deadline {
            return body;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_storm_of_edits_settles_on_the_last_content() {
    let mut server = Server::start();
    let post = server.src().join(POST);
    let page = "/2099/blog/good/";
    // Hundreds of rapid saves, with readers hitting the page meanwhile.
    let reader = {
        let addr = server.addr.clone();
        std::thread::spawn(move || {
            let mut failures = 0;
            for _ in 0..100 {
                let ok = Conn::open(&addr)
                    .request("/2099/blog/good/")
                    .is_ok_and(|r| r.status == 200 || r.status == 404);
                failures += usize::from(!ok);
                std::thread::sleep(Duration::from_millis(5));
            }
            failures
        })
    };
    for i in 0..300 {
        fs::write(&post, post_text(&format!("storm-{i}"))).unwrap();
    }
    assert_eq!(reader.join().unwrap(), 0, "reads failed during the storm");
    let body = wait_for(&server, page, "Marker storm-299");
    assert!(
        body.contains("Marker storm-299"),
        "after 300 saves the page is stale:\n{body}\nlog:\n{}",
        server.log()
    );

    // Delete: the page goes away. Re-create: it comes back with the new text.
    fs::remove_file(&post).unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while server.get(page).status != 404 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(server.get(page).status, 404, "deleted post still served");
    fs::write(&post, post_text("recreated")).unwrap();
    assert!(wait_for(&server, page, "Marker recreated").contains("Marker recreated"));

    // A broken edit (front matter never closed): the last good page stays, with an error overlay;
    // the fix then replaces it.
    fs::write(
        &post,
        "---\nlayout: distill\ntitle: [unclosed\n\nMarker broken\n",
    )
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while !server.log().contains("error[") && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        server.log().contains("_posts/2024-01-01-good.md"),
        "the broken edit was not reported; log:\n{}",
        server.log()
    );
    assert!(server.is_running(), "server died on a broken edit");
    fs::write(&post, post_text("fixed")).unwrap();
    // Interleave a burst of other saves and a new file while it settles.
    for i in 0..50 {
        fs::write(
            server.src().join("_pages/about.md"),
            format!("---\nlayout: page\ntitle: About\npermalink: /about/\n---\nAbout {i}.\n"),
        )
        .unwrap();
    }
    let body = wait_for(&server, page, "Marker fixed");
    assert!(
        body.contains("Marker fixed"),
        "stale after the fix:\n{body}"
    );
    assert!(wait_for(&server, "/2099/about/", "About 49.").contains("About 49."));
    assert!(server.is_running());
    assert!(
        !server.log().contains("panicked"),
        "the server panicked; log:\n{}",
        server.log()
    );
}
