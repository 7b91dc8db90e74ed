//! Splitting a template into text, `{% tag %}` and `{{ output }}` tokens, exactly where Ruby
//! Liquid splits it.
//!
//! Ruby Liquid splits with the lazy, multi-line patterns `\{%.*?%\}` and `\{\{.*?\}\}?`: a tag
//! ends at the first `%}`, an output at the first `}` (taking a second `}` if one follows), so
//! `\text{{a}_b}` holds the output `{{a}`. A `{%` or `{{` with no end at all becomes a lone token
//! that the parser reports. This module does that in one forward pass with `memchr` and never
//! backtracks; it also holds the small hand-written matchers for Liquid's lax-mode regular
//! expressions (`QuotedFragment` and friends), so no regex engine is needed.

use memchr::{memchr, memmem};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Text,
    /// `{% ... %}`; `start..end` covers the delimiters.
    Tag,
    /// `{{ ... }}` or `{{ ... }`.
    Output,
    /// A `{%` with no `%}` after it.
    LoneTag,
    /// A `{{` with no `}` after it.
    LoneOutput,
}

#[derive(Debug, Clone, Copy)]
pub struct Token {
    pub kind: TokenKind,
    pub start: usize,
    pub end: usize,
}

/// Iterator over the tokens of a template.
pub struct Tokenizer<'a> {
    src: &'a str,
    pos: usize,
    pending: Option<Token>,
    no_tag_end: bool,
    no_brace_end: bool,
}

impl<'a> Tokenizer<'a> {
    pub fn new(src: &'a str) -> Self {
        Tokenizer {
            src,
            pos: 0,
            pending: None,
            no_tag_end: false,
            no_brace_end: false,
        }
    }

    /// Finds the next `{%`/`{{` at or after `from` and the token it starts.
    fn next_special(&mut self, from: usize) -> Option<Token> {
        let bytes = self.src.as_bytes();
        let mut at = from;
        while let Some(i) = memchr(b'{', &bytes[at..]) {
            let s = at + i;
            match bytes.get(s + 1) {
                Some(b'%') => return Some(self.tag_at(s)),
                Some(b'{') => return Some(self.output_at(s)),
                _ => at = s + 1,
            }
        }
        None
    }

    fn tag_at(&mut self, s: usize) -> Token {
        let bytes = self.src.as_bytes();
        if !self.no_tag_end {
            if let Some(i) = memmem::find(&bytes[s + 2..], b"%}") {
                return Token {
                    kind: TokenKind::Tag,
                    start: s,
                    end: s + 2 + i + 2,
                };
            }
            self.no_tag_end = true;
        }
        Token {
            kind: TokenKind::LoneTag,
            start: s,
            end: s + 2,
        }
    }

    fn output_at(&mut self, s: usize) -> Token {
        let bytes = self.src.as_bytes();
        if !self.no_brace_end {
            if let Some(i) = memchr(b'}', &bytes[s + 2..]) {
                let mut end = s + 2 + i + 1;
                if bytes.get(end) == Some(&b'}') {
                    end += 1;
                }
                return Token {
                    kind: TokenKind::Output,
                    start: s,
                    end,
                };
            }
            self.no_brace_end = true;
        }
        Token {
            kind: TokenKind::LoneOutput,
            start: s,
            end: s + 2,
        }
    }
}

impl Iterator for Tokenizer<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        if let Some(t) = self.pending.take() {
            self.pos = t.end;
            return Some(t);
        }
        if self.pos >= self.src.len() {
            return None;
        }
        match self.next_special(self.pos) {
            Some(t) if t.start == self.pos => {
                self.pos = t.end;
                Some(t)
            }
            Some(t) => {
                let text = Token {
                    kind: TokenKind::Text,
                    start: self.pos,
                    end: t.start,
                };
                self.pending = Some(t);
                self.pos = t.start;
                Some(text)
            }
            None => {
                let text = Token {
                    kind: TokenKind::Text,
                    start: self.pos,
                    end: self.src.len(),
                };
                self.pos = self.src.len();
                Some(text)
            }
        }
    }
}

