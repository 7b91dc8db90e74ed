//! The organizer's year on GitHub, through the real binary: every `blogtrack …` command line of
//! the generated workflows runs on a fixture track (a wrong flag fails here, not in a track's
//! CI), previews live under an opaque token and freeze at the submission deadline (fake clock:
//! `BLOGTRACK_NOW`), `init --from` starts next year from last year, and every command that a
//! page or hint prints for authors works as printed.

use blogtrack_testcorpus::git;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const SECRET: &str = "a test secret, not a real one";
const SLUG: &str = "2026-04-27-my-post";

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_blogtrack"));
    c.env_remove("BLOGTRACK_NOW").env("NO_COLOR", "1");
    c
}

/// A fresh scratch folder for one test: its path, and the `tempfile` folder that removes it when
/// dropped.
struct Scratch(PathBuf, #[allow(dead_code)] tempfile::TempDir);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = tempfile::Builder::new()
            .prefix(&format!("bt-org-{name}-"))
            .tempdir()
            .expect("scratch folder");
        Scratch(dir.path().to_path_buf(), dir)
    }
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("the binary runs")
}

fn text(o: &Output) -> String {
    format!(
        "status {:?}\n--- stdout\n{}\n--- stderr\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// The demo track with its workflows, as a git repository: the base commit, then a commit that
/// adds the submission `SLUG` (as `blogtrack new` writes it). Returns (track, base, head).
fn track_with_a_pull_request(s: &Scratch) -> (PathBuf, String, String) {
    let track = s.0.join("track");
    let o = run(bin().arg("init").arg(&track).arg("--ci"));
    assert!(o.status.success(), "{}", text(&o));
    git(&track, &["init", "-q"]);
    git(&track, &["add", "-A"]);
    git(&track, &["commit", "-q", "-m", "base"]);
    let base = git(&track, &["rev-parse", "HEAD"]);
    let o = run(bin().args(["new", "my-post", "--track"]).arg(&track));
    assert!(o.status.success(), "{}", text(&o));
    git(&track, &["add", "-A"]);
    git(&track, &["commit", "-q", "-m", "submission"]);
    let head = git(&track, &["rev-parse", "HEAD"]);
    (track, base, head)
}

/// Every `blogtrack …` command line inside the `run:` scripts of a workflow, continuation lines
/// joined, as written.
fn blogtrack_lines(yaml: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut pending = String::new();
    for line in yaml.lines() {
        let t = line.trim();
        let t = t.strip_prefix("run:").map_or(t, str::trim);
        if !pending.is_empty() {
            pending.push(' ');
            pending.push_str(t.trim_end_matches('\\').trim());
            if !t.ends_with('\\') {
                out.push(std::mem::take(&mut pending));
            }
            continue;
        }
        if t.starts_with("blogtrack ") {
            if t.ends_with('\\') {
                pending = t.trim_end_matches('\\').trim().to_string();
            } else {
                out.push(t.to_string());
            }
        }
    }
    out
}

/// The arguments of a command line, as the shell would pass them: words split on spaces,
/// `"…"` quoting, `$VAR` expanded from `vars` (an unknown variable fails the test), and the line
/// cut at a redirection or an operator (`>`, `||`, `&&`, `|`, `;`).
fn shell_words(line: &str, vars: &BTreeMap<&str, String>) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut quoted = false;
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if !quoted && c == ' ' {
            if in_word {
                words.push(std::mem::take(&mut cur));
                in_word = false;
            }
        } else if !quoted && matches!(c, '>' | '|' | '&' | ';') {
            break;
        } else if c == '"' {
            quoted = !quoted;
            in_word = true;
        } else if c == '$' {
            let name: String = chars[i + 1..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
                .collect();
            let value = vars.get(name.as_str()).unwrap_or_else(|| {
                panic!("the workflow uses ${name}, which this test does not set: {line}")
            });
            cur.push_str(value);
            in_word = true;
            i += name.len();
        } else {
            cur.push(c);
            in_word = true;
        }
        i += 1;
    }
    if in_word {
        words.push(cur);
    }
    assert_eq!(
        words.first().map(String::as_str),
        Some("blogtrack"),
        "{line}"
    );
    words.remove(0);
    words
}

fn workflow(track: &Path, name: &str) -> String {
    fs::read_to_string(track.join(".github/workflows").join(name)).expect("workflow written")
}

fn run_line(cwd: &Path, line: &str, vars: &BTreeMap<&str, String>) -> Output {
    let args = shell_words(line, vars);
    let mut cmd = bin();
    cmd.current_dir(cwd).args(&args);
    for (k, v) in vars {
        if k.starts_with("BLOGTRACK_") || k.starts_with("PREVIEW_TOKEN") {
            cmd.env(k, v);
        }
    }
    run(&mut cmd)
}

#[test]
fn every_blogtrack_command_of_the_workflows_runs_on_a_fixture_track() {
    let s = Scratch::new("workflows");
    let (track, base, head) = track_with_a_pull_request(&s);
    let runner_temp = s.0.join("runner-temp");
    fs::create_dir_all(&runner_temp).expect("runner temp");
    let vars: BTreeMap<&str, String> = [
        ("BASE_SHA", base),
        ("HEAD_SHA", head),
        ("PR_TITLE", SLUG.to_string()),
        ("PR_NUMBER", "7".to_string()),
        ("RUNNER_TEMP", runner_temp.display().to_string()),
        (
            "PREVIEW_BASE_URL",
            "https://previews.example.org/2026".to_string(),
        ),
        ("PREVIEW_TOKEN_SECRET", SECRET.to_string()),
        // Before the demo's submission deadline (2025-12-08 23:59 AoE).
        ("BLOGTRACK_NOW", "2025-12-01T10:00:00Z".to_string()),
    ]
    .into_iter()
    .collect();

    // The trusted job's folders: the pull request's checkout and the preview repository.
    let work = s.0.join("publish");
    fs::create_dir_all(work.join("site")).expect("site");
    git(
        &s.0,
        &[
            "clone",
            "-q",
            track.to_str().expect("utf-8 path"),
            "publish/submission",
        ],
    );

    // The trusted checkout of the main branch after `review publish` rejected the post.
    fs::create_dir_all(work.join("track/_data")).expect("track/_data");
    fs::write(
        work.join("track/_data/rejected-previews.txt"),
        format!("{SLUG}\n"),
    )
    .expect("rejected list");

    let mut ran = BTreeMap::new();
    // The preview is published twice: once for the rejection to remove, once for the closing
    // of the pull request to remove.
    for (name, cwd) in [
        ("submission.yml", &track),
        ("publish-preview.yml", &work),
        ("remove-rejected-previews.yml", &work),
        ("publish-preview.yml", &work),
        ("deploy-site.yml", &track),
        ("remove-preview.yml", &work),
    ] {
        let lines = blogtrack_lines(&workflow(&track, name));
        assert!(lines.len() >= 2, "{name}: {lines:?}");
        for line in &lines {
            let o = run_line(cwd, line, &vars);
            assert_eq!(o.status.code(), Some(0), "{name}: `{line}`\n{}", text(&o));
            ran.insert(line.clone(), name);
            if name == "publish-preview.yml" && line.contains("preview submission") {
                // The preview is under a 32-digit token, with the comment naming the commit.
                let dirs: Vec<String> = fs::read_dir(work.join("site"))
                    .expect("site")
                    .map(|e| e.expect("entry").file_name().to_string_lossy().to_string())
                    .collect();
                assert_eq!(dirs.len(), 1, "{dirs:?}");
                assert!(dirs[0].len() == 32 && dirs[0].bytes().all(|b| b.is_ascii_hexdigit()));
                let comment = fs::read_to_string(work.join("preview.md")).expect("comment");
                assert!(
                    comment.contains(&format!(
                        "https://previews.example.org/2026/{}/blog/my-post/",
                        dirs[0]
                    )),
                    "{comment}"
                );
                assert!(
                    comment.contains(&format!(
                        "Reviewers see commit `{}`",
                        &vars["HEAD_SHA"][..12]
                    )),
                    "{comment}"
                );
            }
            if name == "remove-rejected-previews.yml" && line.contains("--remove-listed") {
                let left = fs::read_dir(work.join("site")).expect("site").count();
                assert_eq!(left, 0, "the rejected submission's preview is removed");
            }
            if name == "remove-preview.yml" && line.contains("--remove-pr") {
                let left = fs::read_dir(work.join("site")).expect("site").count();
                assert_eq!(left, 0, "the closed pull request's preview is removed");
            }
        }
    }
    // The check's report, the preview build and the site build each ran.
    assert!(ran.keys().any(|l| l.contains("check . --base")));
    assert!(ran.keys().any(|l| l.starts_with("blogtrack build")));
    assert!(
        runner_temp.join("site/index.html").is_file(),
        "deploy-site built the site"
    );
}

/// A track whose submission deadline is 2025-12-08 23:59 AoE (the demo's), with one post.
fn demo_track(s: &Scratch) -> PathBuf {
    let track = s.0.join("track");
    let o = run(bin().arg("init").arg(&track));
    assert!(o.status.success(), "{}", text(&o));
    let o = run(bin().args(["new", "my-post", "--track"]).arg(&track));
    assert!(o.status.success(), "{}", text(&o));
    track
}

fn preview_at(track: &Path, out: &Path, now: &str, commit: &str) -> Output {
    run(bin()
        .arg("preview")
        .arg(track)
        .args(["--post", "my-post", "--pr", "4242", "--commit", commit])
        .args(["--secret-env", "PREVIEW_TOKEN_SECRET"])
        .args(["--base-url", "https://previews.example.org/2026"])
        .arg("--output")
        .arg(out)
        .env("PREVIEW_TOKEN_SECRET", SECRET)
        .env("BLOGTRACK_NOW", now))
}

fn only_dir(out: &Path) -> PathBuf {
    let dirs: Vec<PathBuf> = fs::read_dir(out)
        .expect("output")
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(dirs.len(), 1, "{dirs:?}");
    dirs[0].clone()
}

const COMMIT_A: &str = "aaaaaaaaaaaa1111111111111111111111111111";
const COMMIT_B: &str = "bbbbbbbbbbbb2222222222222222222222222222";

#[test]
fn a_preview_url_names_neither_the_pull_request_nor_the_post() {
    let s = Scratch::new("token");
    let track = demo_track(&s);
    let out = s.0.join("previews");
    let o = preview_at(&track, &out, "2025-12-01T00:00:00Z", COMMIT_A);
    assert!(o.status.success(), "{}", text(&o));
    let dir = only_dir(&out);
    let token = dir.file_name().expect("name").to_string_lossy().to_string();
    assert!(token.len() == 32 && token.bytes().all(|b| b.is_ascii_hexdigit()));
    assert!(!token.contains("4242") && !token.contains("my-post"));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains(&format!("/{token}/blog/my-post/")),
        "{stdout}"
    );
    let stamp = fs::read_to_string(dir.join(".blogtrack-preview.json")).expect("stamp");
    assert!(!stamp.contains("4242") && !stamp.contains(COMMIT_A) && !stamp.contains("aaaaaaa"));
    // The pages are noindex and robots.txt disallows everything.
    let page = fs::read_to_string(dir.join("blog/my-post/index.html")).expect("page");
    assert!(page.contains("noindex"));
    let robots = fs::read_to_string(dir.join("robots.txt")).expect("robots");
    assert!(robots.contains("Disallow: /"), "{robots}");
    // The same secret and post give the same folder; another secret another one.
    let o = run(bin()
        .arg("preview")
        .arg(&track)
        .args(["--post", SLUG, "--secret-env", "OTHER_SECRET"])
        .arg("-o")
        .arg(s.0.join("other"))
        .env("OTHER_SECRET", "another secret")
        .env("BLOGTRACK_NOW", "2025-12-01T00:00:00Z"));
    assert!(o.status.success(), "{}", text(&o));
    assert_ne!(only_dir(&s.0.join("other")).file_name(), dir.file_name());
    // A missing secret is a usage error, not a preview at a guessable URL.
    let o = run(bin()
        .arg("preview")
        .arg(&track)
        .args(["--post", SLUG, "--secret-env", "NOT_SET_ANYWHERE"])
        .arg("-o")
        .arg(s.0.join("none")));
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(!s.0.join("none").exists());
}

