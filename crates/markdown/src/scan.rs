//! Low-level HTML scanning shared by the block pre-pass and the raw-HTML pass: tags, comments and
//! the matching close tag of an element.
//!
//! This is not an HTML parser: it recognises well-formed tags the way kramdown's tag regex does and
//! counts nesting of one element name, which is all that is needed to find where a raw block ends.
//! Every scan is bounded (a tag is at most [`MAX_TAG_LEN`] bytes) so hostile input stays linear.

/// Longest start tag (with attributes) we accept; longer `<...` runs are text.
pub const MAX_TAG_LEN: usize = 16 * 1024;

/// Elements that kramdown parses as span elements: at the start of a line they do not open a
/// raw HTML block.
pub const SPAN_ELEMENTS: &[&str] = &[
    "a", "abbr", "acronym", "b", "big", "bdo", "br", "button", "cite", "code", "del", "dfn", "em",
    "i", "img", "input", "ins", "kbd", "label", "mark", "option", "q", "rb", "rbc", "rp", "rt",
    "rtc", "ruby", "samp", "select", "small", "span", "strike", "strong", "sub", "sup", "textarea",
    "tt", "var",
];

/// Elements without a body.
pub const VOID_ELEMENTS: &[&str] = &[
    "area", "base", "br", "col", "command", "embed", "hr", "img", "input", "keygen", "link",
    "meta", "param", "source", "track", "wbr",
];

/// Elements whose content is verbatim: no Markdown, no math.
pub const RAW_TEXT_ELEMENTS: &[&str] = &[
    "script", "style", "pre", "code", "textarea", "kbd", "samp", "var", "math", "xmp",
];

/// Elements whose `markdown="1"` content is span-level (kramdown's span content model).
pub const SPAN_MODEL_ELEMENTS: &[&str] = &[
    "a", "abbr", "acronym", "b", "bdo", "big", "button", "caption", "cite", "del", "dfn", "dt",
    "em", "h1", "h2", "h3", "h4", "h5", "h6", "i", "ins", "label", "legend", "p", "q", "small",
    "span", "strong", "sub", "sup", "th", "tt",
];

pub fn is_one_of(name: &str, list: &[&str]) -> bool {
    list.iter().any(|n| n.eq_ignore_ascii_case(name))
}

/// A start or end tag found at some offset.
#[derive(Debug, Clone, Copy)]
pub struct Tag<'a> {
    pub name: &'a str,
    pub closing: bool,
    pub self_closing: bool,
    /// Byte range of the attribute text (between the name and `>` or `/>`).
    pub attrs: (usize, usize),
    /// Offset just after `>`.
    pub end: usize,
}

impl Tag<'_> {
    /// Whether this start tag has no content (void element or `/>`).
    pub fn is_empty_element(&self) -> bool {
        self.self_closing || is_one_of(self.name, VOID_ELEMENTS)
    }
}

fn is_name_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.')
}

/// Parses a tag starting at `at` (which must hold `<`).
pub fn parse_tag(s: &str, at: usize) -> Option<Tag<'_>> {
    let b = s.as_bytes();
    let limit = tag_limit(s, at);
    let mut i = at + 1;
    let closing = b.get(i) == Some(&b'/');
    if closing {
        i += 1;
    }
    if !b.get(i)?.is_ascii_alphabetic() {
        return None;
    }
    let name_start = i;
    while i < limit && is_name_char(b[i]) {
        i += 1;
    }
    let name = &s[name_start..i];
    if closing {
        return end_tag(b, name, i, limit);
    }
    let attrs_start = i;
    loop {
        let ws_start = i;
        i = skip_whitespace(b, i, limit);
        if i >= limit {
            return None;
        }
        if let Some((self_closing, end)) = start_tag_close(b, i) {
            return Some(Tag {
                name,
                closing: false,
                self_closing,
                attrs: (attrs_start, i),
                end,
            });
        }
        // Attributes are separated by white space.
        if i == ws_start {
            return None;
        }
        i = attribute_end(s, i, limit)?;
    }
}

/// How far a tag starting at `at` may reach: [`MAX_TAG_LEN`] bytes or the end of `s`, moved back
/// to a character boundary.
fn tag_limit(s: &str, at: usize) -> usize {
    let mut limit = (at + MAX_TAG_LEN).min(s.len());
    while !s.is_char_boundary(limit) {
        limit -= 1;
    }
    limit
}

/// The first offset from `i` (before `limit`) that is not ASCII white space.
fn skip_whitespace(b: &[u8], mut i: usize, limit: usize) -> usize {
    while i < limit && b[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// The end tag `</name` whose name ends at `i`: only white space may come before its `>`.
fn end_tag<'a>(b: &[u8], name: &'a str, i: usize, limit: usize) -> Option<Tag<'a>> {
    let attrs_start = i;
    let i = skip_whitespace(b, i, limit);
    (i < limit && b[i] == b'>').then_some(Tag {
        name,
        closing: true,
        self_closing: false,
        attrs: (attrs_start, attrs_start),
        end: i + 1,
    })
}

