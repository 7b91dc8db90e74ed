//! TeX field values → Unicode text, with math kept apart.
//!
//! BibTeX values are TeX: accents (`{\"u}`, `\'e`, `\c{c}`, `{\ss}`), escapes (`\&`, `\%`),
//! ligatures (`--`, ``` `` ```), case-protecting braces (`{BERT}`) and `$math$`. This module turns
//! a value into [`Segment`]s: Unicode text (braces stripped, accents composed, unknown commands
//! dropped but their arguments kept) and math (TeX source between `$…$`, `$$…$$` or `\(…\)`,
//! untouched, for a math renderer). It is not a TeX engine: no macros, no fonts; `\url{..}` keeps
//! its argument verbatim. A scan with a brace counter, no recursion.

use unicode_normalization::UnicodeNormalization;

/// A piece of a converted value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// Plain Unicode text.
    Text(String),
    /// TeX math source, without its `$` delimiters.
    Math(String),
}

/// Converts a TeX value into text and math segments (adjacent text is merged, whitespace
/// collapsed, ends trimmed).
pub fn segments(tex: &str) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::new();
    let mut text = String::new();
    let chars: Vec<char> = tex.chars().collect();
    let close = matching_braces(&chars);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '{' | '}' => i += 1,
            '$' => match math_end(&chars, i) {
                Some((start, end, next)) => {
                    if !text.is_empty() {
                        out.push(Segment::Text(std::mem::take(&mut text)));
                    }
                    out.push(Segment::Math(chars[start..end].iter().collect()));
                    i = next;
                }
                None => {
                    text.push('$');
                    i += 1;
                }
            },
            '\\' if chars.get(i + 1) == Some(&'(') => match paren_math_end(&chars, i) {
                Some((start, end, next)) => {
                    if !text.is_empty() {
                        out.push(Segment::Text(std::mem::take(&mut text)));
                    }
                    out.push(Segment::Math(chars[start..end].iter().collect()));
                    i = next;
                }
                None => i = command(&chars, &close, i, &mut text),
            },
            '\\' => i = command(&chars, &close, i, &mut text),
            '~' => {
                text.push('\u{a0}');
                i += 1;
            }
            '-' if chars.get(i + 1) == Some(&'-') => {
                if chars.get(i + 2) == Some(&'-') {
                    text.push('—');
                    i += 3;
                } else {
                    text.push('–');
                    i += 2;
                }
            }
            '`' if chars.get(i + 1) == Some(&'`') => {
                text.push('“');
                i += 2;
            }
            '\'' if chars.get(i + 1) == Some(&'\'') => {
                text.push('”');
                i += 2;
            }
            '`' => {
                text.push('‘');
                i += 1;
            }
            c if c.is_whitespace() => {
                if !text.ends_with(' ') {
                    text.push(' ');
                }
                i += 1;
            }
            c => {
                text.push(c);
                i += 1;
            }
        }
    }
    if !text.is_empty() {
        out.push(Segment::Text(text));
    }
    tidy(out)
}

/// Plain text of a value: math that is only symbols is turned into Unicode (`$\lambda$` → λ),
/// other math is kept as `$…$` source.
pub fn to_text(tex: &str) -> String {
    let plain = !tex.bytes().any(|b| {
        matches!(
            b,
            b'\\' | b'{' | b'}' | b'$' | b'~' | b'-' | b'`' | b'\'' | b'\n' | b'\r' | b'\t'
        )
    });
    if plain && !tex.contains("  ") {
        return tex.trim().to_string();
    }
    let mut s = String::new();
    for seg in segments(tex) {
        match seg {
            Segment::Text(t) => s.push_str(&t),
            Segment::Math(m) => match simple_math(&m) {
                Some(u) => s.push_str(&u),
                None => {
                    s.push('$');
                    s.push_str(&m);
                    s.push('$');
                }
            },
        }
    }
    s
}

/// Collapses whitespace across segment borders and trims both ends.
fn tidy(mut segs: Vec<Segment>) -> Vec<Segment> {
    if let Some(Segment::Text(t)) = segs.first_mut() {
        *t = t.trim_start().to_string();
    }
    if let Some(Segment::Text(t)) = segs.last_mut() {
        *t = t.trim_end().to_string();
    }
    segs.retain(|s| !matches!(s, Segment::Text(t) if t.is_empty()));
    segs
}

