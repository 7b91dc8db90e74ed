//! The command line tells the truth (issue 15), through the real binary: a folder that is not a
//! track is refused, an unwritable output names the folder given and why its parent matters,
//! Ctrl-C leaves the previous site and no staging folder, a busy port is handled alike by
//! `serve`, `demo` and `preview --serve`, `-q` exists everywhere, `build --base-url`,
//! `completions`, the demo's root redirects over HTTP, and `serve` prints only the warnings that
//! are new since its previous build while the page lists them all in a panel.
//!
//! Tracks are the bad-input suite's small good track (`tests/fixtures/hostile/_base`), copied
//! into a temporary folder, or synthetic ones from `blogtrack-synth`.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_blogtrack");
const WAIT: Duration = Duration::from_secs(60);

fn base_track(dir: &Path) -> PathBuf {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile/_base");
    let to = dir.join("src");
    for e in walkdir::WalkDir::new(&from) {
        let e = e.unwrap();
        let dst = to.join(e.path().strip_prefix(&from).unwrap());
        if e.file_type().is_dir() {
            fs::create_dir_all(&dst).unwrap();
        } else {
            fs::copy(e.path(), &dst).unwrap();
        }
    }
    to
}

fn run(args: &[&str], cwd: &Path) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A running `blogtrack` whose stdout and stderr lines arrive on one channel; killed when
/// dropped.
struct Running {
    child: Child,
    lines: mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl Running {
    fn start(args: &[&str], cwd: &Path) -> Running {
        let mut child = Command::new(BIN)
            .args(args)
            .current_dir(cwd)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (tx, lines) = mpsc::channel();
        let out = child
            .stdout
            .take()
            .map(|o| Box::new(o) as Box<dyn Read + Send>);
        let err = child
            .stderr
            .take()
            .map(|e| Box::new(e) as Box<dyn Read + Send>);
        for stream in [out, err].into_iter().flatten() {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for l in BufReader::new(stream).lines().map_while(Result::ok) {
                    if tx.send(l).is_err() {
                        break;
                    }
                }
            });
        }
        Running {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// Waits for a stderr line containing `part`; returns it.
    fn wait_for(&mut self, part: &str) -> String {
        let end = Instant::now() + WAIT;
        while let Some(left) = end.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(l) => {
                    self.seen.push(l.clone());
                    if l.contains(part) {
                        return l;
                    }
                }
                Err(_) => break,
            }
        }
        panic!(
            "no line with {part:?}; stderr so far:\n{}",
            self.seen.join("\n")
        );
    }

    /// Waits until a line containing each of `parts` has arrived, in any order (stdout and
    /// stderr are read by two threads, so a line of one may overtake an earlier line of the
    /// other); returns those lines, in the order of `parts`.
    fn wait_for_each(&mut self, parts: &[&str]) -> Vec<String> {
        let first = self.seen.len();
        let found = |seen: &[String]| -> Option<Vec<String>> {
            parts
                .iter()
                .map(|p| seen[first..].iter().find(|l| l.contains(p)).cloned())
                .collect()
        };
        let end = Instant::now() + WAIT;
        while let Some(left) = end.checked_duration_since(Instant::now()) {
            if let Some(lines) = found(&self.seen) {
                return lines;
            }
            match self.lines.recv_timeout(left) {
                Ok(l) => self.seen.push(l),
                Err(_) => break,
            }
        }
        if let Some(lines) = found(&self.seen) {
            return lines;
        }
        panic!(
            "no lines with each of {parts:?}; output so far:\n{}",
            self.seen.join("\n")
        );
    }

    /// The stderr lines that arrive within `d`.
    fn lines_for(&mut self, d: Duration) -> Vec<String> {
        let end = Instant::now() + d;
        let mut out = Vec::new();
        while let Some(left) = end.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(l) => {
                    self.seen.push(l.clone());
                    out.push(l);
                }
                Err(mpsc::RecvTimeoutError::Timeout) => break,
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
        }
        out
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `http://127.0.0.1:PORT/...` from a "serving ..." line.
fn url_in(line: &str) -> String {
    let at = line
        .find("http://")
        .unwrap_or_else(|| panic!("no URL in {line:?}"));
    line[at..].split_whitespace().next().unwrap().to_string()
}

