//! The HTTP side: serving the store, the static fallback and the live-reload event stream.
//!
//! Built on `tiny_http` (synchronous, a handful of small dependencies): a dev server on
//! loopback needs keep-alive and a few hundred concurrent requests, not an async runtime that
//! would dominate the binary's compile time. `tiny_http` reads requests on one thread per
//! connection; a fixed pool of workers answers them. Each live-reload stream gets its own thread
//! (they block on the store's condition variable, and are capped in number) so open tabs never
//! starve the workers.
//!
//! Only three sources are served: files in the [`SiteStore`], the disk files the driver declared
//! by site path ([`SiteStore::set_static_files`]), and, when configured, regular files under
//! `static_root` after canonicalisation (so a symlink cannot lead out), skipping the `_`/`.`
//! names Jekyll never publishes. Targets are checked by [`crate::route`] first.
//! HTML gets the live-reload client and, when set, the error overlay.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use socket2::{Domain, Protocol, Socket, Type};
use tiny_http::{Header, Method, Request, Response, ResponseBox};

use crate::content_type::{content_type_for, is_html};
use crate::inject::{inject, snippet};
use crate::range::{parse_range, Want};
use crate::route::{base_segments, encode_path, encode_query, parse_target, route, Route};
use crate::store::{SiteFile, SiteStore};

const WORKERS: usize = 8;
const MAX_EVENT_STREAMS: usize = 64;
const KEEPALIVE: Duration = Duration::from_secs(15);
const MAX_BODY: usize = 1 << 20;

/// Where and how to serve.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Listening address; loopback by default.
    pub addr: SocketAddr,
    /// Fallback for files not in the store (large assets): served from this folder without
    /// loading them in memory.
    pub static_root: Option<PathBuf>,
    /// The site's `baseurl` (`/2024`); `/` redirects there. Empty or `/` for none.
    pub base_path: String,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            addr: SocketAddr::from(([127, 0, 0, 1], 4000)),
            static_root: None,
            base_path: String::new(),
        }
    }
}

struct Shared {
    store: Arc<SiteStore>,
    static_root: Option<PathBuf>,
    base: Vec<String>,
    base_prefix: String,
    instance: String,
    shutdown: AtomicBool,
    streams: AtomicUsize,
}

impl Shared {
    fn token(&self, generation: u64) -> String {
        format!("{}-{generation}", self.instance)
    }
}

/// A running server. Dropping it shuts it down too.
pub struct ServerHandle {
    shared: Arc<Shared>,
    server: Arc<tiny_http::Server>,
    workers: Vec<JoinHandle<()>>,
    addr: SocketAddr,
}

impl ServerHandle {
    /// The bound address (useful with port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The address of the site for humans: `http://127.0.0.1:4000/2024/`.
    pub fn url(&self) -> String {
        format!("http://{}{}/", self.addr, self.shared.base_prefix)
    }

    /// Stops accepting, ends the event streams and waits for the workers.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        self.shared.shutdown.store(true, Ordering::SeqCst);
        self.shared.store.wake_all();
        for _ in 0..self.workers.len() {
            self.server.unblock();
        }
        for w in self.workers.drain(..) {
            let _ = w.join();
        }
    }
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Binds `cfg.addr` and serves `store` on background threads.
pub fn serve(store: Arc<SiteStore>, cfg: ServerConfig) -> Result<ServerHandle, io::Error> {
    let static_root = match &cfg.static_root {
        Some(p) => Some(p.canonicalize().map_err(|e| {
            io::Error::new(e.kind(), format!("static root `{}`: {e}", p.display()))
        })?),
        None => None,
    };
    let listener = listen(cfg.addr)?;
    let addr = listener.local_addr()?;
    let server = tiny_http::Server::from_listener(listener, None)
        .map(Arc::new)
        .map_err(io::Error::other)?;
    let base = base_segments(&cfg.base_path);
    let base_prefix: String = base
        .iter()
        .map(|s| format!("/{}", encode_path(s)))
        .collect();
    let shared = Arc::new(Shared {
        store,
        static_root,
        base,
        base_prefix,
        instance: instance_id(),
        shutdown: AtomicBool::new(false),
        streams: AtomicUsize::new(0),
    });
    let mut handle = ServerHandle {
        shared: shared.clone(),
        server: server.clone(),
        workers: Vec::with_capacity(WORKERS),
        addr,
    };
    for i in 0..WORKERS {
        let shared = shared.clone();
        let server = server.clone();
        let w = thread::Builder::new()
            .name(format!("blogtrack-http-{i}"))
            .spawn(move || worker(&shared, &server))?;
        handle.workers.push(w);
    }
    Ok(handle)
}

