//! Citations and footnotes, rendered at build time (what Distill's script did in the browser).
//!
//! `<d-cite key="a,b"></d-cite>` (or self-closing) becomes a numbered marker with a hover/focus
//! card holding the formatted references; `<d-footnote>…</d-footnote>` becomes a numbered marker
//! with a card holding the note. Numbers follow the order of first use. The References and
//! Footnotes lists are returned for the layout to place at the end of the article.
//!
//! Math in a reference's title (`$\ell_2$`, `\(O(n)\)`) goes through the post's own
//! [`MathContext`] when one is given ([`Scholar::with_math`]): the References list and the hover
//! cards (which copy its entries) show the same MathML as the body, and the post's macros apply,
//! as MathJax typesetting the whole page did. A title formula that cannot be rendered is shown as
//! its TeX source and warned about on the `.bib` file's line.

use crate::html::{attr, attr_text};
use blogtrack_bib::Bibliography;
use blogtrack_diag::Diagnostic;
use blogtrack_math::MathContext;
use blogtrack_theme::view::{Footnote, Reference};
use std::collections::HashMap;

pub struct Scholar<'a> {
    bib: Option<&'a Bibliography>,
    /// Lines (in the post file) of each `<d-cite` in the source, in order.
    cite_lines: Vec<u32>,
    cite_seen: usize,
    numbers: HashMap<String, usize>,
    pub references: Vec<Reference>,
    pub footnotes: Vec<Footnote>,
    pub diagnostics: Vec<Diagnostic>,
    /// Cited keys in order of first use (for metadata).
    pub cited: Vec<String>,
    card_counter: usize,
    bib_name: Option<String>,
    /// The post's math context, for formulas in reference titles (see [`Scholar::with_math`]).
    math: Option<MathContext>,
    /// Reference-title formulas rendered and failed.
    pub math_ok: usize,
    pub math_failed: usize,
}

impl<'a> Scholar<'a> {
    pub fn new(
        bib: Option<&'a Bibliography>,
        bib_name: Option<String>,
        source: &str,
        first_line: u32,
    ) -> Self {
        let mut cite_lines = Vec::new();
        let mut line = first_line;
        let mut last = 0;
        // Citations inside comments are skipped by `process`, so they get no line here either.
        let comments = comment_ranges(source);
        let mut c = 0;
        for (i, _) in source.match_indices("<d-cite") {
            while c < comments.len() && comments[c].1 <= i {
                c += 1;
            }
            if comments.get(c).is_some_and(|r| r.0 < i) {
                continue;
            }
            line += source[last..i].bytes().filter(|b| *b == b'\n').count() as u32;
            last = i;
            cite_lines.push(line);
        }
        Scholar {
            bib,
            cite_lines,
            cite_seen: 0,
            numbers: HashMap::new(),
            references: Vec::new(),
            footnotes: Vec::new(),
            diagnostics: Vec::new(),
            cited: Vec::new(),
            card_counter: 0,
            bib_name,
            math: None,
            math_ok: 0,
            math_failed: 0,
        }
    }

    /// Renders formulas of reference titles with `math` (the post's context); without it they
    /// fall back to [`blogtrack_bib::default_math_html`]. [`Scholar::take_math`] gives it back.
    pub fn with_math(mut self, math: MathContext) -> Self {
        self.math = Some(math);
        self
    }

    /// The math context given to [`Scholar::with_math`].
    pub fn take_math(&mut self) -> Option<MathContext> {
        self.math.take()
    }

