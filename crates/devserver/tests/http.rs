//! The server as a browser (or an attacker) sees it: raw HTTP/1.1 over TCP on 127.0.0.1.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use blogtrack_devserver::{serve, ErrorOverlay, ServerConfig, ServerHandle, SiteStore};

const TIMEOUT: Duration = Duration::from_secs(10);

fn start(static_root: Option<PathBuf>) -> (Arc<SiteStore>, ServerHandle) {
    let store = Arc::new(SiteStore::new());
    store.replace_all(
        [
            ("index.html", "<html><body><h1>Home</h1></body></html>"),
            (
                "blog/x/index.html",
                "<html><body><p>Post X</p></body></html>",
            ),
            ("404.html", "<html><body>custom missing page</body></html>"),
            ("assets/css/main.css", "body{}"),
            ("assets/js/a.js", "1"),
            ("feed.xml", "<feed/>"),
            ("data.json", "{}"),
            ("a.svg", "<svg/>"),
            ("a.png", "png"),
            ("a.jpg", "jpg"),
            ("a.gif", "gif"),
            ("a.webp", "webp"),
            ("a.mp4", "mp4"),
            ("a.pdf", "pdf"),
            ("a.woff2", "woff2"),
            ("favicon.ico", "ico"),
            ("robots.txt", "User-agent: *"),
            ("assets/bibliography/x.bib", "@article{x,}"),
            ("assets/x.ipynb", "{}"),
        ]
        .iter()
        .map(|(p, b)| (p.to_string(), b.as_bytes().to_vec()))
        .collect(),
    );
    let cfg = ServerConfig {
        addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        static_root,
        base_path: "/2024".into(),
    };
    let server = serve(store.clone(), cfg);
    assert!(server.is_ok(), "{:?}", server.as_ref().err());
    let server = server.unwrap_or_else(|_| unreachable!());
    (store, server)
}

struct Reply {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_string())
        })
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

fn connect(addr: SocketAddr) -> TcpStream {
    let s = TcpStream::connect(addr);
    assert!(s.is_ok(), "connect: {:?}", s.as_ref().err());
    let s = s.unwrap_or_else(|_| unreachable!());
    let _ = s.set_read_timeout(Some(TIMEOUT));
    let _ = s.set_write_timeout(Some(TIMEOUT));
    let _ = s.set_nodelay(true);
    s
}

/// Sends a whole request in one write, as browsers do.
fn send(s: &mut TcpStream, req: &str) {
    let _ = s.write_all(req.as_bytes());
}

