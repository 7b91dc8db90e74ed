use super::*;

fn codes(text: &str, kind: TextKind) -> Vec<&'static str> {
    scan_text_for_identity(text, kind)
        .iter()
        .map(|d| d.code)
        .collect()
}

const ANONYMOUS: &str = "---\nlayout: distill\ntitle: A post\nauthors:\n  - name: Anonymous\n    url: \"\"\n    affiliations:\n      name: Anonymous\n\nbibliography: 2025-04-28-x.bib\n---\n\n## Introduction\n\nText.\n";

#[test]
fn an_anonymous_post_is_clean() {
    assert!(codes(ANONYMOUS, TextKind::Markdown).is_empty());
}

#[test]
fn the_template_example_authors_are_not_leaks() {
    let text = "---\nauthors:\n  - name: Albert Einstein\n    url: \"https://en.wikipedia.org/wiki/Albert_Einstein\"\n    affiliations:\n      name: IAS, Princeton\n---\n";
    assert!(codes(text, TextKind::Markdown).is_empty());
}

#[test]
fn named_authors_and_affiliations_are_errors_with_position() {
    let text = "---\ntitle: x\nauthors:\n  - name: Jane Doe\n    url: https://jane.example.org\n    affiliations:\n      name: MIT\n  - name: \"Anonymous\"\n    affiliation: Stanford # comment\ntoc:\n  - name: Intro\n---\n";
    let d = scan_text_for_identity(text, TextKind::Markdown);
    let got: Vec<_> = d.iter().map(|d| (d.code, d.line, d.col)).collect();
    assert_eq!(
        got,
        [
            ("anon-author", 4, 11),
            ("anon-affiliation", 7, 13),
            ("anon-affiliation", 9, 18)
        ]
    );
    assert!(d[0].message.contains("Jane Doe"));
    assert!(d[2].message.contains("`Stanford`"));
}

#[test]
fn an_author_url_under_an_anonymous_name_is_a_leak() {
    let text = "---\nauthors:\n  - name: Anonymous\n    url: https://janedoe.github.io\n---\n";
    assert_eq!(codes(text, TextKind::Markdown), ["anon-author"]);
}

#[test]
fn acknowledgements_headings_in_markdown_and_html() {
    let d = scan_text_for_identity("## Acknowledgements\n", TextKind::Markdown);
    assert_eq!(
        d[0].severity,
        blogtrack_diag::Severity::Warning,
        "a warning, not an error"
    );
    assert_eq!(
        codes(
            "# Intro\n\n## Acknowledgements\n\nThanks.\n",
            TextKind::Markdown
        ),
        ["anon-acknowledgements"]
    );
    assert_eq!(
        codes("### Acknowledgments\n", TextKind::Markdown),
        ["anon-acknowledgements"]
    );
    assert_eq!(
        codes("<h2 id=\"ack\">Acknowledgements</h2>\n", TextKind::Html),
        ["anon-acknowledgements"]
    );
    assert_eq!(
        codes("**Acknowledgements.** We thank\n", TextKind::Markdown),
        ["anon-acknowledgements"]
    );
    assert!(codes(
        "```\n# Acknowledgements\n```\nWe acknowledge the limits.\n",
        TextKind::Markdown
    )
    .is_empty());
}

#[test]
fn emails_are_found_but_not_file_names_or_examples() {
    let d = scan_text_for_identity("Write to jane.doe@cs.mit.edu today.", TextKind::Markdown);
    assert_eq!(d.len(), 1);
    assert_eq!((d[0].code, d[0].line, d[0].col), ("anon-email", 1, 10));
    for clean in [
        "![x](fig@2x.png)",
        "git clone git@github.com:org/repo.git",
        "contact user@example.com",
        "@inproceedings{key,",
        "https://medium.com/@someone/post",
        "$a @ b$",
    ] {
        assert!(codes(clean, TextKind::Markdown).is_empty(), "{clean}");
    }
}

#[test]
fn local_paths_of_personal_machines() {
    for (text, col) in [
        ("<img src=\"/Users/jane/Desktop/fig.png\">", 11),
        ("path: /home/jdoe/project/out.html", 7),
        ("C:\\Users\\Jane\\plots\\a.html", 1),
        ("\"C:\\\\Users\\\\Jane\\\\plots\"", 2),
        ("C:/Users/Jane/plots", 1),
    ] {
        let d = scan_text_for_identity(text, TextKind::Html);
        assert_eq!(d.len(), 1, "{text}: {d:?}");
        assert_eq!((d[0].code, d[0].col), ("anon-local-path", col), "{text}");
    }
    for clean in [
        "/home/user/data",
        "/home/runner/work",
        "https://example.com/home/jane/page",
        "see /Users/ for details",
        "src=\"//cdn.org/Users/jane/x.js\"",
    ] {
        assert!(codes(clean, TextKind::Html).is_empty(), "{clean}");
    }
}

