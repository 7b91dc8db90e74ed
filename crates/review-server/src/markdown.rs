//! Markdown with math for reviews, rendered by the project's own pipeline (blogtrack-markdown
//! with blogtrack-math's MathML) and then sanitized with ammonia: a reviewer's text can hold
//! no script, no event handler, no style, no foreign frame, and no image: a remote image would
//! tell its host the address of everyone who reads the text (a reviewer reading an abstract, an
//! author reading a review), which would break the double-blind review. MathML elements are kept.
//! Reviews, discussion messages, meta-reviews and abstracts all go through [`render`].

use blogtrack_markdown::{MathRenderer, Options};
use blogtrack_math::MathContext;
use std::collections::HashSet;

struct Math(MathContext);

impl MathRenderer for Math {
    fn render_math(&mut self, tex: &str, display: bool, _line: u32) -> String {
        match self.0.render(tex, display) {
            Ok(html) => html,
            Err(e) => blogtrack_math::fallback_html_with_reason(tex, display, &e.to_string()),
        }
    }
}

const MATHML: &[&str] = &[
    "math",
    "semantics",
    "annotation",
    "mrow",
    "mi",
    "mn",
    "mo",
    "ms",
    "mtext",
    "mspace",
    "msup",
    "msub",
    "msubsup",
    "mfrac",
    "msqrt",
    "mroot",
    "mover",
    "munder",
    "munderover",
    "mtable",
    "mtr",
    "mtd",
    "mstyle",
    "mpadded",
    "mphantom",
    "menclose",
    "merror",
    "mmultiscripts",
    "mprescripts",
    "none",
];
const MATHML_ATTRS: &[&str] = &[
    "display",
    "mathvariant",
    "stretchy",
    "fence",
    "separator",
    "lspace",
    "rspace",
    "accent",
    "accentunder",
    "linethickness",
    "columnalign",
    "rowalign",
    "columnspacing",
    "rowspacing",
    "displaystyle",
    "scriptlevel",
    "notation",
    "width",
    "height",
    "depth",
    "encoding",
    "movablelimits",
    "largeop",
    "symmetric",
    "minsize",
    "maxsize",
    "form",
];

/// Safe HTML for one review text.
pub fn render(text: &str) -> String {
    let mut math = Math(MathContext::new());
    let out = blogtrack_markdown::render(
        text,
        &Options {
            heading_anchors: false,
            ..Options::default()
        },
        &mut math,
    );
    clean(&out.html)
}

pub fn clean(html: &str) -> String {
    let mut b = ammonia::Builder::default();
    b.add_tags(MATHML.iter().copied());
    let attrs: HashSet<&str> = MATHML_ATTRS.iter().copied().collect();
    for t in MATHML {
        b.add_tag_attributes(t, attrs.iter().copied());
    }
    b.rm_tags(["img"]);
    b.add_generic_attributes(["class"]);
    b.link_rel(Some("noopener noreferrer nofollow"));
    b.clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn math_renders_and_scripts_do_not() {
        let html = render("Energy $E = mc^2$ <script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1))");
        assert!(html.contains("<math"), "{html}");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
    }

    #[test]
    fn no_image_is_fetched_from_anywhere() {
        for text in [
            "![tracker](https://evil.example/pixel.png?reader=1)",
            "<img src=\"https://evil.example/p.png\" alt=\"x\">",
            "<IMG SRC=//evil.example/p.png>",
            "<picture><source srcset=\"https://evil.example/p.png\"><img src=\"https://evil.example/q.png\"></picture>",
        ] {
            let html = render(text);
            assert!(!html.to_ascii_lowercase().contains("<img"), "{text}: {html}");
            assert!(!html.contains("evil.example"), "{text}: {html}");
        }
        // A link stays a link (followed only when clicked, with no referrer).
        let html = render("[paper](https://example.org/paper)");
        assert!(
            html.contains("href=\"https://example.org/paper\""),
            "{html}"
        );
    }
}