    /// The formatted reference of `e`, its title's math rendered through the post's context.
    fn reference_html(&mut self, e: &blogtrack_bib::Entry) -> String {
        let Some(math) = self.math.as_mut() else {
            return e.format_html();
        };
        let (mut ok, mut failed) = (0, Vec::new());
        let html = e.format_html_with(&mut |tex| match math.render(tex, false) {
            Ok(h) => {
                ok += 1;
                h
            }
            Err(err) => {
                let shown = blogtrack_math::fallback_html_with_reason(tex, false, err.message());
                failed.push((tex.chars().take(60).collect::<String>(), err));
                shown
            }
        });
        self.math_ok += ok;
        self.math_failed += failed.len();
        let file = self
            .bib_name
            .as_ref()
            .map(|n| format!("assets/bibliography/{n}"));
        for (short, err) in failed {
            let mut d = Diagnostic::warning(
                "math",
                format!(
                    "cannot render formula `{short}` in the title of `{}`: {err}",
                    e.key
                ),
            )
            .at(e.line, 0)
            .with_hint("the formula is shown as TeX in the references; check it with a TeX editor");
            if let Some(f) = &file {
                d = d.in_file(f.clone());
            }
            self.diagnostics.push(d);
        }
        html
    }

    /// Rewrites every `<d-cite>` and `<d-footnote>` in `html` (not those inside comments, which
    /// Distill's script never saw).
    pub fn process(&mut self, html: &str) -> String {
        if !html.contains("<d-cite") && !html.contains("<d-footnote") {
            return html.to_string();
        }
        let mut out = String::with_capacity(html.len() + html.len() / 4);
        let mut rest = html;
        // The next occurrence of each tag (absolute offset), searched for again only once the
        // scan has passed it: rescanning the rest of the text at each of 100,000 cites was
        // quadratic (minutes for one post).
        let mut known: [Option<Option<usize>>; 4] = [None; 4];
        let mut next = |k: usize, pat: &str, from: usize| -> Option<usize> {
            match known[k] {
                Some(Some(p)) if p >= from => Some(p),
                Some(None) => None,
                _ => {
                    let found = html[from..].find(pat).map(|i| from + i);
                    known[k] = Some(found);
                    found
                }
            }
        };
        loop {
            let base = html.len() - rest.len();
            let c = next(0, "<d-cite", base).map(|p| p - base);
            let f = next(1, "<d-footnote", base).map(|p| p - base);
            // A comment hides what it holds from Distill's script: copied as it is.
            if let Some(m) = next(3, "<!--", base).map(|p| p - base) {
                if c.is_none_or(|c| m < c) && f.is_none_or(|f| m < f) {
                    let end = rest[m + 4..]
                        .find("-->")
                        .map_or(rest.len(), |k| m + 4 + k + 3);
                    out.push_str(&rest[..end]);
                    rest = &rest[end..];
                    continue;
                }
            }
            let (i, is_cite) = match (c, f) {
                (None, None) => break,
                (Some(c), None) => (c, true),
                (None, Some(f)) => (f, false),
                (Some(c), Some(f)) => {
                    if c < f {
                        (c, true)
                    } else {
                        (f, false)
                    }
                }
            };
            out.push_str(&rest[..i]);
            let after = &rest[i..];
            let Some(tag_end) = after.find('>') else {
                out.push_str(after);
                rest = "";
                break;
            };
            let tag = &after[..=tag_end];
            let mut tail = &after[tag_end + 1..];
            if is_cite {
                // `<d-cite .../>` is self-closing; otherwise drop everything up to `</d-cite>`
                // when it closes before the next element that could hold text.
                if !tag.ends_with("/>") {
                    let from = html.len() - tail.len();
                    if let Some(close) = next(2, "</d-cite>", from) {
                        if next(0, "<d-cite", from).is_none_or(|c| c > close) {
                            tail = &html[close + "</d-cite>".len()..];
                        }
                    }
                }
                let keys = attr_text(tag, "key").unwrap_or_default();
                out.push_str(&self.cite(&keys));
                rest = tail;
            } else {
                let (inner, after_close) = match tail.find("</d-footnote>") {
                    Some(close) => (&tail[..close], &tail[close + "</d-footnote>".len()..]),
                    None => (tail, ""),
                };
                let inner = self.process(inner);
                out.push_str(&self.footnote(inner.trim()));
                rest = after_close;
            }
        }
        out.push_str(rest);
        out
    }

