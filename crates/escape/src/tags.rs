//! Reading HTML (and XML) without a parser, the one way for every stage: start tags and their
//! attributes as a browser reads them, and the text of a fragment.
//!
//! The renderer, the link checker, `check`'s reference rules, the search index, the theme's
//! content pass, the Markdown stage and the gate's metadata scanners all read authors' markup
//! through these functions, so one quoting rule holds everywhere: values are double-quoted,
//! single-quoted or unquoted (up to whitespace or `>`). Every scan is linear and bounded (a tag
//! is at most [`MAX_TAG_LEN`] bytes), so hostile input cannot make it slow.

use crate::entities::decode_entities;
use std::ops::Range;

/// Longest attribute text [`start_tags`] reads as one tag.
pub const MAX_TAG_LEN: usize = 16 * 1024;

/// One attribute of a start tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attr<'a> {
    /// The name as written (compare with `eq_ignore_ascii_case`).
    pub name: &'a str,
    /// The value as written, quotes removed, entities not decoded; `""` for a bare name.
    pub value: &'a str,
    /// Byte range of the whole attribute (name, `=`, value and its quotes) in the text given
    /// to [`attributes`], for a caller that removes or rewrites it.
    pub span: Range<usize>,
}

/// The attributes of a start tag's attribute text (`href="x" id=y checked`), in order.
/// Given a whole tag (`<a href=x>`), its name is skipped first. Reading stops at `>`.
pub fn attributes(text: &str) -> Attributes<'_> {
    let start = match text.strip_prefix('<') {
        Some(t) => {
            let name = t
                .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
                .unwrap_or(t.len());
            1 + name
        }
        None => 0,
    };
    Attributes { text, at: start }
}

/// The iterator of [`attributes`].
pub struct Attributes<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Iterator for Attributes<'a> {
    type Item = Attr<'a>;

    fn next(&mut self) -> Option<Attr<'a>> {
        let text = self.text;
        let skipped = text[self.at..]
            .find(|c: char| !(c.is_whitespace() || c == '/'))
            .map_or(text.len(), |k| self.at + k);
        let s = &text[skipped..];
        if s.is_empty() || s.starts_with('>') {
            self.at = text.len();
            return None;
        }
        let name_end = s
            .find(|c: char| c.is_whitespace() || matches!(c, '=' | '>' | '/'))
            .unwrap_or(s.len());
        // A name cannot be empty: a stray `=` is skipped as one character.
        let name_end = name_end.max(s.chars().next().map_or(0, char::len_utf8));
        let name = &s[..name_end];
        let after = &s[name_end..];
        let after_ws = after.len() - after.trim_start().len();
        let Some(v) = after.trim_start().strip_prefix('=') else {
            self.at = skipped + name_end + after_ws;
            return Some(Attr {
                name,
                value: "",
                span: skipped..skipped + name_end,
            });
        };
        let v_at = text.len() - v.trim_start().len();
        let v = v.trim_start();
        let (value, end) = match v.chars().next() {
            Some(q @ ('"' | '\'')) => match v[1..].find(q) {
                Some(e) => (&v[1..1 + e], v_at + 2 + e),
                None => (&v[1..], text.len()),
            },
            _ => {
                let e = v
                    .find(|c: char| c.is_whitespace() || c == '>')
                    .unwrap_or(v.len());
                (&v[..e], v_at + e)
            }
        };
        self.at = end;
        Some(Attr {
            name,
            value,
            span: skipped..end,
        })
    }
}

/// The value of attribute `name` (ASCII case-insensitive, whole names only) in a start tag or
/// its attribute text, as written (see [`attributes`]). The first one wins, as in browsers.
pub fn attr_value<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    find_attr(text, name).map(|a| a.value)
}

/// The value of attribute `name`, as [`attr_value`] finds it, with its character references
/// decoded: the text the attribute stands for (a citation key, a class, a URL).
pub fn attr_text(text: &str, name: &str) -> Option<String> {
    attr_value(text, name).map(|v| decode_entities(v).into_owned())
}

