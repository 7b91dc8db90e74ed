//! Macro expansion and the MathJax compatibility pass, on tokens.
//!
//! Posts define macros (`\newcommand`, `\renewcommand`, `\def`, `\let`, `\DeclareMathOperator`,
//! `\definecolor`) that apply to the rest of the post, so definitions live in [`Macros`], owned by
//! the post's `MathContext`. The same loop rewrites MathJax-isms that the converter does not know
//! into TeX it does (`\mbox` → `\text`, `\textcolor`, `\require`, `split` → `aligned`, math nested
//! in `\text{…}` …) and drops commands that would let TeX inject HTML (`\href`, `\style`, `\class`,
//! `\cssId`, `\htmlId` …: their content is kept, the URL/CSS is not).
//!
//! It does not number equations (see `number`) and does not know MathML. Expansion is iterative
//! and bounded ([`MAX_EXPANSIONS`], [`MAX_TOKENS`]) so `\def\a{\a\a}` fails instead of hanging.

use std::collections::HashMap;

use crate::tokens::{plain_text, Tok};
use crate::MathError;

/// Most macro expansions in one expression.
pub(crate) const MAX_EXPANSIONS: usize = 20_000;
/// Most tokens an expression may grow to.
pub(crate) const MAX_TOKENS: usize = 200_000;

#[derive(Debug, Clone)]
struct Macro {
    params: u8,
    /// Default value of the first parameter (`\newcommand\x[2][d]{…}`).
    default: Option<Vec<Tok>>,
    body: Vec<Tok>,
}

/// Macros and colours defined so far in a post.
#[derive(Debug, Clone, Default)]
pub(crate) struct Macros {
    defs: HashMap<String, Macro>,
    colors: HashMap<String, String>,
}

/// Commands whose argument is text, not math.
pub(crate) fn is_text_command(name: &str) -> bool {
    matches!(
        name,
        "text"
            | "textrm"
            | "textbf"
            | "textit"
            | "textsf"
            | "texttt"
            | "emph"
            | "textnormal"
            | "textup"
            | "mbox"
            | "hbox"
            | "fbox"
    )
}

/// Commands of MathJax's packages that draw the same character as one the converter knows.
const SAME_SYMBOL: &[(&str, &str)] = &[
    ("dotsb", "cdots"),
    ("dotsm", "cdots"),
    ("dotsi", "cdots"),
    ("dotsc", "ldots"),
    ("dotso", "ldots"),
    ("thicksim", "sim"),
    ("thickapprox", "approx"),
    ("smallsetminus", "setminus"),
    ("varpropto", "propto"),
    ("shortmid", "mid"),
    ("nshortmid", "nmid"),
    ("shortparallel", "parallel"),
    ("nshortparallel", "nparallel"),
    ("smallsmile", "smile"),
    ("smallfrown", "frown"),
    ("intop", "int"),
    ("smallint", "int"),
    ("centerdot", "cdot"),
    ("nobreakspace", " "),
    ("vdotswithin", "vdots"),
    ("shortvdotswithin", "vdots"),
    ("centercolon", ":"),
    ("ordinarycolon", ":"),
    ("MTThinColon", ":"),
    ("refeq", "ref"),
];

/// Font commands and their equivalent that the converter knows (the `\sym…` forms of
/// unicode-math, the upright forms).
const SAME_FONT: &[(&str, &str)] = &[
    ("mathup", "mathrm"),
    ("mathsfup", "mathsf"),
    ("mathbfup", "mathbf"),
    ("symrm", "mathrm"),
    ("symup", "mathrm"),
    ("symit", "mathit"),
    ("symbfup", "mathbf"),
    ("symsf", "mathsf"),
    ("symsfup", "mathsf"),
    ("symtt", "mathtt"),
    ("symcal", "mathcal"),
    ("symscr", "mathscr"),
    ("symfrak", "mathfrak"),
    ("symbb", "mathbb"),
];

/// What a layout-only command keeps of its last argument.
#[derive(Clone, Copy)]
enum Keep {
    /// The argument as math, in a group.
    Math,
    /// The argument as text.
    Text,
}

