//! Every post of the two real corpora renders without panicking, leaves no `$$` in visible text
//! outside code, and gets the heading ids kramdown gave it (a hand-checked sample).

use blogtrack_markdown::{render, MathRenderer, Options};
use std::path::{Path, PathBuf};

struct Mark;

impl MathRenderer for Mark {
    fn render_math(&mut self, _tex: &str, display: bool, _line: u32) -> String {
        if display {
            "<m-d></m-d>"
        } else {
            "<m-i></m-i>"
        }
        .to_string()
    }
}

/// The body after the front matter.
fn body(text: &str) -> &str {
    let t = text.trim_start_matches('\u{feff}');
    if let Some(rest) = t.strip_prefix("---") {
        if let Some(end) = rest.find("\n---") {
            let after = &rest[end + 4..];
            return after.split_once('\n').map_or("", |(_, b)| b);
        }
    }
    t
}

/// Text a reader sees, minus code, scripts, styles and comments.
fn visible_text(html: &str) -> String {
    let mut s = String::new();
    let mut rest = html;
    let skip = ["pre", "code", "script", "style", "textarea"];
    while let Some(p) = rest.find('<') {
        s.push_str(&rest[..p]);
        rest = &rest[p..];
        if let Some(r) = rest.strip_prefix("<!--") {
            rest = r.find("-->").map_or("", |k| &r[k + 3..]);
            continue;
        }
        let name: String = rest[1..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if let Some(n) = skip.iter().find(|n| name.eq_ignore_ascii_case(n)) {
            let close = format!("</{n}>");
            rest = rest.find(&close).map_or("", |k| &rest[k + close.len()..]);
            continue;
        }
        rest = rest.find('>').map_or("", |k| &rest[k + 1..]);
    }
    s.push_str(rest);
    s
}

fn posts(corpus: &Path) -> Vec<PathBuf> {
    let mut v = Vec::new();
    for year in ["iclr-2023", "iclr-2024"] {
        let dir = corpus.join(year).join("_posts");
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        v.extend(
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "md")),
        );
    }
    v.sort();
    v
}

#[test]
fn every_post_renders_without_stray_double_dollars() {
    let Some(corpus) =
        blogtrack_testcorpus::require("markdown::every_post_renders_without_stray_double_dollars")
    else {
        return;
    };
    let posts = posts(&corpus);
    assert!(
        posts.len() >= 30,
        "only {} posts in the corpus",
        posts.len()
    );
    let mut problems = Vec::new();
    for p in &posts {
        let text = std::fs::read_to_string(p).unwrap_or_default();
        let out = render(body(&text), &Options::default(), &mut Mark);
        let vis = visible_text(&out.html);
        for (i, line) in vis.lines().enumerate() {
            if line.contains("$$") {
                problems.push(format!(
                    "{}: visible line {}: {}",
                    p.display(),
                    i + 1,
                    line.trim()
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

fn ids_of(corpus: &Path, name: &str) -> Vec<String> {
    let p = corpus.join(name);
    let text = std::fs::read_to_string(&p).unwrap_or_default();
    render(body(&text), &Options::default(), &mut Mark)
        .headings
        .into_iter()
        .map(|h| h.id)
        .collect()
}

#[test]
fn heading_ids_match_kramdown_on_a_sample() {
    let Some(corpus) =
        blogtrack_testcorpus::require("markdown::heading_ids_match_kramdown_on_a_sample")
    else {
        return;
    };
    let ids = ids_of(
        &corpus,
        "iclr-2023/_posts/2023-05-01-autoregressive-neural-pde-solver.md",
    );
    assert!(
        ids.contains(&"lets-brush-up-on-the-basics".to_string()),
        "{ids:?}"
    );
    assert!(
        ids.contains(&"message-passing-neural-pde-solver-mp-pde".to_string()),
        "{ids:?}"
    );
    assert!(
        ids.contains(&"fully-neuraluniversal-function-approximators".to_string()),
        "{ids:?}"
    );
    let ids = ids_of(&corpus, "iclr-2023/_posts/2023-05-01-adamw.md");
    assert!(
        ids.contains(&"span-stylefont-familymonospaceadamwspan-is-scale-free".to_string()),
        "{ids:?}"
    );
    let ids = ids_of(
        &corpus,
        "iclr-2023/_posts/2023-05-01-bsuite-applications.md",
    );
    assert!(ids.contains(&"0-introduction".to_string()), "{ids:?}");
    assert!(
        ids.contains(&"off-the-shelf-improvements".to_string()),
        "{ids:?}"
    );
}
