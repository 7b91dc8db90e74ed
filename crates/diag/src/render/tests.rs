use super::*;

fn sample() -> Vec<Diagnostic> {
    vec![
        Diagnostic::error("anon-email", "e-mail address `jane@mit.edu`")
            .in_file("_posts/2025-04-28-x.md")
            .at(2, 7)
            .with_hint("remove e-mail addresses during review"),
        Diagnostic::warning(
            "path-junk-file",
            "`.DS_Store` is an operating-system leftover",
        )
        .in_file("assets/img/2025-04-28-x/.DS_Store"),
    ]
}

fn source(file: &str) -> Option<String> {
    (file == "_posts/2025-04-28-x.md").then(|| "---\nMail: jane@mit.edu\n---\n".to_string())
}

fn summary() -> Summary {
    Summary {
        slug: Some("2025-04-28-x".into()),
        files: 2,
        strict: false,
    }
}

#[test]
fn human_format_shows_the_line_and_a_caret() {
    let out = render_report(
        &sample(),
        &source,
        Format::Human { color: false },
        &summary(),
    );
    let expected = "\
error[anon-email]: e-mail address `jane@mit.edu`
 --> _posts/2025-04-28-x.md:2:7
  |
2 | Mail: jane@mit.edu
  |       ^
  = help: remove e-mail addresses during review

warning[path-junk-file]: `.DS_Store` is an operating-system leftover
 --> assets/img/2025-04-28-x/.DS_Store
  = help: remove it from the pull request

failed: 1 error, 1 warning (2025-04-28-x)
";
    let mut diags = sample();
    diags[1].hint = Some("remove it from the pull request".into());
    let out2 = render_report(&diags, &source, Format::Human { color: false }, &summary());
    assert_eq!(out2, expected);
    assert!(!out.contains('\x1b'));
    let colored = render_report(
        &sample(),
        &source,
        Format::Human { color: true },
        &summary(),
    );
    assert!(colored.contains("\x1b[1;31m"));
}

#[test]
fn human_format_escapes_terminal_controls() {
    let d = vec![Diagnostic::error("x", "bad \x1b[2J name\u{202E}")];
    let out = render_report(
        &d,
        &|_| None,
        Format::Human { color: false },
        &Summary::default(),
    );
    assert!(out.contains("bad \\u{1b}[2J name\\u{202e}"));
    assert_eq!(
        render_report(
            &[],
            &|_| None,
            Format::Human { color: false },
            &Summary::default()
        ),
        "ok: no problems found\n"
    );
}