#[test]
fn after_the_deadline_the_preview_stays_at_the_last_commit_before_it() {
    let s = Scratch::new("freeze");
    let track = demo_track(&s);
    let out = s.0.join("previews");
    let post = track.join(format!("_posts/{SLUG}.md"));
    // Before the deadline (2025-12-08 23:59 AoE = 2025-12-09 11:59 UTC): published.
    let o = preview_at(&track, &out, "2025-12-09T11:00:00Z", COMMIT_A);
    assert!(o.status.success(), "{}", text(&o));
    let dir = only_dir(&out);
    let page = dir.join("blog/my-post/index.html");
    let before = fs::read_to_string(&page).expect("page");

    // A push after the deadline: checked, but the preview is left as it was.
    let body = fs::read_to_string(&post).expect("post");
    fs::write(&post, format!("{body}\nA LATE CHANGE.\n")).expect("edit");
    let o = preview_at(&track, &out, "2025-12-09T12:00:00Z", COMMIT_B);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(fs::read_to_string(&page).expect("page"), before);
    let comment = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(
        comment.contains("deadline (2025-12-08 23:59 AoE (2025-12-09 11:59 UTC)) has passed"),
        "{comment}"
    );
    assert!(
        comment.contains("of commit `aaaaaaaaaaaa`, the last one published before the deadline"),
        "{comment}"
    );
    assert!(
        comment.contains("This push (commit `bbbbbbbbbbbb`) is not shown to reviewers"),
        "{comment}"
    );

    // The check says so too, as a note that does not fail it.
    let o = run(bin()
        .arg("check")
        .arg(&track)
        .args(["--post", SLUG])
        .env("BLOGTRACK_NOW", "2025-12-09T12:00:00Z"));
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));

    // The organizers allow it: the next preview follows the change.
    let config = track.join("_config.yml");
    let c = fs::read_to_string(&config).expect("config");
    let c = c.replace(
        "republish_after_deadline: []",
        &format!("republish_after_deadline: [{SLUG}]"),
    );
    fs::write(&config, c).expect("config");
    let o = preview_at(&track, &out, "2025-12-10T00:00:00Z", COMMIT_B);
    assert!(o.status.success(), "{}", text(&o));
    assert!(fs::read_to_string(&page)
        .expect("page")
        .contains("A LATE CHANGE."));
    let comment = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(
        comment.contains("Reviewers see commit `bbbbbbbbbbbb`"),
        "{comment}"
    );
    assert!(
        comment.contains("blogtrack.republish_after_deadline"),
        "{comment}"
    );
}

