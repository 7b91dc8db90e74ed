//! Where math is, by delimiter rules: the Markdown-text rules (kramdown `$$`, plus single `$`
//! as the old site's KaTeX auto-render paired it) and the raw-HTML rules (MathJax's delimiters
//! and bare environments).
//!
//! **Single dollars.** The old site left `$…$` to KaTeX's auto-render in the browser, which pairs
//! each `$` with the next `$` of the same text node, outside braces, with no whitespace rules:
//! `$ x^2 $`, `$h^* $` and `101$\times$11` were math. We pair the same way ([`single`]): the
//! text node ends at a tag, a comment, a code span or a kramdown `$$`, and an opener with no
//! closer leaves the rest of its node as text (as KaTeX did), so the pairing after it is the old
//! site's too. On top, a currency and prose guard ([`reads_as_prose`]) keeps pairs like
//! `costs $157 billion … $` and `$5 and $10` as text; a refused pair's closer may open the next
//! pair, so one stray `$` cannot shift every later pair and turn prose into a formula. Measured on
//! both corpus years with `cargo run -p blogtrack-markdown --example math_census --
//! ../shared/corpus/iclr-2023 ../shared/corpus/iclr-2024` (Liquid not run): the old
//! whitespace rules found 2,675 inline formulas and left 48 `$` as text; these rules find 2,697
//! (every earlier formula unchanged, 22 more, `-f` lists them) and leave 4 `$`, all currency
//! (`$1600`, `$12`, `$1` in a table, `$31.212 per hour`).
//!
//! These scanners only report byte ranges; they neither render nor rewrite. Every search for a
//! closing delimiter remembers failures or ends the text node, so a storm of unclosed openers
//! stays linear.

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
    /// A whitespace-only `$$ $$` at this range: an empty formula (kramdown wrote `\(\)`), so
    /// the next `$$` opens rather than closes.
    EmptyMath(usize, usize),
    /// An HTML comment at this range, kept out of Markdown's reach: a comment line inside a
    /// paragraph continues the paragraph in kramdown, while CommonMark would start a block.
    Comment(usize, usize),
    /// A backslash that kramdown keeps (`\\;`, `\\%`...) and CommonMark would drop.
    KeepBackslash(usize),
}

/// Characters kramdown (with GFM input) unescapes after a backslash; any other backslash stays.
pub const KRAMDOWN_ESCAPES: &[u8] = b"\\.*_+`<>()[]{}#!:|\"'$=-~";

/// Kramdown's backslash escapes, where they matter to TeX that kramdown saw as text
/// (single-dollar math, `\\(…\\)`, bare environments): kramdown turned `x\_1` into `x_1` and
/// `\\{` into `\{` before the old site's browser typeset them. Applied where kramdown's reading
/// is what the author meant: `\_` and `\*` lose their backslash, a doubled backslash is one
/// (`\\|` is the norm `\|`, `\\\\` a line break). Kept where kramdown's reading broke the formula
/// on the old site: a lone `\\` before white space or `[` (a line break, which kramdown made a
/// space), and `\{`, `\}`, `\|`, `\!`, `\#`, `\$`... (braces and spacing that kramdown's
/// unescaping dropped or made invalid).
pub fn kramdown_unescape(tex: &str) -> std::borrow::Cow<'_, str> {
    if !tex.contains("\\\\") && !tex.contains("\\_") && !tex.contains("\\*") {
        return tex.into();
    }
    let b = tex.as_bytes();
    let mut out = String::with_capacity(tex.len());
    let mut last = 0;
    let mut k = 0;
    while k < b.len() {
        if b[k] != b'\\' {
            k += 1;
            continue;
        }
        let run = b[k..].iter().take_while(|&&c| c == b'\\').count();
        let next = b.get(k + run).copied();
        out.push_str(&tex[last..k]);
        let pairs = run / 2;
        if run % 2 == 0 {
            let line_break = next.is_none_or(|c| c.is_ascii_whitespace() || c == b'[');
            let keep = if pairs == 1 && line_break { 2 } else { pairs };
            out.extend(std::iter::repeat_n('\\', keep));
            last = k + run;
        } else {
            out.extend(std::iter::repeat_n('\\', pairs));
            if !matches!(next, Some(b'_' | b'*')) {
                out.push('\\');
            }
            last = k + run;
        }
        k += run;
    }
    out.push_str(&tex[last..]);
    out.into()
}

/// How a single `$` at some offset ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Single {
    /// Math up to the `$` at this offset.
    Math(usize),
    /// A pair that reads as prose (currency): the opener is text, the closer at this offset may
    /// open the next pair.
    Prose(usize),
    /// No closer before this offset (a boundary or the end): everything up to it is text.
    Unclosed(usize),
}

