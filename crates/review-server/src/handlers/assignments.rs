//! Organizers assign reviewers and area chairs: automatically (min-cost flow over bids,
//! conflicts as hard constraints, see `blogtrack_review::assign`) and by hand; they also
//! reopen a review after the deadline. Nothing here mails anyone: once the assignment is
//! final, organizers tell the committee from the `/mail` page (`super::announce`); this page
//! marks each assignment whose holder has not been told yet. The page and the changes by hand reach only the
//! submissions the organizer may manage ([`blogtrack_review_store::Store::submissions_managed_by`]:
//! not those they authored or have a conflict with), checked in the query.

use super::{reply, Input};
use crate::ctx::Ctx;
use crate::error::{AppError, AppResult};
use crate::{pages, when};
use axum::response::Response;
use blogtrack_review::assign::{self, Bid, Problem};
use blogtrack_review::dates::{DateTime, Milestone};
use blogtrack_review::{dates, ReviewSettings, Role};
use blogtrack_review_store::{AssignmentRow, Person, Submission};
use maud::html;
use serde_json::json;
use std::collections::{HashMap, HashSet};

/// The `role` field of an assignment form: reviewer or area chair.
fn committee_role(ctx: &Ctx, input: &Input) -> AppResult<Role> {
    match Role::parse(input.get("role")) {
        Some(r @ (Role::Reviewer | Role::AreaChair)) => Ok(r),
        _ => Err(AppError::bad(
            ctx.format,
            "`role` is reviewer or area-chair.",
        )),
    }
}

pub async fn show(ctx: Ctx) -> AppResult<Response> {
    ctx.require_organizer("Only organizers assign.")?;
    let v = ctx.viewer()?;
    let store = &ctx.state.store;
    // Not the submissions an organizer authored or has a conflict with: the page names
    // their reviewers.
    let subs = store
        .submissions_managed_by(&v.person.id)
        .await
        .map_err(|e| ctx.internal(e))?;
    let shown: HashSet<&str> = subs.iter().map(|s| s.id.as_str()).collect();
    let people: HashMap<String, String> = store
        .people()
        .await
        .map_err(|e| ctx.internal(e))?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let mut rows = store.assignments().await.map_err(|e| ctx.internal(e))?;
    rows.retain(|a| shown.contains(a.submission_id.as_str()));
    let reviews = store.all_reviews().await.map_err(|e| ctx.internal(e))?;
    let state_of: HashMap<(String, String), String> = reviews
        .iter()
        .map(|r| {
            (
                (r.submission_id.clone(), r.reviewer_id.clone()),
                r.state.clone(),
            )
        })
        .collect();
    let mut by_name: Vec<(&String, &String)> = people.iter().collect();
    by_name.sort_by(|a, b| a.1.cmp(b.1).then(a.0.cmp(b.0)));
    let j = json!({"assignments": rows});
    let example = reopen_example(&ctx);
    Ok(reply(&ctx, j, || {
        pages::page(
            &ctx,
            "Assignments",
            html! {
                form method="post" action="/assignments/run" {
                    (pages::csrf(&ctx))
                    label for="role" { "Assign automatically" }
                    select #role name="role" { option value="reviewer" { "Reviewers" } option value="area-chair" { "Area chairs" } }
                    button type="submit" { "Run the assignment" }
                }
                div.table-wrap { table {
                    thead { tr { th { "#" } th { "Title" } th { "Assigned" } } }
                    tbody { @for s in &subs { tr {
                        td { (s.number) }
                        td { a href={ "/submissions/" (s.id) } { (s.title) } }
                        td { ul { @for a in rows.iter().filter(|a| a.submission_id == s.id) { li {
                            (a.pseudonym) ": " (people.get(&a.person_id).cloned().unwrap_or_default())
                            @if a.announced_at.is_none() { " · not told yet" }
                            @if let Some(st) = state_of.get(&(s.id.clone(), a.person_id.clone())) { " (" (st) ")" }
                            form.inline method="post" action="/assignments/remove" {
                                (pages::csrf(&ctx))
                                input type="hidden" name="submission" value=(s.id);
                                input type="hidden" name="person" value=(a.person_id);
                                button.secondary type="submit" aria-label={ "Remove " (a.pseudonym) } { "Remove" }
                            }
                            @if a.role == Role::Reviewer && state_of.get(&(s.id.clone(), a.person_id.clone())).is_none_or(|st| st != "submitted") {
                                (reopen_form(&ctx, &s.id, &a.person_id, &a.pseudonym, &example))
                            }
                        } } } }
                    } } }
                } }
                h2 { "Assign by hand" }
                form method="post" action="/assignments/add" {
                    (pages::csrf(&ctx))
                    label for="a-sub" { "Submission" }
                    select #a-sub name="submission" { @for s in &subs { option value=(s.id) { "#" (s.number) " " (s.title) } } }
                    label for="a-person" { "Person" }
                    select #a-person name="person" { @for (id, name) in &by_name { option value=(id) { (name) } } }
                    label for="a-role" { "As" }
                    select #a-role name="role" { option value="reviewer" { "Reviewer" } option value="area-chair" { "Area chair" } }
                    button type="submit" { "Assign" }
                }
            },
        )
    }))
}