#[test]
fn a_submission_with_no_preview_before_the_deadline_gets_none_after_it() {
    let s = Scratch::new("freeze-none");
    let track = demo_track(&s);
    let out = s.0.join("previews");
    let o = preview_at(&track, &out, "2026-01-01T00:00:00Z", COMMIT_B);
    assert!(o.status.success(), "{}", text(&o));
    assert!(!out.exists() || fs::read_dir(&out).expect("out").count() == 0);
    let comment = String::from_utf8_lossy(&o.stdout);
    assert!(
        comment.contains("No preview was published before the deadline"),
        "{comment}"
    );
}

#[test]
fn dates_out_of_order_are_warned_by_build_and_check() {
    let s = Scratch::new("dates");
    let track = demo_track(&s);
    let config = track.join("_config.yml");
    let c = fs::read_to_string(&config).expect("config");
    let c = c.replace(
        "camera_ready_deadline: 2026-03-06",
        "camera_ready_deadline: 2025-03-06",
    );
    fs::write(&config, c).expect("config");
    let o = run(bin()
        .arg("build")
        .arg(&track)
        .arg("-o")
        .arg(s.0.join("site")));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("config-dates-order") && err.contains("config-dates-year"),
        "{err}"
    );
    let o = run(bin().arg("check").arg(&track).args(["--post", "my-post"]));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("the camera-ready deadline (2025-03-06 23:59 AoE) is before the release of the decisions"),
        "{out}"
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "warnings do not fail a check without --strict"
    );
}

