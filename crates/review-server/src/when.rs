//! The part-2 questions handlers ask of the track's dates, answered by the phase table
//! (`blogtrack_review::allowed`) so the discussion, the author response, meta-reviews and the
//! release of decisions follow the same rules and refusals as every other action.

use blogtrack_review::dates::Milestone;
use blogtrack_review::{allowed, Action, Refusal, TrackDates};

/// The instant a milestone is written for (its last second), if set.
pub fn at(d: &TrackDates, m: Milestone) -> Option<i64> {
    d.get(m).map(|k| k.at.unix)
}

/// Has the author response period begun (the reviews deadline passed)? Authors read the
/// messages addressed to them from then on.
pub fn response_started(d: &TrackDates, now: i64) -> bool {
    d.closes_at(Milestone::Reviews).is_some_and(|c| now >= c)
}

pub fn may(action: Action, d: &TrackDates, now: i64) -> Result<(), Refusal> {
    allowed(action, now, d, false)
}

/// Are decisions released (shown to authors and reviewers)?
pub fn released(d: &TrackDates, now: i64) -> bool {
    may(Action::SeeDecision, d, now).is_ok()
}
