//! The track's deadlines and the phase they put the track in.
//!
//! Calls for papers give deadlines "AoE" (Anywhere on Earth, UTC−12): a deadline of
//! `2025-01-15` closes when 15 January ends everywhere, at 2025-01-16 12:00 UTC. A deadline is
//! kept as the first instant (Unix seconds, UTC) at which the action is no longer allowed, so
//! "open" is `now < deadline`. The clock is always an argument: the server's clock is injected,
//! fake in tests.

use serde::{Deserialize, Serialize};

/// Seconds between AoE (UTC−12) and UTC.
const AOE_OFFSET: i64 = 12 * 3600;

/// The deadlines the review uses; a missing one never closes its phase.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dates {
    /// Authors create and edit submissions before this instant.
    pub submission: Option<i64>,
    /// Reviewers bid before this instant (and after the submission deadline).
    pub bidding: Option<i64>,
    /// Reviewers submit reviews before this instant (later only where an organizer reopened).
    pub review: Option<i64>,
    /// The author response period runs from the review deadline to this instant.
    pub response: Option<i64>,
    /// Decisions are released to authors and reviewers at this instant (never without it).
    pub decisions: Option<i64>,
}

/// Where the track is at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    Submission,
    Bidding,
    Reviewing,
    Closed,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Submission => "submission",
            Phase::Bidding => "bidding",
            Phase::Reviewing => "reviewing",
            Phase::Closed => "closed",
        }
    }
}

impl Dates {
    pub fn phase(&self, now: i64) -> Phase {
        let before = |d: Option<i64>| d.is_none_or(|d| now < d);
        if self.submission.is_some_and(|d| now < d) {
            Phase::Submission
        } else if self.bidding.is_some_and(|d| now < d) {
            Phase::Bidding
        } else if before(self.review) {
            Phase::Reviewing
        } else {
            Phase::Closed
        }
    }

    pub fn submissions_open(&self, now: i64) -> bool {
        self.submission.is_none_or(|d| now < d)
    }

    pub fn bidding_open(&self, now: i64) -> bool {
        self.bidding.is_none_or(|d| now < d)
    }

    pub fn reviews_open(&self, now: i64) -> bool {
        self.review.is_none_or(|d| now < d)
    }

    /// Has the author response period begun (the review deadline passed)? Authors read the
    /// messages addressed to them from then on.
    pub fn response_started(&self, now: i64) -> bool {
        self.review.is_some_and(|d| now >= d)
    }

    /// May authors write their response now?
    pub fn response_open(&self, now: i64) -> bool {
        self.response_started(now) && self.response.is_none_or(|d| now < d)
    }

    /// Discussion and meta-reviews close when decisions are released.
    pub fn discussion_open(&self, now: i64) -> bool {
        self.decisions.is_none_or(|d| now < d)
    }

