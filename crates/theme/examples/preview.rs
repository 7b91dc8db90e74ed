//! Renders sample pages into a folder (default `/tmp/theme-preview/`) to look at in a browser or
//! screenshot with headless Chromium: a hand-made post that uses every layout class, a real
//! corpus post body (`distill-example2.html`, with a crude stand-in for Liquid), its dark
//! variant, a list page and an about page, plus the theme's CSS and JS next to them. It also
//! prints how long a post layout takes.
//!
//! `cargo run -p blogtrack-theme --example preview [out-dir] [corpus-dir]`

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use blogtrack_theme::view::*;
use blogtrack_theme::{
    list_page, not_found, page, people_card, post_page, script, stylesheet, twitter_card,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = PathBuf::from(args.next().unwrap_or_else(|| "/tmp/theme-preview".into()));
    let corpus = match args.next() {
        Some(track) => PathBuf::from(track),
        None => blogtrack_testcorpus::for_tool(None)?.join("iclr-2024"),
    };
    fs::create_dir_all(&out)?;
    let img = format!(
        "file://{}/assets/img/2024-05-07-distill-example",
        corpus.display()
    );
    let site = site();

    let post = rich_post(&img);
    write(&out, "post.html", &post_page(&site, &post))?;
    let dark = post_page(&site, &post).replacen(
        "<html lang=\"en\">",
        "<html lang=\"en\" data-theme=\"dark\">",
        1,
    );
    write(&out, "post-dark.html", &dark)?;

    let real_path = corpus.join("_posts/2024-05-07-distill-example2.html");
    let real = fs::read_to_string(&real_path)
        .map_err(|e| format!("failed to read `{}`: {e}", real_path.display()))?;
    let real_post = PostView {
        title: "Sample Blog Post (HTML version)".into(),
        description_html: "Your blog post's abstract. This is an example of a distill-style blog post and the main elements it supports.".into(),
        body_html: fake_liquid(after_front_matter(&real), &corpus),
        ..post.clone()
    };
    write(&out, "post-corpus.html", &post_page(&site, &real_post))?;
    let real_dark = post_page(&site, &real_post).replacen(
        "<html lang=\"en\">",
        "<html lang=\"en\" data-theme=\"dark\">",
        1,
    );
    write(&out, "post-corpus-dark.html", &real_dark)?;

    write(&out, "list.html", &list_page(&site, &list()))?;
    write(&out, "about.html", &page(&site, &about(&corpus)))?;
    write(&out, "404.html", &not_found(&site))?;
    write(&out, "theme.css", stylesheet())?;
    write(&out, "theme.js", script())?;

    let runs = 2000;
    let start = Instant::now();
    let mut bytes = 0;
    for _ in 0..runs {
        bytes += post_page(&site, &real_post).len();
    }
    let per = start.elapsed() / runs;
    println!(
        "post_page: {per:?} per page ({} bytes, body {} bytes)",
        bytes / runs as usize,
        real_post.body_html.len()
    );
    println!(
        "css {} bytes + js {} bytes",
        stylesheet().len(),
        script().len()
    );
    println!("wrote {}", out.display());
    Ok(())
}

fn write(dir: &Path, name: &str, text: &str) -> Result<(), Box<dyn std::error::Error>> {
    let path = dir.join(name);
    fs::write(&path, text).map_err(|e| format!("failed to write `{}`: {e}", path.display()).into())
}

