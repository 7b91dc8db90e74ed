//! Where math is, by delimiter rules: the Markdown-text rules (kramdown `$$`, plus single `$`
//! with a currency guard) and the raw-HTML rules (MathJax's delimiters and bare environments).
//!
//! These scanners only report byte ranges; they neither render nor rewrite. Every search for a
//! closing delimiter remembers failures so a storm of unclosed openers stays linear.

/// One piece of math found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Range of the whole source, delimiters included.
    pub start: usize,
    pub end: usize,
    /// Range of the TeX inside the delimiters.
    pub tex: (usize, usize),
    pub display: bool,
}

/// What the Markdown inline scanner reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    Math(Found),
    /// A `{:...}` span IAL at this range.
    SpanIal(usize, usize),
}

/// Every unescaped single `$` (not part of `$$`), and whether it may close single-dollar math:
/// not after whitespace and not before a digit. Math closes at the next such `$` or not at all.
struct Closers(Vec<(usize, bool)>);

impl Closers {
    fn new(b: &[u8]) -> Self {
        let mut v = Vec::new();
        for k in 1..b.len() {
            if b[k] != b'$' {
                continue;
            }
            let prev = b[k - 1];
            let next = b.get(k + 1).copied();
            if prev == b'\\' || prev == b'$' || next == Some(b'$') {
                continue;
            }
            let valid = !prev.is_ascii_whitespace() && !next.is_some_and(|c| c.is_ascii_digit());
            v.push((k, valid));
        }
        Closers(v)
    }

    fn after(&self, i: usize) -> Option<usize> {
        let p = self.0.partition_point(|&(k, _)| k <= i);
        self.0.get(p).filter(|c| c.1).map(|c| c.0)
    }
}

fn opens_single(b: &[u8], i: usize) -> bool {
    matches!(b.get(i + 1), Some(c) if !c.is_ascii_whitespace() && *c != b'$')
}

/// Remembers which closing strings were not found after some offset.
#[derive(Default)]
struct Misses(Vec<(String, usize)>);

impl Misses {
    fn find(&mut self, s: &str, from: usize, pat: &str) -> Option<usize> {
        if self.0.iter().any(|(p, at)| p == pat && *at <= from) {
            return None;
        }
        match s.get(from..).and_then(|t| t.find(pat)) {
            Some(k) => Some(from + k),
            None => {
                self.0.push((pat.to_string(), from));
                None
            }
        }
    }
}

/// Scans Markdown inline text (one paragraph) for math and span IALs, skipping code spans,
/// backslash escapes, HTML tags, comments and verbatim inline elements.
pub fn scan_markdown(s: &str) -> Vec<Inline> {
    let b = s.as_bytes();
    let closers = Closers::new(b);
    let mut misses = Misses::default();
    let mut tick_misses = [usize::MAX; 32];
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => {
                match environment(s, i, &mut misses).or_else(|| escaped_delims(s, i, &mut misses)) {
                    Some(f) => {
                        i = f.end;
                        out.push(Inline::Math(f));
                    }
                    None if b.get(i + 1).is_some_and(|c| c.is_ascii_punctuation()) => i += 2,
                    None => i += 1,
                }
            }
            b'`' => {
                let k = b[i..].iter().take_while(|&&c| c == b'`').count();
                let slot = k.min(31);
                let mut found = None;
                if tick_misses[slot] > i {
                    let mut j = i + k;
                    while let Some(p) = s[j..].find('`') {
                        let at = j + p;
                        let run = b[at..].iter().take_while(|&&c| c == b'`').count();
                        if run == k {
                            found = Some(at + run);
                            break;
                        }
                        j = at + run;
                    }
                    if found.is_none() {
                        tick_misses[slot] = i;
                    }
                }
                i = found.unwrap_or(i + k);
            }
            b'<' => i = skip_html(s, i, &mut misses),
            b'{' => match crate::ial::span_ial_len(&s[i..]) {
                Some(n) => {
                    out.push(Inline::SpanIal(i, i + n));
                    i += n;
                }
                None => i += 1,
            },
            b'$' if b.get(i + 1) == Some(&b'$') => match misses.find(s, i + 2, "$$") {
                Some(j) if !s[i + 2..j].trim().is_empty() => {
                    out.push(Inline::Math(Found {
                        start: i,
                        end: j + 2,
                        tex: (i + 2, j),
                        display: false,
                    }));
                    i = j + 2;
                }
                _ => i += 2,
            },
            b'$' if opens_single(b, i) => match closers.after(i) {
                Some(j) if !s[i + 1..j].contains('`') => {
                    out.push(Inline::Math(Found {
                        start: i,
                        end: j + 1,
                        tex: (i + 1, j),
                        display: false,
                    }));
                    i = j + 1;
                }
                _ => i += 1,
            },
            _ => i += 1,
        }
    }
    out
}

