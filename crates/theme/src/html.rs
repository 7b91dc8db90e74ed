//! Escaping and small HTML-writing helpers shared by the layouts.
//!
//! One escaper serves text and attribute values alike (it escapes `& < > " '`), so a call site
//! cannot pick the wrong one. URLs coming from authors also go through [`safe_url`], which keeps
//! only web and relative links so a front-matter value cannot become a `javascript:` link.

/// Appends `s` to `out`, escaped for HTML text and quoted attribute values.
pub use blogtrack_escape::escape_into as esc;

/// `s` escaped, as a new string.
/// `<time datetime="ISO">May 7, 2024</time>` (the ISO date is shown when no display form is given).
pub fn time(out: &mut String, date: &crate::view::DateView) {
    out.push_str("<time");
    if !date.iso.is_empty() {
        attr(out, "datetime", &date.iso);
    }
    out.push('>');
    esc(
        out,
        if date.display.is_empty() {
            &date.iso
        } else {
            &date.display
        },
    );
    out.push_str("</time>");
}

/// An award badge ("Best post") from the track's decisions, above a post's title.
pub fn badge(out: &mut String, label: &str) {
    out.push_str("<p class=\"award-badge\">");
    esc(out, label);
    out.push_str("</p>");
}

#[cfg(test)]
pub use blogtrack_escape::escape as escaped;

/// Appends ` name="value"` with the value escaped.
pub fn attr(out: &mut String, name: &str, value: &str) {
    out.push(' ');
    out.push_str(name);
    out.push_str("=\"");
    esc(out, value);
    out.push('"');
}

/// The URL if it is relative or uses a web scheme (`http`, `https`, `mailto`); `None` for
/// empty values and other schemes (`javascript:`, `data:` ...).
pub fn safe_url(url: &str) -> Option<&str> {
    let url = url.trim();
    if url.is_empty() {
        return None;
    }
    let scheme_end = url.find([':', '/', '?', '#']);
    match scheme_end {
        Some(i) if url[i..].starts_with(':') => {
            let scheme = url[..i].to_ascii_lowercase();
            matches!(scheme.as_str(), "http" | "https" | "mailto").then_some(url)
        }
        _ => Some(url),
    }
}

/// Appends `text`, as a link to `url` when there is a usable one.
pub fn maybe_link(out: &mut String, text: &str, url: Option<&str>, class: Option<&str>) {
    match url.and_then(safe_url) {
        Some(href) => {
            out.push_str("<a");
            if let Some(c) = class {
                attr(out, "class", c);
            }
            attr(out, "href", href);
            out.push('>');
            esc(out, text);
            out.push_str("</a>");
        }
        None => {
            if let Some(c) = class {
                out.push_str("<span");
                attr(out, "class", c);
                out.push('>');
                esc(out, text);
                out.push_str("</span>");
            } else {
                esc(out, text);
            }
        }
    }
}

/// Trusted CSS for a `<style>` element: any `</style` (any case) becomes `<\/style`, so the
/// element cannot be closed early.
pub fn push_style_text(out: &mut String, css: &str) {
    let lower = css.to_ascii_lowercase();
    let mut last = 0;
    let mut from = 0;
    while let Some(pos) = lower[from..].find("</style") {
        let at = from + pos;
        out.push_str(&css[last..at]);
        out.push_str("<\\/");
        last = at + 2;
        from = at + 2;
    }
    out.push_str(&css[last..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_the_five_special_characters() {
        assert_eq!(
            escaped(r#"a & b < c > d "e" 'f'"#),
            "a &amp; b &lt; c &gt; d &quot;e&quot; &#39;f&#39;"
        );
    }

    #[test]
    fn leaves_non_ascii_text_alone() {
        assert_eq!(escaped("Ünïcödé 🚀 עברית"), "Ünïcödé 🚀 עברית");
    }

    #[test]
    fn safe_url_keeps_web_and_relative_links_only() {
        assert_eq!(safe_url("https://a.org/x"), Some("https://a.org/x"));
        assert_eq!(safe_url("/2024/blog/"), Some("/2024/blog/"));
        assert_eq!(safe_url("#ref-1"), Some("#ref-1"));
        assert_eq!(safe_url("page?x=a:b"), Some("page?x=a:b"));
        assert_eq!(safe_url(" JavaScript:alert(1)"), None);
        assert_eq!(safe_url("data:text/html,x"), None);
        assert_eq!(safe_url(""), None);
    }

    #[test]
    fn style_text_cannot_close_its_element() {
        let mut out = String::new();
        push_style_text(&mut out, "a{}</STYLE><script>x</script></style >");
        assert_eq!(out, "a{}<\\/STYLE><script>x</script><\\/style >");
    }
}
