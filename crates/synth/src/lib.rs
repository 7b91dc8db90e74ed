//! Synthetic blog-post tracks for benchmarks: N realistic posts, deterministic for (N, seed).
//!
//! [`write_track`] writes a Jekyll/al-folio track in the ICLR Blogposts format: `_config.yml`,
//! an about page, and N posts, each with front matter (authors, description, bibliography, a
//! `toc`), headings, paragraphs, lists, a table, fenced code in a few languages, inline `$…$`
//! and display `$$…$$` math, `<d-cite>` citations into its own `.bib` of ~30 entries,
//! `<d-footnote>`s, and two `figure.html` includes pointing at small real PNG images.
//! [`write_hugo_site`] writes the same posts as a minimal Hugo site (Hugo front matter, the
//! `{% include %}` tags turned into plain `<figure>` HTML, minimal templates), so both generators
//! build the same text in one benchmark run.
//!
//! What it is not: a fuzzer (every post is valid) or a model of any real post's content. The
//! text is drawn from a fixed vocabulary by a seeded SplitMix64 generator, so the same N and seed
//! always give byte-identical files on every machine.

mod png;

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

/// The post date shared by every synthetic post (a track publishes all posts on one day).
pub const POST_DATE: &str = "2024-05-07";

/// A small, fast, seedable generator (SplitMix64): deterministic across platforms.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const WORDS: &[&str] = &[
    "gradient",
    "model",
    "training",
    "loss",
    "network",
    "attention",
    "layer",
    "optimizer",
    "dataset",
    "benchmark",
    "sample",
    "variance",
    "kernel",
    "policy",
    "reward",
    "embedding",
    "token",
    "transformer",
    "diffusion",
    "score",
    "noise",
    "schedule",
    "batch",
    "learning",
    "rate",
    "convergence",
    "generalization",
    "robustness",
    "calibration",
    "uncertainty",
    "posterior",
    "prior",
    "likelihood",
    "estimator",
    "bias",
    "regularization",
    "sparsity",
    "pruning",
    "distillation",
    "scaling",
    "law",
    "compute",
    "memory",
    "latency",
    "throughput",
    "accuracy",
    "theorem",
    "proof",
    "lemma",
    "bound",
    "we",
    "show",
    "that",
    "the",
    "a",
    "of",
    "in",
    "and",
    "is",
    "this",
    "with",
    "for",
    "on",
    "as",
    "which",
    "under",
    "simple",
    "strong",
    "weak",
    "empirical",
    "analysis",
    "result",
    "experiment",
    "figure",
    "table",
    "claim",
    "argue",
    "observe",
    "measure",
    "compare",
    "baseline",
    "method",
    "approach",
    "surprisingly",
    "however",
    "moreover",
    "therefore",
    "intuitively",
    "formally",
    "roughly",
    "exactly",
];

const TOPICS: &[&str] = &[
    "Hessian-vector products",
    "implicit bias",
    "in-context learning",
    "sharpness",
    "mixture of experts",
    "state-space models",
    "score matching",
    "reward hacking",
    "weight decay",
    "label smoothing",
    "data pruning",
    "tokenization",
    "grokking",
    "double descent",
    "neural tangent kernels",
    "contrastive learning",
];

const SURNAMES: &[&str] = &[
    "Smith", "Garcia", "Chen", "Okafor", "Müller", "Rossi", "Tanaka", "Kowalski", "Dubois",
    "Novak", "Silva", "Ivanova", "Haddad", "Nguyen", "Larsen", "Moreau", "Kim", "Patel",
];

const VENUES: &[&str] = &[
    "International Conference on Learning Representations",
    "Advances in Neural Information Processing Systems",
    "International Conference on Machine Learning",
    "Journal of Machine Learning Research",
    "Conference on Computer Vision and Pattern Recognition",
];

const INLINE_MATH: &[&str] = &[
    r"\nabla_\theta \mathcal{L}(\theta)",
    r"x \in \mathbb{R}^d",
    r"\eta_t = \eta_0 / \sqrt{t}",
    r"\|W\|_F^2",
    r"p_\theta(x \mid z)",
    r"\mathbb{E}[X] = \mu",
    r"\sigma^2 \ll 1",
    r"O(n \log n)",
];