/// Layout-only commands: (name, arguments dropped, what the next argument becomes, or `None`
/// when the command is dropped whole). An optional `[…]` argument is dropped too.
const LAYOUT_ONLY: &[(&str, usize, Option<Keep>)] = &[
    ("hline", 0, None),
    ("hdashline", 0, None),
    ("hfil", 0, None),
    ("hfill", 0, None),
    ("hfilll", 0, None),
    ("strut", 0, None),
    ("nonscript", 0, None),
    ("MoveEqLeft", 0, None),
    ("SkipLimits", 0, None),
    ("Tiny", 0, None),
    ("xmathstrut", 1, None),
    ("mathnormal", 0, Some(Keep::Math)),
    ("smash", 0, Some(Keep::Math)),
    ("rlap", 0, Some(Keep::Math)),
    ("llap", 0, Some(Keep::Math)),
    ("clap", 0, Some(Keep::Math)),
    ("mathrlap", 0, Some(Keep::Math)),
    ("mathllap", 0, Some(Keep::Math)),
    ("mathclap", 0, Some(Keep::Math)),
    ("crampedrlap", 0, Some(Keep::Math)),
    ("crampedllap", 0, Some(Keep::Math)),
    ("crampedclap", 0, Some(Keep::Math)),
    ("mathmbox", 0, Some(Keep::Math)),
    ("mathmakebox", 0, Some(Keep::Math)),
    ("shoveleft", 0, Some(Keep::Math)),
    ("shoveright", 0, Some(Keep::Math)),
    ("textrlap", 0, Some(Keep::Text)),
    ("textllap", 0, Some(Keep::Text)),
    ("textclap", 0, Some(Keep::Text)),
    ("colorbox", 1, Some(Keep::Text)),
    ("fcolorbox", 2, Some(Keep::Text)),
];

/// `\left`, `\right`, `\middle` and the `\big` family: commands followed by a delimiter.
fn is_delimiter_sizer(name: &str) -> bool {
    matches!(
        name,
        "big"
            | "Big"
            | "bigg"
            | "Bigg"
            | "bigl"
            | "Bigl"
            | "biggl"
            | "Biggl"
            | "bigr"
            | "Bigr"
            | "biggr"
            | "Biggr"
            | "bigm"
            | "Bigm"
            | "biggm"
            | "Biggm"
            | "left"
            | "right"
            | "middle"
    )
}

/// Characters that MathJax shows as written in text (`\text{cross_entropy}`, `\text{50% off}`)
/// and the converter would read as TeX (or reject) there, with the private-use character that
/// stands for each until [`restore_literals`] puts it back into the converted MathML.
const LITERALS: [(char, char, &str); 6] = [
    ('_', '\u{E010}', "_"),
    ('&', '\u{E011}', "&amp;"),
    ('#', '\u{E012}', "#"),
    ('^', '\u{E013}', "^"),
    ('~', '\u{E014}', "~"),
    ('%', '\u{E015}', "%"),
];

/// A text command's argument with its special characters as stand-ins (see [`LITERALS`]); a
/// `#1` left over outside a macro body is text too.
fn literal_text(toks: &[Tok]) -> Vec<Tok> {
    let stand_in = |c: char| LITERALS.iter().find(|l| l.0 == c).map(|l| l.1);
    let mut out = Vec::with_capacity(toks.len());
    for t in toks {
        match t {
            Tok::Char(c) => out.push(Tok::Char(stand_in(*c).unwrap_or(*c))),
            Tok::Param(n) => {
                out.push(Tok::Char(stand_in('#').unwrap_or('#')));
                out.push(Tok::Char(char::from(b'0' + n)));
            }
            t => out.push(t.clone()),
        }
    }
    out
}

/// Puts the characters of [`literal_text`] back, escaped for HTML, into converted MathML.
pub(crate) fn restore_literals(mathml: String) -> String {
    if !mathml.contains(|c| ('\u{E010}'..='\u{E015}').contains(&c)) {
        return mathml;
    }
    let mut out = String::with_capacity(mathml.len() + 16);
    for c in mathml.chars() {
        match LITERALS.iter().find(|l| l.1 == c) {
            Some(l) => out.push_str(l.2),
            None => out.push(c),
        }
    }
    out
}

/// Commands that carry a label key or tag text; their argument is kept as written.
fn is_reference_command(name: &str) -> bool {
    matches!(name, "label" | "eqref" | "ref" | "tag" | "tag*")
}

struct Expander<'m> {
    macros: &'m mut Macros,
    /// Whether the converter knows a colour name (MathJax passes any name on to CSS, so a name
    /// the converter does not know is dropped rather than failing the formula).
    known_color: &'m dyn Fn(&str) -> bool,
    /// Tokens still to read, in reverse order.
    pending: Vec<Tok>,
    out: Vec<Tok>,
    expansions: usize,
}

