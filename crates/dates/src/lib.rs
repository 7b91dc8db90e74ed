//! The track's key dates (`blogtrack.dates:` in `_config.yml`): one parser and one type, used by
//! the gate (the submission deadline freezes previews), by the pages (`{{ site.blogtrack.dates.… }}`)
//! and by the review server, whose phases (what each role may do when) follow from them. The
//! keys, in the order of the track's year: `abstract_deadline`, `submission_deadline`,
//! `bidding_deadline`, `reviews_deadline`, `author_response_deadline` (authors answer the
//! reviews between `reviews_deadline` and it), `meta_reviews_deadline`, `decisions` (the
//! release of the decisions to the authors) and `camera_ready_deadline`.
//!
//! A date is written as a date-time in AoE ("anywhere on Earth", UTC−12, the usual zone of ML
//! deadlines) or with an explicit zone: `2025-12-01` (the end of that day, AoE),
//! `2025-12-01 23:59 AoE`, `2025-12-01T12:00:00Z`, `2025-12-01 18:00 +02:00`, `… UTC`. A time
//! without a zone is refused: it would mean something else on every organizer's machine. Each
//! parsed date keeps its instant (seconds since the Unix epoch, UTC) and the zone it was written
//! in, so pages can show it as written and in UTC. A deadline is the last second it is open:
//! the action closes at [`TrackDates::closes_at`], one second later.

use blogtrack_diag::Diagnostic;
use blogtrack_yaml::{Node, Value};

/// Offset of AoE from UTC, in minutes.
pub const AOE_OFFSET_MINUTES: i32 = -12 * 60;

/// One of the track's milestones, in the order they happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Milestone {
    Abstract,
    Submission,
    /// Reviewers bid for submissions (the review server).
    Bidding,
    Reviews,
    /// Authors answer the reviews, from the reviews deadline until this one.
    AuthorResponse,
    MetaReviews,
    /// The decisions are released to the authors.
    Decisions,
    CameraReady,
}

/// Keys of an older review configuration, and the key that replaced each.
const RENAMED: &[(&str, &str)] = &[
    ("submission", "submission_deadline"),
    ("bidding", "bidding_deadline"),
    ("review", "reviews_deadline"),
    ("reviews", "reviews_deadline"),
    ("author_response", "author_response_deadline"),
    ("camera_ready", "camera_ready_deadline"),
];

impl Milestone {
    pub const ALL: [Milestone; 8] = [
        Milestone::Abstract,
        Milestone::Submission,
        Milestone::Bidding,
        Milestone::Reviews,
        Milestone::AuthorResponse,
        Milestone::MetaReviews,
        Milestone::Decisions,
        Milestone::CameraReady,
    ];

    /// The key under `blogtrack.dates:`.
    pub fn key(self) -> &'static str {
        match self {
            Milestone::Abstract => "abstract_deadline",
            Milestone::Submission => "submission_deadline",
            Milestone::Bidding => "bidding_deadline",
            Milestone::Reviews => "reviews_deadline",
            Milestone::AuthorResponse => "author_response_deadline",
            Milestone::MetaReviews => "meta_reviews_deadline",
            Milestone::Decisions => "decisions",
            Milestone::CameraReady => "camera_ready_deadline",
        }
    }

    /// How a sentence names it.
    pub fn label(self) -> &'static str {
        match self {
            Milestone::Abstract => "abstract deadline",
            Milestone::Submission => "submission deadline",
            Milestone::Bidding => "bidding deadline",
            Milestone::Reviews => "reviews deadline",
            Milestone::AuthorResponse => "author response deadline",
            Milestone::MetaReviews => "meta-reviews deadline",
            Milestone::Decisions => "release of the decisions",
            Milestone::CameraReady => "camera-ready deadline",
        }
    }

    pub fn from_key(key: &str) -> Option<Milestone> {
        Milestone::ALL.into_iter().find(|m| m.key() == key)
    }
}

/// A point in time and the zone it was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateTime {
    /// Seconds since 1970-01-01T00:00:00Z.
    pub unix: i64,
    /// Zone of the text, minutes east of UTC (AoE: −720).
    pub offset_minutes: i32,
    /// Written as AoE (or as a bare date, which means the end of that day AoE).
    pub aoe: bool,
}

