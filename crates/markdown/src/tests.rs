//! Small cases, one per rule, with the exact HTML expected.

use super::*;

/// Shows math as `[i:tex]` / `[d:tex]` and remembers the lines.
#[derive(Default)]
struct Show(Vec<u32>);

impl MathRenderer for Show {
    fn render_math(&mut self, tex: &str, display: bool, line: u32) -> String {
        self.0.push(line);
        format!("[{}:{tex}]", if display { "d" } else { "i" })
    }
}

fn opts() -> Options {
    Options {
        heading_anchors: false,
        ..Options::default()
    }
}

fn html(md: &str) -> String {
    render(md, &opts(), &mut Show::default()).html
}

fn ids(md: &str) -> Vec<String> {
    render(md, &opts(), &mut Show::default())
        .headings
        .into_iter()
        .map(|h| h.id)
        .collect()
}

#[test]
fn paragraphs_and_smart_punctuation() {
    assert_eq!(
        html("It's \"good\" -- really --- yes...\n"),
        "<p>It’s “good” – really — yes…</p>\n"
    );
}

#[test]
fn raw_div_keeps_blank_lines_and_indented_html() {
    let md = "<div class=\"l-page\">\n\n    <iframe src=\"a.html\"></iframe>\n\n*not emphasis*\n</div>\nafter *this*\n";
    assert_eq!(
        html(md),
        "<div class=\"l-page\">\n\n    <iframe src=\"a.html\"></iframe>\n\n*not emphasis*\n</div>\n<p>after <em>this</em></p>\n"
    );
}

#[test]
fn nested_same_name_blocks_and_comments() {
    let md = "<div><div>\n\n</div>\n<!-- </div> -->\n</div>\n\ntext\n";
    assert_eq!(
        html(md),
        "<div><div>\n\n</div>\n<!-- </div> -->\n</div>\n<p>text</p>\n"
    );
}

#[test]
fn span_tags_at_line_start_are_paragraph_text() {
    assert_eq!(
        html("<b>bold</b> and *em*\n"),
        "<p><b>bold</b> and <em>em</em></p>\n"
    );
}

#[test]
fn block_tag_interrupts_paragraph_like_kramdown() {
    assert_eq!(
        html("Text before\n<d-cite key=\"a\"></d-cite> is cited\n"),
        "<p>Text before</p>\n<d-cite key=\"a\"></d-cite>\n<p>is cited</p>\n"
    );
}

#[test]
fn markdown_attribute_renders_content_and_is_removed() {
    assert_eq!(
        html("<aside class=\"box\" markdown=\"1\">\n**Note** with $x$\n\n- a\n</aside>\n"),
        "<aside class=\"box\">\n<p><strong>Note</strong> with [i:x]</p>\n<ul>\n<li>a</li>\n</ul>\n</aside>\n"
    );
    assert_eq!(
        html("<p markdown=\"1\">*span* model</p>\n"),
        "<p><em>span</em> model</p>\n"
    );
}

/// `figcaption` has kramdown's block content model, `p` the span one.
#[test]
fn markdown_attribute_inside_raw_block() {
    assert_eq!(
        html("<figure>\n<figcaption markdown=\"1\">A *caption*</figcaption>\n</figure>\n"),
        "<figure>\n<figcaption>\n<p>A <em>caption</em></p>\n</figcaption>\n</figure>\n"
    );
}

#[test]
fn unclosed_raw_block_runs_to_end_with_warning() {
    let out = render("para\n\n<div>\n\n*x*\n", &opts(), &mut Show::default());
    assert_eq!(out.html, "<p>para</p>\n<div>\n\n*x*\n\n");
    assert_eq!(out.diagnostics.len(), 1);
    assert_eq!(
        (out.diagnostics[0].code, out.diagnostics[0].line),
        ("markdown-unclosed-html", 3)
    );
}

#[test]
fn display_math_only_as_its_own_block() {
    assert_eq!(
        html("a\n\n$$\nx = 1\n$$\n\nb\n"),
        "<p>a</p>\n[d:x = 1]\n<p>b</p>\n"
    );
    assert_eq!(html("a $$x$$ b\n"), "<p>a [i:x] b</p>\n");
    assert_eq!(html("text\n$$x$$\n"), "<p>text\n[i:x]</p>\n");
}

#[test]
fn display_math_lines_that_look_like_markdown_stay_math() {
    let md = "$$\n- x\n= y\n| a |\n# 1\n$$\n";
    assert_eq!(html(md), "[d:- x\n= y\n| a |\n# 1]\n");
}