const DISPLAY_MATH: &[&str] = &[
    r"\mathcal{L}(\theta) = \frac{1}{n} \sum_{i=1}^{n} \ell(f_\theta(x_i), y_i) + \lambda \|\theta\|_2^2",
    r"\theta_{t+1} = \theta_t - \eta \nabla_\theta \mathcal{L}(\theta_t)",
    r"\mathrm{Attention}(Q, K, V) = \mathrm{softmax}\left(\frac{QK^\top}{\sqrt{d_k}}\right) V",
    r"p(\theta \mid \mathcal{D}) = \frac{p(\mathcal{D} \mid \theta)\, p(\theta)}{\int p(\mathcal{D} \mid \theta')\, p(\theta')\, d\theta'}",
    r"\begin{aligned} H v &= \nabla_\theta \left( \nabla_\theta \mathcal{L}^\top v \right) \\ &= \lim_{\epsilon \to 0} \frac{\nabla \mathcal{L}(\theta + \epsilon v) - \nabla \mathcal{L}(\theta)}{\epsilon} \end{aligned}",
];

const CODE: &[(&str, &str)] = &[
    (
        "python",
        "import torch\n\ndef hvp(loss, params, v):\n    grads = torch.autograd.grad(loss, params, create_graph=True)\n    dot = sum((g * x).sum() for g, x in zip(grads, v))\n    return torch.autograd.grad(dot, params)\n\nfor step in range(1000):\n    loss = model(batch).mean()  # forward\n    loss.backward()\n    opt.step()\n",
    ),
    (
        "rust",
        "fn softmax(xs: &[f32]) -> Vec<f32> {\n    let max = xs.iter().cloned().fold(f32::MIN, f32::max);\n    let exp: Vec<f32> = xs.iter().map(|x| (x - max).exp()).collect();\n    let sum: f32 = exp.iter().sum();\n    exp.into_iter().map(|e| e / sum).collect()\n}\n",
    ),
    (
        "bash",
        "#!/usr/bin/env bash\nset -euo pipefail\nfor seed in 0 1 2 3; do\n  python train.py --seed \"$seed\" --lr 3e-4 > \"logs/run-$seed.txt\"\ndone\n",
    ),
    (
        "javascript",
        "const ctx = document.getElementById('plot').getContext('2d');\nconst data = losses.map((y, x) => ({ x, y }));\nnew Chart(ctx, { type: 'line', data: { datasets: [{ data }] } });\n",
    ),
];

fn sentence(rng: &mut Rng, min: usize, max: usize) -> String {
    let n = min + rng.below(max - min + 1);
    let mut s = String::new();
    for i in 0..n {
        let w = rng.pick(WORDS);
        if i == 0 {
            let mut c = w.chars();
            if let Some(f) = c.next() {
                s.extend(f.to_uppercase());
                s.push_str(c.as_str());
            }
        } else {
            s.push(' ');
            s.push_str(w);
        }
    }
    s.push('.');
    s
}

/// A paragraph, sprinkled with inline math, citations and a footnote.
fn paragraph(rng: &mut Rng, keys: &[String]) -> String {
    let mut p = String::new();
    for i in 0..(4 + rng.below(4)) {
        if i > 0 {
            p.push(' ');
        }
        p.push_str(&sentence(rng, 8, 20));
        match rng.below(8) {
            0 | 1 => {
                let _ = write!(p, " Here ${}$ holds.", rng.pick(INLINE_MATH));
            }
            2 | 3 => {
                let k = &keys[rng.below(keys.len())];
                p.pop();
                let _ = write!(p, "<d-cite key=\"{k}\"></d-cite>.");
            }
            4 => {
                let a = &keys[rng.below(keys.len())];
                let b = &keys[rng.below(keys.len())];
                p.pop();
                let _ = write!(p, "<d-cite key=\"{a},{b}\"></d-cite>.");
            }
            5 => {
                let _ = write!(p, "<d-footnote>{}</d-footnote>", sentence(rng, 6, 14));
            }
            6 => {
                let _ = write!(p, " See **{}** and _{}_.", rng.pick(WORDS), rng.pick(WORDS));
            }
            _ => {}
        }
    }
    p
}

