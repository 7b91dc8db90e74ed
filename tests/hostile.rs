//! The bad-input suite (issue 7): broken and hostile tracks run through the real binary.
//!
//! Every case copies the small good track in `tests/fixtures/hostile/_base` (one good post, one
//! page, a bibliography and an image) into a fresh temporary folder, lays the case's own folder
//! from `tests/fixtures/hostile/<case>/` over it (or generates the files: the 50 MB post, the
//! 100,000-entry bibliography, deep nesting, symlinks and bytes that git would mangle), runs
//! `blogtrack build SRC -o OUT`, and asserts:
//!
//! - the exact diagnostic: severity, code, file and line (and a distinctive part of the message);
//! - the exit code (0 clean, 1 problems found, 2 refused before building);
//! - that the good post still builds (`blog/good/index.html` exists and has its content).
//!
//! What this does not cover: the dev server (its own crate's tests) and the gate's path rules
//! (`crates/gate`). Fuzzing of the stages lives in `fuzz/` (see `fuzz/README.md`).

use blogtrack_testcorpus::copy_tree;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_blogtrack");

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile")
}

/// A track in a temporary folder: the base track plus one case.
struct Case {
    tmp: tempfile::TempDir,
}

impl Case {
    /// The base track with the fixture folder `name` laid over it (if it exists).
    fn new(name: &str) -> Case {
        let tmp = tempfile::tempdir().unwrap();
        copy_tree(&fixtures().join("_base"), &tmp.path().join("src"));
        let overlay = fixtures().join(name);
        if overlay.is_dir() {
            copy_tree(&overlay, &tmp.path().join("src"));
        }
        Case { tmp }
    }

    fn src(&self) -> PathBuf {
        self.tmp.path().join("src")
    }

    fn out(&self) -> PathBuf {
        self.tmp.path().join("out")
    }

    /// Writes `bytes` at `rel` inside the track.
    fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) {
        let p = self.src().join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, bytes).unwrap();
    }

    fn build(&self) -> Run {
        self.build_to(&self.out())
    }

    fn build_to(&self, out: &Path) -> Run {
        let output = Command::new(BIN)
            .arg("build")
            .arg(self.src())
            .arg("-o")
            .arg(out)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        Run::from(output, out.to_path_buf())
    }

    fn read_out(&self, rel: &str) -> String {
        fs::read_to_string(self.out().join(rel))
            .unwrap_or_else(|e| panic!("output file {rel}: {e}"))
    }

    /// The good post of the base track was written, with its content.
    fn assert_good_post_built(&self) {
        let html = self.read_out("blog/good/index.html");
        assert!(html.contains("A good post"), "good post lost its title");
        assert!(html.contains("<math"), "good post lost its math");
        assert!(html.contains("dot.png"), "good post lost its figure");
    }
}

/// The outcome of one `blogtrack build`.
struct Run {
    code: i32,
    stderr: String,
    out: PathBuf,
}

impl Run {
    fn from(o: Output, out: PathBuf) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
            out,
        }
    }

    /// Asserts a diagnostic printed rustc-style: `severity[code]: message` followed by
    /// `--> file:line[:col]`. `line` 0 means "no line"; `file` "" means "no location".
    fn assert_diag(&self, severity: &str, code: &str, file: &str, line: u32, message_part: &str) {
        let head = format!("{severity}[{code}]");
        let lines: Vec<&str> = self.stderr.lines().collect();
        let found = lines.iter().enumerate().any(|(i, l)| {
            if !l.starts_with(&head) || !l.contains(message_part) {
                return false;
            }
            if file.is_empty() {
                return true;
            }
            let Some(loc) = lines[i + 1..]
                .iter()
                .take(3)
                .find_map(|l| l.trim_start().strip_prefix("--> "))
            else {
                return false;
            };
            if line == 0 {
                loc == file
            } else {
                loc == format!("{file}:{line}") || loc.starts_with(&format!("{file}:{line}:"))
            }
        });
        assert!(
            found,
            "expected {head} at {file}:{line} containing {message_part:?}; stderr was:\n{}",
            self.stderr
        );
    }

    fn assert_code(&self, code: i32) {
        assert_eq!(self.code, code, "exit code; stderr was:\n{}", self.stderr);
    }

    fn assert_no_errors(&self) {
        assert!(
            !self.stderr.lines().any(|l| l.starts_with("error")),
            "unexpected error; stderr was:\n{}",
            self.stderr
        );
    }

    fn site_file(&self, rel: &str) -> Option<String> {
        fs::read_to_string(self.out.join(rel)).ok()
    }
}

const BAD: &str = "_posts/2024-02-01-bad.md";

/// A post-level error: the bad post is reported and left out, the good post is built, exit 1.
fn assert_post_fails(case: &Case, run: &Run) {
    run.assert_code(1);
    case.assert_good_post_built();
    assert!(
        run.site_file("blog/bad/index.html").is_none(),
        "the failed post must not be written"
    );
    // "not built because of the errors above" comes after those errors.
    let cause = run.stderr.find(&format!("--> {BAD}:"));
    let summary = run.stderr.find("note[post-failed]");
    if let (Some(cause), Some(summary)) = (cause, summary) {
        assert!(
            cause < summary,
            "post-failed printed before its cause:\n{}",
            run.stderr
        );
    }
}

fn front_matter(title: &str) -> String {
    format!("---\nlayout: distill\ntitle: {title}\ndescription: generated case\n---\n")
}

// ---------------------------------------------------------------- front matter and encoding

