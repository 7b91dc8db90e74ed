//! Code highlighting at build time, with class-based HTML and a light and a dark palette.
//!
//! Parsing uses syntect's engine with Oniguruma regexes (five times faster than fancy-regex on
//! the corpus) and the syntax definitions `two-face` ships (bat's set: the Sublime defaults plus
//! Julia, TypeScript, JSX, TOML, Dockerfile...), loaded lazily the first time a block is
//! highlighted. Instead of syntect's theme machinery, each token's scope stack is
//! mapped to one of a few Pygments-like classes (`k` keyword, `s` string, `c` comment...), so the
//! HTML stays small and one stylesheet ([`Highlighter::css`]) can switch palettes with the site's
//! light/dark mode. Every colour meets WCAG AA contrast on the code background.
//!
//! It never fails: an unknown language, a missing one, a parse error inside syntect or an input
//! too large to highlight gives the same wrapper around HTML-escaped plain text.

mod classes;
mod css;
mod memo;

use blogtrack_escape::escape_into;
use std::fmt::Write as _;
use std::sync::OnceLock;

use syntect::parsing::{ParseState, ScopeStack, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

pub use css::{contrast_ratio, parse_hex_color, CODE_BG_DARK, CODE_BG_LIGHT};

/// Inputs larger than this are shown as plain text (highlighting is roughly linear, but a
/// multi-megabyte block is a data dump, not code to read).
pub const MAX_HIGHLIGHT_BYTES: usize = 512 * 1024;
/// Lines longer than this are shown as plain text: regex-based grammars can be slow on them.
pub const MAX_LINE_BYTES: usize = 16 * 1024;

/// The syntax definitions, loaded once per process on first use. Loading them (deserializing
/// the set) and compiling a grammar's regexes (done lazily, once, inside the set) cost tens of
/// milliseconds; `blogtrack serve` makes a new [`Highlighter`] for every rebuild, so keeping the
/// set per highlighter paid that on every edit (profiled: most of an edit's 30-50 ms).
static SYNTAXES: OnceLock<SyntaxSet> = OnceLock::new();

/// Highlights code blocks. Free to create: every highlighter shares the process-wide syntax
/// definitions, which load on first use. Shared between threads (`&Highlighter` is `Sync`).
#[derive(Default)]
pub struct Highlighter {
    _private: (),
}

impl std::fmt::Debug for Highlighter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Highlighter")
            .field("loaded", &SYNTAXES.get().is_some())
            .finish()
    }
}

/// What a fence's language names: a grammar, or plain text.
enum Lang<'s> {
    Plain,
    Syntax(&'s SyntaxReference),
}

impl Highlighter {
    pub fn new() -> Self {
        Highlighter { _private: () }
    }