/// Files (relative path → bytes) of a folder.
fn files_of(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("inside")
                .to_string_lossy()
                .replace('\\', "/");
            (rel, fs::read(e.path()).expect("read"))
        })
        .collect()
}

/// `init --from PREV NEXT`, then: NEXT builds with no error, and its sample post passes check.
/// `restore` lists (old slug, path) of files the real repository has but the corpus left out
/// (`LEFT_OUT.txt`); they are put back, renamed as `init --from` renames the sample, so the
/// check sees the sample post as complete as it is in the real repository.
fn next_year_builds_and_its_sample_passes(
    s: &Scratch,
    prev: &Path,
    sample: &str,
    restore: &[(String, String)],
) -> String {
    let next = s.0.join("next");
    let o = run(bin().arg("init").arg("--from").arg(prev).arg(&next));
    assert!(o.status.success(), "{}", text(&o));
    let report = String::from_utf8_lossy(&o.stderr).to_string();
    for (old_slug, path) in restore {
        let new_slug = format!("2025{}", &old_slug[4..]);
        let to = next.join(path.replace(old_slug.as_str(), &new_slug));
        fs::create_dir_all(to.parent().expect("parent")).expect("folder");
        fs::write(&to, "<!doctype html><title>left out of the corpus</title>").expect("restore");
    }
    let o = run(bin()
        .arg("build")
        .arg(&next)
        .arg("-o")
        .arg(s.0.join("next-site")));
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains(" 0 error(s)"),
        "{}",
        text(&o)
    );
    let o = run(bin().arg("check").arg(&next).args(["--post", sample]));
    assert!(o.status.success(), "{}", text(&o));
    report
}