/// One configured date, with where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyDate {
    pub milestone: Milestone,
    pub at: DateTime,
    pub line: u32,
    pub col: u32,
}

/// The `blogtrack.dates:` section: each milestone at most once, in milestone order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrackDates {
    pub dates: Vec<KeyDate>,
}

impl TrackDates {
    pub fn get(&self, m: Milestone) -> Option<&KeyDate> {
        self.dates.iter().find(|d| d.milestone == m)
    }

    /// Sets (or replaces) a milestone, keeping milestone order; for dates made by a program
    /// (the review demo, tests) rather than read from `_config.yml` (line and column 0).
    pub fn set(&mut self, m: Milestone, at: DateTime) -> &mut Self {
        self.dates.retain(|d| d.milestone != m);
        self.dates.push(KeyDate {
            milestone: m,
            at,
            line: 0,
            col: 0,
        });
        self.dates.sort_by_key(|d| d.milestone);
        self
    }

    /// The instant after which submissions are closed and previews frozen.
    pub fn submission_deadline(&self) -> Option<DateTime> {
        self.get(Milestone::Submission).map(|d| d.at)
    }

    /// The first instant (Unix seconds) at which milestone `m` is over: its last second plus
    /// one, so "open" is `now < closes_at`.
    pub fn closes_at(&self, m: Milestone) -> Option<i64> {
        self.get(m).map(|d| d.at.unix + 1)
    }

    /// Reads the section. Problems (unknown keys, unreadable dates) come back as diagnostics
    /// with the line in `_config.yml`; the dates that parse are kept.
    pub fn from_yaml(section: &Node, diags: &mut Vec<Diagnostic>) -> TrackDates {
        let Some(map) = section.as_map() else {
            if !matches!(section.value, Value::Null) {
                diags.push(
                    Diagnostic::error(
                        "config-dates",
                        format!(
                            "`blogtrack.dates` must be a map of dates, found {}",
                            section.type_name()
                        ),
                    )
                    .at(section.line, section.col)
                    .with_hint("write `dates:` followed by indented lines like `submission_deadline: 2025-12-01 23:59 AoE`"),
                );
            }
            return TrackDates::default();
        };
        let mut dates = TrackDates::default();
        for (key, node) in map {
            let Some(milestone) = Milestone::from_key(&key.name) else {
                diags.push(unknown_key(key));
                continue;
            };
            let text = match &node.value {
                Value::Null | Value::Seq(_) | Value::Map(_) => String::new(),
                _ => node.to_text().unwrap_or_default(),
            };
            if text.trim().is_empty() {
                // Left empty on purpose (e.g. by `init --from`): not set yet.
                continue;
            }
            match parse_date_time(&text) {
                Ok(at) => {
                    dates.set(milestone, at);
                    if let Some(d) = dates.dates.iter_mut().find(|d| d.milestone == milestone) {
                        (d.line, d.col) = (node.line, node.col);
                    }
                }
                Err(why) => diags.push(
                    Diagnostic::error(
                        "config-dates",
                        format!("`blogtrack.dates.{}`: `{}` {why}", key.name, text.trim()),
                    )
                    .at(node.line, node.col)
                    .with_hint(
                        "write a date-time in AoE or with its zone, e.g. `2025-12-01 23:59 AoE`, \
                         `2025-12-01T12:00:00Z` or `2025-12-01 18:00 +02:00`",
                    ),
                ),
            }
        }
        dates
    }

