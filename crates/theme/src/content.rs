//! Authors' content fitted into the theme when a post is laid out: their CSS is scoped to the
//! article, an iframe that only shows an image becomes an `<img>`, and an opening parenthesis
//! stays on the line of the formula that follows it.
//!
//! **Why `@scope` and not higher-specificity theme rules.** An author's bare selector
//! (`a { color: … }`, `* { font-size: 30px }`) would otherwise reach the theme's own elements:
//! the byline, the TOC, the references, the citation and footnote markers and their cards.
//! Raising the theme's specificity everywhere would also make it beat authors' classes on their
//! own content (the opposite of what the layout rules want, see `:where(.prose)` in
//! `theme.css`). Scoping the author's CSS to `d-article`, with the theme's markers and cards as
//! the scope's lower boundary, keeps every author rule working on the author's content and
//! nothing else, whatever its specificity. Browsers without `@scope` drop the block (the
//! author's styles are lost there, the theme stays intact).
//!
//! The CSS is made brace-balanced first, so a stray `}` cannot close the scope early and let
//! the rest of the author's rules out.

/// The scope every author stylesheet is wrapped in: the article, minus the theme's elements in it.
pub const AUTHOR_SCOPE: &str =
    "@scope (d-article) to (.citation, .footnote, .hover-card, .copy-btn, .anchor)";

/// The author's CSS wrapped in [`AUTHOR_SCOPE`], with its braces balanced (a `}` that would
/// close more than was opened is dropped, unclosed blocks are closed at the end).
pub fn scoped_css(css: &str) -> String {
    let mut out = String::with_capacity(css.len() + AUTHOR_SCOPE.len() + 8);
    out.push_str(AUTHOR_SCOPE);
    out.push_str(" {\n");
    let b = css.as_bytes();
    let mut depth = 0usize;
    let mut last = 0;
    let mut i = 0;
    let mut open_comment = false;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'*') => {
                match css[i + 2..].find("*/") {
                    Some(e) => i += 2 + e + 2,
                    None => {
                        open_comment = true;
                        i = b.len();
                    }
                }
                continue;
            }
            q @ (b'"' | b'\'') => {
                i += 1;
                while i < b.len() && b[i] != q && b[i] != b'\n' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'{' => depth += 1,
            b'}' if depth == 0 => {
                out.push_str(&css[last..i]);
                last = i + 1;
            }
            b'}' => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    out.push_str(&css[last.min(css.len())..]);
    if open_comment {
        // An unterminated comment would swallow the closing braces.
        out.push_str("*/");
    }
    for _ in 0..depth {
        out.push('}');
    }
    out.push_str("\n}");
    out
}

/// The post body as the theme shows it: `<style>` elements scoped (see [`scoped_css`]),
/// image iframes as images, `(` kept with the inline formula after it.
pub fn adapt_body(html: &str) -> String {
    let html = scope_style_elements(html);
    let html = iframes_to_images(&html);
    keep_paren_with_math(&html)
}

/// Byte offset of the next `<name` (any case) that starts a tag of that name, from `from`.
fn find_tag(lower: &str, name: &str, from: usize) -> Option<usize> {
    let needle = format!("<{name}");
    let mut at = from;
    while let Some(k) = lower.get(at..)?.find(&needle) {
        let start = at + k;
        let next = lower.as_bytes().get(start + needle.len()).copied();
        if matches!(next, Some(b'>' | b' ' | b'\t' | b'\n' | b'\r' | b'/')) {
            return Some(start);
        }
        at = start + needle.len();
    }
    None
}

fn scope_style_elements(html: &str) -> String {
    let lower = html.to_ascii_lowercase();
    let mut out = String::with_capacity(html.len() + 128);
    let mut last = 0;
    let mut from = 0;
    while let Some(start) = find_tag(&lower, "style", from) {
        let Some(open_end) = lower[start..].find('>').map(|e| start + e + 1) else {
            break;
        };
        let Some(close) = lower[open_end..].find("</style").map(|e| open_end + e) else {
            break;
        };
        out.push_str(&html[last..open_end]);
        out.push_str(&scoped_css(&html[open_end..close]));
        last = close;
        from = close + 7;
    }
    out.push_str(&html[last..]);
    out
}

const IMAGE_EXTENSIONS: &[&str] = &[".gif", ".png", ".jpg", ".jpeg", ".webp", ".svg", ".avif"];