#[test]
fn math_is_protected_from_markdown() {
    assert_eq!(
        html("$a_1 * b_2 * \\{c\\}$ and \"$'x'$\"\n"),
        "<p>[i:a_1 * b_2 * \\{c\\}] and “[i:'x']”</p>\n"
    );
    assert_eq!(
        html("`$x$` and\n\n```\n$$y$$\n```\n"),
        "<p><code>$x$</code> and</p>\n<pre><code>$$y$$\n</code></pre>\n"
    );
}

/// MathJax found bare environments in the page, also in Markdown paragraphs.
#[test]
fn bare_environment_in_markdown_is_display_math() {
    assert_eq!(
        html("of the form\n\\begin{equation}\\label{e} a_1 \\\\ b_2\n\\end{equation}\nwhere\n"),
        "<p>of the form\n[d:\\begin{equation}\\label{e} a_1 \\\\ b_2\n\\end{equation}]\nwhere</p>\n"
    );
}

#[test]
fn currency_and_escapes_in_markdown() {
    assert_eq!(
        html("It costs $5 and $10.\n"),
        "<p>It costs $5 and $10.</p>\n"
    );
    assert_eq!(
        html("\\(x\\) and \\[y\\] and \\$z\n"),
        "<p>(x) and [y] and $z</p>\n"
    );
}

#[test]
fn math_in_raw_html_uses_mathjax_rules() {
    assert_eq!(
        html("<p>$$a &lt; b$$ and \\(c\\) and $d$ cost \\$5 <code>$e$</code></p>\n"),
        "<p>[d:a < b] and [i:c] and [i:d] cost $5 <code>$e$</code></p>\n"
    );
    assert_eq!(
        html("<div>\n\\begin{align}x\\end{align}\n<script>$y$</script>\n<!-- $z$ -->\n</div>\n"),
        "<div>\n[d:\\begin{align}x\\end{align}]\n<script>$y$</script>\n<!-- $z$ -->\n</div>\n"
    );
    assert_eq!(
        html("<img alt=\"$x$\" src=\"a.png\">\n"),
        "<p><img alt=\"$x$\" src=\"a.png\"></p>\n"
    );
}

#[test]
fn math_lines_are_input_lines() {
    let mut m = Show::default();
    render("a\n\n$$x$$\n\nb $y$\n<p>\n$z$</p>\n", &opts(), &mut m);
    assert_eq!(m.0, [3, 5, 7]);
}

#[test]
fn heading_ids_follow_kramdown_gfm() {
    let md = "## What's new?\n## Q & A\n## The `foo` function\n## 🚀 Launch\n## Intro\n## Intro\n## Custom {#my-id}\n## $\\alpha$-nets\n";
    assert_eq!(
        ids(md),
        [
            "whats-new",
            "q--a",
            "the-foo-function",
            "-launch",
            "intro",
            "intro-1",
            "my-id",
            "alpha-nets"
        ]
    );
}

#[test]
fn heading_html_with_anchor_and_text() {
    let out = render("## A *b* $x$\n", &Options::default(), &mut Show::default());
    assert_eq!(
        out.html,
        "<h2 id=\"a-b-x\">A <em>b</em> [i:x]<a class=\"anchor\" href=\"#a-b-x\" aria-label=\"Link to this section\"></a></h2>\n"
    );
    assert_eq!(
        out.headings,
        [Heading {
            level: 2,
            id: "a-b-x".into(),
            text: "A b $x$".into(),
            line: 1
        }]
    );
}

#[test]
fn raw_headings_are_listed_and_get_ids() {
    let out = render(
        "## Intro\n\n<h2>Intro</h2>\n\n<h3 id=\"k\">Kept</h3>\n",
        &opts(),
        &mut Show::default(),
    );
    assert_eq!(
        out.html,
        "<h2 id=\"intro\">Intro</h2>\n<h2 id=\"intro-1\">Intro</h2>\n<h3 id=\"k\">Kept</h3>\n"
    );
    let got: Vec<_> = out
        .headings
        .iter()
        .map(|h| (h.level, h.id.as_str(), h.line))
        .collect();
    assert_eq!(got, [(2, "intro", 1), (2, "intro-1", 3), (3, "k", 5)]);
}

#[test]
fn block_ials_attach_to_previous_or_next_block() {
    assert_eq!(
        html("A paragraph\n{: .note #p1}\n"),
        "<p id=\"p1\" class=\"note\">A paragraph</p>\n"
    );
    assert_eq!(
        html("x\n\n{:start=\"4\"}\n4. four\n"),
        "<p>x</p>\n<ol start=\"4\">\n<li>four</li>\n</ol>\n"
    );
    assert_eq!(
        html("## Title\n{: .c}\n"),
        "<h2 id=\"title\" class=\"c\">Title</h2>\n"
    );
}