    /// Warnings for dates out of order, and for dates not in the year before the track's
    /// post date `(year, month, day)` (the conference): a page announcing a deadline a year
    /// off is a typo.
    pub fn consistency(&self, post_date: Option<(i32, u8, u8)>) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for pair in self.dates.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            if b.at.unix < a.at.unix {
                out.push(
                    Diagnostic::warning(
                        "config-dates-order",
                        format!(
                            "the {} ({}) is before the {} ({})",
                            b.milestone.label(),
                            b.at.written(),
                            a.milestone.label(),
                            a.at.written()
                        ),
                    )
                    .at(b.line, b.col)
                    .with_hint("dates follow the track's order: abstract, submission, bidding, reviews, author response, meta-reviews, decisions, camera-ready"),
                );
            }
        }
        if let Some((py, pm, pday)) = post_date {
            let iso = format!("{py:04}-{pm:02}-{pday:02}");
            let conference = days_from_civil(py, pm, pday) * 86_400 + 86_399;
            let year_before = conference - 366 * 86_400;
            for d in &self.dates {
                let (y, _, _, _, _) = d.at.local();
                if d.at.unix > conference || d.at.unix < year_before {
                    out.push(
                        Diagnostic::warning(
                            "config-dates-year",
                            format!(
                                "the {} ({}) is not in the year before the track's post date {iso}",
                                d.milestone.label(),
                                d.at.written(),
                            ),
                        )
                        .at(d.line, d.col)
                        .with_hint(format!(
                            "check the year ({y}): every date of the track falls between {} and {iso}",
                            civil_from_days(year_before.div_euclid(86_400)).0,
                        )),
                    );
                }
            }
        }
        out
    }
}

/// The diagnostic for a key under `blogtrack.dates` that is no milestone.
fn unknown_key(key: &blogtrack_yaml::Key) -> Diagnostic {
    let keys: Vec<&str> = Milestone::ALL.iter().map(|m| m.key()).collect();
    let d = Diagnostic::warning(
        "config-unknown-key",
        format!("unknown date `blogtrack.dates.{}`", key.name),
    )
    .at(key.line, key.col);
    let renamed = RENAMED
        .iter()
        .find(|(old, _)| key.name.eq_ignore_ascii_case(old))
        .map(|(_, new)| *new);
    match renamed.or_else(|| did_you_mean(&key.name, &keys)) {
        Some(s) => d.with_hint(format!("did you mean `{s}`?")),
        None => d.with_hint(format!("known dates: {}", keys.join(", "))),
    }
}

/// The candidate closest to `word` by edit distance, if close enough to be a likely typo.
fn did_you_mean<'c>(word: &str, candidates: &[&'c str]) -> Option<&'c str> {
    let w: Vec<char> = word.to_ascii_lowercase().chars().collect();
    let distance = |c: &str| {
        let c: Vec<char> = c.chars().collect();
        let mut prev: Vec<usize> = (0..=c.len()).collect();
        for (i, a) in w.iter().enumerate() {
            let mut cur = vec![i + 1; c.len() + 1];
            for (j, b) in c.iter().enumerate() {
                cur[j + 1] = (prev[j] + usize::from(a != b))
                    .min(prev[j + 1] + 1)
                    .min(cur[j] + 1);
            }
            prev = cur;
        }
        prev[c.len()]
    };
    candidates
        .iter()
        .map(|c| (distance(c), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

impl DateTime {
    /// An instant shown in AoE (for dates made by a program).
    pub fn aoe(unix: i64) -> DateTime {
        DateTime {
            unix,
            offset_minutes: AOE_OFFSET_MINUTES,
            aoe: true,
        }
    }

    /// Year, month, day, hour, minute in the zone it was written in.
    pub fn local(&self) -> (i32, u8, u8, u8, u8) {
        split(self.unix + i64::from(self.offset_minutes) * 60)
    }

    /// As written: `2025-12-01 23:59 AoE`, `2025-12-01 18:00 +02:00`, `2025-12-01 12:00 UTC`.
    pub fn written(&self) -> String {
        let (y, mo, d, h, mi) = self.local();
        let zone = if self.aoe {
            "AoE".to_string()
        } else if self.offset_minutes == 0 {
            "UTC".to_string()
        } else {
            let sign = if self.offset_minutes < 0 { '-' } else { '+' };
            let m = self.offset_minutes.abs();
            format!("{sign}{:02}:{:02}", m / 60, m % 60)
        };
        format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02} {zone}")
    }

    /// In AoE whatever zone it was written in: `2025-12-01 23:59 AoE`.
    pub fn in_aoe(&self) -> String {
        DateTime::aoe(self.unix).written()
    }

    /// `2025-12-02 11:59 UTC`.
    pub fn utc(&self) -> String {
        let (y, mo, d, h, mi) = split(self.unix);
        format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02} UTC")
    }

    /// RFC 3339 in UTC, for `<time datetime="…">`: `2025-12-02T11:59:59Z`.
    pub fn rfc3339(&self) -> String {
        let (y, mo, d, h, mi) = split(self.unix);
        let s = self.unix.rem_euclid(60);
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
    }

    /// As written, with the UTC equivalent when the zone is not UTC:
    /// `2025-12-01 23:59 AoE (2025-12-02 11:59 UTC)`.
    pub fn display(&self) -> String {
        if self.offset_minutes == 0 && !self.aoe {
            self.utc()
        } else {
            format!("{} ({})", self.written(), self.utc())
        }
    }
}

