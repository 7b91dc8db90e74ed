//! The organizers' dashboard: submissions per state (undecided, and per decision), the
//! missing reviews of each reviewer, and the distribution of every scale of the review form
//! drawn as server-rendered SVG (a `<title>` and `<desc>`, a text label and count on every
//! bar: readable without the picture). Submissions the organizer has a conflict with are left
//! out, like everywhere else. Also the decisions as CSV.

use super::reply;
use crate::ctx::Ctx;
use crate::error::AppResult;
use crate::pages;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use blogtrack_review::form::{Kind, Value};
use blogtrack_review::Role;
use maud::{html, Markup};
use serde_json::json;
use std::collections::{BTreeMap, HashMap, HashSet};

/// A bar chart of `bars` (label, count) as inline SVG, with its title and a text label and
/// count on each bar.
pub fn bar_chart(id: &str, title: &str, bars: &[(String, usize)]) -> Markup {
    let max = bars.iter().map(|b| b.1).max().unwrap_or(0).max(1);
    let (bar_w, gap, chart_h, top, bottom) = (56usize, 12usize, 120usize, 24usize, 40usize);
    let width = bars.len().max(1) * (bar_w + gap) + gap;
    let height = top + chart_h + bottom;
    let desc = bars
        .iter()
        .map(|(l, n)| format!("{l}: {n}"))
        .collect::<Vec<_>>()
        .join("; ");
    html! {
        svg role="img" aria-labelledby={ (id) "-t " (id) "-d" } viewBox={ "0 0 " (width) " " (height) }
            width=(width) height=(height) xmlns="http://www.w3.org/2000/svg" {
            title id={ (id) "-t" } { (title) }
            desc id={ (id) "-d" } { (desc) }
            @for (i, (label, n)) in bars.iter().enumerate() {
                @let h = n * chart_h / max;
                @let x = gap + i * (bar_w + gap);
                @let y = top + chart_h - h;
                rect x=(x) y=(y) width=(bar_w) height=(h) fill="currentColor" opacity="0.6" {}
                text x=(x + bar_w / 2) y=(y.saturating_sub(4).max(12)) text-anchor="middle" font-size="12" fill="currentColor" { (n) }
                text x=(x + bar_w / 2) y=(top + chart_h + 16) text-anchor="middle" font-size="11" fill="currentColor" {
                    (label.chars().take(10).collect::<String>())
                }
            }
        }
    }
}

/// One scale of the review form and how often each value was given.
struct Distribution {
    key: String,
    label: String,
    bars: Vec<(String, usize)>,
}

/// What the dashboard shows, computed over the submissions the organizer may see.
struct Figures {
    per_state: BTreeMap<String, usize>,
    /// (name, e-mail, numbers of the submissions whose review is missing) per reviewer.
    missing_rows: Vec<(String, String, Vec<i64>)>,
    distributions: Vec<Distribution>,
}

async fn figures(ctx: &Ctx) -> AppResult<Figures> {
    let v = ctx.viewer()?;
    let store = &ctx.state.store;
    let subs = store
        .submissions_for(&v.person.id)
        .await
        .map_err(|e| ctx.internal(e))?;
    let visible: HashSet<&str> = subs.iter().map(|s| s.id.as_str()).collect();
    let settings = &ctx.state.settings;
    let decisions: HashMap<String, String> = store
        .current_decisions()
        .await
        .map_err(|e| ctx.internal(e))?
        .into_iter()
        .map(|d| (d.submission_id, d.outcome))
        .collect();
    let mut per_state: BTreeMap<String, usize> = BTreeMap::new();
    for s in &subs {
        let state = match decisions.get(&s.id) {
            Some(o) => settings
                .decisions
                .iter()
                .find(|d| &d.key == o)
                .map(|d| d.label.clone())
                .unwrap_or_else(|| o.clone()),
            None if s.state == "withdrawn" => "Withdrawn".into(),
            None => "Undecided".into(),
        };
        *per_state.entry(state).or_default() += 1;
    }
    let reviews: Vec<_> = store
        .all_reviews()
        .await
        .map_err(|e| ctx.internal(e))?
        .into_iter()
        .filter(|r| visible.contains(r.submission_id.as_str()))
        .collect();
    let submitted: HashSet<(String, String)> = reviews
        .iter()
        .filter(|r| r.state == "submitted")
        .map(|r| (r.submission_id.clone(), r.reviewer_id.clone()))
        .collect();
    let number: HashMap<&str, i64> = subs.iter().map(|s| (s.id.as_str(), s.number)).collect();
    let mut missing: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for a in store.assignments().await.map_err(|e| ctx.internal(e))? {
        if a.role != Role::Reviewer || !visible.contains(a.submission_id.as_str()) {
            continue;
        }
        if !submitted.contains(&(a.submission_id.clone(), a.person_id.clone())) {
            missing
                .entry(a.person_id)
                .or_default()
                .push(number.get(a.submission_id.as_str()).copied().unwrap_or(0));
        }
    }
    let people: HashMap<String, (String, String)> = store
        .people()
        .await
        .map_err(|e| ctx.internal(e))?
        .into_iter()
        .map(|p| (p.id, (p.name, p.email)))
        .collect();
    let distributions: Vec<Distribution> = settings
        .form
        .iter()
        .filter_map(|f| match &f.kind {
            Kind::Scale { options } => Some(Distribution {
                key: f.key.clone(),
                label: f.label.clone(),
                bars: options
                    .iter()
                    .map(|(n, l)| {
                        let count = reviews
                            .iter()
                            .filter(|r| {
                                r.state == "submitted"
                                    && r.answers.get(&f.key) == Some(&Value::Number(*n))
                            })
                            .count();
                        (format!("{n} {l}"), count)
                    })
                    .collect(),
            }),
            _ => None,
        })
        .collect();
    let missing_rows: Vec<(String, String, Vec<i64>)> = missing
        .into_iter()
        .map(|(id, mut subs)| {
            subs.sort();
            let (name, email) = people.get(&id).cloned().unwrap_or_default();
            (name, email, subs)
        })
        .collect();
    Ok(Figures {
        per_state,
        missing_rows,
        distributions,
    })
}