/// Pairs the single `$` at `i` as the old site's KaTeX auto-render did: it closes at the next
/// `$` outside braces (`\` escapes the character after it; whitespace does not matter), in the
/// same text node. A text node ends at a tag, a comment, a code span or a `$$` (kramdown's math,
/// rendered before the browser saw the page); `tags` says whether tags can occur in `s`. A
/// found pair still goes through [`reads_as_prose`].
fn single(s: &str, i: usize, tags: bool) -> Single {
    let b = s.as_bytes();
    let mut depth = 0i32;
    let mut k = i + 1;
    while k < b.len() {
        match b[k] {
            b'\\' => k += 1,
            b'{' => depth += 1,
            b'}' => depth -= 1,
            b'$' if b.get(k + 1) == Some(&b'$') => return Single::Unclosed(k),
            b'$' if depth <= 0 => {
                return if reads_as_prose(s, i, k) {
                    Single::Prose(k)
                } else {
                    Single::Math(k)
                };
            }
            b'`' if tags => return Single::Unclosed(k),
            b'<' if tags
                && (s[k..].starts_with("<!--") || crate::scan::parse_tag(s, k).is_some()) =>
            {
                return Single::Unclosed(k)
            }
            _ => {}
        }
        k += 1;
    }
    Single::Unclosed(b.len())
}

/// The currency and prose guard on a `$…$` pair at `i`…`j` (KaTeX rendered these as math; they
/// were prose). A pair whose text starts with a digit (`$157 billion … $`) is prose when the
/// closing `$` is followed by a digit (`$5 and $10`), when its text ends with white space
/// (`$5 and $ 10`, `costs $5 for $x$`), or when it holds two words in a row; any other pair is
/// prose when it holds three words in a row (`$ and then compute $`). A word is two or more
/// ASCII letters outside braces and not a TeX command (`\alpha`, `\text{two words}` are no
/// words); words are in a row when only spaces and `,.;:` separate them.
fn reads_as_prose(s: &str, i: usize, j: usize) -> bool {
    let b = s.as_bytes();
    let inner = &b[i + 1..j];
    let amount = inner.first().is_some_and(u8::is_ascii_digit);
    if amount
        && (b.get(j + 1).is_some_and(u8::is_ascii_digit)
            || inner.last().is_some_and(u8::is_ascii_whitespace))
    {
        return true;
    }
    let limit = if amount { 2 } else { 3 };
    let (mut run, mut depth, mut k) = (0, 0i32, 0);
    while k < inner.len() {
        let c = inner[k];
        if c.is_ascii_alphabetic() {
            let start = k;
            while k < inner.len() && inner[k].is_ascii_alphabetic() {
                k += 1;
            }
            let command = start > 0 && inner[start - 1] == b'\\';
            let glued = start > 0 && matches!(inner[start - 1], b'_' | b'^')
                || inner
                    .get(k)
                    .is_some_and(|c| matches!(c, b'_' | b'^' | b'(' | b'{'));
            if depth > 0 || command || glued || k - start < 2 {
                run = 0;
            } else {
                run += 1;
                if run >= limit {
                    return true;
                }
            }
            continue;
        }
        match c {
            b'{' => depth += 1,
            b'}' => depth -= 1,
            b' ' | b'\n' | b'\t' | b',' | b'.' | b';' | b':' => {}
            _ => run = 0,
        }
        k += 1;
    }
    false
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
                    None if b.get(i + 1).is_some_and(|c| c.is_ascii_punctuation()) => {
                        if b.get(i + 1).is_some_and(|c| !KRAMDOWN_ESCAPES.contains(c)) {
                            out.push(Inline::KeepBackslash(i));
                        }
                        i += 2
                    }
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
            b'<' if s[i..].starts_with("<!--") => match misses.find(s, i + 4, "-->") {
                Some(k) => {
                    out.push(Inline::Comment(i, k + 3));
                    i = k + 3;
                }
                None => i += 4,
            },
            b'<' => i = skip_html(s, i, &mut misses),
            b'{' => match crate::ial::span_ial_len(&s[i..]) {
                Some(n) => {
                    out.push(Inline::SpanIal(i, i + n));
                    i += n;
                }
                None => i += 1,
            },
            b'$' if b.get(i + 1) == Some(&b'$') => match misses.find(s, i + 2, "$$") {
                Some(j) if s[i + 2..j].trim().is_empty() => {
                    out.push(Inline::EmptyMath(i, j + 2));
                    i = j + 2;
                }
                Some(j) => {
                    out.push(Inline::Math(Found {
                        start: i,
                        end: j + 2,
                        tex: (i + 2, j),
                        display: numbered_environment(&s[i + 2..j]),
                    }));
                    i = j + 2;
                }
                None => i += 2,
            },
            b'$' => match single(s, i, true) {
                Single::Math(j) => {
                    out.push(Inline::Math(Found {
                        start: i,
                        end: j + 1,
                        tex: (i + 1, j),
                        display: false,
                    }));
                    i = j + 1;
                }
                Single::Prose(j) => i = j,
                Single::Unclosed(k) => i = k.max(i + 1),
            },
            _ => i += 1,
        }
    }
    out
}