#[test]
fn json_has_summary_and_escaped_strings() {
    let mut d = sample();
    d[0].message = "quote \" backslash \\ newline \n ctl \u{1}".into();
    let out = render_report(&d, &|_| None, Format::Json, &summary());
    assert!(
        out.contains(r#""message": "quote \" backslash \\ newline \n ctl \u0001""#),
        "{out}"
    );
    assert!(out.contains(r#""summary": {"slug": "2025-04-28-x", "files": 2, "errors": 1, "warnings": 1, "notes": 0, "strict": false, "passed": false}"#));
    assert!(out.contains(r#""file": "assets/img/2025-04-28-x/.DS_Store", "line": 0, "col": 0"#));
    assert!(out.contains(r#""hint": null"#));
}

#[test]
fn json_strings_escape_every_control_and_the_javascript_line_ends() {
    let mut d = sample();
    d[0].message = "a\u{8}b\u{1f}c\u{7f}d\u{2028}e\u{2029}f\tg".into();
    let out = render_report(&d, &|_| None, Format::Json, &summary());
    assert!(
        out.contains(r#""message": "a\bb\u001fc"#) && out.contains(r#"d\u2028e\u2029f\tg""#),
        "{out}"
    );
    let parsed: serde_json::Value = serde_json::from_str(&out).expect("the report is JSON");
    assert_eq!(
        parsed["diagnostics"][0]["message"],
        "a\u{8}b\u{1f}c\u{7f}d\u{2028}e\u{2029}f\tg"
    );
}

#[test]
fn github_annotations_cannot_be_injected() {
    let d = vec![
        Diagnostic::error("path-outside-submission", "evil\n::error::pwned 100%")
            .in_file("a,b:c\n::warning::x.md")
            .at(3, 1)
            .with_hint("fix"),
    ];
    let out = render_report(&d, &|_| None, Format::Github, &Summary::default());
    assert_eq!(
        out,
        "::error file=a%2Cb%3Ac%0A%3A%3Awarning%3A%3Ax.md,line=3,col=1,title=error [path-outside-submission]::evil%0A::error::pwned 100%25%0Ahelp: fix\n"
    );
    assert_eq!(out.lines().count(), 1);
}

#[test]
fn markdown_is_friendly_and_inert() {
    let d = vec![Diagnostic::error(
        "path-title-mismatch",
        "title `@octocat <img src=x onerror=alert(1)> | *x*`",
    )
    .with_hint("set the title to exactly 2025-04-28-x")];
    let out = render_report(&d, &|_| None, Format::Markdown, &summary());
    assert!(out.starts_with(
        "### ❌ Submission check found problems for 2025-04-28-x\n\n1 error, 0 warnings."
    ));
    assert!(
        out.contains("@\u{200B}octocat &lt;img src=x onerror=alert\\(1\\)&gt; \\| \\*x\\*"),
        "{out}"
    );
    let rows: Vec<_> = out.lines().filter(|l| l.starts_with('|')).collect();
    assert_eq!(rows.len(), 3);
    let clean = render_report(&[], &|_| None, Format::Markdown, &summary());
    assert!(clean.starts_with("### ✅ Submission check passed"));
}

#[test]
fn warnings_fail_only_when_strict() {
    let w = vec![Diagnostic::warning("x", "w")];
    assert_eq!(exit_code(&w, false), 0);
    assert_eq!(exit_code(&w, true), 1);
    assert_eq!(exit_code(&sample(), false), 1);
    assert_eq!(exit_code(&[], true), 0);
}

#[test]
fn long_source_lines_are_windowed_around_the_column() {
    let line = "x".repeat(1000) + "@";
    let (shown, caret) = excerpt(&line, 1001);
    assert!(shown.chars().count() <= 122);
    assert_eq!(shown.chars().nth(caret), Some('@'));
}

/// A hint written on two lines, as some rules do (`tests/check.rs` has the one the binary gives).
fn two_line_hint() -> Vec<Diagnostic> {
    vec![
        Diagnostic::error("content-script", "a `<script>` in the post body")
            .in_file("_posts/2025-04-28-x.md")
            .with_hint(
                "move the script to assets/html/2025-04-28-x/\nand show it with an <iframe>",
            ),
    ]
}

#[test]
fn a_multi_line_hint_keeps_its_lines_in_every_format() {
    let d = two_line_hint();
    let human = render_report(&d, &|_| None, Format::Human { color: false }, &summary());
    assert!(
        human.contains(
            "  = help: move the script to assets/html/2025-04-28-x/\n          and show it with an <iframe>\n"
        ),
        "{human}"
    );
    let markdown = render_report(&d, &|_| None, Format::Markdown, &summary());
    assert!(
        markdown.contains("assets/html/2025-04-28-x/<br>and show it with an &lt;iframe&gt; |"),
        "{markdown}"
    );
    let json = render_report(&d, &|_| None, Format::Json, &summary());
    assert!(json.contains(r#"2025-04-28-x/\nand show"#), "{json}");
    let github = render_report(&d, &|_| None, Format::Github, &summary());
    assert!(github.contains("2025-04-28-x/%0Aand show"), "{github}");
    for out in [&human, &markdown, &json, &github] {
        assert!(
            !out.contains("\\u{a}"),
            "a line break printed as an escape:\n{out}"
        );
    }
}

#[test]
fn a_line_of_a_message_cannot_pass_for_a_diagnostic() {
    let d = vec![Diagnostic::error(
        "x",
        "first\nerror[fake]: second\r\nthird\rfourth",
    )];
    let human = render_report(
        &d,
        &|_| None,
        Format::Human { color: false },
        &Summary::default(),
    );
    assert!(
        human.starts_with("error[x]: first\n  error[fake]: second\n  third\\u{d}fourth\n"),
        "{human}"
    );
    assert_eq!(human.lines().filter(|l| l.starts_with("error")).count(), 1);
}

#[test]
fn a_diagnostic_without_a_file_has_null_in_json_and_no_file_in_github() {
    let d = vec![Diagnostic::error("path-no-post", "no post").in_file("")];
    let json = render_report(&d, &source, Format::Json, &summary());
    assert!(json.contains("\"file\": null"), "{json}");
    let gh = render_report(&d, &source, Format::Github, &summary());
    assert!(!gh.contains("file="), "{gh}");
}
