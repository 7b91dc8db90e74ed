//! Rendering one list of diagnostics four ways: for a terminal (like rustc: the source line
//! with a caret, optional colour), as JSON for tools, as GitHub workflow commands (annotations on
//! the pull request's files), and as Markdown for the bot's PR comment.
//!
//! All text in a diagnostic may come from the submitter (file names, titles, quoted values), so
//! every renderer escapes for its own medium: control characters never reach a terminal, a
//! message cannot start a second workflow command, and a comment cannot break its table,
//! inject HTML or ping people. The renderers do not sort or filter: the caller decides the order
//! (`Diagnostics::sort`) and the strictness.

use crate::{is_hostile_char, Diagnostic, Severity};

/// Output format of `blogtrack check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human { color: bool },
    Json,
    Github,
    Markdown,
}

/// What the report says about the run as a whole.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// The submission's slug, when known.
    pub slug: Option<String>,
    /// Number of files checked.
    pub files: usize,
    /// Warnings fail the check too.
    pub strict: bool,
}

/// Most problems listed in a PR comment (GitHub limits comment size); the rest are counted.
const MAX_MARKDOWN_ROWS: usize = 200;

/// Exit status of `check`: 0 clean, 1 when an error (or, with `strict`, a warning) was found.
/// Status 2 (usage or internal error) is the binary's to give.
pub fn exit_code(diags: &[Diagnostic], strict: bool) -> i32 {
    let fails = |d: &&Diagnostic| d.is_error() || (strict && d.severity == Severity::Warning);
    i32::from(diags.iter().any(|d| fails(&d)))
}

struct Counts {
    errors: usize,
    warnings: usize,
    notes: usize,
}