    fn next_card_id(&mut self, prefix: &str) -> String {
        self.card_counter += 1;
        format!("{prefix}-card-{}", self.card_counter)
    }

    fn cite(&mut self, keys: &str) -> String {
        let line = self.cite_lines.get(self.cite_seen).copied().unwrap_or(0);
        self.cite_seen += 1;
        let keys: Vec<&str> = keys
            .split(',')
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .collect();
        let mut labels = Vec::new();
        let mut card = String::new();
        let mut first_href = None;
        let mut fill: Vec<String> = Vec::new();
        for key in &keys {
            let entry = self.bib.and_then(|b| b.get(key));
            match entry {
                Some(e) => {
                    let n = match self.numbers.get(*key) {
                        Some(n) => *n,
                        None => {
                            let n = self.references.len() + 1;
                            self.numbers.insert(key.to_string(), n);
                            self.cited.push(key.to_string());
                            let html = self.reference_html(e);
                            self.references.push(Reference {
                                id: ref_id(key),
                                number: n,
                                html,
                            });
                            n
                        }
                    };
                    labels.push(n.to_string());
                    if first_href.is_none() {
                        first_href = Some(format!("#{}", ref_id(key)));
                    }
                    // The card shows the entry of the References list, copied in by the
                    // theme's script: the formatted reference is in the page once, not once per
                    // marker (without JavaScript the marker links to it).
                    let id = ref_id(key);
                    if !fill.contains(&id) {
                        fill.push(id);
                    }
                }
                None => {
                    labels.push("?".into());
                    let (msg, hint) = match (&self.bib, &self.bib_name) {
                        (Some(_), Some(name)) => (
                            format!("citation key `{key}` is not in the bibliography `{name}`"),
                            format!("add an entry `{key}` to assets/bibliography/{name}, or fix the key's spelling"),
                        ),
                        (_, Some(name)) => (
                            format!("cannot cite `{key}`: the bibliography `{name}` was not found"),
                            format!("add assets/bibliography/{name}, or fix `bibliography:` in the front matter"),
                        ),
                        _ => (
                            format!("cannot cite `{key}`: the post has no `bibliography`"),
                            "add `bibliography: SLUG.bib` to the front matter and the file to assets/bibliography/".to_string(),
                        ),
                    };
                    self.diagnostics.push(
                        Diagnostic::warning("cite-unknown-key", msg)
                            .at(line, 0)
                            .with_hint(hint),
                    );
                    card.push_str(&format!(
                        "<span class=\"hover-ref\">Unknown reference <code>{}</code></span>",
                        crate::html::escape(key)
                    ));
                }
            }
        }
        if keys.is_empty() {
            self.diagnostics.push(
                Diagnostic::warning("cite-empty", "a <d-cite> has no `key`")
                    .at(line, 0)
                    .with_hint("write <d-cite key=\"entry-key\"></d-cite>"),
            );
            return String::new();
        }
        let id = self.next_card_id("cite");
        let fill = if fill.is_empty() {
            String::new()
        } else {
            format!(" data-refs=\"{}\"", attr(&fill.join(" ")))
        };
        // A marker whose keys are all unknown has no reference to go to: it stays focusable
        // (for its card) but is not a link to nowhere.
        let target = match &first_href {
            Some(href) => format!("href=\"{}\"", attr(href)),
            None => "tabindex=\"0\"".to_string(),
        };
        format!(
            "<span class=\"citation\"><a class=\"cite-marker\" {target} aria-describedby=\"{id}\">[{}]</a><span class=\"hover-card\" id=\"{id}\" role=\"tooltip\"{fill}>{card}</span></span>",
            labels.join(", "),
        )
    }

