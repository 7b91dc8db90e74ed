//! `_data/decisions.yml` through the real binary: the build publishes only accepted posts and
//! says so, shows award badges on the index and the post page, renders the organizers'
//! highlights include and the poster-session page; a bad file is reported with its line and
//! fails the build; a track without the file shows nothing of it.

use blogtrack_testcorpus::copy_tree;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_blogtrack"))
}

/// The demo track with two more posts (`alpha`, `beta`), in a scratch folder.
fn track() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("scratch folder");
    let root = tmp.path().join("track");
    copy_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("demo"), &root);
    let sample = fs::read_to_string(root.join("_posts/2026-04-27-sample-post.md")).expect("sample");
    for (name, title) in [("alpha", "Alpha <b>post</b>"), ("beta", "Beta post")] {
        let text = sample.replacen(
            "title: \"Softmax temperature, one feature at a time\"",
            &format!("title: \"{title}\""),
            1,
        );
        fs::write(root.join(format!("_posts/2026-04-27-{name}.md")), text).expect("post");
    }
    (tmp, root)
}

const DECISIONS: &str = "awards:
  runner-up: Honourable mention
accepted:
  - slug: 2026-04-27-sample-post
    award: best-post
    poster: A1
  - slug: 2026-04-27-alpha
    award: runner-up
    poster: A2
rejected:
  - 2026-04-27-beta
poster_session:
  title: Blog post poster session
  date: 2026-04-25 10:00-12:30
  place: Hall <2>
  schedule:
    - time: \"10:00\"
      what: Posters go up
";