fn site() -> SiteView {
    SiteView {
        title: "ICLR Blogposts 2024".into(),
        description: "Home to the 2024 ICLR Blogposts track".into(),
        lang: "en".into(),
        home_href: "about.html".into(),
        absolute_root: "https://iclr-blogposts.github.io/2024".into(),
        nav: vec![
            nav("about", "about.html", false),
            nav("call for blogposts", "about.html", false),
            nav("submitting", "about.html", false),
            nav("reviewing", "about.html", false),
            nav("blog", "list.html", true),
            NavItem {
                title: "other iterations".into(),
                href: String::new(),
                active: false,
                children: [
                    "2026",
                    "divider",
                    "2025",
                    "divider",
                    "<strong>2024</strong>",
                    "divider",
                    "2023",
                ]
                .iter()
                .map(|t| match *t {
                    "divider" => NavChild::Divider,
                    t => NavChild::Link {
                        title_html: t.into(),
                        href: "#".into(),
                    },
                })
                .collect(),
            },
        ],
        footer_html:
            "Powered by <a href=\"https://example.org/\">blogtrack</a>. Hosted by GitHub Pages."
                .into(),
        icon_href: None,
        feed_href: "feed.xml".into(),
        css_href: "theme.css".into(),
        js_href: "theme.js".into(),
        search_href: None,
        dark_mode: true,
        max_width: Some("1000px".into()),
        noindex: false,
        generator: "blogtrack preview".into(),
    }
}

fn nav(title: &str, href: &str, active: bool) -> NavItem {
    NavItem {
        title: title.into(),
        href: href.into(),
        active,
        children: vec![],
    }
}

fn author(name: &str, url: &str, aff: &str) -> Author {
    Author {
        name: name.into(),
        url: Some(url.into()),
        affiliations: vec![Affiliation {
            name: aff.into(),
            url: Some("https://www.ias.edu/".into()),
        }],
    }
}

fn toc(title: &str, id: Option<&str>, children: Vec<TocEntry>) -> TocEntry {
    TocEntry {
        title: title.into(),
        href: id.map(|i| format!("#{i}")),
        children,
    }
}

fn cite(n: usize, key: &str, label: &str, text: &str) -> String {
    format!(
        "<span class=\"citation\"><a class=\"cite-marker\" href=\"#ref-{key}\" aria-describedby=\"cite-card-{n}\">[{label}]</a><span class=\"hover-card\" id=\"cite-card-{n}\" role=\"tooltip\">{text}</span></span>"
    )
}

fn footnote(n: usize, html: &str) -> String {
    format!(
        "<span class=\"footnote\"><a class=\"fn-marker\" id=\"fnref-{n}\" href=\"#fn-{n}\" aria-describedby=\"fn-card-{n}\"><sup>{n}</sup></a><span class=\"hover-card\" id=\"fn-card-{n}\" role=\"tooltip\">{html}</span></span>"
    )
}

fn figure(src: &str, class: &str, caption: Option<&str>, zoom: bool) -> String {
    let cap = caption
        .map(|c| format!("<figcaption class=\"caption\">{c}</figcaption>"))
        .unwrap_or_default();
    let z = if zoom { " data-zoomable" } else { "" };
    format!("<figure class=\"figure\"><img src=\"{src}\" class=\"{class}\" alt=\"\" loading=\"lazy\" decoding=\"async\" width=\"800\" height=\"533\"{z}>{cap}</figure>")
}

fn h(level: u8, id: &str, title: &str) -> String {
    format!("<h{level} id=\"{id}\">{title}<a class=\"anchor\" href=\"#{id}\" aria-label=\"Link to this section\"></a></h{level}>\n")
}

const DRAW: &str = "Gregor, K., Danihelka, I., Graves, A., Rezende, D. &amp; Wierstra, D. (2015). <em>DRAW: A Recurrent Neural Network For Image Generation</em>. ICML.";
const MOMENTUM: &str = "Goh, G. (2017). <em>Why Momentum Really Works</em>. Distill.";

