//! Makes the converter's MathML lighter without changing how Chromium draws it.
//!
//! `math-core` writes every alignment cell's layout as an inline `style` (about 60 bytes per
//! `mtd` of an `align`), zero paddings on `mpadded`, and lengths with eight decimals. On a
//! formula-heavy post that is tens of kilobytes of the page. This pass rewrites, tag by tag:
//!
//! - the `mtd` styles `math-core` uses into short classes whose rules are in `math.css`
//!   (the same declarations, so the cell lays out the same);
//! - `mpadded style="padding-left:0;padding-right:0;"` into a bare `mpadded` (0 is the initial
//!   padding, so the declaration changes nothing);
//! - lengths in attribute values without their leading zero (`0.22222222em` → `.22222222em`).
//!   Rounding them to four decimals was tried and measured: Chromium's 1/64 px layout unit then
//!   rounds some formulas' widths differently (a few 1/64 px), so the digits stay.
//!
//! What it does not do: drop `stretchy="false"` on fences or operator spacing that may equal the
//! operator dictionary's defaults. Whether a fence would stretch depends on the height of its
//! siblings as laid out in the reader's math font, which the build cannot know, so those
//! attributes stay exactly as the converter wrote them. Text content is never touched.

/// The `mtd` styles `math-core` writes, and the class that carries the same declarations in
/// `math.css`.
const MTD_CLASSES: &[(&str, &str)] = &[
    (
        "text-align: right;justify-items: end;padding-right: 0;",
        "ar",
    ),
    (
        "text-align: left;justify-items: start;padding-left: 0;",
        "al",
    ),
    ("width: 50%", "aw"),
    ("width: 50%;text-align: right;justify-items: end;", "awr"),
    ("padding-top: 0;padding-bottom: 0;", "ag"),
    (
        "text-align: left;justify-items: start;padding-right: 0;",
        "alr",
    ),
    (
        "text-align: left;justify-items: start;padding-right: 0;padding-left:1em;",
        "ali",
    ),
];

/// Rewrites one converted `<math>` element (see the module documentation).
pub(crate) fn slim(mathml: &str) -> String {
    let mut out = String::with_capacity(mathml.len());
    let mut rest = mathml;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let Some(gt) = rest[lt..].find('>') else {
            out.push_str(&rest[lt..]);
            return out;
        };
        let tag = &rest[lt..lt + gt + 1];
        rewrite_tag(tag, &mut out);
        rest = &rest[lt + gt + 1..];
    }
    out.push_str(rest);
    out
}

fn rewrite_tag(tag: &str, out: &mut String) {
    if tag.starts_with("</") || !tag.contains('=') {
        out.push_str(tag);
        return;
    }
    let inner = tag.trim_start_matches('<').trim_end_matches('>');
    let (inner, self_closing) = match inner.strip_suffix('/') {
        Some(i) => (i, true),
        None => (inner, false),
    };
    let name_end = inner.find(' ').unwrap_or(inner.len());
    let name = &inner[..name_end];
    let Some(attrs) = parse_attrs(&inner[name_end..]) else {
        out.push_str(tag);
        return;
    };
    out.push('<');
    out.push_str(name);
    for (key, value) in attrs {
        if key == "style" {
            if name == "mtd" {
                if let Some((_, class)) = MTD_CLASSES.iter().find(|(s, _)| *s == value) {
                    out.push_str(" class=\"");
                    out.push_str(class);
                    out.push('"');
                    continue;
                }
            }
            if name == "mpadded" && value == "padding-left:0;padding-right:0;" {
                continue;
            }
        }
        out.push(' ');
        out.push_str(key);
        out.push_str("=\"");
        out.push_str(&shorten_numbers(value));
        out.push('"');
    }
    if self_closing {
        out.push('/');
    }
    out.push('>');
}