fn build(root: &Path) -> (Output, PathBuf) {
    let out = root.join("_site");
    let o = bin()
        .arg("build")
        .arg(root)
        .arg("-o")
        .arg(&out)
        .output()
        .expect("the binary runs");
    (o, out)
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn read(p: PathBuf) -> String {
    fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn with_decisions(root: &Path, decisions: &str) {
    fs::create_dir_all(root.join("_data")).expect("mkdir");
    fs::write(root.join("_data/decisions.yml"), decisions).expect("write");
}

#[test]
fn only_accepted_posts_are_published_with_their_badges_and_the_poster_session() {
    let (_tmp, root) = track();
    with_decisions(&root, DECISIONS);
    let about = root.join("_pages/about.md");
    let page = read(about.clone());
    fs::write(
        &about,
        format!("{page}\n## Highlights\n\n{{% include decisions/highlights.html %}}\n"),
    )
    .expect("about");
    let (o, out) = build(&root);
    let log = text(&o);
    assert!(o.status.success(), "{log}");
    assert!(
        log.contains("1 post not published (not accepted in _data/decisions.yml)"),
        "{log}"
    );
    assert!(
        !out.join("blog/beta").exists(),
        "a rejected post is not published"
    );
    let index = read(out.join("blog/index.html"));
    assert!(!index.contains("Beta post"));
    assert!(
        index.contains("<p class=\"award-badge\">Best post</p>\n<h2 class=\"post-item-title\">"),
        "{index}"
    );
    assert!(index.contains("<p class=\"award-badge\">Honourable mention</p>"));
    let post = read(out.join("blog/alpha/index.html"));
    assert!(post.contains(
        "<header class=\"post-header\">\n<p class=\"award-badge\">Honourable mention</p>\n<h1"
    ));
    let poster = read(out.join("poster-session/index.html"));
    assert!(
        poster.contains("<h1>Blog post poster session</h1>"),
        "{poster}"
    );
    assert!(poster.contains("<dt>Where</dt><dd>Hall &lt;2&gt;</dd>"));
    assert!(poster.contains("<td>Posters go up</td>"));
    let a1 = poster
        .find("<span class=\"poster-place\">A1</span>")
        .expect("A1 listed");
    let a2 = poster
        .find("<span class=\"poster-place\">A2</span>")
        .expect("A2 listed");
    assert!(a1 < a2, "the best post comes first");
    assert!(
        poster.contains("Alpha &lt;b&gt;post&lt;/b&gt;</a>"),
        "titles are escaped"
    );
    // Readable without JavaScript: the whole schedule and list are in the served HTML (above).
    let about = read(out.join("about/index.html"));
    assert!(
        about.contains("<h3 class=\"award-heading\">Best post</h3>"),
        "{about}"
    );
    assert!(about.contains("2 blog posts were accepted; they are presented at the <a href=\"/2026/poster-session/\">poster session</a>."));
    assert!(read(out.join("sitemap.xml")).contains("/poster-session/"));
    let css = fs::read_dir(out.join("assets/blogtrack"))
        .expect("theme")
        .filter_map(|e| e.ok())
        .find(|e| e.file_name().to_string_lossy().ends_with(".css"))
        .expect("stylesheet");
    assert!(read(css.path()).contains(".award-badge"));
}

#[test]
fn site_data_decisions_is_there_for_pages_that_lay_it_out_themselves() {
    let (_tmp, root) = track();
    with_decisions(&root, DECISIONS);
    fs::write(
        root.join("_pages/winners.md"),
        "---\nlayout: page\ntitle: winners\npermalink: /winners/\n---\n{% for p in site.data.decisions.accepted %}[{{ p.award_label }}: {{ p.slug }} at {{ p.poster }}]{% endfor %} {{ site.data.decisions.poster_session.place }}\n",
    )
    .expect("page");
    let (o, out) = build(&root);
    assert!(o.status.success(), "{}", text(&o));
    let html = read(out.join("winners/index.html"));
    assert!(html.contains("[Best post: 2026-04-27-sample-post at A1][Honourable mention: 2026-04-27-alpha at A2] Hall &lt;2&gt;"), "{html}");
}

#[test]
fn a_typo_in_a_slug_fails_the_build_with_its_line_and_the_post_it_resembles() {
    let (_tmp, root) = track();
    with_decisions(
        &root,
        &DECISIONS.replace("slug: 2026-04-27-alpha", "slug: 2026-04-27-alpah"),
    );
    let (o, _) = build(&root);
    let log = text(&o);
    assert!(!o.status.success(), "{log}");
    assert!(log.contains("_data/decisions.yml:7"), "{log}");
    assert!(log.contains("no post is named `2026-04-27-alpah`"), "{log}");
    assert!(log.contains("did you mean `2026-04-27-alpha`"), "{log}");
}

#[test]
fn a_malformed_file_is_not_used_and_fails_the_build() {
    let (_tmp, root) = track();
    with_decisions(
        &root,
        &DECISIONS.replace("award: best-post", "award: best-psot"),
    );
    let (o, out) = build(&root);
    let log = text(&o);
    assert!(!o.status.success(), "{log}");
    assert!(log.contains("_data/decisions.yml:5"), "{log}");
    assert!(log.contains("unknown award `best-psot`"), "{log}");
    assert!(log.contains("did you mean `best-post`"), "{log}");
    // Half-read decisions publish nothing of theirs: every post is there, no badge, no page.
    assert!(!out.join("poster-session").exists());
}

#[test]
fn without_the_file_nothing_changes_and_the_include_says_why_it_is_empty() {
    let (_tmp, root) = track();
    let (o, out) = build(&root);
    assert!(o.status.success(), "{}", text(&o));
    assert!(!text(&o).contains("not published"));
    assert!(out.join("blog/beta/index.html").exists());
    assert!(!out.join("poster-session").exists());
    let index = read(out.join("blog/index.html"));
    assert!(!index.contains("award-badge"));
    let about = root.join("_pages/about.md");
    let page = read(about.clone());
    fs::write(
        &about,
        format!("{page}\n{{% include decisions/highlights.html %}}\n"),
    )
    .expect("about");
    let (o, _) = build(&root);
    let log = text(&o);
    assert!(o.status.success(), "{log}");
    assert!(log.contains("decisions-none"), "{log}");
    assert!(log.contains("run `blogtrack review publish`"), "{log}");
}
