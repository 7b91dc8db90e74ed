//! The highlighting stylesheet: one set of class rules, two palettes as CSS custom properties.
//!
//! Colours live in variables (`--hl-k` ...) set on `:root` for light mode and overridden for dark
//! mode under `html[data-theme="dark"]` and, when the reader's system prefers dark and the site
//! has not been switched to light, under `html:not([data-theme="light"])`. The palettes follow
//! GitHub's, darkened where needed so that every colour has at least 4.5:1 contrast (WCAG AA) on
//! its code background; `contrast_ratio` lets the tests check that from the emitted CSS.

use std::fmt::Write as _;

pub const CODE_BG_LIGHT: &str = "#f6f8fa";
pub const CODE_BG_DARK: &str = "#161b22";

/// Variable name, light colour, dark colour.
const PALETTE: &[(&str, &str, &str)] = &[
    ("fg", "#1f2328", "#e6edf3"),
    ("ln", "#57606a", "#8b949e"),
    ("c", "#57606a", "#8b949e"),
    ("k", "#cf222e", "#ff7b72"),
    ("kc", "#0550ae", "#79c0ff"),
    ("s", "#0a3069", "#a5d6ff"),
    ("se", "#116329", "#7ee787"),
    ("m", "#0550ae", "#79c0ff"),
    ("o", "#0550ae", "#79c0ff"),
    ("nf", "#6639ba", "#d2a8ff"),
    ("nc", "#953800", "#ffa657"),
    ("nt", "#116329", "#7ee787"),
    ("na", "#0550ae", "#79c0ff"),
    ("nv", "#953800", "#ffa657"),
    ("gh", "#0550ae", "#79c0ff"),
    ("gi", "#116329", "#aff5b4"),
    ("gd", "#82071e", "#ffa198"),
];

/// Class → (variable, extra declarations).
const CLASSES: &[(&str, &str, &str)] = &[
    ("c", "c", "font-style:italic"),
    ("k", "k", ""),
    ("kn", "k", ""),
    ("kt", "k", ""),
    ("kc", "kc", ""),
    ("bp", "kc", ""),
    ("s", "s", ""),
    ("si", "kc", ""),
    ("se", "se", ""),
    ("sr", "se", ""),
    ("m", "m", ""),
    ("o", "o", ""),
    ("nf", "nf", ""),
    ("nb", "nf", ""),
    ("nc", "nc", ""),
    ("nv", "nv", ""),
    ("nt", "nt", ""),
    ("na", "na", ""),
    ("gh", "gh", "font-weight:bold"),
    ("gs", "fg", "font-weight:bold"),
    ("ge", "fg", "font-style:italic"),
    ("lk", "s", "text-decoration:underline"),
    ("gi", "gi", ""),
    ("gd", "gd", ""),
    ("err", "gd", ""),
];

fn variables(out: &mut String, selector: &str, bg: &str, dark: bool, indent: &str) {
    let _ = writeln!(out, "{indent}{selector} {{");
    let _ = writeln!(out, "{indent}  --hl-bg: {bg};");
    for (name, light, dark_color) in PALETTE {
        let color = if dark { dark_color } else { light };
        let _ = writeln!(out, "{indent}  --hl-{name}: {color};");
    }
    let _ = writeln!(out, "{indent}}}");
}

pub fn stylesheet() -> String {
    let mut out = String::from("/* Code highlighting (blogtrack-highlight). */\n");
    variables(&mut out, ":root", CODE_BG_LIGHT, false, "");
    variables(
        &mut out,
        "html[data-theme=\"dark\"]",
        CODE_BG_DARK,
        true,
        "",
    );
    out.push_str("@media (prefers-color-scheme: dark) {\n");
    variables(
        &mut out,
        "html:not([data-theme=\"light\"])",
        CODE_BG_DARK,
        true,
        "  ",
    );
    out.push_str("}\n");
    out.push_str(
        "pre.highlight { background: var(--hl-bg); color: var(--hl-fg); overflow-x: auto; \
         padding: 0.75em 1em; line-height: 1.45; tab-size: 4; }\n\
         pre.highlight code { background: none; color: inherit; padding: 0; }\n\
         .highlight .line { display: inline; }\n\
         .highlight .ln::before { content: attr(data-ln); display: inline-block; min-width: 2.5em; \
         padding-right: 1em; text-align: right; color: var(--hl-ln); \
         -webkit-user-select: none; user-select: none; }\n",
    );
    for (class, var, extra) in CLASSES {
        let _ = write!(out, ".highlight .{class} {{ color: var(--hl-{var});");
        if !extra.is_empty() {
            let _ = write!(out, " {extra};");
        }
        out.push_str(" }\n");
    }
    out
}

/// `#rrggbb` or `#rgb` as 8-bit channels.
pub fn parse_hex_color(s: &str) -> Option<[u8; 3]> {
    let h = s.trim().strip_prefix('#')?;
    let digit = |i: usize, len: usize| u8::from_str_radix(h.get(i..i + len)?, 16).ok();
    match h.len() {
        6 => Some([digit(0, 2)?, digit(2, 2)?, digit(4, 2)?]),
        3 => Some([digit(0, 1)? * 17, digit(1, 1)? * 17, digit(2, 1)? * 17]),
        _ => None,
    }
}

fn luminance([r, g, b]: [u8; 3]) -> f64 {
    let lin = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

/// WCAG 2 contrast ratio of two colours (1 to 21).
pub fn contrast_ratio(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}