    fn syntaxes(&self) -> &'static SyntaxSet {
        SYNTAXES.get_or_init(two_face::syntax::extra_newlines)
    }

    /// The grammar name a fence language resolves to (`"jsx"` → `"JavaScript (Babel)"`), or
    /// `None` when it is shown as plain text.
    pub fn syntax_name(&self, lang: &str) -> Option<&str> {
        match self.resolve(Some(lang)) {
            Lang::Syntax(s) => Some(&s.name),
            Lang::Plain => None,
        }
    }

    fn resolve(&self, lang: Option<&str>) -> Lang<'_> {
        let Some(lang) = lang.map(|l| l.trim().to_ascii_lowercase()) else {
            return Lang::Plain;
        };
        let token = match lang.as_str() {
            "" | "text" | "txt" | "plain" | "plaintext" | "none" | "nohighlight" | "output" => {
                return Lang::Plain
            }
            "shell" | "console" | "zsh" | "shell-session" | "shellsession" | "terminal" => "bash",
            "py" | "python3" | "ipython" | "py3" => "python",
            "c++" | "cxx" | "cc" | "hpp" => "cpp",
            "jl" => "julia",
            "yml" => "yaml",
            "md" => "markdown",
            "tex" => "latex",
            "ts" => "typescript",
            "jsonc" | "json5" => "json",
            "jsx" => {
                let ss = self.syntaxes();
                return ss
                    .find_syntax_by_name("JavaScript (Babel)")
                    .or_else(|| ss.find_syntax_by_token("tsx"))
                    .map_or(Lang::Plain, Lang::Syntax);
            }
            other => other,
        };
        let ss = self.syntaxes();
        ss.find_syntax_by_token(token)
            .or_else(|| {
                ss.syntaxes()
                    .iter()
                    .find(|s| s.name.eq_ignore_ascii_case(token))
            })
            .map_or(Lang::Plain, Lang::Syntax)
    }

    /// `<pre class="highlight" data-lang="…"><code>…</code></pre>` with class-based spans.
    /// With `linenos`, each line starts with `<span class="ln" data-ln="N" aria-hidden="true">`,
    /// whose number the stylesheet draws (so copying the code never copies the numbers).
    pub fn highlight(&self, code: &str, lang: Option<&str>, linenos: bool) -> String {
        let key = memo::Key::new(code, lang, linenos);
        if let Some(html) = memo::get(&key, code, lang, linenos) {
            return html;
        }
        let html = self.highlight_uncached(code, lang, linenos);
        memo::put(key, code, lang, linenos, &html);
        html
    }

    fn highlight_uncached(&self, code: &str, lang: Option<&str>, linenos: bool) -> String {
        let code = code.strip_suffix('\n').unwrap_or(code);
        let code = code.strip_suffix('\r').unwrap_or(code);
        let mut out = String::with_capacity(code.len() * 2 + 64);
        out.push_str("<pre class=\"highlight\"");
        if let Some(l) = lang.map(str::trim).filter(|l| !l.is_empty()) {
            out.push_str(" data-lang=\"");
            escape_into(&mut out, &l.to_ascii_lowercase());
            out.push('"');
        }
        out.push_str("><code>");
        let body = match self.resolve(lang) {
            Lang::Syntax(syntax) if code.len() <= MAX_HIGHLIGHT_BYTES => {
                self.highlight_lines(code, syntax, linenos)
            }
            _ => None,
        };
        match body {
            Some(b) => out.push_str(&b),
            None => plain_lines(&mut out, code, linenos),
        }
        out.push_str("</code></pre>");
        out
    }

    fn highlight_lines(
        &self,
        code: &str,
        syntax: &SyntaxReference,
        linenos: bool,
    ) -> Option<String> {
        let ss = self.syntaxes();
        let mut state = ParseState::new(syntax);
        let mut stack = ScopeStack::new();
        let mut out = String::with_capacity(code.len() * 3);
        for (n, line) in LinesWithEndings::from(code).enumerate() {
            if line.len() > MAX_LINE_BYTES {
                return None;
            }
            let ops = state.parse_line(line, ss).ok()?;
            line_start(&mut out, n + 1, linenos);
            let content = line.trim_end_matches(['\n', '\r']);
            let mut open: Option<&'static str> = None;
            let mut pos = 0;
            let emit = |out: &mut String, open: &mut Option<&'static str>, text: &str, class| {
                if text.is_empty() {
                    return;
                }
                if *open != class {
                    if open.is_some() {
                        out.push_str("</span>");
                    }
                    if let Some(c) = class {
                        let _ = write!(out, "<span class=\"{c}\">");
                    }
                    *open = class;
                }
                escape_into(out, text);
            };
            for (at, op) in ops {
                let at = at.min(content.len());
                if at > pos {
                    let text = content.get(pos..at)?;
                    emit(&mut out, &mut open, text, classes::class_of(&stack));
                    pos = at;
                }
                stack.apply(&op).ok()?;
            }
            if pos < content.len() {
                let text = content.get(pos..)?;
                emit(&mut out, &mut open, text, classes::class_of(&stack));
            }
            if open.is_some() {
                out.push_str("</span>");
            }
            line_end(&mut out, linenos, line.ends_with('\n'));
        }
        Some(out)
    }

    /// The stylesheet for the classes [`Highlighter::highlight`] emits: light colours on
    /// `:root`, dark ones under `html[data-theme="dark"]` and, when the reader's system prefers
    /// dark, under `html:not([data-theme="light"])`.
    pub fn css() -> String {
        css::stylesheet()
    }
}

fn line_start(out: &mut String, n: usize, linenos: bool) {
    if linenos {
        let _ = write!(
            out,
            "<span class=\"line\"><span class=\"ln\" data-ln=\"{n}\" aria-hidden=\"true\"></span>"
        );
    }
}

fn line_end(out: &mut String, linenos: bool, newline: bool) {
    if linenos {
        out.push_str("</span>");
    }
    if newline {
        out.push('\n');
    }
}

fn plain_lines(out: &mut String, code: &str, linenos: bool) {
    if !linenos {
        escape_into(out, code);
        return;
    }
    let mut lines = code.split('\n').enumerate().peekable();
    while let Some((n, line)) = lines.next() {
        line_start(out, n + 1, true);
        escape_into(out, line.strip_suffix('\r').unwrap_or(line));
        line_end(out, true, lines.peek().is_some());
    }
}

#[cfg(test)]
mod tests;
