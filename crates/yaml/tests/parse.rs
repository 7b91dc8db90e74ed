//! How YAML text becomes nodes: the Jekyll (Psych, YAML 1.1) behaviour authors rely on.

use blogtrack_yaml::{parse, parse_mapping, parse_page, parse_with_warnings, Node, Value};

fn doc(text: &str) -> Node {
    parse(text).unwrap_or_else(|d| panic!("{d}"))
}

fn get<'a>(n: &'a Node, key: &str) -> &'a Value {
    &n.get(key).unwrap_or_else(|| panic!("no key {key}")).value
}

fn err(text: &str) -> blogtrack_diag::Diagnostic {
    parse(text).expect_err("should not parse")
}

#[test]
fn plain_scalars_resolve_with_yaml_1_1_rules() {
    let n = doc("a: yes\nb: Off\nc: ~\nd:\ne: 0x1F\nf: 1.5\ng: 2024-05-07\nh: y\ni: hello world\n");
    assert_eq!(get(&n, "a"), &Value::Bool(true));
    assert_eq!(get(&n, "b"), &Value::Bool(false));
    assert_eq!(get(&n, "c"), &Value::Null);
    assert_eq!(get(&n, "d"), &Value::Null);
    assert_eq!(get(&n, "e"), &Value::Int(31));
    assert_eq!(get(&n, "f"), &Value::Float(1.5));
    assert!(matches!(get(&n, "g"), Value::Timestamp(t) if t.year == 2024 && t.day == 7));
    assert_eq!(get(&n, "h"), &Value::Str("y".into()));
    assert_eq!(get(&n, "i"), &Value::Str("hello world".into()));
}

#[test]
fn quoted_scalars_are_always_strings() {
    let n = doc("a: \"yes\"\nb: '2024-05-07'\nc: \"12\"\nd: ''\n");
    assert_eq!(get(&n, "a"), &Value::Str("yes".into()));
    assert_eq!(get(&n, "b"), &Value::Str("2024-05-07".into()));
    assert_eq!(get(&n, "c"), &Value::Str("12".into()));
    assert_eq!(get(&n, "d"), &Value::Str("".into()));
}

#[test]
fn block_scalars_follow_folding_and_chomping() {
    let n = doc(concat!(
        "lit: |\n  one\n  two\n\n",
        "strip: |-\n  one\n  two\n\n",
        "keep: |+\n  one\n\n",
        "fold: >\n  one\n  two\n\n  three\n    indented\n",
        "fold_strip: >-\n  a\n  b\n",
        "end: x\n"
    ));
    assert_eq!(get(&n, "lit"), &Value::Str("one\ntwo\n".into()));
    assert_eq!(get(&n, "strip"), &Value::Str("one\ntwo".into()));
    assert_eq!(get(&n, "keep"), &Value::Str("one\n\n".into()));
    assert_eq!(
        get(&n, "fold"),
        &Value::Str("one two\nthree\n  indented\n".into())
    );
    assert_eq!(get(&n, "fold_strip"), &Value::Str("a b".into()));
}

#[test]
fn multi_line_plain_scalars_fold_into_one_line() {
    let n = doc("description: Your abstract.\n  More words here.\n  Last.\n");
    assert_eq!(
        get(&n, "description"),
        &Value::Str("Your abstract. More words here. Last.".into())
    );
}

#[test]
fn every_node_and_key_has_its_position() {
    let n = doc("title: A\nauthors:\n  - name: B\n    url: c\n");
    let authors = n.get("authors").unwrap();
    assert_eq!((authors.line, authors.col), (3, 3));
    let first = &authors.as_seq().unwrap()[0];
    let url_key = first.get_key("url").unwrap();
    assert_eq!((url_key.line, url_key.col), (4, 5));
    let url = first.get("url").unwrap();
    assert_eq!((url.line, url.col), (4, 10));
}

#[test]
fn maps_keep_source_order_and_duplicates_warn() {
    let (n, warnings) = parse_with_warnings("b: 1\na: 2\nb: 3\n");
    let n = n.unwrap();
    let keys: Vec<&str> = n
        .as_map()
        .unwrap()
        .iter()
        .map(|(k, _)| k.name.as_str())
        .collect();
    assert_eq!(keys, ["b", "a"]);
    assert_eq!(n.get("b").and_then(Node::as_i64), Some(3));
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].code, "yaml-duplicate-key");
    assert_eq!((warnings[0].line, warnings[0].col), (3, 1));
    assert!(warnings[0].message.contains("first 2 line(s) above"));
}