impl Macros {
    /// Expands the macros in `toks` and applies the compatibility rewrites; definitions found on
    /// the way are recorded for the rest of the post.
    pub(crate) fn expand(
        &mut self,
        toks: Vec<Tok>,
        known_color: &dyn Fn(&str) -> bool,
    ) -> Result<Vec<Tok>, MathError> {
        let mut pending = toks;
        pending.reverse();
        let mut ex = Expander {
            macros: self,
            known_color,
            pending,
            out: Vec::new(),
            expansions: 0,
        };
        ex.run(0)?;
        Ok(ex.out)
    }
}

impl Expander<'_> {
    fn run(&mut self, nesting: usize) -> Result<(), MathError> {
        while let Some(t) = self.pending.pop() {
            if self.out.len() + self.pending.len() > MAX_TOKENS {
                return Err(MathError::new(format!(
                    "the expression grows beyond {MAX_TOKENS} tokens while expanding macros"
                )));
            }
            let Tok::Cs(name) = t else {
                self.out.push(t);
                continue;
            };
            if let Some(m) = self.macros.defs.get(&name).cloned() {
                self.expand_macro(&name, &m)?;
                continue;
            }
            self.builtin(name, nesting)?;
        }
        Ok(())
    }

    fn count(&mut self, name: &str) -> Result<(), MathError> {
        self.expansions += 1;
        if self.expansions > MAX_EXPANSIONS {
            return Err(MathError::new(format!(
                "more than {MAX_EXPANSIONS} macro expansions (is `\\{name}` defined in terms of itself?)"
            )));
        }
        Ok(())
    }

    fn expand_macro(&mut self, name: &str, m: &Macro) -> Result<(), MathError> {
        self.count(name)?;
        let mut args: Vec<Vec<Tok>> = Vec::with_capacity(m.params as usize);
        if let Some(d) = &m.default {
            args.push(self.optional_arg()?.unwrap_or_else(|| d.clone()));
        }
        while args.len() < m.params as usize {
            args.push(self.arg(name)?);
        }
        let mut body = Vec::with_capacity(m.body.len());
        for t in &m.body {
            match t {
                Tok::Param(n) => {
                    if let Some(a) = args.get(*n as usize - 1) {
                        body.extend(a.iter().cloned());
                    }
                }
                t => body.push(t.clone()),
            }
        }
        self.push_front(body);
        Ok(())
    }

    fn push_front(&mut self, toks: Vec<Tok>) {
        self.pending.extend(toks.into_iter().rev());
    }

    fn skip_space(&mut self) {
        while self.pending.last() == Some(&Tok::Space) {
            self.pending.pop();
        }
    }

    /// Reads one undelimited argument (a group without its braces, or one token).
    fn arg(&mut self, cmd: &str) -> Result<Vec<Tok>, MathError> {
        self.skip_space();
        match self.pending.pop() {
            Some(Tok::Begin) => {
                let mut depth = 0usize;
                let mut a = Vec::new();
                while let Some(t) = self.pending.pop() {
                    match t {
                        Tok::Begin => depth += 1,
                        Tok::End if depth == 0 => return Ok(a),
                        Tok::End => depth -= 1,
                        _ => {}
                    }
                    a.push(t);
                }
                Err(MathError::new(format!(
                    "unbalanced braces in the argument of `\\{cmd}`"
                )))
            }
            Some(Tok::End) | None => {
                Err(MathError::new(format!("`\\{cmd}` is missing an argument")))
            }
            Some(t) => Ok(vec![t]),
        }
    }

    /// Reads `[…]` if it comes next.
    fn optional_arg(&mut self) -> Result<Option<Vec<Tok>>, MathError> {
        self.skip_space();
        if self.pending.last() != Some(&Tok::Char('[')) {
            return Ok(None);
        }
        self.pending.pop();
        let mut depth = 0usize;
        let mut a = Vec::new();
        while let Some(t) = self.pending.pop() {
            match t {
                Tok::Begin => depth += 1,
                Tok::End => depth = depth.saturating_sub(1),
                Tok::Char(']') if depth == 0 => return Ok(Some(a)),
                _ => {}
            }
            a.push(t);
        }
        Err(MathError::new("an optional argument `[…` is never closed"))
    }

    fn emit_group(&mut self, cs: &str, arg: Vec<Tok>) {
        self.out.push(Tok::Cs(cs.to_string()));
        self.out.push(Tok::Begin);
        self.out.extend(arg);
        self.out.push(Tok::End);
    }

    fn emit_group_plain(&mut self, arg: Vec<Tok>) {
        self.out.push(Tok::Begin);
        self.out.extend(arg);
        self.out.push(Tok::End);
    }

    fn builtin(&mut self, name: String, nesting: usize) -> Result<(), MathError> {
        if let Some(r) = self.layout_rewrite(&name) {
            return r;
        }
        match name.as_str() {
            "newcommand" | "renewcommand" | "providecommand" => self.newcommand(&name),
            "def" | "gdef" | "edef" | "xdef" => self.def(&name),
            "let" => self.let_(),
            "DeclareMathOperator" => self.declare_operator(),
            "definecolor" => self.define_color(),
            "require" => self.arg(&name).map(drop),
            "mathbbm" => self.rename("mathbb"),
            "pmb" => self.rename("boldsymbol"),
            "widetilde" => self.rename("tilde"),
            "*" => {
                self.out.push(Tok::Char('*'));
                Ok(())
            }
            // MathJax typesets the logos as text; math-core has no command for them.
            "LaTeX" | "TeX" => {
                self.emit_group("text", name.chars().map(Tok::Char).collect());
                Ok(())
            }
            "tiny" | "scriptsize" | "footnotesize" | "small" | "normalsize" | "large" | "Large"
            | "LARGE" | "huge" | "Huge" => Ok(()),
            "limits" if self.after_mathop() => Ok(()),
            "mathop" => {
                let body = self.arg(&name)?;
                let inner = match body.as_slice() {
                    [Tok::Cs(f), Tok::Begin, rest @ .., Tok::End]
                        if matches!(f.as_str(), "mathrm" | "text" | "textrm" | "operatorname") =>
                    {
                        rest
                    }
                    all => all,
                };
                let letters = inner
                    .iter()
                    .any(|t| matches!(t, Tok::Char(c) if c.is_alphabetic()));
                if letters && inner.iter().all(plain_operator_token) {
                    self.emit_group("operatorname*", inner.to_vec());
                } else {
                    self.emit_group("mathop", body);
                }
                Ok(())
            }
            "operatorname" | "operatorname*" => {
                let body = self.arg(&name)?;
                if body.iter().all(plain_operator_token) {
                    self.emit_group(&name, body);
                } else {
                    let mut toks = vec![
                        Tok::Cs("mathop".into()),
                        Tok::Begin,
                        Tok::Cs("mathrm".into()),
                        Tok::Begin,
                    ];
                    toks.extend(body);
                    toks.extend([Tok::End, Tok::End]);
                    self.push_front(toks);
                }
                Ok(())
            }
            "\\" if self.after_delimiter_size()
                && matches!(self.pending.last(), Some(Tok::Begin | Tok::End)) =>
            {
                let brace = if self.pending.pop() == Some(Tok::Begin) {
                    "{"
                } else {
                    "}"
                };
                self.rename(brace)
            }
            "substack" => {
                let body = self.arg(&name)?;
                let mut toks = vec![Tok::Cs("begin".into()), Tok::Begin];
                toks.extend(text_toks("subarray"));
                toks.extend([Tok::End, Tok::Begin, Tok::Char('c'), Tok::End]);
                toks.extend(body);
                toks.extend([Tok::Cs("end".into()), Tok::Begin]);
                toks.extend(text_toks("subarray"));
                toks.push(Tok::End);
                self.push_front(toks);
                Ok(())
            }
            "textcolor" => {
                let color = self.arg(&name)?;
                let body = self.arg(&name)?;
                let mut toks = vec![Tok::Begin, Tok::Cs("color".into()), Tok::Begin];
                toks.extend(color);
                toks.push(Tok::End);
                toks.extend(body);
                toks.push(Tok::End);
                self.push_front(toks);
                Ok(())
            }
            "color" => {
                let model = self.optional_arg()?.map(|m| plain_text(&m));
                let c = plain_text(&self.arg(&name)?);
                let value = match model {
                    Some(m) => color_hex(&m, &c).unwrap_or(c),
                    None => self.macros.colors.get(&c).cloned().unwrap_or(c),
                };
                let value: String = value
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric() || *c == '#')
                    .collect();
                match value.strip_prefix('#') {
                    Some(hex) => {
                        self.out.push(Tok::Cs("color".into()));
                        self.out.extend(text_toks("[HTML]"));
                        self.out.push(Tok::Begin);
                        self.out.extend(text_toks(hex));
                        self.out.push(Tok::End);
                    }
                    None if (self.known_color)(&value) => {
                        self.emit_group("color", text_toks(&value))
                    }
                    None => {}
                }
                Ok(())
            }
            "href" | "style" | "class" | "cssId" | "htmlId" | "htmlClass" | "htmlStyle"
            | "htmlData" => {
                self.arg(&name)?;
                let body = self.arg(&name)?;
                self.push_front(wrap(body));
                Ok(())
            }
            "bbox" => {
                self.optional_arg()?;
                let body = self.arg(&name)?;
                self.push_front(wrap(body));
                Ok(())
            }
            "boxed" => {
                let body = self.arg(&name)?;
                self.push_front(wrap(body));
                Ok(())
            }
            "url" => {
                let a = self.arg(&name)?;
                self.emit_group("texttt", a);
                Ok(())
            }
            "begin" | "end" => self.environment(&name),
            // Plain TeX, which MathJax keeps: `\cr` ends a row, and the macro forms of the
            // matrix environments.
            "cr" => self.rename("\\"),
            "eqalign" | "displaylines" | "matrix" | "pmatrix" | "cases" => {
                let env = match name.as_str() {
                    "eqalign" => "aligned",
                    "displaylines" => "gathered",
                    n => n,
                };
                let body = self.arg(&name)?;
                let mut toks = vec![Tok::Cs("begin".into())];
                toks.extend(wrap(text_toks(env)));
                toks.extend(body);
                toks.push(Tok::Cs("end".into()));
                toks.extend(wrap(text_toks(env)));
                self.push_front(toks);
                Ok(())
            }
            // braket's sets: `\set{…}` in braces, `\Set{…}` in braces that grow.
            "set" | "Set" => {
                let body = self.arg(&name)?;
                let mut toks = Vec::with_capacity(body.len() + 4);
                if name == "Set" {
                    toks.push(Tok::Cs("left".into()));
                }
                toks.push(Tok::Cs("{".into()));
                toks.extend(body);
                if name == "Set" {
                    toks.push(Tok::Cs("right".into()));
                }
                toks.push(Tok::Cs("}".into()));
                self.push_front(toks);
                Ok(())
            }
            "unicode" => {
                let code = plain_text(&self.arg(&name)?);
                let c = match code.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => code.parse().ok(),
                }
                .and_then(char::from_u32)
                .filter(|c| !c.is_control() && !('\u{E000}'..='\u{F8FF}').contains(c))
                .ok_or_else(|| {
                    MathError::new(format!(
                        "`\\unicode{{{code}}}`: not a character code (write it as `x2192` or `8594`)"
                    ))
                })?;
                self.out.push(Tok::Char(c));
                Ok(())
            }
            // `$\( x \)$`: in Markdown, kramdown had turned the escapes into parentheses
            // before the old site's script saw the formula.
            "(" | ")" | "[" | "]" => {
                self.out.extend(text_toks(&name));
                Ok(())
            }
            n if is_delimiter_sizer(n) => {
                self.out.push(Tok::Cs(name));
                self.delimiter();
                Ok(())
            }
            n if is_text_command(n) => self.text(n, nesting),
            n if is_reference_command(n) => {
                let a = self.arg(n)?;
                self.emit_group(n, a);
                Ok(())
            }
            _ => {
                self.out.push(Tok::Cs(name));
                Ok(())
            }
        }
    }

    /// MathJax commands the converter does not know, as what it does: the same symbol under
    /// another name ([`SAME_SYMBOL`]), a font command's equivalent ([`SAME_FONT`]), and
    /// commands that only adjust layout, drawn without the adjustment ([`LAYOUT_ONLY`]: table
    /// rules, fills, struts and overlaps keep their content, not their lines or zero widths).
    fn layout_rewrite(&mut self, name: &str) -> Option<Result<(), MathError>> {
        if let Some((_, to)) = SAME_SYMBOL.iter().find(|(n, _)| *n == name) {
            self.out.push(Tok::Cs((*to).into()));
            return Some(Ok(()));
        }
        if let Some((_, to)) = SAME_FONT.iter().find(|(n, _)| *n == name) {
            self.pending.push(Tok::Cs((*to).into()));
            return Some(Ok(()));
        }
        let (_, skip, keep) = LAYOUT_ONLY.iter().find(|(n, _, _)| *n == name)?;
        Some((|| {
            self.optional_arg()?;
            for _ in 0..*skip {
                self.arg(name)?;
            }
            if let Some(kind) = keep {
                let body = self.arg(name)?;
                match kind {
                    Keep::Math => self.push_front(wrap(body)),
                    Keep::Text => {
                        let mut toks = vec![Tok::Cs("text".into())];
                        toks.extend(wrap(body));
                        self.push_front(toks);
                    }
                }
            }
            Ok(())
        })())
    }

    fn rename(&mut self, to: &str) -> Result<(), MathError> {
        self.out.push(Tok::Cs(to.into()));
        Ok(())
    }

    /// Whether the output ends with `\big`, `\left` … (after which `\\{` is an escaped brace
    /// that Markdown did not unescape).
    fn after_delimiter_size(&self) -> bool {
        matches!(self.out.last(), Some(Tok::Cs(n)) if is_delimiter_sizer(n))
    }

    /// After `\left`, `\big` …: the delimiters MathJax accepts there that the converter does
    /// not know, as ones it does (`<` and `\lt` are `\langle`; the vertical-bar variants are
    /// drawn as `\vert` or `\Vert`).
    fn delimiter(&mut self) {
        self.skip_space();
        let mapped = match self.pending.last() {
            Some(Tok::Char('<')) => "langle",
            Some(Tok::Char('>')) => "rangle",
            Some(Tok::Cs(n)) => match n.as_str() {
                "lt" => "langle",
                "gt" => "rangle",
                "arrowvert" | "bracevert" => "vert",
                "Arrowvert" => "Vert",
                _ => return,
            },
            _ => return,
        };
        self.pending.pop();
        self.out.push(Tok::Cs(mapped.into()));
    }

    /// Whether the output ends with `\mathop{…}` (after which MathJax accepts `\limits`).
    fn after_mathop(&self) -> bool {
        if self.out.last() != Some(&Tok::End) {
            return false;
        }
        let mut depth = 0usize;
        for (i, t) in self.out.iter().enumerate().rev() {
            match t {
                Tok::End => depth += 1,
                Tok::Begin => {
                    depth -= 1;
                    if depth == 0 {
                        return i > 0 && self.out[i - 1].is_cs("mathop");
                    }
                }
                _ => {}
            }
        }
        false
    }

    /// `\text{a $x$ b}`: text pieces stay text, math pieces are expanded as math.
    fn text(&mut self, name: &str, nesting: usize) -> Result<(), MathError> {
        let cs = match name {
            "mbox" | "hbox" | "fbox" | "textnormal" | "textup" => "text",
            n => n,
        };
        let a = self.arg(name)?;
        if !a.contains(&Tok::Char('$')) {
            self.emit_group(cs, literal_text(&a));
            return Ok(());
        }
        if nesting > 20 {
            return Err(MathError::new(
                "math inside text inside math is nested too deeply",
            ));
        }
        self.out.push(Tok::Begin);
        for (i, piece) in a.split(|t| *t == Tok::Char('$')).enumerate() {
            if i % 2 == 0 {
                if !piece.is_empty() {
                    self.emit_group(cs, literal_text(piece));
                }
            } else {
                let saved = std::mem::take(&mut self.pending);
                self.pending = piece.iter().rev().cloned().collect();
                self.out.push(Tok::Begin);
                let r = self.run(nesting + 1);
                self.pending = saved;
                r?;
                self.out.push(Tok::End);
            }
        }
        self.out.push(Tok::End);
        Ok(())
    }

    fn environment(&mut self, cmd: &str) -> Result<(), MathError> {
        let name = plain_text(&self.arg(cmd)?);
        let begin = cmd == "begin";
        let mapped = match name.as_str() {
            "split" => "aligned",
            "multline*" => "gather*",
            "subequations" => return Ok(()),
            "alignedat" => {
                if begin {
                    self.arg(cmd)?;
                }
                "aligned"
            }
            "smallmatrix" | "smallmatrix*" | "psmallmatrix" | "psmallmatrix*" | "bsmallmatrix"
            | "bsmallmatrix*" | "Bsmallmatrix" | "Bsmallmatrix*" | "vsmallmatrix"
            | "vsmallmatrix*" | "Vsmallmatrix" | "Vsmallmatrix*" => {
                let fences = match name.trim_end_matches('*') {
                    "psmallmatrix" => Some((Tok::Char('('), Tok::Char(')'))),
                    "bsmallmatrix" => Some((Tok::Char('['), Tok::Char(']'))),
                    "Bsmallmatrix" => Some((Tok::Cs("{".into()), Tok::Cs("}".into()))),
                    "vsmallmatrix" => Some((Tok::Char('|'), Tok::Char('|'))),
                    "Vsmallmatrix" => Some((Tok::Cs("Vert".into()), Tok::Cs("Vert".into()))),
                    _ => None,
                };
                if begin {
                    if name.ends_with('*') {
                        self.optional_arg()?;
                    }
                    if let Some((open, _)) = &fences {
                        self.out.push(Tok::Cs("left".into()));
                        self.out.push(open.clone());
                    }
                    self.out.push(Tok::Begin);
                    self.out.push(Tok::Cs("scriptstyle".into()));
                    self.emit_group("begin", text_toks("matrix"));
                } else {
                    self.emit_group("end", text_toks("matrix"));
                    self.out.push(Tok::End);
                    if let Some((_, close)) = fences {
                        self.out.push(Tok::Cs("right".into()));
                        self.out.push(close);
                    }
                }
                return Ok(());
            }
            // mathtools' starred matrices take a column alignment, which is dropped.
            "matrix*" | "pmatrix*" | "bmatrix*" | "Bmatrix*" | "vmatrix*" | "Vmatrix*" => {
                if begin {
                    self.optional_arg()?;
                }
                name.trim_end_matches('*')
            }
            "cases*" | "dcases*" | "rcases*" | "drcases*" => name.trim_end_matches('*'),
            "lgathered" | "rgathered" => "gathered",
            "multlined" => {
                if begin {
                    self.optional_arg()?;
                    self.optional_arg()?;
                }
                "gathered"
            }
            n => n,
        };
        self.emit_group(cmd, text_toks(mapped));
        if begin && matches!(mapped, "array" | "subarray") {
            let spec = self.arg(cmd)?;
            self.emit_group_plain(column_spec(&spec));
        }
        Ok(())
    }

    /// Reads the macro name after `\newcommand` / `\def`: `\name` or `{\name}`.
    fn macro_name(&mut self, cmd: &str) -> Result<String, MathError> {
        self.skip_space();
        if self.pending.last() == Some(&Tok::Char('*')) {
            self.pending.pop();
        }
        let a = self.arg(cmd)?;
        match a.as_slice() {
            [Tok::Cs(n)] => Ok(n.clone()),
            _ => Err(MathError::new(format!(
                "`\\{cmd}` must be followed by the name of the macro, like `\\{cmd}{{\\foo}}`"
            ))),
        }
    }

    fn newcommand(&mut self, cmd: &str) -> Result<(), MathError> {
        let name = self.macro_name(cmd)?;
        let params = match self.optional_arg()? {
            None => 0,
            Some(n) => plain_text(&n)
                .parse::<u8>()
                .ok()
                .filter(|n| *n <= 9)
                .ok_or_else(|| {
                    MathError::new(format!(
                        "`\\{cmd}{{\\{name}}}`: the number of arguments must be 0 to 9"
                    ))
                })?,
        };
        let default = if params > 0 {
            self.optional_arg()?
        } else {
            None
        };
        let body = self.arg(cmd)?;
        if cmd == "providecommand" && self.macros.defs.contains_key(&name) {
            return Ok(());
        }
        self.macros.defs.insert(
            name,
            Macro {
                params,
                default,
                body,
            },
        );
        Ok(())
    }

    fn def(&mut self, cmd: &str) -> Result<(), MathError> {
        self.skip_space();
        let name = match self.pending.pop() {
            Some(Tok::Cs(n)) => n,
            _ => {
                return Err(MathError::new(format!(
                    "`\\{cmd}` must be followed by a macro name"
                )))
            }
        };
        let mut params = 0u8;
        loop {
            match self.pending.last() {
                Some(Tok::Param(n)) if *n == params + 1 => {
                    params += 1;
                    self.pending.pop();
                }
                Some(Tok::Begin) => break,
                _ => {
                    return Err(MathError::new(format!(
                        "`\\{cmd}\\{name}`: only plain parameters `#1#2…` are supported"
                    )))
                }
            }
        }
        let body = self.arg(cmd)?;
        self.macros.defs.insert(
            name,
            Macro {
                params,
                default: None,
                body,
            },
        );
        Ok(())
    }

    fn let_(&mut self) -> Result<(), MathError> {
        self.skip_space();
        let Some(Tok::Cs(name)) = self.pending.pop() else {
            return Err(MathError::new("`\\let` must be followed by a macro name"));
        };
        self.skip_space();
        if self.pending.last() == Some(&Tok::Char('=')) {
            self.pending.pop();
            self.skip_space();
        }
        let target = self
            .pending
            .pop()
            .ok_or_else(|| MathError::new(format!("`\\let\\{name}` has no value")))?;
        let m = match &target {
            Tok::Cs(t) => self.macros.defs.get(t).cloned(),
            _ => None,
        };
        let m = m.unwrap_or(Macro {
            params: 0,
            default: None,
            body: vec![target],
        });
        self.macros.defs.insert(name, m);
        Ok(())
    }

    fn declare_operator(&mut self) -> Result<(), MathError> {
        self.skip_space();
        let star = self.pending.last() == Some(&Tok::Char('*'));
        let name = self.macro_name("DeclareMathOperator")?;
        let text = self.arg("DeclareMathOperator")?;
        let op = if star {
            "operatorname*"
        } else {
            "operatorname"
        };
        let mut body = vec![Tok::Cs(op.into()), Tok::Begin];
        body.extend(text);
        body.push(Tok::End);
        self.macros.defs.insert(
            name,
            Macro {
                params: 0,
                default: None,
                body,
            },
        );
        Ok(())
    }

    fn define_color(&mut self) -> Result<(), MathError> {
        let name = plain_text(&self.arg("definecolor")?);
        let model = plain_text(&self.arg("definecolor")?);
        let value = plain_text(&self.arg("definecolor")?);
        if let Some(hex) = color_hex(&model, &value) {
            self.macros.colors.insert(name, hex);
        }
        Ok(())
    }
}