/// What an automatic assignment of one role starts from: every submission, the people who
/// hold the role, and what makes a pair impossible or wanted.
struct Inputs {
    subs: Vec<Submission>,
    people: Vec<Person>,
    /// (person, submission) pairs with a conflict.
    conflicts: HashSet<(String, String)>,
    /// (person, submission) → bid.
    bids: HashMap<(String, String), Bid>,
    existing: Vec<AssignmentRow>,
    /// (submission, author e-mail).
    authors: HashSet<(String, String)>,
}

async fn inputs(ctx: &Ctx, role: Role) -> AppResult<Inputs> {
    let store = &ctx.state.store;
    let internal = |e| ctx.internal(e);
    let subs = store.all_submissions().await.map_err(internal)?;
    let mut people = store.people().await.map_err(internal)?;
    people.retain(|p| p.roles.has(role));
    let conflicts = store.conflicts().await.map_err(internal)?;
    let bids = store.bids().await.map_err(internal)?;
    let mut authors = HashSet::new();
    for s in &subs {
        for a in store.authors(&s.id).await.map_err(internal)? {
            authors.insert((s.id.clone(), a.email));
        }
    }
    Ok(Inputs {
        conflicts: conflicts.into_iter().map(|(p, s, _, _)| (p, s)).collect(),
        bids: bids.into_iter().map(|(p, s, b)| ((p, s), b)).collect(),
        existing: store.assignments().await.map_err(internal)?,
        subs,
        people,
        authors,
    })
}

impl Inputs {
    /// `weight[s][p]`: `None` when the pair is impossible (a conflict, an author, or another
    /// role already held on the submission), else the bid's weight.
    fn weights(&self, role: Role) -> Vec<Vec<Option<i64>>> {
        let held: HashSet<(&str, &str)> = self
            .existing
            .iter()
            .map(|a| (a.submission_id.as_str(), a.person_id.as_str()))
            .collect();
        let held_as = |s: &str, p: &str| {
            self.existing
                .iter()
                .any(|a| a.submission_id == s && a.person_id == p && a.role == role)
        };
        let weight = |s: &Submission, p: &Person| {
            let blocked = self.conflicts.contains(&(p.id.clone(), s.id.clone()))
                || self.authors.contains(&(s.id.clone(), p.email.clone()))
                || (held.contains(&(s.id.as_str(), p.id.as_str())) && !held_as(&s.id, &p.id));
            (!blocked).then(|| {
                self.bids
                    .get(&(p.id.clone(), s.id.clone()))
                    .copied()
                    .unwrap_or(Bid::Neutral)
                    .weight()
            })
        };
        self.subs
            .iter()
            .map(|s| self.people.iter().map(|p| weight(s, p)).collect())
            .collect()
    }

    /// The pairs already assigned in `role`, as (submission, person) indices.
    fn fixed(&self, role: Role) -> Vec<(usize, usize)> {
        self.existing
            .iter()
            .filter(|a| a.role == role)
            .filter_map(|a| {
                Some((
                    self.subs.iter().position(|s| s.id == a.submission_id)?,
                    self.people.iter().position(|p| p.id == a.person_id)?,
                ))
            })
            .collect()
    }

    fn problem(&self, role: Role, settings: &ReviewSettings) -> Problem {
        let (per, load) = if role == Role::Reviewer {
            (settings.reviews_per_submission, settings.reviewer_load)
        } else {
            (
                settings.area_chairs_per_submission,
                settings.area_chair_load,
            )
        };
        Problem {
            submissions: self.subs.len(),
            people: self.people.len(),
            per_submission: per,
            load: vec![load; self.people.len()],
            weight: self.weights(role),
            fixed: self.fixed(role),
        }
    }
}

/// The example date of the reopen forms: a week after the later of the reviews deadline and
/// now, as `YYYY-MM-DD` (AoE).
fn reopen_example(ctx: &Ctx) -> String {
    let now = ctx.state.now();
    let base = when::at(&ctx.state.settings.dates, Milestone::Reviews).map_or(now, |d| d.max(now));
    let day = DateTime::aoe(base + 7 * 86_400).in_aoe();
    day.get(..10).unwrap_or(&day).to_string()
}

/// Gives one reviewer more time: their review stays open (or opens again) until a date, the
/// reviews deadline no longer closes it. Folded, so that the table stays readable; `example`
/// is the field's placeholder ([`reopen_example`]).
fn reopen_form(
    ctx: &Ctx,
    submission: &str,
    person: &str,
    pseudonym: &str,
    example: &str,
) -> maud::Markup {
    let id = format!("until-{submission}-{person}");
    html! {
        details.reopen {
            summary { "More time for " (pseudonym) }
            form.inline method="post" action="/assignments/reopen" {
                (pages::csrf(ctx))
                input type="hidden" name="submission" value=(submission);
                input type="hidden" name="person" value=(person);
                label for=(id) { "Reopen " (pseudonym) "'s review until (AoE)" }
                input id=(id) type="text" name="until" placeholder=(example) required;
                button.secondary type="submit" { "Reopen" }
            }
        }
    }
}

