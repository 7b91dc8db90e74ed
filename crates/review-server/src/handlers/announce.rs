//! Assignment mails: the organizers' "tell reviewers and area chairs about their new
//! assignments" action (`POST /mail/assignments`, the same handler under `/api/v1`), and its
//! section of the `/mail` page.
//!
//! Organizers adjust the assignment first (run it, add and remove by hand), then tell the
//! committee once. Each person gets one message per role (`assignment-reviewer` or
//! `assignment-area-chair`) that lists only the assignments they were not told of yet, still
//! held, on a submission that is not withdrawn and that they have no conflict with: number,
//! title and link, never an author. The store marks those assignments announced in the same
//! transaction as it queues the messages and the audit row (`mail.assignments`), so a crash
//! loses nothing and tells nobody twice, and a double click queues nothing new. A reviewer's
//! message gives the reviews deadline, an area chair's the meta-reviews deadline, in AoE; a
//! reviewer assigned after the reviews deadline is given the date their review was reopened
//! until (each listed submission with its own).
//! Refused once the decisions are released (`Action::AnnounceAssignments`): after that an
//! assignment has nothing left to do.

use crate::ctx::Ctx;
use crate::error::AppResult;
use crate::{pages, templates, when};
use axum::response::Response;
use blogtrack_review::dates::{DateTime, Milestone};
use blogtrack_review::{Action, Refusal, ReviewSettings, Role};
use blogtrack_review_store::{NewMail, Unannounced};
use maud::{html, Markup};
use serde_json::json;

/// `milestone`'s date in AoE, for a mail's `deadline_aoe`.
pub fn deadline(settings: &ReviewSettings, milestone: Milestone) -> String {
    settings
        .dates
        .get(milestone)
        .map(|d| d.at.in_aoe())
        .unwrap_or_else(|| "by the date the organizers announce".into())
}

/// The lines of a mail: `- #3 Title` and the submission's link; after the reviews deadline a
/// reviewer's reopened review also gives its own date, `(reopened until … AoE)`.
fn lines(base: &str, u: &Unannounced, late: bool) -> String {
    u.submissions
        .iter()
        .map(|l| {
            let until = match l.reopened_until {
                Some(t) if late => format!(" (reopened until {})", DateTime::aoe(t).in_aoe()),
                _ => String::new(),
            };
            format!(
                "- #{} {}{until}\n  {base}/submissions/{}",
                l.number, l.title, l.id
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The message to one person about their unannounced assignments in one role. A reviewer's
/// deadline is the reviews deadline, or after it the earliest date a listed review was
/// reopened until; an area chair's is the meta-reviews deadline.
fn assignment_mail(ctx: &Ctx, u: &Unannounced, now: i64) -> NewMail {
    let st = &ctx.state;
    let reviewer = u.role != Role::AreaChair;
    let late =
        reviewer && when::at(&st.settings.dates, Milestone::Reviews).is_some_and(|d| now > d);
    let (template, due) = if reviewer {
        let reopened = u.submissions.iter().filter_map(|l| l.reopened_until).min();
        let due = match reopened {
            Some(t) if late => DateTime::aoe(t).in_aoe(),
            _ => deadline(&st.settings, Milestone::Reviews),
        };
        (templates::ASSIGNMENT_REVIEWER, due)
    } else {
        (
            templates::ASSIGNMENT_AREA_CHAIR,
            deadline(&st.settings, Milestone::MetaReviews),
        )
    };
    let mut mail = st.mailer.compose(
        template,
        &u.email,
        &[
            ("track", st.track_name.clone()),
            ("name", u.name.clone()),
            ("submissions", lines(&st.base_url, u, late)),
            ("count", u.submissions.len().to_string()),
            ("link", format!("{}/submissions", st.base_url)),
            ("deadline_aoe", due),
        ],
    );
    mail.about = u.submissions.iter().map(|l| l.id.clone()).collect();
    mail
}

pub async fn announce(ctx: Ctx) -> AppResult<Response> {
    ctx.require_organizer("Only organizers send the track's mail.")?;
    ctx.require_phase(Action::AnnounceAssignments, false)?;
    let v = ctx.viewer()?;
    let now = ctx.state.now();
    let done = ctx
        .state
        .store
        .announce_assignments(now, &v.person.id, "mail.assignments", |u| {
            assignment_mail(&ctx, u, now)
        })
        .await
        .map_err(|e| ctx.internal(e))?;
    ctx.state.mailer.queued();
    Ok(ctx.done(
        &format!("/mail?done=assignments&queued={}", done.queued),
        json!({"ok": true, "queued": done.queued, "assignments": done.assignments}),
    ))
}

/// What the `/mail` page says of unannounced assignments: its JSON part and its section.
pub struct Section {
    pending: Vec<Unannounced>,
    refusal: Option<Refusal>,
}

impl Section {
    pub async fn load(ctx: &Ctx) -> AppResult<Section> {
        let pending = ctx
            .state
            .store
            .unannounced_assignments()
            .await
            .map_err(|e| ctx.internal(e))?;
        Ok(Section {
            pending,
            refusal: ctx.phase_allows(Action::AnnounceAssignments, false).err(),
        })
    }

    /// How many people have an assignment they were not told of.
    fn people(&self) -> usize {
        let mut ids: Vec<&str> = self.pending.iter().map(|u| u.person_id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        ids.len()
    }

    /// Counts only: the page never lists which submissions (an organizer may have a conflict
    /// with some of them).
    pub fn json(&self) -> serde_json::Value {
        json!({
            "people": self.people(),
            "pending": self.pending.iter().map(|u| json!({"person": u.person_id, "name": u.name,
                "email": u.email, "role": u.role, "count": u.submissions.len()})).collect::<Vec<_>>(),
            "open": self.refusal.is_none(),
            "refusal": self.refusal.as_ref().map(|r| r.message()),
        })
    }

    pub fn html(&self, ctx: &Ctx) -> Markup {
        let role = |r: Role| {
            if r == Role::AreaChair {
                "as area chair"
            } else {
                "as reviewer"
            }
        };
        html! {
            h2 { "Assignments" }
            @if self.pending.is_empty() { p { "Everyone has been told of their assignments." } }
            @else {
                p { (self.people()) " person(s) have assignments they have not been told of:" }
                ul { @for u in &self.pending { li { (u.name) " (" (u.email) "): " (u.submissions.len()) " " (role(u.role)) } } }
            }
            @match &self.refusal {
                Some(r) => { p.note { (r.message()) } }
                None => {
                    p.note { "Adjust the assignment first. One mail per person and role, listing only the assignments they have not been told of; a removed assignment is no longer listed, and nobody is told twice." }
                    form method="post" action="/mail/assignments" {
                        (pages::csrf(ctx))
                        button type="submit" { "Tell reviewers and area chairs about their new assignments" }
                    }
                }
            }
        }
    }
}