fn title_case(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// One generated post: file names and texts, independent of any output format.
#[derive(Debug, Clone)]
pub struct Post {
    /// `synth-00042`.
    pub slug: String,
    pub title: String,
    pub description: String,
    /// `(name, subsection names)` in order; the headings of the body.
    pub sections: Vec<(String, Vec<String>)>,
    /// The Markdown body, with `{% include figure.html … %}` tags.
    pub body: String,
    /// The `.bib` file.
    pub bib: String,
    /// `(track-relative path, PNG bytes)`.
    pub images: Vec<(String, Vec<u8>)>,
}

/// Generates post `i` of a corpus with `seed` (independent of N, so N=1,000 is a prefix of
/// N=10,000).
pub fn post(i: usize, seed: u64) -> Post {
    let mut rng = Rng::new(seed ^ (i as u64).wrapping_mul(0x2545_f491_4f6c_dd1d));
    let slug = format!("synth-{i:05}");
    let topic = rng.pick(TOPICS);
    let title = format!(
        "{} {}: {} {}",
        title_case(topic),
        i,
        title_case(rng.pick(WORDS)),
        rng.pick(WORDS)
    );
    let description = sentence(&mut rng, 14, 24);

    // ~30 bibliography entries.
    let n_refs = 26 + rng.below(9);
    let mut bib = String::new();
    let mut keys = Vec::new();
    for r in 0..n_refs {
        let a = rng.pick(SURNAMES);
        let b = rng.pick(SURNAMES);
        let year = 2010 + rng.below(15);
        let key = format!("{}{year}{}", a.to_lowercase().replace('ü', "u"), r);
        let kind = if r % 3 == 0 {
            "inproceedings"
        } else {
            "article"
        };
        let venue_field = if kind == "article" {
            "journal"
        } else {
            "booktitle"
        };
        let _ = write!(
            bib,
            "@{kind}{{{key},\n  title = {{{{{}}}: {}}},\n  author = {{{a}, Alex and {b}, Jordan and Doe, Sam}},\n  {venue_field} = {{{}}},\n  year = {{{year}}},\n  url = {{https://example.org/papers/{key}}}\n}}\n\n",
            title_case(rng.pick(TOPICS)),
            sentence(&mut rng, 4, 9).trim_end_matches('.'),
            rng.pick(VENUES),
        );
        keys.push(key);
    }

    let mut sections = Vec::new();
    let n_sections = 4 + rng.below(3);
    for s in 0..n_sections {
        let name = format!("{} {}", title_case(rng.pick(WORDS)), s + 1);
        let subs = (0..rng.below(3))
            .map(|k| format!("{} {}.{}", title_case(rng.pick(WORDS)), s + 1, k + 1))
            .collect();
        sections.push((name, subs));
    }

    let mut body = String::new();
    let mut images = Vec::new();
    for (s, (name, subs)) in sections.iter().enumerate() {
        let _ = writeln!(body, "## {name}\n");
        for _ in 0..2 {
            let _ = writeln!(body, "{}\n", paragraph(&mut rng, &keys));
        }
        match s % 4 {
            0 => {
                let _ = writeln!(body, "$$\n{}\n$$\n", rng.pick(DISPLAY_MATH));
                for _ in 0..(3 + rng.below(3)) {
                    let _ = writeln!(
                        body,
                        "- {} ${}$",
                        sentence(&mut rng, 4, 10),
                        rng.pick(INLINE_MATH)
                    );
                }
                body.push('\n');
            }
            1 => {
                let (lang, code) = CODE[rng.below(CODE.len())];
                // A first line proper to this post and block: real posts do not share their
                // code, so a build must not get it highlighted for free from another post.
                let comment = if matches!(lang, "python" | "bash") {
                    "#"
                } else {
                    "//"
                };
                let listing = body.matches("```").count() / 2 + 1;
                let _ = writeln!(
                    body,
                    "```{lang}\n{comment} listing {listing} of post {i}\n{code}```\n"
                );
                for k in 1..=3 {
                    let _ = writeln!(body, "{k}. {}", sentence(&mut rng, 5, 12));
                }
                body.push('\n');
            }
            2 => {
                body.push_str("| Method | Accuracy | Time (s) |\n|:--|--:|--:|\n");
                for _ in 0..(3 + rng.below(4)) {
                    let _ = writeln!(
                        body,
                        "| {} | {}.{} | {} |",
                        title_case(rng.pick(WORDS)),
                        60 + rng.below(40),
                        rng.below(10),
                        1 + rng.below(500)
                    );
                }
                body.push('\n');
            }
            _ => {
                let _ = writeln!(body, "$$\n{}\n$$\n", rng.pick(DISPLAY_MATH));
            }
        }
        if s < 2 {
            let path = format!("assets/img/{POST_DATE}-{slug}/fig{}.png", s + 1);
            let (w, h) = (48 + 8 * rng.below(5) as u32, 32 + 8 * rng.below(3) as u32);
            let (r0, g0) = (rng.below(256) as u32, rng.below(256) as u32);
            let png = png::encode(w, h, |x, y| {
                [
                    ((x * 255 / w + r0) % 256) as u8,
                    ((y * 255 / h + g0) % 256) as u8,
                    128,
                ]
            });
            let _ = writeln!(
                body,
                "{{% include figure.html path=\"{path}\" class=\"img-fluid\" caption=\"{}\" %}}\n",
                sentence(&mut rng, 4, 8)
            );
            images.push((path, png));
        }
        for sub in subs {
            let _ = writeln!(body, "### {sub}\n");
            let _ = writeln!(body, "{}\n", paragraph(&mut rng, &keys));
        }
    }
    Post {
        slug,
        title,
        description,
        sections,
        body,
        bib,
        images,
    }
}

fn yaml_quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The post file of the Jekyll track (front matter + body).
pub fn jekyll_post(p: &Post) -> String {
    let mut s = String::from("---\nlayout: distill\n");
    let _ = writeln!(s, "title: {}", yaml_quote(&p.title));
    let _ = writeln!(s, "description: {}", yaml_quote(&p.description));
    let _ = writeln!(s, "date: {POST_DATE}\nfuture: true\nhtmlwidgets: true\n");
    s.push_str("authors:\n  - name: Anonymous\n    url: \"\"\n    affiliations:\n      name: Anonymous\n\n");
    let _ = writeln!(s, "bibliography: {POST_DATE}-{}.bib\n", p.slug);
    s.push_str("toc:\n");
    for (name, subs) in &p.sections {
        let _ = writeln!(s, "  - name: {name}");
        if !subs.is_empty() {
            s.push_str("    subsections:\n");
            for sub in subs {
                let _ = writeln!(s, "      - name: {sub}");
            }
        }
    }
    s.push_str("---\n\n");
    s.push_str(&p.body);
    s
}

const CONFIG: &str = "title: Synthetic Blogposts
description: >
  A generated track for benchmarks.
url: https://example.org
baseurl: /synth
lang: en
permalink: /blog/:title/
blog_name: blogposts
blog_nav_title: blog
blog_description: Blog Posts
enable_darkmode: true
max_width: 1000px
";

const ABOUT: &str = "---
layout: page
title: about
permalink: /about/
nav: true
nav_order: 1
---

A synthetic track for measuring build times. Every post is generated from a seed.
";

fn write_file(root: &Path, rel: &str, bytes: &[u8]) -> io::Result<()> {
    let path = root.join(rel);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, bytes)
}