/// Runs the automatic assignment of one role and stores the new pairs. Nobody is mailed:
/// organizers tell the committee from the `/mail` page once the assignment is final.
pub async fn run(ctx: Ctx, input: Input) -> AppResult<Response> {
    ctx.require_organizer("Only organizers assign.")?;
    let role = committee_role(&ctx, &input)?;
    let v = ctx.viewer()?;
    let inp = inputs(&ctx, role).await?;
    let solution = assign::solve(&inp.problem(role, &ctx.state.settings));
    let now = ctx.state.now();
    for &(s, p) in &solution.pairs {
        ctx.state
            .store
            .assign(&inp.subs[s].id, &inp.people[p].id, role, &v.person.id, now)
            .await
            .map_err(|e| ctx.internal(e))?;
    }
    let unfilled: Vec<_> = solution
        .unfilled
        .iter()
        .map(|&(s, n)| json!({"submission": inp.subs[s].id, "missing": n}))
        .collect();
    Ok(ctx.done("/assignments", json!({"ok": true, "assigned": solution.pairs.len(), "total_weight": solution.total_weight, "unfilled": unfilled})))
}

async fn target(ctx: &Ctx, input: &Input) -> AppResult<(String, String)> {
    let (s, p) = (input.get("submission"), input.get("person"));
    if !blogtrack_review_store::well_formed_id(s) || !blogtrack_review_store::well_formed_id(p) {
        return Err(AppError::bad(
            ctx.format,
            "Give `submission` and `person` ids.",
        ));
    }
    let store = &ctx.state.store;
    let v = ctx.viewer()?;
    if store
        .submission_managed_by(&v.person.id, s)
        .await
        .map_err(|e| ctx.internal(e))?
        .is_none()
        || store
            .person(p)
            .await
            .map_err(|e| ctx.internal(e))?
            .is_none()
    {
        return Err(AppError::not_found(ctx.format));
    }
    Ok((s.to_string(), p.to_string()))
}

pub async fn add(ctx: Ctx, input: Input) -> AppResult<Response> {
    ctx.require_organizer("Only organizers assign.")?;
    let (s, p) = target(&ctx, &input).await?;
    let role = committee_role(&ctx, &input)?;
    let store = &ctx.state.store;
    let person = store
        .person(&p)
        .await
        .map_err(|e| ctx.internal(e))?
        .ok_or_else(|| AppError::not_found(ctx.format))?;
    let rel = store
        .relation(&p, &person.email, &s)
        .await
        .map_err(|e| ctx.internal(e))?;
    if matches!(
        rel,
        blogtrack_review::Relation::Author | blogtrack_review::Relation::Conflicted
    ) {
        return Err(AppError::bad(
            ctx.format,
            "This person is an author of the submission or has a conflict with it.",
        ));
    }
    let v = ctx.viewer()?;
    if !store
        .assign(&s, &p, role, &v.person.id, ctx.state.now())
        .await
        .map_err(|e| ctx.internal(e))?
    {
        return Err(AppError::bad(
            ctx.format,
            "This person already holds another role on this submission.",
        ));
    }
    Ok(ctx.done("/assignments", json!({"ok": true})))
}

pub async fn remove(ctx: Ctx, input: Input) -> AppResult<Response> {
    ctx.require_organizer("Only organizers assign.")?;
    let (s, p) = target(&ctx, &input).await?;
    let v = ctx.viewer()?;
    ctx.state
        .store
        .unassign(&s, &p, &v.person.id, ctx.state.now())
        .await
        .map_err(|e| ctx.internal(e))?;
    Ok(ctx.done("/assignments", json!({"ok": true})))
}

pub async fn reopen(ctx: Ctx, input: Input) -> AppResult<Response> {
    ctx.require_organizer("Only organizers assign.")?;
    let (s, p) = target(&ctx, &input).await?;
    // Open through the last second of the date given, like the deadlines of `blogtrack.dates`.
    let until = dates::parse_date_time(input.get("until"))
        .map_err(|why| {
            AppError::bad(
                ctx.format,
                format!(
                    "`until` {why}: write a date like 2026-01-20 (the end of that day, AoE) or 2026-01-20 18:00 AoE."
                ),
            )
        })?
        .unix
        + 1;
    let now = ctx.state.now();
    if until <= now {
        return Err(AppError::bad(
            ctx.format,
            format!(
                "`until` is already past ({} AoE): reopening until then would not let the reviewer submit. Give a later date.",
                blogtrack_review::dates::DateTime::aoe(until - 1).in_aoe()
            ),
        ));
    }
    let v = ctx.viewer()?;
    ctx.state
        .store
        .reopen_review(&s, &p, until, &v.person.id, now)
        .await
        .map_err(|e| ctx.internal(e))?;
    Ok(ctx.done("/assignments", json!({"ok": true, "until": until})))
}