/// A listener whose accepted connections inherit `TCP_NODELAY`: `tiny_http` writes a response
/// head and body separately, and with Nagle's algorithm the body then waits for the client's
/// delayed ACK (~40 ms per response). `SO_REUSEADDR` lets `blogtrack serve` restart on the same
/// port at once (Unix only: on Windows it would let another process share the port).
fn listen(addr: SocketAddr) -> io::Result<TcpListener> {
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    #[cfg(unix)]
    socket.set_reuse_address(true)?;
    socket.set_tcp_nodelay(true)?;
    socket.bind(&addr.into())?;
    socket.listen(1024)?;
    Ok(socket.into())
}

fn instance_id() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    format!("{:x}", nanos ^ (u64::from(std::process::id()) << 40))
}

fn worker(shared: &Arc<Shared>, server: &tiny_http::Server) {
    while !shared.shutdown.load(Ordering::SeqCst) {
        match server.recv_timeout(Duration::from_millis(500)) {
            Ok(Some(rq)) => handle(shared, rq),
            Ok(None) => {}
            Err(_) => thread::sleep(Duration::from_millis(50)),
        }
    }
}

fn handle(shared: &Arc<Shared>, rq: Request) {
    if rq.body_length().is_some_and(|n| n > MAX_BODY) {
        refuse_huge_body(rq);
        return;
    }
    if !matches!(rq.method(), Method::Get | Method::Head) {
        let resp = text(405, "method not allowed\n");
        let resp = with(resp, "Allow", "GET, HEAD");
        let _ = rq.respond(resp);
        return;
    }
    let target = match parse_target(rq.url()) {
        Ok(t) => t,
        Err(why) => {
            let _ = rq.respond(text(400, &format!("bad request: {}\n", why.message())));
            return;
        }
    };
    if target.segments.len() == 2 && target.segments[0] == "__blogtrack" {
        if target.segments[1] == "events" {
            event_stream(shared, rq);
        } else {
            let _ = rq.respond(text(404, "not found\n"));
        }
        return;
    }
    let resp = match route(&target, &shared.base) {
        Route::RedirectToBase => redirect(&format!("{}/", shared.base_prefix)),
        Route::Outside => not_found(shared),
        Route::Site(rel) => {
            let range = rq
                .headers()
                .iter()
                .find(|h| h.field.equiv("Range"))
                .map(|h| h.value.as_str().to_string());
            site_response(shared, &rel, target.query.as_deref(), range.as_deref())
        }
    };
    let _ = rq.respond(resp);
}

/// tiny_http 0.12 drains an unread request body on drop into a single buffer of the announced
/// length, so `Content-Length: 99999999999` would abort the process on allocation failure.
/// Such a request gets a 413 and its connection is leaked instead (one socket and one idle
/// thread per hostile request; no client of a preview server sends bodies at all).
fn refuse_huge_body(rq: Request) {
    let resp = Response::empty(413);
    let stream = rq.upgrade("none", resp);
    std::mem::forget(stream);
}

