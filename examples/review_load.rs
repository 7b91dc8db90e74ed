//! Load benchmark of `blogtrack review serve`: many reviewers saving drafts and submitting
//! their reviews in the last minute before the reviews deadline (issue 18, "Load, as a
//! benchmark").
//!
//! The real binary serves a temporary track whose reviews deadline is a few minutes away;
//! reviewers, submissions, assignments and one-time sign-in links are seeded through the store
//! before it starts. Each reviewer is one thread with its own keep-alive connection: it opens
//! its sign-in link's page and confirms it (the real sign-in flow), loads its review form (the
//! HTML page), saves a draft `--drafts` times through the JSON API (each save sending the
//! version it last saw) and submits. With `--spread S` the reviewers start at random moments in
//! the first half of `S` seconds and pause between steps so that all finish within `S`; with
//! `--spread 0` they all start at once and never pause (the worst case: everyone at the same
//! second). Afterwards every acknowledged write is checked in the database, through the store:
//! each review holds the text, version and state of the last save the server answered 2xx to.
//!
//! ```text
//! cargo run --release --example review_load -- BIN DB [--reviewers 200] [--drafts 3] [--spread 60]
//! ```
//! BIN: the release `blogtrack`. DB: `sqlite` (a new file in a temporary folder), `postgres`
//! (a new database on the server named by `BLOGTRACK_TEST_POSTGRES`) or an empty
//! `postgres://…` database. Prints p50/p95/p99/max latency per request kind, the throughput,
//! the errors, the server's CPU time and the check of the writes; exits non-zero when a
//! request failed or an acknowledged write is missing. `bench/review-load.sh` runs it.

#[path = "../tests/support/review_client.rs"]
mod review_client;

use blogtrack_review::form::Value;
use blogtrack_review_store::Store;
use review_client::{review_body, seed, sign_in, Conn, Seat};
use std::path::Path;
use std::process::ExitCode;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

type Res<T> = Result<T, String>;

const KINDS: [&str; 5] = [
    "sign-in page",
    "sign-in",
    "review form",
    "save draft",
    "submit",
];

struct Options {
    bin: String,
    db: String,
    reviewers: usize,
    drafts: usize,
    spread: u64,
}

fn options() -> Res<Options> {
    let usage = "usage: review_load BIN sqlite|postgres|postgres://… [--reviewers N] [--drafts K] [--spread SECS]";
    let mut args = std::env::args().skip(1);
    let (Some(bin), Some(db)) = (args.next(), args.next()) else {
        return Err(usage.into());
    };
    let mut o = Options {
        bin,
        db,
        reviewers: 200,
        drafts: 3,
        spread: 60,
    };
    while let Some(flag) = args.next() {
        let value = args.next().ok_or(usage)?;
        let n: u64 = value
            .parse()
            .map_err(|_| format!("{flag}: `{value}` is not a number"))?;
        match flag.as_str() {
            "--reviewers" if n >= 1 => o.reviewers = n as usize,
            "--drafts" => o.drafts = n as usize,
            "--spread" => o.spread = n,
            _ => return Err(usage.into()),
        }
    }
    Ok(o)
}

/// One timed request: its kind (index in [`KINDS`]), latency, and the error if it failed.
struct Sample {
    kind: usize,
    latency: Duration,
    error: Option<String>,
}

/// What one reviewer's thread did: its samples and the last write the server acknowledged.
#[derive(Default)]
struct Outcome {
    samples: Vec<Sample>,
    acked: Option<(String, i64, String)>,
}

/// A small deterministic generator (xorshift) for the start offsets and pauses.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        if n == 0 {
            0
        } else {
            self.0 % n
        }
    }
}

