//! Plain-scalar resolution with the YAML 1.1 rules Jekyll's Psych applies.
//!
//! The parser hands over plain (unquoted) scalars as text; this module decides whether such a text
//! is a null, a boolean, an integer, a float, a timestamp or a string, following Psych's scalar
//! scanner: `yes`/`no`/`on`/`off` are booleans, `010` is octal, `1:30` is sexagesimal (90),
//! `2024-05-07` is a date. Like Psych, a float needs a dot (`1e3` stays a string). Quoted and
//! block scalars never come here: they are always strings.

use crate::value::{Timestamp, Value};

/// Resolves a plain scalar.
pub fn resolve_plain(s: &str) -> Value {
    if let Some(v) = resolve_word(s) {
        return v;
    }
    if let Some(t) = parse_timestamp(s) {
        return Value::Timestamp(t);
    }
    if let Some(x) = parse_special_float(s) {
        return Value::Float(x);
    }
    if let Some(v) = parse_sexagesimal(s) {
        return v;
    }
    if let Some(x) = parse_float(s) {
        return Value::Float(x);
    }
    if let Some(i) = parse_int(s) {
        return Value::Int(i);
    }
    Value::Str(s.to_string())
}

fn resolve_word(s: &str) -> Option<Value> {
    if s.is_empty() || s == "~" {
        return Some(Value::Null);
    }
    if s.len() > 5 {
        return None;
    }
    let lower = s.to_ascii_lowercase();
    match lower.as_str() {
        "null" => Some(Value::Null),
        "yes" | "true" | "on" => Some(Value::Bool(true)),
        "no" | "false" | "off" => Some(Value::Bool(false)),
        _ => None,
    }
}

fn parse_special_float(s: &str) -> Option<f64> {
    let lower = s.to_ascii_lowercase();
    match lower.as_str() {
        ".inf" | "+.inf" => Some(f64::INFINITY),
        "-.inf" => Some(f64::NEG_INFINITY),
        ".nan" => Some(f64::NAN),
        _ => None,
    }
}

fn split_sign(s: &str) -> (bool, &str) {
    if let Some(r) = s.strip_prefix('-') {
        (true, r)
    } else if let Some(r) = s.strip_prefix('+') {
        (false, r)
    } else {
        (false, s)
    }
}

/// Integers: decimal, `0x` hex, `0b` binary, `0o` or leading-zero octal, `_` separators.
pub fn parse_int(s: &str) -> Option<i64> {
    let (neg, body) = split_sign(s);
    let (digits, radix) = if let Some(r) = body.strip_prefix("0x") {
        (r, 16)
    } else if let Some(r) = body.strip_prefix("0b") {
        (r, 2)
    } else if let Some(r) = body.strip_prefix("0o") {
        (r, 8)
    } else if body.len() > 1 && body.starts_with('0') {
        (&body[1..], 8)
    } else {
        if body.starts_with('_') {
            return None;
        }
        (body, 10)
    };
    if digits.is_empty()
        || !digits.chars().any(|c| c != '_')
        || !digits.chars().all(|c| c == '_' || c.is_digit(radix))
    {
        return None;
    }
    let clean: String = digits.chars().filter(|&c| c != '_').collect();
    let magnitude = i128::from_str_radix(&clean, radix).ok()?;
    let v = if neg { -magnitude } else { magnitude };
    i64::try_from(v).ok()
}

/// Base-10 floats as Psych accepts them: digits, a dot, optional digits and exponent
/// (`1.5`, `1.`, `.5`, `1_000.5`, `1.5e-3`).
pub fn parse_float(s: &str) -> Option<f64> {
    let (neg, body) = split_sign(s);
    let (mantissa, exp) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let (int_part, frac) = mantissa.split_once('.')?;
    let int_ok = int_part.is_empty()
        || (int_part.starts_with(|c: char| c.is_ascii_digit())
            && int_part.chars().all(|c| c.is_ascii_digit() || c == '_'));
    if !int_ok {
        return None;
    }
    if !frac.chars().all(|c| c.is_ascii_digit() || c == '_') {
        return None;
    }
    if int_part.is_empty() && frac.is_empty() {
        return None;
    }
    let mut text = String::new();
    if neg {
        text.push('-');
    }
    text.extend(int_part.chars().filter(|&c| c != '_'));
    if text.is_empty() || text == "-" {
        text.push('0');
    }
    text.push('.');
    text.extend(frac.chars().filter(|&c| c != '_'));
    text.push('0');
    if let Some(e) = exp {
        let (eneg, edigits) = split_sign(e);
        if edigits.is_empty() || !edigits.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        text.push('e');
        if eneg {
            text.push('-');
        }
        text.push_str(edigits);
    }
    text.parse().ok()
}