#[test]
fn anchors_aliases_and_merge_keys() {
    let n = doc("base: &b {x: 1, y: 2}\ncopy: *b\nmerged:\n  <<: *b\n  y: 3\n");
    assert_eq!(
        n.get("copy").unwrap().get("x").and_then(Node::as_i64),
        Some(1)
    );
    let m = n.get("merged").unwrap();
    assert_eq!(m.get("x").and_then(Node::as_i64), Some(1));
    assert_eq!(
        m.get("y").and_then(Node::as_i64),
        Some(3),
        "explicit keys win"
    );
}

#[test]
fn billion_laughs_is_refused_with_a_diagnostic() {
    let mut text = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let p = i - 1;
        text.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let d = err(&text);
    assert_eq!(d.code, "yaml-too-large");
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    let flow = "[".repeat(100_000);
    assert_eq!(err(&flow).code, "yaml-too-deep");
    let mut block = String::new();
    for i in 0..2000 {
        block.push_str(&" ".repeat(i));
        block.push_str("a:\n");
    }
    assert_eq!(err(&block).code, "yaml-too-deep");
    let dashes = "- ".repeat(5000);
    assert_eq!(err(&dashes).code, "yaml-too-deep");
}

#[test]
fn core_tags_are_honoured() {
    let n = doc("a: !!str 2024-05-07\nb: !!int \"12\"\nc: !!float 3\n");
    assert_eq!(get(&n, "a"), &Value::Str("2024-05-07".into()));
    assert_eq!(get(&n, "b"), &Value::Int(12));
    assert_eq!(get(&n, "c"), &Value::Float(3.0));
    assert_eq!(err("a: !!int abc\n").code, "yaml-syntax");
}

#[test]
fn text_conversion_and_type_names() {
    let n = doc("a: 5\nb: true\nc: 2024-05-07\nd: [1]\ne: 1.0\n");
    assert_eq!(n.get("a").unwrap().to_text().as_deref(), Some("5"));
    assert_eq!(n.get("b").unwrap().to_text().as_deref(), Some("true"));
    assert_eq!(n.get("c").unwrap().to_text().as_deref(), Some("2024-05-07"));
    assert_eq!(n.get("e").unwrap().to_text().as_deref(), Some("1.0"));
    assert_eq!(n.get("d").unwrap().to_text(), None);
    assert_eq!(n.get("d").unwrap().type_name(), "list");
    assert_eq!(n.get("a").unwrap().type_name(), "integer");
    assert_eq!(n.type_name(), "map");
}

#[test]
fn crlf_line_endings() {
    let n = doc("title: A\r\ndescription: >\r\n  one\r\n  two\r\n");
    assert_eq!(get(&n, "title"), &Value::Str("A".into()));
    assert_eq!(get(&n, "description"), &Value::Str("one two\n".into()));
}

#[test]
fn only_the_first_document_is_read() {
    let n = doc("a: 1\n---\nb: 2\n");
    assert!(n.get("b").is_none());
}

#[test]
fn mappings_expected_for_settings() {
    assert_eq!(
        parse_mapping("").0.unwrap().as_map().map(<[_]>::len),
        Some(0)
    );
    assert_eq!(
        parse_mapping("# only a comment\n")
            .0
            .unwrap()
            .as_map()
            .map(<[_]>::len),
        Some(0)
    );
    assert_eq!(parse_mapping("- a\n").0.unwrap_err().code, "yaml-not-a-map");
}

#[test]
fn page_positions_are_file_lines() {
    let text = "---\ntitle: A\nbad: [x\n---\nbody\n";
    let d = parse_page(text).0.unwrap_err();
    assert_eq!(d.code, "yaml-syntax");
    assert!(d.line >= 3, "{d}");

    let (page, _) = parse_page("---\nlayout: post\ntitle: A\n---\nbody\n");
    let page = page.unwrap();
    assert_eq!(page.data.get("title").map(|n| n.line), Some(3));
    assert_eq!(page.body, "body\n");
    assert_eq!(page.body_first_line, 5);
    let empty = parse_page("---\n---\n").0.unwrap();
    assert_eq!(empty.data.as_map().map(<[_]>::len), Some(0));
}

// Messages for the mistakes authors make.

