//! The proleptic Gregorian calendar, written once for every stage that turns dates into day
//! numbers and back: front-matter and YAML timestamps (`blogtrack-yaml`), Liquid's `date`
//! filter, the track's AoE deadlines (`blogtrack-dates`) and post dates in file names.
//!
//! Day numbers count days since 1970-01-01 (negative before it), so a Unix timestamp's day is
//! `t.div_euclid(86_400)`. Years are `i64` so that no caller can overflow them; months are
//! 1–12 and days 1–31.
//!
//! Why not a crate from crates.io: the date crates (chrono, time, jiff) bring time zones, parsing
//! and formatting that each stage already does its own way (Jekyll's, YAML's, AoE); what is
//! shared is these five functions (Howard Hinnant's `days_from_civil` algorithm).

/// Whether `year` has a 29 February.
pub fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Days in `month` (1–12) of `year`; 0 for a month that does not exist.
pub fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Whether `year-month-day` is a date of the calendar (no 30 February, no month 13).
pub fn is_valid(year: i64, month: u32, day: u32) -> bool {
    day >= 1 && day <= days_in_month(year, month)
}

/// Days since 1970-01-01 of a civil date.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let (m, d) = (i64::from(month), i64::from(day));
    let y = year - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date (year, month, day) of a day number from [`days_from_civil`].
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Day of the week of a day number: 0 is Sunday (1970-01-01 was a Thursday, 4).
pub fn weekday(days: i64) -> u32 {
    (days + 4).rem_euclid(7) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_round_trip_over_four_centuries() {
        for days in -146_097..146_097 * 2 {
            let (y, m, d) = civil_from_days(days);
            assert!(is_valid(y, m, d), "{y}-{m}-{d}");
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }

    #[test]
    fn known_dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(weekday(days_from_civil(2024, 5, 7)), 2); // a Tuesday
        assert_eq!(weekday(days_from_civil(1969, 12, 28)), 0); // a Sunday
    }

    #[test]
    fn leap_years_and_month_lengths() {
        assert!(is_leap(2024) && is_leap(2000) && !is_leap(1900) && !is_leap(2023));
        assert_eq!(days_in_month(2024, 2), 29);
        assert_eq!(days_in_month(2100, 2), 28);
        assert_eq!(days_in_month(2024, 13), 0);
        assert!(!is_valid(2024, 2, 30) && !is_valid(2024, 4, 31) && is_valid(2024, 12, 31));
        assert!(!is_valid(2024, 0, 1) && !is_valid(2024, 1, 0));
    }
}