fn rich_post(img: &str) -> PostView {
    let mut b = String::new();
    b.push_str("<p>Distill-style articles keep one calm column of text and let figures break out of it. This sample exercises every layout class authors use, so the theme can be checked at a glance. Citations render as numbers with a card on hover or focus");
    b.push_str(&cite(1, "gregor2015draw", "1", DRAW));
    b.push_str(", including several at once");
    b.push_str(&cite(2, "gregor2015draw,goh2017momentum", "1, 2", &format!("<span class=\"hover-ref\">[1] {DRAW}</span><span class=\"hover-ref\">[2] {MOMENTUM}</span>")));
    b.push_str(", and footnotes work the same way.");
    b.push_str(&footnote(1, "This will become a hoverable footnote, with <em>inline HTML</em> and a <a href=\"#\">link</a>."));
    b.push_str(" The text column holds about seventy characters a line, which keeps long technical prose readable.</p>\n");
    b.push_str(&h(2, "equations", "Equations"));
    b.push_str("<p>Inline math such as <math display=\"inline\"><mi>E</mi><mo>=</mo><mi>m</mi><msup><mi>c</mi><mn>2</mn></msup></math> sits on the line; display math gets its own block and scrolls when it is too wide:</p>\n");
    b.push_str("<div class=\"math-display\"><math display=\"block\"><msup><mrow><mo>(</mo><munderover><mo>∑</mo><mrow><mi>k</mi><mo>=</mo><mn>1</mn></mrow><mi>n</mi></munderover><msub><mi>a</mi><mi>k</mi></msub><msub><mi>b</mi><mi>k</mi></msub><mo>)</mo></mrow><mn>2</mn></msup><mo>≤</mo><mrow><mo>(</mo><munderover><mo>∑</mo><mrow><mi>k</mi><mo>=</mo><mn>1</mn></mrow><mi>n</mi></munderover><msubsup><mi>a</mi><mi>k</mi><mn>2</mn></msubsup><mo>)</mo></mrow><mrow><mo>(</mo><munderover><mo>∑</mo><mrow><mi>k</mi><mo>=</mo><mn>1</mn></mrow><mi>n</mi></munderover><msubsup><mi>b</mi><mi>k</mi><mn>2</mn></msubsup><mo>)</mo></mrow></math><span class=\"eqno\">(1)</span></div>\n");
    b.push_str("<p>A formula the renderer could not handle is shown as source: <code class=\"math-error\">\\frac{a}{</code>.</p>\n");
    b.push_str(&h(2, "images-and-figures", "Images and Figures"));
    b.push_str(&figure(
        &format!("{img}/iclr.png"),
        "img-fluid",
        Some("A figure with a caption; click to zoom (with JavaScript)."),
        true,
    ));
    b.push_str("<div class=\"row mt-3\"><div class=\"col-sm mt-3 mt-md-0\">");
    b.push_str(&figure(
        &format!("{img}/9.jpg"),
        "img-fluid rounded z-depth-1",
        None,
        false,
    ));
    b.push_str("</div><div class=\"col-sm mt-3 mt-md-0\">");
    b.push_str(&figure(
        &format!("{img}/7.jpg"),
        "img-fluid rounded z-depth-1",
        None,
        false,
    ));
    b.push_str("</div></div>\n<div class=\"caption\">A simple, elegant caption looks good between image rows, after each row, or doesn't have to be there at all.</div>\n");
    b.push_str(&h(3, "interactive-figures", "Interactive Figures"));
    b.push_str("<div class=\"l-page\"><iframe srcdoc=\"&lt;body style='margin:0;font:16px sans-serif;background:#eef3fb;height:100vh;display:grid;place-items:center'&gt;interactive figure (iframe in .l-page)&lt;/body&gt;\" frameborder=\"0\" scrolling=\"no\" height=\"220px\" width=\"100%\"></iframe></div>\n");
    b.push_str(&h(2, "code-blocks", "Code Blocks"));
    b.push_str("<pre class=\"highlight\" data-lang=\"python\"><code><span class=\"kn\">import</span> numpy <span class=\"kn\">as</span> np\n\n<span class=\"k\">def</span> <span class=\"nf\">softmax</span>(x, axis<span class=\"o\">=-</span><span class=\"mi\">1</span>):\n    z <span class=\"o\">=</span> np.exp(x <span class=\"o\">-</span> x.max(axis<span class=\"o\">=</span>axis, keepdims<span class=\"o\">=</span><span class=\"kc\">True</span>))  <span class=\"c1\"># a deliberately long line that has to scroll horizontally inside its box rather than widen the page</span>\n    <span class=\"k\">return</span> z <span class=\"o\">/</span> z.sum(axis<span class=\"o\">=</span>axis, keepdims<span class=\"o\">=</span><span class=\"kc\">True</span>)</code></pre>\n");
    b.push_str("<pre class=\"mermaid\">sequenceDiagram\n    Alice->>John: Hello John, how are you?\n    John-->>Alice: Great!</pre>\n");
    b.push_str(&h(2, "tweets", "Tweets"));
    b.push_str(&twitter_card(
        "https://twitter.com/rubygems/status/518821243320287232",
        None,
    ));
    b.push('\n');
    b.push_str(&h(2, "layouts", "Layouts"));
    b.push_str("<p>The main text column is referred to as the body. It is the assumed layout of any direct descendants of the article element.</p>\n");
    for class in [
        "l-body",
        "l-body-outset",
        "l-page",
        "l-page-outset",
        "l-screen-inset",
        "l-screen",
    ] {
        b.push_str(&format!(
            "<div class=\"fake-img {class}\"><p>.{class}</p></div>\n"
        ));
    }
    b.push_str("<div class=\"fake-img l-gutter\"><p>.l-gutter</p></div>\n");
    b.push_str("<p>The final layout is for marginalia, asides, and footnotes. It does not interrupt the normal flow of <code>.l-body</code>-sized text except on mobile screen sizes, where it drops inline between paragraphs. This paragraph is long enough to run beside the note on a wide screen.</p>\n");
    b.push_str("<aside><p>An <code>&lt;aside&gt;</code> is a margin note too. It can hold a <a href=\"#\">link</a> and a short remark.</p></aside>\n");
    b.push_str("<p>Text continues after the aside. Authors also use boxes written as <code>&lt;aside class=\"l-body box-note\"&gt;</code>; those stay in the column:</p>\n");
    b.push_str("<aside class=\"l-body box-note\"><p>A note box in the text column (authors style it with their own <code>_styles</code>).</p></aside>\n");
    b.push_str(&h(2, "other-typography", "Other Typography"));
    b.push_str("<blockquote><p>We do not grow absolutely, chronologically. We grow sometimes in one dimension, and not in another, unevenly. —Anaïs Nin</p></blockquote>\n<hr>\n");
    b.push_str("<table><thead><tr><th>Model</th><th>Params</th><th>Top-1</th><th>Top-5</th><th>Throughput (img/s)</th><th>Training recipe</th><th>Notes</th></tr></thead><tbody>");
    for (m, p) in [
        ("ResNet-50", "25.6M"),
        ("ViT-B/16", "86.6M"),
        ("ConvNeXt-T", "28.6M"),
    ] {
        b.push_str(&format!("<tr><td>{m}</td><td>{p}</td><td>79.1</td><td>94.4</td><td>1,234</td><td>AdamW, cosine schedule, 300 epochs</td><td>a_very_long_unbreakable_identifier_from_the_paper_appendix</td></tr>"));
    }
    b.push_str("</tbody></table>\n");
    b.push_str("<details><summary>Click to expand the proof</summary><p>Hidden until opened: by Cauchy–Schwarz, the claim follows.</p></details>\n");
    b.push_str("<ol><li>First ordered list item</li><li>Another item<ul><li>Unordered sub-list.</li></ul></li><li>And another item.</li></ol>\n");
    b.push_str("<p>Emphasis, <em>italics</em>, <strong>bold</strong>, <del>strikethrough</del>, <code>inline code</code>, and <a href=\"https://www.mozilla.org\">a link</a>.</p>\n");

    PostView {
        title: "Sample Blog Post: \"Distill\" <Layouts> & More".into(),
        description_html: "Your blog post's abstract. Please add your abstract or summary here and not in the main body of your text. Do not include math/latex or hyperlinks.".into(),
        description_text: "Your blog post's abstract.".into(),
        date: DateView { iso: "2024-05-07".into(), display: "May 7, 2024".into() },
        authors: vec![
            author("Albert Einstein", "https://en.wikipedia.org/wiki/Albert_Einstein", "IAS, Princeton"),
            author("Boris Podolsky", "https://en.wikipedia.org/wiki/Boris_Podolsky", "IAS, Princeton"),
            author("Nathan Rosen", "https://en.wikipedia.org/wiki/Nathan_Rosen", "IAS, Princeton"),
        ],
        toc: vec![
            toc("Equations", Some("equations"), vec![]),
            toc("Images and Figures", Some("images-and-figures"), vec![toc("Interactive Figures", Some("interactive-figures"), vec![])]),
            toc("Code Blocks", Some("code-blocks"), vec![]),
            toc("Diagrams", None, vec![]),
            toc("Tweets", Some("tweets"), vec![]),
            toc("Layouts", Some("layouts"), vec![]),
            toc("Other Typography?", Some("other-typography"), vec![]),
        ],
        body_html: b,
        styles_css: Some(".fake-img { background: #bbb; border: 1px solid rgba(0, 0, 0, 0.1); box-shadow: 0 0px 4px rgba(0, 0, 0, 0.1); margin-bottom: 12px; }\n.fake-img p { font-family: monospace; color: white; text-align: left; margin: 12px 0; text-align: center; font-size: 16px; }\nd-article .box-note { background-color: #eee; border-left-color: #2980b9; border-left: 4px solid #2980b9; padding: 0.5rem 1rem; }\nhtml[data-theme='dark'] d-article .box-note { background-color: #333; }".into()),
        references: vec![
            Reference { id: "ref-gregor2015draw".into(), number: 1, html: DRAW.into() },
            Reference { id: "ref-goh2017momentum".into(), number: 2, html: MOMENTUM.into() },
        ],
        footnotes: vec![Footnote { id: "fn-1".into(), ref_id: "fnref-1".into(), number: 1, html: "This will become a hoverable footnote, with <em>inline HTML</em> and a <a href=\"#\">link</a>.".into() }],
        cite_this: Some(CiteThis {
            text: "Einstein, A., Podolsky, B. & Rosen, N. (2024). Sample Blog Post. ICLR Blogposts 2024. https://iclr-blogposts.github.io/2024/blog/distill-example/".into(),
            bibtex: "@inproceedings{einstein2024sample,\n  author = {Einstein, Albert and Podolsky, Boris and Rosen, Nathan},\n  title = {Sample Blog Post},\n  booktitle = {ICLR Blogposts 2024},\n  year = {2024},\n  url = {https://iclr-blogposts.github.io/2024/blog/distill-example/}\n}".into(),
        }),
        head_html: "<meta name=\"citation_title\" content=\"Sample Blog Post\">".into(),
        canonical_url: "https://iclr-blogposts.github.io/2024/blog/distill-example/".into(),
        tags: vec!["distill".into(), "formatting".into()],
        categories: vec!["sample-posts".into()],
        has_mermaid: false,
        mermaid_js_href: None,
        badge: None,
    }
}