/// The attribute `name` of a start tag or its attribute text, with its span.
pub fn find_attr<'a>(text: &'a str, name: &str) -> Option<Attr<'a>> {
    attributes(text).find(|a| a.name.eq_ignore_ascii_case(name))
}

/// Where the attribute text `attrs` ends (its `>`, or a `<` that starts the next tag), with
/// quotes opened only by a value (after `=`); `None` when no end comes within [`MAX_TAG_LEN`].
pub fn tag_end(attrs: &str) -> Option<usize> {
    let mut quote = None;
    let mut after_eq = false;
    for (i, c) in attrs.char_indices() {
        if i > MAX_TAG_LEN {
            return None;
        }
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if after_eq && (c == '"' || c == '\'') => quote = Some(c),
            None if c == '>' || c == '<' => return Some(i),
            None => {}
        }
        if quote.is_none() && !c.is_whitespace() {
            after_eq = c == '=';
        }
    }
    (quote.is_none()).then_some(attrs.len())
}

/// Every start tag of `html`: its name and attribute text (between the name and `>`). Quoted
/// values may hold `>`; comments are skipped whole; a `<` that starts no tag within
/// [`MAX_TAG_LEN`] bytes is text.
pub fn start_tags(html: &str) -> impl Iterator<Item = (&str, &str)> {
    let mut rest = html;
    std::iter::from_fn(move || loop {
        let i = rest.find('<')?;
        let after = &rest[i + 1..];
        if let Some(c) = after.strip_prefix("!--") {
            rest = c.find("-->").map_or("", |e| &c[e + 3..]);
            continue;
        }
        if !after.starts_with(|c: char| c.is_ascii_alphabetic()) {
            rest = after;
            continue;
        }
        let name_end = after
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .unwrap_or(after.len());
        let (name, attrs) = after.split_at(name_end);
        let Some(end) = tag_end(attrs) else {
            rest = after;
            continue;
        };
        rest = &attrs[end..];
        return Some((name, &attrs[..end]));
    })
}

/// Elements whose tags do not separate words (`x<sup>2</sup>`, `<em>re</em>read`): HTML's
/// phrasing elements and MathML's token and layout elements. Every other tag (`</li><li>`,
/// `<br>`, `</rdf:li>`) stands for a space in [`strip_tags`].
const INLINE: &[&str] = &[
    "a",
    "abbr",
    "b",
    "bdi",
    "bdo",
    "cite",
    "code",
    "data",
    "del",
    "dfn",
    "em",
    "font",
    "i",
    "ins",
    "kbd",
    "mark",
    "q",
    "s",
    "samp",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "time",
    "u",
    "var",
    "math",
    "semantics",
    "mrow",
    "mi",
    "mn",
    "mo",
    "ms",
    "mtext",
    "msub",
    "msup",
    "msubsup",
    "mfrac",
    "msqrt",
    "mroot",
    "mover",
    "munder",
    "munderover",
    "mstyle",
    "mpadded",
    "mphantom",
    "menclose",
    "mspace",
];

