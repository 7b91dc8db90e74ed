use super::*;

fn hl(code: &str, lang: &str) -> String {
    Highlighter::new().highlight(code, Some(lang), false)
}

#[test]
fn wraps_in_pre_code_with_the_language() {
    let html = hl("x = 1\n", "python");
    assert!(html.starts_with("<pre class=\"highlight\" data-lang=\"python\"><code>"));
    assert!(html.ends_with("</code></pre>"));
    assert!(!html.contains("style="));
}

#[test]
fn python_tokens_get_classes() {
    let html = hl("def f(x):\n    return \"hi\"  # note\n", "python");
    assert!(html.contains("<span class=\"k\">def</span>"), "{html}");
    assert!(html.contains("<span class=\"nf\">f</span>"), "{html}");
    assert!(html.contains("<span class=\"s\">"), "{html}");
    assert!(html.contains("<span class=\"c\"># note</span>"), "{html}");
}

#[test]
fn all_text_is_escaped() {
    let html = hl("if a < b && c > \"d\":\n    pass\n", "python");
    assert!(html.contains("&lt;") && html.contains("&amp;&amp;") && html.contains("&gt;"));
    assert!(html.contains("&quot;"));
    let html = Highlighter::new().highlight("<script>alert('x')</script>", None, false);
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    let html = hl("x", "\"><script>");
    assert!(
        html.contains("data-lang=\"&quot;&gt;&lt;script&gt;\""),
        "{html}"
    );
}

#[test]
fn unknown_or_missing_language_is_plain_text() {
    let h = Highlighter::new();
    assert_eq!(
        h.highlight("a < b\n", Some("klingon"), false),
        "<pre class=\"highlight\" data-lang=\"klingon\"><code>a &lt; b</code></pre>"
    );
    assert_eq!(
        h.highlight("a\n", None, false),
        "<pre class=\"highlight\"><code>a</code></pre>"
    );
    assert_eq!(
        h.highlight("a\n", Some("text"), false),
        "<pre class=\"highlight\" data-lang=\"text\"><code>a</code></pre>"
    );
}

#[test]
fn languages_of_the_corpus_and_their_aliases_resolve() {
    let h = Highlighter::new();
    for (lang, name) in [
        ("python", "Python"),
        ("bash", "Bourne Again Shell (bash)"),
        ("shell", "Bourne Again Shell (bash)"),
        ("sh", "Bourne Again Shell (bash)"),
        ("console", "Bourne Again Shell (bash)"),
        ("cpp", "C++"),
        ("c++", "C++"),
        ("c", "C"),
        ("julia", "Julia"),
        ("javascript", "JavaScript"),
        ("js", "JavaScript"),
        ("html", "HTML"),
        ("yaml", "YAML"),
        ("json", "JSON"),
        ("markdown", "Markdown"),
        ("typescript", "TypeScript"),
        ("latex", "LaTeX"),
        ("Python", "Python"),
    ] {
        let found = h.syntax_name(lang).unwrap_or("(none)");
        assert!(found.starts_with(name), "{lang}: {found}");
    }
    assert!(h.syntax_name("jsx").is_some());
    for plain in ["text", "none", "plaintext", ""] {
        assert_eq!(h.syntax_name(plain), None, "{plain}");
    }
}

#[test]
fn line_numbers_are_drawn_by_css_not_copied() {
    let html = hl("a = 1\nb = 2\n", "python");
    assert!(!html.contains("class=\"ln\""));
    let html = Highlighter::new().highlight("a = 1\nb = 2\n", Some("python"), true);
    assert_eq!(html.matches("class=\"ln\"").count(), 2);
    assert!(html.contains("<span class=\"ln\" data-ln=\"2\" aria-hidden=\"true\"></span>"));
    let plain = Highlighter::new().highlight("x\ny", None, true);
    assert_eq!(
        plain,
        "<pre class=\"highlight\"><code><span class=\"line\"><span class=\"ln\" data-ln=\"1\" aria-hidden=\"true\"></span>x</span>\n<span class=\"line\"><span class=\"ln\" data-ln=\"2\" aria-hidden=\"true\"></span>y</span></code></pre>"
    );
    assert!(Highlighter::css().contains("content: attr(data-ln)"));
}

#[test]
fn text_survives_highlighting() {
    let code = "fn main() {\n    let s = \"a<b\";\r\n}\n\tx\n";
    let html = hl(code, "rust");
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .replace("&lt;", "<")
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    assert_eq!(text, code.trim_end().replace("\r\n", "\n"));
}

