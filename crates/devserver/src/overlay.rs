//! The build-error overlay: a fixed panel listing `file:line: message` over every page.
//!
//! The driver sets it when a rebuild fails and clears it when the next one succeeds; the store
//! renders it once to HTML, and the server injects that into every HTML response. Everything
//! that comes from the track (paths, messages, hints) is escaped: a message quoting `<script>`
//! from a broken post must show as text. The list and each message are capped so a pathological
//! build cannot bloat every page.

use std::fmt::Write as _;

use blogtrack_diag::Diagnostic;

const MAX_ITEMS: usize = 100;
const MAX_TEXT: usize = 2000;

/// One entry of the overlay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverlayItem {
    /// `file:line:col`, or empty when unknown.
    pub location: String,
    /// `error[code]`, `warning[code]` or empty.
    pub label: String,
    pub message: String,
    pub hint: Option<String>,
}

/// Build problems to show over every page until cleared.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ErrorOverlay {
    pub items: Vec<OverlayItem>,
}

impl ErrorOverlay {
    /// One entry per diagnostic, in the given order (sort them first for a stable panel).
    pub fn from_diagnostics<'a>(diags: impl IntoIterator<Item = &'a Diagnostic>) -> Self {
        let items = diags
            .into_iter()
            .map(|d| OverlayItem {
                location: d.location(),
                label: format!("{}[{}]", d.severity, d.code),
                message: d.message.clone(),
                hint: d.hint.clone(),
            })
            .collect();
        ErrorOverlay { items }
    }

    /// One entry per preformatted line (`file:line: message`).
    pub fn from_lines<S: Into<String>>(lines: impl IntoIterator<Item = S>) -> Self {
        let items = lines
            .into_iter()
            .map(|l| OverlayItem {
                location: String::new(),
                label: String::new(),
                message: l.into(),
                hint: None,
            })
            .collect();
        ErrorOverlay { items }
    }

    /// The panel as a self-contained HTML fragment (inline styles, dismiss button).
    pub fn to_html(&self) -> String {
        let n = self.items.len();
        let mut out = String::with_capacity(512 + 160 * n.min(MAX_ITEMS));
        out.push_str(
            "<div id=\"__blogtrack-overlay\" role=\"alert\" style=\"position:fixed;top:0;left:0;\
             right:0;max-height:60vh;overflow:auto;z-index:2147483647;box-sizing:border-box;\
             margin:0;padding:12px 16px;background:#1d1d1f;color:#f2f2f2;\
             font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;text-align:left;\
             border-bottom:4px solid #e5484d;box-shadow:0 4px 16px rgba(0,0,0,.4)\">\
             <button type=\"button\" aria-label=\"Dismiss\" \
             onclick=\"this.parentNode.remove()\" style=\"float:right;border:0;background:none;\
             color:inherit;font:inherit;font-size:20px;line-height:1;cursor:pointer\">\
             &times;</button>",
        );
        let noun = if n == 1 { "problem" } else { "problems" };
        let _ = write!(
            out,
            "<strong style=\"color:#ff6369\">blogtrack: the last build has {n} {noun}</strong>\
             <ol style=\"margin:8px 0 0;padding-left:24px\">"
        );
        self.push_items(&mut out);
        out.push_str("</ol>");
        if n > MAX_ITEMS {
            let _ = write!(
                out,
                "<p style=\"margin:8px 0 0\">and {} more</p>",
                n - MAX_ITEMS
            );
        }
        out.push_str("</div>");
        out
    }
}

impl ErrorOverlay {
    /// The warnings panel: a small box in the bottom right corner of every page saying how many
    /// warnings the last build has, which opens into the list (the same entries as the error
    /// overlay) and can be dismissed. Dismissing it hides these warnings on every page for the
    /// rest of the browser session; a different set of warnings shows the panel again (the
    /// panel carries a hash of its content). Errors keep the full overlay
    /// ([`ErrorOverlay::to_html`]).
    pub fn to_warnings_html(&self) -> String {
        let n = self.items.len();
        let mut list = String::with_capacity(160 * n.min(MAX_ITEMS));
        self.push_items(&mut list);
        if n > MAX_ITEMS {
            let _ = write!(list, "<li>and {} more</li>", n - MAX_ITEMS);
        }
        let key = fnv(&list);
        let noun = if n == 1 { "warning" } else { "warnings" };
        let mut out = String::with_capacity(1200 + list.len());
        let _ = write!(
            out,
            "<div id=\"__blogtrack-warnings\" role=\"status\" data-key=\"{key:016x}\" \
             style=\"position:fixed;right:12px;bottom:12px;max-width:min(560px,calc(100vw - 24px));\
             max-height:50vh;overflow:auto;z-index:2147483646;box-sizing:border-box;margin:0;\
             padding:6px 10px;background:#1d1d1f;color:#f2f2f2;\
             font:13px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;text-align:left;\
             border-left:4px solid #f5a524;border-radius:4px;box-shadow:0 2px 10px rgba(0,0,0,.35)\">\
             <button type=\"button\" aria-label=\"Dismiss the warnings\" \
             onclick=\"var p=this.parentNode;try{{sessionStorage.setItem('__blogtrack_warnings',\
             p.getAttribute('data-key'))}}catch(e){{}}p.remove()\" style=\"float:right;border:0;\
             background:none;color:inherit;font:inherit;font-size:18px;line-height:1;cursor:pointer;\
             margin-left:8px\">&times;</button>\
             <details><summary style=\"cursor:pointer;color:#f5a524\">blogtrack: the last build has \
             {n} {noun}</summary><ol style=\"margin:6px 0 0;padding-left:22px\">{list}</ol>\
             </details></div>\
             <script>try{{if(sessionStorage.getItem('__blogtrack_warnings')===\"{key:016x}\")\
             document.getElementById('__blogtrack-warnings').remove()}}catch(e){{}}</script>"
        );
        out
    }
}

