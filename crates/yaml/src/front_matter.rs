//! Splits a Jekyll file into its front matter and its body, as Jekyll does.
//!
//! The file must start with a `---` line (after an optional UTF-8 byte-order mark); the front
//! matter ends at the next line that is exactly `---` or `...` (trailing spaces allowed). CRLF line
//! endings work everywhere. This module only finds the boundaries and reports misplaced or
//! unclosed front matter; the YAML inside is parsed by `load`.

use blogtrack_diag::Diagnostic;

/// The two parts of a file. Lines are 1-based lines of the whole file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrontMatter<'a> {
    /// The YAML between the two `---` lines (may be empty).
    pub yaml: &'a str,
    /// File line of the first YAML line (the line after the opening `---`).
    pub yaml_first_line: u32,
    /// Everything after the closing `---` line.
    pub body: &'a str,
    /// File line where `body` starts.
    pub body_first_line: u32,
}

/// Lines of `text` with their byte offset, content without the line break, and whether a line
/// break follows.
fn lines_with_offsets(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    text.split_inclusive('\n').map(move |raw| {
        let start = offset;
        offset += raw.len();
        let content = raw.strip_suffix('\n').unwrap_or(raw);
        let content = content.strip_suffix('\r').unwrap_or(content);
        (start, content)
    })
}

fn is_marker(line: &str, allow_dots: bool) -> bool {
    let t = line.trim_end_matches([' ', '\t']);
    t == "---" || (allow_dots && t == "...")
}

fn looks_like_yaml_key(line: &str) -> bool {
    let t = line.trim_start();
    match t.find(':') {
        Some(i) if i > 0 => t[..i]
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-'),
        _ => false,
    }
}

/// Finds the front matter of a file.
///
/// Errors: code `front-matter` for an empty file, text before the opening `---`, or a missing
/// closing `---`; code `front-matter-missing` for a file without front matter at all (whether
/// that is an error is the caller's call: posts need it, other files may not).
pub fn split_front_matter(text: &str) -> Result<FrontMatter<'_>, Diagnostic> {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let text = &text[bom..];
    if text.trim().is_empty() {
        return Err(Diagnostic::error("front-matter", "the file is empty")
            .at(1, 1)
            .with_hint(
                "start the file with a `---` line, the settings (`title: ...`), and a closing `---` line",
            ));
    }

    let mut lines = lines_with_offsets(text);
    let opening = lines.next().map(|(_, l)| l).unwrap_or("");
    let opened = is_marker(opening, false) && text.len() > opening.len();
    if !opened {
        return Err(missing_or_misplaced(text));
    }

    for (n, (start, line)) in lines.enumerate() {
        if is_marker(line, true) {
            let line_no = n as u32 + 2;
            let yaml_start = text.find('\n').map_or(text.len(), |i| i + 1);
            let body_start = text[start..]
                .find('\n')
                .map_or(text.len(), |i| start + i + 1);
            return Ok(FrontMatter {
                yaml: &text[yaml_start..start],
                yaml_first_line: 2,
                body: &text[body_start..],
                body_first_line: line_no + 1,
            });
        }
    }
    Err(Diagnostic::error(
        "front-matter",
        "the front matter that starts on line 1 is never closed",
    )
    .at(1, 1)
    .with_hint("add a line with just `---` after the last setting, before the text of the page"))
}