/// Whether the template contains anything Liquid would act on.
pub fn has_markup(src: &str) -> bool {
    let bytes = src.as_bytes();
    let mut at = 0;
    while let Some(i) = memchr(b'{', &bytes[at..]) {
        let s = at + i;
        if matches!(bytes.get(s + 1), Some(b'%' | b'{')) {
            return true;
        }
        at = s + 1;
    }
    false
}

/// Ruby's `\s` (ASCII whitespace).
pub fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// Ruby's `\w` on a UTF-8 string (ASCII word characters).
pub fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// End of a quoted string (`"[^"]*"` or `'[^']*'`) starting at `i`.
fn quoted_at(s: &[u8], i: usize) -> Option<usize> {
    let q = *s.get(i)?;
    if q != b'"' && q != b'\'' {
        return None;
    }
    memchr(q, &s[i + 1..]).map(|j| i + 1 + j + 1)
}

/// End of Liquid's `QuotedFragment` matched at `i`:
/// `"[^"]*"|'[^']*'|(?:[^\s,\|'"]|"[^"]*"|'[^']*')+`.
pub fn quoted_fragment_at(s: &[u8], i: usize) -> Option<usize> {
    if let Some(e) = quoted_at(s, i) {
        return Some(e);
    }
    let mut j = i;
    loop {
        match s.get(j) {
            Some(&b) if !is_space(b) && b != b',' && b != b'|' && b != b'"' && b != b'\'' => j += 1,
            Some(_) => match quoted_at(s, j) {
                Some(e) => j = e,
                None => break,
            },
            None => break,
        }
    }
    (j > i).then_some(j)
}

/// First `QuotedFragment` anywhere in `s` at or after `from` (unanchored search).
pub fn find_quoted_fragment(s: &[u8], from: usize) -> Option<(usize, usize)> {
    (from..s.len()).find_map(|i| quoted_fragment_at(s, i).map(|e| (i, e)))
}

/// Skips Ruby whitespace from `i`.
pub fn skip_space(s: &[u8], mut i: usize) -> usize {
    while s.get(i).is_some_and(|&b| is_space(b)) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<(TokenKind, &str)> {
        Tokenizer::new(src)
            .map(|t| (t.kind, &src[t.start..t.end]))
            .collect()
    }

    #[test]
    fn an_output_ends_at_the_first_brace() {
        assert_eq!(
            kinds(r"\text{{a}_b}"),
            vec![
                (TokenKind::Text, r"\text"),
                (TokenKind::Output, "{{a}"),
                (TokenKind::Text, "_b}")
            ]
        );
        assert_eq!(
            kinds(r"\frac{1}{{n}}"),
            vec![(TokenKind::Text, r"\frac{1}"), (TokenKind::Output, "{{n}}")]
        );
    }

    #[test]
    fn a_tag_ends_at_the_first_percent_brace_even_across_lines() {
        assert_eq!(
            kinds("a{% if\nx %}b"),
            vec![
                (TokenKind::Text, "a"),
                (TokenKind::Tag, "{% if\nx %}"),
                (TokenKind::Text, "b")
            ]
        );
    }

    #[test]
    fn unterminated_openers_are_lone_tokens() {
        assert_eq!(
            kinds("a {% b"),
            vec![
                (TokenKind::Text, "a "),
                (TokenKind::LoneTag, "{%"),
                (TokenKind::Text, " b")
            ]
        );
        assert_eq!(kinds("{{ x")[0], (TokenKind::LoneOutput, "{{"));
    }

    #[test]
    fn quoted_fragments_follow_liquid() {
        let s = br#"  "a b"c x"#;
        assert_eq!(find_quoted_fragment(s, 0), Some((2, 7)));
        let s = br#"a"b c"d|e"#;
        assert_eq!(quoted_fragment_at(s, 0), Some(7));
        assert_eq!(find_quoted_fragment(b" 'x", 0), Some((2, 3)));
    }
}
