//! Highlighted blocks remembered by (language, line numbers, code), process-wide.
//!
//! Highlighting is the costliest stage per byte (regex grammars). The same block is often
//! highlighted again: on every `blogtrack serve` rebuild, a page's or the edited post's code
//! blocks are unchanged; in one build, a snippet shared by several posts or pages. A hit returns
//! the earlier HTML, which is what highlighting the same input gives again (it is pure).
//!
//! Bounded: when the remembered code and HTML pass [`MAX_BYTES`], everything is forgotten and
//! filling starts again (simple, and a build's working set is far smaller). A hit compares the
//! full inputs, not only their hash. A poisoned lock turns the memo off, never into a panic.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Mutex, OnceLock};

/// Most bytes (code + HTML) remembered at once.
pub const MAX_BYTES: usize = 32 << 20;

/// A hash of the inputs; entries under it hold the inputs themselves.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key(u64);

impl Key {
    pub fn new(code: &str, lang: Option<&str>, linenos: bool) -> Key {
        let mut h = DefaultHasher::new();
        (code, lang, linenos).hash(&mut h);
        Key(h.finish())
    }
}

struct Entry {
    code: String,
    lang: Option<String>,
    linenos: bool,
    html: String,
}

#[derive(Default)]
struct Memo {
    entries: HashMap<Key, Vec<Entry>>,
    bytes: usize,
}

fn memo() -> &'static Mutex<Memo> {
    static MEMO: OnceLock<Mutex<Memo>> = OnceLock::new();
    MEMO.get_or_init(Mutex::default)
}

pub fn get(key: &Key, code: &str, lang: Option<&str>, linenos: bool) -> Option<String> {
    let m = memo().lock().ok()?;
    m.entries
        .get(key)?
        .iter()
        .find(|e| e.code == code && e.lang.as_deref() == lang && e.linenos == linenos)
        .map(|e| e.html.clone())
}

pub fn put(key: Key, code: &str, lang: Option<&str>, linenos: bool, html: &str) {
    let size = code.len() + html.len();
    if size > MAX_BYTES / 4 {
        return;
    }
    let Ok(mut m) = memo().lock() else {
        return;
    };
    if m.bytes + size > MAX_BYTES {
        m.entries.clear();
        m.bytes = 0;
    }
    let same = m.entries.entry(key).or_default();
    if same
        .iter()
        .any(|e| e.code == code && e.lang.as_deref() == lang && e.linenos == linenos)
    {
        return;
    }
    same.push(Entry {
        code: code.to_string(),
        lang: lang.map(str::to_string),
        linenos,
        html: html.to_string(),
    });
    m.bytes += size;
}

/// How many blocks are remembered (for tests).
#[cfg(test)]
pub fn len() -> usize {
    memo()
        .lock()
        .map(|m| m.entries.values().map(Vec::len).sum())
        .unwrap_or(0)
}
