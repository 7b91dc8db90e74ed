//! Escaping of hostile text (file names, titles) before it goes into a message.
//!
//! File names and PR titles come from the submitter. Control characters could rewrite a
//! terminal, bidirectional overrides could make `gpj.exe` read as `exe.jpg`, and a name of
//! thousands of characters would flood the output. [`display_path`] makes such text inert and
//! short; it does not do format-specific escaping (Markdown, workflow commands), which the
//! renderers of `blogtrack_diag::render` add on top.

/// Longest text, in characters, that messages quote before cutting it with `…`.
const MAX_SHOWN: usize = 200;

pub(crate) use blogtrack_diag::is_hostile_char;

/// Text safe to quote in a message: hostile characters become `\u{…}` escapes and long text
/// is shortened.
pub fn display_path(text: &str) -> String {
    let mut out = String::new();
    for (count, c) in text.chars().enumerate() {
        if count >= MAX_SHOWN {
            out.push('…');
            break;
        }
        if is_hostile_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_and_bidi_characters_are_escaped() {
        assert_eq!(display_path("a\nb"), "a\\u{a}b");
        assert_eq!(display_path("x\u{202E}gnp.exe"), "x\\u{202e}gnp.exe");
        assert_eq!(display_path("_posts/ok.md"), "_posts/ok.md");
    }

    #[test]
    fn long_names_are_cut() {
        let long = "a".repeat(5000);
        let shown = display_path(&long);
        assert_eq!(shown.chars().count(), MAX_SHOWN + 1);
        assert!(shown.ends_with('…'));
    }
}