fn site_response(
    shared: &Shared,
    rel: &str,
    query: Option<&str>,
    range: Option<&str>,
) -> ResponseBox {
    let is_dir = rel.is_empty() || rel.ends_with('/');
    let key = if is_dir {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    };
    if let Some(to) = shared.store.redirect_for(&key) {
        return redirect(&to);
    }
    let (generation, overlay) = shared.store.snapshot();
    if let Some(f) = shared.store.get(&key) {
        if is_html(f.content_type) {
            return page_response(shared, 200, &f, generation, overlay.as_deref());
        }
        let len = f.body.len() as u64;
        let data = f.body;
        let open = move |start: u64, count: u64| {
            let start = usize::try_from(start).ok()?;
            let end = start.checked_add(usize::try_from(count).ok()?)?;
            Some(ArcReader {
                data,
                pos: start,
                end,
            })
        };
        if let Some(resp) = asset_response(open, len, range, f.content_type) {
            return resp;
        }
    }
    if let Some(resp) = shared
        .store
        .static_path(&key)
        .and_then(|abs| disk_file(&abs, &key, range))
    {
        return resp;
    }
    if !is_dir && shared.store.contains(&format!("{rel}/index.html")) {
        let mut loc = format!("{}/{}/", shared.base_prefix, encode_path(rel));
        if let Some(q) = query {
            loc.push('?');
            loc.push_str(&encode_query(q));
        }
        return redirect(&loc);
    }
    if let Some(resp) = shared
        .static_root
        .as_deref()
        .and_then(|root| static_file(root, &key, range))
    {
        return resp;
    }
    not_found(shared)
}

/// An HTML page with the live-reload client and the overlay injected.
fn page_response(
    shared: &Shared,
    status: u16,
    f: &SiteFile,
    generation: u64,
    overlay: Option<&str>,
) -> ResponseBox {
    let body = inject(&f.body, &snippet(&shared.token(generation), overlay));
    let resp = Response::from_data(body)
        .with_status_code(status)
        .with_chunked_threshold(usize::MAX);
    let resp = with(resp, "Content-Type", f.content_type);
    with(resp, "Cache-Control", "no-store").boxed()
}

/// Any other file, whole or the requested byte range; `open(start, count)` gives its bytes.
fn asset_response<R, F>(
    open: F,
    len: u64,
    range: Option<&str>,
    content_type: &str,
) -> Option<ResponseBox>
where
    R: Read + Send + 'static,
    F: FnOnce(u64, u64) -> Option<R>,
{
    let (status, start, count) = match parse_range(range, len) {
        Want::Full => (200, 0, len),
        Want::Part { start, end } => (206, start, end - start + 1),
        Want::Unsatisfiable => {
            let resp = text(416, "range not satisfiable\n");
            return Some(with(resp, "Content-Range", &format!("bytes */{len}")));
        }
    };
    let body = open(start, count)?;
    let resp = Response::new(
        status.into(),
        Vec::new(),
        body,
        usize::try_from(count).ok(),
        None,
    )
    .with_chunked_threshold(usize::MAX);
    let mut resp = with(resp, "Content-Type", content_type);
    if status == 206 {
        let end = start + count - 1;
        resp = with(resp, "Content-Range", &format!("bytes {start}-{end}/{len}"));
    }
    let resp = with(resp, "Accept-Ranges", "bytes");
    let resp = with(resp, "X-Content-Type-Options", "nosniff");
    Some(with(resp, "Cache-Control", "no-cache").boxed())
}

fn static_file(root: &Path, key: &str, range: Option<&str>) -> Option<ResponseBox> {
    let mut path = root.to_path_buf();
    for seg in key.split('/') {
        if seg.is_empty() || seg.starts_with('.') || seg.starts_with('_') || seg.contains(':') {
            return None;
        }
        path.push(seg);
    }
    let real = path.canonicalize().ok()?;
    if !real.starts_with(root) {
        return None;
    }
    disk_file(&real, key, range)
}

