//! The organizers' mail actions: remind every reviewer with a missing review, and notify the
//! authors of released decisions (assignment mails, the page's third action, are in
//! [`super::announce`]), each in one POST (the `/mail` page's buttons, or the same
//! handler under `/api/v1`). Both only queue messages (the mail worker sends them, see
//! [`crate::mail`]), in one transaction with their audit row, and both are idempotent through
//! the outbox's `dedup_key`:
//!
//! - a reminder is keyed by reviewer and UTC day (`reminder:<person>:<YYYY-MM-DD>`): a
//!   double click, or a second click the same day, queues nothing new; the next day reminds
//!   again whoever still owes a review. A reminder lists the submissions by number and title,
//!   never by author. Refused outside the window in which reviews may be submitted
//!   (`Action::SubmitReview` of the phase table), except that after the reviews deadline it
//!   reminds of the missing reviews an organizer reopened until a later date, each with its
//!   own date (refused when there are none).
//! - a decision mail is keyed by decision version and author address
//!   (`decision:<submission>:<decision id>:<e-mail>`): each author hears of a decision once; a
//!   changed decision (a new version) is mailed again. Refused before the decisions are
//!   released (`Action::SeeDecision`: after the `decisions` date).

use super::{announce, reply};
use crate::ctx::Ctx;
use crate::error::{AppError, AppResult};
use crate::{pages, templates, when};
use axum::extract::Query;
use axum::response::Response;
use blogtrack_review::dates::{DateTime, Milestone};
use blogtrack_review::{Action, Refusal, ReviewSettings};
use blogtrack_review_store::{MissingReviews, NewMail};
use maud::{html, Markup};
use serde_json::json;