    fn footnote(&mut self, inner: &str) -> String {
        let n = self.footnotes.len() + 1;
        let id = format!("fn-{n}");
        let ref_id = format!("fnref-{n}");
        // The Footnotes list repeats the note: the citation cards in that copy get their own ids,
        // so no id is in the page twice and each marker describes itself by its own card.
        let listed = inner
            .replace("id=\"cite-card-", "id=\"fn-cite-card-")
            .replace(
                "aria-describedby=\"cite-card-",
                "aria-describedby=\"fn-cite-card-",
            );
        self.footnotes.push(Footnote {
            id: id.clone(),
            ref_id: ref_id.clone(),
            number: n,
            html: listed,
        });
        format!(
            "<span class=\"footnote\"><a class=\"fn-marker\" id=\"{ref_id}\" href=\"#{id}\" aria-describedby=\"fn-card-{n}\"><sup>{n}</sup></a><span class=\"hover-card\" id=\"fn-card-{n}\" role=\"tooltip\">{inner}</span></span>"
        )
    }
}

/// An element id for a citation key (ids must not contain spaces; keep the key readable).
pub fn ref_id(key: &str) -> String {
    let mut s = String::from("ref-");
    for c in key.chars() {
        if c.is_alphanumeric() || c == '-' || c == '_' || c == '.' || c == ':' {
            s.push(c);
        } else {
            s.push('_');
        }
    }
    s
}

