//! Behaviour of the engine, one small template per rule, as Jekyll's Liquid (lax mode) shows it.

mod common;

use blogtrack_liquid::{render, Object, Rendered, Template, Value};
use common::TestHost;

fn globals() -> Object {
    let mut site = Object::new();
    site.insert("baseurl".into(), Value::from("/2024"));
    site.insert(
        "url".into(),
        Value::from("https://iclr-blogposts.github.io"),
    );
    site.insert("title".into(), Value::from("ICLR Blogposts"));
    let mut page = Object::new();
    page.insert("title".into(), Value::from("A \"quoted\" title"));
    page.insert("date".into(), Value::from("2024-05-07 00:00:00 +0000"));
    page.insert(
        "tags".into(),
        Value::Array(vec![Value::from("ml"), Value::from("rl")]),
    );
    let mut g = Object::new();
    g.insert("site".into(), Value::Object(site));
    g.insert("page".into(), Value::Object(page));
    g
}

fn run(src: &str) -> Rendered {
    render(src, &globals(), &mut TestHost::default())
}

/// The output, asserting no diagnostics at all.
fn ok(src: &str) -> String {
    let r = run(src);
    assert!(r.diagnostics.is_empty(), "{src:?}: {:?}", r.diagnostics);
    r.output
}

fn codes(src: &str) -> Vec<&'static str> {
    run(src).diagnostics.iter().map(|d| d.code).collect()
}

// --- lax tokenizer quirks -------------------------------------------------------------------

#[test]
fn double_braces_in_tex_are_eaten_like_jekyll() {
    assert_eq!(ok(r"\frac{1}{{n}}"), r"\frac{1}");
    assert_eq!(ok(r"$\mathbb{E}_{{x}}[f]$"), r"$\mathbb{E}_[f]$");
}

