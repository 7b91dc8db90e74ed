//! The author's and organizer's day, through the real binary: `init` writes a track that builds
//! without a warning, `new` adds a submission that builds without a warning, and `preview`
//! publishes a deliberately non-anonymized submission without any trace of its authors, with
//! every link inside its URL prefix, byte for byte the same on every run.

use blogtrack_testcorpus::copy_tree;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_blogtrack"))
}

/// A fresh scratch folder for one test (removed when dropped).
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let p = std::env::temp_dir().join(format!("bt-day-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&p);
        fs::create_dir_all(&p).expect("scratch folder");
        Scratch(p)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("the binary runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

/// Builds `src` with the library and returns every diagnostic, formatted.
fn build_problems(src: &Path, out: &Path) -> Vec<String> {
    let report = blogtrack::build::build(&blogtrack::build::BuildOptions {
        source: src.to_path_buf(),
        output: out.to_path_buf(),
        strict: true,
        noindex: false,
        base_url: None,
    })
    .expect("build runs");
    assert_eq!(report.posts_failed, 0);
    report
        .diagnostics
        .0
        .iter()
        .map(|d| format!("{}: {} ({:?})", d.location(), d.message, d.hint))
        .collect()
}

/// All files under `dir`, by `/`-separated relative path.
fn files_of(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("inside");
            (
                rel.to_string_lossy().replace('\\', "/"),
                fs::read(e.path()).expect("readable"),
            )
        })
        .collect()
}

#[test]
fn init_writes_the_demo_and_it_builds_without_a_single_warning() {
    let s = Scratch::new("init");
    let track = s.0.join("track");
    let o = run(bin().arg("init").arg(&track));
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(track.join("_config.yml").is_file());
    assert!(track.join("_posts/2026-04-27-sample-post.md").is_file());
    let problems = build_problems(&track, &s.0.join("site"));
    assert!(problems.is_empty(), "{problems:#?}");
    let post = fs::read_to_string(s.0.join("site/blog/sample-post/index.html")).expect("post");
    // Build-time math, numbered equations, citations, footnotes, code, figures, iframe.
    for needle in [
        "<math",
        "class=\"eqref\"",
        "class=\"cite-marker\"",
        "temperatures.svg",
        "temperature.html",
        "<iframe",
        "<details>",
    ] {
        assert!(post.contains(needle), "the sample post shows `{needle}`");
    }
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let s = Scratch::new("init-refuse");
    fs::write(s.0.join("notes.txt"), "mine").expect("write");
    let o = run(bin().arg("init").arg(&s.0));
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("is not empty (it contains `notes.txt`)"),
        "{err}"
    );
    assert_eq!(
        fs::read_to_string(s.0.join("notes.txt")).expect("kept"),
        "mine"
    );
    assert!(!s.0.join("_config.yml").exists());
}

#[test]
fn new_scaffolds_a_submission_that_builds_without_a_warning() {
    let s = Scratch::new("new");
    let track = s.0.join("track");
    assert!(run(bin().arg("init").arg(&track)).status.success());
    let o = run(bin().args(["new", "my-first-post", "--track"]).arg(&track));
    assert!(o.status.success(), "{}", stderr(&o));
    // The date prefix is the track's blogtrack.post_date.
    let slug = "2026-04-27-my-first-post";
    let post = fs::read_to_string(track.join(format!("_posts/{slug}.md"))).expect("post");
    assert!(post.contains("  - name: Anonymous\n"));
    assert!(post.contains(&format!("bibliography: {slug}.bib")));
    assert!(track
        .join(format!("assets/bibliography/{slug}.bib"))
        .is_file());
    assert!(track.join(format!("assets/img/{slug}/.gitkeep")).is_file());
    assert!(track.join(format!("assets/html/{slug}/.gitkeep")).is_file());

    let problems = build_problems(&track, &s.0.join("site"));
    assert!(problems.is_empty(), "{problems:#?}");
    let html = fs::read_to_string(s.0.join("site/blog/my-first-post/index.html")).expect("built");
    assert!(html.contains("Shannon"), "the example citation is listed");

    // A second `new` with the same name is a clash, and nothing is overwritten.
    fs::write(track.join(format!("_posts/{slug}.md")), "edited").expect("edit");
    let o = run(bin().args(["new", "my-first-post", "--track"]).arg(&track));
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("already exists"), "{}", stderr(&o));
    assert_eq!(
        fs::read_to_string(track.join(format!("_posts/{slug}.md"))).expect("kept"),
        "edited"
    );
}