/// Skips an inline HTML construct at `i` (`<`), returning the offset after it.
fn skip_html(s: &str, i: usize, misses: &mut Misses) -> usize {
    if s[i..].starts_with("<!--") {
        return misses.find(s, i + 4, "-->").map_or(i + 4, |k| k + 3);
    }
    match crate::scan::parse_tag(s, i) {
        Some(t)
            if !t.closing
                && !t.self_closing
                && crate::scan::is_one_of(t.name, crate::scan::RAW_TEXT_ELEMENTS) =>
        {
            crate::scan::find_close(s, t.end, t.name).map_or(t.end, |(_, e)| e)
        }
        Some(t) => t.end,
        None => {
            let line_end = s[i..].find('\n').map_or(s.len(), |k| i + k);
            let cand = &s[i + 1..line_end];
            let scheme = cand
                .bytes()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'.' | b'-'))
                .count();
            if scheme >= 2 && cand.as_bytes().get(scheme) == Some(&b':') {
                if let Some(k) = cand.find('>') {
                    if !cand[..k].contains(char::is_whitespace) {
                        return i + 1 + k + 1;
                    }
                }
            }
            i + 1
        }
    }
}

/// `\\\\(…\\\\)` or `\\\\[…\\\\]` in Markdown: kramdown turns the doubled backslash into one, so the
/// reader's MathJax saw `\\(…\\)` (inline) or `\\[…\\]` (display).
fn escaped_delims(s: &str, i: usize, misses: &mut Misses) -> Option<Found> {
    let (close, display) = if s[i..].starts_with("\\\\(") {
        ("\\\\)", false)
    } else if s[i..].starts_with("\\\\[") {
        ("\\\\]", true)
    } else {
        return None;
    };
    let j = misses.find(s, i + 3, close)?;
    if s[i + 3..j].trim().is_empty() || s[i + 3..j].contains("\n\n") {
        return None;
    }
    Some(Found {
        start: i,
        end: j + 3,
        tex: (i + 3, j),
        display,
    })
}

/// A bare `\\begin{env}...\\end{env}` at `i` (MathJax's processEnvironments), as display math.
fn environment(s: &str, i: usize, misses: &mut Misses) -> Option<Found> {
    if !s[i..].starts_with("\\begin{") {
        return None;
    }
    let name_start = i + 7;
    let k = s[name_start..].find('}').filter(|&k| k > 0 && k < 40)?;
    let name = &s[name_start..name_start + k];
    let close = format!("\\end{{{name}}}");
    let j = misses.find(s, name_start + k + 1, &close)?;
    Some(Found {
        start: i,
        end: j + close.len(),
        tex: (i, j + close.len()),
        display: true,
    })
}

/// What the raw-HTML text scanner reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HtmlText {
    Math(Found),
    /// `\$` (MathJax's processEscapes shows a plain `$`).
    EscapedDollar(usize),
}