fn list() -> ListView {
    let post = |title: &str, authors: &str, desc: &str| PostSummary {
        title: title.into(),
        href: "post.html".into(),
        description_html: desc.into(),
        authors: authors.into(),
        date: DateView {
            iso: "2024-05-07".into(),
            display: "May 7, 2024".into(),
        },
        tags: vec![],
        reading_minutes: 9,
        badge: None,
    };
    ListView {
        title: "blog posts".into(),
        description: "Accepted blog posts of the ICLR 2024 track".into(),
        posts: vec![
            post("The N Implementation Details of RLHF with PPO", "Shengyi Costa Huang, Tianlin Liu, Leandro von Werra", "Reinforcement Learning from Human Feedback (RLHF) is pivotal in the modern application of language modeling, as exemplified by ChatGPT."),
            post("How to compute Hessian-vector products?", "Mathieu Dagréou, Pierre Ablin, Samuel Vaiter, Thomas Moreau", "The product between the Hessian of a function and a vector, the Hessian-vector product (HVP), is a fundamental quantity to study the variation of a function."),
            post("A New Alchemy: Language Model Development as a Subfield?", "Colin Raffel", "This blog post makes the case that the body of research on language models become sufficiently large and mature that we can start thinking about <i>language model development</i> as a new subfield."),
        ],
        page: 2,
        pages: 3,
        prev_href: Some("list.html".into()),
        next_href: Some("list.html".into()),
        archive_links: vec![("2024".into(), "list.html".into()), ("2023".into(), "list.html".into())],
        canonical_url: "https://iclr-blogposts.github.io/2024/blog/page/2/".into(),
    }
}