#[test]
fn profile_links_are_warnings_and_repositories_are_not_flagged() {
    let d = scan_text_for_identity(
        "Code by [me](https://github.com/janedoe).",
        TextKind::Markdown,
    );
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].code, "anon-profile-link");
    assert!(!d[0].is_error());
    for clean in [
        "[repo](https://github.com/openai/lm-human-preferences)",
        "https://github.com/orgs/foo",
        "{% twitter https://twitter.com/jekyllrb %}",
        "https://twitter.com/rasbt/status/1614327550058328064",
        "https://github.com/",
    ] {
        assert!(codes(clean, TextKind::Markdown).is_empty(), "{clean}");
    }
    assert_eq!(
        codes(
            "<a href=\"https://www.linkedin.com/in/jane-doe/\">",
            TextKind::Html
        ),
        ["anon-profile-link"]
    );
    assert_eq!(
        codes("(https://x.com/jane_doe)", TextKind::Markdown),
        ["anon-profile-link"]
    );
}

#[test]
fn notebook_authors_metadata() {
    let nb = r#"{"metadata": {"authors": [{"name": "Jane Doe"}], "kernelspec": {}}, "cells": []}"#;
    assert_eq!(codes(nb, TextKind::Notebook), ["anon-notebook-metadata"]);
    let clean = r#"{"metadata": {"authors": [], "kernelspec": {}}, "cells": []}"#;
    assert!(codes(clean, TextKind::Notebook).is_empty());
    let out = r#"{"text": ["/home/jdoe/venv/lib/site-packages/x.py:3: Warning"]}"#;
    assert_eq!(codes(out, TextKind::Notebook), ["anon-local-path"]);
}

#[test]
fn svg_creators_but_not_tools() {
    let tool = "<metadata><dc:creator><cc:Agent><dc:title>Matplotlib v3.8.2, https://matplotlib.org/</dc:title></cc:Agent></dc:creator></metadata>";
    assert!(codes(tool, TextKind::Svg).is_empty());
    let person = "<metadata><dc:creator><cc:Agent><dc:title>Jane Doe</dc:title></cc:Agent></dc:creator></metadata>";
    let d = scan_text_for_identity(person, TextKind::Svg);
    assert_eq!(d.len(), 1);
    assert!(d[0].message.contains("Jane Doe"));
}

#[test]
fn hostile_input_does_not_panic_or_hang() {
    let big = "@".repeat(200_000) + &"/home/".repeat(50_000) + "é@\u{0}.c";
    let _ = scan_text_for_identity(&big, TextKind::Markdown);
    let _ = scan_text_for_identity("---\nauthors:", TextKind::Markdown);
    let _ = scan_text_for_identity("\u{FEFF}---\nauthors:\n- name: \"", TextKind::Markdown);
    let _ = scan_text_for_identity("<dc:creator>", TextKind::Svg);
}

// ---- issue 13: false alarms ----

#[test]
fn emails_in_licence_banners_and_minified_bundles_are_not_the_authors() {
    let minified = format!(
        "<script>{}var k=\"mailto:dev@lib-maker.io\";{}</script>",
        "a=1;".repeat(300),
        "b=2;".repeat(300)
    );
    for vendored in [
        "<script>/*! tinylib v1.2 | (c) Pat Coder <pat@coder.dev> | MIT */ var x;</script>",
        "<script>\n/**\n * @license Ratio.js v4.0\n * Copyright (c) 2020, Sam Maker (sam@maker.org)\n */\n</script>",
        "<script>\n/*\n * Big number helpers\n * @author Lee Writer <lee@writer.net>\n */\nfunction f() {}\n</script>",
        "<style>/*! theme v5 | Licensed MIT | ops@theme.dev */ body{}</style>",
        minified.as_str(),
    ] {
        assert!(
            codes(vendored, TextKind::Html).is_empty(),
            "{}",
            &vendored[..80.min(vendored.len())]
        );
    }
    // The authors' own code and text still count.
    for own in [
        "<p>Contact jane.doe@cs.uni.edu</p>",
        "<script>// ask jane.doe@cs.uni.edu\nvar x = 1;</script>",
        "<script>/* plot helpers, ask jane.doe@cs.uni.edu */</script>",
    ] {
        assert_eq!(codes(own, TextKind::Html), ["anon-email"], "{own}");
    }
}

