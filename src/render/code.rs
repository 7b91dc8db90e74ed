//! Build-time highlighting of the fenced code blocks Markdown produced
//! (`<pre><code class="language-x">…</code></pre>`); `{% highlight %}` blocks are highlighted
//! earlier, by the Liquid host.

use crate::html::decode_entities;
use blogtrack_highlight::Highlighter;

pub fn highlight_fences(html: &str, hl: &Highlighter) -> String {
    const OPEN: &str = "<pre><code";
    if !html.contains(OPEN) {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len() + html.len() / 2);
    let mut rest = html;
    while let Some(i) = rest.find(OPEN) {
        out.push_str(&rest[..i]);
        let after = &rest[i + OPEN.len()..];
        let Some(gt) = after.find('>') else {
            out.push_str(&rest[i..]);
            rest = "";
            break;
        };
        let attrs = &after[..gt];
        let body_start = &after[gt + 1..];
        let Some(close) = body_start.find("</code></pre>") else {
            out.push_str(&rest[i..]);
            rest = "";
            break;
        };
        let lang = crate::html::attr_text(attrs, "class").and_then(|c| {
            c.split_whitespace()
                .find_map(|cls| cls.strip_prefix("language-").map(str::to_string))
        });
        let code = decode_entities(&body_start[..close]);
        out.push_str(&hl.highlight(&code, lang.as_deref(), false));
        rest = &body_start[close + "</code></pre>".len()..];
    }
    out.push_str(rest);
    out
}