/// Finds the end of `$…$` or `$$…$$` starting at `i`: (content start, content end, next index).
fn math_end(chars: &[char], i: usize) -> Option<(usize, usize, usize)> {
    let double = chars.get(i + 1) == Some(&'$');
    let start = if double { i + 2 } else { i + 1 };
    let mut j = start;
    while j < chars.len() {
        match chars[j] {
            '\\' => j += 2,
            '$' if !double => return (j > start).then_some((start, j, j + 1)),
            '$' if chars.get(j + 1) == Some(&'$') => return Some((start, j, j + 2)),
            _ => j += 1,
        }
    }
    None
}

/// Finds the end of `\(…\)` starting at `i` (the `\`): (content start, content end, next
/// index); `None` when it is never closed or empty.
fn paren_math_end(chars: &[char], i: usize) -> Option<(usize, usize, usize)> {
    let start = i + 2;
    let mut j = start;
    while j + 1 < chars.len() {
        if chars[j] == '\\' {
            if chars[j + 1] == ')' {
                return (chars[start..j].iter().any(|c| !c.is_whitespace())).then_some((
                    start,
                    j,
                    j + 2,
                ));
            }
            j += 2;
        } else {
            j += 1;
        }
    }
    None
}

/// Handles the command at `chars[i] == '\\'`, appends its text, returns the next index.
fn command(chars: &[char], close: &[usize], i: usize, out: &mut String) -> usize {
    let Some(&next) = chars.get(i + 1) else {
        return i + 1;
    };
    if !next.is_ascii_alphabetic() {
        let j = i + 2;
        return match next {
            '"' | '\'' | '`' | '^' | '~' | '=' | '.' => accent(chars, close, j, next, out),
            '\\' => {
                out.push(' ');
                j
            }
            '-' | '/' => j,
            ',' | ';' | ':' | '!' => {
                out.push(' ');
                j
            }
            c if c.is_whitespace() => {
                out.push(' ');
                j
            }
            c => {
                out.push(c);
                j
            }
        };
    }
    let mut j = i + 1;
    while j < chars.len() && chars[j].is_ascii_alphabetic() {
        j += 1;
    }
    let name: String = chars[i + 1..j].iter().collect();
    let mut k = j;
    while k < chars.len() && chars[k].is_whitespace() {
        k += 1;
    }
    match name.as_str() {
        "c" | "v" | "u" | "H" | "k" | "r" | "d" | "b" | "t" => {
            let mark = name.chars().next().unwrap_or('c');
            accent(chars, close, k, mark, out)
        }
        "url" | "path" => match group(chars, close, k) {
            Some((content, end)) => {
                out.extend(content.iter());
                end
            }
            None => k,
        },
        "href" => match group(chars, close, k) {
            Some((_, end)) => end,
            None => k,
        },
        _ => {
            match symbol(&name) {
                Some(s) => out.push_str(s),
                None => {
                    if let Some(u) = greek(&name) {
                        out.push(u);
                    }
                }
            }
            if chars.get(k) == Some(&'{') && chars.get(k + 1) == Some(&'}') {
                k + 2
            } else {
                k
            }
        }
    }
}

/// For each `{`, the index of its matching `}` (`usize::MAX` when unmatched or not a `{`);
/// computed once so that looking up a command's argument is O(1) even on unbalanced input.
fn matching_braces(chars: &[char]) -> Vec<usize> {
    let mut close = vec![usize::MAX; chars.len()];
    let mut open = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '{' => open.push(i),
            '}' => {
                if let Some(o) = open.pop() {
                    close[o] = i;
                }
            }
            _ => {}
        }
    }
    close
}

/// The `{...}` group at `i`: its inner chars and the index after it.
fn group<'c>(chars: &'c [char], close: &[usize], i: usize) -> Option<(&'c [char], usize)> {
    if chars.get(i) != Some(&'{') {
        return None;
    }
    let end = *close.get(i)?;
    (end != usize::MAX).then(|| (&chars[i + 1..end], end + 1))
}