#[test]
fn placeholder_authors_are_not_leaks() {
    let text = "---\nauthors:\n  - name: anonymous\n    url: \"Anonymous\"\n    affiliations:\n      name: NA\n  - name: ANONYMOUS\n    affiliations:\n      name: N/A\n  - name: Anonymous\n    affiliation: Anonymous\n---\n";
    assert!(codes(text, TextKind::Markdown).is_empty());
    assert_eq!(classify_author_value("n/a"), AuthorValue::Placeholder);
    assert_eq!(
        classify_author_value(" Anonymous 2 "),
        AuthorValue::Placeholder
    );
    assert_eq!(classify_author_value("Boris Podolsky"), AuthorValue::Sample);
    assert_eq!(
        classify_author_value("https://en.wikipedia.org/wiki/Nathan_Rosen"),
        AuthorValue::Sample
    );
    assert_eq!(classify_author_value("IAS, Princeton"), AuthorValue::Sample);
    assert_eq!(classify_author_value("Jane Doe"), AuthorValue::Identifying);
}

/// Regression: the commented-out camera-ready example that `blogtrack new` writes was reported
/// as two `anon-comment` errors, so a fresh post failed `check` in review phase.
#[test]
fn the_scaffolds_commented_out_author_example_is_not_a_leak() {
    let text = "---\n#   authors:\n#     - name: Your Name\n#       url: \"https://your.page\"\n#       affiliations:\n#         name: Your Institution\nauthors:\n  - name: Anonymous\n---\n";
    assert!(codes(text, TextKind::Markdown).is_empty());
}

// ---- issue 13: leaks caught ----

#[test]
fn commented_out_authors_in_the_front_matter_are_leaks() {
    let text = "---\ntitle: x\nauthors:\n  - name: Anonymous\n#  - name: Jane Doe\n#    url: \"https://janedoe.net\"\n#    affiliations:\n#      name: Uni Example Town\ntoc:\n  - name: Intro\n#  - name: Old section\n# authors:\n#   - name: John Roe\n---\n\nBody.\n";
    let d = scan_text_for_identity(text, TextKind::Markdown);
    let got: Vec<_> = d.iter().map(|d| (d.code, d.line, d.col)).collect();
    assert_eq!(
        got,
        [
            ("anon-comment", 5, 12),
            ("anon-comment", 6, 11),
            ("anon-comment", 8, 14),
            ("anon-comment", 13, 13)
        ],
        "{d:?}"
    );
    assert!(d[0].message.contains("`Jane Doe`"));
    // The template's own comments and sample authors are not leaks.
    let template = "---\nauthors:\n#  - name: Albert Einstein\n#    url: \"https://en.wikipedia.org/wiki/Albert_Einstein\"\n# must be the exact same name as your blogpost\nbibliography: x.bib\n---\n";
    assert!(codes(template, TextKind::Markdown).is_empty());
}

#[test]
fn author_lines_in_html_comments_of_the_body_are_leaks() {
    let text = "---\nauthors:\n  - name: Anonymous\n---\n\nText.\n\n<!--\nauthors:\n  - name: Jane Doe\n    affiliations: Uni Example Town\n-->\n\n```html\n<!-- name: Not A Leak -->\n```\n<!-- TODO: name: intro figure? -->\n";
    let d = scan_text_for_identity(text, TextKind::Markdown);
    let got: Vec<_> = d.iter().map(|d| (d.code, d.line)).collect();
    assert_eq!(got, [("anon-comment", 10), ("anon-comment", 11)], "{d:?}");
}

#[test]
fn profile_links_followed_by_punctuation_are_found() {
    for text in [
        "Code at https://github.com/janedoe.",
        "see https://github.com/janedoe: it has it",
        "(https://twitter.com/janedoe!)",
    ] {
        assert_eq!(
            codes(text, TextKind::Markdown),
            ["anon-profile-link"],
            "{text}"
        );
    }
    for clean in [
        "https://github.com/janedoe.github.io",
        "https://github.com/org/repo.",
    ] {
        assert!(codes(clean, TextKind::Markdown).is_empty(), "{clean}");
    }
}