fn reviewer(addr: &str, seat: &Seat, i: usize, o: &Options, barrier: &Barrier) -> Outcome {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (i as u64 + 1).wrapping_mul(0x2545_F491));
    let half_ms = o.spread * 500;
    let start = rng.below(half_ms);
    let pause_ms = half_ms / (o.drafts as u64 + 2);
    let mut out = Outcome::default();
    barrier.wait();
    std::thread::sleep(Duration::from_millis(start));
    let mut conn = Conn::new(addr);
    let session = match sign_in(&mut conn, &seat.token) {
        Ok((s, [page, used])) => {
            out.samples.push(sample(0, &page));
            out.samples.push(sample(1, &used));
            s
        }
        Err(e) => {
            out.samples.push(Sample {
                kind: 1,
                latency: Duration::ZERO,
                error: Some(e),
            });
            return out;
        }
    };
    let form = format!("/submissions/{}/review", seat.submission);
    let api = format!("/api/v1{form}");
    let mut version = 0;
    for step in 0..=o.drafts + 1 {
        std::thread::sleep(Duration::from_millis(rng.below(pause_ms)));
        let (kind, result) = if step == 0 {
            (2, session.get(&mut conn, &form))
        } else {
            let (kind, action) = if step <= o.drafts {
                (3, "save")
            } else {
                (4, "submit")
            };
            let text = format!("Review by seat {i}, step {step}: the post is clear.");
            let r = session.post_json(&mut conn, &api, &review_body(&text, action, version));
            if let Ok(reply) = &r {
                if let Some(v) = reply.ok().then(|| reply.json().ok()).flatten() {
                    version = v["version"].as_i64().unwrap_or(-1);
                    let state = v["state"].as_str().unwrap_or("").to_string();
                    out.acked = Some((text, version, state));
                }
            }
            (kind, r)
        };
        match result {
            Ok(reply) => out.samples.push(sample(kind, &reply)),
            Err(e) => out.samples.push(Sample {
                kind,
                latency: Duration::ZERO,
                error: Some(e.to_string()),
            }),
        }
    }
    out
}

fn sample(kind: usize, reply: &review_client::Reply) -> Sample {
    Sample {
        kind,
        latency: reply.elapsed,
        error: (!reply.ok()).then(|| {
            let mut t = reply.text();
            t.truncate(200);
            format!("HTTP {}: {t}", reply.status)
        }),
    }
}

/// The server's user + system CPU time so far (Linux `/proc`).
fn cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1].as_secs_f64() * 1000.0
}

fn report(outcomes: &[Outcome], wall: Duration) -> usize {
    println!("| request | count | errors | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) |");
    println!("|---|--:|--:|--:|--:|--:|--:|");
    let mut errors = Vec::new();
    let mut total = 0;
    let mut all = Vec::new();
    for (k, name) in KINDS.iter().enumerate() {
        let mut ok: Vec<Duration> = Vec::new();
        let mut failed = 0;
        for s in outcomes
            .iter()
            .flat_map(|o| &o.samples)
            .filter(|s| s.kind == k)
        {
            match &s.error {
                None => ok.push(s.latency),
                Some(e) => {
                    failed += 1;
                    errors.push(format!("{name}: {e}"));
                }
            }
        }
        ok.sort();
        total += ok.len() + failed;
        all.extend_from_slice(&ok);
        println!(
            "| {name} | {} | {failed} | {:.1} | {:.1} | {:.1} | {:.1} |",
            ok.len() + failed,
            percentile(&ok, 50.0),
            percentile(&ok, 95.0),
            percentile(&ok, 99.0),
            percentile(&ok, 100.0)
        );
    }
    all.sort();
    println!(
        "| all | {total} | {} | {:.1} | {:.1} | {:.1} | {:.1} |",
        errors.len(),
        percentile(&all, 50.0),
        percentile(&all, 95.0),
        percentile(&all, 99.0),
        percentile(&all, 100.0)
    );
    println!(
        "{total} requests in {:.2} s: {:.0} requests/s",
        wall.as_secs_f64(),
        total as f64 / wall.as_secs_f64()
    );
    for e in errors.iter().take(10) {
        eprintln!("error: {e}");
    }
    errors.len()
}

/// Every acknowledged write, read back through the store: the count of reviews that differ.
async fn verify(store: &Store, seats: &[Seat], outcomes: &[Outcome]) -> Res<usize> {
    let mut missing = 0;
    for (seat, o) in seats.iter().zip(outcomes) {
        let Some((text, version, state)) = &o.acked else {
            continue;
        };
        let stored = store
            .own_review(&seat.person, &seat.submission)
            .await
            .map_err(|e| e.to_string())?;
        let same = stored.as_ref().is_some_and(|r| {
            r.version == *version
                && r.state == *state
                && r.answers.get("summary") == Some(&Value::Text(text.clone()))
        });
        if !same {
            missing += 1;
            eprintln!(
                "lost write: seat {} acknowledged version {version} ({state}), stored {:?}",
                seat.person,
                stored.map(|r| (r.version, r.state))
            );
        }
    }
    Ok(missing)
}