/// An `array` column specification without what the converter does not know: `@{…}`, `!{…}`,
/// `>{…}`, `<{…}` are dropped, `p{…}`/`m{…}`/`b{…}` become `l`.
fn column_spec(spec: &[Tok]) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < spec.len() {
        let skip_group = |at: usize| crate::tokens::group_end(spec, at).unwrap_or(at);
        match &spec[i] {
            Tok::Char('@' | '!' | '>' | '<') => i = skip_group(i + 1),
            Tok::Char('p' | 'm' | 'b') => {
                out.push(Tok::Char('l'));
                i = skip_group(i + 1);
            }
            Tok::Space => i += 1,
            t => {
                out.push(t.clone());
                i += 1;
            }
        }
    }
    out
}

/// Whether a token may stay in `\operatorname{…}` (the converter wants plain text there).
fn plain_operator_token(t: &Tok) -> bool {
    match t {
        Tok::Char(c) => c.is_alphanumeric() || matches!(c, '-' | '*' | '\'' | '.' | '/'),
        Tok::Space => true,
        Tok::Cs(n) => matches!(n.as_str(), "," | ";" | ":" | "!" | " "),
        _ => false,
    }
}

fn wrap(body: Vec<Tok>) -> Vec<Tok> {
    let mut v = Vec::with_capacity(body.len() + 2);
    v.push(Tok::Begin);
    v.extend(body);
    v.push(Tok::End);
    v
}

pub(crate) fn text_toks(s: &str) -> Vec<Tok> {
    s.chars().map(Tok::Char).collect()
}

/// `#rrggbb` for a `\definecolor` value in the RGB, rgb, HTML or gray model.
fn color_hex(model: &str, value: &str) -> Option<String> {
    let nums: Vec<f64> = value
        .split(',')
        .map(|p| p.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .ok()
        .unwrap_or_default();
    let bytes: Vec<u8> = match model {
        "RGB" if nums.len() == 3 => nums.iter().map(|v| v.clamp(0.0, 255.0) as u8).collect(),
        "rgb" if nums.len() == 3 => nums
            .iter()
            .map(|v| (v.clamp(0.0, 1.0) * 255.0).round() as u8)
            .collect(),
        "gray" if nums.len() == 1 => vec![(nums[0].clamp(0.0, 1.0) * 255.0).round() as u8; 3],
        "HTML" if value.len() == 6 && value.chars().all(|c| c.is_ascii_hexdigit()) => {
            return Some(format!("#{}", value.to_ascii_lowercase()))
        }
        _ => return None,
    };
    Some(format!("#{:02x}{:02x}{:02x}", bytes[0], bytes[1], bytes[2]))
}