/// ` a="1" b="2"` → pairs; `None` if the text is not in that shape (left as it was).
fn parse_attrs(mut s: &str) -> Option<Vec<(&str, &str)>> {
    let mut v = Vec::new();
    loop {
        s = s.trim_start();
        if s.is_empty() {
            return Some(v);
        }
        let eq = s.find("=\"")?;
        let key = &s[..eq];
        if key.is_empty() || key.contains(|c: char| c.is_whitespace() || c == '"') {
            return None;
        }
        let after = &s[eq + 2..];
        let close = after.find('"')?;
        v.push((key, &after[..close]));
        s = &after[close + 1..];
    }
}

/// Decimal numbers without a leading zero, every digit kept: `0.16666667em` → `.16666667em`.
fn shorten_numbers(value: &str) -> String {
    let b = value.as_bytes();
    let mut out = String::with_capacity(value.len());
    let mut i = 0;
    while i < b.len() {
        let starts_number = b[i].is_ascii_digit()
            && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'.'));
        if !starts_number {
            let ch_len = value[i..].chars().next().map_or(1, char::len_utf8);
            out.push_str(&value[i..i + ch_len]);
            i += ch_len;
            continue;
        }
        let mut j = i;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        let int_part = &value[i..j];
        if j + 1 < b.len() && b[j] == b'.' && b[j + 1].is_ascii_digit() {
            let mut k = j + 1;
            while k < b.len() && b[k].is_ascii_digit() {
                k += 1;
            }
            out.push_str(&short_decimal(int_part, &value[j + 1..k]));
            i = k;
        } else {
            out.push_str(int_part);
            i = j;
        }
    }
    out
}

fn short_decimal(int_part: &str, frac: &str) -> String {
    if int_part == "0" {
        format!(".{frac}")
    } else {
        format!("{int_part}.{frac}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alignment_cells_get_classes_instead_of_inline_styles() {
        let m = r#"<mtd style="text-align: right;justify-items: end;padding-right: 0;"><mi>x</mi></mtd><mtd style="text-align: left;justify-items: start;padding-left: 0;"><mo>=</mo></mtd>"#;
        assert_eq!(
            slim(m),
            r#"<mtd class="ar"><mi>x</mi></mtd><mtd class="al"><mo>=</mo></mtd>"#
        );
    }

    #[test]
    fn an_unknown_cell_style_is_kept() {
        let m = r#"<mtd style="color: red"><mi>x</mi></mtd>"#;
        assert_eq!(slim(m), m);
    }

    #[test]
    fn zero_padding_is_dropped_and_other_paddings_are_shortened() {
        assert_eq!(
            slim(r#"<mpadded style="padding-left:0;padding-right:0;"><mi>D</mi></mpadded>"#),
            "<mpadded><mi>D</mi></mpadded>"
        );
        assert_eq!(
            slim(r#"<mpadded style="padding-left:0;padding-right:0.1667em;"><mi>𝔼</mi></mpadded>"#),
            r#"<mpadded style="padding-left:0;padding-right:.1667em;"><mi>𝔼</mi></mpadded>"#
        );
    }

    #[test]
    fn lengths_lose_only_their_leading_zero() {
        assert_eq!(
            slim(r#"<mspace width="0.22222222em"/><mspace width="1em"/>"#),
            r#"<mspace width=".22222222em"/><mspace width="1em"/>"#
        );
        assert_eq!(shorten_numbers("-0.16666667em"), "-.16666667em");
        assert_eq!(shorten_numbers("2.047em"), "2.047em");
        assert_eq!(shorten_numbers("10.5em"), "10.5em");
        assert_eq!(shorten_numbers("50%"), "50%");
    }

    #[test]
    fn operators_and_text_are_left_exactly_as_written() {
        let m =
            r#"<mo stretchy="false" lspace="0" rspace="0">|</mo><mtext>0.123456 &lt; x</mtext>"#;
        assert_eq!(slim(m), m);
    }

    #[test]
    fn malformed_markup_passes_through() {
        for m in ["<mi", "<mi x=\"1>", "a < b", "<mo =\"x\">"] {
            assert_eq!(slim(m), m);
        }
    }
}
