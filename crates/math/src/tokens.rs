//! TeX tokens: splits an expression into control sequences, characters, braces and parameters,
//! and writes tokens back as TeX text.
//!
//! It knows nothing about what commands mean; it exists so that the compatibility pass and the
//! macro expander work on a balanced token list instead of on raw text, where `\foo` versus
//! `\foobar` and `{` versus `\{` would be easy to get wrong. Brace balance and nesting depth are
//! checked here, once, so later stages never recurse on unchecked input.

use crate::expand::is_text_command;
use crate::MathError;

/// One TeX token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Tok {
    /// `\name` (a control word) or `\x` (a control symbol), without the backslash.
    Cs(String),
    Char(char),
    Begin,
    End,
    /// `#1` … `#9` inside a macro body.
    Param(u8),
    /// One or more white-space characters.
    Space,
}

impl Tok {
    pub(crate) fn is_cs(&self, name: &str) -> bool {
        matches!(self, Tok::Cs(n) if n == name)
    }
}

/// Deepest brace nesting accepted; deeper input is refused rather than risking the stack of
/// the converter.
pub(crate) const MAX_DEPTH: usize = 100;

/// What a `{` opened, for the comment rule of [`tokenize`].
#[derive(Clone, Copy, PartialEq, Eq)]
enum Group {
    /// A group of its own (`{a}`, `x^{2}`): MathJax parses it in line with the expression.
    Plain,
    /// A command's argument (`\frac{…}`): MathJax reads it by counting braces first, so a
    /// comment inside it ends at the argument's closing brace at the latest.
    Argument,
    /// The argument of a text command (`\text{…}`), or a group inside one: MathJax shows its
    /// characters as they are, `%` included.
    Text,
}

/// Splits TeX into tokens. `%` starts a comment up to the end of the line, as in MathJax, except
/// inside the argument of a text command (`\text{50% off}`: shown as written) and, inside a
/// command's argument, not beyond the brace that closes it (`\mathrm{12%}` is `12`).
pub(crate) fn tokenize(tex: &str) -> Result<Vec<Tok>, MathError> {
    let mut t = Tokenizer {
        chars: tex.chars().peekable(),
        out: Vec::with_capacity(tex.len() / 2 + 1),
        depth: 0,
        groups: Vec::new(),
    };
    while let Some(c) = t.chars.next() {
        match c {
            '\\' => t.control_sequence()?,
            '{' => t.open_group()?,
            '}' => t.close_group()?,
            '#' => t.parameter(),
            '%' if t.groups.last() == Some(&Group::Text) => t.out.push(Tok::Char('%')),
            '%' => t.skip_comment(),
            c if c.is_whitespace() => t.space(),
            c => t.out.push(Tok::Char(c)),
        }
    }
    if t.depth > 0 {
        return Err(MathError::new("unbalanced braces: a `{` is never closed"));
    }
    Ok(t.out)
}

/// The state of [`tokenize`]: the characters left, the tokens so far, and the open groups.
struct Tokenizer<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    out: Vec<Tok>,
    depth: usize,
    groups: Vec<Group>,
}