/// Scans a run of HTML text (between tags) with MathJax's rules: `$$..$$` and `\[..\]` display,
/// `$..$` (currency-guarded) and `\(..\)` inline, bare `\begin{env}..\end{env}` display.
pub fn scan_html_text(s: &str) -> Vec<HtmlText> {
    let b = s.as_bytes();
    let closers = Closers::new(b);
    let mut misses = Misses::default();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => {
                let pair = |open: usize, close: &str, display: bool, misses: &mut Misses| {
                    misses.find(s, open, close).map(|j| Found {
                        start: i,
                        end: j + close.len(),
                        tex: (open, j),
                        display,
                    })
                };
                let found = match b.get(i + 1) {
                    Some(b'$') => {
                        out.push(HtmlText::EscapedDollar(i));
                        i += 2;
                        continue;
                    }
                    Some(b'(') => pair(i + 2, "\\)", false, &mut misses),
                    Some(b'[') => pair(i + 2, "\\]", true, &mut misses),
                    Some(b'b') => environment(s, i, &mut misses),
                    _ => None,
                };
                match found {
                    Some(f) => {
                        i = f.end;
                        out.push(HtmlText::Math(f));
                    }
                    None => {
                        i += if b.get(i + 1).is_some_and(|c| c.is_ascii()) {
                            2
                        } else {
                            1
                        }
                    }
                }
            }
            b'$' if b.get(i + 1) == Some(&b'$') => match misses.find(s, i + 2, "$$") {
                Some(j) if !s[i + 2..j].trim().is_empty() => {
                    out.push(HtmlText::Math(Found {
                        start: i,
                        end: j + 2,
                        tex: (i + 2, j),
                        display: true,
                    }));
                    i = j + 2;
                }
                _ => i += 2,
            },
            b'$' if opens_single(b, i) => match closers.after(i) {
                Some(j) => {
                    out.push(HtmlText::Math(Found {
                        start: i,
                        end: j + 1,
                        tex: (i + 1, j),
                        display: false,
                    }));
                    i = j + 1;
                }
                None => i += 1,
            },
            _ => i += 1,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md_tex(s: &str) -> Vec<&str> {
        scan_markdown(s)
            .into_iter()
            .filter_map(|x| match x {
                Inline::Math(f) => Some(&s[f.tex.0..f.tex.1]),
                Inline::SpanIal(..) => None,
            })
            .collect()
    }

    #[test]
    fn currency_is_not_math() {
        assert!(md_tex("It costs $5 and $10 today.").is_empty());
        assert!(md_tex("between $5 and $ 10").is_empty());
        assert_eq!(md_tex("where $x$ and $y_1$ hold"), ["x", "y_1"]);
        assert_eq!(md_tex("price $5, but $a+b$ is math"), ["a+b"]);
    }

    #[test]
    fn double_dollars_and_escapes_in_markdown() {
        assert_eq!(md_tex("a $$x^2$$ b"), ["x^2"]);
        assert_eq!(md_tex("a \\$x$ b"), Vec::<&str>::new());
        assert_eq!(md_tex("code `$x$` and $y$"), ["y"]);
        assert_eq!(md_tex("<a href=\"$x$\">$y$</a>"), ["y"]);
        assert_eq!(md_tex("\\(x\\) stays text"), Vec::<&str>::new());
    }

    #[test]
    fn html_rules() {
        let s = "a \\(x\\) b \\[y\\] $$z$$ \\begin{align}w\\end{align} \\$5";
        let v = scan_html_text(s);
        let found: Vec<(&str, bool)> = v
            .iter()
            .filter_map(|x| match x {
                HtmlText::Math(f) => Some((&s[f.tex.0..f.tex.1], f.display)),
                HtmlText::EscapedDollar(_) => None,
            })
            .collect();
        assert_eq!(
            found,
            [
                ("x", false),
                ("y", true),
                ("z", true),
                ("\\begin{align}w\\end{align}", true)
            ]
        );
        assert!(matches!(v.last(), Some(HtmlText::EscapedDollar(_))));
    }

    #[test]
    fn storms_stay_fast() {
        let s = "$a ".repeat(200_000) + &"\\( ".repeat(100_000) + &"`` ` ".repeat(50_000);
        let _ = scan_markdown(&s);
        let _ = scan_html_text(&s);
    }
}