/// YAML 1.1 base-60 numbers: `1:30` is 90, `1:30.5` is 90.5.
fn parse_sexagesimal(s: &str) -> Option<Value> {
    let (neg, body) = split_sign(s);
    let mut parts = body.split(':');
    let first = parts.next()?;
    if first.is_empty()
        || !first.starts_with(|c: char| c.is_ascii_digit())
        || !first.chars().all(|c| c.is_ascii_digit() || c == '_')
    {
        return None;
    }
    let rest: Vec<&str> = parts.collect();
    if rest.is_empty() || rest.len() > 2 {
        return None;
    }
    let mut total: f64 = first.replace('_', "").parse::<f64>().ok()?;
    let mut fraction = None;
    for (i, part) in rest.iter().enumerate() {
        let (whole, frac) = match part.split_once('.') {
            Some((w, f)) if i == rest.len() - 1 => (w, Some(f)),
            Some(_) => return None,
            None => (*part, None),
        };
        if whole.is_empty() || whole.len() > 2 || !whole.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let n: u32 = whole.parse().ok()?;
        if n > 59 {
            return None;
        }
        total = total * 60.0 + f64::from(n);
        if let Some(f) = frac {
            if !f.chars().all(|c| c.is_ascii_digit() || c == '_') {
                return None;
            }
            fraction = Some(f.replace('_', ""));
        }
    }
    let sign = if neg { -1.0 } else { 1.0 };
    match fraction {
        Some(f) => {
            let x: f64 = format!("0.{f}0").parse().ok()?;
            Some(Value::Float(sign * (total + x)))
        }
        None if total < 9.0e15 => Some(Value::Int((sign * total) as i64)),
        None => None,
    }
}

fn take_digits(s: &str, min: usize, max: usize) -> Option<(&str, &str)> {
    let n = s.bytes().take_while(u8::is_ascii_digit).take(max).count();
    if n < min {
        return None;
    }
    Some((&s[..n], &s[n..]))
}