#[test]
fn new_explains_how_to_fix_a_bad_name() {
    let s = Scratch::new("new-name");
    let o = run(bin().args(["new", "My Post!", "--track"]).arg(&s.0));
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("try `my-post`"), "{}", stderr(&o));
}

/// The named fixture, with a PNG and a JPEG that carry the author's name in their metadata.
fn named_track(s: &Scratch) -> PathBuf {
    let track = s.0.join("track");
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/day/named-post"),
        &track,
    );
    let img = track.join("assets/img/2026-04-27-named-post");
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    for (kind, data) in [
        (&b"IHDR"[..], &[0u8, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0][..]),
        (b"tEXt", b"Author\0Jane Qwertyson"),
        (b"IDAT", b"x"),
        (b"IEND", b""),
    ] {
        png.extend((data.len() as u32).to_be_bytes());
        png.extend(kind);
        png.extend(data);
        png.extend([0, 0, 0, 0]);
    }
    fs::write(img.join("photo.png"), png).expect("png");
    let mut jpg = vec![0xFF, 0xD8, 0xFF, 0xE1, 0, 25];
    jpg.extend(b"Exif\0\0Rui Plonkett\0\0\0\0\0");
    jpg.extend([0xFF, 0xDA, 0, 2, 0xFF, 0xD9]);
    fs::write(img.join("photo.jpg"), jpg).expect("jpg");
    track
}

fn preview(track: &Path, out: &Path) -> Output {
    run(bin()
        .arg("preview")
        .arg(track)
        .args(["--post", "2026-04-27-named-post", "--pr", "12"])
        .args(["--base-url", "https://previews.example.org/2026"])
        .arg("-o")
        .arg(out))
}

#[test]
fn preview_publishes_no_trace_of_the_authors() {
    let s = Scratch::new("preview-anon");
    let track = named_track(&s);
    let out = s.0.join("previews");
    let o = preview(&track, &out);
    assert!(o.status.success(), "{}", stderr(&o));
    let site = out.join("2026-04-27-named-post-12");
    let files = files_of(&site);
    assert!(files.contains_key("blog/named-post/index.html"));
    assert!(files.contains_key("assets/img/2026-04-27-named-post/photo.png"));
    assert!(files.contains_key("assets/html/2026-04-27-named-post/plot.html"));
    let forbidden = [
        "qwertyson",
        "janeqwertyson.example.net",
        "zyxwv",
        "plonkett",
        // The other submission and the organizers' pages are not published.
        "zzyzx",
        "another submission",
    ];
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes).to_lowercase();
        for f in forbidden {
            assert!(!text.contains(f), "`{f}` appears in {path}");
        }
    }
    assert!(!files.keys().any(|p| p.starts_with("about/")));
    assert!(!files.keys().any(|p| p.contains("other-post")));
    let post = String::from_utf8_lossy(&files["blog/named-post/index.html"]).to_string();
    assert!(post.contains("Anonymous"));
    assert!(post.contains("noindex"), "pages ask not to be indexed");
    assert_eq!(
        String::from_utf8_lossy(&files["robots.txt"]),
        "User-agent: *\nDisallow: /\n"
    );
    // The comment for the pull request is on stdout.
    let comment = String::from_utf8_lossy(&o.stdout);
    assert!(
        comment.contains(
            "(<https://previews.example.org/2026/2026-04-27-named-post-12/blog/named-post/>)"
        ),
        "{comment}"
    );
}

/// Every `href`/`src` value in an HTML text.
fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            let v = &rest[i + attr.len()..];
            let end = v.find('"').unwrap_or(v.len());
            out.push(v[..end].replace("&amp;", "&"));
            rest = &v[end..];
        }
    }
    out
}