/// Applies accent `mark` to the argument at `i` (`{x}`, `{\i}`, `x`, ` x`); returns next index.
fn accent(chars: &[char], close: &[usize], mut i: usize, mark: char, out: &mut String) -> usize {
    let combining = match mark {
        '"' => '\u{308}',
        '\'' => '\u{301}',
        '`' => '\u{300}',
        '^' => '\u{302}',
        '~' => '\u{303}',
        '=' => '\u{304}',
        '.' => '\u{307}',
        'u' => '\u{306}',
        'v' => '\u{30c}',
        'H' => '\u{30b}',
        'c' => '\u{327}',
        'k' => '\u{328}',
        'r' => '\u{30a}',
        'd' => '\u{323}',
        'b' => '\u{331}',
        _ => '\u{361}',
    };
    while i < chars.len() && chars[i] == ' ' {
        i += 1;
    }
    let (arg, next): (Vec<char>, usize) = match group(chars, close, i) {
        Some((inner, end)) => (inner.to_vec(), end),
        None if chars.get(i) == Some(&'\\') => {
            let mut j = i + 1;
            while j < chars.len() && chars[j].is_ascii_alphabetic() {
                j += 1;
            }
            (chars[i..j].to_vec(), j)
        }
        None => match chars.get(i) {
            Some(&c) => (vec![c], i + 1),
            None => (Vec::new(), i),
        },
    };
    let arg: String = arg
        .into_iter()
        .filter(|c| !matches!(c, '{' | '}'))
        .collect();
    let base = match arg.trim() {
        "\\i" => "i".to_string(),
        "\\j" => "j".to_string(),
        other => other.to_string(),
    };
    let mut it = base.chars();
    match it.next() {
        Some(first) => {
            let composed: String = [first, combining]
                .iter()
                .collect::<String>()
                .nfc()
                .collect();
            out.push_str(&composed);
            out.extend(it);
        }
        None => out.push(match mark {
            '"' => '¨',
            '\'' => '´',
            '`' => '`',
            '^' => '^',
            '~' => '~',
            _ => ' ',
        }),
    }
    next
}

fn symbol(name: &str) -> Option<&'static str> {
    Some(match name {
        "ss" => "ß",
        "o" => "ø",
        "O" => "Ø",
        "ae" => "æ",
        "AE" => "Æ",
        "oe" => "œ",
        "OE" => "Œ",
        "aa" => "å",
        "AA" => "Å",
        "l" => "ł",
        "L" => "Ł",
        "i" => "ı",
        "j" => "ȷ",
        "dh" => "ð",
        "DH" => "Ð",
        "th" => "þ",
        "TH" => "Þ",
        "textbar" => "|",
        "textbackslash" => "\\",
        "textasciicircum" => "^",
        "textasciitilde" => "~",
        "textunderscore" => "_",
        "textendash" => "–",
        "textemdash" => "—",
        "textquoteleft" => "‘",
        "textquoteright" => "’",
        "textquotedblleft" => "“",
        "textquotedblright" => "”",
        "ldots" | "dots" | "textellipsis" => "…",
        "LaTeX" => "LaTeX",
        "TeX" => "TeX",
        "BibTeX" => "BibTeX",
        "copyright" | "textcopyright" => "©",
        "textregistered" => "®",
        "texttrademark" => "™",
        "S" => "§",
        "P" => "¶",
        "dag" => "†",
        "ddag" => "‡",
        "pounds" => "£",
        "euro" => "€",
        "textdegree" => "°",
        "guillemotleft" => "«",
        "guillemotright" => "»",
        "quad" | "qquad" | "space" | "nobreakspace" => " ",
        _ => return None,
    })
}

fn greek(name: &str) -> Option<char> {
    Some(match name {
        "alpha" => 'α',
        "beta" => 'β',
        "gamma" => 'γ',
        "delta" => 'δ',
        "epsilon" => 'ϵ',
        "varepsilon" => 'ε',
        "zeta" => 'ζ',
        "eta" => 'η',
        "theta" => 'θ',
        "vartheta" => 'ϑ',
        "iota" => 'ι',
        "kappa" => 'κ',
        "lambda" => 'λ',
        "mu" => 'μ',
        "nu" => 'ν',
        "xi" => 'ξ',
        "pi" => 'π',
        "rho" => 'ρ',
        "sigma" => 'σ',
        "tau" => 'τ',
        "upsilon" => 'υ',
        "phi" => 'ϕ',
        "varphi" => 'φ',
        "chi" => 'χ',
        "psi" => 'ψ',
        "omega" => 'ω',
        "Gamma" => 'Γ',
        "Delta" => 'Δ',
        "Theta" => 'Θ',
        "Lambda" => 'Λ',
        "Xi" => 'Ξ',
        "Pi" => 'Π',
        "Sigma" => 'Σ',
        "Upsilon" => 'Υ',
        "Phi" => 'Φ',
        "Psi" => 'Ψ',
        "Omega" => 'Ω',
        "ell" => 'ℓ',
        "infty" => '∞',
        "times" => '×',
        "cdot" => '·',
        "pm" => '±',
        "leq" | "le" => '≤',
        "geq" | "ge" => '≥',
        "neq" | "ne" => '≠',
        "approx" => '≈',
        "to" | "rightarrow" => '→',
        "in" => '∈',
        "nabla" => '∇',
        "partial" => '∂',
        "sum" => '∑',
        _ => return None,
    })
}