fn about(corpus: &Path) -> PageView {
    let img = |f: &str| format!("file://{}/assets/img/organizers/{f}", corpus.display());
    let mut body = String::from("<p><strong>Announcements</strong>:</p><ul><li>The 22 blog posts 2024 are now published! Check our <a href=\"#\">press release</a> for an overview or dive directly into it on the <a href=\"list.html\">Blog page</a>.</li></ul>\n");
    body.push_str("<h1 id=\"iclr-2024-blogposts-track\">ICLR 2024 Blogposts Track<a class=\"anchor\" href=\"#iclr-2024-blogposts-track\" aria-label=\"Link to this section\"></a></h1>\n<p>The Machine Learning community is currently experiencing a reproducibility crisis and a reviewing crisis <a href=\"#Litt\">[Littman, 2021]</a>. Blog posts are becoming an increasingly popular and useful way to talk about science.</p>\n");
    body.push_str("<h2 id=\"key-dates\">Key Dates</h2><table><thead><tr><th>Event</th><th>Date</th></tr></thead><tbody><tr><td>Abstract deadline</td><td>December 11th 00:00GMT, 2023</td></tr><tr><td>Submission deadline</td><td>December 17th 00:00GMT, 2023</td></tr></tbody></table>\n");
    body.push_str("<h2 id=\"organizers\">Organizers</h2>\n<div class=\"row row-cols-2 projects pt-3 pb-3\">\n");
    for (n, a, u, f) in [
        (
            "Gauthier Gidel",
            "Mila, Université de Montréal",
            "https://gauthiergidel.github.io/",
            "gg.jpg",
        ),
        (
            "Charlie Gauthier",
            "Mila, Université de Montréal",
            "https://velythyl.github.io/",
            "cg.jpg",
        ),
        ("David Dobre", "Mila, Université de Montréal", "", "dd.jpg"),
        (
            "Claire Vernade",
            "University of Tuebingen",
            "https://www.cvernade.com/",
            "cv.jpg",
        ),
    ] {
        body.push_str(&people_card(n, a, Some(u), Some(&img(f))));
        body.push('\n');
    }
    body.push_str("</div>\n");
    PageView {
        title: "about".into(),
        description: String::new(),
        body_html: body,
        canonical_url: String::new(),
        is_about: true,
        has_mermaid: false,
        mermaid_js_href: None,
    }
}

