//! BibTeX bibliographies of blog posts: a lenient parser and a Distill-style reference formatter.
//!
//! [`parse`] reads a `.bib` text into a [`Bibliography`] (entries by key, in file order) plus
//! diagnostics; it never fails as a whole: a broken entry is skipped with a `bib-syntax` warning
//! pointing at its line and the following entries still parse. Duplicate keys keep the last entry
//! (`bib-duplicate-key`, naming both lines). [`Entry`] exposes the fields as Unicode text (TeX
//! accents, escapes and case-protecting braces resolved) and formats itself as an HTML fragment
//! or plain text.
//!
//! Math in titles (`$\lambda$`, `$O(n^2)$`) is not rendered here: [`Entry::format_html_with`]
//! hands each formula's TeX to a closure supplied by the caller (the math stage), and
//! [`Entry::format_html`] falls back to Unicode for symbol-only math and to the escaped source in
//! `<span class="tex">$…$</span>` otherwise. Plain-text output keeps `$…$` source.
//!
//! Not here: finding `<d-cite>` in pages, numbering, and laying out the references list — the
//! citation pass does that with these values. No I/O.

mod format;
mod names;
mod parse;
pub mod tex;

use std::collections::HashMap;

use blogtrack_diag::Diagnostic;

pub use format::{default_math_html, escape_html};
pub use names::Person;

/// The entries of one `.bib` file, by key, in file order.
#[derive(Debug, Clone, Default)]
pub struct Bibliography {
    entries: Vec<Entry>,
    index: HashMap<String, usize>,
}

/// One bibliography entry. Field values are kept as written (TeX); accessors convert them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Citation key, as written.
    pub key: String,
    /// Entry type, lowercase (`article`, `inproceedings`, `misc` ...).
    pub kind: String,
    /// 1-based line of the `@` in the `.bib` text.
    pub line: u32,
    fields: Vec<(String, String)>,
}

/// Parses a `.bib` text. Lines in diagnostics are relative to `bib`.
pub fn parse(bib: &str) -> (Bibliography, Vec<Diagnostic>) {
    let (raw, mut diags) = parse::parse_raw(bib);
    let mut slots: Vec<Option<Entry>> = Vec::with_capacity(raw.len());
    let mut seen: HashMap<String, usize> = HashMap::with_capacity(raw.len());
    for r in raw {
        let entry = Entry {
            key: r.key,
            kind: r.kind,
            line: r.line,
            fields: r.fields,
        };
        if let Some(&old) = seen.get(&entry.key) {
            if let Some(prev) = slots[old].take() {
                diags.push(
                    Diagnostic::warning(
                        "bib-duplicate-key",
                        format!(
                            "duplicate key `{}`: the entry at line {} replaces the one at line {}",
                            entry.key, entry.line, prev.line
                        ),
                    )
                    .at(entry.line, 1)
                    .with_hint("remove one of the two entries or rename its key; citations use the last one"),
                );
            }
        }
        seen.insert(entry.key.clone(), slots.len());
        slots.push(Some(entry));
    }
    let entries: Vec<Entry> = slots.into_iter().flatten().collect();
    let index = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.key.clone(), i))
        .collect();
    (Bibliography { entries, index }, diags)
}

impl Bibliography {
    /// The entry with this key (exact match).
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.index.get(key).map(|&i| &self.entries[i])
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Keys in file order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|e| e.key.as_str())
    }

    /// Entries in file order.
    pub fn iter(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter()
    }
}