async fn database(db: &str, tmp: &Path) -> Res<String> {
    match db {
        "sqlite" => Ok(tmp.join("review.sqlite").to_string_lossy().into_owned()),
        "postgres" => blogtrack_review_store::testing::postgres_url()
            .await
            .map_err(|e| e.to_string())?
            .ok_or_else(|| {
                "`postgres` needs BLOGTRACK_TEST_POSTGRES (scripts/start-postgres)".into()
            }),
        url => Ok(url.to_string()),
    }
}

fn run(o: Options, rt: &tokio::runtime::Runtime) -> Res<bool> {
    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    let db = rt.block_on(database(&o.db, tmp.path()))?;
    let now = review_client::now();
    // The deadline: right after the load (seeding and start-up included).
    let deadline = now + o.spread as i64 + 180;
    let track = tmp.path().join("track");
    review_client::write_track(&track, now, deadline).map_err(|e| e.to_string())?;
    let t = Instant::now();
    let (store, seats) = rt.block_on(async {
        let store = Store::open(&db).await.map_err(|e| format!("{db}: {e}"))?;
        if !store.people().await.map_err(|e| e.to_string())?.is_empty() {
            return Err(format!("{db} is not empty"));
        }
        let seats = seed(&store, o.reviewers, 2, now, 3600)
            .await
            .map_err(|e| e.to_string())?;
        Ok::<_, String>((store, seats))
    })?;
    eprintln!(
        "seeded {} reviewers in {:.1} s; reviews deadline {} (in {} s)",
        seats.len(),
        t.elapsed().as_secs_f64(),
        review_client::utc(deadline),
        deadline - review_client::now()
    );
    let track_arg = track.to_str().ok_or("the track's path is not UTF-8")?;
    let server = review_client::start_server(&o.bin, &[track_arg, "--db", &db])?;
    let addr = server.addr.clone();
    let cpu_before = cpu_seconds(server.child.id());
    let o = Arc::new(o);
    let seats = Arc::new(seats);
    let barrier = Arc::new(Barrier::new(o.reviewers + 1));
    let threads: Vec<_> = (0..o.reviewers)
        .map(|i| {
            let (o, seats, barrier, addr) =
                (o.clone(), seats.clone(), barrier.clone(), addr.clone());
            std::thread::spawn(move || reviewer(&addr, &seats[i], i, &o, &barrier))
        })
        .collect();
    barrier.wait();
    let t = Instant::now();
    let outcomes: Vec<Outcome> = threads
        .into_iter()
        .map(|h| {
            h.join().unwrap_or_else(|_| Outcome {
                samples: vec![Sample {
                    kind: 1,
                    latency: Duration::ZERO,
                    error: Some("the reviewer's thread panicked".into()),
                }],
                acked: None,
            })
        })
        .collect();
    let wall = t.elapsed();
    let cpu = cpu_seconds(server.child.id())
        .zip(cpu_before)
        .map(|(a, b)| a - b);
    println!(
        "{} reviewers, {} drafts each then submit, spread {} s, on {}",
        o.reviewers,
        o.drafts,
        o.spread,
        if db.starts_with("postgres") {
            "PostgreSQL"
        } else {
            "SQLite"
        }
    );
    let errors = report(&outcomes, wall);
    if let Some(cpu) = cpu {
        println!("server CPU (user + system): {cpu:.2} s");
    }
    let missing = rt.block_on(verify(&store, &seats, &outcomes))?;
    let acked = outcomes.iter().filter(|o| o.acked.is_some()).count();
    println!("acknowledged writes checked: {acked} reviews, {missing} missing or different");
    drop(server);
    rt.block_on(store.close());
    Ok(errors == 0 && missing == 0)
}

fn main() -> ExitCode {
    let o = match options() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cannot start a runtime: {e}");
            return ExitCode::from(2);
        }
    };
    match run(o, &rt) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("review_load: {e}");
            ExitCode::from(2)
        }
    }
}