    /// Are decisions released (shown to authors and reviewers)? Never without a date.
    pub fn decisions_released(&self, now: i64) -> bool {
        self.decisions.is_some_and(|d| now >= d)
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// The instant a deadline written as a date (and optionally a time) closes. A bare date
/// closes at the end of that day AoE; a time without zone is read as AoE; `offset_minutes`
/// (east of UTC) overrides AoE when the text gives a zone.
pub fn deadline_instant(
    (year, month, day): (i64, i64, i64),
    time: Option<(i64, i64, i64)>,
    offset_minutes: Option<i64>,
) -> Option<i64> {
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let days = days_from_civil(year, month, day);
    match time {
        None => Some((days + 1) * 86400 + AOE_OFFSET),
        Some((h, mi, s)) => {
            if !(0..24).contains(&h) || !(0..60).contains(&mi) || !(0..61).contains(&s) {
                return None;
            }
            let local = days * 86400 + h * 3600 + mi * 60 + s;
            Some(match offset_minutes {
                Some(off) => local - off * 60,
                None => local + AOE_OFFSET,
            })
        }
    }
}

/// Reads a deadline as text: `2025-01-15`, `2025-01-15 23:59`, `2025-01-15T23:59:59`, each
/// optionally followed by `AoE`; `Z` or `UTC` mark a UTC time.
pub fn parse_deadline(text: &str) -> Option<i64> {
    let t = text.trim();
    let (t, utc) = if let Some(r) = t.strip_suffix("AoE").or_else(|| t.strip_suffix("AOE")) {
        (r.trim_end(), false)
    } else if let Some(r) = t.strip_suffix("UTC").or_else(|| t.strip_suffix('Z')) {
        (r.trim_end(), true)
    } else {
        (t, false)
    };
    let (date, time) = match t.split_once(['T', ' ']) {
        Some((d, tm)) => (d, Some(tm.trim())),
        None => (t, None),
    };
    let mut parts = date.split('-');
    let num = |p: Option<&str>, len: usize| -> Option<i64> {
        let p = p?;
        (p.len() == len && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    let ymd = (
        num(parts.next(), 4)?,
        num(parts.next(), 2)?,
        num(parts.next(), 2)?,
    );
    if parts.next().is_some() {
        return None;
    }
    let hms = match time {
        None => None,
        Some(tm) => {
            let mut p = tm.split(':');
            let h = num(p.next(), 2)?;
            let m = num(p.next(), 2)?;
            let s = match p.next() {
                Some(s) => num(Some(s), 2)?,
                None => 0,
            };
            if p.next().is_some() {
                return None;
            }
            Some((h, m, s))
        }
    };
    deadline_instant(ymd, hms, utc.then_some(0))
}

/// An instant as `YYYY-MM-DD HH:MM AoE`, how the pages show deadlines.
pub fn format_aoe(instant: i64) -> String {
    let local = instant - AOE_OFFSET;
    let days = local.div_euclid(86400);
    let secs = local.rem_euclid(86400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} AoE",
        secs / 3600,
        (secs % 3600) / 60
    )
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_date_closes_at_noon_utc_the_next_day() {
        // 2025-01-16T12:00:00Z
        assert_eq!(parse_deadline("2025-01-15"), Some(1_737_028_800));
        assert_eq!(parse_deadline("2025-01-15 AoE"), Some(1_737_028_800));
    }

    #[test]
    fn times_are_aoe_unless_marked_utc() {
        let aoe = parse_deadline("2025-01-15 23:59").unwrap();
        assert_eq!(aoe, 1_737_028_800 - 60);
        assert_eq!(
            parse_deadline("2025-01-15T23:59:00Z").unwrap(),
            aoe - 12 * 3600
        );
    }

    #[test]
    fn bad_dates_are_refused() {
        for bad in [
            "2025-02-30",
            "2025-13-01",
            "25-01-01",
            "2025-01-15 25:00",
            "soon",
            "",
        ] {
            assert_eq!(parse_deadline(bad), None, "{bad}");
        }
        assert!(parse_deadline("2024-02-29").is_some());
    }

    #[test]
    fn format_is_the_inverse_of_parse() {
        let t = parse_deadline("2025-03-01 17:30").unwrap();
        assert_eq!(format_aoe(t), "2025-03-01 17:30 AoE");
    }

    #[test]
    fn phases_follow_the_clock() {
        let d = Dates {
            submission: Some(100),
            bidding: Some(200),
            review: Some(300),
            ..Dates::default()
        };
        assert_eq!(d.phase(99), Phase::Submission);
        assert_eq!(d.phase(100), Phase::Bidding);
        assert_eq!(d.phase(250), Phase::Reviewing);
        assert_eq!(d.phase(300), Phase::Closed);
        assert!(d.submissions_open(99) && !d.submissions_open(100));
        assert!(d.reviews_open(299) && !d.reviews_open(300));
        assert_eq!(Dates::default().phase(0), Phase::Reviewing);
    }

    #[test]
    fn the_response_runs_from_the_review_deadline_and_decisions_release_at_their_date() {
        let d = Dates {
            review: Some(300),
            response: Some(400),
            decisions: Some(500),
            ..Dates::default()
        };
        assert!(!d.response_started(299) && !d.response_open(299));
        assert!(d.response_started(300) && d.response_open(399));
        assert!(d.response_started(400) && !d.response_open(400));
        assert!(d.discussion_open(499) && !d.discussion_open(500));
        assert!(!d.decisions_released(499) && d.decisions_released(500));
        assert!(!Dates::default().decisions_released(i64::MAX));
        assert!(!Dates::default().response_started(i64::MAX));
    }
}
