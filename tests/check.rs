//! `blogtrack check` through the real binary, on fixture repositories.
//!
//! `tests/fixtures/check/good` is a clean submission (`2025-04-28-good-post`, review phase) in a
//! track that already holds another post. Each test copies it to a temporary folder, breaks one
//! thing, and asserts the exact rule ids, lines and exit code. The last test is the
//! false-positive check on the real corpus.

use blogtrack_testcorpus::{copy_tree, git};
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const SLUG: &str = "2025-04-28-good-post";
const POST: &str = "_posts/2025-04-28-good-post.md";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/check")
        .join(name)
}

/// A fresh copy of the good repository.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_tree(&fixture("good"), dir.path());
    dir
}

fn edit(dir: &Path, rel: &str, from: &str, to: &str) {
    let path = dir.join(rel);
    let text = fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "fixture {rel} has no `{from}`");
    fs::write(&path, text.replacen(from, to, 1)).expect("write");
}

fn write(dir: &Path, rel: &str, bytes: impl AsRef<[u8]>) {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    fs::write(path, bytes).expect("write");
}

struct Run {
    code: i32,
    stdout: String,
}

fn blogtrack(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_blogtrack"))
        .arg("check")
        .arg(dir)
        .args(args)
        .output()
        .expect("run blogtrack");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
    }
}

