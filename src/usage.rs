//! Where a post uses a path: the line a diagnostic about a missing file or a broken link points at.
//!
//! Such problems are found in the rendered HTML, which no longer knows its source lines, so the
//! source is searched for the path as written. The first textual occurrence is often not the use:
//! a post may quote the path in a code block or an inline code span, or keep an old version in an
//! HTML comment, before the line that really loads it. [`UsageFinder`] skips those places
//! (fenced code, `{% highlight %}` blocks, inline code, comments) and falls back to the first
//! occurrence only when the path appears nowhere else.
//!
//! Not here: deciding what is missing or broken (`links`, `check::content`).

use std::ops::Range;

/// A post's source with the byte ranges where a path is quoted rather than used.
pub struct UsageFinder<'t> {
    text: &'t str,
    quoted: Vec<Range<usize>>,
}

impl<'t> UsageFinder<'t> {
    pub fn new(text: &'t str) -> Self {
        UsageFinder {
            text,
            quoted: quoted_ranges(text),
        }
    }

    /// Byte offset of the first use of `needle`: the first occurrence outside code and comments,
    /// else the first occurrence at all.
    pub fn find(&self, needle: &str) -> Option<usize> {
        if needle.is_empty() {
            return None;
        }
        let mut first = None;
        for (at, _) in self.text.match_indices(needle) {
            first.get_or_insert(at);
            if !self.quoted.iter().any(|r| r.contains(&at)) {
                return Some(at);
            }
        }
        first
    }

    /// 1-based line of [`UsageFinder::find`], 0 when `needle` does not occur.
    pub fn line(&self, needle: &str) -> u32 {
        self.find(needle)
            .map_or(0, |at| self.text[..at].matches('\n').count() as u32 + 1)
    }
}

/// Ranges of fenced code blocks (```` ``` ```` and `~~~`), `{% highlight %}` blocks, HTML comments
/// and inline code spans, in order.
fn quoted_ranges(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut fence: Option<(u8, usize, usize)> = None; // (char, run length, start)
    let mut highlight: Option<usize> = None;
    let mut comment: Option<usize> = None;
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let start = pos;
        pos += line.len();
        let t = line.trim_start_matches([' ', '\t']);
        if let Some(c) = comment {
            if let Some(e) = line.find("-->") {
                out.push(c..start + e + 3);
                comment = None;
            }
            continue;
        }
        if let Some((ch, n, s)) = fence {
            let run = t.bytes().take_while(|b| *b == ch).count();
            if run >= n && t[run..].trim().is_empty() {
                out.push(s..pos);
                fence = None;
            }
            continue;
        }
        if let Some(s) = highlight {
            if line.contains("endhighlight") {
                out.push(s..pos);
                highlight = None;
            }
            continue;
        }
        let indent = line.len() - t.len();
        let run_of = |ch: u8| t.bytes().take_while(|b| *b == ch).count();
        if indent <= 3 && (run_of(b'`') >= 3 || run_of(b'~') >= 3) {
            let ch = t.as_bytes()[0];
            fence = Some((ch, run_of(ch), start));
            continue;
        }
        if t.starts_with("{%")
            && t[2..]
                .trim_start_matches('-')
                .trim_start()
                .starts_with("highlight")
        {
            highlight = Some(start);
            if line.contains("endhighlight") {
                out.push(start..pos);
                highlight = None;
            }
            continue;
        }
        inline_ranges(line, start, &mut out, &mut comment);
    }
    let end = text.len();
    if let Some((_, _, s)) = fence {
        out.push(s..end);
    }
    if let Some(s) = highlight.or(comment) {
        out.push(s..end);
    }
    out
}

/// Inline code spans and comments of one line (a comment left open continues on the next lines).
fn inline_ranges(
    line: &str,
    start: usize,
    out: &mut Vec<Range<usize>>,
    comment: &mut Option<usize>,
) {
    let b = line.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i..].starts_with(b"<!--") {
            match line[i + 4..].find("-->") {
                Some(e) => {
                    out.push(start + i..start + i + 4 + e + 3);
                    i += 4 + e + 3;
                    continue;
                }
                None => {
                    *comment = Some(start + i);
                    return;
                }
            }
        }
        if b[i] == b'`' {
            let n = b[i..].iter().take_while(|c| **c == b'`').count();
            let close = "`".repeat(n);
            let mut j = i + n;
            let mut found = None;
            while let Some(k) = line[j..].find(&close) {
                let at = j + k;
                let run = b[at..].iter().take_while(|c| **c == b'`').count();
                if run == n {
                    found = Some(at);
                    break;
                }
                j = at + run;
            }
            match found {
                Some(at) => {
                    out.push(start + i..start + at + n);
                    i = at + n;
                }
                None => i += n,
            }
            continue;
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_quoted_in_code_or_comments_is_not_its_use() {
        let text = "Intro `assets/img/a.png` in code.\n\
                    ```html\n<img src=\"assets/img/a.png\">\n```\n\
                    {% highlight html %}\nassets/img/a.png\n{% endhighlight %}\n\
                    <!-- old: assets/img/a.png\n still old -->\n\
                    ~~~~\nassets/img/a.png\n~~~~\n\
                    Here: <img src=\"assets/img/a.png\">\n";
        let f = UsageFinder::new(text);
        assert_eq!(f.line("assets/img/a.png"), 13);
    }

    #[test]
    fn only_quoted_occurrences_fall_back_to_the_first_and_absent_is_zero() {
        let text = "a\n`x.png`\n```\nx.png\n```\n";
        let f = UsageFinder::new(text);
        assert_eq!(f.line("x.png"), 2);
        assert_eq!(f.line("y.png"), 0);
        assert_eq!(f.line(""), 0);
    }

    #[test]
    fn unclosed_spans_and_fences_do_not_hide_what_follows_on_other_lines() {
        let f = UsageFinder::new("a ` b x.png\n<!-- c --> x.png\n");
        assert_eq!(f.line("x.png"), 1);
        let f = UsageFinder::new("```\nx.png\n");
        assert_eq!(
            f.line("x.png"),
            2,
            "fallback: nothing outside the open fence"
        );
        let f = UsageFinder::new("<!-- x.png --> ``x.png`` and x.png\n");
        assert_eq!(f.find("x.png"), Some(29));
    }

    #[test]
    fn text_with_multibyte_characters_is_scanned_by_bytes() {
        let f = UsageFinder::new(
            "é `ü x.png` — x.png <!-- ö -->
",
        );
        assert_eq!(f.find("x.png"), Some(18));
    }
}