/// GET `path` from the server at `url` (only its host and port are used): status, head, body.
fn http_get(url: &str, path: &str) -> (u16, String, String) {
    let host = url
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap()
        .to_string();
    let mut s = TcpStream::connect(&host).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut reply = String::new();
    let _ = s.read_to_string(&mut reply);
    let (head, body) = reply.split_once("\r\n\r\n").unwrap_or((&reply, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, head.to_string(), body.to_string())
}

// ---------------------------------------------------------------- build

#[test]
fn build_in_a_folder_that_is_not_a_track_refuses_with_a_hint() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("notes.txt"), "not a track").unwrap();
    let o = run(&["build"], tmp.path());
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("error[not-a-track]"), "{err}");
    assert!(err.contains("neither _config.yml nor _posts/"), "{err}");
    assert!(err.contains("blogtrack init"), "{err}");
    assert!(!tmp.path().join("_site").exists(), "no site was written");
    // `serve` refuses it the same way.
    let o = run(&["serve", "--port", "0"], tmp.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("error[not-a-track]"));
    // A track with only _posts/ (no _config.yml) still builds, with the defaults.
    fs::create_dir(tmp.path().join("_posts")).unwrap();
    let o = run(&["build", "-q"], tmp.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn an_unwritable_output_names_the_folder_given_and_why_its_parent_matters() {
    let tmp = tempfile::tempdir().unwrap();
    let src = base_track(tmp.path());
    // As root every folder is writable; /proc refuses new folders to everyone (Linux).
    if Path::new("/proc/self").is_dir() {
        let o = run(&["build", "src", "-o", "/proc/blogtrack-site"], tmp.path());
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(
            err.contains("cannot write the site to `/proc/blogtrack-site`"),
            "{err}"
        );
        assert!(err.contains("beside it and swaps it in"), "{err}");
        assert!(err.contains("`/proc`, must be writable"), "{err}");
        assert!(
            !err.contains("blogtrack-new"),
            "the staging folder is not the user's: {err}"
        );
    }
    // An output under a file: its parent cannot be created.
    let o = run(&["build", "src", "-o", "src/_config.yml/site"], tmp.path());
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("cannot write the site to `src/_config.yml/site`"),
        "{err}"
    );
    assert!(src.join("_config.yml").is_file());
}

#[test]
fn build_base_url_replaces_url_and_baseurl_for_one_build() {
    let tmp = tempfile::tempdir().unwrap();
    base_track(tmp.path());
    let o = run(
        &[
            "build",
            "src",
            "-o",
            "out",
            "--base-url",
            "https://staging.example.org/pre/2099/",
        ],
        tmp.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let page = fs::read_to_string(tmp.path().join("out/blog/good/index.html")).unwrap();
    assert!(
        page.contains("https://staging.example.org/pre/2099/blog/good/"),
        "canonical URL"
    );
    assert!(
        page.contains("\"/pre/2099/assets/"),
        "site paths under the new baseurl"
    );
    assert!(!page.contains("\"/2099/assets/"), "not under _config.yml's");
    // The next build without it is the site of _config.yml again (not a cached page).
    let o = run(&["build", "src", "-o", "out"], tmp.path());
    assert_eq!(o.status.code(), Some(0));
    let page = fs::read_to_string(tmp.path().join("out/blog/good/index.html")).unwrap();
    assert!(page.contains("https://example.org/2099/blog/good/"));
    for bad in ["ftp://x.org/", "https://x.org/a b", "staging"] {
        let o = run(&["build", "src", "--base-url", bad], tmp.path());
        assert_eq!(o.status.code(), Some(2), "{bad}");
        assert!(stderr(&o).contains("--base-url"), "{bad}: {}", stderr(&o));
    }
}

/// The staging folders of builds into `out` (`.out.blogtrack-new-PID`).
fn staging_folders(parent: &Path) -> Vec<String> {
    fs::read_dir(parent)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".out.blogtrack-"))
        .collect()
}