/// `YYYY-MM-DD` at the start of `s`, a real calendar date; the date and the rest.
fn parse_date_prefix(s: &str) -> Option<((i32, u8, u8), &str)> {
    let b = s.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = s.get(r)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())
            .flatten()
    };
    let (y, m, d) = (num(0..4)? as i32, num(5..7)? as u8, num(8..10)? as u8);
    blogtrack_calendar::is_valid(i64::from(y), u32::from(m), u32::from(d))
        .then_some(((y, m, d), &s[10..]))
}

/// Parses a date-time as `blogtrack.dates` accepts it (see the module doc). A bare date is the
/// last second of that day, AoE. `Err` says what is wrong, as the end of a sentence.
pub fn parse_date_time(text: &str) -> Result<DateTime, String> {
    let s = text.trim();
    let ((y, m, d), rest) = parse_date_prefix(s)
        .ok_or_else(|| "does not start with a date written YYYY-MM-DD".to_string())?;
    let days = days_from_civil(y, m, d);
    let rest = rest.trim_start();
    if rest.is_empty() || rest.eq_ignore_ascii_case("aoe") {
        let unix = days * 86_400 + 86_399 - i64::from(AOE_OFFSET_MINUTES) * 60;
        return Ok(DateTime::aoe(unix));
    }
    let rest = rest.strip_prefix(['T', 't']).unwrap_or(rest);
    let time_len = rest
        .find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.'))
        .unwrap_or(rest.len());
    let (time, zone) = rest.split_at(time_len);
    let mut parts = time.split(':');
    let num = |p: Option<&str>, max: u32| -> Result<u32, String> {
        let p = p.ok_or_else(|| "has a time that is not HH:MM or HH:MM:SS".to_string())?;
        let p = p.split('.').next().unwrap_or(p);
        match p.parse::<u32>() {
            Ok(n) if p.len() == 2 && n <= max => Ok(n),
            _ => Err("has a time that is not HH:MM or HH:MM:SS".to_string()),
        }
    };
    let h = num(parts.next(), 23)?;
    let mi = num(parts.next(), 59)?;
    let sec = match parts.next() {
        Some(p) => num(Some(p), 60)?.min(59),
        None => 0,
    };
    if parts.next().is_some() {
        return Err("has a time that is not HH:MM or HH:MM:SS".to_string());
    }
    let (offset_minutes, aoe) = parse_zone(zone.trim())?;
    let local = days * 86_400 + i64::from(h * 3600 + mi * 60 + sec);
    Ok(DateTime {
        unix: local - i64::from(offset_minutes) * 60,
        offset_minutes,
        aoe,
    })
}

/// `AoE`, `UTC`, `GMT`, `Z`, `+02:00`, `-0500`, `+02`, `UTC+2`.
fn parse_zone(z: &str) -> Result<(i32, bool), String> {
    let missing =
        || "has a time but no zone: add `AoE`, `UTC` or an offset such as `+02:00`".to_string();
    if z.is_empty() {
        return Err(missing());
    }
    let lower = z.to_ascii_lowercase();
    match lower.as_str() {
        "aoe" => return Ok((AOE_OFFSET_MINUTES, true)),
        "z" | "utc" | "gmt" => return Ok((0, false)),
        _ => {}
    }
    let off = lower
        .strip_prefix("utc")
        .or_else(|| lower.strip_prefix("gmt"))
        .unwrap_or(&lower)
        .trim();
    let bad = || format!("has a zone `{z}` that is not AoE, UTC or an offset such as `+02:00`");
    let (sign, digits) = match off.as_bytes().first() {
        Some(b'+') => (1, &off[1..]),
        Some(b'-') => (-1, &off[1..]),
        _ => return Err(bad()),
    };
    let digits: String = digits.chars().filter(|c| *c != ':').collect();
    if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let (h, m) = if digits.len() <= 2 {
        (digits.parse::<i32>().map_err(|_| bad())?, 0)
    } else {
        let (h, m) = digits.split_at(digits.len() - 2);
        (
            h.parse::<i32>().map_err(|_| bad())?,
            m.parse::<i32>().map_err(|_| bad())?,
        )
    };
    if h > 14 || m > 59 {
        return Err(bad());
    }
    Ok((sign * (h * 60 + m), false))
}

