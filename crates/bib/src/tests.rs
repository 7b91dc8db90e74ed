//! Behaviour of the parser and formatter on the messy cases found in real `.bib` files.

use super::*;
use blogtrack_diag::Severity;

fn one(bib: &str) -> Entry {
    let (b, d) = parse(bib);
    assert_eq!(b.len(), 1, "diagnostics: {d:?}");
    let e = b.iter().next().cloned().expect("one entry");
    e
}

fn codes(d: &[Diagnostic]) -> Vec<&'static str> {
    d.iter().map(|d| d.code).collect()
}

#[test]
fn a_plain_article_formats_distill_style() {
    let e = one("@article{vaswani2017,
  title = {Attention Is All You Need},
  author = {Vaswani, Ashish and Shazeer, Noam and Parmar, Niki},
  journal = {Advances in Neural Information Processing Systems},
  volume = {30},
  number = {2},
  pages = {5998--6008},
  year = {2017},
  doi = {https://doi.org/10.5555/3295222.3295349}
}");
    assert_eq!(e.kind, "article");
    assert_eq!(e.line, 1);
    assert_eq!(e.doi().as_deref(), Some("10.5555/3295222.3295349"));
    assert_eq!(
        e.format_html(),
        "A. Vaswani, N. Shazeer, N. Parmar. 2017. <b>Attention Is All You Need</b>. \
         Advances in Neural Information Processing Systems, 30(2), pp. 5998–6008. \
         <a href=\"https://doi.org/10.5555/3295222.3295349\" rel=\"noopener\">[link]</a>"
    );
    assert_eq!(
        e.format_text(),
        "A. Vaswani, N. Shazeer, N. Parmar. 2017. Attention Is All You Need. \
         Advances in Neural Information Processing Systems, 30(2), pp. 5998–6008. \
         https://doi.org/10.5555/3295222.3295349"
    );
}

#[test]
fn duplicate_keys_keep_the_last_and_name_both_lines() {
    let (b, d) =
        parse("@misc{a, title={First}}\n\n@misc{b, title={B}}\n@misc{a, title={Second}}\n");
    assert_eq!(b.len(), 2);
    assert_eq!(b.get("a").map(|e| e.title()), Some("Second".into()));
    assert_eq!(b.keys().collect::<Vec<_>>(), ["b", "a"]);
    assert_eq!(codes(&d), ["bib-duplicate-key"]);
    assert_eq!(d[0].line, 4);
    assert!(d[0].message.contains("line 4") && d[0].message.contains("line 1"));
}

#[test]
fn a_stray_closing_brace_between_entries_is_only_a_note() {
    let (b, d) = parse("@article{a,\n title={A},\n year={2016}}\n}\n\n@misc{b, title={B}}\n");
    assert_eq!(b.len(), 2);
    assert_eq!(codes(&d), ["bib-stray-text"]);
    assert_eq!((d[0].severity, d[0].line), (Severity::Note, 4));
}

#[test]
fn an_unbalanced_brace_costs_one_entry_only() {
    let bib = "@article{good1, title={One}}\n\
               @article{bad,\n  title={Unclosed {group},\n  year={2020}\n}\n\
               @article{good2, title={Two}}\n";
    let (b, d) = parse(bib);
    assert_eq!(b.keys().collect::<Vec<_>>(), ["good1", "good2"]);
    assert_eq!(codes(&d), ["bib-syntax"]);
    assert_eq!(d[0].line, 2, "points at the entry");
    assert!(d[0].message.contains("`bad`"), "{}", d[0].message);
    assert!(d[0].message.contains("unbalanced"), "{}", d[0].message);
}

#[test]
fn syntax_errors_are_reported_and_skipped() {
    let bib = "@article{nocomma title={X}}\n@article{, title={X}}\n@article{k, title {X}}\n\
               @article{ok, title={Fine}}\n@article{trunc, title={X}";
    let (b, d) = parse(bib);
    assert_eq!(b.keys().collect::<Vec<_>>(), ["ok"]);
    assert_eq!(codes(&d), ["bib-syntax"; 4]);
    assert_eq!(d.iter().map(|d| d.line).collect::<Vec<_>>(), [1, 2, 3, 5]);
}

#[test]
fn comments_strings_months_and_concatenation() {
    let bib = r#"% a comment line with @article{fake, title={no}}
@string{neurips = "Advances in Neural Information Processing Systems"}
@comment{anything {here}}
@preamble{"\newcommand{\x}{y}"}
@inproceedings{k,
  title = "A " # {B} # "C",
  booktitle = neurips # { 33},
  month = jan,
  % note = {commented out},
  year = 2020,
}"#;
    let (b, d) = parse(bib);
    assert!(d.is_empty(), "{d:?}");
    let e = b.get("k").expect("entry k");
    assert_eq!(b.len(), 1);
    assert_eq!(e.title(), "A BC");
    assert_eq!(
        e.venue().as_deref(),
        Some("Advances in Neural Information Processing Systems 33")
    );
    assert_eq!(e.field("month"), Some("January"));
    assert_eq!(e.year().as_deref(), Some("2020"));
    assert_eq!(e.field("note"), None);
}

#[test]
fn month_macro_concatenated_with_a_string() {
    let e = one("@misc{s, title={T}, month = \"14 \" # may, year=1987}");
    assert_eq!(e.field("month"), Some("14 May"));
}

#[test]
fn unknown_macros_are_kept_as_text_with_a_warning() {
    let (b, d) = parse("@misc{k, title={T}, publisher = acm}");
    assert_eq!(b.get("k").and_then(|e| e.field("publisher")), Some("acm"));
    assert_eq!(codes(&d), ["bib-unknown-macro"]);
}

#[test]
fn parenthesised_entries_and_quoted_values_with_braces() {
    let e = one(
        r#"@book(k, title = "The {"}Quoted{"} {BOOK}", publisher = {O'Reilly}, year = {2001})"#,
    );
    assert_eq!(e.title(), "The \"Quoted\" BOOK");
    assert_eq!(e.venue().as_deref(), Some("O'Reilly"));
}

#[test]
fn accents_and_case_protection_in_titles_and_names() {
    let e = one(
        r#"@article{k, author = {M{\"u}ller, J{\"o}rg and Fran\c{c}ois Chollet}, title = {{BERT} for {\'E}t{\'e}}}"#,
    );
    assert_eq!(e.title(), "BERT for Été");
    let names: Vec<String> = e.authors().iter().map(Person::full).collect();
    assert_eq!(names, ["Jörg Müller", "François Chollet"]);
}

#[test]
fn math_in_titles_goes_to_the_math_renderer() {
    let e = one(r"@article{k, title = {Fast {$\epsilon$}-Free Inference with $O(n^2)$ Cost}}");
    assert_eq!(e.title(), "Fast ϵ-Free Inference with $O(n^2)$ Cost");
    let mut seen = Vec::new();
    let html = e.format_html_with(&mut |m| {
        seen.push(m.to_string());
        format!("<math>{m}</math>")
    });
    assert_eq!(seen, [r"\epsilon", "O(n^2)"]);
    assert!(
        html.contains(r"<b>Fast <math>\epsilon</math>-Free"),
        "{html}"
    );
    assert!(e
        .format_html()
        .contains(r#"Fast ϵ-Free Inference with <span class="tex">$O(n^2)$</span> Cost"#));
}

#[test]
fn long_author_lists_and_others_become_et_al() {
    let many: Vec<String> = (0..12).map(|i| format!("Author{i}, Given{i}")).collect();
    let e = one(&format!(
        "@misc{{k, author = {{{}}}, title={{T}}}}",
        many.join(" and ")
    ));
    assert!(e
        .format_text()
        .starts_with("G. Author0, G. Author1, G. Author2 et al. T."));
    let e = one("@misc{k, author = {Radford, Alec and Kim, Jong Wook and others}, title={T}}");
    assert!(e.has_more_authors());
    assert!(e
        .format_text()
        .starts_with("A. Radford, J. W. Kim et al. T."));
}

#[test]
fn organisation_names_stay_whole() {
    let e = one("@misc{k, author = {{OpenAI}}, title={GPT-4 Technical Report}, year={2023}}");
    assert_eq!(e.format_text(), "OpenAI. 2023. GPT-4 Technical Report.");
    let e = one("@misc{k, author = {{Google DeepMind}}, title={T}}");
    assert_eq!(e.authors()[0].literal.as_deref(), Some("Google DeepMind"));
}

#[test]
fn misc_with_url_in_howpublished_links_it() {
    let e = one(
        r"@misc{sb3, title = {Stable Baselines3}, howpublished = {\url{https://github.com/DLR-RM/stable_baselines3}}, year = {2019}}",
    );
    assert_eq!(
        e.link().as_deref(),
        Some("https://github.com/DLR-RM/stable_baselines3")
    );
    assert_eq!(e.venue(), None);
    let e = one("@misc{k, title = {T}, howpublished = {Technical Monograph PRG-2}}");
    assert_eq!(e.venue().as_deref(), Some("Technical Monograph PRG-2"));
}

#[test]
fn arxiv_eprints_give_venue_and_link() {
    let e = one("@misc{k, title={T}, eprint={2204.07651 [cs]}, eprinttype={arxiv}}");
    assert_eq!(
        e.link().as_deref(),
        Some("https://arxiv.org/abs/2204.07651")
    );
    let e = one("@misc{k, title={Attention}, eprint={1706.03762}, archivePrefix={arXiv}, primaryClass={cs.CL}, year={2017}}");
    assert_eq!(
        e.venue().as_deref(),
        Some("arXiv preprint arXiv:1706.03762")
    );
    assert_eq!(
        e.link().as_deref(),
        Some("https://arxiv.org/abs/1706.03762")
    );
    let e = one("@article{k, title={T}, journal={arXiv preprint arXiv:2106.09685}}");
    assert_eq!(
        e.link().as_deref(),
        Some("https://arxiv.org/abs/2106.09685")
    );
    let e = one("@article{k, title={T}, journal={CoRR}, volume={abs/1412.6980}}");
    assert_eq!(e.link().as_deref(), Some("https://arxiv.org/abs/1412.6980"));
}

#[test]
fn link_prefers_doi_then_url_then_arxiv() {
    let e = one("@misc{k, title={T}, doi={10.1/x}, url={https://a.org}, eprint={2101.00001}}");
    assert_eq!(e.link().as_deref(), Some("https://doi.org/10.1/x"));
    let e = one("@misc{k, title={T}, url={https://a.org/x\\_y}, eprint={2101.00001}}");
    assert_eq!(e.link().as_deref(), Some("https://a.org/x_y"));
    let e = one("@misc{k, title={T}, url={https://a.org/very/\n      long path}}");
    assert_eq!(e.link().as_deref(), Some("https://a.org/very/long%20path"));
    let e = one("@misc{k, title={T}, doi={doi:10.1/x}}");
    assert_eq!(e.doi().as_deref(), Some("10.1/x"));
}

#[test]
fn only_http_links_and_everything_escaped() {
    let e = one(
        r#"@misc{k, title={<script>alert(1)</script> \& "q"}, author={O'Neil, Ann}, url={javascript:alert(1)}}"#,
    );
    assert_eq!(e.link(), None);
    let html = e.format_html();
    assert!(
        !html.contains("<script>") && !html.contains("javascript"),
        "{html}"
    );
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;"),
        "{html}"
    );
    let e = one(r#"@misc{k, title={T}, url={https://x.org/"onmouseover="a}}"#);
    assert_eq!(
        e.link().as_deref(),
        Some("https://x.org/%22onmouseover=%22a")
    );
}

#[test]
fn theses_books_and_reports_have_venues() {
    let e = one(
        r#"@MastersThesis{s, author = "Jurgen Schmidhuber", title = "Evolutionary Principles", school = "TU Munich", year = "1987", type = "Diploma Thesis"}"#,
    );
    assert_eq!(e.kind, "mastersthesis");
    assert_eq!(
        e.format_text(),
        "J. Schmidhuber. 1987. Evolutionary Principles. Diploma Thesis, TU Munich."
    );
    let e = one("@book{b, title={Deep Learning}, author={Goodfellow, Ian}, publisher={MIT Press}, year={2016}}");
    assert_eq!(e.venue().as_deref(), Some("MIT Press"));
    let e = one("@techreport{t, title={T}, institution={CMU}, number={42}}");
    assert_eq!(e.venue().as_deref(), Some("Technical report 42, CMU"));
}

#[test]
fn editors_stand_in_for_missing_authors() {
    let e = one("@book{k, title={Handbook}, editor={Doe, Jane and Roe, Rick}, year={2000}}");
    assert_eq!(e.format_text(), "J. Doe, R. Roe (eds.). 2000. Handbook.");
}

#[test]
fn biblatex_date_and_journaltitle() {
    let e = one("@article{k, title={T}, date={2021-05-03}, journaltitle={Nature}}");
    assert_eq!(e.year().as_deref(), Some("2021"));
    assert_eq!(e.venue().as_deref(), Some("Nature"));
}

#[test]
fn missing_pieces_are_left_out_cleanly() {
    assert_eq!(
        one("@misc{k, title={Only a title?}}").format_text(),
        "Only a title?"
    );
    assert_eq!(one("@misc{k}").format_html(), "");
    assert_eq!(one("@misc{k,}").format_text(), "");
}

#[test]
fn duplicate_fields_keep_the_first() {
    let (b, d) = parse("@misc{k, title={A}, title={B}}");
    assert_eq!(b.get("k").map(Entry::title), Some("A".into()));
    assert_eq!(codes(&d), ["bib-duplicate-field"]);
}

#[test]
fn hostile_inputs_do_not_panic_or_recurse() {
    let deep = format!(
        "@misc{{k, title={}x{}}}",
        "{".repeat(100_000),
        "}".repeat(100_000)
    );
    let (b, _) = parse(&deep);
    assert_eq!(b.get("k").map(Entry::title), Some("x".into()));
    let unclosed = format!("@misc{{k, title={}", "{".repeat(100_000));
    let (b, d) = parse(&unclosed);
    assert!(b.is_empty() && codes(&d) == ["bib-syntax"]);
    let mut bomb = String::from("@string{s0 = \"xxxxxxxxxxxxxxxx\"}\n");
    for i in 1..40 {
        bomb.push_str(&format!("@string{{s{i} = s{} # s{}}}\n", i - 1, i - 1));
    }
    bomb.push_str("@misc{ok, title={Still here}}\n");
    let (b, d) = parse(&bomb);
    assert!(b.get("ok").is_some());
    assert!(codes(&d).contains(&"bib-syntax"));
    let wide = format!(
        "@misc{{k, {}}}\n@misc{{z, title={{Z}}}}",
        "f = 1, ".repeat(200_000)
    );
    let (b, d) = parse(&wide);
    assert_eq!((b.len(), codes(&d).last()), (1, Some(&"bib-syntax")));
    assert!(d.len() <= 1001);
    for s in [
        "@",
        "@{",
        "@misc",
        "@misc{",
        "@misc{k",
        "@misc{k,",
        "@misc{k, a",
        "@misc{k, a=",
        "}{",
        "\"",
        "@misc{k, a=\"x}",
    ] {
        let (_, _) = parse(s);
        let (b, _) = parse(&format!("{s}\n@misc{{z, title={{Z}}}}"));
        assert!(b.get("z").is_some(), "lost the next entry after {s:?}");
    }
}

#[test]
fn twenty_thousand_entries_parse() {
    let one = "@article{key%, title={A {Title} with {\\\"u}}, author={Doe, Jane and Roe, R.}, year={2020}, journal={J}}\n";
    let big: String = (0..20_000)
        .map(|i| one.replace('%', &i.to_string()))
        .collect();
    let (b, d) = parse(&big);
    assert_eq!((b.len(), d.len()), (20_000, 0));
}

#[test]
fn a_large_macro_used_everywhere_expands_within_a_budget() {
    // One 1 MiB @string used in 900 fields of 100 entries: 90 GB if every use expanded.
    let mut bib = format!("@string{{big = {{{}}}}}\n", "x".repeat((1 << 20) - 16));
    let fields: String = (0..900).map(|i| format!("f{i} = big, ")).collect();
    for e in 0..100 {
        bib.push_str(&format!("@misc{{e{e}, {fields} title = {{Entry {e}}}}}\n"));
    }
    let (b, d) = parse(&bib);
    assert_eq!(b.len(), 100, "every entry is kept");
    assert_eq!(b.get("e99").map(Entry::title), Some("Entry 99".into()));
    assert_eq!(codes(&d), ["bib-limit"], "reported once: {d:?}");
    assert!(d[0].message.contains("more than 64 MiB"));
    assert_eq!(d[0].line, 2, "at the first use past the budget");
    let expanded: usize = b
        .iter()
        .flat_map(|e| e.fields().map(|(_, v)| v.len()))
        .sum();
    assert!(expanded <= 65 << 20, "{expanded} bytes expanded");
}
