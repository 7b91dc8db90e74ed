//! Injection of the live-reload client (and the error overlay) into HTML responses.
//!
//! The snippet goes right before the last `</body>` (or at the end when a page has none), so
//! the built files stay exactly what `blogtrack build` writes and only the preview differs.
//! The client opens one `EventSource` on [`EVENTS_PATH`]; the server sends the current site
//! token at once and again after every change, and the page reloads when the token differs
//! from the one it was served with. Comparing tokens (instead of reacting to "something
//! changed") means an edit made between serving the page and connecting is not lost, and a
//! restarted server (new token) reloads the page exactly once. On errors the client closes the
//! stream and reconnects with exponential backoff (1 s up to 30 s) instead of the browser's
//! fixed retry, so a stopped server sees no request storm. Scroll position survives the reload
//! through `sessionStorage`.

/// The server-sent events endpoint the client listens on.
pub const EVENTS_PATH: &str = "/__blogtrack/events";

const SCRIPT_HEAD: &str = "<script data-blogtrack-live>(function(){var tok=\"";
const SCRIPT_TAIL: &str = "\",k=\"__blogtrack_scroll:\"+location.pathname,d=1000,es;\
try{var s=sessionStorage.getItem(k);if(s){sessionStorage.removeItem(k);var p=s.split(\",\");\
var go=function(){window.scrollTo(+p[0],+p[1])};go();addEventListener(\"load\",go)}}catch(e){}\
function connect(){es=new EventSource(\"/__blogtrack/events\");\
es.onopen=function(){d=1000};\
es.onmessage=function(e){if(e.data&&e.data!==tok){es.close();\
try{sessionStorage.setItem(k,scrollX+\",\"+scrollY)}catch(x){}location.reload()}};\
es.onerror=function(){es.close();setTimeout(connect,d);d=Math.min(d*2,30000)}}\
connect()})();</script>";

/// The snippet for a page served at site token `token` (ASCII letters, digits and `-`).
pub fn snippet(token: &str, overlay: Option<&str>) -> String {
    let mut s = String::with_capacity(
        SCRIPT_HEAD.len() + SCRIPT_TAIL.len() + token.len() + overlay.map_or(0, str::len),
    );
    if let Some(o) = overlay {
        s.push_str(o);
    }
    s.push_str(SCRIPT_HEAD);
    s.extend(
        token
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-'),
    );
    s.push_str(SCRIPT_TAIL);
    s
}

/// `html` with `snippet` inserted before its last `</body` (ASCII case-insensitive).
pub fn inject(html: &[u8], snippet: &str) -> Vec<u8> {
    let at = find_last_body_close(html).unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + snippet.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(snippet.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn find_last_body_close(html: &[u8]) -> Option<usize> {
    const NEEDLE: &[u8] = b"</body";
    if html.len() < NEEDLE.len() {
        return None;
    }
    (0..=html.len() - NEEDLE.len())
        .rev()
        .find(|&i| html[i..i + NEEDLE.len()].eq_ignore_ascii_case(NEEDLE))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn goes_before_the_last_closing_body_tag() {
        let page = b"<html><body><p>x</p></BODY></html>";
        let out = String::from_utf8(inject(page, "<i>S</i>")).unwrap_or_default();
        assert_eq!(out, "<html><body><p>x</p><i>S</i></BODY></html>");
    }

    #[test]
    fn pages_without_body_get_it_at_the_end() {
        let out = inject(b"<p>fragment</p>", "<i>S</i>");
        assert_eq!(out, b"<p>fragment</p><i>S</i>");
        assert_eq!(inject(b"", "S"), b"S");
    }

    #[test]
    fn snippet_carries_the_token_and_the_overlay_first() {
        let s = snippet("abc-7", Some("<div>ov</div>"));
        assert!(s.starts_with("<div>ov</div><script"));
        assert!(s.contains("var tok=\"abc-7\""));
        assert!(s.contains(EVENTS_PATH));
        let hostile = snippet("a\"</script>", None);
        assert!(hostile.contains("var tok=\"ascript\""));
    }
}