/// Runs with `--format json` and returns the exit code and (severity, code, file, line) of
/// every diagnostic.
fn check(dir: &Path, args: &[&str]) -> (i32, Vec<(String, String, String, u64)>) {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let run = blogtrack(dir, &all);
    let json: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", run.stdout));
    let diags = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["severity"].as_str().unwrap_or("").to_string(),
                d["code"].as_str().unwrap_or("").to_string(),
                d["file"].as_str().unwrap_or("").to_string(),
                d["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    (run.code, diags)
}

fn check_post(dir: &Path, extra: &[&str]) -> (i32, Vec<(String, String, String, u64)>) {
    let mut args = vec!["--post", POST];
    args.extend(extra);
    check(dir, &args)
}

fn d(sev: &str, code: &str, file: &str, line: u64) -> (String, String, String, u64) {
    (sev.into(), code.into(), file.into(), line)
}

// ---- the clean submission ----

#[test]
fn the_good_post_passes_in_every_mode() {
    let dir = repo();
    assert_eq!(check_post(dir.path(), &[]), (0, vec![]));
    let files = [
        "--files",
        POST,
        "assets/img/2025-04-28-good-post/plot.png",
        "assets/html/2025-04-28-good-post/fig.html",
        "assets/bibliography/2025-04-28-good-post.bib",
        "--title",
        SLUG,
    ];
    assert_eq!(check(dir.path(), &files), (0, vec![]));
    let human = blogtrack(dir.path(), &["--post", POST]);
    assert_eq!(human.stdout, format!("ok: no problems found ({SLUG})\n"));
}

// ---- path rules ----

#[test]
fn the_old_checkers_prefix_holes_are_closed() {
    let dir = repo();
    let (code, diags) = check(
        dir.path(),
        &[
            "--files",
            POST,
            "assets/img/2025-04-28-good-post-other/x.png",
            "_posts/2025-04-28-good-post.md.bak",
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(
        diags,
        [
            d(
                "error",
                "path-post-extension",
                "_posts/2025-04-28-good-post.md.bak",
                0
            ),
            d(
                "error",
                "path-outside-submission",
                "assets/img/2025-04-28-good-post-other/x.png",
                0
            ),
        ]
    );
}

#[test]
fn a_title_that_is_not_the_slug_is_an_error() {
    let dir = repo();
    let (code, diags) = check(dir.path(), &["--files", POST, "--title", "My great post"]);
    assert_eq!(code, 1);
    assert_eq!(diags, [d("error", "path-title-mismatch", "", 0)]);
}

#[test]
fn a_post_named_with_capitals_gets_the_fix() {
    let dir = repo();
    let run = blogtrack(dir.path(), &["--files", "_posts/2025-04-28-Good-Post.md"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("error[path-post-name]"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("2025-04-28-good-post"),
        "{}",
        run.stdout
    );
}

// ---- content rules ----

#[test]
fn broken_front_matter_gives_the_builds_error_and_line() {
    let dir = repo();
    edit(dir.path(), POST, "title: A good post", "title: [unclosed");
    let (code, diags) = check_post(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0].0, "error");
    assert!(diags[0].1.starts_with("yaml"), "{diags:?}");
    assert_eq!((diags[0].2.as_str(), diags[0].3 >= 3), (POST, true));
}

#[test]
fn required_keys_are_named() {
    let dir = repo();
    edit(
        dir.path(),
        POST,
        "toc:\n  - name: Introduction\n  - name: Results\n",
        "",
    );
    edit(dir.path(), POST, "layout: distill\n", "");
    let (code, diags) = check_post(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(
        diags,
        [
            d("error", "content-required-key", POST, 1),
            d("error", "content-required-key", POST, 1),
        ]
    );
}

#[test]
fn description_without_math_links_and_in_two_or_three_sentences() {
    let dir = repo();
    edit(
        dir.path(),
        POST,
        "description: This post explains one idea. It is short and clear.",
        "description: We show $x^2$ is convex, see https://example.org for more.",
    );
    let (code, diags) = check_post(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(
        diags,
        [
            d("error", "content-description-link", POST, 4),
            d("error", "content-description-math", POST, 4),
            d("warning", "content-description-length", POST, 4),
        ]
    );
    // After acceptance the call's abstract rules are advice only.
    let (code, diags) = check_post(dir.path(), &["--phase", "camera-ready"]);
    assert_eq!(code, 1, "the anonymous author still fails camera-ready");
    assert!(diags.contains(&d("warning", "content-description-math", POST, 4)));
}

#[test]
fn warnings_fail_only_with_strict() {
    let dir = repo();
    edit(
        dir.path(),
        POST,
        "description: This post explains one idea. It is short and clear.",
        "description: One sentence only.",
    );
    let (code, diags) = check_post(dir.path(), &[]);
    assert_eq!((code, diags.len()), (0, 1));
    assert_eq!(check_post(dir.path(), &["--strict"]).0, 1);
}

#[test]
fn date_must_match_the_slug() {
    let dir = repo();
    edit(dir.path(), POST, "date: 2025-04-28", "date: 2025-05-01");
    assert_eq!(
        check_post(dir.path(), &[]),
        (1, vec![d("error", "content-date-mismatch", POST, 5)])
    );
}

#[test]
fn a_toc_entry_must_name_a_heading() {
    let dir = repo();
    edit(
        dir.path(),
        POST,
        "  - name: Results\n",
        "  - name: Conclusions\n",
    );
    assert_eq!(
        check_post(dir.path(), &[]),
        (0, vec![d("warning", "toc-no-heading", POST, 13)])
    );
}

#[test]
fn the_bibliography_is_the_posts_own_and_has_every_key() {
    let dir = repo();
    edit(
        dir.path(),
        POST,
        "bibliography: 2025-04-28-good-post.bib",
        "bibliography: refs.bib",
    );
    assert_eq!(
        check_post(dir.path(), &[]),
        (
            1,
            vec![
                d("error", "content-bibliography-name", POST, 10),
                d("error", "content-bibliography-missing", POST, 10),
                // The build's own warning for the citation it cannot resolve.
                d("warning", "cite-unknown-key", POST, 18),
            ]
        )
    );
    let dir = repo();
    edit(
        dir.path(),
        POST,
        "key=\"smith2020\"",
        "key=\"smith2020,nobody1999\"",
    );
    assert_eq!(
        check_post(dir.path(), &[]),
        (0, vec![d("warning", "cite-unknown-key", POST, 18)])
    );
    let dir = repo();
    edit(
        dir.path(),
        POST,
        "bibliography: 2025-04-28-good-post.bib\n",
        "",
    );
    assert_eq!(
        check_post(dir.path(), &[]),
        (
            1,
            vec![
                d("error", "content-required-key", POST, 1),
                d("warning", "cite-unknown-key", POST, 17),
            ]
        )
    );
}

#[test]
fn referenced_files_must_exist_inside_the_submissions_folders() {
    let dir = repo();
    edit(dir.path(), POST, "good-post/plot.png", "other-post/x.png");
    edit(
        dir.path(),
        POST,
        "## Results\n",
        "## Results\n\n![missing](/2025/assets/img/2025-04-28-good-post/nope.png)\n",
    );
    assert_eq!(
        check_post(dir.path(), &[]),
        (
            1,
            vec![
                d("error", "content-asset-outside", POST, 20),
                d("error", "content-asset-missing", POST, 24),
            ]
        )
    );
}

/// Issue 12 item 7: every `srcset` candidate is checked; a hand-written old-site variant name of
/// an existing raster image resolves (the build makes or serves it), a truly missing one does not.
#[test]
fn srcset_candidates_are_checked_and_old_site_variant_names_resolve() {
    let dir = repo();
    edit(
        dir.path(),
        POST,
        "## Results\n",
        "## Results\n\n<picture><source srcset=\"/2025/assets/img/2025-04-28-good-post/plot-800.webp 800w, /2025/assets/img/2025-04-28-good-post/gone-480.webp 480w\"><img src=\"/2025/assets/img/2025-04-28-good-post/plot.png\" alt=\"plot\"></picture>\n",
    );
    assert_eq!(
        check_post(dir.path(), &[]),
        (1, vec![d("error", "content-asset-missing", POST, 24)])
    );
}

#[test]
fn external_images_and_iframes_are_warnings() {
    let dir = repo();
    edit(
        dir.path(),
        POST,
        "## Results\n",
        "## Results\n\n<iframe src=\"https://www.youtube.com/embed/xyz\"></iframe>\n",
    );
    assert_eq!(
        check_post(dir.path(), &[]),
        (0, vec![d("warning", "content-external-embed", POST, 24)])
    );
}

#[test]
fn scripts_belong_in_html_figures_unless_the_track_allows_them() {
    let dir = repo();
    edit(
        dir.path(),
        POST,
        "## Results\n",
        "## Results\n\n<script>alert(1)</script>\n",
    );
    assert_eq!(
        check_post(dir.path(), &[]),
        (1, vec![d("error", "content-script", POST, 24)])
    );
    edit(
        dir.path(),
        "_config.yml",
        "  phase: review\n",
        "  phase: review\n  allow_scripts: true\n",
    );
    assert_eq!(check_post(dir.path(), &[]).0, 0);
}

#[test]
fn size_limits_per_file_and_per_submission() {
    let dir = repo();
    edit(
        dir.path(),
        "_config.yml",
        "  phase: review\n",
        "  phase: review\n  max_file_bytes: 1000\n  max_submission_bytes: 3000\n",
    );
    write(
        dir.path(),
        "assets/img/2025-04-28-good-post/big.bin",
        vec![0u8; 1200],
    );
    write(
        dir.path(),
        "assets/img/2025-04-28-good-post/big2.bin",
        vec![0u8; 900],
    );
    assert_eq!(
        check_post(dir.path(), &[]),
        (
            1,
            vec![
                d("error", "content-submission-too-large", "", 0),
                d(
                    "error",
                    "content-file-too-large",
                    "assets/img/2025-04-28-good-post/big.bin",
                    0
                ),
            ]
        )
    );
}

// ---- anonymity ----

#[test]
fn review_requires_anonymous_authors_and_finds_leaks() {
    let dir = repo();
    edit(
        dir.path(),
        POST,
        "  - name: Anonymous\n",
        "  - name: Jane Doe\n    affiliations:\n      name: MIT\n",
    );
    edit(
        dir.path(),
        POST,
        "## Results\n",
        "## Results\n\nWrite to jane.doe@cs.mit.edu.\n",
    );
    write(
        dir.path(),
        "assets/html/2025-04-28-good-post/fig.html",
        "<html><body><script src=\"/Users/janedoe/plots/plotly.js\"></script></body></html>\n",
    );
    fs::copy(
        fixture("extras/author.png"),
        dir.path().join("assets/img/2025-04-28-good-post/plot.png"),
    )
    .expect("copy");
    write(
        dir.path(),
        "assets/html/2025-04-28-good-post/nb.ipynb",
        "{\"metadata\": {\"authors\": [{\"name\": \"Jane Doe\"}]}, \"cells\": []}\n",
    );
    let (code, diags) = check_post(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(
        diags,
        [
            d("error", "anon-affiliation", POST, 9),
            d("error", "anon-author", POST, 9),
            d("error", "anon-email", POST, 26),
            d(
                "error",
                "anon-local-path",
                "assets/html/2025-04-28-good-post/fig.html",
                1
            ),
            d(
                "error",
                "anon-notebook-metadata",
                "assets/html/2025-04-28-good-post/nb.ipynb",
                1
            ),
            d(
                "error",
                "anon-image-metadata",
                "assets/img/2025-04-28-good-post/plot.png",
                0
            ),
        ]
    );
    // After acceptance the same names are required, not leaks.
    let (code, diags) = check_post(dir.path(), &["--phase", "camera-ready"]);
    assert_eq!((code, diags), (0, vec![]));
}

#[test]
fn camera_ready_requires_real_authors() {
    let dir = repo();
    assert_eq!(
        check_post(dir.path(), &["--phase", "camera-ready"]),
        (1, vec![d("error", "content-author-anonymous", POST, 9)])
    );
}

// ---- safety and output ----

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_repository_are_refused_not_followed() {
    let dir = repo();
    std::os::unix::fs::symlink(
        "/etc/passwd",
        dir.path().join("assets/html/2025-04-28-good-post/p.html"),
    )
    .expect("symlink");
    let (code, diags) = check_post(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(
        diags,
        [d(
            "error",
            "path-symlink",
            "assets/html/2025-04-28-good-post/p.html",
            0
        )]
    );
}

#[test]
fn a_hostile_title_is_only_data_in_every_format() {
    let dir = repo();
    let title =
        "x\n::error file=_config.yml::pwned $(rm -rf /) <img src=x onerror=alert(1)> @org/team";
    let gh = blogtrack(
        dir.path(),
        &["--files", POST, "--title", title, "--format", "github"],
    );
    assert_eq!(gh.code, 1);
    assert_eq!(
        gh.stdout.lines().count(),
        1,
        "one annotation only: {}",
        gh.stdout
    );
    assert!(gh.stdout.starts_with("::error title="));
    let md = blogtrack(
        dir.path(),
        &["--files", POST, "--title", title, "--format", "markdown"],
    );
    assert!(!md.stdout.contains("<img"), "{}", md.stdout);
    assert!(!md.stdout.contains("@org"), "{}", md.stdout);
    let human = blogtrack(dir.path(), &["--files", POST, "--title", title]);
    assert!(!human.stdout.contains("\n::error"), "{}", human.stdout);
    let json = check(dir.path(), &["--files", POST, "--title", title]);
    assert_eq!(json.1, [d("error", "path-title-mismatch", "", 0)]);
}

#[test]
fn usage_and_internal_errors_exit_2() {
    let dir = repo();
    assert_eq!(blogtrack(dir.path(), &[]).code, 2, "no scope given");
    assert_eq!(blogtrack(dir.path(), &["--post", "_posts/none.md"]).code, 2);
    assert_eq!(
        blogtrack(dir.path(), &["--base", "main"]).code,
        2,
        "--base needs --head"
    );
    let run = blogtrack(
        dir.path(),
        &["--base", "a", "--head", "b", "--format", "json"],
    );
    assert_eq!(run.code, 2, "not a git repository");
    assert!(
        run.stdout.contains("\"code\": \"git-read\""),
        "{}",
        run.stdout
    );
}

#[test]
fn print_ci_shows_the_untrusted_and_trusted_workflows() {
    let out = Command::new(env!("CARGO_BIN_EXE_blogtrack"))
        .args(["check", "--print-ci"])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(text.contains("# ---- .github/workflows/submission.yml ----"));
    assert!(text.contains("# ---- .github/workflows/publish-preview.yml ----"));
    let untrusted = text
        .split("# ---- ")
        .find(|s| s.starts_with(".github/workflows/submission.yml"))
        .unwrap_or_default();
    assert!(untrusted.contains("pull_request:") && !untrusted.contains("pull_request_target"));
}

// ---- git ----

#[test]
fn a_pull_request_is_read_from_git_history() {
    let dir = repo();
    let p = dir.path();
    // The base: the track without the submission.
    let moved = tempfile::tempdir().expect("temp");
    for rel in [POST, "assets/bibliography/2025-04-28-good-post.bib"] {
        fs::rename(p.join(rel), moved.path().join(rel.replace('/', "_"))).expect("move");
    }
    fs::rename(
        p.join("assets/img/2025-04-28-good-post"),
        moved.path().join("img"),
    )
    .expect("move");
    fs::rename(
        p.join("assets/html/2025-04-28-good-post"),
        moved.path().join("html"),
    )
    .expect("move");
    git(p, &["init", "-q"]);
    git(p, &["add", "-A"]);
    git(p, &["commit", "-qm", "track"]);
    git(p, &["checkout", "-qb", "submission"]);
    for rel in [POST, "assets/bibliography/2025-04-28-good-post.bib"] {
        fs::rename(moved.path().join(rel.replace('/', "_")), p.join(rel)).expect("move back");
    }
    fs::rename(
        moved.path().join("html"),
        p.join("assets/html/2025-04-28-good-post"),
    )
    .expect("move");
    git(p, &["add", "-A"]);
    git(p, &["commit", "-qm", "submission without its image"]);
    // The image is on disk but not committed: the pull request does not contain it.
    fs::rename(
        moved.path().join("img"),
        p.join("assets/img/2025-04-28-good-post"),
    )
    .expect("move");
    let args = ["--base", "main", "--head", "submission", "--title", SLUG];
    assert_eq!(
        check(p, &args),
        (1, vec![d("error", "content-asset-missing", POST, 20)])
    );
    git(p, &["add", "-A"]);
    git(p, &["commit", "-qm", "add the image"]);
    assert_eq!(check(p, &args), (0, vec![]));
    // Touching another post's folder is caught from the diff.
    write(p, "assets/img/2025-04-28-other-post/y.png", "x");
    git(p, &["add", "-A"]);
    git(p, &["commit", "-qm", "sneak"]);
    assert_eq!(
        check(p, &args),
        (
            1,
            vec![d(
                "error",
                "path-outside-submission",
                "assets/img/2025-04-28-other-post/y.png",
                0
            )]
        )
    );
}

// ---- the real corpus ----

/// Every error `check --post` raises on the accepted posts of the corpus in camera-ready phase,
/// as (post, rule). Each is a genuine defect, explained in the comment next to it.
const CORPUS_ERRORS: &[(&str, &str)] = &[
    // Figures the corpus left out (LEFT_OUT.txt) or that were never in the source repository.
    ("2023-05-01-autoregressive-neural-pde-solver", "content-asset-missing"),
    ("2023-05-01-how-does-the-inductive-bias-influence-the-generalization-capability-of-neural-networks", "content-asset-missing"),
    ("2023-05-01-riit", "content-asset-missing"),
    ("2024-05-07-distill-example", "content-asset-missing"),
    ("2024-05-07-understanding-icl", "content-asset-missing"),
    // The second template example uses the first one's folder and bibliography.
    ("2024-05-07-distill-example2", "content-asset-outside"),
    ("2024-05-07-distill-example2", "content-bibliography-name"),
    // GitHub gist embeds: `<script src="https://gist.github.com/...">` in the body.
    ("2024-05-07-understanding-icl", "content-script"),
];

#[test]
fn corpus_posts_pass_in_camera_ready_except_for_genuine_defects() {
    let Some(corpus) = blogtrack_testcorpus::require(
        "check::corpus_posts_pass_in_camera_ready_except_for_genuine_defects",
    ) else {
        return;
    };
    let mut found: Vec<(String, String)> = Vec::new();
    for track in ["iclr-2023", "iclr-2024"] {
        let root = corpus.join(track);
        let mut posts: Vec<_> = fs::read_dir(root.join("_posts"))
            .expect("posts")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        posts.sort();
        for post in posts {
            let rel = format!("_posts/{post}");
            let (code, diags) = check(&root, &["--post", &rel, "--phase", "camera-ready"]);
            let stem = post
                .rsplit_once('.')
                .map_or(post.as_str(), |(s, _)| s)
                .to_string();
            let mut errors: Vec<(String, String)> = diags
                .iter()
                .filter(|d| d.0 == "error")
                .map(|d| (stem.clone(), d.1.clone()))
                .collect();
            assert_eq!(code, i32::from(!errors.is_empty()), "{post}: {diags:?}");
            errors.sort();
            errors.dedup();
            found.extend(errors);
        }
    }
    found.sort();
    let mut want: Vec<(String, String)> = CORPUS_ERRORS
        .iter()
        .map(|(p, c)| (p.to_string(), c.to_string()))
        .collect();
    want.sort();
    assert_eq!(found, want);
}

// ---- the post's URL ----

#[test]
fn a_permalink_onto_another_authors_image_or_the_feed_is_an_error() {
    for (permalink, says) in [
        (
            "/assets/img/2025-04-28-good-post/plot.png",
            "the track's file",
        ),
        ("/feed.xml", "the site's feed"),
        ("/blog/", "the blog index"),
    ] {
        let dir = repo();
        edit(
            dir.path(),
            POST,
            "title: A good post",
            &format!("title: A good post\npermalink: {permalink}"),
        );
        let (code, diags) = check_post(dir.path(), &[]);
        assert_eq!(code, 1, "{permalink}: {diags:?}");
        let line = fs::read_to_string(dir.path().join(POST))
            .unwrap()
            .lines()
            .position(|l| l.starts_with("permalink:"))
            .unwrap() as u64
            + 1;
        assert_eq!(
            diags,
            vec![d("error", "url-clash", POST, line)],
            "{permalink}"
        );
        let json = blogtrack(dir.path(), &["--post", POST, "--format", "json"]);
        assert!(json.stdout.contains(says), "{permalink}: {}", json.stdout);
    }
}

// ---- issue 13: no false alarms, no leaks ----

#[test]
fn sample_authors_are_one_warning_and_placeholders_pass() {
    let dir = repo();
    edit(
        dir.path(),
        POST,
        "  - name: Anonymous\n",
        "  - name: Albert Einstein\n    url: \"https://en.wikipedia.org/wiki/Albert_Einstein\"\n    affiliations:\n      name: IAS, Princeton\n  - name: Boris Podolsky\n    url: \"https://en.wikipedia.org/wiki/Boris_Podolsky\"\n    affiliations:\n      name: IAS, Princeton\n",
    );
    let run = blogtrack(dir.path(), &["--post", POST]);
    assert!(
        run.stdout
            .contains("replace the sample authors with Anonymous"),
        "{}",
        run.stdout
    );
    assert_eq!(
        check_post(dir.path(), &[]),
        (0, vec![d("warning", "anon-sample-author", POST, 9)])
    );

    let dir = repo();
    edit(
        dir.path(),
        POST,
        "  - name: Anonymous\n",
        "  - name: anonymous\n    url: \"Anonymous\"\n    affiliations:\n      name: N/A\n  - name: ANONYMOUS\n    affiliations:\n      name: NA\n",
    );
    assert_eq!(check_post(dir.path(), &[]), (0, vec![]));
}

#[test]
fn commented_out_authors_and_author_lines_in_html_comments_are_leaks() {
    let dir = repo();
    edit(
        dir.path(),
        POST,
        "  - name: Anonymous\n",
        "  - name: Anonymous\n#  - name: Jane Doe\n#    affiliations:\n#      name: Uni Example Town\n",
    );
    edit(
        dir.path(),
        POST,
        "## Results\n",
        "## Results\n\n<!-- author: Jane Doe -->\n",
    );
    assert_eq!(
        check_post(dir.path(), &[]),
        (
            1,
            vec![
                d("error", "anon-comment", POST, 10),
                d("error", "anon-comment", POST, 12),
                d("error", "anon-comment", POST, 27),
            ]
        )
    );
}

#[test]
fn emails_of_vendored_code_in_an_html_figure_are_not_the_authors() {
    let dir = repo();
    let bundle = format!(
        "<html><head><script>\n/**\n * @license Ratio.js v4.0\n * Copyright (c) 2020, Sam Maker (sam@maker.org)\n */\n{}\"ops@bundle-maker.io\"{}\n</script></head><body>plot</body></html>\n",
        "var a=1;".repeat(200),
        "var b=2;".repeat(200)
    );
    write(
        dir.path(),
        "assets/html/2025-04-28-good-post/fig.html",
        bundle,
    );
    assert_eq!(check_post(dir.path(), &[]), (0, vec![]));
}

#[test]
fn the_post_date_is_the_base_branchs_not_the_forks() {
    let dir = repo();
    let p = dir.path();
    // The template as it was when the author forked it: last year's date.
    edit(
        p,
        "_config.yml",
        "post_date: 2025-04-28",
        "post_date: 2024-05-07",
    );
    let moved = tempfile::tempdir().expect("temp");
    fs::rename(p.join(POST), moved.path().join("post.md")).expect("move");
    git(p, &["init", "-q"]);
    git(p, &["add", "-A"]);
    git(p, &["commit", "-qm", "last year's template"]);
    git(p, &["checkout", "-qb", "submission"]);
    fs::rename(moved.path().join("post.md"), p.join(POST)).expect("move back");
    git(p, &["add", "-A"]);
    git(p, &["commit", "-qm", "the submission"]);
    // The organizers update the template on main after the fork.
    git(p, &["checkout", "-q", "main"]);
    edit(
        p,
        "_config.yml",
        "post_date: 2024-05-07",
        "post_date: 2025-04-28",
    );
    git(p, &["commit", "-qam", "this year's date"]);
    git(p, &["checkout", "-q", "submission"]);
    let args = ["--base", "main", "--head", "submission", "--title", SLUG];
    assert_eq!(check(p, &args), (0, vec![]));
}

#[test]
fn a_built_sites_tree_gets_an_accurate_note() {
    let dir = tempfile::tempdir().expect("temp");
    write(dir.path(), "index.html", "<html></html>");
    write(dir.path(), "blog/index.html", "<html></html>");
    let run = blogtrack(dir.path(), &["--files", POST]);
    assert!(run.stdout.contains("built site"), "{}", run.stdout);
    assert!(!run.stdout.contains("bare"), "{}", run.stdout);
}

/// Every anonymity error of `check --post --phase review` on the corpus posts made anonymous
/// (authors replaced by `- name: Anonymous` in a temporary copy), as (post, rule). Each is a
/// genuine leak that anonymizing the authors alone does not remove. (Acknowledgements sections,
/// in 7 of these posts, are `anon-acknowledgements` warnings, not errors.)
const ANONYMIZED_CORPUS_LEAKS: &[(&str, &str)] = &[
    // A notebook's output shows the author's home folder (`/home/<first.last>/`).
    (
        "2024-05-07-understanding-gradient-inversion-attacks-from-the-prior-knowledge-perspective",
        "anon-local-path",
    ),
];

/// The front matter with its `authors:` (or `author:`) block replaced by one anonymous author.
fn anonymize(text: &str) -> String {
    let mut out = String::new();
    let mut fences = 0;
    let mut skipping = false;
    for line in text.split_inclusive('\n') {
        if line.trim_end() == "---" {
            fences += 1;
        }
        let top = !line.starts_with([' ', '\t', '-', '#']) && !line.trim().is_empty();
        if skipping && !top {
            continue;
        }
        skipping = false;
        if fences == 1 && (line.starts_with("authors:") || line.starts_with("author:")) {
            out.push_str("authors:\n  - name: Anonymous\n");
            skipping = true;
            continue;
        }
        out.push_str(line);
    }
    out
}

#[test]
fn corpus_posts_made_anonymous_give_no_anonymity_false_alarm() {
    let Some(corpus) = blogtrack_testcorpus::require(
        "check::corpus_posts_made_anonymous_give_no_anonymity_false_alarm",
    ) else {
        return;
    };
    let mut found: Vec<(String, String)> = Vec::new();
    let mut posts_checked = 0;
    for track in ["iclr-2023", "iclr-2024"] {
        let tmp = tempfile::tempdir().expect("temp dir");
        copy_tree(&corpus.join(track), tmp.path());
        let root = tmp.path();
        let mut posts: Vec<String> = fs::read_dir(root.join("_posts"))
            .expect("posts")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        posts.sort();
        for post in &posts {
            let path = root.join("_posts").join(post);
            let text = fs::read_to_string(&path).expect("read post");
            fs::write(&path, anonymize(&text)).expect("write post");
        }
        for post in posts {
            let rel = format!("_posts/{post}");
            let (_, diags) = check(root, &["--post", &rel, "--phase", "review"]);
            posts_checked += 1;
            let stem = post.rsplit_once('.').map_or(post.as_str(), |(s, _)| s);
            found.extend(
                diags
                    .iter()
                    .filter(|d| d.0 == "error" && d.1.starts_with("anon-"))
                    .map(|d| (stem.to_string(), d.1.clone())),
            );
        }
    }
    found.sort();
    found.dedup();
    let mut want: Vec<(String, String)> = ANONYMIZED_CORPUS_LEAKS
        .iter()
        .map(|(p, c)| (p.to_string(), c.to_string()))
        .collect();
    want.sort();
    eprintln!(
        "{posts_checked} corpus posts made anonymous: {} anonymity error(s), all genuine leaks",
        found.len()
    );
    assert_eq!(found, want);
}

#[test]
fn a_file_the_preview_cannot_clean_is_an_error_during_review() {
    let dir = repo();
    write(
        dir.path(),
        "assets/img/2025-04-28-good-post/notes.pdf",
        "%PDF-1.4 not really a PDF: Jane Doe",
    );
    write(
        dir.path(),
        "assets/img/2025-04-28-good-post/drawing.svg",
        "<svg><g></svg>",
    );
    assert_eq!(
        check_post(dir.path(), &[]),
        (
            1,
            vec![
                d(
                    "error",
                    "anon-uncleanable",
                    "assets/img/2025-04-28-good-post/drawing.svg",
                    0
                ),
                d(
                    "error",
                    "anon-uncleanable",
                    "assets/img/2025-04-28-good-post/notes.pdf",
                    0
                ),
            ]
        )
    );
    // After acceptance nothing is anonymized: only the camera-ready rules speak.
    assert_eq!(
        check_post(dir.path(), &["--phase", "camera-ready"]),
        (1, vec![d("error", "content-author-anonymous", POST, 9)])
    );
}