#[test]
fn malformed_yaml_names_file_and_line() {
    let c = Case::new("malformed-yaml");
    let run = c.build();
    run.assert_diag("error", "yaml-syntax", BAD, 3, "start of another key");
    assert_post_fails(&c, &run);
}

#[test]
fn unterminated_front_matter() {
    let c = Case::new("unterminated-front-matter");
    let run = c.build();
    run.assert_diag("error", "front-matter", BAD, 1, "never closed");
    assert_post_fails(&c, &run);
}

#[test]
fn text_before_front_matter() {
    let c = Case::new("text-before-front-matter");
    let run = c.build();
    run.assert_diag(
        "error",
        "front-matter",
        BAD,
        1,
        "text comes before the front matter",
    );
    assert_post_fails(&c, &run);
}

#[test]
fn empty_post() {
    let c = Case::new("empty-post");
    let run = c.build();
    run.assert_diag("error", "front-matter", BAD, 1, "the file is empty");
    assert_post_fails(&c, &run);
}

#[test]
fn non_utf8_bytes_point_at_line_and_column() {
    let c = Case::new("none");
    c.write(
        BAD,
        b"---\nlayout: distill\ntitle: Latin-1\n---\nCaf\xe9 au lait\n",
    );
    let run = c.build();
    run.assert_diag("error", "encoding", BAD, 5, "not valid UTF-8 (byte 0xe9)");
    assert_post_fails(&c, &run);
}

#[test]
fn bom_and_crlf_posts_build_cleanly() {
    let c = Case::new("none");
    c.write(
        "_posts/2024-02-01-bom.md",
        "\u{feff}---\nlayout: distill\ntitle: With BOM\n---\nBody $y$\n",
    );
    c.write(
        "_posts/2024-02-02-crlf.md",
        "---\r\nlayout: distill\r\ntitle: With CRLF\r\ntoc:\r\n  - name: Head\r\n---\r\n## Head\r\n\r\nBody $z$\r\n",
    );
    let run = c.build();
    run.assert_code(0);
    run.assert_no_errors();
    c.assert_good_post_built();
    assert!(c.read_out("blog/bom/index.html").contains("With BOM"));
    let crlf = c.read_out("blog/crlf/index.html");
    assert!(crlf.contains("id=\"head\""), "CRLF heading got its id");
    assert!(!crlf.contains('\r'), "no carriage return survives");
}

#[test]
fn wrong_front_matter_types() {
    let c = Case::new("wrong-types");
    let run = c.build();
    run.assert_diag(
        "error",
        "front-matter-type",
        "_posts/2024-02-01-authors.md",
        5,
        "`authors` must be a list, found string",
    );
    run.assert_diag(
        "error",
        "front-matter-type",
        "_posts/2024-02-02-toc.md",
        6,
        "`toc` must be a list, found map",
    );
    run.assert_diag(
        "error",
        "front-matter-date",
        "_posts/2024-02-03-date.md",
        5,
        "`date` is not a valid date",
    );
    run.assert_code(1);
    c.assert_good_post_built();
}

// ---------------------------------------------------------------- size and depth

#[test]
fn fifty_megabyte_post_is_refused_with_a_limit() {
    let c = Case::new("none");
    let para = "Lorem ipsum $x_i^2$ *emph* [link](https://example.org) dolor sit amet.\n\n";
    let mut text = front_matter("Huge");
    while text.len() < 50 * 1024 * 1024 {
        text.push_str(para);
    }
    c.write("_posts/2024-02-01-huge.md", &text);
    let run = c.build();
    run.assert_diag(
        "error",
        "post-too-large",
        "_posts/2024-02-01-huge.md",
        6,
        "the limit is 4 MiB",
    );
    run.assert_code(1);
    c.assert_good_post_built();
}

#[test]
fn text_file_over_the_loader_limit_is_not_read() {
    let c = Case::new("none");
    let f = fs::File::create(c.src().join("_posts/2024-02-01-sparse.md")).unwrap();
    f.set_len(65 * 1024 * 1024).unwrap(); // sparse: no disk used
    let run = c.build();
    run.assert_diag(
        "error",
        "file-too-large",
        "_posts/2024-02-01-sparse.md",
        0,
        "limit for text files is 64 MiB",
    );
    run.assert_code(1);
    c.assert_good_post_built();
}

#[test]
fn ten_thousand_nesting_levels() {
    let c = Case::new("none");
    let deep = [
        ("lists", "- ".repeat(10_000) + "x\n"),
        ("ordered", "1. ".repeat(10_000) + "x\n"),
        ("quotes", "> ".repeat(10_000) + "x\n"),
        (
            "brackets",
            "[".repeat(10_000) + "x" + &"]".repeat(10_000) + "\n",
        ),
        ("parens", "(".repeat(10_000) + &")".repeat(10_000) + "\n"),
        (
            "emphasis",
            "*".repeat(10_000) + "a" + &"*".repeat(10_000) + "\n",
        ),
        (
            "divs",
            "<div>".repeat(10_000) + "x" + &"</div>".repeat(10_000) + "\n",
        ),
        (
            "mddivs",
            "<div markdown=\"1\">\n\n".repeat(10_000) + "x\n" + &"\n</div>\n".repeat(10_000),
        ),
    ];
    for (name, body) in &deep {
        c.write(
            &format!("_posts/2024-02-01-{name}.md"),
            front_matter(name) + body,
        );
    }
    c.write(
        "_posts/2024-02-02-liquid.md",
        front_matter("liquid") + &"{% if true %}".repeat(10_000) + &"{% endif %}".repeat(10_000),
    );
    let run = c.build();
    // Markdown nesting is not an error: every post is written.
    for (name, _) in &deep {
        assert!(
            run.site_file(&format!("blog/{name}/index.html")).is_some(),
            "{name} not built:\n{}",
            run.stderr
        );
    }
    run.assert_diag(
        "warning",
        "markdown-nesting-too-deep",
        "_posts/2024-02-01-mddivs.md",
        38,
        "nest more than 16 deep",
    );
    // Liquid blocks have a depth limit, reported as an error of that post.
    run.assert_diag(
        "error",
        "liquid-too-deep",
        "_posts/2024-02-02-liquid.md",
        6,
        "nested more than 100 deep",
    );
    run.assert_code(1);
    c.assert_good_post_built();
}

