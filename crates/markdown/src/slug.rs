//! Heading ids as kramdown-parser-gfm makes them (`auto_ids` with GFM input).
//!
//! The id comes from the heading's *source* text (after Liquid), not its rendered text: inline
//! code keeps its content, a link keeps its text and its URL (`[a](http://b.c)` gives `ahttpbc`),
//! math keeps its TeX. Lowercase, drop every character that is not a word character (Unicode
//! letter, mark, digit, `_`), `-` or space/tab, turn spaces and tabs into `-`; a repeated id gets
//! `-1`, `-2`... counted per base id. kramdown would emit an empty id for a heading with no word
//! characters; we use `section` instead since an empty id cannot be linked to.

use std::collections::HashMap;

fn is_mark(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05BD | 0x0610..=0x061A | 0x064B..=0x065F
        | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE00..=0xFE0F | 0xFE20..=0xFE2F
        | 0xE0100..=0xE01EF)
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric()
        || c == '_'
        || is_mark(c)
        || matches!(
            c,
            '\u{203F}' | '\u{2040}' | '\u{2054}' | '\u{FE33}' | '\u{FE34}' | '\u{FE4D}'
                ..='\u{FE4F}' | '\u{FF3F}'
        )
}

/// The base id of a heading source text, before de-duplication.
pub fn base_id(raw: &str) -> String {
    raw.to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' | '\t' => Some('-'),
            '-' => Some('-'),
            c if is_word(c) => Some(c),
            _ => None,
        })
        .collect()
}

/// Hands out kramdown ids, counting duplicates like kramdown does.
#[derive(Debug, Default)]
pub struct IdGen {
    counts: HashMap<String, u32>,
}

impl IdGen {
    pub fn next(&mut self, raw: &str) -> String {
        let mut id = base_id(raw);
        if id.is_empty() {
            id.push_str("section");
        }
        let n = self.counts.entry(id.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            id.push_str(&format!("-{}", *n - 1));
        }
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gfm_ids_of_tricky_headings() {
        let mut g = IdGen::default();
        assert_eq!(
            g.next("Let\\'s brush up on the basics..."),
            "lets-brush-up-on-the-basics"
        );
        assert_eq!(g.next("Q & A"), "q--a");
        assert_eq!(g.next("The `foo_bar` function"), "the-foo_bar-function");
        assert_eq!(g.next("🚀 Results"), "-results");
        assert_eq!(g.next("Über Straße"), "über-straße");
        assert_eq!(g.next("[Link](http://x.com) here"), "linkhttpxcom-here");
        assert_eq!(g.next("Why $\\beta$-VAE?"), "why-beta-vae");
        assert_eq!(
            g.next("<span style=\"font-family:monospace\">AdamW</span> is scale-free"),
            "span-stylefont-familymonospaceadamwspan-is-scale-free"
        );
        assert_eq!(g.next("???"), "section");
    }

    #[test]
    fn duplicates_count_per_base() {
        let mut g = IdGen::default();
        let ids: Vec<_> = ["Intro", "Intro", "intro", "Intro 1"]
            .iter()
            .map(|t| g.next(t))
            .collect();
        assert_eq!(ids, ["intro", "intro-1", "intro-2", "intro-1"]);
    }
}