#[test]
fn huge_or_odd_input_does_not_fail() {
    let h = Highlighter::new();
    let long_line = "x".repeat(MAX_LINE_BYTES + 1);
    let html = h.highlight(&long_line, Some("python"), false);
    assert!(html.contains(&long_line));
    let big = "a = 1\n".repeat(MAX_HIGHLIGHT_BYTES / 6 + 1);
    assert!(!h.highlight(&big, Some("python"), false).contains("<span"));
    for junk in [
        "\"\"\"",
        "\u{0}\u{feff}",
        "<<<<",
        "`${`",
        "\\begin{",
        "{{{{",
    ] {
        for lang in [
            "python",
            "bash",
            "latex",
            "javascript",
            "html",
            "markdown",
            "yaml",
        ] {
            let _ = h.highlight(junk, Some(lang), true);
        }
    }
}

#[test]
fn shared_between_threads() {
    fn assert_sync<T: Sync + Send>() {}
    assert_sync::<Highlighter>();
    let h = Highlighter::new();
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| assert!(h.highlight("x = 1", Some("python"), false).contains("span")));
        }
    });
}

/// Every colour variable of each palette block of the emitted CSS against the background the
/// same block sets.
#[test]
fn every_colour_has_aa_contrast() {
    let css = Highlighter::css();
    let mut blocks = 0;
    for block in css.split('}') {
        let vars: Vec<(&str, [u8; 3])> = block
            .lines()
            .filter_map(|l| {
                let (name, value) = l.trim().strip_prefix("--hl-")?.split_once(':')?;
                Some((name, parse_hex_color(value.trim().trim_end_matches(';'))?))
            })
            .collect();
        let Some(&(_, bg)) = vars.iter().find(|(n, _)| *n == "bg") else {
            continue;
        };
        blocks += 1;
        for (name, color) in vars.iter().filter(|(n, _)| *n != "bg") {
            let ratio = contrast_ratio(*color, bg);
            assert!(
                ratio >= 4.5,
                "--hl-{name} has contrast {ratio:.2} on {bg:?}"
            );
        }
    }
    assert_eq!(blocks, 3, "light, dark, and dark by system preference");
    assert!(css.contains(&format!("--hl-bg: {CODE_BG_LIGHT}")));
    assert!(css.contains(&format!("--hl-bg: {CODE_BG_DARK}")));
    assert!(css.contains("html[data-theme=\"dark\"] {"));
    assert!(
        css.contains("@media (prefers-color-scheme: dark) {\n  html:not([data-theme=\"light\"]) {")
    );
}

#[test]
fn contrast_ratio_matches_known_values() {
    let black = [0, 0, 0];
    let white = [255, 255, 255];
    assert!((contrast_ratio(black, white) - 21.0).abs() < 1e-9);
    assert!((contrast_ratio(white, white) - 1.0).abs() < 1e-9);
    assert_eq!(parse_hex_color("#fff"), Some(white));
    assert_eq!(parse_hex_color("#f6f8fa"), Some([0xf6, 0xf8, 0xfa]));
    assert_eq!(parse_hex_color("red"), None);
}

#[test]
fn every_class_the_rules_emit_has_a_css_rule() {
    let css = Highlighter::css();
    for (_, class) in classes::RULES {
        assert!(
            css.contains(&format!(".highlight .{class} {{")),
            "no rule for .{class}"
        );
    }
}

#[test]
fn a_new_highlighter_reuses_the_syntax_set_an_earlier_one_loaded() {
    let first = Highlighter::new();
    let a = first.highlight("x = 1\n", Some("python"), false);
    let second = Highlighter::new();
    assert!(format!("{second:?}").contains("loaded: true"));
    assert_eq!(second.highlight("x = 1\n", Some("python"), false), a);
}

#[test]
fn a_block_highlighted_twice_is_remembered_and_gives_the_same_html() {
    let code = "def remembered_once():\n    return 42  # unique to this test\n";
    let key = memo::Key::new(code, Some("python"), false);
    assert_eq!(memo::get(&key, code, Some("python"), false), None);
    let h = Highlighter::new();
    let first = h.highlight(code, Some("python"), false);
    assert_eq!(
        memo::get(&key, code, Some("python"), false),
        Some(first.clone())
    );
    assert!(memo::len() >= 1);
    let second = Highlighter::new().highlight(code, Some("python"), false);
    assert_eq!(first, second);
    // The same code under another language or with line numbers is another block.
    let numbered = h.highlight(code, Some("python"), true);
    assert_ne!(numbered, first);
    assert!(numbered.contains("data-ln=\"1\""));
    assert_ne!(h.highlight(code, Some("text"), false), first);
}