#[test]
fn formula_with_ten_thousand_nested_braces_falls_back_to_source() {
    let c = Case::new("none");
    let braces = "{".repeat(10_000) + "x" + &"}".repeat(10_000);
    c.write(
        "_posts/2024-02-01-braces.md",
        front_matter("Braces") + "{% raw %}\n$$\n" + &braces + "\n$$\n{% endraw %}\n",
    );
    let run = c.build();
    run.assert_diag(
        "warning",
        "math",
        "_posts/2024-02-01-braces.md",
        7,
        "nested deeper than 100 levels",
    );
    run.assert_code(0);
    let html = c.read_out("blog/braces/index.html");
    assert!(html.contains("{{{{{{{{"), "the TeX source is shown");
    c.assert_good_post_built();
}

// ---------------------------------------------------------------- Liquid

#[test]
fn unbalanced_liquid_block() {
    let c = Case::new("unbalanced-liquid");
    let run = c.build();
    run.assert_diag(
        "error",
        "liquid-unclosed-block",
        BAD,
        8,
        "`if` tag opened here",
    );
    run.assert_diag("note", "post-failed", BAD, 0, "not built");
    assert_post_fails(&c, &run);
}

#[test]
fn unclosed_liquid_output() {
    let c = Case::new("unclosed-output");
    let run = c.build();
    run.assert_diag("error", "liquid-syntax", BAD, 8, "not terminated");
    assert_post_fails(&c, &run);
}

#[test]
fn unknown_liquid_tag() {
    let c = Case::new("unknown-tag");
    let run = c.build();
    run.assert_diag(
        "error",
        "liquid-unknown-tag",
        BAD,
        8,
        "unknown Liquid tag `gist`",
    );
    assert_post_fails(&c, &run);
}

#[test]
fn unknown_include() {
    let c = Case::new("unknown-include");
    let run = c.build();
    run.assert_diag(
        "error",
        "liquid-unknown-include",
        BAD,
        8,
        "unknown include `tweet_embed.html`",
    );
    assert_post_fails(&c, &run);
}

// ---------------------------------------------------------------- reading outside the track

/// A file next to the track (outside it) that no case may ever read.
fn plant_secret(c: &Case) -> &'static str {
    const SECRET: &str = "TOP-SECRET-OUTSIDE-THE-TRACK";
    fs::write(c.tmp.path().join("outside-secret.png"), SECRET).unwrap();
    fs::write(c.tmp.path().join("outside-secret.md"), SECRET).unwrap();
    SECRET
}

fn assert_secret_not_in_site(run: &Run, secret: &str) {
    for e in walkdir::WalkDir::new(&run.out) {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let bytes = fs::read(e.path()).unwrap();
            assert!(
                !String::from_utf8_lossy(&bytes).contains(secret),
                "{} contains a file from outside the track",
                e.path().display()
            );
        }
    }
    assert!(
        !run.stderr.contains(secret),
        "stderr shows a file from outside"
    );
}

#[test]
fn include_with_dotdot_is_refused() {
    let c = Case::new("include-traversal");
    let secret = plant_secret(&c);
    let run = c.build();
    run.assert_diag(
        "error",
        "liquid-include-syntax",
        BAD,
        8,
        "invalid include file name `../../../../../../etc/passwd`",
    );
    assert_post_fails(&c, &run);
    assert_secret_not_in_site(&run, secret);
}