#[test]
fn span_ials_attach_to_links_and_code() {
    assert_eq!(
        html("see [x](http://a.b){:target=\"\\_blank\"} and `c`{: .k}\n"),
        "<p>see <a href=\"http://a.b\" target=\"_blank\">x</a> and <code class=\"k\">c</code></p>\n"
    );
}

#[test]
fn extensions_are_handled_or_stripped() {
    assert_eq!(
        html("{::comment}\nhidden\n{:/comment}\nshown\n"),
        "<p>shown</p>\n"
    );
    assert_eq!(html("{::nomarkdown}\n*raw*\n{:/}\n"), "*raw*\n\n");
    assert_eq!(
        html("{:wide: .l-page}\npara\n{: wide}\n"),
        "<p class=\"l-page\">para</p>\n"
    );
}

#[test]
fn caller_placeholders_pass_through() {
    assert_eq!(
        html("<!--bt:12-->\n\ntext <!--bt:3--> more\n"),
        "<!--bt:12-->\n<p>text <!--bt:3--> more</p>\n"
    );
}

#[test]
fn footnotes_render_like_kramdown() {
    assert_eq!(
        html("a[^n]\n\n[^n]: note\n"),
        "<p>a<sup id=\"fnref:n\"><a href=\"#fn:n\" class=\"footnote\" rel=\"footnote\" role=\"doc-noteref\">1</a></sup></p>\n\
<div class=\"footnotes\" role=\"doc-endnotes\">\n<ol>\n<li id=\"fn:n\">\n<p>note <a href=\"#fnref:n\" class=\"reversefootnote\" role=\"doc-backlink\">&#8617;</a></p>\n</li>\n</ol>\n</div>\n"
    );
}

#[test]
fn tables_and_definition_lists() {
    assert_eq!(
        html("| a | $x|y$ |\n|:--|---|\n| 1 | 2 |\n"),
        "<table>\n<thead>\n<tr>\n<th style=\"text-align: left\">a</th>\n<th>[i:x|y]</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td style=\"text-align: left\">1</td>\n<td>2</td>\n</tr>\n</tbody>\n</table>\n"
    );
    assert_eq!(
        html("term\n: definition\n"),
        "<dl>\n<dt>term</dt>\n<dd>definition</dd>\n</dl>\n"
    );
}

#[test]
fn render_html_math_only_touches_math() {
    let mut m = Show::default();
    assert_eq!(
        render_html_math("<p>*a* $x$ <span markdown=\"1\">$$y$$</span></p>", &mut m),
        "<p>*a* [i:x] <span markdown=\"1\">[d:y]</span></p>"
    );
}

#[test]
fn hostile_inputs_do_not_panic_or_hang() {
    let cases = [
        "- ".repeat(10_000) + "x",
        "> ".repeat(10_000) + "x",
        "[".repeat(10_000) + &"]".repeat(10_000),
        "<div markdown=\"1\">\n".repeat(100) + "x",
        "<div>".repeat(20_000),
        "$".repeat(50_000) + &"$a ".repeat(20_000),
        "`".repeat(5_000) + &"<a b=\"".repeat(10_000),
        "{: .x}\n".repeat(1000),
        "\u{E000}1\u{E001}\u{E002}99\u{E003}\r\n<!--btb:0-->\n".into(),
    ];
    for c in &cases {
        let out = render(c, &Options::default(), &mut Show::default());
        assert!(out.html.len() < c.len() * 16 + 100);
    }
    let deep = render(
        &("<div markdown=\"1\">\n".repeat(100) + "x"),
        &Options::default(),
        &mut Show::default(),
    );
    assert!(deep
        .diagnostics
        .iter()
        .any(|d| d.code == "markdown-nesting-too-deep"));
}

#[test]
fn a_lone_span_tag_line_does_not_swallow_the_heading_after_it() {
    // Regression: `<a name="appendix">` alone on a line opened a CommonMark HTML block and the
    // `## Appendix` heading after it was lost (adamw post, iclr-2023).
    let h = html("Text.\n\n<a name=\"appendix\">\n## Appendix\n\nBody.\n");
    assert!(h.contains("<h2 id=\"appendix\">"), "{h}");
    assert_eq!(
        ids("<a name=\"x\">\n## Appendix\n"),
        vec!["appendix".to_string()]
    );
}

