//! Small HTML helpers shared by the renderer and the site writer: escaping, tag stripping, the
//! one attribute reader ([`attr_value`], [`start_tags`]), and a stash for HTML fragments that
//! must pass through Markdown untouched.

/// Escapes text for an element's content.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

/// Escapes text for a double-quoted attribute value.
pub fn attr(s: &str) -> String {
    blogtrack_escape::escape(s)
}

/// The attributes of a start tag's attribute text (`href="x" id=y checked`), in order: the
/// name as written and the value as written (entities not decoded; `""` for a bare name).
/// Values are double-quoted, single-quoted or unquoted (up to whitespace or `>`, so
/// `href=/x/>` is `/x/`), as browsers read them.
/// Given a whole tag (`<a href=x>`), its name is skipped first.
pub fn attributes(text: &str) -> Attributes<'_> {
    let rest = match text.strip_prefix('<') {
        Some(t) => t.trim_start_matches(|c: char| !c.is_whitespace() && c != '>' && c != '/'),
        None => text,
    };
    Attributes { rest }
}

/// The iterator of [`attributes`].
pub struct Attributes<'a> {
    rest: &'a str,
}

impl<'a> Iterator for Attributes<'a> {
    type Item = (&'a str, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        let s = self
            .rest
            .trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if s.is_empty() || s.starts_with('>') {
            self.rest = "";
            return None;
        }
        let name_end = s
            .find(|c: char| c.is_whitespace() || matches!(c, '=' | '>' | '/'))
            .unwrap_or(s.len());
        // A name cannot be empty: a stray `=` is skipped as one character.
        let name_end = name_end.max(s.chars().next().map_or(0, char::len_utf8));
        let name = &s[..name_end];
        let after = s[name_end..].trim_start();
        let Some(v) = after.strip_prefix('=') else {
            self.rest = after;
            return Some((name, ""));
        };
        let v = v.trim_start();
        let (value, rest) = match v.chars().next() {
            Some(q @ ('"' | '\'')) => match v[1..].find(q) {
                Some(e) => (&v[1..1 + e], &v[2 + e..]),
                None => (&v[1..], ""),
            },
            _ => {
                let e = v
                    .find(|c: char| c.is_whitespace() || c == '>')
                    .unwrap_or(v.len());
                (&v[..e], &v[e..])
            }
        };
        self.rest = rest;
        Some((name, value))
    }
}

/// Longest attribute text [`start_tags`] reads as one tag.
pub const MAX_TAG_LEN: usize = 16 * 1024;