/// Writes a track of `n` posts into `dir` (created if missing; existing files are overwritten,
/// other files left alone). Returns the number of files written.
pub fn write_track(dir: &Path, n: usize, seed: u64) -> io::Result<usize> {
    write_file(dir, "_config.yml", CONFIG.as_bytes())?;
    write_file(dir, "_pages/about.md", ABOUT.as_bytes())?;
    let mut files = 2;
    for i in 0..n {
        let p = post(i, seed);
        write_file(
            dir,
            &format!("_posts/{POST_DATE}-{}.md", p.slug),
            jekyll_post(&p).as_bytes(),
        )?;
        write_file(
            dir,
            &format!("assets/bibliography/{POST_DATE}-{}.bib", p.slug),
            p.bib.as_bytes(),
        )?;
        for (path, png) in &p.images {
            write_file(dir, path, png)?;
        }
        files += 2 + p.images.len();
    }
    Ok(files)
}

/// The Hugo copy of a post body: figure includes become plain `<figure>` HTML (Hugo has no
/// Liquid), with the same image under Hugo's `static/`.
pub fn hugo_body(p: &Post) -> String {
    let mut out = String::with_capacity(p.body.len());
    for line in p.body.lines() {
        if let Some(rest) = line.strip_prefix("{% include figure.html path=\"") {
            let path = rest.split('"').next().unwrap_or("");
            let caption = rest
                .split("caption=\"")
                .nth(1)
                .and_then(|c| c.split('"').next())
                .unwrap_or("");
            let _ = writeln!(
                out,
                "<figure><img src=\"/{path}\" class=\"img-fluid\" loading=\"lazy\"><figcaption>{caption}</figcaption></figure>"
            );
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

const HUGO_CONFIG: &str = "baseURL = 'https://example.org/synth/'
languageCode = 'en'
title = 'Synthetic Blogposts'
disableKinds = ['taxonomy', 'term']
[markup.goldmark.renderer]
unsafe = true
[markup.highlight]
codeFences = true
noClasses = false
[markup.tableOfContents]
startLevel = 2
endLevel = 3
";

const HUGO_BASEOF: &str = "<!DOCTYPE html>
<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{{ .Title }} | {{ .Site.Title }}</title>
<meta name=\"description\" content=\"{{ .Description }}\"></head>
<body><nav><a href=\"{{ .Site.BaseURL }}\">{{ .Site.Title }}</a></nav>
{{ block \"main\" . }}{{ end }}
</body></html>
";

const HUGO_SINGLE: &str = "{{ define \"main\" }}<article><h1>{{ .Title }}</h1>
<p>{{ .Description }}</p><p>{{ .Date.Format \"January 2, 2006\" }}</p>
<aside>{{ .TableOfContents }}</aside>
{{ .Content }}</article>{{ end }}
";

const HUGO_LIST: &str = "{{ define \"main\" }}<ul>{{ range .Pages }}
<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a> {{ .Description }}</li>{{ end }}
</ul>{{ end }}
";

/// Writes the same `n` posts as a minimal Hugo site into `dir`: `hugo.toml`, templates for
/// the base page, a post and the list, `content/blog/SLUG.md` and the images under `static/`.
pub fn write_hugo_site(dir: &Path, n: usize, seed: u64) -> io::Result<usize> {
    write_file(dir, "hugo.toml", HUGO_CONFIG.as_bytes())?;
    write_file(dir, "layouts/_default/baseof.html", HUGO_BASEOF.as_bytes())?;
    write_file(dir, "layouts/_default/single.html", HUGO_SINGLE.as_bytes())?;
    write_file(dir, "layouts/_default/list.html", HUGO_LIST.as_bytes())?;
    write_file(dir, "layouts/index.html", HUGO_LIST.as_bytes())?;
    let mut files = 5;
    for i in 0..n {
        let p = post(i, seed);
        let mut s = String::from("---\n");
        let _ = writeln!(s, "title: {}", yaml_quote(&p.title));
        let _ = writeln!(s, "description: {}", yaml_quote(&p.description));
        let _ = writeln!(s, "date: {POST_DATE}\nslug: {}\n---\n", p.slug);
        s.push_str(&hugo_body(&p));
        write_file(dir, &format!("content/blog/{}.md", p.slug), s.as_bytes())?;
        for (path, png) in &p.images {
            write_file(dir, &format!("static/{path}"), png)?;
        }
        files += 1 + p.images.len();
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_post_and_another_seed_does_not() {
        let a = post(3, 7);
        let b = post(3, 7);
        assert_eq!(jekyll_post(&a), jekyll_post(&b));
        assert_eq!(a.bib, b.bib);
        assert_eq!(a.images, b.images);
        assert_ne!(jekyll_post(&a), jekyll_post(&post(3, 8)));
        assert_ne!(jekyll_post(&a), jekyll_post(&post(4, 7)));
    }

    #[test]
    fn no_two_code_blocks_are_the_same() {
        let mut seen = std::collections::HashSet::new();
        for i in 0..50 {
            let body = post(i, 1).body;
            for block in body.split("```").skip(1).step_by(2) {
                assert!(seen.insert(block.to_string()), "repeated block {block:?}");
            }
        }
        assert!(
            seen.len() > 20,
            "only {} code blocks in 50 posts",
            seen.len()
        );
    }

    #[test]
    fn a_post_has_every_feature_the_benchmark_needs() {
        let p = post(0, 1);
        let text = jekyll_post(&p);
        for needle in [
            "\n## ",
            "\n### ",
            "\n- ",
            "\n1. ",
            "| Method |",
            "```",
            "\n$$\n",
            "<d-cite key=",
            "<d-footnote>",
            "{% include figure.html path=",
            "toc:\n",
            "bibliography: ",
        ] {
            assert!(text.contains(needle), "missing {needle:?}");
        }
        assert!(text.contains(" $") || text.contains("$."), "no inline math");
        let entries = p.bib.matches("\n@").count() + usize::from(p.bib.starts_with('@'));
        assert!((26..=34).contains(&entries), "{entries} bib entries");
        assert_eq!(p.images.len(), 2);
    }

    #[test]
    fn every_citation_key_is_in_the_bibliography() {
        let p = post(11, 42);
        for cite in p.body.split("<d-cite key=\"").skip(1) {
            let keys = cite.split('"').next().unwrap_or("");
            for k in keys.split(',') {
                assert!(p.bib.contains(&format!("{{{k},")), "{k} not in the .bib");
            }
        }
    }

    #[test]
    fn the_hugo_copy_has_no_liquid_left() {
        let p = post(5, 9);
        let h = hugo_body(&p);
        assert!(!h.contains("{%"));
        assert_eq!(h.matches("<figure><img src=\"/assets/img/").count(), 2);
    }
}