/// A regular file from disk, typed by its site path.
fn disk_file(abs: &Path, key: &str, range: Option<&str>) -> Option<ResponseBox> {
    let mut file = File::open(abs).ok()?;
    let meta = file.metadata().ok()?;
    if !meta.is_file() {
        return None;
    }
    let len = meta.len();
    let open = move |start: u64, count: u64| {
        file.seek(SeekFrom::Start(start)).ok()?;
        Some(file.take(count))
    };
    asset_response(open, len, range, content_type_for(key))
}

fn not_found(shared: &Shared) -> ResponseBox {
    let (generation, overlay) = shared.store.snapshot();
    let page = shared.store.get("404.html").unwrap_or_else(|| SiteFile {
        body: Arc::from(&b"<!doctype html><title>404 Not Found</title><h1>404 Not Found</h1>"[..]),
        content_type: "text/html; charset=utf-8",
    });
    page_response(shared, 404, &page, generation, overlay.as_deref())
}

fn redirect(location: &str) -> ResponseBox {
    let resp = text(302, &format!("see {location}\n"));
    let resp = with(resp, "Location", location);
    with(resp, "Cache-Control", "no-store")
}

fn text(status: u16, body: &str) -> ResponseBox {
    let resp = Response::from_string(body).with_status_code(status);
    with(resp, "Content-Type", "text/plain; charset=utf-8").boxed()
}

fn with<R: Read>(resp: Response<R>, name: &str, value: &str) -> Response<R> {
    match Header::from_bytes(name.as_bytes(), value.as_bytes()) {
        Ok(h) => resp.with_header(h),
        Err(()) => resp,
    }
}

/// Serves (part of) a shared buffer without copying it.
struct ArcReader {
    data: Arc<[u8]>,
    pos: usize,
    end: usize,
}

impl Read for ArcReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let end = self.end.min(self.data.len());
        let rest = self.data.get(self.pos..end).unwrap_or(&[]);
        let n = rest.len().min(buf.len());
        buf[..n].copy_from_slice(&rest[..n]);
        self.pos += n;
        Ok(n)
    }
}

/// Answers with a `text/event-stream` and hands the connection to a thread that writes the
/// site token now and after every change, with a comment line as keep-alive.
fn event_stream(shared: &Arc<Shared>, rq: Request) {
    if shared.streams.fetch_add(1, Ordering::SeqCst) >= MAX_EVENT_STREAMS {
        shared.streams.fetch_sub(1, Ordering::SeqCst);
        let _ = rq.respond(text(503, "too many live-reload connections\n"));
        return;
    }
    let resp = Response::empty(200);
    let resp = with(resp, "Content-Type", "text/event-stream");
    let resp = with(resp, "Cache-Control", "no-store");
    // tiny_http buffers chunked bodies; an upgraded connection gives direct access to the socket.
    let stream = rq.upgrade("blogtrack-events", resp);
    let worker_shared = shared.clone();
    let spawned = thread::Builder::new()
        .name("blogtrack-sse".into())
        .spawn(move || {
            stream_events(&worker_shared, stream);
            worker_shared.streams.fetch_sub(1, Ordering::SeqCst);
        });
    if spawned.is_err() {
        shared.streams.fetch_sub(1, Ordering::SeqCst);
    }
}

fn stream_events(shared: &Shared, mut stream: Box<dyn tiny_http::ReadWrite + Send>) {
    let mut seen = shared.store.generation();
    let first = format!("data: {}\n\n", shared.token(seen));
    if send(&mut stream, &first).is_err() {
        return;
    }
    loop {
        let now = shared.store.wait_for_change(seen, KEEPALIVE);
        if shared.shutdown.load(Ordering::SeqCst) {
            return;
        }
        let msg = if now != seen {
            seen = now;
            format!("data: {}\n\n", shared.token(now))
        } else {
            ": ping\n\n".to_string()
        };
        if send(&mut stream, &msg).is_err() {
            return;
        }
    }
}

fn send(stream: &mut Box<dyn tiny_http::ReadWrite + Send>, msg: &str) -> io::Result<()> {
    stream.write_all(msg.as_bytes())?;
    stream.flush()
}