fn missing_or_misplaced(text: &str) -> Diagnostic {
    let all: Vec<(usize, &str)> = lines_with_offsets(text).collect();
    let later = all.iter().enumerate().skip(1).find(|(i, (_, l))| {
        is_marker(l, false)
            && all[i + 1..]
                .iter()
                .map(|(_, l)| *l)
                .find(|l| !l.trim().is_empty())
                .is_some_and(looks_like_yaml_key)
    });
    match later {
        Some((i, _)) => {
            let first_text = all
                .iter()
                .position(|(_, l)| !l.trim().is_empty())
                .unwrap_or(0);
            let what = if first_text == i {
                "blank lines come"
            } else {
                "text comes"
            };
            Diagnostic::error(
                "front-matter",
                format!(
                    "{what} before the front matter: it starts on line {}, but it must be at the very top of the file",
                    i + 1
                ),
            )
            .at(if first_text == i { 1 } else { first_text as u32 + 1 }, 1)
            .with_hint(format!(
                "move the `---` block to line 1, or delete lines 1–{} (nothing, not even a blank line, may come before the first `---`)",
                i
            ))
        }
        None => Diagnostic::error(
            "front-matter-missing",
            "this file has no front matter (it must start with a `---` line)",
        )
        .at(1, 1)
        .with_hint(
            "start the file with a `---` line, the settings (`title: ...`, `date: ...`), and a closing `---` line",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_yaml_and_body_with_file_lines() {
        let fm = split_front_matter("---\ntitle: A\n---\nHello\n").unwrap();
        assert_eq!(fm.yaml, "title: A\n");
        assert_eq!(fm.yaml_first_line, 2);
        assert_eq!(fm.body, "Hello\n");
        assert_eq!(fm.body_first_line, 4);
    }

    #[test]
    fn accepts_bom_crlf_trailing_spaces_and_dots() {
        let fm = split_front_matter("\u{feff}---  \r\ntitle: A\r\n...\r\nBody\r\n").unwrap();
        assert_eq!(fm.yaml, "title: A\r\n");
        assert_eq!(fm.body, "Body\r\n");
        assert_eq!(fm.body_first_line, 4);
    }

    #[test]
    fn empty_front_matter_is_valid() {
        let fm = split_front_matter("---\n---\n").unwrap();
        assert_eq!((fm.yaml, fm.body), ("", ""));
        let fm = split_front_matter("---\n---").unwrap();
        assert_eq!((fm.yaml, fm.body, fm.body_first_line), ("", "", 3));
    }

    #[test]
    fn a_dash_line_inside_yaml_value_is_not_the_end() {
        let fm = split_front_matter("---\na: ---x\n---\nb\n").unwrap();
        assert_eq!(fm.yaml, "a: ---x\n");
    }

    #[test]
    fn text_before_the_front_matter_names_the_lines() {
        let d = split_front_matter("<!-- draft -->\n---\ntitle: A\n---\n").unwrap_err();
        assert_eq!(d.code, "front-matter");
        assert_eq!(d.line, 1);
        assert!(d.message.contains("starts on line 2"), "{}", d.message);
        assert!(d.message.contains("very top"));

        let d = split_front_matter("\n\n---\ntitle: A\n---\n").unwrap_err();
        assert!(
            d.message.starts_with("blank lines come before"),
            "{}",
            d.message
        );
    }

    #[test]
    fn unclosed_front_matter_says_where_it_started() {
        let d = split_front_matter("---\ntitle: A\nBody text\n").unwrap_err();
        assert_eq!((d.code, d.line), ("front-matter", 1));
        assert!(d.message.contains("starts on line 1 is never closed"));
        assert!(d.hint.unwrap().contains("`---`"));
    }

    #[test]
    fn no_front_matter_is_its_own_code() {
        let d = split_front_matter("# Just markdown\n\n---\n\nmore\n").unwrap_err();
        assert_eq!(d.code, "front-matter-missing");
    }

    #[test]
    fn empty_file() {
        let d = split_front_matter("").unwrap_err();
        assert_eq!(d.code, "front-matter");
        assert!(d.message.contains("empty"));
        assert!(split_front_matter("\u{feff}  \n").is_err());
    }

    #[test]
    fn opening_dashes_need_a_line_break() {
        assert_eq!(
            split_front_matter("---").unwrap_err().code,
            "front-matter-missing"
        );
        assert_eq!(
            split_front_matter("----\na: 1\n---\n").unwrap_err().code,
            "front-matter-missing"
        );
    }
}