/// Where the attribute text `attrs` ends (its `>`, or a `<` that starts the next tag), with
/// quotes opened only by a value (after `=`); `None` when no end comes within [`MAX_TAG_LEN`].
fn tag_end(attrs: &str) -> Option<usize> {
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

/// The value of attribute `name` (ASCII case-insensitive, whole names only) in a start tag or
/// its attribute text, as written (see [`attributes`]). The first one wins, as in browsers.
pub fn attr_value<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    attributes(text)
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
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

/// The text of an HTML fragment: tags removed, common entities decoded, whitespace collapsed.
pub fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        // Skip comments whole; other tags to the next `>`.
        let end = if after.starts_with("<!--") {
            after.find("-->").map(|e| e + 3)
        } else {
            after.find('>').map(|e| e + 1)
        };
        match end {
            Some(e) => {
                let tag = &after[..e];
                // Keep the text of MathML's TeX annotation out, keep words apart at block tags.
                if tag.starts_with("<br") || tag.starts_with("<p") || tag.starts_with("</p") {
                    out.push(' ');
                }
                rest = &after[e..];
                if tag.starts_with("<annotation") {
                    if let Some(close) = rest.find("</annotation>") {
                        rest = &rest[close..];
                    }
                }
            }
            None => {
                out.push_str(after);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    let decoded = decode_entities(&out);
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text of a short label written with a little inline HTML (an affiliation such as
/// `Oxford<sup>&ndash;2023</sup>`): the tags of inline formatting elements are dropped and
/// entities decoded; anything else (`</script>`, `<!--`) is kept as the literal text it is.
pub fn inline_text(s: &str) -> String {
    const INLINE: &[&str] = &[
        "sup", "sub", "i", "em", "b", "strong", "span", "small", "br", "u", "a",
    ];
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let name_part = after.strip_prefix('/').unwrap_or(after);
        let name: String = name_part
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        let close = after.find('>');
        match close {
            Some(e) if INLINE.contains(&name.as_str()) && !after[..e].contains('<') => {
                rest = &after[e + 1..];
            }
            _ => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    decode_entities(&out)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Decodes the named entities that occur in post text and numeric references.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let semi = after.find(';').filter(|&p| p <= 12);
        let decoded = semi.and_then(|p| {
            let name = &after[1..p];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                "ndash" => Some('–'),
                "mdash" => Some('—'),
                "hellip" => Some('…'),
                "lsquo" => Some('‘'),
                "rsquo" => Some('’'),
                "ldquo" => Some('“'),
                "rdquo" => Some('”'),
                _ => {
                    if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                        u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
                    } else if let Some(dec) = name.strip_prefix('#') {
                        dec.parse::<u32>().ok().and_then(char::from_u32)
                    } else {
                        None
                    }
                }
            };
            c.map(|c| (c, p + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &after[len..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// HTML fragments kept aside while Markdown runs: each is replaced by a `<!--bt:N-->` comment,
/// which Markdown passes through as raw HTML, and put back afterwards.
#[derive(Debug, Default)]
pub struct Stash {
    items: Vec<String>,
}

impl Stash {
    pub fn put(&mut self, html: String) -> String {
        self.items.push(html);
        format!("<!--bt:{}-->", self.items.len() - 1)
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Replaces every placeholder in `html` with its fragment.
    pub fn restore(&self, html: &str) -> String {
        if self.items.is_empty() {
            return html.to_string();
        }
        let mut out = String::with_capacity(html.len());
        let mut rest = html;
        while let Some(i) = rest.find("<!--bt:") {
            out.push_str(&rest[..i]);
            let after = &rest[i + 7..];
            let digits = after.bytes().take_while(|b| b.is_ascii_digit()).count();
            let n: Option<usize> = after[..digits].parse().ok();
            match n.filter(|_| after[digits..].starts_with("-->")) {
                Some(n) if n < self.items.len() => {
                    // A stashed block alone in a paragraph: drop the paragraph around it.
                    if out.ends_with("<p>") && after[digits + 3..].starts_with("</p>") {
                        out.truncate(out.len() - 3);
                        out.push_str(&self.items[n]);
                        rest = &after[digits + 7..];
                    } else {
                        out.push_str(&self.items[n]);
                        rest = &after[digits + 3..];
                    }
                }
                _ => {
                    out.push_str("<!--bt:");
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_attribute_reader_for_every_quoting() {
        let all: Vec<_> =
            attributes(r#"<a href=/x/ title='it "is"' data-k="v>w" checked ID=Y/>"#).collect();
        assert_eq!(
            all,
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
    fn escapes() {
        assert_eq!(attr(r#"a"b'<c>&"#), "a&quot;b&#39;&lt;c&gt;&amp;");
        assert_eq!(escape("<x> & y"), "&lt;x&gt; &amp; y");
    }

    #[test]
    fn strips_tags_and_entities() {
        assert_eq!(
            strip_tags("<p>A <i>b</i> &amp; c</p><!-- x -->d"),
            "A b & c d"
        );
        assert_eq!(
            strip_tags("x <math><mi>a</mi><annotation encoding=\"t\">\\alpha</annotation></math>"),
            "x a"
        );
        assert_eq!(decode_entities("&#58;&#x41;&bogus;"), ":A&bogus;");
    }

    #[test]
    fn inline_text_drops_formatting_tags_only() {
        assert_eq!(inline_text("Oxford<sup>&ndash;2023</sup>"), "Oxford–2023");
        assert_eq!(
            inline_text("Eve \"</script>\" <!--"),
            "Eve \"</script>\" <!--"
        );
        assert_eq!(inline_text("<i>A</i> &amp; <b>B</b>"), "A & B");
    }

    #[test]
    fn stash_round_trip() {
        let mut s = Stash::default();
        let a = s.put("<pre>1</pre>".into());
        let b = s.put("<b>2</b>".into());
        let html = format!("<p>{a}</p>\n<p>x {b} y</p><!--bt:9--><!--bt:x-->");
        assert_eq!(
            s.restore(&html),
            "<pre>1</pre>\n<p>x <b>2</b> y</p><!--bt:9--><!--bt:x-->"
        );
    }
}
