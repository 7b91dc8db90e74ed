//! Dates for the `date` filter and Jekyll's `date_to_*` filters.
//!
//! Dates reach templates as strings (`2024-05-07`, `2024-05-07 10:00:00 +0200`) or Unix
//! timestamps; this module parses those forms and formats them with a `strftime` subset (the
//! directives Jekyll sites use). It does no time-zone conversion: a date prints in the offset
//! it was written with, which is what a post's front matter means.

use std::fmt::Write as _;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateTime {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    /// Offset from UTC in seconds.
    pub offset: i32,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

fn num(s: &str, i: &mut usize, max_len: usize) -> Option<i64> {
    let b = s.as_bytes();
    let st = *i;
    while *i < b.len() && *i - st < max_len && b[*i].is_ascii_digit() {
        *i += 1;
    }
    if *i == st {
        return None;
    }
    s[st..*i].parse().ok()
}

use blogtrack_calendar::{civil_from_days, days_from_civil};

impl DateTime {
    /// A Unix timestamp, in UTC.
    pub fn from_timestamp(t: i64) -> DateTime {
        let days = t.div_euclid(86400);
        let secs = t.rem_euclid(86400);
        let (year, month, day) = civil_from_days(days);
        DateTime {
            year,
            month,
            day,
            hour: (secs / 3600) as u32,
            minute: (secs % 3600 / 60) as u32,
            second: (secs % 60) as u32,
            offset: 0,
        }
    }

    /// `YYYY-MM-DD[( |T)HH:MM[:SS[.frac]]][ ](Z|±HH[:]MM)`; `None` for anything else.
    pub fn parse(s: &str) -> Option<DateTime> {
        let s = s.trim();
        if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
            return s.parse().ok().map(Self::from_timestamp);
        }
        let b = s.as_bytes();
        let mut i = 0;
        let year = num(s, &mut i, 4)?;
        (b.get(i) == Some(&b'-')).then_some(())?;
        i += 1;
        let month = num(s, &mut i, 2)? as u32;
        (b.get(i) == Some(&b'-')).then_some(())?;
        i += 1;
        let day = num(s, &mut i, 2)? as u32;
        if !blogtrack_calendar::is_valid(year, month, day) {
            return None;
        }
        let mut dt = DateTime {
            year,
            month,
            day,
            hour: 0,
            minute: 0,
            second: 0,
            offset: 0,
        };
        if matches!(b.get(i), Some(b' ' | b'T' | b't'))
            && b.get(i + 1).is_some_and(u8::is_ascii_digit)
        {
            i += 1;
            dt.hour = num(s, &mut i, 2)? as u32;
            (b.get(i) == Some(&b':')).then_some(())?;
            i += 1;
            dt.minute = num(s, &mut i, 2)? as u32;
            if b.get(i) == Some(&b':') {
                i += 1;
                dt.second = num(s, &mut i, 2)? as u32;
                if b.get(i) == Some(&b'.') {
                    i += 1;
                    num(s, &mut i, 9)?;
                }
            }
            if dt.hour > 23 || dt.minute > 59 || dt.second > 60 {
                return None;
            }
        }
        while b.get(i) == Some(&b' ') {
            i += 1;
        }
        match b.get(i) {
            None => {}
            Some(b'Z' | b'z') if i + 1 == b.len() => {}
            Some(&sign @ (b'+' | b'-')) => {
                i += 1;
                let h = num(s, &mut i, 2)?;
                if b.get(i) == Some(&b':') {
                    i += 1;
                }
                let m = num(s, &mut i, 2).unwrap_or(0);
                let off = (h * 3600 + m * 60) as i32;
                dt.offset = if sign == b'-' { -off } else { off };
            }
            Some(_) if s[i..].eq_ignore_ascii_case("UTC") || s[i..].eq_ignore_ascii_case("GMT") => {
            }
            Some(_) => return None,
        }
        (i <= b.len()).then_some(dt)
    }

    fn weekday(&self) -> usize {
        blogtrack_calendar::weekday(days_from_civil(self.year, self.month, self.day)) as usize
    }

    fn yday(&self) -> u32 {
        (days_from_civil(self.year, self.month, self.day) - days_from_civil(self.year, 1, 1)) as u32
            + 1
    }

    /// The Unix timestamp of this date-time (its offset taken into account); the inverse of
    /// [`DateTime::from_timestamp`].
    pub fn timestamp(&self) -> i64 {
        days_from_civil(self.year, self.month, self.day) * 86400
            + i64::from(self.hour * 3600 + self.minute * 60 + self.second)
            - i64::from(self.offset)
    }

    /// Ruby's `strftime` for the common directives, with the `-` (no padding), `_` (space
    /// padding) and `^` (upper case) flags. Unknown directives are copied as written.
    pub fn strftime(&self, fmt: &str) -> String {
        let mut out = String::with_capacity(fmt.len() + 8);
        let mut chars = fmt.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '%' {
                out.push(c);
                continue;
            }
            let mut flag = None;
            while let Some(&f) = chars.peek() {
                if matches!(f, '-' | '_' | '^' | '0' | ':') {
                    flag = Some(f);
                    chars.next();
                } else {
                    break;
                }
            }
            let Some(d) = chars.next() else {
                out.push('%');
                break;
            };
            let pad = |out: &mut String, v: i64, width: usize, default_pad: char| match flag {
                Some('-') => {
                    let _ = write!(out, "{v}");
                }
                Some('_') => {
                    let _ = write!(out, "{v:>width$}");
                }
                _ if default_pad == ' ' => {
                    let _ = write!(out, "{v:>width$}");
                }
                _ => {
                    let _ = write!(out, "{v:0width$}");
                }
            };
            let text = |out: &mut String, s: &str| {
                if flag == Some('^') {
                    out.push_str(&s.to_uppercase());
                } else {
                    out.push_str(s);
                }
            };
            let h12 = match self.hour % 12 {
                0 => 12,
                h => h,
            };
            match d {
                'Y' => pad(&mut out, self.year, 4, '0'),
                'C' => pad(&mut out, self.year / 100, 2, '0'),
                'y' => pad(&mut out, self.year.rem_euclid(100), 2, '0'),
                'm' => pad(&mut out, self.month.into(), 2, '0'),
                'd' => pad(&mut out, self.day.into(), 2, '0'),
                'e' => pad(&mut out, self.day.into(), 2, ' '),
                'j' => pad(&mut out, self.yday().into(), 3, '0'),
                'H' => pad(&mut out, self.hour.into(), 2, '0'),
                'k' => pad(&mut out, self.hour.into(), 2, ' '),
                'I' => pad(&mut out, h12.into(), 2, '0'),
                'l' => pad(&mut out, h12.into(), 2, ' '),
                'M' => pad(&mut out, self.minute.into(), 2, '0'),
                'S' => pad(&mut out, self.second.into(), 2, '0'),
                'L' => out.push_str("000"),
                'p' => text(&mut out, if self.hour < 12 { "AM" } else { "PM" }),
                'P' => out.push_str(if self.hour < 12 { "am" } else { "pm" }),
                'A' => text(&mut out, DAYS[self.weekday()]),
                'a' => text(&mut out, &DAYS[self.weekday()][..3]),
                'B' => text(&mut out, MONTHS[(self.month - 1) as usize]),
                'b' | 'h' => text(&mut out, &MONTHS[(self.month - 1) as usize][..3]),
                'u' => {
                    let w = self.weekday();
                    out.push_str(&(if w == 0 { 7 } else { w }).to_string())
                }
                'w' => out.push_str(&self.weekday().to_string()),
                's' => out.push_str(&self.timestamp().to_string()),
                'z' => {
                    let sign = if self.offset < 0 { '-' } else { '+' };
                    let o = self.offset.unsigned_abs();
                    let sep = if flag == Some(':') { ":" } else { "" };
                    let _ = write!(out, "{sign}{:02}{sep}{:02}", o / 3600, o % 3600 / 60);
                }
                'Z' => {
                    if self.offset == 0 {
                        out.push_str("UTC");
                    } else {
                        let sign = if self.offset < 0 { '-' } else { '+' };
                        let o = self.offset.unsigned_abs();
                        let _ = write!(out, "{sign}{:02}{:02}", o / 3600, o % 3600 / 60);
                    }
                }
                'F' => out.push_str(&self.strftime("%Y-%m-%d")),
                'T' | 'X' => out.push_str(&self.strftime("%H:%M:%S")),
                'R' => out.push_str(&self.strftime("%H:%M")),
                'D' | 'x' => out.push_str(&self.strftime("%m/%d/%y")),
                'c' => out.push_str(&self.strftime("%a %b %e %H:%M:%S %Y")),
                'n' => out.push('\n'),
                't' => out.push('\t'),
                '%' => out.push('%'),
                other => {
                    out.push('%');
                    if let Some(f) = flag {
                        out.push(f);
                    }
                    out.push(other);
                }
            }
        }
        out
    }
}

/// An English ordinal suffix (`1st`, `2nd`, `11th`), for Jekyll's ordinal date styles.
pub fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dt(s: &str) -> DateTime {
        DateTime::parse(s).unwrap_or_else(|| panic!("{s} should parse"))
    }

    #[test]
    fn parses_front_matter_dates() {
        assert_eq!(
            dt("2024-05-07").strftime("%Y-%m-%d %H:%M"),
            "2024-05-07 00:00"
        );
        assert_eq!(
            dt("2023-05-01 10:30:00 +0200").strftime("%Y-%m-%dT%H:%M:%S%:z"),
            "2023-05-01T10:30:00+02:00"
        );
        assert!(DateTime::parse("2024-02-30").is_none());
        assert!(DateTime::parse("next tuesday").is_none());
    }

    #[test]
    fn formats_names_and_flags() {
        let d = dt("2024-05-07");
        assert_eq!(
            d.strftime("%a %A %b %B %-d %e %j"),
            "Tue Tuesday May May 7  7 128"
        );
        assert_eq!(d.strftime("%^b %s"), "MAY 1715040000");
        assert_eq!(ordinal(22), "22nd");
    }
}