#[test]
fn tab_in_indentation() {
    let d = err("authors:\n\t- name: A\n");
    assert_eq!((d.line, d.col), (2, 1));
    assert!(d.message.contains("tab"), "{}", d.message);
    assert!(d.hint.unwrap().contains("spaces"));
}

#[test]
fn a_control_character_is_named_not_mistaken_for_a_tab() {
    let d = err("layout: distill\ntitle: Ba\u{0}d\n");
    assert_eq!((d.code, d.line, d.col), ("yaml-syntax", 2, 10));
    assert_eq!(
        d.message,
        "the control character U+0000 is not allowed in YAML"
    );
}

#[test]
fn unquoted_colon_in_a_title() {
    let d = err("title: Foo: Bar\n");
    assert_eq!(d.line, 1);
    assert!(d.message.contains("`: `"), "{}", d.message);
    assert_eq!(
        d.hint.as_deref(),
        Some("put the value in quotes: title: \"Foo: Bar\"")
    );
}

#[test]
fn unclosed_quote_points_at_the_opening_quote() {
    let d = err("layout: post\ntitle: \"Foo bar\ndate: 2024-01-01\n");
    assert_eq!((d.line, d.col), (2, 8));
    assert!(d.message.contains("never closed"), "{}", d.message);
}

#[test]
fn inner_quotes_suggest_the_other_quote_kind() {
    let d = err("title: \"Foo \"bar\" baz\"\n");
    assert!(d.hint.unwrap().contains("title: 'Foo \"bar\" baz'"));
}

#[test]
fn value_starting_with_a_bracket_or_reserved_character() {
    let d = err("title: [WIP] my post\n");
    assert!(d.message.contains("`[`"), "{}", d.message);
    assert!(d.hint.unwrap().contains("title: \"[WIP] my post\""));
    let d = err("handle: @me\n");
    assert!(d.message.contains("cannot start with `@`"), "{}", d.message);
    let d = err("title: *Very* important\n");
    assert!(d.message.contains("`*`"), "{}", d.message);
    assert!(d.hint.unwrap().contains("quotes"));
}

#[test]
fn over_indented_key() {
    let d = err("a: 1\n  b: 2\n");
    assert_eq!((d.line, d.col), (2, 3));
    assert!(d.message.contains("indented"), "{}", d.message);
}

#[test]
fn hostile_inputs_never_panic() {
    for text in [
        "\u{0}",
        "&a [*a]",
        "? [a]\n: b\n",
        "{",
        "}",
        "]",
        "- - -",
        "%YAML 1.1\n",
        "!!",
        "*",
        "&",
        "a: |\n\tx",
        "'",
        "\"\\u12\"",
        ":\n:",
        "---\n...\n---",
        "? |\n x\n: y",
    ] {
        let _ = parse_with_warnings(text);
        let _ = parse_page(text);
    }
}

// What libyaml (Jekyll's Psych) accepts beyond the spec; each expected value is what
// `ruby -e 'require "psych"; p Psych.safe_load(...)'` (libyaml 0.2.5) printed for the same text.

fn lenient(text: &str) -> (Node, Vec<blogtrack_diag::Diagnostic>) {
    let (r, w) = parse_with_warnings(text);
    (r.unwrap_or_else(|d| panic!("{d}")), w)
}

#[test]
fn quoted_value_continued_at_column_one_reads_as_jekyll_read_it() {
    let (n, w) = lenient("title: x\ndescription: \"first line\nsecond line.\"\nb: 1\n");
    assert_eq!(
        get(&n, "description"),
        &Value::Str("first line second line.".into())
    );
    assert_eq!(get(&n, "b"), &Value::Int(1));
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].code, "yaml-not-portable");
    assert_eq!(w[0].severity, blogtrack_diag::Severity::Note);
    assert_eq!((w[0].line, w[0].col), (2, 14));
    assert!(
        w[0].message.contains("not portable YAML"),
        "{}",
        w[0].message
    );

    let (n, w) = lenient("description: 'it''s\n\nhere'\n");
    assert_eq!(get(&n, "description"), &Value::Str("it's\nhere".into()));
    assert_eq!(w.len(), 1);
    let (n, _) = lenient("d: \"a\n\n\nb \\\nc\"\n");
    assert_eq!(get(&n, "d"), &Value::Str("a\n\nb c".into()));
    let (n, _) = lenient("t: \"a\r\n\tb\"\r\n");
    assert_eq!(get(&n, "t"), &Value::Str("a b".into()));
}