impl Tokenizer<'_> {
    /// After a `\`: a control word (letters, then the spaces after it skipped; `\tag*` and
    /// `\operatorname*` keep their star), a control space, or a control symbol.
    fn control_sequence(&mut self) -> Result<(), MathError> {
        match self.chars.next() {
            Some(n) if n.is_ascii_alphabetic() => {
                let mut name = String::from(n);
                while let Some(&m) = self.chars.peek() {
                    if m.is_ascii_alphabetic() {
                        name.push(m);
                        self.chars.next();
                    } else {
                        break;
                    }
                }
                while self.chars.peek().is_some_and(|m| *m == ' ' || *m == '\t') {
                    self.chars.next();
                }
                if matches!(name.as_str(), "tag" | "operatorname")
                    && self.chars.peek() == Some(&'*')
                {
                    self.chars.next();
                    name.push('*');
                }
                self.out.push(Tok::Cs(name));
            }
            Some(n) if n.is_whitespace() => self.out.push(Tok::Cs(" ".into())),
            Some(n) => self.out.push(Tok::Cs(n.to_string())),
            None => return Err(MathError::new("the expression ends with a lone backslash")),
        }
        Ok(())
    }

    /// A `{`: opens a group, of text when inside text or after a text command, an argument
    /// after another command or group, else plain. Refused past [`MAX_DEPTH`].
    fn open_group(&mut self) -> Result<(), MathError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(MathError::new(format!(
                "braces nested deeper than {MAX_DEPTH} levels"
            )));
        }
        let kind = match (self.groups.last(), self.out.last()) {
            (Some(Group::Text), _) => Group::Text,
            (_, Some(Tok::Cs(n))) if is_text_command(n) => Group::Text,
            (_, Some(Tok::Cs(_) | Tok::End)) => Group::Argument,
            _ => Group::Plain,
        };
        self.groups.push(kind);
        self.out.push(Tok::Begin);
        Ok(())
    }

    /// A `}`: closes the innermost group; an error when none is open.
    fn close_group(&mut self) -> Result<(), MathError> {
        if self.depth == 0 {
            return Err(MathError::new(
                "unbalanced braces: `}` without a matching `{`",
            ));
        }
        self.depth -= 1;
        self.groups.pop();
        self.out.push(Tok::End);
        Ok(())
    }

    /// A `#`: a parameter `#1` … `#9`, or the character itself.
    fn parameter(&mut self) {
        match self.chars.peek().and_then(|d| d.to_digit(10)) {
            Some(d @ 1..=9) => {
                self.chars.next();
                self.out.push(Tok::Param(d as u8));
            }
            _ => self.out.push(Tok::Char('#')),
        }
    }

    /// A `%` outside text: skips the comment to the end of the line, or, inside a command's
    /// argument, to just before the brace that closes it.
    fn skip_comment(&mut self) {
        let in_argument = self.groups.last() == Some(&Group::Argument);
        let mut inner = 0usize;
        while let Some(&m) = self.chars.peek() {
            match m {
                '\n' => {
                    self.chars.next();
                    break;
                }
                '\\' => {
                    self.chars.next();
                }
                '{' => inner += 1,
                '}' if inner == 0 && in_argument => break,
                '}' => inner = inner.saturating_sub(1),
                _ => {}
            }
            self.chars.next();
        }
    }

    /// White space: one [`Tok::Space`] for the whole run, and none right after another.
    fn space(&mut self) {
        while self.chars.peek().is_some_and(|m| m.is_whitespace()) {
            self.chars.next();
        }
        if self.out.last() != Some(&Tok::Space) {
            self.out.push(Tok::Space);
        }
    }
}

/// Writes tokens back as TeX.
pub(crate) fn untokenize(toks: &[Tok]) -> String {
    let mut s = String::with_capacity(toks.len() * 2);
    let mut after_word = false;
    for t in toks {
        match t {
            Tok::Cs(name) => {
                s.push('\\');
                s.push_str(name);
                after_word = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
                continue;
            }
            // A `%` kept as a character (see `tokenize`) must not become a comment.
            Tok::Char('%') => s.push_str("\\%"),
            Tok::Char(c) => {
                if after_word && (c.is_ascii_alphabetic() || *c == '*') {
                    s.push(' ');
                }
                s.push(*c);
            }
            Tok::Begin => s.push('{'),
            Tok::End => s.push('}'),
            Tok::Param(n) => {
                s.push('#');
                s.push(char::from(b'0' + n));
            }
            Tok::Space => s.push(' '),
        }
        after_word = false;
    }
    s
}

/// How deeply the converter would recurse on these tokens, estimated: open braces,
/// environments and `\left`s, plus the length of the current run of commands (`\sqrt\sqrt…`
/// nests without braces).
pub(crate) fn nesting(toks: &[Tok]) -> usize {
    let (mut depth, mut run, mut max) = (0usize, 0usize, 0usize);
    for t in toks {
        match t {
            Tok::Begin => depth += 1,
            Tok::End => depth = depth.saturating_sub(1),
            Tok::Cs(n) if n == "begin" || n == "left" => depth += 1,
            Tok::Cs(n) if n == "end" || n == "right" => depth = depth.saturating_sub(1),
            _ => {}
        }
        run = if matches!(t, Tok::Cs(_)) { run + 1 } else { 0 };
        max = max.max(depth + run);
    }
    max
}