fn is_image_url(src: &str) -> bool {
    let path = src
        .split(['?', '#'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    !path.starts_with("javascript:") && IMAGE_EXTENSIONS.iter().any(|e| path.ends_with(e))
}

/// An `<iframe>` whose `src` is an image file is written as that image (same size attributes,
/// its `title` as alt text): browsers draw an image in an iframe off-centre on a white page.
fn iframes_to_images(html: &str) -> String {
    let lower = html.to_ascii_lowercase();
    let mut out = String::with_capacity(html.len());
    let mut last = 0;
    let mut from = 0;
    while let Some(start) = find_tag(&lower, "iframe", from) {
        let Some(open_end) = lower[start..].find('>').map(|e| start + e + 1) else {
            break;
        };
        from = open_end;
        let attrs = &html[start + 7..open_end - 1];
        let get = |n: &str| blogtrack_escape::attr_value(attrs, n);
        let Some(src) = get("src").filter(|s| is_image_url(s)) else {
            continue;
        };
        // The iframe's fallback content (usually none) goes with it.
        let end = match lower[open_end..].find("</iframe") {
            Some(e) => lower[open_end + e..]
                .find('>')
                .map_or(html.len(), |g| open_end + e + g + 1),
            None => open_end,
        };
        out.push_str(&html[last..start]);
        out.push_str("<img class=\"from-iframe\"");
        for (name, value) in [
            ("src", Some(src)),
            ("width", get("width")),
            ("height", get("height")),
            ("style", get("style")),
            ("alt", Some(get("title").unwrap_or(""))),
        ] {
            if let Some(v) = value {
                out.push(' ');
                out.push_str(name);
                out.push_str("=\"");
                out.push_str(&v.replace('"', "&quot;"));
                out.push('"');
            }
        }
        out.push_str(" loading=\"lazy\" decoding=\"async\">");
        last = end;
        from = end;
    }
    out.push_str(&html[last..]);
    out
}

/// `(<math>…</math>` (and a closing `)` or punctuation right after) is wrapped in a no-break
/// span: the line cannot break between the parenthesis and the formula.
fn keep_paren_with_math(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut last = 0;
    let mut from = 0;
    while let Some(k) = html[from..].find("(<math") {
        let start = from + k;
        from = start + 6;
        let Some(tag_end) = html[start..].find('>').map(|e| start + e) else {
            break;
        };
        if html[start..tag_end].contains("display=\"block\"") {
            continue;
        }
        let Some(close) = html[tag_end..].find("</math>").map(|e| tag_end + e + 7) else {
            break;
        };
        let mut end = close;
        if let Some(c) = html[close..]
            .chars()
            .next()
            .filter(|c| ").,;:".contains(*c))
        {
            end += c.len_utf8();
        }
        out.push_str(&html[last..start]);
        out.push_str("<span class=\"nobr\">");
        out.push_str(&html[start..end]);
        out.push_str("</span>");
        last = end;
        from = end;
    }
    out.push_str(&html[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn author_css_is_scoped_to_the_article_without_the_theme_markers() {
        let css = scoped_css("a { color: #87CEFA }");
        assert!(css.starts_with("@scope (d-article) to (.citation, .footnote"));
        assert!(css.ends_with("a { color: #87CEFA }\n}"));
    }

    /// A stray `}` must not close the scope and let the next rules apply to the whole page.
    #[test]
    fn a_stray_closing_brace_cannot_leave_the_scope() {
        let css = scoped_css("p{x:1}} body{color:red} .a{b:c");
        assert_eq!(css.matches('{').count(), css.matches('}').count());
        assert!(css.ends_with(" body{color:red} .a{b:c}\n}"));
        assert!(!css.contains("}}"));
        // Braces in strings and comments do not count.
        let css = scoped_css(".q::after{content:\"}\"} /* } */ .r{}");
        assert!(css.contains("content:\"}\"} /* } */ .r{}"));
        assert!(css.ends_with(".r{}\n}"));
        let css = scoped_css(".a{b:c} /* open");
        assert!(css.ends_with("/* open*/\n}"));
    }

    #[test]
    fn style_elements_in_the_body_are_scoped() {
        let html = adapt_body("<p>x</p><STYLE>* { font-size: 30px }</STYLE><p>y</p>");
        assert!(html.contains("<STYLE>@scope (d-article)"));
        assert!(html.contains("* { font-size: 30px }\n}</STYLE><p>y</p>"));
        assert_eq!(adapt_body("<styles>a</styles>"), "<styles>a</styles>");
    }

    #[test]
    fn an_iframe_that_shows_an_image_becomes_an_img() {
        let html = adapt_body(
            "<iframe src=\"/2024/assets/img/x/anim.GIF?v=2\" width=\"225\" height='225' title=\"An animation\" frameborder=\"0\"></iframe><p>after</p>",
        );
        assert!(
            html.starts_with("<img class=\"from-iframe\" src=\"/2024/assets/img/x/anim.GIF?v=2\" width=\"225\" height=\"225\""),
            "{html}"
        );
        assert!(html.ends_with("loading=\"lazy\" decoding=\"async\"><p>after</p>"));
        let page = "<iframe src=\"/2024/assets/html/x/plot.html\" width=\"225\"></iframe>";
        assert_eq!(adapt_body(page), page);
    }

    #[test]
    fn an_opening_parenthesis_stays_with_its_formula() {
        let html =
            adapt_body("see (<math><mi>x</mi></math>), and (<math display=\"block\"></math>)");
        assert_eq!(
            html,
            "see <span class=\"nobr\">(<math><mi>x</mi></math>)</span>, and (<math display=\"block\"></math>)"
        );
    }
}