/// Math made only of letters, digits, simple punctuation and symbol commands, as Unicode text;
/// `None` when it needs real typesetting (scripts, fractions, ...).
pub fn simple_math(tex: &str) -> Option<String> {
    let chars: Vec<char> = tex.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '{' | '}' => i += 1,
            '\\' => {
                let next = *chars.get(i + 1)?;
                if matches!(next, '{' | '}' | '%' | '&' | '#' | '$' | '_') {
                    out.push(next);
                    i += 2;
                    continue;
                }
                if matches!(next, ',' | ';' | ' ' | '!') {
                    i += 2;
                    continue;
                }
                let mut j = i + 1;
                while j < chars.len() && chars[j].is_ascii_alphabetic() {
                    j += 1;
                }
                let name: String = chars[i + 1..j].iter().collect();
                out.push(greek(&name)?);
                i = j;
            }
            c if c.is_alphanumeric() || c.is_whitespace() || "()[]+-=,.;:/|<>!?*'".contains(c) => {
                out.push(if c == '-' { '−' } else { c });
                i += 1;
            }
            _ => return None,
        }
    }
    let t = out.trim();
    (!t.is_empty()).then(|| t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_in_all_spellings_become_unicode() {
        assert_eq!(to_text(r#"M{\"u}ller"#), "Müller");
        assert_eq!(to_text(r#"M\"{u}ller"#), "Müller");
        assert_eq!(to_text(r"Caf\'e"), "Café");
        assert_eq!(to_text(r"Fran\c{c}ois Fran\c cois"), "François François");
        assert_eq!(to_text(r"Stra{\ss}e"), "Straße");
        assert_eq!(
            to_text(r"Erd\H{o}s, Dvo\v{r}\'ak, {\o}, \'{\i}"),
            "Erdős, Dvořák, ø, í"
        );
        assert_eq!(
            to_text(r"\`a \^o \~n \=a \.z \r{a} \k{e} \u{g}"),
            "à ô ñ ā ż å ę ğ"
        );
    }

    #[test]
    fn braces_are_stripped_and_escapes_resolved() {
        assert_eq!(to_text("{BERT}: {{Pre-training}}"), "BERT: Pre-training");
        assert_eq!(
            to_text(r"A \& B, 50\%, \#1 {\textbar} x"),
            "A & B, 50%, #1 | x"
        );
        assert_eq!(
            to_text("pages 1--10 --- ``quoted''"),
            "pages 1–10 — “quoted”"
        );
        assert_eq!(to_text("  many\n   spaces  "), "many spaces");
        assert_eq!(to_text(r"\emph{Deep} \textbf{learning}"), "Deep learning");
        assert_eq!(to_text(r"see \url{https://a.b/c_d}"), "see https://a.b/c_d");
    }

    #[test]
    fn math_is_kept_apart() {
        assert_eq!(
            segments(r"Fast {$\epsilon$}-Free $x^2$ models"),
            vec![
                Segment::Text("Fast ".into()),
                Segment::Math(r"\epsilon".into()),
                Segment::Text("-Free ".into()),
                Segment::Math("x^2".into()),
                Segment::Text(" models".into()),
            ]
        );
        assert_eq!(to_text(r"Peng's Q($\lambda$)"), "Peng's Q(λ)");
        assert_eq!(
            to_text(r"of $\{$Semi-Supervised$\}$"),
            "of {Semi-Supervised}"
        );
        assert_eq!(to_text(r"rate $O(n^{-1/2})$"), "rate $O(n^{-1/2})$");
        assert_eq!(to_text(r"costs \$5 and 5\$"), "costs $5 and 5$");
        assert_eq!(to_text("a lone $ sign"), "a lone $ sign");
    }

    #[test]
    fn parenthesised_math_is_math_too() {
        assert_eq!(
            segments(r"Bounds in \(\ell_2\) and {$\ell_\infty$}"),
            vec![
                Segment::Text("Bounds in ".into()),
                Segment::Math(r"\ell_2".into()),
                Segment::Text(" and ".into()),
                Segment::Math(r"\ell_\infty".into()),
            ]
        );
        // Never closed, or empty: text, as before.
        assert_eq!(to_text(r"a \( b"), "a ( b");
        assert_eq!(to_text(r"a \(\) b"), "a () b");
        assert_eq!(to_text(r"Q\(\lambda\)"), "Qλ");
    }

    #[test]
    fn broken_tex_does_not_panic_or_take_quadratic_time() {
        let _ = to_text(&"\\\"{\\url{".repeat(50_000));
        for s in [
            "\\", "\\\"", "{\\\"", "$", "$$", "\\c", "\\url{", "}}}{{{", "\\'{}", "$\\",
        ] {
            let _ = to_text(s);
        }
    }
}