/// Byte ranges of the `<!-- … -->` comments of `s` (an unclosed one runs to the end).
fn comment_ranges(s: &str) -> Vec<(usize, usize)> {
    let mut v = Vec::new();
    let mut from = 0;
    while let Some(k) = s[from..].find("<!--") {
        let open = from + k;
        let end = s[open + 4..]
            .find("-->")
            .map_or(s.len(), |e| open + 4 + e + 3);
        v.push((open, end));
        from = end;
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bib() -> Bibliography {
        let (b, _) = blogtrack_bib::parse(
            "@article{a, title={Alpha}, author={Doe, Jane}, year={2020}}\n@article{b, title={Beta}, author={Roe, R.}, year={2021}}\n",
        );
        b
    }

    /// Issue 12 item 5: title math is the body's MathML (no `$` left), braces and accents still
    /// resolved; a formula that cannot be rendered is its TeX, warned about on the `.bib` line.
    #[test]
    fn title_math_is_rendered_with_the_posts_math_context() {
        let (b, _) = blogtrack_bib::parse(concat!(
            "@article{m, title={Robust {$\\ell_2$} bounds for {BERT} by M{\\\"u}ller in \\(O(n^2)\\) time},\n",
            "  author={Doe, Jane}, year={2020}}\n",
            "@misc{bad, title={Broken $\\frac{1}$ title}, year={2021}}\n",
        ));
        let src = "<d-cite key=\"m\"></d-cite> <d-cite key=\"bad\"></d-cite>";
        let mut s =
            Scholar::new(Some(&b), Some("x.bib".into()), src, 1).with_math(MathContext::new());
        s.process(src);
        let good = &s.references[0].html;
        assert_eq!(good.matches("<math").count(), 2, "{good}");
        assert!(!good.contains('$') && !good.contains("\\("), "{good}");
        assert!(good.contains("bounds for BERT by Müller in"), "{good}");
        assert!(good.contains("<mi>ℓ</mi>"), "{good}");
        let bad = &s.references[1].html;
        assert!(bad.contains("<code class=\"math-error\""), "{bad}");
        assert!(!bad.contains('$'), "{bad}");
        assert_eq!((s.math_ok, s.math_failed), (2, 1));
        assert_eq!(s.diagnostics.len(), 1, "{:?}", s.diagnostics);
        let d = &s.diagnostics[0];
        assert_eq!(d.code, "math");
        assert_eq!(d.file.as_deref(), Some("assets/bibliography/x.bib"));
        assert_eq!(d.line, 3);
        assert!(d.message.contains("`bad`"), "{}", d.message);
    }

    #[test]
    fn numbers_in_order_of_first_use_and_lists_each_once() {
        let b = bib();
        let src =
            "x <d-cite key=\"b\"></d-cite>\ny <d-cite key=\"a, b\"/> z <d-cite key=\"b\"></d-cite>";
        let mut s = Scholar::new(Some(&b), Some("x.bib".into()), src, 10);
        let out = s.process(src);
        assert!(out.contains(">[1]</a>"), "{out}");
        assert!(out.contains(">[2, 1]</a>"), "{out}");
        assert!(
            out.contains(" z <span"),
            "self-closing cite kept the text after it: {out}"
        );
        assert_eq!(s.references.len(), 2);
        assert_eq!(s.references[0].id, "ref-b");
        assert!(s.diagnostics.is_empty());
        // Cards name their references; the formatted entries are only in the References list.
        assert!(out.contains("data-refs=\"ref-a ref-b\""), "{out}");
        assert!(!out.contains("Alpha") && !out.contains("Beta"), "{out}");
    }

    #[test]
    fn unknown_keys_warn_with_line_and_show_question_mark() {
        let b = bib();
        let src = "one\n\n<d-cite key=\"nope\"></d-cite>";
        let mut s = Scholar::new(Some(&b), Some("x.bib".into()), src, 5);
        let out = s.process(src);
        assert!(out.contains("[?]"));
        // Nothing to link to: the marker is focusable for its card, not a link to nowhere.
        assert!(
            out.contains("<a class=\"cite-marker\" tabindex=\"0\""),
            "{out}"
        );
        assert!(!out.contains("href"), "{out}");
        assert_eq!(s.diagnostics[0].line, 7);
        assert_eq!(s.diagnostics[0].code, "cite-unknown-key");
    }

    #[test]
    fn footnotes_are_numbered_and_may_cite() {
        let b = bib();
        let src = "a<d-footnote>note <d-cite key=\"a\"></d-cite></d-footnote> b<d-footnote>two</d-footnote>";
        let mut s = Scholar::new(Some(&b), None, src, 1);
        let out = s.process(src);
        assert_eq!(s.footnotes.len(), 2);
        assert!(s.footnotes[0].html.contains("cite-marker"));
        // The list's copy of the note has its own card ids: none is in the page twice.
        assert!(s.footnotes[0].html.contains("id=\"fn-cite-card-1\""));
        assert!(s.footnotes[0]
            .html
            .contains("aria-describedby=\"fn-cite-card-1\""));
        assert!(out.contains("id=\"cite-card-1\"") && !out.contains("fn-cite-card"));
        assert!(out.contains("<sup>2</sup>"));
        assert!(!out.contains("d-footnote"));
    }

    #[test]
    fn footnote_and_cite_inside_a_comment_are_not_rendered() {
        let b = bib();
        let src = "a<!-- <d-footnote>hidden</d-footnote> <d-cite key=\"a\"></d-cite> -->\nb<d-footnote>two</d-footnote> <d-cite key=\"nope\"></d-cite>";
        let mut s = Scholar::new(Some(&b), None, src, 1);
        let out = s.process(src);
        assert_eq!(s.footnotes.len(), 1);
        assert!(
            out.contains("<!-- <d-footnote>hidden</d-footnote>"),
            "{out}"
        );
        assert!(s.footnotes[0].html.contains("two"));
        // The unknown key is on line 2: the commented-out cite took no line.
        assert_eq!(s.diagnostics[0].line, 2);
    }

    #[test]
    fn attribute_values() {
        assert_eq!(
            attr_text("<d-cite key=\"a,b\">", "key").as_deref(),
            Some("a,b")
        );
        assert_eq!(attr_text("<d-cite key='x'>", "key").as_deref(), Some("x"));
        assert_eq!(
            attr_text("<d-cite bibkey=\"no\" key=y />", "key").as_deref(),
            Some("y")
        );
        // Unquoted values end at whitespace or `>`, as in browsers (`key=y/>` is `y/`).
        assert_eq!(attr_text("<d-cite key=y/>", "key").as_deref(), Some("y/"));
    }
}