/// Days since 1970-01-01 of a civil date (the one calendar: [`blogtrack_calendar`]).
fn days_from_civil(y: i32, m: u8, d: u8) -> i64 {
    blogtrack_calendar::days_from_civil(i64::from(y), u32::from(m), u32::from(d))
}

/// The civil date of a day number from [`days_from_civil`] (years of this crate's range).
fn civil_from_days(z: i64) -> (i32, u8, u8) {
    let (y, m, d) = blogtrack_calendar::civil_from_days(z);
    (y as i32, m as u8, d as u8)
}

/// Year, month, day, hour, minute of a Unix timestamp, in UTC.
fn split(t: i64) -> (i32, u8, u8, u8, u8) {
    let (y, m, d) = civil_from_days(t.div_euclid(86_400));
    let secs = t.rem_euclid(86_400);
    (y, m, d, (secs / 3600) as u8, ((secs % 3600) / 60) as u8)
}

#[cfg(test)]
mod tests {

    use super::*;

    fn parse_section(y: &str) -> (TrackDates, Vec<Diagnostic>) {
        let node = blogtrack_yaml::parse(y).expect("valid yaml");
        let mut d = Vec::new();
        let dates = TrackDates::from_yaml(&node, &mut d);
        (dates, d)
    }

    #[test]
    fn a_bare_date_is_the_end_of_that_day_aoe() {
        let t = parse_date_time("2025-12-01").unwrap();
        assert!(t.aoe);
        assert_eq!(t.written(), "2025-12-01 23:59 AoE");
        assert_eq!(t.utc(), "2025-12-02 11:59 UTC");
        assert_eq!(t.display(), "2025-12-01 23:59 AoE (2025-12-02 11:59 UTC)");
        assert_eq!(parse_date_time("2025-12-01 AoE").unwrap(), t);
        // 2025-12-02T11:59:59Z
        assert_eq!(t.unix, 1_764_676_799);
    }

    #[test]
    fn times_need_a_zone() {
        let aoe = parse_date_time("2025-12-01 23:59 AoE").unwrap();
        assert_eq!(aoe.utc(), "2025-12-02 11:59 UTC");
        let z = parse_date_time("2025-12-01T12:00:00Z").unwrap();
        assert_eq!(z.display(), "2025-12-01 12:00 UTC");
        let plus = parse_date_time("2025-12-01 18:00 +02:00").unwrap();
        assert_eq!(
            plus.display(),
            "2025-12-01 18:00 +02:00 (2025-12-01 16:00 UTC)"
        );
        assert_eq!(parse_date_time("2025-12-01 18:00 UTC+2").unwrap(), plus);
        assert_eq!(
            parse_date_time("2025-12-01 07:00 -0500").unwrap().utc(),
            "2025-12-01 12:00 UTC"
        );
        let e = parse_date_time("2025-12-01 23:59").unwrap_err();
        assert!(e.contains("no zone"), "{e}");
        assert!(parse_date_time("2025-12-01 23:59 PST").is_err());
        assert!(parse_date_time("2025-12-01 25:00 UTC").is_err());
        assert!(parse_date_time("Dec 1").is_err());
    }

    #[test]
    fn the_section_reads_every_milestone_and_reports_bad_ones_at_their_line() {
        let (dates, d) = parse_section(
            "abstract_deadline: 2025-11-24\nsubmission_deadline: 2025-12-01 23:59 AoE\nreviews_deadline: soon\nsubmision: 2025-12-01\ndecisions:\n",
        );
        assert_eq!(dates.dates.len(), 2);
        assert_eq!(
            dates.submission_deadline().map(|t| t.utc()),
            Some("2025-12-02 11:59 UTC".to_string())
        );
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!((d[0].code, d[0].line), ("config-dates", 3));
        assert_eq!((d[1].code, d[1].line), ("config-unknown-key", 4));
        assert!(d[1]
            .hint
            .as_deref()
            .is_some_and(|h| h.contains("submission_deadline")));
    }

