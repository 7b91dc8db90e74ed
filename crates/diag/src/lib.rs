//! Diagnostics as data.
//!
//! Every stage of blogtrack reports problems as [`Diagnostic`] values instead of printing or
//! bailing out: a value carries a severity, a stable rule id (`code`), the file, line and column
//! it points at, a message saying what is wrong and an optional hint saying how to fix it. The
//! drivers (`build`, `check`, `serve`) collect them all and render them for humans, as JSON or as
//! CI annotations from the same values.
//!
//! Pure stages (Liquid, Markdown, math, BibTeX) do not know which file they work on: they report
//! lines relative to their input, and the caller attaches the file and shifts the line with
//! [`Diagnostic::in_file`] and [`Diagnostic::shift_lines`].
//!
//! Also here, so that every driver reports the same way: the four renderings of a list of
//! diagnostics ([`render`]), the exit statuses of the binary ([`exit`]) and the registry of rule
//! codes ([`codes`]).

use std::fmt;

pub mod codes;
pub mod exit;
pub mod render;

pub use render::{exit_code, render_report, Format, Summary};

/// True for characters that must never reach the output as they are: control characters,
/// zero-width characters and bidirectional overrides (which could make `gpj.exe` read as
/// `exe.jpg`), the byte-order mark and the replacement character.
pub fn is_hostile_char(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{061C}'
            | '\u{FEFF}'
            | '\u{FFFD}')
}

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The input cannot be used as it is: the item it belongs to is not built.
    Error,
    /// A defect a reader can live with (missing image, unknown citation key...).
    Warning,
    /// Information.
    Note,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem found in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable rule id, kebab-case (`yaml-syntax`, `liquid-unknown-tag`, `cite-unknown-key` ...).
    pub code: &'static str,
    /// Path of the file, relative to the track's root where possible. `None` for whole-run problems.
    pub file: Option<String>,
    /// 1-based line; 0 when unknown.
    pub line: u32,
    /// 1-based column (in characters); 0 when unknown.
    pub col: u32,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn new(severity: Severity, code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            code,
            file: None,
            line: 0,
            col: 0,
            message: message.into(),
            hint: None,
        }
    }

    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, message)
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, message)
    }

    pub fn note(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Note, code, message)
    }

    /// Sets line and column (1-based; 0 = unknown).
    pub fn at(mut self, line: u32, col: u32) -> Self {
        self.line = line;
        self.col = col;
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Attaches the file, unless one is set already.
    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        if self.file.is_none() {
            self.file = Some(file.into());
        }
        self
    }

    /// Moves a known line by `delta` lines (a stage that worked on a slice starting at line
    /// `delta + 1` of the file reports lines relative to the slice).
    pub fn shift_lines(mut self, delta: u32) -> Self {
        if self.line > 0 {
            self.line += delta;
        }
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:col` as far as known.
    pub fn location(&self) -> String {
        let mut s = self.file.clone().unwrap_or_default();
        if self.line > 0 {
            if !s.is_empty() {
                s.push(':');
            }
            s.push_str(&self.line.to_string());
            if self.col > 0 {
                s.push(':');
                s.push_str(&self.col.to_string());
            }
        }
        s
    }

    /// Sort key that orders diagnostics by file, then position, then severity. Within a file,
    /// the diagnostics without a line come last: they are summaries of the file ("this post was
    /// not built because of the errors above") and must follow the located errors they sum up.
    /// Whole-run diagnostics (no file) come first.
    pub fn sort_key(&self) -> (Option<&str>, bool, u32, u32, Severity, &str) {
        (
            self.file.as_deref(),
            self.line == 0,
            self.line,
            self.col,
            self.severity,
            self.message.as_str(),
        )
    }
}

impl fmt::Display for Diagnostic {
    /// `file:line:col: severity[code]: message` and, on the next line, `  hint: ...`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let loc = self.location();
        if !loc.is_empty() {
            write!(f, "{loc}: ")?;
        }
        write!(f, "{}[{}]: {}", self.severity, self.code, self.message)?;
        if let Some(h) = &self.hint {
            write!(f, "\n  hint: {h}")?;
        }
        Ok(())
    }
}

/// Maps byte offsets of a text to 1-based line and column numbers.
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset at which each line starts.
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> u32 {
        let idx = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        idx as u32 + 1
    }

    /// 1-based line and column (column counted in characters) of a byte offset.
    pub fn line_col(&self, text: &str, offset: usize) -> (u32, u32) {
        let line = self.line(offset);
        let start = self.starts[(line - 1) as usize];
        let end = offset.min(text.len());
        let col = text.get(start..end).map(|s| s.chars().count()).unwrap_or(0);
        (line, col as u32 + 1)
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }
}

/// Collected diagnostics of a run.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(ds);
    }

    pub fn errors(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.0
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }

    /// Sorts by file and position, for deterministic output.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_maps_offsets() {
        let t = "ab\ncdé\n\nx";
        let ix = LineIndex::new(t);
        assert_eq!(ix.line_col(t, 0), (1, 1));
        assert_eq!(ix.line_col(t, 3), (2, 1));
        assert_eq!(ix.line_col(t, 7), (2, 4));
        assert_eq!(ix.line(8), 3);
        assert_eq!(ix.line_col(t, 9), (4, 1));
    }

    #[test]
    fn display_has_location_code_and_hint() {
        let d = Diagnostic::warning("cite-unknown-key", "no entry `foo` in the bibliography")
            .at(12, 4)
            .in_file("_posts/x.md")
            .with_hint("add it to assets/bibliography/x.bib");
        assert_eq!(
            d.to_string(),
            "_posts/x.md:12:4: warning[cite-unknown-key]: no entry `foo` in the bibliography\n  hint: add it to assets/bibliography/x.bib"
        );
    }

    #[test]
    fn a_files_lineless_summary_sorts_after_its_located_diagnostics() {
        let mut ds = Diagnostics(vec![
            Diagnostic::error(
                "post-failed",
                "this post was not built because of the errors above",
            )
            .in_file("_posts/b.md"),
            Diagnostic::error("liquid-unknown-tag", "unknown tag")
                .at(9, 1)
                .in_file("_posts/b.md"),
            Diagnostic::warning("yaml-key", "unknown key")
                .at(2, 1)
                .in_file("_posts/b.md"),
            Diagnostic::error(
                "post-failed",
                "this post was not built because of the errors above",
            )
            .in_file("_posts/a.md"),
            Diagnostic::error("config", "no _config.yml"),
        ]);
        ds.sort();
        let order: Vec<(Option<&str>, u32)> =
            ds.0.iter().map(|d| (d.file.as_deref(), d.line)).collect();
        assert_eq!(
            order,
            [
                (None, 0),
                (Some("_posts/a.md"), 0),
                (Some("_posts/b.md"), 2),
                (Some("_posts/b.md"), 9),
                (Some("_posts/b.md"), 0),
            ]
        );
    }

    #[test]
    fn shift_keeps_unknown_lines_unknown() {
        let d = Diagnostic::error("x", "m").shift_lines(5);
        assert_eq!(d.line, 0);
        assert_eq!(Diagnostic::error("x", "m").at(2, 1).shift_lines(5).line, 7);
    }
}