#[test]
fn doubled_backslash_parens_in_markdown_are_mathjax_math() {
    // kramdown unescapes `\\(` to `\(`, which the reader's MathJax rendered as inline math
    // (the-n-implementation-details-of-rlhf-with-ppo, iclr-2024).
    assert_eq!(html("a \\\\( x_1 \\\\) b\n"), "<p>a [i:x_1] b</p>\n");
    assert_eq!(html("a \\\\[ y \\\\] b\n"), "<p>a [d:y] b</p>\n");
    assert_eq!(html("a \\( b\n"), "<p>a ( b</p>\n");
}

/// Regression (issue 7, bad-input suite): past `max_nesting`, each further `markdown="1"` level
/// recursed once more (and warned once more), so 3,000 closed levels overflowed the stack.
#[test]
fn deep_markdown_1_nesting_stops_recursing_at_the_limit() {
    let levels = 5_000;
    let src = "<div markdown=\"1\">\n\n".repeat(levels) + "*x*\n" + &"\n</div>\n".repeat(levels);
    let out = render(&src, &Options::default(), &mut Show::default());
    let warnings = out
        .diagnostics
        .iter()
        .filter(|d| d.code == "markdown-nesting-too-deep")
        .count();
    assert_eq!(warnings, 1, "one warning for the whole too-deep element");
    assert_eq!(out.html.matches("<div").count(), levels);
    assert!(out.html.contains("*x*"), "content past the limit stays raw");
}

// Issue 12 item 6 and item 3: what kramdown 2.4 (GFM input, as Jekyll ran it) wrote for the same
// text, checked with `ruby -rkramdown -rkramdown-parser-gfm`.

#[test]
fn backslash_escapes_follow_kramdown_set() {
    assert_eq!(
        html("a \\; b \\, c \\% d \\& e \\_ f \\* g \\@ h \\~ i \\^ j \\/ k \\?\n"),
        "<p>a \\; b \\, c \\% d \\&amp; e _ f * g \\@ h ~ i \\^ j \\/ k \\?</p>\n"
    );
    // In code spans nothing is an escape.
    assert_eq!(html("`\\;` and \\;\n"), "<p><code>\\;</code> and \\;</p>\n");
}

#[test]
fn multi_line_footnote_stays_in_one_paragraph() {
    let md = "Some text<d-footnote>first line\n<a href=\"x\">link</a> continues\n</d-footnote> and after.\n\nText<d-footnote>note\n<!-- c -->\nmore</d-footnote> end.\n";
    let out = render(md, &opts(), &mut Show::default());
    assert_eq!(
        out.html,
        "<p>Some text<d-footnote>first line\n<a href=\"x\">link</a> continues\n</d-footnote> and after.</p>\n<p>Text<d-footnote>note\n<!-- c -->\nmore</d-footnote> end.</p>\n"
    );
    // Regression: `</d-footnote>` at a line start was a stray close tag.
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
}

#[test]
fn comment_line_inside_a_paragraph_keeps_the_paragraph() {
    assert_eq!(
        html("Para one\n<!-- c $x$ -->\nmore $y$\n"),
        "<p>Para one\n<!-- c $x$ -->\nmore [i:y]</p>\n"
    );
    assert_eq!(
        html("## Head <!-- c --> x\n"),
        "<h2 id=\"head--x\">Head <!-- c --> x</h2>\n"
    );
}

#[test]
fn kramdown_escaped_underscore_in_bare_equation_is_a_subscript() {
    assert_eq!(
        html("\\begin{equation}\nx\\_1 = \\\\|y\\\\|\n\\end{equation}\n"),
        "<p>[d:\\begin{equation}\nx_1 = \\|y\\|\n\\end{equation}]</p>\n"
    );
    // In single-dollar math too; kramdown's own `$$` math is verbatim.
    assert_eq!(
        html("$x\\_1$ and $$y\\_2$$\n"),
        "<p>[i:x_1] and [i:y\\_2]</p>\n"
    );
}

#[test]
fn whitespace_only_double_dollars_are_an_empty_formula() {
    // Regression: the second `$$` of `$$ $$` opened and paired with the first of `$$x$$`.
    assert_eq!(html("a $$ $$ b $$x$$ c\n"), "<p>a  b [i:x] c</p>\n");
    assert_eq!(
        render_html_math("<p>a $$ $$ b $$x$$</p>", &mut Show::default()),
        "<p>a  b [d:x]</p>"
    );
}

#[test]
fn numbered_environment_in_inline_double_dollars_is_display_math() {
    assert_eq!(
        html("see $$\\begin{equation}\\label{e}x\\end{equation}$$ and $$\\begin{aligned}y\\end{aligned}$$\n"),
        "<p>see [d:\\begin{equation}\\label{e}x\\end{equation}] and [i:\\begin{aligned}y\\end{aligned}]</p>\n"
    );
}
