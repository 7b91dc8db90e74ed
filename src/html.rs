//! Small HTML helpers of the renderer and the site writer: escaping, short inline labels, and a
//! stash for HTML fragments that must pass through Markdown untouched. The attribute reader,
//! tag stripping and character references are `blogtrack_escape`'s, re-exported here.

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

pub use blogtrack_escape::{
    attr_text, attr_value, attributes, decode_entities, start_tags, strip_tags,
};

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
    fn escapes() {
        assert_eq!(attr(r#"a"b'<c>&"#), "a&quot;b&#39;&lt;c&gt;&amp;");
        assert_eq!(escape("<x> & y"), "&lt;x&gt; &amp; y");
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