/// Whether kramdown's inline `$$…$$` holds a numbered environment (`\begin{equation}`...):
/// MathJax numbered it (and resolved `\eqref`s to its `\label`) although kramdown wrote it
/// inline, so it is display math here, where equations are numbered.
fn numbered_environment(tex: &str) -> bool {
    let Some(rest) = tex.trim_start().strip_prefix("\\begin{") else {
        return false;
    };
    let name = rest.split('}').next().unwrap_or("");
    matches!(
        name,
        "equation" | "align" | "gather" | "multline" | "eqnarray" | "alignat" | "flalign"
    ) && tex.trim_end().ends_with('}')
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
    /// A whitespace-only `$$ $$`: an empty formula, shown as nothing.
    EmptyMath(usize, usize),
}

/// Scans a run of HTML text (between tags) with MathJax's rules: `$$..$$` and `\[..\]` display,
/// `$..$` (currency-guarded) and `\(..\)` inline, bare `\begin{env}..\end{env}` display.
pub fn scan_html_text(s: &str) -> Vec<HtmlText> {
    let b = s.as_bytes();
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
                Some(j) if s[i + 2..j].trim().is_empty() => {
                    out.push(HtmlText::EmptyMath(i, j + 2));
                    i = j + 2;
                }
                Some(j) => {
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
            b'$' => match single(s, i, false) {
                Single::Math(j) => {
                    out.push(HtmlText::Math(Found {
                        start: i,
                        end: j + 1,
                        tex: (i + 1, j),
                        display: false,
                    }));
                    i = j + 1;
                }
                Single::Prose(j) => i = j,
                Single::Unclosed(k) => i = k.max(i + 1),
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
                Inline::SpanIal(..)
                | Inline::KeepBackslash(_)
                | Inline::Comment(..)
                | Inline::EmptyMath(..) => None,
            })
            .collect()
    }

    #[test]
    fn currency_is_not_math() {
        assert!(md_tex("It costs $5 and $10 today.").is_empty());
        assert!(md_tex("between $5 and $ 10").is_empty());
        assert!(md_tex("| $1600 | $12 | $1 |").is_empty());
        assert_eq!(md_tex("costs $5 for $x$ and $y$"), ["x", "y"]);
        assert_eq!(md_tex("where $x$ and $y_1$ hold"), ["x", "y_1"]);
        assert_eq!(md_tex("price $5, but $a+b$ is math"), ["a+b"]);
    }

    #[test]
    fn single_dollars_pair_as_katex_auto_render_did() {
        assert_eq!(md_tex("so $ x^2 $ holds"), [" x^2 "]);
        assert_eq!(md_tex("with $h^* $ fixed"), ["h^* "]);
        assert_eq!(md_tex("a 101$\\times$11 grid"), ["\\times"]);
        assert_eq!(md_tex("set $\\{1,2\\}\n$ here"), ["\\{1,2\\}\n"]);
        // The closing `$` inside braces does not close (KaTeX counts braces).
        assert_eq!(md_tex("$\\text{a$b}$"), ["\\text{a$b}"]);
        // No pair across a tag, a code span or `$$`.
        assert!(md_tex("$a <b>c</b> d$").is_empty());
        assert_eq!(md_tex("$a `c` $x$"), ["x"]);
    }

    #[test]
    fn a_mispairing_cannot_swallow_prose() {
        // Regression: the second `$` opened and ". D: a 101" became a formula.
        assert_eq!(
            md_tex("$\\{1, 2\\}\n$. D: a 101$ and more"),
            ["\\{1, 2\\}\n"]
        );
        assert!(md_tex("it costs $157 billion in 2020, and $ more").is_empty());
        assert_eq!(md_tex("costs $5 billion. Then $x$ is"), ["x"]);
        assert_eq!(md_tex("we pay in $ and then compute $x$ now"), ["x"]);
        assert_eq!(md_tex("for $2 \\text{two words}$"), ["2 \\text{two words}"]);
        assert_eq!(
            md_tex("$10 \\times 10$ and $1 - p$"),
            ["10 \\times 10", "1 - p"]
        );
    }

    #[test]
    fn kramdown_escapes_in_tex_kramdown_saw_as_text() {
        let u = |s: &str| kramdown_unescape(s).into_owned();
        assert_eq!(u("x\\_1 + \\theta^{\\*}"), "x_1 + \\theta^{*}");
        assert_eq!(
            u("\\\\{1\\\\} \\\\|x\\\\| \\\\alpha"),
            "\\{1\\} \\|x\\| \\alpha"
        );
        assert_eq!(
            u("a \\\\ b \\\\[2pt] c \\\\\\\\\nd"),
            "a \\\\ b \\\\[2pt] c \\\\\nd"
        );
        assert_eq!(u("\\{c\\} \\! \\$ \\\\\\_"), "\\{c\\} \\! \\$ \\_");
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
                HtmlText::EscapedDollar(_) | HtmlText::EmptyMath(..) => None,
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