#[test]
fn hugo_shortcodes_print_nothing() {
    assert_eq!(
        ok(r#"a{{<tmfigure src="x.svg" class="invertible" >}}b"#),
        "ab"
    );
    assert_eq!(ok("a{{</tmfigure>}}b"), "ab");
}

#[test]
fn an_output_closed_by_a_single_brace_is_an_error_as_in_ruby_liquid() {
    // Ruby Liquid's tokenizer cuts `{{a}` out of `\text{{a}_b}` and then rejects it:
    // "Variable '{{a}' was not properly terminated with regexp: /\}\}/".
    let r = run(r"\text{{a}_b}");
    assert!(r.has_errors());
    assert_eq!(r.diagnostics[0].code, "liquid-syntax");
    assert_eq!(r.output, r"\text_b}");
}

#[test]
fn unterminated_openers_are_errors_with_their_line() {
    let r = run("ok\nthen {{ x\n");
    assert_eq!(r.diagnostics.len(), 1);
    assert_eq!((r.diagnostics[0].line, r.diagnostics[0].col), (2, 6));
    assert_eq!(codes("a {% b"), vec!["liquid-syntax"]);
    assert_eq!(codes("{% %}"), vec!["liquid-syntax"]);
}

#[test]
fn tags_and_outputs_may_span_lines() {
    assert_eq!(ok("{{\n site.title\n}}"), "ICLR Blogposts");
    assert_eq!(ok("{% assign x =\n 'y' %}{{ x }}"), "y");
}

#[test]
fn whitespace_control_strips_newlines_on_its_side() {
    assert_eq!(ok("a  \n {%- if true -%} \n b \n {%- endif -%}\n c"), "abc");
    assert_eq!(ok("[ {{- 'x' -}} ]"), "[x]");
    assert_eq!(ok("[ {{ 'x' -}} ]"), "[ x]");
}

// --- outputs and expressions ----------------------------------------------------------------

#[test]
fn variables_literals_and_lookups() {
    assert_eq!(ok("{{site.baseurl}}"), "/2024");
    assert_eq!(
        ok("{{ page.tags[1] }} {{ page.tags.size }} {{ page.tags.first }} {{ page.tags.last }}"),
        "rl 2 ml rl"
    );
    assert_eq!(ok("{{ page['title'] }}"), "A \"quoted\" title");
    assert_eq!(
        ok("{{ nothing.here }}|{{ nil }}|{{ true }}|{{ 1.50 }}|{{ -3 }}"),
        "||true|1.5|-3"
    );
    assert_eq!(ok("{{ page.tags }}"), "mlrl");
    assert_eq!(ok("{{ (1..3) | join: ',' }}"), "1,2,3");
}

#[test]
fn relative_and_absolute_url_go_through_the_host() {
    assert_eq!(ok("{{ 'a/b.png' | relative_url }}"), "/2024/a/b.png");
    assert_eq!(
        ok(r#"{{"/assets/x.svg" | relative_url}}"#),
        "/2024/assets/x.svg"
    );
    assert_eq!(
        ok("{{ '/blog' | absolute_url }}"),
        "https://example.org/2024/blog"
    );
}

#[test]
fn unknown_filters_pass_the_value_through_with_a_warning() {
    let r = run("{{ 'a' | frobnicate | upcase }}");
    assert_eq!(r.output, "A");
    assert_eq!(r.diagnostics.len(), 1);
    assert_eq!(r.diagnostics[0].code, "liquid-unknown-filter");
    assert!(!r.has_errors());
}

#[test]
fn filter_chains_and_arguments() {
    assert_eq!(
        ok("{{ 'Hello' | append: ', ' | append: 'World' | downcase }}"),
        "hello, world"
    );
    assert_eq!(
        ok("{{ 'a-b-c' | split: '-' | reverse | join: '+' }}"),
        "c+b+a"
    );
    assert_eq!(ok("{{ 'a b' | replace: ' ', '_' | prepend: '>' }}"), ">a_b");
    assert_eq!(ok("{{ x | default: 'none' }}"), "none");
    assert_eq!(
        ok("{{ 10 | plus: 5 | times: 2 | minus: 1 | divided_by: 4 | modulo: 4 }}"),
        "3"
    );
    assert_eq!(ok("{{ page.date | date: '%b %-d, %Y' }}"), "May 7, 2024");
    assert_eq!(
        ok("{{ page.date | date_to_xmlschema }}"),
        "2024-05-07T00:00:00+00:00"
    );
    assert_eq!(
        ok("{{ page.title | escape }}"),
        "A &quot;quoted&quot; title"
    );
    assert_eq!(ok("{{ page.title | slugify }}"), "a-quoted-title");
    assert_eq!(ok("{{ page.tags | jsonify }}"), r#"["ml","rl"]"#);
}

#[test]
fn a_failing_filter_is_a_render_error() {
    assert_eq!(codes("{{ 1 | divided_by: 0 }}"), vec!["liquid-render"]);
}

// --- tags -----------------------------------------------------------------------------------

#[test]
fn raw_keeps_everything_literal() {
    assert_eq!(
        ok("{% raw %}{% include x.html %} {{ y }}{% endraw %}"),
        "{% include x.html %} {{ y }}"
    );
    assert_eq!(ok("{% raw %}{{ a {% endraw %}!"), "{{ a !");
    assert_eq!(codes("{% raw %}x"), vec!["liquid-unclosed-block"]);
}

#[test]
fn comment_hides_its_body_and_tolerates_unknown_tags() {
    assert_eq!(
        ok("a{% comment %} {{ x }} {% foo %} {% endcomment %}b"),
        "ab"
    );
}

#[test]
fn assign_and_capture() {
    assert_eq!(
        ok("{% assign x = 'a,b' | split: ',' %}{{ x.size }}{{ x | last }}"),
        "2b"
    );
    assert_eq!(
        ok("{% capture c %}[{{ site.title }}]{% endcapture %}{{ c }}"),
        "[ICLR Blogposts]"
    );
}

#[test]
fn capture_can_be_an_include_parameter() {
    let src = "{% capture cap %}\nA *caption*\n{% endcapture %}\
               {% include figure.html path=\"a.png\" caption=cap zoomable=true title='t' %}";
    assert_eq!(
        ok(src),
        r#"<include figure.html path="a.png" caption="\nA *caption*\n" zoomable=true title="t">"#
    );
    // `True` is not a Liquid literal: Jekyll resolved it as an (unset) variable.
    assert_eq!(
        ok("{% include f.html zoomable=True %}"),
        "<include f.html zoomable=nil>"
    );
}

#[test]
fn include_with_hyphenated_keys_and_dynamic_names() {
    assert_eq!(
        ok("{% capture max-width %}\" style=\"x{% endcapture %}{% include f.html max-width=max-width %}"),
        r#"<include f.html max-width="\" style=\"x">"#
    );
    assert_eq!(
        ok("{% assign n = 'fig' %}{% include {{ n }}.html a='1' %}"),
        r#"<include fig.html a="1">"#
    );
}

#[test]
fn bad_include_syntax_is_an_error() {
    assert_eq!(
        codes("{% include f.html path=\"x\"class=\"y\" %}"),
        vec!["liquid-include-syntax"]
    );
    assert_eq!(
        codes("{% include ../f.html %}"),
        vec!["liquid-include-syntax"]
    );
}

#[test]
fn if_elsif_else_unless() {
    assert_eq!(ok("{% if site.title %}y{% else %}n{% endif %}"), "y");
    assert_eq!(
        ok("{% if x %}1{% elsif page.tags contains 'rl' %}2{% else %}3{% endif %}"),
        "2"
    );
    assert_eq!(ok("{% unless x %}u{% endunless %}"), "u");
    assert_eq!(ok("{% if 'abc' contains 'b' and 2 > 1 %}y{% endif %}"), "y");
    assert_eq!(ok("{% if 1 != 1 or 1 <= 1 %}y{% endif %}"), "y");
    assert_eq!(
        ok("{% if page.tags == empty %}e{% else %}f{% endif %}"),
        "f"
    );
    assert_eq!(ok("{% if '' == empty %}e{% endif %}"), "e");
}

#[test]
fn and_or_group_from_the_right() {
    // `true or false and false` is `true or (false and false)` = true in Liquid;
    // `false and false or true` is `false and (false or true)` = false.
    assert_eq!(
        ok("{% if true or false and false %}y{% else %}n{% endif %}"),
        "y"
    );
    assert_eq!(
        ok("{% if false and false or true %}y{% else %}n{% endif %}"),
        "n"
    );
}

#[test]
fn case_renders_every_matching_when() {
    assert_eq!(
        ok("{% case 1 %}{% when 1 %}a{% when 1, 2 %}b{% else %}c{% endcase %}"),
        "ab"
    );
    assert_eq!(
        ok("{% case 'z' %}{% when 'x' or 'y' %}a{% else %}c{% endcase %}"),
        "c"
    );
}

#[test]
fn for_loops_with_forloop_limit_offset_reversed_else() {
    assert_eq!(
        ok("{% for i in (1..5) limit:3 offset:1 %}{{ forloop.index }}{{ i }}{% unless forloop.last %},{% endunless %}{% endfor %}"),
        "12,23,34"
    );
    assert_eq!(
        ok("{% for t in page.tags reversed %}{{ t }}{% endfor %}"),
        "rlml"
    );
    assert_eq!(
        ok("{% for t in nothing %}x{% else %}empty{% endfor %}"),
        "empty"
    );
    assert_eq!(
        ok("{% for i in (1..5) %}{% if i == 2 %}{% continue %}{% endif %}{% if i == 4 %}{% break %}{% endif %}{{ i }}{% endfor %}"),
        "13"
    );
    assert_eq!(
        ok("{% for a in (1..2) %}{% for b in (1..2) %}{{ forloop.parentloop.index }}{{ b }} {% endfor %}{% endfor %}"),
        "11 12 21 22 "
    );
}

#[test]
fn increment_and_decrement() {
    assert_eq!(
        ok("{% increment c %}{% increment c %}{% decrement d %}"),
        "01-1"
    );
}

#[test]
fn jekyll_tags_go_to_the_host() {
    assert_eq!(ok("{% post_url 2024-05-07-foo %}"), "/2024/blog/foo/");
    assert_eq!(
        ok("{% highlight Python linenos %}\nx = {{ 1 | plus: 1 }}\n{% endhighlight %}"),
        "<pre python linenos>x = 2</pre>"
    );
    assert_eq!(
        ok("{% twitter https://twitter.com/a/status/1 maxwidth=500 %}"),
        "<tweet https://twitter.com/a/status/1>"
    );
    assert_eq!(
        ok("{% mermaid %}\ngraph TD; A-->B\n{% endmermaid %}"),
        "<mermaid>\ngraph TD; A-->B\n</mermaid>"
    );
}

#[test]
fn host_errors_carry_the_tag_line() {
    let r = run("\n\n{% post_url nope %}");
    assert_eq!(r.diagnostics.len(), 1);
    assert_eq!(
        (r.diagnostics[0].code, r.diagnostics[0].line),
        ("liquid-post-url", 3)
    );
}

// --- errors ---------------------------------------------------------------------------------

#[test]
fn unknown_tags_are_errors_naming_tag_and_line_with_a_suggestion() {
    let r = run("a\n{% inclde figure.html %}\n{% cycle 'a' %}");
    assert_eq!(r.diagnostics.len(), 2);
    let d = &r.diagnostics[0];
    assert_eq!((d.code, d.line), ("liquid-unknown-tag", 2));
    assert!(d.message.contains("inclde"));
    assert!(d
        .hint
        .as_deref()
        .unwrap_or("")
        .contains("did you mean `include`"));
    assert_eq!(r.diagnostics[1].line, 3);
}

#[test]
fn unterminated_blocks_name_the_opening_line() {
    let r = run("x\n{% capture a %}\nbody");
    assert_eq!(r.diagnostics.len(), 1);
    assert_eq!(
        (r.diagnostics[0].code, r.diagnostics[0].line),
        ("liquid-unclosed-block", 2)
    );
    let r = run("{% if a %}\n{% for x in y %}{% endfor %}");
    assert_eq!(
        (r.diagnostics[0].code, r.diagnostics[0].line),
        ("liquid-unclosed-block", 1)
    );
}

#[test]
fn all_errors_are_reported_not_only_the_first() {
    let r = run("{% foo %}\n{% endif %}\n{{ x\n");
    let c: Vec<_> = r.diagnostics.iter().map(|d| (d.code, d.line)).collect();
    assert_eq!(
        c,
        vec![
            ("liquid-unknown-tag", 1),
            ("liquid-unexpected-tag", 2),
            ("liquid-syntax", 3)
        ]
    );
}

#[test]
fn mismatched_end_tags_are_errors() {
    assert!(codes("{% if x %}{% endfor %}{% endif %}").contains(&"liquid-unexpected-tag"));
}

// --- limits ---------------------------------------------------------------------------------

#[test]
fn deep_nesting_is_a_diagnostic_not_a_stack_overflow() {
    let src = "{% if true %}".repeat(10_000);
    let r = run(&src);
    assert!(r.diagnostics.iter().any(|d| d.code == "liquid-too-deep"));
}

#[test]
fn runaway_loops_and_ranges_stop_with_a_diagnostic() {
    let r = run("{% for a in (1..1000) %}{% for b in (1..1000) %}x{% endfor %}{% endfor %}");
    assert!(r.diagnostics.iter().any(|d| d.code == "liquid-limit"));
    assert!(r.output.len() <= 100_001);
    assert_eq!(codes("{{ (1..1000000000) | size }}"), vec!["liquid-limit"]);
}

/// The diagnostics of a template that must stop at a limit: exactly one `liquid-limit` error,
/// whose message contains `part`.
fn stops_at_a_limit(src: &str, part: &str) -> Rendered {
    let r = run(src);
    let limits: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.code == "liquid-limit")
        .collect();
    assert_eq!(limits.len(), 1, "{src:?}: {:?}", r.diagnostics);
    assert!(limits[0].message.contains(part), "{:?}", limits[0].message);
    assert_eq!(limits[0].line, 1);
    r
}

#[test]
fn a_string_doubled_in_a_loop_stops_at_the_value_limit() {
    // 2^64 bytes if unbounded.
    let r = stops_at_a_limit(
        "{% assign s = 'x' %}{% for i in (1..64) %}{% assign s = s | append: s %}{% endfor %}{{ s | size }}",
        "filter `append` would build a value of 32 MiB; the limit is 16 MiB",
    );
    assert!(r.output.is_empty(), "nothing after the limit is rendered");
}

#[test]
fn a_capture_doubled_in_a_loop_stops_at_the_work_budget() {
    stops_at_a_limit(
        "{% assign s = 'x' %}{% for i in (1..64) %}{% capture s %}{{ s }}{{ s }}{% endcapture %}{% endfor %}",
        "copies or builds more than 256 MiB of values",
    );
}

#[test]
fn a_list_doubled_in_a_loop_stops_at_the_value_limit() {
    stops_at_a_limit(
        "{% assign a = (1..2) %}{% for i in (1..64) %}{% assign a = a | concat: a %}{% endfor %}",
        "filter `concat` would build",
    );
}

#[test]
fn multiplying_filters_are_refused_before_they_build() {
    // 64 KiB × 64 Ki replacements = 4 GiB, refused up front.
    stops_at_a_limit(
        "{% assign s = 'x' %}{% for i in (1..16) %}{% assign s = s | append: s %}{% endfor %}{% assign t = s | replace: 'x', s %}",
        "filter `replace` would build a value of 4096 MiB",
    );
    stops_at_a_limit(
        "{% assign s = 'x' %}{% for i in (1..16) %}{% assign s = s | append: s %}{% endfor %}{% assign a = s | split: '' | join: s %}",
        "filter `join` would build",
    );
}

#[test]
fn copying_a_large_value_in_every_iteration_stops_at_the_work_budget() {
    // A 8 MiB string copied 100,000 times (800 GB of copying) with no output at all.
    stops_at_a_limit(
        "{% assign s = 'x' %}{% for i in (1..23) %}{% assign s = s | append: s %}{% endfor %}{% for i in (1..99999) %}{% assign t = s %}{% endfor %}",
        "more than 256 MiB of values",
    );
}

#[test]
fn ordinary_templates_stay_far_from_the_budget() {
    let src = "{% for i in (1..20000) %}{% assign t = page.title | append: i | upcase %}{% if t contains 'X' %}{{ t | size }}{% endif %}{% endfor %}";
    assert!(run(src).diagnostics.is_empty());
}

#[test]
fn hostile_text_never_panics() {
    for src in [
        "{{",
        "{%",
        "}}",
        "{{}}",
        "{%%}",
        "{{ | }}",
        "{{ 'unterminated }}",
        "{% if %}{% endif %}",
        "{% for %}{% endfor %}",
        "{% assign %}",
        "{% case %}{% endcase %}",
        "{{ a[ }}",
        "{{ a[]] }}",
        "{{ (1..) }}",
        "{{ ((1..2)..3) }}",
        "{% include %}",
        "{% highlight %}{% endhighlight %}",
        "{{ x | date: '%' }}",
        "{{ 'é' | slice: -9, 3 }}",
        "{{ -9223372036854775808 | divided_by: -1 }}",
        "{{ 9223372036854775807 | plus: 1 }}",
        "{{ '%zz' | url_decode }}",
        "{% increment %}",
    ] {
        let _ = run(src);
    }
}

// --- line map and reuse ---------------------------------------------------------------------

#[test]
fn line_map_points_output_lines_back_to_the_template() {
    let src = "a\n{% capture c %}\n1\n2\n{% endcapture %}\nb\n{{ 'x\ny' }}\nc";
    let r = run(src);
    assert_eq!(r.output, "a\n\nb\nx\ny\nc");
    let lines: Vec<u32> = (1..=6).map(|l| r.line_map.source_line(l)).collect();
    // The output tag spans template lines 7-8 (its literal holds a newline), so `c` is on 9.
    assert_eq!(lines, vec![1, 5, 6, 7, 7, 9]);
}

#[test]
fn plain_text_is_copied_and_maps_to_itself() {
    let r = run("no markup { here }\nline 2");
    assert_eq!(r.output, "no markup { here }\nline 2");
    assert_eq!(r.line_map.source_line(2), 2);
}

#[test]
fn a_parsed_template_renders_many_times() {
    let t = Template::parse("{{ page.title | upcase }}");
    let mut g = globals();
    assert_eq!(
        t.render(&g, &mut TestHost::default()).output,
        "A \"QUOTED\" TITLE"
    );
    let mut page = Object::new();
    page.insert("title".into(), Value::from("b"));
    g.insert("page".into(), Value::Object(page));
    assert_eq!(t.render(&g, &mut TestHost::default()).output, "B");
}
