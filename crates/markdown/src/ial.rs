//! kramdown inline attribute lists (`{: .class #id key="value"}`) and attribute list
//! definitions (`{:name: ...}`).
//!
//! Only parsing lives here; attaching an IAL to the element it belongs to is the emitter's job.
//! Backslash escapes inside values are resolved (`{:target="\_blank"}` gives `_blank`), which is
//! what authors mean; kramdown itself would keep the backslash.

use std::collections::HashMap;

/// Attributes to add to one element.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attrs {
    pub id: Option<String>,
    pub classes: Vec<String>,
    pub pairs: Vec<(String, String)>,
}

impl Attrs {
    pub fn merge(&mut self, other: &Attrs) {
        if other.id.is_some() {
            self.id.clone_from(&other.id);
        }
        self.classes.extend(other.classes.iter().cloned());
        for (k, v) in &other.pairs {
            match self.pairs.iter_mut().find(|(k2, _)| k2 == k) {
                Some(p) => p.1.clone_from(v),
                None => self.pairs.push((k.clone(), v.clone())),
            }
        }
    }
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        if c == '\\' {
            if let Some(&n) = it.peek() {
                if n.is_ascii_punctuation() {
                    out.push(n);
                    it.next();
                    continue;
                }
            }
        }
        out.push(c);
    }
    out
}

/// Parses the body of an attribute list (the text between `{:` and `}`), resolving references to
/// previously defined ALDs.
pub fn parse(body: &str, alds: &HashMap<String, Attrs>) -> Attrs {
    let mut a = Attrs::default();
    let b = body.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'=' {
            i += 1;
        }
        let word = &body[start..i];
        if i < b.len() && b[i] == b'=' {
            i += 1;
            let q = b.get(i).copied();
            let value = if q == Some(b'"') || q == Some(b'\'') {
                let q = q.unwrap_or(b'"');
                let vs = i + 1;
                let mut j = vs;
                while j < b.len() && b[j] != q {
                    j += if b[j] == b'\\' { 2 } else { 1 };
                }
                let j = j.min(b.len());
                i = (j + 1).min(b.len());
                &body[vs.min(j)..j]
            } else {
                let vs = i;
                while i < b.len() && !b[i].is_ascii_whitespace() {
                    i += 1;
                }
                &body[vs..i]
            };
            if !word.is_empty() {
                a.pairs.push((word.to_string(), unescape(value)));
            }
        } else if let Some(c) = word.strip_prefix('.') {
            a.classes.push(unescape(c));
        } else if let Some(id) = word.strip_prefix('#') {
            a.id = Some(unescape(id));
        } else if let Some(def) = alds.get(word) {
            a.merge(def);
        }
    }
    a
}

/// What a whole line holding only `{...}` is.
#[derive(Debug, PartialEq, Eq)]
pub enum BlockExt<'a> {
    /// `{: body}`
    Ial(&'a str),
    /// `{:name: body}`
    Ald(&'a str, &'a str),
    /// `{::name body}` or `{::name body/}`; the bool says self-closing.
    Extension(&'a str, bool),
}

/// Recognises a line that is a block IAL, an ALD or an extension tag.
pub fn classify_line(line: &str) -> Option<BlockExt<'_>> {
    let t = line.trim();
    let inner = t.strip_prefix("{:")?.strip_suffix('}')?;
    if let Some(ext) = inner.strip_prefix(':') {
        let (body, closed) = match ext.strip_suffix('/') {
            Some(b) => (b, true),
            None => (ext, false),
        };
        let name = body.split_whitespace().next().unwrap_or("");
        return Some(BlockExt::Extension(name, closed));
    }
    if inner.starts_with('/') {
        return None;
    }
    let name_len = inner
        .bytes()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'-')
        .count();
    if name_len > 0 && inner.as_bytes().get(name_len) == Some(&b':') {
        return Some(BlockExt::Ald(&inner[..name_len], &inner[name_len + 1..]));
    }
    if inner.contains('}') && !inner.contains("\\}") {
        return None;
    }
    Some(BlockExt::Ial(inner))
}

/// Length of a span IAL `{:...}` starting at the beginning of `s` on one line, if there is one.
pub fn span_ial_len(s: &str) -> Option<usize> {
    if !s.starts_with("{:") || s.starts_with("{::") {
        return None;
    }
    let b = s.as_bytes();
    let mut i = 2;
    let mut quote = None;
    while i < b.len() && i < 1024 {
        match (b[i], quote) {
            (b'\n', _) => return None,
            (b'\\', _) => i += 1,
            (q @ (b'"' | b'\''), None) => quote = Some(q),
            (q, Some(open)) if q == open => quote = None,
            (b'}', None) => return Some(i + 1),
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_classes_ids_and_pairs() {
        let a = parse(
            r#" .note #intro target="\_blank" data-x='a b'"#,
            &HashMap::new(),
        );
        assert_eq!(a.id.as_deref(), Some("intro"));
        assert_eq!(a.classes, vec!["note"]);
        assert_eq!(
            a.pairs,
            vec![
                ("target".into(), "_blank".into()),
                ("data-x".into(), "a b".into())
            ]
        );
    }

    #[test]
    fn resolves_ald_references() {
        let mut alds = HashMap::new();
        alds.insert("wide".to_string(), parse(".l-page", &HashMap::new()));
        assert_eq!(parse("wide .x", &alds).classes, vec!["l-page", "x"]);
    }

    #[test]
    fn classifies_lines() {
        assert_eq!(classify_line("{: .x}"), Some(BlockExt::Ial(" .x")));
        assert_eq!(
            classify_line("{:start=\"4\"}"),
            Some(BlockExt::Ial("start=\"4\""))
        );
        assert_eq!(
            classify_line("{:wide: .l-page}"),
            Some(BlockExt::Ald("wide", " .l-page"))
        );
        assert_eq!(
            classify_line("{::comment}"),
            Some(BlockExt::Extension("comment", false))
        );
        assert_eq!(
            classify_line("{::options parse_block_html=\"true\" /}"),
            Some(BlockExt::Extension("options", true))
        );
        assert_eq!(classify_line("text {: .x}"), None);
        assert_eq!(span_ial_len("{:target=\"_blank\"} rest"), Some(18));
        assert_eq!(span_ial_len("{::x}"), None);
    }
}
