//! HTML text helpers, written once for every stage: escaping for every stage that writes HTML
//! (bibliography formatting, Liquid's `escape` filter, highlighting, the theme, the dev
//! server's overlay and the renderer); decoding character references ([`decode_entities`]);
//! and reading authors' markup without a parser: start tags, attributes, text ([`tags`]).
//!
//! One escaper for text and attribute values alike: it replaces the five characters that can end
//! or change an element's text or a quoted attribute (`& < > " '`), so a call site cannot pick a
//! weaker one by mistake. `'` becomes `&#39;`, as Ruby's `CGI.escapeHTML` writes it, which keeps
//! Liquid's `escape` filter byte-for-byte compatible with Jekyll.
//!
//! Not here: the Markdown and math stages' own text escapers, which leave `'` as it is (a page's
//! running text is full of apostrophes that never need escaping).
//!
//! Why not a crate from crates.io: escaping five characters is a dozen lines, and every stage
//! depends on it; a dependency would add more to the build than it saves.

mod entities;
pub mod tags;

pub use entities::decode_entities;
pub use tags::{
    attr_text, attr_value, attributes, find_attr, start_tags, strip_tags, Attr, MAX_TAG_LEN,
};

/// Appends `s` to `out` with `& < > " '` escaped.
pub fn escape_into(out: &mut String, s: &str) {
    let mut last = 0;
    for (i, b) in s.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&s[last..]);
}

/// `s` with `& < > " '` escaped, as a new string.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    escape_into(&mut out, s);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_the_five_characters_and_keeps_everything_else() {
        assert_eq!(
            escape(r#"<a href="x">Tom & Jerry's</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;"
        );
        assert_eq!(escape("émoji 🎉 עברית"), "émoji 🎉 עברית");
        assert_eq!(escape(""), "");
    }

    #[test]
    fn appends_to_what_is_there() {
        let mut out = String::from("<p>");
        escape_into(&mut out, "a<b");
        assert_eq!(out, "<p>a&lt;b");
    }

    #[test]
    fn an_escaped_string_cannot_close_a_quoted_attribute_or_an_element() {
        let hostile = r#""'><script>alert(1)</script>"#;
        let e = escape(hostile);
        assert!(!e.contains(['"', '\'', '<', '>']), "{e}");
    }
}