/// One line per submission: `- #3 Title`, with the reopened review's own date when an
/// organizer reopened it: `- #3 Title (reopened until 2026-05-02 23:59 AoE)`.
fn submission_lines(m: &MissingReviews) -> String {
    m.submissions
        .iter()
        .map(|l| {
            let (n, t) = (l.number, &l.title);
            match l.reopened_until {
                Some(u) => format!("- #{n} {t} (reopened until {})", DateTime::aoe(u).in_aoe()),
                None => format!("- #{n} {t}"),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The date a reminder gives: the reviews deadline, or, after it (`late`: only reopened
/// reviews are reminded of), the earliest of the reviewer's reopened dates.
fn reminder_deadline(settings: &ReviewSettings, m: &MissingReviews, late: bool) -> String {
    match m.submissions.iter().filter_map(|l| l.reopened_until).min() {
        Some(u) if late => DateTime::aoe(u).in_aoe(),
        _ => announce::deadline(settings, Milestone::Reviews),
    }
}

/// The reminder to one reviewer, keyed by reviewer and UTC day.
fn reminder(ctx: &Ctx, m: &MissingReviews, now: i64, late: bool) -> NewMail {
    let st = &ctx.state;
    let mut mail = st.mailer.compose(
        templates::REMINDER,
        &m.email,
        &[
            ("track", st.track_name.clone()),
            ("name", m.name.clone()),
            ("submissions", submission_lines(m)),
            ("count", m.submissions.len().to_string()),
            ("link", format!("{}/submissions", st.base_url)),
            ("deadline_aoe", reminder_deadline(&st.settings, m, late)),
        ],
    );
    let day = &DateTime::aoe(now).utc()[..10];
    mail.dedup_key = Some(format!("reminder:{}:{day}", m.reviewer_id));
    mail.about = m.submissions.iter().map(|l| l.id.clone()).collect();
    mail
}

/// What the page says after an action (`?done=reminders&queued=N`); anything else in the
/// query is ignored.
#[derive(serde::Deserialize, Default)]
pub struct Done {
    done: Option<String>,
    queued: Option<u32>,
}

pub async fn show(ctx: Ctx, Query(q): Query<Done>) -> AppResult<Response> {
    ctx.require_organizer("Only organizers send the track's mail.")?;
    let store = &ctx.state.store;
    // The button is offered whenever the action would queue: in the reviewing window, and
    // after it while a missing review is reopened. In the window the remindable reviews are
    // every missing one, so they are read once.
    let (missing, remind) = match remindable(&ctx).await {
        Ok((all, false)) => (all, None),
        Ok((_, true)) => (
            store.missing_reviews().await.map_err(|e| ctx.internal(e))?,
            None,
        ),
        Err(_) => (
            store.missing_reviews().await.map_err(|e| ctx.internal(e))?,
            ctx.phase_allows(Action::SubmitReview, false).err(),
        ),
    };
    let notify = when::may(
        Action::SeeDecision,
        &ctx.state.settings.dates,
        ctx.state.now(),
    )
    .err();
    let decided = store
        .current_decisions()
        .await
        .map_err(|e| ctx.internal(e))?
        .len();
    let assignments = announce::Section::load(&ctx).await?;
    let result = match (q.done.as_deref(), q.queued) {
        (Some("reminders"), Some(n)) => Some(format!("{n} reminder(s) queued.")),
        (Some("decisions"), Some(n)) => Some(format!("{n} decision mail(s) queued.")),
        (Some("assignments"), Some(n)) => Some(format!("{n} assignment mail(s) queued.")),
        _ => None,
    };
    let j = json!({
        "missing": missing.iter().map(|m| json!({"reviewer": m.reviewer_id, "name": m.name, "email": m.email,
            "submissions": m.submissions.iter().map(|l| json!({"id": l.id, "number": l.number, "title": l.title})).collect::<Vec<_>>()})).collect::<Vec<_>>(),
        "reminders_open": remind.is_none(),
        "reminders_refusal": remind.as_ref().map(|r| r.message()),
        "decisions": decided,
        "decisions_open": notify.is_none(),
        "decisions_refusal": notify.as_ref().map(|r| r.message()),
        "assignments": assignments.json(),
    });
    Ok(reply(&ctx, j, || {
        pages::page(
            &ctx,
            "Mail to reviewers and authors",
            html! {
                @if let Some(r) = &result { p.notice role="status" { (r) " The outbox shows each message as it is sent." } }
                (assignments.html(&ctx))
                (reminders_section(&ctx, &missing, remind.as_ref()))
                (decisions_section(&ctx, decided, notify.as_ref()))
            },
        )
    }))
}

/// The reminders' part of the `/mail` page: who owes reviews, and the button (or why not).
fn reminders_section(ctx: &Ctx, missing: &[MissingReviews], refusal: Option<&Refusal>) -> Markup {
    html! {
        h2 { "Reminders of missing reviews" }
        @if missing.is_empty() { p { "Every assigned review is submitted." } }
        @else {
            p { (missing.len()) " reviewer(s) have a review missing:" }
            ul { @for m in missing { li { (m.name) " (" (m.email) "): " (m.submissions.len()) } } }
        }
        @match refusal {
            // The phase table's advice is the reviewer's ("ask the organizers"): an organizer
            // reads what they can do instead.
            Some(r @ Refusal::Closed { .. }) => {
                p.note { (r.fact()) " To let a reviewer still submit, reopen their review on the " a href="/assignments" { "assignments page" } "; reviewers with a reopened missing review can then be reminded here until their new date." }
            }
            Some(r) => { p.note { (r.message()) } }
            None => {
                p.note { "One reminder per reviewer, listing their submissions by title; a reviewer already reminded today is not reminded again." }
                form method="post" action="/mail/reminders" {
                    (pages::csrf(ctx))
                    button type="submit" { "Remind reviewers with a missing review" }
                }
            }
        }
    }
}

/// The decisions' part of the `/mail` page.
fn decisions_section(ctx: &Ctx, decided: usize, refusal: Option<&Refusal>) -> Markup {
    html! {
        h2 { "Decisions" }
        p { (decided) " submission(s) have a decision." }
        @match refusal {
            Some(r) => { p.note { (r.message()) } }
            None => {
                p.note { "One mail per author of each decided submission; an author is told of a decision once, and again only if it changes." }
                form method="post" action="/mail/decisions" {
                    (pages::csrf(ctx))
                    button type="submit" { "Notify authors of released decisions" }
                }
            }
        }
    }
}

/// Whom a reminder may go to now, and whether it is after the reviews deadline (`true`:
/// only reopened, still-missing reviews). Refused with the phase table's refusal outside the
/// reviewing window, and after the deadline when no missing review is reopened.
async fn remindable(ctx: &Ctx) -> AppResult<(Vec<MissingReviews>, bool)> {
    let store = &ctx.state.store;
    match ctx.phase_allows(Action::SubmitReview, false) {
        Ok(()) => Ok((
            store.missing_reviews().await.map_err(|e| ctx.internal(e))?,
            false,
        )),
        Err(refusal) => {
            let reopened = if ctx.phase_allows(Action::SubmitReview, true).is_ok() {
                store
                    .reopened_missing_reviews(ctx.state.now())
                    .await
                    .map_err(|e| ctx.internal(e))?
            } else {
                Vec::new()
            };
            if reopened.is_empty() {
                return Err(AppError::refused(ctx.format, &refusal));
            }
            Ok((reopened, true))
        }
    }
}

pub async fn remind(ctx: Ctx) -> AppResult<Response> {
    ctx.require_organizer("Only organizers send the track's mail.")?;
    // After the reviews deadline only reviews an organizer reopened (until a later date) may
    // still be submitted, so only those are reminded of, each with its own date.
    let v = ctx.viewer()?;
    let store = &ctx.state.store;
    let now = ctx.state.now();
    let (missing, late) = remindable(&ctx).await?;
    let mails: Vec<NewMail> = missing
        .iter()
        .map(|m| reminder(&ctx, m, now, late))
        .collect();
    let reviews: usize = missing.iter().map(|m| m.submissions.len()).sum();
    let queued = store
        .queue_mails_audited(
            &mails,
            now,
            &v.person.id,
            "mail.reminders",
            ("outbox", "reminders"),
            json!({"reviewers": missing.len(), "missing_reviews": reviews}),
        )
        .await
        .map_err(|e| ctx.internal(e))?;
    ctx.state.mailer.queued();
    Ok(ctx.done(
        &format!("/mail?done=reminders&queued={queued}"),
        json!({"ok": true, "queued": queued, "reviewers": missing.len(),
               "already_reminded_today": missing.len() - queued}),
    ))
}

pub async fn notify_decisions(ctx: Ctx) -> AppResult<Response> {
    ctx.require_organizer("Only organizers send the track's mail.")?;
    let now = ctx.state.now();
    let st = &ctx.state;
    when::may(Action::SeeDecision, &st.settings.dates, now)
        .map_err(|r| AppError::refused(ctx.format, &r))?;
    let v = ctx.viewer()?;
    let decisions = st
        .store
        .current_decisions()
        .await
        .map_err(|e| ctx.internal(e))?;
    let mut mails = Vec::new();
    for d in &decisions {
        let Some(sub) = st
            .store
            .submission_unguarded(&d.submission_id)
            .await
            .map_err(|e| ctx.internal(e))?
        else {
            continue;
        };
        let authors = st
            .store
            .authors(&sub.id)
            .await
            .map_err(|e| ctx.internal(e))?;
        for a in authors {
            mails.push(decision_mail(&ctx, &sub, d, &a));
        }
    }
    let queued = st
        .store
        .queue_mails_audited(
            &mails,
            now,
            &v.person.id,
            "mail.decisions",
            ("outbox", "decisions"),
            json!({"decisions": decisions.len(), "authors": mails.len()}),
        )
        .await
        .map_err(|e| ctx.internal(e))?;
    st.mailer.queued();
    Ok(ctx.done(
        &format!("/mail?done=decisions&queued={queued}"),
        json!({"ok": true, "queued": queued, "decisions": decisions.len(),
               "already_notified": mails.len() - queued}),
    ))
}

/// The decision mail to one author (accept or reject template), keyed by decision version
/// and address.
fn decision_mail(
    ctx: &Ctx,
    sub: &blogtrack_review_store::Submission,
    d: &blogtrack_review_store::DecisionRow,
    author: &blogtrack_review::conflict::Author,
) -> NewMail {
    let st = &ctx.state;
    let s = &st.settings;
    let outcome = s
        .decisions
        .iter()
        .find(|o| o.key == d.outcome)
        .map_or(d.outcome.clone(), |o| o.label.clone());
    let award = d.award.as_deref().map(|k| {
        s.awards
            .iter()
            .find(|a| a.key == k)
            .map_or(k.to_string(), |a| a.label.clone())
    });
    let link = format!("{}/submissions/{}/decision", st.base_url, sub.id);
    let mut vars = vec![
        ("track", st.track_name.clone()),
        ("name", author.name.clone()),
        ("title", sub.title.clone()),
        ("outcome", outcome),
        ("link", link),
    ];
    let kind = if d.accepted {
        let note = award
            .as_ref()
            .map(|a| format!("It receives the award: {a}."))
            .unwrap_or_default();
        let poster = if d.poster {
            "It will be presented at the poster session.".to_string()
        } else {
            String::new()
        };
        vars.push(("award", award.unwrap_or_default()));
        vars.push(("award_note", note));
        vars.push(("poster_note", poster));
        templates::DECISION_ACCEPT
    } else {
        templates::DECISION_REJECT
    };
    let email = author.email.trim().to_lowercase();
    let mut mail = st.mailer.compose(kind, &email, &vars);
    mail.dedup_key = Some(format!("decision:{}:{}:{email}", sub.id, d.id));
    mail.about = vec![sub.id.clone()];
    mail
}