fn counts(diags: &[Diagnostic]) -> Counts {
    let n = |s| diags.iter().filter(|d| d.severity == s).count();
    Counts {
        errors: n(Severity::Error),
        warnings: n(Severity::Warning),
        notes: n(Severity::Note),
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Renders the diagnostics. `sources` returns the text of a file (by the diagnostic's `file`)
/// for the human format's source line; it may return `None`.
pub fn render_report(
    diags: &[Diagnostic],
    sources: &dyn Fn(&str) -> Option<String>,
    format: Format,
    summary: &Summary,
) -> String {
    match format {
        Format::Human { color } => human(diags, sources, color, summary),
        Format::Json => json(diags, summary),
        Format::Github => github(diags),
        Format::Markdown => markdown(diags, summary),
    }
}

/// Text safe for a terminal: hostile characters become `\u{…}`, tabs become spaces.
fn term(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\t' => out.push_str("    "),
            c if is_hostile_char(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// The lines of a message or hint, each made safe for a terminal (`\r\n` and `\n` both end a
/// line; a lone `\r`, which would overwrite the line, stays escaped).
fn lines(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split('\n')
        .map(|l| term(l.strip_suffix('\r').unwrap_or(l)))
}

fn paint(color: bool, code: &str, text: &str) -> String {
    if color {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

fn severity_color(s: Severity) -> &'static str {
    match s {
        Severity::Error => "1;31",
        Severity::Warning => "1;33",
        Severity::Note => "1;36",
    }
}

/// The part of a source line to show and where the caret goes in it (in columns).
fn excerpt(line: &str, col: u32) -> (String, usize) {
    const WIDTH: usize = 120;
    let chars: Vec<char> = line.chars().collect();
    let col = (col.max(1) as usize - 1).min(chars.len());
    let start = col.saturating_sub(WIDTH / 2).min(chars.len());
    let start = if chars.len() <= WIDTH { 0 } else { start };
    let end = (start + WIDTH).min(chars.len());
    let mut shown = String::new();
    let mut caret = 0;
    if start > 0 {
        shown.push('…');
        caret += 1;
    }
    for (i, c) in chars[start..end].iter().enumerate() {
        let piece = term(&c.to_string());
        if start + i < col {
            caret += piece.chars().count();
        }
        shown.push_str(&piece);
    }
    if end < chars.len() {
        shown.push('…');
    }
    (shown, caret)
}

fn human(
    diags: &[Diagnostic],
    sources: &dyn Fn(&str) -> Option<String>,
    color: bool,
    summary: &Summary,
) -> String {
    let mut out = String::new();
    let gutter = |t: &str| paint(color, "1;34", t);
    for d in diags {
        let sev = paint(
            color,
            severity_color(d.severity),
            &format!("{}[{}]", d.severity, d.code),
        );
        // A message or hint of several lines keeps its line breaks; the lines after the first
        // are indented, so no line of diagnostic text can pass for a diagnostic of its own.
        let mut message = lines(&d.message);
        out.push_str(&format!(
            "{sev}{} {}\n",
            paint(color, "1", ":"),
            paint(color, "1", &message.next().unwrap_or_default())
        ));
        for more in message {
            out.push_str(&format!("  {}\n", paint(color, "1", &more)));
        }
        let loc = term(&d.location());
        let source_line = match (&d.file, d.line) {
            (Some(f), l) if l > 0 => {
                sources(f).and_then(|t| t.lines().nth(l as usize - 1).map(str::to_string))
            }
            _ => None,
        };
        let width = if d.line > 0 {
            d.line.to_string().len()
        } else {
            1
        };
        let pad = " ".repeat(width);
        if !loc.is_empty() {
            out.push_str(&format!("{pad}{} {loc}\n", gutter("-->")));
        }
        if let Some(line) = source_line {
            let (shown, caret) = excerpt(&line, d.col);
            out.push_str(&format!("{pad} {}\n", gutter("|")));
            out.push_str(&format!("{} {shown}\n", gutter(&format!("{} |", d.line))));
            let mark = if d.col > 0 {
                format!(
                    "{}{}",
                    " ".repeat(caret),
                    paint(color, severity_color(d.severity), "^")
                )
            } else {
                String::new()
            };
            out.push_str(&format!("{pad} {} {mark}\n", gutter("|")).replace(" \n", "\n"));
        }
        if let Some(h) = &d.hint {
            let mut hint = lines(h);
            out.push_str(&format!(
                "{pad} {} help: {}\n",
                gutter("="),
                hint.next().unwrap_or_default()
            ));
            for more in hint {
                out.push_str(&format!("{pad}         {more}\n"));
            }
        }
        out.push('\n');
    }
    let c = counts(diags);
    let failed = exit_code(diags, summary.strict) != 0;
    let line = if diags.is_empty() {
        paint(color, "1;32", "ok: no problems found")
    } else {
        let mut parts = vec![plural(c.errors, "error"), plural(c.warnings, "warning")];
        if c.notes > 0 {
            parts.push(plural(c.notes, "note"));
        }
        let head = if failed {
            paint(color, "1;31", "failed")
        } else {
            paint(color, "1;32", "passed")
        };
        format!("{head}: {}", parts.join(", "))
    };
    let what = summary
        .slug
        .as_deref()
        .map(|s| format!(" ({})", term(s)))
        .unwrap_or_default();
    out.push_str(&format!("{line}{what}\n"));
    out
}

/// The diagnostic's file, `None` when it has none or an empty name (never `"file": ""` in
/// JSON nor `file=` in a workflow command).
fn file_of(d: &Diagnostic) -> Option<&str> {
    d.file.as_deref().filter(|f| !f.is_empty())
}

/// A JSON string (RFC 8259) by `serde_json`, with U+2028 and U+2029 escaped too: they are
/// valid in JSON but end a line in JavaScript, and the report may be pasted into a script.
fn json_string(text: &str) -> String {
    serde_json::to_string(text)
        .unwrap_or_else(|_| String::from("\"\""))
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

fn json_opt(text: Option<&str>) -> String {
    text.map_or_else(|| "null".to_string(), json_string)
}

fn json(diags: &[Diagnostic], summary: &Summary) -> String {
    let c = counts(diags);
    let mut out = String::from("{\n  \"version\": 1,\n  \"summary\": {");
    out.push_str(&format!(
        "\"slug\": {}, \"files\": {}, \"errors\": {}, \"warnings\": {}, \"notes\": {}, \"strict\": {}, \"passed\": {}",
        json_opt(summary.slug.as_deref()),
        summary.files,
        c.errors,
        c.warnings,
        c.notes,
        summary.strict,
        exit_code(diags, summary.strict) == 0
    ));
    out.push_str("},\n  \"diagnostics\": [");
    for (i, d) in diags.iter().enumerate() {
        out.push_str(if i == 0 { "\n    " } else { ",\n    " });
        out.push_str(&format!(
            "{{\"severity\": {}, \"code\": {}, \"file\": {}, \"line\": {}, \"col\": {}, \"message\": {}, \"hint\": {}}}",
            json_string(d.severity.as_str()),
            json_string(d.code),
            json_opt(file_of(d)),
            d.line,
            d.col,
            json_string(&d.message),
            json_opt(d.hint.as_deref())
        ));
    }
    out.push_str(if diags.is_empty() {
        "]\n}\n"
    } else {
        "\n  ]\n}\n"
    });
    out
}

/// Escaping of a workflow command's message.
fn gh_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escaping of a workflow command's property value.
fn gh_property(text: &str) -> String {
    gh_data(text).replace(':', "%3A").replace(',', "%2C")
}

fn github(diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diags {
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        let mut props = Vec::new();
        if let Some(f) = file_of(d) {
            props.push(format!("file={}", gh_property(f)));
            if d.line > 0 {
                props.push(format!("line={}", d.line));
                if d.col > 0 {
                    props.push(format!("col={}", d.col));
                }
            }
        }
        props.push(format!(
            "title={}",
            gh_property(&format!("{} [{}]", d.severity, d.code))
        ));
        let mut message = d.message.clone();
        if let Some(h) = &d.hint {
            message.push_str("\nhelp: ");
            message.push_str(h);
        }
        out.push_str(&format!(
            "::{level} {}::{}\n",
            props.join(","),
            gh_data(&message)
        ));
    }
    out
}

/// Text safe inside a Markdown table cell: no HTML, no formatting, no @mentions, no line
/// breaks, no control characters.
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '@' => out.push_str("@\u{200B}"),
            '\n' | '\r' | '\t' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '!' | '#' | '(' | ')' | '{' | '}'
            | '$' => {
                out.push('\\');
                out.push(c);
            }
            c if is_hostile_char(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Text of several lines in one table cell: each line escaped, joined by `<br>` (a cell cannot
/// hold a line break).
fn md_lines(text: &str) -> String {
    text.split('\n')
        .map(|l| md(l.strip_suffix('\r').unwrap_or(l)))
        .collect::<Vec<_>>()
        .join("<br>")
}

fn markdown(diags: &[Diagnostic], summary: &Summary) -> String {
    let c = counts(diags);
    let failed = exit_code(diags, summary.strict) != 0;
    let mut out = String::new();
    let post = summary
        .slug
        .as_deref()
        .map(|s| format!(" for {}", md(s)))
        .unwrap_or_default();
    if diags.is_empty() {
        out.push_str(&format!(
            "### ✅ Submission check passed{post}\n\nNo problems found. Thank you!\n"
        ));
        return out;
    }
    let head = if failed {
        "❌ Submission check found problems"
    } else {
        "⚠️ Submission check passed with warnings"
    };
    out.push_str(&format!(
        "### {head}{post}\n\n{}, {}. ",
        plural(c.errors, "error"),
        plural(c.warnings, "warning")
    ));
    out.push_str(if failed {
        "Please fix the errors below and push again; the check runs on every push.\n\n"
    } else {
        "Warnings do not block the submission, but please have a look.\n\n"
    });
    out.push_str("| | Where | Problem | How to fix |\n|---|---|---|---|\n");
    for d in diags.iter().take(MAX_MARKDOWN_ROWS) {
        let icon = match d.severity {
            Severity::Error => "❌ error",
            Severity::Warning => "⚠️ warning",
            Severity::Note => "ℹ️ note",
        };
        let loc = d.location();
        let loc = if loc.is_empty() {
            "—".to_string()
        } else {
            md(&loc)
        };
        out.push_str(&format!(
            "| {icon} | {loc} | {} <sub>{}</sub> | {} |\n",
            md_lines(&d.message),
            md(d.code),
            d.hint.as_deref().map(md_lines).unwrap_or_default()
        ));
    }
    if diags.len() > MAX_MARKDOWN_ROWS {
        out.push_str(&format!(
            "\n…and {} more; run `blogtrack check` locally to see them all.\n",
            diags.len() - MAX_MARKDOWN_ROWS
        ));
    }
    out
}

#[cfg(test)]
mod tests;
