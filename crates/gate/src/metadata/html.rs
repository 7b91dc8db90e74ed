//! HTML figures: absolute paths of the authors' machines (`/Users/jane/…`, `/home/jdoe/…`,
//! `C:\Users\Jane\…`, `file:///…`), which exporters write into script and data links. The scan
//! is the gate's text scan for HTML (`anon-local-path`); the scrub replaces each user name in
//! such a path with `anonymous` (the path was broken on the web anyway) and changes nothing else.
//! The authors' prose is theirs: e-mail addresses and names in the text are the check's to
//! report, not the preview's to rewrite.

use super::Scrub;
use crate::identity::personal_paths;

pub fn scrub(b: &[u8]) -> Scrub {
    let Ok(text) = std::str::from_utf8(b) else {
        return Scrub::failed("it is not UTF-8 text");
    };
    let (out, removed) = anonymize_paths(text);
    Scrub::from_removed(out.into_bytes(), removed)
}

/// `text` with the user name of every personal path replaced by `anonymous`, and the count.
pub(crate) fn anonymize_paths(text: &str) -> (String, usize) {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut removed = 0;
    for (_, name) in personal_paths(text) {
        if name.start < last {
            continue;
        }
        out.push_str(&text[last..name.start]);
        out.push_str("anonymous");
        last = name.end;
        removed += 1;
    }
    out.push_str(&text[last..]);
    (out, removed)
}
