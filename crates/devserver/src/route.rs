//! From a raw request target to a safe site path.
//!
//! The request target is split off its query, percent-decoded segment by segment and checked
//! before anything looks at the store or the disk. Anything that could name a file outside the
//! site is refused outright rather than normalised: `.` and `..` segments (also when encoded),
//! empty segments (`//etc/passwd`), encoded or literal slashes and backslashes inside a segment,
//! NUL and other control characters, invalid UTF-8 and absolute-form targets. A dev server has
//! no reason to accept such URLs, and refusing keeps the reasoning simple. Then the base path
//! (`/2024`) is matched and stripped. This module does no I/O.

/// Why a target was refused (sent as the body of a 400).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadTarget {
    NotOriginForm,
    TooLong,
    BadEscape,
    NotUtf8,
    DotSegment,
    EmptySegment,
    ForbiddenChar,
}

impl BadTarget {
    pub fn message(self) -> &'static str {
        match self {
            BadTarget::NotOriginForm => "request target must start with `/`",
            BadTarget::TooLong => "request target too long",
            BadTarget::BadEscape => "malformed percent escape",
            BadTarget::NotUtf8 => "path is not valid UTF-8",
            BadTarget::DotSegment => "`.` and `..` segments are not allowed",
            BadTarget::EmptySegment => "empty path segments (`//`) are not allowed",
            BadTarget::ForbiddenChar => "slash, backslash or control character inside a segment",
        }
    }
}

const MAX_TARGET: usize = 4096;

/// A checked request: decoded path segments (the last one is empty for a trailing slash) and
/// the raw query (without `?`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub segments: Vec<String>,
    pub query: Option<String>,
}

/// Where a checked target points, relative to the base path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// Inside the site: the path relative to the site root (`""`, `blog/`, `assets/x.png`).
    Site(String),
    /// `/` or `/2024` without the slash: redirect to `/2024/`.
    RedirectToBase,
    /// Outside the base path.
    Outside,
}

/// Splits and checks a raw request target.
pub fn parse_target(raw: &str) -> Result<Target, BadTarget> {
    if raw.len() > MAX_TARGET {
        return Err(BadTarget::TooLong);
    }
    let raw = raw.split('#').next().unwrap_or("");
    let (path, query) = match raw.split_once('?') {
        Some((p, q)) => (p, Some(q.to_string())),
        None => (raw, None),
    };
    let rest = path.strip_prefix('/').ok_or(BadTarget::NotOriginForm)?;
    let parts: Vec<&str> = rest.split('/').collect();
    let last = parts.len() - 1;
    let mut segments = Vec::with_capacity(parts.len());
    for (i, part) in parts.iter().enumerate() {
        let seg = decode_segment(part)?;
        if seg.is_empty() && i != last {
            return Err(BadTarget::EmptySegment);
        }
        if seg == "." || seg == ".." {
            return Err(BadTarget::DotSegment);
        }
        if seg.chars().any(|c| c == '/' || c == '\\' || c.is_control()) {
            return Err(BadTarget::ForbiddenChar);
        }
        segments.push(seg);
    }
    Ok(Target { segments, query })
}

fn decode_segment(s: &str) -> Result<String, BadTarget> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hi = b.get(i + 1).and_then(|c| (*c as char).to_digit(16));
            let lo = b.get(i + 2).and_then(|c| (*c as char).to_digit(16));
            match (hi, lo) {
                (Some(h), Some(l)) => out.push((h * 16 + l) as u8),
                _ => return Err(BadTarget::BadEscape),
            }
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| BadTarget::NotUtf8)
}

/// The base path as segments: `"/2024/"` → `["2024"]`, `""` and `"/"` → `[]`.
pub fn base_segments(base: &str) -> Vec<String> {
    base.split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Matches a checked target against the base path.
pub fn route(target: &Target, base: &[String]) -> Route {
    let segs = &target.segments;
    if base.is_empty() {
        return Route::Site(segs.join("/"));
    }
    if segs.len() == 1 && segs[0].is_empty() {
        return Route::RedirectToBase;
    }
    if segs.len() < base.len() || segs[..base.len()] != *base {
        return Route::Outside;
    }
    if segs.len() == base.len() {
        return Route::RedirectToBase;
    }
    Route::Site(segs[base.len()..].join("/"))
}

/// Percent-encodes a site path for a `Location` header (keeps `/` and unreserved characters).
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Makes a raw query safe for a `Location` header: printable ASCII (escapes included) is kept
/// as sent, anything else is percent-encoded.
pub fn encode_query(query: &str) -> String {
    let mut out = String::with_capacity(query.len());
    for b in query.bytes() {
        if (0x21..=0x7e).contains(&b) && b != b'#' {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(raw: &str, base: &str) -> Result<Route, BadTarget> {
        parse_target(raw).map(|t| route(&t, &base_segments(base)))
    }

    #[test]
    fn plain_paths_map_into_the_site() {
        assert_eq!(site("/2024/", "/2024"), Ok(Route::Site(String::new())));
        assert_eq!(
            site("/2024/blog/x/", "/2024"),
            Ok(Route::Site("blog/x/".into()))
        );
        assert_eq!(
            site("/2024/assets/a%20b.png?v=1#top", "/2024"),
            Ok(Route::Site("assets/a b.png".into()))
        );
        assert_eq!(site("/blog/x", ""), Ok(Route::Site("blog/x".into())));
    }

    #[test]
    fn base_path_redirects_and_outside() {
        assert_eq!(site("/", "/2024"), Ok(Route::RedirectToBase));
        assert_eq!(site("/2024", "/2024"), Ok(Route::RedirectToBase));
        assert_eq!(site("/2023/x", "/2024"), Ok(Route::Outside));
        assert_eq!(site("/", "/"), Ok(Route::Site(String::new())));
    }

    #[test]
    fn traversal_attempts_are_refused() {
        let cases = [
            ("/../etc/passwd", BadTarget::DotSegment),
            ("/2024/blog/../../etc/passwd", BadTarget::DotSegment),
            ("/%2e%2e/etc/passwd", BadTarget::DotSegment),
            ("/%2E%2e/%2E%2E/etc/passwd", BadTarget::DotSegment),
            ("/./x", BadTarget::DotSegment),
            ("//etc/passwd", BadTarget::EmptySegment),
            ("/a//b", BadTarget::EmptySegment),
            ("/..%2fetc%2fpasswd", BadTarget::ForbiddenChar),
            ("/a%5c..%5cb", BadTarget::ForbiddenChar),
            ("/a\\..\\b", BadTarget::ForbiddenChar),
            ("/a%00.html", BadTarget::ForbiddenChar),
            ("/a%0d%0aSet-Cookie:x", BadTarget::ForbiddenChar),
            ("/%zz", BadTarget::BadEscape),
            ("/%2", BadTarget::BadEscape),
            ("/%ff%fe", BadTarget::NotUtf8),
            ("http://evil/etc/passwd", BadTarget::NotOriginForm),
            ("*", BadTarget::NotOriginForm),
        ];
        for (raw, why) in cases {
            assert_eq!(parse_target(raw).map(|_| ()), Err(why), "{raw}");
        }
        assert_eq!(
            parse_target(&format!("/{}", "a".repeat(5000))),
            Err(BadTarget::TooLong)
        );
    }

    #[test]
    fn location_encoding_keeps_slashes() {
        assert_eq!(encode_path("/2024/a b/é/"), "/2024/a%20b/%C3%A9/");
        assert_eq!(encode_query("a=%20&b=é c"), "a=%20&b=%C3%A9%20c");
    }
}