/// The text of an HTML or XML fragment: tags removed (a tag of a block, a line break or an
/// XML element separates words), comments and MathML's TeX annotations dropped, character
/// references decoded, whitespace collapsed to single spaces.
pub fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let opens_tag = after[1..]
            .trim_start_matches('/')
            .starts_with(|c: char| c.is_ascii_alphabetic())
            || after.starts_with("<!--");
        if !opens_tag {
            // `a < b`: a less-than sign in text, not a tag.
            out.push('<');
            rest = &after[1..];
            continue;
        }
        let end = if after.starts_with("<!--") {
            after.find("-->").map(|e| e + 3)
        } else {
            after.find('>').map(|e| e + 1)
        };
        let Some(e) = end else {
            out.push_str(after);
            rest = "";
            break;
        };
        let tag = &after[..e];
        let name = tag
            .trim_start_matches(['<', '/'])
            .split(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .next()
            .unwrap_or("");
        if !tag.starts_with("<!--") && !INLINE.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            out.push(' ');
        }
        rest = &after[e..];
        if name.eq_ignore_ascii_case("annotation") && !tag.starts_with("</") {
            if let Some(close) = rest.find("</annotation>") {
                rest = &rest[close..];
            }
        }
    }
    out.push_str(rest);
    decode_entities(&out)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(text: &str) -> Vec<(&str, &str)> {
        attributes(text).map(|a| (a.name, a.value)).collect()
    }

    #[test]
    fn one_attribute_reader_for_every_quoting() {
        assert_eq!(
            pairs(r#"<a href=/x/ title='it "is"' data-k="v>w" checked ID=Y/>"#),
            vec![
                ("href", "/x/"),
                ("title", "it \"is\""),
                ("data-k", "v>w"),
                ("checked", ""),
                ("ID", "Y/"),
            ]
        );
        assert_eq!(attr_value(" bibkey=\"no\" key=y />", "key"), Some("y"));
        assert_eq!(attr_value(" key=y/>", "key"), Some("y/"));
        assert_eq!(
            attr_value(" class = 'language-rust' ", "CLASS"),
            Some("language-rust")
        );
        assert_eq!(attr_value("<d-cite key=\"a,b\">", "key"), Some("a,b"));
        assert_eq!(attr_value(" data-id=\"x\"", "id"), None);
        assert_eq!(attr_value(" = href=z", "href"), Some("z"));
        assert_eq!(
            attr_value(" title=\"never closed", "title"),
            Some("never closed")
        );
    }

    #[test]
    fn spans_cover_the_whole_attribute() {
        let text = r#" class="a"  markdown = "1" hidden data-x=y"#;
        let spans: Vec<&str> = attributes(text).map(|a| &text[a.span]).collect();
        assert_eq!(
            spans,
            vec![r#"class="a""#, r#"markdown = "1""#, "hidden", "data-x=y"]
        );
        let md = find_attr(text, "MARKDOWN").unwrap();
        assert_eq!((md.value, &text[md.span]), ("1", r#"markdown = "1""#));
    }

    #[test]
    fn start_tags_skip_comments_and_text() {
        let html = "a < b <p class=x>t</p><!-- <a href=no> --><img src=\"q>r\" alt=it's>";
        let tags: Vec<_> = start_tags(html).collect();
        assert_eq!(
            tags,
            vec![("p", " class=x"), ("img", " src=\"q>r\" alt=it's")]
        );
        // A tag whose quote never closes is text; it does not swallow the rest of the page.
        let tags: Vec<_> = start_tags("<i title=\"x>y</i><b>").map(|t| t.0).collect();
        assert_eq!(tags, vec!["b"]);
    }

    #[test]
    fn strips_tags_comments_annotations_and_entities() {
        assert_eq!(
            strip_tags("<p>A <i>b</i> &amp; c</p><!-- x -->d"),
            "A b & c d"
        );
        assert_eq!(
            strip_tags("x <math><mi>a</mi><mo>+</mo><mi>b</mi><annotation encoding=\"t\">\\alpha</annotation></math>"),
            "x a+b"
        );
        assert_eq!(
            strip_tags("<ul><li>one</li><li>two</li></ul>x<sup>2</sup>"),
            "one two x2"
        );
        assert_eq!(
            strip_tags("<rdf:Seq><rdf:li>Jane</rdf:li><rdf:li>Doe &amp; Co</rdf:li></rdf:Seq>"),
            "Jane Doe & Co"
        );
        assert_eq!(strip_tags("a < b and no end"), "a < b and no end");
        assert_eq!(strip_tags("1 < 2 > 0 <b>x</b>"), "1 < 2 > 0 x");
    }
}
