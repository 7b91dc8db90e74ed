//! Renders every post and page of the real corpus (ICLR 2023 and 2024) with a test host.

mod common;

use std::path::{Path, PathBuf};

use blogtrack_liquid::{render, Object, Value};
use common::TestHost;

/// The body after the front matter, and the number of lines the front matter took.
fn body(text: &str) -> &str {
    let t = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some(rest) = t.strip_prefix("---") {
        if let Some(end) = rest.find("\n---") {
            let after = &rest[end + 4..];
            return after.split_once('\n').map_or("", |(_, b)| b);
        }
    }
    t
}

/// How many `{%` sit inside `{% raw %}...{% endraw %}` sections of the source.
fn tags_inside_raw(src: &str) -> usize {
    let tag = |s: &str, name: &str| -> Option<(usize, usize)> {
        let mut from = 0;
        while let Some(i) = s[from..].find("{%") {
            let st = from + i;
            let end = st + s[st..].find("%}")? + 2;
            if s[st + 2..end - 2].trim() == name {
                return Some((st, end));
            }
            from = st + 2;
        }
        None
    };
    let mut n = 0;
    let mut rest = src;
    while let Some((_, open_end)) = tag(rest, "raw") {
        let after = &rest[open_end..];
        let Some((close, close_end)) = tag(after, "endraw") else {
            break;
        };
        n += after[..close].matches("{%").count();
        rest = &after[close_end..];
    }
    n
}

fn files(corpus: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for year in ["iclr-2023", "iclr-2024"] {
        for dir in ["_posts", "_pages"] {
            let d = corpus.join(year).join(dir);
            let entries = std::fs::read_dir(&d)
                .unwrap_or_else(|e| panic!("corpus folder {} is missing: {e}", d.display()));
            for e in entries.flatten() {
                let p = e.path();
                if matches!(p.extension().and_then(|x| x.to_str()), Some("md" | "html")) {
                    out.push(p);
                }
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_corpus_post_and_page_renders_without_errors() {
    let Some(corpus) =
        blogtrack_testcorpus::require("liquid::every_corpus_post_and_page_renders_without_errors")
    else {
        return;
    };
    let mut site = Object::new();
    site.insert("baseurl".into(), Value::from("/2024"));
    site.insert(
        "url".into(),
        Value::from("https://iclr-blogposts.github.io"),
    );
    let mut globals = Object::new();
    globals.insert("site".into(), Value::Object(site));
    let files = files(&corpus);
    assert!(
        files.len() >= 35,
        "expected the 35 corpus posts and their pages"
    );
    let mut failures = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let src = body(&text);
        let r = render(src, &globals, &mut TestHost::default());
        for d in r.diagnostics.iter().filter(|d| d.is_error()) {
            failures.push(format!("{}: {d}", path.display()));
        }
        let left = r.output.matches("{%").count();
        let expected = tags_inside_raw(src);
        if left != expected {
            failures.push(format!(
                "{}: {left} `{{%` left in the output, {expected} expected from raw sections",
                path.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn corpus_markup_is_rendered_as_jekyll_did() {
    let Some(corpus) =
        blogtrack_testcorpus::require("liquid::corpus_markup_is_rendered_as_jekyll_did")
    else {
        return;
    };
    let p = corpus.join("iclr-2024/_posts/2024-05-07-distill-example.md");
    let text = std::fs::read_to_string(&p).unwrap_or_default();
    let r = render(body(&text), &Object::new(), &mut TestHost::default());
    assert!(r
        .output
        .contains(r#"{% include figure.html path="assets/img/2024-05-07-distill-example/iclr.png" class="img-fluid" %}"#));
    assert!(r.output.contains("<include figure.html path="));
    assert!(r
        .output
        .contains("<tweet https://twitter.com/rubygems/status/518821243320287232>"));
    assert!(r
        .output
        .contains("/2024/assets/html/2024-05-07-distill-example/plotly_demo_1.html"));
}