    #[test]
    fn dates_out_of_order_or_in_the_wrong_year_are_warned() {
        let (dates, d) = parse_section(
            "submission_deadline: 2025-12-01\nreviews_deadline: 2025-11-01\ncamera_ready_deadline: 2025-02-20\n",
        );
        assert!(d.is_empty(), "{d:?}");
        let post_date = Some((2026, 4, 27));
        let w = dates.consistency(post_date);
        let codes: Vec<(&str, u32)> = w.iter().map(|d| (d.code, d.line)).collect();
        assert_eq!(
            codes,
            vec![
                ("config-dates-order", 2),
                ("config-dates-order", 3),
                ("config-dates-year", 3)
            ],
            "{w:?}"
        );
        let (good, _) = parse_section(
            "submission_deadline: 2025-12-01\nreviews_deadline: 2026-01-15\ncamera_ready_deadline: 2026-03-20\n",
        );
        assert!(good.consistency(post_date).is_empty());
    }

    #[test]
    fn closes_at_is_the_first_second_after_the_deadline() {
        let (dates, _) = parse_section(
            "submission_deadline: 2025-01-15\nbidding_deadline: 2025-01-20 12:00 UTC\n",
        );
        // The end of 15 January AoE is 2025-01-16 12:00 UTC.
        assert_eq!(dates.closes_at(Milestone::Submission), Some(1_737_028_800));
        assert_eq!(dates.closes_at(Milestone::Bidding), Some(1_737_374_400 + 1));
        assert_eq!(dates.closes_at(Milestone::Reviews), None);
    }

    #[test]
    fn the_old_review_keys_are_unknown_and_point_at_their_new_names() {
        let (dates, d) = parse_section(
            "submission: 2025-12-01\nbidding: 2025-12-08\nreview: 2026-01-15\nauthor_response_deadline: 2026-01-22\n",
        );
        assert_eq!(dates.dates.len(), 1);
        assert_eq!(dates.dates[0].milestone, Milestone::AuthorResponse);
        let hints: Vec<(u32, &str)> = d
            .iter()
            .map(|d| (d.line, d.hint.as_deref().unwrap_or("")))
            .collect();
        assert_eq!(
            hints,
            vec![
                (1, "did you mean `submission_deadline`?"),
                (2, "did you mean `bidding_deadline`?"),
                (3, "did you mean `reviews_deadline`?"),
            ]
        );
        assert!(d.iter().all(|d| d.code == "config-unknown-key"));
    }

    #[test]
    fn the_author_response_is_checked_in_order() {
        let (dates, d) = parse_section(
            "reviews_deadline: 2026-01-15\nauthor_response_deadline: 2026-01-10\nmeta_reviews_deadline: 2026-01-30\n",
        );
        assert!(d.is_empty(), "{d:?}");
        let w = dates.consistency(None);
        assert_eq!(w.len(), 1, "{w:?}");
        assert_eq!((w[0].code, w[0].line), ("config-dates-order", 2));
        assert!(w[0].message.contains("author response deadline"), "{w:?}");
    }

    #[test]
    fn set_keeps_milestone_order_and_formats_for_time_elements() {
        let mut d = TrackDates::default();
        d.set(Milestone::Reviews, DateTime::aoe(1_737_028_799));
        d.set(Milestone::Submission, DateTime::aoe(1_736_000_000));
        d.set(Milestone::Reviews, DateTime::aoe(1_737_028_799));
        let order: Vec<Milestone> = d.dates.iter().map(|k| k.milestone).collect();
        assert_eq!(order, [Milestone::Submission, Milestone::Reviews]);
        let r = d.get(Milestone::Reviews).unwrap().at;
        assert_eq!(r.rfc3339(), "2025-01-16T11:59:59Z");
        assert_eq!(r.written(), "2025-01-15 23:59 AoE");
        let z = parse_date_time("2025-01-16 11:59:59 UTC").unwrap();
        assert_eq!(z.in_aoe(), "2025-01-15 23:59 AoE");
        assert!(parse_date_time("2025-02-29").is_err());
        assert!(parse_date_time("2024-02-29").is_ok());
    }
}
