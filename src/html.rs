//! Small HTML helpers shared by the renderer and the site writer: escaping, tag stripping, and a
//! stash for HTML fragments that must pass through Markdown untouched.

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
