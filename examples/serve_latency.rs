//! Measures `blogtrack serve` end to end: edit-to-reload latency and a burst of saves.
//!
//! Copies a track to a temporary folder, starts the real binary (`blogtrack serve --port 0`),
//! connects a raw SSE client to the live-reload stream (standing in for the browser), then:
//! 1. edits one post `ROUNDS` times (default 20), timing each file write to the reload event,
//!    and checks the served page holds the edit;
//! 2. saves the post 200 times as fast as possible, then checks the server still answers and
//!    serves the last version.
//!
//! `cargo run --release --example serve_latency -- BIN TRACK [ROUNDS]`
//! (BIN: the release `blogtrack`; TRACK: e.g. ../shared/corpus/iclr-2024). Prints the median,
//! 90th percentile and worst latency in milliseconds.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

type Res<T> = Result<T, Box<dyn std::error::Error>>;

fn copy_dir(from: &Path, to: &Path) -> Res<()> {
    fs::create_dir_all(to)?;
    for e in fs::read_dir(from)? {
        let e = e?;
        let dst = to.join(e.file_name());
        if e.file_type()?.is_dir() {
            copy_dir(&e.path(), &dst)?;
        } else {
            fs::copy(e.path(), dst)?;
        }
    }
    Ok(())
}

/// Reads the SSE stream up to the next `data:` event.
fn next_event(r: &mut BufReader<TcpStream>) -> bool {
    loop {
        let mut line = String::new();
        match r.read_line(&mut line) {
            Ok(0) | Err(_) => return false,
            Ok(_) if line.starts_with("data:") => return true,
            Ok(_) => {}
        }
    }
}

fn get(addr: &str, path: &str) -> Res<String> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(5)))?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )?;
    let mut body = String::new();
    s.read_to_string(&mut body)?;
    Ok(body)
}

fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(bin), Some(track)) = (args.first(), args.get(1)) else {
        return Err("usage: serve_latency BIN TRACK [ROUNDS]".into());
    };
    let rounds: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(20);
    let dir = std::env::temp_dir().join(format!("blogtrack-serve-latency-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    copy_dir(Path::new(track), &dir)?;
    let mut posts: Vec<PathBuf> = fs::read_dir(dir.join("_posts"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    posts.sort();
    let post = posts
        .first()
        .ok_or("the track has no Markdown post")?
        .clone();
    let stem = post
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("")
        .to_string();
    let slug = stem.get(11..).unwrap_or(&stem).to_string();
    let original = fs::read_to_string(&post)?;

    let mut child = Command::new(bin)
        .args(["serve", "--port", "0"])
        .arg(&dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let mut out = BufReader::new(child.stdout.take().ok_or("no stdout")?);
    let mut line = String::new();
    out.read_line(&mut line)?;
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .ok_or("serve printed no URL")?
        .to_string();
    let rest = url.trim_start_matches("http://");
    let (addr, base) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let addr = addr.to_string();
    let page = format!("{}blog/{slug}/", if base.is_empty() { "/" } else { base });

    let s = TcpStream::connect(&addr)?;
    s.set_nodelay(true)?;
    s.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut w = s.try_clone()?;
    write!(
        w,
        "GET /__blogtrack/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
    )?;
    let mut events = BufReader::new(s);
    next_event(&mut events); // the current generation, sent on connect

    let mut times = Vec::new();
    for i in 0..rounds {
        std::thread::sleep(Duration::from_millis(150));
        let marker = format!("latency-marker-{i}");
        let text = format!("{original}\n\nEdited paragraph {marker}.\n");
        let t = Instant::now();
        fs::write(&post, text)?;
        if !next_event(&mut events) {
            return Err("the event stream ended".into());
        }
        times.push(t.elapsed());
        // Drain a possible second event of the same save, then check the page.
        std::thread::sleep(Duration::from_millis(60));
        let body = get(&addr, &page)?;
        if !body.contains(&marker) {
            return Err(format!("page {page} does not show edit {i}").into());
        }
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "edit-to-reload over {rounds} edits of {}: median {:.1} ms, p90 {:.1} ms, max {:.1} ms",
        post.file_name().and_then(|s| s.to_str()).unwrap_or(""),
        ms(times[times.len() / 2]),
        ms(times[times.len() * 9 / 10]),
        ms(times[times.len() - 1])
    );

    // A burst of 200 saves as fast as the disk takes them.
    let t = Instant::now();
    for i in 0..200 {
        fs::write(
            &post,
            format!("{original}\n\nBurst {i} burst-marker-{i}.\n"),
        )?;
    }
    let last = "burst-marker-199.";
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut ok = false;
    while Instant::now() < deadline {
        if get(&addr, &page).map(|b| b.contains(last)).unwrap_or(false) {
            ok = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let alive = child.try_wait()?.is_none();
    println!(
        "burst of 200 saves: server {}, page current {} ({:.0} ms after the first save)",
        if alive { "alive" } else { "DEAD" },
        if ok { "yes" } else { "NO" },
        ms(t.elapsed())
    );
    let _ = child.kill();
    let _ = child.wait();
    let _ = fs::remove_dir_all(&dir);
    if alive && ok {
        Ok(())
    } else {
        Err("the burst check failed".into())
    }
}
