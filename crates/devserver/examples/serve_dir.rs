//! Serves a folder from memory (every file loaded into a `SiteStore`), for trying the server
//! with a browser or a load generator such as `wrk`.
//!
//! `cargo run --release --example serve_dir -- <folder> [base_path] [port] [seconds]`
//! Without `seconds` it runs until killed. With a corpus folder (`../shared/corpus/iclr-2024`)
//! it also serves a generated `index.html` of 100 KB so the HTML path can be loaded too.

use std::fs;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use blogtrack_devserver::{serve, ServerConfig, SiteStore};

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    for e in fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(root, &p, out);
        } else if let (Ok(rel), Ok(bytes)) = (p.strip_prefix(root), fs::read(&p)) {
            out.push((rel.to_string_lossy().replace('\\', "/"), bytes));
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(root) = args.get(1).map(PathBuf::from) else {
        eprintln!("usage: serve_dir <folder> [base_path] [port] [seconds]");
        std::process::exit(2);
    };
    let base = args.get(2).cloned().unwrap_or_default();
    let port: u16 = args.get(3).and_then(|p| p.parse().ok()).unwrap_or(4000);
    let secs: Option<u64> = args.get(4).and_then(|s| s.parse().ok());
    let mut files = Vec::new();
    collect(&root, &root, &mut files);
    if !files.iter().any(|(p, _)| p == "index.html") {
        let para = "<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit.</p>\n".repeat(1600);
        let page =
            format!("<!doctype html><html><head><title>t</title></head><body>{para}</body></html>");
        files.push(("index.html".into(), page.into_bytes()));
    }
    let n = files.len();
    let store = Arc::new(SiteStore::new());
    store.replace_all(files);
    let cfg = ServerConfig {
        addr: SocketAddr::from(([127, 0, 0, 1], port)),
        static_root: None,
        base_path: base.clone(),
    };
    match serve(store, cfg) {
        Ok(server) => {
            eprintln!("{n} files at http://{}{base}/", server.local_addr());
            match secs {
                Some(s) => std::thread::sleep(Duration::from_secs(s)),
                None => loop {
                    std::thread::sleep(Duration::from_secs(3600));
                },
            }
            server.shutdown();
        }
        Err(e) => {
            eprintln!("cannot serve: {e}");
            std::process::exit(1);
        }
    }
}