fn after_front_matter(src: &str) -> &str {
    let rest = src.strip_prefix("---").unwrap_or(src);
    rest.find("\n---").map_or(rest, |i| &rest[i + 4..])
}

/// A crude stand-in for the Liquid stage, enough to see a real body: figure includes become
/// figures, `relative_url` filters become corpus paths, other tags disappear.
fn fake_liquid(body: &str, corpus: &Path) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(start) = rest.find(['{']) {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let close = if tail.starts_with("{%") {
            "%}"
        } else if tail.starts_with("{{") {
            "}}"
        } else {
            ""
        };
        let end = if close.is_empty() {
            None
        } else {
            tail.find(close)
        };
        let Some(end) = end else {
            out.push('{');
            rest = &tail[1..];
            continue;
        };
        let tag = &tail[2..end];
        if tag.contains("figure.html") {
            let path = tag
                .split("path=\"")
                .nth(1)
                .and_then(|p| p.split('"').next())
                .unwrap_or("");
            let class = tag
                .split("class=\"")
                .nth(1)
                .and_then(|p| p.split('"').next())
                .unwrap_or("");
            out.push_str(&figure(
                &format!("file://{}/{path}", corpus.display()),
                class,
                None,
                false,
            ));
        } else if tag.contains("relative_url") {
            let path = tag.split('\'').nth(1).unwrap_or("");
            out.push_str(&format!("file://{}/{path}", corpus.display()));
        }
        rest = &tail[end + 2..];
    }
    out.push_str(rest);
    out
}