pub async fn show(ctx: Ctx) -> AppResult<Response> {
    ctx.require_organizer("Only organizers see the dashboard.")?;
    let Figures {
        per_state,
        missing_rows,
        distributions,
    } = figures(&ctx).await?;
    let j = json!({
        "submissions_per_state": per_state,
        "missing_reviews": missing_rows.iter().map(|(n, e, s)| json!({"name": n, "email": e, "submissions": s})).collect::<Vec<_>>(),
        "score_distributions": distributions.iter().map(|d| json!({"key": d.key, "label": d.label, "counts": d.bars.iter().map(|(l, n)| json!({"value": l, "count": n})).collect::<Vec<_>>()})).collect::<Vec<_>>(),
    });
    Ok(reply(&ctx, j, || {
        let states: Vec<(String, usize)> = per_state.iter().map(|(k, v)| (k.clone(), *v)).collect();
        pages::page(
            &ctx,
            "Dashboard",
            html! {
                p { a href="/export.json" { "Export everything (JSON)" } " · " a href="/export.csv" { "Reviews (CSV)" } " · " a href="/decisions.csv" { "Decisions (CSV)" } " · " a href="/audit" { "Audit log" } }
                h2 { "Submissions per state" }
                (bar_chart("states", "Submissions per state", &states))
                ul { @for (k, v) in &per_state { li { (k) ": " (v) } } }
                h2 { "Missing reviews" }
                @if missing_rows.is_empty() { p { "Every assigned review is submitted." } }
                @else {
                    div.table-wrap { table {
                        thead { tr { th { "Reviewer" } th { "Missing" } th { "Submissions" } } }
                        tbody { @for (name, email, subs) in &missing_rows { tr {
                            td { (name) " <" (email) ">" } td { (subs.len()) }
                            td { @for n in subs { "#" (n) " " } }
                        } } }
                    } }
                }
                @for d in &distributions {
                    h2 { "Scores: " (d.label) }
                    (bar_chart(&format!("score-{}", d.key), &format!("Distribution of “{}” in submitted reviews", d.label), &d.bars))
                }
            },
        )
    }))
}

/// The current decisions as CSV: one row per decided submission without conflict.
pub async fn decisions_csv(ctx: Ctx) -> AppResult<Response> {
    ctx.require_organizer("Only organizers see the dashboard.")?;
    let v = ctx.viewer()?;
    let store = &ctx.state.store;
    let visible: HashMap<String, blogtrack_review_store::Submission> = store
        .submissions_for(&v.person.id)
        .await
        .map_err(|e| ctx.internal(e))?
        .into_iter()
        .map(|s| (s.id.clone(), s))
        .collect();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "submission",
        "slug",
        "title",
        "outcome",
        "accepted",
        "award",
        "poster",
        "decided_at",
    ])
    .map_err(|e| ctx.internal(e))?;
    for d in store
        .decided_submissions()
        .await
        .map_err(|e| ctx.internal(e))?
    {
        if !visible.contains_key(&d.submission_id) {
            continue;
        }
        // A leading = + - @ makes spreadsheets run a formula: prefix a quote.
        let title = if d.title.starts_with(['=', '+', '-', '@']) {
            format!("'{}", d.title)
        } else {
            d.title.clone()
        };
        w.write_record([
            d.number.to_string(),
            d.slug,
            title,
            d.outcome,
            d.accepted.to_string(),
            d.award.unwrap_or_default(),
            d.poster.to_string(),
            pages::when(d.decided_at),
        ])
        .map_err(|e| ctx.internal(e))?;
    }
    let bytes = w.into_inner().map_err(|e| ctx.internal(e))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"decisions.csv\"",
            ),
        ],
        bytes,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chart_has_a_title_a_description_and_a_label_per_bar() {
        let svg = bar_chart(
            "x",
            "Scores <a>",
            &[("1 Reject".into(), 2), ("2 Accept".into(), 0)],
        )
        .into_string();
        assert!(
            svg.contains("<title id=\"x-t\">Scores &lt;a&gt;</title>"),
            "{svg}"
        );
        assert!(
            svg.contains("<desc id=\"x-d\">1 Reject: 2; 2 Accept: 0</desc>"),
            "{svg}"
        );
        assert!(
            svg.contains(">1 Reject</text>") && svg.contains(">2 Accept</text>"),
            "{svg}"
        );
        assert!(
            svg.contains("height=\"120\""),
            "the largest bar fills the chart: {svg}"
        );
        assert!(
            svg.contains("height=\"0\""),
            "an empty bar has no height: {svg}"
        );
    }
}