/// Whether a start tag closes at `i`: `Some((self_closing, offset after the tag))` for `>` or
/// `/>`, `None` otherwise.
fn start_tag_close(b: &[u8], i: usize) -> Option<(bool, usize)> {
    match b[i] {
        b'>' => Some((false, i + 1)),
        b'/' if b.get(i + 1) == Some(&b'>') => Some((true, i + 2)),
        _ => None,
    }
}

/// The offset after the attribute at `i`: its name, then optionally `=` and a quoted or bare
/// value (white space allowed around `=`). `None` when there is no name at `i` or the value is
/// missing or unclosed before `limit`.
fn attribute_end(s: &str, mut i: usize, limit: usize) -> Option<usize> {
    let b = s.as_bytes();
    let name_start = i;
    while i < limit
        && !b[i].is_ascii_whitespace()
        && !matches!(b[i], b'"' | b'\'' | b'>' | b'/' | b'=' | b'<')
    {
        i += 1;
    }
    if i == name_start {
        return None;
    }
    let j = skip_whitespace(b, i, limit);
    if !(j < limit && b[j] == b'=') {
        return Some(i);
    }
    let j = skip_whitespace(b, j + 1, limit);
    if j >= limit {
        return None;
    }
    attribute_value_end(s, j, limit)
}

/// The offset after the attribute value starting at `j`: up to its closing quote when quoted,
/// else up to white space or a character a bare value cannot hold; `None` if it is empty or
/// its quote does not close before `limit`.
fn attribute_value_end(s: &str, mut j: usize, limit: usize) -> Option<usize> {
    let b = s.as_bytes();
    match b[j] {
        q @ (b'"' | b'\'') => {
            let close = s[j + 1..limit].find(q as char)?;
            Some(j + 1 + close + 1)
        }
        _ => {
            let value_start = j;
            while j < limit
                && !b[j].is_ascii_whitespace()
                && !matches!(b[j], b'"' | b'\'' | b'=' | b'<' | b'>' | b'`')
            {
                j += 1;
            }
            (j > value_start).then_some(j)
        }
    }
}

/// End offset of an HTML comment starting at `at` (`<!--`), or `None` if it never closes.
pub fn comment_end(s: &str, at: usize) -> Option<usize> {
    s[at + 4..].find("-->").map(|k| at + 4 + k + 3)
}

/// Finds the end tag matching the element whose start tag ends at `from`, counting nesting of
/// the same name and skipping comments and verbatim elements. Returns (start, end) of the end tag.
pub fn find_close(s: &str, from: usize, name: &str) -> Option<(usize, usize)> {
    let b = s.as_bytes();
    if is_one_of(name, &["script", "style", "textarea", "xmp"]) {
        return find_end_tag(s, from, name);
    }
    let mut depth = 1usize;
    let mut i = from;
    while let Some(k) = s[i..].find('<') {
        let at = i + k;
        if s[at..].starts_with("<!--") {
            i = comment_end(s, at)?;
            continue;
        }
        match parse_tag(s, at) {
            Some(t) if t.name.eq_ignore_ascii_case(name) => {
                if t.closing {
                    depth -= 1;
                    if depth == 0 {
                        return Some((at, t.end));
                    }
                } else if !t.is_empty_element() {
                    depth += 1;
                }
                i = t.end;
            }
            Some(t) if !t.closing && is_one_of(t.name, &["script", "style", "textarea"]) => {
                i = find_end_tag(s, t.end, t.name).map_or(t.end, |(_, e)| e);
            }
            Some(t) => i = t.end,
            None => i = at + 1,
        }
        if i >= b.len() {
            break;
        }
    }
    None
}

/// First `</name>` after `from`, without nesting.
fn find_end_tag(s: &str, from: usize, name: &str) -> Option<(usize, usize)> {
    let mut i = from;
    while let Some(k) = s[i..].find("</") {
        let at = i + k;
        if let Some(t) = parse_tag(s, at) {
            if t.name.eq_ignore_ascii_case(name) {
                return Some((at, t.end));
            }
        }
        i = at + 2;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_with_attributes_across_lines() {
        let s = "<div class=\"a\"\n  id='b' hidden>";
        let t = parse_tag(s, 0).unwrap();
        assert_eq!((t.name, t.closing, t.end), ("div", false, s.len()));
        assert!(parse_tag("<div class=\"a>", 0).is_none());
        assert!(parse_tag("< div>", 0).is_none());
        assert!(parse_tag("<d-cite key=\"x\"/>", 0).unwrap().self_closing);
    }

    #[test]
    fn close_tag_counts_nesting_and_skips_comments() {
        let s = "<div><div></div><!-- </div> --></div>tail";
        let open = parse_tag(s, 0).unwrap();
        assert_eq!(find_close(s, open.end, "div"), Some((31, 37)));
        assert_eq!(find_close("<div>", 5, "div"), None);
    }
}