/// Removes `&` and `\\` that stand inside a group (`{...}`, `\left...\right`) or as the operand
/// of `^`/`_` in an environment's cell, e.g. `\begin{align} a &= \frac{x \\ y}{z} \end{align}`: the converter
/// has no meaning for them there (its debug build panics on them; its release build drops them).
/// Dropping them here makes every build give the same output. Returns how many were removed.
pub(crate) fn drop_nested_separators(toks: &mut Vec<Tok>) -> usize {
    let (mut depth, mut envs) = (0usize, Vec::new());
    let before = toks.len();
    // The last token that was not a space: a separator right after `^` or `_` would be a
    // script's operand, nested like a group.
    let mut prev_script = false;
    toks.retain(|t| {
        let after_script = prev_script;
        prev_script = match t {
            Tok::Space => prev_script,
            Tok::Char(c) => *c == '^' || *c == '_',
            _ => false,
        };
        let keep_separator = |depth: usize, envs: &Vec<usize>| {
            envs.last().is_none_or(|&d| d >= depth && !after_script)
        };
        match t {
            Tok::Begin => depth += 1,
            Tok::End => depth = depth.saturating_sub(1),
            Tok::Cs(n) => match n.as_str() {
                "left" => depth += 1,
                "right" => depth = depth.saturating_sub(1),
                "begin" => envs.push(depth),
                "end" => {
                    envs.pop();
                }
                "\\" => return keep_separator(depth, &envs),
                _ => {}
            },
            Tok::Char('&') => return keep_separator(depth, &envs),
            _ => {}
        }
        true
    });
    before - toks.len()
}

/// Index just past the group that starts at `start` (which must be `Tok::Begin`), or `None`.
pub(crate) fn group_end(toks: &[Tok], start: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, t) in toks.iter().enumerate().skip(start) {
        match t {
            Tok::Begin => depth += 1,
            Tok::End => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ if depth == 0 => return None,
            _ => {}
        }
    }
    None
}

/// The plain text of a token list (used for names in `{…}`: environments, labels, colours).
pub(crate) fn plain_text(toks: &[Tok]) -> String {
    untokenize(toks).trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_control_words_and_symbols() {
        let t = tokenize(r"\alpha x\,\{y\}").unwrap();
        assert_eq!(t[0], Tok::Cs("alpha".into()));
        assert_eq!(untokenize(&t), r"\alpha x\,\{y\}");
    }

    #[test]
    fn comments_are_dropped_and_space_collapsed() {
        let t = tokenize("a  % note\n b").unwrap();
        assert_eq!(untokenize(&t), "a b");
    }

    #[test]
    fn refuses_unbalanced_and_too_deep_braces() {
        assert!(tokenize("{a")
            .unwrap_err()
            .to_string()
            .contains("unbalanced"));
        assert!(tokenize("a}")
            .unwrap_err()
            .to_string()
            .contains("unbalanced"));
        let deep = "{".repeat(10_000) + &"}".repeat(10_000);
        assert!(tokenize(&deep).unwrap_err().to_string().contains("nested"));
    }

    #[test]
    fn percent_is_text_in_text_and_a_comment_elsewhere() {
        let t = tokenize(r"\text{50% {off}} x").unwrap();
        assert!(t.contains(&Tok::Char('%')));
        assert_eq!(untokenize(&t), r"\text{50\% {off}} x");
        // In an argument the comment stops at the closing brace, at the top level at the line end.
        assert_eq!(
            untokenize(&tokenize(r"\mathrm{12% c} + 1").unwrap()),
            r"\mathrm{12} + 1"
        );
        assert_eq!(untokenize(&tokenize("{a % }\n}").unwrap()), "{a }");
        assert_eq!(
            untokenize(&tokenize("\\frac{a % \\}\n}{b}").unwrap()),
            r"\frac{a }{b}"
        );
    }

    #[test]
    fn group_end_finds_the_matching_brace() {
        let t = tokenize("{a{b}}c").unwrap();
        assert_eq!(group_end(&t, 0), Some(6));
    }
}