#[test]
fn init_from_last_year_starts_a_track_that_builds_with_its_sample_post() {
    let s = Scratch::new("from");
    let prev = demo_track(&s);
    let report = next_year_builds_and_its_sample_passes(&s, &prev, "sample-post", &[]);
    let next = s.0.join("next");
    let files = files_of(&next);
    // Last year's submission and its files are gone; the sample moved to the new date.
    assert!(
        !files.keys().any(|f| f.contains("my-post")),
        "{:?}",
        files.keys()
    );
    assert!(files.contains_key("_posts/2027-04-27-sample-post.md"));
    assert!(files.contains_key("assets/bibliography/2027-04-27-sample-post.bib"));
    assert!(!files.keys().any(|f| f.contains("2026-04-27")));
    let config = String::from_utf8_lossy(&files["_config.yml"]).to_string();
    assert!(
        config.contains("title: Blogposts Track 2027\n") && config.contains("baseurl: /2027\n")
    );
    assert!(
        config.contains("  post_date: 2027-04-27\n")
            && config.contains("    submission_deadline:\n")
    );
    let dropdown = String::from_utf8_lossy(&files["_pages/dropdown.md"]).to_string();
    assert!(
        dropdown.contains("  - title: 2026\n    permalink: https://blogposts.example.org/2026/\n"),
        "{dropdown}"
    );
    assert!(
        report.contains("still to edit") && report.contains("blogtrack.dates"),
        "{report}"
    );
    // The rest is last year's, byte for byte.
    let old = files_of(&prev);
    for f in [
        "_pages/reviewer_guidelines.md",
        "assets/img/logo.svg",
        "index.md",
    ] {
        assert_eq!(files.get(f), old.get(f), "{f}");
    }
}