#[test]
fn every_local_link_of_a_preview_resolves_under_its_prefix() {
    let s = Scratch::new("preview-links");
    let track = named_track(&s);
    let out = s.0.join("previews");
    assert!(preview(&track, &out).status.success());
    let prefix = "/2026/2026-04-27-named-post-12/";
    let host = "https://previews.example.org";
    let mut checked = 0;
    for (path, bytes) in files_of(&out) {
        if !path.ends_with(".html") || path.contains("/assets/html/") {
            continue;
        }
        let html = String::from_utf8_lossy(&bytes).to_string();
        let dir_url = format!("/2026/{}", &path[..path.rfind('/').map_or(0, |i| i + 1)]);
        for link in links(&html) {
            let link = link.split(['#', '?']).next().unwrap_or("").to_string();
            let url = if link.is_empty() || link.starts_with("data:") || link.starts_with("mailto:")
            {
                continue;
            } else if let Some(p) = link.strip_prefix(host) {
                p.to_string()
            } else if link.starts_with("http://") || link.starts_with("https://") {
                continue; // external (citations, the CC licence)
            } else if link.starts_with('/') {
                link.clone()
            } else {
                format!("{dir_url}{link}")
            };
            assert!(
                url.starts_with(prefix),
                "{path}: `{link}` leaves the prefix"
            );
            let mut file = out.join(url.trim_start_matches("/2026/"));
            if url.ends_with('/') {
                file = file.join("index.html");
            }
            assert!(file.is_file(), "{path}: `{link}` resolves to no file");
            checked += 1;
        }
    }
    assert!(checked > 20, "only {checked} links checked");
}

#[test]
fn a_preview_is_the_same_bytes_every_time() {
    let s = Scratch::new("preview-determinism");
    let track = named_track(&s);
    let (a, b) = (s.0.join("a"), s.0.join("b"));
    let oa = preview(&track, &a);
    let ob = preview(&track, &b);
    assert_eq!(oa.stdout, ob.stdout, "same comment");
    let (fa, fb) = (files_of(&a), files_of(&b));
    assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
    for (k, v) in &fa {
        assert!(fb[k] == *v, "{k} differs between runs");
    }
}

#[test]
fn preview_names_an_unknown_post_with_a_suggestion() {
    let s = Scratch::new("preview-unknown");
    let track = named_track(&s);
    let o = run(bin()
        .arg("preview")
        .arg(&track)
        .args(["--post", "2026-04-27-named-pots", "-o"])
        .arg(s.0.join("out")));
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean `2026-04-27-named-post`?"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn identity_left_in_the_post_itself_is_reported_not_hidden() {
    let s = Scratch::new("preview-leak");
    let track = named_track(&s);
    let post = track.join("_posts/2026-04-27-named-post.md");
    let text = fs::read_to_string(&post).expect("post");
    fs::write(
        &post,
        text + "\nThanks to the Zyxwv Institute of Technology for compute.\n",
    )
    .expect("edit");
    let o = preview(&track, &s.0.join("out"));
    assert!(o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("`zyxwv institute of technology` from the front matter's authors still appears in the preview"),
        "{err}"
    );
    assert!(err.contains("blog/named-post/index.html"), "{err}");
}

