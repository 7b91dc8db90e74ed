//! The theme's CSS and JS as sent to readers: the sources without their comments and
//! indentation.
//!
//! The sources in `assets/` are written to be read (comments say why a rule exists); readers'
//! browsers only need the rules. Dropping comments and leading whitespace takes about a fifth off
//! the two files every post page loads, which counts against the 150 KB page budget.
//!
//! What it does not do: rename, reorder or join anything, or touch whitespace inside a line —
//! in CSS a space can be a descendant combinator (`.prose :is(…)`), and in JS line breaks
//! end statements, so every line break stays. JS comments are dropped only when they start a
//! line (`//` or `/*` first on the line), where they cannot be inside a string or a regex.

/// CSS without comments (outside strings), blank lines and indentation.
pub fn css(src: &str) -> String {
    let mut no_comments = String::with_capacity(src.len());
    let mut chars = src.char_indices().peekable();
    let mut quote: Option<char> = None;
    while let Some((i, c)) = chars.next() {
        match quote {
            Some(q) => {
                no_comments.push(c);
                if c == '\\' {
                    if let Some((_, n)) = chars.next() {
                        no_comments.push(n);
                    }
                } else if c == q {
                    quote = None;
                }
            }
            None if c == '/' && src[i..].starts_with("/*") => {
                let end = src[i + 2..].find("*/").map_or(src.len(), |e| i + 2 + e + 2);
                while chars.peek().is_some_and(|(j, _)| *j < end) {
                    chars.next();
                }
            }
            None => {
                if c == '"' || c == '\'' {
                    quote = Some(c);
                }
                no_comments.push(c);
            }
        }
    }
    lines(&no_comments, Some)
}

/// JS without line-leading comments, blank lines and indentation.
pub fn js(src: &str) -> String {
    let mut in_block = false;
    lines(src, |line| {
        if in_block {
            return line.find("*/").map(|e| {
                in_block = false;
                line[e + 2..].trim_start()
            });
        }
        if line.starts_with("//") {
            return None;
        }
        if let Some(body) = line.strip_prefix("/*") {
            return match body.find("*/") {
                Some(e) => Some(body[e + 2..].trim_start()),
                None => {
                    in_block = true;
                    None
                }
            };
        }
        Some(line)
    })
}

/// The lines of `src` without indentation and blank lines, each passed through `keep` (which
/// returns the part of the line to keep, or `None`).
fn lines<'a>(src: &'a str, mut keep: impl FnMut(&'a str) -> Option<&'a str>) -> String {
    let mut out = String::with_capacity(src.len());
    for line in src.lines() {
        let Some(kept) = keep(line.trim()) else {
            continue;
        };
        if kept.is_empty() {
            continue;
        }
        out.push_str(kept);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_loses_comments_and_indentation_but_not_strings_or_combinators() {
        let src = "/* why */\n.a :is(b, c) {\n  content: \"/* kept */\";\n  color: red; /* tail */\n}\n\n";
        assert_eq!(
            css(src),
            ".a :is(b, c) {\ncontent: \"/* kept */\";\ncolor: red;\n}\n"
        );
    }

    #[test]
    fn js_loses_line_leading_comments_only() {
        let src = "/* a\n   b */\n(function () {\n  // note\n  var r = /a*/g; /* c */\n  /* one line */\n  x();\n})();\n";
        assert_eq!(
            js(src),
            "(function () {\nvar r = /a*/g; /* c */\nx();\n})();\n"
        );
    }

    #[test]
    fn a_comment_that_ends_mid_line_keeps_the_code_after_it() {
        assert_eq!(js("/* a\n b */ x();\ny();"), "x();\ny();\n");
        assert_eq!(js("/* a */ x();"), "x();\n");
    }
}
