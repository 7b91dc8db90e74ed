//! Measures the preview loop without rendering: a file is saved in a watched folder, the
//! watcher's batch is pushed into the store, and a raw SSE client (standing in for the browser)
//! receives the reload event. Prints the median and worst time from `write` to event, and the
//! part of it spent between `update()` and the event.
//!
//! `cargo run --release --example save_to_event [rounds]`

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use blogtrack_devserver::{serve, watch, ServerConfig, SiteStore};

fn next_event(r: &mut BufReader<TcpStream>) -> bool {
    loop {
        let mut line = String::new();
        match r.read_line(&mut line) {
            Ok(0) | Err(_) => return false,
            Ok(_) if line.starts_with("data: ") => {
                let mut blank = String::new();
                return r.read_line(&mut blank).is_ok();
            }
            Ok(_) => {}
        }
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(50);
    let dir = std::env::temp_dir().join(format!("blogtrack-save-to-event-{}", std::process::id()));
    fs::create_dir_all(dir.join("_posts"))?;
    let store = Arc::new(SiteStore::new());
    store.replace_all(vec![("index.html".into(), b"<body>0</body>".to_vec())]);
    let server = serve(
        store.clone(),
        ServerConfig {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            ..ServerConfig::default()
        },
    )?;
    let (tx, rx) = mpsc::channel::<Instant>();
    let cb_store = store.clone();
    let watcher = watch(&dir, vec![], move |paths| {
        let t = Instant::now();
        let files = paths
            .iter()
            .map(|p| (format!("{}.html", p.display()), b"<body>x</body>".to_vec()))
            .collect();
        cb_store.update(files, vec![]);
        let _ = tx.send(t);
    })
    .map_err(|d| d.to_string())?;

    let mut s = TcpStream::connect(server.local_addr())?;
    s.set_nodelay(true)?;
    s.set_read_timeout(Some(Duration::from_secs(5)))?;
    s.write_all(b"GET /__blogtrack/events HTTP/1.1\r\nHost: localhost\r\n\r\n")?;
    let mut r = BufReader::new(s);
    next_event(&mut r);

    let mut total = Vec::new();
    let mut push = Vec::new();
    for i in 0..rounds {
        std::thread::sleep(Duration::from_millis(30));
        let saved = Instant::now();
        fs::write(dir.join("_posts/post.md"), format!("edit {i}"))?;
        if !next_event(&mut r) {
            return Err("event stream ended".into());
        }
        let got = Instant::now();
        let updated = rx.recv_timeout(Duration::from_secs(1))?;
        total.push(got - saved);
        push.push(got.saturating_duration_since(updated));
    }
    total.sort();
    push.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{rounds} saves: save -> event median {:.2} ms, max {:.2} ms; update() -> event median {:.3} ms, max {:.3} ms",
        ms(total[rounds / 2]),
        ms(total[rounds - 1]),
        ms(push[rounds / 2]),
        ms(push[rounds - 1]),
    );
    drop(watcher);
    server.shutdown();
    fs::remove_dir_all(&dir)?;
    Ok(())
}