/// A one-page PDF, written object by object with its cross-reference table, whose information
/// dictionary and XMP packet name `who` and a home folder.
fn pdf_naming(who: &str, home: &str) -> Vec<u8> {
    let packet = format!(
        "<x:xmpmeta><dc:creator><rdf:Seq><rdf:li>{who}</rdf:li></rdf:Seq></dc:creator></x:xmpmeta>"
    );
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R /Metadata 4 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>".to_string(),
        format!(
            "<< /Type /Metadata /Subtype /XML /Length {} >>\nstream\n{packet}\nendstream",
            packet.len() + 1
        ),
        format!("<< /Author ({who}) /Creator ({home}/bin/plotter) >>"),
    ];
    let mut pdf = String::from("%PDF-1.5\n");
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.push_str(&format!("{} 0 obj\n{body}\nendobj\n", i + 1));
    }
    let xref = pdf.len();
    pdf.push_str(&format!(
        "xref\n0 {}\n0000000000 65535 f \n",
        objects.len() + 1
    ));
    for o in offsets {
        pdf.push_str(&format!("{o:010} 00000 n \n"));
    }
    pdf.push_str(&format!(
        "trailer\n<< /Size {} /Root 1 0 R /Info 5 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    ));
    pdf.into_bytes()
}

#[test]
fn preview_removes_names_and_home_paths_from_pdfs_svgs_notebooks_and_figures() {
    let s = Scratch::new("preview-files");
    let track = named_track(&s);
    let img = track.join("assets/img/2026-04-27-named-post");
    let html = track.join("assets/html/2026-04-27-named-post");
    fs::write(
        img.join("paper.pdf"),
        pdf_naming("Wilma Krastova", "/home/wkrastova"),
    )
    .expect("pdf");
    fs::write(
        img.join("diagram.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\" sodipodi:docname=\"krastova-diagram.svg\" inkscape:export-filename=\"/home/wkrastova/figs/d.png\">\n<metadata><rdf:RDF><cc:Work><dc:creator><cc:Agent><dc:title>Wilma Krastova</dc:title></cc:Agent></dc:creator></cc:Work></rdf:RDF></metadata>\n<text preamble=\"\\input{/Users/wkrastova/tex/defs}\">x</text><rect width=\"1\" height=\"1\"/></svg>\n",
    )
    .expect("svg");
    fs::write(
        html.join("run.ipynb"),
        "{\"cells\": [{\"cell_type\": \"code\", \"metadata\": {}, \"outputs\": [{\"text\": [\"/home/wkrastova/venv/x.py:1: Warning\"]}], \"source\": []}], \"metadata\": {\"authors\": [{\"name\": \"Wilma Krastova\"}]}, \"nbformat\": 4, \"nbformat_minor\": 5}",
    )
    .expect("notebook");
    fs::write(
        html.join("local.html"),
        "<html><script src=\"file:///Users/wkrastova/plots/lib.js\"></script><body>plot</body></html>",
    )
    .expect("html");
    // Not a PNG at all: its metadata cannot be removed, so it must not be published.
    fs::write(img.join("broken.png"), "Wilma Krastova's notes").expect("broken");
    let out = s.0.join("previews");
    let o = preview(&track, &out);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("preview-uncleanable"), "{err}");
    for counted in [
        "1 PDF (",
        " SVG (",
        "1 HTML (",
        "1 notebook (",
        "1 PNG (",
        "1 JPEG (",
    ] {
        assert!(
            err.contains(counted),
            "`{counted}` missing from the summary: {err}"
        );
    }
    let files = files_of(&out.join("2026-04-27-named-post-12"));
    for kept in ["paper.pdf", "diagram.svg"] {
        assert!(files.contains_key(&format!("assets/img/2026-04-27-named-post/{kept}")));
    }
    assert!(!files.contains_key("assets/img/2026-04-27-named-post/broken.png"));
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes).to_lowercase();
        for f in ["krastova", "/home/w", "/users/w"] {
            assert!(!text.contains(f), "`{f}` appears in {path}");
        }
    }
}

#[test]
fn a_preview_sends_phones_the_smaller_copies_of_its_figures() {
    let s = Scratch::new("preview-variants");
    let track = named_track(&s);
    let img = track.join("assets/img/2026-04-27-named-post");
    image::RgbImage::from_fn(1000, 400, |x, y| {
        image::Rgb([(x % 251) as u8, (y % 241) as u8, 40])
    })
    .save(img.join("wide.png"))
    .expect("png");
    let post = track.join("_posts/2026-04-27-named-post.md");
    let text = fs::read_to_string(&post).expect("post");
    fs::write(
        &post,
        format!("{text}\n\n{{% include figure.html path=\"assets/img/2026-04-27-named-post/wide.png\" %}}\n"),
    )
    .expect("write post");
    let out = s.0.join("previews");
    let o = preview(&track, &out);
    assert!(o.status.success(), "{}", stderr(&o));
    let site = out.join("2026-04-27-named-post-12");
    let files = files_of(&site);
    for w in [480, 800] {
        let v = format!("assets/img/2026-04-27-named-post/wide-{w}.webp");
        let bytes = files
            .get(&v)
            .unwrap_or_else(|| panic!("no {v} in the preview"));
        assert!(
            bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP",
            "{v} is not WebP"
        );
    }
    assert!(!files.contains_key("assets/img/2026-04-27-named-post/wide-1400.webp"));
    let page = String::from_utf8_lossy(&files["blog/named-post/index.html"]).into_owned();
    assert!(
        page.contains(
            "/2026/2026-04-27-named-post-12/assets/img/2026-04-27-named-post/wide-480.webp 480w"
        ),
        "the figure has no srcset over the preview's copies"
    );
    // The copies are cached beside the output root, not published inside it.
    assert!(!files.keys().any(|p| p.contains(".blogtrack-cache")));
}
