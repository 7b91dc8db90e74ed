//! `Range: bytes=…` requests, single range only.
//!
//! Browsers ask for byte ranges to play and seek videos (Safari will not play an `mp4` served
//! without them). One range is enough for that; a multi-range request or a syntax this module
//! does not know is answered with the whole file, which HTTP allows. Pure: no I/O.

/// What to send for a body of a given length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want {
    /// The whole body (no or ignored `Range`).
    Full,
    /// Bytes `start..=end` (206).
    Part { start: u64, end: u64 },
    /// A range that starts past the end (416).
    Unsatisfiable,
}

/// Interprets a `Range` header value against a body of `len` bytes.
pub fn parse_range(header: Option<&str>, len: u64) -> Want {
    let Some(spec) = header.and_then(|h| h.trim().strip_prefix("bytes=")) else {
        return Want::Full;
    };
    if spec.contains(',') {
        return Want::Full;
    }
    let Some((a, b)) = spec.trim().split_once('-') else {
        return Want::Full;
    };
    let (a, b) = (a.trim(), b.trim());
    if a.is_empty() {
        let Ok(suffix) = b.parse::<u64>() else {
            return Want::Full;
        };
        if suffix == 0 || len == 0 {
            return Want::Unsatisfiable;
        }
        return Want::Part {
            start: len.saturating_sub(suffix),
            end: len - 1,
        };
    }
    let Ok(start) = a.parse::<u64>() else {
        return Want::Full;
    };
    let end = if b.is_empty() {
        u64::MAX
    } else {
        match b.parse::<u64>() {
            Ok(e) if e >= start => e,
            _ => return Want::Full,
        }
    };
    if start >= len {
        return Want::Unsatisfiable;
    }
    Want::Part {
        start,
        end: end.min(len - 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_forms_browsers_send() {
        assert_eq!(
            parse_range(Some("bytes=0-"), 10),
            Want::Part { start: 0, end: 9 }
        );
        assert_eq!(
            parse_range(Some("bytes=2-4"), 10),
            Want::Part { start: 2, end: 4 }
        );
        assert_eq!(
            parse_range(Some("bytes=5-100"), 10),
            Want::Part { start: 5, end: 9 }
        );
        assert_eq!(
            parse_range(Some("bytes=-3"), 10),
            Want::Part { start: 7, end: 9 }
        );
        assert_eq!(
            parse_range(Some("bytes=-30"), 10),
            Want::Part { start: 0, end: 9 }
        );
    }

    #[test]
    fn odd_or_impossible_ranges() {
        assert_eq!(parse_range(None, 10), Want::Full);
        assert_eq!(parse_range(Some("bytes=0-1,4-5"), 10), Want::Full);
        assert_eq!(parse_range(Some("items=0-1"), 10), Want::Full);
        assert_eq!(parse_range(Some("bytes=4-2"), 10), Want::Full);
        assert_eq!(parse_range(Some("bytes=x-"), 10), Want::Full);
        assert_eq!(parse_range(Some("bytes=10-"), 10), Want::Unsatisfiable);
        assert_eq!(parse_range(Some("bytes=-0"), 10), Want::Unsatisfiable);
        assert_eq!(parse_range(Some("bytes=0-"), 0), Want::Unsatisfiable);
    }
}