#[test]
fn init_from_a_real_previous_year() {
    let corpus = std::env::var_os("BLOGTRACK_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    let prev = corpus.join("iclr-2024");
    if !prev.join("_config.yml").is_file() {
        eprintln!(
            "skipped: the corpus is not at {} (set BLOGTRACK_CORPUS)",
            corpus.display()
        );
        return;
    }
    let s = Scratch::new("from-corpus");
    let slug = "2024-05-07-distill-example";
    let left_out = fs::read_to_string(prev.join("LEFT_OUT.txt")).unwrap_or_default();
    let restore: Vec<(String, String)> = left_out
        .lines()
        .filter_map(|l| l.split('\t').next())
        .filter(|p| p.starts_with(&format!("assets/html/{slug}/")))
        .map(|p| (slug.to_string(), p.to_string()))
        .collect();
    let report = next_year_builds_and_its_sample_passes(&s, &prev, "distill-example", &restore);
    let next = s.0.join("next");
    let posts: Vec<String> = fs::read_dir(next.join("_posts"))
        .expect("posts")
        .map(|e| e.expect("entry").file_name().to_string_lossy().to_string())
        .collect();
    let mut posts = posts;
    posts.sort();
    assert_eq!(
        posts,
        vec![
            "2025-05-07-distill-example.md",
            "2025-05-07-distill-example2.html"
        ]
    );
    let config = fs::read_to_string(next.join("_config.yml")).expect("config");
    assert!(config.contains("title: ICLR Blogposts 2025") && config.contains("baseurl: /2025"));
    assert!(report.contains("pages that still name 2024"), "{report}");
}

#[test]
fn every_command_printed_for_authors_works_as_printed() {
    let s = Scratch::new("author-commands");
    let track = s.0.join("track");
    let o = run(bin().arg("init").arg(&track));
    assert!(o.status.success(), "{}", text(&o));
    // Commands in the pages and the sample post: fenced lines and inline code.
    let mut commands = Vec::new();
    for (rel, body) in files_of(&track) {
        if !(rel.ends_with(".md") && (rel.starts_with("_pages/") || rel.starts_with("_posts/"))) {
            continue;
        }
        let body = String::from_utf8_lossy(&body).replace('\n', " \n");
        for line in body.lines() {
            if line.trim_start().starts_with("blogtrack ") {
                commands.push(line.trim().to_string());
            }
        }
        for span in body.split('`').skip(1).step_by(2) {
            if span.starts_with("blogtrack ") {
                commands.push(span.split_whitespace().collect::<Vec<_>>().join(" "));
            }
        }
    }
    // Commands that `new` prints, and that a preview comment prints.
    let o = run(bin().args(["new", "hint-post", "--track"]).arg(&track));
    assert!(o.status.success(), "{}", text(&o));
    for line in String::from_utf8_lossy(&o.stderr).lines() {
        if let Some(i) = line.find("blogtrack ") {
            let cmd: Vec<&str> = line[i..]
                .split("  ")
                .next()
                .unwrap_or("")
                .split_whitespace()
                .collect();
            commands.push(cmd.join(" "));
        }
    }
    let o = run(bin()
        .arg("preview")
        .arg(&track)
        .args(["--post", "hint-post", "-o"])
        .arg(s.0.join("p")));
    let comment = String::from_utf8_lossy(&o.stdout).to_string();
    for span in comment.split('`').skip(1).step_by(2) {
        if span.starts_with("blogtrack ") {
            commands.push(span.to_string());
        }
    }
    commands.sort();
    commands.dedup();
    assert!(commands.len() >= 8, "{commands:?}");
    // `new` first (the others name the posts it creates), `init` in an empty folder, and no
    // server: `serve` runs until stopped and has its own tests.
    let (new, rest): (Vec<&String>, Vec<&String>) = commands
        .iter()
        .partition(|c| c.starts_with("blogtrack new "));
    let mut ran = 0;
    for cmd in new.into_iter().chain(rest) {
        let args: Vec<&str> = cmd.split_whitespace().skip(1).collect();
        let cwd = if args[0] == "init" {
            let empty = s.0.join(format!("init-{ran}"));
            fs::create_dir_all(&empty).expect("empty folder");
            empty
        } else if args[0] == "serve" {
            continue;
        } else if args
            .get(1)
            .is_some_and(|a| *a == track.to_str().unwrap_or(""))
        {
            s.0.clone()
        } else {
            track.clone()
        };
        let o = run(bin().current_dir(&cwd).args(&args));
        assert_eq!(o.status.code(), Some(0), "`{cmd}` as printed\n{}", text(&o));
        ran += 1;
    }
    assert!(ran >= 7, "{commands:?}");
    // They did their work: the submitting page's preview command wrote the preview.
    assert!(
        track
            .join("previews/2026-04-27-my-post-name-123/blog/my-post-name/index.html")
            .is_file(),
        "{commands:?}"
    );
}

#[test]
fn an_authors_own_preview_never_freezes() {
    let s = Scratch::new("no-freeze");
    let track = demo_track(&s);
    let out = s.0.join("previews");
    let o = run(bin()
        .arg("preview")
        .arg(&track)
        .args(["--post", "my-post", "-o"])
        .arg(&out)
        .env("BLOGTRACK_NOW", "2030-01-01T00:00:00Z"));
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        out.join(format!("{SLUG}/blog/my-post/index.html"))
            .is_file(),
        "{}",
        text(&o)
    );
}
