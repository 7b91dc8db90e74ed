//! Parses and formats every `.bib` given on the command line and reports throughput; with
//! `--print` it also prints every formatted reference next to its key.
//!
//! `cargo run --release -p blogtrack-bib --example bib_report -- [--print] FILE.bib...`

use std::time::Instant;

/// CPU time of this thread in seconds (Linux `/proc/thread-self/schedstat`), else wall time:
/// the build machine is shared, so wall time overstates our cost.
fn cpu_seconds(wall: Instant) -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or_else(|| wall.elapsed().as_secs_f64(), |ns| ns / 1e9)
}

fn main() {
    let mut print = false;
    let mut sources = Vec::new();
    for arg in std::env::args().skip(1) {
        if arg == "--print" {
            print = true;
        } else {
            match std::fs::read_to_string(&arg) {
                Ok(s) => sources.push((arg, s)),
                Err(e) => eprintln!("{arg}: {e}"),
            }
        }
    }
    const ROUNDS: u32 = 20;
    let t = Instant::now();
    let c = cpu_seconds(t);
    let mut entries = 0usize;
    for _ in 0..ROUNDS {
        for (_, src) in &sources {
            entries += blogtrack_bib::parse(src).0.len();
        }
    }
    let parse_s = cpu_seconds(t) - c;
    let bibs: Vec<_> = sources
        .iter()
        .map(|(_, s)| blogtrack_bib::parse(s))
        .collect();
    let t = Instant::now();
    let c = cpu_seconds(t);
    let mut bytes = 0usize;
    for _ in 0..ROUNDS {
        for (bib, _) in &bibs {
            for e in bib.iter() {
                bytes += e.format_html().len() + e.format_text().len();
            }
        }
    }
    let fmt_s = cpu_seconds(t) - c;
    println!(
        "parse: {:.0} entries/s ({entries} entries in {parse_s:.3} s CPU)",
        entries as f64 / parse_s
    );
    println!(
        "format (html + text): {:.2} µs/entry ({bytes} bytes)",
        fmt_s * 1e6 / entries as f64
    );
    for ((name, _), (bib, diags)) in sources.iter().zip(&bibs) {
        for d in diags {
            println!("{name}:{d}");
        }
        if print {
            for e in bib.iter() {
                println!("[{}] {}\n    {}", e.key, e.format_text(), e.format_html());
            }
        }
    }
}