#[test]
fn ctrl_c_during_a_build_leaves_the_previous_site_and_no_staging_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    blogtrack_synth::write_track(&src, 400, 7).unwrap();
    let o = run(&["build", "src", "-o", "out", "-q"], tmp.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let index = fs::read(tmp.path().join("out/blog/index.html")).unwrap();
    // Every post changes, so the next build renders them all (long enough to interrupt).
    fs::write(
        src.join("_config.yml"),
        fs::read_to_string(src.join("_config.yml")).unwrap() + "footer_text: changed\n",
    )
    .unwrap();
    let mut b = Running::start(&["build", "src", "-o", "out"], tmp.path());
    let end = Instant::now() + WAIT;
    while staging_folders(tmp.path()).is_empty() {
        assert!(Instant::now() < end, "no staging folder appeared");
        std::thread::sleep(Duration::from_millis(2));
    }
    let killed = Command::new("kill")
        .args(["-INT", &b.child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = b.child.wait().unwrap();
    let lines = b.lines_for(Duration::from_millis(200)).join("\n");
    if status.code() == Some(0) {
        // The build finished before the signal arrived: nothing to check this time.
        eprintln!("the build finished before Ctrl-C; not checked");
        return;
    }
    assert_eq!(status.code(), Some(130), "{lines}");
    assert!(
        lines.contains("interrupted \u{2014} the site in out is unchanged"),
        "{lines}"
    );
    assert_eq!(staging_folders(tmp.path()), Vec::<String>::new());
    assert_eq!(
        fs::read(tmp.path().join("out/blog/index.html")).unwrap(),
        index
    );
}

// ---------------------------------------------------------------- every command

#[test]
fn every_command_takes_quiet_and_init_new_check_are_silent_with_it() {
    for cmd in ["build", "init", "demo", "new", "preview", "serve", "check"] {
        let o = run(&[cmd, "--help"], Path::new("."));
        let help = String::from_utf8_lossy(&o.stdout);
        assert!(help.contains("-q, --quiet"), "{cmd} --help:\n{help}");
    }
    let tmp = tempfile::tempdir().unwrap();
    let o = run(&["init", "t", "-q"], tmp.path());
    assert!(o.status.success());
    assert_eq!(stderr(&o), "", "init -q");
    let o = run(&["new", "my-post", "--track", "t", "-q"], tmp.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stderr(&o), "", "new -q");
    let post = fs::read_dir(tmp.path().join("t/_posts"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| n.ends_with("-my-post.md"))
        .unwrap();
    let rel = format!("_posts/{post}");
    // A typo of a known key: a warning.
    let path = tmp.path().join("t").join(&rel);
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, text.replacen("title:", "autors: x\ntitle:", 1)).unwrap();
    let loud = run(&["check", "t", "--post", &rel], tmp.path());
    let quiet = run(&["check", "t", "--post", &rel, "-q"], tmp.path());
    let loud = String::from_utf8_lossy(&loud.stdout).into_owned();
    let quiet = String::from_utf8_lossy(&quiet.stdout).into_owned();
    assert!(loud.contains("warning["), "a new post has warnings: {loud}");
    assert!(!quiet.contains("warning["), "{quiet}");
}

#[test]
fn completions_are_printed_for_each_shell() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef blogtrack"),
        ("fish", "complete -c blogtrack"),
    ] {
        let o = run(&["completions", shell], Path::new("."));
        assert!(o.status.success(), "{shell}");
        let script = String::from_utf8_lossy(&o.stdout);
        assert!(script.contains(marker), "{shell}: {script}");
        assert!(
            script.contains("preview") && script.contains("base-url"),
            "{shell}"
        );
    }
    let o = run(&["completions", "cmd.exe"], Path::new("."));
    assert_eq!(o.status.code(), Some(2));
}

// ---------------------------------------------------------------- servers