impl ErrorOverlay {
    /// The first [`MAX_ITEMS`] entries as `<li>` elements (location, label, message, hint).
    fn push_items(&self, out: &mut String) {
        for item in self.items.iter().take(MAX_ITEMS) {
            out.push_str("<li style=\"margin:4px 0;white-space:pre-wrap\">");
            if !item.location.is_empty() {
                out.push_str("<span style=\"color:#7cc4ff\">");
                escape_into(out, &item.location);
                out.push_str("</span>: ");
            }
            if !item.label.is_empty() {
                out.push_str("<b>");
                escape_into(out, &item.label);
                out.push_str("</b>: ");
            }
            escape_into(out, &item.message);
            if let Some(h) = &item.hint {
                out.push_str("<br><span style=\"color:#b4b4b4\">hint: ");
                escape_into(out, h);
                out.push_str("</span>");
            }
            out.push_str("</li>");
        }
    }
}

/// FNV-1a (64 bit) of the panel's list: the same warnings, the same key.
fn fnv(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Escapes text for HTML content and attribute values; long text is cut with an ellipsis.
pub(crate) fn escape_into(out: &mut String, text: &str) {
    match text.char_indices().nth(MAX_TEXT) {
        Some((cut, _)) => {
            blogtrack_escape::escape_into(out, &text[..cut]);
            out.push('\u{2026}');
        }
        None => blogtrack_escape::escape_into(out, text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnostics_show_location_label_message_and_hint() {
        let d = Diagnostic::error("yaml-syntax", "unclosed quote")
            .at(4, 9)
            .in_file("_posts/2024-05-07-x.md")
            .with_hint("close the quote");
        let html = ErrorOverlay::from_diagnostics([&d]).to_html();
        assert!(html.contains("_posts/2024-05-07-x.md:4:9"));
        assert!(html.contains("error[yaml-syntax]"));
        assert!(html.contains("unclosed quote"));
        assert!(html.contains("hint: close the quote"));
        assert!(html.contains("1 problem<"));
    }

    #[test]
    fn text_from_the_track_is_escaped() {
        let html =
            ErrorOverlay::from_lines(["x.md:1: <script>alert('x')</script> & \"q\""]).to_html();
        assert!(!html.contains("<script>"));
        assert!(
            html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;")
        );
    }

    #[test]
    fn the_warnings_panel_counts_lists_escapes_and_keys_its_content() {
        let w = Diagnostic::warning("cite-unknown-key", "no entry `<b>`")
            .at(7, 0)
            .in_file("_posts/a.md");
        let one = ErrorOverlay::from_diagnostics([&w]).to_warnings_html();
        assert!(one.contains("the last build has 1 warning<"));
        assert!(one.contains("_posts/a.md:7"));
        assert!(one.contains("no entry `&lt;b&gt;`"));
        assert!(one.contains("aria-label=\"Dismiss the warnings\""));
        let again = ErrorOverlay::from_diagnostics([&w]).to_warnings_html();
        assert_eq!(one, again, "same warnings, same panel and key");
        let other = ErrorOverlay::from_diagnostics([&w.clone().at(8, 0)]).to_warnings_html();
        let key = |h: &str| h.split("data-key=\"").nth(1).map(|r| r[..16].to_string());
        assert_ne!(
            key(&one),
            key(&other),
            "other warnings show the panel again"
        );
    }

    #[test]
    fn huge_overlays_are_capped() {
        let lines: Vec<String> = (0..500)
            .map(|i| format!("f.md:{i}: {}", "m".repeat(10_000)))
            .collect();
        let html = ErrorOverlay::from_lines(lines).to_html();
        assert!(html.contains("and 400 more"));
        assert!(html.len() < 300_000);
    }
}