#[test]
fn quoted_values_under_indented_in_nested_lists_and_maps() {
    let (n, w) = lenient(concat!(
        "toc:\n  - name: \"Intro\nto it\"\n    subsections:\n",
        "      - name: 'Deep\n one'\nauthors:\n  - \"A\nB\"\n"
    ));
    let toc = n.get("toc").unwrap().as_seq().unwrap();
    assert_eq!(get(&toc[0], "name"), &Value::Str("Intro to it".into()));
    let sub = toc[0].get("subsections").unwrap().as_seq().unwrap();
    assert_eq!(get(&sub[0], "name"), &Value::Str("Deep one".into()));
    let authors = n.get("authors").unwrap().as_seq().unwrap();
    assert_eq!(authors[0].value, Value::Str("A B".into()));
    let lines: Vec<u32> = w.iter().map(|d| d.line).collect();
    assert_eq!(lines, [2, 5, 8]);
}

#[test]
fn inline_lists_continued_at_column_one_and_columns_after_them() {
    let (n, w) = lenient("tags: [a,\nb]\nx: [\"p\nq\", z]\n");
    let tags: Vec<_> = n.get("tags").unwrap().as_seq().unwrap().to_vec();
    assert_eq!(tags[1].value, Value::Str("b".into()));
    assert_eq!((tags[1].line, tags[1].col), (2, 1));
    let x = n.get("x").unwrap().as_seq().unwrap();
    assert_eq!(x[0].value, Value::Str("p q".into()));
    // `z` is in column 5 of the original line `q", z]`.
    assert_eq!((x[1].line, x[1].col), (4, 5));
    assert_eq!(w.len(), 2);
}

#[test]
fn tab_after_a_key_is_a_space_as_in_libyaml() {
    let (n, w) = lenient("a:\tb\nc: 1\n");
    assert_eq!(get(&n, "a"), &Value::Str("b".into()));
    assert_eq!(
        (w[0].code, w[0].line, w[0].col),
        ("yaml-not-portable", 1, 3)
    );
    // A tab in the indentation is an error for libyaml too.
    assert_eq!(err("a:\n\tb: 1\n").line, 2);
}

#[test]
fn what_libyaml_rejects_keeps_its_error_and_line() {
    // A document marker inside a quoted value, an unclosed quote, a plain value continued at
    // column one: libyaml fails on these as well.
    assert_eq!(err("title: \"a\n---\nb\"\n").line, 1);
    assert_eq!(err("title: \"abc\nb: 2\n").line, 1);
    let d = err("a: b\nc\n\n");
    assert_eq!((d.code, d.line, d.col), ("yaml-syntax", 2, 1));
    assert!(d.message.contains("not indented"), "{}", d.message);
    // A real error after a value that only libyaml accepts is reported where it is.
    let d = err("description: \"a\nb\"\ntitle: a: b\n");
    assert_eq!((d.line, d.col), (3, 9));
    assert!(d.message.contains("`: `"), "{}", d.message);
    // And one before it too.
    let d = err("title: a: b\ndescription: \"a\nb\"\n");
    assert_eq!((d.line, d.col), (1, 9));
}

#[test]
fn valid_yaml_gets_no_portability_note() {
    let (_, w) = lenient("a: \"x\n  y\"\nb: |\n  \"not a quote\nc: it's \"here\n");
    assert!(w.is_empty(), "{w:?}");
}

#[test]
fn front_matter_note_points_at_the_file_line() {
    let text = "---\ntitle: T\ndescription: \"one\ntwo\"\n---\nbody\n";
    let (page, w) = parse_page(text);
    let page = page.unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(
        get(&page.data, "description"),
        &Value::Str("one two".into())
    );
    assert_eq!((w[0].code, w[0].line), ("yaml-not-portable", 3));
}

#[test]
fn lenient_reading_of_hostile_text_stays_linear_and_never_panics() {
    let storms = [
        "a: ".to_string() + &"- ".repeat(200_000) + "\"x\ny\"\n",
        "a: \"".to_string() + &"é\n".repeat(100_000),
        "a: [".to_string() + &"[\n".repeat(50_000) + "]:\t\n",
        "k: \"é\\".to_string() + &"'\"\n\t".repeat(50_000),
    ];
    for s in storms {
        let _ = parse_with_warnings(&s);
    }
}
