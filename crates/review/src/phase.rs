//! What the track's dates allow when: one table for every action of the review's year.
//!
//! Each [`Action`] has a window between two milestones of `blogtrack.dates` (see
//! [`blogtrack_dates::Milestone`]): it opens when the first milestone's deadline has passed
//! and closes when the second's has. A milestone the track does not set bounds nothing (a track
//! without `bidding_deadline` lets reviewers bid until the reviews are done by other rules),
//! except where the action has no meaning without it: authors see decisions and send their
//! camera-ready version only after `decisions`, and answer reviews only in the period from
//! `reviews_deadline` to `author_response_deadline`. An organizer may reopen a closed action
//! for one person (a late review); `reopened` lifts the closing bound, never the opening one.
//!
//! | action            | opens after          | closes after                      |
//! |-------------------|----------------------|-----------------------------------|
//! | `NewSubmission`   | —                    | abstract and submission deadlines |
//! | `EditSubmission`  | —                    | submission deadline               |
//! | `Bid`             | abstract deadline    | bidding deadline                  |
//! | `SaveReview`      | submission deadline  | reviews deadline                  |
//! | `SubmitReview`    | submission deadline  | reviews deadline                  |
//! | `Discuss`         | submission deadline  | decisions                         |
//! | `AuthorRespond`   | reviews deadline (required) | author response deadline (required) |
//! | `WriteMetaReview` | reviews deadline     | meta-reviews deadline             |
//! | `Decide`          | reviews deadline     | decisions                         |
//! | `AnnounceAssignments` | —                | decisions                         |
//! | `SeeDecision`     | decisions (required) | —                                 |
//! | `CameraReady`     | decisions (required) | camera-ready deadline             |
//!
//! The clock is an argument (`now`, Unix seconds): the server passes its injectable clock.

use blogtrack_dates::{DateTime, Milestone, TrackDates};
use serde::Serialize;
use std::fmt;

/// Everything someone does in the review that a date can forbid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// An author registers a new submission.
    NewSubmission,
    EditSubmission,
    Bid,
    /// A reviewer saves a draft of a review.
    SaveReview,
    SubmitReview,
    /// Reviewers, area chairs and organizers write in a submission's discussion.
    Discuss,
    /// Authors answer the reviews.
    AuthorRespond,
    WriteMetaReview,
    /// Organizers record or change a decision.
    Decide,
    /// Organizers mail reviewers and area chairs their new assignments: pointless once the
    /// decisions are out.
    AnnounceAssignments,
    /// Authors see the decision on their submission.
    SeeDecision,
    /// Accepted authors hand in the camera-ready version.
    CameraReady,
}

impl Action {
    pub const ALL: [Action; 12] = [
        Action::NewSubmission,
        Action::EditSubmission,
        Action::Bid,
        Action::SaveReview,
        Action::SubmitReview,
        Action::Discuss,
        Action::AuthorRespond,
        Action::WriteMetaReview,
        Action::Decide,
        Action::AnnounceAssignments,
        Action::SeeDecision,
        Action::CameraReady,
    ];

    /// The action as the subject of a sentence.
    pub fn label(self) -> &'static str {
        match self {
            Action::NewSubmission => "Registering a new submission",
            Action::EditSubmission => "Editing a submission",
            Action::Bid => "Bidding",
            Action::SaveReview => "Saving a review",
            Action::SubmitReview => "Submitting a review",
            Action::Discuss => "The discussion",
            Action::AuthorRespond => "The author response",
            Action::WriteMetaReview => "Writing a meta-review",
            Action::Decide => "Recording a decision",
            Action::AnnounceAssignments => "Telling the committee of new assignments",
            Action::SeeDecision => "Seeing the decision",
            Action::CameraReady => "Handing in the camera-ready version",
        }
    }

    /// The window: (opens after, the opening milestone is required), (closes after, required).
    fn window(self) -> (Option<(Milestone, bool)>, &'static [Milestone], bool) {
        use Milestone as M;
        match self {
            Action::NewSubmission => (None, &[M::Abstract, M::Submission], false),
            Action::EditSubmission => (None, &[M::Submission], false),
            Action::Bid => (Some((M::Abstract, false)), &[M::Bidding], false),
            Action::SaveReview | Action::SubmitReview => {
                (Some((M::Submission, false)), &[M::Reviews], false)
            }
            Action::Discuss => (Some((M::Submission, false)), &[M::Decisions], false),
            Action::AuthorRespond => (Some((M::Reviews, true)), &[M::AuthorResponse], true),
            Action::WriteMetaReview => (Some((M::Reviews, false)), &[M::MetaReviews], false),
            Action::Decide => (Some((M::Reviews, false)), &[M::Decisions], false),
            Action::AnnounceAssignments => (None, &[M::Decisions], false),
            Action::SeeDecision => (Some((M::Decisions, true)), &[], false),
            Action::CameraReady => (Some((M::Decisions, true)), &[M::CameraReady], false),
        }
    }

    /// How to get a closed action reopened, as a sentence.
    fn how_to_reopen(self) -> &'static str {
        match self {
            Action::SaveReview | Action::SubmitReview => {
                "If you need more time, ask the track's organizers to reopen it for you (they set a new date on the assignments page)."
            }
            Action::WriteMetaReview => {
                "If you need more time, ask the track's organizers to move `blogtrack.dates.meta_reviews_deadline` in `_config.yml`."
            }
            Action::Decide => {
                "Organizers change a released decision by moving `blogtrack.dates.decisions` in `_config.yml` and restarting the review server."
            }
            Action::AnnounceAssignments => {
                "Write to a person assigned this late yourself; the assignments page lists who holds what."
            }
            _ => "If you need an exception, write to the track's organizers: they can move the date in `_config.yml`.",
        }
    }
}

