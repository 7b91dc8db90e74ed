//! Calendar dates as posts use them: parsed from file names (`2024-05-07-name.md`), from YAML
//! timestamps and from strings such as `"2024-05-07 10:00:00 +0200"`.
//!
//! Only the calendar date is kept: post URLs (`:year`), listings and citations need nothing finer,
//! and keeping the date exactly as written avoids Jekyll's time-zone surprises.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
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

impl Date {
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        let d = Date { year, month, day };
        blogtrack_calendar::is_valid(i64::from(year), u32::from(month), u32::from(day)).then_some(d)
    }

    /// Parses `YYYY-MM-DD` at the start of `s`; returns the date and the rest.
    pub fn parse_prefix(s: &str) -> Option<(Date, &str)> {
        let b = s.as_bytes();
        if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            let part = s.get(r)?;
            if part.bytes().all(|c| c.is_ascii_digit()) {
                part.parse().ok()
            } else {
                None
            }
        };
        let d = Date::new(num(0..4)? as i32, num(5..7)? as u8, num(8..10)? as u8)?;
        Some((d, &s[10..]))
    }

    /// Parses a date as written in front matter: `2024-05-07`, optionally followed by a time and
    /// zone (`2024-05-07 10:00:00 +0200`, `2024-05-07T10:00:00Z`), which are ignored.
    pub fn parse_loose(s: &str) -> Option<Date> {
        let s = s.trim();
        let (d, rest) = Date::parse_prefix(s)?;
        let ok_rest = rest.is_empty()
            || rest.starts_with(' ')
            || rest.starts_with('T')
            || rest.starts_with('t')
            || rest.starts_with('\t');
        ok_rest.then_some(d)
    }

    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// "May 7, 2024".
    pub fn display(&self) -> String {
        format!("{} {}, {}", self.month_name(), self.day, self.year)
    }

    pub fn month_name(&self) -> &'static str {
        MONTHS[(self.month.clamp(1, 12) - 1) as usize]
    }

    /// `2024/05/07` as Google Scholar wants it.
    pub fn slashed(&self) -> String {
        format!("{:04}/{:02}/{:02}", self.year, self.month, self.day)
    }

    /// RFC 3339 at midnight UTC, for Atom feeds.
    pub fn rfc3339(&self) -> String {
        format!("{}T00:00:00Z", self.iso())
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_file_name_prefix() {
        let (d, rest) = Date::parse_prefix("2024-05-07-bench-hvp.md").unwrap();
        assert_eq!(d, Date::new(2024, 5, 7).unwrap());
        assert_eq!(rest, "-bench-hvp.md");
        assert!(Date::parse_prefix("2024-13-07-x").is_none());
        assert!(Date::parse_prefix("2023-02-29-x").is_none());
        assert!(Date::parse_prefix("2024-02-29-x").is_some());
        assert!(Date::parse_prefix("24-05-07").is_none());
    }

    #[test]
    fn parses_front_matter_dates() {
        let d = Date::new(2015, 10, 22).unwrap();
        assert_eq!(Date::parse_loose("2015-10-22 15:59:00-0400"), Some(d));
        assert_eq!(Date::parse_loose("2015-10-22T15:59:00Z"), Some(d));
        assert_eq!(Date::parse_loose(" 2015-10-22 "), Some(d));
        assert_eq!(Date::parse_loose("2015-10-22x"), None);
        assert_eq!(Date::parse_loose("yesterday"), None);
    }

    #[test]
    fn formats() {
        let d = Date::new(2024, 5, 7).unwrap();
        assert_eq!(d.display(), "May 7, 2024");
        assert_eq!(d.slashed(), "2024/05/07");
        assert_eq!(d.rfc3339(), "2024-05-07T00:00:00Z");
    }
}