/// Reads one response (headers, then `Content-Length` bytes) from a keep-alive connection.
fn read_reply(r: &mut BufReader<TcpStream>, head_only: bool) -> Reply {
    let mut head = String::new();
    loop {
        let mut line = String::new();
        match r.read_line(&mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        if line == "\r\n" {
            break;
        }
        head.push_str(&line);
    }
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut reply = Reply {
        status,
        head,
        body: Vec::new(),
    };
    let len: usize = reply
        .header("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    if !head_only {
        reply.body = vec![0; len];
        let _ = r.read_exact(&mut reply.body);
    }
    reply
}

fn request(addr: SocketAddr, method: &str, target: &str) -> Reply {
    let mut s = connect(addr);
    send(
        &mut s,
        &format!("{method} {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"),
    );
    read_reply(&mut BufReader::new(s), method == "HEAD")
}

fn get(addr: SocketAddr, target: &str) -> Reply {
    request(addr, "GET", target)
}

fn temp_track(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("blogtrack-http-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&d);
    let _ = fs::create_dir_all(d.join("track/assets/img"));
    let _ = fs::write(d.join("secret.txt"), "TOPSECRET");
    let _ = fs::write(d.join("track/_config.yml"), "title: TOPSECRET");
    let _ = fs::write(d.join("track/assets/img/big.png"), vec![7u8; 100_000]);
    #[cfg(unix)]
    let _ = std::os::unix::fs::symlink(d.join("secret.txt"), d.join("track/assets/link.txt"));
    d
}

#[test]
fn traversal_attempts_are_refused_and_never_read_outside() {
    let dir = temp_track("traversal");
    let (_store, server) = start(Some(dir.join("track")));
    let addr = server.local_addr();
    let attacks = [
        "/../secret.txt",
        "/2024/../secret.txt",
        "/2024/../../secret.txt",
        "/2024/assets/../../secret.txt",
        "/2024/%2e%2e/secret.txt",
        "/2024/%2E%2E/%2e%2e/secret.txt",
        "/2024/assets/%2e%2e%2f%2e%2e%2fsecret.txt",
        "/2024/..%2fsecret.txt",
        "/2024/%2fetc%2fpasswd",
        "//etc/passwd",
        "/2024//etc/passwd",
        "/etc/passwd",
        "/2024/etc/passwd",
        "/2024/..\\secret.txt",
        "/2024/%5c..%5csecret.txt",
        "/2024/assets/img/big.png%00.html",
        "/2024/_config.yml",
        "/2024/assets/link.txt",
        "/2024/%252e%252e/secret.txt",
        "http://localhost/etc/passwd",
    ];
    for target in attacks {
        let r = get(addr, target);
        assert!(
            r.status == 400 || r.status == 404,
            "{target}: status {}",
            r.status
        );
        assert!(!r.text().contains("TOPSECRET"), "{target} leaked");
        assert!(!r.text().contains("root:"), "{target} leaked");
    }
    let ok = get(addr, "/2024/assets/img/big.png");
    assert_eq!(ok.status, 200);
    assert_eq!(ok.body.len(), 100_000);
    assert_eq!(ok.header("content-type").as_deref(), Some("image/png"));
    server.shutdown();
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn content_types_and_cache_headers() {
    let (_store, server) = start(None);
    let addr = server.local_addr();
    let cases = [
        ("/2024/", "text/html; charset=utf-8"),
        ("/2024/assets/css/main.css", "text/css; charset=utf-8"),
        ("/2024/assets/js/a.js", "text/javascript; charset=utf-8"),
        ("/2024/data.json", "application/json"),
        ("/2024/feed.xml", "application/xml"),
        ("/2024/a.svg", "image/svg+xml"),
        ("/2024/a.png", "image/png"),
        ("/2024/a.jpg", "image/jpeg"),
        ("/2024/a.gif", "image/gif"),
        ("/2024/a.webp", "image/webp"),
        ("/2024/a.mp4", "video/mp4"),
        ("/2024/a.pdf", "application/pdf"),
        ("/2024/a.woff2", "font/woff2"),
        ("/2024/favicon.ico", "image/x-icon"),
        ("/2024/robots.txt", "text/plain; charset=utf-8"),
        (
            "/2024/assets/bibliography/x.bib",
            "text/x-bibtex; charset=utf-8",
        ),
        ("/2024/assets/x.ipynb", "application/x-ipynb+json"),
    ];
    for (target, ct) in cases {
        let r = get(addr, target);
        assert_eq!(r.status, 200, "{target}");
        assert_eq!(r.header("content-type").as_deref(), Some(ct), "{target}");
    }
    assert_eq!(
        get(addr, "/2024/").header("cache-control").as_deref(),
        Some("no-store")
    );
    assert_ne!(
        get(addr, "/2024/a.png").header("cache-control").as_deref(),
        Some("no-store")
    );
    let head = request(addr, "HEAD", "/2024/a.png");
    assert_eq!(
        (head.status, head.header("content-length")),
        (200, Some("3".into()))
    );
    assert_eq!(request(addr, "POST", "/2024/").status, 405);
}

#[test]
fn directories_redirect_and_missing_pages_get_404_html() {
    let (_store, server) = start(None);
    let addr = server.local_addr();
    assert_eq!(server.url(), format!("http://{addr}/2024/"));
    let r = get(addr, "/2024/blog/x");
    assert_eq!(r.status, 302);
    assert_eq!(r.header("location").as_deref(), Some("/2024/blog/x/"));
    let r = get(addr, "/2024/blog/x?a=1");
    assert_eq!(r.header("location").as_deref(), Some("/2024/blog/x/?a=1"));
    let r = get(addr, "/2024/blog/x/");
    assert_eq!(r.status, 200);
    assert!(r.text().contains("Post X"));
    for root in ["/", "/2024"] {
        let r = get(addr, root);
        assert_eq!(r.status, 302, "{root}");
        assert_eq!(r.header("location").as_deref(), Some("/2024/"));
    }
    for missing in ["/2024/nope/", "/2024/nope.png", "/2023/blog/x/"] {
        let r = get(addr, missing);
        assert_eq!(r.status, 404, "{missing}");
        assert!(r.text().contains("custom missing page"), "{missing}");
    }
}

/// Opens the event stream and returns the reader positioned after the response head.
fn open_events(addr: SocketAddr) -> (Reply, BufReader<TcpStream>) {
    let mut s = connect(addr);
    send(
        &mut s,
        "GET /__blogtrack/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n",
    );
    let mut r = BufReader::new(s);
    let head = read_reply(&mut r, true);
    (head, r)
}

/// The `data:` of the next event (comments skipped).
fn next_event(r: &mut BufReader<TcpStream>) -> Option<String> {
    let mut data = None;
    loop {
        let mut line = String::new();
        match r.read_line(&mut line) {
            Ok(0) | Err(_) => return None,
            Ok(_) => {}
        }
        let line = line.trim_end();
        if let Some(d) = line.strip_prefix("data: ") {
            data = Some(d.to_string());
        } else if line.is_empty() && data.is_some() {
            return data;
        }
    }
}

fn page_token(html: &str) -> Option<String> {
    let at = html.find("var tok=\"")? + 9;
    let end = html[at..].find('"')?;
    Some(html[at..at + end].to_string())
}

#[test]
fn update_reaches_an_event_stream_client_fast() {
    let (store, server) = start(None);
    let addr = server.local_addr();
    let (head, mut events) = open_events(addr);
    assert_eq!(head.status, 200);
    assert_eq!(
        head.header("content-type").as_deref(),
        Some("text/event-stream")
    );
    let first = next_event(&mut events);
    let page = get(addr, "/2024/").text();
    assert_eq!(first, page_token(&page), "a fresh page must not reload");

    let mut latencies = Vec::new();
    let mut last = first;
    for i in 0..20 {
        let body = format!("<html><body>v{i}</body></html>").into_bytes();
        let t = Instant::now();
        store.update(vec![("index.html".into(), body)], vec![]);
        let ev = next_event(&mut events);
        latencies.push(t.elapsed());
        assert!(ev.is_some() && ev != last, "event {i}: {ev:?}");
        last = ev;
    }
    latencies.sort();
    let median = latencies[latencies.len() / 2];
    let max = latencies[latencies.len() - 1];
    eprintln!("update() -> SSE event: median {median:?}, max {max:?}");
    assert!(median < Duration::from_millis(50), "median {median:?}");
    let page = get(addr, "/2024/").text();
    assert!(page.contains("v19"));
    assert_eq!(page_token(&page), last);

    let t = Instant::now();
    server.shutdown();
    assert!(
        t.elapsed() < Duration::from_secs(2),
        "shutdown with an open stream"
    );
}

#[test]
fn overlay_is_injected_escaped_and_cleared_by_a_fix() {
    let (store, server) = start(None);
    let addr = server.local_addr();
    let (_, mut events) = open_events(addr);
    let _ = next_event(&mut events);

    store.set_error(Some(ErrorOverlay::from_lines([
        "_posts/2024-05-07-x.md:12: unknown tag <script>alert(1)</script>",
    ])));
    assert!(
        next_event(&mut events).is_some(),
        "setting errors reloads pages"
    );
    for target in ["/2024/", "/2024/blog/x/", "/2024/missing/"] {
        let page = get(addr, target).text();
        assert!(page.contains("__blogtrack-overlay"), "{target}");
        assert!(page.contains(
            "_posts/2024-05-07-x.md:12: unknown tag &lt;script&gt;alert(1)&lt;/script&gt;"
        ));
        assert!(!page.contains("<script>alert(1)"));
        let overlay_at = page.find("__blogtrack-overlay").unwrap_or(0);
        let body_end = page.rfind("</body>").unwrap_or(0);
        assert!(overlay_at < body_end, "{target}: overlay inside body");
    }
    assert!(
        !String::from_utf8_lossy(&get(addr, "/2024/assets/css/main.css").body).contains("overlay")
    );

    store.update(
        vec![("blog/x/index.html".into(), b"<body>fixed</body>".to_vec())],
        vec![],
    );
    store.set_error(None);
    assert!(next_event(&mut events).is_some(), "the fix reloads pages");
    let page = get(addr, "/2024/blog/x/").text();
    assert!(page.contains("fixed"));
    assert!(!page.contains("__blogtrack-overlay"));
}

#[test]
fn two_hundred_concurrent_requests_all_succeed() {
    let (_store, server) = start(None);
    let addr = server.local_addr();
    let threads: Vec<_> = (0..200)
        .map(|i| {
            thread::spawn(move || {
                let target = if i % 2 == 0 {
                    "/2024/blog/x/"
                } else {
                    "/2024/a.png"
                };
                let mut s = connect(addr);
                let mut ok = 0;
                let mut r = BufReader::new(s.try_clone().ok()?);
                for _ in 0..3 {
                    s.write_all(
                        format!("GET {target} HTTP/1.1\r\nHost: localhost\r\n\r\n").as_bytes(),
                    )
                    .ok()?;
                    let reply = read_reply(&mut r, false);
                    if reply.status == 200 && !reply.body.is_empty() {
                        ok += 1;
                    }
                }
                Some(ok)
            })
        })
        .collect();
    let ok: usize = threads
        .into_iter()
        .map(|t| t.join().ok().flatten().unwrap_or(0))
        .sum();
    assert_eq!(ok, 600, "200 connections x 3 keep-alive requests");
}

#[test]
fn corpus_assets_are_served_from_static_root_with_known_types() {
    let Some(root) = blogtrack_testcorpus::track(
        "devserver::corpus_assets_are_served_from_static_root_with_known_types",
        "iclr-2024",
    ) else {
        return;
    };
    let (_store, server) = start(Some(root.clone()));
    let addr = server.local_addr();
    let mut files = Vec::new();
    let mut stack = vec![root.join("assets")];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push(p);
            }
        }
    }
    assert!(files.len() > 100);
    let mut s = connect(addr);
    let mut r = BufReader::new(s.try_clone().unwrap_or_else(|_| unreachable!()));
    let mut unknown = Vec::new();
    for f in &files {
        let rel = f
            .strip_prefix(&root)
            .unwrap_or(f)
            .to_string_lossy()
            .replace('\\', "/");
        let target: String = rel
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        send(
            &mut s,
            &format!("HEAD /2024/{target} HTTP/1.1\r\nHost: localhost\r\n\r\n"),
        );
        let reply = read_reply(&mut r, true);
        let size = fs::metadata(f).map(|m| m.len().to_string()).ok();
        assert_eq!(reply.status, 200, "{rel}");
        assert_eq!(reply.header("content-length"), size, "{rel}");
        if reply.header("content-type").as_deref() == Some("application/octet-stream") {
            unknown.push(rel);
        }
    }
    assert!(unknown.is_empty(), "no content type for {unknown:?}");
}