/// Why a date forbids an action now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The action opens after `milestone` (`at`), which is still ahead.
    NotYet {
        action: Action,
        milestone: Milestone,
        at: DateTime,
    },
    /// The action closed after `milestone` (`at`).
    Closed {
        action: Action,
        milestone: Milestone,
        at: DateTime,
    },
    /// The action needs `milestone`, which the track does not set.
    NotScheduled {
        action: Action,
        milestone: Milestone,
    },
}

/// `2026-01-15 23:59 AoE (2026-01-16 11:59 UTC)`, whatever zone the date was written in.
fn both_zones(at: &DateTime) -> String {
    format!("{} ({})", at.in_aoe(), at.utc())
}

impl Refusal {
    pub fn action(&self) -> Action {
        match self {
            Refusal::NotYet { action, .. }
            | Refusal::Closed { action, .. }
            | Refusal::NotScheduled { action, .. } => *action,
        }
    }

    /// A stable code for the JSON API: `not-yet-open`, `closed`, `not-scheduled`.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::NotYet { .. } => "not-yet-open",
            Refusal::Closed { .. } => "closed",
            Refusal::NotScheduled { .. } => "not-scheduled",
        }
    }

    /// The whole message: what closed (or opens) when, in AoE and UTC, and what to do.
    pub fn message(&self) -> String {
        match self {
            Refusal::Closed { action, .. } => format!("{} {}", self.fact(), action.how_to_reopen()),
            _ => self.fact(),
        }
    }

    /// What closed (or opens) when, in AoE and UTC. For a closed action, without the advice
    /// to the person refused (an organizer's page gives its own); the other refusals' advice
    /// is part of their sentence.
    pub fn fact(&self) -> String {
        match self {
            Refusal::NotYet {
                action,
                milestone,
                at,
            } => format!(
                "{} opens after the {}, {}. Come back then.",
                action.label(),
                milestone.label(),
                both_zones(at)
            ),
            Refusal::Closed {
                action,
                milestone,
                at,
            } => format!(
                "{} closed at the {}, {}.",
                action.label(),
                milestone.label(),
                both_zones(at)
            ),
            Refusal::NotScheduled { action, milestone } => format!(
                "{} is not scheduled: the track sets no `blogtrack.dates.{}`. The organizers add it to `_config.yml` when they open it.",
                action.label(),
                milestone.key()
            ),
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for Refusal {}

/// Whether the dates allow `action` at `now`. `reopened`: an organizer reopened it for the
/// person asking (lifts the closing bound only).
pub fn allowed(
    action: Action,
    now: i64,
    dates: &TrackDates,
    reopened: bool,
) -> Result<(), Refusal> {
    let (opens, closes, closes_required) = action.window();
    if let Some((milestone, required)) = opens {
        match dates.get(milestone) {
            Some(d) if now <= d.at.unix => {
                return Err(Refusal::NotYet {
                    action,
                    milestone,
                    at: d.at,
                })
            }
            None if required => return Err(Refusal::NotScheduled { action, milestone }),
            _ => {}
        }
    }
    for &milestone in closes {
        match dates.get(milestone) {
            Some(d) if now > d.at.unix && !reopened => {
                return Err(Refusal::Closed {
                    action,
                    milestone,
                    at: d.at,
                })
            }
            None if closes_required => return Err(Refusal::NotScheduled { action, milestone }),
            _ => {}
        }
    }
    Ok(())
}

/// Where the track is in its year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    /// Until the submission deadline (abstracts, then full submissions).
    Submission,
    Bidding,
    Reviewing,
    AuthorResponse,
    MetaReviews,
    /// Organizers decide; decisions are not released yet.
    Deciding,
    /// Decisions are out; accepted authors prepare the camera-ready version.
    CameraReady,
    /// Every deadline has passed.
    Over,
}

impl Phase {
    pub const ALL: [Phase; 8] = [
        Phase::Submission,
        Phase::Bidding,
        Phase::Reviewing,
        Phase::AuthorResponse,
        Phase::MetaReviews,
        Phase::Deciding,
        Phase::CameraReady,
        Phase::Over,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Submission => "submission",
            Phase::Bidding => "bidding",
            Phase::Reviewing => "reviewing",
            Phase::AuthorResponse => "author-response",
            Phase::MetaReviews => "meta-reviews",
            Phase::Deciding => "deciding",
            Phase::CameraReady => "camera-ready",
            Phase::Over => "over",
        }
    }

    /// For pages: "Reviewing", "Author response".
    pub fn label(self) -> &'static str {
        match self {
            Phase::Submission => "Submission",
            Phase::Bidding => "Bidding",
            Phase::Reviewing => "Reviewing",
            Phase::AuthorResponse => "Author response",
            Phase::MetaReviews => "Meta-reviews",
            Phase::Deciding => "Decisions being made",
            Phase::CameraReady => "Camera-ready",
            Phase::Over => "Over",
        }
    }

    /// The phase that ends at milestone `m`.
    pub fn ending_at(m: Milestone) -> Phase {
        match m {
            Milestone::Abstract | Milestone::Submission => Phase::Submission,
            Milestone::Bidding => Phase::Bidding,
            Milestone::Reviews => Phase::Reviewing,
            Milestone::AuthorResponse => Phase::AuthorResponse,
            Milestone::MetaReviews => Phase::MetaReviews,
            Milestone::Decisions => Phase::Deciding,
            Milestone::CameraReady => Phase::CameraReady,
        }
    }

    /// The phase at `now`: the one ending at the first deadline still ahead, after the last
    /// one passed (a milestone the track does not set is skipped). Past the last date that is
    /// set, the phase that follows it; with no date at all, submission.
    pub fn at(now: i64, dates: &TrackDates) -> Phase {
        let last_passed = dates
            .dates
            .iter()
            .filter(|d| now > d.at.unix)
            .map(|d| d.milestone)
            .max();
        let after = |m: Milestone| last_passed.is_none_or(|p| m > p);
        if let Some(next) = dates
            .dates
            .iter()
            .find(|d| now <= d.at.unix && after(d.milestone))
        {
            return Phase::ending_at(next.milestone);
        }
        match last_passed {
            None => Phase::Submission,
            Some(p) => Milestone::ALL
                .into_iter()
                .find(|m| *m > p)
                .map_or(Phase::Over, Phase::ending_at),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Milestone k (in `Milestone::ALL` order, from 1) at Unix second k × 1000.
    fn year() -> TrackDates {
        let mut d = TrackDates::default();
        for (k, m) in Milestone::ALL.into_iter().enumerate() {
            d.set(m, DateTime::aoe((k as i64 + 1) * 1000));
        }
        d
    }

    /// One instant inside each phase, in `Phase::ALL` order (two in submission: before and
    /// after the abstract deadline).
    const INSIDE: [(i64, Phase); 9] = [
        (500, Phase::Submission),
        (1500, Phase::Submission),
        (2500, Phase::Bidding),
        (3500, Phase::Reviewing),
        (4500, Phase::AuthorResponse),
        (5500, Phase::MetaReviews),
        (6500, Phase::Deciding),
        (7500, Phase::CameraReady),
        (8500, Phase::Over),
    ];

    #[test]
    fn every_action_in_every_phase() {
        let d = year();
        #[rustfmt::skip]
        let table: [(Action, [u8; 9]); 12] = [
            (Action::NewSubmission,   [1, 0, 0, 0, 0, 0, 0, 0, 0]),
            (Action::EditSubmission,  [1, 1, 0, 0, 0, 0, 0, 0, 0]),
            (Action::Bid,             [0, 1, 1, 0, 0, 0, 0, 0, 0]),
            (Action::SaveReview,      [0, 0, 1, 1, 0, 0, 0, 0, 0]),
            (Action::SubmitReview,    [0, 0, 1, 1, 0, 0, 0, 0, 0]),
            (Action::Discuss,         [0, 0, 1, 1, 1, 1, 1, 0, 0]),
            (Action::AuthorRespond,   [0, 0, 0, 0, 1, 0, 0, 0, 0]),
            (Action::WriteMetaReview, [0, 0, 0, 0, 1, 1, 0, 0, 0]),
            (Action::Decide,          [0, 0, 0, 0, 1, 1, 1, 0, 0]),
            (Action::AnnounceAssignments, [1, 1, 1, 1, 1, 1, 1, 0, 0]),
            (Action::SeeDecision,     [0, 0, 0, 0, 0, 0, 0, 1, 1]),
            (Action::CameraReady,     [0, 0, 0, 0, 0, 0, 0, 1, 0]),
        ];
        assert_eq!(table.len(), Action::ALL.len());
        for (action, row) in table {
            for ((now, phase), open) in INSIDE.iter().zip(row) {
                assert_eq!(Phase::at(*now, &d), *phase, "phase at {now}");
                let got = allowed(action, *now, &d, false);
                assert_eq!(
                    got.is_ok(),
                    open == 1,
                    "{action:?} in {phase:?} ({now}): {got:?}"
                );
                if let Err(r) = &got {
                    let before_window = row
                        .iter()
                        .skip(INSIDE.iter().position(|(t, _)| t == now).unwrap_or(0))
                        .any(|o| *o == 1);
                    let want = if before_window {
                        "not-yet-open"
                    } else {
                        "closed"
                    };
                    assert_eq!(r.code(), want, "{action:?} at {now}: {r}");
                    // Reopening lifts a closed window only.
                    assert_eq!(allowed(action, *now, &d, true).is_ok(), !before_window);
                }
            }
        }
    }

    #[test]
    fn a_deadline_is_open_through_its_last_second() {
        let d = year();
        assert!(allowed(Action::SubmitReview, 4000, &d, false).is_ok());
        let r = allowed(Action::SubmitReview, 4001, &d, false).unwrap_err();
        assert_eq!(r.code(), "closed");
        assert!(allowed(Action::AuthorRespond, 4000, &d, false).is_err());
        assert!(allowed(Action::AuthorRespond, 4001, &d, false).is_ok());
        assert_eq!(Phase::at(4000, &d), Phase::Reviewing);
        assert_eq!(Phase::at(4001, &d), Phase::AuthorResponse);
    }

    #[test]
    fn the_refusal_says_what_closed_when_in_aoe_and_utc_and_how_to_reopen() {
        let mut d = TrackDates::default();
        d.set(
            Milestone::Reviews,
            blogtrack_dates::parse_date_time("2026-01-16 11:59:59 UTC").unwrap(),
        );
        let r = allowed(Action::SubmitReview, 1_900_000_000, &d, false).unwrap_err();
        assert_eq!(
            r.message(),
            "Submitting a review closed at the reviews deadline, 2026-01-15 23:59 AoE \
             (2026-01-16 11:59 UTC). If you need more time, ask the track's organizers to \
             reopen it for you (they set a new date on the assignments page)."
        );
        let r = allowed(Action::AuthorRespond, 0, &d, false).unwrap_err();
        assert_eq!(r.code(), "not-yet-open");
        assert!(
            r.message().starts_with(
                "The author response opens after the reviews deadline, 2026-01-15 23:59 AoE"
            ),
            "{r}"
        );
        let r = allowed(Action::AuthorRespond, 1_900_000_000, &d, false).unwrap_err();
        assert_eq!(
            r,
            Refusal::NotScheduled {
                action: Action::AuthorRespond,
                milestone: Milestone::AuthorResponse
            }
        );
        assert!(r
            .message()
            .contains("`blogtrack.dates.author_response_deadline`"));
    }

    #[test]
    fn without_dates_only_the_release_and_the_response_wait() {
        let d = TrackDates::default();
        for a in Action::ALL {
            let got = allowed(a, 0, &d, false);
            let waits = matches!(
                a,
                Action::AuthorRespond | Action::SeeDecision | Action::CameraReady
            );
            assert_eq!(got.is_err(), waits, "{a:?}: {got:?}");
            if let Err(r) = got {
                assert_eq!(r.code(), "not-scheduled");
            }
        }
        assert_eq!(Phase::at(0, &d), Phase::Submission);
    }

    #[test]
    fn the_phase_skips_dates_the_track_does_not_set() {
        let mut d = TrackDates::default();
        d.set(Milestone::Submission, DateTime::aoe(100));
        d.set(Milestone::Reviews, DateTime::aoe(300));
        assert_eq!(Phase::at(50, &d), Phase::Submission);
        assert_eq!(Phase::at(200, &d), Phase::Reviewing);
        assert_eq!(Phase::at(400, &d), Phase::AuthorResponse);
        d.set(Milestone::CameraReady, DateTime::aoe(500));
        assert_eq!(Phase::at(400, &d), Phase::CameraReady);
        assert_eq!(Phase::at(600, &d), Phase::Over);
    }
}
