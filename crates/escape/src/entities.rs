//! Character references (`&amp;`, `&ndash;`, `&#x41;`), decoded the one way every stage needs:
//! as a browser would, with HTML5's whole table of named references.
//!
//! Only references that end with `;` are decoded (`&copy` without it is left as written, which
//! is what an author who wrote it as text meant), and so are numeric references to characters
//! a document may hold: `&#0;` and the C0 controls other than whitespace stay as written. The
//! table is the `html-escape` crate's (the 2,231 names of the HTML standard); three hand-kept
//! tables of a dozen names each, which disagreed on `&nbsp;` and `&ndash;`, were replaced by it.

use std::borrow::Cow;

/// `s` with its character references decoded (borrowed when there are none).
pub fn decode_entities(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    html_escape::decode_html_entities(s)
}

#[cfg(test)]
mod tests {
    use super::decode_entities as d;

    #[test]
    fn named_numeric_and_unknown_references() {
        assert_eq!(
            d("a &amp; b &lt;c&gt; &quot;q&quot; &apos;"),
            "a & b <c> \"q\" '"
        );
        assert_eq!(
            d("1&ndash;2&nbsp;&mdash;&hellip;&times;&alpha;"),
            "1–2\u{a0}—…×α"
        );
        assert_eq!(d("&#58;&#x41;&#X42;"), ":AB");
        assert_eq!(
            d("&bogus; &amp &#xZZ; & alone"),
            "&bogus; &amp &#xZZ; & alone"
        );
        assert_eq!(d("&#0;&#1;"), "&#0;&#1;");
        assert!(matches!(d("no references"), std::borrow::Cow::Borrowed(_)));
    }
}