#[test]
fn figure_path_outside_the_track_is_never_read() {
    let c = Case::new("figure-traversal");
    let secret = plant_secret(&c);
    let run = c.build();
    run.assert_diag(
        "warning",
        "asset-path",
        BAD,
        8,
        "`../outside-secret.png` leaves the site folder",
    );
    run.assert_diag(
        "warning",
        "missing-asset",
        BAD,
        10,
        "`etc/passwd` does not exist",
    );
    run.assert_diag(
        "warning",
        "asset-path",
        BAD,
        12,
        "`assets/img/../../../outside-secret.png` leaves the site folder",
    );
    run.assert_code(0);
    c.assert_good_post_built();
    assert_secret_not_in_site(&run, secret);
    assert!(!run.out.join("outside-secret.png").exists());
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_track_and_loops_are_not_followed() {
    use std::os::unix::fs::symlink;
    let c = Case::new("none");
    let secret = plant_secret(&c);
    let src = c.src();
    symlink(
        c.tmp.path().join("outside-secret.md"),
        src.join("_posts/2024-02-01-link.md"),
    )
    .unwrap();
    symlink(
        c.tmp.path().join("outside-secret.png"),
        src.join("assets/leak.png"),
    )
    .unwrap();
    symlink(c.tmp.path(), src.join("assets/up")).unwrap();
    symlink("loop-b", src.join("assets/loop-a")).unwrap();
    symlink("loop-a", src.join("assets/loop-b")).unwrap();
    fs::create_dir_all(src.join("assets/cycle")).unwrap();
    symlink("..", src.join("assets/cycle/parent")).unwrap();
    // A link that stays inside the track is fine.
    symlink("dot.png", src.join("assets/img/2024-01-01-good/alias.png")).unwrap();
    let run = c.build();
    let outside = "symbolic link points outside the track";
    run.assert_diag(
        "warning",
        "symlink-outside",
        "_posts/2024-02-01-link.md",
        0,
        outside,
    );
    run.assert_diag("warning", "symlink-outside", "assets/leak.png", 0, outside);
    run.assert_diag("warning", "symlink-outside", "assets/up", 0, outside);
    run.assert_diag(
        "warning",
        "symlink-broken",
        "assets/loop-a",
        0,
        "Too many levels",
    );
    run.assert_diag(
        "warning",
        "symlink-broken",
        "assets/loop-b",
        0,
        "Too many levels",
    );
    assert_eq!(
        run.stderr.matches("warning[symlink-outside]").count(),
        3,
        "each link is reported once:\n{}",
        run.stderr
    );
    run.assert_code(0);
    c.assert_good_post_built();
    assert_secret_not_in_site(&run, secret);
    assert!(
        run.out
            .join("assets/img/2024-01-01-good/alias.png")
            .is_file(),
        "a link inside the track is published; stderr:\n{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn fifo_in_the_track_does_not_block_the_build() {
    let c = Case::new("none");
    for rel in [
        "_posts/2024-02-01-pipe.md",
        "assets/pipe.png",
        "_config.yml",
    ] {
        let p = c.src().join(rel);
        let _ = fs::remove_file(&p);
        let status = Command::new("mkfifo").arg(&p).status();
        if !status.is_ok_and(|s| s.success()) {
            eprintln!("mkfifo unavailable: skipped");
            return;
        }
    }
    let run = c.build();
    run.assert_diag(
        "warning",
        "special-file",
        "_posts/2024-02-01-pipe.md",
        0,
        "not a regular file",
    );
    run.assert_diag(
        "warning",
        "special-file",
        "assets/pipe.png",
        0,
        "not a regular file",
    );
    run.assert_diag(
        "error",
        "special-file",
        "_config.yml",
        0,
        "not a regular file",
    );
    run.assert_code(1);
    assert!(c.read_out("blog/good/index.html").contains("A good post"));
}

// ---------------------------------------------------------------- bibliographies

#[test]
fn unbalanced_bibtex_keeps_the_other_entries() {
    let c = Case::new("unbalanced-bibtex");
    let run = c.build();
    let bib = "assets/bibliography/2024-02-01-bad.bib";
    run.assert_diag(
        "warning",
        "bib-syntax",
        bib,
        7,
        "entry `broken` skipped: unbalanced braces",
    );
    run.assert_diag("warning", "cite-unknown-key", BAD, 7, "`broken`");
    run.assert_code(0);
    let html = c.read_out("blog/bad/index.html");
    assert!(
        html.contains("A Fine Entry"),
        "the good entry is still cited"
    );
    c.assert_good_post_built();
}

#[test]
fn bibliography_of_100000_entries() {
    let c = Case::new("none");
    let mut bib = String::new();
    for i in 0..100_000 {
        bib.push_str(&format!(
            "@article{{k{i},\n  title = {{Title {{\\\"u}} number {i}}},\n  author = {{Doe, Jane and Roe, R.}},\n  year = {{{}}},\n  journal = {{J}}\n}}\n",
            1900 + i % 100
        ));
    }
    // One duplicate key at the end: the last one wins, with a warning.
    bib.push_str("@misc{k5,\n  title = {Second k5}\n}\n");
    c.write("assets/bibliography/2024-02-01-big.bib", &bib);
    c.write(
        "_posts/2024-02-01-big.md",
        front_matter("Big bib").replace(
            "---\nlayout",
            "---\nbibliography: 2024-02-01-big.bib\nlayout",
        ) + "Cites <d-cite key=\"k99999\"></d-cite> and <d-cite key=\"k5\"></d-cite>.\n",
    );
    let run = c.build();
    run.assert_diag(
        "warning",
        "bib-duplicate-key",
        "assets/bibliography/2024-02-01-big.bib",
        600_001,
        "k5",
    );
    run.assert_code(0);
    let html = c.read_out("blog/big/index.html");
    assert!(html.contains("Title ü number 99999"));
    assert!(html.contains("Second k5"));
    c.assert_good_post_built();
}

#[test]
fn cite_of_an_unknown_key_shows_a_question_mark() {
    let c = Case::new("unknown-cite");
    let run = c.build();
    run.assert_diag(
        "warning",
        "cite-unknown-key",
        BAD,
        9,
        "citation key `nosuchkey` is not in the bibliography",
    );
    run.assert_code(0);
    assert!(c.read_out("blog/bad/index.html").contains("[?]"));
    c.assert_good_post_built();
}

// ---------------------------------------------------------------- URL clashes

#[test]
fn two_posts_with_the_same_url() {
    let c = Case::new("same-url");
    let run = c.build();
    // The newest post keeps the URL; the other one is reported and not written.
    run.assert_diag(
        "error",
        "url-clash",
        "_posts/2024-01-01-good.md",
        0,
        "same URL `/2099/blog/good/` as `_posts/2024-02-01-good.md`",
    );
    run.assert_code(1);
    let html = c.read_out("blog/good/index.html");
    assert!(html.contains("Same name, other date"));
}

#[test]
fn a_page_and_a_post_with_the_same_url() {
    let c = Case::new("page-post-clash");
    let run = c.build();
    run.assert_diag(
        "error",
        "url-clash",
        "_pages/clash.md",
        0,
        "page has the same URL `/2099/blog/good/` as `_posts/2024-01-01-good.md`",
    );
    run.assert_code(1);
    c.assert_good_post_built();
}

// ---------------------------------------------------------------- hostile text in metadata

#[test]
fn hostile_title_and_description_stay_well_formed() {
    let c = Case::new("hostile-title");
    let run = c.build();
    run.assert_code(0);
    let title =
        "He said \"hi\" </script><script>alert(1)</script> <!-- {{ site.title }} 🚀 مرحبا بالعالم";
    let description =
        "Quote \" and </script><!-- and {{ x }} and {% raw %} 😀 שלום עולם & <b>bold</b>";
    let html = c.read_out("blog/title/index.html");
    let doc = scraper::Html::parse_document(&html);
    assert!(doc.errors.is_empty(), "HTML parse errors: {:?}", doc.errors);
    let sel = |s: &str| scraper::Selector::parse(s).unwrap();
    let meta = |attr: &str, name: &str| -> String {
        let s = sel(&format!("meta[{attr}=\"{name}\"]"));
        let el = doc
            .select(&s)
            .next()
            .unwrap_or_else(|| panic!("no meta {name}"));
        el.value().attr("content").unwrap_or_default().to_string()
    };
    // Attribute values come back exactly: nothing broke out of the quotes.
    assert_eq!(meta("property", "og:title"), title);
    assert_eq!(meta("name", "citation_title"), title);
    // The description may hold inline HTML (`<b>`): the meta tags carry the text a reader sees,
    // and markup it cannot use (`</script>`, `<!--`) shows as text, on the page and in the meta.
    let description_text = description.replace("<b>bold</b>", "bold");
    assert_eq!(meta("property", "og:description"), description_text);
    assert_eq!(meta("name", "description"), description_text);
    let shown = doc
        .select(&sel(".post-description"))
        .next()
        .expect("description on the page")
        .text()
        .collect::<String>();
    assert_eq!(shown, description_text);
    let t = doc
        .select(&sel("title"))
        .next()
        .unwrap()
        .text()
        .collect::<String>();
    assert!(t.starts_with(title), "<title> is {t:?}");
    let h1 = doc
        .select(&sel("h1"))
        .next()
        .unwrap()
        .text()
        .collect::<String>();
    assert_eq!(h1, title);
    // Only the theme's own scripts: the title opened none.
    for script in doc.select(&sel("script")) {
        let text = script.text().collect::<String>();
        assert!(!text.contains("alert(1)</script"), "script element: {text}");
        assert!(
            script.value().attr("src").is_some()
                || script.value().attr("type") == Some("application/ld+json")
                || !text.contains("alert"),
            "unexpected script {text}"
        );
    }
    // JSON-LD parses and carries the exact strings; the `javascript:` URL is left out.
    let ld = doc
        .select(&sel("script[type=\"application/ld+json\"]"))
        .next()
        .expect("JSON-LD block");
    let json: serde_json::Value =
        serde_json::from_str(&ld.text().collect::<String>()).expect("JSON-LD parses");
    assert_eq!(json["headline"], title);
    assert_eq!(json["description"], description_text);
    assert_eq!(json["author"][0]["name"], "Eve \"</script>\" <!--");
    assert!(
        json["author"][0].get("url").is_none(),
        "javascript: URL in JSON-LD"
    );
    assert!(!html.contains("href=\"javascript:"));
    // The feed is well-formed XML with the exact title.
    let feed = c.read_out("feed.xml");
    let feed_doc = scraper::Html::parse_fragment(&feed);
    let titles: Vec<String> = feed_doc
        .select(&sel("entry > title"))
        .map(|t| t.text().collect())
        .collect();
    assert!(titles.iter().any(|t| t == title), "feed titles: {titles:?}");
    c.assert_good_post_built();
}

// ---------------------------------------------------------------- the output folder

#[test]
fn output_folder_equal_to_or_above_the_source_is_refused() {
    let c = Case::new("none");
    let src = c.src();
    for out in [
        src.clone(),
        src.join("."),
        c.tmp.path().to_path_buf(),
        src.join("_posts/.."),
    ] {
        let run = c.build_to(&out);
        run.assert_code(2);
        assert!(
            run.stderr.contains("error[output-dir]") && run.stderr.contains("contains it"),
            "for -o {}: {}",
            out.display(),
            run.stderr
        );
    }
    // A folder with the user's own files in it is refused, not emptied.
    let run = c.build_to(&src.join("_posts"));
    run.assert_code(2);
    assert!(run.stderr.contains("was not written by blogtrack"));
    assert!(src.join("_posts/2024-01-01-good.md").is_file());
    assert!(src.join("_config.yml").is_file());
}

#[cfg(unix)]
#[test]
fn output_folder_linked_to_the_source_is_refused() {
    let c = Case::new("none");
    let link = c.tmp.path().join("link-to-src");
    std::os::unix::fs::symlink(c.src(), &link).unwrap();
    let run = c.build_to(&link);
    run.assert_code(2);
    run.assert_diag("error", "output-dir", "", 0, "contains it");
    assert!(c.src().join("_posts/2024-01-01-good.md").is_file());
}

// ---------------------------------------------------------------- nothing lost

/// Every file under `dir` with its content.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut v: Vec<_> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

#[cfg(unix)]
#[test]
fn a_build_killed_while_writing_leaves_the_previous_site_intact() {
    let c = Case::new("none");
    c.build().assert_code(0);
    let before = snapshot(&c.out());
    assert!(before.len() > 5);
    // The next build is killed by the kernel (SIGXFSZ) at its first write past 8 KiB: the
    // stylesheet, written into the staging folder.
    c.write(
        "_posts/2024-03-01-new.md",
        front_matter("New") + "A new post that must not appear half-written.\n",
    );
    let status = Command::new("sh")
        .arg("-c")
        .arg("ulimit -f 16; exec \"$0\" build \"$1\" -o \"$2\"")
        .arg(BIN)
        .arg(c.src())
        .arg(c.out())
        .output()
        .unwrap()
        .status;
    assert!(!status.success(), "the limited build must fail");
    assert_eq!(snapshot(&c.out()), before, "the previous site changed");
    // The next full build succeeds and includes the new post.
    let run = c.build();
    run.assert_code(0);
    assert!(c.read_out("blog/new/index.html").contains("A new post"));
}

#[test]
fn a_page_the_file_system_refuses_fails_alone() {
    let c = Case::new("none");
    c.build().assert_code(0);
    // A page whose permalink is longer than any file system allows: that page fails with an
    // error on its file (the permalink's line), the rest of the site is written, exit 1.
    // (A writer that fails for the whole site keeps the previous one: see the killed build.)
    c.write(
        "_pages/long.md",
        format!(
            "---\ntitle: Long\npermalink: /{}/\n---\nx\n",
            "a".repeat(300)
        ),
    );
    let run = c.build();
    run.assert_code(1);
    assert!(
        run.stderr.contains("_pages/long.md") && run.stderr.contains("shorten the permalink"),
        "{}",
        run.stderr
    );
    c.assert_good_post_built();
    assert!(!c.read_out("sitemap.xml").contains("aaaa"));
    let leftovers: Vec<_> = fs::read_dir(c.tmp.path())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        // The image-variant cache beside the output is kept on purpose (it survives builds).
        .filter(|n| n.contains("blogtrack") && n != ".blogtrack-cache")
        .collect();
    assert!(leftovers.is_empty(), "staging folders left: {leftovers:?}");
}

#[test]
fn a_build_with_failed_posts_writes_the_others_and_exits_1() {
    let c = Case::new("unknown-tag");
    c.build(); // a first site, with the good post
    let marker_before = c.out().join(".blogtrack-output");
    assert!(marker_before.is_file());
    let run = c.build();
    run.assert_code(1);
    assert!(run.stderr.contains("1 post(s) FAILED"), "{}", run.stderr);
    c.assert_good_post_built();
    assert!(run.site_file("blog/bad/index.html").is_none());
    // The failed post is not in the listings or the feed.
    assert!(!c.read_out("blog/index.html").contains("Unknown tag"));
    assert!(!c.read_out("feed.xml").contains("Unknown tag"));
}

#[test]
fn nothing_outside_the_output_folder_is_deleted() {
    let c = Case::new("none");
    let neighbour = c.tmp.path().join("neighbour");
    fs::create_dir_all(&neighbour).unwrap();
    fs::write(neighbour.join("keep.txt"), "mine").unwrap();
    fs::write(c.tmp.path().join("out.txt"), "mine too").unwrap();
    let src_before = snapshot(&c.src());
    c.build().assert_code(0);
    c.build().assert_code(0);
    assert_eq!(
        fs::read_to_string(neighbour.join("keep.txt")).unwrap(),
        "mine"
    );
    assert_eq!(
        fs::read_to_string(c.tmp.path().join("out.txt")).unwrap(),
        "mine too"
    );
    assert_eq!(snapshot(&c.src()), src_before, "the source changed");
    let names: Vec<_> = fs::read_dir(c.tmp.path())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let mut names = names;
    names.sort();
    // Besides the output, only the image-variant cache blogtrack keeps beside it.
    assert_eq!(
        names,
        [".blogtrack-cache", "neighbour", "out", "out.txt", "src"]
    );
}

// ---------------------------------------------------------------- second round (issue 7)
//
// Broken inputs found by trying what an attacker or a careless author would write: each one
// used to hang, exhaust memory, lose the good post or give a misleading message.

/// A post whose body is `body` (under a plain front matter) at `BAD`.
fn bad_post(c: &Case, body: &str) {
    c.write(BAD, front_matter("Bad") + body);
}

/// A post whose Liquid must stop at a limit: the error at its line, the post left out.
fn assert_liquid_limit(body: &str, message: &str) {
    let c = Case::new("none");
    bad_post(&c, &format!("{body}\n"));
    let run = c.build();
    run.assert_diag("error", "liquid-limit", BAD, 6, message);
    assert_post_fails(&c, &run);
}

#[test]
fn liquid_range_and_nested_loop_bombs_stop_at_their_limits() {
    assert_liquid_limit(
        "{% for i in (1..100000000) %}x{% endfor %}",
        "range (1..100000000) has more than 100000 elements",
    );
    assert_liquid_limit(
        "{% for i in (1..10000) %}{% for j in (1..10000) %}{% for k in (1..10000) %}x{% endfor %}{% endfor %}{% endfor %}",
        "more than 100000 loop iterations",
    );
}

#[test]
fn a_liquid_string_doubled_in_a_loop_stops_at_the_value_limit() {
    // 2^81 bytes if unbounded; it used to take 14 GB and never finish.
    assert_liquid_limit(
        "{% assign s = 'ab' %}{% for i in (1..80) %}{% assign s = s | append: s %}{% endfor %}{{ s }}",
        "filter `append` would build a value of 32 MiB; the limit is 16 MiB",
    );
}

#[test]
fn a_liquid_capture_bomb_stops_at_the_work_budget() {
    assert_liquid_limit(
        "{% assign s = 'ab' %}{% for i in (1..80) %}{% capture s %}{{s}}{{s}}{% endcapture %}{% endfor %}{{ s }}",
        "the template copies or builds more than 256 MiB of values",
    );
}

#[test]
fn an_include_of_a_post_or_of_itself_is_refused() {
    let c = Case::new("none");
    c.write("_includes/loop.html", "{% include loop.html %}");
    bad_post(
        &c,
        "{% include loop.html %}{% include ../_posts/2024-02-01-bad.md %}\n",
    );
    let run = c.build();
    run.assert_diag(
        "error",
        "liquid-unknown-include",
        BAD,
        6,
        "unknown include `loop.html`",
    );
    run.assert_diag(
        "error",
        "liquid-include-syntax",
        BAD,
        6,
        "invalid include file name",
    );
    assert_post_fails(&c, &run);
}

#[test]
fn permalinks_with_dot_segments_stay_inside_the_site() {
    let c = Case::new("none");
    c.write(
        BAD,
        "---\nlayout: distill\ntitle: Bad\ndescription: d\npermalink: /../../../../escaped/\n---\nbody\n",
    );
    c.write(
        "_pages/p.md",
        "---\nlayout: page\ntitle: P\npermalink: ..\\..\\page-escaped.html\n---\nx\n",
    );
    let run = c.build();
    run.assert_diag(
        "warning",
        "permalink-dot-segment",
        BAD,
        5,
        "the URL is `/escaped/`",
    );
    run.assert_diag(
        "warning",
        "permalink-dot-segment",
        "_pages/p.md",
        4,
        "the URL is `/page-escaped.html`",
    );
    run.assert_code(0);
    c.assert_good_post_built();
    assert!(c.read_out("escaped/index.html").contains("body"));
    assert!(c.read_out("page-escaped.html").contains('x'));
    let tmp = c.tmp.path();
    assert!(!tmp.join("escaped").exists() && !tmp.join("page-escaped.html").exists());
}

#[test]
fn config_that_is_not_a_map_or_an_alias_bomb() {
    let c = Case::new("none");
    c.write("_config.yml", "- a\n- b\n");
    let run = c.build();
    run.assert_diag(
        "error",
        "config-type",
        "_config.yml",
        1,
        "_config.yml must be a map of `key: value` settings, found list",
    );
    run.assert_code(1);
    assert!(run.site_file("blog/good/index.html").is_some());

    let c = Case::new("none");
    let mut lol = String::from("title: T\na: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 0..9u8 {
        let (name, prev) = ((b'b' + i) as char, (b'a' + i) as char);
        let refs = vec![format!("*{prev}"); 10].join(", ");
        lol.push_str(&format!("{name}: &{name} [{refs}]\n"));
    }
    c.write("_config.yml", &lol);
    let run = c.build();
    run.assert_diag(
        "error",
        "yaml-too-large",
        "_config.yml",
        6,
        "the YAML expands to more than 100000 values",
    );
    run.assert_code(1);
}

#[test]
fn a_nul_byte_in_the_front_matter_is_named() {
    let c = Case::new("none");
    c.write(
        BAD,
        b"---\nlayout: distill\ntitle: Ba\x00d\ndescription: d\n---\nx\n",
    );
    let run = c.build();
    run.assert_diag(
        "error",
        "yaml-syntax",
        BAD,
        3,
        "the control character U+0000 is not allowed in YAML",
    );
    assert_post_fails(&c, &run);
}

#[test]
fn odd_post_file_names_are_reported_not_lost_silently() {
    let c = Case::new("none");
    let body = front_matter("Odd") + "x\n";
    c.write("_posts/2024-02-01 with spaces.md", &body);
    c.write("_posts/2024-13-45-bad-date.md", &body);
    c.write("_posts/nodate.md", &body);
    c.write("_posts/2024-02-01-dir.md/inner.md", &body);
    c.write("_posts/2024-02-02-ünïcödé.md", &body);
    let run = c.build();
    for (file, name) in [
        (
            "_posts/2024-02-01 with spaces.md",
            "2024-02-01 with spaces.md",
        ),
        ("_posts/2024-13-45-bad-date.md", "2024-13-45-bad-date.md"),
        ("_posts/nodate.md", "nodate.md"),
        ("_posts/2024-02-01-dir.md/inner.md", "inner.md"),
    ] {
        run.assert_diag(
            "warning",
            "post-file-name",
            file,
            0,
            &format!("`{name}` is not named like a post"),
        );
    }
    run.assert_code(0);
    c.assert_good_post_built();
    assert!(c.read_out("blog/ünïcödé/index.html").contains("Odd"));
}

#[test]
fn duplicated_front_matter_keys_warn_and_the_last_wins() {
    let c = Case::new("none");
    c.write(
        BAD,
        "---\nlayout: distill\ntitle: One\ntitle: Two\ndescription: d\n---\nx\n",
    );
    let run = c.build();
    run.assert_diag(
        "warning",
        "yaml-duplicate-key",
        BAD,
        4,
        "the key `title` appears twice (first 1 line(s) above); the later value is used",
    );
    run.assert_code(0);
    assert!(c.read_out("blog/bad/index.html").contains("Two"));
}

#[test]
fn many_footnotes_cites_and_nested_divs_stay_linear() {
    // 10,000 of each here (100,000 take about 1.4 s in a release build); these were quadratic.
    let c = Case::new("none");
    let n = 10_000;
    let mut body = String::new();
    for i in 0..n {
        body.push_str(&format!("a[^{i}] <d-cite key=\"babbage\"></d-cite> "));
    }
    body.push_str("\n\n");
    for i in 0..n {
        body.push_str(&format!("[^{i}]: note {i}\n"));
    }
    body.push_str(&"<div>".repeat(n));
    body.push_str(&"</div>".repeat(n));
    c.write(
        BAD,
        format!(
            "---\nlayout: distill\ntitle: Many\ndescription: d\nbibliography: 2024-01-01-good.bib\n---\n{body}\n"
        ),
    );
    let run = c.build();
    run.assert_code(0);
    let html = c.read_out("blog/bad/index.html");
    assert!(html.contains("note 9999"));
    assert!(
        html.contains(&format!(">{n}</a></sup>")),
        "footnote {n} numbered"
    );
    c.assert_good_post_built();
}

#[test]
fn a_bibliography_field_of_10_mb_skips_that_entry_only() {
    let c = Case::new("none");
    c.write(
        "assets/bibliography/2024-01-01-good.bib",
        format!(
            "@misc{{big, title={{{}}}}}\n@misc{{babbage, title={{Analytical}}}}\n",
            "x".repeat(10_000_000)
        ),
    );
    let run = c.build();
    run.assert_diag(
        "warning",
        "bib-syntax",
        "assets/bibliography/2024-01-01-good.bib",
        1,
        "entry `big` skipped: the value of `title` is larger than 1 MiB",
    );
    run.assert_code(0);
    c.assert_good_post_built();
    assert!(c.read_out("blog/good/index.html").contains("Analytical"));
}

#[test]
fn an_html_figure_with_a_script_is_copied_never_run() {
    let c = Case::new("none");
    let marker = c.tmp.path().join("PWNED");
    let script = format!(
        "<html><script>require('child_process').execSync('touch {}')</script></html>",
        marker.display()
    );
    c.write("assets/html/2024-02-01-bad/fig.html", &script);
    bad_post(
        &c,
        "<iframe src=\"{{ 'assets/html/2024-02-01-bad/fig.html' | relative_url }}\"></iframe>\n",
    );
    let run = c.build();
    run.assert_code(0);
    assert_eq!(c.read_out("assets/html/2024-02-01-bad/fig.html"), script);
    assert!(!marker.exists(), "nothing from the track is executed");
    c.assert_good_post_built();
}

// ---------------------------------------------------------------- order and place (issue 15)

/// Regression: the first message printed was "this post was not built because of the errors
/// above" (serve sorted it first), and the summary counted it as a second error.
#[test]
fn post_failed_summary_follows_its_cause_and_is_not_counted() {
    let c = Case::new("unbalanced-liquid");
    let run = c.build();
    run.assert_code(1);
    let cause = run.stderr.find("error[liquid-unclosed-block]");
    let summary = run.stderr.find("note[post-failed]");
    assert!(
        matches!((cause, summary), (Some(a), Some(b)) if a < b),
        "cause first, then the note:\n{}",
        run.stderr
    );
    assert!(!run.stderr.contains("error[post-failed]"), "{}", run.stderr);
    assert!(
        run.stderr.contains("1 post(s) FAILED; 1 error(s)"),
        "one problem, counted once:\n{}",
        run.stderr
    );
}

/// Regression: headings swallowed by an unclosed `{% if %}` were reported as "TOC entries with
/// no heading", and citations after it as unknown keys.
#[test]
fn no_follow_on_warnings_after_a_liquid_syntax_error() {
    let c = Case::new("none");
    c.write(
        BAD,
        "---\nlayout: distill\ntitle: Bad\ndescription: d\ntoc:\n  - name: Results\n---\n\
         {% if page.title %}\n\n## Results\n\nSee <d-cite key=\"nosuchkey\"></d-cite> and $\\frac{$.\n",
    );
    let run = c.build();
    run.assert_diag("error", "liquid-unclosed-block", BAD, 8, "never closed");
    assert_post_fails(&c, &run);
    let bad_lines: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("warning"))
        .collect();
    for l in &bad_lines {
        assert!(
            !l.contains("toc-") && !l.contains("cite-") && !l.contains("[math"),
            "follow-on warning {l}:\n{}",
            run.stderr
        );
    }
}

/// Regression: a missing figure or broken link pointed at the first line that mentioned the path
/// (a code block quoting it), not at the line that uses it.
#[test]
fn a_missing_file_is_reported_where_it_is_used_not_where_it_is_quoted() {
    let c = Case::new("none");
    let path = "/2099/assets/img/2024-02-01-bad/gone.png";
    c.write(
        BAD,
        format!(
            "{}Quoted first:\n\n```html\n<img src=\"{path}\">\n```\n\nInline `{path}` and \
             <!-- {path} -->.\n\n<img src=\"{path}\" alt=\"x\">\n",
            front_matter("Bad")
        ),
    );
    let run = c.build();
    run.assert_diag("warning", "broken-link", BAD, 14, "gone.png");
    run.assert_code(0);
    // The pull-request check points at the same line.
    let check = Command::new(BIN)
        .args(["check", "--phase", "camera-ready", "--post", BAD])
        .current_dir(c.src())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let run = Run {
        code: check.status.code().unwrap_or(-1),
        stderr: String::from_utf8_lossy(&check.stdout).into_owned(),
        out: c.out(),
    };
    run.assert_diag("error", "content-asset-missing", BAD, 14, "gone.png");
}