fn get_range(addr: SocketAddr, target: &str, range: &str) -> Reply {
    let mut s = connect(addr);
    send(
        &mut s,
        &format!("GET {target} HTTP/1.1\r\nHost: localhost\r\nRange: {range}\r\nConnection: close\r\n\r\n"),
    );
    read_reply(&mut BufReader::new(s), false)
}

#[test]
fn byte_ranges_let_videos_seek() {
    let dir = temp_track("ranges");
    let (store, server) = start(Some(dir.join("track")));
    store.update(vec![("v.mp4".into(), b"0123456789".to_vec())], vec![]);
    let addr = server.local_addr();
    let r = get_range(addr, "/2024/v.mp4", "bytes=2-5");
    assert_eq!(r.status, 206);
    assert_eq!(r.body, b"2345");
    assert_eq!(r.header("content-range").as_deref(), Some("bytes 2-5/10"));
    assert_eq!(get_range(addr, "/2024/v.mp4", "bytes=-3").body, b"789");
    assert_eq!(
        get_range(addr, "/2024/v.mp4", "bytes=0-").body,
        b"0123456789"
    );
    let r = get_range(addr, "/2024/v.mp4", "bytes=10-");
    assert_eq!(r.status, 416);
    assert_eq!(r.header("content-range").as_deref(), Some("bytes */10"));
    let r = get_range(addr, "/2024/assets/img/big.png", "bytes=99990-");
    assert_eq!((r.status, r.body.len()), (206, 10));
    assert_eq!(
        get(addr, "/2024/v.mp4").header("accept-ranges").as_deref(),
        Some("bytes")
    );
    server.shutdown();
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn an_absurd_content_length_is_refused_without_bringing_the_server_down() {
    let (_store, server) = start(None);
    let addr = server.local_addr();
    let mut s = connect(addr);
    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
    send(
        &mut s,
        "POST /2024/ HTTP/1.1\r\nHost: localhost\r\nContent-Length: 99999999999\r\n\r\nabc",
    );
    let mut line = String::new();
    let _ = BufReader::new(s).read_line(&mut line);
    assert!(line.starts_with("HTTP/1.1 413"), "{line:?}");
    assert_eq!(get(addr, "/2024/").status, 200);
}

#[test]
fn declared_static_files_are_served_from_disk_and_only_those() {
    let dir = temp_track("statics");
    let (store, server) = start(None);
    store.set_static_files(vec![(
        "assets/img/big.png".into(),
        dir.join("track/assets/img/big.png"),
    )]);
    let addr = server.local_addr();
    let r = get(addr, "/2024/assets/img/big.png");
    assert_eq!((r.status, r.body.len()), (200, 100_000));
    assert_eq!(get(addr, "/2024/assets/link.txt").status, 404);
    assert_eq!(get(addr, "/2024/_config.yml").status, 404);
    server.shutdown();
    let _ = fs::remove_dir_all(&dir);
}

/// The injected client, run by Node.js against stubbed browser APIs (skipped without `node`).
#[test]
fn live_reload_client_reloads_on_a_new_token_keeps_scroll_and_backs_off() {
    let (_store, server) = start(None);
    let page = get(server.local_addr(), "/2024/").text();
    let start_tag = "<script data-blogtrack-live>";
    let body = page
        .find(start_tag)
        .and_then(|a| {
            let rest = &page[a + start_tag.len()..];
            rest.find("</script>").map(|b| rest[..b].to_string())
        })
        .unwrap_or_default();
    assert!(!body.is_empty(), "no client in {page}");
    let script = std::env::temp_dir().join(format!("blogtrack-live-{}.js", std::process::id()));
    let _ = fs::write(&script, &body);
    let sim = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/js/live_client_sim.js");
    let out = std::process::Command::new("node")
        .arg(&sim)
        .arg(&script)
        .output();
    let _ = fs::remove_file(&script);
    let Ok(out) = out else {
        eprintln!("node not found, skipping");
        return;
    };
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let expect = r#"{"url":"/__blogtrack/events","sameTokenReloads":0,"backoff":[1000,2000,4000,8000,16000,30000,30000],"afterOpen":1000,"reloads":1,"saved":"0,640","restored":[0,640],"storageLeft":0}"#;
    assert_eq!(report.trim(), expect);
}