/// `2024-05-07`, `2024-5-7`, `2024-05-07T10:00:00Z`, `2015-10-22 15:59:00 -0400`,
/// `2001-12-14t21:59:43.10-05:00`. Impossible dates (`2024-02-30`) are not timestamps.
pub fn parse_timestamp(s: &str) -> Option<Timestamp> {
    let (y, r) = take_digits(s, 4, 4)?;
    let r = r.strip_prefix('-')?;
    let (m, r) = take_digits(r, 1, 2)?;
    let r = r.strip_prefix('-')?;
    let (d, r) = take_digits(r, 1, 2)?;
    let year: i32 = y.parse().ok()?;
    let month: u8 = m.parse().ok()?;
    let day: u8 = d.parse().ok()?;
    if !blogtrack_calendar::is_valid(i64::from(year), u32::from(month), u32::from(day)) {
        return None;
    }
    let mut ts = Timestamp {
        year,
        month,
        day,
        hour: 0,
        minute: 0,
        second: 0,
        nanosecond: 0,
        offset_minutes: None,
        date_only: true,
        raw: s.to_string(),
    };
    if r.is_empty() {
        return Some(ts);
    }
    let r = if let Some(t) = r.strip_prefix(['T', 't']) {
        t
    } else {
        let t = r.trim_start_matches([' ', '\t']);
        if t.len() == r.len() {
            return None;
        }
        t
    };
    let (h, r) = take_digits(r, 1, 2)?;
    let r = r.strip_prefix(':')?;
    let (mi, r) = take_digits(r, 2, 2)?;
    let r = r.strip_prefix(':')?;
    let (se, mut r) = take_digits(r, 2, 2)?;
    ts.hour = h.parse().ok()?;
    ts.minute = mi.parse().ok()?;
    ts.second = se.parse().ok()?;
    if ts.hour > 23 || ts.minute > 59 || ts.second > 60 {
        return None;
    }
    if let Some(f) = r.strip_prefix('.') {
        let n = f.bytes().take_while(u8::is_ascii_digit).count();
        let digits = &f[..n];
        let mut nanos: u32 = 0;
        for (i, c) in digits.bytes().take(9).enumerate() {
            nanos += u32::from(c - b'0') * 10u32.pow(8 - i as u32);
        }
        ts.nanosecond = nanos;
        r = &f[n..];
    }
    let r = r.trim_start_matches([' ', '\t']);
    if r == "Z" {
        ts.offset_minutes = Some(0);
    } else if !r.is_empty() {
        let (neg, z) = match r.as_bytes()[0] {
            b'+' => (false, &r[1..]),
            b'-' => (true, &r[1..]),
            _ => return None,
        };
        let (zh, z) = take_digits(z, 1, 2)?;
        let z = z.strip_prefix(':').unwrap_or(z);
        let zm = if z.is_empty() {
            "0"
        } else {
            let (zm, rest) = take_digits(z, 2, 2)?;
            if !rest.is_empty() {
                return None;
            }
            zm
        };
        let (zh, zm): (i32, i32) = (zh.parse().ok()?, zm.parse().ok()?);
        if zh > 23 || zm > 59 {
            return None;
        }
        let off = zh * 60 + zm;
        ts.offset_minutes = Some(if neg { -off } else { off });
    }
    ts.date_only = false;
    Some(ts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: &str) -> Value {
        resolve_plain(s)
    }

    #[test]
    fn nulls() {
        for s in ["", "~", "null", "Null", "NULL"] {
            assert_eq!(r(s), Value::Null, "{s:?}");
        }
        assert_eq!(r("nil"), Value::Str("nil".into()));
    }

    #[test]
    fn yaml_1_1_booleans() {
        for s in [
            "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON",
        ] {
            assert_eq!(r(s), Value::Bool(true), "{s:?}");
        }
        for s in [
            "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF",
        ] {
            assert_eq!(r(s), Value::Bool(false), "{s:?}");
        }
        assert_eq!(r("y"), Value::Str("y".into()));
        assert_eq!(r("n"), Value::Str("n".into()));
        assert_eq!(r("yess"), Value::Str("yess".into()));
    }

    #[test]
    fn integers_in_every_base() {
        assert_eq!(r("42"), Value::Int(42));
        assert_eq!(r("-17"), Value::Int(-17));
        assert_eq!(r("+3"), Value::Int(3));
        assert_eq!(r("0"), Value::Int(0));
        assert_eq!(r("1_000_000"), Value::Int(1_000_000));
        assert_eq!(r("0x1F"), Value::Int(31));
        assert_eq!(r("0b101"), Value::Int(5));
        assert_eq!(r("0o17"), Value::Int(15));
        assert_eq!(r("017"), Value::Int(15));
        assert_eq!(r("-0x10"), Value::Int(-16));
        assert_eq!(r("1:30"), Value::Int(90));
        assert_eq!(r("09"), Value::Str("09".into()), "not octal, not decimal");
        assert_eq!(r("0x"), Value::Str("0x".into()));
        assert_eq!(
            r("99999999999999999999"),
            Value::Str("99999999999999999999".into())
        );
    }

    #[test]
    fn floats_need_a_dot_like_psych() {
        assert_eq!(r("1.5"), Value::Float(1.5));
        assert_eq!(r("-0.25"), Value::Float(-0.25));
        assert_eq!(r("1."), Value::Float(1.0));
        assert_eq!(r(".5"), Value::Float(0.5));
        assert_eq!(r("1.5e3"), Value::Float(1500.0));
        assert_eq!(r("1.0e-2"), Value::Float(0.01));
        assert_eq!(r("1_000.5"), Value::Float(1000.5));
        assert_eq!(r(".inf"), Value::Float(f64::INFINITY));
        assert_eq!(r("-.Inf"), Value::Float(f64::NEG_INFINITY));
        assert!(matches!(r(".NaN"), Value::Float(x) if x.is_nan()));
        assert_eq!(r("1e3"), Value::Str("1e3".into()));
        assert_eq!(r("."), Value::Str(".".into()));
        assert_eq!(r("1.2.3"), Value::Str("1.2.3".into()));
    }

    #[test]
    fn dates_and_times() {
        let Value::Timestamp(d) = r("2024-05-07") else {
            panic!("not a date")
        };
        assert_eq!((d.year, d.month, d.day, d.date_only), (2024, 5, 7, true));

        let Value::Timestamp(t) = r("2015-10-22 15:59:00-0400") else {
            panic!("not a time")
        };
        assert_eq!((t.hour, t.minute, t.second), (15, 59, 0));
        assert_eq!(t.offset_minutes, Some(-240));
        assert_eq!(t.raw, "2015-10-22 15:59:00-0400");

        let Value::Timestamp(z) = r("2024-05-07T10:00:00Z") else {
            panic!("not a time")
        };
        assert_eq!(z.offset_minutes, Some(0));

        let Value::Timestamp(f) = r("2001-12-14t21:59:43.10 -05:00") else {
            panic!("not a time")
        };
        assert_eq!((f.nanosecond, f.offset_minutes), (100_000_000, Some(-300)));

        let Value::Timestamp(n) = r("2001-12-14 21:59:43") else {
            panic!("not a time")
        };
        assert_eq!(n.offset_minutes, None);

        assert!(matches!(r("2024-5-7"), Value::Timestamp(_)));
        assert_eq!(r("2024-02-30"), Value::Str("2024-02-30".into()));
        assert_eq!(r("2024-05-07 noon"), Value::Str("2024-05-07 noon".into()));
    }

    #[test]
    fn everything_else_is_a_string() {
        for s in ["hello", "Foo Bar", "1.2.3", "v2", "-", "0.5x", "12:75"] {
            assert_eq!(r(s), Value::Str(s.into()), "{s:?}");
        }
    }
}