impl Entry {
    /// Raw (TeX) value of a field; names are lowercase.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// All fields as (lowercase name, raw TeX value), in written order.
    pub fn fields(&self) -> impl Iterator<Item = (&str, &str)> {
        self.fields.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    /// A field as Unicode text; `None` when absent or empty.
    pub fn text_field(&self, name: &str) -> Option<String> {
        let t = tex::to_text(self.field(name)?);
        (!t.is_empty()).then_some(t)
    }

    /// Title as plain Unicode text (braces stripped, accents converted; math that is only
    /// symbols becomes Unicode, other math stays `$…$` TeX).
    pub fn title(&self) -> String {
        self.text_field("title").unwrap_or_default()
    }

    /// Title as text and math segments, for callers that render math themselves.
    pub fn title_segments(&self) -> Vec<tex::Segment> {
        tex::segments(self.field("title").unwrap_or(""))
    }

    /// Authors (without the `others` marker; see [`Entry::has_more_authors`]).
    pub fn authors(&self) -> Vec<Person> {
        self.author_list().0
    }

    /// True when the author list ends in `and others`.
    pub fn has_more_authors(&self) -> bool {
        self.author_list().1
    }

    pub(crate) fn author_list(&self) -> (Vec<Person>, bool) {
        match self.field("author") {
            Some(a) => names::parse_names(a),
            None => (Vec::new(), false),
        }
    }

    pub(crate) fn editor_list(&self) -> (Vec<Person>, bool) {
        match self.field("editor") {
            Some(a) => names::parse_names(a),
            None => (Vec::new(), false),
        }
    }

    /// Year from `year`, or from a biblatex `date` (`2021-05-03` → `2021`).
    pub fn year(&self) -> Option<String> {
        if let Some(y) = self.text_field("year") {
            return Some(y);
        }
        let date = self.text_field("date")?;
        let y: String = date.chars().take_while(|c| c.is_ascii_digit()).collect();
        (y.len() == 4).then_some(y)
    }

    /// Where it appeared: journal, proceedings, publisher, thesis school, report institution,
    /// `howpublished` text, or `arXiv preprint arXiv:<id>`.
    pub fn venue(&self) -> Option<String> {
        let pick = |names: &[&str]| names.iter().find_map(|n| self.text_field(n));
        let specific = match self.kind.as_str() {
            "article" => pick(&["journal", "journaltitle"]),
            "inproceedings" | "conference" | "incollection" | "inbook" => {
                pick(&["booktitle", "journal", "journaltitle"])
            }
            "book" | "booklet" | "proceedings" => pick(&["publisher", "organization"]),
            "phdthesis" | "mastersthesis" | "thesis" => {
                let default = match self.kind.as_str() {
                    "phdthesis" => "PhD thesis",
                    "mastersthesis" => "Master's thesis",
                    _ => "Thesis",
                };
                let kind = self.text_field("type").unwrap_or_else(|| default.into());
                Some(match pick(&["school", "institution"]) {
                    Some(s) => format!("{kind}, {s}"),
                    None => kind,
                })
            }
            "techreport" | "report" => {
                let mut kind = self
                    .text_field("type")
                    .unwrap_or_else(|| "Technical report".into());
                if let Some(n) = self.text_field("number") {
                    kind = format!("{kind} {n}");
                }
                Some(match pick(&["institution", "organization"]) {
                    Some(s) => format!("{kind}, {s}"),
                    None => kind,
                })
            }
            _ => None,
        };
        specific
            .or_else(|| {
                pick(&[
                    "journal",
                    "journaltitle",
                    "booktitle",
                    "publisher",
                    "organization",
                    "institution",
                    "school",
                ])
            })
            .or_else(|| {
                self.field("howpublished")
                    .filter(|raw| !is_url_like(raw))
                    .and_then(|_| self.text_field("howpublished"))
            })
            .or_else(|| {
                self.arxiv_id()
                    .map(|id| format!("arXiv preprint arXiv:{id}"))
            })
    }

    /// The DOI without any resolver prefix (`10.1000/xyz`).
    pub fn doi(&self) -> Option<String> {
        let raw = clean_url_text(self.field("doi")?);
        let mut d = raw.trim();
        for prefix in [
            "https://doi.org/",
            "http://doi.org/",
            "https://dx.doi.org/",
            "http://dx.doi.org/",
            "doi.org/",
            "doi:",
        ] {
            if d.len() >= prefix.len() && d[..prefix.len()].eq_ignore_ascii_case(prefix) {
                d = d[prefix.len()..].trim();
            }
        }
        d.starts_with("10.").then(|| d.to_string())
    }

    /// The arXiv identifier from `eprint` (with `archivePrefix`/`eprinttype` arXiv or an
    /// arXiv-shaped id), or from `arXiv:<id>` / `abs/<id>` in journal, volume or note.
    pub fn arxiv_id(&self) -> Option<String> {
        let prefix = self
            .text_field("archiveprefix")
            .or_else(|| self.text_field("eprinttype"));
        if let Some(e) = self.text_field("eprint") {
            let e = e.split_whitespace().next().unwrap_or("");
            let e = e
                .strip_prefix("arXiv:")
                .or_else(|| e.strip_prefix("arxiv:"))
                .unwrap_or(e);
            match &prefix {
                Some(p) if p.eq_ignore_ascii_case("arxiv") => return Some(e.to_string()),
                None if looks_like_arxiv_id(e) => return Some(e.to_string()),
                _ => {}
            }
        }
        for name in ["journal", "volume", "note", "journaltitle"] {
            if let Some(v) = self.text_field(name) {
                for marker in ["arXiv:", "arxiv:", "abs/"] {
                    if let Some(pos) = v.find(marker) {
                        let id: String = v[pos + marker.len()..]
                            .trim_start()
                            .chars()
                            .take_while(|c| {
                                c.is_ascii_alphanumeric() || matches!(c, '.' | '/' | '-')
                            })
                            .collect();
                        let id = id.trim_end_matches('.');
                        if looks_like_arxiv_id(id) {
                            return Some(id.to_string());
                        }
                    }
                }
            }
        }
        None
    }

    /// The link to show: DOI, else `url` (or `\url{}` in howpublished), else arXiv. Only
    /// `http(s)` URLs are returned.
    pub fn link(&self) -> Option<String> {
        if let Some(d) = self.doi() {
            return Some(format!("https://doi.org/{}", encode_url(&d)));
        }
        for name in ["url", "howpublished"] {
            if let Some(u) = self.field(name).and_then(http_url) {
                return Some(u);
            }
        }
        self.arxiv_id()
            .map(|id| format!("https://arxiv.org/abs/{}", encode_url(&id)))
    }

    /// The formatted reference as an HTML fragment, with title math shown by
    /// [`default_math_html`].
    pub fn format_html(&self) -> String {
        format::html(self, &mut |m| default_math_html(m))
    }

    /// The formatted reference as an HTML fragment; `math` turns the TeX of each title formula
    /// (without `$`) into HTML.
    pub fn format_html_with(&self, math: &mut dyn FnMut(&str) -> String) -> String {
        format::html(self, math)
    }

    /// The formatted reference as plain text (for `<meta name="citation_reference">`); the
    /// link, if any, is written out in full.
    pub fn format_text(&self) -> String {
        format::text(self)
    }
}

fn looks_like_arxiv_id(s: &str) -> bool {
    let s = s.split('v').next().unwrap_or("");
    if let Some((a, b)) = s.split_once('.') {
        a.len() == 4
            && a.bytes().all(|c| c.is_ascii_digit())
            && (4..=5).contains(&b.len())
            && b.bytes().all(|c| c.is_ascii_digit())
    } else {
        false
    }
}

fn is_url_like(raw: &str) -> bool {
    let t = raw.trim_start_matches(['{', ' ']);
    t.starts_with("\\url") || t.starts_with("http://") || t.starts_with("https://")
}

/// A URL field as written in BibTeX → the URL: `\url{}` unwrapped, braces dropped, `\_` etc.
/// unescaped.
fn clean_url_text(raw: &str) -> String {
    let raw = raw.trim();
    let inner = match raw.find("\\url{") {
        Some(pos) => {
            let rest = &raw[pos + 5..];
            let mut depth = 1usize;
            let end = rest
                .char_indices()
                .find(|&(_, c)| {
                    match c {
                        '{' => depth += 1,
                        '}' => depth -= 1,
                        _ => {}
                    }
                    depth == 0
                })
                .map_or(rest.len(), |(i, _)| i);
            &rest[..end]
        }
        None => raw,
    };
    let inner = inner
        .replace("\\textasciitilde", "~")
        .replace("\\textunderscore", "_");
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' | '}' => {}
            '\\' => {
                if let Some(&n) = chars.peek() {
                    if matches!(n, '_' | '%' | '&' | '#' | '~' | '$') {
                        out.push(n);
                        chars.next();
                    }
                }
            }
            c => out.push(c),
        }
    }
    out.trim().to_string()
}

/// An `http(s)` URL from a raw field: lines of a wrapped URL are joined, what may not appear in
/// a URL is percent-encoded.
fn http_url(raw: &str) -> Option<String> {
    let u = clean_url_text(raw);
    let lower = u.get(..8).unwrap_or(&u).to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return None;
    }
    let joined: String = u.split('\n').map(str::trim).collect::<Vec<_>>().join("");
    Some(encode_url(&joined))
}

/// Percent-encodes spaces, quotes, angle brackets, backslashes and control characters.
fn encode_url(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control()
            || matches!(
                c,
                ' ' | '"' | '<' | '>' | '\\' | '`' | '{' | '}' | '^' | '|'
            )
        {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests;

/// `name` with its accents removed and compatibility forms folded (NFKD without the combining
/// marks: `Zoë` → `Zoe`, `Ｊａｎｅ` → `Jane`), for comparing people's names: the binary's
/// camera-ready check compares a post's authors with the submission's through it.
pub fn fold_accents(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    name.nfkd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .collect()
}