#[test]
fn a_busy_port_is_handled_alike_by_serve_demo_and_preview() {
    let tmp = tempfile::tempdir().unwrap();
    base_track(tmp.path());
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let commands: [&[&str]; 3] = [
        &["serve", "src", "--port", &port],
        &["demo", "-o", "demo-site", "--port", &port],
        &[
            "preview",
            "src",
            "--post",
            "2024-01-01-good",
            "-o",
            "previews",
            "--serve",
            "--port",
            &port,
        ],
    ];
    for args in commands {
        let mut r = Running::start(args, tmp.path());
        // The note is on stderr and `serve` says where it serves on stdout: either may arrive
        // first. (The note says "serving on a free port" too: the URL tells the lines apart.)
        let lines = r.wait_for_each(&["is busy", "http://127.0.0.1:"]);
        let (busy, serving) = (&lines[0], &lines[1]);
        assert!(
            busy.contains(&format!("port {port} is busy")) && busy.contains("--port"),
            "{args:?}: {busy}"
        );
        let url = url_in(serving);
        assert!(!url.contains(&format!(":{port}/")), "{args:?}: {url}");
        let (status, _, _) = http_get(&url, "/");
        assert!(matches!(status, 200 | 302), "{args:?}: {status}");
    }
    drop(taken);
}

#[test]
fn the_demo_root_answers_with_an_http_redirect() {
    let tmp = tempfile::tempdir().unwrap();
    let mut r = Running::start(&["demo", "-o", "site", "--port", "0"], tmp.path());
    let url = url_in(&r.wait_for("serving"));
    let (status, head, _) = http_get(&url, "/2026/");
    assert_eq!(status, 302, "{head}");
    assert!(
        head.lines()
            .any(|l| l.eq_ignore_ascii_case("location: /2026/about/")),
        "{head}"
    );
    let (status, _, body) = http_get(&url, "/2026/about/");
    assert_eq!(status, 200);
    assert!(body.contains("<html"));
}

#[test]
fn serve_prints_only_the_warnings_that_are_new_and_the_page_lists_them_all() {
    let tmp = tempfile::tempdir().unwrap();
    let src = base_track(tmp.path());
    let mut r = Running::start(&["serve", "src", "--port", "0"], tmp.path());
    let first = r.wait_for("serving");
    // The first build prints its warnings (the figure without alt text).
    assert!(
        r.seen.iter().any(|l| l.contains("warning[figure-no-alt]")),
        "{}",
        r.seen.join("\n")
    );
    let url = url_in(&first);
    let (_, _, page) = http_get(&url, "/2099/blog/good/");
    assert!(
        page.contains("id=\"__blogtrack-warnings\""),
        "the panel is in the page"
    );
    assert!(page.contains("1 warning<"), "{page}");
    assert!(
        !page.contains("__blogtrack-overlay"),
        "no error overlay without errors"
    );

    // An edit that adds an unknown citation: only that warning is printed.
    let post = src.join("_posts/2024-01-01-good.md");
    let text = fs::read_to_string(&post).unwrap();
    fs::write(
        &post,
        text.replace(
            "## Intro",
            "## Intro\n\nSee <d-cite key=\"nokey\"></d-cite>.",
        ),
    )
    .unwrap();
    r.wait_for("changed");
    let printed: Vec<&String> = r
        .seen
        .iter()
        .rev()
        .take_while(|l| !l.contains("serving"))
        .collect();
    let new_warnings = printed.iter().filter(|l| l.starts_with("warning[")).count();
    assert!(
        printed
            .iter()
            .any(|l| l.starts_with("warning[cite-unknown-key]")),
        "{printed:?}"
    );
    assert_eq!(
        new_warnings, 1,
        "only the new warning, not the figure's again: {printed:?}"
    );
    let (_, _, page) = http_get(&url, "/2099/blog/good/");
    assert!(page.contains("2 warnings<"), "the panel lists them all");

    // Undo it: the terminal says one was fixed.
    fs::write(&post, &text).unwrap();
    let fixed = r.wait_for("fixed");
    assert!(fixed.contains("1 warning(s) fixed"), "{fixed}");
}
